//! The pages of one paged export given as several files of one scan.
//!
//! A Workspace ONE page (`Total`, `Page`, `PageSize`), a Jamf Pro API page
//! (`totalCount`) or a Microsoft Graph page (`@odata.count`) says how many
//! records the export has in all; a file that holds fewer gets a warning
//! that the fleet may have more devices ([`Note::PageTotal`]). A Graph or
//! Android Management API page that links to a further page
//! (`@odata.nextLink`, `nextPageToken`) at the end of its file gets one too
//! ([`Note::FurtherPage`]). When the other pages are other files of the
//! same scan, those warnings are not true of the fleet the scan assessed.
//!
//! What shows pages whole is a total: the files of one format that give the
//! same total, each a different page of one size, and that together hold
//! exactly that many records, are the whole export; when they are linked
//! pages, exactly one of them must also be a last page (one that links to
//! none). Their warnings give way to [`Note::PagesReadTogether`]. Anything
//! short of that (a page missing, one given twice, pages of other sizes)
//! keeps every warning.
//!
//! Links alone never show pages whole: a Graph `@odata.nextLink` (its
//! `$skiptoken`) or an Android `nextPageToken` names the request for the
//! next page, and no page says which request it answers, so a page left out
//! between two others cannot be told from the files. Linked pages of one
//! format given as several files without a total keep a warning, worded
//! for the files of the scan ([`Note::PagesNotShownWhole`]): that a page is
//! missing for sure when none of them is a last page, else that the files
//! cannot show none is, and how to give pages that can.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use crate::extract::inventory::note::PageTotals;
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

/// The key with which a file's last page links to a further page, if it does.
fn link_of(notes: &[Note]) -> Option<&'static str> {
    notes.iter().find_map(|n| match *n {
        Note::FurtherPage { key } => Some(key),
        _ => None,
    })
}

/// The export's total key of a format whose pages link to each other: such
/// pages are whole only with exactly one last page among them.
const LINKED_TOTAL: &str = "@odata.count";

/// What makes pages one export's: the format, the total's key and the total.
type OneExport = (&'static str, &'static str, u64);

/// One export of a scan as [`join_pages`] sees it: its format, its file's
/// name, its notes (`None` for one that could not be read), and whether
/// the same file (path) was given to the scan before it.
pub(super) type PageFile<'a> = (Format, String, Option<&'a mut Vec<Note>>, bool);

/// The names the page notes give the exports at `paths`: a file's bare
/// name, or, where another file of the scan has the same name, the shortest
/// end of its path that tells it from each such file (`eu/page3.json` and
/// `us/page3.json`). A path given twice is one file.
pub(super) fn page_names(paths: &[&Path]) -> Vec<String> {
    let tail = |p: &Path, n: usize| -> PathBuf {
        let parts: Vec<Component<'_>> = p.components().collect();
        parts[parts.len().saturating_sub(n)..].iter().collect()
    };
    // The files of each name, so that a file is compared only with those
    // of its name (a folder of thousands of pages stays linear).
    let mut by_name: HashMap<Option<&OsStr>, Vec<&Path>> = HashMap::new();
    for path in paths {
        by_name.entry(path.file_name()).or_default().push(path);
    }
    paths
        .iter()
        .map(|path| {
            let others: Vec<&Path> = by_name
                .get(&path.file_name())
                .into_iter()
                .flatten()
                .copied()
                .filter(|o| o != path)
                .collect();
            let depth = path.components().count();
            (1..=depth)
                .map(|n| tail(path, n))
                .find(|t| others.iter().all(|o| tail(o, t.components().count()) != *t))
                .unwrap_or_else(|| path.to_path_buf())
                .display()
                .to_string()
        })
        .collect()
}

