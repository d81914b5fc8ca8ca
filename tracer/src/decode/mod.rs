//! Decoding: a syscall record to strace's text. Arguments print by their table type
//! ([`crate::syscalls::Ty`]); the few calls whose shape depends on their values (execve,
//! fcntl, open's mode) have a decoder here. Value tables live in the subject modules.
/// `write!` into a String, which cannot fail: no temporary String per value.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

/// An integer in decimal, appended (the most frequent value in a trace).
pub fn int(out: &mut String, v: impl crate::decimal::Decimal) {
    crate::decimal::push_str(out, v);
}

pub mod consts;
pub mod errno;
pub mod fs;
pub mod io;
pub mod ioctl;
mod ioctl_names;
pub mod ipc;
pub mod mem;
pub mod net;
pub mod perf;
pub mod process;
pub mod ptrace;
pub mod signal;
pub mod sockaddr;
mod sockaddr_consts;
pub mod strings;
pub mod time;
pub mod xlat;

use strings::Hex;
use tracer_common::SLOT_LEN;

use crate::{
    source::{Captured, Event},
    syscalls::{Abi, Dec, Elem, Ret, Syscall, Ty},
};

/// Output options that change how values print.
#[derive(Clone, Copy, Debug)]
pub struct Opts {
    /// `-s`: bytes of a string shown.
    pub strsize: usize,
    /// `-x` / `-xx`.
    pub hex: Hex,
    /// `-v`, `-e abbrev=`: execve's environment in full.
    pub verbose: bool,
    /// `-X`: constants by name, as numbers, or both.
    pub consts: Consts,
    /// `-e raw=`: this call's arguments as raw hex numbers.
    pub raw: bool,
    /// `-e verbose=` (default): structures decoded; else their addresses.
    pub structs: bool,
    /// `-Y`: process ids followed by their command name, `1234<sleep>`.
    pub pid_comms: bool,
    /// `--decode-pids=pidns`: pids of another PID namespace also as the tracer sees them.
    pub pid_ns: bool,
    /// How the kernel side copied iovec data: at most so many bytes from each buffer, and so
    /// many in all (the snaplen and the slot; captures made when a call's buffers shared one
    /// budget: unlimited, and the snaplen).
    pub iov: (usize, usize),
}

/// strace's `-X` styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consts {
    /// `O_RDONLY|O_CLOEXEC` (the default).
    Abbrev,
    /// `0x80000`.
    Raw,
    /// `0x80000 /* O_RDONLY|O_CLOEXEC */`.
    Verbose,
}

/// How an argument type's raw number is printed under `-X raw`/`verbose`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Num {
    Hex,
    Dec,
}

/// The argument types that are constants or flags (what `-X` changes), with their number form.
fn constant(ty: Ty) -> Option<Num> {
    Some(match ty {
        Ty::OpenFlags
        | Ty::AtFlags
        | Ty::Prot
        | Ty::MapFlags
        | Ty::MremapFlags
        | Ty::AccessMode
        | Ty::WaitOptions
        | Ty::SockFlags
        | Ty::MsgFlags
        | Ty::CloneFlags
        | Ty::GrndFlags
        | Ty::FdFlags(_)
        | Ty::StatxFlags
        | Ty::StatxMask
        | Ty::FcntlCmd
        | Ty::IoctlReq
        | Ty::PrctlOption
        | Ty::ArchPrctl
        | Ty::SocketType
        | Ty::Madvise
        | Ty::Fadvise
        | Ty::FutexOp
        | Ty::Xval(_)
        | Ty::Xflags(_)
        | Ty::SockLevel
        | Ty::SockOpt(_)
        | Ty::RlimitResource => Num::Hex,
        Ty::Signal
        | Ty::Whence
        | Ty::ClockId
        | Ty::SocketFamily
        | Ty::ShutdownHow
        | Ty::SigprocmaskHow
        | Ty::EpollCtlOp => Num::Dec,
        _ => return None,
    })
}

/// Structures (`-e verbose=` off prints their address).
fn is_structure(ty: Ty) -> bool {
    matches!(
        ty,
        Ty::StatOut
            | Ty::PerfEventAttr
            | Ty::IoctlArg(_)
            | Ty::AioSigset
            | Ty::FdSet(_)
            | Ty::TimevalInOut
            | Ty::TimespecInOut
            | Ty::LoffInOut
            | Ty::SchedAttr
            | Ty::SchedAttrOut(_)
            | Ty::StatxOut
            | Ty::UtsnameOut
            | Ty::Timespec
            | Ty::TimespecOut
            | Ty::Rlimit(_)
            | Ty::RlimitOut(_)
            | Ty::Sigaction
            | Ty::SigactionOut
            | Ty::Pollfds(_)
            | Ty::EpollEvent
            | Ty::EpollEventsOut
            | Ty::SysinfoOut
            | Ty::CpuSetOut
            | Ty::Msghdr
            | Ty::MsghdrOut
            | Ty::Mmsghdr
            | Ty::MmsghdrOut
            | Ty::Iovec(_)
            | Ty::IovecOut(_)
            | Ty::Timeval
            | Ty::TimevalOut
            | Ty::TimevalPair
            | Ty::Itimerval
            | Ty::ItimervalOut
            | Ty::TimespecRem
            | Ty::Siginfo
            | Ty::SiginfoOut
            | Ty::RusageOut
            | Ty::StatfsOut
            | Ty::TmsOut
            | Ty::Timex
            | Ty::XvalOut(_)
            | Ty::TimespecPair
            | Ty::Sigevent
            | Ty::Utimbuf
            | Ty::UserDesc(_)
            | Ty::MqAttr
            | Ty::MqAttrOut
            | Ty::MqOpenAttr
            | Ty::Itimerspec
            | Ty::ItimerspecOut
    )
}

/// A value in the `-X` style: its name (`raw` is the number), the number, or both
/// (`0x1a /* SO_GET_FILTER */`).
pub(crate) fn styled(
    out: &mut String,
    opts: &Opts,
    raw: impl Fn(&mut String),
    name: impl Fn(&mut String),
) {
    match opts.consts {
        Consts::Abbrev => name(out),
        Consts::Raw => raw(out),
        Consts::Verbose => {
            raw(out);
            out.push_str(" /* ");
            name(out);
            out.push_str(" */");
        }
    }
}

/// `-X verbose`: the number, then its name in a comment (`0x1 /* O_WRONLY */`); a value no
/// name matches prints its number with its own comment, once (`0x8 /* FSCONFIG_??? */`).
pub(crate) fn number_and_name(
    out: &mut String,
    num: impl FnOnce(&mut String),
    name: impl FnOnce(&mut String),
) {
    let start = out.len();
    num(out);
    let number = out[start..].to_string();
    let mut named = String::new();
    name(&mut named);
    if named.starts_with(number.as_str()) {
        out.truncate(start);
        out.push_str(&named);
    } else if named != number {
        put!(out, " /* {named} */");
    }
}

/// A value in the `-X` style: its name (abbrev), its number (raw), or both (verbose).
pub(crate) fn x_style(
    out: &mut String,
    opts: &Opts,
    num: impl FnOnce(&mut String),
    name: impl FnOnce(&mut String),
) {
    match opts.consts {
        Consts::Abbrev => name(out),
        Consts::Raw => num(out),
        Consts::Verbose => number_and_name(out, num, name),
    }
}

/// A value strace prints as its number with its names in a comment whatever the `-X` style
/// but raw (arch_prctl's extended-state masks and features, PR_SCHED_CORE's pid type).
fn number_with_names(out: &mut String, v: u64, c: &consts::Consts, is_flags: bool, opts: &Opts) {
    let num = |o: &mut String| number(o, v, Num::Hex);
    if opts.consts == Consts::Raw {
        return num(out);
    }
    number_and_name(out, num, |o| {
        if is_flags {
            consts::flags(o, v, c)
        } else {
            consts::value(o, v, c)
        }
    });
}

/// prctl's SVE/SME vector length: its flags by name, then the length (`-X raw`: the number;
/// `-X verbose` with flags: the number, then the text in a comment). As a result (`aux`):
/// the text only when flags are set, else nothing.
fn vec_len(out: &mut String, v: u64, c: &consts::Consts, opts: &Opts, aux: bool) {
    if opts.consts == Consts::Raw {
        if !aux {
            number(out, v, Num::Hex);
        }
        return;
    }
    let (len, flags) = (v & 0xffff, v & !0xffff);
    if aux && flags == 0 {
        return;
    }
    let mut text = String::new();
    if flags != 0 {
        if c.any_known(flags) {
            consts::flags(&mut text, flags, c);
        } else {
            number(&mut text, flags, Num::Hex);
        }
        text.push('|');
    }
    number(&mut text, len, Num::Hex);
    if aux {
        put!(out, " ({text})");
    } else if flags != 0 && opts.consts == Consts::Verbose {
        number(out, v, Num::Hex);
        put!(out, " /* {text} */");
    } else {
        out.push_str(&text);
    }
}

/// A value as a raw number: hex (`0` for zero) or signed decimal.
fn number(out: &mut String, v: u64, n: Num) {
    match n {
        Num::Dec => int(out, as_int(v)),
        Num::Hex if v == 0 => out.push('0'),
        Num::Hex => put!(out, "{v:#x}"),
    }
}

/// `-e raw=`: every argument in hex, as strace prints them.
fn raw_args(out: &mut String, ev: &Event, sc: &Syscall) {
    for (i, v) in ev.rec.args.iter().take(sc.args.len()).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        number(out, *v, Num::Hex);
    }
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            strsize: 32,
            hex: Hex::None,
            verbose: false,
            consts: Consts::Abbrev,
            raw: false,
            structs: true,
            pid_comms: false,
            pid_ns: false,
            iov: (33, tracer_common::STR_CAP - 1),
        }
    }
}

/// Names for fds (`-y`, `-yy`): what `3<...>` shows.
pub trait FdNames {
    fn name(&mut self, fd: i32) -> Option<std::rc::Rc<str>>;

    /// `-y`: the name of `fd` in process `pid` (kcmp's fds), when the tracer knows it.
    fn name_in(&mut self, _pid: i32, _fd: i32) -> Option<std::rc::Rc<str>> {
        None
    }

    /// `-y`: the name of `fd` in the process that `pidfd` (an fd of this one) refers to
    /// (pidfd_getfd's target fd).
    fn name_via_pidfd(&mut self, _pidfd: i32, _fd: i32) -> Option<std::rc::Rc<str>> {
        None
    }

    /// `-y`: the working directory, which `AT_FDCWD` stands for.
    fn cwd(&mut self) -> Option<std::rc::Rc<str>> {
        None
    }

    /// `-Y`: the command name of process or thread `pid`, while it exists.
    fn comm(&mut self, _pid: i32) -> Option<std::rc::Rc<str>> {
        None
    }

    /// `--decode-pids=pidns`: `pid`, as the calling process names it, in the tracer's PID
    /// namespace (None when the caller is in the tracer's namespace).
    fn pid_here(&mut self, _pid: i32) -> Option<u32> {
        None
    }
}

/// Set when the tracer runs under the name `strace` (a link, for scripts and tests written
/// for strace): the few texts that name the tool itself then say `strace`, as strace's do.
static AS_STRACE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes the name the tracer was started under (`argv[0]`).
pub fn set_program_name(argv0: &std::ffi::OsStr) {
    let base = std::path::Path::new(argv0).file_name();
    let strace = base.is_some_and(|b| b == "strace");
    AS_STRACE.store(strace, std::sync::atomic::Ordering::Relaxed);
}

/// The tool's name in its own output: `tracer`, or `strace` when run under that name.
pub fn program_name() -> &'static str {
    if AS_STRACE.load(std::sync::atomic::Ordering::Relaxed) {
        "strace"
    } else {
        "tracer"
    }
}

/// A pid, with `<comm>` after it under `-Y` (as strace's `--decode-pids=comm`).
pub fn pid(out: &mut String, pid: i64, opts: &Opts, names: &mut dyn FdNames) {
    int(out, pid);
    if opts.pid_comms && pid > 0 {
        // Escaped as strace escapes it: a name is the task's to choose (`foo\33[2J`).
        let comm = names.comm(pid as i32);
        angled(out, comm.as_deref().map(strings::fd_path).as_deref());
    }
    if opts.pid_ns
        && pid > 0
        && let Some(here) = names.pid_here(pid as i32)
    {
        put!(out, " /* {here} in {}'s PID NS */", program_name());
    }
}

/// No fd annotation.
pub struct NoFds;

impl FdNames for NoFds {
    fn name(&mut self, _fd: i32) -> Option<std::rc::Rc<str>> {
        None
    }
}

pub(crate) fn fd_text(out: &mut String, fd: i32, fds: &mut dyn FdNames) {
    int(out, fd);
    angled(out, fds.name(fd).as_deref());
}

/// A directory fd: `AT_FDCWD` (strace 6.1 names the directory too: `AT_FDCWD</tmp>`) or the
/// fd with its name.
pub(crate) fn dirfd_text(out: &mut String, fd: i32, fds: &mut dyn FdNames) {
    if fd == fs::AT_FDCWD {
        out.push_str("AT_FDCWD");
        angled(out, fds.cwd().as_deref());
    } else {
        fd_text(out, fd, fds);
    }
}

