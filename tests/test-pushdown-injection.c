/* test-pushdown-injection.c: hostile literals through push-down, against a real server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The table t_inject holds one document per hostile string h:
 * {"id": i, "v": h, "a": [h, i], "o": {h: h}}, plus documents where the
 * same fields have other types, and numbers at the edges of what numeric
 * reads. The strings are a fixed list (quotes, backslashes, E'', $1, $$,
 * ;, --, slash-star, parentheses, control characters, non-ASCII) and
 * strings drawn from a fixed seed over those characters. The documents are
 * loaded with psql's COPY from JSON written here, so nothing the library
 * escapes is used to build them.
 *
 * For each string, expressions that put it in every place a literal or a
 * key can go (==, !=, in, < >=, contains on a string and on an array, a
 * key of the path, exists, a top-level key, negations) are compiled with
 * _fraise_expr_pushdown_new () and the WHERE text is sent with
 * fraise_query_add_where_sql (). The test asserts that:
 *
 * (a) the query succeeds: the server parsed the text, with no syntax error;
 * (b) the rows it returns, filtered by the residual (the conjuncts left to
 *     the client), are exactly the rows for which fraise_expr_evaluate ()
 *     is TRUE on the client (and, with no residual, the returned rows are
 *     exactly those);
 * (c) `(<where>) IS NOT TRUE` returns exactly the other rows;
 * (d) afterwards the sentinel table t_inject_sentinel still holds its row,
 *     t_inject still holds all its rows, and the connection is reusable.
 *
 * Why this shows the WHERE is ONE predicate: add_where_sql() sends it as
 * `WHERE (<where>)`. A text that closed that parenthesis early and went on
 * (`x') OR (true`, `...); DROP ...; --`) would either be a syntax error,
 * caught by (a), or a different predicate whose rows would not be the
 * client's, caught by (b); a text whose parts bind to what surrounds them
 * would not partition the table together with its own `(...) IS NOT TRUE`
 * wrapping, caught by (c); and a statement smuggled after a `;` would drop
 * or change the tables, caught by (d). Each expression runs a second time
 * with standard_conforming_strings off (SET LOCAL), under which a '...'
 * literal holding a backslash would read differently.
 *
 * Expressions whose literals cannot reach SQL (U+0000, unpaired surrogates,
 * invalid UTF-8, single-quoted strings, $1, ;, comments) must be rejected
 * by the parser, before anything is sent; numbers beyond what numeric reads
 * must stay on the client (residual).
 */

#include "fraise-test-utils.h"
#include "fraise-expr-sql-private.h"

#include <string.h>

#define N_RANDOM 150
#define RANDOM_SEED 20261101

static const char *const fixed_strings[] = {
  "'",
  "''",
  "\\",
  "\\\\",
  "\\'",
  "'\\",
  "\\''",
  "E'",
  "e'\\''",
  "E'\\x27'",
  "$1",
  "$$",
  "$tag$",
  "$$ ; $$",
  "$1; $2",
  ";",
  "; DROP TABLE t_inject_sentinel; --",
  "'); DROP TABLE t_inject_sentinel; --",
  "x') OR (1=1",
  "x')) OR ((true",
  "' OR '1'='1",
  "' || pg_sleep(5) || '",
  "--",
  "-- x\n",
  "/*",
  "*/",
  "/* x */",
  "*/ OR true /*",
  "(",
  ")",
  "))",
  "((",
  "END) OR (true",
  "\n",
  "\r\n",
  "\t",
  "\b\f",
  "\x01",
  "\x1f",
  "\x7f",
  "%",
  "_",
  "%_\\",
  "\"",
  "\"'\"",
  "\\\"",
  "\"}",
  "{}",
  "{\"a\":1}",
  "[1]",
  "null",
  "true",
  "1",
  "",
  " ",
  "a'b",
  "data",
  "::jsonb",
  "@>",
  "#>> '{}'",
  "COLLATE \"C\"",
  "U&'\\0000'",
  "\\0",
  "\\x00",
  "\\u0000",
  "\\000",
  "\\ud800",
  "\xc3\xa9",          /* é */
  "\xf0\x9f\x98\x80",  /* an emoji, outside the BMP */
  "\xe2\x80\xa8",      /* U+2028 */
  "\xef\xbb\xbf",      /* a BOM */
  "\xce\xa9'\xce\xa9", /* Ω'Ω */
  "\xef\xbc\x87",      /* U+FF07, a fullwidth apostrophe */
  "\xca\xbc",          /* U+02BC, a modifier apostrophe */
};

