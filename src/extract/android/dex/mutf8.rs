//! Modified UTF-8 (MUTF-8) as used by DEX string data.
//!
//! MUTF-8 differs from UTF-8 in two ways: U+0000 is written as the two bytes
//! `C0 80`, and characters outside the BMP are written as two 3-byte encoded
//! UTF-16 surrogates. Decoding goes through UTF-16 so that surrogate pairs
//! join; malformed bytes and lone surrogates become U+FFFD.

/// Decodes MUTF-8 `bytes` to a `String`, replacing anything invalid with U+FFFD.
pub fn decode_mutf8(bytes: &[u8]) -> String {
    if bytes.is_ascii() {
        // ASCII is identical in MUTF-8 and UTF-8.
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0usize;
    while let Some(&b0) = bytes.get(i) {
        let cont = |k: usize| bytes.get(i + k).copied().filter(|b| b & 0xC0 == 0x80);
        if b0 < 0x80 {
            units.push(u16::from(b0));
            i += 1;
        } else if b0 & 0xE0 == 0xC0 {
            match cont(1) {
                Some(b1) => {
                    units.push((u16::from(b0 & 0x1F) << 6) | u16::from(b1 & 0x3F));
                    i += 2;
                }
                None => {
                    units.push(0xFFFD);
                    i += 1;
                }
            }
        } else if b0 & 0xF0 == 0xE0 {
            match (cont(1), cont(2)) {
                (Some(b1), Some(b2)) => {
                    units.push(
                        (u16::from(b0 & 0x0F) << 12)
                            | (u16::from(b1 & 0x3F) << 6)
                            | u16::from(b2 & 0x3F),
                    );
                    i += 3;
                }
                _ => {
                    units.push(0xFFFD);
                    i += 1;
                }
            }
        } else {
            // 4-byte UTF-8 forms and stray continuation bytes are not MUTF-8.
            units.push(0xFFFD);
            i += 1;
        }
    }
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::decode_mutf8;

    #[test]
    fn ascii_passes_through() {
        assert_eq!(decode_mutf8(b"Lcom/foo/Bar;"), "Lcom/foo/Bar;");
    }

    #[test]
    fn two_and_three_byte_forms() {
        // "ä" (C3 A4) and "€" (E2 82 AC) are the same as in UTF-8.
        assert_eq!(decode_mutf8("ä€".as_bytes()), "ä€");
    }

    #[test]
    fn encoded_nul() {
        assert_eq!(decode_mutf8(&[b'a', 0xC0, 0x80, b'b']), "a\0b");
    }

    #[test]
    fn surrogate_pair_joins() {
        // U+1F600 as UTF-16 D83D DE00, each surrogate 3-byte encoded.
        let bytes = [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80];
        assert_eq!(decode_mutf8(&bytes), "\u{1F600}");
    }

    #[test]
    fn invalid_bytes_become_replacement() {
        assert_eq!(
            decode_mutf8(&[b'x', 0xFF, 0xE2, 0x82]),
            "x\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        // A lone high surrogate.
        assert_eq!(decode_mutf8(&[0xED, 0xA0, 0xBD]), "\u{FFFD}");
    }
}
