/* test-connect.c: connecting and authenticating against the harness's real server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"

#include <glib/gstdio.h>
#include <unistd.h>

static FraiseClient *
connect_ok (const char *uri)
{
  g_autoptr(GError) error = NULL;
  FraiseClient *client = fraise_client_new (uri, &error);

  g_assert_no_error (error);
  fraise_client_connect_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_is_connected (client));
  g_assert_cmpuint (fraise_client_get_backend_pid (client), >, 0);
  g_assert_true (g_str_has_prefix (fraise_client_get_server_version (client), "15"));
  g_assert_cmpstr (fraise_client_get_parameter (client, "client_encoding"), ==, "UTF8");
  return client;
}

static GError *
connect_error (const char *uri)
{
  g_autoptr(FraiseClient) client = NULL;
  GError *error = NULL;

  client = fraise_client_new (uri, &error);
  g_assert_no_error (error);
  g_assert_false (fraise_client_connect_sync (client, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (fraise_client_is_connected (client));
  g_test_message ("error: %s", error->message);
  return error;
}

static void
check_method (const char *env_name, const char *method, gboolean tls)
{
  const char *uri = fraise_test_get_uri (env_name);
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GHashTable) parameters = NULL;

  if (uri == NULL)
    return;
  client = connect_ok (uri);
  g_assert_cmpstr (fraise_client_get_auth_method (client), ==, method);
  g_assert_cmpint (fraise_client_get_is_tls (client), ==, tls);
  parameters = fraise_client_dup_parameters (client);
  g_assert_cmpstr (g_hash_table_lookup (parameters, "server_encoding"), ==, "UTF8");
}

static void
test_trust_unix (void)
{
  check_method (FRAISE_TEST_ENV_URI, "trust", FALSE);
}

static void
test_scram_tcp (void)
{
  check_method (FRAISE_TEST_ENV_URI_SCRAM, "scram-sha-256", FALSE);
}

static void
test_md5_tcp (void)
{
  check_method (FRAISE_TEST_ENV_URI_MD5, "md5", FALSE);
}

static void
test_password_tcp (void)
{
  check_method (FRAISE_TEST_ENV_URI_PASSWORD, "cleartext", FALSE);
}

static void
test_scram_plus_tls (void)
{
  const char *uri = fraise_test_get_uri ("FRAISE_TEST_URI_TLS");
  g_autoptr(FraiseClient) client = NULL;

  if (uri == NULL)
    return;
  client = connect_ok (uri);
  g_assert_true (fraise_client_get_is_tls (client));
  g_assert_cmpstr (fraise_client_get_auth_method (client), ==, "scram-sha-256-plus");
  g_assert_true (fraise_client_get_channel_bound (client));
}

/* Replaces the password of a postgresql://user:password@... URI. */
static char *
with_password (const char *uri, const char *password)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD, NULL);

  g_assert_nonnull (parsed);
  return g_uri_join_with_user (G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD,
                               g_uri_get_scheme (parsed), g_uri_get_user (parsed), password, NULL,
                               g_uri_get_host (parsed), g_uri_get_port (parsed),
                               g_uri_get_path (parsed), g_uri_get_query (parsed), NULL);
}

static void
check_wrong_password (const char *env_name)
{
  const char *uri = fraise_test_get_uri (env_name);
  g_autofree char *wrong = NULL;
  g_autoptr(GError) error = NULL;
  FraiseServerMessage *message;

  if (uri == NULL)
    return;
  wrong = with_password (uri, "Wr0ngPassw0rdXyZ");
  error = connect_error (wrong);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  message = fraise_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "28P01");
  g_assert_nonnull (strstr (error->message, "password authentication failed"));
  g_assert_null (strstr (error->message, "Wr0ngPassw0rdXyZ"));
  g_assert_false (fraise_error_is_retriable (error));
  g_assert_cmpstr (fraise_error_get_category (error), ==, "authentication");
}

static void
test_wrong_password_scram (void)
{
  check_wrong_password (FRAISE_TEST_ENV_URI_SCRAM);
}

static void
test_wrong_password_md5 (void)
{
  check_wrong_password (FRAISE_TEST_ENV_URI_MD5);
}

static void
test_wrong_password_cleartext (void)
{
  check_wrong_password (FRAISE_TEST_ENV_URI_PASSWORD);
}

