/* test-lifecycle.c: what outlives what: queries and their running streams,
 * blocking calls and main contexts, clients that connect again
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"

#include <string.h>
#include <unistd.h>

#define SUPERUSER_URI_ENV "FRAISE_TEST_SUPERUSER_URI"
#define FILTER_MAGIC 0x5eed5eedu

static guint64
count_rows (FraiseStream *stream)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  FraiseRow *row;

  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      n++;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  return n;
}

/* ---- a query changed while its stream runs ----------------------------------- */

typedef struct {
  guint magic;
  guint calls;
} FilterData;

static guint filters_destroyed;

static gboolean
counting_filter (FraiseRow *row, gpointer user_data)
{
  FilterData *data = user_data;

  /* Freed data has lost its magic (the destroy notify clears it first). */
  g_assert_cmphex (data->magic, ==, FILTER_MAGIC);
  data->calls++;
  return TRUE;
}

static void
filter_data_free (gpointer user_data)
{
  FilterData *data = user_data;

  data->magic = 0;
  g_free (data);
  filters_destroyed++;
}

static FilterData *
filter_data_new (void)
{
  FilterData *data = g_new0 (FilterData, 1);

  data->magic = FILTER_MAGIC;
  return data;
}

/* The running stream keeps the filter it started with; the next execution
 * uses the new one, and each filter's data is freed once nobody uses it. */
static void
test_filter_replaced_while_running (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  FilterData *first = filter_data_new ();
  FilterData *second = filter_data_new ();
  guint64 n = 0;

  if (client == NULL)
    {
      filter_data_free (first);
      filter_data_free (second);
      return;
    }
  filters_destroyed = 0;
  query = fraise_client_query (client, "v_bench_1k");
  /* Small batches: most rows are still on the socket after 10 are read. */
  fraise_query_set_chunk_size (query, 16);
  fraise_query_set_filter_func (query, counting_filter, first, filter_data_free);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  for (n = 0; n < 10; n++)
    {
      g_autoptr(FraiseRow) row = fraise_stream_next_sync (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (row);
    }
  g_assert_cmpuint (first->calls, <, 1000);

  fraise_query_set_filter_func (query, counting_filter, second, filter_data_free);
  g_assert_cmpuint (filters_destroyed, ==, 0); /* the stream still uses the first */
  n += count_rows (stream);
  g_assert_cmpuint (n, ==, 1000);
  g_assert_cmpuint (first->calls, ==, 1000);
  g_assert_cmpuint (second->calls, ==, 0);
  g_clear_object (&stream);
  g_assert_cmpuint (filters_destroyed, ==, 1);

  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (stream), ==, 1000);
  g_assert_cmpuint (second->calls, ==, 1000);
  g_clear_object (&query);
  g_assert_cmpuint (filters_destroyed, ==, 1); /* the second stream still holds it */
  g_clear_object (&stream);
  g_assert_cmpuint (filters_destroyed, ==, 2);
}

/* Dropping the query before reading: the stream's rows still come through its
 * filter. */
static void
test_query_dropped_while_running (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  FraiseQuery *query;
  FilterData *data = filter_data_new ();

  if (client == NULL)
    {
      filter_data_free (data);
      return;
    }
  filters_destroyed = 0;
  query = fraise_client_query (client, "v_bench_1k");
  fraise_query_set_chunk_size (query, 16);
  fraise_query_set_filter_func (query, counting_filter, data, filter_data_free);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (query);
  g_assert_cmpuint (count_rows (stream), ==, 1000);
  g_assert_cmpuint (data->calls, ==, 1000);
  g_assert_cmpuint (filters_destroyed, ==, 0);
  g_clear_object (&stream);
  g_assert_cmpuint (filters_destroyed, ==, 1);
}

/* ---- blocking calls and main contexts --------------------------------------- */

/* A client created under a pushed context C, then used with blocking calls
 * while another context D is the thread-default one: every call returns. */
