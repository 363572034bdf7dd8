/* fraise-conninfo.c: libpq-compatible connection strings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Behaviour follows libpq 15-17 (fe-connect.c): conninfo_parse(),
 * conninfo_uri_parse_options(), conninfo_add_defaults() and
 * pqConnectOptions2(). Written from their documented and observed behaviour;
 * no code is copied. The service file is read in fraise-service-file.c and
 * the password file in fraise-pgpass.c.
 *
 * Precedence (libpq's conninfo_add_defaults(), and the "Connection Service
 * File" chapter: "a service file setting overrides the corresponding
 * environment variable, and in turn can be overridden by a value given
 * directly in the connection string"):
 *
 *   1. the connection string (key=value or URI; a later duplicate wins);
 *   2. the section of the service file named by `service` (or PGSERVICE),
 *      filling options that are still unset (within the section, the first
 *      occurrence of a keyword wins);
 *   3. the environment (PGHOST, ...), for options that are still unset;
 *   4. built-in defaults.
 *
 * An option set to the empty string counts as set: "host=" stops PGHOST from
 * applying and then means the default host, exactly as in libpq.
 *
 * Secrets: the password and sslpassword are never put in an error message,
 * and every buffer that may hold one is wiped before it is freed. Where a
 * malformed string makes a piece of a password look like a keyword (an
 * unquoted password containing a space, say), the message names the keyword
 * that preceded it instead of the piece.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fraise-conninfo-private.h"

#define DEFAULT_PORT 5432
#define DEFAULT_CONNECT_TIMEOUT_S 10
#define DEFAULT_KEEPALIVES_IDLE_S 30
#define DEFAULT_KEEPALIVES_INTERVAL_S 10
#define DEFAULT_KEEPALIVES_COUNT 3
#define DEFAULT_SSL_MIN_PROTOCOL "TLSv1.2"

static const char *const default_socket_dirs[] = {
  "/run/postgresql",
  "/var/run/postgresql",
  "/tmp",
};

typedef struct {
  const char *keyword;
  const char *envvar; /* libpq's environment variable for it, or NULL */
  gboolean secret;    /* never echoed */
} OptionSpec;

/* Environment variables exactly as in libpq's PQconninfoOptions table. */
static const OptionSpec option_specs[N_OPTIONS] = {
  [OPT_HOST] = { "host", "PGHOST", FALSE },
  [OPT_HOSTADDR] = { "hostaddr", "PGHOSTADDR", FALSE },
  [OPT_PORT] = { "port", "PGPORT", FALSE },
  [OPT_DBNAME] = { "dbname", "PGDATABASE", FALSE },
  [OPT_USER] = { "user", "PGUSER", FALSE },
  [OPT_PASSWORD] = { "password", "PGPASSWORD", TRUE },
  [OPT_PASSFILE] = { "passfile", "PGPASSFILE", FALSE },
  [OPT_CONNECT_TIMEOUT] = { "connect_timeout", "PGCONNECT_TIMEOUT", FALSE },
  [OPT_APPLICATION_NAME] = { "application_name", "PGAPPNAME", FALSE },
  [OPT_FALLBACK_APPLICATION_NAME] = { "fallback_application_name", NULL, FALSE },
  [OPT_OPTIONS] = { "options", "PGOPTIONS", FALSE },
  [OPT_SSLMODE] = { "sslmode", "PGSSLMODE", FALSE },
  [OPT_SSLROOTCERT] = { "sslrootcert", "PGSSLROOTCERT", FALSE },
  [OPT_SSLCERT] = { "sslcert", "PGSSLCERT", FALSE },
  [OPT_SSLKEY] = { "sslkey", "PGSSLKEY", FALSE },
  [OPT_SSLPASSWORD] = { "sslpassword", NULL, TRUE },
  [OPT_SSLCRL] = { "sslcrl", "PGSSLCRL", FALSE },
  [OPT_SSLCRLDIR] = { "sslcrldir", "PGSSLCRLDIR", FALSE },
  [OPT_SSLNEGOTIATION] = { "sslnegotiation", "PGSSLNEGOTIATION", FALSE },
  [OPT_SSL_MIN_PROTOCOL_VERSION] = { "ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION", FALSE },
  [OPT_SSL_MAX_PROTOCOL_VERSION] = { "ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION", FALSE },
  [OPT_CHANNEL_BINDING] = { "channel_binding", "PGCHANNELBINDING", FALSE },
  [OPT_REQUIRE_AUTH] = { "require_auth", "PGREQUIREAUTH", FALSE },
  [OPT_TARGET_SESSION_ATTRS] = { "target_session_attrs", "PGTARGETSESSIONATTRS", FALSE },
  [OPT_LOAD_BALANCE_HOSTS] = { "load_balance_hosts", "PGLOADBALANCEHOSTS", FALSE },
  [OPT_KEEPALIVES] = { "keepalives", NULL, FALSE },
  [OPT_KEEPALIVES_IDLE] = { "keepalives_idle", NULL, FALSE },
  [OPT_KEEPALIVES_INTERVAL] = { "keepalives_interval", NULL, FALSE },
  [OPT_KEEPALIVES_COUNT] = { "keepalives_count", NULL, FALSE },
  [OPT_TCP_USER_TIMEOUT] = { "tcp_user_timeout", NULL, FALSE },
  [OPT_SERVICE] = { "service", "PGSERVICE", FALSE },
};

