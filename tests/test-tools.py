#!/usr/bin/env python3
# test-tools.py: fraise-launch and fraise-inspect driven as a user drives them
#
#   test-tools.py FRAISE_LAUNCH FRAISE_INSPECT
#
# Speaks TAP. The tests that need a server read the harness's environment
# (scripts/pg-harness.sh: FRAISE_TEST_URI, FRAISE_TEST_SOCKET_DIR, ...); without
# it they skip, or fail when CI is set, as the C live tests do. The signal tests
# run fraise-launch with its stderr on a pseudo-terminal, where it shows its
# progress line, and interrupt a slow query (v_slow_long, data/fixtures.sql)
# midway. Every wait is bounded; no test asserts on how fast anything is.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import time
import traceback

LAUNCH, INSPECT = sys.argv[1], sys.argv[2]
PG_BIN = os.environ.get("FRAISE_PG_BIN", "/usr/lib/postgresql/15/bin")
TIMEOUT = 60  # seconds any one command or wait may take

BUILTINS = ["count-sink", "limit", "query", "sample", "signal-sink"]


class Skip(Exception):
    pass


def env(extra=None):
    """The environment of a tool run: C locale, no PG* variables of the caller."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    e["LC_ALL"] = "C"
    e.pop("LANGUAGE", None)
    e.pop("FRAISE_LOCALEDIR", None)
    e.pop("FRAISE_PLUGIN_PATH", None)
    if extra:
        e.update(extra)
    return e


def run(argv, extra_env=None, stdin=subprocess.DEVNULL):
    return subprocess.run(argv, stdin=stdin, capture_output=True, env=env(extra_env),
                          timeout=TIMEOUT)


def text(b):
    return b.decode("utf-8", "replace")


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def check_rc(proc, expected):
    check(proc.returncode == expected,
          "exit status %s, expected %s; stderr:\n%s" % (proc.returncode, expected,
                                                      text(proc.stderr)))


def uri():
    value = os.environ.get("FRAISE_TEST_URI")
    if value:
        return value
    if os.environ.get("CI"):
        raise AssertionError("FRAISE_TEST_URI is not set: the test server harness did not run")
    raise Skip("test server not configured: run through scripts/test.sh to start one")


def need_element(name):
    if run([INSPECT, name]).returncode != 0:
        raise Skip("no %s element in this build" % name)


def psql_lines(sql):
    """What the server itself prints for @sql, one text value per line."""
    psql = os.path.join(PG_BIN, "psql")
    if not os.access(psql, os.X_OK):
        psql = shutil.which("psql") or psql
    out = subprocess.run([psql, "-X", "-A", "-t", "-q", "-d", uri(), "-c", sql],
                         capture_output=True, check=True, timeout=TIMEOUT, env=env())
    return text(out.stdout).splitlines()


STATS_TOTAL = re.compile(r"^(\d+) rows, (\d+) bytes in ([0-9.]+) s \(\d+ rows/s, [0-9.]+ MB/s\)$", re.M)
STATS_ELEMENT = re.compile(r"^ +(\S+): (\d+) in, (\d+) out, (\d+) dropped, (\d+) routed$")
MESSAGE = re.compile(r"^(\S+): (\{.*\})$")


def parse_stats(stderr):
    """The --stats block: totals, {element: counters}, {element: message}."""
    totals, elements, messages = None, {}, {}
    for line in stderr.splitlines():
        line = line.split("\r")[-1]
        m = STATS_TOTAL.match(line)
        if m:
            totals = {"rows": int(m.group(1)), "bytes": int(m.group(2))}
            continue
        m = STATS_ELEMENT.match(line)
        if m:
            elements[m.group(1)] = dict(zip(("in", "out", "dropped", "routed"),
                                            map(int, m.group(2, 3, 4, 5))))
            continue
        m = MESSAGE.match(line)
        if m:
            messages[m.group(1)] = json.loads(m.group(2))
    check(totals is not None, "no totals line in:\n" + stderr)
    return totals, elements, messages


# ---- options ------------------------------------------------------------------------


def test_help_and_version():
    for tool, words in ((LAUNCH, ["--uri", "--stats", "--progress", "--json-errors"]),
                        (INSPECT, ["--json"])):
        proc = run([tool, "--help"])
        check_rc(proc, 0)
        for word in words:
            check(word in text(proc.stdout), "%s --help does not mention %s" % (tool, word))
        proc = run([tool, "--version"])
        check_rc(proc, 0)
        check(re.match(r"^fraise-(launch|inspect) \d+\.\d+\.\d+$", text(proc.stdout).strip()),
              "unexpected --version output: %r" % proc.stdout)


def test_french():
    # The tools bind the library's catalog; the build tree's is in <build>/po.
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(LAUNCH))))
    french = {"LC_ALL": "C.UTF-8", "LANGUAGE": "fr", "FRAISE_LOCALEDIR": os.path.join(build, "po")}
    proc = run([LAUNCH, "--help"], french)
    check_rc(proc, 0)
    check("Chaîne de connexion" in text(proc.stdout), "not in French:\n" + text(proc.stdout))
    proc = run([LAUNCH], french)
    check_rc(proc, 2)
    check("aucune description de pipeline" in text(proc.stderr), "stderr:\n" + text(proc.stderr))
    proc = run([INSPECT, "limit"], french)
    check_rc(proc, 0)
    check("Propriétés de l’élément" in text(proc.stdout), "not in French:\n" + text(proc.stdout))


def test_usage_errors():
    for argv in ([LAUNCH], [LAUNCH, "--bogus", "query"], [LAUNCH, "--uri"],
                 [INSPECT, "--bogus"], [INSPECT, "limit", "sample"]):
        proc = run(argv)
        check_rc(proc, 2)
        check(proc.stdout == b"", "a usage error wrote to stdout")
        check(text(proc.stderr).strip() != "", "no message for %r" % argv[1:])


def test_bad_uri():
    proc = run([LAUNCH, "--uri", "postgresql://localhost/db?sslmode=maybe", "query",
                "source=v_user", "!", "count-sink"])
    check_rc(proc, 2)
    check("sslmode" in text(proc.stderr), "the message does not name sslmode")


def test_parse_error():
    # One token per argument: the misspelt element is the fourth token.
    proc = run([LAUNCH, "query", "source=v_user", "!", "limt", "count=3"])
    check_rc(proc, 2)
    err = text(proc.stderr)
    check(re.search(r"\b1:\d+: ", err), "no line:column in:\n" + err)
    check(re.search(r"^ +\^$", err, re.M), "no caret line in:\n" + err)
    check("limit" in err and "did you mean" in err, "no suggestion in:\n" + err)
    # A whole description in one argument, on two lines.
    proc = run([LAUNCH, "query source=v_user !\n  limit cont=3"])
    check_rc(proc, 2)
    check(re.search(r"\b2:\d+: ", text(proc.stderr)), "no line 2 in:\n" + text(proc.stderr))


def test_parse_error_json():
    proc = run([LAUNCH, "--json-errors", "query source=v_user ! limt count=3"])
    check_rc(proc, 2)
    error = json.loads(text(proc.stderr))
    for key in ("domain", "code", "message", "position"):
        check(key in error, "no %s in %r" % (key, error))
    description = "query source=v_user ! limt count=3"
    check(description[error["position"]["offset"]:].startswith("limt"),
          "the offset does not point at the bad name: %r" % error)
    check(error["position"]["line"] == 1 and error["position"]["column"] == 23,
          "wrong position: %r" % error)


# ---- running on the server --------------------------------------------------------


def test_jsonl_matches_server():
    need_element("jsonl-sink")
    proc = run([LAUNCH, "--uri", uri(), "query", "source=v_user", "!", "jsonl-sink"])
    check_rc(proc, 0)
    expected = psql_lines("SELECT data FROM v_user")
    check(len(expected) == 3, "fixture changed? %r" % expected)
    check(text(proc.stdout).splitlines() == expected,
          "fraise-launch wrote:\n%s\nthe server says:\n%s" % (text(proc.stdout),
                                                              "\n".join(expected)))
    check(proc.stdout.endswith(b"\n"), "the last line is not complete")


def test_progress_not_on_stdout():
    need_element("jsonl-sink")
    base = [LAUNCH, "--uri", uri(), "query source=v_bench_1k ! jsonl-sink"]
    plain = run(base)
    forced = run(base[:1] + ["--progress"] + base[1:])
    check_rc(plain, 0)
    check_rc(forced, 0)
    check(plain.stdout == forced.stdout, "stdout differs with --progress")
    check(len(plain.stdout.splitlines()) == 1000, "not 1000 lines")
    check(b"\r" not in plain.stdout, "a carriage return on stdout")


def test_stats():
    proc = run([LAUNCH, "--stats", "--uri", uri(), "query", "source=v_bench_1k", "!", "sample",
                "every=10", "!", "count-sink"])
    check_rc(proc, 0)
    totals, elements, messages = parse_stats(text(proc.stderr))
    rows = psql_lines("SELECT data FROM v_bench_1k")
    check(totals["rows"] == 1000, "totals: %r" % totals)
    check(totals["bytes"] == sum(len(r.encode()) for r in rows), "bytes: %r" % totals)
    check(set(elements) == {"query0", "sample0", "count-sink0"}, "elements: %r" % elements)
    check(elements["query0"]["out"] == 1000, "query0: %r" % elements["query0"])
    check(elements["sample0"]["in"] == 1000 and elements["sample0"]["out"] == 100,
          "sample0: %r" % elements["sample0"])
    check(elements["count-sink0"]["in"] == 100, "count-sink0: %r" % elements["count-sink0"])
    kept = rows[::10]
    check(messages.get("count-sink0") == {"rows": 100,
                                          "bytes": sum(len(r.encode()) for r in kept)},
          "count-sink's message: %r" % messages)


def test_runtime_error():
    proc = run([LAUNCH, "--uri", uri(), "query", "source=no_such_relation", "!", "count-sink"])
    check_rc(proc, 1)
    err = text(proc.stderr)
    check("query0" in err and "no_such_relation" in err, "the message:\n" + err)
    proc = run([LAUNCH, "--json-errors", "--uri", uri(), "query source=no_such_relation ! "
                "count-sink"])
    check_rc(proc, 1)
    error = json.loads(text(proc.stderr))
    check(error["message"].startswith("query0: "), "JSON error: %r" % error)
    check("position" not in error, "a runtime error has no position")


def test_explain():
    """--explain prints the SQL, the decisions, the plan and the advice, and
    runs nothing: the sink's file is never created."""
    with tempfile.TemporaryDirectory(prefix="fraise-explain-") as tmp:
        out_file = os.path.join(tmp, "out.jsonl")
        proc = run([LAUNCH, "--explain", "--uri", uri(), "query", "source=v_bench_1k", "!",
                    "filter", "name=f", 'expr=status == "active" && name =~ "^B"', "!", "limit",
                    "count=5", "!", "jsonl-sink", "location=" + out_file])
        check(not os.path.exists(out_file), "--explain ran the pipeline")
    check_rc(proc, 0)
    out = text(proc.stdout)
    check(out.startswith("SQL:\n  SELECT data FROM v_bench_1k WHERE ((data @> "
                         "'{\"status\":\"active\"}'))\n"), "the SQL:\n" + out)
    check("\nPush-down:\n  f: pushed into WHERE: (data @> " in out, "pushed:\n" + out)
    check('\n  f: on the client: name =~ "^B" (regular expressions' in out, "client:\n" + out)
    check("\n  limit0: on the client: an element before it" in out, "limit:\n" + out)
    check("\nPlan:\n  Seq Scan on public.tv_bench_1k" in out, "plan:\n" + out)
    check("\n  CREATE INDEX ON public.tv_bench_1k USING gin (data jsonb_path_ops);\n" in out,
          "advice:\n" + out)
    check(text(proc.stderr) == "", "stderr: " + text(proc.stderr))
    # A failing explanation is a runtime error, as a failing run.
    proc = run([LAUNCH, "--explain", "--uri", uri(), "query source=no_such_relation ! count-sink"])
    check_rc(proc, 1)
    check("no_such_relation" in text(proc.stderr), "stderr: " + text(proc.stderr))


