//! What reading an app met that did not stop it: typed warnings with a
//! stable code and an English and a German text.
//!
//! Most warnings leave the facts complete. The main executable of an iOS
//! bundle missing where its name is only guessed
//! ([`AppWarning::ExecutableMissing`]; the one Info.plist names missing is
//! an unread entry) leaves the code facts incomplete
//! (`android.code.complete` / `ios.code.complete` is `false`), so checks
//! whose pass rests on finding nothing in the code stay undecided. A
//! warning does not make the target an error (that is what `unread`
//! entries do); the bundles where the name is guessed (no Info.plist, or
//! no `CFBundleExecutable`) have such an entry as well, as iOS refuses
//! them.
//!
//! The facts document keeps `warnings` as the English texts (as before) and
//! adds `warning_details`: one `{code, en, de}` per warning, in the same
//! order. A document without `warning_details` (written before it existed)
//! still loads: each English text becomes an [`AppWarning::Read`] with the
//! code [`OTHER_CODE`] and that one wording in both languages. The codes are
//! listed in `docs/facts.md`; a code never changes its meaning.
//!
//! Identifiers (entry names, package names, parser messages) stay as they
//! are in both languages.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The code of a warning read back from a facts document that carried no
/// code (written before codes existed).
pub const OTHER_CODE: &str = "app.other";

/// Every code an [`AppWarning`] can have (besides codes read back from a
/// facts document), in the order of `docs/facts.md`.
pub const CODES: &[&str] = &[
    "apk.dex.gap",
    "apk.dex.file-size",
    "apk.dex.checksum",
    "apk.split.standalone-only",
    "apk.split.nesting-disabled",
    "apk.split.second-base",
    "apk.split.other-package",
    "apk.xml-resource.missing",
    "apk.signing.v1-ignored",
    "apk.signing.signers-differ",
    "ipa.info-plist.missing",
    "ipa.executable.missing",
    "ipa.macho.lenient",
    "ipa.executable.encrypted",
    OTHER_CODE,
];

/// One problem met while reading an app that did not stop it (see the module
/// documentation for the two that leave the code facts incomplete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppWarning {
    /// A DEX file after a gap in the multidex numbering (`classes3.dex`
    /// without `classes2.dex`): Android does not load it.
    DexGap {
        /// The DEX file present after the gap.
        file: String,
        /// The first missing DEX file.
        missing: String,
    },
    /// A DEX header whose `file_size` differs from the file's size.
    DexFileSize {
        /// The DEX file.
        file: String,
        /// The size the header gives.
        declared: u64,
        /// The file's real size.
        actual: u64,
    },
    /// A DEX header whose Adler-32 checksum does not match the file.
    DexChecksum {
        /// The DEX file.
        file: String,
        /// The checksum in the header.
        declared: u32,
        /// The checksum computed over the file.
        computed: u32,
    },
    /// A split set of standalone APKs only (alternatives for different
    /// devices); the first was read.
    SplitStandaloneOnly {
        /// How many standalone APKs the set holds.
        count: usize,
        /// The one read.
        read: String,
    },
    /// A split set given while the nesting limit allows no nested archive.
    SplitNestingDisabled,
    /// A second APK without a split name in a split set; not merged.
    SplitSecondBase {
        /// The APK's entry name.
        apk: String,
    },
    /// A split whose package differs from the base package; not merged.
    SplitOtherPackage {
        /// The APK's entry name.
        apk: String,
        /// The package it names.
        package: String,
    },
    /// An XML resource the manifest names but the archive lacks.
    XmlResourceMissing {
        /// The resource's path in the archive.
        path: String,
    },
    /// An iOS bundle without `Info.plist`.
    InfoPlistMissing {
        /// The expected entry.
        path: String,
    },
    /// An iOS bundle without its main executable, whose name is only
    /// guessed from the bundle's (no Info.plist or no `CFBundleExecutable`);
    /// the executable that Info.plist names missing is an unread entry.
    ExecutableMissing {
        /// The expected entry.
        entry: String,
    },
    /// A Mach-O slice the strict parser refused, read leniently.
    MachoLenient {
        /// The executable's entry.
        entry: String,
        /// The slice's number in a fat binary; `None` for a thin binary.
        slice: Option<usize>,
        /// The strict parser's message.
        error: String,
    },
    /// A binary of the bundle (the main executable, a framework, extension
    /// or watch app) encrypted with Apple FairPlay: its code is hidden, so
    /// `ios.code.complete` is `false`.
    ExecutableEncrypted {
        /// The executable's entry.
        entry: String,
    },
    /// A JAR (v1) signer that the v2/v3 signature does not name, in an app
    /// every device of which checks only the v2/v3 signature: no device
    /// checks it, yet tools reading only the JAR signature show it.
    SigningV1Ignored {
        /// The JAR signers no device checks: `subject (SHA-256 …)`.
        signers: String,
        /// The signers devices check, likewise.
        checked: String,
        /// The scheme devices check (`v2` or `v3`).
        scheme: String,
        /// The app's `minSdkVersion`.
        min_sdk: u32,
    },
    /// JAR (v1) signers other than the v2 (or v3) signers, in an app older
    /// devices check by its JAR signature: devices see another signer
    /// depending on their Android version.
    SigningSchemesDiffer {
        /// The JAR signers: `subject (SHA-256 …)`.
        v1: String,
        /// The newer scheme's signers, likewise.
        newer: String,
        /// The newer scheme (`v2` or `v3`).
        scheme: String,
        /// The first API level that checks the newer scheme.
        from: u32,
    },
    /// A warning of an APK inside a split set.
    InSplit {
        /// The APK's entry name in the set.
        apk: String,
        /// The APK's own warning.
        warning: Box<AppWarning>,
    },
    /// A warning read back from a facts document, with its code and texts.
    Read(WarningDetail),
}

