/* fraise-test-load.c: tagged streams and process figures for the load suite
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-load.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

static guint
count_entries (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint
fraise_test_count_fds (void)
{
  /* The directory stream itself holds one descriptor while it is read. */
  return count_entries ("/proc/self/fd") - 1;
}

char *
fraise_test_describe_fds (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, &error);
  GString *out = g_string_new (NULL);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      g_string_append_printf (out, "%s -> %s\n", name, target != NULL ? target : "?");
    }
  return g_string_free (out, FALSE);
}

guint
fraise_test_count_threads (void)
{
  return count_entries ("/proc/self/task");
}

guint64
fraise_test_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

gboolean
fraise_test_heap_in_use (guint64 *bytes)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 info;

  /* Free pages go back to the system, so that RSS measured next counts what
   * is in use rather than where the allocator's free lists happen to lie. */
  malloc_trim (0);
  info = mallinfo2 ();

  /* Under a sanitizer or memcheck malloc is not glibc's: nothing counted. */
  if (info.arena == 0 && info.hblkhd == 0)
    return FALSE;
  *bytes = info.uordblks + info.hblkhd;
  return TRUE;
#else
  return FALSE;
#endif
}

void
fraise_test_reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs ("5", file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* ---- tagged streams ------------------------------------------------------ */

typedef struct {
  FraiseTestTagged *result;
  guint chunk_size;
  FraiseClient *client;
  FraiseQuery *query;
  FraiseStream *stream;
  guint8 *seen; /* one bit per value of "i", 1..rows */
  guint *pending;
  guint *active;
  guint *max_active;
} Tagged;

static void
tagged_done (Tagged *t, GError *error)
{
  if (error != NULL && t->result->error == NULL)
    t->result->error = g_error_copy (error);
  (*t->pending)--;
}

static void
on_rows (FraiseStream *stream, GPtrArray *batch, Tagged *t)
{
  FraiseTestTagged *r = t->result;
  guint k;

  if (r->received == 0)
    {
      (*t->active)++;
      *t->max_active = MAX (*t->max_active, *t->active);
    }
  for (k = 0; k < batch->len; k++)
    {
      FraiseRow *row = g_ptr_array_index (batch, k);
      g_autoptr (GError) error = NULL;
      gint64 s, i;

      if (fraise_row_get_index (row) != r->received)
        r->out_of_sequence++;
      r->received++;
      s = fraise_row_get_int (row, "s", &error);
      if (error != NULL || s != r->id)
        {
          r->foreign++;
          continue;
        }
      i = fraise_row_get_int (row, "i", &error);
      if (error != NULL || i < 1 || (guint64) i > r->rows || (t->seen[i / 8] & (1u << (i % 8))))
        {
          r->bad_index++;
          continue;
        }
      t->seen[i / 8] |= 1u << (i % 8);
    }
}

static void
on_finished (FraiseStream *stream, const GError *error, Tagged *t)
{
  g_autoptr (FraiseStreamStats) stats = fraise_stream_get_stats (stream);
  FraiseTestTagged *r = t->result;
  guint64 i;

  if (r->received > 0 && r->finished == 0)
    (*t->active)--;
  r->finished++;
  r->stats_received = stats->rows_received;
  r->stats_delivered = stats->rows_delivered;
  r->peak_bytes_buffered = stats->peak_bytes_buffered;
  for (i = 1; i <= r->rows; i++)
    if (!(t->seen[i / 8] & (1u << (i % 8))))
      r->missing++;
  tagged_done (t, (GError *) error);
}

static void
on_executed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Tagged *t = user_data;
  g_autoptr (GError) error = NULL;

  t->stream = fraise_query_execute_finish (FRAISE_QUERY (source), res, &error);
  if (t->stream == NULL)
    {
      tagged_done (t, error);
      return;
    }
  g_signal_connect (t->stream, "rows", G_CALLBACK (on_rows), t);
  g_signal_connect (t->stream, "finished", G_CALLBACK (on_finished), t);
  fraise_stream_start (t->stream);
}

