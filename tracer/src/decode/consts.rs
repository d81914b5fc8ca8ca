//! Named constants of the calls that need nothing but a table: an argument is an enum (one
//! name) or a set of flags (names joined by `|`), printed as strace prints them — an unknown
//! value in hex with the family's `/* PREFIX_??? */` after it. The values are the kernel's
//! (include/uapi); a syscall's row in the generated table points its argument at one of
//! these, so a new one is a table here and a line in xtask/data/gen_syscalls.py.
use super::xlat::{self, Xlat};

/// One family of named values.
#[derive(Debug, PartialEq, Eq)]
pub struct Consts {
    pub table: Xlat,
    /// The comment after a value none of the names matches (`FSCONFIG_???`); empty: none.
    pub unknown: &'static str,
    /// The argument is a C `int`/`unsigned int`: the kernel reads the low 32 bits only.
    pub int: bool,
    /// Flags whose bits in this mask are one value, not flags (fanotify's notification
    /// class), named first; the comment for an unknown one, and whether an unknown one still
    /// comes first (fanotify: `0xc /* FAN_CLASS_??? */|FAN_CLOEXEC`) or after the flags
    /// (mempolicy: `MPOL_F_STATIC_NODES|0xffff1fff`).
    pub field: (u64, &'static str, bool),
}

impl Consts {
    /// Whether some named (non-zero) bits are all set in `v`.
    pub fn any_known(&self, v: u64) -> bool {
        self.table
            .iter()
            .any(|&(bit, _)| bit != 0 && v & bit == bit)
    }

