//! Printers: strace text, JSON lines, and the `-c` summary. All share one data model: a decoded
//! [`Line`] built once per event by [`crate::app`].
pub mod summary;

use std::io::Write;

use serde_json::{Value, json};

use crate::config::TimeFormat;

/// One decoded syscall, ready for any printer.
pub struct Call<'a> {
    pub tgid: u32,
    pub tid: u32,
    pub comm: &'a str,
    pub abi: &'static str,
    pub nr: i32,
    pub name: &'a str,
    pub raw_args: &'a [u64],
    pub args: &'a str,
    pub strings: Vec<(u8, String)>,
    pub ret: i64,
    pub ret_text: &'a str,
    pub errno: Option<&'static str>,
    pub wall_ns: Option<u64>,
    pub duration_ns: Option<u64>,
    /// The fds the call uses or returns: what they are, and the call that created them.
    pub fds: Vec<(i32, Option<String>, Option<crate::fds::Origin>)>,
    /// `--match`: the pattern, its offset in the data, and the data around it.
    pub matched: Option<(String, usize, String)>,
}

/// Local time of day for wall-clock ns: `12:34:56`, or `12:34:56.123456` with `micros`.
pub fn time_of_day(ns: u64, micros: bool) -> String {
    let secs = (ns / 1_000_000_000) as libc::time_t;
    // SAFETY: localtime_r writes into the tm we pass.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&secs, &mut tm);
        tm
    };
    let hms = format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
    if micros {
        format!("{hms}.{:06}", ns % 1_000_000_000 / 1000)
    } else {
        hms
    }
}

/// `12:34:56.123456`, local time.
pub fn clock_text(ns: u64) -> String {
    time_of_day(ns, true)
}

/// Where and how lines are written.
pub struct Printer {
    out: Box<dyn Write + Send>,
    json: bool,
    time: TimeFormat,
    relative: bool,
    durations: bool,
    last_ns: Option<u64>,
    terminal: bool,
    fd_origin: bool,
}

impl Printer {
    pub fn new(
        out: Box<dyn Write + Send>,
        json: bool,
        time: TimeFormat,
        relative: bool,
        durations: bool,
    ) -> Self {
        Self {
            out,
            json,
            time,
            relative,
            durations,
            last_ns: None,
            terminal: false,
            fd_origin: false,
        }
    }

    pub fn set_fd_origin(&mut self, on: bool) {
        self.fd_origin = on;
    }

    pub fn set_terminal(&mut self, t: bool) {
        self.terminal = t;
    }

    fn stamp(&mut self, wall_ns: Option<u64>) -> String {
        let Some(ns) = wall_ns else {
            return String::new();
        };
        let mut s = String::new();
        if self.relative {
            let d = self.last_ns.map(|l| ns.saturating_sub(l)).unwrap_or(0);
            s.push_str(&format!(
                "{:>6}.{:06} ",
                d / 1_000_000_000,
                d % 1_000_000_000 / 1000
            ));
            self.last_ns = Some(ns);
        }
        let secs = (ns / 1_000_000_000) as i64;
        let micros = ns % 1_000_000_000 / 1000;
        match self.time {
            TimeFormat::None => {}
            TimeFormat::Epoch => s.push_str(&format!("{secs}.{micros:06} ")),
            TimeFormat::Seconds | TimeFormat::Micros => {
                s.push_str(&time_of_day(ns, self.time == TimeFormat::Micros));
                s.push(' ');
            }
        }
        s
    }

    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// A completed syscall.
    pub fn call(&mut self, c: &Call, prefix: &str) -> std::io::Result<()> {
        let line = self.call_line(c, prefix);
        self.write_line(&line)
    }

