//! Archive tricks: zip structures that make readers disagree about an app.
//!
//! Each [`Trick`] is a reason msgaudit refuses an archive because the file
//! shows one app to one reader and another (or nothing) to the next — the
//! installer, `aapt`, `apksigner`, an auditor. A refusal is evidence of
//! tampering, never a reason to fall back to another reading.

use crate::lang::Lang;

/// One archive trick, found while opening an archive the way Android's
/// `libziparchive` opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trick {
    /// The end record carries disk numbers although the file is one piece:
    /// Android ignores them, other readers refuse or go looking elsewhere.
    EndRecordDiskFields {
        /// Offset of the end record.
        end: u64,
    },
    /// The end record's two entry counts differ (entries "on this disk"
    /// against entries in total): Android uses the total.
    EndRecordCounts {
        /// Entries on this disk.
        on_disk: u64,
        /// Entries in total (what Android reads).
        total: u64,
    },
    /// Two central directories: the end record points at one, a second one
    /// sits right before the end record.
    TwoCentralDirectories {
        /// The directory Android reads.
        android: u64,
        /// The other directory.
        other: u64,
    },
    /// Bytes before the first entry: Android refuses the file, other
    /// readers shift every offset and read on.
    PrependedData,
    /// An end-record signature inside the archive comment: Android stops at
    /// the last signature and refuses the file, other readers skip it.
    StrayEndSignature {
        /// Offset of the stray signature (the one Android finds).
        stray: u64,
        /// Offset of the real end record.
        real: u64,
    },
    /// Two complete end records, one inside the other's comment.
    TwoEndRecords {
        /// The end record Android reads (the last one).
        android: u64,
        /// The other end record.
        other: u64,
    },
    /// The Zip64 end record says something else than the classic one.
    Zip64Mismatch {
        /// Which field differs.
        field: &'static str,
        /// The classic record's value.
        classic: u64,
        /// The Zip64 record's value.
        zip64: u64,
    },
    /// The Zip64 end record names disks or disagreeing entry counts.
    Zip64Fields,
    /// The central directory holds more records than the end record counts:
    /// Android reads the counted ones only.
    UncountedEntries {
        /// Entries the end record declares.
        declared: u64,
    },
    /// The central directory runs into the end record.
    DirectoryOverrunsEnd {
        /// Directory offset.
        offset: u64,
        /// Directory size.
        size: u64,
        /// Offset of the end record.
        end: u64,
    },
    /// Two entries with the same name (the 2013 "Master Key" pattern).
    DuplicateName(String),
    /// An entry name with a NUL byte or bytes that are not UTF-8.
    InvalidName(String),
    /// An entry's local header names another file than its central record.
    LocalNameMismatch {
        /// Name in the central directory.
        central: String,
        /// Name in the local header.
        local: String,
    },
    /// An entry's local header states other sizes or checksum than its
    /// central record (and no data descriptor follows).
    LocalHeaderMismatch(String),
    /// An entry's data descriptor states other sizes or checksum than its
    /// central record.
    LyingDataDescriptor(String),
    /// A STORED entry whose compressed and uncompressed sizes differ: readers
    /// copy a different number of bytes.
    StoredSizeMismatch(String),
    /// Two entries' local records share bytes (the overlapping-entry zip bomb,
    /// or one entry hidden inside another).
    Overlap {
        /// The entry stored first.
        first: String,
        /// The entry whose record starts inside the first one.
        second: String,
    },
    /// The `zip` crate (as other general-purpose readers) reads another
    /// central directory than Android.
    ReadersDisagree {
        /// Directory offset Android reads.
        android: u64,
        /// Directory offset the other reader takes.
        other: u64,
    },
}

