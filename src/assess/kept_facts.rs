//! The facts an app target keeps for the report ([`KeptFacts`]), and the
//! scan-wide budget that moves them to a temporary file when many
//! ([`FactsKeeper`]).
//!
//! The JSON report carries every app's facts (`targets[].facts`) so that a
//! saved report can be compared and diffed later. Held as a
//! `serde_json::Value`, one app with a large Info.plist took about three
//! times its JSON text, and a scan held the facts of all its apps at once:
//! 32 IPAs whose Info.plist decodes to 56 MiB peaked above 7 GB. Now an app's
//! facts are kept as their compact JSON text (the bytes the report writes),
//! in memory while all kept facts together stay within the keeper's budget
//! ([`FACTS_IN_MEMORY`], 64 MiB), in an anonymous temporary file beyond it.
//! Readers parse them back one target at a time ([`KeptFacts::value`]), and
//! serializing a [`KeptFacts`] writes the same JSON as the `Value` it was
//! made from, so the report's `facts` do not change. Which facts are in
//! memory and which in the file may depend on the order in which threads
//! finish; what any reader sees does not.

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::spill_file::SpillFile;

/// Bytes of kept facts (compact JSON) a scan holds in memory at most; the
/// rest goes to a temporary file (see the module documentation).
pub const FACTS_IN_MEMORY: usize = 64 << 20;

/// An app's facts as kept for the report: their compact JSON text, in
/// memory or in the keeper's temporary file. Cloning shares the text.
#[derive(Clone)]
pub struct KeptFacts(Kept);

#[derive(Clone)]
enum Kept {
    /// The compact JSON text.
    Memory(Arc<str>),
    /// `len` bytes of compact JSON text at `offset` in `file`.
    Spilled {
        file: Arc<SpillFile>,
        offset: u64,
        len: usize,
    },
}

impl KeptFacts {
    /// Keeps `facts` (in memory; a [`FactsKeeper`] may move them to its file).
    pub fn of(facts: &Value) -> KeptFacts {
        // Writing a `Value` to a `Vec` cannot fail: its map keys are strings
        // and the vector takes any number of bytes.
        let text = serde_json::to_string(facts).unwrap_or_else(|_| "null".to_string());
        KeptFacts(Kept::Memory(Arc::from(text)))
    }

    /// The facts, parsed from their text (read back from the temporary file
    /// when spilled). Each call parses anew: take it once per use.
    pub fn value(&self) -> io::Result<Value> {
        let text = self.text()?;
        serde_json::from_str(&text).map_err(io::Error::other)
    }

    /// The compact JSON text of the facts.
    pub fn text(&self) -> io::Result<Arc<str>> {
        match &self.0 {
            Kept::Memory(text) => Ok(Arc::clone(text)),
            Kept::Spilled { file, offset, len } => {
                let mut buf = vec![0u8; *len];
                file.read_exact_at(&mut buf, *offset)?;
                let text = String::from_utf8(buf).map_err(io::Error::other)?;
                Ok(Arc::from(text))
            }
        }
    }

    /// Length of the compact JSON text in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Kept::Memory(text) => text.len(),
            Kept::Spilled { len, .. } => *len,
        }
    }

    /// Whether the text is empty (never, for facts made by [`KeptFacts::of`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the facts are in the keeper's temporary file.
    pub fn is_spilled(&self) -> bool {
        matches!(self.0, Kept::Spilled { .. })
    }
}

impl fmt::Debug for KeptFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeptFacts")
            .field("bytes", &self.len())
            .field("spilled", &self.is_spilled())
            .finish()
    }
}

/// Equal when the texts are equal. Both are compact JSON written from a
/// `Value` (maps in key order), so equal texts are equal values and the
/// reverse. Facts that cannot be read back equal nothing.
impl PartialEq for KeptFacts {
    fn eq(&self, other: &Self) -> bool {
        match (self.text(), other.text()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Writes the facts as the `Value` they were kept from (the same JSON).
impl Serialize for KeptFacts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.value().map_err(|e| {
            serde::ser::Error::custom(format!("the kept facts cannot be read back: {e}"))
        })?;
        value.serialize(serializer)
    }
}

/// Reads the facts of a saved report (kept in memory, compact).
impl<'de> Deserialize<'de> for KeptFacts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|v| KeptFacts::of(&v))
    }
}

/// The scan-wide budget of kept facts in memory: facts kept beyond it are
/// appended to one anonymous temporary file (removed by the system when the
/// last [`KeptFacts`] referring to it is dropped).
pub struct FactsKeeper {
    budget: usize,
    state: Mutex<KeeperState>,
}

