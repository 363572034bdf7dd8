/* test-result.c: the query result reader, fed byte vectors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each case is a sequence of backend messages written out as bytes, framed by
 * the protocol reader and fed to a FraiseResult; the events that come back
 * are compared as one line ("described row none ready"), errors with their
 * code and a fragment of their message.
 */

#include "fraise-test-utils.h"
#include "fraise-result-private.h"

#include <string.h>

/* ---- messages as bytes ---------------------------------------------------- */

/* One message per line, its fields side by side. */
/* clang-format off */

/* RowDescription: one jsonb column "data", text format. */
#define T_DATA "T\0\0\0\x1d" "\0\x01" "data\0" "\0\0\0\0" "\0\0" "\0\0\x0e\xda" "\xff\xff" \
               "\xff\xff\xff\xff" "\0\0"
/* The same column as json (114). */
#define T_JSON "T\0\0\0\x1d" "\0\x01" "data\0" "\0\0\0\0" "\0\0" "\0\0\0\x72" "\xff\xff" \
               "\xff\xff\xff\xff" "\0\0"
/* One column "info" of type jsonb. */
#define T_INFO "T\0\0\0\x1d" "\0\x01" "info\0" "\0\0\0\0" "\0\0" "\0\0\x0e\xda" "\xff\xff" \
               "\xff\xff\xff\xff" "\0\0"
/* One column "data" of type text (25). */
#define T_TEXT "T\0\0\0\x1d" "\0\x01" "data\0" "\0\0\0\0" "\0\0" "\0\0\0\x19" "\xff\xff" \
               "\xff\xff\xff\xff" "\0\0"
/* One column "data" of type jsonb in binary format. */
#define T_BINARY "T\0\0\0\x1d" "\0\x01" "data\0" "\0\0\0\0" "\0\0" "\0\0\x0e\xda" "\xff\xff" \
                 "\xff\xff\xff\xff" "\0\x01"
/* Two jsonb columns "data" and "x". */
#define T_TWO "T\0\0\0\x31" "\0\x02" "data\0" "\0\0\0\0" "\0\0" "\0\0\x0e\xda" "\xff\xff" \
              "\xff\xff\xff\xff" "\0\0" "x\0" "\0\0\0\0" "\0\0" "\0\0\x0e\xda" "\xff\xff" \
              "\xff\xff\xff\xff" "\0\0"
/* A RowDescription that claims one column and ends inside it. */
#define T_SHORT "T\0\0\0\x0b" "\0\x01" "data\0"

#define D_ROW "D\0\0\0\x11" "\0\x01" "\0\0\0\x07" "{\"a\":1}"
#define D_NULL "D\0\0\0\x0a" "\0\x01" "\xff\xff\xff\xff"
#define D_TWO "D\0\0\0\x12" "\0\x02" "\0\0\0\x02" "{}" "\0\0\0\x02" "[]"
/* A field length running past the end of the body. */
#define D_LONG "D\0\0\0\x0a" "\0\x01" "\0\0\0\x40"
#define C_SELECT "C\0\0\0\x0d" "SELECT 1\0"
#define C_SET "C\0\0\0\x08" "SET\0"
#define C_UNTERMINATED "C\0\0\0\x07" "SET"
#define I_EMPTY "I\0\0\0\x04"
#define I_BODY "I\0\0\0\x05" "x"
#define E_ERROR "E\0\0\0\x17" "SERROR\0" "C42P01\0" "Mno\0" "\0"
#define E_UNTERMINATED "E\0\0\0\x0b" "SERROR\0"
#define Z_IDLE "Z\0\0\0\x05" "I"
#define Z_BAD "Z\0\0\0\x05" "Q"
#define H_COPY "H\0\0\0\x09" "\0" "\0\x01" "\0\0"
#define H_BAD "H\0\0\0\x09" "\x07" "\0\x01" "\0\0"
#define d_DATA "d\0\0\0\x07" "abc"
#define c_DONE "c\0\0\0\x04"
#define c_BODY "c\0\0\0\x05" "x"
#define G_COPY "G\0\0\0\x09" "\0" "\0\x01" "\0\0"
#define W_COPY "W\0\0\0\x09" "\0" "\0\x01" "\0\0"
#define n_NODATA "n\0\0\0\x04"
#define t_PARAMS "t\0\0\0\x06" "\0\0"
#define one_PARSE "1\0\0\0\x04"
#define two_BIND "2\0\0\0\x04"
#define three_CLOSE "3\0\0\0\x04"
#define s_SUSPENDED "s\0\0\0\x04"
#define R_AUTH_OK "R\0\0\0\x08" "\0\0\0\0"
#define K_KEY "K\0\0\0\x0c" "\0\0\0\x01" "\0\0\0\x02"
#define v_VERSION "v\0\0\0\x0c" "\0\0\0\0" "\0\0\0\0"
#define x_UNKNOWN "x\0\0\0\x04"
/* clang-format on */

