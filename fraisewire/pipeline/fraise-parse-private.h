/* fraise-parse-private.h: the description lexer and property values as text (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The description parser (fraise-parse.c) and its inverse
 * (fraise-describe.c) share two things: the lexer, which turns a whole
 * description or an argv into lexemes that remember where they came from,
 * and the conversion of a property value between its text and its GValue,
 * which must be exact inverses for the canonical text to parse back to an
 * equal pipeline.
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* ---- lexer ----------------------------------------------------------------- */

typedef enum {
  FRAISE_LEXEME_WORD,     /* an element name or the `errors` keyword */
  FRAISE_LEXEME_PROPERTY, /* NAME=VALUE */
  FRAISE_LEXEME_LINK,     /* ! */
} FraiseLexemeKind;

typedef struct {
  FraiseLexemeKind kind;
  gsize offset;    /* of the lexeme's first byte in the text */
  char *name;      /* WORD and PROPERTY */
  char *value;     /* PROPERTY: unquoted and unescaped */
  gsize value_len; /* bytes of @value (it may hold no NUL, but is NUL-terminated) */
  /* PROPERTY: for each byte of @value (and one past its end) the offset in
   * the text it came from, so an error inside a value (a filter expression's)
   * points at the right place whatever quoting it went through. */
  gsize *value_map;
} FraiseLexeme;

typedef struct {
  /* The text positions refer to: the description, or in argv mode the
   * tokens joined with single spaces. */
  char *text;
  gsize len;
  GArray *lexemes; /* of FraiseLexeme */
} FraiseLexed;

/* A property or element name as the lexer reads it. */
gboolean _fraise_parse_is_name_char (char c);
gboolean _fraise_parse_is_name (const char *text);

/* Lexes a whole description. On error returns FALSE with a positioned
 * FRAISE_PARSE_ERROR_SYNTAX; @lexed is then cleared. */
gboolean _fraise_lex_description (const char *description, FraiseLexed *lexed, GError **error);
/* One lexeme per argv element, taken verbatim: "!" links, NAME=VALUE sets a
 * property to VALUE as it is, anything else must be a name. */
gboolean _fraise_lex_argv (const char *const *argv, FraiseLexed *lexed, GError **error);
void _fraise_lexed_clear (FraiseLexed *lexed);

/* ---- property values ------------------------------------------------------- */

/* Whether @pspec's type can be read from text at all (strings, booleans,
 * numbers, enums, flags, string lists; not objects or other boxed types). */
gboolean _fraise_value_type_is_textual (GParamSpec *pspec);

/* Reads @text for @pspec into @value (initialised here). On failure returns
 * FALSE with *@expected set to what the property takes ("0..100", "one of
 * fail, drop, route") and *@suggestion (nullable) to the nearest enum or flag
 * nick; @value is then unset. */
gboolean _fraise_value_from_text (
  GParamSpec *pspec, const char *text, GValue *value, char **expected, char **suggestion);
/* The text _fraise_value_from_text() reads back to an equal value (not
 * quoted for a description: see _fraise_describe_quote()). */
char *_fraise_value_to_text (GParamSpec *pspec, const GValue *value);
/* Equality of two values of @pspec (strings and string lists by content). */
gboolean _fraise_value_equal (GParamSpec *pspec, const GValue *a, const GValue *b);

/* @text as a description value: bare when the lexer reads it back as it
 * is, otherwise double-quoted with `"` and `\` escaped. */
char *_fraise_describe_quote (const char *text);

G_END_DECLS
