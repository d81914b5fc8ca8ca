//! Rare scheduler events: exec (execve's filename and argv, which are gone from the registers
//! once execve succeeds), exit (exit/exit_group never reach sys_exit) and fork (`-f`: children
//! become targets before they run). Kernel structure offsets come from userspace, read from
//! /sys/kernel/btf/vmlinux, so these use `bpf_probe_read_kernel`.
//!
//! Prototypes: include/trace/events/sched.h (`sched_process_exec(p, old_pid, bprm)`,
//! `sched_process_exit(p[, group_dead])`, `sched_process_fork(parent, child)`).
use aya_ebpf::{
    bindings::pt_regs,
    helpers::{
        bpf_get_current_comm, bpf_get_current_pid_tgid, bpf_get_current_uid_gid,
        bpf_probe_read_kernel,
        generated::{bpf_get_current_cgroup_id, bpf_get_current_task_btf, bpf_task_pt_regs},
    },
    macros::btf_tracepoint,
    programs::BtfTracePointContext,
};
use tracer_common::{STR_CAP, kind, record_flags};

use crate::{
    filter::{in_bitmap, is_compat, is_target, set_target},
    maps::{
        CGROUP_FILTER, EXEC_PENDING, EXIT_HAS_GROUP_DEAD, FOLLOW_FORKS, OFF_BPRM_FDPATH,
        OFF_BPRM_FILENAME, OFF_MM_ARG_END, OFF_MM_ARG_START, OFF_MM_END_CODE, OFF_MM_ENV_END,
        OFF_MM_START_CODE, OFF_PID_LEVEL, OFF_PID_NUMBERS, OFF_PIDNS_INUM, OFF_SIGNAL_FLAGS,
        OFF_SIGNAL_GROUP_EXIT_CODE, OFF_TASK_EXIT_CODE, OFF_TASK_MM, OFF_TASK_PID, OFF_TASK_SIGNAL,
        OFF_TASK_STATE, OFF_TASK_TGID, OFF_TASK_THREAD_PID, OFF_UPID_NS, TRACE_ALL, WANT_IP,
        WANT_STACK,
    },
    record::{Builder, header, send_fixed},
};

/// The user instruction pointer saved in `task`'s pt_regs.
#[inline(always)]
fn user_ip(task: *const u8) -> u64 {
    // SAFETY: a helper taking a BTF task pointer, then a probe read of the saved registers.
    unsafe {
        let regs = bpf_task_pt_regs(task as *mut _) as *const pt_regs;
        bpf_probe_read_kernel(&raw const (*regs).rip).unwrap_or(0)
    }
}

#[inline(always)]
fn read_at<T: Copy + Default>(base: *const u8, off: u32) -> T {
    // SAFETY: bpf_probe_read_kernel checks the address; a fault yields the default.
    unsafe { bpf_probe_read_kernel(base.add(off as usize).cast::<T>()).unwrap_or_default() }
}

#[btf_tracepoint(function = "sched_process_exec")]
pub fn sched_process_exec(ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    if !is_target(tgid) {
        // The started command: from its exec on (the execve's own exit included).
        match EXEC_PENDING.get_ptr_mut(0) {
            // SAFETY: a live map value.
            Some(p) if tgid != 0 && unsafe { *p } == tgid => unsafe { *p = 0 },
            _ => return 0,
        }
        set_target(tgid, true);
    }
    let task: *const u8 = ctx.arg(0);
    let old_pid: i32 = ctx.arg(1);
    let bprm: *const u8 = ctx.arg(2);
    let Some(mut b) = Builder::new(header(kind::EXEC, pid_tgid)) else {
        return 0;
    };
    b.rec().aux = old_pid as u32;
    let filename: u64 = read_at(bprm, OFF_BPRM_FILENAME.load());
    b.kernel_str(0, filename);
    let fdpath: u64 = read_at(bprm, OFF_BPRM_FDPATH.load());
    if fdpath != 0 {
        b.rec().flags |= record_flags::EXECVEAT;
    }
    let mm: u64 = read_at(task, OFF_TASK_MM.load());
    let start: u64 = read_at(mm as *const u8, OFF_MM_ARG_START.load());
    let end: u64 = read_at(mm as *const u8, OFF_MM_ARG_END.load());
    let env_end: u64 = read_at(mm as *const u8, OFF_MM_ENV_END.load());
    if WANT_STACK.load() != 0 {
        // Where the executable's code is: -k places its frames even after it exited.
        b.rec().args[0] = read_at(mm as *const u8, OFF_MM_START_CODE.load());
        b.rec().args[1] = read_at(mm as *const u8, OFF_MM_END_CODE.load());
    }
    // The cgroup the new image runs in (a container's): known even if the process is gone
    // before userspace could read /proc.
    // SAFETY: helper without arguments.
    b.rec().args[2] = unsafe { bpf_get_current_cgroup_id() };
    // argv then the environment: contiguous on the new stack.
    b.rec().ret = end.saturating_sub(start) as i64;
    b.user_bytes(
        1,
        start,
        env_end.max(end).saturating_sub(start),
        STR_CAP as u64 - 1,
    );
    b.send();
    0
}

