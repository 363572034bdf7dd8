/* fraise-test-utils.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* Environment variables exported by the test server harness (scripts/pg-harness.sh). */
#define FRAISE_TEST_ENV_URI "FRAISE_TEST_URI"                   /* trust, Unix socket */
#define FRAISE_TEST_ENV_URI_SCRAM "FRAISE_TEST_URI_SCRAM"       /* scram-sha-256, TCP */
#define FRAISE_TEST_ENV_URI_MD5 "FRAISE_TEST_URI_MD5"           /* md5, TCP */
#define FRAISE_TEST_ENV_URI_PASSWORD "FRAISE_TEST_URI_PASSWORD" /* cleartext, TCP */

/* Returns the URI from @env_name. When it is unset the current test is marked
 * failed if CI is set in the environment (a live test must never skip under
 * CI), skipped otherwise; the caller then returns. */
const char *fraise_test_get_uri (const char *env_name);

/* A client connected with the URI from @env_name (see fraise_test_get_uri()),
 * or NULL when the test was skipped or failed for want of a server. Under a
 * time scale (fraise_test_time_scale()) a URI without connect_timeout gets
 * the default 10 s scaled. */
FraiseClient *fraise_test_connect (const char *env_name);

/* The factor applied to the upper time bounds of the tests: the number in
 * FRAISE_TEST_TIME_SCALE (at least 1; the valgrind test setup sets it, since
 * memcheck runs a program many times slower), 1 when unset. A value that is
 * not such a number ends the program. Lower bounds (a deadline must not fire
 * early) are never scaled. */
double fraise_test_time_scale (void);

/* @span (microseconds) multiplied by fraise_test_time_scale(). */
gint64 fraise_test_scaled (gint64 span);

/* Runs the default main context until *@flag becomes TRUE (or 30 s, scaled,
 * pass: test failure). */
void fraise_test_wait_for (gboolean *flag);

/* Executes @query and pulls every row with next_sync. Returns the rows
 * received before the end or the error (set in @error, from execute or from
 * the stream). */
GPtrArray *fraise_test_pull_all (FraiseQuery *query, GError **error);

/* The client is connected and streams v_project's 5 rows, indexes 0..4. */
void fraise_test_assert_reusable (FraiseClient *client);

/* Runs @sql with psql on @uri (ON_ERROR_STOP), @input (nullable) on its
 * stdin; a failure ends the test program with psql's message. */
void fraise_test_psql (const char *uri, const char *sql, const char *input);

/* SCRAM-SHA-256 as RFC 5802 §3 defines it, computed here with GnuTLS
 * directly (not with fraise-scram.c), so a test can play the server: from
 * the password, the base64 salt, the iteration count and the AuthMessage
 * (client-first-bare "," server-first "," client-final-without-proof),
 * returns the base64 ServerSignature (@server TRUE, the "v=" of the
 * server-final-message) or the base64 ClientProof (the "p=" of the
 * client-final-message). */
char *fraise_test_scram_signature (const char *password,
                                   const char *salt_base64,
                                   guint iterations,
                                   const char *auth_message,
                                   gboolean server);

G_END_DECLS