typedef struct {
  const char *name;
  int value;
} EnumValue;

static const EnumValue sslmode_values[] = {
  { "disable", FRAISE_SSL_DISABLE },
  { "allow", FRAISE_SSL_ALLOW },
  { "prefer", FRAISE_SSL_PREFER },
  { "require", FRAISE_SSL_REQUIRE },
  { "verify-ca", FRAISE_SSL_VERIFY_CA },
  { "verify-full", FRAISE_SSL_VERIFY_FULL },
  { NULL, 0 },
};

static const EnumValue channel_binding_values[] = {
  { "disable", FRAISE_CHANNEL_BINDING_DISABLE },
  { "prefer", FRAISE_CHANNEL_BINDING_PREFER },
  { "require", FRAISE_CHANNEL_BINDING_REQUIRE },
  { NULL, 0 },
};

static const EnumValue target_session_attrs_values[] = {
  { "any", FRAISE_TARGET_ANY },
  { "read-write", FRAISE_TARGET_READ_WRITE },
  { "read-only", FRAISE_TARGET_READ_ONLY },
  { "primary", FRAISE_TARGET_PRIMARY },
  { "standby", FRAISE_TARGET_STANDBY },
  { "prefer-standby", FRAISE_TARGET_PREFER_STANDBY },
  { NULL, 0 },
};

static const EnumValue load_balance_values[] = {
  { "disable", FALSE },
  { "random", TRUE },
  { NULL, 0 },
};

static const EnumValue sslnegotiation_values[] = {
  { "postgres", FALSE },
  { "direct", TRUE },
  { NULL, 0 },
};

static const EnumValue auth_method_values[] = {
  { "password", FRAISE_AUTH_PASSWORD },
  { "md5", FRAISE_AUTH_MD5 },
  { "scram-sha-256", FRAISE_AUTH_SCRAM },
  { "gss", FRAISE_AUTH_GSS },
  { "sspi", FRAISE_AUTH_SSPI },
  { "none", FRAISE_AUTH_NONE },
  { NULL, 0 },
};

static const char *const tls_versions[] = { "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" };

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static char *
dup_nonempty (const char *value)
{
  return g_strdup (nonempty (value));
}

int
fraise_conninfo_option_find (const char *keyword)
{
  for (int i = 0; i < N_OPTIONS; i++)
    if (strcmp (option_specs[i].keyword, keyword) == 0)
      return i;
  return -1;
}

static void
options_set (Options *opts, OptionId id, const char *value)
{
  fraise_secure_free_string (opts->values[id]);
  opts->values[id] = g_strdup (value);
}

static void
options_clear (Options *opts)
{
  for (int i = 0; i < N_OPTIONS; i++)
    g_clear_pointer (&opts->values[i], fraise_secure_free_string);
  if (opts->env != NULL)
    {
      for (char **e = opts->env; *e != NULL; e++)
        g_clear_pointer (e, fraise_secure_free_string); /* PGPASSWORD lives here */
      g_free (opts->env);
      opts->env = NULL;
    }
}

/* Stores @value for @keyword. @after_secret is the keyword of the previous
 * pair when that was a password: an unknown "keyword" right after one is
 * most likely a piece of an unquoted password, so it is not echoed. */
static gboolean
options_store (
  Options *opts, const char *keyword, const char *value, const char *after_secret, GError **error)
{
  int id = fraise_conninfo_option_find (keyword);

  if (id >= 0)
    {
      options_set (opts, id, value);
      return TRUE;
    }
  if (after_secret != NULL)
    return config_error (error,
                         _("invalid connection option after the value of \"%s\" "
                           "(quote a value that contains spaces, or percent-encode it in a URI)"),
                            after_secret);
  return config_error (error, _("invalid connection option \"%s\""), keyword);
}

static const char *
secret_keyword (const char *keyword)
{
  int id = fraise_conninfo_option_find (keyword);

  return id >= 0 && option_specs[id].secret ? option_specs[id].keyword : NULL;
}

/* ------------------------------------------------------------------ */
/* key=value form                                                       */
/* ------------------------------------------------------------------ */

/* Reads a keyword up to "=", allowing blanks before the "=". Returns FALSE
 * when no "=" follows. The buffer is modified in place. */