/// `<name>` after an fd, a pid or `AT_FDCWD`, when there is one. A removed file's name
/// brings its own `>` (`/tmp/f>(deleted)`: the fd table escapes a real one).
pub(crate) fn angled(out: &mut String, name: Option<&str>) {
    if let Some(n) = name {
        out.push('<');
        out.push_str(n);
        if !n.ends_with(">(deleted)") {
            out.push('>');
        }
    }
}

/// What `sched_process_exec` captured for a successful execve, whose registers are zeroed.
#[derive(Clone, Debug)]
pub struct ExecInfo {
    pub filename: Vec<u8>,
    /// argv strings then environment strings, NUL-separated.
    pub argv: Vec<u8>,
    /// The copy of argv and the environment was cut.
    pub argv_truncated: bool,
    /// Bytes of `argv` that are argv; the rest is the environment.
    pub argv_len: usize,
    /// It was an execveat relative to a dirfd (its return looks like execve's).
    pub at: bool,
    /// argv and the environment as the caller passed them, read at entry (the argv above is
    /// the new image's: rewritten for a script).
    pub entry: Option<process::ExecArgs>,
}

impl ExecInfo {
    /// A failed exec: what its entry or its exit read, nothing from a new image.
    pub fn failed(entry: process::ExecArgs) -> Self {
        ExecInfo {
            filename: Vec::new(),
            argv: Vec::new(),
            argv_truncated: false,
            argv_len: 0,
            at: false,
            entry: Some(entry),
        }
    }
}

/// `int` arguments arrive zero- or sign-extended in 64-bit registers.
pub(crate) fn as_int(v: u64) -> i64 {
    if v >> 32 == 0 {
        i64::from(v as u32 as i32)
    } else {
        v as i64
    }
}

pub(crate) fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        put!(out, "{v:#x}");
    }
}

/// A path or string argument: quoted from what the kernel copied, else the pointer.
fn string(out: &mut String, v: u64, cap: Option<&Captured>, limit: usize, opts: &Opts) {
    match cap {
        Some(c) if !c.faulted() && v != 0 => {
            strings::quote(out, c.bytes, limit, c.truncated(), opts.hex)
        }
        // No NUL before an unreadable page, but -s bytes before it: strace shows those.
        Some(c) if c.page_end() && c.bytes.len() >= limit && v != 0 => {
            strings::quote(out, c.bytes, limit, true, opts.hex)
        }
        _ => ptr(out, v),
    }
}

/// An in/out length's slot: the value at exit and, when it was read, at entry.
fn socklen_slot(slot: Option<&Captured>) -> (Option<u32>, Option<u32>) {
    match slot.filter(|c| !c.faulted() && c.bytes.len() >= 4) {
        Some(c) => {
            let w = |k: usize| u32::from_ne_bytes(c.bytes[k..k + 4].try_into().unwrap_or_default());
            (Some(w(0)), (c.bytes.len() >= 8).then(|| w(4)))
        }
        None => (None, None),
    }
}

/// An in/out length (`[110 => 16]`) from its slot. As strace: the address when the length
/// (or, for a socket address, the buffer) is NULL or unreadable, the entry value alone when
/// the call failed, both when the kernel changed it.
fn socklen(out: &mut String, v: u64, buf: Option<u64>, slot: Option<&Captured>, ret: i64) {
    let (now, at_entry) = socklen_slot(slot);
    match (now.map(|n| n as i32), at_entry.map(|e| e as i32)) {
        _ if v == 0 || buf == Some(0) => ptr(out, v),
        (_, Some(e)) if ret < 0 => put!(out, "[{e}]"),
        (Some(n), Some(e)) if n != e => put!(out, "[{e} => {n}]"),
        // Not read at entry (a full trace, an i386 call): what the kernel left.
        (Some(n), _) if ret >= 0 => put!(out, "[{n}]"),
        _ => ptr(out, v),
    }
}

/// The in/out length argument's value at exit and at entry, as far as its slot has them.
pub(crate) fn socklen_of(ev: &Event, arg: usize) -> (Option<u32>, Option<u32>) {
    socklen_slot(ev.str_for(arg | usize::from(SLOT_LEN)))
}

/// An array of `count` elements as strace prints one: `NULL`, `[]`, at most `-s` elements
/// then `...` (all with `-v`), and where the memory ends, `... /* 0xADDR */` (the first
/// element unreadable: the address alone).
pub(crate) fn array(
    out: &mut String,
    addr: u64,
    cap: Option<&Captured>,
    count: u64,
    elem: Elem,
    opts: &Opts,
) {
    let size = u64::from(elem.size());
    if addr == 0 {
        return out.push_str("NULL");
    }
    if count == 0 {
        return out.push_str("[]");
    }
    // More groups than a process can have (NGROUPS_MAX): strace shows the address.
    if elem == Elem::Gid && count > 65536 {
        return ptr(out, addr);
    }
    let Some(c) = cap.filter(|_| {
        count
            .checked_mul(size)
            .and_then(|n| addr.checked_add(n))
            .is_some()
    }) else {
        return ptr(out, addr);
    };
    // Elements copied; past them, unreadable memory (or the copy's cap).
    let copied = if c.faulted() && !c.page_end() {
        0
    } else {
        c.bytes.len() as u64 / size
    };
    let limit = if opts.verbose {
        count
    } else {
        count.min(opts.strsize as u64)
    };
    // FUTEX_WAITV_MAX: no more waiters are read.
    let limit = if elem == Elem::FutexWaiter {
        limit.min(128)
    } else {
        limit
    };
    for k in 0..count {
        if k >= copied {
            if k == 0 {
                return ptr(out, addr);
            }
            out.push_str(", ...");
            if c.faulted() {
                put!(out, " /* {:#x} */", addr + k * size);
            }
            break;
        }
        out.push_str(if k == 0 { "[" } else { ", " });
        if k >= limit {
            out.push_str("...");
            break;
        }
        let e = &c.bytes[(k * size) as usize..((k + 1) * size) as usize];
        match elem {
            Elem::Gid => {
                let g = u32::from_ne_bytes(e.try_into().unwrap_or_default());
                if g == u32::MAX {
                    out.push_str("-1");
                } else {
                    int(out, g);
                }
            }
            Elem::Ptr => ptr(out, u64::from_ne_bytes(e.try_into().unwrap_or_default())),
            Elem::NodeWord => put!(
                out,
                "{:016x}",
                u64::from_ne_bytes(e.try_into().unwrap_or_default())
            ),
            Elem::Int => int(out, i32::from_ne_bytes(e.try_into().unwrap_or_default())),
            Elem::Status => {
                let v = i32::from_ne_bytes(e.try_into().unwrap_or_default());
                match (v < 0).then(|| errno::lookup(v.unsigned_abs())).flatten() {
                    Some((n, _)) => styled(out, opts, |o| int(o, v), |o| put!(o, "-{n}")),
                    None => int(out, v),
                }
            }
            Elem::Iovec => {
                let w = |k: usize| u64::from_ne_bytes(e[k..k + 8].try_into().unwrap_or_default());
                out.push_str("{iov_base=");
                ptr(out, w(0));
                put!(out, ", iov_len={}}}", w(8));
            }
            Elem::PageBit => int(out, e[0] & 1),
            Elem::FutexWaiter => {
                let q = |k: usize| u64::from_ne_bytes(e[k..k + 8].try_into().unwrap_or_default());
                let w = |k: usize| u32::from_ne_bytes(e[k..k + 4].try_into().unwrap_or_default());
                out.push_str("{val=");
                fs::c_hex(out, q(0));
                out.push_str(", uaddr=");
                ptr(out, q(8));
                out.push_str(", flags=");
                consts::flags(out, u64::from(w(16)), &consts::FUTEX_WAITER_FLAGS);
                if w(20) != 0 {
                    put!(out, ", __reserved={:#x}", w(20));
                }
                out.push('}');
            }
            Elem::KexecSeg => {
                let w = |k: usize| u64::from_ne_bytes(e[k..k + 8].try_into().unwrap_or_default());
                out.push_str("{buf=");
                ptr(out, w(0));
                put!(out, ", bufsz={}, mem=", w(8));
                ptr(out, w(16));
                put!(out, ", memsz={}}}", w(24));
            }
            Elem::Sembuf => {
                let h = |o: usize| u16::from_ne_bytes([e[o], e[o + 1]]);
                put!(out, "{{sem_num={}, sem_op={}, sem_flg=", h(0), h(2) as i16);
                consts::flags(out, u64::from(h(4)), &consts::SEM_FLAGS);
                out.push('}');
            }
        }
    }
    out.push(']');
}

/// A string of which the kernel reads at most `max` bytes, as strace's printstr_ex: at most
/// `-s` bytes shown, `...` unless its NUL came first; the address if the bytes it needs are
/// not readable.
fn string_max(out: &mut String, v: u64, cap: Option<&Captured>, max: usize, opts: &Opts) {
    let need = (opts.strsize + 1).min(max);
    let Some(c) = cap.filter(|_| v != 0) else {
        return ptr(out, v);
    };
    // The NUL is right after the bytes when the kernel found it.
    let nul = !c.truncated() && !c.faulted();
    if !(nul && c.bytes.len() < need) && c.bytes.len() < need {
        return ptr(out, v);
    }
    let size = need.min(opts.strsize);
    let shown = &c.bytes[..c.bytes.len().min(size)];
    strings::quote(out, shown, size, !(nul && c.bytes.len() < size), opts.hex);
}

/// Data given to the kernel, `len` bytes at `addr`, if strace could show it: strace reads
/// one byte past what -s shows, all or nothing, so a copy that ran into an unreadable page
/// still counts when that much of it was read.
fn given<'c>(
    cap: Option<&'c Captured<'c>>,
    addr: u64,
    len: u64,
    opts: &Opts,
) -> Option<&'c Captured<'c>> {
    let need = len.min(opts.strsize as u64 + 1);
    cap.filter(|c| addr != 0 && (!c.faulted() || (c.page_end() && c.bytes.len() as u64 >= need)))
}

/// A structure that grows with the kernel (open_how, clone_args), `size` bytes as its size
/// argument says, as strace prints one: the address when smaller than `min`; the `known`
/// bytes' fields by `f` (missing ones read as zero); then what lies past them when the
/// caller gave more: `???` if unreadable, `/* bytes 24..31 */ "\x80..."` if not all zero.
pub(crate) fn grown(
    out: &mut String,
    addr: u64,
    cap: Option<&Captured>,
    size: u64,
    (min, known): (usize, usize),
    opts: &Opts,
    f: impl FnOnce(&mut String, &[u8]),
) {
    let head = (size as usize).min(known);
    let Some(c) = cap.filter(|c| {
        addr != 0 && size >= min as u64 && (!c.faulted() || c.page_end()) && c.bytes.len() >= head
    }) else {
        return ptr(out, addr);
    };
    let mut fields = [0u8; 128];
    let known = known.min(fields.len());
    fields[..head.min(known)].copy_from_slice(&c.bytes[..head.min(known)]);
    out.push('{');
    f(out, &fields[..known]);
    if size as usize > known {
        // strace looks at most a page.
        let end = (size as usize).min(4096);
        match c.bytes.get(known..end) {
            None => out.push_str(", ???"),
            Some(tail) if tail.iter().all(|&b| b == 0) => {}
            Some(tail) => {
                put!(out, ", /* bytes {known}..{} */ ", end - 1);
                let shown = tail.len().min(opts.strsize);
                strings::quote(out, &tail[..shown], shown, shown < tail.len(), Hex::All);
            }
        }
    }
    out.push('}');
}

/// A structure the kernel copied for argument `i`, printed by `f`; else the pointer.
fn structure(
    out: &mut String,
    v: u64,
    ev: &Event,
    i: usize,
    f: impl FnOnce(&mut String, &[u8]) -> bool,
) {
    if v == 0 {
        out.push_str("NULL");
        return;
    }
    if let Some(c) = ev.str_for(i).filter(|c| !c.faulted()) {
        let mut s = String::new();
        if f(&mut s, c.bytes) {
            out.push_str(&s);
            return;
        }
    }
    ptr(out, v);
}

/// The kernel reads an `int` (int, unsigned int, uid_t, pid_t, mode_t, open/at/access flags,
/// a signal, a command, an fd) from the low half of its register and ignores the rest: so
/// does the decoder (mmap's and mprotect's prot and flags are `unsigned long`: whole).
fn is_int(ty: Ty) -> bool {
    match ty {
        Ty::Xval(c) | Ty::Xflags(c) => c.int,
        Ty::Int32
        | Ty::Uint32
        | Ty::Uid
        | Ty::Pid
        | Ty::Fd
        | Ty::PidfdTarget
        | Ty::KeySerial
        | Ty::FanDirfd
        | Ty::Dirfd
        | Ty::Signal
        | Ty::Mode
        | Ty::OpenMode
        | Ty::TypedMode
        | Ty::Dev
        | Ty::OpenFlags
        | Ty::AtFlags
        | Ty::AccessMode
        | Ty::Whence
        | Ty::ClockId
        | Ty::RlimitResource
        | Ty::EpollCtlOp
        | Ty::Madvise
        | Ty::WaitOptions
        | Ty::IoctlReq
        | Ty::FdFlags(_)
        | Ty::FcntlCmd => true,
        _ => false,
    }
}

