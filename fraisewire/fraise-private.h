/* fraise-private.h: helpers shared inside the library (not installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib/gi18n-lib.h>
#include "fraisewire.h"

G_BEGIN_DECLS

/* Server messages (ErrorResponse / NoticeResponse fields). */
FraiseServerMessage *_fraise_server_message_new (void);
/* Sets field @code to @len bytes of @value (a copy is kept; not NUL-terminated input is fine). */
void _fraise_server_message_set_field (FraiseServerMessage *message,
                                       char code,
                                       const char *value,
                                       gsize len);

/* Builds a FRAISE_ERROR carrying @message (may be NULL) as extended error data. */
GError *_fraise_error_new_with_message (FraiseError code,
                                        FraiseServerMessage *message,
                                        const char *format,
                                        ...) G_GNUC_PRINTF (3, 4);

/* Formats "<message> (SQLSTATE xxxxx)" plus detail/hint, for user-facing errors. */
char *_fraise_server_message_describe (const FraiseServerMessage *message);

/* What an error that PgBouncer wrote itself means and what to do
 * (translated), with the code it gets when it ends the start-up; NULL for
 * any other error (fraise-pooler-error.c). */
const char *_fraise_pooler_error_advice (const FraiseServerMessage *message, FraiseError *code);

/* Debug flags from FRAISE_DEBUG. */
typedef enum {
  FRAISE_DEBUG_PROTOCOL = 1 << 0,
  FRAISE_DEBUG_AUTH = 1 << 1,
  FRAISE_DEBUG_STREAM = 1 << 2,
  FRAISE_DEBUG_CONNECTION = 1 << 3,
} FraiseDebugFlags;

guint _fraise_debug_flags (void);

#define FRAISE_NOTE_ENABLED(flag) (G_UNLIKELY (_fraise_debug_flags () & FRAISE_DEBUG_##flag))

#define FRAISE_NOTE(flag, ...)                                                                     \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (G_UNLIKELY (_fraise_debug_flags () & FRAISE_DEBUG_##flag))                                 \
      g_log_structured_standard (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, __FILE__,                        \
                                 G_STRINGIFY (__LINE__), G_STRFUNC, __VA_ARGS__);                  \
  }                                                                                                \
  G_STMT_END

void _fraise_ensure_i18n (void);

/* Parse errors (fraise-parse-error.c). A positioned FRAISE_PARSE_ERROR: the
 * message is "line:column: <reason>" (for an expression "column N: <reason>")
 * followed by the line of text with a caret under @offset (a byte offset
 * into @text; @len -1 for a NUL-terminated text). The reason alone and the
 * position stay available as extended error data. */
GError *_fraise_parse_error_new (
  FraiseParseError code, const char *text, gssize len, gsize offset, const char *format, ...)
  G_GNUC_PRINTF (5, 6);
GError *_fraise_parse_error_new_in_expression (FraiseParseError code,
                                               const char *expression,
                                               gsize offset,
                                               const char *format,
                                               ...) G_GNUC_PRINTF (4, 5);
/* The message without position and excerpt (the whole message for other errors). */
const char *_fraise_parse_error_get_reason (const GError *error);
/* The candidate nearest to @word (edit distance, ignoring ASCII case), or
 * NULL when none is close: for "did you mean …?". */
const char *_fraise_suggest_name (const char *word, const char *const *candidates);

G_END_DECLS

G_BEGIN_DECLS

/* Replaces *@str with a copy of @new_str; returns whether it changed
 * (g_set_str arrived only in GLib 2.76). */
static inline gboolean
_fraise_set_str (char **str, const char *new_str)
{
  if (*str == new_str || g_strcmp0 (*str, new_str) == 0)
    return FALSE;
  g_free (*str);
  *str = g_strdup (new_str);
  return TRUE;
}

G_END_DECLS
