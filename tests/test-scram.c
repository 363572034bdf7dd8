/* test-scram.c: SCRAM-SHA-256, SASLprep and MD5 password computations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Expected values not taken from an RFC were computed independently with
 * Python's hashlib/hmac/base64 (a ten-line SCRAM reference written for this
 * purpose: pbkdf2_hmac("sha256", ...), HMAC "Client Key"/"Server Key", the
 * AuthMessage of RFC 5802 §3), not with this code.
 */

#include <string.h>

#include "fraise-test-utils.h"
#include "fraise-auth.h"

/* RFC 7677 §3 */
#define RFC_NONCE "rOprNGfwEbeRWgbNEkqO"
#define RFC_SERVER_NONCE RFC_NONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
#define RFC_SERVER_FIRST "r=" RFC_SERVER_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define RFC_CLIENT_FINAL                                                                           \
  "c=biws,r=" RFC_SERVER_NONCE ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define RFC_SERVER_FINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

/* Same exchange with "n=" (no username), as PostgreSQL clients send it.
 * Computed with the Python reference described above. */
#define PG_CLIENT_FINAL                                                                            \
  "c=biws,r=" RFC_SERVER_NONCE ",p=qvT2SWdEH5Q06albL+hjSYuUhCG7VndFyzIb7CK4n9k="
#define PG_SERVER_FINAL "v=3HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg="

/* ---- helpers ----------------------------------------------------------- */

static FraiseScram *
start_exchange (const char *password,
                FraiseScramBinding binding,
                const guint8 *cb_data,
                gsize cb_len,
                guint max_iterations)
{
  FraiseScram *scram;
  const char *first;

  scram =
    fraise_scram_new_with_nonce (password, binding, cb_data, cb_len, max_iterations, RFC_NONCE);
  g_assert_nonnull (scram);
  first = fraise_scram_get_client_first (scram, NULL);
  g_assert_nonnull (first);

  return scram;
}

static const char *
send_server_first (FraiseScram *scram, const char *server_first, GError **error)
{
  return fraise_scram_handle_server_first (scram, server_first, strlen (server_first), NULL, error);
}

