/* test-elements.c: the project and model-sink elements, with no server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Chains run on fixed rows (fraise-test-chain.h). The output of an element
 * is collected with a signal-sink after it. JsonNodes are counted by
 * interposing json_node_alloc() and json_node_new(), which every tree the
 * library builds goes through: the projection test shows the counter
 * moving for a parse, then staying still for a projection. jsonl-sink has
 * its own program, test-jsonl-sink.c.
 */

#define _GNU_SOURCE
#include "fraise-test-utils.h"
#include "fraise-test-chain.h"
#include "fraise-test-probe.h"
#include "fraise-row-private.h"

#include <dlfcn.h>
#include <string.h>

/* ---- JsonNode counter ---------------------------------------------------- */

static guint json_nodes_made;

JsonNode *
json_node_alloc (void)
{
  static JsonNode *(*real) (void);

  if (real == NULL)
    real = (JsonNode * (*) (void) ) dlsym (RTLD_NEXT, "json_node_alloc");
  json_nodes_made++;
  return real ();
}

JsonNode *
json_node_new (JsonNodeType type)
{
  static JsonNode *(*real) (JsonNodeType);

  if (real == NULL)
    real = (JsonNode * (*) (JsonNodeType)) dlsym (RTLD_NEXT, "json_node_new");
  json_nodes_made++;
  return real (type);
}

/* ---- helpers --------------------------------------------------------------- */

static GPtrArray *
rows_new (const char *const *texts)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);

  for (guint i = 0; texts[i] != NULL; i++)
    g_ptr_array_add (rows, fraise_row_new (texts[i], -1, i + 1));
  return rows;
}

static void
on_rows (FraiseSignalSink *sink, GPtrArray *rows, gpointer user_data)
{
  GPtrArray *collected = user_data;

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (collected, fraise_row_ref (g_ptr_array_index (rows, i)));
}

/* A pipeline of @first, then a signal-sink collecting into @collected. */
static FraisePipeline *
pipeline_collecting (FraiseElement *first, GPtrArray *collected)
{
  FraisePipeline *pipeline = fraise_test_pipeline_with_head ();
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("signal-sink");

  g_signal_connect (sink, "rows", G_CALLBACK (on_rows), collected);
  fraise_pipeline_add (pipeline, first);
  fraise_pipeline_add (pipeline, sink);
  return pipeline;
}

static GPtrArray *
collector_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
}

static FraiseElement *
make_project (const char *fields, const char *rename)
{
  FraiseElement *project = fraise_test_make_element ("project");
  g_auto (GStrv) f = g_strsplit (fields, ",", -1);
  g_auto (GStrv) r = rename != NULL ? g_strsplit (rename, ",", -1) : NULL;

  g_object_set (project, "fields", f, "rename", r, NULL);
  return project;
}

/* Projects each of @inputs with @fields (and @rename) and checks each output
 * text against @expected, in order. */
static void
check_projection (const char *fields,
                  const char *rename,
                  const char *const *inputs,
                  const char *const *expected)
{
  g_autoptr (FraiseElement) project = make_project (fields, rename);
  g_autoptr (GPtrArray) collected = collector_new ();
  g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
  g_autoptr (GPtrArray) rows = rows_new (inputs);
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < collected->len; i++)
    {
      FraiseRow *row = g_ptr_array_index (collected, i);
      gsize len;
      const char *text = fraise_row_get_text (row, &len);

      g_assert_cmpstr (text, ==, expected[i]);
      g_assert_cmpuint (len, ==, strlen (expected[i]));
      g_assert_cmpuint (fraise_row_get_index (row), ==, i + 1);
    }
}

/* ---- project ---------------------------------------------------------------- */

