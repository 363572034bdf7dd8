/* bench-soak.c: streams continuously for a while and reports leaks and latency
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-soak URI [--minutes N] [--interval S] [--workers W] [--seed X]
 *
 * W workers (default 8) share the one main context, each with its own
 * client, and run queries back to back for N minutes (default 10) on
 * v_load_tagged (data/fixtures.sql): a size drawn from 1 to 100,000 rows
 * (small ones more often), then one of three endings: read to the end (70 %,
 * the row count and tags must be exact), cancelled after the first batch
 * (fraise_stream_cancel (), 15 %), or dropped after the first batch (the
 * last reference released, 15 %). One query in 50 first closes the client
 * and connects a new one.
 *
 * Every S seconds (default 60) it prints one line: queries, rows, cancels,
 * drops, reconnects, errors of the interval, RSS and open file descriptors
 * at its end, and the first-row latency of its queries (from
 * fraise_query_execute_async () to the first `rows` signal, so a query
 * queued behind the drain of a cancelled or dropped one includes that wait):
 * p50, p99 and max. At the end, a leak report: RSS and descriptors of the
 * first interval against the last. Exits 1 when a query miscounted, failed
 * or a stream did not end as asked; never because of a figure.
 */

#include <fraisewire/fraisewire.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

#define die(what, message) bench_die ("bench-soak", (what), (message))

static const guint sizes[] = { 1, 10, 100, 1000, 10000, 100000 };
static const guint size_weights[] = { 25, 25, 20, 15, 10, 5 }; /* percent */

typedef enum {
  END_COMPLETE,
  END_CANCEL,
  END_DROP
} Ending;

typedef struct {
  guint64 queries, rows, cancels, drops, reconnects, errors;
  GArray *first_row_ms; /* double */
} Interval;

typedef struct {
  const char *uri;
  GRand *rand;
  Interval now;
  guint64 total_queries, total_rows, total_errors;
  gboolean stopping;
  guint running; /* workers not yet stopped */
  double start;
  GArray *rss_kib, *fds; /* per interval, guint64 */
} Soak;

typedef struct {
  Soak *soak;
  guint id;
  FraiseClient *client;
  FraiseQuery *query;
  FraiseStream *stream;
  guint rows_asked;
  guint64 rows;
  Ending ending;
  gboolean cancel_asked;
  double started;
  gboolean first_seen;
} Worker;

static void worker_next (Worker *w);

static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    die ("/proc/self/status", field);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

static guint64
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint64 n = 0;

  if (dir == NULL)
    die ("/proc/self/fd", "cannot be read");
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n - 1; /* the directory's own descriptor */
}

static void
fail (Worker *w, const char *what, const GError *error)
{
  w->soak->now.errors++;
  w->soak->total_errors++;
  g_printerr ("bench-soak: worker %u, %u rows: %s%s%s\n", w->id, w->rows_asked, what,
              error != NULL ? ": " : "", error != NULL ? error->message : "");
}

static void
release_stream (Worker *w)
{
  if (w->stream != NULL)
    g_signal_handlers_disconnect_by_data (w->stream, w);
  g_clear_object (&w->stream);
  g_clear_object (&w->query);
}

