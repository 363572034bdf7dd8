#!/usr/bin/env -S gjs -m
// filtering.js: safe server-side conditions, raw SQL predicates and a client-side filter
//
// Usage: gjs -m filtering.js [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Fraise from 'gi://Fraise?version=1.0';
import System from 'system';

Gio._promisify(Fraise.Client.prototype, 'connect_async', 'connect_finish');
Gio._promisify(Fraise.Query.prototype, 'execute_async', 'execute_finish');
Gio._promisify(Fraise.Stream.prototype, 'next_async', 'next_finish');

// Client-side predicate: keep users whose name has an accented letter.
function hasNonAsciiName(row) {
    const name = row.has_path('name') ? row.get_string('name') : '';
    return /[^\x00-\x7f]/.test(name ?? '');
}

async function run(query, title) {
    print(`== ${title}\n   ${query.to_sql()}`);
    const stream = await query.execute_async(null);
    for (let row; (row = await stream.next_async(null)) !== null;)
        print(`   ${row.has_path('name') ? row.get_string('name') : '(no name)'}`);
    const stats = stream.get_stats();
    print(`   ${stats.rows_delivered} delivered, ${stats.rows_filtered} filtered on the client`);
}

async function main(conninfo) {
    const client = new Fraise.Client({conninfo});
    await client.connect_async(null);

    // Values are always rendered as escaped literals: this one is harmless.
    // Conditions have the filter language's semantics: NE keeps projects whose
    // status is present and different, and GE on a number skips a budget that
    // is not a JSON number (never a cast error).
    const safe = client.query('v_project');
    safe.add_condition('status', Fraise.Operator.NE, new GLib.Variant('s', "x' OR '1'='1"));
    safe.add_condition('budget', Fraise.Operator.GE, new GLib.Variant('x', 0));
    await run(safe, 'safe conditions');

    const raw = client.query('v_project');
    raw.add_where_sql("data->>'status' = 'active' OR data->>'status' = 'planning'");
    raw.add_where_sql("jsonb_typeof(data->'tags') = 'array'");
    await run(raw, 'raw SQL predicates (each one parenthesised, then ANDed)');

    const clientSide = client.query('v_user');
    clientSide.set_filter_func(hasNonAsciiName);
    await run(clientSide, 'client-side filter');
}

const loop = new GLib.MainLoop(null, false);
let status = 0;
main(System.programArgs[0] ?? GLib.getenv('FRAISE_TEST_URI')).catch(error => {
    printerr(`filtering: ${error.message}`);
    status = 1;
}).finally(() => loop.quit());
loop.run();
System.exit(status);
