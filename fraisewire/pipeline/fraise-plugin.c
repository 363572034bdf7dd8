/* fraise-plugin.c: plugin modules, loaded into a registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin is a shared module `libNAME.so` that exports
 *
 *   const guint fraise_plugin_abi_version = FRAISE_PLUGIN_ABI_VERSION;
 *   gboolean fraise_plugin_load (GTypeModule *module, GError **error);
 *
 * The load function registers its element types on @module
 * (G_DEFINE_DYNAMIC_TYPE) and implements the GIO extension point
 * `fraise-element` with each of them, the extension's name being the
 * element's name. The extensions a module added are registered into the
 * registry with the module's path as their owner.
 *
 * GIO's own scanner (g_io_modules_load_all_in_directory) is not used: it
 * opens every module and only prints failures to stderr, and it closes a
 * module again after scanning it (use, then unuse), which unmaps the code
 * of the types the module registered. Here each module is opened with
 * GModule first, its ABI symbol is checked before any of its code runs,
 * every failure becomes a message naming the path, and a module whose load
 * function ran stays resident for the life of the process: its GModule is
 * made resident and its GTypeModule is used once and never unused.
 *
 * Failures are not g_warning()s: a broken file in a plugin directory must
 * not abort programs that run with G_DEBUG=fatal-warnings, nor write to
 * their standard error; they are kept in the registry for fraise-inspect
 * (fraise_registry_dup_plugin_errors()) and logged with g_debug().
 *
 * Modules are loaded once per process, whatever the number of registries:
 * a second registry loading the same file (found by its real path) gets
 * the same element types registered again, and the load function does not
 * run a second time.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-plugin-private.h"

#include <gio/gio.h>
#include <gmodule.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <unistd.h>
#endif
#ifdef __linux__
#include <sys/auxv.h>
#endif

#define LOAD_SYMBOL "fraise_plugin_load"
#define ABI_SYMBOL "fraise_plugin_abi_version"

typedef gboolean (*PluginLoadFunc) (GTypeModule *module, GError **error);

/* ---- the type module of one plugin ---------------------------------------- */

#define FRAISE_TYPE_PLUGIN_MODULE (fraise_plugin_module_get_type ())
G_DECLARE_FINAL_TYPE (FraisePluginModule, fraise_plugin_module, FRAISE, PLUGIN_MODULE, GTypeModule)

struct _FraisePluginModule {
  GTypeModule parent_instance;

  GModule *library; /* opened and checked, resident */
  PluginLoadFunc load;
  gboolean loaded;
  GError *error; /* what the load function reported */
};

G_DEFINE_FINAL_TYPE (FraisePluginModule, fraise_plugin_module, G_TYPE_TYPE_MODULE)

/* Called by the first g_type_module_use(). The module is never unused, so
 * this runs once: the load function's types stay registered even when it
 * reports a failure, and the code stays mapped. */
static gboolean
fraise_plugin_module_load (GTypeModule *type_module)
{
  FraisePluginModule *self = FRAISE_PLUGIN_MODULE (type_module);

  if (self->loaded)
    return TRUE;
  self->loaded = TRUE;
  if (!self->load (type_module, &self->error) && self->error == NULL)
    g_set_error (&self->error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                 _("its load function failed without an error"));
  return TRUE;
}

static void
fraise_plugin_module_unload (GTypeModule *type_module)
{
  /* Not reached: plugin modules stay resident. */
}

static void
fraise_plugin_module_class_init (FraisePluginModuleClass *klass)
{
  GTypeModuleClass *module_class = G_TYPE_MODULE_CLASS (klass);

  module_class->load = fraise_plugin_module_load;
  module_class->unload = fraise_plugin_module_unload;
}

static void
fraise_plugin_module_init (FraisePluginModule *self)
{
}

/* ---- the modules of the process -------------------------------------------- */

typedef struct {
  char *name;
  GType type;
} PluginElement;

/* A module whose load function ran, kept for the life of the process (a
 * GTypeModule that registered types is never finalized). */
