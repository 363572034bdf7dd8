# Fraise.py: PyGObject overrides for the Fraise namespace (fraisewire)
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Loaded by PyGObject on `from gi.repository import Fraise`. Everything not
# defined here is exactly what GObject Introspection gives; this module only
# adds Python conveniences:
#
#   client = Fraise.Client("postgres:///demo")     # conninfo may be positional
#   with client:                                   # connect_sync() ... close
#       with client.query("v_user").execute_sync() as stream:
#           for row in stream:                     # blocking next_sync()
#               user = row.unpack()                # json.loads(row.get_text())
#
# The blocking calls iterate the client's main context, like their C
# counterparts: use them from the thread that created the client.

import json

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override

Fraise = get_introspection_module('Fraise')

__all__ = []

_ENDED_STATES = (
    Fraise.StreamState.COMPLETED,
    Fraise.StreamState.FAILED,
    Fraise.StreamState.CANCELLED,
)


class Client(Fraise.Client):
    """A connection to one PostgreSQL server.

    ``Fraise.Client(conninfo)`` accepts the connection string as its first
    positional argument as well as ``conninfo=``. Used as a context manager,
    the client connects on entry (unless already connected) and closes on
    exit.
    """

    def __init__(self, conninfo=None, **kwargs):
        if conninfo is not None:
            kwargs['conninfo'] = conninfo
        super().__init__(**kwargs)

    def __enter__(self):
        if not self.is_connected():
            self.connect_sync(None)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self.is_connected():
            self.close_sync(None)
        return False


Client = override(Client)
__all__.append('Client')


class Stream(Fraise.Stream):
    """The rows of one query.

    Iterating a stream pulls rows with the blocking next_sync(); a server
    error ends the iteration by raising GLib.Error (the stream's
    get_server_message() then has every field of the ErrorResponse).

    Used as a context manager, a stream that has not ended when the block
    exits (for example after ``break``) is cancelled, and the exit waits until
    the connection is drained, so the client can run its next query at once.
    """

    def __iter__(self):
        return self

    def __next__(self):
        row = self.next_sync(None)
        if row is None:
            raise StopIteration
        return row

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self.get_state() not in _ENDED_STATES:
            self.cancel()
            # next_sync() returns once the cancellation has drained the
            # connection, with G_IO_ERROR_CANCELLED.
            try:
                while self.next_sync(None) is not None:
                    pass
            except GLib.Error:
                pass
        return False


Stream = override(Stream)
__all__.append('Stream')


class Row(Fraise.Row):
    """One JSON row of a stream."""

    def get_text(self):
        """The row's JSON text (a str), exactly as the server sent it."""
        text = Fraise.Row.get_text(self)
        # The length is an out argument that the bindings may return as well.
        if isinstance(text, tuple):
            text = text[0]
        return text

    def unpack(self, **kwargs):
        """The row as Python values: ``json.loads(row.get_text(), **kwargs)``.

        Objects become dicts, arrays lists; an SQL NULL row is None. Pass
        ``parse_float=decimal.Decimal`` to keep long decimals exact.
        """
        return json.loads(self.get_text(), **kwargs)

    def __str__(self):
        return self.get_text()

    def __repr__(self):
        text = self.get_text()
        if len(text) > 60:
            text = text[:57] + '...'
        return '<Fraise.Row %d %s>' % (self.get_index(), text)


Row = override(Row)
__all__.append('Row')


class ServerMessage(Fraise.ServerMessage):
    """An ErrorResponse or NoticeResponse with every field the server sent."""

    def get_field(self, code):
        """The field of type ``code``, given as a one-letter str ('H') or an int."""
        if isinstance(code, str):
            code = ord(code)
        return Fraise.ServerMessage.get_field(self, code)


ServerMessage = override(ServerMessage)
__all__.append('ServerMessage')