/// A warning as the facts document and reports carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningDetail {
    /// The stable code, e.g. `apk.dex.gap`.
    pub code: String,
    /// English text.
    pub en: String,
    /// German text.
    pub de: String,
}

impl AppWarning {
    /// The stable code of this kind of warning.
    pub fn code(&self) -> &str {
        match self {
            AppWarning::DexGap { .. } => "apk.dex.gap",
            AppWarning::DexFileSize { .. } => "apk.dex.file-size",
            AppWarning::DexChecksum { .. } => "apk.dex.checksum",
            AppWarning::SplitStandaloneOnly { .. } => "apk.split.standalone-only",
            AppWarning::SplitNestingDisabled => "apk.split.nesting-disabled",
            AppWarning::SplitSecondBase { .. } => "apk.split.second-base",
            AppWarning::SplitOtherPackage { .. } => "apk.split.other-package",
            AppWarning::XmlResourceMissing { .. } => "apk.xml-resource.missing",
            AppWarning::SigningV1Ignored { .. } => "apk.signing.v1-ignored",
            AppWarning::SigningSchemesDiffer { .. } => "apk.signing.signers-differ",
            AppWarning::InfoPlistMissing { .. } => "ipa.info-plist.missing",
            AppWarning::ExecutableMissing { .. } => "ipa.executable.missing",
            AppWarning::MachoLenient { .. } => "ipa.macho.lenient",
            AppWarning::ExecutableEncrypted { .. } => "ipa.executable.encrypted",
            AppWarning::InSplit { warning, .. } => warning.code(),
            AppWarning::Read(d) => &d.code,
        }
    }

    /// The warning in English (as [`fmt::Display`]).
    pub fn english(&self) -> String {
        self.write(false)
    }

    /// The warning in German.
    pub fn german(&self) -> String {
        self.write(true)
    }

    /// Code and both texts.
    pub fn detail(&self) -> WarningDetail {
        WarningDetail {
            code: self.code().to_string(),
            en: self.english(),
            de: self.german(),
        }
    }

