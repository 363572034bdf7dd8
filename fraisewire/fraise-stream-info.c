/* fraise-stream-info.c: what a stream tells about itself: state, error, statistics
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The read-only side of FraiseStream (fraise-stream.c runs it), and its
 * JSON Lines input stream.
 */

#include "fraise-private.h"
#include "fraise-jsonl-input-stream-private.h"
#include "fraise-stream-private.h"

/* ---- state ----------------------------------------------------------------------- */

/**
 * fraise_stream_get_state:
 * @stream: a stream
 *
 * The stream's state.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
FraiseStreamState
fraise_stream_get_state (FraiseStream *stream)
{
  g_return_val_if_fail (FRAISE_IS_STREAM (stream), FRAISE_STREAM_STATE_FAILED);
  return stream->state;
}

/**
 * fraise_stream_get_stats:
 * @stream: a stream
 *
 * A snapshot of the stream's counters.
 *
 * Returns: (transfer full): the statistics
 *
 * Since: 1.0
 */
FraiseStreamStats *
fraise_stream_get_stats (FraiseStream *stream)
{
  FraiseStreamStats *stats;

  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);

  stats = fraise_stream_stats_copy (&stream->stats);
  stats->rows_buffered = stream->buffer.len;
  stats->bytes_buffered = stream->buffer.bytes;
  stats->chunk_size = stream->chunk_size;
  if (!stream->finished)
    stats->elapsed_us = g_get_monotonic_time () - stream->start_time;
  return stats;
}

/**
 * fraise_stream_get_error:
 * @stream: a stream
 *
 * Why the stream ended, once it has.
 *
 * Returns: (transfer none) (nullable): the error, or %NULL while running or
 *   after a complete stream
 *
 * Since: 1.0
 */
const GError *
fraise_stream_get_error (FraiseStream *stream)
{
  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);
  return stream->final_error;
}

/**
 * fraise_stream_get_server_message:
 * @stream: a stream
 *
 * The last ErrorResponse the server sent during the query, with every
 * field (SQLSTATE, detail, hint, position, ...).
 *
 * Returns: (transfer none) (nullable): the server message, or %NULL
 *
 * Since: 1.0
 */
FraiseServerMessage *
fraise_stream_get_server_message (FraiseStream *stream)
{
  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);
  return stream->server_message;
}

/**
 * fraise_stream_get_pause_reason:
 * @stream: a stream
 *
 * The reason given to the last [method@Fraise.Stream.pause].
 *
 * Returns: (nullable): the reason
 *
 * Since: 1.0
 */
const char *
fraise_stream_get_pause_reason (FraiseStream *stream)
{
  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);
  return stream->paused ? stream->pause_reason : NULL;
}

/* ---- JSON Lines ------------------------------------------------------------------- */

/**
 * fraise_stream_to_input_stream:
 * @stream: a stream
 *
 * A [class@Gio.InputStream] of the stream's rows as JSON Lines: each row's
 * text exactly as the server sent it, followed by a newline, with no
 * parsing, so rows can be spliced into a file or an HTTP body. Reading
 * pulls rows from @stream (use either the input stream or the stream's own
 * next calls, not both); a stream error is a read error. Closing the input
 * stream before the end cancels the query.
 *
 * Returns: (transfer full): a new input stream
 *
 * Since: 1.0
 */
GInputStream *
fraise_stream_to_input_stream (FraiseStream *stream)
{
  g_return_val_if_fail (FRAISE_IS_STREAM (stream), NULL);

  return _fraise_jsonl_input_stream_new (stream);
}

/* ---- stats ----------------------------------------------------------------------- */

/**
 * fraise_stream_stats_copy:
 * @stats: statistics
 *
 * Copies @stats.
 *
 * Returns: (transfer full): a copy
 *
 * Since: 1.0
 */
FraiseStreamStats *
fraise_stream_stats_copy (const FraiseStreamStats *stats)
{
  return g_memdup2 (stats, sizeof *stats);
}

/**
 * fraise_stream_stats_free:
 * @stats: statistics
 *
 * Frees @stats.
 *
 * Since: 1.0
 */
void
fraise_stream_stats_free (FraiseStreamStats *stats)
{
  g_free (stats);
}
