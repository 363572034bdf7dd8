/* test-pipeline.c: elements, flow and registry, with no server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The chain runs on fixed rows (_fraise_pipeline_run_rows_async): the same
 * run loop as on a query's stream, minus the stream. The live tests
 * (test-pipeline-live.c) cover what needs a server: backpressure on the
 * socket, cancelling the query, reusing the client.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-query-source-private.h"
#include "fraise-test-probe.h"
#include "fraise-test-utils.h"

static FraisePipeline *
chain (FraiseElement *first, ...)
{
  FraisePipeline *pipeline = fraise_pipeline_new ();
  va_list args;

  va_start (args, first);
  for (FraiseElement *e = first; e != NULL; e = va_arg (args, FraiseElement *))
    {
      fraise_pipeline_add (pipeline, e);
      g_object_unref (e);
    }
  va_end (args);
  return pipeline;
}

static FraiseTestProbe *
probe (FraisePipeline *pipeline, const char *name)
{
  return FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (pipeline, name));
}

static FraiseElement *
make (const char *factory, const char *first_property, ...)
{
  g_autoptr (GError) error = NULL;
  FraiseElement *element =
    fraise_registry_make_element (fraise_registry_get_default (), factory, NULL, &error);
  va_list args;

  g_assert_no_error (error);
  va_start (args, first_property);
  if (first_property != NULL)
    g_object_set_valist (G_OBJECT (element), first_property, args);
  va_end (args);
  return element;
}

static void
test_pass_through (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_PASS, 0)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (100);
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 100);
  for (guint i = 0; i < 100; i++)
    g_assert_true (g_ptr_array_index (probe (p, "b")->rows, i) == g_ptr_array_index (rows, i));
  g_assert_cmpuint (probe (p, "a")->finishes, ==, 1);
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 1);
  g_assert_cmpuint (probe (p, "a")->resets, ==, 0);
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (p), ==, 100);
  g_assert_cmpuint (fraise_element_get_rows_in (FRAISE_ELEMENT (probe (p, "a"))), ==, 100);
  g_assert_cmpuint (fraise_element_get_rows_out (FRAISE_ELEMENT (probe (p, "a"))), ==, 100);
  g_assert_cmpuint (fraise_element_get_rows_out (FRAISE_ELEMENT (probe (p, "b"))), ==, 0);
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_COMPLETED);

  /* A second run starts from zero. */
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 200);
  g_assert_cmpuint (probe (p, "b")->starts, ==, 2);
  g_assert_cmpuint (fraise_element_get_rows_in (FRAISE_ELEMENT (probe (p, "a"))), ==, 100);
}

static void
test_default_names (void)
{
  g_autoptr (FraisePipeline) p =
               chain (make ("limit", NULL), make ("sample", NULL), make ("limit", NULL), NULL);
  FraiseElement *named = make ("count-sink", "name", "counter", NULL);

  g_assert_nonnull (fraise_pipeline_get_by_name (p, "limit0"));
  g_assert_nonnull (fraise_pipeline_get_by_name (p, "sample0"));
  g_assert_nonnull (fraise_pipeline_get_by_name (p, "limit1"));
  g_assert_null (fraise_pipeline_get_by_name (p, "limit2"));
  fraise_pipeline_add (p, named);
  g_assert_true (fraise_pipeline_get_by_name (p, "counter") == named);
  g_assert_cmpstr (fraise_element_get_factory_name (named), ==, "count-sink");
  g_object_unref (named);
}

static void
test_stop_from_limit (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_PASS, 0)),
                      make ("limit", "count", (gint64) 10, NULL),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (100);
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 10);
  /* The limit stops at its tenth row, not at the eleventh. */
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (p), ==, 10);
  g_assert_cmpstr (probe (p, "a")->log->str, ==,
                   "start row:0 row:1 row:2 row:3 row:4 row:5 row:6 row:7 row:8 row:9 finish");
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 1);
  g_assert_cmpuint (probe (p, "b")->resets, ==, 0);
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_COMPLETED);
}

static void
test_limit_zero (void)
{
  g_autoptr (FraisePipeline) p =
               chain (make ("limit", "count", (gint64) 0, NULL),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (5);
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 0);
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 1);
}

