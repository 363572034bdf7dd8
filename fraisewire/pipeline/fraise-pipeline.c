/* fraise-pipeline.c: a query source and a chain of elements, run on a client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One run, on the client's main context and with no threads:
 *
 *   start every element -> execute the source's query -> take a batch
 *   from the stream -> push each row down the chain -> next batch ...
 *   -> end of data -> finish every element in order -> done
 *
 * The pipeline asks the stream for the next batch only when the chain is
 * free, so the only buffers are the stream's own (bounded in rows and
 * bytes) and the one row each pending element holds: while an element is
 * PENDING nothing is asked, the stream buffer fills, the stream stops
 * reading the socket, and TCP flow control holds the server.
 *
 * Endings:
 * - STOP (a `limit`, or fraise_pipeline_stop()): the query is cancelled and
 *   drained, then every element finishes: a normal end.
 * - An element failing under on-error=fail, or the query failing: the
 *   query is cancelled and drained, every element is reset, the run fails.
 * - The GCancellable: the same, and the run reports G_IO_ERROR_CANCELLED.
 * The run completes only once the stream has ended, so the client can run
 * its next query at once.
 */

#include "fraise-private.h"
#include "fraise-client-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-pipeline-run-private.h"

#include <string.h>

/**
 * FraisePipeline:
 *
 * A `query` source and a linear chain of elements, built from a
 * description or in code, and run on a [class@Fraise.Client].
 *
 * ```c
 * g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new_from_description (
 *   "query source=v_user ! filter expr=\"age >= 18\" ! project fields=id,name ! jsonl-sink",
 *   &error);
 * if (pipeline == NULL || !fraise_pipeline_run_sync (pipeline, client, NULL, &error))
 *   g_printerr ("%s\n", error->message);
 * ```
 *
 * Rows flow one at a time; an element that is busy returns
 * %FRAISE_FLOW_PENDING and the source stops reading the socket until it
 * resumes, so memory stays bounded whatever the consumer's speed.
 *
 * Since: 1.0
 */

