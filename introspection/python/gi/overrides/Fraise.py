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
#   class Upper(Fraise.Element):                   # a pipeline element
#       def do_process(self, row):                 # an exception fails the run,
#           ...                                    # naming the element
#           return self.push(Fraise.Row.new_from_text(text))
#
# The blocking calls iterate the client's main context, like their C
# counterparts: use them from the thread that created the client.

import functools
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

    @staticmethod
    def new_from_text(json_text):
        """A row from JSON text (a str or bytes), checked: raises GLib.Error
        (Fraise.Error.JSON) when the text is not one valid JSON document."""
        if isinstance(json_text, str):
            json_text = json_text.encode('utf-8')
        return Fraise.Row.new_from_text(json_text)

    def __str__(self):
        return self.get_text()

    def __repr__(self):
        text = self.get_text()
        if len(text) > 60:
            text = text[:57] + '...'
        return '<Fraise.Row %d %s>' % (self.get_index(), text)


Row = override(Row)
__all__.append('Row')


# The GError domain of a Python exception raised in an element's do_process.
PYTHON_EXCEPTION_DOMAIN = 'fraise-python-exception'
__all__.append('PYTHON_EXCEPTION_DOMAIN')


def _exceptions_as_errors(process):
    """Wraps a do_process so that an exception other than GLib.Error becomes
    the GError of the `process` vfunc, with the exception's type and text."""

    @functools.wraps(process)
    def do_process(self, row):
        try:
            return process(self, row)
        except GLib.Error:
            raise
        except Exception as exception:
            message = '%s: %s' % (type(exception).__name__, exception)
            raise GLib.Error(message, PYTHON_EXCEPTION_DOMAIN, 0) from exception

    do_process._fraise_wrapped = True
    return do_process


class Element(Fraise.Element):
    """The base class of pipeline elements.

    A subclass overrides ``do_process(self, row)``: forward a row with
    ``return self.push(row)``, drop it with ``return Fraise.Flow.OK``, or
    return ``Fraise.Flow.PENDING`` and call ``self.resume(flow)`` later.
    Register it with ``Fraise.Registry.get_default().register(name, cls)``.

    PyGObject only turns a GLib.Error raised in a vfunc into its GError; it
    prints any other exception and returns a zero-filled value, which for
    FraiseFlow is ERROR, so the run fails without the exception's text. Here
    the do_process of every subclass is wrapped so that any exception fails
    the run with an error saying what was raised: ``upper0: ValueError: ...
    (row 3)``, in the domain ``PYTHON_EXCEPTION_DOMAIN``.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        process = cls.__dict__.get('do_process')
        if process is not None and not getattr(process, '_fraise_wrapped', False):
            # Before PyGObject's metaclass looks for do_* methods.
            cls.do_process = _exceptions_as_errors(process)


Element = override(Element)
__all__.append('Element')


class ServerMessage(Fraise.ServerMessage):
    """An ErrorResponse or NoticeResponse with every field the server sent."""

    def get_field(self, code):
        """The field of type ``code``, given as a one-letter str ('H') or an int."""
        if isinstance(code, str):
            code = ord(code)
        return Fraise.ServerMessage.get_field(self, code)


ServerMessage = override(ServerMessage)
__all__.append('ServerMessage')
