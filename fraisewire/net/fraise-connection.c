/* fraise-connection.c: one server connection (socket, startup, auth, query I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-connection.h"
#include "fraise-auth.h"

#include <gio/gunixsocketaddress.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* How many socket reads one wake-up may do before yielding to the main loop. */
#define READS_PER_WAKEUP 8

typedef enum {
  PHASE_NONE,
  PHASE_SOCKET,       /* TCP / Unix connect in progress */
  PHASE_SSL_RESPONSE, /* SSLRequest sent, waiting for one byte */
  PHASE_TLS,          /* TLS handshake */
  PHASE_AUTH,         /* startup sent, authentication exchange */
  PHASE_STARTUP_WAIT, /* AuthenticationOk received, waiting for ReadyForQuery */
} ConnectPhase;

struct _FraiseConnection {
  GObject parent_instance;

  FraiseConninfo *info;
  GMainContext *context;
  FraiseConnectionState state;

  /* transport */
  GSocketConnection *socket_connection;
  GIOStream *stream; /* socket_connection or a GTlsClientConnection over it */
  GPollableInputStream *input;
  GPollableOutputStream *output;
  GSource *read_source;
  GSource *write_source;
  gboolean reading;
  gboolean pumping;   /* inside pump(): no re-entrant reads */
  gboolean ready_time_set; /* the read source is due at once (frames buffered) */
  GSource *buffered_idle;  /* the same for a plain socket */
  gsize last_read_space;   /* free buffer space offered to the last read */
  gboolean socket_drained; /* the last read emptied the socket: wait for poll() */
  int raw_fd;         /* the plain socket's descriptor, or -1 over TLS */
  FraiseProtoReader *reader;
  GByteArray *outbuf;
  gsize out_pos;
  char *peer_description;
  GSocketAddress *peer_address; /* for CancelRequest */

  /* connect */
  GTask *connect_task;
  GCancellable *attempt_cancellable;
  GSource *timeout_source;
  GSource *cancel_source; /* watches the connect call's cancellable */
  GArray *host_order; /* guint indexes into info->hosts */
  guint attempt;
  GPtrArray *failures; /* "host: reason" per failed attempt */
  GError *last_error;
  ConnectPhase phase;
  gboolean any_server_will_do; /* prefer-standby found no standby: second pass */

  /* authentication */
  FraiseScram *scram;
  gboolean auth_requested;
  const char *auth_method;

  /* session */
  GHashTable *parameters;
  guint32 backend_pid;
  guint32 cancel_secret;
  gboolean has_cancel_key;
  gboolean is_tls;
  gboolean channel_bound;

  /* query */
  const FraiseQuerySink *sink;
  gpointer sink_data;
  gboolean cancelling;
  gboolean cancel_in_flight;
  GCancellable *cancel_request_cancellable;
  GSource *cancel_request_timer;
  GSource *cancel_timer;
  /* A query started while an abandoned one drains: sent after ReadyForQuery. */
  GByteArray *queued_query;
  const FraiseQuerySink *queued_sink;
  gpointer queued_sink_data;
  gsize queued_max_row_size;
};

enum {
  SIGNAL_NOTICE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FraiseConnection, fraise_connection, G_TYPE_OBJECT)

static void start_attempt (FraiseConnection *self);
static void attempt_failed (FraiseConnection *self, GError *error);
static void arm_read (FraiseConnection *self);
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

static void
teardown_transport (FraiseConnection *self)
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
  g_byte_array_set_size (self->outbuf, 0);
  self->out_pos = 0;
  g_clear_pointer (&self->reader, fraise_proto_reader_free);
  g_clear_pointer (&self->scram, fraise_scram_free);
}

static void
fraise_connection_finalize (GObject *object)
{
  FraiseConnection *self = FRAISE_CONNECTION (object);

  teardown_transport (self);
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
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
fraise_connection_init (FraiseConnection *self)
{
  self->state = FRAISE_CONNECTION_STATE_NEW;
  self->outbuf = g_byte_array_sized_new (512);
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_ptr_array_new_with_free_func (g_free);
  self->auth_method = "trust";
  self->reading = TRUE;
  self->raw_fd = -1;
}

FraiseConnection *
fraise_connection_new (FraiseConninfo *info,
                       GMainContext   *context)
{
  FraiseConnection *self = g_object_new (FRAISE_TYPE_CONNECTION, NULL);

  self->info = info;
  self->context = context != NULL ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
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
fraise_connection_get_parameter (FraiseConnection *self,
                                 const char       *name)
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
close_with_error (FraiseConnection *self,
                  const GError     *error)
{
  const FraiseQuerySink *sink = self->sink;
  gpointer sink_data = self->sink_data;
  gboolean was_open = self->state == FRAISE_CONNECTION_STATE_IDLE ||
                      self->state == FRAISE_CONNECTION_STATE_QUERY;

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
  teardown_transport (self);

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
fraise_connection_fail (FraiseConnection *self,
                        const GError     *error)
{
  if (self->state == FRAISE_CONNECTION_STATE_CONNECTING)
    {
      attempt_failed (self, g_error_copy (error));
      return;
    }
  close_with_error (self, error);
}

/* Reports a broken transport in the right way for the current state. */
static void
transport_failed (FraiseConnection *self,
                  GError           *error)
{
  fraise_connection_fail (self, error);
  g_error_free (error);
}

static GError *
connection_lost_error (FraiseConnection *self,
                       const GError     *cause)
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

  if (self->output != NULL && (self->state == FRAISE_CONNECTION_STATE_IDLE ||
                               self->state == FRAISE_CONNECTION_STATE_QUERY))
    {
      guint8 terminate[5];
      g_autoptr(GByteArray) msg = g_byte_array_new ();

      /* Best effort: Terminate is 5 bytes and the socket buffer has room
       * unless the server stopped reading, in which case closing is enough. */
      fraise_proto_write_terminate (msg);
      memcpy (terminate, msg->data, sizeof terminate);
      g_pollable_output_stream_write_nonblocking (self->output, terminate, sizeof terminate,
                                                  NULL, NULL);
    }

  if (self->state == FRAISE_CONNECTION_STATE_CONNECTING)
    {
      attempt_failed (self, g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                                                 _("the client was closed while connecting")));
      return;
    }
  close_with_error (self, NULL);
}

/* ---- writing ----------------------------------------------------------- */

static gboolean flush_output (FraiseConnection *self);

static gboolean
on_writable (GObject  *stream,
             gpointer  user_data)
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
      gssize n = g_pollable_output_stream_write_nonblocking (self->output,
                                                            self->outbuf->data + self->out_pos,
                                                            self->outbuf->len - self->out_pos,
                                                            NULL, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_error_free (error);
              if (self->write_source == NULL)
                {
                  self->write_source = g_pollable_output_stream_create_source (self->output, NULL);
                  g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_writable), self, NULL);
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
  g_byte_array_set_size (self->outbuf, 0);
  self->out_pos = 0;
  return TRUE;
}

