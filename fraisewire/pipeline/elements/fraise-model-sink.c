/* fraise-model-sink.c: `model-sink`, which feeds a FraiseRowModel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Rows are appended with fraise_row_model_append_rows() in batches, so a
 * list view sees one items-changed per batch rather than one per row; the
 * last, shorter batch is appended at finish. After a cancellation or an
 * error the rows not yet appended are dropped; those already in the model
 * stay there.
 */

#include "fraise-private.h"
#include "fraise-elements-private.h"

#define FRAISE_TYPE_MODEL_SINK (fraise_model_sink_get_type ())
G_DECLARE_FINAL_TYPE (FraiseModelSink, fraise_model_sink, FRAISE, MODEL_SINK, FraiseElement)

struct _FraiseModelSink {
  FraiseElement parent_instance;

  FraiseRowModel *model;
  guint batch_size;
  GPtrArray *batch;
};

G_DEFINE_FINAL_TYPE (FraiseModelSink, fraise_model_sink, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_BATCH_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fraise_model_sink_finalize (GObject *object)
{
  FraiseModelSink *self = FRAISE_MODEL_SINK (object);

  g_clear_object (&self->model);
  g_ptr_array_unref (self->batch);

  G_OBJECT_CLASS (fraise_model_sink_parent_class)->finalize (object);
}

static void
fraise_model_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseModelSink *self = FRAISE_MODEL_SINK (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_model (FraiseModelSink *self, FraiseRowModel *model)
{
  if (model == NULL)
    model = fraise_row_model_new ();
  else
    g_object_ref (model);
  if (self->model == model)
    {
      g_object_unref (model);
      return;
    }
  g_clear_object (&self->model);
  self->model = model;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

static void
fraise_model_sink_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  FraiseModelSink *self = FRAISE_MODEL_SINK (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      set_model (self, g_value_get_object (value));
      break;
    case PROP_BATCH_SIZE:
      if (self->batch_size != g_value_get_uint (value))
        {
          self->batch_size = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
append_batch (FraiseModelSink *self)
{
  if (self->batch->len == 0)
    return;
  fraise_row_model_append_rows (self->model, self->batch);
  g_ptr_array_set_size (self->batch, 0);
}

static FraiseFlow
fraise_model_sink_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseModelSink *self = FRAISE_MODEL_SINK (element);

  g_ptr_array_add (self->batch, fraise_row_ref (row));
  if (self->batch->len >= self->batch_size)
    append_batch (self);
  return FRAISE_FLOW_OK;
}

static gboolean
fraise_model_sink_finish (FraiseElement *element, GError **error)
{
  append_batch (FRAISE_MODEL_SINK (element));
  return TRUE;
}

static void
fraise_model_sink_reset (FraiseElement *element)
{
  g_ptr_array_set_size (FRAISE_MODEL_SINK (element)->batch, 0);
}

static void
fraise_model_sink_class_init (FraiseModelSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->finalize = fraise_model_sink_finalize;
  object_class->get_property = fraise_model_sink_get_property;
  object_class->set_property = fraise_model_sink_set_property;
  element_class->process = fraise_model_sink_process;
  element_class->finish = fraise_model_sink_finish;
  element_class->reset = fraise_model_sink_reset;

  /**
   * FraiseModelSink:model:
   *
   * The [class@Fraise.RowModel] the rows are appended to. A sink made
   * without one has a new, empty model of its own (read it here); setting
   * %NULL gives it a new one again. Rows stay in the model from one run to
   * the next: clear it with [method@Fraise.RowModel.clear], or bound it
   * with its `max-items` window. An object: a description cannot set it.
   *
   * Since: 1.0
   */
  properties[PROP_MODEL] = g_param_spec_object (
    "model", "Model", "The row model the rows are appended to", FRAISE_TYPE_ROW_MODEL,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseModelSink:batch-size:
   *
   * Rows per append, and so per `items-changed` of the model; the last
   * rows are appended when the run finishes. Rows not yet appended when
   * the run is cancelled or fails are dropped.
   *
   * Since: 1.0
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per append to the model", 1, 1u << 20, 256,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Row model sink", "Sink",
                                     "Appends the rows to a FraiseRowModel in batches, for list "
                                     "views");
}

static void
fraise_model_sink_init (FraiseModelSink *self)
{
  self->model = fraise_row_model_new ();
  self->batch_size = 256;
  self->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
}
