#!/usr/bin/env python3
"""Writes a small solid-colour PNG (the sample apps' launcher icons).

Usage: make_png.py OUT SIZE RRGGBB
"""
import struct
import sys
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    out, size, colour = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
    row = b"\x00" + colour * size
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(row * size, 9))
    png += chunk(b"IEND", b"")
    with open(out, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
