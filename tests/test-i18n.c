/* test-i18n.c: translations: po/fr.po is complete and the library uses it
 *
 * The message tests run in subprocesses with LANGUAGE set before the first
 * gettext() call, so catalog caching cannot leak between languages. The
 * catalog comes from the build tree: FRAISE_LOCALEDIR (read by
 * _fraise_ensure_i18n()) defaults to <builddir>/po here, where meson builds
 * fr/LC_MESSAGES/fraisewire-1.mo.
 *
 * The po/ tests run xgettext over every file under fraisewire/ (not just
 * po/POTFILES), so a new _() string, a source file missing from POTFILES or
 * an untranslated French message all fail here. They skip when the gettext
 * tools are not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-test-utils.h"
#include "fraise-proto.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

/* ---- run-time messages -------------------------------------------------- */

typedef GError *(*TriggerFunc) (void);

static GError *
trigger_unknown_option (void)
{
  GError *error = NULL;
  FraiseClient *client = fraise_client_new ("host=localhost bogus_option=1", &error);

  g_assert_null (client);
  return error;
}

static GError *
trigger_bad_sslmode (void)
{
  GError *error = NULL;
  FraiseClient *client = fraise_client_new ("postgresql://localhost/db?sslmode=maybe", &error);

  g_assert_null (client);
  return error;
}

static GError *
trigger_two_at_signs (void)
{
  GError *error = NULL;
  FraiseClient *client = fraise_client_new ("postgresql://a@b@localhost/db", &error);

  g_assert_null (client);
  return error;
}

static GError *
trigger_wrong_operand (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("items");
  GError *error = NULL;

  g_assert_false (fraise_query_add_condition (query, "name", FRAISE_OPERATOR_EQ,
                                              g_variant_new_strv (NULL, 0), &error));
  return error;
}

static GError *
trigger_in_scalar (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("items");
  GError *error = NULL;

  g_assert_false (fraise_query_add_condition (query, "tags", FRAISE_OPERATOR_IN,
                                              g_variant_new_string ("x"), &error));
  return error;
}

static GError *
trigger_nan (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("items");
  GError *error = NULL;

  g_assert_false (fraise_query_add_condition (query, "price", FRAISE_OPERATOR_LT,
                                              g_variant_new_double (NAN), &error));
  return error;
}

static GError *
trigger_chunk_size (void)
{
  g_autoptr(FraiseQuery) query = fraise_query_new ("items");
  GError *error = NULL;

  fraise_query_set_chunk_size (query, 0);
  g_assert_null (fraise_query_execute_sync (query, NULL, &error));
  return error;
}

static GError *
parse_parameter_status (const char *body, gsize len)
{
  FraiseProtoFrame frame = { 'S', (const guint8 *) body, len };
  const char *name, *value;
  GError *error = NULL;

  g_assert_false (fraise_proto_parse_parameter_status (&frame, &name, &value, &error));
  return error;
}

/* g_dngettext(): French uses the singular for 0 and 1, the plural above. */
static GError *
trigger_one_extra_byte (void)
{
  return parse_parameter_status ("a\0b\0c", 5);
}

static GError *
trigger_two_extra_bytes (void)
{
  return parse_parameter_status ("a\0b\0cd", 6);
}

/* Description errors: the reason, its did-you-mean and the "expects"
 * part are translated; the position and the excerpt are not words. */
static GError *
trigger_description_range (void)
{
  GError *error = NULL;

  g_assert_null (fraise_pipeline_new_from_description ("query ! limit count=-1", &error));
  return error;
}

static GError *
trigger_description_element (void)
{
  GError *error = NULL;

  g_assert_null (fraise_pipeline_new_from_description ("query ! limt", &error));
  return error;
}

