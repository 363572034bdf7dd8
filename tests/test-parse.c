/* test-parse.c: pipeline descriptions, their errors, argv mode, untrusted
 * mode and the canonical text
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Most tests parse with a private registry holding the elements of
 * test-parse-elements.c, so every property type and the sensitive flag are
 * covered without depending on the built-in elements; the last ones go
 * through the default registry. Error tests compare the whole message:
 * position, reason and the caret excerpt.
 */

#include "fraise-test-utils.h"
#include "fraise-parse-private.h"
#include "fraise-pipeline-private.h"
#include "test-parse-elements.h"

#include <string.h>

static FraiseRegistry *registry;

static FraisePipeline *
parse_full (const char *description, FraiseParseFlags flags, GError **error)
{
  const char *tokens[] = { description, NULL };

  return _fraise_parse_tokens (registry, tokens, flags, error);
}

static FraisePipeline *
parse_ok (const char *description)
{
  g_autoptr(GError) error = NULL;
  FraisePipeline *pipeline = parse_full (description, FRAISE_PARSE_FLAG_NONE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pipeline);
  return pipeline;
}

static FraisePipeline *
parse_argv_ok (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  FraisePipeline *pipeline = _fraise_parse_tokens (registry, argv, FRAISE_PARSE_FLAG_NONE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pipeline);
  return pipeline;
}

