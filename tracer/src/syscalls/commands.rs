//! Calls with an argument that is a command deciding what the others are (prctl's
//! option). Each command's row gives the argument types after it and the result's form, as
//! strace prints that command; the same row gives the kernel its captures (a `CMD_SPECS` entry
//! per command with any), so what is read is what is printed. A command without a row keeps
//! the call's own row (strace's default: the other arguments in hex).
use std::sync::LazyLock;

use crate::decode::consts::{LIRC_FEATURES, LIRC_MODES, TERM_FLOW, TERM_FLUSH};

use super::{IoctlStruct, IpcStruct, Ret, Syscall, Ty};
use crate::decode::consts::{
    CAPS, FS_FLAGS, IOPRIO_WHO, MSGCTL_CMDS, NBD_FLAGS, PERF_IOC_FLAGS, PIDTYPES,
    PR_CAP_AMBIENT_OPS, PR_FP_MODE, PR_MCE_KILL_OPS, PR_MCE_KILL_POLICY, PR_PAC_ENABLED_KEYS,
    PR_PAC_KEYS, PR_SCHED_CORE_CMDS, PR_SET_MM_FIELDS, PR_SET_VMA_ATTRS, PR_SME_VL_FLAGS,
    PR_SPEC_CMDS, PR_SPEC_GET, PR_SPEC_SET, PR_SVE_VL_FLAGS, PR_SYS_DISPATCH, PR_TSC, PR_UNALIGN,
    PRIO_WHICH, SECBITS, SECCOMP_MODES, SEMCTL_CMDS, SETNS_TYPES, SHMCTL_CMDS, SUID_DUMP, TIOCM,
    XFEATURE_MASKS,
};

/// One command (and, for commands with operations, one operation: `sub` is the value of the
/// argument after the command).
pub struct Cmd {
    pub value: u64,
    pub sub: Option<u64>,
    /// The arguments, the command included.
    pub args: &'static [Ty],
    pub ret: Ret,
}

const fn cmd(value: u64, args: &'static [Ty]) -> Cmd {
    Cmd {
        value,
        sub: None,
        args,
        ret: Ret::Int,
    }
}

const fn cmd_ret(value: u64, args: &'static [Ty], ret: Ret) -> Cmd {
    Cmd {
        value,
        sub: None,
        args,
        ret,
    }
}

const fn cmd_sub_ret(value: u64, sub: u64, args: &'static [Ty], ret: Ret) -> Cmd {
    Cmd {
        value,
        sub: Some(sub),
        args,
        ret,
    }
}

const fn cmd_sub(value: u64, sub: u64, args: &'static [Ty]) -> Cmd {
    Cmd {
        value,
        sub: Some(sub),
        args,
        ret: Ret::Int,
    }
}

use Ty::{Hex, PrctlOption as Opt};

/// Rows several commands or operations share.
const SPEC_GET: &[Ty] = &[Opt, Ty::Xval(&PR_SPEC_CMDS)];
const SPEC_SET: &[Ty] = &[Opt, Ty::Xval(&PR_SPEC_CMDS), Ty::Xval(&PR_SPEC_SET)];
const CAP_AMBIENT_CAP: &[Ty] = &[
    Opt,
    Ty::Xval(&PR_CAP_AMBIENT_OPS),
    Ty::Xval(&CAPS),
    Hex,
    Hex,
];
const GET_PRIO: &[Ty] = &[Ty::Xval(&PRIO_WHICH), Ty::Pid];
const SET_PRIO: &[Ty] = &[Ty::Xval(&PRIO_WHICH), Ty::Pid, Ty::Int32];
const GET_IOPRIO: &[Ty] = &[Ty::Xval(&IOPRIO_WHO), Ty::Pid];
const SET_IOPRIO: &[Ty] = &[Ty::Xval(&IOPRIO_WHO), Ty::Pid, Ty::Ioprio];