static void
test_project_nested (void)
{
  const char *inputs[] = {
    "{\"id\": 7, \"name\": \"Ada\", \"address\": {\"city\": \"Paris\", \"zip\": \"75001\"}, "
    "\"extra\": [1, 2]}",
    "{\"address\":{\"city\":\"Lima\"},\"name\":\"Bo\",\"id\":8}",
    "{\"id\": 9, \"tags\": [\"a\", {\"b\": [true]}], \"name\": null, \"address\": {\"city\": "
    "null}}",
    NULL,
  };
  const char *expected[] = {
    "{\"id\":7,\"name\":\"Ada\",\"city\":\"Paris\"}",
    "{\"id\":8,\"name\":\"Bo\",\"city\":\"Lima\"}",
    "{\"id\":9,\"name\":null,\"city\":null}",
    NULL,
  };
  const char *inputs_index[] = {
    "{\"tags\": [\"a\", {\"b\": [true, false]}], \"m\": [[1], [2, 3]]}",
    NULL,
  };
  const char *expected_index[] = {
    "{\"tags[0]\":\"a\",\"b[1]\":false,\"m\":[[1], [2, 3]]}",
    NULL,
  };

  check_projection ("id,name,address.city", NULL, inputs, expected);
  check_projection ("tags[0],tags[1].b[1],m", NULL, inputs_index, expected_index);
}

static void
test_project_missing (void)
{
  const char *inputs[] = {
    "{\"id\": 1}", "{\"id\": 2, \"address\": \"not an object\"}", "{}", "[1, 2, 3]", NULL,
  };
  const char *expected[] = {
    "{\"id\":1,\"city\":null}",
    "{\"id\":2,\"city\":null}",
    "{\"id\":null,\"city\":null}",
    "{\"id\":null,\"city\":null}",
    NULL,
  };
  g_autoptr (FraiseElement) project = make_project ("id,address.city", NULL);
  g_autoptr (GPtrArray) collected = collector_new ();
  g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr (GError) error = NULL;

  check_projection ("id,address.city", NULL, inputs, expected);

  /* An SQL NULL row: every field is null. */
  g_ptr_array_add (rows, _fraise_row_new (NULL, 0, TRUE, 5));
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected->len, ==, 1);
  g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (collected, 0), NULL), ==,
                   "{\"id\":null,\"city\":null}");
  g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (collected, 0)), ==, 5);
}

static void
test_project_escapes (void)
{
  /* Keys are matched after decoding their escapes; values are copied with
   * their escapes as they are; output keys are escaped. */
  const char *inputs[] = {
    "{\"caf\\u00e9\": \"cr\\u00e8me \\\"br\\u00fbl\\u00e9e\\\"\\n\", \"名前\": \"花子\", "
    "\"a\\\"b\": {\"c\\\\d\": 1}, \"tab\\t\": 2}",
    NULL,
  };
  const char *expected[] = {
    "{\"café\":\"cr\\u00e8me \\\"br\\u00fbl\\u00e9e\\\"\\n\",\"名前\":\"花子\","
    "\"c\\\\d\":1,\"tab\\u0009\":2}",
    NULL,
  };

  check_projection ("café,名前,a\"b.c\\d,tab\t", NULL, inputs, expected);
}

static void
test_project_values (void)
{
  /* Containers keep their inner spacing; numbers keep their exact digits. */
  const char *inputs[] = {
    "{ \"o\" : { \"k\" : [ 1 , { } , [ ] ] } , \"a\" : [ ] , \"n\" : 12345678901234567890123, "
    "\"f\" : -1.50e+3 , \"t\" : true , \"z\" : false }",
    NULL,
  };
  const char *expected[] = {
    "{\"o\":{ \"k\" : [ 1 , { } , [ ] ] },\"a\":[ ],\"n\":12345678901234567890123,"
    "\"f\":-1.50e+3,\"t\":true,\"z\":false}",
    NULL,
  };

  check_projection ("o,a,n,f,t,z", NULL, inputs, expected);
}

static void
test_project_duplicate_keys (void)
{
  /* The last member of a name wins, as in the tree parser. */
  const char *inputs[] = { "{\"id\": 1, \"id\": 2}", NULL };
  const char *expected[] = { "{\"id\":2}", NULL };

  check_projection ("id", NULL, inputs, expected);
}

