/* fraise-md5.c: PostgreSQL MD5 password hashing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The PasswordMessage answer to AuthenticationMD5Password is
 *   "md5" + hex (md5 (hex (md5 (password || user)) || salt))
 */

#include "fraise-auth.h"

#include <string.h>
#include <gnutls/crypto.h>

#define MD5_BYTES 16
#define MD5_HEX_CHARS (2 * MD5_BYTES)

static void
to_hex (const guint8 *bytes, gsize len, char *out)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[bytes[i] >> 4];
      out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
}

/* Writes hex (md5 (a || b)) to @out (MD5_HEX_CHARS, not terminated). */
static gboolean
md5_hex_of_concat (const guint8 *a, gsize a_len, const guint8 *b, gsize b_len, char *out)
{
  guint8 digest[MD5_BYTES];
  guint8 *buffer;
  gsize len = a_len + b_len;
  int rc;

  buffer = g_malloc (len + 1);
  memcpy (buffer, a, a_len);
  memcpy (buffer + a_len, b, b_len);

  rc = gnutls_hash_fast (GNUTLS_DIG_MD5, buffer, len, digest);
  fraise_secure_wipe (buffer, len);
  g_free (buffer);

  if (rc < 0)
    return FALSE;

  to_hex (digest, sizeof digest, out);
  fraise_secure_wipe (digest, sizeof digest);

  return TRUE;
}

char *
fraise_md5_password (const char *user, const char *password, const guint8 salt[4])
{
  char inner[MD5_HEX_CHARS];
  char *result;
  gboolean ok;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (salt != NULL, NULL);

  if (!md5_hex_of_concat ((const guint8 *) password, strlen (password), (const guint8 *) user,
                          strlen (user), inner))
    return NULL;

  result = g_malloc0 (3 + MD5_HEX_CHARS + 1);
  memcpy (result, "md5", 3);
  ok = md5_hex_of_concat ((const guint8 *) inner, sizeof inner, salt, 4, result + 3);
  fraise_secure_wipe (inner, sizeof inner);

  if (!ok)
    g_clear_pointer (&result, g_free);

  return result;
}
