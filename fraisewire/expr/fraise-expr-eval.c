/* fraise-expr-eval.c: the client-side evaluator of filter expressions (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reads only the values the expression names, each with one lookup of the
 * row's path scanner (fraise_json_lookup_steps()): no JsonNode, no copy of
 * a string that has no escapes. The semantics (docs/filter.md):
 *
 * - a comparison on a missing path is UNKNOWN; `exists` is never UNKNOWN;
 * - values of different JSON types are never equal and never ordered
 *   (`!=` is the negation of `==` on a present value, so it is TRUE there);
 * - `<`, `<=`, `>`, `>=` order numbers (exact decimals) and strings (by
 *   code point: UTF-8 byte order), and are FALSE on other types;
 * - AND, OR and NOT are Kleene's; evaluation goes left to right and stops
 *   once the result is known, so it reads no more of the row than needed.
 *
 * A row that is not valid JSON where a value had to be read makes the
 * result UNKNOWN with FRAISE_ERROR_JSON.
 */

#include "fraise-expr-tree-private.h"

#include <string.h>

typedef struct {
  const char *json;
  gsize len;
  GString *scratch; /* decoded strings with escapes, made on first use */
  GError **error;
  gboolean failed;
} Eval;

/* A present value, with its string read when it is one. */
typedef struct {
  FraiseJsonValue value;
  const char *str;
  gsize str_len;
} Operand;

static gboolean
failed (Eval *ev, GError *error)
{
  ev->failed = TRUE;
  g_propagate_error (ev->error, error);
  return FALSE;
}

/* TRUE with @out filled when the path exists; FALSE when it does not or
 * after an error (ev->failed). */
static gboolean
lookup (Eval *ev, const FraiseExprPath *path, FraiseJsonValue *out)
{
  GError *error = NULL;

  if (fraise_json_lookup_steps (ev->json, ev->len, path->steps, path->n_steps, 0, out, &error))
    return TRUE;
  if (error != NULL)
    failed (ev, error);
  return FALSE;
}

static gboolean
operand_load (Eval *ev, const FraiseJsonValue *value, Operand *op)
{
  GError *error = NULL;

  op->value = *value;
  op->str = NULL;
  op->str_len = 0;
  if (value->type != FRAISE_JSON_TYPE_STRING)
    return TRUE;
  if (ev->scratch == NULL)
    ev->scratch = g_string_new (NULL);
  if (!fraise_json_value_read_string (ev->json, ev->len, value, ev->scratch, &op->str, &op->str_len,
                                      &error))
    return failed (ev, error);
  return TRUE;
}

static int
compare_strings (const char *a, gsize a_len, const char *b, gsize b_len)
{
  int order = memcmp (a, b, MIN (a_len, b_len));

  if (order != 0)
    return order;
  return a_len < b_len ? -1 : a_len > b_len;
}

static gboolean
operand_equals (const Operand *op, const FraiseExprLiteral *lit)
{
  const FraiseJsonValue *v = &op->value;

  if (v->type != lit->type)
    return FALSE;
  switch (v->type)
    {
    case FRAISE_JSON_TYPE_NULL:
      return TRUE;
    case FRAISE_JSON_TYPE_BOOLEAN:
      return (v->start[0] == 't') == lit->boolean;
    case FRAISE_JSON_TYPE_NUMBER:
      return fraise_json_number_compare (v->start, v->len, lit->text, lit->len) == 0;
    case FRAISE_JSON_TYPE_STRING:
      return op->str_len == lit->len && memcmp (op->str, lit->text, lit->len) == 0;
    default:
      return FALSE; /* containers: literals are scalars */
    }
}

static FraiseTruth
truth (gboolean b)
{
  return b ? FRAISE_TRUTH_TRUE : FRAISE_TRUTH_FALSE;
}

