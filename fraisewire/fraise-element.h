/* fraise-element.h: the base class of pipeline elements
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib-object.h>
#include "fraise-version.h"
#include "fraise-row.h"

G_BEGIN_DECLS

/**
 * FraiseFlow:
 * @FRAISE_FLOW_ERROR: the element failed; it set the #GError of
 *   `process`. The zero value, so a binding that returns a zero-filled
 *   value after an exception can never let the pipeline continue.
 * @FRAISE_FLOW_OK: the row was handled (forwarded, kept or dropped).
 * @FRAISE_FLOW_STOP: enough rows: the source cancels the query cleanly and
 *   every element still gets `finish`.
 * @FRAISE_FLOW_PENDING: the element took the row but is busy: the pipeline
 *   sends it nothing more, and the source stops reading the socket, until
 *   the element calls [method@Fraise.Element.resume]. The pipeline keeps
 *   the row alive until then: the element may push it without a reference
 *   of its own.
 *
 * What an element's `process` tells the pipeline, and what
 * [method@Fraise.Element.push] returns from downstream.
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_FLOW_ERROR = 0,
  FRAISE_FLOW_OK,
  FRAISE_FLOW_STOP,
  FRAISE_FLOW_PENDING,
} FraiseFlow;

/**
 * FraiseOnError:
 * @FRAISE_ON_ERROR_FAIL: a row the element fails on fails the pipeline.
 * @FRAISE_ON_ERROR_DROP: the row is dropped and counted in `rows-dropped`.
 * @FRAISE_ON_ERROR_ROUTE: the row goes to the pipeline's dead-letter
 *   branch as `{"row":…,"element":…,"row_index":…,"error":{…}}`, and is
 *   counted in `rows-routed`.
 *
 * What happens to a row an element fails on (the `on-error` property).
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_ON_ERROR_FAIL,
  FRAISE_ON_ERROR_DROP,
  FRAISE_ON_ERROR_ROUTE,
} FraiseOnError;

/**
 * FRAISE_PARAM_SENSITIVE:
 *
 * A #GParamFlags bit for element properties that a description from an
 * untrusted user must not set (raw SQL, file locations):
 * %FRAISE_PARSE_FLAG_UNTRUSTED refuses them before any setter runs.
 *
 * Since: 1.0
 */
#define FRAISE_PARAM_SENSITIVE (1 << (G_PARAM_USER_SHIFT + 0))

/**
 * FRAISE_PARAM_PUSH_DOWN:
 *
 * A #GParamFlags bit for element properties that can be merged into the
 * query's SQL (shown by fraise-inspect).
 *
 * Since: 1.0
 */
#define FRAISE_PARAM_PUSH_DOWN (1 << (G_PARAM_USER_SHIFT + 1))

#define FRAISE_TYPE_ELEMENT (fraise_element_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (FraiseElement, fraise_element, FRAISE, ELEMENT, GObject)

/**
 * FraiseElementClass:
 * @parent_class: the parent class
 * @start: called once before the first row; %FALSE with @error set fails
 *   the pipeline before the query is sent
 * @process: handles one row: forward it with [method@Fraise.Element.push]
 *   and return what that returns, or return %FRAISE_FLOW_OK without pushing
 *   to drop it. Set @error (and return %FRAISE_FLOW_ERROR) on failure
 * @finish: end of data: flush what the element holds. An element with
 *   output still in flight calls [method@Fraise.Element.defer] and returns
 *   %TRUE; the pipeline then waits for [method@Fraise.Element.resume]
 * @reset: after a cancellation or an error: drop state, write nothing more
 *
 * The virtual methods of an element. Every one is optional: the default
 * `process` forwards the row.
 *
 * Since: 1.0
 */
struct _FraiseElementClass {
  GObjectClass parent_class;

  gboolean (*start) (FraiseElement *self, GError **error);
  FraiseFlow (*process) (FraiseElement *self, FraiseRow *row, GError **error);
  gboolean (*finish) (FraiseElement *self, GError **error);
  void (*reset) (FraiseElement *self);

  /*< private >*/
  gpointer padding[12];
};

FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_get_name (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_set_name (FraiseElement *self, const char *name);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_element_get_factory_name (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
FraiseOnError fraise_element_get_on_error (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_set_on_error (FraiseElement *self, FraiseOnError on_error);

FRAISE_AVAILABLE_IN_1_0
FraiseFlow fraise_element_push (FraiseElement *self, FraiseRow *row);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_resume (FraiseElement *self, FraiseFlow result);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_resume_with_error (FraiseElement *self, GError *error);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_defer (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_element_is_pending (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
void fraise_element_post_message (FraiseElement *self, GVariant *message);

FRAISE_AVAILABLE_IN_1_0
guint64 fraise_element_get_rows_in (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_element_get_rows_out (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_element_get_rows_dropped (FraiseElement *self);
FRAISE_AVAILABLE_IN_1_0
guint64 fraise_element_get_rows_routed (FraiseElement *self);

FRAISE_AVAILABLE_IN_1_0
void fraise_element_class_set_metadata (FraiseElementClass *klass,
                                        const char *long_name,
                                        const char *classification,
                                        const char *description);

G_END_DECLS
