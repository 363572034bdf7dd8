/* fraise-pipeline.h: a query source and a chain of elements, run on a client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <gio/gio.h>
#include "fraise-version.h"
#include "fraise-client.h"
#include "fraise-element.h"
#include "fraise-parse.h"
#include "fraise-explanation.h"

G_BEGIN_DECLS

/**
 * FraisePipelineState:
 * @FRAISE_PIPELINE_STATE_IDLE: built, not running
 * @FRAISE_PIPELINE_STATE_RUNNING: rows are flowing
 * @FRAISE_PIPELINE_STATE_STOPPING: a STOP or [method@Fraise.Pipeline.stop]:
 *   the query is being cancelled and drained, then every element finishes
 * @FRAISE_PIPELINE_STATE_COMPLETED: the last run ended normally
 * @FRAISE_PIPELINE_STATE_FAILED: the last run failed
 * @FRAISE_PIPELINE_STATE_CANCELLED: the last run was cancelled
 *
 * The state of a pipeline (the `state` property).
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_PIPELINE_STATE_IDLE,
  FRAISE_PIPELINE_STATE_RUNNING,
  FRAISE_PIPELINE_STATE_STOPPING,
  FRAISE_PIPELINE_STATE_COMPLETED,
  FRAISE_PIPELINE_STATE_FAILED,
  FRAISE_PIPELINE_STATE_CANCELLED,
} FraisePipelineState;

#define FRAISE_TYPE_PIPELINE (fraise_pipeline_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraisePipeline, fraise_pipeline, FRAISE, PIPELINE, GObject)

FRAISE_AVAILABLE_IN_1_0
FraisePipeline *fraise_pipeline_new (void);
FRAISE_AVAILABLE_IN_1_0
FraisePipeline *fraise_pipeline_new_from_description (const char *description, GError **error);
FRAISE_AVAILABLE_IN_1_0
FraisePipeline *fraise_pipeline_new_from_description_full (const char *description,
                                                           FraiseParseFlags flags,
                                                           GError **error);
FRAISE_AVAILABLE_IN_1_0
FraisePipeline *
fraise_pipeline_new_from_argv (const char *const *argv, FraiseParseFlags flags, GError **error);

FRAISE_AVAILABLE_IN_1_0
void fraise_pipeline_add (FraisePipeline *pipeline, FraiseElement *element);
FRAISE_AVAILABLE_IN_1_0
void fraise_pipeline_add_dead_letter (FraisePipeline *pipeline, FraiseElement *element);
FRAISE_AVAILABLE_IN_1_0
FraiseElement *fraise_pipeline_get_by_name (FraisePipeline *pipeline, const char *name);
FRAISE_AVAILABLE_IN_1_0
GPtrArray *fraise_pipeline_get_elements (FraisePipeline *pipeline);
FRAISE_AVAILABLE_IN_1_0
GPtrArray *fraise_pipeline_get_dead_letter_elements (FraisePipeline *pipeline);
FRAISE_AVAILABLE_IN_1_0
char *fraise_pipeline_to_description (FraisePipeline *pipeline);

FRAISE_AVAILABLE_IN_1_0
void fraise_pipeline_run_async (FraisePipeline *pipeline,
                                FraiseClient *client,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
gboolean
fraise_pipeline_run_finish (FraisePipeline *pipeline, GAsyncResult *result, GError **error);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_pipeline_run_sync (FraisePipeline *pipeline,
                                   FraiseClient *client,
                                   GCancellable *cancellable,
                                   GError **error);
FRAISE_AVAILABLE_IN_1_0
void fraise_pipeline_explain_async (FraisePipeline *pipeline,
                                    FraiseClient *client,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
FRAISE_AVAILABLE_IN_1_0
FraiseExplanation *
fraise_pipeline_explain_finish (FraisePipeline *pipeline, GAsyncResult *result, GError **error);
FRAISE_AVAILABLE_IN_1_0
FraiseExplanation *fraise_pipeline_explain_sync (FraisePipeline *pipeline,
                                                 FraiseClient *client,
                                                 GCancellable *cancellable,
                                                 GError **error);
FRAISE_AVAILABLE_IN_1_0
void fraise_pipeline_stop (FraisePipeline *pipeline);

FRAISE_AVAILABLE_IN_1_0
FraisePipelineState fraise_pipeline_get_state (FraisePipeline *pipeline);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_pipeline_get_rows_processed (FraisePipeline *pipeline);
FRAISE_AVAILABLE_IN_1_0
FraiseStream *fraise_pipeline_get_stream (FraisePipeline *pipeline);

G_END_DECLS
