/* fraise-parse-error.c: positioned errors of descriptions and expressions
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GStreamer's parse errors say "syntax error" and nothing else. Ours carry
 * the byte offset, the line and column (in characters), the line of text
 * with a caret under the place, and, where a name was wrong, the nearest
 * known name. The position is extended error data, so a caller (fraise-launch,
 * an editor) can point at it without parsing the message.
 */

#include "fraise-private.h"

#include <string.h>

typedef struct {
  gboolean positioned;
  gsize offset;
  guint line;
  guint column;
  char *reason;
} FraiseParseErrorPrivate;

static void
fraise_parse_error_private_init (FraiseParseErrorPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
}

static void
fraise_parse_error_private_copy (const FraiseParseErrorPrivate *src, FraiseParseErrorPrivate *dest)
{
  *dest = *src;
  dest->reason = g_strdup (src->reason);
}

static void
fraise_parse_error_private_clear (FraiseParseErrorPrivate *priv)
{
  g_clear_pointer (&priv->reason, g_free);
}

/**
 * fraise_parse_error_quark:
 *
 * The quark of the %FRAISE_PARSE_ERROR domain.
 *
 * Returns: the error domain quark
 *
 * Since: 1.0
 */
G_DEFINE_EXTENDED_ERROR (FraiseParseError, fraise_parse_error)

/**
 * fraise_parse_error_get_position:
 * @error: a #GError of the %FRAISE_PARSE_ERROR domain
 * @offset: (out) (optional): the byte offset in the text
 * @line: (out) (optional): the line, from 1
 * @column: (out) (optional): the column in characters, from 1
 *
 * Where in the description or expression the error is.
 *
 * Returns: %TRUE when @error is a parse error with a position
 *
 * Since: 1.0
 */
gboolean
fraise_parse_error_get_position (const GError *error, gsize *offset, guint *line, guint *column)
{
  FraiseParseErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != FRAISE_PARSE_ERROR)
    return FALSE;
  priv = fraise_parse_error_get_private (error);
  if (priv == NULL || !priv->positioned)
    return FALSE;
  if (offset != NULL)
    *offset = priv->offset;
  if (line != NULL)
    *line = priv->line;
  if (column != NULL)
    *column = priv->column;
  return TRUE;
}

const char *
_fraise_parse_error_get_reason (const GError *error)
{
  FraiseParseErrorPrivate *priv;

  if (error == NULL || error->domain != FRAISE_PARSE_ERROR)
    return error != NULL ? error->message : NULL;
  priv = fraise_parse_error_get_private (error);
  return priv != NULL && priv->reason != NULL ? priv->reason : error->message;
}

/* Characters of @text between @from and @to (invalid UTF-8 counts a byte
 * as a character, so a column is always defined). */
static guint
count_chars (const char *from, const char *to)
{
  guint n = 0;

  while (from < to)
    {
      const char *next = g_utf8_find_next_char (from, to);

      if (next == NULL || next > to)
        next = to;
      from = next;
      n++;
    }
  return n;
}

#define EXCERPT_BEFORE 60
#define EXCERPT_AFTER 20

/* "  <line>\n  <spaces>^": the line around @offset, cut to a window. */
static void
append_excerpt (GString *out, const char *text, gsize len, gsize offset)
{
  const char *at = text + MIN (offset, len);
  const char *line_start = at, *line_end = at;
  const char *from, *to;
  guint caret;

  while (line_start > text && line_start[-1] != '\n')
    line_start--;
  while (line_end < text + len && *line_end != '\n')
    line_end++;

  /* Back from the place, not forward from the line's start: counting the
   * characters left at each step was quadratic in the line's length. */
  from = at;
  for (guint i = 0; i < EXCERPT_BEFORE && from > line_start; i++)
    {
      const char *previous = g_utf8_find_prev_char (line_start, from);

      from = previous != NULL ? previous : line_start;
    }
  to = at;
  for (guint i = 0; i < EXCERPT_AFTER && to < line_end; i++)
    {
      const char *next = g_utf8_find_next_char (to, line_end);
      to = next != NULL ? next : line_end;
    }
  if (to < line_end)
    while (to < line_end && *to != ' ')
      to++;

  g_string_append (out, "\n  ");
  if (from > line_start)
    g_string_append (out, "…");
  for (const char *p = from; p < to; p++)
    g_string_append_c (out, (*p == '\t' || *p == '\r') ? ' ' : *p);
  if (to < line_end)
    g_string_append (out, "…");
  g_string_append (out, "\n  ");
  caret = count_chars (from, at) + (from > line_start ? 1 : 0);
  for (guint i = 0; i < caret; i++)
    g_string_append_c (out, ' ');
  g_string_append_c (out, '^');
}

static GError *new_positioned (FraiseParseError code,
                               const char *text,
                               gssize text_len,
                               gsize offset,
                               gboolean expression,
                               const char *format,
                               va_list args) G_GNUC_PRINTF (6, 0);

static GError *
new_positioned (FraiseParseError code,
                const char *text,
                gssize text_len,
                gsize offset,
                gboolean expression,
                const char *format,
                va_list args)
{
  gsize len = text_len < 0 ? strlen (text) : (gsize) text_len;
  g_autofree char *reason = g_strdup_vprintf (format, args);
  FraiseParseErrorPrivate *priv;
  const char *at, *line_start;
  guint line = 1, column;
  GString *message;
  GError *error;

  offset = MIN (offset, len);
  at = text + offset;
  line_start = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      {
        line++;
        line_start = p + 1;
      }
  column = count_chars (line_start, at) + 1;

  message = g_string_new (NULL);
  if (expression && line == 1)
    g_string_append_printf (message, _("column %u: %s"), column, reason);
  else
    g_string_append_printf (message, "%u:%u: %s", line, column, reason);
  append_excerpt (message, text, len, offset);

  error = g_error_new_literal (FRAISE_PARSE_ERROR, code, message->str);
  g_string_free (message, TRUE);

  priv = fraise_parse_error_get_private (error);
  priv->positioned = TRUE;
  priv->offset = offset;
  priv->line = line;
  priv->column = column;
  priv->reason = g_steal_pointer (&reason);
  return error;
}

GError *
_fraise_parse_error_new (
  FraiseParseError code, const char *description, gssize len, gsize offset, const char *format, ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = new_positioned (code, description, len, offset, FALSE, format, args);
  va_end (args);
  return error;
}

GError *
_fraise_parse_error_new_in_expression (
  FraiseParseError code, const char *expression, gsize offset, const char *format, ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = new_positioned (code, expression, -1, offset, TRUE, format, args);
  va_end (args);
  return error;
}

/* Levenshtein distance, for the nearest name; @a and @b are short names. */
static guint
edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

const char *
_fraise_suggest_name (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint limit;

  if (word == NULL || candidates == NULL)
    return NULL;
  limit = MAX (2, (guint) strlen (word) / 3);
  for (gsize i = 0; candidates[i] != NULL; i++)
    {
      guint d = edit_distance (word, candidates[i]);

      if (d < best_distance ||
          (d == best_distance && best != NULL && strcmp (candidates[i], best) < 0))
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  return best_distance <= limit ? best : NULL;
}
