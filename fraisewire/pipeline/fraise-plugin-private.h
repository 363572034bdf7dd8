/* fraise-plugin-private.h: loading plugin modules into a registry (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* Registers the `fraise-element` GIO extension point (once per process). */
void _fraise_plugin_ensure_extension_point (void);

/* Whether the process runs with privileges its user does not have (setuid,
 * setgid, file capabilities): GLib's g_check_setuid(), which is not public. */
gboolean _fraise_plugin_check_setuid (void);

/* The directories the default registry loads plugins from, in order: those
 * of @plugin_path (FRAISE_PLUGIN_PATH: colon-separated, empty entries
 * skipped; nullable) unless @setuid, then @system_dir. */
GStrv _fraise_plugin_default_directories (const char *plugin_path,
                                          gboolean setuid,
                                          const char *system_dir);

/* Loads the plugins of those directories into @registry: what
 * fraise_registry_get_default() does with FRAISE_PLUGIN_PATH,
 * g_check_setuid() and $libdir/fraisewire-1/plugins. A missing system
 * directory is not an error; a missing directory of @plugin_path is. */
guint _fraise_plugin_load_default (FraiseRegistry *registry,
                                   const char *plugin_path,
                                   gboolean setuid,
                                   const char *system_dir);

G_END_DECLS
