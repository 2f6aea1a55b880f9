use super::*;
use crate::limits::DEFAULT_RECORD_SIZE;

fn collect(s: &str) -> (Vec<Value>, Result<Vec<String>, InventoryError>) {
    let mut v = Vec::new();
    let r = for_each_record(&mut s.as_bytes(), DEFAULT_RECORD_SIZE, |x| v.push(x));
    (v, r.map(|w| w.iter().map(ToString::to_string).collect()))
}

/// Records come out as serde_json's own `Value` reads them, nested
/// objects and arrays, read from a slice (a small value) and streamed (a
/// large one) — but for a key an object repeats with another value:
/// its value is the list of both, where serde_json keeps the last.
#[test]
fn records_are_the_values_serde_reads() {
    let record = r#"{"b":[1,{"z":1,"y":[true,null]}],"a":"x","b":2.5,"c":{"k":1,"k":"last","s":0,"s":0},"a":"again"}"#;
    let serde: Value = serde_json::from_str(record).unwrap();
    assert_eq!(serde["a"], "again");
    let want = serde_json::json!({
        "b": [[1, {"z": 1, "y": [true, null]}], 2.5],
        "a": ["x", "again"],
        "c": {"k": [1, "last"], "s": 0},
    });
    let small = format!(r#"{{"value":[{record}]}}"#);
    let filler = format!(r#"{{"pad":"{}"}}"#, "p".repeat(SMALL));
    let large = format!(r#"{{"value":[{filler},{record}]}}"#);
    for text in [small, large] {
        let mut got = Vec::new();
        for_each_record(&mut text.as_bytes(), u64::MAX, |v| got.push(v)).unwrap();
        assert_eq!(got.last(), Some(&want));
        let mut kept = Vec::new();
        for_each_record_keeping(&mut text.as_bytes(), u64::MAX, Some(&["a", "c"]), |v| {
            kept.push(v)
        })
        .unwrap();
        // Read as kept entries, each key once, a repeated one with both values.
        let Some(Record::Kept(entries)) = kept.last() else {
            panic!("not read as kept entries: {kept:?}");
        };
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(
            kept.pop().map(Record::into_value),
            Some(serde_json::json!({"a": ["x", "again"], "c": {"k": [1, "last"], "s": 0}}))
        );
    }
}

/// Read with a keep list, a record object's entries are the kept keys
/// once each (a key repeated with another value holding both), also
/// when two keys are kept by the same entry of the list (`a` and the
/// dotted key `a.b`, both by `a.b.c`) and when the list is longer than
/// the entries tracked in a bit set.
#[test]
fn kept_entries_are_the_keys_of_the_value_read_whole() {
    let record =
        r#"{"a":{"b":{"c":1}},"z":0,"a.b":{"c":2,"d":3},"a":{"b":{"c":4}},"y":[1],"a.b":{"c":5}}"#;
    let long: &'static [&'static str] = Box::leak(
        (0..70)
            .map(|i| &*Box::leak(format!("k{i:02}").into_boxed_str()))
            .chain(["a.b.c", "y"])
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    let whole: Value = serde_json::from_str(record).unwrap();
    for keep in [&["a.b.c", "y"][..], long] {
        for text in [
            format!(r#"{{"value":[{record}]}}"#),
            format!(
                r#"{{"value":[{{"pad":"{}"}},{record}]}}"#,
                "p".repeat(SMALL)
            ),
        ] {
            let mut got = Vec::new();
            for_each_record_keeping(&mut text.as_bytes(), u64::MAX, Some(keep), |r| got.push(r))
                .unwrap();
            let Some(Record::Kept(entries)) = got.last() else {
                panic!("not read as kept entries: {got:?}");
            };
            let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
            assert_eq!(keys, ["a", "a.b", "y"]);
            // `a.b` repeated with another value: both.
            let want = serde_json::json!({"a": {}, "a.b": [{"c": 2}, {"c": 5}], "y": whole["y"]});
            // As the record read on its own (not in an array) keeps it.
            let mut alone = Vec::new();
            for_each_record_keeping(&mut record.as_bytes(), u64::MAX, Some(keep), |r| {
                alone.push(r.into_value())
            })
            .unwrap();
            assert_eq!(alone, std::slice::from_ref(&want));
            assert_eq!(got.pop().map(Record::into_value), Some(want));
        }
    }
    // Kept inside: the inner keys `keep` names.
    let mut got = Vec::new();
    let text = format!(r#"{{"value":[{record}]}}"#);
    for_each_record_keeping(
        &mut text.as_bytes(),
        u64::MAX,
        Some(&["a.b", "a.b.c"]),
        |r| got.push(r.into_value()),
    )
    .unwrap();
    // Each repeated with another value: both.
    assert_eq!(
        got,
        [serde_json::json!({
            "a": [{"b": {"c": 1}}, {"b": {"c": 4}}],
            "a.b": [{"c": 2, "d": 3}, {"c": 5}],
        })]
    );
}

#[test]
fn shapes() {
    assert_eq!(collect(r#"{"id":"a"}"#).0.len(), 1);
    assert_eq!(
        collect(r#"{"@odata.context":"x","value":[{"id":1},{"id":2}]}"#)
            .0
            .len(),
        2
    );
    assert_eq!(collect(r#"[{"id":1},{"id":2},{"id":3}]"#).0.len(), 3);
    assert_eq!(
        collect(r#"[{"value":[{"id":1}]},{"value":[{"id":2}]}]"#)
            .0
            .len(),
        2
    );
    assert_eq!(
        collect("{\"value\":[{\"id\":1}]}\n{\"value\":[{\"id\":2}]}")
            .0
            .len(),
        2
    );
    assert_eq!(collect("{\"id\":1}\n{\"id\":2}\n").0.len(), 2);
    // An escaped quote and brackets inside strings do not confuse the splitter.
    assert_eq!(collect("{\"id\":\"a\\\"}{[\"}\n{\"id\":2}").0.len(), 2);
}

/// Records and warnings read through a reader that hands out 1–7 bytes
/// at a time, so values, strings and escapes are split across buffers.
fn collect_chunky(s: &[u8]) -> (Vec<Value>, Result<Vec<String>, InventoryError>) {
    let mut v = Vec::new();
    let r = for_each_record(
        &mut super::super::peek::Chunky::new(s),
        DEFAULT_RECORD_SIZE,
        |x| v.push(x),
    );
    (v, r.map(|w| w.iter().map(ToString::to_string).collect()))
}

/// Reads `s` both ways and checks they agree; returns the records.
fn both(s: &str) -> (Vec<Value>, Vec<String>) {
    let (a, ra) = collect(s);
    let (b, rb) = collect_chunky(s.as_bytes());
    assert_eq!(a, b, "{s}");
    let (wa, wb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(wa, wb, "{s}");
    (a, wa)
}

#[test]
fn value_splitter_strings_escapes_pages_bom() {
    // Brackets and escaped quotes inside strings, also a backslash at the
    // end of a string, do not end or open a value.
    let (v, w) = both("{\"id\":\"a\\\"}{[\",\"n\":\"x\\\\\"}\n{\"id\":\"]]]\"}");
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["id"], "a\"}{[");
    assert_eq!(v[0]["n"], "x\\");
    assert_eq!(v[1]["id"], "]]]");
    assert!(w.is_empty());
    // Concatenated pages without separators.
    let (v, _) = both(r#"{"value":[{"id":1},{"id":2}]}{"value":[{"id":3}]}"#);
    assert_eq!(v.len(), 3);
    // A top-level array of pages: records of each page, the page's other
    // keys dropped; an element with a record key that is no array is a record.
    let (v, _) = both(
        r#"[{"@odata.nextLink":"x","value":[{"id":1},{"id":2}]},{"value":[{"id":3}],"n":1},{"id":4,"value":"v"}]"#,
    );
    assert_eq!(v.len(), 4);
    assert_eq!(v[2], serde_json::json!({"id":3}));
    assert_eq!(v[3], serde_json::json!({"id":4,"value":"v"}));
    // A BOM, also split across reads, and blank lines between values.
    let (v, _) = both("\u{feff}\n\n{\"id\":1}\n\n\n{\"id\":2}\n");
    assert_eq!(v.len(), 2);
    // Values longer than the reader's buffer.
    let long = format!(
        "{{\"id\":\"{}\"}}\n{{\"id\":2}}",
        "x".repeat(3 * VALUE_BUF + 7)
    );
    let (v, _) = both(&long);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["id"].as_str().unwrap().len(), 3 * VALUE_BUF + 7);
}

#[test]
fn values_larger_than_the_slice_limit_are_streamed() {
    // A page and an array of pages, each over SMALL bytes, read through
    // the streaming path (also in tiny reads), then a broken large value
    // skipped and a small one after it read.
    let records: Vec<String> = (0..60_000)
        .map(|i| format!("{{\"id\":{i},\"s\":\"[{{\\\"x\\\"}}]\"}}"))
        .collect();
    let page = format!("{{\"@odata.type\":1,\"value\":[{}]}}", records.join(","));
    assert!(page.len() > SMALL);
    let pages = format!("[{page},{page}]");
    let broken = format!("{{\"value\":[{},]}}", records.join(","));
    let text = format!("{page}\n{pages}\n{broken}\n{{\"id\":\"last\"}}\n");
    let (v, w) = both(&text);
    // The broken page's records before its error were passed on, as before.
    assert_eq!(v.len(), 240_001);
    assert_eq!(v[59_999]["id"], 59_999);
    assert_eq!(v[0]["s"], "[{\"x\"}]");
    assert_eq!(v[240_000]["id"], "last");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("JSON value 3 "), "{w:?}");
}

/// Records and warnings of `text` read with records taken past serde and
/// with serde reading every byte, also in tiny reads: all four agree,
/// byte offsets, lines and columns of every warning included; and read
/// keeping only some keys, the same records with only those keys and
/// the same warnings.
fn stolen_as_streamed(text: &[u8], max_record: u64) -> (usize, Vec<String>) {
    let run_keeping = |steal: bool, chunky: bool, keep: Keep<'static>| {
        let mut v = Vec::new();
        let r = if chunky {
            let mut input = super::super::peek::Chunky::new(text);
            read_records(&mut input, max_record, steal, keep, |x| {
                v.push(x.into_value())
            })
        } else {
            read_records(&mut &*text, max_record, steal, keep, |x| {
                v.push(x.into_value())
            })
        };
        let r = r
            .map(|w| w.iter().map(ToString::to_string).collect::<Vec<_>>())
            .map_err(|e| e.to_string());
        (v, r)
    };
    let run = |steal: bool, chunky: bool| run_keeping(steal, chunky, None);
    let want = run(false, false);
    for (steal, chunky) in [(true, false), (true, true), (false, true)] {
        let got = run(steal, chunky);
        assert_eq!(got.0, want.0, "records, steal {steal} chunky {chunky}");
        assert_eq!(got.1, want.1, "warnings, steal {steal} chunky {chunky}");
    }
    // Whole keys, and keys of inner objects (`n` is an array: kept whole).
    let keeps: [&[&str]; 2] = [&["id", "value"], &["id", "value", "o.x", "n.x", "o.deep"]];
    for keep in keeps {
        let inner = |outer: &str, k: &str| keep.contains(&format!("{outer}.{k}").as_str());
        let projected: Vec<Value> = want
            .0
            .iter()
            .map(|r| match r {
                Value::Object(m) => Value::Object(
                    m.iter()
                        .filter_map(|(k, v)| {
                            if keep.contains(&k.as_str()) {
                                return Some((k.clone(), v.clone()));
                            }
                            if !keep.iter().any(|x| x.starts_with(&format!("{k}."))) {
                                return None;
                            }
                            let v = match v {
                                Value::Object(o) => Value::Object(
                                    o.iter()
                                        .filter(|(i, _)| inner(k, i))
                                        .map(|(i, v)| (i.clone(), v.clone()))
                                        .collect(),
                                ),
                                other => other.clone(),
                            };
                            Some((k.clone(), v))
                        })
                        .collect(),
                ),
                other => other.clone(),
            })
            .collect();
        for (steal, chunky) in [(true, false), (true, true), (false, false)] {
            let got = run_keeping(steal, chunky, Some(keep));
            assert_eq!(
                got.0, projected,
                "kept records, steal {steal} chunky {chunky}, keep {keep:?}"
            );
            assert_eq!(
                got.1, want.1,
                "kept warnings, steal {steal} chunky {chunky}, keep {keep:?}"
            );
        }
    }
    match want.1 {
        Ok(w) => (want.0.len(), w),
        Err(e) => (want.0.len(), vec![e]),
    }
}

#[test]
fn records_taken_past_serde_keep_every_error_position() {
    let records: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "{{\"id\": \"d{i}\",\n  \"name\": \"a\\\"}}]{{[\",\n  \"n\": [1, 2.5, -3e2, null, {{\"x\": {{}}}}],\n  \"o\": {{\"y\": [{{}}], \"x\": \"}}\", \"z\": 1}}}}"
            )
        })
        .collect();
    let compact = format!(
        "{{\"@odata.context\":\"c\",\"value\":[{}]}}",
        records.join(",")
    );
    let pretty = format!("{{\n \"value\": [\n  {}\n ]\n}}\n", records.join(",\n  "));
    let pages = format!(
        "[{{\"value\":[{}]}},\n{{\"value\":[{}]}}]",
        records[..20].join(","),
        records[20..].join(",\n")
    );
    let deep = format!("{}{}", "[".repeat(126), "]".repeat(126));
    let mut texts = Vec::new();
    for base in [&compact, &pretty, &pages] {
        let at = base.find("\"d25\"").unwrap();
        // The record's closing brace.
        let end = base[at..].find("1}}").unwrap() + at + 2;
        let next = base[at..].find(",\n  \"n\"").unwrap() + at;
        // Inside the inner object `o`.
        let inner = base[at..].find("\"o\": {").unwrap() + at + 6;
        let edits: Vec<(usize, usize, String)> = vec![
            (0, 0, String::new()),
            (at, at, ",".into()),
            (at, at, "\\q".into()),
            (at + 1, at + 1, "\u{1}".into()),
            (end, end, ",".into()),
            (end, end + 1, "]".into()),
            (end + 1, end + 2, "".into()),
            (end + 1, end + 2, " x".into()),
            (next, next, format!(", \"deep\": {deep}")),
            (
                next,
                next,
                format!(", \"deep\": {}", &deep[2..deep.len() - 2]),
            ),
            (next, next, ", \"f\": 1.".into()),
            (next, next, ", \"f\": 1e999".into()),
            (next, next, ", \"s\": \"\\ud800\"".into()),
            (next, next, ", \"s\": \"\u{7f}\\u00e9\"".into()),
            (next, next, format!(", \"big\": \"{}\"", "y".repeat(3000))),
            (next, next, format!(", \"big\": \"{}\",,", "y".repeat(3000))),
            (inner, inner, "\"q\": 1e999, ".into()),
            (inner, inner, "\"x\": [, ".into()),
            (inner, inner, "\"q\": \"\\ud800\", ".into()),
            (at, base.len(), String::new()),
            (at + 2, base.len(), String::new()),
            (base.len() - 2, base.len(), " 7".into()),
        ];
        for (from, to, with) in edits {
            let mut t = base.clone();
            t.replace_range(from..to, &with);
            texts.push(t);
        }
    }
    let mut seen_errors = 0;
    for t in &texts {
        // Record caps around a record's size, and one far above it.
        for max in [200, 230, 260, 3100, 1 << 20] {
            let (n, w) = stolen_as_streamed(t.as_bytes(), max);
            seen_errors += usize::from(!w.is_empty());
            assert!(n <= 40 || t.contains("deep"), "{n}");
        }
        // Two values: the second, broken one, after a valid one.
        let two = format!("{}\n{t}", texts[0]);
        stolen_as_streamed(two.as_bytes(), 230);
    }
    assert!(seen_errors > texts.len(), "{seen_errors}");
}

#[test]
fn bytes_that_are_no_utf8_are_reported_where_serde_reports_them() {
    // Text checked as UTF-8 in one pass is parsed as text: a record with
    // a byte that is no UTF-8 (in a string, a cut-off sequence, outside a
    // string) is reported at the place serde finds it reading every byte.
    let records: Vec<Vec<u8>> = (0..40)
        .map(|i| format!("{{\"id\": \"d{i}\",\n \"name\": \"n{i}\"}}").into_bytes())
        .collect();
    let bad: [&[u8]; 4] = [b"\"n\xff25\"", b"\"\xc3\"", b"\"\xe2\x82\"", b"\"x\" \xff"];
    for with in bad {
        let mut texts = Vec::new();
        let mut broken = records.clone();
        broken[25] = [b"{\"id\": \"d25\",\n \"name\": ".as_slice(), with, b"}"].concat();
        let page = [b"{\"value\":[".as_slice(), &broken.join(&b",\n"[..]), b"]}"].concat();
        texts.push(page);
        texts.push(broken.join(&b"\n"[..]));
        for text in &texts {
            // Streamed (records taken past serde, and serde reading every
            // byte), and parsed from a slice: the same records and warnings
            // (a streamed value's byte is where serde had read to, a
            // sliced one's where the line and column are).
            let without_byte = |(n, w): (usize, Vec<String>)| {
                let w: Vec<String> = w
                    .iter()
                    .map(|m| match (m.find(", byte "), m.find(" of the export")) {
                        (Some(a), Some(b)) if a < b => format!("{}{}", &m[..a], &m[b..]),
                        _ => m.clone(),
                    })
                    .collect();
                (n, w)
            };
            let streamed = without_byte(stolen_as_streamed(text, 200));
            let sliced = stolen_as_streamed(text, 1 << 20);
            assert_eq!(
                streamed,
                without_byte(sliced.clone()),
                "{}",
                String::from_utf8_lossy(text)
            );
            let (n, w) = sliced;
            assert_eq!(n, 39 - usize::from(text.starts_with(b"{\"value\"")) * 14);
            assert_eq!(w.len(), 1, "{w:?}");
            let cut = [b"{\"id\": \"d25\",\n \"name\": ".as_slice(), with, b"}"].concat();
            let e = serde_json::from_slice::<Value>(&cut).unwrap_err();
            let column = format!("column {}", e.column());
            assert!(w[0].contains(&column), "{w:?} {column}");
        }
    }
}

#[test]
fn broken_line_in_the_middle_of_json_lines() {
    let text = "{\"id\":1}\n{\"id\":2,,\"x\":[1]}\n{\"id\":3}\nnull\n{\"id\":5}\n";
    let (v, w) = both(text);
    assert_eq!(
        v.iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 3, 5]
    );
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].starts_with("JSON value 2 (line or page 2): JSON syntax error at line 1"),
        "{w:?}"
    );
    assert!(w[1].starts_with("JSON value 4 "), "{w:?}");
    // An unclosed value runs to the end of the input (its brackets never
    // balance): one warning, the lines after it are part of it.
    let (v, w) = both("{\"id\":1}\n{\"id\":2\n{\"id\":3}\n");
    assert_eq!(v.len(), 1);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("JSON value 2 "), "{w:?}");
    let (v, w) = both("{\"id\":1}\n{\"id\":[2");
    assert_eq!(v.len(), 1);
    assert!(w[0].contains("truncated"), "{w:?}");
}

#[test]
fn broken_line_is_skipped_with_warning() {
    let (v, r) = collect("{\"id\":1}\n{\"id\":2,,}\n{\"id\":3}\n");
    assert_eq!(v.len(), 2);
    let w = r.unwrap();
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("JSON value 2"), "{w:?}");
}

#[test]
fn unreadable_is_an_error_without_content() {
    let (_, r) = collect(r#"{"userPrincipalName": "secret@x.de", "#);
    let e = r.unwrap_err().to_string();
    assert!(e.contains("truncated") || e.contains("syntax"), "{e}");
    assert!(!e.contains("secret"));
    assert!(matches!(collect("   ").1, Err(InventoryError::Empty)));
}
