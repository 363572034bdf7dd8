/* fraise-sql-condition.c: the SQL of one condition on a JSON path
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure string building, no I/O. A condition is rendered with the exact,
 * type-guarded predicates of fraise-sql-json.c, the ones the filter
 * language's push-down uses, so it has the filter language's semantics
 * (docs/filter.md): a missing key and JSON null are distinct, values of
 * different JSON types never compare (no coercion: "5" is not 5), numbers
 * compare as exact decimals, strings by code point, and every cast sits
 * behind a jsonb_typeof() guard inside a CASE, so no document can make the
 * server raise a cast error in the middle of a stream.
 *
 * The document is read as jsonb: `data::jsonb`. On a jsonb column the
 * parser drops that cast, so `(data::jsonb) @> '{...}'` is `data @> '{...}'`
 * and an index on data (GIN jsonb_path_ops) or on an expression of data
 * still serves it; a json column is converted row by row.
 *
 * Here the GVariant value is checked and turned into FraiseSqlScalar
 * literals: a string becomes a JSON string, an integer or a finite double
 * the text of a JSON number, a boolean a JSON boolean.
 */

#include "fraise-sql-json-private.h"
#include "fraise-sql-private.h"

#include <math.h>
#include <string.h>

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

static gboolean
is_scalar (GVariant *v)
{
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_BOOLEAN:
    case G_VARIANT_CLASS_BYTE:
    case G_VARIANT_CLASS_INT16:
    case G_VARIANT_CLASS_UINT16:
    case G_VARIANT_CLASS_INT32:
    case G_VARIANT_CLASS_UINT32:
    case G_VARIANT_CLASS_INT64:
    case G_VARIANT_CLASS_UINT64:
    case G_VARIANT_CLASS_DOUBLE:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_string (GVariant *v)
{
  return g_variant_classify (v) == G_VARIANT_CLASS_STRING;
}

static gboolean
is_array (GVariant *v)
{
  return g_variant_classify (v) == G_VARIANT_CLASS_ARRAY;
}

/* An array whose elements are all scalars (after unboxing). */
static gboolean
is_scalar_array (GVariant *v)
{
  gsize n;

  if (!is_array (v))
    return FALSE;
  n = g_variant_n_children (v);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (v, i);
      g_autoptr (GVariant) element = unbox (child);

      if (!is_scalar (element))
        return FALSE;
    }
  return TRUE;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
is_json_number (const char *s)
{
  const char *p = s;

  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    while (g_ascii_isdigit (*p))
      p++;
  else
    return FALSE;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

/* The shortest decimal form that reads back as @d, locale-independent: the
 * one a person writes (0.1, not 0.10000000000000001), since the comparison
 * is exact. At worst this is g_ascii_formatd()'s "%.17g", which always
 * reads back. */
static void
format_double (double d, char *buf, gsize size)
{
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, (int) size, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        return;
    }
}

/* The text of a JSON number for an integer or double @v. */
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
  if (!is_json_number (buf))
    {
      /* Not expected from printf; refused rather than sent. */
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("the number value %s is not a valid JSON number"), buf);
      return FALSE;
    }
  return TRUE;
}

/* The literals of a condition: @n scalars, the number texts they point to,
 * and the unboxed values whose strings they point into. */
typedef struct {
  FraiseSqlScalar *scalars;
  char (*numbers)[G_ASCII_DTOSTR_BUF_SIZE];
  GPtrArray *elements;
  gsize n;
} Literals;

static void
literals_clear (Literals *literals)
{
  g_clear_pointer (&literals->scalars, g_free);
  g_clear_pointer (&literals->numbers, g_free);
  g_clear_pointer (&literals->elements, g_ptr_array_unref);
  literals->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Literals, literals_clear)

/* Fills @scalar from the scalar @v; a string points into @v. */
static gboolean
to_scalar (GVariant *v, FraiseSqlScalar *scalar, char *number, gsize size, GError **error)
{
  memset (scalar, 0, sizeof *scalar);
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_STRING:
      scalar->type = FRAISE_JSON_TYPE_STRING;
      scalar->text = (char *) g_variant_get_string (v, &scalar->len);
      return fraise_sql_check_text (scalar->text, scalar->len, error);
    case G_VARIANT_CLASS_BOOLEAN:
      scalar->type = FRAISE_JSON_TYPE_BOOLEAN;
      scalar->boolean = g_variant_get_boolean (v);
      return TRUE;
    default:
      if (!format_number (v, number, size, error))
        return FALSE;
      scalar->type = FRAISE_JSON_TYPE_NUMBER;
      scalar->text = number;
      scalar->len = strlen (number);
      return TRUE;
    }
}