/// prctl(2), by option (include/uapi/linux/prctl.h; strace's forms).
static PRCTL: &[Cmd] = &[
    // No arguments.
    cmd(7, &[Opt]),                                  // PR_GET_KEEPCAPS
    cmd(13, &[Opt]),                                 // PR_GET_TIMING
    cmd(21, &[Opt]),                                 // PR_GET_SECCOMP
    cmd(30, &[Opt]),                                 // PR_GET_TIMERSLACK
    cmd(31, &[Opt]),                                 // PR_TASK_PERF_EVENTS_DISABLE
    cmd(32, &[Opt]),                                 // PR_TASK_PERF_EVENTS_ENABLE
    cmd_ret(3, &[Opt], Ret::Named(&SUID_DUMP)),      // PR_GET_DUMPABLE
    cmd_ret(27, &[Opt], Ret::HexFlags(&SECBITS)),    // PR_GET_SECUREBITS
    cmd_ret(46, &[Opt], Ret::HexFlags(&PR_FP_MODE)), // PR_GET_FP_MODE
    cmd_ret(
        34,
        &[Opt, Hex, Hex, Hex, Hex],
        Ret::Named(&PR_MCE_KILL_POLICY),
    ), // PR_MCE_KILL_GET
    // What the kernel writes through the second argument.
    cmd(2, &[Opt, Ty::SignalOut]),              // PR_GET_PDEATHSIG
    cmd(5, &[Opt, Ty::XflagsOut(&PR_UNALIGN)]), // PR_GET_UNALIGN
    cmd(9, &[Opt, Ty::IntOut]),                 // PR_GET_FPEMU
    cmd(11, &[Opt, Ty::IntOut]),                // PR_GET_FPEXC
    cmd(16, &[Opt, Ty::OutPath]),               // PR_GET_NAME
    cmd(19, &[Opt, Ty::IntOut]),                // PR_GET_ENDIAN
    cmd(25, &[Opt, Ty::XvalOut(&PR_TSC)]),      // PR_GET_TSC
    cmd(37, &[Opt, Ty::IntOut]),                // PR_GET_CHILD_SUBREAPER
    cmd(40, &[Opt, Ty::PtrOut]),                // PR_GET_TID_ADDRESS
    // Values.
    cmd(1, &[Opt, Ty::PdeathSig]),           // PR_SET_PDEATHSIG
    cmd(4, &[Opt, Ty::Xval(&SUID_DUMP)]),    // PR_SET_DUMPABLE
    cmd(6, &[Opt, Ty::Xflags(&PR_UNALIGN)]), // PR_SET_UNALIGN
    cmd(8, &[Opt, Ty::Uint]),                // PR_SET_KEEPCAPS
    cmd(10, &[Opt, Ty::Uint]),               // PR_SET_FPEMU
    cmd(12, &[Opt, Ty::Uint]),               // PR_SET_FPEXC
    cmd(14, &[Opt, Ty::Uint]),               // PR_SET_TIMING
    cmd(15, &[Opt, Ty::StrMax(15)]),         // PR_SET_NAME
    cmd(20, &[Opt, Ty::Uint]),               // PR_SET_ENDIAN
    cmd(23, &[Opt, Ty::Xval(&CAPS)]),        // PR_CAPBSET_READ
    cmd(24, &[Opt, Ty::Xval(&CAPS)]),        // PR_CAPBSET_DROP
    cmd(26, &[Opt, Ty::Xval(&PR_TSC)]),      // PR_SET_TSC
    cmd(28, &[Opt, Ty::Xflags(&SECBITS)]),   // PR_SET_SECUREBITS
    cmd(29, &[Opt, Ty::Int]),                // PR_SET_TIMERSLACK
    cmd(35, &[Opt, Ty::Xval(&PR_SET_MM_FIELDS), Hex, Hex, Hex]), // PR_SET_MM
    cmd(36, &[Opt, Ty::Uint]),               // PR_SET_CHILD_SUBREAPER
    cmd(38, &[Opt, Ty::Uint, Hex, Hex, Hex]), // PR_SET_NO_NEW_PRIVS
    cmd(41, &[Opt, Ty::Uint, Hex, Hex, Hex]), // PR_SET_THP_DISABLE
    cmd(45, &[Opt, Ty::Xflags(&PR_FP_MODE)]), // PR_SET_FP_MODE
    cmd(57, &[Opt, Ty::Uint, Hex, Hex, Hex]), // PR_SET_IO_FLUSHER
    cmd(0x5961_6d61, &[Opt, Ty::PtracerPid]), // PR_SET_PTRACER
    // arm64's vector lengths.
    cmd_ret(
        50,
        &[Opt, Ty::VecLen(&PR_SVE_VL_FLAGS)],
        Ret::VecLen(&PR_SVE_VL_FLAGS),
    ), // PR_SVE_SET_VL
    cmd_ret(51, &[Opt], Ret::VecLen(&PR_SVE_VL_FLAGS)), // PR_SVE_GET_VL
    cmd_ret(
        63,
        &[Opt, Ty::VecLen(&PR_SME_VL_FLAGS)],
        Ret::VecLen(&PR_SME_VL_FLAGS),
    ), // PR_SME_SET_VL
    cmd_ret(64, &[Opt], Ret::VecLen(&PR_SME_VL_FLAGS)), // PR_SME_GET_VL
    // Speculation controls: the value's meaning depends on the misfeature.
    cmd(52, SPEC_GET), // PR_GET_SPECULATION_CTRL
    cmd_sub_ret(52, 0, SPEC_GET, Ret::HexFlags(&PR_SPEC_GET)),
    cmd_sub_ret(52, 1, SPEC_GET, Ret::HexFlags(&PR_SPEC_GET)),
    cmd_sub_ret(52, 2, SPEC_GET, Ret::HexFlags(&PR_SPEC_GET)),
    cmd(53, &[Opt, Ty::Xval(&PR_SPEC_CMDS), Hex]), // PR_SET_SPECULATION_CTRL
    cmd_sub(53, 0, SPEC_SET),
    cmd_sub(53, 1, SPEC_SET),
    cmd_sub(53, 2, SPEC_SET),
    // arm64 pointer authentication.
    cmd(54, &[Opt, Ty::Xflags(&PR_PAC_KEYS), Hex, Hex, Hex]), // PR_PAC_RESET_KEYS
    cmd(
        60,
        &[
            Opt,
            Ty::Xflags(&PR_PAC_ENABLED_KEYS),
            Ty::Xflags(&PR_PAC_ENABLED_KEYS),
            Hex,
            Hex,
        ],
    ), // PR_PAC_SET_ENABLED_KEYS
    cmd_ret(
        61,
        &[Opt, Hex, Hex, Hex, Hex],
        Ret::HexFlags(&PR_PAC_ENABLED_KEYS),
    ), // PR_PAC_GET_ENABLED_KEYS
    cmd(59, &[Opt, Ty::Xval(&PR_SYS_DISPATCH), Hex, Hex, Ty::Ptr]), // PR_SET_SYSCALL_USER_DISPATCH
    // Core scheduling: PR_SCHED_CORE_GET writes the cookie.
    cmd(
        62,
        &[
            Opt,
            Ty::Xval(&PR_SCHED_CORE_CMDS),
            Ty::SchedCorePid,
            Ty::XvalVerbose(&PIDTYPES),
            Ty::Ptr,
        ],
    ),
    cmd_sub(
        62,
        0,
        &[
            Opt,
            Ty::Xval(&PR_SCHED_CORE_CMDS),
            Ty::SchedCorePid,
            Ty::XvalVerbose(&PIDTYPES),
            Ty::HexOut,
        ],
    ),
    // Operations.
    cmd(47, &[Opt, Ty::Xval(&PR_CAP_AMBIENT_OPS), Hex, Hex, Hex]), // PR_CAP_AMBIENT
    cmd_sub(47, 1, CAP_AMBIENT_CAP),                               // PR_CAP_AMBIENT_IS_SET
    cmd_sub(47, 2, CAP_AMBIENT_CAP),                               // PR_CAP_AMBIENT_RAISE
    cmd_sub(47, 3, CAP_AMBIENT_CAP),                               // PR_CAP_AMBIENT_LOWER
    cmd(33, &[Opt, Ty::Xval(&PR_MCE_KILL_OPS), Hex, Hex, Hex]),    // PR_MCE_KILL
    cmd_sub(
        33,
        1,
        &[
            Opt,
            Ty::Xval(&PR_MCE_KILL_OPS),
            Ty::Xval(&PR_MCE_KILL_POLICY),
            Hex,
            Hex,
        ],
    ),
    cmd(22, &[Opt, Ty::Xval(&SECCOMP_MODES), Hex, Hex, Hex]), // PR_SET_SECCOMP
    cmd_sub(22, 1, &[Opt, Ty::Xval(&SECCOMP_MODES)]),
    cmd_sub(22, 2, &[Opt, Ty::Xval(&SECCOMP_MODES), Ty::SeccompFprog]),
    cmd(
        0x5356_4d41,
        &[Opt, Ty::Xval(&PR_SET_VMA_ATTRS), Hex, Hex, Hex],
    ), // PR_SET_VMA
    cmd_sub(
        0x5356_4d41,
        0,
        &[Opt, Ty::Xval(&PR_SET_VMA_ATTRS), Ty::Ptr, Ty::Uint, Ty::Str],
    ),
];

