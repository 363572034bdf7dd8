/* fraise-server-message.h: an ErrorResponse or NoticeResponse from the server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib-object.h>
#include "fraise-version.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_SERVER_MESSAGE (fraise_server_message_get_type ())

typedef struct _FraiseServerMessage FraiseServerMessage;

FRAISE_AVAILABLE_IN_1_0
GType fraise_server_message_get_type (void) G_GNUC_CONST;

FRAISE_AVAILABLE_IN_1_0
FraiseServerMessage *fraise_server_message_ref (FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
void fraise_server_message_unref (FraiseServerMessage *message);

FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_field (const FraiseServerMessage *message, char code);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_severity (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_sqlstate (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_message (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_detail (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_hint (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
int fraise_server_message_get_position (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_where (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_schema_name (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_table_name (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_column_name (const FraiseServerMessage *message);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_server_message_get_constraint_name (const FraiseServerMessage *message);

FRAISE_AVAILABLE_IN_1_0
FraiseServerMessage *fraise_error_get_server_message (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseServerMessage, fraise_server_message_unref)

G_END_DECLS
