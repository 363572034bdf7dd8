/* fraise-tls.c: TLS configuration, SSLRequest negotiation and the handshake
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Used by the main connection and by the CancelRequest side connection,
 * which follows the same TLS settings.
 */

#include "fraise-connection-private.h"

GError *
fraise_tls_error (const char *format, ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (FRAISE_ERROR, FRAISE_ERROR_TLS, format, args);
  va_end (args);
  return error;
}

static gboolean
accept_any_certificate (GTlsConnection *connection,
                        GTlsCertificate *certificate,
                        GTlsCertificateFlags errors,
                        gpointer user_data)
{
  /* sslmode allow/prefer/require: encrypt without verifying, as libpq does. */
  return TRUE;
}

static gboolean
accept_wrong_identity (GTlsConnection *connection,
                       GTlsCertificate *certificate,
                       GTlsCertificateFlags errors,
                       gpointer user_data)
{
  /* sslmode verify-ca: the chain must verify, the host name need not match. */
  return (errors & ~G_TLS_CERTIFICATE_BAD_IDENTITY) == 0;
}

/* The sslmode in effect: require verifies as verify-ca when a root
 * certificate file is given or exists at the default path, as libpq does. */
static FraiseSslMode
effective_mode (const FraiseConninfo *info, char **root_path)
{
  if (g_strcmp0 (info->sslrootcert, "system") == 0)
    {
      *root_path = NULL;
      return info->sslmode;
    }
  *root_path = info->sslrootcert != NULL
                 ? g_strdup (info->sslrootcert)
                 : g_build_filename (g_get_home_dir (), ".postgresql", "root.crt", NULL);
  if (info->sslmode == FRAISE_SSL_REQUIRE && g_file_test (*root_path, G_FILE_TEST_EXISTS))
    return FRAISE_SSL_VERIFY_CA;
  return info->sslmode;
}

static gboolean
configure_tls (const FraiseConninfo *info, GTlsConnection *tls, GError **error)
{
  g_autofree char *root_path = NULL;
  FraiseSslMode mode = effective_mode (info, &root_path);
  gboolean verify = mode >= FRAISE_SSL_VERIFY_CA;

  if ((info->sslcrl != NULL || info->sslcrldir != NULL) && !verify)
    {
      *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                            _("%s is given but sslmode=%s does not verify the server "
                              "certificate: use sslmode=verify-ca or verify-full (or give "
                              "sslrootcert)"),
                               info->sslcrl != NULL ? "sslcrl" : "sslcrldir",
                               fraise_conninfo_sslmode_name (info->sslmode));
      return FALSE;
    }
  if (verify && root_path != NULL)
    {
      g_autoptr (GTlsDatabase) database = NULL;
      g_autoptr (GError) local = NULL;

      if (info->sslrootcert == NULL && !g_file_test (root_path, G_FILE_TEST_EXISTS))
        {
          *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                _("root certificate file \"%s\" does not exist or cannot be "
                                  "read — either provide the file, use the system's trusted "
                                  "roots with sslrootcert=system, or change sslmode to disable "
                                  "server certificate verification"),
                                   root_path);
          return FALSE;
        }
      database = g_tls_file_database_new (root_path, &local);
      if (database == NULL)
        {
          *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                _("sslrootcert: could not load root certificate file \"%s\": %s"),
                                   root_path, local->message);
          return FALSE;
        }
      g_tls_connection_set_database (tls, database);
    }
  if (!fraise_tls_prepare_checks (info, tls, error))
    return FALSE;

  if (info->sslcert != NULL)
    {
      g_autoptr (GTlsCertificate) certificate = fraise_tls_load_client_certificate (info, error);

      if (certificate == NULL)
        return FALSE;
      g_tls_connection_set_certificate (tls, certificate);
    }

  if (mode < FRAISE_SSL_VERIFY_CA)
    g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  else if (mode == FRAISE_SSL_VERIFY_CA)
    g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_wrong_identity), NULL);
  return TRUE;
}

GIOStream *
fraise_tls_client_new (const FraiseConninfo *info,
                       const FraiseConninfoHost *host,
                       GIOStream *base,
                       GError **error)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new (host->host, host->port);
  g_autoptr(GIOStream) tls = g_tls_client_connection_new (base, identity, error);

  if (tls == NULL || !configure_tls (info, G_TLS_CONNECTION (tls), error))
    return NULL;
  if (info->sslnegotiation_direct)
    {
      /* PostgreSQL 17 accepts TLS first only with this ALPN protocol. */
      static const char *const alpn[] = { "postgresql", NULL };

      g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls), alpn);
    }
  return g_steal_pointer (&tls);
}

/* An S must be the only byte before the handshake: anything after it was
 * injected in plaintext by a man in the middle (CVE-2021-23222). */
gboolean
fraise_tls_bytes_after_answer (GSocketConnection *connection)
{
  return g_socket_get_available_bytes (g_socket_connection_get_socket (connection)) != 0;
}

