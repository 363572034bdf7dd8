/* basic-query: connect, run one query, print each row
 *
 * Usage: basic-query [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <locale.h>

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  FraiseRow *row;

  setlocale (LC_ALL, "");

  client = fraise_client_new (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI"), &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;

  query = fraise_client_query (client, "v_project");
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    goto fail;

  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_autofree char *name = fraise_row_get_string (row, "name", NULL);

      g_print ("%" G_GUINT64_FORMAT ": %s\n", fraise_row_get_index (row), name ? name : "?");
      fraise_row_unref (row);
    }
  if (error != NULL)
    goto fail;
  return 0;

fail:
  g_printerr ("basic-query: %s\n", error->message);
  return 1;
}
