//! Decoding: a syscall record to strace's text. Arguments print by their table type
//! ([`crate::syscalls::Ty`]); the few calls whose shape depends on their values (execve,
//! fcntl, open's mode) have a decoder here. Value tables live in the subject modules.
pub mod errno;
pub mod fs;
pub mod io;
pub mod mem;
pub mod net;
pub mod process;
pub mod signal;
pub mod strings;
pub mod time;
pub mod xlat;

use strings::Hex;

use crate::{
    source::{Captured, Event},
    syscalls::{Ret, Syscall, Ty},
};

/// Output options that change how values print.
#[derive(Clone, Copy, Debug)]
pub struct Opts {
    /// `-s`: bytes of a string shown.
    pub strsize: usize,
    /// `-x` / `-xx`.
    pub hex: Hex,
    /// `-v`: execve's environment in full.
    pub verbose: bool,
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            strsize: 32,
            hex: Hex::None,
            verbose: false,
        }
    }
}

/// Names for fds (`-y`, `-yy`): what `3<...>` shows.
pub trait FdNames {
    fn name(&mut self, fd: i32) -> Option<String>;
}

/// No fd annotation.
pub struct NoFds;

impl FdNames for NoFds {
    fn name(&mut self, _fd: i32) -> Option<String> {
        None
    }
}

fn fd_text(out: &mut String, fd: i32, fds: &mut dyn FdNames) {
    out.push_str(&fd.to_string());
    if let Some(n) = fds.name(fd) {
        out.push('<');
        out.push_str(&n);
        out.push('>');
    }
}

/// What `sched_process_exec` captured for a successful execve, whose registers are zeroed.
#[derive(Clone, Debug)]
pub struct ExecInfo {
    pub filename: Captured,
    /// argv strings then environment strings, NUL-separated.
    pub argv: Captured,
    /// Bytes of `argv` that are argv; the rest is the environment.
    pub argv_len: usize,
}

/// `int` arguments arrive zero- or sign-extended in 64-bit registers.
fn as_int(v: u64) -> i64 {
    if v >> 32 == 0 {
        i64::from(v as u32 as i32)
    } else {
        v as i64
    }
}

fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        out.push_str(&format!("{v:#x}"));
    }
}

/// A path or string argument: quoted from what the kernel copied, else the pointer.
fn string(out: &mut String, v: u64, cap: Option<&Captured>, limit: usize, opts: &Opts) {
    match cap {
        Some(c) if !c.faulted() && v != 0 => {
            strings::quote(out, &c.bytes, limit, c.truncated(), opts.hex)
        }
        _ => ptr(out, v),
    }
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
        if f(&mut s, &c.bytes) {
            out.push_str(&s);
            return;
        }
    }
    ptr(out, v);
}