/// An argument's register as the kernel reads it: the low half for an `int`.
fn as_read(ty: Ty, v: u64) -> u64 {
    if is_int(ty) { v & 0xffff_ffff } else { v }
}

pub(crate) fn arg(
    out: &mut String,
    ty: Ty,
    v: u64,
    i: usize,
    ev: &Event,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    let ret = ev.rec.ret;
    let a = ev.rec.args;
    let v = as_read(ty, v);
    match ty {
        // An i386 long is 32 bits (the kernel cut the registers to their low halves).
        Ty::Int if ev.abi() == Abi::I386 => int(out, v as u32 as i32),
        Ty::Int => int(out, v as i64),
        Ty::Int32 => int(out, v as u32 as i32),
        Ty::Pid => pid(out, i64::from(v as u32 as i32), opts, fds),
        Ty::Uint => int(out, v),
        Ty::Uint32 => int(out, v),
        Ty::Uid if v == u64::from(u32::MAX) => out.push_str("-1"),
        Ty::Uid => int(out, v),
        Ty::Hex => number(out, v, Num::Hex),
        Ty::Ptr => ptr(out, v),
        Ty::Fd => fd_text(out, v as u32 as i32, fds),
        Ty::Dirfd => dirfd_text(out, v as u32 as i32, fds),
        // strace prints paths whole, other strings cut at -s.
        Ty::Path | Ty::OutPath => string(out, v, ev.str_for(i), usize::MAX, opts),
        Ty::Str => string(out, v, ev.str_for(i), opts.strsize, opts),
        Ty::OutStrRet => string(out, v, ev.str_for(i), opts.strsize, opts),
        // umode_t: 16 bits.
        Ty::Mode | Ty::OpenMode => fs::numeric_mode(out, v & 0xffff),
        Ty::TypedMode => fs::stat_mode(out, v & 0xffff),
        Ty::Dev => fs::makedev(out, v),
        Ty::Skip => {}
        Ty::Xval(c) => consts::value(out, v, c),
        Ty::Xflags(c) => consts::flags(out, v, c),
        Ty::OpenFlags => fs::open_flags(out, v),
        Ty::AtFlags => fs::at_flags(out, v),
        Ty::Prot => mem::prot(out, v),
        Ty::MapFlags => mem::map_flags(out, v),
        Ty::MremapFlags => mem::mremap_flags(out, v),
        Ty::AccessMode => fs::access_mode(out, v),
        // An unknown signal is the int the kernel was given.
        Ty::Signal if !(1..=64).contains(&v) => int(out, v as u32 as i32),
        Ty::Signal => out.push_str(&signal::name(v)),
        Ty::Whence => fs::whence(out, v),
        Ty::FcntlCmd => xlat::value(out, v, fs::FCNTL_CMDS),
        Ty::Sockaddr(_) | Ty::SockaddrOut(_) => {
            // What the kernel wrote, within the room the caller gave it (the bytes up to an
            // unreadable page will do when they cover it).
            let room = match ty {
                Ty::SockaddrOut(n) => socklen_of(ev, usize::from(n)).1,
                _ => None,
            };
            match ev.str_for(i) {
                Some(c)
                    if v != 0
                        && (!c.faulted()
                            || (c.page_end()
                                && room.is_some_and(|r| c.bytes.len() >= r as usize))) =>
                {
                    let b = &c.bytes[..c.bytes.len().min(room.map_or(usize::MAX, |r| r as usize))];
                    if !sockaddr::format(out, b, opts, Some(&mut *fds)) {
                        ptr(out, v)
                    }
                }
                _ => ptr(out, v),
            }
        }
        // XATTR_SIZE_MAX: a longer value is not read.
        Ty::XattrVal(n) if a[usize::from(n) % 6] > 65536 => ptr(out, v),
        Ty::XattrVal(n) => match given(ev.str_for(i), v, a[usize::from(n) % 6], opts) {
            Some(c) => io::xattr_value(out, c, a[usize::from(n) % 6], opts),
            None => ptr(out, v),
        },
        Ty::XattrValOut => match ev.str_for(i).filter(|c| !c.faulted() && v != 0) {
            Some(c) if (0..=65536).contains(&ret) => io::xattr_value(out, c, ret as u64, opts),
            _ => ptr(out, v),
        },
        Ty::XattrList => match ev.str_for(i).filter(|c| !c.faulted() && v != 0) {
            Some(c) if ret >= 0 && a[(i + 1) % 6] != 0 => io::data(out, c, ret as u64, opts, false),
            _ => ptr(out, v),
        },
        Ty::InBuf(n) => match given(ev.str_for(i), v, a[n as usize % 6], opts) {
            Some(c) => io::data(out, c, a[n as usize % 6], opts, false),
            None => ptr(out, v),
        },
        // The size follows the buffer (read, recvfrom, getrandom): a result past it (recv's
        // MSG_TRUNC) filled only the buffer.
        Ty::OutBuf | Ty::OutBufHex => {
            let moved = (ret.max(0) as u64).min(a[(i + 1) % 6]);
            match ev.str_for(i).filter(|c| {
                v != 0 && (!c.faulted() || (c.page_end() && c.bytes.len() as u64 >= moved))
            }) {
                Some(c) if ret >= 0 => {
                    let c = Captured {
                        bytes: &c.bytes[..c.bytes.len().min(moved as usize)],
                        ..*c
                    };
                    io::data(out, &c, moved, opts, ty == Ty::OutBufHex)
                }
                _ => ptr(out, v),
            }
        }
        Ty::StatOut => structure(out, v, ev, i, |o, b| fs::stat(o, b, opts)),
        Ty::UtsnameOut => structure(out, v, ev, i, process::utsname),
        Ty::Timespec | Ty::TimespecOut => structure(out, v, ev, i, time::timespec),
        Ty::Rlimit(inf) | Ty::RlimitOut(inf) => {
            structure(out, v, ev, i, |o, b| process::rlimit(o, b, inf, opts))
        }
        Ty::RlimitResource => match xlat::name_of(v, process::RLIMITS) {
            Some(n) => out.push_str(n),
            None => consts::unknown(out, v, "RLIMIT_???"),
        },
        Ty::Sigaction | Ty::SigactionOut => structure(out, v, ev, i, signal::sigaction),
        // A set of another size than the kernel's: strace prints the pointer.
        // The kernel's own set is 8 bytes; rt_sigpending writes fewer when asked to.
        Ty::Sigset(n) if a[usize::from(n) % 6] != 8 => ptr(out, v),
        // Written only by a successful call.
        Ty::SigsetOut(n) if ret < 0 || !(1..=8).contains(&a[usize::from(n) % 6]) => ptr(out, v),
        // The kernel reads or writes `size` bytes of it (rt_sigpending accepts fewer than 8).
        Ty::Sigset(n) | Ty::SigsetOut(n) => structure(out, v, ev, i, |o, b| {
            let size = (a[usize::from(n) % 6] as usize).min(b.len());
            let mut set = [0u8; 8];
            set[..size].copy_from_slice(&b[..size]);
            signal::sigset_bytes(o, &set)
        }),
        Ty::TimeOut => structure(out, v, ev, i, |o, b| {
            b.len() >= 8 && {
                let t = i64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
                put!(o, "[{t} /* ");
                time::iso8601(o, t, None);
                o.push_str(" */]");
                true
            }
        }),
        Ty::Timezone | Ty::TimezoneOut => structure(out, v, ev, i, |o, b| {
            b.len() >= 8 && {
                let x = |k: usize| i32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
                put!(o, "{{tz_minuteswest={}, tz_dsttime={}}}", x(0), x(4));
                true
            }
        }),
        Ty::Timeval | Ty::TimevalOut => structure(out, v, ev, i, time::timeval),
        Ty::TimevalPair => structure(out, v, ev, i, |o, b| {
            b.len() >= 32 && {
                // Each time with its date, as strace annotates utimes.
                o.push('[');
                time::timeval_dated(o, &b[..16]);
                o.push_str(", ");
                time::timeval_dated(o, &b[16..32]);
                o.push(']');
                true
            }
        }),
        Ty::Itimerval | Ty::ItimervalOut => {
            structure(out, v, ev, i, |o, b| time::interval(o, b, time::timeval))
        }
        // Written only when a signal cut the sleep short.
        // (clock_nanosleep with TIMER_ABSTIME never writes it.)
        Ty::TimespecRem if matches!(-ret, 4 | 514 | 516) && !(i == 3 && a[1] & 1 != 0) => {
            structure(out, v, ev, i, time::timespec)
        }
        Ty::TimespecRem => ptr(out, v),
        // The value at entry; without the enter hook (a full trace), the value at exit.
        // No fds to read (nfds <= 0): the address, as strace shows it.
        Ty::FdSet(n) if v != 0 && nfds(a[usize::from(n) % 6]) == 0 => ptr(out, v),
        Ty::FdSet(_) | Ty::TimevalInOut | Ty::TimespecInOut if v != 0 => {
            match inout(ev.str_for(i)).and_then(|(exit, entry)| entry.or(exit)) {
                Some(b) => {
                    let mut s = String::new();
                    let shown = match ty {
                        Ty::FdSet(n) => {
                            io::fd_set(&mut s, b, nfds(a[usize::from(n) % 6]), Some(fds));
                            true
                        }
                        Ty::TimevalInOut => time::timeval(&mut s, b),
                        _ => time::timespec(&mut s, b),
                    };
                    if shown {
                        out.push_str(&s);
                    } else {
                        ptr(out, v);
                    }
                }
                None => ptr(out, v),
            }
        }
        Ty::FdSet(_) | Ty::TimevalInOut | Ty::TimespecInOut | Ty::LoffInOut if v == 0 => {
            out.push_str("NULL")
        }
        Ty::FdSet(_) | Ty::TimevalInOut | Ty::TimespecInOut => ptr(out, v),
        Ty::SchedAttr | Ty::SchedAttrOut(_) if v == 0 => out.push_str("NULL"),
        Ty::SchedAttr => match inout(ev.str_for(i)) {
            Some((exit, entry)) if entry.or(exit).is_some() => {
                process::sched_attr(out, entry.or(exit).unwrap_or_default(), None, opts);
                // E2BIG: the kernel wrote the size it takes.
                if let (Some(_), Some(e)) = (entry, exit)
                    && ret == -7
                    && e.len() >= 4
                {
                    let size = u32::from_ne_bytes(e[..4].try_into().unwrap_or_default());
                    put!(out, " => {{size={size}}}");
                }
            }
            _ => ptr(out, v),
        },
        Ty::SchedAttrOut(n) => {
            let usize = (a[usize::from(n) % 6] as u32).min(56) as usize;
            match ev.str_for(i) {
                Some(c)
                    if ret >= 0
                        && usize > 0
                        && (!c.faulted() || c.page_end())
                        && c.bytes.len() >= usize =>
                {
                    process::sched_attr(out, &c.bytes[..usize], Some(usize), opts)
                }
                _ => ptr(out, v),
            }
        }
        // sendfile's offset: `[0] => [35499]` (the new offset once data moved).
        Ty::LoffInOut => match inout(ev.str_for(i)) {
            Some((exit, entry)) if entry.or(exit).is_some_and(|b| b.len() >= 8) => {
                let at = |b: &[u8]| u64::from_ne_bytes(b[..8].try_into().unwrap_or_default());
                let first = entry.or(exit).unwrap_or_default();
                put!(out, "[{}]", at(first));
                if let (Some(_), Some(e)) = (entry, exit.filter(|e| e.len() >= 8))
                    && ret > 0
                    && a[3] != 0
                {
                    put!(out, " => [{}]", at(e));
                }
            }
            _ => ptr(out, v),
        },
        Ty::Siginfo | Ty::SiginfoOut => structure(out, v, ev, i, |o, b| {
            let Some(b) = b.get(..48).and_then(|b| <&[u8; 48]>::try_from(b).ok()) else {
                return false;
            };
            signal::siginfo(o, b, opts, fds);
            true
        }),
        // i386's struct statfs has 4-byte words: not decoded.
        Ty::StatfsOut if ev.abi() == Abi::I386 => ptr(out, v),
        Ty::StatfsOut => structure(out, v, ev, i, fs::statfs),
        // wait4 (its fourth argument) fills it only when it reports a child.
        Ty::RusageOut if i == 3 && ret == 0 => ptr(out, v),
        Ty::RusageOut => structure(out, v, ev, i, |o, b| process::rusage(o, b, opts.verbose)),
        // Layouts of x86_64 (longs): an i386 caller's structure is not decoded.
        Ty::TmsOut
        | Ty::Sigevent
        | Ty::Utimbuf
        | Ty::TimespecPair
        | Ty::SysctlArgs
        | Ty::IoUringParams
        | Ty::Array(Elem::KexecSeg, _)
        | Ty::MqAttr
        | Ty::MqAttrOut
        | Ty::MqOpenAttr
        | Ty::Itimerspec
        | Ty::ItimerspecOut
            if ev.abi() == Abi::I386 =>
        {
            ptr(out, v)
        }
        Ty::TmsOut => structure(out, v, ev, i, |o, b| time::tms(o, b, opts)),
        Ty::Utimbuf => structure(out, v, ev, i, time::utimbuf),
        Ty::UserDesc(n) if a[usize::from(n) % 6] != 16 => ptr(out, v),
        Ty::UserDesc(_) => structure(out, v, ev, i, process::user_desc),
        Ty::Timex => structure(out, v, ev, i, |o, b| time::timex(o, b, opts)),
        Ty::TimespecPair => structure(out, v, ev, i, |o, b| {
            b.len() >= 32 && {
                o.push('[');
                time::utime_timespec(o, &b[..16], opts);
                o.push_str(", ");
                time::utime_timespec(o, &b[16..32], opts);
                o.push(']');
                true
            }
        }),
        Ty::Sigevent => structure(out, v, ev, i, signal::sigevent),
        Ty::MqAttr | Ty::MqAttrOut => structure(out, v, ev, i, |o, b| io::mq_attr(o, b, true)),
        Ty::MqOpenAttr => structure(out, v, ev, i, |o, b| io::mq_attr(o, b, false)),
        Ty::Itimerspec | Ty::ItimerspecOut => {
            structure(out, v, ev, i, |o, b| time::interval(o, b, time::timespec))
        }
        Ty::SwapFlags => fs::swap_flags(out, v),
        Ty::KexecFlags => process::kexec_flags(out, v),
        Ty::IoUringParams => structure(out, v, ev, i, |o, b| io::uring_params(o, b, ret >= 0, fds)),
        Ty::SysctlArgs => structure(out, v, ev, i, |o, b| {
            b.len() >= 80 && {
                let q = |k: usize| u64::from_ne_bytes(b[k..k + 8].try_into().unwrap_or_default());
                o.push_str("{name=");
                ptr(o, q(0));
                put!(o, ", nlen={}, oldval=", q(8) as u32 as i32);
                ptr(o, q(16));
                o.push_str(", oldlenp=");
                ptr(o, q(24));
                o.push_str(", newval=");
                ptr(o, q(32));
                put!(o, ", newlen={}}}", q(40));
                true
            }
        }),
        Ty::FcntlArg => int(out, v),
        // Printed by the quotactl and seccomp decoders, which know the command.
        Ty::QuotaData | Ty::SeccompArg | Ty::BpfAttr(_) | Ty::KcmpIdx2 => ptr(out, v),
        Ty::LandlockRuleset(n) => {
            let size = a[usize::from(n) % 6];
            match ev.str_for(i).filter(|c| !c.faulted() || c.page_end()) {
                Some(c) if v != 0 && size >= 8 && c.bytes.len() >= 8 => {
                    let access = u64::from_ne_bytes(c.bytes[..8].try_into().unwrap_or_default());
                    out.push_str("{handled_access_fs=");
                    consts::styled(out, access, &consts::LANDLOCK_ACCESS_FS, true, opts);
                    out.push_str(if size > 8 { ", ...}" } else { "}" });
                }
                _ => ptr(out, v),
            }
        }
        // LANDLOCK_RULE_PATH_BENEATH: struct landlock_path_beneath_attr (packed).
        Ty::LandlockRule(n) if a[usize::from(n) % 6] as u32 == 1 => match ev.str_for(i) {
            Some(c) if v != 0 && !c.faulted() && c.bytes.len() >= 12 => {
                let access = u64::from_ne_bytes(c.bytes[..8].try_into().unwrap_or_default());
                out.push_str("{allowed_access=");
                consts::styled(out, access, &consts::LANDLOCK_ACCESS_FS, true, opts);
                out.push_str(", parent_fd=");
                fd_text(
                    out,
                    i32::from_ne_bytes(c.bytes[8..12].try_into().unwrap_or_default()),
                    fds,
                );
                out.push('}');
            }
            _ => ptr(out, v),
        },
        Ty::LandlockRule(_) => ptr(out, v),
        Ty::FanDirfd if v as u32 as i32 == -1 => {
            styled(out, opts, |o| o.push_str("-1"), |o| o.push_str("FAN_NOFD"))
        }
        Ty::FanDirfd => arg(out, Ty::Dirfd, v, i, ev, opts, fds),
        Ty::KeySerial => {
            const SPECS: xlat::Xlat = &[
                (0xffff_ffff, "KEY_SPEC_THREAD_KEYRING"),
                (0xffff_fffe, "KEY_SPEC_PROCESS_KEYRING"),
                (0xffff_fffd, "KEY_SPEC_SESSION_KEYRING"),
                (0xffff_fffc, "KEY_SPEC_USER_KEYRING"),
                (0xffff_fffb, "KEY_SPEC_USER_SESSION_KEYRING"),
                (0xffff_fffa, "KEY_SPEC_GROUP_KEYRING"),
                (0xffff_fff9, "KEY_SPEC_REQKEY_AUTH_KEY"),
                (0xffff_fff8, "KEY_SPEC_REQUESTOR_KEYRING"),
            ];
            match xlat::name_of(v & 0xffff_ffff, SPECS) {
                Some(n) => styled(out, opts, |o| int(o, v as u32 as i32), |o| o.push_str(n)),
                None => int(out, v as u32 as i32),
            }
        }
        // An fd of the process argument 0's pidfd refers to.
        Ty::PidfdTarget => {
            let fd = v as u32 as i32;
            int(out, fd);
            angled(out, fds.name_via_pidfd(a[0] as u32 as i32, fd).as_deref());
        }
        Ty::StrMax(max) => string_max(out, v, ev.str_for(i), usize::from(max), opts),
        Ty::MemfdFlags => fs::memfd_flags(out, v, opts),
        // The kernel's clone_args up to `tls` at least (64 bytes), 88 known.
        Ty::CloneArgs(n) => {
            let size = a[usize::from(n) % 6];
            let set_tid = ev.str_for(i | usize::from(tracer_common::SLOT_CONTENTS));
            grown(out, v, ev.str_for(i), size, (64, 88), opts, |o, b| {
                process::clone_args(o, b, size, set_tid, opts)
            });
            process::clone3_result(out, ev, size, opts);
        }
        Ty::MountAttr(n) => {
            let size = a[usize::from(n) % 6];
            grown(out, v, ev.str_for(i), size, (32, 32), opts, |o, b| {
                fs::mount_attr(o, b, opts, fds)
            });
        }
        Ty::OpenHow(n) => grown(
            out,
            v,
            ev.str_for(i),
            a[usize::from(n) % 6],
            (24, 24),
            opts,
            |o, b| fs::open_how(o, b, opts),
        ),
        // i386's getgroups/setgroups take 16-bit ids.
        Ty::Array(Elem::Gid, _) | Ty::ArrayOut(Elem::Gid) if ev.abi() == Abi::I386 => ptr(out, v),
        // More segments than the kernel takes (KEXEC_SEGMENT_MAX): the address.
        Ty::Array(Elem::KexecSeg, n) if a[usize::from(n) % 6] > 16 => ptr(out, v),
        Ty::Array(e, n) => array(
            out,
            v,
            ev.str_for(i),
            a[usize::from(n) % 6] & 0xffff_ffff,
            e,
            opts,
        ),
        // Written only by a successful call.
        Ty::ArrayOut(e) if ret >= 0 => array(out, v, ev.str_for(i), ret as u64, e, opts),
        Ty::ArrayOut(_) => ptr(out, v),
        Ty::MincoreVec(n) => {
            let len = a[usize::from(n) % 6];
            array(
                out,
                v,
                ev.str_for(i),
                len.div_ceil(4096),
                Elem::PageBit,
                opts,
            )
        }
        Ty::ArrayOutN(e, n) => {
            let count = a[usize::from(n) % 6] & 0xffff_ffff;
            if ret >= 0 || count == 0 {
                array(out, v, ev.str_for(i), count, e, opts)
            } else {
                ptr(out, v)
            }
        }
        // Written only by a successful call.
        Ty::NodemaskOut(_) if ret < 0 => ptr(out, v),
        Ty::Nodemask(n) | Ty::NodemaskOut(n) => {
            let maxnode = a[usize::from(n) % 6];
            let words = maxnode.saturating_add(62) / 64;
            if words < maxnode / 64 || (maxnode != 0 && words == 0) {
                ptr(out, v)
            } else {
                array(out, v, ev.str_for(i), words, Elem::NodeWord, opts)
            }
        }
        Ty::CpuSet(n) => match ev.str_for(i) {
            _ if v == 0 => out.push_str("NULL"),
            _ if a[usize::from(n) % 6] & 0xffff_ffff == 0 => out.push_str("[]"),
            Some(c) if !c.faulted() => {
                process::cpu_set(out, c.bytes);
            }
            _ => ptr(out, v),
        },
        Ty::Ioprio => styled(
            out,
            opts,
            |o| int(o, v as u32 as i32),
            |o| process::ioprio(o, v, opts),
        ),
        Ty::SigprocmaskHow => signal::how(out, v),
        Ty::Pollfds(_) if v == 0 => out.push_str("NULL"),
        // The elements up to an unreadable page will do (the array may end at one).
        Ty::Pollfds(n) => match ev.str_for(i).filter(|c| !c.faulted() || c.page_end()) {
            Some(c) => {
                // -v shows every element; else as many as -s says.
                let max = if opts.verbose {
                    usize::MAX
                } else {
                    opts.strsize
                };
                io::pollfds(out, c.bytes, a[usize::from(n) % 6] as u32, v, max)
            }
            None => ptr(out, v),
        },
        Ty::XvalIn(c) | Ty::XvalOut(c) => structure(out, v, ev, i, |o, b| {
            b.len() >= 4 && {
                o.push('[');
                let x = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                consts::styled(o, u64::from(x), c, false, opts);
                o.push(']');
                true
            }
        }),
        Ty::XflagsIn(c) | Ty::XflagsOut(c) => structure(out, v, ev, i, |o, b| {
            b.len() >= 4 && {
                o.push('[');
                let x = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                consts::styled(o, u64::from(x), c, true, opts);
                o.push(']');
                true
            }
        }),
        Ty::SignalOut => structure(out, v, ev, i, |o, b| {
            b.len() >= 4 && {
                let x = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                put!(o, "[{}]", signal::name(u64::from(x)));
                true
            }
        }),
        Ty::XfeatureMaskOut => structure(out, v, ev, i, |o, b| {
            b.len() >= 8 && {
                let x = u64::from_ne_bytes(b[..8].try_into().unwrap_or_default());
                o.push('[');
                number_with_names(o, x, &consts::XFEATURE_MASKS, true, opts);
                o.push(']');
                true
            }
        }),
        Ty::Xfeature => number_with_names(out, v, &consts::XFEATURES, false, opts),
        Ty::VecLen(c) => vec_len(out, v, c, opts, false),
        Ty::XvalVerbose(c) => number_with_names(out, c.value(v), c, false, opts),
        Ty::HexOut => structure(out, v, ev, i, |o, b| {
            b.len() >= 8 && {
                let x = u64::from_ne_bytes(b[..8].try_into().unwrap_or_default());
                o.push('[');
                number(o, x, Num::Hex);
                o.push(']');
                true
            }
        }),
        Ty::SeccompFprog => process::seccomp_fprog(out, ev, i, opts),
        Ty::IpcKey => ipc::key(out, v, opts),
        Ty::IpcGetFlags(shm) => ipc::get_flags(out, v, shm, opts),
        Ty::IpcCmd(c) => ipc::cmd(out, v, c, opts),
        Ty::Ipc(k) => structure(out, v, ev, i, |o, b| ipc::structure(o, b, k)),
        Ty::IoctlArg(k) => {
            let call = ioctl::Call {
                addr: v,
                ret: ev.rec.ret,
                injected: injected(ev),
            };
            let mut s = String::new();
            // What comes before an unreadable page counts (a buffer after a header).
            match ev.str_for(i).filter(|c| !c.faulted() || c.page_end()) {
                _ if v == 0 => out.push_str("NULL"),
                Some(c) if ioctl::structure(&mut s, c.bytes, k, &call, opts, fds) => {
                    out.push_str(&s)
                }
                _ => ptr(out, v),
            }
        }
        Ty::UintIn | Ty::UintOut | Ty::HexIntIn => structure(out, v, ev, i, |o, b| {
            b.len() >= 4 && {
                let x = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                o.push('[');
                match ty {
                    Ty::HexIntIn => fs::c_hex(o, u64::from(x)),
                    _ => int(o, x),
                }
                o.push(']');
                true
            }
        }),
        Ty::SchedCorePid => pid(out, i64::from(v as u32 as i32), opts, fds),
        Ty::PdeathSig if v > 128 => int(out, v),
        Ty::PdeathSig => out.push_str(&signal::name(v)),
        Ty::PtracerPid if v as i32 == -1 => styled(
            out,
            opts,
            |o| o.push_str("-1"),
            |o| o.push_str("PR_SET_PTRACER_ANY"),
        ),
        Ty::PtracerPid => pid(out, i64::from(v as i32), opts, fds),
        Ty::IntIn | Ty::IntOut => structure(out, v, ev, i, |o, b| {
            b.len() >= 4 && {
                put!(
                    o,
                    "[{}]",
                    i32::from_ne_bytes(b[0..4].try_into().unwrap_or_default())
                );
                true
            }
        }),
        Ty::UlongOut | Ty::PtrOut | Ty::OffInOut | Ty::U64In | Ty::HexU64In => {
            structure(out, v, ev, i, |o, b| {
                b.len() >= 8 && {
                    let x = u64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
                    o.push('[');
                    match ty {
                        Ty::PtrOut => ptr(o, x),
                        Ty::HexU64In => fs::c_hex(o, x),
                        Ty::OffInOut => int(o, x as i64),
                        _ => int(o, x),
                    }
                    o.push(']');
                    true
                }
            })
        }
        Ty::IntPairOut => structure(out, v, ev, i, |o, b| {
            let x = |k: usize| i32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
            b.len() >= 8 && {
                put!(o, "[{}, {}]", x(0), x(4));
                true
            }
        }),
        Ty::WaitStatusOut => {
            if ret > 0 {
                structure(out, v, ev, i, |o, b| {
                    b.len() >= 4 && {
                        process::wait_status(
                            o,
                            u32::from_ne_bytes(b[0..4].try_into().unwrap_or_default()),
                        );
                        true
                    }
                })
            } else {
                ptr(out, v)
            }
        }
        Ty::WaitOptions => process::wait_options(out, v),
        Ty::Iovec(_) | Ty::IovecOut(_) => {
            let total = if matches!(ty, Ty::IovecOut(_)) {
                Some(ret.max(0) as u64)
            } else {
                None
            };
            // An array that runs into an unreadable page: the iovecs before it, then where
            // the memory ends (`[{...}, ... /* 0x7f.. */]`).
            let arr = ev
                .str_for(i)
                .filter(|c| v != 0 && (!c.faulted() || (c.page_end() && c.bytes.len() >= 16)));
            match arr {
                // A failed read wrote nothing: the buffers' addresses.
                Some(arr) if ret < 0 && total.is_some() => {
                    io::iovec(out, (v, arr), None, None, opts)
                }
                Some(arr) => {
                    let data = ev.str_for(i | usize::from(tracer_common::SLOT_CONTENTS));
                    io::iovec(out, (v, arr), data, total, opts);
                }
                _ => ptr(out, v),
            }
        }
        // EPOLL_CTL_DEL ignores the event: strace prints its address.
        Ty::EpollEvent if a[1] & 0xffff_ffff == 2 => ptr(out, v),
        Ty::EpollEvent => structure(out, v, ev, i, |o, b| {
            io::epoll_events(o, b, false);
            b.len() >= 12
        }),
        Ty::EpollEventsOut => {
            if ret > 0 {
                structure(out, v, ev, i, |o, b| {
                    io::epoll_events(o, b, true);
                    true
                })
            } else if ret == 0 {
                out.push_str("[]");
            } else {
                ptr(out, v)
            }
        }
        Ty::EpollCtlOp => io::epoll_ctl_op(out, v),
        // i386's old getdents has 32-bit fields: not decoded.
        Ty::DirentsOut if ev.abi() == Abi::I386 && ev.rec.nr == 141 => ptr(out, v),
        // Decoded when the call succeeded with no more than it was asked for.
        Ty::DirentsOut => match ev.str_for(i) {
            Some(c)
                if ret >= 0
                    && ret as u64 <= a[2] & 0xffff_ffff
                    && v != 0
                    && io::dirents(
                        out,
                        c.bytes,
                        ret as usize,
                        v,
                        ev.abi() == Abi::X86_64 && ev.rec.nr == 78,
                        opts.verbose,
                    ) => {}
            _ => ptr(out, v),
        },
        Ty::ClockId => time::clock_id(out, v),
        Ty::SocketFamily => net::family(out, v),
        Ty::SocketType => net::sock_type(out, v),
        Ty::SockFlags => net::sock_flags(out, v),
        Ty::SockLevel => net::sock_level(out, v),
        // An `unsigned int` in every socket call.
        Ty::MsgFlags => net::msg_flags(out, v & 0xffff_ffff),
        Ty::ShutdownHow => net::shutdown_how(out, v),
        Ty::FutexOp => {
            process::futex_op(out, v);
        }
        Ty::IoctlReq => io::ioctl_request(out, v, opts),
        Ty::Madvise => mem::madvise(out, v),
        Ty::Fadvise => fs::fadvise(out, v),
        Ty::CloneFlags => process::clone_flags(out, v),
        Ty::ArchPrctl => process::arch_prctl(out, v),
        Ty::PrctlOption => process::prctl_option(out, v),
        Ty::GrndFlags => process::grnd_flags(out, v),
        Ty::FdFlags(prefix) => {
            // Each family names the same bits its own way (EPOLL_CLOEXEC, EFD_NONBLOCK...).
            let mut f = String::new();
            fs::fd_flags(&mut f, v);
            out.push_str(&f.replace("O_", prefix));
        }
        Ty::SysinfoOut => structure(out, v, ev, i, process::sysinfo),
        Ty::CpuSetOut => structure(out, v, ev, i, process::cpu_set),
        Ty::StatxFlags => fs::statx_flags(out, v),
        Ty::StatxMask => fs::statx_mask(out, v),
        Ty::StatxOut => structure(out, v, ev, i, |o, b| fs::statx(o, b, opts.verbose)),
        Ty::SockOpt(get) => net::sock_opt(out, a[1], v, get),
        Ty::SockOptValOut(n) => net::getsockopt_value(
            out,
            (v, ret),
            (a[1] as u32, a[2] as u32),
            ev.str_for(i),
            {
                let (now, at_entry) = socklen_of(ev, usize::from(n));
                (at_entry, now)
            },
            opts,
            fds,
        ),
        Ty::SockOptVal(n) => net::setsockopt_value(
            out,
            v,
            (a[1] as u32, a[2] as u32),
            ev.str_for(i),
            a[usize::from(n) % 6] as u32 as i32,
            opts,
        ),
        Ty::Msghdr | Ty::MsghdrOut | Ty::Mmsghdr | Ty::MmsghdrOut => {
            net::msghdr_arg(out, ty, v, i, ev, opts, fds)
        }
        Ty::SockLen(n) => socklen(
            out,
            v,
            Some(a[usize::from(n) % 6]),
            ev.str_for(i | usize::from(SLOT_LEN)),
            ret,
        ),
        Ty::OptLen => socklen(out, v, None, ev.str_for(i | usize::from(SLOT_LEN)), ret),
        Ty::PtraceAddr | Ty::PtraceData => ptr(out, v),
        Ty::AioSigset => {
            let mask = ev.str_for(i | usize::from(tracer_common::SLOT_CONTENTS));
            structure(out, v, ev, i, |o, b| signal::aio_sigset(o, b, mask))
        }
        Ty::PerfEventAttr => {
            let b = ev
                .str_for(i)
                .filter(|c| !c.faulted() || c.page_end())
                .map(|c| c.bytes);
            let size_in = inout(ev.str_for(i | usize::from(tracer_common::SLOT_CONTENTS)))
                .and_then(|(_, entry)| entry)
                .and_then(|e| Some(u32::from_ne_bytes(e.get(4..8)?.try_into().ok()?)));
            perf::attr(out, v, b, size_in, opts)
        }
    }
}

