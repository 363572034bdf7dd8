/* fraise-signal-sink.c: `signal-sink`, which hands rows to the application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"

/**
 * FraiseSignalSink:
 *
 * The sink that gives rows to the application: it emits
 * [signal@Fraise.SignalSink::rows] once per `batch-size` rows (and with the
 * last rows at the end).
 *
 * A handler that cannot take more rows yet calls
 * [method@Fraise.SignalSink.hold]: the sink answers %FRAISE_FLOW_PENDING,
 * the source stops reading the socket and TCP flow control holds the
 * server, until [method@Fraise.SignalSink.release]. Memory stays bounded
 * however long the hold lasts.
 *
 * Since: 1.0
 */
struct _FraiseSignalSink {
  FraiseElement parent_instance;

  guint batch_size;
  GPtrArray *batch;
  gboolean held;
  gboolean emitting;
};

G_DEFINE_FINAL_TYPE (FraiseSignalSink, fraise_signal_sink, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_BATCH_SIZE,
  PROP_HELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ROWS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fraise_signal_sink_finalize (GObject *object)
{
  FraiseSignalSink *self = FRAISE_SIGNAL_SINK (object);

  g_ptr_array_unref (self->batch);

  G_OBJECT_CLASS (fraise_signal_sink_parent_class)->finalize (object);
}

static void
fraise_signal_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseSignalSink *self = FRAISE_SIGNAL_SINK (object);

  switch (prop_id)
    {
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_signal_sink_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  FraiseSignalSink *self = FRAISE_SIGNAL_SINK (object);

  switch (prop_id)
    {
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
emit_batch (FraiseSignalSink *self)
{
  g_autoptr (GPtrArray) batch = self->batch;

  self->batch = g_ptr_array_new_full (self->batch_size, (GDestroyNotify) fraise_row_unref);
  if (batch->len == 0)
    return;
  self->emitting = TRUE;
  g_signal_emit (self, signals[SIGNAL_ROWS], 0, batch);
  self->emitting = FALSE;
}

static FraiseFlow
fraise_signal_sink_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseSignalSink *self = FRAISE_SIGNAL_SINK (element);

  g_ptr_array_add (self->batch, fraise_row_ref (row));
  if (self->batch->len >= self->batch_size)
    emit_batch (self);
  return self->held ? FRAISE_FLOW_PENDING : FRAISE_FLOW_OK;
}

static gboolean
fraise_signal_sink_finish (FraiseElement *element, GError **error)
{
  FraiseSignalSink *self = FRAISE_SIGNAL_SINK (element);

  emit_batch (self);
  if (self->held)
    fraise_element_defer (element); /* finished once released */
  return TRUE;
}

static void
fraise_signal_sink_reset (FraiseElement *element)
{
  FraiseSignalSink *self = FRAISE_SIGNAL_SINK (element);

  g_ptr_array_set_size (self->batch, 0);
}

static void
fraise_signal_sink_class_init (FraiseSignalSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->finalize = fraise_signal_sink_finalize;
  object_class->get_property = fraise_signal_sink_get_property;
  object_class->set_property = fraise_signal_sink_set_property;
  element_class->process = fraise_signal_sink_process;
  element_class->finish = fraise_signal_sink_finish;
  element_class->reset = fraise_signal_sink_reset;

  /**
   * FraiseSignalSink:batch-size:
   *
   * Rows per [signal@Fraise.SignalSink::rows] emission (the last one may
   * have fewer). 1 gives each row as soon as it arrives.
   *
   * Since: 1.0
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", "Batch size", "Rows per rows signal", 1, 1u << 20, 256,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FraiseSignalSink:held:
   *
   * Whether the application holds the sink ([method@Fraise.SignalSink.hold]).
   *
   * Since: 1.0
   */
  properties[PROP_HELD] =
    g_param_spec_boolean ("held", "Held", "Whether the application holds the sink", FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FraiseSignalSink::rows:
   * @sink: the sink
   * @rows: (element-type Fraise.Row): the rows, in order
   *
   * A batch of rows. Emitted synchronously while the pipeline pushes rows,
   * on the client's main context. The handler may keep references to the
   * rows, call [method@Fraise.SignalSink.hold] to stop the flow until
   * [method@Fraise.SignalSink.release], or stop the pipeline; it must not
   * iterate the main context.
   *
   * Since: 1.0
   */
  signals[SIGNAL_ROWS] = g_signal_new ("rows", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  fraise_element_class_set_metadata (element_class, "Signal sink", "Sink",
                                     "Emits the rows to the application in batches, with hold and "
                                     "release for backpressure");
}

static void
fraise_signal_sink_init (FraiseSignalSink *self)
{
  self->batch_size = 256;
  self->batch = g_ptr_array_new_full (self->batch_size, (GDestroyNotify) fraise_row_unref);
}

/**
 * fraise_signal_sink_hold:
 * @sink: a signal sink
 *
 * Stops the flow of rows to @sink: the row being handled is its last
 * until [method@Fraise.SignalSink.release]. While held, the source does
 * not read the socket, so the server waits (its backend shows a
 * `ClientWrite` wait) and memory stays flat. Call it from the
 * [signal@Fraise.SignalSink::rows] handler or at any time during the run.
 *
 * Since: 1.0
 */
void
fraise_signal_sink_hold (FraiseSignalSink *sink)
{
  g_return_if_fail (FRAISE_IS_SIGNAL_SINK (sink));

  if (sink->held)
    return;
  sink->held = TRUE;
  g_object_notify_by_pspec (G_OBJECT (sink), properties[PROP_HELD]);
}

/**
 * fraise_signal_sink_release:
 * @sink: a signal sink
 *
 * Lets rows flow again after [method@Fraise.SignalSink.hold]. The
 * pipeline continues from an idle callback, not inside this call.
 * Releasing a sink that is not held does nothing.
 *
 * Since: 1.0
 */
void
fraise_signal_sink_release (FraiseSignalSink *sink)
{
  g_return_if_fail (FRAISE_IS_SIGNAL_SINK (sink));

  if (!sink->held)
    return;
  sink->held = FALSE;
  g_object_notify_by_pspec (G_OBJECT (sink), properties[PROP_HELD]);
  if (fraise_element_is_pending (FRAISE_ELEMENT (sink)))
    fraise_element_resume (FRAISE_ELEMENT (sink), FRAISE_FLOW_OK);
}
