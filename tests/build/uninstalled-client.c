/* uninstalled-client.c: a program built from the uninstalled fraisewire-1.pc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs no server: an invalid connection string must fail in
 * fraise_client_new() with FRAISE_ERROR_CONFIG naming the keyword.
 */

#include <fraisewire/fraisewire.h>
#include <stdio.h>
#include <string.h>

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = fraise_client_new ("host=localhost no_such_option=1", &error);

  if (client != NULL || !g_error_matches (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG) ||
      strstr (error->message, "no_such_option") == NULL)
    {
      printf ("FAIL: expected a FRAISE_ERROR_CONFIG error naming no_such_option, got %s\n",
              error != NULL ? error->message : "no error");
      return 1;
    }
  printf ("ok: %s (fraisewire %s)\n", error->message, FRAISE_VERSION_S);
  return 0;
}
