/* fraise-test-module.c: plugin modules that misbehave, for test-plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built several times (tests/plugins/meson.build), one variant each:
 *
 *   MODULE_TWIN     a valid plugin: `upper` again (a name the sample plugin
 *                   takes first) and `twin-pass`, a pass-through
 *   MODULE_ABI2     built for plugin ABI 2: its load function must never run
 *   MODULE_NO_ABI   no fraise_plugin_abi_version: must never run either
 *   MODULE_EMPTY    loads, and implements no element
 *   MODULE_FAILING  its load function fails with a GError
 */

#include <fraisewire/fraisewire.h>
#include <gio/gio.h>
#include <gmodule.h>

#if defined(MODULE_TWIN)

#define FRAISE_TYPE_TEST_TWIN (fraise_test_twin_get_type ())
G_DECLARE_FINAL_TYPE (FraiseTestTwin, fraise_test_twin, FRAISE, TEST_TWIN, FraiseElement)

struct _FraiseTestTwin {
  FraiseElement parent_instance;
};

G_DEFINE_DYNAMIC_TYPE (FraiseTestTwin, fraise_test_twin, FRAISE_TYPE_ELEMENT)

static void
fraise_test_twin_class_init (FraiseTestTwinClass *klass)
{
}

static void
fraise_test_twin_class_finalize (FraiseTestTwinClass *klass)
{
}

static void
fraise_test_twin_init (FraiseTestTwin *self)
{
}

#define FRAISE_TYPE_TEST_TWIN_PASS (fraise_test_twin_pass_get_type ())
G_DECLARE_FINAL_TYPE (
  FraiseTestTwinPass, fraise_test_twin_pass, FRAISE, TEST_TWIN_PASS, FraiseElement)

struct _FraiseTestTwinPass {
  FraiseElement parent_instance;
};

G_DEFINE_DYNAMIC_TYPE (FraiseTestTwinPass, fraise_test_twin_pass, FRAISE_TYPE_ELEMENT)

static void
fraise_test_twin_pass_class_init (FraiseTestTwinPassClass *klass)
{
  fraise_element_class_set_metadata (FRAISE_ELEMENT_CLASS (klass), "Twin pass-through", "Transform",
                                     "Forwards every row");
}

static void
fraise_test_twin_pass_class_finalize (FraiseTestTwinPassClass *klass)
{
}

static void
fraise_test_twin_pass_init (FraiseTestTwinPass *self)
{
}

#endif

#if defined(MODULE_ABI2)
G_MODULE_EXPORT const guint fraise_plugin_abi_version = FRAISE_PLUGIN_ABI_VERSION + 1;
#elif !defined(MODULE_NO_ABI)
G_MODULE_EXPORT const guint fraise_plugin_abi_version = FRAISE_PLUGIN_ABI_VERSION;
#endif

G_MODULE_EXPORT gboolean fraise_plugin_load (GTypeModule *module, GError **error);

gboolean
fraise_plugin_load (GTypeModule *module, GError **error)
{
#if defined(MODULE_TWIN)
  fraise_test_twin_register_type (module);
  fraise_test_twin_pass_register_type (module);
  g_io_extension_point_implement (FRAISE_ELEMENT_EXTENSION_POINT_NAME, FRAISE_TYPE_TEST_TWIN,
                                  "upper", 0);
  g_io_extension_point_implement (FRAISE_ELEMENT_EXTENSION_POINT_NAME, FRAISE_TYPE_TEST_TWIN_PASS,
                                  "twin-pass", 0);
  return TRUE;
#elif defined(MODULE_ABI2) || defined(MODULE_NO_ABI)
  g_error ("the load function of a module the loader must refuse ran");
#elif defined(MODULE_EMPTY)
  return TRUE;
#elif defined(MODULE_FAILING)
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "this plugin needs a frobnicator, and there is none");
  return FALSE;
#else
#error "build with one of the MODULE_* variants"
#endif
}
