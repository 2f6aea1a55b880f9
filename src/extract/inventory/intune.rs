//! Microsoft Intune: Graph `managedDevice` JSON (v1.0 and beta) and the portal
//! / report-export CSV (display-name or API-style headers).

use std::borrow::Cow;

use serde_json::Value;

use super::batch::map_records;
use super::detect::Head;
use super::json::{for_each_record_keeping, Record};
use super::note::Reason;
use super::record::{scalar_text, scalar_text_ref, with_ascii_lowercase, Builder, Flag, Slot};
use super::{generic_csv, Collected, Ctx, InventoryError};
use crate::facts::Device;

/// Headers only Intune's CSV exports have.
pub const INTUNE_ONLY: [&str; 5] = [
    "primaryuserupn",
    "managedby",
    "jailbroken",
    "compliantstate",
    "lastcontact",
];

/// Microsoft Intune Graph `managedDevice` JSON.
pub fn detect_graph(h: &Head) -> bool {
    h.json()
        && (h.has("\"jailBroken\"")
            || h.has("\"managementAgent\"")
            || h.has("\"androidSecurityPatchLevel\"")
            || h.has("managedDevices")
            || h.has("\"@odata.")
            || h.has("\"userPrincipalName\"")
            || (h.has("\"operatingSystem\"") && h.has("\"osVersion\""))
            || (h.has("\"operatingSystem\"") && h.has("\"complianceState\"")))
}

/// Microsoft Intune portal / report export CSV.
pub fn detect_csv(h: &Head) -> bool {
    h.csv()
        && (INTUNE_ONLY.iter().any(|k| h.header(k))
            || h.header("lastcheckin")
            || (h.header("deviceid") && h.header("os") && h.header("osversion")))
}

/// Reads a Graph `managedDevices` export.
pub fn read_graph(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    // Records read before an error are passed on (a partial read keeps them).
    let (warnings, index, read) = map_records(
        out,
        |v: &Record, index| graph_device(v, index, ctx),
        Record::heap_bytes,
        |sink| for_each_record_keeping(input, ctx.limits.max_record_size, Some(GRAPH_KEYS), sink),
    );
    let warnings = warnings?;
    if read == 0 && index > 0 {
        return Err(InventoryError::NotDevices(match index {
            1 => "the only record is not an Intune managedDevice (a policy or report export?)"
                .to_string(),
            n => format!(
                "none of the {n} records is an Intune managedDevice (a policy or report export?)"
            ),
        }));
    }
    warnings.into_iter().for_each(|w| out.warn(w));
    Ok(())
}

/// Every key of a Graph `managedDevice` that `graph_device` reads (of
/// `hardwareInformation`, whose object has some 45 keys, only the one it
/// reads): only these are built when an export is read. A real record has
/// 55–79 keys, most of them about Windows, Exchange or storage; the others
/// are checked as JSON but never built. A test reads every corpus record
/// and fails when `graph_device` looks up a key not listed here.
pub const GRAPH_KEYS: &[&str] = &[
    "@odata.type",
    "androidSecurityPatchLevel",
    "complianceState",
    "detectedApps",
    "deviceEnrollmentType",
    "deviceName",
    "deviceType",
    "emailAddress",
    "enrolledDateTime",
    "hardwareInformation.isEncrypted",
    "id",
    "imei",
    "isEncrypted",
    "isSupervised",
    "jailBroken",
    "lastSyncDateTime",
    "lostModeState",
    "managedDeviceName",
    "managedDeviceOwnerType",
    "managementAgent",
    "managementState",
    "model",
    "operatingSystem",
    "osVersion",
    "ownerType",
    "partnerReportedThreatState",
    "phoneNumber",
    "serialNumber",
    "udid",
    "userPrincipalName",
];

