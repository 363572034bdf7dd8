/* fraise-pipeline-run.c: one run of a pipeline
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See fraise-pipeline.c for the flow of a run. This file holds the run's
 * state machine: starting the elements, pulling batches from the stream,
 * pushing rows, waiting on pending elements, stopping, failing, cancelling,
 * finishing, and the dead-letter records of routed rows.
 */

#include "fraise-private.h"
#include "fraise-client-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-pipeline-run-private.h"
#include "fraise-query-source-private.h"
#include "fraise-pushdown-private.h"
#include "fraise-proto.h"
#include "fraise-row-private.h"

#include <string.h>

static void pull (FraisePipeline *self);
static void run_batch (FraisePipeline *self);
static void maybe_complete (FraisePipeline *self);

/* ---- what elements call -------------------------------------------------------- */

guint
_fraise_pipeline_count_pending (FraisePipeline *pipeline)
{
  return pipeline != NULL ? pipeline->n_pending : 0;
}

void
_fraise_pipeline_element_pending (FraisePipeline *pipeline, FraiseElement *element)
{
  if (pipeline != NULL)
    pipeline->n_pending++;
}

gboolean
_fraise_pipeline_has_failed (FraisePipeline *pipeline)
{
  return pipeline != NULL && pipeline->failed;
}

/* Keeps the first failure of the run. */
static void
record_failure (FraisePipeline *self, GError *error)
{
  self->failed = TRUE;
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

void
_fraise_pipeline_element_failed (FraisePipeline *pipeline,
                                 FraiseElement *element,
                                 FraiseRow *row,
                                 GError *error)
{
  if (pipeline == NULL || pipeline->failed)
    {
      g_error_free (error);
      return;
    }
  g_prefix_error (&error, "%s: ", fraise_element_get_name (element));
  if (row != NULL)
    {
      g_autofree char *index = g_strdup_printf ("%" G_GUINT64_FORMAT, fraise_row_get_index (row));
      char *message = g_strdup_printf (_("%s (row %s)"), error->message, index);
      g_free (error->message);
      error->message = message;
    }
  record_failure (pipeline, error);
}

static void
append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* {"row":…,"element":…,"row_index":…,"error":{"domain":…,"code":…,"message":…}} */
static FraiseRow *
dead_letter_record (FraiseElement *element, FraiseRow *row, const GError *error)
{
  GString *out = g_string_new ("{\"row\":");
  g_autofree char *message = g_utf8_make_valid (error->message, -1);
  gsize len;
  const char *text = fraise_row_get_text (row, &len);
  FraiseRow *record;

  if (fraise_row_is_null (row) || len == 0)
    g_string_append (out, "null");
  else
    g_string_append_len (out, text, len);
  g_string_append (out, ",\"element\":");
  append_json_string (out, fraise_element_get_name (element));
  g_string_append_printf (
    out, ",\"row_index\":%" G_GUINT64_FORMAT ",\"error\":{\"domain\":", fraise_row_get_index (row));
  append_json_string (out, g_quark_to_string (error->domain));
  g_string_append_printf (out, ",\"code\":%d,\"message\":", error->code);
  append_json_string (out, message);
  g_string_append (out, "}}");

  record = _fraise_row_new (out->str, out->len, FALSE, fraise_row_get_index (row));
  g_string_free (out, TRUE);
  return record;
}

FraiseFlow
_fraise_pipeline_route (FraisePipeline *pipeline,
                        FraiseElement *element,
                        FraiseRow *row,
                        const GError *error)
{
  g_autoptr (FraiseRow) record = NULL;

  if (pipeline == NULL || pipeline->dead_letter->len == 0)
    return FRAISE_FLOW_OK; /* refused at start: cannot happen in a run */
  record = dead_letter_record (element, row, error);
  return _fraise_element_process (g_ptr_array_index (pipeline->dead_letter, 0), record);
}

/* ---- the run --------------------------------------------------------------------- */

static guint
n_all (FraisePipeline *self)
{
  return self->elements->len + self->dead_letter->len;
}

/* Both chains as one list: the main chain, then the dead-letter chain. */
static FraiseElement *
element_at (FraisePipeline *self, guint i)
{
  if (i < self->elements->len)
    return g_ptr_array_index (self->elements, i);
  return g_ptr_array_index (self->dead_letter, i - self->elements->len);
}

static void
link_chain (FraisePipeline *self, GPtrArray *chain)
{
  for (guint i = 0; i < chain->len; i++)
    _fraise_element_link (g_ptr_array_index (chain, i), self,
                          i + 1 < chain->len ? g_ptr_array_index (chain, i + 1) : NULL);
}

gboolean
_fraise_pipeline_check_chain (FraisePipeline *self, gboolean need_source, GError **error)
{
  if (need_source &&
      (self->elements->len == 0 || !FRAISE_IS_QUERY_SOURCE (g_ptr_array_index (self->elements, 0))))
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("a pipeline starts with a query source (query source=…)"));
      return FALSE;
    }
  for (guint i = 0; i < n_all (self); i++)
    {
      FraiseElement *element = element_at (self, i);

      if (FRAISE_IS_QUERY_SOURCE (element) && !(need_source && i == 0))
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("%s: a query source can only be the first element"),
                          fraise_element_get_name (element));
          return FALSE;
        }
      if (fraise_element_get_on_error (element) == FRAISE_ON_ERROR_ROUTE &&
          self->dead_letter->len == 0)
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("%s routes the rows it fails on (on-error=route), but the pipeline has "
                         "no errors branch: end the description with "
                         "\"errors ! jsonl-sink location=FILE\""),
                          fraise_element_get_name (element));
          return FALSE;
        }
    }
  return TRUE;
}

