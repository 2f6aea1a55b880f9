//! Android binary XML (AXML): `AndroidManifest.xml` and compiled `res/xml/*`.
//!
//! Follows the platform's `ResXMLTree`, so that an app cannot hide from the
//! scanner with tricks Android tolerates: chunk header sizes are honoured as
//! written (an oversized header moves the node's extension, a larger
//! `attributeSize` is the stride between attributes), unknown chunks are
//! skipped, the last string pool and resource map before the first node win,
//! and attribute names carry their resource id from the resource map —
//! Android resolves `android:` attributes by that id, not by the name string.

use thiserror::Error;

use super::chunk::{u16_at, u32_at, ChunkHeader};
use super::strpool::StringPool;
use crate::limits::Limits;

/// `Res_value` data types used by callers.
pub mod value_type {
    /// No value.
    pub const NULL: u8 = 0x00;
    /// A resource reference (`@type/name`).
    pub const REFERENCE: u8 = 0x01;
    /// A theme attribute reference (`?attr`).
    pub const ATTRIBUTE: u8 = 0x02;
    /// A string from the pool.
    pub const STRING: u8 = 0x03;
    /// An IEEE float.
    pub const FLOAT: u8 = 0x04;
    /// A dimension.
    pub const DIMENSION: u8 = 0x05;
    /// A fraction.
    pub const FRACTION: u8 = 0x06;
    /// A reference into a shared library package.
    pub const DYNAMIC_REFERENCE: u8 = 0x07;
    /// A decimal integer.
    pub const INT_DEC: u8 = 0x10;
    /// A hexadecimal integer.
    pub const INT_HEX: u8 = 0x11;
    /// A boolean (`0` false, anything else true).
    pub const INT_BOOLEAN: u8 = 0x12;
    /// First colour type (`#aarrggbb`).
    pub const FIRST_COLOR: u8 = 0x1c;
    /// Last colour type (`#rgb`).
    pub const LAST_COLOR: u8 = 0x1f;
}

const RES_STRING_POOL_TYPE: u16 = 0x0001;
const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;
const RES_XML_FIRST_CHUNK_TYPE: u16 = 0x0100;
const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
const RES_XML_END_NAMESPACE_TYPE: u16 = 0x0101;
const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
const RES_XML_CDATA_TYPE: u16 = 0x0104;
const RES_XML_LAST_CHUNK_TYPE: u16 = 0x017f;
/// `sizeof(ResXMLTree_node)`: chunk header, line number, comment.
const NODE_HEADER: usize = 16;
/// `sizeof(ResXMLTree_attrExt)`.
const ATTR_EXT: usize = 20;
/// `sizeof(ResXMLTree_attribute)`.
const ATTRIBUTE: usize = 20;
const NO_INDEX: u32 = 0xffff_ffff;
/// Most bytes of strings one document may decode to: a pool string can be
/// referenced by any number of attributes, so copies must be bounded.
const STRING_BUDGET: usize = 64 << 20;

/// Why a binary XML document could not be decoded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum AxmlError {
    /// The document is shorter than its 8-byte header.
    #[error("binary XML truncated: {0} bytes")]
    Truncated(usize),
    /// The document header is inconsistent with the data.
    #[error("bad binary XML header: {0}")]
    BadHeader(String),
    /// A chunk before the first element is malformed.
    #[error("bad binary XML chunk: {0}")]
    BadChunk(String),
    /// The string pool is malformed.
    #[error("bad binary XML string pool: {0}")]
    StringPool(String),
    /// No element at all.
    #[error("binary XML without a root element")]
    NoRoot,
    /// The decoded strings add up to more than the budget (strings reused many times).
    #[error("binary XML decodes to more than {0} bytes of strings")]
    TooLarge(usize),
    /// Elements nest deeper than the limit.
    #[error("binary XML nests elements deeper than the limit of {0}")]
    TooDeep(usize),
}

