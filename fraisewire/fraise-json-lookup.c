/* fraise-json-lookup.c: path lookup without a tree, and typed accessors (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See fraise-json-private.h for the contract. The lookup scanner validates
 * what it returns and only skims the rest (strings with memchr, containers
 * by counting brackets); the byte-level scanners it shares with the tree
 * parser (fraise-json.c) are in fraise-json-scan-private.h.
 */

#include "fraise-json-scan-private.h"

/* ---- paths --------------------------------------------------------------------- */

typedef FraiseJsonStep Segment; /* key NULL for an index */

static gboolean
bad_path (const char *path, const char *at, GError **error)
{
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG,
               _("invalid JSON path \"%s\" at character %zu "
                 "(expected keys separated by '.' and indexes like [0])"),
                  path, (size_t) (at - path));
  return FALSE;
}

/* Parses "[n]" at @p; returns the end or NULL. */
static const char *
path_index (const char *p, gsize *index)
{
  gsize v = 0;

  if (!IS_DIGIT (*++p))
    return NULL;
  for (; IS_DIGIT (*p); p++)
    {
      if (v > (G_MAXSIZE - 9) / 10)
        return NULL;
      v = v * 10 + (gsize) (*p - '0');
    }
  *index = v;
  return *p == ']' ? p + 1 : NULL;
}

/* Fills @segs (room for one more than the count of '.' and '[' in @path). */
static gboolean
path_parse (const char *path, Segment *segs, gsize *n_segs, GError **error)
{
  const char *p = path;
  gsize n = 0;

  while (*p != '\0')
    {
      Segment *s = &segs[n];
      const char *q;

      if (*p == '[')
        {
          s->key = NULL;
          if ((q = path_index (p, &s->index)) == NULL)
            return bad_path (path, p, error);
          p = q;
          n++;
          continue;
        }
      if (n > 0 && *p++ != '.')
        return bad_path (path, p - 1, error);
      for (q = p; *q != '\0' && *q != '.' && *q != '['; q++)
        ;
      if (q == p)
        return bad_path (path, p, error);
      s->key = p;
      s->key_len = (gsize) (q - p);
      p = q;
      n++;
    }
  *n_segs = n;
  return TRUE;
}

/* ---- lookup scanner ------------------------------------------------------------ */

typedef enum {
  LOOKUP_FOUND,
  LOOKUP_MISSING,
  LOOKUP_FAILED,
} LookupStatus;

/* Does the key body (@key, @close) equal @seg's key once decoded? */
static LookupStatus
key_matches (Ctx *cx, const guchar *key, const guchar *close, const Segment *seg, Scratch *s)
{
  gsize raw = (gsize) (close - key);
  const guchar *end;
  gboolean escaped;
  const char *decoded;

  if (memchr (key, '\\', raw) == NULL)
    return raw == seg->key_len && memcmp (key, seg->key, raw) == 0 ? LOOKUP_FOUND : LOOKUP_MISSING;

  if ((end = scan_string (cx, key, &escaped)) == NULL)
    return LOOKUP_FAILED;
  if (end != close) /* cannot happen once escapes are valid; be safe */
    return fail (cx, end, N_("invalid string")), LOOKUP_FAILED;
  decoded = string_to_scratch (s, key, close, TRUE);
  return strlen (decoded) == seg->key_len && memcmp (decoded, seg->key, seg->key_len) == 0
           ? LOOKUP_FOUND
           : LOOKUP_MISSING;
}

/* @*pp is '{' inside @depth containers (itself included). The last member
 * named like @seg wins, as in the tree. */
static LookupStatus
find_member (Ctx *cx, const guchar **pp, guint depth, const Segment *seg, Scratch *s)
{
  const guchar *end = cx->end;
  const guchar *p = skip_ws (*pp + 1, end);
  const guchar *found = NULL;

  if (p < end && *p == '}')
    return LOOKUP_MISSING;
  for (;;)
    {
      const guchar *close;
      LookupStatus match;

      if (p >= end || *p != '"')
        return fail_at (cx, p, N_("expected a string key")), LOOKUP_FAILED;
      if ((close = skip_string (p + 1, end)) == NULL)
        return fail (cx, end, N_("unexpected end of input")), LOOKUP_FAILED;
      if ((match = key_matches (cx, p + 1, close, seg, s)) == LOOKUP_FAILED)
        return LOOKUP_FAILED;
      p = skip_ws (close + 1, end);
      if (p >= end || *p != ':')
        return fail_at (cx, p, N_("expected ':' after an object key")), LOOKUP_FAILED;
      p = skip_ws (p + 1, end);
      if (p >= end)
        return fail (cx, end, N_("unexpected end of input")), LOOKUP_FAILED;
      if (match == LOOKUP_FOUND)
        found = p;
      if ((p = skip_value (cx, p, depth)) == NULL)
        return LOOKUP_FAILED;
      p = skip_ws (p, end);
      if (p < end && *p == ',')
        {
          p = skip_ws (p + 1, end);
          continue;
        }
      if (p < end && *p == '}')
        break;
      return fail_at (cx, p, N_("expected ',' or '}' in an object")), LOOKUP_FAILED;
    }
  if (found == NULL)
    return LOOKUP_MISSING;
  *pp = found;
  return LOOKUP_FOUND;
}

