/* fuzz-json.c: the JSON parser and path lookups on arbitrary row text
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-json-private.h"
#include "fraise-fuzz.h"

#include <stdlib.h>

static const char *const paths[] = { "", "a", "a.b", "tags[0]", "x[2].y", "name" };

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data;
  JsonNode *node;
  guint i;

  node = fraise_json_parse (text, size, 64, NULL);
  /* The strict check without a tree accepts exactly what the parser does. */
  if ((node != NULL) != fraise_json_check (text, size, 64, NULL))
    abort ();
  g_clear_pointer (&node, json_node_unref);

  for (i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      FraiseJsonValue value;
      g_autofree char *string = NULL;
      g_autofree char *number = NULL;
      gint64 integer;

      if (!fraise_json_lookup (text, size, paths[i], &value, NULL))
        continue;
      string = fraise_json_value_dup_string (&value, NULL);
      fraise_json_value_get_int (&value, &integer, NULL);
      number = fraise_json_get_number_text (text, size, paths[i], NULL);
    }
  /* All the paths in one pass, each found value checked strictly. */
  {
    FraiseJsonPath *parsed[G_N_ELEMENTS (paths)];
    FraiseJsonValue values[G_N_ELEMENTS (paths)];
    gboolean found[G_N_ELEMENTS (paths)];

    for (i = 0; i < G_N_ELEMENTS (paths); i++)
      parsed[i] = fraise_json_path_new (paths[i], NULL);
    if (fraise_json_lookup_paths (text, size, parsed, G_N_ELEMENTS (paths), values, found, NULL))
      for (i = 0; i < G_N_ELEMENTS (paths); i++)
        if (found[i])
          fraise_json_value_check (text, &values[i], NULL);
    for (i = 0; i < G_N_ELEMENTS (paths); i++)
      fraise_json_path_free (parsed[i]);
  }
  return 0;
}
