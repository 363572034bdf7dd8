/* fraise-project-element.c: `project`, which keeps some fields of each row
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The output text is written directly, never through a JsonNode tree: the
 * fields are found with the path scanner (fraise_json_lookup_paths(), one
 * pass over the row for all of them), which skims what it skips, and each
 * value's text span is copied as it is. Spans the scanner only skimmed
 * (strings and containers) are checked strictly on the way
 * (fraise_json_value_check()), so the rows made here are valid JSON.
 *
 * The fields are parsed once, when the property is set: each gets its
 * parsed path and its output key already written as JSON (`,"city":`), so
 * a row costs one pass over its text, the copies into one reused buffer,
 * and the row itself.
 */

#include "fraise-private.h"
#include "fraise-pipeline-private.h"
#include "fraise-elements-private.h"
#include "fraise-json-private.h"
#include "fraise-row-private.h"
#include "fraise-sql.h"

#include <string.h>

/* A buffer grown by a huge row is not kept beyond this. */
#define PROJECT_MAX_KEPT_BUFFER (256 * 1024)

#define FRAISE_TYPE_PROJECT_ELEMENT (fraise_project_element_get_type ())
G_DECLARE_FINAL_TYPE (
  FraiseProjectElement, fraise_project_element, FRAISE, PROJECT_ELEMENT, FraiseElement)

typedef struct {
  char *member; /* `,"key":` */
  gsize member_len;
} Field;

struct _FraiseProjectElement {
  FraiseElement parent_instance;

  char **fields_prop;
  char **rename_prop;
  GArray *fields;          /* of Field; empty while the properties are invalid */
  GPtrArray *paths;        /* of FraiseJsonPath, one per field */
  FraiseJsonValue *values; /* one per field: what a row's lookup found */
  gboolean *found;
  GString *out;
};

G_DEFINE_FINAL_TYPE (FraiseProjectElement, fraise_project_element, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_FIELDS,
  PROP_RENAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->member);
}

/* `,"key":` with the key escaped as a JSON string. */
static char *
render_member (const char *key, gsize *len)
{
  GString *out = g_string_new (",\"");

  for (const guchar *p = (const guchar *) key; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, "\":");
  *len = out->len;
  return g_string_free (out, FALSE);
}

/* The output key of @path: its last segment ("address.city" -> "city"). */
static const char *
default_key (const char *path)
{
  const char *dot = strrchr (path, '.');

  return dot != NULL ? dot + 1 : path;
}

static FraiseJsonPath *
parse_path (const char *path, GError **error)
{
  if (*path == '\0')
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("empty field name in the list of fields"));
      return NULL;
    }
  if (!g_utf8_validate (path, -1, NULL))
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("a field name is not valid UTF-8"));
      return NULL;
    }
  return fraise_json_path_new (path, error);
}

/* Every "old:new" entry of @renames (split at the last ':') names one of
 * @fields, once, and gives a non-empty new name. */
static gboolean
check_renames (char **fields, char **renames, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; renames != NULL && renames[i] != NULL; i++)
    {
      const char *colon = strrchr (renames[i], ':');
      char *old;

      if (colon == NULL || colon == renames[i] || colon[1] == '\0')
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("\"%s\" is not a renaming: write FIELD:NEW_NAME"), renames[i]);
          return FALSE;
        }
      if (!g_utf8_validate (colon + 1, -1, NULL))
        {
          g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                               _("a new field name is not valid UTF-8"));
          return FALSE;
        }
      old = g_strndup (renames[i], (gsize) (colon - renames[i]));
      if (fields == NULL || !g_strv_contains ((const char *const *) fields, old))
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("\"%s\" renames \"%s\", which is not one of the fields"), renames[i],
                          old);
          g_free (old);
          return FALSE;
        }
      if (!g_hash_table_add (seen, old))
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("the field \"%s\" is renamed twice"), old);
          return FALSE;
        }
    }
  return TRUE;
}

