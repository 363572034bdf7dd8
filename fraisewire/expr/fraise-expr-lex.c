/* fraise-expr-lex.c: the tokens of the filter language (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Strings are JSON strings, decoded here; numbers are JSON numbers, kept
 * as written (the evaluator compares them as exact decimals). A string may
 * not hold U+0000 or an unpaired surrogate: neither survives in a C string
 * or in PostgreSQL's jsonb, so a literal with one could never match the same
 * way on both sides of push-down.
 */

#include "fraise-expr-lex-private.h"

#include <string.h>

#define IS_DIGIT(c) ((guint) ((c) - '0') < 10u)

gboolean
_fraise_expr_is_word_char (guchar c, gboolean first)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80 ||
         (!first && IS_DIGIT (c));
}

gboolean
_fraise_expr_lexer_fail (
  FraiseExprLexer *lx, FraiseParseError code, gsize offset, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  lx->tok.kind = FRAISE_EXPR_TOK_ERROR;
  if (lx->error == NULL || *lx->error != NULL)
    return FALSE;
  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_propagate_error (lx->error,
                     _fraise_parse_error_new_in_expression (code, lx->text, offset, "%s", reason));
  return FALSE;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int c = (guchar) p[i], d;

      if (IS_DIGIT (c))
        d = c - '0';
      else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        d = (c | 0x20) - 'a' + 10;
      else
        return -1;
      v = (v << 4) | d;
    }
  return v;
}

/* A \u escape at @i (the backslash): appends the code point, returns the
 * index after it, or 0 after setting the error. */
static gsize
lex_unicode_escape (FraiseExprLexer *lx, gsize i, GString *out)
{
  const char *t = lx->text;
  int cp, low;

  if (i + 6 > lx->len || (cp = hex4 (t + i + 2)) < 0)
    return _fraise_expr_lexer_fail (
      lx, FRAISE_PARSE_ERROR_SYNTAX, i, _("invalid \\u escape (expected four hex digits)")), 0;
  if (cp == 0)
    return _fraise_expr_lexer_fail (
      lx, FRAISE_PARSE_ERROR_BAD_VALUE, i, _("a string cannot contain U+0000")), 0;
  if (cp >= 0xdc00 && cp < 0xe000)
    return _fraise_expr_lexer_fail (
      lx, FRAISE_PARSE_ERROR_BAD_VALUE, i, _("unpaired UTF-16 surrogate in a string")), 0;
  i += 6;
  if (cp >= 0xd800 && cp < 0xdc00)
    {
      if (i + 6 > lx->len || t[i] != '\\' || t[i + 1] != 'u' || (low = hex4 (t + i + 2)) < 0xdc00 ||
          low >= 0xe000)
        return _fraise_expr_lexer_fail (
          lx, FRAISE_PARSE_ERROR_BAD_VALUE, i - 6, _("unpaired UTF-16 surrogate in a string")), 0;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      i += 6;
    }
  g_string_append_unichar (out, (gunichar) cp);
  return i;
}

static gboolean
lex_string (FraiseExprLexer *lx, gsize start)
{
  const char *t = lx->text;
  GString *out = g_string_new (NULL);
  gsize i = start + 1;

  for (;;)
    {
      guchar c;

      if (i >= lx->len)
        {
          g_string_free (out, TRUE);
          return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, start,
                                          _("unterminated string"));
        }
      c = (guchar) t[i];
      if (c == '"')
        break;
      if (c < 0x20)
        {
          g_string_free (out, TRUE);
          return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                          _("unescaped control character in a string"));
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          i++;
          continue;
        }
      switch (i + 1 < lx->len ? t[i + 1] : '\0')
        {
        case '"':
        case '\\':
        case '/':
          g_string_append_c (out, t[i + 1]);
          break;
        case 'b':
          g_string_append_c (out, '\b');
          break;
        case 'f':
          g_string_append_c (out, '\f');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'u':
          if ((i = lex_unicode_escape (lx, i, out)) == 0)
            {
              g_string_free (out, TRUE);
              return FALSE;
            }
          continue;
        default:
          g_string_free (out, TRUE);
          return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                          _("invalid escape sequence in a string"));
        }
      i += 2;
    }
  lx->tok.kind = FRAISE_EXPR_TOK_STRING;
  lx->tok.end = i + 1;
  lx->tok.string_len = out->len;
  lx->tok.string = g_string_free (out, FALSE);
  return TRUE;
}

/* Skips digits from @i; returns the index after them. */
static gsize
skip_digits (const FraiseExprLexer *lx, gsize i)
{
  while (i < lx->len && IS_DIGIT (lx->text[i]))
    i++;
  return i;
}

