/* fraise-launch-report.c: what fraise-launch tells on stderr while and after a run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything here goes to stderr, never to stdout, which belongs to the
 * sinks: a piped run writes the same bytes with or without a progress line.
 *
 * The progress line is rewritten in place with a carriage return from a
 * timeout on the main context (the rows-processed property is notified once
 * per batch, which can be thousands of times a second, or never for a long
 * time on a slow query). It is padded with spaces over the previous one
 * instead of using a terminal's erase sequence, so that a forced
 * --progress into a file or a pipe stays readable text.
 */

#include "fraise-launch-report.h"
#include "fraise-tool-json.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#define PROGRESS_INTERVAL_MS 200

struct _FraiseLaunchReport {
  FraisePipeline *pipeline;
  gulong message_handler;
  GPtrArray *messages; /* "element: {json}" lines */
  gboolean progress;
  guint progress_source;
  gsize progress_width; /* characters of the line on screen now */
  gint64 start_us;
  gint64 end_us;
};

static void
on_element_message (FraisePipeline *pipeline,
                    FraiseElement *element,
                    GVariant *message,
                    gpointer user_data)
{
  FraiseLaunchReport *report = user_data;
  GString *line = g_string_new (fraise_element_get_name (element));

  g_string_append (line, ": ");
  fraise_tool_json_variant (line, message);
  g_ptr_array_add (report->messages, g_string_free (line, FALSE));
}

FraiseLaunchReport *
fraise_launch_report_new (FraisePipeline *pipeline, gboolean progress)
{
  FraiseLaunchReport *report = g_new0 (FraiseLaunchReport, 1);

  report->pipeline = g_object_ref (pipeline);
  report->messages = g_ptr_array_new_with_free_func (g_free);
  report->progress = progress;
  report->message_handler =
    g_signal_connect (pipeline, "element-message", G_CALLBACK (on_element_message), report);
  return report;
}

void
fraise_launch_report_free (FraiseLaunchReport *report)
{
  g_clear_handle_id (&report->progress_source, g_source_remove);
  g_clear_signal_handler (&report->message_handler, report->pipeline);
  g_object_unref (report->pipeline);
  g_ptr_array_unref (report->messages);
  g_free (report);
}

static double
elapsed_seconds (FraiseLaunchReport *report)
{
  gint64 end = report->end_us != 0 ? report->end_us : g_get_monotonic_time ();

  return report->start_us != 0 ? (end - report->start_us) / 1e6 : 0.0;
}

static guint64
bytes_received (FraiseLaunchReport *report)
{
  FraiseStream *stream = fraise_pipeline_get_stream (report->pipeline);
  g_autoptr (FraiseStreamStats) stats = NULL;

  if (stream == NULL)
    return 0;
  stats = fraise_stream_get_stats (stream);
  return stats->bytes_received;
}

static double
per_second (double amount, double seconds)
{
  return seconds > 0 ? amount / seconds : 0.0;
}

/* "12345 rows, 6172 rows/s, 2.7 MB/s, 2.0 s" */
static char *
format_progress (FraiseLaunchReport *report)
{
  guint64 rows = fraise_pipeline_get_rows_processed (report->pipeline);
  double mb = bytes_received (report) / 1e6;
  double seconds = elapsed_seconds (report);
  g_autofree char *rows_text = g_strdup_printf ("%" G_GUINT64_FORMAT, rows);
  g_autofree char *rate_text = g_strdup_printf ("%.0f", per_second (rows, seconds));

  /* TRANSLATORS: the progress line: rows, rows per second, megabytes per
     second, seconds since the start */
  return g_strdup_printf (_("%s rows, %s rows/s, %.1f MB/s, %.1f s"), rows_text, rate_text,
                             per_second (mb, seconds), seconds);
}

static void
write_progress (FraiseLaunchReport *report, const char *text)
{
  gsize width = text != NULL ? g_utf8_strlen (text, -1) : 0;
  GString *line = g_string_new ("\r");

  if (text != NULL)
    g_string_append (line, text);
  for (gsize i = width; i < report->progress_width; i++)
    g_string_append_c (line, ' ');
  if (text == NULL)
    g_string_append_c (line, '\r');
  fputs (line->str, stderr);
  fflush (stderr);
  g_string_free (line, TRUE);
  report->progress_width = width;
}

static gboolean
on_progress_tick (gpointer user_data)
{
  FraiseLaunchReport *report = user_data;
  g_autofree char *text = format_progress (report);

  write_progress (report, text);
  return G_SOURCE_CONTINUE;
}

void
fraise_launch_report_start (FraiseLaunchReport *report)
{
  report->start_us = g_get_monotonic_time ();
  report->end_us = 0;
  if (report->progress && report->progress_source == 0)
    report->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, on_progress_tick, report);
}

void
fraise_launch_report_end (FraiseLaunchReport *report)
{
  if (report->end_us == 0)
    report->end_us = g_get_monotonic_time ();
  g_clear_handle_id (&report->progress_source, g_source_remove);
  if (report->progress_width > 0)
    write_progress (report, NULL);
}

void
fraise_launch_report_print_messages (FraiseLaunchReport *report)
{
  for (guint i = 0; i < report->messages->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (report->messages, i));
}

static void
print_element (FraiseElement *element, const char *indent)
{
  g_autofree char *in =
    g_strdup_printf ("%" G_GUINT64_FORMAT, fraise_element_get_rows_in (element));
  g_autofree char *out =
    g_strdup_printf ("%" G_GUINT64_FORMAT, fraise_element_get_rows_out (element));
  g_autofree char *dropped =
    g_strdup_printf ("%" G_GUINT64_FORMAT, fraise_element_get_rows_dropped (element));
  g_autofree char *routed =
    g_strdup_printf ("%" G_GUINT64_FORMAT, fraise_element_get_rows_routed (element));

  /* TRANSLATORS: --stats, one line per element: its name, then rows in,
     out, dropped and routed to the dead-letter branch */
  g_printerr (_("%s%s: %s in, %s out, %s dropped, %s routed\n"), indent,
                 fraise_element_get_name (element), in, out, dropped, routed);
}

static void
print_chain (GPtrArray *chain, const char *indent)
{
  for (guint i = 0; i < chain->len; i++)
    print_element (g_ptr_array_index (chain, i), indent);
}

void
fraise_launch_report_print_stats (FraiseLaunchReport *report)
{
  guint64 rows = fraise_pipeline_get_rows_processed (report->pipeline);
  guint64 bytes = bytes_received (report);
  double seconds = elapsed_seconds (report);
  g_autofree char *rows_text = g_strdup_printf ("%" G_GUINT64_FORMAT, rows);
  g_autofree char *bytes_text = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  g_autofree char *rate_text = g_strdup_printf ("%.0f", per_second (rows, seconds));
  g_autoptr (GPtrArray) elements = fraise_pipeline_get_elements (report->pipeline);
  g_autoptr (GPtrArray) dead_letter = fraise_pipeline_get_dead_letter_elements (report->pipeline);

  /* TRANSLATORS: --stats, the totals: rows, bytes of JSON, seconds, rows
     per second, megabytes per second */
  g_printerr (_("%s rows, %s bytes in %.3f s (%s rows/s, %.1f MB/s)\n"), rows_text, bytes_text,
                 seconds, rate_text, per_second (bytes / 1e6, seconds));
  print_chain (elements, "  ");
  if (dead_letter->len > 0)
    {
      g_printerr (_("  errors:\n"));
      print_chain (dead_letter, "    ");
    }
  fraise_launch_report_print_messages (report);
}
