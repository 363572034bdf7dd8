/* fraise-row-object.c: typed rows, objects built from a row's JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fraise_row_dup_object() follows json-glib's rules (json_gobject_deserialize:
 * each member sets the writable property found by its name, construct-only
 * ones at construction; GStrv from an array of strings; nested objects for
 * object properties; enums from numbers, names or nicks) but reads the row
 * with the scanner, one pass over its members, without building a JsonNode
 * tree. What it does not read itself goes the tree route, which is the
 * reference: a class implementing JsonSerializable, a boxed type with a
 * json-glib deserializer, flags given as strings, every member that does
 * not fit its property (the tree route's error names them), every value
 * json-glib would warn about and skip, and invalid JSON. The result is the
 * same object, or the same error, either way.
 *
 * A per-thread cache holds, per type, its class and the property each
 * member name found (or that there is none), so a stream of rows of one
 * type looks each name up once.
 */

#include "fraise-private.h"
#include "fraise-row-private.h"
#include "fraise-json-scan-private.h"

#include <json-glib/json-gobject.h>
#include <stdlib.h>

/* ---- the tree route -------------------------------------------------------------- */

static gboolean
node_fits_pspec (JsonNode *node, GParamSpec *pspec)
{
  GType type = G_TYPE_FUNDAMENTAL (pspec->value_type);
  GType node_type;

  if (JSON_NODE_HOLDS_NULL (node))
    return type == G_TYPE_STRING || type == G_TYPE_OBJECT || type == G_TYPE_BOXED ||
           type == G_TYPE_POINTER || type == G_TYPE_VARIANT;
  node_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (type)
    {
    case G_TYPE_STRING:
      return node_type == G_TYPE_STRING;
    case G_TYPE_BOOLEAN:
      return node_type == G_TYPE_BOOLEAN;
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
      return node_type == G_TYPE_INT64;
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
      return node_type == G_TYPE_INT64 || node_type == G_TYPE_DOUBLE;
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return node_type == G_TYPE_INT64 || node_type == G_TYPE_STRING;
    default:
      return TRUE; /* boxed, objects, variants: json-glib decides */
    }
}

static const char *
json_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  return g_type_name (json_node_get_value_type (node));
}

/* json-glib only warns on a mismatch; check each member first so the error
 * names the type and the field. */
static gboolean
check_members (FraiseRow *row, JsonObject *object, GObjectClass *klass, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      GParamSpec *pspec = g_object_class_find_property (klass, name);

      if (pspec == NULL || (pspec->flags & G_PARAM_WRITABLE) == 0)
        continue;
      if (!node_fits_pspec (member, pspec))
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
                       _("row %llu does not fit %s: field \"%s\" is %s, "
                         "property \"%s\" is %s"),
                          (unsigned long long) fraise_row_get_index (row),
                          G_OBJECT_CLASS_NAME (klass), name, json_kind (member), pspec->name,
                          g_type_name (pspec->value_type));
          return FALSE;
        }
    }
  return TRUE;
}

GObject *
_fraise_row_dup_object_tree (FraiseRow *row, GType object_type, GError **error)
{
  g_autoptr (GTypeClass) klass = NULL;
  JsonNode *node = fraise_row_get_node (row, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
                   _("row %llu is a JSON %s, not an object: cannot build "
                     "a %s"),
                      (unsigned long long) fraise_row_get_index (row), json_kind (node),
                      g_type_name (object_type));
      return NULL;
    }
  klass = g_type_class_ref (object_type);
  if (!check_members (row, json_node_get_object (node), G_OBJECT_CLASS (klass), error))
    return NULL;
  return json_gobject_deserialize (object_type, node);
}

/* ---- the per-thread cache of types ------------------------------------------------ */

/* Member names looked up per type, at most: beyond, lookups are not cached
 * (a row with thousands of distinct keys cannot grow the cache). */
#define MAX_CACHED_NAMES 256
/* Nesting of objects the scanner builds itself; deeper goes the tree route. */
#define MAX_BUILD_DEPTH 32

