//! Types shared by the kernel side (`tracer-ebpf`) and userspace (`tracer`).
//!
//! Everything here is `#[repr(C)]` and `Copy`: it crosses the kernel/user boundary either as a
//! record in the `EVENTS` ring buffer or as a value in a map written by userspace at start-up.
//! The kernel never interprets syscall numbers: which arguments to copy is data
//! ([`SyscallSpec`]), written from userspace's syscall table.
#![no_std]

/// Number of argument registers a syscall can have.
pub const MAX_ARGS: usize = 6;

/// Slots in the `SPECS` map: x86_64 numbers at `0..512`, i386 (compat) numbers at `512..1024`.
pub const SPEC_SLOTS: u32 = 1024;
/// Offset of the i386 table in the `SPECS` map.
pub const COMPAT_BASE: u32 = 512;

/// rt_sigreturn's number on x86_64 and on i386: at its exit `orig_ax` is -1, so the kernel
/// side flags the record (`record_flags::SIGRETURN`) and uses this number for its spec.
pub const NR_RT_SIGRETURN: u32 = 15;
pub const NR_RT_SIGRETURN_I386: u32 = 173;

/// Slots of the `PROGS` program array: the continuations `sys_exit` tail-calls.
pub mod tail {
    /// `sys_exit_iovec`: an iovec array and its data.
    pub const IOVEC: u32 = 0;
    /// `sys_exit_msghdr`: a msghdr, its name, then its iovecs (through `IOVEC`).
    pub const MSGHDR: u32 = 1;
    /// `sys_exit_mmsg`: the data of the next messages of sendmmsg/recvmmsg (through itself).
    pub const MMSG: u32 = 2;
    /// `sys_exit_capture`: one capture op of the spec, then itself for the next one.
    pub const CAPTURE: u32 = 3;
    /// `sys_exit_exec`: a failed exec's argv and environment size.
    pub const EXEC: u32 = 4;
    pub const SLOTS: u32 = 5;
}

/// Number of `u64` words in the `TARGETS` tgid bitmap: covers pids up to 2^22 (the kernel's
/// maximum `pid_max`).
pub const TARGET_WORDS: u32 = 1 << 16;

/// Most cgroups `--cgroup`/`--container` can select at once (slots of the `CGROUPS` array).
pub const MAX_CGROUPS: u32 = 8;

/// Errno values that `ERRNOS` can select (bitmap words of 64 errnos each).
pub const ERRNO_WORDS: u32 = 64;

/// Largest string the kernel copies for one argument (paths: PATH_MAX).
pub const STR_CAP: usize = 4096;
/// Largest socket address copied (`struct sockaddr_storage` is 128 bytes).
pub const ADDR_CAP: u64 = 128;
/// Number of captured-bytes slots in one record.
pub const STR_SLOTS: usize = 4;
/// Size of the per-CPU scratch buffer in which a record is assembled: the header, then up to
/// STR_SLOTS slots of < STR_CAP bytes each (offsets are masked to 4 * STR_CAP for the verifier).
pub const SCRATCH_SIZE: usize = 32768;
/// Most iovecs whose contents are copied (the rest are counted, not shown).
pub const IOV_MAX_COPIED: usize = 16;
/// Bytes of data the small-record path carries inline (read/write buffers with `-s` ≤ 64).
pub const SMALL_DATA: usize = 64;
/// Marks a slot holding the *contents* behind argument `arg` (iovec data), not the argument.
pub const SLOT_CONTENTS: u8 = 0x80;
/// Marks a slot holding a msghdr's msg_name (socket address) for argument `arg`.
pub const SLOT_NAME: u8 = 0x40;
/// Marks a slot holding a msghdr's iovec array for argument `arg`.
pub const SLOT_IOV: u8 = 0x20;
/// The slot holding the user stack (`-k`): the u64 at the user stack pointer, then return
/// addresses as u64s, innermost first.
pub const SLOT_STACK: u8 = 0x10;
/// Marks the slot of an in/out length (`accept`'s `[110 => 16]`): the `u32` the argument
/// points to at exit, then the one it pointed to at entry when that was read (4 or 8 bytes).
pub const SLOT_LEN: u8 = 0x08;
/// Most user stack frames copied per call (`-k`).
pub const STACK_FRAMES: usize = 32;

