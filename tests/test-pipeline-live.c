/* test-pipeline-live.c: pipelines on the real server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What needs a server: a held sink stops the socket and the backend waits
 * in ClientWrite; a STOP cancels the query and the client runs the next one
 * at once; cancellation resets elements and leaves the client reusable;
 * errors of the query name the source element; a row stays alive while the
 * element it went to is pending.
 */

#include "fraise-private.h"
#include "fraise-test-probe.h"
#include "fraise-test-utils.h"

#include <stdio.h>
#include <string.h>

#define MILLION 1000000u

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
add (FraisePipeline *pipeline, FraiseElement *element)
{
  fraise_pipeline_add (pipeline, element);
  g_object_unref (element);
}

static FraisePipeline *
pipeline_on (const char *source)
{
  FraisePipeline *pipeline = fraise_pipeline_new ();

  add (pipeline, make ("query", "source", source, NULL));
  return pipeline;
}

/* Rows of @source counted by a plain stream on @client: the client is usable. */
static guint
count_rows (FraiseClient *client, const char *source)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (client, source);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseStream) stream = fraise_query_execute_sync (query, NULL, &error);
  guint n = 0;
  GPtrArray *batch;

  g_assert_no_error (error);
  while ((batch = fraise_stream_next_batch_sync (stream, NULL, &error)) != NULL && batch->len > 0)
    {
      n += batch->len;
      g_ptr_array_unref (batch);
    }
  g_clear_pointer (&batch, g_ptr_array_unref);
  g_assert_no_error (error);
  return n;
}

static guint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + 6, NULL, 10);
}

/* wait_event of backend @pid, seen by @admin. */
static char *
backend_wait_event (FraiseClient *admin, guint pid)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (admin, "pg_stat_activity");
  g_autofree char *where = g_strdup_printf ("pid = %u", pid);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  g_autoptr (FraiseRow) row = NULL;
  char *event;

  fraise_query_set_projection (query, "jsonb_build_object('wait_event', wait_event)");
  fraise_query_add_where_sql (query, where);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  row = fraise_stream_next_sync (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  event = fraise_row_get_string (row, "wait_event", NULL);
  g_assert_null (fraise_stream_next_sync (stream, NULL, &error));
  return event;
}

/* ---- a held signal-sink holds the server ---------------------------------- */

typedef struct {
  FraiseClient *client;
  FraiseClient *admin;
  FraiseSignalSink *sink;
  guint64 rows;
  guint64 rows_at_hold;
  guint64 max_rows_during_hold;
  gboolean saw_client_write;
  guint64 rss_start;
  guint64 rss_max;
  guint polls;
  gboolean held_once;
  guint hold_ms;
} Hold;

static gboolean
poll_hold (gpointer user_data)
{
  Hold *h = user_data;
  g_autofree char *event = backend_wait_event (h->admin, fraise_client_get_backend_pid (h->client));

  if (g_strcmp0 (event, "ClientWrite") == 0)
    h->saw_client_write = TRUE;
  h->max_rows_during_hold = MAX (h->max_rows_during_hold, h->rows);
  h->rss_max = MAX (h->rss_max, rss_kib ());
  if (++h->polls * 250 < h->hold_ms)
    return G_SOURCE_CONTINUE;
  g_test_message ("hold: %u polls, wait_event %s, rss %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
                  " KiB",
                  h->polls, event, h->rss_start, h->rss_max);
  fraise_signal_sink_release (h->sink);
  return G_SOURCE_REMOVE;
}

static void
on_rows (FraiseSignalSink *sink, GPtrArray *rows, gpointer user_data)
{
  Hold *h = user_data;

  h->rows += rows->len;
  if (!h->held_once && h->rows >= MILLION / 2)
    {
      h->held_once = TRUE;
      h->rows_at_hold = h->rows;
      h->rss_start = h->rss_max = rss_kib ();
      fraise_signal_sink_hold (sink);
      g_timeout_add (250, poll_hold, h);
    }
}

