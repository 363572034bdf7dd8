/* fuzz-expr-sql.c: the push-down compiler's SQL, checked for structural safety
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a filter expression (up to its first NUL byte, if any: the
 * expression is a C string, and a U+0000 can only be written as the escape
 * "\u0000", which the lexer refuses). When it parses, it is compiled against
 * the jsonb document `data` and the WHERE text of the pushed conjuncts, and
 * each conjunct's own SQL, is read by a small SQL lexer written here
 * (PostgreSQL's rules, standard_conforming_strings on), which abort()s when:
 *
 * - the text is not valid UTF-8 or holds a NUL byte;
 * - outside string literals and quoted identifiers, it holds `;`, `--`,
 *   `/`+`*`, `$` (a parameter `$1` or a dollar quote `$x$`), a backslash, or
 *   any character the compiler never writes there (anything but letters,
 *   digits, `_`, white space and `( ) , . : < > = @ # -`);
 * - a parenthesis is unbalanced (a `)` that closes what the text did not
 *   open would close the `WHERE (` the query builder wraps it in);
 * - a string literal or quoted identifier is unterminated, or a literal of
 *   another form than '...' and E'...' appears (B'', X'', U&'', U&"");
 * - a literal decodes (E'' escapes included: \\ \' \n \ooo \xhh \uXXXX
 *   \UXXXXXXXX) to bytes that are not valid UTF-8, or that hold a NUL;
 * - a plain '...' literal holds a backslash: with standard_conforming_strings
 *   off the server would read it differently (fraise-sql.h promises literals
 *   that read the same either way);
 * - a pushed conjunct is not one primary: a parenthesised group whose `(`
 *   closes at its last character, or a bare word (`false`).
 *
 * A conjunct that is not pushed must say why (its reason). Nothing here
 * talks to a server: tests/test-pushdown-injection.c runs hostile literals
 * against a real one.
 */

#include "fraise-expr-sql-private.h"
#include "fraise-private.h"
#include "fraise-fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

G_NORETURN static void
reject (const char *sql, gsize at, const char *why)
{
  fprintf (stderr, "fuzz-expr-sql: %s at byte %" G_GSIZE_FORMAT " of the SQL:\n%s\n", why, at, sql);
  abort ();
}

static gboolean
is_ident_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c >= 0x80;
}

