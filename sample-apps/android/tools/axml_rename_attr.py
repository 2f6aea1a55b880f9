#!/usr/bin/env python3
"""Rename an android: attribute in a compiled (binary XML) AndroidManifest.xml.

Why: Debian's aapt (1:10.0.0) links against the API 29 framework, which does
not know attributes added later, e.g. android:dataExtractionRules (API 31,
resource id 0x0101063e). The sample manifests therefore use a placeholder
attribute that API 29 knows and that takes the same kind of value (a resource
reference), and this script turns it into the real attribute afterwards:

  * the placeholder's name in the string pool is replaced by the new name,
  * its entry in the resource-id map is replaced by the new id,
  * the attributes of every element are re-sorted by resource id, as the
    platform expects (it walks them in parallel with the sorted attr list).

Usage: axml_rename_attr.py APK OLD_NAME NEW_NAME NEW_ID_HEX
The APK is rewritten in place (only AndroidManifest.xml changes).
"""
import struct
import sys
import zipfile

RES_XML = 0x0003
RES_STRING_POOL = 0x0001
RES_XML_RESOURCE_MAP = 0x0180
RES_XML_START_ELEMENT = 0x0102
UTF8_FLAG = 0x100


def read_pool(data, off):
    _t, hsize, size, count, styles, flags, sstart, _ystart = struct.unpack_from("<HHIIIIII", data, off)
    if styles:
        raise SystemExit("string pools with styles are not supported")
    offsets = struct.unpack_from("<%dI" % count, data, off + hsize)
    utf8 = bool(flags & UTF8_FLAG)
    strings = []
    for o in offsets:
        p = off + sstart + o
        if utf8:
            n = data[p]
            p += 2 if n & 0x80 else 1
            n = data[p]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | data[p + 1]
                p += 2
            else:
                p += 1
            strings.append(data[p:p + n].decode("utf-8"))
        else:
            (n,) = struct.unpack_from("<H", data, p)
            p += 2
            if n & 0x8000:
                (lo,) = struct.unpack_from("<H", data, p)
                n = ((n & 0x7FFF) << 16) | lo
                p += 2
            strings.append(data[p:p + 2 * n].decode("utf-16-le"))
    return strings, flags, size


def write_pool(strings, flags):
    utf8 = bool(flags & UTF8_FLAG)
    body = bytearray()
    offsets = []
    for s in strings:
        offsets.append(len(body))
        if utf8:
            b = s.encode("utf-8")
            for n in (len(s), len(b)):
                body += bytes([0x80 | (n >> 8), n & 0xFF]) if n > 0x7F else bytes([n])
            body += b + b"\0"
        else:
            b = s.encode("utf-16-le")
            n = len(b) // 2
            body += struct.pack("<HH", 0x8000 | (n >> 16), n & 0xFFFF) if n > 0x7FFF else struct.pack("<H", n)
            body += b + b"\0\0"
    while len(body) % 4:
        body += b"\0"
    hsize = 28
    sstart = hsize + 4 * len(strings)
    size = sstart + len(body)
    head = struct.pack("<HHIIIIII", RES_STRING_POOL, hsize, size, len(strings), 0, flags, sstart, 0)
    return head + struct.pack("<%dI" % len(strings), *offsets) + bytes(body)


def patch(axml, old, new, new_id):
    t, hsize, total = struct.unpack_from("<HHI", axml, 0)
    if t != RES_XML:
        raise SystemExit("not a binary XML file")
    off = hsize
    out = bytearray(axml[:hsize])
    ids = None
    index = None
    while off < total:
        ct, chs, csize = struct.unpack_from("<HHI", axml, off)
        chunk = bytearray(axml[off:off + csize])
        if ct == RES_STRING_POOL:
            strings, flags, _ = read_pool(axml, off)
            if old not in strings:
                raise SystemExit("attribute %r not in the string pool" % old)
            index = strings.index(old)
            strings[index] = new
            chunk = bytearray(write_pool(strings, flags))
        elif ct == RES_XML_RESOURCE_MAP:
            n = (csize - chs) // 4
            ids = list(struct.unpack_from("<%dI" % n, chunk, chs))
            if index is None or index >= n:
                raise SystemExit("placeholder attribute has no resource id")
            ids[index] = new_id
            struct.pack_into("<%dI" % n, chunk, chs, *ids)
        elif ct == RES_XML_START_ELEMENT:
            # ResXMLTree_attrExt: ns, name, attributeStart, attributeSize,
            # attributeCount, idIndex, classIndex, styleIndex
            ext = chs
            astart, asize, acount = struct.unpack_from("<HHH", chunk, ext + 8)
            attrs = [bytes(chunk[ext + astart + i * asize: ext + astart + (i + 1) * asize]) for i in range(acount)]

            def key(a):
                (name,) = struct.unpack_from("<I", a, 4)
                return ids[name] if ids and name < len(ids) else 0xFFFFFFFF

            ordered = sorted(attrs, key=key)
            if ordered != attrs:
                special = struct.unpack_from("<HHH", chunk, ext + 14)
                if any(special):
                    raise SystemExit("re-sorting elements with id/class/style attributes is not supported")
                for i, a in enumerate(ordered):
                    chunk[ext + astart + i * asize: ext + astart + (i + 1) * asize] = a
        out += chunk
        off += csize
    struct.pack_into("<I", out, 4, len(out))
    return bytes(out)


def main():
    apk, old, new, new_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 16)
    with zipfile.ZipFile(apk) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(apk, "w") as z:
        for info, data in entries:
            if info.filename == "AndroidManifest.xml":
                data = patch(data, old, new, new_id)
            z.writestr(info, data)


if __name__ == "__main__":
    main()
