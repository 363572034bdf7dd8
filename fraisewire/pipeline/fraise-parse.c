/* fraise-parse.c: pipeline descriptions into pipelines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * description := chain ('errors' '!'? chain)?
 * chain       := element ('!' element)*
 * element     := NAME (PROPERTY '=' VALUE)*
 *
 * Where gst_parse_launch creates elements and sets properties while it
 * parses, and hands back a partly built pipeline with its first error, we
 * work in two phases. The first reads the whole text: the grammar, every
 * element name against the registry, every property name against the
 * element's class (looked up without making an instance), and, for an
 * untrusted description, refuses sensitive properties; nothing has been
 * created and no setter has run when it fails. The second makes the
 * elements, reads each value for its property's type and sets it, and
 * checks what the setter thought of it. Any error at any point returns NULL:
 * there is no partial pipeline.
 */

#include "fraise-parse-private.h"
#include "fraise-pipeline-private.h"

#include <string.h>

/* A `PROPERTY=VALUE` of an element, with the property it names. */
typedef struct {
  const FraiseLexeme *lexeme;
  GParamSpec *pspec; /* owned by the class */
} Setting;

/* An element as phase one knows it. */
typedef struct {
  const FraiseLexeme *lexeme;
  FraiseElementInfo *info;
  GObjectClass *klass;
  GArray *settings; /* of Setting */
  int name_setting; /* the index of `name=` in @settings, or -1 */
  gboolean dead_letter;
} PlannedElement;

typedef enum {
  EXPECT_ELEMENT, /* at the start or after `!` */
  IN_ELEMENT,     /* after an element's name or one of its properties */
  AFTER_ERRORS,   /* after the `errors` keyword: `!` or an element */
} ParseState;

typedef struct {
  FraiseRegistry *registry;
  FraiseParseFlags flags;
  FraiseLexed lexed;
  GPtrArray *elements; /* of PlannedElement */
  ParseState state;
  gboolean in_dead_letter;
  const FraiseLexeme *previous; /* the lexeme before the current one */
} Parser;

static void
planned_element_free (gpointer data)
{
  PlannedElement *planned = data;

  g_clear_pointer (&planned->info, fraise_element_info_unref);
  g_clear_pointer (&planned->klass, g_type_class_unref);
  g_clear_pointer (&planned->settings, g_array_unref);
  g_free (planned);
}

static GError *
error_at (Parser *parser, FraiseParseError code, gsize offset, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static GError *
error_at (Parser *parser, FraiseParseError code, gsize offset, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  return _fraise_parse_error_new (code, parser->lexed.text, parser->lexed.len, offset, "%s",
                                  reason);
}

/* "; did you mean "x"?" for a suggestion, or nothing. */
static char *
did_you_mean (const char *suggestion)
{
  if (suggestion == NULL)
    return g_strdup ("");
  return g_strdup_printf (_("; did you mean \"%s\"?"), suggestion);
}

/* ---- phase one: grammar, names, untrusted ---------------------------------- */

static GError *
no_such_element (Parser *parser, const FraiseLexeme *lexeme)
{
  g_autoptr(GPtrArray) infos = fraise_registry_list (parser->registry);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *hint = NULL;

  for (guint i = 0; i < infos->len; i++)
    g_ptr_array_add (names, (gpointer) fraise_element_info_get_name (infos->pdata[i]));
  g_ptr_array_add (names, NULL);
  hint = did_you_mean (_fraise_suggest_name (lexeme->name, (const char *const *) names->pdata));
  return error_at (parser, FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT, lexeme->offset,
                   _("no element \"%s\"%s"), lexeme->name, hint);
}

static gboolean
begin_element (Parser *parser, const FraiseLexeme *lexeme, GError **error)
{
  FraiseElementInfo *info = fraise_registry_lookup (parser->registry, lexeme->name);
  PlannedElement *planned;

  if (info == NULL)
    {
      g_propagate_error (error, no_such_element (parser, lexeme));
      return FALSE;
    }
  planned = g_new0 (PlannedElement, 1);
  planned->lexeme = lexeme;
  planned->info = fraise_element_info_ref (info);
  /* The class alone: an untrusted description must be refused before any
   * instance exists (an instance's init could already do I/O). */
  planned->klass = g_type_class_ref (fraise_element_info_get_element_type (info));
  planned->settings = g_array_new (FALSE, FALSE, sizeof (Setting));
  planned->name_setting = -1;
  planned->dead_letter = parser->in_dead_letter;
  g_ptr_array_add (parser->elements, planned);
  parser->state = IN_ELEMENT;
  return TRUE;
}

static GError *
no_such_property (Parser *parser, PlannedElement *planned, const FraiseLexeme *lexeme)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (planned->klass, &n_pspecs);
  g_autofree const char **names = g_new0 (const char *, n_pspecs + 1);
  g_autofree char *hint = NULL;
  guint n = 0;

  for (guint i = 0; i < n_pspecs; i++)
    if (pspecs[i]->flags & G_PARAM_WRITABLE)
      names[n++] = pspecs[i]->name;
  hint = did_you_mean (_fraise_suggest_name (lexeme->name, names));
  return error_at (parser, FRAISE_PARSE_ERROR_NO_SUCH_PROPERTY, lexeme->offset,
                   _("element \"%s\" has no property \"%s\"%s"), planned->lexeme->name,
                      lexeme->name, hint);
}

