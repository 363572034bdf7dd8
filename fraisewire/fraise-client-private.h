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
/* Sync helpers: pass _fraise_client_store_result_func() and &slot as the
 * callback and its data, then _fraise_client_wait() iterates the client's
 * context until the result is stored. */
GAsyncReadyCallback _fraise_client_store_result_func (void);
GAsyncResult *_fraise_client_wait (FraiseClient *client, GAsyncResult **slot);

G_END_DECLS