typedef struct {
  FraisePipeline *pipeline;
  FraiseElement *element;
  guint64 processed_during_hold;
  gboolean pending_during_hold;
  FraiseFlow flow;
} Resumer;

static gboolean
resume_later (gpointer user_data)
{
  Resumer *r = user_data;

  r->processed_during_hold = fraise_pipeline_get_rows_processed (r->pipeline);
  r->pending_during_hold = fraise_element_is_pending (r->element);
  fraise_element_resume (r->element, r->flow);
  return G_SOURCE_REMOVE;
}

static void
test_pending (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_PASS, 0)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PENDING, 5)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (100);
  g_autoptr (GError) error = NULL;
  Resumer r = { p, FRAISE_ELEMENT (probe (p, "b")), 0, FALSE, FRAISE_FLOW_OK };

  g_timeout_add (100, resume_later, &r);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  /* Nothing moved while the sink was pending: row 5 was the last in. */
  g_assert_true (r.pending_during_hold);
  g_assert_cmpuint (r.processed_during_hold, ==, 6);
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 100);
  g_assert_false (fraise_element_is_pending (r.element));
  /* The transform upstream passed PENDING on; it was never pending itself. */
  g_assert_false (fraise_element_is_pending (FRAISE_ELEMENT (probe (p, "a"))));
}

static void
test_pending_then_stop (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PENDING, 3)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (100);
  g_autoptr (GError) error = NULL;
  Resumer r = { p, FRAISE_ELEMENT (probe (p, "b")), 0, FALSE, FRAISE_FLOW_STOP };

  g_timeout_add (20, resume_later, &r);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 4);
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 1);
}

static void
test_double_resume (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PENDING, 1)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;
  Resumer r = { p, FRAISE_ELEMENT (probe (p, "b")), 0, FALSE, FRAISE_FLOW_OK };

  g_timeout_add (20, resume_later, &r);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 10);

  /* The second resume is a programming error: a critical, nothing else. */
  g_test_expect_message ("Fraise", G_LOG_LEVEL_CRITICAL,
                         "*b: fraise_element_resume()*not pending*");
  fraise_element_resume (FRAISE_ELEMENT (probe (p, "b")), FRAISE_FLOW_OK);
  g_test_assert_expected_messages ();
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_COMPLETED);
}

static void
check_failure (ProbeMode mode, const char *message)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, mode, 3)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;

  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  /* No row after the failing one went on, and nobody was finished. */
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (p), ==, 4);
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, mode == PROBE_ERROR_WITH_OK ? 4 : 3);
  g_assert_cmpuint (probe (p, "a")->finishes, ==, 0);
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 0);
  g_assert_cmpuint (probe (p, "a")->resets, ==, 1);
  g_assert_cmpuint (probe (p, "b")->resets, ==, 1);
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_FAILED);
}

static void
test_fail_with_error (void)
{
  check_failure (PROBE_FAIL, "a: boom at 3 (row 3)");
}

static void
test_error_without_gerror (void)
{
  check_failure (
    PROBE_BARE_ERROR,
    "a: the element failed without an error (an unhandled exception in a binding?) (row 3)");
}

static void
test_gerror_with_ok (void)
{
  check_failure (PROBE_ERROR_WITH_OK, "a: error with OK at 3 (row 3)");
}

static void
test_downstream_failure_passes_through (void)
{
  /* b fails; a (on-error=drop) must not drop: the failure is b's. */
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_PASS, 0)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_FAIL, 2)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;

  fraise_element_set_on_error (FRAISE_ELEMENT (probe (p, "a")), FRAISE_ON_ERROR_DROP);
  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_cmpstr (error->message, ==, "b: boom at 2 (row 2)");
  g_assert_cmpuint (fraise_element_get_rows_dropped (FRAISE_ELEMENT (probe (p, "a"))), ==, 0);
}

static void
test_on_error_drop (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_FAIL, 3)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;

  g_object_set (probe (p, "a"), "on-error", FRAISE_ON_ERROR_DROP, NULL);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 9);
  g_assert_cmpuint (fraise_element_get_rows_dropped (FRAISE_ELEMENT (probe (p, "a"))), ==, 1);
  g_assert_cmpuint (fraise_element_get_rows_routed (FRAISE_ELEMENT (probe (p, "a"))), ==, 0);
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 1);
}