static gboolean
add_setting (Parser *parser, const FraiseLexeme *lexeme, GError **error)
{
  PlannedElement *planned = g_ptr_array_index (parser->elements, parser->elements->len - 1);
  const char *element = planned->lexeme->name;
  GParamSpec *pspec = g_object_class_find_property (planned->klass, lexeme->name);
  Setting setting = { lexeme, pspec };

  if (pspec == NULL)
    {
      g_propagate_error (error, no_such_property (parser, planned, lexeme));
      return FALSE;
    }
  for (guint i = 0; i < planned->settings->len; i++)
    if (g_array_index (planned->settings, Setting, i).pspec == pspec)
      {
        g_propagate_error (
          error, error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, lexeme->offset,
                           _("property \"%s\" of \"%s\" is set twice"), pspec->name, element));
        return FALSE;
      }
  if (pspec->flags & G_PARAM_CONSTRUCT_ONLY)
    {
      g_propagate_error (
        error, error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, lexeme->offset,
                         _("property \"%s\" of \"%s\" is set only when the element is made, "
                           "which a description cannot do"),
                            pspec->name, element));
      return FALSE;
    }
  if (!(pspec->flags & G_PARAM_WRITABLE))
    {
      g_propagate_error (
        error, error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, lexeme->offset,
                         _("property \"%s\" of \"%s\" is read-only"), pspec->name, element));
      return FALSE;
    }
  if (!_fraise_value_type_is_textual (pspec))
    {
      g_propagate_error (
        error, error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, lexeme->offset,
                         _("property \"%s\" of \"%s\" holds a %s, which a description cannot set"),
                            pspec->name, element, g_type_name (pspec->value_type)));
      return FALSE;
    }
  g_array_append_val (planned->settings, setting);
  if (strcmp (pspec->name, "name") == 0)
    planned->name_setting = (int) planned->settings->len - 1;
  return TRUE;
}

/* A word: an element's name, or the `errors` keyword. */
static gboolean
read_word (Parser *parser, const FraiseLexeme *lexeme, GError **error)
{
  gboolean is_errors = strcmp (lexeme->name, "errors") == 0;
  gsize at = lexeme->offset;

  if (parser->state == IN_ELEMENT && !is_errors)
    {
      g_propagate_error (error,
                         error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, at,
                                   _("expected \"!\" or a property before \"%s\""), lexeme->name));
      return FALSE;
    }
  if (!is_errors)
    return begin_element (parser, lexeme, error);
  if (parser->state == IN_ELEMENT && parser->in_dead_letter)
    g_propagate_error (error, error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, at,
                                        _("a pipeline has only one \"errors\" branch")));
  else if (parser->state == IN_ELEMENT)
    {
      parser->in_dead_letter = TRUE;
      parser->state = AFTER_ERRORS;
      return TRUE;
    }
  else if (parser->elements->len == 0)
    g_propagate_error (error, error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, at,
                                        _("expected an element before \"errors\"")));
  else
    g_propagate_error (error,
                       error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, at,
                                 _("expected an element after \"%s\", not \"errors\""),
                                    parser->previous->kind == FRAISE_LEXEME_LINK ? "!" : "errors"));
  return FALSE;
}

