/* fraise-query.c: a query builder for SELECT data FROM <source> ...
 *
 * Its settings; fraise-query-execute.c renders them as SQL and runs it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-private.h"
#include "fraise-client-private.h"
#include "fraise-query-private.h"
#include "fraise-plan-private.h"
#include "fraise-sql.h"
#include "fraise-expr-private.h"

/**
 * FraiseQuery:
 *
 * Builds and runs one query of the form
 *
 * ```sql
 * SELECT data FROM <source>
 *   [WHERE (<p1>) AND (<p2>) ...]
 *   [ORDER BY ...] [LIMIT n] [OFFSET m]
 * ```
 *
 * where `<source>` is a relation whose single column `data` is `json` or
 * `jsonb`. Predicates come from raw SQL ([method@Fraise.Query.add_where_sql])
 * or from safe conditions on JSON paths
 * ([method@Fraise.Query.add_condition]), whose values are always rendered as
 * escaped literals. [method@Fraise.Query.to_sql] shows the exact SQL.
 *
 * Get one from [method@Fraise.Client.query], then run it with
 * [method@Fraise.Query.execute_async] to get a [class@Fraise.Stream].
 *
 * Since: 1.0
 */

#define DEFAULT_CHUNK_SIZE 256
#define MAX_CHUNK_SIZE (1u << 20)
#define DEFAULT_MAX_MEMORY (8u * 1024 * 1024)
#define DEFAULT_MAX_ROW_SIZE (64u * 1024 * 1024)
#define MAX_ROW_SIZE_LIMIT (1u << 30)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_CLIENT,
  PROP_CHUNK_SIZE,
  PROP_ADAPTIVE_CHUNKING,
  PROP_MAX_MEMORY,
  PROP_MAX_ROW_SIZE,
  PROP_LIMIT,
  PROP_OFFSET,
  PROP_PROJECTION,
  PROP_ORDER_BY_SQL,
  PROP_TIMEOUT,
  PROP_ROW_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_STATIC_ASSERT (G_N_ELEMENTS (((FraiseQuery *) NULL)->invalid) == N_PROPS);

G_DEFINE_FINAL_TYPE (FraiseQuery, fraise_query, G_TYPE_OBJECT)

static void
fraise_query_finalize (GObject *object)
{
  FraiseQuery *self = FRAISE_QUERY (object);

  g_free (self->source);
  g_clear_object (&self->client);
  g_ptr_array_unref (self->where);
  g_ptr_array_unref (self->order_by);
  g_free (self->order_by_sql);
  g_free (self->projection);
  g_ptr_array_unref (self->local_names);
  g_ptr_array_unref (self->local_values);
  for (guint i = 0; i < G_N_ELEMENTS (self->invalid); i++)
    g_clear_error (&self->invalid[i]);
  g_clear_pointer (&self->filter, _fraise_filter_unref);
  g_clear_pointer (&self->expr_filter, _fraise_filter_unref);

  G_OBJECT_CLASS (fraise_query_parent_class)->finalize (object);
}

