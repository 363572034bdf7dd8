/* fraise-sql.c: building the SQL text of a query
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure string building, no I/O. Values are inlined as literals (the simple
 * Query protocol has no parameters), so everything that reaches the SQL text
 * is either validated here, quoted here, or trusted SQL that the caller
 * passed explicitly as SQL (projection, raw predicates, raw ORDER BY).
 *
 * Values and keys are validated UTF-8 without NUL before being quoted, and
 * numbers are always written in parentheses: "- (-1)" can never become the
 * comment "--1" (CVE-2024-27289). Trusted SQL that contains "--" is followed
 * by a newline, so a trailing line comment in it cannot swallow what we
 * append after it.
 */

#include "fraise-sql.h"

#include <math.h>
#include <string.h>

/* Longest part of a rejected input echoed in an error message, in bytes. */
#define ECHO_MAX 80

static const char * const operator_names[FRAISE_SQL_N_OPERATORS] = {
  "eq", "ne", "lt", "le", "gt", "ge", "in", "not-in", "like", "ilike",
  "contains", "starts-with", "ends-with", "is-null", "is-not-null",
  "array-contains", "array-overlaps", "has-key",
};

const char *
fraise_sql_operator_to_string (FraiseOperator op)
{
  if ((guint) op >= FRAISE_SQL_N_OPERATORS)
    return NULL;
  return operator_names[op];
}

/* ---- errors ------------------------------------------------------------ */

/* @s for an error message: control characters, backslashes and bytes that
 * are not UTF-8 as escapes, long input cut at ECHO_MAX bytes. */
static char *
echo_for_error (const char *s, gsize len)
{
  GString *out = g_string_new (NULL);
  gsize i = 0;

  while (i < len && i < ECHO_MAX)
    {
      guchar c = (guchar) s[i];
      gunichar u = c < 0x80 ? c : g_utf8_get_char_validated (s + i, (gssize) (len - i));

      if (c >= 0x80 && u < 0x110000)
        {
          gsize n = (gsize) g_utf8_skip[c];

          g_string_append_len (out, s + i, (gssize) n);
          i += n;
          continue;
        }
      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
      i++;
    }
  if (i < len)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static char *
echo_string (const char *s)
{
  return echo_for_error (s, strlen (s));
}

/* ---- literals ---------------------------------------------------------- */

static gboolean
check_text (const char *value, gsize len, GError **error)
{
  const char *end;

  if (memchr (value, '\0', len) != NULL)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("a value contains a NUL byte (at byte %lu)"),
                   (gulong) ((const char *) memchr (value, '\0', len) - value));
      return FALSE;
    }
  if (!g_utf8_validate_len (value, len, &end))
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("a value is not valid UTF-8 (at byte %lu)"),
                   (gulong) (end - value));
      return FALSE;
    }
  return TRUE;
}

/* Appends @len bytes of @value, already checked, as a literal. */
static void
append_literal (GString *out, const char *value, gsize len)
{
  gsize i;

  if (memchr (value, '\\', len) != NULL)
    g_string_append_c (out, 'E');
  g_string_append_c (out, '\'');
  for (i = 0; i < len; i++)
    {
      if (value[i] == '\'' || value[i] == '\\')
        g_string_append_c (out, value[i]);
      g_string_append_c (out, value[i]);
    }
  g_string_append_c (out, '\'');
}

static gboolean
append_checked_literal (GString *out, const char *value, gsize len, GError **error)
{
  if (!check_text (value, len, error))
    return FALSE;
  append_literal (out, value, len);
  return TRUE;
}

