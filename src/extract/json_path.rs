//! The key path of a place in a JSON text (`trackers.312.code_signature`,
//! `entries[2].name`; arrays counted from 1), for errors in configuration
//! files: serde_json says where (line and column) but not in which key.
//!
//! The text before the place is scanned once, keeping the open objects
//! (with the key last read in each) and arrays (with the number of their
//! element). serde_json read that text without error (it stops at the first
//! one), so its nesting is at most serde_json's own limit of 128; deeper
//! levels are not kept (past 256).

/// Deepest nesting the path follows.
const MAX_DEPTH: usize = 256;

/// Longest key kept in a path (bytes); a longer one ends in `…`.
const MAX_KEY: usize = 120;

/// An open container.
enum Open {
    /// An object, with the key of the value being read (none between a
    /// value and the next key).
    Object(Option<String>),
    /// An array, with the number of the element being read (0 before the first).
    Array(usize),
}

/// The key path of the value at `(line, column)` of `text`, as serde_json
/// counts them (from 1; the column in bytes); empty at the top level or
/// when `line` is 0 (no place).
pub fn at_line_column(text: &str, line: usize, column: usize) -> String {
    if line == 0 {
        return String::new();
    }
    let bytes = text.as_bytes();
    at_byte(
        bytes
            .get(..byte_offset(bytes, line, column))
            .unwrap_or(bytes),
    )
}

/// The byte offset of (1-based) `line` and `column` (in bytes, as
/// serde_json counts them) in `text`, clamped to its length.
pub fn byte_offset(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line {
        match text
            .get(start..)
            .and_then(|t| t.iter().position(|b| *b == b'\n'))
        {
            Some(i) => start = start.saturating_add(i).saturating_add(1),
            None => break,
        }
    }
    start
        .saturating_add(column.saturating_sub(1))
        .min(text.len())
}

/// The key path of the value being read at the end of `before`.
fn at_byte(before: &[u8]) -> String {
    let mut open: Vec<Open> = Vec::new();
    // Deeper than MAX_DEPTH: levels not kept.
    let mut beyond = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // The key being read, when the string is one.
    let mut key: Option<Vec<u8>> = None;
    // Whether the next value starts an element of the innermost array.
    let mut element_next = false;
    for &b in before {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if let (Some(k), Some(Open::Object(slot))) = (key.take(), open.last_mut()) {
                    *slot = Some(key_text(&k));
                }
                continue;
            }
            if let Some(k) = key.as_mut().filter(|k| k.len() <= MAX_KEY) {
                k.push(b);
            }
            continue;
        }
        if b.is_ascii_whitespace() || b == b':' {
            continue;
        }
        if element_next && b != b']' {
            if let Some(Open::Array(n)) = open.last_mut().filter(|_| beyond == 0) {
                *n += 1;
            }
        }
        element_next = false;
        match b {
            b'"' => {
                in_string = true;
                // A string where an object expects its key.
                let expects_key = beyond == 0 && matches!(open.last(), Some(Open::Object(None)));
                key = expects_key.then(Vec::new);
            }
            b'{' | b'[' => {
                if open.len() >= MAX_DEPTH {
                    beyond += 1;
                } else if b == b'{' {
                    open.push(Open::Object(None));
                } else {
                    open.push(Open::Array(0));
                    element_next = true;
                }
            }
            b'}' | b']' => {
                if beyond > 0 {
                    beyond -= 1;
                } else {
                    open.pop();
                }
            }
            b',' if beyond == 0 => match open.last_mut() {
                Some(Open::Object(slot)) => *slot = None,
                Some(Open::Array(_)) => element_next = true,
                None => {}
            },
            _ => {}
        }
    }
    path_of(&open)
}

/// `a.b[2].c` from the open containers.
fn path_of(open: &[Open]) -> String {
    let mut path = String::new();
    for o in open {
        match o {
            Open::Object(Some(k)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Open::Array(n) if *n > 0 => path.push_str(&format!("[{n}]")),
            // Between entries, or before the first element: no deeper place.
            _ => break,
        }
    }
    path
}

/// A key as the path shows it: as written when it is a plain name, else
/// quoted (`"a.b"`), at most [`MAX_KEY`] bytes.
fn key_text(raw: &[u8]) -> String {
    let mut k = String::from_utf8_lossy(raw).into_owned();
    if raw.len() > MAX_KEY {
        let mut end = MAX_KEY;
        while !k.is_char_boundary(end) {
            end -= 1;
        }
        k.truncate(end);
        k.push('…');
    }
    let plain = !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '@' || c == '…');
    if plain {
        k
    } else {
        format!("\"{k}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path serde_json's error for `text` points at.
    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let e = serde_json::from_str::<T>(text).unwrap_err();
        at_line_column(text, e.line(), e.column())
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Tracker {
        name: String,
        website: Option<String>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Trackers {
        trackers: std::collections::BTreeMap<String, Tracker>,
        list: Option<Vec<Vec<u32>>>,
    }

    #[test]
    fn a_wrong_type_is_placed_at_its_key() {
        let text = "{\n  \"trackers\": {\n    \"12\": {\"name\": \"A\"},\n    \"13\": {\"name\": 5}\n  }\n}";
        assert_eq!(path_of_error::<Trackers>(text), "trackers.13.name");
        let text = r#"{"trackers": {}, "list": [[1, 2], [3, "x"]]}"#;
        assert_eq!(path_of_error::<Trackers>(text), "list[2][2]");
        let text = r#"{"trackers": {"a.b": {"name": "A", "website": []}}}"#;
        assert_eq!(path_of_error::<Trackers>(text), "trackers.\"a.b\".website");
    }

    #[test]
    fn strings_with_brackets_commas_and_escapes_do_not_count() {
        let text = r#"{"trackers": {"x": {"name": "a,]}[{\"b", "website": 1}}}"#;
        assert_eq!(path_of_error::<Trackers>(text), "trackers.x.website");
    }

    #[test]
    fn a_syntax_error_is_placed_in_the_value_being_read() {
        let text = "{\"trackers\": {\"x\": {\"name\": \"A\",, }}}";
        assert_eq!(path_of_error::<Trackers>(text), "trackers.x");
        // At the top level, or without a place: no path.
        assert_eq!(path_of_error::<Trackers>("[1]"), "");
        assert_eq!(at_line_column("{\"a\": 1}", 0, 0), "");
    }

    #[test]
    fn long_keys_are_shortened_and_deep_nesting_is_bounded() {
        let long = "k".repeat(500);
        let text = format!(r#"{{"trackers": {{"{long}": {{"name": 1}}}}}}"#);
        let path = path_of_error::<Trackers>(&text);
        assert!(path.len() < 200 && path.ends_with("….name"), "{path}");
        // Each array the first element of the one around it; levels past
        // MAX_DEPTH are not followed.
        let deep = "[".repeat(MAX_DEPTH + 10);
        let path = at_byte(deep.as_bytes());
        assert_eq!(path, "[1]".repeat(MAX_DEPTH));
    }
}
