//! Detects the export format of an inventory by its content (never by name).
//!
//! Looks at the first bytes only: plist magic / XML root elements, JSON keys
//! typical of each vendor, CSV header vocabularies. One predicate per format
//! over a prepared [`Head`]; the registry of inventory formats
//! (`extract::inventory::registry`) names them and tries them in its order.

/// Bytes of the head examined for JSON key signatures.
pub const HEAD: usize = 64 * 1024;

/// Normalizes a CSV header or key: lowercase letters and digits only
/// (`"Primary user UPN"` → `primaryuserupn`, `iOS_Version` → `iosversion`).
pub fn norm_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The head of an export as the format predicates see it: at most [`HEAD`]
/// bytes after a BOM and leading whitespace, as text, and the normalized
/// headers of its first line (for CSV vocabularies).
#[derive(Debug, Clone)]
pub struct Head {
    /// Whether the export is a binary property list (`bplist00`).
    pub binary_plist: bool,
    /// The first non-blank byte (`None` when there is none).
    pub first: Option<u8>,
    /// The head as text (lossy UTF-8).
    pub text: String,
    /// The normalized headers of the first line, split at `,`, `;` or tab.
    pub headers: Vec<String>,
}

impl Head {
    /// Prepares the head of an export (its first bytes).
    pub fn new(bytes: &[u8]) -> Head {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let binary_plist = b.starts_with(b"bplist00");
        let start = b
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(b.len());
        let b = &b[start..];
        let text = String::from_utf8_lossy(&b[..HEAD.min(b.len())]).into_owned();
        let headers = text
            .lines()
            .next()
            .unwrap_or_default()
            .split([',', ';', '\t'])
            .map(|h| norm_header(h.trim_matches('"')))
            .collect();
        Head {
            binary_plist,
            first: b.first().copied(),
            text,
            headers,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.text.contains(key)
    }

    fn json(&self) -> bool {
        matches!(self.first, Some(b'{' | b'['))
    }

    fn csv(&self) -> bool {
        !self.binary_plist
            && !matches!(self.first, Some(b'{' | b'[' | b'<') | None)
            && self.headers.len() >= 2
    }

    fn header(&self, key: &str) -> bool {
        self.headers.iter().any(|h| h == key)
    }
}

/// Apple MDM DeviceInformation / SecurityInfo responses: a property list.
pub fn apple_mdm(h: &Head) -> bool {
    h.binary_plist || (h.first == Some(b'<') && h.has("<plist"))
}

/// Jamf Pro Classic API mobile device XML.
pub fn jamf_xml(h: &Head) -> bool {
    !h.binary_plist && h.first == Some(b'<') && !h.has("<plist") && h.has("<mobile_device")
}

/// Jamf Pro Classic API JSON or Jamf Pro API JSON.
pub fn jamf_json(h: &Head) -> bool {
    h.json()
        && (h.has("\"mobile_device\"")
            || h.has("\"mobile_devices\"")
            || h.has("\"mobileDeviceId\"")
            || h.has("\"userAndLocation\"")
            || h.has("\"deviceOwnershipLevel\"")
            || h.has("\"lastInventoryUpdate"))
}

/// Workspace ONE UEM devices search JSON.
pub fn workspace_one(h: &Head) -> bool {
    h.json()
        && (h.has("\"EnrollmentStatus\"")
            || h.has("\"DeviceFriendlyName\"")
            || (h.has("\"Devices\"") && h.has("\"Udid\"")))
}

/// Microsoft Intune Graph `managedDevice` JSON.
pub fn intune_graph(h: &Head) -> bool {
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

/// Google Android Management API `Device` JSON.
pub fn android_management(h: &Head) -> bool {
    h.json()
        && (h.has("\"softwareInfo\"")
            || h.has("\"managementMode\"")
            || h.has("\"adminType\"")
            || h.has("\"policyCompliant\"")
            || h.has("\"enterprises/"))
}

/// Jamf Pro advanced search CSV export.
pub fn jamf_csv(h: &Head) -> bool {
    h.csv()
        && (h.header("iosversion")
            || h.header("jailbreakdetected")
            || h.header("passcodecompliance")
            || h.header("dataprotection"))
}

/// Headers only Intune's CSV exports have.
const INTUNE_ONLY: [&str; 5] = [
    "primaryuserupn",
    "managedby",
    "jailbroken",
    "compliantstate",
    "lastcontact",
];

/// Generic CSV: `platform` and `os_version` columns, none of Intune's own.
pub fn generic_csv(h: &Head) -> bool {
    h.csv()
        && h.header("platform")
        && h.header("osversion")
        && !INTUNE_ONLY.iter().any(|k| h.header(k))
}

/// Microsoft Intune portal / report export CSV.
pub fn intune_csv(h: &Head) -> bool {
    h.csv()
        && (INTUNE_ONLY.iter().any(|k| h.header(k))
            || h.header("lastcheckin")
            || (h.header("deviceid") && h.header("os") && h.header("osversion")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_vocabularies() {
        let head = |s: &str| Head::new(s.as_bytes());
        assert!(intune_csv(&head(
            "Device ID,Device name,OS,OS version,Primary user UPN\n"
        )));
        assert!(jamf_csv(&head(
            "Display Name,Serial Number,iOS Version,Managed\n"
        )));
        assert!(generic_csv(&head("device_id;platform;os_version\n")));
        let both = head("device_id,platform,os_version,last_checkin\n");
        assert!(generic_csv(&both), "generic CSV is tried before Intune's");
        let intune = head("device_id,platform,os_version,primary_user_upn\n");
        assert!(!generic_csv(&intune) && intune_csv(&intune));
        for text in ["hello world\n", "   ", "<html/>"] {
            let h = head(text);
            let all: [fn(&Head) -> bool; 9] = [
                apple_mdm,
                jamf_xml,
                jamf_json,
                workspace_one,
                intune_graph,
                android_management,
                jamf_csv,
                generic_csv,
                intune_csv,
            ];
            assert!(all.iter().all(|f| !f(&h)), "{text:?}");
        }
    }
}
