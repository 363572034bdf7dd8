/* fraise-json-scan-private.h: the byte-level JSON scanner shared by the tree
 * parser and the path lookup (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Byte classes, the error context, scratch buffers, and the strict scanners
 * for strings, numbers and literals. They are static inline so both users
 * (fraise-json.c, fraise-json-lookup.c) compile them into their loops, as
 * when they lived in one file: the row path makes no extra calls.
 *
 * - Everything works on [start, end) and checks the bound before every
 *   read; the text need not be NUL-terminated.
 * - Strings are scanned with a byte-class table: plain ASCII is skipped in
 *   a tight loop; UTF-8 sequences are validated in place (no separate
 *   g_utf8_validate pass: outside strings only ASCII is legal anyway).
 *   Escapes are decoded in a second pass, only for strings that have them.
 */

#pragma once

#include "fraise-json-private.h"

#include <float.h>
#include <string.h>

G_BEGIN_DECLS

#define IS_DIGIT(c) ((guint) ((c) - '0') < 10u)

/* ---- byte classes ---------------------------------------------------------- */

enum {
  SC_PLAIN = 0, /* printable ASCII other than '"' and '\\' */
  SC_QUOTE,
  SC_BACKSLASH,
  SC_CONTROL, /* U+0000..U+001F must be escaped */
  SC_UTF8,    /* a possible lead byte of a multi-byte sequence */
  SC_INVALID, /* never valid in UTF-8 at this position */
};

static const guint8 string_class[256] = {
  [0x00 ... 0x1f] = SC_CONTROL, ['"'] = SC_QUOTE,          ['\\'] = SC_BACKSLASH,
  [0x80 ... 0xc1] = SC_INVALID, [0xc2 ... 0xf4] = SC_UTF8, [0xf5 ... 0xff] = SC_INVALID,
};

/* Bytes the container skipper must look at. */
enum {
  SK_OTHER = 0,
  SK_QUOTE,
  SK_OPEN,
  SK_CLOSE,
};

static const guint8 skip_class[256] = {
  ['"'] = SK_QUOTE, ['['] = SK_OPEN, ['{'] = SK_OPEN, [']'] = SK_CLOSE, ['}'] = SK_CLOSE,
};

/* ---- shared context and errors --------------------------------------------- */

typedef struct {
  const guchar *start; /* offsets in messages are relative to this */
  const guchar *end;
  guint max_depth;
  GError **error;
} Ctx;

static inline void
ctx_init (Ctx *cx, const char *text, gsize len, guint max_depth, GError **error)
{
  cx->start = (const guchar *) text;
  cx->end = cx->start + len;
  if (max_depth == 0)
    max_depth = FRAISE_JSON_DEFAULT_MAX_DEPTH;
  cx->max_depth = MIN (max_depth, FRAISE_JSON_MAX_DEPTH_LIMIT);
  cx->error = error;
}

static inline gboolean
fail (Ctx *cx, const guchar *at, const char *reason)
{
  g_set_error (cx->error, FRAISE_ERROR, FRAISE_ERROR_JSON,
               _("invalid JSON at byte %zu: %s"), (size_t) (at - cx->start), _(reason));
  return FALSE;
}

/* Reports "unexpected end of input" when @at is the end, @reason otherwise. */
static inline gboolean
fail_at (Ctx *cx, const guchar *at, const char *reason)
{
  if (at >= cx->end)
    return fail (cx, cx->end, N_("unexpected end of input"));
  return fail (cx, at, reason);
}

