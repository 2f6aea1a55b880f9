//! Lenient scalar parsing shared by all adapters: booleans that arrive as
//! strings, timestamps in many spellings, patch levels and version strings.
//!
//! Every function returns `None` for a value it cannot read — never a guess.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

/// Reads a boolean-like value: JSON booleans, `0`/`1`, and the words
/// `true/false`, `yes/no`, `ja/nein`, `wahr/falsch`, `y/n`, `on/off`,
/// `enabled/disabled` in any case. `Unknown`, empty and anything else → `None`.
pub fn lenient_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => bool_word(s),
        _ => None,
    }
}

/// Reads a boolean word (see [`lenient_bool`]).
pub fn bool_word(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "ja" | "j" | "wahr" | "on" | "enabled" | "aktiviert" => {
            Some(true)
        }
        "false" | "no" | "n" | "0" | "nein" | "falsch" | "off" | "disabled" | "deaktiviert" => {
            Some(false)
        }
        _ => None,
    }
}

/// Whether a timestamp is a "never" sentinel (`0001-01-01…`, `9999-12-31…`, epoch 0).
fn is_sentinel(t: &DateTime<Utc>) -> bool {
    use chrono::Datelike;
    t.year() <= 1970 || t.year() >= 9999
}

/// Reads a timestamp: RFC 3339, ISO 8601 without zone (taken as UTC), offsets
/// without a colon (`-0500`), `YYYY-MM-DD HH:MM[:SS]`, US `M/D/YYYY h:mm[:ss] AM`,
/// German `DD.MM.YYYY HH:MM[:SS]`, a bare date, or epoch milliseconds / seconds
/// (as a number or a digit string). Sentinels (`0001-01-01`, `9999-12-31`) → `None`.
pub fn lenient_timestamp(v: &Value) -> Option<DateTime<Utc>> {
    let t = match v {
        Value::Number(n) => epoch(n.as_i64()?),
        Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) {
                epoch(s.parse().ok()?)
            } else {
                timestamp_str(s)
            }
        }
        _ => None,
    }?;
    (!is_sentinel(&t)).then_some(t)
}

/// Epoch seconds or milliseconds (values above 10^11 are milliseconds).
fn epoch(n: i64) -> Option<DateTime<Utc>> {
    if n > 100_000_000_000 {
        Utc.timestamp_millis_opt(n).single()
    } else {
        Utc.timestamp_opt(n, 0).single()
    }
}

/// Parses the textual timestamp spellings listed at [`lenient_timestamp`].
fn timestamp_str(s: &str) -> Option<DateTime<Utc>> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Some(t) = utc_seconds(s) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ];
    for f in naive {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    for f in ["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        }
    }
    None
}

/// `YYYY-MM-DDTHH:MM:SSZ` (what Graph exports send), read without chrono's
/// format parser; `None` for anything else (the general path reads it).
fn utc_seconds(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 20
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || b.get(19) != Some(&b'Z')
    {
        return None;
    }
    let date = ymd(b.get(..10)?)?;
    let (h, m, sec) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    // Leap seconds (60) go the general way.
    (sec < 60)
        .then(|| date.and_hms_opt(h, m, sec))
        .flatten()
        .map(|t| t.and_utc())
}

/// `YYYY-MM-DD` (exactly ten bytes, digits and dashes) as a date.
fn ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = i32::try_from(digits(b, 0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(y, digits(b, 5, 2)?, digits(b, 8, 2)?)
}

/// The UTC calendar date of an RFC 3339 timestamp (as
/// `DateTime::parse_from_rfc3339` reads it); `None` when it is none. The
/// spelling [`rfc3339`] writes (`2026-09-02T08:00:00+00:00`) is read
/// directly, any other by chrono.
pub fn utc_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    let plain = b.len() == 25
        && b.get(10) == Some(&b'T')
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':')
        && b.ends_with(b"+00:00")
        && digits(b, 11, 2).is_some_and(|h| h < 24)
        && digits(b, 14, 2).is_some_and(|m| m < 60)
        && digits(b, 17, 2).is_some_and(|s| s < 60);
    if let Some(d) = plain.then(|| b.get(..10).and_then(ymd)).flatten() {
        return Some(d);
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc).date_naive())
}

