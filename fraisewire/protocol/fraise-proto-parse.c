/* fraise-proto-parse.c: decoders for backend message bodies
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every decoder reads through a Cursor that knows how many bytes are left,
 * so no read can pass the end of the body; strings must carry their NUL
 * inside the body, and each decoder ends by checking that nothing is left.
 * Error texts never quote server bytes except single, escaped status bytes.
 */

#include "fraise-proto.h"

#include <string.h>

typedef struct {
  const guint8 *p;
  gsize left;
  const char *what; /* message name for error texts */
  GError **error;
} Cursor;

static void set_malformed (GError **error, const char *what, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
set_malformed (GError **error, const char *what, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL, _("malformed %s: %s"), what, reason);
}

static void
cursor_init (Cursor *c, const guint8 *data, gsize len, const char *what, GError **error)
{
  c->p = data;
  c->left = len;
  c->what = what;
  c->error = error;
}

static void
cursor_init_frame (Cursor *c, const FraiseProtoFrame *frame, GError **error)
{
  cursor_init (c, frame->body, frame->len, fraise_proto_backend_message_name (frame->type), error);
}

static gboolean
cursor_take (Cursor *c, gsize n, const guint8 **out)
{
  if (c->left < n)
    {
      set_malformed (c->error, c->what, _("message ends in the middle of a field"));
      return FALSE;
    }
  *out = c->p;
  c->p += n;
  c->left -= n;
  return TRUE;
}

static gboolean
cursor_u8 (Cursor *c, guint8 *value)
{
  const guint8 *p;

  if (!cursor_take (c, 1, &p))
    return FALSE;
  *value = p[0];
  return TRUE;
}

static gboolean
cursor_u16 (Cursor *c, guint16 *value)
{
  const guint8 *p;

  if (!cursor_take (c, 2, &p))
    return FALSE;
  *value = (guint16) ((p[0] << 8) | p[1]);
  return TRUE;
}

static gboolean
cursor_i16 (Cursor *c, gint16 *value)
{
  guint16 u;

  if (!cursor_u16 (c, &u))
    return FALSE;
  *value = (gint16) u;
  return TRUE;
}

static gboolean
cursor_u32 (Cursor *c, guint32 *value)
{
  const guint8 *p;

  if (!cursor_take (c, 4, &p))
    return FALSE;
  *value = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  return TRUE;
}

static gboolean
cursor_i32 (Cursor *c, gint32 *value)
{
  guint32 u;

  if (!cursor_u32 (c, &u))
    return FALSE;
  *value = (gint32) u;
  return TRUE;
}

/* A NUL-terminated string; *@len excludes the NUL. */
static gboolean
cursor_string (Cursor *c, const char **value, gsize *len)
{
  const guint8 *nul = c->left > 0 ? memchr (c->p, 0, c->left) : NULL;
  gsize n;

  if (nul == NULL)
    {
      set_malformed (c->error, c->what, _("string is not terminated inside the message"));
      return FALSE;
    }
  n = (gsize) (nul - c->p);
  if (len != NULL)
    *len = n;
  *value = (const char *) c->p;
  c->p += n + 1;
  c->left -= n + 1;
  return TRUE;
}

static gboolean
cursor_finish (Cursor *c)
{
  if (c->left == 0)
    return TRUE;
  set_malformed (c->error, c->what,
                 g_dngettext (GETTEXT_PACKAGE, "%lu unexpected byte after the last field",
                              "%lu unexpected bytes after the last field", c->left),
                 (gulong) c->left);
  return FALSE;
}

/* ---- authentication ------------------------------------------------------ */

static const char *
auth_method_name (guint32 code)
{
  switch (code)
    {
    case 2:
      return "Kerberos V5";
    case 4:
      return "crypt";
    case 6:
      return "SCM credentials";
    case 7:
      return "GSSAPI";
    case 8:
      return "GSS continue";
    case 9:
      return "SSPI";
    default:
      return _("unknown");
    }
}

static gboolean
check_auth_size (const FraiseProtoFrame *frame, GError **error)
{
  if (frame->len <= FRAISE_PROTO_MAX_AUTH_MESSAGE)
    return TRUE;
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
               _("authentication request of %lu bytes exceeds the limit of %d bytes"),
                  (gulong) frame->len, FRAISE_PROTO_MAX_AUTH_MESSAGE);
  return FALSE;
}

