//! The shapes of an export around its records: pages (an object with a
//! record array, links to further pages and totals), arrays of pages, and
//! record arrays streamed element by element.

use super::*;

/// What the pages read so far said of the export's pages.
#[derive(Debug, Default)]
pub(super) struct LastPage {
    /// The link key of the last page read, when that page links to a
    /// further page (`None`: no page read yet, or the last one links to none).
    pub(super) link: Cell<Option<&'static str>>,
    /// The total of the last page that gives one.
    total: Cell<Option<PageTotal>>,
}

impl LastPage {
    /// Takes what a page said, at its end.
    fn end(&self, says: PageSays) {
        self.link.set(says.link);
        if let Some((key, total)) = says.total {
            self.total.set(Some(PageTotal {
                key,
                total,
                page: says.page,
                page_size: says.page_size,
            }));
        }
    }

    /// The note for a file whose pages say the export has another number
    /// of records in all than the `records` the file holds.
    pub(super) fn total_note(&self, records: usize) -> Option<Note> {
        let t = self.total.get()?;
        let records = records as u64;
        (t.total != records).then_some(Note::PageTotal {
            key: t.key,
            total: t.total,
            records,
            page: t.page,
            page_size: t.page_size,
        })
    }
}

/// A page's total and where it stands.
#[derive(Debug, Clone, Copy)]
pub(super) struct PageTotal {
    key: &'static str,
    total: u64,
    page: Option<u64>,
    page_size: Option<u64>,
}

/// What one object said of its page, besides its records: a link to a
/// further page, the total and the page's number and size (each a whole
/// number from 0; anything else is nothing said).
#[derive(Debug, Default)]
pub(super) struct PageSays {
    pub(super) link: Option<&'static str>,
    total: Option<(&'static str, u64)>,
    page: Option<u64>,
    page_size: Option<u64>,
}

impl PageSays {
    /// Reads the value of key `k` of an object into `rest` as
    /// [`keep_value`] does, noting it when it is a page key.
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        keep: Keep<'_>,
        k: String,
        rest: &mut serde_json::Map<String, Value>,
    ) -> Result<(), A::Error> {
        if let Some(key) = next_page_key(&k) {
            let link = page_value(map, keep, k, rest, |v| links(v).then_some(key))?;
            self.link = link.or(self.link);
        } else if let Some(key) = TOTAL_KEYS.iter().copied().find(|t| *t == k) {
            let n = page_value(map, keep, k, rest, Value::as_u64)?;
            self.total = n.map(|n| (key, n)).or(self.total);
        } else if k == "Page" {
            self.page = page_value(map, keep, k, rest, Value::as_u64)?.or(self.page);
        } else if k == "PageSize" {
            self.page_size = page_value(map, keep, k, rest, Value::as_u64)?.or(self.page_size);
        } else {
            keep_value(map, keep, k, rest)?;
        }
        Ok(())
    }
}

/// The [`NEXT_PAGE_KEYS`] entry `k` is, if any.
pub(super) fn next_page_key(k: &str) -> Option<&'static str> {
    NEXT_PAGE_KEYS.iter().copied().find(|n| *n == k)
}

/// Whether the value of a next-page key links somewhere (a non-empty
/// text; Graph leaves the key out on the last page, others give `null` or
/// `""`).
pub(super) fn links(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.trim().is_empty())
}

/// Passes the records of the one top-level value `de` reads to `sink`;
/// with `side`, record objects are read past serde (see [`Source`]).
pub(super) fn visit_top<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    cap: &RecordCap,
    last_page: &LastPage,
    side: Option<&dyn Steal>,
    keep: Keep<'static>,
    sink: &mut impl FnMut(Record),
) -> serde_json::Result<()> {
    Top {
        sink,
        cap,
        last_page,
        side,
        keep,
    }
    .deserialize(&mut de)?;
    de.end()
}

/// Visits one top-level value: a page object, a record object or an array.
pub(super) struct Top<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    last_page: &'s LastPage,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for Top<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for Top<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array of device records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.cap.next_record();
            let seed = PageOrRecord {
                sink: &mut *self.sink,
                cap: self.cap,
                last_page: self.last_page,
                side: self.side,
                keep: self.keep,
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut found = false;
        let mut says = PageSays::default();
        while let Some(k) = map.next_key::<String>()? {
            if !found && RECORD_KEYS.contains(&k.as_str()) {
                map.next_value_seed(Elements {
                    sink: &mut *self.sink,
                    cap: self.cap,
                    side: self.side,
                    keep: self.keep,
                })?;
                found = true;
            } else {
                says.read(&mut map, self.keep, k, &mut rest)?;
            }
        }
        if found {
            self.last_page.end(says);
        } else {
            (self.sink)(Record::Value(Value::Object(rest)));
        }
        Ok(())
    }
}

