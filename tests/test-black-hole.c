/* test-black-hole.c: a peer that vanishes at the TCP level, caught by keepalives and
 * tcp_user_timeout
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The fault proxy cannot fake a dead peer: its kernel acknowledges every
 * segment. Here packets to and from the proxy's port are dropped by an
 * nftables rule on the output hook (loopback only, that one port, a table
 * of this process), so nothing is acknowledged any more: only TCP's own
 * timers can notice. Needs root and nft (both present in CI).
 */

#include "fraise-fault-proxy.h"
#include "fraise-test-utils.h"

#include <string.h>
#include <unistd.h>

static guint16 upstream_port;

static gboolean
can_filter (void)
{
  g_autofree char *nft = g_find_program_in_path ("nft");

  if (nft != NULL && getuid () == 0)
    return TRUE;
  if (g_getenv ("CI") != NULL)
    {
      g_test_message ("dropping packets needs root and nft (scripts/deps.sh installs nftables)");
      g_test_fail ();
    }
  else
    g_test_skip ("needs root and nft");
  return FALSE;
}

static char *
table_name (void)
{
  return g_strdup_printf ("fraise_test_%d", (int) getpid ());
}

static void
nft (const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  int fd = g_file_open_tmp ("fraise-nft-XXXXXX", &path, &error);
  int status = 0;
  const char *argv[] = { "nft", "-f", NULL, NULL };

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, script, -1, &error));
  argv[2] = path;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  unlink (path);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("nft failed: %s\n%s", err, script);
}

/* Every packet to or from @port is dropped from now on. */
static void
drop_port (guint16 port)
{
  g_autofree char *table = table_name ();
  g_autofree char *script =
    g_strdup_printf ("table inet %s {\n"
                     "  chain out {\n"
                     "    type filter hook output priority 0; policy accept;\n"
                     "    tcp dport %u drop\n"
                     "    tcp sport %u drop\n"
                     "  }\n"
                     "}\n",
                     table, port, port);

  nft (script);
}

static void
undrop (void)
{
  g_autofree char *table = table_name ();
  g_autofree char *script = g_strdup_printf ("delete table inet %s\n", table);

  nft (script);
}

static FraiseClient *
connect_through (FraiseFaultProxy *proxy, const char *options)
{
  g_autofree char *conninfo = fraise_fault_proxy_dup_conninfo (proxy, options);
  g_autoptr(GError) error = NULL;
  FraiseClient *client = fraise_client_new (conninfo, &error);

  g_assert_no_error (error);
  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  return client;
}

static void
assert_lost_in (const GError *error, gint64 since, gint64 min_ms, gint64 max_ms)
{
  gint64 ms = (g_get_monotonic_time () - since) / 1000;

  g_assert_nonnull (error);
  g_test_message ("%s after %" G_GINT64_FORMAT " ms (bound %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                  ")",
                  error->message, ms, min_ms, max_ms);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_LOST);
  g_assert_cmpint (ms, >=, min_ms);
  g_assert_cmpint (ms, <=, fraise_test_scaled (max_ms));
}

/* The client then is closed, and connects again once the path is back. */
static void
assert_closed_then_reconnects (FraiseClient *client)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (fraise_client_is_connected (client));
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CLOSED);
  g_clear_error (&error);
  undrop ();
  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  fraise_test_assert_reusable (client);
}

/* Mid-stream the rows stop coming and nothing is acknowledged: only
 * keepalive probes, idle 1 s, interval 1 s, count 2, can tell (about 3 s). */
static void
test_keepalives (void)
{
  FraiseFaultRule pass = { FRAISE_FAULT_PASS };
  g_autoptr(FraiseFaultProxy) proxy = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gint64 dropped_at = 0;
  guint64 n = 0;
  FraiseRow *row;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI_SCRAM) == NULL || !can_filter ())
    return;
  proxy = fraise_fault_proxy_new (upstream_port, &pass);
  client = connect_through (proxy, "keepalives=1 keepalives_idle=1 keepalives_interval=1 "
                                   "keepalives_count=2");
  query = fraise_client_query (client, "v_slow_long");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (fraise_row_get_index (row), ==, n++);
      fraise_row_unref (row);
      if (n == 5)
        {
          drop_port (fraise_fault_proxy_get_port (proxy));
          dropped_at = g_get_monotonic_time ();
        }
    }
  assert_lost_in (error, dropped_at, 1500, 8000);
  g_assert_cmpuint (n, >=, 5);
  g_assert_cmpuint (n, <, 3000);
  g_clear_object (&stream);
  assert_closed_then_reconnects (client);
}

/* A query written into the black hole is never acknowledged: with
 * keepalives off, tcp_user_timeout (1.5 s) alone ends it. */
static void
test_tcp_user_timeout (void)
{
  FraiseFaultRule pass = { FRAISE_FAULT_PASS };
  g_autoptr(FraiseFaultProxy) proxy = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI_SCRAM) == NULL || !can_filter ())
    return;
  proxy = fraise_fault_proxy_new (upstream_port, &pass);
  client = connect_through (proxy, "keepalives=0 tcp_user_timeout=1500");
  drop_port (fraise_fault_proxy_get_port (proxy));
  query = fraise_client_query (client, "v_project");
  start = g_get_monotonic_time ();
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_null (stream);
  assert_lost_in (error, start, 1200, 5000);
  assert_closed_then_reconnects (client);
}

int
main (int argc, char **argv)
{
  const char *port;

  g_test_init (&argc, &argv, NULL);
  port = g_getenv ("FRAISE_TEST_PORT");
  upstream_port = port != NULL ? (guint16) g_ascii_strtoull (port, NULL, 10) : 0;

  g_test_add_func ("/black-hole/keepalives", test_keepalives);
  g_test_add_func ("/black-hole/tcp-user-timeout", test_tcp_user_timeout);
  return g_test_run ();
}
