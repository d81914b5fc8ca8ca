//! strace's text format: `[pid N] 12:34:56 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`,
//! with the lines that follow a call (`--match` details, diagnoses, `-e read=` dumps).
use std::io::Write as _;

use super::{Call, Exit, ExitStatus, Printer, Signal, WatchStats, clock_text, time_of_day};
use crate::{config::TimeFormat, matching, watch::Watch};

/// Rows of the watch table shown.
const WATCH_ROWS: usize = 40;

/// What the text printer shows besides the call (strace's flags).
#[derive(Clone, Copy, Debug)]
pub struct TextFlags {
    /// `-t`/`-tt`/`-ttt`, `--absolute-timestamps`, with digits after the second.
    pub time: TimeFormat,
    pub time_digits: u8,
    /// `-r`.
    pub relative: bool,
    pub relative_digits: u8,
    /// `-T`.
    pub durations: bool,
    pub duration_digits: u8,
    pub fd_origin: bool,
    /// `-n`: `[ 257] ` before the call, as strace prints it.
    pub numbers: bool,
    /// `-i`: `[00007f0c1a2b3c4d] ` before the call.
    pub ip: bool,
    /// The column results are aligned at (strace's -a, default 40; 0: none).
    pub columns: usize,
}

pub struct Text {
    f: TextFlags,
    last_ns: Option<u64>,
}

/// `secs.fraction` with `digits` (0, 3, 6, 9) after the point; no point for 0.
pub fn seconds(out: &mut Vec<u8>, ns: u64, digits: u8) {
    let _ = write!(out, "{}", ns / 1_000_000_000);
    fraction(out, ns, digits);
}

/// `.fraction` of `ns`'s second with `digits` digits; nothing for 0.
fn fraction(out: &mut Vec<u8>, ns: u64, digits: u8) {
    if digits > 0 {
        let frac = ns % 1_000_000_000 / 10u64.pow(9 - u32::from(digits));
        let _ = write!(out, ".{frac:0w$}", w = usize::from(digits));
    }
}

impl Text {
    pub fn new(f: TextFlags) -> Self {
        Self { f, last_ns: None }
    }

    /// `-n`: the syscall number, `[ 257] ` (strace also puts the number of the call a task
    /// ended in before its exit line).
    fn number(&self, out: &mut Vec<u8>, nr: i32) {
        if self.f.numbers {
            let _ = write!(out, "[{nr:>4}] ");
        }
    }

    /// `-i`: the instruction pointer, or strace's question marks where there is none.
    fn ip(&self, out: &mut Vec<u8>, ip: Option<u64>) {
        if self.f.ip {
            match ip {
                Some(ip) => {
                    let _ = write!(out, "[{ip:016x}] ");
                }
                None => out.extend_from_slice(b"[????????????????] "),
            }
        }
    }

    /// `-r`, `-t`/`-tt`/`-ttt` before the call.
    fn stamp(&mut self, out: &mut Vec<u8>, wall_ns: Option<u64>) {
        let Some(ns) = wall_ns else {
            return;
        };
        match self.f.time {
            TimeFormat::None => {}
            TimeFormat::Unix => seconds(out, ns, self.f.time_digits),
            TimeFormat::Clock => {
                out.extend_from_slice(time_of_day(ns, self.f.time_digits).as_bytes());
            }
        }
        if self.f.relative {
            // With a time of day too: `12:34:56 (+     0.000123) `, as strace.
            let both = self.f.time != TimeFormat::None;
            out.extend_from_slice(if both { b" (+" } else { b"" });
            let d = self.last_ns.map(|l| ns.saturating_sub(l)).unwrap_or(0);
            let _ = write!(out, "{:>6}", d / 1_000_000_000);
            fraction(out, d, self.f.relative_digits);
            if both {
                out.push(b')');
            }
            self.last_ns = Some(ns);
        }
        if self.f.relative || self.f.time != TimeFormat::None {
            out.push(b' ');
        }
    }

    /// What starts every line: prefix, times, number, instruction pointer.
    #[inline]
    fn lead(
        &mut self,
        out: &mut Vec<u8>,
        prefix: &str,
        wall_ns: Option<u64>,
        nr: i32,
        ip: Option<u64>,
    ) {
        out.extend_from_slice(prefix.as_bytes());
        self.stamp(out, wall_ns);
        self.number(out, nr);
        self.ip(out, ip);
    }
}

