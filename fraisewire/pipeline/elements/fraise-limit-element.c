/* fraise-limit-element.c: `limit`, which lets a number of rows through, then STOP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * STOP travels upstream to the source, which cancels the query and drains
 * the connection; every element still finishes, so sinks write all they
 * hold. The limit stops right after its last row instead of waiting for
 * one more, so a `limit count=10` on a slow query ends at the tenth row.
 */

#include "fraise-private.h"
#include "fraise-elements-private.h"

#define FRAISE_TYPE_LIMIT_ELEMENT (fraise_limit_element_get_type ())
G_DECLARE_FINAL_TYPE (
  FraiseLimitElement, fraise_limit_element, FRAISE, LIMIT_ELEMENT, FraiseElement)

struct _FraiseLimitElement {
  FraiseElement parent_instance;

  gint64 count;
  gint64 passed;
  gboolean merged; /* this run's query has the LIMIT: rows just pass */
};

G_DEFINE_FINAL_TYPE (FraiseLimitElement, fraise_limit_element, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fraise_limit_element_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseLimitElement *self = FRAISE_LIMIT_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_limit_element_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  FraiseLimitElement *self = FRAISE_LIMIT_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      if (self->count != g_value_get_int64 (value))
        {
          self->count = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_limit_element_start (FraiseElement *element, GError **error)
{
  FRAISE_LIMIT_ELEMENT (element)->passed = 0;
  return TRUE;
}

static FraiseFlow
fraise_limit_element_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseLimitElement *self = FRAISE_LIMIT_ELEMENT (element);
  FraiseFlow flow;

  if (self->merged)
    return fraise_element_push (element, row);
  if (self->passed >= self->count)
    return FRAISE_FLOW_STOP;
  self->passed++;
  flow = fraise_element_push (element, row);
  if (flow == FRAISE_FLOW_OK && self->passed >= self->count)
    return FRAISE_FLOW_STOP;
  return flow;
}

static void
fraise_limit_element_reset (FraiseElement *element)
{
  FRAISE_LIMIT_ELEMENT (element)->passed = 0;
}

static void
fraise_limit_element_class_init (FraiseLimitElementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->get_property = fraise_limit_element_get_property;
  object_class->set_property = fraise_limit_element_set_property;
  element_class->start = fraise_limit_element_start;
  element_class->process = fraise_limit_element_process;
  element_class->reset = fraise_limit_element_reset;

  properties[PROP_COUNT] = g_param_spec_int64 (
    "count", "Count", "How many rows to let through before stopping the query", 0, G_MAXINT64, 10,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY | FRAISE_PARAM_PUSH_DOWN);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Limit", "Filter",
                                     "Lets COUNT rows through, then stops the query cleanly");
}

static void
fraise_limit_element_init (FraiseLimitElement *self)
{
  self->count = 10;
}

gint64
_fraise_limit_element_get_count (FraiseElement *element)
{
  return FRAISE_LIMIT_ELEMENT (element)->count;
}

void
_fraise_limit_element_set_merged (FraiseElement *element, gboolean merged)
{
  FRAISE_LIMIT_ELEMENT (element)->merged = merged;
}