/// The decimal number of the `len` ASCII digits at `at` in `b`.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    b.get(at..at.checked_add(len)?)?
        .iter()
        .try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
}

/// A timestamp as RFC 3339 text, exactly as [`DateTime::to_rfc3339`] spells
/// it, written directly for whole seconds in years 0–9999.
pub fn rfc3339(t: &DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let (y, mo, d) = (t.year(), t.month(), t.day());
    let (h, mi, s) = (t.hour(), t.minute(), t.second());
    if t.nanosecond() != 0 || !(0..=9999).contains(&y) {
        return t.to_rfc3339();
    }
    let mut out = String::with_capacity(25);
    put_numbers(
        &mut out,
        [
            (y.unsigned_abs(), 4, Some('-')),
            (mo, 2, Some('-')),
            (d, 2, Some('T')),
            (h, 2, Some(':')),
            (mi, 2, Some(':')),
            (s, 2, Some('+')),
        ],
    );
    out.push_str("00:00");
    out
}

/// A date as `YYYY-MM-DD`, exactly as [`NaiveDate`]'s `Display` spells it,
/// written directly in years 0–9999 (the OS support of every device names
/// dates of the data: chrono's formatter took most of its time).
pub fn iso_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    let y = date.year();
    if !(0..=9999).contains(&y) {
        return date.to_string();
    }
    let mut out = String::with_capacity(10);
    put_numbers(
        &mut out,
        [
            (y.unsigned_abs(), 4, Some('-')),
            (date.month(), 2, Some('-')),
            (date.day(), 2, None),
        ],
    );
    out
}

/// Writes each number with `width` digits (leading zeros), then its
/// separator (if any).
fn put_numbers<const N: usize>(out: &mut String, numbers: [(u32, u32, Option<char>); N]) {
    for (n, width, sep) in numbers {
        let mut div = 10u32.pow(width - 1);
        while div > 0 {
            out.push(char::from(b'0' + ((n / div) % 10) as u8));
            div /= 10;
        }
        out.extend(sep);
    }
}

/// Reads an Android security patch level: `YYYY-MM-DD`, `YYYY-MM` (meaning
/// day 01), an ISO timestamp (its date part, as Workspace ONE sends it) or
/// `February 1, 2025`.
pub fn patch_level(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Some(d) = ymd(s.as_bytes()) {
        return Some(d);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    if let Some(d) = s
        .get(..7)
        .filter(|_| s.len() == 7)
        .and_then(|ym| NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    // A timestamp: its own calendar date (not converted to UTC).
    if let Some(d) = s
        .get(..10)
        .filter(|_| s.len() > 10)
        .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%B %d, %Y") {
        return Some(d);
    }
    timestamp_str(s).map(|t| t.date_naive())
}

/// A version string split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SplitVersion {
    /// Dotted version, e.g. `17.6.1`.
    pub version: Option<String>,
    /// Build in parentheses, e.g. `20D74`.
    pub build: Option<String>,
    /// Rapid Security Response suffix, e.g. `(a)`.
    pub rsr: Option<String>,
}

/// Splits `"11.2.1 (20D74)"` into version and build and `"26.1 (a)"` into
/// version and RSR suffix. A leading `iOS `/`Android ` word is dropped.
pub fn split_version(raw: &str) -> SplitVersion {
    let mut out = SplitVersion::default();
    let mut rest = raw.trim();
    for prefix in ["iOS ", "iPadOS ", "Android ", "macOS "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim();
        }
    }
    let (head, paren) = match rest.split_once('(') {
        Some((h, p)) => (h.trim(), Some(p.trim_end_matches(')').trim())),
        None => (rest, None),
    };
    if let Some(p) = paren.filter(|p| !p.is_empty()) {
        if p.len() == 1 && p.bytes().all(|b| b.is_ascii_lowercase()) {
            out.rsr = Some(format!("({p})"));
        } else {
            out.build = Some(p.to_string());
        }
    }
    if !head.is_empty() {
        out.version = Some(head.to_string());
    }
    out
}