/* ---- running a case --------------------------------------------------------- */

static const char *
event_name (FraiseResultEvent event)
{
  switch (event)
    {
    case FRAISE_RESULT_NONE:
      return "none";
    case FRAISE_RESULT_DESCRIBED:
      return "described";
    case FRAISE_RESULT_ROW:
      return "row";
    case FRAISE_RESULT_SERVER_ERROR:
      return "server-error";
    case FRAISE_RESULT_REFUSED:
      return "refused";
    case FRAISE_RESULT_PROTOCOL:
      return "protocol";
    case FRAISE_RESULT_READY:
    default:
      return "ready";
    }
}

/* Feeds @len bytes of messages; returns the events, space-separated, with
 * ":SCHEMA" after an event that carried an INVALID_SCHEMA error and
 * ":PROTOCOL" for a PROTOCOL one, "=<text>" after a row. Stops after a
 * protocol error (the connection would be closed). The last error's message
 * goes to *@last_message. */
static char *
run (gboolean projected, const char *bytes, gsize len, char **last_message)
{
  g_autoptr(GString) trace = g_string_new (NULL);
  FraiseProtoReader *reader = fraise_proto_reader_new (1024);
  FraiseResult result;
  FraiseProtoFrame frame;

  fraise_result_init (&result, projected);
  fraise_proto_reader_feed (reader, (const guint8 *) bytes, len);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) frame_error = NULL;
      g_autoptr(FraiseServerMessage) message = NULL;
      FraiseProtoField field = { NULL, 0 };
      FraiseResultEvent event;
      FraiseProtoStatus status = fraise_proto_reader_next_frame (reader, &frame, &frame_error);

      g_assert_no_error (frame_error);
      if (status != FRAISE_PROTO_FRAME)
        break;
      event = fraise_result_feed (&result, &frame, &field, &message, &error);
      if (trace->len > 0)
        g_string_append_c (trace, ' ');
      g_string_append (trace, event_name (event));
      /* Each event says exactly which outputs it sets. */
      g_assert_true ((message != NULL) == (event == FRAISE_RESULT_SERVER_ERROR));
      if (event == FRAISE_RESULT_REFUSED || event == FRAISE_RESULT_PROTOCOL)
        g_assert_nonnull (error);
      if (event != FRAISE_RESULT_REFUSED && event != FRAISE_RESULT_PROTOCOL &&
          event != FRAISE_RESULT_READY)
        g_assert_null (error);
      if (error != NULL)
        {
          g_assert_true (error->domain == FRAISE_ERROR);
          g_assert_true (error->code == FRAISE_ERROR_INVALID_SCHEMA ||
                         error->code == FRAISE_ERROR_PROTOCOL);
          g_string_append (trace, error->code == FRAISE_ERROR_PROTOCOL ? ":PROTOCOL" : ":SCHEMA");
          if (last_message != NULL)
            {
              g_free (*last_message);
              *last_message = g_strdup (error->message);
            }
        }
      if (event == FRAISE_RESULT_ROW)
        {
          if (field.len < 0)
            g_string_append (trace, "=NULL");
          else
            g_string_append_printf (trace, "=%.*s", (int) field.len, (const char *) field.value);
        }
      if (event == FRAISE_RESULT_PROTOCOL)
        break;
    }
  fraise_proto_reader_free (reader);
  return g_string_free (g_steal_pointer (&trace), FALSE);
}

