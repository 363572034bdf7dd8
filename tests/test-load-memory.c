/* test-load-memory.c: peak memory does not grow with the number of rows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * SPEC §9: peak RSS while streaming N rows does not grow with N (1K → 1M
 * rows: growth under 1 MiB). The process streams 1,000 tagged rows (twice,
 * so that the first run's one-time allocations, type registrations and
 * caches are in the baseline), reads its peak RSS (VmHWM), streams 1,000,000
 * rows of the same shape and reads it again. Each case starts by resetting
 * the peak to the current RSS (/proc/self/clear_refs), so each measures its
 * own streams.
 */

#include "fraise-test-utils.h"
#include "fraise-test-load.h"

#define MAX_GROWTH_KIB 1024
#define DEFAULT_MAX_MEMORY (8 * 1024 * 1024)

static guint64
stream_tagged (const char *uri, guint id, guint64 rows)
{
  FraiseTestTagged *results = fraise_test_run_tagged (uri, id, 1, rows, 0, 120, NULL);
  guint64 peak_buffered = results[0].peak_bytes_buffered;

  fraise_test_tagged_assert (results, 1);
  fraise_test_tagged_free (results, 1);
  return peak_buffered;
}

static void
test_1m_rows (void)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  guint64 hwm_1k, hwm_1m, rss_1m, buffered_1m;

  if (uri == NULL)
    return;
  fraise_test_reset_peak_rss ();
  stream_tagged (uri, 1, 1000);
  stream_tagged (uri, 2, 1000);
  hwm_1k = fraise_test_status_kib ("VmHWM");
  buffered_1m = stream_tagged (uri, 3, 1000000);
  hwm_1m = fraise_test_status_kib ("VmHWM");
  rss_1m = fraise_test_status_kib ("VmRSS");
  g_test_message ("peak RSS: %" G_GUINT64_FORMAT " KiB after 1K rows, %" G_GUINT64_FORMAT
                  " KiB after 1M rows (RSS now %" G_GUINT64_FORMAT
                  " KiB); peak buffered %" G_GUINT64_FORMAT " bytes",
                  hwm_1k, hwm_1m, rss_1m, buffered_1m);
  g_assert_cmpuint (hwm_1m, <, hwm_1k + MAX_GROWTH_KIB);
  g_assert_cmpuint (buffered_1m, <=, DEFAULT_MAX_MEMORY);
}

/* The same with a consumer that takes one batch at a time with
 * fraise_stream_next_batch_async(): the pull path keeps to the same bound. */
typedef struct {
  FraiseStream *stream;
  guint64 rows;
  guint64 out_of_sequence;
  GError *error;
  gboolean done;
} Pull;

static void
on_batch (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Pull *pull = user_data;
  g_autoptr (GPtrArray) batch = NULL;
  guint k;

  batch = fraise_stream_next_batch_finish (pull->stream, res, &pull->error);
  if (batch == NULL || batch->len == 0)
    {
      pull->done = TRUE;
      return;
    }
  for (k = 0; k < batch->len; k++)
    if (fraise_row_get_index (g_ptr_array_index (batch, k)) != pull->rows++)
      pull->out_of_sequence++;
  fraise_stream_next_batch_async (pull->stream, NULL, on_batch, pull);
}

static guint64
pull_rows (FraiseClient *client, guint64 rows)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (client, "v_load_tagged");
  g_autofree char *by_size = g_strdup_printf ("n = %" G_GUINT64_FORMAT, rows);
  g_autoptr (GError) error = NULL;
  Pull pull = { 0 };

  fraise_query_add_where_sql (query, "s = 7");
  fraise_query_add_where_sql (query, by_size);
  pull.stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  fraise_stream_next_batch_async (pull.stream, NULL, on_batch, &pull);
  while (!pull.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (pull.error);
  g_assert_cmpuint (pull.out_of_sequence, ==, 0);
  g_clear_object (&pull.stream);
  return pull.rows;
}

static void
test_1m_rows_pull (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  guint64 hwm_1k, hwm_1m;

  if (client == NULL)
    return;
  fraise_test_reset_peak_rss ();
  g_assert_cmpuint (pull_rows (client, 1000), ==, 1000);
  g_assert_cmpuint (pull_rows (client, 1000), ==, 1000);
  hwm_1k = fraise_test_status_kib ("VmHWM");
  g_assert_cmpuint (pull_rows (client, 1000000), ==, 1000000);
  hwm_1m = fraise_test_status_kib ("VmHWM");
  g_test_message ("pull: peak RSS %" G_GUINT64_FORMAT " KiB after 1K rows, %" G_GUINT64_FORMAT
                  " KiB after 1M rows",
                  hwm_1k, hwm_1m);
  g_assert_cmpuint (hwm_1m, <, hwm_1k + MAX_GROWTH_KIB);
}