/// The major version: the first dotted component (`"17.6.1"` → `"17"`,
/// `"8.0.0"` → `"8"`, `"12L"` → `"12"`).
pub fn major(version: &str) -> Option<String> {
    let first = version.trim().split('.').next()?;
    let digits: String = first.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!digits.is_empty()).then_some(digits)
}

/// Compares dotted numeric versions (`"18.7.10"` > `"18.7.9"`; missing
/// components count as 0). `None` when a component is not a number.
pub fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let parse = |s: &str| -> Option<Vec<u64>> {
        s.trim()
            .split('.')
            .map(|p| p.trim().parse::<u64>().ok())
            .collect()
    };
    let (mut x, mut y) = (parse(a)?, parse(b)?);
    let n = x.len().max(y.len());
    x.resize(n, 0);
    y.resize(n, 0);
    Some(x.cmp(&y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A date is spelled as chrono spells it, in every year: directly in
    /// years 0–9999, by chrono outside them.
    #[test]
    fn iso_dates_are_chronos() {
        use chrono::Datelike;
        let mut days = vec![
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
        ];
        let mut d = NaiveDate::from_ymd_opt(1998, 1, 1).unwrap();
        while d.year() < 2031 {
            days.push(d);
            d = d.succ_opt().unwrap();
        }
        days.extend(
            (0..10_000)
                .step_by(37)
                .filter_map(|y| NaiveDate::from_ymd_opt(y, 2, 28)),
        );
        for d in days {
            assert_eq!(iso_date(d), d.to_string());
        }
    }

    /// The date read directly is chrono's, and everything else is chrono's.
    #[test]
    fn utc_dates_are_chronos() {
        for t in [
            "2026-09-02T08:00:00+00:00",
            "2026-12-31T23:59:59+00:00",
            "2024-02-29T00:00:00+00:00",
            "2023-02-29T00:00:00+00:00",
            "2026-09-02T24:00:00+00:00",
            "2026-09-02T23:60:00+00:00",
            "2026-09-02T23:59:60+00:00",
            "2026-09-02T08:00:00+02:00",
            "2026-09-01T23:30:00-01:00",
            "2026-09-02T08:00:00Z",
            "2026-09-02t08:00:00+00:00",
            "2026-09-02T08:00:00.5+00:00",
            "2026-13-02T08:00:00+00:00",
            "20x6-09-02T08:00:00+00:00",
            "2026-09-02 08:00:00+00:00",
            "",
        ] {
            let chrono = DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| t.with_timezone(&Utc).date_naive());
            assert_eq!(utc_date(t), chrono, "{t}");
        }
        let t = rfc3339(&Utc.with_ymd_and_hms(2026, 9, 2, 8, 0, 0).unwrap());
        assert_eq!(utc_date(&t), NaiveDate::from_ymd_opt(2026, 9, 2));
    }

    #[test]
    fn booleans_in_many_spellings() {
        assert_eq!(lenient_bool(&json!("False")), Some(false));
        assert_eq!(lenient_bool(&json!("True")), Some(true));
        assert_eq!(lenient_bool(&json!("Ja")), Some(true));
        assert_eq!(lenient_bool(&json!(0)), Some(false));
        assert_eq!(lenient_bool(&json!("Unknown")), None);
        assert_eq!(lenient_bool(&json!("")), None);
        assert_eq!(lenient_bool(&json!(2)), None);
    }

    #[test]
    fn timestamps_and_sentinels() {
        let ts = |v: Value| lenient_timestamp(&v).map(|t| t.to_rfc3339());
        assert_eq!(
            ts(json!("2021-03-10T00:24:15Z")).as_deref(),
            Some("2021-03-10T00:24:15+00:00")
        );
        assert_eq!(
            ts(json!("2021-06-28T04:35:20.150")).as_deref(),
            Some("2021-06-28T04:35:20.150+00:00")
        );
        assert_eq!(
            ts(json!("2017-07-07T18:37:04.555-0500")).as_deref(),
            Some("2017-07-07T23:37:04.555+00:00")
        );
        assert_eq!(
            ts(json!(1499470624555i64)).as_deref(),
            Some("2017-07-07T23:37:04.555+00:00")
        );
        assert_eq!(
            ts(json!("9/1/2026 11:00:00 AM")).as_deref(),
            Some("2026-09-01T11:00:00+00:00")
        );
        assert_eq!(
            ts(json!("01.09.2026 11:00")).as_deref(),
            Some("2026-09-01T11:00:00+00:00")
        );
        assert_eq!(ts(json!("0001-01-01T00:00:00Z")), None);
        assert_eq!(ts(json!("0001-01-01T00:00:00.000")), None);
        assert_eq!(ts(json!("9999-12-31T23:59:59Z")), None);
        assert_eq!(ts(json!("gestern")), None);
    }

    /// The direct paths read and write exactly what chrono's general ones do.
    #[test]
    fn direct_paths_agree_with_chrono() {
        for s in [
            "2026-09-02T08:00:00Z",
            "2024-02-29T23:59:59Z",
            "2023-02-29T10:00:00Z",
            "2026-09-02T24:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-9-02T08:00:00Z",
            "2026-09-02T08:00:0xZ",
            "0999-01-01T00:00:00Z",
        ] {
            let general = DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc));
            if let Some(t) = utc_seconds(s) {
                assert_eq!(Some(t), general, "{s}");
            }
            if let Some(t) = general {
                assert_eq!(timestamp_str(s), general, "{s}");
                assert_eq!(rfc3339(&t), t.to_rfc3339(), "{s}");
            }
        }
        let odd = [
            Utc.timestamp_opt(1_499_470_624, 555_000_000).unwrap(),
            Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(5, 3, 4, 1, 2, 3).unwrap(),
        ];
        for t in odd {
            assert_eq!(rfc3339(&t), t.to_rfc3339());
        }
        // What the direct path reads, chrono reads alike; the rest is left to chrono.
        for s in [
            "2026-03-05",
            "2024-02-30",
            "2026-3-05",
            "20260305",
            "2026-03-0x",
        ] {
            if let Some(d) = ymd(s.as_bytes()) {
                assert_eq!(
                    Some(d),
                    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                    "{s}"
                );
            }
        }
        assert_eq!(ymd(b"2026-03-05"), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(ymd(b"2024-02-30"), None);
        assert!(utc_seconds("2026-09-02T08:00:00Z").is_some());
    }

    #[test]
    fn patch_levels() {
        let d = |s| patch_level(s).map(|d| d.to_string());
        assert_eq!(d("2026-03-05").as_deref(), Some("2026-03-05"));
        assert_eq!(d("2026-03").as_deref(), Some("2026-03-01"));
        assert_eq!(
            d("2022-06-03T03:01:26.86+01:00").as_deref(),
            Some("2022-06-03")
        );
        assert_eq!(d("February 1, 2025").as_deref(), Some("2025-02-01"));
        assert_eq!(d(""), None);
        assert_eq!(d("2026-13-01"), None);
    }

    #[test]
    fn versions() {
        let v = split_version("11.2.1 (20D74)");
        assert_eq!(v.version.as_deref(), Some("11.2.1"));
        assert_eq!(v.build.as_deref(), Some("20D74"));
        let v = split_version("26.1 (a)");
        assert_eq!(v.rsr.as_deref(), Some("(a)"));
        assert_eq!(major("8.0.0").as_deref(), Some("8"));
        assert_eq!(major("12L").as_deref(), Some("12"));
        assert_eq!(major("x"), None);
        assert_eq!(
            compare_versions("18.7.10", "18.7.9"),
            Some(std::cmp::Ordering::Greater)
        );
        assert_eq!(
            compare_versions("18.7", "18.7.0"),
            Some(std::cmp::Ordering::Equal)
        );
        assert_eq!(compare_versions("18.x", "18"), None);
    }
}
