//! AndroidManifest.xml → manifest facts: identity, versions, permissions,
//! `<application>` attributes, components and meta-data, with references
//! resolved through `resources.arsc`, and the compiled XML files the manifest
//! points to decoded by [`super::xmlres`].

use std::collections::BTreeMap;

use thiserror::Error;

use super::arsc::{is_reference, ResourceTable};
use super::attrs::{self, android, android_value, boolean, string, text};
use super::axml::{self, value_type, AxmlError, XmlDocument, XmlElement};
use super::xmlres;
use crate::archive::{Archive, ArchiveError};
use crate::extract::endpoints::EndpointFinds;
use crate::extract::problems::{Classify, Problems};
use crate::facts::{
    AndroidFacts, AppInfo, ApplicationFacts, Component, DeclaredPermission, IntentFilter, MetaValue,
};
use crate::facts::{EndpointSourceKind, UnreadKind};
use crate::limits::Limits;

/// Why the manifest could not be read.
#[derive(Debug, Error)]
pub enum ManifestError {
    /// The entry is missing.
    #[error("missing")]
    Missing,
    /// The entry could not be inflated.
    #[error("cannot be read: {0}")]
    Archive(#[from] ArchiveError),
    /// The binary XML is malformed.
    #[error(transparent)]
    Axml(#[from] AxmlError),
    /// The root element is not `<manifest>` (Android refuses such an APK).
    #[error("root element is <{0}>, not <manifest>")]
    NotManifest(String),
}

/// What the manifest of one APK says.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Identity and versions.
    pub app: AppInfo,
    /// The `split` attribute: set for config and feature splits, absent for the base.
    pub split: Option<String>,
    /// Manifest-derived Android facts (DEX, native libraries and signing left empty).
    pub facts: AndroidFacts,
    /// The names requested with `<uses-permission>` itself (not
    /// `uses-permission-sdk-23`), sorted, unique: aapt's rules look at these only.
    pub plain_permissions: Vec<String>,
    /// Hosts named by `scheme://host` strings of `resources.arsc`.
    pub endpoints: EndpointFinds,
}

/// The component tags of `<application>`.
const COMPONENT_TAGS: [&str; 5] = [
    "activity",
    "activity-alias",
    "service",
    "receiver",
    "provider",
];

/// Reads `AndroidManifest.xml` (and `resources.arsc` for references) of one APK.
/// A manifest cut short, an unreadable `resources.arsc` (or one whose lookups
/// hit the work limit) and unreadable XML resources go to `problems.unread`:
/// facts may be missing.
pub fn read_manifest(
    archive: &Archive<'_>,
    limits: &Limits,
    problems: &mut Problems,
) -> Result<Manifest, ManifestError> {
    let bytes = match archive.read("AndroidManifest.xml") {
        Ok(b) => b,
        Err(ArchiveError::Missing(_)) => return Err(ManifestError::Missing),
        Err(e) => return Err(e.into()),
    };
    let doc = axml::parse(&bytes, limits)?;
    for w in &doc.warnings {
        // The parser stopped before the end: later elements are not read.
        problems.unread_as("AndroidManifest.xml", UnreadKind::Damage, w.clone());
    }
    if doc.root.name != "manifest" {
        return Err(ManifestError::NotManifest(doc.root.name.clone()));
    }
    const ARSC: &str = "resources.arsc";
    let unresolved = "; references are left unresolved";
    let arsc = if archive.contains(ARSC) {
        match archive.read(ARSC) {
            Ok(b) => Some(b),
            Err(e) => {
                problems.unread_as(ARSC, e.unread_kind(), format!("{e}{unresolved}"));
                None
            }
        }
    } else {
        None
    };
    let table = arsc
        .as_deref()
        .and_then(|b| match ResourceTable::parse(b, limits) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.unread_as(ARSC, e.unread_kind(), format!("{e}{unresolved}"));
                None
            }
        });
    let mut m = Reader {
        doc: &doc,
        res: table.as_ref(),
    }
    .manifest();
    if table.as_ref().is_some_and(ResourceTable::exhausted) {
        problems.unread_as(
            ARSC,
            UnreadKind::Limit,
            format!(
                "resolution stopped after examining {} type chunks; some references are left unresolved",
                super::arsc::MAX_LOOKUP_WORK
            ),
        );
    }
    if let Some(t) = &table {
        let e = &mut m.endpoints;
        t.global_strings()
            .for_each_bytes(|b| e.scan(b, ARSC, EndpointSourceKind::ResourceString));
    }
    m.facts.xml = xmlres::read_all(archive, &m.facts, limits, problems);
    Ok(m)
}

