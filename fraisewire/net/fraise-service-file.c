/* fraise-service-file.c: the connection service file (pg_service.conf)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Behaviour follows libpq 15-17's parseServiceInfo() and parseServiceFile()
 * (fe-connect.c), written from their documented and observed behaviour; no
 * code is copied. A section fills only the options that the connection
 * string left unset, and within the section the first occurrence of a
 * keyword wins.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraise-conninfo-private.h"

/* libpq looks for the system-wide pg_service.conf in its compiled-in
 * sysconfdir (`pg_config --sysconfdir`) unless PGSYSCONFDIR is set; Debian and
 * Ubuntu build it as /etc/postgresql-common. */
#ifndef FRAISE_PG_SYSCONFDIR
#define FRAISE_PG_SYSCONFDIR "/etc/postgresql-common"
#endif

/* libpq reads pg_service.conf with a 1024-byte line buffer and rejects longer lines. */
#define SERVICE_LINE_MAX 1024

/* "key=value" inside the wanted section: fills the option if still unset. */
static gboolean
service_store_line (Options *opts, char *line, const char *path, int lineno, GError **error)
{
  char *eq = strchr (line, '=');
  int id;

  if (eq == NULL)
    return config_error (error, _("syntax error in service file \"%s\", line %d"), path, lineno);
  *eq = '\0';
  if (strcmp (line, "service") == 0)
    return config_error (error, _("nested service specifications not supported in service file "
                           "\"%s\", line %d"),
                                   path, lineno);
  id = fraise_conninfo_option_find (line);
  if (id < 0)
    return config_error (error, _("syntax error in service file \"%s\", line %d"), path, lineno);
  if (opts->values[id] == NULL)
    opts->values[id] = g_strdup (eq + 1);
  return TRUE;
}

/* Handles one line. Sets *@done at the section after the wanted one. */
static gboolean
service_handle_line (Options *opts,
                     char *line,
                     const char *path,
                     int lineno,
                     const char *service,
                     gboolean *found,
                     gboolean *done,
                     GError **error)
{
  gsize service_len = strlen (service);

  if (strlen (line) >= SERVICE_LINE_MAX - 1)
    return config_error (error, _("line %d too long in service file \"%s\""), lineno, path);
  g_strstrip (line);
  if (line[0] == '\0' || line[0] == '#')
    return TRUE;
  if (line[0] == '[')
    {
      *done = *found;
      *found = strncmp (line + 1, service, service_len) == 0 && line[service_len + 1] == ']';
      return TRUE;
    }
  if (!*found)
    return TRUE;
  return service_store_line (opts, line, path, lineno, error);
}

static gboolean
parse_service_file (
  Options *opts, const char *path, const char *service, gboolean *found, GError **error)
{
  FILE *file = fopen (path, "r");
  char *line = NULL;
  size_t capacity = 0;
  int lineno = 0;
  gboolean ok = TRUE, done = FALSE;

  *found = FALSE;
  if (file == NULL)
    return config_error (error, _("service file \"%s\" not found"), path);
  while (ok && !done && getline (&line, &capacity, file) != -1)
    ok = service_handle_line (opts, line, path, ++lineno, service, found, &done, error);
  if (done)
    *found = TRUE;
  if (line != NULL)
    fraise_secure_wipe (line, capacity);
  free (line);
  fclose (file);
  return ok;
}

/* PGSERVICEFILE if set (it must exist), else ~/.pg_service.conf if it exists. */
static char *
user_service_file (const Options *opts)
{
  const char *env = options_getenv (opts, "PGSERVICEFILE");
  char *path;

  if (env != NULL)
    return g_strdup (env);
  path = g_build_filename (options_home (opts), ".pg_service.conf", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_clear_pointer (&path, g_free);
  return path;
}

gboolean
fraise_service_file_apply (Options *opts, GError **error)
{
  const char *service = opts->values[OPT_SERVICE];
  const char *sysconfdir = options_getenv (opts, "PGSYSCONFDIR");
  g_autofree char *user_file = NULL;
  g_autofree char *system_file = NULL;
  gboolean found = FALSE;

  if (service == NULL)
    service = options_getenv (opts, "PGSERVICE");
  if (service == NULL)
    return TRUE;
  user_file = user_service_file (opts);
  if (user_file != NULL && !parse_service_file (opts, user_file, service, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  system_file = g_build_filename (sysconfdir != NULL ? sysconfdir : FRAISE_PG_SYSCONFDIR,
                                  "pg_service.conf", NULL);
  if (g_file_test (system_file, G_FILE_TEST_EXISTS) &&
      !parse_service_file (opts, system_file, service, &found, error))
    return FALSE;
  if (!found)
    return config_error (error, _("definition of service \"%s\" not found"), service);
  return TRUE;
}
