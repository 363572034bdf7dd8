/* fraise-inspect.c: list the pipeline elements, or show one of them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   fraise-inspect [--json]          every element, then plugin load errors
 *   fraise-inspect [--json] NAME     one element, as gst-inspect shows it
 *
 * gst-inspect has no machine-readable form, so tools re-parse its text;
 * --json prints the same facts as one JSON object with a "schema" version
 * (1), raised whenever a key changes meaning or goes away.
 *
 * Exit codes: 0 shown, 1 no element of that name (with the nearest name),
 * 2 usage error. An unknown name is 1, not 2, as gst-inspect --exists says
 * "missing" with 1: a script can ask whether an element exists.
 */

#include "fraise-inspect-property.h"
#include "fraise-tool-json.h"

#include <fraisewire/fraisewire.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#define JSON_SCHEMA_VERSION 1

enum {
  EXIT_SHOWN = 0,
  EXIT_NO_SUCH_ELEMENT = 1,
  EXIT_FAILED = 1, /* stdout could not be written */
  EXIT_USAGE = 2,
};

static int
compare_infos (gconstpointer a, gconstpointer b)
{
  FraiseElementInfo *x = *(FraiseElementInfo **) a;
  FraiseElementInfo *y = *(FraiseElementInfo **) b;

  return g_strcmp0 (fraise_element_info_get_name (x), fraise_element_info_get_name (y));
}

static GPtrArray *
sorted_elements (FraiseRegistry *registry)
{
  GPtrArray *infos = fraise_registry_list (registry);

  g_ptr_array_sort (infos, compare_infos);
  return infos;
}

static int
compare_pspecs (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (g_param_spec_get_name (*(GParamSpec **) a),
                    g_param_spec_get_name (*(GParamSpec **) b));
}

/* The element's properties, inherited ones too, sorted by name. */
static GParamSpec **
sorted_properties (GObjectClass *klass, guint *n)
{
  GParamSpec **pspecs = g_object_class_list_properties (klass, n);

  qsort (pspecs, *n, sizeof *pspecs, compare_pspecs);
  return pspecs;
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* ---- JSON --------------------------------------------------------------------- */

static void
json_member (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, "\"%s\":", key);
  fraise_tool_json_string (out, value);
  g_string_append_c (out, ',');
}

/* The metadata members shared by the list and the element page. */
static void
json_metadata (GString *out, FraiseElementInfo *info)
{
  json_member (out, "name", fraise_element_info_get_name (info));
  json_member (out, "long_name", fraise_element_info_get_long_name (info));
  json_member (out, "classification", fraise_element_info_get_classification (info));
  json_member (out, "description", fraise_element_info_get_description (info));
  json_member (out, "plugin", fraise_element_info_get_plugin (info));
  json_member (out, "type", g_type_name (fraise_element_info_get_element_type (info)));
  g_string_append_printf (out, "\"can_push_down\":%s",
                          fraise_element_info_get_can_push_down (info) ? "true" : "false");
}

static void
json_list (GString *out, FraiseRegistry *registry)
{
  g_autoptr (GPtrArray) infos = sorted_elements (registry);
  g_auto (GStrv) errors = fraise_registry_dup_plugin_errors (registry);

  g_string_append_printf (out, "{\"schema\":%d,\"elements\":[", JSON_SCHEMA_VERSION);
  for (guint i = 0; i < infos->len; i++)
    {
      g_string_append (out, i > 0 ? ",{" : "{");
      json_metadata (out, g_ptr_array_index (infos, i));
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\"plugin_errors\":[");
  for (guint i = 0; errors != NULL && errors[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      fraise_tool_json_string (out, errors[i]);
    }
  g_string_append (out, "]}\n");
}

static void
json_element (GString *out, FraiseElementInfo *info)
{
  GType type = fraise_element_info_get_element_type (info);
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  g_string_append_printf (out, "{\"schema\":%d,", JSON_SCHEMA_VERSION);
  json_metadata (out, info);
  g_string_append (out, ",\"hierarchy\":[");
  for (GType t = type; t != 0; t = g_type_parent (t))
    {
      if (t != type)
        g_string_append_c (out, ',');
      fraise_tool_json_string (out, g_type_name (t));
    }
  g_string_append (out, "],\"properties\":[");
  pspecs = sorted_properties (G_OBJECT_CLASS (klass), &n);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      fraise_inspect_property_json (out, pspecs[i]);
    }
  g_string_append (out, "]}\n");
}

/* ---- text --------------------------------------------------------------------- */