static gboolean
read_link (Parser *parser, const FraiseLexeme *lexeme, GError **error)
{
  /* After an element, or the `!` that may follow `errors`. */
  if (parser->state == IN_ELEMENT || parser->state == AFTER_ERRORS)
    {
      parser->state = EXPECT_ELEMENT;
      return TRUE;
    }
  if (parser->previous == NULL)
    g_propagate_error (error, error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, lexeme->offset,
                                        _("expected an element before \"!\"")));
  else
    g_propagate_error (error,
                       error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, lexeme->offset,
                                 _("expected an element after \"%s\", not another \"!\""),
                                    parser->previous->kind == FRAISE_LEXEME_LINK ? "!" : "errors"));
  return FALSE;
}

static gboolean
read_property (Parser *parser, const FraiseLexeme *lexeme, GError **error)
{
  if (parser->state == IN_ELEMENT)
    return add_setting (parser, lexeme, error);
  g_propagate_error (error, error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, lexeme->offset,
                                      _("expected an element name before \"%s=\""), lexeme->name));
  return FALSE;
}

static gboolean
read_end (Parser *parser, GError **error)
{
  if (parser->state == IN_ELEMENT)
    return TRUE;
  if (parser->previous == NULL)
    g_propagate_error (error, error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, parser->lexed.len,
                                        _("the description is empty: expected an element")));
  else
    g_propagate_error (error,
                       error_at (parser, FRAISE_PARSE_ERROR_SYNTAX, parser->lexed.len,
                                 _("expected an element after \"%s\""),
                                    parser->previous->kind == FRAISE_LEXEME_LINK ? "!" : "errors"));
  return FALSE;
}

static gboolean
read_grammar (Parser *parser, GError **error)
{
  GArray *lexemes = parser->lexed.lexemes;

  parser->state = EXPECT_ELEMENT;
  for (guint i = 0; i < lexemes->len; i++)
    {
      const FraiseLexeme *lexeme = &g_array_index (lexemes, FraiseLexeme, i);
      gboolean ok;

      switch (lexeme->kind)
        {
        case FRAISE_LEXEME_WORD:
          ok = read_word (parser, lexeme, error);
          break;
        case FRAISE_LEXEME_LINK:
          ok = read_link (parser, lexeme, error);
          break;
        default:
          ok = read_property (parser, lexeme, error);
          break;
        }
      if (!ok)
        return FALSE;
      parser->previous = lexeme;
    }
  return read_end (parser, error);
}

/* Untrusted descriptions: no property marked FRAISE_PARAM_SENSITIVE, checked
 * on the classes before anything is made. */
