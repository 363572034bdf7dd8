/* fraise-expr-tree-private.h: the parsed filter expression (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The tree that fraise_expr_parse() builds and that every back end reads:
 * the client-side evaluator (fraise-expr-eval.c) and the SQL compiler of
 * push-down. It is immutable once parsed. Literals are kept as the
 * language defines them (decoded strings, number texts as written), paths
 * as decoded steps, and every node remembers its byte offset in the text so
 * a back end can point at the part it cannot handle.
 */

#pragma once

#include "fraise-expr-private.h"
#include "fraise-json-private.h"
#include "fraise-sql-json-private.h"

G_BEGIN_DECLS

/* Parentheses and '!' nested deeper than this are a parse error, so that
 * the recursive parser, evaluator and compiler have a bounded stack. */
#define FRAISE_EXPR_MAX_DEPTH 200

typedef enum {
  FRAISE_EXPR_NODE_AND,     /* children, Kleene AND */
  FRAISE_EXPR_NODE_OR,      /* children, Kleene OR */
  FRAISE_EXPR_NODE_NOT,     /* children[0] */
  FRAISE_EXPR_NODE_EXISTS,  /* path: TRUE or FALSE, never UNKNOWN */
  FRAISE_EXPR_NODE_TEST,    /* a path alone: its value is JSON true */
  FRAISE_EXPR_NODE_COMPARE, /* path op values */
} FraiseExprNodeKind;

typedef enum {
  FRAISE_EXPR_OP_EQ,
  FRAISE_EXPR_OP_NE,
  FRAISE_EXPR_OP_LT,
  FRAISE_EXPR_OP_LE,
  FRAISE_EXPR_OP_GT,
  FRAISE_EXPR_OP_GE,
  FRAISE_EXPR_OP_IN,       /* values: the list (possibly empty) */
  FRAISE_EXPR_OP_MATCH,    /* values[0]: the pattern; regex compiled */
  FRAISE_EXPR_OP_CONTAINS, /* values[0] */
} FraiseExprOp;

/* A scalar literal: null, a boolean, a number (its JSON text) or a string
 * (decoded UTF-8, without U+0000): the SQL builder's scalar, so that the
 * push-down compiler hands literals to it as they are. */
typedef FraiseSqlScalar FraiseExprLiteral;

typedef struct {
  FraiseJsonStep *steps; /* keys decoded, owned by the node */
  gsize n_steps;
  char *text; /* as written in the expression, for messages */
} FraiseExprPath;

typedef struct _FraiseExprNode FraiseExprNode;

struct _FraiseExprNode {
  FraiseExprNodeKind kind;
  gsize offset; /* where it starts in the text, in bytes */
  /* AND, OR, NOT */
  FraiseExprNode **children;
  gsize n_children;
  /* EXISTS, TEST, COMPARE */
  FraiseExprPath path;
  /* COMPARE */
  FraiseExprOp op;
  FraiseExprLiteral *values;
  gsize n_values;
  GRegex *regex;
};

struct _FraiseExpr {
  char *text;
  FraiseExprNode *root;
};

/* The parser (fraise-expr-parse.c): the tree of @text, or NULL with @error. */
FraiseExprNode *_fraise_expr_parse_tree (const char *text, GError **error);
void _fraise_expr_node_free (FraiseExprNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseExprNode, _fraise_expr_node_free)

/* Evaluates one node of a parsed tree on @json, as fraise_expr_evaluate()
 * evaluates the root. */
FraiseTruth _fraise_expr_evaluate_node (const FraiseExprNode *node,
                                        const char *json,
                                        gsize len,
                                        GError **error);

/* The operator as written ("==", "in", ...). */
const char *_fraise_expr_op_to_string (FraiseExprOp op);

G_END_DECLS