/// Map and program names, shared so that a rename breaks the build, not the run.
pub mod names {
    pub const EVENTS: &str = "EVENTS";
    pub const TARGETS: &str = "TARGETS";
    pub const CGROUPS: &str = "CGROUPS";
    pub const SPECS: &str = "SPECS";
    pub const CMD_SPECS: &str = "CMD_SPECS";
    pub const ERRNOS: &str = "ERRNOS";
    pub const LOST: &str = "LOST";
    pub const ENTRY_TS: &str = "ENTRY_TS";
    pub const AGG: &str = "AGG";
    pub const SUMMARY: &str = "SUMMARY";
    pub const EXEC_PENDING: &str = "EXEC_PENDING";
    pub const INJECT_NOW: &str = "INJECT_NOW";
    pub const INJECT_RULES: &str = "INJECT_RULES";
    pub const SYS_EXIT: &str = "sys_exit";
    pub const SYS_EXIT_IOVEC: &str = "sys_exit_iovec";
    pub const SYS_EXIT_MSGHDR: &str = "sys_exit_msghdr";
    pub const SYS_EXIT_MMSG: &str = "sys_exit_mmsg";
    pub const SYS_EXIT_EXEC: &str = "sys_exit_exec";
    pub const SYS_EXIT_CAPTURE: &str = "sys_exit_capture";
    pub const SYS_EXIT_NOOP: &str = "sys_exit_noop";
    pub const PROGS: &str = "PROGS";
    pub const SYS_ENTER: &str = "sys_enter";
    pub const SYS_ENTER_EXECVE: &str = "sys_enter_execve";
    pub const SCHED_PROCESS_EXEC: &str = "sched_process_exec";
    pub const SCHED_PROCESS_EXIT: &str = "sched_process_exit";
    pub const SCHED_PROCESS_FORK: &str = "sched_process_fork";
    pub const SIGNAL_DELIVER: &str = "signal_deliver";
    pub const SIGNAL_GENERATE: &str = "signal_generate";
}

