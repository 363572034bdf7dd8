/* test-message-table.c: every backend message type in every connection state
 *
 * The scripted fake server (fraise-fake-server.c) sends one well-formed
 * message of each type at a chosen point of the conversation, followed by
 * whatever completes the conversation from there. Each cell asserts the
 * documented outcome: accepted (the connect completes, or the query
 * completes and a next query works), or a specific error code with the
 * connection closed (PROTOCOL and the like) or reusable (SERVER,
 * INVALID_SCHEMA). Because the completion follows the message, a state that
 * stops validating a message lets the conversation succeed and fails its cell.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-fake-server.h"

#include <string.h>

/* Every backend message type of protocol 3.0, and an unknown one. */
static const char types[] = "RKvSNAZETDCIntl23sHGWdcx";

typedef enum {
  STATE_STARTUP,       /* (a) start-up, before authentication */
  STATE_SASL,          /* (b) during a SASL exchange */
  STATE_AUTHENTICATED, /* (c) after AuthenticationOk, before ReadyForQuery */
  STATE_IDLE,          /* (d) connected, no query */
  STATE_QUERY_SENT,    /* (e) query sent, nothing received */
  STATE_ROWS,          /* (f) after a valid RowDescription */
  STATE_COMPLETE,      /* (g) after CommandComplete, before ReadyForQuery */
  N_STATES
} State;

static const char *const state_names[N_STATES] = {
  "startup", "sasl", "authenticated", "idle", "query-sent", "rows", "complete",
};

typedef struct {
  int code;          /* 0: accepted */
  gboolean reusable; /* after an error: the connection can run the next query */
} Outcome;

typedef struct {
  State state;
  char type;
} Cell;

/* ---- messages ------------------------------------------------------------------ */

static void
msg_empty (GByteArray *out, char type)
{
  msg_end (out, msg_begin (out, type));
}

/* CopyInResponse, CopyOutResponse, CopyBothResponse: text, no column. */
static void
msg_copy_response (GByteArray *out, char type)
{
  guint m = msg_begin (out, type);

  g_byte_array_append (out, (const guint8 *) "\0", 1);
  put_u16 (out, 0);
  msg_end (out, m);
}

/* One well-formed message of @type ('l' stands for '1', the table needs
 * printable unique letters only for readability; see type_byte()). */
static void
build_message (char type, GByteArray *out)
{
  guint m;

  switch (type)
    {
    case 'R':
      msg_auth (out, 0, NULL, 0);
      break;
    case 'K':
      msg_key (out);
      break;
    case 'v':
      msg_negotiate_version (out);
      break;
    case 'S':
      msg_param (out, "application_name", "table");
      break;
    case 'N':
      msg_error (out, 'N', "01000", "a notice");
      break;
    case 'A':
      msg_notification (out);
      break;
    case 'Z':
      msg_ready (out);
      break;
    case 'E':
      msg_error (out, 'E', "XX000", "boom");
      break;
    case 'T':
      msg_row_description (out);
      break;
    case 'D':
      msg_data_row (out, "{\"n\":1}");
      break;
    case 'C':
      msg_complete (out, "SELECT 1");
      break;
    case 't': /* ParameterDescription: no parameter */
      m = msg_begin (out, 't');
      put_u16 (out, 0);
      msg_end (out, m);
      break;
    case 'd': /* CopyData */
      m = msg_begin (out, 'd');
      g_byte_array_append (out, (const guint8 *) "x\n", 2);
      msg_end (out, m);
      break;
    case 'H':
    case 'G':
    case 'W':
      msg_copy_response (out, type);
      break;
    case 'l': /* ParseComplete */
      msg_empty (out, '1');
      break;
    case 'I': /* EmptyQueryResponse */
    case 'n': /* NoData */
    case '2': /* BindComplete */
    case '3': /* CloseComplete */
    case 's': /* PortalSuspended */
    case 'c': /* CopyDone */
    case 'x': /* not a message type */
    default:
      msg_empty (out, type);
      break;
    }
}

static char
type_byte (char type)
{
  return type == 'l' ? '1' : type;
}

/* Appends the messages named by @letters. */
static void
build_messages (const char *letters, GByteArray *out)
{
  for (; *letters != '\0'; letters++)
    build_message (*letters, out);
}

/* ---- expected outcomes ----------------------------------------------------------- */

