/* fraise-conninfo-private.h: what the connection-string parser shares with the
 * service file and password file readers (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <string.h>

#include "fraise-auth.h" /* fraise_secure_wipe(), fraise_secure_free_string() */
#include "fraise-conninfo.h"

G_BEGIN_DECLS

/* Every connection option, in libpq's PQconninfoOptions order. */
typedef enum {
  OPT_HOST,
  OPT_HOSTADDR,
  OPT_PORT,
  OPT_DBNAME,
  OPT_USER,
  OPT_PASSWORD,
  OPT_PASSFILE,
  OPT_CONNECT_TIMEOUT,
  OPT_APPLICATION_NAME,
  OPT_FALLBACK_APPLICATION_NAME,
  OPT_OPTIONS,
  OPT_SSLMODE,
  OPT_SSLROOTCERT,
  OPT_SSLCERT,
  OPT_SSLKEY,
  OPT_SSLPASSWORD,
  OPT_SSLCRL,
  OPT_SSLCRLDIR,
  OPT_SSLNEGOTIATION,
  OPT_SSL_MIN_PROTOCOL_VERSION,
  OPT_SSL_MAX_PROTOCOL_VERSION,
  OPT_CHANNEL_BINDING,
  OPT_REQUIRE_AUTH,
  OPT_TARGET_SESSION_ATTRS,
  OPT_LOAD_BALANCE_HOSTS,
  OPT_KEEPALIVES,
  OPT_KEEPALIVES_IDLE,
  OPT_KEEPALIVES_INTERVAL,
  OPT_KEEPALIVES_COUNT,
  OPT_TCP_USER_TIMEOUT,
  OPT_SERVICE,
  N_OPTIONS
} OptionId;

/* Raw option values while parsing: NULL = not set anywhere yet. */
typedef struct {
  char *values[N_OPTIONS];
  char **env;
} Options;

static inline gboolean config_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Sets a FRAISE_ERROR_CONFIG error; always returns FALSE. */
static inline gboolean
config_error (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (FRAISE_ERROR, FRAISE_ERROR_CONFIG, format, args));
  va_end (args);
  return FALSE;
}

/* @value, or NULL when it is NULL or empty. */
static inline const char *
nonempty (const char *value)
{
  return value != NULL && value[0] != '\0' ? value : NULL;
}

static inline const char *
options_getenv (const Options *opts, const char *name)
{
  return g_environ_getenv (opts->env, name);
}

/* libpq's pqGetHomeDirectory(): $HOME if set and not empty, else the
 * password database entry. */
static inline const char *
options_home (const Options *opts)
{
  const char *home = nonempty (options_getenv (opts, "HOME"));

  return home != NULL ? home : g_get_home_dir ();
}

/* The OptionId of @keyword, or -1 if there is no such option. */
int fraise_conninfo_option_find (const char *keyword);

/* Fills the options still unset from the service file section named by the
 * `service` option (or PGSERVICE): ~/.pg_service.conf or PGSERVICEFILE first,
 * then pg_service.conf in PGSYSCONFDIR or the system directory. Nothing to do
 * when no service is named; a named service found nowhere is an error. */
gboolean fraise_service_file_apply (Options *opts, GError **error);

G_END_DECLS
