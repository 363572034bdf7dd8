/* fraise-stream-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"
#include "fraise-plan-private.h"

G_BEGIN_DECLS

#define FRAISE_CANCEL_TIMEOUT_MS 2000

/* A stream that will run @plan (a reference is kept) on @client. */
FraiseStream *_fraise_stream_new (FraiseClient *client,
                                  FraisePlan   *plan);
/* Sends the plan's SQL and completes @task (transfer full) with the stream
 * once the RowDescription was checked, or with an error. */
void _fraise_stream_execute (FraiseStream *stream,
                             GTask        *task);

G_END_DECLS
