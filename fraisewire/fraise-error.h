/* fraise-error.h: the FRAISE_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib.h>
#include "fraise-version.h"

G_BEGIN_DECLS

/**
 * FRAISE_ERROR:
 *
 * The error domain of fraisewire. Errors in this domain are from the
 * [enum@Fraise.Error] enumeration. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED, never in this domain.
 *
 * Since: 1.0
 */
#define FRAISE_ERROR (fraise_error_quark ())

/**
 * FraiseError:
 * @FRAISE_ERROR_CONFIG: a connection string, option or argument is invalid;
 *   nothing was sent to the server
 * @FRAISE_ERROR_CONNECTION_FAILED: the server could not be reached or refused
 *   the connection before authentication finished
 * @FRAISE_ERROR_CONNECTION_LOST: an established connection broke
 * @FRAISE_ERROR_AUTHENTICATION: the server rejected the credentials, or the
 *   authentication exchange was unsafe or malformed
 * @FRAISE_ERROR_TLS: TLS negotiation or certificate verification failed
 * @FRAISE_ERROR_PROTOCOL: the server sent bytes that break the protocol;
 *   the connection is closed
 * @FRAISE_ERROR_SERVER: the server reported an error (see
 *   [method@Fraise.ServerMessage.get_sqlstate])
 * @FRAISE_ERROR_INVALID_SCHEMA: the query did not return one json/jsonb column
 * @FRAISE_ERROR_JSON: a row is not valid JSON, or nests too deeply
 * @FRAISE_ERROR_DESERIALIZATION: a row does not fit the requested type
 * @FRAISE_ERROR_MEMORY_LIMIT: a row does not fit in the stream's memory bound
 * @FRAISE_ERROR_RESOURCE_LIMIT: a message exceeds a configured limit (for
 *   example `max-row-size`)
 * @FRAISE_ERROR_TIMEOUT: a connect, query or pause timeout expired
 * @FRAISE_ERROR_BUSY: the client is already running a query
 * @FRAISE_ERROR_CLOSED: the client is closed or not connected
 *
 * Error codes of the %FRAISE_ERROR domain.
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_ERROR_CONFIG,
  FRAISE_ERROR_CONNECTION_FAILED,
  FRAISE_ERROR_CONNECTION_LOST,
  FRAISE_ERROR_AUTHENTICATION,
  FRAISE_ERROR_TLS,
  FRAISE_ERROR_PROTOCOL,
  FRAISE_ERROR_SERVER,
  FRAISE_ERROR_INVALID_SCHEMA,
  FRAISE_ERROR_JSON,
  FRAISE_ERROR_DESERIALIZATION,
  FRAISE_ERROR_MEMORY_LIMIT,
  FRAISE_ERROR_RESOURCE_LIMIT,
  FRAISE_ERROR_TIMEOUT,
  FRAISE_ERROR_BUSY,
  FRAISE_ERROR_CLOSED,
} FraiseError;

FRAISE_AVAILABLE_IN_1_0
GQuark fraise_error_quark (void);

FRAISE_AVAILABLE_IN_1_0
gboolean fraise_error_is_retriable (const GError *error);

FRAISE_AVAILABLE_IN_1_0
const char *fraise_error_get_category (const GError *error);

G_END_DECLS