def test_debug_hides_password_length():
    """FRAISE_DEBUG=protocol logs every message sent, but not the size of an
    authentication answer, which would tell the password's length."""
    password_uri = os.environ.get("FRAISE_TEST_URI_PASSWORD")
    uri()  # skips or fails without a server
    proc = run([LAUNCH, "--uri", password_uri, "query source=v_user ! count-sink"],
               extra_env={"FRAISE_DEBUG": "protocol", "G_MESSAGES_DEBUG": "all"})
    check_rc(proc, 0)
    err = text(proc.stdout) + text(proc.stderr)  # GLib writes debug messages to stdout
    check("-> p (authentication answer)" in err, "no password message logged:\n" + err)
    check(re.search(r"-> p \(\d+ bytes\)", err) is None, "a password message size:\n" + err)
    check(re.search(r"-> Q \(\d+ bytes\)", err) is not None, "other sizes are logged:\n" + err)


def harness_env(database):
    socket_dir = os.environ.get("FRAISE_TEST_SOCKET_DIR")
    port = os.environ.get("FRAISE_TEST_PORT")
    if not socket_dir or not port:
        uri()  # skips or fails as the others do
        raise AssertionError("FRAISE_TEST_SOCKET_DIR or FRAISE_TEST_PORT is not set")
    return {"PGHOST": socket_dir, "PGPORT": port, "PGUSER": "fraise_trust",
            "PGDATABASE": database}


