/* fraise-expr-sql.c: the push-down compiler of filter expressions (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See fraise-expr-sql-private.h for why the split is exact, and
 * fraise-sql-json.c for why each SQL form is.
 */

#include "fraise-expr-sql-private.h"

static const char *const regex_reason =
  N_("regular expressions (GRegex) have no exact SQL form: PostgreSQL's are another dialect");

static gboolean
compile_compare (GString *out,
                 const FraiseExprNode *node,
                 gboolean negated,
                 const FraiseSqlJsonPath *path,
                 FraiseExprConjunct *hints,
                 const char **reason)
{
  const FraiseExprLiteral *lit = node->n_values > 0 ? &node->values[0] : NULL;

  switch (node->op)
    {
    case FRAISE_EXPR_OP_EQ:
    case FRAISE_EXPR_OP_NE:
      /* a != v is TRUE where a == v is FALSE: its negation */
      if (!fraise_sql_json_equals_any (out, path, lit, 1,
                                       negated != (node->op == FRAISE_EXPR_OP_NE), reason))
        return FALSE;
      hints->containment |=
        fraise_sql_json_path_is_keys (path) && negated == (node->op == FRAISE_EXPR_OP_NE);
      return TRUE;
    case FRAISE_EXPR_OP_IN:
      if (!fraise_sql_json_equals_any (out, path, node->values, node->n_values, negated, reason))
        return FALSE;
      hints->containment |= fraise_sql_json_path_is_keys (path) && !negated && node->n_values > 0;
      return TRUE;
    case FRAISE_EXPR_OP_CONTAINS:
      if (!fraise_sql_json_contains (out, path, lit, negated, reason))
        return FALSE;
      hints->containment |= fraise_sql_json_path_is_keys (path) && !negated;
      return TRUE;
    case FRAISE_EXPR_OP_MATCH:
      *reason = regex_reason;
      return FALSE;
    default:
      if (!fraise_sql_json_order (out, path, (FraiseSqlOrder) (node->op - FRAISE_EXPR_OP_LT), lit,
                                  negated, reason))
        return FALSE;
      if (hints->order_key == NULL && !negated &&
          (lit->type == FRAISE_JSON_TYPE_NUMBER || lit->type == FRAISE_JSON_TYPE_STRING))
        hints->order_key = fraise_sql_json_order_key (path, lit->type);
      return TRUE;
    }
}

gboolean
_fraise_expr_compile_node (GString *out,
                           const FraiseExprNode *node,
                           gboolean negated,
                           const char *base,
                           FraiseExprConjunct *hints,
                           const char **reason)
{
  FraiseSqlJsonPath path = { base, node->path.steps, node->path.n_steps };
  gsize start = out->len;
  gboolean conjunction;

  switch (node->kind)
    {
    case FRAISE_EXPR_NODE_NOT:
      return _fraise_expr_compile_node (out, node->children[0], !negated, base, hints, reason);
    case FRAISE_EXPR_NODE_AND:
    case FRAISE_EXPR_NODE_OR:
      /* De Morgan: a negated AND is an OR of negations. */
      conjunction = (node->kind == FRAISE_EXPR_NODE_AND) != negated;
      g_string_append_c (out, '(');
      for (gsize i = 0; i < node->n_children; i++)
        {
          if (i > 0)
            g_string_append (out, conjunction ? " AND " : " OR ");
          if (!_fraise_expr_compile_node (out, node->children[i], negated, base, hints, reason))
            {
              g_string_truncate (out, start);
              return FALSE;
            }
        }
      g_string_append_c (out, ')');
      return TRUE;
    case FRAISE_EXPR_NODE_EXISTS:
      return fraise_sql_json_exists (out, &path, negated, reason);
    case FRAISE_EXPR_NODE_TEST:
      if (!fraise_sql_json_is_true (out, &path, negated, reason))
        return FALSE;
      hints->containment |= fraise_sql_json_path_is_keys (&path) && !negated;
      return TRUE;
    default:
      return compile_compare (out, node, negated, &path, hints, reason);
    }
}