/// A typed attribute value (`Res_value`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedValue {
    /// Data type (see [`value_type`]).
    pub data_type: u8,
    /// Raw 32-bit data.
    pub data: u32,
    /// The pool string when `data_type` is [`value_type::STRING`] (and the index is valid).
    pub string: Option<String>,
}

/// One attribute of an element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlAttribute {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Name string (may be fake when a resource id is present).
    pub name: String,
    /// Attribute resource id from the resource map (e.g. `0x01010003` for `android:name`).
    pub resource_id: Option<u32>,
    /// The raw string value, if the compiler kept one.
    pub raw: Option<String>,
    /// The typed value.
    pub value: TypedValue,
}

/// One element with its attributes and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlElement {
    /// Namespace URI, if any.
    pub namespace: Option<String>,
    /// Tag name.
    pub name: String,
    /// Source line number recorded by the compiler.
    pub line: u32,
    /// Attributes, in document order.
    pub attributes: Vec<XmlAttribute>,
    /// Text content (CDATA nodes directly inside the element, concatenated).
    pub text: Option<String>,
    /// Child elements, in document order.
    pub children: Vec<XmlElement>,
}

impl XmlElement {
    /// Child elements with tag `name`.
    pub fn children_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s XmlElement> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// A decoded binary XML document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlDocument {
    /// The root element.
    pub root: XmlElement,
    /// Whether the document has a resource map (attribute ids). Without one,
    /// `android:` attributes can only be matched by name.
    pub has_resource_map: bool,
    /// Problems after the root started (the tree holds what came before them).
    pub warnings: Vec<String>,
}

/// Decodes a binary XML document.
pub fn parse(data: &[u8], limits: &Limits) -> Result<XmlDocument, AxmlError> {
    let header = ChunkHeader::read(data, 0).ok_or(AxmlError::Truncated(data.len()))?;
    // ResXMLTree::setTo does not insist on the RES_XML_TYPE tag; it checks sizes.
    if header.header_size > header.size || header.size > data.len() {
        return Err(AxmlError::BadHeader(format!(
            "header size {} or total size {} larger than the data ({} bytes)",
            header.header_size,
            header.size,
            data.len()
        )));
    }
    if header.header_size < 8 {
        return Err(AxmlError::BadHeader(format!(
            "header size {} smaller than 8",
            header.header_size
        )));
    }
    let end = header.size;
    let data = data.get(..end).ok_or(AxmlError::Truncated(end))?;
    let mut pool = StringPool::default();
    let mut res_ids: &[u8] = &[];
    let mut has_resource_map = false;
    let mut off = header.header_size;
    let mut first_node = None;
    while off.checked_add(8).is_some_and(|o| o <= end) {
        let chunk = ChunkHeader::read(data, off).ok_or(AxmlError::Truncated(end))?;
        chunk.validate(off, end, 8).map_err(AxmlError::BadChunk)?;
        let body = data.get(off..off + chunk.size).unwrap_or_default();
        match chunk.kind {
            RES_STRING_POOL_TYPE => {
                pool = StringPool::parse(body, limits).map_err(AxmlError::StringPool)?;
            }
            RES_XML_RESOURCE_MAP_TYPE => {
                res_ids = body.get(chunk.header_size..).unwrap_or_default();
                has_resource_map = true;
            }
            RES_XML_FIRST_CHUNK_TYPE..=RES_XML_LAST_CHUNK_TYPE => {
                validate_node(data, off, &chunk, end).map_err(AxmlError::BadChunk)?;
                first_node = Some(off);
                break;
            }
            _ => {}
        }
        if chunk.size == 0 {
            break;
        }
        off += chunk.size;
    }
    let first = first_node.ok_or(AxmlError::NoRoot)?;
    let ctx = Ctx {
        data,
        pool: &pool,
        res_ids,
        budget: std::cell::Cell::new(STRING_BUDGET),
    };
    let mut builder = TreeBuilder::new(limits.max_depth);
    let mut off = first;
    let mut warnings = Vec::new();
    while let Some(chunk) = ChunkHeader::read(data, off) {
        if let Err(e) = validate_node(data, off, &chunk, end) {
            warnings.push(format!("binary XML stops early: {e}"));
            break;
        }
        let ext = off + chunk.header_size;
        let ext_len = chunk.size - chunk.header_size;
        let line = u32_at(data, off + 8).unwrap_or(0);
        let min_ext = match chunk.kind {
            RES_XML_START_NAMESPACE_TYPE | RES_XML_END_NAMESPACE_TYPE => 8,
            RES_XML_START_ELEMENT_TYPE => ATTR_EXT,
            RES_XML_END_ELEMENT_TYPE => 8,
            RES_XML_CDATA_TYPE => 12,
            _ => 0,
        };
        if ext_len < min_ext {
            warnings.push(format!(
                "binary XML stops early: node 0x{:04x} at offset {off} has {ext_len} bytes of data, needs {min_ext}",
                chunk.kind
            ));
            break;
        }
        match chunk.kind {
            RES_XML_START_ELEMENT_TYPE => {
                let element = ctx.start_element(ext, line);
                if ctx.budget.get() == 0 {
                    return Err(AxmlError::TooLarge(STRING_BUDGET));
                }
                if !builder.start(element)? {
                    break;
                }
            }
            // Closing the root ends the document, as for Android's parser users.
            RES_XML_END_ELEMENT_TYPE if builder.end() => break,
            RES_XML_CDATA_TYPE => {
                if let Some(text) = u32_at(data, ext).and_then(|i| ctx.string(i)) {
                    builder.text(&text);
                }
                if ctx.budget.get() == 0 {
                    return Err(AxmlError::TooLarge(STRING_BUDGET));
                }
            }
            _ => {}
        }
        off += chunk.size;
        if off >= end {
            break;
        }
    }
    let root = builder.finish().ok_or(AxmlError::NoRoot)?;
    Ok(XmlDocument {
        root,
        has_resource_map,
        warnings,
    })
}

