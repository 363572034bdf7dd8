/* fraise-expr-parse.c: the parser of the filter language (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Grammar (docs/filter.md), by increasing precedence:
 *
 *   or      := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | primary
 *   primary := '(' or ')' | 'exists' path | path [compare]
 *   compare := ('=='|'!='|'<'|'<='|'>'|'>=') literal | 'in' list
 *            | '=~' string | 'contains' literal
 *   path    := (name | string | '[' index ']') ('.' (name | string) | '[' index ']')*
 *
 * '!' binds tighter than a comparison, so "!a == 1" would compare a truth
 * value with a number: it is refused with a hint to write "!(a == 1)".
 * AND and OR are n-ary nodes (a long chain is flat, not deep), and nesting
 * by parentheses or '!' is limited to FRAISE_EXPR_MAX_DEPTH, so no input
 * can exhaust the stack of the parser or of the tree's users.
 */

#include "fraise-expr-lex-private.h"
#include "fraise-expr-tree-private.h"

#include <string.h>

typedef struct {
  FraiseExprLexer lx;
  guint depth;
} Parser;

static FraiseExprNode *parse_or (Parser *p);

static gboolean fail (Parser *p, gsize offset, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Parser *p, gsize offset, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  return _fraise_expr_lexer_fail (&p->lx, FRAISE_PARSE_ERROR_SYNTAX, offset, "%s", reason);
}

static gboolean
advance (Parser *p)
{
  return _fraise_expr_lexer_next (&p->lx);
}

static const FraiseExprToken *
tok (Parser *p)
{
  return &p->lx.tok;
}

static gboolean
is_keyword (Parser *p)
{
  static const char *const keywords[] = { "exists", "in", "contains", "true", "false", "null" };

  for (gsize i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (_fraise_expr_token_is_word (&p->lx, keywords[i]))
      return TRUE;
  return FALSE;
}

static FraiseExprNode *
node_new (FraiseExprNodeKind kind, gsize offset)
{
  FraiseExprNode *node = g_new0 (FraiseExprNode, 1);

  node->kind = kind;
  node->offset = offset;
  return node;
}

/* ---- paths ------------------------------------------------------------------- */

static gboolean
parse_index (Parser *p, gsize *index)
{
  const FraiseExprToken *t;
  gsize v = 0;

  if (!advance (p)) /* past '[' */
    return FALSE;
  t = tok (p);
  if (t->kind != FRAISE_EXPR_TOK_NUMBER || p->lx.text[t->start] == '-' ||
      strspn (p->lx.text + t->start, "0123456789") != t->end - t->start)
    return fail (p, t->start, _("expected an array index like [0]"));
  for (gsize i = t->start; i < t->end; i++)
    {
      if (v > (G_MAXSIZE - 9) / 10)
        return _fraise_expr_lexer_fail (&p->lx, FRAISE_PARSE_ERROR_BAD_VALUE, t->start,
                                        _("array index too large"));
      v = v * 10 + (gsize) (p->lx.text[i] - '0');
    }
  if (!advance (p))
    return FALSE;
  if (tok (p)->kind != FRAISE_EXPR_TOK_RBRACKET)
    return fail (p, tok (p)->start, _("expected \"]\" after an array index"));
  *index = v;
  return advance (p);
}

/* Appends the key of the current token (a name or a string). */
static void
take_key (Parser *p, GArray *steps)
{
  FraiseExprToken *t = &p->lx.tok;
  FraiseJsonStep step = { 0 };

  if (t->kind == FRAISE_EXPR_TOK_STRING)
    {
      step.key_len = t->string_len;
      step.key = g_steal_pointer (&t->string);
    }
  else
    {
      step.key_len = t->end - t->start;
      step.key = g_strndup (p->lx.text + t->start, step.key_len);
    }
  g_array_append_val (steps, step);
}

static void
steps_free (FraiseJsonStep *steps, gsize n)
{
  for (gsize i = 0; i < n; i++)
    g_free ((char *) steps[i].key);
  g_free (steps);
}

static gboolean
parse_path_steps (Parser *p, GArray *steps)
{
  FraiseJsonStep step = { 0 };

  if (tok (p)->kind == FRAISE_EXPR_TOK_LBRACKET)
    {
      if (!parse_index (p, &step.index))
        return FALSE;
      g_array_append_val (steps, step);
    }
  else
    {
      take_key (p, steps);
      if (!advance (p))
        return FALSE;
    }
  for (;;)
    {
      if (tok (p)->kind == FRAISE_EXPR_TOK_LBRACKET)
        {
          if (!parse_index (p, &step.index))
            return FALSE;
          g_array_append_val (steps, step);
          continue;
        }
      if (tok (p)->kind != FRAISE_EXPR_TOK_DOT)
        return TRUE;
      if (!advance (p))
        return FALSE;
      if (tok (p)->kind != FRAISE_EXPR_TOK_WORD && tok (p)->kind != FRAISE_EXPR_TOK_STRING)
        return fail (p, tok (p)->start,
                     _("expected a key after \".\" (quote a key that is not a name: \"2024\")"));
      take_key (p, steps);
      if (!advance (p))
        return FALSE;
    }
}

/* The current token starts a path (a name that is not a keyword, a string
 * or '['). */
static gboolean
parse_path (Parser *p, FraiseExprPath *path)
{
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (FraiseJsonStep));
  gsize start = tok (p)->start, end;
  gboolean ok = parse_path_steps (p, steps);

  path->n_steps = steps->len;
  path->steps = (FraiseJsonStep *) g_array_free (steps, FALSE);
  if (!ok)
    {
      steps_free (path->steps, path->n_steps);
      path->steps = NULL;
      path->n_steps = 0;
      return FALSE;
    }
  /* The text up to the last token of the path. */
  end = start;
  for (gsize i = start; i < tok (p)->start; i++)
    if (p->lx.text[i] != ' ' && p->lx.text[i] != '\t' && p->lx.text[i] != '\n' &&
        p->lx.text[i] != '\r')
      end = i + 1;
  path->text = g_strndup (p->lx.text + start, end - start);
  return TRUE;
}

