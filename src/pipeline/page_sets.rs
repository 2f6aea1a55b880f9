//! The pages of one paged export given as several files of one scan.
//!
//! A Workspace ONE page (`Total`, `Page`, `PageSize`) or a Jamf Pro API
//! page (`totalCount`) says how many records the export has in all; a file
//! that holds fewer gets a warning that the fleet may have more devices
//! ([`Note::PageTotal`]). When the other pages are other files of the same
//! scan, that warning is not true of the fleet the scan assessed: the files
//! of one format that give the same total, each a different page of one
//! size, and that together hold exactly that many records, are the whole
//! export, and their warnings are dropped. Anything short of that (a page
//! missing, one given twice, pages of other sizes) keeps every warning.

use std::collections::BTreeMap;

use crate::extract::inventory::{Format, Note};

/// One file's page total: its key and total, the records the file holds,
/// and the page's number and size where it says.
#[derive(Debug, Clone, Copy)]
struct Paged {
    key: &'static str,
    total: u64,
    records: u64,
    page: Option<u64>,
    page_size: Option<u64>,
}

impl Paged {
    fn of(notes: &[Note]) -> Option<Paged> {
        notes.iter().find_map(|n| match *n {
            Note::PageTotal {
                key,
                total,
                records,
                page,
                page_size,
            } => Some(Paged {
                key,
                total,
                records,
                page,
                page_size,
            }),
            _ => None,
        })
    }
}

/// What makes pages one export's: the format, the total's key and the total.
type OneExport = (&'static str, &'static str, u64);

/// Drops the [`Note::PageTotal`] warnings of the exports (each its format
/// and its warnings; `None` for one that could not be read) that together
/// are every page of one export, as the module says.
pub(super) fn drop_complete(exports: &mut [(Format, Option<&mut Vec<Note>>)]) {
    // Per format, key and total: the exports that give it, with their pages.
    let mut sets: BTreeMap<OneExport, Vec<(usize, Paged)>> = BTreeMap::new();
    for (i, (format, notes)) in exports.iter().enumerate() {
        if let Some(p) = notes.as_deref().and_then(|n| Paged::of(n)) {
            sets.entry((format.name(), p.key, p.total))
                .or_default()
                .push((i, p));
        }
    }
    for ((_, _, total), set) in sets {
        let pages: Vec<Paged> = set.iter().map(|(_, p)| *p).collect();
        if is_whole_export(&pages, total) {
            for (i, _) in set {
                if let Some(notes) = exports[i].1.as_mut() {
                    notes.retain(|n| !matches!(n, Note::PageTotal { .. }));
                }
            }
        }
    }
}

/// Whether `pages` (two or more files giving `total`) are every page of one
/// export: their records add up to the total, no page number is given
/// twice and either every file or none gives one, and every file that gives
/// a page size gives the same.
fn is_whole_export(pages: &[Paged], total: u64) -> bool {
    if pages.len() < 2 {
        return false;
    }
    let records = pages
        .iter()
        .try_fold(0u64, |sum, p| sum.checked_add(p.records));
    if records != Some(total) {
        return false;
    }
    let numbers: Vec<u64> = pages.iter().filter_map(|p| p.page).collect();
    let mut distinct = numbers.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let numbered =
        numbers.is_empty() || (numbers.len() == pages.len() && distinct.len() == numbers.len());
    let mut sizes = pages.iter().filter_map(|p| p.page_size);
    let one_size = sizes.next().is_none_or(|first| sizes.all(|s| s == first));
    numbered && one_size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(total: u64, records: u64, page: Option<u64>, size: Option<u64>) -> Vec<Note> {
        vec![Note::PageTotal {
            key: "Total",
            total,
            records,
            page,
            page_size: size,
        }]
    }

    /// The exports' notes after [`drop_complete`]: whether each still
    /// has its page-total warning.
    fn kept(mut notes: Vec<(Format, Vec<Note>)>) -> Vec<bool> {
        let mut exports: Vec<(Format, Option<&mut Vec<Note>>)> =
            notes.iter_mut().map(|(f, n)| (*f, Some(n))).collect();
        drop_complete(&mut exports);
        notes
            .iter()
            .map(|(_, n)| n.iter().any(|n| matches!(n, Note::PageTotal { .. })))
            .collect()
    }

    #[test]
    fn every_page_in_the_scan_drops_the_warnings() {
        let all = vec![
            (Format::WorkspaceOne, page(5, 2, Some(0), Some(2))),
            (Format::WorkspaceOne, page(5, 2, Some(1), Some(2))),
            (Format::WorkspaceOne, page(5, 1, Some(2), Some(2))),
        ];
        assert_eq!(kept(all), [false, false, false]);
    }

    #[test]
    fn a_missing_doubled_or_foreign_page_keeps_every_warning() {
        // Page 2 missing.
        assert_eq!(
            kept(vec![
                (Format::WorkspaceOne, page(5, 2, Some(0), Some(2))),
                (Format::WorkspaceOne, page(5, 2, Some(1), Some(2))),
            ]),
            [true, true]
        );
        // Page 0 twice: the records add up, but one page is given twice.
        assert_eq!(
            kept(vec![
                (Format::WorkspaceOne, page(4, 2, Some(0), Some(2))),
                (Format::WorkspaceOne, page(4, 2, Some(0), Some(2))),
            ]),
            [true, true]
        );
        // Pages of different sizes are not one export.
        assert_eq!(
            kept(vec![
                (Format::WorkspaceOne, page(4, 2, Some(0), Some(2))),
                (Format::WorkspaceOne, page(4, 2, Some(1), Some(3))),
            ]),
            [true, true]
        );
        // One numbered page and one without a number.
        assert_eq!(
            kept(vec![
                (Format::WorkspaceOne, page(4, 2, Some(0), Some(2))),
                (Format::WorkspaceOne, page(4, 2, None, Some(2))),
            ]),
            [true, true]
        );
        // Another total is another export.
        assert_eq!(
            kept(vec![
                (Format::WorkspaceOne, page(4, 2, Some(0), Some(2))),
                (Format::WorkspaceOne, page(6, 2, Some(1), Some(2))),
            ]),
            [true, true]
        );
        // Another format is another export.
        assert_eq!(
            kept(vec![
                (Format::WorkspaceOne, page(4, 2, Some(0), Some(2))),
                (Format::Csv, page(4, 2, Some(1), Some(2))),
            ]),
            [true, true]
        );
    }

    #[test]
    fn pages_without_numbers_add_up_as_a_whole() {
        // Jamf Pro API pages say only `totalCount`.
        let jamf = |records| {
            vec![Note::PageTotal {
                key: "totalCount",
                total: 3,
                records,
                page: None,
                page_size: None,
            }]
        };
        let format = Format::JamfJson;
        assert_eq!(
            kept(vec![(format, jamf(2)), (format, jamf(1))]),
            [false, false]
        );
        // A single file short of its total keeps its warning.
        assert_eq!(kept(vec![(format, jamf(2))]), [true]);
    }
}