/* @*pp is '[' inside @depth containers (itself included). */
static LookupStatus
find_element (Ctx *cx, const guchar **pp, guint depth, gsize index)
{
  const guchar *end = cx->end;
  const guchar *p = skip_ws (*pp + 1, end);

  if (p < end && *p == ']')
    return LOOKUP_MISSING;
  for (gsize i = 0;; i++)
    {
      if (p >= end)
        return fail (cx, end, N_("unexpected end of input")), LOOKUP_FAILED;
      if (i == index)
        {
          *pp = p;
          return LOOKUP_FOUND;
        }
      if ((p = skip_value (cx, p, depth)) == NULL)
        return LOOKUP_FAILED;
      p = skip_ws (p, end);
      if (p < end && *p == ',')
        {
          p = skip_ws (p + 1, end);
          continue;
        }
      if (p < end && *p == ']')
        return LOOKUP_MISSING;
      return fail_at (cx, p, N_("expected ',' or ']' in an array")), LOOKUP_FAILED;
    }
}

/* One path step from the value at @*pp (p < end) inside @depth containers. */
static LookupStatus
lookup_step (Ctx *cx, const guchar **pp, guint depth, const Segment *seg, Scratch *s)
{
  if (**pp == (seg->key != NULL ? '{' : '['))
    {
      if (depth + 1 > cx->max_depth)
        return fail_depth (cx, *pp), LOOKUP_FAILED;
      return seg->key != NULL ? find_member (cx, pp, depth + 1, seg, s)
                              : find_element (cx, pp, depth + 1, seg->index);
    }
  /* A step through another kind of value: missing, once we know it is a
   * complete value (so that truncated text is reported as such). */
  return skip_value (cx, *pp, depth) != NULL ? LOOKUP_MISSING : LOOKUP_FAILED;
}

static gboolean
is_delimiter (const guchar *p, const guchar *end)
{
  return p >= end || *p == ',' || *p == '}' || *p == ']' || *p == ' ' || *p == '\n' || *p == '\r' ||
         *p == '\t';
}

/* Fills @out with the value at @p (p < end) inside @depth containers. */
static gboolean
value_span (Ctx *cx, const guchar *p, guint depth, FraiseJsonValue *out)
{
  const guchar *e;

  switch (*p)
    {
    case '"':
      out->type = FRAISE_JSON_TYPE_STRING;
      break;
    case '{':
      out->type = FRAISE_JSON_TYPE_OBJECT;
      break;
    case '[':
      out->type = FRAISE_JSON_TYPE_ARRAY;
      break;
    case 't':
    case 'f':
      out->type = FRAISE_JSON_TYPE_BOOLEAN;
      break;
    case 'n':
      out->type = FRAISE_JSON_TYPE_NULL;
      break;
    default:
      out->type = FRAISE_JSON_TYPE_NUMBER;
      break;
    }
  if ((e = skip_value (cx, p, depth)) == NULL)
    return FALSE;
  if (!is_delimiter (e, cx->end))
    return fail (cx, e, N_("unexpected character after a value"));
  out->start = (const char *) p;
  out->len = (gsize) (e - p);
  return TRUE;
}

