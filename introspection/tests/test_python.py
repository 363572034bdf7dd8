#!/usr/bin/python3
# test_python.py: fraisewire from Python through GObject Introspection
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs against the build tree (GI_TYPELIB_PATH, LD_LIBRARY_PATH and PYTHONPATH
# set by Meson) and the test server of scripts/pg-harness.sh ($FRAISE_TEST_URI).
# Prints TAP. Arguments select the tests whose name contains one of them.

import decimal
import json
import os
import sys
import time
import unittest
import xml.etree.ElementTree as ElementTree

import taprunner

URI = taprunner.server_uri_or_exit()

import gi  # noqa: E402

gi.require_version('Fraise', '1.0')
from gi.repository import Fraise, GLib, GObject, Gio  # noqa: E402

# Give up on a main loop after this many seconds (the slowest fixture,
# v_slow_stream, takes 2 s).
LOOP_TIMEOUT = 20




class User(GObject.Object):
    """A typed row: json_gobject_deserialize() sets these from the row's fields."""
    __gtype_name__ = 'FraiseTestPythonUser'

    name = GObject.Property(type=str)
    email = GObject.Property(type=str)
    age = GObject.Property(type=int, default=0)
    active = GObject.Property(type=bool, default=False)


class NameIsNumber(GObject.Object):
    __gtype_name__ = 'FraiseTestPythonNameIsNumber'

    name = GObject.Property(type=int, default=0)


class Upper(Fraise.Element):
    """Upper-cases the `name` field; raises ValueError at row `fail-at`."""
    __gtype_name__ = 'FraiseTestPythonUpper'

    fail_at = GObject.Property(type=int, default=-1)

    def do_process(self, row):
        if row.get_index() == self.fail_at:
            raise ValueError('no upper case for row %d' % row.get_index())
        data = row.unpack()
        data['name'] = data['name'].upper()
        return self.push(Fraise.Row.new_from_text(json.dumps(data, ensure_ascii=False)))


class Collect(Fraise.Element):
    """A sink keeping the rows it is given (the pipeline's last element)."""
    __gtype_name__ = 'FraiseTestPythonCollect'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rows = []

    def do_process(self, row):
        self.rows.append(row)
        return Fraise.Flow.OK


class Later(Fraise.Element):
    """Takes each row, answers PENDING, and forwards it from a timeout."""
    __gtype_name__ = 'FraiseTestPythonLater'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.held = None
        self.pendings = 0

    def do_process(self, row):
        self.held = row
        self.pendings += 1
        GLib.timeout_add(10, self.forward)
        return Fraise.Flow.PENDING

    def forward(self):
        assert self.is_pending()
        row, self.held = self.held, None
        self.resume(self.push(row))
        return GLib.SOURCE_REMOVE


class Unforgiving(Fraise.Element):
    """Raises GLib.Error itself, or returns None (not a FraiseFlow)."""
    __gtype_name__ = 'FraiseTestPythonUnforgiving'

    mode = GObject.Property(type=str, default='gerror')

    def do_process(self, row):
        if self.mode == 'gerror':
            raise GLib.Error.new_literal(Fraise.Error.quark(), 'the row is not welcome',
                                         Fraise.Error.CONFIG)
        return None


def register_elements():
    """Registers the Python elements in the default registry, once."""
    registry = Fraise.Registry.get_default()
    if registry.lookup('upper') is None:
        registry.register_full('upper', Upper, 'Upper-case (Python)', 'Transform',
                               'Upper-cases the name field')
        registry.register('collect', Collect)
        registry.register('later', Later)
        registry.register('unforgiving', Unforgiving)
    return registry


def is_cancelled(error):
    return error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


class FraiseTestCase(unittest.TestCase):
    def setUp(self):
        self.client = Fraise.Client(conninfo=URI)
        self.client.connect_sync(None)

    def tearDown(self):
        if self.client.is_connected():
            self.client.close_sync(None)
        self.client = None

    def run_loop(self, loop):
        """Runs @loop until it quits; fails the test after LOOP_TIMEOUT s."""
        timed_out = []

        def on_timeout():
            timed_out.append(True)
            loop.quit()
            return GLib.SOURCE_REMOVE

        source = GLib.timeout_add_seconds(LOOP_TIMEOUT, on_timeout)
        loop.run()
        if timed_out:
            self.fail('the main loop did not finish within %d s' % LOOP_TIMEOUT)
        GLib.source_remove(source)

    def assertClientReusable(self):
        stream = self.client.query('v_project').execute_sync(None)
        count = 0
        while stream.next_sync(None) is not None:
            count += 1
        self.assertEqual(count, 5)

    def assertCancelled(self, error):
        self.assertIsNotNone(error)
        self.assertTrue(is_cancelled(error), '%s (%s %d) is not G_IO_ERROR_CANCELLED'
                        % (error.message, error.domain, error.code))


class TestBlocking(FraiseTestCase):
    def test_plain_loop(self):
        query = self.client.query('v_project')
        stream = query.execute_sync(None)
        names, indexes = [], []
        while True:
            row = stream.next_sync(None)
            if row is None:
                break
            names.append(row.get_string('name'))
            indexes.append(row.get_index())
        self.assertEqual(names[0], 'Strawberry Fields')
        self.assertEqual(len(names), 5)
        self.assertEqual(indexes, list(range(5)))
        self.assertEqual(stream.get_state(), Fraise.StreamState.COMPLETED)
        self.assertEqual(stream.props.state, Fraise.StreamState.COMPLETED)
        self.assertIsNone(stream.get_error())
        stats = stream.get_stats()
        self.assertEqual(stats.rows_received, 5)
        self.assertEqual(stats.rows_delivered, 5)
        self.assertEqual(stats.rows_filtered, 0)
        self.assertGreater(stats.bytes_received, 0)
        self.assertGreaterEqual(stats.time_to_first_row_us, 0)

    def test_field_access(self):
        stream = self.client.query('v_project').execute_sync(None)
        row = stream.next_sync(None)
        self.assertEqual(row.get_string('owner.name'), 'Amélie Durand')
        self.assertEqual(row.get_string('tags[1]'), 'berries')
        self.assertEqual(row.get_int('milestones[0].week'), 12)
        self.assertAlmostEqual(row.get_double('budget'), 125000.5)
        self.assertEqual(row.get_number_text('budget'), '125000.50')
        self.assertTrue(row.get_boolean('public'))
        self.assertTrue(row.has_path('archived_at'))
        self.assertFalse(row.has_path('nope'))
        self.assertFalse(row.is_null())
        with self.assertRaises(GLib.Error):
            row.get_int('name')
        node = row.get_node()
        self.assertEqual(node.get_object().get_string_member('status'), 'active')
        data = row.get_bytes().get_data()
        self.assertEqual(data.decode('utf-8'), row.get_text())

    def test_row_reader(self):
        reader = Fraise.RowReader.new(['owner.name', 'tags[1]', 'milestones[0].week',
                                       'budget', 'public', 'archived_at', 'owner', 'nope'])
        self.assertEqual(reader.get_n_paths(), 8)
        self.assertEqual(reader.get_path(2), 'milestones[0].week')
        stream = self.client.query('v_project').execute_sync(None)
        row = stream.next_sync(None)
        self.assertTrue(reader.read(row))
        self.assertEqual(reader.dup_string(0), 'Amélie Durand')
        self.assertEqual(reader.get_variant(1).unpack(), 'berries')
        self.assertEqual(reader.get_int(2), 12)
        self.assertEqual(reader.get_variant(2).unpack(), 12)
        self.assertAlmostEqual(reader.get_variant(3).unpack(), 125000.5)
        self.assertIs(reader.get_variant(4).unpack(), True)
        self.assertTrue(reader.has_value(5))
        self.assertIsNone(reader.get_variant(5).unpack())
        self.assertEqual(reader.get_variant(6).unpack(),
                         {'id': '00000000-0000-4000-8000-000000000201', 'name': 'Amélie Durand'})
        self.assertFalse(reader.has_value(7))
        with self.assertRaises(GLib.Error) as raised:
            reader.get_variant(7)
        self.assertIn('has no field "nope"', raised.exception.message)
        with self.assertRaises(GLib.Error):
            reader.get_int(0)
        with self.assertRaises(GLib.Error):
            Fraise.RowReader.new(['a..b'])

    def test_query_builder(self):
        query = self.client.query('v_project')
        query.add_condition('status', Fraise.Operator.EQ, GLib.Variant('s', "active"))
        query.add_condition('budget', Fraise.Operator.GE, GLib.Variant('x', 0))
        query.add_order_by('name', None, Fraise.SortDirection.DESC, Fraise.Nulls.LAST)
        query.set_limit(2)
        sql = query.to_sql()
        # Exact, type-guarded predicates on the document as jsonb.
        self.assertIn("((data::jsonb) @> '{\"status\":\"active\"}')", sql)
        self.assertIn("jsonb_typeof((data::jsonb)->'budget') = 'number'", sql)
        self.assertNotIn('->>', sql.split(' ORDER BY ')[0])
        self.assertIn('LIMIT 2', sql)
        rows = list(query.execute_sync(None))
        self.assertLessEqual(len(rows), 2)
        for row in rows:
            self.assertEqual(row.get_string('status'), 'active')

    def test_cancellable(self):
        # A cancelled GCancellable stops the call that waits; cancel() the stream.
        stream = self.client.query('v_slow_stream').execute_sync(None)
        cancellable = Gio.Cancellable()
        GLib.timeout_add(250, lambda: cancellable.cancel() or GLib.SOURCE_REMOVE)
        with self.assertRaises(GLib.Error) as caught:
            while stream.next_sync(cancellable) is not None:
                pass
        self.assertCancelled(caught.exception)
        self.assertEqual(Fraise.error_get_category(caught.exception), 'cancelled')
        stream.cancel()
        with self.assertRaises(GLib.Error) as caught:
            stream.next_sync(None)
        self.assertCancelled(caught.exception)
        self.assertClientReusable()


class TestAsync(FraiseTestCase):
    def test_execute_next_batch(self):
        loop = GLib.MainLoop()
        client = Fraise.Client(conninfo=URI)
        state = {'batches': 0, 'rows': 0, 'indexes': [], 'error': None}

        def fail(error):
            state['error'] = error
            loop.quit()

        def on_batch(stream, result, user_data):
            try:
                batch = stream.next_batch_finish(result)
            except GLib.Error as error:
                return fail(error)
            if len(batch) == 0:
                loop.quit()
                return
            state['batches'] += 1
            state['rows'] += len(batch)
            state['indexes'].extend(row.get_index() for row in batch)
            stream.next_batch_async(None, on_batch, user_data)

        def on_execute(query, result, user_data):
            try:
                stream = query.execute_finish(result)
            except GLib.Error as error:
                return fail(error)
            self.assertEqual(user_data, 'data')
            stream.next_batch_async(None, on_batch, user_data)

        def on_connect(client, result, user_data):
            try:
                client.connect_finish(result)
            except GLib.Error as error:
                return fail(error)
            query = client.query('v_bench_1k')
            query.set_chunk_size(100)
            query.execute_async(None, on_execute, user_data)

        client.connect_async(None, on_connect, 'data')
        self.run_loop(loop)
        self.assertIsNone(state['error'])
        self.assertEqual(state['rows'], 1000)
        self.assertEqual(state['indexes'], list(range(1000)))
        self.assertGreaterEqual(state['batches'], 10)  # at most chunk-size rows each
        client.close_sync(None)

    def test_execute_next(self):
        loop = GLib.MainLoop()
        rows, errors = [], []

        def on_next(stream, result):
            try:
                row = stream.next_finish(result)
            except GLib.Error as error:
                errors.append(error)
                loop.quit()
                return
            if row is None:
                loop.quit()
                return
            rows.append(row.get_string('name'))
            stream.next_async(None, on_next)

        def on_execute(query, result):
            try:
                query.execute_finish(result).next_async(None, on_next)
            except GLib.Error as error:
                errors.append(error)
                loop.quit()

        self.client.query('v_user').execute_async(None, on_execute)
        self.run_loop(loop)
        self.assertEqual(errors, [])
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0], 'Amélie Durand')

    def test_execute_error(self):
        loop = GLib.MainLoop()
        errors = []

        def on_execute(query, result):
            try:
                query.execute_finish(result)
            except GLib.Error as error:
                errors.append(error)
            loop.quit()

        self.client.query('v_usr').execute_async(None, on_execute)
        self.run_loop(loop)
        self.assertEqual(len(errors), 1)
        self.assertTrue(errors[0].matches(Fraise.Error.quark(), Fraise.Error.SERVER))
        self.assertClientReusable()


