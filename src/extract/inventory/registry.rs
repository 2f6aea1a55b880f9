//! The registry of inventory export formats: one line per format, naming it,
//! how it is detected (a content predicate over the [`Head`] that
//! [`crate::detect::inventory`] prepares), how it is read, its sample and its
//! documentation row.
//!
//! A new format is its own file (its detection predicate and its reader) plus
//! one line in [`INVENTORY_FORMATS`]. Detection tries the formats in the table's order: the
//! first whose predicate holds wins. Intune compliance exports are a different
//! kind of input (policy states joined to device lists, no devices of their
//! own): they are told apart by [`super::intune_compliance::sniff`], not here.

use std::io::BufRead;

use super::{
    android_management, apple_mdm, generic_csv, intune, jamf, workspace_one, Collected, Ctx,
    InventoryError,
};
use crate::detect::inventory::Head;

/// An inventory export format: its name in the registry (what
/// `--inventory-format` takes and the facts' `format` holds).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Format(&'static str);

#[allow(non_upper_case_globals)]
impl Format {
    /// Microsoft Intune Graph `managedDevice` JSON (v1.0/beta; object, page, pages, JSON lines).
    pub const IntuneGraph: Format = Format::named("intune-graph");
    /// Microsoft Intune portal / report export CSV.
    pub const IntuneCsv: Format = Format::named("intune-csv");
    /// Jamf Pro Classic API mobile device XML.
    pub const JamfXml: Format = Format::named("jamf-xml");
    /// Jamf Pro Classic API JSON or Jamf Pro API JSON.
    pub const JamfJson: Format = Format::named("jamf-json");
    /// Jamf Pro advanced search CSV export.
    pub const JamfCsv: Format = Format::named("jamf-csv");
    /// Workspace ONE UEM devices search JSON.
    pub const WorkspaceOne: Format = Format::named("workspace-one");
    /// Google Android Management API `Device` JSON.
    pub const AndroidManagement: Format = Format::named("android-management");
    /// Apple MDM DeviceInformation / SecurityInfo responses (plist).
    pub const AppleMdm: Format = Format::named("apple-mdm");
    /// Generic CSV with a column mapping.
    pub const Csv: Format = Format::named("csv");

    /// A format named `name` (for a registry line).
    pub(super) const fn named(name: &'static str) -> Format {
        Format(name)
    }

    /// The name used by `--inventory-format` and in the facts.
    pub fn name(self) -> &'static str {
        self.0
    }

    /// The registered format with this name.
    pub fn from_name(name: &str) -> Option<Format> {
        let n = name.trim().to_ascii_lowercase();
        INVENTORY_FORMATS
            .iter()
            .map(|spec| spec.format)
            .find(|f| f.name() == n)
    }

    /// Every registered format, in detection order.
    pub fn all() -> impl Iterator<Item = Format> {
        INVENTORY_FORMATS.iter().map(|spec| spec.format)
    }

    /// This format's registry entry.
    pub fn spec(self) -> &'static FormatSpec {
        INVENTORY_FORMATS
            .iter()
            .find(|spec| spec.format == self)
            .expect("a Format is only made by the registry")
    }
}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Reads an export's devices into `out`.
pub type Reader =
    fn(input: &mut dyn BufRead, ctx: &Ctx, out: &mut Collected) -> Result<(), InventoryError>;

/// One inventory format: everything the pipeline, the CLI and the docs need.
#[derive(Debug)]
pub struct FormatSpec {
    /// The format (its name).
    pub format: Format,
    /// What the export is, for humans.
    pub description: &'static str,
    /// Whether an export's head is of this format (by content).
    pub detect: fn(&Head) -> bool,
    /// Reads the export.
    pub read: Reader,
    /// A sample export, relative to the repository root.
    pub sample: &'static str,
    /// The anchor of the format's section in `docs/facts-inventory.md`.
    pub docs_anchor: &'static str,
}

/// Every inventory format, in detection order (the first whose predicate
/// holds wins: vendor vocabularies before the generic CSV, and the generic
/// CSV before Intune's, which it excludes by Intune's own columns).
pub static INVENTORY_FORMATS: &[FormatSpec] = &[
    spec(
        Format::AppleMdm,
        "Apple MDM DeviceInformation / SecurityInfo responses (plist)",
        apple_mdm::detect,
        apple_mdm::read,
        "apple-mdm-responses.plist",
        "formats-and-detection",
    ),
    spec(
        Format::JamfXml,
        "Jamf Pro Classic API mobile device XML",
        jamf::detect_xml,
        jamf::read_xml,
        "jamf-mobile-devices.xml",
        "formats-and-detection",
    ),
    spec(
        Format::JamfJson,
        "Jamf Pro Classic API JSON or Jamf Pro API JSON",
        jamf::detect_json,
        jamf::read_json,
        "jamf-pro-inventory.json",
        "formats-and-detection",
    ),
    spec(
        Format::WorkspaceOne,
        "Workspace ONE UEM devices search JSON",
        workspace_one::detect,
        workspace_one::read,
        "workspace-one-devices.json",
        "formats-and-detection",
    ),
    spec(
        Format::IntuneGraph,
        "Microsoft Intune Graph managedDevice JSON",
        intune::detect_graph,
        intune::read_graph,
        "intune-graph-managedDevices.json",
        "formats-and-detection",
    ),
    spec(
        Format::AndroidManagement,
        "Google Android Management API Device JSON",
        android_management::detect,
        android_management::read,
        "android-management-devices.json",
        "formats-and-detection",
    ),
    spec(
        Format::JamfCsv,
        "Jamf Pro advanced search CSV export",
        jamf::detect_csv,
        jamf::read_csv,
        "jamf-advanced-search.csv",
        "formats-and-detection",
    ),
    spec(
        Format::Csv,
        "Generic CSV with a column mapping",
        generic_csv::detect,
        generic_csv::read,
        "generic-devices.csv",
        "generic-csv-and-the-mapping-file",
    ),
    spec(
        Format::IntuneCsv,
        "Microsoft Intune portal / report export CSV",
        intune::detect_csv,
        intune::read_csv,
        "intune-portal-export.csv",
        "formats-and-detection",
    ),
    #[cfg(test)]
    spec(
        super::registry_tests::DUMMY,
        "A test-only format that proves the registry is the one place to add a format",
        super::registry_tests::detect,
        super::registry_tests::read,
        "",
        "test-only",
    ),
];

/// One registry line.
const fn spec(
    format: Format,
    description: &'static str,
    detect: fn(&Head) -> bool,
    read: Reader,
    sample: &'static str,
    docs_anchor: &'static str,
) -> FormatSpec {
    FormatSpec {
        format,
        description,
        detect,
        read,
        sample,
        docs_anchor,
    }
}

/// The format of an export whose first bytes are `head`: the first
/// registered format whose predicate holds; `None` when none does.
pub fn detect(head: &[u8]) -> Option<Format> {
    let head = Head::new(head);
    INVENTORY_FORMATS
        .iter()
        .find(|spec| (spec.detect)(&head))
        .map(|spec| spec.format)
}
