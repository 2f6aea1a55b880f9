//! Inline SVG charts for the executive summary: hand-written SVG strings, no
//! external assets, no scripts. Every chart has a `<title>` (its accessible
//! name and tooltip), a visible heading, text labels on every row and the
//! numbers written out, so it reads in print and in black and white.
//!
//! Two shapes: [`stacked`] (one horizontal bar per row, split into segments
//! that add up to the row's total) and [`bars`] (one bar per row, scaled to
//! the largest).

use std::fmt::Write as _;

use super::html::esc;
use crate::lang::{count, Lang};

/// Width of the drawing (user units; the SVG scales to its container).
const WIDTH: u32 = 680;
/// Width of the label column.
const LABEL_W: u32 = 240;
/// Where the bars end (the total is written after them).
const BAR_END: u32 = 624;
/// Height of one row.
const ROW_H: u32 = 20;
/// Height of a bar.
const BAR_H: u32 = 14;
/// Height of the heading above the rows.
const HEAD_H: u32 = 24;
/// Longest row label before it is shortened (the full label stays in its tooltip).
const LABEL_CHARS: usize = 34;
/// Approximate width of one character of the 11-unit font (legend layout).
const CHAR_W: f64 = 6.4;

/// One segment kind of a stacked chart: its legend label and fill colour.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Legend label.
    pub label: String,
    /// Fill colour (`#rrggbb`).
    pub color: &'static str,
    /// Colour of a count written inside the segment.
    pub ink: &'static str,
}

/// One row of a chart: its label and one value per segment (or one value).
#[derive(Debug, Clone)]
pub struct Row {
    /// Row label (shortened when long; the full label is the tooltip).
    pub label: String,
    /// Values, one per segment.
    pub values: Vec<usize>,
}

/// A horizontal stacked bar chart: one bar per row, each filling the width
/// in proportion to its own total, segments in `segments` order with their
/// counts, the row total after the bar, and a legend below. Empty rows
/// (total 0) show an empty frame. Counts are written for `l` (with its
/// thousands separator, [`count`]).
pub fn stacked(title: &str, segments: &[Segment], rows: &[Row], l: Lang) -> String {
    let legend_h = legend_height(segments);
    let height = HEAD_H + rows.len() as u32 * ROW_H + 6 + legend_h;
    let mut out = open(title, height);
    let span = f64::from(BAR_END - LABEL_W);
    for (i, row) in rows.iter().enumerate() {
        let y = HEAD_H + i as u32 * ROW_H;
        let total: usize = row.values.iter().sum();
        row_open(&mut out, row, y);
        let _ = write!(
            out,
            "<rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{}\" height=\"{BAR_H}\" fill=\"none\" stroke=\"#d0d7de\"/>",
            BAR_END - LABEL_W
        );
        let mut x = f64::from(LABEL_W);
        for (seg, &v) in segments.iter().zip(&row.values) {
            if v == 0 || total == 0 {
                continue;
            }
            let w = span * v as f64 / total as f64;
            let shown = count(v, l);
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_H}\" fill=\"{}\"><title>{}: {shown}</title></rect>",
                seg.color,
                esc(&seg.label)
            );
            if w >= shown.chars().count() as f64 * 7.0 + 4.0 {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{shown}</text>",
                    x + w / 2.0,
                    y + 11,
                    seg.ink
                );
            }
            x += w;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text></g>",
            BAR_END + 6,
            y + 11,
            count(total, l)
        );
    }
    legend(&mut out, segments, HEAD_H + rows.len() as u32 * ROW_H + 6);
    out.push_str("</svg>");
    out
}

/// A horizontal bar chart: one bar per row (its first value), scaled to the
/// largest, the value after the bar (written for `l`, [`count`]).
pub fn bars(title: &str, color: &'static str, rows: &[Row], l: Lang) -> String {
    let height = HEAD_H + rows.len() as u32 * ROW_H + 4;
    let mut out = open(title, height);
    let max = rows
        .iter()
        .map(|r| r.values.first().copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    let span = f64::from(BAR_END - LABEL_W);
    for (i, row) in rows.iter().enumerate() {
        let y = HEAD_H + i as u32 * ROW_H;
        let v = row.values.first().copied().unwrap_or(0);
        row_open(&mut out, row, y);
        let w = if max == 0 {
            0.0
        } else {
            span * v as f64 / max as f64
        };
        let _ = write!(
            out,
            "<rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_H}\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{}\">{}</text></g>",
            f64::from(LABEL_W) + w + 6.0,
            y + 11,
            count(v, l)
        );
    }
    out.push_str("</svg>");
    out
}

fn open(title: &str, height: u32) -> String {
    let t = esc(title);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\" fill=\"#1b1f24\"><title>{t}</title><text x=\"0\" y=\"14\" font-weight=\"bold\" font-size=\"12\">{t}</text>"
    )
}

/// Opens a row's group: the full label as its tooltip, the shortened label
/// right-aligned before the bar.
fn row_open(out: &mut String, row: &Row, y: u32) {
    let label = shorten(&row.label, LABEL_CHARS);
    let _ = write!(
        out,
        "<g><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        esc(&row.label),
        LABEL_W - 6,
        y + 11,
        esc(&label)
    );
}

/// The legend: a swatch and a label per segment, wrapped to the width.
fn legend(out: &mut String, segments: &[Segment], top: u32) {
    for (seg, (x, line)) in segments.iter().zip(legend_positions(segments)) {
        let y = top + line * 16;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            seg.color,
            x + 14.0,
            y + 9,
            esc(&seg.label)
        );
    }
}