/* The scalar @value, or each element of the array @value, unboxed. */
static gboolean
literals_init (Literals *literals, GVariant *value, GError **error)
{
  gboolean array = is_array (value);

  literals->n = array ? g_variant_n_children (value) : 1;
  literals->scalars = g_new0 (FraiseSqlScalar, MAX (literals->n, 1));
  literals->numbers = g_malloc0_n (MAX (literals->n, 1), sizeof *literals->numbers);
  literals->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (gsize i = 0; i < literals->n; i++)
    {
      g_autoptr (GVariant) child = array ? g_variant_get_child_value (value, i) : NULL;
      GVariant *element = unbox (array ? child : value);

      g_ptr_array_add (literals->elements, element);
      if (!to_scalar (element, &literals->scalars[i], literals->numbers[i],
                      sizeof literals->numbers[i], error))
        return FALSE;
    }
  return TRUE;
}

/* ---- conditions -------------------------------------------------------- */

typedef struct {
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

/* The value's type is the one @c->op takes. */
static gboolean
check_value (const Condition *c, GError **error)
{
  GVariant *v = c->value;

  switch (c->op)
    {
    case FRAISE_OPERATOR_EQ:
    case FRAISE_OPERATOR_NE:
      if (v == NULL || !is_scalar (v))
        return wrong_value (c, _("a string, number or boolean"), error);
      return TRUE;
    case FRAISE_OPERATOR_LT:
    case FRAISE_OPERATOR_LE:
    case FRAISE_OPERATOR_GT:
    case FRAISE_OPERATOR_GE:
      /* Booleans have no order in the filter language: refused rather
       * than turned into a condition that matches nothing. */
      if (v == NULL || !is_scalar (v) || g_variant_classify (v) == G_VARIANT_CLASS_BOOLEAN)
        return wrong_value (c, _("a string or number"), error);
      return TRUE;
    case FRAISE_OPERATOR_IN:
    case FRAISE_OPERATOR_NOT_IN:
    case FRAISE_OPERATOR_ARRAY_OVERLAPS:
      if (v == NULL || !is_scalar_array (v))
        return wrong_value (c, _("an array of strings, numbers or booleans"), error);
      return TRUE;
    case FRAISE_OPERATOR_LIKE:
    case FRAISE_OPERATOR_ILIKE:
    case FRAISE_OPERATOR_CONTAINS:
    case FRAISE_OPERATOR_STARTS_WITH:
    case FRAISE_OPERATOR_ENDS_WITH:
      if (v == NULL || !is_string (v))
        return wrong_value (c, _("a string"), error);
      return TRUE;
    case FRAISE_OPERATOR_IS_NULL:
    case FRAISE_OPERATOR_IS_NOT_NULL:
      if (v != NULL)
        return wrong_value (c, _("no value (NULL)"), error);
      return TRUE;
    case FRAISE_OPERATOR_ARRAY_CONTAINS:
      if (v == NULL || !(is_scalar (v) || is_scalar_array (v)))
        return wrong_value (c, _("a string, number, boolean or an array of them"), error);
      return TRUE;
    case FRAISE_OPERATOR_HAS_KEY:
      if (v == NULL || !is_string (v))
        return wrong_value (c, _("a string (the key)"), error);
      return TRUE;
    default:
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("unknown condition operator %d"), (int) c->op);
      return FALSE;
    }
}