static void
fraise_query_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseQuery *self = FRAISE_QUERY (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint (value, self->settings.chunk_size);
      break;
    case PROP_ADAPTIVE_CHUNKING:
      g_value_set_boolean (value, self->settings.adaptive_chunking);
      break;
    case PROP_MAX_MEMORY:
      g_value_set_uint64 (value, self->settings.max_memory);
      break;
    case PROP_MAX_ROW_SIZE:
      g_value_set_uint64 (value, self->settings.max_row_size);
      break;
    case PROP_LIMIT:
      g_value_set_int64 (value, self->limit);
      break;
    case PROP_OFFSET:
      g_value_set_int64 (value, self->offset);
      break;
    case PROP_PROJECTION:
      g_value_set_string (value, self->projection);
      break;
    case PROP_ORDER_BY_SQL:
      g_value_set_string (value, self->order_by_sql);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->settings.timeout_ms);
      break;
    case PROP_ROW_TYPE:
      g_value_set_gtype (value, self->settings.row_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_query_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FraiseQuery *self = FRAISE_QUERY (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_free (self->source);
      self->source = g_value_dup_string (value);
      break;
    case PROP_CLIENT:
      fraise_query_set_client (self, g_value_get_object (value));
      break;
    case PROP_CHUNK_SIZE:
      fraise_query_set_chunk_size (self, g_value_get_uint (value));
      break;
    case PROP_ADAPTIVE_CHUNKING:
      fraise_query_set_adaptive_chunking (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_MEMORY:
      fraise_query_set_max_memory (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_ROW_SIZE:
      fraise_query_set_max_row_size (self, g_value_get_uint64 (value));
      break;
    case PROP_LIMIT:
      fraise_query_set_limit (self, g_value_get_int64 (value));
      break;
    case PROP_OFFSET:
      fraise_query_set_offset (self, g_value_get_int64 (value));
      break;
    case PROP_PROJECTION:
      fraise_query_set_projection (self, g_value_get_string (value));
      break;
    case PROP_ORDER_BY_SQL:
      fraise_query_set_order_by_sql (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      fraise_query_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_ROW_TYPE:
      fraise_query_set_row_type (self, g_value_get_gtype (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_query_class_init (FraiseQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  /* Queries may fail (and translate their messages) before any client exists. */
  _fraise_ensure_i18n ();

  object_class->finalize = fraise_query_finalize;
  object_class->get_property = fraise_query_get_property;
  object_class->set_property = fraise_query_set_property;

  /**
   * FraiseQuery:source:
   *
   * The relation to read: `[schema.]name` of letters, digits and `_`, or
   * double-quoted identifiers (`v_user`, `app."Order Lines"`).
   *
   * Since: 1.0
   */
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * FraiseQuery:client:
   *
   * The client the query runs on.
   *
   * Since: 1.0
   */
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, FRAISE_TYPE_CLIENT, rw);

  /**
   * FraiseQuery:chunk-size:
   *
   * Rows per batch (`rows` signal, next_batch), from 1 to 1048576; the
   * stream buffers at most twice this many rows before it stops reading.
   *
   * Since: 1.0
   */
  properties[PROP_CHUNK_SIZE] =
    g_param_spec_uint ("chunk-size", NULL, NULL, 1, MAX_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, rw);

  /**
   * FraiseQuery:adaptive-chunking:
   *
   * Let the batch size follow the consumer between 16 and 1024 rows: ×1.5
   * while it keeps up, ÷1.5 while the buffer stays above 80 %.
   *
   * Since: 1.0
   */
  properties[PROP_ADAPTIVE_CHUNKING] =
    g_param_spec_boolean ("adaptive-chunking", NULL, NULL, FALSE, rw);

  /**
   * FraiseQuery:max-memory:
   *
   * The byte bound of what the stream holds: the memory its buffered rows
   * really take (their allocation sizes) plus the connection's read buffer.
   * A row that would cross it waits, unread, until the consumer has taken
   * rows; reading stops meanwhile. A single row larger than this is refused
   * from its message header, before it is read into memory: the stream
   * delivers the rows before it, then fails with %FRAISE_ERROR_MEMORY_LIMIT,
   * and the connection is drained and stays usable. Rows are never dropped.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_MEMORY] =
    g_param_spec_uint64 ("max-memory", NULL, NULL, 1, G_MAXUINT64, DEFAULT_MAX_MEMORY, rw);

  /**
   * FraiseQuery:max-row-size:
   *
   * The largest row accepted, checked from the message header before any
   * allocation (%FRAISE_ERROR_RESOURCE_LIMIT beyond it). At most 1 GiB.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_ROW_SIZE] = g_param_spec_uint64 (
    "max-row-size", NULL, NULL, 1, MAX_ROW_SIZE_LIMIT, DEFAULT_MAX_ROW_SIZE, rw);

  /**
   * FraiseQuery:limit:
   *
   * `LIMIT`, or -1 for none.
   *
   * Since: 1.0
   */
  properties[PROP_LIMIT] = g_param_spec_int64 ("limit", NULL, NULL, -1, G_MAXINT64, -1, rw);

  /**
   * FraiseQuery:offset:
   *
   * `OFFSET`, or -1 for none.
   *
   * Since: 1.0
   */
  properties[PROP_OFFSET] = g_param_spec_int64 ("offset", NULL, NULL, -1, G_MAXINT64, -1, rw);

  /**
   * FraiseQuery:projection:
   *
   * An SQL expression yielding one json/jsonb value to select instead of
   * `data` (`jsonb_build_object('id', data->'id')`).
   *
   * Since: 1.0
   */
  properties[PROP_PROJECTION] = g_param_spec_string ("projection", NULL, NULL, NULL, rw);

  /**
   * FraiseQuery:order-by-sql:
   *
   * A raw `ORDER BY` clause body; replaces the items added with
   * [method@Fraise.Query.add_order_by].
   *
   * Since: 1.0
   */
  properties[PROP_ORDER_BY_SQL] = g_param_spec_string ("order-by-sql", NULL, NULL, NULL, rw);

  /**
   * FraiseQuery:timeout:
   *
   * A client-side deadline in milliseconds for the whole query (0: none).
   * When it passes, the query is cancelled on the server and the stream
   * fails with %FRAISE_ERROR_TIMEOUT once the connection is drained. When
   * the server can no longer be reached (a silent network), the drain gives
   * up after the cancel timeout (2 s), the error comes then and the client
   * is closed.
   *
   * Since: 1.0
   */
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0, rw);

  /**
   * FraiseQuery:row-type:
   *
   * A #GObject type for typed streaming (see [method@Fraise.Row.dup_object]),
   * or %G_TYPE_NONE.
   *
   * Since: 1.0
   */
  properties[PROP_ROW_TYPE] = g_param_spec_gtype ("row-type", NULL, NULL, G_TYPE_NONE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fraise_query_init (FraiseQuery *self)
{
  self->where = g_ptr_array_new_with_free_func (g_free);
  self->order_by = g_ptr_array_new_with_free_func (g_free);
  self->local_names = g_ptr_array_new_with_free_func (g_free);
  self->local_values = g_ptr_array_new_with_free_func (g_free);
  self->limit = -1;
  self->offset = -1;
  self->settings.chunk_size = DEFAULT_CHUNK_SIZE;
  self->settings.max_memory = DEFAULT_MAX_MEMORY;
  self->settings.max_row_size = DEFAULT_MAX_ROW_SIZE;
  self->settings.row_type = G_TYPE_NONE;
}

/* Records why @prop_id's new value was refused (it keeps its old value), or
 * with @error NULL, that its value is valid again. */
static void
set_invalid (FraiseQuery *self, guint prop_id, GError *error)
{
  g_clear_error (&self->invalid[prop_id]);
  self->invalid[prop_id] = error;
}

const GError *
_fraise_query_first_invalid (FraiseQuery *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->invalid); i++)
    if (self->invalid[i] != NULL)
      return self->invalid[i];
  return NULL;
}

/**
 * fraise_query_new:
 * @source: the relation to read (`v_user`, `app.tv_project`)
 *
 * Creates a query not yet tied to a client; set one with
 * [method@Fraise.Query.set_client] before executing. The source is
 * validated by [method@Fraise.Query.to_sql] and execution.
 *
 * Returns: (transfer full): a new query
 *
 * Since: 1.0
 */
FraiseQuery *
fraise_query_new (const char *source)
{
  g_return_val_if_fail (source != NULL, NULL);
  return g_object_new (FRAISE_TYPE_QUERY, "source", source, NULL);
}

/**
 * fraise_client_query:
 * @client: a client
 * @source: the relation to read (`v_user`, `app.tv_project`)
 *
 * Creates a query on @client.
 *
 * Returns: (transfer full): a new query
 *
 * Since: 1.0
 */
FraiseQuery *
fraise_client_query (FraiseClient *client, const char *source)
{
  g_return_val_if_fail (FRAISE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (source != NULL, NULL);
  return g_object_new (FRAISE_TYPE_QUERY, "source", source, "client", client, NULL);
}

/**
 * fraise_query_get_source:
 * @query: a query
 *
 * The relation the query reads.
 *
 * Returns: the source
 *
 * Since: 1.0
 */
const char *
fraise_query_get_source (FraiseQuery *query)
{
  g_return_val_if_fail (FRAISE_IS_QUERY (query), NULL);
  return query->source;
}

/**
 * fraise_query_get_client:
 * @query: a query
 *
 * The client the query runs on.
 *
 * Returns: (transfer none) (nullable): the client
 *
 * Since: 1.0
 */
FraiseClient *
fraise_query_get_client (FraiseQuery *query)
{
  g_return_val_if_fail (FRAISE_IS_QUERY (query), NULL);
  return query->client;
}

/**
 * fraise_query_set_client:
 * @query: a query
 * @client: (nullable): the client to run on
 *
 * Sets the client the query runs on.
 *
 * Since: 1.0
 */
void
fraise_query_set_client (FraiseQuery *query, FraiseClient *client)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));
  g_return_if_fail (client == NULL || FRAISE_IS_CLIENT (client));

  if (g_set_object (&query->client, client))
    g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_CLIENT]);
}

/**
 * fraise_query_add_where_sql:
 * @query: a query
 * @predicate: an SQL boolean expression over `data`
 *
 * Adds a raw SQL predicate. Several are ANDed, each wrapped in parentheses,
 * so `a OR b` stays one predicate. The text is sent as written: never
 * build it from untrusted input (use [method@Fraise.Query.add_condition]).
 *
 * Since: 1.0
 */
void
fraise_query_add_where_sql (FraiseQuery *query, const char *predicate)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));
  g_return_if_fail (predicate != NULL);

  g_ptr_array_add (query->where, g_strdup (predicate));
}

