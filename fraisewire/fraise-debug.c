/* fraise-debug.c: FRAISE_DEBUG flags and gettext set-up
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"

#ifdef G_OS_UNIX
#include <unistd.h>
#endif

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
      flags =
        g_parse_debug_string (g_getenv ("FRAISE_DEBUG"), debug_keys, G_N_ELEMENTS (debug_keys));
      g_once_init_leave (&initialized, 1);
    }
  return flags;
}

/* Binds the "fraisewire-1" message catalog, once per process.
 *
 * The catalog directory is LOCALEDIR (<prefix>/share/locale) unless the
 * environment variable FRAISE_LOCALEDIR names another directory holding
 * <lang>/LC_MESSAGES/fraisewire-1.mo; the test suite points it at <builddir>/po
 * to check the translations before they are installed. It is read once, at
 * the first call, and ignored in setuid/setgid processes. */
void
_fraise_ensure_i18n (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      const char *dir = g_getenv ("FRAISE_LOCALEDIR");

#ifdef G_OS_UNIX
      if (getuid () != geteuid () || getgid () != getegid ())
        dir = NULL;
#endif
      bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&initialized, 1);
    }
}
