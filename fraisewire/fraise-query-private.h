/* fraise-query-private.h: what the pipeline asks of a query beyond its API (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* Sends `EXPLAIN (FORMAT JSON, VERBOSE)` of the query's SELECT (after its
 * SET LOCAL settings, so the plan is the one the query would get); the
 * stream has one row, the plan as JSON. */
void _fraise_query_explain_async (FraiseQuery *query,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
FraiseStream *
_fraise_query_explain_finish (FraiseQuery *query, GAsyncResult *result, GError **error);

G_END_DECLS
