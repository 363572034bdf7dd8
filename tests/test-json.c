/* test-json.c: the JSON parser and the path lookup scanner
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"
#include "fraise-json-private.h"

#include <math.h>
#include <string.h>

/* A realistic entity row, as PostgreSQL prints jsonb. */
static const char entity_json[] =
  "{\"id\": \"3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60\", \"age\": 34, \"name\": \"Zoë Dupont\", "
  "\"tags\": [\"admin\", \"beta\", \"fr\"], \"email\": \"zoe.dupont@example.com\", "
  "\"score\": 98.25, \"status\": \"active\", \"address\": {\"city\": \"Paris\", "
  "\"street\": \"12 rue de la Paix\", \"country\": \"FR\", \"postal_code\": \"75002\"}, "
  "\"verified\": true, \"manager_id\": null, \"created_at\": \"2024-03-15T10:22:31.123456+00:00\", "
  "\"login_count\": 1287, \"preferences\": {\"theme\": \"dark\", \"notifications\": "
  "{\"sms\": false, \"email\": true}}}";

static const char *const realistic_docs[] = {
  entity_json,
  "{\"id\":1,\"title\":\"Caf\\u00e9 \\\"Le Zinc\\\"\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2,"
  "\"price\":9.5},{\"sku\":\"B-2\",\"qty\":1,\"price\":120.0}],\"notes\":\"line1\\nline2\\ttab\","
  "\"empty_obj\":{},\"empty_arr\":[],\"nested\":[[1,2],[3,[4,[5]]]],\"neg\":-42,\"frac\":-0.125,"
  "\"exp\":1.5e3,\"big_exp\":2E-5,\"zero\":0,\"flag\":false,\"nothing\":null}",
  "[{\"名前\": \"日本語テキスト\", \"ключ\": \"значение\", \"emoji\": \"é à ü ß\"}, 1, \"two\", "
  "[true, false, null], {\"a\": {\"b\": {\"c\": {\"d\": [0, -1, 2.5]}}}}]",
  "  {\"path\": \"C:\\\\Users\\\\x\", \"url\": \"http:\\/\\/example.com\\/a\", "
  "\"ctl\": \"\\b\\f\\r\", \"max\": 9223372036854775807, \"min\": -9223372036854775808}  \n",
  "\"just a string\"",
  "[]",
  "{}",
  "-3.75",
};

/* ---- helpers ----------------------------------------------------------------- */

/* Copies @len bytes into a buffer of exactly that size (no NUL after it), so
 * AddressSanitizer reports any read past the end. NULL when @len is 0. */
static char *
exact_copy (const char *text, gsize len)
{
  return len > 0 ? g_memdup2 (text, len) : NULL;
}

static JsonNode *
parse_exact (const char *text, gsize len, guint max_depth, GError **error)
{
  char *copy = exact_copy (text, len);
  JsonNode *node = fraise_json_parse (copy, len, max_depth, error);

  g_free (copy);
  return node;
}

static JsonNode *
parse_ok (const char *text)
{
  GError *error = NULL;
  JsonNode *node = parse_exact (text, strlen (text), 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (json_node_is_immutable (node));
  return node;
}

/* Asserts a JSON error, and returns its message (to free). */
static char *
parse_fails (const char *text, gsize len, guint max_depth)
{
  GError *error = NULL;
  JsonNode *node = parse_exact (text, len, max_depth, &error);
  char *message;

  g_assert_null (node);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  message = g_strdup (error->message);
  g_error_free (error);
  return message;
}

static gboolean
lookup (const char *text, const char *path, FraiseJsonValue *value, GError **error)
{
  return fraise_json_lookup (text, strlen (text), path, value, error);
}

static void
assert_lookup_missing (const char *text, const char *path)
{
  FraiseJsonValue value;
  GError *error = NULL;

  g_assert_false (lookup (text, path, &value, &error));
  g_assert_no_error (error);
}

static void
assert_lookup_span (const char *text, const char *path, FraiseJsonType type, const char *span)
{
  FraiseJsonValue value;
  GError *error = NULL;

  g_assert_true (lookup (text, path, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value.type, ==, type);
  g_assert_cmpmem (value.start, value.len, span, strlen (span));
}

static char *
lookup_string (const char *text, const char *path)
{
  FraiseJsonValue value;
  GError *error = NULL;
  char *s;

  g_assert_true (lookup (text, path, &value, &error));
  g_assert_no_error (error);
  s = fraise_json_value_dup_string (&value, &error);
  g_assert_no_error (error);
  return s;
}

/* ---- conformance ---------------------------------------------------------------- */

static const char *const valid_docs[] = {
  "[]",
  "{}",
  "0",
  "-0",
  "1",
  "-1",
  "1.5",
  "-1.5e10",
  "1E+2",
  "1e-2",
  "0.0",
  "-0.0e-0",
  "\"\"",
  "\"abc\"",
  "true",
  "false",
  "null",
  " [ 1 , 2 ] ",
  "\t\n\r[]\n\r\t ",
  "[[[]]]",
  "{\"a\":{\"b\":[1,{\"c\":null}]}}",
  "\"\\u0041\"",
  "\"\\/\"",
  "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
  "\"\x7f\"",
  "{\"\":1}",
  "\"\xc3\xa9\"",
  "\"\xf0\x9f\x98\x80\"",
  "\"\xe2\x82\xac\"",
  "\"\xf4\x8f\xbf\xbf\"",
  "[1e1,2E-1,3e+1]",
  "[1,[2,[3]]]",
  "9223372036854775807",
  "-9223372036854775808",
  "123456789012345678901234567890",
  "{\"a\":[],\"b\":{},\"c\":\"\"}",
  "[\"\\uD834\\uDD1E\"]",
  "1e999",
  "[null,true,false]",
};

static void
test_parse_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_docs); i++)
    {
      char *escaped = g_strescape (valid_docs[i], NULL);

      g_test_message ("valid: %s", escaped);
      g_free (escaped);
      json_node_unref (parse_ok (valid_docs[i]));
    }
}

typedef struct {
  const char *text;
  gssize len;  /* -1: strlen */
  gssize byte; /* expected offset in the message, -1: not checked */
} InvalidCase;

