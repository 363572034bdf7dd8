/* test-query.c: FraiseQuery settings: one policy for invalid values
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A setter refuses a value out of its range with a FRAISE_ERROR_CONFIG that
 * to_sql() and execution report, the query keeps its previous value, and a
 * valid value given later clears the error. Property ranges are exactly what
 * the setters accept. No server is needed.
 */

#include "fraise-test-utils.h"

#include <string.h>

static void
assert_sql_ok (FraiseQuery *query, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = fraise_query_to_sql (query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sql);
  if (fragment != NULL && strstr (sql, fragment) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", sql, fragment);
}

static void
assert_sql_refused (FraiseQuery *query, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = fraise_query_to_sql (query, &error);

  g_assert_null (sql);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", error->message, fragment);
}

/* set_limit (-5) then set_limit (10): the second value wins. */
static void
test_errors_not_sticky (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("v_user");
  gint64 limit = 0;

  fraise_query_set_limit (query, -5);
  assert_sql_refused (query, "invalid limit -5");
  g_object_get (query, "limit", &limit, NULL);
  g_assert_cmpint (limit, ==, -1); /* the refused value was not stored */
  fraise_query_set_limit (query, 10);
  assert_sql_ok (query, "LIMIT 10");

  fraise_query_set_offset (query, -2);
  assert_sql_refused (query, "invalid offset -2");
  fraise_query_set_offset (query, 3);
  assert_sql_ok (query, "OFFSET 3");

  fraise_query_set_max_memory (query, 0);
  assert_sql_refused (query, "max-memory");
  fraise_query_set_max_memory (query, 1024);
  assert_sql_ok (query, NULL);

  fraise_query_set_max_row_size (query, 0);
  assert_sql_refused (query, "max-row-size");
  fraise_query_set_max_row_size (query, (guint64) 2 << 30);
  assert_sql_refused (query, "max-row-size");
  fraise_query_set_max_row_size (query, 4096);
  assert_sql_ok (query, NULL);

  fraise_query_set_chunk_size (query, 0);
  assert_sql_refused (query, "chunk-size");
  g_assert_cmpuint (fraise_query_get_chunk_size (query), ==, 256);
  fraise_query_set_chunk_size (query, 16);
  assert_sql_ok (query, NULL);
  g_assert_cmpuint (fraise_query_get_chunk_size (query), ==, 16);
}

/* Two invalid settings: each must be fixed before the query runs. */
static void
test_errors_per_setting (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("v_user");

  fraise_query_set_limit (query, -5);
  fraise_query_set_chunk_size (query, 0);
  fraise_query_set_limit (query, 1);
  assert_sql_refused (query, "chunk-size");
  fraise_query_set_chunk_size (query, 1);
  assert_sql_ok (query, "LIMIT 1");
}

/* Execution reports the same error, before it needs a client. */
static void
test_execute_reports_settings (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("v_user");
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseStream) stream = NULL;

  fraise_query_set_chunk_size (query, 0);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "chunk-size"));
  g_clear_error (&error);

  fraise_query_set_chunk_size (query, 8);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "no client"));
}

typedef struct {
  const char *property;
  gint64 below; /* the first value below the range, if representable */
  gboolean has_below;
  guint64 above; /* the first value above the range, if representable */
  gboolean has_above;
} RangeCase;

static void
set_number (FraiseQuery *query, GParamSpec *pspec, gint64 value)
{
  if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      const char *name = g_param_spec_get_name (pspec);

      if (g_str_equal (name, "chunk-size"))
        fraise_query_set_chunk_size (query, (guint) value);
      else
        fraise_query_set_timeout (query, (guint) value);
    }
  else if (G_IS_PARAM_SPEC_UINT64 (pspec))
    {
      if (g_str_equal (g_param_spec_get_name (pspec), "max-memory"))
        fraise_query_set_max_memory (query, (guint64) value);
      else
        fraise_query_set_max_row_size (query, (guint64) value);
    }
  else if (g_str_equal (g_param_spec_get_name (pspec), "limit"))
    fraise_query_set_limit (query, value);
  else
    fraise_query_set_offset (query, value);
}

static gboolean
accepted (GParamSpec *pspec, gint64 value)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("v_user");
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  set_number (query, pspec, value);
  sql = fraise_query_to_sql (query, &error);
  return sql != NULL;
}

/* Each numeric property's minimum and maximum are accepted by its setter,
 * and the values just outside are refused. */
static void
test_property_ranges (void)
{
  static const char *const names[] = {
    "chunk-size", "max-memory", "max-row-size", "limit", "offset", "timeout",
  };
  GObjectClass *klass = g_type_class_ref (FRAISE_TYPE_QUERY);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, names[i]);
      gint64 min, max;

      g_test_message ("%s", names[i]);
      g_assert_nonnull (pspec);
      if (G_IS_PARAM_SPEC_UINT (pspec))
        {
          min = G_PARAM_SPEC_UINT (pspec)->minimum;
          max = G_PARAM_SPEC_UINT (pspec)->maximum;
          g_assert_true (accepted (pspec, min));
          g_assert_true (accepted (pspec, max));
          if (min > 0)
            g_assert_false (accepted (pspec, min - 1));
          if ((guint64) max < G_MAXUINT)
            g_assert_false (accepted (pspec, max + 1));
        }
      else if (G_IS_PARAM_SPEC_UINT64 (pspec))
        {
          guint64 umax = G_PARAM_SPEC_UINT64 (pspec)->maximum;

          min = (gint64) G_PARAM_SPEC_UINT64 (pspec)->minimum;
          g_assert_true (accepted (pspec, min));
          if (umax <= G_MAXINT64)
            g_assert_true (accepted (pspec, (gint64) umax));
          if (min > 0)
            g_assert_false (accepted (pspec, min - 1));
          if (umax < G_MAXINT64)
            g_assert_false (accepted (pspec, (gint64) umax + 1));
        }
      else
        {
          g_assert_true (G_IS_PARAM_SPEC_INT64 (pspec));
          min = G_PARAM_SPEC_INT64 (pspec)->minimum;
          max = G_PARAM_SPEC_INT64 (pspec)->maximum;
          g_assert_true (accepted (pspec, min));
          g_assert_true (accepted (pspec, max));
          g_assert_false (accepted (pspec, min - 1));
        }
    }
  g_type_class_unref (klass);
}

/* The property refuses what the setter refuses: chunk-size 0 is out of the
 * property's range, so g_object_set() never stores it. */
static void
test_property_refuses_zero_chunk (void)
{
  GObjectClass *klass = g_type_class_ref (FRAISE_TYPE_QUERY);
  GParamSpec *pspec = g_object_class_find_property (klass, "chunk-size");
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, 0);
  g_assert_true (g_param_value_validate (pspec, &value)); /* 0 had to be changed */
  g_assert_cmpuint (g_value_get_uint (&value), ==, 1);
  g_type_class_unref (klass);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/query/settings/errors-not-sticky", test_errors_not_sticky);
  g_test_add_func ("/query/settings/errors-per-setting", test_errors_per_setting);
  g_test_add_func ("/query/settings/execute-reports", test_execute_reports_settings);
  g_test_add_func ("/query/settings/property-ranges", test_property_ranges);
  g_test_add_func ("/query/settings/property-refuses-zero-chunk", test_property_refuses_zero_chunk);
  return g_test_run ();
}