static gboolean
check_auth_payload (Cursor *c, guint32 code)
{
  switch (code)
    {
    case FRAISE_PROTO_AUTH_OK:
    case FRAISE_PROTO_AUTH_CLEARTEXT:
      return cursor_finish (c);
    case FRAISE_PROTO_AUTH_MD5:
      if (c->left == 4)
        return TRUE;
      set_malformed (c->error, c->what, _("MD5 salt of %lu bytes, expected 4"), (gulong) c->left);
      return FALSE;
    case FRAISE_PROTO_AUTH_SASL:
    case FRAISE_PROTO_AUTH_SASL_CONTINUE:
    case FRAISE_PROTO_AUTH_SASL_FINAL:
      return TRUE;
    default:
      g_set_error (c->error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION,
                   _("unsupported authentication method %u (%s)"), (guint) code,
                      auth_method_name (code));
      return FALSE;
    }
}

gboolean
fraise_proto_parse_auth (const FraiseProtoFrame *frame, FraiseProtoAuth *out, GError **error)
{
  Cursor c;
  guint32 code;

  g_return_val_if_fail (frame != NULL && out != NULL, FALSE);

  if (!check_auth_size (frame, error))
    return FALSE;
  cursor_init_frame (&c, frame, error);
  if (!cursor_u32 (&c, &code) || !check_auth_payload (&c, code))
    return FALSE;
  out->code = (FraiseProtoAuthCode) code;
  out->data = c.p;
  out->data_len = c.left;
  return TRUE;
}

