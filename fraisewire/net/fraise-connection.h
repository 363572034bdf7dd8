/* fraise-connection.h: one server connection (socket, startup, auth, query I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not installed. The connection owns the socket and the protocol reader. It
 * reads with a pollable source on the client's main context (no threads),
 * parses every complete frame per wake-up, handles the messages that may
 * arrive at any time (NoticeResponse, ParameterStatus, NotificationResponse)
 * itself, and hands the rest to the current query's sink. Backpressure: the
 * sink turns reading off with fraise_connection_set_reading(); frames that
 * are already buffered stay in the reader until reading is turned back on.
 */

#pragma once

#include <gio/gio.h>
#include "fraise-private.h"
#include "fraise-conninfo.h"
#include "fraise-proto.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_CONNECTION (fraise_connection_get_type ())
G_DECLARE_FINAL_TYPE (FraiseConnection, fraise_connection, FRAISE, CONNECTION, GObject)

typedef enum {
  FRAISE_CONNECTION_STATE_NEW,
  FRAISE_CONNECTION_STATE_CONNECTING,
  FRAISE_CONNECTION_STATE_IDLE,
  FRAISE_CONNECTION_STATE_QUERY,
  FRAISE_CONNECTION_STATE_CLOSED,
} FraiseConnectionState;

/* The current query's receiver of frames. */
typedef struct {
  /* Every frame of the query except N, S and A. The sink may call
   * fraise_connection_set_reading() and fraise_connection_fail(). When it
   * receives ReadyForQuery ('Z') the connection is already idle again. */
  void (*frame) (gpointer user_data, const FraiseProtoFrame *frame);
  /* The connection broke or was closed during the query (CONNECTION_LOST,
   * PROTOCOL, CLOSED, ...). The connection is closed when this is called. */
  void (*failed) (gpointer user_data, const GError *error);
  /* No complete frame is buffered any more: a good moment to deliver rows. */
  void (*drained) (gpointer user_data);
  /* A DataRow over the query's row limit was skipped from its header; its
   * body (@len bytes) is discarded without being buffered. */
  void (*row_skipped) (gpointer user_data, gsize len);
} FraiseQuerySink;

/* Takes ownership of @info. */
FraiseConnection *fraise_connection_new (FraiseConninfo *info, GMainContext *context);

void fraise_connection_connect_async (FraiseConnection *self,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean
fraise_connection_connect_finish (FraiseConnection *self, GAsyncResult *result, GError **error);

/* Sends Terminate and closes the socket; idempotent. */
void fraise_connection_close (FraiseConnection *self);

FraiseConnectionState fraise_connection_get_state (FraiseConnection *self);
/* Gives back the DataRow the sink is handling and stops reading: the frame
 * is dispatched again once reading is turned back on. */
void fraise_connection_unread_frame (FraiseConnection *self, const FraiseProtoFrame *frame);
/* Query messages written on this connection so far. */
guint64 fraise_connection_get_queries_sent (FraiseConnection *self);
/* Bytes the read buffer holds allocated. */
gsize fraise_connection_get_read_buffer_size (FraiseConnection *self);
GHashTable *fraise_connection_get_parameters (FraiseConnection *self);
const char *fraise_connection_get_parameter (FraiseConnection *self, const char *name);
guint32 fraise_connection_get_backend_pid (FraiseConnection *self);
const char *fraise_connection_get_auth_method (FraiseConnection *self);
gboolean fraise_connection_is_tls (FraiseConnection *self);
gboolean fraise_connection_is_channel_bound (FraiseConnection *self);
/* Sends one Query message and routes the frames to @sink until ReadyForQuery.
 * A DataRow larger than @max_row_size is refused from its header (the
 * connection closes); one larger than @row_limit is skipped from its header
 * and reported to the sink's row_skipped(). Fails with
 * BUSY while another query runs, CLOSED when not connected, CONFIG for an
 * invalid query text (nothing is written then). */
gboolean fraise_connection_start_query (FraiseConnection *self,
                                        const char *sql,
                                        gsize len,
                                        gsize max_row_size,
                                        gsize row_limit,
                                        const FraiseQuerySink *sink,
                                        gpointer sink_data,
                                        GError **error);
/* Stops the running query: sends a CancelRequest on a side connection and
 * keeps reading until ReadyForQuery. The sink still receives every frame,
 * the "canceling statement due to user request" error (57014) included, and
 * drops what it no longer wants. If ReadyForQuery does not arrive within
 * @timeout_ms the connection is closed (the sink's failed() is called).
 * Idempotent. */
void fraise_connection_cancel_query (FraiseConnection *self, guint timeout_ms);
/* Cancels the running query and detaches its sink: the connection drains to
 * ReadyForQuery on its own. A query started meanwhile waits for the drain. */
void fraise_connection_abandon_query (FraiseConnection *self, gpointer sink_data, guint timeout_ms);
/* Forgets the query of @sink_data if it is still queued (never sent); the
 * sink is not called again. Returns whether it was queued. */
gboolean fraise_connection_dequeue_query (FraiseConnection *self, gpointer sink_data);

void fraise_connection_set_reading (FraiseConnection *self, gboolean reading);
/* Reads and dispatches what the socket holds now, without blocking and
 * without a main loop iteration (the fast path of blocking pulls). Returns
 * FALSE when it could not read: inside a dispatch, reading off, or closed. */
gboolean fraise_connection_pump (FraiseConnection *self);
/* Closes the connection with @error (reported to the sink and the closed signal). */
void fraise_connection_fail (FraiseConnection *self, const GError *error);

/* Sends a CancelRequest for the running query on a side connection to the
 * same address. Completion only says the request was delivered. */
void fraise_connection_cancel_async (FraiseConnection *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean
fraise_connection_cancel_finish (FraiseConnection *self, GAsyncResult *result, GError **error);

G_END_DECLS
