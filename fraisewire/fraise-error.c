/* fraise-error.c: the FRAISE_ERROR domain, retriability and categories
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"

typedef struct {
  FraiseServerMessage *server_message;
} FraiseErrorPrivate;

static void
fraise_error_private_init (FraiseErrorPrivate *priv)
{
  priv->server_message = NULL;
}

static void
fraise_error_private_copy (const FraiseErrorPrivate *src, FraiseErrorPrivate *dest)
{
  dest->server_message =
    src->server_message != NULL ? fraise_server_message_ref (src->server_message) : NULL;
}

static void
fraise_error_private_clear (FraiseErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_message, fraise_server_message_unref);
}

/**
 * fraise_error_quark:
 *
 * The quark of the %FRAISE_ERROR domain.
 *
 * Returns: the error domain quark
 *
 * Since: 1.0
 */
G_DEFINE_EXTENDED_ERROR (FraiseError, fraise_error)

GError *
_fraise_error_new_with_message (FraiseError code,
                                FraiseServerMessage *message,
                                const char *format,
                                ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (FRAISE_ERROR, code, format, args);
  va_end (args);

  if (message != NULL)
    {
      FraiseErrorPrivate *priv = fraise_error_get_private (error);
      priv->server_message = fraise_server_message_ref (message);
    }
  return error;
}

/**
 * fraise_error_get_server_message:
 * @error: a #GError
 *
 * The server message carried by @error: every field of the ErrorResponse
 * that caused it. Errors of code %FRAISE_ERROR_SERVER always have one;
 * authentication and connection errors have one when the server refused
 * with an ErrorResponse (for example SQLSTATE `28P01`).
 *
 * Returns: (transfer none) (nullable): the server message, or %NULL
 *
 * Since: 1.0
 */
FraiseServerMessage *
fraise_error_get_server_message (const GError *error)
{
  FraiseErrorPrivate *priv;

  if (error == NULL || error->domain != FRAISE_ERROR)
    return NULL;
  priv = fraise_error_get_private (error);
  return priv != NULL ? priv->server_message : NULL;
}

static gboolean
sqlstate_is_retriable (const char *sqlstate)
{
  if (sqlstate == NULL || strlen (sqlstate) != 5)
    return FALSE;
  /* Class 08 (connection exception) and 40 (transaction rollback: serialization
   * failure, deadlock) are worth retrying; so are too-many-connections and the
   * operator interventions that end a session (admin/crash shutdown, cannot
   * connect now). */
  if (g_str_has_prefix (sqlstate, "08") || g_str_has_prefix (sqlstate, "40"))
    return TRUE;
  return g_str_equal (sqlstate, "53300") || g_str_equal (sqlstate, "57P01") ||
         g_str_equal (sqlstate, "57P02") || g_str_equal (sqlstate, "57P03");
}

/**
 * fraise_error_is_retriable:
 * @error: (nullable): a #GError
 *
 * Whether retrying the operation (on a new connection if the old one is
 * closed) may succeed: true for connection failures and losses, timeouts,
 * and server errors of SQLSTATE class 08 or 40, `53300` (too many
 * connections) and `57P01`–`57P03` (shutdowns, cannot connect now); false
 * for authentication, configuration, schema and syntax errors and for
 * cancellation.
 *
 * Returns: %TRUE if a retry may succeed
 *
 * Since: 1.0
 */
gboolean
fraise_error_is_retriable (const GError *error)
{
  FraiseServerMessage *message;

  if (error == NULL || error->domain != FRAISE_ERROR)
    return FALSE;

  switch ((FraiseError) error->code)
    {
    case FRAISE_ERROR_CONNECTION_FAILED:
    case FRAISE_ERROR_CONNECTION_LOST:
    case FRAISE_ERROR_TIMEOUT:
      message = fraise_error_get_server_message (error);
      /* A refusal with a server message is retriable only for the retriable states. */
      return message == NULL ||
             sqlstate_is_retriable (fraise_server_message_get_sqlstate (message));
    case FRAISE_ERROR_SERVER:
      message = fraise_error_get_server_message (error);
      return message != NULL &&
             sqlstate_is_retriable (fraise_server_message_get_sqlstate (message));
    case FRAISE_ERROR_CONFIG:
    case FRAISE_ERROR_AUTHENTICATION:
    case FRAISE_ERROR_TLS:
    case FRAISE_ERROR_PROTOCOL:
    case FRAISE_ERROR_INVALID_SCHEMA:
    case FRAISE_ERROR_JSON:
    case FRAISE_ERROR_DESERIALIZATION:
    case FRAISE_ERROR_MEMORY_LIMIT:
    case FRAISE_ERROR_RESOURCE_LIMIT:
    case FRAISE_ERROR_BUSY:
    case FRAISE_ERROR_CLOSED:
    default:
      return FALSE;
    }
}

/**
 * fraise_error_get_category:
 * @error: (nullable): a #GError
 *
 * A stable short name for the kind of error, for logs and metrics labels:
 * `connection`, `authentication`, `tls`, `protocol`, `server`, `schema`,
 * `json`, `limit`, `timeout`, `config` or `cancelled` (for
 * %G_IO_ERROR_CANCELLED). `busy` and `closed` errors are in the
 * `connection` category; errors from other domains are `other`.
 *
 * Returns: (transfer none): the category name
 *
 * Since: 1.0
 */
const char *
fraise_error_get_category (const GError *error)
{
  if (error == NULL)
    return "other";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  if (error->domain != FRAISE_ERROR)
    return "other";

  switch ((FraiseError) error->code)
    {
    case FRAISE_ERROR_CONFIG:
      return "config";
    case FRAISE_ERROR_CONNECTION_FAILED:
    case FRAISE_ERROR_CONNECTION_LOST:
    case FRAISE_ERROR_BUSY:
    case FRAISE_ERROR_CLOSED:
      return "connection";
    case FRAISE_ERROR_AUTHENTICATION:
      return "authentication";
    case FRAISE_ERROR_TLS:
      return "tls";
    case FRAISE_ERROR_PROTOCOL:
      return "protocol";
    case FRAISE_ERROR_SERVER:
      return "server";
    case FRAISE_ERROR_INVALID_SCHEMA:
      return "schema";
    case FRAISE_ERROR_JSON:
    case FRAISE_ERROR_DESERIALIZATION:
      return "json";
    case FRAISE_ERROR_MEMORY_LIMIT:
    case FRAISE_ERROR_RESOURCE_LIMIT:
      return "limit";
    case FRAISE_ERROR_TIMEOUT:
      return "timeout";
    default:
      return "other";
    }
}
