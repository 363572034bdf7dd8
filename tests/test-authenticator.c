/* test-authenticator.c: the authentication state machine, bytes in, bytes out
 *
 * Every rule of fraise-authenticator.c is exercised with Authentication ('R')
 * messages built as bytes; the client messages it produces are compared
 * byte for byte, refusals by error code and message (and by the absence of
 * any output: no password byte may leave for a refused request). The MD5
 * vector was computed with Python's hashlib; the SCRAM server side is played
 * with the independent helper of fraise-test-utils.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "fraise-fake-server.h"
#include "fraise-authenticator.h"

#define NONCE "rOprNGfwEbeRWgbNEkqO"
#define SALT "W22ZaJ0SNY7soEsUEjb6gQ=="

static const guint8 cb_data[] = { 0x01, 0x02, 0x03, 0x04, 0xfe, 0xff };

/* Settings of a plain connection with password "secret" and nothing required. */
static FraiseAuthSettings
default_settings (void)
{
  FraiseAuthSettings settings = {
    .user = "u",
    .password = "secret",
    .require_auth = FRAISE_AUTH_ALL,
    .channel_binding = FRAISE_CHANNEL_BINDING_PREFER,
    .peer_description = "db.example:5432",
  };

  return settings;
}

/* A TLS connection whose tls-server-end-point data is cb_data. */
static FraiseAuthSettings
tls_settings (void)
{
  FraiseAuthSettings settings = default_settings ();

  settings.is_tls = TRUE;
  settings.cb_data = cb_data;
  settings.cb_len = sizeof cb_data;
  return settings;
}

/* Feeds one 'R' message with @code and @data to @auth. */
static FraiseAuthStep
feed (FraiseAuthenticator *auth,
      guint32 code,
      const char *data,
      gsize len,
      GByteArray *out,
      GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  FraiseProtoFrame frame;

  msg_auth (bytes, code, data, len);
  g_assert_cmpuint (bytes->data[0], ==, 'R');
  frame.type = 'R';
  frame.body = bytes->data + 5;
  frame.len = bytes->len - 5;
  return fraise_authenticator_handle (auth, &frame, out, error);
}

static FraiseAuthStep
feed_str (
  FraiseAuthenticator *auth, guint32 code, const char *text, GByteArray *out, GError **error)
{
  return feed (auth, code, text, text != NULL ? strlen (text) : 0, out, error);
}

/* An AuthenticationSASL payload: the names, each NUL-terminated, then an empty one. */
static void
feed_sasl (FraiseAuthenticator *auth,
           const char *mechanisms, /* comma-separated */
           GByteArray *out,
           GError **error,
           FraiseAuthStep expected)
{
  g_auto(GStrv) names = g_strsplit (mechanisms, ",", -1);
  g_autoptr(GByteArray) payload = g_byte_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    put_str (payload, names[i]);
  g_byte_array_append (payload, (const guint8 *) "", 1);
  g_assert_cmpint (feed (auth, 10, (const char *) payload->data, payload->len, out, error), ==,
                   expected);
}

static void
assert_bytes (GByteArray *out, const char *expected, gsize len)
{
  g_assert_cmpmem (out->data, out->len, expected, len);
}

/* Runs @settings against one request and expects @fragment in an
 * AUTHENTICATION error with nothing written. */
static void
assert_refused (const FraiseAuthSettings *settings,
                guint32 code,
                const char *data,
                gsize len,
                const char *fragment)
{
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed (auth, code, data, len, out, &error), ==, FRAISE_AUTH_STEP_FAILED);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_null (strstr (error->message, "secret"));
  g_assert_cmpuint (out->len, ==, 0);
}

/* ---- trust, cleartext, MD5 ------------------------------------------------------ */

static void
test_trust (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  settings.require_auth = FRAISE_AUTH_NONE; /* require_auth=none */
  auth = fraise_authenticator_new (&settings);
  g_assert_cmpint (feed (auth, 0, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_DONE);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 0);
  g_assert_cmpstr (fraise_authenticator_get_method (auth), ==, "trust");
  g_assert_false (fraise_authenticator_is_channel_bound (auth));
  g_assert_false (fraise_authenticator_was_requested (auth));
}