static void
assert_error_is (
  GError *error, FraiseParseError code, const char *message, guint line, guint column)
{
  guint got_line = 0, got_column = 0;

  g_assert_error (error, FRAISE_PARSE_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_true (fraise_parse_error_get_position (error, NULL, &got_line, &got_column));
  g_assert_cmpuint (got_line, ==, line);
  g_assert_cmpuint (got_column, ==, column);
}

/* Parsing @description fails with @code and exactly @message, at @line:@column. */
static void
assert_fails (const char *description,
              FraiseParseFlags flags,
              FraiseParseError code,
              const char *message,
              guint line,
              guint column)
{
  g_autoptr(GError) error = NULL;
  FraisePipeline *pipeline = parse_full (description, flags, &error);

  g_assert_null (pipeline);
  assert_error_is (error, code, message, line, column);
}

/* The element @index of the chain (the pipeline holds it). */
static FraiseElement *
element_at (FraisePipeline *pipeline, guint index)
{
  g_autoptr(GPtrArray) elements = fraise_pipeline_get_elements (pipeline);

  g_assert_cmpuint (index, <, elements->len);
  return g_ptr_array_index (elements, index);
}

static FraiseElement *
dead_letter_at (FraisePipeline *pipeline, guint index)
{
  g_autoptr(GPtrArray) elements = fraise_pipeline_get_dead_letter_elements (pipeline);

  g_assert_cmpuint (index, <, elements->len);
  return g_ptr_array_index (elements, index);
}

static guint
chain_length (FraisePipeline *pipeline)
{
  g_autoptr(GPtrArray) elements = fraise_pipeline_get_elements (pipeline);

  return elements->len;
}

static guint
dead_letter_length (FraisePipeline *pipeline)
{
  g_autoptr(GPtrArray) elements = fraise_pipeline_get_dead_letter_elements (pipeline);

  return elements->len;
}

static char *
get_string (FraiseElement *element, const char *property)
{
  char *value = NULL;

  g_object_get (element, property, &value, NULL);
  return value;
}

/* ---- values ---------------------------------------------------------------- */

static void
test_values_every_type (void)
{
  g_autoptr(FraisePipeline) pipeline = parse_ok (
    "test-all text=hello flag=yes small=-10 count=1000 big=-9223372036854775808 "
    "huge=18446744073709551615 ratio=0.25 mode=careful colors=red+blue items=a,b,c");
  FraiseElement *element = element_at (pipeline, 0);
  g_autofree char *text = NULL;
  g_auto(GStrv) items = NULL;
  gboolean flag;
  int small, mode, colors;
  guint count;
  gint64 big;
  guint64 huge;
  double ratio;

  g_object_get (element, "text", &text, "flag", &flag, "small", &small, "count", &count, "big",
                &big, "huge", &huge, "ratio", &ratio, "mode", &mode, "colors", &colors, "items",
                &items, NULL);
  g_assert_cmpstr (text, ==, "hello");
  g_assert_true (flag);
  g_assert_cmpint (small, ==, -10);
  g_assert_cmpuint (count, ==, 1000);
  g_assert_cmpint (big, ==, G_MININT64);
  g_assert_cmpuint (huge, ==, G_MAXUINT64);
  g_assert_cmpfloat (ratio, ==, 0.25);
  g_assert_cmpint (mode, ==, TEST_MODE_CAREFUL);
  g_assert_cmpint (colors, ==, TEST_COLOR_RED | TEST_COLOR_BLUE);
  g_assert_cmpstrv (items, ((const char *const[]){ "a", "b", "c", NULL }));
}

static void
test_values_spellings (void)
{
  g_autoptr(FraisePipeline) pipeline = parse_ok (
    "test-all flag=TRUE mode=TEST_MODE_SLOW colors=green|TEST_COLOR_RED items=x ratio=1e-1"
    " ! test-all flag=No colors=\"\" items=\"\" ! test-all items='x\\,y,z\\\\' "
    "! test-all items=x\\\\,y,");
  g_auto(GStrv) items1 = NULL, items2 = NULL, items3 = NULL, items4 = NULL;
  gboolean flag0, flag1;
  int mode, colors0, colors1;
  double ratio;

  g_object_get (element_at (pipeline, 0), "flag", &flag0, "mode", &mode, "colors", &colors0,
                "items", &items1, "ratio", &ratio, NULL);
  g_object_get (element_at (pipeline, 1), "flag", &flag1, "colors", &colors1, "items", &items2,
                NULL);
  g_object_get (element_at (pipeline, 2), "items", &items3, NULL);
  g_object_get (element_at (pipeline, 3), "items", &items4, NULL);
  g_assert_true (flag0);
  g_assert_false (flag1);
  g_assert_cmpint (mode, ==, TEST_MODE_SLOW);
  g_assert_cmpint (colors0, ==, TEST_COLOR_GREEN | TEST_COLOR_RED);
  g_assert_cmpint (colors1, ==, 0);
  g_assert_cmpfloat (ratio, ==, 0.1);
  g_assert_cmpstrv (items1, ((const char *const[]){ "x", NULL }));
  g_assert_cmpstrv (items2, ((const char *const[]){ NULL }));
  /* In single quotes \, and \\ reach the list: a comma inside an item, a
   * backslash. Bare, the lexer takes one backslash away first. */
  g_assert_cmpstrv (items3, ((const char *const[]){ "x,y", "z\\", NULL }));
  g_assert_cmpstrv (items4, ((const char *const[]){ "x,y", "", NULL }));
}

static void
test_values_bad (void)
{
  assert_fails ("test-all small=11", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:16: property \"small\" of \"test-all0\" expects -10..10, got 11\n"
                "  test-all small=11\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all count=-1", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:16: property \"count\" of \"test-all0\" expects 1..1000, got -1\n"
                "  test-all count=-1\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all count=12abc", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:16: property \"count\" of \"test-all0\" expects 1..1000, got \"12abc\"\n"
                "  test-all count=12abc\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all big=9223372036854775808", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:14: property \"big\" of \"test-all0\" expects "
                "-9223372036854775808..9223372036854775807, got 9223372036854775808\n"
                "  test-all big=9223372036854775808\n"
                "               ^",
                1, 14);
  assert_fails ("test-all huge=+1", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:15: property \"huge\" of \"test-all0\" expects 0..18446744073709551615, got +1\n"
                "  test-all huge=+1\n"
                "                ^",
                1, 15);
  assert_fails ("test-all ratio=2", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:16: property \"ratio\" of \"test-all0\" expects a number in 0..1, got 2\n"
                "  test-all ratio=2\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all ratio=nan", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:16: property \"ratio\" of \"test-all0\" expects a number in 0..1, got \"nan\"\n"
                "  test-all ratio=nan\n"
                "                 ^",
                1, 16);
  /* A long value is cut in the message (not in the excerpt's window rule). */
  assert_fails ("test-all count=1234567890123456789012345678901234567890123456789", 0,
                FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:16: property \"count\" of \"test-all0\" expects 1..1000, got "
                "\"1234567890123456789012345678901234567890…\"\n"
                "  test-all count=1234567890123456789012345678901234567890123456789\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all flag=maybe", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:15: property \"flag\" of \"test-all0\" expects true or false, got \"maybe\"\n"
                "  test-all flag=maybe\n"
                "                ^",
                1, 15);
}

static void
test_values_nicks (void)
{
  assert_fails ("test-all mode=slwo", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:15: property \"mode\" of \"test-all0\" expects one of fast, slow, careful, "
                "got \"slwo\"; did you mean \"slow\"?\n"
                "  test-all mode=slwo\n"
                "                ^",
                1, 15);
  assert_fails ("test-all mode=zzzzzzzz", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:15: property \"mode\" of \"test-all0\" expects one of fast, slow, careful, "
                "got \"zzzzzzzz\"\n"
                "  test-all mode=zzzzzzzz\n"
                "                ^",
                1, 15);
  assert_fails ("test-all colors=red+grene", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:17: property \"colors\" of \"test-all0\" expects a combination of red, green, "
                "blue joined with \"+\", got \"red+grene\"; did you mean \"green\"?\n"
                "  test-all colors=red+grene\n"
                "                  ^",
                1, 17);
  assert_fails ("test-all colors=red++blue", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:17: property \"colors\" of \"test-all0\" expects a combination of red, green, "
                "blue joined with \"+\", got \"red++blue\"\n"
                "  test-all colors=red++blue\n"
                "                  ^",
                1, 17);
}

static void
test_values_not_settable (void)
{
  assert_fails ("test-all peer=x", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:10: property \"peer\" of \"test-all\" holds a GObject, which a description "
                "cannot set\n"
                "  test-all peer=x\n"
                "           ^",
                1, 10);
  assert_fails ("test-all status=busy", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:10: property \"status\" of \"test-all\" is read-only\n"
                "  test-all status=busy\n"
                "           ^",
                1, 10);
  assert_fails ("test-all seed=1", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:10: property \"seed\" of \"test-all\" is set only when the element is made, "
                "which a description cannot do\n"
                "  test-all seed=1\n"
                "           ^",
                1, 10);
}

/* A setter that refuses a value (the filter's expression, here a pattern)
 * is reported at the place inside the value, through the quoting. */
static void
test_values_refused_by_setter (void)
{
  const char *const argv[] = { "test-all", "!", "test-all", "pattern=ab1", NULL };
  g_autoptr(GError) error = NULL;

  assert_fails ("test-all pattern='abc1d'", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:22: property \"pattern\" of \"test-all0\": unexpected \"1\"\n"
                "  test-all pattern='abc1d'\n"
                "                       ^",
                1, 22);
  assert_fails ("test-all pattern=\"a\\\"b\"", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:21: property \"pattern\" of \"test-all0\": unexpected \"\"\"\n"
                "  test-all pattern=\"a\\\"b\"\n"
                "                      ^",
                1, 21);
  g_assert_null (_fraise_parse_tokens (registry, argv, 0, &error));
  assert_error_is (error, FRAISE_PARSE_ERROR_BAD_VALUE,
                   "1:31: property \"pattern\" of \"test-all1\": unexpected \"1\"\n"
                   "  test-all ! test-all pattern=ab1\n"
                   "                                ^",
                   1, 31);
}

/* ---- syntax ---------------------------------------------------------------- */

static void
test_syntax_links (void)
{
  assert_fails ("test-all ! ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:12: expected an element after \"!\", not another \"!\"\n"
                "  test-all ! ! test-all\n"
                "             ^",
                1, 12);
  assert_fails ("! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:1: expected an element before \"!\"\n"
                "  ! test-all\n"
                "  ^",
                1, 1);
  assert_fails ("test-all !", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:11: expected an element after \"!\"\n"
                "  test-all !\n"
                "            ^",
                1, 11);
  assert_fails ("  ", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:3: the description is empty: expected an element\n"
                "    \n"
                "    ^",
                1, 3);
  assert_fails ("test-all test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:10: expected \"!\" or a property before \"test-all\"\n"
                "  test-all test-all\n"
                "           ^",
                1, 10);
  assert_fails ("small=1 ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:1: expected an element name before \"small=\"\n"
                "  small=1 ! test-all\n"
                "  ^",
                1, 1);
}

static void
test_syntax_words (void)
{
  assert_fails ("test-all text=\"abc", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:15: this double quote is never closed\n"
                "  test-all text=\"abc\n"
                "                ^",
                1, 15);
  assert_fails ("test-all text='abc", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:15: this single quote is never closed\n"
                "  test-all text='abc\n"
                "                ^",
                1, 15);
  assert_fails ("test-all flag= ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:15: expected a value after \"=\" (\"\" is the empty one)\n"
                "  test-all flag= ! test-all\n"
                "                ^",
                1, 15);
  assert_fails ("test-all =x", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:10: expected a property name before \"=\"\n"
                "  test-all =x\n"
                "           ^",
                1, 10);
  assert_fails ("test-all te\"xt=1", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:12: unexpected quote: only a value, after \"=\", is quoted\n"
                "  test-all te\"xt=1\n"
                "             ^",
                1, 12);
  assert_fails ("test-all, test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:9: unexpected \",\": a name has only letters, digits, \"-\" and \"_\"\n"
                "  test-all, test-all\n"
                "          ^",
                1, 9);
  assert_fails ("test-all text=a\\", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:16: a backslash at the end escapes nothing\n"
                "  test-all text=a\\\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all small=1 small=2", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:18: property \"small\" of \"test-all\" is set twice\n"
                "  test-all small=1 small=2\n"
                "                   ^",
                1, 18);
  assert_fails ("test-all text=\xc3\xa9\xff", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:16: the description is not valid UTF-8\n"
                "  test-all text=\xc3\xa9\n"
                "                 ^",
                1, 16);
}

static void
test_syntax_errors_keyword (void)
{
  assert_fails ("errors ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:1: expected an element before \"errors\"\n"
                "  errors ! test-all\n"
                "  ^",
                1, 1);
  assert_fails ("test-all ! errors ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:12: expected an element after \"!\", not \"errors\"\n"
                "  test-all ! errors ! test-all\n"
                "             ^",
                1, 12);
  assert_fails ("test-all errors ! test-all errors ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:28: a pipeline has only one \"errors\" branch\n"
                "  test-all errors ! test-all errors ! test-all\n"
                "                             ^",
                1, 28);
  assert_fails ("test-all errors", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:16: expected an element after \"errors\"\n"
                "  test-all errors\n"
                "                 ^",
                1, 16);
  assert_fails ("test-all errors ! ! test-all", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "1:19: expected an element after \"!\", not another \"!\"\n"
                "  test-all errors ! ! test-all\n"
                "                    ^",
                1, 19);
}

/* ---- names ----------------------------------------------------------------- */

static void
test_unknown_element (void)
{
  assert_fails ("test-all ! test-al", 0, FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
                "1:12: no element \"test-al\"; did you mean \"test-all\"?\n"
                "  test-all ! test-al\n"
                "             ^",
                1, 12);
  assert_fails ("zzzzzzzzzz", 0, FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
                "1:1: no element \"zzzzzzzzzz\"\n"
                "  zzzzzzzzzz\n"
                "  ^",
                1, 1);
}

static void
test_unknown_property (void)
{
  assert_fails ("test-all rato=1", 0, FRAISE_PARSE_ERROR_NO_SUCH_PROPERTY,
                "1:10: element \"test-all\" has no property \"rato\"; did you mean \"ratio\"?\n"
                "  test-all rato=1\n"
                "           ^",
                1, 10);
  /* Read-only properties are not suggested: status is not writable. */
  assert_fails ("test-all statuz=1", 0, FRAISE_PARSE_ERROR_NO_SUCH_PROPERTY,
                "1:10: element \"test-all\" has no property \"statuz\"\n"
                "  test-all statuz=1\n"
                "           ^",
                1, 10);
}

static void
test_element_names (void)
{
  g_autoptr(FraisePipeline) pipeline = parse_ok ("test-all name=first ! test-all ! test-all");
  g_autofree char *described = fraise_pipeline_to_description (pipeline);

  g_assert_cmpstr (fraise_element_get_name (element_at (pipeline, 0)), ==, "first");
  /* The first free number: an explicit name does not use one up. */
  g_assert_cmpstr (fraise_element_get_name (element_at (pipeline, 1)), ==, "test-all0");
  g_assert_cmpstr (fraise_element_get_name (element_at (pipeline, 2)), ==, "test-all1");
  g_assert_cmpstr (described, ==, "test-all name=first ! test-all ! test-all");
  assert_fails ("test-all name=''", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:15: an element's name cannot be empty\n"
                "  test-all name=''\n"
                "                ^",
                1, 15);
  /* A name taken by an unnamed element before it. */
  assert_fails ("test-all ! test-all name=test-all0", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:26: two elements are named \"test-all0\"\n"
                "  test-all ! test-all name=test-all0\n"
                "                           ^",
                1, 26);
  assert_fails ("test-all name=x ! test-all name=x", 0, FRAISE_PARSE_ERROR_BAD_VALUE,
                "1:33: two elements are named \"x\"\n"
                "  test-all name=x ! test-all name=x\n"
                "                                  ^",
                1, 33);
}

/* ---- layout ---------------------------------------------------------------- */

static void
test_multi_line (void)
{
  g_autoptr(FraisePipeline) pipeline =
               parse_ok ("test-all\n\ttext='two\nlines'\r\n  ! test-all small=2\n");
  g_autofree char *text = get_string (element_at (pipeline, 0), "text");

  g_assert_cmpuint (chain_length (pipeline), ==, 2);
  g_assert_cmpstr (text, ==, "two\nlines");
  assert_fails ("test-all\n  ! test-all small=1\n  ! test-al", 0,
                FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
                "3:5: no element \"test-al\"; did you mean \"test-all\"?\n"
                "    ! test-al\n"
                "      ^",
                3, 5);
  assert_fails ("test-all\n  ! test-all sm\xc3\xa0ll=1", 0, FRAISE_PARSE_ERROR_SYNTAX,
                "2:16: unexpected \"\xc3\xa0\": a name has only letters, digits, \"-\" and \"_\"\n"
                "    ! test-all sm\xc3\xa0ll=1\n"
                "                 ^",
                2, 16);
}

static void
test_quoting (void)
{
  static const struct {
    const char *description;
    const char *text;
  } cases[] = {
    { "test-all text=\"a b\"", "a b" },
    { "test-all text=a\"b c\"d", "ab cd" },
    { "test-all text=\"say \\\"hi\\\"\"", "say \"hi\"" },
    { "test-all text='it\\'s'", "it's" },
    { "test-all text='a\\.b'", "a\\.b" },
    { "test-all text=\"a\\.b\"", "a.b" },
    { "test-all text=a\\ b", "a b" },
    { "test-all text=a\\!b", "a!b" },
    { "test-all text=\"a ! b\"", "a ! b" },
    { "test-all text=''", "" },
    { "test-all text=\"\xc3\xa9t\xc3\xa9\"", "\xc3\xa9t\xc3\xa9" },
    { "test-all text=a=b", "a=b" },
    { "test-all text=\"'\"'\"'", "'\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FraisePipeline) pipeline = parse_ok (cases[i].description);
      g_autofree char *text = get_string (element_at (pipeline, 0), "text");

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_link_without_spaces (void)
{
  g_autoptr(FraisePipeline) pipeline = parse_ok ("test-all text=a!test-all!test-all");
  g_autofree char *text = get_string (element_at (pipeline, 0), "text");

  g_assert_cmpuint (chain_length (pipeline), ==, 3);
  g_assert_cmpstr (text, ==, "a");
}

/* ---- argv ------------------------------------------------------------------ */

static void
test_argv_verbatim (void)
{
  const char *const argv[] = { "test-all",   "text=a ! b",  "!", "test-all",
                               "text=\"q\"", "items=x\\,y", NULL };
  g_autoptr(FraisePipeline) pipeline = parse_argv_ok (argv);
  g_autofree char *first = get_string (element_at (pipeline, 0), "text");
  g_autofree char *second = get_string (element_at (pipeline, 1), "text");
  g_auto(GStrv) items = NULL;

  g_object_get (element_at (pipeline, 1), "items", &items, NULL);
  g_assert_cmpuint (chain_length (pipeline), ==, 2);
  g_assert_cmpstr (first, ==, "a ! b");
  g_assert_cmpstr (second, ==, "\"q\"");
  g_assert_cmpstrv (items, ((const char *const[]){ "x,y", NULL }));
}

static void
test_argv_single_is_description (void)
{
  const char *const argv[] = { "test-all ! test-all text='x y'", NULL };
  g_autoptr(FraisePipeline) pipeline = parse_argv_ok (argv);
  g_autofree char *text = get_string (element_at (pipeline, 1), "text");

  g_assert_cmpstr (text, ==, "x y");
}

static void
test_argv_errors (void)
{
  const char *const two_in_one[] = { "test-all", "test-all text=x", NULL };
  const char *const empty[] = { NULL };
  const char *const bang_inside[] = { "test-all", "!test-all", NULL };
  const char *const dead_letter[] = { "test-all", "errors", "!", "test-all", "text=a b", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FraisePipeline) pipeline = NULL;
  g_autofree char *text = NULL;

  g_assert_null (_fraise_parse_tokens (registry, two_in_one, 0, &error));
  assert_error_is (error, FRAISE_PARSE_ERROR_SYNTAX,
                   "1:10: expected an element name, \"!\" or property=value as one argument, "
                   "got \"test-all text=x\"\n"
                   "  test-all test-all text=x\n"
                   "           ^",
                   1, 10);
  g_clear_error (&error);
  g_assert_null (_fraise_parse_tokens (registry, empty, 0, &error));
  assert_error_is (error, FRAISE_PARSE_ERROR_SYNTAX,
                   "1:1: the description is empty: expected an element\n"
                   "  \n"
                   "  ^",
                   1, 1);
  g_clear_error (&error);
  g_assert_null (_fraise_parse_tokens (registry, bang_inside, 0, &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_SYNTAX);
  pipeline = parse_argv_ok (dead_letter);
  text = get_string (dead_letter_at (pipeline, 0), "text");
  g_assert_cmpstr (text, ==, "a b");
}

/* ---- untrusted, no partial pipeline, dead letters -------------------------- */

static void
test_untrusted_refused_before_any_setter (void)
{
  guint sets = test_secret_password_sets, made = test_elements_made;
  g_autoptr(FraisePipeline) trusted = NULL;

  assert_fails ("test-all ! test-secret label=a password=hunter2", FRAISE_PARSE_FLAG_UNTRUSTED,
                FRAISE_PARSE_ERROR_UNTRUSTED,
                "1:32: property \"password\" of \"test-secret\" is sensitive: an untrusted "
                "description cannot set it\n"
                "  test-all ! test-secret label=a password=hunter2\n"
                "                                 ^",
                1, 32);
  /* Refused on the class: no element was even made, no setter ran. */
  g_assert_cmpuint (test_secret_password_sets, ==, sets);
  g_assert_cmpuint (test_elements_made, ==, made);

  /* Sensitive properties are refused before values are read: the bad value
   * of the first element is not what is reported. */
  assert_fails ("test-all small=99 ! test-secret password=x", FRAISE_PARSE_FLAG_UNTRUSTED,
                FRAISE_PARSE_ERROR_UNTRUSTED,
                "1:33: property \"password\" of \"test-secret\" is sensitive: an untrusted "
                "description cannot set it\n"
                "  test-all small=99 ! test-secret password=x\n"
                "                                  ^",
                1, 33);
  g_assert_cmpuint (test_elements_made, ==, made);

  /* The same element without the sensitive property, and trusted parsing. */
  g_object_unref (parse_full ("test-secret label=a", FRAISE_PARSE_FLAG_UNTRUSTED, NULL));
  trusted = parse_ok ("test-secret password=hunter2");
  g_assert_cmpuint (test_secret_password_sets, ==, sets + 1);
}

static void
test_no_partial_pipeline (void)
{
  guint made = test_elements_made, alive = test_elements_alive;
  g_autoptr(GError) error = NULL;

  g_assert_null (parse_full ("test-all ! test-secret label=x ! test-all small=99", 0, &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_BAD_VALUE);
  /* The three elements were made in phase two, and all are gone again. */
  g_assert_cmpuint (test_elements_made, ==, made + 3);
  g_assert_cmpuint (test_elements_alive, ==, alive);
}

static void
test_dead_letter_branch (void)
{
  g_autoptr(FraisePipeline) pipeline =
               parse_ok ("test-all errors ! test-all text=x ! test-secret label=y");
  g_autoptr(FraisePipeline) without_link = parse_ok ("test-all errors test-all");
  g_autofree char *described = fraise_pipeline_to_description (pipeline);

  g_assert_cmpuint (chain_length (pipeline), ==, 1);
  g_assert_cmpuint (dead_letter_length (pipeline), ==, 2);
  g_assert_true (TEST_IS_ALL (dead_letter_at (pipeline, 0)));
  g_assert_true (TEST_IS_SECRET (dead_letter_at (pipeline, 1)));
  g_assert_cmpstr (fraise_element_get_name (dead_letter_at (pipeline, 0)), ==, "test-all1");
  g_assert_cmpstr (described, ==, "test-all errors ! test-all text=x ! test-secret label=y");
  g_assert_cmpuint (dead_letter_length (without_link), ==, 1);
}

/* ---- the canonical text ---------------------------------------------------- */

static void
test_describe_canonical (void)
{
  static const struct {
    const char *description;
    const char *canonical;
  } cases[] = {
    { "test-all", "test-all" },
    { "test-all ratio=0.5 count=1 name=test-all0 small=3", "test-all small=3" },
    { "test-all  items='a,b\\,c'   text=\"a b\"", "test-all text=\"a b\" items=\"a,b\\\\,c\"" },
    { "test-all mode=TEST_MODE_SLOW colors=blue|red flag=yes",
      "test-all flag=true mode=slow colors=red+blue" },
    { "test-all text='say \"hi\"' ! test-all text=\\\\", "test-all text=\"say \\\"hi\\\"\" ! "
                                                         "test-all text=\"\\\\\"" },
    { "test-all text=\"\" items=\"\" ratio=1e-3", "test-all text=\"\" ratio=0.001 items=\"\"" },
    { "test-all\n! test-all name='x y'", "test-all ! test-all name=\"x y\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FraisePipeline) pipeline = parse_ok (cases[i].description);
      g_autofree char *described = _fraise_describe_pipeline (pipeline);

      g_assert_cmpstr (described, ==, cases[i].canonical);
    }
}

static void
assert_elements_equal (FraiseElement *a, FraiseElement *b)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n_pspecs);

  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (b));
  g_assert_cmpstr (fraise_element_get_name (a), ==, fraise_element_get_name (b));
  g_assert_cmpstr (fraise_element_get_factory_name (a), ==, fraise_element_get_factory_name (b));
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) va = G_VALUE_INIT;
      g_auto(GValue) vb = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_READABLE) || !_fraise_value_type_is_textual (pspecs[i]))
        continue;
      g_value_init (&va, pspecs[i]->value_type);
      g_value_init (&vb, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (a), pspecs[i]->name, &va);
      g_object_get_property (G_OBJECT (b), pspecs[i]->name, &vb);
      if (!_fraise_value_equal (pspecs[i], &va, &vb))
        g_error ("property %s of %s differs after the round trip", pspecs[i]->name,
                 fraise_element_get_name (a));
    }
}

