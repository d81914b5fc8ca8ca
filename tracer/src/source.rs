//! Where events come from: the kernel's ring buffer, or a capture file (crate::capture) that
//! holds the same bytes. [`parse`] is the only place where record bytes become typed
//! values; the rest of the tracer reads [`Event`]s.
use thiserror::Error;
use tracer_common::{
    COMPACT_ARGS, COMPACT_SIZE, CompactRecord, RECORD_SIZE, Record, STR_SLOTS, StrMeta, kind,
    record_flags, str_status,
};

use crate::syscalls::Abi;

/// A string (or byte range) the kernel copied for one argument, borrowed from the record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Captured<'a> {
    pub arg: u8,
    pub status: u8,
    pub bytes: &'a [u8],
}

impl Captured<'_> {
    pub fn truncated(&self) -> bool {
        self.status == str_status::TRUNCATED
    }
    /// Not readable as what it should be: a fault, or a string without its NUL before an
    /// unreadable page ([`Captured::page_end`]).
    pub fn faulted(&self) -> bool {
        self.status == str_status::FAULT || self.status == str_status::PAGE_END
    }
    /// A string's bytes up to an unreadable page, without a NUL.
    pub fn page_end(&self) -> bool {
        self.status == str_status::PAGE_END
    }
}

/// The captured slots of a record, in slot order (no heap: at most STR_SLOTS).
#[derive(Clone, Copy, Debug, Default)]
pub struct Strs<'a> {
    items: [Captured<'a>; STR_SLOTS],
    len: usize,
}

impl<'a> std::ops::Deref for Strs<'a> {
    type Target = [Captured<'a>];
    fn deref(&self) -> &[Captured<'a>] {
        &self.items[..self.len]
    }
}

impl std::ops::DerefMut for Strs<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.items[..self.len]
    }
}

/// One record from the kernel; its strings borrow the record's bytes.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub rec: Record,
    pub strs: Strs<'a>,
}

impl<'a> Event<'a> {
    /// The ABI the record's number and arguments follow.
    pub fn abi(&self) -> Abi {
        Abi::of_flags(self.rec.flags)
    }

    /// The task's comm, as the kernel copied it (empty when comms are not collected).
    pub fn comm(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.comm_bytes())
    }

    /// The comm's bytes, up to its NUL.
    pub fn comm_bytes(&self) -> &[u8] {
        let c = &self.rec.comm;
        let end = c.iter().position(|b| *b == 0).unwrap_or(c.len());
        &c[..end]
    }

    /// The syscall number, in the ABI's table (rt_sigreturn's own, whose orig_ax is -1).
    pub fn nr(&self) -> i64 {
        if self.rec.flags & record_flags::SIGRETURN != 0 {
            i64::from(self.abi().rt_sigreturn())
        } else {
            i64::from(self.rec.nr)
        }
    }

    /// The captured string for argument `arg`, if the kernel copied one.
    pub fn str_for(&self, arg: usize) -> Option<&Captured<'a>> {
        self.strs.iter().find(|c| usize::from(c.arg) == arg)
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("record of {0} bytes is shorter than its header")]
    Short(usize),
    #[error("record's strings overrun it ({need} > {have} bytes)")]
    Overrun { need: usize, have: usize },
}

/// Parses one ring-buffer record (a compact one becomes the [`Record`] it stands for).
pub fn parse(bytes: &[u8]) -> Result<Event<'_>, ParseError> {
    if bytes.first() == Some(&kind::SYSCALL_COMPACT) {
        return parse_compact(bytes);
    }
    if bytes.len() < RECORD_SIZE {
        return Err(ParseError::Short(bytes.len()));
    }
    // SAFETY: the length was checked; Record is plain old data for which any bytes are valid,
    // and read_unaligned copes with the ring buffer's 8-byte alignment.
    let rec: Record = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<Record>()) };
    let mut off = RECORD_SIZE;
    let mut strs = Strs::default();
    for meta in rec.strs {
        if meta.status == str_status::ABSENT {
            continue;
        }
        let len = usize::from(meta.len);
        let end = off + len;
        if end > bytes.len() {
            return Err(ParseError::Overrun {
                need: end,
                have: bytes.len(),
            });
        }
        strs.items[strs.len] = Captured {
            arg: meta.arg,
            status: meta.status,
            bytes: &bytes[off..end],
        };
        strs.len += 1;
        off = end;
    }
    Ok(Event { rec, strs })
}

