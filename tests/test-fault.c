/* test-fault.c: a scripted fake PostgreSQL server feeding the client hostile
 * or broken replies (see the fault matrix in the reliability notes)
 *
 * The fake server is a GSocketService on 127.0.0.1 in this process; client and
 * server both run on the default main context. Every scenario asserts the
 * error domain and code, the message, and that the client is then closed or
 * reusable. No real server is needed, so nothing here ever skips.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-fake-server.h"
#include "fraise-client-private.h"
#include "fraise-connection-private.h"

#include <string.h>
#include <sys/socket.h>

/* ---- TLS negotiation ------------------------------------------------------------- */

/* Replies to the SSLRequest with the bytes given by the variant. */
static void
script_ssl (Peer *peer, int type, const guint8 *body, gsize len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type != MSG_SSL_REQUEST)
    return;
  if (peer->fake->close_after_query)
    {
      peer_close (peer);
      return;
    }
  switch (peer->fake->variant)
    {
    case 's': /* S, then a silent TLS handshake */
      g_byte_array_append (out, (const guint8 *) "S", 1);
      break;
    case 'S': /* S and a forged ReadyForQuery in the same segment */
      g_byte_array_append (out, (const guint8 *) "S", 1);
      msg_ready (out);
      break;
    case 'E':
      msg_error (out, 'E', "XX000", "\x1b[2J INJECTED");
      break;
    default:
      g_byte_array_append (out, (const guint8 *) &peer->fake->variant, 1);
      break;
    }
  peer_send (peer, out);
}

static void
test_ssl_injected_bytes (void)
{
  g_autoptr(Fake) fake = fake_new (script_ssl, 'S');
  g_autoptr(GError) error = connect_fails (fake, "sslmode=require", FRAISE_ERROR_TLS);

  assert_message (error, "unencrypted data");
  settle ();
  g_assert_cmpstr (fake->trace->str, ==, "accept ssl eof"); /* one accept */
}

static void
test_ssl_error_response (void)
{
  g_autoptr(Fake) fake = fake_new (script_ssl, 'E');
  g_autoptr(GError) error = connect_fails (fake, "sslmode=prefer", FRAISE_ERROR_TLS);

  assert_message (error, "error response during SSL exchange");
  g_assert_null (strstr (error->message, "INJECTED"));
  g_assert_null (strstr (error->message, "\x1b"));
  settle ();
  /* No plaintext retry. */
  g_assert_cmpstr (fake->trace->str, ==, "accept ssl eof");
}

static void
test_ssl_garbage (void)
{
  g_autoptr(Fake) fake = fake_new (script_ssl, 'X');
  g_autoptr(GError) error = connect_fails (fake, "sslmode=prefer", FRAISE_ERROR_TLS);

  assert_message (error, "invalid response to SSL negotiation");
  settle ();
  g_assert_cmpstr (fake->trace->str, ==, "accept ssl eof"); /* one accept */
}

static void
test_ssl_required_refused (void)
{
  g_autoptr(Fake) fake = fake_new (script_ssl, 'N');
  g_autoptr(GError) error = connect_fails (fake, "sslmode=require", FRAISE_ERROR_TLS);

  assert_message (error, "does not support SSL");
  settle ();
  g_assert_cmpstr (fake->trace->str, ==, "accept ssl eof"); /* one accept */
}

/* A server with ssl off: N to SSLRequest, then trust. */
static void
script_no_ssl (Peer *peer, int type, const guint8 *body, gsize len)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();

  if (type == MSG_STARTUP && peer->fake->variant == 'E')
    {
      msg_error (out, 'E', "28000", "no pg_hba.conf entry");
      peer_send (peer, out);
      peer->close_when_flushed = TRUE;
      peer_flush (peer);
      return;
    }
  if (type != MSG_SSL_REQUEST)
    {
      script_trust (peer, type, body, len);
      return;
    }
  g_byte_array_append (out, (const guint8 *) "N", 1);
  peer_send (peer, out);
}

/* Each sslmode against a server with ssl off (a real one cannot be both on
 * and off for the live table in test-tls): outcome, attempts and what the
 * server saw. */
static void
test_sslmode_ssl_off (void)
{
  static const struct {
    const char *extra;
    gboolean ok;
    const char *attempts;
    const char *trace;
  } cases[] = {
    { "sslmode=disable", TRUE, "plaintext", "accept startup" },
    { "sslmode=allow", TRUE, "plaintext", "accept startup" },
    { "sslmode=prefer", TRUE, "TLS,plaintext", "accept ssl startup" }, /* one socket */
    { "sslmode=require", FALSE, "TLS", "accept ssl" },
    { "sslmode=verify-full sslrootcert=/nonexistent", FALSE, "TLS", "accept ssl" },
  };
  /* The same server refusing the role: prefer does not try plaintext
   * again after N (one socket), allow does not try TLS the server lacks
   * more than once. */
  static const struct {
    const char *extra;
    const char *attempts;
    const char *trace;
  } refusing[] = {
    { "sslmode=prefer", "TLS,plaintext", "accept ssl startup" },
    { "sslmode=allow", "plaintext,TLS,plaintext", "accept startup accept ssl startup" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Fake) fake = fake_new (script_no_ssl, 0);
      g_autoptr (GError) error = NULL;
      g_autoptr (FraiseClient) client = connect_fake (fake, cases[i].extra, &error);

      settle ();
      g_test_message ("%s: %s, %s, server: %s", cases[i].extra, error ? error->message : "ok",
                      fraise_connection_get_attempt_log (_fraise_client_get_connection (client)),
                      fake->trace->str);
      g_assert_cmpint (error == NULL, ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_false (fraise_client_get_is_tls (client));
      g_assert_cmpstr (fraise_connection_get_attempt_log (_fraise_client_get_connection (client)),
                       ==, cases[i].attempts);
      g_assert_true (g_str_has_prefix (fake->trace->str, cases[i].trace));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (refusing); i++)
    {
      g_autoptr (Fake) fake = fake_new (script_no_ssl, 'E');
      g_autoptr (GError) error = NULL;
      g_autoptr (FraiseClient) client = connect_fake (fake, refusing[i].extra, &error);

      settle ();
      g_test_message ("%s: %s, server: %s", refusing[i].extra,
                      fraise_connection_get_attempt_log (_fraise_client_get_connection (client)),
                      fake->trace->str);
      g_assert_nonnull (error);
      g_assert_cmpstr (fraise_connection_get_attempt_log (_fraise_client_get_connection (client)),
                       ==, refusing[i].attempts);
      {
        /* What the server saw, its end-of-file events aside. */
        g_autoptr (GString) seen = g_string_new (fake->trace->str);

        g_string_replace (seen, " eof", "", 0);
        g_assert_cmpstr (seen->str, ==, refusing[i].trace);
      }
    }
}

/* ---- start-up and authentication ----------------------------------------------- */

/* Replies to the startup packet with one auth request (the variant's code). */
static void
script_auth (Peer *peer, int type, const guint8 *body, gsize len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type != MSG_STARTUP)
    return;
  if (peer->fake->variant == 0)
    msg_trust_ok (out);
  else if (peer->fake->variant == 5)
    msg_auth (out, 5, "salt", 4);
  else
    msg_auth (out, peer->fake->variant, NULL, 0);
  peer_send (peer, out);
}

