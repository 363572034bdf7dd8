/* fraise-pushdown-private.h: moving elements after the source into its SQL (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Before a run starts its query, the elements directly after the `query`
 * source are merged into it while the result stays provably the same
 * (SPEC §6.2, docs/filter.md): a `filter` with push-down sends its exact
 * conjuncts as WHERE, and only when the source has no LIMIT, OFFSET or
 * projection (a filter after a limit is not a WHERE) and its data column is
 * jsonb; a `limit` becomes the query's LIMIT, and a `project` a projection
 * that sends only the named fields (the element still writes the row), but
 * only when everything before them was merged.
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

/* What push-down decided, for `fraise-launch --explain`. */
typedef struct {
  GPtrArray *lines;  /* of char *: one per decision, translated */
  GPtrArray *pushed; /* of FraiseExpr *: the filters whose exact part went into WHERE */
} FraisePushdownReport;

FraisePushdownReport *_fraise_pushdown_report_new (void);
void _fraise_pushdown_report_free (FraisePushdownReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraisePushdownReport, _fraise_pushdown_report_free)

/* TRUE when an element of @elements (the chain, [0] the source) could be
 * merged once the type of the source's data column is known. */
gboolean _fraise_pushdown_needs_type (GPtrArray *elements);

/* Merges what it can of @elements into @query (built from elements[0]),
 * @jsonb telling whether the data column is jsonb, and tells the merged
 * elements for this run. @report (nullable) collects the decisions. */
void _fraise_pushdown_apply (GPtrArray *elements,
                             FraiseQuery *query,
                             gboolean jsonb,
                             FraisePushdownReport *report);

/* Tells every element of @elements that nothing was merged: they do all
 * their work on the client. */
void _fraise_pushdown_clear (GPtrArray *elements);

/* The type OID of `data` in @source on @client (a `LIMIT 0` query). */
void _fraise_pushdown_probe_async (FraiseClient *client,
                                   const char *source,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
guint32 _fraise_pushdown_probe_finish (GAsyncResult *result, GError **error);

G_END_DECLS
