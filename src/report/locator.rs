//! Device source locators (`intune-graph record 2`: an export format and a
//! record of it) as a report shows them. The JSON report keeps the value as
//! written (a contract); a German report says `intune-graph, Datensatz 2`.

use std::borrow::Cow;

use crate::assess::Lang;
use crate::facts::locator_de;

/// `source` as a report in `lang` shows it: in German, the record in words
/// after the format's name; anything that is not a record locator as it is.
pub fn source(source: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(source);
    }
    if let Some((format, record)) = source.split_once(' ') {
        // `record 2` after the format's name: a unit and a number.
        if record.split(' ').count() == 2 {
            if let Some(de) = locator_de(record) {
                return Cow::Owned(format!("{format}, {de}"));
            }
        }
    }
    locator_de(source).map_or(Cow::Borrowed(source), Cow::Owned)
}

/// A device's name as a report in `lang` shows it: a device the export
/// names nothing else is named by its record (`record 2`), which a German
/// report says in words (`Datensatz 2`); any other name stays as it is.
pub fn device_name(name: &str, lang: Lang) -> Cow<'_, str> {
    // Only a bare record (a unit and a number), never a name with a format.
    match (lang, name.split(' ').count()) {
        (Lang::De, 2) => locator_de(name).map_or(Cow::Borrowed(name), Cow::Owned),
        _ => Cow::Borrowed(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_reports_say_the_record_in_words() {
        assert_eq!(
            source("intune-graph record 2", Lang::De),
            "intune-graph, Datensatz 2"
        );
        assert_eq!(
            source("generic-csv line 4", Lang::De),
            "generic-csv, Zeile 4"
        );
        assert_eq!(
            source("apple-mdm response 5", Lang::De),
            "apple-mdm, Antwort 5"
        );
        assert_eq!(source("record 7", Lang::De), "Datensatz 7");
        assert_eq!(
            source("intune-graph record 2", Lang::En),
            "intune-graph record 2"
        );
        assert_eq!(source("jamf-xml #12", Lang::De), "jamf-xml #12");
    }

    #[test]
    fn a_device_named_by_its_record_is_named_in_words_in_german() {
        assert_eq!(device_name("record 2", Lang::De), "Datensatz 2");
        assert_eq!(device_name("response 5", Lang::De), "Antwort 5");
        assert_eq!(device_name("record 2", Lang::En), "record 2");
        assert_eq!(device_name("pn-39bf62169304", Lang::De), "pn-39bf62169304");
        assert_eq!(device_name("Ward record 2", Lang::De), "Ward record 2");
    }
}