typedef struct {
  const char *name; /* the cache's key */
  gsize name_len;
  GParamSpec *pspec;    /* NULL: no writable property of that name */
  GType fundamental;    /* of the property's value type */
  gboolean tree_route;  /* json-glib must decide (custom boxed deserializer) */
  gpointer value_class; /* an enum class, held */
} Member;

typedef struct {
  GObjectClass *klass; /* held */
  gboolean tree_route; /* JsonSerializable, abstract */
  GHashTable *members; /* name -> Member */
  /* The members of the last object read, in order: rows of one type
   * mostly repeat it, and a key compared with its prediction needs no
   * hash lookup. */
  GPtrArray *order;
} TypeInfo;

static void
member_free (gpointer data)
{
  Member *m = data;

  if (m->value_class != NULL)
    g_type_class_unref (m->value_class);
  g_free (m);
}

static void
type_info_free (gpointer data)
{
  TypeInfo *info = data;

  g_ptr_array_unref (info->order);
  g_hash_table_unref (info->members);
  g_type_class_unref (info->klass);
  g_free (info);
}

static GPrivate type_cache_key = G_PRIVATE_INIT ((GDestroyNotify) g_hash_table_unref);

static TypeInfo *
type_info_get (GType type)
{
  GHashTable *cache = g_private_get (&type_cache_key);
  TypeInfo *info;

  if (G_UNLIKELY (cache == NULL))
    {
      cache = g_hash_table_new_full (NULL, NULL, NULL, type_info_free);
      g_private_set (&type_cache_key, cache);
    }
  info = g_hash_table_lookup (cache, GSIZE_TO_POINTER (type));
  if (info == NULL)
    {
      info = g_new0 (TypeInfo, 1);
      info->klass = g_type_class_ref (type);
      info->tree_route = g_type_is_a (type, JSON_TYPE_SERIALIZABLE) || G_TYPE_IS_ABSTRACT (type);
      info->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, member_free);
      info->order = g_ptr_array_new ();
      g_hash_table_insert (cache, GSIZE_TO_POINTER (type), info);
    }
  return info;
}

static gboolean
boxed_has_deserializer (GType type)
{
  static const JsonNodeType kinds[] = { JSON_NODE_OBJECT, JSON_NODE_ARRAY, JSON_NODE_VALUE,
                                        JSON_NODE_NULL };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (json_boxed_can_deserialize (type, kinds[i]))
      return TRUE;
  return FALSE;
}

static void
member_init (Member *m, GObjectClass *klass, const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (klass, name);

  memset (m, 0, sizeof *m);
  m->name = name;
  m->name_len = strlen (name);
  if (pspec == NULL || (pspec->flags & G_PARAM_WRITABLE) == 0)
    return;
  m->pspec = pspec;
  m->fundamental = G_TYPE_FUNDAMENTAL (pspec->value_type);
  if (m->fundamental == G_TYPE_BOXED)
    m->tree_route = boxed_has_deserializer (pspec->value_type);
  else if (m->fundamental == G_TYPE_ENUM)
    m->value_class = g_type_class_ref (pspec->value_type);
}

/* The member named @name (NUL-terminated) of @info's type; @scratch holds
 * it when the cache is full. */
static const Member *
type_info_member (TypeInfo *info, const char *name, Member *scratch)
{
  Member *m = g_hash_table_lookup (info->members, name);

  if (G_LIKELY (m != NULL))
    return m;
  if (g_hash_table_size (info->members) >= MAX_CACHED_NAMES)
    {
      member_init (scratch, info->klass, name);
      if (scratch->value_class != NULL)
        {
          /* The class stays alive: its type holds it, the pspec needs it. */
          g_type_class_unref (scratch->value_class);
          scratch->value_class = g_type_class_peek (scratch->pspec->value_type);
        }
      return scratch;
    }
  m = g_new (Member, 1);
  member_init (m, info->klass, name);
  m->name = g_strdup (name);
  g_hash_table_insert (info->members, (char *) m->name, m);
  return m;
}

