/* fraise-connect.c: connecting: hosts and attempts, sockets, startup, authentication I/O
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-connection-private.h"

#include <gio/gunixsocketaddress.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

static void start_attempt (FraiseConnection *self);

/* ---- connecting: attempts over the host list ----------------------------- */

const FraiseConninfoHost *
fraise_connection_current_host (FraiseConnection *self)
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
finish_connect (FraiseConnection *self, GError *error)
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
      fraise_connection_teardown (self);
      g_task_return_error (task, error);
    }
  else
    {
      g_clear_pointer (&self->authenticator, fraise_authenticator_free);
      self->state = FRAISE_CONNECTION_STATE_IDLE;
      self->phase = PHASE_NONE;
      fraise_connection_arm_read (self);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static GError *
combined_failure (FraiseConnection *self, GError *last)
{
  g_autoptr(GString) text = NULL;
  GError *error;
  guint i;

  if (self->failures->len <= 1 || last->domain != FRAISE_ERROR)
    return last;

  text = g_string_new (NULL);
  /* More failures than hosts: allow or prefer also tried the other encryption. */
  if (self->failures->len == self->host_order->len)
    g_string_printf (text, _("could not connect to any of %u hosts:"), self->failures->len);
  else
    g_string_printf (text, _("could not connect after %u attempts:"), self->failures->len);
  for (i = 0; i < self->failures->len; i++)
    g_string_append_printf (text, "\n  %s", (const char *) g_ptr_array_index (self->failures, i));
  error = _fraise_error_new_with_message (last->code, fraise_error_get_server_message (last), "%s",
                                          text->str);
  g_error_free (last);
  return error;
}

void
fraise_connection_attempt_failed (FraiseConnection *self, GError *error)
{
  stop_attempt_timers (self);
  fraise_connection_teardown (self);
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
  if (self->retry_allowed && !self->encryption_flipped)
    {
      FRAISE_NOTE (CONNECTION, "attempt %u failed (%s), trying the other encryption (sslmode=%s)",
                   self->attempt, error->message,
                   self->info->sslmode == FRAISE_SSL_ALLOW ? "allow" : "prefer");
      g_error_free (error);
      self->encryption_flipped = TRUE;
      start_attempt (self);
      return;
    }
  self->encryption_flipped = FALSE;
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
abort_attempt (FraiseConnection *self, GError *error)
{
  if (self->phase == PHASE_SOCKET || self->phase == PHASE_TLS)
    {
      g_clear_error (&self->last_error);
      self->last_error = error;
      g_cancellable_cancel (self->attempt_cancellable);
      return;
    }
  fraise_connection_attempt_failed (self, error);
}

static gboolean
on_attempt_timeout (gpointer user_data)
{
  FraiseConnection *self = user_data;
  g_autofree char *desc = describe_host (fraise_connection_current_host (self));

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
on_connect_cancelled (GCancellable *cancellable, gpointer user_data)
{
  FraiseConnection *self = user_data;

  if (self->state == FRAISE_CONNECTION_STATE_CONNECTING && self->connect_task != NULL)
    abort_attempt (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              _("the connection attempt was cancelled")));
  return G_SOURCE_REMOVE;
}

/* Takes the error of a GIO operation of the current attempt. */
GError *
fraise_connection_take_attempt_error (FraiseConnection *self, GError *error)
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
socket_error (const FraiseConninfoHost *host, const GError *cause)
{
  g_autofree char *desc = describe_host (host);
  const char *name = host->hostaddr ? host->hostaddr : host->host;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (cause);
  if (cause->domain == G_RESOLVER_ERROR)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                        _("could not resolve host name \"%s\": %s — check the host in the "
                          "connection string"),
                           host->host, cause->message);
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
set_tcp_option (GSocket *socket, int option, int value)
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

/* Whether this attempt starts with SSLRequest: allow tries plaintext
 * first, prefer TLS first, each the other one on its retry. */
static gboolean
tls_first (FraiseConnection *self)
{
  switch (self->info->sslmode)
    {
    case FRAISE_SSL_DISABLE:
      return FALSE;
    case FRAISE_SSL_ALLOW:
      return self->encryption_flipped;
    case FRAISE_SSL_PREFER:
      return !self->encryption_flipped;
    default:
      return TRUE;
    }
}

void
fraise_connection_log_attempt (FraiseConnection *self, const char *what)
{
  if (self->attempt_log->len > 0)
    g_string_append_c (self->attempt_log, ',');
  g_string_append (self->attempt_log, what);
}

const char *
fraise_connection_get_attempt_log (FraiseConnection *self)
{
  return self->attempt_log->str;
}

void
fraise_connection_allow_encryption_retry (FraiseConnection *self)
{
  /* allow after a plaintext attempt, prefer after a TLS one (not after a
   * server that answered N: that attempt was plaintext already). */
  if ((self->info->sslmode == FRAISE_SSL_ALLOW && !self->tls_started) ||
      (self->info->sslmode == FRAISE_SSL_PREFER && self->tls_started))
    self->retry_allowed = TRUE;
}

static void
on_socket_connected (GObject *source, GAsyncResult *result, gpointer user_data)
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
  host = fraise_connection_current_host (self);
  if (connection == NULL)
    {
      GError *mapped = socket_error (host, error);
      g_error_free (error);
      fraise_connection_attempt_failed (self, fraise_connection_take_attempt_error (self, mapped));
      g_object_unref (self);
      return;
    }

  self->socket_connection = connection;
  g_clear_object (&self->peer_address);
  self->peer_address = g_socket_connection_get_remote_address (connection, NULL);
  configure_socket (self);
  self->reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);

  /* sslnegotiation=direct needs sslmode require or stronger (checked when
   * parsing): TLS first, no SSLRequest. A Unix socket never uses TLS, as in
   * libpq. */
  if (!host->is_unix && self->info->sslnegotiation_direct)
    {
      fraise_connection_log_attempt (self, "direct TLS");
      fraise_connection_start_direct_tls (self);
    }
  else if (!host->is_unix && tls_first (self))
    {
      fraise_connection_log_attempt (self, "TLS");
      fraise_connection_send_ssl_request (self);
    }
  else
    {
      fraise_connection_log_attempt (self, "plaintext");
      fraise_connection_use_stream (self, G_IO_STREAM (connection));
      fraise_connection_send_startup (self);
    }
  g_object_unref (self);
}

