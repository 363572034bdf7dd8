/* fraise-stream-private.h: what the query needs of the stream, and the
 * stream's own state, shared by fraise-stream.c (delivery, flow control,
 * signals) and fraise-stream-pull.c (the next calls)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"
#include "fraise-connection.h"
#include "fraise-plan-private.h"
#include "fraise-result-private.h"
#include "fraise-row-buffer-private.h"

G_BEGIN_DECLS

#define FRAISE_CANCEL_TIMEOUT_MS 2000

/* A stream that will run @plan (a reference is kept) on @client. */
FraiseStream *_fraise_stream_new (FraiseClient *client, FraisePlan *plan);
/* Sends the plan's SQL and completes @task (transfer full) with the stream
 * once the RowDescription was checked, or with an error. */
void _fraise_stream_execute (FraiseStream *stream, GTask *task);
/* The type OID of the result's column (json or jsonb), 0 before the
 * RowDescription was accepted. */
guint32 _fraise_stream_get_data_type (FraiseStream *stream);

/* ---- for the stream's own files ---------------------------------------- */

#define ADAPTIVE_MIN 16
#define ADAPTIVE_MAX 1024

struct _FraiseStream {
  GObject parent_instance;

  FraiseClient *client;
  FraiseConnection *connection;
  GMainContext *context;
  FraisePlan *plan;    /* frozen by the query's execution: never changes */
  FraiseResult result; /* the protocol state of the query's result */

  FraiseRowBuffer buffer; /* rows received, not yet delivered */
  guint chunk_size;
  guint high_rows;
  gboolean reading;

  FraiseStreamState state;
  gboolean described;         /* RowDescription accepted */
  gboolean yielded_first_row; /* the first row stopped the connection once */
  gboolean yielding;          /* ... and it has not read on since */
  gboolean execute_at_once;   /* a blocking execute: complete it at the
                               * RowDescription, not from the next iteration */
  gboolean server_done;       /* ReadyForQuery received or the connection failed */
  gboolean aborting;          /* rows are being discarded: cancel, timeout, limit */
  gboolean cancelled;
  gboolean finished;
  gboolean push_mode;
  GError *pending_error; /* reported once the buffered rows are delivered */
  GError *final_error;
  FraiseServerMessage *server_message;

  gboolean paused;
  char *pause_reason;
  guint pause_timeout_ms;
  FraisePauseTimeoutAction pause_timeout_action;
  GSource *pause_timer;
  GSource *query_timer;
  GSource *deliver_idle;

  GTask *execute_task;
  GSource *execute_cancel_source;
  GTask *next_task;
  gboolean next_is_batch;
  GSource *next_cancel_source;

  guint64 next_index;
  FraiseStreamStats stats;
  gint64 start_time;
};

/* Delivers from the stream's idle source on the client's context. */
void _fraise_stream_schedule_delivery (FraiseStream *self);
/* Turns socket reading on or off (counting the pauses). */
void _fraise_stream_set_reading (FraiseStream *self, gboolean reading);

/* Reads the socket again once the buffer drained to half its high-water
 * mark. Inline: the pull path runs it once per row. */
static inline void
_fraise_stream_maybe_resume_reading (FraiseStream *self)
{
  if (self->yielding)
    {
      self->yielding = FALSE;
      if (self->reading && !self->paused && !self->server_done && self->connection != NULL)
        fraise_connection_set_reading (self->connection, TRUE);
    }
  if (self->reading || self->paused)
    return;
  if (self->aborting ||
      (self->buffer.len <= self->high_rows / 2 && self->buffer.bytes <= self->plan->max_memory / 2))
    _fraise_stream_set_reading (self, TRUE);
}
/* Completes the pending next call with a row, a batch, the end or the error. */
void _fraise_stream_complete_next_task (FraiseStream *self);
/* Adaptive chunking: grows or shrinks the batch size after a batch. */
void _fraise_stream_adapt_chunk_size (FraiseStream *self);
/* Up to chunk-size buffered rows (transfer container), counted as delivered. */
GPtrArray *_fraise_stream_take_batch (FraiseStream *self);

G_END_DECLS