static inline gboolean
fail_depth (Ctx *cx, const guchar *at)
{
  g_set_error (cx->error, FRAISE_ERROR, FRAISE_ERROR_JSON,
               _("JSON nesting depth exceeds %u (at byte %zu)"), cx->max_depth,
                  (size_t) (at - cx->start));
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

static inline void
scratch_init (Scratch *s)
{
  s->data = s->inline_data;
  s->size = sizeof s->inline_data;
}

static inline void
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
static inline gsize
utf8_sequence_length (const guchar *p, const guchar *end)
{
  gsize avail = (gsize) (end - p);
  guchar c = p[0];
  guchar lo = 0x80, hi = 0xbf;

  if (c < 0xe0)
    return (avail >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;

  if (c == 0xe0 || c == 0xf0)
    lo = c == 0xe0 ? 0xa0 : 0x90; /* overlong forms */
  else if (c == 0xed)
    hi = 0x9f; /* UTF-16 surrogates */
  else if (c == 0xf4)
    hi = 0x8f; /* above U+10FFFF */

  if (c < 0xf0)
    return (avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80) ? 3 : 0;

  return (avail >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80)
           ? 4
           : 0;
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
static inline int
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
static inline gsize
check_escape (Ctx *cx, const guchar *p)
{
  gsize avail = (gsize) (cx->end - p);

  if (avail < 2)
    return fail (cx, cx->end, N_("unexpected end of input")), 0;

  switch (p[1])
    {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
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
static inline const guchar *
scan_string (Ctx *cx, const guchar *p, gboolean *escaped)
{
  const guchar *end = cx->end;
  gboolean esc = FALSE;

  for (;;)
    {
      gsize n;

      while (end - p >= 4 && string_class[p[0]] == SC_PLAIN && string_class[p[1]] == SC_PLAIN &&
             string_class[p[2]] == SC_PLAIN && string_class[p[3]] == SC_PLAIN)
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
static inline gsize
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
        case 'b':
          *o++ = '\b';
          p += 2;
          continue;
        case 'f':
          *o++ = '\f';
          p += 2;
          continue;
        case 'n':
          *o++ = '\n';
          p += 2;
          continue;
        case 'r':
          *o++ = '\r';
          p += 2;
          continue;
        case 't':
          *o++ = '\t';
          p += 2;
          continue;
        case 'u':
          break;
        default:
          *o++ = (char) p[1];
          p += 2;
          continue;
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
static inline const char *
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
static inline const guchar *
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
  gboolean is_int;   /* no fraction or exponent, and within gint64 */
  gboolean integral; /* no fraction or exponent */
  gint64 value;
} NumberScan;

/* Strict RFC 8259 number at @p. */
static inline gboolean
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
      if (++digits <= 19) /* 19 digits cannot overflow a guint64 */
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
  ns->is_int = ns->integral && digits <= 19 && mag <= (guint64) G_MAXINT64 + (neg ? 1 : 0);
  if (ns->is_int)
    ns->value = !neg ? (gint64) mag : mag == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) mag;
  return TRUE;
}

/* Clinger's fast path: when the decimal mantissa fits in 53 bits and the
 * power of ten is at most 22, both are exact doubles and one IEEE
 * multiplication or division rounds correctly. @p is a valid number. */
static inline gboolean
fast_double (const guchar *p, const guchar *end, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
  static const double powers[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
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
  if (p < end) /* exponent */
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
static inline double
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
static inline const guchar *
scan_literal (Ctx *cx, const guchar *p, const char *word, gsize n)
{
  gsize avail = (gsize) (cx->end - p);

  if (avail >= n && memcmp (p, word, n) == 0)
    return p + n;
  if (avail < n && memcmp (p, word, avail) == 0)
    return fail (cx, cx->end, N_("unexpected end of input")), NULL;
  return fail (cx, p, N_("invalid literal (expected true, false or null)")), NULL;
}

/* ---- skimming ----------------------------------------------------------------- */

/* Skimming skips a value without validating strings or the container's
 * structure (the lookup reads only what a path needs; the object builder
 * runs after a strict check): only the nesting depth and the bounds. */
static inline const guchar *skip_value (Ctx *cx, const guchar *p, guint depth);

/* @p is an opening bracket inside @depth containers; returns its end. */
static inline const guchar *
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
static inline const guchar *
skip_value (Ctx *cx, const guchar *p, guint depth)
{
  NumberScan ns;

  switch (*p)
    {
    case '"':
      if ((p = skip_string (p + 1, cx->end)) == NULL)
        return fail (cx, cx->end, N_("unexpected end of input")), NULL;
      return p + 1;
    case '{':
    case '[':
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

G_END_DECLS
