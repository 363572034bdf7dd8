/* fraise-client.c: a connection to one PostgreSQL server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-client-private.h"
#include "fraise-connection.h"

/**
 * FraiseClient:
 *
 * A connection to one PostgreSQL server, speaking the frontend/backend
 * protocol 3.0 itself over GIO sockets.
 *
 * Create it from a libpq-style connection string (URI or `key=value` form),
 * then connect:
 *
 * ```c
 * g_autoptr(GError) error = NULL;
 * g_autoptr(FraiseClient) client = fraise_client_new ("postgres:///demo", &error);
 *
 * if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
 *   g_printerr ("%s\n", error->message);
 * ```
 *
 * From Python: `client = Fraise.Client(conninfo="postgres:///demo")`, then
 * `client.connect_sync(None)`.
 *
 * A client belongs to the [struct@GLib.MainContext] that was thread-default
 * when it was created: its callbacks and signals are delivered there. It runs
 * one query at a time; after a stream ends the connection is reused.
 *
 * Since: 1.0
 */

struct _FraiseClient {
  GObject parent_instance;

  char *conninfo;
  GError *init_error;
  GMainContext *context;
  FraiseConnection *connection;
  FraiseServerMessage *last_server_message;
  gulong notice_handler;
  gulong closed_handler;
};

enum {
  PROP_0,
  PROP_CONNINFO,
  PROP_SERVER_VERSION,
  PROP_BACKEND_PID,
  PROP_IS_TLS,
  PROP_CHANNEL_BOUND,
  PROP_AUTH_METHOD,
  PROP_PARAMETERS,
  PROP_LAST_SERVER_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_NOTICE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fraise_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FraiseClient,
                               fraise_client,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      fraise_client_initable_iface_init))

static void
on_connection_notice (FraiseConnection *connection,
                      FraiseServerMessage *message,
                      gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_NOTICE], 0, message);
}

static void
on_connection_closed (FraiseConnection *connection, const GError *error, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_CLOSED], 0, error);
}

static void
drop_connection (FraiseClient *self)
{
  g_clear_signal_handler (&self->notice_handler, self->connection);
  g_clear_signal_handler (&self->closed_handler, self->connection);
  g_clear_object (&self->connection);
}

static gboolean
ensure_connection (FraiseClient *self, GError **error)
{
  FraiseConninfo *info;

  /* A closed or lost connection is not reused: connecting again starts a
   * new one, with a new backend and fresh session state. Streams that still
   * hold the old one see it closed. */
  if (self->connection != NULL &&
      fraise_connection_get_state (self->connection) == FRAISE_CONNECTION_STATE_CLOSED)
    drop_connection (self);
  if (self->connection != NULL)
    return TRUE;
  if (self->init_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->init_error));
      return FALSE;
    }
  info = fraise_conninfo_parse (self->conninfo, NULL, error);
  if (info == NULL)
    return FALSE;
  self->connection = fraise_connection_new (info, self->context);
  self->notice_handler =
    g_signal_connect (self->connection, "notice", G_CALLBACK (on_connection_notice), self);
  self->closed_handler =
    g_signal_connect (self->connection, "closed", G_CALLBACK (on_connection_closed), self);
  return TRUE;
}

static gboolean
fraise_client_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  FraiseClient *self = FRAISE_CLIENT (initable);
  GError *local = NULL;

  if (self->connection != NULL)
    return TRUE;
  g_clear_error (&self->init_error);
  if (!ensure_connection (self, &local))
    {
      self->init_error = g_error_copy (local);
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static void
fraise_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = fraise_client_initable_init;
}

static void
fraise_client_dispose (GObject *object)
{
  FraiseClient *self = FRAISE_CLIENT (object);

  if (self->connection != NULL)
    {
      fraise_connection_close (self->connection);
      drop_connection (self);
    }
  G_OBJECT_CLASS (fraise_client_parent_class)->dispose (object);
}

