/* fraise-authenticator.c: the authentication request/response state machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-authenticator.h"

#include <string.h>

struct _FraiseAuthenticator {
  char *user;
  char *password; /* wiped as soon as it has been used */
  guint require_auth;
  FraiseChannelBinding channel_binding;
  gboolean is_tls;
  GByteArray *cb_data;
  char *cb_unavailable;
  guint max_iterations;
  char *peer;
  char *client_nonce;

  FraiseScram *scram;
  gboolean requested; /* a request other than AuthenticationOk was answered */
  gboolean done;      /* AuthenticationOk accepted */
  gboolean failed;
  const char *method;
  gboolean channel_bound;
};

FraiseAuthenticator *
fraise_authenticator_new (const FraiseAuthSettings *settings)
{
  FraiseAuthenticator *self;

  g_return_val_if_fail (settings != NULL && settings->user != NULL, NULL);

  self = g_new0 (FraiseAuthenticator, 1);
  self->user = g_strdup (settings->user);
  self->password = g_strdup (settings->password);
  self->require_auth = settings->require_auth;
  self->channel_binding = settings->channel_binding;
  self->is_tls = settings->is_tls;
  if (settings->cb_data != NULL && settings->cb_len > 0)
    {
      self->cb_data = g_byte_array_sized_new (settings->cb_len);
      g_byte_array_append (self->cb_data, settings->cb_data, settings->cb_len);
    }
  self->cb_unavailable = g_strdup (settings->cb_unavailable ? settings->cb_unavailable : "");
  self->max_iterations = settings->max_iterations;
  self->peer = g_strdup (settings->peer_description ? settings->peer_description : "");
  self->client_nonce = g_strdup (settings->client_nonce);
  self->method = "trust";
  return self;
}

static void
forget_password (FraiseAuthenticator *self)
{
  g_clear_pointer (&self->password, fraise_secure_free_string);
}

void
fraise_authenticator_free (FraiseAuthenticator *self)
{
  if (self == NULL)
    return;
  forget_password (self);
  g_clear_pointer (&self->scram, fraise_scram_free);
  g_free (self->user);
  g_clear_pointer (&self->cb_data, g_byte_array_unref);
  g_free (self->cb_unavailable);
  g_free (self->peer);
  g_free (self->client_nonce);
  g_free (self);
}

const char *
fraise_authenticator_get_method (const FraiseAuthenticator *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

gboolean
fraise_authenticator_is_channel_bound (const FraiseAuthenticator *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->channel_bound;
}

gboolean
fraise_authenticator_was_requested (const FraiseAuthenticator *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->requested;
}

static GError *auth_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

static GError *
auth_error (const char *format, ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION, format, args);
  va_end (args);
  return error;
}

/* require_auth and channel_binding are checked before a single password
 * byte is produced, and so is a request that follows another one. */
static GError *
check_allowed (FraiseAuthenticator *self, FraiseAuthMask method, const char *name)
{
  if (self->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE && method != FRAISE_AUTH_SCRAM)
    return auth_error (_("channel binding required, but server %s requested %s authentication"),
                          self->peer, name);
  if ((self->require_auth & method) == 0)
    return auth_error (_("server %s requested %s authentication, which require_auth does not "
                         "allow"),
                          self->peer, name);
  if (self->requested)
    return auth_error (_("server %s sent a second authentication request"), self->peer);
  return NULL;
}

static GError *
no_password_error (FraiseAuthenticator *self)
{
  return auth_error (_("server %s requested password authentication for user \"%s\", but "
                       "no password was supplied — give one in the connection string, "
                       "PGPASSWORD or the password file"),
                        self->peer, self->user);
}

static GError *
answer_password (FraiseAuthenticator *self, const FraiseProtoAuth *auth, GByteArray *out)
{
  gboolean md5 = auth->code == FRAISE_PROTO_AUTH_MD5;
  GError *error = NULL;
  char *hashed = NULL;
  gboolean ok;

  error =
    check_allowed (self, md5 ? FRAISE_AUTH_MD5 : FRAISE_AUTH_PASSWORD, md5 ? "md5" : "password");
  if (error != NULL)
    return error;
  if (self->password == NULL)
    return no_password_error (self);

  if (md5)
    {
      hashed = fraise_md5_password (self->user, self->password, auth->data);
      self->method = "md5";
      if (hashed == NULL)
        return auth_error (_("MD5 password hashing is not available (is the system in FIPS "
                             "mode?); use SCRAM-SHA-256 on the server"));
    }
  else
    self->method = "cleartext";
  FRAISE_NOTE (AUTH, "answering %s authentication (password redacted)", self->method);
  ok = fraise_proto_write_password (out, hashed ? hashed : self->password, &error);
  fraise_secure_free_string (hashed);
  forget_password (self);
  self->requested = TRUE;
  return ok ? NULL : error;
}

