//! `--match` / `--match-regex`: keep only I/O calls whose payload matches, and show where the
//! fd came from and (with `--match-context N`) what happened on it before and after. Payloads
//! are matched in userspace on what the kernel copied (up to `--snaplen` bytes per call).
use std::collections::{HashMap, VecDeque};

use regex::bytes::{Regex, RegexBuilder};

use crate::decode::strings::{Hex, quote};

/// The patterns, compiled once.
#[derive(Debug)]
pub struct Matcher {
    patterns: Vec<(String, Regex)>,
}

/// Where a payload matched.
#[derive(Debug, PartialEq, Eq)]
pub struct Hit {
    pub pattern: String,
    pub start: usize,
    pub end: usize,
}

impl Matcher {
    /// Literals and regexes; `icase` applies to all.
    pub fn new(literals: &[String], regexes: &[String], icase: bool) -> Result<Self, String> {
        let mut patterns = Vec::new();
        for l in literals {
            let re = RegexBuilder::new(&regex::escape(l))
                .case_insensitive(icase)
                .unicode(false)
                .build()
                .map_err(|e| format!("--match {l:?}: {e}"))?;
            patterns.push((l.clone(), re));
        }
        for r in regexes {
            let re = RegexBuilder::new(r)
                .case_insensitive(icase)
                .unicode(false)
                .build()
                .map_err(|e| {
                    // The parser's message is several lines (the pattern, a caret, the
                    // reason): the reason is the one kept.
                    let text = e.to_string();
                    let why = text.lines().last().unwrap_or_default();
                    let why = why.trim_start_matches("error: ");
                    format!("--match-regex {r:?}: {why}; write a valid regular expression")
                })?;
            patterns.push((r.clone(), re));
        }
        Ok(Self { patterns })
    }

    /// The first pattern that matches the payload.
    pub fn find(&self, payload: &[u8]) -> Option<Hit> {
        self.patterns.iter().find_map(|(p, re)| {
            re.find(payload).map(|m| Hit {
                pattern: p.clone(),
                start: m.start(),
                end: m.end(),
            })
        })
    }
}

/// `"...TRANSACTION READ ONLY\0"`: the payload around a hit, `ctx` bytes each side.
pub fn excerpt(payload: &[u8], hit: &Hit, ctx: usize) -> String {
    let from = hit.start.saturating_sub(ctx);
    let to = (hit.end + ctx).min(payload.len());
    let mut s = String::new();
    if from > 0 {
        s.push_str("...");
    }
    quote(&mut s, &payload[from..to], usize::MAX, false, Hex::None);
    if to < payload.len() {
        s.push_str("...");
    }
    s
}

/// The last N lines per (process, fd), and how many more lines to show after a match.
#[derive(Debug, Default)]
pub struct History {
    before: HashMap<(u32, i32), VecDeque<Vec<u8>>>,
    after: HashMap<(u32, i32), usize>,
}

/// Most fds whose history is kept (oldest dropped first beyond it).
const MAX_FDS: usize = 4096;

impl History {
    /// Remembers a line that did not match.
    pub fn push(&mut self, key: (u32, i32), line: Vec<u8>, n: usize) {
        if n == 0 {
            return;
        }
        if self.before.len() >= MAX_FDS
            && !self.before.contains_key(&key)
            && let Some(k) = self.before.keys().next().copied()
        {
            self.before.remove(&k);
        }
        let h = self.before.entry(key).or_default();
        h.push_back(line);
        while h.len() > n {
            h.pop_front();
        }
    }

    /// The lines before a match (and forgets them).
    pub fn take_before(&mut self, key: (u32, i32)) -> Vec<Vec<u8>> {
        self.before.remove(&key).map(Vec::from).unwrap_or_default()
    }

    pub fn set_after(&mut self, key: (u32, i32), n: usize) {
        if n > 0 {
            self.after.insert(key, n);
        }
    }