/// Maps one Graph `managedDevice`.
fn graph_device(v: &Record, index: usize, ctx: &Ctx) -> Result<Device, Reason> {
    if !v.is_object() {
        return Err(Reason::NotJsonObject);
    }
    let mut b = Builder::of(format!("record {index}"), v, ctx);
    // (Every key is looked up through the record, so the test of
    // GRAPH_KEYS sees it.)
    let odata_type = b
        .rec
        .raw("@odata.type")
        .and_then(Value::as_str)
        .unwrap_or("managedDevice");
    // A record naming no OS and no name is still a device when it carries a
    // device's security facts: skipping it would drop what it says (a
    // jailbroken flag) from the fleet.
    let device_keys = [
        "operatingSystem",
        "osVersion",
        "deviceName",
        "managedDeviceName",
        "jailBroken",
        "isEncrypted",
        "androidSecurityPatchLevel",
        "managementAgent",
        "complianceState",
        "serialNumber",
        "imei",
    ];
    if !odata_type.contains("managedDevice") || !device_keys.iter().any(|k| b.rec.raw(k).is_some())
    {
        return Err(Reason::NotIntuneDevice);
    }
    b.ident(Slot::DeviceId, &["id"]);
    b.ident(Slot::DeviceName, &["deviceName", "managedDeviceName"]);
    b.ident(Slot::User, &["userPrincipalName"]);
    b.ident(Slot::Email, &["emailAddress"]);
    b.ident(Slot::Serial, &["serialNumber"]);
    b.ident(Slot::Imei, &["imei"]);
    b.ident(Slot::Phone, &["phoneNumber"]);
    b.ident(Slot::Udid, &["udid"]);
    b.platform(&["operatingSystem"]);
    b.model(&["model"]);
    if b.rec
        .text(&["deviceType"])
        .is_some_and(|(_, t)| t.eq_ignore_ascii_case("ipad"))
    {
        b.d.platform = Some("ipados".into());
    }
    b.os_version(&["osVersion"]);
    b.patch(&["androidSecurityPatchLevel"]);
    // On an iPhone or iPad `isEncrypted` is kept as exported although Apple's
    // Data Protection (storage bound to the user) needs a passcode, which a
    // `managedDevice` never reports: only Intune's compliance export, joined
    // after this record is read (`compliance_join`), can say it. DEV-03 applies
    // the rule on the joined facts (passcode false → fail, unknown → manual),
    // as the Apple MDM reader does on `HardwareEncryptionCaps`.
    b.flag(Flag::Encryption, &["isEncrypted"]);
    // Beta also reports hardwareInformation.isEncrypted; recorded tenants show
    // it disagreeing with the top-level field. Keep the top-level value, say so.
    let hw = b
        .rec
        .get("hardwareInformation.isEncrypted")
        .and_then(Value::as_bool);
    if let (Some(top), Some(hw)) = (b.d.encryption, hw) {
        if top != hw {
            b.d.encryption_detail = Some(format!(
                "isEncrypted = {top}, but hardwareInformation.isEncrypted = {hw} (the export disagrees with itself)"
            ));
            b.d.encryption_detail_de = Some(format!(
                "isEncrypted = {top}, aber hardwareInformation.isEncrypted = {hw} (der Export widerspricht sich selbst)"
            ));
            b.d.encryption_contradiction = Some("export".into());
        }
    }
    b.flag(Flag::Compromised, &["jailBroken"]);
    partner_threat(&mut b);
    b.flag(Flag::Supervised, &["isSupervised"]);
    if let Some((_, s)) = b.rec.text(&["lostModeState"]) {
        b.d.lost_mode = match s.as_str() {
            "enabled" => Some(true),
            "disabled" => Some(false),
            _ => None,
        };
    }
    b.compliance(&["complianceState"]);
    managed(&mut b, &["managementAgent"], &["managementState"]);
    if let Some((_, m)) = b.rec.text(&["deviceEnrollmentType"]) {
        b.d.management_mode = Some(m);
    }
    b.ownership(&["managedDeviceOwnerType", "ownerType"]);
    b.check_in(&["lastSyncDateTime"]);
    b.enrolled(&["enrolledDateTime"]);
    // Graph `managedDevice` with `$expand=detectedApps`: names, no ids.
    b.d.installed_messengers =
        super::messengers::of_record(&b.rec, "detectedApps", &[], &["displayName"]);
    Ok(b.finish())
}

/// A Mobile Threat Defense partner's verdict (`partnerReportedThreatState`):
/// `compromised` makes the device compromised even when `jailBroken` says
/// `"False"` or `"Unknown"` (the evidence then names the partner field).
/// Other states (`secured`, severities, `activated`, …) say nothing about
/// the device's integrity and leave `jailBroken`'s value.
fn partner_threat(b: &mut Builder<'_>) {
    if b.d.compromised == Some(true) {
        return;
    }
    if let Some((p, v)) = b.rec.first(&["partnerReportedThreatState"]) {
        if scalar_text(v).is_some_and(|s| s.eq_ignore_ascii_case("compromised")) {
            b.d.compromised_detail = scalar_text(v);
            b.set_flag(Flag::Compromised, Some(true), b.evidence(p, v));
        }
    }
}

