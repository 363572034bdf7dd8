/* test_vala.vala: fraisewire from Vala through the generated fraisewire-1 VAPI
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs against the test server of scripts/pg-harness.sh ($FRAISE_TEST_URI)
 * and prints TAP. Arguments select the tests whose name contains one of them.
 */

/* A typed row: Fraise.Row.dup_object() sets these from the row's fields. */
public class TestUser : Object {
    public string name { get; set; }
    public string email { get; set; }
    public int age { get; set; }
}

errordomain TestError {
    FAILED
}

string uri;

void check (bool condition, string what) throws TestError {
    if (!condition) {
        throw new TestError.FAILED ("assertion failed: %s", what);
    }
}

void check_str (string? actual, string? expected, string what) throws TestError {
    if (actual != expected) {
        throw new TestError.FAILED ("%s: expected \"%s\", got \"%s\"", what,
                                    expected ?? "(null)", actual ?? "(null)");
    }
}

void check_uint (uint64 actual, uint64 expected, string what) throws TestError {
    if (actual != expected) {
        throw new TestError.FAILED ("%s: expected %" + uint64.FORMAT + ", got %" + uint64.FORMAT,
                                    what, expected, actual);
    }
}

async Fraise.Client open_client () throws Error {
    var client = new Fraise.Client (uri);
    yield client.connect_async ();
    return client;
}

async uint count_rows (Fraise.Stream stream) throws Error {
    uint count = 0;
    while ((yield stream.next_async ()) != null) {
        count++;
    }
    return count;
}

async void check_reusable (Fraise.Client client) throws Error {
    var stream = yield client.query ("v_project").execute_async ();
    check_uint (yield count_rows (stream), 5, "rows of v_project after reuse");
}

/* Waits for the stream's finished signal; returns its error (null on success). */
async Error? wait_finished (Fraise.Stream stream) {
    Error? result = null;
    bool done = false;
    SourceFunc resume = wait_finished.callback;
    ulong id = stream.finished.connect ((error) => {
        result = error != null ? error.copy () : null;
        done = true;
        Idle.add ((owned) resume);
    });
    yield;
    stream.disconnect (id);
    assert (done);
    return result;
}

async void sleep_ms (uint ms) {
    Timeout.add (ms, sleep_ms.callback);
    yield;
}

/* ------------------------------------------------------------------ tests */

void test_blocking () throws Error {
    var client = new Fraise.Client (uri);
    client.connect_sync ();
    var stream = client.query ("v_project").execute_sync ();
    uint64 expected = 0;
    Fraise.Row? row;
    while ((row = stream.next_sync ()) != null) {
        check_uint (row.get_index (), expected++, "index");
    }
    check_uint (expected, 5, "rows");
    check (stream.get_state () == Fraise.StreamState.COMPLETED, "state completed");
    check_uint (stream.get_stats ().rows_delivered, 5, "rows_delivered");
}

async void test_next_async () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_user").execute_async ();
    var first = yield stream.next_async ();
    check_str (first.get_string ("name"), "Amélie Durand", "first name");
    check (first.get_text ().has_prefix ("{\"id\": "), "get_text () without a length");
    check_uint (first.get_bytes ().get_size (), first.get_text ().length, "length in bytes");
    check_uint (yield count_rows (stream), 2, "remaining rows");
    yield client.close_async ();
    check (!client.is_connected (), "closed");
}

async void test_next_batch_async () throws Error {
    var client = yield open_client ();
    var query = client.query ("v_bench_1k");
    query.set_chunk_size (100);
    var stream = yield query.execute_async ();
    uint64 expected = 0;
    uint batches = 0;
    for (;;) {
        var batch = yield stream.next_batch_async ();
        if (batch.length == 0) {
            break;
        }
        check (batch.length <= 100, "batch within chunk-size");
        batches++;
        foreach (unowned Fraise.Row row in batch) {
            check_uint (row.get_index (), expected++, "index");
        }
    }
    check_uint (expected, 1000, "rows");
    check (batches >= 10, "at least 10 batches");
}

async void test_signals () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_bench_1k").execute_async ();
    uint64 rows = 0;
    uint row_signals = 0;
    stream.rows.connect ((batch) => { rows += batch.length; });
    stream.row.connect (() => { row_signals++; });
    stream.start ();
    var error = yield wait_finished (stream);
    check (error == null, "finished without error");
    check_uint (rows, 1000, "rows");
    check_uint (row_signals, 1000, "row signals");
}

async void test_pause_resume () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_slow_stream").execute_async ();
    uint64 rows = 0;
    uint64 paused_at = 0;
    stream.rows.connect ((s, batch) => {
        rows += batch.length;
        if (paused_at == 0) {
            paused_at = rows;
            s.pause ("consumer busy");
        }
    });
    stream.start ();
    while (paused_at == 0) {
        yield sleep_ms (10);
    }
    check (stream.state == Fraise.StreamState.PAUSED, "paused");
    yield sleep_ms (400);
    check_uint (rows, paused_at, "no rows while paused");
    stream.resume ();
    var error = yield wait_finished (stream);
    check (error == null, "finished without error");
    check_uint (rows, 20, "rows");
}

