//! Attribute lookup and value conversion for manifest and resource XML.
//!
//! `android:` attributes are matched by resource id, as Android does; only
//! when the document has no resource map (or the id is not known here) is the
//! name in the android namespace used instead.

use super::arsc::{is_reference, ResourceTable};
use super::axml::{value_type, TypedValue, XmlAttribute, XmlElement};

/// The android namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// An `android:` attribute: its name and (when known) its resource id.
#[derive(Debug, Clone, Copy)]
pub struct AndroidAttr {
    /// Attribute name without prefix.
    pub name: &'static str,
    /// Resource id in the framework (`android.R.attr`), when known.
    pub id: Option<u32>,
}

macro_rules! attrs {
    ($($ident:ident = $name:literal, $id:expr;)*) => {
        $(
            #[doc = concat!("`android:", $name, "`.")]
            pub const $ident: AndroidAttr = AndroidAttr { name: $name, id: $id };
        )*
        /// Every attribute above, for checks against the framework's ids.
        pub const ALL: &[AndroidAttr] = &[$($ident),*];
    };
}

attrs! {
    LABEL = "label", Some(0x0101_0001);
    NAME = "name", Some(0x0101_0003);
    PERMISSION = "permission", Some(0x0101_0006);
    READ_PERMISSION = "readPermission", Some(0x0101_0007);
    WRITE_PERMISSION = "writePermission", Some(0x0101_0008);
    PROTECTION_LEVEL = "protectionLevel", Some(0x0101_0009);
    SHARED_USER_ID = "sharedUserId", Some(0x0101_000b);
    HAS_CODE = "hasCode", Some(0x0101_000c);
    DEBUGGABLE = "debuggable", Some(0x0101_000f);
    EXPORTED = "exported", Some(0x0101_0010);
    AUTHORITIES = "authorities", Some(0x0101_0018);
    GRANT_URI_PERMISSIONS = "grantUriPermissions", Some(0x0101_001b);
    VALUE = "value", Some(0x0101_0024);
    RESOURCE = "resource", Some(0x0101_0025);
    MIME_TYPE = "mimeType", Some(0x0101_0026);
    SCHEME = "scheme", Some(0x0101_0027);
    HOST = "host", Some(0x0101_0028);
    PORT = "port", Some(0x0101_0029);
    PATH = "path", Some(0x0101_002a);
    PATH_PREFIX = "pathPrefix", Some(0x0101_002b);
    PATH_PATTERN = "pathPattern", Some(0x0101_002c);
    MIN_SDK_VERSION = "minSdkVersion", Some(0x0101_020c);
    VERSION_CODE = "versionCode", Some(0x0101_021b);
    VERSION_NAME = "versionName", Some(0x0101_021c);
    TARGET_SDK_VERSION = "targetSdkVersion", Some(0x0101_0270);
    TEST_ONLY = "testOnly", Some(0x0101_0272);
    ALLOW_BACKUP = "allowBackup", Some(0x0101_0280);
    FULL_BACKUP_CONTENT = "fullBackupContent", Some(0x0101_04eb);
    USES_CLEARTEXT_TRAFFIC = "usesCleartextTraffic", Some(0x0101_04ec);
    NETWORK_SECURITY_CONFIG = "networkSecurityConfig", Some(0x0101_0527);
    FOREGROUND_SERVICE_TYPE = "foregroundServiceType", Some(0x0101_0599);
    HAS_FRAGILE_USER_DATA = "hasFragileUserData", Some(0x0101_059a);
    REQUEST_LEGACY_EXTERNAL_STORAGE = "requestLegacyExternalStorage", Some(0x0101_0603);
    DATA_EXTRACTION_RULES = "dataExtractionRules", Some(0x0101_063e);
    BACKUP_AGENT = "backupAgent", Some(0x0101_027f);
    FULL_BACKUP_ONLY = "fullBackupOnly", Some(0x0101_0473);
    CONTENT_AUTHORITY = "contentAuthority", Some(0x0101_0290);
    ACCOUNT_TYPE = "accountType", Some(0x0101_028f);
    KEY = "key", Some(0x0101_01e8);
    IS_FEATURE_SPLIT = "isFeatureSplit", Some(0x0101_055b);
}

/// Finds an `android:` attribute of `el`: by resource id when the id is known
/// here (and, in documents without a resource map, by name); by name in the
/// android namespace when the id is not known here.
pub fn android(
    el: &XmlElement,
    attr: AndroidAttr,
    has_resource_map: bool,
) -> Option<&XmlAttribute> {
    let by_name =
        |a: &&XmlAttribute| a.name == attr.name && a.namespace.as_deref() == Some(ANDROID_NS);
    match attr.id {
        Some(id) => el
            .attributes
            .iter()
            .find(|a| a.resource_id == Some(id))
            .or_else(|| {
                if has_resource_map {
                    None
                } else {
                    el.attributes
                        .iter()
                        .filter(|a| a.resource_id.is_none())
                        .find(by_name)
                }
            }),
        None => el.attributes.iter().find(by_name),
    }
}