static void
reset_all (FraisePipeline *self, guint from)
{
  for (guint i = from; i < n_all (self); i++)
    _fraise_element_reset (element_at (self, i));
}

static void
end_run (FraisePipeline *self)
{
  GTask *task = g_steal_pointer (&self->task);

  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  if (self->continue_idle != NULL)
    {
      g_source_destroy (self->continue_idle);
      g_clear_pointer (&self->continue_idle, g_source_unref);
    }
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->fixed_rows, g_ptr_array_unref);
  self->n_pending = 0;
  _fraise_pipeline_notify_rows (self);

  if (self->cancelled)
    {
      g_clear_error (&self->error);
      _fraise_pipeline_set_state (self, FRAISE_PIPELINE_STATE_CANCELLED);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("the pipeline was cancelled"));
    }
  else if (self->failed)
    {
      _fraise_pipeline_set_state (self, FRAISE_PIPELINE_STATE_FAILED);
      g_task_return_error (task, g_steal_pointer (&self->error));
    }
  else
    {
      _fraise_pipeline_set_state (self, FRAISE_PIPELINE_STATE_COMPLETED);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

/* Finishes the elements in order; returns when one defers (its resume
 * comes back here) or when the run is over. */
static void
finish_elements (FraisePipeline *self)
{
  self->finishing = TRUE;
  while (self->finish_next < n_all (self))
    {
      FraiseElement *element = element_at (self, self->finish_next);
      GError *error = NULL;
      gboolean deferred = FALSE;

      self->finish_next++;
      if (!_fraise_element_finish (element, &deferred, &error))
        {
          g_prefix_error (&error, "%s: ", fraise_element_get_name (element));
          record_failure (self, error);
          reset_all (self, self->finish_next);
          end_run (self);
          return;
        }
      if (self->failed)
        {
          reset_all (self, self->finish_next);
          end_run (self);
          return;
        }
      if (deferred)
        return;
    }
  end_run (self);
}

/* After the source ended: reset and fail, or finish when nothing is pending. */
static void
maybe_complete (FraisePipeline *self)
{
  if (!self->source_done || self->task == NULL || self->completing)
    return;
  if (self->cancelled || self->failed)
    {
      self->completing = TRUE;
      reset_all (self, 0);
      end_run (self);
      return;
    }
  if (self->n_pending > 0)
    return;
  if (!self->finishing)
    finish_elements (self);
}

static void
source_ended (FraisePipeline *self)
{
  self->source_done = TRUE;
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  _fraise_pipeline_notify_rows (self);
  maybe_complete (self);
}

/* Stops reading rows: the query is cancelled and drained; the run ends
 * once the stream reports its end. */
static void
stop_source (FraisePipeline *self)
{
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  if (self->stream != NULL && !self->source_done)
    {
      fraise_stream_cancel (self->stream);
      pull (self);
    }
  else if (self->task != NULL && self->stream == NULL && self->fixed_rows == NULL &&
           !self->source_done)
    ; /* the query is being executed: on_executed sees the flags */
  else
    source_ended (self);
}

static void
begin_stop (FraisePipeline *self)
{
  if (self->stopping || self->failed || self->cancelled)
    return;
  self->stopping = TRUE;
  _fraise_pipeline_set_state (self, FRAISE_PIPELINE_STATE_STOPPING);
  stop_source (self);
}

static void
fail_run (FraisePipeline *self)
{
  stop_source (self);
}

static void
on_batch (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FraisePipeline) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *batch;

  self->pulling = FALSE;
  batch = fraise_stream_next_batch_finish (FRAISE_STREAM (object), result, &error);
  if (self->task == NULL)
    {
      g_clear_pointer (&batch, g_ptr_array_unref);
      return;
    }
  if (batch == NULL)
    {
      gboolean ours = (self->stopping || self->cancelled || self->failed) &&
                      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (!ours && !self->cancelled)
        {
          FraiseElement *source = g_ptr_array_index (self->elements, 0);

          g_prefix_error (&error, "%s: ", fraise_element_get_name (source));
          record_failure (self, g_steal_pointer (&error));
        }
      source_ended (self);
      return;
    }
  if (batch->len == 0)
    {
      g_ptr_array_unref (batch);
      source_ended (self);
      return;
    }
  if (self->stopping || self->cancelled || self->failed)
    {
      g_ptr_array_unref (batch); /* rows of a query being cancelled */
      pull (self);
      return;
    }
  self->batch = batch;
  self->batch_pos = 0;
  run_batch (self);
}