/* What random strings are made of, each a UTF-8 character. */
static const char *const pieces[] = {
  "'",
  "'",
  "\"",
  "\\",
  "\\",
  ";",
  "-",
  "-",
  "/",
  "*",
  "$",
  "1",
  "E",
  "e",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  ":",
  ",",
  "%",
  "_",
  " ",
  "\n",
  "\t",
  "\x01",
  "\x7f",
  "a",
  "Z",
  "0",
  "\xc3\xa9",
  "\xf0\x9f\x98\x80",
  "\xe2\x80\xa8",
  "\xce\xa9",
};

static GPtrArray *
hostile_strings (void)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GRand) rand = g_rand_new_with_seed (RANDOM_SEED);

  for (gsize i = 0; i < G_N_ELEMENTS (fixed_strings); i++)
    g_ptr_array_add (strings, g_strdup (fixed_strings[i]));
  for (guint i = 0; i < N_RANDOM; i++)
    {
      GString *s = g_string_new (NULL);
      gint32 len = g_rand_int_range (rand, 1, 17);

      for (gint32 k = 0; k < len; k++)
        g_string_append (s, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      g_ptr_array_add (strings, g_string_free (s, FALSE));
    }
  return strings;
}

/* @s as a string of the filter language; with @ascii, every character
 * beyond ASCII as a \u escape (a surrogate pair beyond the BMP). */
static char *
expr_string (const char *s, gboolean ascii)
{
  GString *out = g_string_new ("\"");

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else if (c >= 0x80 && ascii && c >= 0x10000)
        g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + ((c - 0x10000) >> 10),
                                0xdc00 + ((c - 0x10000) & 0x3ff));
      else if (c >= 0x80 && ascii)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* One line of COPY's text format: the backslash, and the characters that
 * end a field or a line, escaped. */
static void
append_copy_field (GString *copy, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (copy, "\\\\");
      else if (*p == '\n')
        g_string_append (copy, "\\n");
      else if (*p == '\r')
        g_string_append (copy, "\\r");
      else if (*p == '\t')
        g_string_append (copy, "\\t");
      else
        g_string_append_c (copy, *p);
    }
  g_string_append_c (copy, '\n');
}

/* @s as a JSON string: written here (json-glib 1.6 leaves U+001F
 * unescaped, which the server refuses), not with the library's escaping. */
static void
append_json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* {"id": i, "v": h, "a": [h, i], "o": {h: h}} */
static char *
document (guint id, const char *h)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\"id\": %u, \"v\": ", id);
  append_json_string (out, h);
  g_string_append (out, ", \"a\": [");
  append_json_string (out, h);
  g_string_append_printf (out, ", %u], \"o\": {", id);
  append_json_string (out, h);
  g_string_append (out, ": ");
  append_json_string (out, h);
  g_string_append (out, "}}");
  return g_string_free (out, FALSE);
}

/* Documents where the fields have other types, or are missing; and the
 * numbers (as JSON text, so that they are exact). No path that an
 * expression indexes (a[0]) holds a scalar here: see
 * test_index_on_scalar(). */
static const char *const other_documents[] = {
  "{\"v\": 5, \"a\": {\"0\": 5}, \"o\": 5, \"n\": 0}",
  "{\"v\": null, \"a\": [null], \"o\": null, \"n\": -0.0}",
  "{\"v\": true, \"a\": [], \"o\": [\"'\"], \"n\": 1}",
  "{\"v\": [\"'\"], \"a\": [[\"'\"]], \"o\": {\"'\": [\"'\"]}, \"n\": 100}",
  "{\"v\": {\"'\": \"'\"}, \"a\": {\"0\": \"'\"}, \"n\": 1e999}",
  "{\"n\": 0.5e-999}",
  "{\"n\": -1e-1000}",
  "{\"n\": 1.0}",
  "{}",
};

