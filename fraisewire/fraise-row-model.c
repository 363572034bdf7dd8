/* fraise-row-model.c: a GListModel of streamed rows, for GTK list views
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"

/**
 * FraiseRowItem:
 *
 * A #GObject wrapping one [struct@Fraise.Row], as the items of a
 * [class@Fraise.RowModel]. Items are created only when a view asks for them.
 *
 * Since: 1.0
 */

struct _FraiseRowItem {
  GObject parent_instance;
  FraiseRow *row;
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_ROW,
  ITEM_PROP_TEXT,
  ITEM_PROP_INDEX,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (FraiseRowItem, fraise_row_item, G_TYPE_OBJECT)

static void
fraise_row_item_finalize (GObject *object)
{
  g_clear_pointer (&FRAISE_ROW_ITEM (object)->row, fraise_row_unref);
  G_OBJECT_CLASS (fraise_row_item_parent_class)->finalize (object);
}

static void
fraise_row_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseRowItem *self = FRAISE_ROW_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ROW:
      g_value_set_boxed (value, self->row);
      break;
    case ITEM_PROP_TEXT:
      g_value_set_string (value, fraise_row_item_get_text (self));
      break;
    case ITEM_PROP_INDEX:
      g_value_set_uint64 (value, fraise_row_item_get_index (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_row_item_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  FraiseRowItem *self = FRAISE_ROW_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ROW:
      g_clear_pointer (&self->row, fraise_row_unref);
      self->row = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_row_item_class_init (FraiseRowItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fraise_row_item_finalize;
  object_class->get_property = fraise_row_item_get_property;
  object_class->set_property = fraise_row_item_set_property;

  /**
   * FraiseRowItem:row:
   *
   * The row.
   *
   * Since: 1.0
   */
  item_properties[ITEM_PROP_ROW] =
    g_param_spec_boxed ("row", NULL, NULL, FRAISE_TYPE_ROW,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FraiseRowItem:text:
   *
   * The row's JSON text.
   *
   * Since: 1.0
   */
  item_properties[ITEM_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * FraiseRowItem:index:
   *
   * The row's position in its stream.
   *
   * Since: 1.0
   */
  item_properties[ITEM_PROP_INDEX] = g_param_spec_uint64 (
    "index", NULL, NULL, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
fraise_row_item_init (FraiseRowItem *self)
{
}

/**
 * fraise_row_item_new:
 * @row: a row
 *
 * Wraps @row in a #GObject.
 *
 * Returns: (transfer full): a new item
 *
 * Since: 1.0
 */
FraiseRowItem *
fraise_row_item_new (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);
  return g_object_new (FRAISE_TYPE_ROW_ITEM, "row", row, NULL);
}

/**
 * fraise_row_item_get_row:
 * @item: an item
 *
 * The wrapped row.
 *
 * Returns: (transfer none): the row
 *
 * Since: 1.0
 */
FraiseRow *
fraise_row_item_get_row (FraiseRowItem *item)
{
  g_return_val_if_fail (FRAISE_IS_ROW_ITEM (item), NULL);
  return item->row;
}

/**
 * fraise_row_item_get_text:
 * @item: an item
 *
 * The wrapped row's JSON text.
 *
 * Returns: (nullable): the text
 *
 * Since: 1.0
 */
const char *
fraise_row_item_get_text (FraiseRowItem *item)
{
  g_return_val_if_fail (FRAISE_IS_ROW_ITEM (item), NULL);
  return item->row != NULL ? fraise_row_get_text (item->row, NULL) : NULL;
}

/**
 * fraise_row_item_get_index:
 * @item: an item
 *
 * The wrapped row's position in its stream.
 *
 * Returns: the index
 *
 * Since: 1.0
 */
guint64
fraise_row_item_get_index (FraiseRowItem *item)
{
  g_return_val_if_fail (FRAISE_IS_ROW_ITEM (item), 0);
  return item->row != NULL ? fraise_row_get_index (item->row) : 0;
}

/**
 * FraiseRowModel:
 *
 * A [iface@Gio.ListModel] of [class@Fraise.RowItem]s fed by a
 * [class@Fraise.Stream], usable as the model of a GTK 4 `GtkListView`.
 *
 * The model holds the rows; the item objects are created lazily when a
 * view asks for them (and kept while the row stays in the model). Each
 * batch of the stream causes exactly one `items-changed` emission. With
 * `max-items` set, the model keeps only the newest rows (a sliding window),
 * so a live view of an endless stream stays bounded.
 *
 * ```c
 * FraiseRowModel *model = fraise_row_model_new ();
 * fraise_row_model_set_stream (model, stream);   // follows the stream's rows signal
 * fraise_stream_start (stream);
 * gtk_list_view_set_model (view, GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL
 * (model))));
 * ```
 *
 * Since: 1.0
 */

struct _FraiseRowModel {
  GObject parent_instance;

  GPtrArray *rows;  /* FraiseRow* */
  GPtrArray *items; /* FraiseRowItem* or NULL, parallel to rows */
  guint max_items;
  guint64 rows_received;
  FraiseStream *stream;
  gulong rows_handler;
};

enum {
  PROP_0,
  PROP_MAX_ITEMS,
  PROP_STREAM,
  PROP_N_ITEMS,
  PROP_ROWS_RECEIVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fraise_row_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FraiseRowModel,
                               fraise_row_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      fraise_row_model_list_model_init))

static GType
fraise_row_model_get_item_type (GListModel *list)
{
  return FRAISE_TYPE_ROW_ITEM;
}

static guint
fraise_row_model_get_n_items (GListModel *list)
{
  return FRAISE_ROW_MODEL (list)->rows->len;
}

static gpointer
fraise_row_model_get_item (GListModel *list, guint position)
{
  FraiseRowModel *self = FRAISE_ROW_MODEL (list);
  FraiseRowItem *item;

  if (position >= self->rows->len)
    return NULL;
  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      item = fraise_row_item_new (g_ptr_array_index (self->rows, position));
      self->items->pdata[position] = item;
    }
  return g_object_ref (item);
}

static void
fraise_row_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fraise_row_model_get_item_type;
  iface->get_n_items = fraise_row_model_get_n_items;
  iface->get_item = fraise_row_model_get_item;
}

static void
disconnect_stream (FraiseRowModel *self)
{
  if (self->stream == NULL)
    return;
  g_clear_signal_handler (&self->rows_handler, self->stream);
  g_clear_object (&self->stream);
}

static void
fraise_row_model_dispose (GObject *object)
{
  disconnect_stream (FRAISE_ROW_MODEL (object));
  G_OBJECT_CLASS (fraise_row_model_parent_class)->dispose (object);
}

static void
fraise_row_model_finalize (GObject *object)
{
  FraiseRowModel *self = FRAISE_ROW_MODEL (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (fraise_row_model_parent_class)->finalize (object);
}

static void
fraise_row_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseRowModel *self = FRAISE_ROW_MODEL (object);

  switch (prop_id)
    {
    case PROP_MAX_ITEMS:
      g_value_set_uint (value, self->max_items);
      break;
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rows->len);
      break;
    case PROP_ROWS_RECEIVED:
      g_value_set_uint64 (value, self->rows_received);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_row_model_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  FraiseRowModel *self = FRAISE_ROW_MODEL (object);

  switch (prop_id)
    {
    case PROP_MAX_ITEMS:
      fraise_row_model_set_max_items (self, g_value_get_uint (value));
      break;
    case PROP_STREAM:
      fraise_row_model_set_stream (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_row_model_class_init (FraiseRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fraise_row_model_dispose;
  object_class->finalize = fraise_row_model_finalize;
  object_class->get_property = fraise_row_model_get_property;
  object_class->set_property = fraise_row_model_set_property;

  /**
   * FraiseRowModel:max-items:
   *
   * Keep only the newest this many rows (0: keep every row).
   *
   * Since: 1.0
   */
  properties[PROP_MAX_ITEMS] = g_param_spec_uint ("max-items", NULL, NULL, 0, G_MAXUINT, 0, rw);

  /**
   * FraiseRowModel:stream:
   *
   * The stream whose [signal@Fraise.Stream::rows] batches the model appends.
   * The application still calls [method@Fraise.Stream.start].
   *
   * Since: 1.0
   */
  properties[PROP_STREAM] = g_param_spec_object ("stream", NULL, NULL, FRAISE_TYPE_STREAM, rw);

  /**
   * FraiseRowModel:n-items:
   *
   * The number of items in the model.
   *
   * Since: 1.0
   */
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);

  /**
   * FraiseRowModel:rows-received:
   *
   * Every row ever appended, including those the window dropped.
   *
   * Since: 1.0
   */
  properties[PROP_ROWS_RECEIVED] =
    g_param_spec_uint64 ("rows-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
fraise_row_model_init (FraiseRowModel *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  self->items = g_ptr_array_new_with_free_func (unref_item);
}

/**
 * fraise_row_model_new:
 *
 * Creates an empty model.
 *
 * Returns: (transfer full): a new model
 *
 * Since: 1.0
 */
FraiseRowModel *
fraise_row_model_new (void)
{
  return g_object_new (FRAISE_TYPE_ROW_MODEL, NULL);
}

static void
notify_counts (FraiseRowModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_RECEIVED]);
}

/* Drops the oldest rows beyond the window; returns how many went. */
static guint
trim_to_window (FraiseRowModel *self)
{
  guint excess;

  if (self->max_items == 0 || self->rows->len <= self->max_items)
    return 0;
  excess = self->rows->len - self->max_items;
  g_ptr_array_remove_range (self->rows, 0, excess);
  g_ptr_array_remove_range (self->items, 0, excess);
  return excess;
}

/**
 * fraise_row_model_append_rows:
 * @model: a model
 * @rows: (element-type Fraise.Row): rows to append (references are taken)
 *
 * Appends a batch of rows, emitting one `items-changed`. When `max-items`
 * is set, the oldest rows leave the model to keep the window.
 *
 * Since: 1.0
 */
void
fraise_row_model_append_rows (FraiseRowModel *model, GPtrArray *rows)
{
  guint old_len, removed, i;

  g_return_if_fail (FRAISE_IS_ROW_MODEL (model));
  g_return_if_fail (rows != NULL);

  if (rows->len == 0)
    return;
  old_len = model->rows->len;
  for (i = 0; i < rows->len; i++)
    {
      g_ptr_array_add (model->rows, fraise_row_ref (g_ptr_array_index (rows, i)));
      g_ptr_array_add (model->items, NULL);
    }
  model->rows_received += rows->len;
  removed = trim_to_window (model);

  if (removed == 0)
    g_list_model_items_changed (G_LIST_MODEL (model), old_len, 0, rows->len);
  else
    /* One emission per batch: the window moved, so everything shifted. */
    g_list_model_items_changed (G_LIST_MODEL (model), 0, old_len, model->rows->len);
  notify_counts (model);
}

/**
 * fraise_row_model_clear:
 * @model: a model
 *
 * Removes every row.
 *
 * Since: 1.0
 */
void
fraise_row_model_clear (FraiseRowModel *model)
{
  guint old_len;

  g_return_if_fail (FRAISE_IS_ROW_MODEL (model));

  old_len = model->rows->len;
  if (old_len == 0)
    return;
  g_ptr_array_set_size (model->rows, 0);
  g_ptr_array_set_size (model->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (model), 0, old_len, 0);
  notify_counts (model);
}

/**
 * fraise_row_model_get_row:
 * @model: a model
 * @position: a position in the model
 *
 * The row at @position, without creating an item object.
 *
 * Returns: (transfer none) (nullable): the row, or %NULL past the end
 *
 * Since: 1.0
 */
FraiseRow *
fraise_row_model_get_row (FraiseRowModel *model, guint position)
{
  g_return_val_if_fail (FRAISE_IS_ROW_MODEL (model), NULL);

  if (position >= model->rows->len)
    return NULL;
  return g_ptr_array_index (model->rows, position);
}

/**
 * fraise_row_model_get_rows_received:
 * @model: a model
 *
 * Every row ever appended, including those the window dropped.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint64
fraise_row_model_get_rows_received (FraiseRowModel *model)
{
  g_return_val_if_fail (FRAISE_IS_ROW_MODEL (model), 0);
  return model->rows_received;
}

/**
 * fraise_row_model_set_max_items:
 * @model: a model
 * @max_items: the window size, 0 for no limit
 *
 * Sets the `max-items` property; rows beyond a smaller window leave at once.
 *
 * Since: 1.0
 */
void
fraise_row_model_set_max_items (FraiseRowModel *model, guint max_items)
{
  guint removed;

  g_return_if_fail (FRAISE_IS_ROW_MODEL (model));

  if (model->max_items == max_items)
    return;
  model->max_items = max_items;
  removed = trim_to_window (model);
  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (model), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (model), properties[PROP_N_ITEMS]);
    }
  g_object_notify_by_pspec (G_OBJECT (model), properties[PROP_MAX_ITEMS]);
}

/**
 * fraise_row_model_get_max_items:
 * @model: a model
 *
 * The `max-items` property.
 *
 * Returns: the window size, 0 for no limit
 *
 * Since: 1.0
 */
guint
fraise_row_model_get_max_items (FraiseRowModel *model)
{
  g_return_val_if_fail (FRAISE_IS_ROW_MODEL (model), 0);
  return model->max_items;
}

static void
on_stream_rows (FraiseStream *stream, GPtrArray *rows, FraiseRowModel *self)
{
  fraise_row_model_append_rows (self, rows);
}

/**
 * fraise_row_model_set_stream:
 * @model: a model
 * @stream: (nullable): the stream to follow, or %NULL to stop following
 *
 * Appends each batch the stream emits with its `rows` signal. Start the
 * stream with [method@Fraise.Stream.start].
 *
 * Since: 1.0
 */
void
fraise_row_model_set_stream (FraiseRowModel *model, FraiseStream *stream)
{
  g_return_if_fail (FRAISE_IS_ROW_MODEL (model));
  g_return_if_fail (stream == NULL || FRAISE_IS_STREAM (stream));

  if (model->stream == stream)
    return;
  disconnect_stream (model);
  if (stream != NULL)
    {
      model->stream = g_object_ref (stream);
      model->rows_handler = g_signal_connect (stream, "rows", G_CALLBACK (on_stream_rows), model);
    }
  g_object_notify_by_pspec (G_OBJECT (model), properties[PROP_STREAM]);
}

/**
 * fraise_row_model_get_stream:
 * @model: a model
 *
 * The stream the model follows.
 *
 * Returns: (transfer none) (nullable): the stream
 *
 * Since: 1.0
 */
FraiseStream *
fraise_row_model_get_stream (FraiseRowModel *model)
{
  g_return_val_if_fail (FRAISE_IS_ROW_MODEL (model), NULL);
  return model->stream;
}