static void
test_sync_calls_under_other_context (void)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  g_autoptr(GMainContext) owner = NULL;
  g_autoptr(GMainContext) other = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(FraiseRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    return;
  owner = g_main_context_new ();
  other = g_main_context_new ();
  g_main_context_push_thread_default (owner);
  client = fraise_client_new (uri, &error);
  g_main_context_pop_thread_default (owner);
  g_assert_no_error (error);

  /* A hang is the failure: end the test program instead of waiting. */
  alarm (60);
  g_main_context_push_thread_default (other);
  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  query = fraise_client_query (client, "v_project");
  fraise_query_set_chunk_size (query, 2);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  batch = fraise_stream_next_batch_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, >=, 1);
  g_assert_cmpuint (1 + batch->len + count_rows (stream), ==, 5);
  g_assert_true (fraise_client_close_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_main_context_pop_thread_default (other);
  alarm (0);
  g_assert_false (fraise_client_is_connected (client));
  /* Nothing was left pending on the caller's context. */
  g_assert_false (g_main_context_pending (other));
}

/* ---- connecting again -------------------------------------------------------- */

static guint
backend_pid (FraiseClient *client)
{
  guint pid = 0;

  g_object_get (client, "backend-pid", &pid, NULL);
  return pid;
}

static void
assert_streams (FraiseClient *client)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseStream) stream = fraise_query_execute_sync (query, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (stream), ==, 5);
}

static void
test_connect_after_close (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GError) error = NULL;
  guint first_pid;

  if (client == NULL)
    return;
  first_pid = backend_pid (client);
  g_assert_cmpuint (first_pid, >, 0);
  g_assert_true (fraise_client_close_sync (client, NULL, &error));
  g_assert_false (fraise_client_is_connected (client));

  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fraise_client_is_connected (client));
  g_assert_cmpuint (backend_pid (client), >, 0);
  g_assert_cmpuint (backend_pid (client), !=, first_pid);
  assert_streams (client);
}

static void
on_closed (FraiseClient *client, const GError *error, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The backend is terminated by an administrator: the client reports it and
 * connects again. */
static void
test_connect_after_loss (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) admin = NULL;
  g_autoptr(FraiseQuery) kill = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  const char *admin_uri;
  gboolean closed = FALSE;
  guint pid;

  if (client == NULL)
    return;
  admin_uri = fraise_test_get_uri (SUPERUSER_URI_ENV);
  if (admin_uri == NULL)
    return;
  pid = backend_pid (client);
  g_signal_connect (client, "closed", G_CALLBACK (on_closed), &closed);
  admin = fraise_client_new (admin_uri, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_connect_sync (admin, NULL, &error));
  kill = fraise_client_query (admin, "pg_stat_activity");
  where = g_strdup_printf ("pg_terminate_backend (%u)", pid);
  fraise_query_add_where_sql (kill, where);
  fraise_query_set_projection (kill, "to_jsonb (pid)");
  stream = fraise_query_execute_sync (kill, NULL, &error);
  g_assert_no_error (error);
  count_rows (stream);
  fraise_test_wait_for (&closed);
  g_assert_false (fraise_client_is_connected (client));

  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backend_pid (client), !=, pid);
  assert_streams (client);
}

/* A connect that failed (here: cancelled) can be tried again. */
static void
test_connect_after_failure (void)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    return;
  client = fraise_client_new (uri, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (fraise_client_connect_sync (client, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_true (fraise_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  assert_streams (client);
}

/* Connecting a connected client is refused with advice, and harms nothing. */
static void
test_connect_while_connected (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GError) error = NULL;
  guint pid;

  if (client == NULL)
    return;
  pid = backend_pid (client);
  g_assert_false (fraise_client_connect_sync (client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "already connected"));
  g_assert_nonnull (strstr (error->message, "close"));
  g_assert_cmpuint (backend_pid (client), ==, pid);
  assert_streams (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifecycle/filter-replaced-while-running", test_filter_replaced_while_running);
  g_test_add_func ("/lifecycle/query-dropped-while-running", test_query_dropped_while_running);
  g_test_add_func ("/lifecycle/sync-calls-under-other-context",
                   test_sync_calls_under_other_context);
  g_test_add_func ("/lifecycle/connect-after-close", test_connect_after_close);
  g_test_add_func ("/lifecycle/connect-after-loss", test_connect_after_loss);
  g_test_add_func ("/lifecycle/connect-after-failure", test_connect_after_failure);
  g_test_add_func ("/lifecycle/connect-while-connected", test_connect_while_connected);
  return g_test_run ();
}
