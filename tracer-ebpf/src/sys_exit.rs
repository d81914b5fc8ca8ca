//! The hot path: `raw_syscalls:sys_exit` as a BTF tracepoint. At exit the syscall number
//! (`orig_ax`) and all six argument registers are still in `pt_regs`, so this one hook emits a
//! complete record (the measured alternatives are in README.md's benchmark section).
//!
//! Kernel: `TRACE_EVENT_SYSCALL(sys_exit, TP_PROTO(struct pt_regs *regs, long ret), ...)` in
//! include/trace/events/syscalls.h.
use aya_ebpf::{
    EbpfContext as _,
    bindings::{BPF_NOEXIST, pt_regs},
    helpers::{
        bpf_get_current_pid_tgid, bpf_ktime_get_ns, bpf_probe_read_kernel, bpf_probe_read_user,
        generated::bpf_get_current_task_btf,
    },
    macros::btf_tracepoint,
    programs::BtfTracePointContext,
};
use tracer_common::{
    ADDR_CAP, AggKey, AggVal, COMPAT_BASE, CaptureOp, MAX_OPS, NR_RT_SIGRETURN,
    NR_RT_SIGRETURN_I386, SLOT_IOV, SLOT_LEN, SLOT_NAME, SMALL_DATA, SPEC_SLOTS, STR_CAP,
    SyscallSpec, capture, cmd_spec_key, kind, record_flags, spec_flags, status_filter, tail,
};

use crate::{
    filter::{atomic_add, is_compat, is_target},
    maps::{
        AGG, AGG_SAMPLES, AGG_WINDOW_NS, BUF_CAP, CAPTURE_STEP, CMD_SPECS, ENTRY_BYTES, ENTRY_LEN,
        ENTRY_TS, ERRNOS, IOV_CAP, IOV_JOB, IovJob, OFF_TASK_BLOCKED, PROGS, SPECS, STATUS_FILTER,
        SUMMARY, SUMMARY_ONLY, WANT_ENTRY, WANT_IP, WANT_STACK,
    },
    record::{Builder, Head, header, send_fixed, send_small},
};

/// Continuation of `sys_exit` for records with an iovec array: copies the array, then hands
/// its data to `sys_exit_mmsg` (which copies the data of one message, then of the next ones
/// for sendmmsg/recvmmsg). The record was left in the scratch buffer by `sys_exit_capture`
/// or `sys_exit_msghdr`. Loaded, not attached.
#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit_iovec(ctx: BtfTracePointContext) -> i32 {
    let Some(mut b) = Builder::resume() else {
        return 0;
    };
    let Some(job) = IOV_JOB.get_ptr_mut(0) else {
        b.send();
        return 0;
    };
    // SAFETY: this CPU's value of a per-CPU map.
    let job = unsafe { &mut *job };
    let rec = b.head();
    // A job left by the msghdr continuation comes first; else the spec's iovec argument.
    if !job.pending() {
        let Some(spec) = spec_of(&rec) else {
            b.send();
            return 0;
        };
        let iov = spec.iov;
        *job = IovJob {
            tag: IovJob::LIVE | u64::from(iov.arg),
            iov: pick(&rec.args, iov.arg as usize),
            count: pick(&rec.args, iov.param as usize),
            total: data_total(spec.flags, rec.ret),
            mmsg_base: 0,
            next: 0,
            msgs: 0,
            room: 0,
            first: 0,
        };
    }
    if let Some(n) = b.user_iovec_array(job.tag as u8, job.iov, job.count) {
        job.count = n;
        job.room = u64::from(BUF_CAP.load());
        job.first = 1;
        if let Some(cap) = IOV_CAP.get_ptr_mut(0) {
            // SAFETY: this CPU's value of a per-CPU map.
            unsafe { *cap = u64::from(BUF_CAP.load()) };
        }
        // SAFETY: tail call with our own context into a program of the same type.
        unsafe { PROGS.tail_call(&ctx, tail::MMSG) };
    }
    job.tag = IovJob::EMPTY;
    b.send();
    0
}

