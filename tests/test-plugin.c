/* test-plugin.c: plugin modules loaded into registries, with no server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sample plugin (examples/plugin, FRAISE_TEST_SAMPLE_PLUGIN_DIR) and
 * the misbehaving modules of tests/plugins (FRAISE_TEST_PLUGIN_DIR) are
 * loaded from the build tree. This program links the library's internals
 * statically and exports their symbols (export_dynamic), so the modules,
 * which link libfraisewire-1, bind to the same FraiseElement type as the
 * test: a second copy of the type would fail the test with a warning.
 *
 * Each case that loads modules runs in a subprocess of its own: a module
 * is loaded once per process, and the default registry is made once.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-plugin-private.h"
#include "fraise-test-probe.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SETUID_CHILD_SECURE 10
#define SETUID_CHILD_NORMAL 11

static const char *
sample_dir (void)
{
  const char *dir = g_getenv ("FRAISE_TEST_SAMPLE_PLUGIN_DIR");

  g_assert_nonnull (dir);
  return dir;
}

static const char *
modules_dir (void)
{
  const char *dir = g_getenv ("FRAISE_TEST_PLUGIN_DIR");

  g_assert_nonnull (dir);
  return dir;
}

static char *
sample_path (void)
{
  return g_build_filename (sample_dir (), "libfraise-upper.so", NULL);
}

static char *
module_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("libfraise-test-%s.so", name);

  return g_build_filename (modules_dir (), file, NULL);
}

/* Runs the current test in a subprocess and expects it to pass. */
static gboolean
in_subprocess (void)
{
  if (g_test_subprocess ())
    return TRUE;
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

static guint
count_errors_naming (FraiseRegistry *registry, const char *text)
{
  g_auto (GStrv) errors = fraise_registry_dup_plugin_errors (registry);
  guint n = 0;

  for (guint i = 0; errors[i] != NULL; i++)
    if (strstr (errors[i], text) != NULL)
      n++;
  return n;
}

static const char *
error_naming (FraiseRegistry *registry, const char *text)
{
  static char *found;
  g_auto (GStrv) errors = fraise_registry_dup_plugin_errors (registry);

  g_clear_pointer (&found, g_free);
  for (guint i = 0; errors[i] != NULL; i++)
    if (strstr (errors[i], text) != NULL)
      found = g_strdup (errors[i]);
  g_assert_nonnull (found);
  return found;
}

static FraiseRow *
row_at (GPtrArray *rows, guint i)
{
  return g_ptr_array_index (rows, i);
}

static GPtrArray *
rows_of (const char *const *texts)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);

  for (guint i = 0; texts[i] != NULL; i++)
    g_ptr_array_add (rows, fraise_row_new (texts[i], -1, i));
  return rows;
}

/* Runs `upper [fields=…] ! probe-sink` on @input; returns the sink's rows. */
static GPtrArray *
run_upper (FraiseRegistry *registry, const char *const *fields, GPtrArray *input)
{
  g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new ();
  g_autoptr (FraiseElement) upper = NULL;
  g_autoptr (FraiseTestProbe) sink = fraise_test_probe_new ("sink", TRUE, PROBE_PASS, 0);
  g_autoptr (GError) error = NULL;

  upper = fraise_registry_make_element (registry, "upper", NULL, &error);
  g_assert_no_error (error);
  if (fields != NULL)
    g_object_set (upper, "fields", fields, NULL);
  fraise_pipeline_add (pipeline, upper);
  fraise_pipeline_add (pipeline, FRAISE_ELEMENT (sink));
  g_assert_cmpstr (fraise_element_get_name (upper), ==, "upper0");

  g_assert_true (fraise_test_run_rows (pipeline, input, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_element_get_rows_in (upper), ==, input->len);
  return g_ptr_array_ref (sink->rows);
}

static void
test_sample (void)
{
  g_autoptr (FraiseRegistry) registry = NULL;
  g_autofree char *path = sample_path ();
  g_autoptr (GPtrArray) list = NULL;
  g_auto (GStrv) errors = NULL;
  FraiseElementInfo *info;
  GIOExtensionPoint *point;
  gboolean listed = FALSE;

  if (!in_subprocess ())
    return;

  registry = fraise_registry_new ();
  g_assert_null (fraise_registry_lookup (registry, "upper"));
  g_assert_cmpuint (fraise_registry_load_plugins (registry, sample_dir ()), ==, 1);
  errors = fraise_registry_dup_plugin_errors (registry);
  g_assert_cmpstrv (errors, ((const char *const[]){ NULL }));

  info = fraise_registry_lookup (registry, "upper");
  g_assert_nonnull (info);
  g_assert_cmpstr (fraise_element_info_get_plugin (info), ==, path);
  g_assert_cmpstr (fraise_element_info_get_long_name (info), ==, "Upper-case");
  g_assert_cmpstr (fraise_element_info_get_classification (info), ==, "Transform");
  g_assert_cmpstr (g_type_name (fraise_element_info_get_element_type (info)), ==, "FraiseUpper");
  g_assert_true (g_type_is_a (fraise_element_info_get_element_type (info), FRAISE_TYPE_ELEMENT));

  list = fraise_registry_list (registry);
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (fraise_element_info_get_name (g_ptr_array_index (list, i)), "upper"))
      {
        g_assert_cmpstr (fraise_element_info_get_plugin (g_ptr_array_index (list, i)), ==, path);
        listed = TRUE;
      }
  g_assert_true (listed);
  /* The built-in elements are still there, owned by the library. */
  g_assert_cmpstr (fraise_element_info_get_plugin (fraise_registry_lookup (registry, "limit")), ==,
                   "built-in");

  /* The module implemented the GIO extension point. */
  point = g_io_extension_point_lookup (FRAISE_ELEMENT_EXTENSION_POINT_NAME);
  g_assert_nonnull (point);
  g_assert_cmpuint (g_io_extension_point_get_required_type (point), ==, FRAISE_TYPE_ELEMENT);
  g_assert_nonnull (g_io_extension_point_get_extension_by_name (point, "upper"));
}