static gboolean
starts_path (Parser *p)
{
  FraiseExprTokenKind kind = tok (p)->kind;

  return kind == FRAISE_EXPR_TOK_STRING || kind == FRAISE_EXPR_TOK_LBRACKET ||
         (kind == FRAISE_EXPR_TOK_WORD && !is_keyword (p));
}

/* ---- literals and comparisons ------------------------------------------------- */

/* Reads a literal at the current token; FALSE (no error set) when the token
 * is not one. */
static gboolean
take_literal (Parser *p, FraiseExprLiteral *lit)
{
  FraiseExprToken *t = &p->lx.tok;

  memset (lit, 0, sizeof *lit);
  switch (t->kind)
    {
    case FRAISE_EXPR_TOK_STRING:
      lit->type = FRAISE_JSON_TYPE_STRING;
      lit->len = t->string_len;
      lit->text = g_steal_pointer (&t->string);
      return TRUE;
    case FRAISE_EXPR_TOK_NUMBER:
      lit->type = FRAISE_JSON_TYPE_NUMBER;
      lit->len = t->end - t->start;
      lit->text = g_strndup (p->lx.text + t->start, lit->len);
      return TRUE;
    default:
      break;
    }
  if (_fraise_expr_token_is_word (&p->lx, "null"))
    lit->type = FRAISE_JSON_TYPE_NULL;
  else if (_fraise_expr_token_is_word (&p->lx, "true") ||
           _fraise_expr_token_is_word (&p->lx, "false"))
    {
      lit->type = FRAISE_JSON_TYPE_BOOLEAN;
      lit->boolean = p->lx.text[t->start] == 't';
    }
  else
    return FALSE;
  return TRUE;
}

