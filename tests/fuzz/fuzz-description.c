/* fuzz-description.c: pipeline descriptions and argv, from arbitrary bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An input without a NUL byte is one whole description; NUL bytes split
 * it into argv tokens. Each is parsed trusted and untrusted, with the test
 * elements (every property type, a sensitive one) and the built-in ones.
 * Checked, beyond not crashing: a failure is a positioned FRAISE_PARSE_ERROR
 * with a UTF-8 message, and whatever parses describes to a text that parses
 * again and describes to the same text.
 */

#include "fraise-parse-private.h"
#include "fraise-pipeline-private.h"
#include "test-parse-elements.h"
#include "fraise-fuzz.h"

#include <stdlib.h>
#include <string.h>

static FraiseRegistry *
get_registry (void)
{
  static FraiseRegistry *registry;

  if (registry == NULL)
    registry = test_parse_registry_new ();
  return registry;
}

static void
check_failure (FraisePipeline *pipeline, const GError *error)
{
  if (pipeline != NULL || error == NULL || error->domain != FRAISE_PARSE_ERROR ||
      !fraise_parse_error_get_position (error, NULL, NULL, NULL) ||
      !g_utf8_validate (error->message, -1, NULL))
    abort ();
}

/* describe → parse → describe is a fixed point. */
static void
check_round_trip (FraisePipeline *pipeline)
{
  g_autofree char *text1 = _fraise_describe_pipeline (pipeline);
  const char *tokens[] = { text1, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FraisePipeline) again = _fraise_parse_tokens (get_registry (), tokens, 0, &error);
  g_autofree char *text2 = NULL;

  if (again == NULL)
    {
      g_printerr ("described as \"%s\", which does not parse: %s\n", text1, error->message);
      abort ();
    }
  text2 = _fraise_describe_pipeline (again);
  if (strcmp (text1, text2) != 0)
    {
      g_printerr ("\"%s\" describes again as \"%s\"\n", text1, text2);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const FraiseParseFlags modes[] = { FRAISE_PARSE_FLAG_NONE, FRAISE_PARSE_FLAG_UNTRUSTED };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  gsize start = 0;

  /* Tokens end at NUL bytes; the last one at the end of the input. */
  for (gsize i = 0; i <= size; i++)
    if (i == size || data[i] == '\0')
      {
        g_ptr_array_add (tokens, g_strndup ((const char *) data + start, i - start));
        start = i + 1;
      }
  g_ptr_array_add (tokens, NULL);

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FraisePipeline) pipeline = _fraise_parse_tokens (
        get_registry (), (const char *const *) tokens->pdata, modes[m], &error);

      if (pipeline == NULL)
        check_failure (pipeline, error);
      else if (modes[m] == FRAISE_PARSE_FLAG_NONE)
        check_round_trip (pipeline);
    }
  return 0;
}