static FraiseTruth
eval_order (const Operand *op, const FraiseExprNode *node)
{
  const FraiseExprLiteral *lit = &node->values[0];
  int order;

  if (op->value.type != lit->type)
    return FRAISE_TRUTH_FALSE;
  if (lit->type == FRAISE_JSON_TYPE_NUMBER)
    order = fraise_json_number_compare (op->value.start, op->value.len, lit->text, lit->len);
  else if (lit->type == FRAISE_JSON_TYPE_STRING)
    order = compare_strings (op->str, op->str_len, lit->text, lit->len);
  else
    return FRAISE_TRUTH_FALSE;

  switch (node->op)
    {
    case FRAISE_EXPR_OP_LT:
      return truth (order < 0);
    case FRAISE_EXPR_OP_LE:
      return truth (order <= 0);
    case FRAISE_EXPR_OP_GT:
      return truth (order > 0);
    default:
      return truth (order >= 0);
    }
}

/* An array holds an element equal to the literal (elements that are
 * containers are never equal to a scalar). */
static FraiseTruth
array_contains (Eval *ev, const FraiseJsonValue *array, const FraiseExprLiteral *lit)
{
  FraiseJsonArrayIter iter;
  FraiseJsonValue element;
  GError *error = NULL;

  fraise_json_array_iter_init (&iter, ev->json, ev->len, array);
  while (fraise_json_array_iter_next (&iter, &element, &error))
    {
      Operand op;

      if (element.type != lit->type)
        continue;
      if (!operand_load (ev, &element, &op))
        return FRAISE_TRUTH_UNKNOWN;
      if (operand_equals (&op, lit))
        return FRAISE_TRUTH_TRUE;
    }
  if (error != NULL)
    return failed (ev, error), FRAISE_TRUTH_UNKNOWN;
  return FRAISE_TRUTH_FALSE;
}

static FraiseTruth
eval_contains (Eval *ev, const Operand *op, const FraiseExprLiteral *lit)
{
  if (op->value.type == FRAISE_JSON_TYPE_ARRAY)
    return array_contains (ev, &op->value, lit);
  if (op->value.type == FRAISE_JSON_TYPE_STRING && lit->type == FRAISE_JSON_TYPE_STRING)
    {
      /* Neither holds a NUL, and a UTF-8 needle can only match at a
       * character boundary: byte search is code point search. */
      if (lit->len == 0)
        return FRAISE_TRUTH_TRUE;
      if (lit->len > op->str_len)
        return FRAISE_TRUTH_FALSE;
      return truth (g_strstr_len (op->str, (gssize) op->str_len, lit->text) != NULL);
    }
  return FRAISE_TRUTH_FALSE;
}

static FraiseTruth
eval_match (const Operand *op, const GRegex *regex)
{
  g_autoptr (GError) error = NULL;
  gboolean matched;

  if (op->value.type != FRAISE_JSON_TYPE_STRING)
    return FRAISE_TRUTH_FALSE;
  matched = g_regex_match_full (regex, op->str, (gssize) op->str_len, 0, G_REGEX_MATCH_DEFAULT,
                                NULL, &error);
  /* PCRE gives up past its match limit (catastrophic backtracking): the
   * answer is not known. */
  if (error != NULL)
    return FRAISE_TRUTH_UNKNOWN;
  return truth (matched);
}

static FraiseTruth
eval_compare (Eval *ev, const FraiseExprNode *node)
{
  FraiseJsonValue value;
  Operand op;

  if (!lookup (ev, &node->path, &value))
    return FRAISE_TRUTH_UNKNOWN; /* missing, or failed */
  if (node->op == FRAISE_EXPR_OP_CONTAINS && value.type == FRAISE_JSON_TYPE_ARRAY)
    return array_contains (ev, &value, &node->values[0]);
  if (!operand_load (ev, &value, &op))
    return FRAISE_TRUTH_UNKNOWN;
  switch (node->op)
    {
    case FRAISE_EXPR_OP_EQ:
      return truth (operand_equals (&op, &node->values[0]));
    case FRAISE_EXPR_OP_NE:
      return truth (!operand_equals (&op, &node->values[0]));
    case FRAISE_EXPR_OP_IN:
      for (gsize i = 0; i < node->n_values; i++)
        if (operand_equals (&op, &node->values[i]))
          return FRAISE_TRUTH_TRUE;
      return FRAISE_TRUTH_FALSE;
    case FRAISE_EXPR_OP_MATCH:
      return eval_match (&op, node->regex);
    case FRAISE_EXPR_OP_CONTAINS:
      return eval_contains (ev, &op, &node->values[0]);
    default:
      return eval_order (&op, node);
    }
}

