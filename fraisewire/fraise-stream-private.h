/* fraise-stream-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

#define FRAISE_CANCEL_TIMEOUT_MS 2000

/* Sends @sql for @query and completes @task (transfer full) with the stream
 * once the RowDescription was checked, or with an error. */
void _fraise_stream_execute (FraiseQuery *query, const char *sql, GTask *task);

G_END_DECLS