/// Android's `validateNode`: a valid chunk with a node header, and for start
/// elements attributes that fit in the chunk.
fn validate_node(data: &[u8], off: usize, chunk: &ChunkHeader, end: usize) -> Result<(), String> {
    chunk.validate(off, end, NODE_HEADER)?;
    if chunk.kind != RES_XML_START_ELEMENT_TYPE {
        return Ok(());
    }
    let ext = off + chunk.header_size;
    let room = chunk.size - chunk.header_size;
    if room < ATTR_EXT {
        return Err(format!(
            "start element at offset {off}: header size {}, size {}",
            chunk.header_size, chunk.size
        ));
    }
    let start = usize::from(u16_at(data, ext + 8).unwrap_or(0));
    let size = usize::from(u16_at(data, ext + 10).unwrap_or(0));
    let count = usize::from(u16_at(data, ext + 12).unwrap_or(0));
    if start + size * count > room {
        return Err(format!(
            "start element at offset {off}: {count} attributes of {size} bytes from {start} do not fit in {room} bytes"
        ));
    }
    Ok(())
}

/// Decoding context: the document bytes, pool and resource map.
struct Ctx<'d, 'p> {
    data: &'d [u8],
    pool: &'p StringPool<'d>,
    res_ids: &'d [u8],
    budget: std::cell::Cell<usize>,
}

impl Ctx<'_, '_> {
    fn string(&self, index: u32) -> Option<String> {
        if index == NO_INDEX {
            return None;
        }
        let s = self.pool.get(index)?;
        self.budget.set(self.budget.get().saturating_sub(s.len()));
        Some(s)
    }

    fn res_id(&self, name_index: u32) -> Option<u32> {
        let at = (name_index as usize).checked_mul(4)?;
        u32_at(self.res_ids, at).filter(|&id| id != 0)
    }