/// Names of the load-time globals (`Global<T>` in the kernel side, `override_global` here).
pub mod globals {
    /// u32: the tracer's own tgid, never traced.
    pub const SELF_TGID: &str = "SELF_TGID";
    /// u32: 1 = every process on the host (`-a`), 0 = only the `TARGETS` bitmap.
    pub const TRACE_ALL: &str = "TRACE_ALL";
    /// u32: with TRACE_ALL, the number of `CGROUPS` slots set: only tasks in one of those
    /// cgroups (or below) are traced; 0 = no cgroup filter.
    pub const CGROUP_FILTER: &str = "CGROUP_FILTER";
    /// u32: 1 = children of targets become targets (`-f`).
    pub const FOLLOW_FORKS: &str = "FOLLOW_FORKS";
    /// u32: one of [`super::status_filter`].
    pub const STATUS_FILTER: &str = "STATUS_FILTER";
    /// u32: 1 = stamp records with `bpf_ktime_get_ns`.
    pub const WANT_TIME: &str = "WANT_TIME";
    /// u32: 1 = copy the task's comm into every record.
    pub const WANT_COMM: &str = "WANT_COMM";
    /// u32: 1 = syscall records carry the user stack (`-k`).
    pub const WANT_STACK: &str = "WANT_STACK";
    /// u32: 1 = records carry the user instruction pointer (`-i`).
    pub const WANT_IP: &str = "WANT_IP";
    /// u32: 1 = the enter hook is attached and stores entry times.
    pub const WANT_ENTRY: &str = "WANT_ENTRY";
    /// Bytes read per argv string at an execve's entry, the NUL included (`-s` + 2, at most
    /// 256: enough to tell a string longer than `-s`).
    pub const ARGV_STR: &str = "ARGV_STR";
    /// With `-v`: the environment's strings are copied at an execve's entry too.
    pub const WANT_ENV: &str = "WANT_ENV";
    /// u32: 1 = `-c` without a trace: count calls, errors and time per syscall in `SUMMARY`
    /// and send no syscall records.
    pub const SUMMARY_ONLY: &str = "SUMMARY_ONLY";
    /// u32: failures per key and window sent as samples; more are only counted (`--watch`,
    /// `--metrics`); 0 = every failure is sent.
    pub const AGG_SAMPLES: &str = "AGG_SAMPLES";
    /// u64: the sampling window in ns.
    pub const AGG_WINDOW_NS: &str = "AGG_WINDOW_NS";
    /// u32: bytes of data buffers copied (`-s`, at most STR_CAP - 1).
    pub const BUF_CAP: &str = "BUF_CAP";
    /// u64: pending ring-buffer bytes at which the reader is woken.
    pub const WAKEUP_BYTES: &str = "WAKEUP_BYTES";
    /// u32: 1 = the kernel's `thread_info.status` offset was checked: flag 32-bit calls.
    pub const DETECT_COMPAT: &str = "DETECT_COMPAT";
    /// u32: 1 = `sched_process_exit` has the `group_dead` argument (kernel 6.x).
    pub const EXIT_HAS_GROUP_DEAD: &str = "EXIT_HAS_GROUP_DEAD";
    /// u32: `-e inject=...:signal=` bits: 1 = `INJECT_NOW` (the tracer's one-shot signals
    /// for the calls it answered), 2 = `INJECT_RULES` (counted in the kernel, `-p`).
    pub const INJECT_SIGNALS: &str = "INJECT_SIGNALS";
    /// u32: byte offsets in kernel structures, read from /sys/kernel/btf/vmlinux.
    pub const OFF_TASK_PID: &str = "OFF_TASK_PID";
    pub const OFF_TASK_SIGNAL: &str = "OFF_TASK_SIGNAL";
    pub const OFF_SIGNAL_FLAGS: &str = "OFF_SIGNAL_FLAGS";
    pub const OFF_SIGNAL_GROUP_EXIT_CODE: &str = "OFF_SIGNAL_GROUP_EXIT_CODE";
    pub const OFF_TASK_TGID: &str = "OFF_TASK_TGID";
    /// `task_struct.thread_pid`, `pid.level`, `pid.numbers`, `upid.ns` and the inode number
    /// in `pid_namespace` (`ns.inum`): a new task's pid in its own PID namespace.
    pub const OFF_TASK_THREAD_PID: &str = "OFF_TASK_THREAD_PID";
    pub const OFF_PID_LEVEL: &str = "OFF_PID_LEVEL";
    pub const OFF_PID_NUMBERS: &str = "OFF_PID_NUMBERS";
    pub const OFF_UPID_NS: &str = "OFF_UPID_NS";
    pub const OFF_PIDNS_INUM: &str = "OFF_PIDNS_INUM";
    pub const OFF_TASK_MM: &str = "OFF_TASK_MM";
    pub const OFF_TASK_EXIT_CODE: &str = "OFF_TASK_EXIT_CODE";
    pub const OFF_TASK_COMM: &str = "OFF_TASK_COMM";
    pub const OFF_TASK_STATUS: &str = "OFF_TASK_STATUS";
    pub const OFF_MM_ARG_START: &str = "OFF_MM_ARG_START";
    pub const OFF_MM_START_CODE: &str = "OFF_MM_START_CODE";
    pub const OFF_MM_END_CODE: &str = "OFF_MM_END_CODE";
    pub const OFF_MM_ARG_END: &str = "OFF_MM_ARG_END";
    pub const OFF_MM_ENV_END: &str = "OFF_MM_ENV_END";
    pub const OFF_TASK_BLOCKED: &str = "OFF_TASK_BLOCKED";
    pub const OFF_TASK_STATE: &str = "OFF_TASK_STATE";
    pub const OFF_BPRM_FILENAME: &str = "OFF_BPRM_FILENAME";
    pub const OFF_BPRM_FDPATH: &str = "OFF_BPRM_FDPATH";
}

/// Values of the `STATUS_FILTER` global.
pub mod status_filter {
    pub const ANY: u32 = 0;
    pub const FAILED: u32 = 1;
    pub const SUCCESSFUL: u32 = 2;
    /// Failed with an errno whose bit is set in `ERRNOS`.
    pub const ERRNO_SET: u32 = 3;
}