static const struct {
  const char *name;
  TriggerFunc trigger;
  int code; /* a FraiseError, or a FraiseParseError when parse_error is set */
  const char *english;
  const char *french;
  gboolean parse_error;
} message_cases[] = {
  { "unknown connection option", trigger_unknown_option, FRAISE_ERROR_CONFIG,
    "invalid connection option \"bogus_option\"", "option de connexion \"bogus_option\" invalide" },
  /* the list of accepted values is a translated string of its own */
  { "bad sslmode", trigger_bad_sslmode, FRAISE_ERROR_CONFIG,
    "invalid sslmode value: \"maybe\" (expected disable, allow, prefer, require, verify-ca or "
    "verify-full)",
    "valeur de sslmode invalide : \"maybe\" (attendu : disable, allow, prefer, require, "
    "verify-ca ou verify-full)" },
  { "two @ in a URI", trigger_two_at_signs, FRAISE_ERROR_CONFIG,
    "more than one \"@\" in the URI: percent-encode \"@\" as %40 in the user name and password",
    "plus d’un \"@\" dans l’URI : encodez \"@\" en %40 dans le nom d’utilisateur et le mot de "
    "passe" },
  { "operand of =", trigger_wrong_operand, FRAISE_ERROR_CONFIG,
    "operator \"eq\" expects a string, number or boolean, not as",
    "l’opérateur \"eq\" attend une chaîne, un nombre ou un booléen, pas as" },
  { "operand of IN", trigger_in_scalar, FRAISE_ERROR_CONFIG,
    "operator \"in\" expects an array of strings, numbers or booleans, not s",
    "l’opérateur \"in\" attend un tableau de chaînes, de nombres ou de booléens, pas s" },
  { "NaN", trigger_nan, FRAISE_ERROR_CONFIG, "a number value is NaN or infinite",
    "une valeur numérique est NaN ou infinie" },
  { "chunk-size 0", trigger_chunk_size, FRAISE_ERROR_CONFIG,
    "invalid chunk-size 0 (expected 1 to 1048576 rows)",
    "chunk-size 0 invalide (attendu : de 1 à 1048576 lignes)" },
  { "plural, n = 1", trigger_one_extra_byte, FRAISE_ERROR_PROTOCOL,
    "malformed ParameterStatus: 1 unexpected byte after the last field",
    "ParameterStatus mal formé : 1 octet inattendu après le dernier champ" },
  { "plural, n = 2", trigger_two_extra_bytes, FRAISE_ERROR_PROTOCOL,
    "malformed ParameterStatus: 2 unexpected bytes after the last field",
    "ParameterStatus mal formé : 2 octets inattendus après le dernier champ" },
  { "description range", trigger_description_range, FRAISE_PARSE_ERROR_BAD_VALUE,
    "1:21: property \"count\" of \"limit0\" expects 0..9223372036854775807, got -1\n"
    "  query ! limit count=-1\n"
    "                      ^",
    "1:21: la propriété \"count\" de \"limit0\" attend 0..9223372036854775807, reçu -1\n"
    "  query ! limit count=-1\n"
    "                      ^",
    TRUE },
  { "description element", trigger_description_element, FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
    "1:9: no element \"limt\"; did you mean \"limit\"?\n"
    "  query ! limt\n"
    "          ^",
    "1:9: aucun élément \"limt\" ; vouliez-vous dire \"limit\" ?\n"
    "  query ! limt\n"
    "          ^",
    TRUE },
};

/* Sets the language for this (sub)process; call before any message lookup. */
static void
set_language (const char *language)
{
  static const char *const locales[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "fr_FR.UTF-8" };
  const char *locale = NULL;
  guint i;

  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANG");
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  /* glibc ignores LANGUAGE in the plain "C" locale: use a UTF-8 one. */
  for (i = 0; i < G_N_ELEMENTS (locales) && locale == NULL; i++)
    locale = setlocale (LC_ALL, locales[i]);
  if (locale == NULL)
    g_error ("no UTF-8 locale available (tried C.UTF-8, en_US.UTF-8, fr_FR.UTF-8)");

  /* The domain is bound in FraiseClient's class_init; errors raised by
   * FraiseQuery or the protocol parser alone rely on it having run. */
  g_type_ensure (FRAISE_TYPE_CLIENT);
}

static void
check_messages (const char *language, gboolean french)
{
  guint i;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  set_language (language);
  for (i = 0; i < G_N_ELEMENTS (message_cases); i++)
    {
      g_autoptr(GError) error = message_cases[i].trigger ();
      GQuark domain = message_cases[i].parse_error ? FRAISE_PARSE_ERROR : FRAISE_ERROR;

      g_test_message ("%s: %s", message_cases[i].name, error != NULL ? error->message : "(none)");
      g_assert_error (error, domain, message_cases[i].code);
      g_assert_cmpstr (error->message, ==,
                       french ? message_cases[i].french : message_cases[i].english);
    }
}

static void
test_messages_french (void)
{
  if (!g_test_subprocess ())
    {
      g_autofree char *mo = g_build_filename (g_getenv ("FRAISE_LOCALEDIR"), "fr", "LC_MESSAGES",
                                              GETTEXT_PACKAGE ".mo", NULL);

      if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
        {
          g_test_message ("%s is missing: build the project first (ninja -C <builddir>)", mo);
          g_test_fail ();
          return;
        }
    }
  check_messages ("fr", TRUE);
}

static void
test_messages_french_region (void)
{
  /* fr_CA falls back to the fr catalog */
  check_messages ("fr_CA:fr", TRUE);
}

static void
test_messages_english (void)
{
  check_messages ("en", FALSE);
}

static void
test_messages_no_language (void)
{
  check_messages (NULL, FALSE);
}

/* ---- po/ ----------------------------------------------------------------- */