static void
test_no_password (void)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI_SCRAM);
  g_autofree char *without = NULL;
  g_autofree char *with_passfile = NULL;
  g_autofree char *passfile = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  if (uri == NULL)
    return;
  without = with_password (uri, NULL);
  /* An empty password file keeps ~/.pgpass out of the test. */
  fd = g_file_open_tmp ("fraise-empty-pgpass-XXXXXX", &passfile, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  with_passfile = g_strdup_printf ("%s&passfile=%s", without, passfile);
  error = connect_error (with_passfile);
  g_unlink (passfile);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, "no password was supplied"));
}

/* A key=value string for the harness's Unix socket. */
static char *
socket_conninfo (const char *user, const char *dbname)
{
  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI) == NULL)
    return NULL;
  return g_strdup_printf ("host=%s port=%s user=%s dbname=%s", g_getenv ("FRAISE_TEST_SOCKET_DIR"),
                          g_getenv ("FRAISE_TEST_PORT"), user, dbname);
}

static void
test_unknown_role (void)
{
  g_autofree char *bad = socket_conninfo ("no_such_role", "fraise_test");
  g_autoptr(GError) error = NULL;
  FraiseServerMessage *message;

  if (bad == NULL)
    return;
  error = connect_error (bad);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  message = fraise_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "28000");
  g_assert_nonnull (strstr (error->message, "no_such_role"));
  g_assert_nonnull (strstr (error->message, "pg_hba.conf"));
}

static void
test_unknown_database (void)
{
  g_autofree char *bad = socket_conninfo ("fraise_trust", "no_such_db");
  g_autoptr(GError) error = NULL;
  FraiseServerMessage *message;

  if (bad == NULL)
    return;
  error = connect_error (bad);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
  message = fraise_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "3D000");
  g_assert_nonnull (strstr (error->message, "no_such_db"));
  g_assert_nonnull (strstr (error->message, "psql -l"));
  g_assert_false (fraise_error_is_retriable (error));
}

/* A port on loopback with nothing listening. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* The socket closes here without listening: connections are refused. */
}

static void
test_refused_port (void)
{
  guint16 port = closed_port ();
  g_autofree char *uri = g_strdup_printf ("postgresql://u@127.0.0.1:%u/db?sslmode=disable", port);
  g_autofree char *expected = g_strdup_printf ("pg_isready -h 127.0.0.1 -p %u", port);
  g_autoptr(GError) error = connect_error (uri);

  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "connection refused"));
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_true (fraise_error_is_retriable (error));
}

static void
test_missing_socket (void)
{
  g_autoptr(GError) error = connect_error ("host=/nonexistent/dir port=5 user=u dbname=d");

  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/.s.PGSQL.5"));
}

static void
test_unknown_host (void)
{
  g_autoptr(GError) error = connect_error ("postgresql://u@no-such-host.invalid:5432/db");

  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "no-such-host.invalid"));
  g_assert_nonnull (strstr (error->message, "could not resolve"));
}

static gboolean
hold_connection (GSocketService *service,
                 GSocketConnection *connection,
                 GObject *source,
                 gpointer user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

/* A listener that accepts connections and never answers. */
static GSocketService *
deaf_listener (guint16 *port)
{
  GSocketService *service = g_socket_service_new ();
  GPtrArray *held = g_ptr_array_new_with_free_func (g_object_unref);

  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection), held);
  g_object_set_data_full (G_OBJECT (service), "held", held, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), any,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                                &effective, NULL));
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_service_start (service);
  return service;
}

static void
test_connect_timeout (void)
{
  guint16 port;
  g_autoptr(GSocketService) service = deaf_listener (&port);
  g_autofree char *uri = g_strdup_printf ("host=127.0.0.1 port=%u user=u dbname=d "
                                          "connect_timeout=2",
                                          port);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = connect_error (uri);
  gint64 elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "connect_timeout=2"));
  /* The deadline is the contract being tested, not a performance figure. */
  g_assert_cmpint (elapsed, >=, 1900000);
  g_assert_cmpint (elapsed, <, fraise_test_scaled (5000000));
  g_socket_service_stop (service);
}