fn arg(out: &mut String, ty: Ty, v: u64, i: usize, ev: &Event, opts: &Opts, fds: &mut dyn FdNames) {
    let ret = ev.rec.ret;
    let a = ev.rec.args;
    match ty {
        Ty::Int => out.push_str(&as_int(v).to_string()),
        Ty::Uint => out.push_str(&v.to_string()),
        Ty::Hex if v == 0 => out.push('0'),
        Ty::Hex => out.push_str(&format!("{v:#x}")),
        Ty::Ptr => ptr(out, v),
        Ty::Fd => fd_text(out, v as u32 as i32, fds),
        Ty::Dirfd => {
            let fd = v as u32 as i32;
            if fd == fs::AT_FDCWD {
                out.push_str("AT_FDCWD");
            } else {
                fd_text(out, fd, fds);
            }
        }
        // strace prints paths whole, other strings cut at -s.
        Ty::Path | Ty::OutPath => string(out, v, ev.str_for(i), usize::MAX, opts),
        Ty::Str => string(out, v, ev.str_for(i), opts.strsize, opts),
        Ty::OutStrRet => string(out, v, ev.str_for(i), opts.strsize, opts),
        Ty::Mode | Ty::OpenMode => fs::mode(out, v),
        Ty::OpenFlags => fs::open_flags(out, v),
        Ty::AtFlags => fs::at_flags(out, v),
        Ty::Prot => mem::prot(out, v),
        Ty::MapFlags => mem::map_flags(out, v),
        Ty::MremapFlags => mem::mremap_flags(out, v),
        Ty::AccessMode => fs::access_mode(out, v),
        Ty::Signal => out.push_str(&signal::name(v)),
        Ty::Whence => fs::whence(out, v),
        Ty::FcntlCmd => xlat::value(out, v, fs::FCNTL_CMDS),
        Ty::Sockaddr(_) | Ty::SockaddrOut(_) => match ev.str_for(i) {
            Some(c) if !c.faulted() && v != 0 && net::format(out, &c.bytes) => {}
            _ => ptr(out, v),
        },
        Ty::InBuf(n) => match ev.str_for(i).filter(|c| !c.faulted() && v != 0) {
            Some(c) => io::data(out, c, a[n as usize % 6], opts, false),
            None => ptr(out, v),
        },
        Ty::OutBuf | Ty::OutBufHex => match ev.str_for(i).filter(|c| !c.faulted() && v != 0) {
            Some(c) if ret >= 0 => io::data(out, c, ret as u64, opts, ty == Ty::OutBufHex),
            _ => ptr(out, v),
        },
        Ty::StatOut => structure(out, v, ev, i, fs::stat),
        Ty::UtsnameOut => structure(out, v, ev, i, process::utsname),
        Ty::Timespec | Ty::TimespecOut => structure(out, v, ev, i, time::timespec),
        Ty::Rlimit(inf) | Ty::RlimitOut(inf) => {
            structure(out, v, ev, i, |o, b| process::rlimit(o, b, inf))
        }
        Ty::RlimitResource => xlat::value(out, v, process::RLIMITS),
        Ty::Sigaction | Ty::SigactionOut => structure(out, v, ev, i, signal::sigaction),
        Ty::Sigset | Ty::SigsetOut => structure(out, v, ev, i, signal::sigset_bytes),
        Ty::SigprocmaskHow => signal::how(out, v),
        Ty::Pollfds(_) => structure(out, v, ev, i, |o, b| {
            io::pollfds(o, b);
            true
        }),
        Ty::IntPairOut => structure(out, v, ev, i, |o, b| {
            let x = |k: usize| i32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
            b.len() >= 8 && {
                o.push_str(&format!("[{}, {}]", x(0), x(4)));
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
        Ty::Iovec(n) | Ty::IovecOut(n) => {
            let total = if matches!(ty, Ty::IovecOut(_)) {
                Some(ret.max(0) as u64)
            } else {
                None
            };
            match ev.str_for(i).filter(|c| !c.faulted() && v != 0) {
                Some(arr) if total != Some(0) || ret >= 0 => {
                    let data = ev.str_for(i | usize::from(tracer_common::SLOT_CONTENTS));
                    let _ = n;
                    io::iovec(out, arr, data, total, opts);
                }
                _ => ptr(out, v),
            }
        }
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
        Ty::DirentsOut => {
            ptr(out, v);
            if ret >= 0
                && let Some(n) = ev.str_for(i).and_then(|c| io::dirent_count(&c.bytes, ret))
            {
                out.push_str(&format!(" /* {n} entries */"));
            }
        }
        Ty::ClockId => time::clock_id(out, v),
        Ty::SocketFamily => net::family(out, v),
        Ty::SocketType => net::sock_type(out, v),
        Ty::SockFlags => net::sock_flags(out, v),
        Ty::SockLevel => net::sock_level(out, v),
        Ty::MsgFlags => net::msg_flags(out, v),
        Ty::ShutdownHow => net::shutdown_how(out, v),
        Ty::FutexOp => {
            process::futex_op(out, v);
        }
        Ty::IoctlReq => match xlat::name_of(v & 0xffff_ffff, io::IOCTLS) {
            Some(n) => out.push_str(n),
            None => out.push_str(&format!("{:#x}", v & 0xffff_ffff)),
        },
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
        Ty::StatxOut => structure(out, v, ev, i, fs::statx),
        Ty::SockOpt => net::sock_opt(out, a[1], v),
        Ty::SockOptVal(_) | Ty::SockOptValOut(_) => structure(out, v, ev, i, |o, b| {
            if b.len() == 4 {
                o.push_str(&format!(
                    "[{}]",
                    i32::from_ne_bytes(b.try_into().unwrap_or_default())
                ));
            } else {
                strings::quote(o, b, opts.strsize, false, opts.hex);
            }
            true
        }),
        Ty::Msghdr | Ty::MsghdrOut | Ty::Mmsghdr | Ty::MmsghdrOut => {
            let out_kind = matches!(ty, Ty::MsghdrOut | Ty::MmsghdrOut);
            let mmsg = matches!(ty, Ty::Mmsghdr | Ty::MmsghdrOut);
            let hdr = ev.str_for(i).filter(|c| !c.faulted() && v != 0);
            let Some(hdr) = hdr.filter(|_| !out_kind || ret >= 0) else {
                ptr(out, v);
                return;
            };
            let name = ev
                .str_for(i | usize::from(tracer_common::SLOT_NAME))
                .filter(|c| !c.faulted())
                .map(|c| c.bytes.as_slice());
            let iov_slot = i | usize::from(tracer_common::SLOT_IOV);
            let iov = ev.str_for(iov_slot).map(|arr| {
                (
                    arr,
                    ev.str_for(iov_slot | usize::from(tracer_common::SLOT_CONTENTS)),
                )
            });
            if !mmsg {
                let total = out_kind.then(|| ret.max(0) as u64);
                if !net::msghdr(out, &hdr.bytes, name, iov, total, opts) {
                    ptr(out, v);
                }
                return;
            }
            // sendmmsg/recvmmsg: the headers of the messages transferred; the data of all of
            // them follows the first message's in the data slot.
            let heads: Vec<&[u8]> = hdr.bytes.chunks_exact(64).collect();
            if heads.is_empty() {
                ptr(out, v);
                return;
            }
            let msg_len =
                |h: &[u8]| u64::from(u32::from_ne_bytes(h[56..60].try_into().unwrap_or_default()));
            let contents = iov.and_then(|(_, d)| d);
            let all: &[u8] = contents.map(|c| c.bytes.as_slice()).unwrap_or(&[]);
            let first_len = match iov {
                Some((arr, _)) if !out_kind => arr
                    .bytes
                    .chunks_exact(16)
                    .map(|e| u64::from_ne_bytes(e[8..16].try_into().unwrap_or_default()))
                    .sum::<u64>(),
                _ => msg_len(heads[0]),
            };
            let mut pos = (first_len as usize).min(all.len());
            out.push('[');
            for (k, h) in heads.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                let mut m = String::new();
                if k == 0 {
                    let total = out_kind.then(|| msg_len(h));
                    net::msghdr(&mut m, h, name, iov, total, opts);
                } else {
                    // Only the data of the later messages is copied: one iovec shows it whole.
                    let n = (msg_len(h) as usize).min(all.len() - pos);
                    let data = crate::source::Captured {
                        arg: 0,
                        status: tracer_common::str_status::OK,
                        bytes: all[pos..pos + n].to_vec(),
                    };
                    pos += n;
                    // Their iovec arrays are not copied: the data is shown, the lengths not.
                    net::msghdr(&mut m, h, None, None, None, opts);
                    let iov_ptr = u64::from_ne_bytes(h[16..24].try_into().unwrap_or_default());
                    if iov_ptr != 0 {
                        let mut d = String::new();
                        strings::quote(&mut d, &data.bytes, opts.strsize, false, opts.hex);
                        m = m.replacen(
                            &format!("msg_iov={iov_ptr:#x}"),
                            &format!("msg_iov=[{{iov_base={d}, ...}}]"),
                            1,
                        );
                    }
                }
                out.push_str(&format!("{{msg_hdr={m}, msg_len={}}}", msg_len(h)));
            }
            if a[2] as usize > heads.len() && ret < 0 {
                out.push_str(", ...");
            }
            out.push(']');
        }
        Ty::IntPtrLen(n) => match ev.str_for(usize::from(n)) {
            Some(c) if v != 0 && !c.faulted() => out.push_str(&format!("[{}]", c.bytes.len())),
            _ => ptr(out, v),
        },
    }
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
    let a = ev.rec.args;
    match sc.name {
        "execve" | "execveat" if exec.is_some() || ev.rec.ret == 0 => {
            return exec_args(sc, exec, opts);
        }
        "fcntl" => {
            arg(&mut out, Ty::Fd, a[0], 0, ev, opts, fds);
            out.push_str(", ");
            xlat::value(&mut out, a[1], fs::FCNTL_CMDS);
            match a[1] {
                1 | 3 | 9 | 11 | 1025 | 1032 | 1034 => {}
                2 => {
                    out.push_str(", ");
                    out.push_str(if a[2] == 1 { "FD_CLOEXEC" } else { "0" });
                }
                4 => {
                    out.push_str(", ");
                    fs::open_flags(&mut out, a[2]);
                }
                5 | 6 | 7 | 36..=38 => {
                    out.push_str(", ");
                    ptr(&mut out, a[2]);
                }
                _ => out.push_str(&format!(", {}", as_int(a[2]))),
            }
            return out;
        }
        "socket" | "socketpair" => {
            net::family(&mut out, a[0]);
            out.push_str(", ");
            net::sock_type(&mut out, a[1]);
            out.push_str(", ");
            net::protocol(&mut out, a[0], a[2]);
            if sc.name == "socketpair" {
                out.push_str(", ");
                arg(&mut out, Ty::IntPairOut, a[3], 3, ev, opts, fds);
            }
            return out;
        }
        "futex" => {
            ptr(&mut out, a[0]);
            out.push_str(", ");
            let cmd = process::futex_op(&mut out, a[1]);
            out.push_str(&format!(", {}", a[2] as u32 as i32));
            match cmd {
                // WAIT: timeout; WAIT_BITSET: timeout, uaddr2 (unused), bitset.
                0 => {
                    out.push_str(", ");
                    arg(&mut out, Ty::Timespec, a[3], 3, ev, opts, fds);
                }
                9 => {
                    out.push_str(", ");
                    arg(&mut out, Ty::Timespec, a[3], 3, ev, opts, fds);
                    if a[5] as u32 == u32::MAX {
                        out.push_str(", FUTEX_BITSET_MATCH_ANY");
                    } else {
                        out.push_str(&format!(", {:#x}", a[5] as u32));
                    }
                }
                1 | 7 | 8 => {}
                _ => out.push_str(&format!(", {:#x}, {:#x}, {:#x}", a[3], a[4], a[5])),
            }
            return out;
        }
        "clone" => {
            out.push_str("child_stack=");
            ptr(&mut out, a[1]);
            out.push_str(", flags=");
            process::clone_flags(&mut out, a[0]);
            if a[0] & 0x100000 != 0 {
                out.push_str(&format!(", parent_tid={:#x}", a[2]));
            }
            if a[0] & 0x80000 != 0 {
                out.push_str(&format!(", tls={:#x}", a[4]));
            }
            if a[0] & 0x1200000 != 0 {
                out.push_str(&format!(", child_tidptr={:#x}", a[3]));
            }
            return out;
        }
        "rt_sigreturn" => {
            // The kernel side puts the restored signal mask (task->blocked) in args[0].
            out.push_str("{mask=");
            signal::sigset(&mut out, a[0]);
            out.push('}');
            return out;
        }
        "ioctl" if a[1] as u32 == 0x40049409 => {
            out.push_str(&format!(
                "{}, BTRFS_IOC_CLONE or FICLONE, {}",
                a[0] as i32, a[2] as i32
            ));
            return out;
        }
        "faccessat2" => {
            for (i, ty) in sc.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if i == 3 {
                    fs::faccessat_flags(&mut out, a[3]);
                } else {
                    arg(&mut out, *ty, a[i], i, ev, opts, fds);
                }
            }
            return out;
        }
        _ => {}
    }
    let flags_arg = sc.args.iter().position(|t| *t == Ty::OpenFlags);
    for (i, ty) in sc.args.iter().enumerate() {
        if *ty == Ty::OpenMode {
            // open/openat print the mode only when the flags can create a file.
            let creates = flags_arg
                .map(|f| a[f] & fs::O_CREAT != 0 || a[f] & fs::O_TMPFILE == fs::O_TMPFILE)
                .unwrap_or(true);
            if !creates {
                continue;
            }
        }
        if i > 0 {
            out.push_str(", ");
        }
        arg(&mut out, *ty, a[i], i, ev, opts, fds);
    }
    out
}

fn exec_args(sc: &Syscall, exec: Option<&ExecInfo>, opts: &Opts) -> String {
    let mut out = String::new();
    if sc.name == "execveat" {
        out.push_str("AT_FDCWD, ");
    }
    match exec {
        Some(x) => {
            strings::quote(&mut out, &x.filename.bytes, usize::MAX, false, opts.hex);
            let all = &x.argv.bytes;
            let split = x.argv_len.min(all.len());
            let (argv, env) = all.split_at(split);
            // The argv part was cut if the copy ended inside it.
            let argv_cut = x.argv.truncated() && split == all.len();
            out.push_str(", [");
            let mut parts: Vec<&[u8]> = argv.split(|b| *b == 0).collect();
            if parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let last = i + 1 == parts.len();
                strings::quote(&mut out, p, opts.strsize, last && argv_cut, opts.hex);
            }
            if argv_cut {
                out.push_str(", ...");
            }
            // strace prints the envp pointer, which a successful exec has already replaced; the
            // count of variables is what matters.
            if opts.verbose {
                out.push_str("], [");
                let mut vars: Vec<&[u8]> = env.split(|b| *b == 0).collect();
                if vars.last().is_some_and(|p| p.is_empty()) {
                    vars.pop();
                }
                for (i, v) in vars.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let last = i + 1 == vars.len();
                    strings::quote(
                        &mut out,
                        v,
                        opts.strsize,
                        last && x.argv.truncated(),
                        opts.hex,
                    );
                }
                if x.argv.truncated() {
                    out.push_str(", ...");
                }
                out.push(']');
                return out;
            }
            let vars = env.iter().filter(|b| **b == 0).count();
            let more = if x.argv.truncated() { "+" } else { "" };
            let s = if vars == 1 && more.is_empty() {
                ""
            } else {
                "s"
            };
            out.push_str(&format!("], /* {vars}{more} var{s} */"));
        }
        None => out.push_str("?, ?, ?"),
    }
    out
}