static void
test_on_error_route (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_FAIL, 3)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (FraiseTestProbe) dlq = fraise_test_probe_new ("dlq", TRUE, PROBE_PASS, 0);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *record, *err;
  const char *text;

  fraise_pipeline_add_dead_letter (p, FRAISE_ELEMENT (dlq));
  g_object_set (probe (p, "a"), "on-error", FRAISE_ON_ERROR_ROUTE, NULL);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe (p, "b")->rows->len, ==, 9);
  g_assert_cmpuint (dlq->rows->len, ==, 1);
  g_assert_cmpuint (fraise_element_get_rows_routed (FRAISE_ELEMENT (probe (p, "a"))), ==, 1);
  g_assert_cmpuint (dlq->finishes, ==, 1);

  text = fraise_row_get_text (g_ptr_array_index (dlq->rows, 0), NULL);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  record = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (record, "row"), "i"),
                   ==, 3);
  g_assert_cmpstr (json_object_get_string_member (record, "element"), ==, "a");
  g_assert_cmpint (json_object_get_int_member (record, "row_index"), ==, 3);
  err = json_object_get_object_member (record, "error");
  g_assert_cmpstr (json_object_get_string_member (err, "domain"), ==,
                   g_quark_to_string (FRAISE_ERROR));
  g_assert_cmpint (json_object_get_int_member (err, "code"), ==, FRAISE_ERROR_JSON);
  g_assert_cmpstr (json_object_get_string_member (err, "message"), ==, "boom at 3");
}

static void
test_route_needs_branch (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_FAIL, 3)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;

  g_object_set (probe (p, "a"), "on-error", FRAISE_ON_ERROR_ROUTE, NULL);
  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "no errors branch"));
  g_assert_cmpuint (probe (p, "a")->starts, ==, 0);
}

static void
test_source_must_be_first (void)
{
  g_autoptr (FraisePipeline) p = chain (make ("limit", NULL), make ("query", NULL), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (1);
  g_autoptr (GError) error = NULL;

  g_assert_false (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, "query0: a query source can only be the first element");
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_resets (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", FALSE, PROBE_PASS, 0)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PENDING, 4)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  g_timeout_add (20, cancel_later, cancellable);
  g_assert_false (fraise_test_run_rows (p, rows, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (probe (p, "a")->finishes, ==, 0);
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 0);
  g_assert_cmpuint (probe (p, "a")->resets, ==, 1);
  g_assert_cmpuint (probe (p, "b")->resets, ==, 1);
  g_assert_false (fraise_element_is_pending (FRAISE_ELEMENT (probe (p, "b"))));
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_CANCELLED);
}

static void
test_start_failure (void)
{
  /* A query source with no relation fails its start: nothing else starts,
   * nothing is sent (the port is closed anyway). */
  g_autoptr (FraisePipeline) p = chain (make ("query", NULL), NULL);
  g_autoptr (FraiseTestProbe) after = fraise_test_probe_new ("after", TRUE, PROBE_PASS, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = fraise_client_new ("postgres://127.0.0.1:1/x", &error);

  g_assert_no_error (error);
  fraise_pipeline_add (p, FRAISE_ELEMENT (after));
  g_assert_false (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "query0: no source relation"));
  g_assert_cmpuint (after->starts, ==, 0);
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_IDLE);
}

static void
test_defer_finish (void)
{
  g_autoptr (FraisePipeline) p =
               chain (FRAISE_ELEMENT (fraise_test_probe_new ("a", TRUE, PROBE_DEFER_FINISH, 0)),
                      FRAISE_ELEMENT (fraise_test_probe_new ("b", TRUE, PROBE_PASS, 0)), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (3);
  g_autoptr (GError) error = NULL;
  Resumer r = { p, FRAISE_ELEMENT (probe (p, "a")), 0, FALSE, FRAISE_FLOW_OK };

  g_timeout_add (50, resume_later, &r);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_true (r.pending_during_hold);
  /* b finished only after a's deferred finish was resumed. */
  g_assert_cmpuint (probe (p, "b")->finishes, ==, 1);
}

static void
on_rows_hold (FraiseSignalSink *sink, GPtrArray *rows, gpointer user_data)
{
  GPtrArray *batches = user_data;

  g_ptr_array_add (batches, g_ptr_array_ref (rows));
  if (batches->len == 1)
    fraise_signal_sink_hold (sink);
}

static gboolean
release_later (gpointer user_data)
{
  fraise_signal_sink_release (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_signal_sink (void)
{
  g_autoptr (FraisePipeline) p = chain (make ("signal-sink", "batch-size", 4u, NULL), NULL);
  FraiseSignalSink *sink = FRAISE_SIGNAL_SINK (fraise_pipeline_get_by_name (p, "signal-sink0"));
  g_autoptr (GPtrArray) batches =
               g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;

  g_signal_connect (sink, "rows", G_CALLBACK (on_rows_hold), batches);
  g_timeout_add (50, release_later, sink);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (batches->len, ==, 3);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (batches, 0))->len, ==, 4);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (batches, 1))->len, ==, 4);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (batches, 2))->len, ==, 2);
  g_assert_false (fraise_element_is_pending (FRAISE_ELEMENT (sink)));
  /* Releasing a sink that is not held is harmless. */
  fraise_signal_sink_release (sink);
}

