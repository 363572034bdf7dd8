/* fraise-parse-value.c: property values between their description text and a GValue
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What a description can say for each property type, and how the canonical
 * text writes it back:
 *
 * - strings: the text as it is;
 * - booleans: `true`/`false` (also `yes`/`no`, any ASCII case), written
 *   `true`/`false`;
 * - integers: decimal digits with an optional `-`, within the GParamSpec's
 *   range (no `+`, no hexadecimal, no spaces);
 * - floating point: what g_ascii_strtod() reads, finite and within range,
 *   written with enough digits to read back the same number;
 * - enums: the value's nick (or its full name), written as the nick;
 * - flags: nicks (or names) joined with `+` (or `|`), the empty text for
 *   none, written with `+`;
 * - string lists (G_TYPE_STRV): items separated by commas, where `\,` is a
 *   comma inside an item and `\\` a backslash; the empty text is no item.
 *
 * Anything else (objects, other boxed types, pointers) is not textual: the
 * parser says so rather than guessing.
 */

#include "fraise-parse-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

gboolean
_fraise_value_type_is_textual (GParamSpec *pspec)
{
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
    case G_TYPE_BOOLEAN:
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return TRUE;
    case G_TYPE_BOXED:
      return pspec->value_type == G_TYPE_STRV;
    default:
      return FALSE;
    }
}

/* ---- numbers --------------------------------------------------------------- */

/* The range of an integer pspec, signed or not. */
static void
signed_range (GParamSpec *pspec, gint64 *min, gint64 *max)
{
  if (G_IS_PARAM_SPEC_CHAR (pspec))
    *min = G_PARAM_SPEC_CHAR (pspec)->minimum, *max = G_PARAM_SPEC_CHAR (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_INT (pspec))
    *min = G_PARAM_SPEC_INT (pspec)->minimum, *max = G_PARAM_SPEC_INT (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_LONG (pspec))
    *min = G_PARAM_SPEC_LONG (pspec)->minimum, *max = G_PARAM_SPEC_LONG (pspec)->maximum;
  else
    *min = G_PARAM_SPEC_INT64 (pspec)->minimum, *max = G_PARAM_SPEC_INT64 (pspec)->maximum;
}

static void
unsigned_range (GParamSpec *pspec, guint64 *min, guint64 *max)
{
  if (G_IS_PARAM_SPEC_UCHAR (pspec))
    *min = G_PARAM_SPEC_UCHAR (pspec)->minimum, *max = G_PARAM_SPEC_UCHAR (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    *min = G_PARAM_SPEC_UINT (pspec)->minimum, *max = G_PARAM_SPEC_UINT (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_ULONG (pspec))
    *min = G_PARAM_SPEC_ULONG (pspec)->minimum, *max = G_PARAM_SPEC_ULONG (pspec)->maximum;
  else
    *min = G_PARAM_SPEC_UINT64 (pspec)->minimum, *max = G_PARAM_SPEC_UINT64 (pspec)->maximum;
}

/* `-?[0-9]+`; *@negative says whether the sign is there. */
static gboolean
is_decimal (const char *text, gboolean *negative)
{
  *negative = text[0] == '-';
  if (*negative)
    text++;
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

static gboolean
parse_signed (GParamSpec *pspec, const char *text, GValue *value, char **expected)
{
  gboolean negative;
  gint64 min, max, n;

  signed_range (pspec, &min, &max);
  errno = 0;
  n = is_decimal (text, &negative) ? g_ascii_strtoll (text, NULL, 10) : 0;
  if (!is_decimal (text, &negative) || errno == ERANGE || n < min || n > max)
    {
      *expected = g_strdup_printf ("%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, min, max);
      return FALSE;
    }
  if (G_IS_PARAM_SPEC_CHAR (pspec))
    g_value_set_schar (value, (gint8) n);
  else if (G_IS_PARAM_SPEC_INT (pspec))
    g_value_set_int (value, (int) n);
  else if (G_IS_PARAM_SPEC_LONG (pspec))
    g_value_set_long (value, (long) n);
  else
    g_value_set_int64 (value, n);
  return TRUE;
}

static gboolean
parse_unsigned (GParamSpec *pspec, const char *text, GValue *value, char **expected)
{
  gboolean negative;
  guint64 min, max, n;

  unsigned_range (pspec, &min, &max);
  errno = 0;
  n = is_decimal (text, &negative) && !negative ? g_ascii_strtoull (text, NULL, 10) : 0;
  if (!is_decimal (text, &negative) || negative || errno == ERANGE || n < min || n > max)
    {
      /* "-0" is a negative-looking zero; refusing it keeps one spelling. */
      *expected = g_strdup_printf ("%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, min, max);
      return FALSE;
    }
  if (G_IS_PARAM_SPEC_UCHAR (pspec))
    g_value_set_uchar (value, (guint8) n);
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    g_value_set_uint (value, (guint) n);
  else if (G_IS_PARAM_SPEC_ULONG (pspec))
    g_value_set_ulong (value, (gulong) n);
  else
    g_value_set_uint64 (value, n);
  return TRUE;
}

static gboolean
parse_double (GParamSpec *pspec, const char *text, GValue *value, char **expected)
{
  gboolean is_float = G_IS_PARAM_SPEC_FLOAT (pspec);
  double min =
    is_float ? G_PARAM_SPEC_FLOAT (pspec)->minimum : G_PARAM_SPEC_DOUBLE (pspec)->minimum;
  double max =
    is_float ? G_PARAM_SPEC_FLOAT (pspec)->maximum : G_PARAM_SPEC_DOUBLE (pspec)->maximum;
  char *end = NULL;
  double d = 0;

  if (*text != '\0' && !g_ascii_isspace (*text))
    d = g_ascii_strtod (text, &end);
  if (end == NULL || end == text || *end != '\0' || !isfinite (d) || d < min || d > max ||
      (is_float && !isfinite ((float) d)))
    {
      char min_text[G_ASCII_DTOSTR_BUF_SIZE], max_text[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (min_text, sizeof min_text, "%g", min);
      g_ascii_formatd (max_text, sizeof max_text, "%g", max);
      *expected = g_strdup_printf (_("a number in %s..%s"), min_text, max_text);
      return FALSE;
    }
  if (is_float)
    g_value_set_float (value, (float) d);
  else
    g_value_set_double (value, d);
  return TRUE;
}

/* ---- booleans, enums, flags ------------------------------------------------ */

static gboolean
parse_boolean (const char *text, GValue *value, char **expected)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || g_ascii_strcasecmp (text, "yes") == 0)
    g_value_set_boolean (value, TRUE);
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_ascii_strcasecmp (text, "no") == 0)
    g_value_set_boolean (value, FALSE);
  else
    {
      *expected = g_strdup (_("true or false"));
      return FALSE;
    }
  return TRUE;
}

static char *
join_nicks (const char *const *nicks)
{
  return g_strjoinv (", ", (char **) nicks);
}

static GStrv
enum_nicks (GEnumClass *klass)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv nicks;

  for (guint i = 0; i < klass->n_values; i++)
    g_strv_builder_add (builder, klass->values[i].value_nick);
  nicks = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return nicks;
}

static gboolean
parse_enum (GParamSpec *pspec, const char *text, GValue *value, char **expected, char **suggestion)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
  GEnumValue *found = g_enum_get_value_by_nick (klass, text);
  g_auto(GStrv) nicks = NULL;
  g_autofree char *list = NULL;

  if (found == NULL)
    found = g_enum_get_value_by_name (klass, text);
  if (found != NULL)
    {
      g_value_set_enum (value, found->value);
      return TRUE;
    }
  nicks = enum_nicks (klass);
  list = join_nicks ((const char *const *) nicks);
  *expected = g_strdup_printf (_("one of %s"), list);
  *suggestion = g_strdup (_fraise_suggest_name (text, (const char *const *) nicks));
  return FALSE;
}

