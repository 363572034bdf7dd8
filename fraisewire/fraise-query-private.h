/* fraise-query-private.h: the query's state, and what the pipeline asks of it (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"
#include "fraise-plan-private.h"

G_BEGIN_DECLS

/* Shared by fraise-query.c (the settings) and fraise-query-execute.c (the
 * SQL and the execution); nothing else reads it. */
struct _FraiseQuery {
  GObject parent_instance;

  char *source;
  FraiseClient *client;
  GPtrArray *where;    /* rendered predicates */
  GPtrArray *order_by; /* rendered order items */
  char *order_by_sql;
  char *projection;
  gint64 limit;
  gint64 offset;
  GPtrArray *local_names;
  GPtrArray *local_values;
  /* The flow options the next execution's plan copies (sql, projected and
   * filter are filled in then). */
  FraisePlan settings;
  FraiseFilter *filter;      /* set_filter_func() */
  FraiseFilter *expr_filter; /* set_filter(): evaluated first */
  /* An invalid value given to a setter, per property: reported by to_sql
   * and execution until a valid value replaces it. */
  GError *invalid[1 + 12]; /* indexed by property id (fraise-query.c) */
  gboolean executing_sync; /* inside execute_sync(): its stream completes
                            * the execution at the RowDescription */
};

/* The first setting refused by a setter, or NULL. */
const GError *_fraise_query_first_invalid (FraiseQuery *self);

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
