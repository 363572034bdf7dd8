/* fraise-connection.c: the connection object, transport, frame dispatch, the query queue
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-connection-private.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* How many socket reads one wake-up may do before yielding to the main loop. */
#define READS_PER_WAKEUP 8

enum {
  SIGNAL_NOTICE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FraiseConnection, fraise_connection, G_TYPE_OBJECT)

static gboolean on_read_ready (FraiseConnection *self);
static void handle_frame (FraiseConnection *self, const FraiseProtoFrame *frame);

/* ---- lifetime ---------------------------------------------------------- */

static void
stop_cancel_timer (FraiseConnection *self)
{
  if (self->cancel_timer != NULL)
    {
      g_source_destroy (self->cancel_timer);
      g_clear_pointer (&self->cancel_timer, g_source_unref);
    }
}

/* Empties the output buffer, wiping it first when it held a password
 * message: whether it was written at once, later from the main loop, or
 * never (the connection closed first). */
static void
clear_output (FraiseConnection *self)
{
  if (self->outbuf_secret)
    fraise_secure_wipe (self->outbuf->data, self->outbuf->len);
  self->outbuf_secret = FALSE;
  g_byte_array_set_size (self->outbuf, 0);
  self->out_pos = 0;
}

void
fraise_connection_teardown (FraiseConnection *self)
{
  stop_cancel_timer (self);
  self->cancelling = FALSE;
  self->ready_time_set = FALSE;
  if (self->buffered_idle != NULL)
    {
      g_source_destroy (self->buffered_idle);
      g_clear_pointer (&self->buffered_idle, g_source_unref);
    }
  if (self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }
  if (self->write_source != NULL)
    {
      g_source_destroy (self->write_source);
      g_clear_pointer (&self->write_source, g_source_unref);
    }
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  if (self->socket_connection != NULL && (GIOStream *) self->socket_connection != self->stream)
    g_io_stream_close (G_IO_STREAM (self->socket_connection), NULL, NULL);
  self->input = NULL;
  self->output = NULL;
  self->raw_fd = -1;
  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
  clear_output (self);
  g_clear_pointer (&self->reader, fraise_proto_reader_free);
  g_clear_pointer (&self->authenticator, fraise_authenticator_free);
}

static void
fraise_connection_finalize (GObject *object)
{
  FraiseConnection *self = FRAISE_CONNECTION (object);

  fraise_connection_teardown (self);
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_source_unref (self->timeout_source);
    }
  g_clear_object (&self->attempt_cancellable);
  g_clear_pointer (&self->info, fraise_conninfo_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->outbuf, g_byte_array_unref);
  g_clear_pointer (&self->parameters, g_hash_table_unref);
  g_clear_pointer (&self->host_order, g_array_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  if (self->attempt_log != NULL)
    g_string_free (g_steal_pointer (&self->attempt_log), TRUE);
  g_clear_pointer (&self->queued_query, g_byte_array_unref);
  g_clear_error (&self->last_error);
  g_clear_object (&self->peer_address);
  g_free (self->peer_description);

  G_OBJECT_CLASS (fraise_connection_parent_class)->finalize (object);
}

