/* fraise-launch.c: run a pipeline description from the command line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   fraise-launch [--uri URI] [--stats] [--progress] [--json-errors] DESCRIPTION...
 *
 * Each argument after the options is one token of the description (a lone
 * `!` links two elements), or a single argument holds the whole
 * description: the argument vector goes to fraise_pipeline_new_from_argv()
 * as it is, never re-joined or re-quoted, so what the shell quoted stays
 * quoted. Options end at the first argument that is not one (strict POSIX
 * parsing), so a token such as `expr=-5` is never taken for an option.
 *
 * Interrupts, unlike gst-launch (which exits 0 when interrupted): the first
 * SIGINT or SIGTERM stops the pipeline as a STOP does (the query is
 * cancelled and drained, every element finishes, sinks write out complete
 * lines), then the process exits 130 or 143; a second one exits at once
 * with its code. The first signal is a g_unix_signal_add() watch, handled
 * on the main loop like any other event. The second must work even when
 * the main loop cannot run (a sink blocked in a write to a full pipe), so
 * once the first has come the watches are removed and a plain handler that
 * only calls _exit() takes their place (left to the default action, the
 * second signal would kill the process by the signal, not exit with 130).
 *
 * Exit codes: 0 done, 1 runtime error, 2 usage or parse error, 130 and 143
 * interrupted.
 */

#include "fraise-launch-report.h"
#include "fraise-tool-json.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

enum {
  EXIT_DONE = 0,
  EXIT_RUNTIME = 1,
  EXIT_USAGE = 2,
  EXIT_SIGINT = 128 + SIGINT,
  EXIT_SIGTERM = 128 + SIGTERM,
};

typedef struct {
  /* options */
  char *uri;
  gboolean stats;
  gboolean progress;
  gboolean json_errors;
  gboolean explain;
  gboolean version;
  char **description;

  GMainLoop *loop;
  GCancellable *connecting; /* cancelled by a signal that comes before the run */
  FraiseClient *client;
  FraisePipeline *pipeline;
  FraiseLaunchReport *report;
  guint signal_sources[2];
  gboolean ran;    /* connected, and the pipeline was started */
  int interrupted; /* the exit code of the first signal, 0 if none */
  GError *error;   /* the run's failure */
} Launch;

static void
print_error (Launch *launch, const GError *error)
{
  if (launch->json_errors)
    {
      GString *out = g_string_new (NULL);

      fraise_tool_json_error (out, error);
      g_printerr ("%s\n", out->str);
      g_string_free (out, TRUE);
    }
  else
    g_printerr ("%s: %s\n", g_get_prgname (), error->message);
}

/* ---- signals ---------------------------------------------------------------- */

/* The second signal: no waiting for the drain or for a blocked sink. */
static void
exit_at_once (int signum)
{
  _exit (128 + signum);
}

/* Runs once the watches are gone (GLib restores the default action when
 * the last watch of a signal goes, after its callback has returned). */