static const InvalidCase invalid_docs[] = {
  { "", -1, 0 },
  { "   ", -1, 3 },
  { "[1,]", -1, 3 },
  { "{\"a\":}", -1, 5 },
  { "01", -1, 1 },
  { "-01", -1, 2 },
  { "[01]", -1, 2 },
  { "1.", -1, 2 },
  { "1.e5", -1, 2 },
  { ".5", -1, 0 },
  { "1e", -1, 2 },
  { "1e+", -1, 3 },
  { "1E-x", -1, 3 },
  { "-", -1, 1 },
  { "--1", -1, 1 },
  { "+1", -1, 0 },
  { "0x10", -1, 1 },
  { "\"\\x\"", -1, 1 },
  { "\"\\u12\"", -1, 1 },
  { "\"\\u12G4\"", -1, 1 },
  { "\"\\", -1, 2 },
  { "\"abc", -1, 4 },
  { "[1] x", -1, 4 },
  { "[1]]", -1, 3 },
  { "1 2", -1, 2 },
  { "{\"a\" 1}", -1, 5 },
  { "{\"a\":1,}", -1, 7 },
  { "{\"a\":1 \"b\":2}", -1, 7 },
  { "{1:2}", -1, 1 },
  { "{'a':1}", -1, 1 },
  { "{\"a\":1]", -1, 6 },
  { "[1}", -1, 2 },
  { "[1 2]", -1, 3 },
  { "[1,,2]", -1, 3 },
  { "[,1]", -1, 1 },
  { "NaN", -1, 0 },
  { "nan", -1, 0 },
  { "Infinity", -1, 0 },
  { "-Infinity", -1, 1 },
  { "nul", -1, 3 },
  { "tru", -1, 3 },
  { "truex", -1, 4 },
  { "True", -1, 0 },
  { "[", -1, 1 },
  { "{", -1, 1 },
  { "]", -1, 0 },
  { "}", -1, 0 },
  { "\"\t\"", -1, 1 },
  { "\"\x01\"", -1, 1 },
  { "\"a\nb\"", -1, 2 },
  { "\"\xc3\"", -1, 1 }, /* truncated sequence */
  { "\"\xc3\"x", -1, 1 },
  { "\"\xc0\xaf\"", -1, 1 },         /* overlong */
  { "\"\xe0\x80\xaf\"", -1, 1 },     /* overlong */
  { "\"\xed\xa0\x80\"", -1, 1 },     /* encoded surrogate */
  { "\"\xf4\x90\x80\x80\"", -1, 1 }, /* above U+10FFFF */
  { "\"\xff\"", -1, 1 },
  { "\"\x80\"", -1, 1 },
  { "\xef\xbb\xbf[]", -1, 0 }, /* byte order mark */
  { "[1]\0", 4, 3 },           /* NUL after the value */
  { "\"a\0b\"", 5, 2 },        /* NUL inside a string */
  { "[\"a\",]", -1, 5 },
  { "{\"a\":1}{}", -1, 7 },
  { "\"\\u00e9", -1, 7 },
  { "[1.5e]", -1, 5 },
};

static void
test_parse_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_docs); i++)
    {
      const InvalidCase *c = &invalid_docs[i];
      gsize len = c->len < 0 ? strlen (c->text) : (gsize) c->len;
      char *message, *escaped;

      escaped = g_strescape (c->text, NULL);
      g_test_message ("invalid #%zu: %s", i, escaped);
      g_free (escaped);
      message = parse_fails (c->text, len, 0);
      g_test_message ("  -> %s", message);
      g_assert_true (g_str_has_prefix (message, "invalid JSON at byte "));
      if (c->byte >= 0)
        {
          char *prefix = g_strdup_printf ("invalid JSON at byte %zd: ", c->byte);

          g_assert_true (g_str_has_prefix (message, prefix));
          g_free (prefix);
        }
      g_free (message);
    }
}

static void
test_parse_messages (void)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "01", "invalid JSON at byte 1: leading zeros are not allowed" },
    { "[1] x", "invalid JSON at byte 4: unexpected character after the JSON value" },
    { "[1", "invalid JSON at byte 2: unexpected end of input" },
    { "\"\\q\"", "invalid JSON at byte 1: invalid escape sequence" },
    { "[1,]", "invalid JSON at byte 3: expected a value" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *message = parse_fails (cases[i].text, strlen (cases[i].text), 0);

      g_assert_cmpstr (message, ==, cases[i].message);
      g_free (message);
    }
}

/* Every strict prefix of a container document is invalid and must fail
 * cleanly (no read past the end: the prefix is copied to an exact buffer). */
static void
test_parse_prefixes (void)
{
  for (gsize d = 0; d < G_N_ELEMENTS (realistic_docs); d++)
    {
      const char *doc = realistic_docs[d];
      gsize len = strlen (doc);

      /* Documents whose value is a number have valid prefixes. */
      if (doc[strspn (doc, " ")] != '{' && doc[strspn (doc, " ")] != '[' &&
          doc[strspn (doc, " ")] != '"')
        continue;
      /* Trailing whitespace makes the last prefixes valid: stop before it. */
      while (len > 0 && g_ascii_isspace (doc[len - 1]))
        len--;
      for (gsize n = 0; n < len; n++)
        g_free (parse_fails (doc, n, 0));
      json_node_unref (parse_exact (doc, len, 0, NULL));
    }
}

/* ---- nesting ---------------------------------------------------------------------- */