static void
assert_server_first_fails (const char *server_first, const char *expected_text)
{
  FraiseScram *scram = start_exchange ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  GError *error = NULL;

  g_assert_null (send_server_first (scram, server_first, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, expected_text));
  g_assert_false (fraise_scram_is_complete (scram));
  g_clear_error (&error);

  /* A failed exchange stays failed. */
  g_assert_false (
    fraise_scram_verify_server_final (scram, RFC_SERVER_FINAL, strlen (RFC_SERVER_FINAL), &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  fraise_scram_free (scram);
}

/* Runs the exchange with "n=" up to the client-final-message. */
static FraiseScram *
exchange_to_final (const char *password, const char *expected_client_final)
{
  FraiseScram *scram = start_exchange (password, FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  GError *error = NULL;
  const char *final;

  final = send_server_first (scram, RFC_SERVER_FIRST, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (final, ==, expected_client_final);

  return scram;
}

static void
assert_server_final_fails (const char *server_final, const char *expected_text)
{
  FraiseScram *scram = exchange_to_final ("pencil", PG_CLIENT_FINAL);
  GError *error = NULL;

  g_assert_false (
    fraise_scram_verify_server_final (scram, server_final, strlen (server_final), &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, expected_text));
  g_assert_false (fraise_scram_is_complete (scram));
  g_clear_error (&error);
  fraise_scram_free (scram);
}

/* ---- SCRAM: full exchanges ---------------------------------------------- */

static void
test_scram_rfc7677_vector (void)
{
  FraiseScram *scram;
  GError *error = NULL;
  const char *first, *final;
  gsize len = 0, final_len = 0;

  scram = fraise_scram_new_for_test ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0, RFC_NONCE, "user");
  first = fraise_scram_get_client_first (scram, &len);
  g_assert_cmpstr (first, ==, "n,,n=user,r=" RFC_NONCE);
  g_assert_cmpuint (len, ==, strlen (first));

  final = fraise_scram_handle_server_first (scram, RFC_SERVER_FIRST, strlen (RFC_SERVER_FIRST),
                                            &final_len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (final, ==, RFC_CLIENT_FINAL);
  g_assert_cmpuint (final_len, ==, strlen (RFC_CLIENT_FINAL));
  g_assert_false (fraise_scram_is_complete (scram));

  g_assert_true (
    fraise_scram_verify_server_final (scram, RFC_SERVER_FINAL, strlen (RFC_SERVER_FINAL), &error));
  g_assert_no_error (error);
  g_assert_true (fraise_scram_is_complete (scram));
  fraise_scram_free (scram);
}

static void
test_scram_postgres_exchange (void)
{
  FraiseScram *scram;
  GError *error = NULL;

  scram = fraise_scram_new_with_nonce ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0, RFC_NONCE);
  g_assert_cmpstr (fraise_scram_get_client_first (scram, NULL), ==, "n,,n=,r=" RFC_NONCE);
  g_assert_cmpstr (send_server_first (scram, RFC_SERVER_FIRST, &error), ==, PG_CLIENT_FINAL);
  g_assert_no_error (error);
  g_assert_true (
    fraise_scram_verify_server_final (scram, PG_SERVER_FINAL, strlen (PG_SERVER_FINAL), &error));
  g_assert_no_error (error);
  g_assert_true (fraise_scram_is_complete (scram));
  fraise_scram_free (scram);
}

/* The test helper that plays the server elsewhere reproduces the vectors. */
static void
test_scram_server_helper (void)
{
  const char *auth_message = "n=,r=" RFC_NONCE "," RFC_SERVER_FIRST ",c=biws,r=" RFC_SERVER_NONCE;
  g_autofree char *server =
    fraise_test_scram_signature ("pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096, auth_message, TRUE);
  g_autofree char *proof =
    fraise_test_scram_signature ("pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096, auth_message, FALSE);
  g_autofree char *final = g_strconcat ("v=", server, NULL);

  g_assert_cmpstr (final, ==, PG_SERVER_FINAL);
  g_assert_true (g_str_has_suffix (PG_CLIENT_FINAL, proof));
}

static void
test_scram_username_escaped (void)
{
  FraiseScram *scram;

  scram =
    fraise_scram_new_for_test ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0, RFC_NONCE, "a=b,c");
  g_assert_cmpstr (fraise_scram_get_client_first (scram, NULL), ==, "n,,n=a=3Db=2Cc,r=" RFC_NONCE);
  fraise_scram_free (scram);
}

static void
test_scram_saslprep_applied (void)
{
  FraiseScram *scram;

  /* U+00AD SOFT HYPHEN maps to nothing: same proof as "pencil". */
  scram = exchange_to_final ("pen\xc2\xad"
                             "cil",
                             PG_CLIENT_FINAL);
  fraise_scram_free (scram);
}

static void
test_scram_raw_password_fallback (void)
{
  FraiseScram *scram;

  /* Invalid UTF-8: SASLprep fails and the raw bytes are used, as libpq does.
   * Python reference with password b"pen\xffcil". */
  scram = exchange_to_final ("pen\xff"
                             "cil",
                             "c=biws,r=" RFC_SERVER_NONCE
                             ",p=R8A4gMgnQCuLQqhjtKvqYjbFs4lnWHg0M8ueubcp26c=");
  fraise_scram_free (scram);
}

static void
test_scram_empty_password (void)
{
  FraiseScram *scram;
  GError *error = NULL;
  const char *server_final = "v=Cd6okEeCt6wGpQtVeAru0zsR31eV3MOeA5zGL1FEY2A=";

  /* Python reference with password b"". */
  scram = exchange_to_final ("", "c=biws,r=" RFC_SERVER_NONCE
                                 ",p=zQ+8DXjnz/Tdr4lz7bTspl9WoZC0Fkorad/I1ND4ze0=");
  g_assert_true (
    fraise_scram_verify_server_final (scram, server_final, strlen (server_final), &error));
  g_assert_no_error (error);
  fraise_scram_free (scram);
}

/* ---- SCRAM: GS2 header and channel binding ------------------------------- */

static void
test_scram_gs2_not_offered (void)
{
  FraiseScram *scram;
  GError *error = NULL;

  scram =
    fraise_scram_new_with_nonce ("pencil", FRAISE_SCRAM_CB_NOT_OFFERED, NULL, 0, 0, RFC_NONCE);
  g_assert_cmpstr (fraise_scram_get_client_first (scram, NULL), ==, "y,,n=,r=" RFC_NONCE);
  /* base64 ("y,,") = "eSws"; proof from the Python reference. */
  g_assert_cmpstr (send_server_first (scram, RFC_SERVER_FIRST, &error), ==,
                   "c=eSws,r=" RFC_SERVER_NONCE ",p=VpuC5DGQa5ro9tXE9MnKs69NH1nxnuregZZcclqIGfM=");
  g_assert_no_error (error);
  fraise_scram_free (scram);
}

static void
test_scram_gs2_bound (void)
{
  static const guint8 cb[] = { 0x01, 0x02, 0x03, 0x04, 0xfe, 0xff };
  const char *server_final = "v=BJP6iC/REAJVO3fIgdUQy1oL+OWmd3fvpolDDcJGVvM=";
  FraiseScram *scram;
  GError *error = NULL;

  scram =
    fraise_scram_new_with_nonce ("pencil", FRAISE_SCRAM_CB_BOUND, cb, sizeof cb, 0, RFC_NONCE);
  g_assert_cmpstr (fraise_scram_get_client_first (scram, NULL), ==,
                   "p=tls-server-end-point,,n=,r=" RFC_NONCE);
  /* base64 ("p=tls-server-end-point,," 01 02 03 04 fe ff), from Python. */
  g_assert_cmpstr (send_server_first (scram, RFC_SERVER_FIRST, &error), ==,
                   "c=cD10bHMtc2VydmVyLWVuZC1wb2ludCwsAQIDBP7/,r=" RFC_SERVER_NONCE
                   ",p=8JKFEc8qsk1AqfVX0CZx9ZK+U3yfd8MzzR5z0O9kGNY=");
  g_assert_no_error (error);
  g_assert_true (
    fraise_scram_verify_server_final (scram, server_final, strlen (server_final), &error));
  g_assert_no_error (error);
  fraise_scram_free (scram);
}

/* ---- SCRAM: server-first-message validation -------------------------------- */

static void
test_scram_nonce_not_extending (void)
{
  assert_server_first_fails ("r=XXprNGfwEbeRWgbNEkqO%hvYDpWUa2,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                             "nonce mismatch");
  /* Shorter than ours, and a prefix of ours. */
  assert_server_first_fails ("r=rOprNG,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce mismatch");
}

static void
test_scram_nonce_equal (void)
{
  assert_server_first_fails ("r=" RFC_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce mismatch");
}

static void
test_scram_nonce_unprintable (void)
{
  assert_server_first_fails ("r=" RFC_NONCE "ab\x01,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                             "invalid nonce");
}

static void
test_scram_bad_salt (void)
{
  static const char *salts[] = { "", "!!!!", "abc", "ab=c", "a===", "W22ZaJ0SNY7soEsUEjb6gQ=" };

  for (gsize i = 0; i < G_N_ELEMENTS (salts); i++)
    {
      g_autofree char *message = g_strdup_printf ("r=%s,s=%s,i=4096", RFC_SERVER_NONCE, salts[i]);

      assert_server_first_fails (message, "invalid salt");
    }
}

static void
test_scram_bad_iterations (void)
{
  static const char *counts[] = { "0", "-1", "abc", "", "+5", " 4096", "4096 ", "0x10", "00" };

  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *message =
        g_strdup_printf ("r=%s,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=%s", RFC_SERVER_NONCE, counts[i]);

      assert_server_first_fails (message, "invalid iteration count");
    }
}

static void
test_scram_iterations_cap (void)
{
  gint64 start, elapsed;

  start = g_get_monotonic_time ();
  assert_server_first_fails (
    "r=" RFC_SERVER_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2147483647",
    "SCRAM iteration count 2147483647 from server exceeds the limit of 1000000");
  elapsed = g_get_monotonic_time () - start;
  /* A correctness bound (no PBKDF2 ran), not a benchmark. */
  g_assert_cmpint (elapsed, <, fraise_test_scaled (50 * G_TIME_SPAN_MILLISECOND));

  assert_server_first_fails ("r=" RFC_SERVER_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001",
                             "exceeds the limit of 1000000");
  /* Larger than any integer type: no overflow, shown truncated. */
  assert_server_first_fails ("r=" RFC_SERVER_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==,"
                             "i=123456789012345678901234567890",
                             "SCRAM iteration count 12345678901234567890… from server exceeds");
}

static void
test_scram_custom_cap (void)
{
  FraiseScram *scram;
  GError *error = NULL;

  scram = start_exchange ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 4095);
  g_assert_null (send_server_first (scram, RFC_SERVER_FIRST, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, "4096 from server exceeds the limit of 4095"));
  g_clear_error (&error);
  fraise_scram_free (scram);

  scram = start_exchange ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 4096);
  g_assert_cmpstr (send_server_first (scram, RFC_SERVER_FIRST, &error), ==, PG_CLIENT_FINAL);
  g_assert_no_error (error);
  fraise_scram_free (scram);
}

static void
test_scram_server_first_garbage (void)
{
  assert_server_first_fails (RFC_SERVER_FIRST ",x=1", "garbage at end");
  assert_server_first_fails (RFC_SERVER_FIRST ",", "garbage at end");
  assert_server_first_fails ("m=ext," RFC_SERVER_FIRST, "mandatory extension");
  assert_server_first_fails ("s=W22ZaJ0SNY7soEsUEjb6gQ==,r=" RFC_SERVER_NONCE ",i=4096",
                             "malformed SCRAM message");
  assert_server_first_fails ("r=" RFC_SERVER_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==",
                             "malformed SCRAM message");
  assert_server_first_fails ("", "malformed SCRAM message");
}

static void
test_scram_embedded_nul (void)
{
  FraiseScram *scram = start_exchange ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  GError *error = NULL;
  const char message[] = RFC_SERVER_FIRST "\0junk";

  g_assert_null (
    fraise_scram_handle_server_first (scram, message, sizeof message - 1, NULL, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  fraise_scram_free (scram);
}

/* ---- SCRAM: server-final-message ----------------------------------------- */

static void
test_scram_wrong_server_signature (void)
{
  /* First signature byte changed ('3' -> '4' in base64). */
  assert_server_final_fails ("v=4HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg=",
                             "incorrect server signature");
  /* The RFC signature (valid, but for another AuthMessage). */
  assert_server_final_fails (RFC_SERVER_FINAL, "incorrect server signature");
  /* Wrong length and invalid base64. */
  assert_server_final_fails ("v=AAAA", "invalid server signature");
  assert_server_final_fails ("v=!!!!", "invalid server signature");
  assert_server_final_fails ("v=", "invalid server signature");
}

static void
test_scram_server_final_error (void)
{
  assert_server_final_fails ("e=invalid-proof", "server reported error “invalid-proof”");
  /* Control characters from the server never reach the message. */
  assert_server_final_fails ("e=bad\x1b[2Jthing", "“bad?[2Jthing”");
}

static void
test_scram_server_final_garbage (void)
{
  assert_server_final_fails (PG_SERVER_FINAL ",x=1", "garbage at end");
  assert_server_final_fails ("x" PG_SERVER_FINAL, "malformed SCRAM message");
}

/* ---- SCRAM: call order ---------------------------------------------------- */

static void
test_scram_call_order (void)
{
  FraiseScram *scram;
  GError *error = NULL;
  gsize len = 99;

  /* Server-first before the client-first was taken. */
  scram = fraise_scram_new_with_nonce ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0, RFC_NONCE);
  g_assert_null (send_server_first (scram, RFC_SERVER_FIRST, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  fraise_scram_free (scram);

  /* Server-final before server-first. */
  scram = start_exchange ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  g_assert_false (
    fraise_scram_verify_server_final (scram, PG_SERVER_FINAL, strlen (PG_SERVER_FINAL), &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  fraise_scram_free (scram);

  /* Server-first twice; client-first after it; server-final twice. */
  scram = exchange_to_final ("pencil", PG_CLIENT_FINAL);
  g_assert_null (fraise_scram_get_client_first (scram, &len));
  g_assert_cmpuint (len, ==, 0);
  g_assert_null (send_server_first (scram, RFC_SERVER_FIRST, &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  fraise_scram_free (scram);

  scram = exchange_to_final ("pencil", PG_CLIENT_FINAL);
  g_assert_true (
    fraise_scram_verify_server_final (scram, PG_SERVER_FINAL, strlen (PG_SERVER_FINAL), &error));
  g_assert_false (
    fraise_scram_verify_server_final (scram, PG_SERVER_FINAL, strlen (PG_SERVER_FINAL), &error));
  g_assert_error (error, FRAISE_ERROR, FRAISE_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  g_assert_false (fraise_scram_is_complete (scram));
  fraise_scram_free (scram);
}

static void
test_scram_client_first_repeatable (void)
{
  FraiseScram *scram = start_exchange ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  const char *again = fraise_scram_get_client_first (scram, NULL);

  g_assert_cmpstr (again, ==, "n,,n=,r=" RFC_NONCE);
  fraise_scram_free (scram);
}

/* ---- SCRAM: random nonce -------------------------------------------------- */

static const char *
random_nonce_of (FraiseScram *scram)
{
  const char *first = fraise_scram_get_client_first (scram, NULL);

  g_assert_true (g_str_has_prefix (first, "n,,n=,r="));

  return first + strlen ("n,,n=,r=");
}

static void
test_scram_random_nonce (void)
{
  FraiseScram *a = fraise_scram_new ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  FraiseScram *b = fraise_scram_new ("pencil", FRAISE_SCRAM_CB_NONE, NULL, 0, 0);
  const char *nonce_a = random_nonce_of (a);
  const char *nonce_b = random_nonce_of (b);
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  g_assert_cmpuint (strlen (nonce_a), ==, 24);
  g_assert_cmpuint (strlen (nonce_b), ==, 24);
  g_assert_cmpstr (nonce_a, !=, nonce_b);
  raw = g_base64_decode (nonce_a, &raw_len);
  g_assert_cmpuint (raw_len, ==, FRAISE_SCRAM_NONCE_BYTES);

  fraise_scram_free (a);
  fraise_scram_free (b);
}

/* ---- SASLprep --------------------------------------------------------------- */

static void
assert_saslprep (const char *input, const char *expected)
{
  g_autofree char *output = fraise_saslprep (input);

  g_assert_cmpstr (output, ==, expected);
}

static void
test_saslprep_rfc4013_examples (void)
{
  assert_saslprep ("I\xc2\xad"
                   "X",
                   "IX"); /* U+00AD mapped to nothing */
  assert_saslprep ("user", "user");
  assert_saslprep ("USER", "USER");
  assert_saslprep ("\xc2\xaa", "a");      /* U+00AA, NFKC */
  assert_saslprep ("\xe2\x85\xa8", "IX"); /* U+2168 ROMAN NUMERAL NINE, NFKC */
  assert_saslprep ("\x07", NULL);         /* prohibited (C.2.1) */
  assert_saslprep ("\xd8\xa7"
                   "1",
                   NULL); /* U+0627 U+0031: bidi rule */
}

static void
test_saslprep_spaces (void)
{
  assert_saslprep ("a\xc2\xa0"
                   "b",
                   "a b"); /* U+00A0 */
  assert_saslprep ("a\xe3\x80\x80"
                   "b",
                   "a b"); /* U+3000 IDEOGRAPHIC SPACE */
  assert_saslprep ("a\xe2\x80\x8b"
                   "b",
                   "a b"); /* U+200B is in C.1.2 too */
  assert_saslprep ("a\xef\xbb\xbf"
                   "b",
                   "ab"); /* U+FEFF mapped to nothing */
}

static void
test_saslprep_ascii (void)
{
  assert_saslprep ("", "");
  assert_saslprep (" pass word~!", " pass word~!");
  assert_saslprep ("tab\there", NULL);
  assert_saslprep ("del\x7f", NULL);
}

static void
test_saslprep_rejects (void)
{
  assert_saslprep ("\xff", NULL);              /* invalid UTF-8 */
  assert_saslprep ("a\xc3", NULL);             /* truncated sequence */
  assert_saslprep ("\xc0\xaf", NULL);          /* overlong */
  assert_saslprep ("\xed\xa0\x80", NULL);      /* surrogate */
  assert_saslprep ("\xc2\xad", NULL);          /* empty after mapping */
  assert_saslprep ("a\xee\x80\x80", NULL);     /* U+E000 private use (C.3) */
  assert_saslprep ("a\xef\xb7\x90", NULL);     /* U+FDD0 non-character (C.4) */
  assert_saslprep ("a\xe2\x80\xae", NULL);     /* U+202E (C.8) */
  assert_saslprep ("a\xf3\xa0\x80\x81", NULL); /* U+E0001 tag (C.9) */
  assert_saslprep ("a\xc2\x85", NULL);         /* U+0085 (C.2.2) */
  assert_saslprep ("a\xc8\xa1", NULL);         /* U+0221 unassigned in Unicode 3.2 */
  assert_saslprep ("a\xcd\x80", NULL);         /* U+0340 (C.8) even though NFKC maps it */
}

static void
test_saslprep_bidi (void)
{
  /* U+0627 U+0031 U+0628: RandALCat at both ends, no LCat. */
  assert_saslprep ("\xd8\xa7"
                   "1"
                   "\xd8\xa8",
                   "\xd8\xa7"
                   "1"
                   "\xd8\xa8");
  /* Hebrew with a Latin letter (LCat). */
  assert_saslprep ("\xd7\x90"
                   "a"
                   "\xd7\x90",
                   NULL);
  /* Starts with a digit. */
  assert_saslprep ("1\xd7\x90", NULL);
}

static void
test_saslprep_nfkc (void)
{
  assert_saslprep ("\xef\xbc\xa1", "A");     /* U+FF21 FULLWIDTH A */
  assert_saslprep ("e\xcc\x81", "\xc3\xa9"); /* e + U+0301 -> U+00E9 */
  assert_saslprep ("\xef\xac\x81", "fi");    /* U+FB01 LIGATURE FI */
}

/* ---- MD5 ------------------------------------------------------------------------ */

static void
test_md5_password (void)
{
  static const guint8 salt[4] = { 0x01, 0x02, 0x03, 0x04 };
  char *hashed = fraise_md5_password ("alice", "secret", salt);

  /* python3 -c 'import hashlib; i = hashlib.md5(b"secretalice").hexdigest().encode();
   *   print("md5" + hashlib.md5(i + bytes([1, 2, 3, 4])).hexdigest())' */
  g_assert_cmpstr (hashed, ==, "md598a0412b9c31436fc53776e863350083");
  g_assert_cmpuint (strlen (hashed), ==, 35);
  fraise_secure_free_string (hashed);
}

static void
test_secure_wipe (void)
{
  char buffer[8] = "secret!";

  fraise_secure_wipe (buffer, sizeof buffer);
  for (gsize i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);

  fraise_secure_wipe (NULL, 10);
  fraise_secure_free_string (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scram/rfc7677-vector", test_scram_rfc7677_vector);
  g_test_add_func ("/scram/postgres-exchange", test_scram_postgres_exchange);
  g_test_add_func ("/scram/server-helper", test_scram_server_helper);
  g_test_add_func ("/scram/username-escaped", test_scram_username_escaped);
  g_test_add_func ("/scram/saslprep-applied", test_scram_saslprep_applied);
  g_test_add_func ("/scram/raw-password-fallback", test_scram_raw_password_fallback);
  g_test_add_func ("/scram/empty-password", test_scram_empty_password);
  g_test_add_func ("/scram/gs2-not-offered", test_scram_gs2_not_offered);
  g_test_add_func ("/scram/gs2-bound", test_scram_gs2_bound);
  g_test_add_func ("/scram/nonce-not-extending", test_scram_nonce_not_extending);
  g_test_add_func ("/scram/nonce-equal", test_scram_nonce_equal);
  g_test_add_func ("/scram/nonce-unprintable", test_scram_nonce_unprintable);
  g_test_add_func ("/scram/bad-salt", test_scram_bad_salt);
  g_test_add_func ("/scram/bad-iterations", test_scram_bad_iterations);
  g_test_add_func ("/scram/iterations-cap", test_scram_iterations_cap);
  g_test_add_func ("/scram/custom-cap", test_scram_custom_cap);
  g_test_add_func ("/scram/server-first-garbage", test_scram_server_first_garbage);
  g_test_add_func ("/scram/embedded-nul", test_scram_embedded_nul);
  g_test_add_func ("/scram/wrong-server-signature", test_scram_wrong_server_signature);
  g_test_add_func ("/scram/server-final-error", test_scram_server_final_error);
  g_test_add_func ("/scram/server-final-garbage", test_scram_server_final_garbage);
  g_test_add_func ("/scram/call-order", test_scram_call_order);
  g_test_add_func ("/scram/client-first-repeatable", test_scram_client_first_repeatable);
  g_test_add_func ("/scram/random-nonce", test_scram_random_nonce);
  g_test_add_func ("/saslprep/rfc4013-examples", test_saslprep_rfc4013_examples);
  g_test_add_func ("/saslprep/spaces", test_saslprep_spaces);
  g_test_add_func ("/saslprep/ascii", test_saslprep_ascii);
  g_test_add_func ("/saslprep/rejects", test_saslprep_rejects);
  g_test_add_func ("/saslprep/bidi", test_saslprep_bidi);
  g_test_add_func ("/saslprep/nfkc", test_saslprep_nfkc);
  g_test_add_func ("/md5/password", test_md5_password);
  g_test_add_func ("/auth/secure-wipe", test_secure_wipe);

  return g_test_run ();
}
