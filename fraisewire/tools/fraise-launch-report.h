/* fraise-launch-report.h: what fraise-launch tells on stderr while and after a run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fraisewire/fraisewire.h>

G_BEGIN_DECLS

typedef struct _FraiseLaunchReport FraiseLaunchReport;

/* Watches @pipeline (a reference is kept): collects the messages its
 * elements post and, when @progress is set, keeps a progress line on stderr
 * from fraise_launch_report_start() to fraise_launch_report_end(). */
FraiseLaunchReport *fraise_launch_report_new (FraisePipeline *pipeline, gboolean progress);
void fraise_launch_report_free (FraiseLaunchReport *report);

/* The run began: the elapsed time counts from here. */
void fraise_launch_report_start (FraiseLaunchReport *report);
/* The run ended: stops the progress line and clears it. */
void fraise_launch_report_end (FraiseLaunchReport *report);

/* The messages elements posted (count-sink's totals), one line each:
 * `count-sink0: {"rows":3,"bytes":120}`. */
void fraise_launch_report_print_messages (FraiseLaunchReport *report);
/* The final figures: rows, bytes, elapsed, rows/s, MB/s, then each
 * element's counters, then the messages. */
void fraise_launch_report_print_stats (FraiseLaunchReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseLaunchReport, fraise_launch_report_free)

G_END_DECLS
