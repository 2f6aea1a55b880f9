//! Google Android Management API: `enterprises.devices` `Device` JSON, a
//! single device or a `{"devices":[…]}` list page (2017 and current shapes).
//!
//! `softwareInfo`, `deviceSettings` and `hardwareInfo` are only present when
//! the policy's status reporting enables them; absent means unknown.

use serde_json::Value;

use super::detect::Head;
use super::json::{for_each_record_keeping, Record};
use super::note::{Note, Reason, Unit};
use super::record::{raw, scalar_text, Builder, Flag, Slot};
use super::{Collected, Ctx, InventoryError};
use crate::facts::Device;

/// Google Android Management API `Device` JSON.
pub fn detect(h: &Head) -> bool {
    h.json()
        && (h.has("\"softwareInfo\"")
            || h.has("\"managementMode\"")
            || h.has("\"adminType\"")
            || h.has("\"policyCompliant\"")
            || h.has("\"enterprises/"))
}

/// Reads an AMAPI devices export.
pub fn read(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    let mut index = 0usize;
    let max = ctx.limits.max_record_size;
    let warnings = for_each_record_keeping(input, max, Some(AMAPI_KEYS), |v| {
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

/// Android version of an API level (for records without `softwareInfo`).
fn android_of_api(api: i64) -> Option<&'static str> {
    Some(match api {
        26 => "8.0",
        27 => "8.1",
        28 => "9",
        29 => "10",
        30 => "11",
        31 => "12",
        32 => "12L",
        33 => "13",
        34 => "14",
        35 => "15",
        36 => "16",
        37 => "17",
        _ => return None,
    })
}

/// Every key of an AMAPI `Device` that `device` reads (of `deviceSettings`,
/// `hardwareInfo`, `networkInfo`, `securityPosture` and `softwareInfo` the
/// keys it reads inside them): only these are built when an export is read
/// (displays, memory and power events, and the rest are checked as JSON but
/// never built). A test fails when `device` looks up a key not listed here.
pub const AMAPI_KEYS: &[&str] = &[
    "adminType",
    "apiLevel",
    "applicationReports",
    "deviceSettings.encryptionStatus",
    "deviceSettings.isDeviceSecure",
    "deviceSettings.isEncrypted",
    "enrollmentTime",
    "hardwareInfo.model",
    "hardwareInfo.serialNumber",
    "lastPolicySyncTime",
    "lastStatusReportTime",
    "managementMode",
    "name",
    "networkInfo.imei",
    "networkInfo.telephonyInfos",
    "ownership",
    "policyCompliant",
    "securityPosture.devicePosture",
    "securityPosture.postureDetails",
    "softwareInfo.androidBuildNumber",
    "softwareInfo.androidVersion",
    "softwareInfo.securityPatchLevel",
    "state",
    "userId",
    "userName",
];

/// Maps one AMAPI `Device`.
fn device(v: &Record, index: usize, ctx: &Ctx) -> Result<Device, Reason> {
    if !v.is_object() {
        return Err(Reason::NotJsonObject);
    }
    let mut b = Builder::of(format!("record {index}"), v, ctx);
    b.ident(Slot::DeviceId, &["name"]);
    b.ident(Slot::User, &["userName", "userId"]);
    b.ident(Slot::Serial, &["hardwareInfo.serialNumber"]);
    b.ident(Slot::Imei, &["networkInfo.imei"]);
    b.ident(Slot::Phone, &["networkInfo.telephonyInfos.phoneNumber"]);
    b.d.platform = Some("android".into());
    b.model(&["hardwareInfo.model"]);
    b.os_version(&["softwareInfo.androidVersion"]);
    if b.d.os_version.is_none() {
        if let Some((p, api)) = b.rec.first(&["apiLevel"]) {
            if let Some(ver) = api.as_i64().and_then(android_of_api) {
                b.d.os_version = Some(ver.to_string());
                b.d.raw.os_version = Some(raw(p, api));
            }
        }
    }
    b.os_build(&["softwareInfo.androidBuildNumber"]);
    b.patch(&["softwareInfo.securityPatchLevel"]);
    b.flag(Flag::Passcode, &["deviceSettings.isDeviceSecure"]);
    if let Some((p, s)) = b.rec.first(&["deviceSettings.encryptionStatus"]) {
        let word = scalar_text(s).unwrap_or_default();
        let value = match word.as_str() {
            "ACTIVE" | "ACTIVE_PER_USER" | "ACTIVE_DEFAULT_KEY" => Some(true),
            "INACTIVE" | "UNSUPPORTED" | "ACTIVATING" => Some(false),
            _ => None,
        };
        b.d.encryption_detail = Some(word);
        b.set_flag(Flag::Encryption, value, b.evidence(p, s));
    } else {
        b.flag(Flag::Encryption, &["deviceSettings.isEncrypted"]);
    }
    if let Some((p, s)) = b.rec.first(&["securityPosture.devicePosture"]) {
        let word = scalar_text(s).unwrap_or_default();
        let value = match word.as_str() {
            "SECURE" => Some(false),
            "AT_RISK" | "POTENTIALLY_COMPROMISED" => Some(true),
            _ => None,
        };
        let risks: Vec<String> = b
            .rec
            .get("securityPosture.postureDetails")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.get("securityRisk").and_then(scalar_text))
                    .take(10)
                    .collect()
            })
            .unwrap_or_default();
        b.d.compromised_detail = Some(if risks.is_empty() {
            word
        } else {
            format!("{word} ({})", risks.join(", "))
        });
        b.set_flag(Flag::Compromised, value, b.evidence(p, s));
    }
    if let Some((p, s)) = b.rec.first(&["state"]) {
        let value = match scalar_text(s).unwrap_or_default().as_str() {
            "ACTIVE" | "DISABLED" | "LOST" => Some(true),
            "DELETED" => Some(false),
            _ => None,
        };
        b.set_flag(Flag::Managed, value, b.evidence(p, s));
    }
    if let Some((_, mode)) = b.rec.text(&["managementMode", "adminType"]) {
        b.d.supervised = match mode.as_str() {
            "DEVICE_OWNER" => Some(true),
            "PROFILE_OWNER" => Some(false),
            _ => None,
        };
        b.d.management_mode = Some(mode);
    }
    b.ownership(&["ownership"]);
    if let Some(c) = b.rec.get("policyCompliant").and_then(Value::as_bool) {
        b.d.compliance_state = Some(if c { "compliant" } else { "noncompliant" }.into());
    }
    b.check_in(&["lastStatusReportTime", "lastPolicySyncTime"]);
    b.enrolled(&["enrollmentTime"]);
    b.d.installed_messengers = super::messengers::of_record(
        &b.rec,
        "applicationReports",
        &["packageName"],
        &["displayName"],
    );
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records that use every key `device` reads (the second one the
    /// alternatives the first one's keys hide).
    const EVERY_KEY: &str = r#"{"devices":[
      {"name":"enterprises/e/devices/1","userName":"u","managementMode":"DEVICE_OWNER","state":"ACTIVE","ownership":"COMPANY_OWNED","policyCompliant":true,"enrollmentTime":"2025-01-01T00:00:00Z","lastStatusReportTime":"2026-11-01T08:00:00Z","apiLevel":34,"hardwareInfo":{"serialNumber":"S1","model":"Pixel 8","brand":"google"},"networkInfo":{"imei":"35 1","telephonyInfos":[{"phoneNumber":"+49 1","carrierName":"x"}],"wifiMacAddress":"m"},"softwareInfo":{"androidVersion":"14","androidBuildNumber":"AP1A","securityPatchLevel":"2026-10-05","bootloaderVersion":"b"},"deviceSettings":{"isDeviceSecure":true,"encryptionStatus":"ACTIVE_PER_USER","adbEnabled":false},"securityPosture":{"devicePosture":"AT_RISK","postureDetails":[{"securityRisk":"COMPROMISED_OS"}]},"applicationReports":[{"packageName":"org.thoughtcrime.securesms","displayName":"Signal"}],"displays":[{"name":"d"}],"memoryEvents":[{"eventType":"RAM_MEASURED"}]},
      {"name":"enterprises/e/devices/2","userId":"42","adminType":"PROFILE_OWNER","apiLevel":33,"lastPolicySyncTime":"2026-10-01T00:00:00Z","deviceSettings":{"isEncrypted":false},"state":"DELETED","networkInfo":{"telephonyInfos":{"phoneNumber":"+49 2"}}},
      42
    ]}"#;

    #[test]
    fn devices_read_with_only_their_keys_are_the_devices_read_whole() {
        let (every, devices) =
            super::super::keep_tests::check(AMAPI_KEYS, EVERY_KEY, "android-management", device);
        assert!(devices >= 2, "{devices}");
        assert!(every[0].contains("\"compromised\":true"), "{}", every[0]);
        assert!(every[0].contains("COMPROMISED_OS"), "{}", every[0]);
        assert!(every[1].contains("\"os_version\":\"13\""), "{}", every[1]);
        assert!(every[1].contains("\"phone\":\"pn-"), "{}", every[1]);
        assert!(every[2].contains("NotJsonObject"), "{}", every[2]);
    }
}
