/* fraise-json-private.h: fast, strict JSON parsing and path lookup (no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two entry points over the JSON text of a row (PostgreSQL json/jsonb output):
 *
 * - fraise_json_parse() builds an immutable (sealed) JsonNode tree. It is a
 *   strict RFC 8259 parser: no trailing garbage, no leading zeros, no NaN or
 *   Infinity, no control characters or invalid UTF-8 in strings, a nesting
 *   limit, and an explicit stack (no recursion, whatever the input).
 *
 * - fraise_json_lookup() finds the value at a path without building a tree:
 *   it skips the values it does not need (strings with memchr, containers by
 *   counting brackets) and validates only what it returns. It never reads
 *   past @len. Use fraise_json_parse() when the whole document must be valid.
 *
 * Conventions shared by both:
 *
 * - Duplicate object keys: the last one wins (as in json-glib and jsonb);
 *   the member keeps the position of its first occurrence in the tree.
 * - Strings: "\u0000" and unpaired UTF-16 surrogates ("\ud800" alone, a low
 *   surrogate alone) decode to U+FFFD REPLACEMENT CHARACTER: the json type of
 *   PostgreSQL stores such escapes verbatim, and a C string can hold neither.
 * - Numbers: an integer that fits in gint64 is an int node; anything else (a
 *   fraction, an exponent, or an integer out of range) is a double node
 *   holding the nearest double (±infinity beyond the double range). The
 *   exact text stays available through fraise_json_get_number_text().
 * - Depth: the number of nested objects/arrays. @max_depth 0 means
 *   %FRAISE_JSON_DEFAULT_MAX_DEPTH; values above %FRAISE_JSON_MAX_DEPTH_LIMIT
 *   are clamped to it (json-glib seals and frees trees recursively).
 * - Errors: %FRAISE_ERROR_JSON, "invalid JSON at byte N: <reason>" or
 *   "JSON nesting depth exceeds N (at byte M)", for malformed text;
 *   %FRAISE_ERROR_CONFIG for a malformed path; %FRAISE_ERROR_DESERIALIZATION
 *   when a value exists but has the wrong type (typed helpers).
 */

#pragma once

#include "fraise-private.h"

G_BEGIN_DECLS

#define FRAISE_JSON_DEFAULT_MAX_DEPTH 512
#define FRAISE_JSON_MAX_DEPTH_LIMIT 4096

typedef enum {
  FRAISE_JSON_TYPE_NULL,
  FRAISE_JSON_TYPE_BOOLEAN,
  FRAISE_JSON_TYPE_NUMBER,
  FRAISE_JSON_TYPE_STRING,
  FRAISE_JSON_TYPE_OBJECT,
  FRAISE_JSON_TYPE_ARRAY,
} FraiseJsonType;

/* A value inside a JSON text: the raw token span [start, start + len),
 * quotes included for strings, brackets included for containers. It points
 * into the text given to fraise_json_lookup() and lives as long as it does. */
typedef struct {
  FraiseJsonType type;
  const char *start;
  gsize len;
} FraiseJsonValue;

/* Parses @len bytes of @text (no NUL needed) into a sealed tree, or returns
 * NULL and sets @error. Free with json_node_unref(). */
JsonNode *fraise_json_parse (const char *text, gsize len, guint max_depth, GError **error);

/* Path syntax: keys separated by '.', array indexes in brackets:
 * "status", "address.city", "tags[0]", "a.b[2].c", "[3].id"; "" is the
 * whole document. Keys are compared after decoding escapes in the text
 * (byte-wise, no Unicode normalization); a key cannot contain '.' or '['.
 *
 * Returns TRUE and fills @out when the value exists; FALSE without @error
 * when it does not (missing key, index out of range, or a step through a
 * scalar); FALSE with @error when the path is malformed or the text is not
 * valid JSON where it had to be read. Depth limit: FRAISE_JSON_DEFAULT_MAX_DEPTH. */
gboolean fraise_json_lookup (
  const char *text, gsize len, const char *path, FraiseJsonValue *out, GError **error);

/* Same, with an explicit depth limit (0: the default). */
gboolean fraise_json_lookup_full (const char *text,
                                  gsize len,
                                  const char *path,
                                  guint max_depth,
                                  FraiseJsonValue *out,
                                  GError **error);

/* A pre-split path step, for keys that the path syntax cannot spell (keys
 * with '.' or '[', decoded once by the caller): @key (@key_len bytes, no
 * escapes: compared with the decoded keys of the text) or, when @key is
 * NULL, the array index @index. */
typedef struct {
  const char *key;
  gsize key_len;
  gsize index;
} FraiseJsonStep;

/* fraise_json_lookup_full() with the path given as @n_steps steps (0: the
 * whole document); same scanner, same results. */
