//! Workspace ONE UEM (formerly AirWatch): `GET /API/mdm/devices/search`
//! (`{"Devices":[…],"Page":…}`, PascalCase keys). Passcode and encryption
//! details live in the per-device `/security` sub-resource; when an export
//! merges it (as `Security` or top-level `IsPasscodePresent` …) it is read,
//! otherwise they stay unknown.
//!
//! Read as the platform reads:
//! - on an iPhone or iPad, storage is bound to the user's credential (Data
//!   Protection) only with a passcode set, Apple's rule that the Apple MDM
//!   reader applies (`HardwareEncryptionCaps == 3` **and**
//!   `PasscodePresent == true`): an `IsEncrypted` / `DataProtectionEnabled`
//!   of `true` counts only with `IsPasscodePresent = true`; with
//!   `IsPasscodePresent = false` storage is not (effectively) encrypted,
//!   with no passcode field it stays unknown;
//! - `IsCloudBackupEnabled` is iCloud Backup, an iPhone/iPad setting: on
//!   other platforms (Windows `WinRT`, Android, macOS) the search response
//!   carries the key with a value that says nothing about the device, and it
//!   is not read (read when the record names no platform).

use super::dates::lenient_bool;
use super::detect::Head;
use super::json::{for_each_record_keeping, Record};
use super::note::{Note, Reason, Unit};
use super::record::{raw, scalar_text, Builder, Flag, Slot};
use super::{Collected, Ctx, InventoryError};
use crate::facts::Device;

/// Workspace ONE UEM devices search JSON.
pub fn detect(h: &Head) -> bool {
    h.json()
        && (h.has("\"EnrollmentStatus\"")
            || h.has("\"DeviceFriendlyName\"")
            || (h.has("\"Devices\"") && h.has("\"Udid\"")))
}

/// Reads a devices/search export.
pub fn read(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    let mut index = 0usize;
    let max = ctx.limits.max_record_size;
    let warnings = for_each_record_keeping(input, max, Some(WS1_KEYS), |v| {
        index = index.saturating_add(1);
        match device(&v, index, ctx) {
            Ok(d) => out.push(d),
            Err(reason) => out.warn(Note::Skipped {
                unit: Unit::Record,
                number: index as u64,
                reason,
            }),
        }
    })?;
    warnings.into_iter().for_each(|w| out.warn(w));
    Ok(())
}

/// Every key of a Workspace ONE device record that `device` reads (of
/// `Id`, `ModelId` and `Security`, the keys it reads inside them): only
/// these are built when an export is read (a search record has about 50
/// keys; the others are checked as JSON but never built). A test fails
/// when `device` looks up a key not listed here.
pub const WS1_KEYS: &[&str] = &[
    "ComplianceStatus",
    "CompromisedStatus",
    "DataProtectionEnabled",
    "DataProtectionStatus",
    "DeviceFriendlyName",
    "DeviceReportedName",
    "EnrollmentStatus",
    "Id.Value",
    "Imei",
    "IsCloudBackupEnabled",
    "IsCompromised",
    "IsEncrypted",
    "IsPasscodeCompliant",
    "IsPasscodePresent",
    "IsSupervised",
    "LastEnrolledOn",
    "LastSeen",
    "Model",
    "ModelId.Name",
    "OSBuildVersion",
    "OperatingSystem",
    "Ownership",
    "PhoneNumber",
    "Platform",
    "Security.DataProtectionEnabled",
    "Security.IsCompromised",
    "Security.IsEncrypted",
    "Security.IsPasscodeCompliant",
    "Security.IsPasscodePresent",
    "SecurityPatchDate",
    "SerialNumber",
    "Udid",
    "UserEmailAddress",
    "UserName",
    "Uuid",
];

