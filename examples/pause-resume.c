/* pause-resume: push mode with the rows signal; pause from a handler, resume from a timer
 *
 * Usage: pause-resume [CONNINFO]
 *
 * While paused, the socket is not read: TCP flow control holds the server back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>

typedef struct {
  GMainLoop *loop;
  guint64 rows;
  guint pauses;
  GError *error;
} State;

static gboolean
resume_later (gpointer user_data)
{
  FraiseStream *stream = user_data;

  g_print ("  resuming (state was %s)\n",
           fraise_stream_get_state (stream) == FRAISE_STREAM_STATE_PAUSED ? "paused" : "?");
  fraise_stream_resume (stream);
  return G_SOURCE_REMOVE;
}

static void
on_rows (FraiseStream *stream, GPtrArray *rows, State *state)
{
  state->rows += rows->len;
  /* Pretend the consumer is busy every 20,000 rows. */
  if (state->rows / 20000 > state->pauses)
    {
      state->pauses++;
      g_print ("  %" G_GUINT64_FORMAT " rows: pausing for 100 ms\n", state->rows);
      fraise_stream_pause (stream, "consumer busy");
      g_timeout_add (100, resume_later, stream);
    }
}

static void
on_finished (FraiseStream *stream, const GError *error, State *state)
{
  if (error != NULL)
    state->error = g_error_copy (error);
  g_main_loop_quit (state->loop);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  State state = { 0 };

  client = fraise_client_new (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI"), &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;
  query = fraise_client_query (client, "v_bench_100k");
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    goto fail;

  state.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (stream, "rows", G_CALLBACK (on_rows), &state);
  g_signal_connect (stream, "finished", G_CALLBACK (on_finished), &state);
  fraise_stream_start (stream);
  g_main_loop_run (state.loop);
  g_main_loop_unref (state.loop);

  if (state.error != NULL)
    {
      error = state.error;
      goto fail;
    }
  g_print ("%" G_GUINT64_FORMAT " rows with %u pauses\n", state.rows, state.pauses);
  return state.rows == 100000 ? 0 : 1;

fail:
  g_printerr ("pause-resume: %s\n", error->message);
  return 1;
}