/// Whether the call's result was injected (`-e inject=`): the kernel did not run it.
fn injected(ev: &Event) -> bool {
    ev.rec.flags & tracer_common::record_flags::INJECTED != 0
}

/// The argument list, without parentheses: `AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC`.
pub fn args(
    ev: &Event,
    sc: &Syscall,
    opts: &Opts,
    exec: Option<&ExecInfo>,
    fds: &mut dyn FdNames,
) -> String {
    let mut out = String::new();
    args_into(&mut out, ev, sc, opts, exec, fds);
    out
}

/// [`args`], appended to `out` (a buffer reused from call to call).
pub fn args_into(
    out: &mut String,
    ev: &Event,
    sc: &Syscall,
    opts: &Opts,
    exec: Option<&ExecInfo>,
    fds: &mut dyn FdNames,
) {
    if opts.raw {
        return raw_args(out, ev, sc);
    }
    // A command's own row (prctl's option, ioctl's request).
    let resolved = crate::syscalls::commands::resolve(sc, &ev.rec.args);
    let sc = resolved.as_ref().unwrap_or(sc);
    match sc.dec {
        Dec::Execve if ev.rec.ret != 0 && exec.is_some_and(|x| x.entry.is_some()) => {
            process::execve_failed(out, ev, sc, exec.and_then(|x| x.entry.as_ref()), opts, fds)
        }
        Dec::Execve if exec.is_some() || ev.rec.ret == 0 => {
            process::execve(out, sc, exec, opts, fds)
        }
        Dec::Fcntl => fs::fcntl(out, ev, opts, fds),
        Dec::Quotactl => fs::quotactl(out, ev, sc, opts, fds),
        Dec::Seccomp => process::seccomp(out, ev, opts),
        Dec::Bpf => process::bpf(out, ev, opts, fds),
        Dec::Kcmp => process::kcmp(out, ev, sc, opts, fds),
        Dec::Ptrace => ptrace::ptrace(out, ev, opts, fds),
        // LINUX_REBOOT_CMD_RESTART2 alone takes the command string.
        Dec::Reboot => {
            let n = if ev.rec.args[2] as u32 == 0xa1b2_c3d4 {
                4
            } else {
                3
            };
            typed(
                out,
                ev,
                &Syscall {
                    args: &sc.args[..n],
                    ..*sc
                },
                opts,
                fds,
                |_, _, _| false,
            )
        }
        Dec::Mount => fs::mount(out, ev, sc, opts, fds),
        Dec::Fsconfig => fs::fsconfig(out, ev, opts, fds),
        Dec::Syslog => process::syslog(out, ev, opts, fds),
        Dec::Socket => net::socket(out, ev, sc, opts, fds),
        Dec::Futex => process::futex(out, ev, opts, fds),
        Dec::Clone => process::clone(out, ev),
        Dec::RtSigreturn => signal::rt_sigreturn(out, ev),
        Dec::Ioctl if io::ioctl(out, ev) => {}
        // A named request that reads or writes memory takes a pointer: 0 is NULL.
        Dec::Ioctl => typed(out, ev, sc, opts, fds, |o, i, v| {
            let null = i == 2 && v == 0 && io::ioctl_pointer(ev.rec.args[1]);
            if null {
                o.push_str("NULL");
            }
            null
        }),
        Dec::Faccessat2 => typed(out, ev, sc, opts, fds, |o, i, v| {
            (i == 3).then(|| fs::faccessat_flags(o, v)).is_some()
        }),
        _ => typed(out, ev, sc, opts, fds, |_, _, _| false),
    }
}

