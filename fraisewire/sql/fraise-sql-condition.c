/* fraise-sql-condition.c: the SQL of one condition on a JSON path
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure string building, no I/O. A condition compares the value at a JSON
 * path with a GVariant: scalars become literals (numbers in parentheses, see
 * fraise-sql.c), arrays become IN lists or jsonb literals, and LIKE patterns
 * built from a value have their wildcards escaped.
 */

#include "fraise-sql-private.h"

#include <math.h>
#include <string.h>

/* ---- operators --------------------------------------------------------- */

/* The operators' nicks, for error messages. */
static const char *const operator_names[FRAISE_SQL_N_OPERATORS] = {
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "in",
  "not-in",
  "like",
  "ilike",
  "contains",
  "starts-with",
  "ends-with",
  "is-null",
  "is-not-null",
  "array-contains",
  "array-overlaps",
  "has-key",
};

/* ---- values ------------------------------------------------------------ */

typedef enum {
  KIND_OTHER,
  KIND_STRING,
  KIND_NUMBER,
  KIND_BOOLEAN,
} ValueKind;

/* @value with any "v" boxes removed (a new reference). */
static GVariant *
unbox (GVariant *value)
{
  GVariant *v = g_variant_ref (value);

  while (g_variant_is_of_type (v, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (v);

      g_variant_unref (v);
      v = inner;
    }
  return v;
}

static ValueKind
scalar_kind (GVariant *v)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_STRING:
      return KIND_STRING;
    case G_VARIANT_CLASS_BOOLEAN:
      return KIND_BOOLEAN;
    case G_VARIANT_CLASS_BYTE:
    case G_VARIANT_CLASS_INT16:
    case G_VARIANT_CLASS_UINT16:
    case G_VARIANT_CLASS_INT32:
    case G_VARIANT_CLASS_UINT32:
    case G_VARIANT_CLASS_INT64:
    case G_VARIANT_CLASS_UINT64:
    case G_VARIANT_CLASS_DOUBLE:
      return KIND_NUMBER;
    default:
      return KIND_OTHER;
    }
}

static gboolean
is_array (GVariant *v)
{
  return g_variant_classify (v) == G_VARIANT_CLASS_ARRAY;
}

/* The shortest decimal form that reads back as @d (locale-independent). */
static void
format_double (double d, char *buf, gsize size)
{
  int precision;

  for (precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, (int) size, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        return;
    }
}

/* The digits of a number (no parentheses); FALSE for NaN and infinities. */
static gboolean
format_number (GVariant *v, char *buf, gsize size, GError **error)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_BYTE:
      g_snprintf (buf, size, "%u", (guint) g_variant_get_byte (v));
      break;
    case G_VARIANT_CLASS_INT16:
      g_snprintf (buf, size, "%d", (int) g_variant_get_int16 (v));
      break;
    case G_VARIANT_CLASS_UINT16:
      g_snprintf (buf, size, "%u", (guint) g_variant_get_uint16 (v));
      break;
    case G_VARIANT_CLASS_INT32:
      g_snprintf (buf, size, "%" G_GINT32_FORMAT, g_variant_get_int32 (v));
      break;
    case G_VARIANT_CLASS_UINT32:
      g_snprintf (buf, size, "%" G_GUINT32_FORMAT, g_variant_get_uint32 (v));
      break;
    case G_VARIANT_CLASS_INT64:
      g_snprintf (buf, size, "%" G_GINT64_FORMAT, g_variant_get_int64 (v));
      break;
    case G_VARIANT_CLASS_UINT64:
      g_snprintf (buf, size, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (v));
      break;
    case G_VARIANT_CLASS_DOUBLE:
      if (!isfinite (g_variant_get_double (v)))
        {
          g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                               _("a number value is NaN or infinite"));
          return FALSE;
        }
      format_double (g_variant_get_double (v), buf, size);
      break;
    default:
      g_assert_not_reached ();
      return FALSE;
    }
  return TRUE;
}

/* A scalar as SQL: 'text', (-42), true. */
static gboolean
append_sql_scalar (GString *out, GVariant *v, GError **error)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  const char *s;
  gsize len;

  switch (scalar_kind (v))
    {
    case KIND_STRING:
      s = g_variant_get_string (v, &len);
      return fraise_sql_append_checked_literal (out, s, len, error);
    case KIND_NUMBER:
      if (!format_number (v, number, sizeof number, error))
        return FALSE;
      g_string_append_printf (out, "(%s)", number);
      return TRUE;
    case KIND_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (v) ? "true" : "false");
      return TRUE;
    case KIND_OTHER:
    default:
      break;
    }
  g_assert_not_reached ();
  return FALSE;
}

