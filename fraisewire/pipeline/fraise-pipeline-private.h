/* fraise-pipeline-private.h: what elements and the pipeline share (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pipeline links its elements into a chain: each element knows the
 * next one (NULL for the last) and the pipeline it runs in. A row enters an
 * element through _fraise_element_process(), which runs the element's
 * `process` and applies its on-error policy, so that fraise_element_push()
 * and the pipeline's source loop share one definition of what a failure is.
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* ---- elements -------------------------------------------------------------- */

/* Links @self after the previous element: rows it pushes go to @next (NULL:
 * the end of the chain, where pushing drops the row). @pipeline is not
 * referenced (it owns the element). */
void _fraise_element_link (FraiseElement *self, FraisePipeline *pipeline, FraiseElement *next);
FraisePipeline *_fraise_element_get_pipeline (FraiseElement *self);
FraiseElement *_fraise_element_get_next (FraiseElement *self);
void _fraise_element_set_factory_name (FraiseElement *self, const char *factory_name);

/* Runs @self's process on @row with its on-error policy: a failure under
 * `fail` is reported to the pipeline (named after the element, with the
 * row index) and returns ERROR; under `drop` or `route` it is counted
 * (and routed) and returns OK. */
FraiseFlow _fraise_element_process (FraiseElement *self, FraiseRow *row);
gboolean _fraise_element_start (FraiseElement *self, GError **error);
/* Returns FALSE with @error on failure; sets *@deferred when the element
 * called fraise_element_defer() and the pipeline must wait for its resume. */
gboolean _fraise_element_finish (FraiseElement *self, gboolean *deferred, GError **error);
void _fraise_element_reset (FraiseElement *self);
/* Clears the counters before a run. */
void _fraise_element_clear_counters (FraiseElement *self);

/* A property setter that refused a value (a bad filter expression, say)
 * keeps the error here, as FraiseQuery does: the description parser takes
 * it to report BAD_VALUE at the value's position, and `start` fails with it
 * for a pipeline built in code. Setting a valid value clears it (pass NULL). */
void _fraise_element_set_property_error (FraiseElement *self, const char *property, GError *error);
/* The first refused value's error, if any (transfer full: it is cleared). */
GError *_fraise_element_take_property_error (FraiseElement *self);

/* The metadata a class set with fraise_element_class_set_metadata(), or NULL. */
const char *_fraise_element_type_get_metadata (GType type, const char *key);

/* ---- pipeline -------------------------------------------------------------- */

/* An element that returned PENDING (or deferred its finish) resumed with
 * @flow; @error (transfer full, nullable) is set when @flow is ERROR. */
void _fraise_pipeline_element_resumed (FraisePipeline *pipeline,
                                       FraiseElement *element,
                                       FraiseFlow flow,
                                       GError *error);
/* An element failed on @row (nullable) under `fail`: the run fails with
 * "@element: message (row N)". Takes @error. Only the first failure counts. */
void _fraise_pipeline_element_failed (FraisePipeline *pipeline,
                                      FraiseElement *element,
                                      FraiseRow *row,
                                      GError *error);
/* Pending elements: an element that returned PENDING itself (not passed on
 * from downstream, which the count tells apart) is counted until it resumes. */
guint _fraise_pipeline_count_pending (FraisePipeline *pipeline);
void _fraise_pipeline_element_pending (FraisePipeline *pipeline, FraiseElement *element);
/* Whether an element failed in this run (its ERROR is travelling upstream). */
gboolean _fraise_pipeline_has_failed (FraisePipeline *pipeline);
/* Sends the dead-letter record of @row to the `errors` branch (dropped when
 * there is none). Returns the branch's flow. */
FraiseFlow _fraise_pipeline_route (FraisePipeline *pipeline,
                                   FraiseElement *element,
                                   FraiseRow *row,
                                   const GError *error);
void
_fraise_pipeline_post_message (FraisePipeline *pipeline, FraiseElement *element, GVariant *message);
/* Runs the chain, with no source and no server, on @rows (a reference is
 * kept): the unit tests of elements. Complete with fraise_pipeline_run_finish(). */
void _fraise_pipeline_run_rows_async (FraisePipeline *pipeline,
                                      GPtrArray *rows,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);

/* The registry that built the pipeline's elements (the default one unless
 * the parser was given another). */
FraiseRegistry *_fraise_pipeline_get_registry (FraisePipeline *pipeline);

/* The description parser (fraise-parse.c): one token per argv element, or
 * one token holding the whole description; NULL and @error on any error,
 * never a partial pipeline. */
FraisePipeline *_fraise_parse_tokens (FraiseRegistry *registry,
                                      const char *const *tokens,
                                      FraiseParseFlags flags,
                                      GError **error);
/* The canonical text of @pipeline, which parses back to an equal one. */
char *_fraise_describe_pipeline (FraisePipeline *pipeline);
/* fraise_pipeline_to_description() is defined with it, in fraise-describe.c. */

/* Registry internals for the plugin loader (fraise-plugin.c): who owns the
 * registrations made while a module loads, and load failures to report. */
void _fraise_registry_set_owner (FraiseRegistry *registry, const char *owner);
void _fraise_registry_add_plugin_error (FraiseRegistry *registry, const char *message);

/* Built-in elements, registered in every registry (fraise-elements.c). */
void _fraise_register_builtin_elements (FraiseRegistry *registry);

G_END_DECLS
