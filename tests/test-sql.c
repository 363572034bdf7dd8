/* test-sql.c: SQL building (literals, identifiers, paths, conditions, SELECT)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"
#include "fraise-sql.h"

#include <math.h>
#include <string.h>

/* ---- helpers ----------------------------------------------------------- */

/* Reads the literal at *@p the way the server's lexer does, with
 * standard_conforming_strings @scs; returns its bytes and moves *@p past it. */
static GString *
lex_literal (const char **p, gboolean scs)
{
  GString *value = g_string_new (NULL);
  const char *s = *p;
  gboolean escapes = !scs;

  if (*s == 'E')
    {
      escapes = TRUE;
      s++;
    }
  g_assert_cmpint (*s, ==, '\'');
  for (s++;; s++)
    {
      g_assert_cmpint (*s, !=, '\0');
      if (*s == '\'' && s[1] == '\'')
        s++;
      else if (*s == '\'')
        break;
      else if (*s == '\\' && escapes)
        {
          /* Only \\ and \' ever reach the lexer from our quoting. */
          s++;
          g_assert_true (*s == '\\' || *s == '\'');
        }
      g_string_append_c (value, *s);
    }
  *p = s + 1;
  return value;
}

/* Outside literals, @sql holds no comment start and no statement separator;
 * every literal decodes the same with standard_conforming_strings on and off.
 * Returns the number of literals. */
static guint
assert_sql_safe (const char *sql)
{
  const char *p = sql;
  guint n = 0;

  while (*p != '\0')
    {
      if (*p == '\'' || (*p == 'E' && p[1] == '\''))
        {
          const char *on = p, *off = p;
          g_autoptr(GString) a = lex_literal (&on, TRUE);
          g_autoptr(GString) b = lex_literal (&off, FALSE);

          g_assert_true (g_string_equal (a, b));
          g_assert_true (on == off);
          p = on;
          n++;
          continue;
        }
      if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*') || p[0] == ';')
        g_error ("unsafe SQL at offset %d: %s", (int) (p - sql), sql);
      p++;
    }
  return n;
}

static void
assert_config_error (GError *error, const char *fragment)
{
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" not in error message \"%s\"", fragment, error->message);
}

static void
check_condition (const char *path, FraiseOperator op, GVariant *value, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  g_autofree char *sql = fraise_sql_render_condition (path, op, owned, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sql, ==, expected);
  assert_sql_safe (sql);
}

static void
check_condition_error (const char *path, FraiseOperator op, GVariant *value, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  g_autofree char *sql = fraise_sql_render_condition (path, op, owned, &error);

  g_assert_null (sql);
  assert_config_error (error, fragment);
}

static GVariant *
strv (const char *first, ...)
{
  GVariantBuilder builder;
  va_list args;
  const char *s;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  va_start (args, first);
  for (s = first; s != NULL; s = va_arg (args, const char *))
    g_variant_builder_add (&builder, "s", s);
  va_end (args);
  return g_variant_builder_end (&builder);
}

/* Strings that try to end a literal, open a comment or start a statement. */
static const char *const hostile[] = {
  "'",
  "''",
  "\\",
  "\\'",
  "\\' OR 1=1 --",
  "' OR 1=1 --",
  "'; DROP TABLE x; --",
  "x'\n-- comment\n; SELECT 1; --",
  "E'\\'",
  "$$; DROP TABLE x; $$",
  "/* open comment",
  "a\\\\'b",
  "-1",
  "--1",
  "\"quoted\"",
  "%_\\",
  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\x93",
  "\t\r\n\x1b\x7f",
};

/* ---- literals ---------------------------------------------------------- */

static void
test_literal_basic (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "", "''" },
    { "abc", "'abc'" },
    { "it's", "'it''s'" },
    { "a\\b", "E'a\\\\b'" },
    { "\\' OR 1=1 --", "E'\\\\'' OR 1=1 --'" },
    { "'; DROP TABLE x; --", "'''; DROP TABLE x; --'" },
    { "line\n-- c", "'line\n-- c'" },
    { "caf\xc3\xa9", "'caf\xc3\xa9'" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = fraise_sql_quote_literal (cases[i].in, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (sql, ==, cases[i].out);
    }
}

static void
test_literal_hostile (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = fraise_sql_quote_literal (hostile[i], -1, &error);
      const char *p = sql;
      g_autoptr(GString) on = NULL;
      g_autoptr(GString) off = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (assert_sql_safe (sql), ==, 1);
      on = lex_literal (&p, TRUE);
      g_assert_cmpstr (p, ==, "");
      p = sql;
      off = lex_literal (&p, FALSE);
      g_assert_cmpstr (on->str, ==, hostile[i]);
      g_assert_cmpstr (off->str, ==, hostile[i]);
    }
}

static void
test_literal_invalid (void)
{
  static const struct {
    const char *bytes;
    gssize len;
    const char *fragment;
  } cases[] = {
    { "\xc0", -1, "not valid UTF-8 (at byte 0)" },
    { "ab\xc0", -1, "not valid UTF-8 (at byte 2)" },
    { "\xc0'; DROP TABLE x; --", -1, "UTF-8" },
    { "x\xe2\x82", -1, "not valid UTF-8 (at byte 1)" },
    { "x\xe2\x82'", -1, "UTF-8" },
    { "\xc0\xa7", -1, "UTF-8" },         /* overlong ' */
    { "\xed\xa0\x80", -1, "UTF-8" },     /* surrogate */
    { "\xf4\x90\x80\x80", -1, "UTF-8" }, /* > U+10FFFF */
    { "\xff", -1, "UTF-8" },
    { "a\0b", 3, "NUL byte (at byte 1)" },
    { "\0", 1, "NUL" },
    { "ab", 3, "NUL" }, /* the terminator counted in */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = fraise_sql_quote_literal (cases[i].bytes, cases[i].len, &error);

      g_assert_null (sql);
      assert_config_error (error, cases[i].fragment);
    }
}

static void
test_literal_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *part = fraise_sql_quote_literal ("ab'cd", 3, &error);
  g_autofree char *empty = fraise_sql_quote_literal (NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (part, ==, "'ab'''");
  g_assert_cmpstr (empty, ==, "''");
}