/// What an APK's manifest says about which app it belongs to: enough to
/// tell a base APK from a split and to group loose split APKs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApkIdentity {
    /// The `package` attribute.
    pub package: Option<String>,
    /// The `split` attribute: set for a split, absent for a base APK.
    pub split: Option<String>,
    /// `android:versionCode` as decimal text, when given as an integer.
    pub version_code: Option<String>,
}

/// Reads only the root element of `AndroidManifest.xml` (no resources, no
/// XML files it points to): package, split name and version code, read as
/// [`read_manifest`] reads them.
pub fn read_identity(archive: &Archive<'_>, limits: &Limits) -> Result<ApkIdentity, ManifestError> {
    let bytes = match archive.read("AndroidManifest.xml") {
        Ok(b) => b,
        Err(ArchiveError::Missing(_)) => return Err(ManifestError::Missing),
        Err(e) => return Err(e.into()),
    };
    let doc = axml::parse(&bytes, limits)?;
    let root = &doc.root;
    if root.name != "manifest" {
        return Err(ManifestError::NotManifest(root.name.clone()));
    }
    Ok(ApkIdentity {
        package: attrs::plain_string(root, "package"),
        split: attrs::plain_string(root, "split"),
        version_code: android_value(root, attrs::VERSION_CODE, doc.has_resource_map, None)
            .as_ref()
            .and_then(integer_text),
    })
}

/// Turns a decoded manifest into facts.
struct Reader<'d, 'r> {
    doc: &'d XmlDocument,
    res: Option<&'r ResourceTable<'r>>,
}

impl Reader<'_, '_> {
    fn map(&self) -> bool {
        self.doc.has_resource_map
    }

    fn get(&self, el: &XmlElement, attr: attrs::AndroidAttr) -> Option<axml::TypedValue> {
        android_value(el, attr, self.map(), self.res)
    }

    fn get_string(&self, el: &XmlElement, attr: attrs::AndroidAttr) -> Option<String> {
        self.get(el, attr).as_ref().and_then(string)
    }

    fn get_bool(&self, el: &XmlElement, attr: attrs::AndroidAttr) -> Option<bool> {
        self.get(el, attr).as_ref().and_then(boolean)
    }

    /// A resource-file attribute (e.g. `networkSecurityConfig`): the resolved path.
    fn get_path(&self, el: &XmlElement, attr: attrs::AndroidAttr) -> Option<String> {
        let v = self.get(el, attr)?;
        match v.data_type {
            value_type::STRING => v.string,
            _ => text(&v),
        }
    }

