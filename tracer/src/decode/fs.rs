//! File-system values: open flags, `AT_*`, access modes, seek whence, fcntl commands, modes.
//! Values from include/uapi/asm-generic/fcntl.h and include/uapi/linux/fcntl.h (x86_64).
use super::{
    Event, FdNames, Opts, arg, as_int, ptr, styled,
    xlat::{self, Xlat},
};
use crate::syscalls::Ty;

pub const O_CREAT: u64 = 0o100;
pub const O_CLOEXEC: u64 = 0o2000000;
/// `FD_CLOEXEC`, the one fd flag (`F_GETFD`/`F_SETFD`).
pub const FD_CLOEXEC: u64 = 1;
pub const F_DUPFD: u64 = 0;
pub const F_GETFD: u64 = 1;
pub const F_SETFD: u64 = 2;
pub const F_GETFL: u64 = 3;
pub const F_SETFL: u64 = 4;
pub const F_GETLK: u64 = 5;
pub const F_SETLK: u64 = 6;
pub const F_SETLKW: u64 = 7;
pub const F_GETOWN: u64 = 9;
pub const F_GETSIG: u64 = 11;
pub const F_SETSIG: u64 = 10;
pub const F_SETOWN_EX: u64 = 15;
pub const F_SETLEASE: u64 = 1024;
pub const F_NOTIFY: u64 = 1026;
pub const F_GETOWN_EX: u64 = 16;
pub const F_OFD_GETLK: u64 = 36;
pub const F_OFD_SETLKW: u64 = 38;
pub const F_GETLEASE: u64 = 1025;
pub const F_DUPFD_CLOEXEC: u64 = 1030;
pub const F_GETPIPE_SZ: u64 = 1032;
pub const F_GET_SEALS: u64 = 1034;
pub const O_TMPFILE: u64 = 0o20200000;

/// Open flags after the access mode, in strace's order.
const OPEN_FLAGS: Xlat = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o10000, "O_DSYNC"),
    // O_SYNC's own bit without O_DSYNC's, as strace names it.
    (0o4000000, "__O_SYNC"),
    (0o20000, "O_ASYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20200000, "O_TMPFILE"),
    (0o20000000, "__O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
];

/// Flags of pipe2, dup3, eventfd2...: no access mode, `0` when none.
pub fn fd_flags(out: &mut String, v: u64) {
    xlat::flags(out, v, OPEN_FLAGS);
}

/// `O_RDONLY|O_CLOEXEC`.
pub fn open_flags(out: &mut String, v: u64) {
    let acc = v & 3;
    out.push_str(match acc {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    });
    let rest = v & !3;
    if rest != 0 {
        out.push('|');
        xlat::flags(out, rest, OPEN_FLAGS);
    }
}

pub const AT_FDCWD: i32 = -100;

const AT_FLAGS: Xlat = &[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_REMOVEDIR"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
    (0x8000, "AT_RECURSIVE"),
];

pub fn at_flags(out: &mut String, v: u64) {
    xlat::flags(out, v, AT_FLAGS);
}

/// `faccessat`'s flags: 0x200 is AT_EACCESS there.
pub fn faccessat_flags(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_EACCESS"),
        (0x1000, "AT_EMPTY_PATH"),
    ];
    let v = v & 0xffff_ffff;
    if v != 0 && T.iter().all(|&(bit, _)| v & bit == 0) {
        return super::consts::unknown(out, v, "AT_???");
    }
    xlat::flags(out, v, T);
}

pub fn access_mode(out: &mut String, v: u64) {
    const T: Xlat = &[(4, "R_OK"), (2, "W_OK"), (1, "X_OK")];
    if v == 0 {
        out.push_str("F_OK");
    } else if v & 7 == 0 {
        super::consts::unknown(out, v, "?_OK");
    } else {
        xlat::flags(out, v, T);
    }
}

pub fn whence(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0, "SEEK_SET"),
        (1, "SEEK_CUR"),
        (2, "SEEK_END"),
        (3, "SEEK_DATA"),
        (4, "SEEK_HOLE"),
    ];
    xlat::value(out, v, T);
}

pub const FCNTL_CMDS: Xlat = &[
    (0, "F_DUPFD"),
    (1, "F_GETFD"),
    (2, "F_SETFD"),
    (3, "F_GETFL"),
    (4, "F_SETFL"),
    (5, "F_GETLK"),
    (6, "F_SETLK"),
    (7, "F_SETLKW"),
    (8, "F_SETOWN"),
    (9, "F_GETOWN"),
    (10, "F_SETSIG"),
    (11, "F_GETSIG"),
    (15, "F_SETOWN_EX"),
    (16, "F_GETOWN_EX"),
    (36, "F_OFD_GETLK"),
    (37, "F_OFD_SETLK"),
    (38, "F_OFD_SETLKW"),
    (1024, "F_SETLEASE"),
    (1025, "F_GETLEASE"),
    (1026, "F_NOTIFY"),
    (1030, "F_DUPFD_CLOEXEC"),
    (1031, "F_SETPIPE_SZ"),
    (1032, "F_GETPIPE_SZ"),
    (1033, "F_ADD_SEALS"),
    (1034, "F_GET_SEALS"),
];

/// File mode: `0644`, with the type bits by name when present (`S_IFREG|0644`).
/// Permission bits as strace prints a mode_t of chmod, mkdir, open: octal, at least three
/// digits (`004`, `0600`, `0177777`).
pub fn numeric_mode(out: &mut String, v: u64) {
    // C's %#03o: a leading 0, padded with zeros to three characters.
    let digits = if v == 0 {
        0
    } else {
        (64 - v.leading_zeros()).div_ceil(3) as usize
    };
    for _ in digits + 1..3 {
        out.push('0');
    }
    if v == 0 {
        out.push('0');
    } else {
        put!(out, "0{v:o}");
    }
}

