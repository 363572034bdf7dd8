/* fraise-fake-server.c: a scripted fake PostgreSQL server for fault tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-fake-server.h"

#include <string.h>

/* ---- backend message builders ------------------------------------------------ */

void
put_u32 (GByteArray *out, guint32 value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, 4);
}

void
put_u16 (GByteArray *out, guint16 value)
{
  guint16 be = GUINT16_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, 2);
}

void
put_str (GByteArray *out, const char *text)
{
  g_byte_array_append (out, (const guint8 *) text, strlen (text) + 1);
}

/* Starts a message; msg_end() patches its length. */
guint
msg_begin (GByteArray *out, char type)
{
  guint start = out->len;

  g_byte_array_append (out, (const guint8 *) &type, 1);
  put_u32 (out, 0);
  return start;
}

void
msg_end (GByteArray *out, guint start)
{
  guint32 be = GUINT32_TO_BE (out->len - start - 1);

  memcpy (out->data + start + 1, &be, 4);
}

void
msg_auth (GByteArray *out, guint32 code, const char *data, gsize len)
{
  guint m = msg_begin (out, 'R');

  put_u32 (out, code);
  if (data != NULL)
    g_byte_array_append (out, (const guint8 *) data, len);
  msg_end (out, m);
}

void
msg_param (GByteArray *out, const char *name, const char *value)
{
  guint m = msg_begin (out, 'S');

  put_str (out, name);
  put_str (out, value);
  msg_end (out, m);
}

void
msg_key (GByteArray *out)
{
  guint m = msg_begin (out, 'K');

  put_u32 (out, FAKE_PID);
  put_u32 (out, FAKE_SECRET);
  msg_end (out, m);
}

void
msg_ready (GByteArray *out)
{
  guint m = msg_begin (out, 'Z');

  g_byte_array_append (out, (const guint8 *) "I", 1);
  msg_end (out, m);
}

/* One column "data" of type jsonb, text format. */
void
msg_row_description (GByteArray *out)
{
  guint m = msg_begin (out, 'T');

  put_u16 (out, 1);
  put_str (out, "data");
  put_u32 (out, 0);    /* table oid */
  put_u16 (out, 0);    /* attribute number */
  put_u32 (out, 3802); /* jsonb */
  put_u16 (out, (guint16) -1);
  put_u32 (out, (guint32) -1);
  put_u16 (out, 0); /* text */
  msg_end (out, m);
}

void
msg_data_row_len (GByteArray *out, const char *value, gsize len)
{
  guint m = msg_begin (out, 'D');

  put_u16 (out, 1);
  put_u32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) value, len);
  msg_end (out, m);
}

void
msg_data_row (GByteArray *out, const char *value)
{
  msg_data_row_len (out, value, strlen (value));
}

void
msg_complete (GByteArray *out, const char *tag)
{
  guint m = msg_begin (out, 'C');

  put_str (out, tag);
  msg_end (out, m);
}

/* ErrorResponse ('E') or NoticeResponse ('N'). */
void
msg_error (GByteArray *out, char type, const char *sqlstate, const char *text)
{
  guint m = msg_begin (out, type);

  put_str (out, type == 'E' ? "SERROR" : "SNOTICE");
  put_str (out, type == 'E' ? "VERROR" : "VNOTICE");
  g_byte_array_append (out, (const guint8 *) "C", 1);
  put_str (out, sqlstate);
  g_byte_array_append (out, (const guint8 *) "M", 1);
  put_str (out, text);
  g_byte_array_append (out, (const guint8 *) "", 1);
  msg_end (out, m);
}

void
msg_notification (GByteArray *out)
{
  guint m = msg_begin (out, 'A');

  put_u32 (out, 77);
  put_str (out, "channel");
  put_str (out, "payload");
  msg_end (out, m);
}

void
msg_negotiate_version (GByteArray *out)
{
  guint m = msg_begin (out, 'v');

  put_u32 (out, 0);
  put_u32 (out, 1);
  put_str (out, "_pq_.unknown");
  msg_end (out, m);
}

/* A successful trust start-up. */
void
msg_trust_ok (GByteArray *out)
{
  msg_auth (out, 0, NULL, 0);
  msg_param (out, "client_encoding", "UTF8");
  msg_param (out, "server_version", "15.0");
  msg_key (out);
  msg_ready (out);
}