/* Both chains of @a and @b hold equal elements. */
static void
assert_pipelines_equal (FraisePipeline *a, FraisePipeline *b)
{
  g_autoptr(GPtrArray) chain_a = fraise_pipeline_get_elements (a);
  g_autoptr(GPtrArray) chain_b = fraise_pipeline_get_elements (b);
  g_autoptr(GPtrArray) dead_a = fraise_pipeline_get_dead_letter_elements (a);
  g_autoptr(GPtrArray) dead_b = fraise_pipeline_get_dead_letter_elements (b);

  g_assert_cmpuint (chain_a->len, ==, chain_b->len);
  for (guint i = 0; i < chain_a->len; i++)
    assert_elements_equal (g_ptr_array_index (chain_a, i), g_ptr_array_index (chain_b, i));
  g_assert_cmpuint (dead_a->len, ==, dead_b->len);
  for (guint i = 0; i < dead_a->len; i++)
    assert_elements_equal (g_ptr_array_index (dead_a, i), g_ptr_array_index (dead_b, i));
}

/* parse → describe → parse → describe is a fixed point, and the two
 * pipelines agree element by element, property by property. */
static void
assert_round_trip (const char *description)
{
  g_autoptr(FraisePipeline) first = parse_ok (description);
  g_autofree char *text1 = _fraise_describe_pipeline (first);
  g_autoptr(FraisePipeline) second = parse_ok (text1);
  g_autofree char *text2 = _fraise_describe_pipeline (second);

  g_test_message ("  described: %s", text1);
  g_assert_cmpstr (text1, ==, text2);
  assert_pipelines_equal (first, second);
}