class TestSignals(FraiseTestCase):
    def test_rows_and_finished(self):
        loop = GLib.MainLoop()
        stream = self.client.query('v_bench_1k').execute_sync(None)
        seen = {'batches': [], 'row': 0, 'finished': []}

        def on_rows(stream, rows):
            seen['batches'].append([row.get_index() for row in rows])

        def on_row(stream, row):
            seen['row'] += 1

        def on_finished(stream, error):
            seen['finished'].append(error)
            loop.quit()

        stream.connect('rows', on_rows)
        stream.connect('row', on_row)
        stream.connect('finished', on_finished)
        stream.start()
        self.run_loop(loop)
        indexes = [i for batch in seen['batches'] for i in batch]
        self.assertEqual(indexes, list(range(1000)))
        self.assertTrue(all(0 < len(b) <= stream.props.chunk_size for b in seen['batches']))
        self.assertEqual(seen['row'], 1000)
        self.assertEqual(seen['finished'], [None])
        self.assertEqual(stream.get_state(), Fraise.StreamState.COMPLETED)

    def test_rows_outlive_the_batch(self):
        loop = GLib.MainLoop()
        stream = self.client.query('v_user').execute_sync(None)
        kept = []
        stream.connect('rows', lambda s, rows: kept.extend(rows))
        stream.connect('finished', lambda s, e: loop.quit())
        stream.start()
        self.run_loop(loop)
        del stream
        self.assertEqual([row.get_string('name') for row in kept][0], 'Amélie Durand')

    def test_pause_resume(self):
        loop = GLib.MainLoop()
        stream = self.client.query('v_slow_stream').execute_sync(None)
        seen = {'rows': 0, 'paused_at': None, 'rows_while_paused': None,
                'finished': [], 'states': []}

        def on_resume():
            seen['rows_while_paused'] = seen['rows'] - seen['paused_at']
            self.assertEqual(stream.get_state(), Fraise.StreamState.PAUSED)
            stream.resume()
            return GLib.SOURCE_REMOVE

        def on_rows(stream, rows):
            seen['rows'] += len(rows)
            if seen['paused_at'] is None:
                seen['paused_at'] = seen['rows']
                stream.pause('consumer busy')
                self.assertEqual(stream.get_pause_reason(), 'consumer busy')
                GLib.timeout_add(400, on_resume)

        def on_finished(stream, error):
            seen['finished'].append(error)
            loop.quit()

        stream.connect('notify::state', lambda s, pspec: seen['states'].append(s.get_state()))
        stream.connect('rows', on_rows)
        stream.connect('finished', on_finished)
        stream.start()
        self.run_loop(loop)
        self.assertEqual(seen['finished'], [None])
        self.assertEqual(seen['rows'], 20)
        self.assertEqual(seen['rows_while_paused'], 0)
        self.assertEqual(seen['states'], [Fraise.StreamState.PAUSED, Fraise.StreamState.RUNNING,
                                          Fraise.StreamState.COMPLETED])
        self.assertGreaterEqual(stream.get_stats().pauses, 1)

    def test_cancel(self):
        loop = GLib.MainLoop()
        stream = self.client.query('v_slow_stream').execute_sync(None)
        seen = {'rows': 0, 'finished': []}

        def on_rows(stream, rows):
            seen['rows'] += len(rows)
            stream.cancel()

        def on_finished(stream, error):
            seen['finished'].append(error)
            loop.quit()

        stream.connect('rows', on_rows)
        stream.connect('finished', on_finished)
        started = time.monotonic()
        stream.start()
        self.run_loop(loop)
        self.assertLess(time.monotonic() - started, 1.9)  # well before the 20th row
        self.assertEqual(len(seen['finished']), 1)
        self.assertCancelled(seen['finished'][0])
        self.assertEqual(stream.get_state(), Fraise.StreamState.CANCELLED)
        self.assertLess(seen['rows'], 20)
        self.assertIsNone(stream.get_server_message())  # never a server error
        self.assertClientReusable()

    def test_notice(self):
        notices = []
        self.client.connect('notice', lambda client, message: notices.append(
            (message.get_severity(), message.get_message())))
        rows = list(self.client.query('v_notice').execute_sync(None))
        self.assertEqual(len(rows), 5)
        self.assertEqual(notices[0], ('NOTICE', 'fraise notice 1'))
        self.assertEqual(len(notices), 5)


