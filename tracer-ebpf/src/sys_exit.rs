//! The hot path: `raw_syscalls:sys_exit` as a BTF tracepoint. At exit the syscall number
//! (`orig_ax`) and all six argument registers are still in `pt_regs`, so this one hook emits a
//! complete record (see ../shared/TOOLCHAIN.md for the measured alternatives).
//!
//! Kernel: `TRACE_EVENT_SYSCALL(sys_exit, TP_PROTO(struct pt_regs *regs, long ret), ...)` in
//! include/trace/events/syscalls.h.
use aya_ebpf::{
    bindings::{BPF_NOEXIST, pt_regs},
    helpers::{
        bpf_get_current_pid_tgid, bpf_ktime_get_ns, bpf_probe_read_user,
        generated::bpf_get_current_task_btf,
    },
    macros::btf_tracepoint,
    programs::BtfTracePointContext,
};
use tracer_common::{
    ADDR_CAP, AggKey, AggVal, COMPAT_BASE, SPEC_SLOTS, capture, kind, record_flags, spec_flags,
    status_filter,
};

use crate::{
    filter::{atomic_add, is_target},
    maps::{
        AGG, AGG_SAMPLES, AGG_WINDOW_NS, DETECT_COMPAT, ENTRY_TS, ERRNOS, SPECS, STATUS_FILTER,
        WANT_ENTRY,
    },
    record::{Builder, header, send_fixed},
};

/// `TS_COMPAT` in arch/x86/include/asm/thread_info.h.
const TS_COMPAT: u32 = 0x0002;
/// Offset of `thread_info.status` in `task_struct` on x86_64 (thread_info is the first member:
/// flags, syscall_work, status). Userspace checks this against the kernel's BTF and leaves
/// `DETECT_COMPAT` at 0 if it differs.
const TASK_TI_STATUS: usize = 16;

enum Aggregated {
    /// Counted; also send this one as a sample.
    Sample,
    /// Counted; enough samples of this key were sent in this window.
    Suppressed,
    /// Not counted (the map is full): send it flagged.
    Uncounted,
}

/// Counts a failure per (process, syscall, errno) and decides whether to send it.
#[inline(always)]
fn aggregate(pid_tgid: u64, slot: u32, errno: u32) -> Aggregated {
    let key = AggKey {
        tgid: (pid_tgid >> 32) as u32,
        slot,
        errno,
        _pad: 0,
    };
    // SAFETY: helper without arguments.
    let now = unsafe { bpf_ktime_get_ns() };
    let mut tries = 0;
    while tries < 2 {
        if let Some(v) = AGG.get_ptr_mut(key) {
            // SAFETY: a live map value; count is updated atomically, the rest are sampling
            // hints where a lost update between CPUs is harmless.
            let v = unsafe { &mut *v };
            atomic_add(&raw mut v.count, 1);
            v.last_ns = now;
            if now.wrapping_sub(v.window_ns) >= AGG_WINDOW_NS.load() {
                v.window_ns = now;
                v.window_sent = 0;
            }
            if v.window_sent >= u64::from(AGG_SAMPLES.load()) {
                return Aggregated::Suppressed;
            }
            v.window_sent += 1;
            atomic_add(&raw mut v.sent, 1);
            return Aggregated::Sample;
        }
        let val = AggVal {
            count: 1,
            sent: 1,
            first_ns: now,
            last_ns: now,
            window_ns: now,
            window_sent: 1,
        };
        match AGG.insert(key, val, BPF_NOEXIST as u64) {
            Ok(()) => return Aggregated::Sample,
            // Another CPU inserted it first: count into that entry.
            Err(-17) => tries += 1,
            Err(_) => return Aggregated::Uncounted,
        }
    }
    Aggregated::Uncounted
}

#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit(ctx: BtfTracePointContext) -> i32 {
    try_sys_exit(&ctx)
}