static guint
load_tables (const char *uri, GPtrArray *strings)
{
  g_autoptr (GString) copy = g_string_new (NULL);
  guint id = 0;

  fraise_test_psql (uri,
                    "DROP TABLE IF EXISTS t_inject, t_inject_sentinel;"
                    "CREATE TABLE t_inject (data jsonb NOT NULL);"
                    "CREATE TABLE t_inject_sentinel (data jsonb NOT NULL);"
                    "INSERT INTO t_inject_sentinel VALUES ('{\"alive\": true}');",
                    NULL);
  for (guint i = 0; i < strings->len; i++, id++)
    {
      g_autofree char *doc = document (id, g_ptr_array_index (strings, i));

      append_copy_field (copy, doc);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (other_documents); i++, id++)
    {
      /* {"id": N, ...}: the id first, then the fields. */
      g_autofree char *doc = g_strdup_printf (
        "{\"id\": %u%s%s", id, other_documents[i][1] == '}' ? "" : ", ", other_documents[i] + 1);

      append_copy_field (copy, doc);
    }
  g_string_append (copy, "\\.\n");
  fraise_test_psql (uri, "COPY t_inject (data) FROM STDIN", copy->str);
  return id;
}

/* ---- queries ---------------------------------------------------------- */

typedef struct {
  FraiseClient *client;
  GPtrArray *texts; /* by id: each row's JSON as the server sends it */
  guint n_queries;
} Fixture;

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The ids of the rows of t_inject for which @where (NULL: every row) is
 * true, in order; with @scs_off, under standard_conforming_strings off. */
static GArray *
server_ids_or_error (
  Fixture *f, const char *where, gboolean scs_off, const char *expression, GError **error_out)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (f->client, "t_inject");
  g_autoptr (FraiseStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  FraiseRow *row;

  if (where != NULL)
    fraise_query_add_where_sql (query, where);
  if (scs_off)
    {
      g_assert_true (fraise_query_set_local (query, "standard_conforming_strings", "off", &error));
      g_assert_no_error (error);
    }
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream != NULL)
    while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
      {
        gint64 id = fraise_row_get_int (row, "id", NULL);

        g_array_append_val (ids, id);
        fraise_row_unref (row);
      }
  f->n_queries++;
  if (error != NULL && error_out != NULL)
    {
      g_propagate_error (error_out, g_steal_pointer (&error));
      g_array_unref (ids);
      return NULL;
    }
  if (error != NULL)
    g_error ("the server refused the WHERE of %s\n  (scs %s) %s\n  %s", expression,
             scs_off ? "off" : "on", where, error->message);
  g_array_sort (ids, compare_ids);
  return ids;
}

static GArray *
server_ids (Fixture *f, const char *where, gboolean scs_off, const char *expression)
{
  return server_ids_or_error (f, where, scs_off, expression, NULL);
}

/* The checks catch an injection: a WHERE built by pasting the string
 * between quotes, as a careless compiler would, fails (a) or (b). */
static void
check_negative_control (Fixture *f, const char *h)
{
  g_autofree char *naive = g_strdup_printf ("data->>'v' = '%s'", h);
  g_autofree char *s = expr_string (h, FALSE);
  g_autofree char *expression = g_strdup_printf ("v == %s", s);
  g_autoptr (FraiseExpr) expr = fraise_expr_parse (expression, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) got = server_ids_or_error (f, naive, FALSE, expression, &error);
  guint n_expected = 0;

  g_assert_nonnull (expr);
  for (guint id = 0; id < f->texts->len; id++)
    {
      const char *text = g_ptr_array_index (f->texts, id);

      if (fraise_expr_evaluate (expr, text, strlen (text), NULL) == FRAISE_TRUTH_TRUE)
        n_expected++;
    }
  if (got != NULL)
    g_assert_cmpuint (got->len, !=, n_expected); /* (b) */
  else
    g_assert_nonnull (error); /* (a) */
  g_test_message ("negative control %s: %s", naive,
                  got != NULL ? "different rows" : error->message);
}

