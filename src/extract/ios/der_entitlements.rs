//! The DER entitlements blob of a code signature (`CSSLOT_DER_ENTITLEMENTS`,
//! magic `0xfade7172`), which iOS 15 and later enforce instead of the XML
//! blob, decoded with the `der` crate and compared with the XML blob.
//!
//! Apple's encoding (CoreEntitlements, written by `codesign` since Xcode 13):
//! `[APPLICATION 16] { INTEGER 1, [CONTEXT 16] dict }`, a dict being a run of
//! `SEQUENCE { UTF8String key, value }` and a value one of UTF8String,
//! BOOLEAN, INTEGER, SEQUENCE (array) or `[CONTEXT 16]` (dict). The older DER
//! property-list form (written by `ldid`) is read too: a bare `SET` of the same
//! entries as the top-level dict, `SET` for nested dicts.

use der::asn1::AnyRef;
use der::{Reader, SliceReader, Tag, Tagged};
use plist::{Dictionary, Value};
use thiserror::Error;

use super::plist::to_json;

/// Deepest nesting of arrays and dictionaries read.
pub const MAX_DEPTH: usize = 32;

/// Why the DER entitlements could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DerEntitlementsError {
    /// The ASN.1 structure is malformed.
    #[error("DER entitlements: {0}")]
    Der(String),
    /// The structure is valid DER but not Apple's entitlements layout.
    #[error("DER entitlements: {0}")]
    Layout(String),
    /// Deeper than [`MAX_DEPTH`].
    #[error("DER entitlements nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

impl From<der::Error> for DerEntitlementsError {
    fn from(e: der::Error) -> Self {
        DerEntitlementsError::Der(e.to_string())
    }
}

fn is_dict_tag(tag: Tag) -> bool {
    matches!(tag, Tag::ContextSpecific { constructed: true, number } if number.value() == 16)
}

/// Decodes the body of a DER entitlements blob (after its 8-byte header).
pub fn decode(bytes: &[u8]) -> Result<Dictionary, DerEntitlementsError> {
    let mut outer = SliceReader::new(bytes)?;
    let top: AnyRef<'_> = outer.decode()?;
    if top.tag() == Tag::Set {
        return match value(top, 0)? {
            Value::Dictionary(d) => Ok(d),
            _ => unreachable!("a SET decodes to a dictionary"),
        };
    }
    if !matches!(top.tag(), Tag::Application { constructed: true, number } if number.value() == 16)
    {
        return Err(DerEntitlementsError::Layout(format!(
            "starts with tag {}, expected [APPLICATION 16]",
            top.tag()
        )));
    }
    let mut r = SliceReader::new(top.value())?;
    let version: i64 = r.decode::<AnyRef<'_>>()?.decode_as()?;
    if version != 1 {
        return Err(DerEntitlementsError::Layout(format!(
            "version {version}, expected 1"
        )));
    }
    let dict: AnyRef<'_> = r.decode()?;
    if !is_dict_tag(dict.tag()) || !r.is_finished() {
        return Err(DerEntitlementsError::Layout(
            "expected one [CONTEXT 16] dictionary after the version".into(),
        ));
    }
    match value(dict, 0)? {
        Value::Dictionary(d) => Ok(d),
        _ => unreachable!("a [CONTEXT 16] value decodes to a dictionary"),
    }
}

fn value(any: AnyRef<'_>, depth: usize) -> Result<Value, DerEntitlementsError> {
    if depth > MAX_DEPTH {
        return Err(DerEntitlementsError::TooDeep);
    }
    let tag = any.tag();
    Ok(match tag {
        Tag::Utf8String => Value::String(
            std::str::from_utf8(any.value())
                .map_err(|_| DerEntitlementsError::Layout("a string is not UTF-8".into()))?
                .to_string(),
        ),
        // DER demands 0xff for true; ldid writes 0x01, which devices accept.
        Tag::Boolean => match any.value() {
            [b] => Value::Boolean(*b != 0),
            _ => {
                return Err(DerEntitlementsError::Layout(
                    "a BOOLEAN is not one byte long".into(),
                ))
            }
        },
        Tag::Integer => Value::Integer(any.decode_as::<i64>()?.into()),
        Tag::Sequence => {
            let mut r = SliceReader::new(any.value())?;
            let mut items = Vec::new();
            while !r.is_finished() {
                items.push(value(r.decode()?, depth + 1)?);
            }
            Value::Array(items)
        }
        t if is_dict_tag(t) || t == Tag::Set => {
            let mut r = SliceReader::new(any.value())?;
            let mut dict = Dictionary::new();
            while !r.is_finished() {
                let pair: AnyRef<'_> = r.decode()?;
                if pair.tag() != Tag::Sequence {
                    return Err(DerEntitlementsError::Layout(format!(
                        "a dictionary entry has tag {}, expected SEQUENCE",
                        pair.tag()
                    )));
                }
                let mut p = SliceReader::new(pair.value())?;
                let key: AnyRef<'_> = p.decode()?;
                let key = match (key.tag(), std::str::from_utf8(key.value())) {
                    (Tag::Utf8String, Ok(k)) => k.to_string(),
                    _ => {
                        return Err(DerEntitlementsError::Layout(
                            "a dictionary key is not a UTF8String".into(),
                        ))
                    }
                };
                let v = value(p.decode()?, depth + 1)?;
                if !p.is_finished() {
                    return Err(DerEntitlementsError::Layout(format!(
                        "dictionary entry {key:?} has more than a key and a value"
                    )));
                }
                dict.insert(key, v);
            }
            Value::Dictionary(dict)
        }
        other => {
            return Err(DerEntitlementsError::Layout(format!(
                "value with tag {other}, which entitlements do not use"
            )))
        }
    })
}

