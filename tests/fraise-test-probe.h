/* fraise-test-probe.h: a scriptable pipeline element for the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A probe forwards rows (or keeps them, as a sink) and logs what the
 * pipeline does to it: "start", "finish", "reset", and the index of each
 * row it is given. At a chosen row it can misbehave in each of the ways
 * an element can: PENDING, STOP, a GError, ERROR without a GError, a
 * GError with OK.
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

typedef enum {
  PROBE_PASS,
  PROBE_PENDING,       /* return PENDING at the chosen row */
  PROBE_STOP,          /* return STOP at the chosen row */
  PROBE_FAIL,          /* set a GError and return ERROR */
  PROBE_BARE_ERROR,    /* return ERROR without a GError (a binding's exception) */
  PROBE_ERROR_WITH_OK, /* set a GError but return OK */
  PROBE_DEFER_FINISH,  /* defer the finish */
} ProbeMode;

#define FRAISE_TYPE_TEST_PROBE (fraise_test_probe_get_type ())
G_DECLARE_FINAL_TYPE (FraiseTestProbe, fraise_test_probe, FRAISE, TEST_PROBE, FraiseElement)

struct _FraiseTestProbe {
  FraiseElement parent_instance;

  gboolean sink; /* keep rows instead of pushing them */
  ProbeMode mode;
  guint64 at;      /* the row index the mode applies to */
  GString *log;    /* "start row:0 row:1 … finish" */
  GPtrArray *rows; /* rows given (sinks) */
  guint starts, finishes, resets;
};

FraiseTestProbe *
fraise_test_probe_new (const char *name, gboolean sink, ProbeMode mode, guint64 at);

/* @n rows {"i":k} with indexes 0..n-1. */
GPtrArray *fraise_test_rows (guint n);

/* Runs @pipeline on @rows to the end (iterating the default context). */
gboolean fraise_test_run_rows (FraisePipeline *pipeline,
                               GPtrArray *rows,
                               GCancellable *cancellable,
                               GError **error);

G_END_DECLS