/// Sets the job up for the next message of a sendmmsg/recvmmsg, if there is one and room for
/// its data; `room` is what is left of the data cap.
#[inline(always)]
fn next_message(job: &mut IovJob, room: u64) -> bool {
    let (base, next, n) = (job.mmsg_base, job.next, job.msgs);
    if base == 0 || next >= n || room == 0 {
        return false;
    }
    // SAFETY: probe reads of the user's mmsghdr fields (msg_iov @16, msg_iovlen @24,
    // msg_len @56); a fault ends the chain.
    let p = (base + 64 * next) as *const u8;
    let Ok(iov) = (unsafe { bpf_probe_read_user(p.add(16).cast::<u64>()) }) else {
        return false;
    };
    let iovlen = unsafe { bpf_probe_read_user(p.add(24).cast::<u64>()) }.unwrap_or(0);
    let msg_len = unsafe { bpf_probe_read_user(p.add(56).cast::<u32>()) }.unwrap_or(0);
    job.iov = iov;
    job.count = iovlen;
    job.total = u64::from(msg_len);
    job.next = next + 1;
    job.room = room;
    job.first = 0;
    true
}

/// The data of a message's iovecs, appended to the data slot `sys_exit_iovec` opened (at most
/// the room left of the data cap), then, for sendmmsg/recvmmsg, the next message's through
/// itself. Loaded, not attached.
#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit_mmsg(ctx: BtfTracePointContext) -> i32 {
    let Some(mut b) = Builder::resume() else {
        return 0;
    };
    if let Some(job) = IOV_JOB.get_ptr_mut(0) {
        // SAFETY: this CPU's value of a per-CPU map.
        let job = unsafe { &mut *job };
        if job.pending() {
            // A call's own iovecs: up to the data cap from each, in the whole slot; the next
            // messages of sendmmsg/recvmmsg: what is left of the cap, in all.
            let room = match job.first {
                0 => job.room,
                _ => STR_CAP as u64 - 1,
            };
            let copied = b.append_iovec_data(job.iov, job.count, job.total, room);
            if next_message(job, job.room.saturating_sub(copied)) {
                // SAFETY: tail call into this same program.
                unsafe { PROGS.tail_call(&ctx, tail::MMSG) };
            }
            job.tag = IovJob::EMPTY;
        }
    }
    b.send();
    0
}

/// The spec of the syscall a record (left by `sys_exit`) is for: its command's when the
/// syscall has commands with captures of their own and this one is among them. A copy: the
/// verifier then sees one kind of value after either lookup (with a pointer into either map,
/// it walked every later path twice: 37k instructions became 72k).
#[inline(always)]
fn spec_of(rec: &Head) -> Option<SyscallSpec> {
    let mut slot = rec.nr as u32;
    if rec.flags & record_flags::COMPAT != 0 {
        slot = slot.wrapping_add(COMPAT_BASE);
    }
    let base = SPECS.get_ptr(slot)?;
    // SAFETY: a map value (userspace writes the map before attaching).
    let cmd_arg = unsafe { (*base).cmd_arg };
    let mut p = base;
    if cmd_arg != 0 {
        let key = cmd_spec_key(slot, pick(&rec.args, (cmd_arg - 1) as usize));
        if let Some(c) = CMD_SPECS.get_ptr(key) {
            p = c;
        }
    }
    const WORDS: usize = core::mem::size_of::<SyscallSpec>() / 8;
    let mut w = [0u64; WORDS];
    let src = p.cast::<u64>();
    let mut i = 0;
    while i < WORDS {
        // SAFETY: both map values are SyscallSpecs, 8-aligned as every map value is.
        w[i] = unsafe { src.add(i).read_volatile() };
        i += 1;
    }
    // SAFETY: SyscallSpec is plain bytes of this size.
    Some(unsafe { core::mem::transmute::<[u64; WORDS], SyscallSpec>(w) })
}

/// readv-style calls fill the buffers: the data is the first `ret` bytes; writes send each
/// iov_len.
#[inline(always)]
fn data_total(flags: u8, ret: i64) -> u64 {
    if flags & spec_flags::OUT_DATA != 0 {
        if ret >= 0 { ret as u64 } else { 0 }
    } else {
        u64::MAX
    }
}

