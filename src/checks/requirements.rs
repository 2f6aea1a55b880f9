//! The DSK requirement catalogue (from the project's `dsk/requirements.md`, §0 and §2.1):
//! id, level as given there, source confidence, and title — shown by `msgaudit explain`.

/// One requirement of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Id, e.g. `APP-05`.
    pub id: &'static str,
    /// Level as the catalogue gives it (`MUSS`, `SOLL?`, …; §0 wins).
    pub level: &'static str,
    /// `C` confirmed or `R` reconstructed ("derived from").
    pub source: &'static str,
    /// German title.
    pub title_de: &'static str,
    /// English title.
    pub title_en: &'static str,
}

macro_rules! req {
    ($id:literal, $level:literal, $src:literal, $de:literal, $en:literal) => {
        Requirement {
            id: $id,
            level: $level,
            source: $src,
            title_de: $de,
            title_en: $en,
        }
    };
}

/// Every requirement of the catalogue.
pub const REQUIREMENTS: &[Requirement] = &[
    req!("APP-01", "MUSS", "C", "Datenschutzinformationen für Nutzer jederzeit gut sichtbar in der App (Art. 13 DSGVO)", "Users can read at any time, in a clearly visible place in the app, how their data is processed (Art. 13 GDPR)"),
    req!("APP-02", "MUSS", "C", "Zugang zur App und ihren Daten an eine eigene, vorherige Authentisierung gebunden (PIN, Biometrie), verschieden von der Geräteentsperrung", "Access to the app and its data can be bound to the app's own prior authentication (PIN, biometrics), different from the device unlock"),
    req!("APP-03", "MUSS", "C", "Kontaktdaten können im eigenen Speicher der App, getrennt vom allgemeinen Adressbuch, gehalten werden", "Contact data can be kept in the app's own store, apart from the phone's general address book"),
    req!("APP-04", "MUSS", "C", "Nachrichten und Anhänge nur im eigenen, getrennten Speicherbereich der App, verschlüsselt", "Messages and attachments stored only in the app's own, separate storage area, encrypted"),
    req!("APP-05", "MUSS", "C", "Fehleranalyse-Dienste Dritter offen ausgewiesen, optional, übermittelte Datenkategorien sichtbar, standardmäßig aus", "Third-party crash reporting shown openly, optional, data categories visible, off by default"),
    req!("APP-06", "MUSS", "C", "Verwaltete Daten (Nachrichten, Dateien, Kontakte) können einzeln oder vollständig gelöscht werden", "Managed data (messages, files, contacts) can be deleted selectively or entirely"),
    req!("APP-07", "MUSS?", "C", "Automatisierte Löschung / Löschfristen", "Automated deletion / retention periods"),
    req!("APP-08", "MUSS?", "C", "Keine dauerhafte Erhebung von Standortdaten", "No permanent collection of location data"),
    req!("APP-09", "MUSS", "C", "Vollständigkeit beim Versand; bei geteilten Mitteilungen erfährt der Empfänger, ob sie vollständig ankamen", "Complete delivery; for a communication split over several messages the recipient learns whether it arrived complete"),
    req!("APP-10", "WÜNSCH?", "C", "Unkenntlichmachung von Bildbereichen vor dem Versand", "Blurring/redacting parts of images before sending"),
    req!("APP-11", "MUSS", "C", "Nachweis der wirksamen Umsetzung der Datenschutz- und Sicherheitsfunktionen (Art. 25 Abs. 1, 32 DSGVO)", "Proof that the data-protection and security functions are effectively implemented (Art. 25(1), 32 GDPR)"),
    req!("APP-12", "MUSS", "C", "Datenschutzfreundliche Voreinstellungen (Art. 25 Abs. 2 DSGVO)", "Privacy-friendly defaults (Art. 25(2) GDPR)"),
    req!("COM-01", "MUSS?", "R", "Transportverschlüsselung nach Stand der Technik", "Transport encryption (TLS), no cleartext"),
    req!("COM-02", "MUSS", "C", "Vertraulichkeit und Integrität Ende-zu-Ende nach Stand der Technik", "End-to-end confidentiality and integrity, state of the art"),
    req!("COM-03", "ALT?", "R", "Alternative zu E2E: Betrieb durch das Krankenhaus mit serverseitiger Verschlüsselung", "Alternative to E2E: hospital-operated server, TLS and encryption at rest"),
    req!("COM-04", "MUSS", "C", "Zertifikatsmanagement, wo elektronische Signaturen oder Zertifikate genutzt werden", "Certificate management where electronic signatures or certificates are used"),
    req!("COM-05", "SOLL?", "R", "Verifikation der Schlüssel durch Nutzer", "User-verifiable keys (fingerprint / QR)"),
    req!("COM-06", "MUSS", "C", "Metadaten nur so lange und so weit wie nötig, nur für Zwecke der nutzenden Organisation, nie für Werbung", "Metadata kept only as long and as far as needed, used only for the organisation's purposes, never for advertising"),
    req!("COM-07", "SOLL?", "R", "Push-Nachrichten ohne Inhaltsdaten", "Push notifications carry no message content"),
    req!("DEV-01", "MUSS", "C", "Nur Geräte mit Betriebssystem, das noch Sicherheitsupdates erhält, mit allen Updates", "Only devices whose OS still receives security patches, with all patches applied"),
    req!("DEV-02", "MUSS", "C", "Wirksamer Zugriffsschutz der Endgeräte (PIN/Passwort, Biometrie)", "Effective device access protection (passcode, biometrics)"),
    req!("DEV-03", "MUSS", "C", "Interner Speicher verschlüsselt, Entschlüsselung nur mit Nutzer-Zugangsdaten", "Internal storage encrypted so that decrypting needs the user's credentials"),
    req!("DEV-04", "MUSS", "C", "Endgeräte unter Verwaltung eines MDM", "End devices managed by an MDM"),
    req!("DEV-05", "SOLL?", "R", "Keine gerooteten/gejailbreakten Geräte", "No rooted / jailbroken devices"),
    req!("DEV-06", "SOLL?/ALT?", "R", "Dienstgerät bzw. Trennung dienstlich/privat", "Corporate device, or work/private separation on BYOD"),
    req!("DEV-07", "SOLL?", "R", "Fernsperre/-löschung bei Verlust", "Remote lock/wipe on loss"),
    req!("PLT-01", "MUSS", "C", "Datenschutz-Folgenabschätzung (Art. 35 DSGVO)", "Data protection impact assessment (Art. 35 GDPR)"),
    req!("PLT-02", "MUSS", "C", "Auftragsverarbeitungsvertrag (Art. 28 DSGVO)", "Processor agreement (Art. 28 GDPR)"),
    req!("PLT-03", "MUSS", "C", "Datensicherung möglich; bei Dienstleistern ohne Berufsgeheimnis nur verschlüsselt mit einem Schlüssel, den der Anbieter nie sieht", "Backups possible; at a provider not bound by professional secrecy only encrypted with a key the provider never sees"),
    req!("PLT-04", "MUSS?", "R", "Serverstandort; Drittlandübermittlung nur mit Garantien (Kap. V DSGVO)", "Server location; third-country transfer only with Chapter V safeguards"),
    req!("PLT-05", "SOLL?", "C/R", "Zentrale Nutzer-/Rollenverwaltung; Sperren durch Admin beendet Sitzungen", "Central user/role administration; blocking by an admin ends sessions"),
    req!("PLT-06", "SOLL?", "R", "Minimale Server-Speicherung, Löschung nach Zustellung", "Minimal server-side retention; delete after delivery"),
    req!("PLT-07", "SOLL?", "R", "Protokollierung administrativer Tätigkeiten", "Logging of administrative actions"),
    req!("PLT-08", "WÜNSCH?", "R", "Übernahme in die Patientendokumentation", "Export into the patient record"),
];

/// The requirement with `id`.
pub fn find(id: &str) -> Option<&'static Requirement> {
    REQUIREMENTS.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        for (i, r) in REQUIREMENTS.iter().enumerate() {
            assert!(crate::checks::def::is_requirement_id(r.id), "{}", r.id);
            assert!(
                REQUIREMENTS.iter().skip(i + 1).all(|o| o.id != r.id),
                "{}",
                r.id
            );
        }
        assert_eq!(find("APP-05").map(|r| r.level), Some("MUSS"));
    }
}