/// Finds an attribute without namespace (e.g. `package`, `split`, `domain`).
pub fn plain<'e>(el: &'e XmlElement, name: &str) -> Option<&'e XmlAttribute> {
    el.attributes
        .iter()
        .find(|a| a.namespace.is_none() && a.name == name)
}

/// An attribute value with references followed through the resource table.
/// Unresolvable references stay references.
pub fn resolved(a: &XmlAttribute, res: Option<&ResourceTable<'_>>) -> TypedValue {
    let mut v = a.value.clone();
    if v.data_type == value_type::STRING && v.string.is_none() {
        v.string = a.raw.clone();
    }
    if v.data_type == value_type::NULL && v.data == 0 {
        // Some compilers leave only the raw string.
        if let Some(raw) = &a.raw {
            return TypedValue {
                data_type: value_type::STRING,
                data: 0,
                string: Some(raw.clone()),
            };
        }
    }
    if is_reference(v.data_type) {
        if let Some(r) = res.and_then(|t| t.resolve(&v)) {
            return r;
        }
    }
    v
}

/// A value as text: strings as they are, numbers in decimal, booleans as
/// `true`/`false`, colours as `#aarrggbb`, unresolved references as `@0x…`.
pub fn text(v: &TypedValue) -> Option<String> {
    match v.data_type {
        value_type::STRING => v.string.clone(),
        value_type::NULL => None,
        value_type::INT_BOOLEAN => Some((v.data != 0).to_string()),
        value_type::INT_DEC => Some((v.data as i32).to_string()),
        value_type::INT_HEX => Some(v.data.to_string()),
        value_type::FLOAT => Some(f32::from_bits(v.data).to_string()),
        value_type::FIRST_COLOR..=value_type::LAST_COLOR => Some(format!("#{:08x}", v.data)),
        t if is_reference(t) || t == value_type::ATTRIBUTE => Some(format!("@0x{:08x}", v.data)),
        _ => Some(v.data.to_string()),
    }
}

/// A value as a boolean the way `TypedArray.getBoolean` reads an `android:`
/// attribute: integer types are `data != 0`; a string is `true` only when it
/// is `1`, `true` or `TRUE` (`XmlUtils.convertValueToBoolean`), else `false`.
pub fn boolean(v: &TypedValue) -> Option<bool> {
    match v.data_type {
        value_type::INT_DEC..=value_type::LAST_COLOR => Some(v.data != 0),
        value_type::STRING => v
            .string
            .as_deref()
            .map(|s| matches!(s, "1" | "true" | "TRUE")),
        _ => None,
    }
}

/// A value as a string: a string, or an integer as text.
pub fn string(v: &TypedValue) -> Option<String> {
    match v.data_type {
        value_type::STRING => v.string.clone(),
        value_type::INT_DEC | value_type::INT_HEX => text(v),
        _ => None,
    }
}

/// A value as an integer (decimal or hexadecimal types).
pub fn integer(v: &TypedValue) -> Option<u32> {
    matches!(
        v.data_type,
        value_type::INT_DEC | value_type::INT_HEX | value_type::INT_BOOLEAN
    )
    .then_some(v.data)
}

/// Looks up an `android:` attribute and resolves it.
pub fn android_value(
    el: &XmlElement,
    attr: AndroidAttr,
    map: bool,
    res: Option<&ResourceTable<'_>>,
) -> Option<TypedValue> {
    android(el, attr, map).map(|a| resolved(a, res))
}

/// A plain attribute the way `XmlPullParser.getAttributeValue(null, name)`
/// reads it: the raw string first; else the typed value as text (a typed
/// string without a raw one reads as nothing, as on the platform).
pub fn plain_string(el: &XmlElement, name: &str) -> Option<String> {
    let a = plain(el, name)?;
    if let Some(raw) = &a.raw {
        return Some(raw.clone());
    }
    match a.value.data_type {
        value_type::NULL | value_type::STRING => None,
        _ => text(&a.value),
    }
}

