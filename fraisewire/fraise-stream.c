/* fraise-stream.c: the rows of one query, with backpressure
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-client-private.h"
#include "fraise-stream-private.h"

#include <string.h>

/**
 * FraiseStream:
 *
 * The rows of one query, in order, with bounded memory.
 *
 * Rows can be pulled ([method@Fraise.Stream.next_sync],
 * [method@Fraise.Stream.next_async], [method@Fraise.Stream.next_batch_async])
 * or pushed: after [method@Fraise.Stream.start] the stream emits
 * [signal@Fraise.Stream::rows] once per batch, [signal@Fraise.Stream::row]
 * per row when a handler is connected, and
 * [signal@Fraise.Stream::finished] exactly once at the end.
 *
 * Both share one bounded buffer: the socket is read only while the buffer
 * holds fewer than twice `chunk-size` rows and less than `max-memory`
 * bytes, and while the stream is not paused. Beyond that the kernel buffers
 * fill, TCP flow control stops the server, and memory stays bounded; no row
 * is ever dropped.
 *
 * [method@Fraise.Stream.cancel], or dropping the last reference of an
 * unfinished stream, cancels the query on the server and drains the
 * connection so the client can run the next query.
 *
 * Since: 1.0
 */

enum {
  PROP_0,
  PROP_STATE,
  PROP_PAUSE_TIMEOUT,
  PROP_PAUSE_TIMEOUT_ACTION,
  PROP_CHUNK_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ROWS,
  SIGNAL_ROW,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FraiseStream, fraise_stream, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (FraiseStreamStats,
                     fraise_stream_stats,
                     fraise_stream_stats_copy,
                     fraise_stream_stats_free)

static void deliver (FraiseStream *self);
static void maybe_finish (FraiseStream *self);

/* Takes up to chunk-size buffered rows, counting them as delivered. */
GPtrArray *
_fraise_stream_take_batch (FraiseStream *self)
{
  GPtrArray *batch = _fraise_row_buffer_take (&self->buffer, self->chunk_size);

  self->stats.rows_delivered += batch->len;
  return batch;
}

/* ---- object ---------------------------------------------------------------- */

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
drop_buffered_rows (FraiseStream *self)
{
  _fraise_row_buffer_clear (&self->buffer);
}

static void
fraise_stream_dispose (GObject *object)
{
  FraiseStream *self = FRAISE_STREAM (object);

  if (self->connection != NULL && !self->server_done)
    fraise_connection_abandon_query (self->connection, self, FRAISE_CANCEL_TIMEOUT_MS);
  self->server_done = TRUE;
  destroy_source (&self->pause_timer);
  destroy_source (&self->query_timer);
  destroy_source (&self->deliver_idle);
  destroy_source (&self->next_cancel_source);
  destroy_source (&self->execute_cancel_source);
  drop_buffered_rows (self);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (fraise_stream_parent_class)->dispose (object);
}

static void
fraise_stream_finalize (GObject *object)
{
  FraiseStream *self = FRAISE_STREAM (object);

  _fraise_row_buffer_free (&self->buffer);
  g_clear_pointer (&self->plan, _fraise_plan_unref);
  g_clear_error (&self->pending_error);
  g_clear_error (&self->final_error);
  g_clear_pointer (&self->server_message, fraise_server_message_unref);
  g_free (self->pause_reason);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (fraise_stream_parent_class)->finalize (object);
}

static void
fraise_stream_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseStream *self = FRAISE_STREAM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PAUSE_TIMEOUT:
      g_value_set_uint (value, self->pause_timeout_ms);
      break;
    case PROP_PAUSE_TIMEOUT_ACTION:
      g_value_set_enum (value, self->pause_timeout_action);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint (value, self->chunk_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_stream_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FraiseStream *self = FRAISE_STREAM (object);

  switch (prop_id)
    {
    case PROP_PAUSE_TIMEOUT:
      fraise_stream_set_pause_timeout (self, g_value_get_uint (value));
      break;
    case PROP_PAUSE_TIMEOUT_ACTION:
      fraise_stream_set_pause_timeout_action (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_stream_class_init (FraiseStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fraise_stream_dispose;
  object_class->finalize = fraise_stream_finalize;
  object_class->get_property = fraise_stream_get_property;
  object_class->set_property = fraise_stream_set_property;

  /**
   * FraiseStream:state:
   *
   * Where the stream is in its life: running, paused, completed, failed or
   * cancelled.
   *
   * Since: 1.0
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FRAISE_TYPE_STREAM_STATE, FRAISE_STREAM_STATE_RUNNING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseStream:pause-timeout:
   *
   * Milliseconds a paused stream may stay paused (0: forever); then
   * `pause-timeout-action` applies.
   *
   * Since: 1.0
   */
  properties[PROP_PAUSE_TIMEOUT] =
    g_param_spec_uint ("pause-timeout", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseStream:pause-timeout-action:
   *
   * What happens when `pause-timeout` expires: fail the stream with
   * %FRAISE_ERROR_TIMEOUT (the default) or resume it.
   *
   * Since: 1.0
   */
  properties[PROP_PAUSE_TIMEOUT_ACTION] = g_param_spec_enum (
    "pause-timeout-action", NULL, NULL, FRAISE_TYPE_PAUSE_TIMEOUT_ACTION, FRAISE_PAUSE_TIMEOUT_FAIL,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseStream:chunk-size:
   *
   * The current batch size (it changes with adaptive chunking).
   *
   * Since: 1.0
   */
  properties[PROP_CHUNK_SIZE] =
    g_param_spec_uint ("chunk-size", NULL, NULL, 1, G_MAXUINT, 256,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FraiseStream::rows:
   * @stream: the stream
   * @rows: (element-type Fraise.Row) (transfer none): the batch, at most
   *   `chunk-size` rows
   *
   * Emitted once per batch after [method@Fraise.Stream.start]. Batches are
   * delivered as soon as the socket has no more complete rows, so the first
   * row never waits for a chunk to fill. Take references to keep rows.
   *
   * Where it is emitted: usually inside the connection's socket dispatch
   * (when a batch fills, or when the socket has no more complete rows), and
   * from the stream's idle source on the client's main context when rows
   * were left buffered (after a resume, or once reading had stopped at the
   * high-water mark). Either way on the client's main context.
   *
   * What a handler may do: keep rows (take references), pause, resume or
   * cancel the stream, drop its reference to the stream, start work
   * elsewhere. It must not block on this stream or its client (no `_sync`
   * call on them, no nested main loop waiting for this stream's rows): the
   * dispatch that emitted the signal cannot read more until the handler
   * returns. To do slow work, pause the stream and resume it later.
   *
   * Since: 1.0
   */
  signals[SIGNAL_ROWS] = g_signal_new ("rows", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  /**
   * FraiseStream::row:
   * @stream: the stream
   * @row: (transfer none): one row
   *
   * Emitted for each row after [method@Fraise.Stream.start], only when a
   * handler is connected (per-row signals cost more than batches), just
   * before the [signal@Fraise.Stream::rows] signal of the row's batch, from
   * the same place and with the same rules for its handler.
   *
   * Since: 1.0
   */
  signals[SIGNAL_ROW] = g_signal_new ("row", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                      NULL, NULL, G_TYPE_NONE, 1, FRAISE_TYPE_ROW);

  /**
   * FraiseStream::finished:
   * @stream: the stream
   * @error: (nullable): why the stream failed, %G_IO_ERROR_CANCELLED if it
   *   was cancelled, or %NULL when every row was delivered
   *
   * Emitted exactly once, after the last row, always from the stream's idle
   * source on the client's main context (never inside the socket dispatch).
   * The client is idle again by then (unless the connection was lost): the
   * handler may execute the next query, including with blocking calls.
   *
   * Since: 1.0
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
fraise_stream_init (FraiseStream *self)
{
  self->state = FRAISE_STREAM_STATE_RUNNING;
  self->reading = TRUE;
  self->stats.time_to_first_row_us = -1;
}

static void
set_state (FraiseStream *self, FraiseStreamState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- reading control ------------------------------------------------------- */

void
_fraise_stream_set_reading (FraiseStream *self, gboolean reading)
{
  if (self->reading == reading || self->server_done || self->connection == NULL)
    return;
  self->reading = reading;
  if (!reading)
    self->stats.pauses++;
  fraise_connection_set_reading (self->connection, reading);
}

/* What the stream holds: its buffered rows and the connection's read buffer. */
static guint64
memory_in_use (FraiseStream *self)
{
  return self->buffer.bytes + fraise_connection_get_read_buffer_size (self->connection);
}

static gboolean
above_high_water (FraiseStream *self)
{
  return self->buffer.len >= self->high_rows || memory_in_use (self) >= self->plan->max_memory;
}

static void
set_chunk_size (FraiseStream *self, guint chunk_size)
{
  if (self->chunk_size == chunk_size)
    return;
  self->chunk_size = chunk_size;
  self->high_rows = MAX (2, chunk_size * 2);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHUNK_SIZE]);
}

/* ×1.5 when the consumer emptied the buffer, ÷1.5 when it stays above 80 %. */
void
_fraise_stream_adapt_chunk_size (FraiseStream *self)
{
  guint size = self->chunk_size;

  if (!self->plan->adaptive_chunking)
    return;
  if (self->buffer.len == 0 && !self->server_done)
    size = MIN (ADAPTIVE_MAX, size + MAX (1, size / 2));
  else if (self->buffer.len * 5 > self->high_rows * 4)
    size = MAX (ADAPTIVE_MIN, size * 2 / 3);
  set_chunk_size (self, size);
}

/* ---- ending ---------------------------------------------------------------- */

/* Stops the query: the server cancels it, and the stream ends with @error
 * (or as cancelled when @error is NULL) once the connection is back to
 * ReadyForQuery. The rows already buffered are delivered first when
 * @keep_rows is set, dropped otherwise. */
static void
stop_query (FraiseStream *self, GError *error, gboolean keep_rows)
{
  if (self->finished || self->aborting)
    {
      g_clear_error (&error);
      return;
    }
  self->aborting = TRUE;
  if (error == NULL)
    self->cancelled = TRUE;
  else if (self->pending_error == NULL)
    self->pending_error = g_steal_pointer (&error);
  g_clear_error (&error);
  if (!keep_rows)
    drop_buffered_rows (self);
  destroy_source (&self->pause_timer);
  self->paused = FALSE;

  if (!self->server_done && self->connection != NULL)
    {
      if (fraise_connection_dequeue_query (self->connection, self))
        self->server_done = TRUE; /* it was waiting for a drain: never sent */
      else
        fraise_connection_cancel_query (self->connection, FRAISE_CANCEL_TIMEOUT_MS);
      self->reading = TRUE;
    }
  _fraise_stream_schedule_delivery (self);
}

static void
abort_stream (FraiseStream *self, GError *error)
{
  stop_query (self, error, FALSE);
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("the stream was cancelled"));
}

static void
complete_execute (FraiseStream *self)
{
  GTask *task = g_steal_pointer (&self->execute_task);

  if (task == NULL)
    return;
  destroy_source (&self->execute_cancel_source);
  if (self->cancelled)
    g_task_return_error (task, cancelled_error ());
  else if (self->pending_error != NULL && !self->described)
    g_task_return_error (task, g_error_copy (self->pending_error));
  else
    g_task_return_pointer (task, g_object_ref (self), g_object_unref);
  g_object_unref (task);
}

void
_fraise_stream_complete_next_task (FraiseStream *self)
{
  GTask *task = g_steal_pointer (&self->next_task);

  destroy_source (&self->next_cancel_source);
  if (task == NULL)
    return;

  if (self->buffer.len > 0)
    {
      if (self->next_is_batch)
        {
          GPtrArray *batch = _fraise_stream_take_batch (self);

          _fraise_stream_adapt_chunk_size (self);
          g_task_return_pointer (task, batch, (GDestroyNotify) g_ptr_array_unref);
        }
      else
        {
          FraiseRow *row = _fraise_row_buffer_pop (&self->buffer);

          self->stats.rows_delivered++;
          g_task_return_pointer (task, row, (GDestroyNotify) fraise_row_unref);
        }
    }
  else if (self->final_error != NULL)
    g_task_return_error (task, g_error_copy (self->final_error));
  else if (self->next_is_batch)
    g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_pointer (task, NULL, NULL);
  g_object_unref (task);
}

static void
maybe_finish (FraiseStream *self)
{
  if (self->finished || !self->server_done || self->buffer.len > 0)
    return;

  self->finished = TRUE;
  destroy_source (&self->pause_timer);
  destroy_source (&self->query_timer);
  self->stats.elapsed_us = g_get_monotonic_time () - self->start_time;

  if (self->cancelled)
    self->final_error = cancelled_error ();
  else
    self->final_error = g_steal_pointer (&self->pending_error);

  FRAISE_NOTE (STREAM, "stream finished: %" G_GUINT64_FORMAT " rows received, %s",
               self->stats.rows_received, self->final_error ? self->final_error->message : "ok");

  g_object_ref (self);
  complete_execute (self);
  set_state (self, self->cancelled     ? FRAISE_STREAM_STATE_CANCELLED
                   : self->final_error ? FRAISE_STREAM_STATE_FAILED
                                       : FRAISE_STREAM_STATE_COMPLETED);
  _fraise_stream_complete_next_task (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->final_error);
  g_object_unref (self);
}

/* ---- delivery ------------------------------------------------------------------ */

static void
emit_batch (FraiseStream *self)
{
  g_autoptr(GPtrArray) batch = NULL;
  guint i;

  batch = _fraise_stream_take_batch (self);
  if (g_signal_has_handler_pending (self, signals[SIGNAL_ROW], 0, TRUE))
    for (i = 0; i < batch->len && !self->aborting; i++)
      g_signal_emit (self, signals[SIGNAL_ROW], 0, g_ptr_array_index (batch, i));
  if (!self->aborting)
    g_signal_emit (self, signals[SIGNAL_ROWS], 0, batch);
}

/* Runs from the stream's idle source (never inside the connection's socket
 * callback), so application callbacks may iterate the main context. */
static void
deliver (FraiseStream *self)
{
  g_object_ref (self);
  if (self->execute_task != NULL && (self->described || self->server_done))
    complete_execute (self);
  if (self->push_mode)
    {
      while (self->buffer.len > 0 && !self->paused && !self->aborting)
        emit_batch (self);
    }
  else if (self->next_task != NULL && self->buffer.len > 0)
    _fraise_stream_complete_next_task (self);

  _fraise_stream_maybe_resume_reading (self);
  maybe_finish (self);
  g_object_unref (self);
}

static gboolean
on_deliver_idle (gpointer user_data)
{
  FraiseStream *self = user_data;

  g_clear_pointer (&self->deliver_idle, g_source_unref);
  deliver (self);
  return G_SOURCE_REMOVE;
}

/* Delivers from the main loop rather than from inside an application call. */
void
_fraise_stream_schedule_delivery (FraiseStream *self)
{
  if (self->deliver_idle != NULL)
    return;
  self->deliver_idle = g_idle_source_new ();
  g_source_set_priority (self->deliver_idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->deliver_idle, on_deliver_idle, self, NULL);
  g_source_attach (self->deliver_idle, self->context);
}

/* ---- frames from the connection --------------------------------------------------- */

static void
stop_at_high_water (FraiseStream *self)
{
  if (!above_high_water (self))
    return;
  /* The connection stops dispatching and will not call drained(): a pending
   * next call or a push consumer is served from the main loop. */
  _fraise_stream_set_reading (self, FALSE);
  if (self->push_mode || self->next_task != NULL)
    _fraise_stream_schedule_delivery (self);
}

/* The first row goes to a pull consumer as soon as it is whole: the rows
 * behind it already in the socket are read once it was taken, not copied
 * out first (the time to the first row is what a waiting caller sees). */
static void
yield_first_row (FraiseStream *self)
{
  if (self->push_mode || self->yielded_first_row || self->buffer.len != 1 || !self->reading ||
      self->paused)
    return;
  /* The connection only: the stream's own reading state (and its pause
   * count) is the consumer's backpressure. */
  self->yielded_first_row = TRUE;
  self->yielding = TRUE;
  fraise_connection_set_reading (self->connection, FALSE);
  if (self->next_task != NULL || self->execute_task != NULL)
    _fraise_stream_schedule_delivery (self);
}

/* A row that would take the stream past max-memory waits in the read
 * buffer until the consumer made room; an empty buffer always takes one. */
static gboolean
defer_row (FraiseStream *self, const FraiseProtoFrame *frame, gsize len)
{
  if (self->buffer.len == 0 ||
      memory_in_use (self) + _fraise_row_estimate_allocated_size (len) <= self->plan->max_memory)
    return FALSE;
  fraise_connection_unread_frame (self->connection, frame);
  self->reading = FALSE;
  self->stats.pauses++;
  if (self->push_mode || self->next_task != NULL)
    _fraise_stream_schedule_delivery (self);
  return TRUE;
}

static void
on_data_row (FraiseStream *self, const FraiseProtoFrame *frame, const FraiseProtoField *field)
{
  GError *filter_error = NULL;
  FraiseRow *row;
  gsize len;

  if (self->aborting)
    return;
  len = field->len < 0 ? 4 : (gsize) field->len;
  if (defer_row (self, frame, len))
    return;

  row = _fraise_row_new ((const char *) field->value, len, field->len < 0, self->next_index++);
  if (self->plan->row_type != G_TYPE_NONE)
    _fraise_row_set_object_type (row, self->plan->row_type);
  self->stats.rows_received++;
  self->stats.bytes_received += len;
  if (self->stats.time_to_first_row_us < 0)
    self->stats.time_to_first_row_us = g_get_monotonic_time () - self->start_time;

  if (!_fraise_filter_accepts (self->plan->filter, row, &filter_error))
    {
      fraise_row_unref (row);
      if (filter_error != NULL)
        {
          /* A filter expression could not read the row: never a silent drop. */
          abort_stream (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_JSON,
                                           _("row %llu: %s"),
                                              (unsigned long long) (self->next_index - 1),
                                              filter_error->message));
          g_error_free (filter_error);
          return;
        }
      self->stats.rows_filtered++;
      return;
    }

  _fraise_row_buffer_push (&self->buffer, row);
  self->stats.peak_bytes_buffered = MAX (self->stats.peak_bytes_buffered, self->buffer.bytes);

  if (self->push_mode && !self->paused && self->buffer.len >= self->chunk_size)
    {
      /* The handlers may drop the application's last reference. */
      g_object_ref (self);
      emit_batch (self);
      stop_at_high_water (self);
      g_object_unref (self);
      return;
    }
  stop_at_high_water (self);
  yield_first_row (self);
}

static gboolean
is_cancellation (FraiseServerMessage *message)
{
  return g_strcmp0 (fraise_server_message_get_sqlstate (message), "57014") == 0;
}

/* Takes @message. */
static void
on_server_error (FraiseStream *self, FraiseServerMessage *message)
{
  g_autofree char *described = NULL;
  const char *advice;
  guint64 delivered;

  /* The error our own CancelRequest causes is the expected end of an
   * aborted stream, not news for the application. */
  if (self->aborting && is_cancellation (message))
    {
      fraise_server_message_unref (message);
      return;
    }
  g_clear_pointer (&self->server_message, fraise_server_message_unref);
  self->server_message = message;
  _fraise_client_set_last_server_message (self->client, message);
  if (self->aborting || self->pending_error != NULL)
    return;

  described = _fraise_server_message_describe (message);
  advice = _fraise_pooler_error_advice (message, NULL);
  if (advice != NULL)
    {
      char *with_advice = g_strdup_printf ("%s — %s", described, advice);

      g_free (described);
      described = with_advice;
    }
  delivered = self->stats.rows_received - self->stats.rows_filtered;
  if (self->stats.rows_received == 0)
    self->pending_error =
      _fraise_error_new_with_message (FRAISE_ERROR_SERVER, message, "%s", described);
  else
    self->pending_error =
      _fraise_error_new_with_message (FRAISE_ERROR_SERVER, message,
                                      _("%s — the stream ended after %llu rows "
                                                           "were delivered"),
                                         described, (unsigned long long) delivered);
}

/* Takes @error, set when the query never described a result. */
static void
on_ready_for_query (FraiseStream *self, GError *error)
{
  self->server_done = TRUE;
  self->reading = TRUE;
  if (self->pending_error == NULL && !self->cancelled)
    self->pending_error = g_steal_pointer (&error);
  g_clear_error (&error);
  _fraise_stream_schedule_delivery (self);
}

static void on_failed (gpointer user_data, const GError *error);

/* The row's header said it cannot fit in max-memory: refused before any of
 * it was buffered, and the query is cancelled and drained. The rows before
 * it are still delivered, then the error. */
static void
on_row_skipped (gpointer user_data, gsize len)
{
  FraiseStream *self = user_data;
  /* The DataRow body: a column count (2 bytes) and a length (4) before the text. */
  gsize text_len = len > 6 ? len - 6 : 0;

  if (self->aborting)
    return;
  g_object_ref (self);
  stop_query (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_MEMORY_LIMIT,
                                 _("row %llu is %lu bytes, more than max-memory "
                             "(%llu bytes) — raise max-memory"),
                                    (unsigned long long) self->next_index, (gulong) text_len,
                                    (unsigned long long) self->plan->max_memory),
                                 TRUE);
  g_object_unref (self);
}

static void
on_frame (gpointer user_data, const FraiseProtoFrame *frame)
{
  FraiseStream *self = user_data;
  FraiseServerMessage *message = NULL;
  FraiseProtoField field;
  GError *error = NULL;
  FraiseResultEvent event;

  event = fraise_result_feed (&self->result, frame, &field, &message, &error);
  /* The hot path takes no reference: on_data_row() holds one only around
   * the application callbacks it runs. */
  if (G_LIKELY (event == FRAISE_RESULT_ROW))
    {
      on_data_row (self, frame, &field);
      return;
    }

  g_object_ref (self);
  switch (event)
    {
    case FRAISE_RESULT_DESCRIBED:
      self->described = TRUE;
      /* The blocking caller's own callback only stores the result: it may
       * run inside the socket callback, which saves a main-loop iteration
       * before the first row. */
      if (self->execute_at_once)
        complete_execute (self);
      _fraise_stream_schedule_delivery (self);
      break;
    case FRAISE_RESULT_SERVER_ERROR:
      on_server_error (self, message);
      break;
    case FRAISE_RESULT_REFUSED:
      abort_stream (self, error);
      break;
    case FRAISE_RESULT_PROTOCOL:
      fraise_connection_fail (self->connection, error);
      /* A bad ReadyForQuery arrives after the connection detached the
       * query's sink: then closing it did not reach on_failed(). */
      if (!self->server_done)
        on_failed (self, error);
      g_error_free (error);
      break;
    case FRAISE_RESULT_READY:
      on_ready_for_query (self, error);
      break;
    case FRAISE_RESULT_ROW:
    case FRAISE_RESULT_NONE:
    default:
      break;
    }
  g_object_unref (self);
}

static void
on_failed (gpointer user_data, const GError *error)
{
  FraiseStream *self = user_data;

  g_object_ref (self);
  self->server_done = TRUE;
  if (self->pending_error == NULL && !self->cancelled)
    self->pending_error = g_error_copy (error);
  _fraise_stream_schedule_delivery (self);
  g_object_unref (self);
}

static void
on_drained (gpointer user_data)
{
  FraiseStream *self = user_data;

  if (self->buffer.len == 0 || self->paused)
    return;
  if (self->push_mode)
    {
      g_object_ref (self);
      while (self->buffer.len > 0 && !self->paused && !self->aborting)
        emit_batch (self);
      _fraise_stream_maybe_resume_reading (self);
      g_object_unref (self);
    }
  else if (self->next_task != NULL)
    _fraise_stream_schedule_delivery (self);
}

static const FraiseQuerySink stream_sink = {
  .frame = on_frame,
  .failed = on_failed,
  .drained = on_drained,
  .row_skipped = on_row_skipped,
};

/* The DataRow body a row of max-memory bytes of text makes. */
static gsize
row_limit (const FraisePlan *plan)
{
  return plan->max_memory > G_MAXSIZE - 6 ? G_MAXSIZE : (gsize) plan->max_memory + 6;
}

static gboolean
on_query_timeout (gpointer user_data)
{
  FraiseStream *self = user_data;
  guint timeout = self->plan->timeout_ms;

  g_clear_pointer (&self->query_timer, g_source_unref);
  abort_stream (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_TIMEOUT,
                                   _("the query did not finish within its timeout of %u ms; it "
                                     "was cancelled on the server"),
                                      timeout));
  return G_SOURCE_REMOVE;
}

static gboolean
on_execute_cancellable (GCancellable *cancellable, gpointer user_data)
{
  FraiseStream *self = user_data;

  g_clear_pointer (&self->execute_cancel_source, g_source_unref);
  if (self->execute_task != NULL)
    abort_stream (self, NULL);
  return G_SOURCE_REMOVE;
}

FraiseStream *
_fraise_stream_new (FraiseClient *client, FraisePlan *plan)
{
  FraiseStream *self = g_object_new (FRAISE_TYPE_STREAM, NULL);

  self->client = g_object_ref (client);
  self->context = g_main_context_ref (_fraise_client_get_context (client));
  self->plan = _fraise_plan_ref (plan);
  fraise_result_init (&self->result, plan->projected);
  self->chunk_size = plan->adaptive_chunking ? CLAMP (plan->chunk_size, ADAPTIVE_MIN, ADAPTIVE_MAX)
                                             : plan->chunk_size;
  self->high_rows = MAX (2, self->chunk_size * 2);
  return self;
}

guint32
_fraise_stream_get_data_type (FraiseStream *stream)
{
  return stream->described ? stream->result.type_oid : 0;
}

void
_fraise_stream_execute (FraiseStream *self, GTask *task)
{
  FraiseConnection *connection = _fraise_client_get_connection (self->client);
  GError *error = NULL;

  g_task_set_task_data (task, g_object_ref (self), g_object_unref);
  if (connection == NULL)
    {
      self->server_done = TRUE;
      g_task_return_new_error (task, FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                               _("the client is not connected: call fraise_client_connect_async() "
                                 "first"));
      g_object_unref (task);
      return;
    }

  /* Cancelled already: the query is never sent (a CancelRequest right behind
   * it could reach the server before the query starts, and miss it). */
  if (g_task_return_error_if_cancelled (task))
    {
      self->server_done = TRUE;
      g_object_unref (task);
      return;
    }

  self->connection = g_object_ref (connection);
  self->start_time = g_get_monotonic_time ();
  self->execute_task = task;
  if (!fraise_connection_start_query (connection, self->plan->sql, strlen (self->plan->sql),
                                      self->plan->max_row_size, row_limit (self->plan),
                                      &stream_sink, self, &error))
    {
      self->server_done = TRUE;
      self->execute_task = NULL;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (self->plan->timeout_ms > 0)
    {
      self->query_timer = g_timeout_source_new (self->plan->timeout_ms);
      g_source_set_callback (self->query_timer, on_query_timeout, self, NULL);
      g_source_attach (self->query_timer, self->context);
    }
  if (g_task_get_cancellable (task) != NULL)
    {
      self->execute_cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (self->execute_cancel_source, G_SOURCE_FUNC (on_execute_cancellable),
                             self, NULL);
      g_source_attach (self->execute_cancel_source, self->context);
    }
}

/* ---- pushing and flow control ----------------------------------------------------- */

/**
 * fraise_stream_start:
 * @stream: a stream
 *
 * Switches the stream to push mode: rows are emitted with the
 * [signal@Fraise.Stream::rows] and [signal@Fraise.Stream::row] signals on
 * the client's main context, then [signal@Fraise.Stream::finished].
 *
 * Since: 1.0
 */
void
fraise_stream_start (FraiseStream *stream)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));

  stream->push_mode = TRUE;
  _fraise_stream_schedule_delivery (stream);
}

static gboolean
on_pause_timeout (gpointer user_data)
{
  FraiseStream *self = user_data;

  g_clear_pointer (&self->pause_timer, g_source_unref);
  if (self->pause_timeout_action == FRAISE_PAUSE_TIMEOUT_RESUME)
    fraise_stream_resume (self);
  else
    abort_stream (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_TIMEOUT,
                                     _("the stream stayed paused longer than its pause-timeout "
                                       "of %u ms%s%s"),
                                        self->pause_timeout_ms,
                                        self->pause_reason
                                        ? _("; pause reason: ") : "",
                                             self->pause_reason ? self->pause_reason : ""));
  return G_SOURCE_REMOVE;
}

/**
 * fraise_stream_pause:
 * @stream: a stream
 * @reason: (nullable): why, for logs and [method@Fraise.Stream.get_pause_reason]
 *
 * Stops delivering rows and stops reading the socket, so the server is held
 * back by TCP flow control. Idempotent; does nothing on an ended stream.
 *
 * Since: 1.0
 */
void
fraise_stream_pause (FraiseStream *stream, const char *reason)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));

  if (stream->finished || stream->aborting)
    return;
  _fraise_set_str (&stream->pause_reason, reason);
  if (stream->paused)
    return;
  FRAISE_NOTE (STREAM, "pausing stream%s%s", reason ? ": " : "", reason ? reason : "");
  stream->paused = TRUE;
  _fraise_stream_set_reading (stream, FALSE);
  if (stream->pause_timeout_ms > 0)
    {
      stream->pause_timer = g_timeout_source_new (stream->pause_timeout_ms);
      g_source_set_callback (stream->pause_timer, on_pause_timeout, stream, NULL);
      g_source_attach (stream->pause_timer, stream->context);
    }
  set_state (stream, FRAISE_STREAM_STATE_PAUSED);
}

