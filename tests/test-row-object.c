/* test-row-object.c: typed rows from the scanner against the json-glib route
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fraise_row_dup_object() reads a row with the scanner when it can and
 * leaves the rest to the tree and json-glib (the reference). On a corpus of
 * rows each is checked both ways: a row the scanner reads gives an object
 * equal, property by property, to json-glib's; every other row goes the
 * tree route (the scanner declines it), so its object or its error is
 * json-glib's by construction.
 */

#include "fraise-private.h"
#include "fraise-row-private.h"

#include <json-glib/json-gobject.h>
#include <string.h>

/* ---- test types ---------------------------------------------------------------- */

typedef enum {
  TEST_COLOR_RED,
  TEST_COLOR_GREEN = 5,
  TEST_COLOR_BLUE = 9,
} TestColor;

typedef enum {
  TEST_PERM_READ = 1 << 0,
  TEST_PERM_WRITE = 1 << 1,
} TestPerms;

static GType
test_color_get_type (void)
{
  static const GEnumValue values[] = {
    { TEST_COLOR_RED, "TEST_COLOR_RED", "red" },
    { TEST_COLOR_GREEN, "TEST_COLOR_GREEN", "green" },
    { TEST_COLOR_BLUE, "TEST_COLOR_BLUE", "blue" },
    { 0, NULL, NULL },
  };
  static GType type = 0;

  if (type == 0)
    type = g_enum_register_static ("TestRowObjectColor", values);
  return type;
}

static GType
test_perms_get_type (void)
{
  static const GFlagsValue values[] = {
    { TEST_PERM_READ, "TEST_PERM_READ", "read" },
    { TEST_PERM_WRITE, "TEST_PERM_WRITE", "write" },
    { 0, NULL, NULL },
  };
  static GType type = 0;

  if (type == 0)
    type = g_flags_register_static ("TestRowObjectPerms", values);
  return type;
}

#define TEST_TYPE_ITEM (test_item_get_type ())
G_DECLARE_FINAL_TYPE (TestItem, test_item, TEST, ITEM, GObject)

struct _TestItem {
  GObject parent_instance;
  GValue values[32];
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_COUNT,
  PROP_BIG,
  PROP_UBIG,
  PROP_SMALL,
  PROP_LNG,
  PROP_ULNG,
  PROP_CH,
  PROP_UCH,
  PROP_RATIO,
  PROP_WEIGHT,
  PROP_ACTIVE,
  PROP_COLOR,
  PROP_PERMS,
  PROP_TAGS,
  PROP_CHILD,
  PROP_CODE,
  PROP_FIXED,
  PROP_FIRST_NAME,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TestItem, test_item, G_TYPE_OBJECT)

static GParamSpec *item_props[N_PROPS];

static void
test_item_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestItem *self = TEST_ITEM (object);

  g_value_unset (&self->values[id]);
  g_value_init (&self->values[id], pspec->value_type);
  g_value_copy (value, &self->values[id]);
}

static void
test_item_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestItem *self = TEST_ITEM (object);

  if (G_IS_VALUE (&self->values[id]))
    g_value_copy (&self->values[id], value);
  else
    g_param_value_set_default (pspec, value);
}

static void
test_item_finalize (GObject *object)
{
  TestItem *self = TEST_ITEM (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->values); i++)
    if (G_IS_VALUE (&self->values[i]))
      g_value_unset (&self->values[i]);
  G_OBJECT_CLASS (test_item_parent_class)->finalize (object);
}