/// A device number (glibc's 64-bit `dev_t`; a 32-bit one decodes the same): `makedev(0x1, 0x3)`.
/// Major and minor are `unsigned int`s, as glibc's `major()`/`minor()` return them.
pub fn makedev(out: &mut String, v: u64) {
    let major = u64::from((((v >> 8) & 0xfff) | ((v >> 32) & !0xfff)) as u32);
    let minor = u64::from(((v & 0xff) | ((v >> 12) & !0xff)) as u32);
    out.push_str("makedev(");
    c_hex(out, major);
    out.push_str(", ");
    c_hex(out, minor);
    out.push(')');
}

/// `struct open_how`'s fields (openat2): `flags=O_RDONLY|O_EXCL, resolve=0`, the mode when
/// the flags create a file or it is set.
pub fn open_how(out: &mut String, b: &[u8], opts: &Opts) {
    const RESOLVE: Xlat = &[
        (0x1, "RESOLVE_NO_XDEV"),
        (0x2, "RESOLVE_NO_MAGICLINKS"),
        (0x4, "RESOLVE_NO_SYMLINKS"),
        (0x8, "RESOLVE_BENEATH"),
        (0x10, "RESOLVE_IN_ROOT"),
        (0x20, "RESOLVE_CACHED"),
    ];
    let u64at = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let (flags, mode, resolve) = (u64at(0), u64at(8), u64at(16));
    out.push_str("flags=");
    styled(out, opts, |o| c_hex(o, flags), |o| open_flags(o, flags));
    if flags & (O_CREAT | O_TMPFILE) != 0 || mode != 0 {
        out.push_str(", mode=");
        numeric_mode(out, mode);
    }
    out.push_str(", resolve=");
    if resolve == 0 {
        out.push('0');
    } else if RESOLVE.iter().any(|&(bit, _)| resolve & bit != 0) {
        styled(
            out,
            opts,
            |o| c_hex(o, resolve),
            |o| xlat::flags(o, resolve, RESOLVE),
        );
    } else if opts.consts == super::Consts::Raw {
        c_hex(out, resolve);
    } else {
        super::consts::unknown(out, resolve, "RESOLVE_???");
    }
}

/// memfd_create's flags: `MFD_CLOEXEC|MFD_HUGETLB|21<<MFD_HUGE_SHIFT` (`0` for none).
pub fn memfd_flags(out: &mut String, v: u64, opts: &Opts) {
    let v = v & 0xffff_ffff;
    if v == 0 {
        return out.push('0');
    }
    styled(
        out,
        opts,
        |o| c_hex(o, v),
        |o| {
            const HUGE: u64 = 0x3f << 26;
            let (flags, huge) = (v & !HUGE, (v & HUGE) >> 26);
            if flags != 0 || huge == 0 {
                super::consts::flags(o, flags, &super::consts::MFD_FLAGS);
            }
            if huge != 0 {
                if flags != 0 {
                    o.push('|');
                }
                put!(o, "{huge}<<MFD_HUGE_SHIFT");
            }
        },
    );
}

