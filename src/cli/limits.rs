//! `--max-*` options: the resource limits of [`Limits`], settable per run.
//!
//! Every option defaults to the value of [`Limits::default`]; a user raises
//! one when a legitimate, unusually large app is refused (the error message
//! names the limit that was hit). Sizes are in MiB.

use clap::Args;

use crate::limits::Limits;

/// The help heading the limits are listed under. Each option names it: a
/// `next_help_heading` on the struct would carry over to the options a
/// command defines after the flattened limits.
pub const HEADING: &str = "Resource limits (hostile-input guards)";

/// Resource limits for reading apps and inventories (flattened into `scan` and `facts`).
#[derive(Debug, Clone, Default, Args)]
pub struct LimitArgs {
    /// Largest input file read at all, in MiB [default: 4096].
    #[arg(long, help_heading = HEADING, value_name = "MIB")]
    pub max_input_size: Option<u64>,
    /// Largest inflated size of one archive entry, in MiB [default: 512].
    #[arg(long, help_heading = HEADING, value_name = "MIB")]
    pub max_entry_size: Option<u64>,
    /// Largest inflated size summed over one archive, in MiB [default: 2048].
    #[arg(long, help_heading = HEADING, value_name = "MIB")]
    pub max_total_inflated: Option<u64>,
    /// Largest compression ratio of an entry over 1 MiB (zip-bomb guard) [default: 1000].
    #[arg(long, help_heading = HEADING, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_ratio: Option<u64>,
    /// Most entries an archive may list [default: 100000].
    #[arg(long, help_heading = HEADING, value_name = "N")]
    pub max_entries: Option<usize>,
    /// Deepest nesting of archives in archives (split sets need 1) [default: 2].
    #[arg(long, help_heading = HEADING, value_name = "N")]
    pub max_nesting: Option<u32>,
    /// Most strings in one string pool or DEX string table [default: 4000000].
    #[arg(long, help_heading = HEADING, value_name = "N")]
    pub max_strings: Option<usize>,
    /// Deepest element nesting in XML, binary XML and plist documents [default: 256].
    #[arg(long, help_heading = HEADING, value_name = "N")]
    pub max_depth: Option<usize>,
    /// Most bytes one property list may decode to, counting a shared value each
    /// time it is referenced (reference-amplification guard), in MiB [default: 64].
    /// Twice this is what the plists of all apps read at the same time may
    /// hold together, and of one app.
    #[arg(long, help_heading = HEADING, value_name = "MIB")]
    pub max_plist_decoded: Option<u64>,
    /// Largest inventory record (JSON record, CSV row or header, XML record), in MiB [default: 8].
    #[arg(long, help_heading = HEADING, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_record_size: Option<u64>,
    /// Most decoded bytes of app entries held at once by the whole scan (all
    /// targets and threads together), in MiB [default: 512].
    #[arg(long, help_heading = HEADING, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_inflight: Option<u64>,
}

/// MiB to bytes, saturating (a huge value means "no practical limit").
fn mib(v: u64) -> u64 {
    v.saturating_mul(1 << 20)
}

impl LimitArgs {
    /// The limits: [`Limits::default`] with every given option applied.
    pub fn to_limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_input_size: self.max_input_size.map_or(d.max_input_size, mib),
            max_entry_size: self.max_entry_size.map_or(d.max_entry_size, mib),
            max_total_inflated: self.max_total_inflated.map_or(d.max_total_inflated, mib),
            max_compression_ratio: self.max_ratio.unwrap_or(d.max_compression_ratio),
            max_entries: self.max_entries.unwrap_or(d.max_entries),
            max_nesting: self.max_nesting.unwrap_or(d.max_nesting),
            max_strings: self.max_strings.unwrap_or(d.max_strings),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_plist_decoded: self.max_plist_decoded.map_or(d.max_plist_decoded, mib),
            max_record_size: self.max_record_size.map_or(d.max_record_size, mib),
            max_inflight: self.max_inflight.map_or(d.max_inflight, mib),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        limits: LimitArgs,
    }

    #[test]
    fn no_option_gives_the_defaults() {
        let cli = Cli::parse_from(["x"]);
        assert_eq!(cli.limits.to_limits(), Limits::default());
    }

    #[test]
    fn the_defaults_shown_in_help_are_the_real_ones() {
        let d = Limits::default();
        assert_eq!(d.max_input_size, mib(4096));
        assert_eq!(d.max_entry_size, mib(512));
        assert_eq!(d.max_total_inflated, mib(2048));
        assert_eq!(d.max_compression_ratio, 1000);
        assert_eq!(d.max_entries, 100_000);
        assert_eq!(d.max_nesting, 2);
        assert_eq!(d.max_strings, 4_000_000);
        assert_eq!(d.max_depth, 256);
        assert_eq!(d.max_plist_decoded, mib(64));
        assert_eq!(d.max_record_size, mib(8));
    }

    #[test]
    fn options_override_one_limit_each() {
        let cli = Cli::parse_from([
            "x",
            "--max-entry-size",
            "3",
            "--max-total-inflated",
            "10",
            "--max-ratio",
            "50",
            "--max-entries",
            "7",
            "--max-depth",
            "9",
            "--max-plist-decoded",
            "2",
            "--max-record-size",
            "1",
        ]);
        let l = cli.limits.to_limits();
        assert_eq!(l.max_entry_size, 3 << 20);
        assert_eq!(l.max_total_inflated, 10 << 20);
        assert_eq!(l.max_compression_ratio, 50);
        assert_eq!(l.max_entries, 7);
        assert_eq!(l.max_depth, 9);
        assert_eq!(l.max_plist_decoded, 2 << 20);
        assert_eq!(l.max_record_size, 1 << 20);
        assert_eq!(l.max_nesting, Limits::default().max_nesting);
    }

    #[test]
    fn huge_sizes_saturate_and_zero_ratio_is_refused() {
        let cli = Cli::parse_from(["x", "--max-input-size", &u64::MAX.to_string()]);
        assert_eq!(cli.limits.to_limits().max_input_size, u64::MAX);
        assert!(Cli::try_parse_from(["x", "--max-ratio", "0"]).is_err());
    }
}
