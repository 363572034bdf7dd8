/* fraise-cancel.c: the CancelRequest side connection (plain and TLS)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-connection-private.h"

typedef struct {
  GSocketConnection *connection;
  GIOStream *stream;       /* the connection, or TLS over it */
  GByteArray *ssl_request; /* sent first when the main connection uses TLS */
  GByteArray *request;
  guint8 byte;
} CancelData;

static void
cancel_data_free (CancelData *data)
{
  if (data->stream != NULL)
    g_io_stream_close (data->stream, NULL, NULL);
  g_clear_object (&data->stream);
  g_clear_object (&data->connection);
  g_clear_pointer (&data->ssl_request, g_byte_array_unref);
  g_byte_array_unref (data->request);
  g_free (data);
}

static void
cancel_failed (GTask *task, GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The server closes the cancel connection once it has signalled the
 * backend: only then is it safe to send the next query (a cancel that
 * arrives late could otherwise hit it). */
static void
on_cancel_eof (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n > 0)
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), &data->byte, 1, G_PRIORITY_DEFAULT,
                                 g_task_get_cancellable (task), on_cancel_eof, task);
      return;
    }
  /* Over TLS the server may close without close_notify: that is the end too. */
  if (n < 0)
    FRAISE_NOTE (CONNECTION, "cancel connection ended with: %s", error->message);
  g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_cancel_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      cancel_failed (task, error);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (data->stream), &data->byte, 1,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task), on_cancel_eof,
                             task);
}

static void
send_cancel_request (GTask *task, GIOStream *stream)
{
  CancelData *data = g_task_get_task_data (task);

  data->stream = g_object_ref (stream);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data->request->data,
                                   data->request->len, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_cancel_written, task);
}

static void
on_cancel_tls_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  FraiseConnection *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error) ||
      !fraise_tls_check_session (self->info, G_TLS_CONNECTION (source), self->peer_description,
                                 &error))
    {
      cancel_failed (task, error);
      return;
    }
  send_cancel_request (task, G_IO_STREAM (source));
}

static void
start_cancel_tls (GTask *task)
{
  FraiseConnection *self = g_task_get_source_object (task);
  CancelData *data = g_task_get_task_data (task);
  g_autoptr (GIOStream) tls = NULL;
  GError *error = NULL;

  tls = fraise_tls_client_new (self->info, fraise_connection_current_host (self),
                               G_IO_STREAM (data->connection), &error);
  if (tls == NULL)
    {
      cancel_failed (task, error);
      return;
    }
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_cancel_tls_ready, task);
}

static void
on_cancel_ssl_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  FraiseConnection *self = g_task_get_source_object (task);
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n != 1)
    {
      cancel_failed (task,
                     error != NULL ? error : fraise_tls_error (_("no answer to SSL negotiation")));
      return;
    }
  if (data->byte != 'S' || fraise_tls_bytes_after_answer (data->connection))
    {
      cancel_failed (task, fraise_tls_error (_("server %s refused TLS for the cancel request"),
                                                self->peer_description));
      return;
    }
  start_cancel_tls (task);
}

static void
on_cancel_ssl_request_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      cancel_failed (task, error);
      return;
    }
  /* Exactly one byte, as on the main connection. */
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (data->connection)),
                             &data->byte, 1, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             on_cancel_ssl_answer, task);
}

static void
on_cancel_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  FraiseConnection *self = g_task_get_source_object (task);
  CancelData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (data->connection == NULL)
    {
      cancel_failed (task, error);
      return;
    }
  if (!self->is_tls)
    {
      send_cancel_request (task, G_IO_STREAM (data->connection));
      return;
    }
  /* The main connection is encrypted: so is the cancel request, with the
   * same TLS settings (libpq before 17 sent it in plaintext). */
  if (self->info->sslnegotiation_direct)
    {
      start_cancel_tls (task);
      return;
    }
  data->ssl_request = g_byte_array_new ();
  fraise_proto_write_ssl_request (data->ssl_request);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (data->connection)),
                                   data->ssl_request->data, data->ssl_request->len,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   on_cancel_ssl_request_sent, task);
}

void
fraise_connection_cancel_async (FraiseConnection *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  CancelData *data;
  GTask *task;

  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fraise_connection_cancel_async);

  if (!self->has_cancel_key || self->peer_address == NULL)
    {
      g_task_return_new_error (task, FRAISE_ERROR, FRAISE_ERROR_CLOSED,
                               _("cannot cancel: the server sent no cancellation key"));
      g_object_unref (task);
      g_main_context_pop_thread_default (self->context);
      return;
    }

  data = g_new0 (CancelData, 1);
  data->request = g_byte_array_new ();
  fraise_proto_write_cancel_request (data->request, self->backend_pid, self->cancel_secret);
  g_task_set_task_data (task, data, (GDestroyNotify) cancel_data_free);
  /* The same address as the main connection, and TLS when it uses TLS. */
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->peer_address), cancellable,
                                 on_cancel_connected, task);
  g_main_context_pop_thread_default (self->context);
}

gboolean
fraise_connection_cancel_finish (FraiseConnection *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