/* The member at position @i of an object of @info's type whose key body is
 * (@key, @close): the prediction when the key matches it, else a lookup
 * (which becomes the prediction). */
static const Member *
type_info_member_at (TypeInfo *info,
                     guint i,
                     const guchar *key,
                     const guchar *close,
                     gboolean escaped,
                     Scratch *scratch,
                     Member *uncached)
{
  gsize len = (gsize) (close - key);
  const Member *m;

  if (!escaped && i < info->order->len)
    {
      m = g_ptr_array_index (info->order, i);
      if (m->name_len == len && memcmp (m->name, key, len) == 0)
        return m;
    }
  m = type_info_member (info, string_to_scratch (scratch, key, close, escaped), uncached);
  if (m != uncached)
    {
      if (i < info->order->len)
        g_ptr_array_index (info->order, i) = (gpointer) m;
      else if (i == info->order->len)
        g_ptr_array_add (info->order, (gpointer) m);
    }
  return m;
}

/* ---- building from the scanner ---------------------------------------------------- */

/* An outcome the scanner leaves to the tree route. */
#define TREE_ROUTE NULL

typedef struct {
  Ctx cx;
  Scratch key;
  Scratch str;
} Builder;

typedef struct {
  GParamSpec *pspec;
  GValue value;
} Pending;

/* The values read for an object's properties, on the stack up to 24. */
typedef struct {
  Pending *items;
  guint len;
  guint size;
  Pending inline_items[24];
} PendingSet;

static void
pending_init (PendingSet *set)
{
  set->items = set->inline_items;
  set->len = 0;
  set->size = G_N_ELEMENTS (set->inline_items);
}

static Pending *
pending_add (PendingSet *set)
{
  if (G_UNLIKELY (set->len == set->size))
    {
      set->size *= 2;
      if (set->items == set->inline_items)
        set->items = g_memdup2 (set->inline_items, sizeof set->inline_items);
      set->items = g_renew (Pending, set->items, set->size);
    }
  return &set->items[set->len++];
}

static void
pending_clear (PendingSet *set)
{
  for (guint i = 0; i < set->len; i++)
    g_value_unset (&set->items[i].value);
  if (set->items != set->inline_items)
    g_free (set->items);
  pending_init (set);
}

static GObject *build_object (Builder *b, GType type, const guchar **pp, guint depth);

/* Skips the value at @p (p < end) inside @depth containers, as strictly as
 * the tree parser reads it; NULL when it would refuse it. */
static const guchar *
skip_strictly (Builder *b, const guchar *p, guint depth)
{
  gboolean escaped;
  const guchar *e;
  NumberScan ns;

  switch (*p)
    {
    case '"':
      e = scan_string (&b->cx, p + 1, &escaped);
      return e != NULL ? e + 1 : NULL;
    case '{':
    case '[':
      if ((e = skip_container (&b->cx, p, depth)) == NULL ||
          !fraise_json_check ((const char *) p, (gsize) (e - p),
                              FRAISE_ROW_DEFAULT_MAX_DEPTH - depth, NULL))
        return NULL;
      return e;
    case 't':
      return scan_literal (&b->cx, p, "true", 4);
    case 'f':
      return scan_literal (&b->cx, p, "false", 5);
    case 'n':
      return scan_literal (&b->cx, p, "null", 4);
    default:
      return scan_number (&b->cx, p, &ns) ? ns.end : NULL;
    }
}

/* json-glib's enum_from_string: a number first (strtoul, base 0), then a
 * value name, then a nick. */
static gboolean
enum_from_string (GEnumClass *klass, const char *string, gint *out)
{
  char *endptr;
  gulong number = strtoul (string, &endptr, 0);
  GEnumValue *ev;

  if (endptr != string)
    {
      *out = (gint) number;
      return TRUE;
    }
  if ((ev = g_enum_get_value_by_name (klass, string)) == NULL &&
      (ev = g_enum_get_value_by_nick (klass, string)) == NULL)
    return FALSE;
  *out = ev->value;
  return TRUE;
}