static void
fraise_connection_class_init (FraiseConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fraise_connection_finalize;

  signals[SIGNAL_NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FRAISE_TYPE_SERVER_MESSAGE);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
fraise_connection_init (FraiseConnection *self)
{
  self->state = FRAISE_CONNECTION_STATE_NEW;
  self->outbuf = g_byte_array_sized_new (512);
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_ptr_array_new_with_free_func (g_free);
  self->attempt_log = g_string_new (NULL);
  self->auth_method = "trust";
  self->reading = TRUE;
  self->raw_fd = -1;
}

FraiseConnection *
fraise_connection_new (FraiseConninfo *info, GMainContext *context)
{
  FraiseConnection *self = g_object_new (FRAISE_TYPE_CONNECTION, NULL);

  self->info = info;
  self->context =
    context != NULL ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  return self;
}

/* ---- accessors --------------------------------------------------------- */

FraiseConnectionState
fraise_connection_get_state (FraiseConnection *self)
{
  return self->state;
}

GHashTable *
fraise_connection_get_parameters (FraiseConnection *self)
{
  return self->parameters;
}

const char *
fraise_connection_get_parameter (FraiseConnection *self, const char *name)
{
  return g_hash_table_lookup (self->parameters, name);
}

guint32
fraise_connection_get_backend_pid (FraiseConnection *self)
{
  return self->backend_pid;
}

const char *
fraise_connection_get_auth_method (FraiseConnection *self)
{
  return self->auth_method;
}

gboolean
fraise_connection_is_tls (FraiseConnection *self)
{
  return self->is_tls;
}

gboolean
fraise_connection_is_channel_bound (FraiseConnection *self)
{
  return self->channel_bound;
}

/* ---- closing and failing ------------------------------------------------ */

static void
close_with_error (FraiseConnection *self, const GError *error)
{
  const FraiseQuerySink *sink = self->sink;
  gpointer sink_data = self->sink_data;
  gboolean was_open =
    self->state == FRAISE_CONNECTION_STATE_IDLE || self->state == FRAISE_CONNECTION_STATE_QUERY;

  if (self->state == FRAISE_CONNECTION_STATE_CLOSED)
    return;

  FRAISE_NOTE (CONNECTION, "closing connection to %s: %s",
               self->peer_description ? self->peer_description : "(none)",
               error ? error->message : "requested");
  self->state = FRAISE_CONNECTION_STATE_CLOSED;
  self->sink = NULL;
  self->sink_data = NULL;
  if (sink == NULL && self->queued_sink != NULL)
    {
      sink = self->queued_sink;
      sink_data = self->queued_sink_data;
    }
  self->queued_sink = NULL;
  self->queued_sink_data = NULL;
  g_clear_pointer (&self->queued_query, g_byte_array_unref);
  fraise_connection_teardown (self);

  g_object_ref (self);
  if (sink != NULL && sink->failed != NULL)
    {
      g_autoptr(GError) closed = NULL;

      if (error == NULL)
        closed = g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                                      _("the connection was closed while a query was running"));
      sink->failed (sink_data, error != NULL ? error : closed);
    }
  if (was_open)
    g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
  g_object_unref (self);
}

void
fraise_connection_fail (FraiseConnection *self, const GError *error)
{
  if (self->state == FRAISE_CONNECTION_STATE_CONNECTING)
    {
      fraise_connection_attempt_failed (self, g_error_copy (error));
      return;
    }
  close_with_error (self, error);
}

/* Reports a broken transport in the right way for the current state. */
static void
transport_failed (FraiseConnection *self, GError *error)
{
  fraise_connection_fail (self, error);
  g_error_free (error);
}

static GError *
connection_lost_error (FraiseConnection *self, const GError *cause)
{
  if (cause == NULL)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_LOST,
                        _("server %s closed the connection unexpectedly — the server may have "
                          "been restarted, or the backend was terminated; check the server log"),
                           self->peer_description);
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_LOST,
                      _("lost the connection to %s: %s"), self->peer_description, cause->message);
}

void
fraise_connection_close (FraiseConnection *self)
{
  if (self->state == FRAISE_CONNECTION_STATE_CLOSED || self->state == FRAISE_CONNECTION_STATE_NEW)
    {
      self->state = FRAISE_CONNECTION_STATE_CLOSED;
      return;
    }

  if (self->output != NULL &&
      (self->state == FRAISE_CONNECTION_STATE_IDLE || self->state == FRAISE_CONNECTION_STATE_QUERY))
    {
      guint8 terminate[5];
      g_autoptr(GByteArray) msg = g_byte_array_new ();

      /* Best effort: Terminate is 5 bytes and the socket buffer has room
       * unless the server stopped reading, in which case closing is enough. */
      fraise_proto_write_terminate (msg);
      memcpy (terminate, msg->data, sizeof terminate);
      g_pollable_output_stream_write_nonblocking (self->output, terminate, sizeof terminate, NULL,
                                                  NULL);
    }

  if (self->state == FRAISE_CONNECTION_STATE_CONNECTING)
    {
      fraise_connection_attempt_failed (self,
                                        g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                                                             _("the client was closed while "
                                                               "connecting")));
      return;
    }
  close_with_error (self, NULL);
}

