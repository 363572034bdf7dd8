/* test-load-cycles.c: 10,000 connect/stream/close cycles leave nothing behind
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each cycle makes a client, connects it, streams a few tagged rows (exact
 * count and tags checked), closes it and drops every reference; a few
 * cycles run side by side on the main context. After a warm-up (one-time
 * allocations: types, caches, the row block cache) the process's figures
 * are taken; after the remaining cycles they must be back where they were:
 * the same number of file descriptors and threads, every client, query and
 * stream a cycle made finalized (weak references count them: the library
 * keeps no reference of its own once the application has dropped its
 * references and the close has completed), and RSS within
 * RSS_TOLERANCE_KIB: allocator noise (a malloc arena page touched or
 * trimmed) moves RSS by a few pages; a leak of 64 bytes a cycle would add
 * 600 KiB over the measured cycles.
 */

#include "fraise-test-utils.h"
#include "fraise-test-load.h"

#define CYCLES 10000
#define WARM_UP 500
#define PARALLEL 4
#define ROWS 10
#define RSS_TOLERANCE_KIB 256

typedef struct {
  const char *uri;
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
  guint64 rows;
} Cycle;

static void cycle_start (Cycles *cycles);

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
}

static void
on_finished (FraiseStream *stream, const GError *error, Cycle *c)
{
  if (error != NULL)
    {
      cycle_end (c, error);
      return;
    }
  if (c->rows != ROWS)
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
on_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Cycle *c = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *by_stream = NULL;
  g_autofree char *by_size = NULL;

  if (!fraise_client_connect_finish (c->client, res, &error))
    {
      cycle_end (c, error);
      return;
    }
  c->query = fraise_client_query (c->client, "v_load_tagged");
  watch (c->cycles, c->query);
  by_stream = g_strdup_printf ("s = %u", c->id);
  by_size = g_strdup_printf ("n = %u", ROWS);
  fraise_query_add_where_sql (c->query, by_stream);
  fraise_query_add_where_sql (c->query, by_size);
  fraise_query_execute_async (c->query, NULL, on_executed, c);
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
  /* Let the sources of the last closes run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (cycles->error);
  g_assert_cmpuint (cycles->bad_rows, ==, 0);
}

typedef struct {
  guint fds;
  guint threads;
  guint64 rss_kib;
} Figures;

static void
take_figures (Figures *f)
{
  f->fds = fraise_test_count_fds ();
  f->threads = fraise_test_count_threads ();
  f->rss_kib = fraise_test_status_kib ("VmRSS");
}

static void
test_cycles (void)
{
  Cycles cycles = { 0 };
  Figures before, after;

  cycles.uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  if (cycles.uri == NULL)
    return;
  run_cycles (&cycles, WARM_UP);
  take_figures (&before);
  run_cycles (&cycles, CYCLES);
  take_figures (&after);

  g_test_message ("after %u cycles: %u fds (%u before), %u threads (%u), RSS %" G_GUINT64_FORMAT
                  " KiB (%" G_GUINT64_FORMAT " KiB)",
                  cycles.finished, after.fds, before.fds, after.threads, before.threads,
                  after.rss_kib, before.rss_kib);
  g_assert_cmpuint (cycles.finished, ==, CYCLES);
  /* Three objects a cycle, every one finalized. */
  g_assert_cmpuint (cycles.created, ==, 3 * CYCLES);
  g_assert_cmpuint (cycles.finalized, ==, cycles.created);
  g_assert_cmpuint (after.fds, ==, before.fds);
  g_assert_cmpuint (after.threads, ==, before.threads);
  g_assert_cmpuint (after.rss_kib, <=, before.rss_kib + RSS_TOLERANCE_KIB);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/load/cycles/connect-stream-close", test_cycles);
  return g_test_run ();
}