static FraiseScramBinding
choose_binding (FraiseAuthenticator *self, gboolean plus_offered, GError **error)
{
  if (!self->is_tls || self->channel_binding == FRAISE_CHANNEL_BINDING_DISABLE)
    return FRAISE_SCRAM_CB_NONE;
  if (self->cb_data == NULL)
    {
      if (self->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE)
        *error = auth_error (_("channel binding required, but no tls-server-end-point data is "
                               "available for the server certificate of %s: %s"),
                                self->peer, self->cb_unavailable);
      return FRAISE_SCRAM_CB_NONE;
    }
  return plus_offered ? FRAISE_SCRAM_CB_BOUND : FRAISE_SCRAM_CB_NOT_OFFERED;
}

/* Which SCRAM to run, from the offered mechanisms and the channel binding. */
static GError *
check_mechanisms (FraiseAuthenticator *self,
                  const FraiseProtoAuth *auth,
                  FraiseScramBinding *binding)
{
  g_auto(GStrv) mechanisms = NULL;
  GError *error = NULL;
  gboolean plain = FALSE, plus = FALSE;
  guint i;

  mechanisms = fraise_proto_parse_sasl_mechanisms (auth->data, auth->data_len, &error);
  if (mechanisms == NULL)
    return error;
  for (i = 0; mechanisms[i] != NULL; i++)
    {
      plain |= g_str_equal (mechanisms[i], "SCRAM-SHA-256");
      plus |= g_str_equal (mechanisms[i], "SCRAM-SHA-256-PLUS");
    }
  *binding = choose_binding (self, plus, &error);
  if (error != NULL)
    return error;
  if (*binding != FRAISE_SCRAM_CB_BOUND && self->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE)
    return auth_error (_("channel binding is required, but server %s did not offer "
                         "SCRAM-SHA-256-PLUS%s"),
                          self->peer, self->is_tls ? "" : _(" (the connection is not encrypted)"));
  if (*binding != FRAISE_SCRAM_CB_BOUND && !plain)
    {
      /* Unauthenticated text: escaped, so it can inject nothing into a terminal. */
      g_autofree char *shown = mechanisms[0] ? g_strescape (mechanisms[0], NULL) : NULL;

      return auth_error (_("none of the server's SASL authentication mechanisms are supported "
                           "(server %s offered: %s)"),
                            self->peer, shown ? shown : _("none"));
    }
  return NULL;
}

static GError *
start_sasl (FraiseAuthenticator *self, const FraiseProtoAuth *auth, GByteArray *out)
{
  GError *error = NULL;
  FraiseScramBinding binding = FRAISE_SCRAM_CB_NONE;
  const guint8 *cb = NULL;
  gsize cb_len = 0;
  const char *first;
  gsize first_len;

  if (self->scram != NULL)
    return auth_error (_("server %s sent a duplicate SASL authentication request"), self->peer);
  if ((error = check_allowed (self, FRAISE_AUTH_SCRAM, "scram-sha-256")) != NULL)
    return error;
  if ((error = check_mechanisms (self, auth, &binding)) != NULL)
    return error;
  if (self->password == NULL)
    return no_password_error (self);

  if (binding == FRAISE_SCRAM_CB_BOUND)
    cb = self->cb_data->data, cb_len = self->cb_data->len;
  if (self->client_nonce != NULL)
    self->scram = fraise_scram_new_with_nonce (self->password, binding, cb, cb_len,
                                               self->max_iterations, self->client_nonce);
  else
    self->scram = fraise_scram_new (self->password, binding, cb, cb_len, self->max_iterations);
  forget_password (self);
  if (self->scram == NULL)
    return auth_error (_("could not start SCRAM authentication: no random numbers available"));
  self->method = binding == FRAISE_SCRAM_CB_BOUND ? "scram-sha-256-plus" : "scram-sha-256";
  self->channel_bound = binding == FRAISE_SCRAM_CB_BOUND;
  self->requested = TRUE;

  first = fraise_scram_get_client_first (self->scram, &first_len);
  FRAISE_NOTE (AUTH, "starting %s", self->method);
  if (!fraise_proto_write_sasl_initial_response (
        out, binding == FRAISE_SCRAM_CB_BOUND ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256",
        (const guint8 *) first, first_len, &error))
    return error;
  return NULL;
}