static gboolean
kv_read_name (char **cursor, char **name)
{
  char *p = *cursor;

  *name = p;
  while (*p != '\0' && *p != '=' && !g_ascii_isspace (*p))
    p++;
  if (g_ascii_isspace (*p))
    {
      *p++ = '\0';
      while (g_ascii_isspace (*p))
        p++;
    }
  if (*p != '=')
    return FALSE;
  *p++ = '\0';
  while (g_ascii_isspace (*p))
    p++;
  *cursor = p;
  return TRUE;
}

/* Reads a value: 'single quoted' (may contain blanks) or up to the next
 * blank; a backslash takes the next character literally in both. */
static gboolean
kv_read_value (char **cursor, char **value, GError **error)
{
  char *p = *cursor;
  char *out = p;

  *value = p;
  if (*p == '\'')
    {
      for (p++; *p != '\''; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '\\' || *p == '\0')
            return config_error (error, _("unterminated quoted string in connection info string"));
          *out++ = *p;
        }
      p++;
    }
  else
    {
      for (; *p != '\0' && !g_ascii_isspace (*p); p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '\\')
            continue;
          *out++ = *p;
        }
      if (*p != '\0')
        p++;
    }
  *out = '\0';
  *cursor = p;
  return TRUE;
}

static gboolean
kv_parse_pair (Options *opts, char **cursor, const char **after_secret, GError **error)
{
  char *name, *value;

  if (!kv_read_name (cursor, &name))
    {
      if (*after_secret != NULL)
        return config_error (error,
                             _("missing \"=\" in connection info string after the value of \"%s\" "
                               "(quote a value that contains spaces)"),
                                *after_secret);
      return config_error (error, _("missing \"=\" after \"%s\" in connection info string"), name);
    }
  if (!kv_read_value (cursor, &value, error) ||
      !options_store (opts, name, value, *after_secret, error))
    return FALSE;
  *after_secret = secret_keyword (name);
  return TRUE;
}

static gboolean
parse_keyword_string (Options *opts, const char *conninfo, GError **error)
{
  gsize len = strlen (conninfo);
  char *buf = g_strdup (conninfo);
  char *cursor = buf;
  const char *after_secret = NULL;
  gboolean ok = TRUE;

  while (ok)
    {
      while (g_ascii_isspace (*cursor))
        cursor++;
      if (*cursor == '\0')
        break;
      ok = kv_parse_pair (opts, &cursor, &after_secret, error);
    }
  fraise_secure_wipe (buf, len);
  g_free (buf);
  return ok;
}

/* ------------------------------------------------------------------ */
/* URI form                                                             */
/* ------------------------------------------------------------------ */

static gsize
uri_prefix_length (const char *conninfo)
{
  static const char *const prefixes[] = { "postgresql://", "postgres://" };

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (conninfo, prefixes[i]))
      return strlen (prefixes[i]);
  return 0;
}

static gboolean
uri_decode_error (
  const char *text, gsize len, const char *secret_name, gboolean is_nul, GError **error)
{
  g_autofree char *shown = NULL;

  if (secret_name != NULL)
    return config_error (
      error, is_nul ? _("forbidden value %%00 in the percent-encoded \"%s\" in the URI")
                    : _("invalid percent-encoded token in the \"%s\" in the URI"), secret_name);
  shown = g_strndup (text, len);
  return config_error (error, is_nul ? _("forbidden value %%00 in percent-encoded value: \"%s\"")
                                     : _("invalid percent-encoded token: \"%s\""), shown);
}

/* Percent-decodes @len bytes of @text ("+" stays "+", as in libpq). Errors
 * name the value unless @secret_name (the keyword of a secret) is given. */
static char *
uri_decode (const char *text, gsize len, const char *secret_name, GError **error)
{
  char *buf = g_malloc (len + 1);
  char *out = buf;

  for (gsize i = 0; i < len; i++)
    {
      int hi, lo;

      if (text[i] != '%')
        {
          *out++ = text[i];
          continue;
        }
      if (i + 2 >= len)
        hi = lo = -1;
      else
        {
          hi = g_ascii_xdigit_value (text[i + 1]);
          lo = g_ascii_xdigit_value (text[i + 2]);
        }
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
        {
          *out = '\0';
          fraise_secure_free_string (buf);
          uri_decode_error (text, len, secret_name, hi == 0 && lo == 0, error);
          return NULL;
        }
      *out++ = (char) ((hi << 4) | lo);
      i += 2;
    }
  *out = '\0';
  return buf;
}

/* Decodes [start, end) and stores it under @id unless it is empty. */
static gboolean
uri_store_component (Options *opts, OptionId id, const char *start, const char *end, GError **error)
{
  const char *secret = option_specs[id].secret ? option_specs[id].keyword : NULL;
  char *value;

  if (end == start)
    return TRUE;
  value = uri_decode (start, end - start, secret, error);
  if (value == NULL)
    return FALSE;
  fraise_secure_free_string (opts->values[id]);
  opts->values[id] = value;
  return TRUE;
}

