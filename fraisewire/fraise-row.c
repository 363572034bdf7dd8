/* fraise-row.c: one JSON row of a stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-row-private.h"
#include "fraise-json-private.h"

#include <string.h>

/**
 * FraiseRow:
 *
 * One row of a [class@Fraise.Stream]: the JSON text of the `data` column,
 * copied once out of the socket buffer, with lazy parsing.
 *
 * [method@Fraise.Row.get_text] gives the raw text without parsing;
 * [method@Fraise.Row.get_node] parses it on first use (and caches the
 * immutable tree); [method@Fraise.Row.get_string] and its siblings read one
 * field by path (`"name"`, `"address.city"`, `"tags[0]"`) without building a
 * tree. An SQL NULL arrives as a row whose text is `null`.
 *
 * A row is immutable once created; the cached tree is built on first use,
 * so share rows across threads only after calling get_node() or not at all.
 *
 * Since: 1.0
 */

struct _FraiseRow {
  gatomicrefcount ref_count;
  gboolean is_null;
  guint max_depth;
  guint64 index;
  GType object_type; /* the query's row type, or G_TYPE_NONE */
  JsonNode *node;
  gsize len;
  gsize capacity; /* bytes available in text[] */
  char text[];    /* len bytes + NUL */
};

/* Freed row blocks kept per thread for the next rows. A stream allocates and
 * frees rows at the same pace in bursts of a socket read (dozens of rows):
 * more than glibc's per-thread cache holds, so without this most rows would
 * take malloc's slow paths. A stream buffers up to twice its chunk size
 * (512 rows by default) between two reads of the consumer, so the cache
 * holds as many: 1,024 blocks and at most 1 MiB, freed when the thread
 * exits. */
#define ROW_CACHE_ENTRIES 1024
#define ROW_CACHE_MAX_BYTES (1024 * 1024)
#define ROW_CACHE_MAX_CAPACITY 4096
#define ROW_MIN_CAPACITY 256

/* row_sizes[bits] is the power of two above any length of that many bits. */
static const gsize row_sizes[] = {
  1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
};

typedef struct {
  guint n;
  gsize bytes; /* the capacities of the blocks held */
  FraiseRow *blocks[ROW_CACHE_ENTRIES];
} RowCache;

static void
row_cache_free (gpointer data)
{
  RowCache *cache = data;

  while (cache->n > 0)
    g_free (cache->blocks[--cache->n]);
  g_free (cache);
}

/* The GPrivate frees the cache when the thread exits; the thread-local
 * pointer spares the row path a pthread_getspecific() call per row. */
static GPrivate row_cache_key = G_PRIVATE_INIT (row_cache_free);
static __thread RowCache *thread_row_cache;

static RowCache *
row_cache_get (void)
{
  if (G_UNLIKELY (thread_row_cache == NULL))
    {
      thread_row_cache = g_new0 (RowCache, 1);
      g_private_set (&row_cache_key, thread_row_cache);
    }
  return thread_row_cache;
}

/* Powers of two from 256 bytes: rows of similar size share blocks. */
static gsize
row_capacity_for (gsize len)
{
  guint bits = g_bit_storage (MAX (len, ROW_MIN_CAPACITY - 1));

  return bits < G_N_ELEMENTS (row_sizes) ? row_sizes[bits] : len + 1;
}

/* What malloc adds to each block: its chunk header, rounded up. */
#define MALLOC_OVERHEAD (2 * sizeof (gpointer))

gsize
_fraise_row_estimate_allocated_size (gsize len)
{
  return sizeof (FraiseRow) + row_capacity_for (len) + MALLOC_OVERHEAD;
}

static FraiseRow *
row_block_take (gsize len)
{
  RowCache *cache = row_cache_get ();
  gsize capacity;

  if (cache->n > 0 && cache->blocks[cache->n - 1]->capacity > len)
    {
      FraiseRow *row = cache->blocks[--cache->n];

      cache->bytes -= row->capacity;
      return row;
    }
  capacity = row_capacity_for (len);
  {
    FraiseRow *row = g_malloc (sizeof (FraiseRow) + capacity);
    row->capacity = capacity;
    return row;
  }
}

static void
row_block_release (FraiseRow *row)
{
  RowCache *cache;

  if (row->capacity <= ROW_CACHE_MAX_CAPACITY)
    {
      cache = row_cache_get ();
      if (cache->n < ROW_CACHE_ENTRIES && cache->bytes + row->capacity <= ROW_CACHE_MAX_BYTES)
        {
          cache->blocks[cache->n++] = row;
          cache->bytes += row->capacity;
          return;
        }
    }
  g_free (row);
}

