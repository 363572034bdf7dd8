/* test-filter.c: fraise_query_set_filter() against a real server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Rows the expression does not hold true for are dropped and counted in
 * rows-filtered; the expression and a filter function both apply; an
 * invalid expression leaves the previous filter in place; and a row that is
 * not valid JSON where the expression reads fails the stream with
 * FRAISE_ERROR_JSON naming the row.
 *
 * A real server only sends valid JSON in a json column, so the last test
 * makes it send invalid text: as the superuser (through psql) it declares
 * a function returning json with the text input function, which skips
 * json's validation, and a view of rows made with it.
 */

#include "fraise-test-utils.h"

#include <string.h>

#define SUPERUSER_URI_ENV "FRAISE_TEST_SUPERUSER_URI"

static GPtrArray *
pull_all (FraiseQuery *query, FraiseStream **stream_out, GError **error)
{
  g_autoptr(FraiseStream) stream = fraise_query_execute_sync (query, NULL, error);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  FraiseRow *row;

  if (stream == NULL)
    return rows;
  while ((row = fraise_stream_next_sync (stream, NULL, error)) != NULL)
    g_ptr_array_add (rows, row);
  if (stream_out != NULL)
    *stream_out = g_steal_pointer (&stream);
  return rows;
}

/* The last three characters of each row's id, comma-separated. */
static char *
row_ids (GPtrArray *rows)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *id = fraise_row_get_string (g_ptr_array_index (rows, i), "id", NULL);

      g_assert_nonnull (id);
      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", id + strlen (id) - 3);
    }
  return g_string_free (ids, FALSE);
}

static char *
filtered_ids (FraiseQuery *query, guint64 *n_filtered)
{
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = pull_all (query, &stream, &error);
  g_assert_no_error (error);
  stats = fraise_stream_get_stats (stream);
  g_assert_cmpuint (stats->rows_received, ==, stats->rows_delivered + stats->rows_filtered);
  *n_filtered = stats->rows_filtered;
  return row_ids (rows);
}

/* v_project: 101, 103 and 105 are active; 102 and 104 are not. */
static void
test_filter_rows (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *active = NULL;
  g_autofree char *tagged = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *all = NULL;
  guint64 filtered = 0;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_project");
  g_assert_true (fraise_query_set_filter (query, "status == \"active\"", &error));
  g_assert_no_error (error);
  active = filtered_ids (query, &filtered);
  g_assert_cmpstr (active, ==, "101,103,105");
  g_assert_cmpuint (filtered, ==, 2);

  /* An invalid expression: a positioned error, and the previous filter stays. */
  g_assert_false (fraise_query_set_filter (query, "status = \"active\"", &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "column 8: "));
  g_clear_error (&error);
  kept = filtered_ids (query, &filtered);
  g_assert_cmpstr (kept, ==, "101,103,105");

  /* A missing field is unknown: the row is dropped, and counted. */
  g_assert_true (fraise_query_set_filter (query, "!(no_such_field == 1)", &error));
  tagged = filtered_ids (query, &filtered);
  g_assert_cmpstr (tagged, ==, "");
  g_assert_cmpuint (filtered, ==, 5);

  g_assert_true (fraise_query_set_filter (query, NULL, &error));
  all = filtered_ids (query, &filtered);
  g_assert_cmpstr (all, ==, "101,102,103,104,105");
  g_assert_cmpuint (filtered, ==, 0);
}

static gboolean
not_105 (FraiseRow *row, gpointer user_data)
{
  g_autofree char *id = fraise_row_get_string (row, "id", NULL);

  (*(guint *) user_data)++;
  return !g_str_has_suffix (id, "105");
}

/* Both apply; the function only sees the rows the expression kept. */
static void
test_filter_and_function (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  guint64 filtered = 0;
  guint calls = 0;

  if (client == NULL)
    return;
  query = fraise_client_query (client, "v_project");
  fraise_query_set_filter_func (query, not_105, &calls, NULL);
  g_assert_true (fraise_query_set_filter (query, "status == \"active\"", &error));
  ids = filtered_ids (query, &filtered);
  g_assert_cmpstr (ids, ==, "101,103");
  g_assert_cmpuint (filtered, ==, 3);
  g_assert_cmpuint (calls, ==, 3);
}

