/* fraise-parse-lexer.c: pipeline descriptions and argv into lexemes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two ways in, one result. A whole description is split at whitespace and
 * at every `!` outside quotes; a value may be bare or quoted, in pieces
 * (`a"b c"d` is one value). An argv is never re-joined and re-lexed, as
 * gst_parse_launchv does (it escapes only spaces, so a shell-quoted `!` or
 * `"` inside a value changes meaning): each element is one lexeme, taken
 * verbatim, and only a lone "!" links. Every byte of a value remembers its
 * offset, so errors point into the text the user wrote.
 */

#include "fraise-parse-private.h"

#include <string.h>

gboolean
_fraise_parse_is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

gboolean
_fraise_parse_is_name (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!_fraise_parse_is_name_char (*p))
      return FALSE;
  return TRUE;
}

static void
lexeme_clear (gpointer data)
{
  FraiseLexeme *lexeme = data;

  g_free (lexeme->name);
  g_free (lexeme->value);
  g_free (lexeme->value_map);
}

static void
lexed_init (FraiseLexed *lexed, char *text)
{
  lexed->text = text;
  lexed->len = strlen (text);
  lexed->lexemes = g_array_new (FALSE, TRUE, sizeof (FraiseLexeme));
  g_array_set_clear_func (lexed->lexemes, lexeme_clear);
}

void
_fraise_lexed_clear (FraiseLexed *lexed)
{
  g_clear_pointer (&lexed->text, g_free);
  g_clear_pointer (&lexed->lexemes, g_array_unref);
  lexed->len = 0;
}

static gboolean
check_utf8 (FraiseLexed *lexed, GError **error)
{
  const char *end;

  if (g_utf8_validate (lexed->text, lexed->len, &end))
    return TRUE;
  /* The excerpt quotes the valid part only: a message is UTF-8 too. */
  g_propagate_error (error, _fraise_parse_error_new (FRAISE_PARSE_ERROR_SYNTAX, lexed->text,
                                                     end - lexed->text, end - lexed->text,
                                                     _("the description is not valid UTF-8")));
  return FALSE;
}

static void
append_word (FraiseLexed *lexed, gsize offset, const char *name, gsize len)
{
  FraiseLexeme lexeme = { 0 };

  lexeme.kind = FRAISE_LEXEME_WORD;
  lexeme.offset = offset;
  lexeme.name = g_strndup (name, len);
  g_array_append_val (lexed->lexemes, lexeme);
}

static void
append_link (FraiseLexed *lexed, gsize offset)
{
  FraiseLexeme lexeme = { 0 };

  lexeme.kind = FRAISE_LEXEME_LINK;
  lexeme.offset = offset;
  g_array_append_val (lexed->lexemes, lexeme);
}

/* ---- whole descriptions ---------------------------------------------------- */

typedef struct {
  GString *value;
  GArray *map; /* of gsize */
} ValueBuilder;

static void
value_put (ValueBuilder *builder, char c, gsize offset)
{
  g_string_append_c (builder->value, c);
  g_array_append_val (builder->map, offset);
}

static GError *
syntax_error_at (FraiseLexed *lexed, gsize offset, const char *reason)
{
  return _fraise_parse_error_new (FRAISE_PARSE_ERROR_SYNTAX, lexed->text, lexed->len, offset, "%s",
                                  reason);
}

/* One quoted piece from the opening quote at *@pos; *@pos ends past the
 * closing one. In double quotes a backslash takes the next character as it
 * is; in single quotes only before `'` or `\`, and stands for itself
 * elsewhere (so a regex's `\.` needs no doubling). */
static gboolean
lex_quoted (FraiseLexed *lexed, gsize *pos, ValueBuilder *builder, GError **error)
{
  const char *text = lexed->text;
  char quote = text[*pos];
  gsize open = *pos;
  gsize i = open + 1;

  while (i < lexed->len && text[i] != quote)
    {
      if (text[i] == '\\' && i + 1 < lexed->len &&
          (quote == '"' || text[i + 1] == '\'' || text[i + 1] == '\\'))
        i++;
      value_put (builder, text[i], i);
      i++;
    }
  if (i >= lexed->len)
    {
      g_propagate_error (error,
                         syntax_error_at (lexed, open,
                                          quote == '"' ? _("this double quote is never closed")
                                                       : _("this single quote is never closed")));
      return FALSE;
    }
  *pos = i + 1;
  return TRUE;
}

static gboolean
is_value_end (char c)
{
  return c == '\0' || g_ascii_isspace (c) || c == '!';
}

/* The value after `=` at *@pos, up to whitespace or `!` outside quotes. */
static gboolean
lex_value (FraiseLexed *lexed, gsize *pos, FraiseLexeme *lexeme, GError **error)
{
  const char *text = lexed->text;
  ValueBuilder builder = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (gsize)) };
  gsize i = *pos;

  if (is_value_end (text[i]))
    {
      g_propagate_error (
        error,
        syntax_error_at (lexed, i, _("expected a value after \"=\" (\"\" is the empty one)")));
      goto fail;
    }
  while (!is_value_end (text[i]))
    {
      if (text[i] == '"' || text[i] == '\'')
        {
          if (!lex_quoted (lexed, &i, &builder, error))
            goto fail;
          continue;
        }
      if (text[i] == '\\')
        {
          if (text[i + 1] == '\0')
            {
              g_propagate_error (
                error, syntax_error_at (lexed, i, _("a backslash at the end escapes nothing")));
              goto fail;
            }
          i++;
        }
      value_put (&builder, text[i], i);
      i++;
    }
  g_array_append_val (builder.map, i);
  lexeme->value_len = builder.value->len;
  lexeme->value = g_string_free (builder.value, FALSE);
  lexeme->value_map = (gsize *) (void *) g_array_free (builder.map, FALSE);
  *pos = i;
  return TRUE;