static void
pull (FraisePipeline *self)
{
  if (self->pulling || self->source_done)
    return;
  if (self->stream == NULL)
    {
      if (self->fixed_rows != NULL)
        source_ended (self);
      return;
    }
  self->pulling = TRUE;
  fraise_stream_next_batch_async (self->stream, NULL, on_batch, g_object_ref (self));
}

/* Pushes the batch's rows down the chain until it is empty, an element is
 * pending, or the run is ending. */
static void
run_batch (FraisePipeline *self)
{
  FraiseElement *source = g_ptr_array_index (self->elements, 0);
  GPtrArray *batch = self->batch;
  guint64 before = self->rows_processed;

  g_ptr_array_ref (batch);
  while (self->batch == batch && self->batch_pos < batch->len && self->n_pending == 0)
    {
      FraiseRow *row = g_ptr_array_index (batch, self->batch_pos++);
      FraiseFlow flow;

      self->rows_processed++;
      /* Rows from a query leave the source; fixed rows enter the chain's head. */
      flow = self->fixed_rows == NULL ? fraise_element_push (source, row)
                                      : _fraise_element_process (source, row);
      if (G_LIKELY (flow == FRAISE_FLOW_OK))
        continue;
      if (flow == FRAISE_FLOW_STOP)
        begin_stop (self);
      else if (flow == FRAISE_FLOW_ERROR || self->failed)
        {
          if (!self->failed)
            record_failure (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                               _("%s: the chain failed without an error"),
                                                  fraise_element_get_name (source)));
          fail_run (self);
        }
      break; /* PENDING: resumed later */
    }
  g_ptr_array_unref (batch);

  if (self->rows_processed != before)
    _fraise_pipeline_notify_rows (self);
  if (self->task == NULL || self->batch != batch)
    return;
  /* A pending element may hold its row without a reference of its own (a
   * binding's wrapper of a borrowed row): the batch keeps the rows alive
   * until the element resumes, and continue_run() lets it go then. */
  if (self->batch_pos >= batch->len && self->n_pending == 0)
    {
      g_clear_pointer (&self->batch, g_ptr_array_unref);
      pull (self);
    }
}

