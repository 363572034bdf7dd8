/* fraise-connection-private.h: what the files of the connection share (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The connection is one object spread over four files, one concept each:
 *   fraise-connection.c  the object, transport (reading, writing, backpressure),
 *                        frame dispatch and message legality, the query queue,
 *                        closing and failing
 *   fraise-connect.c     connecting: host list and attempts, timeouts, sockets,
 *                        startup packet, start-up frames, authentication I/O,
 *                        target_session_attrs
 *   fraise-tls.c         TLS configuration, SSLRequest negotiation, handshake
 *   fraise-cancel.c      the CancelRequest side connection
 * The rest of the library uses fraise-connection.h only.
 */

#pragma once

#include "fraise-connection.h"
#include "fraise-authenticator.h"

G_BEGIN_DECLS

typedef enum {
  PHASE_NONE,
  PHASE_SOCKET,       /* TCP / Unix connect in progress */
  PHASE_SSL_RESPONSE, /* SSLRequest sent, waiting for one byte */
  PHASE_TLS,          /* TLS handshake */
  PHASE_AUTH,         /* startup sent, authentication exchange */
  PHASE_STARTUP_WAIT, /* AuthenticationOk received, waiting for ReadyForQuery */
} ConnectPhase;

struct _FraiseConnection {
  GObject parent_instance;

  FraiseConninfo *info;
  GMainContext *context;
  FraiseConnectionState state;

  /* transport */
  GSocketConnection *socket_connection;
  GIOStream *stream; /* socket_connection or a GTlsClientConnection over it */
  GPollableInputStream *input;
  GPollableOutputStream *output;
  GSource *read_source;
  GSource *write_source;
  gboolean reading;
  gboolean pumping;        /* inside pump(): no re-entrant reads */
  gboolean ready_time_set; /* the read source is due at once (frames buffered) */
  GSource *buffered_idle;  /* the same for a plain socket */
  gsize last_read_space;   /* free buffer space offered to the last read */
  gboolean socket_drained; /* the last read emptied the socket: wait for poll() */
  int raw_fd;              /* the plain socket's descriptor, or -1 over TLS */
  FraiseProtoReader *reader;
  GByteArray *outbuf;
  gsize out_pos;
  gboolean outbuf_secret; /* outbuf holds a password message: wiped once written or dropped */
  char *peer_description;
  GSocketAddress *peer_address; /* for CancelRequest */

  /* connect */
  GTask *connect_task;
  GCancellable *attempt_cancellable;
  GSource *timeout_source;
  GSource *cancel_source; /* watches the connect call's cancellable */
  GArray *host_order;     /* guint indexes into info->hosts */
  guint attempt;
  GPtrArray *failures; /* "host: reason" per failed attempt */
  GError *last_error;
  ConnectPhase phase;
  gboolean any_server_will_do; /* prefer-standby found no standby: second pass */
  /* sslmode allow and prefer, as libpq: the other encryption is tried on
   * the same host once when the first attempt failed in a way that allows
   * it (retry_allowed, set where such a failure happens). */
  gboolean encryption_flipped; /* this attempt uses the other encryption */
  gboolean retry_allowed;
  GString *attempt_log; /* "plaintext", "TLS", "direct TLS", comma-separated (tests) */

  /* authentication */
  FraiseAuthenticator *authenticator; /* from the startup packet to AuthenticationOk */
  gboolean auth_seen;                 /* an authentication message arrived in this attempt */
  const char *auth_method;

  /* session */
  GHashTable *parameters;
  guint32 backend_pid;
  guint32 cancel_secret;
  gboolean has_cancel_key;
  gboolean is_tls;
  gboolean tls_started; /* this attempt began a TLS handshake (S, or direct) */
  gboolean channel_bound;

  /* query */
  const FraiseQuerySink *sink;
  gpointer sink_data;
  gboolean cancelling;
  gboolean cancel_in_flight;
  GCancellable *cancel_request_cancellable;
  GSource *cancel_request_timer;
  GSource *cancel_timer;
  /* A query started while an abandoned one drains: sent after ReadyForQuery. */
  GByteArray *queued_query;
  const FraiseQuerySink *queued_sink;
  gpointer queued_sink_data;
  gsize queued_max_row_size;
  gsize queued_row_limit;
  guint64 queries_sent;
};

/* fraise-connection.c: transport */
void fraise_connection_use_stream (FraiseConnection *self, GIOStream *stream);
/* Writes self->outbuf; returns FALSE when the connection failed. */
gboolean fraise_connection_send (FraiseConnection *self);
void fraise_connection_arm_read (FraiseConnection *self);
void fraise_connection_teardown (FraiseConnection *self);
GError *fraise_connection_unexpected_message (FraiseConnection *self,
                                              const FraiseProtoFrame *frame,
                                              const char *when);

/* fraise-connect.c */
const FraiseConninfoHost *fraise_connection_current_host (FraiseConnection *self);
/* Ends the current attempt with @error (taken) and tries the next host. */
void fraise_connection_attempt_failed (FraiseConnection *self, GError *error);
/* Takes the error of a GIO operation of the current attempt (or the timeout's). */
GError *fraise_connection_take_attempt_error (FraiseConnection *self, GError *error);
void fraise_connection_send_startup (FraiseConnection *self);
/* Every frame but N, S and A while connecting. */
void fraise_connection_handle_startup_frame (FraiseConnection *self, const FraiseProtoFrame *frame);

/* The encryptions tried by the last connect, in order ("TLS,plaintext");
 * a server answering N to SSLRequest adds "plaintext" on the same socket. */
const char *fraise_connection_get_attempt_log (FraiseConnection *self);
void fraise_connection_log_attempt (FraiseConnection *self, const char *what);
/* Marks the current attempt's failure as one after which sslmode allow or
 * prefer tries the other encryption on the same host. */
void fraise_connection_allow_encryption_retry (FraiseConnection *self);

/* fraise-tls.c */
GError *fraise_tls_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* A TLS client connection over @base configured from @info (root
 * certificates, client certificate, verification for the sslmode). */
GIOStream *fraise_tls_client_new (const FraiseConninfo *info,
                                  const FraiseConninfoHost *host,
                                  GIOStream *base,
                                  GError **error);
/* fraise-tls-verify.c: reads the CRLs of @info for @tls (CONFIG error
 * naming an unreadable file), then, after the handshake, checks the ALPN
 * protocol of direct TLS, the negotiated protocol version and the server
 * chain's revocation. */
gboolean
fraise_tls_prepare_checks (const FraiseConninfo *info, GTlsConnection *tls, GError **error);
gboolean fraise_tls_check_session (const FraiseConninfo *info,
                                   GTlsConnection *tls,
                                   const char *peer,
                                   GError **error);
/* Whether bytes follow the one-byte answer to SSLRequest (CVE-2021-23222). */
gboolean fraise_tls_bytes_after_answer (GSocketConnection *connection);
/* fraise-tls-client-cert.c: sslcert with its key (sslkey, else the sslcert
 * file), decrypted with sslpassword when encrypted; a CONFIG error naming
 * the keyword and the file otherwise. */
GTlsCertificate *fraise_tls_load_client_certificate (const FraiseConninfo *info, GError **error);
/* sslnegotiation=direct: the handshake at once, no SSLRequest. */
void fraise_connection_start_direct_tls (FraiseConnection *self);
/* Sends SSLRequest on the connected socket; on 'S' runs the handshake and
 * then sends the startup packet (or fails the attempt). */
void fraise_connection_send_ssl_request (FraiseConnection *self);

G_END_DECLS
