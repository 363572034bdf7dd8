/* fraise-proto.h: pure PostgreSQL protocol 3.0 codec (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The frame reader turns an arbitrarily split byte stream into complete
 * messages; the parse functions decode one message body each and validate it
 * completely (every length is checked against the body, strings must be
 * NUL-terminated inside the body, nothing may follow the last field).
 * Errors are FRAISE_ERROR_PROTOCOL unless stated otherwise.
 */

#pragma once

#include <glib.h>
#include "fraise-private.h"

G_BEGIN_DECLS

/* Limits. */
#define FRAISE_PROTO_MAX_SHORT_MESSAGE 30000   /* body+4 of any type but T D d V E N A */
#define FRAISE_PROTO_MAX_OUTGOING (1u << 30)   /* refuse outgoing messages above 1 GiB */
#define FRAISE_PROTO_MAX_AUTH_MESSAGE 2000     /* 'R' during startup, libpq's bound */
#define FRAISE_PROTO_MAX_STARTUP_MESSAGE 10000 /* the server's MAX_STARTUP_PACKET_LENGTH */
#define FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE (64u * 1024 * 1024)

#define FRAISE_PROTO_SSL_REQUEST_CODE 80877103
#define FRAISE_PROTO_CANCEL_REQUEST_CODE 80877102
#define FRAISE_PROTO_VERSION_3_0 196608

#define FRAISE_OID_JSON 114
#define FRAISE_OID_JSONB 3802

/* One complete message. @body points into the reader's buffer and stays valid
 * until the next call to fraise_proto_reader_next_frame(), _commit(),
 * _get_write_space() or _feed(). */
typedef struct {
  guint8 type;
  const guint8 *body;
  gsize len; /* body length, without the type byte and the 4-byte length */
} FraiseProtoFrame;

typedef enum {
  FRAISE_PROTO_NEED_MORE, /* no complete message buffered */
  FRAISE_PROTO_FRAME,     /* *frame is filled */
  FRAISE_PROTO_ERROR,     /* *error is set; the stream is unusable */
  FRAISE_PROTO_SKIPPED,   /* a DataRow over the row limit: frame->type and
                           * frame->len are set, frame->body is NULL, and its
                           * bytes are discarded as they arrive */
} FraiseProtoStatus;

typedef struct _FraiseProtoReader FraiseProtoReader;

/* @max_row_size bounds DataRow messages (checked from the header, before any
 * allocation: FRAISE_ERROR_RESOURCE_LIMIT); other long messages (T d V E N A)
 * are bounded by the same value; short messages by FRAISE_PROTO_MAX_SHORT_MESSAGE. */
FraiseProtoReader *fraise_proto_reader_new (gsize max_row_size);
void fraise_proto_reader_free (FraiseProtoReader *reader);
void fraise_proto_reader_set_max_row_size (FraiseProtoReader *reader, gsize max_row_size);
/* DataRows whose body is longer than @row_limit (but within max-row-size)
 * are not buffered: next_frame() reports them as SKIPPED once their header
 * is read and the reader then discards their bytes, so the messages after
 * them are read as usual. G_MAXSIZE (the default) skips nothing. */
void fraise_proto_reader_set_row_limit (FraiseProtoReader *reader, gsize row_limit);
/* Gives back @frame, the frame the last next_frame() call returned: the next
 * call returns it again. Valid only before any other call on @reader. */
void fraise_proto_reader_unread (FraiseProtoReader *reader, const FraiseProtoFrame *frame);
/* Bytes the reader's buffer holds allocated (at least 64 KiB). */
gsize fraise_proto_reader_get_size (FraiseProtoReader *reader);

/* Zero-copy feeding: ask for a writable area, read into it, then commit the
 * number of bytes read. *@available is an output only and is always at least
 * 1. The area is sized for the message being assembled: when its checked size
 * exceeds the buffer, the buffer grows to exactly that size, and once such a
 * message is consumed it shrinks back to 64 KiB. Call it after next_frame()
 * returned NEED_MORE: if complete frames are left unread and fill the
 * buffer, it grows by a small step instead. */
guint8 *fraise_proto_reader_get_write_space (FraiseProtoReader *reader, gsize *available);
void fraise_proto_reader_commit (FraiseProtoReader *reader, gsize n_bytes);

/* Copying feed, for tests and fuzzers. Takes all of @data (the caller already
 * holds it, so the buffer may grow past the current message to hold it). */
void fraise_proto_reader_feed (FraiseProtoReader *reader, const guint8 *data, gsize len);

/* Returns the next complete message. A length below 4, a short message over
 * the short limit or a DataRow over max-row-size fails as soon as the
 * 5-byte header is buffered; the reader never waits for bytes a header denies.
 * Once a header is refused (here or by get_write_space()), every later call
 * returns a copy of the same error, committed or fed bytes are discarded, and
 * get_write_space() still returns a usable area. */
FraiseProtoStatus
fraise_proto_reader_next_frame (FraiseProtoReader *reader, FraiseProtoFrame *frame, GError **error);

/* Bytes buffered but not yet returned as frames. */
gsize fraise_proto_reader_get_pending (FraiseProtoReader *reader);
/* Number of bytes a single read may use right now without growing the buffer. */
gsize fraise_proto_reader_get_capacity (FraiseProtoReader *reader);

/* ---- decoders ---------------------------------------------------------- */

typedef enum {
  FRAISE_PROTO_AUTH_OK = 0,
  FRAISE_PROTO_AUTH_CLEARTEXT = 3,
  FRAISE_PROTO_AUTH_MD5 = 5,
  FRAISE_PROTO_AUTH_SASL = 10,
  FRAISE_PROTO_AUTH_SASL_CONTINUE = 11,
  FRAISE_PROTO_AUTH_SASL_FINAL = 12,
} FraiseProtoAuthCode;

