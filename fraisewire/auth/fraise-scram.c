/* fraise-scram.c: SCRAM-SHA-256 and SCRAM-SHA-256-PLUS client (RFC 5802, RFC 7677)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The client side of the exchange as PostgreSQL runs it: the username is
 * not sent in the SCRAM message ("n="), the server's nonce must extend
 * ours, the iteration count is capped before any key derivation, and the
 * server signature is compared in constant time. Secrets (the password,
 * the salted password and the derived keys) are wiped as soon as they are
 * no longer needed, and again in fraise_scram_free().
 */

#include "fraise-auth.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#define SCRAM_KEY_LEN 32 /* SHA-256 */
#define SCRAM_CB_NAME "tls-server-end-point"
#define SCRAM_SHOWN_DIGITS 20
#define SCRAM_SHOWN_ERROR_CHARS 120

typedef enum {
  SCRAM_STATE_INIT,
  SCRAM_STATE_FIRST_SENT,
  SCRAM_STATE_FINAL_SENT,
  SCRAM_STATE_COMPLETE,
  SCRAM_STATE_FAILED,
} ScramState;

struct _FraiseScram {
  ScramState state;
  guint max_iterations;
  FraiseScramBinding binding;
  char *password;  /* SASLprep'd (or raw) password, secret */
  GBytes *cb_data; /* tls-server-end-point data when BOUND */
  char *client_nonce;
  char *gs2_header;
  char *client_first; /* gs2_header + client_first_bare */
  const char *client_first_bare;
  char *client_final; /* contains the proof: wiped when freed */
  guint8 server_signature[SCRAM_KEY_LEN];
};

/* A view on part of a NUL-terminated message. */
typedef struct {
  const char *ptr;
  gsize len;
} Span;

/* Keys derived from the salted password; wiped as a whole. */
typedef struct {
  guint8 salted_password[SCRAM_KEY_LEN];
  guint8 client_key[SCRAM_KEY_LEN];
  guint8 stored_key[SCRAM_KEY_LEN];
  guint8 server_key[SCRAM_KEY_LEN];
  guint8 client_signature[SCRAM_KEY_LEN];
  guint8 client_proof[SCRAM_KEY_LEN];
} ScramKeys;

void
fraise_secure_wipe (gpointer p, gsize len)
{
  volatile guint8 *v = p;

  if (p == NULL)
    return;

  while (len-- > 0)
    *v++ = 0;
}

void
fraise_secure_free_string (char *s)
{
  if (s == NULL)
    return;

  fraise_secure_wipe (s, strlen (s));
  g_free (s);
}

/* ---- small helpers --------------------------------------------------- */

static gboolean
constant_time_equal (const guint8 *a, const guint8 *b, gsize len)
{
  volatile guint8 diff = 0;

  for (gsize i = 0; i < len; i++)
    diff |= a[i] ^ b[i];

  return diff == 0;
}