/// What to copy from user memory for one argument, with its parameter in
/// [`SyscallSpec::params`]. Everything is read at syscall exit: output buffers then hold what
/// the kernel wrote, input buffers still hold what the program passed.
pub mod capture {
    pub const NONE: u8 = 0;
    /// A NUL-terminated string (path, name).
    pub const CSTR: u8 = 1;
    /// A socket address whose length is argument `param`, capped at [`super::ADDR_CAP`].
    pub const ADDR_LEN_ARG: u8 = 2;
    /// A socket address filled by the kernel; argument `param` points to its `u32` length.
    /// Only when the call succeeded.
    pub const ADDR_LENPTR_ARG: u8 = 3;
    /// Data whose length is the return value (read, recv), at most the buffer's size
    /// (argument `param`: recv's `MSG_TRUNC` returns more than it filled): only on success,
    /// capped at the `BUF_CAP` global (`-s`).
    pub const DATA_RET: u8 = 4;
    /// A structure of `param` bytes (timespec, rlimit, sigaction...), whatever the result.
    pub const FIXED: u8 = 5;
    /// A structure of `param` bytes written by the kernel (stat, uname): only on success.
    pub const FIXED_OUT: u8 = 6;
    /// An array: `param & 0xff` bytes per element, count in argument `param >> 8` (pollfd).
    pub const ARRAY_ARG: u8 = 7;
    /// An iovec array of argument `param` entries and the data they point to (writev: each
    /// iov_len; readv: the return value in total), data capped at `BUF_CAP`.
    pub const IOVEC_ARG: u8 = 8;
    /// Data whose length is argument `param` (write, send), capped at `BUF_CAP`.
    pub const DATA_LEN_ARG: u8 = 9;
    /// A NUL-terminated string written by the kernel (getcwd): only on success.
    pub const CSTR_OUT: u8 = 10;
    /// Data written by the kernel whose length is the return value, not NUL-terminated
    /// (readlink, getdents64): only on success, capped at STR_CAP - 1.
    pub const PATH_RET: u8 = 11;
    /// An array written by the kernel of `ret` elements of `param` bytes (epoll_wait): only on
    /// success, capped at STR_CAP - 1.
    pub const ARRAY_RET: u8 = 12;
    /// A `struct user_msghdr` (sendmsg/recvmsg; param 1: the first `struct mmsghdr` of
    /// sendmmsg/recvmmsg): the header, its msg_name, its iovec array and their data.
    pub const MSGHDR: u8 = 13;
    /// An in/out `u32` length (socklen_t) the argument points to: the value at entry (saved
    /// by sys_enter when it is attached) and at exit, in a [`super::SLOT_LEN`] slot.
    pub const INOUT_LEN: u8 = 14;
    /// Bytes as long as argument `param - 1` says (16 when `param` is 0), and when they are
    /// 16, a `struct sock_fprog` (u16 len @0, filter @8): its `len` 8-byte instructions after
    /// it in the slot, as far as they are readable (classic BPF programs: socket filters,
    /// seccomp).
    pub const FPROG: u8 = 15;
    /// Bytes the kernel reads and rewrites (select's fd sets, a timeout that becomes the time
    /// left, sendfile's offset): as they were at entry (saved by sys_enter when it is
    /// attached) and at exit. `param` is the size n (at most [`super::INOUT_SEG`]) or, with
    /// [`super::INOUT_FDSET`], an fd set as long as argument `param & 7` (nfds) needs. The
    /// slot: `u16` n, `u16` bit 0: the exit bytes were read, bit 1: the entry bytes were
    /// saved, then n bytes at exit, then n bytes at entry.
    pub const INOUT_BYTES: u8 = 16;
    /// recvmsg's msg_namelen at entry, `param` bytes into the msghdr: saved by sys_enter
    /// (when attached) for the msghdr continuation, which puts it after the header it copies
    /// (flag [`super::record_flags::NAMELEN_IN`]) and reads no more of the name than it
    /// allowed. No slot of its own.
    pub const NAMELEN_AT_ENTRY: u8 = 17;
    /// A `struct iovec` at argument `arg` and up to `param` bytes of what it points to, in
    /// one slot: the 16 bytes, then the data as far as it is readable (ptrace's
    /// PTRACE_GETREGSET/SETREGSET register sets). Read by the msghdr continuation, as the
    /// spec's `iov` op.
    pub const IOVEC_ONE: u8 = 18;
    /// An array behind a pointer in the structure at argument `arg` (clone3's set_tid): the
    /// pointer is the `u64` at `(param & 0xf) * 8`, the element count the `u64` at
    /// `(param >> 4 & 0xf) * 8`, elements are `param >> 8 & 0xf` bytes, and at most
    /// `1 << (param >> 12)` of them are read (more: no slot). Read by the msghdr
    /// continuation, as the spec's `iov` op, into a slot of its own.
    pub const INDIRECT_ARRAY: u8 = 19;
    /// A failed exec's argv at argument `arg` (its memory is still the caller's at exit) as
    /// an [`super::exec_args`] list slot, and a slot of two `u32`s for argument `arg + 1`
    /// (envp): the number of environment variables and the `exec_args` flags. Only when the
    /// call failed. Read by the `sys_exit_exec` continuation, as the spec's `iov` op.
    pub const STR_LIST: u8 = 20;
}