static Outcome
expected_outcome (State state, char type)
{
  Outcome accepted = { 0, TRUE };
  Outcome protocol = { FRAISE_ERROR_PROTOCOL, FALSE };
  Outcome server = { FRAISE_ERROR_SERVER, TRUE };
  Outcome schema = { FRAISE_ERROR_INVALID_SCHEMA, TRUE };

  /* Asynchronous messages are legal everywhere. */
  if (type == 'N' || type == 'S' || type == 'A')
    return accepted;

  switch (state)
    {
    case STATE_STARTUP:
      if (type == 'R' || type == 'v')
        return accepted;
      if (type == 'E')
        return (Outcome){ FRAISE_ERROR_CONNECTION_FAILED, FALSE };
      return protocol;
    case STATE_SASL:
      if (type == 'R') /* AuthenticationOk before the server proved itself */
        return (Outcome){ FRAISE_ERROR_AUTHENTICATION, FALSE };
      if (type == 'E')
        return (Outcome){ FRAISE_ERROR_CONNECTION_FAILED, FALSE };
      return protocol;
    case STATE_AUTHENTICATED:
      if (type == 'K' || type == 'Z')
        return accepted;
      if (type == 'E')
        return (Outcome){ FRAISE_ERROR_CONNECTION_FAILED, FALSE };
      return protocol;
    case STATE_IDLE:
      if (type == 'E')
        return (Outcome){ FRAISE_ERROR_CONNECTION_LOST, FALSE };
      return protocol;
    case STATE_QUERY_SENT:
      if (type == 'T' || type == 'C')
        return accepted;
      if (type == 'I' || type == 'Z' || type == 'H')
        return schema;
      if (type == 'E')
        return server;
      return protocol;
    case STATE_ROWS:
      if (type == 'D' || type == 'C')
        return accepted;
      if (type == 'E')
        return server;
      return protocol;
    case STATE_COMPLETE:
    case N_STATES:
    default:
      if (type == 'Z' || type == 'C' || type == 'I')
        return accepted;
      /* A next statement's result (a second SELECT, a COPY) is valid
       * protocol that the library does not serve. */
      if (type == 'T' || type == 'H')
        return schema;
      if (type == 'E')
        return server;
      return protocol;
    }
}

/* ---- the server's side ------------------------------------------------------------ */

static State current_state;

/* AuthenticationOk through ReadyForQuery. */
static void
build_session_start (GByteArray *out, gboolean with_auth_ok)
{
  if (with_auth_ok)
    msg_auth (out, 0, NULL, 0);
  msg_param (out, "client_encoding", "UTF8");
  msg_param (out, "server_version", "15.0");
  msg_key (out);
  msg_ready (out);
}

/* (c): AuthenticationOk, the message, and the rest of the start-up (a
 * ReadyForQuery under test comes after the key, a BackendKeyData under
 * test replaces the key). */
static void
build_authenticated (char type, GByteArray *out)
{
  msg_auth (out, 0, NULL, 0);
  msg_param (out, "client_encoding", "UTF8");
  msg_param (out, "server_version", "15.0");
  if (type == 'Z')
    msg_key (out);
  build_message (type, out);
  if (type != 'K' && type != 'Z')
    msg_key (out);
  if (type != 'Z')
    msg_ready (out);
}

static void
send_sasl_request (Peer *peer)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  msg_auth (out, 10, "SCRAM-SHA-256\0", 15);
  peer_send (peer, out);
}

#define SALT "c2FsdHNhbHQ="

/* The SASLInitialResponse: the message under test, then server-first. */
static void
answer_client_first (Peer *peer, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *first = NULL, *server_first = NULL;
  gsize skip = strlen ((const char *) body) + 1 + 4;

  first = g_strndup ((const char *) body + skip, len - skip);
  g_assert_true (g_str_has_prefix (first, "n,,n=,r="));
  fake->client_nonce = g_strdup (first + strlen ("n,,")); /* client-first-bare */
  build_message ((char) fake->variant, out);
  server_first =
    g_strdup_printf ("r=%ssrv,s=" SALT ",i=4096", fake->client_nonce + strlen ("n=,r="));
  msg_auth (out, 11, server_first, strlen (server_first));
  peer_send (peer, out);
}

/* The client-final: a valid server-final, then the session. */
static void
answer_client_final (Peer *peer, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *final = g_strndup ((const char *) body, len);
  g_autofree char *server_first = NULL, *auth_message = NULL, *signature = NULL;
  g_autofree char *server_final = NULL;
  char *proof = strstr (final, ",p=");

  g_assert_nonnull (proof);
  *proof = '\0';
  server_first =
    g_strdup_printf ("r=%ssrv,s=" SALT ",i=4096", fake->client_nonce + strlen ("n=,r="));
  auth_message = g_strdup_printf ("%s,%s,%s", fake->client_nonce, server_first, final);
  signature = fraise_test_scram_signature ("secret", SALT, 4096, auth_message, TRUE);
  server_final = g_strconcat ("v=", signature, NULL);
  msg_auth (out, 12, server_final, strlen (server_final));
  build_session_start (out, TRUE);
  peer_send (peer, out);
}

/* The messages after the one under test that complete the query from
 * @state, as a server would send them if the message were accepted. */
static const char *
query_completion (State state, char type)
{
  const char *full = state == STATE_QUERY_SENT ? "TDCZ" : state == STATE_ROWS ? "DCZ" : "Z";

  if (type == 'Z')
    return "";
  if (type == 'C')
    return state == STATE_QUERY_SENT ? "TDCZ" : "Z";
  if (type == 'E' || type == 'I')
    return "Z";
  if (type == 'H')
    return "dcCZ";
  if (type == 'T' && state == STATE_COMPLETE)
    return "CZ";
  if (type == full[0])
    return full + 1;
  return full;
}

