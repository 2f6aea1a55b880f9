//! The refusal of a `--format` a command has no view for (e.g. SARIF for
//! `msgaudit checks`): the CLI prints it and exits with the usage code 2.

use super::Format;
use crate::assess::Lang;

/// A format the command cannot write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--format {format} is not available for `msgaudit {command}` (available: {available})")]
pub struct Unsupported {
    /// The command, e.g. `checks`.
    pub command: &'static str,
    /// The refused format's `--format` value.
    pub format: String,
    /// The formats the command writes, comma-separated.
    pub available: String,
}

impl Unsupported {
    /// The refusal of `format` by `command`, which writes `available`.
    pub fn new(command: &'static str, format: Format, available: &[Format]) -> Unsupported {
        Unsupported {
            command,
            format: name(format).to_string(),
            available: available
                .iter()
                .map(|f| name(*f))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::De => format!(
                "--format {} ist für „msgaudit {}“ nicht verfügbar (möglich: {})",
                self.format, self.command, self.available
            ),
            Lang::En => self.to_string(),
        }
    }
}

/// The `--format` value of a format.
pub fn name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Json => "json",
        Format::Sarif => "sarif",
        Format::Html => "html",
        Format::Md => "md",
        Format::Csv => "csv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn names_match_the_cli_values() {
        for f in Format::value_variants() {
            let v = f.to_possible_value().expect("a value");
            assert_eq!(v.get_name(), name(*f));
        }
    }

    #[test]
    fn message_names_command_format_and_alternatives() {
        let e = Unsupported::new("checks", Format::Sarif, &[Format::Table, Format::Json]);
        assert_eq!(
            e.message(Lang::En),
            "--format sarif is not available for `msgaudit checks` (available: table, json)"
        );
        assert!(e
            .message(Lang::De)
            .contains("nicht verfügbar (möglich: table, json)"));
    }
}
