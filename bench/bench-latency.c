/* bench-latency.c: connect time and time to first row, fraisewire and libpq
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-latency URI_UNIX URI_SCRAM [ITERATIONS]
 *
 * connect: from fraise_client_new () to the end of fraise_client_connect_sync ()
 *   (resp. PQconnectdb ()), for the trust Unix-socket URI and the SCRAM TCP
 *   URI; the connection is closed outside the clock.
 * first row: on an open connection (Unix socket), from sending the query
 *   until the first row is in hand: fraise_query_execute_sync () + the first
 *   fraise_stream_next_sync (), resp. PQsendQuery () + PQsetSingleRowMode () +
 *   the first PQgetResult (). The rest of the result is drained off the clock.
 *   The two contenders take turns, one query each.
 *
 * One warm-up, then ITERATIONS (default 20) measurements each; prints one line
 * per figure: `latency NAME median_ms=M min_ms=A max_ms=B` (bench/bench.py
 * reads them).
 */

#include <fraisewire/fraisewire.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

typedef struct {
  const char *sql;    /* the SQL text, for libpq */
  const char *source; /* the same query, for fraisewire */
  gint64 limit;       /* or -1 */
} FirstRowQuery;

#define die(what, message) bench_die ("bench-latency", (what), (message))

static void
print_figure (const char *name, double *samples, guint n)
{
  double median = bench_median (samples, n);

  printf ("latency %s median_ms=%.3f min_ms=%.3f max_ms=%.3f\n", name, median * 1e3,
          samples[0] * 1e3, samples[n - 1] * 1e3);
  fflush (stdout);
}

static double
connect_fraise (const char *uri)
{
  g_autoptr(GError) error = NULL;
  FraiseClient *client;
  double t0, t;

  t0 = bench_now ();
  client = fraise_client_new (uri, &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    die ("fraisewire connect", error->message);
  t = bench_now () - t0;
  g_object_unref (client);
  return t;
}

static double
connect_libpq (const char *uri)
{
  PGconn *conn;
  double t0, t;

  t0 = bench_now ();
  conn = PQconnectdb (uri);
  if (PQstatus (conn) != CONNECTION_OK)
    die ("libpq connect", PQerrorMessage (conn));
  t = bench_now () - t0;
  PQfinish (conn);
  return t;
}

static double
first_row_fraise (FraiseClient *client, const FirstRowQuery *q)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  FraiseRow *row;
  double t0, t;

  t0 = bench_now ();
  query = fraise_client_query (client, q->source);
  if (q->limit >= 0)
    fraise_query_set_limit (query, q->limit);
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    die ("fraisewire execute", error->message);
  row = fraise_stream_next_sync (stream, NULL, &error);
  if (row == NULL)
    die ("fraisewire first row", error != NULL ? error->message : "no rows");
  t = bench_now () - t0;
  do
    fraise_row_unref (row);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL);
  if (error != NULL)
    die ("fraisewire next", error->message);
  return t;
}

static double
first_row_libpq (PGconn *conn, const FirstRowQuery *q)
{
  PGresult *res;
  double t0, t;

  t0 = bench_now ();
  if (!PQsendQuery (conn, q->sql) || !PQsetSingleRowMode (conn))
    die ("libpq send", PQerrorMessage (conn));
  res = PQgetResult (conn);
  if (res == NULL || PQresultStatus (res) != PGRES_SINGLE_TUPLE)
    die ("libpq first row", res != NULL ? PQresultErrorMessage (res) : "no result");
  t = bench_now () - t0;
  do
    PQclear (res);
  while ((res = PQgetResult (conn)) != NULL);
  return t;
}

int
main (int argc, char **argv)
{
  static const FirstRowQuery queries[] = {
    { "SELECT data FROM v_bench_1k", "v_bench_1k", -1 },
    { "SELECT data FROM v_bench_large LIMIT 10", "v_bench_large", 10 },
  };
  guint n = argc > 3 ? (guint) strtoul (argv[3], NULL, 10) : 20;
  const char *uris[2];
  const char *uri_names[2] = { "unix-trust", "tcp-scram" };
  double *samples;
  double *others;

  if (argc < 3 || n == 0)
    {
      fprintf (stderr, "usage: bench-latency URI_UNIX URI_SCRAM [ITERATIONS]\n");
      return 2;
    }
  uris[0] = argv[1];
  uris[1] = argv[2];
  samples = g_new (double, n);
  others = g_new (double, n);

  for (guint u = 0; u < G_N_ELEMENTS (uris); u++)
    {
      char name[64];

      connect_fraise (uris[u]);
      for (guint i = 0; i < n; i++)
        samples[i] = connect_fraise (uris[u]);
      g_snprintf (name, sizeof name, "connect/%s/fraisewire", uri_names[u]);
      print_figure (name, samples, n);

      connect_libpq (uris[u]);
      for (guint i = 0; i < n; i++)
        samples[i] = connect_libpq (uris[u]);
      g_snprintf (name, sizeof name, "connect/%s/libpq", uri_names[u]);
      print_figure (name, samples, n);
    }

  for (guint k = 0; k < G_N_ELEMENTS (queries); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FraiseClient) client = NULL;
      g_autoptr(FraiseQuery) check = NULL;
      g_autofree char *sql = NULL;
      char name[128];
      PGconn *conn;

      client = fraise_client_new (uris[0], &error);
      if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
        die ("fraisewire connect", error->message);
      check = fraise_client_query (client, queries[k].source);
      if (queries[k].limit >= 0)
        fraise_query_set_limit (check, queries[k].limit);
      sql = fraise_query_to_sql (check, &error);
      if (sql == NULL || strcmp (sql, queries[k].sql) != 0)
        die ("query text differs", sql != NULL ? sql : error->message);

      conn = PQconnectdb (uris[0]);
      if (PQstatus (conn) != CONNECTION_OK)
        die ("libpq connect", PQerrorMessage (conn));
      /* Turn about, so that background load hits both alike. */
      first_row_fraise (client, &queries[k]);
      first_row_libpq (conn, &queries[k]);
      for (guint i = 0; i < n; i++)
        {
          samples[i] = first_row_fraise (client, &queries[k]);
          others[i] = first_row_libpq (conn, &queries[k]);
        }
      g_snprintf (name, sizeof name, "first-row/%s/fraisewire", queries[k].sql);
      print_figure (name, samples, n);
      g_snprintf (name, sizeof name, "first-row/%s/libpq", queries[k].sql);
      print_figure (name, others, n);
      PQfinish (conn);
    }

  g_free (samples);
  g_free (others);
  return 0;
}
