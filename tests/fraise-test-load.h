/* fraise-test-load.h: tagged streams and process figures for the load suite
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* Process figures read from /proc/self. */
guint fraise_test_count_fds (void); /* entries of /proc/self/fd */
/* "fd -> target" for each open descriptor, one a line (for messages). */
char *fraise_test_describe_fds (void);
guint fraise_test_count_threads (void);             /* entries of /proc/self/task */
guint64 fraise_test_status_kib (const char *field); /* "VmRSS", "VmHWM", ... of status */
/* Sets *@bytes to the bytes malloc has handed out and not had back (glibc's
 * mallinfo2: small blocks in use plus mmapped ones), after giving the free
 * pages back (malloc_trim). Returns FALSE where that is not known (another
 * allocator: a sanitizer's, memcheck's). */
gboolean fraise_test_heap_in_use (guint64 *bytes);
/* Sets the peak RSS (VmHWM) to the current RSS (/proc/self/clear_refs). */
void fraise_test_reset_peak_rss (void);

/* What one tagged stream saw: `SELECT data FROM v_load_tagged WHERE (s = id)
 * AND (n = rows)` (data/fixtures.sql), rows {"s": id, "i": 1..rows}. */
typedef struct {
  guint id;
  guint64 rows;            /* rows asked for */
  guint64 received;        /* rows delivered by the rows signal */
  guint64 out_of_sequence; /* rows whose fraise_row_get_index() was not `received` */
  guint64 foreign;         /* rows whose "s" was not id (cross-talk) */
  guint64 bad_index;       /* rows whose "i" was outside 1..rows or seen before */
  guint64 missing;         /* values of 1..rows never seen (set at the end) */
  guint64 stats_received;  /* FraiseStreamStats at the end */
  guint64 stats_delivered;
  guint64 peak_bytes_buffered;
  guint finished; /* emissions of finished */
  GError *error;  /* the first error: connect, execute or finished */
} FraiseTestTagged;

/* Runs @n_streams tagged streams of @rows rows each concurrently on the
 * thread-default main context (each on its own client connected with @uri;
 * ids 1..@n_streams, plus @first_id - 1), with @chunk_size rows per batch (0:
 * the default), until every one has finished or @timeout_s seconds passed
 * (then the program aborts). Sets *@max_active (nullable) to the largest
 * number of streams that had delivered rows and not finished at one time.
 * Returns an array of @n_streams results; free it with
 * fraise_test_tagged_free(). */
FraiseTestTagged *fraise_test_run_tagged (const char *uri,
                                          guint first_id,
                                          guint n_streams,
                                          guint64 rows,
                                          guint chunk_size,
                                          guint timeout_s,
                                          guint *max_active);

/* Asserts that every stream of @results got exactly its rows, all in index
 * order, no foreign, duplicate or missing row, no error. */
void fraise_test_tagged_assert (const FraiseTestTagged *results, guint n_streams);

void fraise_test_tagged_free (FraiseTestTagged *results, guint n_streams);

G_END_DECLS
