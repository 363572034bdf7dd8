/* fraise-row-model.h: a GListModel of streamed rows, for GTK list views
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
#include "fraise-stream.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_ROW_ITEM (fraise_row_item_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseRowItem, fraise_row_item, FRAISE, ROW_ITEM, GObject)

FRAISE_AVAILABLE_IN_1_0
FraiseRowItem *fraise_row_item_new (FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
FraiseRow *fraise_row_item_get_row (FraiseRowItem *item);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_row_item_get_text (FraiseRowItem *item);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_row_item_get_index (FraiseRowItem *item);

#define FRAISE_TYPE_ROW_MODEL (fraise_row_model_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseRowModel, fraise_row_model, FRAISE, ROW_MODEL, GObject)

FRAISE_AVAILABLE_IN_1_0
FraiseRowModel *fraise_row_model_new (void);
FRAISE_AVAILABLE_IN_1_0
void fraise_row_model_set_max_items (FraiseRowModel *model, guint max_items);
FRAISE_AVAILABLE_IN_1_0
guint fraise_row_model_get_max_items (FraiseRowModel *model);
FRAISE_AVAILABLE_IN_1_0
void fraise_row_model_set_stream (FraiseRowModel *model, FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
FraiseStream *fraise_row_model_get_stream (FraiseRowModel *model);
FRAISE_AVAILABLE_IN_1_0
void fraise_row_model_append_rows (FraiseRowModel *model, GPtrArray *rows);
FRAISE_AVAILABLE_IN_1_0
FraiseRow *fraise_row_model_get_row (FraiseRowModel *model, guint position);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_row_model_get_rows_received (FraiseRowModel *model);
FRAISE_AVAILABLE_IN_1_0
void fraise_row_model_clear (FraiseRowModel *model);

G_END_DECLS
