/* fraise-row-reader.c: several fields of a row read in one scan
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The paths are parsed once; each read scans the row's object once
 * (fraise_json_lookup_paths()) and keeps where each field's value lies;
 * the getters convert the values they are asked for. The reader holds the
 * row it read, so the values stay valid until the next read.
 */

#include "fraise-private.h"
#include "fraise-row-reader.h"
#include "fraise-json-private.h"
#include "fraise-row-private.h"

/**
 * FraiseRowReader:
 *
 * Reads a set of fields of a row in one pass over its text, without a
 * #JsonNode tree: create it once for a list of paths, then for each row
 * call [method@Fraise.RowReader.read] and take the values with the
 * getters, by their index in the list.
 *
 * ```c
 * const char *paths[] = { "id", "name", "address.city", NULL };
 * g_autoptr (FraiseRowReader) reader = fraise_row_reader_new (paths, &error);
 *
 * while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
 *   {
 *     if (fraise_row_reader_read (reader, row, &error))
 *       {
 *         gint64 id = fraise_row_reader_get_int (reader, 0, &error);
 *         g_autofree char *city = fraise_row_reader_dup_string (reader, 2, &error);
 *         …
 *       }
 *     fraise_row_unref (row);
 *   }
 * ```
 *
 * Paths are those of [method@Fraise.Row.get_string]; the errors are the
 * same too, naming the row, the field and what was found. The getters
 * read the last row read: call them after a read.
 *
 * Since: 1.0
 */
struct _FraiseRowReader {
  GObject parent_instance;

  GPtrArray *paths;        /* FraiseJsonPath */
  GStrv path_texts;        /* as given */
  FraiseJsonValue *values; /* of the last row read */
  gboolean *found;
  FraiseRow *row; /* the last row read, or NULL */
};

G_DEFINE_FINAL_TYPE (FraiseRowReader, fraise_row_reader, G_TYPE_OBJECT)

static void
fraise_row_reader_finalize (GObject *object)
{
  FraiseRowReader *self = FRAISE_ROW_READER (object);

  g_clear_pointer (&self->row, fraise_row_unref);
  g_ptr_array_unref (self->paths);
  g_strfreev (self->path_texts);
  g_free (self->values);
  g_free (self->found);
  G_OBJECT_CLASS (fraise_row_reader_parent_class)->finalize (object);
}

static void
fraise_row_reader_class_init (FraiseRowReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fraise_row_reader_finalize;
}

static void
fraise_row_reader_init (FraiseRowReader *self)
{
  self->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_json_path_free);
}

/**
 * fraise_row_reader_new:
 * @paths: (array zero-terminated=1): the paths to read (`id`,
 *   `address.city`, `tags[0]`)
 * @error: return location for a %FRAISE_ERROR_CONFIG error (a malformed
 *   path)
 *
 * Creates a reader of @paths; the getters take a path's index in @paths.
 *
 * Returns: (transfer full): the reader, or %NULL with @error set
 *
 * Since: 1.0
 */
FraiseRowReader *
fraise_row_reader_new (const char *const *paths, GError **error)
{
  g_autoptr (FraiseRowReader) self = NULL;
  guint n;

  g_return_val_if_fail (paths != NULL, NULL);

  self = g_object_new (FRAISE_TYPE_ROW_READER, NULL);
  n = g_strv_length ((char **) paths);
  for (guint i = 0; i < n; i++)
    {
      FraiseJsonPath *path = fraise_json_path_new (paths[i], error);

      if (path == NULL)
        return NULL;
      g_ptr_array_add (self->paths, path);
    }
  self->path_texts = g_strdupv ((char **) paths);
  self->values = g_new0 (FraiseJsonValue, MAX (n, 1));
  self->found = g_new0 (gboolean, MAX (n, 1));
  return g_steal_pointer (&self);
}

/**
 * fraise_row_reader_get_n_paths:
 * @reader: a reader
 *
 * How many paths the reader reads.
 *
 * Returns: the number of paths
 *
 * Since: 1.0
 */
guint
fraise_row_reader_get_n_paths (FraiseRowReader *reader)
{
  g_return_val_if_fail (FRAISE_IS_ROW_READER (reader), 0);
  return reader->paths->len;
}

/**
 * fraise_row_reader_get_path:
 * @reader: a reader
 * @index: a path's index
 *
 * The path at @index, as given.
 *
 * Returns: the path
 *
 * Since: 1.0
 */
