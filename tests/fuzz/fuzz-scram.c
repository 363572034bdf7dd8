/* fuzz-scram.c: a SCRAM exchange against arbitrary server messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is split at its first NUL into server-first and server-final.
 * A low iteration cap keeps each run fast.
 */

#include <string.h>

#include "fraise-auth.h"
#include "fraise-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *first = (const char *) data;
  const char *nul = memchr (data, '\0', size);
  gsize first_len = nul != NULL ? (gsize) (nul - first) : size;
  FraiseScram *scram;
  gsize len;

  scram = fraise_scram_new_with_nonce ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 64,
                                       "rOprNGfwEbeRWgbNEkqO");
  fraise_scram_get_client_first (scram, &len);
  if (fraise_scram_handle_server_first (scram, first, first_len, &len, NULL) != NULL && nul != NULL)
    fraise_scram_verify_server_final (scram, nul + 1, size - first_len - 1, NULL);
  fraise_scram_free (scram);
  return 0;
}
