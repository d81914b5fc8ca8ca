//! JSON lines: one object per call, exit, gap, diagnosis or watch interval (schema in
//! README.md). Written straight into the output buffer, keys in sorted order (the order
//! `serde_json` maps give, kept so that consumers see the same bytes as before).
use std::io::Write as _;

use super::{Call, Cut, Exit, ExitStatus, FdInfo, Printer, Signal, WatchStats};
use crate::{
    decimal::{self, Decimal},
    fds::Origin,
    watch::Watch,
};

/// The JSON printer. It keeps the last few fd values it rendered: a busy process uses the same
/// few fds over and over, and their `{"name":…,"origin":{…}}` is a third of a line's work.
#[derive(Default)]
pub struct Json {
    fd_cache: [Option<(FdInfo, Vec<u8>)>; FD_CACHE],
    next: usize,
    /// The last command name rendered, and its JSON string (a UTF-8 check and an escape pass
    /// saved on every line of the same process).
    comm: (Vec<u8>, Vec<u8>),
    /// The last lines rendered, up to their time: a busy loop repeats the same few calls with
    /// the same arguments and results, and their lines differ only in `time_ns`.
    repeats: [Repeat; REPEATS],
    next_repeat: usize,
}

/// Lines kept for repeats (dd alternates two calls; a server loop a few more).
const REPEATS: usize = 4;

/// A rendered line up to `"time_ns":`, and everything it was rendered from. A call's line is
/// kept only once its numbers (task, syscall, raw arguments, result) were seen before: a
/// call that does not repeat costs a copy of those alone.
#[derive(Default)]
struct Repeat {
    /// Whether the fields after the numbers and the text are kept too.
    whole: bool,
    tgid: u32,
    tid: u32,
    nr: i32,
    abi: Option<crate::syscalls::Abi>,
    ret: i64,
    errno: Option<&'static str>,
    raw_args: Vec<u64>,
    comm: Vec<u8>,
    args: String,
    ret_text: String,
    /// Each string's argument slot and bytes, end to end in `bytes`.
    strings: Vec<(u8, usize)>,
    bytes: Vec<u8>,
    fds: Vec<FdInfo>,
    /// The line up to and with `"time_ns":`.
    text: Vec<u8>,
}

/// Whether two fd values render the same (names are shared `Rc`s from the fd table: the same
/// entry has the same pointer).
fn same_fd(a: &FdInfo, b: &FdInfo) -> bool {
    a.fd == b.fd
        && match (&a.name, &b.name) {
            (Some(x), Some(y)) => std::rc::Rc::ptr_eq(x, y),
            (None, None) => true,
            _ => false,
        }
        && a.origin == b.origin
}

impl Repeat {
    /// Whether `c`'s line up to its time is this one's. Only calls whose line has nothing
    /// else (a match, a stack, tags, a duration, flags, a cut) are kept.
    fn renders(&self, c: &Call) -> bool {
        self.whole
            && self.numbers_of(c)
            && self.tgid == c.tgid
            && self.errno == c.errno
            && self.comm == c.comm
            && self.args == c.args
            && self.ret_text == c.ret_text
            && self.strings.len() == c.strings.len()
            && {
                let mut at = 0;
                self.strings.iter().zip(c.strings).all(|(&(arg, len), s)| {
                    let same = arg == s.arg && self.bytes.get(at..at + len) == Some(s.bytes);
                    at += len;
                    same
                })
            }
            && self.fds.len() == c.fds.len()
            && self.fds.iter().zip(c.fds).all(|(a, b)| same_fd(a, b))
    }

    /// Whether `c` has this line's task, syscall, raw arguments and result.
    fn numbers_of(&self, c: &Call) -> bool {
        self.abi == Some(c.abi)
            && self.tid == c.tid
            && self.nr == c.nr
            && self.ret == c.ret
            && self.raw_args == c.raw_args
    }

    fn keep_numbers(&mut self, c: &Call) {
        self.whole = false;
        self.tid = c.tid;
        self.nr = c.nr;
        self.abi = Some(c.abi);
        self.ret = c.ret;
        self.raw_args.clear();
        self.raw_args.extend_from_slice(c.raw_args);
    }

