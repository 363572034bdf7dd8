// test_gjs.js: fraisewire from JavaScript (GJS) through GObject Introspection
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run as an ES module (`gjs -m test_gjs.js [FILTER...]`) against the build
// tree (GI_TYPELIB_PATH and LD_LIBRARY_PATH set by Meson) and the test server
// of scripts/pg-harness.sh ($FRAISE_TEST_URI). Prints TAP. Arguments select
// the tests whose name contains one of them.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GIRepository from 'gi://GIRepository';
import Fraise from 'gi://Fraise?version=1.0';
import System from 'system';

const URI = GLib.getenv('FRAISE_TEST_URI') ?? '';
if (URI === '') {
    if (GLib.getenv('CI') !== null) {
        print('1..1');
        print('not ok 1 - FRAISE_TEST_URI is not set: the test server harness did not run');
        System.exit(1);
    }
    print('1..0 # SKIP test server not configured: run through scripts/test.sh to start one');
    System.exit(0);
}

// Promise-returning variants of the async methods: `await stream.next_async(null)`.
Gio._promisify(Fraise.Client.prototype, 'connect_async', 'connect_finish');
Gio._promisify(Fraise.Client.prototype, 'close_async', 'close_finish');
Gio._promisify(Fraise.Query.prototype, 'execute_async', 'execute_finish');
Gio._promisify(Fraise.Stream.prototype, 'next_async', 'next_finish');
Gio._promisify(Fraise.Stream.prototype, 'next_batch_async', 'next_batch_finish');
Gio._promisify(Fraise.Pipeline.prototype, 'explain_async', 'explain_finish');

const TIMEOUT_MS = 20000;


// The JSON text of a row: get_text() returns the string alone.
function rowText(row) {
    const text = row.get_text();
    assertEqual(typeof text, 'string', 'get_text() returns a string');
    return text;
}

function assert(condition, message) {
    if (!condition)
        throw new Error(`assertion failed: ${message}`);
}

function assertEqual(actual, expected, what) {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    if (a !== e)
        throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function assertRejects(promise, what) {
    try {
        await promise;
    } catch (e) {
        return e;
    }
    throw new Error(`${what}: no error`);
}

function isCancelled(error) {
    return error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED);
}

async function connect() {
    const client = new Fraise.Client({conninfo: URI});
    await client.connect_async(null);
    return client;
}

async function collect(stream) {
    const rows = [];
    let row;
    while ((row = await stream.next_async(null)) !== null)
        rows.push(row);
    return rows;
}

async function assertReusable(client) {
    const stream = await client.query('v_project').execute_async(null);
    assertEqual((await collect(stream)).length, 5, 'rows of v_project after reuse');
}

function delay(ms) {
    return new Promise(resolve => GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
        resolve();
        return GLib.SOURCE_REMOVE;
    }));
}

// Resolves with the error of the stream's `finished` signal (null on success).
function finished(stream) {
    return new Promise(resolve => {
        const id = stream.connect('finished', (s, error) => {
            s.disconnect(id);
            resolve(error);
        });
    });
}

const User = GObject.registerClass({
    GTypeName: 'FraiseTestGjsUser',
    Properties: {
        'name': GObject.ParamSpec.string('name', '', '', GObject.ParamFlags.READWRITE, null),
        'email': GObject.ParamSpec.string('email', '', '', GObject.ParamFlags.READWRITE, null),
        'age': GObject.ParamSpec.int('age', '', '', GObject.ParamFlags.READWRITE, 0, 200, 0),
    },
}, class User extends GObject.Object {});

const tests = [];
function test(name, fn) {
    tests.push({name, fn});
}

test('blocking next_sync loop', async () => {
    const client = new Fraise.Client({conninfo: URI});
    client.connect_sync(null);
    const stream = client.query('v_project').execute_sync(null);
    const indexes = [];
    let row;
    while ((row = stream.next_sync(null)) !== null)
        indexes.push(row.get_index());
    assertEqual(indexes, [0, 1, 2, 3, 4], 'indexes');
    assertEqual(stream.get_state(), Fraise.StreamState.COMPLETED, 'state');
    assertEqual(stream.state, Fraise.StreamState.COMPLETED, 'state property');
    assertEqual(stream.get_stats().rows_delivered, 5, 'rows_delivered');
});