static void
on_message (FraisePipeline *pipeline, FraiseElement *element, GVariant *message, gpointer user_data)
{
  GVariant **out = user_data;

  g_assert_true (FRAISE_IS_ELEMENT (element));
  g_clear_pointer (out, g_variant_unref);
  *out = g_variant_ref (message);
}

static void
test_count_sink_and_sample (void)
{
  g_autoptr (FraisePipeline) p =
               chain (make ("sample", "every", 3u, NULL), make ("count-sink", NULL), NULL);
  g_autoptr (GPtrArray) rows = fraise_test_rows (10);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) message = NULL;
  guint64 counted = 0, bytes = 0;

  g_signal_connect (p, "element-message", G_CALLBACK (on_message), &message);
  g_assert_true (fraise_test_run_rows (p, rows, NULL, &error));
  g_assert_nonnull (message);
  g_assert_true (g_variant_lookup (message, "rows", "t", &counted));
  g_assert_true (g_variant_lookup (message, "bytes", "t", &bytes));
  /* Rows 0, 3, 6, 9: {"i":0} is 7 bytes. */
  g_assert_cmpuint (counted, ==, 4);
  g_assert_cmpuint (bytes, ==, 28);
  g_object_get (fraise_pipeline_get_by_name (p, "count-sink0"), "rows", &counted, NULL);
  g_assert_cmpuint (counted, ==, 4);
}