    fn write(&self, de: bool) -> String {
        match self {
            AppWarning::DexGap { file, missing } => {
                if de {
                    format!("{file}: vorhanden, obwohl {missing} fehlt; Android lädt DEX-Dateien nur bis zur ersten Lücke")
                } else {
                    format!("{file}: present although {missing} is missing; Android stops loading DEX files at the first gap")
                }
            }
            AppWarning::DexFileSize {
                file,
                declared,
                actual,
            } => {
                if de {
                    format!("{file}: der Header gibt file_size = {declared} an, die Datei hat aber {actual} Bytes (Android lehnt sie ab)")
                } else {
                    format!("{file}: header file_size is {declared} but the file has {actual} bytes (Android rejects it)")
                }
            }
            AppWarning::DexChecksum {
                file,
                declared,
                computed,
            } => {
                if de {
                    format!("{file}: Prüfsumme {declared:08x} im Header, {computed:08x} berechnet (Android lehnt sie ab)")
                } else {
                    format!("{file}: checksum {declared:08x} in the header, {computed:08x} computed (Android rejects it)")
                }
            }
            AppWarning::SplitStandaloneOnly { count, read } => {
                if de {
                    format!("das Split-Set enthält nur {count} eigenständige APKs (Alternativen für verschiedene Geräte); gelesen wurde die erste, {read}")
                } else {
                    format!("split set holds only {count} standalone APKs (alternatives for different devices); read the first, {read}")
                }
            }
            AppWarning::SplitNestingDisabled => if de {
                "Split-Set: die Verschachtelungsgrenze lässt keine eingebetteten Archive zu"
            } else {
                "split set: nested archives are not allowed by the nesting limit"
            }
            .to_string(),
            AppWarning::SplitSecondBase { apk } => {
                if de {
                    format!("{apk}: eine zweite APK ohne Split-Namen; nicht zusammengeführt")
                } else {
                    format!("{apk}: a second APK without a split name; not merged")
                }
            }
            AppWarning::SplitOtherPackage { apk, package } => {
                if de {
                    format!("{apk}: das Paket {package} weicht vom Paket der Basis-APK ab; nicht zusammengeführt")
                } else {
                    format!("{apk}: package {package} differs from the base package; not merged")
                }
            }
            AppWarning::XmlResourceMissing { path } => {
                if de {
                    format!("{path}: im Manifest referenziert, aber nicht im Archiv enthalten")
                } else {
                    format!("{path}: referenced from the manifest but not in the archive")
                }
            }
            AppWarning::SigningV1Ignored {
                signers,
                checked,
                scheme,
                min_sdk,
            } => {
                if de {
                    format!("die JAR-Signatur (v1) nennt als Signierer {signers}, den die {scheme}-Signatur nicht nennt (sie nennt {checked}); jede Android-Version, auf der sich die App installieren lässt (minSdkVersion {min_sdk}), prüft nur die {scheme}-Signatur, dieses Zertifikat signiert also nichts, was ein Gerät prüft; Werkzeuge, die nur die JAR-Signatur lesen, zeigen einen anderen Signierer an als Android")
                } else {
                    format!("the JAR signature (v1) names the signer {signers}, which the {scheme} signature does not name (it names {checked}); every Android version the app installs on (minSdkVersion {min_sdk}) checks only the {scheme} signature, so that certificate signs nothing a device checks; tools that read only the JAR signature show another signer than Android does")
                }
            }
            AppWarning::SigningSchemesDiffer {
                v1,
                newer,
                scheme,
                from,
            } => {
                let android = android_release(*from);
                if de {
                    format!("die JAR-Signatur (v1) nennt als Signierer {v1}, die {scheme}-Signatur {newer}: Geräte vor API-Level {from} ({android}) prüfen die JAR-Signatur, neuere die {scheme}-Signatur, je nach Android-Version gilt also ein anderer Signierer; apksigner lehnt eine APK ab, deren v1- und v2-Signierer verschieden sind")
                } else {
                    format!("the JAR signature (v1) names the signer {v1}, the {scheme} signature {newer}: devices before API level {from} ({android}) check the JAR signature, newer ones the {scheme} signature, so the signer depends on the device's Android version; apksigner refuses an APK whose v1 and v2 signers differ")
                }
            }
            AppWarning::InfoPlistMissing { path } => {
                if de {
                    format!("{path} fehlt: das Bundle ist unvollständig, Identität und Einstellungen der App sind unbekannt")
                } else {
                    format!("{path} is missing: the bundle is incomplete, identity and settings are unknown")
                }
            }
            AppWarning::ExecutableMissing { entry } => {
                if de {
                    format!("die ausführbare Hauptdatei {entry} fehlt: Angaben aus dem Binärcode (eingebundene Frameworks, Verschlüsselung, Entitlements aus der Codesignatur) sind unbekannt")
                } else {
                    format!("main executable {entry} is missing: binary facts (linked frameworks, encryption, entitlements from the code signature) are unknown")
                }
            }
            AppWarning::MachoLenient {
                entry,
                slice,
                error,
            } => {
                if de {
                    let slice = slice.map(|i| format!(" (Slice {i})")).unwrap_or_default();
                    format!(
                        "{entry}: Mach-O{slice} teilweise fehlerhaft, tolerant gelesen: {error}"
                    )
                } else {
                    let slice = slice.map(|i| format!(" (slice {i})")).unwrap_or_default();
                    format!("{entry}: Mach-O{slice} partly malformed, read leniently: {error}")
                }
            }
            AppWarning::ExecutableEncrypted { entry } => {
                if de {
                    format!("{entry} ist mit Apple FairPlay verschlüsselt (Download aus dem App Store): die Verschlüsselung verbirgt Klassennamen, Methodennamen und Zeichenketten im Code, der Code wurde also nicht vollständig gelesen; Belege auf Code-Ebene (SDK-Klassen, API-Nutzung) beschränken sich auf die Symboltabelle, die eingebundenen Bibliotheken und die Dateien des Bundles. Für eine vollständige Prüfung wird eine entschlüsselte IPA benötigt")
                } else {
                    format!("{entry} is encrypted with Apple FairPlay (App Store download): the encryption hides class names, method names and strings inside the code, so the code was not completely read; code-level evidence (SDK classes, API use) is limited to the symbol table, linked libraries and bundle files. A decrypted IPA is needed for a full audit")
                }
            }
            AppWarning::InSplit { apk, warning } => format!("{apk}: {}", warning.write(de)),
            AppWarning::Read(d) => {
                if de {
                    d.de.clone()
                } else {
                    d.en.clone()
                }
            }
        }
    }
}