/* Appends each element of the array @value with @append, comma-separated. */
typedef gboolean (*AppendElementFunc) (GString *out, GVariant *element, GError **error);

static gboolean
append_each_element (GString *out, GVariant *value, AppendElementFunc append, GError **error)
{
  gsize i, n = g_variant_n_children (value);

  for (i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
      g_autoptr(GVariant) element = unbox (child);

      if (i > 0)
        g_string_append (out, ", ");
      if (!append (out, element, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
append_json_string (GString *out, const char *s, gsize len, GError **error)
{
  gsize i;

  if (!fraise_sql_check_text (s, len, error))
    return FALSE;
  g_string_append_c (out, '"');
  for (i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
  return TRUE;
}

/* A scalar as JSON: "text", -42, true. */
static gboolean
append_json_scalar (GString *out, GVariant *v, GError **error)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  const char *s;
  gsize len;

  switch (scalar_kind (v))
    {
    case KIND_STRING:
      s = g_variant_get_string (v, &len);
      return append_json_string (out, s, len, error);
    case KIND_NUMBER:
      if (!format_number (v, number, sizeof number, error))
        return FALSE;
      g_string_append (out, number);
      return TRUE;
    case KIND_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (v) ? "true" : "false");
      return TRUE;
    case KIND_OTHER:
    default:
      break;
    }
  g_assert_not_reached ();
  return FALSE;
}

/* ---- conditions -------------------------------------------------------- */

typedef struct {
  const char *base;
  const char *path;
  FraiseOperator op;
  GVariant *value; /* unboxed, or NULL */
} Condition;

static gboolean
wrong_value (const Condition *c, const char *expected, GError **error)
{
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("operator \"%s\" expects %s, not %s"), operator_names[c->op], expected,
                  c->value != NULL ? g_variant_get_type_string (c->value) : "NULL");
  return FALSE;
}

/* The common kind of the elements of an array value (KIND_OTHER when they
 * differ or are not scalars; KIND_STRING for an empty array). */
static ValueKind
elements_kind (GVariant *array, gboolean allow_mixed)
{
  ValueKind kind = KIND_OTHER;
  gsize i, n = g_variant_n_children (array);

  for (i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (array, i);
      g_autoptr(GVariant) element = unbox (child);
      ValueKind k = scalar_kind (element);

      if (k == KIND_OTHER || (i > 0 && k != kind && !allow_mixed))
        return KIND_OTHER;
      kind = k;
    }
  return n == 0 ? KIND_STRING : kind;
}

/* The text at the path, cast for @kind: (data->>'k'), ((data->>'k')::numeric). */
static gboolean
append_typed_text (GString *out, const Condition *c, ValueKind kind, GError **error)
{
  if (kind != KIND_STRING)
    g_string_append_c (out, '(');
  if (!fraise_sql_append_path (out, c->base, c->path, TRUE, error))
    return FALSE;
  if (kind == KIND_NUMBER)
    g_string_append (out, "::numeric)");
  else if (kind == KIND_BOOLEAN)
    g_string_append (out, "::boolean)");
  return TRUE;
}

static gboolean
append_comparison (GString *out, const Condition *c, GError **error)
{
  static const char *const sql_ops[] = { "=", "<>", "<", "<=", ">", ">=" };
  ValueKind kind = c->value != NULL ? scalar_kind (c->value) : KIND_OTHER;

  if (kind == KIND_OTHER)
    return wrong_value (c, _("a string, number or boolean"), error);
  if (!append_typed_text (out, c, kind, error))
    return FALSE;
  g_string_append_printf (out, " %s ", sql_ops[c->op - FRAISE_OPERATOR_EQ]);
  return append_sql_scalar (out, c->value, error);
}

static gboolean
append_in (GString *out, const Condition *c, GError **error)
{
  gboolean negate = c->op == FRAISE_OPERATOR_NOT_IN;
  ValueKind kind;
  gsize n;

  if (c->value == NULL || !is_array (c->value) ||
      (kind = elements_kind (c->value, FALSE)) == KIND_OTHER)
    return wrong_value (c, _("an array of strings, numbers or booleans"), error);
  n = g_variant_n_children (c->value);
  if (n == 0)
    {
      /* Nothing is a member of the empty set. "x IN ()" is a syntax error,
       * so the predicate is written as its value: false for IN, true for
       * NOT IN. NOT IN () is true even for a missing key, unlike a
       * non-empty NOT IN, whose result is NULL (row excluded) then. */
      g_string_append (out, negate ? "true" : "false");
      return TRUE;
    }
  if (!append_typed_text (out, c, kind, error))
    return FALSE;
  g_string_append (out, negate ? " NOT IN (" : " IN (");
  if (!append_each_element (out, c->value, append_sql_scalar, error))
    return FALSE;
  g_string_append_c (out, ')');
  return TRUE;
}

static gboolean
append_like (GString *out, const Condition *c, GError **error)
{
  const char *pattern;
  gsize len;

  if (c->value == NULL || scalar_kind (c->value) != KIND_STRING)
    return wrong_value (c, _("a string"), error);
  if (!fraise_sql_append_path (out, c->base, c->path, TRUE, error))
    return FALSE;
  g_string_append (out, c->op == FRAISE_OPERATOR_LIKE ? " LIKE " : " ILIKE ");
  pattern = g_variant_get_string (c->value, &len);
  return fraise_sql_append_checked_literal (out, pattern, len, error);
}

/* contains, starts-with, ends-with: the value with the LIKE wildcards and
 * the escape character backslash-escaped, between % as needed. The pattern
 * then holds backslashes, so fraise_sql_append_literal() writes it E'...' with them
 * doubled; the server's string lexer undoes that before LIKE sees it. */
static gboolean
append_substring_match (GString *out, const Condition *c, GError **error)
{
  g_autoptr(GString) pattern = NULL;
  const char *s;
  gsize i, len;

  if (c->value == NULL || scalar_kind (c->value) != KIND_STRING)
    return wrong_value (c, _("a string"), error);
  s = g_variant_get_string (c->value, &len);
  if (!fraise_sql_check_text (s, len, error) ||
      !fraise_sql_append_path (out, c->base, c->path, TRUE, error))
    return FALSE;
  pattern = g_string_sized_new (len + 2);
  if (c->op != FRAISE_OPERATOR_STARTS_WITH)
    g_string_append_c (pattern, '%');
  for (i = 0; i < len; i++)
    {
      if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, s[i]);
    }
  if (c->op != FRAISE_OPERATOR_ENDS_WITH)
    g_string_append_c (pattern, '%');
  g_string_append (out, " LIKE ");
  fraise_sql_append_literal (out, pattern->str, pattern->len);
  g_string_append (out, " ESCAPE E'\\\\'");
  return TRUE;
}

/* (data->>'k') IS NULL: ->> gives SQL NULL both for a missing key (or a
 * missing parent) and for a JSON null, so is-null matches both and
 * is-not-null neither. */
static gboolean
append_null_test (GString *out, const Condition *c, GError **error)
{
  if (c->value != NULL)
    return wrong_value (c, _("no value (NULL)"), error);
  if (!fraise_sql_append_path (out, c->base, c->path, TRUE, error))
    return FALSE;
  g_string_append (out, c->op == FRAISE_OPERATOR_IS_NULL ? " IS NULL" : " IS NOT NULL");
  return TRUE;
}

/* A JSON array literal of @value's scalars (or of @value itself), cast to jsonb. */
static gboolean
append_jsonb_array (GString *out, GVariant *value, GError **error)
{
  g_autoptr(GString) json = g_string_new ("[");
  gsize i, n;

  if (!is_array (value))
    {
      if (!append_json_scalar (json, value, error))
        return FALSE;
    }
  else
    {
      n = g_variant_n_children (value);
      for (i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) element = unbox (child);

          if (i > 0)
            g_string_append (json, ", ");
          if (!append_json_scalar (json, element, error))
            return FALSE;
        }
    }
  g_string_append_c (json, ']');
  fraise_sql_append_literal (out, json->str, json->len);
  g_string_append (out, "::jsonb");
  return TRUE;
}

