//! JSON lines: one object per call, exit, gap, diagnosis or watch interval (schema in
//! README.md). Written straight into the output buffer, keys in sorted order (the order
//! `serde_json` maps give, kept so that consumers see the same bytes as before).
use std::io::Write as _;

use super::{Call, Exit, ExitStatus, FdInfo, Printer, WatchStats};
use crate::{fds::Origin, watch::Watch};

pub struct Json;

/// Bytes a JSON string escapes: control characters, `"` and `\\`.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A JSON string: `"` + the text escaped as serde_json escapes it + `"`.
fn string(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s.as_bytes();
    // Runs of plain bytes are copied whole; most strings have no byte to escape.
    while let Some(i) = rest.iter().position(|c| ESCAPED[usize::from(*c)]) {
        out.extend_from_slice(&rest[..i]);
        let c = rest[i];
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => b"",
        };
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(c >> 4)]);
            out.push(HEX[usize::from(c & 0xf)]);
        } else {
            out.extend_from_slice(esc);
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Bytes as a JSON string (invalid UTF-8 replaced, as `String::from_utf8_lossy` does).
fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    match std::str::from_utf8(b) {
        Ok(s) => string(out, s),
        Err(_) => string(out, &String::from_utf8_lossy(b)),
    }
}

fn int(out: &mut Vec<u8>, v: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

fn opt_int(out: &mut Vec<u8>, v: Option<impl itoa::Integer>) {
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
    opt_str(out, f.name.as_deref());
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

fn fds(out: &mut Vec<u8>, c: &Call) {
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
            fd_value(out, f);
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
        out.reserve(512 + c.args.len() + c.strings.iter().map(|s| s.bytes.len()).sum::<usize>());
        key_first(out, "abi");
        string(out, c.abi.name());
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
        out.extend_from_slice(b",\"comm\":");
        bytes(out, c.comm);
        out.extend_from_slice(b",\"duration_ns\":");
        opt_int(out, c.duration_ns);
        out.extend_from_slice(b",\"errno\":");
        opt_str(out, c.errno);
        out.extend_from_slice(b",\"fds\":");
        fds(out, c);
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
        string(out, c.name);
        out.extend_from_slice(b",\"nr\":");
        int(out, c.nr);
        out.extend_from_slice(b",\"pid\":");
        int(out, c.tgid);
        out.extend_from_slice(b",\"ret\":");
        int(out, c.ret);
        out.extend_from_slice(b",\"ret_text\":");
        string(out, c.ret_text);
        out.extend_from_slice(b",\"strings\":");
        strings(out, c);
        out.extend_from_slice(b",\"tid\":");
        int(out, c.tid);
        out.extend_from_slice(b",\"time_ns\":");
        opt_int(out, c.wall_ns);
        out.extend_from_slice(b",\"type\":\"syscall\"}\n");
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
        let s = ExitStatus::of(e.code);
        key_first(out, "code");
        opt_int(out, s.code);
        out.extend_from_slice(b",\"core_dumped\":");
        out.extend_from_slice(if s.core_dumped { b"true" } else { b"false" });
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
        for s in [
            "plain",
            "q\"b\\s",
            "\u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f}",
            "é ü 日本",
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
    fn keys_sort_as_text_and_keep_the_last_duplicate() {
        let mut k = [(5, 'a'), (10, 'b'), (5, 'c'), (1, 'd')];
        let n = sort_keys(&mut k);
        assert_eq!(&k[..n], [(1, 'd'), (10, 'b'), (5, 'c')]);
    }
}
