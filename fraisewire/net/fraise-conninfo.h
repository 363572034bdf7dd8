/* fraise-conninfo.h: libpq-compatible connection strings (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include "fraise-private.h"
#include "fraise-authenticator.h"

G_BEGIN_DECLS

typedef enum {
  FRAISE_SSL_DISABLE,
  FRAISE_SSL_ALLOW,
  FRAISE_SSL_PREFER,
  FRAISE_SSL_REQUIRE,
  FRAISE_SSL_VERIFY_CA,
  FRAISE_SSL_VERIFY_FULL,
} FraiseSslMode;

typedef enum {
  FRAISE_TARGET_ANY,
  FRAISE_TARGET_READ_WRITE,
  FRAISE_TARGET_READ_ONLY,
  FRAISE_TARGET_PRIMARY,
  FRAISE_TARGET_STANDBY,
  FRAISE_TARGET_PREFER_STANDBY,
} FraiseTargetSessionAttrs;

typedef struct {
  char *host;     /* host name, IP literal (no brackets) or absolute Unix socket directory; a
                   * slot given only by hostaddr has a copy of hostaddr here (libpq leaves the
                   * name empty and refuses sslmode=verify-full for it: "host name must be
                   * specified for a verified SSL connection") */
  char *hostaddr; /* numeric address to connect to instead of resolving @host, or NULL; when set
                   * it decides the address and is_unix is FALSE even if host starts with "/" */
  guint16 port;
  gboolean is_unix;
} FraiseConninfoHost;

/* String fields that are optional (password, sslpassword, application_name, options, the ssl*
 * paths) are NULL when unset or empty. */
typedef struct {
  GPtrArray *hosts; /* FraiseConninfoHost*, at least one */
  char *dbname;
  char *user;
  char *
    password; /* from the string or PGPASSWORD; NULL if none (then .pgpass is consulted per host) */
  char *passfile;         /* resolved path of the password file (may not exist) */
  char *application_name; /* application_name, else fallback_application_name, else NULL */
  char *options;
  guint connect_timeout_s; /* 0 = none; default 10; values 1 are raised to 2 as libpq does */
  FraiseSslMode sslmode;
  char *sslrootcert, *sslcert, *sslkey, *sslpassword, *sslcrl, *sslcrldir;
  gboolean sslnegotiation_direct;
  char *ssl_min_protocol_version; /* "TLSv1", "TLSv1.1", "TLSv1.2" or "TLSv1.3" (canonical case);
                                   * "TLSv1.2" by default; an explicit empty value means no
                                   * minimum and is reported as "TLSv1" */
  char *ssl_max_protocol_version; /* the same names, or NULL for no maximum */
  FraiseChannelBinding channel_binding;
  guint require_auth; /* FraiseAuthMask of allowed methods; FRAISE_AUTH_ALL if unset */
  FraiseTargetSessionAttrs target_session_attrs;
  gboolean load_balance_random;
  gboolean keepalives; /* default TRUE */
  /* Defaults 30, 10, 3 and 0; an explicit 0 (or a negative value, clamped to 0 as libpq does)
   * leaves the OS default. */
  guint keepalives_idle_s, keepalives_interval_s, keepalives_count;
  guint tcp_user_timeout_ms;
  char *default_socket_dir; /* the directory used for an empty host slot: the first existing of
                             * /run/postgresql, /var/run/postgresql, /tmp. In the password file a
                             * Unix-socket host equal to it matches "localhost", as in libpq. */
} FraiseConninfo;

/* Parses @conninfo (URI or key=value form; NULL or "" means all defaults),
 * then applies the environment (@envp as from g_get_environ(); NULL = the
 * process environment), a service file entry if `service` is set, and libpq's
 * built-in defaults. Every value is validated: an unknown keyword or a bad
 * value is FRAISE_ERROR_CONFIG naming the keyword. Passwords never appear in
 * error messages. */
FraiseConninfo *
fraise_conninfo_parse (const char *conninfo, const char *const *envp, GError **error);
void fraise_conninfo_free (FraiseConninfo *info);

/* "disable" ... "verify-full". */
const char *fraise_conninfo_sslmode_name (FraiseSslMode mode);

/* The order of a TLS version name ("TLSv1" 0 ... "TLSv1.3" 3), -1 for NULL
 * or an unknown name. */
int fraise_conninfo_tls_version_rank (const char *version);

/* The password to use for @host: the explicit one if any, else the matching
 * .pgpass line (file must not be group/world accessible: such a file is
 * ignored with a warning, as libpq does), else NULL. Free it with
 * fraise_secure_free_string(). */
char *fraise_conninfo_get_password (const FraiseConninfo *info, const FraiseConninfoHost *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseConninfo, fraise_conninfo_free)

G_END_DECLS