/* ---- the fake server ----------------------------------------------------------- */

static void peer_read (Peer *peer);

void
peer_close (Peer *peer)
{
  if (peer->closed)
    return;
  peer->closed = TRUE;
  g_io_stream_close (peer->stream, NULL, NULL);
  if (peer->stream != G_IO_STREAM (peer->connection))
    g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
}

static void
peer_free (Peer *peer)
{
  peer_close (peer);
  g_object_unref (peer->stream);
  g_object_unref (peer->connection);
  g_byte_array_unref (peer->in);
  g_byte_array_unref (peer->out);
  g_free (peer);
}

static void
on_peer_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Peer *peer = user_data;
  gsize written = 0;

  /* Errors (the client closed first) are expected in many scenarios. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, NULL);
  peer->writing = FALSE;
  g_byte_array_remove_range (peer->out, 0, MIN (written, peer->out->len));
  if (written == 0)
    g_byte_array_set_size (peer->out, 0);
  peer_flush (peer);
}

void
peer_flush (Peer *peer)
{
  if (peer->writing || peer->closed)
    return;
  if (peer->out->len == 0)
    {
      if (peer->close_when_flushed)
        peer_close (peer);
      return;
    }
  peer->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (peer->stream), peer->out->data,
                                   peer->out->len, G_PRIORITY_DEFAULT, NULL, on_peer_written, peer);
}

/* Queues @data in one write, so a reply can share a segment with what follows. */
void
peer_send (Peer *peer, GByteArray *data)
{
  g_byte_array_append (peer->out, data->data, data->len);
  peer_flush (peer);
}

static void
trace (Fake *fake, const char *event)
{
  if (fake->trace->len > 0)
    g_string_append_c (fake->trace, ' ');
  g_string_append (fake->trace, event);
}

guint32
get_u32 (const guint8 *p)
{
  guint32 be;

  memcpy (&be, p, 4);
  return GUINT32_FROM_BE (be);
}

static void
record_startup (Fake *fake, const guint8 *body, gsize len)
{
  gsize i = 4;

  g_assert_cmpuint (get_u32 (body), ==, 196608);
  while (i < len && body[i] != '\0')
    {
      const char *key = (const char *) body + i;
      const char *value = key + strlen (key) + 1;

      g_assert_cmpuint (value - (const char *) body, <, len);
      if (fake->startup->len > 0)
        g_string_append_c (fake->startup, ' ');
      g_string_append_printf (fake->startup, "%s=%s", key, value);
      i = (const guint8 *) value + strlen (value) + 1 - body;
    }
  g_assert_cmpuint (i + 1, ==, len);
}

/* Answers S in the clear, then speaks TLS: GIO runs the handshake on the
 * first read of the TLS stream. */
static void
peer_start_tls (Peer *peer)
{
  g_autoptr (GError) error = NULL;
  GIOStream *tls;

  if (!peer->fake->direct_tls)
    g_assert_true (g_output_stream_write_all (
      g_io_stream_get_output_stream (G_IO_STREAM (peer->connection)), "S", 1, NULL, NULL, &error));
  g_assert_no_error (error);
  tls = g_tls_server_connection_new (G_IO_STREAM (peer->connection), peer->fake->tls_certificate,
                                     &error);
  g_assert_no_error (error);
  if (peer->fake->alpn != NULL)
    {
      const char *protocols[] = { peer->fake->alpn, NULL };

      g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls), protocols);
    }
  g_object_unref (peer->stream);
  peer->stream = tls;
  peer->started = FALSE; /* the startup or cancel packet follows, untyped */
  trace (peer->fake, "tls");
}

static void
peer_dispatch (Peer *peer, int type, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  char name[2] = { (char) type, '\0' };

  switch (type)
    {
    case MSG_SSL_REQUEST:
      trace (fake, "ssl");
      if (fake->tls_certificate != NULL)
        {
          peer_start_tls (peer);
          return;
        }
      break;
    case MSG_STARTUP:
      trace (fake, "startup");
      record_startup (fake, body, len);
      break;
    case MSG_CANCEL:
      if (fake->tls_certificate != NULL && peer->stream == G_IO_STREAM (peer->connection))
        {
          trace (fake, "plaintext-cancel");
          peer_close (peer);
          return;
        }
      trace (fake, "cancel");
      g_assert_cmpuint (len, ==, 12);
      fake->cancel_pid = get_u32 (body + 4);
      fake->cancel_secret = get_u32 (body + 8);
      if (fake->close_cancel)
        peer_close (peer); /* as a real server does */
      break;
    default:
      trace (fake, name);
      if (type == 'p')
        fake->got_password = TRUE;
      break;
    }
  if (fake->script != NULL)
    fake->script (peer, type, body, len);
}