/* RFC 5802 "printable": %x21-2B / %x2D-7E (no ','). */
static gboolean
is_printable_nonce (const char *s, gsize len)
{
  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if (c < 0x21 || c > 0x7e || c == ',')
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Decodes canonical base64 (length a multiple of 4, padding only at the end).
 * Returns NULL for anything else, or for an empty input. */
static guint8 *
decode_base64_strict (Span text, gsize *out_len)
{
  gsize padding = 0;
  guint8 *out;
  gint state = 0;
  guint save = 0;

  if (text.len == 0 || text.len % 4 != 0)
    return NULL;

  if (text.ptr[text.len - 1] == '=')
    padding = text.ptr[text.len - 2] == '=' ? 2 : 1;

  for (gsize i = 0; i < text.len - padding; i++)
    {
      if (!is_base64_char (text.ptr[i]))
        return NULL;
    }

  out = g_malloc (text.len / 4 * 3 + 3);
  *out_len = g_base64_decode_step (text.ptr, text.len, out, &state, &save);

  return out;
}

/* Reads "<name>=<value>" at *@cursor; the value runs to the next ',' or the
 * end. On success *@cursor points just after the value (at ',' or NUL). */
static gboolean
read_attribute (const char **cursor, char name, Span *value)
{
  const char *p = *cursor;

  if (p[0] != name || p[1] != '=')
    return FALSE;

  value->ptr = p + 2;
  value->len = strcspn (value->ptr, ",");
  *cursor = value->ptr + value->len;

  return TRUE;
}

/* Like read_attribute(), for an attribute that must be followed by another. */
static gboolean
read_attribute_then_comma (const char **cursor, char name, Span *value)
{
  if (!read_attribute (cursor, name, value) || **cursor != ',')
    return FALSE;

  (*cursor)++;

  return TRUE;
}

static gboolean
hmac_sha256 (const guint8 *key, const void *data, gsize len, guint8 out[SCRAM_KEY_LEN])
{
  return gnutls_hmac_fast (GNUTLS_MAC_SHA256, key, SCRAM_KEY_LEN, data, len, out) >= 0;
}

/* "a=b,c" → "a=3Db=2Cc" (RFC 5802 saslname). */
static char *
escape_username (const char *username)
{
  GString *out = g_string_new (NULL);

  for (const char *p = username; *p != '\0'; p++)
    {
      if (*p == '=')
        g_string_append (out, "=3D");
      else if (*p == ',')
        g_string_append (out, "=2C");
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static const char *
gs2_header_for (FraiseScramBinding binding)
{
  switch (binding)
    {
    case FRAISE_SCRAM_CB_NOT_OFFERED:
      return "y,,";
    case FRAISE_SCRAM_CB_BOUND:
      return "p=" SCRAM_CB_NAME ",,";
    case FRAISE_SCRAM_CB_NONE:
    default:
      return "n,,";
    }
}

/* Marks the exchange failed and sets an authentication error. Returns FALSE. */
static gboolean
scram_fail (FraiseScram *scram, GError **error, const char *message)
{
  scram->state = SCRAM_STATE_FAILED;
  g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION, message);

  return FALSE;
}

static gboolean
check_state (FraiseScram *scram, ScramState expected, GError **error)
{
  if (scram->state == expected)
    return TRUE;

  return scram_fail (scram, error,
                     _("SCRAM exchange out of order: unexpected call for the current step"));
}

/* Copies @len bytes of @message to a NUL-terminated string; refuses embedded NULs. */
static char *
copy_message (FraiseScram *scram, const char *message, gsize len, GError **error)
{
  if (message == NULL || len == 0)
    {
      scram_fail (scram, error, _("malformed SCRAM message (empty message)"));
      return NULL;
    }

  if (memchr (message, '\0', len) != NULL)
    {
      scram_fail (scram, error, _("malformed SCRAM message (embedded NUL byte)"));
      return NULL;
    }

  return g_strndup (message, len);
}

/* ---- construction ---------------------------------------------------- */

static char *
generate_client_nonce (void)
{
  guint8 raw[FRAISE_SCRAM_NONCE_BYTES];
  char *nonce;

  if (gnutls_rnd (GNUTLS_RND_NONCE, raw, sizeof raw) < 0)
    return NULL;

  nonce = g_base64_encode (raw, sizeof raw);
  fraise_secure_wipe (raw, sizeof raw);

  return nonce;
}

static char *
prepare_password (const char *password)
{
  char *prepared = fraise_saslprep (password);

  /* Invalid UTF-8 or prohibited characters: use the raw bytes, as libpq does. */
  if (prepared == NULL)
    prepared = g_strdup (password);

  return prepared;
}

static FraiseScram *
scram_new_internal (const char *password,
                    FraiseScramBinding binding,
                    const guint8 *cb_data,
                    gsize cb_len,
                    guint max_iterations,
                    char *client_nonce,
                    const char *username)
{
  FraiseScram *scram = g_new0 (FraiseScram, 1);
  g_autofree char *escaped_user = escape_username (username);
  gsize header_len;

  scram->state = SCRAM_STATE_INIT;
  scram->max_iterations = max_iterations > 0 ? max_iterations : FRAISE_SCRAM_DEFAULT_MAX_ITERATIONS;
  scram->binding = binding;
  scram->password = prepare_password (password);
  if (binding == FRAISE_SCRAM_CB_BOUND)
    scram->cb_data = g_bytes_new (cb_data, cb_len);
  scram->client_nonce = client_nonce;
  scram->gs2_header = g_strdup (gs2_header_for (binding));
  scram->client_first =
    g_strdup_printf ("%sn=%s,r=%s", scram->gs2_header, escaped_user, client_nonce);
  header_len = strlen (scram->gs2_header);
  scram->client_first_bare = scram->client_first + header_len;

  return scram;
}

static gboolean
binding_args_valid (FraiseScramBinding binding, const guint8 *cb_data, gsize cb_len)
{
  if (binding == FRAISE_SCRAM_CB_BOUND)
    return cb_data != NULL && cb_len > 0;

  return binding == FRAISE_SCRAM_CB_NONE || binding == FRAISE_SCRAM_CB_NOT_OFFERED;
}

FraiseScram *
fraise_scram_new (const char *password,
                  FraiseScramBinding binding,
                  const guint8 *cb_data,
                  gsize cb_len,
                  guint max_iterations)
{
  char *nonce;

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (binding_args_valid (binding, cb_data, cb_len), NULL);

  nonce = generate_client_nonce ();
  if (nonce == NULL)
    return NULL;

  return scram_new_internal (password, binding, cb_data, cb_len, max_iterations, nonce, "");
}

FraiseScram *
fraise_scram_new_with_nonce (const char *password,
                             FraiseScramBinding binding,
                             const guint8 *cb_data,
                             gsize cb_len,
                             guint max_iterations,
                             const char *client_nonce)
{
  return fraise_scram_new_for_test (password, binding, cb_data, cb_len, max_iterations,
                                    client_nonce, "");
}

FraiseScram *
fraise_scram_new_for_test (const char *password,
                           FraiseScramBinding binding,
                           const guint8 *cb_data,
                           gsize cb_len,
                           guint max_iterations,
                           const char *client_nonce,
                           const char *username)
{
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (binding_args_valid (binding, cb_data, cb_len), NULL);
  g_return_val_if_fail (client_nonce != NULL, NULL);
  g_return_val_if_fail (is_printable_nonce (client_nonce, strlen (client_nonce)), NULL);

  return scram_new_internal (password, binding, cb_data, cb_len, max_iterations,
                             g_strdup (client_nonce), username != NULL ? username : "");
}

void
fraise_scram_free (FraiseScram *scram)
{
  if (scram == NULL)
    return;

  fraise_secure_free_string (scram->password);
  fraise_secure_free_string (scram->client_final);
  fraise_secure_wipe (scram->server_signature, sizeof scram->server_signature);
  g_clear_pointer (&scram->cb_data, g_bytes_unref);
  g_free (scram->client_nonce);
  g_free (scram->gs2_header);
  g_free (scram->client_first);
  g_free (scram);
}

const char *
fraise_scram_get_client_first (FraiseScram *scram, gsize *len)
{
  g_return_val_if_fail (scram != NULL, NULL);

  if (scram->state != SCRAM_STATE_INIT && scram->state != SCRAM_STATE_FIRST_SENT)
    {
      if (len != NULL)
        *len = 0;
      return NULL;
    }

  scram->state = SCRAM_STATE_FIRST_SENT;
  if (len != NULL)
    *len = strlen (scram->client_first);

  return scram->client_first;
}

gboolean
fraise_scram_is_complete (const FraiseScram *scram)
{
  g_return_val_if_fail (scram != NULL, FALSE);

  return scram->state == SCRAM_STATE_COMPLETE;
}

/* ---- server-first-message --------------------------------------------- */

typedef struct {
  Span nonce;
  guint8 *salt;
  gsize salt_len;
  guint iterations;
} ServerFirst;

static gboolean
check_server_nonce (FraiseScram *scram, Span nonce, GError **error)
{
  gsize ours = strlen (scram->client_nonce);

  if (!is_printable_nonce (nonce.ptr, nonce.len))
    return scram_fail (scram, error, _("malformed SCRAM message (invalid nonce)"));

  /* Lengths are public; the content is compared in constant time. */
  if (nonce.len <= ours ||
      !constant_time_equal ((const guint8 *) nonce.ptr, (const guint8 *) scram->client_nonce, ours))
    return scram_fail (scram, error, _("invalid SCRAM response (nonce mismatch)"));

  return TRUE;
}

static gboolean
fail_iterations_above_cap (FraiseScram *scram, Span digits, GError **error)
{
  gboolean truncated = digits.len > SCRAM_SHOWN_DIGITS;

  scram->state = SCRAM_STATE_FAILED;
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION,
               _("SCRAM iteration count %.*s%s from server exceeds the limit of %u"),
                  (int) MIN (digits.len, SCRAM_SHOWN_DIGITS), digits.ptr, truncated ? "…" : "",
                  scram->max_iterations);

  return FALSE;
}

/* A decimal integer >= 1 and <= the cap; checked before any computation. */
static gboolean
parse_iterations (FraiseScram *scram, Span digits, guint *out, GError **error)
{
  guint64 value = 0;
  gboolean above_cap = FALSE;

  for (gsize i = 0; i < digits.len; i++)
    {
      if (!g_ascii_isdigit (digits.ptr[i]))
        return scram_fail (scram, error, _("malformed SCRAM message (invalid iteration count)"));
      if (!above_cap)
        value = value * 10 + (guint64) (digits.ptr[i] - '0');
      above_cap |= value > scram->max_iterations;
    }

  if (digits.len == 0 || value == 0)
    return scram_fail (scram, error, _("malformed SCRAM message (invalid iteration count)"));

  if (above_cap)
    return fail_iterations_above_cap (scram, digits, error);

  *out = (guint) value;

  return TRUE;
}

static gboolean
parse_server_first (FraiseScram *scram, const char *message, ServerFirst *parsed, GError **error)
{
  const char *cursor = message;
  Span salt, iterations;

  if (g_str_has_prefix (message, "m="))
    return scram_fail (scram, error,
                       _("malformed SCRAM message (unsupported mandatory extension)"));
  if (!read_attribute_then_comma (&cursor, 'r', &parsed->nonce) ||
      !read_attribute_then_comma (&cursor, 's', &salt) ||
      !read_attribute (&cursor, 'i', &iterations))
    return scram_fail (scram, error,
                       _("malformed SCRAM message (expected r=, s= and i= attributes)"));
  if (*cursor != '\0')
    return scram_fail (scram, error,
                       _("malformed SCRAM message (garbage at end of server-first-message)"));

  if (!check_server_nonce (scram, parsed->nonce, error))
    return FALSE;

  parsed->salt = decode_base64_strict (salt, &parsed->salt_len);
  if (parsed->salt == NULL || parsed->salt_len == 0)
    return scram_fail (scram, error, _("malformed SCRAM message (invalid salt)"));

  return parse_iterations (scram, iterations, &parsed->iterations, error);
}

/* "c=" value: base64 (gs2-header [+ channel binding data]). */
static char *
encode_channel_binding (FraiseScram *scram)
{
  GByteArray *input = g_byte_array_new ();
  char *encoded;

  g_byte_array_append (input, (const guint8 *) scram->gs2_header, strlen (scram->gs2_header));
  if (scram->cb_data != NULL)
    {
      gsize cb_len;
      const guint8 *cb = g_bytes_get_data (scram->cb_data, &cb_len);

      g_byte_array_append (input, cb, cb_len);
    }

  encoded = g_base64_encode (input->data, input->len);
  g_byte_array_unref (input);

  return encoded;
}

/* SaltedPassword = Hi (password, salt, i), run once; then the password is wiped. */
static gboolean
derive_salted_password (FraiseScram *scram, const ServerFirst *parsed, guint8 out[SCRAM_KEY_LEN])
{
  gnutls_datum_t key, salt;
  int rc;

  key.data = (unsigned char *) scram->password;
  key.size = strlen (scram->password);
  salt.data = parsed->salt;
  salt.size = parsed->salt_len;

  rc = gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &key, &salt, parsed->iterations, out, SCRAM_KEY_LEN);
  g_clear_pointer (&scram->password, fraise_secure_free_string);

  return rc >= 0;
}