/// Decides `managed` from the management agent (`eas` alone = Exchange only,
/// not MDM-enrolled) and, where exported, the management state
/// (`retirePending`, `wipeIssued`, … = leaving management).
fn managed(b: &mut Builder<'_>, agent_paths: &[&str], state_paths: &[&str]) {
    if let Some((p, v)) = b.rec.first(agent_paths) {
        let agent = scalar_text_ref(v);
        let value = agent.as_deref().and_then(agent_managed);
        b.set_flag(Flag::Managed, value, b.evidence(p, v));
        if b.d.management_mode.is_none() {
            b.d.management_mode = agent.map(Cow::into_owned);
        }
    }
    if let Some((p, v)) = b.rec.first(state_paths) {
        let state = scalar_text_ref(v).unwrap_or_default();
        let (leaving, managed) = with_ascii_lowercase(&state, |state| {
            let leaving = ["retire", "wipe", "delete", "discovered", "unhealthy"]
                .iter()
                .any(|w| state.contains(w));
            (leaving, state == "managed")
        });
        if leaving {
            b.set_flag(Flag::Managed, Some(false), b.evidence(p, v));
        } else if b.d.managed.is_none() && managed {
            b.set_flag(Flag::Managed, Some(true), b.evidence(p, v));
        }
    }
}

/// Whether a management agent value means MDM enrollment.
fn agent_managed(agent: &str) -> Option<bool> {
    with_ascii_lowercase(agent.trim(), |a| match a {
        "eas" | "exchange activesync" | "exchangeactivesync" => Some(false),
        "unknown" | "" => None,
        _ if [
            "mdm",
            "intune",
            "client",
            "co-managed",
            "comanaged",
            "configmgr",
            "configurationmanager",
            "jamf",
            "google",
            "aosp",
            "sense",
            "gcdpc",
        ]
        .iter()
        .any(|w| a.contains(w)) =>
        {
            Some(true)
        }
        _ => None,
    })
}

/// CSV header (normalized) → field key used by [`csv_device`]; both the
/// display-name vocabulary and the API-style names are accepted.
fn csv_key(h: &str) -> Option<String> {
    let k = match h {
        "deviceid" | "intunedeviceid" => "id",
        "devicename" | "managedbyname" => "name",
        "os" | "devicetype" | "operatingsystem" | "platform" => "os",
        "osversion" => "osversion",
        "securitypatchlevel" | "androidpatchlevel" | "androidsecuritypatchlevel" => "patch",
        "encrypted" | "isencrypted" | "encryptionstatusstring" | "encryptionstatus" => "encrypted",
        "jailbroken" => "jailbroken",
        "supervised" | "issupervised" | "supervisedstatusstring" => "supervised",
        "compliance" | "compliantstate" | "compliancestate" => "compliance",
        "managedby" | "managementagent" => "agent",
        "devicestate" | "managementstate" => "state",
        "ownership" | "ownertype" | "managedownertype" => "ownership",
        "lastcheckin" | "lastcontact" | "lastsyncdatetime" => "lastcheckin",
        "enrollmentdate" | "createddate" | "enrolleddate" => "enrolled",
        "primaryuserupn" | "upn" | "userprincipalname" => "upn",
        "primaryuseremailaddress" | "useremail" | "emailaddress" => "email",
        "serialnumber" => "serial",
        "imei" => "imei",
        "phonenumber" => "phone",
        "model" => "model",
        "enrollmenttype" | "deviceenrollmenttype" => "enrollmenttype",
        _ => return None,
    };
    Some(k.to_string())
}

/// Reads an Intune CSV export.
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