/// Continuation for sendmsg/recvmsg (and the first message of sendmmsg/recvmmsg): copies the
/// 56-byte user_msghdr and its msg_name, then hands its iovecs to `sys_exit_iovec`.
/// include/linux/socket.h: name @0, namelen @8, iov @16, iovlen @24, control @32,
/// controllen @40, flags @48; struct mmsghdr adds msg_len @56.
#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit_msghdr(ctx: BtfTracePointContext) -> i32 {
    let Some(mut b) = Builder::resume() else {
        return 0;
    };
    let rec = b.head();
    let Some(spec) = spec_of(&rec) else {
        b.send();
        return 0;
    };
    let op = spec.iov;
    let args = rec.args;
    let src = pick(&args, op.arg as usize);
    if op.kind == capture::FPROG {
        fprog(&mut b, op, &args, src);
        b.send();
        return 0;
    }
    if op.kind == capture::IOVEC_ONE {
        iovec_one(&mut b, op, src);
        b.send();
        return 0;
    }
    if op.kind == capture::INDIRECT_ARRAY {
        indirect_array(&mut b, op, src);
        b.send();
        return 0;
    }

    let mmsg = op.param == 1;
    // For sendmmsg/recvmmsg, the headers of the messages transferred (the result), up to 8.
    let msgs = if mmsg {
        (rec.ret.max(1) as u64).min(8)
    } else {
        1
    };
    let size = if mmsg { 64 * msgs } else { 56 };
    b.user_bytes(op.arg, src, size, 512);
    // recvmsg: msg_namelen as sys_enter saw it, if it did for this call.
    let mut namelen_in = u64::MAX;
    if !mmsg && spec.ops[0].kind == capture::NAMELEN_AT_ENTRY {
        let saved = ENTRY_LEN.current(false).map_or(0, |p| {
            // SAFETY: the current task's storage, written only by its own hooks.
            unsafe { core::mem::replace(&mut *p, 0) }
        });
        if saved >> 32 == rec.nr as u64 + 1 && b.append_u32(saved as u32) {
            namelen_in = u64::from(saved as u32);
            b.rec().flags |= record_flags::NAMELEN_IN;
        }
    }
    if !mmsg {
        // The control messages (msg_control @32, msg_controllen @40: what the kernel wrote,
        // for recvmsg), after the header in its slot.
        // SAFETY: probe reads of the user's msghdr fields; a fault reads as 0 (no control).
        let (control, controllen) = unsafe {
            let p = src as *const u8;
            (
                bpf_probe_read_user(p.add(32).cast::<u64>()).unwrap_or(0),
                bpf_probe_read_user(p.add(40).cast::<u64>()).unwrap_or(0),
            )
        };
        if control != 0 && controllen != 0 {
            b.append_user(control, controllen);
        }
    }
    // SAFETY: probe reads of the user's msghdr fields; faults read as 0 (nothing copied).
    let (name, namelen, iov, iovlen, msg_len) = unsafe {
        let p = src as *const u8;
        (
            bpf_probe_read_user(p.cast::<u64>()).unwrap_or(0),
            bpf_probe_read_user(p.add(8).cast::<u32>()).unwrap_or(0),
            bpf_probe_read_user(p.add(16).cast::<u64>()).unwrap_or(0),
            bpf_probe_read_user(p.add(24).cast::<u64>()).unwrap_or(0),
            if mmsg {
                bpf_probe_read_user(p.add(56).cast::<u32>()).unwrap_or(0)
            } else {
                0
            },
        )
    };
    if name != 0 && namelen != 0 {
        // The kernel wrote no more than the room the caller gave.
        let len = u64::from(namelen).min(namelen_in);
        b.user_bytes(op.arg | SLOT_NAME, name, len, ADDR_CAP);
    }
    let mut total = data_total(spec.flags, rec.ret);
    if mmsg && total != u64::MAX {
        // recvmmsg returns a message count: the first message's length is its msg_len.
        total = if rec.ret > 0 { u64::from(msg_len) } else { 0 };
    }
    if iov != 0
        && let Some(job) = IOV_JOB.get_ptr_mut(0)
    {
        // SAFETY: this CPU's value of a per-CPU map.
        let (base, n) = if mmsg && rec.ret > 1 {
            (src, msgs)
        } else {
            (0, 0)
        };
        unsafe {
            *job = IovJob {
                tag: IovJob::LIVE | u64::from(op.arg | SLOT_IOV),
                iov,
                count: iovlen,
                total,
                mmsg_base: base,
                next: 1,
                msgs: n,
                room: 0,
                first: 0,
            }
        };
        // SAFETY: tail call with our own context into a program of the same type.
        unsafe { PROGS.tail_call(&ctx, tail::IOVEC) };
        // SAFETY: as above; the job was not taken.
        unsafe { (*job).tag = IovJob::EMPTY };
    }
    b.send();
    0
}

