/* test-pgbouncer.c: the library through a real PgBouncer (scripts/pg-harness.sh)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The harness runs PgBouncer in front of its cluster with three databases,
 * all on fraise_test: fraise_tx (transaction pooling), fraise_session
 * (session pooling) and fraise_small (transaction pooling, one server
 * connection). Fixtures: data/fixtures.sql (v_sleep, v_session, v_bench_*).
 * Time is asserted only where a fault would otherwise go unseen (a cancel
 * that is not honoured lets v_sleep run for 30 s), with wide margins.
 */

#include "fraise-test-utils.h"

#include <string.h>

#define PGB_TX_ENV "FRAISE_TEST_PGB_URI_TX"
#define PGB_SESSION_ENV "FRAISE_TEST_PGB_URI_SESSION"
#define PGB_SMALL_ENV "FRAISE_TEST_PGB_URI_SMALL"
#define PGB_WAIT_ENV "FRAISE_TEST_PGB_QUERY_WAIT_TIMEOUT"

#define SLEEP_ROWS 61        /* v_sleep: one row at once, then one every 0.5 s */
#define N_CANCELLED 100      /* streams cancelled at once */
#define N_CONTROL 10         /* streams running meanwhile that nobody cancels */
#define CONTROL_ROWS 21      /* v_sleep LIMIT 21: about 10 s */
#define CANCEL_BOUND_MS 5000 /* a cancel that is not honoured takes 30 s */

/* ---- helpers ------------------------------------------------------------- */

static gint64
elapsed_ms (gint64 since_us)
{
  return (g_get_monotonic_time () - since_us) / 1000;
}

static FraiseClient *
connect_uri (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = fraise_client_new (uri, &error);

  g_assert_no_error (error);
  fraise_client_connect_sync (client, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

/* The URI from @env_name with "&@params" appended (it already has a query
 * part), or NULL when the test was skipped or failed for want of it. */
static char *
uri_with (const char *env_name, const char *params)
{
  const char *uri = fraise_test_get_uri (env_name);

  if (uri == NULL)
    return NULL;
  g_assert_nonnull (strchr (uri, '?'));
  return g_strconcat (uri, "&", params, NULL);
}

/* Exactly @n rows, indexes 0..n-1, and @field of row i is i + 1. */
static void
assert_numbered (GPtrArray *rows, guint n, const char *field)
{
  guint i;

  g_assert_cmpuint (rows->len, ==, n);
  for (i = 0; i < rows->len; i++)
    {
      FraiseRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (fraise_row_get_index (row), ==, i);
      g_assert_cmpint (fraise_row_get_int (row, field, &error), ==, i + 1);
      g_assert_no_error (error);
    }
}

static void
assert_mentions (const char *message, ...)
{
  const char *fragment;
  va_list args;

  va_start (args, message);
  while ((fragment = va_arg (args, const char *)) != NULL)
    if (strstr (message, fragment) == NULL)
      g_error ("\"%s\" does not mention \"%s\"", message, fragment);
  va_end (args);
}

/* ---- 1. streaming --------------------------------------------------------- */

/* 100,000 rows in order, then a second query on the same client (in
 * transaction mode most likely on another server connection). */
static void
check_streaming (const char *env_name)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (env_name);
  guint round;

  if (client == NULL)
    return;
  for (round = 0; round < 2; round++)
    {
      const char *source = round == 0 ? "v_bench_100k" : "v_bench_1k";
      guint n = round == 0 ? 100000 : 1000;
      g_autoptr(FraiseQuery) query = fraise_client_query (client, source);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;

      fraise_query_set_order_by_sql (query, "(data->>'id')::integer");
      rows = fraise_test_pull_all (query, &error);
      g_assert_no_error (error);
      assert_numbered (rows, n, "id");
    }
  fraise_test_assert_reusable (client);
}

static void
test_stream_transaction (void)
{
  check_streaming (PGB_TX_ENV);
}

static void
test_stream_session (void)
{
  check_streaming (PGB_SESSION_ENV);
}

/* ---- 2. cancel ------------------------------------------------------------ */

/* fraise_stream_cancel() sends the CancelRequest with the key PgBouncer
 * gave, to PgBouncer, which forwards it to the server connection that runs
 * the query. */
static void
check_cancel (const char *env_name)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (env_name);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseRow) first = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancel_us, took_ms;
  FraiseRow *row;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_sleep");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  first = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  cancel_us = g_get_monotonic_time ();
  fraise_stream_cancel (stream);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    fraise_row_unref (row);
  took_ms = elapsed_ms (cancel_us);
  g_test_message ("cancel through PgBouncer -> end of stream: %" G_GINT64_FORMAT " ms", took_ms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (took_ms, <, CANCEL_BOUND_MS);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_CANCELLED);
  /* The stream ends at once; the connection drains to ReadyForQuery, which
   * comes only if the server cancelled the query (else the connection is
   * closed after the drain timeout, and is not reusable). */
  fraise_test_assert_reusable (client);
  g_test_message ("cancel -> reusable: %" G_GINT64_FORMAT " ms", elapsed_ms (cancel_us));
}