/// Words the page warnings of the exports of one scan for the scan, as the
/// module says: a file given a second time has its page warnings replaced
/// by [`Note::GivenTwice`] and is left out; the warnings of files that
/// together are every page of one export are dropped, and one
/// [`Note::PagesReadTogether`] per such export is given back (informational,
/// for the scan, not for one file); those of linked pages given as several
/// files that cannot be shown whole give way to [`Note::PagesNotShownWhole`].
pub(super) fn join_pages(exports: &mut [PageFile<'_>]) -> Vec<Note> {
    let repeats: Vec<bool> = exports.iter().map(|e| e.3).collect();
    for (_, file, notes, again) in exports.iter_mut() {
        let Some(notes) = notes.as_deref_mut().filter(|_| *again) else {
            continue;
        };
        let before = notes.len();
        notes.retain(|n| !matches!(n, Note::PageTotal { .. } | Note::FurtherPage { .. }));
        if notes.len() < before {
            notes.push(Note::GivenTwice { file: file.clone() });
        }
    }
    let (mut left_out, read) = read_together(exports);
    for (left, again) in left_out.iter_mut().zip(repeats) {
        *left |= again;
    }
    not_shown_whole(exports, &left_out);
    read
}

/// Drops the page warnings of the exports that together are every page of
/// one export; gives which exports those are, and one
/// [`Note::PagesReadTogether`] per such export.
fn read_together(exports: &mut [PageFile<'_>]) -> (Vec<bool>, Vec<Note>) {
    let mut whole = vec![false; exports.len()];
    let mut read = Vec::new();
    // Per format, key and total: the exports that give it, with their pages
    // and whether each links to a further page.
    let mut sets: BTreeMap<OneExport, Vec<(usize, Paged, bool)>> = BTreeMap::new();
    for (i, (format, _, notes, _)) in exports.iter().enumerate() {
        let Some(notes) = notes.as_deref() else {
            continue;
        };
        if let Some(p) = Paged::of(notes) {
            sets.entry((format.name(), p.key, p.total))
                .or_default()
                .push((i, p, link_of(notes).is_some()));
        }
    }
    for ((_, key, total), set) in sets {
        let pages: Vec<Paged> = set.iter().map(|(_, p, _)| *p).collect();
        let linking = set.iter().filter(|(_, _, links)| *links).count();
        // Linked pages: all but one link on (the last page is among them).
        let linked = linking > 0 || key == LINKED_TOTAL;
        let one_last = !linked || linking.checked_add(1) == Some(set.len());
        if !(one_last && is_whole_export(&pages, total)) {
            continue;
        }
        let files: Vec<String> = set.iter().map(|(i, _, _)| exports[*i].1.clone()).collect();
        for (i, _, _) in &set {
            whole[*i] = true;
            if let Some(notes) = exports[*i].2.as_mut() {
                notes.retain(|n| !matches!(n, Note::PageTotal { .. } | Note::FurtherPage { .. }));
            }
        }
        read.push(Note::PagesReadTogether { key, total, files });
    }
    (whole, read)
}

/// What the totals of the files `members` say ([`PageTotals`]).
fn totals_of(exports: &[PageFile<'_>], members: &[usize]) -> PageTotals {
    let pages: Vec<(String, Option<Paged>)> = members
        .iter()
        .map(|i| {
            let (_, name, notes, _) = &exports[*i];
            (name.clone(), notes.as_deref().and_then(|n| Paged::of(n)))
        })
        .collect();
    let Some(first) = pages.iter().find_map(|(_, p)| *p) else {
        return PageTotals::None;
    };
    let without: Vec<String> = pages
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(name, _)| name.clone())
        .collect();
    if !without.is_empty() {
        return PageTotals::Lacking {
            key: first.key,
            without,
        };
    }
    let given: Vec<Paged> = pages.iter().filter_map(|(_, p)| *p).collect();
    if given
        .iter()
        .any(|p| p.total != first.total || p.key != first.key)
    {
        return PageTotals::Differ { key: first.key };
    }
    PageTotals::Same {
        key: first.key,
        total: first.total,
        held: given
            .iter()
            .fold(0u64, |sum, p| sum.saturating_add(p.records)),
    }
}

/// Rewords the further-page warnings of linked pages given as several files
/// of one format (not `left_out`: shown whole by [`read_together`], or
/// given a second time) for the scan's files; a file alone keeps its
/// warning as it is.
fn not_shown_whole(exports: &mut [PageFile<'_>], left_out: &[bool]) {
    // Per format and link key: the files that link on.
    let mut linked: BTreeMap<(&'static str, &'static str), Vec<usize>> = BTreeMap::new();
    for (i, (format, _, notes, _)) in exports.iter().enumerate() {
        if left_out[i] {
            continue;
        }
        if let Some(key) = notes.as_deref().and_then(|n| link_of(n)) {
            linked.entry((format.name(), key)).or_default().push(i);
        }
    }
    for ((format, key), linking) in linked {
        // The other files of the format, read and not left out, may be the
        // export's last page.
        let last: Vec<usize> = exports
            .iter()
            .enumerate()
            .filter(|(i, (f, _, notes, _))| {
                !left_out[*i]
                    && f.name() == format
                    && notes.as_deref().is_some_and(|n| link_of(n).is_none())
            })
            .map(|(i, _)| i)
            .collect();
        if linking.len() + last.len() < 2 {
            continue;
        }
        let mut members: Vec<usize> = linking.iter().chain(&last).copied().collect();
        members.sort_unstable();
        let name = |i: &usize| exports[*i].1.clone();
        let files: Vec<String> = members.iter().map(name).collect();
        let last_names: Vec<String> = last.iter().map(name).collect();
        let totals = totals_of(exports, &members);
        for i in members {
            let links = linking.contains(&i);
            let file = exports[i].1.clone();
            if let Some(notes) = exports[i].2.as_mut() {
                notes.retain(|n| !matches!(n, Note::FurtherPage { .. }));
                notes.push(Note::PagesNotShownWhole {
                    key,
                    file,
                    links,
                    files: files.clone(),
                    last: last_names.clone(),
                    totals: totals.clone(),
                });
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

    /// The exports' notes after [`join_pages`]: whether each still
    /// has its page-total warning.
    fn kept(mut notes: Vec<(Format, Vec<Note>)>) -> Vec<bool> {
        let mut exports: Vec<PageFile<'_>> = notes
            .iter_mut()
            .enumerate()
            .map(|(i, (f, n))| (*f, format!("p{i}.json"), Some(n), false))
            .collect();
        join_pages(&mut exports);
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

    /// A Graph page file's notes: its `@odata.count` total against its
    /// records (when `total`), and its link to a further page (when `links`).
    fn graph(total: Option<u64>, records: u64, links: bool) -> Vec<Note> {
        let mut notes = Vec::new();
        if let Some(total) = total {
            notes.push(Note::PageTotal {
                key: "@odata.count",
                total,
                records,
                page: None,
                page_size: None,
            });
        }
        if links {
            notes.push(Note::FurtherPage {
                key: "@odata.nextLink",
            });
        }
        notes
    }

    /// The notes of the exports after [`join_pages`].
    fn joined(mut notes: Vec<Vec<Note>>) -> Vec<Vec<Note>> {
        let mut exports: Vec<PageFile<'_>> = notes
            .iter_mut()
            .enumerate()
            .map(|(i, n)| (Format::IntuneGraph, format!("p{i}.json"), Some(n), false))
            .collect();
        join_pages(&mut exports);
        notes
    }

    /// The notes of the exports after [`join_pages`], and the notes it
    /// gives back for the scan.
    fn joined_with_sets(mut notes: Vec<Vec<Note>>) -> (Vec<Vec<Note>>, Vec<Note>) {
        let mut exports: Vec<PageFile<'_>> = notes
            .iter_mut()
            .enumerate()
            .map(|(i, n)| (Format::IntuneGraph, format!("p{i}.json"), Some(n), false))
            .collect();
        let sets = join_pages(&mut exports);
        (notes, sets)
    }

    #[test]
    fn graph_pages_with_their_total_and_last_page_are_read_together() {
        let (notes, sets) = joined_with_sets(vec![
            graph(Some(5), 2, true),
            graph(Some(5), 2, true),
            // The last page gives the total too, and links to none.
            graph(Some(5), 1, false),
        ]);
        // No file keeps a note; one note stands for the set.
        assert!(notes.iter().all(Vec::is_empty), "{notes:?}");
        assert_eq!(
            sets,
            [Note::PagesReadTogether {
                key: "@odata.count",
                total: 5,
                files: (0..3).map(|j| format!("p{j}.json")).collect(),
            }]
        );
    }

    #[test]
    fn totals_of_linked_pages_that_do_not_add_up_are_told() {
        let totals = |notes: Vec<Vec<Note>>| -> Vec<PageTotals> {
            joined(notes)
                .into_iter()
                .flatten()
                .filter_map(|n| match n {
                    Note::PagesNotShownWhole { totals, .. } => Some(totals),
                    _ => None,
                })
                .collect()
        };
        let short = PageTotals::Same {
            key: "@odata.count",
            total: 7,
            held: 4,
        };
        assert_eq!(
            totals(vec![graph(Some(7), 2, true), graph(Some(7), 2, false)]),
            [short.clone(), short]
        );
        let lacking = PageTotals::Lacking {
            key: "@odata.count",
            without: vec!["p1.json".to_string()],
        };
        assert_eq!(
            totals(vec![
                graph(Some(5), 2, true),
                graph(None, 2, true),
                graph(Some(5), 1, false)
            ]),
            [lacking.clone(), lacking.clone(), lacking]
        );
        let differ = PageTotals::Differ {
            key: "@odata.count",
        };
        assert_eq!(
            totals(vec![graph(Some(5), 2, true), graph(Some(6), 2, false)]),
            [differ.clone(), differ]
        );
    }

    #[test]
    fn a_file_given_twice_is_left_out_of_its_page_set() {
        let mut notes = vec![
            graph(Some(5), 2, true),
            graph(Some(5), 2, true),
            graph(Some(5), 1, false),
            graph(Some(5), 1, false),
        ];
        let mut exports: Vec<PageFile<'_>> = notes
            .iter_mut()
            .enumerate()
            .map(|(i, n)| {
                let name = format!("p{}.json", i.min(2));
                (Format::IntuneGraph, name, Some(n), i == 3)
            })
            .collect();
        let sets = join_pages(&mut exports);
        assert_eq!(sets.len(), 1, "{sets:?}");
        assert_eq!(
            notes[3],
            [Note::GivenTwice {
                file: "p2.json".to_string()
            }]
        );
        assert!(notes[..3].iter().all(Vec::is_empty), "{notes:?}");
    }

    #[test]
    fn graph_pages_that_add_up_but_lack_one_last_page_keep_their_warnings() {
        // Every page links on: the last page is not here (or the total
        // changed between the pages).
        let notes = joined(vec![graph(Some(4), 2, true), graph(Some(4), 2, true)]);
        for n in &notes {
            assert!(
                n.iter().any(|n| matches!(n, Note::PageTotal { .. })),
                "{n:?}"
            );
            assert!(
                n.iter().any(|n| matches!(
                    n,
                    Note::PagesNotShownWhole { links: true, last, .. } if last.is_empty()
                )),
                "{n:?}"
            );
        }
        // Two pages that link to none: not one export's pages.
        let notes = joined(vec![graph(Some(4), 2, false), graph(Some(4), 2, false)]);
        for n in &notes {
            assert!(
                n.iter().any(|n| matches!(n, Note::PageTotal { .. })),
                "{n:?}"
            );
        }
    }

    #[test]
    fn linked_pages_without_a_total_are_never_shown_whole() {
        let notes = joined(vec![
            graph(None, 2, true),
            graph(None, 2, true),
            graph(None, 1, false),
        ]);
        let files: Vec<String> = (0..3).map(|j| format!("p{j}.json")).collect();
        for (i, n) in notes.iter().enumerate() {
            assert_eq!(
                n,
                &[Note::PagesNotShownWhole {
                    key: "@odata.nextLink",
                    file: format!("p{i}.json"),
                    links: i < 2,
                    files: files.clone(),
                    last: vec!["p2.json".to_string()],
                    totals: PageTotals::None,
                }]
            );
        }
        // A linked page alone keeps its own warning.
        assert_eq!(
            joined(vec![graph(None, 2, true)]),
            [vec![Note::FurtherPage {
                key: "@odata.nextLink"
            }]]
        );
        // A file of one page that links to none is left as it is.
        assert_eq!(joined(vec![graph(None, 2, false)]), [Vec::<Note>::new()]);
    }

    #[test]
    fn pages_are_named_by_file_name_unless_two_files_share_it() {
        let paths = [
            "/x/eu/fleet/page3.json",
            "/x/us/fleet/page3.json",
            "/x/eu/fleet/page1.json",
            "/x/eu/fleet/page3.json",
            "fleet/page3.json",
        ];
        let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
        assert_eq!(
            page_names(&paths),
            [
                "eu/fleet/page3.json",
                "us/fleet/page3.json",
                "page1.json",
                "eu/fleet/page3.json",
                "fleet/page3.json"
            ]
        );
        let alone: Vec<&Path> = ["/a/page1.json", "/b/page2.json"]
            .iter()
            .map(Path::new)
            .collect();
        assert_eq!(page_names(&alone), ["page1.json", "page2.json"]);
    }

    #[test]
    fn the_notes_name_the_files_in_both_languages() {
        let notes = joined(vec![graph(None, 2, true), graph(None, 2, true)]);
        let n = &notes[0][0];
        assert!(
            n.english().starts_with("p0.json links with `@odata.nextLink` to a further page, but no file of this scan is the export's last page"),
            "{}",
            n.english()
        );
        assert!(
            n.german().starts_with("p0.json verweist mit `@odata.nextLink` auf eine weitere Seite, doch keine Datei dieses Prüflaufs ist die letzte Seite des Exports"),
            "{}",
            n.german()
        );
        assert!(
            n.german().contains("die 2 Seiten p0.json und p1.json"),
            "{}",
            n.german()
        );
    }
}
