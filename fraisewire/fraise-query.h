/* fraise-query.h: a query builder for SELECT data FROM <source> ...
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <gio/gio.h>
#include "fraise-version.h"
#include "fraise-row.h"
#include "fraise-query-types.h"
#include "fraise-client.h"
#include "fraise-stream.h"

G_BEGIN_DECLS

/**
 * FraiseRowFilterFunc:
 * @row: a row
 * @user_data: data given with the function
 *
 * A client-side predicate, called once for each row before it is delivered.
 *
 * Returns: %TRUE to deliver the row, %FALSE to drop it (counted in
 *   `rows-filtered`)
 *
 * Since: 1.0
 */
typedef gboolean (*FraiseRowFilterFunc) (FraiseRow *row, gpointer user_data);

#define FRAISE_TYPE_QUERY (fraise_query_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseQuery, fraise_query, FRAISE, QUERY, GObject)

FRAISE_AVAILABLE_IN_1_0
FraiseQuery *fraise_query_new (const char *source);
FRAISE_AVAILABLE_IN_1_0
FraiseQuery *fraise_client_query (FraiseClient *client, const char *source);

FRAISE_AVAILABLE_IN_1_0
const char *fraise_query_get_source (FraiseQuery *query);
FRAISE_AVAILABLE_IN_1_0
FraiseClient *fraise_query_get_client (FraiseQuery *query);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_client (FraiseQuery *query, FraiseClient *client);

FRAISE_AVAILABLE_IN_1_0
void fraise_query_add_where_sql (FraiseQuery *query, const char *predicate);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_query_add_condition (
  FraiseQuery *query, const char *path, FraiseOperator op, GVariant *value, GError **error);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_filter_func (FraiseQuery *query,
                                   FraiseRowFilterFunc func,
                                   gpointer user_data,
                                   GDestroyNotify destroy);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_query_set_filter (FraiseQuery *query, const char *expression, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_query_add_order_by (FraiseQuery *query,
                                    const char *path,
                                    const char *collation,
                                    FraiseSortDirection direction,
                                    FraiseNulls nulls,
                                    GError **error);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_order_by_sql (FraiseQuery *query, const char *order_by);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_limit (FraiseQuery *query, gint64 limit);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_offset (FraiseQuery *query, gint64 offset);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_projection (FraiseQuery *query, const char *expression);
FRAISE_AVAILABLE_IN_1_0
gboolean
fraise_query_set_local (FraiseQuery *query, const char *name, const char *value, GError **error);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_statement_timeout (FraiseQuery *query, guint milliseconds);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_timeout (FraiseQuery *query, guint milliseconds);

FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_chunk_size (FraiseQuery *query, guint chunk_size);
FRAISE_AVAILABLE_IN_1_0
guint fraise_query_get_chunk_size (FraiseQuery *query);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_max_memory (FraiseQuery *query, guint64 max_memory);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_max_row_size (FraiseQuery *query, guint64 max_row_size);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_adaptive_chunking (FraiseQuery *query, gboolean adaptive);
FRAISE_AVAILABLE_IN_1_0
void fraise_query_set_row_type (FraiseQuery *query, GType row_type);

FRAISE_AVAILABLE_IN_1_0
char *fraise_query_to_sql (FraiseQuery *query, GError **error);

FRAISE_AVAILABLE_IN_1_0
void fraise_query_execute_async (FraiseQuery *query,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
FraiseStream *
fraise_query_execute_finish (FraiseQuery *query, GAsyncResult *result, GError **error);
FRAISE_AVAILABLE_IN_1_0
FraiseStream *
fraise_query_execute_sync (FraiseQuery *query, GCancellable *cancellable, GError **error);

G_END_DECLS
