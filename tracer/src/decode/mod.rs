//! Decoding: a syscall record to strace's text. Arguments print by their table type
//! ([`crate::syscalls::Ty`]); the few calls whose shape depends on their values (execve,
//! fcntl, open's mode) have a decoder here. Value tables live in the subject modules.
pub mod errno;
pub mod fs;
pub mod mem;
pub mod net;
pub mod signal;
pub mod strings;
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
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            strsize: 32,
            hex: Hex::None,
        }
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

fn arg(out: &mut String, ty: Ty, v: u64, i: usize, ev: &Event, opts: &Opts) {
    match ty {
        Ty::Int => out.push_str(&as_int(v).to_string()),
        Ty::Uint => out.push_str(&v.to_string()),
        Ty::Hex if v == 0 => out.push('0'),
        Ty::Hex => out.push_str(&format!("{v:#x}")),
        Ty::Ptr => ptr(out, v),
        Ty::Fd => out.push_str(&(v as u32 as i32).to_string()),
        Ty::Dirfd => {
            let fd = v as u32 as i32;
            if fd == fs::AT_FDCWD {
                out.push_str("AT_FDCWD");
            } else {
                out.push_str(&fd.to_string());
            }
        }
        // strace prints paths whole, other strings cut at -s.
        Ty::Path => string(out, v, ev.str_for(i), usize::MAX, opts),
        Ty::Str => string(out, v, ev.str_for(i), opts.strsize, opts),
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
        Ty::Sockaddr | Ty::SockaddrOut => match ev.str_for(i) {
            Some(c) if !c.faulted() && v != 0 && net::format(out, &c.bytes) => {}
            _ => ptr(out, v),
        },
    }
}

/// The argument list, without parentheses: `AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC`.
pub fn args(ev: &Event, sc: &Syscall, opts: &Opts, exec: Option<&ExecInfo>) -> String {
    let mut out = String::new();
    let a = ev.rec.args;
    match sc.name {
        "execve" | "execveat" if exec.is_some() || ev.rec.ret == 0 => {
            return exec_args(sc, exec, opts);
        }
        "fcntl" => {
            arg(&mut out, Ty::Fd, a[0], 0, ev, opts);
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
        "faccessat2" => {
            for (i, ty) in sc.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if i == 3 {
                    fs::faccessat_flags(&mut out, a[3]);
                } else {
                    arg(&mut out, *ty, a[i], i, ev, opts);
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
        arg(&mut out, *ty, a[i], i, ev, opts);
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

/// The text after `= `: `3`, `0x7f...`, `?`, `-1 ENOENT (No such file or directory)`.
pub fn ret(ev: &Event, sc: Option<&Syscall>) -> String {
    let r = ev.rec.ret;
    if (-4095..0).contains(&r) {
        let e = (-r) as u32;
        return match errno::lookup(e) {
            Some((name, msg)) if errno::is_restart(e) => format!("? {name} ({msg})"),
            Some((name, msg)) => format!("-1 {name} ({msg})"),
            None => format!("-1 {e}"),
        };
    }
    match sc.map(|s| s.ret) {
        Some(Ret::Hex) => format!("{r:#x}"),
        Some(Ret::Noreturn) => "?".to_string(),
        _ => r.to_string(),
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
            super::args(&ev, sc, &Opts::default(), None),
            ret(&ev, Some(sc))
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
            "fcntl(3, F_GETFL) = 2"
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
            line("lseek", [3, 0, 2, 0, 0, 0], 100, &[]),
            "lseek(3, 0, SEEK_END) = 100"
        );
    }

    #[test]
    fn unreadable_string_prints_pointer() {
        let (mut ev, sc) = event("unlink", [0xdead, 0, 0, 0, 0, 0], -14, &[(0, b"")]);
        ev.strs[0].status = str_status::FAULT;
        assert_eq!(super::args(&ev, sc, &Opts::default(), None), "0xdead");
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
            super::args(&ev, sc, &Opts::default(), Some(&x)),
            "\"/bin/echo\", [\"echo\", \"hi\"], /* 2 vars */"
        );
    }
}
