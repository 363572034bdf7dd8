/* fraise-json-check.c: strict validation of JSON text without a tree (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The same state machine as the tree parser (fraise-json.c), over the same
 * scanners (fraise-json-scan-private.h), with nothing built: a value is
 * read, then what follows it, and the only state kept is one bit per open
 * container (object or array). Elements that copy spans found by the path
 * lookup, which only skims what it skips, check them with it, so the rows
 * they make are valid JSON without a JsonNode per value.
 */

#include "fraise-json-scan-private.h"

/* Open containers: bit set for an object. */
typedef struct {
  guint8 bits[FRAISE_JSON_MAX_DEPTH_LIMIT / 8];
  guint depth;
} Stack;

static inline void
stack_set (Stack *st, gboolean object)
{
  guint i = st->depth - 1;

  if (object)
    st->bits[i / 8] |= (guint8) (1u << (i % 8));
  else
    st->bits[i / 8] &= (guint8) ~(1u << (i % 8));
}

static inline gboolean
stack_top_is_object (const Stack *st)
{
  guint i = st->depth - 1;

  return (st->bits[i / 8] >> (i % 8)) & 1u;
}

/* The string at @p (a quote); returns what follows it or NULL. */
static const guchar *
check_string (Ctx *cx, const guchar *p)
{
  gboolean escaped;

  if ((p = scan_string (cx, p + 1, &escaped)) == NULL)
    return NULL;
  return p + 1;
}

/* A key and its colon at @p; returns the value's start or NULL. */
static const guchar *
check_key (Ctx *cx, const guchar *p)
{
  if (p >= cx->end || *p != '"')
    return fail_at (cx, p, N_("expected a string key")), NULL;
  if ((p = check_string (cx, p)) == NULL)
    return NULL;
  p = skip_ws (p, cx->end);
  if (p >= cx->end || *p != ':')
    return fail_at (cx, p, N_("expected ':' after an object key")), NULL;
  return p + 1;
}

/* Checks [@p, end): one value and nothing after it. */
static gboolean
check_run (Ctx *cx, Stack *st, const guchar *p)
{
  const guchar *end = cx->end;
  NumberScan ns;

value:
  p = skip_ws (p, end);
  if (G_UNLIKELY (p >= end))
    return fail (cx, end, N_("unexpected end of input"));
  switch (*p)
    {
    case '"':
      p = check_string (cx, p);
      break;
    case '{':
    case '[':
      if (st->depth >= cx->max_depth)
        return fail_depth (cx, p);
      st->depth++;
      stack_set (st, *p == '{');
      p = skip_ws (p + 1, end);
      if (p < end && *p == (stack_top_is_object (st) ? '}' : ']'))
        {
          st->depth--;
          p++;
          goto next;
        }
      if (stack_top_is_object (st) && (p = check_key (cx, p)) == NULL)
        return FALSE;
      goto value;
    case 't':
      p = scan_literal (cx, p, "true", 4);
      break;
    case 'f':
      p = scan_literal (cx, p, "false", 5);
      break;
    case 'n':
      p = scan_literal (cx, p, "null", 4);
      break;
    default:
      if (*p != '-' && !IS_DIGIT (*p))
        return fail (cx, p, N_("expected a value"));
      p = scan_number (cx, p, &ns) ? ns.end : NULL;
      break;
    }
  if (p == NULL)
    return FALSE;

next:
  p = skip_ws (p, end);
  if (st->depth == 0)
    return p == end || fail (cx, p, N_("unexpected character after the JSON value"));
  if (G_UNLIKELY (p >= end))
    return fail (cx, end, N_("unexpected end of input"));
  if (*p == ',')
    {
      p++;
      if (stack_top_is_object (st) && (p = check_key (cx, skip_ws (p, end))) == NULL)
        return FALSE;
      goto value;
    }
  if (*p == (stack_top_is_object (st) ? '}' : ']'))
    {
      st->depth--;
      p++;
      goto next;
    }
  return fail (cx, p,
               stack_top_is_object (st) ? N_("expected ',' or '}' in an object")
                                        : N_("expected ',' or ']' in an array"));
}

gboolean
fraise_json_check (const char *text, gsize len, guint max_depth, GError **error)
{
  Stack st;
  Ctx cx;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ctx_init (&cx, text != NULL ? text : "", len, max_depth, error);
  st.depth = 0;
  return check_run (&cx, &st, cx.start);
}

gboolean
fraise_json_value_check (const char *text, const FraiseJsonValue *value, GError **error)
{
  Stack st;
  Ctx cx;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (value != NULL && value->start >= text, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Messages count bytes from @text, where the row starts. */
  ctx_init (&cx, text, (gsize) (value->start - text) + value->len, 0, error);
  st.depth = 0;
  return check_run (&cx, &st, (const guchar *) value->start);
}
