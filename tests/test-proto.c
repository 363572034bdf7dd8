/* test-proto.c: the protocol codec (frame reader, decoders, writers)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"
#include "fraise-proto.h"

#include <string.h>

#define INITIAL_BUFFER (64 * 1024)

/* A string literal and its length without the implicit NUL. */
#define LIT(s) (s), (sizeof (s) - 1)
#define U8(s) ((const guint8 *) (s)), (sizeof (s) - 1)

/* ---- message builder ------------------------------------------------------ */

static GByteArray *
msg_new (guint8 type)
{
  static const guint8 header_placeholder[4] = { 0 };
  GByteArray *m = g_byte_array_new ();

  g_byte_array_append (m, &type, 1);
  g_byte_array_append (m, header_placeholder, 4);
  return m;
}

static void
put_u8 (GByteArray *m, guint8 v)
{
  g_byte_array_append (m, &v, 1);
}

static void
put_u16 (GByteArray *m, guint16 v)
{
  guint8 b[2] = { (guint8) (v >> 8), (guint8) v };

  g_byte_array_append (m, b, 2);
}

static void
put_u32 (GByteArray *m, guint32 v)
{
  guint8 b[4] = { (guint8) (v >> 24), (guint8) (v >> 16), (guint8) (v >> 8), (guint8) v };

  g_byte_array_append (m, b, 4);
}

static void
put_raw (GByteArray *m, const char *s, gsize len)
{
  g_byte_array_append (m, (const guint8 *) s, (guint) len);
}

/* A string with its NUL. */
static void
put_str (GByteArray *m, const char *s)
{
  put_raw (m, s, strlen (s) + 1);
}

/* Patches the length field (everything after the type byte). */
static GBytes *
msg_end (GByteArray *m)
{
  guint32 len = m->len - 1;

  m->data[1] = (guint8) (len >> 24);
  m->data[2] = (guint8) (len >> 16);
  m->data[3] = (guint8) (len >> 8);
  m->data[4] = (guint8) len;
  return g_byte_array_free_to_bytes (m);
}

static GBytes *
msg_header_only (guint8 type, guint32 length)
{
  GByteArray *m = g_byte_array_new ();

  put_u8 (m, type);
  put_u32 (m, length);
  return g_byte_array_free_to_bytes (m);
}

static GBytes *
msg_empty (guint8 type)
{
  return msg_end (msg_new (type));
}

static GBytes *
msg_auth (guint32 code, const char *payload, gsize len)
{
  GByteArray *m = msg_new ('R');

  put_u32 (m, code);
  put_raw (m, payload, len);
  return msg_end (m);
}

static GBytes *
msg_strings (guint8 type, const char *a, const char *b)
{
  GByteArray *m = msg_new (type);

  put_str (m, a);
  if (b != NULL)
    put_str (m, b);
  return msg_end (m);
}

static GBytes *
msg_ready (char status)
{
  GByteArray *m = msg_new ('Z');

  put_u8 (m, (guint8) status);
  return msg_end (m);
}

static void
put_column (GByteArray *m, const char *name, guint32 type_oid, guint16 format)
{
  put_str (m, name);
  put_u32 (m, 16384); /* table oid */
  put_u16 (m, 2);     /* attribute number */
  put_u32 (m, type_oid);
  put_u16 (m, 0xFFFF);     /* type size -1 */
  put_u32 (m, 0xFFFFFFFF); /* type modifier -1 */
  put_u16 (m, format);
}

static GBytes *
msg_row_description_json (void)
{
  GByteArray *m = msg_new ('T');

  put_u16 (m, 1);
  put_column (m, "data", FRAISE_OID_JSON, 0);
  return msg_end (m);
}

/* A DataRow with one field (NULL @value: SQL NULL). */
static GBytes *
msg_data_row (const char *value, gsize len)
{
  GByteArray *m = msg_new ('D');

  put_u16 (m, 1);
  if (value == NULL)
    {
      put_u32 (m, 0xFFFFFFFF);
    }
  else
    {
      put_u32 (m, (guint32) len);
      put_raw (m, value, len);
    }
  return msg_end (m);
}

static GBytes *
msg_error_fields (guint8 type, const char *severity, const char *sqlstate, const char *text)
{
  GByteArray *m = msg_new (type);

  put_u8 (m, 'S');
  put_str (m, severity);
  put_u8 (m, 'V');
  put_str (m, severity);
  put_u8 (m, 'C');
  put_str (m, sqlstate);
  put_u8 (m, 'M');
  put_str (m, text);
  put_u8 (m, 'P');
  put_str (m, "8");
  put_u8 (m, 0);
  return msg_end (m);
}

static GBytes *
msg_notification (guint32 pid, const char *channel, const char *payload)
{
  GByteArray *m = msg_new ('A');

  put_u32 (m, pid);
  put_str (m, channel);
  put_str (m, payload);
  return msg_end (m);
}

static GBytes *
msg_copy_response (guint8 type)
{
  GByteArray *m = msg_new (type);

  put_u8 (m, 0);
  put_u16 (m, 1);
  put_u16 (m, 0);
  return msg_end (m);
}

/* ---- valid vectors ------------------------------------------------------- */

#define SASL_LIST "SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0"
#define SASL_CONTINUE "r=abcdef,s=QSXCR+Q6sek8bf92,i=4096"

/* Indices of the valid vectors that tests decode by name. */
enum {
  VEC_AUTH_OK,
  VEC_AUTH_CLEARTEXT,
  VEC_AUTH_MD5,
  VEC_AUTH_SASL,
  VEC_AUTH_SASL_CONTINUE,
  VEC_AUTH_SASL_FINAL,
  VEC_NEGOTIATE_VERSION,
  VEC_BACKEND_KEY_DATA,
  VEC_PARAMETER_ENCODING,
  VEC_PARAMETER_EMPTY_VALUE,
  VEC_READY_IDLE,
  VEC_ROW_DESCRIPTION,
  VEC_ROW_JSON,
  VEC_NOTICE,
  VEC_ROW_NULL,
  VEC_NOTIFICATION,
  VEC_ROW_EMPTY,
  VEC_COMMAND_COMPLETE,
  VEC_READY_IN_TRANSACTION,
  VEC_ERROR,
  VEC_READY_FAILED,
  VEC_EMPTY_QUERY,
  N_VALID_VECTORS = 35
};

static void
add_startup_vectors (GPtrArray *v)
{
  GByteArray *m;

  g_ptr_array_add (v, msg_auth (FRAISE_PROTO_AUTH_OK, "", 0));
  g_ptr_array_add (v, msg_auth (FRAISE_PROTO_AUTH_CLEARTEXT, "", 0));
  g_ptr_array_add (v, msg_auth (FRAISE_PROTO_AUTH_MD5, LIT ("\x01\x02\x03\x04")));
  g_ptr_array_add (v, msg_auth (FRAISE_PROTO_AUTH_SASL, SASL_LIST, sizeof SASL_LIST));
  g_ptr_array_add (v, msg_auth (FRAISE_PROTO_AUTH_SASL_CONTINUE, LIT (SASL_CONTINUE)));
  g_ptr_array_add (v, msg_auth (FRAISE_PROTO_AUTH_SASL_FINAL, LIT ("v=xyz")));

  m = msg_new ('v');
  put_u32 (m, 0);
  put_u32 (m, 2);
  put_str (m, "_pq_.compression");
  put_str (m, "_pq_.other");
  g_ptr_array_add (v, msg_end (m));

  m = msg_new ('K');
  put_u32 (m, 4242);
  put_u32 (m, 0xDEADBEEF);
  g_ptr_array_add (v, msg_end (m));

  g_ptr_array_add (v, msg_strings ('S', "client_encoding", "UTF8"));
  g_ptr_array_add (v, msg_strings ('S', "application_name", ""));
  g_ptr_array_add (v, msg_ready ('I'));
}

static void
add_query_vectors (GPtrArray *v)
{
  g_ptr_array_add (v, msg_row_description_json ());
  g_ptr_array_add (v, msg_data_row (LIT ("{\"a\":1}")));
  g_ptr_array_add (v, msg_error_fields ('N', "WARNING", "01000", "careful"));
  g_ptr_array_add (v, msg_data_row (NULL, 0));
  g_ptr_array_add (v, msg_notification (7, "chan", "payload"));
  g_ptr_array_add (v, msg_data_row ("", 0));
  g_ptr_array_add (v, msg_strings ('C', "SELECT 3", NULL));
  g_ptr_array_add (v, msg_ready ('T'));
  g_ptr_array_add (v, msg_error_fields ('E', "ERROR", "42601", "syntax error"));
  g_ptr_array_add (v, msg_ready ('E'));
  g_ptr_array_add (v, msg_empty ('I'));
}

/* Extended-protocol, COPY and function-call messages: framed, not decoded. */
static void
add_other_vectors (GPtrArray *v)
{
  GByteArray *m;

  g_ptr_array_add (v, msg_empty ('1'));
  g_ptr_array_add (v, msg_empty ('2'));
  g_ptr_array_add (v, msg_empty ('3'));
  g_ptr_array_add (v, msg_empty ('n'));
  g_ptr_array_add (v, msg_empty ('s'));
  g_ptr_array_add (v, msg_copy_response ('G'));
  g_ptr_array_add (v, msg_copy_response ('H'));
  g_ptr_array_add (v, msg_copy_response ('W'));

  m = msg_new ('d');
  put_raw (m, LIT ("copy\tdata\n"));
  g_ptr_array_add (v, msg_end (m));

  g_ptr_array_add (v, msg_empty ('c'));

  m = msg_new ('t');
  put_u16 (m, 1);
  put_u32 (m, 23);
  g_ptr_array_add (v, msg_end (m));

  m = msg_new ('V');
  put_u32 (m, 2);
  put_raw (m, LIT ("hi"));
  g_ptr_array_add (v, msg_end (m));

  g_ptr_array_add (v, msg_ready ('I'));
}

/* One message of every backend type (several for R, D, Z), in an order a server could use. */
static GPtrArray *
build_valid_vectors (void)
{
  GPtrArray *v = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  add_startup_vectors (v);
  add_query_vectors (v);
  add_other_vectors (v);
  g_assert_cmpuint (v->len, ==, N_VALID_VECTORS);
  return v;
}

