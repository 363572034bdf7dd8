#!/usr/bin/python3
# filtering.py: safe server-side conditions, raw SQL predicates and a client-side filter
#
# Usage: filtering.py [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

import gi

gi.require_version('Fraise', '1.0')
from gi.repository import Fraise, GLib  # noqa: E402


def has_non_ascii_name(row):
    """Client-side predicate: keep users whose name has an accented letter."""
    name = row.get_string('name') if row.has_path('name') else ''
    return any(ord(c) >= 0x80 for c in name or '')


def run(query, title):
    print('== %s\n   %s' % (title, query.to_sql()))
    stream = query.execute_sync()
    for row in stream:
        print('   %s' % (row.unpack().get('name') or '(no name)'))
    stats = stream.get_stats()
    print('   %d delivered, %d filtered on the client'
          % (stats.rows_delivered, stats.rows_filtered))


def main(argv):
    conninfo = argv[1] if len(argv) > 1 else os.environ.get('FRAISE_TEST_URI')
    try:
        with Fraise.Client(conninfo) as client:
            # Values are always rendered as escaped literals: this one is harmless.
            # Conditions have the filter language's semantics: NE keeps projects
            # whose status is present and different, and GE on a number skips a
            # budget that is not a JSON number (never a cast error).
            safe = client.query('v_project')
            safe.add_condition('status', Fraise.Operator.NE, GLib.Variant('s', "x' OR '1'='1"))
            safe.add_condition('budget', Fraise.Operator.GE, GLib.Variant('x', 0))
            run(safe, 'safe conditions')

            raw = client.query('v_project')
            raw.add_where_sql("data->>'status' = 'active' OR data->>'status' = 'planning'")
            raw.add_where_sql("jsonb_typeof(data->'tags') = 'array'")
            run(raw, 'raw SQL predicates (each one parenthesised, then ANDed)')

            client_side = client.query('v_user')
            client_side.set_filter_func(has_non_ascii_name)
            run(client_side, 'client-side filter')
    except GLib.Error as error:
        print('filtering: %s' % error.message, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
