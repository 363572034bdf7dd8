/* bench-user.c: the GObject types of the benchmark's entity rows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "bench-user.h"

/* ---- BenchAddress ------------------------------------------------------------ */

enum {
  ADDRESS_ZIP = 1,
  ADDRESS_CITY,
  ADDRESS_STREET,
  ADDRESS_COUNTRY
};

G_DEFINE_FINAL_TYPE (BenchAddress, bench_address, G_TYPE_OBJECT)

static char **
address_field (BenchAddress *self, guint id)
{
  switch (id)
    {
    case ADDRESS_ZIP:
      return &self->zip;
    case ADDRESS_CITY:
      return &self->city;
    case ADDRESS_STREET:
      return &self->street;
    default:
      return &self->country;
    }
}

static void
bench_address_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  char **field = address_field (BENCH_ADDRESS (object), id);

  g_free (*field);
  *field = g_value_dup_string (value);
}

static void
bench_address_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, *address_field (BENCH_ADDRESS (object), id));
}

static void
bench_address_finalize (GObject *object)
{
  BenchAddress *self = BENCH_ADDRESS (object);

  g_free (self->zip);
  g_free (self->city);
  g_free (self->street);
  g_free (self->country);
  G_OBJECT_CLASS (bench_address_parent_class)->finalize (object);
}

static void
bench_address_class_init (BenchAddressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->set_property = bench_address_set_property;
  object_class->get_property = bench_address_get_property;
  object_class->finalize = bench_address_finalize;
  g_object_class_install_property (object_class, ADDRESS_ZIP,
                                   g_param_spec_string ("zip", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, ADDRESS_CITY,
                                   g_param_spec_string ("city", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, ADDRESS_STREET,
                                   g_param_spec_string ("street", NULL, NULL, NULL, rw));
  g_object_class_install_property (object_class, ADDRESS_COUNTRY,
                                   g_param_spec_string ("country", NULL, NULL, NULL, rw));
}

static void
bench_address_init (BenchAddress *self)
{
}

/* ---- BenchUser ----------------------------------------------------------------- */

enum {
  USER_ID = 1,
  USER_AGE,
  USER_SCORE,
  USER_VERIFIED,
  USER_NAME,
  USER_EMAIL,
  USER_BIO,
  USER_UUID,
  USER_STATUS,
  USER_CREATED_AT,
  USER_TAGS,
  USER_ADDRESS,
};

G_DEFINE_FINAL_TYPE (BenchUser, bench_user, G_TYPE_OBJECT)

static char **
user_string (BenchUser *self, guint id)
{
  switch (id)
    {
    case USER_NAME:
      return &self->name;
    case USER_EMAIL:
      return &self->email;
    case USER_BIO:
      return &self->bio;
    case USER_UUID:
      return &self->uuid;
    case USER_STATUS:
      return &self->status;
    default:
      return &self->created_at;
    }
}

static void
bench_user_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  BenchUser *self = BENCH_USER (object);

  switch (id)
    {
    case USER_ID:
      self->id = g_value_get_int64 (value);
      break;
    case USER_AGE:
      self->age = g_value_get_int (value);
      break;
    case USER_SCORE:
      self->score = g_value_get_double (value);
      break;
    case USER_VERIFIED:
      self->verified = g_value_get_boolean (value);
      break;
    case USER_TAGS:
      g_strfreev (self->tags);
      self->tags = g_value_dup_boxed (value);
      break;
    case USER_ADDRESS:
      g_clear_object (&self->address);
      self->address = g_value_dup_object (value);
      break;
    default:
      g_free (*user_string (self, id));
      *user_string (self, id) = g_value_dup_string (value);
      break;
    }
}

static void
bench_user_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  BenchUser *self = BENCH_USER (object);

  switch (id)
    {
    case USER_ID:
      g_value_set_int64 (value, self->id);
      break;
    case USER_AGE:
      g_value_set_int (value, self->age);
      break;
    case USER_SCORE:
      g_value_set_double (value, self->score);
      break;
    case USER_VERIFIED:
      g_value_set_boolean (value, self->verified);
      break;
    case USER_TAGS:
      g_value_set_boxed (value, self->tags);
      break;
    case USER_ADDRESS:
      g_value_set_object (value, self->address);
      break;
    default:
      g_value_set_string (value, *user_string (self, id));
      break;
    }
}

static void
bench_user_finalize (GObject *object)
{
  BenchUser *self = BENCH_USER (object);

  for (guint id = USER_NAME; id <= USER_CREATED_AT; id++)
    g_free (*user_string (self, id));
  g_strfreev (self->tags);
  g_clear_object (&self->address);
  G_OBJECT_CLASS (bench_user_parent_class)->finalize (object);
}

static void
bench_user_class_init (BenchUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  static const char *const strings[] = { "name", "email", "bio", "uuid", "status", "created_at" };

  object_class->set_property = bench_user_set_property;
  object_class->get_property = bench_user_get_property;
  object_class->finalize = bench_user_finalize;
  g_object_class_install_property (object_class, USER_ID,
                                   g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw));
  g_object_class_install_property (object_class, USER_AGE,
                                   g_param_spec_int ("age", NULL, NULL, 0, G_MAXINT, 0, rw));
  g_object_class_install_property (
    object_class, USER_SCORE, g_param_spec_double ("score", NULL, NULL, 0, G_MAXDOUBLE, 0, rw));
  g_object_class_install_property (object_class, USER_VERIFIED,
                                   g_param_spec_boolean ("verified", NULL, NULL, FALSE, rw));
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_object_class_install_property (
      object_class, USER_NAME + i,
      g_param_spec_string (strings[i], NULL, NULL, NULL, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, USER_TAGS,
                                   g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw));
  g_object_class_install_property (
    object_class, USER_ADDRESS,
    g_param_spec_object ("address", NULL, NULL, BENCH_TYPE_ADDRESS, rw));
}

static void
bench_user_init (BenchUser *self)
{
}
