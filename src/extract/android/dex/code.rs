//! Bounds-checked reading of DEX code: the method, field and proto tables,
//! `class_data_item`s and the instructions of `code_item`s.
//!
//! Instructions are walked by their documented widths (Dalvik bytecode
//! formats), payloads (switch tables, array data) skipped, so an index found
//! in an instruction is the one the runtime would use — no byte-pattern
//! guessing and no decompiling.

use super::{read_u32, DexTables};

/// Dalvik instruction widths in 16-bit code units, by opcode. Unused opcodes
/// count as one unit (the verifier rejects them).
const WIDTH: [u8; 256] = {
    let mut w = [1u8; 256];
    let mut op = 0;
    while op < 256 {
        w[op] = match op {
            0x02 | 0x05 | 0x08 | 0x13 | 0x15 | 0x16 | 0x19 | 0x1a | 0x1c | 0x1f | 0x20 | 0x22
            | 0x23 | 0x29 => 2,
            0x03 | 0x06 | 0x09 | 0x14 | 0x17 | 0x1b | 0x24 | 0x25 | 0x26 | 0x2a | 0x2b | 0x2c => 3,
            0x18 => 5,
            0x2d..=0x3d => 2,
            0x44..=0x6d => 2,
            0x6e..=0x72 | 0x74..=0x78 => 3,
            0x90..=0xaf => 2,
            0xd0..=0xe2 => 2,
            0xfa | 0xfb => 4,
            0xfc | 0xfd => 3,
            0xfe | 0xff => 2,
            _ => 1,
        };
        op += 1;
    }
    w
};

/// Operand class by opcode: 0 none, 1 method, 2 field, 3 type (see [`operand`]).
const OPERAND: [u8; 256] = {
    let mut k = [0u8; 256];
    let mut op = 0;
    while op < 256 {
        k[op] = match op {
            0x6e..=0x72 | 0x74..=0x78 | 0xfa | 0xfb => 1,
            0x52..=0x6d => 2,
            0x1c | 0x1f | 0x20 | 0x22 => 3,
            _ => 0,
        };
        op += 1;
    }
    k
};

/// What an instruction refers to through its 16-bit index operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// invoke-* and invoke-polymorphic: a method id.
    Method(u16),
    /// iget/iput/sget/sput: a field id.
    Field(u16),
    /// const-class, check-cast, instance-of, new-instance: a type id.
    Type(u16),
    /// Anything else.
    None,
}

/// Whether `op` is an invoke (not invoke-custom, which names a call site).
pub fn is_invoke(op: u8) -> bool {
    OPERAND[usize::from(op)] == 1
}

/// The index operand of the instruction starting with `unit0`, `unit1`.
pub fn operand(unit0: u16, unit1: u16) -> Operand {
    match OPERAND[usize::from(unit0 & 0xff)] {
        1 => Operand::Method(unit1),
        2 => Operand::Field(unit1),
        3 => Operand::Type(unit1),
        _ => Operand::None,
    }
}

/// Width in code units of the instruction at `insns[pos]`, including
/// payload pseudo-instructions; `None` when it runs past the end.
pub fn width(insns: &Insns<'_>, pos: usize) -> Option<usize> {
    let unit = insns.get(pos)?;
    let w = match unit {
        // packed-switch-payload: ident, size, first_key (2), targets (size × 2)
        0x0100 => 4 + usize::from(insns.get(pos + 1)?) * 2,
        // sparse-switch-payload: ident, size, keys (size × 2), targets (size × 2)
        0x0200 => 2 + usize::from(insns.get(pos + 1)?) * 4,
        // fill-array-data-payload: ident, element_width, size (2), data
        0x0300 => {
            let elem = usize::from(insns.get(pos + 1)?);
            let size = u64::from(insns.get(pos + 2)?) | (u64::from(insns.get(pos + 3)?) << 16);
            let bytes = (elem as u64).checked_mul(size)?;
            usize::try_from(4 + bytes.div_ceil(2)).ok()?
        }
        _ => usize::from(WIDTH[usize::from(unit & 0xff)]),
    };
    (pos.checked_add(w)? <= insns.len()).then_some(w)
}

/// The instructions of one code item, as 16-bit units in file byte order.
#[derive(Debug, Clone, Copy)]
pub struct Insns<'a> {
    bytes: &'a [u8],
    big_endian: bool,
}

