/* ordering: ORDER BY a JSON path with a collation, direction and NULLS placement
 *
 * Usage: ordering [CONNINFO]
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
  g_autofree char *sql = NULL;
  FraiseRow *row;

  setlocale (LC_ALL, "");

  client = fraise_client_new (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI"), &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;

  query = fraise_client_query (client, "v_project");
  /* "C" sorts by byte value; a locale collation such as "und-x-icu" would
   * sort accented names next to their base letters. */
  if (!fraise_query_add_order_by (query, "name", "C", FRAISE_SORT_DESC, FRAISE_NULLS_LAST, &error))
    goto fail;
  fraise_query_set_limit (query, 4);
  sql = fraise_query_to_sql (query, &error);
  if (sql == NULL)
    goto fail;
  g_print ("%s\n", sql);

  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    goto fail;
  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_autofree char *name = fraise_row_get_string (row, "name", NULL);
      g_print ("  %s\n", name);
      fraise_row_unref (row);
    }
  if (error != NULL)
    goto fail;
  return 0;

fail:
  g_printerr ("ordering: %s\n", error->message);
  return 1;
}
