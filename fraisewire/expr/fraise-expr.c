/* fraise-expr.c: the parsed filter expression, shared and immutable (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See fraise-expr-private.h for the contract; the parser is
 * fraise-expr-parse.c, the evaluator fraise-expr-eval.c.
 */

#include "fraise-expr-tree-private.h"

void
_fraise_expr_node_free (FraiseExprNode *node)
{
  if (node == NULL)
    return;
  for (gsize i = 0; i < node->n_children; i++)
    _fraise_expr_node_free (node->children[i]);
  g_free (node->children);
  for (gsize i = 0; i < node->path.n_steps; i++)
    g_free ((char *) node->path.steps[i].key);
  g_free (node->path.steps);
  g_free (node->path.text);
  for (gsize i = 0; i < node->n_values; i++)
    g_free (node->values[i].text);
  g_free (node->values);
  g_clear_pointer (&node->regex, g_regex_unref);
  g_free (node);
}

const char *
_fraise_expr_op_to_string (FraiseExprOp op)
{
  static const char *const names[] = {
    [FRAISE_EXPR_OP_EQ] = "==",
    [FRAISE_EXPR_OP_NE] = "!=",
    [FRAISE_EXPR_OP_LT] = "<",
    [FRAISE_EXPR_OP_LE] = "<=",
    [FRAISE_EXPR_OP_GT] = ">",
    [FRAISE_EXPR_OP_GE] = ">=",
    [FRAISE_EXPR_OP_IN] = "in",
    [FRAISE_EXPR_OP_MATCH] = "=~",
    [FRAISE_EXPR_OP_CONTAINS] = "contains",
  };

  return (guint) op < G_N_ELEMENTS (names) ? names[op] : "?";
}

FraiseExpr *
fraise_expr_parse (const char *text, GError **error)
{
  FraiseExprNode *root;
  FraiseExpr *expr;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _fraise_ensure_i18n ();
  if ((root = _fraise_expr_parse_tree (text, error)) == NULL)
    return NULL;
  expr = g_atomic_rc_box_new0 (FraiseExpr);
  expr->text = g_strdup (text);
  expr->root = root;
  return expr;
}

FraiseExpr *
fraise_expr_ref (FraiseExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);

  return g_atomic_rc_box_acquire (expr);
}

static void
expr_clear (gpointer data)
{
  FraiseExpr *expr = data;

  g_free (expr->text);
  _fraise_expr_node_free (expr->root);
}

void
fraise_expr_unref (FraiseExpr *expr)
{
  g_return_if_fail (expr != NULL);

  g_atomic_rc_box_release_full (expr, expr_clear);
}

const char *
fraise_expr_get_text (const FraiseExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);

  return expr->text;
}