/* [user[:password]@]: present only when an "@" comes before any "/". */
static gboolean
uri_parse_userinfo (Options *opts, const char **cursor, gboolean *found, GError **error)
{
  const char *start = *cursor;
  const char *at = start + strcspn (start, "@/");
  const char *colon;

  *found = *at == '@';
  if (!*found)
    return TRUE;
  colon = memchr (start, ':', at - start);
  if (!uri_store_component (opts, OPT_USER, start, colon != NULL ? colon : at, error))
    return FALSE;
  if (colon != NULL && !uri_store_component (opts, OPT_PASSWORD, colon + 1, at, error))
    return FALSE;
  *cursor = at + 1;
  /* A second "@" in the host part means an unencoded "@" in the password;
   * report it without echoing anything. */
  if (memchr (*cursor, '@', strcspn (*cursor, "/?")) != NULL)
    return config_error (error,
                         _("more than one \"@\" in the URI: percent-encode \"@\" as %%40 in "
                           "the user name and password"));
  return TRUE;
}

/* One netloc: a name, an IPv4 address or a [bracketed IPv6 address]. */
static gboolean
uri_parse_netloc (const char *uri, const char **cursor, GString *hosts, GError **error)
{
  const char *p = *cursor;

  if (*p != '[')
    {
      gsize len = strcspn (p, ":/?,");

      g_string_append_len (hosts, p, len);
      *cursor = p + len;
      return TRUE;
    }
  p++;
  if (strchr (p, ']') == NULL)
    return config_error (error, _("end of string reached when looking for matching \"]\" in "
                                  "IPv6 host address in URI"));
  if (*p == ']')
    return config_error (error, _("IPv6 host address may not be empty in URI"));
  g_string_append_len (hosts, p, strchr (p, ']') - p);
  p = strchr (p, ']') + 1;
  if (*p != '\0' && strchr (":/?,", *p) == NULL)
    return config_error (error, _("unexpected character \"%c\" at position %d in URI "
                           "(expected \":\" or \"/\")"),
                                   *p, (int) (p - uri + 1));
  *cursor = p;
  return TRUE;
}

/* netloc[:port][,netloc[:port]...], collected into "host" and "port" lists. */
static gboolean
uri_parse_hosts (Options *opts, const char *uri, const char **cursor, GError **error)
{
  g_autoptr(GString) hosts = g_string_new (NULL);
  g_autoptr(GString) ports = g_string_new (NULL);
  const char *p = *cursor;

  for (;;)
    {
      if (!uri_parse_netloc (uri, &p, hosts, error))
        return FALSE;
      if (*p == ':')
        {
          gsize len = strcspn (++p, "/?,");

          g_string_append_len (ports, p, len);
          p += len;
        }
      if (*p != ',')
        break;
      p++;
      g_string_append_c (hosts, ',');
      g_string_append_c (ports, ',');
    }
  *cursor = p;
  return uri_store_component (opts, OPT_HOST, hosts->str, hosts->str + hosts->len, error) &&
         uri_store_component (opts, OPT_PORT, ports->str, ports->str + ports->len, error);
}

static gboolean
uri_parse_dbname (Options *opts, const char **cursor, gboolean had_userinfo, GError **error)
{
  const char *start = *cursor;
  const char *end = start + strcspn (start, "?");

  /* "postgresql://user:pa/ss@host/db" puts "ss@host/db" here: a password
   * with an unencoded "/". Refuse it rather than leak it into messages. */
  if (!had_userinfo && memchr (start, '@', end - start) != NULL)
    return config_error (error,
                         _("unexpected \"@\" in the database name of the URI: percent-encode "
                           "\"/\" as %%2F and \"@\" as %%40 in user names, passwords and "
                           "database names"));
  *cursor = end;
  return uri_store_component (opts, OPT_DBNAME, start, end, error);
}

/* One "keyword=value" query parameter of @len bytes. */
static gboolean
uri_parse_param (
  Options *opts, const char *param, gsize len, const char **after_secret, GError **error)
{
  const char *eq = memchr (param, '=', len);
  g_autofree char *keyword = NULL;
  char *value;
  gboolean ok;

  if (eq == NULL && *after_secret != NULL)
    return config_error (error, _("missing key/value separator \"=\" in URI query parameter after "
                           "the value of \"%s\" (percent-encode \"&\" as %%26)"),
                                   *after_secret);
  if (eq == NULL)
    {
      g_autofree char *shown = g_strndup (param, len);

      return config_error (
        error, _("missing key/value separator \"=\" in URI query parameter: \"%s\""), shown);
    }
  keyword = uri_decode (param, eq - param, NULL, error);
  if (keyword == NULL)
    return FALSE;
  if (memchr (eq + 1, '=', len - (eq + 1 - param)) != NULL)
    return config_error (
      error, _("extra key/value separator \"=\" in URI query parameter: \"%s\""), keyword);
  value = uri_decode (eq + 1, len - (eq + 1 - param), secret_keyword (keyword), error);
  if (value == NULL)
    return FALSE;
  /* JDBC compatibility, as libpq: ssl=true means sslmode=require. */
  if (strcmp (keyword, "ssl") == 0 && strcmp (value, "true") == 0)
    ok = options_store (opts, "sslmode", "require", NULL, error);
  else
    ok = options_store (opts, keyword, value, *after_secret, error);
  fraise_secure_free_string (value);
  *after_secret = secret_keyword (keyword);
  return ok;
}

