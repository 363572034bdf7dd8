/* test-jsonl-sink.c: the jsonl-sink element, with no server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Chains run on fixed rows (fraise-test-chain.h), into files, named pipes
 * (a reader opened first, then read or not), /dev/full and standard
 * output (in a subprocess).
 */

#define _GNU_SOURCE
#include "fraise-test-utils.h"
#include "fraise-test-chain.h"
#include "fraise-test-probe.h"
#include "fraise-row-private.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

/* ---- jsonl-sink ---------------------------------------------------------------- */

static FraisePipeline *
pipeline_with_sink (FraiseElement *sink)
{
  FraisePipeline *pipeline = fraise_test_pipeline_with_head ();

  fraise_pipeline_add (pipeline, sink);
  return pipeline;
}

static void
assert_file_content (const char *path, const char *expected)
{
  g_autofree char *content = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content, ==, expected);
}

static void
test_jsonl_file (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.jsonl", NULL);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GPtrArray) many = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "old content\n", -1, NULL));
  g_object_set (sink, "location", path, NULL);
  g_ptr_array_add (rows, fraise_row_new ("{\"a\": \"é\\n\"}", -1, 1));
  g_ptr_array_add (rows, _fraise_row_new (NULL, 0, TRUE, 2)); /* SQL NULL */
  g_ptr_array_add (rows, fraise_row_new ("[1,2]", -1, 3));
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_no_error (error);
  assert_file_content (path, "{\"a\": \"é\\n\"}\nnull\n[1,2]\n");

  /* append=true adds to the end; rows beyond several buffers arrive whole. */
  many = fraise_test_numbered_rows (20000, 100, expected);
  g_string_prepend (expected, "{\"a\": \"é\\n\"}\nnull\n[1,2]\n");
  g_object_set (sink, "append", TRUE, NULL);
  g_assert_true (fraise_test_run_rows (pipeline, many, NULL, &error));
  g_assert_no_error (error);
  assert_file_content (path, expected->str);

  /* Without append the file is truncated. */
  g_object_set (sink, "append", FALSE, NULL);
  g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
  assert_file_content (path, "{\"a\": \"é\\n\"}\nnull\n[1,2]\n");

  fraise_test_remove_dir (dir);
}

static void
test_jsonl_open_error (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "missing", "out.jsonl", NULL);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (3, 30, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  g_object_set (sink, "location", path, NULL);
  g_assert_false (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  message = g_strdup_printf ("jsonl-sink0: could not open %s: ", path);
  g_assert_true (g_str_has_prefix (error->message, message));
  g_assert_cmpuint (fraise_element_get_rows_in (sink), ==, 0);
  fraise_test_remove_dir (dir);
}

static void
test_jsonl_location_sensitive (void)
{
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "location");

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & FRAISE_PARAM_SENSITIVE);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "append");
  g_assert_false (pspec->flags & FRAISE_PARAM_SENSITIVE);
}

static void
test_jsonl_write_error (void)
{
  static const guint counts[] = { 5, 20000 }; /* written at finish; while rows flow */

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
      g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
      g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (counts[i], 100, NULL);
      g_autoptr (GError) error = NULL;

      g_object_set (sink, "location", "/dev/full", NULL);
      g_assert_false (fraise_test_run_rows (pipeline, rows, NULL, &error));
      g_test_message ("%u rows: %s", counts[i], error->message);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_true (
        g_str_has_prefix (error->message, "jsonl-sink0: could not write to /dev/full: "));
      g_assert_cmpint (fraise_pipeline_get_state (pipeline), ==, FRAISE_PIPELINE_STATE_FAILED);
      if (counts[i] > 5)
        g_assert_cmpuint (fraise_element_get_rows_in (sink), <, counts[i]);
    }
}

/* A FIFO in @dir, opened for reading (non-blocking) so the sink can open it. */
static int
fifo_reader (const char *path)
{
  int fd;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  return fd;
}

