/* fraise-explanation.c: the SQL, the push-down decisions, the plan and index advice
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The advice reads the plan: a sequential scan whose Filter reads one column
 * of its relation (`alias.column`, as VERBOSE writes it) is where an index
 * can serve the pushed filter. The pushed filters are compiled again against
 * that column, so the advised expressions are the ones the WHERE holds,
 * character for character, which is what the planner needs to match an
 * expression index: a GIN `jsonb_path_ops` index for containment (`@>`), a
 * btree on the guarded value for a range.
 */

#include "fraise-explanation-private.h"
#include "fraise-expr-sql-private.h"
#include "fraise-sql.h"
#include <json-glib/json-glib.h>
#include <string.h>

/**
 * FraiseExplanation:
 *
 * What [method@Fraise.Pipeline.explain_async] found without running the
 * pipeline: the SQL its source would send once push-down has merged the
 * elements it can, each push-down decision (what went into the SQL, what
 * stays on the client and why), the server's plan for that SQL, and, when
 * the plan reads a whole relation to apply the pushed filter, the
 * `CREATE INDEX` statements that would let it use an index instead.
 *
 * `fraise-launch --explain` prints [method@Fraise.Explanation.to_string].
 *
 * Since: 1.0
 */
struct _FraiseExplanation {
  GObject parent_instance;

  char *sql;
  GStrv decisions;
  char *plan;        /* the server's JSON */
  char *plan_text;   /* rendered, one node per line */
  gboolean seq_scan; /* a sequential scan applies a pushed filter */
  GStrv advice;
  GStrv notes; /* why there is no advice for a scan */
};

G_DEFINE_FINAL_TYPE (FraiseExplanation, fraise_explanation, G_TYPE_OBJECT)

static void
fraise_explanation_finalize (GObject *object)
{
  FraiseExplanation *self = FRAISE_EXPLANATION (object);

  g_free (self->sql);
  g_strfreev (self->decisions);
  g_free (self->plan);
  g_free (self->plan_text);
  g_strfreev (self->advice);
  g_strfreev (self->notes);
  G_OBJECT_CLASS (fraise_explanation_parent_class)->finalize (object);
}

static void
fraise_explanation_class_init (FraiseExplanationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fraise_explanation_finalize;
}

static void
fraise_explanation_init (FraiseExplanation *self)
{
}

/* ---- reading the plan ---------------------------------------------------- */

typedef struct {
  GString *text;
  GPtrArray *pushed;
  GPtrArray *advice; /* char *, distinct */
  GPtrArray *notes;  /* char *, distinct */
  gboolean seq_scan;
} Reader;

static const char *
member_string (JsonObject *node, const char *name)
{
  JsonNode *member = json_object_get_member (node, name);

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

static gboolean
is_plain_identifier (const char *s, gsize len)
{
  if (len == 0 || !(g_ascii_islower (s[0]) || s[0] == '_'))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!(g_ascii_islower (s[i]) || g_ascii_isdigit (s[i]) || s[i] == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
is_identifier_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$';
}

/* The one column of @alias that @filter reads, or NULL when it reads none,
 * several, or one whose name needs quoting. */
static char *
filtered_column (const char *filter, const char *alias)
{
  g_autofree char *column = NULL;
  gsize alias_len = strlen (alias);

  if (!is_plain_identifier (alias, alias_len))
    return NULL;
  for (const char *p = strstr (filter, alias); p != NULL; p = strstr (p + 1, alias))
    {
      const char *name = p + alias_len;
      gsize len = 0;

      if ((p > filter && (is_identifier_char (p[-1]) || p[-1] == '.')) || *name != '.')
        continue;
      name++;
      while (is_identifier_char (name[len]))
        len++;
      if (!is_plain_identifier (name, len))
        return NULL;
      if (column == NULL)
        column = g_strndup (name, len);
      else if (strlen (column) != len || strncmp (column, name, len) != 0)
        return NULL;
    }
  return g_steal_pointer (&column);
}

static void
add_distinct (GPtrArray *array, char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), text))
      {
        g_free (text);
        return;
      }
  g_ptr_array_add (array, text);
}

/* Whether @filter applies @operator ("@>") to the document itself, or
 * jsonb_typeof to a path of it (a guarded range), not to something the
 * view computed from it. */
