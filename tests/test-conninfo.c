/* test-conninfo.c: libpq-compatible connection strings, environment,
 * service file and password file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "fraise-test-utils.h"
#include "fraise-auth.h"
#include "fraise-conninfo.h"

/* Each test gets a private directory used as HOME and PGSYSCONFDIR, and a
 * synthetic environment, so the real one never leaks in. */
typedef struct {
  char *dir;
  char **env;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("fraise-conninfo-XXXXXX", &error);
  g_assert_no_error (error);
  f->env = g_environ_setenv (NULL, "HOME", f->dir, TRUE);
  f->env = g_environ_setenv (f->env, "PGSYSCONFDIR", f->dir, TRUE);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  GDir *dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
  g_strfreev (f->env);
}

static void
fixture_setenv (Fixture *f, const char *name, const char *value)
{
  f->env = g_environ_setenv (f->env, name, value, TRUE);
}

static FraiseConninfo *
parse_ok (Fixture *f, const char *conninfo)
{
  g_autoptr(GError) error = NULL;
  FraiseConninfo *info = fraise_conninfo_parse (conninfo, (const char *const *) f->env, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpuint (info->hosts->len, >=, 1);
  return info;
}

/* Returns the CONFIG error message for @conninfo. */
static char *
parse_error (Fixture *f, const char *conninfo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseConninfo) info =
               fraise_conninfo_parse (conninfo, (const char *const *) f->env, &error);

  g_assert_null (info);
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_CONFIG);
  return g_strdup (error->message);
}

static void
assert_error_contains (Fixture *f, const char *conninfo, const char *expected)
{
  g_autofree char *message = parse_error (f, conninfo);

  if (strstr (message, expected) == NULL)
    g_error ("parsing [%s]: expected an error containing [%s], got [%s]", conninfo, expected,
             message);
}

static const FraiseConninfoHost *
host_at (const FraiseConninfo *info, guint i)
{
  g_assert_cmpuint (i, <, info->hosts->len);
  return g_ptr_array_index (info->hosts, i);
}

static void
assert_host (const FraiseConninfo *info,
             guint i,
             const char *name,
             const char *addr,
             guint port,
             gboolean is_unix)
{
  const FraiseConninfoHost *host = host_at (info, i);

  g_assert_cmpstr (host->host, ==, name);
  g_assert_cmpstr (host->hostaddr, ==, addr);
  g_assert_cmpuint (host->port, ==, port);
  g_assert_cmpint (host->is_unix, ==, is_unix);
}

/* Independent of the implementation: the first existing candidate. */
static const char *
expected_default_dir (void)
{
  static const char *const dirs[] = { "/run/postgresql", "/var/run/postgresql", "/tmp" };

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (g_file_test (dirs[i], G_FILE_TEST_IS_DIR))
      return dirs[i];
  return "/tmp";
}

static char *
write_file (Fixture *f, const char *name, const char *contents, int mode)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

/* ------------------------------------------------------------------ */
/* URI form                                                             */
/* ------------------------------------------------------------------ */

static void
assert_all_defaults (const FraiseConninfo *info, const char *home)
{
  g_autofree char *passfile = g_build_filename (home, ".pgpass", NULL);

  g_assert_cmpuint (info->hosts->len, ==, 1);
  assert_host (info, 0, expected_default_dir (), NULL, 5432, TRUE);
  g_assert_cmpstr (info->default_socket_dir, ==, expected_default_dir ());
  g_assert_cmpstr (info->user, ==, g_get_user_name ());
  g_assert_cmpstr (info->dbname, ==, g_get_user_name ());
  g_assert_null (info->password);
  g_assert_cmpstr (info->passfile, ==, passfile);
  g_assert_null (info->application_name);
  g_assert_null (info->options);
  g_assert_cmpuint (info->connect_timeout_s, ==, 10);
  g_assert_cmpint (info->sslmode, ==, FRAISE_SSL_PREFER);
  g_assert_null (info->sslrootcert);
  g_assert_null (info->sslcert);
  g_assert_null (info->sslkey);
  g_assert_null (info->sslpassword);
  g_assert_null (info->sslcrl);
  g_assert_false (info->sslnegotiation_direct);
  g_assert_cmpstr (info->ssl_min_protocol_version, ==, "TLSv1.2");
  g_assert_cmpint (info->channel_binding, ==, FRAISE_CHANNEL_BINDING_PREFER);
  g_assert_cmpuint (info->require_auth, ==, FRAISE_AUTH_ALL);
  g_assert_cmpint (info->target_session_attrs, ==, FRAISE_TARGET_ANY);
  g_assert_false (info->load_balance_random);
  g_assert_true (info->keepalives);
  g_assert_cmpuint (info->keepalives_idle_s, ==, 30);
  g_assert_cmpuint (info->keepalives_interval_s, ==, 10);
  g_assert_cmpuint (info->keepalives_count, ==, 3);
  g_assert_cmpuint (info->tcp_user_timeout_ms, ==, 0);
}

static void
test_defaults (Fixture *f, gconstpointer data)
{
  static const char *const strings[] = { "", "   \t ", "postgresql://", "postgres://" };
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseConninfo) from_null =
               fraise_conninfo_parse (NULL, (const char *const *) f->env, &error);

  g_assert_no_error (error);
  assert_all_defaults (from_null, f->dir);
  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autoptr(FraiseConninfo) info = parse_ok (f, strings[i]);

      assert_all_defaults (info, f->dir);
    }
}

