/* fraise-inspect-property.h: what fraise-inspect says about one element property
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The property as text, as gst-inspect shows it: the name and blurb, the
 * flags (readable, writable, construct-only, sensitive, push-down), the
 * type with its range and default, and the values of an enum or flags
 * type with their nicks. */
void fraise_inspect_property_text (GString *out, GParamSpec *pspec);

/* The same as one JSON object: name, nick, blurb, type (the GType name),
 * flags (an array of the flag names above), default (as JSON: a number, a
 * string, a boolean, an enum nick, an array of flags nicks, or null),
 * minimum and maximum for numbers, values ([{"value","nick","name"}]) for
 * enums and flags. */
void fraise_inspect_property_json (GString *out, GParamSpec *pspec);

G_END_DECLS