class TestFilter(FraiseTestCase):
    def test_filter_func(self):
        query = self.client.query('v_bench_1k')
        calls = []

        def keep_even(row):
            calls.append(row.get_index())
            return row.get_int('id') % 2 == 0

        query.set_filter_func(keep_even)
        stream = query.execute_sync(None)
        ids = [row.get_int('id') for row in stream]
        self.assertEqual(len(ids), 500)
        self.assertTrue(all(i % 2 == 0 for i in ids))
        self.assertEqual(len(calls), 1000)
        stats = stream.get_stats()
        self.assertEqual(stats.rows_filtered, 500)
        self.assertEqual(stats.rows_delivered, 500)
        self.assertEqual(stats.rows_received, 1000)

    def test_filter_func_user_data_and_removal(self):
        query = self.client.query('v_user')
        query.set_filter_func(lambda row, prefix: row.get_string('name').startswith(prefix), 'A')
        self.assertEqual([r.get_string('name') for r in query.execute_sync(None)],
                         ['Amélie Durand'])
        query.set_filter_func(None)
        self.assertEqual(len(list(query.execute_sync(None))), 3)

    def test_filter_func_exception(self):
        # An exception in the callable is printed by PyGObject and the row is
        # dropped (the callable returned no True): the stream goes on.
        query = self.client.query('v_project')

        def broken(row):
            if row.get_index() == 1:
                raise RuntimeError('expected by the test')
            return True

        query.set_filter_func(broken)
        stderr, sys.stderr = sys.stderr, open(os.devnull, 'w')
        try:
            stream = query.execute_sync(None)
            rows = list(stream)
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        self.assertEqual(len(rows), 4)
        self.assertEqual(stream.get_stats().rows_filtered, 1)


