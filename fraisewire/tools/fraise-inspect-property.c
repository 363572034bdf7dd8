/* fraise-inspect-property.c: what fraise-inspect says about one element property
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both forms come from one reading of the GParamSpec (PropertyFacts), so
 * the text and the JSON cannot disagree on a range or a default.
 */

#include "fraise-inspect-property.h"
#include "fraise-tool-json.h"

#include <fraisewire/fraisewire.h>
#include <glib/gi18n-lib.h>
#include <math.h>

typedef struct {
  char *minimum; /* JSON numbers, NULL when the type has no range */
  char *maximum;
  char *default_json; /* the default as JSON */
  char *default_text; /* the default as a user writes it in a description */
  GTypeClass *values; /* a GEnumClass or GFlagsClass, or NULL */
} PropertyFacts;

static char *
double_text (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no infinity: a range without a bound has none. */
  if (!isfinite (value))
    return g_strdup ("null");
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, value));
}

static void
set_number_facts (PropertyFacts *facts, char *minimum, char *maximum, char *def)
{
  facts->minimum = minimum;
  facts->maximum = maximum;
  facts->default_json = def;
  facts->default_text = g_strdup (def);
}

#define INT_FACTS(TYPE, FMT)                                                                       \
  set_number_facts (facts, g_strdup_printf ("%" FMT, G_PARAM_SPEC_##TYPE (pspec)->minimum),        \
                    g_strdup_printf ("%" FMT, G_PARAM_SPEC_##TYPE (pspec)->maximum),               \
                    g_strdup_printf ("%" FMT, G_PARAM_SPEC_##TYPE (pspec)->default_value))

static gboolean
number_facts (PropertyFacts *facts, GParamSpec *pspec)
{
  if (G_IS_PARAM_SPEC_CHAR (pspec))
    INT_FACTS (CHAR, "d");
  else if (G_IS_PARAM_SPEC_UCHAR (pspec))
    INT_FACTS (UCHAR, "u");
  else if (G_IS_PARAM_SPEC_INT (pspec))
    INT_FACTS (INT, "d");
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    INT_FACTS (UINT, "u");
  else if (G_IS_PARAM_SPEC_LONG (pspec))
    INT_FACTS (LONG, "ld");
  else if (G_IS_PARAM_SPEC_ULONG (pspec))
    INT_FACTS (ULONG, "lu");
  else if (G_IS_PARAM_SPEC_INT64 (pspec))
    INT_FACTS (INT64, G_GINT64_FORMAT);
  else if (G_IS_PARAM_SPEC_UINT64 (pspec))
    INT_FACTS (UINT64, G_GUINT64_FORMAT);
  else if (G_IS_PARAM_SPEC_FLOAT (pspec))
    set_number_facts (facts, double_text (G_PARAM_SPEC_FLOAT (pspec)->minimum),
                      double_text (G_PARAM_SPEC_FLOAT (pspec)->maximum),
                      double_text (G_PARAM_SPEC_FLOAT (pspec)->default_value));
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    set_number_facts (facts, double_text (G_PARAM_SPEC_DOUBLE (pspec)->minimum),
                      double_text (G_PARAM_SPEC_DOUBLE (pspec)->maximum),
                      double_text (G_PARAM_SPEC_DOUBLE (pspec)->default_value));
  else
    return FALSE;
  return TRUE;
}

static void
enum_facts (PropertyFacts *facts, GParamSpec *pspec)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
  GEnumValue *value = g_enum_get_value (klass, G_PARAM_SPEC_ENUM (pspec)->default_value);
  GString *json = g_string_new (NULL);

  facts->values = g_type_class_ref (G_TYPE_FROM_CLASS (klass));
  fraise_tool_json_string (json, value != NULL ? value->value_nick : NULL);
  facts->default_json = g_string_free (json, FALSE);
  facts->default_text = g_strdup (value != NULL ? value->value_nick : "");
}

static void
flags_facts (PropertyFacts *facts, GParamSpec *pspec)
{
  GFlagsClass *klass = G_PARAM_SPEC_FLAGS (pspec)->flags_class;
  guint def = G_PARAM_SPEC_FLAGS (pspec)->default_value;
  GString *json = g_string_new ("[");
  GString *text = g_string_new (NULL);

  facts->values = g_type_class_ref (G_TYPE_FROM_CLASS (klass));
  for (guint i = 0; i < klass->n_values; i++)
    {
      GFlagsValue *value = &klass->values[i];

      if (value->value == 0 || (def & value->value) != value->value)
        continue;
      if (text->len > 0)
        {
          g_string_append_c (text, ',');
          g_string_append_c (json, ',');
        }
      g_string_append (text, value->value_nick);
      fraise_tool_json_string (json, value->value_nick);
    }
  g_string_append_c (json, ']');
  facts->default_json = g_string_free (json, FALSE);
  facts->default_text = g_string_free (text, FALSE);
}

static void
read_facts (PropertyFacts *facts, GParamSpec *pspec)
{
  *facts = (PropertyFacts){ 0 };

  if (number_facts (facts, pspec))
    return;
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    {
      gboolean def = G_PARAM_SPEC_BOOLEAN (pspec)->default_value;

      facts->default_json = g_strdup (def ? "true" : "false");
      facts->default_text = g_strdup (facts->default_json);
    }
  else if (G_IS_PARAM_SPEC_STRING (pspec))
    {
      const char *def = G_PARAM_SPEC_STRING (pspec)->default_value;
      GString *json = g_string_new (NULL);

      fraise_tool_json_string (json, def);
      facts->default_json = g_string_free (json, FALSE);
      facts->default_text = g_strdup (def != NULL ? facts->default_json : "null");
    }
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    enum_facts (facts, pspec);
  else if (G_IS_PARAM_SPEC_FLAGS (pspec))
    flags_facts (facts, pspec);
  else
    {
      facts->default_json = g_strdup ("null");
      facts->default_text = g_strdup ("null");
    }
}

static void
clear_facts (PropertyFacts *facts)
{
  g_free (facts->minimum);
  g_free (facts->maximum);
  g_free (facts->default_json);
  g_free (facts->default_text);
  g_clear_pointer (&facts->values, g_type_class_unref);
}

/* The flag names, in both forms (not translated: they are also JSON keys). */
static GPtrArray *
flag_names (GParamSpec *pspec)
{
  GPtrArray *names = g_ptr_array_new ();

  if (pspec->flags & G_PARAM_READABLE)
    g_ptr_array_add (names, "readable");
  if (pspec->flags & G_PARAM_WRITABLE)
    g_ptr_array_add (names, "writable");
  if (pspec->flags & G_PARAM_CONSTRUCT_ONLY)
    g_ptr_array_add (names, "construct-only");
  if (pspec->flags & G_PARAM_DEPRECATED)
    g_ptr_array_add (names, "deprecated");
  if (pspec->flags & FRAISE_PARAM_SENSITIVE)
    g_ptr_array_add (names, "sensitive");
  if (pspec->flags & FRAISE_PARAM_PUSH_DOWN)
    g_ptr_array_add (names, "push-down");
  return names;
}

/* Enum and flags values: (value, nick, name) each. */
typedef void (*ValueFunc) (
  GString *out, guint index, gint64 value, const char *nick, const char *name);

static void
foreach_value (GTypeClass *klass, GString *out, ValueFunc func)
{
  if (G_IS_ENUM_CLASS (klass))
    {
      GEnumClass *e = G_ENUM_CLASS (klass);

      for (guint i = 0; i < e->n_values; i++)
        func (out, i, e->values[i].value, e->values[i].value_nick, e->values[i].value_name);
    }
  else if (G_IS_FLAGS_CLASS (klass))
    {
      GFlagsClass *f = G_FLAGS_CLASS (klass);

      for (guint i = 0; i < f->n_values; i++)
        func (out, i, f->values[i].value, f->values[i].value_nick, f->values[i].value_name);
    }
}

/* ---- text --------------------------------------------------------------------- */

#define TEXT_INDENT "                        "

static void
value_text (GString *out, guint index, gint64 value, const char *nick, const char *name)
{
  g_string_append_printf (out, TEXT_INDENT "   (%" G_GINT64_FORMAT "): %-16s - %s\n", value, nick,
                          name);
}

void
fraise_inspect_property_text (GString *out, GParamSpec *pspec)
{
  PropertyFacts facts;
  g_autoptr (GPtrArray) flags = flag_names (pspec);
  const char *blurb = g_param_spec_get_blurb (pspec);

  read_facts (&facts, pspec);
  g_string_append_printf (out, "  %-20s: %s\n", g_param_spec_get_name (pspec),
                          blurb != NULL ? blurb : "");
  g_string_append (out, TEXT_INDENT);
  g_string_append (out, _("flags: "));
  for (guint i = 0; i < flags->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (flags, i));
  g_string_append_c (out, '\n');
  g_string_append (out, TEXT_INDENT);
  if (facts.minimum != NULL)
    /* TRANSLATORS: fraise-inspect: a number's type name, range and default */
    g_string_append_printf (out, _("%s. Range: %s – %s. Default: %s\n"),
                                    g_type_name (pspec->value_type), facts.minimum, facts.maximum,
                                    facts.default_text);
  else
    /* TRANSLATORS: fraise-inspect: a property's type name and default */
    g_string_append_printf (out, _("%s. Default: %s\n"), g_type_name (pspec->value_type),
                                    facts.default_text);
  if (facts.values != NULL)
    foreach_value (facts.values, out, value_text);
  clear_facts (&facts);
}

/* ---- JSON --------------------------------------------------------------------- */

static void
value_json (GString *out, guint index, gint64 value, const char *nick, const char *name)
{
  if (index > 0)
    g_string_append_c (out, ',');
  g_string_append_printf (out, "{\"value\":%" G_GINT64_FORMAT ",\"nick\":", value);
  fraise_tool_json_string (out, nick);
  g_string_append (out, ",\"name\":");
  fraise_tool_json_string (out, name);
  g_string_append_c (out, '}');
}

static void
json_member (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, ",\"%s\":", key);
  fraise_tool_json_string (out, value);
}

void
fraise_inspect_property_json (GString *out, GParamSpec *pspec)
{
  PropertyFacts facts;
  g_autoptr (GPtrArray) flags = flag_names (pspec);

  read_facts (&facts, pspec);
  g_string_append (out, "{\"name\":");
  fraise_tool_json_string (out, g_param_spec_get_name (pspec));
  json_member (out, "nick", g_param_spec_get_nick (pspec));
  json_member (out, "blurb", g_param_spec_get_blurb (pspec));
  json_member (out, "type", g_type_name (pspec->value_type));
  g_string_append (out, ",\"flags\":[");
  for (guint i = 0; i < flags->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      fraise_tool_json_string (out, g_ptr_array_index (flags, i));
    }
  g_string_append_printf (out, "],\"default\":%s", facts.default_json);
  if (facts.minimum != NULL)
    g_string_append_printf (out, ",\"minimum\":%s,\"maximum\":%s", facts.minimum, facts.maximum);
  if (facts.values != NULL)
    {
      g_string_append (out, ",\"values\":[");
      foreach_value (facts.values, out, value_json);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
  clear_facts (&facts);
}