static void
test_uri_doc_examples (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) a = parse_ok (f, "postgresql://localhost");
  g_autoptr(FraiseConninfo) b = parse_ok (f, "postgresql://localhost:5433");
  g_autoptr(FraiseConninfo) c = parse_ok (f, "postgresql://localhost/mydb");
  g_autoptr(FraiseConninfo) d = parse_ok (f, "postgresql://user@localhost");
  g_autoptr(FraiseConninfo) e = parse_ok (f, "postgresql://user:secret@localhost");
  g_autoptr(FraiseConninfo) g = parse_ok (
    f, "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp");
  g_autoptr(FraiseConninfo) h = parse_ok (
    f, "postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp");
  g_autoptr(FraiseConninfo) i = parse_ok (f, "postgresql:///mydb?host=localhost&port=5433");
  g_autoptr(FraiseConninfo) j = parse_ok (f, "postgresql://[2001:db8::1234]/database");
  g_autoptr(FraiseConninfo) k = parse_ok (f, "postgresql:///dbname?host=/var/lib/postgresql");
  g_autoptr(FraiseConninfo) l = parse_ok (f, "postgresql://%2Fvar%2Flib%2Fpostgresql/dbname");
  g_autoptr(FraiseConninfo) m = parse_ok (
    f, "postgresql://user@localhost:5433/mydb?options=-c%20synchronous_commit%3Doff");

  assert_host (a, 0, "localhost", NULL, 5432, FALSE);
  g_assert_cmpstr (a->dbname, ==, g_get_user_name ());
  assert_host (b, 0, "localhost", NULL, 5433, FALSE);
  assert_host (c, 0, "localhost", NULL, 5432, FALSE);
  g_assert_cmpstr (c->dbname, ==, "mydb");
  g_assert_cmpstr (d->user, ==, "user");
  g_assert_cmpstr (d->dbname, ==, "user");
  g_assert_null (d->password);
  g_assert_cmpstr (e->user, ==, "user");
  g_assert_cmpstr (e->password, ==, "secret");
  g_assert_cmpstr (g->user, ==, "other");
  g_assert_cmpstr (g->dbname, ==, "otherdb");
  g_assert_cmpuint (g->connect_timeout_s, ==, 10);
  g_assert_cmpstr (g->application_name, ==, "myapp");
  g_assert_cmpuint (h->hosts->len, ==, 2);
  assert_host (h, 0, "host1", NULL, 123, FALSE);
  assert_host (h, 1, "host2", NULL, 456, FALSE);
  g_assert_cmpstr (h->dbname, ==, "somedb");
  g_assert_cmpint (h->target_session_attrs, ==, FRAISE_TARGET_ANY);
  g_assert_cmpstr (h->application_name, ==, "myapp");
  assert_host (i, 0, "localhost", NULL, 5433, FALSE);
  g_assert_cmpstr (i->dbname, ==, "mydb");
  assert_host (j, 0, "2001:db8::1234", NULL, 5432, FALSE);
  g_assert_cmpstr (j->dbname, ==, "database");
  assert_host (k, 0, "/var/lib/postgresql", NULL, 5432, TRUE);
  g_assert_cmpstr (k->dbname, ==, "dbname");
  assert_host (l, 0, "/var/lib/postgresql", NULL, 5432, TRUE);
  g_assert_cmpstr (l->dbname, ==, "dbname");
  assert_host (m, 0, "localhost", NULL, 5433, FALSE);
  g_assert_cmpstr (m->options, ==, "-c synchronous_commit=off");
}

static void
test_uri_details (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) a = parse_ok (f, "postgres://u@h");
  g_autoptr(FraiseConninfo) b = parse_ok (f, "postgresql://[::1]:5433,[fe80::1]/db");
  g_autoptr(FraiseConninfo) c = parse_ok (f, "postgresql://host1,host2:456/db");
  g_autoptr(FraiseConninfo) d = parse_ok (f, "postgresql://us%40er:p%40ss%3Aw%2Fx@h/d%20b");
  g_autoptr(FraiseConninfo) e = parse_ok (f, "postgresql://u:pa:ss@h");
  g_autoptr(FraiseConninfo) g = parse_ok (f, "postgresql://h/db?host=other&dbname=x&user=y");
  g_autoptr(FraiseConninfo) h = parse_ok (f, "postgresql://:5433");
  g_autoptr(FraiseConninfo) i = parse_ok (f, "postgresql://h/db?application_name=a+b&");
  g_autoptr(FraiseConninfo) j = parse_ok (f, "postgresql://@h/");
  g_autoptr(FraiseConninfo) k = parse_ok (f, "postgresql://h/db?ssl=true");
  g_autoptr(FraiseConninfo) l = parse_ok (f, "postgresql://h/db?ssl=true&sslmode=verify-ca");
  g_autoptr(FraiseConninfo) m = parse_ok (f, "postgresql://h%2Cother/db");
  g_autoptr(FraiseConninfo) n = parse_ok (f, "postgresql://u:p@[::1]?connect_timeout=3");

  g_assert_cmpstr (a->user, ==, "u");
  assert_host (a, 0, "h", NULL, 5432, FALSE);
  assert_host (b, 0, "::1", NULL, 5433, FALSE);
  assert_host (b, 1, "fe80::1", NULL, 5432, FALSE);
  assert_host (c, 0, "host1", NULL, 5432, FALSE);
  assert_host (c, 1, "host2", NULL, 456, FALSE);
  g_assert_cmpstr (d->user, ==, "us@er");
  g_assert_cmpstr (d->password, ==, "p@ss:w/x");
  g_assert_cmpstr (d->dbname, ==, "d b");
  g_assert_cmpstr (e->user, ==, "u");
  g_assert_cmpstr (e->password, ==, "pa:ss");
  assert_host (g, 0, "other", NULL, 5432, FALSE);
  g_assert_cmpstr (g->dbname, ==, "x");
  g_assert_cmpstr (g->user, ==, "y");
  assert_host (h, 0, expected_default_dir (), NULL, 5433, TRUE);
  g_assert_cmpstr (i->application_name, ==, "a+b");
  g_assert_cmpstr (j->user, ==, g_get_user_name ());
  g_assert_cmpstr (j->dbname, ==, g_get_user_name ());
  g_assert_cmpint (k->sslmode, ==, FRAISE_SSL_REQUIRE);
  g_assert_cmpint (l->sslmode, ==, FRAISE_SSL_VERIFY_CA);
  g_assert_cmpuint (m->hosts->len, ==, 2);
  assert_host (m, 1, "other", NULL, 5432, FALSE);
  assert_host (n, 0, "::1", NULL, 5432, FALSE);
  g_assert_cmpstr (n->password, ==, "p");
  g_assert_cmpuint (n->connect_timeout_s, ==, 3);
}

/* ------------------------------------------------------------------ */
/* key=value form                                                       */
/* ------------------------------------------------------------------ */

static void
test_keyword_form (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) a =
               parse_ok (f, "host=localhost port=5432 dbname=mydb connect_timeout=10");
  g_autoptr(FraiseConninfo) b = parse_ok (f, "  host = localhost   port=  5433\tdbname =mydb  ");
  g_autoptr(FraiseConninfo) c =
               parse_ok (f, "password='a b\\'c\\\\d' application_name = 'my app'");
  g_autoptr(FraiseConninfo) d = parse_ok (f, "dbname=my\\ db user=o\\'neil options='-c geqo=off'");
  g_autoptr(FraiseConninfo) e = parse_ok (f, "options='' dbname=a dbname=b");
  g_autoptr(FraiseConninfo) g = parse_ok (f, "dbname='a'user=b host='/var/run/x'");
  g_autoptr(FraiseConninfo) h = parse_ok (f, "application_name='' fallback_application_name=fb");
  g_autoptr(FraiseConninfo) i = parse_ok (f, "fallback_application_name=fb application_name=app");
  g_autoptr(FraiseConninfo) j = parse_ok (f, "user='' dbname=''");

  assert_host (a, 0, "localhost", NULL, 5432, FALSE);
  g_assert_cmpstr (a->dbname, ==, "mydb");
  g_assert_cmpuint (a->connect_timeout_s, ==, 10);
  assert_host (b, 0, "localhost", NULL, 5433, FALSE);
  g_assert_cmpstr (b->dbname, ==, "mydb");
  g_assert_cmpstr (c->password, ==, "a b'c\\d");
  g_assert_cmpstr (c->application_name, ==, "my app");
  g_assert_cmpstr (d->dbname, ==, "my db");
  g_assert_cmpstr (d->user, ==, "o'neil");
  g_assert_cmpstr (d->options, ==, "-c geqo=off");
  g_assert_null (e->options);
  g_assert_cmpstr (e->dbname, ==, "b");
  g_assert_cmpstr (g->dbname, ==, "a");
  g_assert_cmpstr (g->user, ==, "b");
  assert_host (g, 0, "/var/run/x", NULL, 5432, TRUE);
  g_assert_cmpstr (h->application_name, ==, "fb");
  g_assert_cmpstr (i->application_name, ==, "app");
  g_assert_cmpstr (j->user, ==, g_get_user_name ());
  g_assert_cmpstr (j->dbname, ==, g_get_user_name ());
}

