#!/usr/bin/env python3
"""Signs a thin 64-bit Mach-O the way codesign lays a signature out, for the
DepthChat sample (no Xcode, no rcodesign on the build machine).

The binary must have been linked with `ld64.lld-14 -adhoc_codesign`, so it
already has an LC_CODE_SIGNATURE at the end of __LINKEDIT; that signature
is replaced by an embedded SuperBlob (0xfade0cc0) with:
  slot 0       CodeDirectory 0x20400 (SHA-256, 4 KiB pages) with signing
               identifier and team id
  slot 2       an empty requirements set
  slot 5/7     XML and DER entitlements (with --entitlements)
  slot 0x10000 a CMS signature of the CodeDirectory (openssl cms -sign with
               the given throw-away certificate; not trusted by any device)
Load commands are updated first (LC_CODE_SIGNATURE size, __LINKEDIT sizes),
then the pages are hashed, as Apple's tools do.

Usage: sign-macho.py BINARY IDENTIFIER TEAM_ID CERT_PEM KEY_PEM
                     [--info-plist FILE] [--entitlements PLIST]
"""
import argparse
import hashlib
import plistlib
import struct
import subprocess
import sys
import tempfile

LC_SEGMENT_64 = 0x19
LC_CODE_SIGNATURE = 0x1D
MH_EXECUTE = 2
PAGE = 4096
CMS_RESERVE = 8192  # room for the CMS blob, fixed before the pages are hashed


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def der_value(v):
    """A plist value in Apple's DER entitlements encoding."""
    if isinstance(v, bool):
        return tlv(0x01, b"\xff" if v else b"\x00")
    if isinstance(v, int):
        return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))
    if isinstance(v, str):
        return tlv(0x0C, v.encode())
    if isinstance(v, list):
        return tlv(0x30, b"".join(der_value(x) for x in v))
    if isinstance(v, dict):
        return der_dict(v)
    raise SystemExit(f"sign-macho.py: entitlement value {v!r} has no DER form here")


def der_dict(d):
    entries = b"".join(tlv(0x30, tlv(0x0C, k.encode()) + der_value(d[k])) for k in sorted(d))
    return tlv(0xB0, entries)  # [CONTEXT 16] constructed


def der_entitlements(d):
    return tlv(0x70, tlv(0x02, b"\x01") + der_dict(d))  # [APPLICATION 16] { 1, dict }