test('async/await loop over rows', async () => {
    const client = await connect();
    const stream = await client.query('v_user').execute_async(null);
    const names = [];
    for (let row; (row = await stream.next_async(null)) !== null;)
        names.push(row.get_string('name'));
    assertEqual(names.length, 3, 'row count');
    assertEqual(names[0], 'Amélie Durand', 'first name');
    await client.close_async(null);
    assert(!client.is_connected(), 'closed');
});

test('next_batch_async until empty', async () => {
    const client = await connect();
    const query = client.query('v_bench_1k');
    query.set_chunk_size(100);
    const stream = await query.execute_async(null);
    const indexes = [];
    let batches = 0;
    for (;;) {
        // eslint-disable-next-line no-await-in-loop
        const batch = await stream.next_batch_async(null);
        if (batch.length === 0)
            break;
        assert(batch.length <= 100, 'batch within chunk-size');
        batches++;
        for (const row of batch)
            indexes.push(row.get_index());
    }
    assertEqual(indexes.length, 1000, 'rows');
    assert(indexes.every((value, i) => value === i), 'rows in order');
    assert(batches >= 10, 'at least 10 batches');
});

test('text and JSON of a row', async () => {
    const client = await connect();
    const stream = await client.query('v_null_data').execute_async(null);
    const rows = await collect(stream);
    assertEqual(rows.map(r => JSON.parse(rowText(r))), [{n: 1}, null, {n: 3}], 'parsed rows');
    assert(rows[1].is_null(), 'SQL NULL row');
    const document = (await collect(await client.query('v_document').execute_async(null)))[0];
    const text = document.get_text();
    if (Array.isArray(text))
        assertEqual(text[1], new TextEncoder().encode(text[0]).length, 'length in bytes');
    assertEqual(JSON.parse(rowText(document)).text.emoji, '🍓🎉👩‍💻', 'emoji');
    assertEqual(document.get_number_text('big_integer'), '12345678901234567890123', 'big integer');
});

test('several fields in one scan (RowReader)', async () => {
    const client = await connect();
    const reader = Fraise.RowReader.new(['owner.name', 'tags[1]', 'milestones[0].week',
        'budget', 'public', 'archived_at', 'owner', 'nope']);
    assertEqual(reader.get_n_paths(), 8, 'paths');
    const row = (await collect(await client.query('v_project').execute_async(null)))[0];
    assert(reader.read(row), 'read');
    assertEqual(reader.dup_string(0), 'Amélie Durand', 'string');
    assertEqual(reader.get_variant(1).recursiveUnpack(), 'berries', 'string value');
    assertEqual(reader.get_int(2), 12, 'integer');
    assertEqual(reader.get_variant(2).recursiveUnpack(), 12, 'integer value');
    assertEqual(reader.get_variant(3).recursiveUnpack(), 125000.5, 'number value');
    assertEqual(reader.get_variant(4).recursiveUnpack(), true, 'boolean value');
    assert(reader.has_value(5), 'null is a value');
    assertEqual(reader.get_variant(5).recursiveUnpack(), null, 'null');
    assertEqual(reader.get_variant(6).recursiveUnpack(),
        {id: '00000000-0000-4000-8000-000000000201', name: 'Amélie Durand'}, 'object value');
    assert(!reader.has_value(7), 'missing');
    let error = null;
    try {
        reader.get_variant(7);
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error && error.message.includes('has no field "nope"'),
        'missing field error');
});

test('rows and finished signals', async () => {
    const client = await connect();
    const stream = await client.query('v_bench_1k').execute_async(null);
    const indexes = [];
    let rowSignals = 0;
    stream.connect('rows', (s, rows) => {
        assert(rows.length > 0 && rows.length <= s.chunk_size, 'batch size');
        for (const row of rows)
            indexes.push(row.get_index());
    });
    stream.connect('row', () => rowSignals++);
    const done = finished(stream);
    stream.start();
    assertEqual(await done, null, 'finished error');
    assertEqual(indexes.length, 1000, 'rows');
    assert(indexes.every((value, i) => value === i), 'rows in order');
    assertEqual(rowSignals, 1000, 'row signals');
    assertEqual(stream.get_state(), Fraise.StreamState.COMPLETED, 'state');
});