static void
test_round_trip_corpus (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "descriptions", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      /* One description per paragraph (blank lines separate them). */
      lines = g_regex_split_simple ("\n\\s*\n", contents, 0, 0);
      for (gsize i = 0; lines[i] != NULL; i++)
        {
          if (g_strstrip (lines[i])[0] == '\0' || lines[i][0] == '#')
            continue;
          g_test_message ("round trip: %s", lines[i]);
          assert_round_trip (lines[i]);
          n++;
        }
    }
  g_assert_cmpuint (n, >=, 20);
}

/* The round trip notices a describer that drops a property: a pipeline
 * built in code with a value the text must carry. */
static void
test_round_trip_built_in_code (void)
{
  g_autoptr(FraisePipeline) pipeline = fraise_pipeline_new ();
  g_autoptr(FraiseElement) element =
               fraise_registry_make_element (registry, "test-all", NULL, NULL);
  const char *items[] = { "a,b", "c\\", "", NULL };
  g_autofree char *text = NULL;
  g_autoptr(FraisePipeline) parsed = NULL;

  g_object_set (element, "text", "x \"y\" !z", "ratio", 0.1 + 0.2, "huge", G_MAXUINT64, "colors",
                TEST_COLOR_GREEN | TEST_COLOR_BLUE, "items", items, NULL);
  fraise_pipeline_add (pipeline, element);
  text = _fraise_describe_pipeline (pipeline);
  g_assert_cmpstr (text, ==,
                   "test-all text=\"x \\\"y\\\" !z\" huge=18446744073709551615 "
                   "ratio=0.30000000000000004 colors=green+blue items=\"a\\\\,b,c\\\\\\\\,\"");
  parsed = parse_ok (text);
  assert_pipelines_equal (pipeline, parsed);
}