static gboolean
check_trust (Parser *parser, GError **error)
{
  if (!(parser->flags & FRAISE_PARSE_FLAG_UNTRUSTED))
    return TRUE;
  for (guint i = 0; i < parser->elements->len; i++)
    {
      PlannedElement *planned = g_ptr_array_index (parser->elements, i);

      for (guint j = 0; j < planned->settings->len; j++)
        {
          const Setting *setting = &g_array_index (planned->settings, Setting, j);

          if (!(setting->pspec->flags & FRAISE_PARAM_SENSITIVE))
            continue;
          g_propagate_error (
            error, error_at (parser, FRAISE_PARSE_ERROR_UNTRUSTED, setting->lexeme->offset,
                             _("property \"%s\" of \"%s\" is sensitive: an untrusted description "
                               "cannot set it"),
                                setting->pspec->name, planned->lexeme->name));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- phase two: elements and values ---------------------------------------- */

/* Where the value of @lexeme starts in the text (its quote, if quoted). */
static gsize
value_offset (const FraiseLexeme *lexeme)
{
  return lexeme->offset + strlen (lexeme->name) + 1;
}

/* @text for a message: as it is when it reads as a number, else quoted,
 * and cut when long. */
static char *
quote_for_message (const char *text)
{
  gboolean numeric = *text != '\0';
  g_autofree char *cut = NULL;

  for (const char *p = text; numeric && *p != '\0'; p++)
    numeric = g_ascii_isdigit (*p) || strchr ("+-.eE", *p) != NULL;
  if (numeric && strlen (text) <= 40)
    return g_strdup (text);
  if (g_utf8_strlen (text, -1) > 40)
    cut = g_utf8_substring (text, 0, 40);
  return g_strdup_printf ("\"%s%s\"", cut != NULL ? cut : text, cut != NULL ? "…" : "");
}

/* A setter refused the value: its error, positioned in the value when it
 * has a position (a filter expression's), moved into the description. */
static GError *
refused_value (Parser *parser, FraiseElement *element, const Setting *setting, GError *refusal)
{
  const FraiseLexeme *lexeme = setting->lexeme;
  gsize offset = value_offset (lexeme);
  gsize inner;
  GError *error;

  if (refusal->domain == FRAISE_PARSE_ERROR &&
      fraise_parse_error_get_position (refusal, &inner, NULL, NULL) && inner <= lexeme->value_len)
    offset = lexeme->value_map[inner];
  error = error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, offset,
                    _("property \"%s\" of \"%s\": %s"), setting->pspec->name,
                       fraise_element_get_name (element), _fraise_parse_error_get_reason (refusal));
  g_error_free (refusal);
  return error;
}

static gboolean
apply_setting (Parser *parser, FraiseElement *element, const Setting *setting, GError **error)
{
  const FraiseLexeme *lexeme = setting->lexeme;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *expected = NULL;
  g_autofree char *suggestion = NULL;
  GError *refusal;

  if (!_fraise_value_from_text (setting->pspec, lexeme->value, &value, &expected, &suggestion))
    {
      g_autofree char *got = quote_for_message (lexeme->value);
      g_autofree char *hint = did_you_mean (suggestion);

      g_propagate_error (
        error, error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, value_offset (lexeme),
                         _("property \"%s\" of \"%s\" expects %s, got %s%s"), setting->pspec->name,
                            fraise_element_get_name (element), expected, got, hint));
      return FALSE;
    }
  g_object_set_property (G_OBJECT (element), setting->pspec->name, &value);
  refusal = _fraise_element_take_property_error (element);
  if (refusal != NULL)
    {
      g_propagate_error (error, refused_value (parser, element, setting, refusal));
      return FALSE;
    }
  return TRUE;
}

static FraiseElement *
make_element (Parser *parser, FraisePipeline *pipeline, PlannedElement *planned, GError **error)
{
  const FraiseLexeme *name_lexeme =
    planned->name_setting >= 0
      ? g_array_index (planned->settings, Setting, planned->name_setting).lexeme
      : NULL;
  const char *name = name_lexeme != NULL ? name_lexeme->value : NULL;
  g_autoptr(GError) local_error = NULL;
  FraiseElement *element;

  if (name != NULL && *name == '\0')
    {
      g_propagate_error (error,
                         error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, value_offset (name_lexeme),
                                   _("an element's name cannot be empty")));
      return NULL;
    }
  /* Unnamed elements get the first free number (fraise_pipeline_add), so
   * only a name given here can be taken already. */
  if (name != NULL && fraise_pipeline_get_by_name (pipeline, name) != NULL)
    {
      g_propagate_error (error,
                         error_at (parser, FRAISE_PARSE_ERROR_BAD_VALUE, value_offset (name_lexeme),
                                   _("two elements are named \"%s\""), name));
      return NULL;
    }
  element =
    fraise_registry_make_element (parser->registry, planned->lexeme->name, name, &local_error);
  if (element == NULL)
    {
      g_propagate_error (error, error_at (parser, FRAISE_PARSE_ERROR_NO_SUCH_ELEMENT,
                                          planned->lexeme->offset, "%s", local_error->message));
      return NULL;
    }
  if (planned->dead_letter)
    fraise_pipeline_add_dead_letter (pipeline, element);
  else
    fraise_pipeline_add (pipeline, element);
  g_object_unref (element); /* the pipeline holds it */
  return element;
}

static FraisePipeline *
build (Parser *parser, GError **error)
{
  g_autoptr(FraisePipeline) pipeline = fraise_pipeline_new ();

  for (guint i = 0; i < parser->elements->len; i++)
    {
      PlannedElement *planned = g_ptr_array_index (parser->elements, i);
      FraiseElement *element = make_element (parser, pipeline, planned, error);

      if (element == NULL)
        return NULL;
      for (guint j = 0; j < planned->settings->len; j++)
        {
          const Setting *setting = &g_array_index (planned->settings, Setting, j);

          if ((int) j != planned->name_setting && !apply_setting (parser, element, setting, error))
            return NULL;
        }
    }
  return g_steal_pointer (&pipeline);
}

