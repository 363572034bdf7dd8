/* fraise-sql-private.h: what the SELECT builder shares with the condition
 * renderer (not installed; no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-sql.h"

G_BEGIN_DECLS

/* @len bytes of @value are valid UTF-8 without NUL; FRAISE_ERROR_CONFIG
 * otherwise. */
gboolean fraise_sql_check_text (const char *value, gsize len, GError **error);

/* Appends @len bytes of @value, already checked, as a literal. */
void fraise_sql_append_literal (GString *out, const char *value, gsize len);

/* Checks @value, then appends it as a literal. */
gboolean
fraise_sql_append_checked_literal (GString *out, const char *value, gsize len, GError **error);

/* Appends the document expression @base (NULL: data), parenthesised unless it
 * is a plain (qualified) name. */
gboolean fraise_sql_append_base (GString *out, const char *base, GError **error);

/* The keys of the dot-separated JSON @path (non-empty, valid UTF-8 without
 * NUL), or NULL with a FRAISE_ERROR_CONFIG error quoting the path. */
GStrv fraise_sql_split_path (const char *path, GError **error);

/* Appends the value at the JSON @path of @base: as text (->>) or as json (->). */
gboolean fraise_sql_append_path (
  GString *out, const char *base, const char *path, gboolean as_text, GError **error);

G_END_DECLS