    /// Reads the element whose `ResXMLTree_attrExt` is at `ext`.
    fn start_element(&self, ext: usize, line: u32) -> XmlElement {
        let d = self.data;
        let ns = u32_at(d, ext).unwrap_or(NO_INDEX);
        let name = u32_at(d, ext + 4).unwrap_or(NO_INDEX);
        let start = usize::from(u16_at(d, ext + 8).unwrap_or(0));
        let stride = usize::from(u16_at(d, ext + 10).unwrap_or(0));
        let count = usize::from(u16_at(d, ext + 12).unwrap_or(0));
        // Each element and attribute also costs memory beyond its strings.
        self.budget
            .set(self.budget.get().saturating_sub(128 * (count + 1)));
        let mut attributes = Vec::with_capacity(count.min(64));
        for i in 0..count {
            let at = ext + start + stride * i;
            if let Some(a) = self.attribute(at) {
                attributes.push(a);
            }
        }
        XmlElement {
            namespace: self.string(ns),
            name: self.string(name).unwrap_or_default(),
            line,
            attributes,
            text: None,
            children: Vec::new(),
        }
    }

    fn attribute(&self, at: usize) -> Option<XmlAttribute> {
        let d = self.data;
        let bytes = d.get(at..at.checked_add(ATTRIBUTE)?)?;
        let ns = u32_at(bytes, 0)?;
        let name = u32_at(bytes, 4)?;
        let raw = u32_at(bytes, 8)?;
        let data_type = *bytes.get(15)?;
        let data = u32_at(bytes, 16)?;
        let string = if data_type == value_type::STRING {
            self.string(data)
        } else {
            None
        };
        Some(XmlAttribute {
            namespace: self.string(ns),
            name: self.string(name).unwrap_or_default(),
            resource_id: self.res_id(name),
            raw: self.string(raw),
            value: TypedValue {
                data_type,
                data,
                string,
            },
        })
    }
}

/// Builds the element tree from start/end events, as a pull parser's user would.
struct TreeBuilder {
    stack: Vec<XmlElement>,
    root: Option<XmlElement>,
    max_depth: usize,
}

impl TreeBuilder {
    fn new(max_depth: usize) -> Self {
        TreeBuilder {
            stack: Vec::new(),
            root: None,
            max_depth,
        }
    }

    /// Opens an element; `Ok(false)` when the root is already complete.
    fn start(&mut self, element: XmlElement) -> Result<bool, AxmlError> {
        if self.root.is_some() {
            return Ok(false);
        }
        if self.stack.len() >= self.max_depth {
            return Err(AxmlError::TooDeep(self.max_depth));
        }
        self.stack.push(element);
        Ok(true)
    }

    /// Appends text to the innermost open element (bounded by the document size).
    fn text(&mut self, text: &str) {
        if let Some(cur) = self.stack.last_mut() {
            cur.text.get_or_insert_with(String::new).push_str(text);
        }
    }

    /// Closes the innermost element; `true` when that completed the root.
    fn end(&mut self) -> bool {
        let Some(done) = self.stack.pop() else {
            return false;
        };
        match self.stack.last_mut() {
            Some(parent) => {
                parent.children.push(done);
                false
            }
            None => {
                self.root = Some(done);
                true
            }
        }
    }

