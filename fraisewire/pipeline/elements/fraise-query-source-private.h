/* fraise-query-source-private.h: the `query` element (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_QUERY_SOURCE (fraise_query_source_get_type ())

G_DECLARE_FINAL_TYPE (FraiseQuerySource, fraise_query_source, FRAISE, QUERY_SOURCE, FraiseElement)

/* The query the source's properties describe, for @client. */
FraiseQuery *
_fraise_query_source_build (FraiseQuerySource *self, FraiseClient *client, GError **error);

G_END_DECLS
