/* bench-load.c: many concurrent streams against as many server-side COPYs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-load fraise URI STREAMS ROWS
 *        bench-load copy SUPERUSER_URI STREAMS ROWS
 *
 * fraise: STREAMS clients on the one main context, each streaming ROWS
 *   tagged rows (`SELECT data FROM v_load_tagged WHERE (s = k) AND (n =
 *   ROWS)`, k = 1..STREAMS) with the `rows` signal; every row's "s" is
 *   checked against its stream and the counts must be exact.
 * copy: the server alone: STREAMS libpq connections each run `COPY (SELECT
 *   data FROM v_load_tagged WHERE ...) TO '/dev/null'` at the same time (the
 *   same rows, made and written out by the server, sent nowhere; this needs
 *   a superuser).
 *
 * The connections are opened before the clock starts; the clock stops when
 * the last stream (or COPY) has finished. Prints the result line of
 * bench-common.h (rows are the total over all streams).
 */

#include <fraisewire/fraisewire.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

#define die(what, message) bench_die ("bench-load", (what), (message))

typedef struct {
  guint id;
  FraiseClient *client;
  FraiseQuery *query;
  FraiseStream *stream;
  guint64 rows;
  guint64 bytes;
  guint *pending;
} Stream;

static void
on_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Stream *s = user_data;
  g_autoptr (GError) error = NULL;

  if (!fraise_client_connect_finish (s->client, res, &error))
    die ("connect", error->message);
  (*s->pending)--;
}

static void
on_rows (FraiseStream *stream, GPtrArray *batch, Stream *s)
{
  guint k;

  for (k = 0; k < batch->len; k++)
    {
      FraiseRow *row = g_ptr_array_index (batch, k);
      gsize len;

      fraise_row_get_text (row, &len);
      s->bytes += len;
      if (fraise_row_get_int (row, "s", NULL) != (gint64) s->id)
        die ("fraise", "a row of another stream");
    }
  s->rows += batch->len;
}

static void
on_finished (FraiseStream *stream, const GError *error, Stream *s)
{
  if (error != NULL)
    die ("stream", error->message);
  (*s->pending)--;
}

static void
on_executed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Stream *s = user_data;
  g_autoptr (GError) error = NULL;

  s->stream = fraise_query_execute_finish (s->query, res, &error);
  if (s->stream == NULL)
    die ("execute", error->message);
  g_signal_connect (s->stream, "rows", G_CALLBACK (on_rows), s);
  g_signal_connect (s->stream, "finished", G_CALLBACK (on_finished), s);
  fraise_stream_start (s->stream);
}

static void
run_fraise (const char *uri, guint n_streams, guint64 rows)
{
  Stream *streams = g_new0 (Stream, n_streams);
  guint pending = n_streams;
  guint64 total = 0, bytes = 0;
  BenchClock clock;
  guint k;

  for (k = 0; k < n_streams; k++)
    {
      g_autoptr (GError) error = NULL;

      streams[k].id = k + 1;
      streams[k].pending = &pending;
      streams[k].client = fraise_client_new (uri, &error);
      if (streams[k].client == NULL)
        die ("client", error->message);
      fraise_client_connect_async (streams[k].client, NULL, on_connected, &streams[k]);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  pending = n_streams;
  clock = bench_clock_start ();
  for (k = 0; k < n_streams; k++)
    {
      g_autofree char *by_stream = g_strdup_printf ("s = %u", k + 1);
      g_autofree char *by_size = g_strdup_printf ("n = %" G_GUINT64_FORMAT, rows);

      streams[k].query = fraise_client_query (streams[k].client, "v_load_tagged");
      fraise_query_add_where_sql (streams[k].query, by_stream);
      fraise_query_add_where_sql (streams[k].query, by_size);
      fraise_query_execute_async (streams[k].query, NULL, on_executed, &streams[k]);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  for (k = 0; k < n_streams; k++)
    {
      if (streams[k].rows != rows)
        die ("fraise", "a stream miscounted");
      total += streams[k].rows;
      bytes += streams[k].bytes;
    }
  bench_report (&clock, total, bytes, total);
  for (k = 0; k < n_streams; k++)
    {
      g_clear_object (&streams[k].stream);
      g_clear_object (&streams[k].query);
      g_clear_object (&streams[k].client);
    }
  g_free (streams);
}

static void
run_copy (const char *uri, guint n_streams, guint64 rows)
{
  PGconn **conns = g_new0 (PGconn *, n_streams);
  struct pollfd *fds = g_new0 (struct pollfd, n_streams);
  g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT, rows);
  guint running = n_streams, k;
  BenchClock clock;

  for (k = 0; k < n_streams; k++)
    {
      conns[k] = PQconnectdb (uri);
      if (PQstatus (conns[k]) != CONNECTION_OK)
        die ("libpq connect", PQerrorMessage (conns[k]));
    }
  clock = bench_clock_start ();
  for (k = 0; k < n_streams; k++)
    {
      g_autofree char *sql = g_strdup_printf (
        "COPY (SELECT data FROM v_load_tagged WHERE (s = %u) AND (n = %" G_GUINT64_FORMAT
        ")) TO '/dev/null'",
        k + 1, rows);

      if (!PQsendQuery (conns[k], sql))
        die ("libpq send", PQerrorMessage (conns[k]));
      fds[k].fd = PQsocket (conns[k]);
      fds[k].events = POLLIN;
    }
  while (running > 0)
    {
      if (poll (fds, n_streams, -1) < 0)
        die ("poll", g_strerror (errno));
      for (k = 0; k < n_streams; k++)
        {
          PGresult *result;

          if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLERR | POLLHUP)))
            continue;
          if (!PQconsumeInput (conns[k]))
            die ("libpq read", PQerrorMessage (conns[k]));
          while (!PQisBusy (conns[k]) && (result = PQgetResult (conns[k])) != NULL)
            {
              if (PQresultStatus (result) != PGRES_COMMAND_OK)
                die ("COPY", PQresultErrorMessage (result));
              if (strcmp (PQcmdTuples (result), expected) != 0)
                die ("COPY", "a COPY miscounted");
              PQclear (result);
            }
          if (!PQisBusy (conns[k]))
            {
              fds[k].fd = -1; /* poll ignores it */
              running--;
            }
        }
    }
  bench_report (&clock, rows * n_streams, 0, 0);
  for (k = 0; k < n_streams; k++)
    PQfinish (conns[k]);
  g_free (fds);
  g_free (conns);
}

int
main (int argc, char **argv)
{
  guint n_streams;
  guint64 rows;

  if (argc != 5)
    die ("usage", "bench-load fraise|copy URI STREAMS ROWS");
  n_streams = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  rows = g_ascii_strtoull (argv[4], NULL, 10);
  if (n_streams == 0 || n_streams > 1000 || rows == 0)
    die ("usage", "STREAMS must be 1..1000 and ROWS above 0");
  if (strcmp (argv[1], "fraise") == 0)
    run_fraise (argv[2], n_streams, rows);
  else if (strcmp (argv[1], "copy") == 0)
    run_copy (argv[2], n_streams, rows);
  else
    die ("usage", "bench-load fraise|copy URI STREAMS ROWS");
  return 0;
}