/* The top-level conjuncts of @node (negated when @negated). */
static void
collect (GArray *conjuncts, const FraiseExprNode *node, gboolean negated)
{
  if ((node->kind == FRAISE_EXPR_NODE_AND && !negated) ||
      (node->kind == FRAISE_EXPR_NODE_OR && negated))
    {
      for (gsize i = 0; i < node->n_children; i++)
        collect (conjuncts, node->children[i], negated);
    }
  else if (node->kind == FRAISE_EXPR_NODE_NOT)
    collect (conjuncts, node->children[0], !negated);
  else
    {
      FraiseExprConjunct conjunct = { node, negated, NULL, NULL, FALSE, NULL };

      g_array_append_val (conjuncts, conjunct);
    }
}

static void
conjunct_clear (FraiseExprConjunct *conjunct)
{
  g_free (conjunct->sql);
  g_free (conjunct->order_key);
}

FraiseExprPushdown *
_fraise_expr_pushdown_new (FraiseExpr *expr, const char *base)
{
  FraiseExprPushdown *pushdown = g_new0 (FraiseExprPushdown, 1);

  pushdown->expr = fraise_expr_ref (expr);
  pushdown->conjuncts = g_array_new (FALSE, FALSE, sizeof (FraiseExprConjunct));
  g_array_set_clear_func (pushdown->conjuncts, (GDestroyNotify) conjunct_clear);
  collect (pushdown->conjuncts, expr->root, FALSE);
  for (guint i = 0; i < pushdown->conjuncts->len; i++)
    {
      FraiseExprConjunct *c = &g_array_index (pushdown->conjuncts, FraiseExprConjunct, i);
      g_autoptr (GString) sql = g_string_new (NULL);

      if (_fraise_expr_compile_node (sql, c->node, c->negated, base, c, &c->reason))
        {
          c->sql = g_string_free (g_steal_pointer (&sql), FALSE);
          pushdown->n_pushed++;
        }
      else
        {
          c->containment = FALSE;
          g_clear_pointer (&c->order_key, g_free);
        }
    }
  return pushdown;
}

void
_fraise_expr_pushdown_free (FraiseExprPushdown *pushdown)
{
  if (pushdown == NULL)
    return;
  g_array_unref (pushdown->conjuncts);
  fraise_expr_unref (pushdown->expr);
  g_free (pushdown);
}

char *
_fraise_expr_pushdown_where (const FraiseExprPushdown *pushdown)
{
  GString *out;

  if (pushdown->n_pushed == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < pushdown->conjuncts->len; i++)
    {
      const FraiseExprConjunct *c = &g_array_index (pushdown->conjuncts, FraiseExprConjunct, i);

      if (c->sql == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, " AND ");
      g_string_append (out, c->sql);
    }
  return g_string_free (out, FALSE);
}

FraiseTruth
_fraise_expr_pushdown_evaluate_residual (const FraiseExprPushdown *pushdown,
                                         const char *json,
                                         gsize len,
                                         GError **error)
{
  FraiseTruth result = FRAISE_TRUTH_TRUE;

  for (guint i = 0; i < pushdown->conjuncts->len; i++)
    {
      const FraiseExprConjunct *c = &g_array_index (pushdown->conjuncts, FraiseExprConjunct, i);
      GError *local_error = NULL;
      FraiseTruth t;

      if (c->sql != NULL)
        continue;
      t = _fraise_expr_evaluate_node (c->node, json, len, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FRAISE_TRUTH_UNKNOWN;
        }
      if (c->negated && t != FRAISE_TRUTH_UNKNOWN)
        t = t == FRAISE_TRUTH_TRUE ? FRAISE_TRUTH_FALSE : FRAISE_TRUTH_TRUE;
      if (t == FRAISE_TRUTH_FALSE)
        return FRAISE_TRUTH_FALSE;
      if (t == FRAISE_TRUTH_UNKNOWN)
        result = FRAISE_TRUTH_UNKNOWN;
    }
  return result;
}
