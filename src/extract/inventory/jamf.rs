//! Jamf Pro: Classic API mobile device XML (single `<mobile_device>` or list
//! `<mobile_devices>`) and JSON (full record or summary list), Jamf Pro API
//! JSON (v1/v2 detail and the paginated inventory `results`), and the
//! advanced-search CSV export.
//!
//! The Classic security section is `<security>` in XML and `security_object`
//! in JSON; the Pro API nests it under `security` or `ios.security`. The
//! jailbreak fact arrives as a word (`Normal`), a boolean
//! (`jailBreakDetected`) or a status (`jailbreakStatus`); all are accepted.

use serde_json::Value;

use super::detect::Head;
use super::json::for_each_record;
use super::note::{Note, Reason, Unit};
use super::record::{raw, scalar_text, Builder, Flag, Slot};
use super::{generic_csv, xml, Collected, Ctx, InventoryError};
use crate::facts::Device;

/// Security sections, in order of preference.
const SEC: &[&str] = &["security", "security_object", "ios.security"];

/// `paths` under every security section prefix, plus the flat keys.
fn sec_paths(keys: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for prefix in SEC {
        for k in keys {
            out.push(format!("{prefix}.{k}"));
        }
    }
    out.extend(keys.iter().map(|k| k.to_string()));
    out
}

/// Jamf Pro Classic API mobile device XML.
pub fn detect_xml(h: &Head) -> bool {
    !h.binary_plist && h.first == Some(b'<') && !h.has("<plist") && h.has("<mobile_device")
}

/// Jamf Pro Classic API JSON or Jamf Pro API JSON.
pub fn detect_json(h: &Head) -> bool {
    h.json()
        && (h.has("\"mobile_device\"")
            || h.has("\"mobile_devices\"")
            || h.has("\"mobileDeviceId\"")
            || h.has("\"userAndLocation\"")
            || h.has("\"deviceOwnershipLevel\"")
            || h.has("\"lastInventoryUpdate"))
}

/// Jamf Pro advanced search CSV export.
pub fn detect_csv(h: &Head) -> bool {
    h.csv()
        && (h.header("iosversion")
            || h.header("jailbreakdetected")
            || h.header("passcodecompliance")
            || h.header("dataprotection"))
}

/// Reads a Classic API XML export.
pub fn read_xml(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    let mut index = 0usize;
    let root = xml::for_each_element(
        input,
        &["mobile_device"],
        ctx.limits.max_depth,
        ctx.limits.max_record_size,
        |r| {
            index = index.saturating_add(1);
            match r.and_then(|v| device(&v, index, ctx)) {
                Ok(d) => out.push(d),
                Err(reason) => out.warn(Note::Skipped {
                    unit: Unit::Record,
                    number: index as u64,
                    reason,
                }),
            }
        },
    )?;
    if index == 0 && root != "mobile_devices" {
        return Err(InventoryError::NotDevices(format!(
            "an XML document with root <{}>, not a Jamf mobile device export",
            root.chars().take(40).collect::<String>()
        )));
    }
    Ok(())
}

