/* test-stream.c: queries and streams against the harness's real server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fixtures: data/fixtures.sql. Timing is asserted only for the contract
 * deadlines (cancel -> finished within 250 ms, first row long before the
 * end of a slow stream); every other bound is generous.
 */

#include "fraise-client-private.h"
#include "fraise-connection.h"
#include "fraise-test-utils.h"

#include <math.h>
#include <string.h>

#define SUPERUSER_URI_ENV "FRAISE_TEST_SUPERUSER_URI"
#define BENCH_100K_ROWS 100000

/* ---- helpers ------------------------------------------------------------- */

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* An upper time bound of @ms milliseconds, scaled (fraise_test_scaled()). */
static gint64
scaled_ms (gint64 ms)
{
  return fraise_test_scaled (ms * G_TIME_SPAN_MILLISECOND) / G_TIME_SPAN_MILLISECOND;
}

/* Iterates the default main context for @ms milliseconds. */
static void
iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
loop_guard (gpointer user_data)
{
  g_error ("timed out waiting for the main loop to quit");
  return G_SOURCE_REMOVE;
}

static void
run_loop (GMainLoop *loop)
{
  guint guard = g_timeout_add (scaled_ms (60000), loop_guard, NULL);

  g_main_loop_run (loop);
  g_source_remove (guard);
}

static gint64
elapsed_ms (gint64 since_us)
{
  return (g_get_monotonic_time () - since_us) / 1000;
}

/* The last three characters of each row's "id" ("101", "203"), comma-joined. */
static char *
row_ids (GPtrArray *rows)
{
  GString *ids = g_string_new (NULL);
  guint i;

  for (i = 0; i < rows->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = fraise_row_get_string (g_ptr_array_index (rows, i), "id", &error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (id), >=, 3);
      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", id + strlen (id) - 3);
    }
  return g_string_free (ids, FALSE);
}

/* Runs SELECT data FROM @source WHERE @where on @client; returns the ids. */
static char *
ids_of (FraiseClient *client, const char *source, const char *where)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, source);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (where != NULL)
    fraise_query_add_where_sql (query, where);
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  return row_ids (rows);
}

/* The client is connected, idle and runs the next query correctly. */
static void
assert_reusable (FraiseClient *client)
{
  g_autofree char *ids = NULL;

  g_assert_true (fraise_client_is_connected (client));
  ids = ids_of (client, "v_project", NULL);
  g_assert_cmpstr (ids, ==, "101,102,103,104,105");
}

/* The server's own text of each row of @source (data::text), in order. */
static GStrv
server_texts (FraiseClient *client, const char *source)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, source);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv texts;
  guint i;

  fraise_query_set_projection (query, "to_json(data::text)");
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  for (i = 0; i < rows->len; i++)
    {
      JsonNode *node = fraise_row_get_node (g_ptr_array_index (rows, i), &error);

      g_assert_no_error (error);
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  texts = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return texts;
}

/* Asserts @error is @code of FRAISE_ERROR and its message contains each of
 * the NULL-terminated fragments. */
static void
assert_error_mentions (const GError *error, FraiseError code, ...)
{
  const char *fragment;
  va_list args;

  g_assert_error (error, FRAISE_ERROR, (int) code);
  g_test_message ("error: %s", error->message);
  va_start (args, code);
  while ((fragment = va_arg (args, const char *)) != NULL)
    if (strstr (error->message, fragment) == NULL)
      g_error ("\"%s\" does not mention \"%s\"", error->message, fragment);
  va_end (args);
}

/* ---- the state of a backend, seen from a second (superuser) client -------- */

static char *
backend_state (FraiseClient *admin, guint pid)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (admin, "pg_stat_activity");
  g_autofree char *where = g_strdup_printf ("pid = %u", pid);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  fraise_query_set_projection (query, "jsonb_build_object('pid', pid, 'state', state, "
                                      "'query', query)");
  fraise_query_add_where_sql (query, where);
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return fraise_row_get_string (g_ptr_array_index (rows, 0), "state", NULL);
}

/* Polls pg_stat_activity for up to 2 s until @pid is idle (the main context
 * keeps running meanwhile, so the other client can drain). */
static void
assert_backend_becomes_idle (FraiseClient *admin, guint pid)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *state = NULL;

  for (;;)
    {
      g_free (state);
      state = backend_state (admin, pid);
      if (g_strcmp0 (state, "idle") == 0 || elapsed_ms (start) > 2000)
        break;
      iterate_for (20);
    }
  g_test_message ("backend %u: %s after %" G_GINT64_FORMAT " ms", pid, state, elapsed_ms (start));
  g_assert_cmpstr (state, ==, "idle");
}

/* ---- a typed row ----------------------------------------------------------- */

#define TEST_TYPE_USER (test_user_get_type ())
G_DECLARE_FINAL_TYPE (TestUser, test_user, TEST, USER, GObject)

struct _TestUser {
  GObject parent_instance;
  char *name;
  char *email;
  int age;
  gboolean active;
  double score;
};

enum {
  USER_PROP_0,
  USER_PROP_NAME,
  USER_PROP_EMAIL,
  USER_PROP_AGE,
  USER_PROP_ACTIVE,
  USER_PROP_SCORE,
  USER_N_PROPS
};

G_DEFINE_FINAL_TYPE (TestUser, test_user, G_TYPE_OBJECT)

static void
test_user_finalize (GObject *object)
{
  TestUser *self = TEST_USER (object);

  g_free (self->name);
  g_free (self->email);
  G_OBJECT_CLASS (test_user_parent_class)->finalize (object);
}

static void
test_user_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TestUser *self = TEST_USER (object);

  switch (prop_id)
    {
    case USER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case USER_PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case USER_PROP_AGE:
      g_value_set_int (value, self->age);
      break;
    case USER_PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case USER_PROP_SCORE:
      g_value_set_double (value, self->score);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_user_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TestUser *self = TEST_USER (object);

  switch (prop_id)
    {
    case USER_PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case USER_PROP_EMAIL:
      g_free (self->email);
      self->email = g_value_dup_string (value);
      break;
    case USER_PROP_AGE:
      self->age = g_value_get_int (value);
      break;
    case USER_PROP_ACTIVE:
      self->active = g_value_get_boolean (value);
      break;
    case USER_PROP_SCORE:
      self->score = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_user_class_init (TestUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = test_user_finalize;
  object_class->get_property = test_user_get_property;
  object_class->set_property = test_user_set_property;
  g_object_class_install_property (object_class, USER_PROP_NAME,
                                   g_param_spec_string ("name", NULL, NULL, NULL, flags));
  g_object_class_install_property (object_class, USER_PROP_EMAIL,
                                   g_param_spec_string ("email", NULL, NULL, NULL, flags));
  g_object_class_install_property (object_class, USER_PROP_AGE,
                                   g_param_spec_int ("age", NULL, NULL, 0, 200, 0, flags));
  g_object_class_install_property (object_class, USER_PROP_ACTIVE,
                                   g_param_spec_boolean ("active", NULL, NULL, FALSE, flags));
  g_object_class_install_property (
    object_class, USER_PROP_SCORE,
    g_param_spec_double ("score", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags));
}

static void
test_user_init (TestUser *self)
{
}

/* ---- 1. pulling ------------------------------------------------------------- */

static void
test_pull_sync (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) texts = NULL;
  FraiseRow *row;
  guint64 bytes = 0;
  guint i;

  if (client == NULL)
    return;
  texts = server_texts (client, "v_project");
  g_assert_cmpuint (g_strv_length (texts), ==, 5);

  query = fraise_client_query (client, "v_project");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_RUNNING);

  for (i = 0; (row = fraise_stream_next_sync (stream, NULL, &error)) != NULL; i++)
    {
      g_autofree char *id = fraise_row_get_string (row, "id", NULL);
      g_autofree char *expected_id =
        g_strdup_printf ("00000000-0000-4000-8000-000000000%u", 101 + i);
      gsize len;
      const char *text = fraise_row_get_text (row, &len);

      g_assert_cmpuint (i, <, 5);
      g_assert_cmpuint (fraise_row_get_index (row), ==, i);
      g_assert_cmpstr (text, ==, texts[i]);
      g_assert_cmpuint (len, ==, strlen (texts[i]));
      g_assert_cmpstr (id, ==, expected_id);
      g_assert_false (fraise_row_is_null (row));
      bytes += len;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (i, ==, 5);

  /* The end is sticky. */
  g_assert_null (fraise_stream_next_sync (stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
  g_assert_null (fraise_stream_get_error (stream));

  stats = fraise_stream_get_stats (stream);
  g_assert_cmpuint (stats->rows_received, ==, 5);
  g_assert_cmpuint (stats->rows_delivered, ==, 5);
  g_assert_cmpuint (stats->rows_filtered, ==, 0);
  g_assert_cmpuint (stats->rows_buffered, ==, 0);
  g_assert_cmpuint (stats->bytes_buffered, ==, 0);
  g_assert_cmpuint (stats->bytes_received, ==, bytes);
  g_assert_cmpint (stats->time_to_first_row_us, >=, 0);
  g_assert_cmpint (stats->elapsed_us, >=, stats->time_to_first_row_us);
  g_assert_cmpuint (stats->chunk_size, ==, 256);
}

typedef struct {
  GMainLoop *loop;
  FraiseStream *stream;
  GPtrArray *rows;
  GError *error;
  guint batches;
  guint max_batch;
  gboolean one_by_one;
  gboolean saw_empty_batch;
} PullData;

static void
pull_data_clear (PullData *data)
{
  g_clear_pointer (&data->loop, g_main_loop_unref);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_clear_error (&data->error);
}

static void
on_next (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PullData *data = user_data;
  FraiseRow *row = fraise_stream_next_finish (FRAISE_STREAM (source), result, &data->error);

  if (row == NULL)
    {
      g_main_loop_quit (data->loop);
      return;
    }
  g_ptr_array_add (data->rows, row);
  fraise_stream_next_async (data->stream, NULL, on_next, data);
}

static void
on_next_batch (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PullData *data = user_data;
  g_autoptr(GPtrArray) batch = NULL;
  guint i;

  batch = fraise_stream_next_batch_finish (FRAISE_STREAM (source), result, &data->error);
  if (batch == NULL || batch->len == 0)
    {
      data->saw_empty_batch = batch != NULL;
      g_main_loop_quit (data->loop);
      return;
    }
  data->batches++;
  data->max_batch = MAX (data->max_batch, batch->len);
  for (i = 0; i < batch->len; i++)
    g_ptr_array_add (data->rows, fraise_row_ref (g_ptr_array_index (batch, i)));
  fraise_stream_next_batch_async (data->stream, NULL, on_next_batch, data);
}

static void
on_executed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PullData *data = user_data;

  data->stream = fraise_query_execute_finish (FRAISE_QUERY (source), result, &data->error);
  if (data->stream == NULL)
    g_main_loop_quit (data->loop);
  else if (data->one_by_one)
    fraise_stream_next_async (data->stream, NULL, on_next, data);
  else
    fraise_stream_next_batch_async (data->stream, NULL, on_next_batch, data);
}

static void
assert_rows_in_order (GPtrArray *rows, guint n_rows)
{
  guint i;

  g_assert_cmpuint (rows->len, ==, n_rows);
  for (i = 0; i < rows->len; i++)
    g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (rows, i)), ==, i);
}

