/* fraise-pushdown.c: merging the elements after the source into its query
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rules are in fraise-pushdown-private.h; why a pushed filter keeps the
 * same rows is in fraise-expr-sql-private.h. A filter is only pushed on a
 * jsonb column: on json, `->` and casts can fail on documents the client
 * reads fine (a \u0000 escape, a number beyond numeric), so every conjunct
 * stays on the client there.
 */

#include "fraise-pushdown-private.h"
#include "fraise-elements-private.h"
#include "fraise-expr-sql-private.h"
#include "fraise-proto.h"
#include "fraise-stream-private.h"

FraisePushdownReport *
_fraise_pushdown_report_new (void)
{
  FraisePushdownReport *report = g_new0 (FraisePushdownReport, 1);

  report->lines = g_ptr_array_new_with_free_func (g_free);
  report->pushed = g_ptr_array_new_with_free_func ((GDestroyNotify) fraise_expr_unref);
  return report;
}

void
_fraise_pushdown_report_free (FraisePushdownReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->lines);
  g_ptr_array_unref (report->pushed);
  g_free (report);
}

static void
say (FraisePushdownReport *report, FraiseElement *element, char *text)
{
  if (report == NULL)
    {
      g_free (text);
      return;
    }
  g_ptr_array_add (report->lines,
                   g_strdup_printf ("%s: %s", fraise_element_get_name (element), text));
  g_free (text);
}

static gboolean
is_a (FraiseElement *element, GType (*get_type) (void))
{
  return G_TYPE_CHECK_INSTANCE_TYPE (element, get_type ());
}

/* The source's own LIMIT, OFFSET and projection. */
static void
source_shape (FraiseElement *source, gint64 *limit, gint64 *offset, gboolean *projected)
{
  g_autofree char *projection = NULL;

  g_object_get (source, "limit", limit, "offset", offset, "projection", &projection, NULL);
  *projected = projection != NULL && *projection != '\0';
}

gboolean
_fraise_pushdown_needs_type (GPtrArray *elements)
{
  for (guint i = 1; i < elements->len; i++)
    {
      FraiseElement *element = g_ptr_array_index (elements, i);

      if (is_a (element, fraise_limit_element_get_type))
        continue;
      if (is_a (element, fraise_project_element_get_type))
        return TRUE;
      return is_a (element, fraise_filter_element_get_type) &&
             _fraise_filter_element_get_push_down (element) &&
             _fraise_filter_element_get_expr (element) != NULL;
    }
  return FALSE;
}

/* Pushes the filter's exact conjuncts; TRUE when all of them were. */
static gboolean
push_filter (FraiseElement *element, FraiseQuery *query, FraisePushdownReport *report)
{
  FraiseExprPushdown *pushdown =
    _fraise_expr_pushdown_new (_fraise_filter_element_get_expr (element), "data");
  g_autofree char *where = _fraise_expr_pushdown_where (pushdown);
  gboolean complete = pushdown->n_pushed == pushdown->conjuncts->len;

  if (where != NULL)
    {
      fraise_query_add_where_sql (query, where);
      say (report, element, g_strdup_printf (_("pushed into WHERE: %s"), where));
      if (report != NULL)
        g_ptr_array_add (report->pushed, fraise_expr_ref (pushdown->expr));
    }
  for (guint i = 0; i < pushdown->conjuncts->len; i++)
    {
      FraiseExprConjunct *c = &g_array_index (pushdown->conjuncts, FraiseExprConjunct, i);
      g_autofree char *text = NULL;

      if (report == NULL)
        break;
      if (c->sql != NULL)
        continue;
      text = _fraise_expr_conjunct_to_string (c);
      say (report, element, g_strdup_printf (_("on the client: %s (%s)"), text, _(c->reason)));
    }
  _fraise_filter_element_set_pushdown (element, pushdown);
  return complete;
}

void
_fraise_pushdown_clear (GPtrArray *elements)
{
  for (guint i = 1; i < elements->len; i++)
    {
      FraiseElement *element = g_ptr_array_index (elements, i);

      if (is_a (element, fraise_filter_element_get_type))
        _fraise_filter_element_set_pushdown (element, NULL);
      else if (is_a (element, fraise_limit_element_get_type))
        _fraise_limit_element_set_merged (element, FALSE);
    }
}

