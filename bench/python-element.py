#!/usr/bin/python3
"""The per-row cost of a Python element in a pipeline.

Runs, on one open connection and in one process, pipelines that differ only
by the element between the query and the count-sink:

  baseline      query source=VIEW ! count-sink
  C upper       query ! upper (the sample C plugin, libfraise-upper.so) ! count-sink
  Python pass   query ! <Python element: return self.push(row)> ! count-sink
  Python field  query ! <Python element reading one field, then pushing> ! count-sink
  Python upper  query ! <Python element: unpack, upper-case, new_from_text, push> ! count-sink

round-robin for --runs rounds after one warm-up round, and prints the median
time of each, the µs per row it adds to the baseline, and its time relative to
the baseline. Figures only: it never fails on timing (it fails if a pipeline
loses rows).

  . "$(scripts/pg-harness.sh start build)"
  /usr/bin/python3 bench/python-element.py --build build [--view v_bench_100k] [--runs 5]

It needs the harness environment (FRAISE_TEST_URI) and a build directory with
the typelib; it re-executes itself with the environment the bindings tests
use (GI_TYPELIB_PATH, LD_LIBRARY_PATH, PYTHONPATH for the override module,
FRAISE_PLUGIN_PATH for the sample plugin).
"""

import argparse
import json
import os
import statistics
import sys
import time

from build_env import reexec_with_environment

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(HERE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build', default=os.path.join(SOURCE_ROOT, 'build'),
                        help='the build directory (default: build)')
    parser.add_argument('--view', default='v_bench_100k',
                        help='the relation to read (default: v_bench_100k, of the fixtures)')
    parser.add_argument('--runs', type=int, default=5, help='timed rounds (default: 5)')
    return parser.parse_args()


def main():
    args = parse_args()
    reexec_with_environment(args.build)
    uri = os.environ.get('FRAISE_TEST_URI')
    if not uri:
        sys.exit('FRAISE_TEST_URI is not set: . "$(scripts/pg-harness.sh start build)" first')

    import gi
    gi.require_version('Fraise', '1.0')
    from gi.repository import Fraise, GObject

    class Pass(Fraise.Element):
        __gtype_name__ = 'FraiseBenchPass'

        def do_process(self, row):
            return self.push(row)

    class Field(Fraise.Element):
        __gtype_name__ = 'FraiseBenchField'

        def do_process(self, row):
            if row.get_string('name') is None:
                return Fraise.Flow.OK
            return self.push(row)

    class Upper(Fraise.Element):
        __gtype_name__ = 'FraiseBenchUpper'

        def do_process(self, row):
            data = row.unpack()
            data['name'] = data['name'].upper()
            return self.push(Fraise.Row.new_from_text(json.dumps(data, ensure_ascii=False)))

    registry = Fraise.Registry.get_default()
    registry.register('bench-pass', Pass)
    registry.register('bench-field', Field)
    registry.register('bench-upper', Upper)

    contenders = [('baseline', None), ('Python pass', 'bench-pass'),
                  ('Python field', 'bench-field'), ('Python upper', 'bench-upper')]
    if registry.lookup('upper') is not None:
        contenders.insert(1, ('C upper', 'upper'))
    else:
        print('# the sample plugin was not found: no C upper contender', file=sys.stderr)

    client = Fraise.Client(conninfo=uri)
    client.connect_sync(None)

    def run(element):
        pipeline = Fraise.Pipeline.new()
        query = registry.make_element('query', None)
        query.set_property('source', args.view)
        pipeline.add(query)
        if element is not None:
            pipeline.add(registry.make_element(element, None))
        sink = registry.make_element('count-sink', None)
        pipeline.add(sink)
        started = time.perf_counter()
        pipeline.run_sync(client, None)
        elapsed = time.perf_counter() - started
        return elapsed, sink.get_property('rows')

    times = {name: [] for name, _ in contenders}
    rows = None
    for round_number in range(args.runs + 1):
        for name, element in contenders:
            elapsed, counted = run(element)
            if rows is None:
                rows = counted
            if counted != rows:
                sys.exit('%s counted %d rows, the baseline %d' % (name, counted, rows))
            if round_number > 0:  # the first round warms up
                times[name].append(elapsed)

    base = statistics.median(times['baseline'])
    print('%s: %d rows, median of %d runs (after a warm-up), one connection, %s'
          % (args.view, rows, args.runs, 'Python %d.%d' % sys.version_info[:2]))
    print('%-14s %10s %10s %14s %8s' % ('pipeline', 'time (s)', 'µs/row', 'µs/row added',
                                        'vs base'))
    for name, _ in contenders:
        median = statistics.median(times[name])
        print('%-14s %10.3f %10.2f %14.2f %7.2fx'
              % (name, median, median / rows * 1e6, (median - base) / rows * 1e6, median / base))
    client.close_sync(None)


if __name__ == '__main__':
    main()