/// quotactl and quotactl_fd: `QCMD(Q_GETFMT, USRQUOTA)`, then what the command takes (as
/// strace's quota.c: a format, a path, an id, a structure, flags).
pub fn quotactl(
    out: &mut String,
    ev: &Event,
    sc: &crate::syscalls::Syscall,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    const Q_SYNC: u32 = 0x800001;
    const Q_QUOTAON: u32 = 0x800002;
    const Q_QUOTAOFF: u32 = 0x800003;
    const Q_GETFMT: u32 = 0x800004;
    const Q_GETINFO: u32 = 0x800005;
    const Q_SETINFO: u32 = 0x800006;
    const Q_GETQUOTA: u32 = 0x800007;
    const Q_SETQUOTA: u32 = 0x800008;
    const Q_GETNEXTQUOTA: u32 = 0x800009;
    const Q_XQUOTAON: u32 = 0x5801;
    const Q_XQUOTAOFF: u32 = 0x5802;
    const Q_XQUOTARM: u32 = 0x5806;
    const Q_XQUOTASYNC: u32 = 0x5807;
    const Q_XGETQUOTA: u32 = 0x5803;
    const Q_XSETQLIM: u32 = 0x5804;
    const Q_XGETQSTAT: u32 = 0x5805;
    const Q_XGETQSTATV: u32 = 0x5808;
    const Q_XGETNEXTQUOTA: u32 = 0x5809;
    let a = ev.rec.args;
    let ret = ev.rec.ret;
    // quotactl(cmd, special, id, addr); quotactl_fd(fd, cmd, id, addr).
    let fd_form = sc.args.first() == Some(&Ty::Fd);
    let qcmd = (if fd_form { a[1] } else { a[0] }) as u32;
    if fd_form {
        arg(out, Ty::Fd, a[0], 0, ev, opts, fds);
        out.push_str(", ");
    }
    let (cmd, kind) = (qcmd >> 8, qcmd & 0xff);
    styled(
        out,
        opts,
        |o| super::int(o, qcmd),
        |o| {
            o.push_str("QCMD(");
            super::consts::value(o, u64::from(cmd), &super::consts::QUOTA_CMDS);
            o.push_str(", ");
            super::consts::value(o, u64::from(kind), &super::consts::QUOTA_TYPES);
            o.push(')');
        },
    );
    if !fd_form {
        out.push_str(", ");
        arg(out, Ty::Path, a[1], 1, ev, opts, fds);
    }
    let (id, data) = (a[2] as u32, a[3]);
    let uid = |out: &mut String| {
        out.push_str(", ");
        if id == u32::MAX {
            out.push_str("-1");
        } else {
            super::int(out, id);
        }
    };
    let cap = ev.str_for(3);
    // The structure, if its bytes were read (and, for what the kernel writes, written).
    let bytes = |n: usize, written: bool| {
        cap.filter(|c| data != 0 && (!written || ret >= 0) && c.bytes.len() >= n)
            .map(|c| &c.bytes[..n])
    };
    let u64at = |b: &[u8], o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let u32at = |b: &[u8], o: usize| u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default());
    match cmd {
        Q_QUOTAOFF | Q_SYNC | Q_XQUOTASYNC => {}
        Q_QUOTAON => {
            out.push_str(", ");
            super::consts::styled(
                out,
                u64::from(id),
                &super::consts::QUOTA_FORMATS,
                false,
                opts,
            );
            out.push_str(", ");
            // The path, if it ends within the bytes copied.
            match cap.and_then(|c| c.bytes.iter().position(|&b| b == 0).map(|n| &c.bytes[..n])) {
                Some(p) if data != 0 => super::strings::quote(out, p, usize::MAX, false, opts.hex),
                _ => ptr(out, data),
            }
        }
        Q_GETQUOTA | Q_SETQUOTA | Q_GETNEXTQUOTA => {
            uid(out);
            out.push_str(", ");
            let next = cmd == Q_GETNEXTQUOTA;
            match bytes(if next { 76 } else { 72 }, cmd != Q_SETQUOTA) {
                Some(b) => {
                    put!(
                        out,
                        "{{dqb_bhardlimit={}, dqb_bsoftlimit={}, dqb_curspace={}, dqb_ihardlimit={}, dqb_isoftlimit={}, dqb_curinodes={}",
                        u64at(b, 0),
                        u64at(b, 8),
                        u64at(b, 16),
                        u64at(b, 24),
                        u64at(b, 32),
                        u64at(b, 40)
                    );
                    if opts.verbose {
                        put!(
                            out,
                            ", dqb_btime={}, dqb_itime={}, dqb_valid=",
                            u64at(b, 48),
                            u64at(b, 56)
                        );
                        super::consts::styled(
                            out,
                            u64::from(u32at(b, 64)),
                            &super::consts::QIF_FLAGS,
                            true,
                            opts,
                        );
                        if next {
                            put!(out, ", dqb_id={}", u32at(b, 72));
                        }
                    } else if next {
                        put!(out, ", dqb_id={}, ...", u32at(b, 72));
                    } else {
                        out.push_str(", ...");
                    }
                    out.push('}');
                }
                None => ptr(out, data),
            }
        }
        Q_GETFMT => {
            out.push_str(", ");
            match bytes(4, true) {
                Some(b) => {
                    out.push('[');
                    super::consts::styled(
                        out,
                        u64::from(u32at(b, 0)),
                        &super::consts::QUOTA_FORMATS,
                        false,
                        opts,
                    );
                    out.push(']');
                }
                None => ptr(out, data),
            }
        }
        Q_GETINFO | Q_SETINFO => {
            out.push_str(", ");
            match bytes(24, cmd == Q_GETINFO) {
                Some(b) => {
                    put!(
                        out,
                        "{{dqi_bgrace={}, dqi_igrace={}, dqi_flags=",
                        u64at(b, 0),
                        u64at(b, 8)
                    );
                    super::consts::styled(
                        out,
                        u64::from(u32at(b, 16)),
                        &super::consts::DQF_FLAGS,
                        true,
                        opts,
                    );
                    out.push_str(", dqi_valid=");
                    super::consts::styled(
                        out,
                        u64::from(u32at(b, 20)),
                        &super::consts::IIF_FLAGS,
                        true,
                        opts,
                    );
                    out.push('}');
                }
                None => ptr(out, data),
            }
        }
        Q_XQUOTAON | Q_XQUOTAOFF | Q_XQUOTARM => {
            out.push_str(", ");
            match bytes(4, false) {
                Some(b) => {
                    out.push('[');
                    let table = if cmd == Q_XQUOTARM {
                        &super::consts::XFS_DQBLK_FLAGS
                    } else {
                        &super::consts::XFS_QUOTA_FLAGS
                    };
                    super::consts::styled(out, u64::from(u32at(b, 0)), table, true, opts);
                    out.push(']');
                }
                None => ptr(out, data),
            }
        }
        // struct fs_disk_quota (linux/dqblk_xfs.h), read (XSETQLIM) or written.
        Q_XGETQUOTA | Q_XSETQLIM | Q_XGETNEXTQUOTA => {
            uid(out);
            out.push_str(", ");
            match bytes(112, cmd != Q_XSETQLIM) {
                Some(b) => {
                    let u16at = |o: usize| u16::from_ne_bytes([b[o], b[o + 1]]);
                    put!(out, "{{d_version={}, d_flags=", b[0] as i8);
                    super::consts::styled(
                        out,
                        u64::from(b[1]),
                        &super::consts::XFS_DQBLK_FLAGS,
                        true,
                        opts,
                    );
                    put!(out, ", d_fieldmask=");
                    c_hex(out, u64::from(u16at(2)));
                    put!(
                        out,
                        ", d_id={}, d_blk_hardlimit={}, d_blk_softlimit={}, d_ino_hardlimit={}, \
                         d_ino_softlimit={}, d_bcount={}, d_icount={}",
                        u32at(b, 4),
                        u64at(b, 8),
                        u64at(b, 16),
                        u64at(b, 24),
                        u64at(b, 32),
                        u64at(b, 40),
                        u64at(b, 48)
                    );
                    if opts.verbose {
                        put!(
                            out,
                            ", d_itimer={}, d_btimer={}, d_iwarns={}, d_bwarns={}, \
                             d_rtb_hardlimit={}, d_rtb_softlimit={}, d_rtbcount={}, \
                             d_rtbtimer={}, d_rtbwarns={}",
                            u32at(b, 56) as i32,
                            u32at(b, 60) as i32,
                            u16at(64),
                            u16at(66),
                            u64at(b, 72),
                            u64at(b, 80),
                            u64at(b, 88),
                            u32at(b, 96) as i32,
                            u16at(100)
                        );
                    } else {
                        out.push_str(", ...");
                    }
                    out.push('}');
                }
                None => ptr(out, data),
            }
        }
        // No id; the statistics' layouts are not decoded (the address).
        Q_XGETQSTAT | Q_XGETQSTATV => {
            out.push_str(", ");
            ptr(out, data);
        }
        _ => {
            uid(out);
            out.push_str(", ");
            ptr(out, data);
        }
    }
}

