/* fraise-sql.c: building the SQL text of a query
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure string building, no I/O. Values are inlined as literals (the simple
 * Query protocol has no parameters), so everything that reaches the SQL text
 * is either validated here, quoted here, or trusted SQL that the caller
 * passed explicitly as SQL (projection, raw predicates, raw ORDER BY).
 *
 * Values and keys are validated UTF-8 without NUL before being quoted, and
 * numbers are always written in parentheses: "- (-1)" can never become the
 * comment "--1" (CVE-2024-27289). Trusted SQL that contains "--" is followed
 * by a newline, so a trailing line comment in it cannot swallow what we
 * append after it.
 *
 * Conditions (the values they compare with and the SQL of each operator) are
 * rendered in fraise-sql-condition.c.
 */

#include "fraise-sql-private.h"

#include <string.h>

/* Longest part of a rejected input echoed in an error message, in bytes. */
#define ECHO_MAX 80

/* ---- errors ------------------------------------------------------------ */

/* @s for an error message: control characters, backslashes and bytes that
 * are not UTF-8 as escapes, long input cut at ECHO_MAX bytes. */
static char *
echo_for_error (const char *s, gsize len)
{
  GString *out = g_string_new (NULL);
  gsize i = 0;

  while (i < len && i < ECHO_MAX)
    {
      guchar c = (guchar) s[i];
      gunichar u = c < 0x80 ? c : g_utf8_get_char_validated (s + i, (gssize) (len - i));

      if (c >= 0x80 && u < 0x110000)
        {
          gsize n = (gsize) g_utf8_skip[c];

          g_string_append_len (out, s + i, (gssize) n);
          i += n;
          continue;
        }
      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
      i++;
    }
  if (i < len)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static char *
echo_string (const char *s)
{
  return echo_for_error (s, strlen (s));
}

/* ---- literals ---------------------------------------------------------- */

gboolean
fraise_sql_check_text (const char *value, gsize len, GError **error)
{
  const char *end;

  if (memchr (value, '\0', len) != NULL)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("a value contains a NUL byte (at byte %lu)"),
                      (gulong) ((const char *) memchr (value, '\0', len) - value));
      return FALSE;
    }
  if (!g_utf8_validate_len (value, len, &end))
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("a value is not valid UTF-8 (at byte %lu)"), (gulong) (end - value));
      return FALSE;
    }
  return TRUE;
}

/* Appends @len bytes of @value, already checked, as a literal. */
void
fraise_sql_append_literal (GString *out, const char *value, gsize len)
{
  gsize i;

  if (memchr (value, '\\', len) != NULL)
    g_string_append_c (out, 'E');
  g_string_append_c (out, '\'');
  for (i = 0; i < len; i++)
    {
      if (value[i] == '\'' || value[i] == '\\')
        g_string_append_c (out, value[i]);
      g_string_append_c (out, value[i]);
    }
  g_string_append_c (out, '\'');
}

gboolean
fraise_sql_append_checked_literal (GString *out, const char *value, gsize len, GError **error)
{
  if (!fraise_sql_check_text (value, len, error))
    return FALSE;
  fraise_sql_append_literal (out, value, len);
  return TRUE;
}