static GBytes *
concat_vectors (GPtrArray *vectors)
{
  GByteArray *all = g_byte_array_new ();
  guint i;

  for (i = 0; i < vectors->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (vectors->pdata[i], &len);

      g_byte_array_append (all, data, (guint) len);
    }
  return g_byte_array_free_to_bytes (all);
}

/* The frame a vector should produce, as type byte + body. */
static GBytes *
expected_frame (GBytes *vector)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (vector, &len);
  GByteArray *f = g_byte_array_new ();

  g_byte_array_append (f, data, 1);
  g_byte_array_append (f, data + 5, (guint) (len - 5));
  return g_byte_array_free_to_bytes (f);
}

static GPtrArray *
expected_frames (GPtrArray *vectors)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint i;

  for (i = 0; i < vectors->len; i++)
    g_ptr_array_add (frames, expected_frame (vectors->pdata[i]));
  return frames;
}

/* ---- reading helpers ----------------------------------------------------- */

static GBytes *
frame_to_bytes (const FraiseProtoFrame *frame)
{
  GByteArray *f = g_byte_array_new ();

  g_byte_array_append (f, &frame->type, 1);
  g_byte_array_append (f, frame->body, (guint) frame->len);
  return g_byte_array_free_to_bytes (f);
}

static void
feed_bytes (FraiseProtoReader *reader, GBytes *bytes)
{
  fraise_proto_reader_feed (reader, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Appends every complete frame to @frames; fails the test on a reader error. */
static void
drain_frames (FraiseProtoReader *reader, GPtrArray *frames)
{
  FraiseProtoFrame frame;
  FraiseProtoStatus status;
  g_autoptr (GError) error = NULL;

  while ((status = fraise_proto_reader_next_frame (reader, &frame, &error)) == FRAISE_PROTO_FRAME)
    g_ptr_array_add (frames, frame_to_bytes (&frame));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, FRAISE_PROTO_NEED_MORE);
}

/* Copies @len bytes in through get_write_space()/commit(), as a socket read would. */
static void
write_zero_copy (FraiseProtoReader *reader, const guint8 *data, gsize len, GPtrArray *frames)
{
  while (len > 0)
    {
      gsize available = 0;
      guint8 *space = fraise_proto_reader_get_write_space (reader, &available);
      gsize n = MIN (available, len);

      g_assert_nonnull (space);
      g_assert_cmpuint (available, >, 0);
      memcpy (space, data, n);
      fraise_proto_reader_commit (reader, n);
      data += n;
      len -= n;
      drain_frames (reader, frames);
    }
}

typedef enum {
  FEED_COPY,
  FEED_ZERO_COPY
} FeedMode;

static void
write_piece (
  FraiseProtoReader *reader, FeedMode mode, const guint8 *data, gsize len, GPtrArray *frames)
{
  if (mode == FEED_COPY)
    {
      fraise_proto_reader_feed (reader, data, len);
      drain_frames (reader, frames);
    }
  else
    {
      write_zero_copy (reader, data, len, frames);
    }
}

/* Reads @stream in pieces of @chunk bytes (0: split once at @split instead). */
static GPtrArray *
read_stream (GBytes *stream, FeedMode mode, gsize split, gsize chunk)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  gsize len, pos;
  const guint8 *data = g_bytes_get_data (stream, &len);

  if (chunk == 0)
    {
      write_piece (reader, mode, data, split, frames);
      write_piece (reader, mode, data + split, len - split, frames);
    }
  else
    {
      for (pos = 0; pos < len; pos += chunk)
        write_piece (reader, mode, data + pos, MIN (chunk, len - pos), frames);
    }
  g_assert_cmpuint (fraise_proto_reader_get_pending (reader), ==, 0);
  fraise_proto_reader_free (reader);
  return frames;
}

static void
assert_frames_equal (GPtrArray *got, GPtrArray *want)
{
  guint i;

  g_assert_cmpuint (got->len, ==, want->len);
  for (i = 0; i < want->len; i++)
    {
      gsize got_len, want_len;
      const guint8 *got_data = g_bytes_get_data (got->pdata[i], &got_len);
      const guint8 *want_data = g_bytes_get_data (want->pdata[i], &want_len);

      g_assert_cmpmem (got_data, got_len, want_data, want_len);
    }
}

/* A frame whose body is an exact-size heap copy, so ASan sees any over-read. */
typedef struct {
  FraiseProtoFrame frame;
  guint8 *copy;
} ExactFrame;

static void
exact_frame_init (ExactFrame *ef, guint8 type, const guint8 *body, gsize len)
{
  ef->copy = g_malloc (MAX (len, 1));
  if (len > 0)
    memcpy (ef->copy, body, len);
  ef->frame.type = type;
  ef->frame.body = ef->copy;
  ef->frame.len = len;
}

static void
exact_frame_init_from_vector (ExactFrame *ef, GBytes *vector)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (vector, &len);

  exact_frame_init (ef, data[0], data + 5, len - 5);
}

static void
exact_frame_clear (ExactFrame *ef)
{
  g_clear_pointer (&ef->copy, g_free);
}

/* Decodes @frame with the decoder the connection would use for its type. */
static gboolean
decode_frame (const FraiseProtoFrame *frame, GError **error)
{
  FraiseProtoAuth auth;
  FraiseProtoColumn columns[4];
  FraiseProtoField field;
  g_auto (GStrv) strv = NULL;
  const char *a, *b;
  guint32 u1, u2;
  guint n;
  char status;

  switch (frame->type)
    {
    case 'R':
      if (!fraise_proto_parse_auth (frame, &auth, error))
        return FALSE;
      if (auth.code != FRAISE_PROTO_AUTH_SASL)
        return TRUE;
      strv = fraise_proto_parse_sasl_mechanisms (auth.data, auth.data_len, error);
      return strv != NULL;
    case 'K':
      return fraise_proto_parse_backend_key_data (frame, &u1, &u2, error);
    case 'S':
      return fraise_proto_parse_parameter_status (frame, &a, &b, error);
    case 'Z':
      return fraise_proto_parse_ready_for_query (frame, &status, error);
    case 'T':
      return fraise_proto_parse_row_description (frame, columns, G_N_ELEMENTS (columns), &n, error);
    case 'D':
      return fraise_proto_parse_data_row (frame, &field, 1, error);
    case 'C':
      return fraise_proto_parse_command_complete (frame, &a, error);
    case 'E':
    case 'N':
      {
        g_autoptr (FraiseServerMessage) message = fraise_proto_parse_error_fields (frame, error);
        return message != NULL;
      }
    case 'A':
      return fraise_proto_parse_notification (frame, &u1, &a, &b, error);
    case 'v':
      return fraise_proto_parse_negotiate_protocol_version (frame, &u1, &strv, error);
    case 'I':
    case '1':
    case '2':
    case '3':
    case 'n':
    case 's':
    case 'c':
      return fraise_proto_parse_empty (frame, error);
    default:
      return TRUE;
    }
}

static void
expect_next (FraiseProtoReader *reader,
             FraiseProtoFrame *frame,
             GError **error,
             FraiseProtoStatus want)
{
  g_assert_cmpint (fraise_proto_reader_next_frame (reader, frame, error), ==, want);
}

/* ---- reader: valid streams ------------------------------------------------- */

static void
test_reader_whole_stream (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  g_autoptr (GPtrArray) want = expected_frames (vectors);
  g_autoptr (GBytes) stream = concat_vectors (vectors);
  gsize len = g_bytes_get_size (stream);
  g_autoptr (GPtrArray) copy = read_stream (stream, FEED_COPY, len, 0);
  g_autoptr (GPtrArray) zero_copy = read_stream (stream, FEED_ZERO_COPY, len, 0);

  g_assert_cmpuint (want->len, ==, N_VALID_VECTORS);
  assert_frames_equal (copy, want);
  assert_frames_equal (zero_copy, want);
}

static void
test_reader_every_split (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  g_autoptr (GPtrArray) want = expected_frames (vectors);
  g_autoptr (GBytes) stream = concat_vectors (vectors);
  gsize split;

  for (split = 0; split <= g_bytes_get_size (stream); split++)
    {
      g_autoptr (GPtrArray) copy = read_stream (stream, FEED_COPY, split, 0);
      g_autoptr (GPtrArray) zero_copy = read_stream (stream, FEED_ZERO_COPY, split, 0);

      assert_frames_equal (copy, want);
      assert_frames_equal (zero_copy, want);
    }
}

static void
test_reader_one_byte_at_a_time (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  g_autoptr (GPtrArray) want = expected_frames (vectors);
  g_autoptr (GBytes) stream = concat_vectors (vectors);
  g_autoptr (GPtrArray) copy = read_stream (stream, FEED_COPY, 0, 1);
  g_autoptr (GPtrArray) zero_copy = read_stream (stream, FEED_ZERO_COPY, 0, 1);

  assert_frames_equal (copy, want);
  assert_frames_equal (zero_copy, want);
}

/* Messages larger than the initial buffer, between small ones. */
static GPtrArray *
build_large_vectors (void)
{
  GPtrArray *v = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *big = g_malloc (300 * 1024);
  GByteArray *m;
  gsize i;

  for (i = 0; i < 300 * 1024; i++)
    big[i] = (char) ('a' + i % 26);
  g_ptr_array_add (v, msg_row_description_json ());
  g_ptr_array_add (v, msg_data_row (big, 200 * 1024));
  g_ptr_array_add (v, msg_data_row ("[]", 2));
  g_ptr_array_add (v, msg_data_row (big, INITIAL_BUFFER - 11)); /* exactly 64 KiB on the wire */
  g_ptr_array_add (v, msg_data_row (big, INITIAL_BUFFER - 10)); /* one byte more */
  m = msg_new ('N');
  put_u8 (m, 'M');
  big[70000] = '\0';
  put_str (m, big);
  put_u8 (m, 0);
  g_ptr_array_add (v, msg_end (m));
  g_ptr_array_add (v, msg_data_row (big, 300 * 1024 - 1));
  g_ptr_array_add (v, msg_strings ('C', "SELECT 5", NULL));
  g_ptr_array_add (v, msg_ready ('I'));
  return v;
}

