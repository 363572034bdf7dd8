/* test-parse-elements.c: elements with every kind of property, for the description tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "test-parse-elements.h"
#include "fraise-pipeline-private.h"

guint test_secret_password_sets;
guint test_elements_made;
guint test_elements_alive;

static GType
test_mode_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    { TEST_MODE_FAST, "TEST_MODE_FAST", "fast" },
    { TEST_MODE_SLOW, "TEST_MODE_SLOW", "slow" },
    { TEST_MODE_CAREFUL, "TEST_MODE_CAREFUL", "careful" },
    { 0, NULL, NULL },
  };

  if (type == 0)
    type = g_enum_register_static ("TestMode", values);
  return type;
}

static GType
test_color_get_type (void)
{
  static GType type;
  static const GFlagsValue values[] = {
    { TEST_COLOR_RED, "TEST_COLOR_RED", "red" },
    { TEST_COLOR_GREEN, "TEST_COLOR_GREEN", "green" },
    { TEST_COLOR_BLUE, "TEST_COLOR_BLUE", "blue" },
    { 0, NULL, NULL },
  };

  if (type == 0)
    type = g_flags_register_static ("TestColor", values);
  return type;
}

/* ---- test-all -------------------------------------------------------------- */

struct _TestAll {
  FraiseElement parent_instance;
  char *text;
  gboolean flag;
  int small;
  guint count;
  gint64 big;
  guint64 huge;
  double ratio;
  TestMode mode;
  TestColor colors;
  char **items;
  char *pattern;
  GObject *peer;
  int seed;
};

G_DEFINE_FINAL_TYPE (TestAll, test_all, FRAISE_TYPE_ELEMENT)

enum {
  ALL_PROP_0,
  ALL_PROP_TEXT,
  ALL_PROP_FLAG,
  ALL_PROP_SMALL,
  ALL_PROP_COUNT,
  ALL_PROP_BIG,
  ALL_PROP_HUGE,
  ALL_PROP_RATIO,
  ALL_PROP_MODE,
  ALL_PROP_COLORS,
  ALL_PROP_ITEMS,
  ALL_PROP_PATTERN,
  ALL_PROP_PEER,
  ALL_PROP_STATUS,
  ALL_PROP_SEED,
  ALL_N_PROPS
};

static GParamSpec *all_properties[ALL_N_PROPS];

/* Lowercase letters only; anything else is refused with its column, kept
 * as the element's property error. */
static void
test_all_set_pattern (TestAll *self, const char *pattern)
{
  for (const char *p = pattern; p != NULL && *p != '\0'; p++)
    if (!g_ascii_islower (*p))
      {
        _fraise_element_set_property_error (
          FRAISE_ELEMENT (self), "pattern",
          _fraise_parse_error_new_in_expression (FRAISE_PARSE_ERROR_SYNTAX, pattern, p - pattern,
                                                 "unexpected \"%.*s\"",
                                                 (int) (g_utf8_next_char (p) - p), p));
        return;
      }
  _fraise_element_set_property_error (FRAISE_ELEMENT (self), "pattern", NULL);
  g_free (self->pattern);
  self->pattern = g_strdup (pattern);
}