static char *
ids_to_string (GArray *ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));
  return g_string_free (out, FALSE);
}

/* Compiles @expression, which must parse, and checks (a), (b) and (c). */
static void
check_expression (Fixture *f, const char *expression)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseExpr) expr = fraise_expr_parse (expression, &error);
  g_autoptr (FraiseExprPushdown) pushdown = NULL;
  g_autofree char *where = NULL;
  g_autofree char *complement_sql = NULL;
  g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) complement = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *expected_text = NULL;
  g_autofree char *complement_text = NULL;

  if (expr == NULL)
    g_error ("%s does not parse: %s", expression, error->message);
  pushdown = _fraise_expr_pushdown_new (expr, "data");
  where = _fraise_expr_pushdown_where (pushdown);

  for (guint id = 0; id < f->texts->len; id++)
    {
      const char *text = g_ptr_array_index (f->texts, id);
      gint64 id64 = id;

      if (fraise_expr_evaluate (expr, text, strlen (text), NULL) == FRAISE_TRUTH_TRUE)
        g_array_append_val (expected, id64);
    }
  expected_text = ids_to_string (expected);

  for (int scs_off = 0; scs_off <= 1; scs_off++)
    {
      g_autoptr (GArray) got = server_ids (f, where, scs_off, expression);
      g_autoptr (GArray) kept = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree char *kept_text = NULL;

      /* (b): what the server returns, filtered by the residual. */
      for (guint i = 0; i < got->len; i++)
        {
          gint64 id = g_array_index (got, gint64, i);
          const char *text = g_ptr_array_index (f->texts, id);

          if (_fraise_expr_pushdown_evaluate_residual (pushdown, text, strlen (text), NULL) ==
              FRAISE_TRUTH_TRUE)
            g_array_append_val (kept, id);
        }
      kept_text = ids_to_string (kept);
      if (g_strcmp0 (kept_text, expected_text) != 0)
        g_error ("%s\n  WHERE %s\n  (scs %s) server and residual: [%s]\n  client: [%s]", expression,
                 where != NULL ? where : "(none)", scs_off ? "off" : "on", kept_text,
                 expected_text);
      if (pushdown->n_pushed == pushdown->conjuncts->len)
        g_assert_cmpuint (got->len, ==, kept->len);
      if (where == NULL)
        g_assert_cmpuint (got->len, ==, f->texts->len);

      /* (c): the pushed WHERE and its negation partition the table. */
      if (where != NULL && !scs_off)
        {
          g_autoptr (GArray) rest = NULL;
          guint j = 0;

          complement_sql = g_strdup_printf ("(%s) IS NOT TRUE", where);
          rest = server_ids (f, complement_sql, FALSE, expression);
          for (guint id = 0; id < f->texts->len; id++)
            {
              gint64 id64 = id;

              if (j < got->len && g_array_index (got, gint64, j) == id64)
                j++;
              else
                g_array_append_val (complement, id64);
            }
          complement_text = ids_to_string (complement);
          {
            g_autofree char *rest_text = ids_to_string (rest);

            if (g_strcmp0 (rest_text, complement_text) != 0)
              g_error ("%s\n  %s\n  returned [%s], not the other rows [%s]", expression,
                       complement_sql, rest_text, complement_text);
          }
        }
    }
}