static void
test_cleartext (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed (auth, 3, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_CONTINUE);
  g_assert_no_error (error);
  assert_bytes (out, "p\0\0\0\x0bsecret\0", 12);
  g_assert_cmpstr (fraise_authenticator_get_method (auth), ==, "cleartext");
  g_byte_array_set_size (out, 0);
  g_assert_cmpint (feed (auth, 0, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_DONE);
  g_assert_cmpuint (out->len, ==, 0);
}

static void
test_md5 (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  /* "md5" + md5(hex(md5("secret" "u")) + 01 02 03 ff), from hashlib */
  g_assert_cmpint (feed (auth, 5, "\x01\x02\x03\xff", 4, out, &error), ==,
                   FRAISE_AUTH_STEP_CONTINUE);
  g_assert_no_error (error);
  assert_bytes (out, "p\0\0\0\x28md5049d2be194dde2dce6ed9a9f2ec82229\0", 41);
  g_assert_cmpstr (fraise_authenticator_get_method (auth), ==, "md5");
  g_byte_array_set_size (out, 0);
  g_assert_cmpint (feed (auth, 0, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_DONE);
}

static void
test_md5_malformed (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed (auth, 5, "abc", 3, out, &error), ==, FRAISE_AUTH_STEP_FAILED);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL);
  g_assert_cmpuint (out->len, ==, 0);
}

static void
test_no_password (void)
{
  FraiseAuthSettings settings = default_settings ();

  settings.password = NULL;
  assert_refused (&settings, 3, NULL, 0, "no password was supplied");
  assert_refused (&settings, 5, "salt", 4, "no password was supplied");
  assert_refused (&settings, 10, "SCRAM-SHA-256\0", 15, "no password was supplied");
}

/* ---- require_auth ----------------------------------------------------------------- */

static void
test_require_auth (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  settings.require_auth = FRAISE_AUTH_SCRAM;
  assert_refused (&settings, 3, NULL, 0, "which require_auth does not allow");
  assert_refused (&settings, 5, "salt", 4, "which require_auth does not allow");
  /* Trust is not allowed either when "none" is not in the list. */
  assert_refused (&settings, 0, NULL, 0, "did not complete authentication, but require_auth");

  settings.require_auth = FRAISE_AUTH_NONE;
  assert_refused (&settings, 3, NULL, 0, "which require_auth does not allow");
  assert_refused (&settings, 10, "SCRAM-SHA-256\0", 15, "which require_auth does not allow");

  settings.require_auth = FRAISE_AUTH_MD5;
  auth = fraise_authenticator_new (&settings);
  g_assert_cmpint (feed (auth, 5, "salt", 4, out, &error), ==, FRAISE_AUTH_STEP_CONTINUE);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 41);
}

/* ---- channel_binding=require ----------------------------------------------------- */

static void
test_channel_binding_require (void)
{
  FraiseAuthSettings settings = tls_settings ();

  settings.channel_binding = FRAISE_CHANNEL_BINDING_REQUIRE;
  assert_refused (&settings, 3, NULL, 0,
                  "channel binding required, but server db.example:5432 "
                  "requested password authentication");
  assert_refused (&settings, 5, "salt", 4, "requested md5 authentication");
  assert_refused (&settings, 0, NULL, 0, "without channel binding");
  /* SCRAM, but not the bound variant. */
  assert_refused (&settings, 10, "SCRAM-SHA-256\0", 15, "did not offer SCRAM-SHA-256-PLUS");

  /* No channel-binding data for this certificate. */
  settings.cb_data = NULL;
  settings.cb_len = 0;
  settings.cb_unavailable = "unsupported signature algorithm";
  assert_refused (&settings, 10, "SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0", 34,
                  "no tls-server-end-point data is available for the server certificate of "
                  "db.example:5432: unsupported signature algorithm");

  /* Not encrypted at all. */
  settings = default_settings ();
  settings.channel_binding = FRAISE_CHANNEL_BINDING_REQUIRE;
  assert_refused (&settings, 10, "SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0", 34,
                  "(the connection is not encrypted)");
}