/* Fills the keys, the client proof and the expected server signature. */
static gboolean
compute_keys (FraiseScram *scram,
              const ServerFirst *parsed,
              const char *auth_message,
              ScramKeys *keys)
{
  gsize auth_len = strlen (auth_message);

  if (!derive_salted_password (scram, parsed, keys->salted_password) ||
      !hmac_sha256 (keys->salted_password, "Client Key", 10, keys->client_key) ||
      gnutls_hash_fast (GNUTLS_DIG_SHA256, keys->client_key, SCRAM_KEY_LEN, keys->stored_key) < 0 ||
      !hmac_sha256 (keys->stored_key, auth_message, auth_len, keys->client_signature) ||
      !hmac_sha256 (keys->salted_password, "Server Key", 10, keys->server_key) ||
      !hmac_sha256 (keys->server_key, auth_message, auth_len, scram->server_signature))
    return FALSE;

  for (gsize i = 0; i < SCRAM_KEY_LEN; i++)
    keys->client_proof[i] = keys->client_key[i] ^ keys->client_signature[i];

  return TRUE;
}

static gboolean
build_client_final (FraiseScram *scram,
                    const char *server_first,
                    const ServerFirst *parsed,
                    GError **error)
{
  g_autofree char *binding = encode_channel_binding (scram);
  g_autofree char *without_proof = NULL;
  g_autofree char *auth_message = NULL;
  ScramKeys keys;
  char *proof;
  gboolean ok;

  without_proof =
    g_strdup_printf ("c=%s,r=%.*s", binding, (int) parsed->nonce.len, parsed->nonce.ptr);
  auth_message =
    g_strconcat (scram->client_first_bare, ",", server_first, ",", without_proof, NULL);

  ok = compute_keys (scram, parsed, auth_message, &keys);
  if (ok)
    {
      proof = g_base64_encode (keys.client_proof, SCRAM_KEY_LEN);
      scram->client_final = g_strconcat (without_proof, ",p=", proof, NULL);
      fraise_secure_free_string (proof);
    }
  fraise_secure_wipe (&keys, sizeof keys);

  if (!ok)
    scram_fail (scram, error, _("SCRAM key derivation failed"));

  return ok;
}

