//! Spreadsheet-safe CSV cells (OWASP's rule against CSV/formula injection).
//!
//! A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` as a
//! formula, and some also after a leading TAB or CR. App names, device names
//! and file names come from the audited files and exports, so an attacker
//! can choose them: `=HYPERLINK("http://…")` in a device name would become a
//! live formula in the auditor's spreadsheet. Every cell msgaudit writes to
//! a CSV file goes through [`neutralize`], which puts an apostrophe before
//! such a cell, as OWASP recommends. Plain numbers (`-3`, `+1.5`, `66,7`)
//! stay as they are, so they are still numbers in the spreadsheet.

use std::borrow::Cow;

/// The cell as it is safe to write: with a leading apostrophe when it would
/// start a formula, unchanged otherwise.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(cell) => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// Neutralizes every cell of a record (see [`neutralize`]).
pub fn neutralize_all<'a, I, S>(cells: I) -> Vec<Cow<'a, str>>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    cells.into_iter().map(|c| neutralize(c.as_ref())).collect()
}

/// A signed decimal number: an optional `+`/`-`, digits, and at most one
/// decimal point or comma followed by digits. Nothing else (no `e`, no
/// spaces), so no formula can pass as a number.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_an_apostrophe() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\tfoo",
            "\r=1",
            "-",
            "=",
        ] {
            assert_eq!(neutralize(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn plain_numbers_and_text_stay() {
        for cell in [
            "-3",
            "+1.5",
            "66,7",
            "-0,5",
            "42",
            "",
            "SecureChat",
            "a=b",
            "'quoted",
        ] {
            assert_eq!(neutralize(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn number_lookalikes_are_neutralized() {
        for cell in ["-1e5", "+1.2.3", "-1,", "+.5", "- 1", "-1+1"] {
            assert_eq!(neutralize(cell), format!("'{cell}"), "{cell:?}");
        }
    }
}
