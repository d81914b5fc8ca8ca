//! File-system values: open flags, `AT_*`, access modes, seek whence, fcntl commands, modes.
//! Values from include/uapi/asm-generic/fcntl.h and include/uapi/linux/fcntl.h (x86_64).
use super::xlat::{self, Xlat};

pub const O_CREAT: u64 = 0o100;
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
    (0o20000, "O_ASYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o20200000, "O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
];

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
    (0x2000, "AT_STATX_FORCE_SYNC"),
    (0x4000, "AT_STATX_DONT_SYNC"),
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
    xlat::flags(out, v, T);
}

pub fn access_mode(out: &mut String, v: u64) {
    const T: Xlat = &[(4, "R_OK"), (2, "W_OK"), (1, "X_OK")];
    if v == 0 {
        out.push_str("F_OK");
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
            None => out.push_str(&format!("{ty:#o}")),
        }
        out.push('|');
    }
    let perm = v & 0o7777;
    if perm == 0 {
        out.push_str("000");
    } else {
        out.push_str(&format!("0{perm:o}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: fn(&mut String, u64), v: u64) -> String {
        let mut o = String::new();
        f(&mut o, v);
        o
    }

    #[test]
    fn open_flags_like_strace() {
        assert_eq!(s(open_flags, 0), "O_RDONLY");
        assert_eq!(s(open_flags, 0o2000000), "O_RDONLY|O_CLOEXEC");
        assert_eq!(
            s(open_flags, 0o1 | 0o100 | 0o1000 | 0o2000000),
            "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC"
        );
        assert_eq!(
            s(open_flags, 0o2 | 0o4000 | 0o200000),
            "O_RDWR|O_NONBLOCK|O_DIRECTORY"
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
    fn modes() {
        assert_eq!(s(mode, 0o644), "0644");
        assert_eq!(s(mode, 0), "000");
        assert_eq!(s(mode, 0o100755), "S_IFREG|0755");
        assert_eq!(s(mode, 0o4755), "04755");
    }
}