/* Every place a literal or a key can go, with the string @h. */
static void
check_string (Fixture *f, const char *h, gboolean ascii)
{
  g_autofree char *s = expr_string (h, ascii);
  char *expressions[] = {
    g_strdup_printf ("v == %s", s),
    g_strdup_printf ("a[0] == %s", s),
    g_strdup_printf ("v != %s", s),
    g_strdup_printf ("v in [%s, \"x\", 1, null, true]", s),
    g_strdup_printf ("!(a[0] in [%s, 5])", s),
    g_strdup_printf ("v < %s", s),
    g_strdup_printf ("a[0] >= %s", s),
    g_strdup_printf ("v contains %s", s),
    g_strdup_printf ("a contains %s", s),
    g_strdup_printf ("o.%s == %s", s, s),
    g_strdup_printf ("o.%s != %s || !(exists o.%s)", s, s, s),
    g_strdup_printf ("!(exists %s) && %s != 1", s, s),
    g_strdup_printf ("!(v == %s || o.%s <= %s) && id >= 0", s, s, s),
    g_strdup_printf ("%s.%s contains %s", s, s, s),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expressions); i++)
    {
      check_expression (f, expressions[i]);
      g_free (expressions[i]);
    }
}

/* Numbers at the edges of numeric: pushed ones must read on the server,
 * the others stay on the client. */
