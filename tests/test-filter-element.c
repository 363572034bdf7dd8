/* test-filter-element.c: the `filter` pipeline element, with no server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Rows for which the expression is true go on, false and unknown ones are
 * dropped, an invalid expression is the element's property error until a
 * valid one replaces it, and a row that is not valid JSON where the
 * expression reads is an error of that row, under the on-error policy.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-test-probe.h"
#include "fraise-test-utils.h"

#include <string.h>

static const char *const documents[] = {
  "{\"id\": 0, \"age\": 34, \"tags\": [\"a\"]}",
  "{\"id\": 1, \"age\": 12}",
  "{\"id\": 2, \"age\": \"40\"}",
  "{\"id\": 3}",
  "{\"id\": 4, \"age\": 40.5, \"tags\": [\"b\", \"a\"]}",
  "{\"id\": 5, \"age\": 18, \"tags\": [1 2]}",
};

static GPtrArray *
rows_of (const char *const *texts, gsize n)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);

  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (rows, fraise_row_new (texts[i], -1, i));
  return rows;
}

static FraisePipeline *
filter_pipeline (const char *expr, FraiseTestProbe **sink)
{
  g_autoptr (GError) error = NULL;
  FraisePipeline *pipeline = fraise_pipeline_new ();
  FraiseElement *filter =
    fraise_registry_make_element (fraise_registry_get_default (), "filter", "f", &error);

  g_assert_no_error (error);
  g_object_set (filter, "expr", expr, NULL);
  *sink = fraise_test_probe_new ("sink", TRUE, PROBE_PASS, 0);
  fraise_pipeline_add (pipeline, filter);
  fraise_pipeline_add (pipeline, FRAISE_ELEMENT (*sink));
  g_object_unref (filter);
  g_object_unref (*sink);
  return pipeline;
}

static char *
kept_ids (FraiseTestProbe *sink)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < sink->rows->len; i++)
    g_string_append_printf (ids, "%s%" G_GUINT64_FORMAT, i > 0 ? "," : "",
                            fraise_row_get_index (g_ptr_array_index (sink->rows, i)));
  return g_string_free (ids, FALSE);
}

static void
test_registered (void)
{
  FraiseElementInfo *info = fraise_registry_lookup (fraise_registry_get_default (), "filter");

  g_assert_nonnull (info);
  g_assert_cmpstr (fraise_element_info_get_long_name (info), ==, "Filter");
  g_assert_cmpstr (fraise_element_info_get_classification (info), ==, "Filter");
  g_assert_cmpstr (fraise_element_info_get_description (info), ==,
                   "Keeps the rows an expression holds true for");
}

/* TRUE goes on; FALSE (12, "40") and UNKNOWN (no age) are dropped. */
static void
test_keeps_true_rows (void)
{
  FraiseTestProbe *sink;
  g_autoptr (FraisePipeline) p = filter_pipeline ("age >= 18 && age < 40.5", &sink);
  g_autoptr (GPtrArray) rows = rows_of (documents, 5);
  g_autoptr (GError) error = NULL;
  g_autofree char *ids = NULL;
  FraiseElement *f = fraise_pipeline_get_by_name (p, "f");

  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  ids = kept_ids (sink);
  g_assert_cmpstr (ids, ==, "0");
  g_assert_cmpuint (fraise_element_get_rows_in (f), ==, 5);
  g_assert_cmpuint (fraise_element_get_rows_out (f), ==, 1);
  g_assert_cmpuint (fraise_element_get_rows_dropped (f), ==, 0);

  /* The expression can change between runs. */
  g_object_set (f, "expr", "tags contains \"a\" || !(age < 18)", NULL);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_clear_pointer (&ids, g_free);
  ids = kept_ids (sink);
  g_assert_cmpstr (ids, ==, "0,0,2,4");
}

/* An invalid expression is kept as the property error; a valid one clears it. */
static void
test_invalid_expression (void)
{
  FraiseTestProbe *sink;
  g_autoptr (FraisePipeline) p = filter_pipeline ("age >== 18", &sink);
  g_autoptr (GPtrArray) rows = rows_of (documents, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) kept = NULL;
  g_autofree char *text = NULL;
  FraiseElement *f = fraise_pipeline_get_by_name (p, "f");
  guint column = 0;

  g_object_get (f, "expr", &text, NULL);
  g_assert_cmpstr (text, ==, "age >== 18");
  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "f: property \"expr\": column 7: "));
  g_clear_error (&error);
  g_assert_cmpuint (sink->rows->len, ==, 0);

  /* The error is the parser's, with its position. */
  kept = _fraise_element_take_property_error (f);
  g_assert_error (kept, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  g_assert_true (fraise_parse_error_get_position (kept, NULL, NULL, &column));
  g_assert_cmpuint (column, ==, 7);

  g_object_set (f, "expr", "age =~ \"(\"", NULL);
  g_object_set (f, "expr", "age >= 18", NULL);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sink->rows->len, ==, 1);
}

static void
test_no_expression (void)
{
  FraiseTestProbe *sink;
  g_autoptr (FraisePipeline) p = filter_pipeline (NULL, &sink);
  g_autoptr (GPtrArray) rows = rows_of (documents, 2);
  g_autoptr (GError) error = NULL;

  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "set the expr property"));
}

/* Row 5 is not valid JSON where `tags contains 2` reads. */
static void
test_invalid_json_row (void)
{
  FraiseTestProbe *sink;
  g_autoptr (FraisePipeline) p = filter_pipeline ("tags contains 2", &sink);
  g_autoptr (GPtrArray) rows = rows_of (documents, G_N_ELEMENTS (documents));
  g_autoptr (GError) error = NULL;
  FraiseElement *f = fraise_pipeline_get_by_name (p, "f");

  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_assert_true (g_str_has_prefix (error->message, "f: invalid JSON at byte "));
  g_assert_true (g_str_has_suffix (error->message, "(row 5)"));
  g_clear_error (&error);

  /* Under on-error=drop the row is dropped and counted, and the run goes on. */
  fraise_element_set_on_error (f, FRAISE_ON_ERROR_DROP);
  g_object_set (f, "expr", "id != 1 && tags contains 2", NULL);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_element_get_rows_dropped (f), ==, 1);
  g_assert_cmpuint (sink->rows->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/filter-element/registered", test_registered);
  g_test_add_func ("/filter-element/keeps-true-rows", test_keeps_true_rows);
  g_test_add_func ("/filter-element/invalid-expression", test_invalid_expression);
  g_test_add_func ("/filter-element/no-expression", test_no_expression);
  g_test_add_func ("/filter-element/invalid-json-row", test_invalid_json_row);
  return g_test_run ();
}