static LookupStatus
lookup_path (Ctx *cx, const Segment *segs, gsize n_segs, FraiseJsonValue *out)
{
  const guchar *p = skip_ws (cx->start, cx->end);
  LookupStatus status = LOOKUP_FOUND;
  Scratch s;
  guint depth;

  scratch_init (&s);
  for (depth = 0; depth < n_segs && status == LOOKUP_FOUND; depth++)
    {
      if (p >= cx->end)
        status = (fail (cx, cx->end, N_("unexpected end of input")), LOOKUP_FAILED);
      else
        status = lookup_step (cx, &p, depth, &segs[depth], &s);
    }
  scratch_clear (&s);
  if (status != LOOKUP_FOUND)
    return status;

  if (p >= cx->end)
    return fail (cx, cx->end, N_("unexpected end of input")), LOOKUP_FAILED;
  if (!value_span (cx, p, depth, out))
    return LOOKUP_FAILED;
  /* The whole document was read: check that nothing follows it. */
  if (n_segs == 0 && skip_ws (p + out->len, cx->end) != cx->end)
    return fail (cx, skip_ws (p + out->len, cx->end),
                 N_("unexpected character after the JSON value")),
                 LOOKUP_FAILED;
  return LOOKUP_FOUND;
}

gboolean
fraise_json_lookup_full (const char *text,
                         gsize len,
                         const char *path,
                         guint max_depth,
                         FraiseJsonValue *out,
                         GError **error)
{
  Segment inline_segs[16];
  Segment *segs = inline_segs;
  gsize max_segs = 1, n_segs = 0;
  LookupStatus status = LOOKUP_FAILED;
  Ctx cx;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *c = path; *c != '\0'; c++)
    max_segs += (*c == '.' || *c == '[');
  if (max_segs > G_N_ELEMENTS (inline_segs))
    segs = g_new (Segment, max_segs);

  /* A local error lets us tell "failed" from "missing" without relying on @error. */
  if (path_parse (path, segs, &n_segs, error))
    {
      GError *local_error = NULL;

      ctx_init (&cx, text != NULL ? text : "", len, max_depth, &local_error);
      status = lookup_path (&cx, segs, n_segs, out);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          status = LOOKUP_FAILED;
        }
    }
  if (segs != inline_segs)
    g_free (segs);
  return status == LOOKUP_FOUND;
}

