/* fraise-pgpass.c: the password file (~/.pgpass or passfile)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Behaviour follows libpq 15-17's passwordFromFile() (fe-connect.c), written
 * from its documented and observed behaviour; no code is copied. Lines are
 * hostname:port:database:username:password, "*" matches anything and "\"
 * escapes ":" and "\". A file with group or world access is ignored with a
 * warning, and every buffer that held a line is wiped before it is freed.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fraise-conninfo-private.h"

/* Matches one ":"-terminated field of a .pgpass line against @token ("*"
 * matches anything; "\" escapes the next character). Returns the start of
 * the next field, or NULL. */
static const char *
pgpass_match_field (const char *field, const char *token)
{
  const char *p = field;

  if (p[0] == '*' && p[1] == ':')
    return p + 2;
  while (*p != '\0')
    {
      gboolean escaped = *p == '\\';

      if (escaped)
        p++;
      if (*p == ':' && *token == '\0' && !escaped)
        return p + 1;
      if (*token == '\0' || *p != *token)
        return NULL;
      p++;
      token++;
    }
  return NULL;
}

/* The password field: up to the next unescaped ":", de-escaped. */
static char *
pgpass_extract_password (const char *field)
{
  char *password = g_malloc (strlen (field) + 1);
  char *out = password;

  for (const char *p = field; *p != '\0' && *p != ':'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      *out++ = *p;
    }
  *out = '\0';
  return password;
}

/* One line (newline included); NULL unless it matches all four fields. */
static char *
pgpass_match_line (char *line, const char *const fields[4])
{
  gsize len = strlen (line);
  const char *p = line;

  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';
  if (len == 0 || line[0] == '#')
    return NULL;
  for (int i = 0; i < 4 && p != NULL; i++)
    p = pgpass_match_field (p, fields[i]);
  return p != NULL ? pgpass_extract_password (p) : NULL;
}

/* Opens the password file if it is a regular file with no group or world
 * access (libpq's rule); warns and returns NULL otherwise. */
static FILE *
pgpass_open (const char *path)
{
  struct stat st;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  FILE *file;

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_warning (_("password file \"%s\" is not a plain file"), path);
      close (fd);
      return NULL;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_warning (_("password file \"%s\" has group or world access; "
                   "permissions should be u=rw (0600) or less"),
                    path);
      close (fd);
      return NULL;
    }
  file = fdopen (fd, "r");
  if (file == NULL)
    close (fd);
  return file;
}

static char *
pgpass_lookup (const char *path, const char *const fields[4])
{
  FILE *file = pgpass_open (path);
  char *line = NULL;
  size_t capacity = 0;
  char *password = NULL;

  if (file == NULL)
    return NULL;
  while (password == NULL && getline (&line, &capacity, file) != -1)
    password = pgpass_match_line (line, fields);
  if (line != NULL)
    fraise_secure_wipe (line, capacity);
  free (line);
  fclose (file);
  return password;
}

char *
fraise_conninfo_get_password (const FraiseConninfo *info, const FraiseConninfoHost *host)
{
  g_autofree char *port = NULL;
  const char *hostname;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (info->password != NULL)
    return g_strdup (info->password);
  if (info->passfile == NULL || nonempty (info->dbname) == NULL || nonempty (info->user) == NULL)
    return NULL;
  /* As libpq: "localhost" matches the default socket directory. */
  hostname = nonempty (host->host) ? host->host : host->hostaddr;
  if (hostname == NULL ||
      (hostname[0] == '/' && g_strcmp0 (hostname, info->default_socket_dir) == 0))
    hostname = "localhost";
  port = g_strdup_printf ("%u", host->port);
  return pgpass_lookup (info->passfile,
                        (const char *const[4]){ hostname, port, info->dbname, info->user });
}
