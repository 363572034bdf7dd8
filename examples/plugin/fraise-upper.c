/* fraise-upper.c: a sample plugin, the `upper` element
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * `upper fields=name,city` upper-cases the string values of the named
 * top-level fields of each row (every top-level string when `fields` is
 * not set). Fields that are missing or hold something else than a string
 * are left as they are; rows that are not JSON objects pass unchanged.
 *
 * What makes it a plugin: it is built as a shared module named
 * `libfraise-upper.so`, links libfraisewire-1, registers its type as a
 * dynamic type on the GTypeModule the loader gives it, implements the
 * `fraise-element` extension point with it, and exports the plugin ABI
 * version. Put the module in a directory of FRAISE_PLUGIN_PATH:
 *
 *   FRAISE_PLUGIN_PATH=build/examples/plugin \
 *     fraise-launch query source=v_user ! upper fields=name ! jsonl-sink
 */

#include <fraisewire/fraisewire.h>
#include <gio/gio.h>
#include <gmodule.h>
#include <json-glib/json-glib.h>

#define FRAISE_TYPE_UPPER (fraise_upper_get_type ())
G_DECLARE_FINAL_TYPE (FraiseUpper, fraise_upper, FRAISE, UPPER, FraiseElement)

struct _FraiseUpper {
  FraiseElement parent_instance;

  GStrv fields; /* NULL: every top-level string */
};

G_DEFINE_DYNAMIC_TYPE (FraiseUpper, fraise_upper, FRAISE_TYPE_ELEMENT)

enum {
  PROP_0,
  PROP_FIELDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
selected (FraiseUpper *self, const char *member)
{
  return self->fields == NULL || g_strv_contains ((const char *const *) self->fields, member);
}

/* A copy of @object whose selected string members are upper-cased. The
 * other members are shared with the row's tree, which is not modified. */
static JsonNode *
upper_object (FraiseUpper *self, JsonObject *object)
{
  JsonObject *out = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      if (selected (self, member) && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_STRING)
        {
          g_autofree char *upper = g_utf8_strup (json_node_get_string (value), -1);

          json_object_set_string_member (out, member, upper);
        }
      else
        json_object_set_member (out, member, json_node_copy (value));
    }
  node = json_node_init_object (json_node_alloc (), out);
  json_object_unref (out);
  return node;
}

static FraiseFlow
fraise_upper_process (FraiseElement *element, FraiseRow *row, GError **error)
{
  FraiseUpper *self = FRAISE_UPPER (element);
  g_autoptr (JsonNode) changed = NULL;
  g_autoptr (FraiseRow) out = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  node = fraise_row_get_node (row, error);
  if (node == NULL)
    return FRAISE_FLOW_ERROR;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fraise_element_push (element, row);

  changed = upper_object (self, json_node_get_object (node));
  text = json_to_string (changed, FALSE);
  out = fraise_row_new_from_text (text, -1, error);
  if (out == NULL)
    return FRAISE_FLOW_ERROR;
  return fraise_element_push (element, out);
}

static void
fraise_upper_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FraiseUpper *self = FRAISE_UPPER (object);

  switch (prop_id)
    {
    case PROP_FIELDS:
      g_value_set_boxed (value, self->fields);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_upper_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FraiseUpper *self = FRAISE_UPPER (object);

  switch (prop_id)
    {
    case PROP_FIELDS:
      g_strfreev (self->fields);
      self->fields = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fraise_upper_finalize (GObject *object)
{
  FraiseUpper *self = FRAISE_UPPER (object);

  g_strfreev (self->fields);
  G_OBJECT_CLASS (fraise_upper_parent_class)->finalize (object);
}

static void
fraise_upper_class_init (FraiseUpperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FraiseElementClass *element_class = FRAISE_ELEMENT_CLASS (klass);

  object_class->get_property = fraise_upper_get_property;
  object_class->set_property = fraise_upper_set_property;
  object_class->finalize = fraise_upper_finalize;
  element_class->process = fraise_upper_process;

  properties[PROP_FIELDS] = g_param_spec_boxed (
    "fields", "Fields", "The top-level fields to upper-case (all string fields when unset)",
    G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fraise_element_class_set_metadata (element_class, "Upper-case", "Transform",
                                     "Upper-cases the string values of chosen fields");
}

static void
fraise_upper_class_finalize (FraiseUpperClass *klass)
{
}

static void
fraise_upper_init (FraiseUpper *self)
{
}

/* The two symbols the loader looks for. */

G_MODULE_EXPORT const guint fraise_plugin_abi_version = FRAISE_PLUGIN_ABI_VERSION;

G_MODULE_EXPORT gboolean fraise_plugin_load (GTypeModule *module, GError **error);

gboolean
fraise_plugin_load (GTypeModule *module, GError **error)
{
  fraise_upper_register_type (module);
  g_io_extension_point_implement (FRAISE_ELEMENT_EXTENSION_POINT_NAME, FRAISE_TYPE_UPPER, "upper",
                                  0);
  return TRUE;
}
