/* test-pushdown-diff.c: push-down against the client-side evaluator, on generated cases
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A differential test of the filter language's push-down (docs/filter.md,
 * fraise-expr-sql-private.h). A seeded generator makes JSON documents over a
 * small key vocabulary (a, b, c, "odd key", x.y, tags[...]) with values
 * chosen to look like one another (1 and 1.0 and "1.0", -0, 1e2, long and
 * huge decimals, strings of digits, non-ASCII strings, escapes, booleans,
 * null, missing keys, nested containers, empty ones) and expressions over
 * the same vocabulary (every operator, literals of every type, nesting up to
 * depth 4). The documents are loaded into a uniquely named table
 * (id int, data jsonb) through psql; jsonb normalises them, so the client
 * evaluates exactly the texts the server returns. For every expression:
 *
 * - every conjunct pushed as SQL is true on the server for exactly the rows
 *   where the client says the conjunct (negated when it is) is TRUE;
 * - the whole pushed WHERE, with the client-side residual, keeps exactly
 *   the rows fraise_expr_evaluate() keeps;
 * - the expression is TRUE exactly where all its conjuncts are;
 * - for the first FRAISE_DIFF_PIPELINES expressions, `query source=TABLE !
 *   filter expr=... ! model-sink` keeps those rows too (as a multiset of
 *   texts), with the filter's push-down property FALSE and TRUE, and pushed
 *   down the filter receives only the rows of the WHERE.
 *
 * Many expressions are answered per round trip: one query over the table
 * whose projection is an array, per expression, of the ids arrays that
 * jsonb_agg (id) FILTER (WHERE sql) gives for the WHERE and each conjunct.
 *
 * FRAISE_DIFF_SEED (the seed, printed), FRAISE_DIFF_DOCS,
 * FRAISE_DIFF_EXPRS and FRAISE_DIFF_PIPELINES (the counts) reproduce or lengthen a run;
 * bench/README.md documents a longer one. Every difference is printed with the seed, the
 * expression, the conjunct, the document as the server returned it, the SQL
 * and both answers.
 */

#include "fraise-test-utils.h"
#include "fraise-test-chain.h"
#include "fraise-expr-sql-private.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define SUPERUSER_URI_ENV "FRAISE_TEST_SUPERUSER_URI"

#define DEFAULT_SEED 20261203u
#define DEFAULT_DOCS 300
#define DEFAULT_EXPRS 2000
/* Expressions also run through a pipeline, push-down on and off. */
#define DEFAULT_PIPELINES 300
/* Expressions per round trip: jsonb_build_array() takes at most 100 arguments. */
#define BATCH 50
/* Differences printed in full; the others are only counted. */
#define MAX_REPORTS 25

/* ---- the generators -------------------------------------------------------- */

/* Scalars of documents, as JSON texts. */
static const char *const doc_scalars[] = {
  "0",
  "-0",
  "1",
  "1.0",
  "-1",
  "2",
  "5",
  "-7",
  "10",
  "1e2",
  "100",
  "0.1",
  "0.3",
  "0.30000000000000004",
  "-2.5",
  "3.0e-1",
  "1e300",
  "123456789012345678901234567890",
  "\"5\"",
  "\"1.0\"",
  "\"1e2\"",
  "\"\"",
  "\"abc\"",
  "\"ab\"",
  "\"a\"",
  "\"b\"",
  "\"Z\"",
  "\"Zoë\"",
  "\"Zo\\u00eb\"",
  "\"日本\"",
  "\"日本語\"",
  "\"a\\\"b\"",
  "\"back\\\\slash\"",
  "\"%_\"",
  "\"true\"",
  "\"null\"",
  "\"\\uffff\"",
  "\"😀\"",
  "true",
  "false",
  "null",
};

/* Keys of nested objects. */
static const char *const inner_keys[] = { "y", "z", "a", "0", "odd key" };

/* Paths of expressions, in the filter language. */
static const char *const paths[] = {
  "a",         "b",          "c",      "\"odd key\"", "\"odd key\".y", "x",       "x.y",
  "x.z",       "x.y.y",      "tags",   "tags[0]",     "tags[1]",       "tags[3]", "tags[0].y",
  "tags[1].y", "tags[0][0]", "a[0]",   "b[1]",        "x.y[0]",        "[0]",     "[1]",
  "[0].y",     "nope",       "x.nope", "\"0\"",       "x.\"0\"",       "a.y",
};