static void
on_tls_handshake (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FraiseConnection *self = user_data;
  GError *error = NULL;
  gboolean ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);

  if (self->connect_task == NULL || self->phase != PHASE_TLS)
    {
      g_clear_error (&error);
      g_object_unref (source);
      g_object_unref (self);
      return;
    }
  if (!ok)
    {
      GError *mapped =
        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          ? g_error_copy (error)
          : self->info->sslnegotiation_direct
          ? fraise_tls_error (_("direct TLS handshake with %s failed: %s — a server older than "
                                               "PostgreSQL 17 does not support direct TLS "
                                               "(sslnegotiation=direct): use "
                                               "sslnegotiation=postgres"),
                                 self->peer_description, error->message)
          : fraise_tls_error (_("TLS handshake with %s failed: %s"), self->peer_description,
                                 error->message);
      g_error_free (error);
      g_object_unref (source);
      /* prefer: a failed handshake falls back to plaintext (not an answer
       * other than S or N, nor bytes after S: those are attacks). */
      if (!g_error_matches (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fraise_connection_allow_encryption_retry (self);
      fraise_connection_attempt_failed (self, fraise_connection_take_attempt_error (self, mapped));
      g_object_unref (self);
      return;
    }

  /* Before the startup packet: nothing is sent on a session outside the
   * protocol range or with a revoked certificate, nor, with direct TLS, on
   * one whose server did not agree to the postgresql protocol. */
  if (!fraise_tls_check_session (self->info, G_TLS_CONNECTION (source), self->peer_description,
                                 &error))
    {
      fraise_connection_allow_encryption_retry (self);
      g_object_unref (source);
      fraise_connection_attempt_failed (self, error);
      g_object_unref (self);
      return;
    }
  self->is_tls = TRUE;
  fraise_connection_use_stream (self, G_IO_STREAM (source));
  g_object_unref (source);
  fraise_connection_send_startup (self);
  g_object_unref (self);
}

static void
start_tls (FraiseConnection *self)
{
  GIOStream *tls;
  GError *error = NULL;

  self->tls_started = TRUE;
  if (!self->info->sslnegotiation_direct && fraise_tls_bytes_after_answer (self->socket_connection))
    {
      error = fraise_tls_error (_("received unencrypted data after the SSL response from %s "
                                  "— possible man-in-the-middle attack"),
                                   self->peer_description);
      fraise_connection_attempt_failed (self, error);
      return;
    }

  tls = fraise_tls_client_new (self->info, fraise_connection_current_host (self),
                               G_IO_STREAM (self->socket_connection), &error);
  if (tls == NULL)
    {
      if (error->domain != FRAISE_ERROR)
        {
          GError *mapped = fraise_tls_error (_("could not set up TLS: %s"), error->message);

          g_error_free (error);
          error = mapped;
        }
      fraise_connection_attempt_failed (self, error);
      return;
    }
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), TRUE);

  self->phase = PHASE_TLS;
  g_main_context_push_thread_default (self->context);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    self->attempt_cancellable, on_tls_handshake,
                                    g_object_ref (self));
  g_main_context_pop_thread_default (self->context);
}

static gboolean
on_ssl_response (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  FraiseConnection *self = user_data;
  g_autoptr(GError) error = NULL;
  GError *failure = NULL;
  guint8 byte = 0;
  gssize n;

  g_clear_pointer (&self->read_source, g_source_unref);
  /* Exactly one byte, read straight from the socket: nothing is buffered. */
  n = g_socket_receive_with_blocking (socket, (char *) &byte, 1, FALSE, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      self->read_source = g_socket_create_source (socket, G_IO_IN, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_ssl_response), self, NULL);
      g_source_attach (self->read_source, self->context);
      return G_SOURCE_REMOVE;
    }
  if (n <= 0)
    failure =
      g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                   _("server %s closed the connection during SSL negotiation%s%s"),
                      self->peer_description, error ? ": " : "", error ? error->message : "");
  else if (byte == 'S')
    start_tls (self);
  else if (byte == 'N' && self->info->sslmode >= FRAISE_SSL_REQUIRE)
    failure = fraise_tls_error (_("server %s does not support SSL, but SSL was required "
                                  "(sslmode=%s) — enable ssl on the server or lower sslmode"),
                                   self->peer_description,
                                   fraise_conninfo_sslmode_name (self->info->sslmode));
  else if (byte == 'N')
    {
      fraise_connection_log_attempt (self, "plaintext");
      fraise_connection_use_stream (self, G_IO_STREAM (self->socket_connection));
      fraise_connection_send_startup (self);
    }
  else if (byte == 'E')
    /* Never shown, never a reason to fall back to plaintext (CVE-2024-10977). */
    failure = fraise_tls_error (_("server %s sent an error response during SSL exchange"),
                                   self->peer_description);
  else
    failure = fraise_tls_error (_("received invalid response to SSL negotiation from %s "
                                  "(byte 0x%02x)"),
                                   self->peer_description, byte);
  if (failure != NULL)
    fraise_connection_attempt_failed (self, failure);
  return G_SOURCE_REMOVE;
}

void
fraise_connection_start_direct_tls (FraiseConnection *self)
{
  start_tls (self);
}

void
fraise_connection_send_ssl_request (FraiseConnection *self)
{
  GSocket *socket = g_socket_connection_get_socket (self->socket_connection);
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gssize n;

  fraise_proto_write_ssl_request (request);
  n = g_socket_send_with_blocking (socket, (const char *) request->data, request->len, FALSE, NULL,
                                   &error);
  if (n != (gssize) request->len)
    {
      fraise_connection_attempt_failed (
        self, g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONNECTION_FAILED,
                           _("could not send SSL negotiation packet "
                                                       "to %s: %s"),
                              self->peer_description, error ? error->message : _("short write")));
      return;
    }
  self->phase = PHASE_SSL_RESPONSE;
  self->read_source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_ssl_response), self, NULL);
  g_source_attach (self->read_source, self->context);
}
