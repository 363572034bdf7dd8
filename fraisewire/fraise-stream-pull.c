/* fraise-stream-pull.c: rows pulled from a stream: next, next_batch, blocking or not
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-stream-private.h"

static FraiseRow *
pop_row (FraiseStream *self)
{
  FraiseRow *row = _fraise_row_buffer_pop (&self->buffer);

  self->stats.rows_delivered++;
  _fraise_stream_maybe_resume_reading (self);
  if (self->buffer.len == 0 && self->server_done)
    _fraise_stream_schedule_delivery (self);
  return row;
}

static gboolean
on_next_cancelled (GCancellable *cancellable, gpointer user_data)
{
  FraiseStream *self = user_data;
  GTask *task = g_steal_pointer (&self->next_task);

  g_clear_pointer (&self->next_cancel_source, g_source_unref);
  if (task != NULL)
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
start_next (FraiseStream *self,
            gboolean batch,
            GCancellable *cancellable,
            GAsyncReadyCallback callback,
            gpointer user_data,
            gpointer source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->next_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("another next call is already pending on this stream"));
      g_object_unref (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  self->next_task = task;
  self->next_is_batch = batch;
  if (cancellable != NULL)
    {
      self->next_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->next_cancel_source, G_SOURCE_FUNC (on_next_cancelled), self,
                             NULL);
      g_source_attach (self->next_cancel_source, self->context);
    }
  if (self->buffer.len > 0 || self->finished)
    {
      if (self->finished)
        _fraise_stream_complete_next_task (self);
      else
        _fraise_stream_schedule_delivery (self);
    }
  else
    _fraise_stream_maybe_resume_reading (self);
}

/**
 * fraise_stream_next_async:
 * @stream: a stream
 * @cancellable: (nullable): a #GCancellable; cancelling it fails this call
 *   only (use [method@Fraise.Stream.cancel] to stop the query)
 * @callback: (scope async): called with the next row
 * @user_data: data for @callback
 *
 * Asks for the next row. One call may be pending at a time. For high
 * throughput prefer [method@Fraise.Stream.next_batch_async].
 *
 * Since: 1.0
 */
void
fraise_stream_next_async (FraiseStream *stream,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));
  start_next (stream, FALSE, cancellable, callback, user_data, fraise_stream_next_async);
}

/**
 * fraise_stream_next_finish:
 * @stream: a stream
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Fraise.Stream.next_async].
 *
 * Returns: (transfer full) (nullable): the next row, or %NULL at the end of
 *   the stream or on error (then @error is set)
 *
 * Since: 1.0
 */
FraiseRow *
fraise_stream_next_finish (FraiseStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fraise_stream_next_batch_async:
 * @stream: a stream
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the next batch
 * @user_data: data for @callback
 *
 * Asks for the rows buffered now (at least one, at most `chunk-size`), as
 * soon as there is one.
 *
 * Since: 1.0
 */
void
fraise_stream_next_batch_async (FraiseStream *stream,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));
  start_next (stream, TRUE, cancellable, callback, user_data, fraise_stream_next_batch_async);
}

/**
 * fraise_stream_next_batch_finish:
 * @stream: a stream
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Fraise.Stream.next_batch_async].
 *
 * Returns: (transfer container) (element-type Fraise.Row): the rows;
 *   empty at the end of the stream, %NULL on error
 *
 * Since: 1.0
 */
GPtrArray *
fraise_stream_next_batch_finish (FraiseStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Iterates the stream's context until a row is buffered or the stream ended.
 * Returns FALSE with @error set on cancellation. */
static gboolean
wait_for_rows (FraiseStream *self, GCancellable *cancellable, GError **error)
{
  GSource *cancel_source = NULL;
  gboolean ok = TRUE;

  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (wake_up), NULL, NULL);
      g_source_attach (cancel_source, self->context);
    }
  g_main_context_push_thread_default (self->context);
  while (self->buffer.len == 0 && !self->finished)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      _fraise_stream_maybe_resume_reading (self);
      /* Read what the socket holds right away; iterate the main loop only
       * when it has nothing (or the rows must come through another source). */
      if (self->connection != NULL && !self->server_done &&
          fraise_connection_pump (self->connection) && self->buffer.len > 0)
        continue;
      g_main_context_iteration (self->context, TRUE);
    }
  g_main_context_pop_thread_default (self->context);
  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }
  return ok;
}

static gboolean
end_of_stream (FraiseStream *self, GError **error)
{
  if (self->final_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->final_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * fraise_stream_next_sync:
 * @stream: a stream
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Returns the next row, blocking while none is buffered (the client's main
 * context is iterated meanwhile, so call it from the thread that owns it).
 * When rows are buffered this costs no main loop iteration at all: it is
 * the fast path for C loops and scripts.
 *
 * Returns: (transfer full) (nullable): the next row, or %NULL at the end of
 *   the stream or on error (then @error is set)
 *
 * Since: 1.0
 */
FraiseRow *
fraise_stream_next_sync (FraiseStream *stream, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);

  if (stream->buffer.len == 0 && !wait_for_rows (stream, cancellable, error))
    return NULL;
  if (stream->buffer.len == 0)
    {
      end_of_stream (stream, error);
      return NULL;
    }
  return pop_row (stream);
}

/**
 * fraise_stream_next_batch_sync:
 * @stream: a stream
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Returns the rows buffered now (at least one, at most `chunk-size`),
 * blocking while none is buffered.
 *
 * Returns: (transfer container) (element-type Fraise.Row): the rows;
 *   empty at the end of the stream, %NULL on error
 *
 * Since: 1.0
 */
GPtrArray *
fraise_stream_next_batch_sync (FraiseStream *stream, GCancellable *cancellable, GError **error)
{
  GPtrArray *batch;

  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);

  if (stream->buffer.len == 0 && !wait_for_rows (stream, cancellable, error))
    return NULL;
  if (stream->buffer.len == 0 && !end_of_stream (stream, error))
    return NULL;
  batch = _fraise_stream_take_batch (stream);
  _fraise_stream_adapt_chunk_size (stream);
  _fraise_stream_maybe_resume_reading (stream);
  if (stream->buffer.len == 0 && stream->server_done)
    _fraise_stream_schedule_delivery (stream);
  return batch;
}