static void
test_pull_async (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autofree char *ids = NULL;
  g_auto(GStrv) texts = NULL;
  PullData data = { 0 };
  guint i;

  if (client == NULL)
    return;
  texts = server_texts (client, "v_user");
  data.loop = g_main_loop_new (NULL, FALSE);
  data.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  data.one_by_one = TRUE;

  query = fraise_client_query (client, "v_user");
  fraise_query_execute_async (query, NULL, on_executed, &data);
  run_loop (data.loop);

  g_assert_no_error (data.error);
  assert_rows_in_order (data.rows, 3);
  for (i = 0; i < data.rows->len; i++)
    g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (data.rows, i), NULL), ==, texts[i]);
  ids = row_ids (data.rows);
  g_assert_cmpstr (ids, ==, "201,202,203");
  g_assert_cmpint (fraise_stream_get_state (data.stream), ==, FRAISE_STREAM_STATE_COMPLETED);
  pull_data_clear (&data);
}

static void
test_pull_batch_sync (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint64 next = 0;
  guint batches = 0;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_1k");
  fraise_query_set_chunk_size (query, 100);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fraise_stream_next_batch_sync (stream, NULL, &error);
      guint i;

      g_assert_no_error (error);
      g_assert_nonnull (batch);
      if (batch->len == 0)
        break;
      g_assert_cmpuint (batch->len, <=, 100);
      for (i = 0; i < batch->len; i++)
        {
          FraiseRow *row = g_ptr_array_index (batch, i);

          g_assert_cmpuint (fraise_row_get_index (row), ==, next);
          g_assert_cmpint (fraise_row_get_int (row, "id", NULL), ==, (gint64) next + 1);
          next++;
        }
      batches++;
    }
  g_assert_cmpuint (next, ==, 1000);
  g_assert_cmpuint (batches, >=, 10);

  /* Still empty, still no error. */
  {
    g_autoptr(GPtrArray) again = fraise_stream_next_batch_sync (stream, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (again);
    g_assert_cmpuint (again->len, ==, 0);
  }
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
}

static void
test_pull_batch_async (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  PullData data = { 0 };

  if (client == NULL)
    return;
  data.loop = g_main_loop_new (NULL, FALSE);
  data.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);

  query = fraise_client_query (client, "v_bench_1k");
  fraise_query_set_chunk_size (query, 64);
  fraise_query_execute_async (query, NULL, on_executed, &data);
  run_loop (data.loop);

  g_assert_no_error (data.error);
  g_assert_true (data.saw_empty_batch);
  assert_rows_in_order (data.rows, 1000);
  g_assert_cmpuint (data.max_batch, <=, 64);
  g_assert_cmpuint (data.batches, >=, 1000 / 64);
  pull_data_clear (&data);
}

/* json keeps the text as written; jsonb is normalised by the server. Both are
 * accepted, and the row text is exactly what the server sent. */
static void
test_json_and_jsonb (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) texts = NULL;
  g_autofree char *big = NULL;
  g_autofree char *decimal = NULL;
  g_autofree char *ja = NULL;
  FraiseRow *row;
  JsonNode *node;

  if (client == NULL)
    return;

  /* v_document's column is json. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_document");
    texts = server_texts (client, "v_document");
    rows = fraise_test_pull_all (query, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (fraise_row_get_text (row, NULL), ==, texts[0]);
  big = fraise_row_get_number_text (row, "big_integer", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (big, ==, "12345678901234567890123");
  decimal = fraise_row_get_number_text (row, "long_decimal", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decimal, ==, "3.14159265358979323846264338327950288419716939937510");
  ja = fraise_row_get_string (row, "text.ja", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ja, ==, "日本語");
  node = fraise_row_get_node (row, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (fraise_row_get_node (row, NULL) == node); /* cached */
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A json projection keeps spacing and key order... */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_task");
    fraise_query_set_projection (query, "'{\"b\": 1,  \"a\" : [1,2]}'::json");
    rows = fraise_test_pull_all (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (rows, 0), NULL), ==,
                     "{\"b\": 1,  \"a\" : [1,2]}");
    g_clear_pointer (&rows, g_ptr_array_unref);
  }
  /* ...and jsonb is normalised. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_task");
    fraise_query_set_projection (query, "'{\"b\": 1,  \"a\" : [1,2]}'::jsonb");
    rows = fraise_test_pull_all (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (rows, 1), NULL), ==,
                     "{\"a\": [1, 2], \"b\": 1}");
  }
}

static void
test_row_fields (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *city = NULL;
  g_autofree char *tokyo = NULL;
  g_autofree char *role = NULL;
  g_autofree char *missing = NULL;
  FraiseRow *amelie, *juergen, *hanako;
  JsonNode *node;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_user");
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  amelie = g_ptr_array_index (rows, 0);
  juergen = g_ptr_array_index (rows, 1);
  hanako = g_ptr_array_index (rows, 2);

  name = fraise_row_get_string (amelie, "name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Amélie Durand");
  g_assert_cmpint (fraise_row_get_int (amelie, "age", &error), ==, 34);
  g_assert_no_error (error);
  g_assert_true (fraise_row_get_boolean (amelie, "active", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (fraise_row_get_double (amelie, "score", &error), 98.6, 1e-9);
  g_assert_no_error (error);
  city = fraise_row_get_string (amelie, "address.city", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (city, ==, "Plougastel");
  role = fraise_row_get_string (amelie, "roles[0]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (role, ==, "admin");
  g_assert_true (fraise_row_has_path (amelie, "address.zip"));
  g_assert_true (fraise_row_has_path (amelie, "manager")); /* JSON null */
  g_assert_false (fraise_row_has_path (amelie, "address.planet"));

  g_assert_false (fraise_row_get_boolean (juergen, "active", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fraise_row_get_int (juergen, "age", &error), ==, 51);
  g_assert_no_error (error);
  tokyo = fraise_row_get_string (hanako, "address.city", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokyo, ==, "東京");

  missing = fraise_row_get_string (amelie, "nickname", &error);
  g_assert_null (missing);
  assert_error_mentions (error, FRAISE_ERROR_DESERIALIZATION, "nickname", NULL);
  g_clear_error (&error);
  fraise_row_get_int (amelie, "name", &error);
  assert_error_mentions (error, FRAISE_ERROR_DESERIALIZATION, "name", NULL);
  g_clear_error (&error);

  node = fraise_row_get_node (hanako, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "email"), ==,
                   "hanako.sato@example.jp");
  g_assert_cmpstr (
    json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (node), "address"), "country"),
    ==, "JP");
}

static void
test_row_typed (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TestUser) amelie = NULL;
  g_autoptr(TestUser) hanako = NULL;
  g_autoptr(GObject) juergen = NULL;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_user");
  /* Jürgen's age becomes a string: only his row fails. */
  fraise_query_set_projection (query, "CASE WHEN data->>'age' = '51' "
                                      "THEN jsonb_set(data, '{age}', '\"old\"') ELSE data END");
  fraise_query_set_row_type (query, TEST_TYPE_USER);
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_true (fraise_row_get_object_type (g_ptr_array_index (rows, 0)) == TEST_TYPE_USER);

  /* G_TYPE_NONE: the query's row type. */
  amelie = (TestUser *) fraise_row_dup_object (g_ptr_array_index (rows, 0), G_TYPE_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_USER (amelie));
  g_assert_cmpstr (amelie->name, ==, "Amélie Durand");
  g_assert_cmpstr (amelie->email, ==, "amelie.durand@example.com");
  g_assert_cmpint (amelie->age, ==, 34);
  g_assert_true (amelie->active);
  g_assert_cmpfloat_with_epsilon (amelie->score, 98.6, 1e-9);

  juergen = fraise_row_dup_object (g_ptr_array_index (rows, 1), TEST_TYPE_USER, &error);
  g_assert_null (juergen);
  assert_error_mentions (error, FRAISE_ERROR_DESERIALIZATION, "TestUser", "\"age\"", NULL);
  g_clear_error (&error);

  hanako = (TestUser *) fraise_row_dup_object (g_ptr_array_index (rows, 2), TEST_TYPE_USER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hanako->name, ==, "佐藤 花子");
  g_assert_cmpint (hanako->age, ==, 28);
  g_assert_cmpfloat_with_epsilon (hanako->score, -1.5, 1e-9);
}

/* ---- 2. pushing ------------------------------------------------------------- */

typedef struct {
  FraiseStream *stream;
  GPtrArray *rows;        /* from the rows signal */
  GPtrArray *single_rows; /* from the row signal */
  guint batches;
  guint max_batch;
  guint finished;
  GError *error;
  gboolean done;
  gint64 first_rows_us;
  /* pause tests */
  gboolean pause_on_first_batch;
  gboolean paused;
} PushData;

static void
push_data_init (PushData *data, FraiseStream *stream)
{
  memset (data, 0, sizeof *data);
  data->stream = stream;
  data->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  data->single_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  data->first_rows_us = -1;
}

static void
push_data_clear (PushData *data)
{
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_clear_pointer (&data->single_rows, g_ptr_array_unref);
  g_clear_error (&data->error);
}

static void
on_rows (FraiseStream *stream, GPtrArray *batch, PushData *data)
{
  guint i;

  g_assert_true (stream == data->stream);
  g_assert_cmpuint (batch->len, >, 0);
  g_assert_cmpuint (data->finished, ==, 0);
  if (data->first_rows_us < 0)
    data->first_rows_us = g_get_monotonic_time ();
  data->batches++;
  data->max_batch = MAX (data->max_batch, batch->len);
  for (i = 0; i < batch->len; i++)
    g_ptr_array_add (data->rows, fraise_row_ref (g_ptr_array_index (batch, i)));
  if (data->pause_on_first_batch && !data->paused)
    {
      fraise_stream_pause (stream, "test pause");
      data->paused = TRUE;
    }
}

static void
on_row (FraiseStream *stream, FraiseRow *row, PushData *data)
{
  g_ptr_array_add (data->single_rows, fraise_row_ref (row));
}

static void
on_finished (FraiseStream *stream, const GError *error, PushData *data)
{
  data->finished++;
  if (error != NULL && data->error == NULL)
    data->error = g_error_copy (error);
  data->done = TRUE;
}

static void
connect_push (PushData *data)
{
  g_signal_connect (data->stream, "rows", G_CALLBACK (on_rows), data);
  g_signal_connect (data->stream, "finished", G_CALLBACK (on_finished), data);
}

