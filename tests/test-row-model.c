/* test-row-model.c: FraiseRowModel as a GListModel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"

typedef struct {
  guint emissions;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Changes *changes)
{
  changes->emissions++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static GPtrArray *
make_batch (guint64 first, guint count)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  guint i;

  for (i = 0; i < count; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\": %" G_GUINT64_FORMAT "}", first + i);
      g_ptr_array_add (batch, fraise_row_new (text, -1, first + i));
    }
  return batch;
}

static void
test_append_batches (void)
{
  g_autoptr(FraiseRowModel) model = fraise_row_model_new ();
  g_autoptr(GPtrArray) first = make_batch (0, 10);
  g_autoptr(GPtrArray) second = make_batch (10, 5);
  g_autoptr(FraiseRowItem) item = NULL;
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == FRAISE_TYPE_ROW_ITEM);

  fraise_row_model_append_rows (model, first);
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.added, ==, 10);

  fraise_row_model_append_rows (model, second);
  g_assert_cmpuint (changes.emissions, ==, 2);
  g_assert_cmpuint (changes.position, ==, 10);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 15);

  item = g_list_model_get_item (G_LIST_MODEL (model), 12);
  g_assert_cmpuint (fraise_row_item_get_index (item), ==, 12);
  g_assert_cmpstr (fraise_row_item_get_text (item), ==, "{\"i\": 12}");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 15));

  fraise_row_model_clear (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (fraise_row_model_get_rows_received (model), ==, 15);
}

static void
test_items_are_lazy_and_stable (void)
{
  g_autoptr(FraiseRowModel) model = fraise_row_model_new ();
  g_autoptr(GPtrArray) batch = make_batch (0, 3);
  g_autoptr(GObject) a = NULL;
  g_autoptr(GObject) b = NULL;
  g_autoptr(GObject) c = NULL;

  fraise_row_model_append_rows (model, batch);
  /* The model keeps the row; nothing else holds the items yet. */
  g_assert_cmpuint (fraise_row_get_index (fraise_row_model_get_row (model, 2)), ==, 2);
  a = g_list_model_get_item (G_LIST_MODEL (model), 1);
  b = g_list_model_get_item (G_LIST_MODEL (model), 1);
  c = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (a == b);
  g_assert_true (a != c);
}

static void
test_window (void)
{
  g_autoptr(FraiseRowModel) model = fraise_row_model_new ();
  g_autoptr(GPtrArray) first = make_batch (0, 8);
  g_autoptr(GPtrArray) second = make_batch (8, 4);
  g_autoptr(FraiseRowItem) oldest = NULL;
  Changes changes = { 0 };

  fraise_row_model_set_max_items (model, 10);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  fraise_row_model_append_rows (model, first);
  fraise_row_model_append_rows (model, second);

  /* One emission per batch, even when the window moves. */
  g_assert_cmpuint (changes.emissions, ==, 2);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 8);
  g_assert_cmpuint (changes.added, ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  oldest = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpuint (fraise_row_item_get_index (oldest), ==, 2);
  g_assert_cmpuint (fraise_row_model_get_rows_received (model), ==, 12);

  /* Shrinking the window drops the oldest rows at once. */
  fraise_row_model_set_max_items (model, 4);
  g_assert_cmpuint (changes.emissions, ==, 3);
  g_assert_cmpuint (changes.removed, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_cmpuint (fraise_row_get_index (fraise_row_model_get_row (model, 0)), ==, 8);
}

static void
on_finished (FraiseStream *stream, const GError *error, gboolean *done)
{
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_fed_by_stream (void)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseRowModel) model = fraise_row_model_new ();
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };
  gboolean done = FALSE;

  if (uri == NULL)
    return;
  client = fraise_client_new (uri, &error);
  g_assert_no_error (error);
  fraise_client_connect_sync (client, NULL, &error);
  g_assert_no_error (error);
  query = fraise_client_query (client, "v_bench_1k");
  fraise_query_set_chunk_size (query, 100);
  stream = fraise_query_execute_sync (query, NULL, &error);
  g_assert_no_error (error);

  fraise_row_model_set_stream (model, stream);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_signal_connect (stream, "finished", G_CALLBACK (on_finished), &done);
  fraise_stream_start (stream);
  fraise_test_wait_for (&done);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  /* Batches are at most chunk-size rows: at least 10 emissions. */
  g_assert_cmpuint (changes.emissions, >=, 10);
  g_assert_cmpuint (fraise_row_get_index (fraise_row_model_get_row (model, 999)), ==, 999);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/row-model/append-batches", test_append_batches);
  g_test_add_func ("/row-model/lazy-items", test_items_are_lazy_and_stable);
  g_test_add_func ("/row-model/window", test_window);
  g_test_add_func ("/row-model/fed-by-stream", test_fed_by_stream);

  return g_test_run ();
}