static char *
nested (const char *open, const char *inner, const char *close, guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_parse_depth (void)
{
  char *deep = g_strnfill (100000, '[');
  char *message;
  char *ok, *too_deep;
  JsonNode *node;

  /* 100000 '[': an error, no stack overflow. */
  message = parse_fails (deep, 100000, 512);
  g_assert_cmpstr (message, ==, "JSON nesting depth exceeds 512 (at byte 512)");
  g_free (message);
  /* The limit is clamped, and the parser does not recurse anyway. */
  g_free (parse_fails (deep, 100000, G_MAXUINT));
  g_free (deep);

  ok = nested ("[", "1", "]", 512);
  too_deep = nested ("[", "1", "]", 513);
  node = parse_exact (ok, strlen (ok), 512, NULL);
  g_assert_nonnull (node);
  json_node_unref (node);
  message = parse_fails (too_deep, strlen (too_deep), 512);
  g_assert_true (g_str_has_prefix (message, "JSON nesting depth exceeds 512"));
  g_free (message);
  /* 0 means the default (512). */
  node = parse_exact (ok, strlen (ok), 0, NULL);
  g_assert_nonnull (node);
  json_node_unref (node);
  g_free (parse_fails (too_deep, strlen (too_deep), 0));
  g_free (parse_fails (ok, strlen (ok), 511));
  g_free (ok);
  g_free (too_deep);

  ok = nested ("{\"a\":", "{}", "}", 511);
  too_deep = nested ("{\"a\":", "{}", "}", 512);
  node = parse_exact (ok, strlen (ok), 512, NULL);
  g_assert_nonnull (node);
  json_node_unref (node);
  g_free (parse_fails (too_deep, strlen (too_deep), 512));
  g_free (ok);
  g_free (too_deep);
}

static void
test_lookup_depth (void)
{
  char *ok = nested ("[", "1", "]", 512);
  char *too_deep = nested ("[", "1", "]", 513);
  char *deep = g_strnfill (100000, '[');
  char *doc;
  FraiseJsonValue value;
  GError *error = NULL;

  g_assert_true (lookup (ok, "", &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value.type, ==, FRAISE_JSON_TYPE_ARRAY);
  g_assert_cmpuint (value.len, ==, strlen (ok));

  g_assert_false (lookup (too_deep, "", &value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_assert_true (g_str_has_prefix (error->message, "JSON nesting depth exceeds 512"));
  g_clear_error (&error);

  g_assert_false (lookup (deep, "[0][0][0]", &value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);

  /* Skipped containers count too. */
  doc = g_strconcat ("{\"skip\":", too_deep, ",\"a\":1}", NULL);
  g_assert_false (lookup (doc, "a", &value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);
  g_assert_true (fraise_json_lookup_full (doc, strlen (doc), "a", 1000, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (value.start, value.len, "1", 1);
  g_free (doc);

  /* Navigation steps count. */
  g_assert_true (fraise_json_lookup_full ("[[[1]]]", 7, "[0][0][0]", 3, &value, &error));
  g_assert_no_error (error);
  g_assert_false (fraise_json_lookup_full ("[[[1]]]", 7, "[0][0][0]", 2, &value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);

  g_free (ok);
  g_free (too_deep);
  g_free (deep);
}

/* ---- values ---------------------------------------------------------------------- */

static void
assert_int (const char *text, gint64 expected)
{
  JsonNode *node = parse_ok (text);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
  json_node_unref (node);
}

static void
assert_double (const char *text, double expected)
{
  JsonNode *node = parse_ok (text);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, expected);
  json_node_unref (node);
}

static void
test_parse_numbers (void)
{
  assert_int ("0", 0);
  assert_int ("-0", 0);
  assert_int ("42", 42);
  assert_int ("-42", -42);
  assert_int ("9223372036854775807", G_MAXINT64);
  assert_int ("-9223372036854775808", G_MININT64);
  assert_int ("1000000000000000000", G_GINT64_CONSTANT (1000000000000000000));
  assert_double ("9223372036854775808", 9223372036854775808.0);
  assert_double ("-9223372036854775809", -9223372036854775809.0);
  assert_double ("18446744073709551616", 18446744073709551616.0);
  assert_double ("12345678901234567890123", 12345678901234567890123.0);
  assert_double ("1.5", 1.5);
  assert_double ("-0.125", -0.125);
  assert_double ("1E2", 100.0);
  assert_double ("1e-2", 0.01);
  assert_double ("2.5e+3", 2500.0);
  assert_double ("1.0", 1.0);
  assert_double ("0.30000000000000004", 0.30000000000000004);
  assert_double ("1e999", INFINITY);
  assert_double ("-1e999", -INFINITY);
  assert_double ("1e-999", 0.0);
  assert_double ("3.14159265358979323846264338327950288419716939937510582097494459230781640628",
                 3.14159265358979323846);
}

/* Decimal conversion agrees with g_ascii_strtod() (correctly rounded) on
 * random numbers, in the tree and through the lookup accessors. */
static void
test_parse_doubles (void)
{
  const char *fixed[] = { "0.1",
                          "1e22",
                          "1e23",
                          "-1e-22",
                          "9007199254740993.0",
                          "9007199254740992.5",
                          "4.35",
                          "1.7976931348623157e308",
                          "4.9e-324",
                          "2.2250738585072014e-308",
                          "123456789012345.678",
                          "0.000000000000000000000000001",
                          "1e0",
                          "1E-0",
                          "-0.0" };
  GRand *rand = g_rand_new_with_seed (4242);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 100000 + G_N_ELEMENTS (fixed); i++)
    {
      FraiseJsonValue value;
      JsonNode *node;
      double expected, got;

      g_string_truncate (s, 0);
      if (i < G_N_ELEMENTS (fixed))
        g_string_append (s, fixed[i]);
      else
        {
          guint int_digits = (guint) g_rand_int_range (rand, 1, 21);

          if (g_rand_boolean (rand))
            g_string_append_c (s, '-');
          g_string_append_c (s, (char) ('1' + g_rand_int_range (rand, 0, 9)));
          for (guint d = 1; d < int_digits; d++)
            g_string_append_c (s, (char) ('0' + g_rand_int_range (rand, 0, 10)));
          g_string_append_c (s, '.');
          for (guint d = (guint) g_rand_int_range (rand, 1, 21); d > 0; d--)
            g_string_append_c (s, (char) ('0' + g_rand_int_range (rand, 0, 10)));
          if (g_rand_boolean (rand))
            g_string_append_printf (s, "e%d", g_rand_int_range (rand, -40, 41));
        }
      expected = g_ascii_strtod (s->str, NULL);

      node = parse_ok (s->str);
      got = json_node_get_double (node);
      if (memcmp (&got, &expected, sizeof got) != 0)
        g_error ("%s: parsed %.17g, expected %.17g", s->str, got, expected);
      json_node_unref (node);

      g_assert_true (lookup (s->str, "", &value, NULL));
      g_assert_true (fraise_json_value_get_double (&value, &got, NULL));
      g_assert_true (memcmp (&got, &expected, sizeof got) == 0);
    }
  g_string_free (s, TRUE);
  g_rand_free (rand);
}

static void
test_number_text (void)
{
  const char *doc =
    "{\"big\": 12345678901234567890123, \"pi\": 3.14159265358979323846264338327950288,"
    " \"n\": [1, -0.0, 1E+400], \"s\": \"12\", \"x\": null}";
  GError *error = NULL;
  JsonNode *node = parse_ok (doc);
  JsonObject *object = json_node_get_object (node);
  char *text;

  /* The node holds a double; the text stays exact. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "big")), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (object, "big"), ==, 1.2345678901234568e22);
  json_node_unref (node);

  text = fraise_json_get_number_text (doc, strlen (doc), "big", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "12345678901234567890123");
  g_free (text);
  text = fraise_json_get_number_text (doc, strlen (doc), "pi", &error);
  g_assert_cmpstr (text, ==, "3.14159265358979323846264338327950288");
  g_free (text);
  text = fraise_json_get_number_text (doc, strlen (doc), "n[1]", &error);
  g_assert_cmpstr (text, ==, "-0.0");
  g_free (text);
  text = fraise_json_get_number_text (doc, strlen (doc), "n[2]", &error);
  g_assert_cmpstr (text, ==, "1E+400");
  g_free (text);
  text = fraise_json_get_number_text ("  -7 ", 5, "", &error);
  g_assert_cmpstr (text, ==, "-7");
  g_free (text);
  g_assert_no_error (error);

  g_assert_null (fraise_json_get_number_text (doc, strlen (doc), "s", &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_clear_error (&error);
  g_assert_null (fraise_json_get_number_text (doc, strlen (doc), "x", &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_clear_error (&error);
  g_assert_null (fraise_json_get_number_text (doc, strlen (doc), "missing", &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);
  g_assert_null (fraise_json_get_number_text ("{\"a\": 01}", 9, "a", &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);
  g_assert_null (fraise_json_get_number_text (doc, strlen (doc), "a..b", &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_clear_error (&error);
}

static void
assert_string (const char *json, const char *expected)
{
  JsonNode *node = parse_ok (json);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
  json_node_unref (node);
}

static void
test_parse_strings (void)
{
  assert_string ("\"\"", "");
  assert_string ("\"plain\"", "plain");
  assert_string ("\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d");
  assert_string ("\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t");
  assert_string ("\"\\u0041\\u00e9\\u20AC\"", "Aé€");
  assert_string ("\"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\"", "café 日本");
  /* Surrogate pairs, in both cases. */
  assert_string ("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");
  assert_string ("\"x\\uD834\\uDD1Ey\"", "x\xf0\x9d\x84\x9ey");
  /* Unpaired surrogates and U+0000 become U+FFFD. */
  assert_string ("\"\\ud800\"", "\xef\xbf\xbd");
  assert_string ("\"\\udc00\"", "\xef\xbf\xbd");
  assert_string ("\"a\\ud800b\"", "a\xef\xbf\xbd"
                                  "b");
  assert_string ("\"\\ud800\\u0041\"", "\xef\xbf\xbd"
                                       "A");
  assert_string ("\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80");
  assert_string ("\"\\ud800\\n\"", "\xef\xbf\xbd\n");
  assert_string ("\"\\udfff\\ud800\"", "\xef\xbf\xbd\xef\xbf\xbd");
  assert_string ("\"a\\u0000b\"", "a\xef\xbf\xbd"
                                  "b");
  /* Longer than the scratch buffers. */
  {
    char *long_plain = g_strnfill (5000, 'x');
    char *json = g_strdup_printf ("[\"%s\", \"%s\\n\"]", long_plain, long_plain);
    JsonNode *node = parse_ok (json);
    char *with_nl = g_strconcat (long_plain, "\n", NULL);

    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, long_plain);
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 1), ==, with_nl);
    json_node_unref (node);
    g_free (with_nl);
    g_free (json);
    g_free (long_plain);
  }
}

static void
test_parse_objects (void)
{
  JsonNode *node;
  JsonObject *object;
  GList *members;

  /* Duplicate keys: the last value wins, at the position of the first. */
  node = parse_ok ("{\"a\":1,\"b\":[2],\"a\":{\"c\":3},\"b\":\"x\"}");
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  members = json_object_get_members (object);
  g_assert_cmpstr (members->data, ==, "a");
  g_assert_cmpstr (members->next->data, ==, "b");
  g_list_free (members);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "a"), "c"),
                   ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "b"), ==, "x");
  json_node_unref (node);

  /* Non-ASCII and escaped keys. */
  node = parse_ok ("{\"caf\\u00e9\":1,\"日本\":\"語\",\"a\\\"b\":true,\"\":null}");
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "café"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "日本"), ==, "語");
  g_assert_true (json_object_get_boolean_member (object, "a\"b"));
  g_assert_true (json_object_get_null_member (object, ""));
  json_node_unref (node);

  /* Everything is sealed. */
  node = parse_ok ("{\"a\":[{\"b\":[]}]}");
  g_assert_true (json_node_is_immutable (node));
  g_assert_true (json_object_is_immutable (json_node_get_object (node)));
  g_assert_true (
    json_array_is_immutable (json_object_get_array_member (json_node_get_object (node), "a")));
  json_node_unref (node);
}

