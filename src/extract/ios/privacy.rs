//! Privacy manifests (`PrivacyInfo.xcprivacy`).

use plist::{Dictionary, Value};

use super::plist::{get_bool, get_string, get_strings, read_dict, PlistError};
use crate::facts::PrivacyManifest;
use crate::limits::Limits;

/// Reads one privacy manifest; `path` is recorded as given.
pub fn read_privacy_manifest(
    path: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<PrivacyManifest, PlistError> {
    Ok(from_dict(path, &read_dict(bytes, limits)?))
}

fn collect(dict: &Dictionary, list: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::Array(items)) = dict.get(list) {
        for item in items {
            if let Some(s) = item.as_dictionary().and_then(|d| get_string(d, key)) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Builds the manifest facts from its dictionary.
pub fn from_dict(path: &str, dict: &Dictionary) -> PrivacyManifest {
    PrivacyManifest {
        path: path.to_string(),
        tracking: get_bool(dict, "NSPrivacyTracking"),
        tracking_domains: get_strings(dict, "NSPrivacyTrackingDomains"),
        collected_data_types: collect(
            dict,
            "NSPrivacyCollectedDataTypes",
            "NSPrivacyCollectedDataType",
        ),
        accessed_api_types: collect(
            dict,
            "NSPrivacyAccessedAPITypes",
            "NSPrivacyAccessedAPIType",
        ),
    }
}