static void
append_value (FraiseExprNode *node, const FraiseExprLiteral *lit)
{
  node->values = g_renew (FraiseExprLiteral, node->values, node->n_values + 1);
  node->values[node->n_values++] = *lit;
}

static gboolean
parse_value (Parser *p, FraiseExprNode *node, const char *after)
{
  FraiseExprLiteral lit;

  if (tok (p)->kind == FRAISE_EXPR_TOK_LBRACKET)
    return fail (p, tok (p)->start, _("a list is only allowed after \"in\""));
  if (!take_literal (p, &lit))
    return fail (p, tok (p)->start, _("expected a value after \"%s\""), after);
  append_value (node, &lit);
  if ((node->op == FRAISE_EXPR_OP_LT || node->op == FRAISE_EXPR_OP_LE ||
       node->op == FRAISE_EXPR_OP_GT || node->op == FRAISE_EXPR_OP_GE) &&
      lit.type != FRAISE_JSON_TYPE_NUMBER && lit.type != FRAISE_JSON_TYPE_STRING)
    return _fraise_expr_lexer_fail (&p->lx, FRAISE_PARSE_ERROR_BAD_VALUE, tok (p)->start,
                                    _("\"%s\" orders numbers and strings only"), after);
  return advance (p);
}

static gboolean
parse_list (Parser *p, FraiseExprNode *node)
{
  FraiseExprLiteral lit;

  if (tok (p)->kind != FRAISE_EXPR_TOK_LBRACKET)
    return fail (p, tok (p)->start, _("expected a list like [1, 2] after \"in\""));
  if (!advance (p))
    return FALSE;
  if (tok (p)->kind == FRAISE_EXPR_TOK_RBRACKET)
    return advance (p);
  for (;;)
    {
      if (!take_literal (p, &lit))
        return fail (p, tok (p)->start, _("expected a value in the list"));
      append_value (node, &lit);
      if (!advance (p))
        return FALSE;
      if (tok (p)->kind == FRAISE_EXPR_TOK_RBRACKET)
        return advance (p);
      if (tok (p)->kind != FRAISE_EXPR_TOK_COMMA)
        return fail (p, tok (p)->start, _("expected \",\" or \"]\" in the list"));
      if (!advance (p))
        return FALSE;
    }
}

static gboolean
parse_regex (Parser *p, FraiseExprNode *node)
{
  g_autoptr (GError) regex_error = NULL;
  gsize at = tok (p)->start;
  FraiseExprLiteral lit;

  if (tok (p)->kind != FRAISE_EXPR_TOK_STRING)
    return fail (p, at, _("expected a regular expression in a string after \"=~\""));
  take_literal (p, &lit);
  append_value (node, &lit);
  /* Compiled once here; GRegex matches in UTF-8 mode. */
  node->regex = g_regex_new (lit.text, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, &regex_error);
  if (node->regex == NULL)
    return _fraise_expr_lexer_fail (&p->lx, FRAISE_PARSE_ERROR_BAD_VALUE, at,
                                    _("invalid regular expression: %s"), regex_error->message);
  return advance (p);
}

static const struct {
  FraiseExprTokenKind token;
  FraiseExprOp op;
} comparisons[] = {
  { FRAISE_EXPR_TOK_EQ, FRAISE_EXPR_OP_EQ }, { FRAISE_EXPR_TOK_NE, FRAISE_EXPR_OP_NE },
  { FRAISE_EXPR_TOK_LT, FRAISE_EXPR_OP_LT }, { FRAISE_EXPR_TOK_LE, FRAISE_EXPR_OP_LE },
  { FRAISE_EXPR_TOK_GT, FRAISE_EXPR_OP_GT }, { FRAISE_EXPR_TOK_GE, FRAISE_EXPR_OP_GE },
};

