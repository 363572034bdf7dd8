-- Relations of the end-to-end benchmark (bench/run.sh), loaded into the test
-- database fraise_test of scripts/pg-harness.sh by the superuser, after the
-- fixtures (data/fixtures.sql provides fraise_bench_entity() and v_bench_1k).
--
--   v_bench_1m     1,000,000 rows  jsonb, ~450 bytes of JSON text each
--   v_bench_large      1,000 rows  jsonb, ~100 KB of JSON text each
--
-- Like the fixture bench views, these views do not sort: rows come in
-- insertion order. Re-running this file rebuilds both relations.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP VIEW IF EXISTS v_bench_1m;
DROP VIEW IF EXISTS v_bench_large;
DROP TABLE IF EXISTS tv_bench_1m;
DROP TABLE IF EXISTS tv_bench_large;

-- 1M entities of the same shape as v_bench_1k / v_bench_100k.
CREATE TABLE tv_bench_1m AS
  SELECT i AS id, fraise_bench_entity(i) AS data
  FROM generate_series(1, 1000000) AS i;
ALTER TABLE tv_bench_1m ADD PRIMARY KEY (id), ALTER COLUMN data SET NOT NULL;

-- 1,000 documents of ~100 KB: a header and an array of 800 line items. Stored
-- TOASTed (compressed), as large documents are in practice.
CREATE TABLE tv_bench_large AS
  SELECT i AS id,
         jsonb_build_object(
           'id', i,
           'name', 'Order ' || i,
           'status', (ARRAY['open', 'paid', 'shipped', 'closed'])[1 + i % 4],
           'customer', jsonb_build_object(
             'id', 1000 + i % 97,
             'name', (ARRAY['Alice', 'Bruno', 'Chloé', 'Dmitri'])[1 + i % 4] || ' ' || (i % 97),
             'email', 'customer' || (i % 97) || '@example.com'),
           'created_at', to_char(timestamp '2020-01-01' + make_interval(secs => i * 7919),
                                 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'items', (SELECT jsonb_agg(jsonb_build_object(
                               'line', j,
                               'sku', 'SKU-' || lpad(((i * 7 + j * 13) % 1000000)::text, 7, '0'),
                               'label', 'Strawberry crate ' || j || ' of order ' || i,
                               'price', round((((i * j) % 10000) / 100.0)::numeric, 2),
                               'qty', 1 + (i + j) % 17,
                               'tags', jsonb_build_array('t' || (j % 7), 'g' || (i % 5)))
                             ORDER BY j)
                     FROM generate_series(1, 800) AS j)) AS data
  FROM generate_series(1, 1000) AS i;
ALTER TABLE tv_bench_large ADD PRIMARY KEY (id), ALTER COLUMN data SET NOT NULL;

CREATE VIEW v_bench_1m AS SELECT data FROM tv_bench_1m;
CREATE VIEW v_bench_large AS SELECT data FROM tv_bench_large;

GRANT SELECT ON tv_bench_1m, tv_bench_large, v_bench_1m, v_bench_large
  TO fraise_trust, fraise_scram;

-- Set hint bits and the visibility map now, so that no timed run pays for it.
VACUUM (FREEZE, ANALYZE) tv_bench_1m;
VACUUM (FREEZE, ANALYZE) tv_bench_large;