/* Reads @fd until end of file, iterating the main context meanwhile. */
static GString *
read_fifo (int fd)
{
  GString *data = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + fraise_test_scaled (30 * G_USEC_PER_SEC);

  for (;;)
    {
      char buf[16384];
      gssize n = read (fd, buf, sizeof buf);

      if (n > 0)
        g_string_append_len (data, buf, n);
      else if (n == 0)
        break;
      else
        {
          g_assert_cmpint (errno, ==, EAGAIN);
          g_main_context_iteration (NULL, FALSE);
          g_usleep (200);
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return data;
}

static void
test_jsonl_pipe_backpressure (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  int fd = fifo_reader (path);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (20000, 100, expected);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GString) data = NULL;
  g_autoptr (GError) error = NULL;
  guint64 taken;
  int pipe_size = fcntl (fd, F_GETPIPE_SZ);

  g_object_set (sink, "location", path, NULL);
  fraise_test_run_rows_async (pipeline, rows, NULL, &result);
  fraise_test_wait_pending (sink);

  /* Nobody reads: the sink stays pending and takes no more rows; what it
   * took fits in the pipe and its two buffers. */
  taken = fraise_element_get_rows_in (sink);
  fraise_test_iterate_for (300);
  g_assert_true (fraise_element_is_pending (sink));
  g_assert_null (result);
  g_assert_cmpuint (fraise_element_get_rows_in (sink), ==, taken);
  g_assert_cmpuint (fraise_pipeline_get_rows_processed (pipeline), ==, taken);
  g_assert_cmpuint (taken, <, 20000);
  g_assert_cmpuint (taken * 100, <=, (guint64) pipe_size + 2 * (64 * 1024 + 100));

  /* Reading lets everything through, in order and whole. */
  data = read_fifo (fd);
  fraise_test_wait_result (&result);
  g_assert_true (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (data->len, ==, expected->len);
  g_assert_true (memcmp (data->str, expected->str, data->len) == 0);
  g_assert_cmpuint (fraise_element_get_rows_in (sink), ==, 20000);

  close (fd);
  fraise_test_remove_dir (dir);
}

static void
test_jsonl_finish_waits (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  int fd = fifo_reader (path);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GString) expected = g_string_new (NULL);
  /* More than the pipe holds, less than the pipe and a buffer: the sink
   * takes every row, and its finish waits for the reader. */
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (1000, 100, expected);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GString) data = NULL;
  g_autoptr (GError) error = NULL;

  g_object_set (sink, "location", path, NULL);
  fraise_test_run_rows_async (pipeline, rows, NULL, &result);
  fraise_test_wait_pending (sink);
  fraise_test_iterate_for (300);
  g_assert_cmpuint (fraise_element_get_rows_in (sink), ==, 1000);
  g_assert_true (fraise_element_is_pending (sink));
  g_assert_null (result);
  g_assert_cmpint (fraise_pipeline_get_state (pipeline), ==, FRAISE_PIPELINE_STATE_RUNNING);

  data = read_fifo (fd);
  fraise_test_wait_result (&result);
  g_assert_true (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (data->str, ==, expected->str);

  close (fd);
  fraise_test_remove_dir (dir);
}

static void
test_jsonl_reader_gone (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  int fd = fifo_reader (path);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (20000, 100, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = NULL;
  void (*previous) (int) = signal (SIGPIPE, SIG_IGN);

  /* The reader goes away while rows flow: EPIPE (with SIGPIPE ignored, as
   * an application that wants errors does) fails the run. */
  g_object_set (sink, "location", path, NULL);
  fraise_test_run_rows_async (pipeline, rows, NULL, &result);
  fraise_test_wait_pending (sink);
  close (fd);
  fraise_test_wait_result (&result);
  g_assert_false (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  prefix = g_strdup_printf ("jsonl-sink0: could not write to %s: ", path);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  signal (SIGPIPE, previous);
  fraise_test_remove_dir (dir);
}

static void
test_jsonl_cancel_whole_lines (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  int fd = fifo_reader (path);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GString) expected = g_string_new (NULL);
  /* Lines of 1000 bytes, so a write the pipe takes in part cuts a line. */
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (5000, 1000, expected);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GString) data = NULL;
  g_autoptr (GError) error = NULL;

  g_object_set (sink, "location", path, NULL);
  fraise_test_run_rows_async (pipeline, rows, cancellable, &result);
  fraise_test_wait_pending (sink);

  /* Cancelled while a write is stuck half-way in the pipe: the run ends at
   * once, without the reader. */
  g_cancellable_cancel (cancellable);
  fraise_test_wait_result (&result);
  g_assert_false (fraise_pipeline_run_finish (pipeline, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The reader then gets whole lines only: a prefix of the rows. */
  data = read_fifo (fd);
  g_test_message ("%zu bytes after the cancellation", data->len);
  g_assert_cmpuint (data->len, >, 0);
  g_assert_cmpuint (data->len, <, expected->len);
  g_assert_cmpint (data->str[data->len - 1], ==, '\n');
  g_assert_true (memcmp (data->str, expected->str, data->len) == 0);

  close (fd);
  fraise_test_remove_dir (dir);
}

static void
test_jsonl_fifo_without_reader (void)
{
  g_autofree char *dir = fraise_test_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
  g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
  g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (3, 30, NULL);
  g_autoptr (GError) error = NULL;

  /* Opening never blocks the main loop: no reader is an error at start. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_object_set (sink, "location", path, NULL);
  g_assert_false (fraise_test_run_rows (pipeline, rows, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "jsonl-sink0: could not open "));
  fraise_test_remove_dir (dir);
}

static void
test_jsonl_stdout (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (FraiseElement) sink = fraise_test_make_element ("jsonl-sink");
      g_autoptr (FraisePipeline) pipeline = pipeline_with_sink (sink);
      g_autoptr (GPtrArray) rows = fraise_test_numbered_rows (3, 30, NULL);
      g_autoptr (GError) error = NULL;

      g_assert_true (fraise_test_run_rows (pipeline, rows, NULL, &error));
      g_assert_no_error (error);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("{\"i\":0,\"pad\":\"xxxxxx\"}\n"
                             "{\"i\":1,\"pad\":\"xxxxxx\"}\n"
                             "{\"i\":2,\"pad\":\"xxxxxx\"}\n");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/elements/jsonl-sink/file", test_jsonl_file);
  g_test_add_func ("/elements/jsonl-sink/open-error", test_jsonl_open_error);
  g_test_add_func ("/elements/jsonl-sink/location-sensitive", test_jsonl_location_sensitive);
  g_test_add_func ("/elements/jsonl-sink/write-error", test_jsonl_write_error);
  g_test_add_func ("/elements/jsonl-sink/pipe-backpressure", test_jsonl_pipe_backpressure);
  g_test_add_func ("/elements/jsonl-sink/finish-waits", test_jsonl_finish_waits);
  g_test_add_func ("/elements/jsonl-sink/reader-gone", test_jsonl_reader_gone);
  g_test_add_func ("/elements/jsonl-sink/cancel-whole-lines", test_jsonl_cancel_whole_lines);
  g_test_add_func ("/elements/jsonl-sink/fifo-without-reader", test_jsonl_fifo_without_reader);
  g_test_add_func ("/elements/jsonl-sink/stdout", test_jsonl_stdout);

  return g_test_run ();
}
