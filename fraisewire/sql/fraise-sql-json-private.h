/* fraise-sql-json-private.h: exact SQL predicates on a jsonb document (not installed; no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The forms the filter language's push-down and fraise_query_add_condition()
 * share. Each predicate is true on exactly the documents for which the
 * filter language's comparison is true (docs/filter.md): a missing path and
 * JSON null are distinct, values of different JSON types are never equal or
 * ordered, numbers compare as exact decimals and strings by code point. Every
 * cast is behind a jsonb_typeof() guard inside a CASE, so no document can
 * make the server raise a cast error in the middle of a stream, and every
 * key and literal goes through the builder's escaping.
 *
 * A function returns FALSE, with @reason set to an untranslated (N_())
 * explanation and nothing appended, when the comparison has no exact SQL
 * form; the caller then evaluates it on the client.
 */

#pragma once

#include "fraise-sql.h"
#include "fraise-json-private.h"

G_BEGIN_DECLS

/* A scalar literal: null, a boolean, a number (its JSON text, as the
 * filter language's lexer accepts it) or a string (decoded UTF-8). */
typedef struct {
  FraiseJsonType type;
  gboolean boolean;
  char *text;
  gsize len;
} FraiseSqlScalar;

/* The value at @steps of the jsonb document @base ("data", or an
 * expression such as "data::jsonb", parenthesised when it is not a name). */
typedef struct {
  const char *base;
  const FraiseJsonStep *steps;
  gsize n_steps;
} FraiseSqlJsonPath;

typedef enum {
  FRAISE_SQL_ORDER_LT,
  FRAISE_SQL_ORDER_LE,
  FRAISE_SQL_ORDER_GT,
  FRAISE_SQL_ORDER_GE,
} FraiseSqlOrder;

typedef enum {
  FRAISE_SQL_TEXT_LIKE,      /* the pattern as given */
  FRAISE_SQL_TEXT_ILIKE,     /* the pattern as given, case-insensitive */
  FRAISE_SQL_TEXT_SUBSTRING, /* contains the text */
  FRAISE_SQL_TEXT_PREFIX,    /* starts with the text */
  FRAISE_SQL_TEXT_SUFFIX,    /* ends with the text */
} FraiseSqlTextTest;

/* The path has at least one step and only keys (no index). */
gboolean fraise_sql_json_path_is_keys (const FraiseSqlJsonPath *path);

/* Appends @value as JSON text ("a\"b", 1.5, null). */
void fraise_sql_json_append_scalar (GString *out, const FraiseSqlScalar *value);

/* `exists path`: the path is present (JSON null included); negated, it is
 * missing. Never unknown. */
gboolean fraise_sql_json_exists (GString *out,
                                 const FraiseSqlJsonPath *path,
                                 gboolean negated,
                                 const char **reason);

/* A path alone: the value is JSON true. */
gboolean fraise_sql_json_is_true (GString *out,
                                  const FraiseSqlJsonPath *path,
                                  gboolean negated,
                                  const char **reason);

/* `==` (@n_values 1) and `in [...]`: the value equals one of @values, as a
 * containment (`data @> '{"k":v}'`, which a GIN jsonb_path_ops index
 * serves) when the path is made of keys. Negated: present and equal to
 * none. */
gboolean fraise_sql_json_equals_any (GString *out,
                                     const FraiseSqlJsonPath *path,
                                     const FraiseSqlScalar *values,
                                     gsize n_values,
                                     gboolean negated,
                                     const char **reason);

/* `< <= > >=`: a number with a number, a string with a string (byte order
 * of UTF-8: code point order, COLLATE "C"); FALSE on any other type. */
gboolean fraise_sql_json_order (GString *out,
                                const FraiseSqlJsonPath *path,
                                FraiseSqlOrder order,
                                const FraiseSqlScalar *value,
                                gboolean negated,
                                const char **reason);

/* `contains`: an array with an element equal to @value, or, for a string
 * @value, a string holding it. */
gboolean fraise_sql_json_contains (GString *out,
                                   const FraiseSqlJsonPath *path,
                                   const FraiseSqlScalar *value,
                                   gboolean negated,
                                   const char **reason);

/* A string value tested with LIKE, ILIKE, or as a substring, prefix or
 * suffix (no wildcards); FALSE for any other type. */
gboolean fraise_sql_json_text_test (GString *out,
                                    const FraiseSqlJsonPath *path,
                                    FraiseSqlTextTest test,
                                    const char *text,
                                    gsize len,
                                    const char **reason);

/* An array holding every one (@all) or one of @values. */
gboolean fraise_sql_json_array_has (GString *out,
                                    const FraiseSqlJsonPath *path,
                                    const FraiseSqlScalar *values,
                                    gsize n_values,
                                    gboolean all,
                                    const char **reason);

/* An object with the key @key. */
gboolean fraise_sql_json_has_key (
  GString *out, const FraiseSqlJsonPath *path, const char *key, gsize len, const char **reason);

/* The index expression a guarded order on @path can use, "((CASE WHEN
 * jsonb_typeof(...) = 'number' THEN ... END))" (@type NUMBER or STRING),
 * or NULL when the path has no exact form. For index advice. */
char *fraise_sql_json_order_key (const FraiseSqlJsonPath *path, FraiseJsonType type);

G_END_DECLS
