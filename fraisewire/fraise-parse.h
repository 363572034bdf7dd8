/* fraise-parse.h: errors and flags of pipeline descriptions and filter expressions
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

/**
 * FRAISE_PARSE_ERROR:
 *
 * The error domain of pipeline descriptions and filter expressions. The
 * message starts with `line:column` (or `column N` for an expression),
 * quotes the text with a caret under the place, and suggests the nearest
 * name; [func@Fraise.parse_error_get_position] reads the position back.
 *
 * Since: 1.0
 */
#define FRAISE_PARSE_ERROR (fraise_parse_error_quark ())

/**
 * FraiseParseError:
 * @FRAISE_PARSE_ERROR_SYNTAX: the text is not well formed
 * @FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT: no element has that name
 * @FRAISE_PARSE_ERROR_NO_SUCH_PROPERTY: the element has no such property
 * @FRAISE_PARSE_ERROR_BAD_VALUE: the value does not fit the property
 *   (type, range, enum nick, or an invalid filter expression)
 * @FRAISE_PARSE_ERROR_UNTRUSTED: an untrusted description sets a
 *   sensitive property (%FRAISE_PARSE_FLAG_UNTRUSTED)
 *
 * Error codes of %FRAISE_PARSE_ERROR.
 *
 * Since: 1.0
 */
typedef enum {
  FRAISE_PARSE_ERROR_SYNTAX,
  FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
  FRAISE_PARSE_ERROR_NO_SUCH_PROPERTY,
  FRAISE_PARSE_ERROR_BAD_VALUE,
  FRAISE_PARSE_ERROR_UNTRUSTED,
} FraiseParseError;

/**
 * FraiseParseFlags:
 * @FRAISE_PARSE_FLAG_NONE: a trusted description
 * @FRAISE_PARSE_FLAG_UNTRUSTED: the description comes from an end user:
 *   properties marked %FRAISE_PARAM_SENSITIVE are refused before any
 *   element is created or any setter runs
 *
 * How to parse a pipeline description.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  FRAISE_PARSE_FLAG_NONE = 0,
  FRAISE_PARSE_FLAG_UNTRUSTED = 1 << 0,
} FraiseParseFlags;

FRAISE_AVAILABLE_IN_1_0
GQuark fraise_parse_error_quark (void);

FRAISE_AVAILABLE_IN_1_0
gboolean
fraise_parse_error_get_position (const GError *error, gsize *offset, guint *line, guint *column);

G_END_DECLS