def test_uri_from_environment():
    argv = [LAUNCH, "--stats", "query source=v_user ! count-sink"]
    proc = run(argv, harness_env("fraise_test"))
    check_rc(proc, 0)
    totals, _, _ = parse_stats(text(proc.stderr))
    check(totals["rows"] == 3, "totals: %r" % totals)
    # The same run with a database that does not exist: the variable is read.
    proc = run(argv, harness_env("no_such_database"))
    check_rc(proc, 1)
    check("no_such_database" in text(proc.stderr), "stderr:\n" + text(proc.stderr))
    check(not STATS_TOTAL.search(text(proc.stderr)), "figures for a run that never started")
    # --uri wins over the environment.
    proc = run([LAUNCH, "--uri", uri()] + argv[1:], harness_env("no_such_database"))
    check_rc(proc, 0)


# ---- signals, under a pseudo-terminal -------------------------------------------------


class Tty:
    """fraise-launch with its stderr on a pseudo-terminal and stdout on @stdout."""

    def __init__(self, args, stdout):
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen([LAUNCH, "--uri", uri()] + args, stdin=subprocess.DEVNULL,
                                     stdout=stdout, stderr=slave, env=env())
        os.close(slave)
        self.seen = b""

    def read(self, seconds):
        """Reads what the terminal shows for up to @seconds (less if it closes)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                if self.proc.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other side is closed
                return
            if not chunk:
                return
            self.seen += chunk

    def wait_for_progress(self, min_rows=1):
        """Waits until the progress line shows at least @min_rows rows."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.read(0.2)
            counts = [int(n) for n in re.findall(rb"\r(\d+) rows, \d+ rows/s", self.seen)]
            if counts and counts[-1] >= min_rows:
                return counts[-1]
            check(self.proc.poll() is None, "exited early: %s\n%s" % (self.proc.returncode,
                                                                      text(self.seen)))
        raise AssertionError("no progress line on the terminal:\n%r" % self.seen)

    def finish(self):
        try:
            status = self.proc.wait(TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.read(1)
        os.close(self.master)
        return status


def interrupt_midway(signum, expected_status, sink):
    """Interrupts a slow run once rows flow; returns the terminal's text and
    what stdout received."""
    with tempfile.TemporaryFile() as out:
        tty = Tty(["--stats", "query", "source=v_slow_long", "!", sink], out)
        tty.wait_for_progress(min_rows=5)
        tty.proc.send_signal(signum)
        status = tty.finish()
        out.seek(0)
        written = out.read()
    screen = text(tty.seen)
    check(status == expected_status, "exit status %s, expected %s; terminal:\n%s" %
          (status, expected_status, screen))
    check(b"\r" not in written, "the progress line reached stdout")
    return parse_stats(screen), written


def test_sigint_under_tty():
    need_element("jsonl-sink")
    (_, elements, _), written = interrupt_midway(signal.SIGINT, 130, "jsonl-sink")
    check(written.endswith(b"\n"), "the output does not end with a complete line")
    lines = written.splitlines()
    for line in lines:
        json.loads(line)
    check(elements["jsonl-sink0"]["in"] == len(lines),
          "%d lines written, jsonl-sink counted %r" % (len(lines), elements["jsonl-sink0"]))
    check(0 < len(lines) < 3000, "%d lines: the run was not interrupted midway" % len(lines))


def test_sigterm_under_tty():
    # count-sink posts its totals from its finish: they show that every
    # element finished after the interrupt.
    (totals, elements, messages), _ = interrupt_midway(signal.SIGTERM, 143, "count-sink")
    counted = elements["count-sink0"]["in"]
    check(0 < counted < 3000, "%d rows: the run was not interrupted midway" % counted)
    check(messages.get("count-sink0", {}).get("rows") == counted,
          "count-sink did not finish: %r" % messages)
    check(totals["rows"] == counted, "totals %r, counted %d" % (totals, counted))


def pipe_bytes(fd):
    buf = bytearray(4)
    fcntl.ioctl(fd, termios.FIONREAD, buf)
    return int.from_bytes(buf, sys.byteorder)


def test_second_sigint_exits_at_once():
    # stdout is a pipe nobody reads: once it is full, jsonl-sink cannot
    # finish, so the first SIGINT cannot end the run; the second must.
    need_element("jsonl-sink")
    r, w = os.pipe()
    try:
        tty = Tty(["query", "source=v_slow_long", "!", "jsonl-sink"], w)
        os.close(w)
        w = None
        deadline = time.monotonic() + TIMEOUT
        size = fcntl.fcntl(r, 1032)  # F_GETPIPE_SZ
        while pipe_bytes(r) < size - 16384:
            check(time.monotonic() < deadline, "the pipe did not fill up")
            check(tty.proc.poll() is None, "exited early: %s" % tty.proc.returncode)
            tty.read(0.1)
        tty.proc.send_signal(signal.SIGINT)
        tty.read(1.0)
        check(tty.proc.poll() is None,
              "exited (%s) although the sink could not write" % tty.proc.returncode)
        tty.proc.send_signal(signal.SIGINT)
        status = tty.finish()
        check(status == 130, "exit status %s after the second SIGINT" % status)
    finally:
        os.close(r)
        if w is not None:
            os.close(w)


# ---- fraise-inspect -----------------------------------------------------------------


def test_inspect_list():
    proc = run([INSPECT])
    check_rc(proc, 0)
    names = [line.split()[0] for line in text(proc.stdout).splitlines()
             if line and not line[0].isspace() and "[" in line]
    for name in BUILTINS:
        check(name in names, "%s is not listed:\n%s" % (name, text(proc.stdout)))
    check(names == sorted(names), "the list is not sorted: %r" % names)


def test_inspect_limit():
    proc = run([INSPECT, "limit"])
    check_rc(proc, 0)
    out = text(proc.stdout)
    for word in ("Filter", "built-in", "FraiseElement", "GObject"):
        check(word in out, "no %s in:\n%s" % (word, out))
    m = re.search(r"^  count +: .*\n +flags: ([^\n]*)\n +gint64\. Range: 0 – (\d+)\. Default: 10$",
                  out, re.M)
    check(m, "no count property with its range and default in:\n" + out)
    check("readable" in m.group(1) and "writable" in m.group(1), "flags: " + m.group(1))
    check(int(m.group(2)) == 2**63 - 1, "maximum " + m.group(2))
    check(re.search(r"\(2\): route +- FRAISE_ON_ERROR_ROUTE", out), "no on-error values")
    props = re.findall(r"^  (\S+) +: ", out, re.M)
    check(props == sorted(props), "properties not sorted: %r" % props)


def test_inspect_sensitive():
    proc = run([INSPECT, "query"])
    check_rc(proc, 0)
    m = re.search(r"^  where-sql +: .*\n +flags: ([^\n]*)$", text(proc.stdout), re.M)
    check(m and "sensitive" in m.group(1), "where-sql is not marked sensitive")


def test_inspect_json():
    proc = run([INSPECT, "--json"])
    check_rc(proc, 0)
    listing = json.loads(text(proc.stdout))
    check(listing["schema"] == 1, "schema %r" % listing.get("schema"))
    check(isinstance(listing["plugin_errors"], list), "plugin_errors")
    names = [e["name"] for e in listing["elements"]]
    for name in BUILTINS:
        check(name in names, "%s not in the JSON list" % name)
    for element in listing["elements"]:
        for key in ("name", "long_name", "classification", "description", "plugin", "type",
                    "can_push_down"):
            check(key in element, "no %s in %r" % (key, element))
    for name in names:
        proc = run([INSPECT, "--json", name])
        check_rc(proc, 0)
        page = json.loads(text(proc.stdout))
        check(page["schema"] == 1 and page["name"] == name, "page of %s" % name)
        check(page["hierarchy"][-2:] == ["FraiseElement", "GObject"], "hierarchy of %s" % name)
        props = [p["name"] for p in page["properties"]]
        check(props == sorted(props) and "on-error" in props, "properties of %s" % name)
        for p in page["properties"]:
            for key in ("name", "nick", "blurb", "type", "flags", "default"):
                check(key in p, "no %s in %s.%s" % (key, name, p.get("name")))
    page = json.loads(text(run([INSPECT, "--json", "limit"]).stdout))
    count = next(p for p in page["properties"] if p["name"] == "count")
    check((count["minimum"], count["maximum"], count["default"]) == (0, 2**63 - 1, 10),
          "count: %r" % count)
    on_error = next(p for p in page["properties"] if p["name"] == "on-error")
    check(on_error["default"] == "fail" and
          [v["nick"] for v in on_error["values"]] == ["fail", "drop", "route"],
          "on-error: %r" % on_error)


def plugin_env():
    sample = os.environ.get("FRAISE_TEST_SAMPLE_PLUGIN_DIR")
    broken = os.environ.get("FRAISE_TEST_PLUGIN_DIR")
    check(sample and broken, "FRAISE_TEST_SAMPLE_PLUGIN_DIR or FRAISE_TEST_PLUGIN_DIR is not set")
    return sample, broken, {"FRAISE_PLUGIN_PATH": sample + os.pathsep + broken}


def test_inspect_plugins():
    sample, broken, e = plugin_env()
    upper = os.path.join(sample, "libfraise-upper.so")
    proc = run([INSPECT], e)
    check_rc(proc, 0)
    out = text(proc.stdout)
    check(re.search(r"^upper +Transform +.* \[%s\]$" % re.escape(upper), out, re.M),
          "upper is not listed with its module:\n" + out)
    failed = out.split("Plugins that failed to load:\n")
    check(len(failed) == 2, "no plugin errors in:\n" + out)
    check("libfraise-test-garbage.so" in failed[1] and "libfraise-test-noabi.so" in failed[1],
          "the broken modules are not reported:\n" + failed[1])
    listing = json.loads(text(run([INSPECT, "--json"], e).stdout))
    check({"name": "upper", "plugin": upper}.items() <=
          next(x for x in listing["elements"] if x["name"] == "upper").items(),
          "upper in JSON: %r" % listing["elements"])
    check(any("libfraise-test-garbage.so" in m for m in listing["plugin_errors"]),
          "plugin_errors: %r" % listing["plugin_errors"])
    proc = run([INSPECT, "upper"], e)
    check_rc(proc, 0)
    check(re.search(r"^  Plugin +%s$" % re.escape(upper), text(proc.stdout), re.M),
          "no plugin path in:\n" + text(proc.stdout))
    # Without the path, the element is unknown.
    check_rc(run([INSPECT, "upper"]), 1)


def test_inspect_unknown():
    for argv in ([INSPECT, "limt"], [INSPECT, "--json", "limt"]):
        proc = run(argv)
        check_rc(proc, 1)
        check(proc.stdout == b"", "output for an unknown element")
        check('did you mean "limit"' in text(proc.stderr), "stderr:\n" + text(proc.stderr))


TESTS = [
    test_help_and_version,
    test_french,
    test_usage_errors,
    test_bad_uri,
    test_parse_error,
    test_parse_error_json,
    test_jsonl_matches_server,
    test_progress_not_on_stdout,
    test_stats,
    test_runtime_error,
    test_explain,
    test_debug_hides_password_length,
    test_uri_from_environment,
    test_sigint_under_tty,
    test_sigterm_under_tty,
    test_second_sigint_exits_at_once,
    test_inspect_list,
    test_inspect_limit,
    test_inspect_sensitive,
    test_inspect_json,
    test_inspect_plugins,
    test_inspect_unknown,
]


def main():
    only = os.environ.get("FRAISE_TEST_ONLY")
    failed = 0
    print("1..%d" % len(TESTS), flush=True)
    for number, test in enumerate(TESTS, 1):
        name = test.__name__[len("test_"):]
        if only and only not in name:
            print("ok %d - %s # SKIP not selected" % (number, name), flush=True)
            continue
        try:
            test()
            print("ok %d - %s" % (number, name), flush=True)
        except Skip as skip:
            print("ok %d - %s # SKIP %s" % (number, name, skip), flush=True)
        except Exception:
            failed += 1
            print("not ok %d - %s" % (number, name))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