static void
start_attempt (FraiseConnection *self)
{
  const FraiseConninfoHost *host = fraise_connection_current_host (self);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) connectable = NULL;

  g_free (self->peer_description);
  self->peer_description = describe_host (host);
  self->phase = PHASE_SOCKET;
  self->auth_seen = FALSE;
  self->auth_method = "trust";
  self->has_cancel_key = FALSE;
  self->is_tls = FALSE;
  self->tls_started = FALSE;
  self->channel_bound = FALSE;
  self->retry_allowed = FALSE;
  g_hash_table_remove_all (self->parameters);
  self->attempt_cancellable = g_cancellable_new ();

  FRAISE_NOTE (CONNECTION, "connecting to %s", self->peer_description);

  if (self->info->connect_timeout_s > 0)
    {
      /* Not g_timeout_source_new_seconds(): its coalescing fires up to 250 ms early. */
      self->timeout_source =
        g_timeout_source_new (MIN (self->info->connect_timeout_s, G_MAXUINT / 1000) * 1000);
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
fraise_connection_connect_async (FraiseConnection *self,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  GTask *task;
  guint i;

  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, fraise_connection_connect_async);

  /* A connection object connects once: the client makes a new one to
   * connect again after a close or a loss. */
  if (self->state != FRAISE_CONNECTION_STATE_NEW)
    {
      g_task_return_new_error (task, FRAISE_ERROR, FRAISE_ERROR_BUSY, "%s",
                               self->state == FRAISE_CONNECTION_STATE_CONNECTING
                               ? _("the client is already connecting; wait for that attempt "
                                     "to finish")
                               : _("the client is already connected; close it first to "
                                     "connect again"));
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
  self->encryption_flipped = FALSE;
  g_string_truncate (self->attempt_log, 0);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_connect_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
  start_attempt (self);
}

gboolean
fraise_connection_connect_finish (FraiseConnection *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- startup and authentication ------------------------------------------- */

/* The tls-server-end-point data for SCRAM-SHA-256-PLUS, or NULL with the reason. */
static GByteArray *
get_channel_binding_data (FraiseConnection *self, char **reason)
{
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->is_tls || self->info->channel_binding == FRAISE_CHANNEL_BINDING_DISABLE)
    return NULL;
  data = g_byte_array_new ();
  if (!g_tls_connection_get_channel_binding_data (
        G_TLS_CONNECTION (self->stream), G_TLS_CHANNEL_BINDING_TLS_SERVER_END_POINT, data, &error))
    {
      *reason = g_strdup (error->message);
      return NULL;
    }
  return g_steal_pointer (&data);
}

/* The authenticator gets everything up front: the password (from the
 * connection string, PGPASSWORD or the password file) and the channel
 * binding of the transport that is now in place. */
static void
start_authenticator (FraiseConnection *self)
{
  g_autoptr(GByteArray) cb_data = NULL;
  g_autofree char *cb_unavailable = NULL;
  char *password = fraise_conninfo_get_password (self->info, fraise_connection_current_host (self));
  FraiseAuthSettings settings = {
    .user = self->info->user,
    .password = password,
    .require_auth = self->info->require_auth,
    .channel_binding = self->info->channel_binding,
    .is_tls = self->is_tls,
    .max_iterations = FRAISE_SCRAM_DEFAULT_MAX_ITERATIONS,
    .peer_description = self->peer_description,
  };

  cb_data = get_channel_binding_data (self, &cb_unavailable);
  settings.cb_data = cb_data != NULL ? cb_data->data : NULL;
  settings.cb_len = cb_data != NULL ? cb_data->len : 0;
  settings.cb_unavailable = cb_unavailable;
  g_clear_pointer (&self->authenticator, fraise_authenticator_free);
  self->authenticator = fraise_authenticator_new (&settings);
  fraise_secure_free_string (password);
}

void
fraise_connection_send_startup (FraiseConnection *self)
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
      fraise_connection_attempt_failed (self, error);
      return;
    }
  start_authenticator (self);
  self->phase = PHASE_AUTH;
  if (fraise_connection_send (self))
    fraise_connection_arm_read (self);
}