static void
fraise_client_finalize (GObject *object)
{
  FraiseClient *self = FRAISE_CLIENT (object);

  g_free (self->conninfo);
  g_clear_error (&self->init_error);
  g_clear_pointer (&self->last_server_message, fraise_server_message_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (fraise_client_parent_class)->finalize (object);
}

static void
fraise_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseClient *self = FRAISE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_set_string (value, self->conninfo);
      break;
    case PROP_SERVER_VERSION:
      g_value_set_string (value, fraise_client_get_server_version (self));
      break;
    case PROP_BACKEND_PID:
      g_value_set_uint (value, fraise_client_get_backend_pid (self));
      break;
    case PROP_IS_TLS:
      g_value_set_boolean (value, fraise_client_get_is_tls (self));
      break;
    case PROP_CHANNEL_BOUND:
      g_value_set_boolean (value, fraise_client_get_channel_bound (self));
      break;
    case PROP_AUTH_METHOD:
      g_value_set_string (value, fraise_client_get_auth_method (self));
      break;
    case PROP_PARAMETERS:
      g_value_take_boxed (value, fraise_client_dup_parameters (self));
      break;
    case PROP_LAST_SERVER_MESSAGE:
      g_value_set_boxed (value, self->last_server_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FraiseClient *self = FRAISE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_free (self->conninfo);
      self->conninfo = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_client_class_init (FraiseClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _fraise_ensure_i18n ();

  object_class->dispose = fraise_client_dispose;
  object_class->finalize = fraise_client_finalize;
  object_class->get_property = fraise_client_get_property;
  object_class->set_property = fraise_client_set_property;

  /**
   * FraiseClient:conninfo:
   *
   * The connection string, as libpq accepts it: a URI
   * (`postgresql://user@host:5432/db?sslmode=require`) or `key=value`
   * pairs (`host=/run/postgresql dbname=demo`). Unset values come from the
   * `PG*` environment variables, the password file and libpq's defaults.
   *
   * Since: 1.0
   */
  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FraiseClient:server-version:
   *
   * The server's `server_version` parameter, once connected.
   *
   * Since: 1.0
   */
  properties[PROP_SERVER_VERSION] =
    g_param_spec_string ("server-version", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseClient:backend-pid:
   *
   * The process ID of the server backend serving this connection, 0 before
   * connecting.
   *
   * Since: 1.0
   */
  properties[PROP_BACKEND_PID] =
    g_param_spec_uint ("backend-pid", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseClient:is-tls:
   *
   * Whether the connection is encrypted with TLS.
   *
   * Since: 1.0
   */
  properties[PROP_IS_TLS] =
    g_param_spec_boolean ("is-tls", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseClient:channel-bound:
   *
   * Whether authentication used SCRAM-SHA-256-PLUS channel binding.
   *
   * Since: 1.0
   */
  properties[PROP_CHANNEL_BOUND] =
    g_param_spec_boolean ("channel-bound", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseClient:auth-method:
   *
   * How the server authenticated the client: `trust`, `cleartext`, `md5`,
   * `scram-sha-256` or `scram-sha-256-plus`; %NULL before connecting.
   *
   * Since: 1.0
   */
  properties[PROP_AUTH_METHOD] =
    g_param_spec_string ("auth-method", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseClient:parameters: (type GLib.HashTable(utf8,utf8))
   *
   * The server's ParameterStatus values (`server_version`, `TimeZone`,
   * `client_encoding`, ...), as a new hash table of strings.
   *
   * Since: 1.0
   */
  properties[PROP_PARAMETERS] =
    g_param_spec_boxed ("parameters", NULL, NULL, G_TYPE_HASH_TABLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseClient:last-server-message:
   *
   * The last ErrorResponse the server sent on this client (while connecting
   * or during a query), with every field: SQLSTATE, message, detail, hint,
   * position, ... This is how bindings whose error objects keep only the
   * domain, code and message reach the server's fields.
   *
   * Since: 1.0
   */
  properties[PROP_LAST_SERVER_MESSAGE] =
    g_param_spec_boxed ("last-server-message", NULL, NULL, FRAISE_TYPE_SERVER_MESSAGE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FraiseClient::notice:
   * @client: the client
   * @message: the notice, with every field the server sent
   *
   * Emitted for each NoticeResponse (for example from `RAISE NOTICE`), also
   * in the middle of a stream.
   *
   * It is emitted inside the connection's socket dispatch on the client's
   * main context, between two rows when it arrives mid-stream. A handler may
   * read the message and keep a reference to it, or pause or cancel a
   * stream; it must not make blocking calls on this client.
   *
   * Since: 1.0
   */
  signals[SIGNAL_NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FRAISE_TYPE_SERVER_MESSAGE);

  /**
   * FraiseClient::closed:
   * @client: the client
   * @error: (nullable): why the connection closed, or %NULL when the
   *   application closed it
   *
   * Emitted once when an established connection closes.
   *
   * It is emitted on the client's main context: inside the socket dispatch
   * when the server closed the connection or broke the protocol, or within
   * the call that closed it ([method@Fraise.Client.close_async], disposing
   * the client). A running stream has already been told (it ends with the
   * same error). A handler must not make blocking calls on this client.
   *
   * Since: 1.0
   */
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
fraise_client_init (FraiseClient *self)
{
  self->context = g_main_context_ref_thread_default ();
}

/**
 * fraise_client_new:
 * @conninfo: (nullable): a connection string (URI or `key=value` form);
 *   %NULL or empty uses the environment and the defaults only
 * @error: return location for a %FRAISE_ERROR_CONFIG error
 *
 * Creates a client for @conninfo. The string is parsed and validated, but
 * nothing is sent: call [method@Fraise.Client.connect_async] next.
 *
 * Returns: (transfer full): a new client, or %NULL if @conninfo is invalid
 *
 * Since: 1.0
 */
FraiseClient *
fraise_client_new (const char *conninfo, GError **error)
{
  return g_initable_new (FRAISE_TYPE_CLIENT, NULL, error, "conninfo", conninfo, NULL);
}

static void
notify_session_properties (FraiseClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_VERSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND_PID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_TLS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL_BOUND]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_METHOD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMETERS]);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!fraise_connection_connect_finish (FRAISE_CONNECTION (source), result, &error))
    {
      _fraise_client_set_last_server_message (g_task_get_source_object (task),
                                              fraise_error_get_server_message (error));
      g_task_return_error (task, error);
    }
  else
    {
      notify_session_properties (g_task_get_source_object (task));
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

/**
 * fraise_client_connect_async:
 * @client: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the connection is ready or failed
 * @user_data: data for @callback
 *
 * Connects and authenticates: tries each host of the connection string in
 * turn (TCP or Unix socket), negotiates TLS as `sslmode` says, and
 * authenticates with trust, cleartext, MD5 or SCRAM-SHA-256(-PLUS). Each host
 * gets `connect_timeout` seconds (default 10) for all of it.
 *
 * A client that was closed, lost its connection or failed to connect can
 * connect again: that starts a new connection (a new backend, fresh session
 * state). Connecting a client that is connected or connecting fails with
 * %FRAISE_ERROR_BUSY.
 *
 * Since: 1.0
 */
void
fraise_client_connect_async (FraiseClient *client,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (FRAISE_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_client_connect_async);
  if (!ensure_connection (client, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  fraise_connection_connect_async (client->connection, cancellable, on_connected, task);
}

/**
 * fraise_client_connect_finish:
 * @client: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Fraise.Client.connect_async].
 *
 * Returns: %TRUE when connected; %FALSE with @error set otherwise
 *   (%FRAISE_ERROR_CONNECTION_FAILED, %FRAISE_ERROR_AUTHENTICATION,
 *   %FRAISE_ERROR_TLS, %FRAISE_ERROR_TIMEOUT, %FRAISE_ERROR_CONFIG,
 *   %G_IO_ERROR_CANCELLED, ...)
 *
 * Since: 1.0
 */
gboolean
fraise_client_connect_finish (FraiseClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
_fraise_client_run_sync (FraiseClient *client,
                         gpointer source,
                         FraiseAsyncStart start,
                         GCancellable *cancellable)
{
  GAsyncResult *result = NULL;

  g_main_context_push_thread_default (client->context);
  start (source, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (client->context, TRUE);
  g_main_context_pop_thread_default (client->context);
  return result;
}

void
_fraise_client_set_last_server_message (FraiseClient *client, FraiseServerMessage *message)
{
  if (message == NULL || message == client->last_server_message)
    return;
  g_clear_pointer (&client->last_server_message, fraise_server_message_unref);
  client->last_server_message = fraise_server_message_ref (message);
  g_object_notify_by_pspec (G_OBJECT (client), properties[PROP_LAST_SERVER_MESSAGE]);
}

/**
 * fraise_client_get_last_server_message:
 * @client: a client
 *
 * The last ErrorResponse the server sent on this client; see
 * #FraiseClient:last-server-message.
 *
 * Returns: (transfer none) (nullable): the server message, or %NULL
 *
 * Since: 1.0
 */
FraiseServerMessage *
fraise_client_get_last_server_message (FraiseClient *client)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), NULL);
  return client->last_server_message;
}

GMainContext *
_fraise_client_get_context (FraiseClient *client)
{
  return client->context;
}

FraiseConnection *
_fraise_client_get_connection (FraiseClient *client)
{
  return client->connection;
}

/**
 * fraise_client_connect_sync:
 * @client: a client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Connects like [method@Fraise.Client.connect_async], blocking the calling
 * thread: it iterates the client's main context until done, so it must be
 * called from the thread that owns that context.
 *
 * Returns: %TRUE when connected
 *
 * Since: 1.0
 */
gboolean
fraise_client_connect_sync (FraiseClient *client, GCancellable *cancellable, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);

  result = _fraise_client_run_sync (client, client, (FraiseAsyncStart) fraise_client_connect_async,
                                    cancellable);
  return fraise_client_connect_finish (client, result, error);
}

/**
 * fraise_client_close_async:
 * @client: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the client is closed
 * @user_data: data for @callback
 *
 * Sends Terminate and closes the connection. A stream still running fails
 * with %FRAISE_ERROR_CLOSED. Closing a closed client does nothing.
 *
 * Since: 1.0
 */
void
fraise_client_close_async (FraiseClient *client,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task;

  g_return_if_fail (FRAISE_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_client_close_async);
  if (client->connection != NULL)
    fraise_connection_close (client->connection);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * fraise_client_close_finish:
 * @client: a client
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Fraise.Client.close_async].
 *
 * Returns: %TRUE
 *
 * Since: 1.0
 */
gboolean
fraise_client_close_finish (FraiseClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fraise_client_close_sync:
 * @client: a client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Closes like [method@Fraise.Client.close_async], blocking the calling
 * thread.
 *
 * Returns: %TRUE
 *
 * Since: 1.0
 */
gboolean
fraise_client_close_sync (FraiseClient *client, GCancellable *cancellable, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);

  result = _fraise_client_run_sync (client, client, (FraiseAsyncStart) fraise_client_close_async,
                                    cancellable);
  return fraise_client_close_finish (client, result, error);
}

/**
 * fraise_client_is_connected:
 * @client: a client
 *
 * Whether the client has an established connection (idle or running a
 * query).
 *
 * Returns: %TRUE if connected
 *
 * Since: 1.0
 */
gboolean
fraise_client_is_connected (FraiseClient *client)
{
  FraiseConnectionState state;

  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);
  if (client->connection == NULL)
    return FALSE;
  state = fraise_connection_get_state (client->connection);
  return state == FRAISE_CONNECTION_STATE_IDLE || state == FRAISE_CONNECTION_STATE_QUERY;
}

/**
 * fraise_client_get_conninfo:
 * @client: a client
 *
 * The connection string the client was created with.
 *
 * Returns: (nullable): the connection string
 *
 * Since: 1.0
 */
const char *
fraise_client_get_conninfo (FraiseClient *client)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), NULL);
  return client->conninfo;
}

/**
 * fraise_client_get_parameter:
 * @client: a client
 * @name: a parameter name, such as `server_version` or `TimeZone`
 *
 * One ParameterStatus value reported by the server.
 *
 * Returns: (nullable): the value, or %NULL if the server did not report it
 *
 * Since: 1.0
 */
const char *
fraise_client_get_parameter (FraiseClient *client, const char *name)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (client->connection == NULL)
    return NULL;
  return fraise_connection_get_parameter (client->connection, name);
}

/**
 * fraise_client_get_server_version:
 * @client: a client
 *
 * The server's version string (`15.10 (Debian 15.10-0+deb12u1)`).
 *
 * Returns: (nullable): the version, or %NULL before connecting
 *
 * Since: 1.0
 */
const char *
fraise_client_get_server_version (FraiseClient *client)
{
  return fraise_client_get_parameter (client, "server_version");
}

/**
 * fraise_client_get_backend_pid:
 * @client: a client
 *
 * The server backend's process ID (as in `pg_stat_activity.pid`).
 *
 * Returns: the PID, or 0 before connecting
 *
 * Since: 1.0
 */
guint
fraise_client_get_backend_pid (FraiseClient *client)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), 0);
  if (!fraise_client_is_connected (client))
    return 0;
  return fraise_connection_get_backend_pid (client->connection);
}