class TestTyped(FraiseTestCase):
    def test_dup_object(self):
        stream = self.client.query('v_user').execute_sync(None)
        users = [row.dup_object(User) for row in stream]
        self.assertEqual(len(users), 3)
        self.assertIsInstance(users[0], User)
        self.assertEqual(users[0].name, 'Amélie Durand')
        self.assertEqual(users[0].email, 'amelie.durand@example.com')
        self.assertEqual(users[0].age, 34)
        self.assertTrue(users[0].active)

    def test_set_row_type(self):
        query = self.client.query('v_user')
        query.set_row_type(User)
        self.assertEqual(query.props.row_type, User.__gtype__)
        row = query.execute_sync(None).next_sync(None)
        self.assertEqual(row.dup_object(User).name, 'Amélie Durand')
        self.assertTrue(self.client.query('v_user').execute_sync(None).next_sync(None))

    def test_dup_object_mismatch(self):
        stream = self.client.query('v_user').execute_sync(None)
        row = stream.next_sync(None)
        with self.assertRaises(GLib.Error) as caught:
            row.dup_object(NameIsNumber)
        error = caught.exception
        self.assertTrue(error.matches(Fraise.Error.quark(), Fraise.Error.DESERIALIZATION))
        self.assertIn('name', error.message)
        self.assertIn('FraiseTestPythonNameIsNumber', error.message)
        # Only that row: the stream goes on.
        self.assertEqual(len(list(stream)), 2)