static void
test_hostaddr (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) a = parse_ok (f, "hostaddr=127.0.0.1");
  g_autoptr(FraiseConninfo) b = parse_ok (f, "host=db.example.com hostaddr=192.0.2.1 port=6000");
  g_autoptr(FraiseConninfo) c = parse_ok (f, "host=/tmp hostaddr=::1");
  g_autoptr(FraiseConninfo) d = parse_ok (f, "hostaddr=10.0.0.1,10.0.0.2");
  g_autoptr(FraiseConninfo) e = parse_ok (f, "host=a,b hostaddr=10.0.0.1,");

  assert_host (a, 0, "127.0.0.1", "127.0.0.1", 5432, FALSE);
  assert_host (b, 0, "db.example.com", "192.0.2.1", 6000, FALSE);
  assert_host (c, 0, "/tmp", "::1", 5432, FALSE);
  g_assert_cmpuint (d->hosts->len, ==, 2);
  assert_host (d, 0, "10.0.0.1", "10.0.0.1", 5432, FALSE);
  assert_host (d, 1, "10.0.0.2", "10.0.0.2", 5432, FALSE);
  assert_host (e, 0, "a", "10.0.0.1", 5432, FALSE);
  assert_host (e, 1, "b", NULL, 5432, FALSE);
  assert_error_contains (f, "host=a,b,c hostaddr=10.0.0.1,10.0.0.2",
                         "could not match 3 host names to 2 hostaddr values");
  assert_error_contains (f, "hostaddr=db.example.com",
                         "invalid hostaddr value: \"db.example.com\"");
}

static void
test_multi_host (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) a = parse_ok (f, "host=a,b,c port=5432,5433,5434");
  g_autoptr(FraiseConninfo) b = parse_ok (f, "host=a,b,c port=6000");
  g_autoptr(FraiseConninfo) c = parse_ok (f, "host=a,,c port=1,2,");
  g_autoptr(FraiseConninfo) d = parse_ok (f, "host=a,b,c load_balance_hosts=random");
  g_autofree char *message = parse_error (f, "host=a,b,c port=1,2");

  g_assert_cmpuint (a->hosts->len, ==, 3);
  assert_host (a, 0, "a", NULL, 5432, FALSE);
  assert_host (a, 1, "b", NULL, 5433, FALSE);
  assert_host (a, 2, "c", NULL, 5434, FALSE);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (host_at (b, i)->port, ==, 6000);
  assert_host (c, 0, "a", NULL, 1, FALSE);
  assert_host (c, 1, expected_default_dir (), NULL, 2, TRUE);
  assert_host (c, 2, "c", NULL, 5432, FALSE);
  g_assert_true (d->load_balance_random);
  assert_host (d, 2, "c", NULL, 5432, FALSE); /* shuffling is the connection's job */
  g_assert_cmpstr (message, ==, "could not match 2 port numbers to 3 hosts");
  assert_error_contains (f, "postgresql://a:1,b:2/db?host=x,y,z",
                         "could not match 2 port numbers to 3 hosts");
  /* "c" has an empty port entry ("1,2,"): the default. */
  {
    g_autoptr(FraiseConninfo) e = parse_ok (f, "postgresql://a:1,b:2,c/db");

    assert_host (e, 2, "c", NULL, 5432, FALSE);
  }
}

/* ------------------------------------------------------------------ */
/* Environment                                                          */
/* ------------------------------------------------------------------ */

static void
set_full_environment (Fixture *f)
{
  static const char *const vars[][2] = {
    { "PGHOST", "envhost" },
    { "PGPORT", "6543" },
    { "PGDATABASE", "envdb" },
    { "PGUSER", "envuser" },
    { "PGPASSWORD", "envpw" },
    { "PGPASSFILE", "/nonexistent/pgpass" },
    { "PGOPTIONS", "-c work_mem=64MB" },
    { "PGAPPNAME", "envapp" },
    { "PGSSLMODE", "require" },
    { "PGSSLNEGOTIATION", "direct" },
    { "PGSSLROOTCERT", "/etc/root.crt" },
    { "PGSSLCERT", "/etc/client.crt" },
    { "PGSSLKEY", "/etc/client.key" },
    { "PGSSLCRL", "/etc/crl.pem" },
    { "PGSSLCRLDIR", "/etc/crl.d" },
    { "PGSSLMINPROTOCOLVERSION", "TLSv1.3" },
    { "PGSSLMAXPROTOCOLVERSION", "tlsv1.3" },
    { "PGCHANNELBINDING", "require" },
    { "PGREQUIREAUTH", "scram-sha-256" },
    { "PGCONNECT_TIMEOUT", "7" },
    { "PGTARGETSESSIONATTRS", "read-only" },
    { "PGLOADBALANCEHOSTS", "random" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vars); i++)
    fixture_setenv (f, vars[i][0], vars[i][1]);
}

