/* test-expr.c: the filter language: syntax, positioned errors, semantics
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A table of expression × document → TRUE/FALSE/UNKNOWN covers every
 * operator and every rule of docs/filter.md; a table of invalid expressions
 * checks the exact message, column and caret of each error. No server.
 *
 * The program also wraps json-glib's node constructors (json_node_alloc,
 * json_node_new, json_node_init) with counting versions that forward
 * through dlsym (RTLD_NEXT): the library calls the program's versions, so
 * the test can prove that evaluation builds no JsonNode.
 */

#define _GNU_SOURCE

#include "fraise-test-utils.h"
#include "fraise-expr-tree-private.h"
#include "fraise-json-private.h"

#include <dlfcn.h>
#include <string.h>

/* ---- counting JsonNode constructors ------------------------------------------------ */

static guint nodes_built;

JsonNode *
json_node_alloc (void)
{
  static JsonNode *(*real) (void);

  if (real == NULL)
    real = (JsonNode * (*) (void) ) dlsym (RTLD_NEXT, "json_node_alloc");
  nodes_built++;
  return real ();
}

JsonNode *
json_node_new (JsonNodeType type)
{
  static JsonNode *(*real) (JsonNodeType);

  if (real == NULL)
    real = (JsonNode * (*) (JsonNodeType)) dlsym (RTLD_NEXT, "json_node_new");
  nodes_built++;
  return real (type);
}

JsonNode *
json_node_init (JsonNode *node, JsonNodeType type)
{
  static JsonNode *(*real) (JsonNode *, JsonNodeType);

  if (real == NULL)
    real = (JsonNode * (*) (JsonNode *, JsonNodeType)) dlsym (RTLD_NEXT, "json_node_init");
  nodes_built++;
  return real (node, type);
}

/* ---- helpers ---------------------------------------------------------------------- */

static FraiseExpr *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  FraiseExpr *expr = fraise_expr_parse (text, &error);

  if (error != NULL)
    g_error ("\"%s\" does not parse: %s", text, error->message);
  g_assert_nonnull (expr);
  return expr;
}

static const char *
truth_name (FraiseTruth t)
{
  return t == FRAISE_TRUTH_TRUE ? "TRUE" : t == FRAISE_TRUTH_FALSE ? "FALSE" : "UNKNOWN";
}

/* Evaluates on an exact-size copy of @doc (no NUL after it), so that
 * AddressSanitizer would see a read past the end. */
static FraiseTruth
evaluate (const FraiseExpr *expr, const char *doc, GError **error)
{
  gsize len = strlen (doc);
  g_autofree char *copy = len > 0 ? g_memdup2 (doc, len) : NULL;

  return fraise_expr_evaluate (expr, copy, len, error);
}

/* ---- the semantics table ------------------------------------------------------------- */

#define T FRAISE_TRUTH_TRUE
#define F FRAISE_TRUTH_FALSE
#define U FRAISE_TRUTH_UNKNOWN

static const char user[] =
  "{\"status\": \"active\", \"age\": 34, \"score\": 98.25, \"name\": \"Zo\\u00eb\", "
  "\"tags\": [\"admin\", \"beta\", 7, null, [\"nested\"], {\"k\": 1}], "
  "\"address\": {\"city\": \"Paris\", \"zip\": \"75002\"}, \"verified\": true, "
  "\"banned\": false, \"manager\": null, \"empty\": \"\", \"list\": [], \"obj\": {}, "
  "\"odd key\": {\"x\": 1, \"a.b\": 2, \"[0]\": 3}, \"big\": 9007199254740993, "
  "\"one\": 1.0, \"huge\": 1e400, \"tiny\": -2.5e-400, \"in\": \"kw\", \"n5\": 5, \"s5\": \"5\"}";

typedef struct {
  const char *expr;
  const char *doc; /* NULL: the user document above */
  FraiseTruth expected;
} Case;

