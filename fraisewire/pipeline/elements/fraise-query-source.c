/* fraise-query-source.c: the `query` element, the source of every pipeline
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Its properties are those of FraiseQuery; at the start of a run the
 * pipeline asks it for the query they describe and runs that on the
 * client. Raw SQL (where-sql, order-by-sql, projection) is flagged
 * sensitive: an untrusted description cannot set it.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-query-source-private.h"

#include <string.h>

#define DEFAULT_CHUNK_SIZE 256
#define MAX_CHUNK_SIZE (1u << 20)
#define DEFAULT_MAX_MEMORY (8u * 1024 * 1024)
#define DEFAULT_MAX_ROW_SIZE (64u * 1024 * 1024)
#define MAX_ROW_SIZE_LIMIT (1u << 30)

struct _FraiseQuerySource {
  FraiseElement parent_instance;

  char *source;
  char *where_sql;
  char *order_by;
  char *order_by_sql;
  char *projection;
  gint64 limit;
  gint64 offset;
  guint chunk_size;
  gboolean adaptive_chunking;
  guint64 max_memory;
  guint64 max_row_size;
  guint timeout;
  guint statement_timeout;
};

G_DEFINE_FINAL_TYPE (FraiseQuerySource, fraise_query_source, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_WHERE_SQL,
  PROP_ORDER_BY,
  PROP_ORDER_BY_SQL,
  PROP_PROJECTION,
  PROP_LIMIT,
  PROP_OFFSET,
  PROP_CHUNK_SIZE,
  PROP_ADAPTIVE_CHUNKING,
  PROP_MAX_MEMORY,
  PROP_MAX_ROW_SIZE,
  PROP_TIMEOUT,
  PROP_STATEMENT_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One `order-by` item: "path", "path desc", "path asc nulls-first". */
static gboolean
parse_order_item (
  const char *item, char **path, FraiseSortDirection *direction, FraiseNulls *nulls, GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (item, " \t", -1);
  guint n = 0;

  *direction = FRAISE_SORT_ASC;
  *nulls = FRAISE_NULLS_DEFAULT;
  *path = NULL;
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (*word == '\0')
        continue;
      if (n++ == 0)
        *path = g_strdup (word);
      else if (g_ascii_strcasecmp (word, "asc") == 0)
        *direction = FRAISE_SORT_ASC;
      else if (g_ascii_strcasecmp (word, "desc") == 0)
        *direction = FRAISE_SORT_DESC;
      else if (g_ascii_strcasecmp (word, "nulls-first") == 0)
        *nulls = FRAISE_NULLS_FIRST;
      else if (g_ascii_strcasecmp (word, "nulls-last") == 0)
        *nulls = FRAISE_NULLS_LAST;
      else
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("order-by item \"%s\": expected a path then asc, desc, nulls-first or "
                         "nulls-last, got \"%s\""),
                          item, word);
          g_clear_pointer (path, g_free);
          return FALSE;
        }
    }
  if (*path == NULL)
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("order-by has an empty item"));
      return FALSE;
    }
  return TRUE;
}

/* Applies `order-by` to @query (or only checks it when @query is NULL). */
static gboolean
apply_order_by (const char *order_by, FraiseQuery *query, GError **error)
{
  g_auto (GStrv) items = g_strsplit (order_by, ",", -1);
  g_autoptr (FraiseQuery) scratch = query == NULL ? fraise_query_new ("x") : NULL;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      FraiseSortDirection direction;
      FraiseNulls nulls;

      if (!parse_order_item (items[i], &path, &direction, &nulls, error))
        return FALSE;
      if (!fraise_query_add_order_by (query != NULL ? query : scratch, path, NULL, direction, nulls,
                                      error))
        return FALSE;
    }
  return TRUE;
}

static void
set_order_by (FraiseQuerySource *self, const char *order_by)
{
  GError *error = NULL;

  if (!_fraise_set_str (&self->order_by, order_by))
    return;
  if (order_by != NULL && *order_by != '\0' && !apply_order_by (order_by, NULL, &error))
    _fraise_element_set_property_error (FRAISE_ELEMENT (self), "order-by", error);
  else
    _fraise_element_set_property_error (FRAISE_ELEMENT (self), "order-by", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER_BY]);
}