static void
test_project_rename (void)
{
  const char *inputs[] = {
    "{\"id\": 1, \"user\": {\"id\": 2, \"name\": \"x\"}, \"ns:k\": 3}",
    NULL,
  };
  const char *expected[] = {
    "{\"id\":1,\"user_id\":2,\"who\":\"x\",\"key\":3}",
    NULL,
  };

  /* user.id and id clash unless renamed; the split is at the last ':'. */
  check_projection ("id,user.id,user.name,ns:k", "user.id:user_id,user.name:who,ns:k:key", inputs,
                    expected);
}

static void
test_project_many_fields (void)
{
  g_autoptr (GString) fields = g_string_new (NULL);
  g_autoptr (GString) input = g_string_new ("{");
  g_autoptr (GString) output = g_string_new ("{");
  const char *inputs[2] = { NULL, NULL };
  const char *expected[2] = { NULL, NULL };

  /* More fields than the lookup keeps on its stack; every other one missing. */
  for (guint i = 0; i < 100; i++)
    {
      g_string_append_printf (fields, "%sf%u", i > 0 ? "," : "", i);
      if (i % 2 == 0)
        g_string_append_printf (input, "%s\"f%u\": %u", i > 0 ? ", " : "", i, i);
      g_string_append_printf (output, "%s\"f%u\":", i > 0 ? "," : "", i);
      if (i % 2 == 0)
        g_string_append_printf (output, "%u", i);
      else
        g_string_append (output, "null");
    }
  g_string_append_c (input, '}');
  g_string_append_c (output, '}');
  inputs[0] = input->str;
  expected[0] = output->str;
  check_projection (fields->str, NULL, inputs, expected);
}

/* Runs @project alone on one row and returns the error of its start. */
static GError *
start_error (FraiseElement *project)
{
  g_autoptr (FraisePipeline) pipeline = fraise_test_pipeline_with_head ();
  const char *inputs[] = { "{}", NULL };
  g_autoptr (GPtrArray) rows = rows_new (inputs);
  GError *error = NULL;

  fraise_pipeline_add (pipeline, project);
  g_assert_false (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_nonnull (error);
  return error;
}

static void
test_project_refused (void)
{
  static const struct {
    const char *fields;
    const char *rename;
    const char *message;
  } cases[] = {
    { "a.id,b.id", NULL, "the fields \"a.id\" and \"b.id\" both give the key \"id\"" },
    { "id,id", NULL, "both give the key \"id\"" },
    { "id,name", "name:id", "both give the key \"id\"" },
    { "id,,name", NULL, "empty field name" },
    { "a..b", NULL, "invalid JSON path \"a..b\"" },
    { "tags[x]", NULL, "invalid JSON path" },
    { "id", "id", "\"id\" is not a renaming" },
    { "id", "id:", "\"id:\" is not a renaming" },
    { "id", "name:x", "renames \"name\", which is not one of the fields" },
    { "id", "id:a,id:b", "the field \"id\" is renamed twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FraiseElement) project = make_project (cases[i].fields, cases[i].rename);
      g_autoptr (GError) error = start_error (project);

      g_test_message ("fields=%s rename=%s: %s", cases[i].fields, cases[i].rename, error->message);
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
      g_assert_true (g_str_has_prefix (error->message, "project0: property \""));
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }

  /* No fields at all. */
  {
    g_autoptr (FraiseElement) project = fraise_test_make_element ("project");
    g_autoptr (GError) error = start_error (project);

    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "no fields"));
  }

  /* A refused value is cleared by a valid one. */
  {
    g_autoptr (FraiseElement) project = make_project ("a.id,b.id", NULL);
    const char *rename[] = { "b.id:b_id", NULL };
    const char *inputs[] = { "{\"a\": {\"id\": 1}, \"b\": {\"id\": 2}}", NULL };
    const char *expected[] = { "{\"id\":1,\"b_id\":2}", NULL };
    g_autoptr (GPtrArray) collected = collector_new ();
    g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
    g_autoptr (GPtrArray) rows = rows_new (inputs);
    g_autoptr (GError) error = NULL;

    g_object_set (project, "rename", rename, NULL);
    g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (collected->len, ==, 1);
    g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (collected, 0), NULL), ==, expected[0]);
  }
}

