# taprunner.py: runs unittest test cases and reports them as TAP
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One `ok N - name` / `not ok N - name` line per test method, skips as
# `ok N - name # SKIP reason`, expected failures as `not ok N - name # TODO`,
# tracebacks as `#` diagnostics, so Meson (protocol: 'tap') and
# scripts/test-summary.py count every case.

import os
import sys
import time
import traceback
import unittest


def _diagnostic(stream, text):
    for line in text.rstrip('\n').splitlines():
        stream.write('# ' + line + '\n')


class TAPResult(unittest.TestResult):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.number = 0
        self.started = 0.0

    def _name(self, test):
        method = getattr(test, '_testMethodName', str(test))
        return '%s.%s' % (type(test).__name__, method)

    def _line(self, ok, test, directive=''):
        self.number += 1
        line = '%s %d - %s' % ('ok' if ok else 'not ok', self.number, self._name(test))
        if directive:
            line += ' # ' + directive
        elapsed = time.monotonic() - self.started
        self.stream.write(line + '\n')
        self.stream.write('# %s: %.3f s\n' % (self._name(test), elapsed))
        self.stream.flush()

    def startTest(self, test):
        super().startTest(test)
        self.started = time.monotonic()

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test)
        _diagnostic(self.stream, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test)
        _diagnostic(self.stream, self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, 'SKIP ' + ' '.join(reason.split()))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line(False, test, 'TODO expected failure')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line(False, test)
        _diagnostic(self.stream, 'unexpected success')


def server_uri_or_exit(variable='FRAISE_TEST_URI'):
    """The test server's URI; without one, a TAP skip (or a failure under CI)."""
    uri = os.environ.get(variable, '')
    if uri:
        return uri
    if os.environ.get('CI'):
        sys.stdout.write('1..1\nnot ok 1 - %s is not set: the test server harness did not run\n'
                         % variable)
        sys.exit(1)
    sys.stdout.write('1..0 # SKIP test server not configured: '
                     'run through scripts/test.sh to start one\n')
    sys.exit(0)


def main(module_name='__main__'):
    """Runs every test case of the module as TAP; exits 0 only if all passed."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module_name])
    if len(sys.argv) > 1:
        # Selects tests whose name contains one of the arguments.
        def flatten(s):
            for t in s:
                if isinstance(t, unittest.TestSuite):
                    yield from flatten(t)
                else:
                    yield t
        suite = unittest.TestSuite(t for t in flatten(suite)
                                   if any(a in t.id() for a in sys.argv[1:]))
    sys.stdout.write('1..%d\n' % suite.countTestCases())
    sys.stdout.flush()
    result = TAPResult(sys.stdout)
    try:
        suite.run(result)
    except Exception:  # a broken fixture: report it and fail
        _diagnostic(sys.stdout, traceback.format_exc())
        sys.stdout.write('Bail out! %s\n' % 'the test run raised outside a test case')
        sys.exit(1)
    sys.exit(0 if result.wasSuccessful() else 1)