/**
 * fraise_query_add_condition:
 * @query: a query
 * @path: a JSON path of dot-separated keys (`status`, `address.city`; `""`
 *   is the document itself, for `has-key` only)
 * @op: the operator
 * @value: (nullable): the value: a string, number or boolean #GVariant, an
 *   array for `in`, `not-in`, `array-contains` and `array-overlaps`, %NULL
 *   for `is-null` and `is-not-null`; a floating reference is sunk
 * @error: return location for a %FRAISE_ERROR_CONFIG error
 *
 * Adds a safe predicate on the value at @path, with the semantics of the
 * filter language (docs/filter.md) and the same exact SQL its push-down
 * uses:
 *
 * - a missing key and JSON null are distinct: `is-null` matches a present
 *   JSON null only, `is-not-null` a present value that is not null, and
 *   `ne` and `not-in` a present value that differs (a missing key matches
 *   none of them);
 * - values of different JSON types never compare: the string `"5"` never
 *   equals the number 5, and a boolean matches JSON `true`/`false` only
 *   (not `"yes"`, `"on"` or 1); numbers compare as exact decimals (1.0
 *   equals 1), strings by code point (`COLLATE "C"`);
 * - every cast is guarded by `jsonb_typeof()` inside a `CASE`, so a row
 *   such as `{"age": "abc"}` is skipped by `age > 18`, never a cast error
 *   that aborts the stream; equality is a containment (`data @> '{"k":v}'`),
 *   which a `GIN (data jsonb_path_ops)` index can serve.
 *
 * The document is read as `data::jsonb`: a no-op on a jsonb column (indexes
 * on `data` still apply); a json column is converted, so a row holding a
 * `\u0000` escape makes the query fail with a server error.
 *
 * The path and the values are rendered as escaped literals. Values must be
 * valid UTF-8 without NUL and numbers finite; LIKE wildcards in
 * contains/starts-with/ends-with are matched literally; `lt`, `le`, `gt` and
 * `ge` take a string or a number. A value of the wrong type for @op, or a
 * comparison with no exact SQL form, is a %FRAISE_ERROR_CONFIG error.
 *
 * Returns: %TRUE if the condition was added
 *
 * Since: 1.0
 */