def blob(magic, body):
    return struct.pack(">II", magic, len(body) + 8) + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("identifier")
    ap.add_argument("team")
    ap.add_argument("cert")
    ap.add_argument("key")
    ap.add_argument("--info-plist")
    ap.add_argument("--entitlements")
    a = ap.parse_args()

    data = bytearray(open(a.binary, "rb").read())
    magic, _cpu, _sub, filetype, ncmds, _size, _flags, _res = struct.unpack_from("<8I", data, 0)
    if magic != 0xFEEDFACF:
        sys.exit(f"sign-macho.py: {a.binary}: not a thin 64-bit little-endian Mach-O")
    off = 32
    sig_cmd = linkedit = text = None
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, off)
        if cmd == LC_CODE_SIGNATURE:
            sig_cmd = off
        elif cmd == LC_SEGMENT_64:
            name = data[off + 8 : off + 24].rstrip(b"\0")
            if name == b"__LINKEDIT":
                linkedit = off
            elif name == b"__TEXT":
                text = off
        off += size
    if sig_cmd is None or linkedit is None or text is None:
        sys.exit(f"sign-macho.py: {a.binary}: no LC_CODE_SIGNATURE (link with -adhoc_codesign)")
    dataoff, _old = struct.unpack_from("<II", data, sig_cmd + 8)
    del data[dataoff:]
    code_limit = dataoff

    special = {}  # slot -> blob bytes hashed into the directory
    requirements = blob(0xFADE0C01, struct.pack(">I", 0))
    special[2] = requirements
    blobs = [(2, requirements)]
    if a.entitlements:
        ents = plistlib.load(open(a.entitlements, "rb"))
        xml = blob(0xFADE7171, plistlib.dumps(ents, fmt=plistlib.FMT_XML))
        der = blob(0xFADE7172, der_entitlements(ents))
        special[5], special[7] = xml, der
        blobs += [(5, xml), (7, der)]
    info_hash = hashlib.sha256(open(a.info_plist, "rb").read()).digest() if a.info_plist else None
    n_special = max(special) if special else 0
    if info_hash:
        n_special = max(n_special, 1)
    n_code = (code_limit + PAGE - 1) // PAGE
    ident = a.identifier.encode() + b"\0"
    team = a.team.encode() + b"\0"
    header = 88
    ident_off = header
    team_off = ident_off + len(ident)
    hash_off = team_off + len(team) + 32 * n_special
    cd_len = hash_off + 32 * n_code

    index_len = 12 + 8 * (len(blobs) + 2)
    body_len = cd_len + sum(len(b) for _, b in blobs)
    sig_size = (index_len + body_len + CMS_RESERVE + 15) // 16 * 16

    # Load commands first: the page hashes cover them.
    struct.pack_into("<II", data, sig_cmd + 8, dataoff, sig_size)
    le_fileoff, le_filesize = struct.unpack_from("<QQ", data, linkedit + 40)
    le_filesize = dataoff + sig_size - le_fileoff
    le_vmsize = (le_filesize + 0x3FFF) // 0x4000 * 0x4000
    struct.pack_into("<Q", data, linkedit + 32, le_vmsize)
    struct.pack_into("<Q", data, linkedit + 48, le_filesize)
    text_filesize = struct.unpack_from("<Q", data, text + 48)[0]

    hashes = b""
    for slot in range(n_special, 0, -1):
        if slot == 1 and info_hash:
            hashes += info_hash
        elif slot in special:
            hashes += hashlib.sha256(special[slot]).digest()
        else:
            hashes += b"\0" * 32
    for p in range(n_code):
        hashes += hashlib.sha256(data[p * PAGE : min((p + 1) * PAGE, code_limit)]).digest()
    exec_flags = 1 if filetype == MH_EXECUTE else 0
    cd = struct.pack(
        ">9I4BI3IQQQQ",
        0xFADE0C02, cd_len, 0x20400, 0, hash_off, ident_off, n_special, n_code, code_limit,
        32, 2, 0, 12, 0,  # hash size, SHA-256, platform, log2 page size; spare2
        0, team_off, 0, 0,  # scatter, team, spare3, codeLimit64
        0, text_filesize, exec_flags,
    )
    assert len(cd) == header
    cd += ident + team + hashes
    assert len(cd) == cd_len

    with tempfile.NamedTemporaryFile() as f:
        f.write(cd)
        f.flush()
        cms = subprocess.run(
            ["openssl", "cms", "-sign", "-binary", "-noattr", "-outform", "DER", "-in", f.name,
             "-signer", a.cert, "-inkey", a.key, "-md", "sha256"],
            check=True, capture_output=True,
        ).stdout
    cms_blob = blob(0xFADE0B01, cms)
    entries = [(0, cd)] + blobs + [(0x10000, cms_blob)]
    index = b""
    body = b""
    at = 12 + 8 * len(entries)
    for slot, b in entries:
        index += struct.pack(">II", slot, at + len(body))
        body += b
    sb = struct.pack(">III", 0xFADE0CC0, at + len(body), len(entries)) + index + body
    if len(sb) > sig_size:
        sys.exit(f"sign-macho.py: {a.binary}: signature of {len(sb)} bytes exceeds the {sig_size} reserved")
    data += sb + b"\0" * (sig_size - len(sb))
    open(a.binary, "wb").write(data)


if __name__ == "__main__":
    main()