static const char *invalid_rows[] = {
  "{\"id\": 1, \"name\": \"x\"",       /* truncated */
  "{\"id\": \"a\x01z\", \"name\": 1}", /* control character in a copied string */
  "{\"id\": [1, }, \"name\": 1}",      /* a copied container is invalid */
  "{\"id\": \"\xff\", \"name\": 1}",   /* invalid UTF-8 in a copied string */
  "{\"id\": 01, \"name\": 1}",         /* leading zero */
  "not json",
  "{\"id\": 1, \"name\": 1} x", /* text after the object */
  NULL,
};

static void
test_project_invalid_fail (void)
{
  for (guint i = 0; invalid_rows[i] != NULL; i++)
    {
      const char *inputs[] = { "{\"id\": 0, \"name\": \"ok\"}", invalid_rows[i], NULL };
      g_autoptr (FraiseElement) project = make_project ("id,name", NULL);
      g_autoptr (GPtrArray) collected = collector_new ();
      g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
      g_autoptr (GPtrArray) rows = rows_new (inputs);
      g_autoptr (GError) error = NULL;

      g_assert_false (fraise_test_run_rows (pipeline, rows, NULL, &error));
      {
        /* The rows are invalid on purpose: escape them for the TAP output. */
        g_autofree char *shown = g_strescape (invalid_rows[i], NULL);

        g_test_message ("%s: %s", shown, error->message);
      }
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
      g_assert_true (g_str_has_prefix (error->message, "project0: invalid JSON at byte "));
      g_assert_true (g_str_has_suffix (error->message, "(row 2)"));
      g_assert_cmpint (fraise_pipeline_get_state (pipeline), ==, FRAISE_PIPELINE_STATE_FAILED);
    }
}

static void
test_project_invalid_drop (void)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr (FraiseElement) project = make_project ("id,name", NULL);
  g_autoptr (GPtrArray) collected = collector_new ();
  g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  guint n_invalid = g_strv_length ((char **) invalid_rows);

  for (guint i = 0; i < n_invalid; i++)
    {
      g_ptr_array_add (inputs, (gpointer) "{\"id\": 1, \"name\": \"ok\"}");
      g_ptr_array_add (inputs, (gpointer) invalid_rows[i]);
    }
  g_ptr_array_add (inputs, NULL);
  rows = rows_new ((const char *const *) inputs->pdata);

  fraise_element_set_on_error (project, FRAISE_ON_ERROR_DROP);
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_element_get_rows_dropped (project), ==, n_invalid);
  g_assert_cmpuint (fraise_element_get_rows_out (project), ==, n_invalid);
  g_assert_cmpuint (collected->len, ==, n_invalid);
  for (guint i = 0; i < collected->len; i++)
    {
      FraiseRow *row = g_ptr_array_index (collected, i);

      g_assert_cmpstr (fraise_row_get_text (row, NULL), ==, "{\"id\":1,\"name\":\"ok\"}");
      g_assert_cmpuint (fraise_row_get_index (row), ==, 2 * i + 1);
    }
}

static void
test_project_output_is_valid (void)
{
  /* Every output row parses as JSON, and to the values of the input. */
  const char *inputs[] = {
    "{\"s\": \"\\ud83c\\udf53 \\u0000\", \"o\": {\"a\": [1.5, \"x\\/y\"]}, \"n\": -0}",
    NULL,
  };
  g_autoptr (FraiseElement) project = make_project ("s,o,n,missing", NULL);
  g_autoptr (GPtrArray) collected = collector_new ();
  g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
  g_autoptr (GPtrArray) rows = rows_new (inputs);
  g_autoptr (GError) error = NULL;
  JsonNode *node;
  JsonObject *object;

  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_cmpuint (collected->len, ==, 1);
  node = fraise_row_get_node (g_ptr_array_index (collected, 0), &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (object, "s"), ==,
                   "\xf0\x9f\x8d\x93 \xef\xbf\xbd");
  g_assert_cmpstr (
    json_array_get_string_element (
      json_object_get_array_member (json_object_get_object_member (object, "o"), "a"), 1),
    ==, "x/y");
  g_assert_true (json_object_get_null_member (object, "missing"));
}