typedef struct {
  const char *name;
  gboolean projected;
  const char *bytes;
  gsize len;
  const char *events;
  const char *message; /* a fragment of the last error's message, or NULL */
} ResultCase;

#define CASE(name, projected, bytes, events, message)                                              \
  {                                                                                                \
    name, projected, bytes, sizeof (bytes) - 1, events, message                                    \
  }

/* One case per entry, its messages on one line. */
/* clang-format off */
static const ResultCase cases[] = {
  /* What a server sends for the queries the library writes. */
  CASE ("select", FALSE, T_DATA D_ROW D_NULL C_SELECT Z_IDLE,
        "described row={\"a\":1} row=NULL none ready", NULL),
  CASE ("json-column", FALSE, T_JSON D_ROW C_SELECT Z_IDLE, "described row={\"a\":1} none ready", NULL),
  CASE ("set-local-then-select", FALSE, C_SET T_DATA D_ROW C_SELECT Z_IDLE,
        "none described row={\"a\":1} none ready", NULL),
  CASE ("no-rows", FALSE, T_DATA C_SELECT Z_IDLE, "described none ready", NULL),
  CASE ("projection-any-name", TRUE, T_INFO D_ROW C_SELECT Z_IDLE,
        "described row={\"a\":1} none ready", NULL),
  /* Results the library does not serve: refused, the query drains. */
  CASE ("empty-query", FALSE, I_EMPTY Z_IDLE, "refused:SCHEMA ready", "the query was empty"),
  CASE ("not-a-select", FALSE, C_SET Z_IDLE, "none ready:SCHEMA", "no rows description"),
  CASE ("two-columns", FALSE, T_TWO D_TWO C_SELECT Z_IDLE, "refused:SCHEMA none none ready",
        "2 columns"),
  CASE ("wrong-name", FALSE, T_INFO D_ROW C_SELECT Z_IDLE, "refused:SCHEMA none none ready",
        "named \"info\""),
  CASE ("text-type", FALSE, T_TEXT D_ROW C_SELECT Z_IDLE, "refused:SCHEMA none none ready",
        "type text (OID 25)"),
  CASE ("binary-format", FALSE, T_BINARY C_SELECT Z_IDLE, "refused:SCHEMA none ready",
        "format code 1"),
  CASE ("several-result-sets", FALSE, T_DATA D_ROW C_SELECT T_DATA D_ROW C_SELECT Z_IDLE,
        "described row={\"a\":1} none refused:SCHEMA none none ready", "several result sets"),
  CASE ("copy-out", FALSE, H_COPY d_DATA d_DATA c_DONE C_SET Z_IDLE,
        "refused:SCHEMA none none none none ready", "started a COPY"),
  CASE ("empty-after-rows", FALSE, T_DATA C_SELECT I_EMPTY Z_IDLE, "described none none ready", NULL),
  /* Server errors: only ReadyForQuery may follow. */
  CASE ("error-first", FALSE, E_ERROR Z_IDLE, "server-error ready", NULL),
  CASE ("error-mid-rows", FALSE, T_DATA D_ROW E_ERROR Z_IDLE,
        "described row={\"a\":1} server-error ready", NULL),
  CASE ("error-in-copy", FALSE, H_COPY d_DATA E_ERROR Z_IDLE, "refused:SCHEMA none server-error ready",
        NULL),
  CASE ("row-after-error", FALSE, E_ERROR D_ROW, "server-error protocol:PROTOCOL", "after an error"),
  CASE ("description-after-error", FALSE, E_ERROR T_DATA, "server-error protocol:PROTOCOL", NULL),
  CASE ("complete-after-error", FALSE, E_ERROR C_SELECT, "server-error protocol:PROTOCOL", NULL),
  CASE ("second-error", FALSE, E_ERROR E_ERROR, "server-error protocol:PROTOCOL", NULL),
  /* Out of order. */
  CASE ("row-before-description", FALSE, D_ROW, "protocol:PROTOCOL", "DataRow before its RowDescription"),
  CASE ("row-after-complete", FALSE, T_DATA C_SELECT D_ROW, "described none protocol:PROTOCOL",
        "between the query's results"),
  CASE ("second-description", FALSE, T_DATA D_ROW T_DATA, "described row={\"a\":1} protocol:PROTOCOL",
        "second RowDescription"),
  CASE ("ready-mid-rows", FALSE, T_DATA D_ROW Z_IDLE, "described row={\"a\":1} protocol:PROTOCOL",
        "in the middle of a result"),
  CASE ("empty-mid-rows", FALSE, T_DATA I_EMPTY, "described protocol:PROTOCOL", NULL),
  CASE ("copy-mid-rows", FALSE, T_DATA H_COPY, "described protocol:PROTOCOL", NULL),
  CASE ("copy-data-outside-copy", FALSE, d_DATA, "protocol:PROTOCOL", "CopyData"),
  CASE ("copy-done-outside-copy", FALSE, T_DATA c_DONE, "described protocol:PROTOCOL", "CopyDone"),
  CASE ("row-in-copy", FALSE, H_COPY D_ROW, "refused:SCHEMA protocol:PROTOCOL", "during a COPY"),
  CASE ("complete-in-copy", FALSE, H_COPY C_SELECT, "refused:SCHEMA protocol:PROTOCOL", NULL),
  CASE ("data-after-copy-done", FALSE, H_COPY c_DONE d_DATA, "refused:SCHEMA none protocol:PROTOCOL",
        "after the end of a COPY"),
  CASE ("after-ready", FALSE, Z_IDLE T_DATA, "ready:SCHEMA protocol:PROTOCOL", "after the query ended"),
  CASE ("copy-in", FALSE, G_COPY, "protocol:PROTOCOL", NULL),
  CASE ("copy-both", FALSE, W_COPY, "protocol:PROTOCOL", NULL),
  CASE ("no-data", FALSE, n_NODATA, "protocol:PROTOCOL", NULL),
  CASE ("parameter-description", FALSE, t_PARAMS, "protocol:PROTOCOL", NULL),
  CASE ("parse-complete", FALSE, one_PARSE, "protocol:PROTOCOL", NULL),
  CASE ("bind-complete", FALSE, T_DATA two_BIND, "described protocol:PROTOCOL", NULL),
  CASE ("close-complete", FALSE, three_CLOSE, "protocol:PROTOCOL", NULL),
  CASE ("portal-suspended", FALSE, T_DATA D_ROW s_SUSPENDED,
        "described row={\"a\":1} protocol:PROTOCOL", NULL),
  CASE ("authentication", FALSE, R_AUTH_OK, "protocol:PROTOCOL", NULL),
  CASE ("backend-key-data", FALSE, T_DATA K_KEY, "described protocol:PROTOCOL", "BackendKeyData"),
  CASE ("negotiate-version", FALSE, v_VERSION, "protocol:PROTOCOL", NULL),
  CASE ("unknown-type", FALSE, x_UNKNOWN, "protocol:PROTOCOL", "0x78"),
  /* Bodies are validated even when nothing in them is needed. */
  CASE ("short-description", FALSE, T_SHORT, "protocol:PROTOCOL", NULL),
  CASE ("row-with-two-fields", FALSE, T_DATA D_TWO, "described protocol:PROTOCOL", "2 fields"),
  CASE ("refused-rows-validated", FALSE, T_TWO D_ROW, "refused:SCHEMA protocol:PROTOCOL", "1 fields"),
  CASE ("field-past-end", FALSE, T_DATA D_LONG, "described protocol:PROTOCOL", NULL),
  CASE ("unterminated-tag", FALSE, C_UNTERMINATED, "protocol:PROTOCOL", NULL),
  CASE ("empty-query-with-body", FALSE, I_BODY, "protocol:PROTOCOL", NULL),
  CASE ("unterminated-error", FALSE, E_UNTERMINATED, "protocol:PROTOCOL", NULL),
  CASE ("bad-ready-status", FALSE, T_DATA C_SELECT Z_BAD, "described none protocol:PROTOCOL", NULL),
  CASE ("bad-copy-format", FALSE, H_BAD, "protocol:PROTOCOL", "format code 7"),
  CASE ("copy-done-with-body", FALSE, H_COPY c_BODY, "refused:SCHEMA protocol:PROTOCOL", NULL),
};
/* clang-format on */