static const char *const number_literals[] = {
  "0",
  "-0",
  "1",
  "1.0",
  "10e-1",
  "2",
  "5",
  "5.0",
  "-7",
  "-1",
  "1e2",
  "100",
  "0.1",
  "0.3",
  "0.30000000000000004",
  "-2.5",
  "1e300",
  "1e400",
  "1e2000",
  "123456789012345678901234567890",
  "123456789012345678901234567891",
};

static const char *const string_literals[] = {
  "\"5\"",
  "\"1.0\"",
  "\"1e2\"",
  "\"\"",
  "\"abc\"",
  "\"ab\"",
  "\"a\"",
  "\"b\"",
  "\"Z\"",
  "\"Zoë\"",
  "\"Zo\\u00eb\"",
  "\"日本\"",
  "\"日\"",
  "\"a\\\"b\"",
  "\"back\\\\slash\"",
  "\"\\\\\"",
  "\"%\"",
  "\"_\"",
  "\"true\"",
  "\"null\"",
  "\"\\uffff\"",
  "\"😀\"",
  "\"\\ud83d\\ude00\"",
};

static const char *const other_literals[] = { "true", "false", "null" };

static const char *const regexes[] = {
  "\"^a\"", "\"b\"", "\"5\"", "\"^$\"", "\"(?i)zo\"", "\"日\"", "\"^[0-9.]+$\"",
};

#define PICK(r, list) ((list)[g_rand_int_range ((r), 0, (gint32) G_N_ELEMENTS (list))])

static gboolean
chance (GRand *r, int percent)
{
  return g_rand_int_range (r, 0, 100) < percent;
}

static void gen_value (GRand *r, GString *out, int depth);

static void
gen_scalar (GRand *r, GString *out)
{
  if (chance (r, 15))
    g_string_append_printf (out, "%d", g_rand_int_range (r, -12, 13));
  else
    g_string_append (out, PICK (r, doc_scalars));
}

static void
gen_array (GRand *r, GString *out, int depth)
{
  int n = g_rand_int_range (r, 0, 5);

  g_string_append_c (out, '[');
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      gen_value (r, out, depth + 1);
    }
  g_string_append_c (out, ']');
}

static void
gen_object (GRand *r, GString *out, int depth)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (gsize i = 0; i < G_N_ELEMENTS (inner_keys); i++)
    {
      if (!chance (r, 35))
        continue;
      if (!first)
        g_string_append (out, ", ");
      first = FALSE;
      g_string_append_printf (out, "\"%s\": ", inner_keys[i]);
      gen_value (r, out, depth + 1);
    }
  g_string_append_c (out, '}');
}

static void
gen_value (GRand *r, GString *out, int depth)
{
  int k = depth >= 3 ? 0 : g_rand_int_range (r, 0, 10);

  if (k < 7)
    gen_scalar (r, out);
  else if (k < 9)
    gen_array (r, out, depth);
  else
    gen_object (r, out, depth);
}

static void
gen_document (GRand *r, GString *out)
{
  static const char *const keys[] = { "a", "b", "c", "odd key", "x", "tags", "0" };
  gboolean first = TRUE;

  if (chance (r, 4))
    {
      /* Not an object: a scalar or an array at the top. */
      if (chance (r, 50))
        gen_array (r, out, 0);
      else
        gen_scalar (r, out);
      return;
    }
  g_string_append_c (out, '{');
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (!chance (r, i == G_N_ELEMENTS (keys) - 1 ? 15 : 70))
        continue;
      if (!first)
        g_string_append (out, ", ");
      first = FALSE;
      g_string_append_printf (out, "\"%s\": ", keys[i]);
      if ((g_str_equal (keys[i], "x") || g_str_equal (keys[i], "odd key")) && chance (r, 60))
        gen_object (r, out, 1);
      else if (g_str_equal (keys[i], "tags") && chance (r, 70))
        gen_array (r, out, 1);
      else
        gen_value (r, out, 1);
    }
  g_string_append_c (out, '}');
}