void
_fraise_row_cache_get_stats (guint *n_blocks, gsize *bytes)
{
  RowCache *cache = row_cache_get ();

  *n_blocks = cache->n;
  *bytes = cache->bytes;
}

G_DEFINE_BOXED_TYPE (FraiseRow, fraise_row, fraise_row_ref, fraise_row_unref)

FraiseRow *
_fraise_row_new (const char *text, gsize len, gboolean is_null, guint64 index)
{
  FraiseRow *row;

  if (is_null)
    {
      text = "null";
      len = 4;
    }
  row = row_block_take (len);
  g_atomic_ref_count_init (&row->ref_count);
  row->is_null = is_null;
  row->max_depth = FRAISE_ROW_DEFAULT_MAX_DEPTH;
  row->index = index;
  row->object_type = G_TYPE_NONE;
  row->node = NULL;
  row->len = len;
  memcpy (row->text, text, len);
  row->text[len] = '\0';
  return row;
}

/**
 * fraise_row_new:
 * @text: (array length=len) (element-type guint8): JSON text
 * @len: length of @text in bytes, or -1 if it is NUL-terminated
 * @index: the row's position in its stream
 *
 * Creates a row holding a copy of @text, for tests and for elements that
 * make rows of their own. The text is not validated until parsed.
 *
 * Returns: (transfer full): a new row
 *
 * Since: 1.0
 */
FraiseRow *
fraise_row_new (const char *text, gssize len, guint64 index)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);

  return _fraise_row_new (text, len < 0 ? strlen (text) : (gsize) len, FALSE, index);
}

/**
 * fraise_row_new_from_text:
 * @json: (array length=len) (element-type guint8): JSON text
 * @len: length of @json in bytes, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Creates a row from JSON text after checking it: what pipeline elements
 * that make new rows use. The text must be one valid JSON document
 * (strict RFC 8259, nesting up to 512 levels); the parsed tree is kept,
 * so [method@Fraise.Row.get_node] costs nothing afterwards. The row's
 * index is 0.
 *
 * Returns: (transfer full) (nullable): a new row, or %NULL with
 *   %FRAISE_ERROR_JSON when @json is not valid JSON
 *
 * Since: 1.0
 */
FraiseRow *
fraise_row_new_from_text (const char *json, gssize len, GError **error)
{
  gsize n;
  JsonNode *node;
  FraiseRow *row;

  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = len < 0 ? strlen (json) : (gsize) len;
  node = fraise_json_parse (json != NULL ? json : "", n, FRAISE_ROW_DEFAULT_MAX_DEPTH, error);
  if (node == NULL)
    return NULL;
  row = _fraise_row_new (json != NULL ? json : "", n, FALSE, 0);
  row->node = node;
  return row;
}

/**
 * fraise_row_ref:
 * @row: a row
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @row
 *
 * Since: 1.0
 */
FraiseRow *
fraise_row_ref (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  g_atomic_ref_count_inc (&row->ref_count);
  return row;
}

/**
 * fraise_row_unref:
 * @row: (transfer full): a row
 *
 * Drops a reference; the row is freed with the last one.
 *
 * Since: 1.0
 */
void
fraise_row_unref (FraiseRow *row)
{
  g_return_if_fail (row != NULL);

  if (!g_atomic_ref_count_dec (&row->ref_count))
    return;
  g_clear_pointer (&row->node, json_node_unref);
  row_block_release (row);
}

void
_fraise_row_set_object_type (FraiseRow *row, GType object_type)
{
  row->object_type = object_type;
}

/**
 * fraise_row_get_object_type:
 * @row: a row
 *
 * The #GObject type the row's query asked for with
 * [method@Fraise.Query.set_row_type].
 *
 * Returns: the type, or %G_TYPE_NONE
 *
 * Since: 1.0
 */
GType
fraise_row_get_object_type (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, G_TYPE_NONE);
  return row->object_type;
}

gsize
_fraise_row_get_allocated_size (FraiseRow *row)
{
  return sizeof (FraiseRow) + row->capacity + MALLOC_OVERHEAD;
}

/**
 * fraise_row_get_text: (skip)
 * @row: a row
 * @len: (out) (optional): return location for the length in bytes
 *
 * The row's JSON text exactly as the server sent it, never parsed. It is
 * NUL-terminated (JSON text from the server contains no NUL byte).
 *
 * Returns: (transfer none): the JSON text
 *
 * Since: 1.0
 */