static void
test_all_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestAll *self = TEST_ALL (object);

  switch (id)
    {
    case ALL_PROP_TEXT:
      g_free (self->text);
      self->text = g_value_dup_string (value);
      break;
    case ALL_PROP_FLAG:
      self->flag = g_value_get_boolean (value);
      break;
    case ALL_PROP_SMALL:
      self->small = g_value_get_int (value);
      break;
    case ALL_PROP_COUNT:
      self->count = g_value_get_uint (value);
      break;
    case ALL_PROP_BIG:
      self->big = g_value_get_int64 (value);
      break;
    case ALL_PROP_HUGE:
      self->huge = g_value_get_uint64 (value);
      break;
    case ALL_PROP_RATIO:
      self->ratio = g_value_get_double (value);
      break;
    case ALL_PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case ALL_PROP_COLORS:
      self->colors = g_value_get_flags (value);
      break;
    case ALL_PROP_ITEMS:
      g_strfreev (self->items);
      self->items = g_value_dup_boxed (value);
      break;
    case ALL_PROP_PATTERN:
      test_all_set_pattern (self, g_value_get_string (value));
      break;
    case ALL_PROP_PEER:
      g_set_object (&self->peer, g_value_get_object (value));
      break;
    case ALL_PROP_SEED:
      self->seed = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_all_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestAll *self = TEST_ALL (object);

  switch (id)
    {
    case ALL_PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case ALL_PROP_FLAG:
      g_value_set_boolean (value, self->flag);
      break;
    case ALL_PROP_SMALL:
      g_value_set_int (value, self->small);
      break;
    case ALL_PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case ALL_PROP_BIG:
      g_value_set_int64 (value, self->big);
      break;
    case ALL_PROP_HUGE:
      g_value_set_uint64 (value, self->huge);
      break;
    case ALL_PROP_RATIO:
      g_value_set_double (value, self->ratio);
      break;
    case ALL_PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case ALL_PROP_COLORS:
      g_value_set_flags (value, self->colors);
      break;
    case ALL_PROP_ITEMS:
      g_value_set_boxed (value, self->items);
      break;
    case ALL_PROP_PATTERN:
      g_value_set_string (value, self->pattern);
      break;
    case ALL_PROP_PEER:
      g_value_set_object (value, self->peer);
      break;
    case ALL_PROP_STATUS:
      g_value_set_string (value, "idle");
      break;
    case ALL_PROP_SEED:
      g_value_set_int (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_all_finalize (GObject *object)
{
  TestAll *self = TEST_ALL (object);

  g_free (self->text);
  g_strfreev (self->items);
  g_free (self->pattern);
  g_clear_object (&self->peer);
  test_elements_alive--;
  G_OBJECT_CLASS (test_all_parent_class)->finalize (object);
}

static void
test_all_class_init (TestAllClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->set_property = test_all_set_property;
  object_class->get_property = test_all_get_property;
  object_class->finalize = test_all_finalize;

  all_properties[ALL_PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, rw);
  all_properties[ALL_PROP_FLAG] = g_param_spec_boolean ("flag", NULL, NULL, FALSE, rw);
  all_properties[ALL_PROP_SMALL] = g_param_spec_int ("small", NULL, NULL, -10, 10, 0, rw);
  all_properties[ALL_PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 1, 1000, 1, rw);
  all_properties[ALL_PROP_BIG] =
    g_param_spec_int64 ("big", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  all_properties[ALL_PROP_HUGE] = g_param_spec_uint64 ("huge", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  all_properties[ALL_PROP_RATIO] = g_param_spec_double ("ratio", NULL, NULL, 0.0, 1.0, 0.5, rw);
  all_properties[ALL_PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, test_mode_get_type (), TEST_MODE_FAST, rw);
  all_properties[ALL_PROP_COLORS] =
    g_param_spec_flags ("colors", NULL, NULL, test_color_get_type (), 0, rw);
  all_properties[ALL_PROP_ITEMS] = g_param_spec_boxed ("items", NULL, NULL, G_TYPE_STRV, rw);
  all_properties[ALL_PROP_PATTERN] = g_param_spec_string ("pattern", NULL, NULL, NULL, rw);
  all_properties[ALL_PROP_PEER] = g_param_spec_object ("peer", NULL, NULL, G_TYPE_OBJECT, rw);
  all_properties[ALL_PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, "idle", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  all_properties[ALL_PROP_SEED] =
    g_param_spec_int ("seed", NULL, NULL, 0, 100, 0, rw | G_PARAM_CONSTRUCT_ONLY);
  g_object_class_install_properties (object_class, ALL_N_PROPS, all_properties);
}

static void
test_all_init (TestAll *self)
{
  self->count = 1;
  self->ratio = 0.5;
  test_elements_made++;
  test_elements_alive++;
}

/* ---- test-secret ----------------------------------------------------------- */

struct _TestSecret {
  FraiseElement parent_instance;
  char *password;
  char *label;
};

G_DEFINE_FINAL_TYPE (TestSecret, test_secret, FRAISE_TYPE_ELEMENT)

enum {
  SECRET_PROP_0,
  SECRET_PROP_PASSWORD,
  SECRET_PROP_LABEL,
  SECRET_N_PROPS
};

static GParamSpec *secret_properties[SECRET_N_PROPS];

static void
test_secret_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestSecret *self = TEST_SECRET (object);

  switch (id)
    {
    case SECRET_PROP_PASSWORD:
      test_secret_password_sets++;
      g_free (self->password);
      self->password = g_value_dup_string (value);
      break;
    case SECRET_PROP_LABEL:
      g_free (self->label);
      self->label = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_secret_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestSecret *self = TEST_SECRET (object);

  switch (id)
    {
    case SECRET_PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case SECRET_PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_secret_finalize (GObject *object)
{
  TestSecret *self = TEST_SECRET (object);

  g_free (self->password);
  g_free (self->label);
  test_elements_alive--;
  G_OBJECT_CLASS (test_secret_parent_class)->finalize (object);
}

static void
test_secret_class_init (TestSecretClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->set_property = test_secret_set_property;
  object_class->get_property = test_secret_get_property;
  object_class->finalize = test_secret_finalize;

  secret_properties[SECRET_PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL, rw | FRAISE_PARAM_SENSITIVE);
  secret_properties[SECRET_PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, SECRET_N_PROPS, secret_properties);
}

static void
test_secret_init (TestSecret *self)
{
  test_elements_made++;
  test_elements_alive++;
}

FraiseRegistry *
test_parse_registry_new (void)
{
  g_autoptr(FraiseRegistry) registry = fraise_registry_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (fraise_registry_register (registry, "test-all", TEST_TYPE_ALL, &error));
  g_assert_no_error (error);
  g_assert_true (fraise_registry_register (registry, "test-secret", TEST_TYPE_SECRET, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&registry);
}