static const char *
gen_literal (GRand *r)
{
  int k = g_rand_int_range (r, 0, 10);

  if (k < 4)
    return PICK (r, number_literals);
  if (k < 8)
    return PICK (r, string_literals);
  return PICK (r, other_literals);
}

static void
gen_ordered_literal (GRand *r, GString *out)
{
  if (chance (r, 15))
    g_string_append_printf (out, "%d", g_rand_int_range (r, -12, 13));
  else
    g_string_append (out, chance (r, 50) ? PICK (r, number_literals) : PICK (r, string_literals));
}

static void
gen_atom (GRand *r, GString *out)
{
  static const char *const orders[] = { "<", "<=", ">", ">=" };
  const char *path = PICK (r, paths);
  int k = g_rand_int_range (r, 0, 20);

  if (k < 4)
    g_string_append_printf (out, "%s == %s", path, gen_literal (r));
  else if (k < 6)
    g_string_append_printf (out, "%s != %s", path, gen_literal (r));
  else if (k < 10)
    {
      g_string_append_printf (out, "%s %s ", path, PICK (r, orders));
      gen_ordered_literal (r, out);
    }
  else if (k < 12)
    {
      int n = g_rand_int_range (r, 0, 4);

      g_string_append_printf (out, "%s in [", path);
      for (int i = 0; i < n; i++)
        g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", gen_literal (r));
      g_string_append_c (out, ']');
    }
  else if (k < 15)
    g_string_append_printf (out, "%s contains %s", path, gen_literal (r));
  else if (k < 16)
    g_string_append_printf (out, "exists %s", path);
  else if (k < 17)
    g_string_append (out, path);
  else if (k < 18)
    g_string_append_printf (out, "%s =~ %s", path, PICK (r, regexes));
  else if (k < 19)
    g_string_append_printf (out, "!%s", path);
  else
    g_string_append_printf (out, "!(exists %s)", path);
}

static void
gen_expr (GRand *r, GString *out, int depth)
{
  int k = depth >= 4 ? 0 : g_rand_int_range (r, 0, 10);

  if (k < 4)
    gen_atom (r, out);
  else if (k < 9)
    {
      int n = g_rand_int_range (r, 2, 4);
      const char *op = k < 6 ? " && " : " || ";

      for (int i = 0; i < n; i++)
        {
          gboolean parens = chance (r, 50);

          if (i > 0)
            g_string_append (out, chance (r, 70) ? op : (k < 6 ? " || " : " && "));
          if (parens)
            g_string_append_c (out, '(');
          gen_expr (r, out, depth + 1);
          if (parens)
            g_string_append_c (out, ')');
        }
    }
  else
    {
      g_string_append (out, "!(");
      gen_expr (r, out, depth + 1);
      g_string_append_c (out, ')');
    }
}

/* ---- the server ------------------------------------------------------------- */

static void
run_psql_file (const char *uri, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  int fd;

  fd = g_file_open_tmp ("fraise-diff-XXXXXX.sql", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, sql, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = {
      "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-f", path, NULL
    };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, &err, &status, &error))
      g_error ("psql: %s", error->message);
  }
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("psql: %s: %s", error->message, err);
}

static void
append_sql_literal (GString *out, const char *s)
{
  g_string_append_c (out, '\'');
  for (; *s != '\0'; s++)
    {
      if (*s == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '\'');
}

/* The rows of @query's stream, or NULL with @error. */
static GPtrArray *
pull_all (FraiseQuery *query, GError **error)
{
  g_autoptr (FraiseStream) stream = fraise_query_execute_sync (query, NULL, error);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  FraiseRow *row;

  if (stream == NULL)
    return NULL;
  while ((row = fraise_stream_next_sync (stream, NULL, error)) != NULL)
    g_ptr_array_add (rows, row);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&rows);
}

/* ---- the cases --------------------------------------------------------------- */