/// Maps one Intune CSV row.
fn csv_device(v: &Value, line: u64, ctx: &Ctx) -> Device {
    let mut b = Builder::of(format!("line {line}"), v, ctx);
    b.ident(Slot::DeviceId, &["id"]);
    b.ident(Slot::DeviceName, &["name"]);
    b.ident(Slot::User, &["upn"]);
    b.ident(Slot::Email, &["email"]);
    b.ident(Slot::Serial, &["serial"]);
    b.ident(Slot::Imei, &["imei"]);
    b.ident(Slot::Phone, &["phone"]);
    b.platform(&["os"]);
    b.model(&["model"]);
    b.os_version(&["osversion"]);
    b.patch(&["patch"]);
    b.flag(Flag::Encryption, &["encrypted"]);
    if b.d.encryption.is_none() {
        // API-style `EncryptionStatusString` says "Encrypted" / "Not encrypted".
        if let Some((p, s)) = b.rec.text(&["encrypted"]) {
            // Only the words for the two states; "Unknown", "Not applicable"
            // and anything else leave it unknown.
            let value = match s.trim().to_lowercase().as_str() {
                "not encrypted" | "unencrypted" | "nicht verschlüsselt" | "unverschlüsselt" => {
                    Some(false)
                }
                "encrypted" | "verschlüsselt" => Some(true),
                _ => None,
            };
            b.set_flag(Flag::Encryption, value, Some(format!("{p} = {s:?}")));
        }
    }
    b.flag(Flag::Compromised, &["jailbroken"]);
    b.flag(Flag::Supervised, &["supervised"]);
    b.compliance(&["compliance"]);
    managed(&mut b, &["agent"], &["state"]);
    if let Some((_, m)) = b.rec.text(&["enrollmenttype"]) {
        b.d.management_mode = Some(m);
    }
    b.ownership(&["ownership"]);
    b.check_in(&["lastcheckin"]);
    b.enrolled(&["enrolled"]);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records that use every key [`graph_device`] reads, in the forms
    /// that change what it finds.
    const EVERY_KEY: &str = r##"{"value":[
      {"@odata.type":"#microsoft.graph.managedDevice","id":"d-1","deviceName":"Station 3","userPrincipalName":"a@b.invalid","emailAddress":"a@b.invalid","serialNumber":"S1","imei":"35 1234","phoneNumber":"+49 30 1","udid":"U1","operatingSystem":"iOS","deviceType":"iPad","model":"iPad Pro","osVersion":"18.7.9","isEncrypted":true,"hardwareInformation":{"isEncrypted":false,"serialNumber":"x"},"jailBroken":"False","partnerReportedThreatState":"compromised","isSupervised":true,"lostModeState":"enabled","complianceState":"compliant","managementAgent":"mdm","managementState":"retirePending","deviceEnrollmentType":"appleBulkWithUser","managedDeviceOwnerType":"company","lastSyncDateTime":"2026-11-01T08:00:00Z","enrolledDateTime":"2025-01-01T00:00:00Z","detectedApps":[{"displayName":"WhatsApp Messenger"},{"displayName":"Signal"}],"notes":"x","manufacturer":"Apple","wiFiMacAddress":"00"},
      {"managedDeviceName":"m-2","ownerType":"personal","operatingSystem":"Android","osVersion":"14","androidSecurityPatchLevel":"2026-10-01","jailBroken":"Unknown","managementAgent":"eas","lostModeState":"disabled","managementState":"managed","detectedApps":null},
      {"@odata.type":"#microsoft.graph.windows10CompliancePolicy","displayName":"policy","osVersion":"10"},
      {"displayName":"not a device"},
      42,
      {"id":"d9","serialNumber":"S9","jailBroken":"True","isEncrypted":false,"managementAgent":"mdm"}
    ]}"##;

    #[test]
    fn graph_devices_read_with_only_their_keys_are_the_devices_read_whole() {
        let (every, devices) =
            super::super::keep_tests::check(GRAPH_KEYS, EVERY_KEY, "intune", graph_device);
        // The sample's two devices, and the corpus's when it is present.
        assert!(devices >= 2, "{devices}");
        assert!(every[0].contains("\"compromised\":true"), "{}", every[0]);
        assert!(every[0].contains("disagrees with itself"), "{}", every[0]);
        assert!(
            every[0].contains("\"encryption_contradiction\":\"export\""),
            "{}",
            every[0]
        );
        assert!(every[2].contains("NotIntuneDevice"), "{}", every[2]);
        // No OS and no name, but a device's security facts: a device, its
        // jailbreak not dropped from the fleet.
        assert!(every[5].starts_with('{'), "{}", every[5]);
        assert!(every[5].contains("\"compromised\":true"), "{}", every[5]);
    }

    #[test]
    fn agents() {
        assert_eq!(agent_managed("eas"), Some(false));
        assert_eq!(agent_managed("easMdm"), Some(true));
        assert_eq!(agent_managed("intuneAosp"), Some(true));
        assert_eq!(agent_managed("Intune"), Some(true));
        assert_eq!(agent_managed("unknown"), None);
        assert_eq!(agent_managed("somethingNew"), None);
    }
}