test('pause and resume', async () => {
    const client = await connect();
    const stream = await client.query('v_slow_stream').execute_async(null);
    let rows = 0, pausedAt = -1;
    stream.connect('rows', (s, batch) => {
        rows += batch.length;
        if (pausedAt < 0) {
            pausedAt = rows;
            s.pause('consumer busy');
        }
    });
    const done = finished(stream);
    stream.start();
    while (pausedAt < 0)
        await delay(10); // eslint-disable-line no-await-in-loop
    assertEqual(stream.get_state(), Fraise.StreamState.PAUSED, 'paused');
    assertEqual(stream.get_pause_reason(), 'consumer busy', 'reason');
    await delay(400);
    assertEqual(rows, pausedAt, 'no rows while paused');
    stream.resume();
    assertEqual(await done, null, 'finished error');
    assertEqual(rows, 20, 'rows');
    assert(stream.get_stats().pauses >= 1, 'pauses counted');
});

test('cancel from a rows handler', async () => {
    const client = await connect();
    const stream = await client.query('v_slow_stream').execute_async(null);
    let rows = 0;
    stream.connect('rows', (s, batch) => {
        rows += batch.length;
        s.cancel();
    });
    const done = finished(stream);
    const started = GLib.get_monotonic_time();
    stream.start();
    const error = await done;
    assert(isCancelled(error), `finished with G_IO_ERROR_CANCELLED, not ${error}`);
    assert(GLib.get_monotonic_time() - started < 1900000, 'cancelled early');
    assert(rows < 20, 'fewer rows than the relation');
    assertEqual(stream.get_state(), Fraise.StreamState.CANCELLED, 'state');
    assertEqual(Fraise.Error.get_category(error), 'cancelled', 'category');
    await assertReusable(client);
});

test('cancel while pulling', async () => {
    const client = await connect();
    const stream = await client.query('v_slow_stream').execute_async(null);
    assert(await stream.next_async(null) !== null, 'first row');
    stream.cancel();
    const error = await assertRejects(stream.next_async(null), 'next after cancel');
    assert(isCancelled(error), `G_IO_ERROR_CANCELLED, not ${error}`);
    await assertReusable(client);
});

test('GCancellable on next_async', async () => {
    const client = await connect();
    const stream = await client.query('v_slow_stream').execute_async(null);
    const cancellable = new Gio.Cancellable();
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 250, () => {
        cancellable.cancel();
        return GLib.SOURCE_REMOVE;
    });
    const error = await assertRejects(pullWith(stream, cancellable), 'cancelled pull');
    assert(isCancelled(error), `G_IO_ERROR_CANCELLED, not ${error}`);
    stream.cancel();
    await finished(stream);
    await assertReusable(client);
});

async function pullWith(stream, cancellable) {
    while (await stream.next_async(cancellable) !== null)
        ;
}

test('server error on execute (missing relation)', async () => {
    const client = await connect();
    const error = await assertRejects(client.query('v_usr').execute_async(null), 'v_usr');
    assert(error instanceof GLib.Error, 'a GLib.Error');
    assert(error.matches(Fraise.Error, Fraise.Error.SERVER), 'FRAISE_ERROR_SERVER');
    assertEqual(error.domain, Fraise.Error.quark(), 'domain');
    assertEqual(error.code, Fraise.Error.SERVER, 'code');
    assertEqual(error.message, 'relation "v_usr" does not exist (SQLSTATE 42P01)', 'message');
    const message = Fraise.Error.get_server_message(error);
    assert(message !== null, 'the GError carries the server message');
    assertEqual(message.get_sqlstate(), '42P01', 'SQLSTATE');
    assertEqual(message.get_severity(), 'ERROR', 'severity');
    assertEqual(Fraise.Error.get_category(error), 'server', 'category');
    assertEqual(Fraise.Error.is_retriable(error), false, 'retriable');
    await assertReusable(client);
});