char *
fraise_sql_quote_literal (const char *value, gssize len, GError **error)
{
  GString *out;
  gsize n;

  g_return_val_if_fail (value != NULL || len == 0, NULL);

  n = len < 0 ? strlen (value) : (gsize) len;
  out = g_string_sized_new (n + 3);
  if (!append_checked_literal (out, n > 0 ? value : "", n, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* ---- identifiers ------------------------------------------------------- */

char *
fraise_sql_quote_identifier (const char *name, GError **error)
{
  g_autofree char *echo = NULL;
  GString *out;
  gsize len;
  const char *p;

  g_return_val_if_fail (name != NULL, NULL);

  len = strlen (name);
  if (len == 0 || len > FRAISE_SQL_MAX_IDENTIFIER || !g_utf8_validate_len (name, len, NULL))
    {
      echo = echo_for_error (name, len);
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("invalid identifier \"%s\" (expected 1 to %d bytes of UTF-8)"),
                   echo, FRAISE_SQL_MAX_IDENTIFIER);
      return NULL;
    }
  out = g_string_sized_new (len + 3);
  g_string_append_c (out, '"');
  for (p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* ---- sources ----------------------------------------------------------- */

/* One double-quoted identifier at *@p (on the opening quote): "" is an
 * escaped quote, control characters are refused. */
static gboolean
scan_quoted_part (const char **p)
{
  const char *s = *p + 1;
  gsize n = 0;

  for (;;)
    {
      guchar c = (guchar) *s;

      if (c == '\0' || c < 0x20 || c == 0x7f)
        return FALSE;
      if (c == '"' && s[1] != '"')
        break;
      s += c == '"' ? 2 : 1;
      n++;
    }
  *p = s + 1;
  return n > 0 && n <= FRAISE_SQL_MAX_IDENTIFIER;
}

/* One part of a name at *@p: a quoted identifier or [A-Za-z_][A-Za-z0-9_]*. */
static gboolean
scan_name_part (const char **p)
{
  const char *s = *p;

  if (*s == '"')
    return scan_quoted_part (p);
  if (!g_ascii_isalpha (*s) && *s != '_')
    return FALSE;
  while (g_ascii_isalnum (*s) || *s == '_')
    s++;
  if (s - *p > FRAISE_SQL_MAX_IDENTIFIER)
    return FALSE;
  *p = s;
  return TRUE;
}

static gboolean
is_qualified_name (const char *s)
{
  if (!g_utf8_validate (s, -1, NULL) || !scan_name_part (&s))
    return FALSE;
  if (*s == '.')
    {
      s++;
      if (!scan_name_part (&s))
        return FALSE;
    }
  return *s == '\0';
}

gboolean
fraise_sql_validate_source (const char *source, GError **error)
{
  g_autofree char *echo = NULL;

  g_return_val_if_fail (source != NULL, FALSE);

  if (is_qualified_name (source))
    return TRUE;
  echo = echo_string (source);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid source \"%s\" (expected [schema.]name of letters, digits and _, "
                 "or a double-quoted identifier)"), echo);
  return FALSE;
}

char *
fraise_sql_render_source (const char *source, GError **error)
{
  if (!fraise_sql_validate_source (source, error))
    return NULL;
  return g_strdup (source);
}

/* ---- trusted SQL ------------------------------------------------------- */

/* Appends caller-supplied SQL; a newline after it ends any line comment. */
static void
append_trusted (GString *out, const char *sql)
{
  g_string_append (out, sql);
  if (strstr (sql, "--") != NULL)
    g_string_append_c (out, '\n');
}

static gboolean
append_base (GString *out, const char *base, GError **error)
{
  if (base == NULL)
    {
      g_string_append (out, "data");
      return TRUE;
    }
  if (*base == '\0')
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("the base expression of a JSON path is empty"));
      return FALSE;
    }
  if (is_qualified_name (base))
    {
      g_string_append (out, base);
      return TRUE;
    }
  g_string_append_c (out, '(');
  append_trusted (out, base);
  g_string_append_c (out, ')');
  return TRUE;
}

/* ---- JSON paths -------------------------------------------------------- */

