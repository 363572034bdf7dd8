/* fuzz-expr.c: the filter language's parser and evaluator on arbitrary input
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is an expression, a NUL byte, then a JSON document (the whole
 * input is the expression when there is no NUL). The expression is parsed;
 * when it is valid it is evaluated on the document, and on a few fixed
 * documents, and a positioned error must point inside the text.
 */

#include "fraise-expr-private.h"
#include "fraise-private.h"
#include "fraise-fuzz.h"

#include <string.h>

static const char *const documents[] = {
  "{\"a\": 1, \"b\": \"x\", \"c\": [1, \"x\", null, [2], {\"d\": true}], \"e\": {\"f\": -2.5e3}}",
  "[0, {\"a\": \"\\u00e9\\ud83d\\ude00\"}, \"\"]",
  "{\"a\": [1 2], \"b\": \"\\q\", \"c\": tru}",
  "null",
};

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const guint8 *nul = memchr (data, '\0', size);
  gsize expr_len = nul != NULL ? (gsize) (nul - data) : size;
  g_autofree char *text = g_strndup ((const char *) data, expr_len);
  g_autofree char *doc = NULL;
  g_autoptr (GError) error = NULL;
  FraiseExpr *expr;

  expr = fraise_expr_parse (text, &error);
  if (expr == NULL)
    {
      gsize offset = 0;

      g_assert (error != NULL);
      g_assert (fraise_parse_error_get_position (error, &offset, NULL, NULL));
      g_assert (offset <= expr_len);
      return 0;
    }
  g_assert (strcmp (fraise_expr_get_text (expr), text) == 0);

  /* The document without a NUL after it, so a read past its end shows. */
  if (nul != NULL)
    {
      gsize doc_len = size - expr_len - 1;

      doc = doc_len > 0 ? g_memdup2 (nul + 1, doc_len) : NULL;
      fraise_expr_evaluate (expr, doc, doc_len, NULL);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr (GError) eval_error = NULL;
      FraiseTruth t = fraise_expr_evaluate (expr, documents[i], strlen (documents[i]), &eval_error);

      g_assert (eval_error == NULL || t == FRAISE_TRUTH_UNKNOWN);
    }
  fraise_expr_unref (expr);
  return 0;
}