/// Keys whose values differ between the two dictionaries, or that only one
/// of them has, sorted (values compared as JSON, so the XML `<integer>` and
/// the DER INTEGER of the same number agree).
pub fn differing_keys(der: &Dictionary, xml: &Dictionary) -> Vec<String> {
    let mut keys: Vec<String> = der
        .keys()
        .chain(xml.keys())
        .filter(|k| der.get(k.as_str()).map(to_json) != xml.get(k.as_str()).map(to_json))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One TLV with a short or long length.
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if body.len() < 128 {
            out.push(body.len() as u8);
        } else {
            out.extend([0x81, body.len() as u8]);
        }
        out.extend_from_slice(body);
        out
    }

    fn entry(key: &str, value: Vec<u8>) -> Vec<u8> {
        let mut b = tlv(0x0c, key.as_bytes());
        b.extend(value);
        tlv(0x30, &b)
    }

    fn blob(entries: &[Vec<u8>]) -> Vec<u8> {
        let mut inner = vec![0x02, 0x01, 0x01];
        inner.extend(tlv(0xb0, &entries.concat()));
        tlv(0x70, &inner)
    }

    #[test]
    fn decodes_apple_layout() {
        let b = blob(&[
            entry("aps-environment", tlv(0x0c, b"production")),
            entry("get-task-allow", vec![0x01, 0x01, 0x00]),
            entry(
                "keychain-access-groups",
                tlv(0x30, &tlv(0x0c, b"T.com.example")),
            ),
            entry("nested", tlv(0xb0, &entry("n", vec![0x02, 0x01, 0x05]))),
        ]);
        let d = decode(&b).unwrap();
        assert_eq!(d["aps-environment"].as_string(), Some("production"));
        assert_eq!(d["get-task-allow"].as_boolean(), Some(false));
        assert_eq!(
            d["keychain-access-groups"].as_array().unwrap()[0].as_string(),
            Some("T.com.example")
        );
        let n = d["nested"].as_dictionary().unwrap();
        assert_eq!(n["n"].as_signed_integer(), Some(5));

        let mut xml = d.clone();
        assert!(differing_keys(&d, &xml).is_empty());
        xml.insert("get-task-allow".into(), Value::Boolean(true));
        xml.insert("extra".into(), Value::String("x".into()));
        assert_eq!(differing_keys(&d, &xml), ["extra", "get-task-allow"]);
    }

    #[test]
    fn decodes_the_older_set_form() {
        // ldid encodes true as 0x01 (DER would say 0xff).
        let mut set = entry("platform-application", vec![0x01, 0x01, 0x01]);
        set.extend(entry("n", tlv(0x31, &entry("a", tlv(0x0c, b"b")))));
        let d = decode(&tlv(0x31, &set)).unwrap();
        assert_eq!(d["platform-application"].as_boolean(), Some(true));
        assert_eq!(d["n"].as_dictionary().unwrap()["a"].as_string(), Some("b"));
    }

    #[test]
    fn rejects_other_layouts_and_survives_truncation() {
        let good = blob(&[entry("a", tlv(0x0c, b"b"))]);
        for cut in 0..good.len() {
            assert!(decode(&good[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(
            decode(&tlv(0x30, &[])),
            Err(DerEntitlementsError::Layout(_))
        ));
        let mut v2 = good.clone();
        v2[4] = 2; // version INTEGER
        assert!(matches!(decode(&v2), Err(DerEntitlementsError::Layout(_))));
        // A real number (tag 9) is no entitlement value.
        let real = blob(&[entry("a", vec![0x09, 0x01, 0x00])]);
        assert!(matches!(
            decode(&real),
            Err(DerEntitlementsError::Layout(_))
        ));
        // Arrays nested past the limit.
        let mut deep = tlv(0x0c, b"x");
        for _ in 0..40 {
            deep = tlv(0x30, &deep);
        }
        assert_eq!(
            decode(&blob(&[entry("a", deep)])),
            Err(DerEntitlementsError::TooDeep)
        );
    }
}
