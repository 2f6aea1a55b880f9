//! A compact binary encoding of a [`Device`], written by hand: the devices
//! an export's one read gives are kept in it until they are assessed
//! ([`super::device_spill`]).
//!
//! Serde's binary formats cannot be used: `Device` skips empty fields when
//! serialized (`skip_serializing_if`), which only self-describing formats
//! read back, and JSON would cost as much as reading the export again. Every
//! struct is destructured without `..`, so a new field is a compile error
//! here until it is encoded.
//!
//! Layout: a string is its length (LEB128) and its UTF-8 bytes; an optional
//! string is its length plus one, `0` for `None`; an optional bool is one
//! byte (`0` none, `1` false, `2` true); an optional integer a tag byte and
//! eight little-endian bytes; a list its length and its items.

use crate::facts::{
    Device, DeviceIdentifiers, DeviceRaw, DeviceSource, FieldConflict, FilledValue, OsSupport,
    PolicyCompliance, SourceValue,
};

/// Why encoded bytes could not be decoded (they were damaged in the
/// temporary file, or are not a device's encoding).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the kept devices are damaged: {0}")]
pub struct DecodeError(&'static str);

/// Whether an encoding holds the fields [`derive`] computes from the audit
/// date and the OS support data (`patch_age_days`, `days_since_check_in`,
/// `os_support`).
///
/// [`derive`]: crate::extract::inventory::derive
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// Encoded like every other field.
    Kept,
    /// Left out (decoded as their defaults: they are derived again).
    Left,
}

/// Appends `d`'s encoding to `out`.
pub fn encode(d: &Device, derived: Derived, out: &mut Vec<u8>) {
    let Device {
        record,
        name,
        identifiers,
        platform,
        os_version,
        os_build,
        os_rsr_suffix,
        security_patch_level,
        model,
        passcode,
        passcode_compliant,
        encryption,
        encryption_detail,
        encryption_detail_de,
        encryption_contradiction,
        managed,
        management_mode,
        user_enrollment,
        supervised,
        compromised,
        compromised_detail,
        ownership,
        compliance_state,
        cloud_backup,
        lost_mode,
        last_check_in,
        enrolled_at,
        patch_age_days,
        days_since_check_in,
        os_support,
        installed_messengers,
        installed_messengers_partial,
        raw,
        policy_compliance,
        sources,
        conflicts,
        filled,
        filled_from,
    } = d;
    let w = &mut Writer(out);
    w.str(record);
    w.opt_str(name);
    identifiers_out(identifiers, w);
    for s in [platform, os_version, os_build, os_rsr_suffix] {
        w.opt_str(s);
    }
    w.opt_str(security_patch_level);
    w.opt_str(model);
    w.opt_bool(*passcode);
    w.opt_bool(*passcode_compliant);
    w.opt_bool(*encryption);
    w.opt_str(encryption_detail);
    w.opt_str(encryption_detail_de);
    w.opt_str(encryption_contradiction);
    w.opt_bool(*managed);
    w.opt_str(management_mode);
    w.opt_bool(*user_enrollment);
    w.opt_bool(*supervised);
    w.opt_bool(*compromised);
    w.opt_str(compromised_detail);
    w.opt_str(ownership);
    w.opt_str(compliance_state);
    w.opt_bool(*cloud_backup);
    w.opt_bool(*lost_mode);
    w.opt_str(last_check_in);
    w.opt_str(enrolled_at);
    if derived == Derived::Kept {
        w.opt_i64(*patch_age_days);
        w.opt_i64(*days_since_check_in);
        os_support_out(os_support, w);
    }
    match installed_messengers {
        None => w.len(0),
        Some(list) => {
            w.len(list.len() + 1);
            list.iter().for_each(|m| w.str(m));
        }
    }
    w.byte(u8::from(*installed_messengers_partial));
    raw_out(raw, w);
    match policy_compliance {
        None => w.byte(0),
        Some(PolicyCompliance {
            passcode,
            encryption,
        }) => {
            w.byte(1);
            w.opt_str(passcode);
            w.opt_str(encryption);
        }
    }
    w.len(sources.len());
    sources.iter().for_each(|s| source_out(s, w));
    w.len(conflicts.len());
    for FieldConflict { field, values } in conflicts {
        w.str(field);
        w.len(values.len());
        values.iter().for_each(|v| source_value_out(v, w));
    }
    w.len(filled.len());
    for FilledValue { field, from } in filled {
        w.str(field);
        source_value_out(from, w);
    }
    w.len(filled_from.len());
    for (path, source) in filled_from {
        w.str(path);
        w.len(*source);
    }
}

fn source_value_out(SourceValue { value, source }: &SourceValue, w: &mut Writer<'_>) {
    w.str(value);
    source_out(source, w);
}