/* ---- the default registry and its built-in elements ------------------------ */

static void
test_builtin_limit_range (void)
{
  g_autoptr(GError) error = NULL;
  FraisePipeline *pipeline =
    fraise_pipeline_new_from_description ("query source=items ! limit count=-1", &error);

  g_assert_null (pipeline);
  assert_error_is (error, FRAISE_PARSE_ERROR_BAD_VALUE,
                   "1:34: property \"count\" of \"limit0\" expects 0..9223372036854775807, got -1\n"
                   "  query source=items ! limit count=-1\n"
                   "                                   ^",
                   1, 34);
}

static void
test_builtin_did_you_mean (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fraise_pipeline_new_from_description ("query ! limt count=1", &error));
  assert_error_is (error, FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
                   "1:9: no element \"limt\"; did you mean \"limit\"?\n"
                   "  query ! limt count=1\n"
                   "          ^",
                   1, 9);
}

/* A setter's refusal without a position of its own points at the value. */
static void
test_builtin_refused_order_by (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (
    fraise_pipeline_new_from_description ("query order-by=\"name sideways\" ! count-sink", &error));
  assert_error_is (error, FRAISE_PARSE_ERROR_BAD_VALUE,
                   "1:16: property \"order-by\" of \"query0\": order-by item \"name sideways\": "
                   "expected a path then asc, desc, nulls-first or nulls-last, got \"sideways\"\n"
                   "  query order-by=\"name sideways\" ! count-sink\n"
                   "                 ^",
                   1, 16);
}