static void
test_startup_packet (void)
{
  g_autoptr(Fake) fake = fake_new (script_auth, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(Fake) named = fake_new (script_auth, 0);
  g_autoptr(FraiseClient) named_client = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (fake->startup->str, ==, "user=u database=d client_encoding=UTF8");
  named_client = connect_fake (named, "sslmode=disable application_name=app", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (named->startup->str, ==,
                   "user=u database=d client_encoding=UTF8 application_name=app");
}

static void
test_negotiate_protocol_version (void)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 'v');
  g_autoptr(FraiseClient) client = connect_ok (fake);

  g_assert_cmpstr (fraise_client_get_server_version (client), ==, "15.0");
}

static void
test_auth_unknown_method (void)
{
  g_autoptr(Fake) fake = fake_new (script_auth, 99);
  g_autoptr(GError) error = connect_fails (fake, "sslmode=disable", FRAISE_ERROR_AUTHENTICATION);

  assert_message (error, "unsupported authentication method 99");
}

/* Cleartext password requested; any password is accepted. */
static void
script_any_password (Peer *peer, int type, const guint8 *body, gsize len)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();

  if (type == MSG_STARTUP)
    msg_auth (out, 3, NULL, 0);
  else if (type == 'p')
    msg_trust_ok (out);
  else
    return;
  peer_send (peer, out);
}

/* A password too big for the socket buffers is written from the main loop,
 * after the first write would block: once it is written, the output buffer
 * (whose memory is kept for the next message) holds none of it. */
static void
test_password_wiped_after_async_write (void)
{
  const gsize n = 8 * 1024 * 1024;
  g_autoptr (Fake) fake = fake_new (script_any_password, 0);
  g_autofree char *password = g_malloc (n + 1);
  g_autofree char *extra = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = NULL;
  FraiseConnection *connection;
  gsize left = 0;

  memset (password, 'Z', n);
  password[n] = '\0';
  extra = g_strdup_printf ("sslmode=disable password=%s", password);
  client = connect_fake (fake, extra, &error);
  g_assert_no_error (error);
  g_assert_true (fake->got_password);
  connection = _fraise_client_get_connection (client);
  g_assert_cmpuint (connection->outbuf->len, ==, 0);
  /* Look at the buffer's memory again, as far as the password went. */
  g_byte_array_set_size (connection->outbuf, (guint) n);
  for (gsize i = 0; i < n; i++)
    left += connection->outbuf->data[i] == 'Z';
  g_byte_array_set_size (connection->outbuf, 0);
  g_assert_cmpuint (left, ==, 0);
}

static void
check_no_password_sent (int code)
{
  g_autoptr(Fake) fake = fake_new (script_auth, code);
  g_autoptr(GError) error = connect_fails (fake,
                                            "sslmode=disable password=secret "
                                            "channel_binding=require",
                                            FRAISE_ERROR_AUTHENTICATION);

  assert_message (error, "channel binding required");
  g_assert_null (strstr (error->message, "secret"));
  settle ();
  g_assert_false (fake->got_password);
  g_assert_cmpstr (fake->trace->str, ==, "accept startup eof");
}

static void
test_auth_channel_binding_cleartext (void)
{
  check_no_password_sent (3);
}

static void
test_auth_channel_binding_md5 (void)
{
  check_no_password_sent (5);
}

static void
test_auth_require_auth_trust (void)
{
  g_autoptr(Fake) fake = fake_new (script_auth, 0);
  g_autoptr(GError) error = connect_fails (fake,
                                            "sslmode=disable password=secret "
                                            "require_auth=scram-sha-256",
                                            FRAISE_ERROR_AUTHENTICATION);

  assert_message (error, "did not complete authentication");
}

/* SCRAM: offers SCRAM-SHA-256 (or fake->mechanisms), answers the client-first
 * with "r=<nonce>srv," + fake->server_tail (variant 'n': a forged nonce), the
 * client-final with fake->final_reply. Variant 'o' answers the client-first
 * with AuthenticationOk, 'd' with a second SASL request. */
static void
script_scram (Peer *peer, int type, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *first = NULL;
  g_autofree char *server_first = NULL;
  const char *mechanisms = fake->mechanisms ? fake->mechanisms : "SCRAM-SHA-256";

  if (type == MSG_STARTUP)
    {
      guint m = msg_begin (out, 'R');

      put_u32 (out, 10);
      if (*mechanisms != '\0')
        put_str (out, mechanisms);
      g_byte_array_append (out, (const guint8 *) "", 1); /* the list ends with an empty name */
      msg_end (out, m);
    }
  else if (type == 'p' && fake->client_nonce == NULL)
    {
      /* mechanism\0, int32 length, "n,,n=,r=<nonce>" */
      gsize skip = strlen ((const char *) body) + 1 + 4;

      g_assert_cmpuint (skip, <, len);
      first = g_strndup ((const char *) body + skip, len - skip);
      g_assert_true (g_str_has_prefix (first, "n,,n=,r="));
      fake->client_nonce = g_strdup (first + strlen ("n,,n=,r="));
      if (fake->variant == 'o')
        msg_auth (out, 0, NULL, 0);
      else if (fake->variant == 'd')
        msg_auth (out, 10, "SCRAM-SHA-256\0", 15);
      else
        {
          server_first =
            g_strconcat ("r=", fake->variant == 'n' ? "forged" : fake->client_nonce, "srv,",
                         fake->server_tail ? fake->server_tail : "s=c2FsdHNhbHQ=,i=4096", NULL);
          msg_auth (out, 11, server_first, strlen (server_first));
        }
    }
  else if (type == 'p' && fake->final_reply != NULL)
    g_byte_array_append (out, fake->final_reply->data, fake->final_reply->len);
  else
    return;
  peer_send (peer, out);
}