class TestErrors(FraiseTestCase):
    def test_missing_relation(self):
        with self.assertRaises(GLib.Error) as caught:
            self.client.query('v_usr').execute_sync(None)
        error = caught.exception
        self.assertEqual(error.domain, GLib.quark_to_string(Fraise.Error.quark()))
        self.assertTrue(error.matches(Fraise.Error.quark(), Fraise.Error.SERVER))
        self.assertEqual(Fraise.Error(error.code), Fraise.Error.SERVER)
        self.assertEqual(error.message, 'relation "v_usr" does not exist (SQLSTATE 42P01)')
        self.assertEqual(Fraise.error_get_category(error), 'server')
        self.assertEqual(Fraise.Error.get_category(error), 'server')
        self.assertFalse(Fraise.error_is_retriable(error))
        self.assertClientReusable()

    def test_missing_relation_server_message(self):
        # PyGObject rebuilds a GError from (domain, code, message) when it is
        # passed back to C, so fraise_error_get_server_message() cannot see the
        # fields; the client's last-server-message property is the way.
        with self.assertRaises(GLib.Error) as caught:
            self.client.query('v_usr').execute_sync(None)
        self.assertIsNone(Fraise.error_get_server_message(caught.exception))
        message = self.client.props.last_server_message
        self.assertEqual(message.get_sqlstate(), '42P01')
        self.assertEqual(message.get_severity(), 'ERROR')

    def test_error_mid_stream(self):
        stream = self.client.query('v_error_mid').execute_sync(None)
        rows = 0
        with self.assertRaises(GLib.Error) as caught:
            for row in stream:
                rows += 1
        error = caught.exception
        self.assertEqual(rows, 10)
        self.assertTrue(error.matches(Fraise.Error.quark(), Fraise.Error.SERVER))
        self.assertIn('10 rows', error.message)
        self.assertEqual(stream.get_state(), Fraise.StreamState.FAILED)
        message = stream.get_server_message()
        self.assertEqual(message.get_sqlstate(), '22012')
        self.assertEqual(message.get_severity(), 'ERROR')
        self.assertEqual(message.get_message(), 'division by zero')
        self.assertEqual(message.get_field('C'), '22012')
        self.assertEqual(message.get_field(ord('C')), '22012')
        stream_error = stream.get_error()
        self.assertTrue(stream_error.matches(Fraise.Error.quark(), Fraise.Error.SERVER))
        self.assertClientReusable()

    def test_hint(self):
        # An error raised while rows are produced, with a HINT field.
        query = self.client.query('v_project')
        query.add_where_sql("('31/12/2024' || left(data->>'id', 0))::date IS NOT NULL")
        query.set_local('datestyle', 'ISO, MDY')
        stream = query.execute_sync(None)
        with self.assertRaises(GLib.Error) as caught:
            stream.next_sync(None)
        self.assertIn('SQLSTATE 22008', caught.exception.message)
        message = stream.get_server_message()
        self.assertEqual(message.get_sqlstate(), '22008')
        self.assertIn('datestyle', message.get_hint())
        self.assertEqual(message.get_field('H'), message.get_hint())

    def test_error_domain_mapping(self):
        with self.assertRaises(GLib.Error) as caught:
            Fraise.Client.new('nosuchkeyword=1')
        error = caught.exception
        self.assertTrue(error.matches(Fraise.Error.quark(), Fraise.Error.CONFIG))
        self.assertIn('nosuchkeyword', error.message)
        self.assertEqual(Fraise.error_get_category(error), 'config')
        self.assertEqual(Fraise.Error.CONFIG.value_nick, 'config')
        self.assertEqual(Fraise.Error.INVALID_SCHEMA.value_nick, 'invalid-schema')

    def test_invalid_schema(self):
        query = self.client.query('v_two_columns')
        query.set_projection('data, extra')
        with self.assertRaises(GLib.Error) as caught:
            query.execute_sync(None)
        self.assertTrue(caught.exception.matches(Fraise.Error.quark(), Fraise.Error.INVALID_SCHEMA))
        self.assertIn('2 columns', caught.exception.message)
        self.assertEqual(Fraise.error_get_category(caught.exception), 'schema')
        self.assertClientReusable()

    def test_busy(self):
        stream = self.client.query('v_slow_stream').execute_sync(None)
        with self.assertRaises(GLib.Error) as caught:
            self.client.query('v_project').execute_sync(None)
        self.assertTrue(caught.exception.matches(Fraise.Error.quark(), Fraise.Error.BUSY))
        with stream:
            pass  # cancels and drains
        self.assertClientReusable()


