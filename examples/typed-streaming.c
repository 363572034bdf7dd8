/* typed-streaming: rows deserialized into a GObject whose properties match the fields
 *
 * Usage: typed-streaming [CONNINFO]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <locale.h>

#define DEMO_TYPE_USER (demo_user_get_type ())
G_DECLARE_FINAL_TYPE (DemoUser, demo_user, DEMO, USER, GObject)

struct _DemoUser {
  GObject parent_instance;
  char *name;
  char *email;
  gint64 age;
  gboolean active;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_EMAIL,
  PROP_AGE,
  PROP_ACTIVE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (DemoUser, demo_user, G_TYPE_OBJECT)

static void
demo_user_finalize (GObject *object)
{
  DemoUser *self = DEMO_USER (object);

  g_free (self->name);
  g_free (self->email);
  G_OBJECT_CLASS (demo_user_parent_class)->finalize (object);
}

static void
demo_user_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  DemoUser *self = DEMO_USER (object);

  switch (id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_AGE:
      g_value_set_int64 (value, self->age);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
demo_user_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DemoUser *self = DEMO_USER (object);

  switch (id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_EMAIL:
      g_free (self->email);
      self->email = g_value_dup_string (value);
      break;
    case PROP_AGE:
      self->age = g_value_get_int64 (value);
      break;
    case PROP_ACTIVE:
      self->active = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
demo_user_class_init (DemoUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = demo_user_finalize;
  object_class->get_property = demo_user_get_property;
  object_class->set_property = demo_user_set_property;
  g_object_class_install_property (
    object_class, PROP_NAME, g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READWRITE));
  g_object_class_install_property (
    object_class, PROP_EMAIL, g_param_spec_string ("email", NULL, NULL, NULL, G_PARAM_READWRITE));
  g_object_class_install_property (
    object_class, PROP_AGE, g_param_spec_int64 ("age", NULL, NULL, 0, 200, 0, G_PARAM_READWRITE));
  g_object_class_install_property (
    object_class, PROP_ACTIVE,
    g_param_spec_boolean ("active", NULL, NULL, FALSE, G_PARAM_READWRITE));
}

static void
demo_user_init (DemoUser *self)
{
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseClient) client = NULL;
  g_autoptr(FraiseQuery) query = NULL;
  g_autoptr(FraiseStream) stream = NULL;
  FraiseRow *row;
  guint users = 0;

  setlocale (LC_ALL, "");

  client = fraise_client_new (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI"), &error);
  if (client == NULL || !fraise_client_connect_sync (client, NULL, &error))
    goto fail;

  query = fraise_client_query (client, "v_user");
  fraise_query_set_row_type (query, DEMO_TYPE_USER);
  stream = fraise_query_execute_sync (query, NULL, &error);
  if (stream == NULL)
    goto fail;

  while ((row = fraise_stream_next_sync (stream, NULL, &error)) != NULL)
    {
      g_autoptr(GError) row_error = NULL;
      /* G_TYPE_NONE: the row type set on the query. */
      g_autoptr(GObject) object = fraise_row_dup_object (row, G_TYPE_NONE, &row_error);

      if (object == NULL)
        g_print ("row %" G_GUINT64_FORMAT " skipped: %s\n", fraise_row_get_index (row),
                 row_error->message);
      else
        {
          DemoUser *user = DEMO_USER (object);
          g_print ("%s <%s>, %" G_GINT64_FORMAT ", %s\n", user->name, user->email, user->age,
                   user->active ? "active" : "inactive");
          users++;
        }
      fraise_row_unref (row);
    }
  if (error != NULL)
    goto fail;
  return users > 0 ? 0 : 1;

fail:
  g_printerr ("typed-streaming: %s\n", error->message);
  return 1;
}