/* ---- writing ----------------------------------------------------------- */

static gboolean flush_output (FraiseConnection *self);

static gboolean
on_writable (GObject *stream, gpointer user_data)
{
  FraiseConnection *self = user_data;

  g_clear_pointer (&self->write_source, g_source_unref);
  flush_output (self);
  return G_SOURCE_REMOVE;
}

/* Writes what the socket takes now; waits for writability for the rest.
 * Returns FALSE when the connection failed. */
static gboolean
flush_output (FraiseConnection *self)
{
  while (self->out_pos < self->outbuf->len)
    {
      GError *error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (
        self->output, self->outbuf->data + self->out_pos, self->outbuf->len - self->out_pos, NULL,
        &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_error_free (error);
              if (self->write_source == NULL)
                {
                  self->write_source = g_pollable_output_stream_create_source (self->output, NULL);
                  g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_writable), self,
                                         NULL);
                  g_source_attach (self->write_source, self->context);
                }
              return TRUE;
            }
          transport_failed (self, connection_lost_error (self, error));
          g_error_free (error);
          return FALSE;
        }
      self->out_pos += n;
    }
  clear_output (self);
  return TRUE;
}

gboolean
fraise_connection_send (FraiseConnection *self)
{
  /* The size of a password message would tell the password's length. The
   * startup packet and SSLRequest have no type byte. */
  if (FRAISE_NOTE_ENABLED (PROTOCOL) && self->outbuf->len > self->out_pos)
    {
      char type = (char) self->outbuf->data[self->out_pos];

      if (self->outbuf_secret)
        FRAISE_NOTE (PROTOCOL, "-> %c (authentication answer)", type);
      else if (type == '\0')
        FRAISE_NOTE (PROTOCOL, "-> startup packet (%u bytes)",
                     self->outbuf->len - (guint) self->out_pos);
      else
        FRAISE_NOTE (PROTOCOL, "-> %c (%u bytes)", type, self->outbuf->len - (guint) self->out_pos);
    }
  return flush_output (self);
}

/* ---- reading ----------------------------------------------------------- */

/* Dispatches buffered frames while reading is wanted.
 * Returns TRUE when more bytes are needed, FALSE to stop. */
static gboolean
dispatch_frames (FraiseConnection *self)
{
  while (self->reading && self->reader != NULL)
    {
      FraiseProtoFrame frame;
      GError *error = NULL;

      switch (fraise_proto_reader_next_frame (self->reader, &frame, &error))
        {
        case FRAISE_PROTO_NEED_MORE:
          if (self->state == FRAISE_CONNECTION_STATE_QUERY && self->sink != NULL &&
              self->sink->drained != NULL)
            self->sink->drained (self->sink_data);
          return self->reading;
        case FRAISE_PROTO_ERROR:
          transport_failed (self, error);
          return FALSE;
        case FRAISE_PROTO_SKIPPED:
          FRAISE_NOTE (PROTOCOL, "<- DataRow (%" G_GSIZE_FORMAT " bytes, skipped)", frame.len);
          if (self->state == FRAISE_CONNECTION_STATE_QUERY && self->sink != NULL &&
              self->sink->row_skipped != NULL)
            self->sink->row_skipped (self->sink_data, frame.len);
          break;
        case FRAISE_PROTO_FRAME:
        default:
          FRAISE_NOTE (PROTOCOL, "<- %s (%" G_GSIZE_FORMAT " bytes)",
                       fraise_proto_backend_message_name (frame.type), frame.len);
          handle_frame (self, &frame);
          break;
        }
    }
  return FALSE;
}