static void
test_sample_transforms (void)
{
  static const char *const texts[] = {
    "{\"name\": \"amélie\", \"city\": \"brest\", \"n\": 1, \"tags\": [\"a\"], \"note\": \"x\"}",
    "{\"name\": null, \"city\": \"morlaix\"}",
    "[1, \"x\"]",
    "{\"other\": \"kept\"}",
    NULL,
  };
  static const char *const fields[] = { "name", "city", "n", "absent", NULL };
  g_autoptr (FraiseRegistry) registry = NULL;
  g_autoptr (GPtrArray) input = rows_of (texts);
  g_autoptr (GPtrArray) out = NULL;
  g_autoptr (GPtrArray) all = NULL;

  if (!in_subprocess ())
    return;

  registry = fraise_registry_new ();
  g_assert_cmpuint (fraise_registry_load_plugins (registry, sample_dir ()), ==, 1);

  out = run_upper (registry, fields, input);
  g_assert_cmpuint (out->len, ==, 4);
  g_assert_cmpstr (
    fraise_row_get_text (row_at (out, 0), NULL), ==,
    "{\"name\":\"AMÉLIE\",\"city\":\"BREST\",\"n\":1,\"tags\":[\"a\"],\"note\":\"x\"}");
  g_assert_cmpstr (fraise_row_get_text (row_at (out, 1), NULL), ==,
                   "{\"name\":null,\"city\":\"MORLAIX\"}");
  /* Not an object: the same row goes on. */
  g_assert_true (row_at (out, 2) == row_at (input, 2));
  g_assert_cmpstr (fraise_row_get_text (row_at (out, 3), NULL), ==, "{\"other\":\"kept\"}");
  /* The input rows' trees are not modified. */
  {
    g_autofree char *name = fraise_row_get_string (row_at (input, 0), "name", NULL);

    g_assert_cmpstr (name, ==, "amélie");
  }

  /* Without `fields`: every top-level string. */
  all = run_upper (registry, NULL, input);
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpstr (
    fraise_row_get_text (row_at (all, 0), NULL), ==,
    "{\"name\":\"AMÉLIE\",\"city\":\"BREST\",\"n\":1,\"tags\":[\"a\"],\"note\":\"X\"}");
  g_assert_cmpstr (fraise_row_get_text (row_at (all, 3), NULL), ==, "{\"other\":\"KEPT\"}");
}

