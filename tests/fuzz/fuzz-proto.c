/* fuzz-proto.c: the frame reader and every decoder on arbitrary server bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The first input byte chooses how the rest is split into reads (1 to 256
 * bytes each), so one input also exercises every split of itself.
 */

#include "fraise-proto.h"
#include "fraise-fuzz.h"

static void
decode (const FraiseProtoFrame *frame)
{
  FraiseProtoColumn columns[4];
  FraiseProtoField field;
  FraiseProtoAuth auth;
  const char *a, *b;
  guint32 x, y;
  guint n;
  char status;
  g_auto(GStrv) strv = NULL;
  g_autoptr(FraiseServerMessage) message = NULL;

  switch (frame->type)
    {
    case 'R':
      if (fraise_proto_parse_auth (frame, &auth, NULL) && auth.code == FRAISE_PROTO_AUTH_SASL)
        strv = fraise_proto_parse_sasl_mechanisms (auth.data, auth.data_len, NULL);
      break;
    case 'K':
      fraise_proto_parse_backend_key_data (frame, &x, &y, NULL);
      break;
    case 'S':
      fraise_proto_parse_parameter_status (frame, &a, &b, NULL);
      break;
    case 'Z':
      fraise_proto_parse_ready_for_query (frame, &status, NULL);
      break;
    case 'T':
      fraise_proto_parse_row_description (frame, columns, G_N_ELEMENTS (columns), &n, NULL);
      break;
    case 'D':
      fraise_proto_parse_data_row (frame, &field, 1, NULL);
      break;
    case 'C':
      fraise_proto_parse_command_complete (frame, &a, NULL);
      break;
    case 'E':
    case 'N':
      message = fraise_proto_parse_error_fields (frame, NULL);
      break;
    case 'A':
      fraise_proto_parse_notification (frame, &x, &a, &b, NULL);
      break;
    case 'v':
      fraise_proto_parse_negotiate_protocol_version (frame, &x, &strv, NULL);
      break;
    default:
      fraise_proto_parse_empty (frame, NULL);
      break;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  FraiseProtoReader *reader;
  gsize step, offset = 1;

  if (size < 1)
    return 0;
  step = (gsize) data[0] + 1;
  reader = fraise_proto_reader_new (1 << 20);
  while (offset < size)
    {
      gsize chunk = MIN (step, size - offset);
      FraiseProtoFrame frame;
      FraiseProtoStatus status;
      GError *error = NULL;

      fraise_proto_reader_feed (reader, data + offset, chunk);
      offset += chunk;
      while ((status = fraise_proto_reader_next_frame (reader, &frame, &error)) ==
             FRAISE_PROTO_FRAME)
        decode (&frame);
      g_clear_error (&error);
      if (status == FRAISE_PROTO_ERROR)
        break;
    }
  fraise_proto_reader_free (reader);
  return 0;
}
