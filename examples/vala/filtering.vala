/* filtering.vala: safe server-side conditions, raw SQL predicates and a client-side filter
 *
 * Usage: filtering [CONNINFO]   (default: $FRAISE_TEST_URI, then libpq defaults)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Client-side predicate: keep users whose name has an accented letter. */
bool has_non_ascii_name (Fraise.Row row) {
    try {
        string? name = row.get_string ("name");
        for (int i = 0; name != null && i < name.length; i++) {
            if ((uchar) name[i] >= 0x80) {
                return true;
            }
        }
    } catch (Error e) {
        /* no name: not kept */
    }
    return false;
}

void run (Fraise.Query query, string title) throws Error {
    print ("== %s\n   %s\n", title, query.to_sql ());
    var stream = query.execute_sync ();
    Fraise.Row? row;
    while ((row = stream.next_sync ()) != null) {
        string? name = row.has_path ("name") ? row.get_string ("name") : null;
        print ("   %s\n", name ?? "(no name)");
    }
    var stats = stream.get_stats ();
    print ("   %" + uint64.FORMAT + " delivered, %" + uint64.FORMAT + " filtered on the client\n",
           stats.rows_delivered, stats.rows_filtered);
}

int main (string[] args) {
    Intl.setlocale ();
    try {
        var client = new Fraise.Client (args.length > 1 ? args[1] : Environment.get_variable ("FRAISE_TEST_URI"));
        client.connect_sync ();

        /* Values are always rendered as escaped literals: this one is harmless.
         * Conditions have the filter language's semantics: NE keeps projects
         * whose status is present and different, and GE on a number skips a
         * budget that is not a JSON number (never a cast error). */
        var safe = client.query ("v_project");
        safe.add_condition ("status", Fraise.Operator.NE, new Variant.string ("x' OR '1'='1"));
        safe.add_condition ("budget", Fraise.Operator.GE, new Variant.int64 (0));
        run (safe, "safe conditions");

        var raw = client.query ("v_project");
        raw.add_where_sql ("data->>'status' = 'active' OR data->>'status' = 'planning'");
        raw.add_where_sql ("jsonb_typeof(data->'tags') = 'array'");
        run (raw, "raw SQL predicates (each one parenthesised, then ANDed)");

        var client_side = client.query ("v_user");
        client_side.set_filter_func (has_non_ascii_name);
        run (client_side, "client-side filter");
    } catch (Error e) {
        printerr ("filtering: %s\n", e.message);
        return 1;
    }
    return 0;
}
