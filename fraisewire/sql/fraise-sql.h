/* fraise-sql.h: building the SQL text of a query (not installed; no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Queries go out through the simple Query protocol, so there are no $n
 * placeholders: every value is inlined as an escaped literal. The rules:
 *
 *  - a value must be valid UTF-8 without NUL, or it is refused (never
 *    "best effort"; see CVE-2025-1094). The connection's client_encoding
 *    must be UTF8, which the client sets at startup;
 *  - literals are '...' with ' doubled; a value containing a backslash is
 *    written E'...' with backslashes doubled too, so it reads the same
 *    whatever standard_conforming_strings is;
 *  - numbers are parenthesised, so a negative number never forms "--" with
 *    a preceding minus (CVE-2024-27289);
 *  - identifiers are validated or double-quoted.
 *
 * Every function returns a new string, or NULL / FALSE with a
 * FRAISE_ERROR_CONFIG error.
 */

#pragma once

#include <glib.h>
#include "fraise-private.h"
#include "fraise-query-types.h"

G_BEGIN_DECLS

/* The number of FraiseOperator values. */
#define FRAISE_SQL_N_OPERATORS (FRAISE_OPERATOR_HAS_KEY + 1)

/* Longest identifier the server keeps (NAMEDATALEN - 1), in bytes. */
#define FRAISE_SQL_MAX_IDENTIFIER 63

/* @len bytes of @value (-1: NUL-terminated) as a literal: 'it''s' or, when
 * @value holds a backslash, E'a\\b'. */
char *fraise_sql_quote_literal (const char *value, gssize len, GError **error);

/* A source is [schema.]name, each part either ASCII letters, digits and _
 * (not starting with a digit; the server folds it to lower case) or a
 * double-quoted identifier with "" escapes. It goes into the SQL as written. */
gboolean fraise_sql_validate_source (const char *source, GError **error);

/* JSON paths are dot-separated object keys ("status", "address.city"); each
 * key is non-empty and rendered as a literal. @base is the SQL expression
 * holding the document: NULL means "data"; it is trusted SQL, used as is
 * when it is a plain (qualified) name and parenthesised otherwise.
 *   text: (data->>'status'), (data->'address'->>'city')
 *   json: (data->'status'),  (data->'address'->'city') */
char *fraise_sql_render_path_text_full (const char *base, const char *path, GError **error);
char *fraise_sql_render_path_json_full (const char *base, const char *path, GError **error);

/* One predicate on the value at @path. @value is not consumed (a floating
 * reference stays floating); the types it may have per operator:
 *   eq ne                 string, number (any integer type or finite double) or boolean
 *   lt le gt ge           string or number
 *   in not-in             array of strings, numbers and booleans (av may mix them)
 *   like ilike            string: a LIKE pattern, used verbatim
 *   contains starts-with ends-with   string: matched literally (case-sensitive)
 *   is-null is-not-null   NULL
 *   array-contains        string, number, boolean, or an array of them
 *   array-overlaps        array of strings, numbers or booleans
 *   has-key               string: a key of the object at @path ("" = root)
 * Rendered with the exact predicates of fraise-sql-json-private.h (the
 * filter language's semantics) on the document @base::jsonb (NULL: data;
 * see fraise-sql-condition.c). */
char *
fraise_sql_render_condition (const char *path, FraiseOperator op, GVariant *value, GError **error);
char *fraise_sql_render_condition_full (
  const char *base, const char *path, FraiseOperator op, GVariant *value, GError **error);

/* "(data->>'name') COLLATE "C" DESC NULLS LAST". @path is a JSON path of
 * ASCII letters, digits, _ and dots only (raw SQL goes through
 * set_order_by_sql instead); @collation is NULL or "" for none, otherwise
 * [A-Za-z0-9_.@-]+ of at most 63 bytes. */
char *fraise_sql_render_order_item (const char *path,
                                    const char *collation,
                                    FraiseSortDirection direction,
                                    FraiseNulls nulls,
                                    GError **error);
char *fraise_sql_render_order_item_full (const char *base,
                                         const char *path,
                                         const char *collation,
                                         FraiseSortDirection direction,
                                         FraiseNulls nulls,
                                         GError **error);

/* @name (a relation, schema or index name as the server reports it) as an
 * SQL identifier: plain when it folds to itself, else double-quoted with
 * "" for a quote. */
void fraise_sql_append_identifier (GString *out, const char *name);

/* A name usable in SET LOCAL: [a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?, at most
 * 63 bytes. */
gboolean fraise_sql_validate_setting_name (const char *name, GError **error);

typedef struct {
  const char *source;          /* [schema.]name, validated */
  const char *projection;      /* trusted SQL; NULL = data */
  GPtrArray *where;            /* char*: rendered or raw predicates, ANDed; may be NULL */
  const char *order_by;        /* rendered, comma-joined, or NULL */
  gint64 limit;                /* -1: none */
  gint64 offset;               /* -1: none */
  GPtrArray *set_local_names;  /* char*, validated setting names; may be NULL */
  GPtrArray *set_local_values; /* char*, quoted here; same length as the names */
  gboolean explain;            /* EXPLAIN (FORMAT JSON, VERBOSE) the SELECT */
} FraiseSqlSelect;

/* [SET LOCAL n = 'v'; ...]SELECT data FROM src [WHERE (p1) AND (p2)]
 * [ORDER BY ...] [LIMIT n] [OFFSET m]; with a projection
 * SELECT <projection> AS data FROM ... */
char *fraise_sql_build_select (const FraiseSqlSelect *select, GError **error);

G_END_DECLS