static void
test_hold (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseClient) admin = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) p = NULL;
  g_autoptr (GError) error = NULL;
  Hold h = { 0 };

  if (client == NULL || admin == NULL)
    return;
  p = pipeline_on ("v_gen_1m");
  add (p, make ("signal-sink", NULL));
  h.client = client;
  h.admin = admin;
  h.sink = FRAISE_SIGNAL_SINK (fraise_pipeline_get_by_name (p, "signal-sink0"));
  h.hold_ms = 5000;
  g_signal_connect (h.sink, "rows", G_CALLBACK (on_rows), &h);

  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (h.held_once);
  /* No row reached the sink while it was held. */
  g_assert_cmpuint (h.max_rows_during_hold, ==, h.rows_at_hold);
  g_assert_true (h.saw_client_write);
  /* Memory stayed flat over 5 s of a server that had more to send. */
  g_assert_cmpuint (h.rss_max - h.rss_start, <, 1024);
  /* Every row arrived once the sink was released. */
  g_assert_cmpuint (h.rows, ==, MILLION);
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (p), ==, MILLION);
}

/* ---- STOP from limit ------------------------------------------------------- */

static void
test_limit_stop (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) p = NULL;
  g_autoptr (GError) error = NULL;
  FraiseTestProbe *before, *after;
  guint pid;

  if (client == NULL)
    return;
  pid = fraise_client_get_backend_pid (client);
  p = pipeline_on ("v_gen_1m");
  add (p, FRAISE_ELEMENT (fraise_test_probe_new ("before", FALSE, PROBE_PASS, 0)));
  add (p, make ("limit", "count", (gint64) 10, NULL));
  add (p, FRAISE_ELEMENT (fraise_test_probe_new ("after", TRUE, PROBE_PASS, 0)));
  before = FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (p, "before"));
  after = FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (p, "after"));

  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after->rows->len, ==, 10);
  g_assert_cmpuint (before->finishes, ==, 1);
  g_assert_cmpuint (after->finishes, ==, 1);
  g_assert_cmpuint (before->resets + after->resets, ==, 0);
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_COMPLETED);
  g_assert_cmpint (fraise_stream_get_state (fraise_pipeline_get_stream (p)), ==,
                   FRAISE_STREAM_STATE_CANCELLED);

  /* The same connection runs the next query at once. */
  g_assert_true (fraise_client_is_connected (client));
  g_assert_cmpuint (fraise_client_get_backend_pid (client), ==, pid);
  g_assert_cmpuint (count_rows (client, "v_bench_1k"), ==, 1000);

  /* And the same pipeline runs again. */
  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_cmpuint (after->rows->len, ==, 20);
}

/* ---- cancellation ------------------------------------------------------------ */

typedef struct {
  GCancellable *cancellable;
  FraisePipeline *pipeline;
  guint64 rows;
  guint64 at;
} Canceller;

static void
on_rows_cancel (FraiseSignalSink *sink, GPtrArray *rows, gpointer user_data)
{
  Canceller *c = user_data;

  c->rows += rows->len;
  if (c->rows >= c->at && !g_cancellable_is_cancelled (c->cancellable))
    {
      if (c->cancellable != NULL)
        g_cancellable_cancel (c->cancellable);
    }
}

