//! `--flight-recorder SIZE`: the newest SIZE bytes of raw records kept in memory (the oldest
//! overwritten), nothing written until a trigger fires (`--trigger`, SIGUSR1); then the
//! recording goes on for `--trigger-after`, and the window is written as a capture file
//! ("strace from the past"). Triggers look at records as they come, without decoding them.
use std::{collections::VecDeque, time::Duration, time::Instant};

use tracer_common::{kind, record_flags};

use crate::{
    decode::errno,
    matching::Matcher,
    source::Event,
    syscalls::{self, Abi},
};

/// What fires a dump.
#[derive(Debug)]
pub enum Trigger {
    /// A call failing with this errno, optionally only this syscall and only tasks whose
    /// comm matches the glob.
    Errno {
        errno: u32,
        syscall: Option<String>,
        comm: Option<String>,
    },
    /// I/O data containing the text (the --match engine).
    Match(Matcher),
    /// A process ending with a nonzero status (`nonzero`) or killed by a signal.
    Exit { nonzero: bool, signal: bool },
}

impl Trigger {
    /// `errno=ENOMEM[,syscall=mmap][,comm=qemu*]`, `match=TEXT`, `exit=nonzero|signal`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let bad = |why: &str| {
            format!(
                "--trigger {spec}: {why}; use errno=ENOMEM[,syscall=NAME][,comm=GLOB], match=TEXT or exit=nonzero|signal"
            )
        };
        if let Some(text) = spec.strip_prefix("match=") {
            if text.is_empty() {
                return Err(bad("match= needs a text"));
            }
            return Matcher::new(&[text.to_string()], &[], false)
                .map(Trigger::Match)
                .map_err(|e| bad(&e));
        }
        if let Some(what) = spec.strip_prefix("exit=") {
            let (mut nonzero, mut signal) = (false, false);
            for w in what.split(['|', ',']) {
                match w {
                    "nonzero" => nonzero = true,
                    "signal" => signal = true,
                    _ => return Err(bad(&format!("{w:?} is not an exit condition"))),
                }
            }
            return Ok(Trigger::Exit { nonzero, signal });
        }
        let (mut e, mut syscall, mut comm) = (None, None, None);
        for item in spec.split(',') {
            match item.split_once('=') {
                Some(("errno", v)) => {
                    e = Some(errno::parse(v).ok_or_else(|| bad(&format!("{v:?} is not an errno")))?)
                }
                Some(("syscall", v)) => {
                    if syscalls::by_name(Abi::X86_64, v).is_none() {
                        return Err(bad(&format!("{v:?} is not a syscall")));
                    }
                    syscall = Some(v.to_string());
                }
                Some(("comm", v)) => comm = Some(v.to_string()),
                _ => return Err(bad(&format!("{item:?} is not a condition"))),
            }
        }
        match e {
            Some(errno) => Ok(Trigger::Errno {
                errno,
                syscall,
                comm,
            }),
            None => Err(bad("give errno=, match= or exit=")),
        }
    }

    /// A short name for file names and messages.
    fn label(&self) -> String {
        match self {
            Trigger::Errno { errno: e, .. } => errno::lookup(*e)
                .map(|(n, _)| n.to_string())
                .unwrap_or_else(|| format!("errno{e}")),
            Trigger::Match(_) => "match".into(),
            Trigger::Exit { .. } => "exit".into(),
        }
    }

    /// Whether the record fires this trigger.
    fn fires(&self, ev: &Event, comm: &mut dyn FnMut() -> String) -> bool {
        let r = &ev.rec;
        match self {
            Trigger::Errno {
                errno: e,
                syscall,
                comm: glob,
            } => {
                r.kind == kind::SYSCALL
                    && errno::is_error(r.ret)
                    && (-r.ret) as u32 == *e
                    && syscall.as_deref().is_none_or(|want| {
                        syscalls::by_nr(ev.abi(), ev.nr()).is_some_and(|s| s.name == want)
                    })
                    && glob.as_deref().is_none_or(|g| glob_match(g, &comm()))
            }
            Trigger::Match(m) => {
                r.kind == kind::SYSCALL
                    && syscalls::by_nr(ev.abi(), ev.nr())
                        .and_then(|sc| crate::pipeline::io_payload(ev, sc))
                        .is_some_and(|(data, _)| m.find(data).is_some())
            }
            Trigger::Exit { nonzero, signal } => {
                let code = r.aux;
                r.kind == kind::EXIT
                    && r.flags & record_flags::GROUP_DEAD != 0
                    && ((*signal && code & 0x7f != 0)
                        || (*nonzero && code & 0x7f == 0 && code >> 8 != 0))
            }
        }
    }
}