static void
check_numbers (Fixture *f)
{
  g_autofree char *nines = g_strnfill (999, '9');
  g_autofree char *sevens = g_strnfill (1001, '7');
  g_autofree char *long_pushed = g_strdup_printf ("n < %s && n > -%s", nines, nines);
  g_autofree char *long_kept = g_strdup_printf ("n < %s", sevens);
  const char *const pushed[] = {
    "n == 1e999",
    "n < 0.5e-999",
    "n > -1e-1000",
    "n == -0",
    "n >= 0",
    "n == 1E+2",
    "n in [1, 1.0, 1e0, 100e-2]",
    "n != 1e00000000000000000000999",
    "!(n <= 0.5e-999)",
    long_pushed,
  };
  const char *const kept[] = { "n == 1e999999", "n < 1e-999999", "n >= 1e1000", long_kept };

  for (gsize i = 0; i < G_N_ELEMENTS (pushed); i++)
    {
      g_autoptr (FraiseExpr) expr = fraise_expr_parse (pushed[i], NULL);
      g_autoptr (FraiseExprPushdown) pushdown = NULL;

      g_assert_nonnull (expr);
      pushdown = _fraise_expr_pushdown_new (expr, "data");
      g_assert_cmpuint (pushdown->n_pushed, ==, pushdown->conjuncts->len);
      check_expression (f, pushed[i]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autoptr (FraiseExpr) expr = fraise_expr_parse (kept[i], NULL);
      g_autoptr (FraiseExprPushdown) pushdown = NULL;

      g_assert_nonnull (expr);
      pushdown = _fraise_expr_pushdown_new (expr, "data");
      g_assert_cmpuint (pushdown->n_pushed, ==, 0);
      check_expression (f, kept[i]);
    }
}

static guint
count_rows (FraiseClient *client, const char *source)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (client, source);
  g_autoptr (FraiseStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  FraiseRow *row;
  guint n = 0;

  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      n++;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  return n;
}

static void
test_hostile_literals (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (GPtrArray) strings = hostile_strings ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (FraiseQuery) all = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  const char *uri;
  guint n_docs;
  FraiseRow *row;

  if (client == NULL)
    return;
  uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  n_docs = load_tables (uri, strings);

  /* Every row's text as the server sends it, by id. */
  g_ptr_array_set_size (texts, n_docs);
  all = fraise_client_query (client, "t_inject");
  stream = fraise_query_execute_sync (all, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      gint64 id = fraise_row_get_int (row, "id", NULL);

      g_assert_cmpint (id, >=, 0);
      g_assert_cmpint (id, <, n_docs);
      g_assert_null (g_ptr_array_index (texts, id));
      g_ptr_array_index (texts, id) = g_strdup (fraise_row_get_json (row));
      fraise_row_unref (row);
    }
  g_assert_no_error (error);
  for (guint i = 0; i < n_docs; i++)
    g_assert_nonnull (g_ptr_array_index (texts, i));

  f.client = client;
  f.texts = texts;
  for (guint i = 0; i < strings->len; i++)
    check_string (&f, g_ptr_array_index (strings, i), i % 2 == 1);
  check_numbers (&f);
  check_negative_control (&f, "' OR '1'='1");
  check_negative_control (&f, "x') OR (true");
  g_test_message ("%u strings, %u documents, %u queries", strings->len, n_docs, f.n_queries);

  /* (d): nothing was dropped or changed, and the connection still works. */
  g_assert_cmpuint (count_rows (client, "t_inject_sentinel"), ==, 1);
  g_assert_cmpuint (count_rows (client, "t_inject"), ==, n_docs);
  fraise_test_psql (uri, "DROP TABLE t_inject, t_inject_sentinel", NULL);
}

/* Literals and text that cannot reach SQL: refused by the parser. */
static void
test_rejected_before_sending (void)
{
  const char *const rejected[] = {
    "v == \"\\u0000\"",
    "v == \"a\\u0000b\"",
    "\"\\u0000\" == 1",
    "o.\"k\\u0000\" == 1",
    "v == \"\\ud800\"",
    "v == \"\\udc00\"",
    "v == \"\\ud83dx\"",
    "v == \"\xff\"",
    "v == \"\xc3(\"",
    "\"\xed\xa0\x80\" == 1",
    "v == \"\xc0\xaf\"",
    "v == 'x'",
    "v == \"x\"; DROP TABLE t_inject_sentinel",
    "v == $1",
    "$1 == 1",
    "v == \"x\" -- comment",
    "v == \"x\" /* comment */",
    "v == E'x'",
    "v == \"x\") || (true",
    "v == \"unterminated",
    "v == \"raw\ncontrol\"",
    "v == 1e",
    "v == 01",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (FraiseExpr) expr = fraise_expr_parse (rejected[i], &error);

      if (expr != NULL)
        g_error ("%s was accepted", rejected[i]);
      g_assert_nonnull (error);
      g_assert_true (error->domain == FRAISE_PARSE_ERROR);
    }
}

/* A bug the push-down compiler had, not of its escaping: PostgreSQL's
 * `jsonb -> 0` on a scalar returns the scalar itself ('"x"'::jsonb -> 0 is
 * "x", 'null'::jsonb -> 0 is null), where the filter language's `s[0]` on a
 * scalar is missing. So `status[0] == "active"` is TRUE on the server for
 * the rows whose status is "active" and UNKNOWN on the client, and
 * `exists status[0]` differed the same way, until the compiler guarded a
 * final index step with jsonb_typeof() = 'array'. */
static void
test_index_on_scalar (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  const char *const expressions[] = { "status[0] == \"active\"", "exists status[0]" };
  gboolean differs = FALSE;

  if (client == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (expressions); i++)
    {
      g_autoptr (FraiseExpr) expr = fraise_expr_parse (expressions[i], NULL);
      g_autoptr (FraiseExprPushdown) pushdown = NULL;
      g_autoptr (FraiseQuery) query = fraise_client_query (client, "v_project");
      g_autoptr (FraiseStream) stream = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *where = NULL;
      guint server = 0, client_side = 0;
      FraiseRow *row;

      g_assert_nonnull (expr);
      pushdown = _fraise_expr_pushdown_new (expr, "data");
      where = _fraise_expr_pushdown_where (pushdown);
      g_assert_nonnull (where);
      fraise_query_add_where_sql (query, where);
      stream = fraise_query_execute_sync (query, NULL, &error);
      g_assert_no_error (error);
      while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
        {
          const char *json = fraise_row_get_json (row);

          server++;
          if (fraise_expr_evaluate (expr, json, strlen (json), NULL) == FRAISE_TRUTH_TRUE)
            client_side++;
          fraise_row_unref (row);
        }
      g_assert_no_error (error);
      if (server != client_side)
        {
          g_test_message ("%s: WHERE %s keeps %u rows of v_project, the client %u", expressions[i],
                          where, server, client_side);
          differs = TRUE;
        }
    }
  g_assert_false (differs);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pushdown-injection/rejected-before-sending", test_rejected_before_sending);
  g_test_add_func ("/pushdown-injection/hostile-literals", test_hostile_literals);
  g_test_add_func ("/pushdown-injection/index-on-scalar", test_index_on_scalar);
  return g_test_run ();
}