static GStrv
split_path (const char *path, GError **error)
{
  g_auto(GStrv) keys = NULL;
  g_autofree char *echo = NULL;
  guint i;

  if (*path != '\0' && check_text (path, strlen (path), NULL))
    {
      keys = g_strsplit (path, ".", -1);
      for (i = 0; keys[i] != NULL && *keys[i] != '\0'; i++)
        ;
      if (keys[i] == NULL)
        return g_steal_pointer (&keys);
    }
  echo = echo_string (path);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid JSON path \"%s\" (expected dot-separated, non-empty keys of UTF-8)"),
               echo);
  return NULL;
}

/* (base->'a'->>'b'): the last step is ->> when @as_text. */
static gboolean
append_path (GString *out, const char *base, const char *path, gboolean as_text,
             GError **error)
{
  g_auto(GStrv) keys = NULL;
  guint i;

  keys = split_path (path, error);
  if (keys == NULL)
    return FALSE;
  g_string_append_c (out, '(');
  if (!append_base (out, base, error))
    return FALSE;
  for (i = 0; keys[i] != NULL; i++)
    {
      g_string_append (out, as_text && keys[i + 1] == NULL ? "->>" : "->");
      append_literal (out, keys[i], strlen (keys[i]));
    }
  g_string_append_c (out, ')');
  return TRUE;
}

static char *
render_path (const char *base, const char *path, gboolean as_text, GError **error)
{
  GString *out = g_string_new (NULL);

  if (!append_path (out, base, path, as_text, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
fraise_sql_render_path_text_full (const char *base, const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return render_path (base, path, TRUE, error);
}

char *
fraise_sql_render_path_text (const char *path, GError **error)
{
  return fraise_sql_render_path_text_full (NULL, path, error);
}

char *
fraise_sql_render_path_json_full (const char *base, const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return render_path (base, path, FALSE, error);
}

char *
fraise_sql_render_path_json (const char *path, GError **error)
{
  return fraise_sql_render_path_json_full (NULL, path, error);
}

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
      return append_checked_literal (out, s, len, error);
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
append_each_element (GString           *out,
                     GVariant          *value,
                     AppendElementFunc  append,
                     GError           **error)
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

  if (!check_text (s, len, error))
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
  GVariant *value;   /* unboxed, or NULL */
} Condition;

static gboolean
wrong_value (const Condition *c, const char *expected, GError **error)
{
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("operator \"%s\" expects %s, not %s"),
               operator_names[c->op], expected,
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
  if (!append_path (out, c->base, c->path, TRUE, error))
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
  static const char * const sql_ops[] = { "=", "<>", "<", "<=", ">", ">=" };
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

  if (c->value == NULL || !is_array (c->value)
      || (kind = elements_kind (c->value, FALSE)) == KIND_OTHER)
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
  if (!append_path (out, c->base, c->path, TRUE, error))
    return FALSE;
  g_string_append (out, c->op == FRAISE_OPERATOR_LIKE ? " LIKE " : " ILIKE ");
  pattern = g_variant_get_string (c->value, &len);
  return append_checked_literal (out, pattern, len, error);
}

/* contains, starts-with, ends-with: the value with the LIKE wildcards and
 * the escape character backslash-escaped, between % as needed. The pattern
 * then holds backslashes, so append_literal writes it E'...' with them
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
  if (!check_text (s, len, error) || !append_path (out, c->base, c->path, TRUE, error))
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
  append_literal (out, pattern->str, pattern->len);
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
  if (!append_path (out, c->base, c->path, TRUE, error))
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
  append_literal (out, json->str, json->len);
  g_string_append (out, "::jsonb");
  return TRUE;
}



/* ((data->'k')::jsonb): the value at the path as jsonb (data may be json). */
static gboolean
append_jsonb_path (GString *out, const Condition *c, GError **error)
{
  g_string_append_c (out, '(');
  if (!append_path (out, c->base, c->path, FALSE, error))
    return FALSE;
  g_string_append (out, "::jsonb)");
  return TRUE;
}

/* ((data->'k')::jsonb) @> '["x", 1]'::jsonb: every given element is in the
 * array (jsonb containment: numbers compare numerically, 1 matches 1.0). */
static gboolean
append_array_contains (GString *out, const Condition *c, GError **error)
{
  if (c->value == NULL
      || (is_array (c->value) ? elements_kind (c->value, TRUE) : scalar_kind (c->value)) == KIND_OTHER)
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
      if (!append_base (out, c->base, error))
        return FALSE;
    }
  else if (!append_path (out, c->base, c->path, FALSE, error))
    return FALSE;
  g_string_append (out, "::jsonb ? ");
  key = g_variant_get_string (c->value, &len);
  if (!append_checked_literal (out, key, len, error))
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
fraise_sql_render_condition_full (const char      *base,
                                  const char      *path,
                                  FraiseOperator   op,
                                  GVariant        *value,
                                  GError         **error)
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
fraise_sql_render_condition (const char      *path,
                             FraiseOperator   op,
                             GVariant        *value,
                             GError         **error)
{
  return fraise_sql_render_condition_full (NULL, path, op, value, error);
}

/* ---- ORDER BY ---------------------------------------------------------- */

static gboolean
all_in_set (const char *s, const char *extra)
{
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isalnum (*s) && strchr (extra, *s) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_order_path (const char *path, GError **error)
{
  g_autofree char *echo = NULL;
  g_auto(GStrv) keys = NULL;

  if (*path != '\0' && all_in_set (path, "_."))
    keys = split_path (path, NULL);
  if (keys != NULL)
    return TRUE;
  echo = echo_string (path);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("cannot order by \"%s\": expected a JSON path of letters, digits, _ and dots "
                 "(raw SQL goes through set_order_by_sql)"), echo);
  return FALSE;
}

static gboolean
append_collation (GString *out, const char *collation, GError **error)
{
  g_autofree char *echo = NULL;

  if (collation == NULL || *collation == '\0')
    return TRUE;
  if (strlen (collation) <= FRAISE_SQL_MAX_IDENTIFIER && all_in_set (collation, "_.@-"))
    {
      g_string_append_printf (out, " COLLATE \"%s\"", collation);
      return TRUE;
    }
  echo = echo_string (collation);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid collation \"%s\" (expected up to %d letters, digits, _, ., @ or -)"),
               echo, FRAISE_SQL_MAX_IDENTIFIER);
  return FALSE;
}