static gboolean
send_message (FraiseConnection *self)
{
  if (FRAISE_NOTE_ENABLED (PROTOCOL) && self->outbuf->len > self->out_pos)
    FRAISE_NOTE (PROTOCOL, "-> %c (%u bytes)", self->outbuf->data[self->out_pos],
                 self->outbuf->len - (guint) self->out_pos);
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
          error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved),
                                       g_strerror (saved));
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
pump (FraiseConnection *self,
      guint             max_reads)
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
on_readable (GObject  *stream,
             gpointer  user_data)
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
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
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

static void
arm_read (FraiseConnection *self)
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
fraise_connection_set_reading (FraiseConnection *self,
                               gboolean          reading)
{
  if (self->reading == reading)
    return;
  self->reading = reading;
  /* Turning reading off leaves the source alone: every change of the poll
   * set wakes the main context up, and a blocking pull never lets the source
   * run anyway. If it fires while reading is off, on_readable() removes it. */
  if (reading)
    arm_read (self);
}

/* ---- connecting: attempts over the host list ----------------------------- */

static const FraiseConninfoHost *
current_host (FraiseConnection *self)
{
  guint index = g_array_index (self->host_order, guint, self->attempt);

  return g_ptr_array_index (self->info->hosts, index);
}

static char *
describe_host (const FraiseConninfoHost *host)
{
  if (host->is_unix)
    return g_strdup_printf ("%s/.s.PGSQL.%u", host->host, host->port);
  if (strchr (host->hostaddr ? host->hostaddr : host->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host->hostaddr ? host->hostaddr : host->host, host->port);
  return g_strdup_printf ("%s:%u", host->hostaddr ? host->hostaddr : host->host, host->port);
}

static void
stop_attempt_timers (FraiseConnection *self)
{
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  g_clear_object (&self->attempt_cancellable);
}

static void
finish_connect (FraiseConnection *self,
                GError           *error)
{
  GTask *task = g_steal_pointer (&self->connect_task);

  stop_attempt_timers (self);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  g_clear_error (&self->last_error);
  g_ptr_array_set_size (self->failures, 0);

  if (error != NULL)
    {
      self->state = FRAISE_CONNECTION_STATE_CLOSED;
      teardown_transport (self);
      g_task_return_error (task, error);
    }
  else
    {
      self->state = FRAISE_CONNECTION_STATE_IDLE;
      self->phase = PHASE_NONE;
      arm_read (self);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static GError *
combined_failure (FraiseConnection *self,
                  GError           *last)
{
  g_autoptr(GString) text = NULL;
  GError *error;
  guint i;

  if (self->failures->len <= 1 || last->domain != FRAISE_ERROR)
    return last;

  text = g_string_new (NULL);
  g_string_printf (text, _("could not connect to any of %u hosts:"), self->failures->len);
  for (i = 0; i < self->failures->len; i++)
    g_string_append_printf (text, "\n  %s", (const char *) g_ptr_array_index (self->failures, i));
  error = _fraise_error_new_with_message (last->code, fraise_error_get_server_message (last),
                                          "%s", text->str);
  g_error_free (last);
  return error;
}

static void
attempt_failed (FraiseConnection *self,
                GError           *error)
{
  stop_attempt_timers (self);
  teardown_transport (self);
  self->phase = PHASE_NONE;

  if (self->connect_task == NULL)
    {
      g_error_free (error);
      return;
    }

  g_ptr_array_add (self->failures, g_strdup (error->message));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, FRAISE_ERROR, FRAISE_ERROR_CLOSED))
    {
      finish_connect (self, combined_failure (self, error));
      return;
    }
  if (self->attempt + 1 >= self->host_order->len)
    {
      /* prefer-standby: no standby anywhere, so any server will do (libpq's
       * second pass over the hosts). */
      if (self->info->target_session_attrs != FRAISE_TARGET_PREFER_STANDBY ||
          self->any_server_will_do)
        {
          finish_connect (self, combined_failure (self, error));
          return;
        }
      self->any_server_will_do = TRUE;
      self->attempt = 0;
      g_error_free (error);
      start_attempt (self);
      return;
    }

  FRAISE_NOTE (CONNECTION, "attempt %u failed (%s), trying the next host", self->attempt,
               error->message);
  g_error_free (error);
  self->attempt++;
  start_attempt (self);
}

/* Timeouts and cancellation stop an attempt: GIO operations in flight are
 * cancelled and report self->last_error; pollable phases fail at once. */
static void
abort_attempt (FraiseConnection *self,
               GError           *error)
{
  if (self->phase == PHASE_SOCKET || self->phase == PHASE_TLS)
    {
      g_clear_error (&self->last_error);
      self->last_error = error;
      g_cancellable_cancel (self->attempt_cancellable);
      return;
    }
  attempt_failed (self, error);
}

static gboolean
on_attempt_timeout (gpointer user_data)
{
  FraiseConnection *self = user_data;
  g_autofree char *desc = describe_host (current_host (self));

  g_clear_pointer (&self->timeout_source, g_source_unref);
  abort_attempt (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_TIMEOUT,
                                    _("timed out after %u s connecting to %s "
                                      "(connect_timeout=%u) — is the server reachable "
                                      "and not overloaded?"),
                                    self->info->connect_timeout_s, desc,
                                    self->info->connect_timeout_s));
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  FraiseConnection *self = user_data;

  if (self->state == FRAISE_CONNECTION_STATE_CONNECTING && self->connect_task != NULL)
    abort_attempt (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              _("the connection attempt was cancelled")));
  return G_SOURCE_REMOVE;
}

/* Takes the error of a GIO operation of the current attempt. */
static GError *
take_attempt_error (FraiseConnection *self,
                    GError           *error)
{
  if (self->last_error != NULL)
    {
      g_error_free (error);
      return g_steal_pointer (&self->last_error);
    }
  return error;
}

/* ---- connecting: socket ---------------------------------------------------- */

