/* fraise-test-utils.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"

const char *
fraise_test_get_uri (const char *env_name)
{
  const char *uri = g_getenv (env_name);

  if (uri != NULL && *uri != '\0')
    return uri;

  if (g_getenv ("CI") != NULL)
    {
      g_test_message ("%s is not set: the test server harness did not run", env_name);
      g_test_fail ();
    }
  else
    {
      g_test_skip ("test server not configured: run through scripts/test.sh to start one");
    }
  return NULL;
}

static gboolean
wait_timed_out (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
fraise_test_wait_for (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, wait_timed_out, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out waiting for an asynchronous operation");
  g_source_remove (id);
}
