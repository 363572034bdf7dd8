/* test-error.c: the FRAISE_ERROR domain, categories, retriability, server messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"

static GError *
server_error (FraiseError code, const char *sqlstate)
{
  g_autoptr(FraiseServerMessage) message = _fraise_server_message_new ();

  _fraise_server_message_set_field (message, 'C', sqlstate, strlen (sqlstate));
  _fraise_server_message_set_field (message, 'M', "boom", 4);
  return _fraise_error_new_with_message (code, message, "server said boom");
}

static void
test_category (void)
{
  static const struct {
    FraiseError code;
    const char *category;
  } cases[] = {
    { FRAISE_ERROR_CONFIG, "config" },
    { FRAISE_ERROR_CONNECTION_FAILED, "connection" },
    { FRAISE_ERROR_CONNECTION_LOST, "connection" },
    { FRAISE_ERROR_AUTHENTICATION, "authentication" },
    { FRAISE_ERROR_TLS, "tls" },
    { FRAISE_ERROR_PROTOCOL, "protocol" },
    { FRAISE_ERROR_SERVER, "server" },
    { FRAISE_ERROR_INVALID_SCHEMA, "schema" },
    { FRAISE_ERROR_JSON, "json" },
    { FRAISE_ERROR_DESERIALIZATION, "json" },
    { FRAISE_ERROR_MEMORY_LIMIT, "limit" },
    { FRAISE_ERROR_RESOURCE_LIMIT, "limit" },
    { FRAISE_ERROR_TIMEOUT, "timeout" },
    { FRAISE_ERROR_BUSY, "connection" },
    { FRAISE_ERROR_CLOSED, "connection" },
  };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (FRAISE_ERROR, cases[i].code, "x");
      g_assert_cmpstr (fraise_error_get_category (error), ==, cases[i].category);
    }
  g_assert_cmpstr (fraise_error_get_category (cancelled), ==, "cancelled");
  g_assert_cmpstr (fraise_error_get_category (other), ==, "other");
  g_assert_cmpstr (fraise_error_get_category (NULL), ==, "other");
}

static void
test_retriable (void)
{
  static const struct {
    FraiseError code;
    const char *sqlstate; /* NULL: no server message */
    gboolean retriable;
  } cases[] = {
    { FRAISE_ERROR_CONNECTION_FAILED, NULL, TRUE },
    { FRAISE_ERROR_CONNECTION_LOST, NULL, TRUE },
    { FRAISE_ERROR_TIMEOUT, NULL, TRUE },
    { FRAISE_ERROR_CONNECTION_FAILED, "53300", TRUE },
    { FRAISE_ERROR_CONNECTION_FAILED, "57P03", TRUE },
    { FRAISE_ERROR_CONNECTION_FAILED, "3D000", FALSE },
    { FRAISE_ERROR_SERVER, "40001", TRUE },
    { FRAISE_ERROR_SERVER, "40P01", TRUE },
    { FRAISE_ERROR_SERVER, "08006", TRUE },
    { FRAISE_ERROR_SERVER, "57P01", TRUE },
    { FRAISE_ERROR_SERVER, "57P02", TRUE },
    { FRAISE_ERROR_SERVER, "57P04", FALSE },
    { FRAISE_ERROR_SERVER, "42601", FALSE },
    { FRAISE_ERROR_SERVER, "42P01", FALSE },
    { FRAISE_ERROR_AUTHENTICATION, "28P01", FALSE },
    { FRAISE_ERROR_CONFIG, NULL, FALSE },
    { FRAISE_ERROR_INVALID_SCHEMA, NULL, FALSE },
    { FRAISE_ERROR_PROTOCOL, NULL, FALSE },
  };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      if (cases[i].sqlstate != NULL)
        error = server_error (cases[i].code, cases[i].sqlstate);
      else
        error = g_error_new_literal (FRAISE_ERROR, cases[i].code, "x");
      g_test_message ("case %u: code %d sqlstate %s", i, cases[i].code,
                      cases[i].sqlstate ? cases[i].sqlstate : "-");
      g_assert_cmpint (fraise_error_is_retriable (error), ==, cases[i].retriable);
    }
  g_assert_false (fraise_error_is_retriable (cancelled));
  g_assert_false (fraise_error_is_retriable (NULL));
}