const char *
fraise_row_reader_get_path (FraiseRowReader *reader, guint index)
{
  g_return_val_if_fail (FRAISE_IS_ROW_READER (reader), NULL);
  g_return_val_if_fail (index < reader->paths->len, NULL);
  return reader->path_texts[index];
}

/**
 * fraise_row_reader_read:
 * @reader: a reader
 * @row: the row to read
 * @error: return location for a %FRAISE_ERROR_JSON error (the row is not
 *   valid JSON where it had to be read)
 *
 * Reads all the reader's paths in @row in one pass; the getters then give
 * their values, until the next read. A path that leads nowhere is no error
 * here: see [method@Fraise.RowReader.has_value].
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
fraise_row_reader_read (FraiseRowReader *reader, FraiseRow *row, GError **error)
{
  g_autoptr (GError) local = NULL;
  const char *text;
  gsize len;

  g_return_val_if_fail (FRAISE_IS_ROW_READER (reader), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  if (reader->row != row)
    {
      g_clear_pointer (&reader->row, fraise_row_unref);
      reader->row = fraise_row_ref (row);
    }
  text = fraise_row_get_text (row, &len);
  if (fraise_json_lookup_paths (text, len, (FraiseJsonPath *const *) reader->paths->pdata,
                                reader->paths->len, reader->values, reader->found, &local))
    return TRUE;
  memset (reader->found, 0, sizeof (gboolean) * reader->paths->len);
  g_set_error (error, local->domain, local->code,
               _("row %llu: %s"), (unsigned long long) fraise_row_get_index (row), local->message);
  return FALSE;
}

/* The value at @index of the last row read, or NULL with @error set. */
static const FraiseJsonValue *
value_at (FraiseRowReader *reader, guint index, GError **error)
{
  if (!reader->found[index])
    {
      _fraise_row_missing_field_error (reader->row, reader->path_texts[index], error);
      return NULL;
    }
  return &reader->values[index];
}

static gboolean
convert_error (FraiseRowReader *reader, guint index, GError *local, GError **error)
{
  return _fraise_row_field_error (reader->row, reader->path_texts[index], local, error);
}

#define CHECK_INDEX(reader, index, value)                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_return_val_if_fail (FRAISE_IS_ROW_READER (reader), value);                                   \
    g_return_val_if_fail ((index) < (reader)->paths->len, value);                                  \
    g_return_val_if_fail ((reader)->row != NULL, value);                                           \
  }                                                                                                \
  G_STMT_END

/**
 * fraise_row_reader_has_value:
 * @reader: a reader
 * @index: a path's index
 *
 * Whether the last row read has a value (JSON null included) at the path
 * @index.
 *
 * Returns: %TRUE if the field exists
 *
 * Since: 1.0
 */
gboolean
fraise_row_reader_has_value (FraiseRowReader *reader, guint index)
{
  g_return_val_if_fail (FRAISE_IS_ROW_READER (reader), FALSE);
  g_return_val_if_fail (index < reader->paths->len, FALSE);
  return reader->row != NULL && reader->found[index];
}

/**
 * fraise_row_reader_dup_string:
 * @reader: a reader
 * @index: a path's index
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (no
 *   value there, or not a string) or a %FRAISE_ERROR_JSON error (a
 *   malformed string)
 *
 * The string at the path @index of the last row read.
 *
 * Returns: (transfer full): the string, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
fraise_row_reader_dup_string (FraiseRowReader *reader, guint index, GError **error)
{
  const FraiseJsonValue *value;
  GError *local = NULL;
  char *result;

  CHECK_INDEX (reader, index, NULL);
  if ((value = value_at (reader, index, error)) == NULL)
    return NULL;
  result = fraise_json_value_dup_string (value, &local);
  convert_error (reader, index, local, error);
  return result;
}

/**
 * fraise_row_reader_get_int:
 * @reader: a reader
 * @index: a path's index
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (no
 *   value there, not an integer, or beyond 64 bits)
 *
 * The integer at the path @index of the last row read.
 *
 * Returns: the integer, or 0 with @error set
 *
 * Since: 1.0
 */
