/* fraisewire.h: umbrella header
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define __FRAISEWIRE_H_INSIDE__

#include <glib-object.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fraise-version.h"
#include "fraise-enum-types.h"
#include "fraise-error.h"
#include "fraise-server-message.h"
#include "fraise-client.h"
#include "fraise-row.h"
#include "fraise-row-reader.h"
#include "fraise-query-types.h"
#include "fraise-query.h"
#include "fraise-stream.h"
#include "fraise-row-model.h"
#include "fraise-parse.h"
#include "fraise-element.h"
#include "fraise-registry.h"
#include "fraise-explanation.h"
#include "fraise-pipeline.h"
#include "fraise-signal-sink.h"

#undef __FRAISEWIRE_H_INSIDE__