/// Most bytes an [`capture::INOUT_BYTES`] op keeps per side (an fd set of 2048 fds).
pub const INOUT_SEG: usize = 256;
/// [`capture::INOUT_BYTES`]'s parameter flag: an fd set sized by the nfds argument.
pub const INOUT_FDSET: u16 = 0x8000;

/// The size in bytes of an [`capture::INOUT_BYTES`] op's object: a fixed size, or an fd set
/// of `nfds` fds as strace reads it (whole 8-byte words), capped at [`INOUT_SEG`].
#[inline(always)]
pub fn inout_size(param: u16, nfds: u64) -> usize {
    if param & INOUT_FDSET != 0 {
        let n = (nfds as i32).clamp(0, (INOUT_SEG * 8) as i32) as usize;
        (n.div_ceil(8) + 7) & !7
    } else {
        (param as usize).min(INOUT_SEG)
    }
}

/// One thing to copy: a [`capture`] kind, the argument it applies to, and its parameter.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureOp {
    pub kind: u8,
    pub arg: u8,
    pub param: u16,
}

/// Entries of the `CMD_SPECS` map: capture specs per (syscall, command).
pub const CMD_SPEC_SLOTS: u32 = 1024;

/// The `CMD_SPECS` key of a syscall's spec slot and a command value (its low 32 bits).
#[inline(always)]
pub fn cmd_spec_key(slot: u32, value: u64) -> u64 {
    u64::from(slot) << 32 | (value & 0xffff_ffff)
}

/// Most captures per syscall (besides one iovec array); straight-line code in the kernel.
pub const MAX_OPS: usize = 4;

/// Per-syscall instructions for the kernel side, indexed by syscall number.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallSpec {
    /// [`spec_flags`] bits.
    pub flags: u8,
    /// 1 + the argument whose value is a command that decides what the other arguments are
    /// (prctl's option): the continuations take the captures from the `CMD_SPECS` entry of
    /// key `slot << 32 | value as u32` when there is one ([`cmd_spec_key`]); 0: none.
    pub cmd_arg: u8,
    pub _pad: [u8; 2],
    /// Captures in argument order; unused ones have kind NONE.
    pub ops: [CaptureOp; MAX_OPS],
    /// An iovec array and its data (kind IOVEC_ARG), or NONE.
    pub iov: CaptureOp,
}

pub mod spec_flags {
    /// Emit records for this syscall.
    pub const TRACE: u8 = 1;
    /// Some argument is copied: the record is assembled in scratch space (else it is written
    /// straight into the ring buffer).
    pub const HAS_STRINGS: u8 = 2;
    /// The call fills its iovecs (readv, preadv, recvmsg): their data is `ret` bytes long.
    pub const OUT_DATA: u8 = 4;
    /// Sent whatever its result (the status/errno filter does not apply): calls that create or
    /// close fds, which userspace needs to keep its fd table right (-y, provenance).
    pub const ALWAYS: u8 = 8;
    /// Records without strings or with one small data slot go out as
    /// [`super::CompactRecord`]s: the call has at most three arguments and the run wants
    /// none of what only a full [`super::Record`] carries (comm, entry time, -i, -k).
    pub const COMPACT: u8 = 16;
}

/// Per-CPU bookkeeping of the kernel side (the `LOST` map).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuState {
    /// Records not written because the ring buffer was full, since the last one that was.
    pub lost: u64,
    /// Records written since the ring buffer's fill level was last looked at.
    pub since_query: u64,
    /// `bpf_ktime_get_ns` of this CPU's last forced wake-up of the reader.
    pub woken_ns: u64,
}

/// Every this many records per CPU, the kernel checks whether to wake the reader.
pub const WAKEUP_CHECK_EVERY: u64 = 64;

/// Least time between two forced wake-ups from one CPU. Each one raises an irq_work, a
/// self-IPI (on a VM, an exit to the hypervisor: measured at 13% of a traced dd's time when
/// the reader was already awake and behind, woken every 64 records).
pub const WAKEUP_GAP_NS: u64 = 1_000_000;

