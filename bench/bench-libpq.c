/* bench-libpq.c: stream one relation with libpq, once (the reference)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-libpq MODE CONNINFO SQL
 *
 *   single       PQsendQuery () + PQsetSingleRowMode (), PQgetvalue () per row
 *   single-json  the same, and json_parser_load_from_data () per row (one
 *                JsonParser reused for every row, as a careful user would)
 *   exec         PQexec (): the whole result is buffered, then walked
 *
 * Prints one result line (see bench-common.h).
 */

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

typedef enum {
  MODE_SINGLE,
  MODE_SINGLE_JSON,
  MODE_EXEC,
} Mode;

static void G_GNUC_NORETURN
die (const char *what, const char *message)
{
  fprintf (stderr, "bench-libpq: %s: %s\n", what, message);
  exit (1);
}

int
main (int argc, char **argv)
{
  unsigned long long rows = 0, bytes = 0, check = 0;
  JsonParser *parser = NULL;
  BenchClock start;
  PGresult *res;
  PGconn *conn;
  Mode mode;

  if (argc < 4)
    {
      fprintf (stderr, "usage: bench-libpq single|single-json|exec CONNINFO SQL\n");
      return 2;
    }
  if (strcmp (argv[1], "single") == 0)
    mode = MODE_SINGLE;
  else if (strcmp (argv[1], "single-json") == 0)
    mode = MODE_SINGLE_JSON;
  else if (strcmp (argv[1], "exec") == 0)
    mode = MODE_EXEC;
  else
    die ("unknown mode", argv[1]);

  conn = PQconnectdb (argv[2]);
  if (PQstatus (conn) != CONNECTION_OK)
    die ("connect", PQerrorMessage (conn));
  if (mode == MODE_SINGLE_JSON)
    parser = json_parser_new ();

  start = bench_clock_start ();

  if (mode == MODE_EXEC)
    {
      int n;

      res = PQexec (conn, argv[3]);
      if (PQresultStatus (res) != PGRES_TUPLES_OK)
        die ("PQexec", PQresultErrorMessage (res));
      n = PQntuples (res);
      for (int i = 0; i < n; i++)
        {
          const char *value = PQgetvalue (res, i, 0);
          int len = PQgetlength (res, i, 0);

          rows++;
          bytes += (unsigned long long) len;
          check += (unsigned char) value[len / 2];
        }
      PQclear (res);
    }
  else
    {
      if (!PQsendQuery (conn, argv[3]))
        die ("PQsendQuery", PQerrorMessage (conn));
      if (!PQsetSingleRowMode (conn))
        die ("PQsetSingleRowMode", PQerrorMessage (conn));
      while ((res = PQgetResult (conn)) != NULL)
        {
          ExecStatusType status = PQresultStatus (res);

          if (status == PGRES_SINGLE_TUPLE)
            {
              const char *value = PQgetvalue (res, 0, 0);
              int len = PQgetlength (res, 0, 0);

              rows++;
              bytes += (unsigned long long) len;
              if (parser != NULL)
                {
                  GError *error = NULL;
                  JsonNode *root;

                  if (!json_parser_load_from_data (parser, value, len, &error))
                    die ("json_parser_load_from_data", error->message);
                  root = json_parser_get_root (parser);
                  if (JSON_NODE_HOLDS_OBJECT (root))
                    check += json_object_get_size (json_node_get_object (root));
                }
              else
                check += (unsigned char) value[len / 2];
            }
          else if (status != PGRES_TUPLES_OK)
            die ("PQgetResult", PQresultErrorMessage (res));
          PQclear (res);
        }
    }

  bench_report (&start, rows, bytes, check);
  g_clear_object (&parser);
  PQfinish (conn);
  return 0;
}
