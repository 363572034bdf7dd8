/* test-explain-live.c: fraise_pipeline_explain_*: the SQL, the decisions, the plan, the advice
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Against the harness's server, on tables this test makes: 50,000 rows
 * where 1 % have status "rare". Without an index the plan of a pushed
 * filter is a Seq Scan and the explanation advises the indexes; the test
 * creates exactly what was advised, runs ANALYZE, and sees the plan use
 * them and the advice go away.
 */

#include "fraise-test-utils.h"

#include <string.h>

#define N_ROWS 50000

static const char setup_sql[] =
  "DROP TABLE IF EXISTS tv_explain_live, tv_explain_renamed CASCADE;"
  "CREATE TABLE tv_explain_live (id int PRIMARY KEY, data jsonb NOT NULL);"
  "INSERT INTO tv_explain_live SELECT i, jsonb_build_object('id', i, 'name', 'n' || i,"
  "  'status', CASE WHEN i % 100 = 0 THEN 'rare' ELSE 'common' END, 'age', i % 1000)"
  "  FROM generate_series (1, 50000) i;"
  "CREATE VIEW v_explain_live AS SELECT data FROM tv_explain_live;"
  "CREATE TABLE tv_explain_renamed (payload jsonb NOT NULL);"
  "INSERT INTO tv_explain_renamed SELECT jsonb_build_object('status', 'x' || (i % 7))"
  "  FROM generate_series (1, 2000) i;"
  "CREATE VIEW v_explain_renamed AS SELECT payload AS data FROM tv_explain_renamed;"
  "CREATE VIEW v_explain_computed AS"
  "  SELECT jsonb_build_object('status', data->'status') AS data FROM tv_explain_live;"
  "ANALYZE tv_explain_live, tv_explain_renamed;";

/* rare rows have ages 0, 100, ... 900: 50 of them are 900, all named n…0. */
static const char pipeline_description[] =
  "query source=v_explain_live"
  " ! filter name=f expr='status == \"rare\" && age >= 900 && name =~ \"0$\"'"
  " ! limit name=l count=3 ! count-sink name=sink";

static const char *uri;

static gboolean
strv_has (const char *const *strv, const char *needle)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static FraiseExplanation *
explain (FraiseClient *client, const char *description)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new_from_description (description, &error);
  FraiseExplanation *explanation;

  g_assert_no_error (error);
  explanation = fraise_pipeline_explain_sync (pipeline, client, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (FRAISE_IS_EXPLANATION (explanation));
  return explanation;
}

/* The pushed WHERE, the client-side conjunct with its reason, the limit
 * kept on the client, a Seq Scan and the advice; then the advice applied
 * changes the plan. */
static void
test_advice_changes_plan (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseExplanation) before = NULL;
  g_autoptr (FraiseExplanation) after = NULL;
  g_autofree char *text = NULL;
  const char *const *advice;
  const char *const *decisions;
  const char *sql;

  if (client == NULL)
    return;
  fraise_test_psql (uri, "DROP INDEX IF EXISTS tv_explain_live_gin, tv_explain_live_age", NULL);
  before = explain (client, pipeline_description);

  sql = fraise_explanation_get_sql (before);
  g_assert_true (g_str_has_prefix (sql, "SELECT data FROM v_explain_live WHERE "));
  g_assert_nonnull (strstr (sql, "data @> '{\"status\":\"rare\"}'"));
  g_assert_nonnull (strstr (sql, "jsonb_typeof(data->'age') = 'number'"));
  g_assert_null (strstr (sql, "LIMIT")); /* the regex stays on the client, so does the limit */
  g_assert_null (strstr (sql, "=~"));

  decisions = fraise_explanation_get_decisions (before);
  g_assert_true (strv_has (decisions, "f: pushed into WHERE: "));
  g_assert_true (strv_has (decisions, "f: on the client: name =~ \"0$\" (regular expressions"));
  g_assert_true (strv_has (decisions, "l: on the client: an element before it"));

  g_assert_true (fraise_explanation_get_sequential_scan (before));
  g_assert_nonnull (strstr (fraise_explanation_get_plan (before), "\"Seq Scan\""));
  advice = fraise_explanation_get_advice (before);
  g_assert_cmpuint (g_strv_length ((char **) advice), ==, 2);
  g_assert_cmpstr (advice[0], ==,
                   "CREATE INDEX ON public.tv_explain_live USING gin (data jsonb_path_ops);");
  g_assert_cmpstr (advice[1], ==,
                   "CREATE INDEX ON public.tv_explain_live ((CASE WHEN jsonb_typeof(data->'age') "
                   "= 'number' THEN (data->'age')::numeric END));");
  text = fraise_explanation_to_string (before);
  g_assert_nonnull (strstr (text, "SQL:\n  SELECT data FROM v_explain_live WHERE "));
  g_assert_nonnull (strstr (text, "\nPlan:\n  Seq Scan on public.tv_explain_live"));
  g_assert_nonnull (strstr (text, "\n  CREATE INDEX ON public.tv_explain_live USING gin"));

  /* What was advised, verbatim. */
  for (guint i = 0; advice[i] != NULL; i++)
    fraise_test_psql (uri, advice[i], NULL);
  fraise_test_psql (uri, "ANALYZE tv_explain_live", NULL);

  after = explain (client, pipeline_description);
  g_assert_cmpstr (fraise_explanation_get_sql (after), ==, sql);
  g_assert_false (fraise_explanation_get_sequential_scan (after));
  g_assert_cmpuint (g_strv_length ((char **) fraise_explanation_get_advice (after)), ==, 0);
  g_assert_null (strstr (fraise_explanation_get_plan (after), "\"Seq Scan\""));
  g_assert_nonnull (strstr (fraise_explanation_get_plan (after), "\"Bitmap Index Scan\""));
  g_clear_pointer (&text, g_free);
  text = fraise_explanation_to_string (after);
  g_assert_null (strstr (text, "Advice"));
  g_assert_nonnull (strstr (text, "Index Cond: "));

  /* Each index on its own serves its conjunct. */
  g_clear_object (&after);
  after = explain (client, "query source=v_explain_live ! filter expr='age >= 990' ! count-sink");
  g_assert_nonnull (strstr (fraise_explanation_get_plan (after), "Index"));
  g_assert_false (fraise_explanation_get_sequential_scan (after));
}

