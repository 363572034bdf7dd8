/* fraise-element.c: the base class of pipeline elements
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An element handles one row at a time. A transform forwards with
 * fraise_element_push() and returns what downstream returned, so STOP,
 * PENDING and ERROR travel back to the source with no extra plumbing (the
 * `return gst_pad_push (...)` idiom of GStreamer). What a failure is, and
 * what the element's on-error policy does with it, is decided in one
 * place: _fraise_element_process(), which both fraise_element_push() and the
 * pipeline's source loop go through.
 *
 * Bindings: a Python or GJS `do_process` that raises returns a zero-filled
 * value, and the zero value of FraiseFlow is ERROR, so an exception can
 * never let the pipeline continue; ERROR without a GError is reported as
 * such, naming the element.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"

/**
 * FraiseElement:
 *
 * The base class of pipeline elements: the `query` source, filters,
 * transforms and sinks.
 *
 * A subclass overrides `process` (and, when it holds state, `start`,
 * `finish` and `reset`). In C:
 *
 * ```c
 * static FraiseFlow
 * upper_process (FraiseElement *element, FraiseRow *row, GError **error)
 * {
 *   g_autofree char *text = g_utf8_strup (fraise_row_get_text (row, NULL), -1);
 *   g_autoptr (FraiseRow) out = fraise_row_new_from_text (text, -1, error);
 *
 *   if (out == NULL)
 *     return FRAISE_FLOW_ERROR;
 *   return fraise_element_push (element, out);
 * }
 * ```
 *
 * In Python, `class Upper(Fraise.Element)` with `do_process (self, row)`,
 * registered with [method@Fraise.Registry.register]. Raising in
 * `do_process` fails the pipeline with an error naming the element.
 *
 * Every element has a `name` (unique in its pipeline; the pipeline gives
 * `filter0`, `filter1`, … to unnamed ones), an `on-error` policy, and row
 * counters read through properties.
 *
 * Since: 1.0
 */

typedef struct {
  char *name;
  char *factory_name;
  FraiseOnError on_error;

  FraisePipeline *pipeline; /* not referenced: the pipeline owns us */
  FraiseElement *next;      /* not referenced: the pipeline owns it */
  gboolean pending;         /* returned PENDING or deferred its finish */
  gboolean deferred;        /* fraise_element_defer() was called in finish */
  gboolean in_finish;

  guint64 rows_in;
  guint64 rows_out;
  guint64 rows_dropped;
  guint64 rows_routed;

  char *property_error_name;
  GError *property_error;
} FraiseElementPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FraiseElement, fraise_element, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ON_ERROR,
  PROP_ROWS_IN,
  PROP_ROWS_OUT,
  PROP_ROWS_DROPPED,
  PROP_ROWS_ROUTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static FraiseFlow
fraise_element_real_process (FraiseElement *self, FraiseRow *row, GError **error)
{
  return fraise_element_push (self, row);
}

static void
fraise_element_finalize (GObject *object)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (FRAISE_ELEMENT (object));

  g_free (priv->name);
  g_free (priv->factory_name);
  g_free (priv->property_error_name);
  g_clear_error (&priv->property_error);

  G_OBJECT_CLASS (fraise_element_parent_class)->finalize (object);
}

