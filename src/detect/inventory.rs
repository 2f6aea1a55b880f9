//! Detects the export format of an inventory by its content (never by name).
//!
//! Looks at the first bytes only: plist magic / XML root elements, JSON keys
//! typical of each vendor, CSV header vocabularies.

/// Bytes of the head examined for JSON key signatures.
pub const HEAD: usize = 64 * 1024;

/// The inventory export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Microsoft Intune Graph `managedDevice` JSON (v1.0/beta; object, page, pages, JSON lines).
    IntuneGraph,
    /// Microsoft Intune portal / report export CSV.
    IntuneCsv,
    /// Jamf Pro Classic API mobile device XML.
    JamfXml,
    /// Jamf Pro Classic API JSON or Jamf Pro API JSON.
    JamfJson,
    /// Jamf Pro advanced search CSV export.
    JamfCsv,
    /// Workspace ONE UEM devices search JSON.
    WorkspaceOne,
    /// Google Android Management API `Device` JSON.
    AndroidManagement,
    /// Apple MDM DeviceInformation / SecurityInfo responses (plist).
    AppleMdm,
    /// Generic CSV with a column mapping.
    Csv,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 9] = [
        Format::IntuneGraph,
        Format::IntuneCsv,
        Format::JamfXml,
        Format::JamfJson,
        Format::JamfCsv,
        Format::WorkspaceOne,
        Format::AndroidManagement,
        Format::AppleMdm,
        Format::Csv,
    ];

    /// The name used by `--inventory-format` and in the facts.
    pub fn name(self) -> &'static str {
        match self {
            Format::IntuneGraph => "intune-graph",
            Format::IntuneCsv => "intune-csv",
            Format::JamfXml => "jamf-xml",
            Format::JamfJson => "jamf-json",
            Format::JamfCsv => "jamf-csv",
            Format::WorkspaceOne => "workspace-one",
            Format::AndroidManagement => "android-management",
            Format::AppleMdm => "apple-mdm",
            Format::Csv => "csv",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<Format> {
        let n = name.trim().to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.name() == n)
    }
}

/// Normalizes a CSV header or key: lowercase letters and digits only
/// (`"Primary user UPN"` → `primaryuserupn`, `iOS_Version` → `iosversion`).
pub fn norm_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Detects the format from the head of an export (at most [`HEAD`] bytes
/// after a BOM and leading whitespace are examined); `None` when it
/// matches none.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if b.starts_with(b"bplist00") {
        return Some(Format::AppleMdm);
    }
    let start = b.iter().position(|c| !c.is_ascii_whitespace())?;
    let b = b.get(start..)?;
    let head = String::from_utf8_lossy(b.get(..HEAD.min(b.len()))?);
    let has = |k: &str| head.contains(k);
    match b.first()? {
        b'<' => {
            if has("<plist") {
                Some(Format::AppleMdm)
            } else if has("<mobile_device") {
                Some(Format::JamfXml)
            } else {
                None
            }
        }
        b'{' | b'[' => {
            if has("\"mobile_device\"")
                || has("\"mobile_devices\"")
                || has("\"mobileDeviceId\"")
                || has("\"userAndLocation\"")
                || has("\"deviceOwnershipLevel\"")
                || has("\"lastInventoryUpdate")
            {
                Some(Format::JamfJson)
            } else if has("\"EnrollmentStatus\"")
                || has("\"DeviceFriendlyName\"")
                || (has("\"Devices\"") && has("\"Udid\""))
            {
                Some(Format::WorkspaceOne)
            } else if has("\"jailBroken\"")
                || has("\"managementAgent\"")
                || has("\"androidSecurityPatchLevel\"")
                || has("managedDevices")
                || has("\"@odata.")
                || has("\"userPrincipalName\"")
                || (has("\"operatingSystem\"") && has("\"osVersion\""))
                || (has("\"operatingSystem\"") && has("\"complianceState\""))
            {
                Some(Format::IntuneGraph)
            } else if has("\"softwareInfo\"")
                || has("\"managementMode\"")
                || has("\"adminType\"")
                || has("\"policyCompliant\"")
                || has("\"enterprises/")
            {
                Some(Format::AndroidManagement)
            } else {
                None
            }
        }
        _ => detect_csv(&head),
    }
}

/// Detects a CSV vocabulary from the header line.
fn detect_csv(head: &str) -> Option<Format> {
    let line = head.lines().next()?;
    let headers: Vec<String> = line
        .split([',', ';', '\t'])
        .map(|h| norm_header(h.trim_matches('"')))
        .collect();
    let has = |k: &str| headers.iter().any(|h| h == k);
    if headers.len() < 2 {
        return None;
    }
    if has("iosversion")
        || has("jailbreakdetected")
        || has("passcodecompliance")
        || has("dataprotection")
    {
        return Some(Format::JamfCsv);
    }
    let intune_only = [
        "primaryuserupn",
        "managedby",
        "jailbroken",
        "compliantstate",
        "lastcontact",
    ];
    if has("platform") && has("osversion") && !intune_only.iter().any(|h| has(h)) {
        return Some(Format::Csv);
    }
    if has("primaryuserupn")
        || has("managedby")
        || has("jailbroken")
        || has("compliantstate")
        || has("lastcontact")
        || has("lastcheckin")
        || (has("deviceid") && has("os") && has("osversion"))
    {
        return Some(Format::IntuneCsv);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("nope"), None);
    }

    #[test]
    fn csv_vocabularies() {
        assert_eq!(
            detect(b"Device ID,Device name,OS,OS version,Primary user UPN\n"),
            Some(Format::IntuneCsv)
        );
        assert_eq!(
            detect(b"Display Name,Serial Number,iOS Version,Managed\n"),
            Some(Format::JamfCsv)
        );
        assert_eq!(
            detect(b"device_id;platform;os_version\n"),
            Some(Format::Csv)
        );
        assert_eq!(
            detect(b"device_id,platform,os_version,last_checkin\n"),
            Some(Format::Csv)
        );
        assert_eq!(detect(b"hello world\n"), None);
        assert_eq!(detect(b"   "), None);
        assert_eq!(detect(b"<html/>"), None);
    }
}