static const Case cases[] = {
  /* == and != on each type; missing paths are UNKNOWN */
  { "status == \"active\"", NULL, T },
  { "status == \"inactive\"", NULL, F },
  { "status != \"inactive\"", NULL, T },
  { "status != \"active\"", NULL, F },
  { "nope == \"active\"", NULL, U },
  { "nope != \"active\"", NULL, U },
  { "age == 34", NULL, T },
  { "age == 34.0", NULL, T },
  { "age == 3.4e1", NULL, T },
  { "age == 340e-1", NULL, T },
  { "age != 35", NULL, T },
  { "verified == true", NULL, T },
  { "verified == false", NULL, F },
  { "banned == false", NULL, T },
  { "banned != true", NULL, T },
  { "manager == null", NULL, T },
  { "manager != null", NULL, F },
  { "status != null", NULL, T },
  { "nope == null", NULL, U },
  /* different types: never equal, no coercion */
  { "s5 == 5", NULL, F },
  { "n5 == \"5\"", NULL, F },
  { "s5 != 5", NULL, T },
  { "verified == 1", NULL, F },
  { "manager == false", NULL, F },
  { "manager == \"\"", NULL, F },
  { "empty == null", NULL, F },
  { "tags == \"admin\"", NULL, F },
  { "address == null", NULL, F },
  { "obj != 1", NULL, T },
  /* numbers: exact decimals */
  { "one == 1", NULL, T },
  { "one == 10e-1", NULL, T },
  { "one == 0.1e1", NULL, T },
  { "one == 1.0000000000000000000001", NULL, F },
  { "big == 9007199254740993", NULL, T },
  { "big != 9007199254740992", NULL, T },
  { "big > 9007199254740992", NULL, T },
  { "huge == 1e400", NULL, T },
  { "huge == 10e399", NULL, T },
  { "huge < 2e400", NULL, T },
  { "huge > 1e399", NULL, T },
  { "tiny < 0", NULL, T },
  { "tiny == -25e-401", NULL, T },
  { "tiny > -3e-400", NULL, T },
  { "x == 0", "{\"x\": -0}", T },
  { "x == 0", "{\"x\": 0.000e5}", T },
  { "x < 0", "{\"x\": -0.0}", F },
  { "x > 1e99999999999999999999", "{\"x\": 1e100000000000000000000}", T },
  { "x == 1e100000000000000000000", "{\"x\": 10e99999999999999999999}", T },
  { "x < 1e-99999999999999999999", "{\"x\": 1e-100000000000000000000}", T },
  { "x > 1e-99999999999999999999", "{\"x\": 1e-99999999999999999998}", T },
  { "x > 1e5", "{\"x\": 1e99999999999999999999}", T },
  { "x < -1e5", "{\"x\": -1e99999999999999999999}", T },
  { "x < 1e-5", "{\"x\": 1e-99999999999999999999}", T },
  { "x > 0", "{\"x\": 1e-99999999999999999999}", T },
  { "x == 123.456", "{\"x\": 123456e-3}", T },
  { "x < 123.4561", "{\"x\": 123.456}", T },
  { "x > -123.4561", "{\"x\": -123.456}", T },
  { "x < -123.456", "{\"x\": -123.4561}", T },
  { "x >= 10", "{\"x\": 9.99999999999999999999}", F },
  { "x <= 10", "{\"x\": 9.99999999999999999999}", T },
  /* ordering */
  { "age > 18", NULL, T },
  { "age >= 34", NULL, T },
  { "age > 34", NULL, F },
  { "age < 34.0001", NULL, T },
  { "age <= 33", NULL, F },
  { "score > 98.2", NULL, T },
  { "status > \"a\"", NULL, T },
  { "status < \"b\"", NULL, T },
  { "status >= \"active\"", NULL, T },
  { "status < \"active\"", NULL, F },
  { "status < \"activez\"", NULL, T },
  { "nope > 1", NULL, U },
  { "s5 < 6", NULL, F },
  { "n5 < \"6\"", NULL, F },
  { "verified > 0", NULL, F },
  { "manager < 1", NULL, F },
  { "tags > 1", NULL, F },
  /* strings by code point, after decoding escapes */
  { "name == \"Zoë\"", NULL, T },
  { "name == \"Zo\\u00eb\"", NULL, T },
  { "name == \"Zoe\"", NULL, F },
  { "x < \"\\uffff\"", "{\"x\": \"\\ud800\\udc00\"}", F },
  { "x > \"\\uffff\"", "{\"x\": \"😀\"}", T },
  { "x > \"Z\"", "{\"x\": \"a\"}", T },
  { "x < \"é\"", "{\"x\": \"z\"}", T },
  { "x == \"a\\\"b\\\\c/\\n\"", "{\"x\": \"a\\\"b\\\\c\\/\\n\"}", T },
  { "x == \"\\ud83d\\ude00\"", "{\"x\": \"😀\"}", T },
  { "x == \"\\ufffd\"", "{\"x\": \"\\u0000\"}", T },
  /* in */
  { "status in [\"active\", \"pending\"]", NULL, T },
  { "status in [\"pending\"]", NULL, F },
  { "status in []", NULL, F },
  { "nope in [1, 2]", NULL, U },
  { "nope in []", NULL, U },
  { "age in [1, 34.00, \"34\"]", NULL, T },
  { "s5 in [5]", NULL, F },
  { "manager in [null]", NULL, T },
  { "verified in [false, true]", NULL, T },
  { "tags in [\"admin\"]", NULL, F },
  /* =~ */
  { "status =~ \"^act\"", NULL, T },
  { "status =~ \"^ive\"", NULL, F },
  { "name =~ \"^Zo.$\"", NULL, T },
  { "status =~ \"(?i)^ACTIVE$\"", NULL, T },
  { "n5 =~ \"5\"", NULL, F },
  { "tags =~ \"admin\"", NULL, F },
  { "manager =~ \".*\"", NULL, F },
  { "nope =~ \".*\"", NULL, U },
  /* PCRE's backtracking limit: the answer is not known */
  { "x =~ \"^(a+)+$\"", "{\"x\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}", U },
  { "x =~ \"^(a+)+$\"", "{\"x\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", T },
  /* contains: array element or substring */
  { "tags contains \"beta\"", NULL, T },
  { "tags contains \"gamma\"", NULL, F },
  { "tags contains 7", NULL, T },
  { "tags contains 7.0", NULL, T },
  { "tags contains \"7\"", NULL, F },
  { "tags contains null", NULL, T },
  { "tags contains \"nested\"", NULL, F },
  { "tags contains 1", NULL, F },
  { "list contains 1", NULL, F },
  { "status contains \"tiv\"", NULL, T },
  { "status contains \"\"", NULL, T },
  { "status contains \"vit\"", NULL, F },
  { "name contains \"oë\"", NULL, T },
  { "status contains 1", NULL, F },
  { "n5 contains 5", NULL, F },
  { "address contains \"city\"", NULL, F },
  { "manager contains null", NULL, F },
  { "nope contains 1", NULL, U },
  /* exists: missing and null are distinct; never UNKNOWN */
  { "exists manager", NULL, T },
  { "exists nope", NULL, F },
  { "exists address.city", NULL, T },
  { "exists address.nope", NULL, F },
  { "exists status.x", NULL, F },
  { "exists tags[5].k", NULL, T },
  { "exists tags[6]", NULL, F },
  { "!exists nope", NULL, T },
  /* paths */
  { "address.city == \"Paris\"", NULL, T },
  { "address.zip == \"75002\"", NULL, T },
  { "tags[0] == \"admin\"", NULL, T },
  { "tags[4][0] == \"nested\"", NULL, T },
  { "tags[5].k == 1", NULL, T },
  { "\"odd key\".x == 1", NULL, T },
  { "\"odd key\".\"a.b\" == 2", NULL, T },
  { "\"odd key\".\"[0]\" == 3", NULL, T },
  { "\"odd\\u0020key\".x == 1", NULL, T },
  { "\"in\" == \"kw\"", NULL, T },
  { "a.in == 1", "{\"a\": {\"in\": 1}}", T },
  { "[1] == 2", "[1, 2]", T },
  { "[0].id == 7", "[{\"id\": 7}]", T },
  { "\"\" == 1", "{\"\": 1}", T },
  { "a.b == 1", "{\"a\": 5}", U },
  { "a[0] == 1", "{\"a\": {\"0\": 1}}", U },
  { "a.\"0\" == 1", "{\"a\": {\"0\": 1}}", T },
  { "a == 2", "{\"a\": 1, \"a\": 2}", T },
  { "prénom == \"Zoé\"", "{\"prénom\": \"Zoé\"}", T },
  { "k == 1", "{\"\\u006b\": 1}", T },
  /* a path alone tests for JSON true */
  { "verified", NULL, T },
  { "banned", NULL, F },
  { "status", NULL, F },
  { "nope", NULL, U },
  { "!verified", NULL, F },
  { "!banned", NULL, T },
  { "!nope", NULL, U },
  /* Kleene logic */
  { "verified && age > 18", NULL, T },
  { "verified && age > 40", NULL, F },
  { "nope == 1 && age > 18", NULL, U },
  { "nope == 1 && age > 40", NULL, F },
  { "age > 40 && nope == 1", NULL, F },
  { "nope == 1 || age > 18", NULL, T },
  { "nope == 1 || age > 40", NULL, U },
  { "age > 40 || banned", NULL, F },
  { "!(nope == 1)", NULL, U },
  { "!(age > 40)", NULL, T },
  { "!!verified", NULL, T },
  { "!(nope == 1) || true_key", "{\"true_key\": true}", T },
  { "nope == 1 || !(nope == 1)", NULL, U },
  { "exists nope || nope == 1", NULL, U },
  /* precedence: ! > comparisons > && > || */
  { "banned && banned || verified", NULL, T },
  { "verified || banned && banned", NULL, T },
  { "(verified || banned) && banned", NULL, F },
  { "!banned && verified", NULL, T },
  { "!(banned || verified)", NULL, F },
  { "age > 18 && status == \"active\" || age < 0", NULL, T },
  { "age < 0 || age > 18 && status == \"x\"", NULL, F },
  { "((((age == 34))))", NULL, T },
  { "\tage\n==\r34 ", NULL, T },
  /* reading stops once the answer is known: the bad part is never read */
  { "age > 40 && bad.x contains 1", "{\"age\": 34, \"bad\": {\"x\": [1 2]}}", F },
  { "age < 40 || bad.x contains 1", "{\"age\": 34, \"bad\": {\"x\": [1 2]}}", T },
};