typedef enum {
  READ_OK,
  READ_WOULD_BLOCK,
  READ_FAILED,
} ReadResult;

/* One non-blocking read into the reader's buffer. A plain socket is read
 * with recv() itself: "would block" then costs no GError. */
static ReadResult
read_some (FraiseConnection *self)
{
  GError *error = NULL;
  gsize available;
  guint8 *space = fraise_proto_reader_get_write_space (self->reader, &available);
  gssize n;

  self->last_read_space = available;
  if (self->raw_fd >= 0)
    {
      do
        n = recv (self->raw_fd, space, available, MSG_DONTWAIT);
      while (n < 0 && errno == EINTR);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          self->socket_drained = TRUE;
          return READ_WOULD_BLOCK;
        }
      if (n < 0)
        {
          int saved = errno;
          error =
            g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
        }
    }
  else
    {
      n = g_pollable_input_stream_read_nonblocking (self->input, space, available, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_error_free (error);
          self->socket_drained = TRUE;
          return READ_WOULD_BLOCK;
        }
    }
  if (n <= 0)
    {
      transport_failed (self, connection_lost_error (self, error));
      g_clear_error (&error);
      return READ_FAILED;
    }
  fraise_proto_reader_commit (self->reader, n);
  return READ_OK;
}

/* Dispatches buffered frames and reads until the socket would block,
 * reading is turned off, or @max_reads reads were done. */
static void
pump (FraiseConnection *self, guint max_reads)
{
  guint reads;

  g_object_ref (self);
  self->pumping = TRUE;
  for (reads = 0; reads < max_reads; reads++)
    {
      gsize before;

      if (!dispatch_frames (self) || self->socket_drained)
        break;
      before = fraise_proto_reader_get_pending (self->reader);
      if (read_some (self) != READ_OK)
        break;
      /* A read that did not fill half the free space emptied the socket:
       * the next read waits for poll() to report data, as libpq's do, so
       * each system call moves more bytes. */
      if (self->reader != NULL &&
          fraise_proto_reader_get_pending (self->reader) - before < self->last_read_space / 2)
        self->socket_drained = TRUE;
    }
  if (reads == max_reads)
    dispatch_frames (self);
  self->pumping = FALSE;
  g_object_unref (self);
}

static gboolean
on_readable (GObject *stream, gpointer user_data)
{
  FraiseConnection *self = user_data;

  /* A TLS stream may hold decrypted bytes that poll() does not see: always
   * try to read. */
  self->socket_drained = FALSE;
  return on_read_ready (self);
}

static gboolean
on_read_ready (FraiseConnection *self)
{

  if (!self->reading)
    {
      g_clear_pointer (&self->read_source, g_source_unref);
      self->ready_time_set = FALSE;
      return G_SOURCE_REMOVE;
    }
  if (self->ready_time_set)
    {
      g_source_set_ready_time (self->read_source, -1);
      self->ready_time_set = FALSE;
    }
  if (!self->pumping)
    pump (self, READS_PER_WAKEUP);
  /* When reading was turned off or the connection closed, the source is
   * already destroyed and the return value does not matter. */
  return G_SOURCE_CONTINUE;
}

static gboolean
on_socket_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  FraiseConnection *self = user_data;

  /* Also due when frames are merely buffered (ready time): then the
   * condition is empty and the socket need not be read. */
  if (condition != 0)
    self->socket_drained = FALSE;
  return on_read_ready (self);
}

gboolean
fraise_connection_pump (FraiseConnection *self)
{
  if (self->pumping || self->reader == NULL || !self->reading ||
      (self->state != FRAISE_CONNECTION_STATE_QUERY && self->state != FRAISE_CONNECTION_STATE_IDLE))
    return FALSE;
  pump (self, READS_PER_WAKEUP);
  return TRUE;
}