static void
test_reader_large_messages (void)
{
  g_autoptr (GPtrArray) vectors = build_large_vectors ();
  g_autoptr (GPtrArray) want = expected_frames (vectors);
  g_autoptr (GBytes) stream = concat_vectors (vectors);
  static const gsize chunks[] = { 1, 7, 4096, 65536, 65537, 1 << 20 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr (GPtrArray) copy = read_stream (stream, FEED_COPY, 0, chunks[i]);
      g_autoptr (GPtrArray) zero_copy = read_stream (stream, FEED_ZERO_COPY, 0, chunks[i]);

      assert_frames_equal (copy, want);
      assert_frames_equal (zero_copy, want);
    }
}

static void
test_reader_random_splits (void)
{
  g_autoptr (GPtrArray) vectors = build_large_vectors ();
  g_autoptr (GPtrArray) want = expected_frames (vectors);
  g_autoptr (GBytes) stream = concat_vectors (vectors);
  gsize len;
  const guint8 *data = g_bytes_get_data (stream, &len);
  guint round;

  for (round = 0; round < 20; round++)
    {
      g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
      FeedMode mode = round % 2 ? FEED_COPY : FEED_ZERO_COPY;
      gsize pos = 0;

      while (pos < len)
        {
          gsize n = (gsize) g_test_rand_int_range (1, 100000);

          n = MIN (n, len - pos); /* MIN evaluates its arguments twice */

          write_piece (reader, mode, data + pos, n, got);
          pos += n;
        }
      assert_frames_equal (got, want);
      fraise_proto_reader_free (reader);
    }
}

static void
test_reader_coalesced (void)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_autoptr (GByteArray) stream = g_byte_array_new ();
  FraiseProtoFrame frame;
  FraiseProtoField field;
  g_autoptr (GError) error = NULL;
  guint i;

  for (i = 0; i < 1000; i++)
    {
      g_autofree char *value = g_strdup_printf ("{\"n\":%u}", i);
      g_autoptr (GBytes) row = msg_data_row (value, strlen (value));

      g_byte_array_append (stream, g_bytes_get_data (row, NULL), (guint) g_bytes_get_size (row));
    }
  fraise_proto_reader_feed (reader, stream->data, stream->len);

  for (i = 0; i < 1000; i++)
    {
      g_autofree char *want = g_strdup_printf ("{\"n\":%u}", i);

      expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
      g_assert_cmpint (frame.type, ==, 'D');
      g_assert_true (fraise_proto_parse_data_row (&frame, &field, 1, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (field.value, field.len, want, strlen (want));
    }
  expect_next (reader, &frame, &error, FRAISE_PROTO_NEED_MORE);
  g_assert_no_error (error);
  g_assert_cmpuint (fraise_proto_reader_get_pending (reader), ==, 0);
  fraise_proto_reader_free (reader);
}

/* ---- reader: buffer management --------------------------------------------- */

static void
commit_bytes (FraiseProtoReader *reader, const guint8 *data, gsize len)
{
  gsize available;
  guint8 *space = fraise_proto_reader_get_write_space (reader, &available);

  g_assert_cmpuint (available, >=, len);
  memcpy (space, data, len);
  fraise_proto_reader_commit (reader, len);
}

static void
test_reader_grows_to_message_size (void)
{
  const gsize body_len = 1024 * 1024;
  FraiseProtoReader *reader = fraise_proto_reader_new (2 * 1024 * 1024);
  g_autofree char *value = g_malloc0 (body_len - 6);
  g_autoptr (GBytes) row = msg_data_row (value, body_len - 6);
  const guint8 *data = g_bytes_get_data (row, NULL);
  FraiseProtoFrame frame;
  g_autoptr (GError) error = NULL;
  gsize available, pos;

  g_assert_cmpuint (g_bytes_get_size (row), ==, 5 + body_len);
  g_assert_cmpuint (fraise_proto_reader_get_capacity (reader), ==, INITIAL_BUFFER);

  commit_bytes (reader, data, 5);
  expect_next (reader, &frame, &error, FRAISE_PROTO_NEED_MORE);
  fraise_proto_reader_get_write_space (reader, &available);
  g_assert_cmpuint (available, ==, body_len); /* grown to exactly the message */
  g_assert_cmpuint (fraise_proto_reader_get_capacity (reader), ==, body_len);

  for (pos = 5; pos < 5 + body_len; pos += 100000)
    {
      gsize n = MIN (100000, 5 + body_len - pos);

      commit_bytes (reader, data + pos, n);
      g_assert_cmpuint (fraise_proto_reader_get_capacity (reader), ==, 5 + body_len - pos - n);
    }
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpuint (frame.len, ==, body_len);
  g_assert_cmpmem (frame.body, frame.len, data + 5, body_len);

  fraise_proto_reader_get_write_space (reader, &available);
  g_assert_cmpuint (available, ==, INITIAL_BUFFER); /* shrunk back */
  g_assert_no_error (error);
  fraise_proto_reader_free (reader);
}

/* A DataRow over the row limit is reported from its header and its bytes
 * are discarded as they come: the buffer never grows for it, and the
 * messages around it are read intact, whatever the read sizes. */
static void
test_reader_skips_rows_over_limit (void)
{
  const gsize big = 3 * 1024 * 1024;
  static const gsize chunks[] = { 1, 7, 4096, 65536, 1000000 };
  g_autofree char *value = g_malloc0 (big);
  g_autoptr (GBytes) small = msg_data_row ("{\"a\":1}", 7);
  g_autoptr (GBytes) huge = msg_data_row (value, big);
  g_autoptr (GBytes) ready = msg_ready ('I');
  g_autoptr (GByteArray) stream = g_byte_array_new ();
  gsize c;

  g_byte_array_append (stream, g_bytes_get_data (small, NULL), g_bytes_get_size (small));
  g_byte_array_append (stream, g_bytes_get_data (huge, NULL), g_bytes_get_size (huge));
  g_byte_array_append (stream, g_bytes_get_data (small, NULL), g_bytes_get_size (small));
  g_byte_array_append (stream, g_bytes_get_data (ready, NULL), g_bytes_get_size (ready));

  for (c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
      g_autoptr (GString) seen = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      gsize pos = 0, skipped_len = 0;

      fraise_proto_reader_set_row_limit (reader, 1024 * 1024);
      while (pos < stream->len)
        {
          gsize available = 0;
          guint8 *space = fraise_proto_reader_get_write_space (reader, &available);
          gsize n = MIN (MIN (available, chunks[c]), stream->len - pos);
          FraiseProtoFrame frame;
          FraiseProtoStatus status;

          g_assert_cmpuint (fraise_proto_reader_get_size (reader), ==, INITIAL_BUFFER);
          memcpy (space, stream->data + pos, n);
          fraise_proto_reader_commit (reader, n);
          pos += n;
          while ((status = fraise_proto_reader_next_frame (reader, &frame, &error)) !=
                 FRAISE_PROTO_NEED_MORE)
            {
              g_assert_no_error (error);
              if (status == FRAISE_PROTO_SKIPPED)
                {
                  g_assert_null (frame.body);
                  skipped_len = frame.len;
                  g_string_append_c (seen, 's');
                }
              else
                {
                  g_assert_cmpint (status, ==, FRAISE_PROTO_FRAME);
                  g_string_append_c (seen, (char) frame.type);
                  if (frame.type == 'D')
                    g_assert_cmpmem (frame.body + 6, frame.len - 6, "{\"a\":1}", 7);
                }
            }
        }
      g_assert_cmpstr (seen->str, ==, "DsDZ");
      g_assert_cmpuint (skipped_len, ==, big + 6);
      g_assert_cmpuint (fraise_proto_reader_get_pending (reader), ==, 0);
      fraise_proto_reader_free (reader);
    }
}

/* A frame given back is returned again, and nothing after it is lost. */
static void
test_reader_unread (void)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_autoptr (GBytes) row = msg_data_row ("[1]", 3);
  g_autoptr (GBytes) ready = msg_ready ('I');
  FraiseProtoFrame frame, again;
  g_autoptr (GError) error = NULL;

  feed_bytes (reader, row);
  feed_bytes (reader, ready);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpint (frame.type, ==, 'D');
  fraise_proto_reader_unread (reader, &frame);
  g_assert_cmpuint (fraise_proto_reader_get_pending (reader), ==,
                    g_bytes_get_size (row) + g_bytes_get_size (ready));
  expect_next (reader, &again, &error, FRAISE_PROTO_FRAME);
  g_assert_true (again.body == frame.body);
  g_assert_cmpuint (again.len, ==, frame.len);
  expect_next (reader, &again, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpint (again.type, ==, 'Z');
  expect_next (reader, &again, &error, FRAISE_PROTO_NEED_MORE);
  g_assert_no_error (error);
  fraise_proto_reader_free (reader);
}

/* A partial message at the end of the buffer: with @value_len bytes of row
 * before it, the 3 bytes of a ReadyForQuery stay where they are when a read
 * of MIN_READ fits behind them, and move to the front otherwise; the buffer
 * never grows for them. */
static void
check_reader_tail (gsize value_len, gboolean moves)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_autofree char *value = g_malloc0 (value_len);
  g_autoptr (GBytes) row = msg_data_row (value, value_len);
  g_autoptr (GBytes) ready = msg_ready ('I');
  gsize row_len = g_bytes_get_size (row);
  FraiseProtoFrame frame;
  g_autoptr (GError) error = NULL;
  gsize available;
  guint8 *space;

  commit_bytes (reader, g_bytes_get_data (row, NULL), row_len);
  commit_bytes (reader, g_bytes_get_data (ready, NULL), 3);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  expect_next (reader, &frame, &error, FRAISE_PROTO_NEED_MORE);
  g_assert_cmpuint (fraise_proto_reader_get_pending (reader), ==, 3);

  space = fraise_proto_reader_get_write_space (reader, &available);
  g_assert_cmpuint (available, ==, moves ? INITIAL_BUFFER - 3 : INITIAL_BUFFER - row_len - 3);
  g_assert_cmpuint (available, >=, 4096);
  memcpy (space, (const guint8 *) g_bytes_get_data (ready, NULL) + 3, 3);
  fraise_proto_reader_commit (reader, 3);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpint (frame.type, ==, 'Z');
  g_assert_cmpuint (frame.len, ==, 1);
  g_assert_cmpint (frame.body[0], ==, 'I');
  g_assert_cmpuint (fraise_proto_reader_get_capacity (reader), ==, INITIAL_BUFFER);
  g_assert_no_error (error);
  fraise_proto_reader_free (reader);
}

