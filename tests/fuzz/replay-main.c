/* replay-main.c: runs a fuzz target over its seed corpus, as a GTest
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Without libFuzzer, each fuzz target is linked with this main and replays
 * every file of tests/fuzz/corpus/<target>/ in the unit suite, so inputs that
 * once crashed stay fixed. The fuzzers themselves: tests/fuzz/run.sh.
 */

#include <glib.h>

#include "fraise-fuzz.h"

static void
replay_corpus (gconstpointer data)
{
  const char *dir_path = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
      n++;
    }
  g_test_message ("%u inputs replayed", n);
  g_assert_cmpuint (n, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("FRAISE_FUZZ_CORPUS"));
  g_test_add_data_func ("/fuzz/replay-corpus", g_getenv ("FRAISE_FUZZ_CORPUS"), replay_corpus);
  return g_test_run ();
}