    /// The value as the kernel reads it.
    pub fn value(&self, v: u64) -> u64 {
        if self.int { v & 0xffff_ffff } else { v }
    }
}

/// `0x8 /* FSCONFIG_??? */` (`0` for zero), or plain hex when there is no comment to give:
/// how strace prints a value none of a family's names matches.
pub fn unknown(out: &mut String, v: u64, comment: &str) {
    if v == 0 {
        out.push('0');
    } else {
        put!(out, "{v:#x}");
    }
    if !comment.is_empty() {
        put!(out, " /* {comment} */");
    }
}

/// An enum: its name, or the number and the family's unknown comment.
pub fn value(out: &mut String, v: u64, c: &Consts) {
    let v = c.value(v);
    match xlat::name_of(v, c.table) {
        Some(n) => out.push_str(n),
        None => unknown(out, v, c.unknown),
    }
}

/// Bits: the known ones by name, the rest in hex (`EPOLL_CLOEXEC|0x800`); none known, the
/// number with the family's comment.
fn bits(out: &mut String, v: u64, c: &Consts) {
    if c.any_known(v) {
        xlat::flags(out, v, c.table);
    } else {
        unknown(out, v, c.unknown);
    }
}

/// Flags: [`bits`], zero by the name of zero if any, and a value field (see [`Consts`])
/// named first.
pub fn flags(out: &mut String, v: u64, c: &Consts) {
    let v = c.value(v);
    let (mask, field_unknown, unknown_first) = c.field;
    if mask != 0 {
        let (f, rest) = (v & mask, v & !mask);
        let known_rest = c
            .table
            .iter()
            .any(|&(bit, _)| bit != 0 && bit & mask == 0 && rest & bit == bit);
        let then_rest = |out: &mut String| {
            if rest != 0 {
                out.push('|');
                bits(out, rest, c);
            }
        };
        match xlat::name_of(f, c.table) {
            Some(n) => {
                out.push_str(n);
                then_rest(out);
            }
            None if unknown_first => {
                unknown(out, f, field_unknown);
                then_rest(out);
            }
            // An unknown value after the flags that are known, as strace's printflags.
            None if known_rest => {
                xlat::flags(out, rest, c.table);
                put!(out, "|{f:#x}");
            }
            None => unknown(out, v, field_unknown),
        }
        return;
    }
    if v == 0 {
        match xlat::name_of(0, c.table) {
            Some(n) => out.push_str(n),
            None => out.push('0'),
        }
        return;
    }
    bits(out, v, c);
}

/// A value or flags inside a structure, in the `-X` style: the name, the number, or both
/// (`0x1 /* QFMT_VFS_OLD */`; an unknown value keeps its own comment once).
pub fn styled(out: &mut String, v: u64, c: &Consts, is_flags: bool, opts: &super::Opts) {
    let name = |o: &mut String| {
        if is_flags {
            flags(o, v, c)
        } else {
            value(o, v, c)
        }
    };
    let v = c.value(v);
    match opts.consts {
        super::Consts::Abbrev => name(out),
        super::Consts::Raw => super::fs::c_hex(out, v),
        super::Consts::Verbose => super::number_and_name(out, |o| super::fs::c_hex(o, v), name),
    }
}

macro_rules! consts {
    ($(#[$doc:meta])* $name:ident, $unknown:literal, $int:literal, [$(($v:expr, $n:literal)),* $(,)?]) => {
        $(#[$doc])*
        pub static $name: Consts = Consts {
            table: &[$(($v, $n)),*],
            unknown: $unknown,
            int: $int,
            field: (0, "", false),
        };
    };
}

consts!(
    /// flock(2)'s operation.
    FLOCK_OPS, "LOCK_???", true, [(1, "LOCK_SH"), (2, "LOCK_EX"), (4, "LOCK_NB"), (8, "LOCK_UN")]
);
consts!(
    /// epoll_create1(2): only EPOLL_CLOEXEC exists.
    EPOLL_CREATE_FLAGS, "EPOLL_???", true, [(0o2000000, "EPOLL_CLOEXEC")]
);
consts!(
    /// inotify_init1(2).
    INOTIFY_INIT_FLAGS, "IN_???", true, [(0o4000, "IN_NONBLOCK"), (0o2000000, "IN_CLOEXEC")]
);
consts!(
    /// timerfd_create(2).
    TIMERFD_CREATE_FLAGS, "TFD_???", true, [(0o2000000, "TFD_CLOEXEC"), (0o4000, "TFD_NONBLOCK")]
);
consts!(
    /// signalfd4(2).
    SIGNALFD_FLAGS, "SFD_???", true, [(0o2000000, "SFD_CLOEXEC"), (0o4000, "SFD_NONBLOCK")]
);
consts!(
    /// dup3(2), pipe2(2): O_CLOEXEC and friends.
    O_FD_FLAGS, "O_???", true, [(0o4000, "O_NONBLOCK"), (0o2000000, "O_CLOEXEC"), (0o40000, "O_DIRECT"), (0o200000, "O_NOTIFICATION_PIPE")]
);
consts!(
    /// dup3(2): the open flags but the access mode.
    O_MODE_FLAGS, "O_???", true, [
        (0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (0o1000, "O_TRUNC"),
        (0o2000, "O_APPEND"), (0o4000, "O_NONBLOCK"), (0o4010000, "O_SYNC"), (0o10000, "O_DSYNC"),
        (0o20000, "O_ASYNC"), (0o40000, "O_DIRECT"), (0o100000, "O_LARGEFILE"),
        (0o20200000, "O_TMPFILE"), (0o200000, "O_DIRECTORY"), (0o400000, "O_NOFOLLOW"),
        (0o1000000, "O_NOATIME"), (0o2000000, "O_CLOEXEC"), (0o10000000, "O_PATH"),
    ]
);
consts!(
    /// close_range(2).
    CLOSE_RANGE_FLAGS, "CLOSE_RANGE_???", true, [(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")]
);
/// fanotify_init(2)'s flags: the notification class is a value in bits 2-3.
pub static FAN_INIT_FLAGS: Consts = Consts {
    table: &[
        (0, "FAN_CLASS_NOTIF"),
        (4, "FAN_CLASS_CONTENT"),
        (8, "FAN_CLASS_PRE_CONTENT"),
        (1, "FAN_CLOEXEC"),
        (2, "FAN_NONBLOCK"),
        (0x10, "FAN_UNLIMITED_QUEUE"),
        (0x20, "FAN_UNLIMITED_MARKS"),
        (0x40, "FAN_ENABLE_AUDIT"),
        (0x80, "FAN_REPORT_PIDFD"),
        (0x100, "FAN_REPORT_TID"),
        (0x200, "FAN_REPORT_FID"),
        (0x400, "FAN_REPORT_DIR_FID"),
        (0x800, "FAN_REPORT_NAME"),
        (0x1000, "FAN_REPORT_TARGET_FID"),
    ],
    unknown: "FAN_???",
    int: true,
    field: (0xc, "FAN_CLASS_???", true),
};
consts!(
    /// fsopen(2).
    FSOPEN_FLAGS, "FSOPEN_???", true, [(1, "FSOPEN_CLOEXEC")]
);
consts!(
    /// fspick(2).
    FSPICK_FLAGS, "FSPICK_???", true, [
        (1, "FSPICK_CLOEXEC"), (2, "FSPICK_SYMLINK_NOFOLLOW"), (4, "FSPICK_NO_AUTOMOUNT"),
        (8, "FSPICK_EMPTY_PATH"),
    ]
);
consts!(
    /// fsmount(2)'s flags.
    FSMOUNT_FLAGS, "FSMOUNT_???", true, [(1, "FSMOUNT_CLOEXEC")]
);
consts!(
    /// fsmount(2)'s mount attributes (strace 6.1's table: without the ID-mapping ones).
    FSMOUNT_ATTRS, "MOUNT_ATTR_???", true, [
        (1, "MOUNT_ATTR_RDONLY"), (2, "MOUNT_ATTR_NOSUID"), (4, "MOUNT_ATTR_NODEV"),
        (8, "MOUNT_ATTR_NOEXEC"), (0x10, "MOUNT_ATTR_NOATIME"), (0x20, "MOUNT_ATTR_STRICTATIME"),
        (0x80, "MOUNT_ATTR_NODIRATIME"),
    ]
);
consts!(
    /// mount_setattr(2)'s struct mount_attr: attributes set and cleared (64-bit fields).
    MOUNT_ATTRS, "MOUNT_ATTR_???", false, [
        (1, "MOUNT_ATTR_RDONLY"), (2, "MOUNT_ATTR_NOSUID"), (4, "MOUNT_ATTR_NODEV"),
        (8, "MOUNT_ATTR_NOEXEC"), (0x10, "MOUNT_ATTR_NOATIME"), (0x20, "MOUNT_ATTR_STRICTATIME"),
        (0x80, "MOUNT_ATTR_NODIRATIME"), (0x100000, "MOUNT_ATTR_IDMAP"),
        (0x200000, "MOUNT_ATTR_NOSYMFOLLOW"),
    ]
);
consts!(
    /// mount_attr's propagation: one of these.
    MOUNT_PROPAGATION, "MS_???", false, [
        (0x20000, "MS_UNBINDABLE"), (0x40000, "MS_PRIVATE"), (0x80000, "MS_SLAVE"),
        (0x100000, "MS_SHARED"),
    ]
);
consts!(
    /// kexec_load(2)'s architectures (the upper half of the flags' low word).
    KEXEC_ARCHES, "KEXEC_ARCH_???", false, [
        (0, "KEXEC_ARCH_DEFAULT"), (3 << 16, "KEXEC_ARCH_386"), (4 << 16, "KEXEC_ARCH_68K"),
        (15 << 16, "KEXEC_ARCH_PARISC"), (62 << 16, "KEXEC_ARCH_X86_64"),
        (20 << 16, "KEXEC_ARCH_PPC"), (21 << 16, "KEXEC_ARCH_PPC64"),
        (50 << 16, "KEXEC_ARCH_IA_64"), (40 << 16, "KEXEC_ARCH_ARM"),
        (22 << 16, "KEXEC_ARCH_S390"), (42 << 16, "KEXEC_ARCH_SH"),
        (10 << 16, "KEXEC_ARCH_MIPS_LE"), (8 << 16, "KEXEC_ARCH_MIPS"),
        (183 << 16, "KEXEC_ARCH_AARCH64"), (243 << 16, "KEXEC_ARCH_RISCV"),
        (258 << 16, "KEXEC_ARCH_LOONGARCH"),
    ]
);
consts!(
    /// kexec_load(2)'s flags besides the architecture.
    KEXEC_FLAGS, "KEXEC_???", false, [(1, "KEXEC_ON_CRASH"), (2, "KEXEC_PRESERVE_CONTEXT")]
);
consts!(
    /// syslog(2)'s actions.
    SYSLOG_ACTIONS, "SYSLOG_ACTION_???", true, [
        (0, "SYSLOG_ACTION_CLOSE"), (1, "SYSLOG_ACTION_OPEN"), (2, "SYSLOG_ACTION_READ"),
        (3, "SYSLOG_ACTION_READ_ALL"), (4, "SYSLOG_ACTION_READ_CLEAR"), (5, "SYSLOG_ACTION_CLEAR"),
        (6, "SYSLOG_ACTION_CONSOLE_OFF"), (7, "SYSLOG_ACTION_CONSOLE_ON"),
        (8, "SYSLOG_ACTION_CONSOLE_LEVEL"), (9, "SYSLOG_ACTION_SIZE_UNREAD"),
        (10, "SYSLOG_ACTION_SIZE_BUFFER"),
    ]
);
consts!(
    /// syslog(2)'s console levels (include/linux/kern_levels.h).
    LOGLEVELS, "LOGLEVEL_???", true, [
        (0, "LOGLEVEL_EMERG"), (1, "LOGLEVEL_ALERT"), (2, "LOGLEVEL_CRIT"), (3, "LOGLEVEL_ERR"),
        (4, "LOGLEVEL_WARNING"), (5, "LOGLEVEL_NOTICE"), (6, "LOGLEVEL_INFO"),
        (7, "LOGLEVEL_DEBUG"), (8, "LOGLEVEL_DEBUG+1"),
    ]
);
consts!(
    /// A message queue's flags (struct mq_attr).
    MQ_FLAGS, "O_???", false, [(0o4000, "O_NONBLOCK")]
);
consts!(
    /// struct futex_waitv's flags.
    FUTEX_WAITER_FLAGS, "FUTEX_???", true, [(2, "FUTEX_32"), (128, "FUTEX_PRIVATE_FLAG")]
);
consts!(
    /// io_uring_setup(2)'s flags (as strace 6.1 knows them).
    IORING_SETUP_FLAGS, "IORING_SETUP_???", true, [
        (1, "IORING_SETUP_IOPOLL"), (2, "IORING_SETUP_SQPOLL"), (4, "IORING_SETUP_SQ_AFF"),
        (8, "IORING_SETUP_CQSIZE"), (0x10, "IORING_SETUP_CLAMP"), (0x20, "IORING_SETUP_ATTACH_WQ"),
        (0x40, "IORING_SETUP_R_DISABLED"), (0x80, "IORING_SETUP_SUBMIT_ALL"),
        (0x100, "IORING_SETUP_COOP_TASKRUN"), (0x200, "IORING_SETUP_TASKRUN_FLAG"),
        (0x400, "IORING_SETUP_SQE128"), (0x800, "IORING_SETUP_CQE32"),
    ]
);
consts!(
    /// io_uring_setup(2)'s features (as strace 6.1 knows them).
    IORING_FEATURES, "IORING_FEAT_???", true, [
        (1, "IORING_FEAT_SINGLE_MMAP"), (2, "IORING_FEAT_NODROP"), (4, "IORING_FEAT_SUBMIT_STABLE"),
        (8, "IORING_FEAT_RW_CUR_POS"), (0x10, "IORING_FEAT_CUR_PERSONALITY"),
        (0x20, "IORING_FEAT_FAST_POLL"), (0x40, "IORING_FEAT_POLL_32BITS"),
        (0x80, "IORING_FEAT_SQPOLL_NONFIXED"), (0x100, "IORING_FEAT_EXT_ARG"),
        (0x200, "IORING_FEAT_NATIVE_WORKERS"), (0x400, "IORING_FEAT_RSRC_TAGS"),
        (0x800, "IORING_FEAT_CQE_SKIP"), (0x1000, "IORING_FEAT_LINKED_FILE"),
    ]
);
consts!(
    /// statx(2)'s mask (as strace 6.1 knows it: STATX_MNT_ID_UNIQUE and later are numbers).
    STATX_MASKS, "STATX_???", true, [
        (0xfff, "STATX_ALL"), (0x7ff, "STATX_BASIC_STATS"), (0x1, "STATX_TYPE"),
        (0x2, "STATX_MODE"), (0x4, "STATX_NLINK"), (0x8, "STATX_UID"), (0x10, "STATX_GID"),
        (0x20, "STATX_ATIME"), (0x40, "STATX_MTIME"), (0x80, "STATX_CTIME"),
        (0x100, "STATX_INO"), (0x200, "STATX_SIZE"), (0x400, "STATX_BLOCKS"),
        (0x800, "STATX_BTIME"), (0x1000, "STATX_MNT_ID"), (0x2000, "STATX_DIOALIGN"),
    ]
);
consts!(
    /// shmat(2)'s flags.
    SHMAT_FLAGS, "SHM_???", true, [
        (0o10000, "SHM_RDONLY"), (0o20000, "SHM_RND"), (0o40000, "SHM_REMAP"), (0o100000, "SHM_EXEC"),
    ]
);
consts!(
    /// mount(2)'s old magic number in the flags' upper half.
    MOUNT_MAGIC, "", false, [(0xc0ed0000, "MS_MGC_VAL")]
);
consts!(
    /// mount(2)'s flags (include/uapi/linux/mount.h).
    MOUNT_FLAGS, "MS_???", false, [
        (1, "MS_RDONLY"), (2, "MS_NOSUID"), (4, "MS_NODEV"), (8, "MS_NOEXEC"),
        (0x10, "MS_SYNCHRONOUS"), (0x20, "MS_REMOUNT"), (0x40, "MS_MANDLOCK"),
        (0x80, "MS_DIRSYNC"), (0x100, "MS_NOSYMFOLLOW"), (0x400, "MS_NOATIME"),
        (0x800, "MS_NODIRATIME"), (0x1000, "MS_BIND"), (0x2000, "MS_MOVE"), (0x4000, "MS_REC"),
        (0x8000, "MS_SILENT"), (0x10000, "MS_POSIXACL"), (0x20000, "MS_UNBINDABLE"),
        (0x40000, "MS_PRIVATE"), (0x80000, "MS_SLAVE"), (0x100000, "MS_SHARED"),
        (0x200000, "MS_RELATIME"), (0x400000, "MS_KERNMOUNT"), (0x800000, "MS_I_VERSION"),
        (0x1000000, "MS_STRICTATIME"), (0x2000000, "MS_LAZYTIME"), (0x4000000, "MS_SUBMOUNT"),
        (0x8000000, "MS_NOREMOTELOCK"), (0x10000000, "MS_NOSEC"), (0x20000000, "MS_BORN"),
        (0x40000000, "MS_ACTIVE"), (0x80000000, "MS_NOUSER"),
    ]
);
consts!(
    /// fsconfig(2)'s command.
    FSCONFIG_CMDS, "FSCONFIG_???", true, [
        (0, "FSCONFIG_SET_FLAG"), (1, "FSCONFIG_SET_STRING"), (2, "FSCONFIG_SET_BINARY"),
        (3, "FSCONFIG_SET_PATH"), (4, "FSCONFIG_SET_PATH_EMPTY"), (5, "FSCONFIG_SET_FD"),
        (6, "FSCONFIG_CMD_CREATE"), (7, "FSCONFIG_CMD_RECONFIGURE"),
    ]
);
consts!(
    /// open_tree(2): its own flags and the AT_ ones it accepts.
    OPEN_TREE_FLAGS, "OPEN_TREE_???", true, [
        (1, "OPEN_TREE_CLONE"), (0o2000000, "OPEN_TREE_CLOEXEC"), (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"), (0x8000, "AT_RECURSIVE"),
    ]
);
consts!(
    /// mount_setattr(2): the AT_ flags it accepts.
    MOUNT_SETATTR_FLAGS, "AT_???", true, [
        (0x100, "AT_SYMLINK_NOFOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"),
        (0x8000, "AT_RECURSIVE"),
    ]
);
consts!(
    /// pidfd_open(2).
    PIDFD_OPEN_FLAGS, "PIDFD_???", true, [(0o4000, "PIDFD_NONBLOCK")]
);
consts!(
    /// memfd_secret(2).
    MEMFD_SECRET_FLAGS, "", true, [(0o2000000, "O_CLOEXEC")]
);
consts!(
    /// userfaultfd(2).
    USERFAULTFD_FLAGS, "O_???", true, [(1, "UFFD_USER_MODE_ONLY"), (0o4000, "O_NONBLOCK"), (0o2000000, "O_CLOEXEC")]
);
consts!(
    /// mlockall(2).
    MLOCKALL_FLAGS, "MCL_???", true, [(1, "MCL_CURRENT"), (2, "MCL_FUTURE"), (4, "MCL_ONFAULT")]
);
consts!(
    /// mlock2(2).
    MLOCK_FLAGS, "MLOCK_???", true, [(1, "MLOCK_ONFAULT")]
);
consts!(
    /// splice(2), tee(2), vmsplice(2).
    SPLICE_FLAGS, "SPLICE_F_???", true, [
        (1, "SPLICE_F_MOVE"), (2, "SPLICE_F_NONBLOCK"), (4, "SPLICE_F_MORE"), (8, "SPLICE_F_GIFT"),
    ]
);
consts!(
    /// sync_file_range(2).
    SYNC_FILE_RANGE_FLAGS, "SYNC_FILE_RANGE_???", true, [
        (1, "SYNC_FILE_RANGE_WAIT_BEFORE"), (2, "SYNC_FILE_RANGE_WRITE"), (4, "SYNC_FILE_RANGE_WAIT_AFTER"),
    ]
);
consts!(
    /// setxattr(2) and its kin.
    XATTR_FLAGS, "XATTR_???", true, [(1, "XATTR_CREATE"), (2, "XATTR_REPLACE")]
);
consts!(
    /// setns(2)'s namespace type.
    SETNS_TYPES, "CLONE_NEW???", true, [
        (0x80, "CLONE_NEWTIME"), (0x20000, "CLONE_NEWNS"), (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"), (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"),
        (0x20000000, "CLONE_NEWPID"), (0x40000000, "CLONE_NEWNET"),
    ]
);
/// set_mempolicy(2)'s mode: a policy, and flags in bits 13-15.
pub static MPOL_MODES: Consts = Consts {
    table: MPOL_TABLE,
    unknown: "MPOL_???",
    int: true,
    field: (!0xe000, "MPOL_???", false),
};

/// mbind(2)'s mode: the same, in an `unsigned long`.
pub static MBIND_MODES: Consts = Consts {
    table: MPOL_TABLE,
    unknown: "MPOL_???",
    int: false,
    field: (!0xe000, "MPOL_???", false),
};

const MPOL_TABLE: Xlat = &[
    (0, "MPOL_DEFAULT"),
    (1, "MPOL_PREFERRED"),
    (2, "MPOL_BIND"),
    (3, "MPOL_INTERLEAVE"),
    (4, "MPOL_LOCAL"),
    (5, "MPOL_PREFERRED_MANY"),
    (0x8000, "MPOL_F_STATIC_NODES"),
    (0x4000, "MPOL_F_RELATIVE_NODES"),
    (0x2000, "MPOL_F_NUMA_BALANCING"),
];

consts!(
    /// get_mempolicy(2)'s flags.
    MPOL_F_FLAGS, "MPOL_???", true, [(1, "MPOL_F_NODE"), (2, "MPOL_F_ADDR"), (4, "MPOL_F_MEMS_ALLOWED")]
);
consts!(
    /// move_pages(2)'s flags.
    MPOL_MF_FLAGS, "MPOL_???", true, [(2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")]
);
consts!(
    /// pkey_alloc(2)'s access rights (an unsigned long).
    PKEY_ACCESS, "PKEY_???", false, [(1, "PKEY_DISABLE_ACCESS"), (2, "PKEY_DISABLE_WRITE"), (4, "PKEY_DISABLE_EXECUTE")]
);
consts!(
    /// mbind(2)'s flags.
    MBIND_FLAGS, "MPOL_???", true, [(1, "MPOL_MF_STRICT"), (2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")]
);
consts!(
    /// ioprio_get(2), ioprio_set(2).
    IOPRIO_WHO, "IOPRIO_WHO_???", true, [(1, "IOPRIO_WHO_PROCESS"), (2, "IOPRIO_WHO_PGRP"), (3, "IOPRIO_WHO_USER")]
);
consts!(
    /// kcmp(2)'s type.
    KCMP_TYPES, "KCMP_???", true, [
        (0, "KCMP_FILE"), (1, "KCMP_VM"), (2, "KCMP_FILES"), (3, "KCMP_FS"), (4, "KCMP_SIGHAND"),
        (5, "KCMP_IO"), (6, "KCMP_SYSVSEM"), (7, "KCMP_EPOLL_TFD"),
    ]
);
consts!(
    /// getpriority(2), setpriority(2).
    PRIO_WHICH, "PRIO_???", true, [(0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER")]
);
consts!(
    /// getitimer(2), setitimer(2).
    ITIMERS, "ITIMER_???", true, [(0, "ITIMER_REAL"), (1, "ITIMER_VIRTUAL"), (2, "ITIMER_PROF")]
);
consts!(
    /// waitid(2)'s id type.
    WAITID_TYPES, "P_???", true, [(0, "P_ALL"), (1, "P_PID"), (2, "P_PGID"), (3, "P_PIDFD")]
);
consts!(
    /// seccomp(2)'s operation.
    SECCOMP_OPS, "SECCOMP_SET_MODE_???", true, [
        (0, "SECCOMP_SET_MODE_STRICT"), (1, "SECCOMP_SET_MODE_FILTER"),
        (2, "SECCOMP_GET_ACTION_AVAIL"), (3, "SECCOMP_GET_NOTIF_SIZES"),
    ]
);
consts!(
    /// timer_settime(2), timerfd_settime(2).
    TIMER_FLAGS, "TIMER_???", true, [(1, "TIMER_ABSTIME")]
);
consts!(
    /// landlock_create_ruleset(2).
    LANDLOCK_CREATE_FLAGS, "LANDLOCK_CREATE_RULESET_???", true, [(1, "LANDLOCK_CREATE_RULESET_VERSION")]
);
consts!(
    /// landlock_add_rule(2)'s rule type.
    LANDLOCK_RULE_TYPES, "LANDLOCK_RULE_???", true, [(1, "LANDLOCK_RULE_PATH_BENEATH")]
);
consts!(
    /// Flags no value of which is named (landlock_restrict_self, pidfd_getfd,
    /// set_mempolicy_home_node): hex, as strace prints them.
    NO_FLAGS, "", true, []
);
consts!(
    /// kexec_file_load(2) (an unsigned long).
    KEXEC_FILE_FLAGS, "KEXEC_FILE_???", false, [(1, "KEXEC_FILE_UNLOAD"), (2, "KEXEC_FILE_ON_CRASH"), (4, "KEXEC_FILE_NO_INITRAMFS")]
);
consts!(
    /// io_uring_register(2)'s opcode.
    IORING_REGISTER_OPS, "IORING_REGISTER_???", true, [
        (0, "IORING_REGISTER_BUFFERS"), (1, "IORING_UNREGISTER_BUFFERS"), (2, "IORING_REGISTER_FILES"),
        (3, "IORING_UNREGISTER_FILES"), (4, "IORING_REGISTER_EVENTFD"), (5, "IORING_UNREGISTER_EVENTFD"),
        (6, "IORING_REGISTER_FILES_UPDATE"), (7, "IORING_REGISTER_EVENTFD_ASYNC"),
        (8, "IORING_REGISTER_PROBE"), (9, "IORING_REGISTER_PERSONALITY"),
        (10, "IORING_UNREGISTER_PERSONALITY"), (11, "IORING_REGISTER_RESTRICTIONS"),
        (12, "IORING_REGISTER_ENABLE_RINGS"), (13, "IORING_REGISTER_FILES2"),
        (14, "IORING_REGISTER_FILES_UPDATE2"), (15, "IORING_REGISTER_BUFFERS2"),
        (16, "IORING_REGISTER_BUFFERS_UPDATE"), (17, "IORING_REGISTER_IOWQ_AFF"),
        (18, "IORING_UNREGISTER_IOWQ_AFF"), (19, "IORING_REGISTER_IOWQ_MAX_WORKERS"),
        (20, "IORING_REGISTER_RING_FDS"), (21, "IORING_UNREGISTER_RING_FDS"),
        (22, "IORING_REGISTER_PBUF_RING"), (23, "IORING_UNREGISTER_PBUF_RING"),
        // The names strace 6.1 knows end here (it prints 24 as `0x18 /* IORING_REGISTER_??? */`).
    ]
);
consts!(
    /// perf_event_open(2)'s flags (an unsigned long).
    PERF_FLAGS, "PERF_FLAG_???", false, [
        (1, "PERF_FLAG_FD_NO_GROUP"), (2, "PERF_FLAG_FD_OUTPUT"), (4, "PERF_FLAG_PID_CGROUP"),
        (8, "PERF_FLAG_FD_CLOEXEC"),
    ]
);

consts!(
    /// sched_setscheduler(2) and sched_get_priority_min/max(2)'s policy.
    SCHED_POLICIES, "SCHED_???", true, [
        (0, "SCHED_OTHER"), (1, "SCHED_FIFO"), (2, "SCHED_RR"), (3, "SCHED_BATCH"), (4, "SCHED_ISO"),
        (5, "SCHED_IDLE"), (6, "SCHED_DEADLINE"),
    ]
);
consts!(
    /// struct sched_attr's sched_flags (include/uapi/linux/sched.h).
    SCHED_ATTR_FLAGS, "SCHED_FLAG_???", false, [
        (0x01, "SCHED_FLAG_RESET_ON_FORK"), (0x02, "SCHED_FLAG_RECLAIM"), (0x04, "SCHED_FLAG_DL_OVERRUN"),
        (0x08, "SCHED_FLAG_KEEP_POLICY"), (0x10, "SCHED_FLAG_KEEP_PARAMS"),
        (0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"), (0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    ]
);
consts!(
    /// renameat2(2).
    RENAME_FLAGS, "RENAME_???", true, [(1, "RENAME_NOREPLACE"), (2, "RENAME_EXCHANGE"), (4, "RENAME_WHITEOUT")]
);
consts!(
    /// unshare(2) (an unsigned long): the CLONE_ flags but the exit signal.
    UNSHARE_FLAGS, "CLONE_???", false, [
        // strace's order (CLONE_NEWTIME first); unshare accepts these alone.
        (0x80, "CLONE_NEWTIME"), (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"),
        (0x800, "CLONE_SIGHAND"), (0x10000, "CLONE_THREAD"), (0x20000, "CLONE_NEWNS"),
        (0x40000, "CLONE_SYSVSEM"), (0x2000000, "CLONE_NEWCGROUP"), (0x4000000, "CLONE_NEWUTS"),
        (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"),
        (0x40000000, "CLONE_NEWNET"),
    ]
);
consts!(
    /// ptrace(2)'s request (a long).
    PTRACE_REQUESTS, "PTRACE_???", false, [
        (0, "PTRACE_TRACEME"), (1, "PTRACE_PEEKTEXT"), (2, "PTRACE_PEEKDATA"), (3, "PTRACE_PEEKUSER"),
        (4, "PTRACE_POKETEXT"), (5, "PTRACE_POKEDATA"), (6, "PTRACE_POKEUSER"), (7, "PTRACE_CONT"),
        (8, "PTRACE_KILL"), (9, "PTRACE_SINGLESTEP"), (12, "PTRACE_GETREGS"), (13, "PTRACE_SETREGS"),
        (14, "PTRACE_GETFPREGS"), (15, "PTRACE_SETFPREGS"), (16, "PTRACE_ATTACH"),
        (17, "PTRACE_DETACH"), (18, "PTRACE_GETFPXREGS"), (19, "PTRACE_SETFPXREGS"),
        (24, "PTRACE_SYSCALL"), (25, "PTRACE_GET_THREAD_AREA"), (26, "PTRACE_SET_THREAD_AREA"),
        (30, "PTRACE_ARCH_PRCTL"), (31, "PTRACE_SYSEMU"), (32, "PTRACE_SYSEMU_SINGLESTEP"),
        (33, "PTRACE_SINGLEBLOCK"), (0x4200, "PTRACE_SETOPTIONS"), (0x4201, "PTRACE_GETEVENTMSG"),
        (0x4202, "PTRACE_GETSIGINFO"), (0x4203, "PTRACE_SETSIGINFO"), (0x4204, "PTRACE_GETREGSET"),
        (0x4205, "PTRACE_SETREGSET"), (0x4206, "PTRACE_SEIZE"), (0x4207, "PTRACE_INTERRUPT"),
        (0x4208, "PTRACE_LISTEN"), (0x4209, "PTRACE_PEEKSIGINFO"), (0x420a, "PTRACE_GETSIGMASK"),
        (0x420b, "PTRACE_SETSIGMASK"), (0x420c, "PTRACE_SECCOMP_GET_FILTER"),
        (0x420d, "PTRACE_SECCOMP_GET_METADATA"), (0x420e, "PTRACE_GET_SYSCALL_INFO"),
        (0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
    ]
);

consts!(
    /// ptrace(2)'s options (PTRACE_SETOPTIONS, PTRACE_SEIZE).
    PTRACE_OPTIONS, "PTRACE_O_???", false, [
        (1, "PTRACE_O_TRACESYSGOOD"), (2, "PTRACE_O_TRACEFORK"), (4, "PTRACE_O_TRACEVFORK"),
        (8, "PTRACE_O_TRACECLONE"), (0x10, "PTRACE_O_TRACEEXEC"), (0x20, "PTRACE_O_TRACEVFORKDONE"),
        (0x40, "PTRACE_O_TRACEEXIT"), (0x80, "PTRACE_O_TRACESECCOMP"),
        (0x100000, "PTRACE_O_EXITKILL"), (0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
        (0x8000000, "PTRACE_O_TRACEMIGRATE"),
    ]
);
consts!(
    /// ELF note types: the register set of PTRACE_GETREGSET/SETREGSET (include/uapi/linux/elf.h).
    NT_TYPES, "NT_???", true, [
        (1, "NT_PRSTATUS"), (2, "NT_FPREGSET"), (3, "NT_PRPSINFO"), (4, "NT_PRXREG"),
        (5, "NT_PLATFORM"), (6, "NT_AUXV"), (7, "NT_GWINDOWS"), (8, "NT_ASRS"), (10, "NT_PSTATUS"),
        (13, "NT_PSINFO"), (14, "NT_PRCRED"), (15, "NT_UTSNAME"), (16, "NT_LWPSTATUS"),
        (17, "NT_LWPSINFO"), (20, "NT_PRFPXREG"), (0x100, "NT_PPC_VMX"), (0x101, "NT_PPC_SPE"),
        (0x102, "NT_PPC_VSX"), (0x103, "NT_PPC_TAR"), (0x104, "NT_PPC_PPR"),
        (0x105, "NT_PPC_DSCR"), (0x106, "NT_PPC_EBB"), (0x107, "NT_PPC_PMU"),
        (0x108, "NT_PPC_TM_CGPR"), (0x109, "NT_PPC_TM_CFPR"), (0x10a, "NT_PPC_TM_CVMX"),
        (0x10b, "NT_PPC_TM_CVSX"), (0x10c, "NT_PPC_TM_SPR"), (0x10d, "NT_PPC_TM_CTAR"),
        (0x10e, "NT_PPC_TM_CPPR"), (0x10f, "NT_PPC_TM_CDSCR"), (0x110, "NT_PPC_PKEY"),
        (0x200, "NT_386_TLS"), (0x201, "NT_386_IOPERM"), (0x202, "NT_X86_XSTATE"),
        (0x300, "NT_S390_HIGH_GPRS"), (0x301, "NT_S390_TIMER"), (0x302, "NT_S390_TODCMP"),
        (0x303, "NT_S390_TODPREG"), (0x304, "NT_S390_CTRS"), (0x305, "NT_S390_PREFIX"),
        (0x306, "NT_S390_LAST_BREAK"), (0x307, "NT_S390_SYSTEM_CALL"), (0x308, "NT_S390_TDB"),
        (0x309, "NT_S390_VXRS_LOW"), (0x30a, "NT_S390_VXRS_HIGH"), (0x30b, "NT_S390_GS_CB"),
        (0x30c, "NT_S390_GS_BC"), (0x30d, "NT_S390_RI_CB"), (0x30e, "NT_S390_PV_CPU_DATA"),
        (0x400, "NT_ARM_VFP"), (0x401, "NT_ARM_TLS"), (0x402, "NT_ARM_HW_BREAK"),
        (0x403, "NT_ARM_HW_WATCH"), (0x404, "NT_ARM_SYSTEM_CALL"), (0x405, "NT_ARM_SVE"),
        (0x406, "NT_ARM_PAC_MASK"), (0x407, "NT_ARM_PACA_KEYS"), (0x408, "NT_ARM_PACG_KEYS"),
        (0x409, "NT_ARM_TAGGED_ADDR_CTRL"), (0x40a, "NT_ARM_PAC_ENABLED_KEYS"),
        (0x40b, "NT_ARM_SSVE"), (0x40c, "NT_ARM_ZA"), (0x500, "NT_METAG_CBUF"),
        (0x501, "NT_METAG_RPIPE"), (0x502, "NT_METAG_TLS"), (0x600, "NT_ARC_V2"),
        (0x700, "NT_VMCOREDD"), (0x800, "NT_MIPS_DSP"), (0x801, "NT_MIPS_FP_MODE"),
        (0x802, "NT_MIPS_MSA"), (0xa00, "NT_LOONGARCH_CPUCFG"), (0xa01, "NT_LOONGARCH_CSR"),
        (0xa02, "NT_LOONGARCH_LSX"), (0xa03, "NT_LOONGARCH_LASX"), (0xa04, "NT_LOONGARCH_LBT"),
        (0x46494c45, "NT_FILE"), (0x46e62b7f, "NT_PRXFPREG"), (0x53494749, "NT_SIGINFO"),
    ]
);
consts!(
    /// PTRACE_PEEKSIGINFO's flags.
    PTRACE_PEEKSIGINFO_FLAGS, "PTRACE_PEEKSIGINFO_???", true, [(1, "PTRACE_PEEKSIGINFO_SHARED")]
);
consts!(
    /// struct ptrace_syscall_info's op.
    PTRACE_SYSCALL_INFO_OPS, "PTRACE_SYSCALL_INFO_???", true, [
        (0, "PTRACE_SYSCALL_INFO_NONE"), (1, "PTRACE_SYSCALL_INFO_ENTRY"),
        (2, "PTRACE_SYSCALL_INFO_EXIT"), (3, "PTRACE_SYSCALL_INFO_SECCOMP"),
    ]
);

consts!(
    /// AUDIT_ARCH_* (include/uapi/linux/audit.h): the ELF machine with the 64-bit (1 << 31) and
    /// little-endian (1 << 30) bits.
    AUDIT_ARCHES, "AUDIT_ARCH_???", false, [
        (0xc00000b7, "AUDIT_ARCH_AARCH64"), (0xc0009026, "AUDIT_ARCH_ALPHA"),
        (0x40000028, "AUDIT_ARCH_ARM"), (0x28, "AUDIT_ARCH_ARMEB"),
        (0x40000003, "AUDIT_ARCH_I386"), (0xc0000032, "AUDIT_ARCH_IA64"),
        (0x40000102, "AUDIT_ARCH_LOONGARCH32"), (0xc0000102, "AUDIT_ARCH_LOONGARCH64"),
        (0x4, "AUDIT_ARCH_M68K"), (0x8, "AUDIT_ARCH_MIPS"), (0x80000008, "AUDIT_ARCH_MIPS64"),
        (0x40000008, "AUDIT_ARCH_MIPSEL"), (0xc0000008, "AUDIT_ARCH_MIPSEL64"),
        (0xf, "AUDIT_ARCH_PARISC"), (0x8000000f, "AUDIT_ARCH_PARISC64"), (0x14, "AUDIT_ARCH_PPC"),
        (0x80000015, "AUDIT_ARCH_PPC64"), (0xc0000015, "AUDIT_ARCH_PPC64LE"),
        (0x400000f3, "AUDIT_ARCH_RISCV32"), (0xc00000f3, "AUDIT_ARCH_RISCV64"),
        (0x16, "AUDIT_ARCH_S390"), (0x80000016, "AUDIT_ARCH_S390X"), (0x2a, "AUDIT_ARCH_SH"),
        (0x8000002a, "AUDIT_ARCH_SH64"), (0x4000002a, "AUDIT_ARCH_SHEL"),
        (0xc000002a, "AUDIT_ARCH_SHEL64"), (0x2, "AUDIT_ARCH_SPARC"),
        (0x8000002b, "AUDIT_ARCH_SPARC64"), (0xc000003e, "AUDIT_ARCH_X86_64"),
        (0x5e, "AUDIT_ARCH_XTENSA"),
    ]
);

consts!(
    /// delete_module(2).
    DELETE_MODULE_FLAGS, "O_???", true, [(0o4000, "O_NONBLOCK"), (0o1000, "O_TRUNC")]
);
consts!(
    /// finit_module(2).
    FINIT_MODULE_FLAGS, "MODULE_INIT_???", true, [
        (1, "MODULE_INIT_IGNORE_MODVERSIONS"), (2, "MODULE_INIT_IGNORE_VERMAGIC"),
        (4, "MODULE_INIT_COMPRESSED_FILE"),
    ]
);
consts!(
    /// preadv2(2), pwritev2(2).
    RWF_FLAGS, "RWF_???", true, [
        (1, "RWF_HIPRI"), (2, "RWF_DSYNC"), (4, "RWF_SYNC"), (8, "RWF_NOWAIT"), (0x10, "RWF_APPEND"),
    ]
);
consts!(
    /// fallocate(2)'s mode.
    FALLOC_FLAGS, "FALLOC_FL_???", true, [
        (1, "FALLOC_FL_KEEP_SIZE"), (2, "FALLOC_FL_PUNCH_HOLE"), (4, "FALLOC_FL_NO_HIDE_STALE"),
        (8, "FALLOC_FL_COLLAPSE_RANGE"), (0x10, "FALLOC_FL_ZERO_RANGE"),
        (0x20, "FALLOC_FL_INSERT_RANGE"), (0x40, "FALLOC_FL_UNSHARE_RANGE"),
    ]
);
consts!(
    /// inotify_add_watch(2)'s mask.
    INOTIFY_MASK, "IN_???", true, [
        (1, "IN_ACCESS"), (2, "IN_MODIFY"), (4, "IN_ATTRIB"), (8, "IN_CLOSE_WRITE"),
        (0x10, "IN_CLOSE_NOWRITE"), (0x20, "IN_OPEN"), (0x40, "IN_MOVED_FROM"), (0x80, "IN_MOVED_TO"),
        (0x100, "IN_CREATE"), (0x200, "IN_DELETE"), (0x400, "IN_DELETE_SELF"), (0x800, "IN_MOVE_SELF"),
        (0x2000, "IN_UNMOUNT"), (0x4000, "IN_Q_OVERFLOW"), (0x8000, "IN_IGNORED"),
        (0x0100_0000, "IN_ONLYDIR"), (0x0200_0000, "IN_DONT_FOLLOW"), (0x0400_0000, "IN_EXCL_UNLINK"),
        (0x1000_0000, "IN_MASK_CREATE"), (0x2000_0000, "IN_MASK_ADD"), (0x4000_0000, "IN_ISDIR"),
        (0x8000_0000, "IN_ONESHOT"),
    ]
);

consts!(
    /// getrusage(2)'s who.
    RUSAGE_WHO, "RUSAGE_???", true, [(0, "RUSAGE_SELF"), (0xffff_ffff, "RUSAGE_CHILDREN"), (1, "RUSAGE_THREAD")]
);

consts!(
    /// waitid(2)'s options (its own order: WEXITED before WSTOPPED).
    WAITID_OPTIONS, "W???", true, [
        (1, "WNOHANG"), (4, "WEXITED"), (2, "WSTOPPED"), (8, "WCONTINUED"), (0x0100_0000, "WNOWAIT"),
        (0x2000_0000, "__WNOTHREAD"), (0x4000_0000, "__WALL"), (0x8000_0000, "__WCLONE"),
    ]
);

consts!(
    /// struct sembuf's sem_flg (a short).
    SEM_FLAGS, "", true, [(0x1000, "SEM_UNDO"), (0x800, "IPC_NOWAIT")]
);
consts!(
    /// memfd_create(2)'s flags below the huge page size.
    MFD_FLAGS, "MFD_???", true, [(1, "MFD_CLOEXEC"), (2, "MFD_ALLOW_SEALING"), (4, "MFD_HUGETLB")]
);
consts!(
    /// quotactl(2)'s commands (QCMD's first half; strace's names, the old ones included).
    QUOTA_CMDS, "Q_???", true, [
        (0x1, "Q_V1_QUOTAON"), (0x2, "Q_V1_QUOTAOFF"), (0x3, "Q_V1_GETQUOTA"), (0x4, "Q_V1_SETQUOTA"),
        (0x5, "Q_V1_SETUSE"), (0x6, "Q_V1_SYNC"), (0x7, "Q_SETQLIM"), (0x8, "Q_V1_GETSTATS"),
        (0x10, "Q_V1_RSQUASH"), (0xd, "Q_V2_GETQUOTA"), (0xe, "Q_V2_SETQUOTA"), (0xf, "Q_V2_SETUSE"),
        (0x9, "Q_V2_GETINFO"), (0xa, "Q_V2_SETINFO"), (0xb, "Q_V2_SETGRACE"), (0xc, "Q_V2_SETFLAGS"),
        (0x11, "Q_V2_GETSTATS"), (0x800001, "Q_SYNC"), (0x800002, "Q_QUOTAON"),
        (0x800003, "Q_QUOTAOFF"), (0x800004, "Q_GETFMT"), (0x800005, "Q_GETINFO"),
        (0x800006, "Q_SETINFO"), (0x800007, "Q_GETQUOTA"), (0x800008, "Q_SETQUOTA"),
        (0x800009, "Q_GETNEXTQUOTA"), (0x5801, "Q_XQUOTAON"), (0x5802, "Q_XQUOTAOFF"),
        (0x5803, "Q_XGETQUOTA"), (0x5804, "Q_XSETQLIM"), (0x5805, "Q_XGETQSTAT"),
        (0x5806, "Q_XQUOTARM"), (0x5807, "Q_XQUOTASYNC"), (0x5808, "Q_XGETQSTATV"),
        (0x5809, "Q_XGETNEXTQUOTA"),
    ]
);
consts!(
    /// quotactl(2)'s quota types (QCMD's second half).
    QUOTA_TYPES, "???QUOTA", true, [(0, "USRQUOTA"), (1, "GRPQUOTA"), (2, "PRJQUOTA")]
);
consts!(
    /// Quota formats (Q_QUOTAON's id, Q_GETFMT's result).
    QUOTA_FORMATS, "QFMT_VFS_???", true, [
        (1, "QFMT_VFS_OLD"), (2, "QFMT_VFS_V0"), (3, "QFMT_OCFS2"), (4, "QFMT_VFS_V1"),
    ]
);
consts!(
    /// struct if_dqblk's dqb_valid.
    QIF_FLAGS, "QIF_???", true, [
        (1, "QIF_BLIMITS"), (2, "QIF_SPACE"), (4, "QIF_ILIMITS"), (8, "QIF_INODES"),
        (0x10, "QIF_BTIME"), (0x20, "QIF_ITIME"),
    ]
);
consts!(
    /// struct if_dqinfo's dqi_flags.
    DQF_FLAGS, "DQF_???", true, [(1, "DQF_ROOT_SQUASH"), (0x10000, "DQF_SYS_FILE")]
);
consts!(
    /// struct if_dqinfo's dqi_valid.
    IIF_FLAGS, "IIF_???", true, [(1, "IIF_BGRACE"), (2, "IIF_IGRACE"), (4, "IIF_FLAGS")]
);
consts!(
    /// Q_XQUOTAON/Q_XQUOTAOFF's flags.
    XFS_QUOTA_FLAGS, "FS_QUOTA_???", true, [
        (1, "FS_QUOTA_UDQ_ACCT"), (2, "FS_QUOTA_UDQ_ENFD"), (4, "FS_QUOTA_GDQ_ACCT"),
        (8, "FS_QUOTA_GDQ_ENFD"), (0x10, "FS_QUOTA_PDQ_ACCT"), (0x20, "FS_QUOTA_PDQ_ENFD"),
    ]
);
consts!(
    /// XFS quota kinds: Q_XQUOTARM's flags, fs_disk_quota's d_flags.
    XFS_DQBLK_FLAGS, "FS_???_QUOTA", true, [(1, "FS_USER_QUOTA"), (2, "FS_PROJ_QUOTA"), (4, "FS_GROUP_QUOTA")]
);
consts!(
    /// move_mount(2)'s flags.
    MOVE_MOUNT_FLAGS, "MOVE_MOUNT_???", true, [
        (0x1, "MOVE_MOUNT_F_SYMLINKS"), (0x2, "MOVE_MOUNT_F_AUTOMOUNTS"),
        (0x4, "MOVE_MOUNT_F_EMPTY_PATH"), (0x10, "MOVE_MOUNT_T_SYMLINKS"),
        (0x20, "MOVE_MOUNT_T_AUTOMOUNTS"), (0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
        (0x100, "MOVE_MOUNT_SET_GROUP"),
    ]
);
consts!(
    /// seccomp(2)'s flags for SECCOMP_SET_MODE_FILTER.
    SECCOMP_FILTER_FLAGS, "SECCOMP_FILTER_FLAG_???", true, [
        (0x1, "SECCOMP_FILTER_FLAG_TSYNC"), (0x2, "SECCOMP_FILTER_FLAG_LOG"),
        (0x4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), (0x8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
        (0x10, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"), (0x20, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
    ]
);
consts!(
    /// Seccomp filter actions (SECCOMP_GET_ACTION_AVAIL's argument).
    SECCOMP_RETS, "SECCOMP_RET_???", true, [
        (0x80000000, "SECCOMP_RET_KILL_PROCESS"), (0, "SECCOMP_RET_KILL_THREAD"),
        (0x30000, "SECCOMP_RET_TRAP"), (0x50000, "SECCOMP_RET_ERRNO"),
        (0x7fc00000, "SECCOMP_RET_USER_NOTIF"), (0x7ff00000, "SECCOMP_RET_TRACE"),
        (0x7ffc0000, "SECCOMP_RET_LOG"), (0x7fff0000, "SECCOMP_RET_ALLOW"),
    ]
);
consts!(
    /// bpf(2)'s commands (include/uapi/linux/bpf.h, as of Linux 6.1).
    BPF_CMDS, "BPF_???", true, [
        (0, "BPF_MAP_CREATE"), (1, "BPF_MAP_LOOKUP_ELEM"), (2, "BPF_MAP_UPDATE_ELEM"),
        (3, "BPF_MAP_DELETE_ELEM"), (4, "BPF_MAP_GET_NEXT_KEY"), (5, "BPF_PROG_LOAD"),
        (6, "BPF_OBJ_PIN"), (7, "BPF_OBJ_GET"), (8, "BPF_PROG_ATTACH"), (9, "BPF_PROG_DETACH"),
        (10, "BPF_PROG_TEST_RUN"), (11, "BPF_PROG_GET_NEXT_ID"), (12, "BPF_MAP_GET_NEXT_ID"),
        (13, "BPF_PROG_GET_FD_BY_ID"), (14, "BPF_MAP_GET_FD_BY_ID"),
        (15, "BPF_OBJ_GET_INFO_BY_FD"), (16, "BPF_PROG_QUERY"), (17, "BPF_RAW_TRACEPOINT_OPEN"),
        (18, "BPF_BTF_LOAD"), (19, "BPF_BTF_GET_FD_BY_ID"), (20, "BPF_TASK_FD_QUERY"),
        (21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"), (22, "BPF_MAP_FREEZE"),
        (23, "BPF_BTF_GET_NEXT_ID"), (24, "BPF_MAP_LOOKUP_BATCH"),
        (25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"), (26, "BPF_MAP_UPDATE_BATCH"),
        (27, "BPF_MAP_DELETE_BATCH"), (28, "BPF_LINK_CREATE"), (29, "BPF_LINK_UPDATE"),
        (30, "BPF_LINK_GET_FD_BY_ID"), (31, "BPF_LINK_GET_NEXT_ID"), (32, "BPF_ENABLE_STATS"),
        (33, "BPF_ITER_CREATE"), (34, "BPF_LINK_DETACH"), (35, "BPF_PROG_BIND_MAP"),
    ]
);
consts!(
    /// BPF map types (include/uapi/linux/bpf.h, as of Linux 6.1).
    BPF_MAP_TYPES, "BPF_MAP_TYPE_???", true, [
        (0, "BPF_MAP_TYPE_UNSPEC"), (1, "BPF_MAP_TYPE_HASH"), (2, "BPF_MAP_TYPE_ARRAY"),
        (3, "BPF_MAP_TYPE_PROG_ARRAY"), (4, "BPF_MAP_TYPE_PERF_EVENT_ARRAY"),
        (5, "BPF_MAP_TYPE_PERCPU_HASH"), (6, "BPF_MAP_TYPE_PERCPU_ARRAY"),
        (7, "BPF_MAP_TYPE_STACK_TRACE"), (8, "BPF_MAP_TYPE_CGROUP_ARRAY"),
        (9, "BPF_MAP_TYPE_LRU_HASH"), (10, "BPF_MAP_TYPE_LRU_PERCPU_HASH"),
        (11, "BPF_MAP_TYPE_LPM_TRIE"), (12, "BPF_MAP_TYPE_ARRAY_OF_MAPS"),
        (13, "BPF_MAP_TYPE_HASH_OF_MAPS"), (14, "BPF_MAP_TYPE_DEVMAP"),
        (15, "BPF_MAP_TYPE_SOCKMAP"), (16, "BPF_MAP_TYPE_CPUMAP"), (17, "BPF_MAP_TYPE_XSKMAP"),
        (18, "BPF_MAP_TYPE_SOCKHASH"), (19, "BPF_MAP_TYPE_CGROUP_STORAGE"),
        (20, "BPF_MAP_TYPE_REUSEPORT_SOCKARRAY"), (21, "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE"),
        (22, "BPF_MAP_TYPE_QUEUE"), (23, "BPF_MAP_TYPE_STACK"), (24, "BPF_MAP_TYPE_SK_STORAGE"),
        (25, "BPF_MAP_TYPE_DEVMAP_HASH"), (26, "BPF_MAP_TYPE_STRUCT_OPS"),
        (27, "BPF_MAP_TYPE_RINGBUF"), (28, "BPF_MAP_TYPE_INODE_STORAGE"),
        (29, "BPF_MAP_TYPE_TASK_STORAGE"), (30, "BPF_MAP_TYPE_BLOOM_FILTER"),
        (31, "BPF_MAP_TYPE_USER_RINGBUF"),
    ]
);
consts!(
    /// BPF program types (include/uapi/linux/bpf.h, as of Linux 6.1).
    BPF_PROG_TYPES, "BPF_PROG_TYPE_???", true, [
        (0, "BPF_PROG_TYPE_UNSPEC"), (1, "BPF_PROG_TYPE_SOCKET_FILTER"),
        (2, "BPF_PROG_TYPE_KPROBE"), (3, "BPF_PROG_TYPE_SCHED_CLS"),
        (4, "BPF_PROG_TYPE_SCHED_ACT"), (5, "BPF_PROG_TYPE_TRACEPOINT"), (6, "BPF_PROG_TYPE_XDP"),
        (7, "BPF_PROG_TYPE_PERF_EVENT"), (8, "BPF_PROG_TYPE_CGROUP_SKB"),
        (9, "BPF_PROG_TYPE_CGROUP_SOCK"), (10, "BPF_PROG_TYPE_LWT_IN"),
        (11, "BPF_PROG_TYPE_LWT_OUT"), (12, "BPF_PROG_TYPE_LWT_XMIT"),
        (13, "BPF_PROG_TYPE_SOCK_OPS"), (14, "BPF_PROG_TYPE_SK_SKB"),
        (15, "BPF_PROG_TYPE_CGROUP_DEVICE"), (16, "BPF_PROG_TYPE_SK_MSG"),
        (17, "BPF_PROG_TYPE_RAW_TRACEPOINT"), (18, "BPF_PROG_TYPE_CGROUP_SOCK_ADDR"),
        (19, "BPF_PROG_TYPE_LWT_SEG6LOCAL"), (20, "BPF_PROG_TYPE_LIRC_MODE2"),
        (21, "BPF_PROG_TYPE_SK_REUSEPORT"), (22, "BPF_PROG_TYPE_FLOW_DISSECTOR"),
        (23, "BPF_PROG_TYPE_CGROUP_SYSCTL"), (24, "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE"),
        (25, "BPF_PROG_TYPE_CGROUP_SOCKOPT"), (26, "BPF_PROG_TYPE_TRACING"),
        (27, "BPF_PROG_TYPE_STRUCT_OPS"), (28, "BPF_PROG_TYPE_EXT"), (29, "BPF_PROG_TYPE_LSM"),
        (30, "BPF_PROG_TYPE_SK_LOOKUP"), (31, "BPF_PROG_TYPE_SYSCALL"),
    ]
);
consts!(
    /// BPF attach types (include/uapi/linux/bpf.h, as of Linux 6.1).
    BPF_ATTACH_TYPES, "BPF_???", true, [
        (0, "BPF_CGROUP_INET_INGRESS"), (1, "BPF_CGROUP_INET_EGRESS"),
        (2, "BPF_CGROUP_INET_SOCK_CREATE"), (3, "BPF_CGROUP_SOCK_OPS"),
        (4, "BPF_SK_SKB_STREAM_PARSER"), (5, "BPF_SK_SKB_STREAM_VERDICT"),
        (6, "BPF_CGROUP_DEVICE"), (7, "BPF_SK_MSG_VERDICT"), (8, "BPF_CGROUP_INET4_BIND"),
        (9, "BPF_CGROUP_INET6_BIND"), (10, "BPF_CGROUP_INET4_CONNECT"),
        (11, "BPF_CGROUP_INET6_CONNECT"), (12, "BPF_CGROUP_INET4_POST_BIND"),
        (13, "BPF_CGROUP_INET6_POST_BIND"), (14, "BPF_CGROUP_UDP4_SENDMSG"),
        (15, "BPF_CGROUP_UDP6_SENDMSG"), (16, "BPF_LIRC_MODE2"), (17, "BPF_FLOW_DISSECTOR"),
        (18, "BPF_CGROUP_SYSCTL"), (19, "BPF_CGROUP_UDP4_RECVMSG"),
        (20, "BPF_CGROUP_UDP6_RECVMSG"), (21, "BPF_CGROUP_GETSOCKOPT"),
        (22, "BPF_CGROUP_SETSOCKOPT"), (23, "BPF_TRACE_RAW_TP"), (24, "BPF_TRACE_FENTRY"),
        (25, "BPF_TRACE_FEXIT"), (26, "BPF_MODIFY_RETURN"), (27, "BPF_LSM_MAC"),
        (28, "BPF_TRACE_ITER"), (29, "BPF_CGROUP_INET4_GETPEERNAME"),
        (30, "BPF_CGROUP_INET6_GETPEERNAME"), (31, "BPF_CGROUP_INET4_GETSOCKNAME"),
        (32, "BPF_CGROUP_INET6_GETSOCKNAME"), (33, "BPF_XDP_DEVMAP"),
        (34, "BPF_CGROUP_INET_SOCK_RELEASE"), (35, "BPF_XDP_CPUMAP"), (36, "BPF_SK_LOOKUP"),
        (37, "BPF_XDP"), (38, "BPF_SK_SKB_VERDICT"), (39, "BPF_SK_REUSEPORT_SELECT"),
        (40, "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE"), (41, "BPF_PERF_EVENT"),
        (42, "BPF_TRACE_KPROBE_MULTI"), (43, "BPF_LSM_CGROUP"),
    ]
);
consts!(
    /// BPF_MAP_CREATE's map_flags.
    BPF_MAP_FLAGS, "BPF_F_???", true, [
        (0x1, "BPF_F_NO_PREALLOC"), (0x2, "BPF_F_NO_COMMON_LRU"), (0x4, "BPF_F_NUMA_NODE"),
        (0x8, "BPF_F_RDONLY"), (0x10, "BPF_F_WRONLY"), (0x20, "BPF_F_STACK_BUILD_ID"),
        (0x40, "BPF_F_ZERO_SEED"), (0x80, "BPF_F_RDONLY_PROG"), (0x100, "BPF_F_WRONLY_PROG"),
        (0x200, "BPF_F_CLONE"), (0x400, "BPF_F_MMAPABLE"), (0x800, "BPF_F_PRESERVE_ELEMS"),
        (0x1000, "BPF_F_INNER_MAP"),
    ]
);
consts!(
    /// BPF_PROG_LOAD's prog_flags.
    BPF_PROG_FLAGS, "BPF_F_???", true, [
        (0x1, "BPF_F_STRICT_ALIGNMENT"), (0x2, "BPF_F_ANY_ALIGNMENT"), (0x4, "BPF_F_TEST_RND_HI32"),
        (0x8, "BPF_F_TEST_STATE_FREQ"), (0x10, "BPF_F_SLEEPABLE"), (0x20, "BPF_F_XDP_HAS_FRAGS"),
    ]
);
consts!(
    /// reboot(2)'s first magic number.
    REBOOT_MAGIC1, "LINUX_REBOOT_MAGIC_???", true, [(0xfee1dead, "LINUX_REBOOT_MAGIC1")]
);
consts!(
    /// reboot(2)'s second magic number.
    REBOOT_MAGIC2, "LINUX_REBOOT_MAGIC_???", true, [
        (672274793, "LINUX_REBOOT_MAGIC2"), (85072278, "LINUX_REBOOT_MAGIC2A"),
        (369367448, "LINUX_REBOOT_MAGIC2B"), (537993216, "LINUX_REBOOT_MAGIC2C"),
    ]
);
consts!(
    /// reboot(2)'s commands.
    REBOOT_CMDS, "LINUX_REBOOT_CMD_???", true, [
        (0, "LINUX_REBOOT_CMD_CAD_OFF"), (0x89abcdef, "LINUX_REBOOT_CMD_CAD_ON"),
        (0xcdef0123, "LINUX_REBOOT_CMD_HALT"), (0x45584543, "LINUX_REBOOT_CMD_KEXEC"),
        (0x4321fedc, "LINUX_REBOOT_CMD_POWER_OFF"), (0x1234567, "LINUX_REBOOT_CMD_RESTART"),
        (0xa1b2c3d4, "LINUX_REBOOT_CMD_RESTART2"), (0xd000fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"),
    ]
);
consts!(
    /// Landlock's file system access rights (as strace 6.1 knows them).
    LANDLOCK_ACCESS_FS, "LANDLOCK_ACCESS_FS_???", false, [
        (0x1, "LANDLOCK_ACCESS_FS_EXECUTE"), (0x2, "LANDLOCK_ACCESS_FS_WRITE_FILE"),
        (0x4, "LANDLOCK_ACCESS_FS_READ_FILE"), (0x8, "LANDLOCK_ACCESS_FS_READ_DIR"),
        (0x10, "LANDLOCK_ACCESS_FS_REMOVE_DIR"), (0x20, "LANDLOCK_ACCESS_FS_REMOVE_FILE"),
        (0x40, "LANDLOCK_ACCESS_FS_MAKE_CHAR"), (0x80, "LANDLOCK_ACCESS_FS_MAKE_DIR"),
        (0x100, "LANDLOCK_ACCESS_FS_MAKE_REG"), (0x200, "LANDLOCK_ACCESS_FS_MAKE_SOCK"),
        (0x400, "LANDLOCK_ACCESS_FS_MAKE_FIFO"), (0x800, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"),
        (0x1000, "LANDLOCK_ACCESS_FS_MAKE_SYM"), (0x2000, "LANDLOCK_ACCESS_FS_REFER"),
    ]
);
consts!(
    /// struct packet_mreq's mr_type.
    PACKET_MR_TYPES, "PACKET_MR_???", false, [
        (0, "PACKET_MR_MULTICAST"), (1, "PACKET_MR_PROMISC"), (2, "PACKET_MR_ALLMULTI"),
        (3, "PACKET_MR_UNICAST"),
    ]
);
consts!(
    /// fanotify_mark(2)'s flags.
    FAN_MARK_FLAGS, "FAN_MARK_???", true, [
        (0x1, "FAN_MARK_ADD"), (0x2, "FAN_MARK_REMOVE"), (0x4, "FAN_MARK_DONT_FOLLOW"),
        (0x8, "FAN_MARK_ONLYDIR"), (0x10, "FAN_MARK_MOUNT"), (0x20, "FAN_MARK_IGNORED_MASK"),
        (0x40, "FAN_MARK_IGNORED_SURV_MODIFY"), (0x80, "FAN_MARK_FLUSH"),
        (0x100, "FAN_MARK_FILESYSTEM"), (0x200, "FAN_MARK_EVICTABLE"), (0x400, "FAN_MARK_IGNORE"),
    ]
);
consts!(
    /// fanotify_mark(2)'s event mask (64 bits given, the kernel reads 32).
    FAN_EVENT_FLAGS, "FAN_???", false, [
        (0x1, "FAN_ACCESS"), (0x2, "FAN_MODIFY"), (0x4, "FAN_ATTRIB"), (0x8, "FAN_CLOSE_WRITE"),
        (0x10, "FAN_CLOSE_NOWRITE"), (0x20, "FAN_OPEN"), (0x40, "FAN_MOVED_FROM"),
        (0x80, "FAN_MOVED_TO"), (0x100, "FAN_CREATE"), (0x200, "FAN_DELETE"),
        (0x400, "FAN_DELETE_SELF"), (0x800, "FAN_MOVE_SELF"), (0x1000, "FAN_OPEN_EXEC"),
        (0x4000, "FAN_Q_OVERFLOW"), (0x8000, "FAN_FS_ERROR"), (0x10000, "FAN_OPEN_PERM"),
        (0x20000, "FAN_ACCESS_PERM"), (0x40000, "FAN_OPEN_EXEC_PERM"), (0x80000, "FAN_DIR_MODIFY"),
        (0x40000000, "FAN_ONDIR"), (0x8000000, "FAN_EVENT_ON_CHILD"), (0x10000000, "FAN_RENAME"),
    ]
);
consts!(
    /// struct timex's modes (the combined ADJ_OFFSET_* first, as strace names them).
    ADJTIMEX_MODES, "ADJ_???", true, [
        (0xa001, "ADJ_OFFSET_SS_READ"), (0x8001, "ADJ_OFFSET_SINGLESHOT"), (0x0001, "ADJ_OFFSET"),
        (0x0002, "ADJ_FREQUENCY"), (0x0004, "ADJ_MAXERROR"), (0x0008, "ADJ_ESTERROR"),
        (0x0010, "ADJ_STATUS"), (0x0020, "ADJ_TIMECONST"), (0x0080, "ADJ_TAI"),
        (0x0100, "ADJ_SETOFFSET"), (0x1000, "ADJ_MICRO"), (0x2000, "ADJ_NANO"), (0x4000, "ADJ_TICK"),
    ]
);
consts!(
    /// struct timex's status.
    ADJTIMEX_STATUS, "STA_???", true, [
        (0x0001, "STA_PLL"), (0x0002, "STA_PPSFREQ"), (0x0004, "STA_PPSTIME"), (0x0008, "STA_FLL"),
        (0x0010, "STA_INS"), (0x0020, "STA_DEL"), (0x0040, "STA_UNSYNC"), (0x0080, "STA_FREQHOLD"),
        (0x0100, "STA_PPSSIGNAL"), (0x0200, "STA_PPSJITTER"), (0x0400, "STA_PPSWANDER"),
        (0x0800, "STA_PPSERROR"), (0x1000, "STA_CLOCKERR"), (0x2000, "STA_NANO"),
        (0x4000, "STA_MODE"), (0x8000, "STA_CLK"),
    ]
);
consts!(
    /// The clock states adjtimex returns.
    TIME_STATES, "", true, [
        (0, "TIME_OK"), (1, "TIME_INS"), (2, "TIME_DEL"), (3, "TIME_OOP"), (4, "TIME_WAIT"),
        (5, "TIME_ERROR"),
    ]
);
consts!(
    /// swapon(2)'s flags above the priority.
    SWAP_FLAGS, "SWAP_FLAG_???", true, [
        (0x8000, "SWAP_FLAG_PREFER"), (0x10000, "SWAP_FLAG_DISCARD"),
        (0x20000, "SWAP_FLAG_DISCARD_ONCE"), (0x40000, "SWAP_FLAG_DISCARD_PAGES"),
    ]
);
consts!(
    /// io_uring_enter(2)'s flags.
    IORING_ENTER_FLAGS, "IORING_ENTER_???", true, [
        (1, "IORING_ENTER_GETEVENTS"), (2, "IORING_ENTER_SQ_WAKEUP"), (4, "IORING_ENTER_SQ_WAIT"),
        (8, "IORING_ENTER_EXT_ARG"), (0x10, "IORING_ENTER_REGISTERED_RING"),
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    fn show(f: fn(&mut String, u64, &Consts), v: u64, c: &Consts) -> String {
        let mut s = String::new();
        f(&mut s, v, c);
        s
    }

    #[test]
    fn enums_and_flags_print_as_strace() {
        type Printer = fn(&mut String, u64, &Consts);
        let cases: &[(Printer, u64, &Consts, &str)] = &[
            (value, 0x8, &FSCONFIG_CMDS, "0x8 /* FSCONFIG_??? */"),
            (value, 3, &FSCONFIG_CMDS, "FSCONFIG_SET_PATH"),
            // The upper half of an int argument is not the kernel's.
            (value, 0xdead_0000_0001, &KCMP_TYPES, "KCMP_VM"),
            (flags, 0x80800, &EPOLL_CREATE_FLAGS, "EPOLL_CLOEXEC|0x800"),
            (flags, 0x1, &CLOSE_RANGE_FLAGS, "0x1 /* CLOSE_RANGE_??? */"),
            (flags, 0, &FAN_INIT_FLAGS, "FAN_CLASS_NOTIF"),
            (flags, 0xc, &FAN_INIT_FLAGS, "0xc /* FAN_CLASS_??? */"),
            (
                flags,
                0xf,
                &FAN_INIT_FLAGS,
                "0xc /* FAN_CLASS_??? */|FAN_CLOEXEC|FAN_NONBLOCK",
            ),
            (flags, 0x5, &FAN_INIT_FLAGS, "FAN_CLASS_CONTENT|FAN_CLOEXEC"),
            (flags, 0x200, &O_MODE_FLAGS, "O_TRUNC"),
            (
                flags,
                0x8000,
                &MPOL_MODES,
                "MPOL_DEFAULT|MPOL_F_STATIC_NODES",
            ),
            (
                flags,
                0xffff_ffff,
                &MPOL_MODES,
                "MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES|MPOL_F_NUMA_BALANCING|0xffff1fff",
            ),
            (flags, 0, &FLOCK_OPS, "0"),
            (flags, 0x1, &NO_FLAGS, "0x1"),
            (flags, 5, &FLOCK_OPS, "LOCK_SH|LOCK_NB"),
            (
                flags,
                0xbadc_0ded_da7a_1058,
                &KEXEC_FILE_FLAGS,
                "0xbadc0dedda7a1058 /* KEXEC_FILE_??? */",
            ),
        ];
        for &(f, v, c, want) in cases {
            assert_eq!(show(f, v, c), want, "{v:#x}");
        }
    }
}

// prctl(2)'s options and the values of their arguments (include/uapi/linux/prctl.h,
// capability.h, securebits.h; the options are checked against `libc::PR_*` in a test).
consts!(
    /// prctl's first argument.
    PRCTL_OPTIONS, "PR_???", true, [
        (1, "PR_SET_PDEATHSIG"), (2, "PR_GET_PDEATHSIG"), (3, "PR_GET_DUMPABLE"),
        (4, "PR_SET_DUMPABLE"), (5, "PR_GET_UNALIGN"), (6, "PR_SET_UNALIGN"),
        (7, "PR_GET_KEEPCAPS"), (8, "PR_SET_KEEPCAPS"), (9, "PR_GET_FPEMU"),
        (10, "PR_SET_FPEMU"), (11, "PR_GET_FPEXC"), (12, "PR_SET_FPEXC"),
        (13, "PR_GET_TIMING"), (14, "PR_SET_TIMING"), (15, "PR_SET_NAME"),
        (16, "PR_GET_NAME"), (19, "PR_GET_ENDIAN"), (20, "PR_SET_ENDIAN"),
        (21, "PR_GET_SECCOMP"), (22, "PR_SET_SECCOMP"), (23, "PR_CAPBSET_READ"),
        (24, "PR_CAPBSET_DROP"), (25, "PR_GET_TSC"), (26, "PR_SET_TSC"),
        (27, "PR_GET_SECUREBITS"), (28, "PR_SET_SECUREBITS"), (29, "PR_SET_TIMERSLACK"),
        (30, "PR_GET_TIMERSLACK"), (31, "PR_TASK_PERF_EVENTS_DISABLE"),
        (32, "PR_TASK_PERF_EVENTS_ENABLE"), (33, "PR_MCE_KILL"), (34, "PR_MCE_KILL_GET"),
        (35, "PR_SET_MM"), (36, "PR_SET_CHILD_SUBREAPER"), (37, "PR_GET_CHILD_SUBREAPER"),
        (38, "PR_SET_NO_NEW_PRIVS"), (39, "PR_GET_NO_NEW_PRIVS"), (40, "PR_GET_TID_ADDRESS"),
        (41, "PR_SET_THP_DISABLE"), (42, "PR_GET_THP_DISABLE"),
        (43, "PR_MPX_ENABLE_MANAGEMENT"), (44, "PR_MPX_DISABLE_MANAGEMENT"),
        (45, "PR_SET_FP_MODE"), (46, "PR_GET_FP_MODE"), (47, "PR_CAP_AMBIENT"),
        (50, "PR_SVE_SET_VL"), (51, "PR_SVE_GET_VL"), (52, "PR_GET_SPECULATION_CTRL"),
        (53, "PR_SET_SPECULATION_CTRL"), (54, "PR_PAC_RESET_KEYS"),
        (55, "PR_SET_TAGGED_ADDR_CTRL"), (56, "PR_GET_TAGGED_ADDR_CTRL"),
        (57, "PR_SET_IO_FLUSHER"), (58, "PR_GET_IO_FLUSHER"),
        (59, "PR_SET_SYSCALL_USER_DISPATCH"), (60, "PR_PAC_SET_ENABLED_KEYS"),
        (61, "PR_PAC_GET_ENABLED_KEYS"), (62, "PR_SCHED_CORE"), (63, "PR_SME_SET_VL"),
        (64, "PR_SME_GET_VL"), (0x5356_4d41, "PR_SET_VMA"), (0x5961_6d61, "PR_SET_PTRACER")
    ]
);
consts!(
    /// PR_SET_DUMPABLE's value, PR_GET_DUMPABLE's result (the whole register is read).
    SUID_DUMP, "SUID_DUMP_???", false,
    [(0, "SUID_DUMP_DISABLE"), (1, "SUID_DUMP_USER"), (2, "SUID_DUMP_ROOT")]
);
consts!(
    /// PR_SET_TSC / PR_GET_TSC.
    PR_TSC, "PR_TSC_???", true, [(1, "PR_TSC_ENABLE"), (2, "PR_TSC_SIGSEGV")]
);
consts!(
    /// PR_SET_UNALIGN / PR_GET_UNALIGN.
    PR_UNALIGN, "PR_UNALIGN_???", true, [(1, "PR_UNALIGN_NOPRINT"), (2, "PR_UNALIGN_SIGBUS")]
);
consts!(
    /// PR_SET_FP_MODE / PR_GET_FP_MODE.
    PR_FP_MODE, "PR_FP_MODE_???", true, [(1, "PR_FP_MODE_FR"), (2, "PR_FP_MODE_FRE")]
);
consts!(
    /// Secure bits (PR_SET_SECUREBITS, PR_GET_SECUREBITS).
    SECBITS, "SECBIT_???", false, [
        (1, "SECBIT_NOROOT"), (2, "SECBIT_NOROOT_LOCKED"), (4, "SECBIT_NO_SETUID_FIXUP"),
        (8, "SECBIT_NO_SETUID_FIXUP_LOCKED"), (0x10, "SECBIT_KEEP_CAPS"),
        (0x20, "SECBIT_KEEP_CAPS_LOCKED"), (0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"),
        (0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED")
    ]
);
consts!(
    /// Capabilities by number (PR_CAPBSET_READ, PR_CAP_AMBIENT).
    CAPS, "CAP_???", false, [
        (0, "CAP_CHOWN"), (1, "CAP_DAC_OVERRIDE"), (2, "CAP_DAC_READ_SEARCH"),
        (3, "CAP_FOWNER"), (4, "CAP_FSETID"), (5, "CAP_KILL"), (6, "CAP_SETGID"),
        (7, "CAP_SETUID"), (8, "CAP_SETPCAP"), (9, "CAP_LINUX_IMMUTABLE"),
        (10, "CAP_NET_BIND_SERVICE"), (11, "CAP_NET_BROADCAST"), (12, "CAP_NET_ADMIN"),
        (13, "CAP_NET_RAW"), (14, "CAP_IPC_LOCK"), (15, "CAP_IPC_OWNER"),
        (16, "CAP_SYS_MODULE"), (17, "CAP_SYS_RAWIO"), (18, "CAP_SYS_CHROOT"),
        (19, "CAP_SYS_PTRACE"), (20, "CAP_SYS_PACCT"), (21, "CAP_SYS_ADMIN"),
        (22, "CAP_SYS_BOOT"), (23, "CAP_SYS_NICE"), (24, "CAP_SYS_RESOURCE"),
        (25, "CAP_SYS_TIME"), (26, "CAP_SYS_TTY_CONFIG"), (27, "CAP_MKNOD"),
        (28, "CAP_LEASE"), (29, "CAP_AUDIT_WRITE"), (30, "CAP_AUDIT_CONTROL"),
        (31, "CAP_SETFCAP"), (32, "CAP_MAC_OVERRIDE"), (33, "CAP_MAC_ADMIN"),
        (34, "CAP_SYSLOG"), (35, "CAP_WAKE_ALARM"), (36, "CAP_BLOCK_SUSPEND"),
        (37, "CAP_AUDIT_READ"), (38, "CAP_PERFMON"), (39, "CAP_BPF"),
        (40, "CAP_CHECKPOINT_RESTORE")
    ]
);
consts!(
    /// PR_CAP_AMBIENT's operation.
    PR_CAP_AMBIENT_OPS, "PR_CAP_AMBIENT_???", false, [
        (1, "PR_CAP_AMBIENT_IS_SET"), (2, "PR_CAP_AMBIENT_RAISE"), (3, "PR_CAP_AMBIENT_LOWER"),
        (4, "PR_CAP_AMBIENT_CLEAR_ALL")
    ]
);
consts!(
    /// PR_MCE_KILL's operation.
    PR_MCE_KILL_OPS, "PR_MCE_KILL_???", false,
    [(0, "PR_MCE_KILL_CLEAR"), (1, "PR_MCE_KILL_SET")]
);
consts!(
    /// PR_MCE_KILL_SET's policy, PR_MCE_KILL_GET's result.
    PR_MCE_KILL_POLICY, "PR_MCE_KILL_???", false,
    [(0, "PR_MCE_KILL_LATE"), (1, "PR_MCE_KILL_EARLY"), (2, "PR_MCE_KILL_DEFAULT")]
);
consts!(
    /// PR_SET_MM's field.
    PR_SET_MM_FIELDS, "PR_SET_MM_???", true, [
        (1, "PR_SET_MM_START_CODE"), (2, "PR_SET_MM_END_CODE"), (3, "PR_SET_MM_START_DATA"),
        (4, "PR_SET_MM_END_DATA"), (5, "PR_SET_MM_START_STACK"), (6, "PR_SET_MM_START_BRK"),
        (7, "PR_SET_MM_BRK"), (8, "PR_SET_MM_ARG_START"), (9, "PR_SET_MM_ARG_END"),
        (10, "PR_SET_MM_ENV_START"), (11, "PR_SET_MM_ENV_END"), (12, "PR_SET_MM_AUXV"),
        (13, "PR_SET_MM_EXE_FILE"), (14, "PR_SET_MM_MAP"), (15, "PR_SET_MM_MAP_SIZE")
    ]
);
consts!(
    /// PR_SET_VMA's attribute.
    PR_SET_VMA_ATTRS, "PR_SET_VMA_???", false, [(0, "PR_SET_VMA_ANON_NAME")]
);
consts!(
    /// PR_SET_SECCOMP's mode.
    SECCOMP_MODES, "SECCOMP_MODE_???", false,
    [(0, "SECCOMP_MODE_DISABLED"), (1, "SECCOMP_MODE_STRICT"), (2, "SECCOMP_MODE_FILTER")]
);
consts!(
    /// x86 extended-state components as mask bits (arch_prctl's ARCH_GET_XCOMP_*; the
    /// kernel's XFEATURE_MASK_* names): groups first, so that 0x3 is FPSSE, not FP|SSE.
    XFEATURE_MASKS, "XFEATURE_MASK_???", false, [
        (0x3, "XFEATURE_MASK_FPSSE"), (0x1, "XFEATURE_MASK_FP"), (0x2, "XFEATURE_MASK_SSE"),
        (0x4, "XFEATURE_MASK_YMM"), (0x8, "XFEATURE_MASK_BNDREGS"),
        (0x10, "XFEATURE_MASK_BNDCSR"), (0xe0, "XFEATURE_MASK_AVX512"),
        (0x20, "XFEATURE_MASK_OPMASK"), (0x40, "XFEATURE_MASK_ZMM_Hi256"),
        (0x80, "XFEATURE_MASK_Hi16_ZMM"), (0x100, "XFEATURE_MASK_PT"),
        (0x200, "XFEATURE_MASK_PKRU"), (0x400, "XFEATURE_MASK_PASID"),
        (0x8000, "XFEATURE_MASK_LBR"), (0x60000, "XFEATURE_MASK_XTILE"),
        (0x20000, "XFEATURE_MASK_XTILE_CFG"), (0x40000, "XFEATURE_MASK_XTILE_DATA")
    ]
);
consts!(
    /// x86 extended-state components by number (ARCH_REQ_XCOMP_PERM).
    XFEATURES, "XFEATURE_???", false, [
        (0, "XFEATURE_FP"), (1, "XFEATURE_SSE"), (2, "XFEATURE_YMM"), (3, "XFEATURE_BNDREGS"),
        (4, "XFEATURE_BNDCSR"), (5, "XFEATURE_OPMASK"), (6, "XFEATURE_ZMM_Hi256"),
        (7, "XFEATURE_Hi16_ZMM"), (8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"), (9, "XFEATURE_PKRU"),
        (10, "XFEATURE_PASID"), (15, "XFEATURE_LBR"), (17, "XFEATURE_XTILE_CFG"),
        (18, "XFEATURE_XTILE_DATA")
    ]
);
consts!(
    /// PR_SVE_SET_VL's flags (above the vector length's 16 bits).
    PR_SVE_VL_FLAGS, "PR_SVE_???", false,
    [(1 << 18, "PR_SVE_SET_VL_ONEXEC"), (1 << 17, "PR_SVE_VL_INHERIT")]
);
consts!(
    /// PR_SME_SET_VL's flags.
    PR_SME_VL_FLAGS, "PR_SME_???", false,
    [(1 << 18, "PR_SME_SET_VL_ONEXEC"), (1 << 17, "PR_SME_VL_INHERIT")]
);
consts!(
    /// PR_SCHED_CORE's command.
    PR_SCHED_CORE_CMDS, "PR_SCHED_CORE_???", true, [
        (0, "PR_SCHED_CORE_GET"), (1, "PR_SCHED_CORE_CREATE"), (2, "PR_SCHED_CORE_SHARE_TO"),
        (3, "PR_SCHED_CORE_SHARE_FROM")
    ]
);
consts!(
    /// PR_SCHED_CORE's pid type.
    PIDTYPES, "PIDTYPE_???", true,
    [(0, "PIDTYPE_PID"), (1, "PIDTYPE_TGID"), (2, "PIDTYPE_PGID"), (3, "PIDTYPE_SID")]
);
consts!(
    /// PR_GET/SET_SPECULATION_CTRL's misfeature.
    PR_SPEC_CMDS, "PR_SPEC_???", false, [
        (0, "PR_SPEC_STORE_BYPASS"), (1, "PR_SPEC_INDIRECT_BRANCH"), (2, "PR_SPEC_L1D_FLUSH")
    ]
);
consts!(
    /// PR_SET_SPECULATION_CTRL's control (one value).
    PR_SPEC_SET, "PR_SPEC_???", false, [
        (2, "PR_SPEC_ENABLE"), (4, "PR_SPEC_DISABLE"), (8, "PR_SPEC_FORCE_DISABLE"),
        (16, "PR_SPEC_DISABLE_NOEXEC")
    ]
);
consts!(
    /// PR_GET_SPECULATION_CTRL's result.
    PR_SPEC_GET, "PR_SPEC_???", false, [
        (0, "PR_SPEC_NOT_AFFECTED"), (1, "PR_SPEC_PRCTL"), (2, "PR_SPEC_ENABLE"), (4, "PR_SPEC_DISABLE"),
        (8, "PR_SPEC_FORCE_DISABLE"), (16, "PR_SPEC_DISABLE_NOEXEC")
    ]
);
consts!(
    /// arm64 pointer authentication keys (PR_PAC_*).
    PR_PAC_KEYS, "PR_PAC_???", false, [
        (1, "PR_PAC_APIAKEY"), (2, "PR_PAC_APIBKEY"), (4, "PR_PAC_APDAKEY"),
        (8, "PR_PAC_APDBKEY"), (16, "PR_PAC_APGAKEY")
    ]
);
consts!(
    /// The keys PR_PAC_SET_ENABLED_KEYS can enable.
    PR_PAC_ENABLED_KEYS, "PR_PAC_???", false, [
        (1, "PR_PAC_APIAKEY"), (2, "PR_PAC_APIBKEY"), (4, "PR_PAC_APDAKEY"), (8, "PR_PAC_APDBKEY")
    ]
);
consts!(
    /// PR_SET_SYSCALL_USER_DISPATCH's mode.
    PR_SYS_DISPATCH, "PR_SYS_DISPATCH_???", false,
    [(0, "PR_SYS_DISPATCH_OFF"), (1, "PR_SYS_DISPATCH_ON")]
);
consts!(
    /// msgget/semget's flags above the mode (include/uapi/linux/ipc.h).
    IPC_GET_FLAGS, "IPC_???", true,
    [(0o1000, "IPC_CREAT"), (0o2000, "IPC_EXCL"), (0o4000, "IPC_NOWAIT")]
);
consts!(
    /// shmget's flags above the mode (include/uapi/linux/shm.h).
    SHM_GET_FLAGS, "SHM_???", true, [
        (0o1000, "IPC_CREAT"), (0o2000, "IPC_EXCL"), (0o4000, "SHM_HUGETLB"),
        (0o10000, "SHM_NORESERVE")
    ]
);
consts!(
    /// msgctl's commands.
    MSGCTL_CMDS, "MSG_???", true, [
        (0, "IPC_RMID"), (1, "IPC_SET"), (2, "IPC_STAT"), (3, "IPC_INFO"), (11, "MSG_STAT"),
        (12, "MSG_INFO"), (13, "MSG_STAT_ANY")
    ]
);
consts!(
    /// semctl's commands.
    SEMCTL_CMDS, "SEM_???", true, [
        (0, "IPC_RMID"), (1, "IPC_SET"), (2, "IPC_STAT"), (3, "IPC_INFO"), (11, "GETPID"),
        (12, "GETVAL"), (13, "GETALL"), (14, "GETNCNT"), (15, "GETZCNT"), (16, "SETVAL"),
        (17, "SETALL"), (18, "SEM_STAT"), (19, "SEM_INFO"), (20, "SEM_STAT_ANY")
    ]
);
consts!(
    /// shmctl's commands.
    SHMCTL_CMDS, "SHM_???", true, [
        (0, "IPC_RMID"), (1, "IPC_SET"), (2, "IPC_STAT"), (3, "IPC_INFO"), (11, "SHM_LOCK"),
        (12, "SHM_UNLOCK"), (13, "SHM_STAT"), (14, "SHM_INFO"), (15, "SHM_STAT_ANY")
    ]
);

consts!(
    /// Inode flags (FS_IOC_GETFLAGS/SETFLAGS; linux/fs.h). FS_BTREE_FL shares FS_INDEX_FL's
    /// bit; strace names the latter.
    FS_FLAGS, "FS_???_FL", true, [
        (0x1, "FS_SECRM_FL"), (0x2, "FS_UNRM_FL"), (0x4, "FS_COMPR_FL"), (0x8, "FS_SYNC_FL"),
        (0x10, "FS_IMMUTABLE_FL"), (0x20, "FS_APPEND_FL"), (0x40, "FS_NODUMP_FL"),
        (0x80, "FS_NOATIME_FL"), (0x100, "FS_DIRTY_FL"), (0x200, "FS_COMPRBLK_FL"),
        (0x400, "FS_NOCOMP_FL"), (0x800, "FS_ENCRYPT_FL"), (0x1000, "FS_INDEX_FL"),
        (0x2000, "FS_IMAGIC_FL"), (0x4000, "FS_JOURNAL_DATA_FL"), (0x8000, "FS_NOTAIL_FL"),
        (0x10000, "FS_DIRSYNC_FL"), (0x20000, "FS_TOPDIR_FL"), (0x40000, "FS_HUGE_FILE_FL"),
        (0x80000, "FS_EXTENT_FL"), (0x100000, "FS_VERITY_FL"), (0x200000, "FS_EA_INODE_FL"),
        (0x400000, "FS_EOFBLOCKS_FL"), (0x800000, "FS_NOCOW_FL"), (0x2000000, "FS_DAX_FL"),
        (0x10000000, "FS_INLINE_DATA_FL"), (0x20000000, "FS_PROJINHERIT_FL"),
        (0x40000000, "FS_CASEFOLD_FL"), (0x80000000, "FS_RESERVED_FL")
    ]
);

consts!(
    /// `struct fsxattr`'s fsx_xflags (linux/fs.h).
    FS_XFLAGS, "FS_XFLAG_???", true, [
        (0x1, "FS_XFLAG_REALTIME"), (0x2, "FS_XFLAG_PREALLOC"), (0x8, "FS_XFLAG_IMMUTABLE"),
        (0x10, "FS_XFLAG_APPEND"), (0x20, "FS_XFLAG_SYNC"), (0x40, "FS_XFLAG_NOATIME"),
        (0x80, "FS_XFLAG_NODUMP"), (0x100, "FS_XFLAG_RTINHERIT"), (0x200, "FS_XFLAG_PROJINHERIT"),
        (0x400, "FS_XFLAG_NOSYMLINKS"), (0x800, "FS_XFLAG_EXTSIZE"),
        (0x1000, "FS_XFLAG_EXTSZINHERIT"), (0x2000, "FS_XFLAG_NODEFRAG"),
        (0x4000, "FS_XFLAG_FILESTREAM"), (0x8000, "FS_XFLAG_DAX"), (0x10000, "FS_XFLAG_COWEXTSIZE"),
        (0x80000000, "FS_XFLAG_HASATTR")
    ]
);

consts!(
    /// `struct fiemap`'s fm_flags (linux/fiemap.h).
    FIEMAP_FLAGS, "FIEMAP_FLAG_???", true, [
        (0x1, "FIEMAP_FLAG_SYNC"), (0x2, "FIEMAP_FLAG_XATTR"), (0x4, "FIEMAP_FLAG_CACHE")
    ]
);

consts!(
    /// Modem lines (TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC; asm-generic/termios.h).
    TIOCM, "TIOCM_???", true, [
        (0x1, "TIOCM_LE"), (0x2, "TIOCM_DTR"), (0x4, "TIOCM_RTS"), (0x8, "TIOCM_ST"),
        (0x10, "TIOCM_SR"), (0x20, "TIOCM_CTS"), (0x40, "TIOCM_CAR"), (0x80, "TIOCM_RNG"),
        (0x100, "TIOCM_DSR"), (0x2000, "TIOCM_OUT1"), (0x4000, "TIOCM_OUT2"),
        (0x8000, "TIOCM_LOOP")
    ]
);

consts!(
    /// `struct fiemap_extent`'s fe_flags (linux/fiemap.h).
    FIEMAP_EXTENT_FLAGS, "FIEMAP_EXTENT_???", true, [
        (0x1, "FIEMAP_EXTENT_LAST"), (0x2, "FIEMAP_EXTENT_UNKNOWN"),
        (0x4, "FIEMAP_EXTENT_DELALLOC"), (0x8, "FIEMAP_EXTENT_ENCODED"),
        (0x80, "FIEMAP_EXTENT_DATA_ENCRYPTED"), (0x100, "FIEMAP_EXTENT_NOT_ALIGNED"),
        (0x200, "FIEMAP_EXTENT_DATA_INLINE"), (0x400, "FIEMAP_EXTENT_DATA_TAIL"),
        (0x800, "FIEMAP_EXTENT_UNWRITTEN"), (0x1000, "FIEMAP_EXTENT_MERGED"),
        (0x2000, "FIEMAP_EXTENT_SHARED")
    ]
);

consts!(
    /// PERF_EVENT_IOC_ENABLE/DISABLE/RESET's argument (linux/perf_event.h).
    PERF_IOC_FLAGS, "PERF_IOC_FLAG_???", true, [(1, "PERF_IOC_FLAG_GROUP")]
);

consts!(
    /// NBD_SET_FLAGS's argument (linux/nbd.h; strace's names for the bits the header
    /// leaves out).
    NBD_FLAGS, "NBD_FLAG_???", false, [
        (1 << 0, "NBD_FLAG_HAS_FLAGS"), (1 << 1, "NBD_FLAG_READ_ONLY"),
        (1 << 2, "NBD_FLAG_SEND_FLUSH"), (1 << 3, "NBD_FLAG_SEND_FUA"),
        (1 << 4, "NBD_FLAG_ROTATIONAL"), (1 << 5, "NBD_FLAG_SEND_TRIM"),
        (1 << 6, "NBD_FLAG_SEND_WRITE_ZEROES"), (1 << 7, "NBD_FLAG_SEND_DF"),
        (1 << 8, "NBD_FLAG_CAN_MULTI_CONN"), (1 << 9, "NBD_FLAG_SEND_RESIZE"),
        (1 << 10, "NBD_FLAG_SEND_CACHE")
    ]
);

consts!(
    /// `struct loop_info`'s lo_encrypt_type (linux/loop.h).
    LO_CRYPT, "LO_CRYPT_???", true, [
        (0, "LO_CRYPT_NONE"), (1, "LO_CRYPT_XOR"), (2, "LO_CRYPT_DES"), (3, "LO_CRYPT_FISH2"),
        (4, "LO_CRYPT_BLOW"), (5, "LO_CRYPT_CAST128"), (6, "LO_CRYPT_IDEA"),
        (9, "LO_CRYPT_DUMMY"), (10, "LO_CRYPT_SKIPJACK"), (18, "LO_CRYPT_CRYPTOAPI")
    ]
);

consts!(
    /// `struct loop_info`'s lo_flags (linux/loop.h; LO_FLAGS_USE_AOPS as strace keeps it).
    LO_FLAGS, "LO_FLAGS_???", true, [
        (1, "LO_FLAGS_READ_ONLY"), (2, "LO_FLAGS_USE_AOPS"), (4, "LO_FLAGS_AUTOCLEAR"),
        (8, "LO_FLAGS_PARTSCAN"), (16, "LO_FLAGS_DIRECT_IO")
    ]
);

consts!(
    /// LIRC_GET_FEATURES's bits (linux/lirc.h; those strace names).
    LIRC_FEATURES, "LIRC_CAN_???", true, [
        (0x2, "LIRC_CAN_SEND_PULSE"), (0x10, "LIRC_CAN_SEND_LIRCCODE"),
        (0x100, "LIRC_CAN_SET_SEND_CARRIER"), (0x200, "LIRC_CAN_SET_SEND_DUTY_CYCLE"),
        (0x400, "LIRC_CAN_SET_TRANSMITTER_MASK"), (0x40000, "LIRC_CAN_REC_MODE2"),
        (0x80000, "LIRC_CAN_REC_SCANCODE"), (0x100000, "LIRC_CAN_REC_LIRCCODE"),
        (0x1000000, "LIRC_CAN_SET_REC_CARRIER"), (0x2000000, "LIRC_CAN_MEASURE_CARRIER"),
        (0x4000000, "LIRC_CAN_USE_WIDEBAND_RECEIVER"), (0x10000000, "LIRC_CAN_SET_REC_TIMEOUT"),
        (0x20000000, "LIRC_CAN_GET_REC_RESOLUTION"), (0x80000000, "LIRC_CAN_SET_REC_CARRIER_RANGE")
    ]
);

consts!(
    /// LIRC's send and receive modes (linux/lirc.h).
    LIRC_MODES, "LIRC_MODE_???", true, [
        (0x1, "LIRC_MODE_RAW"), (0x2, "LIRC_MODE_PULSE"), (0x4, "LIRC_MODE_MODE2"),
        (0x8, "LIRC_MODE_SCANCODE"), (0x10, "LIRC_MODE_LIRCCODE")
    ]
);

// Terminal attributes (asm-generic/termbits.h, x86_64 values; strace's orders).
consts!(
    TERM_IFLAGS,
    "",
    true,
    [
        (0x1, "IGNBRK"),
        (0x2, "BRKINT"),
        (0x4, "IGNPAR"),
        (0x8, "PARMRK"),
        (0x10, "INPCK"),
        (0x20, "ISTRIP"),
        (0x40, "INLCR"),
        (0x80, "IGNCR"),
        (0x100, "ICRNL"),
        (0x200, "IUCLC"),
        (0x400, "IXON"),
        (0x800, "IXANY"),
        (0x1000, "IXOFF"),
        (0x2000, "IMAXBEL"),
        (0x4000, "IUTF8")
    ]
);
consts!(
    TERM_OFLAGS,
    "",
    true,
    [
        (0x1, "OPOST"),
        (0x2, "OLCUC"),
        (0x4, "ONLCR"),
        (0x8, "OCRNL"),
        (0x10, "ONOCR"),
        (0x20, "ONLRET"),
        (0x40, "OFILL"),
        (0x80, "OFDEL")
    ]
);
consts!(TERM_NLDLY, "NL?", true, [(0, "NL0"), (0x100, "NL1")]);
consts!(
    TERM_CRDLY,
    "CR?",
    true,
    [(0, "CR0"), (0x200, "CR1"), (0x400, "CR2"), (0x600, "CR3")]
);
consts!(
    TERM_TABDLY,
    "TAB?",
    true,
    [
        (0x1800, "XTABS"),
        (0, "TAB0"),
        (0x800, "TAB1"),
        (0x1000, "TAB2")
    ]
);
consts!(TERM_BSDLY, "BS?", true, [(0x2000, "BS1"), (0, "BS0")]);
consts!(TERM_VTDLY, "VT?", true, [(0, "VT0"), (0x4000, "VT1")]);
consts!(TERM_FFDLY, "FF?", true, [(0, "FF0"), (0x8000, "FF1")]);
consts!(
    TERM_BAUDS,
    "B???",
    true,
    [
        (0, "B0"),
        (0x1, "B50"),
        (0x2, "B75"),
        (0x3, "B110"),
        (0x4, "B134"),
        (0x5, "B150"),
        (0x6, "B200"),
        (0x7, "B300"),
        (0x8, "B600"),
        (0x9, "B1200"),
        (0xa, "B1800"),
        (0xb, "B2400"),
        (0xc, "B4800"),
        (0xd, "B9600"),
        (0xe, "B19200"),
        (0xf, "B38400"),
        (0x1001, "B57600"),
        (0x1002, "B115200"),
        (0x1003, "B230400"),
        (0x1004, "B460800"),
        (0x1005, "B500000"),
        (0x1006, "B576000"),
        (0x1007, "B921600"),
        (0x1008, "B1000000"),
        (0x1009, "B1152000"),
        (0x100a, "B1500000"),
        (0x100b, "B2000000"),
        (0x100c, "B2500000"),
        (0x100d, "B3000000"),
        (0x100e, "B3500000"),
        (0x100f, "B4000000"),
        (0x1000, "BOTHER")
    ]
);
consts!(
    TERM_CSIZE,
    "CS?",
    true,
    [(0, "CS5"), (0x10, "CS6"), (0x20, "CS7"), (0x30, "CS8")]
);
consts!(
    TERM_CFLAGS,
    "",
    true,
    [
        (0x40, "CSTOPB"),
        (0x80, "CREAD"),
        (0x100, "PARENB"),
        (0x200, "PARODD"),
        (0x400, "HUPCL"),
        (0x800, "CLOCAL"),
        (0x40000000, "CMSPAR"),
        (0x80000000, "CRTSCTS")
    ]
);
consts!(
    TERM_LFLAGS,
    "",
    true,
    [
        (0x1, "ISIG"),
        (0x2, "ICANON"),
        (0x4, "XCASE"),
        (0x8, "ECHO"),
        (0x10, "ECHOE"),
        (0x20, "ECHOK"),
        (0x40, "ECHONL"),
        (0x80, "NOFLSH"),
        (0x8000, "IEXTEN"),
        (0x200, "ECHOCTL"),
        (0x400, "ECHOPRT"),
        (0x800, "ECHOKE"),
        (0x1000, "FLUSHO"),
        (0x4000, "PENDIN"),
        (0x100, "TOSTOP"),
        (0x10000, "EXTPROC")
    ]
);
consts!(
    TERM_LINE_DISCS,
    "N_???",
    true,
    [
        (0, "N_TTY"),
        (0x1, "N_SLIP"),
        (0x2, "N_MOUSE"),
        (0x3, "N_PPP"),
        (0x4, "N_STRIP"),
        (0x5, "N_AX25"),
        (0x6, "N_X25"),
        (0x7, "N_6PACK"),
        (0x8, "N_MASC"),
        (0x9, "N_R3964"),
        (0xa, "N_PROFIBUS_FDL"),
        (0xb, "N_IRDA"),
        (0xc, "N_SMSBLOCK"),
        (0xd, "N_HDLC"),
        (0xe, "N_SYNC_PPP"),
        (0xf, "N_HCI"),
        (0x10, "N_GIGASET_M101"),
        (0x11, "N_SLCAN"),
        (0x12, "N_PPS"),
        (0x13, "N_V253"),
        (0x14, "N_CAIF"),
        (0x15, "N_GSM0710"),
        (0x16, "N_TI_WL"),
        (0x17, "N_TRACESINK"),
        (0x18, "N_TRACEROUTER"),
        (0x19, "N_NCI"),
        (0x1a, "N_SPEAKUP"),
        (0x1b, "N_NULL")
    ]
);
consts!(
    TERM_CC,
    "",
    true,
    [
        (0, "VINTR"),
        (0x1, "VQUIT"),
        (0x2, "VERASE"),
        (0x3, "VKILL"),
        (0x10, "VEOL2"),
        (0x7, "VSWTC"),
        (0x8, "VSTART"),
        (0x9, "VSTOP"),
        (0xa, "VSUSP"),
        (0xc, "VREPRINT"),
        (0xd, "VDISCARD"),
        (0xe, "VWERASE"),
        (0xf, "VLNEXT"),
        (0x6, "VMIN"),
        (0x5, "VTIME"),
        (0x4, "VEOF"),
        (0xb, "VEOL")
    ]
);
consts!(
    TERM_FLOW,
    "TC???",
    false,
    [(0, "TCOOFF"), (1, "TCOON"), (2, "TCIOFF"), (3, "TCION")]
);
consts!(
    TERM_FLUSH,
    "TC???",
    false,
    [(0, "TCIFLUSH"), (1, "TCOFLUSH"), (2, "TCIOFLUSH")]
);

consts!(
    /// `struct seccomp_notif_resp`'s flags (linux/seccomp.h).
    SECCOMP_NOTIF_RESP_FLAGS, "SECCOMP_USER_NOTIF_FLAG_???", true, [
        (1, "SECCOMP_USER_NOTIF_FLAG_CONTINUE")
    ]
);

consts!(
    /// `struct seccomp_notif_addfd`'s flags (linux/seccomp.h).
    SECCOMP_ADDFD_FLAGS, "SECCOMP_ADDFD_FLAG_???", true, [
        (1, "SECCOMP_ADDFD_FLAG_SETFD"), (2, "SECCOMP_ADDFD_FLAG_SEND")
    ]
);

consts!(
    /// `struct counter_component`'s type (linux/counter.h).
    COUNTER_COMPONENTS, "COUNTER_COMPONENT_???", true, [
        (0, "COUNTER_COMPONENT_NONE"), (1, "COUNTER_COMPONENT_SIGNAL"),
        (2, "COUNTER_COMPONENT_COUNT"), (3, "COUNTER_COMPONENT_FUNCTION"),
        (4, "COUNTER_COMPONENT_SYNAPSE_ACTION"), (5, "COUNTER_COMPONENT_EXTENSION")
    ]
);

consts!(
    /// `struct counter_component`'s scope (linux/counter.h).
    COUNTER_SCOPES, "COUNTER_SCOPE_???", true, [
        (0, "COUNTER_SCOPE_DEVICE"), (1, "COUNTER_SCOPE_SIGNAL"), (2, "COUNTER_SCOPE_COUNT")
    ]
);

consts!(
    /// `struct counter_watch`'s event (linux/counter.h).
    COUNTER_EVENTS, "COUNTER_EVENT_???", true, [
        (0, "COUNTER_EVENT_OVERFLOW"), (1, "COUNTER_EVENT_UNDERFLOW"),
        (2, "COUNTER_EVENT_OVERFLOW_UNDERFLOW"), (3, "COUNTER_EVENT_THRESHOLD"),
        (4, "COUNTER_EVENT_INDEX"), (5, "COUNTER_EVENT_CHANGE_OF_STATE"),
        (6, "COUNTER_EVENT_CAPTURE")
    ]
);