    /// The root, closing any elements left open.
    fn finish(mut self) -> Option<XmlElement> {
        while self.root.is_none() && !self.stack.is_empty() {
            self.end();
        }
        self.root
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::extract::android::strpool::build_pool;

    /// An attribute for [`build_doc`]: (namespace index, name index, raw index, type, data).
    pub type RawAttr = (u32, u32, u32, u8, u32);

    /// A node for [`build_doc`].
    pub enum Node {
        /// Start element: name index, attributes.
        Start(u32, Vec<RawAttr>),
        /// End element: name index.
        End(u32),
        /// Text (CDATA): string index.
        Text(u32),
    }

    /// Builds an AXML document. `header_pad` extra bytes are put in each start
    /// element's header (an oversized `headerSize`), `attr_pad` after each attribute.
    pub fn build_doc(
        strings: &[&str],
        res_ids: &[u32],
        nodes: &[Node],
        header_pad: usize,
        attr_pad: usize,
    ) -> Vec<u8> {
        let mut body = build_pool(strings, false);
        if !res_ids.is_empty() {
            body.extend_from_slice(&0x0180u16.to_le_bytes());
            body.extend_from_slice(&8u16.to_le_bytes());
            body.extend_from_slice(&((8 + res_ids.len() * 4) as u32).to_le_bytes());
            for id in res_ids {
                body.extend_from_slice(&id.to_le_bytes());
            }
        }
        for node in nodes {
            match node {
                Node::Start(name, attrs) => {
                    let hs = 16 + header_pad;
                    let stride = 20 + attr_pad;
                    let size = hs + 20 + stride * attrs.len();
                    body.extend_from_slice(&0x0102u16.to_le_bytes());
                    body.extend_from_slice(&(hs as u16).to_le_bytes());
                    body.extend_from_slice(&(size as u32).to_le_bytes());
                    body.extend_from_slice(&1u32.to_le_bytes());
                    body.extend_from_slice(&NO_INDEX.to_le_bytes());
                    body.extend(std::iter::repeat_n(0xAAu8, header_pad));
                    body.extend_from_slice(&NO_INDEX.to_le_bytes());
                    body.extend_from_slice(&name.to_le_bytes());
                    body.extend_from_slice(&20u16.to_le_bytes());
                    body.extend_from_slice(&(stride as u16).to_le_bytes());
                    body.extend_from_slice(&(attrs.len() as u16).to_le_bytes());
                    body.extend_from_slice(&[0u8; 6]);
                    for &(ns, n, raw, t, data) in attrs {
                        body.extend_from_slice(&ns.to_le_bytes());
                        body.extend_from_slice(&n.to_le_bytes());
                        body.extend_from_slice(&raw.to_le_bytes());
                        body.extend_from_slice(&8u16.to_le_bytes());
                        body.push(0);
                        body.push(t);
                        body.extend_from_slice(&data.to_le_bytes());
                        body.extend(std::iter::repeat_n(0u8, attr_pad));
                    }
                }
                Node::Text(text) => {
                    body.extend_from_slice(&0x0104u16.to_le_bytes());
                    body.extend_from_slice(&16u16.to_le_bytes());
                    body.extend_from_slice(&28u32.to_le_bytes());
                    body.extend_from_slice(&1u32.to_le_bytes());
                    body.extend_from_slice(&NO_INDEX.to_le_bytes());
                    body.extend_from_slice(&text.to_le_bytes());
                    body.extend_from_slice(&8u16.to_le_bytes());
                    body.push(0);
                    body.push(value_type::NULL);
                    body.extend_from_slice(&0u32.to_le_bytes());
                }
                Node::End(name) => {
                    body.extend_from_slice(&0x0103u16.to_le_bytes());
                    body.extend_from_slice(&16u16.to_le_bytes());
                    body.extend_from_slice(&24u32.to_le_bytes());
                    body.extend_from_slice(&1u32.to_le_bytes());
                    body.extend_from_slice(&NO_INDEX.to_le_bytes());
                    body.extend_from_slice(&NO_INDEX.to_le_bytes());
                    body.extend_from_slice(&name.to_le_bytes());
                }
            }
        }
        let mut out = Vec::new();
        out.extend_from_slice(&3u16.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&((8 + body.len()) as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

    #[test]
    fn id_only_attribute_keeps_its_resource_id() {
        // The name string is fake ("zz"); the resource map says 0x0101000f (debuggable).
        let strings = ["zz", ANDROID_NS, "application", "manifest"];
        let nodes = [
            Node::Start(3, vec![]),
            Node::Start(
                2,
                vec![(1, 0, NO_INDEX, value_type::INT_BOOLEAN, 0xffff_ffff)],
            ),
            Node::End(2),
            Node::End(3),
        ];
        let doc = parse(
            &build_doc(&strings, &[0x0101_000f], &nodes, 0, 0),
            &Limits::default(),
        )
        .unwrap();
        assert!(doc.has_resource_map);
        let app = &doc.root.children[0];
        assert_eq!(app.name, "application");
        let attr = &app.attributes[0];
        assert_eq!(attr.name, "zz");
        assert_eq!(attr.resource_id, Some(0x0101_000f));
        assert_eq!(attr.namespace.as_deref(), Some(ANDROID_NS));
        assert_eq!(attr.value.data_type, value_type::INT_BOOLEAN);
    }

    #[test]
    fn oversized_headers_and_attribute_stride_are_honoured() {
        let strings = ["package", "com.example", "manifest"];
        let nodes = [
            Node::Start(2, vec![(NO_INDEX, 0, 1, value_type::STRING, 1)]),
            Node::End(2),
        ];
        let doc = parse(&build_doc(&strings, &[], &nodes, 12, 8), &Limits::default()).unwrap();
        assert_eq!(doc.root.name, "manifest");
        assert_eq!(doc.root.attributes.len(), 1);
        assert_eq!(doc.root.attributes[0].name, "package");
        assert_eq!(
            doc.root.attributes[0].value.string.as_deref(),
            Some("com.example")
        );
        assert!(doc.warnings.is_empty());
    }

    #[test]
    fn bad_string_indices_become_empty_not_panics() {
        let strings = ["manifest"];
        let nodes = [
            Node::Start(0, vec![(999, 998, 997, value_type::STRING, 996)]),
            Node::Start(12345, vec![]),
            Node::End(12345),
            Node::End(0),
        ];
        let doc = parse(&build_doc(&strings, &[], &nodes, 0, 0), &Limits::default()).unwrap();
        assert_eq!(doc.root.name, "manifest");
        let a = &doc.root.attributes[0];
        assert_eq!(
            (
                a.name.as_str(),
                a.namespace.as_ref(),
                a.raw.as_ref(),
                a.value.string.as_ref()
            ),
            ("", None, None, None)
        );
        assert_eq!(doc.root.children[0].name, "");
    }

    #[test]
    fn depth_limit_and_truncation() {
        let strings = ["a"];
        let nodes: Vec<Node> = (0..10).map(|_| Node::Start(0, vec![])).collect();
        let bytes = build_doc(&strings, &[], &nodes, 0, 0);
        let limits = Limits {
            max_depth: 5,
            ..Limits::default()
        };
        assert_eq!(parse(&bytes, &limits), Err(AxmlError::TooDeep(5)));
        // Unclosed elements are closed at the end of the document.
        let doc = parse(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.root.children.len(), 1);
        // Every truncation is an error or a best-effort tree, never a panic.
        for cut in 0..bytes.len() {
            let _ = parse(&bytes[..cut], &Limits::default());
        }
        // A total size larger than the data is rejected as Android does.
        let mut lying = bytes.clone();
        lying[4..8].copy_from_slice(&((bytes.len() + 4) as u32).to_le_bytes());
        assert!(matches!(
            parse(&lying, &Limits::default()),
            Err(AxmlError::BadHeader(_))
        ));
    }

    #[test]
    fn attributes_overflowing_the_node_stop_the_document() {
        let strings = ["manifest", "x"];
        let nodes = [
            Node::Start(0, vec![]),
            Node::Start(1, vec![(NO_INDEX, 1, NO_INDEX, 0x10, 1)]),
            Node::End(1),
            Node::End(0),
        ];
        let mut bytes = build_doc(&strings, &[], &nodes, 0, 0);
        // Patch the second start element's attribute count to 9.
        let second = bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| w == &[0x02, 0x01, 0x10, 0x00])
            .nth(1)
            .unwrap()
            .0;
        bytes[second + 16 + 12] = 9;
        let doc = parse(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.root.name, "manifest");
        assert!(doc.root.children.is_empty());
        assert_eq!(doc.warnings.len(), 1);
    }
}
