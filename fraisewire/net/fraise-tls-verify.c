/* fraise-tls-verify.c: what is checked of a TLS session beyond GIO's chain and host checks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GIO verifies the chain against the root certificates and the host name;
 * it has no CRLs and no protocol-version bounds. So, once the handshake is
 * done and before a byte of the startup packet (let alone a password) is
 * sent, the session is checked here:
 *
 * - with sslnegotiation=direct, the server must have chosen the ALPN
 *   protocol "postgresql";
 * - the negotiated protocol version must lie within ssl_min_protocol_version
 *   (TLSv1.2 by default) and ssl_max_protocol_version. GIO cannot narrow
 *   what the handshake offers, so a version outside the range ends the
 *   attempt instead of being negotiated around;
 * - with sslcrl or sslcrldir, every certificate of the server's chain (but a
 *   self-signed root) must be covered by a CRL of its issuer whose signature
 *   verifies against that issuer and which has not expired, and must not be
 *   listed in it, as OpenSSL's CRL_CHECK | CRL_CHECK_ALL does for libpq. The
 *   issuer is looked up among the root certificates, then in the chain.
 *
 * The CRLs are read when the connection is configured, so a file that
 * cannot be read is a CONFIG error naming it before any network traffic.
 */

#include "fraise-connection-private.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

typedef struct {
  gnutls_x509_crl_t *crls;
  guint n_crls;
  char *sources; /* the files given, for messages */
} Crls;

static void
crls_free (gpointer data)
{
  Crls *crls = data;

  for (guint i = 0; i < crls->n_crls; i++)
    gnutls_x509_crl_deinit (crls->crls[i]);
  g_free (crls->crls);
  g_free (crls->sources);
  g_free (crls);
}

static GError *
config_error (const char *keyword, const char *path, const char *why)
{
  return g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                      _("%s: could not read CRL file \"%s\": %s"), keyword, path, why);
}

/* Appends the CRLs of the file at @path (PEM, or DER). */
static gboolean
load_file (Crls *crls, const char *keyword, const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *contents = NULL;
  gnutls_x509_crl_t *list = NULL;
  unsigned int n = 0;
  gsize len = 0;
  int rc;

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      *error = config_error (keyword, path, local->message);
      return FALSE;
    }
  {
    gnutls_datum_t datum = { (unsigned char *) contents, (unsigned int) len };

    rc = gnutls_x509_crl_list_import2 (&list, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0 || n == 0)
      rc = gnutls_x509_crl_list_import2 (&list, &n, &datum, GNUTLS_X509_FMT_DER, 0);
  }
  if (rc < 0 || n == 0)
    {
      *error = config_error (keyword, path, rc < 0 ? gnutls_strerror (rc) : _("no CRL in it"));
      return FALSE;
    }
  crls->crls = g_renew (gnutls_x509_crl_t, crls->crls, crls->n_crls + n);
  memcpy (crls->crls + crls->n_crls, list, n * sizeof (gnutls_x509_crl_t));
  crls->n_crls += n;
  gnutls_free (list);
  return TRUE;
}

/* Every regular file of @dir (libpq's directory holds hashed names; any
 * name is read here). */