static void
text_list (GString *out, FraiseRegistry *registry)
{
  g_autoptr (GPtrArray) infos = sorted_elements (registry);
  g_auto (GStrv) errors = fraise_registry_dup_plugin_errors (registry);

  for (guint i = 0; i < infos->len; i++)
    {
      FraiseElementInfo *info = g_ptr_array_index (infos, i);

      g_string_append_printf (out, "%-16s %-18s %s [%s]\n", fraise_element_info_get_name (info),
                              or_empty (fraise_element_info_get_classification (info)),
                              or_empty (fraise_element_info_get_description (info)),
                              or_empty (fraise_element_info_get_plugin (info)));
    }
  g_string_append_printf (
    out, g_dngettext (GETTEXT_PACKAGE, "\n%u element\n", "\n%u elements\n", infos->len),
    infos->len);
  if (errors != NULL && errors[0] != NULL)
    {
      g_string_append (out, _("\nPlugins that failed to load:\n"));
      for (guint i = 0; errors[i] != NULL; i++)
        g_string_append_printf (out, "  %s\n", errors[i]);
    }
}

static void
text_detail (GString *out, const char *label, const char *value)
{
  g_string_append_printf (out, "  %-20s %s\n", label, or_empty (value));
}

static void
text_hierarchy (GString *out, GType type)
{
  g_autoptr (GArray) chain = g_array_new (FALSE, FALSE, sizeof (GType));

  for (GType t = type; t != 0; t = g_type_parent (t))
    g_array_prepend_val (chain, t);
  g_string_append (out, _("GObject hierarchy:\n"));
  for (guint i = 0; i < chain->len; i++)
    {
      g_string_append (out, "  ");
      for (guint d = 1; d < i; d++)
        g_string_append (out, "      ");
      g_string_append_printf (out, "%s%s\n", i > 0 ? " +----" : "",
                              g_type_name (g_array_index (chain, GType, i)));
    }
}

static void
text_element (GString *out, FraiseElementInfo *info)
{
  GType type = fraise_element_info_get_element_type (info);
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  g_string_append (out, _("Element details:\n"));
  text_detail (out, _("Name"), fraise_element_info_get_name (info));
  text_detail (out, _("Long name"), fraise_element_info_get_long_name (info));
  text_detail (out, _("Classification"), fraise_element_info_get_classification (info));
  text_detail (out, _("Description"), fraise_element_info_get_description (info));
  text_detail (out, _("Push-down"),
                       fraise_element_info_get_can_push_down (info) ? _("yes") : _("no"));
  g_string_append (out, _("\nPlugin details:\n"));
  text_detail (out, _("Plugin"), fraise_element_info_get_plugin (info));
  g_string_append_c (out, '\n');
  text_hierarchy (out, type);
  g_string_append (out, _("\nElement properties:\n"));
  pspecs = sorted_properties (G_OBJECT_CLASS (klass), &n);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, '\n');
      fraise_inspect_property_text (out, pspecs[i]);
    }
}

/* ---- main --------------------------------------------------------------------- */

static void
bind_catalog (void)
{
  const char *dir = g_getenv ("FRAISE_LOCALEDIR");

  /* As the library does: FRAISE_LOCALEDIR points at an uninstalled catalog,
   * except in a setuid or setgid process. */
  if (getuid () != geteuid () || getgid () != getegid ())
    dir = NULL;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* An unknown name: the registry's own message, with the nearest name. */
static int
no_such_element (FraiseRegistry *registry, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseElement) element = fraise_registry_make_element (registry, name, NULL, &error);

  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return EXIT_NO_SUCH_ELEMENT;
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE, version = FALSE;
  g_auto (GStrv) names = NULL;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (schema 1) instead of text"), NULL },
      { "version", 'V', 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, NULL, N_("[ELEMENT]") },
          G_OPTION_ENTRY_NULL,
      };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  FraiseElementInfo *info = NULL;
  FraiseRegistry *registry;
  GString *out;

  bind_catalog ();
  g_set_prgname ("fraise-inspect");
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Lists the pipeline elements, or shows one element's "
                                           "metadata and properties."));
  g_option_context_set_description (context, _("Exit status: 0 shown, 1 no element of that "
                                               "name, 2 usage error. See fraise-inspect(1)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_USAGE;
    }
  if (version)
    {
      g_print ("fraise-inspect %s\n", FRAISE_VERSION_S);
      return EXIT_SHOWN;
    }
  if (names != NULL && g_strv_length (names) > 1)
    {
      g_printerr (_("%s: one element name at most (see --help)\n"), g_get_prgname ());
      return EXIT_USAGE;
    }

  registry = fraise_registry_get_default ();
  if (names != NULL && names[0] != NULL)
    {
      info = fraise_registry_lookup (registry, names[0]);
      if (info == NULL)
        return no_such_element (registry, names[0]);
    }

  out = g_string_new (NULL);
  if (info != NULL)
    (json ? json_element : text_element) (out, info);
  else
    (json ? json_list : text_list) (out, registry);
  fwrite (out->str, 1, out->len, stdout);
  g_string_free (out, TRUE);
  return fflush (stdout) == 0 ? EXIT_SHOWN : EXIT_FAILED;
}