class TestOverrides(FraiseTestCase):
    def test_get_text_is_str(self):
        row = self.client.query('v_project').execute_sync(None).next_sync(None)
        text = row.get_text()
        self.assertIsInstance(text, str)
        self.assertTrue(text.startswith('{"id": "00000000-0000-4000-8000-000000000101"'))
        self.assertEqual(str(row), text)
        self.assertIn('Fraise.Row 0', repr(row))

    def test_unpack(self):
        rows = [row.unpack() for row in self.client.query('v_user').execute_sync(None)]
        self.assertIsInstance(rows[0], dict)
        self.assertEqual(rows[0]['name'], 'Amélie Durand')
        self.assertEqual(rows[0]['address']['city'], 'Plougastel')
        self.assertIsInstance(rows[0]['roles'], list)
        self.assertIsNone(rows[0]['manager'])

    def test_unpack_sql_null(self):
        rows = list(self.client.query('v_null_data').execute_sync(None))
        self.assertEqual([row.unpack() for row in rows], [{'n': 1}, None, {'n': 3}])
        self.assertTrue(rows[1].is_null())

    def test_unpack_exact_numbers(self):
        row = self.client.query('v_document').execute_sync(None).next_sync(None)
        doc = row.unpack(parse_float=decimal.Decimal)
        self.assertEqual(doc['big_integer'], 12345678901234567890123)
        self.assertEqual(doc['long_decimal'],
                         decimal.Decimal('3.14159265358979323846264338327950288419716939937510'))
        self.assertEqual(doc['text']['emoji'], '🍓🎉👩‍💻')

    def test_iterate(self):
        stream = self.client.query('v_project').execute_sync()
        self.assertIs(iter(stream), stream)
        names = [row.get_string('name') for row in stream]
        self.assertEqual(len(names), 5)
        self.assertEqual(list(stream), [])  # ended

    def test_iterate_error(self):
        rows = []
        with self.assertRaises(GLib.Error):
            for row in self.client.query('v_error_mid').execute_sync():
                rows.append(row)
        self.assertEqual(len(rows), 10)

    def test_stream_context_manager(self):
        with self.client.query('v_slow_stream').execute_sync() as stream:
            for row in stream:
                break
        self.assertEqual(stream.get_state(), Fraise.StreamState.CANCELLED)
        self.assertClientReusable()
        with self.client.query('v_project').execute_sync() as stream:
            self.assertEqual(len(list(stream)), 5)
        self.assertEqual(stream.get_state(), Fraise.StreamState.COMPLETED)

    def test_client_conveniences(self):
        client = Fraise.Client(URI)
        self.assertEqual(client.props.conninfo, URI)
        self.assertFalse(client.is_connected())
        with client as entered:
            self.assertIs(entered, client)
            self.assertTrue(client.is_connected())
            self.assertEqual(len(list(client.query('v_user').execute_sync())), 3)
        self.assertFalse(client.is_connected())

    def test_defaults_for_cancellable(self):
        client = Fraise.Client(conninfo=URI)
        client.connect_sync()
        stream = client.query('v_user').execute_sync()
        self.assertIsNotNone(stream.next_sync())
        client.close_sync()

    def test_connect_failure(self):
        client = Fraise.Client('host=/nonexistent-socket-dir connect_timeout=2')
        with self.assertRaises(GLib.Error) as caught:
            with client:
                pass
        self.assertTrue(caught.exception.matches(Fraise.Error.quark(),
                                                 Fraise.Error.CONNECTION_FAILED))
        self.assertTrue(Fraise.error_is_retriable(caught.exception))