G_DEFINE_FINAL_TYPE (FraisePipeline, fraise_pipeline, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ROWS_PROCESSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ELEMENT_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fraise_pipeline_dispose (GObject *object)
{
  FraisePipeline *self = FRAISE_PIPELINE (object);

  /* A task holds a reference to us: a run in progress keeps us alive. */
  for (guint i = 0; i < self->elements->len; i++)
    _fraise_element_link (g_ptr_array_index (self->elements, i), NULL, NULL);
  for (guint i = 0; i < self->dead_letter->len; i++)
    _fraise_element_link (g_ptr_array_index (self->dead_letter, i), NULL, NULL);
  g_ptr_array_set_size (self->elements, 0);
  g_ptr_array_set_size (self->dead_letter, 0);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (fraise_pipeline_parent_class)->dispose (object);
}

static void
fraise_pipeline_finalize (GObject *object)
{
  FraisePipeline *self = FRAISE_PIPELINE (object);

  g_ptr_array_unref (self->elements);
  g_ptr_array_unref (self->dead_letter);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->fixed_rows, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (fraise_pipeline_parent_class)->finalize (object);
}

static void
fraise_pipeline_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraisePipeline *self = FRAISE_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ROWS_PROCESSED:
      g_value_set_uint64 (value, self->rows_processed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_pipeline_class_init (FraisePipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fraise_pipeline_dispose;
  object_class->finalize = fraise_pipeline_finalize;
  object_class->get_property = fraise_pipeline_get_property;

  /**
   * FraisePipeline:state:
   *
   * Where the pipeline is: idle, running, stopping, or how its last run
   * ended. Notified on each change.
   *
   * Since: 1.0
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", "State", "The pipeline's state", FRAISE_TYPE_PIPELINE_STATE,
                       FRAISE_PIPELINE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraisePipeline:rows-processed:
   *
   * Rows the source delivered into the chain in the current or last run.
   * Notified once per batch, not per row.
   *
   * Since: 1.0
   */
  properties[PROP_ROWS_PROCESSED] = g_param_spec_uint64 (
    "rows-processed", "Rows processed", "Rows the source delivered into the chain", 0, G_MAXUINT64,
    0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FraisePipeline::element-message:
   * @pipeline: the pipeline
   * @element: the element that posted the message
   * @message: the message, typically an `a{sv}` dictionary
   *
   * Progress and summaries from elements (count-sink posts its counts when
   * it finishes). Emitted synchronously from the element's
   * [method@Fraise.Element.post_message], on the client's main context,
   * while rows flow: the handler must not block; it may stop the pipeline.
   *
   * Since: 1.0
   */
  signals[SIGNAL_ELEMENT_MESSAGE] =
    g_signal_new ("element-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, FRAISE_TYPE_ELEMENT, G_TYPE_VARIANT);
}

static void
fraise_pipeline_init (FraisePipeline *self)
{
  self->elements = g_ptr_array_new_with_free_func (g_object_unref);
  self->dead_letter = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * fraise_pipeline_new:
 *
 * An empty pipeline, to build in code: add a `query` source first, then
 * the elements of the chain, in order.
 *
 * Returns: (transfer full): a new pipeline
 *
 * Since: 1.0
 */
FraisePipeline *
fraise_pipeline_new (void)
{
  return g_object_new (FRAISE_TYPE_PIPELINE, NULL);
}

void
_fraise_pipeline_set_state (FraisePipeline *self, FraisePipelineState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
name_taken (FraisePipeline *self, const char *name)
{
  return name != NULL && fraise_pipeline_get_by_name (self, name) != NULL;
}

/* "filter0", "filter1": the first number no element of the pipeline uses. */
static void
give_default_name (FraisePipeline *self, FraiseElement *element)
{
  const char *base = fraise_element_get_factory_name (element);
  g_autofree char *lower = NULL;

  if (base == NULL)
    base = lower = g_ascii_strdown (G_OBJECT_TYPE_NAME (element), -1);
  for (guint n = 0;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s%u", base, n);

      if (!name_taken (self, name))
        {
          fraise_element_set_name (element, name);
          return;
        }
    }
}

static void
add_to (FraisePipeline *self, GPtrArray *chain, FraiseElement *element)
{
  g_return_if_fail (FRAISE_IS_PIPELINE (self));
  g_return_if_fail (FRAISE_IS_ELEMENT (element));
  g_return_if_fail (self->task == NULL);
  g_return_if_fail (_fraise_element_get_pipeline (element) == NULL);

  if (fraise_element_get_name (element) == NULL)
    give_default_name (self, element);
  else if (name_taken (self, fraise_element_get_name (element)))
    {
      g_critical ("fraise_pipeline_add: the pipeline already has an element named \"%s\"",
                  fraise_element_get_name (element));
      return;
    }
  g_ptr_array_add (chain, g_object_ref (element));
  _fraise_element_link (element, self, NULL);
}

/**
 * fraise_pipeline_add:
 * @pipeline: a pipeline that is not running
 * @element: (transfer none): the element to append to the chain
 *
 * Appends @element to the chain (the first one must be a `query`
 * source). An unnamed element is named after its registry name and a
 * number (`filter0`); a name already used in the pipeline is a
 * programming error.
 *
 * Since: 1.0
 */
void
fraise_pipeline_add (FraisePipeline *pipeline, FraiseElement *element)
{
  add_to (pipeline, pipeline->elements, element);
}

/**
 * fraise_pipeline_add_dead_letter:
 * @pipeline: a pipeline that is not running
 * @element: (transfer none): the element to append to the `errors` chain
 *
 * Appends @element to the dead-letter chain: the rows elements fail on
 * under `on-error=route` go there as
 * `{"row":…,"element":…,"row_index":…,"error":{"domain":…,"code":…,"message":…}}`
 * (in a description: `… errors ! jsonl-sink location=dlq.jsonl`).
 *
 * Since: 1.0
 */
void
fraise_pipeline_add_dead_letter (FraisePipeline *pipeline, FraiseElement *element)
{
  add_to (pipeline, pipeline->dead_letter, element);
}

/**
 * fraise_pipeline_get_by_name:
 * @pipeline: a pipeline
 * @name: an element name (`filter0`)
 *
 * Finds an element of either chain by name.
 *
 * Returns: (transfer none) (nullable): the element, or %NULL
 *
 * Since: 1.0
 */
FraiseElement *
fraise_pipeline_get_by_name (FraisePipeline *pipeline, const char *name)
{
  GPtrArray *chains[2];

  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  chains[0] = pipeline->elements;
  chains[1] = pipeline->dead_letter;
  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < chains[c]->len; i++)
      {
        FraiseElement *element = g_ptr_array_index (chains[c], i);

        if (g_strcmp0 (fraise_element_get_name (element), name) == 0)
          return element;
      }
  return NULL;
}

static GPtrArray *
copy_chain (GPtrArray *chain)
{
  GPtrArray *copy = g_ptr_array_new_full (chain->len, g_object_unref);

  for (guint i = 0; i < chain->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (chain, i)));
  return copy;
}

/**
 * fraise_pipeline_get_elements:
 * @pipeline: a pipeline
 *
 * The elements of the chain, source first.
 *
 * Returns: (transfer container) (element-type Fraise.Element): the elements
 *
 * Since: 1.0
 */
GPtrArray *
fraise_pipeline_get_elements (FraisePipeline *pipeline)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);
  return copy_chain (pipeline->elements);
}

/**
 * fraise_pipeline_get_dead_letter_elements:
 * @pipeline: a pipeline
 *
 * The elements of the `errors` chain.
 *
 * Returns: (transfer container) (element-type Fraise.Element): the elements
 *
 * Since: 1.0
 */
GPtrArray *
fraise_pipeline_get_dead_letter_elements (FraisePipeline *pipeline)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);
  return copy_chain (pipeline->dead_letter);
}

