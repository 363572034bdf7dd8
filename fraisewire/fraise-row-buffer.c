/* fraise-row-buffer.c: the rows a stream received and has not delivered yet
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-row-buffer-private.h"

void
_fraise_row_buffer_grow (FraiseRowBuffer *buffer)
{
  guint capacity = MAX (16, buffer->capacity * 2);
  FraiseRow **rows = g_new (FraiseRow *, capacity);
  guint i;

  for (i = 0; i < buffer->len; i++)
    rows[i] = buffer->rows[(buffer->head + i) & (buffer->capacity - 1)];
  g_free (buffer->rows);
  buffer->rows = rows;
  buffer->capacity = capacity;
  buffer->head = 0;
}

GPtrArray *
_fraise_row_buffer_take (FraiseRowBuffer *buffer, guint max)
{
  GPtrArray *batch =
    g_ptr_array_new_full (MIN (buffer->len, max), (GDestroyNotify) fraise_row_unref);

  while (buffer->len > 0 && batch->len < max)
    g_ptr_array_add (batch, _fraise_row_buffer_pop (buffer));
  return batch;
}

void
_fraise_row_buffer_clear (FraiseRowBuffer *buffer)
{
  while (buffer->len > 0)
    fraise_row_unref (_fraise_row_buffer_pop (buffer));
}

void
_fraise_row_buffer_free (FraiseRowBuffer *buffer)
{
  _fraise_row_buffer_clear (buffer);
  g_clear_pointer (&buffer->rows, g_free);
  buffer->capacity = 0;
  buffer->head = 0;
}
