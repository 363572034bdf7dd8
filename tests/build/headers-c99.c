/* headers-c99.c: the public headers compile as strict C99 (and as C++)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built by check-headers.sh with -std=c99 -pedantic-errors -Werror: a
 * duplicate typedef or any other extension in a public header fails it.
 */

#include <fraisewire/fraisewire.h>

int
main (void)
{
  return FRAISE_CHECK_VERSION (FRAISE_MAJOR_VERSION, FRAISE_MINOR_VERSION, 0) &&
             fraise_error_quark () != 0 && FRAISE_TYPE_QUERY != G_TYPE_INVALID
           ? 0
           : 1;
}
