/* test-elements-live.c: project, jsonl-sink and model-sink on the harness's server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fixtures: data/fixtures.sql (v_bench_1k, v_bench_100k, v_user,
 * v_null_data). Pipelines are built in code. Throughput is printed, never
 * asserted (timing belongs to bench/).
 */

#include "fraise-test-utils.h"
#include "fraise-test-chain.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

/* ---- helpers ------------------------------------------------------------- */

/* A pipeline of a `query source=@source`, then @first and the elements after it. */
static FraisePipeline *
pipeline_new (const char *source, FraiseElement *first, ...)
{
  FraisePipeline *pipeline = fraise_pipeline_new ();
  g_autoptr (FraiseElement) query = fraise_test_make_element ("query");
  va_list args;

  g_object_set (query, "source", source, NULL);
  fraise_pipeline_add (pipeline, query);
  va_start (args, first);
  for (FraiseElement *e = first; e != NULL; e = va_arg (args, FraiseElement *))
    fraise_pipeline_add (pipeline, e);
  va_end (args);
  return pipeline;
}

static FraiseElement *
make_project (const char *fields)
{
  FraiseElement *project = fraise_test_make_element ("project");
  g_auto (GStrv) f = g_strsplit (fields, ",", -1);

  g_object_set (project, "fields", f, NULL);
  return project;
}

static void
on_run (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char **
read_lines (const char *path, guint *n_lines)
{
  g_autofree char *content = NULL;
  g_autoptr (GError) error = NULL;
  char **lines;
  gsize len;

  g_file_get_contents (path, &content, &len, &error);
  g_assert_no_error (error);
  g_assert_true (len > 0 && content[len - 1] == '\n');
  content[len - 1] = '\0';
  lines = g_strsplit (content, "\n", -1);
  *n_lines = g_strv_length (lines);
  return lines;
}

/* ---- project ! jsonl-sink ------------------------------------------------ */

static void
test_project_to_file (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr (FraiseElement) project = NULL;
  g_autoptr (FraiseElement) sink = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;
  gboolean seen_first = FALSE;

  if (client == NULL)
    return;
  dir = fraise_test_temp_dir ();
  path = g_build_filename (dir, "users.jsonl", NULL);
  project = make_project ("id,name,address.city");
  sink = fraise_test_make_element ("jsonl-sink");
  g_object_set (sink, "location", path, NULL);
  pipeline = pipeline_new ("v_bench_1k", project, sink, NULL);

  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_element_get_rows_out (project), ==, 1000);

  lines = read_lines (path, &n);
  g_assert_cmpuint (n, ==, 1000);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (FraiseRow) row = fraise_row_new (lines[i], -1, i);
      JsonNode *node = fraise_row_get_node (row, &error);
      JsonObject *object;
      gint64 id;

      g_assert_no_error (error);
      object = json_node_get_object (node);
      g_assert_cmpuint (json_object_get_size (object), ==, 3);
      id = json_object_get_int_member (object, "id");
      g_assert_true (id >= 1 && id <= 1000);
      g_hash_table_add (ids, GINT_TO_POINTER ((int) id));
      if (id == 1)
        {
          /* fraise_bench_entity(1), keys in the order of fields=. */
          g_assert_cmpstr (lines[i], ==,
                           "{\"id\":1,\"name\":\"Bruno Nakamura\",\"city\":\"Berlin\"}");
          seen_first = TRUE;
        }
    }
  g_assert_true (seen_first);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 1000);
  fraise_test_remove_dir (dir);
}