static void
fraise_element_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseElement *self = FRAISE_ELEMENT (object);
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_ON_ERROR:
      g_value_set_enum (value, priv->on_error);
      break;
    case PROP_ROWS_IN:
      g_value_set_uint64 (value, priv->rows_in);
      break;
    case PROP_ROWS_OUT:
      g_value_set_uint64 (value, priv->rows_out);
      break;
    case PROP_ROWS_DROPPED:
      g_value_set_uint64 (value, priv->rows_dropped);
      break;
    case PROP_ROWS_ROUTED:
      g_value_set_uint64 (value, priv->rows_routed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_element_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FraiseElement *self = FRAISE_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      fraise_element_set_name (self, g_value_get_string (value));
      break;
    case PROP_ON_ERROR:
      fraise_element_set_on_error (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_element_class_init (FraiseElementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fraise_element_finalize;
  object_class->get_property = fraise_element_get_property;
  object_class->set_property = fraise_element_set_property;
  klass->process = fraise_element_real_process;

  /**
   * FraiseElement:name:
   *
   * The element's name, unique in its pipeline; error messages start with
   * it (`filter0: …`). Unnamed elements get the registry name followed by
   * a number when they are added to a pipeline.
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", "Name", "The element's name in its pipeline", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseElement:on-error:
   *
   * What happens to a row this element fails on: fail the pipeline (the
   * default), drop the row, or route it to the dead-letter branch.
   *
   * Since: 1.0
   */
  properties[PROP_ON_ERROR] = g_param_spec_enum (
    "on-error", "On error", "What to do with a row the element fails on", FRAISE_TYPE_ON_ERROR,
    FRAISE_ON_ERROR_FAIL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseElement:rows-in:
   *
   * Rows given to this element in the current or last run.
   *
   * Since: 1.0
   */
  properties[PROP_ROWS_IN] =
    g_param_spec_uint64 ("rows-in", "Rows in", "Rows given to the element", 0, G_MAXUINT64, 0, ro);

  /**
   * FraiseElement:rows-out:
   *
   * Rows this element pushed downstream in the current or last run.
   *
   * Since: 1.0
   */
  properties[PROP_ROWS_OUT] = g_param_spec_uint64 (
    "rows-out", "Rows out", "Rows the element pushed downstream", 0, G_MAXUINT64, 0, ro);

  /**
   * FraiseElement:rows-dropped:
   *
   * Rows this element failed on and dropped (`on-error=drop`).
   *
   * Since: 1.0
   */
  properties[PROP_ROWS_DROPPED] =
    g_param_spec_uint64 ("rows-dropped", "Rows dropped", "Rows the element failed on and dropped",
                         0, G_MAXUINT64, 0, ro);

  /**
   * FraiseElement:rows-routed:
   *
   * Rows this element failed on and sent to the dead-letter branch
   * (`on-error=route`).
   *
   * Since: 1.0
   */
  properties[PROP_ROWS_ROUTED] = g_param_spec_uint64 (
    "rows-routed", "Rows routed", "Rows the element failed on and routed", 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fraise_element_init (FraiseElement *self)
{
}

/**
 * fraise_element_get_name:
 * @self: an element
 *
 * The element's name.
 *
 * Returns: (nullable): the name, or %NULL before the element is named
 *
 * Since: 1.0
 */
const char *
fraise_element_get_name (FraiseElement *self)
{
  FraiseElementPrivate *priv;

  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), NULL);

  priv = fraise_element_get_instance_private (self);
  return priv->name;
}

/**
 * fraise_element_set_name:
 * @self: an element
 * @name: (nullable): the new name
 *
 * Names the element. The name must be unique in the pipeline; set it
 * before adding the element.
 *
 * Since: 1.0
 */
void
fraise_element_set_name (FraiseElement *self, const char *name)
{
  FraiseElementPrivate *priv;

  g_return_if_fail (FRAISE_IS_ELEMENT (self));

  priv = fraise_element_get_instance_private (self);
  if (_fraise_set_str (&priv->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/**
 * fraise_element_get_factory_name:
 * @self: an element
 *
 * The name the element's type is registered under (`filter`, `jsonl-sink`).
 *
 * Returns: (nullable): the registry name, or %NULL when the type is not
 *   registered
 *
 * Since: 1.0
 */
const char *
fraise_element_get_factory_name (FraiseElement *self)
{
  FraiseElementPrivate *priv;

  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), NULL);

  priv = fraise_element_get_instance_private (self);
  if (priv->factory_name == NULL)
    {
      FraiseElementInfo *info =
        fraise_registry_lookup_type (fraise_registry_get_default (), G_OBJECT_TYPE (self));

      if (info != NULL)
        priv->factory_name = g_strdup (fraise_element_info_get_name (info));
    }
  return priv->factory_name;
}

void
_fraise_element_set_factory_name (FraiseElement *self, const char *factory_name)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  _fraise_set_str (&priv->factory_name, factory_name);
}

/**
 * fraise_element_get_on_error:
 * @self: an element
 *
 * The element's error policy.
 *
 * Returns: the policy
 *
 * Since: 1.0
 */
FraiseOnError
fraise_element_get_on_error (FraiseElement *self)
{
  FraiseElementPrivate *priv;

  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), FRAISE_ON_ERROR_FAIL);

  priv = fraise_element_get_instance_private (self);
  return priv->on_error;
}

/**
 * fraise_element_set_on_error:
 * @self: an element
 * @on_error: the policy
 *
 * Sets what happens to a row the element fails on.
 *
 * Since: 1.0
 */
void
fraise_element_set_on_error (FraiseElement *self, FraiseOnError on_error)
{
  FraiseElementPrivate *priv;

  g_return_if_fail (FRAISE_IS_ELEMENT (self));
  g_return_if_fail (on_error <= FRAISE_ON_ERROR_ROUTE);

  priv = fraise_element_get_instance_private (self);
  if (priv->on_error == on_error)
    return;
  priv->on_error = on_error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ON_ERROR]);
}

