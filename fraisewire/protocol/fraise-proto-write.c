/* fraise-proto-write.c: encoders for frontend messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each writer computes the full message size first (gsize, checked against
 * FRAISE_PROTO_MAX_OUTGOING) and only then appends, so a refused message
 * leaves the output untouched. Integers are big-endian.
 */

#include "fraise-proto.h"

#include <string.h>

static void
append_u32 (GByteArray *out, guint32 value)
{
  guint8 bytes[4] = {
    (guint8) (value >> 24),
    (guint8) (value >> 16),
    (guint8) (value >> 8),
    (guint8) value,
  };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
append_u8 (GByteArray *out, guint8 value)
{
  g_byte_array_append (out, &value, 1);
}

static void
append_bytes (GByteArray *out, const void *data, gsize len)
{
  if (len > 0)
    g_byte_array_append (out, data, (guint) len);
}

/* A string with its NUL. */
static void
append_cstring (GByteArray *out, const char *s)
{
  append_bytes (out, s, strlen (s) + 1);
}

/* Type byte and length field of a message whose body has @body_len bytes
 * (already checked by check_body_size). */
static void
append_header (GByteArray *out, guint8 type, gsize body_len)
{
  append_u8 (out, type);
  append_u32 (out, (guint32) (body_len + 4));
}

static void
set_too_large_error (GError **error, const char *what)
{
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("%s is too large: messages are limited to %u bytes"), what,
                  (guint) FRAISE_PROTO_MAX_OUTGOING);
}

/* @body_len plus @extra, then the 5-byte header, must fit the outgoing
 * limit; the sum is returned in *@body_len. */
static gboolean
add_body_size (gsize *body_len, gsize extra, const char *what, GError **error)
{
  gsize total;

  if (!g_size_checked_add (body_len, *body_len, extra) ||
      !g_size_checked_add (&total, *body_len, 5) || total > FRAISE_PROTO_MAX_OUTGOING)
    {
      set_too_large_error (error, what);
      return FALSE;
    }
  return TRUE;
}

/* ---- startup --------------------------------------------------------- */

/* Length of the parameter list, each "key\0value\0", without the final NUL. */
static gboolean
measure_startup_parameters (const char *const *keys,
                            const char *const *values,
                            gsize *len,
                            GError **error)
{
  gsize i;

  *len = 0;
  for (i = 0; keys[i] != NULL; i++)
    {
      if (values[i] == NULL)
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("startup parameter %lu has no value"), (gulong) i);
          return FALSE;
        }
      if (keys[i][0] == '\0')
        {
          g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                               _("startup parameter name must not be empty"));
          return FALSE;
        }
      if (!add_body_size (len, strlen (keys[i]) + 1, _("startup message"), error) ||
                          !add_body_size (len, strlen (values[i]) + 1,
                                          _("startup message"), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fraise_proto_write_startup (GByteArray *out,
                            const char *const *keys,
                            const char *const *values,
                            GError **error)
{
  gsize params_len;
  gsize length;
  gsize i;

  g_return_val_if_fail (out != NULL && keys != NULL && values != NULL, FALSE);

  if (!measure_startup_parameters (keys, values, &params_len, error))
    return FALSE;
  length = 4 + 4 + params_len + 1;
  if (length > FRAISE_PROTO_MAX_STARTUP_MESSAGE)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                   _("startup message of %lu bytes exceeds the server's limit of %d bytes"),
                      (gulong) length, FRAISE_PROTO_MAX_STARTUP_MESSAGE);
      return FALSE;
    }
  append_u32 (out, (guint32) length);
  append_u32 (out, FRAISE_PROTO_VERSION_3_0);
  for (i = 0; keys[i] != NULL; i++)
    {
      append_cstring (out, keys[i]);
      append_cstring (out, values[i]);
    }
  append_u8 (out, 0);
  return TRUE;
}

void
fraise_proto_write_ssl_request (GByteArray *out)
{
  g_return_if_fail (out != NULL);

  append_u32 (out, 8);
  append_u32 (out, FRAISE_PROTO_SSL_REQUEST_CODE);
}

void
fraise_proto_write_cancel_request (GByteArray *out, guint32 pid, guint32 secret)
{
  g_return_if_fail (out != NULL);

  append_u32 (out, 16);
  append_u32 (out, FRAISE_PROTO_CANCEL_REQUEST_CODE);
  append_u32 (out, pid);
  append_u32 (out, secret);
}

void
fraise_proto_write_terminate (GByteArray *out)
{
  g_return_if_fail (out != NULL);

  append_header (out, 'X', 0);
}

/* ---- query ------------------------------------------------------------ */

/* Checked before @sql is read, so a bogus @len is refused without touching memory. */
static gboolean
check_query (const char *sql, gsize len, gsize *body_len, GError **error)
{
  *body_len = 0;
  if (!add_body_size (body_len, len, _("query"), error) ||
                      !add_body_size (body_len, 1, _("query"), error))
    return FALSE;
  if (len > 0 && memchr (sql, 0, len) != NULL)
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("query text contains a NUL byte"));
      return FALSE;
    }
  return TRUE;
}

gboolean
fraise_proto_write_query (GByteArray *out, const char *sql, gsize len, GError **error)
{
  gsize body_len;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (sql != NULL || len == 0, FALSE);

  if (!check_query (sql, len, &body_len, error))
    return FALSE;
  append_header (out, 'Q', body_len);
  append_bytes (out, sql, len);
  append_u8 (out, 0);
  return TRUE;
}

/* ---- authentication responses ------------------------------------------- */

gboolean
fraise_proto_write_password (GByteArray *out, const char *password, GError **error)
{
  gsize body_len = 0;

  g_return_val_if_fail (out != NULL && password != NULL, FALSE);

  if (!add_body_size (&body_len, strlen (password) + 1, _("password message"), error))
    return FALSE;
  append_header (out, 'p', body_len);
  append_cstring (out, password);
  return TRUE;
}

gboolean
fraise_proto_write_sasl_initial_response (
  GByteArray *out, const char *mechanism, const guint8 *data, gsize len, GError **error)
{
  gsize body_len = 0;

  g_return_val_if_fail (out != NULL && mechanism != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (!add_body_size (&body_len, strlen (mechanism) + 1 + 4, _("SASL initial response"), error) ||
                      !add_body_size (&body_len, len, _("SASL initial response"), error))
    return FALSE;
  append_header (out, 'p', body_len);
  append_cstring (out, mechanism);
  append_u32 (out, data != NULL ? (guint32) len : G_MAXUINT32); /* -1: no initial response */
  append_bytes (out, data, len);
  return TRUE;
}

gboolean
fraise_proto_write_sasl_response (GByteArray *out, const guint8 *data, gsize len, GError **error)
{
  gsize body_len = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (!add_body_size (&body_len, len, _("SASL response"), error))
    return FALSE;
  append_header (out, 'p', body_len);
  append_bytes (out, data, len);
  return TRUE;
}
