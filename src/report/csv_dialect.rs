//! The CSV dialect per report language, so a spreadsheet opens the file as
//! its users expect.
//!
//! German Excel (and LibreOffice with German settings) reads `;` as the list
//! separator and `,` as the decimal mark, and takes a file as UTF-8 only when
//! it starts with a byte-order mark. So German CSVs get `;`, a UTF-8 BOM and
//! decimal commas; English CSVs stay RFC 4180 with `,` and no BOM. Every CSV
//! msgaudit writes (the report, the remediation list, `compare` and `diff`)
//! uses this dialect; cells still go through
//! [`super::csv_cell::neutralize`]. Documented in `docs/report.md` (§ CSV).

use std::io::Write;

use crate::assess::Lang;

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// The field separator in `lang`: `;` for German, `,` for English.
pub fn delimiter(lang: Lang) -> u8 {
    match lang {
        Lang::De => b';',
        Lang::En => b',',
    }
}

/// A CSV writer builder with the separator of `lang` (RFC 4180 quoting,
/// `\n` line ends).
pub fn builder(lang: Lang) -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.delimiter(delimiter(lang));
    b
}

/// What a CSV in `lang` starts with: the UTF-8 BOM for German, nothing for
/// English.
pub fn start(lang: Lang) -> &'static str {
    match lang {
        Lang::De => BOM,
        Lang::En => "",
    }
}

/// Writes [`start`] to `out`. Call once, before the header row.
pub fn write_start<W: Write>(lang: Lang, out: &mut W) -> std::io::Result<()> {
    out.write_all(start(lang).as_bytes())
}

/// A number with `decimals` decimals, with the decimal mark of `lang`
/// (`66,7` in German, `66.7` in English); empty for NaN and infinities.
pub fn number(v: f64, decimals: usize, lang: Lang) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let n = format!("{v:.decimals$}");
    match lang {
        Lang::De => n.replace('.', ","),
        Lang::En => n,
    }
}

/// One record in the dialect of `lang` as text (with its line end); cells
/// are neutralized against formula injection.
pub fn line(lang: Lang, fields: &[&str]) -> String {
    let mut w = builder(lang).from_writer(Vec::new());
    // Writing to a Vec cannot fail, and the cells are UTF-8 strings.
    let _ = w.write_record(
        super::csv_cell::neutralize_all(fields.iter().copied())
            .iter()
            .map(|c| c.as_ref()),
    );
    let _ = w.flush();
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_lines_use_semicolons_and_quote_them() {
        assert_eq!(line(Lang::De, &["a;b", "66,7", "c"]), "\"a;b\";66,7;c\n");
        assert_eq!(
            line(Lang::En, &["a;b", "66.7", "c,d"]),
            "a;b,66.7,\"c,d\"\n"
        );
    }

    #[test]
    fn numbers_take_the_decimal_mark_of_the_language() {
        assert_eq!(number(66.666, 1, Lang::De), "66,7");
        assert_eq!(number(66.666, 1, Lang::En), "66.7");
        assert_eq!(number(f64::NAN, 1, Lang::De), "");
    }

    #[test]
    fn only_german_files_start_with_a_bom() {
        let mut de = Vec::new();
        write_start(Lang::De, &mut de).unwrap();
        assert_eq!(de, b"\xEF\xBB\xBF");
        let mut en = Vec::new();
        write_start(Lang::En, &mut en).unwrap();
        assert!(en.is_empty());
    }

    #[test]
    fn neutralizing_still_applies() {
        assert_eq!(line(Lang::De, &["=1+2"]), "'=1+2\n");
    }
}