/// `qemu*`, `*d`, `a*b`, or an exact name.
pub fn glob_match(glob: &str, s: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    if parts.len() == 1 {
        return glob == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || s.len() < first.len() + last.len() || !s.ends_with(last) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

/// `64M`, `1G`, `512K`, or bytes.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<usize>().ok()?.checked_mul(mult)
}

/// A fired trigger, waiting for its `--trigger-after` to pass.
#[derive(Clone, Debug)]
pub struct Fired {
    pub label: String,
    /// The task whose record fired it (0 for SIGUSR1).
    pub tid: u32,
    /// What happened, for the message: `mmap = -1 ENOMEM by qemu-like[1234]`.
    pub what: String,
    pub at: Instant,
}

/// Chunks of framed records (u32 length, bytes), the oldest dropped beyond the limit.
const CHUNK: usize = 1 << 20;

pub struct Recorder {
    limit: usize,
    chunks: VecDeque<Vec<u8>>,
    bytes: usize,
    triggers: Vec<Trigger>,
    after: Duration,
    holdoff: Duration,
    pub fired: Option<Fired>,
    last_dump: Option<Instant>,
    /// Dumps written so far.
    pub dumps: u32,
}

impl Recorder {
    pub fn new(limit: usize, triggers: Vec<Trigger>, after: Duration, holdoff: Duration) -> Self {
        Self {
            limit,
            chunks: VecDeque::new(),
            bytes: 0,
            triggers,
            after,
            holdoff,
            fired: None,
            last_dump: None,
            dumps: 0,
        }
    }

    /// Keeps a record, dropping the oldest chunk when over the limit.
    pub fn record(&mut self, rec: &[u8]) {
        let need = 4 + rec.len();
        if self.chunks.back().is_none_or(|c| c.len() + need > CHUNK) {
            // Reuse the oldest chunk's memory when it is dropped.
            let fresh = if self.bytes + CHUNK > self.limit
                && let Some(mut old) = self.chunks.pop_front()
            {
                self.bytes -= old.len();
                old.clear();
                old
            } else {
                Vec::with_capacity(CHUNK)
            };
            self.chunks.push_back(fresh);
        }
        let c = self.chunks.back_mut().expect("pushed above");
        c.extend_from_slice(&(rec.len() as u32).to_le_bytes());
        c.extend_from_slice(rec);
        self.bytes += need;
    }

    /// The kept records, oldest first.
    pub fn records(&self) -> impl Iterator<Item = &[u8]> {
        self.chunks.iter().flat_map(|c| {
            let mut rest = c.as_slice();
            std::iter::from_fn(move || {
                let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
                let (rec, tail) = rest.get(4..4 + len).map(|r| (r, &rest[4 + len..]))?;
                rest = tail;
                Some(rec)
            })
        })
    }

    /// Bytes kept.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn may_fire(&self) -> bool {
        self.fired.is_none() && self.last_dump.is_none_or(|t| t.elapsed() >= self.holdoff)
    }

    /// Checks the triggers against a record; `comm` names its task when a trigger asks.
    pub fn check(&mut self, ev: &Event, comm: &mut dyn FnMut() -> String) {
        if !self.may_fire() {
            return;
        }
        let r = &ev.rec;
        for t in &self.triggers {
            if t.fires(ev, comm) {
                let what = match r.kind {
                    kind::EXIT => format!("{}[{}] ended ({:#x})", comm(), r.tgid, r.aux),
                    _ => format!(
                        "{} = {} by {}[{}]",
                        syscalls::by_nr(ev.abi(), ev.nr()).map_or("?", |s| s.name),
                        if errno::is_error(r.ret) {
                            format!(
                                "-1 {}",
                                errno::lookup((-r.ret) as u32).map_or("?", |(n, _)| n)
                            )
                        } else {
                            r.ret.to_string()
                        },
                        comm(),
                        r.tid
                    ),
                };
                self.fired = Some(Fired {
                    label: t.label(),
                    tid: r.tid,
                    what,
                    at: Instant::now(),
                });
                return;
            }
        }
    }

    /// SIGUSR1: a dump on request.
    pub fn request(&mut self) {
        if self.fired.is_none() {
            self.fired = Some(Fired {
                label: "sigusr1".into(),
                tid: 0,
                what: "SIGUSR1".into(),
                at: Instant::now(),
            });
        }
    }

    /// The fired trigger whose after-time has passed (the dump is due), taken.
    pub fn due(&mut self, ending: bool) -> Option<Fired> {
        let due = self
            .fired
            .as_ref()
            .is_some_and(|f| ending || f.at.elapsed() >= self.after);
        if !due {
            return None;
        }
        self.last_dump = Some(Instant::now());
        self.dumps += 1;
        self.fired.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_sizes_and_trigger_specs() {
        assert!(glob_match("qemu*", "qemu-system-x86"));
        assert!(!glob_match("qemu*", "xqemu"));
        assert!(glob_match("*bouncer", "pgbouncer"));
        assert!(glob_match("q*u*", "qemu"));
        assert!(glob_match("cat", "cat") && !glob_match("cat", "cats"));
        assert_eq!(parse_size("64M"), Some(64 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("x"), None);
        assert!(matches!(
            Trigger::parse("errno=ENOMEM,syscall=mmap,comm=qemu*"),
            Ok(Trigger::Errno { errno: 12, .. })
        ));
        assert!(matches!(
            Trigger::parse("exit=nonzero|signal"),
            Ok(Trigger::Exit {
                nonzero: true,
                signal: true
            })
        ));
        assert!(
            Trigger::parse("errno=ENOMEN")
                .unwrap_err()
                .contains("ENOMEN")
        );
        assert!(Trigger::parse("syscall=mmap").is_err());
        assert!(Trigger::parse("errno=ENOMEM,syscall=nosuch").is_err());
    }

    #[test]
    fn keeps_the_newest_records_within_the_limit() {
        let mut r = Recorder::new(3 << 20, vec![], Duration::ZERO, Duration::ZERO);
        for i in 0..200_000u32 {
            r.record(&[i.to_le_bytes().as_slice(), &[0u8; 60]].concat());
        }
        assert!(r.bytes() <= 3 << 20, "{}", r.bytes());
        let kept: Vec<u32> = r
            .records()
            .map(|b| u32::from_le_bytes(b[..4].try_into().unwrap()))
            .collect();
        assert_eq!(*kept.last().unwrap(), 199_999);
        // Contiguous: nothing inside the window is missing.
        assert!(kept.windows(2).all(|w| w[1] == w[0] + 1));
        assert!(kept.len() > 30_000);
    }
}
