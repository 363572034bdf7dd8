/* bench-first-row.c: time to the first row of a pipeline, through the public API
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-first-row URI DESCRIPTION [ITERATIONS]
 *
 * On one open connection, runs DESCRIPTION (which must end in a
 * `signal-sink`) ITERATIONS times (default 20, after one warm-up) and
 * measures from fraise_pipeline_run_async () until the sink's first `rows`
 * signal: everything a run does before its first row is on the clock (the
 * type probe push-down makes, building the SQL, the server's plan and
 * scan). The pipeline is then stopped and drained off the clock. Prints
 * `latency first-row median_ms=M min_ms=A max_ms=B rows=R` (R: rows of the
 * last run).
 */

#include <fraisewire/fraisewire.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"

typedef struct {
  double started;
  double first;
  guint64 rows;
  gboolean done;
  GError *error;
} Run;

#define die(what, message) bench_die ("bench-first-row", (what), (message))

static void
on_rows (FraiseSignalSink *sink, GPtrArray *rows, gpointer user_data)
{
  Run *run = user_data;

  if (run->first == 0)
    run->first = bench_now ();
  run->rows += rows->len;
}

static void
on_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  fraise_pipeline_run_finish (FRAISE_PIPELINE (object), result, &run->error);
  run->done = TRUE;
}

static double
first_row (FraiseClient *client, FraisePipeline *pipeline, FraiseElement *sink, guint64 *rows)
{
  Run run = { 0 };
  gulong handler = g_signal_connect (sink, "rows", G_CALLBACK (on_rows), &run);

  run.started = bench_now ();
  fraise_pipeline_run_async (pipeline, client, NULL, on_done, &run);
  while (!run.done && run.first == 0)
    g_main_context_iteration (NULL, TRUE);
  fraise_pipeline_stop (pipeline);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (sink, handler);
  if (run.error != NULL)
    die ("run", run.error->message);
  if (run.first == 0)
    die ("run", "no row");
  *rows = run.rows;
  return run.first - run.started;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autofree double *samples = NULL;
  g_autoptr (GPtrArray) elements = NULL;
  FraiseElement *sink = NULL;
  guint n = argc > 3 ? (guint) atoi (argv[3]) : 20;
  guint64 rows = 0;
  double median;

  if (argc < 3 || n == 0)
    die ("usage", "bench-first-row URI DESCRIPTION [ITERATIONS]");
  client = fraise_client_new (argv[1], &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    die ("connect", error->message);
  pipeline = fraise_pipeline_new_from_description (argv[2], &error);
  if (pipeline == NULL)
    die ("description", error->message);
  elements = fraise_pipeline_get_elements (pipeline);
  sink = g_ptr_array_index (elements, elements->len - 1);
  if (!FRAISE_IS_SIGNAL_SINK (sink))
    die ("description", "the last element must be a signal-sink");

  samples = g_new (double, n);
  first_row (client, pipeline, sink, &rows); /* warm-up */
  for (guint i = 0; i < n; i++)
    samples[i] = first_row (client, pipeline, sink, &rows);
  median = bench_median (samples, n);
  printf ("latency first-row median_ms=%.3f min_ms=%.3f max_ms=%.3f rows=%" G_GUINT64_FORMAT "\n",
          median * 1e3, samples[0] * 1e3, samples[n - 1] * 1e3, rows);
  return 0;
}
