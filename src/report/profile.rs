//! The app profile as the reports show it: identity and signature, URL
//! schemes, permissions with their protection level, usage descriptions,
//! SDKs, known hosts, exported components and the network security summary
//! (issue #16 item 4). The data is [`crate::assess::app_profile`], built from
//! the facts; this module words it in the report language as [`Section`]s
//! that HTML, Markdown and the terminal table lay out in their own way.

use std::fmt::Write as _;

use crate::assess::app_profile::{
    self, AppProfile, DomainRule, LevelSource, NetworkSummary, PermissionEntry,
};
use crate::assess::{Lang, TargetAssessment};

/// The profile's styles, added to the HTML report's `<style>`.
pub const CSS: &str =
    "\nsection.profile h4{font-size:10.5pt;margin:12px 0 4px}\ntable.profile td{font-size:9.5pt}\n";

/// One cell: text, shown as code (identifiers) or as prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// An identifier (permission, class, key, hash): set in a monospace font.
    pub code: bool,
}

impl Cell {
    /// A cell of running text.
    pub(super) fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            code: false,
        }
    }

    /// A cell holding an identifier, set in a monospace font.
    pub(super) fn code(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            code: true,
        }
    }
}

/// One part of the profile: a heading, column headers and rows. A section
/// without rows says `empty` instead (so "none" is visible, never missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Heading.
    pub title: &'static str,
    /// Column headers; a key/value section has two.
    pub columns: Vec<&'static str>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// What to show when there are no rows.
    pub empty: &'static str,
    /// A note under the table (scope of the data).
    pub note: Option<&'static str>,
}

/// The profile of `t` in `lang`, or `None` for devices and unreadable targets.
pub fn sections_of(t: &TargetAssessment, lang: Lang) -> Option<Vec<Section>> {
    let facts = t.facts.as_ref()?.value().ok()?;
    let p = app_profile::build(&facts)?;
    let mut out = sections(&p, lang);
    let known_hosts = tr(lang, "Known hosts", "Bekannte Hosts");
    let at = out.iter().position(|s| s.title == known_hosts);
    let before = out.len();
    super::profile_endpoints::append(&mut out, &facts, lang);
    // Facts with an `endpoints` list name every host found (the network
    // configuration's too): that section takes the place of the narrower
    // "Known hosts", whose note says it is not every endpoint.
    if let (Some(at), true) = (at, out.len() > before) {
        let endpoints = out.pop().expect("appended");
        out[at] = endpoints;
    }
    Some(out)
}

/// `en` or `de`, by `l`.
pub(super) fn tr(l: Lang, en: &'static str, de: &'static str) -> &'static str {
    match l {
        Lang::De => de,
        Lang::En => en,
    }
}

/// The heading of the profile part of an app target.
pub fn heading(l: Lang) -> &'static str {
    tr(l, "App profile", "App-Profil")
}

