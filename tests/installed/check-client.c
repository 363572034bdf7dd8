/* check-client.c: a program built only from fraisewire-1.pc and the installed headers
 *
 * Usage: check-client TRUST_UNIX_URI SCRAM_TCP_URI WRONG_PASSWORD_URI
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <stdio.h>
#include <string.h>

static int
expect_connect (const char *uri, const char *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = fraise_client_new (uri, &error);

  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    {
      printf ("FAIL: %s: %s\n", method, error->message);
      return 1;
    }
  if (strcmp (fraise_client_get_auth_method (client), method) != 0)
    {
      printf ("FAIL: expected %s, got %s\n", method, fraise_client_get_auth_method (client));
      return 1;
    }
  printf ("ok: connected with %s (backend %u, server %s)\n", method,
          fraise_client_get_backend_pid (client), fraise_client_get_server_version (client));
  return 0;
}

static int
expect_wrong_password (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = fraise_client_new (uri, &error);
  FraiseServerMessage *message;

  if (client == NULL || fraise_client_connect_sync (client, NULL, &error))
    {
      printf ("FAIL: the wrong password was accepted or the URI rejected\n");
      return 1;
    }
  message = fraise_error_get_server_message (error);
  if (!g_error_matches (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION) || message == NULL ||
      g_strcmp0 (fraise_server_message_get_sqlstate (message), "28P01") != 0)
    {
      printf ("FAIL: unexpected error: %s\n", error->message);
      return 1;
    }
  printf ("ok: wrong password gives FRAISE_ERROR_AUTHENTICATION with SQLSTATE %s\n",
          fraise_server_message_get_sqlstate (message));
  return 0;
}

int
main (int argc, char **argv)
{
  int failures = 0;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s TRUST_URI SCRAM_URI WRONG_PASSWORD_URI\n", argv[0]);
      return 2;
    }
  failures += expect_connect (argv[1], "trust");
  failures += expect_connect (argv[2], "scram-sha-256");
  failures += expect_wrong_password (argv[3]);
  return failures == 0 ? 0 : 1;
}
