/* fraise-demo: stream every row of a view as JSON Lines
 *
 * Usage: fraise-demo [CONNINFO] [SOURCE]
 *
 * Rows go to stdout, one JSON document per line; the row count and the
 * rows/s figure go to stderr.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <stdio.h>

int
main (int argc, char **argv)
{
  const char *conninfo = argc > 1 ? argv[1] : NULL;
  const char *source = argc > 2 ? argv[2] : "v_user";
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  FraiseRow *row;
  gint64 start;
  double seconds;

  g_set_prgname ("fraise-demo");
  client = fraise_client_new (conninfo, &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;

  start = g_get_monotonic_time ();
  query = fraise_client_query (client, source);
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    goto fail;

  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      gsize len;
      const char *text = fraise_row_get_text (row, &len);

      fwrite (text, 1, len, stdout);
      fputc ('\n', stdout);
      fraise_row_unref (row);
    }
  if (error != NULL)
    goto fail;

  stats = fraise_stream_get_stats (stream);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  fflush (stdout);
  g_printerr ("%s: %" G_GUINT64_FORMAT " rows from %s in %.3f s (%.0f rows/s, first row after "
              "%.3f ms)\n",
              g_get_prgname (), stats->rows_delivered, source, seconds,
              seconds > 0 ? stats->rows_delivered / seconds : 0.0,
              stats->time_to_first_row_us / 1000.0);
  return 0;

fail:
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return 1;
}