static void
test_project_builds_no_json_nodes (void)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr (FraiseElement) project = make_project ("id,name,address.city,tags", NULL);
  g_autoptr (GPtrArray) collected = collector_new ();
  g_autoptr (FraisePipeline) pipeline = pipeline_collecting (project, collected);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (FraiseRow) probe = NULL;
  g_autoptr (GError) error = NULL;
  guint before;

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (inputs, (gpointer) "{\"id\": 1, \"name\": \"n\", \"address\": {\"city\": "
                                        "\"c\", \"zip\": \"z\"}, \"tags\": [\"a\", \"b\"]}");
  g_ptr_array_add (inputs, NULL);
  rows = rows_new ((const char *const *) inputs->pdata);

  /* The counter sees the nodes of a parse: 1 object, 4 members, 2 nested
   * members and 2 array elements, at least. */
  probe = fraise_row_new (g_ptr_array_index (inputs, 0), -1, 0);
  before = json_nodes_made;
  g_assert_nonnull (fraise_row_get_node (probe, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_nodes_made - before, >=, 9);

  before = json_nodes_made;
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected->len, ==, 1000);
  g_assert_cmpuint (json_nodes_made - before, ==, 0);
  g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (collected, 999), NULL), ==,
                   "{\"id\":1,\"name\":\"n\",\"city\":\"c\",\"tags\":[\"a\", \"b\"]}");
}

/* ---- model-sink ------------------------------------------------------------------ */

static FraisePipeline *
pipeline_with_sink (FraiseElement *sink)
{
  FraisePipeline *pipeline = fraise_test_pipeline_with_head ();

  fraise_pipeline_add (pipeline, sink);
  return pipeline;
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_model_batches (void)
{
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("model-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (1000, 30, NULL);
  g_autoptr (FraiseRowModel) model = fraise_row_model_new ();
  g_autoptr (FraiseRowModel) own = NULL;
  g_autoptr (GError) error = NULL;
  guint changes = 0, batch_size = 0;

  /* Made without a model, it has one of its own. */
  g_object_get (sink, "model", &own, "batch-size", &batch_size, NULL);
  g_assert_true (FRAISE_IS_ROW_MODEL (own));
  g_assert_cmpuint (batch_size, ==, 256);

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_object_set (sink, "model", model, NULL);
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 4); /* 256, 256, 256, then 232 at finish */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (own)), ==, 0);
  for (guint i = 0; i < 1000; i += 333)
    g_assert_cmpuint (fraise_row_get_index (fraise_row_model_get_row (model, i)), ==, i);

  changes = 0;
  g_object_set (sink, "batch-size", 100, NULL);
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_cmpuint (changes, ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2000);

  changes = 0;
  g_object_set (sink, "batch-size", 1, NULL);
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_cmpuint (changes, ==, 1000);
}

static void
test_model_own (void)
{
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("model-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (10, 30, NULL);
  g_autoptr (FraiseRowModel) own = NULL;
  g_autoptr (FraiseRowModel) fresh = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_object_get (sink, "model", &own, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (own)), ==, 10);

  /* NULL gives a new, empty model. */
  g_object_set (sink, "model", NULL, NULL);
  g_object_get (sink, "model", &fresh, NULL);
  g_assert_true (FRAISE_IS_ROW_MODEL (fresh));
  g_assert_true (fresh != own);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fresh)), ==, 0);
}

