/* fraise-signal-sink.h: the sink that hands rows to the application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__FRAISEWIRE_H_INSIDE__) && !defined(FRAISEWIRE_COMPILATION)
#error "Only <fraisewire/fraisewire.h> can be included directly."
#endif

#include "fraise-version.h"
#include "fraise-element.h"

G_BEGIN_DECLS

#define FRAISE_TYPE_SIGNAL_SINK (fraise_signal_sink_get_type ())

FRAISE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (FraiseSignalSink, fraise_signal_sink, FRAISE, SIGNAL_SINK, FraiseElement)

FRAISE_AVAILABLE_IN_1_0
void fraise_signal_sink_hold (FraiseSignalSink *sink);
FRAISE_AVAILABLE_IN_1_0
void fraise_signal_sink_release (FraiseSignalSink *sink);

G_END_DECLS