static gboolean
reads_document (const char *filter, const char *alias, const char *column, gboolean containment)
{
  g_autofree char *pattern = NULL;

  if (containment)
    pattern = g_strdup_printf ("(^|[^A-Za-z0-9_$.])%s\\.%s @> ", alias, column);
  else
    pattern = g_strdup_printf ("jsonb_typeof\\(\\(*%s\\.%s ", alias, column);
  return g_regex_match_simple (pattern, filter, 0, 0);
}

/* The indexes that serve the pushed filters, read on @column of @relation;
 * FALSE when the filter has index forms the plan applies to something else
 * than the column. */
static gboolean
advise (
  Reader *reader, const char *relation, const char *filter, const char *alias, const char *column)
{
  gboolean computed = FALSE;

  for (guint i = 0; i < reader->pushed->len; i++)
    {
      g_autoptr (FraiseExprPushdown) pushdown =
                   _fraise_expr_pushdown_new (g_ptr_array_index (reader->pushed, i), column);

      for (guint j = 0; j < pushdown->conjuncts->len; j++)
        {
          FraiseExprConjunct *c = &g_array_index (pushdown->conjuncts, FraiseExprConjunct, j);

          if (c->sql == NULL)
            continue;
          if (c->containment && !reads_document (filter, alias, column, TRUE))
            computed = TRUE;
          else if (c->containment)
            add_distinct (reader->advice,
                          g_strdup_printf ("CREATE INDEX ON %s USING gin (%s jsonb_path_ops);",
                                           relation, column));
          if (c->order_key != NULL && !reads_document (filter, alias, column, FALSE))
            computed = TRUE;
          else if (c->order_key != NULL)
            add_distinct (reader->advice,
                          g_strdup_printf ("CREATE INDEX ON %s %s;", relation, c->order_key));
        }
    }
  return !computed;
}

static void
read_scan (Reader *reader, JsonObject *node)
{
  const char *filter = member_string (node, "Filter");
  const char *name = member_string (node, "Relation Name");
  const char *schema = member_string (node, "Schema");
  const char *alias = member_string (node, "Alias");
  g_autoptr (GString) relation = g_string_new (NULL);
  g_autofree char *column = NULL;

  if (filter == NULL || name == NULL || reader->pushed->len == 0)
    return;
  reader->seq_scan = TRUE;
  if (alias == NULL)
    alias = name;
  if (schema != NULL)
    {
      fraise_sql_append_identifier (relation, schema);
      g_string_append_c (relation, '.');
    }
  fraise_sql_append_identifier (relation, name);
  column = filtered_column (filter, alias);
  if (column == NULL || !advise (reader, relation->str, filter, alias, column))
    add_distinct (reader->notes,
                  g_strdup_printf (_("the filter on %s reads a document its view computes, "
                                     "not one column: no index on the table can serve it"),
                                      relation->str));
}

static void
append_detail (GString *out, guint depth, JsonObject *node, const char *name)
{
  const char *value = member_string (node, name);

  /* Under the node's type, past its "->  " */
  if (value != NULL)
    g_string_append_printf (out, "%*s  %s: %s\n", (int) depth * 6 + (depth > 0 ? 4 : 0), "", name,
                            value);
}

