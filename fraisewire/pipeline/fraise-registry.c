/* fraise-registry.c: element names, their types and metadata
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The registry maps a name (`filter`, `jsonl-sink`) to an element GType and
 * what fraise-inspect shows of it: a long name, a classification, a
 * description, and who registered it (built-in, the application, or the
 * path of a plugin module). GIO's extension points keep the first of two
 * extensions with one name and say nothing; here a second registration of
 * a name is an error naming both owners.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-plugin-private.h"

#include <string.h>

struct _FraiseElementInfo {
  gatomicrefcount ref_count;
  char *name;
  GType type;
  char *long_name;
  char *classification;
  char *description;
  char *plugin;
  gboolean can_push_down;
};

G_DEFINE_BOXED_TYPE (FraiseElementInfo,
                     fraise_element_info,
                     fraise_element_info_ref,
                     fraise_element_info_unref)

/**
 * fraise_element_info_ref:
 * @info: element information
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @info
 *
 * Since: 1.0
 */
FraiseElementInfo *
fraise_element_info_ref (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  g_atomic_ref_count_inc (&info->ref_count);
  return info;
}

/**
 * fraise_element_info_unref:
 * @info: (transfer full): element information
 *
 * Drops a reference.
 *
 * Since: 1.0
 */
void
fraise_element_info_unref (FraiseElementInfo *info)
{
  g_return_if_fail (info != NULL);

  if (!g_atomic_ref_count_dec (&info->ref_count))
    return;
  g_free (info->name);
  g_free (info->long_name);
  g_free (info->classification);
  g_free (info->description);
  g_free (info->plugin);
  g_free (info);
}

/**
 * fraise_element_info_get_name:
 * @info: element information
 *
 * The name descriptions use (`filter`).
 *
 * Returns: the name
 *
 * Since: 1.0
 */
const char *
fraise_element_info_get_name (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->name;
}

/**
 * fraise_element_info_get_element_type:
 * @info: element information
 *
 * The element's type.
 *
 * Returns: the #GType, a subtype of #FraiseElement
 *
 * Since: 1.0
 */
GType
fraise_element_info_get_element_type (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, G_TYPE_INVALID);
  return info->type;
}

/**
 * fraise_element_info_get_long_name:
 * @info: element information
 *
 * A name for people.
 *
 * Returns: the long name
 *
 * Since: 1.0
 */
const char *
fraise_element_info_get_long_name (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->long_name;
}

/**
 * fraise_element_info_get_classification:
 * @info: element information
 *
 * `Source`, `Filter`, `Transform` or `Sink`.
 *
 * Returns: the classification
 *
 * Since: 1.0
 */
const char *
fraise_element_info_get_classification (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->classification;
}

/**
 * fraise_element_info_get_description:
 * @info: element information
 *
 * What the element does, in one sentence.
 *
 * Returns: the description
 *
 * Since: 1.0
 */
const char *
fraise_element_info_get_description (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->description;
}

/**
 * fraise_element_info_get_plugin:
 * @info: element information
 *
 * Who registered the element: `built-in`, `application`, or the path of
 * the plugin module.
 *
 * Returns: the owner
 *
 * Since: 1.0
 */
const char *
fraise_element_info_get_plugin (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->plugin;
}

/**
 * fraise_element_info_get_can_push_down:
 * @info: element information
 *
 * Whether some of the element's work can be merged into the query's SQL
 * (it has properties flagged %FRAISE_PARAM_PUSH_DOWN).
 *
 * Returns: %TRUE when the element can push down
 *
 * Since: 1.0
 */
gboolean
fraise_element_info_get_can_push_down (FraiseElementInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);
  return info->can_push_down;
}

/**
 * FraiseRegistry:
 *
 * Element names and the types behind them.
 *
 * The default registry ([func@Fraise.Registry.get_default]) holds the
 * built-in elements, the plugins found in `FRAISE_PLUGIN_PATH` and
 * `$libdir/fraisewire-1/plugins`, and what the application registered.
 * Descriptions are parsed against it. From Python:
 *
 * ```python
 * class Upper(Fraise.Element):
 *     def do_process(self, row):
 *         ...
 * Fraise.Registry.get_default().register("upper", Upper)
 * ```
 *
 * Since: 1.0
 */
struct _FraiseRegistry {
  GObject parent_instance;

  GHashTable *by_name; /* name -> FraiseElementInfo */
  GHashTable *by_type; /* GType -> FraiseElementInfo (the first name) */
  char *owner;         /* who registrations are made by now */
  GPtrArray *plugin_errors;
};

G_DEFINE_FINAL_TYPE (FraiseRegistry, fraise_registry, G_TYPE_OBJECT)

#define OWNER_BUILTIN "built-in"
#define OWNER_APPLICATION "application"

static void
fraise_registry_finalize (GObject *object)
{
  FraiseRegistry *self = FRAISE_REGISTRY (object);

  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_type);
  g_free (self->owner);
  g_ptr_array_unref (self->plugin_errors);

  G_OBJECT_CLASS (fraise_registry_parent_class)->finalize (object);
}