/// Each argument by its table type; `special(out, i, value)` may print one itself (true).
pub(crate) fn typed(
    out: &mut String,
    ev: &Event,
    sc: &Syscall,
    opts: &Opts,
    fds: &mut dyn FdNames,
    special: impl Fn(&mut String, usize, u64) -> bool,
) {
    let a = ev.rec.args;
    let flags_arg = sc.args.iter().position(|t| matches!(t, Ty::OpenFlags));
    for (i, ty) in sc.args.iter().enumerate() {
        if matches!(ty, Ty::OpenMode) {
            // open/openat print the mode only when the flags can create a file.
            let creates = flags_arg
                // O_TMPFILE's own bit is enough (strace: `flags & (O_CREAT | __O_TMPFILE)`).
                .map(|f| a[f] & fs::O_CREAT != 0 || a[f] & 0o20000000 != 0)
                .unwrap_or(true);
            if !creates {
                // What follows the mode (mq_open's attributes) goes with it.
                break;
            }
        }
        if matches!(ty, Ty::Skip) {
            continue;
        }
        if matches!(ty, Ty::Dev) {
            // mknod/mknodat print the device only for a character or block device.
            const S_IFMT: u64 = 0o170000;
            let device = sc
                .args
                .iter()
                .position(|t| matches!(t, Ty::TypedMode))
                .map(|m| matches!(a[m] & S_IFMT, 0o020000 | 0o060000))
                .unwrap_or(true);
            if !device {
                continue;
            }
        }
        if i > 0 {
            out.push_str(", ");
        }
        if special(out, i, a[i]) {
            continue;
        }
        if !opts.structs && is_structure(*ty) {
            ptr(out, a[i]);
            continue;
        }
        // -X raw/verbose: constants as numbers (the default needs no classification).
        let kind = match opts.consts {
            Consts::Abbrev => None,
            _ if matches!(*ty, Ty::Dirfd | Ty::FanDirfd) && a[i] as u32 as i32 == fs::AT_FDCWD => {
                // `-100 /* AT_FDCWD */</tmp>`: the number, its name, then the directory.
                styled(
                    out,
                    opts,
                    |o| int(o, fs::AT_FDCWD),
                    |o| o.push_str("AT_FDCWD"),
                );
                angled(out, fds.cwd().as_deref());
                continue;
            }
            _ => constant(*ty),
        };
        match (opts.consts, kind) {
            (Consts::Raw, Some(n)) => number(out, as_read(*ty, a[i]), n),
            (Consts::Verbose, Some(n)) => number_and_name(
                out,
                |o| number(o, as_read(*ty, a[i]), n),
                |o| arg(o, *ty, a[i], i, ev, opts, fds),
            ),
            _ => arg(out, *ty, a[i], i, ev, opts, fds),
        }
    }
}