fail:
  g_string_free (builder.value, TRUE);
  g_array_unref (builder.map);
  return FALSE;
}

static GError *
unexpected_in_name (FraiseLexed *lexed, gsize offset)
{
  const char *at = lexed->text + offset;
  const char *next = g_utf8_next_char (at);
  g_autofree char *c = g_strndup (at, next - at);

  if (*at == '"' || *at == '\'')
    return _fraise_parse_error_new (FRAISE_PARSE_ERROR_SYNTAX, lexed->text, lexed->len, offset,
                                    _("unexpected quote: only a value, after \"=\", is quoted"));
  return _fraise_parse_error_new (
    FRAISE_PARSE_ERROR_SYNTAX, lexed->text, lexed->len, offset,
    _("unexpected \"%s\": a name has only letters, digits, \"-\" and \"_\""), c);
}

/* A name, and when `=` follows it, a value: at *@pos, which is not blank. */
static gboolean
lex_word (FraiseLexed *lexed, gsize *pos, GError **error)
{
  const char *text = lexed->text;
  gsize start = *pos, i = *pos;
  FraiseLexeme lexeme = { 0 };

  while (_fraise_parse_is_name_char (text[i]))
    i++;
  if (is_value_end (text[i]))
    {
      append_word (lexed, start, text + start, i - start);
      *pos = i;
      return TRUE;
    }
  if (text[i] != '=')
    {
      g_propagate_error (error, unexpected_in_name (lexed, i));
      return FALSE;
    }
  if (i == start)
    {
      g_propagate_error (error,
                         syntax_error_at (lexed, i, _("expected a property name before \"=\"")));
      return FALSE;
    }
  lexeme.kind = FRAISE_LEXEME_PROPERTY;
  lexeme.offset = start;
  *pos = i + 1;
  if (!lex_value (lexed, pos, &lexeme, error))
    return FALSE;
  lexeme.name = g_strndup (text + start, i - start);
  g_array_append_val (lexed->lexemes, lexeme);
  return TRUE;
}

gboolean
_fraise_lex_description (const char *description, FraiseLexed *lexed, GError **error)
{
  gsize pos = 0;

  lexed_init (lexed, g_strdup (description));
  if (!check_utf8 (lexed, error))
    goto fail;
  while (pos < lexed->len)
    {
      char c = lexed->text[pos];

      if (g_ascii_isspace (c))
        pos++;
      else if (c == '!')
        append_link (lexed, pos++);
      else if (!lex_word (lexed, &pos, error))
        goto fail;
    }
  return TRUE;

fail:
  _fraise_lexed_clear (lexed);
  return FALSE;
}

/* ---- argv ------------------------------------------------------------------ */

static gboolean
lex_argument (FraiseLexed *lexed, const char *argument, gsize offset, GError **error)
{
  const char *equals = strchr (argument, '=');
  g_autofree char *name = NULL;
  FraiseLexeme lexeme = { 0 };
  gsize len;

  if (strcmp (argument, "!") == 0)
    {
      append_link (lexed, offset);
      return TRUE;
    }
  if (_fraise_parse_is_name (argument))
    {
      append_word (lexed, offset, argument, strlen (argument));
      return TRUE;
    }
  if (equals != NULL)
    name = g_strndup (argument, equals - argument);
  if (name == NULL || !_fraise_parse_is_name (name))
    {
      g_propagate_error (
        error,
        _fraise_parse_error_new (
          FRAISE_PARSE_ERROR_SYNTAX, lexed->text, lexed->len, offset,
          _("expected an element name, \"!\" or property=value as one argument, got \"%s\""),
             argument));
      return FALSE;
    }
  lexeme.kind = FRAISE_LEXEME_PROPERTY;
  lexeme.offset = offset;
  lexeme.name = g_steal_pointer (&name);
  lexeme.value = g_strdup (equals + 1);
  lexeme.value_len = strlen (lexeme.value);
  len = lexeme.value_len;
  lexeme.value_map = g_new (gsize, len + 1);
  for (gsize i = 0; i <= len; i++)
    lexeme.value_map[i] = offset + (equals + 1 - argument) + i;
  g_array_append_val (lexed->lexemes, lexeme);
  return TRUE;
}

gboolean
_fraise_lex_argv (const char *const *argv, FraiseLexed *lexed, GError **error)
{
  g_autofree gsize *offsets = g_new (gsize, g_strv_length ((char **) argv) + 1);
  GString *joined = g_string_new (NULL);

  for (gsize i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      offsets[i] = joined->len;
      g_string_append (joined, argv[i]);
    }
  lexed_init (lexed, g_string_free (joined, FALSE));
  if (!check_utf8 (lexed, error))
    goto fail;
  for (gsize i = 0; argv[i] != NULL; i++)
    if (!lex_argument (lexed, argv[i], offsets[i], error))
      goto fail;
  return TRUE;

fail:
  _fraise_lexed_clear (lexed);
  return FALSE;
}