/* A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
lex_number (FraiseExprLexer *lx, gsize start)
{
  const char *t = lx->text;
  gsize i = start;

  if (t[i] == '-')
    i++;
  if (i >= lx->len || !IS_DIGIT (t[i]))
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                    _("expected a digit after \"-\""));
  if (t[i] == '0' && i + 1 < lx->len && IS_DIGIT (t[i + 1]))
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                    _("leading zeros are not allowed in a number"));
  i = skip_digits (lx, i);
  if (i < lx->len && t[i] == '.')
    {
      if (++i >= lx->len || !IS_DIGIT (t[i]))
        return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                        _("expected a digit after the decimal point"));
      i = skip_digits (lx, i);
    }
  if (i < lx->len && (t[i] == 'e' || t[i] == 'E'))
    {
      if (++i < lx->len && (t[i] == '+' || t[i] == '-'))
        i++;
      if (i >= lx->len || !IS_DIGIT (t[i]))
        return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                        _("expected a digit in the exponent"));
      i = skip_digits (lx, i);
    }
  if (i < lx->len && (_fraise_expr_is_word_char ((guchar) t[i], FALSE) || t[i] == '.'))
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i, _("invalid number"));
  lx->tok.kind = FRAISE_EXPR_TOK_NUMBER;
  lx->tok.end = i;
  return TRUE;
}

/* One- and two-character operators; FALSE when @c starts none. */
static gboolean
lex_operator (FraiseExprLexer *lx, gsize i)
{
  static const struct {
    char text[3];
    FraiseExprTokenKind kind;
  } ops[] = {
    { "==", FRAISE_EXPR_TOK_EQ },      { "!=", FRAISE_EXPR_TOK_NE },
    { "<=", FRAISE_EXPR_TOK_LE },      { ">=", FRAISE_EXPR_TOK_GE },
    { "=~", FRAISE_EXPR_TOK_MATCH },   { "&&", FRAISE_EXPR_TOK_AND },
    { "||", FRAISE_EXPR_TOK_OR },      { "<", FRAISE_EXPR_TOK_LT },
    { ">", FRAISE_EXPR_TOK_GT },       { "!", FRAISE_EXPR_TOK_NOT },
    { "(", FRAISE_EXPR_TOK_LPAREN },   { ")", FRAISE_EXPR_TOK_RPAREN },
    { "[", FRAISE_EXPR_TOK_LBRACKET }, { "]", FRAISE_EXPR_TOK_RBRACKET },
    { ",", FRAISE_EXPR_TOK_COMMA },    { ".", FRAISE_EXPR_TOK_DOT },
  };

  for (gsize k = 0; k < G_N_ELEMENTS (ops); k++)
    {
      gsize n = strlen (ops[k].text);

      if (i + n <= lx->len && memcmp (lx->text + i, ops[k].text, n) == 0)
        {
          lx->tok.kind = ops[k].kind;
          lx->tok.end = i + n;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
lex_unexpected (FraiseExprLexer *lx, gsize i)
{
  char c = lx->text[i];

  if (c == '=')
    return _fraise_expr_lexer_fail (
      lx, FRAISE_PARSE_ERROR_SYNTAX, i,
      _("unexpected \"=\": write \"==\" to compare or \"=~\" to match"));
  if (c == '&' || c == '|')
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                    _("unexpected \"%c\": write \"%c%c\""), c, c, c);
  if (c == '\'')
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                    _("strings are written in double quotes"));
  if ((guchar) c < 0x20 || c == 0x7f)
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                    _("unexpected control character U+%04X"), (guint) c);
  return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, i,
                                  _("unexpected character \"%c\""), c);
}

void
_fraise_expr_token_clear (FraiseExprToken *tok)
{
  g_clear_pointer (&tok->string, g_free);
}

gboolean
_fraise_expr_lexer_next (FraiseExprLexer *lx)
{
  const char *t = lx->text;
  gsize i = lx->tok.kind == FRAISE_EXPR_TOK_NONE ? 0 : lx->tok.end;

  if (lx->tok.kind == FRAISE_EXPR_TOK_ERROR)
    return FALSE;
  _fraise_expr_token_clear (&lx->tok);
  while (i < lx->len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
    i++;
  lx->tok.start = i;
  lx->tok.end = i;
  if (i >= lx->len)
    {
      lx->tok.kind = FRAISE_EXPR_TOK_END;
      return TRUE;
    }
  if (t[i] == '"')
    return lex_string (lx, i);
  if (t[i] == '-' || IS_DIGIT (t[i]))
    return lex_number (lx, i);
  if (_fraise_expr_is_word_char ((guchar) t[i], TRUE))
    {
      gsize j = i + 1;

      while (j < lx->len && _fraise_expr_is_word_char ((guchar) t[j], FALSE))
        j++;
      lx->tok.kind = FRAISE_EXPR_TOK_WORD;
      lx->tok.end = j;
      return TRUE;
    }
  if (lex_operator (lx, i))
    return TRUE;
  return lex_unexpected (lx, i);
}

gboolean
_fraise_expr_token_is_word (const FraiseExprLexer *lx, const char *word)
{
  gsize n = strlen (word);

  return lx->tok.kind == FRAISE_EXPR_TOK_WORD && lx->tok.end - lx->tok.start == n &&
         memcmp (lx->text + lx->tok.start, word, n) == 0;
}

gboolean
_fraise_expr_lexer_init (FraiseExprLexer *lx, const char *text, GError **error)
{
  const char *bad;

  memset (lx, 0, sizeof *lx);
  lx->text = text;
  lx->len = strlen (text);
  lx->error = error;
  lx->tok.kind = FRAISE_EXPR_TOK_NONE;
  if (!g_utf8_validate_len (text, lx->len, &bad))
    return _fraise_expr_lexer_fail (lx, FRAISE_PARSE_ERROR_SYNTAX, (gsize) (bad - text),
                                    _("invalid UTF-8"));
  return _fraise_expr_lexer_next (lx);
}