static void
test_server_message_fields (void)
{
  g_autoptr(FraiseServerMessage) message = _fraise_server_message_new ();
  static const char codes[] = "SVCMDHPWstcdn";
  g_autofree char *described = NULL;
  guint i;

  for (i = 0; codes[i] != '\0'; i++)
    {
      char value[8];
      g_snprintf (value, sizeof value, "v-%c", codes[i]);
      _fraise_server_message_set_field (message, codes[i], value, strlen (value));
    }
  _fraise_server_message_set_field (message, 'P', "17", 2);
  _fraise_server_message_set_field (message, 'C', "42P01xx", 5); /* only 5 bytes kept */

  g_assert_cmpstr (fraise_server_message_get_severity (message), ==, "v-V");
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "42P01");
  g_assert_cmpstr (fraise_server_message_get_message (message), ==, "v-M");
  g_assert_cmpstr (fraise_server_message_get_detail (message), ==, "v-D");
  g_assert_cmpstr (fraise_server_message_get_hint (message), ==, "v-H");
  g_assert_cmpint (fraise_server_message_get_position (message), ==, 17);
  g_assert_cmpstr (fraise_server_message_get_where (message), ==, "v-W");
  g_assert_cmpstr (fraise_server_message_get_schema_name (message), ==, "v-s");
  g_assert_cmpstr (fraise_server_message_get_table_name (message), ==, "v-t");
  g_assert_cmpstr (fraise_server_message_get_column_name (message), ==, "v-c");
  g_assert_cmpstr (fraise_server_message_get_constraint_name (message), ==, "v-n");
  g_assert_cmpstr (fraise_server_message_get_field (message, 'd'), ==, "v-d");
  g_assert_null (fraise_server_message_get_field (message, 'q'));

  described = _fraise_server_message_describe (message);
  g_assert_cmpstr (described, ==, "v-M (SQLSTATE 42P01); v-D; hint: v-H");
}

static void
test_extended_error (void)
{
  g_autoptr(GError) error = server_error (FRAISE_ERROR_SERVER, "42P01");
  g_autoptr(GError) copy = g_error_copy (error);
  g_autoptr(GError) plain = g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_SERVER, "x");
  g_autoptr(GError) foreign = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  FraiseServerMessage *message;

  message = fraise_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "42P01");

  /* Copies share the message; freeing the original keeps the copy's. */
  g_clear_error (&error);
  message = fraise_error_get_server_message (copy);
  g_assert_nonnull (message);
  g_assert_cmpstr (fraise_server_message_get_message (message), ==, "boom");

  g_assert_null (fraise_error_get_server_message (plain));
  g_assert_null (fraise_error_get_server_message (foreign));
  g_assert_null (fraise_error_get_server_message (NULL));
}

static void
test_enum_type (void)
{
  GEnumClass *klass = g_type_class_ref (FRAISE_TYPE_ERROR);
  GEnumValue *value = g_enum_get_value (klass, FRAISE_ERROR_INVALID_SCHEMA);

  g_assert_nonnull (value);
  g_assert_cmpstr (value->value_nick, ==, "invalid-schema");
  g_assert_cmpuint (klass->n_values, ==, 15);
  g_type_class_unref (klass);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/category", test_category);
  g_test_add_func ("/error/retriable", test_retriable);
  g_test_add_func ("/error/server-message-fields", test_server_message_fields);
  g_test_add_func ("/error/extended", test_extended_error);
  g_test_add_func ("/error/enum-type", test_enum_type);

  return g_test_run ();
}