/**
 * fraise_client_get_is_tls:
 * @client: a client
 *
 * Whether the connection is encrypted.
 *
 * Returns: %TRUE over TLS
 *
 * Since: 1.0
 */
gboolean
fraise_client_get_is_tls (FraiseClient *client)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);
  return fraise_client_is_connected (client) && fraise_connection_is_tls (client->connection);
}

/**
 * fraise_client_get_channel_bound:
 * @client: a client
 *
 * Whether SCRAM authentication was bound to the TLS channel.
 *
 * Returns: %TRUE with SCRAM-SHA-256-PLUS
 *
 * Since: 1.0
 */
gboolean
fraise_client_get_channel_bound (FraiseClient *client)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), FALSE);
  return fraise_client_is_connected (client) &&
         fraise_connection_is_channel_bound (client->connection);
}

/**
 * fraise_client_get_auth_method:
 * @client: a client
 *
 * The authentication method used: `trust`, `cleartext`, `md5`,
 * `scram-sha-256` or `scram-sha-256-plus`.
 *
 * Returns: (nullable): the method, or %NULL before connecting
 *
 * Since: 1.0
 */
const char *
fraise_client_get_auth_method (FraiseClient *client)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), NULL);
  if (!fraise_client_is_connected (client))
    return NULL;
  return fraise_connection_get_auth_method (client->connection);
}

/**
 * fraise_client_dup_parameters:
 * @client: a client
 *
 * A copy of every ParameterStatus value the server reported.
 *
 * Returns: (transfer full) (element-type utf8 utf8): a new hash table
 *
 * Since: 1.0
 */
GHashTable *
fraise_client_dup_parameters (FraiseClient *client)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (FRAISE_IS_CLIENT (client), copy);
  if (client->connection == NULL)
    return copy;
  g_hash_table_iter_init (&iter, fraise_connection_get_parameters (client->connection));
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}
