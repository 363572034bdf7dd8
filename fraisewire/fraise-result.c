/* fraise-result.c: the result of one simple query, read from frames
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The message order of the simple query protocol (PostgreSQL's protocol
 * documentation, "Simple Query"): for each statement of the query string,
 * a RowDescription, DataRows and a CommandComplete; or a CommandComplete
 * alone; or an EmptyQueryResponse for an empty string; or a CopyOutResponse,
 * CopyData, CopyDone and CommandComplete; an ErrorResponse abandons the rest;
 * ReadyForQuery always ends it. Anything else in this place is a broken or
 * hostile server and closes the connection.
 */

#include "fraise-result-private.h"

void
fraise_result_init (FraiseResult *result, gboolean projected)
{
  result->state = FRAISE_RESULT_STATE_AWAITING;
  result->projected = projected;
  result->n_columns = 0;
  result->described = FALSE;
  result->refused = FALSE;
  result->delivering = FALSE;
}

/* Names of the built-in types a misdirected query most often returns. */
static const char *
builtin_type_name (guint32 oid)
{
  static const struct {
    guint32 oid;
    const char *name;
  } names[] = {
    { 16, "boolean" },
    { 17, "bytea" },
    { 20, "bigint" },
    { 21, "smallint" },
    { 23, "integer" },
    { 25, "text" },
    { 26, "oid" },
    { 700, "real" },
    { 701, "double precision" },
    { 1042, "character" },
    { 1043, "character varying" },
    { 1082, "date" },
    { 1114, "timestamp" },
    { 1184, "timestamp with time zone" },
    { 1700, "numeric" },
    { 2950, "uuid" },
    { 3807, "jsonb[]" },
    { 199, "json[]" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].oid == oid)
      return names[i].name;
  return _("a non-built-in type");
}

/* The column checks of a valid RowDescription; NULL when it is ours. */
static GError *
check_column (const FraiseResult *result, guint n_columns, const FraiseProtoColumn *column)
{
  if (n_columns != 1)
    return g_error_new (
      FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
      _("query returned %u columns, expected 1 json/jsonb column named \"data\""), n_columns);
  if (!result->projected && !g_str_equal (column->name, "data"))
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                        _("query returned a column named \"%s\", expected 1 json/jsonb column "
                          "named \"data\""),
                           column->name);
  if (column->type_oid != FRAISE_OID_JSON && column->type_oid != FRAISE_OID_JSONB)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                        _("column \"%s\" has type %s (OID %u), expected json (114) or jsonb "
                          "(3802)"),
                           column->name, builtin_type_name (column->type_oid), column->type_oid);
  if (column->format != 0)
    return g_error_new (FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                        _("column \"%s\" uses format code %d, expected text (0)"), column->name,
                           column->format);
  return NULL;
}

static FraiseResultEvent
refuse (FraiseResult *result, GError *reason, GError **error)
{
  result->refused = TRUE;
  g_propagate_error (error, reason);
  return FRAISE_RESULT_REFUSED;
}

static FraiseResultEvent
broken (GError *reason, GError **error)
{
  g_propagate_error (error, reason);
  return FRAISE_RESULT_PROTOCOL;
}

static FraiseResultEvent
out_of_place (const FraiseResult *result, const FraiseProtoFrame *frame, GError **error)
{
  static const char *const where[] = {
    [FRAISE_RESULT_STATE_AWAITING] = N_("before or between the query's results"),
      [FRAISE_RESULT_STATE_ROWS] =
        N_("in the middle of a result"),
            [FRAISE_RESULT_STATE_COPY_OUT] =
              N_("during a COPY"), [FRAISE_RESULT_STATE_COPY_DONE] =
                                      N_("after the end of a COPY"),
                                          [FRAISE_RESULT_STATE_FAILED] =
                                            N_("after an error"), [FRAISE_RESULT_STATE_READY] =
                                                                     N_("after the query ended"),
                                            };

  return broken (g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                              _("server sent an unexpected %s message (type byte 0x%02x) %s"),
                                 fraise_proto_backend_message_name (frame->type), frame->type,
                                 _(where[result->state])), error);
}

static FraiseResultEvent
read_description (FraiseResult *result, const FraiseProtoFrame *frame, GError **error)
{
  FraiseProtoColumn column;
  GError *local = NULL;
  guint n_columns = 0;

  if (result->state == FRAISE_RESULT_STATE_ROWS)
    return broken (g_error_new (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                                _("server sent a second RowDescription before the "
                                  "CommandComplete of the first")),
                                error);
  if (result->state != FRAISE_RESULT_STATE_AWAITING)
    return out_of_place (result, frame, error);
  if (!fraise_proto_parse_row_description (frame, &column, 1, &n_columns, &local))
    return broken (local, error);
  result->state = FRAISE_RESULT_STATE_ROWS;
  result->n_columns = n_columns;
  if (result->described)
    return refuse (result, g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                                                _("query returned several result sets; send "
                                                  "one SELECT per query")),
                                                error);
  if ((local = check_column (result, n_columns, &column)) != NULL)
    return refuse (result, local, error);
  result->described = TRUE;
  result->type_oid = column.type_oid;
  return FRAISE_RESULT_DESCRIBED;
}