typedef struct {
  char *path;                 /* as first found */
  FraisePluginModule *module; /* never unreferenced */
  char *error;                /* why it failed, NULL when it loaded */
  GArray *elements;           /* PluginElement, in extension point order */
} LoadedModule;

static GMutex modules_lock;
static GHashTable *loaded_modules; /* real path -> LoadedModule */

void
_fraise_plugin_ensure_extension_point (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      GIOExtensionPoint *point =
        g_io_extension_point_register (FRAISE_ELEMENT_EXTENSION_POINT_NAME);

      g_io_extension_point_set_required_type (point, FRAISE_TYPE_ELEMENT);
      g_once_init_leave (&registered, 1);
    }
}

static GHashTable *
extension_types (GIOExtensionPoint *point)
{
  GHashTable *types = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (GList *l = g_io_extension_point_get_extensions (point); l != NULL; l = l->next)
    g_hash_table_add (types, GSIZE_TO_POINTER (g_io_extension_get_type (l->data)));
  return types;
}

/* The extensions @module added to the point: those whose types were not
 * there before its load function ran. */
static GArray *
new_elements (GIOExtensionPoint *point, GHashTable *before)
{
  GArray *elements = g_array_new (FALSE, FALSE, sizeof (PluginElement));

  for (GList *l = g_io_extension_point_get_extensions (point); l != NULL; l = l->next)
    {
      PluginElement element;

      element.type = g_io_extension_get_type (l->data);
      if (g_hash_table_contains (before, GSIZE_TO_POINTER (element.type)))
        continue;
      element.name = g_strdup (g_io_extension_get_name (l->data));
      g_array_append_val (elements, element);
    }
  return elements;
}

/* Opens @path and checks it before any of its code runs. Returns the
 * library, or NULL with @message set. */