static gboolean
count_emission (GSignalInvocationHint *hint,
                guint n_param_values,
                const GValue *param_values,
                gpointer user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
check_push (gboolean with_row_handler)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTypeClass) klass = NULL;
  PushData data;
  guint row_emissions = 0;
  guint signal_id;
  gulong hook;

  if (client == NULL)
    return;
  klass = g_type_class_ref (FRAISE_TYPE_STREAM);
  signal_id = g_signal_lookup ("row", FRAISE_TYPE_STREAM);
  hook = g_signal_add_emission_hook (signal_id, 0, count_emission, &row_emissions, NULL);

  query = fraise_client_query (client, "v_bench_1k");
  fraise_query_set_chunk_size (query, 64);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  push_data_init (&data, stream);
  connect_push (&data);
  if (with_row_handler)
    g_signal_connect (stream, "row", G_CALLBACK (on_row), &data);
  fraise_stream_start (stream);
  fraise_test_wait_for (&data.done);

  g_assert_no_error (data.error);
  g_assert_cmpuint (data.finished, ==, 1);
  assert_rows_in_order (data.rows, 1000);
  g_assert_cmpuint (data.max_batch, <=, 64);
  g_assert_cmpuint (data.batches, >=, 1000 / 64);
  if (with_row_handler)
    {
      assert_rows_in_order (data.single_rows, 1000);
      g_assert_cmpuint (row_emissions, ==, 1000);
    }
  else
    g_assert_cmpuint (row_emissions, ==, 0);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
  stats = fraise_stream_get_stats (stream);
  g_assert_cmpuint (stats->rows_received, ==, 1000);
  g_assert_cmpuint (stats->rows_delivered, ==, 1000);

  /* finished exactly once, even after more main loop iterations. */
  iterate_for (100);
  g_assert_cmpuint (data.finished, ==, 1);
  g_signal_remove_emission_hook (signal_id, hook);
  push_data_clear (&data);
  assert_reusable (client);
}

static void
test_push_rows (void)
{
  check_push (FALSE);
}

static void
test_push_row_signal (void)
{
  check_push (TRUE);
}

/* ---- 3. result checks --------------------------------------------------------- */

/* Executes @query (sync) and pulls to the end, expecting @code (from execute
 * or from the stream) and no rows. */
static GError *
run_expecting_error (FraiseQuery *query)
{
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;

  rows = fraise_test_pull_all (query, &error);
  g_assert_nonnull (error);
  g_assert_cmpuint (rows->len, ==, 0);
  return error;
}

static void
test_schema_errors (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);

  if (client == NULL)
    return;

  /* SELECT data FROM v_two_columns is one column; a projection makes two. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_two_columns");
    g_autoptr(FraiseQuery) both = fraise_client_query (client, "v_two_columns");
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GError) error = NULL;

    rows = fraise_test_pull_all (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 3);
    fraise_query_set_projection (both, "data, extra");
    error = run_expecting_error (both);
    assert_error_mentions (error, FRAISE_ERROR_INVALID_SCHEMA, "2 columns", "\"data\"", NULL);
    assert_reusable (client);
  }
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = NULL;

    fraise_query_set_projection (query, "data, data");
    sql = fraise_query_to_sql (query, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sql, ==, "SELECT data, data AS data FROM v_project");
    error = run_expecting_error (query);
    assert_error_mentions (error, FRAISE_ERROR_INVALID_SCHEMA, "2 columns", NULL);
    assert_reusable (client);
  }
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = NULL;

    fraise_query_set_projection (query, "(data->>'name')");
    sql = fraise_query_to_sql (query, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sql, ==, "SELECT (data->>'name') AS data FROM v_project");
    error = run_expecting_error (query);
    assert_error_mentions (error, FRAISE_ERROR_INVALID_SCHEMA, "\"data\"", "25", "json", NULL);
    assert_reusable (client);
  }
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_text_column");
    g_autoptr(GError) error = run_expecting_error (query);

    assert_error_mentions (error, FRAISE_ERROR_INVALID_SCHEMA, "\"data\"", "25", NULL);
    assert_reusable (client);
  }
  {
    /* A projection may rename nothing: the column is always "data". */
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_user");
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GError) error = NULL;

    fraise_query_set_projection (query, "data->'address'");
    rows = fraise_test_pull_all (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 3);
    g_assert_true (fraise_row_has_path (g_ptr_array_index (rows, 0), "city"));
  }
}

static void
test_null_and_empty (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseQuery) empty = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  FraiseRow *row;
  JsonNode *node;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_null_data");
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  assert_rows_in_order (rows, 3);

  g_assert_false (fraise_row_is_null (g_ptr_array_index (rows, 0)));
  g_assert_cmpint (fraise_row_get_int (g_ptr_array_index (rows, 0), "n", NULL), ==, 1);
  row = g_ptr_array_index (rows, 1);
  g_assert_true (fraise_row_is_null (row));
  g_assert_cmpstr (fraise_row_get_text (row, NULL), ==, "null");
  node = fraise_row_get_node (row, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
  object = fraise_row_dup_object (row, TEST_TYPE_USER, &error);
  g_assert_null (object);
  assert_error_mentions (error, FRAISE_ERROR_DESERIALIZATION, "null", "TestUser", NULL);
  g_clear_error (&error);
  g_assert_false (fraise_row_is_null (g_ptr_array_index (rows, 2)));
  g_assert_cmpint (fraise_row_get_int (g_ptr_array_index (rows, 2), "n", NULL), ==, 3);

  empty = fraise_client_query (client, "v_empty");
  none = fraise_test_pull_all (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
on_notice (FraiseClient *client, FraiseServerMessage *message, GPtrArray *notices)
{
  g_assert_cmpstr (fraise_server_message_get_severity (message), ==, "NOTICE");
  g_ptr_array_add (notices, g_strdup (fraise_server_message_get_message (message)));
}

static void
test_notices (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint i;

  if (client == NULL)
    return;
  g_signal_connect (client, "notice", G_CALLBACK (on_notice), notices);
  query = fraise_client_query (client, "v_notice");
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  assert_rows_in_order (rows, 5);
  g_assert_cmpuint (notices->len, ==, 5);
  for (i = 0; i < 5; i++)
    {
      g_autofree char *expected = g_strdup_printf ("fraise notice %u", i + 1);

      g_assert_cmpstr (g_ptr_array_index (notices, i), ==, expected);
      g_assert_cmpint (fraise_row_get_int (g_ptr_array_index (rows, i), "i", NULL), ==, i + 1);
    }
  g_signal_handlers_disconnect_by_data (client, notices);
  assert_reusable (client);
}

static void
assert_division_by_zero (const GError *error, FraiseStream *stream)
{
  FraiseServerMessage *message;

  assert_error_mentions (error, FRAISE_ERROR_SERVER, "10 rows were delivered", "22012", NULL);
  message = fraise_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "22012");
  message = fraise_stream_get_server_message (stream);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "22012");
  g_assert_cmpstr (fraise_server_message_get_severity (message), ==, "ERROR");
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_FAILED);
  g_assert_nonnull (fraise_stream_get_error (stream));
  g_assert_true (
    g_error_matches (fraise_stream_get_error (stream), FRAISE_ERROR, FRAISE_ERROR_SERVER));
}

static void
test_error_mid_stream (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);

  if (client == NULL)
    return;

  /* Pulling: the 10 rows, then the error. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_error_mid");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(GError) error = NULL;
    FraiseRow *row;
    guint n = 0;

    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_no_error (error);
    while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
      {
        g_assert_cmpint (fraise_row_get_int (row, "i", NULL), ==, ++n);
        fraise_row_unref (row);
      }
    g_assert_cmpuint (n, ==, 10);
    assert_division_by_zero (error, stream);
    g_clear_error (&error);
    /* The error is sticky. */
    g_assert_null (fraise_stream_next_sync (stream, NULL, &error));
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  }
  assert_reusable (client);

  /* Pushing: the same, through the signals. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_error_mid");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(GError) error = NULL;
    PushData data;

    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_no_error (error);
    push_data_init (&data, stream);
    connect_push (&data);
    fraise_stream_start (stream);
    fraise_test_wait_for (&data.done);
    g_assert_cmpuint (data.finished, ==, 1);
    assert_rows_in_order (data.rows, 10);
    assert_division_by_zero (data.error, stream);
    push_data_clear (&data);
  }
  assert_reusable (client);
}

static void
test_missing_relation (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  FraiseServerMessage *message;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_usr");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_null (stream);
  assert_error_mentions (error, FRAISE_ERROR_SERVER, "relation \"v_usr\" does not exist", "42P01",
                         NULL);
  message = fraise_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "42P01");
  g_assert_cmpint (fraise_server_message_get_position (message), >, 0);
  assert_reusable (client);
}

static void
test_several_statements (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);

  if (client == NULL)
    return;

  /* Each raw predicate is parenthesised: a ";" inside it is a syntax error... */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = NULL;

    fraise_query_add_where_sql (query, "true; SELECT data FROM v_user");
    sql = fraise_query_to_sql (query, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sql, ==, "SELECT data FROM v_project WHERE (true; SELECT data FROM v_user)");
    error = run_expecting_error (query);
    assert_error_mentions (error, FRAISE_ERROR_SERVER, "42601", NULL);
    assert_reusable (client);
  }
  /* ...but one that closes its parenthesis makes two result sets. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = NULL;

    fraise_query_add_where_sql (query, "true); SELECT data FROM v_user WHERE (true");
    sql = fraise_query_to_sql (query, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sql, ==,
                     "SELECT data FROM v_project WHERE (true); "
                     "SELECT data FROM v_user WHERE (true)");
    rows = fraise_test_pull_all (query, &error);
    assert_error_mentions (error, FRAISE_ERROR_INVALID_SCHEMA, "several result sets", NULL);
    g_assert_cmpuint (rows->len, <=, 5);
    assert_reusable (client);
  }
  /* A statement without a result (SET) ahead of the SELECT is fine. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_user");
    g_autoptr(GPtrArray) rows = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (fraise_query_set_local (query, "work_mem", "8MB", &error));
    g_assert_no_error (error);
    rows = fraise_test_pull_all (query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 3);
  }
}

static void
test_busy (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) big = NULL;
  g_autoptr(FraiseQuery) second = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStream) none = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  if (client == NULL)
    return;
  big = fraise_client_query (client, "v_bench_100k");
  fraise_query_set_chunk_size (big, 64);
  stream = fraise_query_execute_sync (big, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stream);
  for (i = 0; i < 5; i++)
    {
      g_autoptr(FraiseRow) row = fraise_stream_next_sync (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (fraise_row_get_index (row), ==, i);
    }

  second = fraise_client_query (client, "v_project");
  none = fraise_query_execute_sync (second, NULL, &error);
  g_assert_null (none);
  assert_error_mentions (error, FRAISE_ERROR_BUSY, "already running", NULL);
  g_clear_error (&error);

  /* The running stream did not notice. */
  for (; i < 300; i++)
    {
      g_autoptr(FraiseRow) row = fraise_stream_next_sync (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (fraise_row_get_index (row), ==, i);
      g_assert_true (fraise_row_has_path (row, "address.city"));
    }
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_RUNNING);

  /* Once it is dropped, the next query waits for the drain and runs. */
  g_clear_object (&stream);
  assert_reusable (client);
}

static void
test_config_errors (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);

  if (client == NULL)
    return;
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(GError) error = NULL;

    fraise_query_set_chunk_size (query, 0);
    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_null (stream);
    assert_error_mentions (error, FRAISE_ERROR_CONFIG, "chunk-size", NULL);
    assert_reusable (client);
  }
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project; DROP TABLE x");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(GError) error = NULL;

    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_null (stream);
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
    assert_reusable (client);
  }
  {
    g_autoptr(FraiseQuery) query = fraise_query_new ("v_project");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(GError) error = NULL;

    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_null (stream);
    assert_error_mentions (error, FRAISE_ERROR_CONFIG, "client", NULL);
    fraise_query_set_client (query, client);
    g_clear_error (&error);
    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (stream);
  }
}

static void
on_closed (FraiseClient *client, const GError *error, GError **out)
{
  g_assert_null (*out);
  g_assert_nonnull (error);
  *out = g_error_copy (error);
}