char *
fraise_sql_quote_literal (const char *value, gssize len, GError **error)
{
  GString *out;
  gsize n;

  g_return_val_if_fail (value != NULL || len == 0, NULL);

  n = len < 0 ? strlen (value) : (gsize) len;
  out = g_string_sized_new (n + 3);
  if (!fraise_sql_append_checked_literal (out, n > 0 ? value : "", n, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* ---- sources ----------------------------------------------------------- */

/* One double-quoted identifier at *@p (on the opening quote): "" is an
 * escaped quote, control characters are refused. */
static gboolean
scan_quoted_part (const char **p)
{
  const char *s = *p + 1;
  gsize n = 0;

  for (;;)
    {
      guchar c = (guchar) *s;

      if (c == '\0' || c < 0x20 || c == 0x7f)
        return FALSE;
      if (c == '"' && s[1] != '"')
        break;
      s += c == '"' ? 2 : 1;
      n++;
    }
  *p = s + 1;
  return n > 0 && n <= FRAISE_SQL_MAX_IDENTIFIER;
}

/* One part of a name at *@p: a quoted identifier or [A-Za-z_][A-Za-z0-9_]*. */
static gboolean
scan_name_part (const char **p)
{
  const char *s = *p;

  if (*s == '"')
    return scan_quoted_part (p);
  if (!g_ascii_isalpha (*s) && *s != '_')
    return FALSE;
  while (g_ascii_isalnum (*s) || *s == '_')
    s++;
  if (s - *p > FRAISE_SQL_MAX_IDENTIFIER)
    return FALSE;
  *p = s;
  return TRUE;
}

static gboolean
is_qualified_name (const char *s)
{
  if (!g_utf8_validate (s, -1, NULL) || !scan_name_part (&s))
    return FALSE;
  if (*s == '.')
    {
      s++;
      if (!scan_name_part (&s))
        return FALSE;
    }
  return *s == '\0';
}

gboolean
fraise_sql_validate_source (const char *source, GError **error)
{
  g_autofree char *echo = NULL;

  g_return_val_if_fail (source != NULL, FALSE);

  if (is_qualified_name (source))
    return TRUE;
  echo = echo_string (source);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid source \"%s\" (expected [schema.]name of letters, digits and _, "
                 "or a double-quoted identifier)"),
                  echo);
  return FALSE;
}

/* ---- trusted SQL ------------------------------------------------------- */

/* Appends caller-supplied SQL; a newline after it ends any line comment. */
void
fraise_sql_append_identifier (GString *out, const char *name)
{
  const char *p = name;

  /* Plain when PostgreSQL would fold it to itself: [a-z_][a-z0-9_]*. */
  if ((g_ascii_islower (*p) || *p == '_'))
    {
      while (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_')
        p++;
      if (*p == '\0')
        {
          g_string_append (out, name);
          return;
        }
    }
  g_string_append_c (out, '"');
  for (p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_trusted (GString *out, const char *sql)
{
  g_string_append (out, sql);
  if (strstr (sql, "--") != NULL)
    g_string_append_c (out, '\n');
}

gboolean
fraise_sql_append_base (GString *out, const char *base, GError **error)
{
  if (base == NULL)
    {
      g_string_append (out, "data");
      return TRUE;
    }
  if (*base == '\0')
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("the base expression of a JSON path is empty"));
      return FALSE;
    }
  if (is_qualified_name (base))
    {
      g_string_append (out, base);
      return TRUE;
    }
  g_string_append_c (out, '(');
  append_trusted (out, base);
  g_string_append_c (out, ')');
  return TRUE;
}

/* ---- JSON paths -------------------------------------------------------- */

GStrv
fraise_sql_split_path (const char *path, GError **error)
{
  g_auto(GStrv) keys = NULL;
  g_autofree char *echo = NULL;
  guint i;

  if (*path != '\0' && fraise_sql_check_text (path, strlen (path), NULL))
    {
      keys = g_strsplit (path, ".", -1);
      for (i = 0; keys[i] != NULL && *keys[i] != '\0'; i++)
        ;
      if (keys[i] == NULL)
        return g_steal_pointer (&keys);
    }
  echo = echo_string (path);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid JSON path \"%s\" (expected dot-separated, non-empty keys of UTF-8)"),
                  echo);
  return NULL;
}

/* (base->'a'->>'b'): the last step is ->> when @as_text. */
gboolean
fraise_sql_append_path (
  GString *out, const char *base, const char *path, gboolean as_text, GError **error)
{
  g_auto(GStrv) keys = NULL;
  guint i;

  keys = fraise_sql_split_path (path, error);
  if (keys == NULL)
    return FALSE;
  g_string_append_c (out, '(');
  if (!fraise_sql_append_base (out, base, error))
    return FALSE;
  for (i = 0; keys[i] != NULL; i++)
    {
      g_string_append (out, as_text && keys[i + 1] == NULL ? "->>" : "->");
      fraise_sql_append_literal (out, keys[i], strlen (keys[i]));
    }
  g_string_append_c (out, ')');
  return TRUE;
}