static void
test_scram_ok_without_final (void)
{
  g_autoptr(Fake) fake = fake_new (script_scram, 'o');
  g_autoptr(GError) error =
               connect_fails (fake, "sslmode=disable password=secret", FRAISE_ERROR_AUTHENTICATION);

  assert_message (error, "SCRAM exchange not completed");
  g_assert_nonnull (fake->client_nonce);
  g_assert_cmpuint (strlen (fake->client_nonce), >=, 24); /* 18+ random bytes, base64 */
}

typedef struct {
  const char *mechanisms; /* NULL: SCRAM-SHA-256 */
  int variant;
  const char *server_tail; /* NULL: a valid salt and count */
  const char *final;       /* server-final sent as SASLFinal, "ok": AuthenticationOk */
  const char *message;
} ScramCase;

static const ScramCase scram_cases[] = {
  { NULL, 0, "s=c2FsdHNhbHQ=,i=2147483647", NULL, "iteration count 2147483647" },
  { NULL, 0, "s=c2FsdHNhbHQ=,i=0", NULL, "iteration" },
  { NULL, 0, "s=c2FsdHNhbHQ=,i=-1", NULL, "iteration" },
  { NULL, 0, "s=c2FsdHNhbHQ=,i=abc", NULL, "iteration" },
  { NULL, 0, "s=!!!,i=4096", NULL, "salt" },
  { NULL, 0, "s=,i=4096", NULL, "salt" },
  { NULL, 0, "s=c2FsdHNhbHQ=,i=4096,x=y", NULL, "SCRAM" },
  { NULL, 'n', NULL, NULL, "nonce mismatch" },
  { NULL, 'd', NULL, NULL, "duplicate SASL" },
  { NULL, 'o', NULL, NULL, "SCRAM exchange not completed" },
  { NULL, 0, NULL, "ok", "SCRAM exchange not completed" },
  { NULL, 0, NULL, "v=AAAA", "signature" },
  { NULL, 0, NULL, "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "incorrect server signature" },
  { NULL, 0, NULL, "e=other-error", "other-error" },
  { "SCRAM-SHA-1", 0, NULL, NULL, "SCRAM-SHA-1" },
  { "", 0, NULL, NULL, "SASL" },
  { "\x1b[2J INJECTED", 0, NULL, NULL, "INJECTED" }, /* shown escaped, never raw */
};

static void
test_scram_hostile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (scram_cases); i++)
    {
      const ScramCase *c = &scram_cases[i];
      g_autoptr(Fake) fake = fake_new (script_scram, c->variant);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_test_message ("case %u: %s", i, c->message);
      fake->mechanisms = c->mechanisms;
      fake->server_tail = c->server_tail;
      if (c->final != NULL)
        {
          fake->final_reply = g_byte_array_new ();
          if (g_str_equal (c->final, "ok"))
            msg_auth (fake->final_reply, 0, NULL, 0);
          else
            msg_auth (fake->final_reply, 12, c->final, strlen (c->final));
        }
      error = connect_fails (fake, "sslmode=disable password=secret", FRAISE_ERROR_AUTHENTICATION);
      assert_message (error, c->message);
      g_assert_null (strstr (error->message, "secret"));
      g_assert_null (strchr (error->message, '\x1b'));
      /* Rejected at once: no PBKDF2 run on a hostile count. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, fraise_test_scaled (G_USEC_PER_SEC));
      settle ();
      /* A bad mechanism list gets no answer, a bad server-first no client-final. */
      g_assert_cmpstr (fake->trace->str, ==,
                       c->mechanisms != NULL ? "accept startup eof"
                       : c->final != NULL    ? "accept startup p p eof"
                                             : "accept startup p eof");
    }
}

static void
test_silent_server (void)
{
  g_autoptr(Fake) fake = fake_new (NULL, 0);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error =
               connect_fails (fake, "sslmode=prefer connect_timeout=2", FRAISE_ERROR_TIMEOUT);
  gint64 elapsed = g_get_monotonic_time () - start;

  assert_message (error, "connect_timeout=2");
  g_assert_cmpint (elapsed, >=, 1900000);
  g_assert_cmpint (elapsed, <, fraise_test_scaled (5000000));
  g_assert_cmpstr (fake->trace->str, ==, "accept ssl");
}

/* ---- hostile replies to a query ------------------------------------------------ */

/* Connects with a trust start-up and runs one query answered by @reply;
 * returns the query's error. */
static GError *
query_fails (GByteArray *reply, gboolean close_after, int code, GPtrArray *rows)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  GError *error;

  fake->queries = g_byte_array_ref (reply);
  fake->close_after_query = close_after;
  error = run_query (client, rows);
  g_assert_error (error, FRAISE_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_false (fraise_client_is_connected (client));
  settle ();
  if (!close_after)
    g_assert_true (g_str_has_suffix (fake->trace->str, " eof")); /* the client closed it */
  return error;
}

static void
test_query_short_length (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_byte_array_append (reply, (const guint8 *) "Z\0\0\0\3", 5);
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "length");
}

static void
test_query_huge_row (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  msg_row_description (reply);
  g_byte_array_append (reply, (const guint8 *) "D\x7f\xff\xff\xff", 5); /* then stall */
  error = query_fails (reply, FALSE, FRAISE_ERROR_RESOURCE_LIMIT, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, fraise_test_scaled (G_USEC_PER_SEC));
}

static void
test_query_row_before_description (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  msg_data_row (reply, "{}");
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "DataRow before its RowDescription");
}

static void
test_query_bad_field_length (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint m;

  msg_row_description (reply);
  m = msg_begin (reply, 'D');
  put_u16 (reply, 1);
  put_u32 (reply, (guint32) -2);
  g_byte_array_append (reply, (const guint8 *) "{}", 2);
  msg_end (reply, m);
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "DataRow");
}

static void
test_query_bad_field_count (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint m;

  msg_row_description (reply);
  m = msg_begin (reply, 'D');
  put_u16 (reply, 2);
  put_u32 (reply, 2);
  g_byte_array_append (reply, (const guint8 *) "{}", 2);
  put_u32 (reply, 2);
  g_byte_array_append (reply, (const guint8 *) "{}", 2);
  msg_end (reply, m);
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "DataRow");
}

static void
test_query_unterminated_error (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint m = msg_begin (reply, 'E');

  g_byte_array_append (reply, (const guint8 *) "SERROR\0MINSIDE", 14); /* no NULs */
  msg_end (reply, m);
  msg_error (reply, 'N', "01000", "BEYOND");
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "ErrorResponse");
  g_assert_null (strstr (error->message, "BEYOND"));
}