/// A capture::FPROG op: the bytes the length argument says (16 without one), and when they are
/// a `struct sock_fprog` (16 bytes: u16 len @0, filter @8), its `len` 8-byte instructions
/// after it in the slot, when they are readable.
#[inline(always)]
fn fprog(b: &mut Builder, op: CaptureOp, args: &[u64; 6], a: u64) {
    let p = op.param as usize;
    let len = if p == 0 { 16 } else { pick(args, p - 1) };
    b.user_array(op.arg, a, len, STR_CAP as u64 - 1);
    if len == 16 {
        // SAFETY: probe reads of the user's sock_fprog; a fault reads as 0.
        let (n, filter) = unsafe {
            (
                bpf_probe_read_user(a as *const u16).unwrap_or(0),
                bpf_probe_read_user((a + 8) as *const u64).unwrap_or(0),
            )
        };
        if filter != 0 && n != 0 {
            b.append_user_to_page_end(filter, u64::from(n) * 8);
        }
    }
}

/// [`capture::IOVEC_ONE`]: the iovec at `src`, then up to `op.param` bytes at its base.
#[inline(always)]
fn iovec_one(b: &mut Builder, op: CaptureOp, src: u64) {
    b.user_bytes(op.arg, src, 16, 16);
    // SAFETY: probe reads of the user's iovec; a fault reads as 0 (nothing appended).
    let (base, len) = unsafe {
        (
            bpf_probe_read_user(src as *const u64).unwrap_or(0),
            bpf_probe_read_user((src + 8) as *const u64).unwrap_or(0),
        )
    };
    if base != 0 && len != 0 {
        b.append_user_to_page_end(base, len.min(u64::from(op.param)));
    }
}

/// [`capture::INDIRECT_ARRAY`]: the array a pointer in the structure at `src` points to.
#[inline(always)]
fn indirect_array(b: &mut Builder, op: CaptureOp, src: u64) {
    let p = u64::from(op.param);
    let (ptr_at, count_at) = ((p & 0xf) * 8, (p >> 4 & 0xf) * 8);
    let (elem, max) = (p >> 8 & 0xf, 1u64 << (p >> 12));
    // SAFETY: probe reads of the user's structure; a fault reads as 0 (no slot).
    let (ptr, count) = unsafe {
        (
            bpf_probe_read_user((src + ptr_at) as *const u64).unwrap_or(0),
            bpf_probe_read_user((src + count_at) as *const u64).unwrap_or(0),
        )
    };
    if ptr != 0 && count != 0 && count <= max {
        b.user_array(op.arg, ptr, count * elem, STR_CAP as u64 - 1);
    }
}