/* A buffer grown for a message of up to 256 KiB keeps its size for the
 * next ones (no realloc twice a large row); one grown past that goes back
 * to the initial size after the message. */
static void
test_reader_retains_a_moderate_buffer (void)
{
  static const struct {
    gsize value_len;
    gboolean kept;
  } cases[] = { { 100000, TRUE }, { 250000, TRUE }, { 300000, FALSE } };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
      g_autofree char *value = g_malloc0 (cases[c].value_len);
      g_autoptr (GBytes) row = msg_data_row (value, cases[c].value_len);
      g_autoptr (GBytes) ready = msg_ready ('I');
      gsize row_len = g_bytes_get_size (row);
      FraiseProtoFrame frame;
      g_autoptr (GError) error = NULL;
      gsize available;

      feed_bytes (reader, row);
      expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
      g_assert_cmpuint (fraise_proto_reader_get_size (reader), ==, row_len);
      feed_bytes (reader, ready);
      expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
      g_assert_cmpint (frame.type, ==, 'Z');
      expect_next (reader, &frame, &error, FRAISE_PROTO_NEED_MORE);
      fraise_proto_reader_get_write_space (reader, &available);
      g_assert_cmpuint (fraise_proto_reader_get_size (reader), ==,
                        cases[c].kept ? row_len : INITIAL_BUFFER);
      g_assert_no_error (error);
      fraise_proto_reader_free (reader);
    }
}

static void
test_reader_compacts_instead_of_growing (void)
{
  check_reader_tail (60000, FALSE); /* 5,522 bytes behind: read there */
  check_reader_tail (62000, TRUE);  /* 3,522 bytes behind: moved */
}

/* A message whose rest does not fit behind its start moves to the front
 * (its bytes intact) before the buffer grows; one that fits is not moved. */
static void
test_reader_moves_a_message_only_when_needed (void)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_autofree char *small_value = g_malloc0 (30000);
  g_autofree char *big_value = g_malloc (40000);
  g_autoptr (GBytes) small = msg_data_row (small_value, 30000);
  g_autoptr (GBytes) big = NULL;
  gsize small_len = g_bytes_get_size (small);
  FraiseProtoFrame frame;
  g_autoptr (GError) error = NULL;
  const guint8 *data;
  gsize available, big_len;
  guint8 *space;

  for (gsize i = 0; i < 40000; i++)
    big_value[i] = (char) ('a' + i % 26);
  big = msg_data_row (big_value, 40000);
  big_len = g_bytes_get_size (big);
  data = g_bytes_get_data (big, NULL);

  /* 30 KB consumed, then the first 100 bytes of a 40 KB message: its rest
   * does not fit behind it (30 KB + 40 KB > 64 KiB), so it is moved. */
  commit_bytes (reader, g_bytes_get_data (small, NULL), small_len);
  commit_bytes (reader, data, 100);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  expect_next (reader, &frame, &error, FRAISE_PROTO_NEED_MORE);
  space = fraise_proto_reader_get_write_space (reader, &available);
  g_assert_cmpuint (available, ==, INITIAL_BUFFER - 100);
  memcpy (space, data + 100, big_len - 100);
  fraise_proto_reader_commit (reader, big_len - 100);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpuint (frame.len, ==, big_len - 5);
  g_assert_cmpmem (frame.body, frame.len, data + 5, big_len - 5);
  g_assert_cmpuint (fraise_proto_reader_get_capacity (reader), ==, INITIAL_BUFFER);
  fraise_proto_reader_free (reader);

  /* 10 KB consumed, then the same start: the rest fits behind, no move. */
  reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_clear_pointer (&small, g_bytes_unref);
  small = msg_data_row (small_value, 10000);
  small_len = g_bytes_get_size (small);
  commit_bytes (reader, g_bytes_get_data (small, NULL), small_len);
  commit_bytes (reader, data, 100);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  expect_next (reader, &frame, &error, FRAISE_PROTO_NEED_MORE);
  space = fraise_proto_reader_get_write_space (reader, &available);
  g_assert_cmpuint (available, ==, INITIAL_BUFFER - small_len - 100);
  memcpy (space, data + 100, big_len - 100);
  fraise_proto_reader_commit (reader, big_len - 100);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpmem (frame.body, frame.len, data + 5, big_len - 5);
  g_assert_no_error (error);
  fraise_proto_reader_free (reader);
}

static void
test_reader_undrained_frames (void)
{
  /* The caller commits a full buffer of complete frames without draining:
   * the reader must still hand out space, and keep every frame. */
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_autoptr (GBytes) ready = msg_ready ('I');
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint i;

  for (i = 0; i < INITIAL_BUFFER / 6 + 10; i++)
    {
      gsize available;
      guint8 *space = fraise_proto_reader_get_write_space (reader, &available);

      g_assert_cmpuint (available, >=, 1);
      memcpy (space, g_bytes_get_data (ready, NULL), MIN (available, 6));
      fraise_proto_reader_commit (reader, MIN (available, 6));
      if (available < 6)
        commit_bytes (reader, (const guint8 *) g_bytes_get_data (ready, NULL) + available,
                      6 - available);
    }
  drain_frames (reader, frames);
  g_assert_cmpuint (frames->len, ==, INITIAL_BUFFER / 6 + 10);
  fraise_proto_reader_free (reader);
}

/* ---- reader: bad headers --------------------------------------------------- */

typedef struct {
  guint8 type;
  guint32 length;
  FraiseError code;
  const char *message;
} BadHeader;

static const BadHeader bad_headers[] = {
  { 'Z', 0, FRAISE_ERROR_PROTOCOL, "invalid message length 0 for ReadyForQuery ('Z')" },
  { 'Z', 3, FRAISE_ERROR_PROTOCOL, "invalid message length 3 for ReadyForQuery ('Z')" },
  { 'Z', 0xFFFFFFFF, FRAISE_ERROR_PROTOCOL, "invalid message length -1 for ReadyForQuery ('Z')" },
  { 'D', 0x80000000, FRAISE_ERROR_PROTOCOL,
    "invalid message length -2147483648 for DataRow ('D')" },
  { 0x00, 2, FRAISE_ERROR_PROTOCOL, "invalid message length 2 for unknown (0x00)" },
  { 'D', 0x7FFFFFFF, FRAISE_ERROR_RESOURCE_LIMIT,
    "row of 2147483643 bytes exceeds max-row-size (67108864 bytes)" },
  { 'D', 64 * 1024 * 1024 + 5, FRAISE_ERROR_RESOURCE_LIMIT,
    "row of 67108865 bytes exceeds max-row-size (67108864 bytes)" },
  { 'E', 0x7FFFFFFF, FRAISE_ERROR_RESOURCE_LIMIT,
    "ErrorResponse ('E') message of 2147483643 bytes exceeds max-row-size (67108864 bytes)" },
  { 'T', 0x40000000, FRAISE_ERROR_RESOURCE_LIMIT,
    "RowDescription ('T') message of 1073741820 bytes exceeds max-row-size (67108864 bytes)" },
  { 'C', 30001, FRAISE_ERROR_PROTOCOL,
    "invalid message length 30001 for CommandComplete ('C'): "
    "messages of this type are limited to 30000 bytes" },
  { 'Z', 30001, FRAISE_ERROR_PROTOCOL, "invalid message length 30001 for ReadyForQuery ('Z')" },
  { 'S', 0x7FFFFFFF, FRAISE_ERROR_PROTOCOL,
    "invalid message length 2147483647 for ParameterStatus ('S')" },
  { 'K', 40000, FRAISE_ERROR_PROTOCOL, "invalid message length 40000 for BackendKeyData ('K')" },
  { 'R', 30001, FRAISE_ERROR_PROTOCOL, "invalid message length 30001 for Authentication ('R')" },
  { '!', 100000, FRAISE_ERROR_PROTOCOL, "invalid message length 100000 for unknown ('!')" },
};

static void
assert_error_starts_with (const GError *error, FraiseError code, const char *prefix)
{
  g_assert_error (error, FRAISE_ERROR, (gint) code);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("error \"%s\" does not start with \"%s\"", error->message, prefix);
}

static void
test_reader_bad_header_without_body (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      const BadHeader *bad = &bad_headers[i];
      g_autoptr (GBytes) header = msg_header_only (bad->type, bad->length);
      FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
      FraiseProtoFrame frame;
      g_autoptr (GError) error = NULL;

      /* Only the 5 header bytes: the error must come now, not after the body. */
      fraise_proto_reader_feed (reader, g_bytes_get_data (header, NULL), 5);
      expect_next (reader, &frame, &error, FRAISE_PROTO_ERROR);
      assert_error_starts_with (error, bad->code, bad->message);
      g_assert_cmpuint (fraise_proto_reader_get_capacity (reader), <=, INITIAL_BUFFER);
      fraise_proto_reader_free (reader);
    }
}

static void
test_reader_bad_header_zero_copy (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      const BadHeader *bad = &bad_headers[i];
      g_autoptr (GBytes) header = msg_header_only (bad->type, bad->length);
      FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
      FraiseProtoFrame frame;
      g_autoptr (GError) error = NULL;
      gsize available;

      /* Header split 2+3, then the caller asks for space before parsing:
       * the buffer must not grow for a refused header. */
      commit_bytes (reader, g_bytes_get_data (header, NULL), 2);
      commit_bytes (reader, (const guint8 *) g_bytes_get_data (header, NULL) + 2, 3);
      g_assert_nonnull (fraise_proto_reader_get_write_space (reader, &available));
      g_assert_cmpuint (available, ==, INITIAL_BUFFER);
      expect_next (reader, &frame, &error, FRAISE_PROTO_ERROR);
      assert_error_starts_with (error, bad->code, bad->message);
      fraise_proto_reader_free (reader);
    }
}