/* ---- the pipeline's side ---------------------------------------------------- */

void
_fraise_element_link (FraiseElement *self, FraisePipeline *pipeline, FraiseElement *next)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  priv->pipeline = pipeline;
  priv->next = next;
}

FraisePipeline *
_fraise_element_get_pipeline (FraiseElement *self)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  return priv->pipeline;
}

FraiseElement *
_fraise_element_get_next (FraiseElement *self)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  return priv->next;
}

void
_fraise_element_clear_counters (FraiseElement *self)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  priv->rows_in = priv->rows_out = priv->rows_dropped = priv->rows_routed = 0;
  priv->pending = FALSE;
  priv->deferred = FALSE;
}

static const char *
display_name (FraiseElement *self)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  if (priv->name != NULL)
    return priv->name;
  return G_OBJECT_TYPE_NAME (self);
}

/* The error of a failure: the element's own, or one saying it gave none. */
static GError *
failure_error (FraiseFlow flow, GError *error)
{
  if (error != NULL)
    return error;
  if (flow == FRAISE_FLOW_ERROR)
    return g_error_new_literal (
      FRAISE_ERROR, FRAISE_ERROR_CONFIG,
      _("the element failed without an error (an unhandled exception in a binding?)"));
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                      _("the element returned %d, which is not a FraiseFlow value"), (int) flow);
}

FraiseFlow
_fraise_element_process (FraiseElement *self, FraiseRow *row)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);
  GError *error = NULL;
  FraiseFlow flow;
  guint pending_before = _fraise_pipeline_count_pending (priv->pipeline);

  priv->rows_in++;
  flow = FRAISE_ELEMENT_GET_CLASS (self)->process (self, row, &error);

  if (G_LIKELY (error == NULL && flow > FRAISE_FLOW_ERROR && flow <= FRAISE_FLOW_PENDING))
    {
      /* PENDING that no element downstream started is this element's own. */
      if (flow == FRAISE_FLOW_PENDING &&
          _fraise_pipeline_count_pending (priv->pipeline) == pending_before)
        {
          priv->pending = TRUE;
          _fraise_pipeline_element_pending (priv->pipeline, self);
        }
      return flow;
    }

  /* ERROR from downstream, already reported there, passes through as is. */
  if (error == NULL && flow == FRAISE_FLOW_ERROR && priv->pipeline != NULL &&
      _fraise_pipeline_has_failed (priv->pipeline))
    return FRAISE_FLOW_ERROR;

  error = failure_error (flow, error);
  switch (priv->on_error)
    {
    case FRAISE_ON_ERROR_DROP:
      priv->rows_dropped++;
      g_error_free (error);
      return FRAISE_FLOW_OK;
    case FRAISE_ON_ERROR_ROUTE:
      priv->rows_routed++;
      flow = _fraise_pipeline_route (priv->pipeline, self, row, error);
      g_error_free (error);
      return flow;
    case FRAISE_ON_ERROR_FAIL:
    default:
      _fraise_pipeline_element_failed (priv->pipeline, self, row, error);
      return FRAISE_FLOW_ERROR;
    }
}

gboolean
_fraise_element_start (FraiseElement *self, GError **error)
{
  FraiseElementClass *klass = FRAISE_ELEMENT_GET_CLASS (self);
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  if (priv->property_error != NULL)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("property \"%s\": %s"), priv->property_error_name,
                      priv->property_error->message);
      return FALSE;
    }
  if (klass->start == NULL)
    return TRUE;
  if (!klass->start (self, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("could not start (no error was given)"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_fraise_element_finish (FraiseElement *self, gboolean *deferred, GError **error)
{
  FraiseElementClass *klass = FRAISE_ELEMENT_GET_CLASS (self);
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);
  gboolean ok = TRUE;

  *deferred = FALSE;
  if (klass->finish == NULL)
    return TRUE;

  priv->in_finish = TRUE;
  priv->deferred = FALSE;
  ok = klass->finish (self, error);
  priv->in_finish = FALSE;
  if (!ok)
    {
      priv->deferred = FALSE;
      if (error != NULL && *error == NULL)
        g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("could not finish (no error was given)"));
      return FALSE;
    }
  if (priv->deferred)
    {
      priv->pending = TRUE;
      _fraise_pipeline_element_pending (priv->pipeline, self);
      *deferred = TRUE;
    }
  return TRUE;
}

void
_fraise_element_reset (FraiseElement *self)
{
  FraiseElementClass *klass = FRAISE_ELEMENT_GET_CLASS (self);
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  priv->pending = FALSE;
  priv->deferred = FALSE;
  if (klass->reset != NULL)
    klass->reset (self);
}

void
_fraise_element_set_property_error (FraiseElement *self, const char *property, GError *error)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  if (error == NULL)
    {
      if (g_strcmp0 (priv->property_error_name, property) == 0)
        {
          g_clear_pointer (&priv->property_error_name, g_free);
          g_clear_error (&priv->property_error);
        }
      return;
    }
  if (priv->property_error != NULL && g_strcmp0 (priv->property_error_name, property) != 0)
    {
      g_error_free (error); /* the first refused value is the one reported */
      return;
    }
  g_clear_error (&priv->property_error);
  _fraise_set_str (&priv->property_error_name, property);
  priv->property_error = error;
}