static void
test_model_reset (void)
{
  g_autoptr (FraisePipeline) pipeline = fraise_test_pipeline_with_head ();
  /* Answers PENDING after row 299, and never resumes. */
  g_autoptr (FraiseTestProbe) gate = fraise_test_probe_new ("gate", FALSE, PROBE_PENDING, 299);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("model-sink");
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (1000, 30, NULL);
  g_autoptr (GPtrArray) few = fraise_test_numbered_rows (10, 30, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (FraiseRowModel) model = NULL;
  g_autoptr (GError) error = NULL;

  fraise_pipeline_add (pipeline, FRAISE_ELEMENT (gate));
  fraise_pipeline_add (pipeline, sink);
  g_object_get (sink, "model", &model, NULL);

  /* Cancelled after 300 rows: the first batch of 256 is in the model, the
   * other 44 are dropped. */
  fraise_test_run_rows_async (pipeline, rows, cancellable, &result);
  fraise_test_wait_pending (FRAISE_ELEMENT (gate));
  g_assert_cmpuint (fraise_element_get_rows_in (sink), ==, 300);
  g_cancellable_cancel (cancellable);
  fraise_test_wait_result (&result);
  g_assert_false (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 256);

  /* The dropped rows do not come back with the next run. */
  g_clear_error (&error);
  gate->mode = PROBE_PASS;
  g_assert_true (fraise_test_run_rows (pipeline, few, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 266);
  g_assert_cmpuint (fraise_row_get_index (fraise_row_model_get_row (model, 256)), ==, 0);
}

/* ---- registry -------------------------------------------------------------------- */

static void
test_registered (void)
{
  static const struct {
    const char *name;
    const char *classification;
  } elements[] = {
    { "project", "Transform" },
    { "jsonl-sink", "Sink" },
    { "model-sink", "Sink" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (elements); i++)
    {
      FraiseElementInfo *info =
        fraise_registry_lookup (fraise_registry_get_default (), elements[i].name);

      g_assert_nonnull (info);
      g_assert_cmpstr (fraise_element_info_get_classification (info), ==,
                       elements[i].classification);
      g_assert_nonnull (fraise_element_info_get_long_name (info));
      g_assert_nonnull (fraise_element_info_get_description (info));
    }
}

/* ---- descriptions ------------------------------------------------------------------ */

static void
test_descriptions (void)
{
  static const char *const round_trips[] = {
    "query source=v ! project fields=id,address.city rename=address.city:town ! jsonl-sink "
    "location=\"/tmp/a b.jsonl\" append=true",
    "query source=v ! project fields=id ! model-sink batch-size=10",
    "query source=v ! jsonl-sink",
  };

  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (FraisePipeline) pipeline =
                   fraise_pipeline_new_from_description (round_trips[i], &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = fraise_pipeline_to_description (pipeline);
      g_assert_cmpstr (text, ==, round_trips[i]);
    }

  /* A refused value is reported at its place. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new_from_description (
      "query source=v ! project fields=a.id,b.id", &error);

    g_assert_null (pipeline);
    g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_BAD_VALUE);
    g_assert_nonnull (strstr (error->message, "1:33:"));
    g_assert_nonnull (strstr (error->message, "both give the key \"id\""));
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (FraisePipeline) pipeline = fraise_pipeline_new_from_description (
      "query source=v ! model-sink model=m", &error);

    g_assert_null (pipeline);
    g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_BAD_VALUE);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/elements/registered", test_registered);
  g_test_add_func ("/elements/project/nested", test_project_nested);
  g_test_add_func ("/elements/project/missing", test_project_missing);
  g_test_add_func ("/elements/project/escapes", test_project_escapes);
  g_test_add_func ("/elements/project/values", test_project_values);
  g_test_add_func ("/elements/project/duplicate-keys", test_project_duplicate_keys);
  g_test_add_func ("/elements/project/rename", test_project_rename);
  g_test_add_func ("/elements/project/many-fields", test_project_many_fields);
  g_test_add_func ("/elements/project/refused", test_project_refused);
  g_test_add_func ("/elements/project/invalid-fail", test_project_invalid_fail);
  g_test_add_func ("/elements/project/invalid-drop", test_project_invalid_drop);
  g_test_add_func ("/elements/project/output-is-valid", test_project_output_is_valid);
  g_test_add_func ("/elements/project/no-json-nodes", test_project_builds_no_json_nodes);
  g_test_add_func ("/elements/model-sink/batches", test_model_batches);
  g_test_add_func ("/elements/model-sink/own-model", test_model_own);
  g_test_add_func ("/elements/model-sink/reset", test_model_reset);
  g_test_add_func ("/elements/descriptions", test_descriptions);

  return g_test_run ();
}
