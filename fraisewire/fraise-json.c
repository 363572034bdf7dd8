/* fraise-json.c: the strict JSON tree parser (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See fraise-json-private.h for the contract. The tree parser is a state
 * machine over an explicit stack of open containers, so hostile nesting
 * cannot exhaust the C stack. The byte-level scanners it shares with the
 * path lookup (fraise-json-lookup.c) are in fraise-json-scan-private.h.
 */

#include "fraise-json-scan-private.h"

/* ---- tree parser ------------------------------------------------------------- */

typedef struct {
  JsonObject *object; /* NULL for an array */
  JsonArray *array;
} Frame;

typedef struct {
  Ctx cx;
  JsonNode *root;
  Frame *frames;
  guint depth;
  guint frames_size;
  Scratch key;
  Scratch str;
  Frame inline_frames[32];
} Parser;

/* Links a new node to the open container (the current key for objects). */
static inline void
parser_attach (Parser *ps, JsonNode *node)
{
  Frame *top;

  if (ps->depth == 0)
    {
      ps->root = node;
      return;
    }
  top = &ps->frames[ps->depth - 1];
  if (top->object != NULL)
    json_object_set_member (top->object, ps->key.data, node);
  else
    json_array_add_element (top->array, node);
}

static gboolean
parser_push (Parser *ps, const guchar *at, gboolean is_object)
{
  JsonNode *node;
  Frame *f;

  if (G_UNLIKELY (ps->depth >= ps->cx.max_depth))
    return fail_depth (&ps->cx, at);

  if (G_UNLIKELY (ps->depth == ps->frames_size))
    {
      ps->frames_size *= 2;
      if (ps->frames == ps->inline_frames)
        ps->frames = g_memdup2 (ps->inline_frames, sizeof ps->inline_frames);
      ps->frames = g_renew (Frame, ps->frames, ps->frames_size);
    }

  f = &ps->frames[ps->depth];
  node = json_node_new (is_object ? JSON_NODE_OBJECT : JSON_NODE_ARRAY);
  if (is_object)
    {
      f->object = json_object_new ();
      f->array = NULL;
      json_node_take_object (node, f->object);
    }
  else
    {
      f->object = NULL;
      f->array = json_array_new ();
      json_node_take_array (node, f->array);
    }
  parser_attach (ps, node);
  ps->depth++;
  return TRUE;
}

static const guchar *
parser_string (Parser *ps, const guchar *p)
{
  gboolean escaped;
  const guchar *close = scan_string (&ps->cx, p + 1, &escaped);

  if (close == NULL)
    return NULL;
  parser_attach (ps, json_node_init_string (json_node_alloc (),
                                            string_to_scratch (&ps->str, p + 1, close, escaped)));
  return close + 1;
}

static const guchar *
parser_number (Parser *ps, const guchar *p)
{
  NumberScan ns;

  if (!scan_number (&ps->cx, p, &ns))
    return NULL;
  if (ns.is_int)
    parser_attach (ps, json_node_init_int (json_node_alloc (), ns.value));
  else
    parser_attach (
      ps, json_node_init_double (json_node_alloc (), span_to_double (p, (gsize) (ns.end - p))));
  return ns.end;
}

static const guchar *
parser_literal (Parser *ps, const guchar *p)
{
  const guchar *e;

  switch (*p)
    {
    case 't':
      if ((e = scan_literal (&ps->cx, p, "true", 4)) != NULL)
        parser_attach (ps, json_node_init_boolean (json_node_alloc (), TRUE));
      return e;
    case 'f':
      if ((e = scan_literal (&ps->cx, p, "false", 5)) != NULL)
        parser_attach (ps, json_node_init_boolean (json_node_alloc (), FALSE));
      return e;
    default:
      if ((e = scan_literal (&ps->cx, p, "null", 4)) != NULL)
        parser_attach (ps, json_node_init_null (json_node_alloc ()));
      return e;
    }
}

/* Object key at @p (after whitespace) up to and including the ':'. */
static const guchar *
parser_key (Parser *ps, const guchar *p)
{
  const guchar *end = ps->cx.end;
  const guchar *close;
  gboolean escaped;

  if (p >= end || *p != '"')
    return fail_at (&ps->cx, p, N_("expected a string key")), NULL;
  if ((close = scan_string (&ps->cx, p + 1, &escaped)) == NULL)
    return NULL;
  string_to_scratch (&ps->key, p + 1, close, escaped);
  p = skip_ws (close + 1, end);
  if (p >= end || *p != ':')
    return fail_at (&ps->cx, p, N_("expected ':' after an object key")), NULL;
  return p + 1;
}

/* The state machine: "value" reads one value, "next" what follows it. */
static gboolean
parser_run (Parser *ps)
{
  const guchar *p = ps->cx.start;
  const guchar *end = ps->cx.end;
  Frame *top;

value:
  p = skip_ws (p, end);
  if (G_UNLIKELY (p >= end))
    return fail (&ps->cx, end, N_("unexpected end of input"));
  switch (*p)
    {
    case '"':
      p = parser_string (ps, p);
      break;
    case '{':
      if (!parser_push (ps, p, TRUE))
        return FALSE;
      p = skip_ws (p + 1, end);
      if (p < end && *p == '}')
        {
          ps->depth--;
          p++;
          goto next;
        }
      if ((p = parser_key (ps, p)) == NULL)
        return FALSE;
      goto value;
    case '[':
      if (!parser_push (ps, p, FALSE))
        return FALSE;
      p = skip_ws (p + 1, end);
      if (p < end && *p == ']')
        {
          ps->depth--;
          p++;
          goto next;
        }
      goto value;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      p = parser_number (ps, p);
      break;
    case 't':
    case 'f':
    case 'n':
      p = parser_literal (ps, p);
      break;
    default:
      return fail (&ps->cx, p, N_("expected a value"));
    }
  if (p == NULL)
    return FALSE;

next:
  p = skip_ws (p, end);
  if (ps->depth == 0)
    return p == end || fail (&ps->cx, p, N_("unexpected character after the JSON value"));
  if (G_UNLIKELY (p >= end))
    return fail (&ps->cx, end, N_("unexpected end of input"));

  top = &ps->frames[ps->depth - 1];
  if (*p == ',')
    {
      p++;
      if (top->object == NULL)
        goto value;
      if ((p = parser_key (ps, skip_ws (p, end))) == NULL)
        return FALSE;
      goto value;
    }
  if (*p == (top->object != NULL ? '}' : ']'))
    {
      ps->depth--;
      p++;
      goto next;
    }
  return fail (&ps->cx, p,
               top->object != NULL ? N_("expected ',' or '}' in an object")
                                   : N_("expected ',' or ']' in an array"));
}

JsonNode *
fraise_json_parse (const char *text, gsize len, guint max_depth, GError **error)
{
  Parser ps;
  JsonNode *root = NULL;

  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ctx_init (&ps.cx, text != NULL ? text : "", len, max_depth, error);
  ps.root = NULL;
  ps.frames = ps.inline_frames;
  ps.frames_size = G_N_ELEMENTS (ps.inline_frames);
  ps.depth = 0;
  scratch_init (&ps.key);
  scratch_init (&ps.str);

  if (parser_run (&ps))
    {
      root = g_steal_pointer (&ps.root);
      json_node_seal (root);
    }
  else
    g_clear_pointer (&ps.root, json_node_unref); /* every node hangs off the root */

  if (ps.frames != ps.inline_frames)
    g_free (ps.frames);
  scratch_clear (&ps.key);
  scratch_clear (&ps.str);
  return root;
}