static gboolean
set_from_int (GValue *value, GType fundamental, gint64 n)
{
  switch (fundamental)
    {
    case G_TYPE_INT64:
      g_value_set_int64 (value, n);
      return TRUE;
    case G_TYPE_INT:
      g_value_set_int (value, (gint) n);
      return TRUE;
    case G_TYPE_CHAR:
      g_value_set_schar (value, (gint8) n);
      return TRUE;
    case G_TYPE_UINT:
      g_value_set_uint (value, (guint) n);
      return TRUE;
    case G_TYPE_UCHAR:
      g_value_set_uchar (value, (guchar) n);
      return TRUE;
    case G_TYPE_LONG:
      g_value_set_long (value, (glong) n);
      return TRUE;
    case G_TYPE_ULONG:
      g_value_set_ulong (value, (gulong) n);
      return TRUE;
    case G_TYPE_UINT64:
      g_value_set_uint64 (value, (guint64) n);
      return TRUE;
    case G_TYPE_DOUBLE:
      g_value_set_double (value, (gdouble) n);
      return TRUE;
    case G_TYPE_FLOAT:
      g_value_set_float (value, (gfloat) n);
      return TRUE;
    case G_TYPE_ENUM:
      g_value_set_enum (value, (gint) n);
      return TRUE;
    case G_TYPE_FLAGS:
      g_value_set_flags (value, (guint) (gint) n);
      return TRUE;
    default:
      return FALSE;
    }
}

/* A GStrv of the array's strings (json-glib skips its other elements). */
static gboolean
set_strv (Builder *b, GValue *value, const guchar **pp, guint depth)
{
  const guchar *end = b->cx.end;
  const guchar *p = skip_ws (*pp + 1, end);
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  while (p < end && *p != ']')
    {
      if (*p == '"')
        {
          gboolean escaped = FALSE;
          const guchar *close = scan_string (&b->cx, p + 1, &escaped);

          if (close == NULL)
            break;
          g_ptr_array_add (strings, g_strdup (string_to_scratch (&b->str, p + 1, close, escaped)));
          p = close + 1;
        }
      else if ((p = skip_strictly (b, p, depth)) == NULL)
        break;
      p = skip_ws (p, end);
      if (p < end && *p == ',')
        {
          p = skip_ws (p + 1, end);
          if (p < end && *p == ']')
            p = NULL; /* a trailing comma */
        }
      else if (p < end && *p != ']')
        p = NULL;
      if (p == NULL)
        break;
    }
  if (p == NULL || p >= end)
    {
      g_ptr_array_free (strings, TRUE);
      return FALSE;
    }
  g_ptr_array_add (strings, NULL);
  g_value_take_boxed (value, g_ptr_array_free (strings, FALSE));
  *pp = p + 1;
  return TRUE;
}

/* Reads the value at @*pp into @value (initialised to the property's type)
 * as json_deserialize_pspec() would, or returns FALSE for the tree route. */