static GModule *
open_checked (const char *path, PluginLoadFunc *load, char **message)
{
  GModule *library;
  gpointer symbol = NULL;
  guint version;

  /* Not lazy: a module missing a symbol (one that does not link
   * libfraisewire-1) is refused here, not when the symbol is first called. */
  library = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (library == NULL)
    {
      *message = g_strdup_printf (_("cannot load plugin %s: %s"), path, g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (library, ABI_SYMBOL, &symbol) || symbol == NULL)
    {
      *message = g_strdup_printf (
        _("%s is not a fraisewire plugin: it does not export %s (expected plugin ABI %u)"), path,
           ABI_SYMBOL, (guint) FRAISE_PLUGIN_ABI_VERSION);
      g_module_close (library);
      return NULL;
    }
  version = *(const guint *) symbol;
  if (version != FRAISE_PLUGIN_ABI_VERSION)
    {
      *message =
        g_strdup_printf (_("plugin %s was built for plugin ABI %u, but this library loads ABI %u"),
                            path, version, (guint) FRAISE_PLUGIN_ABI_VERSION);
      g_module_close (library);
      return NULL;
    }
  if (!g_module_symbol (library, LOAD_SYMBOL, &symbol) || symbol == NULL)
    {
      *message =
        g_strdup_printf (_("plugin %s does not export the function %s"), path, LOAD_SYMBOL);
      g_module_close (library);
      return NULL;
    }
  *load = (PluginLoadFunc) symbol;
  return library;
}

/* Runs the load function of the checked @library. Called with the lock. */
static LoadedModule *
run_module (const char *path, GModule *library, PluginLoadFunc load)
{
  GIOExtensionPoint *point = g_io_extension_point_lookup (FRAISE_ELEMENT_EXTENSION_POINT_NAME);
  LoadedModule *loaded = g_new0 (LoadedModule, 1);
  g_autoptr (GHashTable) before = extension_types (point);
  g_autofree char *basename = g_path_get_basename (path);

  loaded->path = g_strdup (path);
  loaded->module = g_object_new (FRAISE_TYPE_PLUGIN_MODULE, NULL);
  loaded->module->library = library;
  loaded->module->load = load;
  g_type_module_set_name (G_TYPE_MODULE (loaded->module), basename);

  /* From here on the module's code may register types: it never goes away. */
  g_module_make_resident (library);
  g_type_module_use (G_TYPE_MODULE (loaded->module));

  loaded->elements = new_elements (point, before);
  if (loaded->module->error != NULL)
    loaded->error =
      g_strdup_printf (_("plugin %s failed to load: %s"), path, loaded->module->error->message);
  else if (loaded->elements->len == 0)
    loaded->error = g_strdup_printf (_("plugin %s implemented no element (its load function "
                                       "added no extension to the %s extension point)"),
                                        path, FRAISE_ELEMENT_EXTENSION_POINT_NAME);
  return loaded;
}

static void
report (FraiseRegistry *registry, const char *message)
{
  g_debug ("%s", message);
  _fraise_registry_add_plugin_error (registry, message);
}

/* Registers the elements of @loaded, found at @path, into @registry. */
static void
register_elements (FraiseRegistry *registry, LoadedModule *loaded, const char *path)
{
  _fraise_registry_set_owner (registry, path);
  for (guint i = 0; i < loaded->elements->len; i++)
    {
      PluginElement *element = &g_array_index (loaded->elements, PluginElement, i);
      FraiseElementInfo *existing = fraise_registry_lookup (registry, element->name);
      g_autoptr (GError) error = NULL;

      /* The same module loaded into this registry before. */
      if (existing != NULL && fraise_element_info_get_element_type (existing) == element->type)
        continue;
      if (!fraise_registry_register (registry, element->name, element->type, &error))
        report (registry, error->message);
      else
        g_debug ("%s: element %s (%s)", path, element->name, g_type_name (element->type));
    }
  _fraise_registry_set_owner (registry, NULL);
}

/* Loads the module at @path (absolute) into @registry. Returns whether it
 * loaded; a failure is reported naming the path. */
static gboolean
load_module (FraiseRegistry *registry, const char *path)
{
  G_GNUC_UNUSED g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&modules_lock);
  g_autofree char *real_path = NULL;
  char *resolved;
  LoadedModule *loaded;
  GModule *library;
  PluginLoadFunc load = NULL;
  char *message = NULL;

  /* One file reached by two paths (a symlink) is one module. */
  resolved = realpath (path, NULL);
  if (resolved == NULL)
    {
      int errsv = errno;
      g_autofree char *failure =
        g_strdup_printf (_("cannot load plugin %s: %s"), path, g_strerror (errsv));

      report (registry, failure);
      return FALSE;
    }
  real_path = g_strdup (resolved);
  free (resolved);
  if (loaded_modules == NULL)
    loaded_modules = g_hash_table_new (g_str_hash, g_str_equal);

  loaded = g_hash_table_lookup (loaded_modules, real_path);
  if (loaded == NULL)
    {
      library = open_checked (path, &load, &message);
      if (library == NULL)
        {
          /* Nothing of it ran: a later attempt may find it fixed. */
          report (registry, message);
          g_free (message);
          return FALSE;
        }
      loaded = run_module (path, library, load);
      g_hash_table_insert (loaded_modules, g_strdup (real_path), loaded);
    }

  if (loaded->error != NULL)
    {
      report (registry, loaded->error);
      return FALSE;
    }
  register_elements (registry, loaded, path);
  return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
is_module_name (const char *name)
{
  return g_str_has_prefix (name, "lib") && g_str_has_suffix (name, "." G_MODULE_SUFFIX) &&
         strlen (name) > strlen ("lib." G_MODULE_SUFFIX);
}

/* Loads every lib*.so of @directory, in name order. */
static guint
load_directory (FraiseRegistry *registry, const char *directory, gboolean missing_ok)
{
  g_autofree char *absolute = g_canonicalize_filename (directory, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *name;
  GDir *dir;
  guint n_loaded = 0;

  dir = g_dir_open (absolute, 0, &error);
  if (dir == NULL)
    {
      if (!(missing_ok && g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)))
        {
          g_autofree char *message =
            g_strdup_printf (_("plugin directory %s: %s"), absolute, error->message);

          report (registry, message);
        }
      return 0;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_module_name (name))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (absolute, g_ptr_array_index (names, i), NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (load_module (registry, path))
        n_loaded++;
    }
  return n_loaded;
}

/**
 * fraise_registry_load_plugins:
 * @registry: a registry
 * @directory: (type filename): a directory holding plugin modules
 *
 * Loads the plugin modules of @directory into @registry: every file
 * named `lib*.so`, in name order. The default registry
 * ([func@Fraise.Registry.get_default]) does this by itself for each
 * directory of `FRAISE_PLUGIN_PATH` and for `$libdir/fraisewire-1/plugins`;
 * call it for other directories, or to give a registry of your own
 * ([ctor@Fraise.Registry.new]) some plugins.
 *
 * A module must export `fraise_plugin_abi_version` equal to
 * %FRAISE_PLUGIN_ABI_VERSION, checked before any of its code runs, and a
 * `fraise_plugin_load` function that registers its element types and
 * implements the %FRAISE_ELEMENT_EXTENSION_POINT_NAME extension point with
 * them (see the pipelines guide). Each element is registered under its
 * extension's name, with the module's path as its owner
 * ([method@Fraise.ElementInfo.get_plugin]).
 *
 * Nothing stops the loading: a file that is not a library, a module built
 * for another ABI, a load function that fails or implements no element, a
 * missing directory, and an element name that is already taken (the
 * element registered first stays) are each reported with the path they
 * concern, in [method@Fraise.Registry.dup_plugin_errors].
 *
 * Modules stay loaded for the life of the process, and each is loaded
 * once: loading the same module into another registry registers the same
 * element types there, and loading it again into the same registry does
 * nothing.
 *
 * Returns: the number of modules of @directory that loaded (including a
 *   module whose element names were all taken: each clash is reported)
 *
 * Since: 1.0
 */
guint
fraise_registry_load_plugins (FraiseRegistry *registry, const char *directory)
{
  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), 0);
  g_return_val_if_fail (directory != NULL, 0);

  _fraise_plugin_ensure_extension_point ();
  return load_directory (registry, directory, FALSE);
}