/// arch_prctl(2), by code (arch/x86/include/uapi/asm/prctl.h): the others print their
/// argument in hex.
static ARCH_PRCTL: &[Cmd] = &[
    cmd(0x1003, &[Ty::ArchPrctl, Ty::PtrOut]), // ARCH_GET_FS
    cmd(0x1004, &[Ty::ArchPrctl, Ty::PtrOut]), // ARCH_GET_GS
    cmd(0x1011, &[Ty::ArchPrctl]),             // ARCH_GET_CPUID
    cmd(0x1021, &[Ty::ArchPrctl, Ty::XfeatureMaskOut]), // ARCH_GET_XCOMP_SUPP
    cmd(0x1022, &[Ty::ArchPrctl, Ty::XfeatureMaskOut]), // ARCH_GET_XCOMP_PERM
    cmd(0x1024, &[Ty::ArchPrctl, Ty::XfeatureMaskOut]), // ARCH_GET_XCOMP_GUEST_PERM
    cmd_ret(
        0x1023,
        &[Ty::ArchPrctl, Ty::Xfeature],
        Ret::HexFlags(&XFEATURE_MASKS),
    ), // ARCH_REQ_XCOMP_PERM
    cmd_ret(
        0x1025,
        &[Ty::ArchPrctl, Ty::Xfeature],
        Ret::HexFlags(&XFEATURE_MASKS),
    ), // ARCH_REQ_XCOMP_GUEST_PERM
];

/// getpriority/setpriority and ioprio_get/ioprio_set: whose is a process or group (a pid, as
/// the caller names it) or a user.
static GETPRIORITY: &[Cmd] = &[
    cmd(0, GET_PRIO), // PRIO_PROCESS
    cmd(1, GET_PRIO), // PRIO_PGRP
];
static SETPRIORITY: &[Cmd] = &[cmd(0, SET_PRIO), cmd(1, SET_PRIO)];
static IOPRIO_GET: &[Cmd] = &[
    cmd_ret(1, GET_IOPRIO, Ret::Ioprio), // IOPRIO_WHO_PROCESS
    cmd_ret(2, GET_IOPRIO, Ret::Ioprio), // IOPRIO_WHO_PGRP
];
static IOPRIO_SET: &[Cmd] = &[cmd(1, SET_IOPRIO), cmd(2, SET_IOPRIO)];