static void
test_reader_error_is_sticky (void)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  g_autoptr (GBytes) valid = msg_ready ('I');
  g_autoptr (GBytes) bad = msg_header_only ('Z', 3);
  FraiseProtoFrame frame;
  gsize available;
  guint i;

  fraise_proto_reader_feed (reader, g_bytes_get_data (valid, NULL), 6);
  fraise_proto_reader_feed (reader, g_bytes_get_data (bad, NULL), 5);
  expect_next (reader, &frame, NULL, FRAISE_PROTO_FRAME);
  g_assert_cmpint (frame.type, ==, 'Z');

  for (i = 0; i < 3; i++)
    {
      g_autoptr (GError) error = NULL;

      expect_next (reader, &frame, &error, FRAISE_PROTO_ERROR);
      assert_error_starts_with (error, FRAISE_ERROR_PROTOCOL, "invalid message length 3");
      fraise_proto_reader_feed (reader, g_bytes_get_data (valid, NULL), 6);
      commit_bytes (reader, g_bytes_get_data (valid, NULL), 6);
      g_assert_cmpuint (fraise_proto_reader_get_pending (reader), ==, 0); /* discarded */
    }
  g_assert_nonnull (fraise_proto_reader_get_write_space (reader, &available));
  g_assert_cmpuint (available, >, 0);
  expect_next (reader, &frame, NULL, FRAISE_PROTO_ERROR);
  fraise_proto_reader_free (reader);
}

static void
test_reader_limits_boundaries (void)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (100);
  g_autofree char *text = g_strnfill (29995, 'x');
  g_autoptr (GBytes) tag = msg_strings ('C', text, NULL); /* length field exactly 30000 */
  g_autoptr (GBytes) row_ok = msg_data_row (text, 94);    /* body exactly 100 */
  g_autoptr (GBytes) row_big = msg_data_row (text, 95);   /* body 101 */
  FraiseProtoFrame frame;
  g_autoptr (GError) error = NULL;
  const char *value;

  g_assert_cmpuint (g_bytes_get_size (tag), ==, 30001);
  feed_bytes (reader, tag);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_true (fraise_proto_parse_command_complete (&frame, &value, &error));
  g_assert_cmpuint (strlen (value), ==, 29995);

  feed_bytes (reader, row_ok);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpuint (frame.len, ==, 100);

  fraise_proto_reader_feed (reader, g_bytes_get_data (row_big, NULL), 5);
  expect_next (reader, &frame, &error, FRAISE_PROTO_ERROR);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_RESOURCE_LIMIT);
  g_assert_cmpstr (error->message, ==, "row of 101 bytes exceeds max-row-size (100 bytes)");
  fraise_proto_reader_free (reader);
}

static void
test_reader_set_max_row_size (void)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (1000);
  g_autoptr (GBytes) row = msg_data_row ("0123456789abcdef", 16); /* body 22 */
  FraiseProtoFrame frame;
  g_autoptr (GError) error = NULL;

  feed_bytes (reader, row);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  fraise_proto_reader_set_max_row_size (reader, 21);
  feed_bytes (reader, row);
  expect_next (reader, &frame, &error, FRAISE_PROTO_ERROR);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_RESOURCE_LIMIT);
  g_assert_cmpstr (error->message, ==, "row of 22 bytes exceeds max-row-size (21 bytes)");
  fraise_proto_reader_free (reader);
}

/* ---- decoders: valid values -------------------------------------------------- */

static void
test_decode_every_valid_vector (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  guint i;

  for (i = 0; i < vectors->len; i++)
    {
      ExactFrame ef;
      g_autoptr (GError) error = NULL;

      exact_frame_init_from_vector (&ef, vectors->pdata[i]);
      g_assert_true (decode_frame (&ef.frame, &error));
      g_assert_no_error (error);
      exact_frame_clear (&ef);
    }
}

static void
parse_auth_vector (GBytes *vector, FraiseProtoAuth *auth)
{
  ExactFrame ef;
  g_autoptr (GError) error = NULL;

  exact_frame_init_from_vector (&ef, vector);
  g_assert_true (fraise_proto_parse_auth (&ef.frame, auth, &error));
  g_assert_no_error (error);
  /* Keep the payload readable after the frame copy is freed. */
  auth->data = auth->data_len > 0 ? g_memdup2 (auth->data, auth->data_len) : NULL;
  exact_frame_clear (&ef);
}

static void
test_decode_auth (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  static const guint8 salt[] = { 1, 2, 3, 4 };
  FraiseProtoAuth auth;
  g_auto (GStrv) mechanisms = NULL;
  g_autoptr (GError) error = NULL;

  parse_auth_vector (vectors->pdata[VEC_AUTH_OK], &auth);
  g_assert_cmpint (auth.code, ==, FRAISE_PROTO_AUTH_OK);
  g_assert_cmpuint (auth.data_len, ==, 0);

  parse_auth_vector (vectors->pdata[VEC_AUTH_CLEARTEXT], &auth);
  g_assert_cmpint (auth.code, ==, FRAISE_PROTO_AUTH_CLEARTEXT);
  g_assert_cmpuint (auth.data_len, ==, 0);

  parse_auth_vector (vectors->pdata[VEC_AUTH_MD5], &auth);
  g_assert_cmpint (auth.code, ==, FRAISE_PROTO_AUTH_MD5);
  g_assert_cmpmem (auth.data, auth.data_len, salt, 4);
  g_free ((gpointer) auth.data);

  parse_auth_vector (vectors->pdata[VEC_AUTH_SASL], &auth);
  g_assert_cmpint (auth.code, ==, FRAISE_PROTO_AUTH_SASL);
  g_assert_cmpmem (auth.data, auth.data_len, SASL_LIST, sizeof SASL_LIST);
  mechanisms = fraise_proto_parse_sasl_mechanisms (auth.data, auth.data_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (mechanisms), ==, 2);
  g_assert_cmpstr (mechanisms[0], ==, "SCRAM-SHA-256-PLUS");
  g_assert_cmpstr (mechanisms[1], ==, "SCRAM-SHA-256");
  g_free ((gpointer) auth.data);

  parse_auth_vector (vectors->pdata[VEC_AUTH_SASL_CONTINUE], &auth);
  g_assert_cmpint (auth.code, ==, FRAISE_PROTO_AUTH_SASL_CONTINUE);
  g_assert_cmpmem (auth.data, auth.data_len, SASL_CONTINUE, strlen (SASL_CONTINUE));
  g_free ((gpointer) auth.data);

  parse_auth_vector (vectors->pdata[VEC_AUTH_SASL_FINAL], &auth);
  g_assert_cmpint (auth.code, ==, FRAISE_PROTO_AUTH_SASL_FINAL);
  g_assert_cmpmem (auth.data, auth.data_len, "v=xyz", 5);
  g_free ((gpointer) auth.data);
}

static void
test_decode_sasl_mechanisms_empty_list (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) mechanisms = fraise_proto_parse_sasl_mechanisms ((const guint8 *) "", 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mechanisms);
  g_assert_cmpuint (g_strv_length (mechanisms), ==, 0);
}

static void
test_decode_startup_messages (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) options = NULL;
  ExactFrame ef;
  guint32 pid = 0, secret = 0, minor = 99;

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_NEGOTIATE_VERSION]);
  g_assert_true (
    fraise_proto_parse_negotiate_protocol_version (&ef.frame, &minor, &options, &error));
  g_assert_cmpuint (minor, ==, 0);
  g_assert_cmpuint (g_strv_length (options), ==, 2);
  g_assert_cmpstr (options[0], ==, "_pq_.compression");
  g_assert_cmpstr (options[1], ==, "_pq_.other");
  exact_frame_clear (&ef);

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_BACKEND_KEY_DATA]);
  g_assert_true (fraise_proto_parse_backend_key_data (&ef.frame, &pid, &secret, &error));
  g_assert_cmpuint (pid, ==, 4242);
  g_assert_cmphex (secret, ==, 0xDEADBEEF);
  exact_frame_clear (&ef);
  g_assert_no_error (error);
}

