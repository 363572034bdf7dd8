#!/usr/bin/env -S gjs -m
// streaming.js: stream a large relation with the rows signal and report the stream's statistics
//
// Usage: gjs -m streaming.js [CONNINFO] [SOURCE]   (SOURCE defaults to v_bench_100k)
//
// Push mode: after start() the stream emits `rows` once per batch (at most
// chunk-size rows) and `finished` once at the end. Memory stays bounded
// whatever the number of rows.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Fraise from 'gi://Fraise?version=1.0';
import System from 'system';

const [conninfo = GLib.getenv('FRAISE_TEST_URI'), source = 'v_bench_100k'] = System.programArgs;
let rows = 0, bytes = 0, status = 0;

const client = new Fraise.Client({conninfo});
const loop = new GLib.MainLoop(null, false);
try {
    client.connect_sync(null);
    const query = client.query(source);
    query.set_chunk_size(512);
    const stream = query.execute_sync(null);

    stream.connect('rows', (_stream, batch) => {
        rows += batch.length;
        for (const row of batch)
            bytes += row.get_bytes().get_size();
    });
    stream.connect('finished', (_stream, error) => {
        if (error !== null) {
            printerr(`streaming: ${error.message}`);
            status = 1;
        }
        loop.quit();
    });
    stream.start();
    loop.run();

    const stats = stream.get_stats();
    const elapsed = stats.elapsed_us / 1e6;
    print(`${rows} rows, ${(bytes / 1e6).toFixed(1)} MB of JSON from ${source}`);
    print(`elapsed ${elapsed.toFixed(3)} s (${(rows / elapsed).toFixed(0)} rows/s), ` +
          `first row after ${(stats.time_to_first_row_us / 1e3).toFixed(3)} ms`);
    print(`peak buffered ${(stats.peak_bytes_buffered / 1024).toFixed(1)} KiB, ` +
          `reading paused ${stats.pauses} times, chunk size ${stats.chunk_size}`);
    if (status === 0 && rows !== stats.rows_delivered)
        status = 1;
} catch (error) {
    printerr(`streaming: ${error.message}`);
    status = 1;
}
System.exit(status);
