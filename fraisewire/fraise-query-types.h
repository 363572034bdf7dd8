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
 * @FRAISE_OPERATOR_EQ: equal: same JSON type and value (`"5"` is not 5; 1.0 is 1)
 * @FRAISE_OPERATOR_NE: present and not equal (a missing key does not match)
 * @FRAISE_OPERATOR_LT: less than: a number with a number (exact decimals), a
 *   string with a string (code point order); other types do not match
 * @FRAISE_OPERATOR_LE: less than or equal, as @FRAISE_OPERATOR_LT
 * @FRAISE_OPERATOR_GT: greater than, as @FRAISE_OPERATOR_LT
 * @FRAISE_OPERATOR_GE: greater than or equal, as @FRAISE_OPERATOR_LT
 * @FRAISE_OPERATOR_IN: equal to one of an array of values (of any JSON types)
 * @FRAISE_OPERATOR_NOT_IN: present and equal to none of an array of values
 * @FRAISE_OPERATOR_LIKE: a string matching the value as a SQL `LIKE` pattern
 * @FRAISE_OPERATOR_ILIKE: a string matching the value as a SQL `ILIKE` pattern
 * @FRAISE_OPERATOR_CONTAINS: a string containing the value (no wildcards)
 * @FRAISE_OPERATOR_STARTS_WITH: a string starting with the value (no wildcards)
 * @FRAISE_OPERATOR_ENDS_WITH: a string ending with the value (no wildcards)
 * @FRAISE_OPERATOR_IS_NULL: present and JSON null; a missing key does not
 *   match (value must be %NULL)
 * @FRAISE_OPERATOR_IS_NOT_NULL: present and not JSON null (value must be %NULL)
 * @FRAISE_OPERATOR_ARRAY_CONTAINS: a JSON array holding the value, or every
 *   one of the values
 * @FRAISE_OPERATOR_ARRAY_OVERLAPS: a JSON array holding one of the values
 * @FRAISE_OPERATOR_HAS_KEY: a JSON object with the key given as value
 *
 * Operators of [method@Fraise.Query.add_condition], with the semantics of
 * the filter language (docs/filter.md): a missing key and JSON null are
 * distinct, values of different JSON types never compare, and no value in
 * a row can make the condition raise a cast error.
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