static gboolean
read_value (Builder *b, const Member *m, GValue *value, const guchar **pp, guint depth)
{
  const guchar *p = *pp;
  gboolean escaped = FALSE;
  const guchar *close;
  NumberScan ns;
  GObject *object;
  gint enum_value;

  if (m->tree_route)
    return FALSE;
  switch (*p)
    {
    case '"':
      if (m->fundamental != G_TYPE_STRING && m->fundamental != G_TYPE_ENUM)
        return FALSE;
      if ((close = scan_string (&b->cx, p + 1, &escaped)) == NULL)
        return FALSE;
      if (m->fundamental == G_TYPE_STRING)
        {
          if (escaped)
            g_value_set_string (value, string_to_scratch (&b->str, p + 1, close, TRUE));
          else
            g_value_take_string (value, g_strndup ((const char *) p + 1, (gsize) (close - p - 1)));
        }
      else if (enum_from_string (m->value_class, string_to_scratch (&b->str, p + 1, close, escaped),
                                 &enum_value))
        g_value_set_enum (value, enum_value);
      else
        return FALSE;
      *pp = close + 1;
      return TRUE;
    case 't':
    case 'f':
      if (m->fundamental != G_TYPE_BOOLEAN ||
          (*pp = *p == 't' ? scan_literal (&b->cx, p, "true", 4)
                           : scan_literal (&b->cx, p, "false", 5)) == NULL)
        return FALSE;
      g_value_set_boolean (value, *p == 't');
      return TRUE;
    case 'n':
      if (m->fundamental != G_TYPE_STRING && m->fundamental != G_TYPE_OBJECT)
        return FALSE;
      /* the value stays NULL */
      return (*pp = scan_literal (&b->cx, p, "null", 4)) != NULL;
    case '{':
      if (m->fundamental != G_TYPE_OBJECT || depth >= MAX_BUILD_DEPTH)
        return FALSE;
      if ((object = build_object (b, m->pspec->value_type, pp, depth + 1)) == TREE_ROUTE)
        return FALSE;
      g_value_take_object (value, object);
      return TRUE;
    case '[':
      if (m->fundamental != G_TYPE_BOXED || !g_type_is_a (m->pspec->value_type, G_TYPE_STRV))
        return FALSE;
      return set_strv (b, value, pp, depth + 1);
    default:
      if (!scan_number (&b->cx, p, &ns))
        return FALSE;
      if (ns.is_int)
        {
          if (!set_from_int (value, m->fundamental, ns.value))
            return FALSE;
        }
      else if (m->fundamental == G_TYPE_DOUBLE)
        g_value_set_double (value, span_to_double (p, (gsize) (ns.end - p)));
      else if (m->fundamental == G_TYPE_FLOAT)
        g_value_set_float (value, (gfloat) span_to_double (p, (gsize) (ns.end - p)));
      else
        return FALSE;
      *pp = ns.end;
      return TRUE;
    }
}

/* Reads the members of the object at @*pp (inside @depth containers) into
 * @pending, the last value of a repeated member in the place of its first;
 * FALSE for the tree route. */
static gboolean
read_members (Builder *b, TypeInfo *info, PendingSet *pending, const guchar **pp, guint depth)
{
  guint index = 0;
  const guchar *end = b->cx.end;
  const guchar *p = skip_ws (*pp + 1, end);

  if (p < end && *p == '}')
    {
      *pp = p + 1;
      return TRUE;
    }
  for (;;)
    {
      gboolean escaped = FALSE;
      const guchar *close;
      const Member *m;
      Member uncached;
      guint i;

      if (p >= end || *p != '"' || (close = scan_string (&b->cx, p + 1, &escaped)) == NULL)
        return FALSE;
      m = type_info_member_at (info, index++, p + 1, close, escaped, &b->key, &uncached);
      p = skip_ws (close + 1, end);
      if (p >= end || *p != ':')
        return FALSE;
      p = skip_ws (p + 1, end);
      if (p >= end)
        return FALSE;
      if (m->pspec == NULL)
        {
          if ((p = skip_strictly (b, p, depth)) == NULL)
            return FALSE;
        }
      else
        {
          Pending next = { m->pspec, G_VALUE_INIT };

          g_value_init (&next.value, m->pspec->value_type);
          if (!read_value (b, m, &next.value, &p, depth))
            {
              g_value_unset (&next.value);
              return FALSE;
            }
          for (i = 0; i < pending->len; i++)
            if (pending->items[i].pspec == m->pspec)
              break;
          if (i < pending->len)
            {
              g_value_unset (&pending->items[i].value);
              pending->items[i] = next;
            }
          else
            *pending_add (pending) = next;
        }
      p = skip_ws (p, end);
      if (p < end && *p == ',')
        {
          p = skip_ws (p + 1, end);
          continue;
        }
      if (p < end && *p == '}')
        break;
      return FALSE;
    }
  *pp = p + 1;
  return TRUE;
}