/// An element of a top-level array: a page (an object with an array under a
/// record key, whose elements are streamed to the sink; its other keys are
/// dropped) or a record (passed whole).
pub(super) struct PageOrRecord<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    last_page: &'s LastPage,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for PageOrRecord<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for PageOrRecord<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a page or a device record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut page = false;
        let mut says = PageSays::default();
        while let Some(k) = map.next_key::<String>()? {
            if !page && RECORD_KEYS.contains(&k.as_str()) {
                match map.next_value_seed(ArrayOrValue {
                    sink: &mut *self.sink,
                    cap: self.cap,
                    side: self.side,
                    keep: self.keep,
                })? {
                    None => page = true,
                    Some(v) => match kept(self.keep, &k) {
                        Kept::Whole => insert_repeated(&mut rest, k, v),
                        Kept::Part(outer) => {
                            insert_repeated(&mut rest, k, project(v, self.keep, outer));
                        }
                        Kept::Not => {}
                    },
                }
            } else {
                says.read(&mut map, self.keep, k, &mut rest)?;
            }
        }
        if page {
            self.last_page.end(says);
        } else {
            (self.sink)(Record::Value(Value::Object(rest)));
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        (self.sink)(Record::Value(v));
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        (self.sink)(Record::Value(Value::Bool(v)));
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        (self.sink)(Record::Value(Value::from(v)));
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        (self.sink)(Record::Value(Value::from(v)));
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        (self.sink)(Record::Value(Value::from(v)));
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        (self.sink)(Record::Value(Value::String(v.to_string())));
        Ok(())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<(), E> {
        (self.sink)(Record::Value(Value::String(v)));
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        (self.sink)(Record::Value(Value::Null));
        Ok(())
    }
}

/// The value under a record key of an array element: an array is streamed
/// to the sink (`None`: the element is a page); anything else is returned.
pub(super) struct ArrayOrValue<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for ArrayOrValue<'_, F> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for ArrayOrValue<'_, F> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        // Inside a top-level array, a page object and this array.
        records(seq, self.cap, self.side, self.keep, 3, self.sink)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        object_from_map(map).map(Some)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_string())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v)))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

/// The record array under a record key, streamed element by element.
pub(super) struct Elements<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for Elements<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for Elements<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of device records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        // Inside a top-level object and this array.
        records(seq, self.cap, self.side, self.keep, 2, self.sink)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = object_from_map(map)?;
        (self.sink)(Record::Value(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Passes each element of a record array to `sink`, each counted as its own
/// record by `cap`; `depth` is the number of arrays and objects around the
/// elements (serde's nesting budget left for a record depends on it).
pub(super) fn records<'de, A: SeqAccess<'de>>(
    mut seq: A,
    cap: &RecordCap,
    side: Option<&dyn Steal>,
    keep: Keep<'static>,
    depth: usize,
    sink: &mut impl FnMut(Record),
) -> Result<(), A::Error> {
    loop {
        cap.next_record();
        match seq.next_element_seed(RecordSeed { side, keep, depth })? {
            Some(v) => sink(v),
            None => return Ok(()),
        }
    }
}

/// One element of a record array: a record object read past serde when a
/// [`Steal`] source is at hand, else (and for anything but an object)
/// deserialized by serde.
pub(super) struct RecordSeed<'s> {
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        let Some(side) = self.side else {
            return record(d, self.keep);
        };
        match side.take_record(self.depth, self.keep) {
            Taken::NotHere => record(d, self.keep),
            Taken::Record(v) => {
                // serde reads the `{` it has peeked and the closing `}` left
                // for it (both counted against the record cap).
                serde::de::IgnoredAny::deserialize(d)?;
                Ok(*v)
            }
            Taken::Failed => Err(serde::de::Error::custom("record unreadable")),
        }
    }
}

/// Reads the value of a page key `k` (a next-page link, a total, …):
/// what `said` makes of it. The value is kept in `rest` as [`keep_value`]
/// would keep it (the object may be a record, not a page).
pub(super) fn page_value<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    keep: Keep<'_>,
    k: String,
    rest: &mut serde_json::Map<String, Value>,
    said: impl FnOnce(&Value) -> T,
) -> Result<T, A::Error> {
    let v = map.next_value_seed(Built {
        keep: None,
        inside: None,
    })?;
    let out = said(&v);
    match kept(keep, &k) {
        Kept::Not => {}
        Kept::Whole => insert_repeated(rest, k, v),
        Kept::Part(outer) => {
            let v = project(v, keep, outer);
            insert_repeated(rest, k, v);
        }
    }
    Ok(out)
}