/* ((data->'k')::jsonb): the value at the path as jsonb (data may be json). */
static gboolean
append_jsonb_path (GString *out, const Condition *c, GError **error)
{
  g_string_append_c (out, '(');
  if (!fraise_sql_append_path (out, c->base, c->path, FALSE, error))
    return FALSE;
  g_string_append (out, "::jsonb)");
  return TRUE;
}

/* ((data->'k')::jsonb) @> '["x", 1]'::jsonb: every given element is in the
 * array (jsonb containment: numbers compare numerically, 1 matches 1.0). */
static gboolean
append_array_contains (GString *out, const Condition *c, GError **error)
{
  if (c->value == NULL ||
      (is_array (c->value) ? elements_kind (c->value, TRUE) : scalar_kind (c->value)) == KIND_OTHER)
    return wrong_value (c, _("a string, number, boolean or an array of them"), error);
  if (!append_jsonb_path (out, c, error))
    return FALSE;
  g_string_append (out, " @> ");
  return append_jsonb_array (out, c->value, error);
}

/* ((data->'k')::jsonb) @> ANY (ARRAY['["a"]'::jsonb, '[1]'::jsonb]): the
 * array shares at least one element with the value, i.e. contains one of
 * its elements. Unlike ?| this also works for numbers and booleans (compared
 * as JSON values, not as text), and unlike jsonb_array_elements it does not
 * fail when the value at the path is not an array (the result is false).
 * An empty value shares nothing: false. */