typedef struct {
  guint32 seed;
  guint n_docs;
  char *table;
  char **docs; /* the server's texts, by index (id - 1) */
  guint n_diffs;
  guint n_reports;
  guint64 n_cases;
  guint64 n_conjunct_cases;
  guint64 n_kept; /* cases where the expression is TRUE */
  guint n_pipeline_runs;
  guint n_pushed;
  guint n_residual;
  guint n_fully_pushed;
  GHashTable *bad_conjuncts; /* "conjunct\nsql" -> documents it differs on */
  GPtrArray *bad_order;      /* their keys, first seen first */
} Run;

typedef struct {
  char *text;
  FraiseExpr *expr;
  FraiseExprPushdown *pushdown;
  char *where;
  /* from the server, per document: in the WHERE's rows; per pushed
   * conjunct (in the order of the conjuncts), in its rows */
  guint8 *server_where;
  guint8 **server_conjunct;
  char *server_error;
  GPtrArray *reported; /* the checks printed for it, NULL-terminated */
} Case;

static void
case_free (Case *c)
{
  if (c->server_conjunct != NULL)
    for (guint i = 0; i < c->pushdown->conjuncts->len; i++)
      g_free (c->server_conjunct[i]);
  g_free (c->server_conjunct);
  g_free (c->server_where);
  g_free (c->server_error);
  g_ptr_array_unref (c->reported);
  g_free (c->where);
  g_clear_pointer (&c->pushdown, _fraise_expr_pushdown_free);
  g_clear_pointer (&c->expr, fraise_expr_unref);
  g_free (c->text);
  g_free (c);
}

static const char *
truth_name (FraiseTruth t)
{
  return t == FRAISE_TRUTH_TRUE ? "true" : t == FRAISE_TRUTH_FALSE ? "false" : "unknown";
}

static FraiseTruth
conjunct_truth (const FraiseExprConjunct *conjunct, const char *json, GError **error)
{
  FraiseTruth t = _fraise_expr_evaluate_node (conjunct->node, json, strlen (json), error);

  if (conjunct->negated && t != FRAISE_TRUTH_UNKNOWN)
    t = t == FRAISE_TRUTH_TRUE ? FRAISE_TRUTH_FALSE : FRAISE_TRUTH_TRUE;
  return t;
}

/* @s with every character outside printable ASCII written \uXXXX (a JSON
 * escape, surrogate pairs beyond the BMP), so that the TAP output shows
 * exactly what was compared whatever the locale. */
static char *
escape (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar u = g_utf8_get_char (p);

      if (u >= 0x20 && u < 0x7f)
        g_string_append_c (out, (char) u);
      else if (u > 0xffff)
        g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + ((u - 0x10000) >> 10),
                                0xdc00 + ((u - 0x10000) & 0x3ff));
      else
        g_string_append_printf (out, "\\u%04x", u);
    }
  return g_string_free (out, FALSE);
}

/* Counts a difference, and prints it unless too many were printed or the
 * expression already had one of this @check printed. */
static void
report (Run *run,
        const char *check,
        Case *c,
        const FraiseExprConjunct *conjunct,
        guint doc,
        const char *sql,
        const char *server,
        const char *client)
{
  g_autofree char *expression = escape (c->text);
  g_autofree char *document = escape (run->docs[doc]);
  g_autofree char *escaped_sql = escape (sql != NULL ? sql : "(none)");

  run->n_diffs++;
  if (conjunct != NULL)
    {
      g_autofree char *text = _fraise_expr_conjunct_to_string (conjunct);
      char *key = g_strdup_printf ("%s\n%s", text, conjunct->sql);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (run->bad_conjuncts, key));

      if (n == 0)
        g_ptr_array_add (run->bad_order, g_strdup (key));
      g_hash_table_replace (run->bad_conjuncts, key, GUINT_TO_POINTER (n + 1));
    }
  if (g_strv_contains ((const char *const *) c->reported->pdata, check))
    return;
  g_ptr_array_insert (c->reported, 0, (gpointer) check);
  if (run->n_reports++ >= MAX_REPORTS)
    return;
  g_test_message ("DIFFERENCE (%s), seed %u (non-ASCII shown as \\uXXXX):", check, run->seed);
  g_test_message ("  expression: %s", expression);
  if (conjunct != NULL)
    {
      g_autofree char *text = _fraise_expr_conjunct_to_string (conjunct);
      g_autofree char *escaped = escape (text);

      g_test_message ("  conjunct:   %s", escaped);
    }
  g_test_message ("  document:   %s (id %u)", document, doc + 1);
  g_test_message ("  sql:        %s", escaped_sql);
  g_test_message ("  server:     %s", server);
  g_test_message ("  client:     %s", client);
}