/* Feeds an Authentication message to the authenticator and sends its
 * answer, marked secret: it may hold the password. */
static GError *
handle_auth (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  GError *error = NULL;
  guint before = self->outbuf->len;

  self->auth_seen = TRUE;
  switch (fraise_authenticator_handle (self->authenticator, frame, self->outbuf, &error))
    {
    case FRAISE_AUTH_STEP_FAILED:
      return error;
    case FRAISE_AUTH_STEP_DONE:
      self->auth_method = fraise_authenticator_get_method (self->authenticator);
      self->channel_bound = fraise_authenticator_is_channel_bound (self->authenticator);
      self->phase = PHASE_STARTUP_WAIT;
      return NULL;
    case FRAISE_AUTH_STEP_CONTINUE:
    default:
      break;
    }
  if (self->outbuf->len == before)
    return NULL;
  /* Wiped by the connection once written, now or when the socket is
   * writable again, or when the connection closes first. */
  self->outbuf_secret = TRUE;
  fraise_connection_send (self);
  return NULL;
}

/* ---- frames ---------------------------------------------------------------- */

static const char *
startup_error_advice (const char *sqlstate, FraiseError *code)
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
startup_error (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  g_autoptr(FraiseServerMessage) message = NULL;
  g_autofree char *described = NULL;
  GError *error = NULL;
  FraiseError code;
  const char *advice;

  message = fraise_proto_parse_error_fields (frame, &error);
  if (message == NULL)
    return error;
  advice = _fraise_pooler_error_advice (message, &code);
  if (advice == NULL)
    advice = startup_error_advice (fraise_server_message_get_sqlstate (message), &code);
  described = _fraise_server_message_describe (message);
  return _fraise_error_new_with_message (code, message,
                                         _("connection to %s refused: %s — %s"),
                                            self->peer_description, described, advice);
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

  if (target == FRAISE_TARGET_ANY ||
      (target == FRAISE_TARGET_PREFER_STANDBY && self->any_server_will_do))
    return NULL;
  if (standby == NULL || read_only == NULL)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                        _("server %s does not report in_hot_standby and "
                          "default_transaction_read_only (PostgreSQL 14 or later does), so "
                          "target_session_attrs cannot be checked"),
                           self->peer_description);
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
  return g_error_new (
    FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
    _("server %s is %s, which target_session_attrs=%s does not accept"), self->peer_description,
       is_standby ? _("a standby (in hot standby)")
                  : is_read_only
       ? _("read-only (default_transaction_read_only is on)")
       : _("a read-write primary"), target == FRAISE_TARGET_READ_WRITE  ? "read-write"
                                     : target == FRAISE_TARGET_READ_ONLY ? "read-only"
                                     : target == FRAISE_TARGET_PRIMARY   ? "primary"
                                     : target == FRAISE_TARGET_STANDBY   ? "standby"
                                                                         : "prefer-standby");
}

