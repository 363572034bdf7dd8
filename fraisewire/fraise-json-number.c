/* fraise-json-number.c: exact comparison of JSON number texts (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A double holds 53 bits: 9007199254740993 and 9007199254740992 are one
 * double, and 1e400 is infinity like 2e400. The filter language compares
 * numbers as PostgreSQL's numeric does, exactly, so both sides of a
 * pushed-down filter agree. A number is read as 0.DDDD × 10^E: its
 * significant digits (leading and trailing zeros dropped, across the decimal
 * point) and its decimal exponent. Magnitudes compare by E first, then by
 * the digits. E is the written exponent plus a shift bounded by the length
 * of the text; when the written exponent does not fit in 17 digits the
 * comparison of the two E is done on the exponent texts.
 */

#include "fraise-json-private.h"

#include <string.h>

#define IS_DIGIT(c) ((guint) ((c) - '0') < 10u)

/* Exponents with fewer digits than this are added as integers. */
#define SMALL_EXPONENT_DIGITS 17

typedef struct {
  int sign;           /* -1, +1; 0 for any zero */
  const char *digits; /* integer digits then fraction digits (the '.' is skipped) */
  gsize n_int;        /* digits before the '.' */
  gsize n_all;        /* digits in all */
  gsize first, last;  /* the significant digits: [first, last] */
  gboolean exp_neg;   /* the written exponent */
  const char *exp;    /* its digits without leading zeros */
  gsize exp_len;
  gint64 shift; /* E = shift + written exponent */
} Decimal;

static char
digit_at (const Decimal *d, gsize k)
{
  /* Fraction digits sit one byte further, after the '.'. */
  return k < d->n_int ? d->digits[k] : d->digits[k + 1];
}

static void
decimal_read (const char *text, gsize len, Decimal *d)
{
  const char *p = text, *end = text + len;
  gsize k;

  memset (d, 0, sizeof *d);
  d->sign = 1;
  if (p < end && *p == '-')
    {
      d->sign = -1;
      p++;
    }
  d->digits = p;
  while (p < end && IS_DIGIT (*p))
    p++;
  d->n_int = (gsize) (p - d->digits);
  d->n_all = d->n_int;
  if (p < end && *p == '.')
    for (p++; p < end && IS_DIGIT (*p); p++)
      d->n_all++;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        d->exp_neg = *p++ == '-';
      while (p < end && *p == '0')
        p++;
      d->exp = p;
      d->exp_len = (gsize) (end - p);
    }

  for (k = 0; k < d->n_all && digit_at (d, k) == '0'; k++)
    ;
  if (k == d->n_all)
    {
      d->sign = 0;
      return;
    }
  d->first = k;
  for (k = d->n_all - 1; digit_at (d, k) == '0'; k--)
    ;
  d->last = k;
  d->shift = (gint64) d->n_int - (gint64) d->first;
}

static gint64
small_exponent (const Decimal *d)
{
  gint64 v = 0;

  for (gsize i = 0; i < d->exp_len; i++)
    v = v * 10 + (d->exp[i] - '0');
  return d->exp_neg ? -v : v;
}

static int
compare_digit_strings (const char *a, gsize a_len, const char *b, gsize b_len)
{
  if (a_len != b_len)
    return a_len < b_len ? -1 : 1;
  return memcmp (a, b, a_len);
}

/* |@a| - |@b| for digit strings with |@a| >= |@b|, as a gint64 when it has
 * at most 17 digits; G_MAXINT64 when it is larger. */
static gint64
magnitude_difference (const char *a, gsize a_len, const char *b, gsize b_len)
{
  g_autofree char *out = g_malloc (a_len);
  int borrow = 0;
  gsize i, start;
  gint64 v = 0;

  for (i = 0; i < a_len; i++)
    {
      int da = a[a_len - 1 - i] - '0';
      int db = i < b_len ? b[b_len - 1 - i] - '0' : 0;
      int r = da - db - borrow;

      borrow = r < 0;
      out[a_len - 1 - i] = (char) ('0' + (r < 0 ? r + 10 : r));
    }
  for (start = 0; start < a_len && out[start] == '0'; start++)
    ;
  if (a_len - start > SMALL_EXPONENT_DIGITS)
    return G_MAXINT64;
  for (i = start; i < a_len; i++)
    v = v * 10 + (out[i] - '0');
  return v;
}

/* Compares the exponents E of two nonzero decimals. */
static int
compare_exponents (const Decimal *a, const Decimal *b)
{
  gint64 d, diff;
  int a_sign, b_sign, order;

  if (a->exp_len < SMALL_EXPONENT_DIGITS && b->exp_len < SMALL_EXPONENT_DIGITS)
    {
      gint64 ea = a->shift + small_exponent (a), eb = b->shift + small_exponent (b);

      return ea < eb ? -1 : ea > eb;
    }

  /* Ea - Eb = (xa - xb) - (b->shift - a->shift): the shifts are below the
   * length of a text (far under 10^15), at least one |x| is 10^16 or more. */
  d = b->shift - a->shift;
  a_sign = a->exp_len == 0 ? 0 : a->exp_neg ? -1 : 1;
  b_sign = b->exp_len == 0 ? 0 : b->exp_neg ? -1 : 1;
  if (a_sign != b_sign)
    return a_sign < b_sign ? -1 : 1; /* |xa - xb| >= 10^16 > |d| */

  order = compare_digit_strings (a->exp, a->exp_len, b->exp, b->exp_len);
  if (order >= 0)
    diff = magnitude_difference (a->exp, a->exp_len, b->exp, b->exp_len);
  else
    diff = magnitude_difference (b->exp, b->exp_len, a->exp, a->exp_len);
  if (diff == G_MAXINT64)
    return order * a_sign;
  /* xa - xb = a_sign * (±diff) */
  diff = (order >= 0 ? diff : -diff) * a_sign;
  return diff < d ? -1 : diff > d;
}

/* Compares |a| and |b| of two nonzero decimals. */
static int
compare_magnitudes (const Decimal *a, const Decimal *b)
{
  gsize ia = a->first, ib = b->first;
  int order = compare_exponents (a, b);

  if (order != 0)
    return order;
  for (; ia <= a->last && ib <= b->last; ia++, ib++)
    {
      char ca = digit_at (a, ia), cb = digit_at (b, ib);

      if (ca != cb)
        return ca < cb ? -1 : 1;
    }
  if (ia <= a->last)
    return 1;
  return ib <= b->last ? -1 : 0;
}

int
fraise_json_number_compare (const char *a, gsize a_len, const char *b, gsize b_len)
{
  Decimal da, db;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  decimal_read (a, a_len, &da);
  decimal_read (b, b_len, &db);
  if (da.sign != db.sign)
    return da.sign < db.sign ? -1 : 1;
  if (da.sign == 0)
    return 0;
  return da.sign * compare_magnitudes (&da, &db);
}
