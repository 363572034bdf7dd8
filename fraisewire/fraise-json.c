/* fraise-json.c: fast, strict JSON parsing and path lookup (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See fraise-json-private.h for the contract. Implementation notes:
 *
 * - Everything works on [start, end) and checks the bound before every
 *   read; the text need not be NUL-terminated.
 * - The tree parser is a state machine over an explicit stack of open
 *   containers, so hostile nesting cannot exhaust the C stack.
 * - Strings are scanned with a byte-class table: plain ASCII is skipped in
 *   a tight loop; UTF-8 sequences are validated in place (no separate
 *   g_utf8_validate pass: outside strings only ASCII is legal anyway).
 *   Escapes are decoded in a second pass, only for strings that have them.
 * - The lookup scanner validates what it returns and only skims the rest.
 */

#include "fraise-json-private.h"

#include <float.h>
#include <string.h>

#define IS_DIGIT(c) ((guint) ((c) - '0') < 10u)

/* ---- byte classes ---------------------------------------------------------- */

enum {
  SC_PLAIN = 0,  /* printable ASCII other than '"' and '\\' */
  SC_QUOTE,
  SC_BACKSLASH,
  SC_CONTROL,    /* U+0000..U+001F must be escaped */
  SC_UTF8,       /* a possible lead byte of a multi-byte sequence */
  SC_INVALID,    /* never valid in UTF-8 at this position */
};

static const guint8 string_class[256] = {
  [0x00 ... 0x1f] = SC_CONTROL,
  ['"'] = SC_QUOTE,
  ['\\'] = SC_BACKSLASH,
  [0x80 ... 0xc1] = SC_INVALID,
  [0xc2 ... 0xf4] = SC_UTF8,
  [0xf5 ... 0xff] = SC_INVALID,
};

/* Bytes the container skipper must look at. */
enum {
  SK_OTHER = 0,
  SK_QUOTE,
  SK_OPEN,
  SK_CLOSE,
};

static const guint8 skip_class[256] = {
  ['"'] = SK_QUOTE,
  ['['] = SK_OPEN,
  ['{'] = SK_OPEN,
  [']'] = SK_CLOSE,
  ['}'] = SK_CLOSE,
};

/* ---- shared context and errors --------------------------------------------- */

typedef struct {
  const guchar *start; /* offsets in messages are relative to this */
  const guchar *end;
  guint max_depth;
  GError **error;
} Ctx;

static void
ctx_init (Ctx *cx, const char *text, gsize len, guint max_depth, GError **error)
{
  cx->start = (const guchar *) text;
  cx->end = cx->start + len;
  if (max_depth == 0)
    max_depth = FRAISE_JSON_DEFAULT_MAX_DEPTH;
  cx->max_depth = MIN (max_depth, FRAISE_JSON_MAX_DEPTH_LIMIT);
  cx->error = error;
}

static gboolean
fail (Ctx *cx, const guchar *at, const char *reason)
{
  g_set_error (cx->error, FRAISE_ERROR, FRAISE_ERROR_JSON,
               _("invalid JSON at byte %zu: %s"),
               (size_t) (at - cx->start), _(reason));
  return FALSE;
}

/* Reports "unexpected end of input" when @at is the end, @reason otherwise. */
static gboolean
fail_at (Ctx *cx, const guchar *at, const char *reason)
{
  if (at >= cx->end)
    return fail (cx, cx->end, N_("unexpected end of input"));
  return fail (cx, at, reason);
}

static gboolean
fail_depth (Ctx *cx, const guchar *at)
{
  g_set_error (cx->error, FRAISE_ERROR, FRAISE_ERROR_JSON,
               _("JSON nesting depth exceeds %u (at byte %zu)"),
               cx->max_depth, (size_t) (at - cx->start));
  return FALSE;
}