/// Decodes one device encoded with `derived` from the front of `input`,
/// advancing it past the device's bytes.
pub fn decode(input: &mut &[u8], derived: Derived) -> Result<Device, DecodeError> {
    let r = &mut Reader(input);
    let kept = derived == Derived::Kept;
    // Fields are read in the order written (a struct expression evaluates
    // its fields in the order they are written).
    Ok(Device {
        record: r.str()?,
        name: r.opt_str()?,
        identifiers: identifiers_in(r)?,
        platform: r.opt_str()?,
        os_version: r.opt_str()?,
        os_build: r.opt_str()?,
        os_rsr_suffix: r.opt_str()?,
        security_patch_level: r.opt_str()?,
        model: r.opt_str()?,
        passcode: r.opt_bool()?,
        passcode_compliant: r.opt_bool()?,
        encryption: r.opt_bool()?,
        encryption_detail: r.opt_str()?,
        encryption_detail_de: r.opt_str()?,
        encryption_contradiction: r.opt_str()?,
        managed: r.opt_bool()?,
        management_mode: r.opt_str()?,
        user_enrollment: r.opt_bool()?,
        supervised: r.opt_bool()?,
        compromised: r.opt_bool()?,
        compromised_detail: r.opt_str()?,
        ownership: r.opt_str()?,
        compliance_state: r.opt_str()?,
        cloud_backup: r.opt_bool()?,
        lost_mode: r.opt_bool()?,
        last_check_in: r.opt_str()?,
        enrolled_at: r.opt_str()?,
        patch_age_days: if kept { r.opt_i64()? } else { None },
        days_since_check_in: if kept { r.opt_i64()? } else { None },
        os_support: if kept {
            os_support_in(r)?.into()
        } else {
            OsSupport::default().into()
        },
        installed_messengers: match r.len()? {
            0 => None,
            n => Some(r.list(n - 1, Reader::str)?),
        },
        installed_messengers_partial: match r.byte()? {
            0 => false,
            1 => true,
            _ => return Err(DecodeError("a bad partial-list flag")),
        },
        raw: raw_in(r)?,
        policy_compliance: match r.byte()? {
            0 => None,
            1 => Some(PolicyCompliance {
                passcode: r.opt_str()?,
                encryption: r.opt_str()?,
            }),
            _ => return Err(DecodeError("a bad policy compliance tag")),
        },
        sources: {
            let n = r.len()?;
            r.list(n, source_in)?
        },
        conflicts: {
            let n = r.len()?;
            r.list(n, conflict_in)?
        },
        filled: {
            let n = r.len()?;
            r.list(n, |r| {
                Ok(FilledValue {
                    field: r.str()?,
                    from: source_value_in(r)?,
                })
            })?
        },
        filled_from: {
            let n = r.len()?;
            r.list(n, |r| Ok((r.str()?, r.len()?)))?
                .into_iter()
                .collect()
        },
    })
}

fn source_value_in(r: &mut Reader<'_, '_>) -> Result<SourceValue, DecodeError> {
    Ok(SourceValue {
        value: r.str()?,
        source: source_in(r)?,
    })
}

fn conflict_in(r: &mut Reader<'_, '_>) -> Result<FieldConflict, DecodeError> {
    let field = r.str()?;
    let n = r.len()?;
    let values = r.list(n, source_value_in)?;
    Ok(FieldConflict { field, values })
}

fn os_support_out(s: &OsSupport, w: &mut Writer<'_>) {
    let OsSupport {
        known,
        supported,
        latest_version,
        up_to_date,
        security_updates_until,
        data_as_of,
        note,
        note_de,
        latest_patch_level,
        latest_patch_level_source,
    } = s;
    w.byte(u8::from(*known));
    w.opt_bool(*supported);
    w.opt_str(latest_version);
    w.opt_bool(*up_to_date);
    for s in [
        security_updates_until,
        data_as_of,
        note,
        note_de,
        latest_patch_level,
        latest_patch_level_source,
    ] {
        w.opt_str(s);
    }
}

fn os_support_in(r: &mut Reader<'_, '_>) -> Result<OsSupport, DecodeError> {
    Ok(OsSupport {
        known: match r.byte()? {
            0 => false,
            1 => true,
            _ => return Err(DecodeError("a bad flag")),
        },
        supported: r.opt_bool()?,
        latest_version: r.opt_str()?,
        up_to_date: r.opt_bool()?,
        security_updates_until: r.opt_str()?,
        data_as_of: r.opt_str()?,
        note: r.opt_str()?,
        note_de: r.opt_str()?,
        latest_patch_level: r.opt_str()?,
        latest_patch_level_source: r.opt_str()?,
    })
}

