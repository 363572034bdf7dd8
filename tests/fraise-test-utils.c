/* fraise-test-utils.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"

#include <string.h>
#include <gnutls/crypto.h>

const char *
fraise_test_get_uri (const char *env_name)
{
  const char *uri = g_getenv (env_name);

  if (uri != NULL && *uri != '\0')
    return uri;

  if (g_getenv ("CI") != NULL)
    {
      g_test_message ("%s is not set: the test server harness did not run", env_name);
      g_test_fail ();
    }
  else
    {
      g_test_skip ("test server not configured: run through scripts/test.sh to start one");
    }
  return NULL;
}

double
fraise_test_time_scale (void)
{
  static double scale = 0;
  const char *value;
  char *end = NULL;

  if (scale != 0)
    return scale;
  value = g_getenv ("FRAISE_TEST_TIME_SCALE");
  if (value == NULL || *value == '\0')
    {
      scale = 1;
      return scale;
    }
  scale = g_ascii_strtod (value, &end);
  if (*end != '\0' || !(scale >= 1 && scale <= 1000))
    g_error ("FRAISE_TEST_TIME_SCALE=%s is not a number from 1 to 1000", value);
  return scale;
}

gint64
fraise_test_scaled (gint64 span)
{
  return (gint64) ((double) span * fraise_test_time_scale ());
}

static gboolean
wait_timed_out (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
fraise_test_wait_for (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (fraise_test_scaled (30 * G_TIME_SPAN_SECOND) / G_TIME_SPAN_MILLISECOND,
                            wait_timed_out, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out waiting for an asynchronous operation");
  g_source_remove (id);
}

void
fraise_test_psql (const char *uri, const char *sql, const char *input)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) psql = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  psql = g_subprocess_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
    &error, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql, NULL);
  if (psql == NULL)
    g_error ("psql: %s", error->message);
  if (!g_subprocess_communicate_utf8 (psql, input, NULL, &out, &err, &error))
    g_error ("psql: %s", error->message);
  if (!g_subprocess_get_successful (psql))
    g_error ("psql failed on %s: %s", sql, err);
}

char *
fraise_test_scram_signature (const char *password,
                             const char *salt_base64,
                             guint iterations,
                             const char *auth_message,
                             gboolean server)
{
  guint8 salted[32], key[32], stored[32], signature[32];
  gsize salt_len = 0;
  g_autofree guint8 *salt = g_base64_decode (salt_base64, &salt_len);
  gnutls_datum_t password_datum = { (unsigned char *) password, (unsigned int) strlen (password) };
  gnutls_datum_t salt_datum = { salt, (unsigned int) salt_len };
  const char *key_name = server ? "Server Key" : "Client Key";

  g_assert_cmpint (gnutls_pbkdf2 (GNUTLS_MAC_SHA256, &password_datum, &salt_datum, iterations,
                                  salted, sizeof salted),
                   ==, 0);
  g_assert_cmpint (
    gnutls_hmac_fast (GNUTLS_MAC_SHA256, salted, sizeof salted, key_name, strlen (key_name), key),
    ==, 0);
  if (server)
    {
      g_assert_cmpint (gnutls_hmac_fast (GNUTLS_MAC_SHA256, key, sizeof key, auth_message,
                                         strlen (auth_message), signature),
                       ==, 0);
      return g_base64_encode (signature, sizeof signature);
    }
  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, key, sizeof key, stored), ==, 0);
  g_assert_cmpint (gnutls_hmac_fast (GNUTLS_MAC_SHA256, stored, sizeof stored, auth_message,
                                     strlen (auth_message), signature),
                   ==, 0);
  for (guint i = 0; i < sizeof signature; i++)
    signature[i] ^= key[i];
  return g_base64_encode (signature, sizeof signature);
}

FraiseClient *
fraise_test_connect (const char *env_name)
{
  const char *uri = fraise_test_get_uri (env_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autofree char *scaled_uri = NULL;

  if (uri == NULL)
    return NULL;
  /* Under a time scale, the connection gets that much more time too (the
   * library's default connect_timeout is 10 s). */
  if (fraise_test_time_scale () > 1 && strstr (uri, "connect_timeout=") == NULL)
    {
      gboolean is_url = g_str_has_prefix (uri, "postgres");
      char separator = !is_url ? ' ' : strchr (uri, '?') != NULL ? '&' : '?';

      uri = scaled_uri = g_strdup_printf ("%s%cconnect_timeout=%u", uri, separator,
                                          (guint) (10 * fraise_test_time_scale ()));
    }
  client = fraise_client_new (uri, &error);
  g_assert_no_error (error);
  fraise_client_connect_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_is_connected (client));
  return g_steal_pointer (&client);
}

GPtrArray *
fraise_test_pull_all (FraiseQuery *query, GError **error)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(FraiseStream) stream = fraise_query_execute_sync (query, NULL, error);
  FraiseRow *row;

  if (stream == NULL)
    return rows;
  while ((row = fraise_stream_next_sync (stream, NULL, error)) != NULL)
    g_ptr_array_add (rows, row);
  return rows;
}

void
fraise_test_assert_reusable (FraiseClient *client)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_project");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  g_assert_true (fraise_client_is_connected (client));
  rows = fraise_test_pull_all (query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  for (i = 0; i < rows->len; i++)
    g_assert_cmpuint (fraise_row_get_index (g_ptr_array_index (rows, i)), ==, i);
}