static void
test_null_rows (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content = NULL;
  g_autoptr (FraiseElement) sink = NULL;
  g_autoptr (FraiseElement) project = NULL;
  g_autoptr (FraiseElement) model_sink = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (FraisePipeline) projected = NULL;
  g_autoptr (FraiseRowModel) model = NULL;
  g_autoptr (GError) error = NULL;

  if (client == NULL)
    return;
  dir = fraise_test_temp_dir ();
  path = g_build_filename (dir, "nulls.jsonl", NULL);

  /* An SQL NULL row is the line null. */
  sink = fraise_test_make_element ("jsonl-sink");
  g_object_set (sink, "location", path, NULL);
  pipeline = pipeline_new ("v_null_data", sink, NULL);
  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "{\"n\": 1}\nnull\n{\"n\": 3}\n");

  /* Projected, it has null fields. */
  project = make_project ("n");
  model_sink = fraise_test_make_element ("model-sink");
  projected = pipeline_new ("v_null_data", project, model_sink, NULL);
  g_assert_true (fraise_pipeline_run_sync (projected, client, NULL, &error));
  g_assert_no_error (error);
  g_object_get (model_sink, "model", &model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpstr (fraise_row_get_text (fraise_row_model_get_row (model, 0), NULL), ==,
                   "{\"n\":1}");
  g_assert_cmpstr (fraise_row_get_text (fraise_row_model_get_row (model, 1), NULL), ==,
                   "{\"n\":null}");
  g_assert_cmpstr (fraise_row_get_text (fraise_row_model_get_row (model, 2), NULL), ==,
                   "{\"n\":3}");
  fraise_test_remove_dir (dir);
}

/* ---- jsonl-sink holds the server --------------------------------------------- */

static char *
backend_wait_event (FraiseClient *admin, guint pid)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (admin, "pg_stat_activity");
  g_autofree char *where = g_strdup_printf ("pid = %u", pid);
  g_autoptr (FraiseStream) stream = NULL;
  g_autoptr (FraiseRow) row = NULL;
  g_autoptr (FraiseRow) end = NULL;
  g_autoptr (GError) error = NULL;

  fraise_query_set_projection (query, "jsonb_build_object('wait_event', wait_event)");
  fraise_query_add_where_sql (query, where);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  end = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (end);
  return fraise_row_get_string (row, "wait_event", NULL);
}