static void
test_multiple_hosts (void)
{
  const char *port = g_getenv ("FRAISE_TEST_PORT");
  const char *password = g_getenv ("FRAISE_TEST_SCRAM_PASSWORD");
  g_autofree char *uri = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GError) error = NULL;
  guint16 dead = closed_port ();

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI_SCRAM) == NULL)
    return;
  /* The first host refuses; the second is the real server. */
  uri = g_strdup_printf ("host=127.0.0.1,127.0.0.1 port=%u,%s user=fraise_scram "
                         "dbname=fraise_test sslmode=disable password='%s'",
                         dead, port, password);
  client = fraise_client_new (uri, &error);
  g_assert_no_error (error);
  fraise_client_connect_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fraise_client_get_auth_method (client), ==, "scram-sha-256");
}

static void
test_all_hosts_fail (void)
{
  guint16 a = closed_port (), b = closed_port ();
  g_autofree char *uri = g_strdup_printf ("host=127.0.0.1,127.0.0.1 port=%u,%u user=u dbname=d "
                                          "sslmode=disable",
                                          a, b);
  g_autofree char *first = g_strdup_printf ("127.0.0.1:%u", a);
  g_autofree char *second = g_strdup_printf ("127.0.0.1:%u", b);
  g_autoptr(GError) error = connect_error (uri);

  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "any of 2 hosts"));
  g_assert_nonnull (strstr (error->message, first));
  g_assert_nonnull (strstr (error->message, second));
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_false (fraise_client_connect_finish (FRAISE_CLIENT (source), result, error));
}

static void
test_cancel_connect (void)
{
  guint16 port;
  g_autoptr(GSocketService) service = deaf_listener (&port);
  g_autofree char *uri = g_strdup_printf ("host=127.0.0.1 port=%u user=u dbname=d", port);
  g_autoptr(FraiseClient) client = fraise_client_new (uri, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  fraise_client_connect_async (client, cancellable, on_connected, &error);
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (fraise_error_get_category (error), ==, "cancelled");
  g_clear_error (&error);
  g_socket_service_stop (service);
}

static void
on_closed (FraiseClient *client, const GError *error, gpointer user_data)
{
  guint *count = user_data;

  g_assert_no_error (error);
  (*count)++;
}

static void
test_close (void)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint closed = 0;

  if (uri == NULL)
    return;
  client = connect_ok (uri);
  g_signal_connect (client, "closed", G_CALLBACK (on_closed), &closed);
  fraise_client_close_async (client, NULL, NULL, NULL);
  g_assert_false (fraise_client_is_connected (client));
  g_assert_cmpuint (closed, ==, 1);
  /* Closing again does nothing; a closed client connects again (the
   * lifecycle tests check it is a new backend). */
  fraise_client_close_async (client, NULL, NULL, NULL);
  g_assert_cmpuint (closed, ==, 1);
  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fraise_client_is_connected (client));
}

/* With every debug flag on, connecting with each password method logs the
 * exchange, but never a password. */