class TestElements(FraiseTestCase):
    """Pipeline elements written in Python, on the test server."""

    def setUp(self):
        super().setUp()
        self.registry = register_elements()

    def make(self, name, **properties):
        element = self.registry.make_element(name, None)
        for key, value in properties.items():
            element.set_property(key, value)
        return element

    def pipeline(self, source, *elements):
        """query source=SOURCE ! ELEMENTS..., built in code; returns it and
        its last element."""
        pipeline = Fraise.Pipeline.new()
        pipeline.add(self.make('query', source=source))
        for element in elements:
            pipeline.add(element)
        return pipeline, elements[-1]

    def run_pipeline(self, pipeline):
        """Runs @pipeline with run_async on a main loop; returns its error."""
        loop = GLib.MainLoop()
        outcome = {}

        def on_run(pipeline, result):
            try:
                pipeline.run_finish(result)
                outcome['error'] = None
            except GLib.Error as error:
                outcome['error'] = error
            loop.quit()

        pipeline.run_async(self.client, None, on_run)
        self.run_loop(loop)
        return outcome['error']

    def test_register(self):
        info = self.registry.lookup('upper')
        self.assertEqual(info.get_element_type(), Upper.__gtype__)
        self.assertEqual(info.get_plugin(), 'application')
        self.assertEqual(info.get_long_name(), 'Upper-case (Python)')
        self.assertEqual(info.get_classification(), 'Transform')
        self.assertIn('upper', [i.get_name() for i in self.registry.list()])
        self.assertEqual(self.registry.lookup_type(Upper.__gtype__).get_name(), 'upper')
        with self.assertRaises(GLib.Error) as caught:
            self.registry.register('upper', Collect)
        self.assertTrue(caught.exception.matches(Fraise.Error.quark(), Fraise.Error.CONFIG))
        self.assertIn('"upper" is already registered by application', caught.exception.message)
        self.assertIn('FraiseTestPythonUpper', caught.exception.message)
        with self.assertRaises(GLib.Error):
            self.registry.register('Not A Name', Collect)

    def test_vfunc_annotations(self):
        # `process` can throw: PyGObject passes a GLib.Error raised in
        # do_process to C as the vfunc's GError.
        gir = os.path.join(os.environ['GI_TYPELIB_PATH'].split(os.pathsep)[0], 'Fraise-1.0.gir')
        core = '{http://www.gtk.org/introspection/core/1.0}'
        element = ElementTree.parse(gir).getroot().find(
            '%snamespace/%sclass[@name="Element"]' % (core, core))
        vfuncs = {v.get('name'): v for v in element.findall(core + 'virtual-method')}
        self.assertEqual(sorted(vfuncs), ['finish', 'process', 'reset', 'start'])
        self.assertEqual(vfuncs['process'].get('throws'), '1')
        self.assertEqual(vfuncs['start'].get('throws'), '1')
        self.assertEqual(vfuncs['finish'].get('throws'), '1')
        self.assertEqual(Fraise.Flow(0), Fraise.Flow.ERROR)  # the zero value
        self.assertTrue(hasattr(Fraise.Element, 'do_process'))

    def test_upper_on_server(self):
        upper, collect = self.make('upper'), self.make('collect')
        pipeline, _ = self.pipeline('v_user', upper, collect)
        self.assertEqual(upper.get_name(), 'upper0')
        self.assertEqual(upper.get_factory_name(), 'upper')
        self.assertIsNone(self.run_pipeline(pipeline))
        self.assertEqual([r.get_string('name') for r in collect.rows],
                         ['AMÉLIE DURAND', 'JÜRGEN MÜLLER', '佐藤 花子'])
        self.assertEqual(collect.rows[0].get_string('address.city'), 'Plougastel')
        self.assertEqual(upper.props.rows_in, 3)
        self.assertEqual(upper.props.rows_out, 3)
        self.assertEqual(pipeline.get_state(), Fraise.PipelineState.COMPLETED)
        self.assertClientReusable()

    def test_upper_to_signal_sink(self):
        sink = self.make('signal-sink')
        seen = []
        sink.connect('rows', lambda s, rows: seen.extend(r.get_string('name') for r in rows))
        pipeline, _ = self.pipeline('v_bench_1k', self.make('upper'), sink)
        self.assertTrue(pipeline.run_sync(self.client, None))
        self.assertEqual(len(seen), 1000)
        self.assertTrue(all(name == name.upper() for name in seen))

    def test_explain(self):
        pipeline = Fraise.Pipeline.new_from_description(
            'query source=v_bench_1k ! filter name=f expr=\'status == "active" && age >= 30\''
            ' ! limit count=2 ! count-sink')
        explanation = pipeline.explain_sync(self.client, None)
        self.assertIsInstance(explanation, Fraise.Explanation)
        sql = explanation.get_sql()
        self.assertTrue(sql.startswith('SELECT data FROM v_bench_1k WHERE '), sql)
        self.assertIn('data @> \'{"status":"active"}\'', sql)
        self.assertTrue(sql.endswith(' LIMIT 2'), sql)
        decisions = explanation.get_decisions()
        self.assertIsInstance(decisions, list)
        self.assertTrue(decisions[0].startswith('f: pushed into WHERE: '), decisions)
        self.assertEqual(decisions[-1], 'limit0: merged: LIMIT 2')
        plan = json.loads(explanation.get_plan())
        self.assertIn('Plan', plan[0])
        advice = explanation.get_advice()
        self.assertIsInstance(advice, list)
        if explanation.get_sequential_scan():
            self.assertIn('CREATE INDEX ON public.tv_bench_1k USING gin (data jsonb_path_ops);',
                          advice)
        self.assertIn('Plan:\n', explanation.to_string())
        # Explaining did not run it, and it runs as usual afterwards.
        self.assertEqual(pipeline.get_state(), Fraise.PipelineState.IDLE)
        self.assertIsNone(self.run_pipeline(pipeline))

    def test_explain_error(self):
        pipeline = Fraise.Pipeline.new_from_description('query source=v_no_such_view ! count-sink')
        with self.assertRaises(GLib.Error) as caught:
            pipeline.explain_sync(self.client, None)
        self.assertTrue(caught.exception.matches(Fraise.Error.quark(), Fraise.Error.SERVER))
        self.assertClientReusable()

    def test_upper_in_description(self):
        pipeline = Fraise.Pipeline.new_from_description(
            'query source=v_user ! upper ! collect name=out')
        self.assertIsNone(self.run_pipeline(pipeline))
        self.assertEqual([r.get_string('name') for r in pipeline.get_by_name('out').rows],
                         ['AMÉLIE DURAND', 'JÜRGEN MÜLLER', '佐藤 花子'])
        # A Python property set from the description.
        pipeline = Fraise.Pipeline.new_from_description(
            'query source=v_user ! upper fail-at=2 ! collect name=out')
        error = self.run_pipeline(pipeline)
        self.assertEqual(error.message, 'upper0: ValueError: no upper case for row 2 (row 2)')
        self.assertEqual(len(pipeline.get_by_name('out').rows), 2)

    def test_raising_process(self):
        upper, collect = self.make('upper', fail_at=1), self.make('collect')
        pipeline, _ = self.pipeline('v_project', upper, collect)
        error = self.run_pipeline(pipeline)
        self.assertIsNotNone(error)
        self.assertEqual(error.message,
                         'upper0: ValueError: no upper case for row 1 (row 1)')
        self.assertEqual(error.domain, Fraise.PYTHON_EXCEPTION_DOMAIN)
        # Row 0 went through; no row after the failure reached the sink.
        self.assertEqual([r.get_index() for r in collect.rows], [0])
        self.assertEqual(pipeline.get_state(), Fraise.PipelineState.FAILED)
        self.assertClientReusable()

    def test_gerror_and_bad_return(self):
        pipeline, collect = self.pipeline('v_user', self.make('unforgiving'), self.make('collect'))
        error = self.run_pipeline(pipeline)
        self.assertTrue(error.matches(Fraise.Error.quark(), Fraise.Error.CONFIG))
        self.assertEqual(error.message, 'unforgiving0: the row is not welcome (row 0)')
        self.assertEqual(collect.rows, [])
        # None is not a FraiseFlow: PyGObject prints the TypeError and
        # returns the zero value, ERROR, which still fails the run.
        pipeline, collect = self.pipeline('v_user', self.make('unforgiving', mode='none'),
                                          self.make('collect'))
        stderr, sys.stderr = sys.stderr, open(os.devnull, 'w')
        try:
            error = self.run_pipeline(pipeline)
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        self.assertIsNotNone(error)
        self.assertTrue(error.message.startswith('unforgiving0: '), error.message)
        self.assertIn('(row 0)', error.message)
        self.assertEqual(collect.rows, [])
        self.assertClientReusable()

    def test_pending_and_resume(self):
        later, upper, collect = self.make('later'), self.make('upper'), self.make('collect')
        pipeline, _ = self.pipeline('v_user', later, upper, collect)
        started = time.monotonic()
        self.assertIsNone(self.run_pipeline(pipeline))
        self.assertGreaterEqual(time.monotonic() - started, 0.03)  # three 10 ms waits
        self.assertEqual(later.pendings, 3)
        self.assertFalse(later.is_pending())
        self.assertEqual([r.get_string('name') for r in collect.rows],
                         ['AMÉLIE DURAND', 'JÜRGEN MÜLLER', '佐藤 花子'])
        self.assertEqual([r.get_index() for r in collect.rows], [0, 0, 0])  # new rows
        self.assertEqual(later.props.rows_out, 3)
        self.assertClientReusable()

    def test_row_new_from_text(self):
        row = Fraise.Row.new_from_text('{"name": "Zoë", "n": [1, 2]}')
        self.assertEqual(row.get_string('name'), 'Zoë')
        self.assertEqual(row.get_int('n[1]'), 2)
        self.assertEqual(Fraise.Row.new_from_text(b'[true]').unpack(), [True])
        with self.assertRaises(GLib.Error) as caught:
            Fraise.Row.new_from_text('{"name": ')
        self.assertTrue(caught.exception.matches(Fraise.Error.quark(), Fraise.Error.JSON))


if __name__ == '__main__':
    taprunner.main()