static gboolean
next_later (gpointer user_data)
{
  worker_next (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_rows (FraiseStream *stream, GPtrArray *batch, Worker *w)
{
  guint k;

  if (!w->first_seen)
    {
      double ms = (bench_now () - w->started) * 1e3;

      w->first_seen = TRUE;
      g_array_append_val (w->soak->now.first_row_ms, ms);
    }
  for (k = 0; k < batch->len; k++)
    {
      FraiseRow *row = g_ptr_array_index (batch, k);

      if (fraise_row_get_int (row, "s", NULL) != (gint64) w->id ||
          fraise_row_get_int (row, "i", NULL) != (gint64) w->rows + 1)
        {
          fail (w, "a row out of place", NULL);
          break;
        }
      w->rows++;
    }
  w->soak->now.rows += batch->len;
  w->soak->total_rows += batch->len;
  if (w->ending == END_CANCEL && !w->cancel_asked)
    {
      w->cancel_asked = TRUE;
      fraise_stream_cancel (stream);
    }
  else if (w->ending == END_DROP)
    {
      w->soak->now.drops++;
      release_stream (w);
      g_idle_add (next_later, w);
    }
}

static void
on_finished (FraiseStream *stream, const GError *error, Worker *w)
{
  if (w->ending == END_COMPLETE)
    {
      if (error != NULL)
        fail (w, "a stream failed", error);
      else if (w->rows != w->rows_asked)
        fail (w, "a stream miscounted", NULL);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fail (w, "a cancelled stream failed", error);
  else if (error != NULL)
    w->soak->now.cancels++;
  else if (w->rows != w->rows_asked) /* finished before the cancel took */
    fail (w, "a stream miscounted", NULL);
  release_stream (w);
  g_idle_add (next_later, w);
}

static void
on_executed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Worker *w = user_data;
  g_autoptr (GError) error = NULL;

  w->stream = fraise_query_execute_finish (FRAISE_QUERY (source), res, &error);
  if (w->stream == NULL)
    {
      fail (w, "execute", error);
      g_clear_object (&w->query);
      g_idle_add (next_later, w);
      return;
    }
  g_signal_connect (w->stream, "rows", G_CALLBACK (on_rows), w);
  g_signal_connect (w->stream, "finished", G_CALLBACK (on_finished), w);
  fraise_stream_start (w->stream);
}

static guint
draw_size (GRand *rand)
{
  guint pick = (guint) g_rand_int_range (rand, 0, 100), k;

  for (k = 0; k < G_N_ELEMENTS (sizes) - 1; k++)
    {
      if (pick < size_weights[k])
        return sizes[k];
      pick -= size_weights[k];
    }
  return sizes[k];
}

static void
start_query (Worker *w)
{
  Soak *soak = w->soak;
  g_autofree char *by_stream = g_strdup_printf ("s = %u", w->id);
  g_autofree char *by_size = NULL;
  guint pick = (guint) g_rand_int_range (soak->rand, 0, 100);

  w->rows_asked = draw_size (soak->rand);
  w->ending = pick < 70 ? END_COMPLETE : pick < 85 ? END_CANCEL : END_DROP;
  w->rows = 0;
  w->first_seen = FALSE;
  w->cancel_asked = FALSE;
  by_size = g_strdup_printf ("n = %u", w->rows_asked);
  w->query = fraise_client_query (w->client, "v_load_tagged");
  fraise_query_add_where_sql (w->query, by_stream);
  fraise_query_add_where_sql (w->query, by_size);
  soak->now.queries++;
  soak->total_queries++;
  w->started = bench_now ();
  fraise_query_execute_async (w->query, NULL, on_executed, w);
}

static void
on_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Worker *w = user_data;
  g_autoptr (GError) error = NULL;

  if (!fraise_client_connect_finish (w->client, res, &error))
    die ("connect", error->message);
  start_query (w);
}

static void
connect_worker (Worker *w)
{
  g_autoptr (GError) error = NULL;

  w->client = fraise_client_new (w->soak->uri, &error);
  if (w->client == NULL)
    die ("client", error->message);
  fraise_client_connect_async (w->client, NULL, on_connected, w);
}

static void
on_closed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Worker *w = user_data;
  g_autoptr (GError) error = NULL;

  if (!fraise_client_close_finish (w->client, res, &error))
    fail (w, "close", error);
  g_clear_object (&w->client);
  if (w->soak->stopping)
    w->soak->running--;
  else
    connect_worker (w);
}

static void
worker_next (Worker *w)
{
  if (w->soak->stopping || g_rand_int_range (w->soak->rand, 0, 50) == 0)
    {
      if (!w->soak->stopping)
        w->soak->now.reconnects++;
      fraise_client_close_async (w->client, NULL, on_closed, w);
      return;
    }
  start_query (w);
}

static double
percentile (GArray *sorted, double p)
{
  guint k;

  if (sorted->len == 0)
    return 0;
  k = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, k);
}

/* Prints the interval's line; @record adds its RSS and descriptors to the
 * series of the leak report (not for the tail after the end, when the
 * clients are closing). */
static void
print_interval (Soak *soak, double elapsed, gboolean record)
{
  Interval *now = &soak->now;
  guint64 rss = status_kib ("VmRSS"), fds = count_fds ();

  g_array_sort (now->first_row_ms, bench_compare_doubles);
  printf ("| %6.0f | %8" G_GUINT64_FORMAT " | %11" G_GUINT64_FORMAT " | %6" G_GUINT64_FORMAT
          " | %6" G_GUINT64_FORMAT " | %5" G_GUINT64_FORMAT " | %3" G_GUINT64_FORMAT
          " | %8.1f | %3" G_GUINT64_FORMAT " | %7.3f | %7.3f | %8.3f |\n",
          elapsed, now->queries, now->rows, now->cancels, now->drops, now->reconnects, now->errors,
          rss / 1024.0, fds, percentile (now->first_row_ms, 0.5),
          percentile (now->first_row_ms, 0.99),
          now->first_row_ms->len > 0
            ? g_array_index (now->first_row_ms, double, now->first_row_ms->len - 1)
            : 0.0);
  fflush (stdout);
  if (record)
    {
      g_array_append_val (soak->rss_kib, rss);
      g_array_append_val (soak->fds, fds);
    }
  g_array_set_size (now->first_row_ms, 0);
  now->queries = now->rows = now->cancels = now->drops = now->reconnects = now->errors = 0;
}

