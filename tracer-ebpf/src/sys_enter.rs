//! `raw_syscalls:sys_enter`, attached only when something must be read at entry: the entry
//! time (`-T`, `-c`), and the length an in/out length argument points to before the kernel
//! rewrites it (accept's `[110 => 16]`), for `sys_exit` to pick up.
use aya_ebpf::{
    bindings::pt_regs,
    helpers::{
        bpf_get_current_pid_tgid, bpf_ktime_get_ns, bpf_probe_read_kernel, bpf_probe_read_user,
    },
    macros::btf_tracepoint,
    programs::BtfTracePointContext,
};
use tracer_common::{CaptureOp, INOUT_SEG, MAX_OPS, capture, inout_size};

use crate::{
    filter::is_target,
    maps::{ENTRY_BYTES, ENTRY_LEN, ENTRY_TS, EXEC_PENDING, EntryBytes, SPECS, WANT_ENTRY},
};

#[btf_tracepoint(function = "sys_enter")]
pub fn sys_enter(ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    // The started command becomes a target inside its execve: time that execve too.
    if !is_target(tgid) && !EXEC_PENDING.get(0).is_some_and(|p| *p == tgid && tgid != 0) {
        return 0;
    }
    if WANT_ENTRY.load() != 0 {
        // SAFETY: helper without arguments.
        let now = unsafe { bpf_ktime_get_ns() };
        if let Some(p) = ENTRY_TS.current(true) {
            // SAFETY: the current task's storage, written only by this thread's own hooks.
            unsafe { *p = now };
        }
    }
    // TP_PROTO(struct pt_regs *regs, long id)
    let id: u64 = ctx.arg(1);
    if let Some(spec) = SPECS.get(id as u32) {
        let mut bytes: Option<*mut EntryBytes> = None;
        let mut i = 0;
        while i < MAX_OPS {
            let op = spec.ops[i];
            if op.kind == capture::INOUT_LEN || op.kind == capture::NAMELEN_AT_ENTRY {
                save_len(ctx.arg(0), id, op.arg, op.param);
            } else if op.kind == capture::INOUT_BYTES {
                if bytes.is_none() {
                    bytes = ENTRY_BYTES.current(true);
                    if let Some(e) = bytes {
                        // SAFETY: the current task's storage, written only by its own hooks.
                        unsafe {
                            (*e).tag = id + 1;
                            (*e).lens = [u16::MAX; MAX_OPS];
                        }
                    }
                }
                if let Some(e) = bytes {
                    save_bytes(ctx.arg(0), op, e, i);
                }
            }
            i += 1;
        }
    }
    0
}

/// The register of argument `arg` (x86_64's syscall order), read from the task's pt_regs.
#[inline(always)]
fn reg_arg(regs: *const pt_regs, arg: u8) -> u64 {
    // SAFETY: field addresses only; the probe read checks them.
    let reg = unsafe {
        // The low bits: a slot flag may ride on an op's argument index.
        match arg & 7 {
            0 => &raw const (*regs).rdi,
            1 => &raw const (*regs).rsi,
            2 => &raw const (*regs).rdx,
            3 => &raw const (*regs).r10,
            4 => &raw const (*regs).r8,
            _ => &raw const (*regs).r9,
        }
    };
    // SAFETY: a probe read of the kernel's pt_regs.
    unsafe { bpf_probe_read_kernel(reg) }.unwrap_or(0)
}

/// Saves what an INOUT_BYTES argument points to in segment `i` of the task's entry bytes.
#[inline(always)]
fn save_bytes(regs: *const pt_regs, op: CaptureOp, e: *mut EntryBytes, i: usize) {
    let src = reg_arg(regs, op.arg);
    if src == 0 {
        return;
    }
    let nfds = reg_arg(regs, (op.param & 7) as u8);
    let n = inout_size(op.param, nfds) & (2 * INOUT_SEG - 1);
    if n == 0 || n > INOUT_SEG {
        return;
    }
    let i = i & (MAX_OPS - 1);
    // SAFETY: segment i of the task's storage has INOUT_SEG bytes and n <= INOUT_SEG.
    let r = unsafe {
        let dst = (*e).data[i].as_mut_ptr();
        aya_ebpf::helpers::generated::bpf_probe_read_user(dst.cast(), n as u32, src as *const _)
    };
    if r == 0 {
        // SAFETY: as above.
        unsafe { (*e).lens[i] = n as u16 };
    }
}

/// Saves the `u32` `offset` bytes into what argument `arg` points to (an in/out length) for
/// `sys_exit`.
#[inline(always)]
fn save_len(regs: *const pt_regs, nr: u64, arg: u8, offset: u16) {
    let ptr = reg_arg(regs, arg).wrapping_add(u64::from(offset));
    // SAFETY: a probe read of a user u32.
    let saved = match unsafe { bpf_probe_read_user(ptr as *const u32) } {
        Ok(len) => ((nr + 1) << 32) | u64::from(len),
        // Unreadable: nothing saved for this call (no older value may pass for it).
        Err(_) => 0,
    };
    if let Some(p) = ENTRY_LEN.current(true) {
        // SAFETY: the current task's storage, written only by this thread's own hooks.
        unsafe { *p = saved };
    }
}