static void
test_cancel (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) p = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  Canceller c = { cancellable, NULL, 0, 50000 };
  FraiseTestProbe *probe;

  if (client == NULL)
    return;
  p = pipeline_on ("v_gen_1m");
  add (p, FRAISE_ELEMENT (fraise_test_probe_new ("probe", FALSE, PROBE_PASS, 0)));
  add (p, make ("signal-sink", NULL));
  probe = FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (p, "probe"));
  g_signal_connect (fraise_pipeline_get_by_name (p, "signal-sink0"), "rows",
                    G_CALLBACK (on_rows_cancel), &c);

  g_assert_false (fraise_pipeline_run_sync (p, client, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (probe->finishes, ==, 0);
  g_assert_cmpuint (probe->resets, ==, 1);
  g_assert_cmpuint (c.rows, <, MILLION);
  g_assert_cmpint (fraise_pipeline_get_state (p), ==, FRAISE_PIPELINE_STATE_CANCELLED);
  g_assert_cmpuint (count_rows (client, "v_bench_1k"), ==, 1000);
}

/* ---- graceful stop ----------------------------------------------------------- */

static void
on_rows_stop (FraiseSignalSink *sink, GPtrArray *rows, gpointer user_data)
{
  Canceller *c = user_data;

  c->rows += rows->len;
  if (c->rows >= c->at)
    fraise_pipeline_stop (c->pipeline);
}

static void
test_stop (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) p = NULL;
  g_autoptr (GError) error = NULL;
  Canceller c = { NULL, NULL, 0, 1000 };
  FraiseTestProbe *probe;
  guint64 rows_at_stop;

  if (client == NULL)
    return;
  p = pipeline_on ("v_gen_1m");
  add (p, make ("signal-sink", "batch-size", 100u, NULL));
  add (p, FRAISE_ELEMENT (fraise_test_probe_new ("probe", TRUE, PROBE_PASS, 0)));
  c.pipeline = p;
  probe = FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (p, "probe"));
  g_signal_connect (fraise_pipeline_get_by_name (p, "signal-sink0"), "rows",
                    G_CALLBACK (on_rows_stop), &c);

  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);
  rows_at_stop = c.rows;
  /* Nothing entered the chain after the stop, and everything was finished. */
  g_assert_cmpuint (rows_at_stop, ==, 1000);
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (p), ==, 1000);
  g_assert_cmpuint (probe->finishes, ==, 1);
  g_assert_cmpuint (probe->resets, ==, 0);
  g_assert_cmpuint (count_rows (client, "v_bench_1k"), ==, 1000);
}

/* ---- query errors name the source ------------------------------------------- */

static void
test_query_errors (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) missing = NULL;
  g_autoptr (FraisePipeline) mid = NULL;
  g_autoptr (GError) error = NULL;
  FraiseTestProbe *probe;

  if (client == NULL)
    return;
  missing = pipeline_on ("v_nope");
  add (missing, FRAISE_ELEMENT (fraise_test_probe_new ("probe", TRUE, PROBE_PASS, 0)));
  g_assert_false (fraise_pipeline_run_sync (missing, client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  g_assert_true (g_str_has_prefix (error->message, "query0: "));
  g_assert_nonnull (strstr (error->message, "42P01"));
  probe = FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (missing, "probe"));
  g_assert_cmpuint (probe->resets, ==, 1);
  g_assert_cmpuint (probe->finishes, ==, 0);
  g_clear_error (&error);

  /* An error after rows: the rows before it went through, then the run failed. */
  mid = pipeline_on ("v_error_mid");
  add (mid, FRAISE_ELEMENT (fraise_test_probe_new ("probe", TRUE, PROBE_PASS, 0)));
  g_assert_false (fraise_pipeline_run_sync (mid, client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  g_assert_true (g_str_has_prefix (error->message, "query0: "));
  probe = FRAISE_TEST_PROBE (fraise_pipeline_get_by_name (mid, "probe"));
  g_assert_cmpuint (probe->rows->len, ==, 10);
  g_assert_cmpuint (probe->finishes, ==, 0);

  g_assert_cmpuint (count_rows (client, "v_bench_1k"), ==, 1000);
}

/* ---- sample and count-sink on the server's rows ------------------------------- */

static void
on_summary (FraisePipeline *pipeline, FraiseElement *element, GVariant *message, gpointer user_data)
{
  GVariant **out = user_data;

  g_clear_pointer (out, g_variant_unref);
  *out = g_variant_ref (message);
}

static void
test_sample_count (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) p = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) summary = NULL;
  g_autoptr (FraiseQuery) query = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  guint64 rows = 0, bytes = 0, expected_bytes = 0, i = 0;
  FraiseRow *row;

  if (client == NULL)
    return;
  p = pipeline_on ("v_bench_1k");
  add (p, make ("sample", "every", 7u, NULL));
  add (p, make ("count-sink", NULL));
  g_signal_connect (p, "element-message", G_CALLBACK (on_summary), &summary);
  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);

  /* The same rows read by a plain stream: rows 0, 7, 14, … and their bytes. */
  query = fraise_client_query (client, "v_bench_1k");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      gsize len;

      fraise_row_get_text (row, &len);
      if (i++ % 7 == 0)
        expected_bytes += len;
      fraise_row_unref (row);
    }
  g_assert_no_error (error);

  g_assert_nonnull (summary);
  g_assert_true (g_variant_lookup (summary, "rows", "t", &rows));
  g_assert_true (g_variant_lookup (summary, "bytes", "t", &bytes));
  g_assert_cmpuint (rows, ==, 143);
  g_assert_cmpuint (bytes, ==, expected_bytes);
  g_assert_cmpuint (fraise_element_get_rows_in (fraise_pipeline_get_by_name (p, "sample0")), ==,
                    1000);
}

