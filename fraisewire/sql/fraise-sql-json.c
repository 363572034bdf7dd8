/* fraise-sql-json.c: exact SQL predicates on a jsonb document
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure string building, no I/O. Why each form is exact (docs/filter.md has
 * the table):
 *
 * - `v` below is `data->'k'->0`: SQL NULL exactly when the path is missing
 *   (a JSON null is the jsonb 'null', not SQL NULL), so `v IS NOT NULL` is
 *   `exists`, and a predicate that is NULL on a missing path is false there
 *   as the filter language's unknown is.
 * - jsonb equality and containment compare numbers as numerics (1.0 equals
 *   1) and strings byte for byte, and a scalar never equals a container or a
 *   value of another type: the filter language's `==`. Containment is only
 *   used on paths made of keys, where `{"a":{"b":5}}` is contained exactly
 *   when the value at a.b equals 5 (an array at `a` does not contain an
 *   object, and a nested scalar is not contained in an array).
 * - Casts read `CASE WHEN jsonb_typeof(v) = 'number' THEN v::numeric END`:
 *   CASE evaluates its branch only when the guard holds, which AND does not
 *   promise, so `"age": "abc"` is NULL, never a cast error.
 * - Strings order under COLLATE "C": byte order of UTF-8, which is code
 *   point order.
 * - A negated comparison is true when the value is present and the
 *   comparison is not true: `(v IS NOT NULL AND (P) IS NOT TRUE)`.
 */

#include "fraise-sql-json-private.h"
#include "fraise-sql-private.h"

#include <string.h>

/* numeric_in() refuses exponents beyond this, and more digits than this
 * would make the server do more work than the comparison is worth. */
#define MAX_NUMBER_DIGITS 1000

static gboolean
unpushable (const char **reason, const char *why)
{
  if (reason != NULL)
    *reason = why;
  return FALSE;
}

gboolean
fraise_sql_json_path_is_keys (const FraiseSqlJsonPath *path)
{
  for (gsize i = 0; i < path->n_steps; i++)
    if (path->steps[i].key == NULL)
      return FALSE;
  return path->n_steps > 0;
}

/* A number literal numeric_in() reads without an error. */
static gboolean
number_in_range (const char *text, gsize len)
{
  gsize i = 0, int_digits = 0, frac_digits = 0;
  long exponent = 0;
  gboolean negative_exponent = FALSE;

  if (i < len && text[i] == '-')
    i++;
  while (i < len && g_ascii_isdigit (text[i]))
    i++, int_digits++;
  if (i < len && text[i] == '.')
    for (i++; i < len && g_ascii_isdigit (text[i]); i++)
      frac_digits++;
  if (i < len && (text[i] == 'e' || text[i] == 'E'))
    {
      i++;
      if (i < len && (text[i] == '+' || text[i] == '-'))
        negative_exponent = text[i++] == '-';
      for (; i < len && g_ascii_isdigit (text[i]); i++)
        {
          exponent = exponent * 10 + (text[i] - '0');
          if (exponent > MAX_NUMBER_DIGITS)
            return FALSE;
        }
    }
  if (i != len || int_digits == 0 || int_digits + frac_digits > MAX_NUMBER_DIGITS)
    return FALSE;
  if (negative_exponent)
    exponent = -exponent;
  return (long) frac_digits - exponent <= MAX_NUMBER_DIGITS &&
         (long) int_digits + exponent <= MAX_NUMBER_DIGITS;
}

static gboolean
scalar_ok (const FraiseSqlScalar *value, const char **reason)
{
  if (value->type == FRAISE_JSON_TYPE_NUMBER && !number_in_range (value->text, value->len))
    return unpushable (reason, N_("the number is beyond what PostgreSQL's numeric reads"));
  if (value->type == FRAISE_JSON_TYPE_STRING &&
      !fraise_sql_check_text (value->text, value->len, NULL))
    return unpushable (reason, N_("the string is not valid as SQL text"));
  return TRUE;
}

static gboolean
path_ok (const FraiseSqlJsonPath *path, const char **reason)
{
  for (gsize i = 0; i < path->n_steps; i++)
    {
      const FraiseJsonStep *step = &path->steps[i];

      if (step->key == NULL && step->index > G_MAXINT32)
        return unpushable (reason, N_("the array index is beyond SQL's integer range"));
      if (step->key != NULL && !fraise_sql_check_text (step->key, step->key_len, NULL))
        return unpushable (reason, N_("a key of the path is not valid as SQL text"));
    }
  return TRUE;
}