static void
test_cancel_transaction (void)
{
  check_cancel (PGB_TX_ENV);
}

static void
test_cancel_session (void)
{
  check_cancel (PGB_SESSION_ENV);
}

/* The client's deadline cancels the query through PgBouncer too. */
static void
test_query_timeout (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (PGB_TX_ENV);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start_us, took_ms;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_sleep");
  fraise_query_set_timeout (query, 500);
  start_us = g_get_monotonic_time ();
  rows = fraise_test_pull_all (query, &error);
  took_ms = elapsed_ms (start_us);
  g_test_message ("timeout after %" G_GINT64_FORMAT " ms: %s", took_ms,
                  error != NULL ? error->message : "(no error)");
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_TIMEOUT);
  g_assert_cmpuint (rows->len, <, SLEEP_ROWS);
  g_assert_cmpint (took_ms, <, CANCEL_BOUND_MS);
  fraise_test_assert_reusable (client);
}

/* One client of the many-cancels test. */
typedef struct {
  FraiseClient *client;
  FraiseStream *stream;
  gboolean cancelled; /* a target: cancelled once it has a row */
  guint n_rows;
  gboolean in_order; /* every row had the next index and "i" */
  gboolean connected;
  gboolean finished;
  GError *error;
  gint64 finished_us;
  guint *pending; /* shared countdown of the current phase */
} Slot;

static void
slot_clear (Slot *slot)
{
  g_clear_object (&slot->stream);
  g_clear_object (&slot->client);
  g_clear_error (&slot->error);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Slot *slot = user_data;
  g_autoptr(GError) error = NULL;

  fraise_client_connect_finish (FRAISE_CLIENT (source), result, &error);
  g_assert_no_error (error);
  slot->connected = TRUE;
  (*slot->pending)--;
}

static void
on_rows (FraiseStream *stream, GPtrArray *rows, Slot *slot)
{
  guint i;

  for (i = 0; i < rows->len; i++)
    {
      FraiseRow *row = g_ptr_array_index (rows, i);

      if (fraise_row_get_index (row) != slot->n_rows ||
          fraise_row_get_int (row, "i", NULL) != (gint64) slot->n_rows + 1)
        slot->in_order = FALSE;
      slot->n_rows++;
    }
}

static void
on_finished (FraiseStream *stream, const GError *error, Slot *slot)
{
  g_assert_false (slot->finished);
  slot->finished = TRUE;
  slot->finished_us = g_get_monotonic_time ();
  if (error != NULL)
    slot->error = g_error_copy (error);
  (*slot->pending)--;
}