/* ---- request order ----------------------------------------------------------------- */

static void
test_second_request (void)
{
  FraiseAuthSettings settings = default_settings ();
  guint32 second[] = { 3, 5, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (second); i++)
    {
      g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (feed (auth, 3, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_CONTINUE);
      g_byte_array_set_size (out, 0);
      if (second[i] == 10)
        feed_sasl (auth, "SCRAM-SHA-256", out, &error, FRAISE_AUTH_STEP_FAILED);
      else
        g_assert_cmpint (feed (auth, second[i], second[i] == 5 ? "salt" : NULL,
                               second[i] == 5 ? 4 : 0, out, &error),
                         ==, FRAISE_AUTH_STEP_FAILED);
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
      g_assert_nonnull (strstr (error->message, "sent a second authentication request"));
      g_assert_cmpuint (out->len, ==, 0);
    }
}

static void
test_sasl_out_of_order (void)
{
  FraiseAuthSettings settings = default_settings ();

  assert_refused (&settings, 11, "r=abc,s=" SALT ",i=4096", 39, "SASL data without a SASL request");
  assert_refused (&settings, 12, "v=AAAA", 6, "SASL outcome without a SASL request");
}

static void
test_sasl_duplicate (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  feed_sasl (auth, "SCRAM-SHA-256", out, &error, FRAISE_AUTH_STEP_CONTINUE);
  g_byte_array_set_size (out, 0);
  feed_sasl (auth, "SCRAM-SHA-256", out, &error, FRAISE_AUTH_STEP_FAILED);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, "duplicate SASL authentication request"));
  g_assert_cmpuint (out->len, ==, 0);
}

static void
test_ok_before_proof (void)
{
  FraiseAuthSettings settings = default_settings ();

  settings.client_nonce = NONCE;
  for (guint step = 0; step < 2; step++)
    {
      g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GError) error = NULL;

      feed_sasl (auth, "SCRAM-SHA-256", out, &error, FRAISE_AUTH_STEP_CONTINUE);
      if (step == 1)
        g_assert_cmpint (feed_str (auth, 11, "r=" NONCE "srv,s=" SALT ",i=4096", out, &error), ==,
                         FRAISE_AUTH_STEP_CONTINUE);
      g_byte_array_set_size (out, 0);
      g_assert_cmpint (feed (auth, 0, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_FAILED);
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
      g_assert_nonnull (strstr (error->message, "SCRAM exchange not completed"));
    }
}

static void
test_request_after_ok (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed (auth, 0, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_DONE);
  g_assert_cmpint (feed (auth, 3, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_FAILED);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "after authentication completed"));
  g_assert_cmpuint (out->len, ==, 0);
}

/* ---- SASLInitialResponse ------------------------------------------------------------ */

/* 'p', length, mechanism NUL, int32 length, client-first-message. */
static void
assert_initial_response (GByteArray *out, const char *mechanism, const char *client_first)
{
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  guint m = msg_begin (expected, 'p');

  put_str (expected, mechanism);
  put_u32 (expected, strlen (client_first));
  g_byte_array_append (expected, (const guint8 *) client_first, strlen (client_first));
  msg_end (expected, m);
  g_assert_cmpmem (out->data, out->len, expected->data, expected->len);
}

typedef struct {
  gboolean tls;
  FraiseChannelBinding binding;
  const char *offered;
  const char *mechanism;
  const char *client_first;
  gboolean bound;
} InitialCase;