static void
fraise_registry_class_init (FraiseRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fraise_registry_finalize;
}

static void
fraise_registry_init (FraiseRegistry *self)
{
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) fraise_element_info_unref);
  self->by_type = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->plugin_errors = g_ptr_array_new_with_free_func (g_free);
  self->owner = g_strdup (OWNER_BUILTIN);
  _fraise_register_builtin_elements (self);
  _fraise_set_str (&self->owner, OWNER_APPLICATION);
}

/**
 * fraise_registry_new:
 *
 * A registry with the built-in elements only: for tests, and for
 * applications that parse descriptions against their own set of elements.
 *
 * Returns: (transfer full): a new registry
 *
 * Since: 1.0
 */
FraiseRegistry *
fraise_registry_new (void)
{
  return g_object_new (FRAISE_TYPE_REGISTRY, NULL);
}

/**
 * fraise_registry_get_default:
 *
 * The process's registry: built-in elements, plugins and what the
 * application registered. Plugins are loaded on the first call.
 *
 * Returns: (transfer none): the default registry
 *
 * Since: 1.0
 */
FraiseRegistry *
fraise_registry_get_default (void)
{
  static gsize registry;

  if (g_once_init_enter (&registry))
    {
      FraiseRegistry *created = fraise_registry_new ();

      _fraise_plugin_load_default (created, g_getenv ("FRAISE_PLUGIN_PATH"),
                                   _fraise_plugin_check_setuid (), FRAISE_PLUGIN_DIR);
      g_once_init_leave (&registry, (gsize) created);
    }
  return (FraiseRegistry *) registry;
}

void
_fraise_registry_set_owner (FraiseRegistry *registry, const char *owner)
{
  _fraise_set_str (&registry->owner, owner != NULL ? owner : OWNER_APPLICATION);
}

void
_fraise_registry_add_plugin_error (FraiseRegistry *registry, const char *message)
{
  g_ptr_array_add (registry->plugin_errors, g_strdup (message));
}

static gboolean
valid_name (const char *name)
{
  if (!g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return strlen (name) <= 64;
}

static gboolean
has_push_down_property (GType type)
{
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n);
  for (guint i = 0; i < n; i++)
    if (pspecs[i]->flags & FRAISE_PARAM_PUSH_DOWN)
      return TRUE;
  return FALSE;
}

/**
 * fraise_registry_register_full:
 * @registry: a registry
 * @name: the name descriptions will use: lower-case letters, digits, `-`
 *   and `_`, starting with a letter
 * @type: a #FraiseElement subtype that is not abstract
 * @long_name: (nullable): a name for people; %NULL takes the class metadata
 *   (`fraise_element_class_set_metadata()`) or the type name
 * @classification: (nullable): `Source`, `Filter`, `Transform` or `Sink`;
 *   %NULL takes the class metadata or `Transform`
 * @description: (nullable): one sentence; %NULL takes the class metadata
 * @error: return location for a #GError
 *
 * Registers @type under @name with its metadata. A name is registered
 * once: a second registration fails with %FRAISE_ERROR_CONFIG, naming who
 * registered it first and who tried again.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
fraise_registry_register_full (FraiseRegistry *registry,
                               const char *name,
                               GType type,
                               const char *long_name,
                               const char *classification,
                               const char *description,
                               GError **error)
{
  FraiseElementInfo *info, *existing;

  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!valid_name (name))
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("\"%s\" is not a valid element name: use lower-case letters, digits, "
                     "\"-\" and \"_\", starting with a letter"),
                      name);
      return FALSE;
    }
  if (!g_type_is_a (type, FRAISE_TYPE_ELEMENT) || G_TYPE_IS_ABSTRACT (type))
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("cannot register \"%s\": %s is not a concrete FraiseElement type"), name,
                      type != G_TYPE_INVALID ? g_type_name (type) : "(invalid)");
      return FALSE;
    }
  existing = g_hash_table_lookup (registry->by_name, name);
  if (existing != NULL)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("element \"%s\" is already registered by %s (type %s); %s cannot register "
                     "it again (type %s)"),
                      name, existing->plugin, g_type_name (existing->type), registry->owner,
                      g_type_name (type));
      return FALSE;
    }

  /* The class sets its metadata in class_init: make sure that has run. */
  g_type_class_unref (g_type_class_ref (type));
  info = g_new0 (FraiseElementInfo, 1);
  g_atomic_ref_count_init (&info->ref_count);
  info->name = g_strdup (name);
  info->type = type;
  /* The metadata is set in class_init, which may not have run yet. */
  g_type_class_unref (g_type_class_ref (type));
  if (long_name == NULL)
    long_name = _fraise_element_type_get_metadata (type, "long-name");
  if (classification == NULL)
    classification = _fraise_element_type_get_metadata (type, "klass");
  if (description == NULL)
    description = _fraise_element_type_get_metadata (type, "description");
  info->long_name = g_strdup (long_name != NULL ? long_name : g_type_name (type));
  info->classification = g_strdup (classification != NULL ? classification : "Transform");
  info->description = g_strdup (description != NULL ? description : "");
  info->plugin = g_strdup (registry->owner);
  info->can_push_down = has_push_down_property (type);

  g_hash_table_insert (registry->by_name, info->name, info);
  if (!g_hash_table_contains (registry->by_type, GSIZE_TO_POINTER (type)))
    g_hash_table_insert (registry->by_type, GSIZE_TO_POINTER (type), info);
  return TRUE;
}

