/* test-row.c: row blocks and their per-thread cache
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Freed rows go to a per-thread cache that the next rows reuse, so a
 * stream's bursts of allocations avoid malloc; the cache holds a stream's
 * whole buffer (twice the default chunk size) and never more than 1 MiB.
 */

#include "fraise-private.h"
#include "fraise-row-private.h"

#include <string.h>

#define CACHE_MAX_BYTES (1024 * 1024)

static GPtrArray *
make_rows (guint n, gsize len)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autofree char *text = g_malloc (len);

  memset (text, 'x', len);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, _fraise_row_new (text, len, FALSE, i));
  return rows;
}

/* Whatever a thread had cached is taken first, so each test starts empty. */
static void
empty_cache (void)
{
  guint n;
  gsize bytes;
  g_autoptr (GPtrArray) rows = NULL;

  _fraise_row_cache_get_stats (&n, &bytes);
  rows = make_rows (n, 1);
  _fraise_row_cache_get_stats (&n, &bytes);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (bytes, ==, 0);
  g_ptr_array_set_free_func (rows, NULL);
  for (guint i = 0; i < rows->len; i++)
    g_free (g_ptr_array_index (rows, i)); /* not back into the cache */
}

/* A stream's buffer of 512 rows of ~450 bytes is cached whole when the
 * consumer frees it, and the next 512 rows take those blocks. */
static void
test_cache_holds_a_buffer (void)
{
  g_autoptr (GPtrArray) rows = NULL;
  guint n;
  gsize bytes;

  empty_cache ();
  rows = make_rows (512, 450);
  g_clear_pointer (&rows, g_ptr_array_unref);
  _fraise_row_cache_get_stats (&n, &bytes);
  g_assert_cmpuint (n, ==, 512);
  g_assert_cmpuint (bytes, ==, 512 * 512); /* blocks of 512 bytes */

  rows = make_rows (512, 450);
  _fraise_row_cache_get_stats (&n, &bytes);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (bytes, ==, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      gsize len;
      const char *text = fraise_row_get_text (g_ptr_array_index (rows, i), &len);

      g_assert_cmpuint (len, ==, 450);
      g_assert_cmpint (text[449], ==, 'x');
      g_assert_cmpint (text[450], ==, '\0');
    }
}

/* The cache never holds more than 1 MiB (nor more than 1,024 blocks):
 * 3,000 freed rows of 3 KB (4 KiB blocks) leave at most 256 of them. */
static void
test_cache_is_bounded (void)
{
  g_autoptr (GPtrArray) rows = NULL;
  guint n;
  gsize bytes;

  empty_cache ();
  rows = make_rows (3000, 3000);
  g_clear_pointer (&rows, g_ptr_array_unref);
  _fraise_row_cache_get_stats (&n, &bytes);
  g_assert_cmpuint (bytes, <=, CACHE_MAX_BYTES);
  g_assert_cmpuint (n, ==, CACHE_MAX_BYTES / 4096);

  empty_cache ();
  rows = make_rows (3000, 10);
  g_clear_pointer (&rows, g_ptr_array_unref);
  _fraise_row_cache_get_stats (&n, &bytes);
  g_assert_cmpuint (n, ==, 1024);
  g_assert_cmpuint (bytes, ==, 1024 * 256); /* the smallest blocks */

  /* Rows larger than 4 KiB are never cached. */
  empty_cache ();
  rows = make_rows (10, 5000);
  g_clear_pointer (&rows, g_ptr_array_unref);
  _fraise_row_cache_get_stats (&n, &bytes);
  g_assert_cmpuint (n, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/row/cache/holds-a-buffer", test_cache_holds_a_buffer);
  g_test_add_func ("/row/cache/is-bounded", test_cache_is_bounded);
  return g_test_run ();
}