static void
test_item_class_init (TestItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->set_property = test_item_set_property;
  object_class->get_property = test_item_get_property;
  object_class->finalize = test_item_finalize;
  item_props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "unnamed", rw);
  item_props[PROP_COUNT] = g_param_spec_int ("count", NULL, NULL, G_MININT, G_MAXINT, -1, rw);
  item_props[PROP_BIG] = g_param_spec_int64 ("big", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  item_props[PROP_UBIG] = g_param_spec_uint64 ("ubig", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  item_props[PROP_SMALL] = g_param_spec_uint ("small", NULL, NULL, 0, G_MAXUINT, 0, rw);
  item_props[PROP_LNG] = g_param_spec_long ("lng", NULL, NULL, G_MINLONG, G_MAXLONG, 0, rw);
  item_props[PROP_ULNG] = g_param_spec_ulong ("ulng", NULL, NULL, 0, G_MAXULONG, 0, rw);
  item_props[PROP_CH] = g_param_spec_char ("ch", NULL, NULL, G_MININT8, G_MAXINT8, 0, rw);
  item_props[PROP_UCH] = g_param_spec_uchar ("uch", NULL, NULL, 0, G_MAXUINT8, 0, rw);
  item_props[PROP_RATIO] =
    g_param_spec_double ("ratio", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.5, rw);
  item_props[PROP_WEIGHT] =
    g_param_spec_float ("weight", NULL, NULL, -G_MAXFLOAT, G_MAXFLOAT, 0.0f, rw);
  item_props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, rw);
  item_props[PROP_COLOR] =
    g_param_spec_enum ("color", NULL, NULL, test_color_get_type (), TEST_COLOR_RED, rw);
  item_props[PROP_PERMS] = g_param_spec_flags ("perms", NULL, NULL, test_perms_get_type (), 0, rw);
  item_props[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  item_props[PROP_CHILD] = g_param_spec_object ("child", NULL, NULL, TEST_TYPE_ITEM, rw);
  item_props[PROP_CODE] = g_param_spec_string (
    "code", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  item_props[PROP_FIXED] =
    g_param_spec_int ("fixed", NULL, NULL, 0, 100, 7, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_props[PROP_FIRST_NAME] = g_param_spec_string ("first-name", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, item_props);
}

static void
test_item_init (TestItem *self)
{
}

/* A JsonSerializable type: upper-cases its name on the way in. */
#define TEST_TYPE_SERIAL (test_serial_get_type ())
G_DECLARE_FINAL_TYPE (TestSerial, test_serial, TEST, SERIAL, GObject)

struct _TestSerial {
  GObject parent_instance;
  char *name;
};

static void test_serial_serializable_init (JsonSerializableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSerial,
                               test_serial,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JSON_TYPE_SERIALIZABLE,
                                                      test_serial_serializable_init))

static gboolean
test_serial_deserialize_property (JsonSerializable *serializable,
                                  const char *name,
                                  GValue *value,
                                  GParamSpec *pspec,
                                  JsonNode *node)
{
  g_autofree char *upper = g_ascii_strup (json_node_get_string (node), -1);

  g_value_set_string (value, upper);
  return TRUE;
}

static void
test_serial_serializable_init (JsonSerializableIface *iface)
{
  iface->deserialize_property = test_serial_deserialize_property;
}

static void
test_serial_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_free (TEST_SERIAL (object)->name);
  TEST_SERIAL (object)->name = g_value_dup_string (value);
}

static void
test_serial_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, TEST_SERIAL (object)->name);
}

static void
test_serial_finalize (GObject *object)
{
  g_free (TEST_SERIAL (object)->name);
  G_OBJECT_CLASS (test_serial_parent_class)->finalize (object);
}