#[inline(always)]
fn try_sys_exit(ctx: &BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    if !is_target((pid_tgid >> 32) as u32) {
        return 0;
    }
    let regs: *const pt_regs = ctx.arg(0);
    let ret: i64 = ctx.arg(1);
    // SAFETY: `regs` is a BTF pointer to the task's pt_regs; the verifier allows direct loads.
    let orig = unsafe { (*regs).orig_rax } as i64;

    let mut flags = 0u8;
    let mut slot = orig as u32;
    if orig == -1 {
        // rt_sigreturn sets orig_ax to -1 so that the restored context is not restarted.
        flags |= record_flags::SIGRETURN;
        slot = 15;
    }
    if DETECT_COMPAT.load() != 0 {
        // SAFETY: BTF task pointer of the current task; constant offset inside thread_info.
        let status = unsafe {
            let task = bpf_get_current_task_btf().cast::<u8>();
            *task.add(TASK_TI_STATUS).cast::<u32>()
        };
        if status & TS_COMPAT != 0 {
            flags |= record_flags::COMPAT;
            slot = if orig == -1 { 173 } else { slot };
            slot = slot.wrapping_add(COMPAT_BASE);
        }
    }
    if slot >= SPEC_SLOTS {
        return 0;
    }
    let Some(spec) = SPECS.get(slot) else {
        return 0;
    };
    if spec.flags & spec_flags::TRACE == 0 {
        return 0;
    }

    let failed = (-4095..0).contains(&ret);
    match STATUS_FILTER.load() {
        status_filter::FAILED if !failed => return 0,
        status_filter::SUCCESSFUL if failed => return 0,
        status_filter::ERRNO_SET => {
            if !failed {
                return 0;
            }
            let errno = (-ret) as u32;
            match ERRNOS.get(errno >> 6) {
                Some(w) if *w & (1u64 << (errno & 63)) != 0 => {}
                _ => return 0,
            }
        }
        _ => {}
    }

    let tid = pid_tgid as u32;
    let enter_ns = if WANT_ENTRY.load() != 0 {
        // SAFETY: plain value copy out of the map.
        let ts = unsafe { ENTRY_TS.get(tid).copied() };
        let _ = ENTRY_TS.remove(tid);
        ts.unwrap_or(0)
    } else {
        0
    };

    if failed && AGG_SAMPLES.load() != 0 {
        match aggregate(pid_tgid, slot, (-ret) as u32) {
            Aggregated::Suppressed => return 0,
            Aggregated::Sample => {}
            Aggregated::Uncounted => flags |= record_flags::UNCOUNTED,
        }
    }
    let mut rec = header(kind::SYSCALL, pid_tgid);
    rec.flags = flags;
    rec.nr = orig as i32;
    rec.ret = ret;
    rec.enter_ns = enter_ns;
    // SAFETY: as above; plain loads of argument registers. For compat tasks the i386 order
    // (bx, cx, dx, si, di, bp) is applied here.
    unsafe {
        let r = &*regs;
        if flags & record_flags::COMPAT != 0 {
            // i386 arguments are 32-bit: the upper halves of the registers are not part of them.
            let w = |v: u64| v & 0xffff_ffff;
            rec.args = [w(r.rbx), w(r.rcx), w(r.rdx), w(r.rsi), w(r.rdi), w(r.rbp)];
        } else {
            rec.args = [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9];
        }
    }
    if spec.flags & spec_flags::HAS_STRINGS == 0 {
        send_fixed(rec);
        return 0;
    }
    let args = rec.args;
    let kinds = spec.args;
    let Some(mut b) = Builder::new(rec) else {
        return 0;
    };
    let mut i = 0;
    while i < 5 {
        match kinds[i] {
            capture::CSTR => b.user_str(i as u8, args[i]),
            capture::BUF_LEN_NEXT => b.user_bytes(i as u8, args[i], args[i + 1], ADDR_CAP),
            capture::BUF_LENPTR_NEXT if ret >= 0 && args[i] != 0 && args[i + 1] != 0 => {
                // SAFETY: probe read of a user u32; a fault reads as 0 (nothing copied).
                let len = unsafe { bpf_probe_read_user(args[i + 1] as *const u32) }.unwrap_or(0);
                b.user_bytes(i as u8, args[i], u64::from(len), ADDR_CAP);
            }
            _ => {}
        }
        i += 1;
    }
    if kinds[5] == capture::CSTR {
        b.user_str(5, args[5]);
    }
    b.send();
    0
}