static GError *
continue_sasl (FraiseAuthenticator *self, const FraiseProtoAuth *auth, GByteArray *out)
{
  GError *error = NULL;
  const char *final;
  gsize final_len;

  if (self->scram == NULL)
    return auth_error (_("server %s sent SASL data without a SASL request"), self->peer);
  final = fraise_scram_handle_server_first (self->scram, (const char *) auth->data, auth->data_len,
                                            &final_len, &error);
  if (final == NULL)
    return error;
  if (!fraise_proto_write_sasl_response (out, (const guint8 *) final, final_len, &error))
    return error;
  return NULL;
}

static GError *
finish_sasl (FraiseAuthenticator *self, const FraiseProtoAuth *auth)
{
  GError *error = NULL;

  if (self->scram == NULL)
    return auth_error (_("server %s sent a SASL outcome without a SASL request"), self->peer);
  if (!fraise_scram_verify_server_final (self->scram, (const char *) auth->data, auth->data_len,
                                         &error))
    return error;
  return NULL;
}

static GError *
authentication_ok (FraiseAuthenticator *self)
{
  if (self->scram != NULL && !fraise_scram_is_complete (self->scram))
    return auth_error (_("server %s accepted the login before proving it knows the password "
                         "(SCRAM exchange not completed) — refusing a possibly fake server"),
                          self->peer);
  if (!self->requested && (self->require_auth & FRAISE_AUTH_NONE) == 0)
    return auth_error (_("server %s did not complete authentication, but require_auth demands "
                         "it"),
                          self->peer);
  if (self->channel_binding == FRAISE_CHANNEL_BINDING_REQUIRE && !self->channel_bound)
    return auth_error (_("channel binding required, but server %s authenticated the client "
                         "without channel binding"),
                          self->peer);
  g_clear_pointer (&self->scram, fraise_scram_free);
  forget_password (self);
  self->done = TRUE;
  return NULL;
}

static GError *
dispatch (FraiseAuthenticator *self, const FraiseProtoFrame *frame, GByteArray *out)
{
  FraiseProtoAuth auth;
  GError *error = NULL;

  if (self->done)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                        _("server %s sent an authentication request after authentication "
                          "completed"),
                           self->peer);
  if (!fraise_proto_parse_auth (frame, &auth, &error))
    return error;

  switch (auth.code)
    {
    case FRAISE_PROTO_AUTH_OK:
      return authentication_ok (self);
    case FRAISE_PROTO_AUTH_CLEARTEXT:
    case FRAISE_PROTO_AUTH_MD5:
      return answer_password (self, &auth, out);
    case FRAISE_PROTO_AUTH_SASL:
      return start_sasl (self, &auth, out);
    case FRAISE_PROTO_AUTH_SASL_CONTINUE:
      return continue_sasl (self, &auth, out);
    case FRAISE_PROTO_AUTH_SASL_FINAL:
    default:
      return finish_sasl (self, &auth);
    }
}

FraiseAuthStep
fraise_authenticator_handle (FraiseAuthenticator *self,
                             const FraiseProtoFrame *frame,
                             GByteArray *out,
                             GError **error)
{
  guint start;
  GError *local;

  g_return_val_if_fail (self != NULL, FRAISE_AUTH_STEP_FAILED);
  g_return_val_if_fail (frame != NULL && frame->type == 'R', FRAISE_AUTH_STEP_FAILED);
  g_return_val_if_fail (out != NULL, FRAISE_AUTH_STEP_FAILED);
  g_return_val_if_fail (!self->failed, FRAISE_AUTH_STEP_FAILED);

  start = out->len;
  local = dispatch (self, frame, out);
  if (local != NULL)
    {
      /* Nothing half-written leaves: a partial answer may hold secrets. */
      fraise_secure_wipe (out->data + start, out->len - start);
      g_byte_array_set_size (out, start);
      g_clear_pointer (&self->scram, fraise_scram_free);
      forget_password (self);
      self->failed = TRUE;
      g_propagate_error (error, local);
      return FRAISE_AUTH_STEP_FAILED;
    }
  return self->done ? FRAISE_AUTH_STEP_DONE : FRAISE_AUTH_STEP_CONTINUE;
}
