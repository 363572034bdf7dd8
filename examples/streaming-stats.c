/* streaming-stats: stream a large relation in batches and report the stream's statistics
 *
 * Usage: streaming-stats [CONNINFO] [SOURCE]   (SOURCE defaults to v_bench_100k)
 *
 * Memory stays bounded whatever the number of rows: the stream holds at most
 * twice chunk-size rows and stops reading the socket beyond that.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>

int
main (int argc, char **argv)
{
  const char *source = argc > 2 ? argv[2] : "v_bench_100k";
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  guint64 rows = 0, bytes = 0;

  client = fraise_client_new (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI"), &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;

  query = fraise_client_query (client, source);
  fraise_query_set_chunk_size (query, 512);
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    goto fail;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fraise_stream_next_batch_sync (stream, NULL, &error);
      guint i;

      if (batch == NULL)
        goto fail;
      if (batch->len == 0)
        break;
      for (i = 0; i < batch->len; i++)
        {
          gsize len;
          fraise_row_get_text (g_ptr_array_index (batch, i), &len);
          bytes += len;
        }
      rows += batch->len;
    }

  stats = fraise_stream_get_stats (stream);
  g_print ("%" G_GUINT64_FORMAT " rows, %.1f MB of JSON from %s\n", rows, bytes / 1e6, source);
  g_print ("elapsed %.3f s (%.0f rows/s), first row after %.3f ms\n", stats->elapsed_us / 1e6,
           rows / (stats->elapsed_us / 1e6), stats->time_to_first_row_us / 1e3);
  g_print ("peak buffered %.1f KiB, reading paused %" G_GUINT64_FORMAT " times, chunk size %u\n",
           stats->peak_bytes_buffered / 1024.0, stats->pauses, stats->chunk_size);
  return rows == stats->rows_delivered ? 0 : 1;

fail:
  g_printerr ("streaming-stats: %s\n", error->message);
  return 1;
}
