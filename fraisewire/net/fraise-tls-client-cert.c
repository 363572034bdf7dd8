/* fraise-tls-client-cert.c: the client certificate and its key, decrypted with sslpassword
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GIO reads only keys in the clear. A key file (sslkey, else the sslcert
 * file) is read here with GnuTLS, which opens encrypted PKCS#8 and the
 * legacy encrypted PEM of OpenSSL (Proc-Type: 4,ENCRYPTED) with
 * sslpassword, and handed to GIO as PEM in memory. Every copy of the key in
 * the clear made here (the file's bytes, the exported PEM) is wiped before
 * it is freed; the one GIO keeps lives as long as the certificate.
 */

#include "fraise-connection-private.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

static void
wipe_free (char *data, gsize len)
{
  if (data == NULL)
    return;
  fraise_secure_wipe (data, len);
  g_free (data);
}

/* The key of @path in the clear, as PEM (wipe it), or NULL with @error. */
static char *
decrypt_key (const char *path, const char *password, gsize *pem_len, GError **error)
{
  g_autoptr (GError) local = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t out = { NULL, 0 };
  char *contents = NULL;
  char *pem = NULL;
  gsize len = 0;
  int rc;

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      *error =
        g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("sslkey: could not read the private key \"%s\": %s"), path, local->message);
      return NULL;
    }
  if (gnutls_x509_privkey_init (&key) < 0)
    {
      wipe_free (contents, len);
      *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                            _("sslkey: out of memory reading \"%s\""), path);
      return NULL;
    }
  {
    gnutls_datum_t datum = { (unsigned char *) contents, (unsigned int) len };

    rc = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, password, 0);
    if (rc == GNUTLS_E_BASE64_DECODING_ERROR || rc == GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR)
      rc = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_DER, password, 0);
  }
  wipe_free (contents, len);
  if (rc == GNUTLS_E_DECRYPTION_FAILED && password == NULL)
    *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                          _("sslkey: the private key \"%s\" is encrypted: give its password with "
                          "sslpassword"),
                             path);
  else if (rc == GNUTLS_E_DECRYPTION_FAILED)
    *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                          _("sslpassword does not decrypt the private key \"%s\""), path);
  else if (rc < 0)
    *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                          _("sslkey: could not read the private key \"%s\": %s"), path,
                             gnutls_strerror (rc));
  else if ((rc = gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &out)) < 0)
    *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                          _("sslkey: could not use the private key \"%s\": %s"), path,
                             gnutls_strerror (rc));
  else
    {
      pem = g_malloc (out.size + 1);
      memcpy (pem, out.data, out.size);
      pem[out.size] = '\0';
      *pem_len = out.size;
      fraise_secure_wipe (out.data, out.size);
      gnutls_free (out.data);
    }
  gnutls_x509_privkey_deinit (key);
  return pem;
}

GTlsCertificate *
fraise_tls_load_client_certificate (const FraiseConninfo *info, GError **error)
{
  const char *key_path = info->sslkey != NULL ? info->sslkey : info->sslcert;
  g_autoptr (GError) local = NULL;
  g_autofree char *cert_pem = NULL;
  GTlsCertificate *certificate;
  char *key_pem, *both;
  gsize key_len = 0, cert_len = 0, both_len;

  if (!g_file_get_contents (info->sslcert, &cert_pem, &cert_len, &local))
    {
      *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                            _("sslcert: could not read the client certificate \"%s\": %s"),
                               info->sslcert, local->message);
      return NULL;
    }
  key_pem = decrypt_key (key_path, info->sslpassword, &key_len, error);
  if (key_pem == NULL)
    return NULL;
  both = g_strconcat (cert_pem, "\n", key_pem, NULL);
  both_len = strlen (both);
  wipe_free (key_pem, key_len);
  certificate = g_tls_certificate_new_from_pem (both, (gssize) both_len, &local);
  wipe_free (both, both_len);
  if (certificate == NULL)
    *error = g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                          _("sslcert: could not load the client certificate \"%s\" with the key "
                          "\"%s\": %s"),
                             info->sslcert, key_path, local->message);
  return certificate;
}
