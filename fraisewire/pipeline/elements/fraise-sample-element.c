/* fraise-sample-element.c: `sample`, which keeps one row in every N
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-elements-private.h"

#define FRAISE_TYPE_SAMPLE_ELEMENT (fraise_sample_element_get_type ())
G_DECLARE_FINAL_TYPE (
  FraiseSampleElement, fraise_sample_element, FRAISE, SAMPLE_ELEMENT, FraiseElement)

struct _FraiseSampleElement {
  FraiseElement parent_instance;

  guint every;
  guint64 seen;
};

G_DEFINE_FINAL_TYPE (FraiseSampleElement, fraise_sample_element, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_EVERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fraise_sample_element_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  FraiseSampleElement *self = FRAISE_SAMPLE_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_EVERY:
      g_value_set_uint (value, self->every);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_sample_element_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  FraiseSampleElement *self = FRAISE_SAMPLE_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_EVERY:
      if (self->every != g_value_get_uint (value))
        {
          self->every = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_sample_element_start (FraiseElement *element, GError **error)
{
  FRAISE_SAMPLE_ELEMENT (element)->seen = 0;
  return TRUE;
}

/* Keeps rows 0, N, 2N, … of the rows it sees. */
static FraiseFlow
fraise_sample_element_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseSampleElement *self = FRAISE_SAMPLE_ELEMENT (element);

  if (self->seen++ % self->every != 0)
    return FRAISE_FLOW_OK;
  return fraise_element_push (element, row);
}

static void
fraise_sample_element_reset (FraiseElement *element)
{
  FRAISE_SAMPLE_ELEMENT (element)->seen = 0;
}

static void
fraise_sample_element_class_init (FraiseSampleElementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->get_property = fraise_sample_element_get_property;
  object_class->set_property = fraise_sample_element_set_property;
  element_class->start = fraise_sample_element_start;
  element_class->process = fraise_sample_element_process;
  element_class->reset = fraise_sample_element_reset;

  properties[PROP_EVERY] = g_param_spec_uint (
    "every", "Every", "Keep the first row and then one row in every EVERY", 1, G_MAXUINT, 10,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Sample", "Filter",
                                     "Keeps the first row and then one row in every EVERY");
}

static void
fraise_sample_element_init (FraiseSampleElement *self)
{
  self->every = 10;
}