GError *
_fraise_element_take_property_error (FraiseElement *self)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  g_clear_pointer (&priv->property_error_name, g_free);
  return g_steal_pointer (&priv->property_error);
}

/* ---- the element's API ------------------------------------------------------- */

/**
 * fraise_element_push:
 * @self: an element
 * @row: (transfer none): the row to forward
 *
 * Hands @row to the next element and returns its flow. Return that from
 * `process`, so STOP, PENDING and ERROR reach the source. The last element
 * of a chain pushes nowhere: the row is dropped and the result is
 * %FRAISE_FLOW_OK.
 *
 * Returns: the downstream flow
 *
 * Since: 1.0
 */
FraiseFlow
fraise_element_push (FraiseElement *self, FraiseRow *row)
{
  FraiseElementPrivate *priv;

  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), FRAISE_FLOW_ERROR);
  g_return_val_if_fail (row != NULL, FRAISE_FLOW_ERROR);

  priv = fraise_element_get_instance_private (self);
  priv->rows_out++;
  if (priv->next == NULL)
    return FRAISE_FLOW_OK;
  return _fraise_element_process (priv->next, row);
}

/**
 * fraise_element_is_pending:
 * @self: an element
 *
 * Whether the element returned %FRAISE_FLOW_PENDING (or deferred its
 * finish) and has not resumed yet.
 *
 * Returns: %TRUE while the pipeline waits for the element
 *
 * Since: 1.0
 */
gboolean
fraise_element_is_pending (FraiseElement *self)
{
  FraiseElementPrivate *priv;

  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), FALSE);

  priv = fraise_element_get_instance_private (self);
  return priv->pending;
}

static void
resume (FraiseElement *self, FraiseFlow result, GError *error)
{
  FraiseElementPrivate *priv = fraise_element_get_instance_private (self);

  if (!priv->pending || priv->pipeline == NULL)
    {
      g_critical ("%s: fraise_element_resume() called, but the element is not pending "
                  "(a second resume, or a resume without a PENDING)",
                  display_name (self));
      g_clear_error (&error);
      return;
    }
  priv->pending = FALSE;
  priv->deferred = FALSE;
  _fraise_pipeline_element_resumed (priv->pipeline, self, result, error);
}

/**
 * fraise_element_resume:
 * @self: an element that returned %FRAISE_FLOW_PENDING or deferred its finish
 * @result: %FRAISE_FLOW_OK to take rows again, %FRAISE_FLOW_STOP to end the
 *   run, or %FRAISE_FLOW_ERROR to fail it (prefer
 *   [method@Fraise.Element.resume_with_error], which says why)
 *
 * Ends the wait that %FRAISE_FLOW_PENDING (or [method@Fraise.Element.defer])
 * started. The pipeline continues from an idle callback, never inside this
 * call. Resuming an element that is not pending is a programming error: a
 * critical warning, and nothing happens.
 *
 * Since: 1.0
 */
void
fraise_element_resume (FraiseElement *self, FraiseFlow result)
{
  g_return_if_fail (FRAISE_IS_ELEMENT (self));

  resume (self, result, NULL);
}

/**
 * fraise_element_resume_with_error:
 * @self: a pending element
 * @error: (transfer full): why the element failed
 *
 * Ends the wait with a failure: the pipeline fails with @error, named
 * after the element.
 *
 * Since: 1.0
 */
void
fraise_element_resume_with_error (FraiseElement *self, GError *error)
{
  g_return_if_fail (FRAISE_IS_ELEMENT (self));
  g_return_if_fail (error != NULL);

  resume (self, FRAISE_FLOW_ERROR, error);
}

