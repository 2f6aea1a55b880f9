//! What the report says about the OS support data a fleet was judged with:
//! where it came from, whether it is stale for the audit date, and the
//! Android patch-level floor the fleet itself gave. Every report format shows
//! [`OsDataStatus::notices`] once, at its top.

use serde::{Deserialize, Serialize};

use super::model::Text;

/// The command that refreshes the data (shown in the stale notice).
pub const REFRESH_COMMAND: &str = "msgaudit os-data import --ios ios.json --ipados ipados.json --android android.json --android-patch-level YYYY-MM-DD -o os-support.toml";

/// The OS support data in use for a run's devices (since schema 1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsDataStatus {
    /// `built-in` or the `--os-data` file.
    pub source: String,
    /// The date the data's facts were confirmed for (`facts_as_of`, else `as_of`).
    pub facts_as_of: String,
    /// Days after `facts_as_of` from which the data is stale, if the data says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<i64>,
    /// The data is stale for the audit date: "still supported" entries
    /// without an end date were reported as unknown.
    pub stale: bool,
    /// The newest Android security patch level the data knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_android_patch_level: Option<String>,
    /// The newest Android security patch level seen in the fleet (not after
    /// the audit date), when newer than the data's: evidence that this level
    /// was published, used as the floor of the newest known level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet_android_patch_level: Option<String>,
    /// Android device records of the fleet whose security patch level is
    /// after the audit date: such a level cannot have been installed by
    /// then, so it is no evidence of a published level and was not used as
    /// the floor (since schema 1.5; absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub android_patch_levels_after_audit_date: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl OsDataStatus {
    /// The status with `n` device records whose patch level is after the
    /// audit date ([`OsDataStatus::android_patch_levels_after_audit_date`]).
    pub fn with_after_audit_date(mut self, n: usize) -> Self {
        self.android_patch_levels_after_audit_date = n;
        self
    }

    /// The notices for the top of a report: the stale-data warning with how
    /// to refresh, and the patch-level floor. Empty when neither applies.
    pub fn notices(&self, audit_date: &str) -> Vec<Text> {
        let mut out = Vec::new();
        if self.stale {
            let days = self.stale_after_days.unwrap_or_default();
            let (src_de, src_en) = if self.source == "built-in" {
                (
                    "mitgelieferten Daten zur OS-Unterstützung".to_string(),
                    "built-in".to_string(),
                )
            } else {
                (
                    format!("verwendeten Daten zur OS-Unterstützung ({})", self.source),
                    format!("used ({})", self.source),
                )
            };
            // The command with the date placeholder in German.
            let refresh_de = REFRESH_COMMAND.replace("YYYY-MM-DD", "JJJJ-MM-TT");
            out.push(Text::new(
                format!(
                    "Die {src_de} sind veraltet: Sie wurden zuletzt am {} bestätigt, mehr als {days} Tage vor dem Prüfdatum {audit_date}. \
                     Ob eine Betriebssystem-Version noch Sicherheitsupdates erhält, bleibt deshalb offen (DEV-01). \
                     Zum Aktualisieren die Dateien ios.json, ipados.json und android.json von https://endoflife.date/api/ herunterladen, \
                     `{refresh_de}` ausführen und erneut mit `--os-data os-support.toml` prüfen.",
                    self.facts_as_of
                ),
                format!(
                    "The {src_en} OS support data is stale: it was confirmed on {}, more than {days} days before the audit date {audit_date}, \
                     so whether an OS version still gets security updates stays open (DEV-01). \
                     To refresh: download ios.json, ipados.json and android.json from https://endoflife.date/api/, \
                     run `{REFRESH_COMMAND}` and scan again with `--os-data os-support.toml`.",
                    self.facts_as_of
                ),
            ));
        }
        if let Some(fleet) = &self.fleet_android_patch_level {
            let data = self.latest_android_patch_level.as_deref();
            let (data_de, data_en) = match data {
                Some(d) => (
                    format!("nennen als neuesten Stand {d}"),
                    format!("newer than the OS support data's newest ({d})"),
                ),
                None => (
                    "nennen keinen neuesten Stand".to_string(),
                    "newer than any the OS support data names (it names none)".to_string(),
                ),
            };
            out.push(Text::new(
                format!(
                    "Ein Gerät der Flotte meldet den Android-Sicherheitspatch-Stand {fleet}; die Daten zur OS-Unterstützung {data_de}. \
                     Der Stand {fleet} ist also bereits erschienen und gilt als neuester bekannter Stand."
                ),
                format!(
                    "A device in the fleet reports the Android security patch level {fleet}, {data_en}: \
                     that level has been published, so the newest known level is at least {fleet}."
                ),
            ));
        }
        let n = self.android_patch_levels_after_audit_date;
        if n > 0 {
            // Noun, verb and the devices DEV-01 stays open for agree with `n`.
            let (geraete, melden, diese, devices, report, those) = if n == 1 {
                (
                    "Android-Gerät",
                    "meldet",
                    "dieses Gerät",
                    "Android device",
                    "reports",
                    "that device",
                )
            } else {
                (
                    "Android-Geräte",
                    "melden",
                    "diese Geräte",
                    "Android devices",
                    "report",
                    "those devices",
                )
            };
            out.push(Text::new(
                format!(
                    "{n} {geraete} der Flotte {melden} einen Sicherheitspatch-Stand nach dem Prüfdatum {audit_date}. \
                     Ein solcher Stand kann bis dahin nicht installiert worden sein (falsches Datum oder manipulierte Meldung): \
                     Er belegt keinen erschienenen Stand, wurde nicht als neuester bekannter Stand verwendet, \
                     und DEV-01 bleibt für {diese} offen."
                ),
                format!(
                    "{n} {devices} in the fleet {report} a security patch level after the audit date {audit_date}. \
                     Such a level cannot have been installed by then (a wrong date or a forged report): \
                     it is no evidence of a published level, was not used as the newest known level, \
                     and DEV-01 stays open for {those}."
                ),
            ));
        }
        out
    }
}

impl super::model::Assessment {
    /// What every report shows once at its top: the notices of the fleet's
    /// OS support data ([`OsDataStatus::notices`]); empty without a fleet.
    pub fn notices(&self) -> Vec<Text> {
        self.fleet
            .as_ref()
            .and_then(|f| f.os_data.as_ref())
            .map(|o| o.notices(&self.as_of))
            .unwrap_or_default()
    }
}
