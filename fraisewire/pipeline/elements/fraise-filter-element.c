/* fraise-filter-element.c: `filter`, which keeps the rows an expression holds true for
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The expression (docs/filter.md) is parsed when the property is set and
 * evaluated on each row's text, reading only the fields it names. A row is
 * forwarded when the expression is TRUE and dropped when it is FALSE or
 * UNKNOWN; a row that is not valid JSON where the expression reads is an
 * error of that row, handled by the element's on-error policy.
 */

#include "fraise-private.h"
#include "fraise-elements-private.h"
#include "fraise-expr-sql-private.h"
#include "fraise-pipeline-private.h"

#define FRAISE_TYPE_FILTER_ELEMENT (fraise_filter_element_get_type ())
G_DECLARE_FINAL_TYPE (
  FraiseFilterElement, fraise_filter_element, FRAISE, FILTER_ELEMENT, FraiseElement)

struct _FraiseFilterElement {
  FraiseElement parent_instance;

  char *text;       /* as set, valid or not */
  FraiseExpr *expr; /* NULL while no valid expression is set */
  gboolean push_down;
  /* Set by the pipeline for one run when part of the expression went into
   * the query's WHERE: only the rest is evaluated here. */
  FraiseExprPushdown *pushdown;
};

G_DEFINE_FINAL_TYPE (FraiseFilterElement, fraise_filter_element, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_EXPR,
  PROP_PUSH_DOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fraise_filter_element_finalize (GObject *object)
{
  FraiseFilterElement *self = FRAISE_FILTER_ELEMENT (object);

  g_free (self->text);
  g_clear_pointer (&self->expr, fraise_expr_unref);
  g_clear_pointer (&self->pushdown, _fraise_expr_pushdown_free);

  G_OBJECT_CLASS (fraise_filter_element_parent_class)->finalize (object);
}

static void
fraise_filter_element_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  FraiseFilterElement *self = FRAISE_FILTER_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_EXPR:
      g_value_set_string (value, self->text);
      break;
    case PROP_PUSH_DOWN:
      g_value_set_boolean (value, self->push_down);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* An invalid expression is kept as the property's error (reported with its
 * position by the description parser, or by start); a valid one clears it. */
static void
set_expr (FraiseFilterElement *self, const char *text)
{
  GError *error = NULL;
  FraiseExpr *expr = NULL;

  if (g_strcmp0 (self->text, text) == 0)
    return;
  if (text != NULL)
    expr = fraise_expr_parse (text, &error);
  g_clear_pointer (&self->expr, fraise_expr_unref);
  self->expr = expr;
  _fraise_element_set_property_error (FRAISE_ELEMENT (self), "expr", error);
  _fraise_set_str (&self->text, text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPR]);
}

static void
fraise_filter_element_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  FraiseFilterElement *self = FRAISE_FILTER_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_EXPR:
      set_expr (self, g_value_get_string (value));
      break;
    case PROP_PUSH_DOWN:
      if (self->push_down != g_value_get_boolean (value))
        {
          self->push_down = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_filter_element_start (FraiseElement *element, GError **error)
{
  FraiseFilterElement *self = FRAISE_FILTER_ELEMENT (element);

  if (self->expr == NULL)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("no filter expression: set the expr property"));
      return FALSE;
    }
  return TRUE;
}

static FraiseFlow
fraise_filter_element_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseFilterElement *self = FRAISE_FILTER_ELEMENT (element);
  GError *local_error = NULL;
  const char *text;
  gsize len;

  text = fraise_row_get_text (row, &len);
  switch (self->pushdown != NULL
            ? _fraise_expr_pushdown_evaluate_residual (self->pushdown, text, len, &local_error)
            : fraise_expr_evaluate (self->expr, text, len, &local_error))
    {
    case FRAISE_TRUTH_TRUE:
      return fraise_element_push (element, row);
    case FRAISE_TRUTH_UNKNOWN:
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FRAISE_FLOW_ERROR;
        }
      return FRAISE_FLOW_OK;
    default:
      return FRAISE_FLOW_OK;
    }
}

/* The push-down of a run lasts for that run only. */
static void
fraise_filter_element_reset (FraiseElement *element)
{
  g_clear_pointer (&FRAISE_FILTER_ELEMENT (element)->pushdown, _fraise_expr_pushdown_free);
}

static gboolean
fraise_filter_element_finish (FraiseElement *element, GError **error)
{
  fraise_filter_element_reset (element);
  return TRUE;
}

static void
fraise_filter_element_class_init (FraiseFilterElementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->finalize = fraise_filter_element_finalize;
  object_class->get_property = fraise_filter_element_get_property;
  object_class->set_property = fraise_filter_element_set_property;
  element_class->start = fraise_filter_element_start;
  element_class->process = fraise_filter_element_process;
  element_class->reset = fraise_filter_element_reset;
  element_class->finish = fraise_filter_element_finish;

  properties[PROP_EXPR] = g_param_spec_string (
    "expr", "Expression", "The filter expression (docs/filter.md): rows it is true for are kept",
    NULL,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY | FRAISE_PARAM_PUSH_DOWN);
  properties[PROP_PUSH_DOWN] = g_param_spec_boolean (
    "push-down", "Push down",
    "Directly after the query, send the part of the expression with an exact SQL form to the "
    "server as WHERE (jsonb sources); the rest is evaluated here",
    TRUE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Filter", "Filter",
                                     "Keeps the rows an expression holds true for");
}

static void
fraise_filter_element_init (FraiseFilterElement *self)
{
  self->push_down = TRUE;
}

FraiseExpr *
_fraise_filter_element_get_expr (FraiseElement *element)
{
  return FRAISE_FILTER_ELEMENT (element)->expr;
}

gboolean
_fraise_filter_element_get_push_down (FraiseElement *element)
{
  return FRAISE_FILTER_ELEMENT (element)->push_down;
}

void
_fraise_filter_element_set_pushdown (FraiseElement *element, FraiseExprPushdown *pushdown)
{
  FraiseFilterElement *self = FRAISE_FILTER_ELEMENT (element);

  g_clear_pointer (&self->pushdown, _fraise_expr_pushdown_free);
  self->pushdown = pushdown;
}