    /// Whether this call is one of the N after a match (and counts it).
    pub fn take_after(&mut self, key: (u32, i32)) -> bool {
        match self.after.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                if *n == 0 {
                    self.after.remove(&key);
                }
                true
            }
            _ => false,
        }
    }

    pub fn close(&mut self, key: (u32, i32)) {
        self.before.remove(&key);
        self.after.remove(&key);
    }
}

/// strace's `-e read=`/`-e write=` dump: ` | 00000  7f 45 4c 46 ...  .ELF.... |`.
pub fn hexdump(data: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in data.chunks(16).enumerate() {
        out.push_str(&format!(" | {:05x} ", i * 16));
        for j in 0..16 {
            if j == 8 {
                out.push(' ');
            }
            match chunk.get(j) {
                Some(b) => out.push_str(&format!(" {b:02x}")),
                None => out.push_str("   "),
            }
        }
        out.push_str("  ");
        for j in 0..16 {
            out.push(match chunk.get(j) {
                Some(b) if (0x20..0x7f).contains(b) => *b as char,
                Some(_) => '.',
                None => ' ',
            });
        }
        out.push_str(" |\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(lits: &[&str], res: &[&str], icase: bool) -> Matcher {
        let l: Vec<String> = lits.iter().map(|s| s.to_string()).collect();
        let r: Vec<String> = res.iter().map(|s| s.to_string()).collect();
        Matcher::new(&l, &r, icase).unwrap()
    }

    #[test]
    fn literals_regexes_and_case() {
        let q = b"Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY\0";
        let hit = m(&["READ ONLY"], &[], false).find(q).unwrap();
        assert_eq!((hit.start, hit.end), (48, 57));
        assert!(m(&["read only"], &[], false).find(q).is_none());
        assert!(m(&["read only"], &[], true).find(q).is_some());
        // Regex metacharacters in a literal are literal.
        assert!(m(&["A.S"], &[], false).find(q).is_none());
        assert!(m(&[], &["TRANSACTION +READ"], false).find(q).is_some());
        assert!(Matcher::new(&[], &["(".into()], false).is_err());
        assert_eq!(excerpt(q, &hit, 12), "...\"TRANSACTION READ ONLY\\0\"");
    }

    #[test]
    fn binary_payloads_and_snap_length() {
        // Binary bytes around the text do not get in the way.
        let mut p = vec![0xff, 0x00, 0x80];
        p.extend(b"READ ONLY");
        p.push(0);
        assert_eq!(m(&["READ ONLY"], &[], false).find(&p).unwrap().start, 3);
        // A pattern cut by the snap length is not seen: only captured bytes are matched.
        let snap = 7;
        assert!(m(&["READ ONLY"], &[], false).find(&p[..snap]).is_none());
        assert!(m(&["REA"], &[], false).find(&p[..snap]).is_some());
        // Non-UTF-8 regex on bytes.
        assert!(m(&[], &[r"\xff\x00"], false).find(&p).is_some());
    }

    #[test]
    fn history_is_bounded_per_fd() {
        let mut h = History::default();
        for i in 0..5 {
            h.push((1, 3), format!("l{i}").into_bytes(), 2);
        }
        assert_eq!(h.take_before((1, 3)), [b"l3", b"l4"]);
        assert!(h.take_before((1, 3)).is_empty());
        h.set_after((1, 3), 2);
        assert!(h.take_after((1, 3)) && h.take_after((1, 3)) && !h.take_after((1, 3)));
    }

    #[test]
    fn hexdump_like_strace() {
        let d = hexdump(b"\x7fELF\x02\x01\x01\x03\0\0\0\0\0\0\0\0AB");
        let lines: Vec<&str> = d.lines().collect();
        assert_eq!(
            lines[0],
            " | 00000  7f 45 4c 46 02 01 01 03  00 00 00 00 00 00 00 00  .ELF............ |"
        );
        assert_eq!(
            lines[1],
            " | 00010  41 42                                             AB               |"
        );
    }
}