#[derive(Default)]
struct KeeperState {
    /// Bytes of text kept in memory so far.
    in_memory: usize,
    /// The temporary file, once something was spilled, and its length.
    file: Option<(Arc<SpillFile>, u64)>,
}

impl FactsKeeper {
    /// A keeper holding at most `budget` bytes of facts text in memory.
    pub fn new(budget: usize) -> FactsKeeper {
        FactsKeeper {
            budget,
            state: Mutex::new(KeeperState::default()),
        }
    }

    /// Keeps `facts`: in memory while the budget has room for them, else
    /// appended to the temporary file. Fails only when the file cannot be
    /// created or written.
    pub fn keep(&self, facts: KeptFacts) -> io::Result<KeptFacts> {
        let Kept::Memory(text) = &facts.0 else {
            return Ok(facts);
        };
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.in_memory.saturating_add(text.len()) <= self.budget {
            state.in_memory += text.len();
            return Ok(facts);
        }
        let mut writer = FactsWriter {
            state: &mut state,
            room: 0,
            buf: Vec::new(),
            spilled: None,
        };
        writer.append(text.as_bytes())?;
        writer.finish()
    }

    /// Keeps the facts that `write` writes as compact JSON text, without
    /// holding more of it in memory than the budget has room for: the text
    /// goes to the temporary file as soon as it outgrows the room. Other
    /// threads keeping facts wait until `write` returns. The caller vouches
    /// that `write` writes one compact JSON value (as `serde_json` writes it
    /// from a `Value`); on an error the facts are not kept.
    pub fn keep_with<E: From<io::Error>>(
        &self,
        write: impl FnOnce(&mut FactsWriter<'_>) -> Result<(), E>,
    ) -> Result<KeptFacts, E> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let room = self.budget.saturating_sub(state.in_memory);
        let mut writer = FactsWriter {
            state: &mut state,
            room,
            buf: Vec::new(),
            spilled: None,
        };
        write(&mut writer)?;
        Ok(writer.finish()?)
    }

    /// Bytes of facts text this keeper holds in memory.
    pub fn in_memory(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .in_memory
    }
}

/// Bytes a [`FactsWriter`] gathers before writing them to the temporary file.
const SPILL_CHUNK: usize = 1 << 20;

/// Where [`FactsKeeper::keep_with`] has the facts written: memory while
/// they fit the keeper's budget, then the keeper's temporary file.
pub struct FactsWriter<'a> {
    state: &'a mut KeeperState,
    /// Bytes the text may take in memory.
    room: usize,
    /// The text (in memory), or the part not yet written to the file.
    buf: Vec<u8>,
    /// Once spilled: the text's offset in the file and bytes written there.
    spilled: Option<(Arc<SpillFile>, u64, u64)>,
}

impl FactsWriter<'_> {
    /// Appends `bytes` to the text's region of the file (creating the file,
    /// and starting the region at its end, on the first call).
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.spilled.is_none() {
            if self.state.file.is_none() {
                self.state.file = Some((Arc::new(SpillFile::create()?), 0));
            }
            let Some((file, end)) = &self.state.file else {
                return Err(io::Error::other("the facts' temporary file is missing"));
            };
            self.spilled = Some((Arc::clone(file), *end, 0));
        }
        let Some((file, offset, written)) = self.spilled.as_mut() else {
            return Err(io::Error::other("the facts' temporary file is missing"));
        };
        file.write_all_at(bytes, *offset + *written)?;
        *written += bytes.len() as u64;
        if let Some((_, end)) = self.state.file.as_mut() {
            // The keeper's lock is held: no other text is appended meanwhile.
            *end = *offset + *written;
        }
        Ok(())
    }

    /// Moves what `buf` holds to the file.
    fn spill(&mut self) -> io::Result<()> {
        let buf = std::mem::take(&mut self.buf);
        self.append(&buf)
    }

    /// The kept facts: in memory (counted against the budget) or spilled.
    fn finish(mut self) -> io::Result<KeptFacts> {
        if self.spilled.is_none() {
            let text =
                String::from_utf8(std::mem::take(&mut self.buf)).map_err(io::Error::other)?;
            self.state.in_memory += text.len();
            return Ok(KeptFacts(Kept::Memory(Arc::from(text))));
        }
        self.spill()?;
        let Some((file, offset, written)) = self.spilled.take() else {
            return Err(io::Error::other("the facts' temporary file is missing"));
        };
        let len = usize::try_from(written).map_err(io::Error::other)?;
        Ok(KeptFacts(Kept::Spilled { file, offset, len }))
    }
}