gboolean
_fraise_plugin_check_setuid (void)
{
#ifdef __linux__
  /* Set by the kernel for setuid, setgid and file capabilities alike. */
  if (getauxval (AT_SECURE) != 0)
    return TRUE;
#endif
#ifdef G_OS_UNIX
  return getuid () != geteuid () || getgid () != getegid ();
#else
  return FALSE;
#endif
}

GStrv
_fraise_plugin_default_directories (const char *plugin_path,
                                    gboolean setuid,
                                    const char *system_dir)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  /* Loading code from a directory the unprivileged user chose would run
   * that user's code with the program's privileges. */
  if (plugin_path != NULL && !setuid)
    {
      g_auto (GStrv) entries = g_strsplit (plugin_path, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; entries[i] != NULL; i++)
        if (entries[i][0] != '\0')
          g_strv_builder_add (builder, entries[i]);
    }
  if (system_dir != NULL)
    g_strv_builder_add (builder, system_dir);
  return g_strv_builder_end (builder);
}

guint
_fraise_plugin_load_default (FraiseRegistry *registry,
                             const char *plugin_path,
                             gboolean setuid,
                             const char *system_dir)
{
  g_auto (GStrv) directories = _fraise_plugin_default_directories (plugin_path, setuid, NULL);
  guint n_loaded = 0;

  if (setuid && plugin_path != NULL)
    g_debug ("FRAISE_PLUGIN_PATH ignored: the process is setuid or setgid");
  _fraise_plugin_ensure_extension_point ();
  for (guint i = 0; directories[i] != NULL; i++)
    n_loaded += load_directory (registry, directories[i], FALSE);
  if (system_dir != NULL)
    n_loaded += load_directory (registry, system_dir, TRUE);
  return n_loaded;
}
