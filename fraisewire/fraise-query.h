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

G_BEGIN_DECLS

/**
 * FraiseOperator:
 * @FRAISE_OPERATOR_EQ: equal (`=`)
 * @FRAISE_OPERATOR_NE: not equal (`<>`)
 * @FRAISE_OPERATOR_LT: less than
 * @FRAISE_OPERATOR_LE: less than or equal
 * @FRAISE_OPERATOR_GT: greater than
 * @FRAISE_OPERATOR_GE: greater than or equal
 * @FRAISE_OPERATOR_IN: equal to one of an array of values
 * @FRAISE_OPERATOR_NOT_IN: equal to none of an array of values
 * @FRAISE_OPERATOR_LIKE: SQL `LIKE` with the value as the pattern
 * @FRAISE_OPERATOR_ILIKE: SQL `ILIKE` with the value as the pattern
 * @FRAISE_OPERATOR_CONTAINS: the text contains the value (wildcards escaped)
 * @FRAISE_OPERATOR_STARTS_WITH: the text starts with the value
 * @FRAISE_OPERATOR_ENDS_WITH: the text ends with the value
 * @FRAISE_OPERATOR_IS_NULL: the field is JSON null or missing (value must be %NULL)
 * @FRAISE_OPERATOR_IS_NOT_NULL: the field is present and not JSON null
 * @FRAISE_OPERATOR_ARRAY_CONTAINS: the JSON array contains the value(s) (`jsonb @>`)
 * @FRAISE_OPERATOR_ARRAY_OVERLAPS: the JSON array shares an element with the values
 * @FRAISE_OPERATOR_HAS_KEY: the object at the path has the key given as value
 *
 * Operators of [method@Fraise.Query.add_condition].
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_OPERATOR_EQ,
  FRAISE_OPERATOR_NE,
  FRAISE_OPERATOR_LT,
  FRAISE_OPERATOR_LE,
  FRAISE_OPERATOR_GT,
  FRAISE_OPERATOR_GE,
  FRAISE_OPERATOR_IN,
  FRAISE_OPERATOR_NOT_IN,
  FRAISE_OPERATOR_LIKE,
  FRAISE_OPERATOR_ILIKE,
  FRAISE_OPERATOR_CONTAINS,
  FRAISE_OPERATOR_STARTS_WITH,
  FRAISE_OPERATOR_ENDS_WITH,
  FRAISE_OPERATOR_IS_NULL,
  FRAISE_OPERATOR_IS_NOT_NULL,
  FRAISE_OPERATOR_ARRAY_CONTAINS,
  FRAISE_OPERATOR_ARRAY_OVERLAPS,
  FRAISE_OPERATOR_HAS_KEY,
} FraiseOperator;

/**
 * FraiseSortDirection:
 * @FRAISE_SORT_ASC: ascending
 * @FRAISE_SORT_DESC: descending
 *
 * Sort direction of [method@Fraise.Query.add_order_by].
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_SORT_ASC,
  FRAISE_SORT_DESC,
} FraiseSortDirection;

/**
 * FraiseNulls:
 * @FRAISE_NULLS_DEFAULT: the server's default (last for ascending, first for descending)
 * @FRAISE_NULLS_FIRST: `NULLS FIRST`
 * @FRAISE_NULLS_LAST: `NULLS LAST`
 *
 * Where NULLs sort in [method@Fraise.Query.add_order_by].
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_NULLS_DEFAULT,
  FRAISE_NULLS_FIRST,
  FRAISE_NULLS_LAST,
} FraiseNulls;

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
typedef gboolean (*FraiseRowFilterFunc) (FraiseRow *row,
                                         gpointer   user_data);

#define FRAISE_TYPE_QUERY (fraise_query_get_type ())

FRAISE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (FraiseQuery, fraise_query, FRAISE, QUERY, GObject)

typedef struct _FraiseClient FraiseClient;
typedef struct _FraiseStream FraiseStream;

FRAISE_AVAILABLE_IN_ALL
FraiseQuery *fraise_query_new (const char *source);
FRAISE_AVAILABLE_IN_ALL
FraiseQuery *fraise_client_query (FraiseClient *client,
                                  const char   *source);

FRAISE_AVAILABLE_IN_ALL
const char *fraise_query_get_source (FraiseQuery *query);
FRAISE_AVAILABLE_IN_ALL
FraiseClient *fraise_query_get_client (FraiseQuery *query);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_client (FraiseQuery  *query,
                              FraiseClient *client);

FRAISE_AVAILABLE_IN_ALL
void fraise_query_add_where_sql (FraiseQuery *query,
                                 const char  *predicate);
FRAISE_AVAILABLE_IN_ALL
gboolean fraise_query_add_condition (FraiseQuery   *query,
                                     const char    *path,
                                     FraiseOperator op,
                                     GVariant      *value,
                                     GError       **error);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_filter_func (FraiseQuery        *query,
                                   FraiseRowFilterFunc func,
                                   gpointer            user_data,
                                   GDestroyNotify      destroy);
FRAISE_AVAILABLE_IN_ALL
gboolean fraise_query_add_order_by (FraiseQuery        *query,
                                    const char         *path,
                                    const char         *collation,
                                    FraiseSortDirection direction,
                                    FraiseNulls         nulls,
                                    GError            **error);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_order_by_sql (FraiseQuery *query,
                                    const char  *order_by);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_limit (FraiseQuery *query,
                             gint64       limit);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_offset (FraiseQuery *query,
                              gint64       offset);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_projection (FraiseQuery *query,
                                  const char  *expression);
FRAISE_AVAILABLE_IN_ALL
gboolean fraise_query_set_local (FraiseQuery *query,
                                 const char  *name,
                                 const char  *value,
                                 GError     **error);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_statement_timeout (FraiseQuery *query,
                                         guint        milliseconds);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_timeout (FraiseQuery *query,
                               guint        milliseconds);

FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_chunk_size (FraiseQuery *query,
                                  guint        chunk_size);
FRAISE_AVAILABLE_IN_ALL
guint fraise_query_get_chunk_size (FraiseQuery *query);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_max_memory (FraiseQuery *query,
                                  guint64      max_memory);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_max_row_size (FraiseQuery *query,
                                    guint64      max_row_size);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_adaptive_chunking (FraiseQuery *query,
                                         gboolean     adaptive);
FRAISE_AVAILABLE_IN_ALL
void fraise_query_set_row_type (FraiseQuery *query,
                                GType        row_type);

FRAISE_AVAILABLE_IN_ALL
char *fraise_query_to_sql (FraiseQuery *query,
                           GError     **error);

FRAISE_AVAILABLE_IN_ALL
void fraise_query_execute_async (FraiseQuery        *query,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
FRAISE_AVAILABLE_IN_ALL
FraiseStream *fraise_query_execute_finish (FraiseQuery  *query,
                                           GAsyncResult *result,
                                           GError      **error);
FRAISE_AVAILABLE_IN_ALL
FraiseStream *fraise_query_execute_sync (FraiseQuery  *query,
                                         GCancellable *cancellable,
                                         GError      **error);

G_END_DECLS