static gboolean
uri_parse_params (Options *opts, const char *params, GError **error)
{
  const char *after_secret = NULL;

  while (*params != '\0')
    {
      gsize len = strcspn (params, "&");

      if (!uri_parse_param (opts, params, len, &after_secret, error))
        return FALSE;
      params += len;
      if (*params == '&')
        params++;
    }
  return TRUE;
}

static gboolean
parse_uri (Options *opts, const char *uri, gsize prefix_len, GError **error)
{
  const char *p = uri + prefix_len;
  gboolean had_userinfo;

  if (!uri_parse_userinfo (opts, &p, &had_userinfo, error) ||
      !uri_parse_hosts (opts, uri, &p, error))
    return FALSE;
  if (*p == '/')
    {
      p++;
      if (!uri_parse_dbname (opts, &p, had_userinfo, error))
        return FALSE;
    }
  if (*p == '?')
    return uri_parse_params (opts, p + 1, error);
  return TRUE;
}

static gboolean
parse_string (Options *opts, const char *conninfo, GError **error)
{
  gsize prefix_len;

  if (conninfo == NULL)
    return TRUE;
  prefix_len = uri_prefix_length (conninfo);
  if (prefix_len > 0)
    return parse_uri (opts, conninfo, prefix_len, error);
  return parse_keyword_string (opts, conninfo, error);
}

/* ------------------------------------------------------------------ */
/* Environment                                                          */
/* ------------------------------------------------------------------ */

static void
apply_environment (Options *opts)
{
  for (int i = 0; i < N_OPTIONS; i++)
    {
      const char *value;

      if (opts->values[i] != NULL || option_specs[i].envvar == NULL)
        continue;
      value = options_getenv (opts, option_specs[i].envvar);
      if (value != NULL)
        opts->values[i] = g_strdup (value);
    }
}

/* ------------------------------------------------------------------ */
/* Validation into a FraiseConninfo                                     */
/* ------------------------------------------------------------------ */

/* libpq's pqParseIntParam(): an int, blanks allowed around it. */
static gboolean
parse_int (const char *text, const char *keyword, int *result, GError **error)
{
  char *end;
  long value;

  errno = 0;
  value = strtol (text, &end, 10);
  while (end != text && g_ascii_isspace (*end))
    end++;
  if (end == text || *end != '\0' || errno != 0 || value < G_MININT || value > G_MAXINT)
    return config_error (error, _("invalid integer value \"%s\" for connection option \"%s\""),
                                   text, keyword);
  *result = (int) value;
  return TRUE;
}

/* An integer option that libpq clamps at 0; @fallback when unset. */
static gboolean
parse_uint_option (const Options *opts, OptionId id, guint fallback, guint *result, GError **error)
{
  const char *text = opts->values[id];
  int value;

  if (text == NULL)
    {
      *result = fallback;
      return TRUE;
    }
  if (!parse_int (text, option_specs[id].keyword, &value, error))
    return FALSE;
  *result = (guint) MAX (value, 0);
  return TRUE;
}

static const char *
enum_name (const EnumValue *values, int value)
{
  for (; values->name != NULL; values++)
    if (values->value == value)
      return values->name;
  return "?";
}

/* An enumerated option: @fallback when unset, else one of @values. */
static gboolean
parse_enum_option (const Options *opts,
                   OptionId id,
                   const EnumValue *values,
                   int fallback,
                   const char *expected,
                   int *result,
                   GError **error)
{
  const char *text = opts->values[id];

  *result = fallback;
  if (text == NULL)
    return TRUE;
  for (const EnumValue *v = values; v->name != NULL; v++)
    if (strcmp (v->name, text) == 0)
      {
        *result = v->value;
        return TRUE;
      }
  return config_error (error, _("invalid %s value: \"%s\" (expected %s)"),
                                 option_specs[id].keyword, text, expected);
}

static gboolean
parse_port (const char *text, guint16 *port, GError **error)
{
  int value;

  if (nonempty (text) == NULL)
    {
      *port = DEFAULT_PORT;
      return TRUE;
    }
  if (!parse_int (text, "port", &value, error))
    return FALSE;
  if (value < 1 || value > 65535)
    return config_error (error, _("invalid port number \"%s\" for connection option \"port\" "
                           "(expected 1 to 65535)"),
                                   text);
  *port = (guint16) value;
  return TRUE;
}

static void
host_free (gpointer data)
{
  FraiseConninfoHost *host = data;

  g_free (host->host);
  g_free (host->hostaddr);
  g_free (host);
}

