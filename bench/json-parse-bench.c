/* json-parse-bench.c: fraise_json_parse() against json-glib's JsonParser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not built by default. After `meson compile -C build`, from the source root:
 *
 *   gcc -O2 -o /tmp/json-parse-bench bench/json-parse-bench.c \
 *     -DFRAISEWIRE_COMPILATION -DGETTEXT_PACKAGE='"fraisewire-1"' \
 *     -I fraisewire -I build/fraisewire build/fraisewire/libfraisewire-internal.a \
 *     $(pkg-config --cflags --libs json-glib-1.0 gio-unix-2.0 gnutls)
 *   /tmp/json-parse-bench [iterations]     (default 1000000)
 *
 * Parses a realistic ~450-byte entity row again and again, and prints rows
 * per second for: fraise_json_parse() (sealed tree), JsonParser reused across
 * rows (mutable and immutable trees), and field access by path without a
 * tree (fraise_json_lookup() + dup_string) against JsonParser + JsonObject.
 */

#include "fraise-json-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char entity[] =
  "{\"id\": \"3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60\", \"age\": 34, "
  "\"name\": \"Zoë Dupont\", \"tags\": [\"admin\", \"beta\", \"fr\"], "
  "\"email\": \"zoe.dupont@example.com\", \"score\": 98.25, \"status\": \"active\", "
  "\"address\": {\"city\": \"Paris\", \"street\": \"12 rue de la Paix\", \"country\": \"FR\", "
  "\"postal_code\": \"75002\"}, \"verified\": true, \"manager_id\": null, "
  "\"created_at\": \"2024-03-15T10:22:31.123456+00:00\", \"login_count\": 1287, "
  "\"preferences\": {\"theme\": \"dark\", \"notifications\": {\"sms\": false, \"email\": true}}}";

typedef void (*BenchFunc) (gpointer data, const char *text, gsize len);

static void
run_fraise_parse (G_GNUC_UNUSED gpointer data, const char *text, gsize len)
{
  JsonNode *node = fraise_json_parse (text, len, FRAISE_JSON_DEFAULT_MAX_DEPTH, NULL);

  if (G_UNLIKELY (node == NULL))
    g_error ("fraise_json_parse failed");
  json_node_unref (node);
}

static void
run_json_parser (gpointer data, const char *text, gsize len)
{
  if (G_UNLIKELY (!json_parser_load_from_data (data, text, (gssize) len, NULL)))
    g_error ("json_parser_load_from_data failed");
}

static void
run_fraise_lookup (G_GNUC_UNUSED gpointer data, const char *text, gsize len)
{
  FraiseJsonValue value;
  char *city;

  if (G_UNLIKELY (!fraise_json_lookup (text, len, "address.city", &value, NULL)))
    g_error ("fraise_json_lookup failed");
  city = fraise_json_value_dup_string (&value, NULL);
  g_free (city);
}

static void
run_json_parser_lookup (gpointer data, const char *text, gsize len)
{
  JsonObject *root;
  char *city;

  if (G_UNLIKELY (!json_parser_load_from_data (data, text, (gssize) len, NULL)))
    g_error ("json_parser_load_from_data failed");
  root = json_node_get_object (json_parser_get_root (data));
  city = g_strdup (json_object_get_string_member (json_object_get_object_member (root, "address"),
                                                  "city"));
  g_free (city);
}

/* Returns rows per second. */
static double
measure (const char *label, BenchFunc func, gpointer data, guint iterations)
{
  gsize len = strlen (entity);
  gint64 start;
  double seconds, rate;

  for (guint i = 0; i < iterations / 20 + 1; i++)  /* warm-up */
    func (data, entity, len);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < iterations; i++)
    func (data, entity, len);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  rate = iterations / seconds;
  printf ("%-40s %10.0f rows/s  %8.1f MB/s  %6.3f us/row\n",
          label, rate, rate * (double) len / 1e6, 1e6 / rate);
  return rate;
}

static void
check_same_tree (void)
{
  JsonParser *parser = json_parser_new ();
  JsonNode *ours = fraise_json_parse (entity, strlen (entity), 0, NULL);

  if (!json_parser_load_from_data (parser, entity, -1, NULL) ||
      !json_node_equal (ours, json_parser_get_root (parser)))
    g_error ("the trees differ");
  json_node_unref (ours);
  g_object_unref (parser);
}

int
main (int argc, char **argv)
{
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  JsonParser *parser = json_parser_new ();
  JsonParser *immutable_parser = json_parser_new_immutable ();
  double ours, theirs, theirs_immutable, lookup, theirs_lookup;

  check_same_tree ();
  printf ("document: %zu bytes, %u iterations\n", strlen (entity), iterations);

  ours = measure ("fraise_json_parse (sealed)", run_fraise_parse, NULL, iterations);
  theirs = measure ("JsonParser (reused)", run_json_parser, parser, iterations);
  theirs_immutable = measure ("JsonParser (reused, immutable)", run_json_parser,
                              immutable_parser, iterations);
  lookup = measure ("fraise_json_lookup address.city + dup", run_fraise_lookup, NULL, iterations);
  theirs_lookup = measure ("JsonParser + get address.city", run_json_parser_lookup, parser,
                           iterations);

  printf ("parse speed-up: %.2fx (vs immutable JsonParser: %.2fx)\n",
          ours / theirs, ours / theirs_immutable);
  printf ("lookup speed-up: %.2fx\n", lookup / theirs_lookup);

  g_object_unref (parser);
  g_object_unref (immutable_parser);
  return 0;
}