/// Maps one Workspace ONE device.
fn device(v: &Record, index: usize, ctx: &Ctx) -> Result<Device, Reason> {
    if !v.is_object() {
        return Err(Reason::NotJsonObject);
    }
    let mut b = Builder::of(format!("record {index}"), v, ctx);
    // (Every key is looked up through the record, so the test of WS1_KEYS
    // sees it.)
    if ["Platform", "Udid", "Id"]
        .iter()
        .all(|k| b.rec.raw(k).is_none())
    {
        return Err(Reason::NotWorkspaceOneDevice);
    }
    b.ident(Slot::DeviceId, &["Id.Value", "Uuid"]);
    b.ident(
        Slot::DeviceName,
        &["DeviceFriendlyName", "DeviceReportedName"],
    );
    b.ident(Slot::User, &["UserName"]);
    b.ident(Slot::Email, &["UserEmailAddress"]);
    b.ident(Slot::Serial, &["SerialNumber"]);
    b.ident(Slot::Imei, &["Imei"]);
    b.ident(Slot::Phone, &["PhoneNumber"]);
    b.ident(Slot::Udid, &["Udid"]);
    b.platform(&["Platform"]);
    if let Some((_, p)) = b.rec.text(&["Platform"]) {
        if p.eq_ignore_ascii_case("AppleOsX") || p.eq_ignore_ascii_case("AppleMacOs") {
            b.d.platform = Some("macos".into());
        }
    }
    b.model(&["Model", "ModelId.Name"]);
    b.os_version(&["OperatingSystem"]);
    b.os_build(&["OSBuildVersion"]);
    b.patch(&["SecurityPatchDate"]);
    if let Some((p, v)) = b.rec.first(&["EnrollmentStatus"]) {
        let value = scalar_text(v).and_then(|s| match s.to_ascii_lowercase().as_str() {
            "enrolled" => Some(true),
            "unenrolled"
            | "retired"
            | "enterprisewipepending"
            | "devicewipepending"
            | "registered"
            | "blacklisted"
            | "unenrollmentpending" => Some(false),
            _ => None,
        });
        b.set_flag(Flag::Managed, value, b.evidence(p, v));
    }
    b.compliance(&["ComplianceStatus"]);
    b.flag(
        Flag::Compromised,
        &[
            "CompromisedStatus",
            "Security.IsCompromised",
            "IsCompromised",
        ],
    );
    b.flag(Flag::Supervised, &["IsSupervised"]);
    b.ownership(&["Ownership"]);
    b.check_in(&["LastSeen"]);
    b.enrolled(&["LastEnrolledOn"]);
    // (`ipados` is told from the model by `finish`; an iPad is `ios` here.)
    let apple_mobile = matches!(b.d.platform.as_deref(), Some("ios" | "ipados"));
    if apple_mobile || b.d.platform.is_none() {
        b.flag(Flag::CloudBackup, &["IsCloudBackupEnabled"]);
    }
    b.flag(
        Flag::Passcode,
        &["Security.IsPasscodePresent", "IsPasscodePresent"],
    );
    b.flag(
        Flag::PasscodeCompliant,
        &["Security.IsPasscodeCompliant", "IsPasscodeCompliant"],
    );
    let encryption = [
        "Security.IsEncrypted",
        "IsEncrypted",
        "Security.DataProtectionEnabled",
        "DataProtectionEnabled",
    ];
    if apple_mobile {
        data_protection(&mut b, &encryption);
    } else {
        b.flag(Flag::Encryption, &encryption);
    }
    // `DataProtectionStatus` is an integer whose meaning is not documented:
    // cited, never turned into a yes/no.
    if let Some((p, v)) = b.rec.first(&["DataProtectionStatus"]) {
        b.d.encryption_detail = Some(raw(p, v));
        if b.d.raw.encryption.is_none() {
            b.d.raw.encryption = Some(raw(p, v));
        }
    }
    Ok(b.finish())
}

