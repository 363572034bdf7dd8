/* test-tls.c: every verification setting against the harness's TLS server, failing where it must
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The harness makes a CA (ca.crt) that signed the server's certificate
 * (CN localhost, 127.0.0.1), another CA (other-ca.crt), a CRL of the right
 * CA revoking the server's certificate (revoked.crl, also in crldir/) and
 * one revoking nothing (empty.crl), and an empty CRL of the other CA
 * (other-ca.crl). Each case connects to the real server
 * with one setting changed and checks the outcome: a test here fails if a
 * mode accepts a certificate it should refuse.
 */

#include "fraise-test-utils.h"
#include "fraise-client-private.h"
#include "fraise-connection-private.h"

#include <string.h>

static const char *tls_dir;

/* host=127.0.0.1 ... sslmode=@mode plus @extra ("sslrootcert=ca.crt ..."),
 * file names relative to the harness's TLS directory. */
static char *
conninfo (const char *mode, const char *extra)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) words = g_strsplit (extra, " ", -1);

  g_string_printf (out,
                   "host=127.0.0.1 port=%s dbname=fraise_test user=fraise_scram "
                   "password='%s' sslmode=%s",
                   g_getenv ("FRAISE_TEST_PORT"), g_getenv ("FRAISE_TEST_SCRAM_PASSWORD"), mode);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *eq = strchr (words[i], '=');

      if (eq == NULL)
        continue;
      if (eq[1] != '/' && !g_str_equal (eq + 1, "system") &&
          (g_str_has_prefix (words[i], "sslrootcert=") || g_str_has_prefix (words[i], "sslcrl") ||
           g_str_has_prefix (words[i], "sslcert=") || g_str_has_prefix (words[i], "sslkey=")))
        g_string_append_printf (out, " %.*s%s/%s", (int) (eq - words[i] + 1), words[i], tls_dir,
                                eq + 1);
      else
        g_string_append_printf (out, " %s", words[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
have_server (void)
{
  if (fraise_test_get_uri ("FRAISE_TEST_URI_TLS") == NULL)
    return FALSE;
  tls_dir = g_getenv ("FRAISE_TEST_TLS_DIR");
  g_assert_nonnull (tls_dir);
  return TRUE;
}

static void
connects (const char *mode, const char *extra)
{
  g_autofree char *info = conninfo (mode, extra);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = fraise_client_new (info, &error);

  g_assert_no_error (error);
  fraise_client_connect_sync (client, NULL, &error);
  if (error != NULL)
    g_error ("sslmode=%s %s: %s", mode, extra, error->message);
  g_assert_true (fraise_client_get_is_tls (client));
}

/* Fails with @code; the message contains @needle. */
static void
refused (const char *mode, const char *extra, int code, const char *needle)
{
  g_autofree char *info = conninfo (mode, extra);
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = fraise_client_new (info, &error);

  if (client == NULL)
    {
      g_assert_error (error, FRAISE_ERROR, code);
      g_assert_nonnull (strstr (error->message, needle));
      return;
    }
  if (fraise_client_connect_sync (client, NULL, &error))
    g_error ("sslmode=%s %s connected; it must be refused (%s)", mode, extra, needle);
  g_test_message ("sslmode=%s %s: %s", mode, extra, error->message);
  if (!g_error_matches (error, FRAISE_ERROR, code) || strstr (error->message, needle) == NULL)
    g_error ("sslmode=%s %s: expected code %d with \"%s\", got %s", mode, extra, code, needle,
             error->message);
  g_assert_false (fraise_client_is_connected (client));
}

static void
test_right_ca (void)
{
  if (!have_server ())
    return;
  connects ("verify-full", "sslrootcert=ca.crt");
  connects ("verify-ca", "sslrootcert=ca.crt");
  connects ("require", "sslrootcert=ca.crt");
}

/* A CA that did not sign the server's certificate: refused by every mode
 * that verifies, and by require once a root certificate is given. */
static void
test_wrong_ca (void)
{
  if (!have_server ())
    return;
  refused ("verify-full", "sslrootcert=other-ca.crt", FRAISE_ERROR_TLS, "TLS handshake");
  refused ("verify-ca", "sslrootcert=other-ca.crt", FRAISE_ERROR_TLS, "TLS handshake");
  refused ("require", "sslrootcert=other-ca.crt", FRAISE_ERROR_TLS, "TLS handshake");
  /* The system store does not hold the harness's CA. */
  refused ("verify-full", "sslrootcert=system", FRAISE_ERROR_TLS, "TLS handshake");
  refused ("require", "sslrootcert=system", FRAISE_ERROR_CONFIG,
           "weak sslmode \"require\" may not be used with sslrootcert=system");
  /* require without a root certificate file encrypts without verifying,
   * as libpq does (HOME has no .postgresql/root.crt under the harness). */
  connects ("require", "sslrootcert=/nonexistent/root.crt");
}

/* hostaddr is dialled, host is what the certificate must name. */
static void
test_wrong_host (void)
{
  if (!have_server ())
    return;
  refused ("verify-full", "sslrootcert=ca.crt host=db.other.example hostaddr=127.0.0.1",
           FRAISE_ERROR_TLS, "TLS handshake");
  connects ("verify-ca", "sslrootcert=ca.crt host=db.other.example hostaddr=127.0.0.1");
}

static void
test_revoked (void)
{
  if (!have_server ())
    return;
  refused ("verify-full", "sslrootcert=ca.crt sslcrl=revoked.crl", FRAISE_ERROR_TLS,
           "is revoked by a CRL");
  refused ("verify-ca", "sslrootcert=ca.crt sslcrl=revoked.crl", FRAISE_ERROR_TLS,
           "is revoked by a CRL");
  refused ("verify-full", "sslrootcert=ca.crt sslcrldir=crldir", FRAISE_ERROR_TLS,
           "is revoked by a CRL");
  /* require with a root certificate verifies, CRL included. */
  refused ("require", "sslrootcert=ca.crt sslcrl=revoked.crl", FRAISE_ERROR_TLS,
           "is revoked by a CRL");
  connects ("verify-full", "sslrootcert=ca.crt sslcrl=empty.crl");
  /* A CRL of another CA covers nothing: as OpenSSL's CRL check, refused. */
  refused ("verify-full", "sslrootcert=ca.crt sslcrl=other-ca.crl", FRAISE_ERROR_TLS,
           "no valid, unexpired CRL of the issuer");
}

static void
test_crl_errors (void)
{
  if (!have_server ())
    return;
  /* Not a CRL, and no file: CONFIG errors naming the keyword and the file. */
  refused ("verify-full", "sslrootcert=ca.crt sslcrl=ca.crt", FRAISE_ERROR_CONFIG,
           "sslcrl: could not read CRL file");
  refused ("verify-full", "sslrootcert=ca.crt sslcrl=/nonexistent.crl", FRAISE_ERROR_CONFIG,
           "\"/nonexistent.crl\"");
  refused ("verify-full", "sslrootcert=ca.crt sslcrldir=/nonexistent-dir", FRAISE_ERROR_CONFIG,
           "sslcrldir: could not open CRL directory \"/nonexistent-dir\"");
  /* A CRL cannot be checked without verifying the chain. */
  refused ("require", "sslrootcert=/nonexistent/root.crt sslcrl=revoked.crl", FRAISE_ERROR_CONFIG,
           "sslcrl is given but sslmode=require does not verify");
}

static void
test_root_errors (void)
{
  if (!have_server ())
    return;
  refused ("verify-full", "sslrootcert=/nonexistent/root.crt", FRAISE_ERROR_CONFIG,
           "sslrootcert: could not load root certificate file \"/nonexistent/root.crt\"");
  /* A directory cannot be read as a file. */
  refused ("verify-ca", "sslrootcert=crldir", FRAISE_ERROR_CONFIG,
           "sslrootcert: could not load root certificate file");
}

/* PostgreSQL 15 with GnuTLS's defaults negotiates TLS 1.3. */
static void
test_protocol_range (void)
{
  if (!have_server ())
    return;
  connects ("verify-full", "sslrootcert=ca.crt ssl_min_protocol_version=TLSv1.3");
  connects ("verify-full",
            "sslrootcert=ca.crt ssl_min_protocol_version=TLSv1.2 ssl_max_protocol_version=TLSv1.3");
  refused ("verify-full", "sslrootcert=ca.crt ssl_max_protocol_version=TLSv1.2", FRAISE_ERROR_TLS,
           "uses TLSv1.3, outside ssl_min_protocol_version=TLSv1.2 .. ssl_max_protocol_version="
           "TLSv1.2");
  refused ("require", "ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2",
           FRAISE_ERROR_CONFIG, "invalid SSL protocol version range");
  refused ("require", "ssl_max_protocol_version=TLSv9", FRAISE_ERROR_CONFIG,
           "invalid ssl_max_protocol_version value: \"TLSv9\"");
}

/* PostgreSQL 15 reads the ClientHello as a startup packet and hangs up:
 * the error says what direct TLS needs. */
static void
test_direct (void)
{
  if (!have_server ())
    return;
  refused ("require", "sslnegotiation=direct", FRAISE_ERROR_TLS,
           "a server older than PostgreSQL 17 does not support direct TLS");
  refused ("verify-full", "sslrootcert=ca.crt sslnegotiation=direct", FRAISE_ERROR_TLS,
           "use sslnegotiation=postgres");
  refused ("prefer", "sslnegotiation=direct", FRAISE_ERROR_CONFIG,
           "weak sslmode \"prefer\" may not be used with sslnegotiation=direct");
}

/* The `cert` method: the role fraise_cert logs in with its certificate
 * alone; its key in the clear, as encrypted PKCS#8 and as legacy encrypted
 * PEM, the last two opened with sslpassword. */
static void
test_client_certificate (void)
{
  g_autofree char *with_password = NULL;
  g_autofree char *wrong_password = NULL;
  const char *password = g_getenv ("FRAISE_TEST_CLIENT_KEY_PASSWORD");
  const char *keys[] = { "client-pkcs8.key", "client-legacy.key" };

  if (!have_server ())
    return;
  g_assert_nonnull (password);
  connects ("verify-full", "sslrootcert=ca.crt user=fraise_cert sslcert=client.crt "
                           "sslkey=client.key");
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *ok = g_strdup_printf ("sslrootcert=ca.crt user=fraise_cert "
                                             "sslcert=client.crt sslkey=%s sslpassword='%s'",
                                             keys[i], password);
      g_autofree char *wrong = g_strdup_printf ("sslrootcert=ca.crt user=fraise_cert "
                                                "sslcert=client.crt sslkey=%s sslpassword=nope",
                                                keys[i]);
      g_autofree char *none = g_strdup_printf ("sslrootcert=ca.crt user=fraise_cert "
                                               "sslcert=client.crt sslkey=%s",
                                               keys[i]);

      connects ("verify-full", ok);
      refused ("verify-full", wrong, FRAISE_ERROR_CONFIG, "sslpassword does not decrypt");
      refused ("verify-full", none, FRAISE_ERROR_CONFIG, "is encrypted: give its password");
    }
  /* Without the certificate the server refuses the role. */
  refused ("verify-full", "sslrootcert=ca.crt user=fraise_cert", FRAISE_ERROR_AUTHENTICATION,
           "requires a valid client certificate");
  refused ("verify-full", "sslrootcert=ca.crt user=fraise_cert sslcert=/nonexistent.crt",
           FRAISE_ERROR_CONFIG, "sslcert: could not read the client certificate");
}

/* channel_binding and require_auth against the real server's methods. */
static void
test_auth_requirements (void)
{
  g_autofree char *md5 = NULL;
  g_autofree char *md5_bound = NULL;
  g_autofree char *clear = NULL;
  g_autofree char *clear_wrong = NULL;

  if (!have_server ())
    return;
  md5 = g_strdup_printf ("user=fraise_md5 password='%s'", g_getenv ("FRAISE_TEST_MD5_PASSWORD"));
  md5_bound = g_strdup_printf ("%s channel_binding=require sslrootcert=ca.crt", md5);
  clear = g_strdup_printf ("user=fraise_password password='%s' require_auth=password",
                           g_getenv ("FRAISE_TEST_PASSWORD_PASSWORD"));
  clear_wrong = g_strdup_printf ("user=fraise_password password='%s' require_auth=!password",
                                 g_getenv ("FRAISE_TEST_PASSWORD_PASSWORD"));

  /* SCRAM-SHA-256-PLUS over TLS: bound. */
  connects ("verify-full", "sslrootcert=ca.crt channel_binding=require");
  /* Binding is impossible in plaintext, and with MD5. */
  refused ("disable", "channel_binding=require", FRAISE_ERROR_AUTHENTICATION, "channel binding");
  refused ("verify-full", md5_bound, FRAISE_ERROR_AUTHENTICATION, "channel binding");
  /* require_auth: the method the server asks for must be allowed. */
  connects ("require", "require_auth=scram-sha-256");
  refused ("require", "require_auth=md5,password", FRAISE_ERROR_AUTHENTICATION,
           "which require_auth does not allow");
  refused ("require", "require_auth=!scram-sha-256", FRAISE_ERROR_AUTHENTICATION,
           "which require_auth does not allow");
  refused ("require", "require_auth=none", FRAISE_ERROR_AUTHENTICATION,
           "which require_auth does not allow");
  connects ("require", clear);
  refused ("require", clear_wrong, FRAISE_ERROR_AUTHENTICATION,
           "which require_auth does not allow");
}

/* sslmode against a role the server takes only over TLS (hostssl) and one
 * it takes only in plaintext (hostnossl): outcome, encryption and the
 * attempts made, in the style of libpq's 005_negotiate_encryption. */
static void
test_sslmode_retries (void)
{
  static const struct {
    const char *mode;
    const char *user;
    const char *extra;
    gboolean ok;
    gboolean tls;
    const char *attempts;
  } cases[] = {
    { "disable", "fraise_nossl", "", TRUE, FALSE, "plaintext" },
    { "disable", "fraise_sslonly", "", FALSE, FALSE, "plaintext" },
    { "allow", "fraise_nossl", "", TRUE, FALSE, "plaintext" },
    { "allow", "fraise_sslonly", "", TRUE, TRUE, "plaintext,TLS" },
    { "prefer", "fraise_nossl", "", TRUE, FALSE, "TLS,plaintext" },
    { "prefer", "fraise_sslonly", "", TRUE, TRUE, "TLS" },
    { "require", "fraise_nossl", "", FALSE, FALSE, "TLS" },
    { "require", "fraise_sslonly", "", TRUE, TRUE, "TLS" },
    { "verify-full", "fraise_sslonly", "sslrootcert=ca.crt", TRUE, TRUE, "TLS" },
    { "verify-full", "fraise_nossl", "sslrootcert=ca.crt", FALSE, FALSE, "TLS" },
    /* A TLS session the client refuses (outside the version range): prefer
     * falls back to plaintext, which this role is refused. */
    { "prefer", "fraise_sslonly", "ssl_max_protocol_version=TLSv1.2", FALSE, FALSE,
      "TLS,plaintext" },
    { "prefer", "fraise_nossl", "ssl_max_protocol_version=TLSv1.2", TRUE, FALSE, "TLS,plaintext" },
    /* A refused TLS session is not retried by allow: it tried plaintext first. */
    { "allow", "fraise_sslonly", "ssl_max_protocol_version=TLSv1.2", FALSE, FALSE,
      "plaintext,TLS" },
  };

  if (!have_server ())
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *extra = g_strdup_printf ("user=%s %s", cases[i].user, cases[i].extra);
      g_autofree char *info = conninfo (cases[i].mode, extra);
      g_autoptr (GError) error = NULL;
      g_autoptr (FraiseClient) client = fraise_client_new (info, &error);
      gboolean ok;

      g_assert_no_error (error);
      ok = fraise_client_connect_sync (client, NULL, &error);
      g_test_message ("sslmode=%s %s: %s, %s (%s)", cases[i].mode, extra, ok ? "ok" : "refused",
                      fraise_connection_get_attempt_log (_fraise_client_get_connection (client)),
                      error != NULL ? error->message : "");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (fraise_client_get_is_tls (client), ==, cases[i].tls);
      g_assert_cmpstr (fraise_connection_get_attempt_log (_fraise_client_get_connection (client)),
                       ==, cases[i].attempts);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls/right-ca", test_right_ca);
  g_test_add_func ("/tls/wrong-ca", test_wrong_ca);
  g_test_add_func ("/tls/wrong-host", test_wrong_host);
  g_test_add_func ("/tls/revoked", test_revoked);
  g_test_add_func ("/tls/crl-errors", test_crl_errors);
  g_test_add_func ("/tls/root-errors", test_root_errors);
  g_test_add_func ("/tls/protocol-range", test_protocol_range);
  g_test_add_func ("/tls/direct", test_direct);
  g_test_add_func ("/tls/client-certificate", test_client_certificate);
  g_test_add_func ("/tls/auth-requirements", test_auth_requirements);
  g_test_add_func ("/tls/sslmode-retries", test_sslmode_retries);

  return g_test_run ();
}
