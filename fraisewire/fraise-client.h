/* fraise-client.h: a connection to one PostgreSQL server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <gio/gio.h>
#include "fraise-version.h"
#include "fraise-server-message.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_CLIENT (fraise_client_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseClient, fraise_client, FRAISE, CLIENT, GObject)

FRAISE_AVAILABLE_IN_1_0
FraiseClient *fraise_client_new (const char *conninfo, GError **error);

FRAISE_AVAILABLE_IN_1_0
void fraise_client_connect_async (FraiseClient *client,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_client_connect_finish (FraiseClient *client, GAsyncResult *result, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean
fraise_client_connect_sync (FraiseClient *client, GCancellable *cancellable, GError **error);

FRAISE_AVAILABLE_IN_1_0
void fraise_client_close_async (FraiseClient *client,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_client_close_finish (FraiseClient *client, GAsyncResult *result, GError **error);

FRAISE_AVAILABLE_IN_1_0
gboolean fraise_client_close_sync (FraiseClient *client, GCancellable *cancellable, GError **error);

FRAISE_AVAILABLE_IN_1_0
gboolean fraise_client_is_connected (FraiseClient *client);

FRAISE_AVAILABLE_IN_1_0
const char *fraise_client_get_conninfo (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_client_get_server_version (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
guint fraise_client_get_backend_pid (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_client_get_is_tls (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_client_get_channel_bound (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_client_get_auth_method (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
GHashTable *fraise_client_dup_parameters (FraiseClient *client);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_client_get_parameter (FraiseClient *client, const char *name);
FRAISE_AVAILABLE_IN_1_0
FraiseServerMessage *fraise_client_get_last_server_message (FraiseClient *client);

G_END_DECLS