static void
test_environment (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) env = NULL;
  g_autoptr(FraiseConninfo) mixed = NULL;
  g_autoptr(FraiseConninfo) empty = NULL;

  set_full_environment (f);
  env = parse_ok (f, "");
  assert_host (env, 0, "envhost", NULL, 6543, FALSE);
  g_assert_cmpstr (env->dbname, ==, "envdb");
  g_assert_cmpstr (env->user, ==, "envuser");
  g_assert_cmpstr (env->password, ==, "envpw");
  g_assert_cmpstr (env->passfile, ==, "/nonexistent/pgpass");
  g_assert_cmpstr (env->options, ==, "-c work_mem=64MB");
  g_assert_cmpstr (env->application_name, ==, "envapp");
  g_assert_cmpint (env->sslmode, ==, FRAISE_SSL_REQUIRE);
  g_assert_true (env->sslnegotiation_direct);
  g_assert_cmpstr (env->sslrootcert, ==, "/etc/root.crt");
  g_assert_cmpstr (env->sslcert, ==, "/etc/client.crt");
  g_assert_cmpstr (env->sslkey, ==, "/etc/client.key");
  g_assert_cmpstr (env->sslcrl, ==, "/etc/crl.pem");
  g_assert_cmpstr (env->sslcrldir, ==, "/etc/crl.d");
  g_assert_cmpstr (env->ssl_min_protocol_version, ==, "TLSv1.3");
  g_assert_cmpstr (env->ssl_max_protocol_version, ==, "TLSv1.3");
  g_assert_cmpint (env->channel_binding, ==, FRAISE_CHANNEL_BINDING_REQUIRE);
  g_assert_cmpuint (env->require_auth, ==, FRAISE_AUTH_SCRAM);
  g_assert_cmpuint (env->connect_timeout_s, ==, 7);
  g_assert_cmpint (env->target_session_attrs, ==, FRAISE_TARGET_READ_ONLY);
  g_assert_true (env->load_balance_random);

  /* The string wins over the environment, option by option. */
  mixed =
    parse_ok (f, "postgresql://struser@strhost:1234/?sslmode=verify-ca&application_name=strapp");
  assert_host (mixed, 0, "strhost", NULL, 1234, FALSE);
  g_assert_cmpstr (mixed->user, ==, "struser");
  g_assert_cmpstr (mixed->dbname, ==, "envdb");
  g_assert_cmpint (mixed->sslmode, ==, FRAISE_SSL_VERIFY_CA);
  g_assert_cmpstr (mixed->application_name, ==, "strapp");
  g_assert_cmpstr (mixed->password, ==, "envpw");

  /* An explicitly empty value is set: the environment does not apply. */
  empty = parse_ok (f, "host='' port='' dbname='' password=''");
  assert_host (empty, 0, expected_default_dir (), NULL, 5432, TRUE);
  g_assert_cmpstr (empty->dbname, ==, "envuser");
  g_assert_null (empty->password);
}