gboolean
fraise_json_lookup_steps (const char *text,
                          gsize len,
                          const FraiseJsonStep *steps,
                          gsize n_steps,
                          guint max_depth,
                          FraiseJsonValue *out,
                          GError **error)
{
  GError *local_error = NULL;
  LookupStatus status;
  Ctx cx;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (steps != NULL || n_steps == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ctx_init (&cx, text != NULL ? text : "", len, max_depth, &local_error);
  status = lookup_path (&cx, steps, n_steps, out);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return status == LOOKUP_FOUND;
}

/* ---- array elements and strings of a looked-up value -------------------------- */

void
fraise_json_array_iter_init (FraiseJsonArrayIter *iter,
                             const char *text,
                             gsize len,
                             const FraiseJsonValue *array)
{
  g_return_if_fail (iter != NULL && array != NULL);
  g_return_if_fail (array->type == FRAISE_JSON_TYPE_ARRAY && array->len >= 2);

  iter->text = text;
  iter->len = len;
  iter->pos = array->start + 1;
  iter->started = FALSE;
}

gboolean
fraise_json_array_iter_next (FraiseJsonArrayIter *iter, FraiseJsonValue *out, GError **error)
{
  const guchar *p;
  Ctx cx;

  g_return_val_if_fail (iter != NULL && out != NULL, FALSE);

  /* Depth 1: the lookup already checked the nesting of the whole array. */
  ctx_init (&cx, iter->text, iter->len, 0, error);
  p = skip_ws ((const guchar *) iter->pos, cx.end);
  if (p < cx.end && *p == ']' && !iter->started)
    return FALSE;
  if (iter->started)
    {
      if (p < cx.end && *p == ']')
        return FALSE;
      if (p >= cx.end || *p != ',')
        return fail_at (&cx, p, N_("expected ',' or ']' in an array"));
      p = skip_ws (p + 1, cx.end);
    }
  if (p >= cx.end)
    return fail (&cx, cx.end, N_("unexpected end of input"));
  if (!value_span (&cx, p, 1, out))
    return FALSE;
  iter->pos = out->start + out->len;
  iter->started = TRUE;
  return TRUE;
}

gboolean
fraise_json_value_read_string (const char *text,
                               gsize len,
                               const FraiseJsonValue *value,
                               GString *scratch,
                               const char **out,
                               gsize *out_len,
                               GError **error)
{
  const guchar *body, *close;
  gboolean escaped;
  Ctx cx;

  g_return_val_if_fail (value != NULL && value->type == FRAISE_JSON_TYPE_STRING, FALSE);
  g_return_val_if_fail (scratch != NULL && out != NULL && out_len != NULL, FALSE);

  ctx_init (&cx, text, len, 0, error);
  body = (const guchar *) value->start + 1;
  if ((close = scan_string (&cx, body, &escaped)) == NULL)
    return FALSE;
  if (!escaped)
    {
      *out = (const char *) body;
      *out_len = (gsize) (close - body);
      return TRUE;
    }
  g_string_set_size (scratch, (gsize) (close - body));
  g_string_set_size (scratch, decode_string (body, close, scratch->str));
  *out = scratch->str;
  *out_len = scratch->len;
  return TRUE;
}

gboolean
fraise_json_lookup (
  const char *text, gsize len, const char *path, FraiseJsonValue *out, GError **error)
{
  return fraise_json_lookup_full (text, len, path, 0, out, error);
}

/* ---- parsed paths, looked up together ----------------------------------------- */

struct _FraiseJsonPath {
  gsize n_segs;
  char *text;      /* the path; segment keys point into it */
  Segment segs[1]; /* n_segs of them (at least one slot) */
};

FraiseJsonPath *
fraise_json_path_new (const char *path, GError **error)
{
  FraiseJsonPath *parsed;
  gsize max_segs = 1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (const char *c = path; *c != '\0'; c++)
    max_segs += (*c == '.' || *c == '[');
  parsed = g_malloc (G_STRUCT_OFFSET (FraiseJsonPath, segs) + max_segs * sizeof (Segment));
  parsed->text = g_strdup (path);
  if (!path_parse (parsed->text, parsed->segs, &parsed->n_segs, error))
    {
      fraise_json_path_free (parsed);
      return NULL;
    }
  return parsed;
}

void
fraise_json_path_free (FraiseJsonPath *path)
{
  if (path == NULL)
    return;
  g_free (path->text);
  g_free (path);
}

/* The closing quote of the key body at @p, noting escapes; NULL at the end.
 * Keys are short: a byte loop beats two memchr() calls (quote, backslash). */
static inline const guchar *
key_close (const guchar *p, const guchar *end, gboolean *escaped)
{
  for (; p < end; p++)
    {
      if (*p == '"')
        return p;
      if (*p == '\\')
        {
          *escaped = TRUE;
          p++;
        }
    }
  return NULL;
}

/* The key body (@key, @close) of a member, decoded when it has escapes. */
static const char *
member_key (
  Ctx *cx, const guchar *key, const guchar *close, gboolean escaped, Scratch *s, gsize *len)
{
  const guchar *end;
  const char *decoded;

  if (!escaped)
    {
      *len = (gsize) (close - key);
      return (const char *) key;
    }
  if ((end = scan_string (cx, key, &escaped)) == NULL)
    return NULL;
  if (end != close)
    return fail (cx, end, N_("invalid string")), NULL;
  decoded = string_to_scratch (s, key, close, TRUE);
  *len = strlen (decoded);
  return decoded;
}

/* Reads the object at @*pp (inside no container) to its end, and sets
 * @starts[i] to the value of the last member named like the first segment
 * of @paths[i] (NULL when there is none). Leaves @*pp after the object. */
static gboolean
scan_members (Ctx *cx,
              const guchar **pp,
              FraiseJsonPath *const *paths,
              gsize n_paths,
              const guchar **starts,
              Scratch *s)
{
  const guchar *end = cx->end;
  const guchar *p = skip_ws (*pp + 1, end);

  if (p < end && *p == '}')
    {
      *pp = p + 1;
      return TRUE;
    }
  for (;;)
    {
      const guchar *close, *value;
      gboolean escaped = FALSE;
      const char *key;
      gsize key_len;

      if (p >= end || *p != '"')
        return fail_at (cx, p, N_("expected a string key"));
      if ((close = key_close (p + 1, end, &escaped)) == NULL)
        return fail (cx, end, N_("unexpected end of input"));
      if ((key = member_key (cx, p + 1, close, escaped, s, &key_len)) == NULL)
        return FALSE;
      p = skip_ws (close + 1, end);
      if (p >= end || *p != ':')
        return fail_at (cx, p, N_("expected ':' after an object key"));
      value = p = skip_ws (p + 1, end);
      if (p >= end)
        return fail (cx, end, N_("unexpected end of input"));
      for (gsize i = 0; i < n_paths; i++)
        {
          const Segment *seg = &paths[i]->segs[0];

          /* The first byte before memcmp(): most keys differ there. */
          if (paths[i]->n_segs > 0 && seg->key != NULL && seg->key_len == key_len &&
              seg->key[0] == key[0] && memcmp (seg->key, key, key_len) == 0)
            starts[i] = value;
        }
      if ((p = skip_value (cx, p, 1)) == NULL)
        return FALSE;
      p = skip_ws (p, end);
      if (p < end && *p == ',')
        {
          p = skip_ws (p + 1, end);
          continue;
        }
      if (p < end && *p == '}')
        break;
      return fail_at (cx, p, N_("expected ',' or '}' in an object"));
    }
  *pp = p + 1;
  return TRUE;
}

/* The rest of @path from the value of its first segment at @p. */
static LookupStatus
lookup_rest (Ctx *cx, const guchar *p, const FraiseJsonPath *path, FraiseJsonValue *out, Scratch *s)
{
  LookupStatus status = LOOKUP_FOUND;
  guint depth;

  for (depth = 1; depth < path->n_segs && status == LOOKUP_FOUND; depth++)
    status = lookup_step (cx, &p, depth, &path->segs[depth], s);
  if (status != LOOKUP_FOUND)
    return status;
  return value_span (cx, p, depth, out) ? LOOKUP_FOUND : LOOKUP_FAILED;
}

static gboolean
lookup_paths (Ctx *cx,
              FraiseJsonPath *const *paths,
              gsize n_paths,
              FraiseJsonValue *out,
              gboolean *found,
              const guchar **starts)
{
  const guchar *start = skip_ws (cx->start, cx->end);
  const guchar *p = start;
  gboolean ok = TRUE;
  Scratch s;

  for (gsize i = 0; i < n_paths; i++)
    found[i] = FALSE;
  if (p >= cx->end)
    return fail (cx, cx->end, N_("unexpected end of input"));
  if (*p != '{')
    {
      /* Not an object: each path on its own (they all skim the same value). */
      for (gsize i = 0; i < n_paths; i++)
        {
          LookupStatus status = lookup_path (cx, paths[i]->segs, paths[i]->n_segs, &out[i]);

          if (status == LOOKUP_FAILED)
            return FALSE;
          found[i] = status == LOOKUP_FOUND;
        }
      return TRUE;
    }

  scratch_init (&s);
  for (gsize i = 0; i < n_paths; i++)
    starts[i] = NULL;
  if (!scan_members (cx, &p, paths, n_paths, starts, &s))
    ok = FALSE;
  else if (skip_ws (p, cx->end) != cx->end)
    ok = fail (cx, skip_ws (p, cx->end), N_("unexpected character after the JSON value"));
  for (gsize i = 0; ok && i < n_paths; i++)
    {
      LookupStatus status = LOOKUP_MISSING;

      if (paths[i]->n_segs == 0)
        {
          out[i].type = FRAISE_JSON_TYPE_OBJECT;
          out[i].start = (const char *) start;
          out[i].len = (gsize) (p - start);
          status = LOOKUP_FOUND;
        }
      else if (starts[i] != NULL)
        status = lookup_rest (cx, starts[i], paths[i], &out[i], &s);
      ok = status != LOOKUP_FAILED;
      found[i] = status == LOOKUP_FOUND;
    }
  scratch_clear (&s);
  return ok;
}

gboolean
fraise_json_lookup_paths (const char *text,
                          gsize len,
                          FraiseJsonPath *const *paths,
                          gsize n_paths,
                          FraiseJsonValue *out,
                          gboolean *found,
                          GError **error)
{
  const guchar *inline_starts[64]; /* beyond, one allocation per call */
  const guchar **starts = inline_starts;
  GError *local_error = NULL;
  gboolean ok;
  Ctx cx;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (paths != NULL || n_paths == 0, FALSE);
  g_return_val_if_fail (out != NULL || n_paths == 0, FALSE);
  g_return_val_if_fail (found != NULL || n_paths == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_paths > G_N_ELEMENTS (inline_starts))
    starts = g_new (const guchar *, n_paths);
  ctx_init (&cx, text != NULL ? text : "", len, 0, &local_error);
  ok = lookup_paths (&cx, paths, n_paths, out, found, starts);
  if (starts != inline_starts)
    g_free (starts);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      ok = FALSE;
    }
  return ok;
}