/// Rows of a SysV IPC ctl call: the arguments before the command, the command's table, and
/// per command what its last argument is.
macro_rules! ctl {
    ($pre:tt, $cmds:ident, [$($v:literal => $arg:expr),* $(,)?]) => {
        &[$(ctl!(@row $pre, $cmds, $v, $arg)),*]
    };
    (@row [$($pre:expr),*], $cmds:ident, $v:literal, $arg:expr) => {
        cmd($v, &[$($pre,)* Ty::IpcCmd(&$cmds), $arg])
    };
}

/// msgctl, semctl and shmctl: the structure each command reads or writes.
static MSGCTL: &[Cmd] = ctl!([Ty::Int32], MSGCTL_CMDS, [
    0 => Ty::Ptr,                       // IPC_RMID
    1 => Ty::Ipc(IpcStruct::MsqidIn),   // IPC_SET
    2 => Ty::Ipc(IpcStruct::MsqidOut),  // IPC_STAT
    3 => Ty::Ipc(IpcStruct::MsgInfo),   // IPC_INFO
    11 => Ty::Ipc(IpcStruct::MsqidOut), // MSG_STAT
    12 => Ty::Ipc(IpcStruct::MsgInfo),  // MSG_INFO
    13 => Ty::Ipc(IpcStruct::MsqidOut), // MSG_STAT_ANY
]);
static SEMCTL: &[Cmd] = ctl!([Ty::Int32, Ty::Int32], SEMCTL_CMDS, [
    0 => Ty::Ptr,
    1 => Ty::Ipc(IpcStruct::SemidIn),
    2 => Ty::Ipc(IpcStruct::SemidOut),
    3 => Ty::Ipc(IpcStruct::SemInfo),
    18 => Ty::Ipc(IpcStruct::SemidOut), // SEM_STAT
    19 => Ty::Ipc(IpcStruct::SemInfo),  // SEM_INFO
    20 => Ty::Ipc(IpcStruct::SemidOut), // SEM_STAT_ANY
]);
static SHMCTL: &[Cmd] = ctl!([Ty::Int32], SHMCTL_CMDS, [
    0 => Ty::Ptr,
    1 => Ty::Ipc(IpcStruct::ShmidIn),
    2 => Ty::Ipc(IpcStruct::ShmidOut),
    3 => Ty::Ipc(IpcStruct::ShmInfo64),
    13 => Ty::Ipc(IpcStruct::ShmidOut), // SHM_STAT
    14 => Ty::Ipc(IpcStruct::ShmInfo),  // SHM_INFO
    15 => Ty::Ipc(IpcStruct::ShmidOut), // SHM_STAT_ANY
]);

const NO_ARG: &[Ty] = &[Ty::Fd, Ty::IoctlReq];
const INT_IN: &[Ty] = &[Ty::Fd, Ty::IoctlReq, Ty::IntIn];
const INT_OUT: &[Ty] = &[Ty::Fd, Ty::IoctlReq, Ty::IntOut];
const UINT_IN: &[Ty] = &[Ty::Fd, Ty::IoctlReq, Ty::UintIn];
const UINT_OUT: &[Ty] = &[Ty::Fd, Ty::IoctlReq, Ty::UintOut];
const FD_ARG: &[Ty] = &[Ty::Fd, Ty::IoctlReq, Ty::Fd];
const PERF_FLAG_ARG: &[Ty] = &[Ty::Fd, Ty::IoctlReq, Ty::Xflags(&PERF_IOC_FLAGS)];
/// The row of a request whose third argument is of type `$t`.
macro_rules! req {
    ($t:expr) => {
        &[Ty::Fd, Ty::IoctlReq, $t]
    };
}

/// The row of a request whose argument is structure `$k`.
macro_rules! ioctl_arg {
    ($k:ident) => {
        req!(Ty::IoctlArg(IoctlStruct::$k))
    };
}