const char *
fraise_row_get_text (FraiseRow *row, gsize *len)
{
  g_return_val_if_fail (row != NULL, NULL);

  if (len != NULL)
    *len = row->len;
  return row->text;
}

/**
 * fraise_row_get_json: (rename-to fraise_row_get_text)
 * @row: a row
 *
 * The row's JSON text exactly as the server sent it, never parsed; the same
 * as [method@Fraise.Row.get_text] without the length. Bindings see this
 * function as `get_text()`.
 *
 * Returns: (transfer none): the JSON text
 *
 * Since: 1.0
 */
const char *
fraise_row_get_json (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);
  return row->text;
}

/**
 * fraise_row_get_bytes:
 * @row: a row
 *
 * The row's JSON text as bytes (without the terminating NUL). The bytes
 * share the row's memory: no copy is made.
 *
 * Returns: (transfer full): the JSON text
 *
 * Since: 1.0
 */
GBytes *
fraise_row_get_bytes (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return g_bytes_new_with_free_func (row->text, row->len, (GDestroyNotify) fraise_row_unref,
                                     fraise_row_ref (row));
}

/**
 * fraise_row_is_null:
 * @row: a row
 *
 * Whether the `data` column was SQL NULL. Such a row's text is `null` and
 * its node a JSON null.
 *
 * Returns: %TRUE for an SQL NULL
 *
 * Since: 1.0
 */
gboolean
fraise_row_is_null (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, FALSE);
  return row->is_null;
}

/**
 * fraise_row_get_index:
 * @row: a row
 *
 * The row's position in its stream, counting from 0 over the rows the server
 * sent (rows dropped by a client-side filter still count).
 *
 * Returns: the index
 *
 * Since: 1.0
 */
guint64
fraise_row_get_index (FraiseRow *row)
{
  g_return_val_if_fail (row != NULL, 0);
  return row->index;
}

/**
 * fraise_row_get_node:
 * @row: a row
 * @error: return location for a %FRAISE_ERROR_JSON error
 *
 * Parses the row on first call and caches the tree; later calls return the
 * same node. The tree is sealed (immutable). Nesting deeper than 512 levels
 * is an error, as is invalid JSON (the message names the row index and the
 * byte offset). Integers beyond 64 bits and long decimals become doubles in
 * the tree; [method@Fraise.Row.get_number_text] keeps their exact text.
 *
 * Returns: (transfer none): the parsed JSON, or %NULL on error
 *
 * Since: 1.0
 */
JsonNode *
fraise_row_get_node (FraiseRow *row, GError **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  if (row->node != NULL)
    return row->node;
  row->node = fraise_json_parse (row->text, row->len, row->max_depth, &local);
  if (row->node == NULL)
    g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON,
                 _("row %llu: %s"), (unsigned long long) row->index, local->message);
  return row->node;
}

/* A malformed path keeps its code (FRAISE_ERROR_CONFIG), invalid JSON read on
 * the way too (FRAISE_ERROR_JSON); a path that leads nowhere is a row that
 * does not fit what the caller asked for: FRAISE_ERROR_DESERIALIZATION. */
static gboolean
lookup (FraiseRow *row, const char *path, FraiseJsonValue *value, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (fraise_json_lookup (row->text, row->len, path, value, &local))
    return TRUE;
  if (local != NULL)
    g_set_error (error, local->domain, local->code,
                 _("row %llu: %s"), (unsigned long long) row->index, local->message);
  else
    _fraise_row_missing_field_error (row, path, error);
  return FALSE;
}

void
_fraise_row_missing_field_error (FraiseRow *row, const char *path, GError **error)
{
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
               _("row %llu has no field \"%s\""), (unsigned long long) row->index, path);
}

gboolean
_fraise_row_field_error (FraiseRow *row, const char *path, GError *local, GError **error)
{
  if (local == NULL)
    return TRUE;
  g_set_error (error, local->domain, local->code,
               _("row %llu, field \"%s\": %s"), (unsigned long long) row->index, path,
                  local->message);
  g_error_free (local);
  return FALSE;
}

/**
 * fraise_row_has_path:
 * @row: a row
 * @path: a path such as `name`, `address.city` or `tags[0]`
 *
 * Whether the field exists (with any value, JSON null included), read
 * without building a tree.
 *
 * Returns: %TRUE if the path exists
 *
 * Since: 1.0
 */
