#!/usr/bin/python3
# streaming.py: stream a large relation and report the stream's statistics
#
# Usage: streaming.py [CONNINFO] [SOURCE]   (SOURCE defaults to v_bench_100k)
#
# Memory stays bounded whatever the number of rows: the stream holds at most
# twice chunk-size rows and stops reading the socket beyond that.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

import gi

gi.require_version('Fraise', '1.0')
from gi.repository import Fraise, GLib  # noqa: E402


def main(argv):
    conninfo = argv[1] if len(argv) > 1 else os.environ.get('FRAISE_TEST_URI')
    source = argv[2] if len(argv) > 2 else 'v_bench_100k'
    rows = size = 0
    try:
        with Fraise.Client(conninfo) as client:
            query = client.query(source)
            query.set_chunk_size(512)
            with query.execute_sync() as stream:
                for row in stream:
                    rows += 1
                    size += len(row.get_text().encode('utf-8'))
            stats = stream.get_stats()
    except GLib.Error as error:
        print('streaming: %s' % error.message, file=sys.stderr)
        return 1

    elapsed = stats.elapsed_us / 1e6
    print('%d rows, %.1f MB of JSON from %s' % (rows, size / 1e6, source))
    print('elapsed %.3f s (%.0f rows/s), first row after %.3f ms'
          % (elapsed, rows / elapsed if elapsed > 0 else 0, stats.time_to_first_row_us / 1e3))
    print('peak buffered %.1f KiB, reading paused %d times, chunk size %d'
          % (stats.peak_bytes_buffered / 1024, stats.pauses, stats.chunk_size))
    return 0 if rows == stats.rows_delivered else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
