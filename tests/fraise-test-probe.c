/* fraise-test-probe.c: a scriptable pipeline element for the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-probe.h"
#include "fraise-pipeline-private.h"
#include "fraise-test-utils.h"

G_DEFINE_FINAL_TYPE (FraiseTestProbe, fraise_test_probe, FRAISE_TYPE_ELEMENT)

static void
fraise_test_probe_finalize (GObject *object)
{
  FraiseTestProbe *self = FRAISE_TEST_PROBE (object);

  g_string_free (self->log, TRUE);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (fraise_test_probe_parent_class)->finalize (object);
}

static gboolean
probe_start (FraiseElement *element, GError **error)
{
  FraiseTestProbe *self = FRAISE_TEST_PROBE (element);

  self->starts++;
  g_string_append (self->log, "start");
  return TRUE;
}

static FraiseFlow
probe_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseTestProbe *self = FRAISE_TEST_PROBE (element);
  guint64 index = fraise_row_get_index (row);
  gboolean here = index == self->at;
  FraiseFlow flow = FRAISE_FLOW_OK;

  g_string_append_printf (self->log, " row:%" G_GUINT64_FORMAT, index);
  if (here && self->mode == PROBE_FAIL)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON, "boom at %" G_GUINT64_FORMAT, index);
      return FRAISE_FLOW_ERROR;
    }
  if (here && self->mode == PROBE_BARE_ERROR)
    return FRAISE_FLOW_ERROR;

  if (self->sink)
    g_ptr_array_add (self->rows, fraise_row_ref (row));
  else
    flow = fraise_element_push (element, row);

  if (here && self->mode == PROBE_ERROR_WITH_OK)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON, "error with OK at %" G_GUINT64_FORMAT,
                   index);
      return FRAISE_FLOW_OK;
    }
  if (here && self->mode == PROBE_PENDING)
    return FRAISE_FLOW_PENDING;
  if (here && self->mode == PROBE_STOP)
    return FRAISE_FLOW_STOP;
  return flow;
}

static gboolean
probe_finish (FraiseElement *element, GError **error)
{
  FraiseTestProbe *self = FRAISE_TEST_PROBE (element);

  self->finishes++;
  g_string_append (self->log, " finish");
  if (self->mode == PROBE_DEFER_FINISH)
    fraise_element_defer (element);
  return TRUE;
}

static void
probe_reset (FraiseElement *element)
{
  FraiseTestProbe *self = FRAISE_TEST_PROBE (element);

  self->resets++;
  g_string_append (self->log, " reset");
}

static void
fraise_test_probe_class_init (FraiseTestProbeClass *klass)
{
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fraise_test_probe_finalize;
  element_class->start = probe_start;
  element_class->process = probe_process;
  element_class->finish = probe_finish;
  element_class->reset = probe_reset;
}

static void
fraise_test_probe_init (FraiseTestProbe *self)
{
  self->log = g_string_new (NULL);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  self->at = G_MAXUINT64;
}

FraiseTestProbe *
fraise_test_probe_new (const char *name, gboolean sink, ProbeMode mode, guint64 at)
{
  FraiseTestProbe *probe = g_object_new (FRAISE_TYPE_TEST_PROBE, "name", name, NULL);

  probe->sink = sink;
  probe->mode = mode;
  probe->at = at;
  return probe;
}

GPtrArray *
fraise_test_rows (guint n)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\":%u}", i);

      g_ptr_array_add (rows, fraise_row_new (text, -1, i));
    }
  return rows;
}

static void
on_run (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
fraise_test_run_rows (FraisePipeline *pipeline,
                      GPtrArray *rows,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + fraise_test_scaled (30 * G_USEC_PER_SEC);

  _fraise_pipeline_run_rows_async (pipeline, rows, cancellable, on_run, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  return fraise_pipeline_run_finish (pipeline, result, error);
}
