//! Provisioning profiles (`embedded.mobileprovision`, `.provisionprofile`):
//! a CMS SignedData whose encapsulated content is an XML plist.
//!
//! The content is taken from the CMS structure (DER, via the `cms` crate).
//! Apple also ships BER profiles with indefinite lengths, which a DER parser
//! refuses; then the `<?xml … </plist>` span is located in the raw bytes
//! (the content is stored as one contiguous octet string in practice). The
//! signature is not verified: the profile tells what the app was built to
//! do, it is not trusted for anything else.

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::OctetString;
use der::Decode;
use plist::{Dictionary, Value};
use thiserror::Error;

use super::plist::{dict_to_json, get_bool, get_string, read_dict, PlistError};
use crate::facts::Provisioning;
use crate::limits::Limits;

/// Why a provisioning profile could not be read.
#[derive(Debug, Error)]
pub enum ProfileError {
    /// The file is empty.
    #[error("empty provisioning profile (0 bytes)")]
    Empty,
    /// Neither CMS content nor an embedded plist was found.
    #[error("no property list inside the provisioning profile (CMS: {cms})")]
    NoPlist {
        /// Why CMS parsing failed.
        cms: String,
    },
    /// The embedded plist is unreadable.
    #[error("provisioning profile plist: {0}")]
    Plist(#[from] PlistError),
}

/// How the profile's plist was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSource {
    /// The encapsulated content of a DER CMS SignedData.
    Cms,
    /// The `<?xml … </plist>` span inside a non-DER (e.g. BER) CMS blob.
    XmlScan,
    /// The file is a plain (unsigned) plist.
    PlainPlist,
}

/// A provisioning profile read from a file.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The facts for the report.
    pub facts: Provisioning,
    /// The whole plist.
    pub plist: Dictionary,
    /// The profile's `Entitlements` dictionary.
    pub entitlements: Dictionary,
    /// How the plist was found.
    pub source: ProfileSource,
    /// `Platform` values, e.g. `iOS`, `OSX`.
    pub platforms: Vec<String>,
}

fn cms_content(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let ci = ContentInfo::from_der(bytes).map_err(|e| e.to_string())?;
    let sd: SignedData = ci.content.decode_as().map_err(|e| e.to_string())?;
    let any = sd
        .encap_content_info
        .econtent
        .ok_or_else(|| "SignedData without encapsulated content".to_string())?;
    let octets: OctetString = any.decode_as().map_err(|e| e.to_string())?;
    Ok(octets.into_bytes())
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .and_then(|p| p.checked_add(from))
}

/// Finds the `<?xml … </plist>` span in raw bytes.
pub fn xml_span(bytes: &[u8]) -> Option<&[u8]> {
    let start = find(bytes, b"<?xml", 0).or_else(|| find(bytes, b"<plist", 0))?;
    let end = find(bytes, b"</plist>", start)?.checked_add(b"</plist>".len())?;
    bytes.get(start..end)
}

/// Reads a provisioning profile (CMS-signed or plain plist).
pub fn read_profile(bytes: &[u8], limits: &Limits) -> Result<Profile, ProfileError> {
    if bytes.is_empty() {
        return Err(ProfileError::Empty);
    }
    let (plist, source) =
        if bytes.trim_ascii_start().starts_with(b"<") || bytes.starts_with(b"bplist") {
            (read_dict(bytes, limits)?, ProfileSource::PlainPlist)
        } else {
            match cms_content(bytes) {
                Ok(content) => (read_dict(&content, limits)?, ProfileSource::Cms),
                Err(cms) => {
                    let span = xml_span(bytes).ok_or(ProfileError::NoPlist { cms })?;
                    (read_dict(span, limits)?, ProfileSource::XmlScan)
                }
            }
        };
    Ok(profile_from_plist(plist, source))
}

/// Builds the profile facts from its plist.
pub fn profile_from_plist(plist: Dictionary, source: ProfileSource) -> Profile {
    let entitlements = plist
        .get("Entitlements")
        .and_then(Value::as_dictionary)
        .cloned()
        .unwrap_or_default();
    let devices = match plist.get("ProvisionedDevices") {
        Some(Value::Array(a)) => Some(a.len()),
        _ => None,
    };
    let all = get_bool(&plist, "ProvisionsAllDevices").unwrap_or(false);
    let get_task_allow = get_bool(&entitlements, "get-task-allow").unwrap_or(false);
    let kind = if all {
        "enterprise"
    } else if devices.is_some() && get_task_allow {
        "development"
    } else if devices.is_some() {
        "ad_hoc"
    } else {
        "app_store"
    };
    let team_id = match plist.get("TeamIdentifier") {
        Some(Value::Array(a)) => a.iter().find_map(|v| v.as_string().map(str::to_string)),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let expiration = match plist.get("ExpirationDate") {
        Some(Value::Date(d)) => Some(d.to_xml_format()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let platforms = super::plist::get_strings(&plist, "Platform");
    let facts = Provisioning {
        kind: kind.to_string(),
        team_id,
        team_name: get_string(&plist, "TeamName"),
        name: get_string(&plist, "Name"),
        uuid: get_string(&plist, "UUID"),
        expiration,
        provisioned_devices: devices.unwrap_or(0),
        provisions_all_devices: all,
        entitlements: dict_to_json(&entitlements),
    };
    Profile {
        facts,
        plist,
        entitlements,
        source,
        platforms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(body: &str) -> Profile {
        let xml =
            format!("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>{body}</dict></plist>");
        read_profile(xml.as_bytes(), &Limits::default()).unwrap()
    }

    #[test]
    fn classifies_profile_types() {
        let ents = "<key>Entitlements</key><dict><key>get-task-allow</key><true/></dict>";
        let dev = profile(&format!(
            "{ents}<key>ProvisionedDevices</key><array><string>a</string></array>"
        ));
        assert_eq!(dev.facts.kind, "development");
        assert_eq!(dev.facts.provisioned_devices, 1);
        let adhoc = profile(
            "<key>ProvisionedDevices</key><array><string>a</string><string>b</string></array>",
        );
        assert_eq!(adhoc.facts.kind, "ad_hoc");
        let ent = profile("<key>ProvisionsAllDevices</key><true/>");
        assert_eq!(ent.facts.kind, "enterprise");
        let store = profile("<key>TeamIdentifier</key><array><string>ABC</string></array><key>ExpirationDate</key><date>2016-11-07T12:00:00Z</date>");
        assert_eq!(store.facts.kind, "app_store");
        assert_eq!(store.facts.team_id.as_deref(), Some("ABC"));
        assert_eq!(
            store.facts.expiration.as_deref(),
            Some("2016-11-07T12:00:00Z")
        );
        assert_eq!(store.source, ProfileSource::PlainPlist);
    }

    #[test]
    fn garbage_and_empty_are_errors() {
        assert!(matches!(
            read_profile(b"", &Limits::default()),
            Err(ProfileError::Empty)
        ));
        assert!(matches!(
            read_profile(b"\x30\x80garbage", &Limits::default()),
            Err(ProfileError::NoPlist { .. })
        ));
    }
}