/* Random bytes: either refused, or quoted so that the lexer gets them back. */
static void
test_literal_fuzz (void)
{
  static const char alphabet[] = "'\\\"-/*;$E\n\x00\xc0\xe2\x82\xac\xf0\x9f\x8d\x93 a";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250211);
  guint i, accepted = 0;

  for (i = 0; i < 20000; i++)
    {
      char buf[24];
      gsize j, len = (gsize) g_rand_int_range (rand, 0, sizeof buf);
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = NULL;

      for (j = 0; j < len; j++)
        buf[j] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      sql = fraise_sql_quote_literal (buf, (gssize) len, &error);
      if (sql == NULL)
        {
          g_assert_true (memchr (buf, '\0', len) != NULL || !g_utf8_validate_len (buf, len, NULL));
          assert_config_error (error, NULL);
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (g_utf8_validate_len (buf, len, NULL));
      {
        const char *p = sql;
        g_autoptr(GString) back = lex_literal (&p, TRUE);

        g_assert_cmpstr (p, ==, "");
        g_assert_cmpmem (back->str, back->len, buf, len);
      }
      g_assert_cmpuint (assert_sql_safe (sql), ==, 1);
      accepted++;
    }
  g_assert_cmpuint (accepted, >, 1000);
}

/* ---- sources ----------------------------------------------------------- */

