/* fraise-pipeline-run-private.h: the pipeline's state, shared by its files (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fraise-pipeline.c builds the pipeline (elements, names, properties);
 * fraise-pipeline-run.c runs it; fraise-pipeline-explain.c explains it.
 * They see this structure; nothing else does.
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

struct _FraisePipeline {
  GObject parent_instance;

  GPtrArray *elements;       /* the chain: [0] is the source */
  FraiseQuery *probed_query; /* waiting for the type of its data column */
  GPtrArray *dead_letter;    /* the `errors` chain */
  FraisePipelineState state;
  guint64 rows_processed;

  /* one run */
  GTask *task;
  GMainContext *context;
  GSource *cancel_source;
  FraiseStream *stream;
  GPtrArray *fixed_rows; /* rows given instead of a query (tests) */
  GPtrArray *batch;      /* rows taken from the stream, from batch_pos on */
  guint batch_pos;
  guint n_pending;
  gboolean pulling;
  gboolean source_done;
  gboolean stopping;
  gboolean cancelled;
  gboolean failed;
  gboolean finishing;
  gboolean completing;
  guint finish_next; /* the next element to finish, over both chains */
  GError *error;
  GSource *continue_idle;
};

void _fraise_pipeline_set_state (FraisePipeline *self, FraisePipelineState state);
/* FRAISE_ERROR_CONFIG unless the chain can run: a query source first (when
 * @need_source) and nowhere else, an errors branch for on-error=route. */
gboolean _fraise_pipeline_check_chain (FraisePipeline *self, gboolean need_source, GError **error);
/* A pipeline's `_async` call on a client: run_async, explain_async. */
typedef void (*FraisePipelineStart) (FraisePipeline *pipeline,
                                     FraiseClient *client,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
/* A `_sync` call: makes @client's context the thread-default one, starts
 * @start on it, iterates it until the call completes and returns its
 * result (transfer full). Not from a handler of the pipeline's elements. */
GAsyncResult *_fraise_pipeline_wait (FraisePipeline *self,
                                     FraiseClient *client,
                                     FraisePipelineStart start,
                                     GCancellable *cancellable);
/* Notifies rows-processed (once per batch). */
void _fraise_pipeline_notify_rows (FraisePipeline *self);

G_END_DECLS