static GStrv
flags_nicks (GFlagsClass *klass)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv nicks;

  for (guint i = 0; i < klass->n_values; i++)
    g_strv_builder_add (builder, klass->values[i].value_nick);
  nicks = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return nicks;
}

static gboolean
parse_flags (GParamSpec *pspec, const char *text, GValue *value, char **expected, char **suggestion)
{
  GFlagsClass *klass = G_PARAM_SPEC_FLAGS (pspec)->flags_class;
  g_auto(GStrv) items = g_strsplit_set (text, "+|", -1);
  guint bits = 0;

  for (gsize i = 0; *text != '\0' && items[i] != NULL; i++)
    {
      GFlagsValue *found = g_flags_get_value_by_nick (klass, items[i]);

      if (found == NULL)
        found = g_flags_get_value_by_name (klass, items[i]);
      if (found == NULL)
        {
          g_auto(GStrv) nicks = flags_nicks (klass);
          g_autofree char *list = join_nicks ((const char *const *) nicks);

          *expected = g_strdup_printf (_("a combination of %s joined with \"+\""), list);
          *suggestion = g_strdup (_fraise_suggest_name (items[i], (const char *const *) nicks));
          return FALSE;
        }
      bits |= found->value;
    }
  g_value_set_flags (value, bits);
  return TRUE;
}

/* ---- string lists ---------------------------------------------------------- */

static void
parse_strv (const char *text, GValue *value)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GString *item = g_string_new (NULL);

  for (const char *p = text; *text != '\0'; p++)
    {
      if (*p == '\\' && (p[1] == ',' || p[1] == '\\'))
        g_string_append_c (item, *++p);
      else if (*p == ',' || *p == '\0')
        {
          g_strv_builder_add (builder, item->str);
          g_string_truncate (item, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (item, *p);
    }
  g_value_take_boxed (value, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);
  g_string_free (item, TRUE);
}

static char *
strv_to_text (const char *const *strv)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      for (const char *p = strv[i]; *p != '\0'; p++)
        {
          if (*p == ',' || *p == '\\')
            g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
        }
    }
  return g_string_free (text, FALSE);
}

/* ---- the entry points ------------------------------------------------------ */