static GError *
socket_error (const FraiseConninfoHost *host,
              const GError             *cause)
{
  g_autofree char *desc = describe_host (host);
  const char *name = host->hostaddr ? host->hostaddr : host->host;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (cause);
  if (cause->domain == G_RESOLVER_ERROR)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                        _("could not resolve host name \"%s\": %s — check the host in the "
                          "connection string"), host->host, cause->message);
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      if (host->is_unix)
        return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                            _("could not connect to socket \"%s\": connection refused — is "
                              "PostgreSQL running? (check with: pg_isready -h %s -p %u)"),
                            desc, host->host, host->port);
      return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                          _("could not connect to %s: connection refused — is PostgreSQL "
                            "running there? (check with: pg_isready -h %s -p %u)"),
                          desc, name, host->port);
    }
  if (host->is_unix && g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                        _("could not connect to socket \"%s\": no such file — is PostgreSQL "
                          "running locally with that socket directory and port? (check with: "
                          "pg_isready -h %s -p %u)"),
                        desc, host->host, host->port);
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_TIMEOUT,
                        _("timed out connecting to %s: %s"), desc, cause->message);
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                      _("could not connect to %s: %s"), desc, cause->message);
}

static void
set_tcp_option (GSocket *socket,
                int      option,
                int      value)
{
  g_autoptr(GError) error = NULL;

  if (!g_socket_set_option (socket, IPPROTO_TCP, option, value, &error))
    FRAISE_NOTE (CONNECTION, "could not set TCP option %d: %s", option, error->message);
}

static void
configure_socket (FraiseConnection *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->socket_connection);

  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX)
    return;

  set_tcp_option (socket, TCP_NODELAY, 1);
  if (self->info->keepalives)
    {
      /* A 0 means "the OS default": Linux refuses TCP_KEEPIDLE=0. */
      g_socket_set_keepalive (socket, TRUE);
      if (self->info->keepalives_idle_s > 0)
        set_tcp_option (socket, TCP_KEEPIDLE, (int) self->info->keepalives_idle_s);
      if (self->info->keepalives_interval_s > 0)
        set_tcp_option (socket, TCP_KEEPINTVL, (int) self->info->keepalives_interval_s);
      if (self->info->keepalives_count > 0)
        set_tcp_option (socket, TCP_KEEPCNT, (int) self->info->keepalives_count);
    }
  if (self->info->tcp_user_timeout_ms > 0)
    set_tcp_option (socket, TCP_USER_TIMEOUT, (int) self->info->tcp_user_timeout_ms);
}

static void use_stream (FraiseConnection *self, GIOStream *stream);
static void send_ssl_request (FraiseConnection *self);
static void send_startup (FraiseConnection *self);

static void
on_socket_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FraiseConnection *self = user_data;
  GError *error = NULL;
  GSocketConnection *connection;
  const FraiseConninfoHost *host;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (self->connect_task == NULL || self->phase != PHASE_SOCKET)
    {
      /* The attempt ended while the connect was in flight. */
      g_clear_object (&connection);
      g_clear_error (&error);
      g_object_unref (self);
      return;
    }
  host = current_host (self);
  if (connection == NULL)
    {
      GError *mapped = socket_error (host, error);
      g_error_free (error);
      attempt_failed (self, take_attempt_error (self, mapped));
      g_object_unref (self);
      return;
    }

  self->socket_connection = connection;
  g_clear_object (&self->peer_address);
  self->peer_address = g_socket_connection_get_remote_address (connection, NULL);
  configure_socket (self);
  self->reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);

  if (!host->is_unix && self->info->sslmode != FRAISE_SSL_DISABLE &&
      self->info->sslmode != FRAISE_SSL_ALLOW)
    send_ssl_request (self);
  else
    {
      use_stream (self, G_IO_STREAM (connection));
      send_startup (self);
    }
  g_object_unref (self);
}

static void
start_attempt (FraiseConnection *self)
{
  const FraiseConninfoHost *host = current_host (self);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) connectable = NULL;

  g_free (self->peer_description);
  self->peer_description = describe_host (host);
  self->phase = PHASE_SOCKET;
  self->auth_requested = FALSE;
  self->auth_method = "trust";
  self->has_cancel_key = FALSE;
  self->is_tls = FALSE;
  self->channel_bound = FALSE;
  g_hash_table_remove_all (self->parameters);
  self->attempt_cancellable = g_cancellable_new ();

  FRAISE_NOTE (CONNECTION, "connecting to %s", self->peer_description);

  if (self->info->connect_timeout_s > 0)
    {
      /* Not g_timeout_source_new_seconds(): its coalescing fires up to 250 ms early. */
      self->timeout_source = g_timeout_source_new (MIN (self->info->connect_timeout_s,
                                                        G_MAXUINT / 1000) * 1000);
      g_source_set_callback (self->timeout_source, on_attempt_timeout, self, NULL);
      g_source_attach (self->timeout_source, self->context);
    }

  if (host->is_unix)
    connectable = G_SOCKET_CONNECTABLE (g_unix_socket_address_new (self->peer_description));
  else
    connectable = g_network_address_new (host->hostaddr ? host->hostaddr : host->host, host->port);

  g_main_context_push_thread_default (self->context);
  g_socket_client_connect_async (client, connectable, self->attempt_cancellable,
                                 on_socket_connected, g_object_ref (self));
  g_main_context_pop_thread_default (self->context);
}

void
fraise_connection_connect_async (FraiseConnection   *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  GTask *task;
  guint i;

  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, fraise_connection_connect_async);

  if (self->state != FRAISE_CONNECTION_STATE_NEW)
    {
      g_task_return_new_error (task, FRAISE_ERROR, FRAISE_ERROR_BUSY,
                               _("the client is already connected or connecting"));
      g_object_unref (task);
      return;
    }

  self->state = FRAISE_CONNECTION_STATE_CONNECTING;
  self->connect_task = task;
  self->host_order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->info->hosts->len);
  for (i = 0; i < self->info->hosts->len; i++)
    g_array_append_val (self->host_order, i);
  if (self->info->load_balance_random)
    for (i = self->host_order->len; i > 1; i--)
      {
        guint j = g_random_int_range (0, i);
        guint tmp = g_array_index (self->host_order, guint, i - 1);
        g_array_index (self->host_order, guint, i - 1) = g_array_index (self->host_order, guint, j);
        g_array_index (self->host_order, guint, j) = tmp;
      }
  self->attempt = 0;

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_connect_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
  start_attempt (self);
}

gboolean
fraise_connection_connect_finish (FraiseConnection *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- connecting: SSL negotiation and TLS ---------------------------------- */

static void
use_stream (FraiseConnection *self,
            GIOStream        *stream)
{
  g_set_object (&self->stream, stream);
  self->raw_fd = G_IS_SOCKET_CONNECTION (stream)
                   ? g_socket_get_fd (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)))
                   : -1;
  self->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  self->output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
}

