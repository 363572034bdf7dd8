/* fraise-auth.h: SCRAM-SHA-256(-PLUS), SASLprep and MD5 password hashing (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure computation, no I/O. Crypto primitives come from GnuTLS (HMAC,
 * SHA-256, PBKDF2, random). Secrets are wiped when freed.
 */

#pragma once

#include <glib.h>
#include "fraise-private.h"

G_BEGIN_DECLS

#define FRAISE_SCRAM_DEFAULT_MAX_ITERATIONS 1000000
#define FRAISE_SCRAM_NONCE_BYTES 18

typedef enum {
  FRAISE_SCRAM_CB_NONE,        /* client cannot bind: GS2 flag "n" */
  FRAISE_SCRAM_CB_NOT_OFFERED, /* client could bind but server offered no -PLUS: flag "y" */
  FRAISE_SCRAM_CB_BOUND,       /* SCRAM-SHA-256-PLUS: "p=tls-server-end-point" */
} FraiseScramBinding;

typedef struct _FraiseScram FraiseScram;

/* @cb_data is the tls-server-end-point data when @binding is BOUND, else NULL. */
FraiseScram *fraise_scram_new (const char *password,
                               FraiseScramBinding binding,
                               const guint8 *cb_data,
                               gsize cb_len,
                               guint max_iterations);
/* For test vectors: use @client_nonce (printable, no ',') instead of a random one. */
FraiseScram *fraise_scram_new_with_nonce (const char *password,
                                          FraiseScramBinding binding,
                                          const guint8 *cb_data,
                                          gsize cb_len,
                                          guint max_iterations,
                                          const char *client_nonce);
void fraise_scram_free (FraiseScram *scram);

/* "n,,n=,r=<nonce>" (or y,, / p=tls-server-end-point,,). Returned string owned by @scram. */
const char *fraise_scram_get_client_first (FraiseScram *scram, gsize *len);

/* Handles server-first-message; returns the client-final-message (owned by
 * @scram) or NULL with FRAISE_ERROR_AUTHENTICATION: nonce not extending ours,
 * bad salt, iteration count < 1, non-numeric, or above the cap, trailing garbage,
 * an unexpected call order. */
const char *fraise_scram_handle_server_first (
  FraiseScram *scram, const char *message, gsize len, gsize *out_len, GError **error);

/* Verifies server-final-message "v=<signature>" in constant time; "e=<err>" is an error.
 * On success the exchange is complete (fraise_scram_is_complete()). */
gboolean fraise_scram_verify_server_final (FraiseScram *scram,
                                           const char *message,
                                           gsize len,
                                           GError **error);
gboolean fraise_scram_is_complete (const FraiseScram *scram);

/* SASLprep (RFC 4013). Returns NULL when the input is not valid UTF-8 or
 * contains prohibited output; callers then use the raw bytes, as libpq does. */
char *fraise_saslprep (const char *input);

/* "md5" + hex(md5(hex(md5(password + user)) + salt)): 35 characters. Caller wipes and frees. */
char *fraise_md5_password (const char *user, const char *password, const guint8 salt[4]);

/* Overwrites @len bytes of @p in a way the compiler does not remove. */
void fraise_secure_wipe (gpointer p, gsize len);
/* g_free() after wiping strlen(s) bytes. */
void fraise_secure_free_string (char *s);

/* Behaviour notes (implementation in fraise-scram.c):
 *  - max_iterations 0 means FRAISE_SCRAM_DEFAULT_MAX_ITERATIONS.
 *  - The password goes through fraise_saslprep(); when that returns NULL the
 *    raw bytes are used. The password copy is wiped right after PBKDF2.
 *  - @cb_data is ignored unless @binding is BOUND; BOUND with NULL/empty
 *    @cb_data is a programmer error (g_return_val_if_fail, returns NULL).
 *  - fraise_scram_new() returns NULL only if gnutls_rnd() fails.
 *  - fraise_scram_get_client_first() may be called again until the
 *    server-first-message is handled; after that it returns NULL (*len = 0).
 *  - Any error moves the exchange to a failed state: every later call fails.
 *  - fraise_md5_password() returns NULL only if GnuTLS refuses MD5 (FIPS). */

/* Test vectors only (RFC 7677 sends "n=user"): like
 * fraise_scram_new_with_nonce() but puts @username (escaped as an RFC 5802
 * saslname) in the client-first-message. Production code sends "n=" (empty),
 * as PostgreSQL clients do. */
FraiseScram *fraise_scram_new_for_test (const char *password,
                                        FraiseScramBinding binding,
                                        const guint8 *cb_data,
                                        gsize cb_len,
                                        guint max_iterations,
                                        const char *client_nonce,
                                        const char *username);

G_END_DECLS