static const InitialCase initial_cases[] = {
  /* not encrypted: the client cannot bind */
  { FALSE, FRAISE_CHANNEL_BINDING_PREFER, "SCRAM-SHA-256-PLUS,SCRAM-SHA-256", "SCRAM-SHA-256",
    "n,,n=,r=" NONCE, FALSE },
  /* could bind, but the server offers no -PLUS */
  { TRUE, FRAISE_CHANNEL_BINDING_PREFER, "SCRAM-SHA-256", "SCRAM-SHA-256", "y,,n=,r=" NONCE,
    FALSE },
  { TRUE, FRAISE_CHANNEL_BINDING_PREFER, "SCRAM-SHA-256-PLUS,SCRAM-SHA-256", "SCRAM-SHA-256-PLUS",
    "p=tls-server-end-point,,n=,r=" NONCE, TRUE },
  { TRUE, FRAISE_CHANNEL_BINDING_REQUIRE, "SCRAM-SHA-256,SCRAM-SHA-256-PLUS", "SCRAM-SHA-256-PLUS",
    "p=tls-server-end-point,,n=,r=" NONCE, TRUE },
  { TRUE, FRAISE_CHANNEL_BINDING_DISABLE, "SCRAM-SHA-256-PLUS,SCRAM-SHA-256", "SCRAM-SHA-256",
    "n,,n=,r=" NONCE, FALSE },
};

static void
test_initial_response (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (initial_cases); i++)
    {
      const InitialCase *c = &initial_cases[i];
      FraiseAuthSettings settings = c->tls ? tls_settings () : default_settings ();
      g_autoptr(FraiseAuthenticator) auth = NULL;
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, c->client_first);
      settings.channel_binding = c->binding;
      settings.client_nonce = NONCE;
      auth = fraise_authenticator_new (&settings);
      feed_sasl (auth, c->offered, out, &error, FRAISE_AUTH_STEP_CONTINUE);
      g_assert_no_error (error);
      assert_initial_response (out, c->mechanism, c->client_first);
      g_assert_cmpint (fraise_authenticator_is_channel_bound (auth), ==, c->bound);
      g_assert_cmpstr (fraise_authenticator_get_method (auth), ==,
                       c->bound ? "scram-sha-256-plus" : "scram-sha-256");
    }
}

static void
test_no_supported_mechanism (void)
{
  FraiseAuthSettings settings = default_settings ();

  assert_refused (&settings, 10, "SCRAM-SHA-1\0", 13,
                  "none of the server's SASL authentication mechanisms are supported");
}

/* ---- a complete exchange, the test playing the server --------------------------------- */

static void
run_exchange (gboolean bound)
{
  FraiseAuthSettings settings = bound ? tls_settings () : default_settings ();
  g_autoptr(FraiseAuthenticator) auth = fraise_authenticator_new (&settings);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) cbind = g_byte_array_new ();
  const char *gs2 = bound ? "p=tls-server-end-point,," : "n,,";
  g_autofree char *client_first = NULL, *nonce = NULL, *server_first = NULL;
  g_autofree char *cbind_b64 = NULL, *without_proof = NULL, *auth_message = NULL;
  g_autofree char *proof = NULL, *signature = NULL, *expected_final = NULL;
  g_autofree char *server_final = NULL;
  gsize skip;

  feed_sasl (auth, bound ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256", out, &error,
             FRAISE_AUTH_STEP_CONTINUE);
  g_assert_no_error (error);
  /* 'p' len, mechanism NUL, int32, client-first-message */
  skip = 5 + strlen ((const char *) out->data + 5) + 1 + 4;
  g_assert_cmpuint (get_u32 (out->data + skip - 4), ==, out->len - skip);
  client_first = g_strndup ((const char *) out->data + skip, out->len - skip);
  g_assert_true (g_str_has_prefix (client_first, gs2));
  g_assert_true (g_str_has_prefix (client_first + strlen (gs2), "n=,r="));
  nonce = g_strdup (client_first + strlen (gs2) + strlen ("n=,r="));
  g_assert_cmpuint (strlen (nonce), >=, 24); /* 18 random bytes, base64 */

  server_first = g_strdup_printf ("r=%ssrv,s=%s,i=4096", nonce, SALT);
  g_byte_array_set_size (out, 0);
  g_assert_cmpint (feed_str (auth, 11, server_first, out, &error), ==, FRAISE_AUTH_STEP_CONTINUE);
  g_assert_no_error (error);

  /* c= is the GS2 header, followed by the channel-binding data when bound. */
  g_byte_array_append (cbind, (const guint8 *) gs2, strlen (gs2));
  if (bound)
    g_byte_array_append (cbind, cb_data, sizeof cb_data);
  cbind_b64 = g_base64_encode (cbind->data, cbind->len);
  without_proof = g_strdup_printf ("c=%s,r=%ssrv", cbind_b64, nonce);
  auth_message =
    g_strdup_printf ("%s,%s,%s", client_first + strlen (gs2), server_first, without_proof);
  proof = fraise_test_scram_signature ("secret", SALT, 4096, auth_message, FALSE);
  expected_final = g_strdup_printf ("%s,p=%s", without_proof, proof);
  g_assert_cmpuint (out->data[0], ==, 'p');
  g_assert_cmpuint (get_u32 (out->data + 1), ==, out->len - 1);
  g_assert_cmpmem (out->data + 5, out->len - 5, expected_final, strlen (expected_final));

  signature = fraise_test_scram_signature ("secret", SALT, 4096, auth_message, TRUE);
  server_final = g_strconcat ("v=", signature, NULL);
  g_byte_array_set_size (out, 0);
  g_assert_cmpint (feed_str (auth, 12, server_final, out, &error), ==, FRAISE_AUTH_STEP_CONTINUE);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 0);
  g_assert_cmpint (feed (auth, 0, NULL, 0, out, &error), ==, FRAISE_AUTH_STEP_DONE);
  g_assert_no_error (error);
  g_assert_cmpstr (fraise_authenticator_get_method (auth), ==,
                   bound ? "scram-sha-256-plus" : "scram-sha-256");
  g_assert_cmpint (fraise_authenticator_is_channel_bound (auth), ==, bound);
}