static GError *
tls_error (const char *format,
           ...) G_GNUC_PRINTF (1, 2);

static GError *
tls_error (const char *format,
           ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (FRAISE_ERROR, FRAISE_ERROR_TLS, format, args);
  va_end (args);
  return error;
}

static gboolean
accept_any_certificate (GTlsConnection       *connection,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  /* sslmode allow/prefer/require: encrypt without verifying, as libpq does. */
  return TRUE;
}

static gboolean
accept_wrong_identity (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* sslmode verify-ca: the chain must verify, the host name need not match. */
  return (errors & ~G_TLS_CERTIFICATE_BAD_IDENTITY) == 0;
}

static gboolean
configure_tls (FraiseConnection   *self,
               GTlsConnection     *tls,
               GError            **error)
{
  const FraiseConninfo *info = self->info;
  gboolean verify = info->sslmode >= FRAISE_SSL_VERIFY_CA;

  if (info->sslrootcert != NULL && !g_str_equal (info->sslrootcert, "system"))
    {
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) local = NULL;

      database = g_tls_file_database_new (info->sslrootcert, &local);
      if (database == NULL)
        {
          if (verify)
            {
              *error = tls_error (_("could not load root certificate file \"%s\": %s"),
                                  info->sslrootcert, local->message);
              return FALSE;
            }
        }
      else
        g_tls_connection_set_database (tls, database);
    }
  else if (verify && info->sslrootcert == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_home_dir (), ".postgresql", "root.crt", NULL);
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) local = NULL;

      database = g_tls_file_database_new (path, &local);
      if (database == NULL)
        {
          *error = tls_error (_("root certificate file \"%s\" does not exist or cannot be read — "
                                "either provide the file, use the system's trusted roots "
                                "with sslrootcert=system, or change sslmode to disable "
                                "server certificate verification"), path);
          return FALSE;
        }
      g_tls_connection_set_database (tls, database);
    }

  if (info->sslcert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autoptr(GError) local = NULL;

      certificate = g_tls_certificate_new_from_files (info->sslcert,
                                                      info->sslkey ? info->sslkey : info->sslcert,
                                                      &local);
      if (certificate == NULL)
        {
          *error = tls_error (_("could not load client certificate \"%s\": %s"),
                              info->sslcert, local->message);
          return FALSE;
        }
      g_tls_connection_set_certificate (tls, certificate);
    }

  if (info->sslmode < FRAISE_SSL_VERIFY_CA)
    g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  else if (info->sslmode == FRAISE_SSL_VERIFY_CA)
    g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_wrong_identity), NULL);
  return TRUE;
}

static void
on_tls_handshake (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FraiseConnection *self = user_data;
  GError *error = NULL;
  gboolean ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);

  if (self->connect_task == NULL || self->phase != PHASE_TLS)
    {
      g_clear_error (&error);
      g_object_unref (source);
      g_object_unref (self);
      return;
    }
  if (!ok)
    {
      GError *mapped = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                         ? g_error_copy (error)
                         : tls_error (_("TLS handshake with %s failed: %s"),
                                      self->peer_description, error->message);
      g_error_free (error);
      g_object_unref (source);
      attempt_failed (self, take_attempt_error (self, mapped));
      g_object_unref (self);
      return;
    }

  self->is_tls = TRUE;
  use_stream (self, G_IO_STREAM (source));
  g_object_unref (source);
  send_startup (self);
  g_object_unref (self);
}

static void
start_tls (FraiseConnection *self)
{
  const FraiseConninfoHost *host = current_host (self);
  g_autoptr(GSocketConnectable) identity = NULL;
  GIOStream *tls;
  GError *error = NULL;

  /* An S must be the only byte before the handshake: anything after it was
   * injected in plaintext by a man in the middle (CVE-2021-23222). */
  if (g_socket_get_available_bytes (g_socket_connection_get_socket (self->socket_connection)) != 0)
    {
      attempt_failed (self, tls_error (_("received unencrypted data after the SSL response "
                                         "from %s — possible man-in-the-middle attack"),
                                       self->peer_description));
      return;
    }

  identity = g_network_address_new (host->host, host->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity, &error);
  if (tls == NULL || !configure_tls (self, G_TLS_CONNECTION (tls), &error))
    {
      g_clear_object (&tls);
      attempt_failed (self, error->domain == FRAISE_ERROR
                              ? error
                              : tls_error (_("could not set up TLS: %s"), error->message));
      return;
    }
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), TRUE);

  self->phase = PHASE_TLS;
  g_main_context_push_thread_default (self->context);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    self->attempt_cancellable, on_tls_handshake,
                                    g_object_ref (self));
  g_main_context_pop_thread_default (self->context);
}

static gboolean
on_ssl_response (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  FraiseConnection *self = user_data;
  g_autoptr(GError) error = NULL;
  guint8 byte = 0;
  gssize n;

  g_clear_pointer (&self->read_source, g_source_unref);
  /* Exactly one byte, read straight from the socket: nothing is buffered. */
  n = g_socket_receive_with_blocking (socket, (char *) &byte, 1, FALSE, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      self->read_source = g_socket_create_source (socket, G_IO_IN, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_ssl_response), self, NULL);
      g_source_attach (self->read_source, self->context);
      return G_SOURCE_REMOVE;
    }
  if (n <= 0)
    attempt_failed (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                                       _("server %s closed the connection during SSL "
                                         "negotiation%s%s"),
                                       self->peer_description, error ? ": " : "",
                                       error ? error->message : ""));
  else if (byte == 'S')
    start_tls (self);
  else if (byte == 'N' && self->info->sslmode >= FRAISE_SSL_REQUIRE)
    attempt_failed (self, tls_error (_("server %s does not support SSL, but SSL was required "
                                       "(sslmode=%s) — enable ssl on the server or lower "
                                       "sslmode"), self->peer_description,
                                     self->info->sslmode == FRAISE_SSL_REQUIRE ? "require"
                                     : self->info->sslmode == FRAISE_SSL_VERIFY_CA ? "verify-ca"
                                                                                   : "verify-full"));
  else if (byte == 'N')
    {
      use_stream (self, G_IO_STREAM (self->socket_connection));
      send_startup (self);
    }
  else if (byte == 'E')
    /* Never shown, never a reason to fall back to plaintext (CVE-2024-10977). */
    attempt_failed (self, tls_error (_("server %s sent an error response during SSL exchange"),
                                     self->peer_description));
  else
    attempt_failed (self, tls_error (_("received invalid response to SSL negotiation from %s "
                                       "(byte 0x%02x)"), self->peer_description, byte));
  return G_SOURCE_REMOVE;
}

