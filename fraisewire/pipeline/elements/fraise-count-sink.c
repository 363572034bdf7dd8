/* fraise-count-sink.c: `count-sink`, which counts rows and bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * At the end it posts an element message `{"rows": t, "bytes": t}` (a{sv})
 * that fraise-launch prints.
 */

#include "fraise-private.h"
#include "fraise-elements-private.h"

#define FRAISE_TYPE_COUNT_SINK (fraise_count_sink_get_type ())
G_DECLARE_FINAL_TYPE (FraiseCountSink, fraise_count_sink, FRAISE, COUNT_SINK, FraiseElement)

struct _FraiseCountSink {
  FraiseElement parent_instance;

  guint64 rows;
  guint64 bytes;
};

G_DEFINE_FINAL_TYPE (FraiseCountSink, fraise_count_sink, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_ROWS,
  PROP_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fraise_count_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseCountSink *self = FRAISE_COUNT_SINK (object);

  switch (prop_id)
    {
    case PROP_ROWS:
      g_value_set_uint64 (value, self->rows);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_count_sink_start (FraiseElement *element, GError **error)
{
  FraiseCountSink *self = FRAISE_COUNT_SINK (element);

  self->rows = self->bytes = 0;
  return TRUE;
}

static FraiseFlow
fraise_count_sink_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseCountSink *self = FRAISE_COUNT_SINK (element);
  gsize len;

  fraise_row_get_text (row, &len);
  self->rows++;
  self->bytes += len;
  return FRAISE_FLOW_OK;
}

static gboolean
fraise_count_sink_finish (FraiseElement *element, GError **error)
{
  FraiseCountSink *self = FRAISE_COUNT_SINK (element);
  GVariantDict dict;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "rows", "t", self->rows);
  g_variant_dict_insert (&dict, "bytes", "t", self->bytes);
  fraise_element_post_message (element, g_variant_dict_end (&dict));
  return TRUE;
}

static void
fraise_count_sink_class_init (FraiseCountSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = fraise_count_sink_get_property;
  element_class->start = fraise_count_sink_start;
  element_class->process = fraise_count_sink_process;
  element_class->finish = fraise_count_sink_finish;

  properties[PROP_ROWS] =
    g_param_spec_uint64 ("rows", "Rows", "Rows counted", 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES] =
    g_param_spec_uint64 ("bytes", "Bytes", "Bytes of JSON text counted", 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Row counter", "Sink",
                                     "Counts rows and bytes and posts the totals at the end");
}

static void
fraise_count_sink_init (FraiseCountSink *self)
{
}