/// Where each legend entry goes: its x and line number.
fn legend_positions(segments: &[Segment]) -> Vec<(f64, u32)> {
    let mut out = Vec::with_capacity(segments.len());
    let (mut x, mut line) = (f64::from(LABEL_W), 0);
    for seg in segments {
        let w = 14.0 + seg.label.chars().count() as f64 * CHAR_W + 16.0;
        if x + w > f64::from(WIDTH) && x > f64::from(LABEL_W) {
            x = f64::from(LABEL_W);
            line += 1;
        }
        out.push((x, line));
        x += w;
    }
    out
}

fn legend_height(segments: &[Segment]) -> u32 {
    legend_positions(segments)
        .last()
        .map_or(0, |(_, line)| (line + 1) * 16)
}

/// `s` cut to `max` characters with `…`.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use quick_xml::events::Event;

    /// Parses `svg` with quick-xml to its end; returns the texts of its
    /// `<text>` and `<title>` elements. Panics when it is not well-formed.
    pub(crate) fn parse_svg(svg: &str) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let mut stack: Vec<(String, String)> = Vec::new();
        let mut texts = Vec::new();
        loop {
            match reader.read_event().expect("well-formed SVG") {
                Event::Start(e) => stack.push((
                    String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    String::new(),
                )),
                Event::End(_) => {
                    let (name, text) = stack.pop().expect("balanced");
                    if name == "text" || name == "title" {
                        texts.push(text);
                    }
                }
                Event::Text(t) => {
                    let text = t.xml10_content().expect("text decodes");
                    if let Some((_, buf)) = stack.last_mut() {
                        buf.push_str(&text);
                    }
                }
                Event::GeneralRef(r) => {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    let c = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "#39" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    if let Some((_, buf)) = stack.last_mut() {
                        buf.push_str(c);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
        texts
    }

    fn segments() -> Vec<Segment> {
        vec![
            Segment {
                label: "Erfüllt".into(),
                color: "#2da44e",
                ink: "#ffffff",
            },
            Segment {
                label: "Nicht erfüllt <&>".into(),
                color: "#cf222e",
                ink: "#ffffff",
            },
        ]
    }

    #[test]
    fn stacked_chart_is_well_formed_with_title_labels_counts_and_legend() {
        let rows = vec![
            Row {
                label: "DEV-01 Betriebssystem wird noch mit Sicherheitsupdates versorgt".into(),
                values: vec![18, 19],
            },
            Row {
                label: "A&B \"quoted\"".into(),
                values: vec![0, 0],
            },
        ];
        let svg = stacked("Geräte nach Ergebnis", &segments(), &rows, Lang::De);
        let texts = parse_svg(&svg);
        assert_eq!(texts[0], "Geräte nach Ergebnis", "the <title> comes first");
        assert!(texts.iter().any(|t| t == "18") && texts.iter().any(|t| t == "37"));
        assert!(
            texts.iter().any(|t| t.ends_with('…')),
            "long label shortened"
        );
        assert!(
            texts.iter().any(|t| t
                .starts_with("DEV-01 Betriebssystem wird noch mit Sicherheitsupdates versorgt")),
            "full label as tooltip"
        );
        assert!(texts.iter().any(|t| t == "A&B \"quoted\""));
        assert!(texts.iter().any(|t| t == "Nicht erfüllt <&>"));
        assert!(!svg.contains("<script") && !svg.contains("href"));
    }

    /// Counts from 1,000 on carry the language's thousands separator:
    /// inside the segments, in their tooltips and in the row total.
    #[test]
    fn counts_are_written_with_the_languages_separator() {
        let rows = vec![Row {
            label: "DEV-01".into(),
            values: vec![98_500, 1_500],
        }];
        let de = parse_svg(&stacked("t", &segments(), &rows, Lang::De));
        for want in ["98.500", "100.000", "Erfüllt: 98.500"] {
            assert!(de.iter().any(|t| t == want), "{want}: {de:?}");
        }
        let en = parse_svg(&stacked("t", &segments(), &rows, Lang::En));
        assert!(en.iter().any(|t| t == "100,000"), "{en:?}");
        let bars_de = parse_svg(&bars("t", "#0969da", &rows, Lang::De));
        assert!(bars_de.iter().any(|t| t == "98.500"), "{bars_de:?}");
    }

    #[test]
    fn segments_fill_the_bar_in_proportion() {
        let rows = vec![Row {
            label: "x".into(),
            values: vec![1, 3],
        }];
        let svg = stacked("t", &segments(), &rows, Lang::De);
        // 384 units of bar: 96 for 1 of 4, 288 for 3 of 4.
        assert!(svg.contains("x=\"240.0\" y=\"24\" width=\"96.0\""), "{svg}");
        assert!(
            svg.contains("x=\"336.0\" y=\"24\" width=\"288.0\""),
            "{svg}"
        );
    }

    #[test]
    fn bar_chart_scales_to_the_largest_and_writes_values() {
        let rows = vec![
            Row {
                label: "Android 14".into(),
                values: vec![4],
            },
            Row {
                label: "iOS 17".into(),
                values: vec![2],
            },
        ];
        let svg = bars("Betriebssystemversionen", "#0969da", &rows, Lang::De);
        let texts = parse_svg(&svg);
        assert_eq!(texts[0], "Betriebssystemversionen");
        assert!(svg.contains("width=\"384.0\"") && svg.contains("width=\"192.0\""));
        assert!(texts.iter().any(|t| t == "Android 14"));
        assert!(texts.iter().any(|t| t == "4"));
    }
}