/* Marks in @set (one byte per document) the ids of the JSON array @node. */
static gboolean
read_ids (Run *run, JsonNode *node, guint8 *set)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id = json_array_get_int_element (array, i);

      if (id < 1 || id > run->n_docs)
        return FALSE;
      set[id - 1] = 1;
    }
  return TRUE;
}

/* coalesce(jsonb_agg(id ORDER BY id) FILTER (WHERE sql), '[]') */
static void
append_ids_of (GString *out, const char *sql)
{
  g_string_append_printf (out, "coalesce(jsonb_agg(id ORDER BY id) FILTER (WHERE %s), '[]')",
                          sql != NULL ? sql : "true");
}

/* Asks the server for the rows of the WHERE and of each pushed conjunct of
 * @cases, in one query; on an error, asks case by case to find which. */
static void
ask_server (Run *run, FraiseClient *client, GPtrArray *cases)
{
  g_autoptr (GString) projection = g_string_new ("jsonb_build_array(");
  g_autoptr (FraiseQuery) query = fraise_client_query (client, run->table);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  JsonNode *node;
  JsonArray *answers;

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);

      g_string_append (projection, i > 0 ? ", jsonb_build_array(" : "jsonb_build_array(");
      append_ids_of (projection, c->where);
      for (guint j = 0; j < c->pushdown->conjuncts->len; j++)
        {
          const FraiseExprConjunct *conjunct =
            &g_array_index (c->pushdown->conjuncts, FraiseExprConjunct, j);

          if (conjunct->sql == NULL)
            continue;
          g_string_append (projection, ", ");
          append_ids_of (projection, conjunct->sql);
        }
      g_string_append_c (projection, ')');
    }
  g_string_append_c (projection, ')');
  fraise_query_set_projection (query, projection->str);
  rows = pull_all (query, &error);
  if (rows == NULL)
    {
      if (cases->len == 1)
        {
          Case *c = g_ptr_array_index (cases, 0);

          c->server_error = g_strdup (error->message);
          return;
        }
      for (guint i = 0; i < cases->len; i++)
        {
          g_autoptr (GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, g_ptr_array_index (cases, i));
          ask_server (run, client, one);
        }
      return;
    }
  g_assert_cmpuint (rows->len, ==, 1);
  node = fraise_row_get_node (g_ptr_array_index (rows, 0), &error);
  g_assert_no_error (error);
  answers = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (answers), ==, cases->len);
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      JsonArray *sets = json_array_get_array_element (answers, i);
      guint k = 1;

      c->server_where = g_new0 (guint8, run->n_docs);
      g_assert_true (read_ids (run, json_array_get_element (sets, 0), c->server_where));
      c->server_conjunct = g_new0 (guint8 *, c->pushdown->conjuncts->len);
      for (guint j = 0; j < c->pushdown->conjuncts->len; j++)
        {
          const FraiseExprConjunct *conjunct =
            &g_array_index (c->pushdown->conjuncts, FraiseExprConjunct, j);

          if (conjunct->sql == NULL)
            continue;
          c->server_conjunct[j] = g_new0 (guint8, run->n_docs);
          g_assert_true (read_ids (run, json_array_get_element (sets, k++), c->server_conjunct[j]));
        }
    }
}

