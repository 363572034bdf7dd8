/* fraise-expr-lex-private.h: the tokens of the filter language (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

typedef enum {
  FRAISE_EXPR_TOK_NONE, /* before the first token */
  FRAISE_EXPR_TOK_ERROR,
  FRAISE_EXPR_TOK_END,
  FRAISE_EXPR_TOK_LPAREN,
  FRAISE_EXPR_TOK_RPAREN,
  FRAISE_EXPR_TOK_LBRACKET,
  FRAISE_EXPR_TOK_RBRACKET,
  FRAISE_EXPR_TOK_COMMA,
  FRAISE_EXPR_TOK_DOT,
  FRAISE_EXPR_TOK_EQ,
  FRAISE_EXPR_TOK_NE,
  FRAISE_EXPR_TOK_LT,
  FRAISE_EXPR_TOK_LE,
  FRAISE_EXPR_TOK_GT,
  FRAISE_EXPR_TOK_GE,
  FRAISE_EXPR_TOK_MATCH,
  FRAISE_EXPR_TOK_AND,
  FRAISE_EXPR_TOK_OR,
  FRAISE_EXPR_TOK_NOT,
  FRAISE_EXPR_TOK_STRING, /* string: decoded */
  FRAISE_EXPR_TOK_NUMBER, /* the text [start, end) */
  FRAISE_EXPR_TOK_WORD,   /* a name or a keyword, [start, end) */
} FraiseExprTokenKind;

typedef struct {
  FraiseExprTokenKind kind;
  gsize start, end; /* byte offsets in the text */
  char *string;     /* FRAISE_EXPR_TOK_STRING: decoded, owned until stolen */
  gsize string_len;
} FraiseExprToken;

typedef struct {
  const char *text;
  gsize len;
  FraiseExprToken tok; /* the current token */
  GError **error;
} FraiseExprLexer;

/* Checks that @text is UTF-8 and reads the first token. FALSE with @error
 * set (a positioned FRAISE_PARSE_ERROR) on failure. */
gboolean _fraise_expr_lexer_init (FraiseExprLexer *lx, const char *text, GError **error);
/* Reads the next token; FALSE (the token kind ERROR) after an error. */
gboolean _fraise_expr_lexer_next (FraiseExprLexer *lx);
/* Sets a positioned error at @offset (the first one only) and returns FALSE. */
gboolean _fraise_expr_lexer_fail (FraiseExprLexer *lx,
                                  FraiseParseError code,
                                  gsize offset,
                                  const char *format,
                                  ...) G_GNUC_PRINTF (4, 5);
gboolean _fraise_expr_token_is_word (const FraiseExprLexer *lx, const char *word);
void _fraise_expr_token_clear (FraiseExprToken *tok);
gboolean _fraise_expr_is_word_char (guchar c, gboolean first);

G_END_DECLS
