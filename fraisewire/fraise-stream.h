/* fraise-stream.h: the rows of one query, with backpressure
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <gio/gio.h>
#include "fraise-version.h"
#include "fraise-row.h"
#include "fraise-server-message.h"

G_BEGIN_DECLS

/**
 * FraiseStreamState:
 * @FRAISE_STREAM_STATE_RUNNING: rows are flowing
 * @FRAISE_STREAM_STATE_PAUSED: the application paused delivery and reading
 * @FRAISE_STREAM_STATE_COMPLETED: every row was received and the server
 *   finished the query
 * @FRAISE_STREAM_STATE_FAILED: the stream ended with an error
 * @FRAISE_STREAM_STATE_CANCELLED: the stream was cancelled
 *
 * The life cycle of a [class@Fraise.Stream].
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_STREAM_STATE_RUNNING,
  FRAISE_STREAM_STATE_PAUSED,
  FRAISE_STREAM_STATE_COMPLETED,
  FRAISE_STREAM_STATE_FAILED,
  FRAISE_STREAM_STATE_CANCELLED,
} FraiseStreamState;

/**
 * FraisePauseTimeoutAction:
 * @FRAISE_PAUSE_TIMEOUT_FAIL: fail the stream with %FRAISE_ERROR_TIMEOUT
 * @FRAISE_PAUSE_TIMEOUT_RESUME: resume the stream
 *
 * What happens when a paused stream reaches its `pause-timeout`.
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_PAUSE_TIMEOUT_FAIL,
  FRAISE_PAUSE_TIMEOUT_RESUME,
} FraisePauseTimeoutAction;

#define FRAISE_TYPE_STREAM_STATS (fraise_stream_stats_get_type ())

/**
 * FraiseStreamStats:
 * @rows_received: DataRow messages received from the server
 * @rows_delivered: rows handed to the application
 * @rows_filtered: rows dropped by the client-side filter
 * @bytes_received: JSON bytes received in rows
 * @rows_buffered: rows waiting in the stream's buffer now
 * @bytes_buffered: memory the rows waiting in the stream's buffer take now
 *   (their allocation sizes, which `max-memory` bounds)
 * @peak_bytes_buffered: the most of that memory ever taken at once
 * @pauses: how many times reading stopped (backpressure or pause())
 * @time_to_first_row_us: microseconds from sending the query to the first
 *   row, or -1 before it
 * @elapsed_us: microseconds since the query was sent (until it ended)
 * @chunk_size: the current batch size
 *
 * A snapshot of a stream's counters. The structure ends with reserved space,
 * so later versions can add counters without changing its size or the
 * offsets of these fields.
 *
 * Since: 1.0
 */
typedef struct {
  guint64 rows_received;
  guint64 rows_delivered;
  guint64 rows_filtered;
  guint64 bytes_received;
  guint64 rows_buffered;
  guint64 bytes_buffered;
  guint64 peak_bytes_buffered;
  guint64 pauses;
  gint64 time_to_first_row_us;
  gint64 elapsed_us;
  guint chunk_size;

  /*< private >*/
  guint64 reserved[8];
} FraiseStreamStats;

FRAISE_AVAILABLE_IN_1_0
GType fraise_stream_stats_get_type (void) G_GNUC_CONST;
FRAISE_AVAILABLE_IN_1_0
FraiseStreamStats *fraise_stream_stats_copy (const FraiseStreamStats *stats);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_stats_free (FraiseStreamStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseStreamStats, fraise_stream_stats_free)

#define FRAISE_TYPE_STREAM (fraise_stream_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseStream, fraise_stream, FRAISE, STREAM, GObject)

FRAISE_AVAILABLE_IN_1_0
void fraise_stream_next_async (FraiseStream *stream,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
FraiseRow *fraise_stream_next_finish (FraiseStream *stream, GAsyncResult *result, GError **error);
FRAISE_AVAILABLE_IN_1_0
FraiseRow *
fraise_stream_next_sync (FraiseStream *stream, GCancellable *cancellable, GError **error);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_next_batch_async (FraiseStream *stream,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
GPtrArray *
fraise_stream_next_batch_finish (FraiseStream *stream, GAsyncResult *result, GError **error);
FRAISE_AVAILABLE_IN_1_0
GPtrArray *
fraise_stream_next_batch_sync (FraiseStream *stream, GCancellable *cancellable, GError **error);

FRAISE_AVAILABLE_IN_1_0
void fraise_stream_start (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_pause (FraiseStream *stream, const char *reason);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_resume (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_cancel (FraiseStream *stream);

FRAISE_AVAILABLE_IN_1_0
FraiseStreamState fraise_stream_get_state (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
FraiseStreamStats *fraise_stream_get_stats (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
const GError *fraise_stream_get_error (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
FraiseServerMessage *fraise_stream_get_server_message (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_stream_get_pause_reason (FraiseStream *stream);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_set_pause_timeout (FraiseStream *stream, guint milliseconds);
FRAISE_AVAILABLE_IN_1_0
void fraise_stream_set_pause_timeout_action (FraiseStream *stream, FraisePauseTimeoutAction action);

FRAISE_AVAILABLE_IN_1_0
GInputStream *fraise_stream_to_input_stream (FraiseStream *stream);

G_END_DECLS
