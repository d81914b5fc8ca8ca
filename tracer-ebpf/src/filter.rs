//! Target selection: the tracer itself is never traced; `-a` traces everyone (or everyone in
//! the `--cgroup` cgroups); otherwise the tgid must be set in the `TARGETS` bitmap (an array
//! lookup, inlined by the verifier).
use aya_ebpf::{bindings::pt_regs, helpers::generated::bpf_get_current_task_btf};
use tracer_common::{MAX_CGROUPS, TARGET_WORDS};

use crate::maps::{CGROUP_FILTER, CGROUPS, DETECT_COMPAT, SELF_TGID, TARGETS, TRACE_ALL};

/// `TS_COMPAT` in arch/x86/include/asm/thread_info.h.
const TS_COMPAT: u32 = 0x0002;
/// Offset of `thread_info.status` in `task_struct` on x86_64 (thread_info is the first member:
/// flags, syscall_work, status). Userspace checks this against the kernel's BTF and leaves
/// `DETECT_COMPAT` at 0 if it differs.
const TASK_TI_STATUS: usize = 16;

/// `__USER_CS` in arch/x86/include/asm/segment.h: the code segment of 64-bit user mode.
const USER_CS: u64 = 0x33;

/// Whether the current task is in a 32-bit (`int $0x80`) syscall: i386 numbers and registers.
/// `regs` are the task's user registers at the syscall's exit.
///
/// The exact test is `TS_COMPAT` in the task's thread_info, which costs a helper call per
/// record. Most calls are told apart without it: the `syscall` instruction of 64-bit code
/// saves the return address in rcx, so a 64-bit code segment with rcx equal to rip is a
/// 64-bit call. Everything else (32-bit processes, `int $0x80` from 64-bit code, calls that
/// rewrote the registers: a successful execve, rt_sigreturn) takes the exact test.
#[inline(always)]
pub fn is_compat(regs: &pt_regs) -> bool {
    if DETECT_COMPAT.load() == 0 {
        return false;
    }
    if regs.cs == USER_CS && regs.rcx == regs.rip {
        return false;
    }
    // SAFETY: BTF task pointer of the current task; constant offset inside thread_info.
    let status = unsafe {
        let task = bpf_get_current_task_btf().cast::<u8>();
        *task.add(TASK_TI_STATUS).cast::<u32>()
    };
    status & TS_COMPAT != 0
}

#[inline(always)]
pub fn is_target(tgid: u32) -> bool {
    if tgid == SELF_TGID.load() {
        return false;
    }
    if TRACE_ALL.load() != 0 {
        return in_cgroups();
    }
    in_bitmap(tgid)
}

/// `--cgroup`/`--container`: whether the current task is in one of the selected cgroups (or
/// below one); true without a cgroup filter. New processes in them are traced from their
/// first call: the kernel checks the cgroup, not a list of pids.
#[inline(always)]
fn in_cgroups() -> bool {
    let n = CGROUP_FILTER.load();
    if n == 0 {
        return true;
    }
    for i in 0..MAX_CGROUPS {
        if i >= n {
            break;
        }
        if CGROUPS.current_task_under_cgroup(i) == Ok(true) {
            return true;
        }
    }
    false
}

#[inline(always)]
pub fn in_bitmap(tgid: u32) -> bool {
    match TARGETS.get(tgid >> 6) {
        Some(word) => *word & (1u64 << (tgid & 63)) != 0,
        None => false,
    }
}

#[inline(always)]
pub fn set_target(tgid: u32, on: bool) {
    if tgid >> 6 >= TARGET_WORDS {
        return;
    }
    if let Some(word) = TARGETS.get_ptr_mut(tgid >> 6) {
        let bit = 1u64 << (tgid & 63);
        // SAFETY: `word` points to a live u64 map value. BPF atomic instructions (no atomic
        // RMW in `core` for this target): forks on other CPUs may update the same word.
        unsafe {
            if on {
                core::arch::asm!("lock *(u64 *)({0} + 0) |= {1}", in(reg) word, in(reg) bit);
            } else {
                core::arch::asm!("lock *(u64 *)({0} + 0) &= {1}", in(reg) word, in(reg) !bit);
            }
        }
    }
}

/// `*p += v` as one BPF atomic instruction.
#[inline(always)]
pub fn atomic_add(p: *mut u64, v: u64) {
    // SAFETY: `p` points to a live u64 map value.
    unsafe { core::arch::asm!("lock *(u64 *)({0} + 0) += {1}", in(reg) p, in(reg) v) };
}
