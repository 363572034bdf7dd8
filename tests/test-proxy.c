/* test-proxy.c: the client against the real server behind a fault proxy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One table, one row per fault: where it strikes (counted in the server's
 * messages, so "after 1000 DataRows" is exact), how the rows are consumed,
 * the timeouts set, and what must come out of it:
 * - the error code (or none);
 * - exactly the rows sent before the fault, with contiguous indexes from 0,
 *   none fabricated from a partial message, none twice;
 * - the time from the fault to the error, within the bound that should
 *   catch it (connect_timeout, the query timeout, the pause timeout, the
 *   cancel timeout), or within 1 s when the socket says it at once;
 * - the client's state after: reusable (the next query on it returns the
 *   right rows), cleanly closed (the next query fails with CLOSED), or, for
 *   a connection attempt, able to connect on the next try.
 *
 * Keepalives and tcp_user_timeout are not in this table: the proxy's own
 * kernel acknowledges every segment, so a dead peer cannot be faked here;
 * test-black-hole.c drops the packets instead.
 */

#include "fraise-fault-proxy.h"
#include "fraise-test-utils.h"

#include <string.h>

#define ROWS 3000 /* rows the query asks for */

typedef enum {
  PULL_SYNC,
  PULL_ASYNC,
  PULL_BATCH,
  PUSH,
  PUSH_PAUSED, /* pushes, and pauses for good at row `pause_at` */
} Consumer;

typedef enum {
  AFTER_REUSABLE,
  AFTER_CLOSED,
  AFTER_RECONNECTS, /* a failed connection attempt: the next one works */
} After;

typedef enum {
  ON_CONNECT,
  ON_QUERY,
  ON_CANCEL, /* the consumer cancels the stream once `cancel_at` rows arrived */
} Phase;

typedef struct {
  const char *name;
  FraiseFaultRule rule;
  Phase phase;
  Consumer consumer;
  const char *source;
  guint connect_timeout_s;
  guint query_timeout_ms;
  guint pause_timeout_ms;
  guint at; /* the row at which the consumer pauses or cancels */
  /* expected */
  gint code;    /* a FraiseError, G_IO_ERROR_CANCELLED as -2, or -1 for success */
  gint64 rows;  /* rows delivered, or ALL_ROWS, SOME_ROWS, AT_MARK */
  guint min_ms; /* detection: from the fault, the cancel or the pause */
  guint max_ms;
  After after;
  guint flags;
} ProxyCase;

/* Flags: */
/* A reset may discard what the client's kernel had received and the client
 * not read yet (TCP): at most the rows sent before it, never more. */
#define UP_TO 1
/* A fault at accept can strike while the socket is still connecting. */
#define OR_CONNECT_FAILED 2

#define CANCELLED (-2)
#define OK (-1)

/* Rows expected: */
#define ALL_ROWS (-1)
#define SOME_ROWS (-2) /* fewer than the query has */
#define AT_MARK (-3)   /* as many as when the consumer paused: none after it */

/* The server's messages: */
#define R_AUTH 'R'
#define R_READY 'Z'
#define R_DESCRIBED 'T'
#define R_ROW 'D'
#define R_COMPLETE 'C'

