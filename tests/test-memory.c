/* test-memory.c: max-memory bounds what a stream holds, in bytes, on a real server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rows are made by the server (views over generate_series), so their
 * sizes are exact. Peak memory is read from the kernel: /proc/self/clear_refs
 * resets VmHWM, and the growth after it is what the stream really held.
 */

#include "fraise-test-utils.h"

#include <stdio.h>
#include <string.h>

#define MIB (1024 * 1024)

/* AddressSanitizer keeps freed blocks in quarantine: the process's peak RSS
 * then says nothing of what the stream held, only the stream's own counts do. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_MEANINGFUL FALSE
#else
#define RSS_MEANINGFUL TRUE
#endif

static const char *uri;

static void
create_views (void)
{
  fraise_test_psql (uri,
                    "CREATE OR REPLACE VIEW v_mem_105k AS "
                    "SELECT json_build_object('i', i, 'pad', repeat('x', 105000)) AS data "
                    "FROM generate_series(0, 39) AS i;"
                    "CREATE OR REPLACE VIEW v_mem_huge AS "
                    "SELECT json_build_object('i', i, 'pad', "
                    "repeat('x', CASE WHEN i = 1 THEN 40 * 1024 * 1024 ELSE 10 END)) AS data "
                    "FROM generate_series(0, 2) AS i;"
                    "CREATE OR REPLACE VIEW v_mem_mib AS "
                    "SELECT json_build_object('i', i, 'pad', repeat('x', (i % 7 + 1) * 1024 * 1024 "
                    "- 100)) AS data FROM generate_series(0, 13) AS i;",
                    NULL);
}

/* Resets the peak resident set size of this process to its current size. */
static void
reset_peak_rss (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (f);
  g_assert_cmpint (fputs ("5", f), >=, 0);
  g_assert_cmpint (fclose (f), ==, 0);
}

/* A field of /proc/self/status in bytes ("VmHWM", "VmRSS"). */
static guint64
status_bytes (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *p;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  p = strstr (status, key);
  g_assert_nonnull (p);
  return g_ascii_strtoull (p + strlen (key), NULL, 10) * 1024;
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* A row that cannot fit is refused from its header: the 40 MiB row never
 * enters memory, the stream fails with MEMORY_LIMIT naming it, and the
 * connection is drained and reusable. */
static void
test_row_over_max_memory_not_read (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  FraiseRow *row;
  guint64 growth;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_mem_huge");
  fraise_query_set_max_memory (query, 1 * MIB);
  reset_peak_rss ();
  growth = status_bytes ("VmHWM");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_row_get_index (row), ==, 0);
  fraise_row_unref (row);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_null (row);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_MEMORY_LIMIT);
  g_assert_nonnull (strstr (error->message, "row 1 is 41943"));
  g_assert_nonnull (strstr (error->message, "max-memory (1048576 bytes)"));
  growth = status_bytes ("VmHWM") - growth;
  g_test_message ("peak RSS growth while refusing a 40 MiB row: %" G_GUINT64_FORMAT " KiB",
                  growth / 1024);
  if (RSS_MEANINGFUL)
    g_assert_cmpuint (growth, <, 8 * MIB);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_FAILED);
  g_clear_object (&stream);
  fraise_test_assert_reusable (client);
}

/* With rows of 105 KB the bound holds in bytes: a row waits in the read
 * buffer while the rows already buffered and the read buffer fill
 * max-memory, so the buffered rows never exceed it; no row is lost. */