async void test_missing_relation () throws Error {
    var client = yield open_client ();
    try {
        yield client.query ("v_usr").execute_async ();
        check (false, "v_usr raised no error");
    } catch (Fraise.Error e) {
        check (e is Fraise.Error.SERVER, "FRAISE_ERROR_SERVER");
        check_str (e.message, "relation \"v_usr\" does not exist (SQLSTATE 42P01)", "message");
        unowned Fraise.ServerMessage? message = Fraise.Error.get_server_message (e);
        check (message != null, "the error carries the server message");
        check_str (message.get_sqlstate (), "42P01", "SQLSTATE");
        check_str (message.get_field ('C'), "42P01", "field C");
        check_str (Fraise.Error.get_category (e), "server", "category");
        check (!Fraise.Error.is_retriable (e), "not retriable");
    }
    yield check_reusable (client);
}

async void test_error_mid_stream () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_error_mid").execute_async ();
    uint rows = 0;
    try {
        while ((yield stream.next_async ()) != null) {
            rows++;
        }
        check (false, "v_error_mid raised no error");
    } catch (Fraise.Error.SERVER e) {
        check (e.message.contains ("10 rows"), "message names the rows");
    }
    check_uint (rows, 10, "rows before the error");
    check_str (stream.get_server_message ().get_sqlstate (), "22012", "SQLSTATE");
    check (stream.get_state () == Fraise.StreamState.FAILED, "state failed");
    yield check_reusable (client);
}

async void test_cancel () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_slow_stream").execute_async ();
    check ((yield stream.next_async ()) != null, "first row");
    stream.cancel ();
    try {
        yield stream.next_async ();
        check (false, "no error after cancel");
    } catch (IOError.CANCELLED e) {
        check_str (Fraise.Error.get_category (e), "cancelled", "category");
    }
    check (stream.get_state () == Fraise.StreamState.CANCELLED, "state cancelled");
    yield check_reusable (client);
}

async void test_cancellable () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_slow_stream").execute_async ();
    var cancellable = new Cancellable ();
    Timeout.add (250, () => { cancellable.cancel (); return Source.REMOVE; });
    try {
        while ((yield stream.next_async (cancellable)) != null) {
        }
        check (false, "no error after the cancellable was cancelled");
    } catch (IOError.CANCELLED e) {
    }
    stream.cancel ();
    var error = yield wait_finished (stream);
    check (error is IOError.CANCELLED, "finished with G_IO_ERROR_CANCELLED");
    yield check_reusable (client);
}

async void test_filter () throws Error {
    var client = yield open_client ();
    var query = client.query ("v_bench_1k");
    uint calls = 0;
    query.set_filter_func ((row) => {
        calls++;
        try {
            return row.get_int ("id") % 4 == 0;
        } catch (Error e) {
            return false;
        }
    });
    var stream = yield query.execute_async ();
    check_uint (yield count_rows (stream), 250, "rows kept");
    check_uint (calls, 1000, "calls");
    check_uint (stream.get_stats ().rows_filtered, 750, "rows_filtered");
}

async void test_typed () throws Error {
    var client = yield open_client ();
    var stream = yield client.query ("v_user").execute_async ();
    var row = yield stream.next_async ();
    var user = row.dup_object (typeof (TestUser)) as TestUser;
    check (user != null, "a TestUser");
    check_str (user.name, "Amélie Durand", "name");
    check_str (user.email, "amelie.durand@example.com", "email");
    check_uint (user.age, 34, "age");
}

/* ----------------------------------------------------------------- runner */

int number = 0;
int failed = 0;

void report (string name, Error? error, int64 started) {
    number++;
    if (error == null) {
        print ("ok %d - %s\n", number, name);
    } else {
        failed++;
        print ("not ok %d - %s\n", number, name);
        print ("# %s\n", error.message);
    }
    print ("# %s: %.3f s\n", name, (get_monotonic_time () - started) / 1e6);
}

bool selected (string name, string[] args) {
    if (args.length <= 1) {
        return true;
    }
    foreach (unowned string arg in args[1:args.length]) {
        if (name.contains (arg)) {
            return true;
        }
    }
    return false;
}

async int main (string[] args) {
    uri = Environment.get_variable ("FRAISE_TEST_URI") ?? "";
    if (uri == "") {
        if (Environment.get_variable ("CI") != null) {
            print ("1..1\nnot ok 1 - FRAISE_TEST_URI is not set: the test server harness did not run\n");
            return 1;
        }
        print ("1..0 # SKIP test server not configured: run through scripts/test.sh to start one\n");
        return 0;
    }

    string[] names = {
        "blocking next_sync loop", "yield next_async", "yield next_batch_async until empty",
        "rows and finished signals", "pause and resume", "catch Fraise.Error on a missing relation",
        "catch Fraise.Error.SERVER in the middle of a stream", "catch IOError.CANCELLED after cancel",
        "GCancellable on next_async", "client-side filter function", "typed rows"
    };
    int planned = 0;
    foreach (unowned string name in names) {
        if (selected (name, args)) {
            planned++;
        }
    }
    print ("1..%d\n", planned);

    for (int i = 0; i < names.length; i++) {
        if (!selected (names[i], args)) {
            continue;
        }
        int64 started = get_monotonic_time ();
        Error? error = null;
        try {
            switch (i) {
            case 0: test_blocking (); break;
            case 1: yield test_next_async (); break;
            case 2: yield test_next_batch_async (); break;
            case 3: yield test_signals (); break;
            case 4: yield test_pause_resume (); break;
            case 5: yield test_missing_relation (); break;
            case 6: yield test_error_mid_stream (); break;
            case 7: yield test_cancel (); break;
            case 8: yield test_cancellable (); break;
            case 9: yield test_filter (); break;
            default: yield test_typed (); break;
            }
        } catch (Error e) {
            error = e;
        }
        report (names[i], error, started);
    }
    return failed > 0 ? 1 : 0;
}
