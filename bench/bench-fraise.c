/* bench-fraise.c: stream one relation with fraisewire, once
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-fraise MODE CONNINFO SOURCE [LIMIT]
 *
 *   raw     fraise_stream_next_sync () loop, fraise_row_get_text () per row
 *   parsed  fraise_stream_next_sync () loop, fraise_row_get_node () per row
 *   field   fraise_stream_next_sync () loop, fraise_row_get_string (row, "name")
 *   fields  fraise_stream_next_sync () loop, a FraiseRowReader of 5 fields (id,
 *           name, email, score, address.city) read per row, one pass
 *   typed   fraise_stream_next_sync () loop, fraise_row_dup_object () per row into
 *           a BenchUser (bench-user.h), its name read
 *   batch   fraise_stream_next_batch_sync () loop, fraise_row_get_text () per row
 *   signal  fraise_stream_start () and the `rows` signal on a GMainLoop,
 *           fraise_row_get_text () per row
 *   sql     print the SQL text the query sends, and exit (no connection)
 *
 * The query is fraise_client_query (client, SOURCE) with the default flow
 * options (chunk-size 256, max-memory 8 MiB) unless the environment sets
 * FRAISE_BENCH_CHUNK_SIZE (rows) or FRAISE_BENCH_MAX_MEMORY (bytes), for
 * experiments. Prints one result line (see bench-common.h).
 */

#include <fraisewire/fraisewire.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "bench-user.h"

typedef enum {
  MODE_RAW,
  MODE_PARSED,
  MODE_FIELD,
  MODE_TYPED,
  MODE_FIELDS,
  MODE_BATCH,
  MODE_SIGNAL,
  MODE_SQL,
} Mode;

typedef struct {
  unsigned long long rows;
  unsigned long long bytes;
  unsigned long long check;
} Totals;

typedef struct {
  Totals *totals;
  GMainLoop *loop;
  GError *error;
} SignalRun;

static void consume_text (FraiseRow *row, Totals *totals);

static void
on_rows (FraiseStream *stream, GPtrArray *rows, gpointer user_data)
{
  SignalRun *run = user_data;

  for (guint i = 0; i < rows->len; i++)
    consume_text (g_ptr_array_index (rows, i), run->totals);
}

static void
on_finished (FraiseStream *stream, const GError *error, gpointer user_data)
{
  SignalRun *run = user_data;

  if (error != NULL)
    run->error = g_error_copy (error);
  g_main_loop_quit (run->loop);
}

static void
apply_flow_options (FraiseQuery *query)
{
  const char *chunk_size = g_getenv ("FRAISE_BENCH_CHUNK_SIZE");
  const char *max_memory = g_getenv ("FRAISE_BENCH_MAX_MEMORY");

  if (chunk_size != NULL && *chunk_size != '\0')
    fraise_query_set_chunk_size (query, (guint) g_ascii_strtoull (chunk_size, NULL, 10));
  if (max_memory != NULL && *max_memory != '\0')
    fraise_query_set_max_memory (query, g_ascii_strtoull (max_memory, NULL, 10));
}