static void
test_broken_modules (void)
{
  g_autoptr (FraiseRegistry) registry = NULL;
  g_autofree char *sample = sample_path ();
  g_autofree char *twin = module_path ("twin");
  g_autofree char *abi2 = module_path ("abi2");
  g_autofree char *noabi = module_path ("noabi");
  g_autofree char *empty = module_path ("empty");
  g_autofree char *failing = module_path ("failing");
  g_autofree char *garbage = module_path ("garbage");
  g_autofree char *expected = NULL;
  g_auto (GStrv) errors = NULL;
  FraiseElementInfo *info;

  if (!in_subprocess ())
    return;

  registry = fraise_registry_new ();
  g_assert_cmpuint (fraise_registry_load_plugins (registry, sample_dir ()), ==, 1);
  /* abi2, empty, failing, garbage, noabi and twin, in name order: only the
   * twin loads, and the modules after the refused ones are still tried. */
  g_assert_cmpuint (fraise_registry_load_plugins (registry, modules_dir ()), ==, 1);

  errors = fraise_registry_dup_plugin_errors (registry);
  g_assert_cmpuint (g_strv_length (errors), ==, 6);

  expected =
    g_strdup_printf ("plugin %s was built for plugin ABI 2, but this library loads ABI 1", abi2);
  g_assert_cmpstr (error_naming (registry, abi2), ==, expected);
  g_clear_pointer (&expected, g_free);

  expected = g_strdup_printf ("%s is not a fraisewire plugin: it does not export "
                              "fraise_plugin_abi_version (expected plugin ABI 1)",
                              noabi);
  g_assert_cmpstr (error_naming (registry, noabi), ==, expected);
  g_clear_pointer (&expected, g_free);

  g_assert_nonnull (strstr (error_naming (registry, empty), "implemented no element"));
  g_assert_nonnull (strstr (error_naming (registry, failing),
                            "failed to load: this plugin needs a frobnicator, and there is none"));
  g_assert_true (g_str_has_prefix (error_naming (registry, garbage), "cannot load plugin "));

  /* The duplicate names both modules; the first one stays. */
  g_assert_cmpuint (count_errors_naming (registry, twin), ==, 1);
  g_assert_nonnull (strstr (error_naming (registry, twin), "\"upper\""));
  g_assert_nonnull (strstr (error_naming (registry, twin), sample));
  info = fraise_registry_lookup (registry, "upper");
  g_assert_cmpstr (fraise_element_info_get_plugin (info), ==, sample);
  g_assert_cmpstr (g_type_name (fraise_element_info_get_element_type (info)), ==, "FraiseUpper");

  /* The twin's other element did register. */
  info = fraise_registry_lookup (registry, "twin-pass");
  g_assert_nonnull (info);
  g_assert_cmpstr (fraise_element_info_get_plugin (info), ==, twin);
  g_assert_cmpstr (fraise_element_info_get_long_name (info), ==, "Twin pass-through");

  /* The refused modules registered nothing: upper and twin-pass are new. */
  {
    g_autoptr (FraiseRegistry) builtin = fraise_registry_new ();
    g_autoptr (GPtrArray) plain = fraise_registry_list (builtin);
    g_autoptr (GPtrArray) loaded = fraise_registry_list (registry);

    g_assert_cmpuint (loaded->len, ==, plain->len + 2);
  }
}

static void
test_duplicate_order (void)
{
  g_autoptr (FraiseRegistry) registry = NULL;
  g_autofree char *sample = sample_path ();
  g_autofree char *twin = module_path ("twin");
  g_autofree char *expected = NULL;
  g_auto (GStrv) errors = NULL;

  if (!in_subprocess ())
    return;

  /* The other order: the twin comes first and keeps "upper". */
  registry = fraise_registry_new ();
  g_assert_cmpuint (fraise_registry_load_plugins (registry, modules_dir ()), ==, 1);
  g_assert_cmpuint (fraise_registry_load_plugins (registry, sample_dir ()), ==, 1);
  g_assert_cmpstr (fraise_element_info_get_plugin (fraise_registry_lookup (registry, "upper")), ==,
                   twin);
  expected = g_strdup_printf ("element \"upper\" is already registered by %s (type "
                              "FraiseTestTwin); %s cannot register it again (type FraiseUpper)",
                              twin, sample);
  g_assert_cmpstr (error_naming (registry, sample), ==, expected);
  errors = fraise_registry_dup_plugin_errors (registry);
  g_assert_cmpuint (g_strv_length (errors), ==, 6);
}