/// The encryption fact of an iPhone or iPad: the first of `paths` present,
/// bound to the passcode as Apple's Data Protection is (`true` only with
/// `IsPasscodePresent = true`; `false` when either is `false`; unknown
/// otherwise). The evidence names both fields as the export gave them
/// (only `key = value`, so that it reads the same in every report
/// language), as the Apple MDM reader's does.
fn data_protection(b: &mut Builder<'_>, paths: &[&str]) {
    let Some((p, v)) = b.rec.first(paths) else {
        return;
    };
    let value = match (lenient_bool(v), b.d.passcode) {
        (Some(true), Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        _ => None,
    };
    let passcode =
        b.d.raw
            .passcode
            .clone()
            .unwrap_or_else(|| "Security.IsPasscodePresent = –".into());
    b.set_flag(
        Flag::Encryption,
        value,
        Some(format!("{}, {passcode}", raw(p, v))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records that use every key [`device`] reads (the second one the
    /// alternatives the first one's keys hide).
    const EVERY_KEY: &str = r#"{"Devices":[
      {"Id":{"Value":7},"Uuid":"u-1","DeviceFriendlyName":"Station 3","UserName":"a","UserEmailAddress":"a@b.invalid","SerialNumber":"S1","Imei":"35 1","PhoneNumber":"+49 1","Udid":"U1","Platform":"Apple","Model":"iPhone 15","OperatingSystem":"18.7.9","OSBuildVersion":"22H","SecurityPatchDate":"2026-10-01","EnrollmentStatus":"Enrolled","ComplianceStatus":"Compliant","CompromisedStatus":false,"IsSupervised":true,"Ownership":"C","LastSeen":"2026-11-01T08:00:00","LastEnrolledOn":"2025-01-01T00:00:00","IsCloudBackupEnabled":false,"Security":{"IsPasscodePresent":true,"IsPasscodeCompliant":true,"IsEncrypted":true,"IsCompromised":false,"Other":1},"DataProtectionStatus":2,"TimeZone":"x","OEMInfo":"y"},
      {"Uuid":"u-2","DeviceReportedName":"Reported","Platform":"Android","ModelId":{"Name":"SM-A556B","Id":3},"EnrollmentStatus":"Unenrolled","IsCompromised":true,"IsPasscodePresent":false,"IsPasscodeCompliant":false,"Security":{"DataProtectionEnabled":true},"DataProtectionEnabled":true,"IsEncrypted":false},
      {"Id":{"Value":9},"Platform":"AppleOsX","Model":"Mac","Security":null},
      {"Name":"not a device"}
    ]}"#;

    #[test]
    fn devices_read_with_only_their_keys_are_the_devices_read_whole() {
        let (every, devices) =
            super::super::keep_tests::check(WS1_KEYS, EVERY_KEY, "workspace-one", device);
        assert!(devices >= 3, "{devices}");
        assert!(every[1].contains("\"compromised\":true"), "{}", every[1]);
        assert!(every[2].contains("\"macos\""), "{}", every[2]);
        assert!(every[3].contains("NotWorkspaceOneDevice"), "{}", every[3]);
    }

    /// The device [`device`] makes of one search record (read as an export
    /// is read: only [`WS1_KEYS`] kept).
    fn one(record: &str) -> Device {
        let ctx = Ctx {
            pn: super::super::pseudonym::Pseudonymizer::new(None, false),
            limits: crate::limits::Limits::default(),
            mapping: None,
        };
        let input = format!(r#"{{"Devices":[{record}],"Page":0}}"#);
        let mut records = Vec::new();
        let mut reader = input.as_bytes();
        for_each_record_keeping(&mut reader, 1 << 20, Some(WS1_KEYS), |v| records.push(v)).unwrap();
        device(&records[0], 1, &ctx).unwrap()
    }

    /// An Apple device with `security` as its `/security` sub-resource.
    fn apple(model: &str, security: &str) -> Device {
        one(&format!(
            r#"{{"Id":{{"Value":1}},"Platform":"Apple","Model":"{model}","OperatingSystem":"18.7.9","EnrollmentStatus":"Enrolled","LastSeen":"2026-12-01T08:00:00.000","Security":{security}}}"#
        ))
    }

    #[test]
    fn an_iphone_without_a_passcode_has_no_data_protection() {
        let d = apple(
            "iPhone 15",
            r#"{"IsPasscodePresent":false,"IsEncrypted":true}"#,
        );
        assert_eq!((d.passcode, d.encryption), (Some(false), Some(false)));
        assert_eq!(
            d.raw.encryption.as_deref(),
            Some("Security.IsEncrypted = true, Security.IsPasscodePresent = false")
        );
    }

    #[test]
    fn an_iphone_is_encrypted_only_with_a_passcode() {
        let d = apple(
            "iPhone 15",
            r#"{"IsPasscodePresent":true,"IsEncrypted":true}"#,
        );
        assert_eq!(d.encryption, Some(true));
        assert_eq!(
            d.raw.encryption.as_deref(),
            Some("Security.IsEncrypted = true, Security.IsPasscodePresent = true")
        );
        // No passcode field: whether the key is bound to the user is not
        // shown (as the Apple MDM reader decides HardwareEncryptionCaps 3
        // without PasscodePresent).
        let d = apple("iPhone 15", r#"{"IsEncrypted":true}"#);
        assert_eq!(d.encryption, None);
        assert_eq!(
            d.raw.encryption.as_deref(),
            Some("Security.IsEncrypted = true, Security.IsPasscodePresent = –")
        );
        // The same for DataProtectionEnabled, and for an iPad.
        let d = apple(
            "iPad Air",
            r#"{"IsPasscodePresent":false,"DataProtectionEnabled":true}"#,
        );
        assert_eq!(d.platform.as_deref(), Some("ipados"));
        assert_eq!(d.encryption, Some(false));
        assert_eq!(
            d.raw.encryption.as_deref(),
            Some("Security.DataProtectionEnabled = true, Security.IsPasscodePresent = false")
        );
        // Not encrypted stays not encrypted.
        let d = apple(
            "iPhone 15",
            r#"{"IsPasscodePresent":true,"IsEncrypted":false}"#,
        );
        assert_eq!(d.encryption, Some(false));
    }

    #[test]
    fn icloud_backup_is_read_on_iphones_and_ipads_only() {
        let flag = r#""IsCloudBackupEnabled":false"#;
        let d = one(&format!(
            r#"{{"Uuid":"w","Platform":"WinRT","OperatingSystem":"10.0.19045",{flag}}}"#
        ));
        assert_eq!(d.platform.as_deref(), Some("windows"));
        assert_eq!((d.cloud_backup, d.raw.cloud_backup), (None, None));
        for platform in ["Android", "AppleOsX"] {
            let d = one(&format!(r#"{{"Uuid":"x","Platform":"{platform}",{flag}}}"#));
            assert_eq!(d.cloud_backup, None, "{platform}");
        }
        let d = one(&format!(
            r#"{{"Uuid":"i","Platform":"Apple","Model":"iPad Pro",{flag}}}"#
        ));
        assert_eq!(d.cloud_backup, Some(false));
        assert_eq!(
            d.raw.cloud_backup.as_deref(),
            Some("IsCloudBackupEnabled = false")
        );
        // No platform: read, and left to the check (which keeps it open).
        let d = one(&format!(r#"{{"Udid":"u",{flag}}}"#));
        assert_eq!(d.cloud_backup, Some(false));
    }
}