/// The text after `= `: `3`, `3</etc/passwd>` with -y, `0x7f...`, `?`, `-1 ENOENT (...)`.
#[cfg(test)]
pub fn ret(ev: &Event, sc: Option<&Syscall>, fds: &mut dyn FdNames) -> String {
    let mut out = String::new();
    ret_into(&mut out, ev, sc, &Opts::default(), fds);
    out
}

/// [`ret`], appended to `out` (a buffer reused from call to call).
pub fn ret_into(
    out: &mut String,
    ev: &Event,
    sc: Option<&Syscall>,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    let r = ev.rec.ret;
    if errno::is_error(r) {
        let e = (-r) as u32;
        match errno::lookup(e) {
            Some((name, msg)) if errno::is_restart(e) => put!(out, "? {name} ({msg})"),
            Some((name, msg)) => put!(out, "-1 {name} ({msg})"),
            None => put!(out, "-1 {e}"),
        }
        return;
    }
    if opts.raw && r != 0 {
        return put!(out, "{r:#x}");
    }
    let resolved = sc.and_then(|s| crate::syscalls::commands::resolve(s, &ev.rec.args));
    let sc = resolved.as_ref().or(sc);
    let dec = sc.map(|s| s.dec);
    if dec == Some(Dec::Fcntl) && fs::fcntl_ret(out, ev) {
        return;
    }
    match sc.map(|s| s.ret) {
        // bpf: only some commands return an fd (and landlock_create_ruleset not always).
        Some(Ret::Fd) if sc.is_some_and(|s| !s.returns_fd(&ev.rec.args)) => int(out, r),
        Some(Ret::Fd) => fd_text(out, r as i32, fds),
        Some(Ret::Hex) => put!(out, "{r:#x}"),
        Some(Ret::Noreturn) => out.push('?'),
        Some(Ret::Pid) => pid(out, r, opts, fds),
        // F_GETOWN's owner: a process (as the caller names it), or a group negated.
        _ if dec == Some(Dec::Fcntl) && ev.rec.args[1] & 0xffff_ffff == fs::F_GETOWN => {
            if r < 0 {
                out.push('-');
            }
            pid(out, r.abs(), opts, fds);
        }
        Some(Ret::Octal) => fs::numeric_mode(out, r as u64),
        Some(Ret::Signal) => {
            int(out, r);
            if (1..=64).contains(&r) {
                put!(out, " ({})", signal::name(r as u64));
            }
        }
        Some(Ret::Named(c)) => {
            int(out, r);
            if let Some(n) = xlat::name_of(r as u64, c.table) {
                put!(out, " ({n})");
            }
        }
        Some(Ret::VecLen(c)) if r > 0 => {
            put!(out, "{r:#x}");
            vec_len(out, r as u64, c, opts, true);
        }
        Some(Ret::HexFlags(c)) if r == 0 && opts.consts != Consts::Raw => {
            out.push('0');
            if let Some(n) = xlat::name_of(0, c.table) {
                put!(out, " ({n})");
            }
        }
        // The names only where one is known, and not in -X raw (strace's auxiliary text).
        Some(Ret::HexFlags(c)) if r > 0 => {
            put!(out, "{r:#x}");
            if c.any_known(r as u64) && opts.consts != Consts::Raw {
                out.push_str(" (");
                consts::flags(out, r as u64, c);
                out.push(')');
            }
        }
        Some(Ret::Ioprio) => {
            int(out, r);
            if opts.consts != Consts::Raw {
                out.push_str(" (");
                process::ioprio(out, r as u64, opts);
                out.push(')');
            }
        }
        Some(Ret::Time) => {
            int(out, r);
            out.push_str(" (");
            time::iso8601(out, r, None);
            out.push(')');
        }
        Some(Ret::Ldt) if r as u64 >= 0xffff_f000 => {
            int(out, r);
            match errno::lookup((r as u32).wrapping_neg()) {
                Some((name, msg)) => put!(out, " {name} ({msg})"),
                None => put!(out, " {}", (r as u32).wrapping_neg()),
            }
        }
        _ => int(out, r),
    }
    if dec == Some(Dec::Poll) {
        io::poll_ret(out, ev, sc.is_some_and(|s| s.name == "ppoll"));
    }
    match sc.map(|s| s.name) {
        Some("select") => io::select_note(out, ev, time::timeval),
        Some("pselect6") => io::select_note(out, ev, time::timespec),
        Some("recvmmsg") if r == 0 => out.push_str(" (Timeout)"),
        // `-e verbose=none`: recvmmsg's timeout is an address, and no time left is shown.
        Some("recvmmsg") if ev.rec.args[4] != 0 && opts.structs => {
            out.push_str(" (left ");
            io::time_left(out, ev, 4, time::timespec);
            out.push(')');
        }
        _ => {}
    }
}

/// An in/out object's bytes at exit and at entry, each when it was read.
pub(crate) type InOut<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

/// An in/out object's slot (`capture::INOUT_BYTES`), split into its two sides.
pub(crate) fn inout<'a>(c: Option<&crate::source::Captured<'a>>) -> Option<InOut<'a>> {
    let b = c?.bytes;
    let n = usize::from(u16::from_ne_bytes(b.get(0..2)?.try_into().ok()?));
    let ok = u16::from_ne_bytes(b.get(2..4)?.try_into().ok()?);
    let exit = b.get(4..4 + n).filter(|_| ok & 1 != 0);
    let entry = b.get(4 + n..4 + 2 * n).filter(|_| ok & 2 != 0);
    Some((exit, entry))
}

