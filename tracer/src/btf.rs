//! A small reader of the kernel's BTF (/sys/kernel/btf/vmlinux): just enough to find the byte
//! offset of a struct member (through anonymous members) and a tracepoint's argument count,
//! so the kernel side can read task_struct, mm_struct and linux_binprm fields on any kernel.
use std::collections::HashMap;

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

#[derive(Debug)]
struct Type {
    name: u32,
    kind: u32,
    kind_flag: bool,
    vlen: u32,
    size_or_type: u32,
    /// Members (name, type, bit offset) for structs/unions; params (name, type, 0) for protos.
    members: Vec<(u32, u32, u32)>,
}

pub struct Btf {
    types: Vec<Type>,
    strings: Vec<u8>,
    by_name: HashMap<String, Vec<u32>>,
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
        Self::parse(&data)
    }

    pub fn parse(d: &[u8]) -> Result<Self, BtfError> {
        if d.len() < 24 || d[0..2] != [0x9f, 0xeb] {
            return Err(BtfError::Malformed("bad magic"));
        }
        let hdr_len = u32_at(d, 4)? as usize;
        let type_off = hdr_len + u32_at(d, 8)? as usize;
        let type_len = u32_at(d, 12)? as usize;
        let str_off = hdr_len + u32_at(d, 16)? as usize;
        let str_len = u32_at(d, 20)? as usize;
        let strings = d
            .get(str_off..str_off + str_len)
            .ok_or(BtfError::Malformed("strings"))?
            .to_vec();
        let mut types = vec![Type {
            name: 0,
            kind: 0,
            kind_flag: false,
            vlen: 0,
            size_or_type: 0,
            members: vec![],
        }];
        let mut p = type_off;
        let end = type_off + type_len;
        while p < end {
            let name = u32_at(d, p)?;
            let info = u32_at(d, p + 4)?;
            let size_or_type = u32_at(d, p + 8)?;
            p += 12;
            let kind = (info >> 24) & 0x1f;
            let vlen = info & 0xffff;
            let mut members = Vec::new();
            match kind {
                1 | 14 | 17 => p += 4,
                3 => p += 12,
                KIND_STRUCT | KIND_UNION => {
                    for _ in 0..vlen {
                        members.push((u32_at(d, p)?, u32_at(d, p + 4)?, u32_at(d, p + 8)?));
                        p += 12;
                    }
                }
                6 => p += 8 * vlen as usize,
                KIND_FUNC_PROTO => {
                    for _ in 0..vlen {
                        members.push((u32_at(d, p)?, u32_at(d, p + 4)?, 0));
                        p += 8;
                    }
                }
                15 | 19 => p += 12 * vlen as usize,
                _ => {}
            }
            types.push(Type {
                name,
                kind,
                kind_flag: info >> 31 != 0,
                vlen,
                size_or_type,
                members,
            });
        }
        let mut btf = Btf {
            types,
            strings,
            by_name: HashMap::new(),
        };
        for (id, t) in btf.types.iter().enumerate() {
            if t.name != 0 {
                let n = btf.str_at(t.name).to_string();
                btf.by_name.entry(n).or_default().push(id as u32);
            }
        }
        Ok(btf)
    }

    fn str_at(&self, off: u32) -> &str {
        let s = &self.strings[(off as usize).min(self.strings.len())..];
        let end = s.iter().position(|b| *b == 0).unwrap_or(s.len());
        std::str::from_utf8(&s[..end]).unwrap_or("")
    }

    fn find(&self, name: &str, kinds: &[u32]) -> Option<&Type> {
        self.by_name
            .get(name)?
            .iter()
            .map(|id| &self.types[*id as usize])
            .find(|t| kinds.contains(&t.kind))
    }

    fn skip_mods(&self, mut id: u32) -> &Type {
        loop {
            let t = &self.types[(id as usize).min(self.types.len() - 1)];
            match t.kind {
                KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG => {
                    id = t.size_or_type
                }
                _ => return t,
            }
        }
    }

    fn member_in(&self, t: &Type, member: &str) -> Option<u32> {
        for &(name, ty, off) in &t.members {
            let bits = if t.kind_flag { off & 0xff_ffff } else { off };
            if name != 0 && self.str_at(name) == member {
                return Some(bits / 8);
            }
            if name == 0 {
                let inner = self.skip_mods(ty);
                if matches!(inner.kind, KIND_STRUCT | KIND_UNION)
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
            .find(name, &[KIND_STRUCT])
            .ok_or_else(|| BtfError::NoStruct(name.into()))?;
        self.member_in(t, member)
            .ok_or_else(|| BtfError::NoMember(name.into(), member.into()))
    }

    /// Number of arguments of a tracepoint (`btf_trace_<name>` minus its context pointer).
    pub fn tracepoint_args(&self, tp: &str) -> Option<usize> {
        let t = self.find(&format!("btf_trace_{tp}"), &[KIND_TYPEDEF])?;
        let ptr = &self.types[t.size_or_type as usize];
        if ptr.kind != KIND_PTR {
            return None;
        }
        let proto = &self.types[ptr.size_or_type as usize];
        (proto.kind == KIND_FUNC_PROTO).then(|| (proto.vlen as usize).saturating_sub(1))
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