/// Copies what one capture op asks for into the record.
#[inline(always)]
fn capture(b: &mut Builder, op: CaptureOp, args: &[u64; 6], ret: i64, cap: u64, step: usize) {
    let ok = ret >= 0;
    let i = op.arg;
    let a = pick(args, i as usize);
    let p = op.param as usize;
    match op.kind {
        capture::NONE => {}
        capture::CSTR => b.user_str(i, a),
        capture::CSTR_OUT if ok => b.user_str(i, a),
        capture::ADDR_LEN_ARG => b.user_bytes(i, a, pick(args, p), ADDR_CAP),
        capture::ADDR_LENPTR_ARG if ok && a != 0 => {
            let lenp = pick(args, p);
            if lenp != 0 {
                // SAFETY: probe read of a user u32; a fault reads as 0 (nothing copied).
                let len = unsafe { bpf_probe_read_user(lenp as *const u32) }.unwrap_or(0);
                // getsockopt(SOL_SOCKET, SO_GET_FILTER): the length counts 8-byte
                // instructions (the socket's filter program, up to a page).
                let (len, max) = if p == 4 && args[1] as u32 == 1 && args[2] as u32 == 26 {
                    (u64::from(len) * 8, STR_CAP as u64 - 1)
                } else {
                    (u64::from(len), ADDR_CAP)
                };
                // The kernel writes at most the caller's room, which may end at a page.
                b.user_array(i, a, len, max);
            }
        }
        // A result past the buffer's size (recv's MSG_TRUNC) filled only the buffer.
        capture::DATA_RET if ok => b.user_bytes(i, a, (ret as u64).min(pick(args, p)), cap),
        capture::PATH_RET if ok => b.user_bytes(i, a, ret as u64, STR_CAP as u64 - 1),
        // Given data that runs into an unreadable page keeps what comes before (setsockopt's
        // int in a longer buffer).
        capture::DATA_LEN_ARG => b.user_array(i, a, pick(args, p), cap),
        // A structure that runs into an unreadable page keeps the bytes before it (some are
        // smaller than what is copied: quotactl's data is one of several).
        capture::FIXED if a != 0 => b.user_array(i, a, p as u64, STR_CAP as u64 - 1),
        capture::FIXED_OUT if ok && a != 0 => b.user_array(i, a, p as u64, STR_CAP as u64 - 1),
        capture::ARRAY_RET if ok && a != 0 => {
            b.user_bytes(i, a, (p as u64) * (ret as u64), STR_CAP as u64 - 1)
        }
        capture::INOUT_LEN if a != 0 => {
            // The value saved at entry, if it was this call's; then the value now.
            let nr = b.rec().nr as u64;
            let saved = ENTRY_LEN.current(false).map_or(0, |p| {
                // SAFETY: the current task's storage, written only by its own hooks.
                unsafe { core::mem::replace(&mut *p, 0) }
            });
            let at_entry = (saved >> 32 == nr + 1).then_some(saved as u32);
            // SAFETY: probe read of a user u32.
            match unsafe { bpf_probe_read_user(a as *const u32) } {
                Ok(now) => b.value_slot(i | SLOT_LEN, now, at_entry),
                Err(_) => b.fault_slot(i | SLOT_LEN),
            }
        }
        capture::INOUT_BYTES if a != 0 => {
            let n = tracer_common::inout_size(op.param, pick(args, (op.param & 7) as usize));
            // What sys_enter saved for this op of this call, if it did.
            let nr = b.rec().nr as u64;
            let saved = ENTRY_BYTES.current(false).and_then(|e| {
                // SAFETY: the current task's storage, written only by its own hooks.
                let e = unsafe { &mut *e };
                let j = step & (MAX_OPS - 1);
                // Taken: a later call without an entry (one seccomp denied, which never
                // reaches sys_enter) does not show this one's.
                let len = core::mem::replace(&mut e.lens[j], u16::MAX);
                (e.tag == nr + 1 && usize::from(len) == n).then(|| e.data[j].as_ptr())
            });
            b.inout_bytes(i, a, n, saved);
        }
        capture::ARRAY_ARG if a != 0 => {
            let len = (p as u64 & 0xff) * pick(args, p >> 8);
            b.user_array(i, a, len, STR_CAP as u64 - 1)
        }
        _ => {}
    }
}