static void
test_loaded_once (void)
{
  g_autoptr (FraiseRegistry) first = NULL;
  g_autoptr (FraiseRegistry) second = NULL;
  g_auto (GStrv) errors = NULL;
  GType type;

  if (!in_subprocess ())
    return;

  first = fraise_registry_new ();
  g_assert_cmpuint (fraise_registry_load_plugins (first, sample_dir ()), ==, 1);
  type = fraise_element_info_get_element_type (fraise_registry_lookup (first, "upper"));

  /* Again into the same registry: nothing new, nothing reported. */
  g_assert_cmpuint (fraise_registry_load_plugins (first, sample_dir ()), ==, 1);
  errors = fraise_registry_dup_plugin_errors (first);
  g_assert_cmpuint (g_strv_length (errors), ==, 0);

  /* Into another registry: the same type, the load function not run again
   * (it would register the type a second time). */
  second = fraise_registry_new ();
  g_assert_cmpuint (fraise_registry_load_plugins (second, sample_dir ()), ==, 1);
  g_assert_cmpuint (fraise_element_info_get_element_type (fraise_registry_lookup (second, "upper")),
                    ==, type);
  /* The same file through a symbolic link is the same module: its load
   * function does not run again (a second GTypeModule registering the
   * same types would warn). */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("fraise-plugin-link-XXXXXX", &error);
    g_autofree char *link = NULL;
    g_autofree char *target = sample_path ();
    g_autoptr (FraiseRegistry) third = fraise_registry_new ();
    g_auto (GStrv) third_errors = NULL;

    g_assert_no_error (error);
    link = g_build_filename (dir, "libalias.so", NULL);
    g_assert_no_errno (symlink (target, link));
    g_assert_cmpuint (fraise_registry_load_plugins (third, dir), ==, 1);
    g_assert_cmpuint (
      fraise_element_info_get_element_type (fraise_registry_lookup (third, "upper")), ==, type);
    g_assert_cmpstr (fraise_element_info_get_plugin (fraise_registry_lookup (third, "upper")), ==,
                     link);
    third_errors = fraise_registry_dup_plugin_errors (third);
    g_assert_cmpuint (g_strv_length (third_errors), ==, 0);
    g_unlink (link);
    g_rmdir (dir);
  }

  /* The registry that made the element does not matter to the element. */
  g_clear_object (&first);
  g_assert_true (G_TYPE_IS_CLASSED (type));
}

static void
test_missing_directory (void)
{
  g_autoptr (FraiseRegistry) registry = fraise_registry_new ();
  g_autofree char *dir = g_build_filename (modules_dir (), "no-such-directory", NULL);
  g_auto (GStrv) errors = NULL;

  g_assert_cmpuint (fraise_registry_load_plugins (registry, dir), ==, 0);
  errors = fraise_registry_dup_plugin_errors (registry);
  g_assert_cmpuint (g_strv_length (errors), ==, 1);
  g_assert_true (g_str_has_prefix (errors[0], "plugin directory "));
  g_assert_nonnull (strstr (errors[0], dir));
}

static void
test_plugin_path (void)
{
  g_autofree char *missing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cwd = NULL;
  g_autofree char *sample = NULL;
  FraiseRegistry *registry;

  if (!in_subprocess ())
    return;

  /* Relative directories are taken from the working directory. */
  g_assert_no_errno (chdir (sample_dir ()));
  missing = g_build_filename (modules_dir (), "no-such-directory", NULL);
  path = g_strdup_printf ("%s::.", missing);
  g_setenv ("FRAISE_PLUGIN_PATH", path, TRUE);

  registry = fraise_registry_get_default ();
  cwd = g_get_current_dir ();
  sample = g_build_filename (cwd, "libfraise-upper.so", NULL);
  g_assert_nonnull (fraise_registry_lookup (registry, "upper"));
  g_assert_cmpstr (fraise_element_info_get_plugin (fraise_registry_lookup (registry, "upper")), ==,
                   sample);
  /* A directory of FRAISE_PLUGIN_PATH that does not exist is reported. */
  g_assert_cmpuint (count_errors_naming (registry, missing), ==, 1);
  g_assert_true (fraise_registry_get_default () == registry);
}

static void
test_default_directories (void)
{
  g_auto (GStrv) normal = _fraise_plugin_default_directories ("/a::/b:", FALSE, "/system");
  g_auto (GStrv) setuid = _fraise_plugin_default_directories ("/a::/b:", TRUE, "/system");
  g_auto (GStrv) unset = _fraise_plugin_default_directories (NULL, FALSE, "/system");

  g_assert_cmpstrv (normal, ((const char *const[]){ "/a", "/b", "/system", NULL }));
  g_assert_cmpstrv (setuid, ((const char *const[]){ "/system", NULL }));
  g_assert_cmpstrv (unset, ((const char *const[]){ "/system", NULL }));
}

