/* fuzz-conninfo.c: connection strings of both forms, from arbitrary bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-conninfo.h"
#include "fraise-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const char *const envp[] = { "HOME=/nonexistent", "USER=fuzz", NULL };
  g_autofree char *text = g_strndup ((const char *) data, size);
  FraiseConninfo *info;

  /* A fixed, empty environment: the result depends on the input only. */
  info = fraise_conninfo_parse (text, envp, NULL);
  fraise_conninfo_free (info);
  return 0;
}