/* Splits the client's bytes into messages (the first ones are untyped). */
static void
peer_parse (Peer *peer)
{
  for (;;)
    {
      gsize header = peer->started ? 5 : 4;
      const guint8 *p = peer->in->data;
      guint32 len;
      int type;

      if (peer->in->len < header)
        return;
      len = get_u32 (p + header - 4);
      g_assert_cmpuint (len, >=, 4);
      if (peer->in->len < header - 4 + len)
        return;
      if (peer->started)
        type = p[0];
      else
        {
          guint32 code = len >= 8 ? get_u32 (p + 4) : 0;

          type = code == 80877103 ? MSG_SSL_REQUEST : code == 80877102 ? MSG_CANCEL : MSG_STARTUP;
          peer->started = type == MSG_STARTUP;
        }
      peer_dispatch (peer, type, p + header, len - 4);
      if (peer->closed)
        return;
      g_byte_array_remove_range (peer->in, 0, header - 4 + len);
    }
}

static void
on_peer_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Peer *peer = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (peer->closed)
    return;
  if (n <= 0)
    {
      trace (peer->fake, "eof");
      peer_close (peer);
      return;
    }
  g_byte_array_append (peer->in, peer->buffer, n);
  peer_parse (peer);
  peer_read (peer);
}

static void
peer_read (Peer *peer)
{
  if (peer->closed)
    return;
  g_input_stream_read_async (g_io_stream_get_input_stream (peer->stream), peer->buffer,
                             sizeof peer->buffer, G_PRIORITY_DEFAULT, NULL, on_peer_read, peer);
}

static gboolean
on_incoming (GSocketService *service,
             GSocketConnection *connection,
             GObject *source_object,
             gpointer user_data)
{
  Fake *fake = user_data;
  Peer *peer = g_new0 (Peer, 1);

  peer->fake = fake;
  peer->connection = g_object_ref (connection);
  peer->stream = g_object_ref (G_IO_STREAM (connection));
  peer->in = g_byte_array_new ();
  peer->out = g_byte_array_new ();
  g_ptr_array_add (fake->peers, peer);
  trace (fake, "accept");
  if (fake->tls_certificate != NULL && fake->direct_tls)
    peer_start_tls (peer);
  peer_read (peer);
  return TRUE;
}

Fake *
fake_new (FakeScript script, int variant)
{
  Fake *fake = g_new0 (Fake, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  fake->script = script;
  fake->variant = variant;
  fake->close_cancel = script == NULL || script == script_trust;
  fake->trace = g_string_new (NULL);
  fake->startup = g_string_new (NULL);
  fake->peers = g_ptr_array_new ();
  fake->service = g_socket_service_new ();
  g_signal_connect (fake->service, "incoming", G_CALLBACK (on_incoming), fake);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (fake->service), any,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                                &effective, NULL));
  fake->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_service_start (fake->service);
  return fake;
}

/* Lets pending writes, reads and callbacks on both sides run out. */
void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 50000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

void
fake_free (Fake *fake)
{
  guint i;

  settle ();
  g_socket_service_stop (fake->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->service));
  g_object_unref (fake->service);
  for (i = 0; i < fake->peers->len; i++)
    peer_close (g_ptr_array_index (fake->peers, i));
  settle (); /* the cancelled reads and writes complete */
  g_ptr_array_set_free_func (fake->peers, (GDestroyNotify) peer_free);
  g_ptr_array_unref (fake->peers);
  g_string_free (fake->trace, TRUE);
  g_string_free (fake->startup, TRUE);
  g_clear_pointer (&fake->queries, g_byte_array_unref);
  g_clear_object (&fake->tls_certificate);
  g_clear_pointer (&fake->queries2, g_byte_array_unref);
  g_clear_pointer (&fake->final_reply, g_byte_array_unref);
  g_clear_handle_id (&fake->dribble, g_source_remove);
  g_free (fake->client_nonce);
  g_free (fake);
}