static inline const guchar *
skip_ws (const guchar *p, const guchar *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/* ---- scratch buffers ------------------------------------------------------- */

typedef struct {
  char *data;
  gsize size;
  char inline_data[128];
} Scratch;

static void
scratch_init (Scratch *s)
{
  s->data = s->inline_data;
  s->size = sizeof s->inline_data;
}

static void
scratch_clear (Scratch *s)
{
  if (s->data != s->inline_data)
    g_free (s->data);
  scratch_init (s);
}

/* Returns room for @size bytes; previous contents are not kept. */
static inline char *
scratch_reserve (Scratch *s, gsize size)
{
  if (G_UNLIKELY (size > s->size))
    {
      gsize new_size = MAX (size, s->size * 2);

      scratch_clear (s);
      s->data = g_malloc (new_size);
      s->size = new_size;
    }
  return s->data;
}

/* ---- strings ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at @p (lead byte 0xC2..0xF4), or 0. */
static gsize
utf8_sequence_length (const guchar *p, const guchar *end)
{
  gsize avail = (gsize) (end - p);
  guchar c = p[0];
  guchar lo = 0x80, hi = 0xbf;

  if (c < 0xe0)
    return (avail >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;

  if (c == 0xe0 || c == 0xf0)
    lo = c == 0xe0 ? 0xa0 : 0x90;  /* overlong forms */
  else if (c == 0xed)
    hi = 0x9f;                     /* UTF-16 surrogates */
  else if (c == 0xf4)
    hi = 0x8f;                     /* above U+10FFFF */

  if (c < 0xf0)
    return (avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80) ? 3 : 0;

  return (avail >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80
          && (p[3] & 0xc0) == 0x80) ? 4 : 0;
}

static inline int
hex_digit (guchar c)
{
  if (IS_DIGIT (c))
    return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Value of 4 hex digits, or -1. */
static int
hex4 (const guchar *p)
{
  int a = hex_digit (p[0]), b = hex_digit (p[1]);
  int c = hex_digit (p[2]), d = hex_digit (p[3]);

  if ((a | b | c | d) < 0)
    return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/* Checks the escape sequence at @p (a backslash); returns its length or 0
 * after setting the error. */
static gsize
check_escape (Ctx *cx, const guchar *p)
{
  gsize avail = (gsize) (cx->end - p);

  if (avail < 2)
    return fail (cx, cx->end, N_("unexpected end of input")), 0;

  switch (p[1])
    {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      return 2;
    case 'u':
      if (avail < 6)
        {
          for (gsize i = 2; i < avail; i++)
            if (hex_digit (p[i]) < 0)
              return fail (cx, p, N_("invalid \\u escape")), 0;
          return fail (cx, cx->end, N_("unexpected end of input")), 0;
        }
      if (hex4 (p + 2) < 0)
        return fail (cx, p, N_("invalid \\u escape")), 0;
      return 6;
    default:
      return fail (cx, p, N_("invalid escape sequence")), 0;
    }
}

/* Strict scan of a string body starting at @p (just after the opening
 * quote): checks escapes, control characters and UTF-8. Returns the closing
 * quote, or NULL after setting the error. */
static const guchar *
scan_string (Ctx *cx, const guchar *p, gboolean *escaped)
{
  const guchar *end = cx->end;
  gboolean esc = FALSE;

  for (;;)
    {
      gsize n;

      while (end - p >= 4 && string_class[p[0]] == SC_PLAIN
             && string_class[p[1]] == SC_PLAIN && string_class[p[2]] == SC_PLAIN
             && string_class[p[3]] == SC_PLAIN)
        p += 4;
      while (p < end && string_class[*p] == SC_PLAIN)
        p++;
      if (G_UNLIKELY (p >= end))
        return fail (cx, end, N_("unexpected end of input")), NULL;

      switch (string_class[*p])
        {
        case SC_QUOTE:
          *escaped = esc;
          return p;
        case SC_BACKSLASH:
          if ((n = check_escape (cx, p)) == 0)
            return NULL;
          esc = TRUE;
          break;
        case SC_UTF8:
          if ((n = utf8_sequence_length (p, end)) == 0)
            return fail (cx, p, N_("invalid UTF-8")), NULL;
          break;
        case SC_CONTROL:
          return fail (cx, p, N_("unescaped control character in string")), NULL;
        default:
          return fail (cx, p, N_("invalid UTF-8")), NULL;
        }
      p += n;
    }
}

/* Decodes escapes in (@p, @close), already checked by scan_string(), into
 * @out (room for close - p + 1 bytes: decoding never grows). Returns the
 * decoded length; @out is NUL-terminated. U+0000 and unpaired surrogates
 * become U+FFFD. */
static gsize
decode_string (const guchar *p, const guchar *close, char *out)
{
  char *o = out;

  while (p < close)
    {
      const guchar *bs = memchr (p, '\\', (gsize) (close - p));
      gsize run = (gsize) ((bs ? bs : close) - p);
      gunichar cp;

      memcpy (o, p, run);
      o += run;
      p += run;
      if (bs == NULL)
        break;

      switch (p[1])
        {
        case 'b': *o++ = '\b'; p += 2; continue;
        case 'f': *o++ = '\f'; p += 2; continue;
        case 'n': *o++ = '\n'; p += 2; continue;
        case 'r': *o++ = '\r'; p += 2; continue;
        case 't': *o++ = '\t'; p += 2; continue;
        case 'u': break;
        default: *o++ = (char) p[1]; p += 2; continue;
        }

      cp = (gunichar) hex4 (p + 2);
      p += 6;
      if (cp >= 0xd800 && cp < 0xdc00)
        {
          int low = -1;

          if (close - p >= 6 && p[0] == '\\' && p[1] == 'u')
            low = hex4 (p + 2);
          if (low >= 0xdc00 && low < 0xe000)
            {
              cp = 0x10000 + ((cp - 0xd800) << 10) + ((gunichar) low - 0xdc00);
              p += 6;
            }
          else
            cp = 0xfffd;
        }
      else if ((cp >= 0xdc00 && cp < 0xe000) || cp == 0)
        cp = 0xfffd;
      o += g_unichar_to_utf8 (cp, o);
    }
  *o = '\0';
  return (gsize) (o - out);
}

/* Copies the string body (@p, @close) into @s, decoding escapes if any. */
static const char *
string_to_scratch (Scratch *s, const guchar *p, const guchar *close, gboolean escaped)
{
  gsize n = (gsize) (close - p);
  char *buf = scratch_reserve (s, n + 1);

  if (escaped)
    decode_string (p, close, buf);
  else
    {
      memcpy (buf, p, n);
      buf[n] = '\0';
    }
  return buf;
}

/* Lenient skip of a string body starting at @p: returns the closing quote
 * (a '"' preceded by an even run of backslashes) or NULL at the end. */
static const guchar *
skip_string (const guchar *p, const guchar *end)
{
  const guchar *first = p;

  for (;;)
    {
      const guchar *q = memchr (p, '"', (gsize) (end - p));
      const guchar *b;

      if (q == NULL)
        return NULL;
      for (b = q; b > first && b[-1] == '\\'; b--)
        ;
      if (((q - b) & 1) == 0)
        return q;
      p = q + 1;
    }
}

/* ---- numbers and literals ---------------------------------------------------- */

typedef struct {
  const guchar *end;
  gboolean is_int;  /* no fraction or exponent, and within gint64 */
  gboolean integral; /* no fraction or exponent */
  gint64 value;
} NumberScan;

/* Strict RFC 8259 number at @p. */
static gboolean
scan_number (Ctx *cx, const guchar *p, NumberScan *ns)
{
  const guchar *end = cx->end;
  gboolean neg = FALSE;
  guint64 mag = 0;
  guint digits = 0;

  if (*p == '-')
    {
      neg = TRUE;
      p++;
    }
  if (p >= end || !IS_DIGIT (*p))
    return fail_at (cx, p, N_("expected a digit"));
  if (*p == '0')
    {
      p++;
      if (p < end && IS_DIGIT (*p))
        return fail (cx, p, N_("leading zeros are not allowed"));
    }
  else
    for (; p < end && IS_DIGIT (*p); p++)
      if (++digits <= 19)  /* 19 digits cannot overflow a guint64 */
        mag = mag * 10 + (guint64) (*p - '0');

  ns->integral = TRUE;
  if (p < end && *p == '.')
    {
      if (++p >= end || !IS_DIGIT (*p))
        return fail_at (cx, p, N_("expected a digit after the decimal point"));
      while (p < end && IS_DIGIT (*p))
        p++;
      ns->integral = FALSE;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !IS_DIGIT (*p))
        return fail_at (cx, p, N_("expected a digit in the exponent"));
      while (p < end && IS_DIGIT (*p))
        p++;
      ns->integral = FALSE;
    }

  ns->end = p;
  ns->is_int = ns->integral && digits <= 19
               && mag <= (guint64) G_MAXINT64 + (neg ? 1 : 0);
  if (ns->is_int)
    ns->value = !neg ? (gint64) mag
                : mag == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) mag;
  return TRUE;
}

/* Clinger's fast path: when the decimal mantissa fits in 53 bits and the
 * power of ten is at most 22, both are exact doubles and one IEEE
 * multiplication or division rounds correctly. @p is a valid number. */
static gboolean
fast_double (const guchar *p, const guchar *end, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };
  gboolean neg = *p == '-';
  guint64 mantissa = 0;
  int exp10 = 0, digits = 0;
  double v;

  p += neg;
  for (; p < end && IS_DIGIT (*p); p++, digits++)
    mantissa = mantissa * 10 + (guint64) (*p - '0');
  if (p < end && *p == '.')
    for (p++; p < end && IS_DIGIT (*p); p++, digits++, exp10--)
      mantissa = mantissa * 10 + (guint64) (*p - '0');
  if (digits > 19 || mantissa > (G_GUINT64_CONSTANT (1) << 53))
    return FALSE;
  if (p < end)  /* exponent */
    {
      gboolean neg_exp;
      int e = 0;

      p++;
      neg_exp = *p == '-';
      p += (*p == '-' || *p == '+');
      for (; p < end && IS_DIGIT (*p); p++)
        if ((e = e * 10 + (*p - '0')) > 1000)
          return FALSE;
      exp10 += neg_exp ? -e : e;
    }
  if (exp10 < -22 || exp10 > 22)
    return FALSE;
  v = (double) mantissa;
  v = exp10 < 0 ? v / powers[-exp10] : v * powers[exp10];
  *out = neg ? -v : v;
  return TRUE;
#else
  return FALSE;
#endif
}

/* g_ascii_strtod() on a valid number that is not NUL-terminated. */
static double
span_to_double (const guchar *p, gsize len)
{
  char buf[64];
  char *s;
  double v;

  if (fast_double (p, p + len, &v))
    return v;
  s = len < sizeof buf ? buf : g_malloc (len + 1);
  memcpy (s, p, len);
  s[len] = '\0';
  v = g_ascii_strtod (s, NULL);
  if (s != buf)
    g_free (s);
  return v;
}

/* Matches "true", "false" or "null" at @p; returns the end or NULL. */
static const guchar *
scan_literal (Ctx *cx, const guchar *p, const char *word, gsize n)
{
  gsize avail = (gsize) (cx->end - p);

  if (avail >= n && memcmp (p, word, n) == 0)
    return p + n;
  if (avail < n && memcmp (p, word, avail) == 0)
    return fail (cx, cx->end, N_("unexpected end of input")), NULL;
  return fail (cx, p, N_("invalid literal (expected true, false or null)")), NULL;
}

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
    parser_attach (ps, json_node_init_double (json_node_alloc (),
                                              span_to_double (p, (gsize) (ns.end - p))));
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
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      p = parser_number (ps, p);
      break;
    case 't': case 'f': case 'n':
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
  return fail (&ps->cx, p, top->object != NULL ? N_("expected ',' or '}' in an object")
                                               : N_("expected ',' or ']' in an array"));
}