const char *
fraise_scram_handle_server_first (
  FraiseScram *scram, const char *message, gsize len, gsize *out_len, GError **error)
{
  g_autofree char *server_first = NULL;
  ServerFirst parsed = { { NULL, 0 }, NULL, 0, 0 };
  gboolean ok;

  g_return_val_if_fail (scram != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_state (scram, SCRAM_STATE_FIRST_SENT, error))
    return NULL;

  server_first = copy_message (scram, message, len, error);
  if (server_first == NULL)
    return NULL;

  ok = parse_server_first (scram, server_first, &parsed, error) &&
       build_client_final (scram, server_first, &parsed, error);
  g_free (parsed.salt);

  if (!ok)
    return NULL;

  scram->state = SCRAM_STATE_FINAL_SENT;
  if (out_len != NULL)
    *out_len = strlen (scram->client_final);

  return scram->client_final;
}

/* ---- server-final-message --------------------------------------------- */

/* Keeps printable ASCII of the server's error value, bounded in length. */
static char *
sanitize_server_error (Span value)
{
  gsize shown = MIN (value.len, SCRAM_SHOWN_ERROR_CHARS);
  char *out = g_strndup (value.ptr, shown);

  for (gsize i = 0; i < shown; i++)
    {
      guchar c = (guchar) out[i];

      if (c < 0x20 || c > 0x7e)
        out[i] = '?';
    }

  return out;
}