/// Kinds of record in the `EVENTS` ring buffer.
pub mod kind {
    /// A completed syscall (sys_exit).
    pub const SYSCALL: u8 = 1;
    /// A successful exec (sched_process_exec): string 0 = filename, string 1 = the argv strings
    /// followed by the environment strings (NUL-separated, as on the new stack); `ret` = the
    /// length of the argv part; with `-k`, `args[0..2]` = the new image's code range
    /// (`mm->start_code`, `end_code`); `args[2]` = the task's cgroup v2 id.
    pub const EXEC: u8 = 2;
    /// A task exited (sched_process_exit): `aux` = exit_code, `nr`/`args` = the call it was in.
    pub const EXIT: u8 = 3;
    /// A traced task forked (sched_process_fork): `aux` = child tid, `ret` = child tgid.
    pub const FORK: u8 = 4;
    /// A signal was delivered to a traced task (signal_deliver): `aux` = the signal, `args` =
    /// the 48-byte `kernel_siginfo`, `ret` = the handler (0 = SIG_DFL, 1 = SIG_IGN, else a
    /// function).
    pub const SIGNAL: u8 = 5;
    /// A completed syscall in a [`super::CompactRecord`]: half the ring-buffer bytes of a
    /// SYSCALL record (sent for calls of at most three arguments and at most one small data
    /// slot when the run asks for no comm, entry time, instruction pointer or stack).
    pub const SYSCALL_COMPACT: u8 = 6;
    /// An execve/execveat at entry (`syscalls:sys_enter_execve(at)`, while the caller's memory
    /// is still there): `nr` = the call, `args[0]`/`args[1]` = the argv/envp pointers,
    /// `args[2]`/`args[3]` = execveat's dirfd and flags, `ret` =
    /// the number of environment variables, `aux` = [`exec_args`] flags; the slot of the argv
    /// argument holds its elements (see [`exec_args`]), with `-v` the slot of envp too.
    pub const EXEC_ARGS: u8 = 7;
}

/// The layout of a [`kind::EXEC_ARGS`] record. A list slot holds one entry per element, each
/// 8-byte aligned: the `u64` pointer, an `i32` (what `bpf_probe_read_user_str` returned: the
/// bytes copied with the NUL, or a negative errno), 4 zero bytes, then the bytes copied
/// (at most [`globals::ARGV_STR`] with the NUL), padded to 8.
pub mod exec_args {
    /// Most elements copied per list (strace prints at most `-s` of them).
    pub const MAX_ELEMS: usize = 64;
    /// Most environment variables counted.
    pub const MAX_ENV: u32 = 512;
    /// Bytes of an entry before its string.
    pub const ENTRY_HEAD: usize = 16;
    /// `aux`: argv has more elements than were copied.
    pub const ARGV_MORE: u32 = 1;
    /// `aux`: argv's pointer array became unreadable after the copied elements.
    pub const ARGV_FAULT: u32 = 2;
    /// `aux`: the environment's array became unreadable before its NULL (`unterminated`).
    pub const ENV_FAULT: u32 = 4;
    /// `aux`: the environment has more than [`MAX_ENV`] variables.
    pub const ENV_CAPPED: u32 = 8;
    /// `aux`: (-v) the environment has more elements than were copied.
    pub const ENV_MORE: u32 = 16;
    /// `aux`: (-v) the environment's array became unreadable after the copied elements.
    pub const ENV_LIST_FAULT: u32 = 32;
}

/// Bits of [`Record::flags`].
pub mod record_flags {
    /// The call came from a 32-bit (i386) task: `nr` and `args` follow the i386 ABI.
    pub const COMPAT: u8 = 1;
    /// EXIT: the whole thread group died with this task.
    pub const GROUP_DEAD: u8 = 2;
    /// SYSCALL: `orig_ax` was -1 at exit (rt_sigreturn).
    pub const SIGRETURN: u8 = 4;
    /// SYSCALL, aggregation on: the `AGG` map was full, so this failure is counted nowhere
    /// else; userspace counts it.
    pub const UNCOUNTED: u8 = 8;
    /// EXEC: the exec was an execveat relative to a dirfd (`bprm->fdpath` set). A successful
    /// execveat returns with `orig_ax` = execve's number (`set_personality_64bit` rewrites it),
    /// so this is how userspace tells them apart.
    pub const EXECVEAT: u8 = 16;
    /// SIGNAL: sent by `signal_generate`, discarded at once because the task ignores it;
    /// `comm` is the sender's.
    pub const IGNORED_SIGNAL: u8 = 32;
    /// SIGNAL (ignored): the receiver was asleep, in a syscall: strace would show the signal
    /// after that call returns, so userspace prints it after the receiver's next call.
    pub const AFTER_CALL: u8 = 64;
    /// SYSCALL (recvmsg): the msghdr slot holds msg_namelen as it was at entry (a `u32`)
    /// right after the 56-byte header, before the control messages. (The bit is
    /// GROUP_DEAD's on EXIT records.)
    pub const NAMELEN_IN: u8 = 2;
    /// SYSCALL, set by the tracer (never by the kernel) on a call it answered through its
    /// seccomp listener: `-e inject=` made it fail or return its value. Kept in captures.
    pub const INJECTED: u8 = 128;
    /// SYSCALL, set by the tracer: `-e inject=...:delay_enter=`/`delay_exit=` held the call.
    /// (The bit is EXECVEAT's on EXEC records; flags are per kind.)
    pub const DELAYED: u8 = 16;
}