gboolean
fraise_query_add_condition (
  FraiseQuery *query, const char *path, FraiseOperator op, GVariant *value, GError **error)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  char *predicate;

  g_return_val_if_fail (FRAISE_IS_QUERY (query), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  predicate = fraise_sql_render_condition (path, op, owned, error);
  if (predicate == NULL)
    return FALSE;
  g_ptr_array_add (query->where, predicate);
  return TRUE;
}

/**
 * fraise_query_set_filter_func:
 * @query: a query
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): the
 *   predicate, or %NULL to remove it
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a client-side predicate called for each row before delivery; rows
 * it rejects are counted in `rows-filtered`. It runs after the server's
 * `LIMIT`/`OFFSET`, so a limited query may deliver fewer rows.
 *
 * The predicate is part of what each execution freezes: a stream keeps the
 * predicate it started with until it ends, and the next execution uses the
 * new one. @destroy runs once neither the query nor a running stream holds
 * the predicate any more.
 *
 * Since: 1.0
 */
void
fraise_query_set_filter_func (FraiseQuery *query,
                              FraiseRowFilterFunc func,
                              gpointer user_data,
                              GDestroyNotify destroy)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  /* A running stream keeps the filter it started with (its plan holds a
   * reference): @destroy of the old data runs once that stream is done. */
  g_clear_pointer (&query->filter, _fraise_filter_unref);
  if (func != NULL)
    query->filter = _fraise_filter_new (func, user_data, destroy);
  else if (destroy != NULL)
    destroy (user_data);
}