static void
test_serial_class_init (TestSerialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_serial_set_property;
  object_class->get_property = test_serial_get_property;
  object_class->finalize = test_serial_finalize;
  g_object_class_install_property (
    object_class, 1,
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_serial_init (TestSerial *self)
{
}

/* ---- comparing objects ------------------------------------------------------------ */

static void assert_objects_equal (GObject *a, GObject *b, const char *row);

static void
assert_values_equal (const GValue *a, const GValue *b, GParamSpec *pspec, const char *row)
{
  if (G_VALUE_HOLDS (a, G_TYPE_STRV))
    {
      const char *const *sa = g_value_get_boxed (a);
      const char *const *sb = g_value_get_boxed (b);

      if (sa == NULL || sb == NULL)
        g_assert_true (sa == sb);
      else if (!g_strv_equal (sa, sb))
        g_error ("%s: property %s differs", row, pspec->name);
      return;
    }
  if (G_VALUE_HOLDS_OBJECT (a))
    {
      GObject *oa = g_value_get_object (a), *ob = g_value_get_object (b);

      if (oa == NULL || ob == NULL)
        {
          if (oa != ob)
            g_error ("%s: property %s: one object is NULL", row, pspec->name);
          return;
        }
      assert_objects_equal (oa, ob, row);
      return;
    }
  if (g_param_values_cmp (pspec, a, b) != 0)
    {
      g_autofree char *va = g_strdup_value_contents (a);
      g_autofree char *vb = g_strdup_value_contents (b);

      g_error ("%s: property %s: scanner %s, json-glib %s", row, pspec->name, va, vb);
    }
}

static void
assert_objects_equal (GObject *a, GObject *b, const char *row)
{
  guint n;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);

  g_assert_cmpstr (G_OBJECT_TYPE_NAME (a), ==, G_OBJECT_TYPE_NAME (b));
  for (guint i = 0; i < n; i++)
    {
      g_auto (GValue) va = G_VALUE_INIT;
      g_auto (GValue) vb = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READABLE) == 0)
        continue;
      g_value_init (&va, pspecs[i]->value_type);
      g_value_init (&vb, pspecs[i]->value_type);
      g_object_get_property (a, pspecs[i]->name, &va);
      g_object_get_property (b, pspecs[i]->name, &vb);
      assert_values_equal (&va, &vb, pspecs[i], row);
    }
}

/* ---- the corpus ------------------------------------------------------------------- */

/* Rows the scanner reads itself: the same object as json-glib's. */
static const char *const scanned_rows[] = {
  "{}",
  " { \"name\" : \"Amélie\" } \n",
  "{\"name\": \"Jürgen\", \"count\": 42, \"active\": true, \"ratio\": 2.25}",
  "{\"name\": \"esc \\\"q\\\" \\\\ \\n \\u00e9 \\ud83c\\udf53\", \"count\": -7}",
  "{\"count\": 4294967297, \"small\": 4294967298, \"big\": -9223372036854775808, "
  "\"ubig\": 9223372036854775807, \"lng\": -5, \"ulng\": 5, \"ch\": 300, \"uch\": 257}",
  "{\"ratio\": 3, \"weight\": 1.5e3, \"big\": 1}",
  "{\"ratio\": -0.0, \"weight\": 7}",
  "{\"color\": 5, \"perms\": 3}",
  "{\"color\": \"blue\"}",
  "{\"color\": \"TEST_COLOR_GREEN\"}",
  "{\"color\": \"9\"}",
  "{\"color\": \"0x5\"}",
  "{\"tags\": [\"a\", \"b\\u0020c\", \"佐藤\"]}",
  "{\"tags\": []}",
  "{\"tags\": [\"a\", 1, null, true, [\"x\"], {\"y\": 1}, \"z\"]}",
  "{\"child\": {\"name\": \"inner\", \"count\": 3, \"child\": {\"name\": \"deeper\"}}}",
  "{\"child\": null, \"name\": null}",
  "{\"code\": \"C-1\", \"name\": \"with construct-only\"}",
  "{\"fixed\": 99, \"name\": \"read-only ignored\"}",
  "{\"first_name\": \"underscore\", \"unknown\": {\"deep\": [1, 2, {\"x\": \"y\"}]}}",
  "{\"first-name\": \"dash\"}",
  "{\"name\": \"first\", \"count\": 1, \"name\": \"last\", \"count\": 2}",
  "{\"child\": {\"name\": \"a\"}, \"child\": {\"name\": \"b\"}}",
  "{\"extra\": \"\\u0000 nul\", \"name\": \"x\\u0000y\"}",
  "{\"big\": 12, \"ratio\": 1e-310, \"active\": false, \"unknown\": -12.5e+2}",
};