gint64
fraise_row_reader_get_int (FraiseRowReader *reader, guint index, GError **error)
{
  const FraiseJsonValue *value;
  GError *local = NULL;
  gint64 result = 0;

  CHECK_INDEX (reader, index, 0);
  if ((value = value_at (reader, index, error)) == NULL)
    return 0;
  fraise_json_value_get_int (value, &result, &local);
  return convert_error (reader, index, local, error) ? result : 0;
}

/**
 * fraise_row_reader_get_double:
 * @reader: a reader
 * @index: a path's index
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (no
 *   value there, or not a number)
 *
 * The number at the path @index of the last row read, as a double.
 *
 * Returns: the number, or 0 with @error set
 *
 * Since: 1.0
 */
double
fraise_row_reader_get_double (FraiseRowReader *reader, guint index, GError **error)
{
  const FraiseJsonValue *value;
  GError *local = NULL;
  double result = 0;

  CHECK_INDEX (reader, index, 0);
  if ((value = value_at (reader, index, error)) == NULL)
    return 0;
  fraise_json_value_get_double (value, &result, &local);
  return convert_error (reader, index, local, error) ? result : 0;
}

/**
 * fraise_row_reader_get_boolean:
 * @reader: a reader
 * @index: a path's index
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (no
 *   value there, or not a boolean)
 *
 * The boolean at the path @index of the last row read.
 *
 * Returns: the boolean, or %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
fraise_row_reader_get_boolean (FraiseRowReader *reader, guint index, GError **error)
{
  const FraiseJsonValue *value;
  GError *local = NULL;
  gboolean result = FALSE;

  CHECK_INDEX (reader, index, FALSE);
  if ((value = value_at (reader, index, error)) == NULL)
    return FALSE;
  fraise_json_value_get_boolean (value, &result, &local);
  return convert_error (reader, index, local, error) ? result : FALSE;
}

/* JSON null: a maybe of a variant, holding nothing. */
static GVariant *
null_variant (void)
{
  return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
}

/**
 * fraise_row_reader_get_variant:
 * @reader: a reader
 * @index: a path's index
 * @error: return location for a %FRAISE_ERROR_DESERIALIZATION error (no
 *   value there) or a %FRAISE_ERROR_JSON error (a malformed value)
 *
 * The value at the path @index of the last row read, of its own JSON type,
 * as json_gvariant_deserialize() makes it: a string (`s`), an integer
 * within 64 bits (`x`), another number (`d`), a boolean (`b`), JSON null
 * (`mv`, holding nothing), an object (`a{sv}`) or an array (`av`). For
 * bindings: `reader.get_variant(0).unpack()` in Python,
 * `reader.get_variant(0).recursiveUnpack()` in GJS give the native value
 * (%None, `null` for JSON null).
 *
 * Returns: (transfer full): the value, or %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
fraise_row_reader_get_variant (FraiseRowReader *reader, guint index, GError **error)
{
  const FraiseJsonValue *found;
  GError *local = NULL;
  GVariant *result = NULL;

  CHECK_INDEX (reader, index, NULL);

  if ((found = value_at (reader, index, error)) == NULL)
    return NULL;
  switch (found->type)
    {
    case FRAISE_JSON_TYPE_STRING:
      {
        char *string = fraise_json_value_dup_string (found, &local);

        if (string != NULL)
          result = g_variant_new_take_string (string);
        break;
      }
    case FRAISE_JSON_TYPE_NUMBER:
      {
        gint64 n;
        double d;

        if (fraise_json_value_get_int (found, &n, NULL))
          result = g_variant_new_int64 (n);
        else if (fraise_json_value_get_double (found, &d, &local))
          result = g_variant_new_double (d);
        break;
      }
    case FRAISE_JSON_TYPE_BOOLEAN:
      {
        gboolean b = FALSE;

        fraise_json_value_get_boolean (found, &b, NULL);
        result = g_variant_new_boolean (b);
        break;
      }
    case FRAISE_JSON_TYPE_NULL:
      result = null_variant ();
      break;
    case FRAISE_JSON_TYPE_OBJECT:
    case FRAISE_JSON_TYPE_ARRAY:
    default:
      {
        g_autoptr (JsonNode) node = fraise_json_parse (found->start, found->len, 0, &local);

        if (node != NULL)
          result = json_gvariant_deserialize (node, NULL, &local);
        break;
      }
    }
  if (result == NULL)
    {
      convert_error (reader, index, local, error);
      return NULL;
    }
  return g_variant_ref_sink (result);
}
