/* fraise-elements-private.h: the built-in elements' types (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

GType fraise_filter_element_get_type (void);
GType fraise_limit_element_get_type (void);
GType fraise_sample_element_get_type (void);
GType fraise_count_sink_get_type (void);
GType fraise_project_element_get_type (void);
GType fraise_jsonl_sink_get_type (void);
GType fraise_model_sink_get_type (void);

/* What push-down (fraise-pushdown.c) asks of the elements it merges into
 * the query. The pipeline sets them for each run before the query starts. */
typedef struct _FraiseExpr FraiseExpr;
typedef struct _FraiseExprPushdown FraiseExprPushdown;
typedef struct _FraiseElement FraiseElement;

FraiseExpr *_fraise_filter_element_get_expr (FraiseElement *element);
gboolean _fraise_filter_element_get_push_down (FraiseElement *element);
/* @pushdown (transfer full, nullable): evaluate only its residual. */
void _fraise_filter_element_set_pushdown (FraiseElement *element, FraiseExprPushdown *pushdown);
gint64 _fraise_limit_element_get_count (FraiseElement *element);
void _fraise_limit_element_set_merged (FraiseElement *element, gboolean merged);
/* The fields as a SQL projection of the jsonb document keeping only them
 * (json_build_object), or NULL when a field's path is not made of keys. */
char *_fraise_project_element_dup_projection (FraiseElement *element);

G_END_DECLS