/* Rows the scanner leaves to the tree route: json-glib's error, or its
 * object, or its warning. Each is declined by the scanner. */
static const char *const tree_rows[] = {
  /* not an object, or not valid JSON: the tree route's error */
  "[1, 2]",
  "null",
  "\"text\"",
  "{\"name\": \"x\"} trailing",
  "{\"name\": \"x\",}",
  "{\"name\": \"bad \\x escape\"}",
  "{\"name\": \"\xff\"}",
  "{\"count\": 01}",
  "{\"unknown\": [1, 2,]}",
  "{\"unknown\": \"\\q\"}",
  "{\"unknown\": tru}",
  "{\"unknown\": {\"a\" 1}}",
  "{\"active\": tru}",
  "{\"name\": nul}",
  "{\"tags\": [\"a\",]}",
  "{\"tags\": [\"a\" \"b\"]}",
  "{\"tags\": [1 2]}",
  "{\"tags\": [\"\\u12\"]}",
  "{\"name\": \"x\" \"count\": 1}",
  "{\"name\": \"x\"}  {}",
  "{\"ratio\": 1.}",
  "{\"name\": 1, \"count\": [1,}",
  /* a member that does not fit its property: the tree route's error */
  "{\"count\": \"12\"}",
  "{\"count\": 1.5}",
  "{\"name\": 3}",
  "{\"active\": 1}",
  "{\"count\": null}",
  "{\"tags\": \"a\"}",
  "{\"child\": 3}",
  "{\"color\": 1.5}",
  /* what json-glib decides alone (it warns and skips the property) */
  "{\"color\": \"purple\"}",
  "{\"perms\": \"read|write\"}",
  "{\"tags\": null}",
  "{\"child\": {\"count\": \"nested mismatch\"}}",
};

static FraiseRow *
row_of (const char *text)
{
  return fraise_row_new (text, -1, 0);
}

static void
test_scanned_rows (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (scanned_rows); i++)
    {
      g_autoptr (FraiseRow) row = row_of (scanned_rows[i]);
      g_autoptr (FraiseRow) again = row_of (scanned_rows[i]);
      g_autoptr (GObject) scanned = _fraise_row_dup_object_scan (row, TEST_TYPE_ITEM);
      g_autoptr (GError) error = NULL;
      g_autoptr (GObject) tree = _fraise_row_dup_object_tree (again, TEST_TYPE_ITEM, &error);
      g_autoptr (GObject) public = NULL;

      g_test_message ("row %u: %s", i, scanned_rows[i]);
      if (scanned == NULL)
        g_error ("row %u was not read by the scanner: %s", i, scanned_rows[i]);
      g_assert_no_error (error);
      g_assert_nonnull (tree);
      assert_objects_equal (scanned, tree, scanned_rows[i]);
      /* The public call takes the scanner's route, to the same object. */
      public = fraise_row_dup_object (row, TEST_TYPE_ITEM, &error);
      g_assert_no_error (error);
      assert_objects_equal (public, tree, scanned_rows[i]);
    }
}

static void
test_tree_rows (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (tree_rows); i++)
    {
      g_autoptr (FraiseRow) row = row_of (tree_rows[i]);
      g_autoptr (GObject) scanned = _fraise_row_dup_object_scan (row, TEST_TYPE_ITEM);

      g_test_message ("row %u: %s", i, tree_rows[i]);
      if (scanned != NULL)
        g_error ("row %u was read by the scanner, not left to json-glib: %s", i, tree_rows[i]);
    }
}

