/* bench-user.h: the GObject types of the benchmark's entity rows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * BenchUser has a property per field of the rows of v_bench_1m (and
 * v_bench_100k), BenchAddress those of their "address" object: what a GNOME
 * application would declare to list the rows as objects.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BENCH_TYPE_ADDRESS (bench_address_get_type ())
G_DECLARE_FINAL_TYPE (BenchAddress, bench_address, BENCH, ADDRESS, GObject)

#define BENCH_TYPE_USER (bench_user_get_type ())
G_DECLARE_FINAL_TYPE (BenchUser, bench_user, BENCH, USER, GObject)

struct _BenchAddress {
  GObject parent_instance;
  char *zip, *city, *street, *country;
};

struct _BenchUser {
  GObject parent_instance;
  gint64 id;
  int age;
  double score;
  gboolean verified;
  char *name, *email, *bio, *uuid, *status, *created_at;
  char **tags;
  BenchAddress *address;
};

G_END_DECLS
