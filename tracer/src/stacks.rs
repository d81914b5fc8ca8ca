//! `-k`: the user stack of a call (return addresses the kernel walked through frame pointers,
//! copied into the record), symbolized as strace prints it:
//! ` > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]`, the last number being the
//! address's offset in the file. `-kk` adds the source line where debug info has it.
//!
//! Addresses are placed with the process's /proc/PID/maps, read when its first stack is shown
//! and again when an address falls outside what was read (new mappings), kept after the
//! process exits. A process that ends before its first stack is decoded cannot be placed:
//! its frames print as strace prints frames it cannot resolve.
use std::{collections::HashMap, fmt::Write as _, path::PathBuf, rc::Rc};

use blazesym::symbolize::{
    Input, Symbolized, Symbolizer,
    source::{Elf, Source},
};

/// One file-backed mapping: [start, end) maps `path` from file offset `offset`.
struct Mapping {
    start: u64,
    end: u64,
    offset: u64,
    exec: bool,
    path: Rc<str>,
}

pub struct Stacks {
    symbolizer: Symbolizer,
    /// `-kk`: file:line after each frame.
    source_lines: bool,
    /// File-backed mappings per process.
    maps: HashMap<u32, Vec<Mapping>>,
    /// Symbol text per (file, offset): a loop calls from the same places.
    cache: HashMap<(Rc<str>, u64), String>,
}

/// The file-backed mappings of /proc/PID/maps (`start-end perms offset dev inode path`).
fn read_maps(pid: u32) -> Option<Vec<Mapping>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
    let mut maps = Vec::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let (Some(range), Some(perms), Some(offset), Some(_dev), Some(_inode)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let path: String = f.collect::<Vec<_>>().join(" ");
        if !path.starts_with('/') {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let hex = |s: &str| u64::from_str_radix(s, 16).ok();
        if let (Some(start), Some(end), Some(offset)) = (hex(start), hex(end), hex(offset)) {
            maps.push(Mapping {
                start,
                end,
                offset,
                exec: perms.contains('x'),
                path: path.into(),
            });
        }
    }
    Some(maps)
}

impl Stacks {
    pub fn new(source_lines: bool) -> Self {
        Self {
            symbolizer: Symbolizer::new(),
            source_lines,
            maps: HashMap::new(),
            cache: HashMap::new(),
        }
    }

    /// Process `pid` exec'd: its mappings are new.
    pub fn exec(&mut self, pid: u32) {
        self.maps.remove(&pid);
    }

    /// (file, offset in it) of `ip` in process `pid`.
    fn place(&mut self, pid: u32, ip: u64) -> Option<(Rc<str>, u64)> {
        let find = |maps: &[Mapping]| {
            maps.iter()
                .find(|m| (m.start..m.end).contains(&ip))
                .map(|m| (m.path.clone(), ip - m.start + m.offset))
        };
        if let Some(p) = self.maps.get(&pid).and_then(|m| find(m)) {
            return Some(p);
        }
        // Not read yet, or mapped since: read again while the process exists.
        let fresh = read_maps(pid)?;
        let p = find(&fresh);
        self.maps.insert(pid, fresh);
        p
    }

    /// Whether `addr` is in executable code of a file of process `pid` (as last read).
    fn in_code(&mut self, pid: u32, addr: u64) -> bool {
        self.place(pid, addr).is_some()
            && self
                .maps
                .get(&pid)
                .is_some_and(|m| m.iter().any(|m| m.exec && (m.start..m.end).contains(&addr)))
    }

    /// The frames of a stack slot (the word at the stack pointer, then the frame-pointer
    /// walk, innermost first) in process `pid`, one text per frame.
    pub fn frames(&mut self, frames: &mut Vec<String>, pid: u32, slot: &[u64]) {
        frames.clear();
        let Some((&top, walked)) = slot.split_first() else {
            return;
        };
        let walked: Vec<u64> = walked.iter().copied().take_while(|ip| *ip != 0).collect();
        let mut ips = walked.clone();
        // A syscall wrapper that keeps no frame (glibc's write) leaves its caller's return
        // address at the stack pointer, where the walk does not look: put it back in.
        if !walked.is_empty() && walked.get(1) != Some(&top) && self.in_code(pid, top) {
            ips.insert(1, top);
        }
        for ip in ips {
            let line = match self.place(pid, ip) {
                Some((path, off)) => self.frame(path, off),
                None => format!("unexpected_backtracing_error [{ip:#x}]"),
            };
            frames.push(line);
        }
    }

    /// `/path/lib.so(symbol+0x12) [0x1234]` for an offset in an ELF file.
    fn frame(&mut self, path: Rc<str>, off: u64) -> String {
        if let Some(s) = self.cache.get(&(path.clone(), off)) {
            return s.clone();
        }
        // Debug info first (source lines, local symbols), then the ELF symbol tables (a
        // stripped library keeps its dynamic symbols).
        let mut sym = None;
        for debug_syms in [true, false] {
            let mut elf = Elf::new(PathBuf::from(&*path));
            elf.debug_syms = debug_syms;
            match self
                .symbolizer
                .symbolize_single(&Source::Elf(elf), Input::FileOffset(off))
            {
                Ok(s @ Symbolized::Sym(_)) => {
                    sym = Some(s);
                    break;
                }
                _ => continue,
            }
        }
        let mut s = path.to_string();
        match sym {
            Some(Symbolized::Sym(sym)) => {
                let _ = write!(s, "({}+{:#x}) [{off:#x}]", sym.name, sym.offset);
                if self.source_lines
                    && let Some(ci) = &sym.code_info
                {
                    let _ = write!(s, " {}", ci.to_path().display());
                    if let Some(l) = ci.line {
                        let _ = write!(s, ":{l}");
                    }
                }
            }
            _ => {
                let _ = write!(s, "() [{off:#x}]");
            }
        }
        self.cache.insert((path, off), s.clone());
        s
    }
}