static void
test_query_connection_lost (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GError) error = NULL;

  msg_row_description (reply);
  msg_data_row (reply, "{\"n\":1}");
  msg_data_row (reply, "{\"n\":2}");
  g_byte_array_append (reply, (const guint8 *) "D\0\0\0\x20\0\1", 7); /* a partial row */
  error = query_fails (reply, TRUE, FRAISE_ERROR_CONNECTION_LOST, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (rows, 1), NULL), ==, "{\"n\":2}");
}

static void
on_notice (FraiseClient *client, FraiseServerMessage *message, gpointer user_data)
{
  guint *count = user_data;

  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "01000");
  (*count)++;
}

static void
test_query_async_messages (void)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GError) error = NULL;
  guint notices = 0;

  fake->queries = g_byte_array_new ();
  msg_row_description (fake->queries);
  msg_data_row (fake->queries, "1");
  msg_error (fake->queries, 'N', "01000", "a notice");
  msg_data_row (fake->queries, "2");
  msg_notification (fake->queries);
  msg_data_row (fake->queries, "3");
  msg_param (fake->queries, "application_name", "other");
  msg_data_row (fake->queries, "4");
  msg_complete (fake->queries, "SELECT 4");
  msg_ready (fake->queries);
  /* Then the server switches client_encoding in the middle of the next query. */
  fake->queries2 = g_byte_array_new ();
  msg_row_description (fake->queries2);
  msg_data_row (fake->queries2, "1");
  msg_param (fake->queries2, "client_encoding", "LATIN1");
  msg_data_row (fake->queries2, "2");
  msg_complete (fake->queries2, "SELECT 2");
  msg_ready (fake->queries2);

  g_signal_connect (client, "notice", G_CALLBACK (on_notice), &notices);
  error = run_query (client, rows);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpuint (notices, ==, 1);
  g_assert_cmpstr (fraise_client_get_parameter (client, "application_name"), ==, "other");
  g_assert_true (fraise_client_is_connected (client));

  error = run_query (client, NULL);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL);
  assert_message (error, "client_encoding");
  g_assert_false (fraise_client_is_connected (client));
}

static void
test_query_bad_json (void)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) json_error = NULL;

  g_string_append (deep, "{\"a\":");
  fake->queries = g_byte_array_new ();
  msg_row_description (fake->queries);
  msg_data_row (fake->queries, deep->str);
  g_string_truncate (deep, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  msg_data_row (fake->queries, deep->str);
  msg_complete (fake->queries, "SELECT 2");
  msg_ready (fake->queries);
  fake->queries2 = g_byte_array_new ();
  msg_row_description (fake->queries2);
  msg_data_row (fake->queries2, "{\"ok\":true}");
  msg_complete (fake->queries2, "SELECT 1");
  msg_ready (fake->queries2);

  error = run_query (client, rows);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (fraise_row_get_text (g_ptr_array_index (rows, 0), NULL), ==, "{\"a\":");
  g_assert_null (fraise_row_get_node (g_ptr_array_index (rows, 0), &json_error));
  g_assert_error (json_error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_message (json_error, "row 0");
  g_clear_error (&json_error);
  g_assert_null (fraise_row_get_node (g_ptr_array_index (rows, 1), &json_error));
  g_assert_error (json_error, FRAISE_ERROR, FRAISE_ERROR_JSON);
  assert_message (json_error, "row 1");

  /* The client is reusable. */
  g_ptr_array_set_size (rows, 0);
  error = run_query (client, rows);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (fraise_client_is_connected (client));
}

static void
test_query_unknown_message (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint m;

  msg_row_description (reply);
  msg_data_row (reply, "1");
  m = msg_begin (reply, '!');
  msg_end (reply, m);
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "unexpected");
}

static void
test_query_copy_in (void)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint m = msg_begin (reply, 'G');

  g_byte_array_append (reply, (const guint8 *) "\0", 1);
  put_u16 (reply, 0);
  msg_end (reply, m);
  error = query_fails (reply, FALSE, FRAISE_ERROR_PROTOCOL, NULL);
  assert_message (error, "CopyInResponse");
}

/* ---- start-up tables ------------------------------------------------------------ */

/* Replies to the startup packet with fake->queries. */
static void
script_canned_startup (Peer *peer, int type, const guint8 *body, gsize len)
{
  if (type == MSG_STARTUP && peer->fake->queries != NULL)
    peer_send (peer, peer->fake->queries);
}

typedef struct {
  char which;
  const char *extra;
  int code;
  const char *message;
} StartupCase;

