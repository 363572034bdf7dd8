/* fraise-tool-json.h: JSON text for the command-line tools' machine-readable output
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The tools write their JSON with a GString rather than a JsonNode tree:
 * property ranges are 64-bit unsigned integers (G_MAXUINT64 is a common
 * maximum) and JsonNode holds only signed ones.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text as a JSON string (quoted, escaped; invalid UTF-8 bytes
 * become U+FFFD). NULL appends `null`. */
void fraise_tool_json_string (GString *out, const char *text);

/* Appends @value as JSON: numbers, booleans, strings, arrays, tuples and
 * dictionaries (a{sv}, a{ss}...) map to their JSON forms; a maybe is its
 * value or null; other types are their g_variant_print() text as a string. */
void fraise_tool_json_variant (GString *out, GVariant *value);

/* Appends a GError as {"domain":…,"code":…,"message":…}, with
 * "position":{"offset":…,"line":…,"column":…} for a positioned parse error. */
void fraise_tool_json_error (GString *out, const GError *error);

G_END_DECLS