/// select's nfds as the kernel takes it (an int; negative is none), capped as strace caps it.
pub(crate) fn nfds(v: u64) -> usize {
    (v as i32).clamp(0, 1024 * 1024) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        source::{encode, parse},
        syscalls::{Abi, by_name},
    };
    use tracer_common::{Record, StrMeta, kind, str_status};

    fn event(
        name: &str,
        args: [u64; 6],
        ret: i64,
        strs: &[(u8, &[u8])],
    ) -> (Event<'static>, &'static Syscall) {
        let sc = by_name(Abi::X86_64, name).unwrap();
        let mut rec = Record {
            kind: kind::SYSCALL,
            nr: sc.nr as i32,
            args,
            ret,
            ..Default::default()
        };
        for (i, (a, s)) in strs.iter().enumerate() {
            rec.strs[i] = StrMeta {
                arg: *a,
                status: str_status::OK,
                len: s.len() as u16,
            };
        }
        let bytes: Vec<&[u8]> = strs.iter().map(|(_, s)| *s).collect();
        // Leaked: each test event lives for the test.
        let bytes: &'static [u8] = Box::leak(encode(&rec, &bytes).into_boxed_slice());
        (parse(bytes).unwrap(), sc)
    }

    fn line(name: &str, args: [u64; 6], r: i64, strs: &[(u8, &[u8])]) -> String {
        let (ev, sc) = event(name, args, r, strs);
        format!(
            "{}({}) = {}",
            sc.name,
            super::args(&ev, sc, &Opts::default(), None, &mut NoFds),
            ret(&ev, Some(sc), &mut NoFds)
        )
    }

    /// An INOUT_BYTES slot: n, which sides were read, the bytes at exit, the bytes at entry.
    fn inout_slot(exit: Option<&[u8]>, entry: Option<&[u8]>) -> Vec<u8> {
        let n = exit.or(entry).map_or(0, <[u8]>::len);
        let ok = u16::from(exit.is_some()) | (u16::from(entry.is_some()) << 1);
        let mut b = (n as u16).to_ne_bytes().to_vec();
        b.extend(ok.to_ne_bytes());
        b.extend(exit.map_or(vec![0; n], <[u8]>::to_vec));
        b.extend(entry.map_or(vec![0; n], <[u8]>::to_vec));
        b
    }

    #[test]
    fn select_sets_and_timeouts_at_entry_and_exit() {
        // Entry: read {3, 4}, write {1}; exit: 4 readable; the timeout went from 2.5 s to 1 s.
        let set = |fds: &[usize]| {
            let mut b = vec![0u8; 8];
            for fd in fds {
                b[fd / 8] |= 1 << (fd % 8);
            }
            b
        };
        let tv = |s: u64, us: u64| [s.to_ne_bytes(), us.to_ne_bytes()].concat();
        let (r_in, r_out) = (set(&[3, 4]), set(&[4]));
        let (w_in, w_out) = (set(&[1]), set(&[]));
        let (t_in, t_out) = (tv(2, 500_000), tv(1, 0));
        let r = inout_slot(Some(&r_out), Some(&r_in));
        let w = inout_slot(Some(&w_out), Some(&w_in));
        let t = inout_slot(Some(&t_out), Some(&t_in));
        let args = [5, 0x1000, 0x2000, 0, 0x3000, 0];
        assert_eq!(
            line("select", args, 1, &[(1, &r), (2, &w), (4, &t)]),
            "select(5, [3 4], [1], NULL, {tv_sec=2, tv_usec=500000}) = 1 (in [4], left {tv_sec=1, tv_usec=0})"
        );
        assert_eq!(
            line("select", args, 0, &[(1, &r), (2, &w), (4, &t)]),
            "select(5, [3 4], [1], NULL, {tv_sec=2, tv_usec=500000}) = 0 (Timeout)"
        );
        // Without the enter hook (a full trace): the values the kernel left.
        let r = inout_slot(Some(&r_out), None);
        let t = inout_slot(Some(&t_out), None);
        assert_eq!(
            line(
                "select",
                [5, 0x1000, 0, 0, 0x3000, 0],
                1,
                &[(1, &r), (4, &t)]
            ),
            "select(5, [4], NULL, NULL, {tv_sec=1, tv_usec=0}) = 1 (in [4], left {tv_sec=1, tv_usec=0})"
        );
        // nfds <= 0: no fds to read, the address.
        assert_eq!(
            line("select", [-1i64 as u64, 0, 0x2000, 0, 0, 0], -22, &[]),
            "select(-1, NULL, 0x2000, NULL, NULL) = -1 EINVAL (Invalid argument)"
        );
    }

    #[test]
    fn bpf_obj_get_info_shows_the_length_given_and_the_length_left() {
        let attr = |len: u32| {
            let mut b = 4u32.to_ne_bytes().to_vec();
            b.extend(len.to_ne_bytes());
            b.extend(0x9000u64.to_ne_bytes());
            b
        };
        let (now, given) = (attr(104), attr(152));
        let io = inout_slot(Some(&now), Some(&given));
        let inout = 1 | tracer_common::SLOT_CONTENTS;
        assert_eq!(
            line(
                "bpf",
                [15, 0x8000, 16, 0, 0, 0],
                0,
                &[(1, &now), (inout, &io)]
            ),
            "bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=4, info_len=152 => 104, info=0x9000}}, 16) = 0"
        );
        // Without the enter hook: the length the kernel left.
        assert_eq!(
            line("bpf", [15, 0x8000, 16, 0, 0, 0], 0, &[(1, &now)]),
            "bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=4, info_len=104, info=0x9000}}, 16) = 0"
        );
    }

    #[test]
    fn ptrace_requests_read_what_they_take() {
        const DATA: u8 = 3 | tracer_common::SLOT_CONTENTS;
        const REGSET: u8 = 3 | tracer_common::SLOT_IOV;
        // Requests that take no address or data print none.
        assert_eq!(
            line("ptrace", [16, 42, 7, 9, 0, 0], -1, &[]),
            "ptrace(PTRACE_ATTACH, 42) = -1 EPERM (Operation not permitted)"
        );
        assert_eq!(
            line("ptrace", [0, 42, 7, 9, 0, 0], 0, &[]),
            "ptrace(PTRACE_TRACEME) = 0"
        );
        // PEEKUSER's offset by the field of struct user it falls in.
        assert_eq!(
            line("ptrace", [6, 42, 848 + 56, 1, 0, 0], 0, &[]),
            "ptrace(PTRACE_POKEUSER, 42, offsetof(struct user, u_debugreg)+56, 0x1) = 0"
        );
        assert_eq!(
            line("ptrace", [6, 42, 168, 1, 0, 0], 0, &[]),
            "ptrace(PTRACE_POKEUSER, 42, 8*SS+8, 0x1) = 0"
        );
        assert_eq!(
            line("ptrace", [6, 42, 1000, 1, 0, 0], 0, &[]),
            "ptrace(PTRACE_POKEUSER, 42, 0x3e8, 0x1) = 0"
        );
        assert_eq!(
            line("ptrace", [7, 42, 0, 10, 0, 0], 0, &[]),
            "ptrace(PTRACE_CONT, 42, NULL, SIGUSR1) = 0"
        );
        assert_eq!(
            line("ptrace", [0x4200, 42, 0, 0xa, 0, 0], 0, &[]),
            "ptrace(PTRACE_SETOPTIONS, 42, NULL, PTRACE_O_TRACEFORK|PTRACE_O_TRACECLONE) = 0"
        );
        // GETREGS: the registers after success, the address after a failure.
        let mut regs = vec![0u8; 512];
        regs[..8].copy_from_slice(&0x1234u64.to_ne_bytes());
        regs[15 * 8..16 * 8].copy_from_slice(&231u64.to_ne_bytes());
        let got = line("ptrace", [12, 42, 0, 0x5000, 0, 0], 0, &[(DATA, &regs)]);
        assert!(
            got.starts_with("ptrace(PTRACE_GETREGS, 42, {r15=0x1234, r14=0, "),
            "{got}"
        );
        assert!(got.contains(", orig_rax=0xe7, rip=0, "), "{got}");
        assert!(got.ends_with(", gs=0}) = 0"), "{got}");
        assert_eq!(
            line("ptrace", [12, 42, 0, 0x5000, 0, 0], -3, &[(DATA, &regs)]),
            "ptrace(PTRACE_GETREGS, 42, 0x5000) = -1 ESRCH (No such process)"
        );
        // GETREGSET: the iovec the caller gave (4096 bytes) and the one the kernel left (8):
        // one register shown, and the length's change.
        let iov = |len: u64| [0x6000u64.to_ne_bytes(), len.to_ne_bytes()].concat();
        let io = inout_slot(Some(&iov(8)), Some(&iov(4096)));
        let mut set = iov(8);
        set.extend(0x55u64.to_ne_bytes());
        assert_eq!(
            line(
                "ptrace",
                [0x4204, 42, 1, 0x7000, 0, 0],
                0,
                &[(3, &io), (DATA, &regs), (REGSET, &set)]
            ),
            "ptrace(PTRACE_GETREGSET, 42, NT_PRSTATUS, {iov_base={r15=0x55}, iov_len=4096 => 8}) = 0"
        );
        // GET_SYSCALL_INFO: as far as the caller's size and the kernel's answer reach.
        let mut info = vec![0u8; 512];
        info[0] = 2;
        info[4..8].copy_from_slice(&0xc000_003eu32.to_ne_bytes());
        info[24..32].copy_from_slice(&(-2i64).to_ne_bytes());
        info[32] = 1;
        assert_eq!(
            line(
                "ptrace",
                [0x420e, 42, 88, 0x8000, 0, 0],
                33,
                &[(DATA, &info)]
            ),
            "ptrace(PTRACE_GET_SYSCALL_INFO, 42, 88, {op=PTRACE_SYSCALL_INFO_EXIT, arch=AUDIT_ARCH_X86_64, instruction_pointer=NULL, stack_pointer=NULL, exit={rval=-ENOENT, is_error=1}}) = 33"
        );
        assert_eq!(
            line(
                "ptrace",
                [0x420e, 42, 4, 0x8000, 0, 0],
                33,
                &[(DATA, &info)]
            ),
            "ptrace(PTRACE_GET_SYSCALL_INFO, 42, 4, {op=PTRACE_SYSCALL_INFO_EXIT}) = 33"
        );
    }

    #[test]
    fn sched_attr_as_given_and_the_size_the_kernel_wants() {
        // size 1 at entry; the kernel answered E2BIG and wrote 56.
        let mut given = vec![0u8; 56];
        given[0] = 1;
        let mut wanted = given.clone();
        wanted[0] = 56;
        let attr = inout_slot(Some(&wanted), Some(&given));
        assert_eq!(
            line("sched_setattr", [0, 0x1000, 0, 0, 0, 0], -7, &[(1, &attr)]),
            "sched_setattr(0, {size=1} => {size=56}, 0) = -1 E2BIG (Argument list too long)"
        );
        // A first-version structure (48 bytes) keeping its parameters: no policy, no values.
        let mut keep = vec![0u8; 56];
        keep[0] = 48;
        keep[8] = 0x18;
        let attr = inout_slot(Some(&keep), Some(&keep));
        assert_eq!(
            line("sched_setattr", [0, 0x1000, 0, 0, 0, 0], 0, &[(1, &attr)]),
            "sched_setattr(0, {size=48, sched_flags=SCHED_FLAG_KEEP_POLICY|SCHED_FLAG_KEEP_PARAMS}, 0) = 0"
        );
    }

    #[test]
    fn sendfile_offset_before_and_after() {
        let off = inout_slot(Some(&100u64.to_ne_bytes()), Some(&0u64.to_ne_bytes()));
        assert_eq!(
            line("sendfile", [4, 5, 0x1000, 100, 0, 0], 100, &[(2, &off)]),
            "sendfile(4, 5, [0] => [100], 100) = 100"
        );
        assert_eq!(
            line("sendfile", [4, 5, 0x1000, 100, 0, 0], -9, &[(2, &off)]),
            "sendfile(4, 5, [0], 100) = -1 EBADF (Bad file descriptor)"
        );
        let unread = inout_slot(None, None);
        assert_eq!(
            line("sendfile", [4, 5, 0x1000, 100, 0, 0], -14, &[(2, &unread)]),
            "sendfile(4, 5, 0x1000, 100) = -1 EFAULT (Bad address)"
        );
    }

    #[test]
    fn golden_lines() {
        let at = (-100i64) as u64;
        assert_eq!(
            line(
                "openat",
                [at, 1, 0o2000000, 0, 0, 0],
                3,
                &[(1, b"/etc/passwd")]
            ),
            "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3"
        );
        assert_eq!(
            line("openat", [at, 1, 0, 0, 0, 0], -2, &[(1, b"/nope")]),
            "openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)"
        );
        assert_eq!(
            line("openat", [at, 1, 0o1101, 0o644, 0, 0], 4, &[(1, b"/tmp/x")]),
            "openat(AT_FDCWD, \"/tmp/x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4"
        );
        assert_eq!(
            line("mprotect", [0x1000, 4096, 3, 0, 0, 0], -12, &[]),
            "mprotect(0x1000, 4096, PROT_READ|PROT_WRITE) = -1 ENOMEM (Cannot allocate memory)"
        );
        assert_eq!(
            line(
                "mmap",
                [0, 8192, 3, 0x22, u64::MAX, 0],
                0x7f00_0000_0000,
                &[]
            ),
            "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"
        );
        assert_eq!(line("exit_group", [0; 6], 0, &[]), "exit_group(0) = ?");
        assert_eq!(
            line("rename", [1, 2, 0, 0, 0, 0], 0, &[(0, b"a"), (1, b"b")]),
            "rename(\"a\", \"b\") = 0"
        );
        assert_eq!(
            line("close", [3, 0, 0, 0, 0, 0], -9, &[]),
            "close(3) = -1 EBADF (Bad file descriptor)"
        );
        assert_eq!(
            line("newfstatat", [at, 1, 0x7ffd, 0x100, 0, 0], 0, &[(1, b"")]),
            "newfstatat(AT_FDCWD, \"\", 0x7ffd, AT_SYMLINK_NOFOLLOW) = 0"
        );
        assert_eq!(
            line("fcntl", [3, 2, 1, 0, 0, 0], 0, &[]),
            "fcntl(3, F_SETFD, FD_CLOEXEC) = 0"
        );
        assert_eq!(
            line("fcntl", [3, 3, 0, 0, 0, 0], 2, &[]),
            "fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)"
        );
        assert_eq!(
            line("access", [1, 4, 0, 0, 0, 0], -13, &[(0, b"/root")]),
            "access(\"/root\", R_OK) = -1 EACCES (Permission denied)"
        );
        assert_eq!(
            line("kill", [42, 15, 0, 0, 0, 0], 0, &[]),
            "kill(42, SIGTERM) = 0"
        );
        assert_eq!(
            line("read", [0, 0, 10, 0, 0, 0], -512, &[]),
            "read(0, NULL, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)"
        );
        assert_eq!(
            line("lseek", [3, 0, 2, 0, 0, 0], 100, &[]),
            "lseek(3, 0, SEEK_END) = 100"
        );
    }

    #[test]
    fn unreadable_string_prints_pointer() {
        let (mut ev, sc) = event("unlink", [0xdead, 0, 0, 0, 0, 0], -14, &[(0, b"")]);
        ev.strs[0].status = str_status::FAULT;
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), None, &mut NoFds),
            "0xdead"
        );
    }

    #[test]
    fn execve_from_exec_event() {
        let (ev, sc) = event("execve", [0; 6], 0, &[]);
        let x = ExecInfo {
            filename: b"/bin/echo".to_vec(),
            argv: b"echo\0hi\0A=1\0B=2\0".to_vec(),
            argv_truncated: false,
            argv_len: 8,
            at: false,
            entry: None,
        };
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), Some(&x), &mut NoFds),
            "\"/bin/echo\", [\"echo\", \"hi\"], /* 2 vars */"
        );
    }

    /// A list slot as `sys_enter_execve` fills it: per element the pointer, what
    /// bpf_probe_read_user_str returned, 4 zero bytes, the string and its NUL padded to 8.
    fn str_list_slot(elems: &[(u64, Result<&[u8], i32>)]) -> Vec<u8> {
        let mut v = Vec::new();
        for (p, e) in elems {
            v.extend_from_slice(&p.to_ne_bytes());
            match e {
                Ok(s) => {
                    v.extend_from_slice(&(s.len() as i32 + 1).to_ne_bytes());
                    v.extend_from_slice(&[0; 4]);
                    v.extend_from_slice(s);
                    v.push(0);
                    while v.len() % 8 != 0 {
                        v.push(0);
                    }
                }
                Err(e) => {
                    v.extend_from_slice(&e.to_ne_bytes());
                    v.extend_from_slice(&[0; 4]);
                }
            }
        }
        v
    }

    fn exec_entry(nr: i32, argv: &[u8], env: Option<&[u8]>, env_count: i64, aux: u32) -> ExecInfo {
        let argv_arg = if nr == 59 { 1 } else { 2 };
        let mut strs: Vec<(u8, &[u8])> = vec![(argv_arg, argv)];
        if let Some(e) = env {
            strs.push((argv_arg + 1, e));
        }
        let (mut ev, _) = event("execve", [0x1000, 0x2000, 0, 0, 0, 0], env_count, &strs);
        ev.rec.kind = kind::EXEC_ARGS;
        ev.rec.nr = nr;
        ev.rec.aux = aux;
        ExecInfo::failed(process::ExecArgs::from_event(&ev))
    }

    #[test]
    fn failed_execve_shows_argv_and_environment_size_read_at_entry() {
        use tracer_common::exec_args::{ARGV_FAULT, ENV_FAULT};
        let argv = str_list_slot(&[
            (0x10, Ok(b"prog")),
            (0x20, Ok(b"first")),
            (u64::MAX, Err(-14)),
        ]);
        let x = exec_entry(59, &argv, None, 5, ARGV_FAULT | ENV_FAULT);
        let (ev, sc) = event(
            "execve",
            [0x3000, 0x1000, 0x2000, 0, 0, 0],
            -2,
            &[(0, b"/x")],
        );
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), Some(&x), &mut NoFds),
            "\"/x\", [\"prog\", \"first\", 0xffffffffffffffff, ... /* 0x1018 */], \
             0x2000 /* 5 vars, unterminated */"
        );
        // One variable; an empty argv.
        let x = exec_entry(59, &[], None, 1, 0);
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), Some(&x), &mut NoFds),
            "\"/x\", [], 0x2000 /* 1 var */"
        );
    }

    #[test]
    fn a_failed_exec_s_lists_read_at_exit_print_as_those_read_at_entry() {
        use tracer_common::exec_args::ENV_FAULT;
        let argv = str_list_slot(&[(0x10, Ok(b"x")), (0x20, Ok(b"a"))]);
        let mut env = 3u32.to_ne_bytes().to_vec();
        env.extend_from_slice(&ENV_FAULT.to_ne_bytes());
        let (ev, sc) = event(
            "execve",
            [0x3000, 0x1000, 0x2000, 0, 0, 0],
            -2,
            &[(0, b"/bin/x"), (1, &argv), (2, &env)],
        );
        let e = process::ExecArgs::from_exit(&ev).unwrap();
        assert_eq!(
            (e.argv_ptr, e.envp_ptr, e.env_count, e.env_unterminated),
            (0x1000, 0x2000, 3, true)
        );
        let x = ExecInfo::failed(e);
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), Some(&x), &mut NoFds),
            "\"/bin/x\", [\"x\", \"a\"], 0x2000 /* 3 vars, unterminated */"
        );
        // Without the slots (a 32-bit caller, or a successful exec): nothing.
        let (ev, _) = event(
            "execve",
            [0x3000, 0x1000, 0x2000, 0, 0, 0],
            -2,
            &[(0, b"/x")],
        );
        assert!(process::ExecArgs::from_exit(&ev).is_none());
    }

    #[test]
    fn argv_is_cut_at_s_elements_unless_verbose_and_verbose_prints_the_environment() {
        let many: Vec<(u64, Result<&[u8], i32>)> =
            (0..4).map(|i| (0x10 + i, Ok(&b"ab"[..]))).collect();
        let argv = str_list_slot(&many);
        let env = str_list_slot(&[(0x50, Ok(b"A=1"))]);
        let x = exec_entry(59, &argv, Some(&env), 1, 0);
        let (ev, sc) = event(
            "execve",
            [0x3000, 0x1000, 0x2000, 0, 0, 0],
            -13,
            &[(0, b"/x")],
        );
        let short = Opts {
            strsize: 3,
            ..Opts::default()
        };
        assert_eq!(
            super::args(&ev, sc, &short, Some(&x), &mut NoFds),
            "\"/x\", [\"ab\", \"ab\", \"ab\", ...], 0x2000 /* 1 var */"
        );
        let verbose = Opts {
            strsize: 3,
            verbose: true,
            ..Opts::default()
        };
        assert_eq!(
            super::args(&ev, sc, &verbose, Some(&x), &mut NoFds),
            "\"/x\", [\"ab\", \"ab\", \"ab\", \"ab\"], [\"A=1\"]"
        );
    }

    #[test]
    fn sysv_ipc_keys_flags_and_modes() {
        let at = |name: &str, args: [u64; 6], consts: Consts| {
            let (ev, sc) = event(name, args, 0, &[]);
            let opts = Opts {
                consts,
                ..Opts::default()
            };
            super::args(&ev, sc, &opts, None, &mut NoFds)
        };
        let f = 0xface_1c55u64 | 0xdead_0000_0000_0000;
        assert_eq!(
            at("msgget", [0xfdb9_f531, f, 0, 0, 0, 0], Consts::Abbrev),
            "0xfdb9f531, IPC_EXCL|IPC_NOWAIT|0xface1000|0125"
        );
        assert_eq!(
            at("msgget", [0, 0o600, 0, 0, 0, 0], Consts::Abbrev),
            "IPC_PRIVATE, 0600"
        );
        assert_eq!(at("msgget", [0, 0o600, 0, 0, 0, 0], Consts::Raw), "0, 0600");
        // shmget: SHM_HUGETLB where msgget has IPC_NOWAIT, the huge page size's field.
        let huge = 21 << 26 | 0o4000 | 0o1000 | 0o125;
        assert_eq!(
            at("shmget", [1, 4096, huge, 0, 0, 0], Consts::Abbrev),
            "0x1, 4096, IPC_CREAT|SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0125"
        );
        assert_eq!(
            at("shmget", [1, 4096, huge, 0, 0, 0], Consts::Verbose),
            "0x1, 4096, 0xa00 /* IPC_CREAT|SHM_HUGETLB */|21<<26 /* SHM_HUGE_SHIFT */|0125"
        );
        assert_eq!(
            at("shmget", [1, 4096, 0, 0, 0, 0], Consts::Abbrev),
            "0x1, 4096, 000"
        );
        // A ctl command's structure is read only for the commands that have one.
        assert_eq!(
            at("shmctl", [5, 0, 0, 0, 0, 0], Consts::Abbrev),
            "5, IPC_RMID, NULL"
        );
        assert_eq!(
            at("semctl", [5, 0, 0x102, 0x7000, 0, 0], Consts::Abbrev),
            "5, 0, IPC_64|IPC_STAT, 0x7000"
        );
    }

    #[test]
    fn ioctl_requests_print_by_their_header_names_or_as_ioc() {
        let at = |req: u64, arg: u64, consts: Consts| {
            let (ev, sc) = event("ioctl", [u64::MAX, req, arg, 0, 0, 0], -9, &[]);
            let opts = Opts {
                consts,
                ..Opts::default()
            };
            super::args(&ev, sc, &opts, None, &mut NoFds)
        };
        // Named from the UAPI headers; an _IOR request's 0 argument is a NULL pointer.
        assert_eq!(at(0x8008_1270, 0, Consts::Abbrev), "-1, BLKBSZGET, NULL");
        assert_eq!(at(0x5401, 0x7ff0, Consts::Abbrev), "-1, TCGETS, 0x7ff0");
        // The upper half of the register is not the request's.
        assert_eq!(
            at(0xface_b00c_0000_5413, 1, Consts::Abbrev),
            "-1, TIOCGWINSZ, 0x1"
        );
        // One number, several names.
        assert_eq!(
            at(0x4004_9409, 3, Consts::Abbrev),
            "-1, BTRFS_IOC_CLONE or FICLONE, 3"
        );
        // Unknown: its fields; raw and verbose styles.
        assert_eq!(
            at(0xfeed_49ed, 0xdead, Consts::Abbrev),
            "-1, _IOC(_IOC_READ|_IOC_WRITE, 0x49, 0xed, 0x3eed), 0xdead"
        );
        assert_eq!(
            at(0x8000_5601, 0, Consts::Verbose),
            "-1, 0x80005601 /* _IOC(_IOC_READ, 0x56, 0x1, 0) */, 0"
        );
        assert_eq!(at(0xface_8008_1270, 0, Consts::Raw), "-1, 0x80081270, NULL");
        assert_eq!(
            at(0x8008_1270, 0, Consts::Verbose),
            "-1, 0x80081270 /* BLKBSZGET */, NULL"
        );
    }

    #[test]
    fn successful_exec_prefers_the_argv_passed_to_the_new_image_s() {
        // A script: the kernel rewrote argv to `sh /path/script x`; the caller passed
        // `script x`.
        let argv = str_list_slot(&[(0x10, Ok(b"script")), (0x20, Ok(b"x"))]);
        let mut x = exec_entry(59, &argv, None, 2, 0);
        x.filename = b"/path/script".to_vec();
        x.argv = b"sh\0/path/script\0x\0A=1\0B=2\0".to_vec();
        x.argv_len = 18;
        let (ev, sc) = event("execve", [0; 6], 0, &[]);
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), Some(&x), &mut NoFds),
            "\"/path/script\", [\"script\", \"x\"], 0x2000 /* 2 vars */"
        );
    }
}