/// A [`kind::SYSCALL_COMPACT`] record: the fields it has, in a SYSCALL [`Record`].
fn parse_compact(bytes: &[u8]) -> Result<Event<'_>, ParseError> {
    if bytes.len() < COMPACT_SIZE {
        return Err(ParseError::Short(bytes.len()));
    }
    // SAFETY: as in `parse`; CompactRecord is plain old data too.
    let c: CompactRecord =
        unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<CompactRecord>()) };
    let mut rec = Record {
        kind: kind::SYSCALL,
        flags: c.flags,
        nr: c.nr,
        tgid: c.tgid,
        tid: c.tid,
        lost_before: c.lost_before,
        ts_ns: c.ts_ns,
        ret: c.ret,
        ..Default::default()
    };
    rec.args[..COMPACT_ARGS].copy_from_slice(&c.args);
    let mut strs = Strs::default();
    if c.slot_status != str_status::ABSENT {
        let end = COMPACT_SIZE + usize::from(c.slot_len);
        if end > bytes.len() {
            return Err(ParseError::Overrun {
                need: end,
                have: bytes.len(),
            });
        }
        rec.strs[0] = StrMeta {
            arg: c.slot_arg,
            status: c.slot_status,
            len: c.slot_len,
        };
        strs.items[0] = Captured {
            arg: c.slot_arg,
            status: c.slot_status,
            bytes: &bytes[COMPACT_SIZE..end],
        };
        strs.len = 1;
    }
    Ok(Event { rec, strs })
}

/// The kernel's ring buffer as a source: each record parsed and handed to `f` with its bytes
/// (for a capture), until the ring is empty (false) or a ring's worth was taken with more
/// to come (true), or `f` fails.
pub fn drain(
    ring: &mut crate::ring::Ring,
    mut f: impl FnMut(&[u8], Event) -> std::io::Result<()>,
) -> std::io::Result<bool> {
    // The event borrows the record in the ring: its space is given back after it is handled.
    ring.drain(|item| match parse(item) {
        Ok(ev) => f(item, ev),
        Err(e) => {
            eprintln!("tracer: skipping a malformed record: {e}");
            Ok(())
        }
    })
}

#[cfg(test)]
pub(crate) fn encode(rec: &Record, strs: &[&[u8]]) -> Vec<u8> {
    // SAFETY: Record is repr(C) plain data; viewing it as bytes is sound.
    let head =
        unsafe { std::slice::from_raw_parts(std::ptr::from_ref(rec).cast::<u8>(), RECORD_SIZE) };
    let mut v = head.to_vec();
    for s in strs {
        v.extend_from_slice(s);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracer_common::{StrMeta, kind};

    #[test]
    fn parses_strings_in_slot_order() {
        let mut rec = Record {
            kind: kind::SYSCALL,
            nr: 82,
            ..Default::default()
        };
        rec.strs[0] = StrMeta {
            arg: 0,
            status: str_status::OK,
            len: 3,
        };
        rec.strs[1] = StrMeta {
            arg: 1,
            status: str_status::TRUNCATED,
            len: 2,
        };
        let bytes = encode(&rec, &[b"abc", b"de"]);
        let ev = parse(&bytes).unwrap();
        assert_eq!(ev.str_for(0).unwrap().bytes, b"abc");
        assert!(ev.str_for(1).unwrap().truncated());
        assert!(ev.str_for(2).is_none());
    }

    #[test]
    fn rejects_short_and_overrun() {
        assert!(matches!(parse(&[0; 8]), Err(ParseError::Short(8))));
        let mut rec = Record::default();
        rec.strs[0] = StrMeta {
            arg: 0,
            status: str_status::OK,
            len: 10,
        };
        assert!(matches!(
            parse(&encode(&rec, &[b"abc"])),
            Err(ParseError::Overrun { .. })
        ));
    }

    /// A compact record as the kernel side packs it (tracer-ebpf `write_compact`: eight
    /// little-endian words) reads as the full SYSCALL record it stands for.
    #[test]
    fn compact_records_read_as_full_ones() {
        let words: [u64; 8] = [
            6 | (record_flags::COMPAT as u64) << 8
                | 1 << 16
                | (str_status::TRUNCATED as u64) << 24
                | (3u64 << 32),
            1000 | 1001 << 32,
            7 | 2 << 32,
            123_456,
            (-4i64) as u64,
            5,
            0x7fff_0000,
            9,
        ];
        let mut bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        bytes.extend_from_slice(b"hi\0\0\0\0\0\0");
        let ev = parse(&bytes).unwrap();
        let r = &ev.rec;
        assert_eq!(r.kind, kind::SYSCALL);
        assert_eq!(r.flags, record_flags::COMPAT);
        assert_eq!((r.nr, r.tgid, r.tid, r.lost_before), (3, 1000, 1001, 7));
        assert_eq!((r.ts_ns, r.ret), (123_456, -4));
        assert_eq!(r.args, [5, 0x7fff_0000, 9, 0, 0, 0]);
        assert_eq!(r.comm, [0; 16]);
        let c = ev.str_for(1).unwrap();
        assert_eq!(c.bytes, b"hi");
        assert!(c.truncated());
        assert_eq!(ev.strs.len(), 1);
        // Without a slot: no string; cut short or overrun: an error.
        bytes[3] = str_status::ABSENT;
        assert!(parse(&bytes).unwrap().strs.is_empty());
        assert!(matches!(parse(&bytes[..40]), Err(ParseError::Short(40))));
        bytes[3] = str_status::OK;
        bytes[20] = 200;
        assert!(matches!(parse(&bytes), Err(ParseError::Overrun { .. })));
    }
}