static void
test_max_row_size (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseQuery) next = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) closed = NULL;

  if (client == NULL)
    return;
  g_signal_connect (client, "closed", G_CALLBACK (on_closed), &closed);
  query = fraise_client_query (client, "v_project");
  fraise_query_set_max_row_size (query, 100);
  error = run_expecting_error (query);
  assert_error_mentions (error, FRAISE_ERROR_RESOURCE_LIMIT, "max-row-size", NULL);
  g_assert_false (fraise_client_is_connected (client));
  g_assert_error (closed, FRAISE_ERROR, FRAISE_ERROR_RESOURCE_LIMIT);
  g_signal_handlers_disconnect_by_data (client, &closed);

  /* Cleanly closed: the next query says so. */
  next = fraise_client_query (client, "v_project");
  g_clear_error (&error);
  stream = fraise_query_execute_sync (next, NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CLOSED);
}

static void
test_max_memory (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_project");
  fraise_query_set_max_memory (query, 100);
  error = run_expecting_error (query);
  assert_error_mentions (error, FRAISE_ERROR_MEMORY_LIMIT, "max-memory", NULL);
  assert_reusable (client);
}

static gboolean
only_active (FraiseRow *row, gpointer user_data)
{
  g_autofree char *status = fraise_row_get_string (row, "status", NULL);

  (*(guint *) user_data)++;
  return g_strcmp0 (status, "active") == 0;
}

static void
count_destroy (gpointer user_data)
{
  (*(guint *) user_data) += 1000;
}

static void
test_filter_func (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  FraiseQuery *query;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  guint calls = 0;
  FraiseRow *row;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_project");
  fraise_query_set_filter_func (query, only_active, &calls, count_destroy);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (query); /* the stream keeps the filter alive */
  g_assert_cmpuint (calls, <, 1000);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    g_ptr_array_add (rows, row);
  g_assert_no_error (error);

  ids = row_ids (rows);
  g_assert_cmpstr (ids, ==, "101,103,105");
  g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (rows, 1)), ==, 2);
  g_assert_cmpuint (calls, ==, 5);
  stats = fraise_stream_get_stats (stream);
  g_assert_cmpuint (stats->rows_received, ==, 5);
  g_assert_cmpuint (stats->rows_filtered, ==, 2);
  g_assert_cmpuint (stats->rows_delivered, ==, 3);
  g_clear_object (&stream);
  g_assert_cmpuint (calls, ==, 1005); /* destroyed with the last user */
}

/* ---- 4. backpressure and latency ------------------------------------------------ */

static void
test_backpressure_pull (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) before = NULL;
  g_autoptr(FraiseStreamStats) after = NULL;
  g_autoptr(FraiseStreamStats) end = NULL;
  g_autoptr(GError) error = NULL;
  const guint chunk = 64;
  const guint64 max_memory = 8 * 1024 * 1024;
  guint64 n = 0;
  FraiseRow *row;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_100k");
  fraise_query_set_chunk_size (query, chunk);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);

  for (; n < 10; n++)
    {
      row = fraise_stream_next_sync (stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (fraise_row_get_index (row), ==, n);
      fraise_row_unref (row);
    }
  iterate_for (50);
  before = fraise_stream_get_stats (stream);
  iterate_for (200); /* not asking for rows */
  after = fraise_stream_get_stats (stream);
  g_test_message ("idle: received %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
                  ", buffered %" G_GUINT64_FORMAT " rows / %" G_GUINT64_FORMAT " bytes, "
                  "%" G_GUINT64_FORMAT " pauses",
                  before->rows_received, after->rows_received, after->rows_buffered,
                  after->bytes_buffered, after->pauses);

  g_assert_cmpuint (after->rows_buffered, <=, 2 * chunk);
  g_assert_cmpuint (after->bytes_buffered, <=, max_memory);
  g_assert_cmpuint (after->pauses, >, 0);
  g_assert_cmpuint (after->rows_delivered, ==, 10);
  g_assert_cmpuint (after->rows_received - after->rows_delivered, <=, 2 * chunk + 200);
  g_assert_cmpuint (after->rows_received - before->rows_received, <=, 200);
  g_assert_cmpuint (after->rows_received, <, BENCH_100K_ROWS / 10);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_RUNNING);

  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      if (fraise_row_get_index (row) != n)
        g_assert_cmpuint (fraise_row_get_index (row), ==, n);
      n++;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, BENCH_100K_ROWS);
  end = fraise_stream_get_stats (stream);
  g_assert_cmpuint (end->rows_received, ==, BENCH_100K_ROWS);
  g_assert_cmpuint (end->rows_delivered, ==, BENCH_100K_ROWS);
  g_assert_cmpuint (end->bytes_received, >, (guint64) BENCH_100K_ROWS * 300);
  g_assert_cmpuint (end->peak_bytes_buffered, <=, max_memory);
  g_assert_cmpuint (end->rows_buffered, ==, 0);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
}

/* max-memory bounds the buffer in bytes when chunk-size alone would not. */
static void
test_backpressure_bytes (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) idle = NULL;
  g_autoptr(FraiseStreamStats) end = NULL;
  g_autoptr(GError) error = NULL;
  const guint64 max_memory = 32 * 1024;
  const guint64 row_slack = 1024; /* the row that reaches the mark */
  FraiseRow *row;
  guint n = 0;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_100k");
  fraise_query_set_chunk_size (query, 1000);
  fraise_query_set_max_memory (query, max_memory);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  fraise_row_unref (row);
  n++;
  iterate_for (200);
  idle = fraise_stream_get_stats (stream);
  g_assert_cmpuint (idle->bytes_buffered, <, max_memory + row_slack);
  g_assert_cmpuint (idle->rows_buffered, <, 200);
  g_assert_cmpuint (idle->pauses, >, 0);
  g_assert_cmpuint (idle->rows_received, <, 1000);

  while (n < 20000 && (row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      n++;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  end = fraise_stream_get_stats (stream);
  g_assert_cmpuint (end->peak_bytes_buffered, <, max_memory + row_slack);
  g_clear_object (&stream);
  assert_reusable (client);

  /* Pushing: batches end at the byte bound rather than at chunk-size. */
  {
    g_autoptr(FraiseQuery) push = fraise_client_query (client, "v_bench_100k");
    g_autoptr(FraiseStreamStats) stats = NULL;
    PushData data;

    fraise_query_set_chunk_size (push, 1000);
    fraise_query_set_max_memory (push, max_memory);
    fraise_query_set_limit (push, 5000);
    stream = fraise_query_execute_sync (push, NULL, &error);
    g_assert_no_error (error);
    push_data_init (&data, stream);
    connect_push (&data);
    fraise_stream_start (stream);
    fraise_test_wait_for (&data.done);
    g_assert_no_error (data.error);
    assert_rows_in_order (data.rows, 5000);
    stats = fraise_stream_get_stats (stream);
    g_assert_cmpuint (stats->peak_bytes_buffered, <, max_memory + row_slack);
    push_data_clear (&data);
    g_clear_object (&stream);
  }
  assert_reusable (client);
}

/* Adaptive chunking keeps the batch size within 16..1024 and loses no row. */
static void
test_adaptive_chunking (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  guint min_chunk = G_MAXUINT, max_chunk = 0;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_100k");
  fraise_query_set_chunk_size (query, 4);
  fraise_query_set_adaptive_chunking (query, TRUE);
  fraise_query_set_limit (query, 20000);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr(GPtrArray) batch = fraise_stream_next_batch_sync (stream, NULL, &error);
      g_autoptr(FraiseStreamStats) stats = fraise_stream_get_stats (stream);
      guint i;

      g_assert_no_error (error);
      g_assert_cmpuint (stats->chunk_size, >=, 16);
      g_assert_cmpuint (stats->chunk_size, <=, 1024);
      min_chunk = MIN (min_chunk, stats->chunk_size);
      max_chunk = MAX (max_chunk, stats->chunk_size);
      if (batch->len == 0)
        break;
      g_assert_cmpuint (batch->len, <=, 1024);
      for (i = 0; i < batch->len; i++, n++)
        if (fraise_row_get_index (g_ptr_array_index (batch, i)) != n)
          g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (batch, i)), ==, n);
    }
  g_test_message ("chunk size between %u and %u", min_chunk, max_chunk);
  g_assert_cmpuint (n, ==, 20000);
}

static void
test_pause_resume (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  PushData data;
  guint batches;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_100k");
  fraise_query_set_chunk_size (query, 64);
  fraise_query_set_limit (query, 5000);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  push_data_init (&data, stream);
  data.pause_on_first_batch = TRUE;
  connect_push (&data);
  fraise_stream_start (stream);
  fraise_test_wait_for (&data.paused);

  batches = data.batches;
  g_assert_cmpuint (batches, ==, 1);
  iterate_for (300);
  g_assert_cmpuint (data.batches, ==, batches);
  g_assert_cmpuint (data.finished, ==, 0);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_PAUSED);
  g_assert_cmpstr (fraise_stream_get_pause_reason (stream), ==, "test pause");
  stats = fraise_stream_get_stats (stream);
  g_assert_cmpuint (stats->pauses, >, 0);
  g_assert_cmpuint (stats->rows_buffered, <=, 2 * 64);
  g_assert_cmpuint (stats->rows_received, <, 5000);

  fraise_stream_resume (stream);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_RUNNING);
  g_assert_null (fraise_stream_get_pause_reason (stream));
  fraise_test_wait_for (&data.done);
  g_assert_no_error (data.error);
  g_assert_cmpuint (data.finished, ==, 1);
  assert_rows_in_order (data.rows, 5000);
  g_assert_cmpuint (data.max_batch, <=, 64);
  push_data_clear (&data);
  assert_reusable (client);
}

static void
check_pause_timeout (FraisePauseTimeoutAction action)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  PushData data;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_100k");
  fraise_query_set_chunk_size (query, 64);
  if (action == FRAISE_PAUSE_TIMEOUT_RESUME)
    fraise_query_set_limit (query, 2000);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  fraise_stream_set_pause_timeout (stream, 200);
  fraise_stream_set_pause_timeout_action (stream, action);
  push_data_init (&data, stream);
  data.pause_on_first_batch = TRUE;
  connect_push (&data);
  fraise_stream_start (stream);
  fraise_test_wait_for (&data.done);
  g_assert_cmpuint (data.finished, ==, 1);

  if (action == FRAISE_PAUSE_TIMEOUT_FAIL)
    {
      assert_error_mentions (data.error, FRAISE_ERROR_TIMEOUT, "pause-timeout", "test pause", NULL);
      g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_FAILED);
      g_assert_cmpuint (data.rows->len, <, BENCH_100K_ROWS);
    }
  else
    {
      g_assert_no_error (data.error);
      assert_rows_in_order (data.rows, 2000);
      g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
    }
  push_data_clear (&data);
  assert_reusable (client);
}

static void
test_pause_timeout_fail (void)
{
  check_pause_timeout (FRAISE_PAUSE_TIMEOUT_FAIL);
}

static void
test_pause_timeout_resume (void)
{
  check_pause_timeout (FRAISE_PAUSE_TIMEOUT_RESUME);
}

/* v_slow_stream sends a ~9 KB row every 100 ms: the first must reach the
 * consumer long before the stream ends, although chunk-size is 256. */