/**
 * fraise_element_defer:
 * @self: an element inside its `finish`
 *
 * Called from `finish` by an element with output still in flight (a sink
 * whose last write has not completed): `finish` returns %TRUE, and the
 * pipeline waits for [method@Fraise.Element.resume] before it finishes the
 * next element and completes.
 *
 * Since: 1.0
 */
void
fraise_element_defer (FraiseElement *self)
{
  FraiseElementPrivate *priv;

  g_return_if_fail (FRAISE_IS_ELEMENT (self));

  priv = fraise_element_get_instance_private (self);
  if (!priv->in_finish)
    {
      g_critical ("%s: fraise_element_defer() is only allowed inside finish", display_name (self));
      return;
    }
  priv->deferred = TRUE;
}

/**
 * fraise_element_post_message:
 * @self: an element in a pipeline
 * @message: (transfer none): a message, typically an `a{sv}` dictionary;
 *   a floating reference is sunk
 *
 * Emits the pipeline's [signal@Fraise.Pipeline::element-message] with the
 * message: progress, summaries (count-sink posts its counts).
 *
 * Since: 1.0
 */
void
fraise_element_post_message (FraiseElement *self, GVariant *message)
{
  FraiseElementPrivate *priv;

  g_return_if_fail (FRAISE_IS_ELEMENT (self));
  g_return_if_fail (message != NULL);

  priv = fraise_element_get_instance_private (self);
  g_variant_ref_sink (message);
  if (priv->pipeline != NULL)
    _fraise_pipeline_post_message (priv->pipeline, self, message);
  g_variant_unref (message);
}

/**
 * fraise_element_get_rows_in:
 * @self: an element
 *
 * Rows given to the element in the current or last run.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint64
fraise_element_get_rows_in (FraiseElement *self)
{
  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), 0);
  return ((FraiseElementPrivate *) fraise_element_get_instance_private (self))->rows_in;
}

/**
 * fraise_element_get_rows_out:
 * @self: an element
 *
 * Rows the element pushed downstream in the current or last run.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint64
fraise_element_get_rows_out (FraiseElement *self)
{
  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), 0);
  return ((FraiseElementPrivate *) fraise_element_get_instance_private (self))->rows_out;
}

/**
 * fraise_element_get_rows_dropped:
 * @self: an element
 *
 * Rows the element failed on and dropped (`on-error=drop`).
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint64
fraise_element_get_rows_dropped (FraiseElement *self)
{
  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), 0);
  return ((FraiseElementPrivate *) fraise_element_get_instance_private (self))->rows_dropped;
}

/**
 * fraise_element_get_rows_routed:
 * @self: an element
 *
 * Rows the element failed on and sent to the dead-letter branch.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint64
fraise_element_get_rows_routed (FraiseElement *self)
{
  g_return_val_if_fail (FRAISE_IS_ELEMENT (self), 0);
  return ((FraiseElementPrivate *) fraise_element_get_instance_private (self))->rows_routed;
}

/* ---- class metadata ------------------------------------------------------------ */

static GQuark
metadata_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("fraise-element-metadata");
  return quark;
}

/**
 * fraise_element_class_set_metadata:
 * @klass: an element class, in its class_init
 * @long_name: a name for people (`JSON Lines sink`)
 * @classification: `Source`, `Filter`, `Transform` or `Sink`
 * @description: one sentence on what the element does
 *
 * Sets the metadata the registry and fraise-inspect show. Bindings can
 * pass it to [method@Fraise.Registry.register_full] instead.
 *
 * Since: 1.0
 */
void
fraise_element_class_set_metadata (FraiseElementClass *klass,
                                   const char *long_name,
                                   const char *classification,
                                   const char *description)
{
  GHashTable *metadata;

  g_return_if_fail (FRAISE_IS_ELEMENT_CLASS (klass));

  metadata = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (metadata, (gpointer) "long-name", g_strdup (long_name));
  g_hash_table_insert (metadata, (gpointer) "klass", g_strdup (classification));
  g_hash_table_insert (metadata, (gpointer) "description", g_strdup (description));
  /* Class data lives as long as the type: never freed, like the class. */
  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), metadata_quark (), metadata);
}

const char *
_fraise_element_type_get_metadata (GType type, const char *key)
{
  for (; type != 0 && type != FRAISE_TYPE_ELEMENT; type = g_type_parent (type))
    {
      GHashTable *metadata = g_type_get_qdata (type, metadata_quark ());

      if (metadata != NULL)
        return g_hash_table_lookup (metadata, key);
    }
  return NULL;
}