static void
test_semantics (void)
{
  guint failures = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (FraiseExpr) expr = parse_ok (cases[i].expr);
      g_autoptr (GError) error = NULL;
      FraiseTruth got = evaluate (expr, cases[i].doc != NULL ? cases[i].doc : user, &error);

      g_assert_no_error (error);
      if (got != cases[i].expected)
        {
          g_test_message ("%s on %s: %s, expected %s", cases[i].expr,
                          cases[i].doc != NULL ? cases[i].doc : "the user document",
                          truth_name (got), truth_name (cases[i].expected));
          failures++;
        }
    }
  g_test_message ("%zu cases", G_N_ELEMENTS (cases));
  g_assert_cmpuint (failures, ==, 0);
}

/* ---- exact decimals ------------------------------------------------------------------ */

static void
test_number_compare (void)
{
  static const struct {
    const char *a, *b;
    int order;
  } numbers[] = {
    { "0", "-0", 0 },
    { "0", "0.0e10", 0 },
    { "1", "1.0", 0 },
    { "1", "10e-1", 0 },
    { "1", "0.01e2", 0 },
    { "100", "1e2", 0 },
    { "100", "1E+2", 0 },
    { "-1", "1", -1 },
    { "-2", "-1", -1 },
    { "0.1", "0.09", 1 },
    { "9007199254740993", "9007199254740992", 1 },
    { "123456789012345678901234567890", "123456789012345678901234567891", -1 },
    { "1e400", "2e400", -1 },
    { "-1e400", "-2e400", 1 },
    { "1e-400", "0", 1 },
    { "1e-400", "1e-401", 1 },
    { "1e00000000000000000000000001", "10", 0 },
    { "1e100000000000000000000", "10e99999999999999999999", 0 },
    { "1e100000000000000000000", "1e99999999999999999999", 1 },
    { "1e-100000000000000000000", "1e-99999999999999999999", -1 },
    { "2e99999999999999999999", "1e99999999999999999999", 1 },
    { "1e99999999999999999999", "1e-99999999999999999999", 1 },
    { "1e1000000000000000000000", "1e999999999999999999999", 1 },
    { "1e12345678901234567890", "1e12345678901234567891", -1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      int got = fraise_json_number_compare (numbers[i].a, strlen (numbers[i].a), numbers[i].b,
                                            strlen (numbers[i].b));
      int back = fraise_json_number_compare (numbers[i].b, strlen (numbers[i].b), numbers[i].a,
                                             strlen (numbers[i].a));

      if ((got > 0) - (got < 0) != numbers[i].order || (back > 0) - (back < 0) != -numbers[i].order)
        g_error ("%s vs %s: %d / %d, expected %d", numbers[i].a, numbers[i].b, got, back,
                 numbers[i].order);
    }
}

/* ---- positioned errors ------------------------------------------------------------- */

typedef struct {
  const char *expr;
  FraiseParseError code;
  guint column;
  const char *reason;
} ErrorCase;

static const ErrorCase errors[] = {
  { "", FRAISE_PARSE_ERROR_SYNTAX, 1, "the expression is empty" },
  { "   ", FRAISE_PARSE_ERROR_SYNTAX, 1, "the expression is empty" },
  { "age >= )", FRAISE_PARSE_ERROR_SYNTAX, 8, "expected a value after \">=\"" },
  { "age >=", FRAISE_PARSE_ERROR_SYNTAX, 7, "expected a value after \">=\"" },
  { "age >== 18", FRAISE_PARSE_ERROR_SYNTAX, 7,
    "unexpected \"=\": write \"==\" to compare or \"=~\" to match" },
  { "age = 18", FRAISE_PARSE_ERROR_SYNTAX, 5,
    "unexpected \"=\": write \"==\" to compare or \"=~\" to match" },
  { "a == 1 & b", FRAISE_PARSE_ERROR_SYNTAX, 8, "unexpected \"&\": write \"&&\"" },
  { "a == 1 | b", FRAISE_PARSE_ERROR_SYNTAX, 8, "unexpected \"|\": write \"||\"" },
  { "a == 'x'", FRAISE_PARSE_ERROR_SYNTAX, 6, "strings are written in double quotes" },
  { "a == \"abc", FRAISE_PARSE_ERROR_SYNTAX, 6, "unterminated string" },
  { "a == \"a\\qb\"", FRAISE_PARSE_ERROR_SYNTAX, 8, "invalid escape sequence in a string" },
  { "a == \"\\u12\"", FRAISE_PARSE_ERROR_SYNTAX, 7,
    "invalid \\u escape (expected four hex digits)" },
  { "a == \"\\u0000\"", FRAISE_PARSE_ERROR_BAD_VALUE, 7, "a string cannot contain U+0000" },
  { "a == \"\\ud800\"", FRAISE_PARSE_ERROR_BAD_VALUE, 7, "unpaired UTF-16 surrogate in a string" },
  { "a == \"\\udc00\"", FRAISE_PARSE_ERROR_BAD_VALUE, 7, "unpaired UTF-16 surrogate in a string" },
  { "a == \"x\ty\"", FRAISE_PARSE_ERROR_SYNTAX, 8, "unescaped control character in a string" },
  { "a == 01", FRAISE_PARSE_ERROR_SYNTAX, 6, "leading zeros are not allowed in a number" },
  { "a == 1.", FRAISE_PARSE_ERROR_SYNTAX, 8, "expected a digit after the decimal point" },
  { "a == 1e", FRAISE_PARSE_ERROR_SYNTAX, 8, "expected a digit in the exponent" },
  { "a == -x", FRAISE_PARSE_ERROR_SYNTAX, 7, "expected a digit after \"-\"" },
  { "a == 12abc", FRAISE_PARSE_ERROR_SYNTAX, 8, "invalid number" },
  { "a == +1", FRAISE_PARSE_ERROR_SYNTAX, 6, "unexpected character \"+\"" },
  { "a == [1]", FRAISE_PARSE_ERROR_SYNTAX, 6, "a list is only allowed after \"in\"" },
  { "a < true", FRAISE_PARSE_ERROR_BAD_VALUE, 5, "\"<\" orders numbers and strings only" },
  { "a >= null", FRAISE_PARSE_ERROR_BAD_VALUE, 6, "\">=\" orders numbers and strings only" },
  { "a in 1", FRAISE_PARSE_ERROR_SYNTAX, 6, "expected a list like [1, 2] after \"in\"" },
  { "a in [1 2]", FRAISE_PARSE_ERROR_SYNTAX, 9, "expected \",\" or \"]\" in the list" },
  { "a in [1,]", FRAISE_PARSE_ERROR_SYNTAX, 9, "expected a value in the list" },
  { "a in [1", FRAISE_PARSE_ERROR_SYNTAX, 8, "expected \",\" or \"]\" in the list" },
  { "a in [[1]]", FRAISE_PARSE_ERROR_SYNTAX, 7, "expected a value in the list" },
  { "a =~ 5", FRAISE_PARSE_ERROR_SYNTAX, 6,
    "expected a regular expression in a string after \"=~\"" },
  { "a contains", FRAISE_PARSE_ERROR_SYNTAX, 11, "expected a value after \"contains\"" },
  { "exists", FRAISE_PARSE_ERROR_SYNTAX, 7, "expected a path after \"exists\"" },
  { "exists 5", FRAISE_PARSE_ERROR_SYNTAX, 8, "expected a path after \"exists\"" },
  { "in == 1", FRAISE_PARSE_ERROR_SYNTAX, 1, "\"in\" is a keyword: quote it to use it as a key" },
  { "5 < age", FRAISE_PARSE_ERROR_SYNTAX, 1, "expected a path, \"(\", \"!\" or \"exists\"" },
  { "a == 1 &&", FRAISE_PARSE_ERROR_SYNTAX, 10,
    "unexpected end of the expression: expected a path, \"(\", \"!\" or \"exists\"" },
  { "a == 1 b", FRAISE_PARSE_ERROR_SYNTAX, 8,
    "expected \"&&\", \"||\" or the end of the expression" },
  { "a == 1)", FRAISE_PARSE_ERROR_SYNTAX, 7, "unmatched \")\"" },
  { "(a == 1", FRAISE_PARSE_ERROR_SYNTAX, 8, "expected \")\" to close the \"(\" of column 1" },
  { "a. == 1", FRAISE_PARSE_ERROR_SYNTAX, 4,
    "expected a key after \".\" (quote a key that is not a name: \"2024\")" },
  { "a[x] == 1", FRAISE_PARSE_ERROR_SYNTAX, 3, "expected an array index like [0]" },
  { "a[-1] == 1", FRAISE_PARSE_ERROR_SYNTAX, 3, "expected an array index like [0]" },
  { "a[1.5] == 1", FRAISE_PARSE_ERROR_SYNTAX, 3, "expected an array index like [0]" },
  { "a[1 == 1", FRAISE_PARSE_ERROR_SYNTAX, 5, "expected \"]\" after an array index" },
  { "a[99999999999999999999]", FRAISE_PARSE_ERROR_BAD_VALUE, 3, "array index too large" },
  { "!a == 1", FRAISE_PARSE_ERROR_SYNTAX, 4,
    "\"!\" applies to the path alone: write !(a == …) to negate a comparison" },
  { "a =~ \"(\"", FRAISE_PARSE_ERROR_BAD_VALUE, 6, NULL /* GLib's message follows */ },
  { "a == 1 @", FRAISE_PARSE_ERROR_SYNTAX, 8, "unexpected character \"@\"" },
  { "a == 1 \x01", FRAISE_PARSE_ERROR_SYNTAX, 8, "unexpected control character U+0001" },
  { "é == \"\xff\"", FRAISE_PARSE_ERROR_SYNTAX, 7, "invalid UTF-8" },
};

static void
check_error (const ErrorCase *ec)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseExpr) expr = fraise_expr_parse (ec->expr, &error);
  g_autofree char *expected = NULL;
  g_autofree char *caret = NULL;
  g_autofree char *shown = NULL;
  guint column = 0, line = 0;
  gsize offset = 0;

  if (expr != NULL)
    g_error ("\"%s\" parsed", ec->expr);
  g_assert_error (error, FRAISE_PARSE_ERROR, (gint) ec->code);
  g_assert_true (fraise_parse_error_get_position (error, &offset, &line, &column));
  g_assert_cmpuint (line, ==, 1);
  if (column != ec->column)
    g_error ("\"%s\": column %u, expected %u (%s)", ec->expr, column, ec->column, error->message);
  g_assert_cmpuint (offset, <=, strlen (ec->expr));
  if (ec->reason == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("column %u: invalid regular expression: ", column);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      return;
    }
  /* "column N: reason", the text, and a caret under column N (the excerpt
   * shows control characters and invalid bytes as they are). */
  caret = g_strnfill (column - 1, ' ');
  shown = g_strdup (ec->expr);
  g_strdelimit (shown, "\t\r", ' ');
  expected = g_strdup_printf ("column %u: %s\n  %s\n  %s^", ec->column, ec->reason, shown, caret);
  if (g_strcmp0 (error->message, expected) != 0)
    g_error ("\"%s\":\n%s\nexpected\n%s", ec->expr, error->message, expected);
}