void
_fraise_pushdown_apply (GPtrArray *elements,
                        FraiseQuery *query,
                        gboolean jsonb,
                        FraisePushdownReport *report)
{
  FraiseElement *source = g_ptr_array_index (elements, 0);
  gint64 limit, offset;
  gboolean projected, filters_ok;
  guint i;

  _fraise_pushdown_clear (elements);

  source_shape (source, &limit, &offset, &projected);
  filters_ok = limit < 0 && offset < 0 && !projected;
  for (i = 1; i < elements->len; i++)
    {
      FraiseElement *element = g_ptr_array_index (elements, i);

      if (is_a (element, fraise_filter_element_get_type))
        {
          const char *why = NULL;

          if (!_fraise_filter_element_get_push_down (element))
            why = _("on the client: push-down=false");
          else if (!filters_ok)
            why = _("on the client: it reads what a LIMIT, OFFSET or projection before it left");
          else if (!jsonb)
            why = _("on the client: the data column is not jsonb");
          if (why != NULL)
            {
              say (report, element, g_strdup (why));
              break;
            }
          if (!push_filter (element, query, report))
            break;
        }
      else if (is_a (element, fraise_limit_element_get_type))
        {
          gint64 count = _fraise_limit_element_get_count (element);

          limit = limit < 0 ? count : MIN (limit, count);
          fraise_query_set_limit (query, limit);
          _fraise_limit_element_set_merged (element, TRUE);
          filters_ok = FALSE;
          if (report != NULL)
            {
              g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, limit);

              say (report, element, g_strdup_printf (_("merged: LIMIT %s"), number));
            }
        }
      else if (is_a (element, fraise_project_element_get_type))
        {
          g_autofree char *projection = NULL;
          const char *why = NULL;

          if (projected)
            why = _("on the client: the source projects already");
          else if (!jsonb)
            why = _("on the client: the data column is not jsonb");
          else if ((projection = _fraise_project_element_dup_projection (element)) == NULL)
            why = _("on the client: a field has no SQL form");
          if (why != NULL)
            {
              say (report, element, g_strdup (why));
              break;
            }
          fraise_query_set_projection (query, projection);
          projected = TRUE;
          filters_ok = FALSE;
          say (report, element,
               g_strdup_printf (_("the server sends only the fields: %s"), projection));
        }
      else
        break;
    }
  /* What follows the element that stopped the merge stays on the client. */
  for (i++; i < elements->len; i++)
    {
      FraiseElement *element = g_ptr_array_index (elements, i);

      if (is_a (element, fraise_filter_element_get_type) ||
          is_a (element, fraise_limit_element_get_type) ||
          is_a (element, fraise_project_element_get_type))
        say (report, element,
             g_strdup (_("on the client: an element before it does its work on the client")));
    }
}

/* ---- the type of the data column ---------------------------------------- */

static void
on_probe_end (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GPtrArray) batch = NULL;
  GError *error = NULL;

  batch = fraise_stream_next_batch_finish (FRAISE_STREAM (object), result, &error);
  if (batch == NULL)
    g_task_return_error (task, error);
  else if (batch->len > 0) /* LIMIT 0: never */
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      fraise_stream_next_batch_async (FRAISE_STREAM (object), cancellable, on_probe_end,
                                      g_steal_pointer (&task));
    }
  else
    g_task_return_int (task, _fraise_stream_get_data_type (FRAISE_STREAM (object)));
}

static void
on_probe_executed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (FraiseStream) stream = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  stream = fraise_query_execute_finish (FRAISE_QUERY (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The type is known now; reading to the end frees the connection. */
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);
  cancellable = g_task_get_cancellable (task);
  fraise_stream_next_batch_async (stream, cancellable, on_probe_end, g_steal_pointer (&task));
}

void
_fraise_pushdown_probe_async (FraiseClient *client,
                              const char *source,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (FraiseQuery) query = fraise_client_query (client, source);
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, _fraise_pushdown_probe_async);
  fraise_query_set_limit (query, 0);
  fraise_query_execute_async (query, cancellable, on_probe_executed, task);
}

guint32
_fraise_pushdown_probe_finish (GAsyncResult *result, GError **error)
{
  gssize oid = g_task_propagate_int (G_TASK (result), error);

  return oid < 0 ? 0 : (guint32) oid;
}
