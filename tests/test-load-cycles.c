/* test-load-cycles.c: 10,000 connect/stream/close cycles leave nothing behind
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each cycle makes a client, connects it, streams a few tagged rows (exact
 * count and tags checked), closes it and drops every reference (and 1,000
 * cycles each that cancel or drop a long stream first); a few
 * cycles run side by side on the main context. After a warm-up (one-time
 * allocations: types, caches, the row block cache) the process's figures
 * are taken; after the remaining cycles they must be back where they were:
 * the same number of file descriptors and threads, every client, query and
 * stream a cycle made finalized (weak references count them: the library
 * keeps no reference of its own once the application has dropped its
 * references and the close has completed), the bytes malloc has handed out
 * and not had back within HEAP_TOLERANCE_FIXED + HEAP_TOLERANCE_PER_CYCLE a
 * cycle (GLib's own tables and slice magazines grow now and then: about 3
 * bytes a cycle were measured; malloc's smallest block is 32 bytes, so a leak
 * of one block a cycle does not fit), and RSS, measured after the free pages
 * went back to the system, within RSS_TOLERANCE_KIB.
 */

#include "fraise-test-utils.h"
#include "fraise-test-load.h"

#define CYCLES 10000
#define WARM_UP 500
#define PARALLEL 4
#define ROWS 10
#define RSS_TOLERANCE_KIB 256
#define HEAP_TOLERANCE_FIXED 16384
#define HEAP_TOLERANCE_PER_CYCLE 8
#define INTERRUPTED_CYCLES 1000
#define LONG_ROWS 100000

/* How a cycle's stream ends. */
typedef enum {
  CYCLE_COMPLETE, /* read to the end */
  CYCLE_CANCEL,   /* fraise_stream_cancel() after the first batch of LONG_ROWS */
  CYCLE_DROP,     /* dropped after the first batch of LONG_ROWS, then ROWS rows
                   * on the same client (queued behind the drain) */
} CycleMode;

typedef struct {
  const char *uri;
  CycleMode mode;
  guint cancelled; /* cancel cycles that ended with G_IO_ERROR_CANCELLED */
  guint started;
  guint finished; /* cycles done */
  guint target;   /* cycles to start in all */
  guint64 bad_rows;
  guint created;   /* clients, queries and streams made */
  guint finalized; /* of them, finalized */
  GError *error;
} Cycles;

typedef struct {
  Cycles *cycles;
  guint id;
  FraiseClient *client;
  FraiseQuery *query;
  FraiseStream *stream;
  guint64 asked;
  guint64 rows;
  gboolean interrupted; /* cancelled or dropped already */
} Cycle;

static void cycle_start (Cycles *cycles);
static void start_query (Cycle *c, guint64 rows);

static void
on_finalized (gpointer user_data, GObject *where_the_object_was)
{
  ((Cycles *) user_data)->finalized++;
}

static void
watch (Cycles *cycles, gpointer object)
{
  cycles->created++;
  g_object_weak_ref (object, on_finalized, cycles);
}

static void
cycle_end (Cycle *c, const GError *error)
{
  Cycles *cycles = c->cycles;

  if (error != NULL && cycles->error == NULL)
    cycles->error = g_error_copy (error);
  g_clear_object (&c->stream);
  g_clear_object (&c->query);
  g_clear_object (&c->client);
  g_free (c);
  cycles->finished++;
  if (cycles->started < cycles->target)
    cycle_start (cycles);
}

static void
on_closed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Cycle *c = user_data;
  g_autoptr (GError) error = NULL;

  fraise_client_close_finish (c->client, res, &error);
  cycle_end (c, error);
}

static gboolean
start_after_drop (gpointer user_data)
{
  start_query (user_data, ROWS);
  return G_SOURCE_REMOVE;
}