/// Gathers the text in memory while it fits the room (then in chunks of
/// `SPILL_CHUNK`); a write larger than a chunk (a long string) goes to the
/// file as it is, so the text is never held twice.
impl io::Write for FactsWriter<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let limit = if self.spilled.is_some() {
            SPILL_CHUNK
        } else {
            self.room
        };
        if self.buf.len().saturating_add(data.len()) <= limit {
            self.buf.extend_from_slice(data);
            return Ok(data.len());
        }
        self.spill()?;
        if data.len() > SPILL_CHUNK {
            self.append(data)?;
        } else {
            self.buf.extend_from_slice(data);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(n: usize) -> Value {
        json!({"kind": "ios", "ios": {"info_plist": {"Big": "x".repeat(n), "B": [1, 2.5, null]}}})
    }

    #[test]
    fn facts_within_the_budget_stay_in_memory_and_the_rest_is_spilled() {
        let keeper = FactsKeeper::new(3000);
        let kept: Vec<KeptFacts> = (0..5)
            .map(|i| keeper.keep(KeptFacts::of(&facts(1000 + i))).unwrap())
            .collect();
        let spilled: Vec<bool> = kept.iter().map(KeptFacts::is_spilled).collect();
        // Each text is a little over 1,000 bytes: two fit in 3,000.
        assert_eq!(spilled, [false, false, true, true, true]);
        assert!(keeper.in_memory() <= 3000);
        assert_eq!(keeper.in_memory(), kept[0].len() + kept[1].len());
        // Spilled or not, each reads back as the value it was kept from.
        for (i, k) in kept.iter().enumerate() {
            assert_eq!(k.value().unwrap(), facts(1000 + i), "{i}");
        }
    }

    #[test]
    fn spilled_facts_serialize_as_the_value_they_were_kept_from() {
        let keeper = FactsKeeper::new(0);
        let v = facts(10);
        let kept = keeper.keep(KeptFacts::of(&v)).unwrap();
        assert!(kept.is_spilled());
        assert_eq!(
            serde_json::to_string(&kept).unwrap(),
            serde_json::to_string(&v).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&kept).unwrap(),
            serde_json::to_string_pretty(&v).unwrap()
        );
        // Equality compares the facts, wherever they are kept.
        assert_eq!(kept, KeptFacts::of(&v));
        assert_ne!(kept, KeptFacts::of(&facts(11)));
        // A saved report's facts (pretty-printed) read back equal.
        let back: KeptFacts =
            serde_json::from_str(&serde_json::to_string_pretty(&v).unwrap()).unwrap();
        assert_eq!(back, kept);
        assert!(!back.is_spilled());
    }

    #[test]
    fn written_facts_stay_in_memory_within_the_room_and_spill_beyond_it() {
        use std::io::Write;
        let keeper = FactsKeeper::new(100);
        let write = |parts: &[&str]| {
            keeper
                .keep_with(|w| parts.iter().try_for_each(|p| w.write_all(p.as_bytes())))
                .unwrap()
        };
        let small = write(&["{\"a\":", "1}"]);
        assert!(!small.is_spilled());
        assert_eq!(&*small.text().unwrap(), "{\"a\":1}");
        assert_eq!(keeper.in_memory(), 7);
        // Over the room: spilled, in small and in chunk-sized writes alike.
        let long = "x".repeat(SPILL_CHUNK + 10);
        let text = format!("{{\"b\":\"{long}\",\"c\":[1,2]}}");
        let big = write(&["{\"b\":\"", &long, "\",\"c\":", "[1,2]}"]);
        assert!(big.is_spilled());
        assert_eq!(&*big.text().unwrap(), text.as_str());
        let many: Vec<String> = (0..SPILL_CHUNK / 4)
            .map(|i| format!("{}", i % 10))
            .collect();
        let parts: Vec<&str> = many.iter().map(String::as_str).collect();
        let digits = write(&parts);
        assert_eq!(&*digits.text().unwrap(), many.concat().as_str());
        // Texts spilled one after the other do not overlap.
        assert_eq!(&*big.text().unwrap(), text.as_str());
        assert_eq!(keeper.in_memory(), 7);
    }

    #[test]
    fn facts_kept_from_many_threads_all_read_back() {
        let keeper = FactsKeeper::new(10_000);
        let kept: Vec<(usize, KeptFacts)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|i| {
                    let keeper = &keeper;
                    s.spawn(move || (i, keeper.keep(KeptFacts::of(&facts(900 + i))).unwrap()))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(kept.iter().any(|(_, k)| k.is_spilled()));
        assert!(keeper.in_memory() <= 10_000);
        for (i, k) in &kept {
            assert_eq!(k.value().unwrap(), facts(900 + i));
        }
    }
}