static void
test_large_rows_bounded (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) idle = NULL;
  g_autoptr(FraiseStreamStats) end = NULL;
  g_autoptr(GError) error = NULL;
  const guint64 max_memory = 512 * 1024;
  FraiseRow *row;
  guint n = 0;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_mem_105k");
  fraise_query_set_max_memory (query, max_memory);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  fraise_row_unref (row);
  n++;
  iterate_for (300); /* not asking for rows: the stream fills up to its bound */
  idle = fraise_stream_get_stats (stream);
  g_test_message ("idle: %" G_GUINT64_FORMAT " rows, %" G_GUINT64_FORMAT " bytes buffered",
                  idle->rows_buffered, idle->bytes_buffered);
  g_assert_cmpuint (idle->rows_buffered, >=, 1);
  /* Allocation sizes, not only the text: each row holds more than 105,000 bytes. */
  g_assert_cmpuint (idle->bytes_buffered, >, idle->rows_buffered * 105000);
  /* The read buffer holds the next row (>= 105 KB) as well. */
  g_assert_cmpuint (idle->bytes_buffered, <=, max_memory - 105000);
  g_assert_cmpuint (idle->pauses, >, 0);
  g_assert_cmpuint (idle->rows_received, <, 40);

  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (fraise_row_get_index (row), ==, n);
      g_assert_cmpint (fraise_row_get_int (row, "i", NULL), ==, n);
      n++;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 40);
  end = fraise_stream_get_stats (stream);
  g_assert_cmpuint (end->peak_bytes_buffered, <=, max_memory);
  g_assert_cmpuint (end->rows_received, ==, 40);
  g_clear_object (&stream);
  fraise_test_assert_reusable (client);
}

typedef struct {
  guint rows;
  guint64 next;
  guint64 max_buffered;
  gboolean done;
  GError *error;
} PushCount;

static void
on_rows (FraiseStream *stream, GPtrArray *rows, gpointer user_data)
{
  PushCount *count = user_data;
  g_autoptr(FraiseStreamStats) stats = fraise_stream_get_stats (stream);
  guint i;

  for (i = 0; i < rows->len; i++)
    g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (rows, i)), ==, count->next++);
  count->rows += rows->len;
  count->max_buffered = MAX (count->max_buffered, stats->peak_bytes_buffered);
}

static void
on_finished (FraiseStream *stream, const GError *error, gpointer user_data)
{
  PushCount *count = user_data;

  (void) stream;
  count->error = error != NULL ? g_error_copy (error) : NULL;
  count->done = TRUE;
}

/* Rows of 1 to 7 MiB under the default max-memory (8 MiB), pushed: every row
 * arrives, and the process's peak grows by at most 2 × max-memory + 8 MiB. */
static void
test_mib_rows_peak_rss (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  const guint64 max_memory = 8 * MIB;
  PushCount count = { 0 };
  guint64 growth;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_mem_mib");
  {
    guint64 value = 0;

    g_object_get (query, "max-memory", &value, NULL);
    g_assert_cmpuint (value, ==, max_memory);
  }
  reset_peak_rss ();
  growth = status_bytes ("VmHWM");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (stream, "rows", G_CALLBACK (on_rows), &count);
  g_signal_connect (stream, "finished", G_CALLBACK (on_finished), &count);
  fraise_stream_start (stream);
  fraise_test_wait_for (&count.done);
  g_assert_no_error (count.error);
  g_assert_cmpuint (count.rows, ==, 14);
  growth = status_bytes ("VmHWM") - growth;
  g_test_message ("1-7 MiB rows: peak RSS growth %" G_GUINT64_FORMAT " KiB, peak buffered "
                  "%" G_GUINT64_FORMAT " KiB",
                  growth / 1024, count.max_buffered / 1024);
  g_assert_cmpuint (count.max_buffered, <=, max_memory);
  if (RSS_MEANINGFUL)
    g_assert_cmpuint (growth, <=, 2 * max_memory + 8 * MIB);
  g_clear_object (&stream);
  fraise_test_assert_reusable (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  uri = g_getenv (FRAISE_TEST_ENV_URI);
  if (uri != NULL)
    create_views ();

  g_test_add_func ("/memory/row-over-max-memory-not-read", test_row_over_max_memory_not_read);
  g_test_add_func ("/memory/large-rows-bounded", test_large_rows_bounded);
  g_test_add_func ("/memory/mib-rows-peak-rss", test_mib_rows_peak_rss);
  return g_test_run ();
}