/* ---- typed accessors ---------------------------------------------------------- */

const char *
fraise_json_type_to_string (FraiseJsonType type)
{
  switch (type)
    {
    case FRAISE_JSON_TYPE_NULL:
      return "null";
    case FRAISE_JSON_TYPE_BOOLEAN:
      return "boolean";
    case FRAISE_JSON_TYPE_NUMBER:
      return "number";
    case FRAISE_JSON_TYPE_STRING:
      return "string";
    case FRAISE_JSON_TYPE_OBJECT:
      return "object";
    case FRAISE_JSON_TYPE_ARRAY:
      return "array";
    default:
      return "unknown";
    }
}

static gboolean
check_type (const FraiseJsonValue *value, FraiseJsonType type, GError **error)
{
  if (value->type == type)
    return TRUE;
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
               _("expected a JSON %s, found a JSON %s"), fraise_json_type_to_string (type),
                  fraise_json_type_to_string (value->type));
  return FALSE;
}

char *
fraise_json_value_dup_string (const FraiseJsonValue *value, GError **error)
{
  const guchar *p;
  const guchar *close;
  gboolean escaped;
  char *out;
  Ctx cx;

  g_return_val_if_fail (value != NULL, NULL);

  if (!check_type (value, FRAISE_JSON_TYPE_STRING, error))
    return NULL;
  ctx_init (&cx, value->start, value->len, 0, error);
  p = cx.start;
  if (value->len < 2 || p[0] != '"')
    return fail (&cx, p, N_("expected a string")), NULL;
  if ((close = scan_string (&cx, p + 1, &escaped)) == NULL)
    return NULL;
  if (close != cx.end - 1)
    return fail (&cx, close + 1, N_("unexpected character after a value")), NULL;

  out = g_malloc (value->len - 1);
  if (escaped)
    decode_string (p + 1, close, out);
  else
    {
      memcpy (out, p + 1, value->len - 2);
      out[value->len - 2] = '\0';
    }
  return out;
}