/**
 * fraise_pipeline_get_state:
 * @pipeline: a pipeline
 *
 * The pipeline's state.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
FraisePipelineState
fraise_pipeline_get_state (FraisePipeline *pipeline)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), FRAISE_PIPELINE_STATE_IDLE);
  return pipeline->state;
}

/**
 * fraise_pipeline_get_rows_processed:
 * @pipeline: a pipeline
 *
 * Rows the source delivered into the chain in the current or last run.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint64
fraise_pipeline_get_rows_processed (FraisePipeline *pipeline)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), 0);
  return pipeline->rows_processed;
}

/**
 * fraise_pipeline_get_stream:
 * @pipeline: a pipeline
 *
 * The stream of the current or last run, for its statistics.
 *
 * Returns: (transfer none) (nullable): the stream, or %NULL before the
 *   query of the first run was executed
 *
 * Since: 1.0
 */
FraiseStream *
fraise_pipeline_get_stream (FraisePipeline *pipeline)
{
  g_return_val_if_fail (FRAISE_IS_PIPELINE (pipeline), NULL);
  return pipeline->stream;
}

/* ---- what elements call -------------------------------------------------------- */

FraiseRegistry *
_fraise_pipeline_get_registry (FraisePipeline *pipeline)
{
  return fraise_registry_get_default ();
}

void
_fraise_pipeline_post_message (FraisePipeline *pipeline, FraiseElement *element, GVariant *message)
{
  g_signal_emit (pipeline, signals[SIGNAL_ELEMENT_MESSAGE], 0, element, message);
}

void
_fraise_pipeline_notify_rows (FraisePipeline *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_PROCESSED]);
}