/* clang-format off */
static const ProxyCase cases[] = {
  /* ---- connecting ---- */
  { "connect/deaf-listener", { FRAISE_FAULT_DEAF, 0, FRAISE_FAULT_AT_ACCEPT }, ON_CONNECT, 0, NULL, 2, 0, 0, 0, FRAISE_ERROR_TIMEOUT, 0, 1800, 2700, AFTER_RECONNECTS },
  { "connect/closed-at-accept", { FRAISE_FAULT_CUT, 0, FRAISE_FAULT_AT_ACCEPT }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_RECONNECTS, OR_CONNECT_FAILED },
  { "connect/reset-at-accept", { FRAISE_FAULT_RESET, 0, FRAISE_FAULT_AT_ACCEPT }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_RECONNECTS, OR_CONNECT_FAILED },
  { "connect/silent-before-auth", { FRAISE_FAULT_FREEZE, 0, R_AUTH, 0 }, ON_CONNECT, 0, NULL, 2, 0, 0, 0, FRAISE_ERROR_TIMEOUT, 0, 1800, 2700, AFTER_RECONNECTS },
  { "connect/closed-before-auth", { FRAISE_FAULT_CUT, 0, R_AUTH, 0 }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_RECONNECTS, OR_CONNECT_FAILED },
  { "connect/reset-mid-auth", { FRAISE_FAULT_RESET, 0, R_AUTH, 1 }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_RECONNECTS, OR_CONNECT_FAILED },
  { "connect/closed-mid-auth-message", { FRAISE_FAULT_CUT, 0, R_AUTH, 1, 7 }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_RECONNECTS, OR_CONNECT_FAILED },
  { "connect/silent-before-ready", { FRAISE_FAULT_FREEZE, 0, R_READY, 0 }, ON_CONNECT, 0, NULL, 2, 0, 0, 0, FRAISE_ERROR_TIMEOUT, 0, 1800, 2700, AFTER_RECONNECTS },
  { "connect/closed-before-ready", { FRAISE_FAULT_CUT, 0, R_READY, 0 }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_RECONNECTS, OR_CONNECT_FAILED },
  { "connect/slowloris", { FRAISE_FAULT_DRIP, 0, R_AUTH, 0, 0, 150 }, ON_CONNECT, 0, NULL, 2, 0, 0, 0, FRAISE_ERROR_TIMEOUT, 0, 1800, 2700, AFTER_RECONNECTS },
  { "connect/one-byte-writes", { FRAISE_FAULT_BYTEWISE, 0, FRAISE_FAULT_AT_ACCEPT }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, OK, 0, 0, 0, AFTER_REUSABLE },
  { "connect/delayed", { FRAISE_FAULT_DELAY, 0, FRAISE_FAULT_AT_ACCEPT, 0, 0, 30 }, ON_CONNECT, 0, NULL, 5, 0, 0, 0, OK, 0, 0, 0, AFTER_REUSABLE },
  { "connect/stalled-within-timeout", { FRAISE_FAULT_STALL, 0, R_AUTH, 0, 0, 600 }, ON_CONNECT, 0, NULL, 3, 0, 0, 0, OK, 0, 0, 0, AFTER_REUSABLE },

  /* ---- mid-stream: closed, reset ---- */
  { "stream/closed-pull", { FRAISE_FAULT_CUT, 0, R_ROW, 1000 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED },
  { "stream/closed-pull-async", { FRAISE_FAULT_CUT, 0, R_ROW, 1000 }, ON_QUERY, PULL_ASYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED },
  { "stream/closed-batch", { FRAISE_FAULT_CUT, 0, R_ROW, 1000 }, ON_QUERY, PULL_BATCH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED },
  { "stream/closed-push", { FRAISE_FAULT_CUT, 0, R_ROW, 1000 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED },
  { "stream/reset-pull", { FRAISE_FAULT_RESET, 0, R_ROW, 1000 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED, UP_TO },
  { "stream/reset-pull-async", { FRAISE_FAULT_RESET, 0, R_ROW, 1000 }, ON_QUERY, PULL_ASYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED, UP_TO },
  { "stream/reset-batch", { FRAISE_FAULT_RESET, 0, R_ROW, 1000 }, ON_QUERY, PULL_BATCH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED, UP_TO },
  { "stream/reset-push", { FRAISE_FAULT_RESET, 0, R_ROW, 1000 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1000, 0, 1000, AFTER_CLOSED, UP_TO },
  { "stream/closed-in-row-header", { FRAISE_FAULT_CUT, 0, R_ROW, 1500, 3 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1500, 0, 1000, AFTER_CLOSED },
  { "stream/closed-in-row-header-push", { FRAISE_FAULT_CUT, 0, R_ROW, 1500, 3 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 1500, 0, 1000, AFTER_CLOSED },
  { "stream/closed-in-row-body", { FRAISE_FAULT_CUT, 0, R_ROW, 2000, 120 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 2000, 0, 1000, AFTER_CLOSED },
  { "stream/reset-in-row-body", { FRAISE_FAULT_RESET, 0, R_ROW, 2000, 120 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 2000, 0, 1000, AFTER_CLOSED, UP_TO },
  { "stream/closed-before-first-row", { FRAISE_FAULT_CUT, 0, R_ROW, 0 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_CLOSED },
  { "stream/closed-before-description", { FRAISE_FAULT_CUT, 0, R_DESCRIBED, 0 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_CLOSED },
  { "stream/reset-before-description", { FRAISE_FAULT_RESET, 0, R_DESCRIBED, 0 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, 0, 0, 1000, AFTER_CLOSED, UP_TO },
  /* Every row arrived, but not the end of the result: not a success. */
  { "stream/closed-before-complete", { FRAISE_FAULT_CUT, 0, R_COMPLETE, 0 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, ALL_ROWS, 0, 1000, AFTER_CLOSED },
  { "stream/closed-before-complete-push", { FRAISE_FAULT_CUT, 0, R_COMPLETE, 0 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, ALL_ROWS, 0, 1000, AFTER_CLOSED },
  { "stream/closed-before-ready", { FRAISE_FAULT_CUT, 0, R_READY, 1 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, FRAISE_ERROR_CONNECTION_LOST, ALL_ROWS, 0, 1000, AFTER_CLOSED },

  /* ---- mid-stream: black hole, slowloris, stalls ---- */
  { "stream/black-hole-query-timeout", { FRAISE_FAULT_FREEZE, 0, R_ROW, 1000 }, ON_QUERY, PULL_SYNC, NULL, 5, 1500, 0, 0, FRAISE_ERROR_TIMEOUT, 1000, 3000, 3900, AFTER_CLOSED },
  { "stream/black-hole-query-timeout-push", { FRAISE_FAULT_FREEZE, 0, R_ROW, 1000 }, ON_QUERY, PUSH, NULL, 5, 1500, 0, 0, FRAISE_ERROR_TIMEOUT, 1000, 3000, 3900, AFTER_CLOSED },
  { "stream/black-hole-before-description", { FRAISE_FAULT_FREEZE, 0, R_DESCRIBED, 0 }, ON_QUERY, PULL_SYNC, NULL, 5, 1000, 0, 0, FRAISE_ERROR_TIMEOUT, 0, 2500, 3400, AFTER_CLOSED },
  { "stream/slowloris-query-timeout", { FRAISE_FAULT_DRIP, 0, R_ROW, 500, 0, 20 }, ON_QUERY, PULL_SYNC, NULL, 5, 1500, 0, 0, FRAISE_ERROR_TIMEOUT, SOME_ROWS, 3000, 3900, AFTER_CLOSED },
  { "stream/stalled-then-resumed", { FRAISE_FAULT_STALL, 0, R_ROW, 1000, 0, 1200 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, OK, ALL_ROWS, 0, 0, AFTER_REUSABLE },
  { "stream/stalled-then-resumed-push", { FRAISE_FAULT_STALL, 0, R_ROW, 1000, 50, 1200 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, OK, ALL_ROWS, 0, 0, AFTER_REUSABLE },
  { "stream/stalled-within-query-timeout", { FRAISE_FAULT_STALL, 0, R_ROW, 10, 0, 500 }, ON_QUERY, PULL_BATCH, NULL, 5, 5000, 0, 0, OK, ALL_ROWS, 0, 0, AFTER_REUSABLE },
  { "stream/one-byte-writes", { FRAISE_FAULT_BYTEWISE, 0, R_DESCRIBED, 0 }, ON_QUERY, PULL_SYNC, NULL, 5, 0, 0, 0, OK, ALL_ROWS, 0, 0, AFTER_REUSABLE },
  { "stream/one-byte-writes-push", { FRAISE_FAULT_BYTEWISE, 0, R_DESCRIBED, 0 }, ON_QUERY, PUSH, NULL, 5, 0, 0, 0, OK, ALL_ROWS, 0, 0, AFTER_REUSABLE },
  { "stream/delayed-writes", { FRAISE_FAULT_DELAY, 0, R_DESCRIBED, 0, 0, 5 }, ON_QUERY, PULL_ASYNC, NULL, 5, 0, 0, 0, OK, ALL_ROWS, 0, 0, AFTER_REUSABLE },

  /* ---- the consumer's own bounds ---- */
  { "stream/pause-timeout", { FRAISE_FAULT_PASS }, ON_QUERY, PUSH_PAUSED, NULL, 5, 0, 500, 700, FRAISE_ERROR_TIMEOUT, AT_MARK, 400, 1000, AFTER_REUSABLE },
  { "stream/pause-timeout-black-hole", { FRAISE_FAULT_FREEZE, 0, R_ROW, 1200 }, ON_QUERY, PUSH_PAUSED, NULL, 5, 0, 500, 700, FRAISE_ERROR_TIMEOUT, AT_MARK, 400, 3000, AFTER_CLOSED },

  /* ---- cancelling ---- */
  { "cancel/black-hole-drain", { FRAISE_FAULT_FREEZE, 0, R_ROW, 1000 }, ON_CANCEL, PULL_SYNC, NULL, 5, 0, 0, 1000, CANCELLED, 1000, 1800, 2700, AFTER_CLOSED },
  { "cancel/deaf-cancel-listener", { FRAISE_FAULT_DEAF, 1, FRAISE_FAULT_AT_ACCEPT }, ON_CANCEL, PULL_SYNC, "v_slow_long", 5, 0, 0, 2, CANCELLED, 2, 1800, 2700, AFTER_CLOSED },
  { "cancel/cancel-connection-reset", { FRAISE_FAULT_RESET, 1, FRAISE_FAULT_AT_ACCEPT }, ON_CANCEL, PULL_SYNC, "v_slow_long", 5, 0, 0, 2, CANCELLED, 2, 1800, 2700, AFTER_CLOSED },
  { "cancel/closed-before-drain-ends", { FRAISE_FAULT_CUT, 0, R_READY, 1 }, ON_CANCEL, PULL_SYNC, NULL, 5, 0, 0, 2000, CANCELLED, 2000, 0, 1000, AFTER_CLOSED },
  { "cancel/stalled-drain-within-timeout", { FRAISE_FAULT_STALL, 0, R_ROW, 1000, 0, 800 }, ON_CANCEL, PULL_SYNC, NULL, 5, 0, 0, 1000, CANCELLED, 1000, 0, 1500, AFTER_REUSABLE },
};
/* clang-format on */

/* ---- running one case -------------------------------------------------------- */

typedef struct {
  const ProxyCase *c;
  FraiseStream *stream;
  guint64 rows;
  gboolean done;
  GError *error;
  gint64 error_at;
  gint64 mark_at; /* when the consumer cancelled or paused */
  guint64 rows_at_mark;
} Run;

static guint16 upstream_port;

static void
record_error (Run *run, const GError *error)
{
  if (run->error != NULL || error == NULL)
    return;
  run->error = g_error_copy (error);
  run->error_at = g_get_monotonic_time ();
}

static void
got_row (Run *run, FraiseRow *row)
{
  /* Contiguous from 0: nothing duplicated, nothing skipped. */
  if (fraise_row_get_index (row) != run->rows)
    g_assert_cmpuint (fraise_row_get_index (row), ==, run->rows);
  run->rows++;
  if (run->c->phase == ON_CANCEL && run->rows == run->c->at)
    {
      run->mark_at = g_get_monotonic_time ();
      run->rows_at_mark = run->rows;
      fraise_stream_cancel (run->stream);
    }
}

static void
on_rows (FraiseStream *stream, GPtrArray *rows, gpointer user_data)
{
  Run *run = user_data;
  guint i;

  /* After the pause, no batch may come. */
  g_assert_cmpint (run->mark_at, ==, 0);
  for (i = 0; i < rows->len; i++)
    got_row (run, g_ptr_array_index (rows, i));
  if (run->c->consumer == PUSH_PAUSED && run->rows >= run->c->at)
    {
      run->mark_at = g_get_monotonic_time ();
      run->rows_at_mark = run->rows;
      fraise_stream_pause (stream, "the test consumer stopped");
    }
}

static void
on_finished (FraiseStream *stream, const GError *error, gpointer user_data)
{
  Run *run = user_data;

  record_error (run, error);
  run->done = TRUE;
}

static void
on_next (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  FraiseRow *row = fraise_stream_next_finish (FRAISE_STREAM (object), result, &error);

  if (row == NULL)
    {
      record_error (run, error);
      g_clear_error (&error);
      run->done = TRUE;
      return;
    }
  got_row (run, row);
  fraise_row_unref (row);
  fraise_stream_next_async (run->stream, NULL, on_next, run);
}

static void
consume (Run *run)
{
  GError *error = NULL;
  FraiseRow *row;
  GPtrArray *batch;

  switch (run->c->consumer)
    {
    case PULL_SYNC:
      while ((row = fraise_stream_next_sync (run->stream, NULL, &error)) != NULL)
        {
          got_row (run, row);
          fraise_row_unref (row);
        }
      break;
    case PULL_BATCH:
      while ((batch = fraise_stream_next_batch_sync (run->stream, NULL, &error)) != NULL &&
             batch->len > 0)
        {
          for (guint i = 0; i < batch->len; i++)
            got_row (run, g_ptr_array_index (batch, i));
          g_ptr_array_unref (batch);
        }
      g_clear_pointer (&batch, g_ptr_array_unref);
      break;
    case PULL_ASYNC:
      fraise_stream_next_async (run->stream, NULL, on_next, run);
      fraise_test_wait_for (&run->done);
      return;
    case PUSH:
    case PUSH_PAUSED:
    default:
      if (run->c->pause_timeout_ms > 0)
        fraise_stream_set_pause_timeout (run->stream, run->c->pause_timeout_ms);
      g_signal_connect (run->stream, "rows", G_CALLBACK (on_rows), run);
      g_signal_connect (run->stream, "finished", G_CALLBACK (on_finished), run);
      fraise_stream_start (run->stream);
      fraise_test_wait_for (&run->done);
      return;
    }
  record_error (run, error);
  g_clear_error (&error);
}

static const char *
code_name (gint code)
{
  if (code == OK)
    return "success";
  if (code == CANCELLED)
    return "G_IO_ERROR_CANCELLED";
  return g_enum_get_value (g_type_class_ref (FRAISE_TYPE_ERROR), code)->value_nick;
}

static void
assert_outcome (const ProxyCase *c, const GError *error)
{
  if (c->code == OK)
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_nonnull (error);
  if (c->code == CANCELLED)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  else if ((c->flags & OR_CONNECT_FAILED) &&
           g_error_matches (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED))
    return;
  else if (!g_error_matches (error, FRAISE_ERROR, c->code))
    g_error ("%s: expected %s, got %s %d: %s", c->name, code_name (c->code),
             g_quark_to_string (error->domain), error->code, error->message);
}

static void
assert_detection (
  const ProxyCase *c, FraiseFaultProxy *proxy, gint64 phase_start, gint64 mark_at, gint64 error_at)
{
  gint64 from = fraise_fault_proxy_get_fired_at (proxy);
  gint64 ms;

  if (c->code == OK)
    return;
  if (c->phase == ON_CANCEL || c->consumer == PUSH_PAUSED)
    from = mark_at; /* measured from the cancel or the pause */
  else if (c->code == FRAISE_ERROR_TIMEOUT)
    from = phase_start; /* the client's own deadline: from its start */
  g_assert_cmpint (from, >, 0);
  ms = (error_at - from) / 1000;
  g_test_message ("%s: %s after %" G_GINT64_FORMAT " ms (bound %u..%u)", c->name,
                  code_name (c->code), ms, c->min_ms, c->max_ms);
  g_assert_cmpint (ms, >=, (gint64) c->min_ms);
  /* Under memcheck every bound stretches (FRAISE_TEST_TIME_SCALE). */
  g_assert_cmpint (ms, <=, fraise_test_scaled (c->max_ms));
}

static void
assert_state_after (const ProxyCase *c, FraiseClient *client)
{
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  FraiseRow *row;

  if (c->after == AFTER_RECONNECTS)
    {
      g_assert_false (fraise_client_is_connected (client));
      fraise_client_connect_sync (client, NULL, &error);
      g_assert_no_error (error);
    }
  if (c->after != AFTER_CLOSED)
    {
      fraise_test_assert_reusable (client);
      return;
    }
  query = fraise_client_query (client, "v_project");
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream != NULL)
    {
      row = fraise_stream_next_sync (stream, NULL, &error);
      g_error ("%s: the client was not closed: the next query gave %s", c->name,
               row != NULL     ? "a row"
               : error != NULL ? error->message
                               : "no row");
    }
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CLOSED);
  g_assert_false (fraise_client_is_connected (client));
}

static void
run_case (gconstpointer data)
{
  const ProxyCase *c = data;
  g_autoptr(FraiseFaultProxy) proxy = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { c };
  guint connect_timeout_s, query_timeout_ms;
  gint64 start;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI_SCRAM) == NULL)
    return;
  proxy = fraise_fault_proxy_new (upstream_port, &c->rule);
  /* A timeout that is the fault's bound stays as it is; the others only
   * leave room and grow under memcheck. */
  connect_timeout_s = c->connect_timeout_s;
  query_timeout_ms = c->query_timeout_ms;
  if (!(c->phase == ON_CONNECT && c->code == FRAISE_ERROR_TIMEOUT))
    connect_timeout_s = (guint) fraise_test_scaled (connect_timeout_s);
  if (c->code == OK)
    query_timeout_ms = (guint) fraise_test_scaled (query_timeout_ms);
  {
    g_autofree char *timeout = g_strdup_printf ("connect_timeout=%u", connect_timeout_s);

    conninfo = fraise_fault_proxy_dup_conninfo (proxy, timeout);
  }
  client = fraise_client_new (conninfo, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  if (c->phase == ON_CONNECT)
    {
      gboolean ok = fraise_client_connect_sync (client, NULL, &error);

      run.error_at = g_get_monotonic_time ();
      g_assert_true (ok == (error == NULL));
      assert_outcome (c, error);
      assert_detection (c, proxy, start, 0, run.error_at);
      if (error != NULL)
        g_test_message ("%s: %s", c->name, error->message);
      assert_state_after (c, client);
      return;
    }

  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  query = fraise_client_query (client, c->source != NULL ? c->source : "v_bench_100k");
  if (c->source == NULL)
    fraise_query_set_limit (query, ROWS);
  if (query_timeout_ms > 0)
    fraise_query_set_timeout (query, query_timeout_ms);
  start = g_get_monotonic_time ();
  run.stream = fraise_query_execute_sync (query, NULL, &error);
  if (run.stream == NULL)
    {
      record_error (&run, error);
      g_clear_error (&error);
    }
  else
    consume (&run);

  if (run.error != NULL)
    g_test_message ("%s: %s", c->name, run.error->message);
  assert_outcome (c, run.error);
  if (c->rows == ALL_ROWS)
    g_assert_cmpuint (run.rows, ==, ROWS);
  else if (c->rows == SOME_ROWS)
    g_assert_cmpuint (run.rows, <, ROWS);
  else if (c->rows == AT_MARK)
    {
      g_assert_cmpuint (run.rows, ==, run.rows_at_mark);
      g_assert_cmpuint (run.rows, >=, c->at);
    }
  else if (c->flags & UP_TO)
    g_assert_cmpuint (run.rows, <=, (guint64) c->rows);
  else
    g_assert_cmpuint (run.rows, ==, (guint64) c->rows);
  if (c->phase == ON_CANCEL || c->consumer == PUSH_PAUSED)
    g_assert_cmpint (run.mark_at, >, 0);
  assert_detection (c, proxy, start, run.mark_at, run.error_at);
  g_clear_object (&run.stream);
  g_clear_error (&run.error);
  assert_state_after (c, client);
}

int
main (int argc, char **argv)
{
  const char *port;
  guint i;

  g_test_init (&argc, &argv, NULL);
  port = g_getenv ("FRAISE_TEST_PORT");
  upstream_port = port != NULL ? (guint16) g_ascii_strtoull (port, NULL, 10) : 0;
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/proxy/", cases[i].name, NULL);

      g_test_add_data_func (path, &cases[i], run_case);
    }
  return g_test_run ();
}
