/* fraise-plan.c: the immutable execution plan and the shared filter closure
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-plan-private.h"

FraiseFilter *
_fraise_filter_new (FraiseRowFilterFunc func, gpointer data, GDestroyNotify destroy)
{
  FraiseFilter *filter = g_atomic_rc_box_new0 (FraiseFilter);

  filter->func = func;
  filter->data = data;
  filter->destroy = destroy;
  return filter;
}

FraiseFilter *
_fraise_filter_new_check (FraiseFilterCheckFunc check, gpointer data, GDestroyNotify destroy)
{
  FraiseFilter *filter = g_atomic_rc_box_new0 (FraiseFilter);

  filter->check = check;
  filter->data = data;
  filter->destroy = destroy;
  return filter;
}

typedef struct {
  FraiseFilter *first;
  FraiseFilter *second;
} FilterPair;

static gboolean
pair_check (FraiseRow *row, gpointer data, GError **error)
{
  FilterPair *pair = data;

  return _fraise_filter_accepts (pair->first, row, error) &&
         _fraise_filter_accepts (pair->second, row, error);
}

static void
pair_free (gpointer data)
{
  FilterPair *pair = data;

  _fraise_filter_unref (pair->first);
  _fraise_filter_unref (pair->second);
  g_free (pair);
}

FraiseFilter *
_fraise_filter_new_both (FraiseFilter *first, FraiseFilter *second)
{
  FilterPair *pair;

  if (first == NULL || second == NULL)
    return first != NULL    ? _fraise_filter_ref (first)
           : second != NULL ? _fraise_filter_ref (second)
                            : NULL;
  pair = g_new (FilterPair, 1);
  pair->first = _fraise_filter_ref (first);
  pair->second = _fraise_filter_ref (second);
  return _fraise_filter_new_check (pair_check, pair, pair_free);
}

FraiseFilter *
_fraise_filter_ref (FraiseFilter *filter)
{
  return g_atomic_rc_box_acquire (filter);
}

static void
filter_clear (gpointer data)
{
  FraiseFilter *filter = data;

  if (filter->destroy != NULL)
    filter->destroy (filter->data);
}

void
_fraise_filter_unref (FraiseFilter *filter)
{
  g_atomic_rc_box_release_full (filter, filter_clear);
}

FraisePlan *
_fraise_plan_new (const FraisePlan *settings, char *sql, FraiseFilter *filter)
{
  FraisePlan *plan = g_atomic_rc_box_new0 (FraisePlan);

  *plan = *settings;
  plan->sql = sql;
  plan->filter = filter != NULL ? _fraise_filter_ref (filter) : NULL;
  return plan;
}

FraisePlan *
_fraise_plan_ref (FraisePlan *plan)
{
  return g_atomic_rc_box_acquire (plan);
}

static void
plan_clear (gpointer data)
{
  FraisePlan *plan = data;

  g_free (plan->sql);
  g_clear_pointer (&plan->filter, _fraise_filter_unref);
}

void
_fraise_plan_unref (FraisePlan *plan)
{
  g_atomic_rc_box_release_full (plan, plan_clear);
}