static void
test_registry (void)
{
  FraiseRegistry *registry = fraise_registry_get_default ();
  g_autoptr (FraiseRegistry) own = fraise_registry_new ();
  g_autoptr (GPtrArray) list = fraise_registry_list (registry);
  g_autoptr (GError) error = NULL;
  FraiseElementInfo *info = fraise_registry_lookup (registry, "limit");

  g_assert_nonnull (info);
  g_assert_cmpstr (fraise_element_info_get_classification (info), ==, "Filter");
  g_assert_cmpstr (fraise_element_info_get_plugin (info), ==, "built-in");
  g_assert_cmpstr (fraise_element_info_get_long_name (info), ==, "Limit");
  g_assert_true (
    fraise_registry_lookup_type (registry, fraise_element_info_get_element_type (info)) == info);
  for (guint i = 1; i < list->len; i++)
    g_assert_cmpstr (fraise_element_info_get_name (g_ptr_array_index (list, i - 1)), <,
                     fraise_element_info_get_name (g_ptr_array_index (list, i)));

  /* A second registration of a name names both owners. */
  g_assert_true (fraise_registry_register (own, "probe", FRAISE_TYPE_TEST_PROBE, &error));
  g_assert_false (fraise_registry_register (own, "probe", FRAISE_TYPE_TEST_PROBE, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "element \"probe\" is already registered by application (type "
                   "FraiseTestProbe); application cannot register it again (type FraiseTestProbe)");
  g_clear_error (&error);
  g_assert_false (fraise_registry_register (own, "limit", FRAISE_TYPE_TEST_PROBE, &error));
  g_assert_nonnull (strstr (error->message, "already registered by built-in"));
  g_clear_error (&error);
  g_assert_false (fraise_registry_register (own, "Bad Name", FRAISE_TYPE_TEST_PROBE, &error));
  g_clear_error (&error);
  g_assert_false (fraise_registry_register (own, "element", FRAISE_TYPE_ELEMENT, &error));
  g_assert_nonnull (strstr (error->message, "not a concrete FraiseElement type"));
  g_clear_error (&error);
  /* The default registry did not get the private one's element. */
  g_assert_null (fraise_registry_lookup (registry, "probe"));

  g_assert_null (fraise_registry_make_element (registry, "limt", NULL, &error));
  g_assert_cmpstr (error->message, ==, "no element named \"limt\" (did you mean \"limit\"?)");
}

static void
test_row_new_from_text (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseRow) row = fraise_row_new_from_text ("{\"a\":[1,2]}", -1, &error);
  FraiseRow *bad;

  g_assert_no_error (error);
  g_assert_nonnull (fraise_row_get_node (row, &error));
  g_assert_cmpstr (fraise_row_get_text (row, NULL), ==, "{\"a\":[1,2]}");
  bad = fraise_row_new_from_text ("{\"a\":", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
}

static void
test_query_source_settings (void)
{
  g_autoptr (FraiseElement) query = make ("query", "source", "v_user", "order-by",
                                          "name desc nulls-last, age", "limit", (gint64) 5, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = fraise_client_new ("postgres://localhost/x", &error);
  g_autoptr (FraiseQuery) q = NULL;
  g_autofree char *sql = NULL;
  GError *property_error;

  q = _fraise_query_source_build ((gpointer) query, client, &error);
  g_assert_no_error (error);
  sql = fraise_query_to_sql (q, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sql, ==,
                   "SELECT data FROM v_user ORDER BY (data->>'name') DESC NULLS LAST, "
                   "(data->>'age') ASC LIMIT 5");

  /* A bad order-by is kept as the property's error. */
  g_object_set (query, "order-by", "name sideways", NULL);
  property_error = _fraise_element_take_property_error (query);
  g_assert_nonnull (property_error);
  g_assert_nonnull (strstr (property_error->message, "\"sideways\""));
  g_error_free (property_error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pipeline/rows/pass-through", test_pass_through);
  g_test_add_func ("/pipeline/rows/default-names", test_default_names);
  g_test_add_func ("/pipeline/flow/stop-from-limit", test_stop_from_limit);
  g_test_add_func ("/pipeline/flow/limit-zero", test_limit_zero);
  g_test_add_func ("/pipeline/flow/pending", test_pending);
  g_test_add_func ("/pipeline/flow/pending-then-stop", test_pending_then_stop);
  g_test_add_func ("/pipeline/flow/double-resume", test_double_resume);
  g_test_add_func ("/pipeline/flow/defer-finish", test_defer_finish);
  g_test_add_func ("/pipeline/error/gerror", test_fail_with_error);
  g_test_add_func ("/pipeline/error/zero-value", test_error_without_gerror);
  g_test_add_func ("/pipeline/error/gerror-with-ok", test_gerror_with_ok);
  g_test_add_func ("/pipeline/error/downstream", test_downstream_failure_passes_through);
  g_test_add_func ("/pipeline/error/drop", test_on_error_drop);
  g_test_add_func ("/pipeline/error/route", test_on_error_route);
  g_test_add_func ("/pipeline/error/route-needs-branch", test_route_needs_branch);
  g_test_add_func ("/pipeline/error/source-first", test_source_must_be_first);
  g_test_add_func ("/pipeline/error/start-failure", test_start_failure);
  g_test_add_func ("/pipeline/cancel/resets", test_cancel_resets);
  g_test_add_func ("/pipeline/elements/signal-sink", test_signal_sink);
  g_test_add_func ("/pipeline/elements/count-sink-sample", test_count_sink_and_sample);
  g_test_add_func ("/pipeline/elements/query-source", test_query_source_settings);
  g_test_add_func ("/pipeline/registry", test_registry);
  g_test_add_func ("/pipeline/row-new-from-text", test_row_new_from_text);
  return g_test_run ();
}
