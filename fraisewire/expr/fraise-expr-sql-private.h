/* fraise-expr-sql-private.h: a filter expression split into SQL and the rest (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Push-down (docs/filter.md): the expression is normalised, NOT moved down
 * to the comparisons, and its top-level conjuncts are compiled one by one to
 * exact SQL on a jsonb document (fraise-sql-json-private.h). The conjuncts
 * that have no exact form are the residual, evaluated on the client. Why
 * this is exact: after normalisation a conjunct is an AND/OR over
 * comparisons and negated comparisons; under Kleene logic which rows make
 * it TRUE depends only on which of those are TRUE, and each SQL form is true
 * on exactly the rows where its comparison (or negation) is TRUE. A row is
 * kept when every conjunct is TRUE, whichever side evaluates it.
 */

#pragma once

#include "fraise-expr-tree-private.h"

G_BEGIN_DECLS

typedef struct {
  const FraiseExprNode *node; /* in the expression's tree */
  gboolean negated;
  char *sql;            /* NULL: evaluated on the client */
  const char *reason;   /* why not, untranslated (N_()), when sql is NULL */
  gboolean containment; /* sql uses @>: a GIN (data jsonb_path_ops) index serves it */
  char *order_key;      /* an expression index a guarded range can use, or NULL */
} FraiseExprConjunct;

typedef struct _FraiseExprPushdown FraiseExprPushdown;

struct _FraiseExprPushdown {
  FraiseExpr *expr;  /* a reference: the conjuncts point into its tree */
  GArray *conjuncts; /* FraiseExprConjunct */
  guint n_pushed;
};

/* Compiles @expr against the jsonb document @base (NULL: data). */
FraiseExprPushdown *_fraise_expr_pushdown_new (FraiseExpr *expr, const char *base);
void _fraise_expr_pushdown_free (FraiseExprPushdown *pushdown);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseExprPushdown, _fraise_expr_pushdown_free)

/* The pushed conjuncts joined with AND, or NULL when none was pushed. */
char *_fraise_expr_pushdown_where (const FraiseExprPushdown *pushdown);

/* The residual on @json: TRUE when every conjunct left to the client is
 * TRUE (and TRUE when there is none). */
FraiseTruth _fraise_expr_pushdown_evaluate_residual (const FraiseExprPushdown *pushdown,
                                                     const char *json,
                                                     gsize len,
                                                     GError **error);

/* A conjunct in the filter language ("!(name =~ \"^A\")"), for --explain. */
char *_fraise_expr_conjunct_to_string (const FraiseExprConjunct *conjunct);

/* Compiles the single comparison @node (or its negation) to exact SQL, or
 * returns FALSE with @reason; nothing is appended then. */
gboolean _fraise_expr_compile_node (GString *out,
                                    const FraiseExprNode *node,
                                    gboolean negated,
                                    const char *base,
                                    FraiseExprConjunct *hints,
                                    const char **reason);

G_END_DECLS