static void
send_ssl_request (FraiseConnection *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->socket_connection);
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gssize n;

  fraise_proto_write_ssl_request (request);
  n = g_socket_send_with_blocking (socket, (const char *) request->data, request->len, FALSE,
                                   NULL, &error);
  if (n != (gssize) request->len)
    {
      attempt_failed (self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                                         _("could not send SSL negotiation packet to %s: %s"),
                                         self->peer_description,
                                         error ? error->message : _("short write")));
      return;
    }
  self->phase = PHASE_SSL_RESPONSE;
  self->read_source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_ssl_response), self, NULL);
  g_source_attach (self->read_source, self->context);
}

/* ---- startup and authentication ------------------------------------------- */

static void
send_startup (FraiseConnection *self)
{
  const FraiseConninfo *info = self->info;
  const char *keys[6];
  const char *values[6];
  GError *error = NULL;
  guint n = 0;

  keys[n] = "user", values[n++] = info->user;
  keys[n] = "database", values[n++] = info->dbname;
  keys[n] = "client_encoding", values[n++] = "UTF8";
  if (info->application_name != NULL)
    keys[n] = "application_name", values[n++] = info->application_name;
  /* Only when set: PgBouncer rejects unknown startup parameters. */
  if (info->options != NULL)
    keys[n] = "options", values[n++] = info->options;
  keys[n] = NULL, values[n] = NULL;

  if (!fraise_proto_write_startup (self->outbuf, keys, values, &error))
    {
      attempt_failed (self, error);
      return;
    }
  self->phase = PHASE_AUTH;
  if (send_message (self))
    arm_read (self);
}

static GError *
auth_error (const char *format,
            ...) G_GNUC_PRINTF (1, 2);

static GError *
auth_error (const char *format,
            ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION, format, args);
  va_end (args);
  return error;
}

/* Checks require_auth and channel_binding before a single password byte is sent. */
static GError *
check_auth_allowed (FraiseConnection *self,
                    FraiseAuthMask    method,
                    const char       *name)
{
  if (self->info->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE && method != FRAISE_AUTH_SCRAM)
    return auth_error (_("channel binding required, but server %s requested %s authentication"),
                       self->peer_description, name);
  if ((self->info->require_auth & method) == 0)
    return auth_error (_("server %s requested %s authentication, which require_auth does not "
                         "allow"), self->peer_description, name);
  if (self->auth_requested && method != FRAISE_AUTH_SCRAM)
    return auth_error (_("server %s sent a second authentication request"),
                       self->peer_description);
  return NULL;
}

static char *
get_password (FraiseConnection *self,
              GError          **error)
{
  char *password = fraise_conninfo_get_password (self->info, current_host (self));

  if (password == NULL)
    *error = auth_error (_("server %s requested password authentication for user \"%s\", but "
                           "no password was supplied — give one in the connection string, "
                           "PGPASSWORD or the password file"),
                         self->peer_description, self->info->user);
  return password;
}

static GError *
answer_password (FraiseConnection *self,
                 const FraiseProtoAuth *auth)
{
  GError *error = NULL;
  char *password;
  char *hashed = NULL;
  gsize message_len;
  gboolean ok;

  error = check_auth_allowed (self, auth->code == FRAISE_PROTO_AUTH_MD5 ? FRAISE_AUTH_MD5
                                                                        : FRAISE_AUTH_PASSWORD,
                              auth->code == FRAISE_PROTO_AUTH_MD5 ? "md5" : "password");
  if (error != NULL)
    return error;
  password = get_password (self, &error);
  if (password == NULL)
    return error;

  if (auth->code == FRAISE_PROTO_AUTH_MD5)
    {
      hashed = fraise_md5_password (self->info->user, password, auth->data);
      self->auth_method = "md5";
      if (hashed == NULL)
        {
          fraise_secure_free_string (password);
          return auth_error (_("MD5 password hashing is not available (is the system in FIPS "
                               "mode?); use SCRAM-SHA-256 on the server"));
        }
    }
  else
    self->auth_method = "cleartext";
  FRAISE_NOTE (AUTH, "answering %s authentication (password redacted)", self->auth_method);
  ok = fraise_proto_write_password (self->outbuf, hashed ? hashed : password, &error);
  fraise_secure_free_string (hashed);
  fraise_secure_free_string (password);
  self->auth_requested = TRUE;
  if (!ok)
    return error;
  message_len = self->outbuf->len;
  if (send_message (self) && self->outbuf->len == 0)
    fraise_secure_wipe (self->outbuf->data, message_len); /* the message held the password */
  return NULL;
}

static FraiseScramBinding
choose_binding (FraiseConnection *self,
                gboolean          plus_offered,
                GByteArray      **cb_data,
                GError          **error)
{
  g_autoptr(GError) local = NULL;

  if (!self->is_tls || self->info->channel_binding == FRAISE_CHANNEL_BINDING_DISABLE)
    return FRAISE_SCRAM_CB_NONE;

  *cb_data = g_byte_array_new ();
  if (!g_tls_connection_get_channel_binding_data (G_TLS_CONNECTION (self->stream),
                                                  G_TLS_CHANNEL_BINDING_TLS_SERVER_END_POINT,
                                                  *cb_data, &local))
    {
      g_clear_pointer (cb_data, g_byte_array_unref);
      if (self->info->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE)
        *error = auth_error (_("channel binding required, but no tls-server-end-point data is "
                               "available for the server certificate of %s: %s"),
                             self->peer_description, local->message);
      return FRAISE_SCRAM_CB_NONE;
    }
  if (!plus_offered)
    {
      g_clear_pointer (cb_data, g_byte_array_unref);
      return FRAISE_SCRAM_CB_NOT_OFFERED;
    }
  return FRAISE_SCRAM_CB_BOUND;
}

