/* test-pushdown-live.c: pipelines whose filter, limit and project move into the query's SQL
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Against the harness's server (v_bench_1k and v_null_data are jsonb,
 * v_document is json). Each case runs the same description with the
 * filter's push-down on and off: the rows must be the same, and the
 * filter's `rows-in` tells whether the server did the filtering.
 */

#include "fraise-test-utils.h"

#include <string.h>

typedef struct {
  GPtrArray *texts; /* the rows' text, in order */
  guint64 filter_rows_in;
  guint64 limit_rows_in;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->texts, g_ptr_array_unref);
}

static void
run_description (FraiseClient *client, const char *description, Run *run)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new_from_description (description, &error);
  g_autoptr (FraiseRowModel) model = NULL;
  FraiseElement *filter, *limit, *sink;

  g_assert_no_error (error);
  g_assert_true (fraise_pipeline_run_sync (pipeline, client, NULL, &error));
  g_assert_no_error (error);
  sink = fraise_pipeline_get_by_name (pipeline, "sink");
  g_assert_nonnull (sink);
  g_object_get (sink, "model", &model, NULL);
  run->texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_ptr_array_add (run->texts,
                     g_strdup (fraise_row_get_text (fraise_row_model_get_row (model, i), NULL)));
  run->filter_rows_in = run->limit_rows_in = 0;
  if ((filter = fraise_pipeline_get_by_name (pipeline, "f")) != NULL)
    g_object_get (filter, "rows-in", &run->filter_rows_in, NULL);
  if ((limit = fraise_pipeline_get_by_name (pipeline, "l")) != NULL)
    g_object_get (limit, "rows-in", &run->limit_rows_in, NULL);
}

/* Runs @chain ("filter name=f expr=... ! ...") after `query source=@source`
 * with push-down on and off; the rows must match. Returns the filter's
 * rows-in with push-down on and off, and the
 * number of rows. */
static void
compare (FraiseClient *client,
         const char *source,
         const char *chain,
         guint *n_rows,
         guint64 *pushed_in,
         guint64 *client_in)
{
  g_autofree char *on =
    g_strdup_printf ("query source=%s ! %s ! model-sink name=sink", source, chain);
  g_autofree char *off_chain = NULL;
  g_autofree char *off = NULL;
  Run a = { 0 }, b = { 0 };
  const char *filter = strstr (chain, "filter ");

  g_assert_nonnull (filter);
  off_chain = g_strdup_printf ("%.*sfilter push-down=false %s", (int) (filter - chain), chain,
                               filter + strlen ("filter "));
  off = g_strdup_printf ("query source=%s ! %s ! model-sink name=sink", source, off_chain);
  run_description (client, on, &a);
  run_description (client, off, &b);
  g_assert_cmpuint (a.texts->len, >, 0);
  *n_rows = a.texts->len;
  g_assert_cmpuint (a.texts->len, ==, b.texts->len);
  for (guint i = 0; i < a.texts->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a.texts, i), ==, g_ptr_array_index (b.texts, i));
  *pushed_in = a.filter_rows_in;
  *client_in = b.filter_rows_in;
  run_clear (&a);
  run_clear (&b);
}

static void
test_filter_pushed (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  guint64 pushed, here;
  guint n;

  if (client == NULL)
    return;
  /* Fully exact: the server sends only the kept rows. 1000 rows, status
   * cycles over 4 values, age = 18 + i % 60. */
  compare (client, "v_bench_1k", "filter name=f expr='status == \"active\" && age >= 70'", &n,
           &pushed, &here);
  g_assert_cmpuint (pushed, ==, n);
  g_assert_cmpuint (here, ==, 1000);

  /* A regex stays on the client, the rest goes to the server. */
  compare (client, "v_bench_1k", "filter name=f expr='status == \"active\" && name =~ \"^Eva\"'",
           &n, &pushed, &here);
  g_assert_cmpuint (pushed, ==, 250); /* every active row */
  g_assert_cmpuint (n, <, 250);
  g_assert_cmpuint (here, ==, 1000);

  /* Negations, membership, containment and type mismatches. */
  compare (client, "v_bench_1k",
           "filter name=f expr='!(address.city in [\"Paris\", \"Lima\"]) && tags contains "
           "\"tier1\" && age != \"30\" && !verified'",
           &n, &pushed, &here);
  g_assert_cmpuint (pushed, ==, n);
  g_assert_cmpuint (here, ==, 1000);

  /* SQL NULL rows are the document null on both sides. */
  compare (client, "v_null_data", "filter name=f expr='!(exists n)'", &n, &pushed, &here);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (pushed, ==, 1);
  g_assert_cmpuint (here, ==, 3);
}

