/* fraise-test-chain.h: running chains of elements in tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* A built-in element from the default registry (the test fails if there is none). */
FraiseElement *fraise_test_make_element (const char *factory);

/* A pipeline whose first element, a probe named "head", forwards the rows
 * that _fraise_pipeline_run_rows_async() pushes from it as from a source:
 * add the elements under test after it, and run it with
 * fraise_test_run_rows() (fraise-test-probe.h) or the function below. */
FraisePipeline *fraise_test_pipeline_with_head (void);

/* Starts _fraise_pipeline_run_rows_async() on @rows; *@result is set when the
 * run ends (complete it with fraise_pipeline_run_finish()). */
void fraise_test_run_rows_async (FraisePipeline *pipeline,
                                 GPtrArray *rows,
                                 GCancellable *cancellable,
                                 GAsyncResult **result);

/* Iterates the default main context until *@result is set (or 60 s pass:
 * failure). */
void fraise_test_wait_result (GAsyncResult **result);
/* Iterates the default main context for @ms milliseconds. */
void fraise_test_iterate_for (guint ms);
/* Iterates until @element is pending (or 10 s pass: failure). */
void fraise_test_wait_pending (FraiseElement *element);

/* @n rows {"i":N,"pad":"xxx…"} of about @size bytes, indexed from 0; their
 * JSON Lines are appended to @expected (nullable). */
GPtrArray *fraise_test_numbered_rows (guint n, gsize size, GString *expected);

/* A new directory under the temporary directory, and its removal with the
 * files in it. */
char *fraise_test_temp_dir (void);
void fraise_test_remove_dir (const char *dir);

G_END_DECLS