impl fmt::Display for AppWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

impl From<WarningDetail> for AppWarning {
    fn from(d: WarningDetail) -> Self {
        AppWarning::Read(d)
    }
}

/// An app's warnings as the facts document writes them: `warnings` (the
/// English texts, as before) and `warning_details` (`{code, en, de}` each).
/// Flattened into [`super::AppFacts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppWarnings(pub Vec<AppWarning>);

impl std::ops::Deref for AppWarnings {
    type Target = Vec<AppWarning>;
    fn deref(&self) -> &Vec<AppWarning> {
        &self.0
    }
}

impl From<Vec<AppWarning>> for AppWarnings {
    fn from(v: Vec<AppWarning>) -> Self {
        AppWarnings(v)
    }
}

/// The JSON form of [`AppWarnings`].
#[derive(Serialize, Deserialize)]
struct AppWarningsJson {
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    warning_details: Option<Vec<WarningDetail>>,
}

impl AppWarnings {
    /// Reads the warnings of a facts document held as JSON (e.g. the
    /// `facts` of a saved report): `warning_details` when present, else the
    /// English `warnings` (see `AppWarnings::from_parts`).
    pub fn from_facts_json(facts: &serde_json::Value) -> AppWarnings {
        let texts = facts
            .get("warnings")
            .and_then(|w| w.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let details = facts
            .get("warning_details")
            .and_then(|d| serde_json::from_value(d.clone()).ok());
        AppWarnings::from_parts(texts, details)
    }

    /// The warnings from the two fields of a facts document: the details
    /// when they are there and match the texts in number, else each English
    /// text alone (code [`OTHER_CODE`], the same text in both languages).
    fn from_parts(texts: Vec<String>, details: Option<Vec<WarningDetail>>) -> AppWarnings {
        match details {
            Some(d) if d.len() == texts.len() => {
                AppWarnings(d.into_iter().map(Into::into).collect())
            }
            _ => AppWarnings(
                texts
                    .into_iter()
                    .map(|en| {
                        AppWarning::Read(WarningDetail {
                            code: OTHER_CODE.to_string(),
                            de: en.clone(),
                            en,
                        })
                    })
                    .collect(),
            ),
        }
    }
}

impl Serialize for AppWarnings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AppWarningsJson {
            warnings: self.0.iter().map(AppWarning::english).collect(),
            warning_details: Some(self.0.iter().map(AppWarning::detail).collect()),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for AppWarnings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = AppWarningsJson::deserialize(d)?;
        Ok(AppWarnings::from_parts(json.warnings, json.warning_details))
    }
}

/// The Android release that introduced API level `level`, for the levels
/// the signing warnings name.
fn android_release(level: u32) -> String {
    match level {
        24 => "Android 7.0".to_string(),
        28 => "Android 9".to_string(),
        other => format!("API {other}"),
    }
}