/* One host slot, as libpq's pqConnectOptions2(): hostaddr wins for the
 * address; an empty slot is the default socket directory. */
static FraiseConninfoHost *
host_new (
  const char *name, const char *addr, const char *port, const char *default_dir, GError **error)
{
  g_autofree FraiseConninfoHost *host = g_new0 (FraiseConninfoHost, 1);

  if (!parse_port (port, &host->port, error))
    return NULL;
  name = nonempty (name);
  addr = nonempty (addr);
  if (addr != NULL && !g_hostname_is_ip_address (addr))
    {
      config_error (error,
                    _("invalid hostaddr value: \"%s\" (expected a numeric IPv4 or IPv6 address)"),
                       addr);
      return NULL;
    }
  host->hostaddr = g_strdup (addr);
  if (name == NULL)
    name = addr != NULL ? addr : default_dir;
  host->host = g_strdup (name);
  host->is_unix = addr == NULL && name[0] == '/';
  return g_steal_pointer (&host);
}

/* A comma-separated list, or NULL when @value is unset or empty. Empty
 * elements are kept, as libpq keeps them. */
static char **
split_list (const char *value)
{
  return nonempty (value) != NULL ? g_strsplit (value, ",", -1) : NULL;
}

static gboolean
build_hosts (const Options *opts, FraiseConninfo *info, GError **error)
{
  g_auto(GStrv) names = split_list (opts->values[OPT_HOST]);
  g_auto(GStrv) addrs = split_list (opts->values[OPT_HOSTADDR]);
  g_auto(GStrv) ports = split_list (opts->values[OPT_PORT]);
  guint n_names = names != NULL ? g_strv_length (names) : 0;
  guint n_ports = ports != NULL ? g_strv_length (ports) : 0;
  guint n = addrs != NULL ? g_strv_length (addrs) : MAX (n_names, 1);

  if (addrs != NULL && names != NULL && n_names != n)
    return config_error (error, _("could not match %u host names to %u hostaddr values"), n_names,
                                   n);
  if (ports != NULL && n_ports != 1 && n_ports != n)
    return config_error (error, _("could not match %u port numbers to %u hosts"), n_ports, n);
  for (guint i = 0; i < n; i++)
    {
      FraiseConninfoHost *host = host_new (
        names != NULL ? names[i] : NULL, addrs != NULL ? addrs[i] : NULL,
        ports != NULL ? ports[n_ports == 1 ? 0 : i] : NULL, info->default_socket_dir, error);

      if (host == NULL)
        return FALSE;
      g_ptr_array_add (info->hosts, host);
    }
  return TRUE;
}

/* user, dbname, password, passfile, names and file paths. */
static void
build_identity (const Options *opts, FraiseConninfo *info)
{
  const char *const *v = (const char *const *) opts->values;

  info->user = g_strdup (nonempty (v[OPT_USER]) ? v[OPT_USER] : g_get_user_name ());
  info->dbname = g_strdup (nonempty (v[OPT_DBNAME]) ? v[OPT_DBNAME] : info->user);
  info->password = dup_nonempty (v[OPT_PASSWORD]);
  info->passfile = nonempty (v[OPT_PASSFILE])
                     ? g_strdup (v[OPT_PASSFILE])
                     : g_build_filename (options_home (opts), ".pgpass", NULL);
  info->application_name =
    dup_nonempty (nonempty (v[OPT_APPLICATION_NAME]) ? v[OPT_APPLICATION_NAME]
                                                     : v[OPT_FALLBACK_APPLICATION_NAME]);
  info->options = dup_nonempty (v[OPT_OPTIONS]);
  info->sslrootcert = dup_nonempty (v[OPT_SSLROOTCERT]);
  info->sslcert = dup_nonempty (v[OPT_SSLCERT]);
  info->sslkey = dup_nonempty (v[OPT_SSLKEY]);
  info->sslpassword = dup_nonempty (v[OPT_SSLPASSWORD]);
  info->sslcrl = dup_nonempty (v[OPT_SSLCRL]);
  info->sslcrldir = dup_nonempty (v[OPT_SSLCRLDIR]);
}

/* One require_auth element, already stripped of its "!". */
static gboolean
require_auth_bit (const char *method, guint *bit, GError **error)
{
  for (const EnumValue *v = auth_method_values; v->name != NULL; v++)
    if (strcmp (v->name, method) == 0)
      {
        *bit = (guint) v->value;
        return TRUE;
      }
  return config_error (error,
                       _("invalid require_auth value: \"%s\" (expected password, md5, "
                         "scram-sha-256, gss, sspi or none, each optionally negated with \"!\")"),
                          method);
}

/* libpq 16's require_auth: a list of allowed methods, or a list of refused
 * ones ("!md5,!password"); the two kinds can't mix, nothing may repeat. */
