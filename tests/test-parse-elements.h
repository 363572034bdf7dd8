/* test-parse-elements.h: elements with every kind of property, for the description tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

typedef enum {
  TEST_MODE_FAST,
  TEST_MODE_SLOW,
  TEST_MODE_CAREFUL,
} TestMode;

typedef enum {
  TEST_COLOR_RED = 1 << 0,
  TEST_COLOR_GREEN = 1 << 1,
  TEST_COLOR_BLUE = 1 << 2,
} TestColor;

/* "test-all": one property of each type a description can set (text, flag,
 * small, count, big, huge, ratio, mode, colors, items), plus `pattern`, a
 * string of lowercase letters whose setter refuses anything else with a
 * positioned error, as the filter's `expr` does; `peer` (an object) and
 * `status` (read-only) and `seed` (construct-only), which a description
 * cannot set. */
#define TEST_TYPE_ALL (test_all_get_type ())
G_DECLARE_FINAL_TYPE (TestAll, test_all, TEST, ALL, FraiseElement)

/* "test-secret": `password`, marked FRAISE_PARAM_SENSITIVE, and `label`. */
#define TEST_TYPE_SECRET (test_secret_get_type ())
G_DECLARE_FINAL_TYPE (TestSecret, test_secret, TEST, SECRET, FraiseElement)

/* How many times the `password` setter ran, and how many test elements
 * (of either type) were ever made and are still alive. */
extern guint test_secret_password_sets;
extern guint test_elements_made;
extern guint test_elements_alive;

/* A registry with "test-all" and "test-secret" only. */
FraiseRegistry *test_parse_registry_new (void);

G_END_DECLS
