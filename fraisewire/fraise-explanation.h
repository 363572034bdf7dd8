/* fraise-explanation.h: what a pipeline would send, and how the server would run it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include <glib-object.h>
#include "fraise-version.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_EXPLANATION (fraise_explanation_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseExplanation, fraise_explanation, FRAISE, EXPLANATION, GObject)

FRAISE_AVAILABLE_IN_1_0
const char *fraise_explanation_get_sql (FraiseExplanation *explanation);
FRAISE_AVAILABLE_IN_1_0
const char *const *fraise_explanation_get_decisions (FraiseExplanation *explanation);
FRAISE_AVAILABLE_IN_1_0
const char *fraise_explanation_get_plan (FraiseExplanation *explanation);
FRAISE_AVAILABLE_IN_1_0
gboolean fraise_explanation_get_sequential_scan (FraiseExplanation *explanation);
FRAISE_AVAILABLE_IN_1_0
const char *const *fraise_explanation_get_advice (FraiseExplanation *explanation);
FRAISE_AVAILABLE_IN_1_0
char *fraise_explanation_to_string (FraiseExplanation *explanation);

G_END_DECLS