static void
test_unread_pipe_holds_server (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseClient) admin = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wait_event = NULL;
  g_autoptr (FraiseElement) sink = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GString) data = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  guint64 processed;
  guint lines = 0;
  gint64 deadline;
  int fd;

  if (client == NULL || admin == NULL)
    return;
  dir = fraise_test_temp_dir ();
  path = g_build_filename (dir, "fifo", NULL);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);

  sink = fraise_test_make_element ("jsonl-sink");
  g_object_set (sink, "location", path, NULL);
  pipeline = pipeline_new ("v_bench_100k", sink, NULL);
  fraise_pipeline_run_async (pipeline, client, NULL, on_run, &result);

  /* Nobody reads: the sink turns pending and the rows stop. */
  deadline = g_get_monotonic_time () + fraise_test_scaled (10 * G_USEC_PER_SEC);
  while (!fraise_element_is_pending (sink))
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  processed = fraise_pipeline_get_rows_processed (pipeline);
  fraise_test_iterate_for (500);
  g_assert_true (fraise_element_is_pending (sink));
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (pipeline), ==, processed);
  g_assert_cmpuint (processed, <, 100000);
  g_assert_null (result);

  /* The server waits to write: its backend shows ClientWrite. */
  deadline = g_get_monotonic_time () + fraise_test_scaled (5 * G_USEC_PER_SEC);
  do
    {
      g_free (wait_event);
      wait_event = backend_wait_event (admin, fraise_client_get_backend_pid (client));
      if (g_strcmp0 (wait_event, "ClientWrite") != 0)
        fraise_test_iterate_for (50);
    }
  while (g_strcmp0 (wait_event, "ClientWrite") != 0 && g_get_monotonic_time () < deadline);
  g_test_message ("%" G_GUINT64_FORMAT " rows taken while the pipe is not read; backend: %s",
                  processed, wait_event);
  g_assert_cmpstr (wait_event, ==, "ClientWrite");

  /* Reading lets every row through, as whole lines. */
  deadline = g_get_monotonic_time () + fraise_test_scaled (60 * G_USEC_PER_SEC);
  for (;;)
    {
      char buf[65536];
      gssize n = read (fd, buf, sizeof buf);

      if (n > 0)
        {
          for (gssize i = 0; i < n; i++)
            lines += buf[i] == '\n';
          g_string_append_len (data, buf, MIN (n, 4096 - (gssize) MIN (data->len, 4096)));
        }
      else if (n == 0)
        break;
      else
        {
          g_assert_cmpint (errno, ==, EAGAIN);
          g_main_context_iteration (NULL, FALSE);
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  fraise_test_wait_result (&result);
  g_assert_true (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lines, ==, 100000);
  g_assert_true (g_str_has_prefix (data->str, "{\""));
  close (fd);
  fraise_test_remove_dir (dir);
}

static void
test_slow_query_lines_show_up (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content = NULL;
  g_autoptr (FraiseElement) limit = NULL;
  g_autoptr (FraiseElement) sink = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 deadline;
  guint n = 0;

  if (client == NULL)
    return;
  dir = fraise_test_temp_dir ();
  path = g_build_filename (dir, "slow.jsonl", NULL);
  limit = fraise_test_make_element ("limit");
  g_object_set (limit, "count", (gint64) 10, NULL);
  sink = fraise_test_make_element ("jsonl-sink");
  g_object_set (sink, "location", path, NULL);
  /* A row of 9 KB every 100 ms (the server flushes each): the first ones
   * are far from a full buffer. */
  pipeline = pipeline_new ("v_slow_stream", limit, sink, NULL);
  fraise_pipeline_run_async (pipeline, client, NULL, on_run, &result);

  deadline = g_get_monotonic_time () + fraise_test_scaled (10 * G_USEC_PER_SEC);
  while (fraise_element_get_rows_in (sink) < 2)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  fraise_test_iterate_for (50);
  g_assert_null (result);
  g_assert_cmpuint (fraise_element_get_rows_in (sink), <, 6);
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_test_message ("%zu bytes written after %" G_GUINT64_FORMAT " rows", strlen (content),
                  fraise_element_get_rows_in (sink));
  g_assert_true (g_str_has_prefix (content, "{\"i\": 1, \"pad\": \"sss"));
  g_assert_cmpint (content[strlen (content) - 1], ==, '\n');

  fraise_test_wait_result (&result);
  g_assert_true (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_no_error (error);
  lines = read_lines (path, &n);
  g_assert_cmpuint (n, ==, 10);
  g_assert_true (g_str_has_prefix (lines[9], "{\"i\": 10, "));
  fraise_test_remove_dir (dir);
}

/* ---- model-sink ----------------------------------------------------------------- */

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_model_sink (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseElement) sink = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (FraiseRowModel) model = fraise_row_model_new ();
  g_autoptr (GError) error = NULL;
  guint changes = 0;

  if (client == NULL)
    return;
  sink = fraise_test_make_element ("model-sink");
  g_object_set (sink, "model", model, "batch-size", 300, NULL);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  pipeline = pipeline_new ("v_bench_1k", sink, NULL);
  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  g_assert_cmpuint (changes, ==, 4); /* 300, 300, 300, then 100 at finish */
}

/* ---- throughput, printed ----------------------------------------------------------- */

static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Runs @pipeline on v_bench_100k; returns its rows/s, and adds the client's
 * CPU time per row (ns) to *@cpu_per_row when it is the best run so far. */
static double
run_timed (FraiseClient *client, FraisePipeline *pipeline, double *best, double *cpu_per_row)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 cpu = cpu_ns ();
  double rate;

  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (pipeline), ==, 100000);
  rate = 100000.0 * G_USEC_PER_SEC / (double) (g_get_monotonic_time () - start);
  if (rate > *best)
    {
      *best = rate;
      *cpu_per_row = (double) (cpu_ns () - cpu) / 100000.0;
    }
  return rate;
}