/* Whether the current token is an operator that follows a path. */
static gboolean
at_comparison (Parser *p, FraiseExprOp *op)
{
  for (gsize i = 0; i < G_N_ELEMENTS (comparisons); i++)
    if (tok (p)->kind == comparisons[i].token)
      return *op = comparisons[i].op, TRUE;
  if (tok (p)->kind == FRAISE_EXPR_TOK_MATCH)
    return *op = FRAISE_EXPR_OP_MATCH, TRUE;
  if (_fraise_expr_token_is_word (&p->lx, "in"))
    return *op = FRAISE_EXPR_OP_IN, TRUE;
  if (_fraise_expr_token_is_word (&p->lx, "contains"))
    return *op = FRAISE_EXPR_OP_CONTAINS, TRUE;
  return FALSE;
}

/* A path, then a comparison unless @negated (a comparison there is an error). */
static FraiseExprNode *
parse_comparison (Parser *p, gboolean negated)
{
  g_autoptr (FraiseExprNode) node = node_new (FRAISE_EXPR_NODE_TEST, tok (p)->start);
  gboolean ok;

  if (!parse_path (p, &node->path))
    return NULL;
  if (!at_comparison (p, &node->op))
    return g_steal_pointer (&node);
  if (negated)
    return fail (p, tok (p)->start,
                 _("\"!\" applies to the path alone: write !(%s %s …) to negate a comparison"),
                    node->path.text, _fraise_expr_op_to_string (node->op)),
                 NULL;
  node->kind = FRAISE_EXPR_NODE_COMPARE;
  if (!advance (p))
    return NULL;
  switch (node->op)
    {
    case FRAISE_EXPR_OP_IN:
      ok = parse_list (p, node);
      break;
    case FRAISE_EXPR_OP_MATCH:
      ok = parse_regex (p, node);
      break;
    default:
      ok = parse_value (p, node, _fraise_expr_op_to_string (node->op));
      break;
    }
  return ok ? g_steal_pointer (&node) : NULL;
}

/* ---- logic ------------------------------------------------------------------ */

static gboolean
enter (Parser *p, gsize offset)
{
  if (++p->depth > FRAISE_EXPR_MAX_DEPTH)
    return fail (p, offset,
                 _("the expression nests deeper than %u levels"), (guint) FRAISE_EXPR_MAX_DEPTH);
  return TRUE;
}

static FraiseExprNode *
parse_primary (Parser *p, gboolean negated)
{
  const FraiseExprToken *t = tok (p);
  gsize start = t->start;

  if (t->kind == FRAISE_EXPR_TOK_LPAREN)
    {
      g_autoptr (FraiseExprNode) inner = NULL;

      if (!enter (p, start) || !advance (p) || (inner = parse_or (p)) == NULL)
        return NULL;
      if (tok (p)->kind != FRAISE_EXPR_TOK_RPAREN)
        return fail (p, tok (p)->start,
                     _("expected \")\" to close the \"(\" of column %u"),
                        (guint) g_utf8_strlen (p->lx.text, (gssize) start) + 1),
                     NULL;
      p->depth--;
      return advance (p) ? g_steal_pointer (&inner) : NULL;
    }
  if (_fraise_expr_token_is_word (&p->lx, "exists"))
    {
      g_autoptr (FraiseExprNode) node = node_new (FRAISE_EXPR_NODE_EXISTS, start);

      if (!advance (p))
        return NULL;
      if (!starts_path (p))
        return fail (p, tok (p)->start, _("expected a path after \"exists\"")), NULL;
      return parse_path (p, &node->path) ? g_steal_pointer (&node) : NULL;
    }
  if (starts_path (p))
    return parse_comparison (p, negated);
  if (t->kind == FRAISE_EXPR_TOK_WORD)
    return fail (p, start,
                 _("\"%.*s\" is a keyword: quote it to use it as a key"),
                    (int) (t->end - t->start), p->lx.text + start),
                 NULL;
  if (t->kind == FRAISE_EXPR_TOK_END)
    return fail (
      p, start,
      _("unexpected end of the expression: expected a path, \"(\", \"!\" or \"exists\"")),
      NULL;
  return fail (p, start, _("expected a path, \"(\", \"!\" or \"exists\"")), NULL;
}