/* Compares the server's answers for @c with the client's, document by document. */
static void
check_case (Run *run, Case *c)
{
  if (c->server_error != NULL)
    {
      report (run, "server error", c, NULL, 0, c->where, c->server_error, "(no error)");
      return;
    }
  for (guint d = 0; d < run->n_docs; d++)
    {
      const char *json = run->docs[d];
      g_autoptr (GError) error = NULL;
      FraiseTruth full, residual;
      gboolean all_true = TRUE;

      full = fraise_expr_evaluate (c->expr, json, strlen (json), &error);
      if (error != NULL)
        {
          report (run, "client error", c, NULL, d, NULL, "(not asked)", error->message);
          continue;
        }
      run->n_cases++;
      run->n_kept += full == FRAISE_TRUTH_TRUE;
      for (guint j = 0; j < c->pushdown->conjuncts->len; j++)
        {
          const FraiseExprConjunct *conjunct =
            &g_array_index (c->pushdown->conjuncts, FraiseExprConjunct, j);
          FraiseTruth t = conjunct_truth (conjunct, json, &error);

          g_assert_no_error (error);
          all_true &= t == FRAISE_TRUTH_TRUE;
          if (conjunct->sql == NULL)
            continue;
          run->n_conjunct_cases++;
          if ((t == FRAISE_TRUTH_TRUE) != (c->server_conjunct[j][d] != 0))
            report (run, "conjunct", c, conjunct, d, conjunct->sql,
                    c->server_conjunct[j][d] ? "true" : "not true", truth_name (t));
        }
      if (all_true != (full == FRAISE_TRUTH_TRUE))
        report (run, "split into conjuncts", c, NULL, d, NULL,
                all_true ? "every conjunct true" : "some conjunct not true", truth_name (full));
      residual = _fraise_expr_pushdown_evaluate_residual (c->pushdown, json, strlen (json), &error);
      g_assert_no_error (error);
      if ((c->server_where[d] && residual == FRAISE_TRUTH_TRUE) != (full == FRAISE_TRUTH_TRUE))
        {
          g_autofree char *server =
            g_strdup_printf ("WHERE %s, residual %s", c->server_where[d] ? "true" : "not true",
                             truth_name (residual));

          report (run, "WHERE and residual", c, NULL, d, c->where, server, truth_name (full));
        }
    }
}

/* ---- through a pipeline ------------------------------------------------------ */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The texts of the rows `query source=TABLE ! filter expr=@c ! model-sink`
 * keeps, sorted; @push_down sets the filter's push-down property unless it
 * is -1. The filter's rows-in goes to @rows_in. */
static GPtrArray *
pipeline_kept (
  Run *run, FraiseClient *client, const Case *c, int push_down, guint64 *rows_in, GError **error)
{
  g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new ();
  g_autoptr (FraiseElement) query = fraise_test_make_element ("query");
  g_autoptr (FraiseElement) filter = fraise_test_make_element ("filter");
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("model-sink");
  g_autoptr (FraiseRowModel) model = NULL;
  GPtrArray *texts;

  g_object_set (query, "source", run->table, NULL);
  g_object_set (filter, "expr", c->text, NULL);
  if (push_down >= 0)
    g_object_set (filter, "push-down", (gboolean) push_down, NULL);
  fraise_pipeline_add (pipeline, query);
  fraise_pipeline_add (pipeline, filter);
  fraise_pipeline_add (pipeline, sink);
  if (!fraise_pipeline_run_sync (pipeline, client, NULL, error))
    return NULL;
  *rows_in = fraise_element_get_rows_in (filter);
  g_object_get (sink, "model", &model, NULL);
  texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_ptr_array_add (texts,
                     g_strdup (fraise_row_get_text (fraise_row_model_get_row (model, i), NULL)));
  g_ptr_array_sort (texts, compare_strings);
  return texts;
}

static guint
doc_index (Run *run, const char *text)
{
  for (guint d = 0; d < run->n_docs; d++)
    if (g_str_equal (run->docs[d], text))
      return d;
  g_assert_not_reached ();
}

/* The pipeline keeps the rows fraise_expr_evaluate() keeps, as a multiset
 * of texts (the rows carry no id), push-down on and off. */