#[btf_tracepoint(function = "sched_process_exit")]
pub fn sched_process_exit(ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    if !is_target(tgid) {
        return 0;
    }
    let task: *const u8 = ctx.arg(0);
    let group_dead = if EXIT_HAS_GROUP_DEAD.load() != 0 {
        let g: u64 = ctx.arg(1);
        g & 0xff != 0
    } else {
        tgid == pid_tgid as u32
    };
    if group_dead && TRACE_ALL.load() == 0 {
        set_target(tgid, false);
    }
    let mut rec = header(kind::EXIT, pid_tgid);
    rec.aux = read_at::<u32>(task, OFF_TASK_EXIT_CODE.load());
    if group_dead {
        rec.flags |= record_flags::GROUP_DEAD;
    }
    // SAFETY: helper taking the BTF task pointer given to this tracepoint.
    let regs = unsafe { bpf_task_pt_regs(task as *mut _) } as *const pt_regs;
    // SAFETY: probe reads of the task's saved user registers.
    if let Ok(r) = unsafe { bpf_probe_read_kernel(regs) } {
        rec.nr = r.orig_rax as i32;
        if is_compat(&r) {
            // exit/exit_group called through int $0x80: i386 number and argument order.
            rec.flags |= record_flags::COMPAT;
            let w = |v: u64| v & 0xffff_ffff;
            rec.args = [w(r.rbx), w(r.rcx), w(r.rdx), w(r.rsi), w(r.rdi), w(r.rbp)];
        } else {
            rec.args = [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9];
        }
    }
    send_fixed(rec, false);
    0
}

#[btf_tracepoint(function = "sched_process_fork")]
pub fn sched_process_fork(ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    if TRACE_ALL.load() != 0 || !is_target(tgid) || !in_bitmap(tgid) {
        return 0;
    }
    let child: *const u8 = ctx.arg(1);
    let child_tid: u32 = read_at(child, OFF_TASK_PID.load());
    let child_tgid: u32 = read_at(child, OFF_TASK_TGID.load());
    if child_tgid != tgid {
        if FOLLOW_FORKS.load() == 0 {
            return 0;
        }
        set_target(child_tgid, true);
    }
    let mut rec = header(kind::FORK, pid_tgid);
    rec.aux = child_tid;
    rec.ret = child_tgid as i64;
    // In a PID namespace below the first: the child's pid there and the namespace (pid
    // arguments of its calls are in it; it may be gone before /proc could say).
    if OFF_TASK_THREAD_PID.load() != 0 {
        let pid: u64 = read_at(child, OFF_TASK_THREAD_PID.load());
        let pid = pid as *const u8;
        let level: u32 = read_at(pid, OFF_PID_LEVEL.load());
        if level > 0 && level < 32 {
            let upid = OFF_PID_NUMBERS.load() + level * 16;
            let nr: u32 = read_at(pid, upid);
            let ns: u64 = read_at(pid, upid + OFF_UPID_NS.load());
            let inum: u32 = read_at(ns as *const u8, OFF_PIDNS_INUM.load());
            rec.args[0] = u64::from(nr);
            rec.args[1] = u64::from(inum);
            rec.args[2] = u64::from(level);
        }
    }
    send_fixed(rec, false);
    0
}

/// `trace_signal_deliver(sig, info, ka)` in get_signal(): the signal a traced task is about to
/// handle, ignore or die of, with its siginfo (strace's `--- SIGCHLD {si_signo=...} ---`).
/// Not for the SIGKILL of a group exit (no siginfo; strace shows none either).
#[btf_tracepoint(function = "signal_deliver")]
pub fn signal_deliver(ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    if !is_target((pid_tgid >> 32) as u32) {
        return 0;
    }
    let sig: i32 = ctx.arg(0);
    let info: *const u8 = ctx.arg(1);
    let ka: *const u8 = ctx.arg(2);
    if (info as usize) < 4096 {
        return 0;
    }
    let mut rec = header(kind::SIGNAL, pid_tgid);
    rec.aux = sig as u32;
    if WANT_IP.load() != 0 {
        rec.enter_ns = user_ip(unsafe { bpf_get_current_task_btf() } as *const u8);
    }
    // SAFETY: probe reads of the kernel's siginfo (48 bytes: signo, errno, code, the union)
    // and of the action's first word (sa_handler); faults read as zero.
    unsafe {
        rec.args = bpf_probe_read_kernel(info.cast::<[u64; 6]>()).unwrap_or_default();
        rec.ret = bpf_probe_read_kernel(ka.cast::<i64>()).unwrap_or(0);
    }
    send_fixed(rec, false);
    0
}