static void
test_scram_exchange (void)
{
  run_exchange (FALSE);
}

static void
test_scram_plus_exchange (void)
{
  run_exchange (TRUE);
}

static void
test_scram_wrong_signature (void)
{
  FraiseAuthSettings settings = default_settings ();
  g_autoptr(FraiseAuthenticator) auth = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  settings.client_nonce = NONCE;
  auth = fraise_authenticator_new (&settings);
  feed_sasl (auth, "SCRAM-SHA-256", out, &error, FRAISE_AUTH_STEP_CONTINUE);
  g_assert_cmpint (feed_str (auth, 11, "r=" NONCE "srv,s=" SALT ",i=4096", out, &error), ==,
                   FRAISE_AUTH_STEP_CONTINUE);
  g_byte_array_set_size (out, 0);
  g_assert_cmpint (
    feed_str (auth, 12, "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", out, &error), ==,
    FRAISE_AUTH_STEP_FAILED);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, "incorrect server signature"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/authenticator/trust", test_trust);
  g_test_add_func ("/authenticator/cleartext", test_cleartext);
  g_test_add_func ("/authenticator/md5", test_md5);
  g_test_add_func ("/authenticator/md5-malformed", test_md5_malformed);
  g_test_add_func ("/authenticator/no-password", test_no_password);
  g_test_add_func ("/authenticator/require-auth", test_require_auth);
  g_test_add_func ("/authenticator/channel-binding-require", test_channel_binding_require);
  g_test_add_func ("/authenticator/second-request", test_second_request);
  g_test_add_func ("/authenticator/sasl-out-of-order", test_sasl_out_of_order);
  g_test_add_func ("/authenticator/sasl-duplicate", test_sasl_duplicate);
  g_test_add_func ("/authenticator/ok-before-proof", test_ok_before_proof);
  g_test_add_func ("/authenticator/request-after-ok", test_request_after_ok);
  g_test_add_func ("/authenticator/initial-response", test_initial_response);
  g_test_add_func ("/authenticator/no-supported-mechanism", test_no_supported_mechanism);
  g_test_add_func ("/authenticator/scram-exchange", test_scram_exchange);
  g_test_add_func ("/authenticator/scram-plus-exchange", test_scram_plus_exchange);
  g_test_add_func ("/authenticator/scram-wrong-signature", test_scram_wrong_signature);

  return g_test_run ();
}