    fn manifest(&self) -> Manifest {
        let root = &self.doc.root;
        // Android reads these with XmlPullParser.getAttributeValue: raw string first.
        let package = attrs::plain_string(root, "package");
        let split = attrs::plain_string(root, "split");
        let mut app = AppInfo {
            id: package.clone(),
            version: self.get(root, attrs::VERSION_NAME).as_ref().and_then(text),
            build: self
                .get(root, attrs::VERSION_CODE)
                .as_ref()
                .and_then(integer_text),
            ..AppInfo::default()
        };
        let pkg = package.unwrap_or_default();
        let mut facts = AndroidFacts {
            shared_user_id: self.get_string(root, attrs::SHARED_USER_ID),
            ..AndroidFacts::default()
        };
        let mut permissions = Vec::new();
        let mut plain_permissions = Vec::new();
        for el in &root.children {
            match el.name.as_str() {
                "uses-sdk" => {
                    if let Some(v) = self.get(el, attrs::MIN_SDK_VERSION).as_ref().and_then(text) {
                        app.min_os = Some(v);
                    }
                    if let Some(v) = self
                        .get(el, attrs::TARGET_SDK_VERSION)
                        .as_ref()
                        .and_then(text)
                    {
                        app.target_os = Some(v);
                    }
                }
                "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                    if let Some(n) = self.get_string(el, attrs::NAME) {
                        if el.name == "uses-permission" {
                            plain_permissions.push(n.clone());
                        }
                        permissions.push(n);
                    }
                }
                "permission" => {
                    if let Some(name) = self.get_string(el, attrs::NAME) {
                        let protection_level =
                            self.get(el, attrs::PROTECTION_LEVEL)
                                .and_then(|v| match v.data_type {
                                    value_type::STRING => v.string,
                                    _ => attrs::integer(&v).map(protection_level_text),
                                });
                        facts.declared_permissions.push(DeclaredPermission {
                            name,
                            protection_level,
                        });
                    }
                }
                _ => {}
            }
        }
        if app.target_os.is_none() {
            app.target_os = app.min_os.clone();
        }
        app.set_os_numbers(crate::facts::TargetKind::Android);
        permissions.sort();
        permissions.dedup();
        plain_permissions.sort();
        plain_permissions.dedup();
        facts.permissions = permissions;
        let target_sdk: u32 = app
            .target_os
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or(10_000);
        // Android reads the first <application> only.
        if let Some(application) = root.children_named("application").next() {
            facts.application = self.application(application, &pkg);
            app.name = facts.application.label.clone();
            facts.meta_data = self.meta_data(application);
            for el in &application.children {
                if COMPONENT_TAGS.contains(&el.name.as_str()) {
                    if let Some(c) = self.component(el, &pkg, target_sdk) {
                        facts.components.push(c);
                    }
                }
            }
        }
        Manifest {
            app,
            split,
            facts,
            plain_permissions,
            endpoints: EndpointFinds::default(),
        }
    }

    fn application(&self, el: &XmlElement, pkg: &str) -> ApplicationFacts {
        let full_backup_content =
            self.get(el, attrs::FULL_BACKUP_CONTENT)
                .and_then(|v| match v.data_type {
                    value_type::INT_BOOLEAN => Some((v.data != 0).to_string()),
                    value_type::STRING => v.string,
                    _ => text(&v),
                });
        ApplicationFacts {
            name: self.get_string(el, attrs::NAME).map(|n| qualify(pkg, &n)),
            label: self.get(el, attrs::LABEL).and_then(|v| match v.data_type {
                value_type::STRING => v.string,
                _ => None,
            }),
            allow_backup: self.get_bool(el, attrs::ALLOW_BACKUP),
            debuggable: self.get_bool(el, attrs::DEBUGGABLE),
            uses_cleartext_traffic: self.get_bool(el, attrs::USES_CLEARTEXT_TRAFFIC),
            network_security_config: self.get_path(el, attrs::NETWORK_SECURITY_CONFIG),
            full_backup_content,
            data_extraction_rules: self.get_path(el, attrs::DATA_EXTRACTION_RULES),
            request_legacy_external_storage: self
                .get_bool(el, attrs::REQUEST_LEGACY_EXTERNAL_STORAGE),
            backup_agent: self
                .get_string(el, attrs::BACKUP_AGENT)
                .map(|n| qualify(pkg, &n)),
            full_backup_only: self.get_bool(el, attrs::FULL_BACKUP_ONLY),
            has_fragile_user_data: self.get_bool(el, attrs::HAS_FRAGILE_USER_DATA),
            test_only: self.get_bool(el, attrs::TEST_ONLY),
            has_code: self.get_bool(el, attrs::HAS_CODE),
        }
    }

    fn component(&self, el: &XmlElement, pkg: &str, target_sdk: u32) -> Option<Component> {
        let name = qualify(pkg, &self.get_string(el, attrs::NAME)?);
        let intent_filters: Vec<IntentFilter> = el
            .children_named("intent-filter")
            .map(|f| self.intent_filter(f))
            .collect();
        let explicit = self.get_bool(el, attrs::EXPORTED);
        let exported = explicit.unwrap_or(if el.name == "provider" {
            target_sdk < 17
        } else {
            !intent_filters.is_empty()
        });
        let authorities = self
            .get_string(el, attrs::AUTHORITIES)
            .map(|a| {
                a.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let foreground_service_type = self
            .get(el, attrs::FOREGROUND_SERVICE_TYPE)
            .as_ref()
            .and_then(attrs::integer)
            .map(foreground_types)
            .unwrap_or_default();
        Some(Component {
            kind: el.name.clone(),
            name,
            exported,
            exported_explicit: explicit.is_some(),
            permission: self.get_string(el, attrs::PERMISSION),
            read_permission: self.get_string(el, attrs::READ_PERMISSION),
            write_permission: self.get_string(el, attrs::WRITE_PERMISSION),
            authorities,
            grant_uri_permissions: self.get_bool(el, attrs::GRANT_URI_PERMISSIONS),
            foreground_service_type,
            intent_filters,
            meta_data: self.meta_data(el),
        })
    }

    fn intent_filter(&self, f: &XmlElement) -> IntentFilter {
        let names = |tag: &str| -> Vec<String> {
            f.children_named(tag)
                .filter_map(|e| self.get_string(e, attrs::NAME))
                .collect()
        };
        let mut data = Vec::new();
        for d in f.children_named("data") {
            if let Some(m) = self.get_string(d, attrs::MIME_TYPE) {
                data.push(m);
            }
            let scheme = self.get_string(d, attrs::SCHEME);
            let host = self.get_string(d, attrs::HOST);
            let port = self.get(d, attrs::PORT).as_ref().and_then(text);
            let path = [attrs::PATH, attrs::PATH_PREFIX, attrs::PATH_PATTERN]
                .into_iter()
                .find_map(|a| self.get_string(d, a));
            if scheme.is_none() && host.is_none() && port.is_none() && path.is_none() {
                continue;
            }
            let mut s = String::new();
            if let Some(x) = scheme {
                s.push_str(&x);
                s.push_str("://");
            }
            if let Some(x) = host {
                s.push_str(&x);
            }
            if let Some(x) = port {
                s.push(':');
                s.push_str(&x);
            }
            if let Some(x) = path {
                s.push_str(&x);
            }
            data.push(s);
        }
        IntentFilter {
            actions: names("action"),
            categories: names("category"),
            data,
        }
    }

    /// `<meta-data>` children of `el`, typed as the platform's `Bundle` gets them.
    fn meta_data(&self, el: &XmlElement) -> BTreeMap<String, MetaValue> {
        let mut out = BTreeMap::new();
        for m in el.children_named("meta-data") {
            let Some(name) = self.get_string(m, attrs::NAME) else {
                continue;
            };
            out.insert(name, self.meta_value(m));
        }
        out
    }

    fn meta_value(&self, m: &XmlElement) -> MetaValue {
        let map = self.map();
        if let Some(a) = android(m, attrs::RESOURCE, map) {
            let reference =
                is_reference(a.value.data_type).then(|| self.reference_name(a.value.data));
            let value = attrs::resolved(a, self.res);
            let value = match value.data_type {
                value_type::STRING => value.string,
                _ if is_reference(a.value.data_type) => reference.clone().flatten(),
                _ => text(&value),
            };
            return MetaValue {
                kind: "reference".into(),
                value,
                reference: reference.flatten(),
            };
        }
        let Some(a) = android(m, attrs::VALUE, map) else {
            return MetaValue {
                kind: "null".into(),
                value: None,
                reference: None,
            };
        };
        let reference = is_reference(a.value.data_type)
            .then(|| self.reference_name(a.value.data))
            .flatten();
        let v = attrs::resolved(a, self.res);
        let kind = match v.data_type {
            value_type::STRING => "string",
            value_type::INT_BOOLEAN => "boolean",
            value_type::INT_DEC | value_type::INT_HEX => "int",
            value_type::FLOAT => "float",
            value_type::FIRST_COLOR..=value_type::LAST_COLOR => "color",
            value_type::NULL => "null",
            _ => "reference",
        };
        MetaValue {
            kind: kind.into(),
            value: text(&v),
            reference,
        }
    }

    /// `@type/name` of a resource id, or `@0x…` when the table does not name it.
    fn reference_name(&self, id: u32) -> Option<String> {
        Some(
            self.res
                .and_then(|t| t.name(id))
                .unwrap_or_else(|| format!("@0x{id:08x}")),
        )
    }
}

/// An integer-typed value as decimal text (versionCode).
fn integer_text(v: &axml::TypedValue) -> Option<String> {
    match v.data_type {
        value_type::INT_DEC | value_type::INT_HEX => Some(v.data.to_string()),
        value_type::STRING => v
            .string
            .as_deref()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .map(|n| n.to_string()),
        _ => None,
    }
}

/// Qualifies a component class name as Android does: names starting with
/// `.` or without any dot are relative to the package.
pub fn qualify(package: &str, name: &str) -> String {
    if name.starts_with('.') {
        format!("{package}{name}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

/// `protectionLevel` flags as text, e.g. `signature|privileged`.
fn protection_level_text(v: u32) -> String {
    let base = match v & 0xf {
        0 => "normal".to_string(),
        1 => "dangerous".to_string(),
        2 => "signature".to_string(),
        3 => "signatureOrSystem".to_string(),
        4 => "internal".to_string(),
        b => format!("0x{b:x}"),
    };
    const FLAGS: [(u32, &str); 11] = [
        (0x10, "privileged"),
        (0x20, "development"),
        (0x40, "appop"),
        (0x80, "pre23"),
        (0x100, "installer"),
        (0x200, "verifier"),
        (0x400, "preinstalled"),
        (0x800, "setup"),
        (0x1000, "instant"),
        (0x2000, "runtime"),
        (0x4000, "oem"),
    ];
    let mut parts = vec![base];
    let mut rest = v & !0xf;
    for (bit, name) in FLAGS {
        if rest & bit != 0 {
            parts.push(name.to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        parts.push(format!("0x{rest:x}"));
    }
    parts.join("|")
}

/// `foregroundServiceType` flags as names.
fn foreground_types(v: u32) -> Vec<String> {
    const TYPES: [(u32, &str); 15] = [
        (0x1, "dataSync"),
        (0x2, "mediaPlayback"),
        (0x4, "phoneCall"),
        (0x8, "location"),
        (0x10, "connectedDevice"),
        (0x20, "mediaProjection"),
        (0x40, "camera"),
        (0x80, "microphone"),
        (0x100, "health"),
        (0x200, "remoteMessaging"),
        (0x400, "systemExempted"),
        (0x800, "shortService"),
        (0x1000, "fileManagement"),
        (0x2000, "mediaProcessing"),
        (0x4000_0000, "specialUse"),
    ];
    let mut out: Vec<String> = TYPES
        .iter()
        .filter(|(b, _)| v & b != 0)
        .map(|(_, n)| n.to_string())
        .collect();
    let known = TYPES.iter().fold(0, |a, (b, _)| a | b);
    if v & !known != 0 {
        out.push(format!("0x{:x}", v & !known));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::android::arsc::tests::build_table;
    use crate::extract::android::axml::tests::{build_doc, Node};

    const NS: &str = attrs::ANDROID_NS;
    const NO: u32 = 0xffff_ffff;

    fn read(doc: &[u8], table: Option<&[u8]>) -> Manifest {
        let doc = axml::parse(doc, &Limits::default()).unwrap();
        let t = table.map(|b| ResourceTable::parse(b, &Limits::default()).unwrap());
        Reader {
            doc: &doc,
            res: t.as_ref(),
        }
        .manifest()
    }

    #[test]
    fn manifest_facts_from_ids_and_resources() {
        // Strings: 0 name(id), 1 exported(id), 2 debuggable(id), 3 value(id), 4 versionCode(id),
        // then plain strings.
        let s = [
            "n",
            "e",
            "d",
            "v",
            "vc",
            NS,
            "manifest",
            "package",
            "com.ex",
            "application",
            "activity",
            ".Main",
            "intent-filter",
            "action",
            "android.intent.action.MAIN",
            "provider",
            "Prov",
            "meta-data",
            "crash_on",
            "uses-permission",
            "android.permission.CAMERA",
            "uses-sdk",
            "minSdkVersion",
            "uses-permission-sdk-23",
            "android.permission.WRITE_EXTERNAL_STORAGE",
        ];
        let ids = [
            0x0101_0003,
            0x0101_0010,
            0x0101_000f,
            0x0101_0024,
            0x0101_021b,
        ];
        let str_attr = |name: u32, data: u32| (5u32, name, data, value_type::STRING, data);
        let nodes = [
            Node::Start(
                6,
                vec![
                    (NO, 7, 8, value_type::STRING, 8),
                    (5, 4, NO, value_type::INT_HEX, 0x10),
                ],
            ),
            Node::Start(19, vec![str_attr(0, 20)]),
            Node::End(19),
            Node::Start(19, vec![str_attr(0, 20)]),
            Node::End(19),
            Node::Start(23, vec![str_attr(0, 24)]),
            Node::End(23),
            Node::Start(21, vec![]),
            Node::End(21),
            // debuggable via @bool/k1 -> true
            Node::Start(9, vec![(5, 2, NO, value_type::REFERENCE, 0x7f01_0001)]),
            Node::Start(10, vec![str_attr(0, 11)]),
            Node::Start(12, vec![]),
            Node::Start(13, vec![str_attr(0, 14)]),
            Node::End(13),
            Node::End(12),
            Node::End(10),
            Node::Start(15, vec![str_attr(0, 16)]),
            Node::End(15),
            Node::Start(
                17,
                vec![
                    str_attr(0, 18),
                    (5, 3, NO, value_type::REFERENCE, 0x7f01_0002),
                ],
            ),
            Node::End(17),
            Node::End(9),
            Node::End(6),
        ];
        let doc = build_doc(&s, &ids, &nodes, 0, 0);
        let table = build_table(
            &[],
            &[
                (1, 1, true, value_type::INT_BOOLEAN, 1),
                (1, 2, true, value_type::INT_BOOLEAN, 0),
            ],
        );
        let m = read(&doc, Some(&table));
        assert_eq!(m.app.id.as_deref(), Some("com.ex"));
        assert_eq!(m.app.build.as_deref(), Some("16"));
        assert_eq!(m.split, None);
        assert_eq!(
            m.facts.permissions,
            vec![
                "android.permission.CAMERA",
                "android.permission.WRITE_EXTERNAL_STORAGE"
            ]
        );
        assert_eq!(
            m.plain_permissions,
            vec!["android.permission.CAMERA"],
            "aapt's implied-permission rules see <uses-permission> only"
        );
        assert_eq!(m.facts.application.debuggable, Some(true));
        let main = &m.facts.components[0];
        assert_eq!(
            (main.kind.as_str(), main.name.as_str()),
            ("activity", "com.ex.Main")
        );
        assert!(main.exported && !main.exported_explicit);
        assert_eq!(
            main.intent_filters[0].actions,
            vec!["android.intent.action.MAIN"]
        );
        let prov = &m.facts.components[1];
        assert_eq!(prov.name, "com.ex.Prov");
        assert!(
            !prov.exported,
            "providers default to not exported when targetSdk is unknown"
        );
        let crash = &m.facts.meta_data["crash_on"];
        assert_eq!(crash.kind, "boolean");
        assert_eq!(crash.value.as_deref(), Some("false"));
        assert_eq!(crash.reference.as_deref(), Some("@bool/k1"));
    }

    #[test]
    fn names_are_qualified_like_android() {
        assert_eq!(qualify("a.b", ".X"), "a.b.X");
        assert_eq!(qualify("a.b", "X"), "a.b.X");
        assert_eq!(qualify("a.b", "c.d.X"), "c.d.X");
        assert_eq!(protection_level_text(0x12), "signature|privileged");
        assert_eq!(foreground_types(0x48), vec!["location", "camera"]);
    }
}
