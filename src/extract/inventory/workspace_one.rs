//! Workspace ONE UEM (formerly AirWatch): `GET /API/mdm/devices/search`
//! (`{"Devices":[…],"Page":…}`, PascalCase keys). Passcode and encryption
//! details live in the per-device `/security` sub-resource; when an export
//! merges it (as `Security` or top-level `IsPasscodePresent` …) it is read,
//! otherwise they stay unknown.

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
    b.flag(Flag::CloudBackup, &["IsCloudBackupEnabled"]);
    b.flag(
        Flag::Passcode,
        &["Security.IsPasscodePresent", "IsPasscodePresent"],
    );
    b.flag(
        Flag::PasscodeCompliant,
        &["Security.IsPasscodeCompliant", "IsPasscodeCompliant"],
    );
    b.flag(
        Flag::Encryption,
        &[
            "Security.IsEncrypted",
            "IsEncrypted",
            "Security.DataProtectionEnabled",
            "DataProtectionEnabled",
        ],
    );
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
}