/* Frames were left buffered when reading stopped: dispatch them now. */
static gboolean
on_buffered_frames (gpointer user_data)
{
  FraiseConnection *self = user_data;

  g_clear_pointer (&self->buffered_idle, g_source_unref);
  if (self->reading && !self->pumping && self->reader != NULL)
    pump (self, READS_PER_WAKEUP);
  return G_SOURCE_REMOVE;
}

void
fraise_connection_arm_read (FraiseConnection *self)
{
  gboolean pending;

  if (self->input == NULL || !self->reading)
    return;

  /* Frames may already be buffered: dispatch them without waiting for the socket. */
  pending = fraise_proto_reader_get_pending (self->reader) > 0;
  if (self->read_source == NULL)
    {
      /* A plain socket is watched directly: the pollable stream's source
       * wraps the same socket source as a child, which GLib blocks and
       * unblocks around every dispatch whatever the parent allows. */
      if (self->raw_fd >= 0)
        {
          GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->stream));
          self->read_source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
          g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_socket_readable), self, NULL);
        }
      else
        {
          self->read_source = g_pollable_input_stream_create_source (self->input, NULL);
          g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
        }
      /* GLib takes a non-recursive source's descriptors out of the poll set
       * around every dispatch, waking the context up twice each time. The
       * pumping flag already makes on_readable() safe to re-enter. */
      g_source_set_can_recurse (self->read_source, TRUE);
      g_source_attach (self->read_source, self->context);
    }
  if (!pending)
    return;
  if (self->raw_fd >= 0)
    {
      /* Not the socket source's ready time: GSocket takes an expired ready
       * time for a timeout and fails its next I/O with "timed out". */
      if (self->buffered_idle == NULL)
        {
          self->buffered_idle = g_idle_source_new ();
          g_source_set_priority (self->buffered_idle, G_PRIORITY_DEFAULT);
          g_source_set_callback (self->buffered_idle, on_buffered_frames, self, NULL);
          g_source_attach (self->buffered_idle, self->context);
        }
    }
  else if (!self->ready_time_set)
    {
      g_source_set_ready_time (self->read_source, 0);
      self->ready_time_set = TRUE;
    }
}

void
fraise_connection_set_reading (FraiseConnection *self, gboolean reading)
{
  if (self->reading == reading)
    return;
  self->reading = reading;
  /* Turning reading off leaves the source alone: every change of the poll
   * set wakes the main context up, and a blocking pull never lets the source
   * run anyway. If it fires while reading is off, on_readable() removes it. */
  if (reading)
    fraise_connection_arm_read (self);
}

void
fraise_connection_unread_frame (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  g_return_if_fail (self->reader != NULL);
  fraise_proto_reader_unread (self->reader, frame);
  fraise_connection_set_reading (self, FALSE);
}

guint64
fraise_connection_get_queries_sent (FraiseConnection *self)
{
  return self->queries_sent;
}

gsize
fraise_connection_get_read_buffer_size (FraiseConnection *self)
{
  return self->reader != NULL ? fraise_proto_reader_get_size (self->reader) : 0;
}

/* ---- streams -------------------------------------------------------------- */

void
fraise_connection_use_stream (FraiseConnection *self, GIOStream *stream)
{
  g_set_object (&self->stream, stream);
  self->raw_fd = G_IS_SOCKET_CONNECTION (stream)
                   ? g_socket_get_fd (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)))
                   : -1;
  self->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  self->output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
}

/* ---- frames ---------------------------------------------------------------- */

GError *
fraise_connection_unexpected_message (FraiseConnection *self,
                                      const FraiseProtoFrame *frame,
                                      const char *when)
{
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                      _("server %s sent an unexpected %s message %s"), self->peer_description,
                         fraise_proto_backend_message_name (frame->type), when);
}