static GError *
start_sasl (FraiseConnection      *self,
            const FraiseProtoAuth *auth)
{
  g_auto(GStrv) mechanisms = NULL;
  g_autoptr(GByteArray) cb_data = NULL;
  GError *error = NULL;
  gboolean plain = FALSE, plus = FALSE;
  FraiseScramBinding binding;
  const char *first;
  char *password;
  gsize first_len;
  guint i;

  if (self->scram != NULL)
    return auth_error (_("server %s sent a duplicate SASL authentication request"),
                       self->peer_description);
  if ((error = check_auth_allowed (self, FRAISE_AUTH_SCRAM, "scram-sha-256")) != NULL)
    return error;
  mechanisms = fraise_proto_parse_sasl_mechanisms (auth->data, auth->data_len, &error);
  if (mechanisms == NULL)
    return error;
  for (i = 0; mechanisms[i] != NULL; i++)
    {
      plain |= g_str_equal (mechanisms[i], "SCRAM-SHA-256");
      plus |= g_str_equal (mechanisms[i], "SCRAM-SHA-256-PLUS");
    }
  binding = choose_binding (self, plus, &cb_data, &error);
  if (error != NULL)
    return error;
  if (binding != FRAISE_SCRAM_CB_BOUND && self->info->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE)
    return auth_error (_("channel binding is required, but server %s did not offer "
                         "SCRAM-SHA-256-PLUS%s"), self->peer_description,
                       self->is_tls ? "" : _(" (the connection is not encrypted)"));
  if (binding != FRAISE_SCRAM_CB_BOUND && !plain)
    {
      /* Unauthenticated text: escaped, so it can inject nothing into a terminal. */
      g_autofree char *shown = mechanisms[0] ? g_strescape (mechanisms[0], NULL) : NULL;

      return auth_error (_("none of the server's SASL authentication mechanisms are supported "
                           "(server %s offered: %s)"), self->peer_description,
                         shown ? shown : _("none"));
    }

  password = get_password (self, &error);
  if (password == NULL)
    return error;
  self->scram = fraise_scram_new (password, binding, cb_data ? cb_data->data : NULL,
                                  cb_data ? cb_data->len : 0, FRAISE_SCRAM_DEFAULT_MAX_ITERATIONS);
  fraise_secure_free_string (password);
  if (self->scram == NULL)
    return auth_error (_("could not start SCRAM authentication: no random numbers available"));
  self->auth_method = binding == FRAISE_SCRAM_CB_BOUND ? "scram-sha-256-plus" : "scram-sha-256";
  self->channel_bound = binding == FRAISE_SCRAM_CB_BOUND;
  self->auth_requested = TRUE;

  first = fraise_scram_get_client_first (self->scram, &first_len);
  FRAISE_NOTE (AUTH, "starting %s", self->auth_method);
  if (!fraise_proto_write_sasl_initial_response (self->outbuf,
                                                 binding == FRAISE_SCRAM_CB_BOUND
                                                   ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256",
                                                 (const guint8 *) first, first_len, &error))
    return error;
  send_message (self);
  return NULL;
}

static GError *
continue_sasl (FraiseConnection      *self,
               const FraiseProtoAuth *auth)
{
  GError *error = NULL;
  const char *final;
  gsize final_len;

  if (self->scram == NULL)
    return auth_error (_("server %s sent SASL data without a SASL request"), self->peer_description);
  final = fraise_scram_handle_server_first (self->scram, (const char *) auth->data, auth->data_len,
                                            &final_len, &error);
  if (final == NULL)
    return error;
  if (!fraise_proto_write_sasl_response (self->outbuf, (const guint8 *) final, final_len, &error))
    return error;
  send_message (self);
  return NULL;
}

static GError *
finish_sasl (FraiseConnection      *self,
             const FraiseProtoAuth *auth)
{
  GError *error = NULL;

  if (self->scram == NULL)
    return auth_error (_("server %s sent a SASL outcome without a SASL request"),
                       self->peer_description);
  if (!fraise_scram_verify_server_final (self->scram, (const char *) auth->data, auth->data_len,
                                         &error))
    return error;
  return NULL;
}

static GError *
authentication_ok (FraiseConnection *self)
{
  if (self->scram != NULL && !fraise_scram_is_complete (self->scram))
    return auth_error (_("server %s accepted the login before proving it knows the password "
                         "(SCRAM exchange not completed) — refusing a possibly fake server"),
                       self->peer_description);
  if (!self->auth_requested && (self->info->require_auth & FRAISE_AUTH_NONE) == 0)
    return auth_error (_("server %s did not complete authentication, but require_auth demands "
                         "it"), self->peer_description);
  if (self->info->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE && !self->channel_bound)
    return auth_error (_("channel binding required, but server %s authenticated the client "
                         "without channel binding"), self->peer_description);
  g_clear_pointer (&self->scram, fraise_scram_free);
  self->phase = PHASE_STARTUP_WAIT;
  return NULL;
}

static GError *
handle_auth (FraiseConnection       *self,
             const FraiseProtoFrame *frame)
{
  FraiseProtoAuth auth;
  GError *error = NULL;

  if (self->phase != PHASE_AUTH)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                        _("server %s sent an authentication request after authentication "
                          "completed"), self->peer_description);
  if (!fraise_proto_parse_auth (frame, &auth, &error))
    return error;

  switch (auth.code)
    {
    case FRAISE_PROTO_AUTH_OK:
      return authentication_ok (self);
    case FRAISE_PROTO_AUTH_CLEARTEXT:
    case FRAISE_PROTO_AUTH_MD5:
      return answer_password (self, &auth);
    case FRAISE_PROTO_AUTH_SASL:
      return start_sasl (self, &auth);
    case FRAISE_PROTO_AUTH_SASL_CONTINUE:
      return continue_sasl (self, &auth);
    case FRAISE_PROTO_AUTH_SASL_FINAL:
    default:
      return finish_sasl (self, &auth);
    }
}

/* ---- frames ---------------------------------------------------------------- */

static const char *
startup_error_advice (const char *sqlstate,
                      FraiseError *code)
{
  *code = FRAISE_ERROR_CONNECTION_FAILED;
  if (sqlstate == NULL)
    return _("see the server log for details");
  if (g_str_equal (sqlstate, "28P01"))
    {
      *code = FRAISE_ERROR_AUTHENTICATION;
      return _("check the password given in the connection string, PGPASSWORD or the password "
               "file");
    }
  if (g_str_has_prefix (sqlstate, "28"))
    {
      *code = FRAISE_ERROR_AUTHENTICATION;
      return _("check that the role exists and that pg_hba.conf allows it to connect to this "
               "database from this address");
    }
  if (g_str_equal (sqlstate, "3D000"))
    return _("check the database name (list the databases with: psql -l)");
  if (g_str_equal (sqlstate, "53300"))
    return _("the server has no free connection slots; retry later, use a pool, or raise "
             "max_connections");
  if (g_str_has_prefix (sqlstate, "57P"))
    return _("the server is not accepting connections now (starting up, shutting down or in "
             "recovery); retry later");
  return _("see the server log for details");
}

