/* basic-query.vala: connect, run one query, print each row
 *
 * Usage: basic-query [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

int main (string[] args) {
    Intl.setlocale ();
    try {
        var client = new Fraise.Client (args.length > 1 ? args[1] : Environment.get_variable ("FRAISE_TEST_URI"));
        client.connect_sync ();

        var stream = client.query ("v_project").execute_sync ();
        Fraise.Row? row;
        while ((row = stream.next_sync ()) != null) {
            string? name = row.has_path ("name") ? row.get_string ("name") : null;
            print ("%" + uint64.FORMAT + ": %s\n", row.get_index (), name ?? "?");
        }
    } catch (Error e) {
        printerr ("basic-query: %s\n", e.message);
        return 1;
    }
    return 0;
}
