/* fraise-server-message.c: every field of an ErrorResponse or NoticeResponse
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"

/**
 * FraiseServerMessage:
 *
 * An error or notice sent by the server, with every field of the
 * ErrorResponse / NoticeResponse message: severity, SQLSTATE, message,
 * detail, hint, position, where, schema, table, column, constraint and the
 * rest.
 *
 * Errors of code %FRAISE_ERROR_SERVER carry one: reach it with
 * [func@Fraise.Error.get_server_message] from C, or through
 * `Fraise.Client:last-server-message` from any language.
 *
 * Since: 1.0
 */

#define MAX_FIELDS 24

typedef struct {
  char code;
  char *value;
} Field;

struct _FraiseServerMessage {
  gatomicrefcount ref_count;
  guint n_fields;
  Field fields[MAX_FIELDS];
};

G_DEFINE_BOXED_TYPE (FraiseServerMessage,
                     fraise_server_message,
                     fraise_server_message_ref,
                     fraise_server_message_unref)

FraiseServerMessage *
_fraise_server_message_new (void)
{
  FraiseServerMessage *message = g_new0 (FraiseServerMessage, 1);

  g_atomic_ref_count_init (&message->ref_count);
  return message;
}

void
_fraise_server_message_set_field (FraiseServerMessage *message,
                                  char code,
                                  const char *value,
                                  gsize len)
{
  guint i;

  for (i = 0; i < message->n_fields; i++)
    {
      if (message->fields[i].code == code)
        {
          g_free (message->fields[i].value);
          message->fields[i].value = g_strndup (value, len);
          return;
        }
    }

  /* The protocol defines fewer than MAX_FIELDS codes; extra unknown ones are dropped. */
  if (message->n_fields == MAX_FIELDS)
    return;

  message->fields[message->n_fields].code = code;
  message->fields[message->n_fields].value = g_strndup (value, len);
  message->n_fields++;
}

/**
 * fraise_server_message_ref:
 * @message: a server message
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @message
 *
 * Since: 1.0
 */
FraiseServerMessage *
fraise_server_message_ref (FraiseServerMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  g_atomic_ref_count_inc (&message->ref_count);
  return message;
}

/**
 * fraise_server_message_unref:
 * @message: (transfer full): a server message
 *
 * Drops a reference; the message is freed with the last one.
 *
 * Since: 1.0
 */
void
fraise_server_message_unref (FraiseServerMessage *message)
{
  guint i;

  g_return_if_fail (message != NULL);

  if (!g_atomic_ref_count_dec (&message->ref_count))
    return;

  for (i = 0; i < message->n_fields; i++)
    g_free (message->fields[i].value);
  g_free (message);
}

/**
 * fraise_server_message_get_field:
 * @message: a server message
 * @code: the field's code byte as the protocol defines it (`'C'` for the
 *   SQLSTATE, `'M'` for the message, `'q'` for the internal query, ...)
 *
 * Looks up any field of the message by its protocol code.
 *
 * Returns: (nullable): the field's text, or %NULL if the server did not send it
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_field (const FraiseServerMessage *message, char code)
{
  guint i;

  g_return_val_if_fail (message != NULL, NULL);

  for (i = 0; i < message->n_fields; i++)
    if (message->fields[i].code == code)
      return message->fields[i].value;
  return NULL;
}

/**
 * fraise_server_message_get_severity:
 * @message: a server message
 *
 * The severity (`ERROR`, `FATAL`, `PANIC`, `WARNING`, `NOTICE`, ...), never
 * localized when the server sends the `V` field, localized otherwise.
 *
 * Returns: (nullable): the severity
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_severity (const FraiseServerMessage *message)
{
  const char *v = fraise_server_message_get_field (message, 'V');

  return v != NULL ? v : fraise_server_message_get_field (message, 'S');
}

/**
 * fraise_server_message_get_sqlstate:
 * @message: a server message
 *
 * The five-character SQLSTATE code, for example `42P01`.
 *
 * Returns: (nullable): the SQLSTATE
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_sqlstate (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'C');
}

/**
 * fraise_server_message_get_message:
 * @message: a server message
 *
 * The primary human-readable message.
 *
 * Returns: (nullable): the message
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_message (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'M');
}

/**
 * fraise_server_message_get_detail:
 * @message: a server message
 *
 * The optional secondary message with more detail.
 *
 * Returns: (nullable): the detail
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_detail (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'D');
}

/**
 * fraise_server_message_get_hint:
 * @message: a server message
 *
 * The optional suggestion of what to do about the problem.
 *
 * Returns: (nullable): the hint
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_hint (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'H');
}

/**
 * fraise_server_message_get_position:
 * @message: a server message
 *
 * The error position as a 1-based character index into the query text.
 *
 * Returns: the position, or 0 when the server gave none
 *
 * Since: 1.0
 */
int
fraise_server_message_get_position (const FraiseServerMessage *message)
{
  const char *p = fraise_server_message_get_field (message, 'P');
  guint64 value = 0;

  if (p == NULL || !g_ascii_string_to_unsigned (p, 10, 1, G_MAXINT, &value, NULL))
    return 0;
  return (int) value;
}

/**
 * fraise_server_message_get_where:
 * @message: a server message
 *
 * The call stack context in which the error occurred.
 *
 * Returns: (nullable): the context
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_where (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'W');
}

/**
 * fraise_server_message_get_schema_name:
 * @message: a server message
 *
 * The schema of the object the error is about.
 *
 * Returns: (nullable): the schema name
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_schema_name (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 's');
}

/**
 * fraise_server_message_get_table_name:
 * @message: a server message
 *
 * The table the error is about.
 *
 * Returns: (nullable): the table name
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_table_name (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 't');
}

/**
 * fraise_server_message_get_column_name:
 * @message: a server message
 *
 * The column the error is about.
 *
 * Returns: (nullable): the column name
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_column_name (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'c');
}

/**
 * fraise_server_message_get_constraint_name:
 * @message: a server message
 *
 * The constraint the error is about.
 *
 * Returns: (nullable): the constraint name
 *
 * Since: 1.0
 */
const char *
fraise_server_message_get_constraint_name (const FraiseServerMessage *message)
{
  return fraise_server_message_get_field (message, 'n');
}

char *
_fraise_server_message_describe (const FraiseServerMessage *message)
{
  GString *text = g_string_new (NULL);
  const char *msg = fraise_server_message_get_message (message);
  const char *sqlstate = fraise_server_message_get_sqlstate (message);
  const char *detail = fraise_server_message_get_detail (message);
  const char *hint = fraise_server_message_get_hint (message);

  g_string_append (text, msg != NULL ? msg : _("server error without a message"));
  if (sqlstate != NULL)
    g_string_append_printf (text, " (SQLSTATE %s)", sqlstate);
  if (detail != NULL)
    g_string_append_printf (text, "; %s", detail);
  if (hint != NULL)
    g_string_append_printf (text, "; %s %s", _("hint:"), hint);
  return g_string_free (text, FALSE);
}