impl Printer for Text {
    fn call(&mut self, c: &Call, out: &mut Vec<u8>) {
        let start = out.len();
        self.lead(out, c.prefix, c.wall_ns, c.nr, c.ip);
        out.extend_from_slice(c.name.as_bytes());
        out.push(b'(');
        out.extend_from_slice(c.args.as_bytes());
        if let Some(cut) = c.cut {
            let _ = writeln!(out, " <{} ...>", cut.word());
            return;
        }
        out.push(b')');
        // strace's alignment: the result at column 40 when the call is shorter.
        let col = out.len() - start;
        if col < self.f.columns {
            out.resize(start + self.f.columns, b' ');
            out.extend_from_slice(b"= ");
        } else {
            out.extend_from_slice(b" = ");
        }
        out.extend_from_slice(c.ret_text.as_bytes());
        if self.f.fd_origin {
            for f in c.fds {
                if let Some(o) = &f.origin {
                    let _ = write!(out, " /* fd {}: {}()", f.fd, o.syscall);
                    if let Some(t) = o.time_ns {
                        let _ = write!(out, " at {}", clock_text(t));
                    }
                    if o.tid != c.tid {
                        let _ = write!(out, " by {}", o.tid);
                    }
                    if let Some(p) = &o.peer {
                        let _ = write!(out, ", peer {p}");
                    }
                    out.extend_from_slice(b" */");
                }
            }
        }
        if self.f.durations
            && let Some(d) = c.duration_ns
        {
            out.extend_from_slice(b" <");
            seconds(out, d, self.f.duration_digits);
            out.push(b'>');
        }
        out.push(b'\n');
        if let (Some(h), Some(errno)) = (c.hint, c.errno) {
            let _ = writeln!(out, "{}  ^ {errno}: {h}", c.prefix);
        }
        if let Some(m) = c.matched {
            let p = c.prefix;
            let _ = writeln!(
                out,
                "{p}  > matched {:?} at byte {}: {}",
                m.pattern, m.offset, m.excerpt
            );
            let _ = write!(out, "{p}  ^ fd {}", m.fd.fd);
            if let Some(n) = &m.fd.name {
                let _ = write!(out, " <{n}>");
            }
            match &m.fd.origin {
                Some(o) => {
                    let _ = write!(out, " from {}()", o.syscall);
                    if let Some(t) = o.time_ns {
                        let _ = write!(out, " at {}", clock_text(t));
                    }
                    if let Some(peer) = &o.peer {
                        let _ = write!(out, ", peer {peer}");
                    }
                }
                None => out.extend_from_slice(b" existed before the trace started"),
            }
            out.push(b'\n');
        }
        if let Some(d) = c.dump {
            match d.iov {
                // ` * 3 bytes in buffer 0` before each buffer's part of the data.
                Some(iov) => {
                    let mut rest = d.data;
                    let split = crate::decode::io::iov_split(iov, d.total, d.cap);
                    for (k, (moved, copied)) in split.enumerate() {
                        let (head, tail) = rest.split_at(copied.min(rest.len()));
                        rest = tail;
                        // Past what the call moved, a buffer's copy is not its data.
                        let head = &head[..head.len().min(moved as usize)];
                        // The data ends in this buffer: none after it.
                        if head.is_empty() {
                            break;
                        }
                        let _ = writeln!(out, " * {} bytes in buffer {k}", head.len());
                        out.extend_from_slice(matching::hexdump(head).as_bytes());
                    }
                }
                None => out.extend_from_slice(matching::hexdump(d.data).as_bytes()),
            }
        }
        for f in c.stack.unwrap_or_default() {
            let _ = writeln!(out, "{} > {f}", c.prefix);
        }
    }

    fn exit(&mut self, e: &Exit, out: &mut Vec<u8>) {
        self.lead(out, e.prefix, e.wall_ns, e.nr, None);
        if e.code == super::EXIT_UNKNOWN {
            let _ = writeln!(out, "+++ exited (exit record lost; status unknown) +++");
            return;
        }
        if e.record_lost {
            let s = ExitStatus::of(e.code);
            let _ = match (s.code, s.signal) {
                (Some(code), _) => writeln!(
                    out,
                    "+++ exited with {code} +++ <exit record lost; status from waitpid>"
                ),
                (None, sig) => writeln!(
                    out,
                    "+++ killed by {} +++ <exit record lost; status from waitpid>",
                    sig.unwrap_or_default()
                ),
            };
            return;
        }
        let s = ExitStatus::of(e.code);
        let _ = match (s.code, s.signal) {
            (Some(code), _) => writeln!(out, "+++ exited with {code} +++"),
            (None, Some(sig)) if s.core_dumped => {
                writeln!(out, "+++ killed by {sig} (core dumped) +++")
            }
            (None, sig) => writeln!(out, "+++ killed by {} +++", sig.unwrap_or_default()),
        };
    }

    fn signal(&mut self, s: &Signal, out: &mut Vec<u8>) {
        self.lead(out, s.prefix, s.wall_ns, s.nr, s.ip);
        let _ = writeln!(out, "--- {} {} ---", s.name, s.info);
    }

    fn lost(&mut self, count: u64, out: &mut Vec<u8>) {
        let _ = writeln!(
            out,
            "<... {count} records lost here: the ring buffer was full; try --buffer-size or a narrower -e trace= ...>"
        );
    }

    fn watch(&mut self, w: &Watch, s: &WatchStats, out: &mut Vec<u8>) {
        let table = w.render(s.now_ns, s.events, s.lost, WATCH_ROWS, s.hints);
        if s.redraw {
            // Like top: redraw in place.
            out.extend_from_slice(b"\x1b[H\x1b[2J");
            out.extend_from_slice(table.as_bytes());
        } else {
            out.extend_from_slice(table.as_bytes());
            out.push(b'\n');
        }
    }
}