static void
build_startup_reply (char which, GByteArray *out)
{
  guint m;

  switch (which)
    {
    case '7': /* an Authentication message of length 7 */
      g_byte_array_append (out, (const guint8 *) "R\0\0\0\7\0\0\0", 8);
      break;
    case 'L': /* an Authentication message of 5000 bytes */
      m = msg_begin (out, 'R');
      put_u32 (out, 10);
      for (guint i = 0; i < 4996; i++)
        g_byte_array_append (out, (const guint8 *) "A", 1);
      msg_end (out, m);
      break;
    case '3':
      msg_auth (out, 3, NULL, 0);
      break;
    case '0':
      msg_auth (out, 0, NULL, 0);
      break;
    case 'E':
      msg_error (out, 'E', "57P03", "the database system is starting up");
      break;
    case 'e': /* an ErrorResponse that is not valid UTF-8 */
      msg_error (out, 'E', "28000", "bad \xff\xfe bytes");
      break;
    case 'S':
      msg_auth (out, 0, NULL, 0);
      msg_param (out, "client_encoding", "LATIN1");
      break;
    case 'D':
      msg_data_row (out, "{}");
      break;
    case 'Z':
      msg_ready (out);
      break;
    case 'K': /* BackendKeyData of 8 bytes */
      msg_auth (out, 0, NULL, 0);
      m = msg_begin (out, 'K');
      put_u32 (out, 1);
      msg_end (out, m);
      break;
    case 'k': /* two BackendKeyData */
      msg_auth (out, 0, NULL, 0);
      msg_key (out);
      msg_key (out);
      msg_ready (out);
      break;
    case 'V': /* NegotiateProtocolVersion after authentication */
      msg_auth (out, 0, NULL, 0);
      msg_negotiate_version (out);
      break;
    case 's': /* AuthenticationOk, then silence */
      msg_auth (out, 0, NULL, 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

static const StartupCase startup_cases[] = {
  { '7', "", FRAISE_ERROR_PROTOCOL, "malformed Authentication" },
  { 'L', "", FRAISE_ERROR_PROTOCOL, "authentication request of 5000 bytes" },
  { '3', "require_auth=scram-sha-256", FRAISE_ERROR_AUTHENTICATION, "require_auth" },
  { '0', "channel_binding=require", FRAISE_ERROR_AUTHENTICATION, "without channel binding" },
  { 'E', "", FRAISE_ERROR_CONNECTION_FAILED, "57P03" },
  { 'e', "", FRAISE_ERROR_AUTHENTICATION, "bad" },
  { 'S', "", FRAISE_ERROR_PROTOCOL, "client_encoding" },
  { 'D', "", FRAISE_ERROR_PROTOCOL, "DataRow" },
  { 'Z', "", FRAISE_ERROR_PROTOCOL, "before authentication completed" },
  { 'K', "", FRAISE_ERROR_PROTOCOL, "BackendKeyData" },
  { 'k', "", FRAISE_ERROR_PROTOCOL, "BackendKeyData message a second time" },
  { 'V', "", FRAISE_ERROR_PROTOCOL, "NegotiateProtocolVersion message after an authentication" },
  { 's', "connect_timeout=2", FRAISE_ERROR_TIMEOUT, "connect_timeout=2" },
};

static void
test_startup_hostile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (startup_cases); i++)
    {
      const StartupCase *c = &startup_cases[i];
      g_autoptr(Fake) fake = fake_new (script_canned_startup, 0);
      g_autofree char *extra = g_strdup_printf ("sslmode=disable password=secret %s", c->extra);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %c: %s", c->which, c->message);
      fake->queries = g_byte_array_new ();
      build_startup_reply (c->which, fake->queries);
      error = connect_fails (fake, extra, c->code);
      assert_message (error, c->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpint (fraise_error_is_retriable (error), ==, c->which == 'E' || c->which == 's');
      settle ();
      g_assert_false (fake->got_password);
      g_assert_cmpstr (fake->trace->str, ==, "accept startup eof");
    }
}

/* The TLS and the authentication phases are both covered by connect_timeout. */
static void
test_silent_after_ssl (void)
{
  g_autoptr(Fake) fake = fake_new (script_ssl, 's');
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  error = connect_fails (fake, "sslmode=require connect_timeout=2", FRAISE_ERROR_TIMEOUT);
  elapsed = g_get_monotonic_time () - start;
  assert_message (error, "connect_timeout=2");
  g_assert_cmpint (elapsed, >=, 1900000);
  g_assert_cmpint (elapsed, <, fraise_test_scaled (5000000));
}

static void
test_ssl_eof (void)
{
  g_autoptr(Fake) fake = fake_new (script_ssl, 0);
  g_autoptr(GError) error = NULL;

  fake->close_after_query = TRUE; /* see script_ssl: closes instead of answering */
  error = connect_fails (fake, "sslmode=prefer", FRAISE_ERROR_CONNECTION_FAILED);
  assert_message (error, "during SSL negotiation");
}

static void
test_startup_invalid_utf8_parameter (void)
{
  g_autoptr(Fake) fake = fake_new (script_canned_startup, 0);
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(GError) error = NULL;

  fake->queries = g_byte_array_new ();
  msg_auth (fake->queries, 0, NULL, 0);
  msg_param (fake->queries, "server_version", "15.0 \xff\xfe");
  msg_param (fake->queries, "session_authorization", "\xc3");
  msg_ready (fake->queries);
  client = connect_fake (fake, "sslmode=disable", &error);
  g_assert_no_error (error);
  /* No key: the connection works, but cancellation is unavailable. */
  g_assert_cmpuint (fraise_client_get_backend_pid (client), ==, 0);
  g_assert_true (g_str_has_prefix (fraise_client_get_server_version (client), "15.0 "));
  g_assert_true (g_utf8_validate (fraise_client_get_server_version (client), -1, NULL));
  g_assert_true (
    g_utf8_validate (fraise_client_get_parameter (client, "session_authorization"), -1, NULL));
}

/* ---- query tables --------------------------------------------------------------- */

typedef struct {
  char which;
  int code;
  const char *message;
  gboolean reusable; /* the reply ends with ReadyForQuery and a second query works */
} QueryCase;

static void
build_query_reply (char which, GByteArray *out)
{
  guint m;

  msg_row_description (out);
  msg_data_row (out, "{\"n\":1}");
  switch (which)
    {
    case '0':
      g_byte_array_append (out, (const guint8 *) "Z\0\0\0\0", 5);
      break;
    case '-':
      g_byte_array_append (out, (const guint8 *) "Z\xff\xff\xff\xff", 5);
      break;
    case 'C': /* a CommandComplete of 40000 bytes */
      m = msg_begin (out, 'C');
      for (guint i = 0; i < 39995; i++)
        g_byte_array_append (out, (const guint8 *) "x", 1);
      put_str (out, "");
      msg_end (out, m);
      break;
    case 'z': /* ReadyForQuery with 2 status bytes */
      g_byte_array_append (out, (const guint8 *) "Z\0\0\0\6II", 7);
      break;
    case 'X': /* ReadyForQuery with status X */
      g_byte_array_append (out, (const guint8 *) "Z\0\0\0\5X", 6);
      break;
    case 'c': /* tag without its NUL */
      g_byte_array_append (out, (const guint8 *) "C\0\0\0\x0aSELECT", 11);
      break;
    case 'S':
      g_byte_array_append (out,
                           (const guint8 *) "S\0\0\0\x0a"
                                            "name\0v",
                           11);
      break;
    case 'N':
      g_byte_array_append (out, (const guint8 *) "N\0\0\0\x0bSNOTICE", 12);
      break;
    case 'm': /* INT32_MIN field length */
      m = msg_begin (out, 'D');
      put_u16 (out, 1);
      put_u32 (out, 0x80000000u);
      msg_end (out, m);
      break;
    case 'r': /* field length beyond the message */
      m = msg_begin (out, 'D');
      put_u16 (out, 1);
      put_u32 (out, 3);
      g_byte_array_append (out, (const guint8 *) "{}", 2);
      msg_end (out, m);
      break;
    case 'o': /* no field */
      m = msg_begin (out, 'D');
      put_u16 (out, 0);
      msg_end (out, m);
      break;
    case 'M': /* 65535 fields */
      m = msg_begin (out, 'D');
      put_u16 (out, 65535);
      put_u32 (out, 2);
      g_byte_array_append (out, (const guint8 *) "{}", 2);
      msg_end (out, m);
      break;
    case 'a': /* NotificationResponse without its payload */
      g_byte_array_append (out,
                           (const guint8 *) "A\0\0\0\x0c\0\0\0\1"
                                            "chan",
                           13);
      break;
    case 'n': /* type byte 0x00 */
      g_byte_array_append (out, (const guint8 *) "\0\0\0\0\4", 5);
      break;
    case 'R':
      msg_auth (out, 0, NULL, 0);
      break;
    case 'T': /* a second result set, then the end */
      msg_row_description (out);
      msg_complete (out, "SELECT 1");
      msg_ready (out);
      break;
    case 'E': /* an error whose text is not valid UTF-8 */
      msg_error (out, 'E', "XX000", "bad \xff\xfe bytes");
      msg_ready (out);
      break;
    default:
      g_assert_not_reached ();
    }
}

static const QueryCase query_cases[] = {
  { '0', FRAISE_ERROR_PROTOCOL, "invalid message length 0", FALSE },
  { '-', FRAISE_ERROR_PROTOCOL, "invalid message length -1", FALSE },
  { 'C', FRAISE_ERROR_PROTOCOL, "limited to", FALSE },
  { 'z', FRAISE_ERROR_PROTOCOL, "ReadyForQuery", FALSE },
  { 'X', FRAISE_ERROR_PROTOCOL, "ReadyForQuery", FALSE },
  { 'c', FRAISE_ERROR_PROTOCOL, "CommandComplete", FALSE },
  { 'S', FRAISE_ERROR_PROTOCOL, "ParameterStatus", FALSE },
  { 'N', FRAISE_ERROR_PROTOCOL, "NoticeResponse", FALSE },
  { 'a', FRAISE_ERROR_PROTOCOL, "NotificationResponse", FALSE },
  { 'm', FRAISE_ERROR_PROTOCOL, "DataRow", FALSE },
  { 'r', FRAISE_ERROR_PROTOCOL, "DataRow", FALSE },
  { 'o', FRAISE_ERROR_PROTOCOL, "DataRow", FALSE },
  { 'M', FRAISE_ERROR_PROTOCOL, "DataRow", FALSE },
  { 'n', FRAISE_ERROR_PROTOCOL, "0x00", FALSE },
  { 'R', FRAISE_ERROR_PROTOCOL, "Authentication", FALSE },
  { 'T', FRAISE_ERROR_PROTOCOL, "second RowDescription", FALSE },
  { 'E', FRAISE_ERROR_SERVER, "bad", TRUE },
};

static void
test_query_hostile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (query_cases); i++)
    {
      const QueryCase *c = &query_cases[i];
      g_autoptr(Fake) fake = fake_new (script_trust, 0);
      g_autoptr(FraiseClient) client = connect_ok (fake);
      g_autoptr(GPtrArray) rows =
                   g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %c: %s", c->which, c->message);
      fake->queries = g_byte_array_new ();
      build_query_reply (c->which, fake->queries);
      fake->queries2 = g_byte_array_new ();
      msg_row_description (fake->queries2);
      msg_complete (fake->queries2, "SELECT 0");
      msg_ready (fake->queries2);
      error = run_query (client, rows);
      g_assert_error (error, FRAISE_ERROR, c->code);
      assert_message (error, c->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* Rows before the fault are delivered; nothing partial. */
      g_assert_cmpuint (rows->len, <=, 1);
      g_assert_cmpint (fraise_client_is_connected (client), ==, c->reusable);
      g_clear_error (&error);
      if (c->reusable)
        {
          error = run_query (client, NULL);
          g_assert_no_error (error);
        }
      else
        {
          settle ();
          g_assert_true (g_str_has_suffix (fake->trace->str, " eof"));
        }
    }
}

/* RST in the middle of a row (SO_LINGER 0). */
static void
test_query_reset (void)
{
  g_autoptr(Fake) fake = fake_new (script_trust, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GError) error = NULL;
  Peer *peer = g_ptr_array_index (fake->peers, 0);
  struct linger linger = { 1, 0 };

  fake->queries = g_byte_array_new ();
  msg_row_description (fake->queries);
  msg_data_row (fake->queries, "{\"n\":1}");
  g_byte_array_append (fake->queries, (const guint8 *) "D\0\0\0\x20\0\1\0\0\0\x18{\"n\"", 15);
  fake->close_after_query = TRUE;
  g_assert_cmpint (setsockopt (g_socket_get_fd (g_socket_connection_get_socket (peer->connection)),
                               SOL_SOCKET, SO_LINGER, &linger, sizeof linger),
                   ==, 0);
  error = run_query (client, rows);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONNECTION_LOST);
  assert_message (error, "127.0.0.1");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_false (fraise_client_is_connected (client));
}

