/* fraise-jsonl-input-stream.c: a stream's rows as a GInputStream of JSON Lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-jsonl-input-stream-private.h"

#include <string.h>

/* A GInputStream of the stream's rows, one JSON text per line. Rows are
 * copied straight from the batch into the reader's buffer (never parsed). */
#define FRAISE_TYPE_ROW_INPUT_STREAM (fraise_row_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (
  FraiseRowInputStream, fraise_row_input_stream, FRAISE, ROW_INPUT_STREAM, GInputStream)

struct _FraiseRowInputStream {
  GInputStream parent_instance;

  FraiseStream *stream;
  GPtrArray *batch; /* rows not fully read yet */
  guint row_pos;    /* the current row in batch */
  gsize byte_pos;   /* bytes of the current row already read; its length means the newline */
  gboolean eof;
};

G_DEFINE_FINAL_TYPE (FraiseRowInputStream, fraise_row_input_stream, G_TYPE_INPUT_STREAM)

typedef struct {
  guint8 *buffer;
  gsize count;
} ReadRequest;

/* Copies buffered line bytes into @buffer; returns how many. */
static gsize
copy_lines (FraiseRowInputStream *self, guint8 *buffer, gsize count)
{
  gsize written = 0;

  while (written < count && self->batch != NULL && self->row_pos < self->batch->len)
    {
      gsize len;
      const char *text = fraise_row_get_text (g_ptr_array_index (self->batch, self->row_pos), &len);

      if (self->byte_pos < len)
        {
          gsize n = MIN (count - written, len - self->byte_pos);

          memcpy (buffer + written, text + self->byte_pos, n);
          written += n;
          self->byte_pos += n;
          continue;
        }
      buffer[written++] = '\n';
      self->row_pos++;
      self->byte_pos = 0;
    }
  if (self->batch != NULL && self->row_pos >= self->batch->len)
    g_clear_pointer (&self->batch, g_ptr_array_unref);
  return written;
}

/* Takes a batch from the stream: empty means the end. */
static void
set_batch (FraiseRowInputStream *self, GPtrArray *batch)
{
  if (batch->len == 0)
    {
      self->eof = TRUE;
      g_ptr_array_unref (batch);
      return;
    }
  self->batch = batch;
  self->row_pos = 0;
  self->byte_pos = 0;
}

static gssize
fraise_row_input_stream_read (
  GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
  FraiseRowInputStream *self = FRAISE_ROW_INPUT_STREAM (stream);
  GPtrArray *batch;
  gsize n = copy_lines (self, buffer, count);

  if (n > 0 || count == 0 || self->eof)
    return n;
  batch = fraise_stream_next_batch_sync (self->stream, cancellable, error);
  if (batch == NULL)
    return -1;
  set_batch (self, batch);
  return copy_lines (self, buffer, count);
}

static void
on_input_batch (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  FraiseRowInputStream *self = g_task_get_source_object (task);
  ReadRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  GPtrArray *batch = fraise_stream_next_batch_finish (FRAISE_STREAM (source), result, &error);

  if (batch == NULL)
    g_task_return_error (task, error);
  else
    {
      set_batch (self, batch);
      g_task_return_int (task, copy_lines (self, request->buffer, request->count));
    }
  g_object_unref (task);
}

static void
fraise_row_input_stream_read_async (GInputStream *stream,
                                    void *buffer,
                                    gsize count,
                                    int io_priority,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  FraiseRowInputStream *self = FRAISE_ROW_INPUT_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ReadRequest *request;
  gsize n;

  g_task_set_source_tag (task, fraise_row_input_stream_read_async);
  g_task_set_priority (task, io_priority);
  n = copy_lines (self, buffer, count);
  if (n > 0 || count == 0 || self->eof)
    {
      g_task_return_int (task, n);
      g_object_unref (task);
      return;
    }
  request = g_new (ReadRequest, 1);
  request->buffer = buffer;
  request->count = count;
  g_task_set_task_data (task, request, g_free);
  fraise_stream_next_batch_async (self->stream, cancellable, on_input_batch, task);
}

static gssize
fraise_row_input_stream_read_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* Closing before the end stops the query, as closing an HTTP body would. */
static gboolean
fraise_row_input_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  FraiseRowInputStream *self = FRAISE_ROW_INPUT_STREAM (stream);

  g_clear_pointer (&self->batch, g_ptr_array_unref);
  fraise_stream_cancel (self->stream); /* nothing once the stream ended */
  return TRUE;
}

/* Closing does no I/O: done at once rather than in GIO's worker thread. */
static void
fraise_row_input_stream_close_async (GInputStream *stream,
                                     int io_priority,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, fraise_row_input_stream_close_async);
  fraise_row_input_stream_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
fraise_row_input_stream_close_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fraise_row_input_stream_finalize (GObject *object)
{
  FraiseRowInputStream *self = FRAISE_ROW_INPUT_STREAM (object);

  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (fraise_row_input_stream_parent_class)->finalize (object);
}

static void
fraise_row_input_stream_class_init (FraiseRowInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = fraise_row_input_stream_finalize;
  input_class->read_fn = fraise_row_input_stream_read;
  input_class->read_async = fraise_row_input_stream_read_async;
  input_class->read_finish = fraise_row_input_stream_read_finish;
  input_class->close_fn = fraise_row_input_stream_close;
  input_class->close_async = fraise_row_input_stream_close_async;
  input_class->close_finish = fraise_row_input_stream_close_finish;
}

static void
fraise_row_input_stream_init (FraiseRowInputStream *self)
{
}

GInputStream *
_fraise_jsonl_input_stream_new (FraiseStream *stream)
{
  FraiseRowInputStream *input = g_object_new (FRAISE_TYPE_ROW_INPUT_STREAM, NULL);

  input->stream = g_object_ref (stream);
  return G_INPUT_STREAM (input);
}