/// `trace_signal_generate(sig, info, task, group, result)`: a signal sent to a traced task
/// that the kernel discards at once because the task ignores it (SIG_IGN, or SIG_DFL of
/// SIGCHLD, SIGURG, SIGWINCH): it is never delivered, but strace (whose ptrace makes the
/// kernel queue it) shows it, so it is sent here as the receiver's. Runs in the sender.
///
/// Also a fatal signal the kernel acts on at once: when nothing ptraces the receiver, a
/// signal whose default action kills without a core (SIGTERM, SIGUSR1 without a handler...)
/// is turned into a group exit in `complete_signal` and never reaches `signal_deliver`
/// (the task dies of a SIGKILL instead); strace's ptrace prevents that shortcut and shows it.
#[btf_tracepoint(function = "signal_generate")]
pub fn signal_generate(ctx: BtfTracePointContext) -> i32 {
    /// `TRACE_SIGNAL_DELIVERED`, `TRACE_SIGNAL_IGNORED` in include/trace/events/signal.h.
    const DELIVERED: i32 = 0;
    const IGNORED: i32 = 1;
    let result: i32 = ctx.arg(4);
    if result != IGNORED && result != DELIVERED {
        return 0;
    }
    // Under a cgroup filter the receiver's cgroup cannot be checked from here (the sender's
    // context): ignored signals are not reported.
    if CGROUP_FILTER.load() != 0 {
        return 0;
    }
    let task: *const u8 = ctx.arg(2);
    let tgid: u32 = read_at(task, OFF_TASK_TGID.load());
    if !is_target(tgid) {
        return 0;
    }
    let sig: i32 = ctx.arg(0);
    if result == DELIVERED && !group_exit_by(task, sig) {
        return 0;
    }
    let tid: u32 = read_at(task, OFF_TASK_PID.load());
    let info: *const u8 = ctx.arg(1);
    let mut rec = header(kind::SIGNAL, (u64::from(tgid) << 32) | u64::from(tid));
    rec.aux = sig as u32;
    if result == IGNORED {
        rec.ret = 1;
        rec.flags |= record_flags::IGNORED_SIGNAL;
    }
    // Not running (TASK_RUNNING is 0): asleep in a syscall, where the signal would be seen
    // on its way out. Sent to itself: in the call that sent it (kill, tgkill, or the exit
    // of an injected call).
    if read_at::<u32>(task, OFF_TASK_STATE.load()) != 0 || tid == bpf_get_current_pid_tgid() as u32
    {
        rec.flags |= record_flags::AFTER_CALL;
    }
    // The sender's name (the receiver's is known): a SIGCHLD's child may be reaped before
    // userspace could look it up for -Y. A fatal signal's record is the receiver's: no name.
    if result == IGNORED {
        rec.comm = bpf_get_current_comm().unwrap_or_default();
    }
    if WANT_IP.load() != 0 {
        rec.enter_ns = user_ip(task);
    }
    match info as usize {
        // SEND_SIG_NOINFO: from user space (kill), by the current task.
        0 => {
            let sender = bpf_get_current_pid_tgid() >> 32;
            let uid = bpf_get_current_uid_gid() & 0xffff_ffff;
            rec.args[0] = sig as u32 as u64;
            rec.args[2] = sender | (uid << 32);
        }
        // SEND_SIG_PRIV: from the kernel (si_code @8 = SI_KERNEL, 0x80).
        1..4096 => {
            rec.args[0] = sig as u32 as u64;
            rec.args[1] = 0x80;
        }
        // SAFETY: probe read of the kernel's siginfo; a fault reads as zero.
        _ => {
            rec.args = unsafe { bpf_probe_read_kernel(info.cast::<[u64; 6]>()) }.unwrap_or_default()
        }
    }
    send_fixed(rec, false);
    0
}

/// Whether sending `sig` has just made the receiver's thread group exit with it: the fast
/// path of `complete_signal` (`SIGNAL_GROUP_EXIT` set, `group_exit_code` = the signal).
#[inline(always)]
fn group_exit_by(task: *const u8, sig: i32) -> bool {
    /// `SIGNAL_GROUP_EXIT` in include/linux/sched/signal.h.
    const SIGNAL_GROUP_EXIT: u32 = 4;
    let off = OFF_TASK_SIGNAL.load();
    if off == 0 || sig == 9 {
        return false;
    }
    let signal: u64 = read_at(task, off);
    let signal = signal as *const u8;
    let flags: u32 = read_at(signal, OFF_SIGNAL_FLAGS.load());
    let code: i32 = read_at(signal, OFF_SIGNAL_GROUP_EXIT_CODE.load());
    flags & SIGNAL_GROUP_EXIT != 0 && code == sig
}
