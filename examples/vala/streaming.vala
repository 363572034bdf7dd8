/* streaming.vala: stream a large relation in batches and report the stream's statistics
 *
 * Usage: streaming [CONNINFO] [SOURCE]   (SOURCE defaults to v_bench_100k)
 *
 * An async main: every call yields to the main loop while the rows arrive.
 * Memory stays bounded whatever the number of rows: the stream holds at most
 * twice chunk-size rows and stops reading the socket beyond that.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

async int main (string[] args) {
    string? conninfo = args.length > 1 ? args[1] : Environment.get_variable ("FRAISE_TEST_URI");
    string source = args.length > 2 ? args[2] : "v_bench_100k";
    uint64 rows = 0, bytes = 0;

    try {
        var client = new Fraise.Client (conninfo);
        yield client.connect_async ();

        var query = client.query (source);
        query.set_chunk_size (512);
        var stream = yield query.execute_async ();

        for (;;) {
            var batch = yield stream.next_batch_async ();
            if (batch.length == 0) {
                break;
            }
            foreach (unowned Fraise.Row row in batch) {
                bytes += row.get_text ().length;
            }
            rows += batch.length;
        }

        var stats = stream.get_stats ();
        double elapsed = stats.elapsed_us / 1e6;
        print ("%" + uint64.FORMAT + " rows, %.1f MB of JSON from %s\n", rows, bytes / 1e6, source);
        print ("elapsed %.3f s (%.0f rows/s), first row after %.3f ms\n",
               elapsed, rows / elapsed, stats.time_to_first_row_us / 1e3);
        print ("peak buffered %.1f KiB, reading paused %" + uint64.FORMAT + " times, chunk size %u\n",
               stats.peak_bytes_buffered / 1024.0, stats.pauses, stats.chunk_size);
        yield client.close_async ();
        return rows == stats.rows_delivered ? 0 : 1;
    } catch (Error e) {
        printerr ("streaming: %s\n", e.message);
        return 1;
    }
}