/// The encoder `$out` and decoder `$in` of `$ty`, a struct of optional
/// strings only, field by field in the order listed (all of them: the
/// struct is destructured without `..`).
macro_rules! optional_texts {
    ($ty:ident, $out:ident, $in:ident, $($field:ident),+) => {
        fn $out(v: &$ty, w: &mut Writer<'_>) {
            let $ty { $($field),+ } = v;
            $(w.opt_str($field);)+
        }

        fn $in(r: &mut Reader<'_, '_>) -> Result<$ty, DecodeError> {
            Ok($ty { $($field: r.opt_str()?),+ })
        }
    };
}

optional_texts!(
    DeviceIdentifiers,
    identifiers_out,
    identifiers_in,
    device_id,
    device_name,
    user,
    email,
    serial,
    imei,
    phone,
    udid
);

optional_texts!(
    DeviceRaw,
    raw_out,
    raw_in,
    os_version,
    security_patch_level,
    passcode,
    encryption,
    passcode_de,
    encryption_de,
    compromised,
    managed,
    ownership,
    last_check_in,
    cloud_backup
);

fn source_out(s: &DeviceSource, w: &mut Writer<'_>) {
    let DeviceSource {
        format,
        file,
        record,
        last_check_in,
    } = s;
    w.str(format);
    w.str(file);
    w.str(record);
    w.opt_str(last_check_in);
}

fn source_in(r: &mut Reader<'_, '_>) -> Result<DeviceSource, DecodeError> {
    Ok(DeviceSource {
        format: r.str()?,
        file: r.str()?,
        record: r.str()?,
        last_check_in: r.opt_str()?,
    })
}