static gboolean
expr_filter_check (FraiseRow *row, gpointer data, GError **error)
{
  const char *text;
  gsize len;

  text = fraise_row_get_text (row, &len);
  return fraise_expr_evaluate (data, text, len, error) == FRAISE_TRUTH_TRUE;
}

/**
 * fraise_query_set_filter:
 * @query: a query
 * @expression: (nullable): a filter expression (docs/filter.md), or %NULL
 *   to remove the filter
 * @error: return location for an error
 *
 * Keeps only the rows for which @expression is true, in the filter language
 * of the pipeline's `filter` element: `status == "active" && age >= 18`,
 * `tags contains "beta"`, `exists address.city`, `name =~ "^Zo"`. A row for
 * which it is false or unknown (a comparison on a missing field) is dropped
 * and counted in `rows-filtered`, as with [method@Fraise.Query.set_filter_func].
 *
 * The expression is parsed now: when it is not valid this returns %FALSE
 * with a %FRAISE_PARSE_ERROR whose message gives the column and quotes the
 * expression with a caret under the place, and the query keeps the filter
 * it had. It is evaluated on the client, on each row, reading only the
 * fields it names (no JSON tree is built). A row that is not valid JSON
 * where the expression has to read fails the stream with %FRAISE_ERROR_JSON
 * naming the row's index, rather than being dropped in silence.
 *
 * The expression and a function set with
 * [method@Fraise.Query.set_filter_func] both apply: a row is delivered
 * only when the expression is true and then the function accepts it (the
 * function is not called for rows the expression drops). Like the
 * function, the expression is frozen by each execution: a running stream
 * keeps the one it started with.
 *
 * Returns: %TRUE when @expression was valid (or %NULL)
 *
 * Since: 1.0
 */
gboolean
fraise_query_set_filter (FraiseQuery *query, const char *expression, GError **error)
{
  FraiseExpr *expr = NULL;

  g_return_val_if_fail (FRAISE_IS_QUERY (query), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (expression != NULL && (expr = fraise_expr_parse (expression, error)) == NULL)
    return FALSE;
  g_clear_pointer (&query->expr_filter, _fraise_filter_unref);
  if (expr != NULL)
    query->expr_filter =
      _fraise_filter_new_check (expr_filter_check, expr, (GDestroyNotify) fraise_expr_unref);
  return TRUE;
}

/**
 * fraise_query_add_order_by:
 * @query: a query
 * @path: a JSON path (`name`, `address.city`); it orders by the text value
 *   (`->>`) so a collation applies
 * @collation: (nullable): a collation name such as `C` or `en_US`, validated
 *   and double-quoted
 * @direction: ascending or descending
 * @nulls: where NULLs go
 * @error: return location for a %FRAISE_ERROR_CONFIG error
 *
 * Appends an `ORDER BY` item.
 *
 * Returns: %TRUE if the item was added
 *
 * Since: 1.0
 */
gboolean
fraise_query_add_order_by (FraiseQuery *query,
                           const char *path,
                           const char *collation,
                           FraiseSortDirection direction,
                           FraiseNulls nulls,
                           GError **error)
{
  char *item;

  g_return_val_if_fail (FRAISE_IS_QUERY (query), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  item = fraise_sql_render_order_item (path, collation, direction, nulls, error);
  if (item == NULL)
    return FALSE;
  g_ptr_array_add (query->order_by, item);
  return TRUE;
}

/**
 * fraise_query_set_order_by_sql:
 * @query: a query
 * @order_by: (nullable): the body of an `ORDER BY` clause, sent as written
 *
 * Sets a raw `ORDER BY`, replacing items from
 * [method@Fraise.Query.add_order_by].
 *
 * Since: 1.0
 */
void
fraise_query_set_order_by_sql (FraiseQuery *query, const char *order_by)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (_fraise_set_str (&query->order_by_sql, order_by))
    g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_ORDER_BY_SQL]);
}

/**
 * fraise_query_set_limit:
 * @query: a query
 * @limit: the maximum number of rows, or -1 for no limit
 *
 * Sets `LIMIT`. A value below -1 is refused: the query keeps its old value, and
 * [method@Fraise.Query.to_sql] and execution fail with %FRAISE_ERROR_CONFIG
 * until a valid value is set.
 *
 * Since: 1.0
 */