static FraiseExprNode *
parse_unary (Parser *p)
{
  g_autoptr (FraiseExprNode) node = NULL;
  FraiseExprNode *child;
  gsize start = tok (p)->start;

  if (tok (p)->kind != FRAISE_EXPR_TOK_NOT)
    return parse_primary (p, FALSE);
  if (!enter (p, start) || !advance (p))
    return NULL;
  child = tok (p)->kind == FRAISE_EXPR_TOK_NOT ? parse_unary (p) : parse_primary (p, TRUE);
  if (child == NULL)
    return NULL;
  p->depth--;
  node = node_new (FRAISE_EXPR_NODE_NOT, start);
  node->children = g_new (FraiseExprNode *, 1);
  node->children[0] = child;
  node->n_children = 1;
  return g_steal_pointer (&node);
}

/* One level of AND or OR: @kind with operator token @op over @operand. */
static FraiseExprNode *
parse_chain (Parser *p,
             FraiseExprNodeKind kind,
             FraiseExprTokenKind op,
             FraiseExprNode *(*operand) (Parser *) )
{
  g_autoptr (GPtrArray) children = NULL;
  FraiseExprNode *first, *node;
  gsize start = tok (p)->start;

  if ((first = operand (p)) == NULL)
    return NULL;
  if (tok (p)->kind != op)
    return first;
  children = g_ptr_array_new_with_free_func ((GDestroyNotify) _fraise_expr_node_free);
  g_ptr_array_add (children, first);
  while (tok (p)->kind == op)
    {
      FraiseExprNode *next;

      if (!advance (p) || (next = operand (p)) == NULL)
        return NULL;
      g_ptr_array_add (children, next);
    }
  node = node_new (kind, start);
  node->n_children = children->len;
  g_ptr_array_set_free_func (children, NULL);
  node->children = (FraiseExprNode **) g_ptr_array_free (g_steal_pointer (&children), FALSE);
  return node;
}

static FraiseExprNode *
parse_and (Parser *p)
{
  return parse_chain (p, FRAISE_EXPR_NODE_AND, FRAISE_EXPR_TOK_AND, parse_unary);
}

static FraiseExprNode *
parse_or (Parser *p)
{
  return parse_chain (p, FRAISE_EXPR_NODE_OR, FRAISE_EXPR_TOK_OR, parse_and);
}

FraiseExprNode *
_fraise_expr_parse_tree (const char *text, GError **error)
{
  g_autoptr (FraiseExprNode) root = NULL;
  Parser p = { 0 };

  if (!_fraise_expr_lexer_init (&p.lx, text, error))
    goto out;
  if (tok (&p)->kind == FRAISE_EXPR_TOK_END)
    {
      fail (&p, 0, _("the expression is empty"));
      goto out;
    }
  if ((root = parse_or (&p)) == NULL)
    goto out;
  if (tok (&p)->kind == FRAISE_EXPR_TOK_RPAREN)
    fail (&p, tok (&p)->start, _("unmatched \")\""));
  else if (tok (&p)->kind != FRAISE_EXPR_TOK_END)
    fail (&p, tok (&p)->start, _("expected \"&&\", \"||\" or the end of the expression"));
out:
  _fraise_expr_token_clear (&p.lx.tok);
  if (error != NULL && *error != NULL)
    return NULL;
  if (p.lx.tok.kind == FRAISE_EXPR_TOK_ERROR || p.lx.tok.kind != FRAISE_EXPR_TOK_END)
    return NULL; /* failed with @error NULL */
  return g_steal_pointer (&root);
}