static void
on_executed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Slot *slot = user_data;
  g_autoptr(GError) error = NULL;

  slot->stream = fraise_query_execute_finish (FRAISE_QUERY (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (slot->stream, "rows", G_CALLBACK (on_rows), slot);
  g_signal_connect (slot->stream, "finished", G_CALLBACK (on_finished), slot);
  fraise_stream_start (slot->stream);
}

static gboolean
wait_timed_out (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *@pending is 0, for at most @seconds. */
static void
wait_for_zero (guint *pending, guint seconds, const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, wait_timed_out, &timed_out);

  while (*pending > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("%u of %s still pending after %u s", *pending, what, seconds);
  g_source_remove (id);
}

/* Every target has a row, so its query runs on a server connection. */
static gboolean
all_targets_running (Slot *slots)
{
  guint i;

  for (i = 0; i < N_CANCELLED; i++)
    if (slots[i].n_rows == 0 && !slots[i].finished)
      return FALSE;
  return TRUE;
}

/* PgBouncer's cancel routing (its test_cancel_race): 100 clients each run a
 * long query, all cancelled in the same main loop iteration, while 10 more
 * clients of the same pool stream rows. Each cancel must end its own stream
 * and no other: a key mixed up on the way (ours or the pooler's) cancels a
 * control stream, which then ends with a server error or too few rows. */
static void
test_cancel_many (void)
{
  const char *uri = fraise_test_get_uri (PGB_TX_ENV);
  Slot slots[N_CANCELLED + N_CONTROL] = { 0 };
  guint pending, i;
  gint64 cancel_us, slowest_ms = 0, start_us;
  gboolean timed_out = FALSE;
  guint guard;

  if (uri == NULL)
    return;
  pending = G_N_ELEMENTS (slots);
  for (i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      g_autoptr(GError) error = NULL;

      slots[i].client = fraise_client_new (uri, &error);
      g_assert_no_error (error);
      slots[i].cancelled = i < N_CANCELLED;
      slots[i].in_order = TRUE;
      slots[i].pending = &pending;
      fraise_client_connect_async (slots[i].client, NULL, on_connected, &slots[i]);
    }
  wait_for_zero (&pending, 60, "the connections");

  pending = G_N_ELEMENTS (slots);
  for (i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      g_autoptr(FraiseQuery) query = fraise_client_query (slots[i].client, "v_sleep");

      if (!slots[i].cancelled)
        fraise_query_set_limit (query, CONTROL_ROWS);
      fraise_query_execute_async (query, NULL, on_executed, &slots[i]);
    }

  start_us = g_get_monotonic_time ();
  guard = g_timeout_add_seconds (20, wait_timed_out, &timed_out);
  while (!all_targets_running (slots) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (guard);
  g_test_message ("%u queries running after %" G_GINT64_FORMAT " ms", N_CANCELLED,
                  elapsed_ms (start_us));

  cancel_us = g_get_monotonic_time ();
  for (i = 0; i < N_CANCELLED; i++)
    {
      g_assert_false (slots[i].finished);
      fraise_stream_cancel (slots[i].stream);
    }
  wait_for_zero (&pending, 60, "the streams");

  for (i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      Slot *slot = &slots[i];

      if (slot->cancelled)
        {
          gint64 took_ms = (slot->finished_us - cancel_us) / 1000;

          g_assert_error (slot->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpint (fraise_stream_get_state (slot->stream), ==,
                           FRAISE_STREAM_STATE_CANCELLED);
          g_assert_cmpuint (slot->n_rows, <, SLEEP_ROWS);
          slowest_ms = MAX (slowest_ms, took_ms);
        }
      else
        {
          g_assert_no_error (slot->error);
          g_assert_cmpint (fraise_stream_get_state (slot->stream), ==,
                           FRAISE_STREAM_STATE_COMPLETED);
          g_assert_cmpuint (slot->n_rows, ==, CONTROL_ROWS);
          /* It ran while the cancels were routed, or it proves nothing. */
          g_assert_cmpint (slot->finished_us, >, cancel_us);
        }
      g_assert_true (slot->in_order);
    }
  g_test_message ("%u cancels: the last stream ended %" G_GINT64_FORMAT " ms after them",
                  N_CANCELLED, slowest_ms);
  g_assert_cmpint (slowest_ms, <, CANCEL_BOUND_MS);

  for (i = 0; i < G_N_ELEMENTS (slots); i++)
    fraise_test_assert_reusable (slots[i].client);
  for (i = 0; i < G_N_ELEMENTS (slots); i++)
    slot_clear (&slots[i]);
}

/* ---- 3. pool exhaustion ----------------------------------------------------- */

/* fraise_small has one server connection: while A's query holds it, B's
 * query waits in PgBouncer's queue until query_wait_timeout, then PgBouncer
 * fails it and closes B's connection. The error must say so. */
static void
test_pool_exhausted (void)
{
  g_autoptr(FraiseClient) a = fraise_test_connect (PGB_SMALL_ENV);
  g_autoptr(FraiseClient) b = NULL;
  g_autoptr(FraiseQuery) slow = NULL;
  g_autoptr(FraiseQuery) waiting = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseRow) first = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *wait_text = g_getenv (PGB_WAIT_ENV);
  guint wait_s;
  gint64 start_us, took_ms;
  FraiseRow *row;

  if (a == NULL)
    return;
  g_assert_nonnull (wait_text);
  wait_s = (guint) g_ascii_strtoull (wait_text, NULL, 10);
  g_assert_cmpuint (wait_s, >, 0);
  b = fraise_test_connect (PGB_SMALL_ENV);

  slow = fraise_client_query (a, "v_sleep");
  stream = fraise_query_execute_sync (slow, NULL, &error);
  g_assert_no_error (error);
  first = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);

  /* A's query keeps the only server connection (its rows wait in the
   * socket meanwhile); B's waits in PgBouncer's queue. */
  start_us = g_get_monotonic_time ();
  waiting = fraise_client_query (b, "v_project");
  rows = fraise_test_pull_all (waiting, &error);
  took_ms = elapsed_ms (start_us);
  g_test_message ("waited %" G_GINT64_FORMAT " ms: %s", took_ms,
                  error != NULL ? error->message : "(no error)");
  g_assert_nonnull (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  assert_mentions (error->message, "query_wait_timeout", "PgBouncer", "pool_size", NULL);
  g_assert_cmpint (took_ms, >=, (gint64) wait_s * 1000 - 100);
  g_assert_cmpint (took_ms, <, (gint64) wait_s * 1000 + 10000);
  g_assert_false (fraise_client_is_connected (b));
  g_test_message ("code %d, category %s, retriable %d", error->code,
                  fraise_error_get_category (error), fraise_error_is_retriable (error));
  g_assert_true (fraise_error_is_retriable (error));
  g_clear_error (&error);

  /* A was never touched. */
  fraise_stream_cancel (stream);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    fraise_row_unref (row);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fraise_test_assert_reusable (a);
}

/* ---- 4. no session state ------------------------------------------------------ */

/* v_session's row: the server connection's pid and its settings. */
static FraiseRow *
session_row (FraiseClient *client, gboolean with_settings)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_session");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (with_settings)
    {
      fraise_query_set_statement_timeout (query, 5000);
      fraise_query_set_local (query, "lock_timeout", "1234ms", &error);
      g_assert_no_error (error);
      fraise_query_set_local (query, "work_mem", "1234kB", &error);
      g_assert_no_error (error);
      fraise_query_set_local (query, "fraise.marker", "from-a", &error);
      g_assert_no_error (error);
    }
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return fraise_row_ref (g_ptr_array_index (rows, 0));
}

static void
assert_setting (FraiseRow *row, const char *name, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = fraise_row_get_string (row, name, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, expected);
}

/* The settings of a query are SET LOCAL in its own Query message: they are
 * gone when PgBouncer hands the server connection to the next client. */
static void
assert_defaults (FraiseRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = NULL;

  assert_setting (row, "statement_timeout", "0");
  assert_setting (row, "lock_timeout", "0");
  assert_setting (row, "work_mem", "4MB");
  /* A placeholder set once reads "" afterwards; never A's value. */
  marker = fraise_row_get_string (row, "marker", &error);
  g_assert_true (marker == NULL || *marker == '\0');
}

static void
assert_settings_applied (FraiseRow *row)
{
  assert_setting (row, "statement_timeout", "5s");
  assert_setting (row, "lock_timeout", "1234ms");
  assert_setting (row, "work_mem", "1234kB");
  assert_setting (row, "marker", "from-a");
}

/* Transaction pooling, one server connection: A's query with settings, then
 * B's query without, on the same server connection (same pid). */
static void
test_no_session_state_transaction (void)
{
  g_autoptr(FraiseClient) a = fraise_test_connect (PGB_SMALL_ENV);
  g_autoptr(FraiseClient) b = NULL;
  g_autoptr(FraiseRow) before = NULL;
  g_autoptr(FraiseRow) with = NULL;
  g_autoptr(FraiseRow) after = NULL;
  g_autoptr(FraiseRow) again = NULL;

  if (a == NULL)
    return;
  b = fraise_test_connect (PGB_SMALL_ENV);
  before = session_row (b, FALSE);
  assert_defaults (before);
  with = session_row (a, TRUE);
  assert_settings_applied (with);
  after = session_row (b, FALSE);
  assert_defaults (after);
  g_assert_cmpint (fraise_row_get_int (with, "pid", NULL), ==,
                   fraise_row_get_int (after, "pid", NULL));
  g_assert_cmpint (fraise_row_get_int (before, "pid", NULL), ==,
                   fraise_row_get_int (after, "pid", NULL));
  /* Nor does A keep them for its next query. */
  again = session_row (a, FALSE);
  assert_defaults (again);
}

/* Session pooling: a client keeps its server connection, and the settings
 * of one query still do not outlive it. */
static void
test_no_session_state_session (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (PGB_SESSION_ENV);
  g_autoptr(FraiseRow) with = NULL;
  g_autoptr(FraiseRow) after = NULL;

  if (client == NULL)
    return;
  with = session_row (client, TRUE);
  assert_settings_applied (with);
  after = session_row (client, FALSE);
  assert_defaults (after);
  g_assert_cmpint (fraise_row_get_int (with, "pid", NULL), ==,
                   fraise_row_get_int (after, "pid", NULL));
}

/* ---- 5. startup ---------------------------------------------------------------- */

/* The default startup packet (user, database, client_encoding,
 * application_name) is accepted; sslmode=prefer falls back to plaintext when
 * PgBouncer (client_tls_sslmode=disable) declines TLS. */
static void
test_startup_default (void)
{
  g_autofree char *uri = uri_with (PGB_TX_ENV, "application_name=fraise-pgbouncer-test");
  g_autofree char *prefer = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseClient) preferring = NULL;
  g_autoptr(FraiseRow) row = NULL;

  if (uri == NULL)
    return;
  client = connect_uri (uri);
  g_assert_false (fraise_client_get_is_tls (client));
  g_assert_cmpstr (fraise_client_get_parameter (client, "client_encoding"), ==, "UTF8");
  g_assert_cmpstr (fraise_client_get_parameter (client, "application_name"), ==,
                   "fraise-pgbouncer-test");
  g_assert_nonnull (fraise_client_get_server_version (client));
  fraise_test_assert_reusable (client);

  prefer = g_strdup (fraise_test_get_uri (PGB_TX_ENV));
  g_assert_nonnull (strstr (prefer, "?sslmode=disable"));
  *strchr (prefer, '?') = '\0';
  preferring = connect_uri (prefer);
  g_assert_false (fraise_client_get_is_tls (preferring));
  fraise_test_assert_reusable (preferring);
}

/* PgBouncer without client TLS answers N: sslmode=require must not go on
 * in plaintext. */
static void
test_startup_tls_required (void)
{
  g_autofree char *uri = g_strdup (fraise_test_get_uri (PGB_TX_ENV));
  g_autofree char *required = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    return;
  *strchr (uri, '?') = '\0';
  required = g_strconcat (uri, "?sslmode=require", NULL);
  client = fraise_client_new (required, &error);
  g_assert_no_error (error);
  g_assert_false (fraise_client_connect_sync (client, NULL, &error));
  g_test_message ("error: %s", error->message);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_TLS);
  g_assert_false (fraise_client_is_connected (client));
}