static GError *
startup_error (FraiseConnection       *self,
               const FraiseProtoFrame *frame)
{
  g_autoptr(FraiseServerMessage) message = NULL;
  g_autofree char *described = NULL;
  GError *error = NULL;
  FraiseError code;
  const char *advice;

  message = fraise_proto_parse_error_fields (frame, &error);
  if (message == NULL)
    return error;
  advice = startup_error_advice (fraise_server_message_get_sqlstate (message), &code);
  described = _fraise_server_message_describe (message);
  return _fraise_error_new_with_message (code, message, _("connection to %s refused: %s — %s"),
                                         self->peer_description, described, advice);
}

static GError *
unexpected_message (FraiseConnection       *self,
                    const FraiseProtoFrame *frame,
                    const char             *when)
{
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                      _("server %s sent an unexpected %s message %s"), self->peer_description,
                      fraise_proto_backend_message_name (frame->type), when);
}

/* target_session_attrs, from the ParameterStatus values that PostgreSQL 14
 * and later report at startup (libpq does the same before falling back to
 * SHOW queries on older servers). */
static GError *
check_target_session (FraiseConnection *self)
{
  FraiseTargetSessionAttrs target = self->info->target_session_attrs;
  const char *standby = g_hash_table_lookup (self->parameters, "in_hot_standby");
  const char *read_only = g_hash_table_lookup (self->parameters, "default_transaction_read_only");
  gboolean is_standby, is_read_only, ok;

  if (target == FRAISE_TARGET_ANY || (target == FRAISE_TARGET_PREFER_STANDBY && self->any_server_will_do))
    return NULL;
  if (standby == NULL || read_only == NULL)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                        _("server %s does not report in_hot_standby and "
                          "default_transaction_read_only (PostgreSQL 14 or later does), so "
                          "target_session_attrs cannot be checked"), self->peer_description);
  is_standby = g_str_equal (standby, "on");
  is_read_only = is_standby || g_str_equal (read_only, "on");

  switch (target)
    {
    case FRAISE_TARGET_READ_WRITE:
      ok = !is_read_only;
      break;
    case FRAISE_TARGET_READ_ONLY:
      ok = is_read_only;
      break;
    case FRAISE_TARGET_PRIMARY:
      ok = !is_standby;
      break;
    case FRAISE_TARGET_STANDBY:
    case FRAISE_TARGET_PREFER_STANDBY:
    case FRAISE_TARGET_ANY:
    default:
      ok = is_standby;
      break;
    }
  if (ok)
    return NULL;
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                      _("server %s is %s, which target_session_attrs=%s does not accept"),
                      self->peer_description,
                      is_standby ? _("a standby (in hot standby)")
                      : is_read_only ? _("read-only (default_transaction_read_only is on)")
                                     : _("a read-write primary"),
                      target == FRAISE_TARGET_READ_WRITE ? "read-write"
                      : target == FRAISE_TARGET_READ_ONLY ? "read-only"
                      : target == FRAISE_TARGET_PRIMARY ? "primary"
                      : target == FRAISE_TARGET_STANDBY ? "standby" : "prefer-standby");
}

static void
handle_startup_frame (FraiseConnection       *self,
                      const FraiseProtoFrame *frame)
{
  GError *error = NULL;

  switch (frame->type)
    {
    case 'R':
      error = handle_auth (self, frame);
      break;
    case 'E':
      error = startup_error (self, frame);
      break;
    case 'K':
      if (fraise_proto_parse_backend_key_data (frame, &self->backend_pid, &self->cancel_secret,
                                               &error))
        self->has_cancel_key = TRUE;
      break;
    case 'v':
      {
        g_auto(GStrv) unrecognized = NULL;
        guint32 minor = 0;

        fraise_proto_parse_negotiate_protocol_version (frame, &minor, &unrecognized, &error);
        FRAISE_NOTE (CONNECTION, "server supports protocol 3.%u", minor);
      }
      break;
    case 'Z':
      if (self->phase != PHASE_STARTUP_WAIT)
        error = unexpected_message (self, frame, _("before authentication completed"));
      else
        {
          char status;
          if (fraise_proto_parse_ready_for_query (frame, &status, &error) &&
              (error = check_target_session (self)) == NULL)
            finish_connect (self, NULL);
        }
      break;
    default:
      error = unexpected_message (self, frame, _("during connection start-up"));
      break;
    }

  if (error != NULL)
    attempt_failed (self, error);
}

static void
handle_parameter_status (FraiseConnection       *self,
                         const FraiseProtoFrame *frame)
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
handle_notice (FraiseConnection       *self,
               const FraiseProtoFrame *frame)
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
handle_idle_frame (FraiseConnection       *self,
                   const FraiseProtoFrame *frame)
{
  g_autoptr(FraiseServerMessage) message = NULL;
  g_autofree char *described = NULL;
  GError *error = NULL;

  if (frame->type != 'E')
    {
      error = unexpected_message (self, frame, _("while no query was running"));
      fraise_connection_fail (self, error);
      g_error_free (error);
      return;
    }
  /* Typically FATAL: terminating connection due to administrator command. */
  message = fraise_proto_parse_error_fields (frame, &error);
  if (message != NULL)
    {
      described = _fraise_server_message_describe (message);
      error = _fraise_error_new_with_message (FRAISE_ERROR_CONNECTION_LOST, message,
                                              _("server %s closed the connection: %s"),
                                              self->peer_description, described);
    }
  fraise_connection_fail (self, error);
  g_error_free (error);
}

static void start_queued_query (FraiseConnection *self);

