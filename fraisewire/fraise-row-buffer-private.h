/* fraise-row-buffer-private.h: the rows a stream received and has not delivered yet
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A ring of row references in arrival order, with the bytes they hold. The
 * stream decides when to stop reading from these two counts (its high-water
 * mark in rows and `max-memory` in bytes); the buffer itself never drops a
 * row. Push and pop are inline: they run once per row.
 */

#pragma once

#include "fraise-private.h"
#include "fraise-row-private.h"

G_BEGIN_DECLS

typedef struct {
  FraiseRow **rows;
  guint capacity; /* a power of two, or 0 */
  guint head;
  guint len;
  guint64 bytes; /* the memory the buffered rows hold, allocation sizes */
} FraiseRowBuffer;

/* Doubles the ring's capacity (at least 16), keeping the order. */
void _fraise_row_buffer_grow (FraiseRowBuffer *buffer);

/* Takes @row (transfer full). */
static inline void
_fraise_row_buffer_push (FraiseRowBuffer *buffer, FraiseRow *row)
{
  gsize size = _fraise_row_get_allocated_size (row);

  if (G_UNLIKELY (buffer->len == buffer->capacity))
    _fraise_row_buffer_grow (buffer);
  buffer->rows[(buffer->head + buffer->len) & (buffer->capacity - 1)] = row;
  buffer->len++;
  buffer->bytes += size;
}

/* The oldest row (transfer full); the buffer must not be empty. */
static inline FraiseRow *
_fraise_row_buffer_pop (FraiseRowBuffer *buffer)
{
  FraiseRow *row = buffer->rows[buffer->head];

  buffer->head = (buffer->head + 1) & (buffer->capacity - 1);
  buffer->len--;
  buffer->bytes -= _fraise_row_get_allocated_size (row);
  return row;
}

/* Up to @max of the oldest rows, in order (transfer container: the array
 * frees its rows). */
GPtrArray *_fraise_row_buffer_take (FraiseRowBuffer *buffer, guint max);
/* Drops every row; the storage stays for reuse. */
void _fraise_row_buffer_clear (FraiseRowBuffer *buffer);
/* Drops every row and frees the storage. */
void _fraise_row_buffer_free (FraiseRowBuffer *buffer);

G_END_DECLS