static void
test_first_row_latency (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;

  /* Pull. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_slow_stream");
    PullData data = { 0 };
    gint64 start, first_ms, total_ms;

    data.loop = g_main_loop_new (NULL, FALSE);
    data.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
    start = g_get_monotonic_time ();
    data.stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_no_error (error);
    {
      g_autoptr(FraiseRow) row = fraise_stream_next_sync (data.stream, NULL, &error);

      g_assert_no_error (error);
      first_ms = elapsed_ms (start);
      g_ptr_array_add (data.rows, g_steal_pointer (&row));
    }
    fraise_stream_next_async (data.stream, NULL, on_next, &data);
    run_loop (data.loop);
    total_ms = elapsed_ms (start);
    g_test_message ("pull: first row after %" G_GINT64_FORMAT " ms, end after %" G_GINT64_FORMAT
                    " ms",
                    first_ms, total_ms);
    g_assert_no_error (data.error);
    assert_rows_in_order (data.rows, 20);
    g_assert_cmpint (first_ms, <, scaled_ms (500));
    g_assert_cmpint (total_ms, >=, 1500);
    pull_data_clear (&data);
  }

  /* Push. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_slow_stream");
    g_autoptr(FraiseStream) stream = NULL;
    g_autoptr(FraiseStreamStats) stats = NULL;
    PushData data;
    gint64 start = g_get_monotonic_time ();
    gint64 first_ms, total_ms;

    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_no_error (error);
    push_data_init (&data, stream);
    connect_push (&data);
    fraise_stream_start (stream);
    fraise_test_wait_for (&data.done);
    total_ms = elapsed_ms (start);
    first_ms = (data.first_rows_us - start) / 1000;
    g_test_message ("push: first batch after %" G_GINT64_FORMAT " ms, end after %" G_GINT64_FORMAT
                    " ms, %u batches",
                    first_ms, total_ms, data.batches);
    g_assert_no_error (data.error);
    assert_rows_in_order (data.rows, 20);
    g_assert_cmpint (first_ms, <, scaled_ms (500));
    g_assert_cmpint (total_ms, >=, 1500);
    g_assert_cmpuint (data.batches, >, 1);
    stats = fraise_stream_get_stats (stream);
    g_assert_cmpint (stats->time_to_first_row_us, <, fraise_test_scaled (500000));
    g_assert_cmpint (stats->elapsed_us, >=, 1500000);
    push_data_clear (&data);
  }
}

/* ---- 5. cancellation ---------------------------------------------------------- */

static void
test_cancel_pull (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) admin = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseRow) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  gint64 cancel_us, took_ms;
  FraiseRow *row;

  if (client == NULL)
    return;
  admin = fraise_test_connect (SUPERUSER_URI_ENV);
  if (admin == NULL)
    return;
  query = fraise_client_query (client, "v_slow_stream");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  first = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  state = backend_state (admin, fraise_client_get_backend_pid (client));
  g_assert_cmpstr (state, ==, "active");

  cancel_us = g_get_monotonic_time ();
  fraise_stream_cancel (stream);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    fraise_row_unref (row); /* none: buffered rows were dropped */
  took_ms = elapsed_ms (cancel_us);
  g_test_message ("cancel -> end of stream: %" G_GINT64_FORMAT " ms", took_ms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (took_ms, <, scaled_ms (250));
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_CANCELLED);

  assert_backend_becomes_idle (admin, fraise_client_get_backend_pid (client));
  assert_reusable (client);
}

/* Over TLS the CancelRequest is encrypted too, with the same settings; the
 * server still honours it and the connection stays usable. */
static void
test_cancel_tls (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect ("FRAISE_TEST_URI_TLS");
  g_autoptr(FraiseClient) admin = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseRow) first = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancel_us, took_ms;
  FraiseRow *row;

  if (client == NULL)
    return;
  g_assert_true (fraise_client_get_is_tls (client));
  admin = fraise_test_connect (SUPERUSER_URI_ENV);
  if (admin == NULL)
    return;
  query = fraise_client_query (client, "v_slow_stream");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  first = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);

  cancel_us = g_get_monotonic_time ();
  fraise_stream_cancel (stream);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    fraise_row_unref (row);
  took_ms = elapsed_ms (cancel_us);
  g_test_message ("TLS cancel -> end of stream: %" G_GINT64_FORMAT " ms", took_ms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (took_ms, <, scaled_ms (250));
  assert_backend_becomes_idle (admin, fraise_client_get_backend_pid (client));
  assert_reusable (client);
}

static void
test_cancel_push (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) admin = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancel_us, took_ms;
  PushData data;
  guint rows_at_cancel;

  if (client == NULL)
    return;
  admin = fraise_test_connect (SUPERUSER_URI_ENV);
  if (admin == NULL)
    return;
  query = fraise_client_query (client, "v_slow_stream");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  push_data_init (&data, stream);
  connect_push (&data);
  fraise_stream_start (stream);
  while (data.rows->len == 0)
    g_main_context_iteration (NULL, TRUE);

  rows_at_cancel = data.rows->len;
  cancel_us = g_get_monotonic_time ();
  fraise_stream_cancel (stream);
  fraise_stream_cancel (stream); /* idempotent */
  fraise_test_wait_for (&data.done);
  took_ms = elapsed_ms (cancel_us);
  g_test_message ("cancel -> finished: %" G_GINT64_FORMAT " ms", took_ms);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (took_ms, <, scaled_ms (250));
  g_assert_cmpuint (data.finished, ==, 1);
  g_assert_cmpuint (data.rows->len, ==, rows_at_cancel);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_CANCELLED);
  g_assert_error (fraise_stream_get_error (stream), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  push_data_clear (&data);

  assert_backend_becomes_idle (admin, fraise_client_get_backend_pid (client));
  assert_reusable (client);
}

/* Dropping the last reference of an unfinished stream cancels it. */
static void
test_cancel_by_drop (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) admin = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseQuery) users = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  g_auto(GStrv) texts = NULL;
  FraiseStream *stream;
  guint i;

  if (client == NULL)
    return;
  admin = fraise_test_connect (SUPERUSER_URI_ENV);
  if (admin == NULL)
    return;
  texts = server_texts (client, "v_user");
  query = fraise_client_query (client, "v_bench_100k");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  for (i = 0; i < 2; i++)
    {
      g_autoptr(FraiseRow) row = fraise_stream_next_sync (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (row);
    }
  g_object_unref (stream);

  assert_backend_becomes_idle (admin, fraise_client_get_backend_pid (client));
  users = fraise_client_query (client, "v_user");
  rows = fraise_test_pull_all (users, &error);
  g_assert_no_error (error);
  ids = row_ids (rows);
  g_assert_cmpstr (ids, ==, "201,202,203");
  for (i = 0; i < rows->len; i++)
    g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (rows, i), NULL), ==, texts[i]);
}

/* Dropping the stream and querying at once: the next query waits for the drain. */
static void
test_drop_then_query_at_once (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  FraiseStream *stream;
  FraiseRow *row;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_bench_100k");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  fraise_row_unref (row);
  g_object_unref (stream);
  assert_reusable (client);
  assert_reusable (client);

  /* The drain keeps the dropped query's limits: a smaller max-row-size of the
   * query queued behind it applies to that query's rows only. */
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  fraise_row_unref (row);
  g_object_unref (stream);
  {
    g_autoptr(FraiseQuery) tasks = fraise_client_query (client, "v_task");
    g_autoptr(GPtrArray) rows = NULL;

    fraise_query_set_max_row_size (tasks, 300); /* bench rows are ~450 bytes */
    rows = fraise_test_pull_all (tasks, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
  }
  assert_reusable (client);
}

typedef struct {
  FraiseClient *client;
  FraiseQuery *first;
  FraiseQuery *second;
  GAsyncResult *first_result;
  GAsyncResult *second_result;
} RaceData;

static void
store_first (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((RaceData *) user_data)->first_result = g_object_ref (result);
}

static void
store_second (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((RaceData *) user_data)->second_result = g_object_ref (result);
}

/* Right after a cancelled stream ends (its CancelRequest may still be in
 * flight), two queries start at once: the first runs, the second is BUSY. */
static void
start_two_queries (FraiseStream *stream, const GError *error, RaceData *data)
{
  fraise_query_execute_async (data->first, NULL, store_first, data);
  fraise_query_execute_async (data->second, NULL, store_second, data);
}

/* A query started right after cancel() waits for the drain instead of
 * failing with BUSY, and the cancelled stream still ends as cancelled. */
static void
test_query_after_cancel_waits (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) slow = NULL;
  g_autoptr(FraiseQuery) next = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStream) second = NULL;
  g_autoptr(FraiseRow) first_row = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  FraiseRow *row;

  if (client == NULL)
    return;
  slow = fraise_client_query (client, "v_slow_stream");
  stream = fraise_query_execute_sync (slow, NULL, &error);
  g_assert_no_error (error);
  first_row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  fraise_stream_cancel (stream);

  next = fraise_client_query (client, "v_project");
  second = fraise_query_execute_sync (next, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (second, NULL, &error)) != NULL)
    g_ptr_array_add (rows, row);
  g_assert_no_error (error);
  ids = row_ids (rows);
  g_assert_cmpstr (ids, ==, "101,102,103,104,105");
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_CANCELLED);
  assert_reusable (client);
}

static void
test_busy_after_cancel (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  guint round;

  if (client == NULL)
    return;
  for (round = 0; round < 5; round++)
    {
      g_autoptr(FraiseQuery) slow = fraise_client_query (client, "v_slow_stream");
      g_autoptr(FraiseStream) stream = NULL;
      g_autoptr(FraiseStream) first = NULL;
      g_autoptr(FraiseStream) second = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *ids = NULL;
      RaceData data = { client, NULL, NULL, NULL, NULL };
      FraiseRow *row;

      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);

      data.first = fraise_client_query (client, "v_project");
      data.second = fraise_client_query (client, "v_user");
      stream = fraise_query_execute_sync (slow, NULL, &error);
      g_assert_no_error (error);
      g_signal_connect (stream, "finished", G_CALLBACK (start_two_queries), &data);
      fraise_stream_cancel (stream);
      while (data.first_result == NULL || data.second_result == NULL)
        g_main_context_iteration (NULL, TRUE);

      second = fraise_query_execute_finish (data.second, data.second_result, &error);
      g_assert_null (second);
      assert_error_mentions (error, FRAISE_ERROR_BUSY, "already running", NULL);
      g_clear_error (&error);
      first = fraise_query_execute_finish (data.first, data.first_result, &error);
      g_assert_no_error (error);
      while ((row = fraise_stream_next_sync (first, NULL, &error)) != NULL)
        g_ptr_array_add (rows, row);
      g_assert_no_error (error);
      ids = row_ids (rows);
      g_assert_cmpstr (ids, ==, "101,102,103,104,105");

      g_clear_object (&data.first);
      g_clear_object (&data.second);
      g_clear_object (&data.first_result);
      g_clear_object (&data.second_result);
    }
  assert_reusable (client);
}