/// The sections of `p` in `l`.
pub fn sections(p: &AppProfile, l: Lang) -> Vec<Section> {
    let android = p.identity.platform == "android";
    let mut out = vec![identity(p, l)];
    if android {
        out.push(certificates(p, l));
    }
    out.push(Section {
        title: tr(
            l,
            "URL schemes and deep links",
            "URL-Schemata und Deep Links",
        ),
        columns: vec![tr(l, "Scheme or link", "Schema oder Link")],
        rows: p.url_schemes.iter().map(|u| vec![Cell::code(u)]).collect(),
        empty: tr(l, "none registered", "keine registriert"),
        note: None,
    });
    if android {
        out.push(permissions(p, l));
    } else {
        out.push(Section {
            title: tr(
                l,
                "Usage descriptions (why the app asks)",
                "Zweckangaben (warum die App fragt)",
            ),
            columns: vec![
                tr(l, "Key", "Schlüssel"),
                tr(l, "Text shown", "Angezeigter Text"),
            ],
            rows: p
                .usage_descriptions
                .iter()
                .map(|u| vec![Cell::code(&u.key), Cell::text(&u.text)])
                .collect(),
            empty: tr(l, "none", "keine"),
            note: None,
        });
    }
    out.push(sdks(p, l));
    out.push(Section {
        title: tr(l, "Known hosts", "Bekannte Hosts"),
        columns: vec![
            "Host",
            tr(l, "Named in", "Genannt in"),
            tr(l, "SDK of the host", "SDK des Hosts"),
        ],
        rows: p
            .endpoints
            .iter()
            .map(|e| {
                vec![
                    Cell::code(&e.host),
                    Cell::text(host_source(&e.source, l)),
                    Cell::text(e.sdk.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        empty: tr(l, "none named", "keine genannt"),
        note: Some(tr(
            l,
            "Only the hosts the network configuration and cleartext URLs in the code name; msgaudit does not extract every endpoint.",
            "Nur die Hosts, die die Netzwerkkonfiguration und Klartext-URLs im Code nennen; msgaudit ermittelt nicht alle Endpunkte.",
        )),
    });
    if android {
        out.push(exported(p, l));
    }
    out.push(network(p.network.as_ref(), android, l));
    out
}

fn kv(key: &'static str, value: Cell) -> Vec<Cell> {
    vec![Cell::text(key), value]
}

fn identity(p: &AppProfile, l: Lang) -> Section {
    let i = &p.identity;
    let android = i.platform == "android";
    let mut rows = Vec::new();
    let mut opt = |key: &'static str, v: &Option<String>, code: bool| {
        if let Some(v) = v {
            rows.push(kv(key, if code { Cell::code(v) } else { Cell::text(v) }));
        }
    };
    opt(
        if android {
            tr(l, "Package name", "Paketname")
        } else {
            tr(l, "Bundle id", "Bundle-ID")
        },
        &i.id,
        true,
    );
    opt(tr(l, "Name", "Name"), &i.name, false);
    opt(tr(l, "Version", "Version"), &i.version, false);
    opt(
        if android {
            tr(l, "Version code", "Versionscode")
        } else {
            tr(l, "Build", "Build")
        },
        &i.build,
        false,
    );
    opt(
        if android {
            tr(l, "Min. SDK (API level)", "Mindest-SDK (API-Level)")
        } else {
            tr(l, "Min. iOS version", "Mindestversion iOS")
        },
        &i.min_os,
        false,
    );
    opt(
        if android {
            tr(l, "Target SDK (API level)", "Ziel-SDK (API-Level)")
        } else {
            tr(l, "Built with iOS SDK", "Erstellt mit iOS-SDK")
        },
        &i.target_os,
        false,
    );
    if android {
        let schemes = if i.signature_schemes.is_empty() {
            tr(l, "none found", "keines gefunden").to_string()
        } else {
            i.signature_schemes.join(", ")
        };
        rows.push(kv(
            tr(l, "Signature schemes", "Signaturschemata"),
            Cell::text(schemes),
        ));
    } else {
        opt(tr(l, "Team id", "Team-ID"), &i.team_id, true);
        opt(tr(l, "Team name", "Teamname"), &i.team_name, false);
        if let Some(kind) = &i.provisioning {
            rows.push(kv(
                tr(l, "Provisioning", "Bereitstellung"),
                Cell::text(provisioning(kind, l)),
            ));
        } else {
            rows.push(kv(
                tr(l, "Provisioning", "Bereitstellung"),
                Cell::text(tr(
                    l,
                    "no embedded.mobileprovision (App Store download or simulator build)",
                    "kein embedded.mobileprovision (Download aus dem App Store oder Simulator-Build)",
                )),
            ));
        }
    }
    Section {
        title: tr(l, "Identity", "Identität"),
        columns: vec![tr(l, "Field", "Angabe"), tr(l, "Value", "Wert")],
        rows,
        empty: tr(l, "not known", "nicht bekannt"),
        note: None,
    }
}

fn provisioning(kind: &str, l: Lang) -> String {
    match kind {
        "app_store" => "App Store".into(),
        "ad_hoc" => "Ad hoc".into(),
        "development" => tr(l, "development", "Entwicklung").into(),
        "enterprise" => tr(
            l,
            "enterprise (in-house)",
            "Enterprise (unternehmensintern)",
        )
        .into(),
        other => other.into(),
    }
}

fn certificates(p: &AppProfile, l: Lang) -> Section {
    let mut rows = Vec::new();
    for c in &p.identity.certificates {
        rows.push(kv(tr(l, "Subject", "Inhaber"), Cell::code(&c.subject)));
        rows.push(kv(tr(l, "Issuer", "Aussteller"), Cell::code(&c.issuer)));
        rows.push(kv(
            tr(l, "SHA-256 fingerprint", "SHA-256-Fingerabdruck"),
            Cell::code(&c.sha256),
        ));
        rows.push(kv(
            tr(l, "Valid", "Gültig"),
            Cell::text(format!(
                "{} {} {} {}",
                tr(l, "from", "von"),
                c.not_before,
                tr(l, "until", "bis"),
                c.not_after
            )),
        ));
        let mut schemes = c.schemes.join(", ");
        if c.debug {
            schemes.push_str(tr(
                l,
                " — Android debug certificate",
                " — Android-Debug-Zertifikat",
            ));
        }
        if c.unchecked {
            schemes.push_str(tr(
                l,
                " — no device checks this certificate (see the reading notes)",
                " — kein Gerät prüft dieses Zertifikat (siehe die Hinweise beim Lesen)",
            ));
        }
        rows.push(kv(tr(l, "Signs with", "Signiert mit"), Cell::text(schemes)));
    }
    Section {
        title: tr(l, "Signing certificate", "Signaturzertifikat"),
        columns: vec![tr(l, "Field", "Angabe"), tr(l, "Value", "Wert")],
        rows,
        empty: tr(l, "no certificate could be read", "kein Zertifikat lesbar"),
        note: None,
    }
}

/// The protection level in words: the base level named, then the
/// platform's spelling as code (`dangerous|instant`).
pub fn level_words(e: &PermissionEntry, l: Lang) -> String {
    let base = match e.base_level() {
        Some("dangerous") => tr(
            l,
            "dangerous (runtime permission)",
            "gefährlich (Laufzeitberechtigung)",
        ),
        Some("normal") => tr(l, "normal", "normal"),
        Some("signature") => tr(l, "signature", "Signatur"),
        Some("signatureOrSystem") => tr(l, "signature or system", "Signatur oder System"),
        Some("internal") => tr(l, "internal", "intern"),
        Some(_) => tr(l, "other", "sonstige"),
        None => tr(l, "unknown", "unbekannt"),
    };
    let source = match e.level_source {
        LevelSource::Framework => "",
        LevelSource::App => tr(l, ", app-defined", ", von der App definiert"),
        LevelSource::Unknown => tr(
            l,
            " (not a framework permission)",
            " (keine Berechtigung des Frameworks)",
        ),
    };
    // The manifest's own spelling is named as such, so that no English
    // token reads as if it were untranslated text.
    match &e.protection_level {
        Some(raw) if raw != base => {
            format!("{base}{source} · {}: {raw}", tr(l, "manifest", "Manifest"))
        }
        _ => format!("{base}{source}"),
    }
}

fn permissions(p: &AppProfile, l: Lang) -> Section {
    let rows = p
        .permissions
        .iter()
        .map(|e| {
            // Implied permissions are requested by Android on the app's
            // behalf (old targetSdkVersion, split permissions): a dangerous
            // one still needs the user's grant, so none is "granted".
            let note = match &e.implied_by {
                None => tr(l, "requested", "angefordert").to_string(),
                Some(r) if r.is_empty() => tr(
                    l,
                    "requested implicitly by Android",
                    "von Android stillschweigend mit angefordert",
                )
                .to_string(),
                Some(r) => format!(
                    "{}: {r}",
                    tr(
                        l,
                        "requested implicitly by Android",
                        "von Android stillschweigend mit angefordert"
                    )
                ),
            };
            vec![
                Cell::code(&e.name),
                Cell::text(level_words(e, l)),
                Cell::text(note),
            ]
        })
        .collect();
    Section {
        title: tr(l, "Permissions", "Berechtigungen"),
        columns: vec![
            tr(l, "Permission", "Berechtigung"),
            tr(l, "Protection level", "Schutzstufe"),
            tr(l, "How", "Herkunft"),
        ],
        rows,
        empty: tr(l, "none", "keine"),
        note: Some(tr(
            l,
            "Protection levels from the Android framework's own definitions (checks/android-protection-levels.toml). Android requests some permissions implicitly on top of the manifest's, because of the app's targetSdkVersion or another permission (e.g. ACCESS_BACKGROUND_LOCATION with a location permission while targetSdkVersion < 29); a dangerous one (runtime permission) still needs the user's grant.",
            "Schutzstufen aus den Definitionen des Android-Frameworks (checks/android-protection-levels.toml). Manche Berechtigungen fordert Android über das Manifest hinaus stillschweigend mit an, wegen der targetSdkVersion der App oder einer anderen Berechtigung (z. B. ACCESS_BACKGROUND_LOCATION mit einer Standortberechtigung, solange targetSdkVersion < 29); eine gefährliche (Laufzeitberechtigung) muss der Nutzer trotzdem erteilen.",
        )),
    }
}

/// An SDK category in words.
pub fn category(c: &str, l: Lang) -> String {
    match c {
        "crash_reporting" => tr(l, "crash reporting", "Absturzberichte").into(),
        "analytics" => tr(l, "analytics", "Nutzungsanalyse").into(),
        "advertising" => tr(l, "advertising", "Werbung").into(),
        "e2e_crypto" => tr(l, "end-to-end encryption", "Ende-zu-Ende-Verschlüsselung").into(),
        "storage_encryption" => tr(l, "storage encryption", "Speicherverschlüsselung").into(),
        "biometrics" => tr(l, "biometrics", "Biometrie").into(),
        "push" => tr(l, "push messages", "Push-Benachrichtigungen").into(),
        "certificate_pinning" => tr(l, "certificate pinning", "Zertifikats-Pinning").into(),
        "other" => tr(l, "other", "Sonstiges").into(),
        other => other.into(),
    }
}

fn sdks(p: &AppProfile, l: Lang) -> Section {
    let rows = p
        .sdks
        .iter()
        .map(|s| {
            let default = match s.collection_default.as_deref() {
                Some("enabled") => tr(
                    l,
                    "collects from first start",
                    "erfasst ab dem ersten Start",
                ),
                Some("disabled") => tr(
                    l,
                    "off until the app enables it",
                    "aus, bis die App sie einschaltet",
                ),
                Some("unknown") => tr(
                    l,
                    "unknown (decided in code)",
                    "unbekannt (im Code entschieden)",
                ),
                Some(_) => tr(l, "other", "sonstige"),
                None => "—",
            };
            vec![
                Cell::text(match (l, &s.name_de) {
                    (Lang::De, Some(de)) => de,
                    _ => &s.name,
                }),
                Cell::text(category(&s.category, l)),
                Cell::text(s.vendor.clone().unwrap_or_default()),
                Cell::text(default),
            ]
        })
        .collect();
    Section {
        title: tr(l, "SDKs and trackers", "SDKs und Tracker"),
        columns: vec![
            "SDK",
            tr(l, "Category", "Kategorie"),
            tr(l, "Vendor", "Hersteller"),
            tr(l, "Data collection by default", "Datenerfassung ab Werk"),
        ],
        rows,
        empty: tr(l, "none found", "keine gefunden"),
        note: None,
    }
}

fn host_source(s: &str, l: Lang) -> String {
    match s {
        "network_security_config" => "Network Security Config".into(),
        "ats_exception" => tr(l, "ATS exception", "ATS-Ausnahme").into(),
        "ats_pinned" => tr(l, "ATS pinning", "ATS-Pinning").into(),
        "cleartext_url" => tr(l, "cleartext URL in the code", "Klartext-URL im Code").into(),
        other => other.into(),
    }
}

fn exported(p: &AppProfile, l: Lang) -> Section {
    let rows = p
        .exported_components
        .iter()
        .map(|c| {
            let mut guard = if c.guards.is_empty() {
                tr(
                    l,
                    "no permission: any app may call it",
                    "keine Berechtigung – jede App darf sie aufrufen",
                )
                .to_string()
            } else {
                c.guards.join(", ")
            };
            if c.implicit {
                guard.push_str(tr(
                    l,
                    " (exported through its intent filter, without android:exported)",
                    " (über ihren Intent-Filter exportiert, ohne android:exported)",
                ));
            }
            vec![
                Cell::text(component_kind(&c.kind, l)),
                Cell::code(&c.name),
                Cell::text(guard),
            ]
        })
        .collect();
    Section {
        title: tr(l, "Exported components", "Exportierte Komponenten"),
        columns: vec![
            tr(l, "Type", "Typ"),
            tr(l, "Class", "Klasse"),
            tr(l, "Protected by", "Geschützt durch"),
        ],
        rows,
        empty: tr(l, "none", "keine"),
        note: None,
    }
}

/// An Android component type in words: the platform's name with what it
/// is („Activity (Bildschirm)“); an unknown type as the manifest says it.
pub fn component_kind(kind: &str, l: Lang) -> String {
    match kind {
        "activity" => tr(l, "activity (screen)", "Activity (Bildschirm)").into(),
        "activity-alias" => tr(
            l,
            "activity alias (second name of a screen)",
            "Activity-Alias (zweiter Name eines Bildschirms)",
        )
        .into(),
        "service" => tr(
            l,
            "service (background task)",
            "Service (Hintergrunddienst)",
        )
        .into(),
        "receiver" => tr(
            l,
            "broadcast receiver (reacts to system events)",
            "Broadcast-Receiver (reagiert auf Systemereignisse)",
        )
        .into(),
        "provider" => tr(
            l,
            "content provider (shares data with other apps)",
            "Content-Provider (gibt Daten an andere Apps)",
        )
        .into(),
        other => format!("{}: {other}", tr(l, "manifest", "Manifest")),
    }
}

fn yes_no(v: Option<bool>, l: Lang) -> &'static str {
    match v {
        Some(true) => tr(l, "yes", "ja"),
        Some(false) => tr(l, "no", "nein"),
        None => tr(l, "not set", "nicht festgelegt"),
    }
}

fn rule_words(r: &DomainRule, l: Lang) -> String {
    let mut what: Vec<String> = Vec::new();
    match r.cleartext {
        Some(true) => what.push(tr(l, "cleartext allowed", "Klartext erlaubt").into()),
        Some(false) => what.push(tr(l, "no cleartext", "kein Klartext").into()),
        None => {}
    }
    if r.user_cas == Some(true) {
        what.push(tr(l, "trusts user CAs", "vertraut Nutzer-CAs").into());
    }
    if r.pinned {
        what.push(tr(l, "pinned", "gepinnt").into());
    }
    if let Some(tls) = &r.min_tls {
        what.push(format!("{} {tls}", tr(l, "at least", "mindestens")));
    }
    if r.forward_secrecy == Some(false) {
        what.push(tr(l, "no forward secrecy", "ohne Forward Secrecy").into());
    }
    let names = r.domains.join(", ");
    if what.is_empty() {
        names
    } else {
        format!("{names}: {}", what.join(", "))
    }
}

fn network(n: Option<&NetworkSummary>, android: bool, l: Lang) -> Section {
    let title = if android {
        tr(l, "Network security", "Netzwerksicherheit")
    } else {
        tr(l, "App Transport Security", "App Transport Security (ATS)")
    };
    let mut rows = Vec::new();
    if let Some(n) = n {
        if let Some(src) = &n.source {
            rows.push(kv(tr(l, "Configured in", "Festgelegt in"), Cell::code(src)));
        }
        rows.push(kv(
            tr(l, "Cleartext (HTTP) allowed", "Klartext (HTTP) erlaubt"),
            Cell::text(yes_no(n.cleartext_allowed, l)),
        ));
        if android {
            rows.push(kv(
                tr(
                    l,
                    "User-installed CAs trusted",
                    "Vom Nutzer installierten CA-Zertifikaten wird vertraut",
                ),
                Cell::text(yes_no(n.user_cas_trusted, l)),
            ));
        }
        rows.push(kv(
            tr(l, "Certificate pinning", "Zertifikats-Pinning"),
            Cell::text(if n.pinned_domains.is_empty() {
                tr(l, "none declared", "keines festgelegt").to_string()
            } else {
                n.pinned_domains.join(", ")
            }),
        ));
        for r in &n.exception_domains {
            rows.push(kv(
                tr(l, "Own rules for", "Eigene Regeln für"),
                Cell::text(rule_words(r, l)),
            ));
        }
    }
    Section {
        title,
        columns: vec![tr(l, "Field", "Angabe"), tr(l, "Value", "Wert")],
        rows,
        empty: if android {
            tr(
                l,
                "no network security config and no android:usesCleartextTraffic; the platform default for the target SDK applies",
                "keine Network Security Config und kein android:usesCleartextTraffic; es gilt die Voreinstellung der Plattform für das Ziel-SDK",
            )
        } else {
            tr(
                l,
                "no NSAppTransportSecurity: the secure default applies",
                "kein NSAppTransportSecurity: es gilt die sichere Voreinstellung",
            )
        },
        note: None,
    }
}

/// The profile as HTML (appended to `out`): one `<section class="profile">`.
pub fn html(sections: &[Section], l: Lang, out: &mut String) {
    use super::html::esc;
    let _ = writeln!(
        out,
        "<section class=\"profile\">\n<h3>{}</h3>",
        esc(heading(l))
    );
    for s in sections {
        let _ = writeln!(out, "<h4>{}</h4>", esc(s.title));
        if s.rows.is_empty() {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(s.empty));
        } else {
            out.push_str("<table class=\"profile\"><thead><tr>");
            for c in &s.columns {
                let _ = write!(out, "<th>{}</th>", esc(c));
            }
            out.push_str("</tr></thead><tbody>\n");
            for row in &s.rows {
                out.push_str("<tr>");
                for c in row {
                    let class = if c.code { " class=\"mono\"" } else { "" };
                    let _ = write!(out, "<td{class}>{}</td>", esc(&c.text));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table>\n");
        }
        if let Some(n) = s.note {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(n));
        }
    }
    out.push_str("</section>\n");
}

/// The profile as Markdown (appended to `out`), under a heading of `depth`.
pub fn markdown(sections: &[Section], l: Lang, depth: usize, out: &mut String) {
    use super::markdown::esc;
    let hashes = "#".repeat(depth);
    let _ = writeln!(out, "{hashes} {}\n", esc(heading(l)));
    for s in sections {
        let _ = writeln!(out, "**{}**\n", esc(s.title));
        if s.rows.is_empty() {
            let _ = writeln!(out, "{}\n", esc(s.empty));
        } else {
            let header: Vec<String> = s.columns.iter().map(|c| esc(c)).collect();
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(s.columns.len()));
            for row in &s.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| {
                        if c.code {
                            md_code(&c.text)
                        } else {
                            esc(&c.text)
                        }
                    })
                    .collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
            out.push('\n');
        }
        if let Some(n) = s.note {
            let _ = writeln!(out, "_{}_\n", esc(n));
        }
    }
}

