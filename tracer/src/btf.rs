//! A small reader of the kernel's BTF (/sys/kernel/btf/vmlinux): just enough to find the byte
//! offset of a struct member (through anonymous members) and a tracepoint's argument count,
//! so the kernel side can read task_struct, mm_struct and linux_binprm fields on any kernel.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum BtfError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("kernel BTF is malformed: {0}")]
    Malformed(&'static str),
    #[error("kernel BTF has no struct {0}")]
    NoStruct(String),
    #[error("kernel BTF has no member {1} in struct {0}")]
    NoMember(String, String),
}

const KIND_STRUCT: u32 = 4;
const KIND_UNION: u32 = 5;
const KIND_TYPEDEF: u32 = 8;
const KIND_VOLATILE: u32 = 9;
const KIND_CONST: u32 = 10;
const KIND_RESTRICT: u32 = 11;
const KIND_FUNC_PROTO: u32 = 13;
const KIND_TYPE_TAG: u32 = 18;
const KIND_PTR: u32 = 2;

/// One type: where its kind-specific data (members, params) starts in `data`.
#[derive(Clone, Copy, Debug)]
struct Type {
    name: u32,
    info: u32,
    size_or_type: u32,
    extra: u32,
}

impl Type {
    fn kind(&self) -> u32 {
        (self.info >> 24) & 0x1f
    }
    fn vlen(&self) -> u32 {
        self.info & 0xffff
    }
    fn kind_flag(&self) -> bool {
        self.info >> 31 != 0
    }
}

/// The raw BTF blob and an index of its types (16 bytes each; no per-type allocations, so
/// that parsing ~150k kernel types does not grow the tracer's heap).
pub struct Btf {
    data: Vec<u8>,
    types: Vec<Type>,
    str_off: usize,
    str_len: usize,
}

fn u32_at(d: &[u8], off: usize) -> Result<u32, BtfError> {
    d.get(off..off + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(BtfError::Malformed("truncated"))
}

impl Btf {
    pub fn from_sys_fs() -> Result<Self, BtfError> {
        let path = "/sys/kernel/btf/vmlinux";
        let data = std::fs::read(path).map_err(|source| BtfError::Read {
            path: path.into(),
            source,
        })?;
        Self::parse(data)
    }

    pub fn parse(d: Vec<u8>) -> Result<Self, BtfError> {
        if d.len() < 24 || d[0..2] != [0x9f, 0xeb] {
            return Err(BtfError::Malformed("bad magic"));
        }
        let hdr_len = u32_at(&d, 4)? as usize;
        let type_off = hdr_len + u32_at(&d, 8)? as usize;
        let type_len = u32_at(&d, 12)? as usize;
        let str_off = hdr_len + u32_at(&d, 16)? as usize;
        let str_len = u32_at(&d, 20)? as usize;
        if str_off + str_len > d.len() || type_off + type_len > d.len() {
            return Err(BtfError::Malformed("sections overrun the blob"));
        }
        let mut types = vec![Type {
            name: 0,
            info: 0,
            size_or_type: 0,
            extra: 0,
        }];
        let mut p = type_off;
        let end = type_off + type_len;
        while p < end {
            let t = Type {
                name: u32_at(&d, p)?,
                info: u32_at(&d, p + 4)?,
                size_or_type: u32_at(&d, p + 8)?,
                extra: (p + 12) as u32,
            };
            p += 12;
            let vlen = t.vlen() as usize;
            p += match t.kind() {
                1 | 14 | 17 => 4,
                3 => 12,
                KIND_STRUCT | KIND_UNION => 12 * vlen,
                6 | KIND_FUNC_PROTO => 8 * vlen,
                15 | 19 => 12 * vlen,
                _ => 0,
            };
            types.push(t);
        }
        Ok(Btf {
            data: d,
            types,
            str_off,
            str_len,
        })
    }

    /// Whether the string at `off` is `name` (compares `name`'s bytes and the NUL after them,
    /// without measuring the string: this runs for each of the kernel's ~150,000 types).
    fn str_is(&self, off: u32, name: &[u8]) -> bool {
        let start = self.str_off + off as usize;
        let end = start + name.len();
        end < self.str_off + self.str_len && &self.data[start..end] == name && self.data[end] == 0
    }

    fn find(&self, name: &str, kind: u32) -> Option<&Type> {
        self.types
            .iter()
            .find(|t| t.kind() == kind && t.name != 0 && self.str_is(t.name, name.as_bytes()))
    }

    fn skip_mods(&self, mut id: u32) -> &Type {
        loop {
            let t = &self.types[(id as usize).min(self.types.len() - 1)];
            match t.kind() {
                KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG => {
                    id = t.size_or_type
                }
                _ => return t,
            }
        }
    }

    /// (name, type, bit offset) of a struct/union member.
    fn member(&self, t: &Type, i: usize) -> (u32, u32, u32) {
        let at = t.extra as usize + 12 * i;
        let get = |o| u32_at(&self.data, at + o).unwrap_or(0);
        (get(0), get(4), get(8))
    }

    fn member_in(&self, t: &Type, member: &str) -> Option<u32> {
        for i in 0..t.vlen() as usize {
            let (name, ty, off) = self.member(t, i);
            let bits = if t.kind_flag() { off & 0xff_ffff } else { off };
            if name != 0 && self.str_is(name, member.as_bytes()) {
                return Some(bits / 8);
            }
            if name == 0 {
                let inner = self.skip_mods(ty);
                if matches!(inner.kind(), KIND_STRUCT | KIND_UNION)
                    && let Some(o) = self.member_in(inner, member)
                {
                    return Some(bits / 8 + o);
                }
            }
        }
        None
    }

    /// Byte offset of `member` in `struct name`, looking through anonymous structs/unions.
    pub fn member_offset(&self, name: &str, member: &str) -> Result<u32, BtfError> {
        let t = self
            .find(name, KIND_STRUCT)
            .ok_or_else(|| BtfError::NoStruct(name.into()))?;
        self.member_in(t, member)
            .ok_or_else(|| BtfError::NoMember(name.into(), member.into()))
    }

    /// Number of arguments of a tracepoint (`btf_trace_<name>` minus its context pointer).
    pub fn tracepoint_args(&self, tp: &str) -> Option<usize> {
        let t = self.find(&format!("btf_trace_{tp}"), KIND_TYPEDEF)?;
        let ptr = self.types.get(t.size_or_type as usize)?;
        if ptr.kind() != KIND_PTR {
            return None;
        }
        let proto = self.types.get(ptr.size_or_type as usize)?;
        (proto.kind() == KIND_FUNC_PROTO).then(|| (proto.vlen() as usize).saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_kernels_btf() {
        // Every machine this runs on (and CI) has /sys/kernel/btf/vmlinux: the tracer needs it.
        let btf = Btf::from_sys_fs().expect("kernel BTF");
        assert_eq!(btf.member_offset("task_struct", "thread_info").unwrap(), 0);
        assert_eq!(btf.member_offset("thread_info", "status").unwrap(), 16);
        assert!(btf.member_offset("task_struct", "tgid").unwrap() > 0);
        // arg_start is inside an anonymous struct of mm_struct.
        let a = btf.member_offset("mm_struct", "arg_start").unwrap();
        assert_eq!(btf.member_offset("mm_struct", "arg_end").unwrap(), a + 8);
        assert_eq!(btf.tracepoint_args("sys_exit"), Some(2));
        assert_eq!(btf.tracepoint_args("sched_process_exec"), Some(3));
        assert!(btf.member_offset("task_struct", "no_such_field").is_err());
    }
}
