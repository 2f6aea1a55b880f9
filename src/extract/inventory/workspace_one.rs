//! Workspace ONE UEM (formerly AirWatch): `GET /API/mdm/devices/search`
//! (`{"Devices":[…],"Page":…}`, PascalCase keys). Passcode and encryption
//! details live in the per-device `/security` sub-resource; when an export
//! merges it (as `Security` or top-level `IsPasscodePresent` …) it is read,
//! otherwise they stay unknown.

use serde_json::Value;

use super::detect::Head;
use super::json::for_each_record;
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
    let warnings = for_each_record(input, ctx.limits.max_record_size, |v| {
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

/// Maps one Workspace ONE device.
fn device(v: &Value, index: usize, ctx: &Ctx) -> Result<Device, Reason> {
    if !v.is_object() {
        return Err(Reason::NotJsonObject);
    }
    if v.get("Platform").is_none() && v.get("Udid").is_none() && v.get("Id").is_none() {
        return Err(Reason::NotWorkspaceOneDevice);
    }
    let mut b = Builder::of(format!("record {index}"), v, ctx);
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
