/* fraise-jsonl-input-stream-private.h: a stream's rows as a GInputStream of JSON Lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include "fraise-private.h"

G_BEGIN_DECLS

/* Reads pull batches from @stream (a reference is kept). */
GInputStream *_fraise_jsonl_input_stream_new (FraiseStream *stream);

G_END_DECLS