static gboolean
load_dir (Crls *crls, const char *dir, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GDir) handle = g_dir_open (dir, 0, &local);
  const char *name;

  if (handle == NULL)
    {
      *error =
        g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("sslcrldir: could not open CRL directory \"%s\": %s"), dir, local->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !load_file (crls, "sslcrldir", path, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fraise_tls_prepare_checks (const FraiseConninfo *info, GTlsConnection *tls, GError **error)
{
  Crls *crls;

  if (info->sslcrl == NULL && info->sslcrldir == NULL)
    return TRUE;
  crls = g_new0 (Crls, 1);
  crls->sources = info->sslcrl != NULL && info->sslcrldir != NULL
                    ? g_strdup_printf ("%s, %s", info->sslcrl, info->sslcrldir)
                    : g_strdup (info->sslcrl != NULL ? info->sslcrl : info->sslcrldir);
  if ((info->sslcrl != NULL && !load_file (crls, "sslcrl", info->sslcrl, error)) ||
      (info->sslcrldir != NULL && !load_dir (crls, info->sslcrldir, error)))
    {
      crls_free (crls);
      return FALSE;
    }
  g_object_set_data_full (G_OBJECT (tls), "fraise-crls", crls, crls_free);
  return TRUE;
}

/* ---- after the handshake ----------------------------------------------- */

static int
negotiated_rank (GTlsConnection *tls, const char **name)
{
  switch (g_tls_connection_get_protocol_version (tls))
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      *name = "TLSv1";
      return 0;
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      *name = "TLSv1.1";
      return 1;
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      *name = "TLSv1.2";
      return 2;
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      *name = "TLSv1.3";
      return 3;
    default:
      *name = _("an unknown protocol");
      return -1;
    }
}

static gboolean
check_version (const FraiseConninfo *info, GTlsConnection *tls, const char *peer, GError **error)
{
  const char *name = NULL;
  int rank = negotiated_rank (tls, &name);
  int min = fraise_conninfo_tls_version_rank (info->ssl_min_protocol_version);
  int max = info->ssl_max_protocol_version != NULL
              ? fraise_conninfo_tls_version_rank (info->ssl_max_protocol_version)
              : G_MAXINT;

  if (rank >= 0 && rank >= min && rank <= max)
    return TRUE;
  if (info->ssl_max_protocol_version != NULL)
    *error = fraise_tls_error (_("the TLS session with %s uses %s, outside "
                                 "ssl_min_protocol_version=%s .. ssl_max_protocol_version=%s"),
                                  peer, name, info->ssl_min_protocol_version,
                                  info->ssl_max_protocol_version);
  else
    *error = fraise_tls_error (_("the TLS session with %s uses %s, below "
                                 "ssl_min_protocol_version=%s"),
                                  peer, name, info->ssl_min_protocol_version);
  return FALSE;
}

static gnutls_x509_crt_t
import_der (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || gnutls_x509_crt_init (&crt) < 0)
    return NULL;
  datum.data = der->data;
  datum.size = der->len;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  return crt;
}

