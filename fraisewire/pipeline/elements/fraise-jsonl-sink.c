/* fraise-jsonl-sink.c: `jsonl-sink`, which writes rows as JSON Lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two buffers of whole lines: rows are appended to one while the other is
 * being written with g_output_stream_write_all_async(). A write starts when
 * a buffer holds JSONL_BUFFER_SIZE bytes, or JSONL_FLUSH_DELAY_MS after the
 * first line of a buffer that is not full (so lines of a slow query show up
 * as they arrive, and a fast one costs one write per full buffer: a write
 * to a file that cannot be polled is a round trip to GIO's thread pool).
 * When the buffer is full and the
 * other one is still being written, `process` keeps the row and returns
 * PENDING: the pipeline stops, the stream stops reading the socket, and a
 * reader that does not read holds the server, with two buffers in memory.
 *
 * Never a partial line: buffers only ever hold whole lines, and a write in
 * flight is never cancelled (cancelling write_all between two partial
 * writes would cut a line). `reset` drops the lines not yet written and
 * lets the write in flight complete, then closes the file without telling
 * the pipeline; the file always ends at the end of a line.
 *
 * Pipes and sockets are written without blocking the main loop: the file
 * is opened O_NONBLOCK (GUnixOutputStream then polls), and standard output
 * that is a pipe is reopened through /proc/self/fd/1 for an open file
 * description of our own, or else made non-blocking until the sink closes
 * it. Regular files are not pollable: GIO writes them from its thread pool.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-elements-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#define JSONL_BUFFER_SIZE (64 * 1024)
#define JSONL_FLUSH_DELAY_MS 10

#define FRAISE_TYPE_JSONL_SINK (fraise_jsonl_sink_get_type ())
G_DECLARE_FINAL_TYPE (FraiseJsonlSink, fraise_jsonl_sink, FRAISE, JSONL_SINK, FraiseElement)

/* The output of one run. It outlives the sink's interest in it when a
 * write or the close is still in flight after a reset. */
typedef struct {
  FraiseJsonlSink *sink; /* NULL once the sink let go */
  GMainContext *context; /* the run's: where GIO completes */
  GOutputStream *stream;
  char *display;      /* the path, or "standard output", for messages */
  GByteArray *fill;   /* whole lines waiting to be written */
  GByteArray *flight; /* whole lines being written */
  gboolean busy;      /* a write or the close is in flight */
  int restore_fd;     /* a descriptor made non-blocking here, or -1 */
  int restore_flags;
  GError *error; /* a failed write, reported by the next row or finish */
} Output;

struct _FraiseJsonlSink {
  FraiseElement parent_instance;

  char *location;
  gboolean append;

  Output *output;
  GSource *flush_timer;
  gboolean waiting;   /* returned PENDING: resume once a buffer is free */
  gboolean finishing; /* deferred its finish: resume once all is written */
};

