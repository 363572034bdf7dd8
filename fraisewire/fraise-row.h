/* fraise-row.h: one JSON row of a stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "fraise-version.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_ROW (fraise_row_get_type ())

typedef struct _FraiseRow FraiseRow;

FRAISE_AVAILABLE_IN_1_0
GType fraise_row_get_type (void) G_GNUC_CONST;

FRAISE_AVAILABLE_IN_1_0
FraiseRow *fraise_row_new (const char *text, gssize len, guint64 index);
FRAISE_AVAILABLE_IN_1_0
FraiseRow *fraise_row_new_from_text (const char *json, gssize len, GError **error);
FRAISE_AVAILABLE_IN_1_0
FraiseRow *fraise_row_ref (FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
void fraise_row_unref (FraiseRow *row);

FRAISE_AVAILABLE_IN_1_0
const char *fraise_row_get_text (FraiseRow *row, gsize *len);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_row_get_json (FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
GBytes *fraise_row_get_bytes (FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_row_is_null (FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_row_get_index (FraiseRow *row);

FRAISE_AVAILABLE_IN_1_0
JsonNode *fraise_row_get_node (FraiseRow *row, GError **error);

FRAISE_AVAILABLE_IN_1_0
gboolean fraise_row_has_path (FraiseRow *row, const char *path);
FRAISE_AVAILABLE_IN_1_0
char *fraise_row_get_string (FraiseRow *row, const char *path, GError **error);
FRAISE_AVAILABLE_IN_1_0
gint64 fraise_row_get_int (FraiseRow *row, const char *path, GError **error);
FRAISE_AVAILABLE_IN_1_0
double fraise_row_get_double (FraiseRow *row, const char *path, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_row_get_boolean (FraiseRow *row, const char *path, GError **error);
FRAISE_AVAILABLE_IN_1_0
char *fraise_row_get_number_text (FraiseRow *row, const char *path, GError **error);

FRAISE_AVAILABLE_IN_1_0
GType fraise_row_get_object_type (FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
GObject *fraise_row_dup_object (FraiseRow *row, GType object_type, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseRow, fraise_row_unref)

G_END_DECLS