static void
handle_parameter_status (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  const char *raw_name, *raw_value;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  GError *error = NULL;

  if (!fraise_proto_parse_parameter_status (frame, &raw_name, &raw_value, &error))
    {
      fraise_connection_fail (self, error);
      g_error_free (error);
      return;
    }
  /* Exposed as utf8 strings (and a{ss}): invalid bytes are replaced. */
  name = g_utf8_make_valid (raw_name, -1);
  value = g_utf8_make_valid (raw_value, -1);
  if (g_str_equal (name, "client_encoding") && !g_str_equal (value, "UTF8"))
    {
      error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                           _("server %s switched client_encoding to \"%s\"; fraisewire needs "
                             "UTF8 — do not change client_encoding"),
                              self->peer_description, value);
      fraise_connection_fail (self, error);
      g_error_free (error);
      return;
    }
  g_hash_table_replace (self->parameters, g_steal_pointer (&name), g_steal_pointer (&value));
}

static void
handle_notice (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  g_autoptr(FraiseServerMessage) message = NULL;
  GError *error = NULL;

  message = fraise_proto_parse_error_fields (frame, &error);
  if (message == NULL)
    {
      fraise_connection_fail (self, error);
      g_error_free (error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_NOTICE], 0, message);
}

static void
handle_idle_frame (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  g_autoptr(FraiseServerMessage) message = NULL;
  g_autofree char *described = NULL;
  GError *error = NULL;

  if (frame->type != 'E')
    {
      error = fraise_connection_unexpected_message (self, frame, _("while no query was running"));
      fraise_connection_fail (self, error);
      g_error_free (error);
      return;
    }
  /* Typically FATAL: terminating connection due to administrator command. */
  message = fraise_proto_parse_error_fields (frame, &error);
  if (message != NULL)
    {
      const char *advice = _fraise_pooler_error_advice (message, NULL);

      described = _fraise_server_message_describe (message);
      if (advice != NULL)
        error = _fraise_error_new_with_message (FRAISE_ERROR_CONNECTION_LOST, message,
                                                _("server %s closed the connection: %s — %s"),
                                                   self->peer_description, described, advice);
      else
        error = _fraise_error_new_with_message (FRAISE_ERROR_CONNECTION_LOST, message,
                                                _("server %s closed the connection: %s"),
                                                   self->peer_description, described);
    }
  fraise_connection_fail (self, error);
  g_error_free (error);
}

static void start_queued_query (FraiseConnection *self);

static void
handle_query_frame (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  const FraiseQuerySink *sink = self->sink;
  gpointer sink_data = self->sink_data;

  /* Start-up messages are never part of a query: refused here, before the
   * sink (or the drain of an abandoned query) sees them. */
  if (frame->type == 'R' || frame->type == 'K' || frame->type == 'v')
    {
      GError *error = fraise_connection_unexpected_message (self, frame, _("during a query"));

      fraise_connection_fail (self, error);
      g_error_free (error);
      return;
    }
  if (frame->type == 'Z')
    {
      char status;
      GError *error = NULL;

      if (!fraise_proto_parse_ready_for_query (frame, &status, &error))
        {
          fraise_connection_fail (self, error);
          g_error_free (error);
          return;
        }
      stop_cancel_timer (self);
      self->cancelling = FALSE;
      self->state = FRAISE_CONNECTION_STATE_IDLE;
      self->sink = NULL;
      self->sink_data = NULL;
      self->reading = TRUE;
      if (sink != NULL)
        sink->frame (sink_data, frame);
      start_queued_query (self);
      return;
    }
  /* While cancelling, the sink still sees every frame, the cancellation
   * error included: it alone knows which message may come next. */
  if (sink != NULL)
    sink->frame (sink_data, frame);
}