/// Status of one captured string.
pub mod str_status {
    pub const ABSENT: u8 = 0;
    pub const OK: u8 = 1;
    /// The string filled the cap without a NUL: more followed.
    pub const TRUNCATED: u8 = 2;
    /// Reading user memory failed (bad pointer or page not present).
    pub const FAULT: u8 = 3;
    /// No NUL before an unreadable page: the bytes up to it (strace shows the first -s of
    /// them and `...` when there are that many, else the pointer).
    pub const PAGE_END: u8 = 4;
}

/// One captured string: its argument index, status and byte length (no NUL).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StrMeta {
    pub arg: u8,
    pub status: u8,
    pub len: u16,
}

/// The fixed part of every ring-buffer record; captured string bytes follow it, in slot order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Record {
    /// A [`kind`] value.
    pub kind: u8,
    /// [`record_flags`] bits.
    pub flags: u8,
    /// SYSCALL with `-i`: bits 32..48 of the instruction pointer (the low half is `aux`).
    pub ip_hi: u16,
    /// Syscall number (ABI given by `flags`), or -1.
    pub nr: i32,
    pub tgid: u32,
    pub tid: u32,
    /// Records this CPU failed to write (ring buffer full) just before this one.
    pub lost_before: u32,
    /// Kind-specific: EXIT exit_code, FORK child tid, EXEC old tid, SIGNAL the signal;
    /// SYSCALL with `-i`: the low half of the instruction pointer.
    pub aux: u32,
    /// `bpf_ktime_get_ns` at the event, when times were asked for; else 0.
    pub ts_ns: u64,
    /// `bpf_ktime_get_ns` at syscall entry, when the enter hook runs; else 0. SIGNAL with
    /// `-i`: the task's instruction pointer.
    pub enter_ns: u64,
    pub args: [u64; MAX_ARGS],
    pub ret: i64,
    pub comm: [u8; 16],
    pub strs: [StrMeta; STR_SLOTS],
}

/// Size of [`Record`] on the wire.
pub const RECORD_SIZE: usize = core::mem::size_of::<Record>();

/// A [`kind::SYSCALL_COMPACT`] record: a [`Record`] of a call with at most three arguments and
/// at most one captured slot, without comm, entry time or instruction pointer. Its one
/// slot's bytes follow it. The hot path of a busy process (read and write of small buffers,
/// calls without data) writes 64 bytes of header to the ring instead of 128: the ring's cache
/// lines, which move to the reader's CPU, are most of a record's cost.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CompactRecord {
    /// [`kind::SYSCALL_COMPACT`].
    pub kind: u8,
    /// [`record_flags`] bits, at the same offset as in [`Record`].
    pub flags: u8,
    /// The slot's argument and [`str_status`] (ABSENT: no slot).
    pub slot_arg: u8,
    pub slot_status: u8,
    pub nr: i32,
    pub tgid: u32,
    pub tid: u32,
    pub lost_before: u32,
    /// The slot's byte length.
    pub slot_len: u16,
    pub _pad: u16,
    pub ts_ns: u64,
    pub ret: i64,
    pub args: [u64; COMPACT_ARGS],
}

/// Arguments a [`CompactRecord`] carries.
pub const COMPACT_ARGS: usize = 3;
/// Size of [`CompactRecord`] on the wire.
pub const COMPACT_SIZE: usize = core::mem::size_of::<CompactRecord>();
const _: () = assert!(COMPACT_SIZE == 64);

/// Key of the kernel's failure aggregation (`AGG`): process, syscall slot, errno.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AggKey {
    pub tgid: u32,
    /// Syscall number, plus [`COMPAT_BASE`] for i386.
    pub slot: u32,
    pub errno: u32,
    pub _pad: u32,
}