static void
print_report (Soak *soak, guint minutes)
{
  guint64 rss_first = g_array_index (soak->rss_kib, guint64, 0);
  guint64 rss_last = g_array_index (soak->rss_kib, guint64, soak->rss_kib->len - 1);
  guint64 fds_first = g_array_index (soak->fds, guint64, 0);
  guint64 fds_last = g_array_index (soak->fds, guint64, soak->fds->len - 1);
  guint64 rss_max = 0, fds_max = 0;
  guint k;

  for (k = 0; k < soak->rss_kib->len; k++)
    {
      rss_max = MAX (rss_max, g_array_index (soak->rss_kib, guint64, k));
      fds_max = MAX (fds_max, g_array_index (soak->fds, guint64, k));
    }
  printf ("\n%u minutes: %" G_GUINT64_FORMAT " queries, %" G_GUINT64_FORMAT
          " rows, %" G_GUINT64_FORMAT " errors\n",
          minutes, soak->total_queries, soak->total_rows, soak->total_errors);
  printf ("RSS: %.1f MiB after the first interval, %.1f MiB after the last (%+.0f KiB), "
          "max %.1f MiB (the last line is the tail: the queries running at the end)\n",
          rss_first / 1024.0, rss_last / 1024.0, (double) rss_last - (double) rss_first,
          rss_max / 1024.0);
  printf ("descriptors: %" G_GUINT64_FORMAT " after the first interval, %" G_GUINT64_FORMAT
          " after the last, max %" G_GUINT64_FORMAT "\n",
          fds_first, fds_last, fds_max);
  printf ("after closing every client: %" G_GUINT64_FORMAT " descriptors, RSS %.1f MiB\n",
          count_fds (), status_kib ("VmRSS") / 1024.0);
}

static gboolean
on_report (gpointer user_data)
{
  Soak *soak = user_data;

  print_interval (soak, bench_now () - soak->start, TRUE);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_end (gpointer user_data)
{
  ((Soak *) user_data)->stopping = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  guint minutes = 10, interval = 60, n_workers = 8;
  gint64 seed = 1;
  const char *uri = NULL;
  Soak soak = { 0 };
  Worker *workers;
  guint report;
  int i;

  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--minutes") == 0 && i + 1 < argc)
        minutes = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--interval") == 0 && i + 1 < argc)
        interval = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--workers") == 0 && i + 1 < argc)
        n_workers = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
        seed = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (argv[i][0] != '-' && uri == NULL)
        uri = argv[i];
      else
        die ("usage", "bench-soak URI [--minutes N] [--interval S] [--workers W] [--seed X]");
    }
  if (uri == NULL || minutes == 0 || interval == 0 || n_workers == 0 || n_workers > 1000)
    die ("usage", "bench-soak URI [--minutes N] [--interval S] [--workers W] [--seed X]");

  soak.uri = uri;
  soak.rand = g_rand_new_with_seed ((guint32) seed);
  soak.now.first_row_ms = g_array_new (FALSE, FALSE, sizeof (double));
  soak.rss_kib = g_array_new (FALSE, FALSE, sizeof (guint64));
  soak.fds = g_array_new (FALSE, FALSE, sizeof (guint64));
  printf ("%u workers, %u minutes, seed %" G_GINT64_FORMAT "\n\n", n_workers, minutes, seed);
  printf ("| time (s) | queries | rows | cancels | drops | reconnects | errors | RSS (MiB) | fds "
          "| first row p50 (ms) | p99 (ms) | max (ms) |\n");
  printf ("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");

  workers = g_new0 (Worker, n_workers);
  for (i = 0; i < (int) n_workers; i++)
    {
      workers[i].soak = &soak;
      workers[i].id = (guint) i + 1;
      connect_worker (&workers[i]);
    }
  soak.running = n_workers;
  soak.start = bench_now ();
  report = g_timeout_add_seconds (interval, on_report, &soak);
  g_timeout_add_seconds (minutes * 60, on_end, &soak);
  /* At the end every worker finishes its query, then closes its client. */
  while (soak.running > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (report);
  if (soak.now.queries > 0)
    print_interval (&soak, bench_now () - soak.start, FALSE);
  print_report (&soak, minutes);
  g_free (workers);
  return soak.total_errors > 0 ? 1 : 0;
}