gchar **
fraise_proto_parse_sasl_mechanisms (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Cursor c;
  const char *name;
  gsize name_len;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  cursor_init (&c, data, len, "AuthenticationSASL", error);
  do
    {
      if (!cursor_string (&c, &name, &name_len))
        return NULL;
      if (name_len > 0)
        g_ptr_array_add (names, g_strndup (name, name_len));
    }
  while (name_len > 0);
  if (!cursor_finish (&c))
    return NULL;
  g_ptr_array_add (names, NULL);
  return (gchar **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ---- startup and status messages ---------------------------------------- */

gboolean
fraise_proto_parse_backend_key_data (const FraiseProtoFrame *frame,
                                     guint32 *pid,
                                     guint32 *secret,
                                     GError **error)
{
  Cursor c;

  g_return_val_if_fail (frame != NULL && pid != NULL && secret != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  return cursor_u32 (&c, pid) && cursor_u32 (&c, secret) && cursor_finish (&c);
}

gboolean
fraise_proto_parse_parameter_status (const FraiseProtoFrame *frame,
                                     const char **name,
                                     const char **value,
                                     GError **error)
{
  Cursor c;

  g_return_val_if_fail (frame != NULL && name != NULL && value != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  return cursor_string (&c, name, NULL) && cursor_string (&c, value, NULL) && cursor_finish (&c);
}

static gboolean
is_transaction_status (guint8 status)
{
  return status == 'I' || status == 'T' || status == 'E';
}

gboolean
fraise_proto_parse_ready_for_query (const FraiseProtoFrame *frame, char *status, GError **error)
{
  Cursor c;
  guint8 byte;

  g_return_val_if_fail (frame != NULL && status != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  if (!cursor_u8 (&c, &byte) || !cursor_finish (&c))
    return FALSE;
  if (!is_transaction_status (byte))
    {
      set_malformed (error, c.what, _("invalid transaction status 0x%02x"), byte);
      return FALSE;
    }
  *status = (char) byte;
  return TRUE;
}

/* ---- query results ------------------------------------------------------- */

static gboolean
cursor_column (Cursor *c, FraiseProtoColumn *col)
{
  if (!cursor_string (c, &col->name, NULL) || !cursor_u32 (c, &col->table_oid) ||
      !cursor_i16 (c, &col->column_attr) || !cursor_u32 (c, &col->type_oid) ||
      !cursor_i16 (c, &col->type_size) || !cursor_i32 (c, &col->type_modifier) ||
      !cursor_i16 (c, &col->format))
    return FALSE;
  if (col->format == 0 || col->format == 1)
    return TRUE;
  set_malformed (c->error, c->what, _("invalid format code %d"), col->format);
  return FALSE;
}

gboolean
fraise_proto_parse_row_description (const FraiseProtoFrame *frame,
                                    FraiseProtoColumn *columns,
                                    guint max_columns,
                                    guint *n_columns,
                                    GError **error)
{
  Cursor c;
  FraiseProtoColumn col;
  guint16 count;
  guint i;

  g_return_val_if_fail (frame != NULL && n_columns != NULL, FALSE);
  g_return_val_if_fail (columns != NULL || max_columns == 0, FALSE);

  cursor_init_frame (&c, frame, error);
  if (!cursor_u16 (&c, &count))
    return FALSE;
  for (i = 0; i < count; i++)
    {
      if (!cursor_column (&c, &col))
        return FALSE;
      if (i < max_columns)
        columns[i] = col;
    }
  if (!cursor_finish (&c))
    return FALSE;
  *n_columns = count;
  return TRUE;
}

static gboolean
cursor_field (Cursor *c, FraiseProtoField *field)
{
  gint32 len;

  if (!cursor_i32 (c, &len))
    return FALSE;
  if (len == -1)
    {
      field->value = NULL;
      field->len = -1;
      return TRUE;
    }
  if (len < 0)
    {
      set_malformed (c->error, c->what, _("invalid field length %d"), (int) len);
      return FALSE;
    }
  if ((gsize) len > c->left)
    {
      set_malformed (c->error, c->what,
                     _("field length %d exceeds the %lu remaining bytes"), (int) len,
                        (gulong) c->left);
      return FALSE;
    }
  field->len = len;
  return cursor_take (c, (gsize) len, &field->value);
}

gboolean
fraise_proto_parse_data_row (const FraiseProtoFrame *frame,
                             FraiseProtoField *fields,
                             guint n_expected,
                             GError **error)
{
  Cursor c;
  guint16 count;
  guint i;

  g_return_val_if_fail (frame != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  if (!cursor_u16 (&c, &count))
    return FALSE;
  if (count != n_expected)
    {
      set_malformed (error, c.what,
                     _("row has %u fields, expected %u"), (guint) count, n_expected);
      return FALSE;
    }
  for (i = 0; i < count; i++)
    {
      FraiseProtoField scratch;

      if (!cursor_field (&c, fields != NULL ? &fields[i] : &scratch))
        return FALSE;
    }
  return cursor_finish (&c);
}

gboolean
fraise_proto_parse_command_complete (const FraiseProtoFrame *frame,
                                     const char **tag,
                                     GError **error)
{
  Cursor c;

  g_return_val_if_fail (frame != NULL && tag != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  return cursor_string (&c, tag, NULL) && cursor_finish (&c);
}

gboolean
fraise_proto_parse_empty (const FraiseProtoFrame *frame, GError **error)
{
  Cursor c;

  g_return_val_if_fail (frame != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  return cursor_finish (&c);
}

gboolean
fraise_proto_parse_copy_response (const FraiseProtoFrame *frame, GError **error)
{
  Cursor c;
  guint8 format;
  guint16 count;
  guint i;

  g_return_val_if_fail (frame != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  if (!cursor_u8 (&c, &format) || !cursor_u16 (&c, &count))
    return FALSE;
  if (format > 1)
    {
      set_malformed (error, c.what, _("invalid overall format code %u"), (guint) format);
      return FALSE;
    }
  for (i = 0; i < count; i++)
    {
      gint16 column_format;

      if (!cursor_i16 (&c, &column_format))
        return FALSE;
      if (column_format != 0 && column_format != 1)
        {
          set_malformed (error, c.what,
                         _("invalid format code %d for column %u"), (int) column_format, i + 1);
          return FALSE;
        }
    }
  return cursor_finish (&c);
}

/* ---- asynchronous messages ---------------------------------------------- */

/* Fields until the terminating 0 byte; returns FALSE on a malformed field. */
static gboolean
cursor_server_message_fields (Cursor *c, FraiseServerMessage *message)
{
  guint8 code;
  const char *value;
  gsize len;

  for (;;)
    {
      if (!cursor_u8 (c, &code))
        return FALSE;
      if (code == 0)
        return TRUE;
      if (!cursor_string (c, &value, &len))
        return FALSE;
      /* The fields reach GError messages and bindings as UTF-8 strings: a
       * server that sends invalid bytes gets them replaced, never passed on. */
      if (!g_utf8_validate_len (value, len, NULL))
        {
          g_autofree char *valid = g_utf8_make_valid (value, len);

          _fraise_server_message_set_field (message, (char) code, valid, strlen (valid));
          continue;
        }
      _fraise_server_message_set_field (message, (char) code, value, len);
    }
}

FraiseServerMessage *
fraise_proto_parse_error_fields (const FraiseProtoFrame *frame, GError **error)
{
  g_autoptr (FraiseServerMessage) message = NULL;
  Cursor c;

  g_return_val_if_fail (frame != NULL, NULL);

  cursor_init_frame (&c, frame, error);
  message = _fraise_server_message_new ();
  if (!cursor_server_message_fields (&c, message) || !cursor_finish (&c))
    return NULL;
  return g_steal_pointer (&message);
}

gboolean
fraise_proto_parse_notification (const FraiseProtoFrame *frame,
                                 guint32 *pid,
                                 const char **channel,
                                 const char **payload,
                                 GError **error)
{
  Cursor c;

  g_return_val_if_fail (frame != NULL && pid != NULL && channel != NULL && payload != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  return cursor_u32 (&c, pid) && cursor_string (&c, channel, NULL) &&
         cursor_string (&c, payload, NULL) && cursor_finish (&c);
}

/* The option count of a NegotiateProtocolVersion: each option takes at least
 * its NUL, so a count above the bytes left is malformed (and never allocated). */
static gboolean
cursor_option_count (Cursor *c, guint *count)
{
  gint32 n;

  if (!cursor_i32 (c, &n))
    return FALSE;
  if (n < 0 || (gsize) n > c->left)
    {
      set_malformed (c->error, c->what, _("invalid option count %d"), (int) n);
      return FALSE;
    }
  *count = (guint) n;
  return TRUE;
}

gboolean
fraise_proto_parse_negotiate_protocol_version (const FraiseProtoFrame *frame,
                                               guint32 *newest_minor,
                                               gchar ***unrecognized,
                                               GError **error)
{
  g_autoptr (GPtrArray) options = NULL;
  Cursor c;
  guint32 minor;
  guint count, i;
  const char *name;

  g_return_val_if_fail (frame != NULL && newest_minor != NULL, FALSE);

  cursor_init_frame (&c, frame, error);
  if (!cursor_u32 (&c, &minor) || !cursor_option_count (&c, &count))
    return FALSE;
  options = g_ptr_array_new_full (count + 1, g_free);
  for (i = 0; i < count; i++)
    {
      if (!cursor_string (&c, &name, NULL))
        return FALSE;
      g_ptr_array_add (options, g_strdup (name));
    }
  if (!cursor_finish (&c))
    return FALSE;
  *newest_minor = minor;
  if (unrecognized != NULL)
    {
      g_ptr_array_add (options, NULL);
      *unrecognized = (gchar **) g_ptr_array_free (g_steal_pointer (&options), FALSE);
    }
  return TRUE;
}

/* ---- names ------------------------------------------------------------- */

static const char *const backend_message_names[256] = {
  ['R'] = "Authentication",   ['K'] = "BackendKeyData",       ['S'] = "ParameterStatus",
  ['Z'] = "ReadyForQuery",    ['T'] = "RowDescription",       ['D'] = "DataRow",
  ['C'] = "CommandComplete",  ['I'] = "EmptyQueryResponse",   ['E'] = "ErrorResponse",
  ['N'] = "NoticeResponse",   ['A'] = "NotificationResponse", ['v'] = "NegotiateProtocolVersion",
  ['1'] = "ParseComplete",    ['2'] = "BindComplete",         ['3'] = "CloseComplete",
  ['n'] = "NoData",           ['s'] = "PortalSuspended",      ['c'] = "CopyDone",
  ['d'] = "CopyData",         ['G'] = "CopyInResponse",       ['H'] = "CopyOutResponse",
  ['W'] = "CopyBothResponse", ['t'] = "ParameterDescription", ['V'] = "FunctionCallResponse",
};

const char *
fraise_proto_backend_message_name (guint8 type)
{
  const char *name = backend_message_names[type];

  return name != NULL ? name : "unknown";
}