    fn keep(&mut self, c: &Call, text: &[u8]) {
        self.whole = true;
        self.tgid = c.tgid;
        self.errno = c.errno;
        self.comm.clear();
        self.comm.extend_from_slice(c.comm);
        self.args.clear();
        self.args.push_str(c.args);
        self.ret_text.clear();
        self.ret_text.push_str(c.ret_text);
        self.strings.clear();
        self.bytes.clear();
        for s in c.strings {
            self.strings.push((s.arg, s.bytes.len()));
            self.bytes.extend_from_slice(s.bytes);
        }
        self.fds.clear();
        self.fds.extend(c.fds.iter().cloned());
        self.text.clear();
        self.text.extend_from_slice(text);
    }
}

/// Whether a call's line is kept for repeats: nothing in it but the common fields.
fn repeatable(c: &Call) -> bool {
    c.matched.is_none()
        && c.hint.is_none()
        && c.stack.is_none()
        && c.tags.is_none()
        && c.cut.is_none()
        && c.tamper == 0
        && c.duration_ns.is_none()
}

/// Rendered fd values kept.
const FD_CACHE: usize = 4;

impl Json {
    /// `f`'s value, from the cache when the same fd was rendered with the same name and origin.
    fn fd_value(&mut self, out: &mut Vec<u8>, f: &FdInfo) {
        for (info, text) in self.fd_cache.iter().flatten() {
            if same_fd(info, f) {
                out.extend_from_slice(text);
                return;
            }
        }
        let start = out.len();
        fd_value(out, f);
        let slot = &mut self.fd_cache[self.next % FD_CACHE];
        self.next = self.next.wrapping_add(1);
        match slot {
            // Reuse the slot's buffer.
            Some((info, text)) => {
                info.clone_from(f);
                text.clear();
                text.extend_from_slice(&out[start..]);
            }
            None => *slot = Some((f.clone(), out[start..].to_vec())),
        }
    }
}

/// How a byte is written in a JSON string: 0 as itself, else the letter after the backslash
/// (`u` for `\u00XX`), as serde_json escapes it.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// A JSON string: `"` + the text escaped as serde_json escapes it + `"`. A byte at a time
/// through a table: the strings are short (the arguments' text, paths, data excerpts), and
/// their escapes dense (`"\\0"`), where copying plain runs whole costs a `memcpy` per run.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s.as_bytes());
    out.push(b'"');
}

/// `s`'s bytes (UTF-8), escaped: into room reserved for the worst case (six bytes each), so
/// that no byte checks the buffer's capacity.
fn escaped(out: &mut Vec<u8>, s: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() * 6);
    let room = out.spare_capacity_mut();
    let mut n = 0;
    for &c in s {
        match ESCAPE[usize::from(c)] {
            0 => {
                room[n].write(c);
                n += 1;
            }
            b'u' => {
                let e = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(c >> 4)],
                    HEX[usize::from(c & 0xf)],
                ];
                for (d, e) in room[n..n + 6].iter_mut().zip(e) {
                    d.write(e);
                }
                n += 6;
            }
            e => {
                room[n].write(b'\\');
                room[n + 1].write(e);
                n += 2;
            }
        }
    }
    let len = out.len() + n;
    // SAFETY: the `n` bytes after the old length were written above, inside the room
    // reserved (indexing checked them against it).
    unsafe { out.set_len(len) };
}

/// A string known to need no escaping (syscall, ABI and errno names): `"` + s + `"`.
fn name(out: &mut Vec<u8>, s: &str) {
    debug_assert!(s.bytes().all(|c| ESCAPE[usize::from(c)] == 0));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Bytes as a JSON string (invalid UTF-8 replaced, as `String::from_utf8_lossy` does).
fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b'"');
    // Each invalid sequence becomes one U+FFFD, as `from_utf8_lossy` replaces them (without
    // the copy it makes).
    if std::str::from_utf8(b).is_ok() {
        escaped(out, b);
    } else {
        for chunk in b.utf8_chunks() {
            escaped(out, chunk.valid().as_bytes());
            if !chunk.invalid().is_empty() {
                out.extend_from_slice("\u{fffd}".as_bytes());
            }
        }
    }
    out.push(b'"');
}