static void
test_no_password_in_debug_output (void)
{
  static const char *const envs[] = {
    FRAISE_TEST_ENV_URI_SCRAM,
    FRAISE_TEST_ENV_URI_MD5,
    FRAISE_TEST_ENV_URI_PASSWORD,
  };
  static const char *const passwords[] = {
    "FRAISE_TEST_SCRAM_PASSWORD",
    "FRAISE_TEST_MD5_PASSWORD",
    "FRAISE_TEST_PASSWORD_PASSWORD",
  };
  guint i;

  if (g_test_subprocess ())
    {
      g_setenv ("FRAISE_DEBUG", "all", TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      for (i = 0; i < G_N_ELEMENTS (envs); i++)
        {
          g_autoptr(FraiseClient) good = connect_ok (g_getenv (envs[i]));
          g_autofree char *wrong_uri = with_password (g_getenv (envs[i]), "Wr0ngPassw0rdXyZ");
          g_autoptr(GError) error = connect_error (wrong_uri);

          g_printerr ("%s\n", error->message);
        }
      return;
    }

  for (i = 0; i < G_N_ELEMENTS (envs); i++)
    if (fraise_test_get_uri (envs[i]) == NULL)
      return;
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The exchange was logged... */
  g_test_trap_assert_stdout ("*starting scram-sha-256*");
  g_test_trap_assert_stdout ("*answering md5 authentication (password redacted)*");
  g_test_trap_assert_stdout ("*answering cleartext authentication (password redacted)*");
  /* ...and no password was, right or wrong. */
  g_test_trap_assert_stderr_unmatched ("*Wr0ngPassw0rdXyZ*");
  g_test_trap_assert_stdout_unmatched ("*Wr0ngPassw0rdXyZ*");
  for (i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      g_autofree char *pattern = g_strdup_printf ("*%s*", g_getenv (passwords[i]));

      g_assert_nonnull (g_getenv (passwords[i]));
      g_test_trap_assert_stderr_unmatched (pattern);
      g_test_trap_assert_stdout_unmatched (pattern);
    }
}

/* The harness's server is a read-write primary. */
static void
test_target_session_attrs (void)
{
  static const struct {
    const char *target;
    gboolean accepted;
  } cases[] = {
    { "any", TRUE },
    { "read-write", TRUE },
    { "primary", TRUE },
    { "prefer-standby", TRUE }, /* no standby anywhere: any server will do */
    { "read-only", FALSE },
    { "standby", FALSE },
  };
  guint i;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI) == NULL)
    return;
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *base = socket_conninfo ("fraise_trust", "fraise_test");
      g_autofree char *uri = g_strdup_printf ("%s target_session_attrs=%s", base, cases[i].target);

      g_test_message ("target_session_attrs=%s", cases[i].target);
      if (cases[i].accepted)
        {
          g_autoptr(FraiseClient) client = connect_ok (uri);
        }
      else
        {
          g_autoptr(GError) error = connect_error (uri);
          g_autofree char *expected = g_strdup_printf ("target_session_attrs=%s", cases[i].target);

          g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
          g_assert_nonnull (strstr (error->message, "read-write primary"));
          g_assert_nonnull (strstr (error->message, expected));
        }
    }
}

/* Every host of the list is tried, and the error says why each was refused. */
static void
test_target_session_attrs_all_hosts (void)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI) == NULL)
    return;
  uri = g_strdup_printf ("host=%s,%s port=%s user=fraise_trust dbname=fraise_test "
                         "target_session_attrs=standby",
                         g_getenv ("FRAISE_TEST_SOCKET_DIR"), g_getenv ("FRAISE_TEST_SOCKET_DIR"),
                         g_getenv ("FRAISE_TEST_PORT"));
  error = connect_error (uri);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "any of 2 hosts"));
}

static void
test_bad_conninfo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = fraise_client_new ("host=x frobnicate=1", &error);

  g_assert_null (client);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "frobnicate"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connect/trust-unix", test_trust_unix);
  g_test_add_func ("/connect/scram-tcp", test_scram_tcp);
  g_test_add_func ("/connect/md5-tcp", test_md5_tcp);
  g_test_add_func ("/connect/password-tcp", test_password_tcp);
  g_test_add_func ("/connect/scram-plus-tls", test_scram_plus_tls);
  g_test_add_func ("/connect/wrong-password/scram", test_wrong_password_scram);
  g_test_add_func ("/connect/wrong-password/md5", test_wrong_password_md5);
  g_test_add_func ("/connect/wrong-password/cleartext", test_wrong_password_cleartext);
  g_test_add_func ("/connect/no-password", test_no_password);
  g_test_add_func ("/connect/unknown-role", test_unknown_role);
  g_test_add_func ("/connect/unknown-database", test_unknown_database);
  g_test_add_func ("/connect/refused-port", test_refused_port);
  g_test_add_func ("/connect/missing-socket", test_missing_socket);
  g_test_add_func ("/connect/unknown-host", test_unknown_host);
  g_test_add_func ("/connect/timeout", test_connect_timeout);
  g_test_add_func ("/connect/multiple-hosts", test_multiple_hosts);
  g_test_add_func ("/connect/all-hosts-fail", test_all_hosts_fail);
  g_test_add_func ("/connect/cancel", test_cancel_connect);
  g_test_add_func ("/connect/close", test_close);
  g_test_add_func ("/connect/bad-conninfo", test_bad_conninfo);
  g_test_add_func ("/connect/target-session-attrs", test_target_session_attrs);
  g_test_add_func ("/connect/target-session-attrs-all-hosts", test_target_session_attrs_all_hosts);
  g_test_add_func ("/connect/no-password-in-debug-output", test_no_password_in_debug_output);

  return g_test_run ();
}
