/* test-row-reader.c: several fields in one scan against one field at a time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A FraiseRowReader reads its paths in one pass; each value (or error) must
 * be the one fraise_row_get_string/int/double/boolean gives for the same
 * path, word for word, on every row of a corpus.
 */

#include "fraise-private.h"

#include <math.h>
#include <string.h>

static const char *const paths[] = {
  "id",   "name",    "address.city", "tags[1]",    "tags[9]",      "score",
  "big",  "active",  "nothing",      "nested.a.b", "empty",        "esc",
  "nope", "address", "tags",         "dup",        "address.nope", NULL,
};

static const char *const rows[] = {
  "{\"id\": 7, \"name\": \"Amélie\", \"address\": {\"city\": \"Lyon\", \"zip\": \"69001\"}, "
  "\"tags\": [\"a\", \"b\"], \"score\": 1.5, \"big\": 123456789012345678901234, "
  "\"active\": true, \"nothing\": null, \"nested\": {\"a\": {\"b\": -3}}, \"empty\": \"\", "
  "\"esc\": \"q\\\"\\u00e9\\n\", \"dup\": 1, \"dup\": 2}",
  "{\"name\": 3, \"id\": \"seven\", \"score\": \"high\", \"active\": 0, \"tags\": {}, "
  "\"address\": [1]}",
  "{\"id\": 1.0, \"big\": -9223372036854775808, \"score\": 1e400, \"esc\": \"bad \\q\"}",
  "[1, 2, 3]",
  "\"just a string\"",
  "null",
  "{\"id\": 1, \"name\": \"unterminated}",
  "{\"id\": 1,, \"name\": \"x\"}",
};

typedef enum {
  AS_STRING,
  AS_INT,
  AS_DOUBLE,
  AS_BOOLEAN
} Getter;

/* Compares one getter both ways: the same value, or the same error. */
static void
check_one (FraiseRowReader *reader, FraiseRow *row, guint i, Getter getter)
{
  g_autoptr (GError) got = NULL;
  g_autoptr (GError) want = NULL;
  const char *path = paths[i];

  switch (getter)
    {
    case AS_STRING:
      {
        g_autofree char *a = fraise_row_reader_dup_string (reader, i, &got);
        g_autofree char *b = fraise_row_get_string (row, path, &want);

        g_assert_cmpstr (a, ==, b);
        break;
      }
    case AS_INT:
      g_assert_cmpint (fraise_row_reader_get_int (reader, i, &got), ==,
                       fraise_row_get_int (row, path, &want));
      break;
    case AS_DOUBLE:
      {
        double a = fraise_row_reader_get_double (reader, i, &got);
        double b = fraise_row_get_double (row, path, &want);

        g_assert_true (a == b || (isnan (a) && isnan (b)));
        break;
      }
    case AS_BOOLEAN:
      g_assert_cmpint (fraise_row_reader_get_boolean (reader, i, &got), ==,
                       fraise_row_get_boolean (row, path, &want));
      break;
    }
  if (want == NULL)
    g_assert_no_error (got);
  else
    {
      g_assert_nonnull (got);
      g_assert_cmpuint (got->domain, ==, want->domain);
      g_assert_cmpint (got->code, ==, want->code);
      g_assert_cmpstr (got->message, ==, want->message);
    }
}

static void
test_same_as_one_field (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseRowReader) reader = fraise_row_reader_new (paths, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (fraise_row_reader_get_n_paths (reader), ==, g_strv_length ((char **) paths));
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_autoptr (FraiseRow) row = fraise_row_new (rows[r], -1, r);
      g_autoptr (GError) read_error = NULL;

      g_test_message ("row %u: %s", r, rows[r]);
      if (!fraise_row_reader_read (reader, row, &read_error))
        {
          /* The one-field accessors refuse the same row (for its first path
           * at least), with the same code. */
          g_autoptr (GError) want = NULL;

          g_assert_error (read_error, FRAISE_ERROR, FRAISE_ERROR_JSON);
          g_free (fraise_row_get_string (row, "name", &want));
          g_assert_error (want, FRAISE_ERROR, FRAISE_ERROR_JSON);
          for (guint i = 0; paths[i] != NULL; i++)
            g_assert_false (fraise_row_reader_has_value (reader, i));
          continue;
        }
      for (guint i = 0; paths[i] != NULL; i++)
        {
          g_assert_cmpint (fraise_row_reader_has_value (reader, i), ==,
                           fraise_row_has_path (row, paths[i]));
          for (Getter g = AS_STRING; g <= AS_BOOLEAN; g++)
            check_one (reader, row, i, g);
        }
    }
}

/* get_variant gives each JSON type its variant type; the reader keeps the
 * row it read alive. */
static void
test_variants (void)
{
  static const char *const value_paths[] = { "s", "i", "d", "b", "n", "o", "a", "big", NULL };
  static const char *const expected[] = {
    "'xé'",        "int64 -4",
    "2.5",         "false",
    "@mv nothing", "{'k': <[<int64 1>, <@mv nothing>]>}",
    "[<true>]",    "1.8446744073709552e+19",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseRowReader) reader = fraise_row_reader_new (value_paths, &error);
  FraiseRow *row = fraise_row_new ("{\"s\": \"x\\u00e9\", \"i\": -4, \"d\": 2.5, \"b\": false, "
                                   "\"n\": null, \"o\": {\"k\": [1, null]}, \"a\": [true], "
                                   "\"big\": 18446744073709551616}",
                                   -1, 3);

  g_assert_no_error (error);
  g_assert_true (fraise_row_reader_read (reader, row, &error));
  fraise_row_unref (row); /* the reader holds it */
  for (guint i = 0; value_paths[i] != NULL; i++)
    {
      g_autoptr (GVariant) v = fraise_row_reader_get_variant (reader, i, &error);
      g_autofree char *printed = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (v);
      printed = g_variant_print (v, TRUE);
      g_assert_cmpstr (printed, ==, expected[i]);
    }
}

static void
test_bad_path (void)
{
  static const char *const bad[] = { "a", "b..c", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) want = NULL;
  g_autoptr (FraiseRow) row = fraise_row_new ("{}", -1, 0);
  FraiseRowReader *reader = fraise_row_reader_new (bad, &error);

  g_assert_null (reader);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_free (fraise_row_get_string (row, "b..c", &want));
  g_assert_error (want, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/row-reader/same-as-one-field", test_same_as_one_field);
  g_test_add_func ("/row-reader/variants", test_variants);
  g_test_add_func ("/row-reader/bad-path", test_bad_path);
  return g_test_run ();
}