/// swapon's flags: the flags, then the priority (the low 15 bits) in decimal:
/// `SWAP_FLAG_PREFER|10`, `0`.
pub fn swap_flags(out: &mut String, v: u64) {
    let v = v & 0xffff_ffff;
    let (flags, prio) = (v & !0x7fff, v & 0x7fff);
    if flags != 0 {
        super::consts::flags(out, flags, &super::consts::SWAP_FLAGS);
        out.push('|');
    }
    super::int(out, prio);
}

/// C's `%#x`: `0x1f`, and `0` for zero.
pub fn c_hex(out: &mut String, v: u64) {
    if v == 0 {
        out.push('0');
    } else {
        put!(out, "{v:#x}");
    }
}

pub fn mode(out: &mut String, v: u64) {
    const TYPES: Xlat = &[
        (0o140000, "S_IFSOCK"),
        (0o120000, "S_IFLNK"),
        (0o100000, "S_IFREG"),
        (0o60000, "S_IFBLK"),
        (0o40000, "S_IFDIR"),
        (0o20000, "S_IFCHR"),
        (0o10000, "S_IFIFO"),
    ];
    let ty = v & 0o170000;
    if ty != 0 {
        match xlat::name_of(ty, TYPES) {
            Some(n) => out.push_str(n),
            // Not a file type: the whole mode in octal, as strace.
            None => return numeric_mode(out, v),
        }
        out.push('|');
    }
    numeric_mode(out, v & 0o7777);
}

/// `{st_mode=S_IFREG|0644, st_size=123, ...}` (x86_64 struct stat; devices show st_rdev);
/// with `-v` every field, the times with their dates, as strace prints them.
pub fn stat(out: &mut String, b: &[u8], opts: &Opts) -> bool {
    if b.len() < 144 {
        return false;
    }
    let u64at = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let u32at = |o: usize| u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default());
    let mode = u64::from(u32at(24));
    let ty = mode & 0o170000;
    let device = ty == 0o20000 || ty == 0o60000;
    if !opts.verbose {
        out.push_str("{st_mode=");
        stat_mode(out, mode);
        if device {
            out.push_str(", st_rdev=");
            makedev(out, u64at(40));
        } else {
            put!(out, ", st_size={}", u64at(48) as i64);
        }
        out.push_str(", ...}");
        return true;
    }
    // -X: the device and the mode as numbers, named, or both.
    let dev = |out: &mut String, v: u64| styled(out, opts, |o| c_hex(o, v), |o| makedev(o, v));
    out.push_str("{st_dev=");
    dev(out, u64at(0));
    put!(out, ", st_ino={}, st_mode=", u64at(8));
    styled(out, opts, |o| put!(o, "0{mode:o}"), |o| stat_mode(o, mode));
    put!(
        out,
        ", st_nlink={}, st_uid={}, st_gid={}, st_blksize={}, st_blocks={}",
        u64at(16),
        u32at(28),
        u32at(32),
        u64at(56) as i64,
        u64at(64) as i64
    );
    if device {
        out.push_str(", st_rdev=");
        dev(out, u64at(40));
    } else {
        put!(out, ", st_size={}", u64at(48) as i64);
    }
    for (name, at) in [("st_atime", 72), ("st_mtime", 88), ("st_ctime", 104)] {
        let (sec, nsec) = (u64at(at) as i64, u64at(at + 8));
        put!(out, ", {name}={sec}");
        super::time::dated(out, sec, nsec, 999_999_999, 9);
        put!(out, ", {name}_nsec={nsec}");
    }
    out.push('}');
    true
}

/// A mode as stat reports it: type, then set-id and sticky bits by name (`S_IFDIR|S_ISVTX|0777`).
pub fn stat_mode(out: &mut String, v: u64) {
    const SPECIAL: Xlat = &[
        (0o4000, "S_ISUID"),
        (0o2000, "S_ISGID"),
        (0o1000, "S_ISVTX"),
    ];
    let ty = v & 0o170000;
    if ty != 0 && !matches!(ty >> 12, 0o14 | 0o12 | 0o10 | 0o6 | 0o4 | 0o2 | 0o1) {
        // Not a file type: the whole mode in octal, as strace.
        return numeric_mode(out, v);
    }
    let mut m = String::new();
    mode(&mut m, v & !0o7000);
    let (ty, perm) = match m.rsplit_once('|') {
        Some((t, p)) => (format!("{t}|"), p.to_string()),
        None => (String::new(), m),
    };
    out.push_str(&ty);
    for (bit, name) in SPECIAL {
        if v & bit != 0 {
            out.push_str(name);
            out.push('|');
        }
    }
    out.push_str(&perm);
}

