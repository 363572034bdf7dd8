/* fraise-query-execute.c: a query's SQL, and running it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fraise-query.c holds the settings; here they become the SQL text and the
 * immutable plan a stream runs (fraise-plan-private.h).
 */

#include "fraise-private.h"
#include "fraise-client-private.h"
#include "fraise-query-private.h"
#include "fraise-stream-private.h"
#include "fraise-sql.h"

/* The SQL execution sends; with @explain, EXPLAIN of its SELECT. */
static char *
build_sql (FraiseQuery *query, gboolean explain, GError **error)
{
  g_autofree char *order_by = NULL;
  FraiseSqlSelect select = { 0 };

  if (_fraise_query_first_invalid (query) != NULL)
    {
      g_propagate_error (error, g_error_copy (_fraise_query_first_invalid (query)));
      return NULL;
    }
  if (query->order_by_sql != NULL)
    order_by = g_strdup (query->order_by_sql);
  else if (query->order_by->len > 0)
    {
      g_ptr_array_add (query->order_by, NULL);
      order_by = g_strjoinv (", ", (char **) query->order_by->pdata);
      g_ptr_array_remove_index (query->order_by, query->order_by->len - 1);
    }

  select.source = query->source;
  select.projection = query->projection;
  select.where = query->where;
  select.order_by = order_by;
  select.limit = query->limit;
  select.offset = query->offset;
  select.set_local_names = query->local_names;
  select.set_local_values = query->local_values;
  select.explain = explain;
  return fraise_sql_build_select (&select, error);
}

/**
 * fraise_query_to_sql:
 * @query: a query
 * @error: return location for a %FRAISE_ERROR_CONFIG error
 *
 * The exact SQL that execution sends, after validating the source and
 * every setting.
 *
 * Returns: (transfer full): the SQL, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
fraise_query_to_sql (FraiseQuery *query, GError **error)
{
  g_return_val_if_fail (FRAISE_IS_QUERY (query), NULL);

  return build_sql (query, FALSE, error);
}

static gboolean
check_client (FraiseQuery *query, GError **error)
{
  if (query->client == NULL)
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("the query has no client: create it with fraise_client_query() "
                             "or call fraise_query_set_client()"));
      return FALSE;
    }
  return TRUE;
}

/* Sends the query (or with @explain, EXPLAIN of it, whose one json column
 * is the plan: any column name, no filter) and completes @task (owned)
 * with its stream. */
static void
execute (FraiseQuery *query, gboolean explain, GTask *task)
{
  g_autoptr (FraisePlan) plan = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  FraiseFilter *filter = NULL;
  FraisePlan settings;
  char *sql = NULL;
  GError *error = NULL;

  if ((sql = build_sql (query, explain, &error)) == NULL || !check_client (query, &error))
    {
      g_free (sql);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  query->settings.projected = query->projection != NULL;
  settings = query->settings;
  if (explain)
    settings.projected = TRUE;
  else
    filter = _fraise_filter_new_both (query->expr_filter, query->filter);
  plan = _fraise_plan_new (&settings, sql, filter);
  g_clear_pointer (&filter, _fraise_filter_unref);
  stream = _fraise_stream_new (query->client, plan);
  stream->execute_at_once = query->executing_sync;
  query->executing_sync = FALSE; /* not for an execution a callback starts */
  _fraise_stream_execute (stream, task);
}

/**
 * fraise_query_execute_async:
 * @query: a query
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the result's shape has been checked
 * @user_data: data for @callback
 *
 * Sends the query. Execution finishes when the server's RowDescription has
 * been checked: exactly one column, named `data` unless a projection is
 * set, of type json or jsonb, in text format. Otherwise it fails with
 * %FRAISE_ERROR_INVALID_SCHEMA naming what came back, and the connection
 * is drained and stays usable. Server errors before the first row fail with
 * %FRAISE_ERROR_SERVER.
 *
 * Since: 1.0
 */
void
fraise_query_execute_async (FraiseQuery *query,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task;

  g_return_if_fail (FRAISE_IS_QUERY (query));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (query, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_query_execute_async);
  execute (query, FALSE, task);
}

/**
 * fraise_query_execute_finish:
 * @query: a query
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Fraise.Query.execute_async].
 *
 * Returns: (transfer full): the stream of rows, or %NULL with @error set
 *
 * Since: 1.0
 */
FraiseStream *
fraise_query_execute_finish (FraiseQuery *query, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, query), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fraise_query_execute_sync:
 * @query: a query
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Executes like [method@Fraise.Query.execute_async], blocking the calling
 * thread (which must own the client's main context).
 *
 * Returns: (transfer full): the stream of rows, or %NULL with @error set
 *
 * Since: 1.0
 */
FraiseStream *
fraise_query_execute_sync (FraiseQuery *query, GCancellable *cancellable, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FRAISE_IS_QUERY (query), NULL);

  /* Without a client there is no context to run on: fail here, after an
   * invalid setting (as the SQL text would). The SQL is built once, by the
   * execution. */
  if (_fraise_query_first_invalid (query) != NULL)
    {
      g_propagate_error (error, g_error_copy (_fraise_query_first_invalid (query)));
      return NULL;
    }
  if (!check_client (query, error))
    return NULL;
  query->executing_sync = TRUE;
  result = _fraise_client_run_sync (query->client, query,
                                    (FraiseAsyncStart) fraise_query_execute_async, cancellable);
  query->executing_sync = FALSE;
  return fraise_query_execute_finish (query, result, error);
}

void
_fraise_query_explain_async (FraiseQuery *query,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *task = g_task_new (query, cancellable, callback, user_data);

  g_task_set_source_tag (task, _fraise_query_explain_async);
  execute (query, TRUE, task);
}

FraiseStream *
_fraise_query_explain_finish (FraiseQuery *query, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, query), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