typedef struct {
  GAsyncResult *result;
} ResultSlot;

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((ResultSlot *) user_data)->result = g_object_ref (result);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_execute (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ResultSlot slot = { NULL };
  gint64 start;
  guint64 sent;

  if (client == NULL)
    return;
  /* v_slow's first rows stay in the server's buffer for ~5 s. */
  query = fraise_client_query (client, "v_slow");
  start = g_get_monotonic_time ();
  fraise_query_execute_async (query, cancellable, store_result, &slot);
  g_timeout_add (200, cancel_later, cancellable);
  while (slot.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stream = fraise_query_execute_finish (query, slot.result, &error);
  g_clear_object (&slot.result);
  g_test_message ("cancelled execute after %" G_GINT64_FORMAT " ms", elapsed_ms (start));
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed_ms (start), <, scaled_ms (3000));
  assert_reusable (client);

  /* Already cancelled: nothing is sent, so nothing needs cancelling (a
   * CancelRequest sent right behind the query could miss it). */
  g_clear_error (&error);
  sent = fraise_connection_get_queries_sent (_fraise_client_get_connection (client));
  stream = fraise_query_execute_sync (query, cancellable, &error);
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fraise_connection_get_queries_sent (_fraise_client_get_connection (client)), ==,
                    sent);
  assert_reusable (client);
}

/* A query queued behind a dropped stream's drain, cancelled before it was
 * sent, is never sent: the cancellation is immediate. */
static void
test_cancel_queued (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) big = NULL;
  g_autoptr(FraiseQuery) slow = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ResultSlot slot = { NULL };
  FraiseStream *dropped;
  FraiseRow *row;
  gint64 start;

  if (client == NULL)
    return;
  big = fraise_client_query (client, "v_bench_100k");
  dropped = fraise_query_execute_sync (big, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (dropped, NULL, &error);
  g_assert_no_error (error);
  fraise_row_unref (row);
  g_object_unref (dropped);

  slow = fraise_client_query (client, "v_slow");
  start = g_get_monotonic_time ();
  fraise_query_execute_async (slow, cancellable, store_result, &slot);
  g_cancellable_cancel (cancellable);
  while (slot.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stream = fraise_query_execute_finish (slow, slot.result, &error);
  g_clear_object (&slot.result);
  g_test_message ("cancelled queued execute after %" G_GINT64_FORMAT " ms", elapsed_ms (start));
  g_assert_null (stream);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed_ms (start), <, scaled_ms (2500));
  assert_reusable (client);
}

static void
test_query_timeout (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (client == NULL)
    return;
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_slow");

    fraise_query_set_timeout (query, 300);
    start = g_get_monotonic_time ();
    error = run_expecting_error (query);
    g_test_message ("timed out after %" G_GINT64_FORMAT " ms", elapsed_ms (start));
    assert_error_mentions (error, FRAISE_ERROR_TIMEOUT, "300 ms", NULL);
    g_assert_cmpint (elapsed_ms (start), <, scaled_ms (3000));
    g_assert_true (fraise_error_is_retriable (error));
    g_clear_error (&error);
    assert_reusable (client);
  }
  /* The timeout also applies once rows flow. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_slow_stream");
    g_autoptr(FraiseStream) stream = NULL;
    guint n = 0;
    FraiseRow *row;

    fraise_query_set_timeout (query, 600);
    stream = fraise_query_execute_sync (query, NULL, &error);
    g_assert_no_error (error);
    while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
      {
        n++;
        fraise_row_unref (row);
      }
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_TIMEOUT);
    g_assert_cmpuint (n, <, 20);
    g_clear_error (&error);
    assert_reusable (client);
  }
  /* statement_timeout is the server's: SQLSTATE 57014 as a server error. */
  {
    g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_slow");
    FraiseServerMessage *message;

    g_autoptr(GPtrArray) rows = NULL;

    fraise_query_set_statement_timeout (query, 200);
    rows = fraise_test_pull_all (query, &error);
    g_assert_cmpuint (rows->len, <, 100);
    assert_error_mentions (error, FRAISE_ERROR_SERVER, "57014", NULL);
    message = fraise_error_get_server_message (error);
    g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "57014");
    g_clear_error (&error);
    assert_reusable (client);
  }
}

/* ---- 6. JSON Lines ---------------------------------------------------------------- */

static FraiseStream *
execute_or_die (FraiseClient *client, const char *source)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, source);
  g_autoptr(GError) error = NULL;
  FraiseStream *stream = fraise_query_execute_sync (query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stream);
  return stream;
}

static void
test_input_stream_sync (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) texts = NULL;
  guint n = 0;

  if (client == NULL)
    return;
  texts = server_texts (client, "v_project");
  stream = execute_or_die (client, "v_project");
  input = fraise_stream_to_input_stream (stream);
  g_assert_true (G_IS_INPUT_STREAM (input));
  lines = g_data_input_stream_new (input);
  for (;;)
    {
      gsize len;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, &len, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_assert_cmpuint (n, <, 5);
      g_assert_cmpstr (line, ==, texts[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
  g_input_stream_close (G_INPUT_STREAM (lines), NULL, &error);
  g_assert_no_error (error);
}

typedef struct {
  GMainLoop *loop;
  GByteArray *data;
  GError *error;
  guint reads;
} ReadData;

static void
on_bytes_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadData *data = user_data;
  g_autoptr(GBytes) bytes =
               g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &data->error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_main_loop_quit (data->loop);
      return;
    }
  data->reads++;
  g_byte_array_append (data->data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Odd sizes: reads end inside rows and at their newlines. */
  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 1 + data->reads % 997,
                                   G_PRIORITY_DEFAULT, NULL, on_bytes_read, data);
}

static void
on_input_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_input_stream_async (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_auto(GStrv) lines = NULL;
  ReadData data = { 0 };
  guint i;

  if (client == NULL)
    return;
  stream = execute_or_die (client, "v_bench_1k");
  input = fraise_stream_to_input_stream (stream);
  data.loop = g_main_loop_new (NULL, FALSE);
  data.data = g_byte_array_new ();
  g_input_stream_read_bytes_async (input, 100, G_PRIORITY_DEFAULT, NULL, on_bytes_read, &data);
  run_loop (data.loop);
  g_assert_no_error (data.error);

  g_byte_array_append (data.data, (const guint8 *) "", 1);
  lines = g_strsplit ((const char *) data.data->data, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1001);
  g_assert_cmpstr (lines[1000], ==, "");
  for (i = 0; i < 1000; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);

      g_assert_nonnull (node);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "id"), ==, i + 1);
    }
  g_main_loop_unref (data.loop);
  g_byte_array_unref (data.data);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);

  /* Closing early (asynchronously, on this thread) cancels the query. */
  {
    g_autoptr(FraiseStream) big = execute_or_die (client, "v_bench_100k");
    g_autoptr(GInputStream) lines = fraise_stream_to_input_stream (big);
    gboolean closed = FALSE;

    g_input_stream_close_async (lines, G_PRIORITY_DEFAULT, NULL, on_input_closed, &closed);
    fraise_test_wait_for (&closed);
    while (fraise_stream_get_state (big) == FRAISE_STREAM_STATE_RUNNING)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (fraise_stream_get_state (big), ==, FRAISE_STREAM_STATE_CANCELLED);
  }
  assert_reusable (client);
}

static void
test_input_stream_splice (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStream) empty = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GInputStream) empty_input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GOutputStream) empty_output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_auto(GStrv) texts = NULL;
  gssize n;
  guint i;

  if (client == NULL)
    return;
  texts = server_texts (client, "v_user");
  for (i = 0; texts[i] != NULL; i++)
    g_string_append_printf (expected, "%s\n", texts[i]);

  stream = execute_or_die (client, "v_user");
  input = fraise_stream_to_input_stream (stream);
  output = g_memory_output_stream_new_resizable ();
  n = g_output_stream_splice (
    output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
    &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, (gssize) expected->len);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)), ==,
                    expected->len);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (output)), expected->len,
                   expected->str, expected->len);

  empty = execute_or_die (client, "v_empty");
  empty_input = fraise_stream_to_input_stream (empty);
  empty_output = g_memory_output_stream_new_resizable ();
  n = g_output_stream_splice (empty_output, empty_input, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
}

/* A stream error is a read error; closing the input stream early cancels the query. */
static void
test_input_stream_errors (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;
  {
    g_autoptr(FraiseStream) stream = execute_or_die (client, "v_error_mid");
    g_autoptr(GInputStream) input = fraise_stream_to_input_stream (stream);
    g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
    gssize n;

    n = g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error);
    g_assert_cmpint (n, ==, -1);
    assert_error_mentions (error, FRAISE_ERROR_SERVER, "22012", NULL);
    g_clear_error (&error);
  }
  assert_reusable (client);
  {
    g_autoptr(FraiseStream) stream = execute_or_die (client, "v_bench_100k");
    g_autoptr(GInputStream) input = fraise_stream_to_input_stream (stream);
    char buffer[1000];

    g_assert_cmpint (g_input_stream_read (input, buffer, sizeof buffer, NULL, &error), >, 0);
    g_assert_no_error (error);
    g_input_stream_close (input, NULL, &error);
    g_assert_no_error (error);
    while (fraise_stream_get_state (stream) == FRAISE_STREAM_STATE_RUNNING)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_CANCELLED);
  }
  assert_reusable (client);
}

/* ---- 7. conditions against the server ---------------------------------------------- */

typedef struct {
  const char *source;
  const char *path;
  FraiseOperator op;
  const char *value; /* GVariant text format, or NULL */
  const char *expected_ids;
} ConditionCase;