void
fraise_query_set_limit (FraiseQuery *query, gint64 limit)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (limit < -1)
    {
      set_invalid (query, PROP_LIMIT,
                   g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                _("invalid limit %lld (expected -1 or more)"), (long long) limit));
      return;
    }
  set_invalid (query, PROP_LIMIT, NULL);
  if (query->limit != limit)
    {
      query->limit = limit;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_LIMIT]);
    }
}

/**
 * fraise_query_set_offset:
 * @query: a query
 * @offset: rows to skip, or -1 for none
 *
 * Sets `OFFSET`. A value below -1 is refused: the query keeps its old value, and
 * [method@Fraise.Query.to_sql] and execution fail with %FRAISE_ERROR_CONFIG
 * until a valid value is set.
 *
 * Since: 1.0
 */
void
fraise_query_set_offset (FraiseQuery *query, gint64 offset)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (offset < -1)
    {
      set_invalid (
        query, PROP_OFFSET,
        g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                     _("invalid offset %lld (expected -1 or more)"), (long long) offset));
      return;
    }
  set_invalid (query, PROP_OFFSET, NULL);
  if (query->offset != offset)
    {
      query->offset = offset;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_OFFSET]);
    }
}

/**
 * fraise_query_set_projection:
 * @query: a query
 * @expression: (nullable): an SQL expression yielding one json/jsonb value
 *
 * Selects @expression instead of `data`. The result column keeps the name
 * `data`. Conditions and ordering still apply to the source's `data`
 * column.
 *
 * Since: 1.0
 */
void
fraise_query_set_projection (FraiseQuery *query, const char *expression)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (_fraise_set_str (&query->projection, expression))
    g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_PROJECTION]);
}

/**
 * fraise_query_set_local:
 * @query: a query
 * @name: a server setting name (`statement_timeout`, `work_mem`)
 * @value: its value, sent as an escaped literal
 * @error: return location for a %FRAISE_ERROR_CONFIG error
 *
 * Sends `SET LOCAL name = 'value'` in the same Query message as the
 * SELECT: the setting lasts for this query only and never leaks to other
 * users of a pooled connection.
 *
 * Returns: %TRUE if the setting was accepted
 *
 * Since: 1.0
 */
gboolean
fraise_query_set_local (FraiseQuery *query, const char *name, const char *value, GError **error)
{
  g_autofree char *literal = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (FRAISE_IS_QUERY (query), FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  /* Setting names are case-insensitive (DateStyle is datestyle). */
  lower = g_ascii_strdown (name, -1);
  if (!fraise_sql_validate_setting_name (lower, error))
    return FALSE;
  literal = fraise_sql_quote_literal (value, -1, error);
  if (literal == NULL)
    return FALSE;
  g_ptr_array_add (query->local_names, g_steal_pointer (&lower));
  g_ptr_array_add (query->local_values, g_strdup (value));
  return TRUE;
}

/**
 * fraise_query_set_statement_timeout:
 * @query: a query
 * @milliseconds: the server-side statement timeout
 *
 * Sets `statement_timeout` for this query only (`SET LOCAL`); the server
 * then ends the query with SQLSTATE 57014 after that long.
 *
 * Since: 1.0
 */
void
fraise_query_set_statement_timeout (FraiseQuery *query, guint milliseconds)
{
  g_autofree char *value = g_strdup_printf ("%u", milliseconds);

  g_return_if_fail (FRAISE_IS_QUERY (query));
  fraise_query_set_local (query, "statement_timeout", value, NULL);
}

/**
 * fraise_query_set_timeout:
 * @query: a query
 * @milliseconds: the client deadline, 0 for none
 *
 * Sets the `timeout` property.
 *
 * Since: 1.0
 */
void
fraise_query_set_timeout (FraiseQuery *query, guint milliseconds)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (query->settings.timeout_ms != milliseconds)
    {
      query->settings.timeout_ms = milliseconds;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_TIMEOUT]);
    }
}

/**
 * fraise_query_set_chunk_size:
 * @query: a query
 * @chunk_size: rows per batch, 1 to 1048576
 *
 * Sets the `chunk-size` property. Another value is refused: the query keeps
 * its chunk size, and [method@Fraise.Query.to_sql] and execution fail with
 * %FRAISE_ERROR_CONFIG until a valid value is set.
 *
 * Since: 1.0
 */