static void
handle_frame (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  switch (frame->type)
    {
    case 'N':
      handle_notice (self, frame);
      return;
    case 'S':
      handle_parameter_status (self, frame);
      return;
    case 'A':
      {
        const char *channel, *payload;
        guint32 pid;
        GError *error = NULL;

        if (!fraise_proto_parse_notification (frame, &pid, &channel, &payload, &error))
          {
            fraise_connection_fail (self, error);
            g_error_free (error);
            return;
          }
        FRAISE_NOTE (CONNECTION, "ignoring a NotificationResponse");
      }
      return;
    default:
      break;
    }

  switch (self->state)
    {
    case FRAISE_CONNECTION_STATE_CONNECTING:
      fraise_connection_handle_startup_frame (self, frame);
      break;
    case FRAISE_CONNECTION_STATE_QUERY:
      handle_query_frame (self, frame);
      break;
    case FRAISE_CONNECTION_STATE_IDLE:
      handle_idle_frame (self, frame);
      break;
    case FRAISE_CONNECTION_STATE_NEW:
    case FRAISE_CONNECTION_STATE_CLOSED:
    default:
      break;
    }
}

/* ---- queries --------------------------------------------------------------- */

/* An abandoned query is still draining: send this one after its ReadyForQuery. */
static gboolean
queue_query (FraiseConnection *self,
             const char *sql,
             gsize len,
             gsize max_row_size,
             gsize row_limit,
             const FraiseQuerySink *sink,
             gpointer sink_data,
             GError **error)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();

  if (!fraise_proto_write_query (message, sql, len, error))
    return FALSE;
  self->queued_query = g_steal_pointer (&message);
  self->queued_sink = sink;
  self->queued_sink_data = sink_data;
  /* The drain ahead of it keeps the limit of the query being drained. */
  self->queued_max_row_size = max_row_size;
  self->queued_row_limit = row_limit;
  return TRUE;
}

static void
start_queued_query (FraiseConnection *self)
{
  if (self->queued_query == NULL || self->state != FRAISE_CONNECTION_STATE_IDLE ||
      self->cancel_in_flight)
    return;
  g_byte_array_append (self->outbuf, self->queued_query->data, self->queued_query->len);
  g_clear_pointer (&self->queued_query, g_byte_array_unref);
  self->queries_sent++;
  self->state = FRAISE_CONNECTION_STATE_QUERY;
  self->sink = g_steal_pointer (&self->queued_sink);
  self->sink_data = g_steal_pointer (&self->queued_sink_data);
  fraise_proto_reader_set_max_row_size (self->reader, self->queued_max_row_size);
  fraise_proto_reader_set_row_limit (self->reader, self->queued_row_limit);
  if (fraise_connection_send (self))
    fraise_connection_arm_read (self);
}

static gboolean
set_busy_error (GError **error)
{
  g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_BUSY,
                       _("a query is already running on this client; finish or cancel its "
                         "stream first, or use a pool"));
  return FALSE;
}

gboolean
fraise_connection_start_query (FraiseConnection *self,
                               const char *sql,
                               gsize len,
                               gsize max_row_size,
                               gsize row_limit,
                               const FraiseQuerySink *sink,
                               gpointer sink_data,
                               GError **error)
{
  switch (self->state)
    {
    case FRAISE_CONNECTION_STATE_IDLE:
      /* A queued query counts as running: it waits for the CancelRequest of
       * the previous query to be delivered. */
      if (self->queued_sink != NULL)
        return set_busy_error (error);
      if (self->cancel_in_flight)
        return queue_query (self, sql, len, max_row_size, row_limit, sink, sink_data, error);
      break;
    case FRAISE_CONNECTION_STATE_QUERY:
      /* Behind an abandoned or cancelled query the next one waits for the
       * drain instead of failing: the running one is already on its way out. */
      if ((self->sink == NULL || self->cancelling) && self->queued_sink == NULL)
        return queue_query (self, sql, len, max_row_size, row_limit, sink, sink_data, error);
      return set_busy_error (error);
    case FRAISE_CONNECTION_STATE_CONNECTING:
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_BUSY,
                           _("the client is still connecting"));
      return FALSE;
    case FRAISE_CONNECTION_STATE_NEW:
    case FRAISE_CONNECTION_STATE_CLOSED:
    default:
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                           _("the client is not connected"));
      return FALSE;
    }

  if (!fraise_proto_write_query (self->outbuf, sql, len, error))
    return FALSE;
  FRAISE_NOTE (PROTOCOL, "query: %.*s", (int) MIN (len, 512), sql);
  self->queries_sent++;
  self->state = FRAISE_CONNECTION_STATE_QUERY;
  self->sink = sink;
  self->sink_data = sink_data;
  self->reading = TRUE;
  fraise_proto_reader_set_max_row_size (self->reader, max_row_size);
  fraise_proto_reader_set_row_limit (self->reader, row_limit);
  if (!fraise_connection_send (self))
    return TRUE; /* the failure was reported to the sink */
  fraise_connection_arm_read (self);
  return TRUE;
}

