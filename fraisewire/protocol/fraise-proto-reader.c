/* fraise-proto-reader.c: incremental frame reader for backend messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The buffer holds unconsumed bytes in [start, end). A returned frame is
 * consumed at once (start moves past it) but its bytes stay in place until
 * the next call that writes into the buffer. Every header is checked as soon
 * as its 5 bytes are buffered, and the buffer only grows to the size of a
 * message whose header passed those checks.
 */

#include "fraise-proto.h"

#include <string.h>

#define HEADER_SIZE 5
#define INITIAL_SIZE (64 * 1024)
/* A buffer grown up to this size stays: a stream of rows of 100 KB (or the
 * first row of each query) would realloc it twice a row otherwise. Larger
 * buffers go back to INITIAL_SIZE after the message that needed them. */
#define RETAINED_SIZE (256 * 1024)
#define MIN_READ 4096

struct _FraiseProtoReader {
  guint8 *buf;
  gsize size;
  gsize start;
  gsize end;
  gsize max_row_size;
  gsize row_limit; /* longer DataRows are skipped */
  gsize skip;      /* bytes of a skipped DataRow still to discard */
  GError *error;   /* sticky: set once, returned by every later call */
};

FraiseProtoReader *
fraise_proto_reader_new (gsize max_row_size)
{
  FraiseProtoReader *reader = g_new0 (FraiseProtoReader, 1);

  reader->buf = g_malloc (INITIAL_SIZE);
  reader->size = INITIAL_SIZE;
  reader->max_row_size = max_row_size;
  reader->row_limit = G_MAXSIZE;
  return reader;
}

void
fraise_proto_reader_free (FraiseProtoReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_error (&reader->error);
  g_free (reader->buf);
  g_free (reader);
}

void
fraise_proto_reader_set_max_row_size (FraiseProtoReader *reader, gsize max_row_size)
{
  g_return_if_fail (reader != NULL);
  reader->max_row_size = max_row_size;
}

void
fraise_proto_reader_set_row_limit (FraiseProtoReader *reader, gsize row_limit)
{
  g_return_if_fail (reader != NULL);
  reader->row_limit = row_limit;
}

static gsize
reader_pending (const FraiseProtoReader *reader)
{
  return reader->end - reader->start;
}

/* Discards what is buffered of a skipped DataRow; TRUE when all of it is gone. */
static gboolean
reader_skip (FraiseProtoReader *reader)
{
  gsize n = MIN (reader->skip, reader_pending (reader));

  reader->start += n;
  reader->skip -= n;
  if (reader->start == reader->end)
    reader->start = reader->end = 0;
  return reader->skip == 0;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
is_long_message_type (guint8 type)
{
  static const char long_types[] = { 'T', 'D', 'd', 'V', 'E', 'N', 'A' };

  return memchr (long_types, type, sizeof long_types) != NULL;
}

/* "DataRow ('D')" or "unknown (0x00)": never more than the one type byte. */
static char *
describe_type (guint8 type)
{
  const char *name = fraise_proto_backend_message_name (type);

  if (g_ascii_isgraph (type))
    return g_strdup_printf ("%s ('%c')", name, type);
  return g_strdup_printf ("%s (0x%02x)", name, type);
}

static void
set_invalid_length_error (GError **error, guint8 type, guint32 length)
{
  g_autofree char *what = describe_type (type);

  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
               _("invalid message length %d for %s"), (int) (gint32) length, what);
}

static void
set_too_long_error (GError **error, guint8 type, guint32 length)
{
  g_autofree char *what = describe_type (type);

  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
               _("invalid message length %u for %s: "
                 "messages of this type are limited to %d bytes"),
                  (guint) length, what, FRAISE_PROTO_MAX_SHORT_MESSAGE);
}

static void
set_over_max_row_size_error (GError **error, guint8 type, gsize body_len, gsize limit)
{
  g_autofree char *what = NULL;

  if (type == 'D')
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_RESOURCE_LIMIT,
                   _("row of %lu bytes exceeds max-row-size (%lu bytes)"), (gulong) body_len,
                      (gulong) limit);
      return;
    }
  what = describe_type (type);
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_RESOURCE_LIMIT,
               _("%s message of %lu bytes exceeds max-row-size (%lu bytes)"), what,
                  (gulong) body_len, (gulong) limit);
}

/* Validates the header of @type with length field @length and returns the
 * body length in *@body_len. */
static gboolean
check_header (guint8 type, guint32 length, gsize max_row_size, gsize *body_len, GError **error)
{
  if (length < 4 || length > G_MAXINT32)
    {
      set_invalid_length_error (error, type, length);
      return FALSE;
    }
  *body_len = (gsize) length - 4;
  if (!is_long_message_type (type))
    {
      if (length > FRAISE_PROTO_MAX_SHORT_MESSAGE)
        {
          set_too_long_error (error, type, length);
          return FALSE;
        }
      return TRUE;
    }
  if (*body_len > max_row_size)
    {
      set_over_max_row_size_error (error, type, *body_len, max_row_size);
      return FALSE;
    }
  return TRUE;
}

/* Checks the header of the first unconsumed message. Returns the total size
 * of that message (header included), or 0 when fewer than 5 bytes are
 * buffered or the header is invalid (then reader->error is set). */
static gsize
reader_check_current_header (FraiseProtoReader *reader)
{
  const guint8 *p = reader->buf + reader->start;
  gsize body_len = 0;

  if (reader->error != NULL || reader_pending (reader) < HEADER_SIZE)
    return 0;
  if (!check_header (p[0], read_be32 (p + 1), reader->max_row_size, &body_len, &reader->error))
    return 0;
  return HEADER_SIZE + body_len; /* body_len < G_MAXINT32: cannot overflow */
}