gboolean
fraise_row_has_path (FraiseRow *row, const char *path)
{
  FraiseJsonValue value;

  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  return fraise_json_lookup (row->text, row->len, path, &value, NULL);
}

/**
 * fraise_row_get_string:
 * @row: a row
 * @path: a path such as `name`, `address.city` or `tags[0]`
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (the
 *   path is missing or the value has another JSON type), a %FRAISE_ERROR_JSON
 *   error (the row is not valid JSON where it had to be read) or a
 *   %FRAISE_ERROR_CONFIG error (@path is malformed)
 *
 * Reads one string field without building a tree.
 *
 * Returns: (transfer full): the decoded string, or %NULL if the field is
 *   missing or not a string (with @error set)
 *
 * Since: 1.0
 */
char *
fraise_row_get_string (FraiseRow *row, const char *path, GError **error)
{
  FraiseJsonValue value;
  GError *local = NULL;
  char *result;

  g_return_val_if_fail (row != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!lookup (row, path, &value, error))
    return NULL;
  result = fraise_json_value_dup_string (&value, &local);
  _fraise_row_field_error (row, path, local, error);
  return result;
}

/**
 * fraise_row_get_int:
 * @row: a row
 * @path: a path such as `age` or `stats.count`
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (the
 *   path is missing or the value has another JSON type), a %FRAISE_ERROR_JSON
 *   error (the row is not valid JSON where it had to be read) or a
 *   %FRAISE_ERROR_CONFIG error (@path is malformed)
 *
 * Reads one integer field (it must fit in 64 bits) without building a tree.
 *
 * Returns: the value, or 0 with @error set
 *
 * Since: 1.0
 */
gint64
fraise_row_get_int (FraiseRow *row, const char *path, GError **error)
{
  FraiseJsonValue value;
  GError *local = NULL;
  gint64 result = 0;

  g_return_val_if_fail (row != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  if (!lookup (row, path, &value, error))
    return 0;
  fraise_json_value_get_int (&value, &result, &local);
  return _fraise_row_field_error (row, path, local, error) ? result : 0;
}

/**
 * fraise_row_get_double:
 * @row: a row
 * @path: a path such as `score`
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (the
 *   path is missing or the value has another JSON type), a %FRAISE_ERROR_JSON
 *   error (the row is not valid JSON where it had to be read) or a
 *   %FRAISE_ERROR_CONFIG error (@path is malformed)
 *
 * Reads one number field as a double without building a tree.
 *
 * Returns: the value, or 0 with @error set
 *
 * Since: 1.0
 */
double
fraise_row_get_double (FraiseRow *row, const char *path, GError **error)
{
  FraiseJsonValue value;
  GError *local = NULL;
  double result = 0;

  g_return_val_if_fail (row != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  if (!lookup (row, path, &value, error))
    return 0;
  fraise_json_value_get_double (&value, &result, &local);
  return _fraise_row_field_error (row, path, local, error) ? result : 0;
}

/**
 * fraise_row_get_boolean:
 * @row: a row
 * @path: a path such as `active`
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (the
 *   path is missing or the value has another JSON type), a %FRAISE_ERROR_JSON
 *   error (the row is not valid JSON where it had to be read) or a
 *   %FRAISE_ERROR_CONFIG error (@path is malformed)
 *
 * Reads one boolean field without building a tree.
 *
 * Returns: the value, or %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
fraise_row_get_boolean (FraiseRow *row, const char *path, GError **error)
{
  FraiseJsonValue value;
  GError *local = NULL;
  gboolean result = FALSE;

  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!lookup (row, path, &value, error))
    return FALSE;
  fraise_json_value_get_boolean (&value, &result, &local);
  return _fraise_row_field_error (row, path, local, error) ? result : FALSE;
}

/**
 * fraise_row_get_number_text:
 * @row: a row
 * @path: a path such as `balance`
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (the
 *   path is missing or the value is not a number), a %FRAISE_ERROR_JSON error
 *   (the row is not valid JSON where it had to be read) or a
 *   %FRAISE_ERROR_CONFIG error (@path is malformed)
 *
 * The exact source text of a number field, for integers beyond 64 bits and
 * decimals that a double cannot hold exactly.
 *
 * Returns: (transfer full): the number's text, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
fraise_row_get_number_text (FraiseRow *row, const char *path, GError **error)
{
  GError *local = NULL;
  char *result;

  g_return_val_if_fail (row != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  result = fraise_json_get_number_text (row->text, row->len, path, &local);
  _fraise_row_field_error (row, path, local, error);
  return result;
}