static gboolean
on_cancel_timeout (gpointer user_data)
{
  FraiseConnection *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->cancel_timer, g_source_unref);
  error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_TIMEOUT,
                       _("server %s did not end the cancelled query in time; the connection "
                         "was closed"),
                          self->peer_description);
  close_with_error (self, error);
  return G_SOURCE_REMOVE;
}

static void
on_cancel_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FraiseConnection *self = FRAISE_CONNECTION (source);
  g_autoptr(GError) error = NULL;

  if (!fraise_connection_cancel_finish (self, result, &error))
    FRAISE_NOTE (CONNECTION, "could not send the CancelRequest: %s", error->message);
  self->cancel_in_flight = FALSE;
  if (self->cancel_request_timer != NULL)
    {
      g_source_destroy (self->cancel_request_timer);
      g_clear_pointer (&self->cancel_request_timer, g_source_unref);
    }
  g_clear_object (&self->cancel_request_cancellable);
  start_queued_query (self);
  g_object_unref (self);
}

static gboolean
on_cancel_request_timeout (gpointer user_data)
{
  FraiseConnection *self = user_data;

  g_clear_pointer (&self->cancel_request_timer, g_source_unref);
  g_cancellable_cancel (self->cancel_request_cancellable);
  return G_SOURCE_REMOVE;
}

void
fraise_connection_cancel_query (FraiseConnection *self, guint timeout_ms)
{
  if (self->state != FRAISE_CONNECTION_STATE_QUERY || self->cancelling)
    return;

  FRAISE_NOTE (CONNECTION, "cancelling the running query on %s", self->peer_description);
  self->cancelling = TRUE;
  self->cancel_in_flight = TRUE;
  /* The side connection gets the same time budget as the drain. */
  self->cancel_request_cancellable = g_cancellable_new ();
  self->cancel_request_timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->cancel_request_timer, on_cancel_request_timeout, self, NULL);
  g_source_attach (self->cancel_request_timer, self->context);
  fraise_connection_cancel_async (self, self->cancel_request_cancellable, on_cancel_sent,
                                  g_object_ref (self));
  self->cancel_timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->cancel_timer, on_cancel_timeout, self, NULL);
  g_source_attach (self->cancel_timer, self->context);
  fraise_connection_set_reading (self, TRUE);
}

gboolean
fraise_connection_dequeue_query (FraiseConnection *self, gpointer sink_data)
{
  if (self->queued_sink == NULL || self->queued_sink_data != sink_data)
    return FALSE;
  self->queued_sink = NULL;
  self->queued_sink_data = NULL;
  g_clear_pointer (&self->queued_query, g_byte_array_unref);
  return TRUE;
}

void
fraise_connection_abandon_query (FraiseConnection *self, gpointer sink_data, guint timeout_ms)
{
  if (fraise_connection_dequeue_query (self, sink_data))
    return; /* never sent: forgotten */
  if (self->state != FRAISE_CONNECTION_STATE_QUERY || self->sink_data != sink_data)
    return;
  self->sink = NULL;
  self->sink_data = NULL;
  fraise_connection_cancel_query (self, timeout_ms);
  fraise_connection_set_reading (self, TRUE);
}