static gboolean
append_array_overlaps (GString *out, const Condition *c, GError **error)
{
  gsize n;

  if (c->value == NULL || !is_array (c->value) || elements_kind (c->value, TRUE) == KIND_OTHER)
    return wrong_value (c, _("an array of strings, numbers or booleans"), error);
  n = g_variant_n_children (c->value);
  if (n == 0)
    {
      g_string_append (out, "false");
      return TRUE;
    }
  if (!append_jsonb_path (out, c, error))
    return FALSE;
  g_string_append (out, " @> ANY (ARRAY[");
  if (!append_each_element (out, c->value, append_jsonb_array, error))
    return FALSE;
  g_string_append (out, "])");
  return TRUE;
}

/* (<object>::jsonb ? 'key'): the object at the path (the whole document for
 * the path "") has the key. As for any jsonb "?", a string element of an
 * array also matches. */
static gboolean
append_has_key (GString *out, const Condition *c, GError **error)
{
  const char *key;
  gsize len;

  if (c->value == NULL || scalar_kind (c->value) != KIND_STRING)
    return wrong_value (c, _("a string (the key)"), error);
  g_string_append_c (out, '(');
  if (*c->path == '\0')
    {
      if (!fraise_sql_append_base (out, c->base, error))
        return FALSE;
    }
  else if (!fraise_sql_append_path (out, c->base, c->path, FALSE, error))
    return FALSE;
  g_string_append (out, "::jsonb ? ");
  key = g_variant_get_string (c->value, &len);
  if (!fraise_sql_append_checked_literal (out, key, len, error))
    return FALSE;
  g_string_append_c (out, ')');
  return TRUE;
}

static gboolean
append_condition (GString *out, const Condition *c, GError **error)
{
  switch (c->op)
    {
    case FRAISE_OPERATOR_EQ:
    case FRAISE_OPERATOR_NE:
    case FRAISE_OPERATOR_LT:
    case FRAISE_OPERATOR_LE:
    case FRAISE_OPERATOR_GT:
    case FRAISE_OPERATOR_GE:
      return append_comparison (out, c, error);
    case FRAISE_OPERATOR_IN:
    case FRAISE_OPERATOR_NOT_IN:
      return append_in (out, c, error);
    case FRAISE_OPERATOR_LIKE:
    case FRAISE_OPERATOR_ILIKE:
      return append_like (out, c, error);
    case FRAISE_OPERATOR_CONTAINS:
    case FRAISE_OPERATOR_STARTS_WITH:
    case FRAISE_OPERATOR_ENDS_WITH:
      return append_substring_match (out, c, error);
    case FRAISE_OPERATOR_IS_NULL:
    case FRAISE_OPERATOR_IS_NOT_NULL:
      return append_null_test (out, c, error);
    case FRAISE_OPERATOR_ARRAY_CONTAINS:
      return append_array_contains (out, c, error);
    case FRAISE_OPERATOR_ARRAY_OVERLAPS:
      return append_array_overlaps (out, c, error);
    case FRAISE_OPERATOR_HAS_KEY:
      return append_has_key (out, c, error);
    default:
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("unknown condition operator %d"), (int) c->op);
      return FALSE;
    }
}

char *
fraise_sql_render_condition_full (
  const char *base, const char *path, FraiseOperator op, GVariant *value, GError **error)
{
  g_autoptr(GVariant) unboxed = value != NULL ? unbox (value) : NULL;
  Condition c = { base, path, op, unboxed };
  GString *out;

  g_return_val_if_fail (path != NULL, NULL);

  out = g_string_new (NULL);
  if (!append_condition (out, &c, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
fraise_sql_render_condition (const char *path, FraiseOperator op, GVariant *value, GError **error)
{
  return fraise_sql_render_condition_full (NULL, path, op, value, error);
}