char *
fraise_sql_render_order_item_full (const char           *base,
                                   const char           *path,
                                   const char           *collation,
                                   FraiseSortDirection   direction,
                                   FraiseNulls           nulls,
                                   GError              **error)
{
  static const char * const nulls_sql[] = { "", " NULLS FIRST", " NULLS LAST" };
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (direction != FRAISE_SORT_ASC && direction != FRAISE_SORT_DESC)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("unknown sort direction %d"), (int) direction);
      return NULL;
    }
  if ((guint) nulls > FRAISE_NULLS_LAST)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("unknown NULLS ordering %d"), (int) nulls);
      return NULL;
    }
  out = g_string_new (NULL);
  if (!check_order_path (path, error)
      || !append_path (out, base, path, TRUE, error)
      || !append_collation (out, collation, error))
    return NULL;
  g_string_append (out, direction == FRAISE_SORT_DESC ? " DESC" : " ASC");
  g_string_append (out, nulls_sql[nulls]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
fraise_sql_render_order_item (const char           *path,
                              const char           *collation,
                              FraiseSortDirection   direction,
                              FraiseNulls           nulls,
                              GError              **error)
{
  return fraise_sql_render_order_item_full (NULL, path, collation, direction, nulls, error);
}

/* ---- SELECT ------------------------------------------------------------ */

/* [a-z_][a-z0-9_]* at *@p. */
static gboolean
scan_setting_part (const char **p)
{
  const char *s = *p;

  if (!g_ascii_islower (*s) && *s != '_')
    return FALSE;
  while (g_ascii_islower (*s) || g_ascii_isdigit (*s) || *s == '_')
    s++;
  *p = s;
  return TRUE;
}

gboolean
fraise_sql_validate_setting_name (const char *name, GError **error)
{
  g_autofree char *echo = NULL;
  const char *p = name;

  g_return_val_if_fail (name != NULL, FALSE);

  if (strlen (name) <= FRAISE_SQL_MAX_IDENTIFIER && scan_setting_part (&p)
      && (*p == '\0' || (*p++ == '.' && scan_setting_part (&p) && *p == '\0')))
    return TRUE;
  echo = echo_string (name);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid setting name \"%s\" (expected name or prefix.name of a-z, 0-9 and _, "
                 "up to %d bytes)"), echo, FRAISE_SQL_MAX_IDENTIFIER);
  return FALSE;
}