test('server error in the middle of a stream', async () => {
    const client = await connect();
    const stream = await client.query('v_error_mid').execute_async(null);
    let rows = 0;
    let error = null;
    try {
        while (await stream.next_async(null) !== null)
            rows++;
    } catch (e) {
        error = e;
    }
    assertEqual(rows, 10, 'rows before the error');
    assert(error?.matches(Fraise.Error, Fraise.Error.SERVER), `FRAISE_ERROR_SERVER, not ${error}`);
    assert(error.message.includes('10 rows'), `message names the rows: ${error.message}`);
    assertEqual(stream.get_server_message().get_sqlstate(), '22012', 'SQLSTATE from the stream');
    assertEqual(Fraise.Error.get_server_message(error).get_message(), 'division by zero', 'message');
    assertEqual(stream.get_state(), Fraise.StreamState.FAILED, 'state');
    await assertReusable(client);
});

test('server error with a hint', async () => {
    const client = await connect();
    const query = client.query('v_project');
    query.add_where_sql("('31/12/2024' || left(data->>'id', 0))::date IS NOT NULL");
    query.set_local('datestyle', 'ISO, MDY');
    const stream = await query.execute_async(null);
    const error = await assertRejects(stream.next_async(null), 'bad date');
    const message = Fraise.Error.get_server_message(error);
    assertEqual(message.get_sqlstate(), '22008', 'SQLSTATE');
    assert(message.get_hint().includes('datestyle'), `hint: ${message.get_hint()}`);
    assertEqual(message.get_field('H'.charCodeAt(0)), message.get_hint(), 'field H');
});

test('error domain mapping', async () => {
    let error = null;
    try {
        Fraise.Client.new('nosuchkeyword=1');
    } catch (e) {
        error = e;
    }
    assert(error?.matches(Fraise.Error, Fraise.Error.CONFIG), `FRAISE_ERROR_CONFIG, not ${error}`);
    assert(error.message.includes('nosuchkeyword'), 'message names the keyword');
    assertEqual(Fraise.Error.get_category(error), 'config', 'category');
    const client = await connect();
    const stream = await client.query('v_slow_stream').execute_async(null);
    const busy = await assertRejects(client.query('v_project').execute_async(null), 'busy');
    assert(busy.matches(Fraise.Error, Fraise.Error.BUSY), `FRAISE_ERROR_BUSY, not ${busy}`);
    stream.cancel();
    await finished(stream);
});

test('client-side filter function', async () => {
    const client = await connect();
    const query = client.query('v_bench_1k');
    let calls = 0;
    query.set_filter_func(row => {
        calls++;
        return row.get_int('id') % 3 === 0;
    });
    const stream = await query.execute_async(null);
    const rows = await collect(stream);
    assertEqual(rows.length, 333, 'rows kept');
    assert(rows.every(r => r.get_int('id') % 3 === 0), 'only multiples of 3');
    assertEqual(calls, 1000, 'calls');
    const stats = stream.get_stats();
    assertEqual(stats.rows_filtered, 667, 'rows_filtered');
    assertEqual(stats.rows_delivered, 333, 'rows_delivered');
});

test('typed rows in a GObject class', async () => {
    const client = await connect();
    const stream = await client.query('v_user').execute_async(null);
    const users = (await collect(stream)).map(row => row.dup_object(User.$gtype));
    assertEqual(users.length, 3, 'users');
    assert(users[0] instanceof User, 'instances of the JS class');
    assertEqual(users[0].name, 'Amélie Durand', 'name');
    assertEqual(users[0].email, 'amelie.durand@example.com', 'email');
    assertEqual(users[0].age, 34, 'age');
});

test('query builder', async () => {
    const client = await connect();
    const query = client.query('v_project');
    query.add_condition('status', Fraise.Operator.EQ, new GLib.Variant('s', 'active'));
    query.add_order_by('name', null, Fraise.SortDirection.ASC, Fraise.Nulls.DEFAULT);
    const sql = query.to_sql();
    assert(sql.includes(`((data::jsonb) @> '{"status":"active"}')`), sql);
    const rows = await collect(await query.execute_async(null));
    assert(rows.length > 0 && rows.every(r => r.get_string('status') === 'active'), 'filtered');
});

// ---- pipeline elements written in JavaScript ----

// Upper-cases the `name` field; throws at row `fail-at`.
const Upper = GObject.registerClass({
    GTypeName: 'FraiseTestGjsUpper',
    Properties: {
        'fail-at': GObject.ParamSpec.int('fail-at', '', '', GObject.ParamFlags.READWRITE,
            -1, 1000000, -1),
    },
}, class Upper extends Fraise.Element {
    vfunc_process(row) {
        if (row.get_index() === this.fail_at)
            throw new Error(`no upper case for row ${row.get_index()}`);
        const data = JSON.parse(rowText(row));
        data.name = data.name.toUpperCase();
        return this.push(Fraise.Row.new_from_text(new TextEncoder().encode(JSON.stringify(data))));
    }
});