/* The new key of @path in @renames, or NULL. */
static const char *
find_rename (char **renames, const char *path)
{
  gsize n = strlen (path);

  for (guint i = 0; renames != NULL && renames[i] != NULL; i++)
    if (strncmp (renames[i], path, n) == 0 && renames[i] + n == strrchr (renames[i], ':'))
      return renames[i] + n + 1;
  return NULL;
}

/* Parses the two properties into @self->fields. */
static gboolean
compile_fields (FraiseProjectElement *self, GError **error)
{
  g_autoptr (GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_autoptr (GPtrArray) paths =
               g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_json_path_free);
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  g_array_set_clear_func (fields, field_clear);
  g_array_set_size (self->fields, 0);
  g_ptr_array_set_size (self->paths, 0);
  if (!check_renames (self->fields_prop, self->rename_prop, error))
    return FALSE;
  for (guint i = 0; self->fields_prop != NULL && self->fields_prop[i] != NULL; i++)
    {
      const char *path = self->fields_prop[i];
      FraiseJsonPath *parsed = parse_path (path, error);
      const char *key, *other;
      Field field;

      if (parsed == NULL)
        return FALSE;
      g_ptr_array_add (paths, parsed);
      key = find_rename (self->rename_prop, path);
      if (key == NULL)
        key = default_key (path);
      if ((other = g_hash_table_lookup (keys, key)) != NULL)
        {
          g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                       _("the fields \"%s\" and \"%s\" both give the key \"%s\"; rename one "
                         "(rename=%s:NEW_NAME)"),
                          other, path, key, path);
          return FALSE;
        }
      g_hash_table_insert (keys, (gpointer) key, (gpointer) path);
      field.member = render_member (key, &field.member_len);
      g_array_append_val (fields, field);
    }
  g_array_unref (self->fields);
  self->fields = g_steal_pointer (&fields);
  g_ptr_array_unref (self->paths);
  self->paths = g_steal_pointer (&paths);
  g_free (self->values);
  g_free (self->found);
  self->values = g_new (FraiseJsonValue, MAX (self->fields->len, 1));
  self->found = g_new (gboolean, MAX (self->fields->len, 1));
  return TRUE;
}

static void
update_fields (FraiseProjectElement *self, const char *property)
{
  GError *error = NULL;

  if (compile_fields (self, &error))
    {
      _fraise_element_set_property_error (FRAISE_ELEMENT (self), "fields", NULL);
      _fraise_element_set_property_error (FRAISE_ELEMENT (self), "rename", NULL);
    }
  else
    _fraise_element_set_property_error (FRAISE_ELEMENT (self), property, error);
}

static void
fraise_project_element_finalize (GObject *object)
{
  FraiseProjectElement *self = FRAISE_PROJECT_ELEMENT (object);

  g_strfreev (self->fields_prop);
  g_strfreev (self->rename_prop);
  g_array_unref (self->fields);
  g_ptr_array_unref (self->paths);
  g_free (self->values);
  g_free (self->found);
  g_string_free (self->out, TRUE);

  G_OBJECT_CLASS (fraise_project_element_parent_class)->finalize (object);
}