JsonNode *
fraise_json_parse (const char *text,
                   gsize       len,
                   guint       max_depth,
                   GError    **error)
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
    g_clear_pointer (&ps.root, json_node_unref);  /* every node hangs off the root */

  if (ps.frames != ps.inline_frames)
    g_free (ps.frames);
  scratch_clear (&ps.key);
  scratch_clear (&ps.str);
  return root;
}

/* ---- paths --------------------------------------------------------------------- */

typedef struct {
  const char *key; /* NULL for an index */
  gsize key_len;
  gsize index;
} Segment;

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

static const guchar *skip_value (Ctx *cx, const guchar *p, guint depth);

/* @p is an opening bracket inside @depth containers; returns its end. */
static const guchar *
skip_container (Ctx *cx, const guchar *p, guint depth)
{
  const guchar *end = cx->end;
  guint level = 0;

  for (;;)
    {
      while (p < end && skip_class[*p] == SK_OTHER)
        p++;
      if (p >= end)
        return fail (cx, end, N_("unexpected end of input")), NULL;
      switch (skip_class[*p])
        {
        case SK_QUOTE:
          if ((p = skip_string (p + 1, end)) == NULL)
            return fail (cx, end, N_("unexpected end of input")), NULL;
          p++;
          break;
        case SK_OPEN:
          if (++level + depth > cx->max_depth)
            return fail_depth (cx, p), NULL;
          p++;
          break;
        default:
          p++;
          if (--level == 0)
            return p;
          break;
        }
    }
}