/* SET LOCAL n = 'v'; ... In a simple Query of several statements the server
 * runs them all in one implicit transaction, so the settings last for this
 * query only (and the server does not warn, as it does for a lone SET LOCAL
 * outside a transaction block). Inside an explicit transaction they last
 * until its end. */
static gboolean
append_set_locals (GString *out, const FraiseSqlSelect *select, GError **error)
{
  guint i, n = select->set_local_names != NULL ? select->set_local_names->len : 0;
  guint n_values = select->set_local_values != NULL ? select->set_local_values->len : 0;

  if (n != n_values)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("%u SET LOCAL names but %u values"), n, n_values);
      return FALSE;
    }
  for (i = 0; i < n; i++)
    {
      const char *name = g_ptr_array_index (select->set_local_names, i);
      const char *value = g_ptr_array_index (select->set_local_values, i);

      if (!fraise_sql_validate_setting_name (name, error))
        return FALSE;
      g_string_append_printf (out, "SET LOCAL %s = ", name);
      if (!append_checked_literal (out, value, strlen (value), error))
        return FALSE;
      g_string_append (out, "; ");
    }
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  return *s == '\0';
}

static gboolean
append_where (GString *out, GPtrArray *where, GError **error)
{
  guint i;

  for (i = 0; where != NULL && i < where->len; i++)
    {
      const char *predicate = g_ptr_array_index (where, i);

      if (predicate == NULL || is_blank (predicate))
        {
          g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                               _("a WHERE predicate is empty"));
          return FALSE;
        }
      g_string_append (out, i == 0 ? " WHERE (" : " AND (");
      append_trusted (out, predicate);
      g_string_append_c (out, ')');
    }
  return TRUE;
}

char *
fraise_sql_build_select (const FraiseSqlSelect *select, GError **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (select != NULL, NULL);
  g_return_val_if_fail (select->source != NULL, NULL);

  if (!fraise_sql_validate_source (select->source, error))
    return NULL;
  out = g_string_new (NULL);
  if (!append_set_locals (out, select, error))
    return NULL;
  g_string_append (out, "SELECT ");
  if (select->projection != NULL && *select->projection != '\0')
    {
      append_trusted (out, select->projection);
      g_string_append (out, " AS data");
    }
  else
    g_string_append (out, "data");
  g_string_append_printf (out, " FROM %s", select->source);
  if (!append_where (out, select->where, error))
    return NULL;
  if (select->order_by != NULL && *select->order_by != '\0')
    {
      g_string_append (out, " ORDER BY ");
      append_trusted (out, select->order_by);
    }
  if (select->limit >= 0)
    g_string_append_printf (out, " LIMIT %" G_GINT64_FORMAT, select->limit);
  if (select->offset >= 0)
    g_string_append_printf (out, " OFFSET %" G_GINT64_FORMAT, select->offset);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