static void
test_project_throughput (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseElement) raw_sink = NULL;
  g_autoptr (FraiseElement) project = NULL;
  g_autoptr (FraiseElement) sink = NULL;
  g_autoptr (FraiseElement) filter = NULL;
  g_autoptr (FraiseElement) project2 = NULL;
  g_autoptr (FraiseElement) sink2 = NULL;
  g_autoptr (FraisePipeline) raw = NULL;
  g_autoptr (FraisePipeline) projected = NULL;
  g_autoptr (FraisePipeline) filtered = NULL;
  double raw_rate = 0, projected_rate = 0, filtered_rate = 0;
  double raw_cpu = 0, projected_cpu = 0, filtered_cpu = 0, warm_up = 0, unused;

  if (client == NULL)
    return;
  raw_sink = fraise_test_make_element ("count-sink");
  raw = pipeline_new ("v_bench_100k", raw_sink, NULL);
  project = make_project ("id,name,email,address.city");
  sink = fraise_test_make_element ("count-sink");
  projected = pipeline_new ("v_bench_100k", project, sink, NULL);
  /* A filter that keeps every row, so that project works on all of them. */
  filter = fraise_test_make_element ("filter");
  g_object_set (filter, "expr", "age >= 18 && status != \"none\"", NULL);
  project2 = make_project ("id,name,email");
  sink2 = fraise_test_make_element ("count-sink");
  filtered = pipeline_new ("v_bench_100k", filter, project2, sink2, NULL);

  /* Best of three each, taking turns, after a warm-up. */
  run_timed (client, raw, &warm_up, &unused);
  for (guint i = 0; i < 3; i++)
    {
      run_timed (client, raw, &raw_rate, &raw_cpu);
      run_timed (client, projected, &projected_rate, &projected_cpu);
      run_timed (client, filtered, &filtered_rate, &filtered_cpu);
    }
  g_test_message ("v_bench_100k: query ! count-sink %.0f rows/s (client CPU %.0f ns/row)", raw_rate,
                  raw_cpu);
  g_test_message ("query ! project fields=id,name,email,address.city ! count-sink %.0f rows/s "
                  "(%.0f ns/row): %.2f times the rows/s",
                  projected_rate, projected_cpu, projected_rate / raw_rate);
  g_test_message ("query ! filter ! project fields=id,name,email ! count-sink %.0f rows/s "
                  "(%.0f ns/row): %.2f times the rows/s",
                  filtered_rate, filtered_cpu, filtered_rate / raw_rate);
  g_assert_cmpuint (fraise_element_get_rows_out (project), ==, 100000);
  g_assert_cmpuint (fraise_element_get_rows_out (project2), ==, 100000);
}

/* ---- from a description ------------------------------------------------------------ */

static void
test_description (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0, expected = 0;

  if (client == NULL)
    return;
  dir = fraise_test_temp_dir ();
  path = g_build_filename (dir, "adults.jsonl", NULL);
  quoted = g_shell_quote (path);
  description = g_strdup_printf ("query source=v_bench_1k ! filter expr=\"age >= 40\" ! project "
                                 "fields=id,name,address.city rename=address.city:town ! "
                                 "jsonl-sink location=%s",
                                 quoted);
  pipeline = fraise_pipeline_new_from_description (description, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);

  /* fraise_bench_entity(i): age 18 + i % 60. */
  for (guint i = 1; i <= 1000; i++)
    expected += 18 + i % 60 >= 40;
  lines = read_lines (path, &n);
  g_assert_cmpuint (n, ==, expected);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "{\"id\":"));
      g_assert_nonnull (strstr (lines[i], ",\"name\":\""));
      g_assert_nonnull (strstr (lines[i], ",\"town\":\""));
    }

  /* An untrusted description cannot choose the file. */
  g_clear_object (&pipeline);
  pipeline =
    fraise_pipeline_new_from_description_full (description, FRAISE_PARSE_FLAG_UNTRUSTED, &error);
  g_assert_null (pipeline);
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_UNTRUSTED);
  fraise_test_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/elements-live/project-to-file", test_project_to_file);
  g_test_add_func ("/elements-live/null-rows", test_null_rows);
  g_test_add_func ("/elements-live/unread-pipe-holds-server", test_unread_pipe_holds_server);
  g_test_add_func ("/elements-live/slow-query-lines-show-up", test_slow_query_lines_show_up);
  g_test_add_func ("/elements-live/model-sink", test_model_sink);
  g_test_add_func ("/elements-live/description", test_description);
  g_test_add_func ("/elements-live/project-throughput", test_project_throughput);

  return g_test_run ();
}