typedef struct {
  char *srcroot; /* the project's source directory */
  char *tmpdir;
  char *fresh_pot;    /* xgettext over every file under fraisewire/ */
  char *xgettext_log; /* its warnings */
  gboolean have_tools;
} PoFixture;

static PoFixture po;

static char **
c_locale_environ (void)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "LC_ALL", "C", TRUE);
  return g_environ_unsetenv (envp, "LANGUAGE");
}

/* Runs @argv in the source root; returns whether it exited with status 0. */
static gboolean
run_tool (const char *const *argv, char **out, char **err)
{
  g_auto(GStrv) envp = c_locale_environ ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (po.srcroot, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err,
                     &status, &error))
    g_error ("could not run %s: %s", argv[0], error->message);
  return g_spawn_check_wait_status (status, NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
collect_sources (const char *relative, GPtrArray *files)
{
  g_autofree char *path = g_build_filename (po.srcroot, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_strconcat (relative, "/", (char *) names->pdata[i], NULL);
      g_autofree char *full = g_build_filename (po.srcroot, child, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_sources (child, files);
      else if (g_str_has_suffix (child, ".c") || g_str_has_suffix (child, ".h"))
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

/* Generates the template once, with the keywords of meson's "glib" preset. */
static gboolean
ensure_fresh_pot (void)
{
  static const char *const tools[] = { "xgettext", "msgfmt", "msgcmp" };
  static gboolean done = FALSE;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint i;

  if (done)
    {
      if (!po.have_tools)
        g_test_skip ("the gettext tools (xgettext, msgfmt, msgcmp) are not installed");
      return po.have_tools;
    }
  done = TRUE;

  for (i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *found = g_find_program_in_path (tools[i]);

      if (found == NULL)
        {
          g_test_skip ("the gettext tools (xgettext, msgfmt, msgcmp) are not installed");
          return FALSE;
        }
    }
  po.have_tools = TRUE;

  po.tmpdir = g_dir_make_tmp ("fraise-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  po.fresh_pot = g_build_filename (po.tmpdir, "fresh.pot", NULL);

  argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup ("xgettext"));
  g_ptr_array_add (argv, g_strdup ("--from-code=UTF-8"));
  g_ptr_array_add (argv, g_strdup ("--keyword=_"));
  g_ptr_array_add (argv, g_strdup ("--keyword=N_"));
  g_ptr_array_add (argv, g_strdup ("--keyword=C_:1c,2"));
  g_ptr_array_add (argv, g_strdup ("--keyword=NC_:1c,2"));
  g_ptr_array_add (argv, g_strdup ("--keyword=g_dcgettext:2"));
  g_ptr_array_add (argv, g_strdup ("--keyword=g_dngettext:2,3"));
  g_ptr_array_add (argv, g_strdup ("--keyword=g_dpgettext2:2c,3"));
  g_ptr_array_add (argv, g_strdup ("--no-wrap"));
  g_ptr_array_add (argv, g_strdup_printf ("--output=%s", po.fresh_pot));
  collect_sources ("fraisewire", argv);
  g_ptr_array_add (argv, NULL);

  if (!run_tool ((const char *const *) argv->pdata, &out, &po.xgettext_log))
    g_error ("xgettext failed: %s", po.xgettext_log);
  g_assert_true (g_file_test (po.fresh_pot, G_FILE_TEST_IS_REGULAR));
  return TRUE;
}

static char *
read_source_file (const char *relative)
{
  g_autofree char *path = g_build_filename (po.srcroot, relative, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_potfiles (void)
{
  g_autofree char *potfiles = NULL;
  g_autofree char *pot = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) pot_lines = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint i, referenced = 0;

  if (!ensure_fresh_pot ())
    return;

  potfiles = read_source_file ("po/POTFILES");
  lines = g_strsplit (potfiles, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *full = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      full = g_build_filename (po.srcroot, lines[i], NULL);
      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        {
          g_test_message ("po/POTFILES lists %s, which does not exist", lines[i]);
          g_test_fail ();
        }
      g_hash_table_add (listed, lines[i]);
    }

  /* every file with a translatable string ("#: file:line") is listed */
  g_file_get_contents (po.fresh_pot, &pot, NULL, &error);
  g_assert_no_error (error);
  pot_lines = g_strsplit (pot, "\n", -1);
  for (i = 0; pot_lines[i] != NULL; i++)
    {
      g_auto(GStrv) refs = NULL;
      guint j;

      if (!g_str_has_prefix (pot_lines[i], "#: "))
        continue;
      refs = g_strsplit (pot_lines[i] + 3, " ", -1);
      for (j = 0; refs[j] != NULL; j++)
        {
          char *colon = strrchr (refs[j], ':');

          if (colon != NULL)
            *colon = '\0';
          referenced++;
          if (refs[j][0] != '\0' && !g_hash_table_contains (listed, refs[j]))
            {
              g_test_message ("%s has translatable strings but is not in po/POTFILES", refs[j]);
              g_test_fail ();
              g_hash_table_add (listed, (gpointer) g_intern_string (refs[j]));
            }
        }
    }
  g_assert_cmpuint (referenced, >, 0);
}

/* Number of messages in a .po/.pot file, the header and obsolete ones excluded. */
static guint
count_messages (const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  guint i, n = 0;

  for (i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "msgid "))
      n++;
  return n > 0 ? n - 1 : 0;
}

static void
test_french_complete (void)
{
  const char *msgfmt[] = { "msgfmt",   "--check", "--statistics", "--output-file=/dev/null",
                           "po/fr.po", NULL };
  const char *msgcmp[] = { "msgcmp", "po/fr.po", NULL, NULL };
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autofree char *pot = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  guint n_messages;

  if (!ensure_fresh_pot ())
    return;

  g_file_get_contents (po.fresh_pot, &pot, NULL, &error);
  g_assert_no_error (error);
  n_messages = count_messages (pot);
  g_assert_cmpuint (n_messages, >, 100);

  /* valid, every format directive matching, nothing fuzzy or untranslated */
  if (!run_tool (msgfmt, &out, &err))
    g_error ("msgfmt --check po/fr.po failed:\n%s", err);
  g_strstrip (err);
  g_test_message ("msgfmt: %s", err);
  expected = g_strdup_printf ("%u translated messages.", n_messages);
  g_assert_cmpstr (err, ==, expected);

  /* every msgid of the current sources is in fr.po */
  msgcmp[2] = po.fresh_pot;
  if (!run_tool (msgcmp, &out2, &err2))
    {
      g_test_message ("msgcmp po/fr.po <fresh template>:\n%s", err2);
      g_test_fail ();
    }
}

/* xgettext cannot see through G_GUINT64_FORMAT and friends: it extracts
 * _("row %" G_GUINT64_FORMAT ": %s") as "row %", which never matches the
 * string looked up at run time ("row %lu: %s"), so the message stays in
 * English. Such a msgid ends in an odd run of '%'; the strings need plain
 * directives instead (%lld/%llu with a cast). */
static void
test_no_format_macros (void)
{
  g_autofree char *pot = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) sites = g_string_new (NULL);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint i;

  if (!ensure_fresh_pot ())
    return;

  g_file_get_contents (po.fresh_pot, &pot, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (pot, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line), percents = 0;

      if (line[0] == '\0')
        g_string_truncate (where, 0);
      if (g_str_has_prefix (line, "#: "))
        g_string_append_printf (where, "%s%s", where->len > 0 ? " " : "", line + 3);
      if (!g_str_has_prefix (line, "msgid") || len < 2 || line[len - 1] != '"')
        continue;
      while (percents + 2 <= len && line[len - 2 - percents] == '%')
        percents++;
      if (percents % 2 == 1)
        g_string_append_printf (sites, " %s (%s);", line + (line[5] == '_' ? 13 : 6), where->str);
    }
  if (sites->len > 0)
    {
      g_autofree char *msg = g_strdup_printf ("strings built with G_*_FORMAT macros cannot be "
                                              "translated; use %%lld/%%llu with a cast:%s",
                                              sites->str);
      g_test_fail_printf ("%s", msg);
    }
}

static void
po_fixture_clear (void)
{
  if (po.fresh_pot != NULL)
    g_unlink (po.fresh_pot);
  if (po.tmpdir != NULL)
    g_rmdir (po.tmpdir);
  g_clear_pointer (&po.fresh_pot, g_free);
  g_clear_pointer (&po.tmpdir, g_free);
  g_clear_pointer (&po.xgettext_log, g_free);
  g_clear_pointer (&po.srcroot, g_free);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Before the library binds its domain: the catalog built in this tree. */
  if (g_getenv ("FRAISE_LOCALEDIR") == NULL)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
      g_autofree char *canonical = g_canonicalize_filename (dir, NULL);

      g_setenv ("FRAISE_LOCALEDIR", canonical, TRUE);
    }
  {
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", NULL);

    po.srcroot = g_canonicalize_filename (dir, NULL);
  }

  g_test_add_func ("/i18n/messages/french", test_messages_french);
  g_test_add_func ("/i18n/messages/french-region", test_messages_french_region);
  g_test_add_func ("/i18n/messages/english", test_messages_english);
  g_test_add_func ("/i18n/messages/no-language", test_messages_no_language);
  g_test_add_func ("/i18n/po/potfiles", test_potfiles);
  g_test_add_func ("/i18n/po/french-complete", test_french_complete);
  g_test_add_func ("/i18n/po/no-format-macros", test_no_format_macros);

  ret = g_test_run ();
  po_fixture_clear ();
  return ret;
}