/* Checks that @value is a complete number. */
static gboolean
scan_number_value (const FraiseJsonValue *value, NumberScan *ns, GError **error)
{
  Ctx cx;

  if (!check_type (value, FRAISE_JSON_TYPE_NUMBER, error))
    return FALSE;
  ctx_init (&cx, value->start, value->len, 0, error);
  if (value->len == 0)
    return fail (&cx, cx.start, N_("expected a value"));
  if (!scan_number (&cx, cx.start, ns))
    return FALSE;
  if (ns->end != cx.end)
    return fail (&cx, ns->end, N_("unexpected character after a value"));
  return TRUE;
}

gboolean
fraise_json_value_get_int (const FraiseJsonValue *value, gint64 *out, GError **error)
{
  NumberScan ns;

  g_return_val_if_fail (value != NULL, FALSE);

  if (!scan_number_value (value, &ns, error))
    return FALSE;
  if (!ns.is_int)
    {
      int shown = (int) MIN (value->len, 64);

      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
                   ns.integral ? _("JSON number %.*s%s is out of the 64-bit integer range")
                               : _("JSON number %.*s%s is not an integer"), shown, value->start,
                                    value->len > 64 ? "…" : "");
      return FALSE;
    }
  if (out != NULL)
    *out = ns.value;
  return TRUE;
}

gboolean
fraise_json_value_get_double (const FraiseJsonValue *value, double *out, GError **error)
{
  NumberScan ns;

  g_return_val_if_fail (value != NULL, FALSE);

  if (!scan_number_value (value, &ns, error))
    return FALSE;
  if (out != NULL)
    *out = span_to_double ((const guchar *) value->start, value->len);
  return TRUE;
}

gboolean
fraise_json_value_get_boolean (const FraiseJsonValue *value, gboolean *out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!check_type (value, FRAISE_JSON_TYPE_BOOLEAN, error))
    return FALSE;
  if (value->len == 4 && memcmp (value->start, "true", 4) == 0)
    {
      if (out != NULL)
        *out = TRUE;
      return TRUE;
    }
  if (value->len == 5 && memcmp (value->start, "false", 5) == 0)
    {
      if (out != NULL)
        *out = FALSE;
      return TRUE;
    }
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_JSON,
               _("invalid JSON at byte 0: %s"),
                  _("invalid literal (expected true, false or null)"));
  return FALSE;
}

char *
fraise_json_get_number_text (const char *text, gsize len, const char *path, GError **error)
{
  FraiseJsonValue value;
  GError *local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!fraise_json_lookup (text, len, path, &value, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
                     _("no JSON value at path \"%s\""), path);
      return NULL;
    }
  if (value.type != FRAISE_JSON_TYPE_NUMBER)
    {
      g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
                   _("the JSON value at path \"%s\" is a %s, not a number"), path,
                      fraise_json_type_to_string (value.type));
      return NULL;
    }
  return g_strndup (value.start, value.len);
}
