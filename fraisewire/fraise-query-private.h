/* fraise-query-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* The flow options a stream copies from its query at execution. */
typedef struct {
  guint chunk_size;
  gboolean adaptive_chunking;
  guint64 max_memory;
  guint64 max_row_size;
  GType row_type;
  FraiseRowFilterFunc filter;
  gpointer filter_data;
  GDestroyNotify filter_destroy;
} FraiseQueryOptions;

const FraiseQueryOptions *_fraise_query_get_options (FraiseQuery *query);
guint _fraise_query_get_timeout (FraiseQuery *query);
gboolean _fraise_query_has_projection (FraiseQuery *query);
guint _fraise_query_count_set_locals (FraiseQuery *query);

G_END_DECLS