/// `args[i]` for a parameter-named argument, in a form the verifier can bound.
#[inline(always)]
fn pick(args: &[u64; 6], i: usize) -> u64 {
    match i & 7 {
        0 => args[0],
        1 => args[1],
        2 => args[2],
        3 => args[3],
        4 => args[4],
        5 => args[5],
        _ => 0,
    }
}

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
        slot = NR_RT_SIGRETURN;
    }
    // SAFETY: as above.
    if is_compat(unsafe { &*regs }) {
        flags |= record_flags::COMPAT;
        slot = if orig == -1 {
            NR_RT_SIGRETURN_I386
        } else {
            slot
        };
        slot = slot.wrapping_add(COMPAT_BASE);
    }
    if slot >= SPEC_SLOTS {
        return 0;
    }
    // Whether or not the call is traced: -e inject=...:signal= is about the call.
    crate::inject::at_exit(pid_tgid as u32, slot);
    let Some(spec) = SPECS.get(slot) else {
        return 0;
    };
    if spec.flags & spec_flags::TRACE == 0 {
        return 0;
    }

    let failed = (-4095..0).contains(&ret);
    let filter = if spec.flags & spec_flags::ALWAYS != 0 {
        status_filter::ANY
    } else {
        STATUS_FILTER.load()
    };
    match filter {
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

    let enter_ns = if WANT_ENTRY.load() != 0 {
        match ENTRY_TS.current(false) {
            // SAFETY: a live map value, written only by this thread's own hooks. Zeroed so
            // that an exit without an enter (seccomp-denied calls, a new thread's first
            // return) is not timed from a stale entry.
            Some(p) => unsafe { core::mem::replace(&mut *p, 0) },
            None => 0,
        }
    } else {
        0
    };

    if SUMMARY_ONLY.load() != 0 {
        if let Some(v) = SUMMARY.get_ptr_mut(slot) {
            // SAFETY: helper without arguments.
            let now = unsafe { bpf_ktime_get_ns() };
            // SAFETY: this CPU's value of a per-CPU map.
            let v = unsafe { &mut *v };
            let d = if enter_ns != 0 && now > enter_ns {
                now - enter_ns
            } else {
                0
            };
            if v.calls == 0 || d < v.min_ns {
                v.min_ns = d;
            }
            if d > v.max_ns {
                v.max_ns = d;
            }
            v.calls += 1;
            v.errors += u64::from(failed);
            v.ns += d;
            if let Some(h) = v.hist.get_mut(tracer_common::latency_bucket(d)) {
                *h += 1;
            }
        }
        return 0;
    }
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
    if WANT_IP.load() != 0 {
        // SAFETY: as below, a plain load from the BTF pt_regs.
        let ip = unsafe { (*regs).rip };
        rec.aux = ip as u32;
        rec.ip_hi = (ip >> 32) as u16;
    }
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
    if flags & record_flags::SIGRETURN != 0 {
        // rt_sigreturn's arguments are the restored registers; what strace shows is the
        // signal mask restored from the frame, i.e. the task's blocked set now.
        // SAFETY: probe read at a BTF-derived offset in the current task.
        rec.args[0] = unsafe {
            let task = bpf_get_current_task_btf().cast::<u8>();
            bpf_probe_read_kernel(task.add(OFF_TASK_BLOCKED.load() as usize).cast::<u64>())
                .unwrap_or(0)
        };
    }
    let stack = WANT_STACK.load() != 0;
    let compact = spec.flags & spec_flags::COMPACT != 0;
    if spec.flags & spec_flags::HAS_STRINGS == 0 && !stack {
        send_fixed(rec, compact);
        return 0;
    }
    let args = rec.args;
    // The common case of read/write: one data buffer, small -s: a fixed-size record.
    let cap = u64::from(BUF_CAP.load());
    let op = spec.ops[0];
    if !stack
        && spec.ops[1].kind == capture::NONE
        && spec.iov.kind == capture::NONE
        && cap <= SMALL_DATA as u64
        && (op.kind == capture::DATA_RET || op.kind == capture::DATA_LEN_ARG)
    {
        // The size argument; DATA_RET's data is the result, within it.
        let size = pick(&args, op.param as usize);
        let len = match op.kind {
            capture::DATA_RET if ret < 0 => 0,
            capture::DATA_RET => (ret as u64).min(size),
            _ => size,
        };
        let a = pick(&args, op.arg as usize);
        if op.kind == capture::DATA_LEN_ARG || ret >= 0 {
            send_small(rec, op.arg, a, len.min(cap), len > cap, compact);
        } else {
            send_fixed(rec, compact);
        }
        return 0;
    }
    let Some(mut b) = Builder::new(rec) else {
        return 0;
    };
    if stack {
        // SAFETY: a plain load from the BTF pt_regs.
        b.user_stack(ctx.as_ptr(), unsafe { (*regs).rsp });
        if spec.flags & spec_flags::HAS_STRINGS == 0 {
            b.send();
            return 0;
        }
    }
    // The capture ops run in their own program, one op per pass: verified alone, each pass is
    // small; together with the filters above they made the verifier explore every
    // combination of kinds (seconds of start-up).
    if let Some(step) = CAPTURE_STEP.get_ptr_mut(0) {
        // SAFETY: this CPU's value of a per-CPU map.
        unsafe { *step = 0 };
        // SAFETY: tail call with our own context into a program of the same type.
        unsafe { PROGS.tail_call(ctx, tail::CAPTURE) };
    }
    // The continuation is missing: the record goes out without its strings.
    b.send();
    0
}