static void
on_rows (FraiseStream *stream, GPtrArray *batch, Cycle *c)
{
  guint k;

  for (k = 0; k < batch->len; k++)
    {
      FraiseRow *row = g_ptr_array_index (batch, k);

      if (fraise_row_get_index (row) != c->rows ||
          fraise_row_get_int (row, "s", NULL) != (gint64) c->id ||
          fraise_row_get_int (row, "i", NULL) != (gint64) c->rows + 1)
        c->cycles->bad_rows++;
      c->rows++;
    }
  if (c->interrupted || c->cycles->mode == CYCLE_COMPLETE)
    return;
  c->interrupted = TRUE;
  if (c->cycles->mode == CYCLE_CANCEL)
    {
      fraise_stream_cancel (stream);
      return;
    }
  /* Dropped inside its own rows signal (the emission holds a reference
   * until it returns, so the next query starts from an idle callback, once
   * the stream is gone); the next query waits for the drain. */
  g_signal_handlers_disconnect_by_data (stream, c);
  g_clear_object (&c->stream);
  g_clear_object (&c->query);
  g_idle_add (start_after_drop, c);
}

static void
on_finished (FraiseStream *stream, const GError *error, Cycle *c)
{
  if (c->cycles->mode == CYCLE_CANCEL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    c->cycles->cancelled++;
  else if (error != NULL)
    {
      cycle_end (c, error);
      return;
    }
  else if (c->rows != c->asked) /* a cancel that came after the last row counts them all */
    c->cycles->bad_rows++;
  fraise_client_close_async (c->client, NULL, on_closed, c);
}

static void
on_executed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Cycle *c = user_data;
  g_autoptr (GError) error = NULL;

  c->stream = fraise_query_execute_finish (c->query, res, &error);
  if (c->stream == NULL)
    {
      cycle_end (c, error);
      return;
    }
  watch (c->cycles, c->stream);
  g_signal_connect (c->stream, "rows", G_CALLBACK (on_rows), c);
  g_signal_connect (c->stream, "finished", G_CALLBACK (on_finished), c);
  fraise_stream_start (c->stream);
}

static void
start_query (Cycle *c, guint64 rows)
{
  g_autofree char *by_stream = g_strdup_printf ("s = %u", c->id);
  g_autofree char *by_size = g_strdup_printf ("n = %" G_GUINT64_FORMAT, rows);

  c->asked = rows;
  c->rows = 0;
  c->query = fraise_client_query (c->client, "v_load_tagged");
  watch (c->cycles, c->query);
  fraise_query_add_where_sql (c->query, by_stream);
  fraise_query_add_where_sql (c->query, by_size);
  fraise_query_execute_async (c->query, NULL, on_executed, c);
}

static void
on_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Cycle *c = user_data;
  g_autoptr (GError) error = NULL;

  if (!fraise_client_connect_finish (c->client, res, &error))
    {
      cycle_end (c, error);
      return;
    }
  start_query (c, c->cycles->mode == CYCLE_COMPLETE ? ROWS : LONG_ROWS);
}

static void
cycle_start (Cycles *cycles)
{
  g_autoptr (GError) error = NULL;
  Cycle *c = g_new0 (Cycle, 1);

  c->cycles = cycles;
  c->id = 1 + cycles->started % 1000;
  cycles->started++;
  c->client = fraise_client_new (cycles->uri, &error);
  g_assert_no_error (error);
  watch (cycles, c->client);
  fraise_client_connect_async (c->client, NULL, on_connected, c);
}

static gboolean
on_deadline (gpointer user_data)
{
  Cycles *cycles = user_data;

  g_error ("cycles: %u of %u done at the deadline", cycles->finished, cycles->target);
  return G_SOURCE_REMOVE;
}

/* Lets the last cycles' work run out: a CancelRequest's side connection
 * lives on after its stream finished (until the server closes it), so the
 * main context is run until the number of descriptors has not moved for
 * 200 ms (at most 5 s). */
static void
settle (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint fds = fraise_test_count_fds (), still = 0;

  while (still < 20 && g_get_monotonic_time () < deadline)
    {
      guint now;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
      now = fraise_test_count_fds ();
      still = now == fds ? still + 1 : 0;
      fds = now;
    }
}