/// ioctl(2) requests with a row, by name: their values come from the table generated from
/// the UAPI headers (a request the table lacks has no row; a test checks there is none).
/// strace's forms: no third argument where the request takes none, `[int]` and structures
/// where it reads or writes them.
static IOCTL_ROWS: &[(&str, &[Ty], Ret)] = &[
    // linux/fs.h
    ("FIFREEZE", NO_ARG, Ret::Int),
    ("FITHAW", NO_ARG, Ret::Int),
    ("FITRIM", ioctl_arg!(FstrimRange), Ret::Int),
    ("FS_IOC_FSGETXATTR", ioctl_arg!(FsxattrOut), Ret::Int),
    ("FS_IOC_FSSETXATTR", ioctl_arg!(FsxattrIn), Ret::Int),
    ("FS_IOC_GETFLAGS", req!(Ty::XflagsOut(&FS_FLAGS)), Ret::Int),
    ("FS_IOC_SETFLAGS", req!(Ty::XflagsIn(&FS_FLAGS)), Ret::Int),
    (
        "FS_IOC32_GETFLAGS",
        req!(Ty::XflagsOut(&FS_FLAGS)),
        Ret::Int,
    ),
    ("FS_IOC32_SETFLAGS", req!(Ty::XflagsIn(&FS_FLAGS)), Ret::Int),
    ("FS_IOC_FIEMAP", ioctl_arg!(Fiemap), Ret::Int),
    // linux/inotify.h
    ("INOTIFY_IOC_SETNEXTWD", req!(Ty::Int32), Ret::Int),
    // asm-generic/ioctls.h
    ("TCGETS", ioctl_arg!(TermiosOut), Ret::Int),
    ("TIOCGLCKTRMIOS", ioctl_arg!(TermiosOut), Ret::Int),
    ("TCSETS", ioctl_arg!(TermiosIn), Ret::Int),
    ("TCSETSW", ioctl_arg!(TermiosIn), Ret::Int),
    ("TCSETSF", ioctl_arg!(TermiosIn), Ret::Int),
    ("TIOCSLCKTRMIOS", ioctl_arg!(TermiosIn), Ret::Int),
    ("TCGETS2", ioctl_arg!(Termios2Out), Ret::Int),
    ("TCSETS2", ioctl_arg!(Termios2In), Ret::Int),
    ("TCSETSW2", ioctl_arg!(Termios2In), Ret::Int),
    ("TCSETSF2", ioctl_arg!(Termios2In), Ret::Int),
    ("TCGETA", ioctl_arg!(TermioOut), Ret::Int),
    ("TCSETA", ioctl_arg!(TermioIn), Ret::Int),
    ("TCSETAW", ioctl_arg!(TermioIn), Ret::Int),
    ("TCSETAF", ioctl_arg!(TermioIn), Ret::Int),
    ("TIOCGPGRP", INT_OUT, Ret::Int),
    ("TIOCGSID", INT_OUT, Ret::Int),
    ("TIOCGETD", INT_OUT, Ret::Int),
    ("TIOCGSOFTCAR", INT_OUT, Ret::Int),
    ("TIOCGPTN", INT_OUT, Ret::Int),
    ("FIONREAD", INT_OUT, Ret::Int),
    ("TIOCOUTQ", INT_OUT, Ret::Int),
    ("TIOCGEXCL", INT_OUT, Ret::Int),
    ("TIOCGDEV", INT_OUT, Ret::Int),
    ("TIOCSPGRP", INT_IN, Ret::Int),
    ("TIOCSETD", INT_IN, Ret::Int),
    ("FIONBIO", INT_IN, Ret::Int),
    ("FIOASYNC", INT_IN, Ret::Int),
    ("TIOCPKT", INT_IN, Ret::Int),
    ("TIOCSSOFTCAR", INT_IN, Ret::Int),
    ("TIOCSPTLCK", INT_IN, Ret::Int),
    ("TCSBRK", req!(Ty::Int32), Ret::Int),
    ("TCSBRKP", req!(Ty::Int32), Ret::Int),
    ("TIOCSCTTY", req!(Ty::Int32), Ret::Int),
    ("TCXONC", req!(Ty::Xval(&TERM_FLOW)), Ret::Int),
    ("TCFLSH", req!(Ty::Xval(&TERM_FLUSH)), Ret::Int),
    ("TIOCSBRK", NO_ARG, Ret::Int),
    ("TIOCCBRK", NO_ARG, Ret::Int),
    ("TIOCCONS", NO_ARG, Ret::Int),
    ("TIOCNOTTY", NO_ARG, Ret::Int),
    ("TIOCEXCL", NO_ARG, Ret::Int),
    ("TIOCNXCL", NO_ARG, Ret::Int),
    ("FIOCLEX", NO_ARG, Ret::Int),
    ("FIONCLEX", NO_ARG, Ret::Int),
    ("TIOCVHANGUP", NO_ARG, Ret::Int),
    ("TIOCSSERIAL", NO_ARG, Ret::Int),
    ("TIOCGWINSZ", ioctl_arg!(WinsizeOut), Ret::Int),
    ("TIOCSWINSZ", ioctl_arg!(WinsizeIn), Ret::Int),
    ("TIOCMGET", req!(Ty::XflagsOut(&TIOCM)), Ret::Int),
    ("TIOCMBIS", req!(Ty::XflagsIn(&TIOCM)), Ret::Int),
    ("TIOCMBIC", req!(Ty::XflagsIn(&TIOCM)), Ret::Int),
    ("TIOCMSET", req!(Ty::XflagsIn(&TIOCM)), Ret::Int),
    // linux/random.h
    ("RNDGETENTCNT", INT_OUT, Ret::Int),
    ("RNDADDTOENTCNT", INT_IN, Ret::Int),
    ("RNDADDENTROPY", ioctl_arg!(RandPoolInfo), Ret::Int),
    ("RNDZAPENTCNT", NO_ARG, Ret::Int),
    ("RNDCLEARPOOL", NO_ARG, Ret::Int),
    ("RNDRESEEDCRNG", NO_ARG, Ret::Int),
    // linux/watchdog.h
    ("WDIOC_GETSTATUS", INT_OUT, Ret::Int),
    ("WDIOC_GETBOOTSTATUS", INT_OUT, Ret::Int),
    ("WDIOC_GETTEMP", INT_OUT, Ret::Int),
    ("WDIOC_KEEPALIVE", NO_ARG, Ret::Int),
    ("WDIOC_SETTIMEOUT", INT_IN, Ret::Int),
    ("WDIOC_GETTIMEOUT", INT_OUT, Ret::Int),
    ("WDIOC_SETPRETIMEOUT", INT_IN, Ret::Int),
    ("WDIOC_GETPRETIMEOUT", INT_OUT, Ret::Int),
    ("WDIOC_GETTIMELEFT", INT_OUT, Ret::Int),
    // linux/perf_event.h
    ("PERF_EVENT_IOC_ENABLE", PERF_FLAG_ARG, Ret::Int),
    ("PERF_EVENT_IOC_DISABLE", PERF_FLAG_ARG, Ret::Int),
    ("PERF_EVENT_IOC_RESET", PERF_FLAG_ARG, Ret::Int),
    ("PERF_EVENT_IOC_REFRESH", req!(Ty::Int32), Ret::Int),
    ("PERF_EVENT_IOC_PERIOD", req!(Ty::U64In), Ret::Int),
    ("PERF_EVENT_IOC_SET_OUTPUT", FD_ARG, Ret::Int),
    ("PERF_EVENT_IOC_SET_FILTER", req!(Ty::Str), Ret::Int),
    ("PERF_EVENT_IOC_ID", req!(Ty::UlongOut), Ret::Int),
    ("PERF_EVENT_IOC_SET_BPF", FD_ARG, Ret::Int),
    ("PERF_EVENT_IOC_PAUSE_OUTPUT", req!(Ty::Uint), Ret::Int),
    (
        "PERF_EVENT_IOC_QUERY_BPF",
        ioctl_arg!(PerfQueryBpf),
        Ret::Int,
    ),
    (
        "PERF_EVENT_IOC_MODIFY_ATTRIBUTES",
        req!(Ty::PerfEventAttr),
        Ret::Int,
    ),
    // linux/nbd.h
    ("NBD_SET_SOCK", FD_ARG, Ret::Int),
    ("NBD_SET_BLKSIZE", req!(Ty::Uint), Ret::Int),
    ("NBD_SET_SIZE", req!(Ty::Uint), Ret::Int),
    ("NBD_SET_SIZE_BLOCKS", req!(Ty::Uint), Ret::Int),
    ("NBD_SET_TIMEOUT", req!(Ty::Uint), Ret::Int),
    ("NBD_SET_FLAGS", req!(Ty::Xflags(&NBD_FLAGS)), Ret::Int),
    ("NBD_DO_IT", NO_ARG, Ret::Int),
    ("NBD_CLEAR_SOCK", NO_ARG, Ret::Int),
    ("NBD_CLEAR_QUE", NO_ARG, Ret::Int),
    ("NBD_PRINT_DEBUG", NO_ARG, Ret::Int),
    ("NBD_DISCONNECT", NO_ARG, Ret::Int),
    // linux/loop.h
    ("LOOP_SET_FD", FD_ARG, Ret::Int),
    ("LOOP_CHANGE_FD", FD_ARG, Ret::Int),
    ("LOOP_CLR_FD", NO_ARG, Ret::Int),
    ("LOOP_SET_CAPACITY", NO_ARG, Ret::Int),
    ("LOOP_SET_STATUS", ioctl_arg!(LoopInfoIn), Ret::Int),
    ("LOOP_GET_STATUS", ioctl_arg!(LoopInfoOut), Ret::Int),
    ("LOOP_SET_STATUS64", ioctl_arg!(LoopInfo64In), Ret::Int),
    ("LOOP_GET_STATUS64", ioctl_arg!(LoopInfo64Out), Ret::Int),
    ("LOOP_CONFIGURE", ioctl_arg!(LoopConfig), Ret::Int),
    ("LOOP_SET_DIRECT_IO", req!(Ty::Uint), Ret::Int),
    ("LOOP_SET_BLOCK_SIZE", req!(Ty::Uint), Ret::Int),
    ("LOOP_CTL_ADD", req!(Ty::Int32), Ret::Int),
    ("LOOP_CTL_REMOVE", req!(Ty::Int32), Ret::Int),
    ("LOOP_CTL_GET_FREE", NO_ARG, Ret::Int),
    // linux/lirc.h
    (
        "LIRC_GET_FEATURES",
        req!(Ty::XflagsOut(&LIRC_FEATURES)),
        Ret::Int,
    ),
    (
        "LIRC_GET_SEND_MODE",
        req!(Ty::XvalOut(&LIRC_MODES)),
        Ret::Int,
    ),
    (
        "LIRC_GET_REC_MODE",
        req!(Ty::XvalOut(&LIRC_MODES)),
        Ret::Int,
    ),
    (
        "LIRC_SET_SEND_MODE",
        req!(Ty::XvalIn(&LIRC_MODES)),
        Ret::Int,
    ),
    ("LIRC_SET_REC_MODE", req!(Ty::XvalIn(&LIRC_MODES)), Ret::Int),
    ("LIRC_SET_TRANSMITTER_MASK", req!(Ty::HexIntIn), Ret::Int),
    ("LIRC_GET_REC_RESOLUTION", UINT_OUT, Ret::Int),
    ("LIRC_GET_MIN_TIMEOUT", UINT_OUT, Ret::Int),
    ("LIRC_GET_MAX_TIMEOUT", UINT_OUT, Ret::Int),
    ("LIRC_GET_LENGTH", UINT_OUT, Ret::Int),
    ("LIRC_GET_REC_TIMEOUT", UINT_OUT, Ret::Int),
    ("LIRC_SET_SEND_CARRIER", UINT_IN, Ret::Int),
    ("LIRC_SET_REC_CARRIER", UINT_IN, Ret::Int),
    ("LIRC_SET_SEND_DUTY_CYCLE", UINT_IN, Ret::Int),
    ("LIRC_SET_REC_TIMEOUT", UINT_IN, Ret::Int),
    ("LIRC_SET_REC_TIMEOUT_REPORTS", UINT_IN, Ret::Int),
    ("LIRC_SET_MEASURE_CARRIER_MODE", UINT_IN, Ret::Int),
    ("LIRC_SET_REC_CARRIER_RANGE", UINT_IN, Ret::Int),
    ("LIRC_SET_WIDEBAND_RECEIVER", UINT_IN, Ret::Int),
    // linux/seccomp.h
    (
        "SECCOMP_IOCTL_NOTIF_RECV",
        ioctl_arg!(SeccompNotif),
        Ret::Int,
    ),
    (
        "SECCOMP_IOCTL_NOTIF_SEND",
        ioctl_arg!(SeccompNotifResp),
        Ret::Int,
    ),
    (
        "SECCOMP_IOCTL_NOTIF_ADDFD",
        ioctl_arg!(SeccompNotifAddfd),
        Ret::Int,
    ),
    ("SECCOMP_IOCTL_NOTIF_ID_VALID", req!(Ty::HexU64In), Ret::Int),
    (
        "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR",
        req!(Ty::HexU64In),
        Ret::Int,
    ),
    // linux/counter.h
    (
        "COUNTER_ADD_WATCH_IOCTL",
        ioctl_arg!(CounterWatch),
        Ret::Int,
    ),
    ("COUNTER_ENABLE_EVENTS_IOCTL", NO_ARG, Ret::Int),
    ("COUNTER_DISABLE_EVENTS_IOCTL", NO_ARG, Ret::Int),
    // linux/nsfs.h
    ("NS_GET_USERNS", NO_ARG, Ret::Fd),
    ("NS_GET_PARENT", NO_ARG, Ret::Fd),
    ("NS_GET_NSTYPE", NO_ARG, Ret::Named(&SETNS_TYPES)),
    ("NS_GET_OWNER_UID", req!(Ty::UintOut), Ret::Int),
];