/// One capture op of the record's spec per pass (the op index in `CAPTURE_STEP`), then itself
/// for the next op, then the iovec or msghdr continuation, then the record is sent. Loaded,
/// not attached.
#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit_capture(ctx: BtfTracePointContext) -> i32 {
    let Some(mut b) = Builder::resume() else {
        return 0;
    };
    let rec = b.head();
    let (Some(spec), Some(step)) = (spec_of(&rec), CAPTURE_STEP.get_ptr_mut(0)) else {
        b.send();
        return 0;
    };
    // SAFETY: this CPU's value of a per-CPU map.
    let step = unsafe { &mut *step };
    let args = rec.args;
    let cap = u64::from(BUF_CAP.load());
    let i = (*step as usize).min(MAX_OPS - 1);
    capture(&mut b, spec.ops[i], &args, rec.ret, cap, i);
    *step = i as u32 + 1;
    if i + 1 < MAX_OPS && spec.ops[(i + 1) & (MAX_OPS - 1)].kind != capture::NONE {
        // SAFETY: tail call into this same program.
        unsafe { PROGS.tail_call(&ctx, tail::CAPTURE) };
    }

    if pick(&args, spec.iov.arg as usize) != 0 {
        // If the tail call fails, the record goes out without the data.
        let next = match spec.iov.kind {
            capture::IOVEC_ARG => tail::IOVEC,
            // A classic BPF program behind a sock_fprog: the msghdr continuation's kind of
            // dependent read, kept out of this program's verification.
            capture::MSGHDR | capture::FPROG | capture::IOVEC_ONE | capture::INDIRECT_ARRAY => {
                tail::MSGHDR
            }
            // A failed exec's argv: verified on its own too.
            capture::STR_LIST if rec.ret < 0 => tail::EXEC,
            _ => u32::MAX,
        };
        if next != u32::MAX {
            // SAFETY: tail call with our own context into a program of the same type.
            unsafe { PROGS.tail_call(&ctx, next) };
        }
    }
    b.send();
    0
}

/// Continuation for a failed execve/execveat ([`capture::STR_LIST`]): its argv and the size
/// of its environment, still in the caller's memory at exit.
#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit_exec(_ctx: BtfTracePointContext) -> i32 {
    let Some(mut b) = Builder::resume() else {
        return 0;
    };
    let rec = b.head();
    match spec_of(&rec) {
        Some(spec) if spec.iov.kind == capture::STR_LIST && rec.ret < 0 => {
            let arg = spec.iov.arg & 7;
            let (argv, envp) = (
                pick(&rec.args, arg as usize),
                pick(&rec.args, arg as usize + 1),
            );
            crate::exec_args::failed_exec_lists(&mut b, arg, argv, envp);
        }
        _ => b.send(),
    }
    0
}

/// Does nothing: attached alone (`tracer --noop-hook`, for `cargo xtask bench`), it measures
/// what any program on this hook costs every process: the floor under the host tax.
#[btf_tracepoint(function = "sys_exit")]
pub fn sys_exit_noop(_ctx: BtfTracePointContext) -> i32 {
    0
}