impl<'a> Insns<'a> {
    /// Number of code units.
    pub fn len(&self) -> usize {
        self.bytes.len() / 2
    }

    /// Whether there are no code units.
    pub fn is_empty(&self) -> bool {
        self.bytes.len() < 2
    }

    /// Code unit `i`.
    pub fn get(&self, i: usize) -> Option<u16> {
        let raw: [u8; 2] = self.bytes.get(i * 2..i * 2 + 2)?.try_into().ok()?;
        Some(if self.big_endian {
            u16::from_be_bytes(raw)
        } else {
            u16::from_le_bytes(raw)
        })
    }

    /// Calls `f` with the index operand of every instruction that has one
    /// (the hot loop of the code scan: only the opcode byte is looked at for
    /// the others). Returns `false` when an instruction runs past the end.
    pub fn for_each_operand(&self, mut f: impl FnMut(Operand)) -> bool {
        let n = self.len();
        // The opcode is the low byte of a unit: first in little-endian files.
        let low = usize::from(self.big_endian);
        let mut pos = 0;
        while pos < n {
            let op = self.bytes[pos * 2 + low];
            let w = if op == 0 {
                match width(self, pos) {
                    Some(w) => w,
                    None => return false,
                }
            } else {
                usize::from(WIDTH[usize::from(op)])
            };
            if pos + w > n {
                return false;
            }
            if OPERAND[usize::from(op)] != 0 {
                let u1 = self.get(pos + 1).unwrap_or(0);
                f(operand(u16::from(op), u1));
            }
            pos += w;
        }
        true
    }

    /// Iterates `(position, first unit, second unit or 0)` over the
    /// instructions; stops (with `truncated` set) when an instruction runs
    /// past the end.
    pub fn iter(self) -> InsnIter<'a> {
        InsnIter {
            insns: self,
            pos: 0,
            truncated: false,
        }
    }
}

/// Iterator over the instructions of one code item.
#[derive(Debug)]
pub struct InsnIter<'a> {
    insns: Insns<'a>,
    pos: usize,
    /// Set when the last instruction ran past the end of the code item.
    pub truncated: bool,
}

impl Iterator for InsnIter<'_> {
    type Item = (usize, u16, u16);

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.pos;
        let u0 = self.insns.get(at)?;
        let op = usize::from(u0 & 0xff);
        // Only nop (opcode 0) can start a payload; the rest have fixed widths.
        let w = if op == 0 {
            width(&self.insns, at)
        } else {
            let w = usize::from(WIDTH[op]);
            (at + w <= self.insns.len()).then_some(w)
        };
        let Some(w) = w else {
            self.truncated = true;
            self.pos = self.insns.len();
            return None;
        };
        let u1 = if w > 1 { self.insns.get(at + 1)? } else { 0 };
        self.pos += w;
        Some((at, u0, u1))
    }
}

/// A method of a class with code, from its `class_data_item`.
#[derive(Debug, Clone, Copy)]
pub struct EncodedMethod {
    /// Index into `method_ids`.
    pub method_idx: u32,
    /// Offset of its `code_item` (non-zero).
    pub code_off: u32,
}

/// One `class_def_item`, as far as the code scan needs it.
#[derive(Debug, Clone, Copy)]
pub struct ClassDef {
    /// Type id of the class.
    pub class_idx: u32,
    /// Type id of the superclass (`NO_INDEX` for `java.lang.Object`).
    pub superclass_idx: u32,
    /// Offset of the `class_data_item` (0: no fields or methods).
    pub class_data_off: u32,
}