static const ConditionCase condition_cases[] = {
  /* comparisons */
  { "v_project", "status", FRAISE_OPERATOR_EQ, "'active'", "101,103,105" },
  { "v_project", "status", FRAISE_OPERATOR_NE, "'active'", "102,104" },
  { "v_project", "name", FRAISE_OPERATOR_EQ, "\"Jürgen's Greenhouse\"", "102" },
  { "v_project", "name", FRAISE_OPERATOR_EQ,
    "'Export \"Fraises\" \\\\ Logistics\\ttabbed\\nnewline'", "105" },
  { "v_project", "public", FRAISE_OPERATOR_EQ, "true", "101,103,105" },
  { "v_project", "public", FRAISE_OPERATOR_NE, "true", "102,104" },
  { "v_project", "budget", FRAISE_OPERATOR_EQ, "0", "102" },
  { "v_project", "budget", FRAISE_OPERATOR_LT, "0", "104" },
  { "v_project", "budget", FRAISE_OPERATOR_LT, "int64 -1", "104" },
  { "v_project", "budget", FRAISE_OPERATOR_LE, "-250.75", "104" },
  { "v_project", "budget", FRAISE_OPERATOR_GE, "98765.4321", "101,103,105" },
  { "v_project", "budget", FRAISE_OPERATOR_GT, "98765.4321", "101,105" },
  { "v_project", "budget", FRAISE_OPERATOR_GE, "1e6", "105" },
  { "v_project", "budget", FRAISE_OPERATOR_GT, "uint64 1000000", "" },
  { "v_user", "age", FRAISE_OPERATOR_EQ, "34", "201" },
  { "v_user", "age", FRAISE_OPERATOR_LT, "34", "203" },
  { "v_user", "age", FRAISE_OPERATOR_LE, "34", "201,203" },
  { "v_user", "age", FRAISE_OPERATOR_GT, "34", "202" },
  { "v_user", "age", FRAISE_OPERATOR_GE, "byte 51", "202" },
  { "v_user", "age", FRAISE_OPERATOR_GT, "-1", "201,202,203" },
  { "v_user", "age", FRAISE_OPERATOR_NE, "-1", "201,202,203" },
  { "v_user", "age", FRAISE_OPERATOR_LT, "-1", "" },
  { "v_user", "age", FRAISE_OPERATOR_EQ, "int64 -9223372036854775808", "" },
  { "v_user", "score", FRAISE_OPERATOR_EQ, "-1.5", "203" },
  { "v_user", "score", FRAISE_OPERATOR_LT, "-1", "203" },
  { "v_user", "score", FRAISE_OPERATOR_EQ, "-0.0", "202" },
  { "v_user", "active", FRAISE_OPERATOR_EQ, "false", "202" },
  { "v_user", "address.city", FRAISE_OPERATOR_EQ, "'東京'", "203" },
  { "v_user", "address.city", FRAISE_OPERATOR_EQ, "'Düsseldorf'", "202" },
  { "v_project", "owner.name", FRAISE_OPERATOR_EQ, "'Amélie Durand'", "101,104" },
  /* in, not-in */
  { "v_project", "status", FRAISE_OPERATOR_IN, "['planning', 'archived']", "102,104" },
  { "v_project", "status", FRAISE_OPERATOR_NOT_IN, "['active']", "102,104" },
  { "v_project", "status", FRAISE_OPERATOR_IN, "@as []", "" },
  { "v_project", "status", FRAISE_OPERATOR_NOT_IN, "@as []", "101,102,103,104,105" },
  { "v_user", "nickname", FRAISE_OPERATOR_NOT_IN, "@as []", "" },
  { "v_user", "age", FRAISE_OPERATOR_IN, "[28, 51]", "202,203" },
  { "v_user", "age", FRAISE_OPERATOR_NOT_IN, "[28, 51, -1]", "201" },
  /* like, ilike */
  { "v_project", "name", FRAISE_OPERATOR_LIKE, "'J%'", "102,104" },
  { "v_project", "name", FRAISE_OPERATOR_ILIKE, "'j%'", "102,104" },
  { "v_project", "name", FRAISE_OPERATOR_LIKE, "'jam%'", "" },
  { "v_project", "name", FRAISE_OPERATOR_LIKE, "'J_m Recipes'", "104" },
  /* contains, starts-with, ends-with: wildcards are literal */
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "'Green'", "102" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "\"'\"", "102" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "'\\\\'", "105" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "'\"'", "105" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "'\\t'", "105" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "'%'", "" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "'_'", "" },
  { "v_project", "name", FRAISE_OPERATOR_CONTAINS, "''", "101,102,103,104,105" },
  { "v_project", "name", FRAISE_OPERATOR_STARTS_WITH, "'東京'", "103" },
  { "v_project", "name", FRAISE_OPERATOR_STARTS_WITH, "'J'", "102,104" },
  { "v_project", "name", FRAISE_OPERATOR_STARTS_WITH, "'%'", "" },
  { "v_project", "name", FRAISE_OPERATOR_STARTS_WITH, "'J_m'", "" },
  { "v_project", "name", FRAISE_OPERATOR_ENDS_WITH, "'Stall'", "103" },
  { "v_project", "name", FRAISE_OPERATOR_ENDS_WITH, "'_'", "" },
  { "v_project", "name", FRAISE_OPERATOR_ENDS_WITH, "'newline'", "105" },
  /* null tests */
  { "v_project", "archived_at", FRAISE_OPERATOR_IS_NULL, NULL, "101,102,103,105" },
  { "v_project", "archived_at", FRAISE_OPERATOR_IS_NOT_NULL, NULL, "104" },
  { "v_project", "owner", FRAISE_OPERATOR_IS_NULL, NULL, "105" },
  /* owner is null at 105: owner.name is missing there, not null */
  { "v_project", "owner.name", FRAISE_OPERATOR_IS_NULL, NULL, "" },
  { "v_project", "owner.name", FRAISE_OPERATOR_IS_NOT_NULL, NULL, "101,102,103,104" },
  { "v_user", "bio", FRAISE_OPERATOR_IS_NULL, NULL, "202" },
  /* nickname is missing everywhere: neither null nor not null */
  { "v_user", "nickname", FRAISE_OPERATOR_IS_NULL, NULL, "" },
  { "v_user", "nickname", FRAISE_OPERATOR_IS_NOT_NULL, NULL, "" },
  /* arrays and keys */
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, "'kitchen'", "104" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, "['farm', 'berries']", "101" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, "['farm', 'kitchen']", "" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, "'🍓'", "103" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, "'2024'", "101" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, "2024", "" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_OVERLAPS, "['kitchen', 'retail']", "103,104" },
  { "v_project", "tags", FRAISE_OPERATOR_ARRAY_OVERLAPS, "@as []", "" },
  { "v_user", "roles", FRAISE_OPERATOR_ARRAY_CONTAINS, "'admin'", "201" },
  { "v_user", "roles", FRAISE_OPERATOR_ARRAY_OVERLAPS, "['viewer', 'editor']", "201,202" },
  { "v_project", "owner", FRAISE_OPERATOR_HAS_KEY, "'name'", "101,102,103,104" },
  { "v_project", "", FRAISE_OPERATOR_HAS_KEY, "'archived_at'", "101,102,103,104,105" },
  { "v_user", "address", FRAISE_OPERATOR_HAS_KEY, "'zip'", "201,202,203" },
  { "v_user", "address", FRAISE_OPERATOR_HAS_KEY, "'planet'", "" },
  /* a json (not jsonb) source */
  { "v_document", "title", FRAISE_OPERATOR_EQ, "'Numbers and text'", "401" },
  { "v_document", "negative", FRAISE_OPERATOR_EQ, "-42", "401" },
  { "v_document", "big_integer", FRAISE_OPERATOR_GT, "1e22", "401" },
  { "v_document", "big_integer", FRAISE_OPERATOR_EQ, "uint64 18446744073709551615", "" },
  { "v_document", "text.escapes", FRAISE_OPERATOR_CONTAINS, "'\\\\ slash'", "401" },
  { "v_document", "text.escapes", FRAISE_OPERATOR_CONTAINS, "'quote \"'", "401" },
  { "v_document", "text", FRAISE_OPERATOR_HAS_KEY, "'fr'", "401" },
  { "v_document", "flags", FRAISE_OPERATOR_ARRAY_CONTAINS, "[true, false]", "401" },
  { "v_document", "flags", FRAISE_OPERATOR_ARRAY_OVERLAPS, "[<1>, <'x'>, <true>]", "401" },
  { "v_document", "nested.level1.level2", FRAISE_OPERATOR_HAS_KEY, "'level3'", "401" },
};

static char *
run_condition (
  FraiseClient *client, const char *source, const char *path, FraiseOperator op, GVariant *value)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, source);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  fraise_query_add_condition (query, path, op, value, &error);
  g_assert_no_error (error);
  sql = fraise_query_to_sql (query, &error);
  g_assert_no_error (error);
  rows = fraise_test_pull_all (query, &error);
  if (error != NULL)
    g_error ("%s: %s", sql, error->message);
  return row_ids (rows);
}

static void
test_conditions (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  guint i;

  if (client == NULL)
    return;
  for (i = 0; i < G_N_ELEMENTS (condition_cases); i++)
    {
      const ConditionCase *c = &condition_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) value = NULL; /* g_variant_parse () returns a full reference */
      g_autofree char *ids = NULL;

      if (c->value != NULL)
        {
          value = g_variant_parse (NULL, c->value, NULL, NULL, &error);
          g_assert_no_error (error);
        }
      ids = run_condition (client, c->source, c->path, c->op, value);
      if (g_strcmp0 (ids, c->expected_ids) != 0)
        g_error ("%s %s op %d %s: got \"%s\", expected \"%s\"", c->source, c->path, c->op,
                 c->value ? c->value : "NULL", ids, c->expected_ids);
    }
}

/* The filter language's semantics (docs/filter.md), on v_mixed (jsonb) and
 * v_mixed_json (json): each case fails with the old unguarded renderer,
 * which cast ->> text ((data->>'age')::numeric, ::boolean) and read a
 * missing key as null. */
static const struct {
  const char *path;
  FraiseOperator op;
  const char *value;
  const char *expected_ids;
} semantics_cases[] = {
  /* "abc", "19", [19] and null are no numbers: skipped, never a cast error
   * that aborts the stream; 18.0000000000000000001 > 18 exactly. */
  { "age", FRAISE_OPERATOR_GT, "18", "501,507" },
  { "age", FRAISE_OPERATOR_GE, "18.5", "501" },
  { "age", FRAISE_OPERATOR_LT, "int64 18", "503" },
  { "age", FRAISE_OPERATOR_NE, "30", "502,503,504,505,506,507" },
  { "age", FRAISE_OPERATOR_IN, "[12, 19]", "503" },
  /* "5" is not 5; 5.0 is 5. */
  { "code", FRAISE_OPERATOR_EQ, "5", "501,503" },
  { "code", FRAISE_OPERATOR_EQ, "5.0", "501,503" },
  { "code", FRAISE_OPERATOR_EQ, "'5'", "502" },
  { "code", FRAISE_OPERATOR_IN, "['5', '05']", "502,504" },
  { "code", FRAISE_OPERATOR_NOT_IN, "[5, 50]", "502,504,506" },
  { "code", FRAISE_OPERATOR_GT, "'0'", "502,504" },
  /* true is JSON true only: not "yes", "on", 1, "true" nor "t". */
  { "flag", FRAISE_OPERATOR_EQ, "true", "501" },
  { "flag", FRAISE_OPERATOR_EQ, "false", "503" },
  { "flag", FRAISE_OPERATOR_NE, "true", "502,503,504,505,506,507" },
  { "flag", FRAISE_OPERATOR_IN, "[true]", "501" },
  { "flag", FRAISE_OPERATOR_EQ, "'yes'", "502" },
  /* JSON null is present; a missing key is neither null nor not null. */
  { "note", FRAISE_OPERATOR_IS_NULL, NULL, "501,504" },
  { "note", FRAISE_OPERATOR_IS_NOT_NULL, NULL, "502,505,506" },
  { "note", FRAISE_OPERATOR_NE, "'x'", "501,504,505,506" },
  /* Text tests on strings only. */
  { "age", FRAISE_OPERATOR_LIKE, "'%'", "502,504" },
  { "code", FRAISE_OPERATOR_STARTS_WITH, "'5'", "502" },
  { "note", FRAISE_OPERATOR_HAS_KEY, "'x'", "" },
  { "age", FRAISE_OPERATOR_ARRAY_CONTAINS, "19", "506" },
};

static void
test_condition_semantics (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  static const char *const sources[] = { "v_mixed", "v_mixed_json" };

  if (client == NULL)
    return;
  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    for (guint i = 0; i < G_N_ELEMENTS (semantics_cases); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (GVariant) value = NULL;
        g_autofree char *ids = NULL;

        if (semantics_cases[i].value != NULL)
          {
            value = g_variant_parse (NULL, semantics_cases[i].value, NULL, NULL, &error);
            g_assert_no_error (error);
          }
        /* run_condition() fails the test, with the SQL, if the stream fails. */
        ids =
          run_condition (client, sources[s], semantics_cases[i].path, semantics_cases[i].op, value);
        if (g_strcmp0 (ids, semantics_cases[i].expected_ids) != 0)
          g_error ("%s %s op %d %s: got \"%s\", expected \"%s\"", sources[s],
                   semantics_cases[i].path, semantics_cases[i].op,
                   semantics_cases[i].value ? semantics_cases[i].value : "NULL", ids,
                   semantics_cases[i].expected_ids);
      }
  assert_reusable (client);
}