/* ---- a pending element holding a borrowed row ------------------------------ */

/* Answers PENDING for each row and pushes it from a timeout without taking a
 * reference, as a binding's wrapper of the borrowed row does. */
#define TEST_TYPE_LATER (test_later_get_type ())
G_DECLARE_FINAL_TYPE (TestLater, test_later, TEST, LATER, FraiseElement)

struct _TestLater {
  FraiseElement parent_instance;
  FraiseRow *held; /* borrowed */
  guint pendings;
};

G_DEFINE_FINAL_TYPE (TestLater, test_later, FRAISE_TYPE_ELEMENT)

static gboolean
later_resume (gpointer user_data)
{
  TestLater *self = user_data;
  FraiseRow *row = g_steal_pointer (&self->held);

  g_assert_true (fraise_element_is_pending (FRAISE_ELEMENT (self)));
  fraise_element_resume (FRAISE_ELEMENT (self), fraise_element_push (FRAISE_ELEMENT (self), row));
  return G_SOURCE_REMOVE;
}

static FraiseFlow
later_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  TestLater *self = (TestLater *) element;

  self->pendings++;
  self->held = row;
  g_timeout_add_full (G_PRIORITY_DEFAULT, 10, later_resume, g_object_ref (self), g_object_unref);
  return FRAISE_FLOW_PENDING;
}

static void
test_later_class_init (TestLaterClass *klass)
{
  FRAISE_ELEMENT_CLASS (klass)->process = later_process;
}

static void
test_later_init (TestLater *self)
{
}

/* The pipeline keeps a row alive while the element it went to is pending:
 * the first row comes alone in its batch, so the batch is used up when the
 * element answers PENDING (a freed row would be another's by the resume). */
static void
test_pending_borrowed_row (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraisePipeline) p = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseQuery) query = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  FraiseTestProbe *sink;
  TestLater *later;
  FraiseRow *row;
  guint i = 0;

  if (client == NULL)
    return;
  p = pipeline_on ("v_user");
  later = g_object_new (TEST_TYPE_LATER, "name", "later", NULL);
  add (p, FRAISE_ELEMENT (later));
  sink = fraise_test_probe_new ("sink", TRUE, PROBE_PASS, 0);
  add (p, FRAISE_ELEMENT (sink));
  g_assert_true (fraise_pipeline_run_sync (p, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (later->pendings, ==, 3);

  /* The sink has the rows a plain stream reads, each once, in order. */
  query = fraise_client_query (client, "v_user");
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink->rows->len, ==, 3);
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      FraiseRow *got = g_ptr_array_index (sink->rows, i);

      g_assert_cmpuint (fraise_row_get_index (got), ==, i);
      g_assert_cmpstr (fraise_row_get_text (got, NULL), ==, fraise_row_get_text (row, NULL));
      fraise_row_unref (row);
      i++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (i, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pipeline-live/hold", test_hold);
  g_test_add_func ("/pipeline-live/limit-stop", test_limit_stop);
  g_test_add_func ("/pipeline-live/cancel", test_cancel);
  g_test_add_func ("/pipeline-live/stop", test_stop);
  g_test_add_func ("/pipeline-live/query-errors", test_query_errors);
  g_test_add_func ("/pipeline-live/sample-count", test_sample_count);
  g_test_add_func ("/pipeline-live/pending-borrowed-row", test_pending_borrowed_row);
  return g_test_run ();
}
