/* fraise-test-chain.c: running chains of elements in tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-chain.h"
#include "fraise-test-probe.h"
#include "fraise-test-utils.h"
#include "fraise-pipeline-private.h"

#include <glib/gstdio.h>

FraiseElement *
fraise_test_make_element (const char *factory)
{
  g_autoptr (GError) error = NULL;
  FraiseElement *element =
    fraise_registry_make_element (fraise_registry_get_default (), factory, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (element);
  return element;
}

FraisePipeline *
fraise_test_pipeline_with_head (void)
{
  FraisePipeline *pipeline = fraise_pipeline_new ();
  g_autoptr (FraiseTestProbe) head = fraise_test_probe_new ("head", FALSE, PROBE_PASS, 0);

  fraise_pipeline_add (pipeline, FRAISE_ELEMENT (head));
  return pipeline;
}

static void
on_run (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
fraise_test_run_rows_async (FraisePipeline *pipeline,
                            GPtrArray *rows,
                            GCancellable *cancellable,
                            GAsyncResult **result)
{
  *result = NULL;
  _fraise_pipeline_run_rows_async (pipeline, rows, cancellable, on_run, result);
}

void
fraise_test_wait_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + fraise_test_scaled (60 * G_USEC_PER_SEC);

  while (*result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      if (*result == NULL)
        g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

void
fraise_test_iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

void
fraise_test_wait_pending (FraiseElement *element)
{
  gint64 deadline = g_get_monotonic_time () + fraise_test_scaled (10 * G_USEC_PER_SEC);

  while (!fraise_element_is_pending (element))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

GPtrArray *
fraise_test_numbered_rows (guint n, gsize size, GString *expected)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autofree char *pad = g_strnfill (size > 24 ? size - 24 : 1, 'x');

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\":%u,\"pad\":\"%s\"}", i, pad);

      g_ptr_array_add (rows, fraise_row_new (text, -1, i));
      if (expected != NULL)
        g_string_append_printf (expected, "%s\n", text);
    }
  return rows;
}

char *
fraise_test_temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("fraise-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
fraise_test_remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
