#!/usr/bin/python3
# basic_query.py: connect, run one query, print each row
#
# Usage: basic_query.py [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

import gi

gi.require_version('Fraise', '1.0')
from gi.repository import Fraise, GLib  # noqa: E402


def main(argv):
    conninfo = argv[1] if len(argv) > 1 else os.environ.get('FRAISE_TEST_URI')
    try:
        # The client connects on entering the block and closes on leaving it.
        with Fraise.Client(conninfo) as client:
            # Iterating a stream pulls rows with the blocking next_sync().
            for row in client.query('v_project').execute_sync():
                project = row.unpack()  # json.loads() of the row's text
                print('%d: %s' % (row.get_index(), project.get('name', '?')))
    except GLib.Error as error:
        print('basic_query: %s' % error.message, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