/* Skims over the value at @p (p < end) inside @depth containers. */
static const guchar *
skip_value (Ctx *cx, const guchar *p, guint depth)
{
  NumberScan ns;

  switch (*p)
    {
    case '"':
      if ((p = skip_string (p + 1, cx->end)) == NULL)
        return fail (cx, cx->end, N_("unexpected end of input")), NULL;
      return p + 1;
    case '{': case '[':
      return skip_container (cx, p, depth);
    case 't':
      return scan_literal (cx, p, "true", 4);
    case 'f':
      return scan_literal (cx, p, "false", 5);
    case 'n':
      return scan_literal (cx, p, "null", 4);
    default:
      if (*p == '-' || IS_DIGIT (*p))
        return scan_number (cx, p, &ns) ? ns.end : NULL;
      return fail (cx, p, N_("expected a value")), NULL;
    }
}

/* Does the key body (@key, @close) equal @seg's key once decoded? */
static LookupStatus
key_matches (Ctx *cx, const guchar *key, const guchar *close, const Segment *seg, Scratch *s)
{
  gsize raw = (gsize) (close - key);
  const guchar *end;
  gboolean escaped;
  const char *decoded;

  if (memchr (key, '\\', raw) == NULL)
    return raw == seg->key_len && memcmp (key, seg->key, raw) == 0
           ? LOOKUP_FOUND : LOOKUP_MISSING;

  if ((end = scan_string (cx, key, &escaped)) == NULL)
    return LOOKUP_FAILED;
  if (end != close)  /* cannot happen once escapes are valid; be safe */
    return fail (cx, end, N_("invalid string")), LOOKUP_FAILED;
  decoded = string_to_scratch (s, key, close, TRUE);
  return strlen (decoded) == seg->key_len && memcmp (decoded, seg->key, seg->key_len) == 0
         ? LOOKUP_FOUND : LOOKUP_MISSING;
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
  return p >= end || *p == ',' || *p == '}' || *p == ']'
         || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
}

