/* fraise-pipeline-explain.c: what a run would send, and the server's plan for it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The explanation takes the same steps as the start of a run (build the
 * source's query, learn the type of its data column when push-down needs
 * it, merge what push-down can) and then asks the server for the plan of
 * that SQL instead of running it. The elements are told nothing was merged
 * afterwards: an explanation leaves the pipeline as it found it.
 */

#include "fraise-pipeline-run-private.h"
#include "fraise-elements-private.h"
#include "fraise-explanation-private.h"
#include "fraise-proto.h"
#include "fraise-pushdown-private.h"
#include "fraise-query-private.h"
#include "fraise-query-source-private.h"

typedef struct {
  FraisePipeline *pipeline;
  FraiseQuery *query;
  FraiseStream *stream; /* the plan's, held until it has been read */
  FraisePushdownReport *report;
  char *sql;
  GString *plan;
} Explain;

static void
explain_free (gpointer data)
{
  Explain *explain = data;

  g_object_unref (explain->pipeline);
  g_clear_object (&explain->query);
  g_clear_object (&explain->stream);
  _fraise_pushdown_report_free (explain->report);
  g_free (explain->sql);
  g_string_free (explain->plan, TRUE);
  g_free (explain);
}

static gboolean
refuse_running (FraisePipeline *pipeline, GError **error)
{
  if (pipeline->task == NULL)
    return TRUE;
  g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_BUSY,
                       _("the pipeline is running; explain it before or after a run"));
  return FALSE;
}

static void
on_plan_batch (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Explain *explain = g_task_get_task_data (task);
  g_autoptr (GPtrArray) batch = NULL;
  GError *error = NULL;
  FraiseExplanation *explanation;
  GCancellable *cancellable;

  batch = fraise_stream_next_batch_finish (FRAISE_STREAM (object), result, &error);
  if (batch == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (batch->len > 0)
    {
      for (guint i = 0; i < batch->len; i++)
        {
          gsize len;
          const char *text = fraise_row_get_text (g_ptr_array_index (batch, i), &len);

          g_string_append_len (explain->plan, text, len);
        }
      cancellable = g_task_get_cancellable (task);
      fraise_stream_next_batch_async (FRAISE_STREAM (object), cancellable, on_plan_batch,
                                      g_steal_pointer (&task));
      return;
    }
  explanation = _fraise_explanation_new (explain->sql, explain->report->lines,
                                         explain->report->pushed, explain->plan->str, &error);
  if (explanation == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, explanation, g_object_unref);
}

static void
on_explained (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Explain *explain = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  explain->stream = _fraise_query_explain_finish (FRAISE_QUERY (object), result, &error);
  if (explain->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  fraise_stream_next_batch_async (explain->stream, cancellable, on_plan_batch,
                                  g_steal_pointer (&task));
}

/* Merges what push-down can, records the SQL, and asks for its plan. */
static void
explain_query (GTask *task, gboolean jsonb)
{
  Explain *explain = g_task_get_task_data (task);
  GError *error = NULL;

  if (!refuse_running (explain->pipeline, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  _fraise_pushdown_apply (explain->pipeline->elements, explain->query, jsonb, explain->report);
  _fraise_pushdown_clear (explain->pipeline->elements);
  explain->sql = fraise_query_to_sql (explain->query, &error);
  if (explain->sql == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  _fraise_query_explain_async (explain->query, g_task_get_cancellable (task), on_explained, task);
}

static void
on_probed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  guint32 type = _fraise_pushdown_probe_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  explain_query (task, type == FRAISE_OID_JSONB);
}

/**
 * fraise_pipeline_explain_async:
 * @pipeline: a pipeline that is not running
 * @client: a connected client
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the explanation
 * @user_data: data for @callback
 *
 * Explains the pipeline without running it: builds the source's query,
 * merges into it what push-down can (as a run would: a filter's exact
 * conjuncts into the WHERE, then a `limit` and a `project` when everything
 * before them was merged), and asks the server for its plan with `EXPLAIN
 * (FORMAT JSON, VERBOSE)`. No row is read and no element is started.
 *
 * The explanation says which conjuncts stay on the client and why, and,
 * when the plan reads every row of a relation to apply the pushed filter,
 * which index would serve it (see [class@Fraise.Explanation]).
 *
 * Fails with %FRAISE_ERROR_BUSY while the pipeline runs, with
 * %FRAISE_ERROR_CONFIG when it has no query source, and with the errors of
 * the query itself (a relation that does not exist is
 * %FRAISE_ERROR_SERVER).
 *
 * Since: 1.0
 */
void
fraise_pipeline_explain_async (FraisePipeline *pipeline,
                               FraiseClient *client,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *task;
  Explain *explain;
  GError *error = NULL;

  g_return_if_fail (FRAISE_IS_PIPELINE (pipeline));
  g_return_if_fail (FRAISE_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (pipeline, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_pipeline_explain_async);
  explain = g_new0 (Explain, 1);
  explain->pipeline = g_object_ref (pipeline);
  explain->report = _fraise_pushdown_report_new ();
  explain->plan = g_string_new (NULL);
  g_task_set_task_data (task, explain, explain_free);

  if (!refuse_running (pipeline, &error) ||
      !_fraise_pipeline_check_chain (pipeline, TRUE, &error) ||
      (explain->query = _fraise_query_source_build (
         FRAISE_QUERY_SOURCE (g_ptr_array_index (pipeline->elements, 0)), client, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (_fraise_pushdown_needs_type (pipeline->elements))
    _fraise_pushdown_probe_async (client, fraise_query_get_source (explain->query), cancellable,
                                  on_probed, task);
  else
    explain_query (task, FALSE);
}

/**
 * fraise_pipeline_explain_finish:
 * @pipeline: a pipeline
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Ends [method@Fraise.Pipeline.explain_async].
 *
 * Returns: (transfer full): the explanation, or %NULL with @error set
 *
 * Since: 1.0
 */
FraiseExplanation *
fraise_pipeline_explain_finish (FraisePipeline *pipeline, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (g_task_is_valid (result, pipeline), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fraise_pipeline_explain_sync:
 * @pipeline: a pipeline that is not running
 * @client: a connected client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Explains like [method@Fraise.Pipeline.explain_async] and waits for the
 * answer, iterating the client's main context.
 *
 * Returns: (transfer full): the explanation, or %NULL with @error set
 *
 * Since: 1.0
 */
FraiseExplanation *
fraise_pipeline_explain_sync (FraisePipeline *pipeline,
                              FraiseClient *client,
                              GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), NULL);

  result = _fraise_pipeline_wait (pipeline, client, fraise_pipeline_explain_async, cancellable);
  return fraise_pipeline_explain_finish (pipeline, result, error);
}