/// `{stx_mask=..., stx_attributes=..., stx_mode=S_IFREG|0644, stx_size=..., ...}`: strace's
/// short form of struct statx (include/uapi/linux/stat.h).
pub fn statx(out: &mut String, b: &[u8], verbose: bool) -> bool {
    if b.len() < 0x100 {
        return false;
    }
    let u32at = |o: usize| u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default());
    let u64at = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let mask = u32at(0);
    let has = |bit: u32| mask & bit != 0;
    let id = |o: &mut String, name: &str, v: u32| match v {
        u32::MAX => put!(o, ", {name}=-1"),
        v => put!(o, ", {name}={v}"),
    };
    out.push_str("{stx_mask=");
    statx_mask(out, u64::from(mask));
    if verbose {
        put!(out, ", stx_blksize={}", u32at(4));
    }
    out.push_str(", stx_attributes=");
    xlat::flags(out, u64at(8), STATX_ATTRS);
    if verbose {
        if has(0x4) {
            put!(out, ", stx_nlink={}", u32at(0x10));
        }
        if has(0x8) {
            id(out, "stx_uid", u32at(0x14));
        }
        if has(0x10) {
            id(out, "stx_gid", u32at(0x18));
        }
    }
    if has(0x1 | 0x2) {
        out.push_str(", stx_mode=");
        stat_mode(out, u64::from(u16::from_ne_bytes([b[0x1c], b[0x1d]])));
    }
    if verbose && has(0x100) {
        put!(out, ", stx_ino={}", u64at(0x20));
    }
    if has(0x200) {
        put!(out, ", stx_size={}", u64at(0x28));
    }
    if !verbose {
        out.push_str(", ...}");
        return true;
    }
    if has(0x400) {
        put!(out, ", stx_blocks={}", u64at(0x30));
    }
    out.push_str(", stx_attributes_mask=");
    xlat::flags(out, u64at(0x38), STATX_ATTRS);
    // Timestamps: {tv_sec, tv_nsec} and the date, each when the mask says it is there.
    for (bit, at, name) in [
        (0x20, 0x40, "stx_atime"),
        (0x800, 0x50, "stx_btime"),
        (0x80, 0x60, "stx_ctime"),
        (0x40, 0x70, "stx_mtime"),
    ] {
        if has(bit) {
            let sec = u64at(at) as i64;
            let nsec = u32at(at + 8);
            put!(out, ", {name}={{tv_sec={sec}, tv_nsec={nsec}}}");
            super::time::dated(out, sec, u64::from(nsec), 999_999_999, 9);
        }
    }
    put!(
        out,
        ", stx_rdev_major={}, stx_rdev_minor={}, stx_dev_major={}, stx_dev_minor={}",
        u32at(0x80),
        u32at(0x84),
        u32at(0x88),
        u32at(0x8c)
    );
    if has(0x1000) {
        put!(out, ", stx_mnt_id={:#x}", u64at(0x90));
    }
    if has(0x2000) {
        put!(
            out,
            ", stx_dio_mem_align={}, stx_dio_offset_align={}",
            u32at(0x98),
            u32at(0x9c)
        );
    }
    out.push('}');
    true
}

const STATX_ATTRS: Xlat = &[
    (0x4, "STATX_ATTR_COMPRESSED"),
    (0x10, "STATX_ATTR_IMMUTABLE"),
    (0x20, "STATX_ATTR_APPEND"),
    (0x40, "STATX_ATTR_NODUMP"),
    (0x800, "STATX_ATTR_ENCRYPTED"),
    (0x1000, "STATX_ATTR_AUTOMOUNT"),
    (0x2000, "STATX_ATTR_MOUNT_ROOT"),
    (0x100000, "STATX_ATTR_VERITY"),
    (0x200000, "STATX_ATTR_DAX"),
];

/// File system types by magic number (include/uapi/linux/magic.h), as `f_type` shows them.
const FS_MAGICS: Xlat = &[
    (0xef53, "EXT2_SUPER_MAGIC"),
    (0x0102_1994, "TMPFS_MAGIC"),
    (0x9fa0, "PROC_SUPER_MAGIC"),
    (0x6265_6572, "SYSFS_MAGIC"),
    (0x5846_5342, "XFS_SUPER_MAGIC"),
    (0x9123_683e, "BTRFS_SUPER_MAGIC"),
    (0x794c_7630, "OVERLAYFS_SUPER_MAGIC"),
    (0x6367_7270, "CGROUP2_SUPER_MAGIC"),
    (0x0027_e0eb, "CGROUP_SUPER_MAGIC"),
    (0x6969, "NFS_SUPER_MAGIC"),
    (0x1cd1, "DEVPTS_SUPER_MAGIC"),
    (0x6264_6570, "DEBUGFS_MAGIC"),
    (0x7472_6163, "TRACEFS_MAGIC"),
    (0xcafe_4a11, "BPF_FS_MAGIC"),
    (0x0bad_1dea, "FUTEXFS_SUPER_MAGIC"),
    (0x5346_544e, "NTFS_SB_MAGIC"),
    (0x4d44, "MSDOS_SUPER_MAGIC"),
    (0x9660, "ISOFS_SUPER_MAGIC"),
    (0x7371_7368, "SQUASHFS_MAGIC"),
    (0x6573_5546, "FUSE_SUPER_MAGIC"),
    (0x8584_58f6, "RAMFS_MAGIC"),
    (0x1373, "DEVFS_SUPER_MAGIC"),
    (0x5345_4c46, "SELINUX_MAGIC"),
    (0x7363_6673, "SECURITYFS_MAGIC"),
    (0x6e73_6673, "NSFS_MAGIC"),
    (0x5050_4150, "PIPEFS_MAGIC"),
    (0x534f_434b, "SOCKFS_MAGIC"),
    (0x9584_58f6, "HUGETLBFS_MAGIC"),
];

/// `statfs`'s mount flags.
const ST_FLAGS: Xlat = &[
    (1, "ST_RDONLY"),
    (2, "ST_NOSUID"),
    (4, "ST_NODEV"),
    (8, "ST_NOEXEC"),
    (0x10, "ST_SYNCHRONOUS"),
    (0x20, "ST_VALID"),
    (0x40, "ST_MANDLOCK"),
    (0x400, "ST_NOATIME"),
    (0x800, "ST_NODIRATIME"),
    (0x1000, "ST_RELATIME"),
    (0x2000, "ST_NOSYMFOLLOW"),
];