static gboolean
is_skipped_row (const FraiseProtoReader *reader, gsize message_total)
{
  return message_total - HEADER_SIZE > reader->row_limit && reader->buf[reader->start] == 'D';
}

static void
reader_compact (FraiseProtoReader *reader)
{
  gsize pending = reader_pending (reader);

  if (reader->start == 0)
    return;
  memmove (reader->buf, reader->buf + reader->start, pending);
  reader->start = 0;
  reader->end = pending;
}

static void
reader_resize (FraiseProtoReader *reader, gsize new_size)
{
  reader_compact (reader);
  reader->buf = g_realloc (reader->buf, new_size);
  reader->size = new_size;
}

static gboolean
reader_should_shrink (const FraiseProtoReader *reader, gsize message_total)
{
  return reader->size > RETAINED_SIZE && message_total <= INITIAL_SIZE &&
         reader_pending (reader) <= INITIAL_SIZE / 2;
}

/* Whether the unconsumed bytes must move to the front: only when the rest
 * of the current message (or, its header not buffered yet, a read of
 * MIN_READ) does not fit behind them. Moving them costs a copy of up to a
 * whole partial message. */
static gboolean
reader_should_compact (const FraiseProtoReader *reader, gsize message_total)
{
  if (reader->start == 0)
    return FALSE;
  if (message_total > 0)
    return reader->size - reader->start < message_total;
  return reader->size - reader->end < MIN_READ;
}

/* Makes room after reader->end for the rest of the current message
 * (@message_total bytes in all, 0 if its header is not buffered yet).
 * The unconsumed bytes (at most one partial message) move to the front
 * when the room is not behind them. */
static void
reader_make_room (FraiseProtoReader *reader, gsize message_total)
{
  if (reader_should_shrink (reader, message_total))
    reader_resize (reader, INITIAL_SIZE);
  else if (reader_should_compact (reader, message_total))
    reader_compact (reader);

  if (message_total > reader->size)
    reader_resize (reader, message_total);
  else if (reader->end == reader->size)
    /* Only when complete frames were left unread: the caller did not drain. */
    reader_resize (reader, reader->size + MIN_READ);
}

static void
reader_discard (FraiseProtoReader *reader)
{
  reader->start = reader->end = 0;
}

guint8 *
fraise_proto_reader_get_write_space (FraiseProtoReader *reader, gsize *available)
{
  gsize message_total;

  g_return_val_if_fail (reader != NULL && available != NULL, NULL);

  if (reader->skip > 0 && !reader_skip (reader))
    message_total = 0;
  else
    message_total = reader_check_current_header (reader);
  if (reader->error != NULL)
    reader_discard (reader);
  else
    /* A skipped row is never assembled: its header is enough. */
    reader_make_room (
      reader, message_total > 0 && is_skipped_row (reader, message_total) ? 0 : message_total);

  *available = reader->size - reader->end;
  return reader->buf + reader->end;
}

void
fraise_proto_reader_commit (FraiseProtoReader *reader, gsize n_bytes)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (n_bytes <= reader->size - reader->end);

  if (reader->error != NULL)
    return;
  reader->end += n_bytes;
}

/* Room for @len more bytes: the caller of feed() already holds them, so the
 * buffer may grow to hold them all (after the usual header checks). */
static gboolean
reader_reserve (FraiseProtoReader *reader, gsize len)
{
  gsize available;
  gsize needed;

  fraise_proto_reader_get_write_space (reader, &available);
  if (reader->error != NULL)
    return FALSE;
  if (available >= len)
    return TRUE;
  reader_compact (reader);
  if (!g_size_checked_add (&needed, reader->end, len))
    g_error ("fraise_proto_reader_feed: size overflow");
  if (needed > reader->size)
    reader_resize (reader, needed);
  return TRUE;
}

void
fraise_proto_reader_feed (FraiseProtoReader *reader, const guint8 *data, gsize len)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (len == 0 || !reader_reserve (reader, len))
    return;
  memcpy (reader->buf + reader->end, data, len);
  reader->end += len;
}

FraiseProtoStatus
fraise_proto_reader_next_frame (FraiseProtoReader *reader, FraiseProtoFrame *frame, GError **error)
{
  gsize total;
  const guint8 *p;

  g_return_val_if_fail (reader != NULL && frame != NULL, FRAISE_PROTO_ERROR);

  if (reader->skip > 0 && !reader_skip (reader))
    return FRAISE_PROTO_NEED_MORE;
  total = reader_check_current_header (reader);
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return FRAISE_PROTO_ERROR;
    }
  if (total > 0 && is_skipped_row (reader, total))
    {
      frame->type = 'D';
      frame->body = NULL;
      frame->len = total - HEADER_SIZE;
      reader->skip = total;
      reader_skip (reader);
      return FRAISE_PROTO_SKIPPED;
    }
  if (total == 0 || reader_pending (reader) < total)
    return FRAISE_PROTO_NEED_MORE;

  p = reader->buf + reader->start;
  frame->type = p[0];
  frame->body = p + HEADER_SIZE;
  frame->len = total - HEADER_SIZE;
  reader->start += total;
  return FRAISE_PROTO_FRAME;
}

void
fraise_proto_reader_unread (FraiseProtoReader *reader, const FraiseProtoFrame *frame)
{
  g_return_if_fail (reader != NULL && frame != NULL && frame->body != NULL);
  g_return_if_fail (frame->body == reader->buf + reader->start - frame->len);

  reader->start -= HEADER_SIZE + frame->len;
}

gsize
fraise_proto_reader_get_size (FraiseProtoReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->size;
}

gsize
fraise_proto_reader_get_pending (FraiseProtoReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader_pending (reader);
}

gsize
fraise_proto_reader_get_capacity (FraiseProtoReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->size - reader_pending (reader);
}
