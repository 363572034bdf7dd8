/* fraise-client-private.h: what the query and stream code needs of the client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"
#include "fraise-connection.h"

G_BEGIN_DECLS

GMainContext *_fraise_client_get_context (FraiseClient *client);
void _fraise_client_set_last_server_message (FraiseClient *client, FraiseServerMessage *message);
FraiseConnection *_fraise_client_get_connection (FraiseClient *client);
/* The start of an async call: `foo_async (source, cancellable, callback, data)`. */
typedef void (*FraiseAsyncStart) (gpointer source,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);

/* Every blocking `_sync` call of the library: makes the client's context the
 * thread-default one, starts the async call (so its GTask captures that
 * context, whichever context the caller had pushed), iterates the context
 * until the call completes, and returns its result (transfer full). */
GAsyncResult *_fraise_client_run_sync (FraiseClient *client,
                                       gpointer source,
                                       FraiseAsyncStart start,
                                       GCancellable *cancellable);

G_END_DECLS