static void
read_node (Reader *reader, JsonObject *node, guint depth)
{
  static const char *const details[] = { "Index Cond", "Recheck Cond", "Filter", "Sort Key" };
  const char *type = member_string (node, "Node Type");
  const char *index = member_string (node, "Index Name");
  const char *name = member_string (node, "Relation Name");
  const char *schema = member_string (node, "Schema");
  GString *out = reader->text;
  JsonArray *children;

  if (type == NULL)
    type = "?";
  g_string_append_printf (out, "%*s%s%s", (int) depth * 6, "", depth > 0 ? "->  " : "", type);
  if (index != NULL)
    {
      g_string_append (out, " using ");
      fraise_sql_append_identifier (out, index);
    }
  if (name != NULL)
    {
      g_string_append (out, " on ");
      if (schema != NULL)
        {
          fraise_sql_append_identifier (out, schema);
          g_string_append_c (out, '.');
        }
      fraise_sql_append_identifier (out, name);
    }
  if (json_object_has_member (node, "Total Cost") && json_object_has_member (node, "Plan Rows"))
    g_string_append_printf (out, "  (cost=%.2f..%.2f rows=%" G_GINT64_FORMAT ")",
                            json_object_get_double_member_with_default (node, "Startup Cost", 0),
                            json_object_get_double_member (node, "Total Cost"),
                            json_object_get_int_member (node, "Plan Rows"));
  g_string_append_c (out, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    {
      if (json_object_has_member (node, details[i]) &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (node, details[i])))
        continue; /* Sort Key is an array: not worth a line */
      append_detail (out, depth, node, details[i]);
    }
  if (g_strcmp0 (type, "Seq Scan") == 0)
    read_scan (reader, node);

  children = json_object_has_member (node, "Plans") &&
                 JSON_NODE_HOLDS_ARRAY (json_object_get_member (node, "Plans"))
               ? json_object_get_array_member (node, "Plans")
               : NULL;
  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    {
      JsonNode *child = json_array_get_element (children, i);

      if (JSON_NODE_HOLDS_OBJECT (child))
        read_node (reader, json_node_get_object (child), depth + 1);
    }
}

static GStrv
to_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (GStrv) g_ptr_array_free (array, FALSE);
}

FraiseExplanation *
_fraise_explanation_new (
  const char *sql, GPtrArray *decisions, GPtrArray *pushed, const char *plan, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new ();
  FraiseExplanation *self;
  JsonNode *root, *first = NULL;
  Reader reader = { 0 };

  if (!json_parser_load_from_data (parser, plan, -1, &local_error) ||
      !JSON_NODE_HOLDS_ARRAY (root = json_parser_get_root (parser)) ||
      json_array_get_length (json_node_get_array (root)) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (first = json_array_get_element (json_node_get_array (root), 0)) ||
      !json_object_has_member (json_node_get_object (first), "Plan") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (first), "Plan")))
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                   _("the server's EXPLAIN did not return a plan (%s)"),
                      local_error != NULL ? local_error->message : _("not a list of one plan"));
      return NULL;
    }

  reader.text = g_string_new (NULL);
  reader.pushed = pushed;
  reader.advice = g_ptr_array_new ();
  reader.notes = g_ptr_array_new ();
  read_node (&reader, json_object_get_object_member (json_node_get_object (first), "Plan"), 0);

  self = g_object_new (FRAISE_TYPE_EXPLANATION, NULL);
  self->sql = g_strdup (sql);
  for (guint i = 0; i < decisions->len; i++)
    g_ptr_array_add (lines, g_strdup (g_ptr_array_index (decisions, i)));
  self->decisions = to_strv (g_steal_pointer (&lines));
  self->plan = g_strdup (plan);
  self->plan_text = g_string_free (reader.text, FALSE);
  self->seq_scan = reader.seq_scan;
  self->advice = to_strv (reader.advice);
  self->notes = to_strv (reader.notes);
  return self;
}

/* ---- the API ------------------------------------------------------------- */

/**
 * fraise_explanation_get_sql:
 * @explanation: an explanation
 *
 * The SQL the pipeline's source sends, with what push-down merged into it
 * (the WHERE, a LIMIT, a projection), exactly as
 * [method@Fraise.Query.to_sql] renders it.
 *
 * Returns: the SQL
 *
 * Since: 1.0
 */
const char *
fraise_explanation_get_sql (FraiseExplanation *explanation)
{
  g_return_val_if_fail (FRAISE_IS_EXPLANATION (explanation), NULL);
  return explanation->sql;
}

/**
 * fraise_explanation_get_decisions:
 * @explanation: an explanation
 *
 * One line per push-down decision, each starting with the element's name:
 * what was pushed into the WHERE, each conjunct left to the client with the
 * reason, a merged `limit` or `project`. Translated; for people, not for
 * parsing.
 *
 * Returns: (transfer none) (array zero-terminated=1): the decisions, possibly none
 *
 * Since: 1.0
 */
const char *const *
fraise_explanation_get_decisions (FraiseExplanation *explanation)
{
  g_return_val_if_fail (FRAISE_IS_EXPLANATION (explanation), NULL);
  return (const char *const *) explanation->decisions;
}