typedef struct {
  FraiseProtoAuthCode code;
  const guint8 *data; /* payload after the code (md5: 4-byte salt; SASL: mechanism list; SASL
                         continue/final: SASL data) */
  gsize data_len;
} FraiseProtoAuth;

/* 'R'. Unknown codes fail with FRAISE_ERROR_AUTHENTICATION
 * "unsupported authentication method N (...)"; md5 needs exactly 4 salt bytes;
 * ok/cleartext need no payload. */
gboolean
fraise_proto_parse_auth (const FraiseProtoFrame *frame, FraiseProtoAuth *out, GError **error);

/* The SASL mechanism list of an AuthenticationSASL payload: NUL-terminated
 * names followed by an empty name. Returns a NULL-terminated strv. */
gchar **fraise_proto_parse_sasl_mechanisms (const guint8 *data, gsize len, GError **error);

/* 'K' */
gboolean fraise_proto_parse_backend_key_data (const FraiseProtoFrame *frame,
                                              guint32 *pid,
                                              guint32 *secret,
                                              GError **error);
/* 'S': @name and @value point into the frame. */
gboolean fraise_proto_parse_parameter_status (const FraiseProtoFrame *frame,
                                              const char **name,
                                              const char **value,
                                              GError **error);
/* 'Z': status is 'I', 'T' or 'E'. */
gboolean
fraise_proto_parse_ready_for_query (const FraiseProtoFrame *frame, char *status, GError **error);

typedef struct {
  const char *name; /* points into the frame */
  guint32 table_oid;
  gint16 column_attr;
  guint32 type_oid;
  gint16 type_size;
  gint32 type_modifier;
  gint16 format;
} FraiseProtoColumn;

/* 'T': fills up to @max_columns entries of @columns and sets *n_columns to the real count
 * (which may exceed @max_columns: the extra columns are still validated). */
gboolean fraise_proto_parse_row_description (const FraiseProtoFrame *frame,
                                             FraiseProtoColumn *columns,
                                             guint max_columns,
                                             guint *n_columns,
                                             GError **error);

typedef struct {
  const guint8 *value; /* NULL for SQL NULL */
  gssize len;          /* -1 for SQL NULL */
} FraiseProtoField;

/* 'D': the row must have exactly @n_expected fields; lengths must be -1 or
 * >= 0 and fit inside the body, and nothing may follow the last field.
 * With @fields NULL the row is only validated. */
gboolean fraise_proto_parse_data_row (const FraiseProtoFrame *frame,
                                      FraiseProtoField *fields,
                                      guint n_expected,
                                      GError **error);

/* 'C' */
gboolean fraise_proto_parse_command_complete (const FraiseProtoFrame *frame,
                                              const char **tag,
                                              GError **error);
/* 'I' (EmptyQueryResponse), also used for other empty-bodied messages ('1','2','3','n','s','c') */
gboolean fraise_proto_parse_empty (const FraiseProtoFrame *frame, GError **error);
/* 'H', 'G', 'W' (CopyOut/CopyIn/CopyBothResponse): the overall format (0 or
 * 1), then one 0/1 format code per column, and nothing after. */
gboolean fraise_proto_parse_copy_response (const FraiseProtoFrame *frame, GError **error);
/* 'E' and 'N': every field is kept. */
FraiseServerMessage *fraise_proto_parse_error_fields (const FraiseProtoFrame *frame,
                                                      GError **error);
/* 'A' */
gboolean fraise_proto_parse_notification (const FraiseProtoFrame *frame,
                                          guint32 *pid,
                                          const char **channel,
                                          const char **payload,
                                          GError **error);
/* 'v': newest minor version the server supports and the options it did not recognise. */
gboolean fraise_proto_parse_negotiate_protocol_version (const FraiseProtoFrame *frame,
                                                        guint32 *newest_minor,
                                                        gchar ***unrecognized,
                                                        GError **error);

/* Human name of a message type byte for debug output ("DataRow"). */
const char *fraise_proto_backend_message_name (guint8 type);

/* ---- writers ----------------------------------------------------------- */
/* Each appends one complete message to @out. Those that can fail leave @out
 * unchanged on error. Messages over FRAISE_PROTO_MAX_OUTGOING fail with
 * FRAISE_ERROR_CONFIG before anything is appended. Strings with embedded NUL
 * cannot be expressed (lengths are taken with strlen) except for query text,
 * which has an explicit length and fails with FRAISE_ERROR_CONFIG on NUL. */

/* @keys/@values: NULL-terminated parallel arrays, in order. An empty parameter
 * name, a NULL value and a message over FRAISE_PROTO_MAX_STARTUP_MESSAGE
 * (which the server would refuse) fail with FRAISE_ERROR_CONFIG. */
gboolean fraise_proto_write_startup (GByteArray *out,
                                     const char *const *keys,
                                     const char *const *values,
                                     GError **error);
void fraise_proto_write_ssl_request (GByteArray *out);
void fraise_proto_write_cancel_request (GByteArray *out, guint32 pid, guint32 secret);
gboolean fraise_proto_write_query (GByteArray *out, const char *sql, gsize len, GError **error);
gboolean fraise_proto_write_password (GByteArray *out, const char *password, GError **error);
/* @data NULL sends length -1 (no initial response). */
gboolean fraise_proto_write_sasl_initial_response (
  GByteArray *out, const char *mechanism, const guint8 *data, gsize len, GError **error);
gboolean
fraise_proto_write_sasl_response (GByteArray *out, const guint8 *data, gsize len, GError **error);
void fraise_proto_write_terminate (GByteArray *out);

G_END_DECLS