/// `struct statfs` as strace prints it.
pub fn statfs(out: &mut String, b: &[u8]) -> bool {
    // (x86_64's layout: 8-byte words, the fsid two ints after the seventh.)
    if b.len() < 120 {
        return false;
    }
    let w = |k: usize| u64::from_ne_bytes(b[k * 8..k * 8 + 8].try_into().unwrap_or_default());
    let fsid =
        |k: usize| i32::from_ne_bytes(b[56 + k * 4..60 + k * 4].try_into().unwrap_or_default());
    out.push_str("{f_type=");
    match xlat::name_of(w(0), FS_MAGICS) {
        Some(n) => out.push_str(n),
        None => put!(out, "{:#x}", w(0)),
    }
    put!(
        out,
        ", f_bsize={}, f_blocks={}, f_bfree={}, f_bavail={}, f_files={}, f_ffree={}",
        w(1),
        w(2),
        w(3),
        w(4),
        w(5),
        w(6)
    );
    out.push_str(", f_fsid={val=[");
    for k in 0..2 {
        if k > 0 {
            out.push_str(", ");
        }
        match fsid(k) {
            0 => out.push('0'),
            x => put!(out, "{:#x}", x as u32),
        }
    }
    put!(out, "]}}, f_namelen={}, f_frsize={}, f_flags=", w(8), w(9));
    xlat::flags(out, w(10), ST_FLAGS);
    out.push('}');
    true
}

/// statx masks: `STATX_BASIC_STATS` stands for its 11 bits, as strace prints it.
pub fn statx_mask(out: &mut String, v: u64) {
    super::consts::flags(out, v, &super::consts::STATX_MASKS);
}

/// statx's flags: the sync type (low bits of 0x6000) is always named.
pub fn statx_flags(out: &mut String, v: u64) {
    let sync = match v & 0x6000 {
        0x2000 => "AT_STATX_FORCE_SYNC",
        0x4000 => "AT_STATX_DONT_SYNC",
        0x6000 => "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC",
        _ => "AT_STATX_SYNC_AS_STAT",
    };
    out.push_str(sync);
    let rest = v & !0x6000;
    if rest != 0 {
        out.push('|');
        at_flags(out, rest);
    }
}

pub fn fadvise(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0, "POSIX_FADV_NORMAL"),
        (1, "POSIX_FADV_RANDOM"),
        (2, "POSIX_FADV_SEQUENTIAL"),
        (3, "POSIX_FADV_WILLNEED"),
        (4, "POSIX_FADV_DONTNEED"),
        (5, "POSIX_FADV_NOREUSE"),
    ];
    xlat::value(out, v, T);
}

/// `fcntl(fd, cmd, arg)`: the third argument exists and has a type only for some commands.
pub fn fcntl(out: &mut String, ev: &Event, opts: &Opts, fds: &mut dyn FdNames) {
    let a = ev.rec.args;
    arg(out, Ty::Fd, a[0], 0, ev, opts, fds);
    out.push_str(", ");
    // An int: the kernel ignores the upper half.
    let cmd = a[1] & 0xffff_ffff;
    xlat::value(out, cmd, FCNTL_CMDS);
    match cmd {
        F_GETFD | F_GETFL | F_GETOWN | F_GETSIG | F_GETLEASE | F_GETPIPE_SZ | F_GET_SEALS => {}
        F_SETFD => {
            out.push_str(", ");
            out.push_str(if a[2] == FD_CLOEXEC {
                "FD_CLOEXEC"
            } else {
                "0"
            });
        }
        F_SETFL => {
            out.push_str(", ");
            open_flags(out, a[2]);
        }
        F_SETLEASE => {
            out.push_str(", ");
            xlat::value(out, a[2] & 0xffff_ffff, LOCK_TYPES);
        }
        // A process, or a process group as its negated id: as the caller names them.
        8 => {
            out.push_str(", ");
            let who = a[2] as u32 as i32;
            if who < 0 {
                out.push('-');
            }
            super::pid(out, i64::from(who).abs(), opts, fds);
        }
        F_NOTIFY => {
            out.push_str(", ");
            xlat::flags(out, a[2] & 0xffff_ffff, DN_FLAGS);
        }
        F_SETSIG => {
            out.push_str(", ");
            out.push_str(&super::signal::name(a[2] & 0xffff_ffff));
        }
        // The lock as given; the one found (with its owner) when F_GETLK succeeds.
        F_GETLK | F_SETLK | F_SETLKW | F_OFD_GETLK..=F_OFD_SETLKW => {
            out.push_str(", ");
            let got = matches!(cmd, F_GETLK | F_OFD_GETLK) && ev.rec.ret >= 0;
            match fcntl_struct(ev, 32) {
                Some(b) => flock(out, b, got),
                None => ptr(out, a[2]),
            }
        }
        // struct f_owner_ex: as given, or as the kernel filled it.
        F_SETOWN_EX | F_GETOWN_EX => {
            out.push_str(", ");
            match fcntl_struct(ev, 8).filter(|_| cmd == F_SETOWN_EX || ev.rec.ret >= 0) {
                Some(b) => {
                    const TYPES: Xlat =
                        &[(0, "F_OWNER_TID"), (1, "F_OWNER_PID"), (2, "F_OWNER_PGRP")];
                    let w =
                        |k: usize| i32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
                    out.push_str("{type=");
                    xlat::value(out, u64::from(w(0) as u32), TYPES);
                    // The pid as the caller names it (another PID namespace: translated).
                    out.push_str(", pid=");
                    super::pid(out, i64::from(w(4)), opts, fds);
                    out.push('}');
                }
                None => ptr(out, a[2]),
            }
        }
        _ => {
            out.push_str(", ");
            out.push_str(&as_int(a[2]).to_string());
        }
    }
}

/// Lock types: struct flock's l_type, and the leases of F_SETLEASE and F_GETLEASE.
const LOCK_TYPES: Xlat = &[(0, "F_RDLCK"), (1, "F_WRLCK"), (2, "F_UNLCK")];
/// F_NOTIFY's events (include/uapi/linux/fcntl.h).
const DN_FLAGS: Xlat = &[
    (1, "DN_ACCESS"),
    (2, "DN_MODIFY"),
    (4, "DN_CREATE"),
    (8, "DN_DELETE"),
    (0x10, "DN_RENAME"),
    (0x20, "DN_ATTRIB"),
    (0x8000_0000, "DN_MULTISHOT"),
];