fn int(out: &mut Vec<u8>, v: impl Decimal) {
    decimal::push(out, v);
}

fn opt_int(out: &mut Vec<u8>, v: Option<impl Decimal>) {
    match v {
        Some(v) => int(out, v),
        None => out.extend_from_slice(b"null"),
    }
}

fn opt_str(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// `"key":`
fn key(out: &mut Vec<u8>, k: &str) {
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

fn origin(out: &mut Vec<u8>, o: Option<&Origin>) {
    let Some(o) = o else {
        out.extend_from_slice(b"null");
        return;
    };
    key_first(out, "peer");
    opt_str(out, o.peer.as_deref());
    out.extend_from_slice(b",\"syscall\":");
    string(out, o.syscall);
    out.extend_from_slice(b",\"tid\":");
    int(out, o.tid);
    out.extend_from_slice(b",\"time_ns\":");
    opt_int(out, o.time_ns);
    out.push(b'}');
}

/// `{"key":`
fn key_first(out: &mut Vec<u8>, k: &str) {
    out.push(b'{');
    key(out, k);
}

fn fd_value(out: &mut Vec<u8>, f: &FdInfo) {
    key_first(out, "name");
    opt_str(
        out,
        f.name.as_deref().map(crate::procfs::lossy_text).as_deref(),
    );
    out.extend_from_slice(b",\"origin\":");
    origin(out, f.origin.as_ref());
    out.push(b'}');
}

/// Whether `a` sorts before `b` as decimal strings (JSON object keys are sorted as text).
fn text_less(a: u64, b: u64) -> bool {
    let (mut x, mut y) = (itoa::Buffer::new(), itoa::Buffer::new());
    x.format(a) < y.format(b)
}

/// Sorts `keys` (at most a handful) by their decimal text, dropping earlier duplicates: a
/// map keeps the last value given for a key.
fn sort_keys<T: Copy>(keys: &mut [(u64, T)]) -> usize {
    // Insertion sort, stable: equal keys keep their order.
    for i in 1..keys.len() {
        let mut j = i;
        while j > 0 && text_less(keys[j].0, keys[j - 1].0) {
            keys.swap(j, j - 1);
            j -= 1;
        }
    }
    let mut n = 0;
    for i in 0..keys.len() {
        if i + 1 < keys.len() && keys[i + 1].0 == keys[i].0 {
            continue;
        }
        keys[n] = keys[i];
        n += 1;
    }
    n
}

/// Most fds or strings a call lists (6 arguments, a result, a matched fd; 4 slots).
const MAX_KEYS: usize = 8;

fn fds(json: &mut Json, out: &mut Vec<u8>, c: &Call) {
    let mut keys = [(0u64, None::<&FdInfo>); MAX_KEYS];
    let mut n = 0;
    for f in c.fds.iter().take(MAX_KEYS - 1) {
        keys[n] = (f.fd as u64, Some(f));
        n += 1;
    }
    // The fd the matched data moved through, whether or not the call lists it.
    if let Some(m) = c.matched
        && !c.fds.iter().any(|f| f.fd == m.fd.fd)
    {
        keys[n] = (m.fd.fd as u64, Some(&m.fd));
        n += 1;
    }
    object(out, &mut keys[..n], |out, f| {
        if let Some(f) = f {
            json.fd_value(out, f);
        }
    });
}

/// An object with integer keys, in text order (a map keeps the last value of a key).
fn object<T: Copy>(
    out: &mut Vec<u8>,
    keys: &mut [(u64, T)],
    mut value: impl FnMut(&mut Vec<u8>, T),
) {
    let n = sort_keys(keys);
    out.push(b'{');
    for (i, (k, v)) in keys[..n].iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        int(out, *k);
        out.extend_from_slice(b"\":");
        value(out, *v);
    }
    out.push(b'}');
}

fn strings(out: &mut Vec<u8>, c: &Call) {
    let mut keys = [(0u64, &[][..]); MAX_KEYS];
    let mut n = 0;
    for s in c.strings.iter().take(MAX_KEYS) {
        keys[n] = (u64::from(s.arg), s.bytes);
        n += 1;
    }
    object(out, &mut keys[..n], bytes);
}

impl Printer for Json {
    fn call(&mut self, c: &Call, out: &mut Vec<u8>) {
        let repeatable = repeatable(c);
        if repeatable && let Some(r) = self.repeats.iter().find(|r| r.renders(c)) {
            out.extend_from_slice(&r.text);
            opt_int(out, c.wall_ns);
            out.extend_from_slice(b",\"type\":\"syscall\"}\n");
            return;
        }
        let start = out.len();
        out.reserve(512 + c.args.len() + c.strings.iter().map(|s| s.bytes.len()).sum::<usize>());
        key_first(out, "abi");
        name(out, c.abi.name());
        out.extend_from_slice(b",\"args\":");
        out.push(b'[');
        for (i, a) in c.raw_args.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            int(out, *a);
        }
        out.extend_from_slice(b"],\"args_text\":");
        string(out, c.args);
        if let Some(t) = c.tags {
            out.extend_from_slice(b",\"cgroup_id\":");
            opt_int(out, t.cgroup_id);
        }
        out.extend_from_slice(b",\"comm\":");
        if self.comm.0 != c.comm || self.comm.1.is_empty() {
            self.comm.0.clear();
            self.comm.0.extend_from_slice(c.comm);
            self.comm.1.clear();
            bytes(&mut self.comm.1, c.comm);
        }
        out.extend_from_slice(&self.comm.1);
        if let Some(t) = c.tags {
            out.extend_from_slice(b",\"container_id\":");
            match &t.container {
                Some(id) => name(out, id),
                None => out.extend_from_slice(b"null"),
            }
        }
        if c.tamper & tracer_common::record_flags::DELAYED != 0 {
            out.extend_from_slice(b",\"delayed\":true");
        }
        if c.cut == Some(Cut::Detached) {
            out.extend_from_slice(b",\"detached\":true");
        }
        out.extend_from_slice(b",\"duration_ns\":");
        opt_int(out, c.duration_ns);
        out.extend_from_slice(b",\"errno\":");
        match c.errno {
            Some(e) => name(out, e),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"fds\":");
        fds(self, out, c);
        if c.tamper & tracer_common::record_flags::INJECTED != 0 {
            out.extend_from_slice(b",\"injected\":true");
        }
        out.push(b',');
        if let Some(m) = c.matched {
            key(out, "match");
            key_first(out, "excerpt");
            string(out, &m.excerpt);
            out.extend_from_slice(b",\"offset\":");
            int(out, m.offset);
            out.extend_from_slice(b",\"pattern\":");
            string(out, &m.pattern);
            out.extend_from_slice(b"},");
        }
        key(out, "name");
        name(out, c.name);
        out.extend_from_slice(b",\"nr\":");
        int(out, c.nr);
        if let Some(t) = c.tags {
            out.extend_from_slice(b",\"nspid\":");
            opt_int(out, t.nspid);
            out.extend_from_slice(b",\"nstid\":");
            opt_int(out, t.nstid);
        }
        out.extend_from_slice(b",\"pid\":");
        int(out, c.tgid);
        out.extend_from_slice(b",\"ret\":");
        int(out, c.ret);
        out.extend_from_slice(b",\"ret_text\":");
        string(out, c.ret_text);
        if let Some(frames) = c.stack {
            out.extend_from_slice(b",\"stack\":[");
            for (i, f) in frames.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, f);
            }
            out.push(b']');
        }
        out.extend_from_slice(b",\"strings\":");
        strings(out, c);
        out.extend_from_slice(b",\"tid\":");
        int(out, c.tid);
        out.extend_from_slice(b",\"time_ns\":");
        if repeatable {
            // The whole line once its numbers repeat; else the numbers, in the oldest slot.
            match self.repeats.iter_mut().find(|r| r.numbers_of(c)) {
                Some(r) => r.keep(c, &out[start..]),
                None => {
                    self.repeats[self.next_repeat % REPEATS].keep_numbers(c);
                    self.next_repeat = self.next_repeat.wrapping_add(1);
                }
            }
        }
        opt_int(out, c.wall_ns);
        out.extend_from_slice(b",\"type\":\"syscall\"");
        if c.cut == Some(Cut::Unfinished) {
            out.extend_from_slice(b",\"unfinished\":true");
        }
        out.extend_from_slice(b"}\n");
        if let (Some(h), Some(errno)) = (c.hint, c.errno) {
            key_first(out, "errno");
            string(out, errno);
            out.extend_from_slice(b",\"pid\":");
            int(out, c.tgid);
            out.extend_from_slice(b",\"syscall\":");
            string(out, c.name);
            out.extend_from_slice(b",\"text\":");
            string(out, h);
            out.extend_from_slice(b",\"type\":\"hint\"}\n");
        }
    }

    fn exit(&mut self, e: &Exit, out: &mut Vec<u8>) {
        let s = match e.code {
            super::EXIT_UNKNOWN => ExitStatus {
                code: None,
                signal: None,
                core_dumped: false,
            },
            c => ExitStatus::of(c),
        };
        key_first(out, "code");
        opt_int(out, s.code);
        out.extend_from_slice(b",\"core_dumped\":");
        out.extend_from_slice(if s.core_dumped { b"true" } else { b"false" });
        if e.record_lost {
            out.extend_from_slice(b",\"exit_record_lost\":true");
        }
        out.extend_from_slice(b",\"pid\":");
        int(out, e.tgid);
        out.extend_from_slice(b",\"signal\":");
        opt_str(out, s.signal.as_deref());
        out.extend_from_slice(b",\"tid\":");
        int(out, e.tid);
        out.extend_from_slice(b",\"time_ns\":");
        opt_int(out, e.wall_ns);
        out.extend_from_slice(b",\"type\":\"exit\"}\n");
    }

    fn signal(&mut self, s: &Signal, out: &mut Vec<u8>) {
        key_first(out, "action");
        name(out, s.action);
        out.extend_from_slice(b",\"info\":");
        string(out, s.info);
        out.extend_from_slice(b",\"pid\":");
        int(out, s.tgid);
        out.extend_from_slice(b",\"signal\":");
        name(out, s.name);
        out.extend_from_slice(b",\"tid\":");
        int(out, s.tid);
        out.extend_from_slice(b",\"time_ns\":");
        opt_int(out, s.wall_ns);
        out.extend_from_slice(b",\"type\":\"signal\"}\n");
    }

    fn lost(&mut self, count: u64, out: &mut Vec<u8>) {
        let _ = writeln!(out, "{{\"count\":{count},\"type\":\"lost\"}}");
    }

    fn watch(&mut self, w: &Watch, s: &WatchStats, out: &mut Vec<u8>) {
        out.extend_from_slice(w.render_json(s.now_ns, s.events, s.lost).as_bytes());
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_serde_json_does() {
        let ascii: String = (0u8..128).map(char::from).collect();
        for s in [
            "plain",
            "q\"b\\s",
            "\u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f}",
            "é ü 日本",
            "",
            &ascii,
        ] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }

    #[test]
    fn bytes_replace_invalid_utf8_as_from_utf8_lossy_does() {
        for b in [
            &b"plain"[..],
            b"\xff",
            b"a\xc3\x28b",
            b"\xe2\x82",
            b"\xf0\x9f\x98\x80 ok \xf0\x9f",
            b"\x00\xed\xa0\x80\"",
        ] {
            let mut out = Vec::new();
            bytes(&mut out, b);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&String::from_utf8_lossy(b)).unwrap()
            );
        }
    }

    #[test]
    fn keys_sort_as_text_and_keep_the_last_duplicate() {
        let mut k = [(5, 'a'), (10, 'b'), (5, 'c'), (1, 'd')];
        let n = sort_keys(&mut k);
        assert_eq!(&k[..n], [(1, 'd'), (10, 'b'), (5, 'c')]);
    }

    /// A line rendered from the repeat cache is the line a fresh printer renders, whichever
    /// field of a repeating call changes.
    #[test]
    fn repeated_calls_render_as_fresh_ones() {
        use crate::{output::Captured, syscalls::Abi};
        use std::rc::Rc;
        let (dev_null, other): (Rc<str>, Rc<str>) = ("/dev/null".into(), "/dev/null".into());
        let origin = Origin {
            syscall: "dup2",
            tid: 7,
            time_ns: Some(5),
            peer: None,
        };
        let fd = |name: &Rc<str>, origin: Option<Origin>| FdInfo {
            fd: 1,
            name: Some(name.clone()),
            origin,
        };
        let fds = [fd(&dev_null, Some(origin.clone()))];
        let fds_other_name = [fd(&other, Some(origin.clone()))];
        let fds_other_origin = [fd(
            &dev_null,
            Some(Origin {
                tid: 8,
                ..origin.clone()
            }),
        )];
        let data = [Captured {
            arg: 1,
            status: 0,
            bytes: b"\0",
        }];
        let data2 = [Captured {
            arg: 1,
            status: 0,
            bytes: b"x",
        }];
        let args = [1, 0x5600_0000_1000, 1, 0x7f00_0000_2000, 0, 0];
        let args2 = [1, 0x5600_0000_1000, 2, 0x7f00_0000_2000, 0, 0];
        let base = Call {
            prefix: "",
            tgid: 7,
            tid: 7,
            comm: b"dd",
            abi: Abi::X86_64,
            nr: 1,
            name: "write",
            raw_args: &args,
            args: "1, \"\\0\", 1",
            strings: &data,
            ret: 1,
            ret_text: "1",
            errno: None,
            wall_ns: Some(1_795_761_895_677_358_302),
            duration_ns: None,
            fds: &fds,
            matched: None,
            hint: None,
            dump: None,
            cut: None,
            ip: None,
            stack: None,
            tags: None,
            tamper: 0,
        };
        let variants = [
            Call { ..base },
            Call {
                wall_ns: Some(1_795_761_895_677_358_999),
                ..base
            },
            Call {
                raw_args: &args2,
                ..base
            },
            Call {
                args: "1, \"x\", 1",
                ..base
            },
            Call {
                strings: &data2,
                ..base
            },
            Call {
                strings: &[],
                ..base
            },
            Call {
                ret_text: "1 (one)",
                ..base
            },
            Call {
                errno: Some("EIO"),
                ..base
            },
            Call {
                comm: b"dd2",
                ..base
            },
            Call { tgid: 8, ..base },
            Call {
                fds: &fds_other_name,
                ..base
            },
            Call {
                fds: &fds_other_origin,
                ..base
            },
            Call { fds: &[], ..base },
            Call {
                duration_ns: Some(3),
                ..base
            },
            Call {
                tamper: tracer_common::record_flags::INJECTED,
                ..base
            },
            Call {
                cut: Some(Cut::Unfinished),
                ..base
            },
            Call {
                wall_ns: None,
                ..base
            },
        ];
        let mut cached = Json::default();
        let mut hits = 0;
        // Each variant after the base call, repeated (the second sighting keeps the line, the
        // third renders from it), then the base again.
        for v in &variants {
            for c in [&base, &base, &base, v, v, v, v, &base] {
                let mut got = Vec::new();
                cached.call(c, &mut got);
                let mut want = Vec::new();
                Json::default().call(c, &mut want);
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(want).unwrap()
                );
                hits += usize::from(cached.repeats.iter().any(|r| r.renders(c)));
            }
        }
        // The cache was used, or this test tests nothing.
        assert!(hits > variants.len() * 4, "{hits}");
    }
}
