/* fraise-explanation-private.h: building a FraiseExplanation (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"
#include "fraise-explanation.h"

G_BEGIN_DECLS

/* @sql: what the pipeline sends; @decisions (char *): push-down's lines;
 * @pushed (FraiseExpr *): the filters whose exact part is in the WHERE;
 * @plan: the server's `EXPLAIN (FORMAT JSON, VERBOSE)` of @sql. Fails with
 * FRAISE_ERROR_PROTOCOL when @plan is not a plan. */
FraiseExplanation *_fraise_explanation_new (
  const char *sql, GPtrArray *decisions, GPtrArray *pushed, const char *plan, GError **error);

G_END_DECLS