static gboolean
parse_require_auth (const char *text, guint *mask, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  gboolean negated = parts[0] != NULL && parts[0][0] == '!';

  *mask = negated ? FRAISE_AUTH_ALL : 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean this_negated = parts[i][0] == '!';
      guint bit = 0;

      if (this_negated && !negated)
        return config_error (error, _("negative require_auth method \"%s\" cannot be mixed with "
                               "non-negative methods"),
                                       parts[i]);
      if (!this_negated && negated)
        return config_error (
          error, _("require_auth method \"%s\" cannot be mixed with negative methods"), parts[i]);
      if (!require_auth_bit (parts[i] + (negated ? 1 : 0), &bit, error))
        return FALSE;
      /* Allowing a method the library cannot use would accept a setting
       * that can never take effect; refusing one is fine. */
      if (!negated && (bit == FRAISE_AUTH_GSS || bit == FRAISE_AUTH_SSPI))
        return config_error (error, _("require_auth method \"%s\" is not supported: this library "
                                      "has no GSSAPI or SSPI authentication"),
                                       parts[i]);
      if (negated ? (*mask & bit) == 0 : (*mask & bit) != 0)
        return config_error (error, _("require_auth method \"%s\" is specified more than once"),
                                       parts[i]);
      *mask = negated ? *mask & ~bit : *mask | bit;
    }
  return TRUE;
}

/* libpq accepts the names case-insensitively. @keyword is
 * ssl_min_protocol_version (unset: TLSv1.2; empty: no minimum, reported as
 * TLSv1, the lowest version libpq knows) or ssl_max_protocol_version (unset
 * or empty: no maximum, NULL). */
static gboolean
parse_tls_version (const char *keyword, const char *text, char **result, GError **error)
{
  gboolean min = g_str_equal (keyword, "ssl_min_protocol_version");

  if (text == NULL || text[0] == '\0')
    {
      *result = min ? g_strdup (text == NULL ? DEFAULT_SSL_MIN_PROTOCOL : tls_versions[0]) : NULL;
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (tls_versions); i++)
    if (g_ascii_strcasecmp (text, tls_versions[i]) == 0)
      {
        *result = g_strdup (tls_versions[i]);
        return TRUE;
      }
  return config_error (error,
                       _("invalid %s value: \"%s\" (expected TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3)"),
                          keyword, text);
}

const char *
fraise_conninfo_sslmode_name (FraiseSslMode mode)
{
  return enum_name (sslmode_values, mode);
}

int
fraise_conninfo_tls_version_rank (const char *version)
{
  for (gsize i = 0; version != NULL && i < G_N_ELEMENTS (tls_versions); i++)
    if (g_str_equal (version, tls_versions[i]))
      return (int) i;
  return -1;
}

static gboolean
build_auth (const Options *opts, FraiseConninfo *info, GError **error)
{
  int binding;

  info->require_auth = FRAISE_AUTH_ALL;
  if (nonempty (opts->values[OPT_REQUIRE_AUTH]) &&
      !parse_require_auth (opts->values[OPT_REQUIRE_AUTH], &info->require_auth, error))
    return FALSE;
  if (!parse_enum_option (opts, OPT_CHANNEL_BINDING, channel_binding_values,
                          FRAISE_CHANNEL_BINDING_PREFER,
                          _("disable, prefer or require"), &binding, error))
    return FALSE;
  info->channel_binding = binding;
  return TRUE;
}

/* sslmode (verify-full by default with sslrootcert=system), sslnegotiation
 * and their contradictions, checked in libpq 17's order. */
static gboolean
build_ssl (const Options *opts, FraiseConninfo *info, GError **error)
{
  gboolean system_roots = g_strcmp0 (opts->values[OPT_SSLROOTCERT], "system") == 0;
  int mode, direct;

  if (!parse_enum_option (opts, OPT_SSLMODE, sslmode_values,
                          system_roots ? FRAISE_SSL_VERIFY_FULL : FRAISE_SSL_PREFER,
                          _("disable, allow, prefer, require, verify-ca or verify-full"), &mode,
                             error) ||
                          !parse_enum_option (opts, OPT_SSLNEGOTIATION, sslnegotiation_values,
                                              FALSE, _("postgres or direct"), &direct, error))
    return FALSE;
  info->sslmode = mode;
  info->sslnegotiation_direct = direct;
  if (direct && mode < FRAISE_SSL_REQUIRE)
    return config_error (error, _("weak sslmode \"%s\" may not be used with sslnegotiation=direct "
                           "(use \"require\", \"verify-ca\", or \"verify-full\")"),
                                   enum_name (sslmode_values, mode));
  if (system_roots && mode != FRAISE_SSL_VERIFY_FULL)
    return config_error (error, _("weak sslmode \"%s\" may not be used with sslrootcert=system "
                           "(use \"verify-full\")"),
                                   enum_name (sslmode_values, mode));
  if (!parse_tls_version ("ssl_min_protocol_version", opts->values[OPT_SSL_MIN_PROTOCOL_VERSION],
                          &info->ssl_min_protocol_version, error) ||
      !parse_tls_version ("ssl_max_protocol_version", opts->values[OPT_SSL_MAX_PROTOCOL_VERSION],
                          &info->ssl_max_protocol_version, error))
    return FALSE;
  if (info->ssl_max_protocol_version != NULL &&
      fraise_conninfo_tls_version_rank (info->ssl_min_protocol_version) >
        fraise_conninfo_tls_version_rank (info->ssl_max_protocol_version))
    return config_error (error, _("invalid SSL protocol version range: ssl_min_protocol_version "
                                  "%s is above ssl_max_protocol_version %s"),
                                   info->ssl_min_protocol_version, info->ssl_max_protocol_version);
  return TRUE;
}

