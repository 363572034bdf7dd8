/* error-handling: one failure of each kind, with its category and actionable message
 *
 * Usage: error-handling [CONNINFO]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <locale.h>

static void
report (const char *what, const GError *error)
{
  FraiseServerMessage *message = fraise_error_get_server_message (error);

  g_print ("%-22s [%s%s] %s\n", what, fraise_error_get_category (error),
           fraise_error_is_retriable (error) ? ", retriable" : "", error->message);
  if (message != NULL && fraise_server_message_get_sqlstate (message) != NULL)
    g_print ("%-22s  SQLSTATE %s\n", "", fraise_server_message_get_sqlstate (message));
}

/* Runs @query to the end and reports the error it ends with (if any). */
static void
run_and_report (const char *what, FraiseQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseStream) stream = fraise_query_execute_sync (query, NULL, &error);
  FraiseRow *row;

  while (stream != NULL && (row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    fraise_row_unref (row);
  if (error != NULL)
    report (what, error);
  else
    g_print ("%-22s no error\n", what);
}

int
main (int argc, char **argv)
{
  const char *uri = argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI");
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseClient) refused = NULL;
  g_autoptr(FraiseQuery) missing = NULL;
  g_autoptr(FraiseQuery) wrong_type = NULL;
  g_autoptr(FraiseQuery) too_big = NULL;
  g_autoptr(FraiseQuery) slow = NULL;
  g_autoptr(FraiseQuery) cancelled = NULL;
  g_autoptr(FraiseStream) stream = NULL;

  setlocale (LC_ALL, "");

  /* config: caught before anything is sent */
  g_assert_null (fraise_client_new ("host=localhost sslmode=maybe", &error));
  report ("bad connection string", error);
  g_clear_error (&error);

  /* connection: nothing listens on port 1 */
  refused = fraise_client_new ("host=127.0.0.1 port=1 user=u dbname=d sslmode=disable", NULL);
  if (!fraise_client_connect_sync (refused, NULL, &error))
    report ("connection refused", error);
  g_clear_error (&error);

  client = fraise_client_new (uri, &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    {
      g_printerr ("error-handling: %s\n", error->message);
      return 1;
    }

  /* server: the relation does not exist (the client stays usable) */
  missing = fraise_client_query (client, "v_usr");
  run_and_report ("missing relation", missing);

  /* schema: the column is text, not json */
  wrong_type = fraise_client_query (client, "v_text_column");
  run_and_report ("wrong column type", wrong_type);

  /* limit: rows larger than max-row-size */
  too_big = fraise_client_query (client, "v_bench_1k");
  fraise_query_set_max_memory (too_big, 64);
  run_and_report ("row over max-memory", too_big);

  /* timeout: a client deadline cancels the query on the server */
  slow = fraise_client_query (client, "v_slow");
  fraise_query_set_timeout (slow, 200);
  run_and_report ("client deadline", slow);

  /* cancelled: the application stops the stream */
  cancelled = fraise_client_query (client, "v_bench_100k");
  stream = fraise_query_execute_sync (cancelled, NULL, &error);
  if (stream != NULL)
    {
      FraiseRow *row = fraise_stream_next_sync (stream, NULL, &error);
      g_clear_pointer (&row, fraise_row_unref);
      fraise_stream_cancel (stream);
      while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
        fraise_row_unref (row);
    }
  if (error != NULL)
    report ("cancelled stream", error);
  g_clear_error (&error);

  /* after all that, the same connection still works */
  g_clear_object (&missing);
  missing = fraise_client_query (client, "v_task");
  run_and_report ("next query", missing);
  return fraise_client_is_connected (client) ? 0 : 1;
}