static void
test_case (gconstpointer data)
{
  const ResultCase *c = data;
  g_autofree char *message = NULL;
  g_autofree char *events = run (c->projected, c->bytes, c->len, &message);

  g_assert_cmpstr (events, ==, c->events);
  if (c->message != NULL)
    {
      g_assert_nonnull (message);
      if (strstr (message, c->message) == NULL)
        g_error ("\"%s\" does not contain \"%s\"", message, c->message);
    }
}

/* A server that splits its messages anywhere gives the same events. */
static void
test_split_anywhere (void)
{
  static const char bytes[] = C_SET T_DATA D_ROW D_NULL C_SELECT Z_IDLE;
  g_autofree char *whole = run (FALSE, bytes, sizeof bytes - 1, NULL);

  for (gsize cut = 1; cut < sizeof bytes - 1; cut++)
    {
      g_autoptr(GString) trace = g_string_new (NULL);
      FraiseProtoReader *reader = fraise_proto_reader_new (1024);
      FraiseResult result;
      gsize offsets[] = { 0, cut, sizeof bytes - 1 };

      fraise_result_init (&result, FALSE);
      for (guint part = 0; part < 2; part++)
        {
          FraiseProtoFrame frame;

          fraise_proto_reader_feed (reader, (const guint8 *) bytes + offsets[part],
                                    offsets[part + 1] - offsets[part]);
          while (fraise_proto_reader_next_frame (reader, &frame, NULL) == FRAISE_PROTO_FRAME)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(FraiseServerMessage) message = NULL;
              FraiseProtoField field;
              FraiseResultEvent event =
                fraise_result_feed (&result, &frame, &field, &message, &error);

              if (trace->len > 0)
                g_string_append_c (trace, ' ');
              g_string_append (trace, event_name (event));
              if (event == FRAISE_RESULT_ROW)
                g_string_append_printf (trace, "=%s", field.len < 0 ? "NULL" : "{\"a\":1}");
            }
        }
      g_assert_cmpstr (trace->str, ==, whole);
      fraise_proto_reader_free (reader);
    }
}

