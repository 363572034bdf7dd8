/* fraise-debug.c: FRAISE_DEBUG flags and gettext set-up
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"

static const GDebugKey debug_keys[] = {
  { "protocol", FRAISE_DEBUG_PROTOCOL },
  { "auth", FRAISE_DEBUG_AUTH },
  { "stream", FRAISE_DEBUG_STREAM },
  { "connection", FRAISE_DEBUG_CONNECTION },
};

guint
_fraise_debug_flags (void)
{
  static gsize initialized = 0;
  static guint flags = 0;

  if (g_once_init_enter (&initialized))
    {
      flags = g_parse_debug_string (g_getenv ("FRAISE_DEBUG"), debug_keys,
                                    G_N_ELEMENTS (debug_keys));
      g_once_init_leave (&initialized, 1);
    }
  return flags;
}

void
_fraise_ensure_i18n (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&initialized, 1);
    }
}