impl Trick {
    /// A short stable identifier (for JSON, SARIF rule ids, tests).
    pub fn id(&self) -> &'static str {
        match self {
            Trick::EndRecordDiskFields { .. } => "end-record-disk-fields",
            Trick::EndRecordCounts { .. } => "end-record-counts",
            Trick::TwoCentralDirectories { .. } => "two-central-directories",
            Trick::PrependedData => "prepended-data",
            Trick::StrayEndSignature { .. } => "stray-end-signature",
            Trick::TwoEndRecords { .. } => "two-end-records",
            Trick::Zip64Mismatch { .. } => "zip64-mismatch",
            Trick::Zip64Fields => "zip64-fields",
            Trick::UncountedEntries { .. } => "uncounted-entries",
            Trick::DirectoryOverrunsEnd { .. } => "directory-overruns-end",
            Trick::DuplicateName(_) => "duplicate-name",
            Trick::InvalidName(_) => "invalid-name",
            Trick::LocalNameMismatch { .. } => "local-name-mismatch",
            Trick::LocalHeaderMismatch(_) => "local-header-mismatch",
            Trick::LyingDataDescriptor(_) => "lying-data-descriptor",
            Trick::StoredSizeMismatch(_) => "stored-size-mismatch",
            Trick::Overlap { .. } => "overlapping-entries",
            Trick::ReadersDisagree { .. } => "readers-disagree",
        }
    }

    /// What the trick is, in words a non-expert understands, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::De => self.german(),
        }
    }

    fn english(&self) -> String {
        match self {
            Trick::EndRecordDiskFields { end } => format!(
                "the end record at offset {end} claims the archive is split over several disks; \
                 Android ignores that, other tools read a different directory"
            ),
            Trick::EndRecordCounts { on_disk, total } => format!(
                "the end record counts {on_disk} entries on this disk but {total} in total; \
                 Android reads {total}, other tools may read {on_disk}"
            ),
            Trick::TwoCentralDirectories { android, other } => format!(
                "two central directories; Android reads the one at offset {android}, \
                 other tools the one at offset {other}"
            ),
            Trick::PrependedData => "data before the first entry; Android refuses such a file, \
                 other tools skip the data and read an app"
                .to_string(),
            Trick::StrayEndSignature { stray, real } => format!(
                "a stray end-record signature at offset {stray} inside the archive comment; \
                 Android stops there and refuses the file, other tools read the end record at {real}"
            ),
            Trick::TwoEndRecords { android, other } => format!(
                "two end records; Android reads the one at offset {android}, \
                 other tools the one at offset {other}"
            ),
            Trick::Zip64Mismatch {
                field,
                classic,
                zip64,
            } => format!(
                "the Zip64 end record gives {field} {zip64}, the classic one {classic}; \
                 Android and other tools read different directories"
            ),
            Trick::Zip64Fields => "the Zip64 end record claims several disks or two entry counts; \
                 Android ignores that, other tools read a different directory"
                .to_string(),
            Trick::UncountedEntries { declared } => format!(
                "the central directory holds more entries than the {declared} the end record counts; \
                 Android reads only the counted ones, other tools all"
            ),
            Trick::DirectoryOverrunsEnd { offset, size, end } => format!(
                "the central directory (offset {offset}, {size} bytes) runs into the end record \
                 at {end}; Android refuses to install such an APK"
            ),
            Trick::DuplicateName(name) => format!(
                "entry name {name:?} appears more than once (the \"Master Key\" trick); \
                 Android refuses such an APK, other tools read either copy"
            ),
            Trick::InvalidName(name) => format!(
                "entry name {name:?} contains a NUL byte or is not UTF-8; \
                 Android refuses such an APK, other tools read another name"
            ),
            Trick::LocalNameMismatch { central, local } => format!(
                "entry {central:?} is stored under the name {local:?} in its local header; \
                 Android refuses it, other tools read either name"
            ),
            Trick::LocalHeaderMismatch(name) => format!(
                "entry {name:?}: its local header and the central directory disagree on size or \
                 checksum; Android refuses it, other tools read different bytes"
            ),
            Trick::LyingDataDescriptor(name) => format!(
                "entry {name:?}: its data descriptor and the central directory disagree on size or \
                 checksum; Android refuses it, other tools read different bytes"
            ),
            Trick::StoredSizeMismatch(name) => format!(
                "entry {name:?} is stored uncompressed but declares two different sizes; \
                 Android and other tools read different bytes"
            ),
            Trick::Overlap { first, second } => format!(
                "entries {first:?} and {second:?} overlap in the archive (local records share \
                 bytes: an overlapping-entry zip bomb or a crafted archive)"
            ),
            Trick::ReadersDisagree { android, other } => format!(
                "two central directories; Android reads the one at offset {android}, \
                 general-purpose zip readers the one at offset {other}"
            ),
        }
    }

    fn german(&self) -> String {
        match self {
            Trick::EndRecordDiskFields { end } => format!(
                "der Endeintrag bei Offset {end} gibt vor, das Archiv sei auf mehrere Datenträger \
                 verteilt; Android übergeht das, andere Werkzeuge lesen ein anderes Verzeichnis"
            ),
            Trick::EndRecordCounts { on_disk, total } => format!(
                "der Endeintrag zählt {on_disk} Einträge auf diesem Datenträger, aber {total} \
                 insgesamt; Android liest {total}, andere Werkzeuge womöglich {on_disk}"
            ),
            Trick::TwoCentralDirectories { android, other } => format!(
                "zwei zentrale Verzeichnisse; Android liest das bei Offset {android}, \
                 andere Werkzeuge das bei Offset {other}"
            ),
            Trick::PrependedData => {
                "Daten vor dem ersten Eintrag; Android weist eine solche Datei \
                 zurück, andere Werkzeuge überspringen die Daten und lesen eine App"
                    .to_string()
            }
            Trick::StrayEndSignature { stray, real } => format!(
                "eine verirrte Endeintrags-Signatur bei Offset {stray} im Archivkommentar; \
                 Android hält dort an und weist die Datei zurück, andere Werkzeuge lesen den \
                 Endeintrag bei {real}"
            ),
            Trick::TwoEndRecords { android, other } => format!(
                "zwei Endeinträge; Android liest den bei Offset {android}, \
                 andere Werkzeuge den bei Offset {other}"
            ),
            Trick::Zip64Mismatch {
                field,
                classic,
                zip64,
            } => format!(
                "der Zip64-Endeintrag nennt für {field} {zip64}, der klassische {classic}; \
                 Android und andere Werkzeuge lesen verschiedene Verzeichnisse"
            ),
            Trick::Zip64Fields => "der Zip64-Endeintrag gibt mehrere Datenträger oder zwei \
                 verschiedene Eintragszahlen an; Android übergeht das, andere Werkzeuge lesen ein \
                 anderes Verzeichnis"
                .to_string(),
            Trick::UncountedEntries { declared } => format!(
                "das zentrale Verzeichnis enthält mehr Einträge als die {declared}, die der \
                 Endeintrag zählt; Android liest nur die gezählten, andere Werkzeuge alle"
            ),
            Trick::DirectoryOverrunsEnd { offset, size, end } => format!(
                "das zentrale Verzeichnis (Offset {offset}, {size} Bytes) reicht in den Endeintrag \
                 bei {end} hinein; Android verweigert die Installation einer solchen APK"
            ),
            Trick::DuplicateName(name) => format!(
                "der Eintragsname {name:?} kommt mehrfach vor (der „Master Key“-Trick); \
                 Android weist eine solche APK zurück, andere Werkzeuge lesen die eine oder \
                 die andere Kopie"
            ),
            Trick::InvalidName(name) => format!(
                "der Eintragsname {name:?} enthält ein NUL-Byte oder ist kein UTF-8; Android \
                 weist eine solche APK zurück, andere Werkzeuge lesen einen anderen Namen"
            ),
            Trick::LocalNameMismatch { central, local } => format!(
                "der Eintrag {central:?} steht in seinem lokalen Kopf unter dem Namen {local:?}; \
                 Android weist ihn zurück, andere Werkzeuge lesen den einen oder den anderen Namen"
            ),
            Trick::LocalHeaderMismatch(name) => format!(
                "Eintrag {name:?}: lokaler Kopf und zentrales Verzeichnis nennen verschiedene \
                 Größen oder Prüfsummen; Android weist ihn zurück, andere Werkzeuge lesen andere \
                 Bytes"
            ),
            Trick::LyingDataDescriptor(name) => format!(
                "Eintrag {name:?}: Datendeskriptor und zentrales Verzeichnis nennen verschiedene \
                 Größen oder Prüfsummen; Android weist ihn zurück, andere Werkzeuge lesen andere \
                 Bytes"
            ),
            Trick::StoredSizeMismatch(name) => format!(
                "der Eintrag {name:?} ist unkomprimiert gespeichert, nennt aber zwei verschiedene \
                 Größen; Android und andere Werkzeuge lesen verschiedene Bytes"
            ),
            Trick::Overlap { first, second } => format!(
                "die Einträge {first:?} und {second:?} überlappen sich im Archiv (ihre lokalen \
                 Datensätze teilen sich Bytes: eine Zip-Bombe mit überlappenden Einträgen oder ein \
                 manipuliertes Archiv)"
            ),
            Trick::ReadersDisagree { android, other } => format!(
                "zwei zentrale Verzeichnisse; Android liest das bei Offset {android}, \
                 gewöhnliche Zip-Leser das bei Offset {other}"
            ),
        }
    }
}

impl std::fmt::Display for Trick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}