static void
test_setuid_ignores_path (void)
{
  g_autoptr (FraiseRegistry) privileged = NULL;
  g_autoptr (FraiseRegistry) system = NULL;
  g_autoptr (FraiseRegistry) normal = NULL;
  g_autofree char *missing = NULL;
  g_auto (GStrv) errors = NULL;

  if (!in_subprocess ())
    return;

  /* Setuid: FRAISE_PLUGIN_PATH is not even looked at. */
  privileged = fraise_registry_new ();
  g_assert_cmpuint (_fraise_plugin_load_default (privileged, sample_dir (), TRUE, NULL), ==, 0);
  g_assert_null (fraise_registry_lookup (privileged, "upper"));
  errors = fraise_registry_dup_plugin_errors (privileged);
  g_assert_cmpuint (g_strv_length (errors), ==, 0);

  /* The system directory still is; its absence is not an error. */
  missing = g_build_filename (modules_dir (), "no-such-directory", NULL);
  system = fraise_registry_new ();
  g_assert_cmpuint (_fraise_plugin_load_default (system, missing, TRUE, sample_dir ()), ==, 1);
  g_assert_nonnull (fraise_registry_lookup (system, "upper"));
  g_assert_cmpuint (_fraise_plugin_load_default (system, NULL, FALSE, missing), ==, 0);
  g_clear_pointer (&errors, g_strfreev);
  errors = fraise_registry_dup_plugin_errors (system);
  g_assert_cmpuint (g_strv_length (errors), ==, 0);

  normal = fraise_registry_new ();
  g_assert_cmpuint (_fraise_plugin_load_default (normal, sample_dir (), FALSE, NULL), ==, 1);
  g_assert_nonnull (fraise_registry_lookup (normal, "upper"));
}

/* The child of test_setuid_process: the default registry of a process that
 * runs with another effective user than its real one. */
static void
test_setuid_child (void)
{
  FraiseRegistry *registry = fraise_registry_get_default ();

  if (_fraise_plugin_check_setuid ())
    {
      g_assert_null (fraise_registry_lookup (registry, "upper"));
      g_assert_cmpuint (count_errors_naming (registry, g_getenv ("FRAISE_PLUGIN_PATH")), ==, 0);
      /* _exit: in an AddressSanitizer build, the leak check that exit() runs
       * cannot work in a setuid process (not dumpable, and its environment,
       * hence ASAN_OPTIONS, unreadable) and would end it with status 1. */
      _exit (SETUID_CHILD_SECURE);
    }
  g_assert_nonnull (fraise_registry_lookup (registry, "upper"));
  exit (SETUID_CHILD_NORMAL);
}

static int
run_child (const char *program)
{
  const char *argv[] = { program, "-p", "/plugin/setuid/child", NULL };
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  envp = g_environ_setenv (envp, "FRAISE_TEST_SETUID_CHILD", "1", TRUE);
  envp = g_environ_setenv (envp, "FRAISE_PLUGIN_PATH", sample_dir (), TRUE);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* A real setuid process: a copy of this program owned by another user with
 * the setuid bit, run by root. */
static void
test_setuid_process (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  int status;

  if (getuid () != 0)
    {
      g_test_skip ("making a setuid program needs root");
      return;
    }
  g_assert_nonnull (self);
  dir = g_dir_make_tmp ("fraise-setuid-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (dir, 0755));
  copy = g_build_filename (dir, "test-plugin", NULL);
  g_assert_true (g_file_get_contents (self, &contents, &length, &error));
  g_assert_true (
    g_file_set_contents_full (copy, contents, length, G_FILE_SET_CONTENTS_NONE, 0755, &error));
  g_assert_no_error (error);

  /* Without the bit, the same program loads the plugin: the check below
   * is not passing because the plugin cannot be found. */
  g_assert_cmpint (run_child (copy), ==, SETUID_CHILD_NORMAL);

  g_assert_no_errno (chown (copy, 65534, 65534));
  g_assert_no_errno (g_chmod (copy, 04755));
  status = run_child (copy);
  g_unlink (copy);
  g_rmdir (dir);
  if (status == SETUID_CHILD_NORMAL)
    {
      g_test_skip ("the temporary directory is mounted nosuid");
      return;
    }
  g_assert_cmpint (status, ==, SETUID_CHILD_SECURE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plugin/sample", test_sample);
  g_test_add_func ("/plugin/sample-transforms", test_sample_transforms);
  g_test_add_func ("/plugin/broken-modules", test_broken_modules);
  g_test_add_func ("/plugin/duplicate-order", test_duplicate_order);
  g_test_add_func ("/plugin/loaded-once", test_loaded_once);
  g_test_add_func ("/plugin/missing-directory", test_missing_directory);
  g_test_add_func ("/plugin/plugin-path", test_plugin_path);
  g_test_add_func ("/plugin/default-directories", test_default_directories);
  g_test_add_func ("/plugin/setuid/ignores-path", test_setuid_ignores_path);
  g_test_add_func ("/plugin/setuid/process", test_setuid_process);
  if (g_getenv ("FRAISE_TEST_SETUID_CHILD") != NULL)
    g_test_add_func ("/plugin/setuid/child", test_setuid_child);

  return g_test_run ();
}