static void
on_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Tagged *t = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *by_stream = NULL;
  g_autofree char *by_size = NULL;

  if (!fraise_client_connect_finish (t->client, res, &error))
    {
      tagged_done (t, error);
      return;
    }
  t->query = fraise_client_query (t->client, "v_load_tagged");
  by_stream = g_strdup_printf ("s = %u", t->result->id);
  by_size = g_strdup_printf ("n = %" G_GUINT64_FORMAT, t->result->rows);
  fraise_query_add_where_sql (t->query, by_stream);
  fraise_query_add_where_sql (t->query, by_size);
  if (t->chunk_size > 0)
    fraise_query_set_chunk_size (t->query, t->chunk_size);
  fraise_query_execute_async (t->query, NULL, on_executed, t);
}

static void
on_closed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  guint *pending = user_data;
  g_autoptr (GError) error = NULL;

  fraise_client_close_finish (FRAISE_CLIENT (source), res, &error);
  g_assert_no_error (error);
  (*pending)--;
}

static gboolean
on_deadline (gpointer user_data)
{
  g_error ("load: %u streams still running at the deadline", *(guint *) user_data);
  return G_SOURCE_REMOVE;
}

static void
run_until_zero (guint *pending, guint timeout_s)
{
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *deadline = g_timeout_source_new_seconds (timeout_s);

  g_source_set_callback (deadline, on_deadline, pending, NULL);
  g_source_attach (deadline, context);
  while (*pending > 0)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (deadline);
  g_source_unref (deadline);
}

FraiseTestTagged *
fraise_test_run_tagged (const char *uri,
                        guint first_id,
                        guint n_streams,
                        guint64 rows,
                        guint chunk_size,
                        guint timeout_s,
                        guint *max_active)
{
  FraiseTestTagged *results = g_new0 (FraiseTestTagged, n_streams);
  Tagged *tagged = g_new0 (Tagged, n_streams);
  guint pending = n_streams;
  guint active = 0, most_active = 0;
  guint k;

  for (k = 0; k < n_streams; k++)
    {
      g_autoptr (GError) error = NULL;
      Tagged *t = &tagged[k];

      results[k].id = first_id + k;
      results[k].rows = rows;
      t->result = &results[k];
      t->chunk_size = chunk_size;
      t->pending = &pending;
      t->active = &active;
      t->max_active = &most_active;
      t->seen = g_malloc0 (rows / 8 + 1);
      t->client = fraise_client_new (uri, &error);
      g_assert_no_error (error);
      fraise_client_connect_async (t->client, NULL, on_connected, t);
    }
  run_until_zero (&pending, timeout_s);

  /* Terminate every connection, then drop everything. */
  for (k = 0; k < n_streams; k++)
    if (fraise_client_is_connected (tagged[k].client))
      {
        pending++;
        fraise_client_close_async (tagged[k].client, NULL, on_closed, &pending);
      }
  run_until_zero (&pending, timeout_s);
  for (k = 0; k < n_streams; k++)
    {
      g_clear_object (&tagged[k].stream);
      g_clear_object (&tagged[k].query);
      g_clear_object (&tagged[k].client);
      g_free (tagged[k].seen);
    }
  g_free (tagged);
  if (max_active != NULL)
    *max_active = most_active;
  return results;
}

void
fraise_test_tagged_assert (const FraiseTestTagged *results, guint n_streams)
{
  guint k;

  for (k = 0; k < n_streams; k++)
    {
      const FraiseTestTagged *r = &results[k];

      g_test_message ("stream %u: %" G_GUINT64_FORMAT " rows", r->id, r->received);
      g_assert_no_error (r->error);
      g_assert_cmpuint (r->finished, ==, 1);
      g_assert_cmpuint (r->received, ==, r->rows);
      g_assert_cmpuint (r->out_of_sequence, ==, 0);
      g_assert_cmpuint (r->foreign, ==, 0);
      g_assert_cmpuint (r->bad_index, ==, 0);
      g_assert_cmpuint (r->missing, ==, 0);
      g_assert_cmpuint (r->stats_received, ==, r->rows);
      g_assert_cmpuint (r->stats_delivered, ==, r->rows);
    }
}

void
fraise_test_tagged_free (FraiseTestTagged *results, guint n_streams)
{
  guint k;

  for (k = 0; k < n_streams; k++)
    g_clear_error (&results[k].error);
  g_free (results);
}