static void
check_pipeline (Run *run, FraiseClient *client, Case *c, gboolean has_push_down)
{
  g_autoptr (GPtrArray) expected = g_ptr_array_new ();
  guint64 n_where = 0;

  for (guint d = 0; d < run->n_docs; d++)
    {
      const char *json = run->docs[d];

      if (fraise_expr_evaluate (c->expr, json, strlen (json), NULL) == FRAISE_TRUTH_TRUE)
        g_ptr_array_add (expected, run->docs[d]);
      n_where += c->server_where != NULL && c->server_where[d];
    }
  g_ptr_array_sort (expected, compare_strings);
  for (int push_down = has_push_down ? 0 : -1; push_down <= (has_push_down ? 1 : -1); push_down++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) kept = NULL;
      g_autofree char *check =
        g_strdup_printf ("pipeline, push-down %s", push_down == 1   ? "on"
                                                   : push_down == 0 ? "off"
                                                                    : "default");
      guint64 rows_in = 0;
      guint i = 0, j = 0;

      run->n_pipeline_runs++;
      kept = pipeline_kept (run, client, c, push_down, &rows_in, &error);
      if (kept == NULL)
        {
          report (run, check, c, NULL, 0, c->where, error->message, "(no error)");
          continue;
        }
      /* the first text kept by one side only */
      while (i < expected->len || j < kept->len)
        {
          int order = i == expected->len ? 1
                      : j == kept->len
                        ? -1
                        : strcmp (g_ptr_array_index (expected, i), g_ptr_array_index (kept, j));

          if (order == 0)
            i++, j++;
          else
            {
              const char *text =
                order < 0 ? g_ptr_array_index (expected, i) : g_ptr_array_index (kept, j);

              report (run, g_intern_string (check), c, NULL, doc_index (run, text), c->where,
                      order < 0 ? "dropped" : "kept", order < 0 ? "true" : "not true");
              break;
            }
        }
      /* pushed down, the server sends only the rows of the WHERE */
      if (push_down == 1 && c->where != NULL && rows_in != n_where)
        {
          g_autofree char *server =
            g_strdup_printf ("the filter received %" G_GUINT64_FORMAT " rows", rows_in);
          g_autofree char *client_answer =
            g_strdup_printf ("the WHERE holds for %" G_GUINT64_FORMAT " rows", n_where);

          report (run, "pipeline, push-down on, rows sent", c, NULL, 0, c->where, server,
                  client_answer);
        }
    }
}

static guint
env_uint (const char *name, guint fallback)
{
  const char *value = g_getenv (name);
  guint64 n;

  if (value == NULL || *value == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &n, NULL))
    g_error ("%s=%s: expected a number", name, value);
  return (guint) n;
}