static void
test_source_valid (void)
{
  static const char *const valid[] = {
    "users",
    "_t",
    "v_users2",
    "public.users",
    "Public.Users",
    "\"My Table\"",
    "\"sch\"\"ema\".\"t.a.b\"",
    "s.\"T\"",
    "\"caf\xc3\xa9\"",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (fraise_sql_validate_source (valid[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_source_invalid (void)
{
  static const char *const invalid[] = {
    "",
    "users; DROP TABLE x",
    "users --",
    "a b",
    "f()",
    "1users",
    "a.b.c",
    "a.",
    ".a",
    "\"\"",
    "\"unterminated",
    "\"a\"b",
    "\"a\"\"",
    "us-ers",
    "users\n",
    "\"a\nb\"",
    "t$",
    "caf\xc3\xa9",
    "\xc0",
    "a..b",
    "\"x\".",
  };
  g_autofree char *long_name = g_strnfill (64, 'a');
  g_autofree char *max_name = g_strnfill (63, 'a');
  g_autofree char *long_quoted = g_strdup_printf ("s.\"%s\"", long_name);
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (fraise_sql_validate_source (invalid[i], &error));
      assert_config_error (error, "(expected [schema.]name of letters, digits and _, "
                                  "or a double-quoted identifier)");
      g_clear_error (&error);
    }
  g_assert_false (fraise_sql_validate_source (long_name, NULL));
  g_assert_false (fraise_sql_validate_source (long_quoted, NULL));
  g_assert_true (fraise_sql_validate_source (max_name, NULL));

  /* Control characters and bad bytes are escaped in the echo. */
  g_assert_false (fraise_sql_validate_source ("a\nb\x01\xc0", &error));
  g_assert_cmpstr (error->message, ==,
                   "invalid source \"a\\nb\\x01\\xc0\" (expected [schema.]name of letters, "
                   "digits and _, or a double-quoted identifier)");
}

/* ---- paths ------------------------------------------------------------- */

static void
test_path (void)
{
  static const struct {
    const char *base;
    const char *path;
    const char *text;
    const char *json;
  } cases[] = {
    { NULL, "status", "(data->>'status')", "(data->'status')" },
    { NULL, "address.city", "(data->'address'->>'city')", "(data->'address'->'city')" },
    { NULL, "a.b.c", "(data->'a'->'b'->>'c')", "(data->'a'->'b'->'c')" },
    { NULL, "it's", "(data->>'it''s')", "(data->'it''s')" },
    { NULL, "a\\b", "(data->>E'a\\\\b')", "(data->E'a\\\\b')" },
    { NULL, "{a,b}", "(data->>'{a,b}')", "(data->'{a,b}')" },
    { NULL, "caf\xc3\xa9", "(data->>'caf\xc3\xa9')", "(data->'caf\xc3\xa9')" },
    { "doc", "k", "(doc->>'k')", "(doc->'k')" },
    { "t.doc", "k", "(t.doc->>'k')", "(t.doc->'k')" },
    { "\"My Doc\"", "k", "(\"My Doc\"->>'k')", "(\"My Doc\"->'k')" },
    { "to_json(t)", "k", "((to_json(t))->>'k')", "((to_json(t))->'k')" },
    { "x -- c", "k", "((x -- c\n)->>'k')", "((x -- c\n)->'k')" },
  };
  static const char *const invalid[] = { "", ".", "a.", ".a", "a..b", "\xc0", "a.\xe2\x82" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text =
        fraise_sql_render_path_text_full (cases[i].base, cases[i].path, &error);
      g_autofree char *json =
        fraise_sql_render_path_json_full (cases[i].base, cases[i].path, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (json, ==, cases[i].json);
    }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = fraise_sql_render_path_text_full (NULL, invalid[i], &error);

      g_assert_null (text);
      assert_config_error (error, "invalid JSON path");
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = fraise_sql_render_path_text_full ("", "k", &error);

    g_assert_null (text);
    assert_config_error (error, "base expression");
  }
}

/* ---- conditions -------------------------------------------------------- */

/* The document every condition reads: data as jsonb (a no-op cast the parser
 * removes on a jsonb column). */
#define DOC "(data::jsonb)"

/* The guarded numeric and string values at the key k. */
#define NUM(k)                                                                                     \
  "(CASE WHEN jsonb_typeof(" DOC "->'" k "') = 'number' THEN (" DOC "->'" k "')::numeric END)"
#define STR(k)                                                                                     \
  "(CASE WHEN jsonb_typeof(" DOC "->'" k "') = 'string' THEN (" DOC "->'" k                        \
  "') #>> '{}' END) COLLATE \"C\""
/* Present and not P. */
#define NOT(k, p) "(" DOC "->'" k "' IS NOT NULL AND (" p ") IS NOT TRUE)"

static void
test_condition_comparison (void)
{
  static const char *const sql_ops[] = { "<", "<=", ">", ">=" };

  /* eq, ne: containment, which a GIN (data jsonb_path_ops) index serves;
   * ne is present and not equal. */
  check_condition ("status", FRAISE_OPERATOR_EQ, g_variant_new_string ("active"),
                   "(" DOC " @> '{\"status\":\"active\"}')");
  check_condition ("age", FRAISE_OPERATOR_EQ, g_variant_new_int32 (42),
                   "(" DOC " @> '{\"age\":42}')");
  check_condition ("ok", FRAISE_OPERATOR_EQ, g_variant_new_boolean (TRUE),
                   "(" DOC " @> '{\"ok\":true}')");
  check_condition ("ok", FRAISE_OPERATOR_EQ, g_variant_new_boolean (FALSE),
                   "(" DOC " @> '{\"ok\":false}')");
  check_condition ("address.city", FRAISE_OPERATOR_EQ, g_variant_new_string ("Paris"),
                   "(" DOC " @> '{\"address\":{\"city\":\"Paris\"}}')");
  check_condition ("status", FRAISE_OPERATOR_NE, g_variant_new_string ("active"),
                   NOT ("status", "(" DOC " @> '{\"status\":\"active\"}')"));
  check_condition ("ok", FRAISE_OPERATOR_NE, g_variant_new_boolean (TRUE),
                   NOT ("ok", "(" DOC " @> '{\"ok\":true}')"));
  /* A boxed value is unboxed. */
  check_condition ("status", FRAISE_OPERATOR_EQ, g_variant_new_variant (g_variant_new_string ("a")),
                   "(" DOC " @> '{\"status\":\"a\"}')");
  /* JSON escapes, then SQL escapes: it's \ here → "it's \\ here" → E'...''...\\\\...'. */
  check_condition ("status", FRAISE_OPERATOR_NE, g_variant_new_string ("it's \\ here"),
                   NOT ("status", "(" DOC " @> E'{\"status\":\"it''s \\\\\\\\ here\"}')"));
  /* Keys are JSON-escaped in the containment and SQL-escaped in the path. */
  check_condition ("a\"b", FRAISE_OPERATOR_EQ, g_variant_new_int32 (1),
                   "(" DOC " @> E'{\"a\\\\\"b\":1}')");

  /* lt le gt ge: guarded casts, strings by code point. */
  for (guint i = 0; i < G_N_ELEMENTS (sql_ops); i++)
    {
      FraiseOperator op = FRAISE_OPERATOR_LT + i;
      g_autofree char *n = g_strdup_printf ("(" NUM ("age") " %s '42'::numeric)", sql_ops[i]);
      g_autofree char *s = g_strdup_printf ("(" STR ("name") " %s 'Zoé')", sql_ops[i]);

      check_condition ("age", op, g_variant_new_int32 (42), n);
      check_condition ("name", op, g_variant_new_string ("Zoé"), s);
    }
  check_condition ("address.zip", FRAISE_OPERATOR_GT, g_variant_new_int32 (0),
                   "((CASE WHEN jsonb_typeof(" DOC "->'address'->'zip') = 'number' THEN (" DOC
                   "->'address'->'zip')::numeric END) > '0'::numeric)");
  /* Booleans are not ordered. */
  check_condition_error ("ok", FRAISE_OPERATOR_LT, g_variant_new_boolean (TRUE),
                         "operator \"lt\" expects a string or number, not b");
  check_condition_error ("ok", FRAISE_OPERATOR_GE, g_variant_new_boolean (FALSE),
                         "operator \"ge\" expects a string or number, not b");
}

static void
test_condition_numbers (void)
{
  struct {
    GVariant *value;
    const char *number;
  } cases[] = {
    { g_variant_new_byte (255), "255" },
    { g_variant_new_int16 (-32768), "-32768" },
    { g_variant_new_uint16 (65535), "65535" },
    { g_variant_new_int32 (-42), "-42" },
    { g_variant_new_int32 (-1), "-1" },
    { g_variant_new_uint32 (G_MAXUINT32), "4294967295" },
    { g_variant_new_int64 (G_MININT64), "-9223372036854775808" },
    { g_variant_new_uint64 (G_MAXUINT64), "18446744073709551615" },
    { g_variant_new_double (1.5), "1.5" },
    { g_variant_new_double (0.1), "0.1" },
    { g_variant_new_double (-2.5e-8), "-2.5e-08" },
    { g_variant_new_double (1e300), "1e+300" },
    { g_variant_new_double (-0.0), "-0" },
    { g_variant_new_double (1.0 / 3.0), "0.3333333333333333" },
    { g_variant_new_double (G_MAXDOUBLE), "1.7976931348623157e+308" },
    { g_variant_new_double (4.9406564584124654e-324), "5e-324" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* A number is a quoted literal cast to numeric (no "--" can form),
       * and its JSON text in a containment. */
      g_autofree char *le = g_strdup_printf ("(" NUM ("n") " <= '%s'::numeric)", cases[i].number);
      g_autofree char *eq = g_strdup_printf ("(" DOC " @> '{\"n\":%s}')", cases[i].number);

      /* Sunk here: each check_condition() takes a reference of its own. */
      g_variant_ref_sink (cases[i].value);
      check_condition ("n", FRAISE_OPERATOR_LE, cases[i].value, le);
      check_condition ("n", FRAISE_OPERATOR_EQ, cases[i].value, eq);
      g_variant_unref (cases[i].value);
    }
  check_condition_error ("n", FRAISE_OPERATOR_EQ, g_variant_new_double (NAN), "NaN or infinite");
  check_condition_error ("n", FRAISE_OPERATOR_EQ, g_variant_new_double (INFINITY), "NaN");
  check_condition_error ("n", FRAISE_OPERATOR_LT, g_variant_new_double (-INFINITY), "NaN");
  check_condition_error ("n", FRAISE_OPERATOR_IN, g_variant_new_parsed ("[1.0, inf]"), "NaN");
}

static void
test_condition_in (void)
{
  GVariant *av[] = {
    g_variant_new_variant (g_variant_new_int32 (1)),
    g_variant_new_variant (g_variant_new_double (2.5)),
    g_variant_new_variant (g_variant_new_int64 (-3)),
  };
  GVariant *mixed[] = {
    g_variant_new_variant (g_variant_new_string ("5")),
    g_variant_new_variant (g_variant_new_int32 (5)),
    g_variant_new_variant (g_variant_new_boolean (TRUE)),
  };
  gint64 longs[] = { 7, -8 };
  gint32 ints[] = { -1 };

  check_condition ("status", FRAISE_OPERATOR_IN, strv ("a", "b'c", NULL),
                   "(" DOC " @> '{\"status\":\"a\"}' OR " DOC " @> '{\"status\":\"b''c\"}')");
  check_condition ("status", FRAISE_OPERATOR_NOT_IN, strv ("a", NULL),
                   NOT ("status", "(" DOC " @> '{\"status\":\"a\"}')"));
  check_condition ("n", FRAISE_OPERATOR_IN,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, longs, 2, sizeof (gint64)),
                   "(" DOC " @> '{\"n\":7}' OR " DOC " @> '{\"n\":-8}')");
  check_condition ("n", FRAISE_OPERATOR_NOT_IN,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ints, 1, sizeof (gint32)),
                   NOT ("n", "(" DOC " @> '{\"n\":-1}')"));
  check_condition ("n", FRAISE_OPERATOR_IN, g_variant_new_array (G_VARIANT_TYPE_VARIANT, av, 3),
                   "(" DOC " @> '{\"n\":1}' OR " DOC " @> '{\"n\":2.5}' OR " DOC
                   " @> '{\"n\":-3}')");
  check_condition ("b", FRAISE_OPERATOR_IN, g_variant_new_parsed ("[true, false]"),
                   "(" DOC " @> '{\"b\":true}' OR " DOC " @> '{\"b\":false}')");
  /* Values of several types: each keeps its JSON type ("5" is not 5). */
  check_condition ("v", FRAISE_OPERATOR_IN, g_variant_new_array (G_VARIANT_TYPE_VARIANT, mixed, 3),
                   "(" DOC " @> '{\"v\":\"5\"}' OR " DOC " @> '{\"v\":5}' OR " DOC
                   " @> '{\"v\":true}')");
  /* Nothing is in the empty list; not-in [] is "present". */
  check_condition ("status", FRAISE_OPERATOR_IN, strv (NULL, NULL), "false");
  check_condition ("status", FRAISE_OPERATOR_NOT_IN, strv (NULL, NULL), NOT ("status", "false"));
  check_condition ("n", FRAISE_OPERATOR_IN, g_variant_new_array (G_VARIANT_TYPE_INT64, NULL, 0),
                   "false");
}

#define TEXT_TEST(k, test) "(CASE WHEN jsonb_typeof(" DOC "->'" k "') = 'string' THEN " test " END)"
#define TEXT(k) "(" DOC "->'" k "' #>> '{}')"

static void
test_condition_like (void)
{
  check_condition ("name", FRAISE_OPERATOR_LIKE, g_variant_new_string ("A%_x"),
                   TEXT_TEST ("name", TEXT ("name") " LIKE 'A%_x'"));
  check_condition ("name", FRAISE_OPERATOR_ILIKE, g_variant_new_string ("a%"),
                   TEXT_TEST ("name", TEXT ("name") " ILIKE 'a%'"));
  check_condition ("name", FRAISE_OPERATOR_LIKE, g_variant_new_string ("50\\%"),
                   TEXT_TEST ("name", TEXT ("name") " LIKE E'50\\\\%'"));
}

static void
test_condition_substring (void)
{
  check_condition ("name", FRAISE_OPERATOR_CONTAINS, g_variant_new_string ("ann"),
                   TEXT_TEST ("name", "strpos(" TEXT ("name") " COLLATE \"C\", 'ann') > 0"));
  check_condition ("name", FRAISE_OPERATOR_STARTS_WITH, g_variant_new_string ("ann"),
                   TEXT_TEST ("name", TEXT ("name") " COLLATE \"C\" LIKE 'ann%' ESCAPE E'\\\\'"));
  check_condition ("name", FRAISE_OPERATOR_ENDS_WITH, g_variant_new_string ("ann"),
                   TEXT_TEST ("name", TEXT ("name") " COLLATE \"C\" LIKE '%ann' ESCAPE E'\\\\'"));
  /* strpos() has no wildcards: the value as it is. */
  check_condition (
    "name", FRAISE_OPERATOR_CONTAINS, g_variant_new_string ("100%_off\\"),
    TEXT_TEST ("name", "strpos(" TEXT ("name") " COLLATE \"C\", E'100%_off\\\\') > 0"));
  /* it's_ → it's\_% in the pattern, then '' and \\ in E''. */
  check_condition (
    "name", FRAISE_OPERATOR_STARTS_WITH, g_variant_new_string ("it's_"),
    TEXT_TEST ("name", TEXT ("name") " COLLATE \"C\" LIKE E'it''s\\\\_%' ESCAPE E'\\\\'"));
  check_condition ("name", FRAISE_OPERATOR_ENDS_WITH, g_variant_new_string (""),
                   TEXT_TEST ("name", TEXT ("name") " COLLATE \"C\" LIKE '%' ESCAPE E'\\\\'"));
}

static void
test_condition_null (void)
{
  /* JSON null, present: a missing key is neither null nor not null. */
  check_condition ("deleted_at", FRAISE_OPERATOR_IS_NULL, NULL,
                   "(" DOC " @> '{\"deleted_at\":null}')");
  check_condition ("a.b", FRAISE_OPERATOR_IS_NOT_NULL, NULL,
                   "(" DOC "->'a'->'b' IS NOT NULL AND ((" DOC
                   " @> '{\"a\":{\"b\":null}}')) IS NOT TRUE)");
  check_condition_error ("a", FRAISE_OPERATOR_IS_NULL, g_variant_new_string ("x"),
                         "operator \"is-null\" expects no value (NULL), not s");
}

static void
test_condition_array_contains (void)
{
  GVariant *mixed[] = {
    g_variant_new_variant (g_variant_new_string ("a\"b\\c\n")),
    g_variant_new_variant (g_variant_new_int32 (-1)),
    g_variant_new_variant (g_variant_new_boolean (TRUE)),
    g_variant_new_variant (g_variant_new_double (2.5)),
  };

  check_condition ("tags", FRAISE_OPERATOR_ARRAY_CONTAINS, g_variant_new_string ("x"),
                   "(" DOC " @> '{\"tags\":[\"x\"]}')");
  check_condition ("tags", FRAISE_OPERATOR_ARRAY_CONTAINS, g_variant_new_string ("it's"),
                   "(" DOC " @> '{\"tags\":[\"it''s\"]}')");
  check_condition ("a.ids", FRAISE_OPERATOR_ARRAY_CONTAINS, g_variant_new_int64 (-7),
                   "(" DOC " @> '{\"a\":{\"ids\":[-7]}}')");
  check_condition ("flags", FRAISE_OPERATOR_ARRAY_CONTAINS, g_variant_new_boolean (FALSE),
                   "(" DOC " @> '{\"flags\":[false]}')");
  check_condition ("tags", FRAISE_OPERATOR_ARRAY_CONTAINS, strv ("a", "b", NULL),
                   "(" DOC " @> '{\"tags\":[\"a\"]}' AND " DOC " @> '{\"tags\":[\"b\"]}')");
  check_condition (
    "tags", FRAISE_OPERATOR_ARRAY_CONTAINS, g_variant_new_array (G_VARIANT_TYPE_VARIANT, mixed, 4),
    "(" DOC " @> E'{\"tags\":[\"a\\\\\"b\\\\\\\\c\\\\u000a\"]}' AND " DOC
    " @> '{\"tags\":[-1]}' AND " DOC " @> '{\"tags\":[true]}' AND " DOC " @> '{\"tags\":[2.5]}')");
  /* Every array holds all of nothing. */
  check_condition ("tags", FRAISE_OPERATOR_ARRAY_CONTAINS, strv (NULL, NULL),
                   "jsonb_typeof(" DOC "->'tags') = 'array'");
}

static void
test_condition_array_overlaps (void)
{
  gint64 ids[] = { 1, -2 };

  check_condition ("tags", FRAISE_OPERATOR_ARRAY_OVERLAPS, strv ("a", "b'", NULL),
                   "(" DOC " @> '{\"tags\":[\"a\"]}' OR " DOC " @> '{\"tags\":[\"b''\"]}')");
  check_condition ("ids", FRAISE_OPERATOR_ARRAY_OVERLAPS,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, 2, sizeof (gint64)),
                   "(" DOC " @> '{\"ids\":[1]}' OR " DOC " @> '{\"ids\":[-2]}')");
  check_condition ("tags", FRAISE_OPERATOR_ARRAY_OVERLAPS, strv (NULL, NULL), "false");
  check_condition_error ("tags", FRAISE_OPERATOR_ARRAY_OVERLAPS, g_variant_new_string ("a"),
                         "operator \"array-overlaps\" expects an array");
}

static void
test_condition_has_key (void)
{
  /* Objects only: a string element of an array is no key. */
  check_condition ("address", FRAISE_OPERATOR_HAS_KEY, g_variant_new_string ("city"),
                   "(CASE WHEN jsonb_typeof(" DOC "->'address') = 'object' THEN " DOC
                   "->'address' ? 'city' END)");
  check_condition ("", FRAISE_OPERATOR_HAS_KEY, g_variant_new_string ("city"),
                   "(CASE WHEN jsonb_typeof(" DOC ") = 'object' THEN " DOC " ? 'city' END)");
  check_condition ("a.b", FRAISE_OPERATOR_HAS_KEY, g_variant_new_string ("k'\\"),
                   "(CASE WHEN jsonb_typeof(" DOC "->'a'->'b') = 'object' THEN " DOC
                   "->'a'->'b' ? E'k''\\\\' END)");
}

static void
test_condition_base (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *simple = NULL;
  g_autofree char *expr = NULL;
  g_autofree char *root = NULL;
  g_autofree char *order = NULL;
  g_autofree char *empty = NULL;
  g_autoptr (GVariant) x = g_variant_ref_sink (g_variant_new_string ("x"));
  g_autoptr (GVariant) a = g_variant_ref_sink (g_variant_new_string ("a"));
  g_autoptr (GVariant) one = g_variant_ref_sink (g_variant_new_int32 (1));

  simple = fraise_sql_render_condition_full ("doc", "a", FRAISE_OPERATOR_EQ, x, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (simple, ==, "((doc::jsonb) @> '{\"a\":\"x\"}')");
  expr = fraise_sql_render_condition_full ("to_jsonb(t)", "a", FRAISE_OPERATOR_GT, one, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (expr, ==,
                   "((CASE WHEN jsonb_typeof(((to_jsonb(t))::jsonb)->'a') = 'number' THEN "
                   "(((to_jsonb(t))::jsonb)->'a')::numeric END) > '1'::numeric)");
  root = fraise_sql_render_condition_full ("to_jsonb(t)", "", FRAISE_OPERATOR_HAS_KEY, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (root, ==,
                   "(CASE WHEN jsonb_typeof(((to_jsonb(t))::jsonb)) = 'object' THEN "
                   "((to_jsonb(t))::jsonb) ? 'a' END)");
  empty = fraise_sql_render_condition_full ("", "a", FRAISE_OPERATOR_EQ, x, &error);
  g_assert_null (empty);
  assert_config_error (error, "base expression");
  g_clear_error (&error);
  order = fraise_sql_render_order_item_full ("t.doc", "a", NULL, FRAISE_SORT_ASC,
                                             FRAISE_NULLS_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order, ==, "(t.doc->>'a') ASC");
}

/* No operator reads text with ->> or casts outside a jsonb_typeof() guard,
 * and none casts to boolean: what the old renderer did
 * ((data->>'age')::numeric, (data->>'ok')::boolean). */
static void
test_condition_guarded (void)
{
  const struct {
    FraiseOperator op;
    const char *value;
  } cases[] = {
    { FRAISE_OPERATOR_EQ, "18" },
    { FRAISE_OPERATOR_NE, "true" },
    { FRAISE_OPERATOR_LT, "18" },
    { FRAISE_OPERATOR_LE, "18.5" },
    { FRAISE_OPERATOR_GT, "int64 18" },
    { FRAISE_OPERATOR_GE, "'m'" },
    { FRAISE_OPERATOR_IN, "[1, 2]" },
    { FRAISE_OPERATOR_NOT_IN, "[true]" },
    { FRAISE_OPERATOR_LIKE, "'a%'" },
    { FRAISE_OPERATOR_ILIKE, "'a%'" },
    { FRAISE_OPERATOR_CONTAINS, "'a'" },
    { FRAISE_OPERATOR_STARTS_WITH, "'a'" },
    { FRAISE_OPERATOR_ENDS_WITH, "'a'" },
    { FRAISE_OPERATOR_IS_NULL, NULL },
    { FRAISE_OPERATOR_IS_NOT_NULL, NULL },
    { FRAISE_OPERATOR_ARRAY_CONTAINS, "[<1>, <'a'>, <false>]" },
    { FRAISE_OPERATOR_ARRAY_OVERLAPS, "[<1>, <'a'>]" },
    { FRAISE_OPERATOR_HAS_KEY, "'a'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) value = cases[i].value != NULL
                                     ? g_variant_parse (NULL, cases[i].value, NULL, NULL, &error)
                                     : NULL;
      g_autofree char *sql = fraise_sql_render_condition ("a.b", cases[i].op, value, &error);
      const char *p;

      g_assert_no_error (error);
      g_assert_nonnull (sql);
      g_assert_null (strstr (sql, "->>"));
      g_assert_null (strstr (sql, "::boolean"));
      for (p = strstr (sql, "::numeric"); p != NULL; p = strstr (p + 1, "::numeric"))
        {
          g_autofree char *before = g_strndup (sql, (gsize) (p - sql));
          const char *guard = g_strrstr (before, "CASE WHEN jsonb_typeof(");

          /* The literal's cast ('18'::numeric) is of a constant. */
          if (p > sql && p[-1] == '\'')
            continue;
          g_assert_nonnull (guard);
          g_assert_nonnull (strstr (guard, "= 'number' THEN"));
          g_assert_nonnull (strstr (p, " END"));
        }
      assert_sql_safe (sql);
    }
}

static void
test_condition_wrong_type (void)
{
  gint32 ints[] = { 1 };
  /* A scalar and an array: not an array of scalars. */
  GVariant *mixed[] = {
    g_variant_new_variant (g_variant_new_string ("a")),
    g_variant_new_variant (strv ("b", NULL)),
  };
  GVariant *nested[] = { strv ("a", NULL) };
  GVariant *nested2[] = { strv ("a", NULL) };

  check_condition_error ("a", FRAISE_OPERATOR_EQ, NULL,
                         "operator \"eq\" expects a string, number or boolean, not NULL");
  check_condition_error ("a", FRAISE_OPERATOR_LT, strv ("x", NULL),
                         "operator \"lt\" expects a string or number, not as");
  check_condition_error ("a", FRAISE_OPERATOR_EQ, g_variant_new ("(si)", "a", 1), "not (si)");
  check_condition_error ("a", FRAISE_OPERATOR_EQ, g_variant_new ("ms", "a"), "not ms");
  check_condition_error ("a", FRAISE_OPERATOR_IN, g_variant_new_string ("x"),
                         "operator \"in\" expects an array of strings, numbers or booleans, not s");
  check_condition_error ("a", FRAISE_OPERATOR_NOT_IN,
                         g_variant_new_array (G_VARIANT_TYPE_VARIANT, mixed, 2),
                         "operator \"not-in\" expects an array");
  check_condition_error ("a", FRAISE_OPERATOR_IN,
                         g_variant_new_array (G_VARIANT_TYPE_STRING_ARRAY, nested, 1), "not aas");
  check_condition_error ("a", FRAISE_OPERATOR_LIKE, g_variant_new_int32 (1),
                         "operator \"like\" expects a string, not i");
  check_condition_error ("a", FRAISE_OPERATOR_ILIKE, NULL, "operator \"ilike\" expects a string");
  check_condition_error ("a", FRAISE_OPERATOR_CONTAINS, g_variant_new_boolean (TRUE),
                         "operator \"contains\" expects a string, not b");
  check_condition_error ("a", FRAISE_OPERATOR_STARTS_WITH, NULL, "\"starts-with\"");
  check_condition_error ("a", FRAISE_OPERATOR_ENDS_WITH,
                         g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ints, 1, sizeof (gint32)),
                         "\"ends-with\" expects a string, not ai");
  check_condition_error ("a", FRAISE_OPERATOR_IS_NOT_NULL, g_variant_new_int32 (0),
                         "\"is-not-null\" expects no value");
  check_condition_error ("a", FRAISE_OPERATOR_ARRAY_CONTAINS, NULL, "\"array-contains\" expects");
  check_condition_error ("a", FRAISE_OPERATOR_ARRAY_CONTAINS,
                         g_variant_new_array (G_VARIANT_TYPE_STRING_ARRAY, nested2, 1), "not aas");
  check_condition_error ("a", FRAISE_OPERATOR_HAS_KEY, g_variant_new_int32 (1),
                         "operator \"has-key\" expects a string (the key), not i");
  check_condition_error ("a", 18, g_variant_new_string ("x"), "unknown condition operator 18");
  check_condition_error ("a", -1, g_variant_new_string ("x"), "unknown condition operator -1");
  /* Bad paths. */
  check_condition_error ("", FRAISE_OPERATOR_EQ, g_variant_new_string ("x"), "invalid JSON path");
  check_condition_error ("a..b", FRAISE_OPERATOR_IS_NULL, NULL, "invalid JSON path \"a..b\"");
  check_condition_error ("a.", FRAISE_OPERATOR_HAS_KEY, g_variant_new_string ("x"),
                         "invalid JSON path");
}

/* Every operator with every hostile string stays one literal per value. */
static void
test_condition_hostile (void)
{
  static const FraiseOperator string_ops[] = {
    FRAISE_OPERATOR_EQ,          FRAISE_OPERATOR_NE,        FRAISE_OPERATOR_LT,
    FRAISE_OPERATOR_LE,          FRAISE_OPERATOR_GT,        FRAISE_OPERATOR_GE,
    FRAISE_OPERATOR_LIKE,        FRAISE_OPERATOR_ILIKE,     FRAISE_OPERATOR_CONTAINS,
    FRAISE_OPERATOR_STARTS_WITH, FRAISE_OPERATOR_ENDS_WITH, FRAISE_OPERATOR_ARRAY_CONTAINS,
    FRAISE_OPERATOR_HAS_KEY,
  };
  static const FraiseOperator array_ops[] = {
    FRAISE_OPERATOR_IN,
    FRAISE_OPERATOR_NOT_IN,
    FRAISE_OPERATOR_ARRAY_CONTAINS,
    FRAISE_OPERATOR_ARRAY_OVERLAPS,
  };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      for (j = 0; j < G_N_ELEMENTS (string_ops); j++)
        {
          g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_string (hostile[i]));
          g_autofree char *sql =
            fraise_sql_render_condition (hostile[i], string_ops[j], value, NULL);

          g_assert_nonnull (sql);
          /* The key and the value are literals (one, for a containment
           * such as '{"key":"value"}'), and the SQL is safe either way. */
          g_assert_cmpuint (assert_sql_safe (sql), >=, 1);
        }
      for (j = 0; j < G_N_ELEMENTS (array_ops); j++)
        {
          g_autoptr(GVariant) value = g_variant_ref_sink (strv (hostile[i], "x", NULL));
          g_autofree char *sql = fraise_sql_render_condition ("k", array_ops[j], value, NULL);

          g_assert_nonnull (sql);
          assert_sql_safe (sql);
        }
      {
        g_autofree char *sql = fraise_sql_render_path_text_full (NULL, hostile[i], NULL);

        g_assert_nonnull (sql);
        g_assert_cmpuint (assert_sql_safe (sql), ==, 1);
      }
    }
}

/* Invalid UTF-8 and NUL never get through any operator. */
static void
test_condition_invalid_bytes (void)
{
  static const char *const bad[] = { "\xc0", "x\xe2\x82", "\xe2\x82'", "\xff--" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      FraiseOperator op;
      /* GVariant strings are UTF-8 by contract; build one from raw bytes anyway. */
      g_autoptr(GBytes) bytes = g_bytes_new (bad[i], strlen (bad[i]) + 1);
      g_autoptr(GVariant) value = g_variant_ref_sink (
        g_variant_new_from_bytes (G_VARIANT_TYPE_STRING, bytes, FALSE));

      for (op = FRAISE_OPERATOR_EQ; op < FRAISE_SQL_N_OPERATORS; op++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *sql = NULL;
          g_autofree char *by_path = NULL;

          if (op == FRAISE_OPERATOR_IS_NULL || op == FRAISE_OPERATOR_IS_NOT_NULL)
            continue;
          /* (g_variant_get_string returns "" for an invalid string; either way no
           * invalid byte may reach the SQL.) */
          sql = fraise_sql_render_condition ("k", op, value, NULL);
          if (sql != NULL)
            g_assert_true (g_utf8_validate (sql, -1, NULL));
          by_path = fraise_sql_render_condition (bad[i], op, value, &error);
          g_assert_null (by_path);
          g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
        }
    }
}

/* ---- ORDER BY ---------------------------------------------------------- */

static void
test_order (void)
{
  static const struct {
    const char *path;
    const char *collation;
    FraiseSortDirection direction;
    FraiseNulls nulls;
    const char *sql;
  } cases[] = {
    { "name", NULL, FRAISE_SORT_ASC, FRAISE_NULLS_DEFAULT, "(data->>'name') ASC" },
    { "name", "", FRAISE_SORT_DESC, FRAISE_NULLS_DEFAULT, "(data->>'name') DESC" },
    { "a.b_2", "C", FRAISE_SORT_ASC, FRAISE_NULLS_FIRST,
      "(data->'a'->>'b_2') COLLATE \"C\" ASC NULLS FIRST" },
    { "name", "en_US.utf8", FRAISE_SORT_DESC, FRAISE_NULLS_LAST,
      "(data->>'name') COLLATE \"en_US.utf8\" DESC NULLS LAST" },
    { "name", "und-x-icu", FRAISE_SORT_ASC, FRAISE_NULLS_LAST,
      "(data->>'name') COLLATE \"und-x-icu\" ASC NULLS LAST" },
    { "name", "de_DE@euro", FRAISE_SORT_ASC, FRAISE_NULLS_DEFAULT,
      "(data->>'name') COLLATE \"de_DE@euro\" ASC" },
  };
  static const char *const bad_paths[] = {
    "", "a b", "lower(name)", "a;b", "a--b", "a..b", ".a", "it's", "caf\xc3\xa9",
  };
  static const char *const bad_collations[] = { "C\"", "a b", "x;y", "\"C\"" };
  g_autofree char *long_collation = g_strnfill (64, 'c');
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = fraise_sql_render_order_item (
        cases[i].path, cases[i].collation, cases[i].direction, cases[i].nulls, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (sql, ==, cases[i].sql);
    }
  for (i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = fraise_sql_render_order_item (bad_paths[i], NULL, FRAISE_SORT_ASC,
                                                           FRAISE_NULLS_DEFAULT, &error);

      g_assert_null (sql);
      assert_config_error (error, "set_order_by_sql");
    }
  for (i = 0; i <= G_N_ELEMENTS (bad_collations); i++)
    {
      const char *collation =
        i < G_N_ELEMENTS (bad_collations) ? bad_collations[i] : long_collation;
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = fraise_sql_render_order_item ("a", collation, FRAISE_SORT_ASC,
                                                           FRAISE_NULLS_DEFAULT, &error);

      g_assert_null (sql);
      assert_config_error (error, "invalid collation");
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *sql =
      fraise_sql_render_order_item ("a", NULL, 2, FRAISE_NULLS_DEFAULT, &error);

    g_assert_null (sql);
    assert_config_error (error, "sort direction");
    g_clear_error (&error);
    sql = fraise_sql_render_order_item ("a", NULL, FRAISE_SORT_ASC, 3, &error);
    g_assert_null (sql);
    assert_config_error (error, "NULLS");
  }
}

/* ---- settings and SELECT ----------------------------------------------- */

static void
test_setting_name (void)
{
  static const char *const valid[] = {
    "work_mem", "statement_timeout", "app.tenant_id", "_x._y", "a1.b2",
  };
  static const char *const invalid[] = {
    "",
    "Work_mem",
    "1a",
    "a.b.c",
    "a.",
    ".a",
    "a-b",
    "a b",
    "a;b",
    "app.Tenant",
    "a.1",
    "work_mem = 1; DROP",
    "caf\xc3\xa9",
  };
  g_autofree char *max = g_strnfill (63, 'a');
  g_autofree char *too_long = g_strnfill (64, 'a');
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (fraise_sql_validate_setting_name (valid[i], NULL));
  g_assert_true (fraise_sql_validate_setting_name (max, NULL));
  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (fraise_sql_validate_setting_name (invalid[i], &error));
      assert_config_error (error, "invalid setting name");
    }
  g_assert_false (fraise_sql_validate_setting_name (too_long, NULL));
}

static char *
build (FraiseSqlSelect *select)
{
  g_autoptr(GError) error = NULL;
  char *sql = fraise_sql_build_select (select, &error);

  g_assert_no_error (error);
  return sql;
}

static void
test_select (void)
{
  g_autoptr(GPtrArray) where = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  FraiseSqlSelect select = { "users", NULL, NULL, NULL, -1, -1, NULL, NULL };
  g_autofree char *plain = NULL;
  g_autofree char *full = NULL;
  g_autofree char *projected = NULL;
  g_autofree char *zero = NULL;

  plain = build (&select);
  g_assert_cmpstr (plain, ==, "SELECT data FROM users");

  g_ptr_array_add (where, (char *) "(data->>'status') = 'active'");
  g_ptr_array_add (where, (char *) "x > 1 OR y");
  g_ptr_array_add (names, (char *) "app.tenant_id");
  g_ptr_array_add (values, (char *) "t'1\\");
  g_ptr_array_add (names, (char *) "work_mem");
  g_ptr_array_add (values, (char *) "64MB");
  select = (FraiseSqlSelect){
    "public.\"Users\"",
    NULL,
    where,
    "(data->>'name') ASC, (data->>'id') DESC",
    10,
    20,
    names,
    values,
  };
  full = build (&select);
  g_assert_cmpstr (full, ==,
                   "SET LOCAL app.tenant_id = E't''1\\\\'; SET LOCAL work_mem = '64MB'; "
                   "SELECT data FROM public.\"Users\" WHERE ((data->>'status') = 'active') "
                   "AND (x > 1 OR y) ORDER BY (data->>'name') ASC, (data->>'id') DESC "
                   "LIMIT 10 OFFSET 20");

  select = (FraiseSqlSelect){
    "v", "jsonb_build_object('id', id)", NULL, "", 0, 0, NULL, NULL,
  };
  projected = build (&select);
  g_assert_cmpstr (projected, ==,
                   "SELECT jsonb_build_object('id', id) AS data FROM v LIMIT 0 OFFSET 0");

  select = (FraiseSqlSelect){ "v", "", NULL, NULL, -1, 5, NULL, NULL };
  zero = build (&select);
  g_assert_cmpstr (zero, ==, "SELECT data FROM v OFFSET 5");
}

static void
test_select_trusted_comments (void)
{
  g_autoptr(GPtrArray) where = g_ptr_array_new ();
  FraiseSqlSelect select = { "t", "x -- the doc", where, "a -- by a", 1, -1, NULL, NULL };
  g_autofree char *sql = NULL;

  g_ptr_array_add (where, (char *) "a = 1 -- first");
  g_ptr_array_add (where, (char *) "b = 2");
  sql = build (&select);
  g_assert_cmpstr (sql, ==,
                   "SELECT x -- the doc\n AS data FROM t WHERE (a = 1 -- first\n) AND (b = 2) "
                   "ORDER BY a -- by a\n LIMIT 1");
}

static void
test_select_errors (void)
{
  g_autoptr(GPtrArray) where = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  FraiseSqlSelect select = { "users; DROP TABLE x", NULL, NULL, NULL, -1, -1, NULL, NULL };
  g_autoptr(GError) error = NULL;
  char *sql;

  sql = fraise_sql_build_select (&select, &error);
  g_assert_null (sql);
  assert_config_error (error, "invalid source \"users; DROP TABLE x\"");
  g_clear_error (&error);

  select.source = "users";
  select.where = where;
  g_ptr_array_add (where, (char *) " \n");
  sql = fraise_sql_build_select (&select, &error);
  g_assert_null (sql);
  assert_config_error (error, "WHERE predicate is empty");
  g_clear_error (&error);
  select.where = NULL;

  select.set_local_names = names;
  select.set_local_values = values;
  g_ptr_array_add (names, (char *) "work_mem");
  sql = fraise_sql_build_select (&select, &error);
  g_assert_null (sql);
  assert_config_error (error, "1 SET LOCAL names but 0 values");
  g_clear_error (&error);

  g_ptr_array_add (values, (char *) "1MB'; DROP TABLE x; --\xc0");
  sql = fraise_sql_build_select (&select, &error);
  g_assert_null (sql);
  assert_config_error (error, "UTF-8");
  g_clear_error (&error);

  g_ptr_array_index (names, 0) = (char *) "work_mem = 1; DROP TABLE x; SET a.b";
  g_ptr_array_index (values, 0) = (char *) "1MB";
  sql = fraise_sql_build_select (&select, &error);
  g_assert_null (sql);
  assert_config_error (error, "invalid setting name");
}

/* The values the SQL builder relies on (operator_names[] is indexed by them). */
static void
test_enum_values (void)
{
  g_assert_cmpint (FRAISE_SQL_N_OPERATORS, ==, 18);
  g_assert_cmpint (FRAISE_OPERATOR_HAS_KEY, ==, 17);
  g_assert_cmpint (FRAISE_SORT_DESC, ==, 1);
  g_assert_cmpint (FRAISE_NULLS_LAST, ==, 2);
}

/* Names as the server reports them, written back as identifiers. */
static void
test_identifiers (void)
{
  static const char *const cases[][2] = {
    { "tv_user", "tv_user" },   { "_t9", "_t9" },
    { "TvUser", "\"TvUser\"" },                                         /* would fold to tvuser */
    { "9lives", "\"9lives\"" },                                         /* not a plain identifier */
    { "a b", "\"a b\"" },       { "say \"hi\"", "\"say \"\"hi\"\"\"" }, /* quotes doubled */
    { "café", "\"café\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);

      fraise_sql_append_identifier (out, cases[i][0]);
      g_assert_cmpstr (out->str, ==, cases[i][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sql/literal/basic", test_literal_basic);
  g_test_add_func ("/sql/literal/hostile", test_literal_hostile);
  g_test_add_func ("/sql/literal/invalid", test_literal_invalid);
  g_test_add_func ("/sql/literal/length", test_literal_length);
  g_test_add_func ("/sql/literal/fuzz", test_literal_fuzz);
  g_test_add_func ("/sql/source/valid", test_source_valid);
  g_test_add_func ("/sql/source/invalid", test_source_invalid);
  g_test_add_func ("/sql/path", test_path);
  g_test_add_func ("/sql/condition/comparison", test_condition_comparison);
  g_test_add_func ("/sql/condition/numbers", test_condition_numbers);
  g_test_add_func ("/sql/condition/in", test_condition_in);
  g_test_add_func ("/sql/condition/like", test_condition_like);
  g_test_add_func ("/sql/condition/substring", test_condition_substring);
  g_test_add_func ("/sql/condition/null", test_condition_null);
  g_test_add_func ("/sql/condition/array-contains", test_condition_array_contains);
  g_test_add_func ("/sql/condition/array-overlaps", test_condition_array_overlaps);
  g_test_add_func ("/sql/condition/has-key", test_condition_has_key);
  g_test_add_func ("/sql/condition/base", test_condition_base);
  g_test_add_func ("/sql/condition/guarded", test_condition_guarded);
  g_test_add_func ("/sql/condition/wrong-type", test_condition_wrong_type);
  g_test_add_func ("/sql/condition/hostile", test_condition_hostile);
  g_test_add_func ("/sql/condition/invalid-bytes", test_condition_invalid_bytes);
  g_test_add_func ("/sql/order", test_order);
  g_test_add_func ("/sql/setting-name", test_setting_name);
  g_test_add_func ("/sql/select", test_select);
  g_test_add_func ("/sql/select/trusted-comments", test_select_trusted_comments);
  g_test_add_func ("/sql/select/errors", test_select_errors);
  g_test_add_func ("/sql/enum-values", test_enum_values);
  g_test_add_func ("/sql/identifiers", test_identifiers);

  return g_test_run ();
}
