/* fraise-elements-private.h: the built-in elements' types (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

GType fraise_filter_element_get_type (void);
GType fraise_limit_element_get_type (void);
GType fraise_sample_element_get_type (void);
GType fraise_count_sink_get_type (void);
GType fraise_project_element_get_type (void);
GType fraise_jsonl_sink_get_type (void);
GType fraise_model_sink_get_type (void);

G_END_DECLS