/// A plain attribute the way `XmlPullParser.getAttributeBooleanValue(null,
/// name, default)` reads it: only integer-typed values count (`data != 0`);
/// anything else leaves the default (`None`).
pub fn plain_bool(el: &XmlElement, name: &str) -> Option<bool> {
    let a = plain(el, name)?;
    (value_type::INT_DEC..=value_type::LAST_COLOR)
        .contains(&a.value.data_type)
        .then_some(a.value.data != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(ns: Option<&str>, name: &str, id: Option<u32>, t: u8, data: u32) -> XmlAttribute {
        XmlAttribute {
            namespace: ns.map(str::to_string),
            name: name.into(),
            resource_id: id,
            raw: None,
            value: TypedValue {
                data_type: t,
                data,
                string: None,
            },
        }
    }

    #[test]
    fn android_attributes_match_by_id_not_name() {
        let el = XmlElement {
            name: "application".into(),
            attributes: vec![
                // A decoy: right name, no id. Android ignores it.
                attr(
                    Some(ANDROID_NS),
                    "debuggable",
                    None,
                    value_type::INT_BOOLEAN,
                    0,
                ),
                // The real one: fake name, right id.
                attr(
                    Some(ANDROID_NS),
                    "x",
                    Some(0x0101_000f),
                    value_type::INT_BOOLEAN,
                    1,
                ),
            ],
            ..Default::default()
        };
        let v = android_value(&el, DEBUGGABLE, true, None).unwrap();
        assert_eq!(boolean(&v), Some(true));
        // Without a resource map the name is all there is.
        let el2 = XmlElement {
            attributes: vec![el.attributes[0].clone()],
            ..Default::default()
        };
        assert_eq!(
            boolean(&android_value(&el2, DEBUGGABLE, false, None).unwrap()),
            Some(false)
        );
        assert!(android_value(&el2, DEBUGGABLE, true, None).is_none());
    }

    #[test]
    fn attributes_without_a_known_id_match_by_name() {
        let el = XmlElement {
            attributes: vec![attr(
                Some(ANDROID_NS),
                "someFutureAttr",
                Some(0x0101_0999),
                value_type::STRING,
                0,
            )],
            ..Default::default()
        };
        let future = AndroidAttr {
            name: "someFutureAttr",
            id: None,
        };
        assert!(android(&el, future, true).is_some());
        assert!(android(&el, NAME, true).is_none());
    }

    #[test]
    fn backup_attributes_match_by_id_even_when_renamed() {
        // An obfuscator may rename attributes in the string pool; Android reads the id.
        let el = XmlElement {
            attributes: vec![attr(
                Some(ANDROID_NS),
                "a",
                Some(0x0101_027f),
                value_type::STRING,
                0,
            )],
            ..Default::default()
        };
        assert!(android(&el, BACKUP_AGENT, true).is_some());
        assert!(android(&el, FULL_BACKUP_ONLY, true).is_none());
    }

    #[test]
    fn booleans_and_plain_values_read_like_the_platform() {
        let s = |x: &str| TypedValue {
            data_type: value_type::STRING,
            data: 0,
            string: Some(x.into()),
        };
        assert_eq!(boolean(&s("TRUE")), Some(true));
        assert_eq!(boolean(&s("yes")), Some(false));
        assert_eq!(
            boolean(&TypedValue {
                data_type: value_type::INT_DEC,
                data: 2,
                string: None
            }),
            Some(true)
        );
        // package: the raw string wins over a different typed string.
        let mut a = attr(None, "package", None, value_type::STRING, 1);
        a.raw = Some("com.real".into());
        a.value.string = Some("com.decoy".into());
        let el = XmlElement {
            attributes: vec![a.clone()],
            ..Default::default()
        };
        assert_eq!(plain_string(&el, "package").as_deref(), Some("com.real"));
        a.raw = None;
        let el = XmlElement {
            attributes: vec![a],
            ..Default::default()
        };
        assert_eq!(plain_string(&el, "package"), None);
        // getAttributeBooleanValue ignores strings.
        let mut b = attr(
            None,
            "cleartextTrafficPermitted",
            None,
            value_type::STRING,
            0,
        );
        b.raw = Some("true".into());
        let el = XmlElement {
            attributes: vec![b, attr(None, "x", None, value_type::INT_BOOLEAN, 1)],
            ..Default::default()
        };
        assert_eq!(plain_bool(&el, "cleartextTrafficPermitted"), None);
        assert_eq!(plain_bool(&el, "x"), Some(true));
    }

    #[test]
    fn values_as_text() {
        let v = |t, d| TypedValue {
            data_type: t,
            data: d,
            string: None,
        };
        assert_eq!(
            text(&v(value_type::INT_DEC, 0xffff_ffff)).as_deref(),
            Some("-1")
        );
        assert_eq!(text(&v(value_type::INT_HEX, 0x10)).as_deref(), Some("16"));
        assert_eq!(
            text(&v(value_type::FIRST_COLOR, 0xff00_ff00)).as_deref(),
            Some("#ff00ff00")
        );
        assert_eq!(
            text(&v(value_type::FLOAT, 1.5f32.to_bits())).as_deref(),
            Some("1.5")
        );
        assert_eq!(
            text(&v(value_type::REFERENCE, 0x7f01_0002)).as_deref(),
            Some("@0x7f010002")
        );
    }
}