/* An explanation leaves the pipeline as it was: the same pipeline then
 * runs and keeps exactly the rows it keeps when nothing is pushed. */
static void
test_pipeline_runs_after_explain (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (FraiseExplanation) explanation = NULL;
  guint64 count = 0, rows_in = 0;

  if (client == NULL)
    return;
  pipeline = fraise_pipeline_new_from_description (
    "query source=v_explain_live ! filter name=f expr='status == \"rare\" && age >= 900'"
    " ! limit name=l count=7 ! count-sink name=sink",
    &error);
  g_assert_no_error (error);
  explanation = fraise_pipeline_explain_sync (pipeline, client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (fraise_explanation_get_sql (explanation), " LIMIT 7"));
  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);
  g_object_get (fraise_pipeline_get_by_name (pipeline, "sink"), "rows", &count, NULL);
  g_assert_cmpuint (count, ==, 7);
  /* The run pushed it all: the filter saw only the rows the server kept. */
  g_object_get (fraise_pipeline_get_by_name (pipeline, "f"), "rows-in", &rows_in, NULL);
  g_assert_cmpuint (rows_in, ==, 7);
}

/* Everything after a fully pushed filter is merged, and each merge is a
 * decision: the LIMIT, then the projection the server builds. */
static void
test_merges_shown (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseExplanation) explanation = NULL;
  const char *const *decisions;

  if (client == NULL)
    return;
  explanation = explain (client, "query source=v_explain_live ! filter expr='status == \"rare\"'"
                                 " ! limit count=3 ! project fields=id,name ! count-sink");
  g_assert_cmpstr (fraise_explanation_get_sql (explanation), ==,
                   "SELECT json_build_object('id', data->'id', 'name', data->'name') AS data "
                   "FROM v_explain_live WHERE ((data @> '{\"status\":\"rare\"}')) LIMIT 3");
  decisions = fraise_explanation_get_decisions (explanation);
  g_assert_cmpuint (g_strv_length ((char **) decisions), ==, 3);
  g_assert_cmpstr (decisions[1], ==, "limit0: merged: LIMIT 3");
  g_assert_cmpstr (decisions[2], ==,
                   "project0: the server sends only the fields: "
                   "json_build_object('id', data->'id', 'name', data->'name')");
}

/* A view that renames the column: the advice is on the table's column. A
 * view that computes the document: no index can serve it, and it says so. */
static void
test_views (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseExplanation) renamed = NULL;
  g_autoptr (FraiseExplanation) computed = NULL;
  g_autofree char *text = NULL;
  const char *const *advice;

  if (client == NULL)
    return;
  renamed = explain (client, "query source=v_explain_renamed ! filter expr='status == \"x3\"' ! "
                             "count-sink");
  g_assert_true (fraise_explanation_get_sequential_scan (renamed));
  advice = fraise_explanation_get_advice (renamed);
  g_assert_cmpuint (g_strv_length ((char **) advice), ==, 1);
  g_assert_cmpstr (advice[0], ==,
                   "CREATE INDEX ON public.tv_explain_renamed USING gin (payload jsonb_path_ops);");
  /* Valid SQL, as written. */
  fraise_test_psql (uri, advice[0], NULL);
  fraise_test_psql (uri, "DROP INDEX tv_explain_renamed_payload_idx", NULL);

  computed = explain (client, "query source=v_explain_computed ! filter expr='status == \"rare\"'"
                              " ! count-sink");
  g_assert_true (fraise_explanation_get_sequential_scan (computed));
  g_assert_cmpuint (g_strv_length ((char **) fraise_explanation_get_advice (computed)), ==, 0);
  text = fraise_explanation_to_string (computed);
  g_assert_nonnull (strstr (text, "reads a document its view computes"));
}