static void
test_builtin_untrusted (void)
{
  const char *const argv[] = { "query", "source=items", "order-by-sql=name desc",
                               "!",     "count-sink",   NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FraisePipeline) trusted = NULL;

  g_assert_null (fraise_pipeline_new_from_description_full ("query where-sql=\"true\" ! count-sink",
                                                            FRAISE_PARSE_FLAG_UNTRUSTED, &error));
  assert_error_is (error, FRAISE_PARSE_ERROR_UNTRUSTED,
                   "1:7: property \"where-sql\" of \"query\" is sensitive: an untrusted "
                   "description cannot set it\n"
                   "  query where-sql=\"true\" ! count-sink\n"
                   "        ^",
                   1, 7);
  g_clear_error (&error);
  g_assert_null (fraise_pipeline_new_from_argv (argv, FRAISE_PARSE_FLAG_UNTRUSTED, &error));
  g_assert_error (error, FRAISE_PARSE_ERROR, FRAISE_PARSE_ERROR_UNTRUSTED);
  g_clear_error (&error);
  trusted = fraise_pipeline_new_from_argv (argv, FRAISE_PARSE_FLAG_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trusted);
}

static void
test_builtin_round_trip (void)
{
  const char *description = "query source=v_user order-by=name limit=100 ! limit count=25 "
                            "! sample every=3 ! count-sink errors ! count-sink name=dlq";
  g_autoptr(GError) error = NULL;
  g_autoptr(FraisePipeline) first = fraise_pipeline_new_from_description (description, &error);
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(FraisePipeline) second = NULL;

  g_assert_no_error (error);
  text1 = fraise_pipeline_to_description (first);
  second = fraise_pipeline_new_from_description (text1, &error);
  g_assert_no_error (error);
  text2 = fraise_pipeline_to_description (second);
  g_assert_cmpstr (text1, ==, text2);
  g_assert_nonnull (strstr (text1, "limit count=25"));
  g_assert_nonnull (strstr (text1, "errors ! count-sink name=dlq"));
  assert_pipelines_equal (first, second);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  registry = test_parse_registry_new ();

  g_test_add_func ("/parse/values/every-type", test_values_every_type);
  g_test_add_func ("/parse/values/spellings", test_values_spellings);
  g_test_add_func ("/parse/values/bad", test_values_bad);
  g_test_add_func ("/parse/values/nicks", test_values_nicks);
  g_test_add_func ("/parse/values/not-settable", test_values_not_settable);
  g_test_add_func ("/parse/values/refused-by-setter", test_values_refused_by_setter);
  g_test_add_func ("/parse/syntax/links", test_syntax_links);
  g_test_add_func ("/parse/syntax/words", test_syntax_words);
  g_test_add_func ("/parse/syntax/errors-keyword", test_syntax_errors_keyword);
  g_test_add_func ("/parse/names/unknown-element", test_unknown_element);
  g_test_add_func ("/parse/names/unknown-property", test_unknown_property);
  g_test_add_func ("/parse/names/element-names", test_element_names);
  g_test_add_func ("/parse/layout/multi-line", test_multi_line);
  g_test_add_func ("/parse/layout/quoting", test_quoting);
  g_test_add_func ("/parse/layout/link-without-spaces", test_link_without_spaces);
  g_test_add_func ("/parse/argv/verbatim", test_argv_verbatim);
  g_test_add_func ("/parse/argv/single-is-description", test_argv_single_is_description);
  g_test_add_func ("/parse/argv/errors", test_argv_errors);
  g_test_add_func ("/parse/untrusted/refused-before-any-setter",
                   test_untrusted_refused_before_any_setter);
  g_test_add_func ("/parse/no-partial-pipeline", test_no_partial_pipeline);
  g_test_add_func ("/parse/dead-letter-branch", test_dead_letter_branch);
  g_test_add_func ("/parse/describe/canonical", test_describe_canonical);
  g_test_add_func ("/parse/describe/round-trip-corpus", test_round_trip_corpus);
  g_test_add_func ("/parse/describe/round-trip-built-in-code", test_round_trip_built_in_code);
  g_test_add_func ("/parse/builtin/limit-range", test_builtin_limit_range);
  g_test_add_func ("/parse/builtin/did-you-mean", test_builtin_did_you_mean);
  g_test_add_func ("/parse/builtin/refused-order-by", test_builtin_refused_order_by);
  g_test_add_func ("/parse/builtin/untrusted", test_builtin_untrusted);
  g_test_add_func ("/parse/builtin/round-trip", test_builtin_round_trip);

  status = g_test_run ();
  g_object_unref (registry);
  return status;
}
