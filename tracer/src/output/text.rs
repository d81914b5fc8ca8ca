//! strace's text format: `[pid N] 12:34:56 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`,
//! with the lines that follow a call (`--match` details, diagnoses, `-e read=` dumps).
use std::io::Write as _;

use super::{Call, Exit, ExitStatus, Printer, Signal, WatchStats, clock_text, time_of_day};
use crate::{config::TimeFormat, matching, watch::Watch};

/// Rows of the watch table shown.
const WATCH_ROWS: usize = 40;

pub struct Text {
    time: TimeFormat,
    relative: bool,
    durations: bool,
    fd_origin: bool,
    /// `-n`: `[ 257] ` before the call, as strace prints it.
    numbers: bool,
    last_ns: Option<u64>,
}

impl Text {
    pub fn new(
        time: TimeFormat,
        relative: bool,
        durations: bool,
        fd_origin: bool,
        numbers: bool,
    ) -> Self {
        Self {
            time,
            relative,
            durations,
            fd_origin,
            numbers,
            last_ns: None,
        }
    }

    /// `-n`: the syscall number, `[ 257] ` (strace also puts the number of the call a task
    /// ended in before its exit line).
    fn number(&self, out: &mut Vec<u8>, nr: i32) {
        if self.numbers {
            let _ = write!(out, "[{nr:>4}] ");
        }
    }

    /// `-r`, `-t`/`-tt`/`-ttt` before the call.
    fn stamp(&mut self, out: &mut Vec<u8>, wall_ns: Option<u64>) {
        let Some(ns) = wall_ns else {
            return;
        };
        if self.relative {
            let d = self.last_ns.map(|l| ns.saturating_sub(l)).unwrap_or(0);
            let _ = write!(
                out,
                "{:>6}.{:06} ",
                d / 1_000_000_000,
                d % 1_000_000_000 / 1000
            );
            self.last_ns = Some(ns);
        }
        let secs = ns / 1_000_000_000;
        let micros = ns % 1_000_000_000 / 1000;
        match self.time {
            TimeFormat::None => {}
            TimeFormat::Epoch => {
                let _ = write!(out, "{secs}.{micros:06} ");
            }
            TimeFormat::Seconds | TimeFormat::Micros => {
                out.extend_from_slice(time_of_day(ns, self.time == TimeFormat::Micros).as_bytes());
                out.push(b' ');
            }
        }
    }
}

impl Printer for Text {
    fn call(&mut self, c: &Call, out: &mut Vec<u8>) {
        out.extend_from_slice(c.prefix.as_bytes());
        self.stamp(out, c.wall_ns);
        self.number(out, c.nr);
        out.extend_from_slice(c.name.as_bytes());
        out.push(b'(');
        out.extend_from_slice(c.args.as_bytes());
        if c.detached {
            out.extend_from_slice(b" <detached ...>\n");
            return;
        }
        out.extend_from_slice(b") = ");
        out.extend_from_slice(c.ret_text.as_bytes());
        if self.fd_origin {
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
        if self.durations
            && let Some(d) = c.duration_ns
        {
            let _ = write!(
                out,
                " <{}.{:06}>",
                d / 1_000_000_000,
                d % 1_000_000_000 / 1000
            );
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
            out.extend_from_slice(matching::hexdump(d).as_bytes());
        }
    }

    fn exit(&mut self, e: &Exit, out: &mut Vec<u8>) {
        out.extend_from_slice(e.prefix.as_bytes());
        self.stamp(out, e.wall_ns);
        self.number(out, e.nr);
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
        out.extend_from_slice(s.prefix.as_bytes());
        self.stamp(out, s.wall_ns);
        self.number(out, s.nr);
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
