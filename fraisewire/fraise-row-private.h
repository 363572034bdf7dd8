/* fraise-row-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

#define FRAISE_ROW_DEFAULT_MAX_DEPTH 512

/* The one copy of a row's bytes out of the socket buffer. */
FraiseRow *_fraise_row_new (const char *text, gsize len, gboolean is_null, guint64 index);
/* The bytes @row's block holds in memory, malloc's own overhead included
 * (not a parsed tree: rows are buffered unparsed). */
gsize _fraise_row_get_allocated_size (FraiseRow *row);
/* The same for a new row of @len bytes of text, before it exists. */
gsize _fraise_row_estimate_allocated_size (gsize len);
void _fraise_row_set_object_type (FraiseRow *row, GType object_type);
/* The errors of the field accessors: @path missing in @row; or @local
 * (taken; TRUE when NULL) prefixed with the row index and @path, its code
 * kept (a value of the wrong JSON type, a malformed value). */
void _fraise_row_missing_field_error (FraiseRow *row, const char *path, GError **error);
gboolean _fraise_row_field_error (FraiseRow *row, const char *path, GError *local, GError **error);
/* fraise_row_dup_object() through the JsonNode tree and json-glib, the
 * reference route. */
GObject *_fraise_row_dup_object_tree (FraiseRow *row, GType object_type, GError **error);
/* fraise_row_dup_object() through the scanner, or NULL when the row goes the
 * tree route (for tests: which route a row takes). */
GObject *_fraise_row_dup_object_scan (FraiseRow *row, GType object_type);
/* The calling thread's cache of freed row blocks: how many, their bytes. */
void _fraise_row_cache_get_stats (guint *n_blocks, gsize *bytes);

G_END_DECLS