/* The usual script: trust start-up, then the canned replies to each Query. */
void
script_trust (Peer *peer, int type, const guint8 *body, gsize len)
{
  Fake *fake = peer->fake;
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (type == MSG_STARTUP)
    {
      if (fake->variant == 'v')
        msg_negotiate_version (out);
      msg_trust_ok (out);
      peer_send (peer, out);
    }
  else if (type == 'Q')
    {
      GByteArray *reply = fake->n_queries++ == 0 ? fake->queries : fake->queries2;

      if (reply != NULL)
        peer_send (peer, reply);
      if (fake->close_after_query)
        peer->close_when_flushed = TRUE, peer_flush (peer);
    }
}

/* ---- client side ------------------------------------------------------------- */

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  fraise_client_connect_finish (FRAISE_CLIENT (source), result, &wait->error);
  wait->done = TRUE;
}

/* Connects to @fake with extra conninfo; returns the client and sets @error. */
FraiseClient *
connect_fake (Fake *fake, const char *extra, GError **error)
{
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u user=u dbname=d "
                                               "connect_timeout=5 %s",
                                               fake->port, extra);
  g_autoptr(GError) local = NULL;
  FraiseClient *client = fraise_client_new (conninfo, &local);
  Wait wait = { 0 };

  g_assert_no_error (local);
  fraise_client_connect_async (client, NULL, on_connected, &wait);
  fraise_test_wait_for (&wait.done);
  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      g_test_message ("connect error: %s", (*error)->message);
      g_assert_false (fraise_client_is_connected (client));
    }
  return client;
}

/* Connects and expects @code; returns the error. */
GError *
connect_fails (Fake *fake, const char *extra, int code)
{
  GError *error = NULL;
  g_autoptr(FraiseClient) client = connect_fake (fake, extra, &error);

  g_assert_error (error, FRAISE_ERROR, code);
  g_assert_false (fraise_client_is_connected (client));
  return error;
}

FraiseClient *
connect_ok (Fake *fake)
{
  g_autoptr(GError) error = NULL;
  FraiseClient *client = connect_fake (fake, "sslmode=disable", &error);

  g_assert_no_error (error);
  g_assert_true (fraise_client_is_connected (client));
  g_assert_cmpuint (fraise_client_get_backend_pid (client), ==, FAKE_PID);
  return client;
}

void
on_executed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = fraise_query_execute_finish (FRAISE_QUERY (source), result, &wait->error);
  wait->done = TRUE;
}

FraiseStream *
execute (FraiseClient *client, GError **error)
{
  g_autoptr(FraiseQuery) query = fraise_client_query (client, "v_x");
  Wait wait = { 0 };

  fraise_query_execute_async (query, NULL, on_executed, &wait);
  fraise_test_wait_for (&wait.done);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.result;
}

static void
on_next (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = fraise_stream_next_finish (FRAISE_STREAM (source), result, &wait->error);
  wait->done = TRUE;
}

FraiseRow *
next_row (FraiseStream *stream, GError **error)
{
  Wait wait = { 0 };

  fraise_stream_next_async (stream, NULL, on_next, &wait);
  fraise_test_wait_for (&wait.done);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.result;
}

/* Runs the query and pulls every row into @rows (if not NULL) until the end or
 * an error, which is returned. */
GError *
run_query (FraiseClient *client, GPtrArray *rows)
{
  GError *error = NULL;
  g_autoptr(FraiseStream) stream = execute (client, &error);
  FraiseRow *row;

  if (stream == NULL)
    return error;
  while ((row = next_row (stream, &error)) != NULL)
    if (rows != NULL)
      g_ptr_array_add (rows, row);
    else
      fraise_row_unref (row);
  if (error != NULL)
    g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_FAILED);
  else
    g_assert_cmpint (fraise_stream_get_state (stream), ==, FRAISE_STREAM_STATE_COMPLETED);
  return error;
}

/* Fails the test (and goes on, to show every mismatch) unless @part is in
 * the message. */
void
assert_message (const GError *error, const char *part)
{
  g_test_message ("error: %s", error->message);
  if (strstr (error->message, part) == NULL)
    {
      g_test_message ("MISMATCH: \"%s\" not in the error message \"%s\"", part, error->message);
      g_test_fail ();
    }
}
