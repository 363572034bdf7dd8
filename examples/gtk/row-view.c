/* row-view: a GTK 4 list of live rows from a fraisewire stream
 *
 * Usage: row-view [CONNINFO [SOURCE]]   (default: $FRAISE_TEST_URI_DEMO, v_user)
 *
 * A FraiseRowModel is the GtkListView's model: each batch of the stream
 * appends rows with one items-changed; the status line shows rows and rows/s.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fraisewire/fraisewire.h>
#include <gtk/gtk.h>

typedef struct {
  char *conninfo;
  char *source;
  FraiseClient *client;
  FraiseRowModel *model;
  GtkLabel *status;
  gint64 started;
} App;

static void
set_status (App *app, const char *state)
{
  double seconds = MAX ((g_get_monotonic_time () - app->started) / 1e6, 1e-6);
  guint64 received = fraise_row_model_get_rows_received (app->model);
  g_autofree char *text =
    g_strdup_printf ("%s: %" G_GUINT64_FORMAT " rows, %.0f rows/s, %u shown", state, received,
                     received / seconds, g_list_model_get_n_items (G_LIST_MODEL (app->model)));
  gtk_label_set_label (app->status, text);
}

static void
on_rows (FraiseStream *stream, GPtrArray *rows, App *app)
{
  set_status (app, "streaming");
}

static void
on_finished (FraiseStream *stream, const GError *error, App *app)
{
  if (error != NULL)
    gtk_label_set_label (app->status, error->message);
  else
    set_status (app, "done");
}

static void
on_executed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseStream) stream =
               fraise_query_execute_finish (FRAISE_QUERY (source), result, &error);

  if (stream == NULL)
    {
      gtk_label_set_label (app->status, error->message);
      return;
    }
  fraise_row_model_set_stream (app->model, stream);
  g_signal_connect (stream, "rows", G_CALLBACK (on_rows), app);
  g_signal_connect (stream, "finished", G_CALLBACK (on_finished), app);
  fraise_stream_start (stream);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseQuery) query = NULL;

  if (!fraise_client_connect_finish (app->client, result, &error))
    {
      gtk_label_set_label (app->status, error->message);
      return;
    }
  query = fraise_client_query (app->client, app->source);
  app->started = g_get_monotonic_time ();
  fraise_query_execute_async (query, NULL, on_executed, app);
}

static void
setup_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, NULL));
}

static void
bind_item (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  FraiseRow *row = fraise_row_item_get_row (gtk_list_item_get_item (item));
  g_autofree char *name = fraise_row_get_string (row, "name", NULL);
  g_autofree char *email = fraise_row_get_string (row, "email", NULL);
  g_autofree char *text =
    g_strdup_printf ("%5" G_GUINT64_FORMAT "  %s  <%s>", fraise_row_get_index (row) + 1,
                     name ? name : "?", email ? email : "");

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
activate (GtkApplication *application, App *app)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window, *box, *scrolled, *view;
  g_autoptr(GError) error = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), NULL);
  view = gtk_list_view_new (
    GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (app->model)))), factory);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  app->status = GTK_LABEL (gtk_label_new ("connecting…"));
  gtk_label_set_xalign (app->status, 0);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (app->status));

  window = gtk_application_window_new (application);
  gtk_window_set_title (GTK_WINDOW (window), app->source);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 480);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  app->client = fraise_client_new (app->conninfo, &error);
  if (app->client == NULL)
    gtk_label_set_label (app->status, error->message);
  else
    fraise_client_connect_async (app->client, NULL, on_connected, app);
}

int
main (int argc, char **argv)
{
  g_autoptr(GtkApplication) application = NULL;
  App app = { 0 };
  int status;

  app.conninfo = g_strdup (argc > 1 ? argv[1] : g_getenv ("FRAISE_TEST_URI_DEMO"));
  app.source = g_strdup (argc > 2 ? argv[2] : "v_user");
  app.model = fraise_row_model_new ();

  application = gtk_application_new ("org.fraisewire.RowViewC", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "activate", G_CALLBACK (activate), &app);
  status = g_application_run (G_APPLICATION (application), 1, argv);

  g_clear_object (&app.client);
  g_clear_object (&app.model);
  g_free (app.conninfo);
  g_free (app.source);
  return status;
}