/* The root certificates the chain was verified against. */
static gnutls_x509_trust_list_t
load_roots (const FraiseConninfo *info)
{
  gnutls_x509_trust_list_t roots = NULL;
  g_autofree char *default_path = NULL;
  const char *path = info->sslrootcert;

  if (gnutls_x509_trust_list_init (&roots, 0) < 0)
    return NULL;
  if (g_strcmp0 (path, "system") == 0)
    gnutls_x509_trust_list_add_system_trust (roots, 0, 0);
  else
    {
      if (path == NULL)
        path = default_path = g_build_filename (g_get_home_dir (), ".postgresql", "root.crt", NULL);
      gnutls_x509_trust_list_add_trust_file (roots, path, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
    }
  return roots;
}

static gboolean
same_dn (gnutls_x509_crt_t crt, gnutls_x509_crl_t crl)
{
  gnutls_datum_t a = { NULL, 0 }, b = { NULL, 0 };
  gboolean same;

  if (gnutls_x509_crt_get_raw_issuer_dn (crt, &a) < 0)
    return FALSE;
  if (gnutls_x509_crl_get_raw_issuer_dn (crl, &b) < 0)
    {
      gnutls_free (a.data);
      return FALSE;
    }
  same = a.size == b.size && memcmp (a.data, b.data, a.size) == 0;
  gnutls_free (a.data);
  gnutls_free (b.data);
  return same;
}

/* Checks @crt against a valid CRL of @issuer. */
static gboolean
check_one (const Crls *crls,
           gnutls_x509_crt_t crt,
           gnutls_x509_crt_t issuer,
           const char *peer,
           guint depth,
           GError **error)
{
  time_t now = time (NULL);

  for (guint i = 0; i < crls->n_crls; i++)
    {
      gnutls_x509_crl_t crl = crls->crls[i];
      unsigned int status = 0;
      time_t next;

      if (!same_dn (crt, crl) || gnutls_x509_crl_verify (crl, &issuer, 1, 0, &status) < 0 ||
          status != 0)
        continue;
      next = gnutls_x509_crl_get_next_update (crl);
      if (next != (time_t) -1 && next < now)
        continue;
      if (gnutls_x509_crt_check_revocation (crt, &crl, 1) == 1)
        {
          *error = fraise_tls_error (_("the certificate of %s (depth %u in its chain) is revoked "
                                       "by a CRL in %s"),
                                        peer, depth, crls->sources);
          return FALSE;
        }
      return TRUE;
    }
  *error = fraise_tls_error (_("no valid, unexpired CRL of the issuer of the certificate of %s "
                               "(depth %u in its chain) in %s: with sslcrl or sslcrldir every "
                               "certificate must be covered"),
                                peer, depth, crls->sources);
  return FALSE;
}

static gboolean
check_revocation (const FraiseConninfo *info, GTlsConnection *tls, const char *peer, GError **error)
{
  Crls *crls = g_object_get_data (G_OBJECT (tls), "fraise-crls");
  gnutls_x509_trust_list_t roots;
  GTlsCertificate *certificate;
  gboolean ok = TRUE;
  guint depth = 0;

  if (crls == NULL)
    return TRUE;
  roots = load_roots (info);
  for (certificate = g_tls_connection_get_peer_certificate (tls); ok && certificate != NULL;
       certificate = g_tls_certificate_get_issuer (certificate), depth++)
    {
      gnutls_x509_crt_t crt = import_der (certificate);
      gnutls_x509_crt_t issuer = NULL, chained = NULL;
      GTlsCertificate *next = g_tls_certificate_get_issuer (certificate);

      if (crt == NULL)
        {
          *error = fraise_tls_error (_("could not read the certificate of %s"), peer);
          ok = FALSE;
          break;
        }
      if (gnutls_x509_crt_check_issuer (crt, crt) == 1)
        {
          gnutls_x509_crt_deinit (crt); /* a self-signed root: no CRL */
          break;
        }
      if (roots == NULL || gnutls_x509_trust_list_get_issuer (roots, crt, &issuer, 0) < 0)
        {
          issuer = NULL;
          if (next != NULL && (chained = import_der (next)) != NULL &&
              gnutls_x509_crt_check_issuer (crt, chained) == 1)
            issuer = chained;
        }
      if (issuer == NULL)
        {
          *error = fraise_tls_error (_("the issuer of the certificate of %s (depth %u in its "
                                       "chain) is unknown: its CRL cannot be checked"),
                                        peer, depth);
          ok = FALSE;
        }
      else
        ok = check_one (crls, crt, issuer, peer, depth, error);
      if (chained != NULL)
        gnutls_x509_crt_deinit (chained);
      gnutls_x509_crt_deinit (crt);
    }
  if (roots != NULL)
    gnutls_x509_trust_list_deinit (roots, 1);
  return ok;
}

static gboolean
check_alpn (const FraiseConninfo *info, GTlsConnection *tls, const char *peer, GError **error)
{
  if (!info->sslnegotiation_direct ||
      g_strcmp0 (g_tls_connection_get_negotiated_protocol (tls), "postgresql") == 0)
    return TRUE;
  *error = fraise_tls_error (_("server %s did not agree to the ALPN protocol \"postgresql\" in "
                               "direct TLS negotiation (sslnegotiation=direct); it is not a "
                               "PostgreSQL 17 or later server, or a proxy in between does not "
                               "pass ALPN"),
                                peer);
  return FALSE;
}

gboolean
fraise_tls_check_session (const FraiseConninfo *info,
                          GTlsConnection *tls,
                          const char *peer,
                          GError **error)
{
  return check_alpn (info, tls, peer, error) && check_version (info, tls, peer, error) &&
         check_revocation (info, tls, peer, error);
}