// A sink keeping the rows it is given.
const Collect = GObject.registerClass({
    GTypeName: 'FraiseTestGjsCollect',
}, class Collect extends Fraise.Element {
    _init(params) {
        super._init(params);
        this.rows = [];
    }

    vfunc_process(row) {
        this.rows.push(row);
        return Fraise.Flow.OK;
    }
});

// Answers PENDING for each row and forwards it from a timeout.
const Later = GObject.registerClass({
    GTypeName: 'FraiseTestGjsLater',
}, class Later extends Fraise.Element {
    _init(params) {
        super._init(params);
        this.pendings = 0;
    }

    vfunc_process(row) {
        this.pendings++;
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 10, () => {
            assert(this.is_pending(), 'pending until resumed');
            this.resume(this.push(row));
            return GLib.SOURCE_REMOVE;
        });
        return Fraise.Flow.PENDING;
    }
});

function registry() {
    const reg = Fraise.Registry.get_default();
    if (reg.lookup('upper') === null) {
        reg.register_full('upper', Upper.$gtype, 'Upper-case (GJS)', 'Transform',
            'Upper-cases the name field');
        reg.register('collect', Collect.$gtype);
        reg.register('later', Later.$gtype);
    }
    return reg;
}

// query source=SOURCE ! ELEMENTS..., built in code.
function pipeline(source, ...elements) {
    const p = new Fraise.Pipeline();
    const query = registry().make_element('query', null);
    query.source = source;
    p.add(query);
    for (const e of elements)
        p.add(e);
    return p;
}

// Resolves with the run's error (null on success).
function run(p, client) {
    return new Promise(resolve => {
        p.run_async(client, null, (obj, result) => {
            try {
                obj.run_finish(result);
                resolve(null);
            } catch (e) {
                resolve(e);
            }
        });
    });
}

test('element registered from JavaScript', () => {
    const reg = registry();
    const info = reg.lookup('upper');
    assertEqual(info.get_element_type(), Upper.$gtype, 'registered type');
    assertEqual(info.get_plugin(), 'application', 'owner');
    assertEqual(info.get_long_name(), 'Upper-case (GJS)', 'long name');
    assert(reg.list().some(i => i.get_name() === 'upper'), 'listed');
    let error = null;
    try {
        reg.register('upper', Collect.$gtype);
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error && error.matches(Fraise.Error, Fraise.Error.CONFIG),
        `a second registration fails: ${error}`);
    assert(error.message.includes('"upper" is already registered by application'), error.message);
});

test('vfunc annotations: process throws, FraiseFlow zero is ERROR', () => {
    const info = GIRepository.Repository.get_default().find_by_name('Fraise', 'Element');
    for (const name of ['process', 'start', 'finish']) {
        const vfunc = GIRepository.object_info_find_vfunc(info, name);
        assert(vfunc !== null, `vfunc ${name}`);
        assert(GIRepository.callable_info_can_throw_gerror(vfunc), `${name} throws`);
    }
    assertEqual(Fraise.Flow.ERROR, 0, 'the zero value');
    assert(typeof Fraise.Element.prototype.vfunc_process === 'function', 'vfunc_process');
});

test('JavaScript element on the server', async () => {
    const reg = registry();
    const upper = reg.make_element('upper', null), collect = reg.make_element('collect', null);
    const p = pipeline('v_user', upper, collect);
    assertEqual(upper.get_name(), 'upper0', 'default name');
    const client = await connect();
    assertEqual(await run(p, client), null, 'run error');
    assertEqual(collect.rows.map(r => r.get_string('name')),
        ['AMÉLIE DURAND', 'JÜRGEN MÜLLER', '佐藤 花子'], 'names');
    assertEqual(upper.rows_in, 3, 'rows-in');
    assertEqual(p.get_state(), Fraise.PipelineState.COMPLETED, 'state');
    await assertReusable(client);
});

