/* fraise-query-types.h: the operators and sort options of a query
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Apart from fraise-query.h so that the SQL builder can use them without the
 * query class.
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib.h>

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

G_END_DECLS