static void
test_pushdown_diff (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (GString) load = NULL;
  g_autoptr (FraiseQuery) query = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) cases = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autofree char *drop = NULL;
  const char *admin_uri;
  guint n_exprs, n_pipelines;
  gboolean has_push_down;
  GRand *rand;
  Run run = { 0 };

  if (client == NULL)
    return;
  if ((admin_uri = fraise_test_get_uri (SUPERUSER_URI_ENV)) == NULL)
    return;

  run.seed = env_uint ("FRAISE_DIFF_SEED", DEFAULT_SEED);
  run.n_docs = MAX (env_uint ("FRAISE_DIFF_DOCS", DEFAULT_DOCS), 1);
  n_exprs = env_uint ("FRAISE_DIFF_EXPRS", DEFAULT_EXPRS);
  n_pipelines = env_uint ("FRAISE_DIFF_PIPELINES", DEFAULT_PIPELINES);
  {
    g_autoptr (FraiseElement) filter = fraise_test_make_element ("filter");

    has_push_down = g_object_class_find_property (G_OBJECT_GET_CLASS (filter), "push-down") != NULL;
  }
  g_test_message ("seed %u, %u documents, %u expressions (reproduce with FRAISE_DIFF_SEED=%u "
                  "FRAISE_DIFF_DOCS=%u FRAISE_DIFF_EXPRS=%u)",
                  run.seed, run.n_docs, n_exprs, run.seed, run.n_docs, n_exprs);
  rand = g_rand_new_with_seed (run.seed);
  run.bad_conjuncts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.bad_order = g_ptr_array_new_with_free_func (g_free);

  /* The documents, into a table of their own. */
  run.table = g_strdup_printf ("fraise_diff_%u_%u", (guint) getpid (),
                               (guint) (g_get_real_time () % 1000000));
  load = g_string_new (NULL);
  g_string_append_printf (load, "CREATE TABLE %s (id int PRIMARY KEY, data jsonb);\n", run.table);
  g_string_append_printf (load, "INSERT INTO %s VALUES\n", run.table);
  for (guint i = 0; i < run.n_docs; i++)
    {
      g_autoptr (GString) doc = g_string_new (NULL);

      gen_document (rand, doc);
      g_string_append_printf (load, "%s(%u, ", i > 0 ? ",\n" : "", i + 1);
      append_sql_literal (load, doc->str);
      g_string_append (load, ")");
    }
  g_string_append_printf (load, ";\nGRANT SELECT ON %s TO PUBLIC;\n", run.table);
  run_psql_file (admin_uri, load->str);
  drop = g_strdup_printf ("DROP TABLE %s;", run.table);

  /* The documents as the server gives them back. */
  query = fraise_client_query (client, run.table);
  fraise_query_set_order_by_sql (query, "id");
  rows = pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, run.n_docs);
  run.docs = g_new0 (char *, run.n_docs + 1);
  for (guint i = 0; i < run.n_docs; i++)
    run.docs[i] = g_strdup (fraise_row_get_text (g_ptr_array_index (rows, i), NULL));

  /* The expressions, compiled, asked and checked a batch at a time. */
  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  for (guint i = 0; i < n_exprs; i++)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      Case *c = g_new0 (Case, 1);

      c->reported = g_ptr_array_new ();
      g_ptr_array_add (c->reported, NULL);

      gen_expr (rand, text, 0);
      c->text = g_string_free (g_steal_pointer (&text), FALSE);
      c->expr = fraise_expr_parse (c->text, &error);
      if (c->expr == NULL)
        g_error ("the generator made an invalid expression: %s: %s", c->text, error->message);
      c->pushdown = _fraise_expr_pushdown_new (c->expr, "data");
      c->where = _fraise_expr_pushdown_where (c->pushdown);
      run.n_pushed += c->pushdown->n_pushed;
      run.n_residual += c->pushdown->conjuncts->len - c->pushdown->n_pushed;
      run.n_fully_pushed += c->pushdown->n_pushed == c->pushdown->conjuncts->len;
      g_ptr_array_add (cases, c);
      if (cases->len == BATCH || i + 1 == n_exprs)
        {
          ask_server (&run, client, cases);
          for (guint j = 0; j < cases->len; j++)
            {
              check_case (&run, g_ptr_array_index (cases, j));
              if (i + 1 - cases->len + j < n_pipelines)
                check_pipeline (&run, client, g_ptr_array_index (cases, j), has_push_down);
            }
          g_ptr_array_set_size (cases, 0);
        }
    }

  run_psql_file (admin_uri, drop);
  g_test_message ("%" G_GUINT64_FORMAT " expression x document cases (%" G_GUINT64_FORMAT
                  " kept), %" G_GUINT64_FORMAT " pushed conjunct x document cases (%u conjuncts "
                  "pushed, %u left to the client; %u of %u expressions wholly pushed) in %.2f s",
                  run.n_cases, run.n_kept, run.n_conjunct_cases, run.n_pushed, run.n_residual,
                  run.n_fully_pushed, n_exprs, g_timer_elapsed (timer, NULL));
  g_test_message ("%u pipeline runs (the first %u expressions, filter push-down %s)",
                  run.n_pipeline_runs, MIN (n_pipelines, n_exprs),
                  has_push_down ? "on and off" : "not a property yet: default only");
  if (run.n_diffs > 0)
    {
      g_test_message ("%u differences, seed %u; the pushed conjuncts that differ, with the "
                      "number of documents:",
                      run.n_diffs, run.seed);
      for (guint i = 0; i < run.bad_order->len && i < 2 * MAX_REPORTS; i++)
        {
          const char *key = g_ptr_array_index (run.bad_order, i);
          g_autofree char *escaped = escape (key);
          g_auto (GStrv) parts = g_strsplit (escaped, "\\u000a", 2);

          g_test_message (
            "  %u: %s", GPOINTER_TO_UINT (g_hash_table_lookup (run.bad_conjuncts, key)), parts[0]);
          g_test_message ("       sql: %s", parts[1]);
        }
      g_test_fail ();
    }
  g_rand_free (rand);
  g_hash_table_unref (run.bad_conjuncts);
  g_ptr_array_unref (run.bad_order);
  g_strfreev (run.docs);
  g_free (run.table);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pushdown-diff/server-and-client", test_pushdown_diff);
  return g_test_run ();
}
