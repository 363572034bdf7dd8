-- The demo database (loaded into `demo` by scripts/pg-harness.sh): 200 users
-- and 50 projects of varied, realistic JSON, generated deterministically.
--
--   v_user     200 rows  jsonb: name, email, role, settings, address, tags...
--   v_project   50 rows  jsonb: owner, members, budget, metrics, milestones...

SET client_min_messages = warning;

CREATE TABLE tv_user (
  id uuid PRIMARY KEY,
  data jsonb NOT NULL
);

CREATE TABLE tv_project (
  id uuid PRIMARY KEY,
  data jsonb NOT NULL
);

-- Deterministic ids: the md5 of a label, read as a uuid.
CREATE FUNCTION demo_id(kind text, n integer) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$ SELECT md5(kind || ':' || n)::uuid $$;

-- A deterministic pseudo-random integer in [0, 2^28) for (salt, n).
CREATE FUNCTION demo_rand(salt text, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT ('x' || substr(md5(salt || ':' || n), 1, 7))::bit(28)::integer $$;

WITH names AS (
  SELECT
    ARRAY['Amélie', 'Bruno', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Inès', 'José',
          'Kofi', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomasz',
          'Ulla', 'Vikram', 'Wen', 'Yuki', 'Zoë', 'Łukasz', 'Ayşe', 'Björk', 'Ngozi', 'Siobhán'] AS first_names,
    ARRAY['amelie', 'bruno', 'chloe', 'dmitri', 'eva', 'farid', 'greta', 'hiro', 'ines', 'jose',
          'kofi', 'lena', 'mateo', 'nadia', 'oskar', 'priya', 'quentin', 'rosa', 'soren', 'tomasz',
          'ulla', 'vikram', 'wen', 'yuki', 'zoe', 'lukasz', 'ayse', 'bjork', 'ngozi', 'siobhan'] AS first_slugs,
    ARRAY['Martin', 'Müller', 'García', 'Nakamura', 'Okafor', 'Petit', 'Rossi', 'Kowalski',
          'Østergaard', 'Nováková', 'Ó Briain', 'Dubois', 'Silva', 'Andersson', 'Yılmaz',
          'Tanaka', 'Schmidt', 'Moreau', 'Haddad', 'Ivanova', 'Chen', 'Smith', 'Kaur'] AS last_names,
    ARRAY['martin', 'mueller', 'garcia', 'nakamura', 'okafor', 'petit', 'rossi', 'kowalski',
          'ostergaard', 'novakova', 'obriain', 'dubois', 'silva', 'andersson', 'yilmaz',
          'tanaka', 'schmidt', 'moreau', 'haddad', 'ivanova', 'chen', 'smith', 'kaur'] AS last_slugs,
    ARRAY['Paris', 'Berlin', 'Tokyo', 'Lagos', 'São Paulo', 'Kraków', 'Zürich', 'Montréal',
          'Reykjavík', 'Istanbul', 'Mumbai', 'Lima', 'Oslo', 'Cairo', 'Seoul', 'Dublin'] AS cities,
    ARRAY['FR', 'DE', 'JP', 'NG', 'BR', 'PL', 'CH', 'CA', 'IS', 'TR', 'IN', 'PE', 'NO', 'EG', 'KR', 'IE'] AS countries,
    ARRAY['fr-FR', 'de-DE', 'ja-JP', 'en-NG', 'pt-BR', 'pl-PL', 'de-CH', 'fr-CA',
          'is-IS', 'tr-TR', 'hi-IN', 'es-PE', 'nb-NO', 'ar-EG', 'ko-KR', 'en-IE'] AS locales,
    ARRAY['Europe/Paris', 'Europe/Berlin', 'Asia/Tokyo', 'Africa/Lagos', 'America/Sao_Paulo',
          'Europe/Warsaw', 'Europe/Zurich', 'America/Toronto', 'Atlantic/Reykjavik',
          'Europe/Istanbul', 'Asia/Kolkata', 'America/Lima', 'Europe/Oslo', 'Africa/Cairo',
          'Asia/Seoul', 'Europe/Dublin'] AS timezones,
    ARRAY['backend', 'frontend', 'design', 'data', 'ops', 'security', 'mobile', 'research',
          'support', 'sales'] AS skills
)
INSERT INTO tv_user (id, data)
SELECT demo_id('user', i),
       jsonb_strip_nulls(jsonb_build_object(
         'id', demo_id('user', i),
         'name', first_names[1 + i % 30] || ' ' || last_names[1 + demo_rand('last', i) % 23],
         'email', first_slugs[1 + i % 30] || '.' || last_slugs[1 + demo_rand('last', i) % 23] || i
                  || '@' || (ARRAY['example.com', 'example.org', 'example.net'])[1 + demo_rand('mail', i) % 3],
         'role', (ARRAY['viewer', 'viewer', 'editor', 'editor', 'editor', 'admin', 'owner'])[1 + demo_rand('role', i) % 7],
         'active', demo_rand('active', i) % 9 <> 0,
         'age', 19 + demo_rand('age', i) % 48,
         'joined_at', to_char(timestamp '2019-03-01' + make_interval(hours => demo_rand('joined', i) % 45000),
                              'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         'last_login', CASE WHEN demo_rand('active', i) % 9 = 0 THEN NULL
                            ELSE to_char(timestamp '2024-06-01' + make_interval(mins => demo_rand('login', i) % 40000),
                                         'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
         'settings', jsonb_build_object(
           'theme', (ARRAY['light', 'dark', 'system'])[1 + demo_rand('theme', i) % 3],
           'locale', locales[1 + demo_rand('place', i) % 16],
           'timezone', timezones[1 + demo_rand('place', i) % 16],
           'notifications', jsonb_build_object(
             'email', demo_rand('email', i) % 2 = 0,
             'push', demo_rand('push', i) % 5 <> 0,
             'digest', (ARRAY['daily', 'weekly', 'never'])[1 + demo_rand('digest', i) % 3])),
         'address', jsonb_build_object(
           'city', cities[1 + demo_rand('place', i) % 16],
           'country', countries[1 + demo_rand('place', i) % 16],
           'postcode', lpad((demo_rand('postcode', i) % 99999)::text, 5, '0')),
         'skills', (SELECT jsonb_agg(skills[1 + (demo_rand('skill', i) + k * 3) % 10] ORDER BY k)
                    FROM generate_series(0, demo_rand('skills', i) % 4) AS k),
         'karma', CASE WHEN demo_rand('karma', i) % 4 = 0 THEN round((demo_rand('karma', i) % 1000) / 10.0, 1)
                       ELSE demo_rand('karma', i) % 1000 END,
         'manager_id', CASE WHEN i > 10 THEN demo_id('user', 1 + demo_rand('manager', i) % 10) END,
         'bio', CASE demo_rand('bio', i) % 5
                  WHEN 0 THEN 'Loves strawberries 🍓 and long walks.'
                  WHEN 1 THEN 'Building data pipelines since ' || (2005 + demo_rand('since', i) % 15) || '.'
                  WHEN 2 THEN 'Café, code, repeat ☕'
                  WHEN 3 THEN NULL
                  ELSE 'Speaks ' || (1 + demo_rand('lang', i) % 4) || ' languages; currently learning 日本語.'
                END))
FROM names, generate_series(1, 200) AS i;

WITH words AS (
  SELECT
    ARRAY['Crimson', 'Silent', 'Rapid', 'Golden', 'Northern', 'Hidden', 'Bright', 'Wild',
          'Frozen', 'Electric', 'Gentle', 'Lunar', 'Solar'] AS adjectives,
    ARRAY['Strawberry', 'Harbor', 'Falcon', 'Meadow', 'Pipeline', 'Lantern', 'Summit', 'Orchard',
          'Compass', 'Beacon', 'Atlas', 'Garden', 'Relay', 'Prism', 'Forge', 'Delta', 'Quarry'] AS nouns,
    ARRAY['planning', 'active', 'active', 'active', 'on_hold', 'completed', 'archived'] AS statuses,
    ARRAY['internal', 'customer', 'research', 'infrastructure', 'marketing', 'mobile', 'api',
          'data', 'security', 'ux'] AS tags
)
INSERT INTO tv_project (id, data)
SELECT demo_id('project', p),
       jsonb_build_object(
         'id', demo_id('project', p),
         'name', adjectives[1 + demo_rand('adjective', p) % 13] || ' ' || nouns[1 + (p * 3) % 17],
         'key', upper(left(nouns[1 + (p * 3) % 17], 3)) || '-' || p,
         'status', statuses[1 + demo_rand('status', p) % 7],
         'owner_id', demo_id('user', 1 + demo_rand('owner', p) % 200),
         'member_ids', (SELECT jsonb_agg(demo_id('user', 1 + demo_rand('member', p * 100 + m) % 200) ORDER BY m)
                        FROM generate_series(1, 2 + demo_rand('members', p) % 7) AS m),
         'budget', jsonb_build_object(
           'amount', round((5000 + demo_rand('budget', p) % 250000)::numeric + (demo_rand('cents', p) % 100) / 100.0, 2),
           'currency', (ARRAY['EUR', 'USD', 'JPY', 'GBP'])[1 + demo_rand('currency', p) % 4]),
         'started_on', to_char(date '2021-01-04' + (p * 19), 'YYYY-MM-DD'),
         'due_on', CASE WHEN demo_rand('due', p) % 4 = 0 THEN NULL ELSE to_char(date '2021-01-04' + (p * 19) + 60 + demo_rand('due', p) % 400, 'YYYY-MM-DD') END,
         'public', demo_rand('public', p) % 3 = 0,
         'tags', (SELECT coalesce(jsonb_agg(tags[1 + (demo_rand('tag', p) + t * 7) % 10] ORDER BY t), '[]'::jsonb)
                  FROM generate_series(1, demo_rand('tags', p) % 4) AS t),
         'metrics', jsonb_build_object(
           'open_tasks', demo_rand('open', p) % 40,
           'closed_tasks', demo_rand('closed', p) % 120,
           'velocity', round((demo_rand('velocity', p) % 200) / 10.0, 1),
           'health', (ARRAY['green', 'green', 'amber', 'red'])[1 + demo_rand('health', p) % 4]),
         'milestones', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'title', (ARRAY['Kick-off', 'Prototype', 'Beta', 'Launch', 'Retrospective'])[m],
                                  'done', m <= demo_rand('progress', p) % 5,
                                  'week', m * (2 + demo_rand('pace', p) % 3))
                                ORDER BY m), '[]'::jsonb)
                        FROM generate_series(1, 1 + demo_rand('milestones', p) % 5) AS m),
         'repository', CASE WHEN demo_rand('repo', p) % 5 = 2 THEN NULL
                            ELSE 'https://git.example.com/' || lower(nouns[1 + (p * 3) % 17]) || '-' || p END,
         'description', CASE demo_rand('description', p) % 4
                          WHEN 0 THEN 'Keeps the ' || lower(nouns[1 + (p * 3) % 17]) || ' running smoothly.'
                          WHEN 1 THEN 'Prototype for the « ' || adjectives[1 + demo_rand('adjective', p) % 13] || ' » initiative — phase ' || (1 + p % 3) || '.'
                          WHEN 2 THEN 'Migration from the legacy system; see the runbook.'
                          ELSE 'Équipe mixte: Paris, Tokyo (東京) and São Paulo.'
                        END)
FROM words, generate_series(1, 50) AS p;

CREATE VIEW v_user AS SELECT data FROM tv_user ORDER BY data->>'name', id;
CREATE VIEW v_project AS SELECT data FROM tv_project ORDER BY data->>'name', id;