static void
test_environment_source (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FraiseConninfo) synthetic = NULL;
  g_autoptr(FraiseConninfo) process = NULL;
  g_autoptr(FraiseConninfo) hostaddr = NULL;
  char *saved = g_strdup (g_getenv ("PGAPPNAME"));

  /* With envp, the process environment is not consulted... */
  g_setenv ("PGAPPNAME", "from-process", TRUE);
  synthetic = parse_ok (f, "");
  g_assert_null (synthetic->application_name);
  /* ...and without it, it is. */
  process = fraise_conninfo_parse ("", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (process->application_name, ==, "from-process");
  if (saved != NULL)
    g_setenv ("PGAPPNAME", saved, TRUE);
  else
    g_unsetenv ("PGAPPNAME");
  g_free (saved);

  fixture_setenv (f, "PGHOSTADDR", "192.0.2.7");
  hostaddr = parse_ok (f, "");
  assert_host (hostaddr, 0, "192.0.2.7", "192.0.2.7", 5432, FALSE);
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

static void
test_invalid_values (Fixture *f, gconstpointer data)
{
  static const char *const cases[][2] = {
    { "foo=bar", "invalid connection option \"foo\"" },
    { "host=h requiressl=1", "invalid connection option \"requiressl\"" },
    { "postgresql://h/db?foo=bar", "invalid connection option \"foo\"" },
    { "postgresql://h/db?ssl=false", "invalid connection option \"ssl\"" },
    { "sslmode=maybe",
      "invalid sslmode value: \"maybe\" (expected disable, allow, prefer, require, verify-ca or verify-full)" },
    { "sslmode=", "invalid sslmode value: \"\"" },
    { "sslmode=REQUIRE", "invalid sslmode value: \"REQUIRE\"" },
    { "port=abc", "invalid integer value \"abc\" for connection option \"port\"" },
    { "port=5432x", "invalid integer value \"5432x\" for connection option \"port\"" },
    { "port=0", "invalid port number \"0\" for connection option \"port\"" },
    { "port=65536", "invalid port number \"65536\" for connection option \"port\"" },
    { "port=-1", "invalid port number \"-1\" for connection option \"port\"" },
    { "host=a,b port=5432,abc", "invalid integer value \"abc\" for connection option \"port\"" },
    { "postgresql://h:99999/db", "invalid port number \"99999\" for connection option \"port\"" },
    { "connect_timeout=soon",
      "invalid integer value \"soon\" for connection option \"connect_timeout\"" },
    { "connect_timeout=", "invalid integer value \"\" for connection option \"connect_timeout\"" },
    { "keepalives=yes", "invalid integer value \"yes\" for connection option \"keepalives\"" },
    { "keepalives_idle=x",
      "invalid integer value \"x\" for connection option \"keepalives_idle\"" },
    { "keepalives_interval=1.5",
      "invalid integer value \"1.5\" for connection option \"keepalives_interval\"" },
    { "keepalives_count=9999999999",
      "invalid integer value \"9999999999\" for connection option \"keepalives_count\"" },
    { "tcp_user_timeout=abc",
      "invalid integer value \"abc\" for connection option \"tcp_user_timeout\"" },
    { "channel_binding=maybe",
      "invalid channel_binding value: \"maybe\" (expected disable, prefer or require)" },
    { "target_session_attrs=master", "invalid target_session_attrs value: \"master\"" },
    { "load_balance_hosts=roundrobin",
      "invalid load_balance_hosts value: \"roundrobin\" (expected disable or random)" },
    { "sslnegotiation=requiredirect",
      "invalid sslnegotiation value: \"requiredirect\" (expected postgres or direct)" },
    { "ssl_min_protocol_version=SSLv3", "invalid ssl_min_protocol_version value: \"SSLv3\"" },
    { "ssl_max_protocol_version=SSLv3", "invalid ssl_max_protocol_version value: \"SSLv3\"" },
    /* The default minimum, TLSv1.2, is above this maximum. */
    { "ssl_max_protocol_version=TLSv1.1", "invalid SSL protocol version range" },
    { "require_auth=kerberos", "invalid require_auth value: \"kerberos\"" },
    { "host", "missing \"=\" after \"host\" in connection info string" },
    { "mydb", "missing \"=\" after \"mydb\" in connection info string" },
    { "host='unterminated", "unterminated quoted string in connection info string" },
    { "host='ends in backslash\\", "unterminated quoted string in connection info string" },
    { "postgresql://h/%zz", "invalid percent-encoded token: \"%zz\"" },
    { "postgresql://h/db%2", "invalid percent-encoded token: \"db%2\"" },
    { "postgresql://h/a%00b", "forbidden value %00 in percent-encoded value: \"a%00b\"" },
    { "postgresql://h/db?application_name=%G1", "invalid percent-encoded token: \"%G1\"" },
    { "postgresql://[::1/db", "end of string reached when looking for matching \"]\"" },
    { "postgresql://[]/db", "IPv6 host address may not be empty in URI" },
    { "postgresql://[::1]x/db", "unexpected character \"x\" at position 19 in URI" },
    { "postgresql://h/db?sslmode",
      "missing key/value separator \"=\" in URI query parameter: \"sslmode\"" },
    { "postgresql://h/db?sslmode=a=b",
      "extra key/value separator \"=\" in URI query parameter: \"sslmode\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_error_contains (f, cases[i][0], cases[i][1]);
}

static void
test_sslrootcert_system (Fixture *f, gconstpointer data)
{
  g_autoptr(FraiseConninfo) a = parse_ok (f, "sslrootcert=system");
  g_autoptr(FraiseConninfo) b = parse_ok (f, "sslrootcert=system sslmode=verify-full");
  g_autoptr(FraiseConninfo) c = NULL;
  g_autofree char *message = parse_error (f, "sslrootcert=system sslmode=require");

  g_assert_cmpint (a->sslmode, ==, FRAISE_SSL_VERIFY_FULL);
  g_assert_cmpstr (a->sslrootcert, ==, "system");
  g_assert_cmpint (b->sslmode, ==, FRAISE_SSL_VERIFY_FULL);
  g_assert_cmpstr (
    message, ==,
    "weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")");
  assert_error_contains (f, "sslmode=verify-ca sslrootcert=system", "weak sslmode \"verify-ca\"");
  assert_error_contains (f, "sslmode=disable sslrootcert=system", "weak sslmode \"disable\"");
  assert_error_contains (f, "postgresql://h/db?sslrootcert=system&ssl=true",
                         "weak sslmode \"require\"");

  /* An sslmode from the environment counts as set; a root from it counts too. */
  fixture_setenv (f, "PGSSLROOTCERT", "system");
  c = parse_ok (f, "");
  g_assert_cmpint (c->sslmode, ==, FRAISE_SSL_VERIFY_FULL);
  fixture_setenv (f, "PGSSLMODE", "prefer");
  assert_error_contains (f, "", "weak sslmode \"prefer\" may not be used with sslrootcert=system");
}

static void
test_sslnegotiation (Fixture *f, gconstpointer data)
{
  static const char *const weak[] = { "disable", "allow", "prefer" };
  static const char *const strong[] = { "require", "verify-ca", "verify-full" };
  g_autoptr(FraiseConninfo) plain = parse_ok (f, "sslnegotiation=postgres sslmode=disable");
  g_autofree char *message = parse_error (f, "sslnegotiation=direct");

  g_assert_false (plain->sslnegotiation_direct);
  g_assert_cmpstr (message, ==,
                   "weak sslmode \"prefer\" may not be used with sslnegotiation=direct "
                   "(use \"require\", \"verify-ca\", or \"verify-full\")");
  for (gsize i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autofree char *conninfo = g_strdup_printf ("sslnegotiation=direct sslmode=%s", weak[i]);
      g_autofree char *expected = g_strdup_printf ("weak sslmode \"%s\"", weak[i]);

      assert_error_contains (f, conninfo, expected);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (strong); i++)
    {
      g_autofree char *conninfo = g_strdup_printf ("sslnegotiation=direct sslmode=%s", strong[i]);
      g_autoptr(FraiseConninfo) info = parse_ok (f, conninfo);

      g_assert_true (info->sslnegotiation_direct);
      g_assert_cmpint (info->sslmode, ==, FRAISE_SSL_REQUIRE + (int) i);
    }
}

static void
test_require_auth (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *conninfo;
    guint mask;
  } valid[] = {
    { "require_auth=scram-sha-256", FRAISE_AUTH_SCRAM },
    { "require_auth=password,md5", FRAISE_AUTH_PASSWORD | FRAISE_AUTH_MD5 },
    { "require_auth=none", FRAISE_AUTH_NONE },
    { "require_auth=scram-sha-256,none", FRAISE_AUTH_SCRAM | FRAISE_AUTH_NONE },
    { "require_auth=!password,!md5", FRAISE_AUTH_ALL & ~(FRAISE_AUTH_PASSWORD | FRAISE_AUTH_MD5) },
    { "require_auth=!none", FRAISE_AUTH_ALL & ~FRAISE_AUTH_NONE },
    { "require_auth=none,scram-sha-256,md5,password",
      FRAISE_AUTH_ALL & ~(FRAISE_AUTH_GSS | FRAISE_AUTH_SSPI) },
    { "require_auth=!gss,!sspi", FRAISE_AUTH_ALL & ~(FRAISE_AUTH_GSS | FRAISE_AUTH_SSPI) },
    { "require_auth=", FRAISE_AUTH_ALL },
  };
  static const char *const invalid[][2] = {
    { "require_auth=md5,!password",
      "negative require_auth method \"!password\" cannot be mixed with non-negative methods" },
    { "require_auth=!md5,password",
      "require_auth method \"password\" cannot be mixed with negative methods" },
    { "require_auth=md5,md5", "require_auth method \"md5\" is specified more than once" },
    { "require_auth=!md5,!md5", "require_auth method \"!md5\" is specified more than once" },
    { "require_auth=none,none", "require_auth method \"none\" is specified more than once" },
    { "require_auth=!none,!none", "require_auth method \"!none\" is specified more than once" },
    { "require_auth=md5,,password", "invalid require_auth value: \"\"" },
    { "require_auth=MD5", "invalid require_auth value: \"MD5\"" },
    { "require_auth=gss", "require_auth method \"gss\" is not supported" },
    { "require_auth=scram-sha-256,sspi", "require_auth method \"sspi\" is not supported" },
    { "require_auth=!", "invalid require_auth value: \"\"" },
    { "require_auth='md5, password'", "invalid require_auth value: \" password\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(FraiseConninfo) info = parse_ok (f, valid[i].conninfo);

      g_assert_cmpuint (info->require_auth, ==, valid[i].mask);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    assert_error_contains (f, invalid[i][0], invalid[i][1]);
}

static void
test_timeouts (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *conninfo;
    guint timeout;
  } timeouts[] = {
    { "connect_timeout=1", 2 },  { "connect_timeout=2", 2 },       { "connect_timeout=0", 0 },
    { "connect_timeout=-5", 0 }, { "connect_timeout=' 30 '", 30 },
  };
  static const struct {
    const char *conninfo;
    gboolean on;
  } keepalives[] = {
    { "keepalives=0", FALSE },
    { "keepalives=1", TRUE },
    { "keepalives=5", TRUE },
    { "keepalives=''", FALSE },
  };
  g_autoptr(FraiseConninfo) tcp =
               parse_ok (f, "keepalives_idle=60 keepalives_interval=5 keepalives_count=9 "
                            "tcp_user_timeout=15000");
  g_autoptr(FraiseConninfo) negative = parse_ok (f, "keepalives_idle=-1 keepalives_interval=-2 "
                                                     "keepalives_count=-3 tcp_user_timeout=-4");

  for (gsize i = 0; i < G_N_ELEMENTS (timeouts); i++)
    {
      g_autoptr(FraiseConninfo) info = parse_ok (f, timeouts[i].conninfo);

      g_assert_cmpuint (info->connect_timeout_s, ==, timeouts[i].timeout);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (keepalives); i++)
    {
      g_autoptr(FraiseConninfo) info = parse_ok (f, keepalives[i].conninfo);

      g_assert_cmpint (info->keepalives, ==, keepalives[i].on);
    }
  g_assert_cmpuint (tcp->keepalives_idle_s, ==, 60);
  g_assert_cmpuint (tcp->keepalives_interval_s, ==, 5);
  g_assert_cmpuint (tcp->keepalives_count, ==, 9);
  g_assert_cmpuint (tcp->tcp_user_timeout_ms, ==, 15000);
  g_assert_cmpuint (negative->keepalives_idle_s, ==, 0);
  g_assert_cmpuint (negative->keepalives_interval_s, ==, 0);
  g_assert_cmpuint (negative->keepalives_count, ==, 0);
  g_assert_cmpuint (negative->tcp_user_timeout_ms, ==, 0);
}

static void
test_enumerations (Fixture *f, gconstpointer data)
{
  static const char *const sslmodes[] = { "disable", "allow",     "prefer",
                                          "require", "verify-ca", "verify-full" };
  static const char *const targets[] = { "any",     "read-write", "read-only",
                                         "primary", "standby",    "prefer-standby" };
  static const char *const bindings[] = { "disable", "prefer", "require" };
  static const char *const tls[][2] = {
    { "TLSv1", "TLSv1" },     { "tlsv1.1", "TLSv1.1" }, { "TLSV1.2", "TLSv1.2" },
    { "TLSv1.3", "TLSv1.3" }, { "''", "TLSv1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sslmodes); i++)
    {
      g_autofree char *conninfo = g_strdup_printf ("sslmode=%s", sslmodes[i]);
      g_autoptr(FraiseConninfo) info = parse_ok (f, conninfo);

      g_assert_cmpint (info->sslmode, ==, (int) i);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *conninfo = g_strdup_printf ("target_session_attrs=%s", targets[i]);
      g_autoptr(FraiseConninfo) info = parse_ok (f, conninfo);

      g_assert_cmpint (info->target_session_attrs, ==, (int) i);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      g_autofree char *conninfo = g_strdup_printf ("channel_binding=%s", bindings[i]);
      g_autoptr(FraiseConninfo) info = parse_ok (f, conninfo);

      g_assert_cmpint (info->channel_binding, ==, (int) i);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (tls); i++)
    {
      g_autofree char *conninfo = g_strdup_printf ("ssl_min_protocol_version=%s", tls[i][0]);
      g_autofree char *max =
        g_strdup_printf ("ssl_min_protocol_version='' ssl_max_protocol_version=%s", tls[i][0]);
      g_autoptr(FraiseConninfo) info = parse_ok (f, conninfo);
      g_autoptr(FraiseConninfo) max_info = parse_ok (f, max);

      g_assert_cmpstr (info->ssl_min_protocol_version, ==, tls[i][1]);
      g_assert_null (info->ssl_max_protocol_version); /* no maximum unless given */
      /* An empty maximum is no maximum. */
      g_assert_cmpstr (max_info->ssl_max_protocol_version, ==,
                       g_str_equal (tls[i][0], "''") ? NULL : tls[i][1]);
    }
}

/* A password (or pieces of one) must never reach an error message. */
static void
test_password_never_in_errors (Fixture *f, gconstpointer data)
{
  static const char *const cases[] = {
    "host=h password=Zq9Secret Pw7Tail dbname=x",
    "password=Zq9Secret Pw7Tail=x",
    "password=Zq9Secret Pw7Tail",
    "password='Zq9SecretPw7Tail",
    "password=Zq9SecretPw7Tail sslmode=maybe",
    "password=Zq9SecretPw7Tail port=abc",
    "sslpassword=Zq9Secret Pw7Tail",
    "postgresql://u:Zq9Secret%zzPw7Tail@h/db",
    "postgresql://u:Zq9Secret%00Pw7Tail@h/db",
    "postgresql://u:Zq9Secret@Pw7Tail@h/db",
    "postgresql://u:Zq9Secret/Pw7Tail@h/db",
    "postgresql://h/db?password=Zq9Secret&Pw7Tail",
    "postgresql://h/db?password=Zq9Secret&Pw7Tail=1",
    "postgresql://h/db?password=Zq9Secret%zzPw7Tail",
    "postgresql://h/db?password=Zq9Secret=Pw7Tail",
    "postgresql://h/db?sslpassword=Zq9Secret%GGPw7Tail",
  };
  g_autofree char *service =
    write_file (f, "svc.conf", "[s]\npassword=Zq9SecretPw7Tail\nbogus line\n", 0600);

  fixture_setenv (f, "PGPASSWORD", "Zq9SecretPw7Tail");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = parse_error (f, cases[i]);

      g_test_message ("%s -> %s", cases[i], message);
      g_assert_null (strstr (message, "Zq9Secret"));
      g_assert_null (strstr (message, "Pw7Tail"));
    }
  fixture_setenv (f, "PGSERVICEFILE", service);
  {
    g_autofree char *message = parse_error (f, "service=s");

    g_assert_nonnull (strstr (message, "syntax error in service file"));
    g_assert_null (strstr (message, "Zq9Secret"));
  }
}

/* ------------------------------------------------------------------ */
/* Password file                                                        */
/* ------------------------------------------------------------------ */

static char *
lookup (Fixture *f, const char *conninfo, guint host)
{
  g_autoptr(FraiseConninfo) info = parse_ok (f, conninfo);

  return fraise_conninfo_get_password (info, host_at (info, host));
}

static void
assert_lookup (Fixture *f, const char *conninfo, guint host, const char *expected)
{
  char *password = lookup (f, conninfo, host);

  g_assert_cmpstr (password, ==, expected);
  fraise_secure_free_string (password);
}

static void
test_pgpass_matching (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "pgpass",
                                      "# *:*:*:*:commentpw\n"
                                      "#db.example.com:5432:mydb:me:commented\n"
                                      "\n"
                                      "otherhost:5432:mydb:me:wronghost\n"
                                      "db.example.com:5433:mydb:me:wrongport\n"
                                      "db.example.com:5432:otherdb:me:wrongdb\n"
                                      "db.example.com:5432:mydb:someone:wronguser\n"
                                      "db.example.com:5432:mydb:me:right\\:pw\\\\x:trailing\n"
                                      "db.example.com:5432:mydb:me:second\n"
                                      "h\\:x:5432:db\\:1:u\\\\v:escaped\n"
                                      "crlf:5432:d:u:crlfpw\r\n"
                                      "h1:1:d:u:p1\n"
                                      "h2:2:d:u:p2\n"
                                      "127.0.0.1:5432:d:u:addrpw\n"
                                      "*:5439:*:*:portwild\n"
                                      "*:*:wilddb:*:dbwild\n"
                                      "\\*:*:*:*:literalstar\n"
                                      "#h:5432:d:u:hashpw\n",
                                      0600);
  g_autofree char *base = g_strdup_printf ("passfile='%s' ", path);
  g_autofree char *conninfo = NULL;

#define WITH(s) (g_free (conninfo), conninfo = g_strconcat (base, s, NULL))
  assert_lookup (f, WITH ("host=db.example.com dbname=mydb user=me"), 0, "right:pw\\x");
  assert_lookup (f, WITH ("host=db.example.com dbname=mydb user=me password=explicit"), 0,
                 "explicit");
  assert_lookup (f, WITH ("host=db.example.com dbname=mydb user=nobody"), 0, NULL);
  assert_lookup (f, WITH ("host=h:x dbname=db:1 user=u\\\\v"), 0, "escaped");
  assert_lookup (f, WITH ("host=crlf dbname=d user=u"), 0, "crlfpw");
  assert_lookup (f, WITH ("host=h1,h2 port=1,2 dbname=d user=u"), 0, "p1");
  assert_lookup (f, WITH ("host=h1,h2 port=1,2 dbname=d user=u"), 1, "p2");
  assert_lookup (f, WITH ("hostaddr=127.0.0.1 dbname=d user=u"), 0, "addrpw");
  assert_lookup (f, WITH ("host=anything port=5439 dbname=any user=one"), 0, "portwild");
  assert_lookup (f, WITH ("host=anything dbname=wilddb user=one"), 0, "dbwild");
  assert_lookup (f, WITH ("host=* dbname=x user=y"), 0, "literalstar");
  assert_lookup (f, WITH ("host=nothing dbname=x user=y"), 0, NULL);
  assert_lookup (f, WITH ("host=#h dbname=d user=u"), 0, NULL); /* a comment line */
  assert_lookup (f, WITH ("host=db.example.com dbname=mydb user=me password=''"), 0, "right:pw\\x");
#undef WITH
}

static void
test_pgpass_socket_and_defaults (Fixture *f, gconstpointer data)
{
  g_autofree char *dir_line =
    g_strdup_printf ("%s/sockets:5432:d:u:dirpw\nlocalhost:5432:d:u:localpw\n", f->dir);
  g_autofree char *path = write_file (f, ".pgpass", dir_line, 0600);
  g_autofree char *other = write_file (f, "other", "*:*:*:*:otherfile\n", 0600);
  g_autofree char *sockets = g_strdup_printf ("dbname=d user=u host=%s/sockets", f->dir);
  g_autoptr(FraiseConninfo) info = parse_ok (f, sockets);
  char *password;

  /* No host: the default socket directory, which matches "localhost";
   * the file is ~/.pgpass by default. */
  assert_lookup (f, "dbname=d user=u", 0, "localpw");
  assert_lookup (f, "host=localhost dbname=d user=u", 0, "localpw");
  /* Another socket directory matches by its path... */
  assert_lookup (f, sockets, 0, "dirpw");
  /* ...unless it is the default one. */
  g_free (info->default_socket_dir);
  info->default_socket_dir = g_strdup_printf ("%s/sockets", f->dir);
  password = fraise_conninfo_get_password (info, host_at (info, 0));
  g_assert_cmpstr (password, ==, "localpw");
  fraise_secure_free_string (password);

  /* PGPASSFILE overrides ~/.pgpass; the passfile keyword overrides both. */
  fixture_setenv (f, "PGPASSFILE", other);
  assert_lookup (f, "dbname=d user=u", 0, "otherfile");
  {
    g_autofree char *explicit = g_strdup_printf ("dbname=d user=u passfile=%s", path);

    assert_lookup (f, explicit, 0, "localpw");
  }
}

static void
test_pgpass_permissions (Fixture *f, gconstpointer data)
{
  static const int insecure[] = { 0644, 0640, 0604, 0660 };
  g_autofree char *path = write_file (f, "pgpass", "*:*:*:*:filepw\n", 0600);
  g_autofree char *conninfo = g_strdup_printf ("passfile=%s", path);
  g_autofree char *dir_conninfo = g_strdup_printf ("passfile=%s", f->dir);
  g_autofree char *missing = g_strdup_printf ("passfile=%s/missing", f->dir);

  assert_lookup (f, conninfo, 0, "filepw");
  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  assert_lookup (f, conninfo, 0, "filepw");
  for (gsize i = 0; i < G_N_ELEMENTS (insecure); i++)
    {
      g_assert_cmpint (g_chmod (path, insecure[i]), ==, 0);
      g_test_expect_message ("Fraise", G_LOG_LEVEL_WARNING,
                             "password file \"*pgpass\" has group or world access; "
                             "permissions should be u=rw (0600) or less");
      assert_lookup (f, conninfo, 0, NULL);
      g_test_assert_expected_messages ();
    }
  g_test_expect_message ("Fraise", G_LOG_LEVEL_WARNING, "password file \"*\" is not a plain file");
  assert_lookup (f, dir_conninfo, 0, NULL);
  g_test_assert_expected_messages ();
  assert_lookup (f, missing, 0, NULL);
}

static void
test_pgpass_long_lines (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autofree char *long_password = g_strnfill (5000, 'p');
  g_autofree char *path = NULL;
  g_autofree char *conninfo = NULL;

  g_string_append (contents, "nomatch:5432:d:u:");
  for (int i = 0; i < 10000; i++)
    g_string_append_c (contents, 'x');
  g_string_append_printf (contents, "\nfirst:5432:d:u:%s\nsecond:5432:d:u:short", long_password);
  path = write_file (f, "pgpass", contents->str, 0600);
  conninfo = g_strdup_printf ("passfile=%s dbname=d user=u host=first,second", path);
  assert_lookup (f, conninfo, 0, long_password);
  /* The last line has no newline. */
  assert_lookup (f, conninfo, 1, "short");
}

/* ------------------------------------------------------------------ */
/* Service file                                                         */
/* ------------------------------------------------------------------ */

static const char service_contents[] = "# comment\n"
                                       "[other]\n"
                                       "host=otherhost\n"
                                       "\n"
                                       "[mysvc]\n"
                                       "host=svchost\n"
                                       "port=6000\n"
                                       "dbname=svcdb\n"
                                       "   user=svcuser   \n"
                                       "application_name=svc app\n"
                                       "host=ignored-second\n"
                                       "[after]\n"
                                       "port=7000\n";

static void
test_service_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "services.conf", service_contents, 0644);
  g_autoptr(FraiseConninfo) a = NULL;
  g_autoptr(FraiseConninfo) b = NULL;
  g_autoptr(FraiseConninfo) c = NULL;
  g_autoptr(FraiseConninfo) d = NULL;
  g_autoptr(FraiseConninfo) e = NULL;

  fixture_setenv (f, "PGSERVICEFILE", path);
  a = parse_ok (f, "service=mysvc");
  assert_host (a, 0, "svchost", NULL, 6000, FALSE);
  g_assert_cmpstr (a->dbname, ==, "svcdb");
  g_assert_cmpstr (a->user, ==, "svcuser");
  g_assert_cmpstr (a->application_name, ==, "svc app");

  /* The string overrides the service file... */
  b = parse_ok (f, "postgresql://:1234/?service=mysvc");
  assert_host (b, 0, "svchost", NULL, 1234, FALSE);

  /* ...which overrides the environment, which fills the rest. */
  fixture_setenv (f, "PGHOST", "envhost");
  fixture_setenv (f, "PGDATABASE", "envdb");
  fixture_setenv (f, "PGOPTIONS", "-c x=y");
  c = parse_ok (f, "service=mysvc");
  assert_host (c, 0, "svchost", NULL, 6000, FALSE);
  g_assert_cmpstr (c->dbname, ==, "svcdb");
  g_assert_cmpstr (c->options, ==, "-c x=y");

  /* PGSERVICE names the service when the string doesn't. */
  fixture_setenv (f, "PGSERVICE", "mysvc");
  d = parse_ok (f, "");
  assert_host (d, 0, "svchost", NULL, 6000, FALSE);
  e = parse_ok (f, "service=other");
  assert_host (e, 0, "otherhost", NULL, 5432, FALSE);
  g_assert_cmpstr (e->dbname, ==, "envdb");

  assert_error_contains (f, "service=nosuch", "definition of service \"nosuch\" not found");
}

static void
test_service_file_locations (Fixture *f, gconstpointer data)
{
  g_autofree char *user = write_file (f, "user.conf", "[both]\nhost=userhost\n", 0644);
  g_autofree char *system =
    write_file (f, "pg_service.conf", "[both]\nhost=systemhost\n[syssvc]\nhost=syshost\n", 0644);
  g_autofree char *home = write_file (f, ".pg_service.conf", "[homesvc]\nhost=homehost\n", 0644);
  g_autoptr(FraiseConninfo) a = NULL;
  g_autoptr(FraiseConninfo) b = NULL;
  g_autoptr(FraiseConninfo) c = NULL;
  g_autoptr(FraiseConninfo) d = NULL;
  g_autofree char *missing = g_strdup_printf ("%s/missing.conf", f->dir);
  g_autofree char *expected = g_strdup_printf ("service file \"%s\" not found", missing);

  /* The system and home files are found through the fixture's directories. */
  g_assert_true (g_file_test (system, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (home, G_FILE_TEST_IS_REGULAR));

  /* ~/.pg_service.conf when PGSERVICEFILE is unset; PGSYSCONFDIR/pg_service.conf after it. */
  a = parse_ok (f, "service=homesvc");
  assert_host (a, 0, "homehost", NULL, 5432, FALSE);
  b = parse_ok (f, "service=syssvc");
  assert_host (b, 0, "syshost", NULL, 5432, FALSE);

  /* The user file wins over the system file. */
  fixture_setenv (f, "PGSERVICEFILE", user);
  c = parse_ok (f, "service=both");
  assert_host (c, 0, "userhost", NULL, 5432, FALSE);
  d = parse_ok (f, "service=syssvc");
  assert_host (d, 0, "syshost", NULL, 5432, FALSE);
  assert_error_contains (f, "service=homesvc", "definition of service \"homesvc\" not found");

  fixture_setenv (f, "PGSERVICEFILE", missing);
  assert_error_contains (f, "service=both", expected);
}

static void
test_service_file_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) long_line = g_string_new ("[s]\napplication_name=");
  g_autofree char *nested = write_file (f, "nested.conf", "[s]\nhost=h\nservice=t\n", 0644);
  g_autofree char *syntax = write_file (f, "syntax.conf", "[s]\nhost=h\nno equals sign\n", 0644);
  g_autofree char *unknown = write_file (f, "unknown.conf", "[s]\nfoo=bar\n", 0644);
  g_autofree char *elsewhere =
    write_file (f, "elsewhere.conf", "[t]\nfoo=bar\n[s]\nhost=fine\n", 0644);
  g_autofree char *toolong = NULL;
  g_autoptr(FraiseConninfo) info = NULL;
  g_autofree char *message = NULL;

  for (int i = 0; i < 1100; i++)
    g_string_append_c (long_line, 'a');
  toolong = write_file (f, "long.conf", long_line->str, 0644);

  fixture_setenv (f, "PGSERVICEFILE", nested);
  assert_error_contains (f, "service=s",
                         "nested service specifications not supported in service file");
  fixture_setenv (f, "PGSERVICEFILE", syntax);
  message = parse_error (f, "service=s");
  g_assert_nonnull (strstr (message, "syntax error in service file"));
  g_assert_nonnull (strstr (message, "line 3"));
  fixture_setenv (f, "PGSERVICEFILE", unknown);
  assert_error_contains (f, "service=s", "line 2");
  fixture_setenv (f, "PGSERVICEFILE", toolong);
  assert_error_contains (f, "service=s", "line 2 too long in service file");
  /* Lines outside the wanted section are not interpreted. */
  fixture_setenv (f, "PGSERVICEFILE", elsewhere);
  info = parse_ok (f, "service=s");
  assert_host (info, 0, "fine", NULL, 5432, FALSE);
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/conninfo/defaults", test_defaults);
  ADD ("/conninfo/uri/doc-examples", test_uri_doc_examples);
  ADD ("/conninfo/uri/details", test_uri_details);
  ADD ("/conninfo/keyword/form", test_keyword_form);
  ADD ("/conninfo/hosts/hostaddr", test_hostaddr);
  ADD ("/conninfo/hosts/multiple", test_multi_host);
  ADD ("/conninfo/environment/values", test_environment);
  ADD ("/conninfo/environment/source", test_environment_source);
  ADD ("/conninfo/validate/invalid-values", test_invalid_values);
  ADD ("/conninfo/validate/sslrootcert-system", test_sslrootcert_system);
  ADD ("/conninfo/validate/sslnegotiation", test_sslnegotiation);
  ADD ("/conninfo/validate/require-auth", test_require_auth);
  ADD ("/conninfo/validate/timeouts", test_timeouts);
  ADD ("/conninfo/validate/enumerations", test_enumerations);
  ADD ("/conninfo/validate/password-never-in-errors", test_password_never_in_errors);
  ADD ("/conninfo/pgpass/matching", test_pgpass_matching);
  ADD ("/conninfo/pgpass/socket-and-defaults", test_pgpass_socket_and_defaults);
  ADD ("/conninfo/pgpass/permissions", test_pgpass_permissions);
  ADD ("/conninfo/pgpass/long-lines", test_pgpass_long_lines);
  ADD ("/conninfo/service/file", test_service_file);
  ADD ("/conninfo/service/locations", test_service_file_locations);
  ADD ("/conninfo/service/errors", test_service_file_errors);

  return g_test_run ();
}
