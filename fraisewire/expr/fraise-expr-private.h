/* fraise-expr-private.h: the filter language, parsed once and evaluated on rows (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One small language (SPEC §6.3) for the `filter` element and
 * fraise_query_set_filter(). The text is parsed once into an immutable,
 * reference-counted tree; the client-side evaluator reads only the fields
 * the expression names, through the row's path scanner, and never builds a
 * JsonNode tree. The SQL compiler (push-down) works on the same tree.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FraiseExpr FraiseExpr;

/* Three-valued logic: a comparison on a missing path is UNKNOWN. */
typedef enum {
  FRAISE_TRUTH_FALSE,
  FRAISE_TRUTH_TRUE,
  FRAISE_TRUTH_UNKNOWN,
} FraiseTruth;

/* Parses @text (UTF-8). On error returns NULL with FRAISE_PARSE_ERROR
 * (SYNTAX, or BAD_VALUE for an invalid regex or literal) whose message
 * starts "column N: " (1-based, in characters) and whose position
 * fraise_parse_error_get_position() reads (offset in bytes into @text). */
FraiseExpr *fraise_expr_parse (const char *text, GError **error);
FraiseExpr *fraise_expr_ref (FraiseExpr *expr);
void fraise_expr_unref (FraiseExpr *expr);
/* The text it was parsed from. */
const char *fraise_expr_get_text (const FraiseExpr *expr);

/* Evaluates @expr on the JSON document @json (@len bytes, no NUL needed).
 * Returns UNKNOWN with @error set (FRAISE_ERROR_JSON) only when a part of
 * the document the expression had to read is not valid JSON. */
FraiseTruth
fraise_expr_evaluate (const FraiseExpr *expr, const char *json, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseExpr, fraise_expr_unref)

G_END_DECLS