/// Reads a Classic API or Jamf Pro API JSON export.
pub fn read_json(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    let mut index = 0usize;
    let warnings = for_each_record(input, ctx.limits.max_record_size, |v| {
        // `{"mobile_device": {...}}` wraps a single Classic record.
        let v = match v {
            Value::Object(mut m) if m.len() == 1 && m.contains_key("mobile_device") => {
                m.remove("mobile_device").unwrap_or_default()
            }
            other => other,
        };
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

/// Maps one Jamf record (any generation; see the module docs).
fn device(v: &Value, index: usize, ctx: &Ctx) -> Result<Device, Reason> {
    if !v.is_object() {
        return Err(Reason::NotJamfDevice);
    }
    let mut b = Builder::of(format!("record {index}"), v, ctx);
    b.ident(Slot::DeviceId, &["general.id", "mobileDeviceId", "id"]);
    b.ident(
        Slot::DeviceName,
        &[
            "general.name",
            "general.device_name",
            "general.displayName",
            "name",
            "device_name",
            "displayName",
        ],
    );
    b.ident(Slot::Udid, &["general.udid", "udid"]);
    b.ident(
        Slot::Serial,
        &[
            "general.serial_number",
            "hardware.serialNumber",
            "serial_number",
            "serialNumber",
        ],
    );
    b.ident(
        Slot::Phone,
        &[
            "general.phone_number",
            "phone_number",
            "network.phoneNumber",
        ],
    );
    b.ident(Slot::Imei, &["network.imei", "network.IMEI", "imei"]);
    b.ident(
        Slot::User,
        &["location.username", "userAndLocation.username", "username"],
    );
    b.ident(
        Slot::Email,
        &[
            "location.email_address",
            "userAndLocation.emailAddress",
            "location.emailAddress",
            "email_address",
        ],
    );
    b.platform(&[
        "general.os_type",
        "deviceType",
        "type",
        "general.deviceType",
    ]);
    if b.d.platform.is_none() {
        // Jamf mobile devices are Apple devices; the summary list omits the OS type.
        b.d.platform = Some("ios".into());
    }
    b.model(&[
        "general.model",
        "hardware.model",
        "model",
        "general.model_display",
        "model_display",
    ]);
    b.os_version(&[
        "general.os_version",
        "general.osVersion",
        "osVersion",
        "os_version",
    ]);
    b.os_build(&["general.os_build", "general.osBuild", "osBuild", "os_build"]);
    b.rsr(&["general.osRapidSecurityResponse", "osRapidSecurityResponse"]);
    b.flag(Flag::Managed, &["general.managed", "managed"]);
    b.flag(
        Flag::Supervised,
        &["general.supervised", "ios.supervised", "supervised"],
    );
    b.ownership(&[
        "general.device_ownership_level",
        "general.deviceOwnershipType",
        "deviceOwnershipLevel",
        "deviceOwnershipType",
    ]);
    b.check_in(&[
        "general.last_inventory_update_epoch",
        "general.last_inventory_update_utc",
        "general.lastInventoryUpdateDate",
        "lastInventoryUpdateTimestamp",
        "lastInventoryUpdateDate",
        "general.last_inventory_update",
    ]);
    b.enrolled(&[
        "general.last_enrollment_epoch",
        "general.last_enrollment_utc",
        "general.lastEnrolledDate",
        "lastEnrollmentTimestamp",
    ]);
    let p = |keys: &[&str]| sec_paths(keys);
    b.flag(
        Flag::Passcode,
        &refs(&p(&[
            "passcode_present",
            "passcodePresent",
            "isPasscodePresent",
        ])),
    );
    b.flag(
        Flag::PasscodeCompliant,
        &refs(&p(&[
            "passcode_compliant",
            "passcodeCompliant",
            "isPasscodeCompliant",
        ])),
    );
    b.flag(
        Flag::Encryption,
        &refs(&p(&[
            "data_protection",
            "dataProtected",
            "isDataProtected",
            "dataProtection",
        ])),
    );
    if let Some((path, v)) = b
        .rec
        .first(&refs(&p(&["hardware_encryption", "hardwareEncryption"])))
    {
        b.d.encryption_detail = Some(raw(path, v));
    }
    jailbreak(
        &mut b,
        &refs(&p(&[
            "jailbreak_detected",
            "jailBreakDetected",
            "isJailBreakDetected",
            "jailbreakStatus",
        ])),
    );
    b.flag(
        Flag::LostMode,
        &refs(&p(&["lost_mode_enabled", "lostModeEnabled"])),
    );
    b.flag(
        Flag::CloudBackup,
        &[
            "general.cloud_backup_enabled",
            "general.cloudBackupEnabled",
            "cloudBackupEnabled",
        ],
    );
    b.d.installed_messengers = b
        .rec
        .first(&["applications", "ios.applications"])
        .and_then(|(_, apps)| messengers(apps));
    Ok(b.finish())
}

/// Bundle-id keys of an installed app (Classic `identifier`, Pro API
/// `identifier`/`bundleId`).
const APP_ID: &[&str] = &["identifier", "bundleId", "bundle_id"];
/// Name keys of an installed app (Classic `application_name`, Pro API `name`).
const APP_NAME: &[&str] = &["application_name", "name", "displayName"];

/// The messengers of a record's `applications` section `apps`: a JSON array
/// (Classic JSON, Pro API inventory), or the XML shape
/// `<applications><size>n</size><application>…</application>…</applications>`
/// (one `application` reads as an object, several as an array). `None` when
/// the record carries no app list (the summary list, a Pro API inventory
/// without the APPLICATIONS section): unknown, never "none".
fn messengers(apps: &Value) -> Option<Vec<String>> {
    let list = match apps {
        Value::Object(m) => match m.get("application") {
            Some(a @ Value::Array(_)) => a.clone(),
            Some(one @ Value::Object(_)) => Value::Array(vec![one.clone()]),
            Some(_) => return None,
            // `<applications><size>0</size></applications>`: read, and empty.
            None if m.get("size").and_then(scalar_text).as_deref() == Some("0") => {
                Value::Array(Vec::new())
            }
            None => return None,
        },
        other => other.clone(),
    };
    super::messengers::in_app_list(&list, APP_ID, APP_NAME).map(|(found, _)| found)
}

/// Reads the jailbreak fact from a word, a boolean or a status.
fn jailbreak(b: &mut Builder<'_>, paths: &[&str]) {
    let Some((p, v)) = b.rec.first(paths) else {
        return;
    };
    let value = match v {
        Value::Bool(x) => Some(*x),
        _ => scalar_text(v).and_then(|s| match s.to_ascii_lowercase().as_str() {
            "normal" | "not jailbroken" | "false" | "no" | "secure" => Some(false),
            "jailbroken" | "compromised" | "true" | "yes" | "jailbreak detected" => Some(true),
            _ => None,
        }),
    };
    b.d.compromised_detail = scalar_text(v);
    b.set_flag(Flag::Compromised, value, b.evidence(p, v));
}

/// CSV header (normalized; `iOS_Version` and `iOS Version` alike) → key.
fn csv_key(h: &str) -> Option<String> {
    let k = match h {
        "id" | "mobiledeviceid" => "id",
        "displayname" | "devicename" | "name" => "name",
        "serialnumber" => "serial_number",
        "udid" => "udid",
        "iosversion" | "osversion" | "ipadosversion" => "os_version",
        "iosbuild" | "osbuild" => "os_build",
        "model" | "modeldisplay" => "model",
        "managed" => "managed",
        "supervised" => "supervised",
        "lastinventoryupdate" => "last_inventory_update",
        "lastenrollment" => "last_enrollment",
        "dataprotection" => "data_protection",
        "hardwareencryption" => "hardware_encryption",
        "passcodestatus" | "passcodepresent" => "passcode_present",
        "passcodecompliance" | "passcodecompliant" => "passcode_compliance",
        "jailbreakdetected" | "jailbreakstatus" => "jailbreak_detected",
        "deviceownershiptype" | "deviceownershiplevel" | "ownership" => "ownership",
        "username" => "username",
        "emailaddress" => "email_address",
        "phonenumber" => "phone_number",
        "lostmodeenabled" => "lost_mode_enabled",
        "cloudbackupenabled" => "cloud_backup_enabled",
        _ => return None,
    };
    Some(k.to_string())
}

/// Reads an advanced-search CSV export.
pub fn read_csv(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    generic_csv::read_devices(
        input,
        None,
        ctx.limits.max_record_size,
        csv_key,
        |v, line| csv_device(v, line, ctx),
        out,
    )
}

/// Maps one advanced-search CSV row.
fn csv_device(v: &Value, line: u64, ctx: &Ctx) -> Device {
    let mut b = Builder::of(format!("line {line}"), v, ctx);
    b.ident(Slot::DeviceId, &["id"]);
    b.ident(Slot::DeviceName, &["name"]);
    b.ident(Slot::Serial, &["serial_number"]);
    b.ident(Slot::Udid, &["udid"]);
    b.ident(Slot::User, &["username"]);
    b.ident(Slot::Email, &["email_address"]);
    b.ident(Slot::Phone, &["phone_number"]);
    b.d.platform = Some("ios".into());
    b.model(&["model"]);
    b.os_version(&["os_version"]);
    b.os_build(&["os_build"]);
    b.flag(Flag::Managed, &["managed"]);
    b.flag(Flag::Supervised, &["supervised"]);
    b.check_in(&["last_inventory_update"]);
    b.enrolled(&["last_enrollment"]);
    b.flag(Flag::Encryption, &["data_protection"]);
    if let Some((p, v)) = b.rec.first(&["hardware_encryption"]) {
        b.d.encryption_detail = Some(raw(p, v));
    }
    b.flag(Flag::Passcode, &["passcode_present"]);
    if let Some((p, s)) = b.rec.text(&["passcode_compliance"]) {
        let l = s.to_ascii_lowercase();
        let value = if l.starts_with("not") || l.starts_with("non") {
            Some(false)
        } else if l == "compliant" {
            Some(true)
        } else {
            super::dates::bool_word(&s)
        };
        b.set_flag(Flag::PasscodeCompliant, value, Some(format!("{p} = {s:?}")));
    }
    jailbreak(&mut b, &["jailbreak_detected"]);
    b.ownership(&["ownership"]);
    b.flag(Flag::LostMode, &["lost_mode_enabled"]);
    b.flag(Flag::CloudBackup, &["cloud_backup_enabled"]);
    b.finish()
}

/// Borrows owned paths as `&str`.
fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