static gboolean
continue_run (gpointer user_data)
{
  FraisePipeline *self = user_data;

  g_clear_pointer (&self->continue_idle, g_source_unref);
  if (self->task == NULL || self->n_pending > 0)
    return G_SOURCE_REMOVE;
  if (self->finishing)
    finish_elements (self);
  else if (self->source_done)
    maybe_complete (self);
  else if (self->batch != NULL && !(self->stopping || self->failed || self->cancelled))
    run_batch (self);
  else
    pull (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_continue (FraisePipeline *self)
{
  if (self->continue_idle != NULL || self->task == NULL)
    return;
  self->continue_idle = g_idle_source_new ();
  g_source_set_priority (self->continue_idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->continue_idle, continue_run, self, NULL);
  g_source_set_static_name (self->continue_idle, "[fraisewire] pipeline continue");
  g_source_attach (self->continue_idle, self->context);
}

void
_fraise_pipeline_element_resumed (FraisePipeline *pipeline,
                                  FraiseElement *element,
                                  FraiseFlow flow,
                                  GError *error)
{
  FraisePipeline *self = pipeline;

  if (self->task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (self->n_pending > 0)
    self->n_pending--;

  if (error != NULL || flow == FRAISE_FLOW_ERROR || flow > FRAISE_FLOW_PENDING)
    {
      if (error == NULL)
        error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                             _("resumed with an error flow but no error"));
      g_prefix_error (&error, "%s: ", fraise_element_get_name (element));
      if (!self->cancelled)
        record_failure (self, error);
      else
        g_error_free (error);
      if (!self->finishing)
        fail_run (self);
    }
  else if (flow == FRAISE_FLOW_STOP && !self->finishing)
    begin_stop (self);
  else if (flow == FRAISE_FLOW_PENDING)
    g_critical ("%s: fraise_element_resume() with FRAISE_FLOW_PENDING; resume with OK, STOP "
                "or ERROR",
                fraise_element_get_name (element));
  schedule_continue (self);
}

/* The query could not start (@error, transfer full): the run fails with
 * it, named by the source, unless the run's own cancellation caused it. */
static void
source_failed (FraisePipeline *self, GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->cancelled)
    {
      g_prefix_error (&error,
                      "%s: ", fraise_element_get_name (g_ptr_array_index (self->elements, 0)));
      record_failure (self, error);
    }
  else
    g_error_free (error);
  source_ended (self);
}

static void
on_executed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FraisePipeline) self = user_data;
  g_autoptr (GError) error = NULL;
  FraiseStream *stream = fraise_query_execute_finish (FRAISE_QUERY (object), result, &error);

  if (self->task == NULL)
    {
      g_clear_object (&stream);
      return;
    }
  if (stream == NULL)
    {
      source_failed (self, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&self->stream);
  self->stream = stream;
  if (self->stopping || self->cancelled || self->failed)
    {
      fraise_stream_cancel (stream);
      pull (self);
      return;
    }
  pull (self);
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  FraisePipeline *self = user_data;

  if (self->task == NULL || self->cancelled)
    return G_SOURCE_REMOVE;
  self->cancelled = TRUE;
  if (self->finishing || self->source_done)
    {
      /* Waiting on a pending element or a deferred finish: nothing to drain. */
      self->source_done = TRUE;
      self->finishing = FALSE;
      maybe_complete (self);
    }
  else
    stop_source (self);
  return G_SOURCE_REMOVE;
}

/* Starts every element in order; on failure resets those started. */
static gboolean
start_elements (FraisePipeline *self, GError **error)
{
  for (guint i = 0; i < n_all (self); i++)
    {
      FraiseElement *element = element_at (self, i);

      _fraise_element_clear_counters (element);
      if (!_fraise_element_start (element, error))
        {
          g_prefix_error (error, "%s: ", fraise_element_get_name (element));
          for (guint j = 0; j < i; j++)
            _fraise_element_reset (element_at (self, j));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
begin_run (FraisePipeline *self, gboolean need_source, GTask *task, GError **error)
{
  if (self->task != NULL)
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_BUSY,
                           _("the pipeline is already running; wait for its run to end"));
      return FALSE;
    }
  if (!_fraise_pipeline_check_chain (self, need_source, error))
    return FALSE;
  link_chain (self, self->elements);
  link_chain (self, self->dead_letter);

  self->rows_processed = 0;
  self->n_pending = 0;
  self->pulling = self->source_done = self->stopping = self->cancelled = FALSE;
  self->failed = self->finishing = self->completing = FALSE;
  self->finish_next = 0;
  g_clear_error (&self->error);
  g_clear_object (&self->stream);
  if (!start_elements (self, error))
    return FALSE;

  self->task = g_object_ref (task);
  self->context = g_task_get_context (task);
  _fraise_pipeline_set_state (self, FRAISE_PIPELINE_STATE_RUNNING);
  if (g_task_get_cancellable (task) != NULL)
    {
      self->cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
  return TRUE;
}

static void
on_probed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FraisePipeline) self = user_data;
  g_autoptr (FraiseQuery) query = g_steal_pointer (&self->probed_query);
  g_autoptr (GError) error = NULL;
  guint32 type = _fraise_pushdown_probe_finish (result, &error);

  if (self->task == NULL)
    return;
  if (error != NULL)
    {
      /* As the query itself would have failed. */
      source_failed (self, g_steal_pointer (&error));
      return;
    }
  if (self->stopping || self->cancelled || self->failed)
    {
      source_ended (self);
      return;
    }
  _fraise_pushdown_apply (self->elements, query, type == FRAISE_OID_JSONB, NULL);
  fraise_query_execute_async (query, g_task_get_cancellable (self->task), on_executed,
                              g_object_ref (self));
}

