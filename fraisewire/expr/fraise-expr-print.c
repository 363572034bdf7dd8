/* fraise-expr-print.c: a parsed expression written back in the filter language
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For `fraise-launch --explain`, which shows the conjuncts left to the
 * client. Paths are written as they were in the expression; every
 * sub-expression is parenthesised, so the text parses back to the same tree.
 */

#include "fraise-expr-sql-private.h"

static void
print_node (GString *out, const FraiseExprNode *node)
{
  switch (node->kind)
    {
    case FRAISE_EXPR_NODE_AND:
    case FRAISE_EXPR_NODE_OR:
      g_string_append_c (out, '(');
      for (gsize i = 0; i < node->n_children; i++)
        {
          if (i > 0)
            g_string_append (out, node->kind == FRAISE_EXPR_NODE_AND ? " && " : " || ");
          print_node (out, node->children[i]);
        }
      g_string_append_c (out, ')');
      break;
    case FRAISE_EXPR_NODE_NOT:
      g_string_append (out, "!(");
      print_node (out, node->children[0]);
      g_string_append_c (out, ')');
      break;
    case FRAISE_EXPR_NODE_EXISTS:
      g_string_append_printf (out, "exists %s", node->path.text);
      break;
    case FRAISE_EXPR_NODE_TEST:
      g_string_append (out, node->path.text);
      break;
    default:
      g_string_append_printf (out, "%s %s ", node->path.text, _fraise_expr_op_to_string (node->op));
      if (node->op != FRAISE_EXPR_OP_IN)
        {
          fraise_sql_json_append_scalar (out, &node->values[0]);
          break;
        }
      g_string_append_c (out, '[');
      for (gsize i = 0; i < node->n_values; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          fraise_sql_json_append_scalar (out, &node->values[i]);
        }
      g_string_append_c (out, ']');
      break;
    }
}

char *
_fraise_expr_conjunct_to_string (const FraiseExprConjunct *conjunct)
{
  GString *out = g_string_new (NULL);

  if (conjunct->negated)
    g_string_append (out, "!(");
  print_node (out, conjunct->node);
  if (conjunct->negated)
    g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}
