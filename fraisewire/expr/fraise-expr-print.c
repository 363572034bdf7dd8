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
print_string (GString *out, const char *s, gsize len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (c == '"' || c == '\\')
        g_string_append_c (out, '\\'), g_string_append_c (out, (char) c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
print_literal (GString *out, const FraiseExprLiteral *lit)
{
  switch (lit->type)
    {
    case FRAISE_JSON_TYPE_NULL:
      g_string_append (out, "null");
      break;
    case FRAISE_JSON_TYPE_BOOLEAN:
      g_string_append (out, lit->boolean ? "true" : "false");
      break;
    case FRAISE_JSON_TYPE_NUMBER:
      g_string_append_len (out, lit->text, (gssize) lit->len);
      break;
    default:
      print_string (out, lit->text, lit->len);
      break;
    }
}

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
          print_literal (out, &node->values[0]);
          break;
        }
      g_string_append_c (out, '[');
      for (gsize i = 0; i < node->n_values; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          print_literal (out, &node->values[i]);
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
