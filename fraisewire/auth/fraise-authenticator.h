/* fraise-authenticator.h: the client side of PostgreSQL authentication (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * No I/O: authentication messages ('R') go in, the client's answers
 * (PasswordMessage, SASLInitialResponse, SASLResponse) come out as bytes
 * appended to a buffer the caller sends. The caller fetches the password
 * and the channel-binding data beforehand; the authenticator owns every rule
 * about which request is allowed when, require_auth and channel_binding, so
 * a refused request never produces a single password byte.
 */

#pragma once

#include <glib.h>
#include "fraise-auth.h"
#include "fraise-proto.h"

G_BEGIN_DECLS

typedef enum {
  FRAISE_CHANNEL_BINDING_DISABLE,
  FRAISE_CHANNEL_BINDING_PREFER,
  FRAISE_CHANNEL_BINDING_REQUIRE,
} FraiseChannelBinding;

/* Bits for require_auth. */
typedef enum {
  FRAISE_AUTH_NONE = 1 << 0,     /* "none": trust, no request at all */
  FRAISE_AUTH_PASSWORD = 1 << 1, /* cleartext */
  FRAISE_AUTH_MD5 = 1 << 2,
  FRAISE_AUTH_SCRAM = 1 << 3, /* scram-sha-256 */
  FRAISE_AUTH_GSS = 1 << 4,
  FRAISE_AUTH_SSPI = 1 << 5,
  FRAISE_AUTH_ALL = 0x3f,
} FraiseAuthMask;

/* Everything the authenticator needs to know; the strings and the data are
 * copied by fraise_authenticator_new(). */
typedef struct {
  const char *user;
  const char *password; /* NULL: none supplied */
  guint require_auth;   /* FraiseAuthMask of the allowed methods */
  FraiseChannelBinding channel_binding;
  gboolean is_tls; /* the transport is encrypted */
  /* tls-server-end-point data of the server certificate, or NULL when it is
   * not available (then @cb_unavailable says why, for messages). */
  const guint8 *cb_data;
  gsize cb_len;
  const char *cb_unavailable;
  guint max_iterations;         /* SCRAM iteration cap; 0: the default */
  const char *peer_description; /* "host:port" for messages */
  const char *client_nonce;     /* test vectors only: NULL for a random nonce */
} FraiseAuthSettings;

typedef enum {
  FRAISE_AUTH_STEP_CONTINUE, /* send what was appended (possibly nothing), wait for the next 'R' */
  FRAISE_AUTH_STEP_DONE,     /* AuthenticationOk accepted */
  FRAISE_AUTH_STEP_FAILED,   /* @error is set; nothing was appended */
} FraiseAuthStep;

typedef struct _FraiseAuthenticator FraiseAuthenticator;

FraiseAuthenticator *fraise_authenticator_new (const FraiseAuthSettings *settings);
void fraise_authenticator_free (FraiseAuthenticator *self);

/* Handles one Authentication ('R') message. The answer, if any, is appended
 * to @out; it may hold password material, so the caller wipes @out once sent.
 * Errors: FRAISE_ERROR_PROTOCOL for a malformed message or a request after
 * AuthenticationOk, FRAISE_ERROR_AUTHENTICATION for everything refused. After
 * a failure every later call fails. */
FraiseAuthStep fraise_authenticator_handle (FraiseAuthenticator *self,
                                            const FraiseProtoFrame *frame,
                                            GByteArray *out,
                                            GError **error);

/* "trust", "cleartext", "md5", "scram-sha-256" or "scram-sha-256-plus". */
const char *fraise_authenticator_get_method (const FraiseAuthenticator *self);
gboolean fraise_authenticator_is_channel_bound (const FraiseAuthenticator *self);
/* Whether the server sent an authentication request (AuthenticationOk aside). */
gboolean fraise_authenticator_was_requested (const FraiseAuthenticator *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseAuthenticator, fraise_authenticator_free)

G_END_DECLS
