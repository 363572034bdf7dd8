-- Fixtures of the live test suite, loaded into the database fraise_test by
-- scripts/pg-harness.sh (as the database owner, fraise_trust).
--
-- Shape: JSON entity relations as an application exposes them. Each tv_<name>
-- table holds (id, data); each v_<name> view has exactly one column, data.
-- The small entity views order their rows by id, so tests can expect a fixed
-- order; the bench views do not sort (rows come in insertion order, by id).
--
--   v_project   5 rows   jsonb
--   v_user      3 rows   jsonb   nested objects, non-ASCII text, nulls
--   v_task      2 rows   jsonb   integer ids
--   v_document  1 row    json    big integer, long decimal, escapes
--   v_mixed     7 rows   jsonb   one key, values of several JSON types (conditions)
--   v_mixed_json 7 rows  json    the same rows as json
--   v_bench_1k     1,000 rows  jsonb, ~450 bytes of JSON text each
--   v_bench_100k 100,000 rows  jsonb, ~450 bytes of JSON text each
--
-- Relations for error and edge cases:
--   v_two_columns    two columns (data, extra)
--   v_text_column    one column named data of type text
--   v_null_data      three rows, the middle one SQL NULL
--   v_empty          no rows
--   v_slow           100 small rows, one every 50 ms (about 5 s in all); the
--                    server holds small rows in its 8 KB send buffer, so the
--                    client sees nothing until the end (cancel and timeout tests)
--   v_slow_stream    20 rows of ~9 KB, one every 100 ms; each row is large
--                    enough to push the server's 8 KB send buffer out, so the
--                    client sees rows arrive while the query runs
--   v_slow_long      3000 rows of ~9 KB, one every 20 ms (about a minute):
--                    rows arrive while it runs, for interrupting a run
--                    midway (fraise-launch's signal tests)
--   v_error_mid      10 rows, then ERROR division_by_zero (SQLSTATE 22012)
--   v_notice         5 rows, each preceded by NOTICE 'fraise notice <i>'
--   v_sleep          61 rows of ~9 KB: the first at once, then one every
--                    0.5 s (about 30 s): a long query that shows it runs
--   v_session        1 row: the backend's pid and session settings, as the
--                    query sees them (the PgBouncer tests)
--   v_load_tagged    stream s of n rows {"s": s, "i": 1..n} (WHERE s = .. AND n = ..)

SET client_min_messages = warning;

-- ---------------------------------------------------------------- entities

CREATE TABLE tv_project (
  id uuid PRIMARY KEY,
  data jsonb NOT NULL
);

INSERT INTO tv_project (id, data) VALUES
('00000000-0000-4000-8000-000000000101', $json${
  "id": "00000000-0000-4000-8000-000000000101",
  "name": "Strawberry Fields",
  "status": "active",
  "budget": 125000.50,
  "public": true,
  "tags": ["farm", "berries", "2024"],
  "owner": {"id": "00000000-0000-4000-8000-000000000201", "name": "Amélie Durand"},
  "milestones": [
    {"title": "Planting", "done": true, "week": 12},
    {"title": "Harvest", "done": false, "week": 24}
  ],
  "archived_at": null
}$json$),
('00000000-0000-4000-8000-000000000102', $json${
  "id": "00000000-0000-4000-8000-000000000102",
  "name": "Jürgen's Greenhouse",
  "status": "planning",
  "budget": 0,
  "public": false,
  "tags": [],
  "owner": {"id": "00000000-0000-4000-8000-000000000202", "name": "Jürgen Müller"},
  "milestones": [],
  "archived_at": null
}$json$),
('00000000-0000-4000-8000-000000000103', $json${
  "id": "00000000-0000-4000-8000-000000000103",
  "name": "東京 Market Stall",
  "status": "active",
  "budget": 98765.4321,
  "public": true,
  "tags": ["市場", "retail", "🍓"],
  "owner": {"id": "00000000-0000-4000-8000-000000000203", "name": "佐藤 花子"},
  "milestones": [{"title": "Opening", "done": true, "week": 1}],
  "archived_at": null
}$json$),
('00000000-0000-4000-8000-000000000104', $json${
  "id": "00000000-0000-4000-8000-000000000104",
  "name": "Jam Recipes",
  "status": "archived",
  "budget": -250.75,
  "public": false,
  "tags": ["kitchen"],
  "owner": {"id": "00000000-0000-4000-8000-000000000201", "name": "Amélie Durand"},
  "milestones": [{"title": "Tasting", "done": true, "week": 3}],
  "archived_at": "2023-11-30T18:00:00Z"
}$json$),
('00000000-0000-4000-8000-000000000105', $json${
  "id": "00000000-0000-4000-8000-000000000105",
  "name": "Export \"Fraises\" \\ Logistics\ttabbed\nnewline",
  "status": "active",
  "budget": 1e6,
  "public": true,
  "tags": ["export", "logistics", null],
  "owner": null,
  "milestones": [{"title": "Customs", "done": false, "week": null}],
  "archived_at": null
}$json$);

CREATE TABLE tv_user (
  id uuid PRIMARY KEY,
  data jsonb NOT NULL
);

INSERT INTO tv_user (id, data) VALUES
('00000000-0000-4000-8000-000000000201', $json${
  "id": "00000000-0000-4000-8000-000000000201",
  "name": "Amélie Durand",
  "email": "amelie.durand@example.com",
  "age": 34,
  "active": true,
  "score": 98.6,
  "roles": ["admin", "editor"],
  "address": {"street": "12 rue des Fraises", "city": "Plougastel", "zip": "29470", "country": "FR"},
  "manager": null,
  "bio": "Café owner and berry grower 🍓"
}$json$),
('00000000-0000-4000-8000-000000000202', $json${
  "id": "00000000-0000-4000-8000-000000000202",
  "name": "Jürgen Müller",
  "email": "juergen.mueller@example.com",
  "age": 51,
  "active": false,
  "score": 0,
  "roles": ["viewer"],
  "address": {"street": "Erdbeerweg 7", "city": "Düsseldorf", "zip": "40210", "country": "DE"},
  "manager": "00000000-0000-4000-8000-000000000201",
  "bio": null
}$json$),
('00000000-0000-4000-8000-000000000203', $json${
  "id": "00000000-0000-4000-8000-000000000203",
  "name": "佐藤 花子",
  "email": "hanako.sato@example.jp",
  "age": 28,
  "active": true,
  "score": -1.5,
  "roles": [],
  "address": {"street": "1-2-3 Ichigo", "city": "東京", "zip": "100-0001", "country": "JP"},
  "manager": "00000000-0000-4000-8000-000000000201",
  "bio": "日本語のテキスト and emoji 🎌🍡"
}$json$);

CREATE TABLE tv_task (
  id integer PRIMARY KEY,
  data jsonb NOT NULL
);

INSERT INTO tv_task (id, data) VALUES
(1, $json${
  "id": 1,
  "title": "Order seedlings",
  "done": false,
  "priority": 2,
  "project": "00000000-0000-4000-8000-000000000101",
  "assignees": ["00000000-0000-4000-8000-000000000201"],
  "estimate_hours": 1.25,
  "due": "2024-03-01"
}$json$),
(2, $json${
  "id": 2,
  "title": "Étiqueter les pots",
  "done": true,
  "priority": null,
  "project": "00000000-0000-4000-8000-000000000104",
  "assignees": [],
  "estimate_hours": 0.5,
  "due": null
}$json$);

CREATE TABLE tv_document (
  id uuid PRIMARY KEY,
  data jsonb NOT NULL
);

INSERT INTO tv_document (id, data) VALUES
('00000000-0000-4000-8000-000000000401', $json${
  "id": "00000000-0000-4000-8000-000000000401",
  "title": "Numbers and text",
  "big_integer": 12345678901234567890123,
  "long_decimal": 3.14159265358979323846264338327950288419716939937510,
  "negative": -42,
  "tiny": 1.5e-10,
  "zero": 0,
  "flags": [true, false, null],
  "nested": {"level1": {"level2": {"level3": ["deep", {"k": "v"}]}}},
  "text": {
    "fr": "Les fraises sont délicieuses à Noël",
    "de": "Größe über alles",
    "ja": "日本語",
    "emoji": "🍓🎉👩‍💻",
    "escapes": "quote \" backslash \\ slash / tab \t newline \n",
    "control": "\u0001\u001f",
    "empty": ""
  },
  "empty_object": {},
  "empty_array": []
}$json$);

CREATE VIEW v_project AS SELECT data FROM tv_project ORDER BY id;
CREATE VIEW v_user AS SELECT data FROM tv_user ORDER BY id;
CREATE VIEW v_task AS SELECT data FROM tv_task ORDER BY id;
CREATE VIEW v_document AS SELECT data::json AS data FROM tv_document ORDER BY id;

-- The same keys with values of different JSON types, missing or null: what a
-- condition must never coerce ("5" is not 5, "yes" is not true) nor fail on
-- ("abc" is no number).
CREATE TABLE tv_mixed (
  id integer PRIMARY KEY,
  data jsonb NOT NULL
);

INSERT INTO tv_mixed (id, data) VALUES
(501, '{"id": "m-501", "age": 30, "code": 5, "flag": true, "note": null}'),
(502, '{"id": "m-502", "age": "abc", "code": "5", "flag": "yes", "note": "x"}'),
(503, '{"id": "m-503", "age": 12, "code": 5.0, "flag": false}'),
(504, '{"id": "m-504", "age": "19", "code": "05", "flag": "on", "note": null}'),
(505, '{"id": "m-505", "age": null, "code": 50, "flag": 1, "note": 0}'),
(506, '{"id": "m-506", "age": [19], "code": [5], "flag": "true", "note": {}}'),
(507, '{"id": "m-507", "age": 18.0000000000000000001, "flag": "t"}');

CREATE VIEW v_mixed AS SELECT data FROM tv_mixed ORDER BY id;
CREATE VIEW v_mixed_json AS SELECT data::json AS data FROM tv_mixed ORDER BY id;

-- ---------------------------------------------------------------- benchmarks

-- Deterministic, realistic entities of ~450 bytes of JSON text each.
CREATE FUNCTION fraise_bench_entity(i integer) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'id', i,
    'uuid', ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0')),
    'name', (ARRAY['Alice', 'Bruno', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro'])[1 + i % 8]
            || ' ' || (ARRAY['Martin', 'Nakamura', 'Okafor', 'Petit', 'Quinn', 'Rossi', 'Schmidt'])[1 + i % 7],
    'email', 'user' || i || '@example.com',
    'status', (ARRAY['active', 'inactive', 'pending', 'banned'])[1 + i % 4],
    'age', 18 + i % 60,
    'score', round((i % 1000) / 7.0, 3),
    'verified', i % 3 = 0,
    'tags', to_jsonb(ARRAY['tag' || (i % 10), 'group' || (i % 25), 'tier' || (i % 3)]),
    'address', jsonb_build_object(
      'street', (i % 200) || ' Strawberry Lane',
      'city', (ARRAY['Paris', 'Berlin', 'Tokyo', 'Lima', 'Oslo', 'Cairo'])[1 + i % 6],
      'zip', lpad((i % 99999)::text, 5, '0'),
      'country', (ARRAY['FR', 'DE', 'JP', 'PE', 'NO', 'EG'])[1 + i % 6]),
    'created_at', to_char(timestamp '2020-01-01' + make_interval(secs => i * 617),
                          'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'bio', 'Row ' || i || ' of the benchmark relation. '
           || 'Strawberries are grown for their sweet red fruit.');
$$;

CREATE TABLE tv_bench_1k AS
  SELECT i AS id, fraise_bench_entity(i) AS data FROM generate_series(1, 1000) AS i;
ALTER TABLE tv_bench_1k ADD PRIMARY KEY (id), ALTER COLUMN data SET NOT NULL;

CREATE TABLE tv_bench_100k AS
  SELECT i AS id, fraise_bench_entity(i) AS data FROM generate_series(1, 100000) AS i;
ALTER TABLE tv_bench_100k ADD PRIMARY KEY (id), ALTER COLUMN data SET NOT NULL;

CREATE VIEW v_bench_1k AS SELECT data FROM tv_bench_1k;
CREATE VIEW v_bench_100k AS SELECT data FROM tv_bench_100k;

-- ---------------------------------------------------------------- edge and error cases

CREATE VIEW v_two_columns AS SELECT data, 1 AS extra FROM tv_user ORDER BY id;

CREATE VIEW v_text_column AS SELECT data::text AS data FROM tv_user ORDER BY id;

CREATE VIEW v_null_data AS
  SELECT t.data FROM (VALUES (1, '{"n": 1}'::jsonb), (2, NULL), (3, '{"n": 3}'::jsonb)) AS t (n, data)
  ORDER BY t.n;

CREATE VIEW v_empty AS SELECT data FROM tv_user WHERE false;

-- Sleeps, then returns the row: called once per row, so rows are produced slowly.
CREATE FUNCTION fraise_slow_row(i integer, seconds double precision, pad integer) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_sleep(seconds);
  IF pad > 0 THEN
    RETURN jsonb_build_object('i', i, 'pad', repeat('s', pad));
  END IF;
  RETURN jsonb_build_object('i', i);
END;
$$;

CREATE VIEW v_slow AS
  SELECT fraise_slow_row(i, 0.05, 0) AS data FROM generate_series(1, 100) AS i;

CREATE VIEW v_slow_stream AS
  SELECT fraise_slow_row(i, 0.1, 9000) AS data FROM generate_series(1, 20) AS i;

CREATE VIEW v_slow_long AS
  SELECT fraise_slow_row(i, 0.02, 9000) AS data FROM generate_series(1, 3000) AS i;

-- Rows 1..10 are sent, row 11 raises division_by_zero (the divisor is not a
-- constant, so the planner cannot fold it).
CREATE VIEW v_error_mid AS
  SELECT CASE WHEN i <= 10 THEN jsonb_build_object('i', i)
              ELSE to_jsonb(1 / (i - i)) END AS data
  FROM generate_series(1, 20) AS i;

-- A scalar function called once per row, so each NOTICE reaches the client
-- just before the row it belongs to.
CREATE FUNCTION fraise_notice_row(i integer) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE NOTICE 'fraise notice %', i;
  RETURN jsonb_build_object('i', i);
END;
$$;

CREATE VIEW v_notice AS
  SELECT fraise_notice_row(i) AS data FROM generate_series(1, 5) AS i;

CREATE VIEW v_sleep AS
  SELECT fraise_slow_row(i, CASE WHEN i = 1 THEN 0 ELSE 0.5 END, 9000) AS data
  FROM generate_series(1, 61) AS i;

CREATE VIEW v_session AS
  SELECT json_build_object(
    'pid', pg_backend_pid(),
    'statement_timeout', current_setting('statement_timeout'),
    'lock_timeout', current_setting('lock_timeout'),
    'work_mem', current_setting('work_mem'),
    'marker', current_setting('fraise.marker', true)) AS data;

-- ---------------------------------------------------------------- pipelines

-- A million small rows made on the fly (nothing stored): for backpressure,
-- STOP and cancellation on a long query.
CREATE VIEW v_gen_1m AS
  SELECT jsonb_build_object('i', i, 'pad', 'strawberry') AS data
  FROM generate_series(1, 1000000) AS i;

-- ---------------------------------------------------------------- load

-- Rows tagged with the stream that asked for them, made on the fly: stream s
-- of n rows is `WHERE (s = <s>) AND (n = <n>)`, rows {"s": s, "i": 1..n} in
-- order of i (the load tests, bench/load.sh and bench/soak.sh). Both
-- predicates are pushed below the row generator, so a query makes only its
-- own n rows; n is one of the sizes listed.
CREATE VIEW v_load_tagged AS
  SELECT t.s, t.n, json_build_object('s', t.s, 'i', t.i) AS data
  FROM (SELECT s, n, generate_series(1, n) AS i
        FROM generate_series(1, 1000) AS s,
             (VALUES (1), (10), (100), (1000), (10000), (100000), (1000000)) AS sizes (n)) AS t;