G_DEFINE_FINAL_TYPE (FraiseJsonlSink, fraise_jsonl_sink, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_APPEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void output_close (Output *output);

/* ---- the output --------------------------------------------------------------- */

static void
output_free (Output *output)
{
  if (output->restore_fd >= 0)
    fcntl (output->restore_fd, F_SETFL, output->restore_flags);
  g_clear_object (&output->stream);
  g_main_context_unref (output->context);
  g_free (output->display);
  g_byte_array_unref (output->fill);
  g_byte_array_unref (output->flight);
  g_clear_error (&output->error);
  g_free (output);
}

static Output *
output_new (const char *display)
{
  Output *output = g_new0 (Output, 1);

  output->display = g_strdup (display);
  output->fill = g_byte_array_sized_new (JSONL_BUFFER_SIZE + 4096);
  output->flight = g_byte_array_sized_new (JSONL_BUFFER_SIZE + 4096);
  output->restore_fd = -1;
  output->context = g_main_context_ref_thread_default ();
  return output;
}

static gboolean
open_failed (const char *display, int saved_errno, GError **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("could not open %s: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
open_file (Output *output, const char *location, gboolean append, GError **error)
{
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  int fd;

  flags |= append ? O_APPEND : O_TRUNC;
  fd = g_open (location, flags, 0666);
  if (fd < 0)
    return open_failed (output->display, errno, error);
  output->stream = g_unix_output_stream_new (fd, TRUE);
  return TRUE;
}

/* Standard output, written without blocking when it is a pipe or socket. */
static gboolean
open_stdout (Output *output, GError **error)
{
  struct stat st;
  int flags;

  if (fstat (STDOUT_FILENO, &st) < 0)
    return open_failed (output->display, errno, error);
  if (S_ISFIFO (st.st_mode))
    {
      /* A description of our own: its O_NONBLOCK is nobody else's business. */
      int fd = g_open ("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);

      if (fd >= 0)
        {
          output->stream = g_unix_output_stream_new (fd, TRUE);
          return TRUE;
        }
    }
  if ((S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)) &&
      (flags = fcntl (STDOUT_FILENO, F_GETFL)) >= 0 && (flags & O_NONBLOCK) == 0 &&
      fcntl (STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK) == 0)
    {
      output->restore_fd = STDOUT_FILENO;
      output->restore_flags = flags;
    }
  output->stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  return TRUE;
}

static void sink_written (FraiseJsonlSink *self);
static void schedule_flush (FraiseJsonlSink *self);
static void sink_closed (FraiseJsonlSink *self, GError *error);

static void
on_written (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Output *output = user_data;
  GError *error = NULL;

  output->busy = FALSE;
  g_byte_array_set_size (output->flight, 0);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_prefix_error (&error, _("could not write to %s: "), output->display);
      g_clear_error (&output->error);
      output->error = error;
    }
  if (output->sink == NULL)
    output_close (output);
  else
    sink_written (output->sink);
}

static void
on_closed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Output *output = user_data;
  FraiseJsonlSink *self = output->sink;
  GError *error = NULL;

  output->busy = FALSE;
  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    g_prefix_error (&error, _("could not close %s: "), output->display);
  if (self != NULL)
    {
      self->output = NULL;
      if (error == NULL && output->error != NULL)
        error = g_steal_pointer (&output->error);
    }
  output_free (output);
  if (self != NULL)
    sink_closed (self, error);
  else
    g_clear_error (&error);
}

/* GIO completes on the thread-default context of the call: the run's. */
static void
output_write (Output *output)
{
  GByteArray *lines = output->fill;

  output->fill = output->flight;
  output->flight = lines;
  output->busy = TRUE;
  g_main_context_push_thread_default (output->context);
  g_output_stream_write_all_async (output->stream, lines->data, lines->len, G_PRIORITY_DEFAULT,
                                   NULL, on_written, output);
  g_main_context_pop_thread_default (output->context);
}

static void
output_close (Output *output)
{
  output->busy = TRUE;
  g_main_context_push_thread_default (output->context);
  g_output_stream_close_async (output->stream, G_PRIORITY_DEFAULT, NULL, on_closed, output);
  g_main_context_pop_thread_default (output->context);
}

/* The sink no longer wants this output: lines not yet written are dropped,
 * the write in flight completes, then the file is closed. */
static void
output_release (Output *output)
{
  output->sink = NULL;
  g_byte_array_set_size (output->fill, 0);
  if (!output->busy)
    output_close (output);
}

/* ---- the sink -------------------------------------------------------------------- */

static void
cancel_flush (FraiseJsonlSink *self)
{
  if (self->flush_timer != NULL)
    {
      g_source_destroy (self->flush_timer);
      g_clear_pointer (&self->flush_timer, g_source_unref);
    }
}

static void
release_output (FraiseJsonlSink *self)
{
  cancel_flush (self);
  self->waiting = self->finishing = FALSE;
  if (self->output != NULL)
    output_release (g_steal_pointer (&self->output));
}

/* A write completed: write what came meanwhile, then resume the pipeline. */
static void
sink_written (FraiseJsonlSink *self)
{
  Output *output = self->output;

  if (output->error != NULL)
    {
      if (self->waiting || self->finishing)
        {
          GError *error = g_error_copy (output->error);

          gboolean finishing = self->finishing;

          self->waiting = self->finishing = FALSE;
          fraise_element_resume_with_error (FRAISE_ELEMENT (self), error);
          if (finishing)
            release_output (self); /* finished: no reset will come */
        }
      return;
    }
  if (output->fill->len >= JSONL_BUFFER_SIZE || (self->finishing && output->fill->len > 0))
    output_write (output);
  else if (output->fill->len > 0)
    schedule_flush (self);
  if (self->waiting)
    {
      self->waiting = FALSE;
      fraise_element_resume (FRAISE_ELEMENT (self), FRAISE_FLOW_OK);
    }
  else if (self->finishing && !output->busy)
    output_close (output);
}

static void
sink_closed (FraiseJsonlSink *self, GError *error)
{
  if (!self->finishing)
    {
      g_clear_error (&error);
      return;
    }
  self->finishing = FALSE;
  if (error != NULL)
    fraise_element_resume_with_error (FRAISE_ELEMENT (self), error);
  else
    fraise_element_resume (FRAISE_ELEMENT (self), FRAISE_FLOW_OK);
}

static gboolean
flush_timer_cb (gpointer user_data)
{
  FraiseJsonlSink *self = user_data;

  g_clear_pointer (&self->flush_timer, g_source_unref);
  if (self->output != NULL && !self->output->busy && self->output->fill->len > 0)
    output_write (self->output);
  return G_SOURCE_REMOVE;
}

/* Writes a buffer that is not full a little later. */
static void
schedule_flush (FraiseJsonlSink *self)
{
  if (self->flush_timer != NULL)
    return;
  self->flush_timer = g_timeout_source_new (JSONL_FLUSH_DELAY_MS);
  g_source_set_callback (self->flush_timer, flush_timer_cb, self, NULL);
  g_source_set_static_name (self->flush_timer, "[fraisewire] jsonl-sink flush");
  g_source_attach (self->flush_timer, self->output->context);
}

static void
fraise_jsonl_sink_dispose (GObject *object)
{
  release_output (FRAISE_JSONL_SINK (object));

  G_OBJECT_CLASS (fraise_jsonl_sink_parent_class)->dispose (object);
}

static void
fraise_jsonl_sink_finalize (GObject *object)
{
  FraiseJsonlSink *self = FRAISE_JSONL_SINK (object);

  g_free (self->location);

  G_OBJECT_CLASS (fraise_jsonl_sink_parent_class)->finalize (object);
}

static void
fraise_jsonl_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseJsonlSink *self = FRAISE_JSONL_SINK (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_APPEND:
      g_value_set_boolean (value, self->append);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_jsonl_sink_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  FraiseJsonlSink *self = FRAISE_JSONL_SINK (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      if (_fraise_set_str (&self->location, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_APPEND:
      if (self->append != g_value_get_boolean (value))
        {
          self->append = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_jsonl_sink_start (FraiseElement *element, GError **error)
{
  FraiseJsonlSink *self = FRAISE_JSONL_SINK (element);
  g_autofree char *display = NULL;
  Output *output;
  gboolean ok;

  release_output (self); /* a previous run's output, if its end was missed */
  if (self->location != NULL)
    display = g_filename_display_name (self->location);
  output = output_new (display != NULL ? display : _("standard output"));
  ok = self->location != NULL ? open_file (output, self->location, self->append, error)
                              : open_stdout (output, error);
  if (!ok)
    {
      output_free (output);
      return FALSE;
    }
  output->sink = self;
  self->output = output;
  return TRUE;
}

static FraiseFlow
fraise_jsonl_sink_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseJsonlSink *self = FRAISE_JSONL_SINK (element);
  Output *output = self->output;
  const char *text;
  gsize len;

  if (G_UNLIKELY (output->error != NULL))
    {
      g_propagate_error (error, g_error_copy (output->error));
      return FRAISE_FLOW_ERROR;
    }
  text = fraise_row_get_text (row, &len);
  if (G_UNLIKELY (len == 0))
    g_byte_array_append (output->fill, (const guint8 *) "null\n", 5);
  else
    {
      g_byte_array_append (output->fill, (const guint8 *) text, (guint) len);
      g_byte_array_append (output->fill, (const guint8 *) "\n", 1);
    }
  if (output->fill->len < JSONL_BUFFER_SIZE)
    {
      if (!output->busy)
        schedule_flush (self);
      return FRAISE_FLOW_OK;
    }
  if (!output->busy)
    {
      output_write (output);
      return FRAISE_FLOW_OK;
    }
  self->waiting = TRUE;
  return FRAISE_FLOW_PENDING;
}

static gboolean
fraise_jsonl_sink_finish (FraiseElement *element, GError **error)
{
  FraiseJsonlSink *self = FRAISE_JSONL_SINK (element);
  Output *output = self->output;

  cancel_flush (self);
  if (output->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&output->error));
      release_output (self);
      return FALSE;
    }
  self->finishing = TRUE;
  fraise_element_defer (element);
  if (!output->busy)
    {
      if (output->fill->len > 0)
        output_write (output);
      else
        output_close (output);
    }
  return TRUE;
}

static void
fraise_jsonl_sink_reset (FraiseElement *element)
{
  release_output (FRAISE_JSONL_SINK (element));
}

static void
fraise_jsonl_sink_class_init (FraiseJsonlSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->dispose = fraise_jsonl_sink_dispose;
  object_class->finalize = fraise_jsonl_sink_finalize;
  object_class->get_property = fraise_jsonl_sink_get_property;
  object_class->set_property = fraise_jsonl_sink_set_property;
  element_class->start = fraise_jsonl_sink_start;
  element_class->process = fraise_jsonl_sink_process;
  element_class->finish = fraise_jsonl_sink_finish;
  element_class->reset = fraise_jsonl_sink_reset;

  /**
   * FraiseJsonlSink:location:
   *
   * The file to write, one row per line (its JSON text, then `\n`; an SQL
   * NULL row is `null`), or %NULL (the default) for standard output. The
   * file is created if needed and truncated unless
   * [property@Fraise.JsonlSink:append] is set; it may be a named pipe,
   * which must have a reader when the run starts. Opening it fails the
   * run's start with an error naming the path. A reader of a pipe that
   * goes away raises SIGPIPE, as for any writer; a program that ignores
   * SIGPIPE gets a failed run instead (%G_IO_ERROR_BROKEN_PIPE).
   *
   * Writes are asynchronous and buffered (64 KiB); while the reader is
   * slower than the query, the sink holds the pipeline (and the server)
   * instead of buffering more. The file only ever holds complete lines,
   * also after a cancellation or an error: the lines not yet written are
   * dropped, and a write in flight completes.
   *
   * A description from an untrusted user cannot set it
   * (%FRAISE_PARAM_SENSITIVE).
   *
   * Since: 1.0
   */
  properties[PROP_LOCATION] = g_param_spec_string (
    "location", "Location", "The file to write (standard output when unset)", NULL,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY | FRAISE_PARAM_SENSITIVE);

  /**
   * FraiseJsonlSink:append:
   *
   * Whether to add to the end of [property@Fraise.JsonlSink:location]
   * instead of truncating it.
   *
   * Since: 1.0
   */
  properties[PROP_APPEND] = g_param_spec_boolean (
    "append", "Append", "Whether to append to the file instead of truncating it", FALSE,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "JSON Lines sink", "Sink",
                                     "Writes each row as one line of JSON to a file or standard "
                                     "output, with backpressure");
}

static void
fraise_jsonl_sink_init (FraiseJsonlSink *self)
{
}