static FraiseTruth eval_node (Eval *ev, const FraiseExprNode *node);

/* Kleene AND (@dominant FALSE) or OR (@dominant TRUE). */
static FraiseTruth
eval_chain (Eval *ev, const FraiseExprNode *node, FraiseTruth dominant)
{
  FraiseTruth result = dominant == FRAISE_TRUTH_FALSE ? FRAISE_TRUTH_TRUE : FRAISE_TRUTH_FALSE;

  for (gsize i = 0; i < node->n_children; i++)
    {
      FraiseTruth t = eval_node (ev, node->children[i]);

      if (ev->failed)
        return FRAISE_TRUTH_UNKNOWN;
      if (t == dominant)
        return dominant;
      if (t == FRAISE_TRUTH_UNKNOWN)
        result = FRAISE_TRUTH_UNKNOWN;
    }
  return result;
}

static FraiseTruth
eval_node (Eval *ev, const FraiseExprNode *node)
{
  FraiseJsonValue value;
  FraiseTruth t;

  switch (node->kind)
    {
    case FRAISE_EXPR_NODE_AND:
      return eval_chain (ev, node, FRAISE_TRUTH_FALSE);
    case FRAISE_EXPR_NODE_OR:
      return eval_chain (ev, node, FRAISE_TRUTH_TRUE);
    case FRAISE_EXPR_NODE_NOT:
      t = eval_node (ev, node->children[0]);
      if (ev->failed || t == FRAISE_TRUTH_UNKNOWN)
        return FRAISE_TRUTH_UNKNOWN;
      return t == FRAISE_TRUTH_TRUE ? FRAISE_TRUTH_FALSE : FRAISE_TRUTH_TRUE;
    case FRAISE_EXPR_NODE_EXISTS:
      if (lookup (ev, &node->path, &value))
        return FRAISE_TRUTH_TRUE;
      return ev->failed ? FRAISE_TRUTH_UNKNOWN : FRAISE_TRUTH_FALSE;
    case FRAISE_EXPR_NODE_TEST:
      if (!lookup (ev, &node->path, &value))
        return FRAISE_TRUTH_UNKNOWN;
      return truth (value.type == FRAISE_JSON_TYPE_BOOLEAN && value.start[0] == 't');
    default:
      return eval_compare (ev, node);
    }
}

FraiseTruth
_fraise_expr_evaluate_node (const FraiseExprNode *node, const char *json, gsize len, GError **error)
{
  Eval ev = { json != NULL ? json : "", len, NULL, error, FALSE };
  FraiseTruth t;

  t = eval_node (&ev, node);
  if (ev.scratch != NULL)
    g_string_free (ev.scratch, TRUE);
  return ev.failed ? FRAISE_TRUTH_UNKNOWN : t;
}

FraiseTruth
fraise_expr_evaluate (const FraiseExpr *expr, const char *json, gsize len, GError **error)
{
  g_return_val_if_fail (expr != NULL, FRAISE_TRUTH_UNKNOWN);
  g_return_val_if_fail (json != NULL || len == 0, FRAISE_TRUTH_UNKNOWN);
  g_return_val_if_fail (error == NULL || *error == NULL, FRAISE_TRUTH_UNKNOWN);

  return _fraise_expr_evaluate_node (expr->root, json, len, error);
}