/// Every decoder, with arbitrary registers and arbitrary captured bytes (proptest, in
/// `cargo test`): no panic, whatever a task (or a damaged capture) hands them.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;
    use tracer_common::{Record, StrMeta, kind, record_flags};

    use super::*;
    use crate::syscalls::{self, Abi};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10000))]

        #[test]
        fn any_call_with_any_bytes_decodes_without_panic(
            compat in any::<bool>(),
            which in 0usize..1000,
            args in proptest::array::uniform6(prop_oneof![
                any::<u64>(),
                0u64..64,
                Just(u64::MAX),
                (1u64..4096).prop_map(|e| e.wrapping_neg()),
            ]),
            ret in prop_oneof![any::<i64>(), -4096i64..4096],
            slots in proptest::collection::vec(
                (0u8..8, 0u8..4, proptest::collection::vec(any::<u8>(), 0..700)),
                0..5,
            ),
            style in 0u8..4,
        ) {
            let abi = if compat { Abi::I386 } else { Abi::X86_64 };
            let all = syscalls::all(abi);
            let sc = &all[which % all.len()];
            let mut rec = Record {
                kind: kind::SYSCALL,
                flags: if compat { record_flags::COMPAT } else { 0 },
                nr: sc.nr as i32,
                tgid: 1,
                tid: 1,
                args,
                ret,
                ..Default::default()
            };
            let mut strs: Vec<&[u8]> = Vec::new();
            for (i, (arg, status, bytes)) in slots.iter().take(tracer_common::STR_SLOTS).enumerate() {
                rec.strs[i] = StrMeta { arg: *arg, status: *status, len: bytes.len() as u16 };
                strs.push(bytes);
            }
            let bytes = crate::source::encode(&rec, &strs);
            let Ok(ev) = crate::source::parse(&bytes) else {
                return Ok(());
            };
            let opts = Opts {
                strsize: [32, 1, 4096, 0][style as usize].max(1),
                hex: [Hex::None, Hex::NonPrintable, Hex::All, Hex::None][style as usize],
                verbose: style == 1,
                consts: [Consts::Abbrev, Consts::Raw, Consts::Verbose, Consts::Abbrev][style as usize],
                raw: style == 3,
                structs: style != 2,
                pid_comms: false,
                pid_ns: false,
                iov: (4095, 4095),
            };
            let mut out = String::new();
            args_into(&mut out, &ev, sc, &opts, None, &mut NoFds);
            out.clear();
            ret_into(&mut out, &ev, Some(sc), &opts, &mut NoFds);
        }
    }
}

#[cfg(test)]
mod strace_forms {
    use super::*;
    use tracer_common::str_status;

    fn cap(status: u8, bytes: &[u8]) -> Captured<'_> {
        Captured {
            arg: 0,
            status,
            bytes,
        }
    }

    #[test]
    fn in_out_lengths_as_strace_prints_them() {
        let s = |v, buf, slot: Option<&Captured>, ret| {
            let mut o = String::new();
            socklen(&mut o, v, buf, slot, ret);
            o
        };
        let both = [24u32.to_ne_bytes(), 110u32.to_ne_bytes()].concat();
        let same = [16u32.to_ne_bytes(), 16u32.to_ne_bytes()].concat();
        let exit_only = 24u32.to_ne_bytes();
        let ok = str_status::OK;
        assert_eq!(s(0x10, Some(0x20), Some(&cap(ok, &both)), 5), "[110 => 24]");
        assert_eq!(s(0x10, Some(0x20), Some(&cap(ok, &same)), 5), "[16]");
        // A failed call: what the caller gave.
        assert_eq!(s(0x10, Some(0x20), Some(&cap(ok, &both)), -22), "[110]");
        // Not read at entry: what the kernel left, and nothing for a failed call.
        assert_eq!(s(0x10, Some(0x20), Some(&cap(ok, &exit_only)), 5), "[24]");
        assert_eq!(s(0x10, Some(0x20), Some(&cap(ok, &exit_only)), -22), "0x10");
        // A NULL address: both pointers (getsockopt's length goes without one).
        assert_eq!(s(0x10, Some(0), Some(&cap(ok, &both)), 5), "0x10");
        assert_eq!(s(0x10, None, Some(&cap(ok, &both)), 5), "[110 => 24]");
        assert_eq!(s(0, Some(0x20), None, 5), "NULL");
    }

    #[test]
    fn arrays_stop_at_s_and_where_memory_ends() {
        let words: Vec<u8> = (1..=4u32).flat_map(|v| v.to_ne_bytes()).collect();
        let a = |c: &Captured, count, opts: &Opts| {
            let mut o = String::new();
            array(&mut o, 0x1000, Some(c), count, Elem::Gid, opts);
            o
        };
        let opts = Opts::default();
        assert_eq!(a(&cap(str_status::OK, &words), 4, &opts), "[1, 2, 3, 4]");
        assert_eq!(a(&cap(str_status::OK, &words), 0, &opts), "[]");
        let short = Opts {
            strsize: 2,
            ..Opts::default()
        };
        assert_eq!(a(&cap(str_status::OK, &words), 4, &short), "[1, 2, ...]");
        // Two elements before an unreadable page, four asked for.
        let cut = cap(str_status::PAGE_END, &words[..8]);
        assert_eq!(a(&cut, 4, &opts), "[1, 2, ... /* 0x1008 */]");
        // Nothing readable: the address.
        assert_eq!(a(&cap(str_status::FAULT, &[]), 4, &opts), "0x1000");
        let mut o = String::new();
        array(&mut o, 0, None, 4, Elem::Gid, &opts);
        assert_eq!(o, "NULL");
    }

    #[test]
    fn structures_that_grow_show_what_lies_past_the_known_fields() {
        let g = |bytes: &[u8], status, size| {
            let mut o = String::new();
            grown(
                &mut o,
                0x1000,
                Some(&cap(status, bytes)),
                size,
                (8, 8),
                &Opts::default(),
                |o, b| put!(o, "x={}", u64::from_ne_bytes(b[..8].try_into().unwrap())),
            );
            o
        };
        let mut b = 7u64.to_ne_bytes().to_vec();
        assert_eq!(g(&b, str_status::OK, 8), "{x=7}");
        assert_eq!(g(&b, str_status::OK, 4), "0x1000");
        // Past the fields: unreadable, zeros, or bytes.
        assert_eq!(g(&b, str_status::PAGE_END, 16), "{x=7, ???}");
        b.extend([0; 8]);
        assert_eq!(g(&b, str_status::OK, 16), "{x=7}");
        b[9] = 0x80;
        assert_eq!(
            g(&b, str_status::OK, 16),
            "{x=7, /* bytes 8..15 */ \"\\x00\\x80\\x00\\x00\\x00\\x00\\x00\\x00\"}"
        );
    }
}
