//! About the bytes a [`Device`] holds, which bounds the batches of devices
//! handed from reading to assessing (`pipeline::stream`): a device's texts
//! come from its export's record, which may hold up to
//! `Limits::max_record_size` (8 MiB).
//!
//! Every struct is taken apart field by field, without `..`, so that a
//! field added to a device does not compile until it is counted here.

use super::device::{
    Device, DeviceIdentifiers, DeviceRaw, DeviceSource, FieldConflict, FilledValue,
    PolicyCompliance, SourceValue,
};

/// What a value of a field costs besides the room for its text (a
/// `String`'s three words and the allocator's rounding, about).
const FIELD: usize = 32;

/// The room the texts of `$value`, a `$kind` of optional texts only, take:
/// its fields are named once, and taken apart without `..`.
macro_rules! optional_texts {
    ($value:expr, $kind:ident { $($field:ident),* $(,)? }) => {{
        let $kind { $($field),* } = $value;
        0 $(+ optional($field))*
    }};
}

impl Device {
    /// About the bytes the device holds: the room its texts take (their
    /// capacity, which may be more than their length), and some 32 bytes
    /// for each text and list entry; its OS-support assessment is shared with
    /// the devices alike and not counted.
    pub fn heap_bytes(&self) -> usize {
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
            passcode: _,
            passcode_compliant: _,
            encryption: _,
            encryption_detail,
            encryption_detail_de,
            encryption_contradiction,
            managed: _,
            management_mode,
            user_enrollment: _,
            supervised: _,
            compromised: _,
            compromised_detail,
            ownership,
            compliance_state,
            cloud_backup: _,
            lost_mode: _,
            last_check_in,
            enrolled_at,
            patch_age_days: _,
            days_since_check_in: _,
            os_support: _,
            installed_messengers,
            installed_messengers_partial: _,
            raw,
            policy_compliance,
            sources,
            conflicts,
            filled,
            filled_from,
        } = self;
        let texts = [
            name,
            platform,
            os_version,
            os_build,
            os_rsr_suffix,
            security_patch_level,
            model,
            encryption_detail,
            encryption_detail_de,
            encryption_contradiction,
            management_mode,
            compromised_detail,
            ownership,
            compliance_state,
            last_check_in,
            enrolled_at,
        ];
        text(record)
            + texts.into_iter().map(optional).sum::<usize>()
            + identifiers.heap_bytes()
            + installed_messengers
                .iter()
                .flatten()
                .map(text)
                .sum::<usize>()
            + raw.heap_bytes()
            + policy_compliance.as_ref().map_or(0, |p| {
                optional_texts!(
                    p,
                    PolicyCompliance {
                        passcode,
                        encryption
                    }
                )
            })
            + sources.iter().map(DeviceSource::heap_bytes).sum::<usize>()
            + conflicts
                .iter()
                .map(|c| {
                    let FieldConflict { field, values } = c;
                    text(field) + values.iter().map(SourceValue::heap_bytes).sum::<usize>()
                })
                .sum::<usize>()
            + filled
                .iter()
                .map(|f| {
                    let FilledValue { field, from } = f;
                    text(field) + from.heap_bytes()
                })
                .sum::<usize>()
            + filled_from.keys().map(|k| text(k) + FIELD).sum::<usize>()
    }
}

impl DeviceIdentifiers {
    fn heap_bytes(&self) -> usize {
        optional_texts!(
            self,
            DeviceIdentifiers {
                device_id,
                device_name,
                user,
                email,
                serial,
                imei,
                phone,
                udid
            }
        )
    }
}

impl DeviceRaw {
    fn heap_bytes(&self) -> usize {
        optional_texts!(
            self,
            DeviceRaw {
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
                cloud_backup,
            }
        )
    }
}

impl DeviceSource {
    fn heap_bytes(&self) -> usize {
        let DeviceSource {
            format,
            file,
            record,
            last_check_in,
        } = self;
        text(format) + text(file) + text(record) + optional(last_check_in)
    }
}

impl SourceValue {
    fn heap_bytes(&self) -> usize {
        let SourceValue { value, source } = self;
        text(value) + source.heap_bytes()
    }
}

fn text(s: &String) -> usize {
    FIELD + s.capacity()
}

fn optional(s: &Option<String>) -> usize {
    s.as_ref().map_or(0, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_a_device_counts() {
        let empty = Device::default().heap_bytes();
        let long = "x".repeat(10_000);
        let mut d = Device {
            model: Some(long.clone()),
            ..Device::default()
        };
        d.identifiers.serial = Some(long.clone());
        d.raw.os_version = Some(long.clone());
        d.sources.push(DeviceSource {
            format: "intune".into(),
            file: long.clone(),
            record: "record 1".into(),
            last_check_in: None,
        });
        d.conflicts.push(FieldConflict {
            field: "model".into(),
            values: vec![SourceValue {
                value: long.clone(),
                source: DeviceSource::default(),
            }],
        });
        d.installed_messengers = Some(vec![long]);
        assert!(d.heap_bytes() >= empty + 6 * 10_000, "{}", d.heap_bytes());
        assert!(
            d.heap_bytes() < empty + 6 * 10_000 + 1_000,
            "{}",
            d.heap_bytes()
        );
    }
}