/* data->'k'->0, and an index taken from an array only: on a scalar,
 * PostgreSQL's `-> 0` gives the scalar itself ('5'::jsonb -> 0 is 5, as is
 * '{"a":5}'::jsonb -> 'a' -> 0), where the path is missing. Only the last
 * step needs the guard: a scalar that a `-> 0` wrongly passed on is still
 * a scalar, which a key step or an index above 0 turns into SQL NULL and a
 * further `-> 0` keeps, so the value before the last index is an array
 * exactly when every index of the path was taken from an array.
 * (CASE WHEN jsonb_typeof(data->'k') = 'array' THEN data->'k'->0 END) */
static void
append_steps (GString *out, const FraiseSqlJsonPath *path, gsize n_steps)
{
  fraise_sql_append_base (out, path->base, NULL);
  for (gsize i = 0; i < n_steps; i++)
    {
      const FraiseJsonStep *step = &path->steps[i];

      g_string_append (out, "->");
      if (step->key != NULL)
        fraise_sql_append_literal (out, step->key, step->key_len);
      else
        g_string_append_printf (out, "%" G_GSIZE_FORMAT, step->index);
    }
}

static void
append_value (GString *out, const FraiseSqlJsonPath *path)
{
  if (path->n_steps == 0 || path->steps[path->n_steps - 1].key != NULL)
    {
      append_steps (out, path, path->n_steps);
      return;
    }
  g_string_append (out, "(CASE WHEN jsonb_typeof(");
  append_steps (out, path, path->n_steps - 1);
  g_string_append (out, ") = 'array' THEN ");
  append_steps (out, path, path->n_steps);
  g_string_append (out, " END)");
}