/// Appends encoded values.
struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    /// A length or count, LEB128.
    fn len(&mut self, n: usize) {
        let mut n = n as u64;
        while n >= 0x80 {
            self.0.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            None => self.len(0),
            Some(s) => {
                self.len(s.len() + 1);
                self.0.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn opt_bool(&mut self, b: Option<bool>) {
        self.byte(match b {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
    }

    fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            None => self.byte(0),
            Some(v) => {
                self.byte(1);
                self.0.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
}

/// Takes encoded values from the front of a slice.
struct Reader<'a, 'b>(&'a mut &'b [u8]);

impl Reader<'_, '_> {
    fn take(&mut self, n: usize) -> Result<&[u8], DecodeError> {
        if n > self.0.len() {
            return Err(DecodeError("the encoding ends too early"));
        }
        let (head, rest) = self.0.split_at(n);
        *self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        self.take(1).map(|b| b[0])
    }

    fn len(&mut self) -> Result<usize, DecodeError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return usize::try_from(n).map_err(|_| DecodeError("a length too large"));
            }
        }
        Err(DecodeError("a length too long"))
    }

    fn text(&mut self, n: usize) -> Result<String, DecodeError> {
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError("text that is not UTF-8"))
    }

    fn str(&mut self) -> Result<String, DecodeError> {
        let n = self.len()?;
        self.text(n)
    }

    fn opt_str(&mut self) -> Result<Option<String>, DecodeError> {
        match self.len()? {
            0 => Ok(None),
            n => self.text(n - 1).map(Some),
        }
    }

    fn opt_bool(&mut self) -> Result<Option<bool>, DecodeError> {
        match self.byte()? {
            0 => Ok(None),
            1 => Ok(Some(false)),
            2 => Ok(Some(true)),
            _ => Err(DecodeError("a bad flag")),
        }
    }

    fn opt_i64(&mut self) -> Result<Option<i64>, DecodeError> {
        match self.byte()? {
            0 => Ok(None),
            1 => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Ok(Some(i64::from_le_bytes(a)))
            }
            _ => Err(DecodeError("a bad number tag")),
        }
    }

    /// `n` items read by `item` (the capacity bounded by the bytes left,
    /// so a damaged count allocates nothing large).
    fn list<T>(
        &mut self,
        n: usize,
        mut item: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let mut v = Vec::with_capacity(n.min(self.0.len()));
        for _ in 0..n {
            v.push(item(self)?);
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    fn source(n: &str) -> DeviceSource {
        DeviceSource {
            format: "intune-graph".into(),
            file: format!("export-{n}.json"),
            record: format!("record {n}"),
            last_check_in: s("2026-11-01T08:00:00Z"),
        }
    }

    /// A device with every field set (no two strings alike).
    fn full() -> Device {
        Device {
            record: "record 7".into(),
            name: s("pn-name"),
            identifiers: DeviceIdentifiers {
                device_id: s("id"),
                device_name: s("dn"),
                user: s("user"),
                email: s("mail"),
                serial: s("serial"),
                imei: s("imei"),
                phone: s("phone"),
                udid: s("udid"),
            },
            platform: s("android"),
            os_version: s("15"),
            os_build: s("AP4A.250905.002"),
            os_rsr_suffix: s("(a)"),
            security_patch_level: s("2026-09-05"),
            model: s("Pixel 9 — ünïcode"),
            passcode: Some(true),
            passcode_compliant: Some(false),
            encryption: Some(true),
            encryption_detail: s("ACTIVE_PER_USER"),
            encryption_detail_de: s("aktiv je Nutzer"),
            encryption_contradiction: s("export"),
            managed: Some(false),
            management_mode: s("DEVICE_OWNER"),
            user_enrollment: Some(true),
            supervised: Some(false),
            compromised: Some(true),
            compromised_detail: s("POTENTIALLY_COMPROMISED"),
            ownership: s("corporate"),
            compliance_state: s("compliant"),
            cloud_backup: Some(false),
            lost_mode: Some(true),
            last_check_in: s("2026-11-20T10:00:00Z"),
            enrolled_at: s("2024-01-01T00:00:00Z"),
            patch_age_days: Some(-79),
            days_since_check_in: Some(i64::MAX),
            os_support: OsSupport {
                known: true,
                supported: Some(true),
                latest_version: s("18.7.9"),
                up_to_date: Some(false),
                security_updates_until: s("2029-01-01"),
                data_as_of: s("2026-11-01"),
                note: s("note"),
                note_de: s("Notiz"),
                latest_patch_level: s("2026-11-01"),
                latest_patch_level_source: s("fleet"),
            }
            .into(),
            installed_messengers: Some(vec!["signal".into(), "whatsapp".into()]),
            installed_messengers_partial: true,
            raw: DeviceRaw {
                os_version: s("osVersion = 15"),
                security_patch_level: s("spl"),
                passcode: s("pc"),
                encryption: s("enc"),
                passcode_de: s("pc de"),
                encryption_de: s("enc de"),
                compromised: s("jb"),
                managed: s("mg"),
                ownership: s("own"),
                last_check_in: s("lci"),
                cloud_backup: s("cb"),
            },
            policy_compliance: Some(PolicyCompliance {
                passcode: s("compliant"),
                encryption: s("nonCompliant"),
            }),
            sources: vec![source("1"), source("2")],
            conflicts: vec![FieldConflict {
                field: "passcode".into(),
                values: vec![
                    SourceValue {
                        value: "true".into(),
                        source: source("1"),
                    },
                    SourceValue {
                        value: "false".into(),
                        source: DeviceSource {
                            last_check_in: None,
                            ..source("2")
                        },
                    },
                ],
            }],
            filled: vec![FilledValue {
                field: "os_version".into(),
                from: SourceValue {
                    value: "26.5".into(),
                    source: source("2"),
                },
            }],
            filled_from: [
                ("os_version".to_string(), 1),
                ("raw.os_version".to_string(), 1),
            ]
            .into_iter()
            .collect(),
        }
    }

    fn round_trip(d: &Device) -> Device {
        round_trip_with(d, Derived::Kept)
    }

    fn round_trip_with(d: &Device, derived: Derived) -> Device {
        let mut bytes = Vec::new();
        encode(d, derived, &mut bytes);
        encode(d, derived, &mut bytes);
        let mut input = &bytes[..];
        let first = decode(&mut input, derived).unwrap();
        let second = decode(&mut input, derived).unwrap();
        assert!(input.is_empty(), "every byte is read");
        assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&second).unwrap()
        );
        first
    }

    #[test]
    fn a_device_with_every_field_set_comes_back_the_same() {
        let d = full();
        // Debug output shows every field, also the ones JSON skips.
        assert_eq!(format!("{:?}", round_trip(&d)), format!("{d:?}"));
    }

    #[test]
    fn derived_fields_left_out_come_back_as_their_defaults() {
        let d = full();
        let back = round_trip_with(&d, Derived::Left);
        let expected = Device {
            patch_age_days: None,
            days_since_check_in: None,
            os_support: OsSupport::default().into(),
            ..d
        };
        assert_eq!(format!("{back:?}"), format!("{expected:?}"));
    }

    #[test]
    fn a_default_device_comes_back_the_same() {
        let d = Device::default();
        assert_eq!(format!("{:?}", round_trip(&d)), format!("{d:?}"));
        let d = Device {
            installed_messengers: Some(Vec::new()),
            name: s(""),
            ..Device::default()
        };
        assert_eq!(format!("{:?}", round_trip(&d)), format!("{d:?}"));
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut bytes = Vec::new();
        encode(&full(), Derived::Kept, &mut bytes);
        for cut in 0..bytes.len() {
            assert!(
                decode(&mut &bytes[..cut], Derived::Kept).is_err(),
                "cut at {cut}"
            );
        }
        let mut bad = bytes.clone();
        bad[0] = 0xff;
        let _ = decode(&mut &bad[..], Derived::Kept);
        assert!(decode(&mut &[0xffu8; 16][..], Derived::Kept).is_err());
    }
}