static void
fraise_project_element_get_property (GObject *object,
                                     guint prop_id,
                                     GValue *value,
                                     GParamSpec *pspec)
{
  FraiseProjectElement *self = FRAISE_PROJECT_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_FIELDS:
      g_value_set_boxed (value, self->fields_prop);
      break;
    case PROP_RENAME:
      g_value_set_boxed (value, self->rename_prop);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
set_strv (char ***field, char **value)
{
  if (*field == value ||
      (*field != NULL && value != NULL &&
       g_strv_equal ((const char *const *) *field, (const char *const *) value)) ||
      (*field == NULL && value == NULL))
    return FALSE;
  g_strfreev (*field);
  *field = g_strdupv (value);
  return TRUE;
}

static void
fraise_project_element_set_property (GObject *object,
                                     guint prop_id,
                                     const GValue *value,
                                     GParamSpec *pspec)
{
  FraiseProjectElement *self = FRAISE_PROJECT_ELEMENT (object);

  switch (prop_id)
    {
    case PROP_FIELDS:
      if (set_strv (&self->fields_prop, g_value_get_boxed (value)))
        {
          update_fields (self, "fields");
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_RENAME:
      if (set_strv (&self->rename_prop, g_value_get_boxed (value)))
        {
          update_fields (self, "rename");
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
fraise_project_element_start (FraiseElement *element, GError **error)
{
  FraiseProjectElement *self = FRAISE_PROJECT_ELEMENT (element);

  if (self->fields->len == 0)
    {
      g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
                           _("no fields to keep: set fields=NAME,…"));
      return FALSE;
    }
  return TRUE;
}

/* The value of a field found in @text, checked when the lookup only
 * skimmed it (strings and containers), or null. */
static gboolean
append_value (
  GString *out, const char *text, const FraiseJsonValue *value, gboolean found, GError **error)
{
  if (!found)
    {
      g_string_append_len (out, "null", 4);
      return TRUE;
    }
  if (value->type >= FRAISE_JSON_TYPE_STRING && !fraise_json_value_check (text, value, error))
    return FALSE;
  g_string_append_len (out, value->start, value->len);
  return TRUE;
}

static FraiseFlow
fraise_project_element_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseProjectElement *self = FRAISE_PROJECT_ELEMENT (element);
  GString *out = self->out;
  g_autoptr (FraiseRow) projected = NULL;
  const char *text;
  gsize len;

  text = fraise_row_get_text (row, &len);
  if (!fraise_json_lookup_paths (text, len, (FraiseJsonPath *const *) self->paths->pdata,
                                 self->paths->len, self->values, self->found, error))
    return FRAISE_FLOW_ERROR;
  g_string_truncate (out, 0);
  g_string_append_c (out, '{');
  for (guint i = 0; i < self->fields->len; i++)
    {
      const Field *field = &g_array_index (self->fields, Field, i);

      /* The first member has no leading comma. */
      g_string_append_len (out, field->member + (i == 0), field->member_len - (i == 0));
      if (!append_value (out, text, &self->values[i], self->found[i], error))
        return FRAISE_FLOW_ERROR;
    }
  g_string_append_c (out, '}');

  projected = _fraise_row_new (out->str, out->len, FALSE, fraise_row_get_index (row));
  if (G_UNLIKELY (out->allocated_len > PROJECT_MAX_KEPT_BUFFER))
    {
      g_string_free (out, TRUE);
      self->out = g_string_sized_new (256);
    }
  return fraise_element_push (element, projected);
}

static void
fraise_project_element_class_init (FraiseProjectElementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->finalize = fraise_project_element_finalize;
  object_class->get_property = fraise_project_element_get_property;
  object_class->set_property = fraise_project_element_set_property;
  element_class->start = fraise_project_element_start;
  element_class->process = fraise_project_element_process;

  /**
   * FraiseProjectElement:fields:
   *
   * The fields to keep, in output order, as paths (`id`, `address.city`,
   * `tags[0]`; a comma list in a description: `fields=id,name,address.city`).
   * Each output row is an object with one member per field: its key is the
   * path's last segment (`city`, `tags[0]`) unless
   * [property@Fraise.ProjectElement:rename] gives another; a field missing
   * from the row (or a step through a value that is not a container) gives
   * `null`. Two fields giving the same key are refused when set (rename
   * one); so are empty names and malformed paths, and the run fails to
   * start without any field.
   *
   * Values are copied as the row's text has them (numbers keep their exact
   * digits); strings and containers are checked strictly on the way, and a
   * row that is not valid JSON where the element reads it (the row's
   * object, skimmed to its end, and the values copied) fails with
   * %FRAISE_ERROR_JSON (the `on-error` policy applies). An SQL NULL row,
   * whose text is `null`, gives `null` for every field.
   *
   * Since: 1.0
   */
  properties[PROP_FIELDS] = g_param_spec_boxed (
    "fields", "Fields", "The fields to keep, as paths, in output order", G_TYPE_STRV,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY | FRAISE_PARAM_PUSH_DOWN);

  /**
   * FraiseProjectElement:rename:
   *
   * New keys for some fields, as `FIELD:NEW_NAME` entries
   * (`rename=address.city:town,id:user_id`): FIELD is written as in
   * [property@Fraise.ProjectElement:fields], and the entry is split at its
   * last `:`. An entry for a field that is not in the list, a field
   * renamed twice, or a renaming that makes two keys equal is refused when
   * set.
   *
   * Since: 1.0
   */
  properties[PROP_RENAME] = g_param_spec_boxed (
    "rename", "Rename", "New keys for fields, as FIELD:NEW_NAME entries", G_TYPE_STRV,
    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Projection", "Transform",
                                     "Keeps the listed fields of each row, by path, without "
                                     "building a JSON tree");
}

static void
fraise_project_element_init (FraiseProjectElement *self)
{
  self->fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_array_set_clear_func (self->fields, field_clear);
  self->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_json_path_free);
  self->values = g_new (FraiseJsonValue, 1);
  self->found = g_new (gboolean, 1);
  self->out = g_string_sized_new (256);
}

/* ---- push-down ---------------------------------------------------------- */

/* json_build_object() takes at most 100 arguments. */
#define MAX_OBJECT_KEYS 50

/* The object of the paths in @splits[@from, @to) (each a strv of keys,
 * sharing their first @depth keys): json_build_object('k', data->'a'->'k',
 * 'n', json_build_object(...)). FALSE when a path is a prefix of another
 * (or repeated), a key is not valid SQL text, or an object is too wide. */
static gboolean
append_object (GString *out, GPtrArray *splits, guint depth)
{
  g_autoptr (GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_keys = 0;

  g_string_append (out, "json_build_object(");
  for (guint i = 0; i < splits->len; i++)
    {
      char **path = g_ptr_array_index (splits, i);
      g_autoptr (GPtrArray) group = g_ptr_array_new ();
      g_autofree char *key = NULL;
      gboolean leaf = path[depth + 1] == NULL;

      if (g_hash_table_contains (done, path[depth]))
        continue;
      g_hash_table_add (done, path[depth]);
      for (guint j = i; j < splits->len; j++)
        {
          char **other = g_ptr_array_index (splits, j);

          if (g_str_equal (other[depth], path[depth]))
            g_ptr_array_add (group, other);
        }
      if ((leaf && group->len > 1) || ++n_keys > MAX_OBJECT_KEYS)
        return FALSE;
      for (guint j = 0; j < group->len; j++)
        if (((char **) g_ptr_array_index (group, j))[depth + 1] == NULL && !leaf)
          return FALSE;
      if ((key = fraise_sql_quote_literal (path[depth], -1, NULL)) == NULL)
        return FALSE;
      if (n_keys > 1)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s, ", key);
      if (!leaf)
        {
          if (!append_object (out, group, depth + 1))
            return FALSE;
          continue;
        }
      g_string_append (out, "data");
      for (guint k = 0; k <= depth; k++)
        {
          g_autofree char *step = fraise_sql_quote_literal (path[k], -1, NULL);

          g_string_append_printf (out, "->%s", step);
        }
    }
  g_string_append_c (out, ')');
  return TRUE;
}

char *
_fraise_project_element_dup_projection (FraiseElement *element)
{
  FraiseProjectElement *self = FRAISE_PROJECT_ELEMENT (element);
  g_autoptr (GPtrArray) splits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GString) out = g_string_new (NULL);

  if (self->fields->len == 0 || self->fields_prop == NULL)
    return NULL;
  for (guint i = 0; self->fields_prop[i] != NULL; i++)
    {
      const char *field = self->fields_prop[i];

      /* Index steps and escapes are left to the element itself. */
      if (strpbrk (field, "[\\\"") != NULL)
        return NULL;
      g_ptr_array_add (splits, g_strsplit (field, ".", -1));
      for (char **key = g_ptr_array_index (splits, i); *key != NULL; key++)
        if (**key == '\0')
          return NULL;
    }
  if (!append_object (out, splits, 0))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