static void
handle_query_frame (FraiseConnection       *self,
                    const FraiseProtoFrame *frame)
{
  const FraiseQuerySink *sink = self->sink;
  gpointer sink_data = self->sink_data;

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
handle_frame (FraiseConnection       *self,
              const FraiseProtoFrame *frame)
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
      handle_startup_frame (self, frame);
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
queue_query (FraiseConnection      *self,
             const char            *sql,
             gsize                  len,
             gsize                  max_row_size,
             const FraiseQuerySink *sink,
             gpointer               sink_data,
             GError               **error)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();

  if (!fraise_proto_write_query (message, sql, len, error))
    return FALSE;
  self->queued_query = g_steal_pointer (&message);
  self->queued_sink = sink;
  self->queued_sink_data = sink_data;
  /* The drain ahead of it keeps the limit of the query being drained. */
  self->queued_max_row_size = max_row_size;
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
  self->state = FRAISE_CONNECTION_STATE_QUERY;
  self->sink = g_steal_pointer (&self->queued_sink);
  self->sink_data = g_steal_pointer (&self->queued_sink_data);
  fraise_proto_reader_set_max_row_size (self->reader, self->queued_max_row_size);
  if (send_message (self))
    arm_read (self);
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
fraise_connection_start_query (FraiseConnection      *self,
                               const char            *sql,
                               gsize                  len,
                               gsize                  max_row_size,
                               const FraiseQuerySink *sink,
                               gpointer               sink_data,
                               GError               **error)
{
  switch (self->state)
    {
    case FRAISE_CONNECTION_STATE_IDLE:
      /* A queued query counts as running: it waits for the CancelRequest of
       * the previous query to be delivered. */
      if (self->queued_sink != NULL)
        return set_busy_error (error);
      if (self->cancel_in_flight)
        return queue_query (self, sql, len, max_row_size, sink, sink_data, error);
      break;
    case FRAISE_CONNECTION_STATE_QUERY:
      /* Behind an abandoned or cancelled query the next one waits for the
       * drain instead of failing: the running one is already on its way out. */
      if ((self->sink == NULL || self->cancelling) && self->queued_sink == NULL)
        return queue_query (self, sql, len, max_row_size, sink, sink_data, error);
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
  self->state = FRAISE_CONNECTION_STATE_QUERY;
  self->sink = sink;
  self->sink_data = sink_data;
  self->reading = TRUE;
  fraise_proto_reader_set_max_row_size (self->reader, max_row_size);
  if (!send_message (self))
    return TRUE; /* the failure was reported to the sink */
  arm_read (self);
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
                         "was closed"), self->peer_description);
  close_with_error (self, error);
  return G_SOURCE_REMOVE;
}

static void
on_cancel_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
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
fraise_connection_cancel_query (FraiseConnection *self,
                                guint             timeout_ms)
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
fraise_connection_dequeue_query (FraiseConnection *self,
                                 gpointer          sink_data)
{
  if (self->queued_sink == NULL || self->queued_sink_data != sink_data)
    return FALSE;
  self->queued_sink = NULL;
  self->queued_sink_data = NULL;
  g_clear_pointer (&self->queued_query, g_byte_array_unref);
  return TRUE;
}

void
fraise_connection_abandon_query (FraiseConnection *self,
                                 gpointer          sink_data,
                                 guint             timeout_ms)
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


/* ---- cancellation ------------------------------------------------------------ */

typedef struct {
  GSocketConnection *connection;
  GIOStream *stream; /* the connection, or TLS over it */
  GByteArray *ssl_request; /* sent first when the main connection uses TLS */
  GByteArray *request;
  guint8 byte;
} CancelData;

static void
cancel_data_free (CancelData *data)
{
  if (data->stream != NULL)
    g_io_stream_close (data->stream, NULL, NULL);
  g_clear_object (&data->stream);
  g_clear_object (&data->connection);
  g_clear_pointer (&data->ssl_request, g_byte_array_unref);
  g_byte_array_unref (data->request);
  g_free (data);
}

static void
cancel_failed (GTask  *task,
               GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The server closes the cancel connection once it has signalled the
 * backend: only then is it safe to send the next query (a cancel that
 * arrives late could otherwise hit it). */
static void
on_cancel_eof (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n > 0)
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), &data->byte, 1, G_PRIORITY_DEFAULT,
                                 g_task_get_cancellable (task), on_cancel_eof, task);
      return;
    }
  /* Over TLS the server may close without close_notify: that is the end too. */
  if (n < 0)
    FRAISE_NOTE (CONNECTION, "cancel connection ended with: %s", error->message);
  g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_cancel_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      cancel_failed (task, error);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (data->stream), &data->byte, 1,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task), on_cancel_eof,
                             task);
}

static void
send_cancel_request (GTask     *task,
                     GIOStream *stream)
{
  CancelData *data = g_task_get_task_data (task);

  data->stream = g_object_ref (stream);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data->request->data,
                                   data->request->len, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_cancel_written, task);
}

static void
on_cancel_tls_ready (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      cancel_failed (task, error);
      return;
    }
  send_cancel_request (task, G_IO_STREAM (source));
}

static void
on_cancel_ssl_answer (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  FraiseConnection *self = g_task_get_source_object (task);
  CancelData *data = g_task_get_task_data (task);
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n != 1)
    {
      cancel_failed (task, error != NULL ? error
                                         : tls_error (_("no answer to SSL negotiation")));
      return;
    }
  if (data->byte != 'S' ||
      g_socket_get_available_bytes (g_socket_connection_get_socket (data->connection)) != 0)
    {
      cancel_failed (task, tls_error (_("server %s refused TLS for the cancel request"),
                                      self->peer_description));
      return;
    }
  identity = g_network_address_new (current_host (self)->host, current_host (self)->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (data->connection), identity, &error);
  if (tls == NULL || !configure_tls (self, G_TLS_CONNECTION (tls), &error))
    {
      cancel_failed (task, error);
      return;
    }
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_cancel_tls_ready, task);
}

static void
on_cancel_ssl_request_sent (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GTask *task = user_data;
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      cancel_failed (task, error);
      return;
    }
  /* Exactly one byte, as on the main connection. */
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (data->connection)),
                             &data->byte, 1, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             on_cancel_ssl_answer, task);
}

static void
on_cancel_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  FraiseConnection *self = g_task_get_source_object (task);
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (data->connection == NULL)
    {
      cancel_failed (task, error);
      return;
    }
  if (!self->is_tls)
    {
      send_cancel_request (task, G_IO_STREAM (data->connection));
      return;
    }
  /* The main connection is encrypted: so is the cancel request, with the
   * same TLS settings (libpq before 17 sent it in plaintext). */
  data->ssl_request = g_byte_array_new ();
  fraise_proto_write_ssl_request (data->ssl_request);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (data->connection)),
                                   data->ssl_request->data, data->ssl_request->len,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   on_cancel_ssl_request_sent, task);
}

void
fraise_connection_cancel_async (FraiseConnection   *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  CancelData *data;
  GTask *task;

  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_connection_cancel_async);

  if (!self->has_cancel_key || self->peer_address == NULL)
    {
      g_task_return_new_error (task, FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                               _("cannot cancel: the server sent no cancellation key"));
      g_object_unref (task);
      g_main_context_pop_thread_default (self->context);
      return;
    }

  data = g_new0 (CancelData, 1);
  data->request = g_byte_array_new ();
  fraise_proto_write_cancel_request (data->request, self->backend_pid, self->cancel_secret);
  g_task_set_task_data (task, data, (GDestroyNotify) cancel_data_free);
  /* The same address as the main connection, and TLS when it uses TLS. */
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->peer_address), cancellable,
                                 on_cancel_connected, task);
  g_main_context_pop_thread_default (self->context);
}

gboolean
fraise_connection_cancel_finish (FraiseConnection *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