static const char *const hostile_values[] = {
  "'",
  "''",
  "\\",
  "\\'",
  "\\' OR 1=1 --",
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE tv_user; --",
  "x'\n-- comment\nOR true OR 'a'='a",
  "x'/* comment */OR true OR 'a'='a",
  "$$ OR true $$",
  "$fraise$ OR true $fraise$",
  "E'\\x27' OR true",
  "\" OR \"\"=\"",
  "-1",
  "- -1",
  "--1",
  "%",
  "_",
  "%%",
  "\\%",
  "Am_lie%",
  "Amélie Durand' OR 'x'='x",
  "Amélie Durand\\",
  "\\\\'; SELECT pg_sleep(10); --",
  "\xe2\x80\x99 OR true --", /* U+2019, not a quote */
};

static void
assert_count (FraiseClient *client,
              const char *path,
              FraiseOperator op,
              GVariant *value,
              const char *expected_ids,
              const char *hostile)
{
  g_autofree char *ids = run_condition (client, "v_user", path, op, value);

  if (g_strcmp0 (ids, expected_ids) != 0)
    g_error ("\"%s\" with operator %d: got rows \"%s\", expected \"%s\"", hostile, op, ids,
             expected_ids);
}

static void
assert_hostile_path (FraiseClient *client, const char *path)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_user");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (!fraise_query_add_condition (query, path, FRAISE_OPERATOR_IS_NOT_NULL, NULL, &error))
    {
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
      return;
    }
  g_assert_true (fraise_query_add_condition (query, path, FRAISE_OPERATOR_NE,
                                             g_variant_new_string ("x"), &error));
  g_assert_no_error (error);
  rows = fraise_test_pull_all (query, &error);
  if (error != NULL)
    g_error ("path \"%s\": %s", path, error->message);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* Each hostile value is one literal: it matches nothing with eq (and
 * everything with ne), and the fixtures are intact afterwards. */
static void
test_hostile_values (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  const char *all = "201,202,203";
  g_autofree char *after = NULL;
  guint i;

  if (client == NULL)
    return;
  for (i = 0; i < G_N_ELEMENTS (hostile_values); i++)
    {
      const char *h = hostile_values[i];
      const char *in_list[] = { h, "nobody" };

      assert_count (client, "name", FRAISE_OPERATOR_EQ, g_variant_new_string (h), "", h);
      assert_count (client, "name", FRAISE_OPERATOR_NE, g_variant_new_string (h), all, h);
      assert_count (client, "address.city", FRAISE_OPERATOR_EQ, g_variant_new_string (h), "", h);
      assert_count (client, "name", FRAISE_OPERATOR_CONTAINS, g_variant_new_string (h), "", h);
      assert_count (client, "name", FRAISE_OPERATOR_STARTS_WITH, g_variant_new_string (h), "", h);
      assert_count (client, "name", FRAISE_OPERATOR_ENDS_WITH, g_variant_new_string (h), "", h);
      assert_count (client, "name", FRAISE_OPERATOR_IN, g_variant_new_strv (in_list, 2), "", h);
      assert_count (client, "name", FRAISE_OPERATOR_NOT_IN, g_variant_new_strv (in_list, 2), all,
                    h);
      assert_count (client, "roles", FRAISE_OPERATOR_ARRAY_CONTAINS, g_variant_new_string (h), "",
                    h);
      assert_count (client, "roles", FRAISE_OPERATOR_ARRAY_OVERLAPS,
                    g_variant_new_strv (in_list, 2), "", h);
      assert_count (client, "address", FRAISE_OPERATOR_HAS_KEY, g_variant_new_string (h), "", h);
      /* As a path, too: no such key (or a path refused before sending). */
      assert_hostile_path (client, h);
    }
  after = ids_of (client, "v_user", NULL);
  g_assert_cmpstr (after, ==, all);
}

/* A string GVariant holding bytes that are not valid UTF-8 or hold a NUL
 * (GLib trusts serialised data marked trusted). */
static GVariant *
raw_string (const char *bytes, gsize len)
{
  char *copy = g_malloc (len + 1);

  memcpy (copy, bytes, len);
  copy[len] = '\0';
  return g_variant_new_from_data (G_VARIANT_TYPE_STRING, copy, len + 1, TRUE, g_free, copy);
}

static void
assert_rejected (
  FraiseQuery *query, const char *path, FraiseOperator op, GVariant *value, const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fraise_query_add_condition (query, path, op, value, &error));
  assert_error_mentions (error, FRAISE_ERROR_CONFIG, fragment, NULL);
}

static void
test_invalid_values (void)
{
  static const char bad_utf8[] = "ab\xc0'; DROP TABLE tv_user; --";
  static const char with_nul[] = "Am\0' OR true --";
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseQuery) raw = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  GVariant *bad_array[2];
  FraiseOperator string_ops[] = {
    FRAISE_OPERATOR_EQ,          FRAISE_OPERATOR_NE,        FRAISE_OPERATOR_LT,
    FRAISE_OPERATOR_LIKE,        FRAISE_OPERATOR_ILIKE,     FRAISE_OPERATOR_CONTAINS,
    FRAISE_OPERATOR_STARTS_WITH, FRAISE_OPERATOR_ENDS_WITH, FRAISE_OPERATOR_ARRAY_CONTAINS,
    FRAISE_OPERATOR_HAS_KEY,
  };
  guint i;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_user");
  for (i = 0; i < G_N_ELEMENTS (string_ops); i++)
    {
      assert_rejected (query, "name", string_ops[i], raw_string (bad_utf8, sizeof bad_utf8 - 1),
                       "UTF-8");
      assert_rejected (query, "name", string_ops[i], raw_string (with_nul, sizeof with_nul - 1),
                       "NUL");
    }
  bad_array[0] = raw_string ("ok", 2);
  bad_array[1] = raw_string (bad_utf8, sizeof bad_utf8 - 1);
  assert_rejected (query, "name", FRAISE_OPERATOR_IN,
                   g_variant_new_array (G_VARIANT_TYPE_STRING, bad_array, 2), "UTF-8");
  bad_array[0] = raw_string ("ok", 2);
  bad_array[1] = raw_string (with_nul, sizeof with_nul - 1);
  assert_rejected (query, "roles", FRAISE_OPERATOR_ARRAY_OVERLAPS,
                   g_variant_new_array (G_VARIANT_TYPE_STRING, bad_array, 2), "NUL");
  /* Numbers that are no SQL number, and a path that is not UTF-8. */
  assert_rejected (query, "age", FRAISE_OPERATOR_EQ, g_variant_new_double (NAN), "");
  assert_rejected (query, "age", FRAISE_OPERATOR_GT, g_variant_new_double (INFINITY), "");
  assert_rejected (query, "na\xc0me", FRAISE_OPERATOR_EQ, g_variant_new_string ("x"), "UTF-8");

  /* Nothing was added, and the query runs. */
  sql = fraise_query_to_sql (query, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sql, ==, "SELECT data FROM v_user");
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);

  /* Raw SQL is sent as written (as libpq does): the server refuses the
   * bytes, and the client stays usable. */
  raw = fraise_client_query (client, "v_user");
  fraise_query_add_where_sql (raw, "data->>'name' = 'x\xc0'");
  stream = fraise_query_execute_sync (raw, NULL, &error);
  g_assert_null (stream);
  assert_error_mentions (error, FRAISE_ERROR_SERVER, "22021", NULL);
  assert_reusable (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream/pull/sync", test_pull_sync);
  g_test_add_func ("/stream/pull/async", test_pull_async);
  g_test_add_func ("/stream/pull/batch-sync", test_pull_batch_sync);
  g_test_add_func ("/stream/pull/batch-async", test_pull_batch_async);
  g_test_add_func ("/stream/row/json-and-jsonb", test_json_and_jsonb);
  g_test_add_func ("/stream/row/fields", test_row_fields);
  g_test_add_func ("/stream/row/typed", test_row_typed);
  g_test_add_func ("/stream/push/rows", test_push_rows);
  g_test_add_func ("/stream/push/row-signal", test_push_row_signal);
  g_test_add_func ("/stream/result/schema", test_schema_errors);
  g_test_add_func ("/stream/result/null-and-empty", test_null_and_empty);
  g_test_add_func ("/stream/result/notices", test_notices);
  g_test_add_func ("/stream/result/error-mid-stream", test_error_mid_stream);
  g_test_add_func ("/stream/result/missing-relation", test_missing_relation);
  g_test_add_func ("/stream/result/several-statements", test_several_statements);
  g_test_add_func ("/stream/result/busy", test_busy);
  g_test_add_func ("/stream/result/config", test_config_errors);
  g_test_add_func ("/stream/result/max-row-size", test_max_row_size);
  g_test_add_func ("/stream/result/max-memory", test_max_memory);
  g_test_add_func ("/stream/result/filter-func", test_filter_func);
  g_test_add_func ("/stream/flow/backpressure-pull", test_backpressure_pull);
  g_test_add_func ("/stream/flow/backpressure-bytes", test_backpressure_bytes);
  g_test_add_func ("/stream/flow/adaptive-chunking", test_adaptive_chunking);
  g_test_add_func ("/stream/flow/pause-resume", test_pause_resume);
  g_test_add_func ("/stream/flow/pause-timeout-fail", test_pause_timeout_fail);
  g_test_add_func ("/stream/flow/pause-timeout-resume", test_pause_timeout_resume);
  g_test_add_func ("/stream/flow/first-row-latency", test_first_row_latency);
  g_test_add_func ("/stream/cancel/pull", test_cancel_pull);
  g_test_add_func ("/stream/cancel/push", test_cancel_push);
  g_test_add_func ("/stream/cancel/tls", test_cancel_tls);
  g_test_add_func ("/stream/cancel/drop", test_cancel_by_drop);
  g_test_add_func ("/stream/cancel/drop-then-query", test_drop_then_query_at_once);
  g_test_add_func ("/stream/cancel/busy-after-cancel", test_busy_after_cancel);
  g_test_add_func ("/stream/cancel/query-after-cancel-waits", test_query_after_cancel_waits);
  g_test_add_func ("/stream/cancel/execute", test_cancel_execute);
  g_test_add_func ("/stream/cancel/queued", test_cancel_queued);
  g_test_add_func ("/stream/cancel/timeout", test_query_timeout);
  g_test_add_func ("/stream/json-lines/sync", test_input_stream_sync);
  g_test_add_func ("/stream/json-lines/async", test_input_stream_async);
  g_test_add_func ("/stream/json-lines/splice", test_input_stream_splice);
  g_test_add_func ("/stream/json-lines/errors", test_input_stream_errors);
  g_test_add_func ("/stream/sql/conditions", test_conditions);
  g_test_add_func ("/stream/sql/condition-semantics", test_condition_semantics);
  g_test_add_func ("/stream/sql/hostile-values", test_hostile_values);
  g_test_add_func ("/stream/sql/invalid-values", test_invalid_values);

  return g_test_run ();
}