static void
test_json_source_stays_on_client (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  guint64 pushed, here;
  guint n;

  if (client == NULL)
    return;
  /* v_document's data is json: `->` and casts on json can fail where the
   * client reads fine, so nothing is pushed. */
  compare (client, "v_document", "filter name=f expr='exists id'", &n, &pushed, &here);
  g_assert_cmpuint (pushed, ==, here);
}

static void
test_limit_merged (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  Run merged = { 0 }, after_client = { 0 }, before = { 0 };

  if (client == NULL)
    return;
  /* After a fully pushed filter the limit is the query's LIMIT. */
  run_description (
    client,
    "query source=v_bench_1k ! filter name=f expr='age == 20' ! limit name=l count=3 "
    "! model-sink name=sink",
    &merged);
  g_assert_cmpuint (merged.texts->len, ==, 3);
  g_assert_cmpuint (merged.filter_rows_in, ==, 3);
  /* After a filter left on the client, it is not. */
  run_description (client,
                   "query source=v_bench_1k ! filter name=f push-down=false expr='age == 20' ! "
                   "limit name=l count=3 ! model-sink name=sink",
                   &after_client);
  g_assert_cmpuint (after_client.texts->len, ==, 3);
  g_assert_cmpuint (after_client.filter_rows_in, >, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (g_ptr_array_index (merged.texts, i), ==,
                     g_ptr_array_index (after_client.texts, i));
  /* A filter after a source LIMIT is not a WHERE: 10 rows, then filtered. */
  run_description (client,
                   "query source=v_bench_1k limit=10 ! filter name=f expr='age >= 20' ! "
                   "model-sink name=sink",
                   &before);
  g_assert_cmpuint (before.filter_rows_in, ==, 10);
  g_assert_cmpuint (before.texts->len, ==, 9); /* ages 19..28 */
  run_clear (&merged);
  run_clear (&after_client);
  run_clear (&before);
}

static void
test_project_merged (void)
{
  g_autoptr (FraiseClient) client = fraise_test_connect (FRAISE_TEST_ENV_URI);
  Run merged = { 0 }, here = { 0 };

  if (client == NULL)
    return;
  /* The server sends only the fields; the element writes the same text. */
  run_description (client,
                   "query source=v_bench_1k ! filter name=f expr='id <= 5' ! project "
                   "fields=id,address.city,missing rename=address.city:town ! model-sink name=sink",
                   &merged);
  run_description (client,
                   "query source=v_bench_1k ! filter name=f push-down=false expr='id <= 5' ! "
                   "project fields=id,address.city,missing rename=address.city:town ! model-sink "
                   "name=sink",
                   &here);
  g_assert_cmpuint (merged.texts->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (merged.texts, 0), ==,
                   "{\"id\":1,\"town\":\"Berlin\",\"missing\":null}");
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (g_ptr_array_index (merged.texts, i), ==, g_ptr_array_index (here.texts, i));
  run_clear (&merged);
  run_clear (&here);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pushdown-live/filter-pushed", test_filter_pushed);
  g_test_add_func ("/pushdown-live/json-source-stays-on-client", test_json_source_stays_on_client);
  g_test_add_func ("/pushdown-live/limit-merged", test_limit_merged);
  g_test_add_func ("/pushdown-live/project-merged", test_project_merged);

  return g_test_run ();
}