/// Value of `AGG`: exact counts, whatever was sent or dropped.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AggVal {
    /// Failures made (atomic add).
    pub count: u64,
    /// Samples the kernel tried to send (delivered or dropped).
    pub sent: u64,
    pub first_ns: u64,
    pub last_ns: u64,
    pub window_ns: u64,
    pub window_sent: u64,
}

/// Per-CPU totals of one syscall slot (the `SUMMARY` map, `-c` without a trace).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryVal {
    pub calls: u64,
    pub errors: u64,
    /// Time from entry to exit, summed (calls without a seen entry add nothing).
    pub ns: u64,
    /// Shortest and longest timed call.
    pub min_ns: u64,
    pub max_ns: u64,
    /// Calls per [`latency_bucket`] of their duration.
    pub hist: [u64; LATENCY_BUCKETS],
}

/// log2 buckets of call durations: bucket 0 holds 0 ns, bucket b ≥ 1 holds
/// [2^(b-1), 2^b) ns; the last one everything from 2^(LATENCY_BUCKETS-2) ns (~275 s) on.
pub const LATENCY_BUCKETS: usize = 40;

/// The bucket of a duration in ns (straight-line code: the kernel side uses it too).
#[inline(always)]
pub fn latency_bucket(ns: u64) -> usize {
    // 64 - leading zeros, in shifts the verifier needs no loop for.
    let (mut v, mut b) = (ns, 0usize);
    if v >= 1 << 32 {
        v >>= 32;
        b += 32;
    }
    if v >= 1 << 16 {
        v >>= 16;
        b += 16;
    }
    if v >= 1 << 8 {
        v >>= 8;
        b += 8;
    }
    if v >= 1 << 4 {
        v >>= 4;
        b += 4;
    }
    if v >= 1 << 2 {
        v >>= 2;
        b += 2;
    }
    if v >= 1 << 1 {
        v >>= 1;
        b += 1;
    }
    b += v as usize;
    if b >= LATENCY_BUCKETS {
        LATENCY_BUCKETS - 1
    } else {
        b
    }
}

impl Default for SummaryVal {
    fn default() -> Self {
        Self {
            calls: 0,
            errors: 0,
            ns: 0,
            min_ns: 0,
            max_ns: 0,
            hist: [0; LATENCY_BUCKETS],
        }
    }
}

#[cfg(feature = "user")]
mod pod {
    // SAFETY: plain `#[repr(C)]` data, all fields integers.
    unsafe impl aya::Pod for super::SummaryVal {}
    // SAFETY: plain `#[repr(C)]` data, all fields integers.
    unsafe impl aya::Pod for super::AggKey {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::AggVal {}
    // SAFETY: plain `#[repr(C)]` data without padding holes that matter; any bit pattern is valid.
    unsafe impl aya::Pod for super::SyscallSpec {}
    // SAFETY: as above.
    unsafe impl aya::Pod for super::CpuState {}
    // SAFETY: as above; four u32.
    unsafe impl aya::Pod for super::InjectRule {}
}

/// `-e inject=SET:signal=SIG` on `-p` targets: the kernel counts the calls itself (strace's
/// `when=` per thread and syscall) and signals the thread at the call's exit. One per slot
/// of `INJECT_RULES`; `sig` 0 = none.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InjectRule {
    pub sig: u32,
    /// strace's `when=FIRST..LAST+STEP`: the first occurrence injected (1-based), how many
    /// occurrences are considered at all ([`INJECT_LAST_INF`]: no end), and the step after
    /// the first (0: only the first).
    pub first: u32,
    pub last: u32,
    pub step: u32,
}

/// [`InjectRule::last`] without an end.
pub const INJECT_LAST_INF: u32 = u32::MAX;

/// A thread's count for one rule: the [`InjectRule`] `first`/`last` counters as they run
/// down (strace's per-tcb copy of its inject options).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InjectCount {
    pub first: u32,
    pub last: u32,
}

impl InjectCount {
    pub fn new(rule: &InjectRule) -> Self {
        InjectCount {
            first: rule.first,
            last: rule.last,
        }
    }

    /// One more occurrence of the call: whether it is injected (strace's
    /// `tamper_with_syscall_entering` arithmetic, so `when=` means what it means there).
    #[inline(always)]
    pub fn fires(&mut self, step: u32) -> bool {
        if self.first == 0 || self.last == 0 {
            return false;
        }
        if self.last != INJECT_LAST_INF {
            self.last -= 1;
        }
        self.first -= 1;
        if self.first != 0 {
            return false;
        }
        self.first = step;
        true
    }
}