static gboolean
install_exit_at_once (gpointer user_data)
{
  struct sigaction action = { 0 };

  action.sa_handler = exit_at_once;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_signal (Launch *launch, int code)
{
  launch->interrupted = code;
  for (guint i = 0; i < G_N_ELEMENTS (launch->signal_sources); i++)
    g_clear_handle_id (&launch->signal_sources[i], g_source_remove);
  g_idle_add_full (G_PRIORITY_HIGH, install_exit_at_once, NULL, NULL);

  if (launch->pipeline != NULL &&
      fraise_pipeline_get_state (launch->pipeline) == FRAISE_PIPELINE_STATE_RUNNING)
    fraise_pipeline_stop (launch->pipeline);
  else
    g_cancellable_cancel (launch->connecting);
}

static gboolean
on_sigint (gpointer user_data)
{
  on_signal (user_data, EXIT_SIGINT);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sigterm (gpointer user_data)
{
  on_signal (user_data, EXIT_SIGTERM);
  return G_SOURCE_REMOVE;
}

/* ---- the run ---------------------------------------------------------------- */

static void
on_run_finished (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Launch *launch = user_data;

  fraise_pipeline_run_finish (FRAISE_PIPELINE (object), result, &launch->error);
  fraise_launch_report_end (launch->report);
  g_main_loop_quit (launch->loop);
}

static void
on_explained (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Launch *launch = user_data;
  g_autoptr (FraiseExplanation) explanation = NULL;
  g_autofree char *text = NULL;

  explanation = fraise_pipeline_explain_finish (FRAISE_PIPELINE (object), result, &launch->error);
  if (explanation != NULL)
    {
      text = fraise_explanation_to_string (explanation);
      g_print ("%s", text);
    }
  g_main_loop_quit (launch->loop);
}

static void
on_connected (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Launch *launch = user_data;

  if (!fraise_client_connect_finish (FRAISE_CLIENT (object), result, &launch->error))
    {
      g_main_loop_quit (launch->loop);
      return;
    }
  if (launch->interrupted != 0)
    {
      /* Interrupted while connecting, too late to cancel the connection. */
      g_main_loop_quit (launch->loop);
      return;
    }
  if (launch->explain)
    {
      fraise_pipeline_explain_async (launch->pipeline, launch->client, launch->connecting,
                                     on_explained, launch);
      return;
    }
  launch->ran = TRUE;
  fraise_launch_report_start (launch->report);
  fraise_pipeline_run_async (launch->pipeline, launch->client, NULL, on_run_finished, launch);
}

static int
run (Launch *launch)
{
  launch->loop = g_main_loop_new (NULL, FALSE);
  launch->connecting = g_cancellable_new ();
  launch->signal_sources[0] = g_unix_signal_add (SIGINT, on_sigint, launch);
  launch->signal_sources[1] = g_unix_signal_add (SIGTERM, on_sigterm, launch);
  launch->report =
    fraise_launch_report_new (launch->pipeline, launch->progress || isatty (STDERR_FILENO));

  fraise_client_connect_async (launch->client, launch->connecting, on_connected, launch);
  g_main_loop_run (launch->loop);

  if (launch->error != NULL && !(launch->interrupted != 0 &&
                                 g_error_matches (launch->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    print_error (launch, launch->error);
  if (launch->ran && launch->stats)
    fraise_launch_report_print_stats (launch->report);
  else if (launch->ran)
    fraise_launch_report_print_messages (launch->report);

  if (launch->interrupted != 0)
    return launch->interrupted;
  return launch->error != NULL ? EXIT_RUNTIME : EXIT_DONE;
}

static void
launch_clear (Launch *launch)
{
  for (guint i = 0; i < G_N_ELEMENTS (launch->signal_sources); i++)
    g_clear_handle_id (&launch->signal_sources[i], g_source_remove);
  g_clear_pointer (&launch->report, fraise_launch_report_free);
  g_clear_object (&launch->pipeline);
  g_clear_object (&launch->client);
  g_clear_object (&launch->connecting);
  g_clear_pointer (&launch->loop, g_main_loop_unref);
  g_clear_error (&launch->error);
  g_free (launch->uri);
  g_strfreev (launch->description);
}

/* ---- options ---------------------------------------------------------------- */

static void
bind_catalog (void)
{
  const char *dir = g_getenv ("FRAISE_LOCALEDIR");

  /* As the library does: FRAISE_LOCALEDIR points at an uninstalled catalog,
   * except in a setuid or setgid process. */
  if (getuid () != geteuid () || getgid () != getegid ())
    dir = NULL;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static GOptionContext *
make_option_context (Launch *launch)
{
  const GOptionEntry entries[] = {
    { "uri", 'u', 0, G_OPTION_ARG_STRING, &launch->uri,
      N_ ("Connection string (URI or key=value); default: the PG* environment variables"),
          N_ ("URI") },
      { "stats", 's', 0, G_OPTION_ARG_NONE, &launch->stats,
        N_ ("Print the final figures and each element's counters on stderr"), NULL },
        { "progress", 'p', 0, G_OPTION_ARG_NONE, &launch->progress,
          N_ ("Show the progress line even when stderr is not a terminal"), NULL },
          { "json-errors", 'j', 0, G_OPTION_ARG_NONE, &launch->json_errors,
            N_ ("Print errors as one JSON object on stderr"), NULL },
            { "explain", 'x', 0, G_OPTION_ARG_NONE, &launch->explain,
              N_ ("Do not run: print the SQL that would be sent, what stays on the client and "
                "why, the server's plan, and index advice"),
                  NULL },
              { "version", 'V', 0, G_OPTION_ARG_NONE, &launch->version,
                N_ ("Print the version and exit"), NULL },
                { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &launch->description, NULL,
                  N_ ("DESCRIPTION…") },
                  G_OPTION_ENTRY_NULL,
              };
  GOptionContext *context = g_option_context_new (NULL);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_summary (context,
                                _ ("Runs a pipeline description on a PostgreSQL server, e.g.\n"
                                   "  fraise-launch query source=v_user ! limit count=10 ! "
                                   "jsonl-sink"));
  g_option_context_set_description (context,
                                    _ ("Exit status: 0 done, 1 runtime error, 2 usage or parse "
                                       "error, 130 or 143 interrupted by SIGINT or SIGTERM.\n"
                                       "See fraise-launch(1); fraise-inspect lists the "
                                       "elements."));
  return context;
}

static void
usage_error (Launch *launch, const GError *error)
{
  print_error (launch, error);
  if (!launch->json_errors)
    g_printerr (_ ("Run “%s --help” to see the options.\n"), g_get_prgname ());
}

int
main (int argc, char **argv)
{
  Launch launch = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  bind_catalog ();
  g_set_prgname ("fraise-launch");
  context = make_option_context (&launch);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      usage_error (&launch, error);
      launch_clear (&launch);
      return EXIT_USAGE;
    }
  if (launch.version)
    {
      g_print ("fraise-launch %s\n", FRAISE_VERSION_S);
      launch_clear (&launch);
      return EXIT_DONE;
    }
  if (launch.description == NULL || launch.description[0] == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _ ("no pipeline description given"));
      usage_error (&launch, error);
      launch_clear (&launch);
      return EXIT_USAGE;
    }

  launch.pipeline = fraise_pipeline_new_from_argv ((const char *const *) launch.description,
                                                   FRAISE_PARSE_FLAG_NONE, &error);
  if (launch.pipeline != NULL)
    launch.client = fraise_client_new (launch.uri, &error);
  if (launch.client == NULL)
    {
      print_error (&launch, error);
      launch_clear (&launch);
      return EXIT_USAGE;
    }

  status = run (&launch);
  launch_clear (&launch);
  return status;
}