FraisePipeline *
_fraise_parse_tokens (FraiseRegistry *registry,
                      const char *const *tokens,
                      FraiseParseFlags flags,
                      GError **error)
{
  Parser parser = { registry, flags };
  FraisePipeline *pipeline = NULL;
  gboolean lexed;

  g_return_val_if_fail (FRAISE_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (tokens != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _fraise_ensure_i18n ();
  if (tokens[0] != NULL && tokens[1] == NULL)
    lexed = _fraise_lex_description (tokens[0], &parser.lexed, error);
  else
    lexed = _fraise_lex_argv (tokens, &parser.lexed, error);
  if (!lexed)
    return NULL;
  parser.elements = g_ptr_array_new_with_free_func (planned_element_free);
  if (read_grammar (&parser, error) && check_trust (&parser, error))
    pipeline = build (&parser, error);
  g_ptr_array_unref (parser.elements);
  _fraise_lexed_clear (&parser.lexed);
  return pipeline;
}

/* ---- public entry points --------------------------------------------------- */

/**
 * fraise_pipeline_new_from_description:
 * @description: a pipeline description, such as
 *   `query source=v_user ! filter expr="age >= 18" ! jsonl-sink`
 * @error: return location for a #GError
 *
 * Builds a pipeline from a trusted description, with the elements of the
 * default registry. See [ctor@Fraise.Pipeline.new_from_description_full].
 *
 * Returns: (transfer full): the pipeline, or %NULL with @error set
 *
 * Since: 1.0
 */
FraisePipeline *
fraise_pipeline_new_from_description (const char *description, GError **error)
{
  return fraise_pipeline_new_from_description_full (description, FRAISE_PARSE_FLAG_NONE, error);
}

/**
 * fraise_pipeline_new_from_description_full:
 * @description: a pipeline description
 * @flags: how to parse it: %FRAISE_PARSE_FLAG_UNTRUSTED for a description
 *   that comes from an end user
 * @error: return location for a #GError
 *
 * Builds a pipeline from @description, with the elements of the default
 * registry. The grammar is
 * `element ('!' element)* ('errors' '!' element ('!' element)*)?`, where
 * `element` is `NAME (PROPERTY=VALUE)*` and the chain after `errors` is the
 * dead-letter branch ([method@Fraise.Pipeline.add_dead_letter]). Values are
 * bare or quoted (`"..."` where a backslash escapes any character,
 * `'...'` where it escapes only `'` and `\`), and are read for the
 * property's type: enums by nick, flags joined with `+`, booleans as `true`
 * or `false`, numbers within the property's range, string lists separated
 * by commas.
 *
 * On any error, %NULL is returned and @error, in the %FRAISE_PARSE_ERROR
 * domain, gives the place as `line:column` with the line quoted and a caret
 * under the place, and suggests the nearest name for a misspelt element,
 * property or nick. A partly built pipeline is never returned. With
 * %FRAISE_PARSE_FLAG_UNTRUSTED, properties marked %FRAISE_PARAM_SENSITIVE
 * are refused (%FRAISE_PARSE_ERROR_UNTRUSTED) before any element is made.
 *
 * Returns: (transfer full): the pipeline, or %NULL with @error set
 *
 * Since: 1.0
 */
FraisePipeline *
fraise_pipeline_new_from_description_full (const char *description,
                                           FraiseParseFlags flags,
                                           GError **error)
{
  const char *tokens[] = { description, NULL };

  g_return_val_if_fail (description != NULL, NULL);

  return _fraise_parse_tokens (fraise_registry_get_default (), tokens, flags, error);
}

/**
 * fraise_pipeline_new_from_argv:
 * @argv: (array zero-terminated=1): the description as command-line
 *   arguments, one token each
 * @flags: how to parse it (see [ctor@Fraise.Pipeline.new_from_description_full])
 * @error: return location for a #GError
 *
 * Builds a pipeline from command-line arguments without joining them
 * again: each element of @argv is one token, a lone `!` links two
 * elements, `errors` starts the dead-letter branch, `PROPERTY=VALUE` takes
 * the value exactly as it is (no quotes or escapes are interpreted, so
 * `'expr=name == "a ! b"'` filters on the literal `a ! b`), and anything else
 * is an element name. A single argument is parsed as a whole description,
 * so `fraise-launch 'query ! count-sink'` works too.
 *
 * Positions in errors refer to the arguments joined with single spaces.
 *
 * Returns: (transfer full): the pipeline, or %NULL with @error set
 *
 * Since: 1.0
 */
FraisePipeline *
fraise_pipeline_new_from_argv (const char *const *argv, FraiseParseFlags flags, GError **error)
{
  g_return_val_if_fail (argv != NULL, NULL);

  return _fraise_parse_tokens (fraise_registry_get_default (), argv, flags, error);
}