static void
assert_parameter_status (GBytes *vector, const char *want_name, const char *want_value)
{
  g_autoptr (GError) error = NULL;
  const char *name, *value;
  ExactFrame ef;

  exact_frame_init_from_vector (&ef, vector);
  g_assert_true (fraise_proto_parse_parameter_status (&ef.frame, &name, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, want_name);
  g_assert_cmpstr (value, ==, want_value);
  exact_frame_clear (&ef);
}

static void
assert_ready_for_query (GBytes *vector, char want_status)
{
  g_autoptr (GError) error = NULL;
  char status = 0;
  ExactFrame ef;

  exact_frame_init_from_vector (&ef, vector);
  g_assert_true (fraise_proto_parse_ready_for_query (&ef.frame, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, want_status);
  exact_frame_clear (&ef);
}

static void
test_decode_status_messages (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();

  assert_parameter_status (vectors->pdata[VEC_PARAMETER_ENCODING], "client_encoding", "UTF8");
  assert_parameter_status (vectors->pdata[VEC_PARAMETER_EMPTY_VALUE], "application_name", "");
  assert_ready_for_query (vectors->pdata[VEC_READY_IDLE], 'I');
  assert_ready_for_query (vectors->pdata[VEC_READY_IN_TRANSACTION], 'T');
  assert_ready_for_query (vectors->pdata[VEC_READY_FAILED], 'E');
}

static GBytes *
msg_row_description_three (const char *third_name, guint16 third_format)
{
  GByteArray *m = msg_new ('T');

  put_u16 (m, 3);
  put_column (m, "data", FRAISE_OID_JSONB, 0);
  put_column (m, "id", 23, 1);
  put_column (m, third_name, 25, third_format);
  return msg_end (m);
}

static void
test_decode_row_description (void)
{
  g_autoptr (GBytes) good = msg_row_description_three ("extra", 0);
  g_autoptr (GBytes) bad = msg_row_description_three ("extra", 7);
  g_autoptr (GError) error = NULL;
  FraiseProtoColumn columns[1];
  guint n_columns = 0;
  ExactFrame ef;

  exact_frame_init_from_vector (&ef, good);
  g_assert_true (fraise_proto_parse_row_description (&ef.frame, columns, 1, &n_columns, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_columns, ==, 3);
  g_assert_cmpstr (columns[0].name, ==, "data");
  g_assert_cmpuint (columns[0].table_oid, ==, 16384);
  g_assert_cmpint (columns[0].column_attr, ==, 2);
  g_assert_cmpuint (columns[0].type_oid, ==, FRAISE_OID_JSONB);
  g_assert_cmpint (columns[0].type_size, ==, -1);
  g_assert_cmpint (columns[0].type_modifier, ==, -1);
  g_assert_cmpint (columns[0].format, ==, 0);
  exact_frame_clear (&ef);

  /* The third column is beyond max_columns but still validated. */
  exact_frame_init_from_vector (&ef, bad);
  g_assert_false (fraise_proto_parse_row_description (&ef.frame, columns, 1, &n_columns, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "malformed RowDescription: invalid format code 7");
  exact_frame_clear (&ef);
}

static void
test_decode_data_row (void)
{
  GByteArray *m = msg_new ('D');
  g_autoptr (GBytes) row = NULL;
  g_autoptr (GBytes) no_columns = NULL;
  g_autoptr (GError) error = NULL;
  FraiseProtoField fields[3];
  ExactFrame ef;

  put_u16 (m, 3);
  put_u32 (m, 5);
  put_raw (m, "hello", 5);
  put_u32 (m, 0xFFFFFFFF);
  put_u32 (m, 0);
  row = msg_end (m);
  m = msg_new ('D');
  put_u16 (m, 0);
  no_columns = msg_end (m);

  exact_frame_init_from_vector (&ef, row);
  g_assert_true (fraise_proto_parse_data_row (&ef.frame, fields, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (fields[0].value, fields[0].len, "hello", 5);
  g_assert_null (fields[1].value);
  g_assert_cmpint (fields[1].len, ==, -1);
  g_assert_nonnull (fields[2].value);
  g_assert_cmpint (fields[2].len, ==, 0);
  exact_frame_clear (&ef);

  exact_frame_init_from_vector (&ef, no_columns);
  g_assert_true (fraise_proto_parse_data_row (&ef.frame, NULL, 0, &error));
  g_assert_no_error (error);
  exact_frame_clear (&ef);
}

static void
test_decode_results_and_async (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseServerMessage) notice = NULL;
  g_autoptr (FraiseServerMessage) failure = NULL;
  const char *tag, *channel, *payload;
  guint32 pid = 0;
  ExactFrame ef;

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_COMMAND_COMPLETE]);
  g_assert_true (fraise_proto_parse_command_complete (&ef.frame, &tag, &error));
  g_assert_cmpstr (tag, ==, "SELECT 3");
  exact_frame_clear (&ef);

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_NOTICE]);
  notice = fraise_proto_parse_error_fields (&ef.frame, &error);
  exact_frame_clear (&ef);
  g_assert_nonnull (notice);
  g_assert_cmpstr (fraise_server_message_get_severity (notice), ==, "WARNING");
  g_assert_cmpstr (fraise_server_message_get_sqlstate (notice), ==, "01000");
  g_assert_cmpstr (fraise_server_message_get_message (notice), ==, "careful");
  g_assert_cmpstr (fraise_server_message_get_field (notice, 'V'), ==, "WARNING");

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_ERROR]);
  failure = fraise_proto_parse_error_fields (&ef.frame, &error);
  exact_frame_clear (&ef);
  g_assert_nonnull (failure);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (failure), ==, "42601");
  g_assert_cmpstr (fraise_server_message_get_message (failure), ==, "syntax error");
  g_assert_cmpint (fraise_server_message_get_position (failure), ==, 8);

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_NOTIFICATION]);
  g_assert_true (fraise_proto_parse_notification (&ef.frame, &pid, &channel, &payload, &error));
  g_assert_cmpuint (pid, ==, 7);
  g_assert_cmpstr (channel, ==, "chan");
  g_assert_cmpstr (payload, ==, "payload");
  exact_frame_clear (&ef);

  exact_frame_init_from_vector (&ef, vectors->pdata[VEC_EMPTY_QUERY]);
  g_assert_cmpint (ef.frame.type, ==, 'I');
  g_assert_true (fraise_proto_parse_empty (&ef.frame, &error));
  exact_frame_clear (&ef);
  g_assert_no_error (error);
}

/* ---- decoders: malformed messages -------------------------------------------- */

typedef struct {
  GBytes *bytes;
  FraiseError code;
  char *message;   /* the exact error text */
  char *forbidden; /* server text that must not appear in the error (or NULL) */
} BadCase;

static void
bad_case_clear (gpointer data)
{
  BadCase *bad = data;

  g_bytes_unref (bad->bytes);
  g_free (bad->message);
  g_free (bad->forbidden);
}

static void
add_bad (GArray *cases, GBytes *bytes, FraiseError code, const char *message, const char *forbidden)
{
  BadCase bad = { bytes, code, g_strdup (message), g_strdup (forbidden) };

  g_array_append_val (cases, bad);
}

static GBytes *
msg_data_row_lengths (guint16 count, gint32 field_len, const char *data, gsize data_len)
{
  GByteArray *m = msg_new ('D');

  put_u16 (m, count);
  put_u32 (m, (guint32) field_len);
  put_raw (m, data, data_len);
  return msg_end (m);
}

static GBytes *
msg_bytes (guint8 type, const char *body, gsize len)
{
  GByteArray *m = msg_new (type);

  put_raw (m, body, len);
  return msg_end (m);
}