static gboolean
build_session (const Options *opts, FraiseConninfo *info, GError **error)
{
  int target, random;

  if (!parse_enum_option (
        opts, OPT_TARGET_SESSION_ATTRS, target_session_attrs_values, FRAISE_TARGET_ANY,
        _("any, read-write, read-only, primary, standby or prefer-standby"), &target, error) ||
        !parse_enum_option (opts, OPT_LOAD_BALANCE_HOSTS, load_balance_values, FALSE,
                            _("disable or random"), &random, error))
    return FALSE;
  info->target_session_attrs = target;
  info->load_balance_random = random;
  return TRUE;
}

/* connect_timeout: 0 or less = none; 1 is raised to 2 as libpq does. */
static gboolean
build_timeouts (const Options *opts, FraiseConninfo *info, GError **error)
{
  const char *keepalives = opts->values[OPT_KEEPALIVES];
  int value = 1;

  if (!parse_uint_option (opts, OPT_CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_S,
                          &info->connect_timeout_s, error))
    return FALSE;
  if (info->connect_timeout_s == 1)
    info->connect_timeout_s = 2;
  /* libpq reads keepalives with strtol(): an empty value is 0 (off). */
  if (keepalives != NULL && keepalives[0] != '\0' &&
      !parse_int (keepalives, "keepalives", &value, error))
    return FALSE;
  info->keepalives = keepalives == NULL || (keepalives[0] != '\0' && value != 0);
  return parse_uint_option (opts, OPT_KEEPALIVES_IDLE, DEFAULT_KEEPALIVES_IDLE_S,
                            &info->keepalives_idle_s, error) &&
         parse_uint_option (opts, OPT_KEEPALIVES_INTERVAL, DEFAULT_KEEPALIVES_INTERVAL_S,
                            &info->keepalives_interval_s, error) &&
         parse_uint_option (opts, OPT_KEEPALIVES_COUNT, DEFAULT_KEEPALIVES_COUNT,
                            &info->keepalives_count, error) &&
         parse_uint_option (opts, OPT_TCP_USER_TIMEOUT, 0, &info->tcp_user_timeout_ms, error);
}

static char *
default_socket_dir (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (default_socket_dirs); i++)
    if (g_file_test (default_socket_dirs[i], G_FILE_TEST_IS_DIR))
      return g_strdup (default_socket_dirs[i]);
  return g_strdup ("/tmp");
}

static FraiseConninfo *
conninfo_build (const Options *opts, GError **error)
{
  g_autoptr(FraiseConninfo) info = g_new0 (FraiseConninfo, 1);

  info->hosts = g_ptr_array_new_with_free_func (host_free);
  info->default_socket_dir = default_socket_dir ();
  build_identity (opts, info);
  if (!build_hosts (opts, info, error) || !build_auth (opts, info, error) ||
      !build_ssl (opts, info, error) || !build_session (opts, info, error) ||
      !build_timeouts (opts, info, error))
    return NULL;
  return g_steal_pointer (&info);
}

FraiseConninfo *
fraise_conninfo_parse (const char *conninfo, const char *const *envp, GError **error)
{
  Options opts = { { NULL }, NULL };
  FraiseConninfo *info = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opts.env = envp != NULL ? g_strdupv ((char **) envp) : g_get_environ ();
  if (parse_string (&opts, conninfo, error) && fraise_service_file_apply (&opts, error))
    {
      apply_environment (&opts);
      info = conninfo_build (&opts, error);
    }
  options_clear (&opts);
  return info;
}

void
fraise_conninfo_free (FraiseConninfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->hosts, g_ptr_array_unref);
  g_free (info->dbname);
  g_free (info->user);
  fraise_secure_free_string (info->password);
  g_free (info->passfile);
  g_free (info->application_name);
  g_free (info->options);
  g_free (info->sslrootcert);
  g_free (info->sslcert);
  g_free (info->sslkey);
  fraise_secure_free_string (info->sslpassword);
  g_free (info->sslcrl);
  g_free (info->sslcrldir);
  g_free (info->ssl_min_protocol_version);
  g_free (info->ssl_max_protocol_version);
  g_free (info->default_socket_dir);
  g_free (info);
}