/* Slowloris: one byte of a DataRow every 100 ms; the query deadline still fires. */
static gboolean
dribble (gpointer user_data)
{
  Peer *peer = user_data;
  g_autoptr(GByteArray) out = g_byte_array_new ();

  g_byte_array_append (out, (const guint8 *) "x", 1);
  peer_send (peer, out);
  return G_SOURCE_CONTINUE;
}

static void
script_slowloris (Peer *peer, int type, const guint8 *body, gsize len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type != 'Q')
    {
      script_trust (peer, type, body, len);
      return;
    }
  msg_row_description (out);
  g_byte_array_append (out, (const guint8 *) "D\0\0\x10\0\0\1\0\0\x0f\xf6", 11);
  peer_send (peer, out);
  peer->fake->dribble = g_timeout_add (100, dribble, peer);
}

static void
test_query_slowloris (void)
{
  g_autoptr(Fake) fake = fake_new (script_slowloris, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_x");
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gint64 start = g_get_monotonic_time ();

  fraise_query_set_timeout (query, 300);
  fraise_query_execute_async (query, NULL, on_executed, &wait);
  fraise_test_wait_for (&wait.done);
  g_assert_no_error (wait.error);
  stream = wait.result;
  g_assert_null (next_row (stream, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_TIMEOUT);
  assert_message (error, "300 ms");
  /* The deadline, plus the 2 s drain the server never completes. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, fraise_test_scaled (4 * G_USEC_PER_SEC));
  g_assert_false (fraise_client_is_connected (client));
  g_assert_nonnull (strstr (fake->trace->str, "cancel"));
}

/* ---- cancellation ------------------------------------------------------------- */

/* One row, then waits; on the CancelRequest, ends the query with 57014. */
static void
script_cancel (Peer *peer, int type, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  Peer *main_peer = g_ptr_array_index (fake->peers, 0);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type == 'Q' && fake->n_queries++ == 0)
    {
      msg_row_description (out);
      msg_data_row (out, "{\"n\":1}");
      peer_send (peer, out);
    }
  else if (type == MSG_CANCEL)
    {
      peer_close (peer);
      if (fake->variant == 'K')
        msg_key (out); /* never legal during a query, not even while it drains */
      msg_error (out, 'E', "57014", "canceling statement due to user request");
      msg_ready (out);
      peer_send (main_peer, out);
    }
  else
    script_trust (peer, type, body, len);
}

static void
test_cancel (void)
{
  g_autoptr(Fake) fake = fake_new (script_cancel, 0);
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(FraiseStream) stream = NULL;
  g_autoptr(FraiseRow) row = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_row_unref);
  g_autoptr(GError) error = NULL;

  fake->queries2 = g_byte_array_new ();
  msg_row_description (fake->queries2);
  msg_data_row (fake->queries2, "{\"n\":2}");
  msg_complete (fake->queries2, "SELECT 1");
  msg_ready (fake->queries2);

  stream = execute (client, &error);
  g_assert_no_error (error);
  row = next_row (stream, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  fraise_stream_cancel (stream);
  g_assert_null (next_row (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_CANCELLED);
  g_assert_cmpuint (fake->peers->len, ==, 2);
  g_assert_cmpuint (fake->cancel_pid, ==, FAKE_PID);
  g_assert_cmpuint (fake->cancel_secret, ==, FAKE_SECRET);

  /* Reusable. */
  g_clear_error (&error);
  error = run_query (client, rows);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (fraise_client_is_connected (client));
}

static GTlsCertificate *
harness_certificate (const char *name)
{
  const char *dir = g_getenv ("FRAISE_TEST_TLS_DIR");
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate;

  if (fraise_test_get_uri ("FRAISE_TEST_URI_TLS") == NULL) /* the harness made the files */
    return NULL;
  g_assert_nonnull (dir);
  cert = g_build_filename (dir, name, NULL);
  key = g_build_filename (dir, "server.key", NULL);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return certificate;
}

/* Connects to @fake over TLS with @extra, starts a query, reads its first
 * row and cancels it: the query must end as cancelled. */
static void
cancel_over_tls (Fake *fake, const char *extra)
{
  g_autoptr (FraiseClient) client = NULL;
  g_autoptr (FraiseStream) stream = NULL;
  g_autoptr (FraiseRow) row = NULL;
  g_autoptr (GError) error = NULL;
  gint64 deadline;

  client = connect_fake (fake, extra, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_get_is_tls (client));
  stream = execute (client, &error);
  g_assert_no_error (error);
  row = next_row (stream, &error);
  g_assert_no_error (error);
  fraise_stream_cancel (stream);
  g_assert_null (next_row (stream, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The stream may end (its cancel deadline) before the fake has read the
   * request from the cancel connection's TLS session: wait for it. */
  deadline = g_get_monotonic_time () + fraise_test_scaled (10 * G_USEC_PER_SEC);
  while (!g_str_has_suffix (fake->trace->str, " cancel") &&
         strstr (fake->trace->str, " cancel ") == NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_test_message ("trace: %s", fake->trace->str);
}

/* sslnegotiation=direct against a server that speaks TLS from the first
 * byte: it connects when the server agrees to ALPN "postgresql" (no
 * SSLRequest is sent), and is refused, before the startup packet, when the
 * server offers no ALPN protocol. So is the cancel request. */
static void
test_direct_tls (void)
{
  g_autoptr (Fake) fake = fake_new (script_cancel, 0);
  g_autoptr (Fake) no_alpn = fake_new (script_trust, 0);
  g_autoptr (FraiseClient) client = NULL;
  g_autoptr (GError) error = NULL;

  if ((fake->tls_certificate = harness_certificate ("server.crt")) == NULL)
    return;
  fake->direct_tls = TRUE;
  fake->alpn = "postgresql";
  cancel_over_tls (fake, "sslmode=require sslnegotiation=direct");
  g_assert_nonnull (strstr (fake->trace->str, "accept tls startup Q accept tls cancel"));
  g_assert_null (strstr (fake->trace->str, "ssl"));

  no_alpn->tls_certificate = g_object_ref (fake->tls_certificate);
  no_alpn->direct_tls = TRUE;
  client = connect_fake (no_alpn, "sslmode=require sslnegotiation=direct", &error);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "did not agree to the ALPN protocol \"postgresql\""));
  g_assert_null (strstr (no_alpn->trace->str, "startup"));
}

/* A certificate of the right CA and name, but expired: refused by the modes
 * that verify, accepted by require without a root certificate, as libpq. */
static void
test_expired_certificate (void)
{
  const char *dir = g_getenv ("FRAISE_TEST_TLS_DIR");
  g_autoptr (Fake) fake = fake_new (script_trust, 0);
  g_autoptr (Fake) control = fake_new (script_trust, 0);
  g_autofree char *verify_full = NULL;
  g_autofree char *verify_ca = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = NULL;

  if ((fake->tls_certificate = harness_certificate ("expired.crt")) == NULL)
    return;
  verify_full = g_strdup_printf ("sslmode=verify-full sslrootcert=%s/ca.crt", dir);
  verify_ca = g_strdup_printf ("sslmode=verify-ca sslrootcert=%s/ca.crt", dir);
  g_clear_error (&error);
  error = connect_fails (fake, verify_full, FRAISE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "TLS handshake"));
  g_clear_error (&error);
  error = connect_fails (fake, verify_ca, FRAISE_ERROR_TLS);
  g_clear_error (&error);
  g_assert_null (strstr (fake->trace->str, "startup"));
  client = connect_fake (fake, "sslmode=require sslrootcert=/nonexistent", &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_get_is_tls (client));

  /* The control: the same fake with the valid certificate passes verify-full. */
  g_clear_object (&client);
  g_clear_object (&control->tls_certificate);
  control->tls_certificate = harness_certificate ("server.crt");
  client = connect_fake (control, verify_full, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_get_is_tls (client));
}

/* A certificate of the right CA for another name: verify-full refuses it
 * when dialling 127.0.0.1, and accepts it when host names it (hostaddr
 * dials); verify-ca accepts it. */
static void
test_other_name_certificate (void)
{
  const char *dir = g_getenv ("FRAISE_TEST_TLS_DIR");
  g_autoptr (Fake) fake = fake_new (script_trust, 0);
  g_autofree char *verify_full = NULL;
  g_autofree char *named = NULL;
  g_autofree char *verify_ca = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseClient) client = NULL;
  g_autoptr (FraiseClient) named_client = NULL;

  if ((fake->tls_certificate = harness_certificate ("other-name.crt")) == NULL)
    return;
  verify_full = g_strdup_printf ("sslmode=verify-full sslrootcert=%s/ca.crt", dir);
  named = g_strdup_printf ("sslmode=verify-full sslrootcert=%s/ca.crt host=db.other.example "
                           "hostaddr=127.0.0.1",
                           dir);
  verify_ca = g_strdup_printf ("sslmode=verify-ca sslrootcert=%s/ca.crt", dir);
  error = connect_fails (fake, verify_full, FRAISE_ERROR_TLS);
  g_clear_error (&error);
  named_client = connect_fake (fake, named, &error);
  g_assert_no_error (error);
  client = connect_fake (fake, verify_ca, &error);
  g_assert_no_error (error);
  g_assert_true (fraise_client_get_is_tls (client));
}

/* A server that takes the CancelRequest only over TLS (a plaintext one is
 * refused, nothing cancelled): the client's cancel of a TLS session is
 * encrypted, so the query ends. A plaintext cancel would leave it running
 * and the stream would time out. */
static void
test_cancel_over_tls (void)
{
  g_autoptr (Fake) fake = fake_new (script_cancel, 0);

  if ((fake->tls_certificate = harness_certificate ("server.crt")) == NULL)
    return;
  cancel_over_tls (fake, "sslmode=require");
  g_assert_nonnull (strstr (fake->trace->str, "accept ssl tls startup Q accept ssl tls cancel"));
  g_assert_null (strstr (fake->trace->str, "plaintext-cancel"));
  g_assert_cmpuint (fake->cancel_pid, ==, FAKE_PID);
  g_assert_cmpuint (fake->cancel_secret, ==, FAKE_SECRET);
}

/* An abandoned query drains with no sink: the connection itself refuses a
 * start-up message then. */
static void
test_cancel_drain_refuses_key (void)
{
  g_autoptr(Fake) fake = fake_new (script_cancel, 'K');
  g_autoptr(FraiseClient) client = connect_ok (fake);
  g_autoptr(GError) error = NULL;
  FraiseStream *stream = execute (client, &error);
  FraiseRow *row;

  g_assert_no_error (error);
  row = next_row (stream, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  fraise_row_unref (row);
  g_object_unref (stream);
  for (guint i = 0; i < 40 && fraise_client_is_connected (client); i++)
    settle ();
  g_assert_nonnull (strstr (fake->trace->str, "cancel"));
  g_assert_false (fraise_client_is_connected (client));
}

int
main (int argc, char *argv[])
{
  g_auto(GStrv) env = g_get_environ ();

  /* Hermetic: no PG* variable from the harness may change what is sent. */
  for (guint i = 0; env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "PG"))
      {
        g_autofree char *name = g_strndup (env[i], strcspn (env[i], "="));
        g_unsetenv (name);
      }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fault/ssl/injected-bytes", test_ssl_injected_bytes);
  g_test_add_func ("/fault/ssl/error-response", test_ssl_error_response);
  g_test_add_func ("/fault/ssl/garbage", test_ssl_garbage);
  g_test_add_func ("/fault/ssl/required-refused", test_ssl_required_refused);
  g_test_add_func ("/fault/startup/packet", test_startup_packet);
  g_test_add_func ("/fault/startup/negotiate-protocol-version", test_negotiate_protocol_version);
  g_test_add_func ("/fault/startup/silent-server", test_silent_server);
  g_test_add_func ("/fault/auth/unknown-method", test_auth_unknown_method);
  g_test_add_func ("/fault/auth/channel-binding-cleartext", test_auth_channel_binding_cleartext);
  g_test_add_func ("/fault/auth/channel-binding-md5", test_auth_channel_binding_md5);
  g_test_add_func ("/fault/auth/require-auth-trust", test_auth_require_auth_trust);
  g_test_add_func ("/fault/scram/ok-without-final", test_scram_ok_without_final);
  g_test_add_func ("/fault/scram/hostile", test_scram_hostile);
  g_test_add_func ("/fault/query/short-length", test_query_short_length);
  g_test_add_func ("/fault/query/huge-row", test_query_huge_row);
  g_test_add_func ("/fault/query/row-before-description", test_query_row_before_description);
  g_test_add_func ("/fault/query/bad-field-length", test_query_bad_field_length);
  g_test_add_func ("/fault/query/bad-field-count", test_query_bad_field_count);
  g_test_add_func ("/fault/query/unterminated-error", test_query_unterminated_error);
  g_test_add_func ("/fault/query/connection-lost", test_query_connection_lost);
  g_test_add_func ("/fault/query/async-messages", test_query_async_messages);
  g_test_add_func ("/fault/query/bad-json", test_query_bad_json);
  g_test_add_func ("/fault/query/unknown-message", test_query_unknown_message);
  g_test_add_func ("/fault/query/copy-in", test_query_copy_in);
  g_test_add_func ("/fault/query/cancel", test_cancel);
  g_test_add_func ("/fault/query/cancel-over-tls", test_cancel_over_tls);
  g_test_add_func ("/fault/connect/direct-tls", test_direct_tls);
  g_test_add_func ("/fault/connect/sslmode-ssl-off", test_sslmode_ssl_off);
  g_test_add_func ("/fault/auth/password-wiped-after-async-write",
                   test_password_wiped_after_async_write);
  g_test_add_func ("/fault/connect/expired-certificate", test_expired_certificate);
  g_test_add_func ("/fault/connect/other-name-certificate", test_other_name_certificate);
  g_test_add_func ("/fault/query/cancel-drain-refuses-key", test_cancel_drain_refuses_key);
  g_test_add_func ("/fault/startup/hostile", test_startup_hostile);
  g_test_add_func ("/fault/startup/silent-after-ssl", test_silent_after_ssl);
  g_test_add_func ("/fault/ssl/eof", test_ssl_eof);
  g_test_add_func ("/fault/startup/invalid-utf8-parameter", test_startup_invalid_utf8_parameter);
  g_test_add_func ("/fault/query/hostile", test_query_hostile);
  g_test_add_func ("/fault/query/reset", test_query_reset);
  g_test_add_func ("/fault/query/slowloris", test_query_slowloris);

  return g_test_run ();
}