/// Reads an unsigned LEB128 at `*pos`, advancing it; at most 5 bytes.
pub fn read_uleb128(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    for i in 0..5 {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The tables of one DEX file that code reading needs, bounds-checked.
#[derive(Debug)]
pub struct CodeTables<'d, 'a> {
    /// The DEX file.
    pub dex: &'d DexTables<'a>,
    /// `proto_ids_size`, `proto_ids_off`.
    protos: (u32, u32),
    /// `field_ids_size`, `field_ids_off`.
    fields: (u32, u32),
    /// `method_ids_size`, `method_ids_off`.
    methods: (u32, u32),
}

/// Why the code of one DEX file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError(pub &'static str);

impl<'d, 'a> CodeTables<'d, 'a> {
    /// Reads and bounds-checks the proto, field and method tables.
    pub fn new(dex: &'d DexTables<'a>) -> Result<Self, TableError> {
        let be = dex.header.big_endian;
        let len = dex.bytes.len() as u64;
        let table = |size_at: usize, item: u64, name: &'static str| {
            let size = read_u32(dex.bytes, size_at, be).ok_or(TableError(name))?;
            let off = read_u32(dex.bytes, size_at + 4, be).ok_or(TableError(name))?;
            let end = u64::from(off) + u64::from(size) * item;
            if size != 0 && end > len {
                return Err(TableError(name));
            }
            Ok((size, off))
        };
        Ok(CodeTables {
            dex,
            protos: table(72, 12, "proto_ids")?,
            fields: table(80, 8, "field_ids")?,
            methods: table(88, 8, "method_ids")?,
        })
    }

    fn u32_at(&self, off: usize) -> Option<u32> {
        read_u32(self.dex.bytes, off, self.dex.header.big_endian)
    }

    fn u16_at(&self, off: usize) -> Option<u16> {
        let raw: [u8; 2] = self
            .dex
            .bytes
            .get(off..off.checked_add(2)?)?
            .try_into()
            .ok()?;
        Some(if self.dex.header.big_endian {
            u16::from_be_bytes(raw)
        } else {
            u16::from_le_bytes(raw)
        })
    }

    /// Number of method ids.
    pub fn method_count(&self) -> u32 {
        self.methods.0
    }

    /// Number of field ids.
    pub fn field_count(&self) -> u32 {
        self.fields.0
    }

    /// The three fields of an 8-byte id item (`class_idx` u16, a u16, a u32
    /// string id) of `table`.
    fn id_item(&self, (size, off): (u32, u32), idx: u32) -> Option<(u16, u16, u32)> {
        if idx >= size {
            return None;
        }
        let at = off as usize + idx as usize * 8;
        Some((self.u16_at(at)?, self.u16_at(at + 2)?, self.u32_at(at + 4)?))
    }

    /// `(class_idx, proto_idx, name_idx)` of method id `idx`.
    pub fn method_id(&self, idx: u32) -> Option<(u16, u16, u32)> {
        self.id_item(self.methods, idx)
    }

    /// `(class_idx, type_idx, name_idx)` of field id `idx`.
    pub fn field_id(&self, idx: u32) -> Option<(u16, u16, u32)> {
        self.id_item(self.fields, idx)
    }

    /// Return type id and parameter type ids of proto `idx`.
    pub fn proto(&self, idx: u16) -> Option<(u32, Vec<u16>)> {
        if u32::from(idx) >= self.protos.0 {
            return None;
        }
        let off = self.protos.1 as usize + usize::from(idx) * 12;
        let ret = self.u32_at(off + 4)?;
        let params_off = self.u32_at(off + 8)? as usize;
        let mut params = Vec::new();
        if params_off != 0 {
            let size = self.u32_at(params_off)? as usize;
            // A method has at most 255 parameter registers.
            if size > 255 {
                return None;
            }
            for i in 0..size {
                params.push(self.u16_at(params_off + 4 + i * 2)?);
            }
        }
        Some((ret, params))
    }

    /// String `idx` if it is at most `max` bytes long (without reading
    /// further: this does not use the string scan budget).
    pub fn short_string(&self, idx: u32, max: usize) -> Option<&'a [u8]> {
        let h = &self.dex.header;
        if idx >= h.string_ids_size {
            return None;
        }
        let data_off = self.u32_at(h.string_ids_off as usize + idx as usize * 4)? as usize;
        let data = self.dex.bytes.get(data_off..)?;
        let mut pos = 0;
        read_uleb128(data, &mut pos)?;
        let body = data.get(pos..)?;
        let window = &body[..body.len().min(max + 1)];
        let end = window.iter().position(|&b| b == 0)?;
        Some(&body[..end])
    }

    /// Type descriptor of type `idx` if at most `max` bytes long.
    pub fn short_type(&self, idx: u32, max: usize) -> Option<&'a [u8]> {
        let h = &self.dex.header;
        if idx >= h.type_ids_size {
            return None;
        }
        let s = self.u32_at(h.type_ids_off as usize + idx as usize * 4)?;
        self.short_string(s, max)
    }

    /// Class definition `i`.
    pub fn class_def(&self, i: u32) -> Option<ClassDef> {
        let h = &self.dex.header;
        if i >= h.class_defs_size {
            return None;
        }
        let off = h.class_defs_off as usize + i as usize * super::CLASS_DEF_SIZE;
        Some(ClassDef {
            class_idx: self.u32_at(off)?,
            superclass_idx: self.u32_at(off + 8)?,
            class_data_off: self.u32_at(off + 24)?,
        })
    }

    /// The methods with code of a `class_data_item` (`None` when it is
    /// malformed: runs past the end of the file), and the number of bytes
    /// decoded either way.
    pub fn methods_with_code(&self, class_data_off: u32) -> (Option<Vec<EncodedMethod>>, usize) {
        let start = class_data_off as usize;
        let mut pos = start;
        let methods = self.decode_class_data(&mut pos);
        (methods, pos.saturating_sub(start))
    }

    fn decode_class_data(&self, pos: &mut usize) -> Option<Vec<EncodedMethod>> {
        let bytes = self.dex.bytes;
        let statics = read_uleb128(bytes, pos)?;
        let instances = read_uleb128(bytes, pos)?;
        let direct = read_uleb128(bytes, pos)?;
        let virtuals = read_uleb128(bytes, pos)?;
        for _ in 0..u64::from(statics) + u64::from(instances) {
            read_uleb128(bytes, pos)?;
            read_uleb128(bytes, pos)?;
        }
        let mut out = Vec::new();
        for count in [direct, virtuals] {
            let mut idx = 0u32;
            for _ in 0..count {
                idx = idx.checked_add(read_uleb128(bytes, pos)?)?;
                read_uleb128(bytes, pos)?;
                let code_off = read_uleb128(bytes, pos)?;
                if code_off != 0 {
                    out.push(EncodedMethod {
                        method_idx: idx,
                        code_off,
                    });
                }
            }
        }
        Some(out)
    }

    /// The instructions of the `code_item` at `off`; `None` when they lie
    /// outside the file.
    pub fn insns(&self, off: u32) -> Option<Insns<'a>> {
        let off = off as usize;
        let size = self.u32_at(off.checked_add(12)?)? as usize;
        let start = off.checked_add(16)?;
        let bytes = self
            .dex
            .bytes
            .get(start..start.checked_add(size.checked_mul(2)?)?)?;
        Some(Insns {
            bytes,
            big_endian: self.dex.header.big_endian,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insns(units: &[u16]) -> Vec<u8> {
        units.iter().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn walks_by_width_and_skips_payloads() {
        // const/4 v0,1; invoke-virtual {..} meth@7; goto +0; packed-switch payload (1 target); return-void
        let raw = insns(&[
            0x1012, 0x206e, 0x0007, 0x0010, 0x0028, 0x0100, 1, 0, 0, 0x5, 0x0, 0x000e,
        ]);
        let code = Insns {
            bytes: &raw,
            big_endian: false,
        };
        let ops: Vec<(usize, u8)> = code.iter().map(|(p, u, _)| (p, (u & 0xff) as u8)).collect();
        assert_eq!(
            ops,
            vec![(0, 0x12), (1, 0x6e), (4, 0x28), (5, 0x00), (11, 0x0e)]
        );
        let (_, u0, u1) = code.iter().nth(1).unwrap();
        assert_eq!(operand(u0, u1), Operand::Method(7));
    }

    #[test]
    fn a_truncated_instruction_stops_the_walk() {
        let raw = insns(&[0x000e, 0x206e, 0x0007]);
        let mut it = Insns {
            bytes: &raw,
            big_endian: false,
        }
        .iter();
        assert!(it.next().is_some());
        assert!(it.next().is_none());
        assert!(it.truncated);
    }

    #[test]
    fn uleb128_rejects_overlong_values() {
        let mut pos = 0;
        assert_eq!(read_uleb128(&[0xe5, 0x8e, 0x26], &mut pos), Some(624_485));
        assert_eq!(pos, 3);
        let mut pos = 0;
        assert_eq!(read_uleb128(&[0x80; 6], &mut pos), None);
    }
}