static void
add_bad_data_rows (GArray *c)
{
  GByteArray *m;

  add_bad (c, msg_data_row_lengths (1, -2, "", 0), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: invalid field length -2", NULL);
  add_bad (c, msg_data_row_lengths (1, G_MININT32, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: invalid field length -2147483648", NULL);
  add_bad (c, msg_data_row_lengths (1, 4, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: field length 4 exceeds the 3 remaining bytes", "abc");
  add_bad (c, msg_data_row_lengths (1, G_MAXINT32, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: field length 2147483647 exceeds the 3 remaining bytes", NULL);
  add_bad (c, msg_data_row_lengths (0, 3, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: row has 0 fields, expected 1", NULL);
  add_bad (c, msg_data_row_lengths (2, 3, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: row has 2 fields, expected 1", NULL);
  add_bad (c, msg_data_row_lengths (65535, 3, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: row has 65535 fields, expected 1", NULL);
  add_bad (c, msg_data_row_lengths (1, 2, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: 1 unexpected byte after the last field", NULL);
  add_bad (c, msg_data_row_lengths (1, -1, "abc", 3), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: 3 unexpected bytes after the last field", NULL);
  add_bad (c, msg_bytes ('D', LIT ("\0")), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: message ends in the middle of a field", NULL);
  m = msg_new ('D');
  put_u16 (m, 1);
  put_raw (m, "\0\0", 2);
  add_bad (c, msg_end (m), FRAISE_ERROR_PROTOCOL,
           "malformed DataRow: message ends in the middle of a field", NULL);
}

static void
add_bad_error_fields (GArray *c)
{
  add_bad (c, msg_bytes ('E', LIT ("SERROR\0Mserver secret text")), FRAISE_ERROR_PROTOCOL,
           "malformed ErrorResponse: string is not terminated inside the message", "secret");
  add_bad (c, msg_bytes ('E', LIT ("SERROR\0")), FRAISE_ERROR_PROTOCOL,
           "malformed ErrorResponse: message ends in the middle of a field", NULL);
  add_bad (c, msg_bytes ('E', LIT ("")), FRAISE_ERROR_PROTOCOL,
           "malformed ErrorResponse: message ends in the middle of a field", NULL);
  add_bad (c, msg_bytes ('E', LIT ("M")), FRAISE_ERROR_PROTOCOL,
           "malformed ErrorResponse: string is not terminated inside the message", NULL);
  add_bad (c, msg_bytes ('E', LIT ("SERROR\0\0XY")), FRAISE_ERROR_PROTOCOL,
           "malformed ErrorResponse: 2 unexpected bytes after the last field", NULL);
  add_bad (c, msg_bytes ('N', LIT ("SNOTICE\0M\x1b[2J injected")), FRAISE_ERROR_PROTOCOL,
           "malformed NoticeResponse: string is not terminated inside the message", "injected");
}

static void
add_bad_strings (GArray *c)
{
  GByteArray *m;

  add_bad (c, msg_bytes ('S', LIT ("client_encoding")), FRAISE_ERROR_PROTOCOL,
           "malformed ParameterStatus: string is not terminated inside the message", "client");
  add_bad (c, msg_bytes ('S', LIT ("client_encoding\0LATIN1")), FRAISE_ERROR_PROTOCOL,
           "malformed ParameterStatus: string is not terminated inside the message", "LATIN1");
  add_bad (c, msg_bytes ('S', LIT ("a\0b\0c")), FRAISE_ERROR_PROTOCOL,
           "malformed ParameterStatus: 1 unexpected byte after the last field", NULL);
  add_bad (c, msg_bytes ('C', LIT ("SELECT 1")), FRAISE_ERROR_PROTOCOL,
           "malformed CommandComplete: string is not terminated inside the message", "SELECT");
  add_bad (c, msg_bytes ('C', LIT ("SELECT 1\0garbage")), FRAISE_ERROR_PROTOCOL,
           "malformed CommandComplete: 7 unexpected bytes after the last field", "garbage");
  add_bad (c,
           msg_bytes ('A', LIT ("\0\0\0\x07"
                                "chan\0payload")),
           FRAISE_ERROR_PROTOCOL,
           "malformed NotificationResponse: string is not terminated inside the message",
           "payload");
  add_bad (c, msg_bytes ('A', LIT ("\0\0\0")), FRAISE_ERROR_PROTOCOL,
           "malformed NotificationResponse: message ends in the middle of a field", NULL);

  m = msg_new ('T');
  put_u16 (m, 1);
  put_raw (m, "data", 4);
  add_bad (c, msg_end (m), FRAISE_ERROR_PROTOCOL,
           "malformed RowDescription: string is not terminated inside the message", "data");
  m = msg_new ('T');
  put_u16 (m, 1);
  put_str (m, "data");
  put_u32 (m, 0);
  add_bad (c, msg_end (m), FRAISE_ERROR_PROTOCOL,
           "malformed RowDescription: message ends in the middle of a field", NULL);
  m = msg_new ('T');
  put_u16 (m, 2);
  put_column (m, "data", FRAISE_OID_JSON, 0);
  add_bad (c, msg_end (m), FRAISE_ERROR_PROTOCOL,
           "malformed RowDescription: string is not terminated inside the message", NULL);
  m = msg_new ('T');
  put_u16 (m, 1);
  put_column (m, "data", FRAISE_OID_JSON, 0);
  put_u8 (m, 'x');
  add_bad (c, msg_end (m), FRAISE_ERROR_PROTOCOL,
           "malformed RowDescription: 1 unexpected byte after the last field", NULL);
}

static void
add_bad_auth (GArray *c)
{
  g_autofree char *huge = g_malloc0 (2000);

  add_bad (c, msg_auth (7, "", 0), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 7 (GSSAPI)", NULL);
  add_bad (c, msg_auth (99, "", 0), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 99 (unknown)", NULL);
  add_bad (c, msg_auth (2, "", 0), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 2 (Kerberos V5)", NULL);
  add_bad (c, msg_auth (6, "", 0), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 6 (SCM credentials)", NULL);
  add_bad (c, msg_auth (8, "xx", 2), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 8 (GSS continue)", NULL);
  add_bad (c, msg_auth (9, "", 0), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 9 (SSPI)", NULL);
  add_bad (c, msg_auth (0xFFFFFFFF, "", 0), FRAISE_ERROR_AUTHENTICATION,
           "unsupported authentication method 4294967295 (unknown)", NULL);
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_MD5, "\1\2\3", 3), FRAISE_ERROR_PROTOCOL,
           "malformed Authentication: MD5 salt of 3 bytes, expected 4", NULL);
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_MD5, "\1\2\3\4\5", 5), FRAISE_ERROR_PROTOCOL,
           "malformed Authentication: MD5 salt of 5 bytes, expected 4", NULL);
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_OK, "x", 1), FRAISE_ERROR_PROTOCOL,
           "malformed Authentication: 1 unexpected byte after the last field", NULL);
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_CLEARTEXT, "xy", 2), FRAISE_ERROR_PROTOCOL,
           "malformed Authentication: 2 unexpected bytes after the last field", NULL);
  add_bad (c, msg_bytes ('R', LIT ("\0\0")), FRAISE_ERROR_PROTOCOL,
           "malformed Authentication: message ends in the middle of a field", NULL);
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_SASL_CONTINUE, huge, 1997), FRAISE_ERROR_PROTOCOL,
           "authentication request of 2001 bytes exceeds the limit of 2000 bytes", NULL);
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_SASL, "SCRAM-SHA-256\0", 14), FRAISE_ERROR_PROTOCOL,
           "malformed AuthenticationSASL: string is not terminated inside the message", "SCRAM");
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_SASL, "SCRAM-SHA-256", 13), FRAISE_ERROR_PROTOCOL,
           "malformed AuthenticationSASL: string is not terminated inside the message", "SCRAM");
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_SASL, "A\0\0junk", 7), FRAISE_ERROR_PROTOCOL,
           "malformed AuthenticationSASL: 4 unexpected bytes after the last field", "junk");
  add_bad (c, msg_auth (FRAISE_PROTO_AUTH_SASL, "", 0), FRAISE_ERROR_PROTOCOL,
           "malformed AuthenticationSASL: string is not terminated inside the message", NULL);
}

static void
add_bad_short_messages (GArray *c)
{
  add_bad (c, msg_bytes ('Z', LIT ("II")), FRAISE_ERROR_PROTOCOL,
           "malformed ReadyForQuery: 1 unexpected byte after the last field", NULL);
  add_bad (c, msg_bytes ('Z', LIT ("")), FRAISE_ERROR_PROTOCOL,
           "malformed ReadyForQuery: message ends in the middle of a field", NULL);
  add_bad (c, msg_bytes ('Z', LIT ("X")), FRAISE_ERROR_PROTOCOL,
           "malformed ReadyForQuery: invalid transaction status 0x58", NULL);
  add_bad (c, msg_bytes ('Z', LIT ("\x1b")), FRAISE_ERROR_PROTOCOL,
           "malformed ReadyForQuery: invalid transaction status 0x1b", NULL);
  add_bad (c, msg_bytes ('K', LIT ("\0\0\0\1")), FRAISE_ERROR_PROTOCOL,
           "malformed BackendKeyData: message ends in the middle of a field", NULL);
  add_bad (c, msg_bytes ('K', LIT ("\0\0\0\1\0\0\0\2\0\0\0\3")), FRAISE_ERROR_PROTOCOL,
           "malformed BackendKeyData: 4 unexpected bytes after the last field", NULL);
  add_bad (c, msg_bytes ('I', LIT ("x")), FRAISE_ERROR_PROTOCOL,
           "malformed EmptyQueryResponse: 1 unexpected byte after the last field", NULL);
  add_bad (c, msg_bytes ('1', LIT ("ab")), FRAISE_ERROR_PROTOCOL,
           "malformed ParseComplete: 2 unexpected bytes after the last field", NULL);
  add_bad (c, msg_bytes ('v', LIT ("\0\0\0\0\xff\xff\xff\xff")), FRAISE_ERROR_PROTOCOL,
           "malformed NegotiateProtocolVersion: invalid option count -1", NULL);
  add_bad (c, msg_bytes ('v', LIT ("\0\0\0\0\0\0\0\5a\0")), FRAISE_ERROR_PROTOCOL,
           "malformed NegotiateProtocolVersion: invalid option count 5", NULL);
  add_bad (c, msg_bytes ('v', LIT ("\0\0\0\0\0\0\0\2a\0b")), FRAISE_ERROR_PROTOCOL,
           "malformed NegotiateProtocolVersion: string is not terminated inside the message", NULL);
  add_bad (c, msg_bytes ('v', LIT ("\0\0\0\0\0\0\0\1a\0b")), FRAISE_ERROR_PROTOCOL,
           "malformed NegotiateProtocolVersion: 1 unexpected byte after the last field", NULL);
}

static GArray *
build_bad_cases (void)
{
  GArray *cases = g_array_new (FALSE, FALSE, sizeof (BadCase));

  g_array_set_clear_func (cases, bad_case_clear);
  add_bad_data_rows (cases);
  add_bad_error_fields (cases);
  add_bad_strings (cases);
  add_bad_auth (cases);
  add_bad_short_messages (cases);
  return cases;
}

static void
assert_bad_case_error (const BadCase *bad, const GError *error)
{
  g_assert_error (error, FRAISE_ERROR, (gint) bad->code);
  g_assert_cmpstr (error->message, ==, bad->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (bad->forbidden != NULL)
    g_assert_null (strstr (error->message, bad->forbidden));
}

/* Directly, on an exact-size body (ASan catches any read past it). */
static void
test_decode_malformed (void)
{
  g_autoptr (GArray) cases = build_bad_cases ();
  guint i;

  g_assert_cmpuint (cases->len, >=, 50);
  for (i = 0; i < cases->len; i++)
    {
      const BadCase *bad = &g_array_index (cases, BadCase, i);
      g_autoptr (GError) error = NULL;
      ExactFrame ef;

      exact_frame_init_from_vector (&ef, bad->bytes);
      g_assert_false (decode_frame (&ef.frame, &error));
      assert_bad_case_error (bad, error);
      exact_frame_clear (&ef);
    }
}

/* Through the reader, with a following message whose text must not leak into the error. */
static void
test_decode_malformed_in_stream (void)
{
  g_autoptr (GArray) cases = build_bad_cases ();
  g_autoptr (GBytes) next = msg_strings ('C', "NEXT-MESSAGE-SECRET", NULL);
  guint i;

  for (i = 0; i < cases->len; i++)
    {
      const BadCase *bad = &g_array_index (cases, BadCase, i);
      FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
      g_autoptr (GError) error = NULL;
      FraiseProtoFrame frame;

      feed_bytes (reader, bad->bytes);
      feed_bytes (reader, next);
      expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
      g_assert_cmpuint (frame.len, ==, g_bytes_get_size (bad->bytes) - 5);
      g_assert_false (decode_frame (&frame, &error));
      assert_bad_case_error (bad, error);
      g_assert_null (strstr (error->message, "NEXT"));
      fraise_proto_reader_free (reader);
    }
}

/* Random corruptions of valid messages: every outcome is a frame that decodes,
 * or a FRAISE_ERROR with valid UTF-8 text; never a crash (run under ASan). */
static void
check_mutated_stream (const guint8 *data, gsize len)
{
  FraiseProtoReader *reader = fraise_proto_reader_new (4096);
  FraiseProtoFrame frame;
  FraiseProtoStatus status;
  g_autoptr (GError) error = NULL;

  fraise_proto_reader_feed (reader, data, len);
  while ((status = fraise_proto_reader_next_frame (reader, &frame, &error)) == FRAISE_PROTO_FRAME)
    {
      ExactFrame ef;
      gboolean ok;

      exact_frame_init (&ef, frame.type, frame.body, frame.len);
      ok = decode_frame (&ef.frame, &error);
      exact_frame_clear (&ef);
      if (!ok)
        break;
    }
  if (error != NULL)
    {
      g_assert_true (error->domain == FRAISE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), <, 200);
    }
  else
    {
      g_assert_cmpint (status, ==, FRAISE_PROTO_NEED_MORE);
    }
  fraise_proto_reader_free (reader);
}

static void
test_decode_mutations (void)
{
  g_autoptr (GPtrArray) vectors = build_valid_vectors ();
  g_autoptr (GBytes) stream = concat_vectors (vectors);
  gsize len;
  const guint8 *data = g_bytes_get_data (stream, &len);
  g_autofree guint8 *copy = g_malloc (len);
  guint round;

  for (round = 0; round < 20000; round++)
    {
      guint flips = (guint) g_test_rand_int_range (1, 4);

      memcpy (copy, data, len);
      while (flips-- > 0)
        copy[g_test_rand_int_range (0, (gint32) len)] = (guint8) g_test_rand_int_range (0, 256);
      check_mutated_stream (copy, (gsize) g_test_rand_int_range (1, (gint32) len + 1));
    }
}

/* ---- names ---------------------------------------------------------------------- */

static void
test_backend_message_names (void)
{
  static const struct {
    guint8 type;
    const char *name;
  } names[] = {
    { 'R', "Authentication" },
    { 'K', "BackendKeyData" },
    { 'S', "ParameterStatus" },
    { 'Z', "ReadyForQuery" },
    { 'T', "RowDescription" },
    { 'D', "DataRow" },
    { 'C', "CommandComplete" },
    { 'I', "EmptyQueryResponse" },
    { 'E', "ErrorResponse" },
    { 'N', "NoticeResponse" },
    { 'A', "NotificationResponse" },
    { 'v', "NegotiateProtocolVersion" },
    { '1', "ParseComplete" },
    { '2', "BindComplete" },
    { '3', "CloseComplete" },
    { 'n', "NoData" },
    { 's', "PortalSuspended" },
    { 'c', "CopyDone" },
    { 'd', "CopyData" },
    { 'G', "CopyInResponse" },
    { 'H', "CopyOutResponse" },
    { 'W', "CopyBothResponse" },
    { 't', "ParameterDescription" },
    { 'V', "FunctionCallResponse" },
    { '!', "unknown" },
    { 0, "unknown" },
    { 'Q', "unknown" },
    { 0xff, "unknown" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (fraise_proto_backend_message_name (names[i].type), ==, names[i].name);
}

/* ---- writers ------------------------------------------------------------------ */

#define assert_bytes(array, literal)                                                               \
  g_assert_cmpmem ((array)->data, (array)->len, literal, sizeof (literal) - 1)

static void
test_write_startup (void)
{
  static const char *const keys[] = { "user", "database", "client_encoding", NULL };
  static const char *const values[] = { "alice", "db", "UTF8", NULL };
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_proto_write_startup (out, keys, values, &error));
  g_assert_no_error (error);
  assert_bytes (out, "\0\0\0\x35\0\3\0\0"
                     "user\0alice\0database\0db\0client_encoding\0UTF8\0\0");
}

static void
test_write_startup_refused (void)
{
  static const char *const empty_key[] = { "user", "", NULL };
  static const char *const two_values[] = { "alice", "x", NULL };
  static const char *const one_value[] = { "alice", NULL };
  static const char *const two_keys[] = { "user", "options", NULL };
  static const char *const big_key[] = { "application_name", NULL };
  g_autofree char *big = g_strnfill (9990, 'a');
  const char *big_value[] = { big, NULL };
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_byte_array_append (out, (const guint8 *) "old", 3);
  g_assert_false (fraise_proto_write_startup (out, empty_key, two_values, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (fraise_proto_write_startup (out, two_keys, one_value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (fraise_proto_write_startup (out, big_key, big_value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "startup message of 10017 bytes exceeds the server's limit of 10000 bytes");
  assert_bytes (out, "old");
}

static void
test_write_fixed_messages (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();

  fraise_proto_write_ssl_request (out);
  assert_bytes (out, "\0\0\0\x08\x04\xd2\x16\x2f");
  g_byte_array_set_size (out, 0);
  fraise_proto_write_cancel_request (out, 0x01020304, 0xA0B0C0D0);
  assert_bytes (out, "\0\0\0\x10\x04\xd2\x16\x2e\x01\x02\x03\x04\xa0\xb0\xc0\xd0");
  g_byte_array_set_size (out, 0);
  fraise_proto_write_terminate (out);
  assert_bytes (out, "X\0\0\0\x04");
}

static void
test_write_query (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_proto_write_query (out, "SELECT 1", 8, &error));
  assert_bytes (out, "Q\0\0\0\x0dSELECT 1\0");
  g_byte_array_set_size (out, 0);
  g_assert_true (fraise_proto_write_query (out, "SELECT 1; junk", 8, &error));
  assert_bytes (out, "Q\0\0\0\x0dSELECT 1\0");
  g_byte_array_set_size (out, 0);
  g_assert_true (fraise_proto_write_query (out, "", 0, &error));
  assert_bytes (out, "Q\0\0\0\x05\0");
  g_assert_no_error (error);
}

static void
test_write_query_refused (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  static const char sql[] = "SELECT 1";
  static const gsize too_long[] = {
    FRAISE_PROTO_MAX_OUTGOING - 5, /* 'Q' + length + text + NUL = limit + 1 */
    FRAISE_PROTO_MAX_OUTGOING + 1,
    G_MAXUINT32,
    G_MAXSIZE,
  };
  guint i;

  g_byte_array_append (out, (const guint8 *) "old", 3);
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (fraise_proto_write_query (out, "SELECT\0 1", 9, &error));
    g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
    g_assert_cmpstr (error->message, ==, "query text contains a NUL byte");
  }
  /* The length is checked before the text is read, so a short buffer with a
   * huge length stands in for a 1 GiB query without allocating one. */
  for (i = 0; i < G_N_ELEMENTS (too_long); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (fraise_proto_write_query (out, sql, too_long[i], &error));
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
      g_assert_cmpstr (error->message, ==,
                       "query is too large: messages are limited to 1073741824 bytes");
    }
  assert_bytes (out, "old");
}

static void
test_write_auth_responses (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_proto_write_password (out, "secret", &error));
  assert_bytes (out, "p\0\0\0\x0bsecret\0");
  g_byte_array_set_size (out, 0);

  g_assert_true (
    fraise_proto_write_sasl_initial_response (out, "SCRAM-SHA-256", U8 ("n,,n=,r=abc"), &error));
  assert_bytes (out, "p\0\0\0\x21SCRAM-SHA-256\0\0\0\0\x0bn,,n=,r=abc");
  g_byte_array_set_size (out, 0);

  g_assert_true (fraise_proto_write_sasl_initial_response (out, "SCRAM-SHA-256", NULL, 0, &error));
  assert_bytes (out, "p\0\0\0\x16SCRAM-SHA-256\0\xff\xff\xff\xff");
  g_byte_array_set_size (out, 0);

  g_assert_true (fraise_proto_write_sasl_initial_response (out, "X", U8 (""), &error));
  assert_bytes (out, "p\0\0\0\x0aX\0\0\0\0\0");
  g_byte_array_set_size (out, 0);

  g_assert_true (fraise_proto_write_sasl_response (out, U8 ("c=biws"), &error));
  assert_bytes (out, "p\0\0\0\x0a"
                     "c=biws");
  g_assert_no_error (error);
}

static void
test_write_auth_responses_refused (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_byte_array_append (out, (const guint8 *) "old", 3);
  /* Lengths are checked before the data is read: a 1-byte buffer stands in. */
  g_assert_false (fraise_proto_write_sasl_response (out, (const guint8 *) "x",
                                                    FRAISE_PROTO_MAX_OUTGOING, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (
    fraise_proto_write_sasl_initial_response (out, "M", (const guint8 *) "x", G_MAXSIZE, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  assert_bytes (out, "old");
}

/* The writers' output read back through the frame reader. */
static void
test_write_round_trip (void)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  FraiseProtoReader *reader = fraise_proto_reader_new (FRAISE_PROTO_DEFAULT_MAX_ROW_SIZE);
  FraiseProtoFrame frame;
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_proto_write_query (out, "SELECT '{}'::json", 17, &error));
  fraise_proto_write_terminate (out);
  fraise_proto_reader_feed (reader, out->data, out->len);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpint (frame.type, ==, 'Q');
  g_assert_cmpmem (frame.body, frame.len, "SELECT '{}'::json", 18);
  expect_next (reader, &frame, &error, FRAISE_PROTO_FRAME);
  g_assert_cmpint (frame.type, ==, 'X');
  g_assert_cmpuint (frame.len, ==, 0);
  g_assert_no_error (error);
  fraise_proto_reader_free (reader);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/proto/reader/whole-stream", test_reader_whole_stream);
  g_test_add_func ("/proto/reader/every-split", test_reader_every_split);
  g_test_add_func ("/proto/reader/one-byte-at-a-time", test_reader_one_byte_at_a_time);
  g_test_add_func ("/proto/reader/large-messages", test_reader_large_messages);
  g_test_add_func ("/proto/reader/random-splits", test_reader_random_splits);
  g_test_add_func ("/proto/reader/coalesced", test_reader_coalesced);
  g_test_add_func ("/proto/reader/grows-to-message-size", test_reader_grows_to_message_size);
  g_test_add_func ("/proto/reader/skips-rows-over-limit", test_reader_skips_rows_over_limit);
  g_test_add_func ("/proto/reader/unread", test_reader_unread);
  g_test_add_func ("/proto/reader/compacts-instead-of-growing",
                   test_reader_compacts_instead_of_growing);
  g_test_add_func ("/proto/reader/moves-a-message-only-when-needed",
                   test_reader_moves_a_message_only_when_needed);
  g_test_add_func ("/proto/reader/retains-a-moderate-buffer",
                   test_reader_retains_a_moderate_buffer);
  g_test_add_func ("/proto/reader/undrained-frames", test_reader_undrained_frames);
  g_test_add_func ("/proto/reader/bad-header-without-body", test_reader_bad_header_without_body);
  g_test_add_func ("/proto/reader/bad-header-zero-copy", test_reader_bad_header_zero_copy);
  g_test_add_func ("/proto/reader/error-is-sticky", test_reader_error_is_sticky);
  g_test_add_func ("/proto/reader/limit-boundaries", test_reader_limits_boundaries);
  g_test_add_func ("/proto/reader/set-max-row-size", test_reader_set_max_row_size);
  g_test_add_func ("/proto/decode/every-valid-vector", test_decode_every_valid_vector);
  g_test_add_func ("/proto/decode/auth", test_decode_auth);
  g_test_add_func ("/proto/decode/sasl-mechanisms-empty-list",
                   test_decode_sasl_mechanisms_empty_list);
  g_test_add_func ("/proto/decode/startup-messages", test_decode_startup_messages);
  g_test_add_func ("/proto/decode/status-messages", test_decode_status_messages);
  g_test_add_func ("/proto/decode/row-description", test_decode_row_description);
  g_test_add_func ("/proto/decode/data-row", test_decode_data_row);
  g_test_add_func ("/proto/decode/results-and-async", test_decode_results_and_async);
  g_test_add_func ("/proto/decode/malformed", test_decode_malformed);
  g_test_add_func ("/proto/decode/malformed-in-stream", test_decode_malformed_in_stream);
  g_test_add_func ("/proto/decode/mutations", test_decode_mutations);
  g_test_add_func ("/proto/names", test_backend_message_names);
  g_test_add_func ("/proto/write/startup", test_write_startup);
  g_test_add_func ("/proto/write/startup-refused", test_write_startup_refused);
  g_test_add_func ("/proto/write/fixed-messages", test_write_fixed_messages);
  g_test_add_func ("/proto/write/query", test_write_query);
  g_test_add_func ("/proto/write/query-refused", test_write_query_refused);
  g_test_add_func ("/proto/write/auth-responses", test_write_auth_responses);
  g_test_add_func ("/proto/write/auth-responses-refused", test_write_auth_responses_refused);
  g_test_add_func ("/proto/write/round-trip", test_write_round_trip);

  return g_test_run ();
}