test('explain: the SQL, the decisions and the plan, without running', async () => {
    const p = Fraise.Pipeline.new_from_description(
        'query source=v_bench_1k ! filter name=f expr=\'status == "active" && name =~ "^B"\' ! count-sink');
    const client = await connect();
    const explanation = await p.explain_async(client, null);
    const sql = explanation.get_sql();
    assertEqual(sql.startsWith('SELECT data FROM v_bench_1k WHERE '), true, sql);
    assertEqual(sql.includes('=~'), false, 'the regex stays on the client');
    const decisions = explanation.get_decisions();
    assertEqual(decisions.length, 2, 'two decisions');
    assertEqual(decisions[1].startsWith('f: on the client: name =~ "^B"'), true, decisions[1]);
    assertEqual('Plan' in JSON.parse(explanation.get_plan())[0], true, 'a plan');
    assertEqual(Array.isArray(explanation.get_advice()), true, 'advice is an array');
    assertEqual(p.get_state(), Fraise.PipelineState.IDLE, 'not run');
    await assertReusable(client);
});

test('JavaScript element in a description', async () => {
    registry();
    const p = Fraise.Pipeline.new_from_description('query source=v_user ! upper ! collect name=out');
    const client = await connect();
    assertEqual(await run(p, client), null, 'run error');
    assertEqual(p.get_by_name('out').rows.map(r => r.get_string('name')),
        ['AMÉLIE DURAND', 'JÜRGEN MÜLLER', '佐藤 花子'], 'names');
});

test('throwing vfunc_process fails the run naming the element', async () => {
    const reg = registry();
    const upper = reg.make_element('upper', null), collect = reg.make_element('collect', null);
    upper.fail_at = 1;
    const p = pipeline('v_project', upper, collect);
    const client = await connect();
    const error = await run(p, client);
    // The GError GJS made of the exception comes back as an Error.
    assert(error instanceof Error || error instanceof GLib.Error, `an error: ${error}`);
    assert(error.message.startsWith('upper0: '), error.message);
    assert(error.message.includes('no upper case for row 1'), error.message);
    assert(error.message.endsWith('(row 1)'), error.message);
    assertEqual(collect.rows.map(r => r.get_index()), [0], 'rows before the failure only');
    assertEqual(p.get_state(), Fraise.PipelineState.FAILED, 'state');
    await assertReusable(client);
});

test('PENDING, then resume from a timeout', async () => {
    const reg = registry();
    const later = reg.make_element('later', null), collect = reg.make_element('collect', null);
    const p = pipeline('v_user', later, reg.make_element('upper', null), collect);
    const client = await connect();
    assertEqual(await run(p, client), null, 'run error');
    assertEqual(later.pendings, 3, 'one wait per row');
    assert(!later.is_pending(), 'resumed');
    assertEqual(collect.rows.map(r => r.get_string('name')),
        ['AMÉLIE DURAND', 'JÜRGEN MÜLLER', '佐藤 花子'], 'names in order');
    await assertReusable(client);
});

async function main(filters) {
    const selected = tests.filter(t => filters.length === 0 || filters.some(f => t.name.includes(f)));
    print(`1..${selected.length}`);
    let failed = 0;
    for (const [i, t] of selected.entries()) {
        let timer = 0;
        const timeout = new Promise((resolve, reject) => {
            timer = GLib.timeout_add(GLib.PRIORITY_DEFAULT, TIMEOUT_MS, () => {
                timer = 0;
                reject(new Error(`timed out after ${TIMEOUT_MS} ms`));
                return GLib.SOURCE_REMOVE;
            });
        });
        const started = GLib.get_monotonic_time();
        try {
            // eslint-disable-next-line no-await-in-loop
            await Promise.race([t.fn(), timeout]);
            print(`ok ${i + 1} - ${t.name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${t.name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
                print(`# ${line}`);
        } finally {
            if (timer)
                GLib.source_remove(timer);
        }
        print(`# ${t.name}: ${((GLib.get_monotonic_time() - started) / 1e6).toFixed(3)} s`);
    }
    return failed;
}

const loop = new GLib.MainLoop(null, false);
let status = 1;
main(System.programArgs).then(failed => {
    status = failed > 0 ? 1 : 0;
}).catch(e => {
    print(`Bail out! ${e}`);
}).finally(() => loop.quit());
loop.run();
System.exit(status);