/* Nothing pushed: no advice, whatever the plan; a json column says why. */
static void
test_nothing_pushed (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (FraiseExplanation) json = NULL;
  g_autoptr (FraiseExplanation) bare = NULL;
  g_autofree char *text = NULL;

  if (client == NULL)
    return;
  json = explain (client, "query source=v_document ! filter name=f expr='id == 1' ! count-sink");
  g_assert_cmpstr (fraise_explanation_get_sql (json), ==, "SELECT data FROM v_document");
  g_assert_true (strv_has (fraise_explanation_get_decisions (json),
                           "f: on the client: the data column is not jsonb"));
  g_assert_false (fraise_explanation_get_sequential_scan (json));
  g_assert_cmpuint (g_strv_length ((char **) fraise_explanation_get_advice (json)), ==, 0);

  bare = explain (client, "query source=v_explain_live ! count-sink");
  g_assert_cmpuint (g_strv_length ((char **) fraise_explanation_get_decisions (bare)), ==, 0);
  text = fraise_explanation_to_string (bare);
  g_assert_nonnull (strstr (text, "nothing to push down"));
  g_assert_nonnull (strstr (text, "Seq Scan on public.tv_explain_live"));
  g_assert_null (strstr (text, "Advice"));
}

static void
on_run_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_pipeline_run_finish (FRAISE_PIPELINE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
on_explain_busy (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseExplanation) explanation =
               fraise_pipeline_explain_finish (FRAISE_PIPELINE (object), result, &error);

  g_assert_null (explanation);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_BUSY);
  *(gboolean *) user_data = TRUE;
}

/* Refused while the pipeline runs, without touching the run; a source
 * that does not exist is the server's error and the client goes on. */
static void
test_errors (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraisePipeline) pipeline = NULL;
  g_autoptr (FraisePipeline) missing = NULL;
  g_autoptr (FraisePipeline) sourceless = NULL;
  g_autoptr (FraiseExplanation) explanation = NULL;
  gboolean ran = FALSE, refused = FALSE;
  guint64 count = 0;

  if (client == NULL)
    return;
  pipeline = fraise_pipeline_new_from_description (
    "query source=v_explain_live ! filter expr='status == \"rare\"' ! count-sink name=sink",
    &error);
  g_assert_no_error (error);
  fraise_pipeline_run_async (pipeline, client, NULL, on_run_done, &ran);
  fraise_pipeline_explain_async (pipeline, client, NULL, on_explain_busy, &refused);
  fraise_test_wait_for (&refused);
  fraise_test_wait_for (&ran);
  g_object_get (fraise_pipeline_get_by_name (pipeline, "sink"), "rows", &count, NULL);
  g_assert_cmpuint (count, ==, N_ROWS / 100);

  missing = fraise_pipeline_new_from_description (
    "query source=v_no_such_view ! filter expr='a == 1' ! count-sink", &error);
  g_assert_no_error (error);
  g_assert_null (fraise_pipeline_explain_sync (missing, client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_SERVER);
  g_clear_error (&error);

  sourceless = fraise_pipeline_new_from_description ("filter expr='a == 1' ! count-sink", &error);
  g_assert_no_error (error);
  g_assert_null (fraise_pipeline_explain_sync (sourceless, client, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_clear_error (&error);

  explanation = explain (client, "query source=v_explain_live ! count-sink");
  g_assert_nonnull (explanation);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  uri = g_getenv (FRAISE_TEST_ENV_URI);
  if (uri != NULL)
    fraise_test_psql (uri, setup_sql, NULL);

  g_test_add_func ("/explain-live/advice-changes-plan", test_advice_changes_plan);
  g_test_add_func ("/explain-live/pipeline-runs-after-explain", test_pipeline_runs_after_explain);
  g_test_add_func ("/explain-live/merges-shown", test_merges_shown);
  g_test_add_func ("/explain-live/views", test_views);
  g_test_add_func ("/explain-live/nothing-pushed", test_nothing_pushed);
  g_test_add_func ("/explain-live/errors", test_errors);

  status = g_test_run ();
  if (uri != NULL)
    fraise_test_psql (uri, "DROP TABLE tv_explain_live, tv_explain_renamed CASCADE", NULL);
  return status;
}
