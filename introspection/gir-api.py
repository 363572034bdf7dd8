#!/usr/bin/env python3
# gir-api.py: the public API of a GIR file, without documentation or source positions
#
#   gir-api.py GIR                 print the API
#   gir-api.py GIR SNAPSHOT        exit 1 with a diff when they differ
#
# The snapshot of the Fraise API is introspection/Fraise-1.0.api; refresh it
# after a deliberate API change with:
#   /usr/bin/python3 introspection/gir-api.py build/introspection/Fraise-1.0.gir > introspection/Fraise-1.0.api
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import difflib
import sys
import xml.etree.ElementTree as ET

CORE = "{http://www.gtk.org/introspection/core/1.0}"
DROPPED = {"doc", "doc-version", "doc-deprecated", "doc-stability", "source-position"}


def strip(element):
    for child in list(element):
        if child.tag.replace(CORE, "") in DROPPED:
            element.remove(child)
        else:
            strip(child)


def render(element, depth=0):
    tag = element.tag.replace(CORE, "").split("}")[-1]
    attributes = " ".join(f'{key.split("}")[-1]}="{value}"' for key, value in sorted(element.attrib.items()))
    lines = ["  " * depth + f"<{tag}{' ' if attributes else ''}{attributes}>"]
    for child in element:
        lines.extend(render(child, depth + 1))
    return lines


def api_lines(path):
    root = ET.parse(path).getroot()
    strip(root)
    return [line + "\n" for line in render(root)]


def main():
    current = api_lines(sys.argv[1])
    if len(sys.argv) == 2:
        sys.stdout.writelines(current)
        return 0
    with open(sys.argv[2], encoding="utf-8") as snapshot_file:
        snapshot = snapshot_file.readlines()
    if current == snapshot:
        print("the generated API matches the snapshot")
        return 0
    sys.stdout.writelines(difflib.unified_diff(snapshot, current, sys.argv[2], sys.argv[1]))
    print("\nthe API changed: if that is deliberate, refresh the snapshot with\n"
          "  /usr/bin/python3 introspection/gir-api.py build/introspection/Fraise-1.0.gir"
          " > introspection/Fraise-1.0.api")
    return 1


if __name__ == "__main__":
    sys.exit(main())