gboolean
_fraise_value_from_text (
  GParamSpec *pspec, const char *text, GValue *value, char **expected, char **suggestion)
{
  gboolean ok = TRUE;

  *expected = NULL;
  *suggestion = NULL;
  g_value_init (value, pspec->value_type);
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
      g_value_set_string (value, text);
      break;
    case G_TYPE_BOOLEAN:
      ok = parse_boolean (text, value, expected);
      break;
    case G_TYPE_CHAR:
    case G_TYPE_INT:
    case G_TYPE_LONG:
    case G_TYPE_INT64:
      ok = parse_signed (pspec, text, value, expected);
      break;
    case G_TYPE_UCHAR:
    case G_TYPE_UINT:
    case G_TYPE_ULONG:
    case G_TYPE_UINT64:
      ok = parse_unsigned (pspec, text, value, expected);
      break;
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
      ok = parse_double (pspec, text, value, expected);
      break;
    case G_TYPE_ENUM:
      ok = parse_enum (pspec, text, value, expected, suggestion);
      break;
    case G_TYPE_FLAGS:
      ok = parse_flags (pspec, text, value, expected, suggestion);
      break;
    default:
      g_return_val_if_fail (pspec->value_type == G_TYPE_STRV, FALSE);
      parse_strv (text, value);
      break;
    }
  if (!ok)
    g_value_unset (value);
  return ok;
}

static char *
flags_to_text (GParamSpec *pspec, guint bits)
{
  GFlagsClass *klass = G_PARAM_SPEC_FLAGS (pspec)->flags_class;
  GString *text = g_string_new (NULL);
  GFlagsValue *zero = g_flags_get_first_value (klass, 0);

  if (bits == 0 && zero != NULL && zero->value == 0)
    g_string_append (text, zero->value_nick);
  while (bits != 0)
    {
      GFlagsValue *value = g_flags_get_first_value (klass, bits);

      if (value == NULL || value->value == 0)
        break;
      if (text->len > 0)
        g_string_append_c (text, '+');
      g_string_append (text, value->value_nick);
      bits &= ~value->value;
    }
  return g_string_free (text, FALSE);
}

/* The shortest text that reads back as the same number (0.1, not
 * 0.10000000000000001): 17 significant digits always do for a double, 9
 * for a float. */
static char *
double_to_text (double d, gboolean is_float)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  int most = is_float ? 9 : 17;

  for (int digits = is_float ? 6 : 15; digits <= most; digits++)
    {
      g_autofree char *format = g_strdup_printf ("%%.%dg", digits);
      double back;

      g_ascii_formatd (buffer, sizeof buffer, format, d);
      back = g_ascii_strtod (buffer, NULL);
      if (is_float ? (float) back == (float) d : back == d)
        break;
    }
  return g_strdup (buffer);
}

char *
_fraise_value_to_text (GParamSpec *pspec, const GValue *value)
{
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
      return g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_CHAR:
      return g_strdup_printf ("%d", (int) g_value_get_schar (value));
    case G_TYPE_UCHAR:
      return g_strdup_printf ("%u", (guint) g_value_get_uchar (value));
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_LONG:
      return g_strdup_printf ("%ld", g_value_get_long (value));
    case G_TYPE_ULONG:
      return g_strdup_printf ("%lu", g_value_get_ulong (value));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
    case G_TYPE_FLOAT:
      return double_to_text (g_value_get_float (value), TRUE);
    case G_TYPE_DOUBLE:
      return double_to_text (g_value_get_double (value), FALSE);
    case G_TYPE_ENUM:
      {
        GEnumValue *found =
          g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class, g_value_get_enum (value));

        return found != NULL ? g_strdup (found->value_nick)
                             : g_strdup_printf ("%d", g_value_get_enum (value));
      }
    case G_TYPE_FLAGS:
      return flags_to_text (pspec, g_value_get_flags (value));
    default:
      g_return_val_if_fail (pspec->value_type == G_TYPE_STRV, NULL);
      return strv_to_text (g_value_get_boxed (value));
    }
}

gboolean
_fraise_value_equal (GParamSpec *pspec, const GValue *a, const GValue *b)
{
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_FLOAT:
      return g_value_get_float (a) == g_value_get_float (b);
    case G_TYPE_DOUBLE:
      return g_value_get_double (a) == g_value_get_double (b);
    case G_TYPE_BOXED:
      if (pspec->value_type == G_TYPE_STRV)
        {
          const char *const *x = g_value_get_boxed (a), *const *y = g_value_get_boxed (b);

          if (x == NULL || y == NULL)
            return x == y;
          return g_strv_equal (x, y);
        }
      return g_value_get_boxed (a) == g_value_get_boxed (b);
    default:
      return g_param_values_cmp (pspec, a, b) == 0;
    }
}

/* ---- quoting --------------------------------------------------------------- */

char *
_fraise_describe_quote (const char *text)
{
  GString *quoted;
  gboolean bare = *text != '\0';

  for (const char *p = text; bare && *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == '!' || *p == '"' || *p == '\'' || *p == '\\')
      bare = FALSE;
  if (bare)
    return g_strdup (text);
  quoted = g_string_new ("\"");
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}