gboolean fraise_json_lookup_steps (const char *text,
                                   gsize len,
                                   const FraiseJsonStep *steps,
                                   gsize n_steps,
                                   guint max_depth,
                                   FraiseJsonValue *out,
                                   GError **error);

/* The elements of an array found by a lookup in @text, one by one. The
 * lookup only skimmed the array; the iterator checks the syntax between
 * elements and returns each as a span (a container element is skimmed in
 * turn). Errors (%FRAISE_ERROR_JSON) give offsets in @text. */
typedef struct {
  const char *text;
  gsize len;
  const char *pos;  /* the next element, or the closing bracket */
  gboolean started; /* a separator comes before the next element */
} FraiseJsonArrayIter;

void fraise_json_array_iter_init (FraiseJsonArrayIter *iter,
                                  const char *text,
                                  gsize len,
                                  const FraiseJsonValue *array);
/* TRUE with @out filled, FALSE at the end (@error unset) or on malformed
 * text (@error set). */
gboolean
fraise_json_array_iter_next (FraiseJsonArrayIter *iter, FraiseJsonValue *out, GError **error);

/* Reads the string @value found in @text strictly (escapes, UTF-8, control
 * characters) without a copy when it has no escapes: *@out points into
 * @text, or into @scratch (reset) where escapes were decoded. Conventions
 * as for the tree: "\u0000" and unpaired surrogates become U+FFFD. */
gboolean fraise_json_value_read_string (const char *text,
                                        gsize len,
                                        const FraiseJsonValue *value,
                                        GString *scratch,
                                        const char **out,
                                        gsize *out_len,
                                        GError **error);

/* Compares two valid JSON number texts as exact decimals (sign, digits,
 * fraction and exponent; never through a double, whatever the size of the
 * exponent): <0, 0 or >0. "1", "1.0" and "10e-1" are equal. */
int fraise_json_number_compare (const char *a, gsize a_len, const char *b, gsize b_len);

/* A path parsed once, for the lookups of many rows; NULL and
 * %FRAISE_ERROR_CONFIG when it is malformed. */
typedef struct _FraiseJsonPath FraiseJsonPath;
FraiseJsonPath *fraise_json_path_new (const char *path, GError **error);
void fraise_json_path_free (FraiseJsonPath *path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseJsonPath, fraise_json_path_free)

/* Looks up @n_paths paths at once: an object document is read once, to its
 * end, and each path continues from the last member named like its first
 * segment (a document of another kind is looked up path by path). Sets
 * @found[i], and @out[i] when it is TRUE. Returns FALSE with @error when the
 * text is not valid JSON where it had to be read; unlike
 * fraise_json_lookup(), text after an object document is such an error. */
gboolean fraise_json_lookup_paths (const char *text,
                                   gsize len,
                                   FraiseJsonPath *const *paths,
                                   gsize n_paths,
                                   FraiseJsonValue *out,
                                   gboolean *found,
                                   GError **error);

/* The exact source text of the number at @path (for big integers and long
 * decimals), or NULL with %FRAISE_ERROR_DESERIALIZATION when there is no
 * value there or it is not a number (or another error, as for lookup). */
char *fraise_json_get_number_text (const char *text, gsize len, const char *path, GError **error);

/* Typed accessors for a looked-up value. Each fails with
 * %FRAISE_ERROR_DESERIALIZATION when the value has another type, and
 * %FRAISE_ERROR_JSON when a string is malformed. */
char *fraise_json_value_dup_string (const FraiseJsonValue *value, GError **error);
/* Integers only (no fraction or exponent), within the gint64 range. */
gboolean fraise_json_value_get_int (const FraiseJsonValue *value, gint64 *out, GError **error);
/* Any number; ±infinity beyond the double range. */
gboolean fraise_json_value_get_double (const FraiseJsonValue *value, double *out, GError **error);
gboolean
fraise_json_value_get_boolean (const FraiseJsonValue *value, gboolean *out, GError **error);

/* Strict RFC 8259 check of @len bytes of @text, as fraise_json_parse()
 * would do it, without building a tree: TRUE, or FALSE with the same
 * %FRAISE_ERROR_JSON messages. */
gboolean fraise_json_check (const char *text, gsize len, guint max_depth, GError **error);

/* Strict check of a value fraise_json_lookup() found in @text (which the
 * lookup only skimmed when it is a string or a container), with positions
 * in messages counted from the start of @text. Depth: the default limit,
 * counted from the value. */
gboolean fraise_json_value_check (const char *text, const FraiseJsonValue *value, GError **error);

/* "null", "boolean", "number", "string", "object", "array". */
const char *fraise_json_type_to_string (FraiseJsonType type);

G_END_DECLS