/* Fills @out with the value at @p (p < end) inside @depth containers. */
static gboolean
value_span (Ctx *cx, const guchar *p, guint depth, FraiseJsonValue *out)
{
  const guchar *e;

  switch (*p)
    {
    case '"': out->type = FRAISE_JSON_TYPE_STRING; break;
    case '{': out->type = FRAISE_JSON_TYPE_OBJECT; break;
    case '[': out->type = FRAISE_JSON_TYPE_ARRAY; break;
    case 't': case 'f': out->type = FRAISE_JSON_TYPE_BOOLEAN; break;
    case 'n': out->type = FRAISE_JSON_TYPE_NULL; break;
    default: out->type = FRAISE_JSON_TYPE_NUMBER; break;
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
                 N_("unexpected character after the JSON value")), LOOKUP_FAILED;
  return LOOKUP_FOUND;
}

gboolean
fraise_json_lookup_full (const char      *text,
                         gsize            len,
                         const char      *path,
                         guint            max_depth,
                         FraiseJsonValue *out,
                         GError         **error)
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
fraise_json_lookup (const char      *text,
                    gsize            len,
                    const char      *path,
                    FraiseJsonValue *out,
                    GError         **error)
{
  return fraise_json_lookup_full (text, len, path, 0, out, error);
}

/* ---- typed accessors ---------------------------------------------------------- */

const char *
fraise_json_type_to_string (FraiseJsonType type)
{
  switch (type)
    {
    case FRAISE_JSON_TYPE_NULL: return "null";
    case FRAISE_JSON_TYPE_BOOLEAN: return "boolean";
    case FRAISE_JSON_TYPE_NUMBER: return "number";
    case FRAISE_JSON_TYPE_STRING: return "string";
    case FRAISE_JSON_TYPE_OBJECT: return "object";
    case FRAISE_JSON_TYPE_ARRAY: return "array";
    default: return "unknown";
    }
}

static gboolean
check_type (const FraiseJsonValue *value, FraiseJsonType type, GError **error)
{
  if (value->type == type)
    return TRUE;
  g_set_error (error, FRAISE_ERROR, FRAISE_ERROR_DESERIALIZATION,
               _("expected a JSON %s, found a JSON %s"),
               fraise_json_type_to_string (type), fraise_json_type_to_string (value->type));
  return FALSE;
}

char *
fraise_json_value_dup_string (const FraiseJsonValue *value,
                              GError               **error)
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
fraise_json_value_get_int (const FraiseJsonValue *value,
                           gint64                *out,
                           GError               **error)
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
                               : _("JSON number %.*s%s is not an integer"),
                   shown, value->start, value->len > 64 ? "…" : "");
      return FALSE;
    }
  if (out != NULL)
    *out = ns.value;
  return TRUE;
}

gboolean
fraise_json_value_get_double (const FraiseJsonValue *value,
                              double                *out,
                              GError               **error)
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
fraise_json_value_get_boolean (const FraiseJsonValue *value,
                               gboolean              *out,
                               GError               **error)
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
fraise_json_get_number_text (const char *text,
                             gsize       len,
                             const char *path,
                             GError    **error)
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
                   _("the JSON value at path \"%s\" is a %s, not a number"),
                   path, fraise_json_type_to_string (value.type));
      return NULL;
    }
  return g_strndup (value.start, value.len);
}