/* The server message of an ErrorResponse keeps its fields. */
static void
test_server_message (void)
{
  static const char bytes[] = T_DATA E_ERROR;
  FraiseProtoReader *reader = fraise_proto_reader_new (1024);
  g_autoptr(FraiseServerMessage) message = NULL;
  FraiseProtoField field;
  FraiseProtoFrame frame;
  FraiseResult result;

  fraise_result_init (&result, FALSE);
  fraise_proto_reader_feed (reader, (const guint8 *) bytes, sizeof bytes - 1);
  g_assert_cmpint (fraise_proto_reader_next_frame (reader, &frame, NULL), ==, FRAISE_PROTO_FRAME);
  g_assert_cmpint (fraise_result_feed (&result, &frame, &field, &message, NULL), ==,
                   FRAISE_RESULT_DESCRIBED);
  g_assert_cmpint (fraise_proto_reader_next_frame (reader, &frame, NULL), ==, FRAISE_PROTO_FRAME);
  g_assert_cmpint (fraise_result_feed (&result, &frame, &field, &message, NULL), ==,
                   FRAISE_RESULT_SERVER_ERROR);
  g_assert_cmpstr (fraise_server_message_get_sqlstate (message), ==, "42P01");
  g_assert_cmpstr (fraise_server_message_get_message (message), ==, "no");
  g_assert_cmpint (result.state, ==, FRAISE_RESULT_STATE_FAILED);
  fraise_proto_reader_free (reader);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/result/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/result/split-anywhere", test_split_anywhere);
  g_test_add_func ("/result/server-message", test_server_message);
  return g_test_run ();
}