void
fraise_query_set_chunk_size (FraiseQuery *query, guint chunk_size)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE)
    {
      set_invalid (query, PROP_CHUNK_SIZE,
                   g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                _("invalid chunk-size %u (expected 1 to %u rows)"), chunk_size,
                                   MAX_CHUNK_SIZE));
      return;
    }
  set_invalid (query, PROP_CHUNK_SIZE, NULL);
  if (query->settings.chunk_size != chunk_size)
    {
      query->settings.chunk_size = chunk_size;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_CHUNK_SIZE]);
    }
}

/**
 * fraise_query_get_chunk_size:
 * @query: a query
 *
 * The `chunk-size` property.
 *
 * Returns: rows per batch
 *
 * Since: 1.0
 */
guint
fraise_query_get_chunk_size (FraiseQuery *query)
{
  g_return_val_if_fail (FRAISE_IS_QUERY (query), 0);
  return query->settings.chunk_size;
}

/**
 * fraise_query_set_max_memory:
 * @query: a query
 * @max_memory: the stream buffer's byte bound, at least 1
 *
 * Sets the `max-memory` property. 0 is refused: the query keeps its old
 * value, and [method@Fraise.Query.to_sql] and execution fail with
 * %FRAISE_ERROR_CONFIG until a valid value is set.
 *
 * Since: 1.0
 */
void
fraise_query_set_max_memory (FraiseQuery *query, guint64 max_memory)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (max_memory == 0)
    {
      set_invalid (query, PROP_MAX_MEMORY,
                   g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                        _("max-memory must be at least 1 byte")));
      return;
    }
  set_invalid (query, PROP_MAX_MEMORY, NULL);
  if (query->settings.max_memory != max_memory)
    {
      query->settings.max_memory = max_memory;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_MAX_MEMORY]);
    }
}

/**
 * fraise_query_set_max_row_size:
 * @query: a query
 * @max_row_size: the largest row accepted, in bytes (at most 1 GiB)
 *
 * Sets the `max-row-size` property. Another value is refused: the query
 * keeps its old value, and [method@Fraise.Query.to_sql] and execution fail
 * with %FRAISE_ERROR_CONFIG until a valid value is set.
 *
 * Since: 1.0
 */
void
fraise_query_set_max_row_size (FraiseQuery *query, guint64 max_row_size)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  if (max_row_size == 0 || max_row_size > MAX_ROW_SIZE_LIMIT)
    {
      set_invalid (query, PROP_MAX_ROW_SIZE,
                   g_error_new (FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                                _("invalid max-row-size %llu (expected 1 to %u bytes)"),
                                   (unsigned long long) max_row_size, MAX_ROW_SIZE_LIMIT));
      return;
    }
  set_invalid (query, PROP_MAX_ROW_SIZE, NULL);
  if (query->settings.max_row_size != max_row_size)
    {
      query->settings.max_row_size = max_row_size;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_MAX_ROW_SIZE]);
    }
}

/**
 * fraise_query_set_adaptive_chunking:
 * @query: a query
 * @adaptive: whether the batch size adapts to the consumer
 *
 * Sets the `adaptive-chunking` property.
 *
 * Since: 1.0
 */
void
fraise_query_set_adaptive_chunking (FraiseQuery *query, gboolean adaptive)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));

  adaptive = !!adaptive;
  if (query->settings.adaptive_chunking != adaptive)
    {
      query->settings.adaptive_chunking = adaptive;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_ADAPTIVE_CHUNKING]);
    }
}

/**
 * fraise_query_set_row_type:
 * @query: a query
 * @row_type: a #GObject type, or %G_TYPE_NONE
 *
 * Typed streaming: each row of the stream is also available as an object
 * of @row_type through `fraise_row_dup_object (row, G_TYPE_NONE, &error)`
 * ([method@Fraise.Row.dup_object]). A row that does not fit gives
 * %FRAISE_ERROR_DESERIALIZATION for that row only; the stream goes on.
 *
 * Since: 1.0
 */
void
fraise_query_set_row_type (FraiseQuery *query, GType row_type)
{
  g_return_if_fail (FRAISE_IS_QUERY (query));
  g_return_if_fail (row_type == G_TYPE_NONE || G_TYPE_IS_OBJECT (row_type));

  if (query->settings.row_type != row_type)
    {
      query->settings.row_type = row_type;
      g_object_notify_by_pspec (G_OBJECT (query), properties[PROP_ROW_TYPE]);
    }
}