/// fcntl's structure argument, `n` bytes of it, if they could all be read.
fn fcntl_struct<'a>(ev: &'a Event, n: usize) -> Option<&'a [u8]> {
    // i386's struct flock has 32-bit offsets: not decoded.
    if ev.abi() == crate::syscalls::Abi::I386 {
        return None;
    }
    ev.str_for(2)
        .filter(|c| ev.rec.args[2] != 0 && (!c.faulted() || c.page_end()) && c.bytes.len() >= n)
        .map(|c| c.bytes)
}

/// `struct flock`: type, whence, start, length, and the owner's pid when the kernel said.
fn flock(out: &mut String, b: &[u8], pid: bool) {
    let h = |k: usize| u64::from(u16::from_ne_bytes([b[k], b[k + 1]]));
    let q = |k: usize| i64::from_ne_bytes(b[k..k + 8].try_into().unwrap_or_default());
    out.push_str("{l_type=");
    xlat::value(out, h(0), LOCK_TYPES);
    out.push_str(", l_whence=");
    whence(out, h(2));
    put!(out, ", l_start={}, l_len={}", q(8), q(16));
    if pid {
        put!(
            out,
            ", l_pid={}",
            i32::from_ne_bytes(b[24..28].try_into().unwrap_or_default())
        );
    }
    out.push('}');
}

/// fcntl's result when it is flags: `F_GETFL`/`F_GETFD` by name (true if written).
pub fn fcntl_ret(out: &mut String, ev: &Event) -> bool {
    let (cmd, r) = (ev.rec.args[1] & 0xffff_ffff, ev.rec.ret);
    match cmd {
        F_GETLEASE => {
            put!(out, "{r:#x} (");
            xlat::value(out, r as u64, LOCK_TYPES);
            out.push(')');
            true
        }
        F_GETSIG if r > 0 => {
            put!(out, "{r} ({})", super::signal::name(r as u64));
            true
        }
        F_GETFL => {
            put!(out, "{r:#x} (flags ");
            open_flags(out, r as u64);
            out.push(')');
            true
        }
        F_GETFD if r > 0 => {
            let f = if r as u64 & FD_CLOEXEC != 0 {
                "FD_CLOEXEC"
            } else {
                "0"
            };
            put!(out, "{r:#x} (flags {f})");
            true
        }
        _ => false,
    }
}

/// mount(2): the old magic number in the flags' upper half is named apart (`MS_MGC_VAL|…`);
/// a remount ignores the file system type and a bind, move or propagation change the data as
/// well, so those are printed as the pointers they are, as the kernel reads them.
pub fn mount(
    out: &mut String,
    ev: &Event,
    sc: &crate::syscalls::Syscall,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    const MGC_VAL: u64 = 0xc0ed_0000;
    const MGC_MASK: u64 = 0xffff_0000;
    const REMOUNT: u64 = 0x20;
    const NO_DATA: u64 = 0x1000 | 0x2000 | 0x100000 | 0x40000 | 0x80000 | 0x20000;
    let mut flags = ev.rec.args[3];
    let magic = flags & MGC_MASK == MGC_VAL;
    if magic {
        flags &= !MGC_MASK;
    }
    let (no_type, no_data) = if flags & REMOUNT != 0 {
        (true, false)
    } else {
        let bind = flags & NO_DATA != 0;
        (bind, bind)
    };
    super::typed(out, ev, sc, opts, fds, |o, i, v| match i {
        2 if no_type => {
            ptr(o, v);
            true
        }
        4 if no_data => {
            ptr(o, v);
            true
        }
        3 => {
            use super::consts::{MOUNT_FLAGS, MOUNT_MAGIC, styled};
            if magic {
                styled(o, MGC_VAL, &MOUNT_MAGIC, false, opts);
                if flags != 0 {
                    o.push('|');
                }
            }
            if flags != 0 || !magic {
                styled(o, flags, &MOUNT_FLAGS, true, opts);
            }
            true
        }
        _ => false,
    });
}

/// fsconfig(2): the key is a string for the `SET_*` commands, the value a string, a path or
/// `aux` bytes of binary data (in hex), and `aux` a directory fd, an fd or a number.
pub fn fsconfig(out: &mut String, ev: &Event, opts: &Opts, fds: &mut dyn FdNames) {
    const SET_STRING: u32 = 1;
    const SET_BINARY: u32 = 2;
    const SET_PATH: u32 = 3;
    const SET_PATH_EMPTY: u32 = 4;
    const SET_FD: u32 = 5;
    let a = ev.rec.args;
    let cmd = a[1] as u32;
    let aux = a[4] as u32 as i32;
    arg(out, Ty::Fd, a[0], 0, ev, opts, fds);
    out.push_str(", ");
    arg(
        out,
        Ty::Xval(&super::consts::FSCONFIG_CMDS),
        a[1],
        1,
        ev,
        opts,
        fds,
    );
    out.push_str(", ");
    let key = if cmd <= SET_FD {
        Ty::StrMax(256)
    } else {
        Ty::Ptr
    };
    arg(out, key, a[2], 2, ev, opts, fds);
    out.push_str(", ");
    match cmd {
        SET_STRING => arg(out, Ty::StrMax(256), a[3], 3, ev, opts, fds),
        SET_PATH | SET_PATH_EMPTY => arg(out, Ty::Path, a[3], 3, ev, opts, fds),
        // The value: `aux` bytes (the kernel side copies up to -s + 1 of them), shown when
        // the first -s could be read.
        SET_BINARY if (0..=1 << 20).contains(&aux) => {
            let n = aux as usize;
            let size = n.min(opts.strsize);
            let c = ev
                .str_for(3 | usize::from(tracer_common::SLOT_CONTENTS))
                .filter(|c| a[3] != 0 && (!c.faulted() || c.page_end()));
            match c {
                Some(c) if c.bytes.len() >= size => {
                    let shown = &c.bytes[..size];
                    super::strings::quote(out, shown, size, n > size, super::strings::Hex::All);
                }
                _ => ptr(out, a[3]),
            }
        }
        _ => ptr(out, a[3]),
    }
    out.push_str(", ");
    match cmd {
        SET_PATH | SET_PATH_EMPTY => arg(out, Ty::Dirfd, a[4], 4, ev, opts, fds),
        SET_FD => arg(out, Ty::Fd, a[4], 4, ev, opts, fds),
        _ => put!(out, "{aux}"),
    }
}

