/* fraise-registry.h: element names, their types and metadata, and plugins
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib-object.h>
#include "fraise-version.h"
#include "fraise-element.h"

G_BEGIN_DECLS

/**
 * FRAISE_ELEMENT_EXTENSION_POINT_NAME:
 *
 * The GIO extension point that plugin modules implement: each extension
 * is an element type, and the extension's name is the element's name.
 *
 * Since: 1.0
 */
#define FRAISE_ELEMENT_EXTENSION_POINT_NAME "fraise-element"

/**
 * FRAISE_PLUGIN_ABI_VERSION:
 *
 * The plugin ABI of this library. A module must export
 * `const guint fraise_plugin_abi_version = FRAISE_PLUGIN_ABI_VERSION;`;
 * a module without it or with another value is refused before its load
 * function runs.
 *
 * Since: 1.0
 */
#define FRAISE_PLUGIN_ABI_VERSION 1

#define FRAISE_TYPE_ELEMENT_INFO (fraise_element_info_get_type ())

/**
 * FraiseElementInfo:
 *
 * What the registry knows of an element: its name, type and metadata.
 *
 * Since: 1.0
 */
typedef struct _FraiseElementInfo FraiseElementInfo;

FRAISE_AVAILABLE_IN_1_0
GType fraise_element_info_get_type (void) G_GNUC_CONST;
FRAISE_AVAILABLE_IN_1_0
FraiseElementInfo *fraise_element_info_ref (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_info_unref (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_info_get_name (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
GType fraise_element_info_get_element_type (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_info_get_long_name (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_info_get_classification (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_info_get_description (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_info_get_plugin (FraiseElementInfo *info);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_element_info_get_can_push_down (FraiseElementInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseElementInfo, fraise_element_info_unref)

#define FRAISE_TYPE_REGISTRY (fraise_registry_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseRegistry, fraise_registry, FRAISE, REGISTRY, GObject)

FRAISE_AVAILABLE_IN_1_0
FraiseRegistry *fraise_registry_get_default (void);
FRAISE_AVAILABLE_IN_1_0
FraiseRegistry *fraise_registry_new (void);

FRAISE_AVAILABLE_IN_1_0
gboolean
fraise_registry_register (FraiseRegistry *registry, const char *name, GType type, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_registry_register_full (FraiseRegistry *registry,
                                        const char *name,
                                        GType type,
                                        const char *long_name,
                                        const char *classification,
                                        const char *description,
                                        GError **error);

FRAISE_AVAILABLE_IN_1_0
FraiseElementInfo *fraise_registry_lookup (FraiseRegistry *registry, const char *name);
FRAISE_AVAILABLE_IN_1_0
FraiseElementInfo *fraise_registry_lookup_type (FraiseRegistry *registry, GType type);
FRAISE_AVAILABLE_IN_1_0
GPtrArray *fraise_registry_list (FraiseRegistry *registry);
FRAISE_AVAILABLE_IN_1_0
FraiseElement *fraise_registry_make_element (FraiseRegistry *registry,
                                             const char *factory_name,
                                             const char *name,
                                             GError **error);

FRAISE_AVAILABLE_IN_1_0
guint fraise_registry_load_plugins (FraiseRegistry *registry, const char *directory);
FRAISE_AVAILABLE_IN_1_0
char **fraise_registry_dup_plugin_errors (FraiseRegistry *registry);

G_END_DECLS
