"""The environment a benchmark script needs to load fraisewire from a build tree.

SPDX-License-Identifier: LGPL-2.1-or-later
"""

import os
import sys

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = 'FRAISE_BENCH_BUILD_ENV'


def reexec_with_environment(build):
    """Points the dynamic loader, GI, Python and the plugin path at the build
    tree @build, then re-executes the script (LD_LIBRARY_PATH is only read
    when a process starts). Returns at once in the re-executed process."""
    if os.environ.get(MARKER) == '1':
        return
    build = os.path.abspath(build)
    env = dict(os.environ)

    def prepend(name, value):
        env[name] = value + (os.pathsep + env[name] if env.get(name) else '')

    prepend('GI_TYPELIB_PATH', os.path.join(build, 'introspection'))
    prepend('LD_LIBRARY_PATH', os.path.join(build, 'fraisewire'))
    prepend('PYTHONPATH', os.path.join(SOURCE_ROOT, 'introspection', 'python'))
    prepend('FRAISE_PLUGIN_PATH', os.path.join(build, 'examples', 'plugin'))
    env[MARKER] = '1'
    os.execve(sys.executable, [sys.executable] + sys.argv, env)
