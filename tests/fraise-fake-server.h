/* fraise-fake-server.h: a scripted fake PostgreSQL server for fault tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A GSocketService on 127.0.0.1 in the test process; client and server both
 * run on the default main context. A script answers each client message;
 * the builders write well-formed (or deliberately broken) backend messages.
 * Also the client-side helpers the fault tests share.
 */

#pragma once

#include "fraise-test-utils.h"

G_BEGIN_DECLS

#define FAKE_PID 4242
#define FAKE_SECRET 0x5EC7E7u

enum {
  MSG_SSL_REQUEST = 1, /* untyped messages, told apart by their code */
  MSG_STARTUP = 2,
  MSG_CANCEL = 3,
};

typedef struct _Fake Fake;
typedef struct _Peer Peer;

/* Called for each client message: @type is a frontend message type or a MSG_*
 * code; @body excludes the type and length. */
typedef void (*FakeScript) (Peer *peer, int type, const guint8 *body, gsize len);

struct _Peer {
  Fake *fake;
  GSocketConnection *connection;
  GIOStream *stream; /* the connection, or the TLS session over it */
  GByteArray *in;
  GByteArray *out; /* queued replies */
  gboolean writing;
  gboolean close_when_flushed;
  gboolean started; /* the startup packet was seen */
  gboolean closed;
  guint8 buffer[4096];
};

struct _Fake {
  GSocketService *service;
  guint16 port;
  FakeScript script;
  int variant;
  GString *trace;   /* "accept ssl startup p Q cancel eof ..." */
  GString *startup; /* "user=u database=d ..." */
  GPtrArray *peers;
  GByteArray *queries;  /* replies to the first Query, or NULL (silent) */
  GByteArray *queries2; /* replies to the second Query */
  gboolean close_after_query;
  guint n_queries;
  gboolean got_password;
  guint32 cancel_pid, cancel_secret;
  char *client_nonce;
  const char *mechanisms;  /* SASL mechanisms offered by script_scram */
  const char *server_tail; /* server-first after the nonce */
  GByteArray *final_reply; /* reply to the SCRAM client-final */
  guint dribble;           /* slowloris timer */
  gboolean close_cancel;   /* close a CancelRequest's connection, as a real server does */
  /* Set: an SSLRequest is answered S and the peer speaks TLS from then on
   * (traced "tls"); a CancelRequest in plaintext is then refused (traced
   * "plaintext-cancel", connection closed, nothing cancelled). */
  GTlsCertificate *tls_certificate;
  /* With tls_certificate: TLS from the first byte, as PostgreSQL 17's
   * direct negotiation; alpn (nullable) is the protocol the server accepts. */
  gboolean direct_tls;
  const char *alpn;
};

typedef struct {
  gboolean done;
  GError *error;
  gpointer result;
} Wait;

/* ---- backend message builders */

void put_u32 (GByteArray *out, guint32 value);
void put_u16 (GByteArray *out, guint16 value);
void put_str (GByteArray *out, const char *text);
guint msg_begin (GByteArray *out, char type);
void msg_end (GByteArray *out, guint start);
void msg_auth (GByteArray *out, guint32 code, const char *data, gsize len);
void msg_param (GByteArray *out, const char *name, const char *value);
void msg_key (GByteArray *out);
void msg_ready (GByteArray *out);
void msg_row_description (GByteArray *out);
void msg_data_row_len (GByteArray *out, const char *value, gsize len);
void msg_data_row (GByteArray *out, const char *value);
void msg_complete (GByteArray *out, const char *tag);
void msg_error (GByteArray *out, char type, const char *sqlstate, const char *text);
void msg_notification (GByteArray *out);
void msg_negotiate_version (GByteArray *out);
void msg_trust_ok (GByteArray *out);

/* ---- the fake server */

void peer_close (Peer *peer);
void peer_flush (Peer *peer);
void peer_send (Peer *peer, GByteArray *data);
guint32 get_u32 (const guint8 *p);
Fake *fake_new (FakeScript script, int variant);
void settle (void);
void fake_free (Fake *fake);
void script_trust (Peer *peer, int type, const guint8 *body, gsize len);

/* ---- client side */

FraiseClient *connect_fake (Fake *fake, const char *extra, GError **error);
GError *connect_fails (Fake *fake, const char *extra, int code);
FraiseClient *connect_ok (Fake *fake);
void on_executed (GObject *source, GAsyncResult *result, gpointer user_data);
FraiseStream *execute (FraiseClient *client, GError **error);
FraiseRow *next_row (FraiseStream *stream, GError **error);
GError *run_query (FraiseClient *client, GPtrArray *rows);
void assert_message (const GError *error, const char *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

G_END_DECLS
