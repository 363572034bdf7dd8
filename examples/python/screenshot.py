# screenshot.py: save the X screen (or its top-left corner) as a PNG
#
# GTK 4.8's Python bindings cannot hand a render node to the renderer, so the
# example's window is captured from the X server with xwd (x11-apps) and the
# XWD image converted here with the standard library only.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import struct
import subprocess
import zlib

XWD_HEADER_FIELDS = 25


def _channel(pixel, mask):
    shift = (mask & -mask).bit_length() - 1
    return ((pixel & mask) >> shift) * 255 // (mask >> shift)


def _xwd_to_rgb(data, width, height):
    fields = struct.unpack(">25I", data[:4 * XWD_HEADER_FIELDS])
    header_size, _version, pixmap_format, _depth, full_width, full_height = fields[:6]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    red_mask, green_mask, blue_mask, ncolors = fields[14], fields[15], fields[16], fields[19]
    if pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError(f"only 24- and 32-bit ZPixmap XWD images are supported (format "
                         f"{pixmap_format}, {bits_per_pixel} bits per pixel)")
    width, height = min(width, full_width), min(height, full_height)
    offset = header_size + 12 * ncolors
    step = bits_per_pixel // 8
    order = "little" if byte_order == 0 else "big"
    rows = []
    for y in range(height):
        line = bytearray(b"\x00")  # PNG filter type: none
        start = offset + y * bytes_per_line
        for x in range(width):
            pixel = int.from_bytes(data[start + step * x:start + step * (x + 1)], order)
            line += bytes((_channel(pixel, red_mask), _channel(pixel, green_mask),
                           _channel(pixel, blue_mask)))
        rows.append(bytes(line))
    return width, height, b"".join(rows)


def _png_chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def save_screen(path, width, height, display=None):
    """Captures the top-left width×height pixels of the X screen into a PNG file."""
    command = ["xwd", "-root", "-silent"]
    if display:
        command += ["-display", display]
    data = subprocess.run(command, check=True, capture_output=True).stdout
    width, height, pixels = _xwd_to_rgb(data, width, height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as png:
        png.write(b"\x89PNG\r\n\x1a\n")
        png.write(_png_chunk(b"IHDR", header))
        png.write(_png_chunk(b"IDAT", zlib.compress(pixels, 9)))
        png.write(_png_chunk(b"IEND", b""))
    return width, height