    /// The line for a call, without writing it (for --match-context histories).
    pub fn call_line(&mut self, c: &Call, prefix: &str) -> String {
        if self.json {
            let strings: serde_json::Map<String, Value> = c
                .strings
                .iter()
                .map(|(i, s)| (i.to_string(), Value::String(s.clone())))
                .collect();
            let fds: serde_json::Map<String, Value> = c
                .fds
                .iter()
                .map(|(fd, name, origin)| {
                    let o = origin.as_ref().map(|o| {
                        json!({"syscall": o.syscall, "tid": o.tid, "time_ns": o.time_ns, "peer": o.peer})
                    });
                    (fd.to_string(), json!({"name": name, "origin": o}))
                })
                .collect();
            let v = json!({
                "type": "syscall",
                "fds": fds,
                "time_ns": c.wall_ns,
                "pid": c.tgid,
                "tid": c.tid,
                "comm": c.comm,
                "abi": c.abi,
                "nr": c.nr,
                "name": c.name,
                "args": c.raw_args,
                "args_text": c.args,
                "strings": strings,
                "ret": c.ret,
                "ret_text": c.ret_text,
                "errno": c.errno,
                "duration_ns": c.duration_ns,
            });
            let mut v = v;
            if let Some((pattern, offset, excerpt)) = &c.matched {
                v["match"] = json!({"pattern": pattern, "offset": offset, "excerpt": excerpt});
            }
            return v.to_string();
        }
        let stamp = self.stamp(c.wall_ns);
        let mut line = format!("{prefix}{stamp}{}({}) = {}", c.name, c.args, c.ret_text);
        if self.fd_origin {
            for (fd, _, origin) in &c.fds {
                if let Some(o) = origin {
                    line.push_str(&format!(" /* fd {fd}: {}()", o.syscall));
                    if let Some(t) = o.time_ns {
                        line.push_str(&format!(" at {}", clock_text(t)));
                    }
                    if o.tid != c.tid {
                        line.push_str(&format!(" by {}", o.tid));
                    }
                    if let Some(p) = &o.peer {
                        line.push_str(&format!(", peer {p}"));
                    }
                    line.push_str(" */");
                }
            }
        }
        if self.durations
            && let Some(d) = c.duration_ns
        {
            line.push_str(&format!(
                " <{}.{:06}>",
                d / 1_000_000_000,
                d % 1_000_000_000 / 1000
            ));
        }
        line
    }

    /// `+++ exited with 0 +++` / `+++ killed by SIGKILL +++`.
    pub fn exit(
        &mut self,
        prefix: &str,
        tgid: u32,
        tid: u32,
        exit_code: u32,
        wall_ns: Option<u64>,
    ) -> std::io::Result<()> {
        let sig = exit_code & 0x7f;
        if self.json {
            let v = json!({
                "type": "exit", "time_ns": wall_ns, "pid": tgid, "tid": tid,
                "code": if sig == 0 { Some(exit_code >> 8 & 0xff) } else { None },
                "signal": if sig != 0 { Some(crate::decode::signal::name(u64::from(sig))) } else { None },
                "core_dumped": exit_code & 0x80 != 0,
            });
            return self.write_line(&v.to_string());
        }
        let stamp = self.stamp(wall_ns);
        let text = if sig == 0 {
            format!("+++ exited with {} +++", exit_code >> 8 & 0xff)
        } else if exit_code & 0x80 != 0 {
            format!(
                "+++ killed by {} (core dumped) +++",
                crate::decode::signal::name(u64::from(sig))
            )
        } else {
            format!(
                "+++ killed by {} +++",
                crate::decode::signal::name(u64::from(sig))
            )
        };
        self.write_line(&format!("{prefix}{stamp}{text}"))
    }

    /// A diagnosis under the failure it explains.
    pub fn hint(
        &mut self,
        prefix: &str,
        tgid: u32,
        syscall: &str,
        errno: &str,
        text: &str,
    ) -> std::io::Result<()> {
        if self.json {
            let v = json!({"type": "hint", "pid": tgid, "syscall": syscall, "errno": errno, "text": text});
            return self.write_line(&v.to_string());
        }
        self.write_line(&format!("{prefix}  ^ {errno}: {text}"))
    }

    /// Whether lines go to a terminal (the watch table then refreshes in place).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// A line as is (history, dumps, match details); nothing in JSON mode for text extras.
    pub fn line(&mut self, text: &str) -> std::io::Result<()> {
        self.write_line(text)
    }

    /// A gap: records the kernel could not deliver.
    pub fn lost(&mut self, count: u64) -> std::io::Result<()> {
        if self.json {
            return self.write_line(&json!({"type": "lost", "count": count}).to_string());
        }
        self.write_line(&format!(
            "<... {count} records lost here: the ring buffer was full; try --buffer-size or a narrower -e trace= ...>"
        ))
    }

    /// Free text (summary table, notes).
    pub fn raw(&mut self, text: &str) -> std::io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