static int
hex_value (guchar c)
{
  if (g_ascii_isdigit (c))
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* @n hex digits at @p as a number, or -1. */
static gint64
hex_n (const char *p, int n)
{
  gint64 v = 0;

  for (int k = 0; k < n; k++)
    {
      int d = hex_value ((guchar) p[k]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* What a literal decodes to must be text the server accepts and the same
 * text the client compares with: valid UTF-8, no NUL. */
static void
check_decoded (const char *sql, gsize at, const GString *decoded)
{
  if (memchr (decoded->str, '\0', decoded->len) != NULL)
    reject (sql, at, "a literal decodes to a NUL byte");
  if (!g_utf8_validate_len (decoded->str, decoded->len, NULL))
    reject (sql, at, "a literal decodes to invalid UTF-8");
}

/* A '...' literal from @i (its quote); returns the index after it. */
static gsize
scan_standard (const char *sql, gsize len, gsize i)
{
  g_autoptr (GString) decoded = g_string_new (NULL);
  gsize start = i++;

  for (;;)
    {
      if (i >= len)
        reject (sql, start, "an unterminated string literal");
      if (sql[i] == '\'')
        {
          if (i + 1 < len && sql[i + 1] == '\'')
            {
              g_string_append_c (decoded, '\'');
              i += 2;
              continue;
            }
          break;
        }
      if (sql[i] == '\\')
        reject (sql, i,
                "a backslash in a '...' literal (reads otherwise without "
                "standard_conforming_strings)");
      g_string_append_c (decoded, sql[i++]);
    }
  check_decoded (sql, start, decoded);
  return i + 1;
}

static void
append_code_point (const char *sql, gsize at, GString *out, gint64 cp)
{
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
    reject (sql, at, "an invalid Unicode escape in an E'...' literal");
  if (cp == 0)
    g_string_append_c (out, '\0'); /* check_decoded() refuses it */
  else
    g_string_append_unichar (out, (gunichar) cp);
}

/* An E'...' literal from @i (its quote); returns the index after it. */
static gsize
scan_escaped (const char *sql, gsize len, gsize i)
{
  g_autoptr (GString) decoded = g_string_new (NULL);
  gsize start = i++;

  for (;;)
    {
      guchar c;

      if (i >= len)
        reject (sql, start, "an unterminated E'...' literal");
      c = (guchar) sql[i];
      if (c == '\'')
        {
          if (i + 1 < len && sql[i + 1] == '\'')
            {
              g_string_append_c (decoded, '\'');
              i += 2;
              continue;
            }
          break;
        }
      if (c != '\\')
        {
          g_string_append_c (decoded, (char) c);
          i++;
          continue;
        }
      if (i + 1 >= len)
        reject (sql, start, "an unterminated E'...' literal");
      c = (guchar) sql[i + 1];
      switch (c)
        {
        case 'b':
          g_string_append_c (decoded, '\b'), i += 2;
          break;
        case 'f':
          g_string_append_c (decoded, '\f'), i += 2;
          break;
        case 'n':
          g_string_append_c (decoded, '\n'), i += 2;
          break;
        case 'r':
          g_string_append_c (decoded, '\r'), i += 2;
          break;
        case 't':
          g_string_append_c (decoded, '\t'), i += 2;
          break;
        case 'x':
          {
            int n = 0, v = 0;

            for (i += 2; n < 2 && i < len && hex_value ((guchar) sql[i]) >= 0; n++, i++)
              v = v * 16 + hex_value ((guchar) sql[i]);
            if (n == 0)
              g_string_append_c (decoded, 'x'); /* \x without a digit is x */
            else
              g_string_append_c (decoded, (char) v);
            break;
          }
        case 'u':
        case 'U':
          {
            int n = c == 'u' ? 4 : 8;
            gint64 cp;

            if (i + 2 + (gsize) n > len || (cp = hex_n (sql + i + 2, n)) < 0)
              reject (sql, i, "an invalid Unicode escape in an E'...' literal");
            i += 2 + (gsize) n;
            if (cp >= 0xd800 && cp < 0xdc00)
              {
                gint64 low;

                if (i + 6 > len || sql[i] != '\\' || sql[i + 1] != 'u' ||
                    (low = hex_n (sql + i + 2, 4)) < 0xdc00 || low >= 0xe000)
                  reject (sql, i, "an unpaired surrogate in an E'...' literal");
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                i += 6;
              }
            append_code_point (sql, i, decoded, cp);
            break;
          }
        default:
          if (c >= '0' && c <= '7')
            {
              int n = 0, v = 0;

              for (i += 1; n < 3 && i < len && sql[i] >= '0' && sql[i] <= '7'; n++, i++)
                v = v * 8 + (sql[i] - '0');
              g_string_append_c (decoded, (char) (v & 0xff));
            }
          else
            {
              /* \\, \' and any other character stand for themselves. */
              g_string_append_c (decoded, (char) c);
              i += 2;
            }
          break;
        }
    }
  check_decoded (sql, start, decoded);
  return i + 1;
}

/* A "..." identifier from @i; returns the index after it. */
static gsize
scan_identifier (const char *sql, gsize len, gsize i)
{
  gsize start = i++, n = 0;

  for (;;)
    {
      if (i >= len)
        reject (sql, start, "an unterminated quoted identifier");
      if (sql[i] == '"')
        {
          if (i + 1 < len && sql[i + 1] == '"')
            {
              i += 2, n++;
              continue;
            }
          break;
        }
      i++, n++;
    }
  if (n == 0)
    reject (sql, start, "an empty quoted identifier");
  return i + 1;
}

/* Lexes @sql; returns where the parenthesis opened at byte 0 closes (or
 * @len when it does not start with one). */
static gsize
scan_sql (const char *sql)
{
  gsize len = strlen (sql), i = 0, first_close = len;
  guint depth = 0;

  if (!g_utf8_validate_len (sql, len, NULL))
    reject (sql, 0, "invalid UTF-8 in the SQL");
  while (i < len)
    {
      guchar c = (guchar) sql[i];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
        i++;
      else if (c == '\'')
        i = scan_standard (sql, len, i);
      else if (c == '"')
        i = scan_identifier (sql, len, i);
      else if ((c == 'E' || c == 'e') && i + 1 < len && sql[i + 1] == '\'')
        i = scan_escaped (sql, len, i + 1);
      else if ((c == 'N' || c == 'n') && i + 1 < len && sql[i + 1] == '\'')
        i = scan_standard (sql, len, i + 1);
      else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x') && i + 1 < len && sql[i + 1] == '\'')
        reject (sql, i, "a bit-string literal");
      else if ((c == 'U' || c == 'u') && i + 1 < len && sql[i + 1] == '&')
        reject (sql, i, "a U& literal or identifier");
      else if (is_ident_char (c))
        {
          /* A word or a number; a $ inside one is caught below. */
          while (i < len && is_ident_char ((guchar) sql[i]))
            i++;
        }
      else if (c == '(')
        depth++, i++;
      else if (c == ')')
        {
          if (depth == 0)
            reject (sql, i, "a ')' that closes what the SQL did not open");
          if (--depth == 0 && first_close == len)
            first_close = i;
          i++;
        }
      else if (c == ';')
        reject (sql, i, "a ';' outside a literal");
      else if (c == '$')
        reject (sql, i, "a '$' (parameter or dollar quote) outside a literal");
      else if (c == '-' && i + 1 < len && sql[i + 1] == '-')
        reject (sql, i, "a '--' comment outside a literal");
      else if (c == '/' && i + 1 < len && sql[i + 1] == '*')
        reject (sql, i, "a '/*' comment outside a literal");
      else if (c == '\\')
        reject (sql, i, "a backslash outside a literal");
      else if (strchr ("(),.:<>=@#-", c) != NULL)
        i++;
      else
        reject (sql, i, "a character the compiler never writes outside a literal");
    }
  if (depth != 0)
    reject (sql, len, "an unclosed '('");
  return sql[0] == '(' ? first_close : len;
}

/* One pushed conjunct: one primary, so that " AND " joins them as
 * predicates and nothing binds across them. */
static void
check_conjunct (const char *sql)
{
  gsize len = strlen (sql), close;

  if (len == 0)
    reject (sql, 0, "an empty conjunct");
  close = scan_sql (sql);
  if (sql[0] == '(')
    {
      if (close != len - 1)
        reject (sql, close, "a conjunct that is not one parenthesised predicate");
      return;
    }
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalpha (sql[i]))
      reject (sql, i, "a conjunct that is neither parenthesised nor a bare word");
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseExprPushdown) pushdown = NULL;
  g_autofree char *where = NULL;
  g_autoptr (FraiseExpr) expr = fraise_expr_parse (text, &error);
  guint n_pushed = 0;

  if (expr == NULL)
    {
      g_assert (error != NULL);
      return 0; /* rejected before anything is sent */
    }
  pushdown = _fraise_expr_pushdown_new (expr, "data");
  for (guint i = 0; i < pushdown->conjuncts->len; i++)
    {
      const FraiseExprConjunct *c = &g_array_index (pushdown->conjuncts, FraiseExprConjunct, i);

      if (c->sql == NULL)
        {
          g_assert (c->reason != NULL);
          continue;
        }
      check_conjunct (c->sql);
      if (c->order_key != NULL)
        scan_sql (c->order_key);
      n_pushed++;
    }
  g_assert (n_pushed == pushdown->n_pushed);
  where = _fraise_expr_pushdown_where (pushdown);
  g_assert ((where == NULL) == (n_pushed == 0));
  if (where != NULL)
    scan_sql (where);
  return 0;
}
