/* fraise-elements.c: the built-in elements every registry starts with
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-elements-private.h"
#include "fraise-query-source-private.h"

typedef GType (*GetType) (void);

void
_fraise_register_builtin_elements (FraiseRegistry *registry)
{
  /* One line per element: the list grows with the library. */
  /* clang-format off */
  static const struct {
    const char *name;
    GetType get_type;
  } builtins[] = {
    { "query", fraise_query_source_get_type },
    { "filter", fraise_filter_element_get_type },
    { "limit", fraise_limit_element_get_type },
    { "sample", fraise_sample_element_get_type },
    { "count-sink", fraise_count_sink_get_type },
    { "signal-sink", fraise_signal_sink_get_type },
    { "project", fraise_project_element_get_type },
    { "jsonl-sink", fraise_jsonl_sink_get_type },
    { "model-sink", fraise_model_sink_get_type },
  };
  /* clang-format on */

  for (gsize i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      g_autoptr (GError) error = NULL;

      if (!fraise_registry_register (registry, builtins[i].name, builtins[i].get_type (), &error))
        g_error ("built-in element %s: %s", builtins[i].name, error->message);
    }
}
