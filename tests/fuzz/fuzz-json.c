/* fuzz-json.c: the JSON parser and path lookups on arbitrary row text
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-json-private.h"
#include "fraise-fuzz.h"

static const char *const paths[] = { "", "a", "a.b", "tags[0]", "x[2].y", "name" };

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data;
  JsonNode *node;
  guint i;

  node = fraise_json_parse (text, size, 64, NULL);
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
  return 0;
}