/* A consumer that stops taking rows for a while: the stream pauses at row
 * 500,000 for 300 ms, then at 600,000. While it is paused the socket is not
 * read and TCP stops the server: buffered bytes stay under max-memory (256
 * KiB here) and peak RSS does not grow; every row still arrives, in order. */
#define PAUSED_MAX_MEMORY (256 * 1024)

typedef struct {
  guint64 rows;
  guint64 out_of_sequence;
  guint pauses_left;
  guint64 next_pause;
  gboolean done;
  GError *error;
} Paused;

static gboolean
resume_later (gpointer user_data)
{
  fraise_stream_resume (FRAISE_STREAM (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_paused_rows (FraiseStream *stream, GPtrArray *batch, Paused *p)
{
  guint k;

  for (k = 0; k < batch->len; k++)
    if (fraise_row_get_index (g_ptr_array_index (batch, k)) != p->rows++)
      p->out_of_sequence++;
  if (p->pauses_left > 0 && p->rows >= p->next_pause)
    {
      p->pauses_left--;
      p->next_pause += 100000;
      fraise_stream_pause (stream, "slow consumer");
      g_timeout_add_full (G_PRIORITY_DEFAULT, 300, resume_later, g_object_ref (stream),
                          g_object_unref);
    }
}

static void
on_paused_finished (FraiseStream *stream, const GError *error, Paused *p)
{
  if (error != NULL)
    p->error = g_error_copy (error);
  p->done = TRUE;
}

static guint64
paused_rows (FraiseClient *client, guint64 rows, FraiseStreamStats **stats)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (client, "v_load_tagged");
  g_autofree char *by_size = g_strdup_printf ("n = %" G_GUINT64_FORMAT, rows);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  Paused p = { 0 };

  fraise_query_add_where_sql (query, "s = 8");
  fraise_query_add_where_sql (query, by_size);
  fraise_query_set_max_memory (query, PAUSED_MAX_MEMORY);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  p.pauses_left = 2;
  p.next_pause = rows / 2;
  g_signal_connect (stream, "rows", G_CALLBACK (on_paused_rows), &p);
  g_signal_connect (stream, "finished", G_CALLBACK (on_paused_finished), &p);
  fraise_stream_start (stream);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (p.error);
  g_assert_cmpuint (p.out_of_sequence, ==, 0);
  *stats = fraise_stream_get_stats (stream);
  return p.rows;
}

static void
test_1m_rows_paused (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseStreamStats) stats_1k = NULL;
  g_autoptr (FraiseStreamStats) stats_1m = NULL;
  guint64 hwm_1k, hwm_1m;

  if (client == NULL)
    return;
  fraise_test_reset_peak_rss ();
  g_assert_cmpuint (paused_rows (client, 1000, &stats_1k), ==, 1000);
  g_clear_pointer (&stats_1k, fraise_stream_stats_free);
  g_assert_cmpuint (paused_rows (client, 1000, &stats_1k), ==, 1000);
  hwm_1k = fraise_test_status_kib ("VmHWM");
  g_assert_cmpuint (paused_rows (client, 1000000, &stats_1m), ==, 1000000);
  hwm_1m = fraise_test_status_kib ("VmHWM");
  g_test_message ("paused: peak RSS %" G_GUINT64_FORMAT " KiB after 1K rows, %" G_GUINT64_FORMAT
                  " KiB after 1M rows; %" G_GUINT64_FORMAT
                  " pauses, peak buffered %" G_GUINT64_FORMAT " bytes",
                  hwm_1k, hwm_1m, stats_1m->pauses, stats_1m->peak_bytes_buffered);
  g_assert_cmpuint (stats_1m->pauses, >=, 2);
  g_assert_cmpuint (stats_1m->peak_bytes_buffered, <=, PAUSED_MAX_MEMORY);
  g_assert_cmpuint (hwm_1m, <, hwm_1k + MAX_GROWTH_KIB);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/load/memory/1m-rows", test_1m_rows);
  g_test_add_func ("/load/memory/1m-rows-pull", test_1m_rows_pull);
  g_test_add_func ("/load/memory/1m-rows-paused", test_1m_rows_paused);
  return g_test_run ();
}