/* Appends the predicate of @c on @path. */
static gboolean
append_condition (GString *out,
                  const Condition *c,
                  const FraiseSqlJsonPath *path,
                  const char **reason,
                  GError **error)
{
  static const FraiseSqlScalar json_null = { FRAISE_JSON_TYPE_NULL, FALSE, NULL, 0 };
  static const FraiseSqlTextTest text_tests[] = {
    [FRAISE_OPERATOR_LIKE] = FRAISE_SQL_TEXT_LIKE,
    [FRAISE_OPERATOR_ILIKE] = FRAISE_SQL_TEXT_ILIKE,
    [FRAISE_OPERATOR_CONTAINS] = FRAISE_SQL_TEXT_SUBSTRING,
    [FRAISE_OPERATOR_STARTS_WITH] = FRAISE_SQL_TEXT_PREFIX,
    [FRAISE_OPERATOR_ENDS_WITH] = FRAISE_SQL_TEXT_SUFFIX,
  };
  g_auto (Literals) literals = { NULL, NULL, NULL, 0 };

  if (c->value != NULL && !literals_init (&literals, c->value, error))
    return FALSE;

  switch (c->op)
    {
    case FRAISE_OPERATOR_EQ:
    case FRAISE_OPERATOR_IN:
      return fraise_sql_json_equals_any (out, path, literals.scalars, literals.n, FALSE, reason);
    case FRAISE_OPERATOR_NE:
    case FRAISE_OPERATOR_NOT_IN:
      return fraise_sql_json_equals_any (out, path, literals.scalars, literals.n, TRUE, reason);
    case FRAISE_OPERATOR_LT:
    case FRAISE_OPERATOR_LE:
    case FRAISE_OPERATOR_GT:
    case FRAISE_OPERATOR_GE:
      return fraise_sql_json_order (
        out, path, (FraiseSqlOrder) (FRAISE_SQL_ORDER_LT + (c->op - FRAISE_OPERATOR_LT)),
        &literals.scalars[0], FALSE, reason);
    case FRAISE_OPERATOR_LIKE:
    case FRAISE_OPERATOR_ILIKE:
    case FRAISE_OPERATOR_CONTAINS:
    case FRAISE_OPERATOR_STARTS_WITH:
    case FRAISE_OPERATOR_ENDS_WITH:
      return fraise_sql_json_text_test (out, path, text_tests[c->op], literals.scalars[0].text,
                                        literals.scalars[0].len, reason);
    case FRAISE_OPERATOR_IS_NULL:
      return fraise_sql_json_equals_any (out, path, &json_null, 1, FALSE, reason);
    case FRAISE_OPERATOR_IS_NOT_NULL:
      return fraise_sql_json_equals_any (out, path, &json_null, 1, TRUE, reason);
    case FRAISE_OPERATOR_ARRAY_CONTAINS:
      return fraise_sql_json_array_has (out, path, literals.scalars, literals.n, TRUE, reason);
    case FRAISE_OPERATOR_ARRAY_OVERLAPS:
      return fraise_sql_json_array_has (out, path, literals.scalars, literals.n, FALSE, reason);
    case FRAISE_OPERATOR_HAS_KEY:
      return fraise_sql_json_has_key (out, path, literals.scalars[0].text, literals.scalars[0].len,
                                      reason);
    default:
      g_assert_not_reached ();
      return FALSE;
    }
}

char *
fraise_sql_render_condition_full (
  const char *base, const char *path, FraiseOperator op, GVariant *value, GError **error)
{
  g_autoptr (GVariant) unboxed = value != NULL ? unbox (value) : NULL;
  Condition c = { path, op, unboxed };
  g_auto (GStrv) keys = NULL;
  g_autofree FraiseJsonStep *steps = NULL;
  g_autoptr (GString) document = NULL;
  g_autoptr (GString) out = NULL;
  FraiseSqlJsonPath json_path;
  const char *reason = NULL;
  gsize n_steps = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_value (&c, error))
    return NULL;

  /* The path: dot-separated keys; "" (the document itself) only for
   * has-key. */
  if (*path != '\0' || op != FRAISE_OPERATOR_HAS_KEY)
    {
      keys = fraise_sql_split_path (path, error);
      if (keys == NULL)
        return NULL;
      n_steps = g_strv_length (keys);
    }
  steps = g_new0 (FraiseJsonStep, MAX (n_steps, 1));
  for (gsize i = 0; i < n_steps; i++)
    {
      steps[i].key = keys[i];
      steps[i].key_len = strlen (keys[i]);
    }

  /* The document as jsonb: data::jsonb, or (<base>)::jsonb. */
  document = g_string_new (NULL);
  if (!fraise_sql_append_base (document, base, error))
    return NULL;
  g_string_append (document, "::jsonb");
  json_path = (FraiseSqlJsonPath){ document->str, steps, n_steps };

  out = g_string_new (NULL);
  if (!append_condition (out, &c, &json_path, &reason, error))
    {
      if (reason != NULL)
        g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("operator \"%s\" on \"%s\" has no exact SQL form: %s"), operator_names[op],
                        path, _(reason));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
fraise_sql_render_condition (const char *path, FraiseOperator op, GVariant *value, GError **error)
{
  return fraise_sql_render_condition_full (NULL, path, op, value, error);
}
