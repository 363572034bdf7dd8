/* fraise-tool-json.c: JSON text for the command-line tools' machine-readable output
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fraise-tool-json.h"

#include <fraisewire/fraisewire.h>
#include <math.h>

void
fraise_tool_json_string (GString *out, const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, g_ascii_dtostr (buf, sizeof buf, value));
}

/* A dictionary entry {key, value}: the key as a JSON string. */
static void
json_dict_entry (GString *out, GVariant *entry)
{
  g_autoptr (GVariant) key = g_variant_get_child_value (entry, 0);
  g_autoptr (GVariant) value = g_variant_get_child_value (entry, 1);

  if (g_variant_is_of_type (key, G_VARIANT_TYPE_STRING))
    fraise_tool_json_string (out, g_variant_get_string (key, NULL));
  else
    {
      g_autofree char *text = g_variant_print (key, FALSE);
      fraise_tool_json_string (out, text);
    }
  g_string_append_c (out, ':');
  fraise_tool_json_variant (out, value);
}

static void
json_container (GString *out, GVariant *value)
{
  gboolean dict =
    g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value))) &&
    g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY);
  gsize n = g_variant_n_children (value);

  g_string_append_c (out, dict ? '{' : '[');
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (value, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (dict)
        json_dict_entry (out, child);
      else
        fraise_tool_json_variant (out, child);
    }
  g_string_append_c (out, dict ? '}' : ']');
}

void
fraise_tool_json_variant (GString *out, GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      break;
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      break;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      break;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      break;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (out, "%" G_GINT32_FORMAT, g_variant_get_int32 (value));
      break;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (out, "%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
      break;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      break;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      break;
    case G_VARIANT_CLASS_DOUBLE:
      json_double (out, g_variant_get_double (value));
      break;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      fraise_tool_json_string (out, g_variant_get_string (value, NULL));
      break;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr (GVariant) inner = g_variant_get_variant (value);
        fraise_tool_json_variant (out, inner);
      }
      break;
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr (GVariant) inner = g_variant_get_maybe (value);

        if (inner == NULL)
          g_string_append (out, "null");
        else
          fraise_tool_json_variant (out, inner);
      }
      break;
    case G_VARIANT_CLASS_ARRAY:
    case G_VARIANT_CLASS_TUPLE:
      json_container (out, value);
      break;
    default:
      {
        g_autofree char *text = g_variant_print (value, FALSE);
        fraise_tool_json_string (out, text);
      }
    }
}

void
fraise_tool_json_error (GString *out, const GError *error)
{
  gsize offset;
  guint line, column;

  g_string_append (out, "{\"domain\":");
  fraise_tool_json_string (out, g_quark_to_string (error->domain));
  g_string_append_printf (out, ",\"code\":%d,\"message\":", error->code);
  fraise_tool_json_string (out, error->message);
  if (fraise_parse_error_get_position (error, &offset, &line, &column))
    g_string_append_printf (
      out, ",\"position\":{\"offset\":%" G_GSIZE_FORMAT ",\"line\":%u,\"column\":%u}", offset, line,
      column);
  g_string_append_c (out, '}');
}
