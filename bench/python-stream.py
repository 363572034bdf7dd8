#!/usr/bin/python3
"""One relation streamed from Python: fraisewire's binding or psycopg 3.

  bench/python-stream.py fraise|psycopg CONNINFO VIEW --build BUILD_DIR

fraise    Fraise.Client, execute_sync, the stream iterated (the override's
          batched iteration), row.unpack() per row (json.loads of its text),
          one field read
psycopg   psycopg 3, a server-side (named) cursor of 1,000 rows a fetch, the
          json column loaded by psycopg (json.loads), one field read

The clock starts once connected. Prints the line bench/bench.py reads:
rows=N bytes=N wall=S cpu=S check=N (bytes: the JSON text's UTF-8 bytes, the
same count as the C contenders'). Re-executes itself with the environment
the binding needs (GI_TYPELIB_PATH, LD_LIBRARY_PATH, PYTHONPATH).

SPDX-License-Identifier: LGPL-2.1-or-later
"""

import argparse
import json
import time

from build_env import reexec_with_environment

def report(start, cpu_start, rows, size, check):
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f'rows={rows} bytes={size} wall={wall:.6f} cpu={cpu:.6f} check={check}')


def run_fraise(uri, view):
    import gi
    gi.require_version('Fraise', '1.0')
    from gi.repository import Fraise

    client = Fraise.Client.new(uri)
    client.connect_sync(None)
    start, cpu_start = time.perf_counter(), time.process_time()
    rows = size = check = 0
    for row in client.query(view).execute_sync(None):
        text = row.get_text()
        value = row.unpack()
        rows += 1
        size += len(text.encode('utf-8'))
        check += len(value['name'])
    report(start, cpu_start, rows, size, check)


def run_psycopg(uri, view):
    import psycopg

    with psycopg.connect(uri) as conn:
        start, cpu_start = time.perf_counter(), time.process_time()
        rows = size = check = 0
        with conn.cursor(name='bench') as cur:
            cur.itersize = 1000
            # The text as sent, loaded here with json.loads (psycopg's own
            # json loader is json.loads too), as the fraise contender does.
            cur.adapters.register_loader('jsonb', psycopg.types.string.TextLoader)
            cur.adapters.register_loader('json', psycopg.types.string.TextLoader)
            cur.execute(f'SELECT data FROM {view}')
            for (text,) in cur:
                value = json.loads(text)
                rows += 1
                size += len(text.encode('utf-8'))
                check += len(value['name'])
        report(start, cpu_start, rows, size, check)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('contender', choices=['fraise', 'psycopg'])
    parser.add_argument('uri')
    parser.add_argument('view')
    parser.add_argument('--build', required=True, help='the build directory')
    args = parser.parse_args()
    reexec_with_environment(args.build)
    if args.contender == 'fraise':
        run_fraise(args.uri, args.view)
    else:
        run_psycopg(args.uri, args.view)


if __name__ == '__main__':
    main()