/// A code span for a Markdown table cell: backticks become `'`, pipes are
/// escaped, line breaks become spaces.
fn md_code(s: &str) -> String {
    let inner: String = s
        .chars()
        .map(|c| match c {
            '`' => '\''.to_string(),
            '|' => "\\|".to_string(),
            c if c.is_control() => " ".to_string(),
            c => c.to_string(),
        })
        .collect();
    if inner.is_empty() {
        String::new()
    } else {
        format!("`{inner}`")
    }
}

/// The profile for the terminal: short lines (indent, text), one per row,
/// cells joined with ` · `; the caller wraps and cleans them.
pub fn text_lines(sections: &[Section], l: Lang) -> Vec<(usize, String)> {
    let mut lines = vec![(3, format!("{}:", heading(l)))];
    for s in sections {
        if s.rows.is_empty() {
            lines.push((5, format!("{}: {}", s.title, s.empty)));
            continue;
        }
        lines.push((5, format!("{}:", s.title)));
        let key_value =
            s.columns.len() == 2 && !s.rows.iter().any(|r| r.first().is_some_and(|c| c.code));
        for row in &s.rows {
            let text = if key_value {
                let k = row.first().map_or("", |c| c.text.as_str());
                let v = row.get(1).map_or("", |c| c.text.as_str());
                format!("{k}: {v}")
            } else {
                row.iter()
                    .map(|c| c.text.as_str())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            lines.push((7, text));
        }
    }
    lines
}

/// The profile for the terminal, kept to the essentials: identity, the
/// dangerous permissions (Android) or usage-description keys (iOS), the SDKs,
/// how many components are exported, hosts named and URL schemes registered,
/// and where the full profile is (`--format html` or `md`). Short lines
/// (indent, text); the caller wraps and cleans them.
pub fn brief_lines(t: &TargetAssessment, l: Lang) -> Option<Vec<(usize, String)>> {
    let p = app_profile::build(&t.facts.as_ref()?.value().ok()?)?;
    let android = p.identity.platform == "android";
    let mut lines = text_lines(&[identity(&p, l)], l);
    if android {
        let dangerous: Vec<&str> = p
            .permissions
            .iter()
            .filter(|e| e.base_level() == Some("dangerous"))
            .map(|e| e.name.as_str())
            .collect();
        lines.push((
            5,
            format!(
                "{}: {} {} {}",
                tr(l, "Dangerous permissions", "Gefährliche Berechtigungen"),
                dangerous.len(),
                tr(l, "of", "von"),
                p.permissions.len()
            ),
        ));
        lines.extend(dangerous.into_iter().map(|n| (7, n.to_string())));
    } else {
        let keys: Vec<&str> = p
            .usage_descriptions
            .iter()
            .map(|u| u.key.as_str())
            .collect();
        lines.push((
            5,
            format!(
                "{}: {}",
                tr(l, "Usage descriptions", "Zweckangaben"),
                if keys.is_empty() {
                    tr(l, "none", "keine").to_string()
                } else {
                    keys.join(", ")
                }
            ),
        ));
    }
    lines.extend(text_lines(&[sdks(&p, l)], l).into_iter().skip(1));
    let mut counts = Vec::new();
    if android {
        counts.push(format!(
            "{}: {}",
            tr(l, "Exported components", "Exportierte Komponenten"),
            p.exported_components.len()
        ));
    }
    counts.push(format!(
        "{}: {}",
        tr(l, "Hosts named", "Genannte Hosts"),
        p.endpoints.len()
    ));
    counts.push(format!(
        "{}: {}",
        tr(l, "URL schemes and links", "URL-Schemata und Links"),
        p.url_schemes.len()
    ));
    lines.push((5, counts.join(" · ")));
    lines.push((
        5,
        tr(
            l,
            "Full profile (every permission with its protection level, certificates, hosts, exported components, network security):",
            "Vollständiges Profil (alle Berechtigungen mit Schutzstufe, Zertifikate, Hosts, exportierte Komponenten, Netzwerksicherheit):",
        )
        .to_string(),
    ));
    lines.push((
        7,
        tr(
            l,
            "--format html or --format md",
            "--format html oder --format md",
        )
        .to_string(),
    ));
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::app_profile::{Certificate, Identity, PermissionEntry};

    fn android() -> AppProfile {
        AppProfile {
            identity: Identity {
                platform: "android".into(),
                id: Some("org.example.x".into()),
                certificates: vec![Certificate {
                    subject: "CN=x".into(),
                    sha256: "ab".into(),
                    ..Certificate::default()
                }],
                ..Identity::default()
            },
            permissions: vec![
                PermissionEntry {
                    name: "android.permission.CAMERA".into(),
                    protection_level: Some("dangerous|instant".into()),
                    level_source: LevelSource::Framework,
                    implied_by: None,
                },
                PermissionEntry {
                    name: "com.example.X".into(),
                    protection_level: None,
                    level_source: LevelSource::Unknown,
                    implied_by: None,
                },
            ],
            ..AppProfile::default()
        }
    }

    #[test]
    fn implied_permissions_are_requested_implicitly_not_granted() {
        let mut p = android();
        p.permissions.push(PermissionEntry {
            name: "android.permission.ACCESS_BACKGROUND_LOCATION".into(),
            protection_level: Some("dangerous|instant".into()),
            level_source: LevelSource::Framework,
            implied_by: Some("android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29".into()),
        });
        for (lang, title, words) in [
            (Lang::De, "Berechtigungen", "von Android stillschweigend mit angefordert: android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29"),
            (Lang::En, "Permissions", "requested implicitly by Android: android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29"),
        ] {
            let s = sections(&p, lang);
            let perms = s.iter().find(|s| s.title == title).unwrap();
            assert_eq!(perms.rows[2][2].text, words);
            assert_eq!(perms.rows[0][2].text, tr(lang, "requested", "angefordert"));
            let note = perms.note.unwrap();
            assert!(!note.contains("gewährt") && !note.contains("granted by"), "{note}");
        }
    }

    #[test]
    fn german_levels_and_unknown_permissions() {
        let s = sections(&android(), Lang::De);
        let perms = s.iter().find(|s| s.title == "Berechtigungen").unwrap();
        assert_eq!(
            perms.rows[0][1].text,
            "gefährlich (Laufzeitberechtigung) · Manifest: dangerous|instant"
        );
        assert!(perms.rows[1][1].text.starts_with("unbekannt"));
        // Empty sections say so instead of disappearing.
        let hosts = s.iter().find(|s| s.title == "Bekannte Hosts").unwrap();
        assert!(hosts.rows.is_empty());
        assert_eq!(hosts.empty, "keine genannt");
    }

    /// The German profile reads as German: an exported component is „sie“
    /// („über ihren Intent-Filter“, not „seinen“), a row label is a phrase,
    /// pinning is „Zertifikats-Pinning“ as in COM-04.
    #[test]
    fn german_component_and_network_rows() {
        let mut p = android();
        p.exported_components = vec![crate::assess::app_profile::ExportedComponent {
            kind: "activity".into(),
            name: "org.example.x.Main".into(),
            guards: Vec::new(),
            implicit: true,
        }];
        p.network = Some(NetworkSummary {
            source: None,
            cleartext_allowed: Some(false),
            user_cas_trusted: None,
            pinned_domains: Vec::new(),
            exception_domains: Vec::new(),
        });
        let s = sections(&p, Lang::De);
        let exported = s
            .iter()
            .find(|s| s.title == "Exportierte Komponenten")
            .unwrap();
        assert_eq!(
            exported.rows[0][2].text,
            "keine Berechtigung – jede App darf sie aufrufen (über ihren Intent-Filter \
             exportiert, ohne android:exported)"
        );
        // The component type in words, not the manifest's tag.
        assert_eq!(exported.rows[0][0].text, "Activity (Bildschirm)");
        assert_eq!(
            component_kind("service", Lang::De),
            "Service (Hintergrunddienst)"
        );
        assert_eq!(component_kind("other", Lang::De), "Manifest: other");
        let text: Vec<String> = s
            .iter()
            .flat_map(|s| s.rows.iter())
            .map(|r| {
                r.iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        let user_cas = "Vom Nutzer installierten CA-Zertifikaten wird vertraut | ";
        assert!(text.iter().any(|t| t.starts_with(user_cas)), "{text:?}");
        assert!(
            text.contains(&"Zertifikats-Pinning | keines festgelegt".to_string()),
            "{text:?}"
        );
    }

    #[test]
    fn html_and_markdown_escape_input() {
        let mut p = android();
        p.identity.name = Some("<b>x|y</b>".into());
        let s = sections(&p, Lang::En);
        let mut h = String::new();
        html(&s, Lang::En, &mut h);
        assert!(h.contains("&lt;b&gt;x|y&lt;/b&gt;"));
        assert!(!h.contains("<b>x"));
        let mut m = String::new();
        markdown(&s, Lang::En, 3, &mut m);
        assert!(m.contains("x\\|y"));
        assert!(m.contains("`android.permission.CAMERA`"));
    }
}
