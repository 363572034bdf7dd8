/* test-load-streams.c: many concurrent streams on one main context
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * 100 (and 10) clients on the one thread-default GMainContext each stream
 * 100,000 rows tagged with their stream's id (v_load_tagged, data/fixtures.sql)
 * at the same time. Each stream must get exactly its own rows: every value of
 * "i" from 1 to 100,000 once, "s" always its own id (no cross-talk between
 * connections sharing the main loop), row indexes contiguous from 0, and the
 * stream's stats counting the same. The harness's server allows 200
 * connections (data/postgresql-test.conf).
 */

#include "fraise-test-utils.h"
#include "fraise-test-load.h"

#define ROWS_PER_STREAM 100000
#define TIMEOUT_S 240

static void
check_concurrent (guint n_streams, guint first_id, guint chunk_size)
{
  const char *uri = fraise_test_get_uri (FRAISE_TEST_ENV_URI);
  FraiseTestTagged *results;
  guint max_active = 0;
  g_autofree char *fds_listing = NULL;
  guint fds_before;

  if (uri == NULL)
    return;
  /* One stream first: the main context's and GIO's one-time descriptors
   * (their wakeup eventfds) are then in the baseline. */
  results = fraise_test_run_tagged (uri, first_id, 1, 10, 0, TIMEOUT_S, NULL);
  fraise_test_tagged_assert (results, 1);
  fraise_test_tagged_free (results, 1);
  fds_before = fraise_test_count_fds ();
  fds_listing = fraise_test_describe_fds ();
  results = fraise_test_run_tagged (uri, first_id, n_streams, ROWS_PER_STREAM, chunk_size,
                                    TIMEOUT_S, &max_active);
  fraise_test_tagged_assert (results, n_streams);
  fraise_test_tagged_free (results, n_streams);
  g_test_message ("%u streams: at most %u delivering at once", n_streams, max_active);
  /* The streams ran side by side, not one after another. */
  g_assert_cmpuint (max_active, >, 1);
  /* Every socket (and cancel connection) is closed again. */
  if (fraise_test_count_fds () != fds_before)
    {
      g_autofree char *now = fraise_test_describe_fds ();

      g_test_message ("descriptors before:\n%sand now:\n%s", fds_listing, now);
    }
  g_assert_cmpuint (fraise_test_count_fds (), ==, fds_before);
}

static void
test_100_streams (void)
{
  check_concurrent (100, 1, 0);
}

static void
test_10_streams (void)
{
  check_concurrent (10, 101, 0);
}

/* Small batches: many more turns of the main loop between the connections. */
static void
test_10_streams_small_chunks (void)
{
  check_concurrent (10, 201, 16);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/load/streams/100x100k", test_100_streams);
  g_test_add_func ("/load/streams/10x100k", test_10_streams);
  g_test_add_func ("/load/streams/10x100k-chunk16", test_10_streams_small_chunks);
  return g_test_run ();
}