static void
fraise_query_source_finalize (GObject *object)
{
  FraiseQuerySource *self = FRAISE_QUERY_SOURCE (object);

  g_free (self->source);
  g_free (self->where_sql);
  g_free (self->order_by);
  g_free (self->order_by_sql);
  g_free (self->projection);

  G_OBJECT_CLASS (fraise_query_source_parent_class)->finalize (object);
}

static void
fraise_query_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseQuerySource *self = FRAISE_QUERY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_WHERE_SQL:
      g_value_set_string (value, self->where_sql);
      break;
    case PROP_ORDER_BY:
      g_value_set_string (value, self->order_by);
      break;
    case PROP_ORDER_BY_SQL:
      g_value_set_string (value, self->order_by_sql);
      break;
    case PROP_PROJECTION:
      g_value_set_string (value, self->projection);
      break;
    case PROP_LIMIT:
      g_value_set_int64 (value, self->limit);
      break;
    case PROP_OFFSET:
      g_value_set_int64 (value, self->offset);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint (value, self->chunk_size);
      break;
    case PROP_ADAPTIVE_CHUNKING:
      g_value_set_boolean (value, self->adaptive_chunking);
      break;
    case PROP_MAX_MEMORY:
      g_value_set_uint64 (value, self->max_memory);
      break;
    case PROP_MAX_ROW_SIZE:
      g_value_set_uint64 (value, self->max_row_size);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_STATEMENT_TIMEOUT:
      g_value_set_uint (value, self->statement_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (FraiseQuerySource *self, char **field, const GValue *value, guint prop)
{
  if (_fraise_set_str (field, g_value_get_string (value)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define SET_SCALAR(field, getter, prop)                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (self->field != getter (value))                                                             \
      {                                                                                            \
        self->field = getter (value);                                                              \
        g_object_notify_by_pspec (object, properties[prop]);                                       \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

static void
fraise_query_source_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  FraiseQuerySource *self = FRAISE_QUERY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      set_string (self, &self->source, value, prop_id);
      break;
    case PROP_WHERE_SQL:
      set_string (self, &self->where_sql, value, prop_id);
      break;
    case PROP_ORDER_BY:
      set_order_by (self, g_value_get_string (value));
      break;
    case PROP_ORDER_BY_SQL:
      set_string (self, &self->order_by_sql, value, prop_id);
      break;
    case PROP_PROJECTION:
      set_string (self, &self->projection, value, prop_id);
      break;
    case PROP_LIMIT:
      SET_SCALAR (limit, g_value_get_int64, prop_id);
      break;
    case PROP_OFFSET:
      SET_SCALAR (offset, g_value_get_int64, prop_id);
      break;
    case PROP_CHUNK_SIZE:
      SET_SCALAR (chunk_size, g_value_get_uint, prop_id);
      break;
    case PROP_ADAPTIVE_CHUNKING:
      SET_SCALAR (adaptive_chunking, g_value_get_boolean, prop_id);
      break;
    case PROP_MAX_MEMORY:
      SET_SCALAR (max_memory, g_value_get_uint64, prop_id);
      break;
    case PROP_MAX_ROW_SIZE:
      SET_SCALAR (max_row_size, g_value_get_uint64, prop_id);
      break;
    case PROP_TIMEOUT:
      SET_SCALAR (timeout, g_value_get_uint, prop_id);
      break;
    case PROP_STATEMENT_TIMEOUT:
      SET_SCALAR (statement_timeout, g_value_get_uint, prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_query_source_start (FraiseElement *element, GError **error)
{
  FraiseQuerySource *self = FRAISE_QUERY_SOURCE (element);

  if (self->source == NULL || *self->source == '\0')
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("no source relation: set source=NAME (a view or table whose column "
                             "data is json or jsonb)"));
      return FALSE;
    }
  return TRUE;
}

static FraiseFlow
fraise_query_source_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("a query source takes no rows: it can only be the first element"));
  return FRAISE_FLOW_ERROR;
}

static void
fraise_query_source_class_init (FraiseQuerySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = fraise_query_source_finalize;
  object_class->get_property = fraise_query_source_get_property;
  object_class->set_property = fraise_query_source_set_property;
  element_class->start = fraise_query_source_start;
  element_class->process = fraise_query_source_process;

  properties[PROP_SOURCE] =
    g_param_spec_string ("source", "Source", "The relation to read: [schema.]name", NULL, rw);
  properties[PROP_WHERE_SQL] =
    g_param_spec_string ("where-sql", "Where SQL", "A raw SQL predicate, ANDed with the others",
                         NULL, rw | FRAISE_PARAM_SENSITIVE);
  properties[PROP_ORDER_BY] = g_param_spec_string (
    "order-by", "Order by",
    "Comma-separated JSON paths, each optionally followed by asc or desc and nulls-first or "
    "nulls-last",
    NULL, rw);
  properties[PROP_ORDER_BY_SQL] = g_param_spec_string (
    "order-by-sql", "Order by SQL", "A raw SQL ORDER BY list", NULL, rw | FRAISE_PARAM_SENSITIVE);
  properties[PROP_PROJECTION] =
    g_param_spec_string ("projection", "Projection",
                         "A raw SQL expression yielding one json/jsonb column instead of data",
                         NULL, rw | FRAISE_PARAM_SENSITIVE);
  properties[PROP_LIMIT] = g_param_spec_int64 ("limit", "Limit", "LIMIT of the query, -1 for none",
                                               -1, G_MAXINT64, -1, rw);
  properties[PROP_OFFSET] = g_param_spec_int64 (
    "offset", "Offset", "OFFSET of the query, -1 for none", -1, G_MAXINT64, -1, rw);
  properties[PROP_CHUNK_SIZE] = g_param_spec_uint ("chunk-size", "Chunk size", "Rows per batch", 1,
                                                   MAX_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, rw);
  properties[PROP_ADAPTIVE_CHUNKING] =
    g_param_spec_boolean ("adaptive-chunking", "Adaptive chunking",
                          "Grow and shrink the batch size with the consumer", FALSE, rw);
  properties[PROP_MAX_MEMORY] =
    g_param_spec_uint64 ("max-memory", "Maximum memory", "Bytes of row data the stream buffers", 1,
                         G_MAXUINT64, DEFAULT_MAX_MEMORY, rw);
  properties[PROP_MAX_ROW_SIZE] =
    g_param_spec_uint64 ("max-row-size", "Maximum row size", "The largest row accepted, in bytes",
                         1, MAX_ROW_SIZE_LIMIT, DEFAULT_MAX_ROW_SIZE, rw);
  properties[PROP_TIMEOUT] = g_param_spec_uint (
    "timeout", "Timeout", "Client deadline of the query in milliseconds, 0 for none", 0, G_MAXUINT,
    0, rw);
  properties[PROP_STATEMENT_TIMEOUT] = g_param_spec_uint (
    "statement-timeout", "Statement timeout",
    "The server's statement_timeout for the query in milliseconds, 0 to leave it", 0, G_MAXUINT, 0,
    rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "PostgreSQL query source", "Source",
                                     "Streams the data column of a relation (SELECT data FROM …)");
}

static void
fraise_query_source_init (FraiseQuerySource *self)
{
  self->limit = -1;
  self->offset = -1;
  self->chunk_size = DEFAULT_CHUNK_SIZE;
  self->max_memory = DEFAULT_MAX_MEMORY;
  self->max_row_size = DEFAULT_MAX_ROW_SIZE;
}

FraiseQuery *
_fraise_query_source_build (FraiseQuerySource *self, FraiseClient *client, GError **error)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (client, self->source);

  if (self->where_sql != NULL && *self->where_sql != '\0')
    fraise_query_add_where_sql (query, self->where_sql);
  if (self->order_by != NULL && *self->order_by != '\0' &&
      !apply_order_by (self->order_by, query, error))
    return NULL;
  if (self->order_by_sql != NULL && *self->order_by_sql != '\0')
    fraise_query_set_order_by_sql (query, self->order_by_sql);
  if (self->projection != NULL && *self->projection != '\0')
    fraise_query_set_projection (query, self->projection);
  fraise_query_set_limit (query, self->limit);
  fraise_query_set_offset (query, self->offset);
  fraise_query_set_chunk_size (query, self->chunk_size);
  fraise_query_set_adaptive_chunking (query, self->adaptive_chunking);
  fraise_query_set_max_memory (query, self->max_memory);
  fraise_query_set_max_row_size (query, self->max_row_size);
  fraise_query_set_timeout (query, self->timeout);
  if (self->statement_timeout > 0)
    fraise_query_set_statement_timeout (query, self->statement_timeout);
  return g_steal_pointer (&query);
}
