//! The syscall table: per number, the name, argument types, strace classes and return type.
//! It is the single source of truth for decoding and for the kernel's capture spec
//! ([`capture_spec`]), and is tested against `libc::SYS_*`.
pub mod commands;
mod table;

use tracer_common::{CaptureOp, INOUT_FDSET, MAX_ARGS, SyscallSpec, capture, spec_flags};

/// How one argument is printed, and what the kernel copies for it (see [`capture_spec`]).
/// A number in a variant names another argument (a length or a count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Signed decimal, as wide as the register (long, off_t; 32 bits for i386).
    Int,
    /// Signed decimal of a C `int`: the low half of the register, as the kernel reads it.
    Int32,
    /// A process or thread id (`-Y` adds its command name).
    Pid,
    /// Unsigned decimal, as wide as the register (unsigned long, size_t).
    Uint,
    /// Unsigned decimal of a C `unsigned int`: the low half of the register.
    Uint32,
    /// A user or group id (`uid_t`, `gid_t`): unsigned, and `-1` ("unchanged") as strace
    /// prints it.
    Uid,
    /// Hexadecimal, `0` as `0`.
    Hex,
    /// A pointer not decoded: `NULL` or `0x...`.
    Ptr,
    /// A file descriptor.
    Fd,
    /// `struct timex` given to the kernel and filled by it (adjtimex, clock_adjtime).
    Timex,
    /// kcmp's second index: KCMP_EPOLL_TFD's `struct kcmp_epoll_slot` (copied whatever the
    /// type; [`Dec::Kcmp`] decides).
    KcmpIdx2,
    /// fanotify_mark's dirfd: `FAN_NOFD` (-1), else a directory fd.
    FanDirfd,
    /// A key serial number: `KEY_SPEC_THREAD_KEYRING` for the special ones, else signed.
    KeySerial,
    /// An fd of the process that argument 0 (a pidfd) refers to (pidfd_getfd).
    PidfdTarget,
    /// A directory fd: `AT_FDCWD` or an fd.
    Dirfd,
    /// A path, copied by the kernel (printed whole).
    Path,
    /// Another string, copied by the kernel (cut at `-s`).
    Str,
    /// File mode bits, octal (`0755`).
    Mode,
    /// `open`'s mode: only printed when the flags create a file.
    OpenMode,
    OpenFlags,
    AtFlags,
    Prot,
    MapFlags,
    MremapFlags,
    AccessMode,
    Signal,
    Whence,
    FcntlCmd,
    /// A `struct sockaddr` given to the kernel; its length is argument N.
    Sockaddr(u8),
    /// A `struct sockaddr` filled by the kernel; argument N points to its length.
    SockaddrOut(u8),
    /// Data given to the kernel, length in argument N (write, send).
    InBuf(u8),
    /// Data filled by the kernel, length = the return value (read, recv).
    OutBuf,
    /// Like OutBuf, printed in hex (getrandom).
    OutBufHex,
    /// A NUL-terminated path written by the kernel (getcwd).
    OutPath,
    /// A string written by the kernel, length = the return value (readlink).
    OutStrRet,
    StatOut,
    UtsnameOut,
    Timespec,
    TimespecOut,
    /// `struct rlimit`; the name strace gives an infinite limit (RLIM64_INFINITY for prlimit64).
    Rlimit(&'static str),
    RlimitOut(&'static str),
    RlimitResource,
    Sigaction,
    SigactionOut,
    /// A signal set, its size in argument N (not 8 bytes: strace prints the pointer).
    Sigset(u8),
    SigsetOut(u8),
    SigprocmaskHow,
    /// `struct pollfd[N]`, N in argument N.
    Pollfds(u8),
    /// An fd set of as many fds as argument N says (select), read and rewritten by the
    /// kernel: the fds at entry (`[3 4]`), the ready ones in the result's note.
    FdSet(u8),
    /// A timeout the kernel rewrites with the time left: its value at entry, and `left {...}`
    /// in the result's note (select's timeval; pselect6, ppoll and recvmmsg's timespec).
    TimevalInOut,
    TimespecInOut,
    /// sendfile's offset: `[0] => [35499]`.
    LoffInOut,
    /// sched_setattr's `struct sched_attr` as given, and the size the kernel wants when it
    /// answers E2BIG (`{size=1} => {size=56}`).
    SchedAttr,
    /// sched_getattr's `struct sched_attr`, as long as argument N says (at most 56 bytes).
    SchedAttrOut(u8),
    /// io_pgetevents' `struct __aio_sigset` (16 bytes: the mask's address and size) and the
    /// mask it points to.
    AioSigset,
    /// perf_event_open's `struct perf_event_attr` (128 bytes copied, and its first 8 at entry:
    /// the size the kernel rewrites after E2BIG).
    PerfEventAttr,
    /// ptrace's `addr`: a number, or PTRACE_PEEKSIGINFO's arguments (16 bytes copied).
    PtraceAddr,
    /// ptrace's `data`: a number, or a structure the request says (its 16 bytes at entry and
    /// exit, 512 bytes at exit, and what an iovec there points to).
    PtraceData,
    /// `int[2]` written by the kernel (pipe, socketpair).
    IntPairOut,
    WaitStatusOut,
    WaitOptions,
    /// iovecs given to the kernel, count in argument N (writev).
    Iovec(u8),
    /// iovecs filled by the kernel, count in argument N (readv).
    IovecOut(u8),
    EpollEvent,
    EpollEventsOut,
    EpollCtlOp,
    DirentsOut,
    ClockId,
    SocketFamily,
    SocketType,
    SockFlags,
    SockLevel,
    MsgFlags,
    ShutdownHow,
    FutexOp,
    IoctlReq,
    Madvise,
    Fadvise,
    CloneFlags,
    ArchPrctl,
    PrctlOption,
    GrndFlags,
    /// O_CLOEXEC/O_NONBLOCK-style flags without an access mode (pipe2, dup3, epoll_create1),
    /// named with the family's prefix (`O_`, `EPOLL_`, `EFD_`...).
    FdFlags(&'static str),
    SysinfoOut,
    /// A CPU set written by the kernel, `ret` bytes (sched_getaffinity).
    CpuSetOut,
    StatxFlags,
    StatxMask,
    StatxOut,
    /// A socket option name, named for the level in argument 1; getsockopt's (true) and
    /// setsockopt's name one number differently (SO_GET_FILTER, SO_ATTACH_FILTER).
    SockOpt(bool),
    /// A socket option value given to the kernel, length in argument N.
    SockOptVal(u8),
    /// A socket option value written by the kernel; argument N points to its length.
    SockOptValOut(u8),
    /// A pointer to the length of argument N's buffer, which the kernel reads and rewrites
    /// (accept's addrlen, getsockopt's optlen): `[110 => 16]`, or `[16]` when unchanged.
    SockLen(u8),
    /// getsockopt's optlen: as [`Ty::SockLen`], printed even when the value's buffer is NULL.
    OptLen,
    /// `struct msghdr` given to the kernel (sendmsg) or filled by it (recvmsg).
    Msghdr,
    MsghdrOut,
    /// `struct mmsghdr[]` (sendmmsg, recvmmsg): the first message is copied.
    Mmsghdr,
    MmsghdrOut,
    /// An enum from a table of named constants (`FSCONFIG_SET_PATH`, `0x8 /* FSCONFIG_??? */`).
    Xval(&'static crate::decode::consts::Consts),
    /// Flags from a table of named constants (`LOCK_SH|LOCK_NB`).
    Xflags(&'static crate::decode::consts::Consts),
    /// An `int` the kernel writes through a pointer, named from a table: `[MPOL_BIND]`.
    XvalOut(&'static crate::decode::consts::Consts),
    /// Flags the kernel writes through a pointer: `[PR_UNALIGN_NOPRINT|PR_UNALIGN_SIGBUS]`.
    XflagsOut(&'static crate::decode::consts::Consts),
    /// A signal number the kernel writes through a pointer: `[SIGINT]`.
    SignalOut,
    /// PR_SET_PDEATHSIG's signal: its name, or above 128 (no signal) the number.
    PdeathSig,
    /// PR_SET_PTRACER's process: a pid, or `PR_SET_PTRACER_ANY`.
    PtracerPid,
    /// An x86 extended-state component mask the kernel writes (a u64), the number with its
    /// names in a comment whatever the `-X` style but raw: `[0x3 /* XFEATURE_MASK_FPSSE */]`.
    XfeatureMaskOut,
    /// An x86 extended-state component's number, likewise: `0x11 /* XFEATURE_XTILE_CFG */`.
    Xfeature,
    /// A value of a table printed as its number and its name in a comment whatever the `-X`
    /// style but raw (strace's style for a few: `0 /* PIDTYPE_PID */`).
    XvalVerbose(&'static crate::decode::consts::Consts),
    /// A SysV IPC key: `IPC_PRIVATE`, else in hex.
    IpcKey,
    /// msgget/semget (false) or shmget (true)'s flags and mode:
    /// `IPC_CREAT|IPC_EXCL|0xface1000|21<<SHM_HUGE_SHIFT|0600`.
    IpcGetFlags(bool),
    /// A msgctl/semctl/shmctl command (`IPC_64|IPC_STAT`).
    IpcCmd(&'static crate::decode::consts::Consts),
    /// A SysV IPC structure of a ctl command.
    Ipc(IpcStruct),
    /// An ioctl's argument structure.
    IoctlArg(IoctlStruct),
    /// Flags given through a pointer to an `int`: `[TIOCM_DTR|TIOCM_RTS]`.
    XflagsIn(&'static crate::decode::consts::Consts),
    /// An `unsigned int` the kernel writes through a pointer: `[1000]` (a uid).
    UintOut,
    /// A `u64` given through a pointer: `[18072662652281012446]`.
    U64In,
    /// An `unsigned int` given through a pointer: `[4294967295]`.
    UintIn,
    /// A `u64` given through a pointer, in hex: `[0xdecaffedfacefeed]`.
    HexU64In,
    /// An `unsigned int` given through a pointer, in hex: `[0x1f]`.
    HexIntIn,
    /// An `int` given through a pointer, named from a table: `[LIRC_MODE_PULSE]`.
    XvalIn(&'static crate::decode::consts::Consts),
    /// A seccomp filter (`struct sock_fprog` and its program): PR_SET_SECCOMP's.
    SeccompFprog,
    /// A u64 the kernel writes, in hex: `[0x1234]`.
    HexOut,
    /// PR_SCHED_CORE's process, whose kind is argument 3 (a pid type).
    SchedCorePid,
    /// An SVE/SME vector length (16 bits) with flags above it: `PR_SVE_VL_INHERIT|0x10`.
    VecLen(&'static crate::decode::consts::Consts),
    /// An `int` the kernel writes through a pointer: `[5]` (getresuid, getcpu).
    IntOut,
    /// An `unsigned long` the kernel writes: `[24]` (get_robust_list's length).
    UlongOut,
    /// A pointer the kernel writes: `[0x7f...]` (io_setup's context, get_robust_list's head).
    PtrOut,
    /// An `loff_t` given and updated by the kernel: `[4096]` (splice, copy_file_range).
    OffInOut,
    /// `struct timeval` given to the kernel, filled by it, or two of them (utimes).
    Timeval,
    TimevalOut,
    TimevalPair,
    /// `struct itimerval` given to the kernel or filled by it.
    Itimerval,
    ItimervalOut,
    /// `time_t` written by the kernel (time's argument): `[1795749741 /* 2026-11-27T03:22:21+0000 */]`.
    TimeOut,
    /// An `int` given through a pointer: `[5]` (sched_setparam).
    IntIn,
    /// `struct timezone` given to the kernel (settimeofday) or filled by it (gettimeofday).
    Timezone,
    TimezoneOut,
    /// `siginfo_t` given to the kernel (rt_sigqueueinfo) or filled by it (waitid).
    Siginfo,
    SiginfoOut,
    /// `struct statfs` filled by the kernel (statfs, fstatfs).
    StatfsOut,
    /// `struct rusage` filled by the kernel (getrusage, wait4, waitid).
    RusageOut,
    /// nanosleep's remaining time: written by the kernel only when a signal cut the sleep.
    TimespecRem,
    /// A register the call does not show (the high half of preadv's offset, which strace
    /// prints as one 64-bit number).
    Skip,
    /// A mode with its file type (mknod's `S_IFCHR|0600`).
    TypedMode,
    /// mknod's device: printed only for a character or block device, as `makedev(1, 3)`.
    Dev,
    /// `struct tms` filled by the kernel (times): clock ticks, with seconds in a comment.
    TmsOut,
    /// `struct utimbuf` given to the kernel (utime): two dated times.
    Utimbuf,
    /// mincore's vector: a byte per page of the length argument (at this index).
    MincoreVec(u8),
    /// modify_ldt's `struct user_desc`, when the size argument (at this index) is its size.
    UserDesc(u8),
    /// `struct mq_attr` given to the kernel or filled by it (mq_getsetattr).
    MqAttr,
    MqAttrOut,
    /// mq_open's attributes: the flags are ignored, in hex.
    MqOpenAttr,
    /// `struct itimerspec` given to the kernel or filled by it (timer_settime, timerfd_*).
    Itimerspec,
    ItimerspecOut,
    /// An array given to the kernel, its element count in argument N: `[0, 1, ...]`.
    Array(Elem, u8),
    /// An array the kernel filled with as many elements as it returned (getgroups).
    ArrayOut(Elem),
    /// An array the kernel fills on success, its element count in argument N (move_pages'
    /// status).
    ArrayOutN(Elem, u8),
    /// A NUMA node mask of as many bits as argument N says, given to the kernel or filled by
    /// it (`[0000000000000003]`).
    Nodemask(u8),
    NodemaskOut(u8),
    /// A CPU mask given to the kernel, its size in bytes in argument N: `[0 1]`.
    CpuSet(u8),
    /// A string the kernel reads at most N bytes of (memfd_create's name: 249 and its NUL).
    StrMax(u16),
    /// memfd_create's flags: `MFD_CLOEXEC|21<<MFD_HUGE_SHIFT`.
    MemfdFlags,
    /// Two `struct timespec` given to the kernel (utimensat), `UTIME_NOW`/`UTIME_OMIT` named.
    TimespecPair,
    /// `struct landlock_ruleset_attr` of the size in argument N.
    LandlockRuleset(u8),
    /// landlock_add_rule's attributes, of the rule type in argument N.
    LandlockRule(u8),
    /// bpf's `union bpf_attr`, of the size in argument N.
    BpfAttr(u8),
    /// clone3's `struct clone_args`, as long as argument N says.
    CloneArgs(u8),
    /// mount_setattr's `struct mount_attr`, as long as argument N says.
    MountAttr(u8),
    /// seccomp's argument: up to 16 bytes, whatever the operation reads or writes.
    SeccompArg,
    /// quotactl's data: up to 112 bytes, whatever structure the command names.
    QuotaData,
    /// `struct open_how` of the size in argument N (openat2).
    OpenHow(u8),
    /// `struct sigevent` given to the kernel (timer_create, mq_notify).
    Sigevent,
    /// An I/O priority (ioprio_set): `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`.
    Ioprio,
    /// swapon's flags: `SWAP_FLAG_PREFER|10`, the priority in decimal after the flags.
    SwapFlags,
    /// kexec_load's flags: an architecture in the upper half of the low word, then flags.
    KexecFlags,
    /// fcntl's third argument: copied as a `struct flock` (32 bytes) for the lock commands.
    FcntlArg,
    /// An extended attribute's value given, as long as the argument at this index says: its
    /// address past XATTR_SIZE_MAX, a trailing NUL left out.
    XattrVal(u8),
    /// An extended attribute's value read (the result is its length).
    XattrValOut,
    /// listxattr's names read (the result is their length; a zero size only asks it).
    XattrList,
    /// _sysctl's `struct __sysctl_args`.
    SysctlArgs,
    /// io_uring_setup's `struct io_uring_params` (in, and out on success).
    IoUringParams,
}

/// The element of an [`Ty::Array`]: how it prints, and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elem {
    /// `gid_t`: unsigned, `-1` as -1.
    Gid,
    /// `struct sembuf` (semop).
    Sembuf,
    /// A pointer (move_pages' pages).
    Ptr,
    /// An `int`.
    Int,
    /// A page's status (move_pages): a node, or `-EFAULT`.
    Status,
    /// A word of a NUMA node mask, in hex (`0000000000000003`).
    NodeWord,
    /// `struct iovec` whose buffers are not shown (another process's memory, advice ranges).
    Iovec,
    /// A byte whose low bit says a page is resident (mincore).
    PageBit,
    /// `struct kexec_segment` (kexec_load).
    KexecSeg,
    /// `struct futex_waitv` (futex_waitv).
    FutexWaiter,
}

impl Elem {
    pub const fn size(self) -> u16 {
        match self {
            Elem::Gid => 4,
            Elem::Sembuf => 6,
            Elem::Iovec => 16,
            Elem::Ptr | Elem::NodeWord => 8,
            Elem::Int | Elem::Status => 4,
            Elem::PageBit => 1,
            Elem::KexecSeg => 32,
            Elem::FutexWaiter => 24,
        }
    }
}

/// How the return value is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Int,
    Fd,
    Hex,
    /// `exit`, `exit_group`: `= ?`.
    Noreturn,
    /// A process or thread id (getpid, fork, wait4...): `-Y` adds its command name.
    Pid,
    /// A file mode (umask): `022`.
    Octal,
    /// A signal number with its name after it: `14 (SIGALRM)`.
    Signal,
    /// A value with its name after it: `0 (SCHED_OTHER)`.
    Named(&'static crate::decode::consts::Consts),
    /// Flags in hex with their names after them: `0xff (SECBIT_NOROOT|...)`.
    HexFlags(&'static crate::decode::consts::Consts),
    /// A vector length with flags (PR_SVE_GET_VL): hex, the flags after it when set.
    VecLen(&'static crate::decode::consts::Consts),
    /// An I/O priority (ioprio_get): `0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0))`.
    Ioprio,
    /// Seconds since the epoch (time): `1795748577 (2026-11-27T03:02:57+0000)`.
    Time,
    /// modify_ldt: an `int` result in a 64-bit register; an error in its low half is named
    /// after the number (`4294967258 ENOSYS (…)`).
    Ldt,
}

/// strace's syscall classes, as bits (`-e trace=%file` etc.).
pub mod class {
    pub const FILE: u16 = 1 << 0;
    pub const DESC: u16 = 1 << 1;
    pub const PROCESS: u16 = 1 << 2;
    pub const NETWORK: u16 = 1 << 3;
    pub const SIGNAL: u16 = 1 << 4;
    pub const IPC: u16 = 1 << 5;
    pub const MEMORY: u16 = 1 << 6;
    pub const CREDS: u16 = 1 << 7;
    pub const CLOCK: u16 = 1 << 8;
    pub const STATFS: u16 = 1 << 9;
    pub const STAT: u16 = 1 << 10;

    /// Names accepted after `%` in `-e trace=` (strace's, plus `%net` for `%network`).
    pub const NAMES: &[(&str, u16)] = &[
        ("file", FILE),
        ("desc", DESC),
        ("process", PROCESS),
        ("network", NETWORK),
        ("net", NETWORK),
        ("signal", SIGNAL),
        ("ipc", IPC),
        ("memory", MEMORY),
        ("creds", CREDS),
        ("clock", CLOCK),
        ("fs", STATFS),
        ("statfs", STATFS),
        ("stat", STAT),
    ];
}

/// What a successful call does to the process's fd table ([`crate::tracker`] applies it).
/// Every call with an effect is sent by the kernel whenever the fd table is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fx {
    None,
    /// A new fd for the row's `Path` argument, relative to its `Dirfd` argument.
    Open,
    Socket,
    /// A new fd connected to the address in argument 1.
    Accept,
    Connect,
    Bind,
    Listen,
    /// The returned fd is a copy of argument 0.
    Dup,
    /// Argument 1 becomes a copy of argument 0.
    DupTo,
    /// `F_DUPFD*` duplicate, `F_SETFD` sets close-on-exec.
    Fcntl,
    /// Two new fds written to the `IntPairOut` argument.
    Pipe,
    SocketPair,
    /// A new fd the kernel names itself: this name (as /proc and strace -y show it), or ""
    /// where it depends on the call (then /proc says).
    New(&'static str),
    /// memfd_create: `/memfd:NAME (deleted)`.
    Memfd,
    Close,
    CloseRange,
    /// A successful exec closes the close-on-exec fds.
    Exec,
    /// Changes what relative paths mean.
    Chdir,
    /// Removes the row's `Path` (relative to its `Dirfd`): fds open on it are named as /proc
    /// names them, `PATH (deleted)`.
    Unlink,
    /// Moves its first path to its second: fds open on it (or under it) are named there.
    Rename,
}

/// The calls whose text is not the plain list of their typed arguments; each decoder lives in
/// its subject file under [`crate::decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dec {
    Generic,
    /// A command argument decides the others (prctl's option): the row of
    /// [`commands`] for its value is the call's row, for printing and for captures.
    Commands,
    Execve,
    Fcntl,
    Socket,
    Futex,
    Clone,
    RtSigreturn,
    Ioctl,
    Faccessat2,
    /// Arguments as typed; the result lists the ready fds.
    Poll,
    /// quotactl, quotactl_fd: the command says what the other arguments are.
    Quotactl,
    /// seccomp: the operation says what the flags and the argument are.
    Seccomp,
    /// bpf: the command says what the attributes are.
    Bpf,
    /// reboot: the argument string only for LINUX_REBOOT_CMD_RESTART2.
    Reboot,
    /// mount: the flags say whether the type and the data are strings.
    Mount,
    /// fsconfig: the command says what the key, the value and the auxiliary argument are.
    Fsconfig,
    /// syslog: the action says whether the buffer and length are used.
    Syslog,
    /// kcmp: the indexes the comparison type takes (fds, an epoll slot, none).
    Kcmp,
    /// ptrace: the request says which arguments it reads and what they point to.
    Ptrace,
}

/// What else a row is, as bits: the sets other modules used to keep by name.
pub mod role {
    /// Its data is I/O payload (`--match`, `-e read=`/`write=`).
    pub const IO: u8 = 1 << 0;
    /// Fails with ENOMEM for lack of memory (the ENOMEM diagnosis applies).
    pub const MEMORY: u8 = 1 << 1;
    /// Creates tasks (ENOMEM and EAGAIN diagnoses apply).
    pub const FORK: u8 = 1 << 2;
}

/// The SysV IPC structures msgctl, semctl and shmctl read or write (x86_64's 64-bit
/// layouts: include/uapi/asm-generic/{msgbuf,shmbuf}.h, arch/x86's sembuf.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpcStruct {
    /// `struct msqid64_ds` written (IPC_STAT, MSG_STAT).
    MsqidOut,
    /// Its fields IPC_SET reads.
    MsqidIn,
    /// `struct msginfo` (IPC_INFO, MSG_INFO).
    MsgInfo,
    SemidOut,
    SemidIn,
    /// `struct seminfo`.
    SemInfo,
    ShmidOut,
    ShmidIn,
    /// `struct shminfo64` (IPC_INFO).
    ShmInfo64,
    /// `struct shm_info` (SHM_INFO).
    ShmInfo,
}

impl IpcStruct {
    /// Bytes copied, and whether the kernel writes them (copied only on success).
    pub fn size(self) -> (u16, bool) {
        use IpcStruct::*;
        match self {
            MsqidOut => (120, true),
            MsqidIn => (120, false),
            MsgInfo => (32, true),
            SemidOut => (104, true),
            SemidIn => (104, false),
            SemInfo => (40, true),
            ShmidOut => (112, true),
            ShmidIn => (112, false),
            ShmInfo64 => (72, true),
            ShmInfo => (48, true),
        }
    }
}

/// The structures the ioctl requests with a row read or write (include/uapi/linux/fs.h,
/// fiemap.h, asm-generic/termios.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoctlStruct {
    /// `struct fstrim_range` (FITRIM).
    FstrimRange,
    /// `struct fsxattr` as FS_IOC_FSSETXATTR reads it.
    FsxattrIn,
    /// `struct fsxattr` as FS_IOC_FSGETXATTR writes it.
    FsxattrOut,
    /// `struct fiemap`'s header (FS_IOC_FIEMAP): what the caller asks, and on success what
    /// the kernel wrote back.
    Fiemap,
    /// `struct rand_pool_info` and up to 256 bytes of its buffer, as far as they are
    /// readable (RNDADDENTROPY).
    RandPoolInfo,
    /// `struct perf_event_query_bpf` and up to 32 of its ids, as far as they are readable.
    PerfQueryBpf,
    /// `struct loop_info` given (LOOP_SET_STATUS).
    LoopInfoIn,
    /// `struct loop_info` written (LOOP_GET_STATUS).
    LoopInfoOut,
    /// `struct loop_info64` given (LOOP_SET_STATUS64).
    LoopInfo64In,
    /// `struct loop_info64` written (LOOP_GET_STATUS64).
    LoopInfo64Out,
    /// `struct loop_config` (LOOP_CONFIGURE).
    LoopConfig,
    /// The kernel's `struct termios` given (TCSETS...) and written (TCGETS).
    TermiosIn,
    TermiosOut,
    /// `struct termios2` (TCSETS2..., TCGETS2).
    Termios2In,
    Termios2Out,
    /// `struct termio` (TCSETA..., TCGETA).
    TermioIn,
    TermioOut,
    /// `struct seccomp_notif` (SECCOMP_IOCTL_NOTIF_RECV): the kernel requires it zeroed and
    /// writes the notification.
    SeccompNotif,
    /// `struct seccomp_notif_resp` (SECCOMP_IOCTL_NOTIF_SEND).
    SeccompNotifResp,
    /// `struct seccomp_notif_addfd` (SECCOMP_IOCTL_NOTIF_ADDFD).
    SeccompNotifAddfd,
    /// `struct counter_watch` (COUNTER_ADD_WATCH_IOCTL).
    CounterWatch,
    /// `struct winsize` given (TIOCSWINSZ).
    WinsizeIn,
    /// `struct winsize` written (TIOCGWINSZ).
    WinsizeOut,
}

impl IoctlStruct {
    /// Bytes copied, and whether the kernel writes them (copied only on success).
    pub fn size(self) -> (u16, bool) {
        use IoctlStruct::*;
        match self {
            FstrimRange => (24, false),
            FsxattrIn => (28, false),
            FsxattrOut => (28, true),
            // With up to 32 extents after it (`-v`), as far as they are readable.
            Fiemap => (32 + 32 * 56, false),
            RandPoolInfo => (8 + 256, false),
            PerfQueryBpf => (8 + 4 * 32, false),
            LoopInfoIn => (168, false),
            LoopInfoOut => (168, true),
            LoopInfo64In => (232, false),
            LoopInfo64Out => (232, true),
            LoopConfig => (304, false),
            TermiosIn => (36, false),
            TermiosOut => (36, true),
            Termios2In => (44, false),
            Termios2Out => (44, true),
            TermioIn => (18, false),
            TermioOut => (18, true),
            SeccompNotif => (80, false),
            CounterWatch => (6, false),
            SeccompNotifResp => (24, false),
            SeccompNotifAddfd => (24, false),
            WinsizeIn => (8, false),
            WinsizeOut => (8, true),
        }
    }
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Syscall {
    pub nr: u32,
    pub name: &'static str,
    pub args: &'static [Ty],
    pub class: u16,
    pub ret: Ret,
    pub fx: Fx,
    pub dec: Dec,
    pub role: u8,
}

impl Syscall {
    /// Whether the fd table needs this call even when the user traces something else.
    pub fn is_fd_lifecycle(&self) -> bool {
        self.fx != Fx::None
    }

    pub fn has(&self, role: u8) -> bool {
        self.role & role != 0
    }

    /// Whether this call with these arguments returns an fd: calls typed so return one, but
    /// bpf only for the commands that create one, landlock_create_ruleset not when asked for
    /// its version.
    pub fn returns_fd(&self, args: &[u64; 6]) -> bool {
        match (self.ret, self.dec) {
            (Ret::Fd, Dec::Bpf) => crate::decode::process::bpf_fd_name(args[0]).is_some(),
            (Ret::Fd, _) if self.name == "landlock_create_ruleset" => args[2] & 1 == 0,
            (Ret::Fd, _) => true,
            _ => false,
        }
    }

    /// The index of the first argument of this type.
    pub fn arg_of(&self, ty: Ty) -> Option<usize> {
        self.args.iter().position(|t| *t == ty)
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one table row, in the order of its columns"
)]
const fn sc(
    nr: u32,
    name: &'static str,
    args: &'static [Ty],
    class: u16,
    ret: Ret,
    fx: Fx,
    dec: Dec,
    role: u8,
) -> Syscall {
    Syscall {
        nr,
        name,
        args,
        class,
        ret,
        fx,
        dec,
        role,
    }
}

/// Which ABI a record's syscall number belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Abi {
    X86_64,
    I386,
}

impl Abi {
    /// The ABI a record's flags name.
    pub fn of_flags(flags: u8) -> Self {
        if flags & tracer_common::record_flags::COMPAT != 0 {
            Abi::I386
        } else {
            Abi::X86_64
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Abi::X86_64 => "x86_64",
            Abi::I386 => "i386",
        }
    }

    /// rt_sigreturn's number (orig_ax is -1 at its exit; the kernel side flags it).
    pub fn rt_sigreturn(self) -> u32 {
        match self {
            Abi::X86_64 => tracer_common::NR_RT_SIGRETURN,
            Abi::I386 => tracer_common::NR_RT_SIGRETURN_I386,
        }
    }

    /// The number the kernel's spec map and aggregation keys use: i386 rows after x86_64's.
    pub fn slot(self, nr: u32) -> u32 {
        match self {
            Abi::X86_64 => nr,
            Abi::I386 => nr + tracer_common::COMPAT_BASE,
        }
    }

    /// The ABI and number of a spec-map or aggregation-key slot ([`Abi::slot`] backwards).
    pub fn of_slot(slot: u32) -> (Self, u32) {
        match slot.checked_sub(tracer_common::COMPAT_BASE) {
            Some(nr) => (Abi::I386, nr),
            None => (Abi::X86_64, slot),
        }
    }

    fn rows(self) -> &'static [Syscall] {
        match self {
            Abi::X86_64 => table::X86_64,
            Abi::I386 => table::I386,
        }
    }
}

/// Looks a syscall up by number: an index per ABI, built on first use (every record looks
/// its row up; a binary search over the table was a visible share of decoding).
pub fn by_nr(abi: Abi, nr: i64) -> Option<&'static Syscall> {
    static INDEX: [std::sync::OnceLock<Vec<u16>>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let rows = abi.rows();
    let index = INDEX[abi as usize].get_or_init(|| {
        let top = rows.iter().map(|s| s.nr as usize + 1).max().unwrap_or(0);
        let mut v = vec![u16::MAX; top];
        for (i, s) in rows.iter().enumerate() {
            v[s.nr as usize] = i as u16;
        }
        v
    });
    let i = *index.get(usize::try_from(nr).ok()?)?;
    rows.get(usize::from(i))
}

/// Looks a syscall up by name.
pub fn by_name(abi: Abi, name: &str) -> Option<&'static Syscall> {
    abi.rows().iter().find(|s| s.name == name)
}

/// The row of execveat: an exec relative to a dirfd. A successful one returns with execve's
/// number; the exec event tells them apart.
pub fn execveat(abi: Abi) -> Option<&'static Syscall> {
    abi.rows()
        .iter()
        .find(|s| s.fx == Fx::Exec && s.arg_of(Ty::Dirfd).is_some())
}

/// Every row of an ABI.
pub fn all(abi: Abi) -> &'static [Syscall] {
    abi.rows()
}

/// Byte sizes of the structures copied (x86_64 layouts, include/uapi).
pub mod sizes {
    pub const STAT: u16 = 144;
    pub const UTSNAME: u16 = 390;
    pub const TIMESPEC: u16 = 16;
    pub const RLIMIT: u16 = 16;
    pub const SIGACTION: u16 = 32;
    pub const POLLFD: u16 = 8;
    pub const EPOLL_EVENT: u16 = 12;
    pub const STATX: u16 = 256;
    pub const SYSINFO: u16 = 112;
}

/// The kernel's capture spec for one syscall: `traced` if the user asked for it, `lifecycle` if
/// the fd table needs it regardless (then it also passes the status filter).
pub fn capture_spec(sc: &Syscall, traced: bool, lifecycle: bool) -> SyscallSpec {
    let mut spec = SyscallSpec::default();
    if traced {
        spec.flags |= spec_flags::TRACE;
    }
    if lifecycle && sc.is_fd_lifecycle() {
        spec.flags |= spec_flags::TRACE | spec_flags::ALWAYS;
    }
    for (i, ty) in sc.args.iter().enumerate().take(MAX_ARGS) {
        if *ty == Ty::PtraceData {
            ptrace_data(&mut spec, i as u8);
            continue;
        }
        if sc.dec == Dec::Fsconfig
            && i == 3
            && let Some(slot) = spec.ops.iter_mut().find(|o| o.kind == capture::NONE)
        {
            // FSCONFIG_SET_BINARY's value: bytes as long as `aux` says (the string copy stops
            // at a NUL).
            *slot = CaptureOp {
                kind: capture::DATA_LEN_ARG,
                arg: i as u8 | tracer_common::SLOT_CONTENTS,
                param: 4,
            };
        }
        if *ty == Ty::PerfEventAttr
            && let Some(slot) = spec.ops.iter_mut().find(|o| o.kind == capture::NONE)
        {
            *slot = CaptureOp {
                kind: capture::INOUT_BYTES,
                arg: i as u8 | tracer_common::SLOT_CONTENTS,
                param: 8,
            };
        }
        if let Ty::BpfAttr(_) = ty {
            // BPF_OBJ_GET_INFO_BY_FD's info_len, which the kernel rewrites: the attributes'
            // first 16 bytes at entry and exit.
            if let Some(slot) = spec.ops.iter_mut().find(|o| o.kind == capture::NONE) {
                *slot = CaptureOp {
                    kind: capture::INOUT_BYTES,
                    arg: i as u8 | tracer_common::SLOT_CONTENTS,
                    param: 16,
                };
            }
        }
        if *ty == Ty::AioSigset {
            // The mask behind the structure: pointer @0, size @8, bytes, at most 8.
            spec.iov = CaptureOp {
                kind: capture::INDIRECT_ARRAY,
                arg: i as u8 | tracer_common::SLOT_CONTENTS,
                param: 1 << 4 | 1 << 8 | 3 << 12,
            };
        }
        if let Ty::CloneArgs(_) = ty {
            // clone3's set_tid: up to 32 pids (u64 pointer @64, u64 count @72, 4 bytes each).
            spec.iov = CaptureOp {
                kind: capture::INDIRECT_ARRAY,
                arg: i as u8 | tracer_common::SLOT_CONTENTS,
                param: 8 | 9 << 4 | 4 << 8 | 5 << 12,
            };
        }
        let (kind, param) = match *ty {
            Ty::Path | Ty::Str | Ty::StrMax(_) => (capture::CSTR, 0),
            Ty::OutPath => (capture::CSTR_OUT, 0),
            Ty::Sockaddr(n) => (capture::ADDR_LEN_ARG, u16::from(n)),
            Ty::SockaddrOut(n) => (capture::ADDR_LENPTR_ARG, u16::from(n)),
            Ty::InBuf(n) => (capture::DATA_LEN_ARG, u16::from(n)),
            // The buffer's size is the argument after it (read, recvfrom, getxattr, syslog...).
            Ty::OutBuf | Ty::OutBufHex | Ty::XattrValOut | Ty::XattrList => {
                (capture::DATA_RET, i as u16 + 1)
            }
            Ty::OutStrRet => (capture::PATH_RET, 0),
            Ty::DirentsOut => (capture::PATH_RET, 0),
            Ty::StatOut => (capture::FIXED_OUT, sizes::STAT),
            Ty::UtsnameOut => (capture::FIXED_OUT, sizes::UTSNAME),
            Ty::Timespec => (capture::FIXED, sizes::TIMESPEC),
            Ty::TimespecOut => (capture::FIXED_OUT, sizes::TIMESPEC),
            Ty::Rlimit(_) => (capture::FIXED, sizes::RLIMIT),
            Ty::RlimitOut(_) => (capture::FIXED_OUT, sizes::RLIMIT),
            Ty::Sigaction => (capture::FIXED, sizes::SIGACTION),
            Ty::SigactionOut => (capture::FIXED_OUT, sizes::SIGACTION),
            // As many bytes as the size argument says (rt_sigpending writes fewer than 8).
            Ty::Sigset(n) | Ty::SigsetOut(n) => (capture::ARRAY_ARG, 1 | (u16::from(n) << 8)),
            Ty::Array(e, n) => (capture::ARRAY_ARG, e.size() | (u16::from(n) << 8)),
            Ty::ArrayOut(e) => (capture::ARRAY_RET, e.size()),
            Ty::ArrayOutN(e, n) => (capture::ARRAY_ARG, e.size() | (u16::from(n) << 8)),
            // A word per node bit: more than the words needed, capped by the kernel side.
            Ty::Nodemask(n) | Ty::NodemaskOut(n) => (capture::ARRAY_ARG, 8 | (u16::from(n) << 8)),
            // Structures that grow with the kernel: as many bytes as the size argument says.
            Ty::LandlockRule(_) => (capture::FIXED, 12),
            Ty::CpuSet(n)
            | Ty::OpenHow(n)
            | Ty::BpfAttr(n)
            | Ty::LandlockRuleset(n)
            | Ty::CloneArgs(n)
            | Ty::MountAttr(n) => (capture::ARRAY_ARG, 1 | (u16::from(n) << 8)),
            Ty::Timeval => (capture::FIXED, 16),
            Ty::TimevalOut => (capture::FIXED_OUT, 16),
            Ty::TimeOut => (capture::FIXED_OUT, 8),
            Ty::IntIn => (capture::FIXED, 4),
            Ty::TimezoneOut => (capture::FIXED_OUT, 8),
            Ty::Timezone => (capture::FIXED, 8),
            Ty::TimevalPair | Ty::Itimerval => (capture::FIXED, 32),
            Ty::ItimervalOut => (capture::FIXED_OUT, 32),
            // Written on EINTR: copied whatever the result.
            Ty::TimespecRem => (capture::FIXED, sizes::TIMESPEC),
            Ty::IntPairOut => (capture::FIXED_OUT, 8),
            Ty::IntOut | Ty::XvalOut(_) | Ty::XflagsOut(_) | Ty::SignalOut => {
                (capture::FIXED_OUT, 4)
            }
            Ty::UlongOut | Ty::PtrOut | Ty::XfeatureMaskOut | Ty::HexOut => (capture::FIXED_OUT, 8),
            Ty::OffInOut => (capture::FIXED, 8),
            Ty::StatxOut => (capture::FIXED_OUT, sizes::STATX),
            Ty::SysinfoOut => (capture::FIXED_OUT, sizes::SYSINFO),
            // All 128 bytes, as the kernel reads them (a siginfo that runs into an unreadable
            // page is a fault, as strace shows it); the fields printed are in the first 48.
            Ty::Siginfo => (capture::FIXED, 128),
            Ty::SiginfoOut => (capture::FIXED_OUT, 128),
            Ty::RusageOut => (capture::FIXED_OUT, 144),
            Ty::TmsOut => (capture::FIXED_OUT, 32),
            Ty::Utimbuf => (capture::FIXED, 16),
            Ty::FcntlArg => (capture::FIXED, 32),
            Ty::SysctlArgs => (capture::FIXED, 80),
            Ty::IoUringParams => (capture::FIXED, 120),
            Ty::XattrVal(n) => (capture::DATA_LEN_ARG, u16::from(n)),
            // A byte per byte of the length: more than the bytes per page needed, capped.
            Ty::MincoreVec(n) => (capture::ARRAY_ARG, 1 | (u16::from(n) << 8)),
            Ty::UserDesc(_) => (capture::FIXED, 16),
            Ty::KcmpIdx2 => (capture::FIXED, 12),
            Ty::Timex => (capture::FIXED, 208),
            Ty::TimespecPair => (capture::FIXED, 32),
            Ty::QuotaData => (capture::FIXED, 112),
            // SECCOMP_SET_MODE_FILTER's sock_fprog and its program (16 bytes otherwise).
            Ty::SeccompArg | Ty::SeccompFprog => (capture::FPROG, 0),
            Ty::Ipc(k) => match k.size() {
                (n, true) => (capture::FIXED_OUT, n),
                (n, false) => (capture::FIXED, n),
            },
            Ty::IoctlArg(k) => match k.size() {
                (n, true) => (capture::FIXED_OUT, n),
                (n, false) => (capture::FIXED, n),
            },
            Ty::XflagsIn(_) => (capture::FIXED, 4),
            Ty::UintOut => (capture::FIXED_OUT, 4),
            Ty::U64In | Ty::HexU64In => (capture::FIXED, 8),
            Ty::UintIn | Ty::HexIntIn | Ty::XvalIn(_) => (capture::FIXED, 4),
            // The fields strace prints are the first 32 of its 64 bytes (as strace reads it).
            Ty::Sigevent => (capture::FIXED, 32),
            Ty::MqAttr | Ty::MqOpenAttr => (capture::FIXED, 64),
            Ty::MqAttrOut => (capture::FIXED_OUT, 64),
            Ty::Itimerspec => (capture::FIXED, 32),
            Ty::ItimerspecOut => (capture::FIXED_OUT, 32),
            Ty::StatfsOut => (capture::FIXED_OUT, 120),
            Ty::CpuSetOut => (capture::PATH_RET, 0),
            // As many bytes as the option's length (up to a page): a structure is decoded
            // whole whatever -s is (group_req is 136 bytes).
            Ty::SockOptVal(n) => (capture::FPROG, u16::from(n) + 1),
            Ty::SockOptValOut(n) => (capture::ADDR_LENPTR_ARG, u16::from(n)),
            Ty::SockLen(_) | Ty::OptLen => (capture::INOUT_LEN, 0),
            Ty::WaitStatusOut => (capture::FIXED_OUT, 4),
            Ty::EpollEvent => (capture::FIXED, sizes::EPOLL_EVENT),
            Ty::EpollEventsOut => (capture::ARRAY_RET, sizes::EPOLL_EVENT),
            Ty::Pollfds(n) => (capture::ARRAY_ARG, sizes::POLLFD | (u16::from(n) << 8)),
            Ty::FdSet(n) => (capture::INOUT_BYTES, INOUT_FDSET | u16::from(n)),
            Ty::TimevalInOut | Ty::TimespecInOut => (capture::INOUT_BYTES, 16),
            Ty::LoffInOut => (capture::INOUT_BYTES, 8),
            Ty::SchedAttr => (capture::INOUT_BYTES, 56),
            Ty::SchedAttrOut(_) => (capture::FIXED_OUT, 56),
            Ty::PtraceAddr => (capture::FIXED, 16),
            Ty::PerfEventAttr => (capture::FIXED, 128),
            Ty::AioSigset => (capture::FIXED, 16),
            Ty::Iovec(n) => (capture::IOVEC_ARG, u16::from(n)),
            Ty::IovecOut(n) => {
                spec.flags |= spec_flags::OUT_DATA;
                (capture::IOVEC_ARG, u16::from(n))
            }
            Ty::Msghdr => (capture::MSGHDR, 0),
            Ty::Mmsghdr => (capture::MSGHDR, 1),
            Ty::MsghdrOut | Ty::MmsghdrOut => {
                spec.flags |= spec_flags::OUT_DATA;
                (capture::MSGHDR, u16::from(*ty == Ty::MmsghdrOut))
            }
            _ => (capture::NONE, 0),
        };
        if kind == capture::NONE {
            continue;
        }
        let op = CaptureOp {
            kind,
            arg: i as u8,
            param,
        };
        if kind == capture::IOVEC_ARG || kind == capture::MSGHDR || kind == capture::FPROG {
            spec.iov = op;
            if *ty == Ty::MsghdrOut {
                // recvmsg's msg_namelen (offset 8) at entry: `110 => 36`. First: the msghdr
                // continuation looks for it there.
                spec.ops.rotate_right(1);
                spec.ops[0] = CaptureOp {
                    kind: capture::NAMELEN_AT_ENTRY,
                    arg: i as u8,
                    param: 8,
                };
            }
        } else if let Some(slot) = spec.ops.iter_mut().find(|o| o.kind == capture::NONE) {
            *slot = op;
        } else {
            continue;
        }
        spec.flags |= spec_flags::HAS_STRINGS;
    }
    spec
}

/// ptrace's `data` (argument `i`): 16 bytes at entry and at exit (an iovec whose length the
/// kernel rewrites), 512 bytes at exit (the largest structure a request writes there, the
/// x87/SSE registers), and an iovec there with up to 512 bytes of what it points to.
fn ptrace_data(spec: &mut SyscallSpec, i: u8) {
    let ops = [
        (capture::INOUT_BYTES, i, 16),
        (capture::FIXED, i | tracer_common::SLOT_CONTENTS, 512),
    ];
    for (kind, arg, param) in ops {
        if let Some(slot) = spec.ops.iter_mut().find(|o| o.kind == capture::NONE) {
            *slot = CaptureOp { kind, arg, param };
        }
    }
    spec.iov = CaptureOp {
        kind: capture::IOVEC_ONE,
        arg: i | tracer_common::SLOT_IOV,
        param: 512,
    };
    spec.flags |= spec_flags::HAS_STRINGS;
}

/// The capture kinds of a spec, per argument.
#[cfg(test)]
pub fn kinds_by_arg(spec: &SyscallSpec) -> [u8; MAX_ARGS] {
    let mut k = [0; MAX_ARGS];
    for op in spec.ops.iter().chain(std::iter::once(&spec.iov)) {
        if op.kind != capture::NONE {
            k[usize::from(op.arg)] = op.kind;
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_nr_finds_every_row_and_nothing_else() {
        for abi in [Abi::X86_64, Abi::I386] {
            for s in abi.rows() {
                assert_eq!(by_nr(abi, i64::from(s.nr)).map(|r| r.name), Some(s.name));
            }
            for nr in [-1, 100_000, i64::from(u32::MAX) + 5] {
                assert!(by_nr(abi, nr).is_none());
            }
            let known = |nr: i64| abi.rows().iter().any(|s| i64::from(s.nr) == nr);
            for nr in (0..600).filter(|n| !known(*n)) {
                assert!(by_nr(abi, nr).is_none(), "{abi:?} {nr}");
            }
        }
    }

    #[test]
    fn table_is_sorted_and_unique() {
        for abi in [Abi::X86_64, Abi::I386] {
            for w in abi.rows().windows(2) {
                assert!(w[0].nr < w[1].nr, "{:?} {} / {}", abi, w[0].name, w[1].name);
            }
            for s in abi.rows() {
                assert!(s.args.len() <= MAX_ARGS, "{}", s.name);
                assert!(s.nr < 512, "{} does not fit the spec map", s.name);
            }
        }
    }

    #[test]
    fn slots_map_back_to_abi_and_number() {
        for (abi, nr) in [
            (Abi::X86_64, 0),
            (Abi::X86_64, 511),
            (Abi::I386, 0),
            (Abi::I386, 252),
        ] {
            assert_eq!(Abi::of_slot(abi.slot(nr)), (abi, nr));
        }
    }

    #[test]
    fn numbers_match_libc() {
        let known: &[(&str, libc::c_long)] = &[
            ("read", libc::SYS_read),
            ("write", libc::SYS_write),
            ("open", libc::SYS_open),
            ("openat", libc::SYS_openat),
            ("mmap", libc::SYS_mmap),
            ("mprotect", libc::SYS_mprotect),
            ("execve", libc::SYS_execve),
            ("exit_group", libc::SYS_exit_group),
            ("clone3", libc::SYS_clone3),
            ("accept4", libc::SYS_accept4),
            ("rt_sigreturn", libc::SYS_rt_sigreturn),
            ("newfstatat", libc::SYS_newfstatat),
            ("statx", libc::SYS_statx),
            ("mseal", libc::SYS_mseal),
            ("close_range", libc::SYS_close_range),
            ("pidfd_open", libc::SYS_pidfd_open),
        ];
        for (name, nr) in known {
            let s = by_name(Abi::X86_64, name).unwrap();
            assert_eq!(i64::from(s.nr), *nr, "{name}");
            assert_eq!(by_nr(Abi::X86_64, *nr).unwrap().name, *name);
        }
    }

    #[test]
    fn full_table_is_present() {
        // syscall_64.tbl has 0..=336 (gaps for never-implemented calls are rows too) and 424..=470.
        let rows = all(Abi::X86_64);
        assert!(rows.len() >= 380, "{}", rows.len());
        for nr in 0..=334 {
            assert!(by_nr(Abi::X86_64, nr).is_some(), "missing {nr}");
        }
        for nr in 424..=470 {
            assert!(by_nr(Abi::X86_64, nr).is_some(), "missing {nr}");
        }
    }

    #[test]
    fn strings_are_captured_where_paths_are() {
        let openat = by_name(Abi::X86_64, "openat").unwrap();
        assert_eq!(
            kinds_by_arg(&capture_spec(openat, true, false)),
            [0, 1, 0, 0, 0, 0]
        );
        assert_eq!(
            capture_spec(openat, true, false).flags,
            spec_flags::TRACE | spec_flags::HAS_STRINGS
        );
        let close = by_name(Abi::X86_64, "close").unwrap();
        assert_eq!(capture_spec(close, true, false).flags, spec_flags::TRACE);
        assert_eq!(
            capture_spec(close, false, true).flags,
            spec_flags::TRACE | spec_flags::ALWAYS
        );
        let read = by_name(Abi::X86_64, "read").unwrap();
        assert_eq!(capture_spec(read, false, true).flags & spec_flags::TRACE, 0);
        let connect = by_name(Abi::X86_64, "connect").unwrap();
        assert_eq!(connect.args, [Ty::Fd, Ty::Sockaddr(2), Ty::Int32]);
        assert_eq!(
            kinds_by_arg(&capture_spec(connect, true, false)),
            [0, 2, 0, 0, 0, 0]
        );
        assert_eq!(capture_spec(connect, true, false).ops[0].param, 2);
        // accept4's address (its length read at exit) and the in/out length itself.
        let accept = by_name(Abi::X86_64, "accept4").unwrap();
        assert_eq!(
            kinds_by_arg(&capture_spec(accept, true, false)),
            [0, capture::ADDR_LENPTR_ARG, capture::INOUT_LEN, 0, 0, 0]
        );
        let read = by_name(Abi::X86_64, "read").unwrap();
        assert_eq!(
            kinds_by_arg(&capture_spec(read, true, false)),
            [0, capture::DATA_RET, 0, 0, 0, 0]
        );
        // Its data is the result, within the buffer's size (argument 2).
        assert_eq!(capture_spec(read, true, false).ops[0].param, 2);
        let write = by_name(Abi::X86_64, "write").unwrap();
        assert_eq!(
            kinds_by_arg(&capture_spec(write, true, false))[1],
            capture::DATA_LEN_ARG
        );
        assert_eq!(capture_spec(write, true, false).ops[0].param, 2);
        let poll = by_name(Abi::X86_64, "poll").unwrap();
        assert_eq!(capture_spec(poll, true, false).ops[0].param, 8 | (1 << 8));
        let readv = by_name(Abi::X86_64, "readv").unwrap();
        assert!(capture_spec(readv, true, false).flags & spec_flags::OUT_DATA != 0);
        let rename = by_name(Abi::X86_64, "rename").unwrap();
        assert_eq!(
            kinds_by_arg(&capture_spec(rename, true, false)),
            [1, 1, 0, 0, 0, 0]
        );
        for name in [
            "open",
            "stat",
            "lstat",
            "access",
            "execve",
            "unlink",
            "unlinkat",
            "mkdir",
            "rmdir",
            "readlink",
            "readlinkat",
            "chdir",
            "chmod",
            "chown",
            "truncate",
            "newfstatat",
            "statx",
            "faccessat2",
            "symlink",
            "link",
            "linkat",
            "renameat2",
            "mknod",
            "utimensat",
            "statfs",
            "chroot",
            "acct",
            "getxattr",
            "setxattr",
        ] {
            let s = by_name(Abi::X86_64, name).unwrap();
            assert!(
                s.args.iter().any(|t| matches!(t, Ty::Path | Ty::Str)),
                "{name} has no string argument"
            );
            assert!(
                s.class & class::FILE != 0 || !s.args.contains(&Ty::Path),
                "{name}"
            );
        }
    }
}