static gboolean
fail_server_error (FraiseScram *scram, Span value, GError **error)
{
  g_autofree char *shown = sanitize_server_error (value);

  scram->state = SCRAM_STATE_FAILED;
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION,
               _("SCRAM authentication failed: server reported error “%s”"), shown);

  return FALSE;
}

static gboolean
check_server_signature (FraiseScram *scram, Span encoded, GError **error)
{
  g_autofree guint8 *signature = NULL;
  gsize signature_len = 0;

  signature = decode_base64_strict (encoded, &signature_len);
  if (signature == NULL || signature_len != SCRAM_KEY_LEN)
    return scram_fail (scram, error, _("malformed SCRAM message (invalid server signature)"));

  if (!constant_time_equal (signature, scram->server_signature, SCRAM_KEY_LEN))
    return scram_fail (scram, error, _("invalid SCRAM response (incorrect server signature)"));

  return TRUE;
}

gboolean
fraise_scram_verify_server_final (FraiseScram *scram,
                                  const char *message,
                                  gsize len,
                                  GError **error)
{
  g_autofree char *server_final = NULL;
  const char *cursor;
  Span value;

  g_return_val_if_fail (scram != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_state (scram, SCRAM_STATE_FINAL_SENT, error))
    return FALSE;

  server_final = copy_message (scram, message, len, error);
  if (server_final == NULL)
    return FALSE;

  cursor = server_final;
  if (read_attribute (&cursor, 'e', &value))
    return fail_server_error (scram, value, error);

  if (!read_attribute (&cursor, 'v', &value))
    return scram_fail (scram, error, _("malformed SCRAM message (expected v= attribute)"));
  if (*cursor != '\0')
    return scram_fail (scram, error,
                       _("malformed SCRAM message (garbage at end of server-final-message)"));

  if (!check_server_signature (scram, value, error))
    return FALSE;

  scram->state = SCRAM_STATE_COMPLETE;
  fraise_secure_wipe (scram->server_signature, sizeof scram->server_signature);

  return TRUE;
}