static const char raw_rows_sql[] =
  "CREATE OR REPLACE FUNCTION fraise_test_raw_json (cstring) RETURNS json "
  "  AS 'textin' LANGUAGE internal IMMUTABLE STRICT;"
  "CREATE OR REPLACE VIEW v_filter_raw AS "
  "  SELECT fraise_test_raw_json (textout (t)) AS data FROM (VALUES "
  "    (0, '{\"a\": 1}'), (1, '{\"a\": 2}'), (2, '{\"a\": 5, \"z\": {\"x\": [1 2]}}'), "
  "    (3, '{\"a\": tru}'), (4, '{\"a\": 1}')) AS v (n, t) ORDER BY n;"
  "GRANT SELECT ON v_filter_raw TO PUBLIC;";

/* Row 2 is invalid only where the expression does not read; row 3 is
 * invalid where it does: the stream fails there, naming row 3. */
static void
test_filter_invalid_json_row (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *admin_uri;
  FraiseRow *row;

  if (client == NULL)
    return;
  if ((admin_uri = fraise_test_get_uri (SUPERUSER_URI_ENV)) == NULL)
    return;
  fraise_test_psql (admin_uri, raw_rows_sql, NULL);

  /* Without a filter the rows arrive as the server sent them. */
  query = fraise_client_query (client, "v_filter_raw");
  rows = pull_all (query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_assert_true (fraise_query_set_filter (query, "a == 1 || a > 4", &error));
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    g_ptr_array_add (rows, row);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_assert_true (g_str_has_prefix (error->message, "row 3: invalid JSON at byte "));
  for (guint i = 0; i < rows->len; i++) /* rows before the bad one, never after it */
    g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (rows, i)), <, 3);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_FAILED);
}

static FraiseElement *
make (const char *factory, const char *property, const char *value)
{
  g_autoptr(GError) error = NULL;
  FraiseElement *element =
    fraise_registry_make_element (fraise_registry_get_default (), factory, factory, &error);

  g_assert_no_error (error);
  if (property != NULL)
    g_object_set (element, property, value, NULL);
  return element;
}

/* Adds @element to @pipeline, which holds it from then on. */
static FraiseElement *
add (FraisePipeline *pipeline, FraiseElement *element)
{
  fraise_pipeline_add (pipeline, element);
  g_object_unref (element);
  return element;
}

/* The `filter` element on a query's rows: the same rows as set_filter, and
 * the same row error, named by the element. */
static void
test_filter_element (void)
{
  g_autoptr(FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr(FraisePipeline) p = fraise_pipeline_new ();
  g_autoptr(GError) error = NULL;
  FraiseElement *filter;
  const char *admin_uri;

  if (client == NULL)
    return;
  if ((admin_uri = fraise_test_get_uri (SUPERUSER_URI_ENV)) == NULL)
    return;
  add (p, make ("query", "source", "v_project"));
  filter = add (p, make ("filter", "expr", "status == \"active\""));
  add (p, make ("count-sink", NULL, NULL));
  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);
  /* Pushed down: the server sends the 3 active rows only. */
  g_assert_cmpuint (fraise_element_get_rows_in (filter), ==, 3);
  g_assert_cmpuint (fraise_element_get_rows_out (filter), ==, 3);
  /* On the client, the same rows out of the 5. */
  g_object_set (filter, "push-down", FALSE, NULL);
  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_element_get_rows_in (filter), ==, 5);
  g_assert_cmpuint (fraise_element_get_rows_out (filter), ==, 3);
  g_object_set (filter, "push-down", TRUE, NULL);

  fraise_test_psql (admin_uri, raw_rows_sql, NULL);
  g_object_set (fraise_pipeline_get_by_name (p, "query"), "source", "v_filter_raw", NULL);
  g_object_set (filter, "expr", "a == 1 || a > 4", NULL);
  g_assert_false (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_assert_true (g_str_has_prefix (error->message, "filter: invalid JSON at byte "));
  g_assert_true (g_str_has_suffix (error->message, "(row 3)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/filter/rows", test_filter_rows);
  g_test_add_func ("/filter/and-function", test_filter_and_function);
  g_test_add_func ("/filter/invalid-json-row", test_filter_invalid_json_row);
  g_test_add_func ("/filter/element", test_filter_element);
  return g_test_run ();
}