static IOCTL: LazyLock<Vec<Cmd>> = LazyLock::new(|| {
    IOCTL_ROWS
        .iter()
        .filter_map(|&(name, args, ret)| {
            let value = crate::decode::io::ioctl_value(name)?;
            Some(cmd_ret(u64::from(value), args, ret))
        })
        .collect()
});

/// The argument holding the command, and the commands' rows, of a call with
/// [`super::Dec::Commands`] (and ioctl's requests).
pub fn of(sc: &Syscall) -> Option<(usize, &'static [Cmd])> {
    match sc.name {
        "ioctl" => Some((1, IOCTL.as_slice())),
        "prctl" => Some((0, PRCTL)),
        "arch_prctl" => Some((0, ARCH_PRCTL)),
        "getpriority" => Some((0, GETPRIORITY)),
        "setpriority" => Some((0, SETPRIORITY)),
        "ioprio_get" => Some((0, IOPRIO_GET)),
        "ioprio_set" => Some((0, IOPRIO_SET)),
        "msgctl" => Some((1, MSGCTL)),
        "semctl" => Some((2, SEMCTL)),
        "shmctl" => Some((1, SHMCTL)),
        _ => None,
    }
}

/// The row of this call's command (and operation), if it has one.
pub fn find(sc: &Syscall, args: &[u64; 6]) -> Option<&'static Cmd> {
    let (at, cmds) = of(sc)?;
    let value = args[at] & 0xffff_ffff;
    let mut best = None;
    for c in cmds.iter().filter(|c| c.value == value) {
        // The operation as the kernel reads it (an `int` one: its low half).
        let op = match c.args.get(at + 1) {
            Some(Ty::Xval(k)) => k.value(args[at + 1]),
            _ => args[at + 1],
        };
        match c.sub {
            Some(s) if s == op => return Some(c),
            Some(_) => {}
            None => best = Some(c),
        }
    }
    best
}

