/* fraise-describe.c: the canonical description of a pipeline
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The inverse of the parser: each element's factory name, `name=` only when
 * the element is not called what the parser would call it anyway, then
 * every writable property whose value is not its default, in the order the
 * class lists them, each written as fraise-parse-value.c reads it back and
 * quoted only when the lexer needs it. The dead-letter branch follows
 * `errors !`. Parsing the text gives an equal pipeline, and describing that
 * one gives the same text.
 */

#include "fraise-parse-private.h"
#include "fraise-pipeline-private.h"

#include <string.h>

/* Whether the description shows @pspec at all: what the parser can set. */
static gboolean
is_described (GParamSpec *pspec)
{
  return (pspec->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE &&
         !(pspec->flags & G_PARAM_CONSTRUCT_ONLY) && strcmp (pspec->name, "name") != 0 &&
         _fraise_value_type_is_textual (pspec);
}

static void
append_property (GString *out, FraiseElement *element, GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;
  g_autofree char *quoted = NULL;
  const GValue *default_value = g_param_spec_get_default_value (pspec);

  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (element), pspec->name, &value);
  if (_fraise_value_equal (pspec, &value, default_value))
    return;
  text = _fraise_value_to_text (pspec, &value);
  quoted = _fraise_describe_quote (text);
  g_string_append_printf (out, " %s=%s", pspec->name, quoted);
}

/* What the parser would name the next unnamed @factory element, given
 * the names of the elements before it (fraise_pipeline_add's rule: the
 * first free number). */
static char *
default_name (GHashTable *names_before, const char *factory)
{
  for (guint n = 0;; n++)
    {
      char *name = g_strdup_printf ("%s%u", factory, n);

      if (!g_hash_table_contains (names_before, name))
        return name;
      g_free (name);
    }
}

static void
append_element (GString *out, FraiseElement *element, GHashTable *names_before)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_GET_CLASS (element), &n_pspecs);
  const char *factory = fraise_element_get_factory_name (element);
  const char *name = fraise_element_get_name (element);
  g_autofree char *unnamed = NULL;

  if (factory == NULL)
    factory = G_OBJECT_TYPE_NAME (element);
  unnamed = default_name (names_before, factory);
  g_string_append (out, factory);
  if (name != NULL && strcmp (name, unnamed) != 0)
    {
      g_autofree char *quoted = _fraise_describe_quote (name);

      g_string_append_printf (out, " name=%s", quoted);
    }
  for (guint i = 0; i < n_pspecs; i++)
    if (is_described (pspecs[i]))
      append_property (out, element, pspecs[i]);
  if (name != NULL)
    g_hash_table_add (names_before, g_strdup (name));
}

static void
append_chain (GString *out, GPtrArray *elements, GHashTable *names_before)
{
  for (guint i = 0; i < elements->len; i++)
    {
      if (i > 0)
        g_string_append (out, " ! ");
      append_element (out, g_ptr_array_index (elements, i), names_before);
    }
}

char *
_fraise_describe_pipeline (FraisePipeline *pipeline)
{
  g_autoptr(GPtrArray) elements = fraise_pipeline_get_elements (pipeline);
  g_autoptr(GPtrArray) dead_letter = fraise_pipeline_get_dead_letter_elements (pipeline);
  g_autoptr(GHashTable) names_before =
               g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *out = g_string_new (NULL);

  append_chain (out, elements, names_before);
  if (dead_letter->len > 0)
    {
      g_string_append (out, out->len > 0 ? " errors ! " : "errors ! ");
      append_chain (out, dead_letter, names_before);
    }
  return g_string_free (out, FALSE);
}

/**
 * fraise_pipeline_to_description:
 * @pipeline: a pipeline
 *
 * The canonical description of @pipeline: each element's registry name,
 * `name=` when the element is not named as the parser would name it
 * (`filter0`), then every writable property whose value is not its
 * default, in the order the element's class lists them, quoted only when
 * needed (enums by nick, flags joined with `+`). The dead-letter chain
 * follows `errors !`.
 *
 * [ctor@Fraise.Pipeline.new_from_description] parses the text back to an
 * equal pipeline, and describing that one gives the same text. Sensitive
 * properties are written too: the text is as trusted as the pipeline.
 *
 * Returns: (transfer full): the description
 *
 * Since: 1.0
 */
char *
fraise_pipeline_to_description (FraisePipeline *pipeline)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);

  return _fraise_describe_pipeline (pipeline);
}