/* options=-c ... is sent only when set, and PgBouncer refuses it. */
static void
test_startup_options (void)
{
  g_autofree char *uri = uri_with (PGB_TX_ENV, "options=-c%20work_mem%3D1MB");
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    return;
  client = fraise_client_new (uri, &error);
  g_assert_no_error (error);
  g_assert_false (fraise_client_connect_sync (client, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  assert_mentions (error->message, "unsupported startup parameter: options", "PgBouncer",
                   "ignore_startup_parameters", NULL);
  g_assert_false (fraise_error_is_retriable (error));
  g_assert_false (fraise_client_is_connected (client));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pgbouncer/stream/transaction", test_stream_transaction);
  g_test_add_func ("/pgbouncer/stream/session", test_stream_session);
  g_test_add_func ("/pgbouncer/cancel/transaction", test_cancel_transaction);
  g_test_add_func ("/pgbouncer/cancel/session", test_cancel_session);
  g_test_add_func ("/pgbouncer/cancel/query-timeout", test_query_timeout);
  g_test_add_func ("/pgbouncer/cancel/many", test_cancel_many);
  g_test_add_func ("/pgbouncer/pool/exhausted", test_pool_exhausted);
  g_test_add_func ("/pgbouncer/session-state/transaction", test_no_session_state_transaction);
  g_test_add_func ("/pgbouncer/session-state/session", test_no_session_state_session);
  g_test_add_func ("/pgbouncer/startup/default", test_startup_default);
  g_test_add_func ("/pgbouncer/startup/tls-required", test_startup_tls_required);
  g_test_add_func ("/pgbouncer/startup/options", test_startup_options);

  return g_test_run ();
}
