/* fraise-plan-private.h: the immutable execution plan a query hands its stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A FraiseQuery is a mutable builder; executing it freezes what the stream
 * needs into a plan: the SQL text, the flow options, the deadline, whether a
 * projection replaces `data`, and the client-side filter. The stream reads
 * only its plan, never the query, so changing or dropping the query while
 * its stream runs cannot touch the stream.
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* A reference-counted filter closure: the function, its data, and the
 * GDestroyNotify that frees the data once the last holder (the query or a
 * running stream's plan) lets go. The function is either the application's
 * FraiseRowFilterFunc (@func) or one that can fail (@check: a filter
 * expression on a row that is not valid JSON where it reads), never both. */
typedef struct _FraiseFilter FraiseFilter;

/* TRUE to keep @row; FALSE to drop it, or with @error set to fail the stream. */
typedef gboolean (*FraiseFilterCheckFunc) (FraiseRow *row, gpointer data, GError **error);

struct _FraiseFilter {
  FraiseRowFilterFunc func;
  FraiseFilterCheckFunc check;
  gpointer data;
  GDestroyNotify destroy;
};

FraiseFilter *_fraise_filter_new (FraiseRowFilterFunc func, gpointer data, GDestroyNotify destroy);
FraiseFilter *
_fraise_filter_new_check (FraiseFilterCheckFunc check, gpointer data, GDestroyNotify destroy);
/* A filter keeping the rows that both keep: @first, then @second (both
 * referenced); either may be NULL (then the other is returned, referenced). */
FraiseFilter *_fraise_filter_new_both (FraiseFilter *first, FraiseFilter *second);
FraiseFilter *_fraise_filter_ref (FraiseFilter *filter);
void _fraise_filter_unref (FraiseFilter *filter);

/* Whether @row passes @filter (NULL: no filter); FALSE with @error set when
 * the filter failed on it. */
static inline gboolean
_fraise_filter_accepts (const FraiseFilter *filter, FraiseRow *row, GError **error)
{
  if (filter == NULL)
    return TRUE;
  if (filter->check != NULL)
    return filter->check (row, filter->data, error);
  return filter->func (row, filter->data);
}

typedef struct {
  char *sql;
  guint chunk_size; /* at least 1 */
  gboolean adaptive_chunking;
  guint64 max_memory;   /* at least 1 */
  guint64 max_row_size; /* 1 .. 1 GiB */
  GType row_type;       /* G_TYPE_NONE for untyped rows */
  guint timeout_ms;     /* 0: no client deadline */
  gboolean projected;   /* a projection replaces `data`: any column name */
  FraiseFilter *filter; /* nullable, a reference */
} FraisePlan;

/* Takes @sql and a reference on @filter (nullable); the other fields are
 * copied from @settings. The result is read-only from then on. */
FraisePlan *_fraise_plan_new (const FraisePlan *settings, char *sql, FraiseFilter *filter);
FraisePlan *_fraise_plan_ref (FraisePlan *plan);
void _fraise_plan_unref (FraisePlan *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraisePlan, _fraise_plan_unref)

G_END_DECLS
