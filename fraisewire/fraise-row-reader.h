/* fraise-row-reader.h: several fields of a row read in one scan
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib-object.h>
#include "fraise-row.h"
#include "fraise-version.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_ROW_READER (fraise_row_reader_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseRowReader, fraise_row_reader, FRAISE, ROW_READER, GObject)

FRAISE_AVAILABLE_IN_1_0
FraiseRowReader *fraise_row_reader_new (const char *const *paths, GError **error);
FRAISE_AVAILABLE_IN_1_0
guint fraise_row_reader_get_n_paths (FraiseRowReader *reader);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_row_reader_get_path (FraiseRowReader *reader, guint index);

FRAISE_AVAILABLE_IN_1_0
gboolean fraise_row_reader_read (FraiseRowReader *reader, FraiseRow *row, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_row_reader_has_value (FraiseRowReader *reader, guint index);
FRAISE_AVAILABLE_IN_1_0
char *fraise_row_reader_dup_string (FraiseRowReader *reader, guint index, GError **error);
FRAISE_AVAILABLE_IN_1_0
gint64 fraise_row_reader_get_int (FraiseRowReader *reader, guint index, GError **error);
FRAISE_AVAILABLE_IN_1_0
double fraise_row_reader_get_double (FraiseRowReader *reader, guint index, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_row_reader_get_boolean (FraiseRowReader *reader, guint index, GError **error);
FRAISE_AVAILABLE_IN_1_0
GVariant *fraise_row_reader_get_variant (FraiseRowReader *reader, guint index, GError **error);

G_END_DECLS