static void
append_json_string (GString *out, const char *s, gsize len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (c == '"' || c == '\\')
        g_string_append_c (out, '\\'), g_string_append_c (out, (char) c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

void
fraise_sql_json_append_scalar (GString *out, const FraiseSqlScalar *value)
{
  switch (value->type)
    {
    case FRAISE_JSON_TYPE_NULL:
      g_string_append (out, "null");
      break;
    case FRAISE_JSON_TYPE_BOOLEAN:
      g_string_append (out, value->boolean ? "true" : "false");
      break;
    case FRAISE_JSON_TYPE_NUMBER:
      g_string_append_len (out, value->text, (gssize) value->len);
      break;
    default:
      append_json_string (out, value->text, value->len);
      break;
    }
}

/* '5'::jsonb */
static void
append_jsonb_literal (GString *out, const FraiseSqlScalar *value)
{
  g_autoptr (GString) json = g_string_new (NULL);

  fraise_sql_json_append_scalar (json, value);
  fraise_sql_append_literal (out, json->str, json->len);
  g_string_append (out, "::jsonb");
}

/* data @> '{"a":{"b":INNER}}', INNER being @value, or [@value] when
 * @in_array. */
static void
append_containment (GString *out,
                    const FraiseSqlJsonPath *path,
                    const FraiseSqlScalar *value,
                    gboolean in_array)
{
  g_autoptr (GString) json = g_string_new (NULL);

  for (gsize i = 0; i < path->n_steps; i++)
    {
      g_string_append_c (json, '{');
      append_json_string (json, path->steps[i].key, path->steps[i].key_len);
      g_string_append_c (json, ':');
    }
  if (in_array)
    g_string_append_c (json, '[');
  fraise_sql_json_append_scalar (json, value);
  if (in_array)
    g_string_append_c (json, ']');
  for (gsize i = 0; i < path->n_steps; i++)
    g_string_append_c (json, '}');
  fraise_sql_append_base (out, path->base, NULL);
  g_string_append (out, " @> ");
  fraise_sql_append_literal (out, json->str, json->len);
}

static void
append_typeof_is (GString *out, const FraiseSqlJsonPath *path, const char *type)
{
  g_string_append (out, "jsonb_typeof(");
  append_value (out, path);
  g_string_append_printf (out, ") = '%s'", type);
}

/* (CASE WHEN jsonb_typeof(v) = 'number' THEN (v)::numeric END), or the
 * string's text (v #>> '{}') under COLLATE "C". */
static void
append_guarded (GString *out, const FraiseSqlJsonPath *path, FraiseJsonType type)
{
  gboolean number = type == FRAISE_JSON_TYPE_NUMBER;

  g_string_append (out, "(CASE WHEN ");
  append_typeof_is (out, path, number ? "number" : "string");
  g_string_append (out, " THEN (");
  append_value (out, path);
  g_string_append (out, number ? ")::numeric END)" : ") #>> '{}' END) COLLATE \"C\"");
}

/* Wraps what @out holds after @start as the negation the filter language
 * gives a comparison: present and not true. */
static void
negate_from (GString *out, gsize start, const FraiseSqlJsonPath *path)
{
  g_autofree char *predicate = g_strdup (out->str + start);

  g_string_truncate (out, start);
  g_string_append_c (out, '(');
  append_value (out, path);
  g_string_append_printf (out, " IS NOT NULL AND (%s) IS NOT TRUE)", predicate);
}

gboolean
fraise_sql_json_exists (GString *out,
                        const FraiseSqlJsonPath *path,
                        gboolean negated,
                        const char **reason)
{
  if (!path_ok (path, reason))
    return FALSE;
  g_string_append_c (out, '(');
  append_value (out, path);
  g_string_append (out, negated ? " IS NULL)" : " IS NOT NULL)");
  return TRUE;
}

gboolean
fraise_sql_json_is_true (GString *out,
                         const FraiseSqlJsonPath *path,
                         gboolean negated,
                         const char **reason)
{
  const FraiseSqlScalar yes = { FRAISE_JSON_TYPE_BOOLEAN, TRUE, NULL, 0 };

  return fraise_sql_json_equals_any (out, path, &yes, 1, negated, reason);
}

gboolean
fraise_sql_json_equals_any (GString *out,
                            const FraiseSqlJsonPath *path,
                            const FraiseSqlScalar *values,
                            gsize n_values,
                            gboolean negated,
                            const char **reason)
{
  gsize start = out->len;

  if (!path_ok (path, reason))
    return FALSE;
  for (gsize i = 0; i < n_values; i++)
    if (!scalar_ok (&values[i], reason))
      return FALSE;

  if (n_values == 0)
    g_string_append (out, "false");
  else if (fraise_sql_json_path_is_keys (path))
    {
      g_string_append_c (out, '(');
      for (gsize i = 0; i < n_values; i++)
        {
          if (i > 0)
            g_string_append (out, " OR ");
          append_containment (out, path, &values[i], FALSE);
        }
      g_string_append_c (out, ')');
    }
  else
    {
      g_string_append_c (out, '(');
      append_value (out, path);
      g_string_append (out, " IN (");
      for (gsize i = 0; i < n_values; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_jsonb_literal (out, &values[i]);
        }
      g_string_append (out, "))");
    }
  if (negated)
    negate_from (out, start, path);
  return TRUE;
}

gboolean
fraise_sql_json_order (GString *out,
                       const FraiseSqlJsonPath *path,
                       FraiseSqlOrder order,
                       const FraiseSqlScalar *value,
                       gboolean negated,
                       const char **reason)
{
  static const char *const operators[] = { "<", "<=", ">", ">=" };
  gsize start = out->len;

  if (!path_ok (path, reason) || !scalar_ok (value, reason))
    return FALSE;
  if (value->type != FRAISE_JSON_TYPE_NUMBER && value->type != FRAISE_JSON_TYPE_STRING)
    g_string_append (out, "false"); /* booleans and null are never ordered */
  else
    {
      g_string_append_c (out, '(');
      append_guarded (out, path, value->type);
      g_string_append_printf (out, " %s ", operators[order]);
      fraise_sql_append_literal (out, value->text, value->len);
      if (value->type == FRAISE_JSON_TYPE_NUMBER)
        g_string_append (out, "::numeric");
      g_string_append_c (out, ')');
    }
  if (negated)
    negate_from (out, start, path);
  return TRUE;
}

gboolean
fraise_sql_json_contains (GString *out,
                          const FraiseSqlJsonPath *path,
                          const FraiseSqlScalar *value,
                          gboolean negated,
                          const char **reason)
{
  gsize start = out->len;

  if (!path_ok (path, reason) || !scalar_ok (value, reason))
    return FALSE;
  g_string_append_c (out, '(');
  if (!fraise_sql_json_array_has (out, path, value, 1, TRUE, reason))
    g_assert_not_reached (); /* path and value were checked */
  if (value->type == FRAISE_JSON_TYPE_STRING)
    {
      g_string_append (out, " OR ");
      fraise_sql_json_text_test (out, path, FRAISE_SQL_TEXT_SUBSTRING, value->text, value->len,
                                 reason);
    }
  g_string_append_c (out, ')');
  if (negated)
    negate_from (out, start, path);
  return TRUE;
}

/* A LIKE pattern matching @text literally (ESCAPE E'\\'). */
static void
append_like_literal (
  GString *out, const char *prefix, const char *text, gsize len, const char *suffix)
{
  g_autoptr (GString) pattern = g_string_new (prefix);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, text[i]);
    }
  g_string_append (pattern, suffix);
  fraise_sql_append_literal (out, pattern->str, pattern->len);
}