/* The tree equals json-glib's own parser output on realistic documents. */
static void
test_parse_matches_json_glib (void)
{
  JsonParser *parser = json_parser_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (realistic_docs); i++)
    {
      const char *doc = realistic_docs[i];
      GError *error = NULL;
      JsonNode *ours = parse_ok (doc);
      JsonNode *theirs;
      char *ours_text, *theirs_text;

      g_assert_true (json_parser_load_from_data (parser, doc, -1, &error));
      g_assert_no_error (error);
      theirs = json_parser_get_root (parser);
      g_assert_true (json_node_equal (ours, theirs));
      ours_text = json_to_string (ours, FALSE);
      theirs_text = json_to_string (theirs, FALSE);
      g_assert_cmpstr (ours_text, ==, theirs_text);
      g_free (ours_text);
      g_free (theirs_text);
      json_node_unref (ours);
    }
  g_object_unref (parser);
}

/* ---- lookup ------------------------------------------------------------------------ */

static void
test_lookup_types (void)
{
  const char *doc = entity_json;
  FraiseJsonValue value;
  GError *error = NULL;
  gint64 i;
  double d;
  gboolean b;
  char *s;

  assert_lookup_span (doc, "id", FRAISE_JSON_TYPE_STRING,
                      "\"3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60\"");
  assert_lookup_span (doc, "age", FRAISE_JSON_TYPE_NUMBER, "34");
  assert_lookup_span (doc, "score", FRAISE_JSON_TYPE_NUMBER, "98.25");
  assert_lookup_span (doc, "verified", FRAISE_JSON_TYPE_BOOLEAN, "true");
  assert_lookup_span (doc, "preferences.notifications.sms", FRAISE_JSON_TYPE_BOOLEAN, "false");
  assert_lookup_span (doc, "manager_id", FRAISE_JSON_TYPE_NULL, "null");
  assert_lookup_span (doc, "tags", FRAISE_JSON_TYPE_ARRAY, "[\"admin\", \"beta\", \"fr\"]");
  assert_lookup_span (doc, "tags[2]", FRAISE_JSON_TYPE_STRING, "\"fr\"");
  assert_lookup_span (doc, "address.city", FRAISE_JSON_TYPE_STRING, "\"Paris\"");
  assert_lookup_span (doc, "preferences.notifications", FRAISE_JSON_TYPE_OBJECT,
                      "{\"sms\": false, \"email\": true}");
  assert_lookup_span ("[[1, [2, {\"c\": [3, 4]}]]]", "[0][1][1].c[1]", FRAISE_JSON_TYPE_NUMBER,
                      "4");
  assert_lookup_span ("{\"a\": {\"b\": [10, 20, {\"c\": \"deep\"}]}}", "a.b[2].c",
                      FRAISE_JSON_TYPE_STRING, "\"deep\"");
  assert_lookup_span (" \n 42 \t", "", FRAISE_JSON_TYPE_NUMBER, "42");
  assert_lookup_span ("{\"a\": 1}", "", FRAISE_JSON_TYPE_OBJECT, "{\"a\": 1}");

  s = lookup_string (doc, "name");
  g_assert_cmpstr (s, ==, "Zoë Dupont");
  g_free (s);

  g_assert_true (lookup (doc, "login_count", &value, &error));
  g_assert_true (fraise_json_value_get_int (&value, &i, &error));
  g_assert_no_error (error);
  g_assert_cmpint (i, ==, 1287);
  g_assert_true (fraise_json_value_get_double (&value, &d, &error));
  g_assert_cmpfloat (d, ==, 1287.0);

  g_assert_true (lookup (doc, "score", &value, &error));
  g_assert_true (fraise_json_value_get_double (&value, &d, &error));
  g_assert_cmpfloat (d, ==, 98.25);
  g_assert_false (fraise_json_value_get_int (&value, &i, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_assert_nonnull (strstr (error->message, "98.25"));
  g_clear_error (&error);

  g_assert_true (lookup (doc, "verified", &value, &error));
  g_assert_true (fraise_json_value_get_boolean (&value, &b, &error));
  g_assert_true (b);
  g_assert_true (lookup (doc, "preferences.notifications.sms", &value, &error));
  g_assert_true (fraise_json_value_get_boolean (&value, &b, &error));
  g_assert_false (b);
  g_assert_no_error (error);

  /* Wrong types. */
  g_assert_true (lookup (doc, "status", &value, &error));
  g_assert_false (fraise_json_value_get_int (&value, &i, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_clear_error (&error);
  g_assert_false (fraise_json_value_get_double (&value, &d, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_clear_error (&error);
  g_assert_false (fraise_json_value_get_boolean (&value, &b, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_clear_error (&error);
  g_assert_true (lookup (doc, "manager_id", &value, &error));
  g_assert_null (fraise_json_value_dup_string (&value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_assert_cmpstr (error->message, ==, "expected a JSON string, found a JSON null");
  g_clear_error (&error);

  /* Integer range. */
  g_assert_true (lookup ("[9223372036854775807, -9223372036854775808, 9223372036854775808, 1e2]",
                         "[0]", &value, &error));
  g_assert_true (fraise_json_value_get_int (&value, &i, &error));
  g_assert_cmpint (i, ==, G_MAXINT64);
  g_assert_true (lookup ("[9223372036854775807, -9223372036854775808]", "[1]", &value, &error));
  g_assert_true (fraise_json_value_get_int (&value, &i, &error));
  g_assert_cmpint (i, ==, G_MININT64);
  g_assert_true (lookup ("[9223372036854775808]", "[0]", &value, &error));
  g_assert_false (fraise_json_value_get_int (&value, &i, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_assert_nonnull (strstr (error->message, "range"));
  g_clear_error (&error);
  g_assert_true (lookup ("[1e2]", "[0]", &value, &error));
  g_assert_false (fraise_json_value_get_int (&value, &i, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION);
  g_clear_error (&error);
  g_assert_true (fraise_json_value_get_double (&value, &d, &error));
  g_assert_cmpfloat (d, ==, 100.0);
  g_assert_no_error (error);
}

static void
test_lookup_missing (void)
{
  const char *doc = entity_json;

  assert_lookup_missing (doc, "nope");
  assert_lookup_missing (doc, "address.zip");
  assert_lookup_missing (doc, "address.city.x"); /* through a string */
  assert_lookup_missing (doc, "age.x");          /* through a number */
  assert_lookup_missing (doc, "manager_id.x");   /* through null */
  assert_lookup_missing (doc, "tags[3]");        /* out of range */
  assert_lookup_missing (doc, "tags[99999999999]");
  assert_lookup_missing (doc, "tags.admin"); /* key into an array */
  assert_lookup_missing (doc, "address[0]"); /* index into an object */
  assert_lookup_missing (doc, "[0]");
  assert_lookup_missing ("[]", "[0]");
  assert_lookup_missing ("{}", "a");
  assert_lookup_missing ("[1, 2]", "a");
  assert_lookup_missing ("\"str\"", "a");
  assert_lookup_missing ("{\"Age\": 1}", "age"); /* case-sensitive */
  assert_lookup_missing ("{\"ab\": 1}", "a");
  assert_lookup_missing ("{\"a\": 1}", "ab");
}

static void
test_lookup_keys (void)
{
  char *s;

  /* Escaped keys match their decoded form. */
  assert_lookup_span ("{\"caf\\u00e9\": 1}", "café", FRAISE_JSON_TYPE_NUMBER, "1");
  assert_lookup_span ("{\"caf\\u00E9\": 2}", "café", FRAISE_JSON_TYPE_NUMBER, "2");
  assert_lookup_span ("{\"caf\xc3\xa9\": 3}", "café", FRAISE_JSON_TYPE_NUMBER, "3");
  assert_lookup_span ("{\"\\u0061\\u0062\": 4}", "ab", FRAISE_JSON_TYPE_NUMBER, "4");
  assert_lookup_span ("{\"a\\\"b\": 5, \"x\": 0}", "a\"b", FRAISE_JSON_TYPE_NUMBER, "5");
  assert_lookup_span ("{\"a\\\\\": 6}", "a\\", FRAISE_JSON_TYPE_NUMBER, "6");
  assert_lookup_span ("{\"\\ud83d\\ude00\": 7}", "\xf0\x9f\x98\x80", FRAISE_JSON_TYPE_NUMBER, "7");
  assert_lookup_span ("{\"a\\/b\": 8}", "a/b", FRAISE_JSON_TYPE_NUMBER, "8");
  assert_lookup_missing ("{\"caf\\u00e8\": 1}", "café");
  /* Keys that look alike once escapes are skipped. */
  assert_lookup_span ("{\"x\\\\\": 1, \"x\": 2}", "x", FRAISE_JSON_TYPE_NUMBER, "2");
  assert_lookup_span ("{\"k\": \"v\\\"}\", \"x\": 2}", "x", FRAISE_JSON_TYPE_NUMBER, "2");

  /* Duplicates: the last one wins, as in the tree. */
  assert_lookup_span ("{\"a\": 1, \"b\": 2, \"a\": 3}", "a", FRAISE_JSON_TYPE_NUMBER, "3");
  assert_lookup_span ("{\"a\": {\"x\": 1}, \"a\": {\"y\": 2}}", "a.y", FRAISE_JSON_TYPE_NUMBER,
                      "2");
  assert_lookup_missing ("{\"a\": {\"x\": 1}, \"a\": {\"y\": 2}}", "a.x");

  /* Non-ASCII keys and values. */
  s = lookup_string (realistic_docs[2], "[0].名前");
  g_assert_cmpstr (s, ==, "日本語テキスト");
  g_free (s);
  s = lookup_string (realistic_docs[2], "[0].ключ");
  g_assert_cmpstr (s, ==, "значение");
  g_free (s);
  s = lookup_string (realistic_docs[1], "title");
  g_assert_cmpstr (s, ==, "Café \"Le Zinc\"");
  g_free (s);
  s = lookup_string ("{\"s\": \"\\ud800x\\u0000\"}", "s");
  g_assert_cmpstr (s, ==, "\xef\xbf\xbdx\xef\xbf\xbd");
  g_free (s);
}

static void
assert_lookup_error (const char *text, gsize len, const char *path, GQuark domain, int code)
{
  char *copy = exact_copy (text, len);
  FraiseJsonValue value;
  GError *error = NULL;

  g_assert_false (fraise_json_lookup (copy, len, path, &value, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s -> %s", path, error->message);
  g_error_free (error);
  g_free (copy);
}

static void
test_lookup_bad_path (void)
{
  const char *bad[] = { ".",
                        "a.",
                        ".a",
                        "a..b",
                        "a[",
                        "a[]",
                        "a[x]",
                        "a[0",
                        "[0]x",
                        "a[-1]",
                        "[99999999999999999999999999]",
                        "a.[0]",
                        "[0].",
                        "a[0]b" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_lookup_error ("{\"a\": [1]}", 10, bad[i], FRAISE_ERROR, FRAISE_ERROR_CONFIG);
}

static void
test_lookup_malformed (void)
{
  FraiseJsonValue value;
  GError *error = NULL;
  char *s;

  assert_lookup_error ("{\"a\": tru}", 10, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\": 01}", 9, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\": 1x}", 9, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\" 1}", 7, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{a: 1}", 6, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\": 1,}", 9, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\": 1", 7, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\": \"x", 8, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"a\": [1, 2", 11, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("xyz", 3, "", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("xyz", 3, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("", 0, "", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("", 0, "a", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("[1] x", 5, "", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("[1, }", 5, "[5]", FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_lookup_error ("{\"caf\\u00g9\": 1}", 16, "café", FRAISE_ERROR, FRAISE_ERROR_JSON);

  /* The scanner only skims strings it does not return: the typed accessor
   * validates the string it decodes. */
  g_assert_true (lookup ("{\"a\": \"bad \\x escape\"}", "a", &value, &error));
  g_assert_null (fraise_json_value_dup_string (&value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);
  g_assert_true (lookup ("{\"a\": \"tab\there\"}", "a", &value, &error));
  g_assert_null (fraise_json_value_dup_string (&value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);
  g_assert_true (lookup ("{\"a\": \"\xff\"}", "a", &value, &error));
  g_assert_null (fraise_json_value_dup_string (&value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);
  g_assert_true (lookup ("{\"a\": \"ok\", \"b\": \"\\x\"}", "a", &value, &error));
  s = fraise_json_value_dup_string (&value, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "ok");
  g_free (s);
}

/* Lookups on every prefix of every document: found, missing or failed with
 * an error, never a crash or a read past the end. */
static void
test_lookup_prefixes (void)
{
  const char *paths[] = { "",
                          "id",
                          "address.city",
                          "tags[1]",
                          "preferences.notifications.email",
                          "login_count",
                          "lines[1].price",
                          "nested[1][1][1][0]",
                          "[3][2]",
                          "[4].a.b.c.d[2]",
                          "max",
                          "min",
                          "nope",
                          "[0].emoji" };

  for (gsize d = 0; d < G_N_ELEMENTS (realistic_docs); d++)
    {
      const char *doc = realistic_docs[d];
      gsize len = strlen (doc);
      gsize complete = len;

      /* A prefix of a number is a number; trailing whitespace is optional. */
      while (complete > 0 && g_ascii_isspace (doc[complete - 1]))
        complete--;
      if (strchr ("{[\"", doc[strspn (doc, " ")]) == NULL)
        complete = 0;

      for (gsize n = 0; n <= len; n++)
        {
          char *copy = exact_copy (doc, n);

          for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
            {
              FraiseJsonValue value;
              GError *error = NULL;

              if (fraise_json_lookup (copy, n, paths[i], &value, &error))
                {
                  g_assert_no_error (error);
                  g_assert_true ((const char *) value.start >= copy);
                  g_assert_true (value.start + value.len <= copy + n);
                }
              else if (error != NULL)
                {
                  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
                  g_error_free (error);
                }
              else
                /* Missing without error: only once the document is complete. */
                g_assert_cmpuint (n, >=, complete);
            }
          g_free (copy);
        }
    }
}

/* ---- lookup agrees with the tree -------------------------------------------------- */

static void
assert_lookup_missing_len (const char *text, gsize len, const char *path)
{
  FraiseJsonValue value;
  GError *error = NULL;

  g_assert_false (fraise_json_lookup (text, len, path, &value, &error));
  g_assert_no_error (error);
}

/* The value at @path must be the same as @node. */
static void
check_value_against_node (const char *text, gsize len, const char *path, JsonNode *node)
{
  FraiseJsonValue value;
  GError *error = NULL;

  if (!fraise_json_lookup (text, len, path, &value, &error))
    g_error ("lookup of \"%s\" failed: %s", path, error ? error->message : "missing");

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_assert_cmpint (value.type, ==, FRAISE_JSON_TYPE_NULL);
      break;
    case JSON_NODE_OBJECT:
    case JSON_NODE_ARRAY:
      {
        JsonNode *sub = fraise_json_parse (value.start, value.len, 0, &error);

        g_assert_no_error (error);
        g_assert_cmpint (value.type, ==,
                         JSON_NODE_HOLDS_OBJECT (node) ? FRAISE_JSON_TYPE_OBJECT
                                                       : FRAISE_JSON_TYPE_ARRAY);
        g_assert_true (json_node_equal (sub, node));
        json_node_unref (sub);
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          {
            gboolean b;

            g_assert_true (fraise_json_value_get_boolean (&value, &b, &error));
            g_assert_cmpint (b, ==, json_node_get_boolean (node));
          }
          break;
        case G_TYPE_INT64:
          {
            gint64 i;

            g_assert_true (fraise_json_value_get_int (&value, &i, &error));
            g_assert_cmpint (i, ==, json_node_get_int (node));
          }
          break;
        case G_TYPE_DOUBLE:
          {
            double d;

            g_assert_false (fraise_json_value_get_int (&value, NULL, NULL));
            g_assert_true (fraise_json_value_get_double (&value, &d, &error));
            g_assert_true (d == json_node_get_double (node));
          }
          break;
        default:
          {
            char *s = fraise_json_value_dup_string (&value, &error);

            g_assert_cmpstr (s, ==, json_node_get_string (node));
            g_free (s);
          }
          break;
        }
      g_assert_no_error (error);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
check_paths (const char *text, gsize len, JsonNode *node, GString *path)
{
  gsize saved = path->len;

  check_value_against_node (text, len, path->str, node);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList *members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;

          /* Keys a path cannot express. */
          if (*key == '\0' || strpbrk (key, ".[") != NULL)
            continue;
          g_string_append_printf (path, "%s%s", saved > 0 ? "." : "", key);
          check_paths (text, len, json_object_get_member (object, key), path);
          g_string_truncate (path, saved);
        }
      g_list_free (members);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (path, "[%u]", i);
          check_paths (text, len, json_array_get_element (array, i), path);
          g_string_truncate (path, saved);
        }
      g_string_append_printf (path, "[%u]", n);
      assert_lookup_missing_len (text, len, path->str);
      g_string_truncate (path, saved);
    }
}

static void
check_document (const char *text, gsize len)
{
  GError *error = NULL;
  JsonNode *root = fraise_json_parse (text, len, 0, &error);
  GString *path = g_string_new (NULL);

  g_assert_no_error (error);
  check_paths (text, len, root, path);
  g_string_free (path, TRUE);
  json_node_unref (root);
}

static void
test_lookup_matches_tree (void)
{
  const char *extra[] = {
    "{\"a\": 1, \"b\": {\"c\": [1, 2, {\"d\": \"e\"}]}, \"a\": [true, null]}",
    "{\"caf\\u00e9\": {\"\\u0041\": 1}, \"q\\\"\": \"\\ud800\"}",
    "[[], {}, [[]], [{}], \"\", 0, -0.5e-7, 1e400]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (realistic_docs); i++)
    check_document (realistic_docs[i], strlen (realistic_docs[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    check_document (extra[i], strlen (extra[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (valid_docs); i++)
    check_document (valid_docs[i], strlen (valid_docs[i]));
}

/* Random mutations of valid documents: the parser and the scanner must never
 * crash or read out of bounds; whenever the mutant is still valid JSON,
 * every lookup must agree with the tree. */
static void
test_mutations (void)
{
  static const char interesting[] = "{}[]\",:\\ 0123456789eE.+-tfnul\x00\x01\xff\xc3\xa9\xed\xf0";
  GRand *rand = g_rand_new_with_seed (20240315);
  guint iterations = g_test_slow () ? 200000 : 20000;
  guint valid = 0;

  for (guint it = 0; it < iterations; it++)
    {
      const char *doc = realistic_docs[g_rand_int_range (rand, 0, G_N_ELEMENTS (realistic_docs))];
      GByteArray *m = g_byte_array_new ();
      guint edits = (guint) g_rand_int_range (rand, 1, 4);
      JsonNode *node;
      char *copy;

      g_byte_array_append (m, (const guint8 *) doc, (guint) strlen (doc));
      for (guint e = 0; e < edits && m->len > 0; e++)
        {
          guint pos = (guint) g_rand_int_range (rand, 0, (gint32) m->len);
          guint8 c = (guint8) interesting[g_rand_int_range (rand, 0, sizeof interesting - 1)];

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              m->data[pos] = c;
              break;
            case 1:
              g_byte_array_remove_index (m, pos);
              break;
            case 2:
              g_array_insert_val ((GArray *) m, pos, c);
              break;
            default:
              g_byte_array_set_size (m, pos);
              break;
            }
        }

      copy = exact_copy ((const char *) m->data, m->len);
      node = fraise_json_parse (copy, m->len, 0, NULL);
      if (node != NULL)
        {
          GString *path = g_string_new (NULL);

          valid++;
          check_paths (copy, m->len, node, path);
          g_string_free (path, TRUE);
          json_node_unref (node);
        }
      else
        {
          const char *paths[] = {
            "", "id", "address.city", "tags[1]", "lines[0].qty", "[0].emoji"
          };

          for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
            {
              FraiseJsonValue value;
              GError *error = NULL;

              if (fraise_json_lookup (copy, m->len, paths[i], &value, &error))
                {
                  char *s = fraise_json_value_dup_string (&value, NULL);

                  g_assert_true (value.start >= copy && value.start + value.len <= copy + m->len);
                  g_free (s);
                }
              g_clear_error (&error);
            }
        }
      g_free (copy);
      g_byte_array_unref (m);
    }
  g_test_message ("%u of %u mutants were valid JSON", valid, iterations);
  g_rand_free (rand);
}

/* The row accessors: a missing path or a value of another JSON type is
 * FRAISE_ERROR_DESERIALIZATION naming the path (and the type found), invalid
 * JSON stays FRAISE_ERROR_JSON and a malformed path FRAISE_ERROR_CONFIG. */
static void
assert_row_error (GError *error, int code, const char *fragment1, const char *fragment2)
{
  g_assert_error (error, FRAISE_ERROR, code);
  g_assert_nonnull (strstr (error->message, fragment1));
  if (fragment2 != NULL)
    g_assert_nonnull (strstr (error->message, fragment2));
}

static void
test_row_accessor_errors (void)
{
  g_autoptr(FraiseRow) row =
               fraise_row_new ("{\"name\": \"Zoë\", \"age\": 34, \"score\": 9.5, \"ok\": true, "
                               "\"tags\": [\"a\"], \"big\": 123456789012345678901234567890}",
                               -1, 7);
  g_autoptr(FraiseRow) broken = fraise_row_new ("{\"a\": 1, \"name\": tru}", -1, 8);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* wrong JSON type */
  g_assert_null (fraise_row_get_string (row, "age", &error));
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"age\"", "number");
  g_clear_error (&error);
  g_assert_cmpint (fraise_row_get_int (row, "name", &error), ==, 0);
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"name\"", "string");
  g_clear_error (&error);
  g_assert_cmpint (fraise_row_get_int (row, "score", &error), ==, 0);
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"score\"", "9.5");
  g_clear_error (&error);
  g_assert_cmpint (fraise_row_get_int (row, "big", &error), ==, 0);
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"big\"", "range");
  g_clear_error (&error);
  g_assert_cmpfloat (fraise_row_get_double (row, "tags", &error), ==, 0);
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"tags\"", "array");
  g_clear_error (&error);
  g_assert_false (fraise_row_get_boolean (row, "name", &error));
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"name\"", "string");
  g_clear_error (&error);
  g_assert_null (fraise_row_get_number_text (row, "ok", &error));
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"ok\"", "boolean");
  g_clear_error (&error);

  /* missing path, also through a scalar */
  g_assert_null (fraise_row_get_string (row, "nickname", &error));
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"nickname\"", "row 7");
  g_clear_error (&error);
  g_assert_cmpint (fraise_row_get_int (row, "tags[3]", &error), ==, 0);
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"tags[3]\"", NULL);
  g_clear_error (&error);
  g_assert_false (fraise_row_get_boolean (row, "name.first", &error));
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"name.first\"", NULL);
  g_clear_error (&error);
  g_assert_null (fraise_row_get_number_text (row, "nope", &error));
  assert_row_error (error, FRAISE_ERROR_DESERIALIZATION, "\"nope\"", NULL);
  g_clear_error (&error);

  /* invalid JSON where it had to be read, and a malformed path */
  g_assert_null (fraise_row_get_string (broken, "name", &error));
  assert_row_error (error, FRAISE_ERROR_JSON, "row 8", NULL);
  g_clear_error (&error);
  g_assert_cmpint (fraise_row_get_int (row, "tags[", &error), ==, 0);
  assert_row_error (error, FRAISE_ERROR_CONFIG, "tags[", NULL);
  g_clear_error (&error);

  /* and what fits still reads */
  text = fraise_row_get_string (row, "name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Zoë");
  g_assert_cmpint (fraise_row_get_int (row, "age", &error), ==, 34);
  g_assert_no_error (error);
}

/* ---- several paths in one pass ------------------------------------------------ */

/* Every path of @node reachable with the path syntax (keys without '.' or
 * '['), with a missing key and a missing index below each container. */
static void
collect_paths (JsonNode *node, const char *prefix, GPtrArray *paths)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      g_ptr_array_add (paths, *prefix ? g_strconcat (prefix, ".nope", NULL) : g_strdup ("nope"));
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &member))
        {
          g_autofree char *path = NULL;

          if (*key == '\0' || strpbrk (key, ".[") != NULL)
            continue;
          path = *prefix ? g_strconcat (prefix, ".", key, NULL) : g_strdup (key);
          g_ptr_array_add (paths, g_strdup (path));
          collect_paths (member, path, paths);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_ptr_array_add (paths, g_strdup_printf ("%s[%u]", prefix, json_array_get_length (array)));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *path = g_strdup_printf ("%s[%u]", prefix, i);

          g_ptr_array_add (paths, g_strdup (path));
          collect_paths (json_array_get_element (array, i), path, paths);
        }
    }
}

/* fraise_json_lookup_paths() over @text agrees with one fraise_json_lookup()
 * per path; returns whether it succeeded. */
static gboolean
check_lookup_paths (const char *text, gsize len, GPtrArray *paths)
{
  g_autoptr (GPtrArray) parsed =
               g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_json_path_free);
  g_autofree FraiseJsonValue *values = g_new0 (FraiseJsonValue, paths->len + 1);
  g_autofree gboolean *found = g_new0 (gboolean, paths->len + 1);
  g_autofree char *copy = exact_copy (text, len);
  GError *error = NULL;
  gboolean ok, all_ok = TRUE;

  for (guint i = 0; i < paths->len; i++)
    {
      g_ptr_array_add (parsed, fraise_json_path_new (g_ptr_array_index (paths, i), &error));
      g_assert_no_error (error);
    }
  ok = fraise_json_lookup_paths (copy, len, (FraiseJsonPath *const *) parsed->pdata, parsed->len,
                                 values, found, &error);
  g_assert_true (ok == (error == NULL));
  if (!ok)
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  g_clear_error (&error);
  for (guint i = 0; i < paths->len; i++)
    {
      FraiseJsonValue one;
      gboolean one_found =
        fraise_json_lookup (copy, len, g_ptr_array_index (paths, i), &one, &error);

      all_ok = all_ok && (one_found || error == NULL);
      if (ok)
        {
          /* Whatever the one-pass lookup found, the single lookup finds. */
          g_assert_no_error (error);
          g_assert_cmpint (found[i], ==, one_found);
          if (one_found)
            {
              g_assert_cmpint (values[i].type, ==, one.type);
              g_assert_true (values[i].start == one.start);
              g_assert_cmpuint (values[i].len, ==, one.len);
            }
        }
      g_clear_error (&error);
    }
  /* When no single lookup failed, the one-pass lookup fails only on text
   * after an object document, which it reads to the end. */
  if (all_ok && !ok)
    {
      const char *p = copy;

      while (p < copy + len && g_ascii_isspace (*p))
        p++;
      g_assert_true (p < copy + len && *p == '{');
      g_assert_false (fraise_json_check (copy, len, 0, NULL));
    }
  return ok;
}

static void
test_lookup_paths (void)
{
  const char *extra[] = {
    "{\"a\": 1, \"b\": {\"c\": [1, 2, {\"d\": \"e\"}]}, \"a\": [true, null]}",
    "{\"caf\\u00e9\": {\"\\u0041\": 1}, \"q\\\"\": \"\\ud800\", \"x\\\\\": 2}",
  };
  GRand *rand = g_rand_new_with_seed (20261202);
  guint failed = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (realistic_docs) + G_N_ELEMENTS (extra); i++)
    {
      const char *doc = i < G_N_ELEMENTS (realistic_docs)
                          ? realistic_docs[i]
                          : extra[i - G_N_ELEMENTS (realistic_docs)];
      g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      JsonNode *root = parse_ok (doc);

      collect_paths (root, "", paths);
      g_ptr_array_add (paths, g_strdup ("")); /* the whole document */
      g_assert_true (check_lookup_paths (doc, strlen (doc), paths));

      /* Mutants: the same agreement, or both failing. */
      for (guint it = 0; it < 500; it++)
        {
          g_autoptr (GString) m = g_string_new (doc);
          guint pos = (guint) g_rand_int_range (rand, 0, (gint32) m->len);

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              m->str[pos] = "{}[]\",:\\ 0x"[g_rand_int_range (rand, 0, 12)];
              break;
            case 1:
              g_string_erase (m, pos, 1);
              break;
            default:
              g_string_truncate (m, pos);
              break;
            }
          failed += !check_lookup_paths (m->str, m->len, paths);
        }
      json_node_unref (root);
    }
  g_test_message ("%u mutants failed the one-pass lookup", failed);
  g_assert_cmpuint (failed, >, 0);
  g_rand_free (rand);

  /* Text after an object is an error; after another document, as for one path. */
  {
    g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (FraiseJsonPath) a = fraise_json_path_new ("a", NULL);
    FraiseJsonValue value;
    gboolean found;
    GError *error = NULL;

    g_assert_false (fraise_json_lookup_paths ("{\"a\": 1} x", 10, &a, 1, &value, &found, &error));
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
    g_assert_nonnull (strstr (error->message, "at byte 9"));
    g_clear_error (&error);
    g_assert_true (fraise_json_lookup_paths ("[1] x", 5, &a, 1, &value, &found, &error));
    g_assert_no_error (error);
    g_assert_false (found);
  }

  /* Malformed paths are refused when parsed. */
  {
    GError *error = NULL;

    g_assert_null (fraise_json_path_new ("a..b", &error));
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
    g_clear_error (&error);
  }
}

/* ---- strict checks without a tree ----------------------------------------------- */

static void
test_check_matches_parser (void)
{
  /* fraise_json_check() accepts exactly what the tree parser accepts. */
  for (gsize i = 0; i < G_N_ELEMENTS (valid_docs); i++)
    g_assert_true (fraise_json_check (valid_docs[i], strlen (valid_docs[i]), 0, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (realistic_docs); i++)
    g_assert_true (fraise_json_check (realistic_docs[i], strlen (realistic_docs[i]), 0, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_docs); i++)
    {
      gsize len =
        invalid_docs[i].len >= 0 ? (gsize) invalid_docs[i].len : strlen (invalid_docs[i].text);
      g_autofree char *copy = exact_copy (invalid_docs[i].text, len);
      GError *parse_error = NULL, *check_error = NULL;
      JsonNode *node = fraise_json_parse (copy, len, 0, &parse_error);

      g_assert_null (node);
      g_assert_false (fraise_json_check (copy, len, 0, &check_error));
      g_assert_error (check_error, FRAISE_ERROR, FRAISE_ERROR_JSON);
      g_assert_cmpstr (check_error->message, ==, parse_error->message);
      g_clear_error (&parse_error);
      g_clear_error (&check_error);
    }

  /* Mutants: the same verdict and the same message. */
  {
    GRand *rand = g_rand_new_with_seed (1202);
    guint valid = 0;

    for (guint it = 0; it < 20000; it++)
      {
        const char *doc = realistic_docs[g_rand_int_range (rand, 0, G_N_ELEMENTS (realistic_docs))];
        g_autoptr (GString) m = g_string_new (doc);
        guint pos = (guint) g_rand_int_range (rand, 0, (gint32) m->len);
        g_autofree char *copy = NULL;
        GError *parse_error = NULL, *check_error = NULL;
        JsonNode *node;
        gboolean ok;

        if (g_rand_boolean (rand))
          m->str[pos] = "{}[]\",:\\ 0e.-tn\x01\xff"[g_rand_int_range (rand, 0, 17)];
        else
          g_string_erase (m, pos, 1);
        copy = exact_copy (m->str, m->len);
        node = fraise_json_parse (copy, m->len, 0, &parse_error);
        ok = fraise_json_check (copy, m->len, 0, &check_error);
        g_assert_cmpint (ok, ==, node != NULL);
        if (!ok)
          g_assert_cmpstr (check_error->message, ==, parse_error->message);
        valid += ok;
        g_clear_pointer (&node, json_node_unref);
        g_clear_error (&parse_error);
        g_clear_error (&check_error);
      }
    g_test_message ("%u of 20000 mutants valid", valid);
    for (guint depth = 511; depth <= 513; depth++)
      {
        g_autofree char *open = g_strnfill (depth, '[');
        g_autofree char *close = g_strnfill (depth, ']');
        g_autofree char *deep = g_strconcat (open, close, NULL);
        GError *parse_error = NULL, *check_error = NULL;
        JsonNode *node = fraise_json_parse (deep, strlen (deep), 0, &parse_error);

        g_assert_cmpint (fraise_json_check (deep, strlen (deep), 0, &check_error), ==,
                         node != NULL);
        g_assert_cmpint (node != NULL, ==, depth <= FRAISE_JSON_DEFAULT_MAX_DEPTH);
        if (node == NULL)
          g_assert_cmpstr (check_error->message, ==, parse_error->message);
        g_clear_pointer (&node, json_node_unref);
        g_clear_error (&parse_error);
        g_clear_error (&check_error);
      }
    g_assert_cmpuint (valid, >, 0);
    g_assert_cmpuint (valid, <, 20000);
    g_rand_free (rand);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/parse/valid", test_parse_valid);
  g_test_add_func ("/json/parse/invalid", test_parse_invalid);
  g_test_add_func ("/json/parse/messages", test_parse_messages);
  g_test_add_func ("/json/parse/prefixes", test_parse_prefixes);
  g_test_add_func ("/json/parse/depth", test_parse_depth);
  g_test_add_func ("/json/parse/numbers", test_parse_numbers);
  g_test_add_func ("/json/parse/doubles", test_parse_doubles);
  g_test_add_func ("/json/parse/strings", test_parse_strings);
  g_test_add_func ("/json/parse/objects", test_parse_objects);
  g_test_add_func ("/json/parse/matches-json-glib", test_parse_matches_json_glib);
  g_test_add_func ("/json/number-text", test_number_text);
  g_test_add_func ("/json/lookup/types", test_lookup_types);
  g_test_add_func ("/json/lookup/missing", test_lookup_missing);
  g_test_add_func ("/json/lookup/keys", test_lookup_keys);
  g_test_add_func ("/json/lookup/bad-path", test_lookup_bad_path);
  g_test_add_func ("/json/lookup/malformed", test_lookup_malformed);
  g_test_add_func ("/json/lookup/depth", test_lookup_depth);
  g_test_add_func ("/json/lookup/prefixes", test_lookup_prefixes);
  g_test_add_func ("/json/lookup/matches-tree", test_lookup_matches_tree);
  g_test_add_func ("/json/mutations", test_mutations);
  g_test_add_func ("/json/lookup-paths", test_lookup_paths);
  g_test_add_func ("/json/check/matches-parser", test_check_matches_parser);
  g_test_add_func ("/json/row/accessor-errors", test_row_accessor_errors);

  return g_test_run ();
}
