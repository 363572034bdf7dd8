/* test-restart.c: the server going away under a stream, and coming back
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * pg_terminate_backend, `pg_ctl restart -m fast` and `-m immediate` in the
 * middle of a stream, and a statement_timeout the server sets. Each ends
 * with a clear error (the server's own message when it sent one), delivers
 * exactly the rows that came before it, never hangs, and the same client
 * connects and streams again once the server is back. The restarts stop the
 * shared test server: the program runs alone (is_parallel: false).
 */

#include "fraise-test-utils.h"

#include <string.h>

#define END_WITHIN_US (20 * G_TIME_SPAN_SECOND)

/* Connects @client again, retrying while the server is still starting. */
static void
reconnect (FraiseClient *client)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  g_assert_false (fraise_client_is_connected (client));
  for (;;)
    {
      g_autoptr(GError) error = NULL;

      if (fraise_client_connect_sync (client, NULL, &error))
        break;
      g_test_message ("reconnecting: %s", error->message);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
  fraise_test_assert_reusable (client);
}

/* The error of a backend ended under a stream: the server's FATAL 57P01 when
 * it got to the client, the lost connection otherwise. */
static void
assert_server_gone (const GError *error, const char *server_text)
{
  g_assert_nonnull (error);
  g_test_message ("stream ended with: %s", error->message);
  if (g_error_matches (error, FRAISE_ERROR, FRAISE_ERROR_SERVER))
    {
      g_assert_nonnull (strstr (error->message, "SQLSTATE 57P01"));
      g_assert_nonnull (strstr (error->message, server_text));
    }
  else
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_LOST);
}

/* Streams v_slow_long (a row every 20 ms) and runs @fault after 5 rows;
 * returns the error the stream ended with and the rows it delivered. */
static GError *
stream_until_fault (FraiseClient *client,
                    void (*fault) (FraiseClient *, gpointer),
                    gpointer data,
                    guint64 *rows)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_slow_long");
  g_autoptr(FraiseStream) stream = NULL;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  FraiseRow *row;

  *rows = 0;
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (fraise_row_get_index (row), ==, *rows);
      fraise_row_unref (row);
      if (++*rows == 5)
        fault (client, data);
      g_assert_cmpint (g_get_monotonic_time () - start, <, END_WITHIN_US);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, <, END_WITHIN_US);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_FAILED);
  g_assert_cmpuint (*rows, >=, 5);
  g_assert_cmpuint (*rows, <, 3000);
  return error;
}

static void
terminate_backend (FraiseClient *client, gpointer data)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT pg_terminate_backend(%u)", fraise_client_get_backend_pid (client));

  fraise_test_psql (data, sql, NULL);
}

static void
test_terminate_backend (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  const char *super = g_getenv ("FRAISE_TEST_SUPERUSER_URI");
  g_autoptr(GError) error = NULL;
  guint64 rows;

  if (client == NULL)
    return;
  g_assert_nonnull (super);
  error = stream_until_fault (client, terminate_backend, (gpointer) super, &rows);
  assert_server_gone (error, "terminating connection due to administrator command");
  reconnect (client);
}

typedef struct {
  const char *mode;
  GSubprocess *restart;
} Restart;

static void
start_restart (FraiseClient *client, gpointer data)
{
  Restart *restart = data;
  g_autofree char *harness =
    g_test_build_filename (G_TEST_DIST, "..", "scripts", "pg-harness.sh", NULL);
  g_autoptr(GError) error = NULL;

  (void) client;
  restart->restart = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, harness, "restart",
                                       restart->mode, g_getenv ("FRAISE_PG_DIR"), NULL);
  g_assert_no_error (error);
}

static void
restart_mid_stream (const char *mode, const char *server_text)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) idle = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wait_error = NULL;
  Restart restart = { mode, NULL };
  guint64 rows;

  if (client == NULL || idle == NULL)
    return;
  g_assert_nonnull (g_getenv ("FRAISE_PG_DIR"));
  error = stream_until_fault (client, start_restart, &restart, &rows);
  assert_server_gone (error, server_text);
  g_assert_true (g_subprocess_wait_check (restart.restart, NULL, &wait_error));
  g_assert_no_error (wait_error);
  g_clear_object (&restart.restart);
  reconnect (client);

  /* A client that was idle meanwhile fails its next query cleanly (or finds
   * it already closed), then connects again. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (idle, "v_project");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(GError) idle_error = NULL;
    FraiseRow *row = NULL;

    stream = fraise_query_execute_sync (query, NULL, &idle_error);
    if (stream != NULL)
      row = fraise_stream_next_sync (stream, NULL, &idle_error);
    g_assert_null (row);
    g_assert_nonnull (idle_error);
    g_test_message ("idle client: %s", idle_error->message);
    g_assert_true (idle_error->domain == FRAISE_ERROR);
    g_assert_true (idle_error->code == FRAISE_ERROR_CLOSED ||
                   idle_error->code == FRAISE_ERROR_CONNECTION_LOST ||
                   idle_error->code == FRAISE_ERROR_SERVER);
    g_clear_object (&stream);
    reconnect (idle);
  }
}

static void
test_restart_fast (void)
{
  restart_mid_stream ("fast", "terminating connection due to administrator command");
}

static void
test_restart_immediate (void)
{
  restart_mid_stream ("immediate", "terminating connection due to immediate shutdown");
}

/* The server's own statement_timeout (set on the role, not by the client)
 * ends the query with its SQLSTATE; the connection stays usable. */
static void
test_server_statement_timeout (void)
{
  const char *super = g_getenv ("FRAISE_TEST_SUPERUSER_URI");
  const char *socket_dir = g_getenv ("FRAISE_TEST_SOCKET_DIR");
  const char *port = g_getenv ("FRAISE_TEST_PORT");
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  FraiseRow *row;
  guint64 rows = 0;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI) == NULL)
    return;
  g_assert_nonnull (super);
  fraise_test_psql (super,
                    "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                    "'fraise_timeout') THEN CREATE ROLE fraise_timeout LOGIN; END IF; END$$;"
                    "ALTER ROLE fraise_timeout SET statement_timeout = '300ms';"
                    "GRANT CONNECT ON DATABASE fraise_test TO fraise_timeout;"
                    "GRANT SELECT ON v_slow_long, v_project TO fraise_timeout;",
                    NULL);
  conninfo =
    g_strdup_printf ("host=%s port=%s dbname=fraise_test user=fraise_timeout", socket_dir, port);
  client = fraise_client_new (conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  query = fraise_client_query (client, "v_slow_long");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (fraise_row_get_index (row), ==, rows++);
      fraise_row_unref (row);
    }
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "statement timeout"));
  g_assert_nonnull (strstr (error->message, "SQLSTATE 57014"));
  g_assert_cmpuint (rows, <, 3000);
  g_clear_object (&stream);
  fraise_test_assert_reusable (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/restart/terminate-backend", test_terminate_backend);
  g_test_add_func ("/restart/server-statement-timeout", test_server_statement_timeout);
  g_test_add_func ("/restart/fast", test_restart_fast);
  g_test_add_func ("/restart/immediate", test_restart_immediate);
  return g_test_run ();
}
