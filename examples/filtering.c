/* filtering: safe server-side conditions, raw SQL predicates and a client-side filter
 *
 * Usage: filtering [CONNINFO]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <locale.h>

/* Client-side predicate: keep users whose name has an accented letter. */
static gboolean
has_non_ascii_name (FraiseRow *row, gpointer user_data)
{
  g_autofree char *name = fraise_row_get_string (row, "name", NULL);
  const char *p;

  for (p = name; p != NULL && *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return TRUE;
  return FALSE;
}

static gboolean
run (FraiseQuery *query, const char *title, GError **error)
{
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseStreamStats) stats = NULL;
  g_autofree char *sql = fraise_query_to_sql (query, error);
  FraiseRow *row;

  if (sql == NULL)
    return FALSE;
  g_print ("== %s\n   %s\n", title, sql);
  stream = fraise_query_execute_sync (query, NULL, error);
  if (stream == NULL)
    return FALSE;
  while ((row = fraise_stream_next_sync (stream, NULL, error)) != NULL)
    {
      g_autofree char *name = fraise_row_get_string (row, "name", NULL);
      g_print ("   %s\n", name ? name : "(no name)");
      fraise_row_unref (row);
    }
  stats = fraise_stream_get_stats (stream);
  g_print ("   %" G_GUINT64_FORMAT " delivered, %" G_GUINT64_FORMAT " filtered on the client\n",
           stats->rows_delivered, stats->rows_filtered);
  return *error == NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) safe = NULL;
  g_autoptr(FraiseQuery) raw = NULL;
  g_autoptr(FraiseQuery) client_side = NULL;

  setlocale (LC_ALL, "");

  client = fraise_client_new (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI"), &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;

  /* Values are always rendered as escaped literals: this one is harmless.
   * Conditions have the filter language's semantics: "ne" keeps projects
   * whose status is present and different, and "ge" on a number skips a
   * budget that is not a JSON number (never a cast error). */
  safe = fraise_client_query (client, "v_project");
  if (!fraise_query_add_condition (safe, "status", FRAISE_OPERATOR_NE,
                                   g_variant_new_string ("x' OR '1'='1"), &error) ||
      !fraise_query_add_condition (safe, "budget", FRAISE_OPERATOR_GE, g_variant_new_int64 (0),
                                   &error))
    goto fail;
  if (!run (safe, "safe conditions", &error))
    goto fail;

  raw = fraise_client_query (client, "v_project");
  fraise_query_add_where_sql (raw, "data->>'status' = 'active' OR data->>'status' = 'planning'");
  fraise_query_add_where_sql (raw, "jsonb_typeof(data->'tags') = 'array'");
  if (!run (raw, "raw SQL predicates (each one parenthesised, then ANDed)", &error))
    goto fail;

  client_side = fraise_client_query (client, "v_user");
  fraise_query_set_filter_func (client_side, has_non_ascii_name, NULL, NULL);
  if (!run (client_side, "client-side filter", &error))
    goto fail;
  return 0;

fail:
  g_printerr ("filtering: %s\n", error->message);
  return 1;
}