static void G_GNUC_NORETURN
die (const char *what, const GError *error)
{
  g_printerr ("bench-fraise: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static void
consume_text (FraiseRow *row, Totals *totals)
{
  gsize len;
  const char *text = fraise_row_get_text (row, &len);

  totals->rows++;
  totals->bytes += len;
  totals->check += (unsigned char) text[len / 2];
}

static void
consume_node (FraiseRow *row, Totals *totals)
{
  GError *error = NULL;
  gsize len;
  JsonNode *node;

  fraise_row_get_text (row, &len);
  node = fraise_row_get_node (row, &error);
  if (node == NULL)
    die ("fraise_row_get_node", error);
  totals->rows++;
  totals->bytes += len;
  if (JSON_NODE_HOLDS_OBJECT (node))
    totals->check += json_object_get_size (json_node_get_object (node));
}

static void
consume_object (FraiseRow *row, Totals *totals)
{
  GError *error = NULL;
  gsize len;
  BenchUser *user;

  fraise_row_get_text (row, &len);
  user = (BenchUser *) fraise_row_dup_object (row, BENCH_TYPE_USER, &error);
  if (user == NULL)
    die ("fraise_row_dup_object", error);
  totals->rows++;
  totals->bytes += len;
  totals->check += strlen (user->name) + (user->address != NULL ? strlen (user->address->city) : 0);
  g_object_unref (user);
}

/* Five fields in one pass; a missing one (rows of another shape) counts 0. */
static void
consume_fields (FraiseRowReader *reader, FraiseRow *row, Totals *totals)
{
  GError *error = NULL;
  gsize len;
  char *name;

  fraise_row_get_text (row, &len);
  if (!fraise_row_reader_read (reader, row, &error))
    die ("fraise_row_reader_read", error);
  totals->rows++;
  totals->bytes += len;
  if (fraise_row_reader_has_value (reader, 0))
    totals->check += (unsigned long long) fraise_row_reader_get_int (reader, 0, NULL);
  if ((name = fraise_row_reader_dup_string (reader, 1, NULL)) != NULL)
    totals->check += strlen (name);
  g_free (name);
  if (fraise_row_reader_has_value (reader, 3))
    totals->check += (unsigned long long) fraise_row_reader_get_double (reader, 3, NULL);
  if (fraise_row_reader_has_value (reader, 2))
    totals->check++;
  if (fraise_row_reader_has_value (reader, 4))
    totals->check++;
}

static void
consume_field (FraiseRow *row, Totals *totals)
{
  GError *error = NULL;
  gsize len;
  char *name;

  fraise_row_get_text (row, &len);
  name = fraise_row_get_string (row, "name", &error);
  if (name == NULL)
    die ("fraise_row_get_string", error);
  totals->rows++;
  totals->bytes += len;
  totals->check += strlen (name);
  g_free (name);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  Totals totals = { 0, 0, 0 };
  BenchClock start;
  g_autoptr (FraiseRowReader) reader = NULL;
  static const char *const reader_paths[] = {
    "id", "name", "email", "score", "address.city", NULL
  };
  FraiseRow *row;
  Mode mode;

  if (argc < 4)
    {
      g_printerr (
        "usage: bench-fraise raw|parsed|field|fields|typed|batch|signal|sql CONNINFO SOURCE [LIMIT]\n");
      return 2;
    }
  if (strcmp (argv[1], "raw") == 0)
    mode = MODE_RAW;
  else if (strcmp (argv[1], "parsed") == 0)
    mode = MODE_PARSED;
  else if (strcmp (argv[1], "field") == 0)
    mode = MODE_FIELD;
  else if (strcmp (argv[1], "typed") == 0)
    mode = MODE_TYPED;
  else if (strcmp (argv[1], "fields") == 0)
    mode = MODE_FIELDS;
  else if (strcmp (argv[1], "batch") == 0)
    mode = MODE_BATCH;
  else if (strcmp (argv[1], "signal") == 0)
    mode = MODE_SIGNAL;
  else if (strcmp (argv[1], "sql") == 0)
    mode = MODE_SQL;
  else
    {
      g_printerr ("bench-fraise: unknown mode %s\n", argv[1]);
      return 2;
    }

  if (mode == MODE_SQL)
    {
      g_autofree char *sql = NULL;

      query = fraise_query_new (argv[3]);
      if (argc > 4)
        fraise_query_set_limit (query, g_ascii_strtoll (argv[4], NULL, 10));
      sql = fraise_query_to_sql (query, &error);
      if (sql == NULL)
        die ("fraise_query_to_sql", error);
      printf ("%s\n", sql);
      return 0;
    }

  if (mode == MODE_FIELDS && (reader = fraise_row_reader_new (reader_paths, &error)) == NULL)
    die ("fraise_row_reader_new", error);
  client = fraise_client_new (argv[2], &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    die ("connect", error);

  start = bench_clock_start ();
  query = fraise_client_query (client, argv[3]);
  if (argc > 4)
    fraise_query_set_limit (query, g_ascii_strtoll (argv[4], NULL, 10));
  apply_flow_options (query);
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    die ("execute", error);

  if (mode == MODE_SIGNAL)
    {
      SignalRun run = { &totals, g_main_loop_new (NULL, FALSE), NULL };

      g_signal_connect (stream, "rows", G_CALLBACK (on_rows), &run);
      g_signal_connect (stream, "finished", G_CALLBACK (on_finished), &run);
      fraise_stream_start (stream);
      g_main_loop_run (run.loop);
      g_main_loop_unref (run.loop);
      if (run.error != NULL)
        die ("rows signal", run.error);
    }
  else if (mode == MODE_BATCH)
    {
      for (;;)
        {
          GPtrArray *batch = fraise_stream_next_batch_sync (stream, NULL, &error);

          if (batch == NULL)
            die ("next_batch", error);
          if (batch->len == 0)
            {
              g_ptr_array_unref (batch);
              break;
            }
          for (guint i = 0; i < batch->len; i++)
            consume_text (g_ptr_array_index (batch, i), &totals);
          g_ptr_array_unref (batch);
        }
    }
  else
    {
      while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
        {
          if (mode == MODE_RAW)
            consume_text (row, &totals);
          else if (mode == MODE_PARSED)
            consume_node (row, &totals);
          else if (mode == MODE_TYPED)
            consume_object (row, &totals);
          else if (mode == MODE_FIELDS)
            consume_fields (reader, row, &totals);
          else
            consume_field (row, &totals);
          fraise_row_unref (row);
        }
      if (error != NULL)
        die ("next", error);
    }

  bench_report (&start, totals.rows, totals.bytes, totals.check);
  return 0;
}
