//! `-k`: the user stack of a call (return addresses the kernel walked through frame pointers,
//! copied into the record), symbolized as strace prints it:
//! ` > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]`, the last number being the
//! address's offset in the file. `-kk` adds the source line where debug info has it.
//!
//! Addresses are placed with what the trace saw mapped (the executable's code range from the
//! exec record, the files the process mapped executable with mmap, which `-k` has the kernel
//! send) and with /proc/PID/maps, read when an address falls outside those while the process
//! exists. A short-lived command is thus placed after it exited; only the dynamic loader's own
//! code, mapped by the kernel at exec, is not (strace's `unexpected_backtracing_error`).
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
    /// Resolved paths of mapped files.
    canonical: HashMap<String, Rc<str>>,
}

/// The file offset of an ELF64 file's executable PT_LOAD segment: the kernel's
/// `mm->start_code` is that segment's address, so an address there is at
/// `ip - start_code + offset` in the file.
fn exec_segment_offset(path: &str) -> Option<u64> {
    use std::io::Read;
    let mut head = vec![0u8; 4096];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let h = &head[..n];
    if h.get(..5)? != b"\x7fELF\x02" {
        return None;
    }
    let u16_at = |o: usize| Some(u16::from_le_bytes(h.get(o..o + 2)?.try_into().ok()?));
    let u32_at = |o: usize| Some(u32::from_le_bytes(h.get(o..o + 4)?.try_into().ok()?));
    let u64_at = |o: usize| Some(u64::from_le_bytes(h.get(o..o + 8)?.try_into().ok()?));
    let (phoff, phentsize, phnum) = (u64_at(0x20)? as usize, u16_at(0x36)?, u16_at(0x38)?);
    // The lowest executable segment, as the kernel picks start_code.
    (0..usize::from(phnum))
        .map(|i| phoff + i * usize::from(phentsize))
        .filter(|&p| u32_at(p) == Some(1) && u32_at(p + 4).is_some_and(|f| f & 1 != 0))
        .filter_map(|p| Some((u64_at(p + 16)?, u64_at(p + 8)?)))
        .min()
        .map(|(_vaddr, offset)| offset)
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
            canonical: HashMap::new(),
        }
    }

    /// Process `pid` exec'd `path`, whose code the kernel put at [start, end): its mappings
    /// are new, and the executable's code maps from its executable segment's file offset.
    pub fn exec(&mut self, pid: u32, path: &[u8], start: u64, end: u64) {
        self.maps.remove(&pid);
        let path = String::from_utf8_lossy(path);
        if start == 0 || end <= start {
            return;
        }
        if let Some(offset) = exec_segment_offset(&path) {
            let path = self.canonical(&path);
            self.maps.insert(
                pid,
                vec![Mapping {
                    start,
                    end,
                    offset,
                    exec: true,
                    path,
                }],
            );
        }
    }

    /// A file's path as /proc/PID/maps names it (symlinks resolved: `/lib/...` is
    /// `/usr/lib/...` on a merged-/usr system), as the process named it if that fails.
    fn canonical(&mut self, path: &str) -> Rc<str> {
        if let Some(c) = self.canonical.get(path) {
            return c.clone();
        }
        let c: Rc<str> = std::fs::canonicalize(path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| path.to_string())
            .into();
        self.canonical.insert(path.to_string(), c.clone());
        c
    }

    /// An executable mmap of `path` at [start, start + len) from file offset `offset` (newest
    /// first: a MAP_FIXED mapping covers what was there).
    pub fn mapped(&mut self, pid: u32, start: u64, len: u64, offset: u64, path: Rc<str>) {
        let path = self.canonical(&path);
        self.maps.entry(pid).or_default().insert(
            0,
            Mapping {
                start,
                end: start.saturating_add(len),
                offset,
                exec: true,
                path,
            },
        );
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
        // Not known, or mapped since: read /proc while the process exists. Its mappings come
        // first; what the trace gathered stays behind them. A zombie's maps are empty.
        let mut fresh = read_maps(pid).filter(|m| !m.is_empty())?;
        let p = find(&fresh);
        if let Some(old) = self.maps.remove(&pid) {
            fresh.extend(old);
        }
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
        for (i, ip) in ips.into_iter().enumerate() {
            let line = match self.place(pid, ip) {
                Some((path, off)) => self.frame(path, off),
                // Past the innermost frame, an address in no mapping means the frame-pointer
                // walk went through code that keeps none: the rest is not a stack.
                None if i > 0 => break,
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