static void
script_table (Peer *peer, int type, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  char tested = (char) fake->variant;
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type == MSG_STARTUP)
    {
      switch (current_state)
        {
        case STATE_STARTUP:
          build_message (tested, out);
          build_session_start (out, tested != 'R');
          break;
        case STATE_SASL:
          send_sasl_request (peer);
          return;
        case STATE_AUTHENTICATED:
          build_authenticated (tested, out);
          break;
        default:
          build_session_start (out, TRUE);
          break;
        }
      peer_send (peer, out);
    }
  else if (type == 'p' && fake->client_nonce == NULL)
    answer_client_first (peer, body, len);
  else if (type == 'p')
    answer_client_final (peer, body, len);
  else if (type == 'Q')
    script_trust (peer, type, body, len);
}

/* ---- the client's side ------------------------------------------------------------- */

static void
on_closed (FraiseClient *client, GError *error, gpointer user_data)
{
  GError **closed_error = user_data;

  if (error != NULL && *closed_error == NULL)
    *closed_error = g_error_copy (error);
}

/* Runs one cell; returns the error of the step that failed (or NULL) and
 * whether the connection could run a next query. */
static GError *
run_cell (const Cell *cell, gboolean *reusable)
{
  g_autoptr(Fake) fake = fake_new (script_table, cell->type);
  g_autoptr(FraiseClient) client = NULL;
  GError *error = NULL;

  current_state = cell->state;
  fake->close_cancel = TRUE;
  *reusable = FALSE;
  if (cell->state >= STATE_QUERY_SENT)
    {
      const char *prefix = cell->state == STATE_ROWS       ? "T"
                           : cell->state == STATE_COMPLETE ? "TDC"
                                                           : "";

      fake->queries = g_byte_array_new ();
      build_messages (prefix, fake->queries);
      build_message (cell->type, fake->queries);
      build_messages (query_completion (cell->state, cell->type), fake->queries);
    }
  else
    {
      fake->queries = g_byte_array_new ();
      build_messages ("TDCZ", fake->queries);
    }
  fake->queries2 = g_byte_array_new ();
  build_messages ("TDCZ", fake->queries2);

  client = connect_fake (fake, "sslmode=disable password=secret", &error);
  if (error != NULL)
    return error;

  if (cell->state == STATE_IDLE)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gulong handler = g_signal_connect (client, "closed", G_CALLBACK (on_closed), &error);

      build_message (cell->type, out);
      peer_send (g_ptr_array_index (fake->peers, 0), out);
      settle ();
      settle ();
      g_signal_handler_disconnect (client, handler);
      if (error != NULL)
        {
          g_assert_false (fraise_client_is_connected (client));
          return error;
        }
    }

  if (cell->state >= STATE_IDLE)
    error = run_query (client, NULL);
  if (fraise_client_is_connected (client))
    {
      GError *next = run_query (client, NULL);

      if (next == NULL)
        *reusable = fraise_client_is_connected (client);
      g_clear_error (&next);
    }
  return error;
}

static void
test_cell (gconstpointer data)
{
  const Cell *cell = data;
  Outcome expected = expected_outcome (cell->state, cell->type);
  const char *name = g_test_get_path ();
  g_autoptr(GError) error = NULL;
  gboolean reusable;
  gboolean ok;

  error = run_cell (cell, &reusable);
  if (error != NULL)
    g_test_message ("%s: %s (%s %d)", name, error->message, g_quark_to_string (error->domain),
                    error->code);
  else
    g_test_message ("%s: accepted, %s", name, reusable ? "reusable" : "not reusable");

  if (expected.code == 0)
    ok = error == NULL && reusable;
  else
    ok = g_error_matches (error, FRAISE_ERROR, expected.code) && reusable == expected.reusable;

  if (ok)
    return;
  g_test_message ("expected %s%s", expected.code == 0 ? "accepted" : "error ",
                  expected.code == 0 ? "" : (expected.reusable ? "(reusable)" : "(closed)"));
  if (expected.code != 0)
    g_test_message ("expected code %d", expected.code);
  g_test_fail ();
}

int
main (int argc, char *argv[])
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  /* Hermetic: no PG* variable from the harness may change what is sent. */
  for (guint i = 0; env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "PG"))
      {
        g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));
        g_unsetenv (name);
      }

  g_test_init (&argc, &argv, NULL);

  for (guint s = 0; s < N_STATES; s++)
    for (guint t = 0; types[t] != '\0'; t++)
      {
        Cell *cell = g_new0 (Cell, 1);
        g_autofree char *path = NULL;
        char shown = type_byte (types[t]);

        cell->state = s;
        cell->type = types[t];
        g_ptr_array_add (cells, cell);
        path = g_strdup_printf ("/message-table/%s/%c", state_names[s], shown);
        g_test_add_data_func (path, cell, test_cell);
      }

  return g_test_run ();
}
