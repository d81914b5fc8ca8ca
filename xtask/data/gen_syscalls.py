#!/usr/bin/env python3
"""Generates tracer/src/syscalls/table.rs from kernel facts kept in this folder:

- x86_64.tbl, i386.tbl: number and name (libc's SYS_* plus the kernel's syscall_64.tbl),
- tracefs_syscall_args.tsv: argument C types and names, read from
  /sys/kernel/tracing/events/syscalls/sys_enter_*/format on a 6.18 kernel.

Argument types are mapped by rule (name and C type), then corrected per syscall below.
Run: python3 xtask/data/gen_syscalls.py > tracer/src/syscalls/table.rs
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_tbl(name):
    rows = []
    for line in open(os.path.join(HERE, name)):
        nr, sc = line.split()
        rows.append((int(nr), sc))
    return rows


ARGS = {}
for line in open(os.path.join(HERE, "tracefs_syscall_args.tsv")):
    name, _, rest = line.rstrip("\n").partition("\t")
    ARGS[name] = [a for a in rest.split("|") if a] if rest else []

# Syscalls whose tracefs event has another name or is absent.
MISSING = {
    "stat": ["const char * filename", "struct stat * statbuf"],
    "lstat": ["const char * filename", "struct stat * statbuf"],
    "fstat": ["unsigned int fd", "struct stat * statbuf"],
    "sendfile": ["int out_fd", "int in_fd", "loff_t * offset", "size_t count"],
    "uname": ["struct new_utsname * name"],
    "umount2": ["const char * name", "int flags"],
    "init_module": ["void * umod", "unsigned long len", "const char * uargs"],
    "finit_module": ["int fd", "const char * uargs", "int flags"],
    "delete_module": ["const char * name_user", "unsigned int flags"],
    "kexec_load": ["unsigned long entry", "unsigned long nr_segments", "void * segments", "unsigned long flags"],
    "kexec_file_load": ["int kernel_fd", "int initrd_fd", "unsigned long cmdline_len", "const char * cmdline_ptr", "unsigned long flags"],
    "set_thread_area": ["void * u_info"],
    "get_thread_area": ["void * u_info"],
    "map_shadow_stack": ["unsigned long addr", "unsigned long size", "unsigned int flags"],
    "listns": ["const void * req", "u64 * ns_ids", "size_t nr_ns_ids", "unsigned int flags"],
    "lookup_dcookie": ["u64 cookie64", "char * buf", "size_t len"],
    "_sysctl": ["struct __sysctl_args * args"],
}
# Never implemented on x86_64: no arguments worth decoding.
for n in ["create_module", "get_kernel_syms", "query_module", "uselib", "nfsservctl", "getpmsg", "putpmsg", "afs_syscall", "tuxcall",
          "security", "epoll_ctl_old", "epoll_wait_old", "vserver"]:
    MISSING[n] = []

PATH_NAMES = {"filename", "pathname", "path", "oldname", "newname", "name", "dir_name",
              "specialfile", "dev_name", "new_root", "put_old", "library", "oldpath", "newpath",
              "u_name", "from_pathname", "to_pathname"}
NOT_PATH = {("setxattr", 1), ("lsetxattr", 1), ("fsetxattr", 1), ("getxattr", 1), ("lgetxattr", 1),
            ("fgetxattr", 1), ("removexattr", 1), ("lremovexattr", 1), ("fremovexattr", 1),
            ("memfd_create", 0), ("sethostname", 0),
            ("setdomainname", 0), ("add_key", 0), ("add_key", 1), ("request_key", 0),
            ("request_key", 1), ("symlink", 0), ("symlinkat", 0), ("delete_module", 0),
            ("init_module", 2), ("finit_module", 1), ("fsopen", 0), ("fsconfig", 2),
            ("mount", 2), ("kexec_file_load", 3)}
FD_NAMES = {"fd", "oldfd", "newfd", "fd_in", "fd_out", "epfd", "ufd", "out_fd", "in_fd", "fildes",
            "kernel_fd", "initrd_fd", "pidfd", "fdin", "fdout", "mnt_fd", "ns_fd", "ruleset_fd",
            "fs_fd", "fanotify_fd"}
DIRFD_NAMES = {"dfd", "olddfd", "newdfd", "dirfd", "from_dfd", "to_dfd", "old_dfd", "new_dfd"}


def map_arg(sc, i, decl):
    decl = decl.strip()
    m = re.match(r"(.*?)\s*([A-Za-z_][A-Za-z_0-9]*)$", decl)
    ctype, name = m.group(1).strip(), m.group(2)
    ptr = "*" in ctype
    if ptr and "char" in ctype and "const" in ctype and "*const" not in ctype.replace(" ", ""):
        if name in PATH_NAMES and (sc, i) not in NOT_PATH:
            return "Path"
        return "Str"
    if ptr:
        return "Ptr"
    if ctype == "pid_t":
        return "Pid"
    if name in DIRFD_NAMES:
        return "Dirfd"
    if name in FD_NAMES:
        return "Fd"
    if ctype in ("umode_t", "mode_t") or name == "mode" and sc in ("chmod", "fchmod", "fchmodat", "fchmodat2", "mkdir", "mkdirat", "mknod", "mknodat", "creat", "umask"):
        return "Mode"
    if name in ("addr", "start", "brk", "new_addr", "old_addr") or ctype == "unsigned long" and name.endswith("addr"):
        return "Ptr"
    if ctype in ("uid_t", "gid_t"):
        return "Uid"
    # The C type's width: the kernel reads an int from the low half of its register.
    if ctype in UINT32:
        return "Uint32"
    if ctype == "aio_context_t":
        return "Hex"
    if ctype in ("size_t", "const size_t", "unsigned long", "u64", "__u64"):
        return "Uint"
    if ctype in INT32:
        return "Int32"
    return "Int"


# C types of 32 bits (include/linux/types.h, include/uapi/asm-generic/posix_types.h): the rest
# (long, loff_t, off_t) are as wide as the register.
INT32 = {"int", "const int", "clockid_t", "const clockid_t", "timer_t", "mqd_t", "key_t",
         "key_serial_t", "rwf_t", "__s32", "const enum landlock_rule_type"}
UINT32 = {"unsigned int", "unsigned", "u32", "const __u32", "qid_t"}


OVERRIDES = {
    "read": {1: 'OutBuf'},
    "pread64": {1: 'OutBuf', 3: 'Int'},
    "write": {1: 'InBuf(2)'},
    "pwrite64": {1: 'InBuf(2)', 3: 'Int'},
    "readv": {0: 'Fd', 1: 'IovecOut(2)'},
    "preadv2": {0: 'Fd', 1: 'IovecOut(2)', 3: 'Int', 4: 'Skip', 5: 'Xflags(&consts::RWF_FLAGS)'},
    "pwritev2": {0: 'Fd', 1: 'Iovec(2)', 3: 'Int', 4: 'Skip', 5: 'Xflags(&consts::RWF_FLAGS)'},
    "preadv": {0: 'Fd', 1: 'IovecOut(2)', 3: 'Int', 4: 'Skip'},
    "writev": {0: 'Fd', 1: 'Iovec(2)'},
    "pwritev": {0: 'Fd', 1: 'Iovec(2)', 3: 'Int', 4: 'Skip'},
    "recvfrom": {1: 'OutBuf', 3: 'MsgFlags', 5: 'SockLen(4)'},
    "sendmsg": {1: 'Msghdr', 2: 'MsgFlags'},
    "recvmsg": {1: 'MsghdrOut', 2: 'MsgFlags'},
    "sendmmsg": {1: 'Mmsghdr', 3: 'MsgFlags'},
    "recvmmsg": {1: 'MmsghdrOut', 3: 'MsgFlags', 4: 'TimespecInOut'},
    "sendto": {1: 'InBuf(2)', 3: 'MsgFlags'},
    "getrandom": {0: 'OutBufHex', 2: 'GrndFlags'},
    "readlink": {1: 'OutStrRet'},
    "readlinkat": {2: 'OutStrRet'},
    "getcwd": {0: 'OutPath'},
    "clock_gettime": {0: 'ClockId', 1: 'TimespecOut'},
    "clock_getres": {0: 'ClockId', 1: 'TimespecOut'},
    "clock_nanosleep": {0: 'ClockId', 2: 'Timespec', 3: 'TimespecRem', 1: 'Xflags(&consts::TIMER_FLAGS)'},
    "nanosleep": {0: 'Timespec', 1: 'TimespecRem'},
    "prlimit64": {1: 'RlimitResource', 2: 'Rlimit("RLIM64_INFINITY")', 3: 'RlimitOut("RLIM64_INFINITY")'},
    "getrlimit": {0: 'RlimitResource', 1: 'RlimitOut("RLIM64_INFINITY")'},
    "setrlimit": {0: 'RlimitResource', 1: 'Rlimit("RLIM64_INFINITY")'},
    "rt_sigaction": {0: 'Signal', 1: 'Sigaction', 2: 'SigactionOut'},
    "rt_sigprocmask": {0: 'SigprocmaskHow', 1: 'Sigset(3)', 2: 'SigsetOut(3)'},
    "poll": {0: 'Pollfds(1)'},
    "ppoll": {0: 'Pollfds(1)', 2: 'TimespecInOut', 3: 'Sigset(4)'},
    "select": {1: 'FdSet(0)', 2: 'FdSet(0)', 3: 'FdSet(0)', 4: 'TimevalInOut'},
    "pselect6": {1: 'FdSet(0)', 2: 'FdSet(0)', 3: 'FdSet(0)', 4: 'TimespecInOut'},
    "pipe": {0: 'IntPairOut'},
    "pipe2": {0: 'IntPairOut', 1: 'Xflags(&consts::O_FD_FLAGS)'},
    "eventfd2": {1: 'FdFlags("EFD_")'},
    "epoll_create1": {0: 'Xflags(&consts::EPOLL_CREATE_FLAGS)'},
    "inotify_init1": {0: 'Xflags(&consts::INOTIFY_INIT_FLAGS)'},
    "signalfd4": {3: 'Xflags(&consts::SIGNALFD_FLAGS)', 1: 'Sigset(2)'},
    "timerfd_create": {1: 'Xflags(&consts::TIMERFD_CREATE_FLAGS)', 0: 'ClockId'},
    "sysinfo": {0: 'SysinfoOut'},
    "sched_getaffinity": {1: 'Uint32', 2: 'CpuSetOut'},
    "sched_setaffinity": {1: 'Uint32', 2: 'CpuSet(1)'},
    "getgroups": {1: 'ArrayOut(Elem::Gid)'},
    "setgroups": {1: 'Array(Elem::Gid, 0)'},
    "semop": {1: 'Array(Elem::Sembuf, 2)'},
    "semtimedop": {1: 'Array(Elem::Sembuf, 2)', 3: 'Timespec'},
    "socketpair": {0: 'SocketFamily', 1: 'SocketType', 3: 'IntPairOut'},
    "socket": {0: 'SocketFamily', 1: 'SocketType', 2: 'Int32'},
    "wait4": {1: 'WaitStatusOut', 2: 'WaitOptions', 3: 'RusageOut'},
    "epoll_wait": {1: 'EpollEventsOut'},
    "epoll_pwait": {1: 'EpollEventsOut', 4: 'Sigset(5)'},
    "epoll_ctl": {1: 'EpollCtlOp', 3: 'EpollEvent'},
    "getdents64": {1: 'DirentsOut'},
    "getdents": {1: 'DirentsOut'},
    "openat2": {2: 'OpenHow(3)'},
    "fanotify_mark": {1: 'Xflags(&consts::FAN_MARK_FLAGS)', 2: 'Xflags(&consts::FAN_EVENT_FLAGS)', 3: 'FanDirfd'},
    "add_key": {2: 'InBuf(3)', 4: 'KeySerial'},
    "request_key": {3: 'KeySerial'},
    "accept": {2: 'SockLen(1)'},
    "getsockname": {2: 'SockLen(1)'},
    "getpeername": {2: 'SockLen(1)'},
    "quotactl": {3: 'QuotaData'},
    "quotactl_fd": {3: 'QuotaData'},
    "memfd_create": {0: 'StrMax(250)', 1: 'MemfdFlags'},
    "futex": {1: 'FutexOp'},
    "ioctl": {1: 'IoctlReq', 2: 'Hex'},
    "shutdown": {1: 'ShutdownHow'},
    "accept4": {2: 'SockLen(1)', 3: 'SockFlags'},
    "setsockopt": {1: 'SockLevel', 2: 'SockOpt(false)', 3: 'SockOptVal(4)'},
    "getsockopt": {1: 'SockLevel', 2: 'SockOpt(true)', 3: 'SockOptValOut(4)', 4: 'OptLen'},
    # Unknown options' arguments print in hex; known ones by syscalls/commands.rs's rows.
    "prctl": {0: 'PrctlOption', 1: 'Hex', 2: 'Hex', 3: 'Hex', 4: 'Hex'},
    "getitimer": {0: 'Xval(&consts::ITIMERS)', 1: 'ItimervalOut'},
    "madvise": {0: 'Ptr', 2: 'Madvise'},
    "clone": {0: 'CloneFlags'},
    "clone3": {0: 'CloneArgs(1)'},
    "arch_prctl": {0: 'ArchPrctl', 1: 'Hex'},
    "rseq": {1: 'Hex', 3: 'Hex'},
    "dup2": {0: 'Fd', 1: 'Fd'},
    "dup3": {0: 'Fd', 1: 'Fd', 2: 'Xflags(&consts::O_MODE_FLAGS)'},
    "fadvise64": {3: 'Fadvise'},
    "tgkill": {2: 'Signal'},
    "umask": {0: 'Mode'},
    "sigaltstack": {0: 'Ptr', 1: 'Ptr'},
    "sendfile": {2: 'LoffInOut'},
    "open": {1: 'OpenFlags', 2: 'OpenMode'},
    "openat": {2: 'OpenFlags', 3: 'OpenMode'},
    "creat": {1: 'Mode'},
    "mmap": {0: 'Ptr', 2: 'Prot', 3: 'MapFlags', 5: 'Hex'},
    "mprotect": {2: 'Prot'},
    "pkey_mprotect": {2: 'Prot'},
    "access": {1: 'AccessMode'},
    "faccessat": {2: 'AccessMode'},
    "faccessat2": {2: 'AccessMode', 3: 'AtFlags'},
    "newfstatat": {3: 'AtFlags'},
    "statx": {2: 'StatxFlags', 3: 'StatxMask', 4: 'StatxOut'},
    "unlinkat": {2: 'AtFlags'},
    "fchownat": {4: 'AtFlags'},
    "fchmodat2": {3: 'AtFlags'},
    "linkat": {4: 'AtFlags'},
    "utimensat": {2: 'TimespecPair', 3: 'AtFlags'},
    "execveat": {0: 'Dirfd', 4: 'AtFlags'},
    "name_to_handle_at": {4: 'AtFlags'},
    "open_tree": {2: 'Xflags(&consts::OPEN_TREE_FLAGS)'},
    "mremap": {3: 'MremapFlags', 4: 'Hex'},
    "kill": {1: 'Signal'},
    "tkill": {1: 'Signal'},
    "lseek": {2: 'Whence'},
    "fcntl": {1: 'FcntlCmd', 2: 'FcntlArg'},
    "exit": {},
    "flock": {1: 'Xflags(&consts::FLOCK_OPS)'},
    "close_range": {0: 'Uint32', 1: 'Uint32', 2: 'Xflags(&consts::CLOSE_RANGE_FLAGS)'},
    "fanotify_init": {0: 'Xflags(&consts::FAN_INIT_FLAGS)', 1: 'OpenFlags'},
    "fsopen": {1: 'Xflags(&consts::FSOPEN_FLAGS)'},
    "fspick": {2: 'Xflags(&consts::FSPICK_FLAGS)'},
    "move_mount": {4: 'Xflags(&consts::MOVE_MOUNT_FLAGS)'},
    "process_madvise": {1: 'Array(Elem::Iovec, 2)', 3: 'Madvise', 4: 'Xflags(&consts::NO_FLAGS)'},
    "process_vm_readv": {1: 'IovecOut(2)', 3: 'Array(Elem::Iovec, 4)'},
    "process_vm_writev": {1: 'Iovec(2)', 3: 'Array(Elem::Iovec, 4)'},
    "reboot": {0: 'Xval(&consts::REBOOT_MAGIC1)', 1: 'Xval(&consts::REBOOT_MAGIC2)', 2: 'Xval(&consts::REBOOT_CMDS)', 3: 'StrMax(255)'},
    "fsmount": {0: 'Fd', 1: 'Xflags(&consts::FSMOUNT_FLAGS)', 2: 'Xflags(&consts::FSMOUNT_ATTRS)'},
    "mount": {0: 'Path', 1: 'Path', 2: 'Str', 3: 'Xflags(&consts::MOUNT_FLAGS)', 4: 'Str'},
    "fsconfig": {1: 'Xval(&consts::FSCONFIG_CMDS)', 3: 'Str'},
    "pidfd_open": {1: 'Xflags(&consts::PIDFD_OPEN_FLAGS)'},
    "pidfd_getfd": {1: 'PidfdTarget', 2: 'Xflags(&consts::NO_FLAGS)'},
    "pidfd_send_signal": {1: 'Signal', 2: 'Siginfo', 3: 'Xflags(&consts::NO_FLAGS)'},
    "memfd_secret": {0: 'Xflags(&consts::MEMFD_SECRET_FLAGS)'},
    "userfaultfd": {0: 'Xflags(&consts::USERFAULTFD_FLAGS)'},
    "mlockall": {0: 'Xflags(&consts::MLOCKALL_FLAGS)'},
    "mlock2": {0: 'Ptr', 2: 'Xflags(&consts::MLOCK_FLAGS)'},
    "splice": {5: 'Xflags(&consts::SPLICE_FLAGS)', 1: 'OffInOut', 3: 'OffInOut'},
    "tee": {3: 'Xflags(&consts::SPLICE_FLAGS)'},
    "vmsplice": {1: 'Iovec(2)', 3: 'Xflags(&consts::SPLICE_FLAGS)'},
    "sync_file_range": {3: 'Xflags(&consts::SYNC_FILE_RANGE_FLAGS)'},
    "setxattr": {4: 'Xflags(&consts::XATTR_FLAGS)', 2: 'XattrVal(3)'},
    "lsetxattr": {4: 'Xflags(&consts::XATTR_FLAGS)', 2: 'XattrVal(3)'},
    "fsetxattr": {4: 'Xflags(&consts::XATTR_FLAGS)', 2: 'XattrVal(3)'},
    "setns": {1: 'Xflags(&consts::SETNS_TYPES)'},
    "set_mempolicy": {0: 'Xflags(&consts::MPOL_MODES)', 1: 'Nodemask(2)'},
    "mbind": {0: 'Ptr', 2: 'Xflags(&consts::MBIND_MODES)', 3: 'Nodemask(4)', 5: 'Xflags(&consts::MBIND_FLAGS)'},
    "migrate_pages": {2: 'Nodemask(1)', 3: 'Nodemask(1)'},
    "ioprio_get": {0: 'Xval(&consts::IOPRIO_WHO)'},
    "ioprio_set": {0: 'Xval(&consts::IOPRIO_WHO)', 2: 'Ioprio'},
    "kcmp": {2: 'Xval(&consts::KCMP_TYPES)', 3: 'Hex', 4: 'KcmpIdx2'},
    "getpriority": {0: 'Xval(&consts::PRIO_WHICH)'},
    "msgget": {0: 'IpcKey', 1: 'IpcGetFlags(false)'},
    "semget": {0: 'IpcKey', 2: 'IpcGetFlags(false)'},
    "shmget": {0: 'IpcKey', 2: 'IpcGetFlags(true)'},
    "msgctl": {1: 'IpcCmd(&consts::MSGCTL_CMDS)', 2: 'Ptr'},
    "semctl": {2: 'IpcCmd(&consts::SEMCTL_CMDS)', 3: 'Hex'},
    "shmctl": {1: 'IpcCmd(&consts::SHMCTL_CMDS)', 2: 'Ptr'},
    "setpriority": {0: 'Xval(&consts::PRIO_WHICH)'},
    "setitimer": {0: 'Xval(&consts::ITIMERS)', 1: 'Itimerval', 2: 'ItimervalOut'},
    "waitid": {0: 'Xval(&consts::WAITID_TYPES)', 3: 'Xflags(&consts::WAITID_OPTIONS)', 2: 'SiginfoOut', 4: 'RusageOut'},
    "seccomp": {0: 'Xval(&consts::SECCOMP_OPS)', 2: 'SeccompArg'},
    "bpf": {0: 'Xval(&consts::BPF_CMDS)', 1: 'BpfAttr(2)', 2: 'Uint32'},
    "timer_settime": {1: 'Xflags(&consts::TIMER_FLAGS)', 2: 'Itimerspec', 3: 'ItimerspecOut'},
    "timer_gettime": {1: 'ItimerspecOut'},
    "timerfd_settime": {2: 'Itimerspec', 3: 'ItimerspecOut'},
    "timerfd_gettime": {1: 'ItimerspecOut'},
    "times": {0: 'TmsOut'},
    "mq_getsetattr": {1: 'MqAttr', 2: 'MqAttrOut'},
    "io_uring_enter": {3: 'Xflags(&consts::IORING_ENTER_FLAGS)', 4: 'Sigset(5)'},
    "ustat": {0: 'Dev'},
    "swapon": {1: 'SwapFlags'},
    "timer_create": {0: 'ClockId', 1: 'Sigevent', 2: 'IntOut'},
    "mq_notify": {1: 'Sigevent'},
    "mq_timedsend": {1: 'InBuf(2)', 4: 'Timespec'},
    "mq_timedreceive": {1: 'OutBuf', 3: 'IntOut', 4: 'Timespec'},
    "clock_adjtime": {0: 'ClockId', 1: 'Timex'},
    "adjtimex": {0: 'Timex'},
    "clock_settime": {0: 'ClockId', 1: 'Timespec'},
    "futex_waitv": {0: 'Array(Elem::FutexWaiter, 1)', 2: 'Xflags(&consts::NO_FLAGS)', 3: 'Timespec', 4: 'ClockId'},
    "landlock_create_ruleset": {0: 'LandlockRuleset(1)', 2: 'Xflags(&consts::LANDLOCK_CREATE_FLAGS)'},
    "landlock_add_rule": {0: 'Fd', 1: 'Xval(&consts::LANDLOCK_RULE_TYPES)', 2: 'LandlockRule(1)', 3: 'Xflags(&consts::NO_FLAGS)'},
    "landlock_restrict_self": {0: 'Fd', 1: 'Xflags(&consts::NO_FLAGS)'},
    "set_mempolicy_home_node": {0: 'Ptr', 3: 'Hex'},
    "kexec_file_load": {4: 'Xflags(&consts::KEXEC_FILE_FLAGS)', 3: 'InBuf(2)'},
    "io_uring_register": {1: 'Xval(&consts::IORING_REGISTER_OPS)'},
    "perf_event_open": {0: 'PerfEventAttr', 4: 'Xflags(&consts::PERF_FLAGS)'},
    "mknod": {1: 'TypedMode', 2: 'Dev'},
    "mknodat": {2: 'TypedMode', 3: 'Dev'},
    "mq_open": {1: 'OpenFlags', 2: 'OpenMode', 3: 'MqOpenAttr'},
    "ioperm": {0: 'Hex', 1: 'Hex'},
    "mount_setattr": {2: 'Xflags(&consts::MOUNT_SETATTR_FLAGS)', 3: 'MountAttr(4)'},
    "get_mempolicy": {0: 'XvalOut(&consts::MPOL_MODES)', 1: 'NodemaskOut(2)', 4: 'Xflags(&consts::MPOL_F_FLAGS)'},
    "move_pages": {2: 'Array(Elem::Ptr, 1)', 3: 'Array(Elem::Int, 1)', 4: 'ArrayOutN(Elem::Status, 1)', 5: 'Xflags(&consts::MPOL_MF_FLAGS)'},
    "pkey_alloc": {1: 'Xflags(&consts::PKEY_ACCESS)', 0: 'Hex'},
    "getresuid": {0: 'IntOut', 1: 'IntOut', 2: 'IntOut'},
    "getresgid": {0: 'IntOut', 1: 'IntOut', 2: 'IntOut'},
    "getcpu": {0: 'IntOut', 1: 'IntOut'},
    "io_setup": {1: 'PtrOut'},
    "io_pgetevents": {4: 'Timespec', 5: 'AioSigset'},
    "io_getevents": {4: 'Timespec'},
    "get_robust_list": {0: 'Pid', 1: 'PtrOut', 2: 'UlongOut'},
    "copy_file_range": {1: 'OffInOut', 3: 'OffInOut'},
    "sched_get_priority_min": {0: 'Xval(&consts::SCHED_POLICIES)'},
    "sched_get_priority_max": {0: 'Xval(&consts::SCHED_POLICIES)'},
    "renameat2": {4: 'Xflags(&consts::RENAME_FLAGS)'},
    "remap_file_pages": {0: 'Ptr', 2: 'Prot', 4: 'MapFlags'},
    "ptrace": {0: 'Xval(&consts::PTRACE_REQUESTS)', 1: 'Pid', 2: 'PtraceAddr', 3: 'PtraceData'},
    "process_mrelease": {1: 'Xflags(&consts::NO_FLAGS)'},
    "unshare": {0: 'Xflags(&consts::UNSHARE_FLAGS)'},
    "fallocate": {1: 'Xflags(&consts::FALLOC_FLAGS)'},
    "inotify_add_watch": {2: 'Xflags(&consts::INOTIFY_MASK)'},
    "rt_sigpending": {0: 'SigsetOut(1)'},
    "rt_sigsuspend": {0: 'Sigset(1)'},
    "signalfd": {1: 'Sigset(2)'},
    "rt_sigtimedwait": {0: 'Sigset(3)', 2: 'Timespec', 1: 'SiginfoOut'},
    "sched_rr_get_interval": {1: 'TimespecOut'},
    "sched_getparam": {1: 'IntOut'},
    "gettimeofday": {0: 'TimevalOut', 1: 'TimezoneOut'},
    "settimeofday": {0: 'Timeval', 1: 'Timezone'},
    "utimes": {1: 'TimevalPair', 0: 'Path'},
    "futimesat": {2: 'TimevalPair'},
    "time": {0: 'TimeOut'},
    "sched_setparam": {1: 'IntIn'},
    "sched_setscheduler": {1: 'Xval(&consts::SCHED_POLICIES)', 2: 'IntIn'},
    "sched_setattr": {1: 'SchedAttr'},
    "sched_getattr": {1: 'SchedAttrOut(2)'},
    "utime": {0: 'Path', 1: 'Utimbuf'},
    "mincore": {2: 'MincoreVec(1)'},
    "shmat": {2: 'Xflags(&consts::SHMAT_FLAGS)'},
    "_sysctl": {0: 'SysctlArgs'},
    "io_uring_setup": {1: 'IoUringParams'},
    "syslog": {0: 'Int32', 1: 'OutBuf', 2: 'Int32'},
    "listxattr": {1: 'XattrList'}, "llistxattr": {1: 'XattrList'}, "flistxattr": {1: 'XattrList'},
    "getxattr": {2: 'XattrValOut'}, "lgetxattr": {2: 'XattrValOut'}, "fgetxattr": {2: 'XattrValOut'},
    "kexec_load": {0: 'Ptr', 2: 'Array(Elem::KexecSeg, 1)', 3: 'KexecFlags'},
    "modify_ldt": {0: 'Int32', 1: 'UserDesc(2)'},
    "umount": {0: 'Path'},
    "delete_module": {1: 'Xflags(&consts::DELETE_MODULE_FLAGS)'},
    "finit_module": {2: 'Xflags(&consts::FINIT_MODULE_FLAGS)'},
    "rt_sigqueueinfo": {1: 'Signal', 2: 'Siginfo'},
    "rt_tgsigqueueinfo": {2: 'Signal', 3: 'Siginfo'},
    "getrusage": {0: 'Xval(&consts::RUSAGE_WHO)', 1: 'RusageOut'},
    "statfs": {1: 'StatfsOut'},
    "fstatfs": {1: 'StatfsOut'},
}

# strace-like classes.
FILE, DESC, PROCESS, NETWORK, SIGNAL, IPC, MEMORY, CREDS, CLOCK, STATFS, STAT = (
    "FILE", "DESC", "PROCESS", "NETWORK", "SIGNAL", "IPC", "MEMORY", "CREDS", "CLOCK", "STATFS", "STAT")
CLASS_SETS = {
    PROCESS: "clone clone3 fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill "
             "rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal pidfd_getfd unshare "
             "setns arch_prctl prctl".split(),
    NETWORK: "socket socketpair bind listen accept accept4 connect getsockname getpeername sendto "
             "recvfrom sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt".split(),
    SIGNAL: "rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigsuspend "
            "sigaltstack kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pause signalfd signalfd4 "
            "pidfd_send_signal".split(),
    IPC: "shmget shmat shmctl shmdt semget semop semctl semtimedop msgget msgsnd msgrcv msgctl".split(),
    MEMORY: "mmap munmap mprotect brk mremap msync mincore madvise mlock munlock mlockall munlockall "
            "mlock2 mbind set_mempolicy get_mempolicy migrate_pages move_pages remap_file_pages "
            "pkey_mprotect pkey_alloc pkey_free process_madvise memfd_secret mseal shmat shmdt "
            "map_shadow_stack process_mrelease set_mempolicy_home_node io_setup io_destroy".split(),
    CREDS: "getuid geteuid getgid getegid setuid setgid setreuid setregid setresuid setresgid "
           "getresuid getresgid setfsuid setfsgid getgroups setgroups capget capset".split(),
    CLOCK: "time gettimeofday settimeofday adjtimex clock_gettime clock_settime clock_getres "
           "clock_adjtime".split(),
    STATFS: "statfs fstatfs ustat".split(),
    STAT: "stat fstat lstat newfstatat statx".split(),
}
RET_FD = set("open openat creat dup dup2 dup3 socket accept accept4 epoll_create epoll_create1 "
             "eventfd eventfd2 signalfd signalfd4 timerfd_create inotify_init inotify_init1 "
             "memfd_create fanotify_init perf_event_open open_by_handle_at openat2 pidfd_open "
             "pidfd_getfd userfaultfd io_uring_setup fsopen fsmount fspick open_tree memfd_secret "
             "bpf open_tree_attr landlock_create_ruleset".split())
RET_HEX = set("mmap mremap brk shmat".split())
# Calls that return a process or thread id (-Y names it).
RET_PID = set("getpid getppid gettid fork vfork clone clone3 wait4 waitid getpgid getpgrp getsid "
              "setsid".split())
NORETURN = {"exit", "exit_group"}
RET_OCTAL = {"umask"}
RET_TIME = {"time"}
RET_SIGNAL = {"rt_sigtimedwait"}
RET_IOPRIO = {"ioprio_get"}
# Results that are a named value: printed with the name after them.
RET_NAMED = {"sched_getscheduler": "SCHED_POLICIES", "adjtimex": "TIME_STATES",
             "clock_adjtime": "TIME_STATES"}

# What a successful call does to the process's fd table (the `Fx` of a row). Calls that return
# an fd and are not listed here make a new fd the kernel names itself: ANON_NAMES gives that
# name (as /proc/PID/fd shows it and strace -y prints it), "" where it depends on the call.
FX = {
    "open": "Open", "openat": "Open", "creat": "Open", "openat2": "Open",
    "socket": "Socket", "accept": "Accept", "accept4": "Accept", "connect": "Connect",
    "bind": "Bind", "listen": "Listen", "dup": "Dup", "dup2": "DupTo", "dup3": "DupTo",
    "fcntl": "Fcntl", "pipe": "Pipe", "pipe2": "Pipe", "socketpair": "SocketPair",
    "close": "Close", "close_range": "CloseRange", "execve": "Exec", "execveat": "Exec",
    "chdir": "Chdir", "memfd_create": "Memfd", "open_tree": "Open",
    "unlink": "Unlink", "unlinkat": "Unlink", "rmdir": "Unlink",
    "rename": "Rename", "renameat": "Rename", "renameat2": "Rename",
}
ANON_NAMES = {
    "eventfd": "anon_inode:[eventfd]", "eventfd2": "anon_inode:[eventfd]",
    "epoll_create": "anon_inode:[eventpoll]", "epoll_create1": "anon_inode:[eventpoll]",
    "signalfd": "anon_inode:[signalfd]", "signalfd4": "anon_inode:[signalfd]",
    "timerfd_create": "anon_inode:[timerfd]", "inotify_init": "anon_inode:inotify",
    "inotify_init1": "anon_inode:inotify", "userfaultfd": "anon_inode:[userfaultfd]",
    "pidfd_open": "anon_inode:[pidfd]", "perf_event_open": "anon_inode:[perf_event]",
    "io_uring_setup": "anon_inode:[io_uring]", "fanotify_init": "anon_inode:[fanotify]",
    "fsopen": "anon_inode:[fscontext]", "fspick": "anon_inode:[fscontext]",
    "landlock_create_ruleset": "anon_inode:[landlock-ruleset]",
}
# Calls with a decoder of their own (the `Dec` of a row; the function lives in its subject file).
DEC = {
    "execve": "Execve", "execveat": "Execve", "fcntl": "Fcntl", "socket": "Socket",
    "socketpair": "Socket", "futex": "Futex", "clone": "Clone", "rt_sigreturn": "RtSigreturn",
    "ioctl": "Ioctl", "faccessat2": "Faccessat2", "poll": "Poll", "ppoll": "Poll",
    "quotactl": "Quotactl", "quotactl_fd": "Quotactl", "seccomp": "Seccomp", "bpf": "Bpf", "ptrace": "Ptrace",
    "reboot": "Reboot", "kcmp": "Kcmp", "mount": "Mount", "syslog": "Syslog",
    "fsconfig": "Fsconfig", "prctl": "Commands", "arch_prctl": "Commands",
    "getpriority": "Commands", "setpriority": "Commands", "ioprio_get": "Commands",
    "ioprio_set": "Commands", "msgctl": "Commands", "semctl": "Commands",
    "shmctl": "Commands",
}
# Calls that create tasks (EAGAIN diagnoses: RLIMIT_NPROC, the pids cgroup).
FORK = {"clone", "clone3", "fork", "vfork"}
# Calls that fail with ENOMEM for lack of memory (ENOMEM diagnoses: overcommit, RLIMIT_AS...).
MEMORY_DIAG = {"mmap", "mprotect", "brk", "mremap", "munmap", "madvise", "mlock", "mlock2",
               "mlockall", "shmget", "shmat", "pkey_mprotect"}
# Argument types that carry the data of an I/O call (matched by --match, dumped by -e read=).
PAYLOAD = ("OutBuf", "InBuf(", "XattrVal(", "Iovec(", "IovecOut(", "Msghdr", "MsghdrOut", "Mmsghdr", "MmsghdrOut")


def rust_row(nr, sc):
    decls = MISSING.get(sc, ARGS.get(sc))
    if decls is None:
        decls = []
    tys = [map_arg(sc, i, d) for i, d in enumerate(decls)]
    # A struct sockaddr pointer is followed by its length (bind, connect, sendto) or by a
    # pointer to it (accept, getsockname, recvfrom): the kernel copies the address.
    for i, d in enumerate(decls[:-1]):
        if "struct sockaddr *" in d:
            tys[i] = f"SockaddrOut({i + 1})" if "*" in decls[i + 1] else f"Sockaddr({i + 1})"
    # Structures by C type, where the table below says nothing.
    for i, d in enumerate(decls):
        if tys[i] != "Ptr":
            continue
        if "struct stat *" in d:
            tys[i] = "StatOut"
        elif "struct new_utsname *" in d:
            tys[i] = "UtsnameOut"
    for i, t in OVERRIDES.get(sc, {}).items():
        tys[i] = t
    classes = [c for c, names in CLASS_SETS.items() if sc in names]
    if any(t in ("Path",) for t in tys) or sc in ("execve", "execveat"):
        classes.append(FILE)
    if any(t in ("Fd", "Dirfd") for t in tys) or sc in RET_FD:
        classes.append(DESC)
    cls = " | ".join(f"class::{c}" for c in classes) or "0"
    ret = ("Ret::Fd" if sc in RET_FD else "Ret::Hex" if sc in RET_HEX else "Ret::Noreturn" if sc in NORETURN
           else "Ret::Pid" if sc in RET_PID else "Ret::Octal" if sc in RET_OCTAL
           else "Ret::Time" if sc in RET_TIME else "Ret::Signal" if sc in RET_SIGNAL
           else "Ret::Ioprio" if sc in RET_IOPRIO else "Ret::Ldt" if sc == "modify_ldt"
           else f"Ret::Named(&consts::{RET_NAMED[sc]})" if sc in RET_NAMED else "Ret::Int")
    args = ", ".join(f"Ty::{t}" for t in tys)
    if sc in FX:
        fx = f"Fx::{FX[sc]}"
    elif sc in RET_FD:
        fx = f'Fx::New("{ANON_NAMES.get(sc, "")}")'
    else:
        fx = "Fx::None"
    dec = f"Dec::{DEC.get(sc, 'Generic')}"
    roles = []
    if any(t == p or (p.endswith("(") and t.startswith(p)) for t in tys for p in PAYLOAD):
        roles.append("role::IO")
    if sc in MEMORY_DIAG:
        roles.append("role::MEMORY")
    if sc in FORK:
        roles.append("role::FORK")
    role = " | ".join(roles) or "0"
    return f'    sc({nr}, "{sc}", &[{args}], {cls}, {ret}, {fx}, {dec}, {role}),'


def no_duplicate_keys():
    """A key given twice in a dict literal here silently drops the first: refuse it."""
    import ast
    with open(os.path.abspath(__file__)) as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            twice = sorted({k for k in keys if keys.count(k) > 1})
            if twice:
                sys.exit(f"gen_syscalls.py:{node.lineno}: keys given twice: {twice}")


def main():
    no_duplicate_keys()
    print("//! Generated by xtask/data/gen_syscalls.py from kernel facts: do not edit by hand.")
    print("//! One row per syscall, like strace's syscallent.h: number, name, argument types, classes,")
    print("//! return type, fd effect, decoder, roles.")
    print("use super::{Dec, Elem, Fx, Ret, Syscall, Ty, class, role, sc};")
    print("use crate::decode::consts;\n")
    print("/// The x86_64 table (arch/x86/entry/syscalls/syscall_64.tbl, 64-bit and common ABI).")
    print("#[rustfmt::skip]")
    print("pub static X86_64: &[Syscall] = &[")
    for nr, sc in load_tbl("x86_64.tbl"):
        print(rust_row(nr, sc))
    print("];\n")
    print("/// The i386 table, for 32-bit tasks (`int $0x80`): names and numbers of")
    print("/// arch/x86/entry/syscalls/syscall_32.tbl, argument types by name from the x86_64 table.")
    print("#[rustfmt::skip]")
    print("pub static I386: &[Syscall] = &[")
    for nr, sc in load_tbl("i386.tbl"):
        base = sc
        for suffix in ("64",):
            if base not in ARGS and base not in MISSING and base.endswith(suffix) and base[:-2] in ARGS:
                base = base[:-2]
        row = rust_row(nr, base).replace(f'"{base}"', f'"{sc}"', 1)
        # In/out objects are captured at entry and exit in their x86_64 layouts (16-byte
        # timespecs, 8-byte words): i386 calls show the address or the exit value.
        for ty, old in (("TimespecInOut", "Timespec"), ("TimevalInOut", "Ptr"),
                        ("LoffInOut", "Ptr"), ("FdSet(0)", "Ptr"), ("SchedAttrOut(2)", "Ptr"),
                        ("SchedAttr", "Ptr"), ("AioSigset", "Ptr")):
            row = row.replace(f"Ty::{ty}", f"Ty::{old}")
        print(row)
    print("];")


main()
