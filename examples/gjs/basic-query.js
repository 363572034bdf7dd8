#!/usr/bin/env -S gjs -m
// basic-query.js: connect, run one query, print each row
//
// Usage: gjs -m basic-query.js [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Fraise from 'gi://Fraise?version=1.0';
import System from 'system';

// Promise-returning async methods: `await query.execute_async(null)`.
Gio._promisify(Fraise.Client.prototype, 'connect_async', 'connect_finish');
Gio._promisify(Fraise.Client.prototype, 'close_async', 'close_finish');
Gio._promisify(Fraise.Query.prototype, 'execute_async', 'execute_finish');
Gio._promisify(Fraise.Stream.prototype, 'next_async', 'next_finish');

async function main(conninfo) {
    const client = new Fraise.Client({conninfo});
    await client.connect_async(null);
    const stream = await client.query('v_project').execute_async(null);
    for (let row; (row = await stream.next_async(null)) !== null;) {
        // Fields are read by path without parsing the whole row.
        const name = row.has_path('name') ? row.get_string('name') : '?';
        print(`${row.get_index()}: ${name}`);
    }
    await client.close_async(null);
}

const loop = new GLib.MainLoop(null, false);
let status = 0;
main(System.programArgs[0] ?? GLib.getenv('FRAISE_TEST_URI')).catch(error => {
    printerr(`basic-query: ${error.message}`);
    status = 1;
}).finally(() => loop.quit());
loop.run();
System.exit(status);