static void
test_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (errors); i++)
    check_error (&errors[i]);
}

/* Nesting is bounded: 100 000 '(' or '!' are an error, not a stack overflow. */
static void
test_depth_limit (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FraiseExpr) ok = NULL;
  GString *text = g_string_new (NULL);
  g_autofree char *open = g_strnfill (FRAISE_EXPR_MAX_DEPTH, '(');
  g_autofree char *close = g_strnfill (FRAISE_EXPR_MAX_DEPTH, ')');
  g_autofree char *nested_ok = NULL;
  g_autofree char *too_deep = NULL;
  FraiseExpr *expr;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '(');
  expr = fraise_expr_parse (text->str, &error);
  g_assert_null (expr);
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "nests deeper than"));
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '!');
  g_string_append (text, "a");
  expr = fraise_expr_parse (text->str, &error);
  g_assert_null (expr);
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  g_clear_error (&error);

  /* At the limit it parses; a long flat chain is no deeper than one level. */
  nested_ok = g_strdup_printf ("%s a == 1 %s", open, close);
  ok = parse_ok (nested_ok);
  g_assert_cmpint (evaluate (ok, "{\"a\": 1}", NULL), ==, FRAISE_TRUTH_TRUE);
  too_deep = g_strdup_printf ("(%s a == 1 %s)", open, close);
  g_assert_null (fraise_expr_parse (too_deep, &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  g_clear_error (&error);
  g_string_truncate (text, 0);
  g_string_append (text, "a == 0");
  for (guint i = 1; i < 100000; i++)
    g_string_append_printf (text, " %s a == %u", i % 2 ? "||" : "&&", i);
  g_clear_pointer (&ok, fraise_expr_unref);
  ok = parse_ok (text->str);
  g_assert_cmpint (evaluate (ok, "{\"a\": 99999}", NULL), ==, FRAISE_TRUTH_TRUE);
  g_string_free (text, TRUE);
}

/* ---- invalid documents ------------------------------------------------------------- */

static void
test_invalid_json (void)
{
  static const struct {
    const char *expr, *doc;
  } bad[] = {
    { "a == 1", "{\"a\": 1" },
    { "a == 1", "{\"a\" 1}" },
    { "a == 1", "[" },
    { "a == \"x\"", "{\"a\": \"x\\q\"}" },
    { "a == \"x\"", "{\"a\": \"\xc3\x28\"}" },
    { "a contains 3", "{\"a\": [1 2 3]}" },
    { "a contains \"y\"", "{\"a\": [1, \"\\x\", \"y\"]}" },
    { "age < 40 && bad.x contains 2", "{\"age\": 34, \"bad\": {\"x\": [1 2]}}" },
    { "exists b", "{\"a\": tru, \"b\": 1}" },
    { "b", "{\"a\": 01, \"b\": true}" },
    { "a == 1 || b == 2", "{\"a\": 2, \"b\": }" },
    { "!(a == 1)", "{\"a\": 1x}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (FraiseExpr) expr = parse_ok (bad[i].expr);
      g_autoptr (GError) error = NULL;
      FraiseTruth got = evaluate (expr, bad[i].doc, &error);

      if (got != FRAISE_TRUTH_UNKNOWN || error == NULL)
        g_error ("%s on %s: %s without an error", bad[i].expr, bad[i].doc, truth_name (got));
      g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
      g_assert_true (g_str_has_prefix (error->message, "invalid JSON at byte "));
    }
}

/* ---- no JsonNode ------------------------------------------------------------------- */

static void
test_no_json_node (void)
{
  g_autoptr (FraiseExpr) expr = parse_ok (
    "status == \"active\" && age >= 18 && (tags contains \"beta\" || name =~ \"^Z\") && "
    "!(\"odd key\".x in [2, 3]) && exists manager && address.city < \"Q\" && verified");
  g_autoptr (GError) error = NULL;
  JsonNode *node;
  guint before;

  /* The counter works: the tree parser goes through the wrapped functions. */
  nodes_built = 0;
  node = fraise_json_parse (user, strlen (user), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes_built, >, 10);
  json_node_unref (node);

  before = nodes_built = 0;
  for (guint i = 0; i < 5000; i++)
    g_assert_cmpint (fraise_expr_evaluate (expr, user, strlen (user), NULL), ==, FRAISE_TRUTH_TRUE);
  g_assert_cmpuint (nodes_built, ==, before);
}

/* ---- the tree ---------------------------------------------------------------------- */

static void
test_tree (void)
{
  g_autoptr (FraiseExpr) expr = parse_ok ("a == 1 || b && !c || \"x.y\"[2] in [null, \"s\", -1e3]");
  const FraiseExprNode *root = expr->root, *in;

  g_assert_cmpstr (fraise_expr_get_text (expr), ==,
                   "a == 1 || b && !c || \"x.y\"[2] in [null, \"s\", -1e3]");
  g_assert_cmpint (root->kind, ==, FRAISE_EXPR_NODE_OR);
  g_assert_cmpuint (root->n_children, ==, 3);
  g_assert_cmpint (root->children[0]->kind, ==, FRAISE_EXPR_NODE_COMPARE);
  g_assert_cmpint (root->children[1]->kind, ==, FRAISE_EXPR_NODE_AND);
  g_assert_cmpint (root->children[1]->children[1]->kind, ==, FRAISE_EXPR_NODE_NOT);
  g_assert_cmpint (root->children[1]->children[1]->children[0]->kind, ==, FRAISE_EXPR_NODE_TEST);
  in = root->children[2];
  g_assert_cmpint (in->op, ==, FRAISE_EXPR_OP_IN);
  g_assert_cmpuint (in->offset, ==, 21);
  g_assert_cmpstr (in->path.text, ==, "\"x.y\"[2]");
  g_assert_cmpuint (in->path.n_steps, ==, 2);
  g_assert_cmpstr (in->path.steps[0].key, ==, "x.y");
  g_assert_null (in->path.steps[1].key);
  g_assert_cmpuint (in->path.steps[1].index, ==, 2);
  g_assert_cmpuint (in->n_values, ==, 3);
  g_assert_cmpint (in->values[0].type, ==, FRAISE_JSON_TYPE_NULL);
  g_assert_cmpstr (in->values[1].text, ==, "s");
  g_assert_cmpstr (in->values[2].text, ==, "-1e3");
  g_assert_true (fraise_expr_ref (expr) == expr);
  fraise_expr_unref (expr);
}

/* The step lookup finds what the string path finds, and keys the path
 * syntax cannot spell. */
static void
test_lookup_steps (void)
{
  static const char doc[] = "{\"a\": {\"b.c\": [10, {\"d\": 5}]}, \"a.b\": 1, \"x[0]\": 2}";
  FraiseJsonStep steps[] = { { "a", 1, 0 }, { "b.c", 3, 0 }, { NULL, 0, 1 }, { "d", 1, 0 } };
  FraiseJsonStep dotted[] = { { "a.b", 3, 0 } };
  FraiseJsonStep bracket[] = { { "x[0]", 4, 0 } };
  FraiseJsonValue value, by_path;
  g_autoptr (GError) error = NULL;

  g_assert_true (fraise_json_lookup_steps (doc, strlen (doc), steps, 4, 0, &value, &error));
  g_assert_cmpint (value.type, ==, FRAISE_JSON_TYPE_NUMBER);
  g_assert_cmpmem (value.start, value.len, "5", 1);
  g_assert_true (fraise_json_lookup_steps (doc, strlen (doc), dotted, 1, 0, &value, &error));
  g_assert_cmpmem (value.start, value.len, "1", 1);
  g_assert_true (fraise_json_lookup_steps (doc, strlen (doc), bracket, 1, 0, &value, &error));
  g_assert_cmpmem (value.start, value.len, "2", 1);
  g_assert_false (fraise_json_lookup (doc, strlen (doc), "a.b", &value, &error));
  g_assert_no_error (error);
  g_assert_true (fraise_json_lookup_steps (doc, strlen (doc), NULL, 0, 0, &value, &error));
  g_assert_true (fraise_json_lookup (doc, strlen (doc), "", &by_path, &error));
  g_assert_true (value.start == by_path.start && value.len == by_path.len);
  g_assert_false (fraise_json_lookup_steps (doc, strlen (doc) - 1, steps, 1, 0, &value, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON);
}

/* fraise_query_set_filter() parses with this parser: an invalid expression
 * is refused with the positioned error and the previous filter stays (the
 * live test-filter checks which rows each one keeps). */
static void
test_query_set_filter (void)
{
  g_autoptr (FraiseQuery) query = fraise_query_new ("v_user");
  g_autoptr (GError) error = NULL;
  guint column = 0;

  g_assert_true (fraise_query_set_filter (query, "age >= 18", &error));
  g_assert_no_error (error);
  g_assert_false (fraise_query_set_filter (query, "age >= 18 &&", &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  g_assert_true (fraise_parse_error_get_position (error, NULL, NULL, &column));
  g_assert_cmpuint (column, ==, 13);
  g_clear_error (&error);
  g_assert_false (fraise_query_set_filter (query, "a =~ \"[\"", &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_true (fraise_query_set_filter (query, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/expr/semantics", test_semantics);
  g_test_add_func ("/expr/number-compare", test_number_compare);
  g_test_add_func ("/expr/errors", test_errors);
  g_test_add_func ("/expr/depth-limit", test_depth_limit);
  g_test_add_func ("/expr/invalid-json", test_invalid_json);
  g_test_add_func ("/expr/no-json-node", test_no_json_node);
  g_test_add_func ("/expr/tree", test_tree);
  g_test_add_func ("/expr/lookup-steps", test_lookup_steps);
  g_test_add_func ("/expr/query-set-filter", test_query_set_filter);
  return g_test_run ();
}