/// mount_setattr's `struct mount_attr`: `attr_set=MOUNT_ATTR_RDONLY, attr_clr=0,
/// propagation=MS_PRIVATE, userns_fd=0` (an fd, named under -y, when an ID mapping uses it).
pub fn mount_attr(out: &mut String, b: &[u8], opts: &super::Opts, fds: &mut dyn super::FdNames) {
    use super::consts::{MOUNT_ATTRS, MOUNT_PROPAGATION, styled};
    const MOUNT_ATTR_IDMAP: u64 = 0x100000;
    let u = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let (set, clr, propagation, userns) = (u(0), u(8), u(16), u(24));
    out.push_str("attr_set=");
    styled(out, set, &MOUNT_ATTRS, true, opts);
    out.push_str(", attr_clr=");
    styled(out, clr, &MOUNT_ATTRS, true, opts);
    out.push_str(", propagation=");
    styled(out, propagation, &MOUNT_PROPAGATION, false, opts);
    out.push_str(", userns_fd=");
    if userns > i32::MAX as u64 || (set | clr) & MOUNT_ATTR_IDMAP == 0 {
        put!(out, "{userns}");
    } else {
        super::fd_text(out, userns as i32, fds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statfs_prints_as_strace() {
        let mut b = [0u8; 120];
        let mut put = |k: usize, v: u64| b[k * 8..k * 8 + 8].copy_from_slice(&v.to_ne_bytes());
        put(0, 0x9fa0);
        put(1, 4096);
        put(8, 255);
        put(9, 4096);
        put(10, 0x1020);
        b[56..60].copy_from_slice(&0x15i32.to_ne_bytes());
        let mut s = String::new();
        assert!(statfs(&mut s, &b));
        assert_eq!(
            s,
            "{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, \
             f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, \
             f_flags=ST_VALID|ST_RELATIME}"
        );
    }

    #[test]
    fn modes_print_as_c_octal_with_three_digits_at_least() {
        for (v, want) in [
            (0, "000"),
            (4, "004"),
            (0o44, "044"),
            (0o600, "0600"),
            (0o177777, "0177777"),
        ] {
            let mut s = String::new();
            numeric_mode(&mut s, v);
            assert_eq!(s, want);
        }
        let mut s = String::new();
        makedev(&mut s, 0x103);
        assert_eq!(s, "makedev(0x1, 0x3)");
    }

    use super::super::xlat::render as s;

    #[test]
    fn open_flags_like_strace() {
        assert_eq!(s(open_flags, 0), "O_RDONLY");
        assert_eq!(s(open_flags, 0o2000000), "O_RDONLY|O_CLOEXEC");
        assert_eq!(
            s(open_flags, 0o1 | 0o100 | 0o1000 | 0o2000000),
            "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC"
        );
        assert_eq!(
            s(open_flags, 0o4000 | 0o200000 | 0o2000000),
            "O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY"
        );
        assert_eq!(s(open_flags, 0o4010000), "O_RDONLY|O_SYNC");
        assert_eq!(s(open_flags, 0o20200002), "O_RDWR|O_TMPFILE");
    }

    #[test]
    fn at_and_access() {
        assert_eq!(s(at_flags, 0), "0");
        assert_eq!(s(at_flags, 0x100), "AT_SYMLINK_NOFOLLOW");
        assert_eq!(
            s(at_flags, 0x1000 | 0x100),
            "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH"
        );
        assert_eq!(s(access_mode, 0), "F_OK");
        assert_eq!(s(access_mode, 6), "R_OK|W_OK");
        assert_eq!(s(whence, 2), "SEEK_END");
    }

    #[test]
    fn stat_struct() {
        let mut b = vec![0u8; 144];
        b[24..28].copy_from_slice(&0o100644u32.to_ne_bytes());
        b[48..56].copy_from_slice(&3040u64.to_ne_bytes());
        let mut o = String::new();
        assert!(stat(&mut o, &b, &Opts::default()));
        assert_eq!(o, "{st_mode=S_IFREG|0644, st_size=3040, ...}");
        b[24..28].copy_from_slice(&0o20666u32.to_ne_bytes());
        b[40..48].copy_from_slice(&0x103u64.to_ne_bytes());
        let mut o = String::new();
        assert!(stat(&mut o, &b, &Opts::default()));
        assert_eq!(o, "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}");
    }

    #[test]
    fn stat_modes_and_statx_flags() {
        assert_eq!(s(stat_mode, 0o41777), "S_IFDIR|S_ISVTX|0777");
        assert_eq!(s(stat_mode, 0o100755), "S_IFREG|0755");
        assert_eq!(
            s(statx_flags, 0x900),
            "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT"
        );
        assert_eq!(
            s(statx_mask, 0x25e),
            "STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_MTIME|STATX_SIZE"
        );
        assert_eq!(s(statx_mask, 0x17ff), "STATX_BASIC_STATS|STATX_MNT_ID");
        assert_eq!(s(fd_flags, 0), "0");
    }

    #[test]
    fn modes() {
        assert_eq!(s(mode, 0o644), "0644");
        assert_eq!(s(mode, 0), "000");
        assert_eq!(s(mode, 0o100755), "S_IFREG|0755");
        assert_eq!(s(mode, 0o4755), "04755");
    }
}
