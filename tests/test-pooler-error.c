/* test-pooler-error.c: errors that PgBouncer writes itself, from a fake server
 *
 * PgBouncer's own ErrorResponse carries severity, SQLSTATE and message only;
 * PostgreSQL's always has the routine field too. The fake server sends
 * both shapes with the same texts, at start-up, as the answer to a query and
 * while the connection is idle: only the pooler's shape gets the pooler's
 * explanation (and, at start-up, its error code).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-fake-server.h"

#include <string.h>

/* An ErrorResponse as PgBouncer writes it (@routine NULL), or as
 * PostgreSQL does, with the severity twice and a routine. */
static void
msg_pooler_error (GByteArray *out, const char *severity, const char *text, const char *routine)
{
  guint m = msg_begin (out, 'E');

  g_byte_array_append (out, (const guint8 *) "S", 1);
  put_str (out, severity);
  if (routine != NULL)
    {
      g_byte_array_append (out, (const guint8 *) "V", 1);
      put_str (out, severity);
    }
  g_byte_array_append (out, (const guint8 *) "C", 1);
  put_str (out, "08P01");
  g_byte_array_append (out, (const guint8 *) "M", 1);
  put_str (out, text);
  if (routine != NULL)
    {
      g_byte_array_append (out, (const guint8 *) "R", 1);
      put_str (out, routine);
    }
  g_byte_array_append (out, (const guint8 *) "", 1);
  msg_end (out, m);
}

static const char *startup_text;
static const char *startup_routine;

/* Answers the startup packet with a FATAL error and closes. */
static void
script_refuse (Peer *peer, int type, const guint8 *body, gsize len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type != MSG_STARTUP)
    return;
  msg_pooler_error (out, "FATAL", startup_text, startup_routine);
  peer_send (peer, out);
  peer->close_when_flushed = TRUE;
  peer_flush (peer);
}

static GError *
startup_fails (const char *text, const char *routine, int code)
{
  g_autoptr(Fake) fake = NULL;

  startup_text = text;
  startup_routine = routine;
  fake = fake_new (script_refuse, 0);
  return connect_fails (fake, "sslmode=disable", code);
}

static void
assert_mentions (const GError *error, ...)
{
  const char *fragment;
  va_list args;

  g_test_message ("error: %s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  va_start (args, error);
  while ((fragment = va_arg (args, const char *)) != NULL)
    if (strstr (error->message, fragment) == NULL)
      g_error ("\"%s\" does not mention \"%s\"", error->message, fragment);
  va_end (args);
}

static void
test_startup_unsupported_parameter (void)
{
  g_autoptr(GError) error = NULL;

  error = startup_fails ("unsupported startup parameter: options", NULL, FRAISE_ERROR_CONFIG);
  assert_mentions (error, "unsupported startup parameter: options", "PgBouncer",
                   "ignore_startup_parameters", NULL);
  g_assert_false (fraise_error_is_retriable (error));
  g_assert_cmpstr (fraise_server_message_get_sqlstate (fraise_error_get_server_message (error)), ==,
                   "08P01");
}

static void
test_startup_max_client_conn (void)
{
  g_autoptr(GError) error = NULL;

  error = startup_fails ("no more connections allowed (max_client_conn)", NULL,
                         FRAISE_ERROR_CONNECTION_FAILED);
  assert_mentions (error, "max_client_conn in pgbouncer.ini", NULL);
  g_assert_true (fraise_error_is_retriable (error));
}

static void
test_startup_no_such_database (void)
{
  g_autoptr(GError) error = NULL;

  error = startup_fails ("no such database: shop", NULL, FRAISE_ERROR_CONFIG);
  assert_mentions (error, "no such database: shop", "[databases]", NULL);
}

/* The same text from PostgreSQL (it has a routine) is not the pooler's. */
static void
test_startup_server_shape (void)
{
  g_autoptr(GError) error = NULL;

  error = startup_fails ("unsupported startup parameter: options", "ProcessStartupPacket",
                         FRAISE_ERROR_CONNECTION_FAILED);
  assert_mentions (error, "unsupported startup parameter: options", NULL);
  g_assert_null (strstr (error->message, "PgBouncer"));
}

/* The answer to the first query: @text in the pooler's shape (or the
 * server's, with @routine), then the connection closes. */
static GError *
query_error (const char *text, const char *routine)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  GError *error;

  fake->queries = g_byte_array_new ();
  msg_pooler_error (fake->queries, "ERROR", text, routine);
  fake->close_after_query = TRUE;
  error = run_query (client, NULL);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  settle ();
  g_assert_false (fraise_client_is_connected (client));
  return error;
}

static void
test_query_wait_timeout (void)
{
  g_autoptr(GError) error = query_error ("query_wait_timeout", NULL);

  assert_mentions (error, "query_wait_timeout (SQLSTATE 08P01)", "PgBouncer",
                   "no free server connection", "pool_size", NULL);
  g_assert_true (fraise_error_is_retriable (error));
}

/* Texts match whole (or by their documented start only). */
static void
test_query_other_texts (void)
{
  g_autoptr(GError) longer = query_error ("query_wait_timeout exceeded", NULL);
  g_autoptr(GError) server = query_error ("query_wait_timeout", "errfinish");
  g_autoptr(GError) timeout = query_error ("query_timeout", NULL);

  g_assert_null (strstr (longer->message, "PgBouncer"));
  g_assert_null (strstr (server->message, "PgBouncer"));
  assert_mentions (timeout, "query_timeout", "PgBouncer ended the query", NULL);
}

static void
on_closed (FraiseClient *client, const GError *error, gpointer user_data)
{
  GError **slot = user_data;

  g_assert_null (*slot);
  g_assert_nonnull (error);
  *slot = g_error_copy (error);
}

/* PgBouncer's client_idle_timeout arrives while no query runs. */
static void
test_idle_timeout (void)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  Peer *peer;

  g_signal_connect (client, "closed", G_CALLBACK (on_closed), &error);
  g_assert_cmpuint (fake->peers->len, ==, 1);
  peer = g_ptr_array_index (fake->peers, 0);
  msg_pooler_error (out, "FATAL", "client_idle_timeout", NULL);
  peer_send (peer, out);
  peer->close_when_flushed = TRUE;
  peer_flush (peer);
  settle ();
  g_assert_false (fraise_client_is_connected (client));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_LOST);
  assert_mentions (error, "client_idle_timeout", "PgBouncer closed the connection", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pooler-error/startup/unsupported-parameter",
                   test_startup_unsupported_parameter);
  g_test_add_func ("/pooler-error/startup/max-client-conn", test_startup_max_client_conn);
  g_test_add_func ("/pooler-error/startup/no-such-database", test_startup_no_such_database);
  g_test_add_func ("/pooler-error/startup/server-shape", test_startup_server_shape);
  g_test_add_func ("/pooler-error/query/query-wait-timeout", test_query_wait_timeout);
  g_test_add_func ("/pooler-error/query/other-texts", test_query_other_texts);
  g_test_add_func ("/pooler-error/idle/client-idle-timeout", test_idle_timeout);

  return g_test_run ();
}