static char *
render_path (const char *base, const char *path, gboolean as_text, GError **error)
{
  GString *out = g_string_new (NULL);

  if (!fraise_sql_append_path (out, base, path, as_text, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
fraise_sql_render_path_text_full (const char *base, const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return render_path (base, path, TRUE, error);
}

char *
fraise_sql_render_path_json_full (const char *base, const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return render_path (base, path, FALSE, error);
}

/* ---- ORDER BY ---------------------------------------------------------- */

static gboolean
all_in_set (const char *s, const char *extra)
{
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isalnum (*s) && strchr (extra, *s) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_order_path (const char *path, GError **error)
{
  g_autofree char *echo = NULL;
  g_auto(GStrv) keys = NULL;

  if (*path != '\0' && all_in_set (path, "_."))
    keys = fraise_sql_split_path (path, NULL);
  if (keys != NULL)
    return TRUE;
  echo = echo_string (path);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("cannot order by \"%s\": expected a JSON path of letters, digits, _ and dots "
                 "(raw SQL goes through set_order_by_sql)"),
                  echo);
  return FALSE;
}

static gboolean
append_collation (GString *out, const char *collation, GError **error)
{
  g_autofree char *echo = NULL;

  if (collation == NULL || *collation == '\0')
    return TRUE;
  if (strlen (collation) <= FRAISE_SQL_MAX_IDENTIFIER && all_in_set (collation, "_.@-"))
    {
      g_string_append_printf (out, " COLLATE \"%s\"", collation);
      return TRUE;
    }
  echo = echo_string (collation);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid collation \"%s\" (expected up to %d letters, digits, _, ., @ or -)"),
                  echo, FRAISE_SQL_MAX_IDENTIFIER);
  return FALSE;
}

char *
fraise_sql_render_order_item_full (const char *base,
                                   const char *path,
                                   const char *collation,
                                   FraiseSortDirection direction,
                                   FraiseNulls nulls,
                                   GError **error)
{
  static const char *const nulls_sql[] = { "", " NULLS FIRST", " NULLS LAST" };
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (direction != FRAISE_SORT_ASC && direction != FRAISE_SORT_DESC)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("unknown sort direction %d"), (int) direction);
      return NULL;
    }
  if ((guint) nulls > FRAISE_NULLS_LAST)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("unknown NULLS ordering %d"), (int) nulls);
      return NULL;
    }
  out = g_string_new (NULL);
  if (!check_order_path (path, error) || !fraise_sql_append_path (out, base, path, TRUE, error) ||
      !append_collation (out, collation, error))
    return NULL;
  g_string_append (out, direction == FRAISE_SORT_DESC ? " DESC" : " ASC");
  g_string_append (out, nulls_sql[nulls]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
fraise_sql_render_order_item (const char *path,
                              const char *collation,
                              FraiseSortDirection direction,
                              FraiseNulls nulls,
                              GError **error)
{
  return fraise_sql_render_order_item_full (NULL, path, collation, direction, nulls, error);
}

/* ---- SELECT ------------------------------------------------------------ */

/* [a-z_][a-z0-9_]* at *@p. */
static gboolean
scan_setting_part (const char **p)
{
  const char *s = *p;

  if (!g_ascii_islower (*s) && *s != '_')
    return FALSE;
  while (g_ascii_islower (*s) || g_ascii_isdigit (*s) || *s == '_')
    s++;
  *p = s;
  return TRUE;
}

gboolean
fraise_sql_validate_setting_name (const char *name, GError **error)
{
  g_autofree char *echo = NULL;
  const char *p = name;

  g_return_val_if_fail (name != NULL, FALSE);

  if (strlen (name) <= FRAISE_SQL_MAX_IDENTIFIER && scan_setting_part (&p) &&
      (*p == '\0' || (*p++ == '.' && scan_setting_part (&p) && *p == '\0')))
    return TRUE;
  echo = echo_string (name);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid setting name \"%s\" (expected name or prefix.name of a-z, 0-9 and _, "
                 "up to %d bytes)"),
                  echo, FRAISE_SQL_MAX_IDENTIFIER);
  return FALSE;
}

/* SET LOCAL n = 'v'; ... In a simple Query of several statements the server
 * runs them all in one implicit transaction, so the settings last for this
 * query only (and the server does not warn, as it does for a lone SET LOCAL
 * outside a transaction block). Inside an explicit transaction they last
 * until its end. */
static gboolean
append_set_locals (GString *out, const FraiseSqlSelect *select, GError **error)
{
  guint i, n = select->set_local_names != NULL ? select->set_local_names->len : 0;
  guint n_values = select->set_local_values != NULL ? select->set_local_values->len : 0;

  if (n != n_values)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("%u SET LOCAL names but %u values"), n, n_values);
      return FALSE;
    }
  for (i = 0; i < n; i++)
    {
      const char *name = g_ptr_array_index (select->set_local_names, i);
      const char *value = g_ptr_array_index (select->set_local_values, i);

      if (!fraise_sql_validate_setting_name (name, error))
        return FALSE;
      g_string_append_printf (out, "SET LOCAL %s = ", name);
      if (!fraise_sql_append_checked_literal (out, value, strlen (value), error))
        return FALSE;
      g_string_append (out, "; ");
    }
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  return *s == '\0';
}

static gboolean
append_where (GString *out, GPtrArray *where, GError **error)
{
  guint i;

  for (i = 0; where != NULL && i < where->len; i++)
    {
      const char *predicate = g_ptr_array_index (where, i);

      if (predicate == NULL || is_blank (predicate))
        {
          g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                               _("a WHERE predicate is empty"));
          return FALSE;
        }
      g_string_append (out, i == 0 ? " WHERE (" : " AND (");
      append_trusted (out, predicate);
      g_string_append_c (out, ')');
    }
  return TRUE;
}

char *
fraise_sql_build_select (const FraiseSqlSelect *select, GError **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (select != NULL, NULL);
  g_return_val_if_fail (select->source != NULL, NULL);

  if (!fraise_sql_validate_source (select->source, error))
    return NULL;
  out = g_string_new (NULL);
  if (!append_set_locals (out, select, error))
    return NULL;
  if (select->explain)
    g_string_append (out, "EXPLAIN (FORMAT JSON, VERBOSE) ");
  g_string_append (out, "SELECT ");
  if (select->projection != NULL && *select->projection != '\0')
    {
      append_trusted (out, select->projection);
      g_string_append (out, " AS data");
    }
  else
    g_string_append (out, "data");
  g_string_append_printf (out, " FROM %s", select->source);
  if (!append_where (out, select->where, error))
    return NULL;
  if (select->order_by != NULL && *select->order_by != '\0')
    {
      g_string_append (out, " ORDER BY ");
      append_trusted (out, select->order_by);
    }
  if (select->limit >= 0)
    g_string_append_printf (out, " LIMIT %" G_GINT64_FORMAT, select->limit);
  if (select->offset >= 0)
    g_string_append_printf (out, " OFFSET %" G_GINT64_FORMAT, select->offset);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
