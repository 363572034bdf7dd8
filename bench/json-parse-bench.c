/* json-parse-bench.c: fraise_json_parse() against json-glib's JsonParser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built with the other benchmarks when configured with -Dbench=true (bench/run.sh
 * builds it as build-bench/bench/json-parse-bench). By hand, after
 * `meson compile -C build`, from the source root:
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
 * It also times building the same tree with direct json-glib calls (no
 * parsing at all): json-glib's allocation, hashing and sealing costs are a
 * floor that bounds the speed-up any JsonNode-producing parser can reach.
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
  city = g_strdup (
    json_object_get_string_member (json_object_get_object_member (root, "address"), "city"));
  g_free (city);
}

/* The same tree built directly with json-glib calls, without any parsing:
 * the cost of json-glib's object model alone, a floor for any parser that
 * produces JsonNode trees. */
static JsonNode *
str_node (const char *value)
{
  return json_node_init_string (json_node_alloc (), value);
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
build_entity_tree (void)
{
  JsonObject *root = json_object_new ();
  JsonObject *address = json_object_new ();
  JsonObject *preferences = json_object_new ();
  JsonObject *notifications = json_object_new ();
  JsonArray *tags = json_array_new ();
  JsonNode *tags_node = json_node_new (JSON_NODE_ARRAY);

  json_object_set_member (root, "id", str_node ("3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"));
  json_object_set_member (root, "age", json_node_init_int (json_node_alloc (), 34));
  json_object_set_member (root, "name", str_node ("Zoë Dupont"));
  json_array_add_element (tags, str_node ("admin"));
  json_array_add_element (tags, str_node ("beta"));
  json_array_add_element (tags, str_node ("fr"));
  json_node_take_array (tags_node, tags);
  json_object_set_member (root, "tags", tags_node);
  json_object_set_member (root, "email", str_node ("zoe.dupont@example.com"));
  json_object_set_member (root, "score", json_node_init_double (json_node_alloc (), 98.25));
  json_object_set_member (root, "status", str_node ("active"));
  json_object_set_member (address, "city", str_node ("Paris"));
  json_object_set_member (address, "street", str_node ("12 rue de la Paix"));
  json_object_set_member (address, "country", str_node ("FR"));
  json_object_set_member (address, "postal_code", str_node ("75002"));
  json_object_set_member (root, "address", object_node (address));
  json_object_set_member (root, "verified", json_node_init_boolean (json_node_alloc (), TRUE));
  json_object_set_member (root, "manager_id", json_node_init_null (json_node_alloc ()));
  json_object_set_member (root, "created_at", str_node ("2024-03-15T10:22:31.123456+00:00"));
  json_object_set_member (root, "login_count", json_node_init_int (json_node_alloc (), 1287));
  json_object_set_member (notifications, "sms", json_node_init_boolean (json_node_alloc (), FALSE));
  json_object_set_member (notifications, "email",
                          json_node_init_boolean (json_node_alloc (), TRUE));
  json_object_set_member (preferences, "theme", str_node ("dark"));
  json_object_set_member (preferences, "notifications", object_node (notifications));
  json_object_set_member (root, "preferences", object_node (preferences));
  return object_node (root);
}

static void
run_floor (gpointer data, G_GNUC_UNUSED const char *text, G_GNUC_UNUSED gsize len)
{
  JsonNode *node = build_entity_tree ();

  if (data != NULL)
    json_node_seal (node);
  json_node_unref (node);
}

typedef struct {
  const char *label;
  BenchFunc func;
  gpointer data;
  double best; /* seconds per row, best round */
} Bench;

#define ROUNDS 10

/* Runs every benchmark for @iterations rows in total, interleaved in
 * ROUNDS rounds, and keeps the best round of each: this machine is shared,
 * and interleaving exposes every contender to the same load. */
static void
run_all (Bench *benches, gsize n, guint iterations)
{
  gsize len = strlen (entity);
  guint per_round = MAX (iterations / ROUNDS, 1);

  for (gsize b = 0; b < n; b++)
    {
      benches[b].best = G_MAXDOUBLE;
      for (guint i = 0; i < per_round / 10 + 1; i++) /* warm-up */
        benches[b].func (benches[b].data, entity, len);
    }

  for (guint r = 0; r < ROUNDS; r++)
    for (gsize b = 0; b < n; b++)
      {
        gint64 start = g_get_monotonic_time ();
        double per_row;

        for (guint i = 0; i < per_round; i++)
          benches[b].func (benches[b].data, entity, len);
        per_row = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC / per_round;
        benches[b].best = MIN (benches[b].best, per_row);
      }

  for (gsize b = 0; b < n; b++)
    printf ("%-40s %10.0f rows/s  %8.1f MB/s  %6.3f us/row\n", benches[b].label,
            1 / benches[b].best, (double) len / benches[b].best / 1e6, benches[b].best * 1e6);
}

static void
check_same_tree (void)
{
  JsonParser *parser = json_parser_new ();
  JsonNode *ours = fraise_json_parse (entity, strlen (entity), 0, NULL);
  JsonNode *floor = build_entity_tree ();

  if (!json_parser_load_from_data (parser, entity, -1, NULL) ||
      !json_node_equal (ours, json_parser_get_root (parser)) || !json_node_equal (ours, floor))
    g_error ("the trees differ");
  json_node_unref (ours);
  json_node_unref (floor);
  g_object_unref (parser);
}

int
main (int argc, char **argv)
{
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  JsonParser *parser = json_parser_new ();
  JsonParser *immutable_parser = json_parser_new_immutable ();
  Bench benches[] = {
    { "fraise_json_parse (sealed tree)", run_fraise_parse, NULL, 0 },
    { "JsonParser (reused)", run_json_parser, parser, 0 },
    { "JsonParser (reused, immutable)", run_json_parser, immutable_parser, 0 },
    { "fraise_json_lookup address.city + dup", run_fraise_lookup, NULL, 0 },
    { "JsonParser + get address.city", run_json_parser_lookup, parser, 0 },
    { "floor: json-glib tree, no parsing, sealed", run_floor, GINT_TO_POINTER (1), 0 },
    { "floor: json-glib tree, no parsing", run_floor, NULL, 0 },
  };

  check_same_tree ();
  printf ("document: %zu bytes, %u iterations each, best of %d interleaved rounds\n",
          strlen (entity), iterations, ROUNDS);
  run_all (benches, G_N_ELEMENTS (benches), iterations);

  printf ("parse speed-up: %.2fx vs JsonParser, %.2fx vs immutable JsonParser\n",
          benches[1].best / benches[0].best, benches[2].best / benches[0].best);
  printf ("lookup speed-up: %.2fx\n", benches[4].best / benches[3].best);
  printf ("parsing overhead above the sealed floor: %.3f us/row; "
          "best possible parse speed-up with json-glib trees: %.2fx\n",
          (benches[0].best - benches[5].best) * 1e6, benches[1].best / benches[5].best);

  g_object_unref (parser);
  g_object_unref (immutable_parser);
  return 0;
}
