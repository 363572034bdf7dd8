/* fraise-pooler-error.c: what the errors PgBouncer writes itself mean
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * PgBouncer answers some failures with an ErrorResponse of its own
 * (severity, SQLSTATE and message only, mostly SQLSTATE 08P01), such as
 * "query_wait_timeout": on its own that text reads like a server error and
 * says neither where it came from nor what to change. PostgreSQL sends the
 * routine field ('R') with every error it raises, PgBouncer never does, so a
 * known text without it is taken as the pooler's.
 */

#include "fraise-private.h"

#include <string.h>

typedef struct {
  const char *text; /* the message, or its start when prefix is set */
  gboolean prefix;
  FraiseError code;   /* when it ends the start-up */
  const char *advice; /* N_() */
} PoolerError;

static const PoolerError pooler_errors[] = {
  { "query_wait_timeout", FALSE, FRAISE_ERROR_CONNECTION_FAILED,
    N_("PgBouncer found no free server connection for this query within its "
       "query_wait_timeout and closed the connection: the pool of this database is busy; "
       "retry later, run fewer queries at once, or raise pool_size or query_wait_timeout in "
       "pgbouncer.ini") },
    { "query_timeout", FALSE, FRAISE_ERROR_CONNECTION_FAILED,
      N_("PgBouncer ended the query after its query_timeout and closed the connection; raise "
       "query_timeout in pgbouncer.ini, or set a shorter statement timeout on the query") },
      { "client_idle_timeout", FALSE, FRAISE_ERROR_CONNECTION_FAILED,
        N_("PgBouncer closed the connection after its client_idle_timeout; connect again") },
        { "unsupported startup parameter", TRUE, FRAISE_ERROR_CONFIG,
          N_("PgBouncer refuses this startup parameter: remove it from the connection string "
       "(per-query settings go through fraise_query_set_local()), or list it in "
       "ignore_startup_parameters in pgbouncer.ini") },
          { "no more connections allowed", TRUE, FRAISE_ERROR_CONNECTION_FAILED,
            N_("PgBouncer has as many clients as its max_client_conn allows; retry later, or raise "
       "max_client_conn in pgbouncer.ini") },
            { "no such database", TRUE, FRAISE_ERROR_CONFIG,
              N_("PgBouncer has no such entry in the [databases] section of pgbouncer.ini; check the "
       "database name") },
              { "pgbouncer cannot connect to server", FALSE, FRAISE_ERROR_CONNECTION_FAILED,
                N_("PgBouncer could not reach the PostgreSQL server behind it; check that the server "
       "runs and the host and port of this database in pgbouncer.ini") },
            };

/*
 * _fraise_pooler_error_advice:
 * @message: an ErrorResponse
 * @code: (out) (optional): the error code when it ends the start-up
 *
 * Returns: (nullable): what the error means and what to do, translated,
 *   when @message is one that PgBouncer writes itself; %NULL otherwise
 */
const char *
_fraise_pooler_error_advice (const FraiseServerMessage *message, FraiseError *code)
{
  const char *text = fraise_server_message_get_message (message);
  guint i;

  if (text == NULL || fraise_server_message_get_field (message, 'R') != NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (pooler_errors); i++)
    {
      const PoolerError *known = &pooler_errors[i];
      gboolean match =
        known->prefix ? g_str_has_prefix (text, known->text) : strcmp (text, known->text) == 0;

      if (!match)
        continue;
      if (code != NULL)
        *code = known->code;
      return _(known->advice);
    }
  return NULL;
}