/* Runs cycles until @target have finished in all. */
static void
run_cycles (Cycles *cycles, guint target)
{
  guint deadline;
  guint k;

  cycles->target = target;
  deadline = g_timeout_add_seconds (240, on_deadline, cycles);
  for (k = 0; k < PARALLEL && cycles->started < target; k++)
    cycle_start (cycles);
  while (cycles->finished < target)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
  settle ();
  g_assert_no_error (cycles->error);
  g_assert_cmpuint (cycles->bad_rows, ==, 0);
}

typedef struct {
  guint fds;
  guint threads;
  guint64 rss_kib;
  gboolean heap_known;
  guint64 heap_bytes;
} Figures;

static void
take_figures (Figures *f)
{
  f->fds = fraise_test_count_fds ();
  f->threads = fraise_test_count_threads ();
  f->heap_known = fraise_test_heap_in_use (&f->heap_bytes);
  f->rss_kib = fraise_test_status_kib ("VmRSS");
}

/* Runs @n_cycles cycles of @mode (the first WARM_UP of them before the
 * baseline) and checks the figures. Returns how many were cancelled. */
static guint
check_cycles (CycleMode mode, guint n_cycles, guint objects_per_cycle)
{
  Cycles cycles = { 0 };
  Figures before, after;

  cycles.uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  if (cycles.uri == NULL)
    return 0;
  cycles.mode = mode;
  run_cycles (&cycles, WARM_UP);
  take_figures (&before);
  run_cycles (&cycles, n_cycles);
  take_figures (&after);

  g_test_message ("after %u cycles: %u fds (%u before), %u threads (%u), RSS %" G_GUINT64_FORMAT
                  " KiB (%" G_GUINT64_FORMAT " KiB)",
                  cycles.finished, after.fds, before.fds, after.threads, before.threads,
                  after.rss_kib, before.rss_kib);
  if (after.heap_known && before.heap_known)
    g_test_message ("heap in use %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " before)",
                    after.heap_bytes, before.heap_bytes);
  g_assert_cmpuint (cycles.finished, ==, n_cycles);
  /* Every object a cycle made was finalized. */
  g_assert_cmpuint (cycles.created, ==, objects_per_cycle * n_cycles);
  g_assert_cmpuint (cycles.finalized, ==, cycles.created);
  g_assert_cmpuint (after.fds, ==, before.fds);
  g_assert_cmpuint (after.threads, ==, before.threads);
  g_assert_cmpuint (after.rss_kib, <=, before.rss_kib + RSS_TOLERANCE_KIB);
  if (after.heap_known && before.heap_known)
    g_assert_cmpuint (after.heap_bytes, <=,
                      before.heap_bytes + HEAP_TOLERANCE_FIXED +
                        HEAP_TOLERANCE_PER_CYCLE * n_cycles);
  return cycles.cancelled;
}

static void
test_cycles (void)
{
  /* A client, a query, a stream. */
  check_cycles (CYCLE_COMPLETE, CYCLES, 3);
}

/* Each cycle cancels a 100,000-row stream after its first batch: the
 * CancelRequest's side connection, the drain, then the close. */
static void
test_cancel_cycles (void)
{
  guint cancelled;

  if (fraise_test_get_uri (FRAISE_TEST_ENV_URI) == NULL)
    return;
  cancelled = check_cycles (CYCLE_CANCEL, INTERRUPTED_CYCLES, 3);
  g_test_message ("%u of %u cycles cancelled", cancelled, INTERRUPTED_CYCLES);
  /* A cancel may come after the server's last row (then the stream
   * completes with every row), but not for all of 100,000 rows each time. */
  g_assert_cmpuint (cancelled, >, INTERRUPTED_CYCLES / 2);
}

/* Each cycle drops a 100,000-row stream after its first batch and runs a
 * second query on the same client behind the drain: a client, two queries,
 * two streams. */
static void
test_drop_cycles (void)
{
  check_cycles (CYCLE_DROP, INTERRUPTED_CYCLES, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/load/cycles/connect-stream-close", test_cycles);
  g_test_add_func ("/load/cycles/cancel", test_cancel_cycles);
  g_test_add_func ("/load/cycles/drop", test_drop_cycles);
  return g_test_run ();
}