/* The errors the public call gives are the tree route's, word for word. */
static void
test_errors (void)
{
  static const struct {
    const char *text;
    int code;
    const char *message;
  } cases[] = {
    { "{\"count\": \"12\"}", FRAISE_ERROR_DESERIALIZATION,
      "row 0 does not fit TestItem: field \"count\" is gchararray, property \"count\" is gint" },
    { "[1]", FRAISE_ERROR_DESERIALIZATION,
      "row 0 is a JSON array, not an object: cannot build a TestItem" },
    { "{\"name\": \"x\",}", FRAISE_ERROR_JSON, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FraiseRow) row = row_of (cases[i].text);
      g_autoptr (FraiseRow) again = row_of (cases[i].text);
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) reference = NULL;
      g_autoptr (GObject) object = fraise_row_dup_object (row, TEST_TYPE_ITEM, &error);
      g_autoptr (GObject) tree = _fraise_row_dup_object_tree (again, TEST_TYPE_ITEM, &reference);

      g_assert_null (object);
      g_assert_null (tree);
      g_assert_error (error, FRAISE_ERROR, cases[i].code);
      g_assert_error (reference, FRAISE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, reference->message);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* A JsonSerializable class goes the tree route: its deserialize_property
 * is honoured. */
static void
test_serializable (void)
{
  g_autoptr (FraiseRow) row = row_of ("{\"name\": \"quiet\"}");
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) scanned = _fraise_row_dup_object_scan (row, TEST_TYPE_SERIAL);
  g_autoptr (GObject) object = fraise_row_dup_object (row, TEST_TYPE_SERIAL, &error);

  g_assert_null (scanned);
  g_assert_no_error (error);
  g_assert_cmpstr (TEST_SERIAL (object)->name, ==, "QUIET");
}

/* A row with more distinct keys than the per-type cache holds is still read
 * exactly (the names beyond are looked up uncached). */
static void
test_many_keys (void)
{
  g_autoptr (GString) text = g_string_new ("{");
  g_autoptr (FraiseRow) row = NULL;
  g_autoptr (FraiseRow) again = NULL;
  g_autoptr (GObject) scanned = NULL;
  g_autoptr (GObject) tree = NULL;

  for (guint i = 0; i < 600; i++)
    g_string_append_printf (text, "\"k%u\": %u, ", i, i);
  g_string_append (text, "\"count\": 5, \"color\": \"green\", \"name\": \"many\"}");
  row = row_of (text->str);
  again = row_of (text->str);
  scanned = _fraise_row_dup_object_scan (row, TEST_TYPE_ITEM);
  tree = _fraise_row_dup_object_tree (again, TEST_TYPE_ITEM, NULL);
  g_assert_nonnull (scanned);
  assert_objects_equal (scanned, tree, "600 unknown keys");
}

/* Nesting as deep as the tree parser takes (512 containers) is read; one
 * level more goes the tree route, for its error. */
static void
test_depth_limit (void)
{
  for (guint extra = 0; extra < 2; extra++)
    {
      g_autoptr (GString) text = g_string_new ("{\"name\": \"deep\", \"unknown\": ");
      g_autoptr (FraiseRow) row = NULL;
      g_autoptr (FraiseRow) again = NULL;
      g_autoptr (GObject) scanned = NULL;
      g_autoptr (GObject) tree = NULL;
      g_autoptr (GError) error = NULL;
      guint n = 511 + extra;

      for (guint i = 0; i < n; i++)
        g_string_append_c (text, '[');
      for (guint i = 0; i < n; i++)
        g_string_append_c (text, ']');
      g_string_append_c (text, '}');
      row = row_of (text->str);
      again = row_of (text->str);
      scanned = _fraise_row_dup_object_scan (row, TEST_TYPE_ITEM);
      tree = _fraise_row_dup_object_tree (again, TEST_TYPE_ITEM, &error);
      if (extra == 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (scanned);
          assert_objects_equal (scanned, tree, "512 levels");
        }
      else
        {
          g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
          g_assert_null (scanned);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* First: the names it reads are then not cached yet. */
  g_test_add_func ("/row-object/many-keys", test_many_keys);
  g_test_add_func ("/row-object/scanned-rows", test_scanned_rows);
  g_test_add_func ("/row-object/tree-rows", test_tree_rows);
  g_test_add_func ("/row-object/errors", test_errors);
  g_test_add_func ("/row-object/serializable", test_serializable);
  g_test_add_func ("/row-object/depth-limit", test_depth_limit);
  return g_test_run ();
}