/**
 * fraise_pipeline_run_async:
 * @pipeline: a pipeline
 * @client: a connected client
 * @cancellable: (nullable): a #GCancellable: cancelling stops the query,
 *   resets every element (no `finish`) and fails the run with
 *   %G_IO_ERROR_CANCELLED
 * @callback: (scope async): called when the run has ended
 * @user_data: data for @callback
 *
 * Runs the pipeline: starts every element, executes the source's query on
 * @client, pushes each row down the chain, and finishes every element at
 * the end of data (or after a STOP). The run completes once the query has
 * ended on the connection, so @client is ready for its next query.
 *
 * An element failing under `on-error=fail` fails the run with an error
 * naming the element and the row (`filter0: … (row 12)`).
 *
 * Since: 1.0
 */
void
fraise_pipeline_run_async (FraisePipeline *pipeline,
                           FraiseClient *client,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseQuery) query = NULL;
  FraiseElement *source;

  g_return_if_fail (FRAISE_IS_PIPELINE (pipeline));
  g_return_if_fail (FRAISE_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (pipeline, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_pipeline_run_async);
  if (!begin_run (pipeline, TRUE, task, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  source = g_ptr_array_index (pipeline->elements, 0);
  query = _fraise_query_source_build (FRAISE_QUERY_SOURCE (source), client, &error);
  if (query == NULL)
    {
      g_prefix_error (&error, "%s: ", fraise_element_get_name (source));
      record_failure (pipeline, g_steal_pointer (&error));
      source_ended (pipeline);
      return;
    }
  if (_fraise_pushdown_needs_type (pipeline->elements))
    {
      /* The query waits for the type of its data column. */
      g_set_object (&pipeline->probed_query, query);
      _fraise_pushdown_probe_async (client, fraise_query_get_source (query), cancellable, on_probed,
                                    g_object_ref (pipeline));
      return;
    }
  _fraise_pushdown_apply (pipeline->elements, query, FALSE, NULL);
  fraise_query_execute_async (query, cancellable, on_executed, g_object_ref (pipeline));
}

/* Runs the chain (no source) on @rows instead of a query: the unit tests of
 * elements use it, with no server. */
void
_fraise_pipeline_run_rows_async (FraisePipeline *pipeline,
                                 GPtrArray *rows,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (pipeline, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, fraise_pipeline_run_async);
  if (!begin_run (pipeline, FALSE, task, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pipeline->fixed_rows = g_ptr_array_ref (rows);
  pipeline->batch = g_ptr_array_ref (rows);
  pipeline->batch_pos = 0;
  schedule_continue (pipeline);
}

/**
 * fraise_pipeline_run_finish:
 * @pipeline: a pipeline
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Ends a run started with [method@Fraise.Pipeline.run_async].
 *
 * Returns: %TRUE when the run completed (also after a STOP), %FALSE with
 *   @error when it failed or was cancelled
 *
 * Since: 1.0
 */
gboolean
fraise_pipeline_run_finish (FraisePipeline *pipeline, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, pipeline), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_waited (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
_fraise_pipeline_wait (FraisePipeline *self,
                       FraiseClient *client,
                       FraisePipelineStart start,
                       GCancellable *cancellable)
{
  GMainContext *context = _fraise_client_get_context (client);
  GAsyncResult *result = NULL;

  g_main_context_push_thread_default (context);
  start (self, client, cancellable, on_waited, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  return result;
}

/**
 * fraise_pipeline_run_sync:
 * @pipeline: a pipeline
 * @client: a connected client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the pipeline and waits for the end, iterating the client's main
 * context (so do not call it from a handler of the pipeline's own
 * elements).
 *
 * Returns: %TRUE when the run completed
 *
 * Since: 1.0
 */
gboolean
fraise_pipeline_run_sync (FraisePipeline *pipeline,
                          FraiseClient *client,
                          GCancellable *cancellable,
                          GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), FALSE);
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);

  result = _fraise_pipeline_wait (pipeline, client, fraise_pipeline_run_async, cancellable);
  return fraise_pipeline_run_finish (pipeline, result, error);
}

/**
 * fraise_pipeline_stop:
 * @pipeline: a pipeline
 *
 * Ends the run as a STOP does (GStreamer's EOS): the query is cancelled
 * and drained, no more rows enter the chain, and every element still gets
 * `finish`, so sinks write out what they hold; the run then completes
 * successfully. Does nothing when the pipeline is not running.
 *
 * Since: 1.0
 */
void
fraise_pipeline_stop (FraisePipeline *pipeline)
{
  g_return_if_fail (FRAISE_IS_PIPELINE (pipeline));

  if (pipeline->task == NULL || pipeline->finishing)
    return;
  if (pipeline->source_done)
    return;
  begin_stop (pipeline);
  /* A pending element still holds its row: the finish waits for its resume. */
}
