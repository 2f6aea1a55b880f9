//! Archive tricks: zip structures that make readers disagree about an app.
//!
//! Each [`Trick`] is a reason msgaudit refuses an archive because the file
//! shows one app to one reader and another (or nothing) to the next — the
//! installer, `aapt`, `apksigner`, an auditor. A refusal is evidence of
//! tampering, never a reason to fall back to another reading.
//!
//! Its text ([`Trick::message`]) says what Android does only for an Android
//! app; for an iOS app or an archive of no known kind ([`ReadAs`]) it states
//! the structure and that zip readers disagree on it.

use crate::lang::Lang;

/// What msgaudit read an archive as, which decides how a [`Trick`] is
/// worded. msgaudit opens every archive as Android's `libziparchive` does,
/// so what Android does with a trick is established; what iOS's installer
/// does is not, and an iOS app's text names no platform's behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    /// An Android app: an APK, a split set (`.apks`, `.xapk`) or an APK
    /// inside one. The text says what Android does.
    Android,
    /// An iOS app (IPA): the text states the structure and that zip readers
    /// disagree on it, so the file cannot show which app the device installs.
    Ios,
    /// An archive of no known kind: the structure and that zip readers
    /// disagree, as for an iOS app, without speaking of an app or a device.
    Unknown,
}

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

    /// What the trick is, in words a non-expert understands, in `lang`,
    /// worded for what the archive was read as ([`ReadAs`]): only for an
    /// Android app does the text say what the platform does.
    pub fn message(&self, lang: Lang, read_as: ReadAs) -> String {
        let text = match lang {
            Lang::En => self.english(read_as),
            Lang::De => self.german(read_as),
        };
        // Overlapping records name no reader, so no consequence follows.
        if read_as != ReadAs::Ios || matches!(self, Trick::Overlap { .. }) {
            return text;
        }
        match lang {
            Lang::En => format!("{text}, so the file cannot show which app the device installs"),
            Lang::De => {
                format!(
                    "{text}, die Datei kann also nicht zeigen, welche App das Gerät installiert"
                )
            }
        }
    }

    /// The English text: for an Android app what Android does with the
    /// trick; for any other archive the structure and how zip readers
    /// disagree on it, naming no platform's behaviour (what Android's zip
    /// library does is said as what msgaudit, reading as it does, does).
    fn english(&self, read_as: ReadAs) -> String {
        let for_android = read_as == ReadAs::Android;
        match self {
            Trick::EndRecordDiskFields { end } => {
                if for_android {
                    format!(
                        "the end record at offset {end} claims the archive is split over several \
                         disks; Android ignores that, other tools read a different directory"
                    )
                } else {
                    format!(
                        "the end record at offset {end} claims the archive is split over several \
                         disks; msgaudit, like Android's zip library, ignores that, other zip \
                         readers read a different directory"
                    )
                }
            }
            Trick::EndRecordCounts { on_disk, total } => {
                if for_android {
                    format!(
                        "the end record counts {} on this disk but {total} in total; Android \
                         reads {total}, other tools may read {on_disk}",
                        entries_en(*on_disk)
                    )
                } else {
                    format!(
                        "the end record counts {} on this disk but {total} in total; msgaudit, \
                         like Android's zip library, reads {total}, other zip readers may read \
                         {on_disk}",
                        entries_en(*on_disk)
                    )
                }
            }
            Trick::TwoCentralDirectories { android, other } => {
                if for_android {
                    format!(
                        "two central directories; Android reads the one at offset {android}, \
                         other tools the one at offset {other}"
                    )
                } else {
                    format!(
                        "two central directories; msgaudit, like Android's zip library, reads the \
                         one at offset {android}, other zip readers the one at offset {other}"
                    )
                }
            }
            Trick::PrependedData => {
                if for_android {
                    "data before the first entry; Android refuses such a file, other tools skip \
                     the data and read an app"
                        .to_string()
                } else {
                    "data before the first entry; msgaudit, like Android's zip library, refuses \
                     such a file, other zip readers skip the data and read on"
                        .to_string()
                }
            }
            Trick::StrayEndSignature { stray, real } => {
                if for_android {
                    format!(
                        "a stray end-record signature at offset {stray} inside the archive \
                         comment; Android stops there and refuses the file, other tools read the \
                         end record at {real}"
                    )
                } else {
                    format!(
                        "a stray end-record signature at offset {stray} inside the archive \
                         comment; msgaudit, like Android's zip library, stops there and refuses \
                         the file, other zip readers read the end record at {real}"
                    )
                }
            }
            Trick::TwoEndRecords { android, other } => {
                if for_android {
                    format!(
                        "two end records; Android reads the one at offset {android}, other tools \
                         the one at offset {other}"
                    )
                } else {
                    format!(
                        "two end records; msgaudit, like Android's zip library, reads the one at \
                         offset {android}, other zip readers the one at offset {other}"
                    )
                }
            }
            Trick::Zip64Mismatch {
                field,
                classic,
                zip64,
            } => {
                if for_android {
                    format!(
                        "the Zip64 end record gives {field} {zip64}, the classic one {classic}; \
                         Android and other tools read different directories"
                    )
                } else {
                    format!(
                        "the Zip64 end record gives {field} {zip64}, the classic one {classic}; \
                         different zip readers read different directories"
                    )
                }
            }
            Trick::Zip64Fields => {
                if for_android {
                    "the Zip64 end record claims several disks or two entry counts; Android \
                     ignores that, other tools read a different directory"
                        .to_string()
                } else {
                    "the Zip64 end record claims several disks or two entry counts; msgaudit, \
                     like Android's zip library, ignores that, other zip readers read a different \
                     directory"
                        .to_string()
                }
            }
            Trick::UncountedEntries { declared } => {
                if for_android {
                    format!(
                        "the central directory holds more entries than {} the end record \
                         counts; Android reads only the counted ones, other tools all",
                        counted_en(*declared)
                    )
                } else {
                    format!(
                        "the central directory holds more entries than {} the end record \
                         counts; msgaudit, like Android's zip library, reads only the counted \
                         ones, other zip readers all",
                        counted_en(*declared)
                    )
                }
            }
            Trick::DirectoryOverrunsEnd { offset, size, end } => {
                if for_android {
                    format!(
                        "the central directory (offset {offset}, {size} bytes) runs into the end \
                         record at {end}; Android refuses to install such an APK"
                    )
                } else {
                    format!(
                        "the central directory (offset {offset}, {size} bytes) runs into the end \
                         record at {end}; msgaudit, like Android's zip library, refuses such a \
                         file, other zip readers may read it differently"
                    )
                }
            }
            Trick::DuplicateName(name) => {
                if for_android {
                    format!(
                        "entry name {name:?} appears more than once (the \"Master Key\" trick); \
                         Android refuses such an APK, other tools read either copy"
                    )
                } else {
                    format!(
                        "entry name {name:?} appears more than once (the \"Master Key\" trick); \
                         zip readers read one copy or the other"
                    )
                }
            }
            Trick::InvalidName(name) => {
                if for_android {
                    format!(
                        "entry name {name:?} contains a NUL byte or is not UTF-8; Android refuses \
                         such an APK, other tools read another name"
                    )
                } else {
                    format!(
                        "entry name {name:?} contains a NUL byte or is not UTF-8; zip readers \
                         read different names for it"
                    )
                }
            }
            Trick::LocalNameMismatch { central, local } => {
                if for_android {
                    format!(
                        "entry {central:?} is stored under the name {local:?} in its local \
                         header; Android refuses it, other tools read either name"
                    )
                } else {
                    format!(
                        "entry {central:?} is stored under the name {local:?} in its local \
                         header; zip readers read one name or the other"
                    )
                }
            }
            Trick::LocalHeaderMismatch(name) => {
                if for_android {
                    format!(
                        "entry {name:?}: its local header and the central directory disagree on \
                         size or checksum; Android refuses it, other tools read different bytes"
                    )
                } else {
                    format!(
                        "entry {name:?}: its local header and the central directory disagree on \
                         size or checksum; zip readers read different bytes for it"
                    )
                }
            }
            Trick::LyingDataDescriptor(name) => {
                if for_android {
                    format!(
                        "entry {name:?}: its data descriptor and the central directory disagree \
                         on size or checksum; Android refuses it, other tools read different \
                         bytes"
                    )
                } else {
                    format!(
                        "entry {name:?}: its data descriptor and the central directory disagree \
                         on size or checksum; zip readers read different bytes for it"
                    )
                }
            }
            Trick::StoredSizeMismatch(name) => {
                if for_android {
                    format!(
                        "entry {name:?} is stored uncompressed but declares two different sizes; \
                         Android and other tools read different bytes"
                    )
                } else {
                    format!(
                        "entry {name:?} is stored uncompressed but declares two different sizes; \
                         zip readers read different bytes for it"
                    )
                }
            }
            Trick::Overlap { first, second } => format!(
                "entries {first:?} and {second:?} overlap in the archive (local records share \
                 bytes: an overlapping-entry zip bomb or a crafted archive)"
            ),
            Trick::ReadersDisagree { android, other } => {
                if for_android {
                    format!(
                        "two central directories; Android reads the one at offset {android}, \
                         general-purpose zip readers the one at offset {other}"
                    )
                } else {
                    format!(
                        "two central directories; msgaudit, like Android's zip library, reads the \
                         one at offset {android}, general-purpose zip readers the one at offset \
                         {other}"
                    )
                }
            }
        }
    }

    /// `Trick::english` in German.
    fn german(&self, read_as: ReadAs) -> String {
        let for_android = read_as == ReadAs::Android;
        match self {
            Trick::EndRecordDiskFields { end } => {
                if for_android {
                    format!(
                        "der Endeintrag bei Offset {end} gibt vor, das Archiv sei auf mehrere \
                         Datenträger verteilt; Android übergeht das, andere Werkzeuge lesen ein \
                         anderes Verzeichnis"
                    )
                } else {
                    format!(
                        "der Endeintrag bei Offset {end} gibt vor, das Archiv sei auf mehrere \
                         Datenträger verteilt; msgaudit liest wie Androids Zip-Bibliothek und \
                         übergeht das, andere Zip-Leser lesen ein anderes Verzeichnis"
                    )
                }
            }
            Trick::EndRecordCounts { on_disk, total } => {
                if for_android {
                    format!(
                        "der Endeintrag zählt {} auf diesem Datenträger, aber {total} \
                         insgesamt; Android liest {total}, andere Werkzeuge womöglich {on_disk}",
                        entries_de(*on_disk)
                    )
                } else {
                    format!(
                        "der Endeintrag zählt {} auf diesem Datenträger, aber {total} \
                         insgesamt; msgaudit liest wie Androids Zip-Bibliothek {}, andere \
                         Zip-Leser womöglich {on_disk}",
                        entries_de(*on_disk),
                        entries_de(*total)
                    )
                }
            }
            Trick::TwoCentralDirectories { android, other } => {
                if for_android {
                    format!(
                        "zwei zentrale Verzeichnisse; Android liest das bei Offset {android}, \
                         andere Werkzeuge das bei Offset {other}"
                    )
                } else {
                    format!(
                        "zwei zentrale Verzeichnisse; msgaudit liest wie Androids Zip-Bibliothek \
                         das bei Offset {android}, andere Zip-Leser das bei Offset {other}"
                    )
                }
            }
            Trick::PrependedData => {
                if for_android {
                    {
                        "Daten vor dem ersten Eintrag; Android weist eine solche Datei zurück, \
                         andere Werkzeuge überspringen die Daten und lesen eine App"
                            .to_string()
                    }
                } else {
                    "Daten vor dem ersten Eintrag; msgaudit liest wie Androids Zip-Bibliothek und \
                     weist eine solche Datei zurück, andere Zip-Leser überspringen die Daten und \
                     lesen weiter"
                        .to_string()
                }
            }
            Trick::StrayEndSignature { stray, real } => {
                if for_android {
                    format!(
                        "eine verirrte Endeintrags-Signatur bei Offset {stray} im \
                         Archivkommentar; Android hält dort an und weist die Datei zurück, andere \
                         Werkzeuge lesen den Endeintrag bei {real}"
                    )
                } else {
                    format!(
                        "eine verirrte Endeintrags-Signatur bei Offset {stray} im \
                         Archivkommentar; msgaudit liest wie Androids Zip-Bibliothek, hält dort \
                         an und weist die Datei zurück, andere Zip-Leser lesen den Endeintrag bei \
                         {real}"
                    )
                }
            }
            Trick::TwoEndRecords { android, other } => {
                if for_android {
                    format!(
                        "zwei Endeinträge; Android liest den bei Offset {android}, andere \
                         Werkzeuge den bei Offset {other}"
                    )
                } else {
                    format!(
                        "zwei Endeinträge; msgaudit liest wie Androids Zip-Bibliothek den bei \
                         Offset {android}, andere Zip-Leser den bei Offset {other}"
                    )
                }
            }
            Trick::Zip64Mismatch {
                field,
                classic,
                zip64,
            } => {
                if for_android {
                    format!(
                        "der Zip64-Endeintrag nennt für {field} {zip64}, der klassische \
                         {classic}; Android und andere Werkzeuge lesen verschiedene Verzeichnisse"
                    )
                } else {
                    format!(
                        "der Zip64-Endeintrag nennt für {field} {zip64}, der klassische \
                         {classic}; verschiedene Zip-Leser lesen verschiedene Verzeichnisse"
                    )
                }
            }
            Trick::Zip64Fields => {
                if for_android {
                    "der Zip64-Endeintrag gibt mehrere Datenträger oder zwei verschiedene \
                     Eintragszahlen an; Android übergeht das, andere Werkzeuge lesen ein anderes \
                     Verzeichnis"
                        .to_string()
                } else {
                    "der Zip64-Endeintrag gibt mehrere Datenträger oder zwei verschiedene \
                     Eintragszahlen an; msgaudit liest wie Androids Zip-Bibliothek und übergeht \
                     das, andere Zip-Leser lesen ein anderes Verzeichnis"
                        .to_string()
                }
            }
            Trick::UncountedEntries { declared } => {
                if for_android {
                    format!(
                        "das zentrale Verzeichnis enthält mehr Einträge als {} der \
                         Endeintrag zählt; Android liest nur die gezählten, andere Werkzeuge alle",
                        counted_de(*declared)
                    )
                } else {
                    format!(
                        "das zentrale Verzeichnis enthält mehr Einträge als {} der \
                         Endeintrag zählt; msgaudit liest wie Androids Zip-Bibliothek nur die \
                         gezählten, andere Zip-Leser alle",
                        counted_de(*declared)
                    )
                }
            }
            Trick::DirectoryOverrunsEnd { offset, size, end } => {
                if for_android {
                    format!(
                        "das zentrale Verzeichnis (Offset {offset}, {size} Bytes) reicht in den \
                         Endeintrag bei {end} hinein; Android verweigert die Installation einer \
                         solchen APK"
                    )
                } else {
                    format!(
                        "das zentrale Verzeichnis (Offset {offset}, {size} Bytes) reicht in den \
                         Endeintrag bei {end} hinein; msgaudit liest wie Androids Zip-Bibliothek \
                         und weist eine solche Datei zurück, andere Zip-Leser lesen sie womöglich \
                         anders"
                    )
                }
            }
            Trick::DuplicateName(name) => {
                if for_android {
                    format!(
                        "der Eintragsname {name:?} kommt mehrfach vor (der „Master \
                                 Key“-Trick); Android weist eine solche APK zurück, andere \
                                 Werkzeuge lesen die eine oder die andere Kopie"
                    )
                } else {
                    format!(
                        "der Eintragsname {name:?} kommt mehrfach vor (der „Master Key“-Trick); \
                         Zip-Leser lesen die eine oder die andere Kopie"
                    )
                }
            }
            Trick::InvalidName(name) => {
                if for_android {
                    format!(
                        "der Eintragsname {name:?} enthält ein NUL-Byte oder ist kein UTF-8; \
                         Android weist eine solche APK zurück, andere Werkzeuge lesen einen \
                         anderen Namen"
                    )
                } else {
                    format!(
                        "der Eintragsname {name:?} enthält ein NUL-Byte oder ist kein UTF-8; \
                         Zip-Leser lesen dafür verschiedene Namen"
                    )
                }
            }
            Trick::LocalNameMismatch { central, local } => {
                if for_android {
                    format!(
                        "der Eintrag {central:?} steht in seinem lokalen Kopf unter dem Namen \
                         {local:?}; Android weist ihn zurück, andere Werkzeuge lesen den einen \
                         oder den anderen Namen"
                    )
                } else {
                    format!(
                        "der Eintrag {central:?} steht in seinem lokalen Kopf unter dem Namen \
                         {local:?}; Zip-Leser lesen den einen oder den anderen Namen"
                    )
                }
            }
            Trick::LocalHeaderMismatch(name) => {
                if for_android {
                    format!(
                        "Eintrag {name:?}: lokaler Kopf und zentrales Verzeichnis nennen \
                         verschiedene Größen oder Prüfsummen; Android weist ihn zurück, andere \
                         Werkzeuge lesen andere Bytes"
                    )
                } else {
                    format!(
                        "Eintrag {name:?}: lokaler Kopf und zentrales Verzeichnis nennen \
                         verschiedene Größen oder Prüfsummen; Zip-Leser lesen dafür verschiedene \
                         Bytes"
                    )
                }
            }
            Trick::LyingDataDescriptor(name) => {
                if for_android {
                    format!(
                        "Eintrag {name:?}: Datendeskriptor und zentrales Verzeichnis nennen \
                         verschiedene Größen oder Prüfsummen; Android weist ihn zurück, andere \
                         Werkzeuge lesen andere Bytes"
                    )
                } else {
                    format!(
                        "Eintrag {name:?}: Datendeskriptor und zentrales Verzeichnis nennen \
                         verschiedene Größen oder Prüfsummen; Zip-Leser lesen dafür verschiedene \
                         Bytes"
                    )
                }
            }
            Trick::StoredSizeMismatch(name) => {
                if for_android {
                    format!(
                        "der Eintrag {name:?} ist unkomprimiert gespeichert, nennt aber zwei \
                         verschiedene Größen; Android und andere Werkzeuge lesen verschiedene \
                         Bytes"
                    )
                } else {
                    format!(
                        "der Eintrag {name:?} ist unkomprimiert gespeichert, nennt aber zwei \
                         verschiedene Größen; Zip-Leser lesen dafür verschiedene Bytes"
                    )
                }
            }
            Trick::Overlap { first, second } => format!(
                "die Einträge {first:?} und {second:?} überlappen sich im Archiv (ihre lokalen \
                 Datensätze teilen sich Bytes: eine Zip-Bombe mit überlappenden Einträgen oder \
                 ein manipuliertes Archiv)"
            ),
            Trick::ReadersDisagree { android, other } => {
                if for_android {
                    format!(
                        "zwei zentrale Verzeichnisse; Android liest das bei Offset {android}, \
                         gewöhnliche Zip-Leser das bei Offset {other}"
                    )
                } else {
                    format!(
                        "zwei zentrale Verzeichnisse; msgaudit liest wie Androids Zip-Bibliothek \
                         das bei Offset {android}, gewöhnliche Zip-Leser das bei Offset {other}"
                    )
                }
            }
        }
    }
}

/// The English text for an Android app ([`ReadAs::Android`]), as the
/// reading msgaudit does is Android's; [`Trick::message`] words it for
/// other archives.
impl std::fmt::Display for Trick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english(ReadAs::Android))
    }
}

/// "1 entry", "3 entries".
fn entries_en(n: u64) -> String {
    match n {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    }
}

/// „1 Eintrag“, „3 Einträge“.
fn entries_de(n: u64) -> String {
    match n {
        1 => "1 Eintrag".to_string(),
        n => format!("{n} Einträge"),
    }
}

/// The entries the end record counts, before "the end record counts": "the
/// one", "the 3".
fn counted_en(n: u64) -> String {
    match n {
        1 => "the one".to_string(),
        n => format!("the {n}"),
    }
}

/// Die Einträge, die der Endeintrag zählt, mit dem Relativpronomen davor:
/// „den einen, den“, „die 3, die“.
fn counted_de(n: u64) -> String {
    match n {
        1 => "den einen, den".to_string(),
        n => format!("die {n}, die"),
    }
}