/**
 * fraise_registry_register:
 * @registry: a registry
 * @name: the name descriptions will use
 * @type: a #FraiseElement subtype that is not abstract
 * @error: return location for a #GError
 *
 * Registers @type under @name, with the metadata its class set (see
 * [method@Fraise.Registry.register_full]).
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
fraise_registry_register (FraiseRegistry *registry, const char *name, GType type, GError **error)
{
  return fraise_registry_register_full (registry, name, type, NULL, NULL, NULL, error);
}

/**
 * fraise_registry_lookup:
 * @registry: a registry
 * @name: an element name
 *
 * Finds an element by name.
 *
 * Returns: (transfer none) (nullable): its information, or %NULL
 *
 * Since: 1.0
 */
FraiseElementInfo *
fraise_registry_lookup (FraiseRegistry *registry, const char *name)
{
  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (registry->by_name, name);
}

/**
 * fraise_registry_lookup_type:
 * @registry: a registry
 * @type: an element type
 *
 * Finds the first name @type was registered under.
 *
 * Returns: (transfer none) (nullable): its information, or %NULL
 *
 * Since: 1.0
 */
FraiseElementInfo *
fraise_registry_lookup_type (FraiseRegistry *registry, GType type)
{
  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), NULL);

  return g_hash_table_lookup (registry->by_type, GSIZE_TO_POINTER (type));
}

static gint
compare_infos (gconstpointer a, gconstpointer b)
{
  const FraiseElementInfo *x = *(FraiseElementInfo *const *) a;
  const FraiseElementInfo *y = *(FraiseElementInfo *const *) b;

  return strcmp (x->name, y->name);
}

/**
 * fraise_registry_list:
 * @registry: a registry
 *
 * Every registered element, sorted by name.
 *
 * Returns: (transfer container) (element-type Fraise.ElementInfo): the elements
 *
 * Since: 1.0
 */
GPtrArray *
fraise_registry_list (FraiseRegistry *registry)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), NULL);

  list = g_ptr_array_new_full (g_hash_table_size (registry->by_name),
                               (GDestroyNotify) fraise_element_info_unref);
  g_hash_table_iter_init (&iter, registry->by_name);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, fraise_element_info_ref (value));
  g_ptr_array_sort (list, compare_infos);
  return list;
}

/* The registered names, for "did you mean". */
static const char **
list_names (FraiseRegistry *registry)
{
  return (const char **) g_hash_table_get_keys_as_array (registry->by_name, NULL);
}

/**
 * fraise_registry_make_element:
 * @registry: a registry
 * @factory_name: a registered element name (`filter`)
 * @name: (nullable): the new element's name, or %NULL to let the pipeline
 *   name it
 * @error: return location for a #GError
 *
 * Creates an element.
 *
 * Returns: (transfer full): the element, or %NULL with %FRAISE_ERROR_CONFIG
 *   when no element has that name
 *
 * Since: 1.0
 */
FraiseElement *
fraise_registry_make_element (FraiseRegistry *registry,
                              const char *factory_name,
                              const char *name,
                              GError **error)
{
  FraiseElementInfo *info;
  FraiseElement *element;

  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_hash_table_lookup (registry->by_name, factory_name);
  if (info == NULL)
    {
      g_autofree const char **names = list_names (registry);
      const char *suggestion = _fraise_suggest_name (factory_name, names);

      if (suggestion != NULL)
        g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("no element named \"%s\" (did you mean \"%s\"?)"), factory_name,
                        suggestion);
      else
        g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("no element named \"%s\" (fraise-inspect lists them)"), factory_name);
      return NULL;
    }
  element = g_object_new (info->type, "name", name, NULL);
  _fraise_element_set_factory_name (element, info->name);
  return element;
}

/**
 * fraise_registry_dup_plugin_errors:
 * @registry: a registry
 *
 * Why plugin modules were refused or failed to load, one message per
 * module, each naming its path.
 *
 * Returns: (transfer full) (array zero-terminated=1): the messages
 *
 * Since: 1.0
 */
char **
fraise_registry_dup_plugin_errors (FraiseRegistry *registry)
{
  GStrvBuilder *builder;

  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < registry->plugin_errors->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (registry->plugin_errors, i));
  {
    char **strv = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return strv;
  }
}