void
fraise_connection_handle_startup_frame (FraiseConnection *self, const FraiseProtoFrame *frame)
{
  GError *error = NULL;

  switch (frame->type)
    {
    case 'R':
      error = handle_auth (self, frame);
      break;
    case 'E':
      /* The server refused this encryption (a hostssl or hostnossl line):
       * allow and prefer try the other one, as libpq does. */
      fraise_connection_allow_encryption_retry (self);
      error = startup_error (self, frame);
      break;
    case 'K':
      /* One key, for the session that AuthenticationOk opened. */
      if (self->phase != PHASE_STARTUP_WAIT)
        error =
          fraise_connection_unexpected_message (self, frame, _("before authentication completed"));
      else if (self->has_cancel_key)
        error = fraise_connection_unexpected_message (self, frame, _("a second time"));
      else if (fraise_proto_parse_backend_key_data (frame, &self->backend_pid, &self->cancel_secret,
                                                    &error))
        self->has_cancel_key = TRUE;
      break;
    case 'v':
      /* The answer to the startup packet itself: before any authentication. */
      if (self->auth_seen)
        error =
          fraise_connection_unexpected_message (self, frame, _("after an authentication request"));
      else
        {
          g_auto(GStrv) unrecognized = NULL;
          guint32 minor = 0;

          if (fraise_proto_parse_negotiate_protocol_version (frame, &minor, &unrecognized, &error))
            FRAISE_NOTE (CONNECTION, "server supports protocol 3.%u", minor);
        }
      break;
    case 'Z':
      if (self->phase != PHASE_STARTUP_WAIT)
        error =
          fraise_connection_unexpected_message (self, frame, _("before authentication completed"));
      else
        {
          char status;

          if (fraise_proto_parse_ready_for_query (frame, &status, &error) &&
              (error = check_target_session (self)) == NULL)
            finish_connect (self, NULL);
        }
      break;
    default:
      error = fraise_connection_unexpected_message (self, frame, _("during connection start-up"));
      break;
    }

  if (error != NULL)
    fraise_connection_attempt_failed (self, error);
}