/// One warning of each kind, for tests and documentation.
pub fn examples() -> Vec<AppWarning> {
    let s = |x: &str| x.to_string();
    vec![
        AppWarning::DexGap {
            file: s("classes3.dex"),
            missing: s("classes2.dex"),
        },
        AppWarning::DexFileSize {
            file: s("classes.dex"),
            declared: 1000,
            actual: 900,
        },
        AppWarning::DexChecksum {
            file: s("classes.dex"),
            declared: 1,
            computed: 2,
        },
        AppWarning::SplitStandaloneOnly {
            count: 2,
            read: s("a.apk"),
        },
        AppWarning::SplitNestingDisabled,
        AppWarning::SplitSecondBase { apk: s("b.apk") },
        AppWarning::SplitOtherPackage {
            apk: s("c.apk"),
            package: s("com.other"),
        },
        AppWarning::XmlResourceMissing {
            path: s("res/xml/network_security_config.xml"),
        },
        AppWarning::SigningV1Ignored {
            signers: s("CN=Decoy (SHA-256 aa)"),
            checked: s("CN=Real (SHA-256 bb)"),
            scheme: s("v2"),
            min_sdk: 29,
        },
        AppWarning::SigningSchemesDiffer {
            v1: s("CN=Old (SHA-256 aa)"),
            newer: s("CN=New (SHA-256 bb)"),
            scheme: s("v2"),
            from: 24,
        },
        AppWarning::InfoPlistMissing {
            path: s("Payload/X.app/Info.plist"),
        },
        AppWarning::ExecutableMissing {
            entry: s("Payload/X.app/X"),
        },
        AppWarning::MachoLenient {
            entry: s("Payload/X.app/X"),
            slice: Some(1),
            error: s("bad load command"),
        },
        AppWarning::ExecutableEncrypted {
            entry: s("Payload/X.app/X"),
        },
        AppWarning::Read(WarningDetail {
            code: s(OTHER_CODE),
            en: s("an old warning"),
            de: s("an old warning"),
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_unique_documented_code_and_two_texts() {
        let all = examples();
        let codes: Vec<&str> = all.iter().map(AppWarning::code).collect();
        assert_eq!(codes, CODES, "one example per code, in the order of CODES");
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len(), "codes are unique");
        let doc = include_str!("../../docs/facts.md");
        for w in &all {
            assert!(
                doc.contains(&format!("`{}`", w.code())),
                "{} undocumented",
                w.code()
            );
            let (en, de) = (w.english(), w.german());
            assert!(!en.is_empty() && !de.is_empty());
            if !matches!(w, AppWarning::Read(_)) {
                assert_ne!(en, de, "{} has no German text", w.code());
            }
        }
    }

    #[test]
    fn split_warnings_keep_the_inner_code_and_prefix_both_texts() {
        let w = AppWarning::InSplit {
            apk: "splits/base.apk".into(),
            warning: Box::new(AppWarning::SplitNestingDisabled),
        };
        assert_eq!(w.code(), "apk.split.nesting-disabled");
        assert!(w.english().starts_with("splits/base.apk: split set"));
        assert!(w.german().starts_with("splits/base.apk: Split-Set"));
    }

    #[test]
    fn facts_json_round_trips_and_old_documents_load() {
        let ws = AppWarnings(examples());
        let json = serde_json::to_value(&ws).unwrap();
        assert_eq!(json["warnings"][0], ws[0].english());
        assert_eq!(json["warning_details"][0]["code"], "apk.dex.gap");
        assert_eq!(json["warning_details"][0]["de"], ws[0].german());
        let back: AppWarnings = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            back.iter().map(AppWarning::detail).collect::<Vec<_>>(),
            ws.iter().map(AppWarning::detail).collect::<Vec<_>>()
        );
        assert_eq!(serde_json::to_value(&back).unwrap(), json);

        let old = serde_json::json!({"warnings": ["classes3.dex: present although classes2.dex is missing"]});
        let old: AppWarnings = serde_json::from_value(old).unwrap();
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].code(), OTHER_CODE);
        assert_eq!(old[0].german(), old[0].english());
        let none: AppWarnings = serde_json::from_value(serde_json::json!({})).unwrap();
        assert!(none.is_empty());
    }
}