/**
 * fraise_explanation_get_plan:
 * @explanation: an explanation
 *
 * The server's plan for [method@Fraise.Explanation.get_sql], as the JSON
 * text of `EXPLAIN (FORMAT JSON, VERBOSE)`: estimates only, the query was
 * not run.
 *
 * Returns: the plan, JSON
 *
 * Since: 1.0
 */
const char *
fraise_explanation_get_plan (FraiseExplanation *explanation)
{
  g_return_val_if_fail (FRAISE_IS_EXPLANATION (explanation), NULL);
  return explanation->plan;
}

/**
 * fraise_explanation_get_sequential_scan:
 * @explanation: an explanation
 *
 * Whether the plan applies the pushed filter by reading every row of a
 * relation (a `Seq Scan` with a Filter), the case where an index helps.
 *
 * Returns: %TRUE for a sequential scan under a pushed filter
 *
 * Since: 1.0
 */
gboolean
fraise_explanation_get_sequential_scan (FraiseExplanation *explanation)
{
  g_return_val_if_fail (FRAISE_IS_EXPLANATION (explanation), FALSE);
  return explanation->seq_scan;
}

/**
 * fraise_explanation_get_advice:
 * @explanation: an explanation
 *
 * When the plan is a sequential scan, the `CREATE INDEX` statements that
 * would let the server use an index for the pushed filter: `USING gin
 * (data jsonb_path_ops)` for an equality or `in` (compiled to `@>`), a
 * btree on the exact guarded expression for a range. Run `ANALYZE` on the
 * relation after creating one. Empty when the plan already uses an index,
 * nothing was pushed, or the view computes the document.
 *
 * Returns: (transfer none) (array zero-terminated=1): the statements, possibly none
 *
 * Since: 1.0
 */
const char *const *
fraise_explanation_get_advice (FraiseExplanation *explanation)
{
  g_return_val_if_fail (FRAISE_IS_EXPLANATION (explanation), NULL);
  return (const char *const *) explanation->advice;
}

static void
append_section (GString *out, const char *title, const char *const *lines, const char *none)
{
  g_string_append_printf (out, "%s\n", title);
  if (lines[0] == NULL && none != NULL)
    g_string_append_printf (out, "  %s\n", none);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "  %s\n", lines[i]);
}

/**
 * fraise_explanation_to_string:
 * @explanation: an explanation
 *
 * The explanation for people, as `fraise-launch --explain` prints it: the
 * SQL, the push-down decisions, the plan (one node per line, as `psql`
 * shows EXPLAIN) and the advice.
 *
 * Returns: (transfer full): the text, lines ending in `\n`
 *
 * Since: 1.0
 */
char *
fraise_explanation_to_string (FraiseExplanation *explanation)
{
  GString *out;
  g_auto (GStrv) plan_lines = NULL;

  g_return_val_if_fail (FRAISE_IS_EXPLANATION (explanation), NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n  %s\n", _("SQL:"), explanation->sql);
  append_section (out, _("Push-down:"), (const char *const *) explanation->decisions,
                          _("nothing to push down: no filter, limit or project after the query"));
  plan_lines = g_strsplit (explanation->plan_text, "\n", -1);
  g_string_append_printf (out, "%s\n", _("Plan:"));
  for (guint i = 0; plan_lines[i] != NULL; i++)
    if (*plan_lines[i] != '\0')
      g_string_append_printf (out, "  %s\n", plan_lines[i]);
  if (!explanation->seq_scan)
    return g_string_free (out, FALSE);
  if (explanation->advice[0] != NULL)
    append_section (out,
                    _("Advice: the plan reads every row (Seq Scan) to apply the pushed filter; "
                      "an index can serve it (then run ANALYZE):"),
                       (const char *const *) explanation->advice, NULL);
  else
    g_string_append_printf (out, "%s\n",
                            _("Advice: the plan reads every row (Seq Scan) to apply the pushed "
                              "filter:"));
  for (guint i = 0; explanation->notes[i] != NULL; i++)
    g_string_append_printf (out, "  %s\n", explanation->notes[i]);
  if (explanation->advice[0] == NULL && explanation->notes[0] == NULL)
    g_string_append_printf (out, "  %s\n",
                            _("none of its conjuncts has an index form (only equality, in and "
                              "ranges do)"));
  return g_string_free (out, FALSE);
}