/// The call's row as its command makes it (its arguments and result), for the calls whose
/// command has rows (prctl's option, ioctl's request); None for the others, or a command
/// without a row. Decided by the row's decoder first: no name lookup for the other calls.
pub fn resolve(sc: &Syscall, args: &[u64; 6]) -> Option<Syscall> {
    if !matches!(sc.dec, super::Dec::Commands | super::Dec::Ioctl) {
        return None;
    }
    find(sc, args).map(|c| Syscall {
        args: c.args,
        ret: c.ret,
        ..*sc
    })
}

/// The rows whose arguments the kernel must read, one per command value (of a command's
/// operations, the row that reads the most: the captures key on the command alone), for the
/// `CMD_SPECS` map.
pub fn with_captures(sc: &Syscall) -> impl Iterator<Item = (u64, Syscall)> + '_ {
    let reads = |row: &Syscall| {
        let spec = super::capture_spec(row, true, false);
        spec.ops
            .iter()
            .chain(std::iter::once(&spec.iov))
            .filter(|o| o.kind != tracer_common::capture::NONE)
            .count()
    };
    of(sc).into_iter().flat_map(move |(_, cmds)| {
        cmds.iter().filter(|c| c.sub.is_none()).map(move |c| {
            let rows = cmds.iter().filter(|o| o.value == c.value).map(|o| Syscall {
                args: o.args,
                ret: o.ret,
                ..*sc
            });
            let best = rows.max_by_key(reads).unwrap_or(*sc);
            (c.value, best)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::consts::PRCTL_OPTIONS;
    use crate::syscalls::{Abi, by_name};

    #[test]
    fn every_ioctl_row_names_a_request_of_the_headers() {
        for (name, _, _) in IOCTL_ROWS {
            let v = crate::decode::io::ioctl_value(name)
                .unwrap_or_else(|| panic!("{name} is not in the generated table"));
            assert!(crate::decode::io::ioctl_names(v).any(|n| n == *name));
        }
        assert_eq!(IOCTL.len(), IOCTL_ROWS.len());
        // A row decides the arguments: FIFREEZE takes none, FITRIM a structure.
        let sc = crate::syscalls::by_name(Abi::X86_64, "ioctl").expect("ioctl");
        let freeze = u64::from(crate::decode::io::ioctl_value("FIFREEZE").unwrap_or(0));
        assert_eq!(
            resolve(sc, &[3, freeze, 0, 0, 0, 0]).map(|r| r.args.len()),
            Some(2)
        );
        assert!(resolve(sc, &[3, 0x1234_5678, 0, 0, 0, 0]).is_none());
        assert_eq!(sc.args.len(), 3);
    }

    #[test]
    fn prctl_options_are_the_kernel_s() {
        let name = |v: i32| {
            PRCTL_OPTIONS
                .table
                .iter()
                .find(|(x, _)| *x == v as u64)
                .map(|(_, n)| *n)
        };
        for (v, n) in [
            (libc::PR_SET_PDEATHSIG, "PR_SET_PDEATHSIG"),
            (libc::PR_GET_DUMPABLE, "PR_GET_DUMPABLE"),
            (libc::PR_SET_NAME, "PR_SET_NAME"),
            (libc::PR_GET_NAME, "PR_GET_NAME"),
            (libc::PR_SET_SECCOMP, "PR_SET_SECCOMP"),
            (libc::PR_CAPBSET_READ, "PR_CAPBSET_READ"),
            (libc::PR_SET_SECUREBITS, "PR_SET_SECUREBITS"),
            (libc::PR_MCE_KILL, "PR_MCE_KILL"),
            (libc::PR_SET_MM, "PR_SET_MM"),
            (libc::PR_SET_NO_NEW_PRIVS, "PR_SET_NO_NEW_PRIVS"),
            (libc::PR_GET_TID_ADDRESS, "PR_GET_TID_ADDRESS"),
            (libc::PR_CAP_AMBIENT, "PR_CAP_AMBIENT"),
            (libc::PR_SET_PTRACER, "PR_SET_PTRACER"),
            (libc::PR_SET_VMA, "PR_SET_VMA"),
            (libc::PR_SCHED_CORE, "PR_SCHED_CORE"),
        ] {
            assert_eq!(name(v), Some(n), "{v:#x}");
        }
    }

    #[test]
    fn a_command_s_row_is_the_call_s_row() {
        let sc = by_name(Abi::X86_64, "prctl").unwrap();
        let args = |a: [u64; 6]| resolve(sc, &a).map_or(sc.args.len(), |r| r.args.len());
        // PR_GET_KEEPCAPS: the option alone; PR_SET_NAME: a string; unknown: all in hex.
        assert_eq!(args([7, 1, 2, 3, 4, 0]), 1);
        assert_eq!(args([15, 0x1000, 0, 0, 0, 0]), 2);
        assert_eq!(args([0xffff_ffff, 1, 2, 3, 4, 0]), 5);
        // The upper half of the option's register is not the option's.
        assert_eq!(args([0xdead_0000_0000_0007, 1, 2, 3, 4, 0]), 1);
        // An operation's row: PR_CAP_AMBIENT_RAISE names its capability.
        let raise = find(sc, &[47, 2, 13, 0, 0, 0]).unwrap();
        assert_eq!(raise.sub, Some(2));
        assert!(matches!(raise.args[2], Ty::Xval(_)));
        assert!(find(sc, &[47, 4, 0, 0, 0, 0]).unwrap().sub.is_none());
        // The kernel reads PR_SET_NAME's string and PR_GET_PDEATHSIG's int.
        let caps: Vec<u64> = with_captures(sc)
            .filter(|(_, row)| {
                crate::syscalls::capture_spec(row, true, false).flags
                    & tracer_common::spec_flags::HAS_STRINGS
                    != 0
            })
            .map(|(v, _)| v)
            .collect();
        for v in [15, 2, 16, 25] {
            assert!(caps.contains(&v), "{v}");
        }
        assert!(!caps.contains(&7));
    }
}