/// The text after `= `: `3`, `3</etc/passwd>` with -y, `0x7f...`, `?`, `-1 ENOENT (...)`.
pub fn ret(ev: &Event, sc: Option<&Syscall>, fds: &mut dyn FdNames) -> String {
    let r = ev.rec.ret;
    if (-4095..0).contains(&r) {
        let e = (-r) as u32;
        return match errno::lookup(e) {
            Some((name, msg)) if errno::is_restart(e) => format!("? {name} ({msg})"),
            Some((name, msg)) => format!("-1 {name} ({msg})"),
            None => format!("-1 {e}"),
        };
    }
    let base = match sc.map(|s| s.ret) {
        Some(Ret::Fd) => {
            let mut s = String::new();
            fd_text(&mut s, r as i32, fds);
            s
        }
        Some(Ret::Hex) => format!("{r:#x}"),
        Some(Ret::Noreturn) => "?".to_string(),
        _ => r.to_string(),
    };
    let a = ev.rec.args;
    match sc.map(|s| s.name) {
        Some("poll" | "ppoll") => {
            let fds = ev.str_for(0).map(|c| c.bytes.as_slice()).unwrap_or(&[]);
            format!("{base}{}", io::poll_result(fds, r))
        }
        Some("fcntl") if a[1] == 3 => {
            let mut f = String::new();
            fs::open_flags(&mut f, r as u64);
            format!("{r:#x} (flags {f})")
        }
        Some("fcntl") if a[1] == 1 && r > 0 => {
            format!(
                "{r:#x} (flags {})",
                if r & 1 != 0 { "FD_CLOEXEC" } else { "0" }
            )
        }
        _ => base,
    }
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
    ) -> (Event, &'static Syscall) {
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
        (parse(&encode(&rec, &bytes)).unwrap(), sc)
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
            filename: Captured {
                arg: 0,
                status: str_status::OK,
                bytes: b"/bin/echo".to_vec(),
            },
            argv: Captured {
                arg: 1,
                status: str_status::OK,
                bytes: b"echo\0hi\0A=1\0B=2\0".to_vec(),
            },
            argv_len: 8,
        };
        assert_eq!(
            super::args(&ev, sc, &Opts::default(), Some(&x), &mut NoFds),
            "\"/bin/echo\", [\"echo\", \"hi\"], /* 2 vars */"
        );
    }
}
