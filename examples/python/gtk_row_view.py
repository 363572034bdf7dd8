#!/usr/bin/env python3
# gtk_row_view.py: a GTK 4 list of live rows from a fraisewire stream
#
# Usage: gtk_row_view.py [--max-items N] [--screenshot FILE --expect N] [CONNINFO [SOURCE]]
#
# A Fraise.RowModel is the GtkListView's model: each batch of the stream
# appends rows with one items-changed, and the status line shows rows and
# rows/s. With --screenshot the window is saved as a PNG once the stream has
# finished, and the program exits with status 1 unless the model holds
# exactly --expect rows.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import subprocess
import sys
import time

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("Fraise", "1.0")
from gi.repository import Fraise, GLib, Gtk  # noqa: E402


def label_for(row):
    """One line per row: the name and e-mail fields, read without parsing the row."""
    try:
        name = row.get_string("name")
    except GLib.Error:
        name = "?"
    try:
        email = row.get_string("email")
    except GLib.Error:
        email = ""
    return f"{row.get_index() + 1:>5}  {name}  <{email}>"


class RowView(Gtk.Application):
    def __init__(self, args):
        super().__init__(application_id="org.fraisewire.RowView")
        self.args = args
        self.model = Fraise.RowModel(max_items=args.max_items)
        self.started = 0.0
        self.status = None
        self.window = None
        self.exit_status = 0

    def do_activate(self):
        factory = Gtk.SignalListItemFactory()
        factory.connect("setup", lambda _f, item: item.set_child(Gtk.Label(xalign=0)))
        factory.connect("bind", lambda _f, item: item.get_child().set_label(label_for(item.get_item().get_row())))

        view = Gtk.ListView(model=Gtk.NoSelection(model=self.model), factory=factory)
        scrolled = Gtk.ScrolledWindow(child=view, vexpand=True)
        self.status = Gtk.Label(xalign=0, label="connecting…")
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        box.append(scrolled)
        box.append(self.status)
        for side in ("top", "bottom", "start", "end"):
            getattr(box, f"set_margin_{side}")(8)

        self.window = Gtk.ApplicationWindow(application=self, title=f"fraisewire — {self.args.source}",
                                            default_width=720, default_height=480, child=box)
        self.window.present()

        client = Fraise.Client(conninfo=self.args.conninfo)
        client.connect_async(None, self.on_connected)

    def fail(self, error):
        self.status.set_label(f"error: {error.message}")
        print(error.message, file=sys.stderr)
        self.exit_status = 1
        if self.args.screenshot:
            self.quit()

    def on_connected(self, client, result):
        try:
            client.connect_finish(result)
        except GLib.Error as error:
            return self.fail(error)
        query = client.query(self.args.source)
        self.started = time.monotonic()
        query.execute_async(None, self.on_executed)

    def on_executed(self, query, result):
        try:
            stream = query.execute_finish(result)
        except GLib.Error as error:
            return self.fail(error)
        self.model.set_stream(stream)
        stream.connect("rows", self.on_rows)
        stream.connect("finished", self.on_finished)
        stream.start()

    def describe(self, prefix):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        received = self.model.get_rows_received()
        return f"{prefix}: {received} rows, {received / elapsed:,.0f} rows/s, {self.model.get_n_items()} shown"

    def on_rows(self, _stream, _rows):
        self.status.set_label(self.describe("streaming"))

    def on_finished(self, _stream, error):
        if error is not None:
            return self.fail(error)
        self.status.set_label(self.describe("done"))
        if self.args.screenshot:
            # Let GTK lay out and draw the last batch first.
            GLib.timeout_add(500, self.save_and_quit)

    def save_and_quit(self):
        from screenshot import save_screen

        try:
            width, height = save_screen(self.args.screenshot, self.window.get_width(),
                                        self.window.get_height())
        except (OSError, ValueError, subprocess.CalledProcessError) as error:
            print(f"could not save the screenshot: {error}", file=sys.stderr)
            self.exit_status = 1
            self.quit()
            return GLib.SOURCE_REMOVE
        n_items = self.model.get_n_items()
        print(f"saved {self.args.screenshot} ({width}x{height}); the model holds {n_items} rows")
        if self.args.expect is not None and n_items != self.args.expect:
            print(f"expected {self.args.expect} rows", file=sys.stderr)
            self.exit_status = 1
        self.quit()
        return GLib.SOURCE_REMOVE


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-items", type=int, default=0)
    parser.add_argument("--screenshot")
    parser.add_argument("--expect", type=int)
    parser.add_argument("conninfo", nargs="?", default=os.environ.get("FRAISE_TEST_URI_DEMO", ""))
    parser.add_argument("source", nargs="?", default="v_user")
    args = parser.parse_args()

    app = RowView(args)
    app.run([sys.argv[0]])
    return app.exit_status


if __name__ == "__main__":
    sys.exit(main())