/**
 * fraise_stream_resume:
 * @stream: a stream
 *
 * Resumes a paused stream. Idempotent.
 *
 * Since: 1.0
 */
void
fraise_stream_resume (FraiseStream *stream)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));

  if (!stream->paused)
    return;
  stream->paused = FALSE;
  destroy_source (&stream->pause_timer);
  set_state (stream, FRAISE_STREAM_STATE_RUNNING);
  _fraise_stream_maybe_resume_reading (stream);
  _fraise_stream_schedule_delivery (stream);
}

/**
 * fraise_stream_cancel:
 * @stream: a stream
 *
 * Stops the query: buffered rows are dropped, a CancelRequest goes to the
 * server on a side connection, and the connection is drained to
 * ReadyForQuery (or closed if that takes more than 2 seconds). The stream
 * then finishes with %G_IO_ERROR_CANCELLED and the client can run the next
 * query. Does nothing on an ended stream.
 *
 * Since: 1.0
 */
void
fraise_stream_cancel (FraiseStream *stream)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));

  abort_stream (stream, NULL);
}

/**
 * fraise_stream_set_pause_timeout:
 * @stream: a stream
 * @milliseconds: how long a pause may last, 0 for ever
 *
 * Sets the `pause-timeout` property; it applies to later pauses.
 *
 * Since: 1.0
 */
void
fraise_stream_set_pause_timeout (FraiseStream *stream, guint milliseconds)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));

  if (stream->pause_timeout_ms == milliseconds)
    return;
  stream->pause_timeout_ms = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (stream), properties[PROP_PAUSE_TIMEOUT]);
}

/**
 * fraise_stream_set_pause_timeout_action:
 * @stream: a stream
 * @action: fail or resume
 *
 * Sets the `pause-timeout-action` property.
 *
 * Since: 1.0
 */
void
fraise_stream_set_pause_timeout_action (FraiseStream *stream, FraisePauseTimeoutAction action)
{
  g_return_if_fail (FRAISE_IS_STREAM (stream));

  if (stream->pause_timeout_action == action)
    return;
  stream->pause_timeout_action = action;
  g_object_notify_by_pspec (G_OBJECT (stream), properties[PROP_PAUSE_TIMEOUT_ACTION]);
}