gboolean
fraise_sql_json_text_test (GString *out,
                           const FraiseSqlJsonPath *path,
                           FraiseSqlTextTest test,
                           const char *text,
                           gsize len,
                           const char **reason)
{
  if (!path_ok (path, reason))
    return FALSE;
  if (!fraise_sql_check_text (text, len, NULL))
    return unpushable (reason, N_("the string is not valid as SQL text"));

  g_string_append (out, "(CASE WHEN ");
  append_typeof_is (out, path, "string");
  g_string_append (out, " THEN ");
  switch (test)
    {
    case FRAISE_SQL_TEXT_LIKE:
    case FRAISE_SQL_TEXT_ILIKE:
      g_string_append_c (out, '(');
      append_value (out, path);
      g_string_append_printf (out, " #>> '{}') %s ",
                              test == FRAISE_SQL_TEXT_LIKE ? "LIKE" : "ILIKE");
      fraise_sql_append_literal (out, text, len);
      break;
    case FRAISE_SQL_TEXT_SUBSTRING:
      /* strpos() of an empty needle is 1: every string contains "". */
      g_string_append (out, "strpos((");
      append_value (out, path);
      g_string_append (out, " #>> '{}') COLLATE \"C\", ");
      fraise_sql_append_literal (out, text, len);
      g_string_append (out, ") > 0");
      break;
    default:
      g_string_append_c (out, '(');
      append_value (out, path);
      g_string_append (out, " #>> '{}') COLLATE \"C\" LIKE ");
      append_like_literal (out, test == FRAISE_SQL_TEXT_SUFFIX ? "%" : "", text, len,
                           test == FRAISE_SQL_TEXT_PREFIX ? "%" : "");
      /* E'\\': '\' would not end the literal with
       * standard_conforming_strings off (fraise-sql.h). */
      g_string_append (out, " ESCAPE E'\\\\'");
      break;
    }
  g_string_append (out, " END)");
  return TRUE;
}

gboolean
fraise_sql_json_array_has (GString *out,
                           const FraiseSqlJsonPath *path,
                           const FraiseSqlScalar *values,
                           gsize n_values,
                           gboolean all,
                           const char **reason)
{
  gboolean keys = fraise_sql_json_path_is_keys (path);

  if (!path_ok (path, reason))
    return FALSE;
  for (gsize i = 0; i < n_values; i++)
    if (!scalar_ok (&values[i], reason))
      return FALSE;
  if (n_values == 0)
    {
      /* Every array holds all of nothing and none of nothing. */
      if (!all)
        g_string_append (out, "false");
      else
        append_typeof_is (out, path, "array");
      return TRUE;
    }
  g_string_append_c (out, '(');
  if (!keys)
    {
      append_typeof_is (out, path, "array");
      g_string_append (out, " AND (");
    }
  for (gsize i = 0; i < n_values; i++)
    {
      if (i > 0)
        g_string_append (out, all ? " AND " : " OR ");
      if (keys)
        append_containment (out, path, &values[i], TRUE);
      else
        {
          g_autoptr (GString) json = g_string_new ("[");

          append_value (out, path);
          g_string_append (out, " @> ");
          fraise_sql_json_append_scalar (json, &values[i]);
          g_string_append_c (json, ']');
          fraise_sql_append_literal (out, json->str, json->len);
        }
    }
  g_string_append (out, keys ? ")" : "))");
  return TRUE;
}

gboolean
fraise_sql_json_has_key (
  GString *out, const FraiseSqlJsonPath *path, const char *key, gsize len, const char **reason)
{
  if (!path_ok (path, reason))
    return FALSE;
  if (!fraise_sql_check_text (key, len, NULL))
    return unpushable (reason, N_("the key is not valid as SQL text"));
  /* `?` on an array tests its string elements: only objects are asked. */
  g_string_append (out, "(CASE WHEN ");
  append_typeof_is (out, path, "object");
  g_string_append (out, " THEN ");
  append_value (out, path);
  g_string_append (out, " ? ");
  fraise_sql_append_literal (out, key, len);
  g_string_append (out, " END)");
  return TRUE;
}

char *
fraise_sql_json_order_key (const FraiseSqlJsonPath *path, FraiseJsonType type)
{
  GString *out;

  if (!path_ok (path, NULL))
    return NULL;
  out = g_string_new ("(");
  append_guarded (out, path, type);
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}