/* The object of @type the object at @*pp describes, constructed with all
 * its properties at once (construct-only ones at construction, the others
 * right after, notifications held, as json-glib sets them); TREE_ROUTE
 * when the scanner does not read it itself. */
static GObject *
build_object (Builder *b, GType type, const guchar **pp, guint depth)
{
  TypeInfo *info = type_info_get (type);
  GObject *object = TREE_ROUTE;
  PendingSet pending;

  if (info->tree_route)
    return TREE_ROUTE;
  pending_init (&pending);
  if (read_members (b, info, &pending, pp, depth))
    {
      const char *names_inline[G_N_ELEMENTS (pending.inline_items)];
      GValue values_inline[G_N_ELEMENTS (pending.inline_items)];
      gboolean on_stack = pending.len <= G_N_ELEMENTS (names_inline);
      const char **names = on_stack ? names_inline : g_new (const char *, pending.len);
      GValue *values = on_stack ? values_inline : g_new (GValue, pending.len);

      for (guint i = 0; i < pending.len; i++)
        {
          names[i] = pending.items[i].pspec->name;
          values[i] = pending.items[i].value; /* borrowed: the set still owns it */
        }
      object = g_object_new_with_properties (type, pending.len, names, values);
      if (!on_stack)
        {
          g_free (names);
          g_free (values);
        }
    }
  pending_clear (&pending);
  return object;
}

/* The object fraise_row_dup_object() gets from the scanner, or NULL when the
 * row goes the tree route (for tests: which route a row takes). */
GObject *
_fraise_row_dup_object_scan (FraiseRow *row, GType object_type)
{
  gsize len;
  const char *text = fraise_row_get_text (row, &len);
  const guchar *p, *end;
  GObject *object;
  Builder b;

  /* The scanner reads as strictly as the tree parser: what it would
   * refuse goes the tree route, for its error. */
  ctx_init (&b.cx, text, len, FRAISE_ROW_DEFAULT_MAX_DEPTH, NULL);
  p = skip_ws (b.cx.start, b.cx.end);
  end = b.cx.end;
  if (p >= end || *p != '{')
    return NULL;
  scratch_init (&b.key);
  scratch_init (&b.str);
  object = build_object (&b, object_type, &p, 1);
  scratch_clear (&b.key);
  scratch_clear (&b.str);
  if (object != NULL && skip_ws (p, end) != end)
    g_clear_object (&object); /* text after the object */
  return object;
}

/**
 * fraise_row_dup_object:
 * @row: a row
 * @object_type: a #GObject type whose properties match the row's fields, or
 *   %G_TYPE_NONE for the query's row type (see [method@Fraise.Query.set_row_type])
 * @error: return location for an error
 *
 * Builds a new object of @object_type from the row as
 * json_gobject_deserialize() would: each member sets the writable property
 * of the same name (construct-only ones at construction), unknown members
 * are ignored, an object member builds the object of an object property,
 * an array of strings fills a `GStrv`, an enum takes a number, a name or a
 * nick. The row is read with the scanner, without a #JsonNode tree; a type
 * implementing #JsonSerializable (and every case json-glib decides alone)
 * goes through the tree and json-glib. A member whose JSON type does not
 * fit its property gives %FRAISE_ERROR_DESERIALIZATION naming the type and
 * the field.
 *
 * Returns: (transfer full): the new object, or %NULL with @error set
 *
 * Since: 1.0
 */
GObject *
fraise_row_dup_object (FraiseRow *row, GType object_type, GError **error)
{
  GObject *object;

  g_return_val_if_fail (row != NULL, NULL);
  g_return_val_if_fail (object_type == G_TYPE_NONE || G_TYPE_IS_OBJECT (object_type), NULL);

  if (object_type == G_TYPE_NONE)
    object_type = fraise_row_get_object_type (row);
  if (object_type == G_TYPE_NONE)
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("no object type: pass one, or set the query's row type"));
      return NULL;
    }
  if ((object = _fraise_row_dup_object_scan (row, object_type)) != NULL)
    return object;
  return _fraise_row_dup_object_tree (row, object_type, error);
}
