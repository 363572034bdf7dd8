/* fraise-result-private.h: the result of one simple query, read from frames
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * No I/O: the stream feeds every frame the connection hands its query sink
 * (everything but NoticeResponse, ParameterStatus and NotificationResponse,
 * which the connection handles itself) and acts on the event that comes
 * back. The reader knows which message may follow which in the simple query
 * protocol, validates every body, and checks the row description against
 * what the library serves: one json/jsonb column named `data` (any name
 * under a projection), in text format.
 */

#pragma once

#include "fraise-private.h"
#include "fraise-proto.h"

G_BEGIN_DECLS

typedef enum {
  FRAISE_RESULT_NONE,         /* valid, nothing for the consumer (CommandComplete, CopyData...) */
  FRAISE_RESULT_DESCRIBED,    /* the row description was accepted: rows may follow */
  FRAISE_RESULT_ROW,          /* *field is the row's `data` value, pointing into the frame */
  FRAISE_RESULT_SERVER_ERROR, /* *message (transfer full): an ErrorResponse */
  FRAISE_RESULT_REFUSED,      /* *error: the server is fine, the result is not what we serve
                               * (not one json column, several result sets, empty query, COPY);
                               * cancel the query and drain */
  FRAISE_RESULT_PROTOCOL,     /* *error: the message breaks the protocol; close the connection */
  FRAISE_RESULT_READY,        /* ReadyForQuery; *error is set when nothing was ever described */
} FraiseResultEvent;

typedef enum {
  FRAISE_RESULT_STATE_AWAITING,  /* sent, or between statements: a result may start */
  FRAISE_RESULT_STATE_ROWS,      /* after RowDescription, until CommandComplete */
  FRAISE_RESULT_STATE_COPY_OUT,  /* after CopyOutResponse, until CopyDone */
  FRAISE_RESULT_STATE_COPY_DONE, /* after CopyDone, until CommandComplete */
  FRAISE_RESULT_STATE_FAILED,    /* after ErrorResponse: only ReadyForQuery may follow */
  FRAISE_RESULT_STATE_READY,     /* ReadyForQuery received: nothing more belongs to the query */
} FraiseResultState;

typedef struct {
  FraiseResultState state;
  gboolean projected;
  guint n_columns;     /* of the current RowDescription */
  gboolean described;  /* one row description was accepted */
  guint32 type_oid;    /* of its column: json or jsonb */
  gboolean refused;    /* a REFUSED or SERVER_ERROR event was returned */
  gboolean delivering; /* in the rows of an accepted description: DataRows are rows */
} FraiseResult;

void fraise_result_init (FraiseResult *result, gboolean projected);

/* Every frame but the DataRows of an accepted result. */
FraiseResultEvent fraise_result_feed_other (FraiseResult *result,
                                            const FraiseProtoFrame *frame,
                                            FraiseProtoField *field,
                                            FraiseServerMessage **message,
                                            GError **error);

/* Reads one frame. @field, @message and @error are filled as the event
 * says; @error is left alone otherwise. The row path is inline: one test
 * of the state, then the field parse. */
static inline FraiseResultEvent
fraise_result_feed (FraiseResult *result,
                    const FraiseProtoFrame *frame,
                    FraiseProtoField *field,
                    FraiseServerMessage **message,
                    GError **error)
{
  if (G_LIKELY (frame->type == 'D' && result->delivering))
    return fraise_proto_parse_data_row (frame, field, 1, error) ? FRAISE_RESULT_ROW
                                                                : FRAISE_RESULT_PROTOCOL;
  return fraise_result_feed_other (result, frame, field, message, error);
}

G_END_DECLS