static FraiseResultEvent
read_ready (FraiseResult *result, const FraiseProtoFrame *frame, GError **error)
{
  GError *local = NULL;
  char status;

  if (result->state != FRAISE_RESULT_STATE_AWAITING && result->state != FRAISE_RESULT_STATE_FAILED)
    return out_of_place (result, frame, error);
  if (!fraise_proto_parse_ready_for_query (frame, &status, &local))
    return broken (local, error);
  result->state = FRAISE_RESULT_STATE_READY;
  if (!result->described && !result->refused)
    g_set_error_literal (error, FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                         _("the query returned no rows description (it was not a SELECT); "
                           "expected 1 json/jsonb column named \"data\""));
  return FRAISE_RESULT_READY;
}

/* Bodies that carry nothing the reader needs are still checked. */
static FraiseResultEvent
read_other (FraiseResult *result, const FraiseProtoFrame *frame, GError **error)
{
  GError *local = NULL;
  const char *tag;

  switch (frame->type)
    {
    case 'C':
      if (result->state != FRAISE_RESULT_STATE_AWAITING &&
          result->state != FRAISE_RESULT_STATE_ROWS &&
          result->state != FRAISE_RESULT_STATE_COPY_DONE)
        return out_of_place (result, frame, error);
      if (!fraise_proto_parse_command_complete (frame, &tag, &local))
        return broken (local, error);
      result->state = FRAISE_RESULT_STATE_AWAITING;
      return FRAISE_RESULT_NONE;
    case 'I':
      if (result->state != FRAISE_RESULT_STATE_AWAITING)
        return out_of_place (result, frame, error);
      if (!fraise_proto_parse_empty (frame, &local))
        return broken (local, error);
      if (result->described || result->refused)
        return FRAISE_RESULT_NONE;
      return refuse (result, g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                                                  _("the query was empty")),
                                                  error);
    case 'H':
      if (result->state != FRAISE_RESULT_STATE_AWAITING)
        return out_of_place (result, frame, error);
      if (!fraise_proto_parse_copy_response (frame, &local))
        return broken (local, error);
      result->state = FRAISE_RESULT_STATE_COPY_OUT;
      return refuse (result, g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_INVALID_SCHEMA,
                                                  _("the query started a COPY; expected a "
                                                    "SELECT of 1 json/jsonb column named "
                                                    "\"data\"")),
                                                  error);
    case 'd':
      if (result->state != FRAISE_RESULT_STATE_COPY_OUT)
        return out_of_place (result, frame, error);
      return FRAISE_RESULT_NONE;
    case 'c':
      if (result->state != FRAISE_RESULT_STATE_COPY_OUT)
        return out_of_place (result, frame, error);
      if (!fraise_proto_parse_empty (frame, &local))
        return broken (local, error);
      result->state = FRAISE_RESULT_STATE_COPY_DONE;
      return FRAISE_RESULT_NONE;
    default:
      /* CopyInResponse and CopyBothResponse would wait for data we never
       * send; the rest belongs to start-up or the extended protocol. */
      return out_of_place (result, frame, error);
    }
}

static FraiseResultEvent
read_frame (FraiseResult *result,
            const FraiseProtoFrame *frame,
            FraiseProtoField *field,
            FraiseServerMessage **message,
            GError **error)
{
  GError *local = NULL;

  switch (frame->type)
    {
    case 'D':
      /* The rows of an accepted result take the inline path of
       * fraise_result_feed(); these are the others. */
      if (result->state != FRAISE_RESULT_STATE_ROWS)
        {
          if (result->state == FRAISE_RESULT_STATE_AWAITING && !result->described)
            return broken (g_error_new_literal (FRAISE_ERROR, FRAISE_ERROR_PROTOCOL,
                                                _("server sent a DataRow before its "
                                                  "RowDescription")),
                                                error);
          return out_of_place (result, frame, error);
        }
      if (result->n_columns != 1 || result->refused)
        {
          /* The rows of a refused description: validated, not delivered. */
          if (!fraise_proto_parse_data_row (frame, NULL, result->n_columns, &local))
            return broken (local, error);
          return FRAISE_RESULT_NONE;
        }
      if (G_UNLIKELY (!fraise_proto_parse_data_row (frame, field, 1, &local)))
        return broken (local, error);
      return FRAISE_RESULT_ROW;
    case 'T':
      return read_description (result, frame, error);
    case 'E':
      if (result->state == FRAISE_RESULT_STATE_FAILED || result->state == FRAISE_RESULT_STATE_READY)
        return out_of_place (result, frame, error);
      *message = fraise_proto_parse_error_fields (frame, &local);
      if (*message == NULL)
        return broken (local, error);
      result->state = FRAISE_RESULT_STATE_FAILED;
      result->refused = TRUE;
      return FRAISE_RESULT_SERVER_ERROR;
    case 'Z':
      return read_ready (result, frame, error);
    default:
      if (result->state == FRAISE_RESULT_STATE_FAILED || result->state == FRAISE_RESULT_STATE_READY)
        return out_of_place (result, frame, error);
      return read_other (result, frame, error);
    }
}

FraiseResultEvent
fraise_result_feed_other (FraiseResult *result,
                          const FraiseProtoFrame *frame,
                          FraiseProtoField *field,
                          FraiseServerMessage **message,
                          GError **error)
{
  FraiseResultEvent event = read_frame (result, frame, field, message, error);

  /* The one place the inline row path's condition is derived. */
  result->delivering =
    result->state == FRAISE_RESULT_STATE_ROWS && result->n_columns == 1 && !result->refused;
  return event;
}
