//! ptrace(2): the request says which of `pid`, `addr` and `data` it reads and what they point
//! to (x86_64 layouts: `struct user_regs_struct`, `struct user_fpregs_struct`, siginfo arrays,
//! `struct ptrace_syscall_info`). What the kernel fills in is shown as strace shows it: only
//! after success, else the address.
//!
//! The kernel side copies, for every ptrace call: 16 bytes at `addr` (PEEKSIGINFO's
//! arguments), the 16 bytes at `data` at entry and at exit (an iovec whose length the kernel
//! rewrites), 512 bytes at `data` at exit (`DATA_SLOT`), and the iovec at `data` with up to 512
//! bytes of the register set it points to (`REGSET_SLOT`).
use tracer_common::{SLOT_CONTENTS, SLOT_IOV};

use super::{FdNames, Opts, consts, fs::c_hex, inout, ptr};
use crate::source::{Captured, Event};
use crate::syscalls::{Abi, Ty};

/// The slot of the 512 bytes at `data`.
const DATA_SLOT: usize = 3 | SLOT_CONTENTS as usize;
/// The slot of the iovec at `data` and its register set.
const REGSET_SLOT: usize = 3 | SLOT_IOV as usize;

const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const POKEUSER: u64 = 6;
const CONT: u64 = 7;
const KILL: u64 = 8;
const SINGLESTEP: u64 = 9;
const GETREGS: u64 = 12;
const SETREGS: u64 = 13;
const GETFPREGS: u64 = 14;
const SETFPREGS: u64 = 15;
const ATTACH: u64 = 16;
const DETACH: u64 = 17;
const SYSCALL: u64 = 24;
const SYSEMU: u64 = 31;
const SYSEMU_SINGLESTEP: u64 = 32;
const SINGLEBLOCK: u64 = 33;
const SETOPTIONS: u64 = 0x4200;
const GETEVENTMSG: u64 = 0x4201;
const GETSIGINFO: u64 = 0x4202;
const SETSIGINFO: u64 = 0x4203;
const GETREGSET: u64 = 0x4204;
const SETREGSET: u64 = 0x4205;
const SEIZE: u64 = 0x4206;
const INTERRUPT: u64 = 0x4207;
const LISTEN: u64 = 0x4208;
const PEEKSIGINFO: u64 = 0x4209;
const GETSIGMASK: u64 = 0x420a;
const SETSIGMASK: u64 = 0x420b;
const SECCOMP_GET_FILTER: u64 = 0x420c;
const SECCOMP_GET_METADATA: u64 = 0x420d;
const GET_SYSCALL_INFO: u64 = 0x420e;

const NT_PRSTATUS: u64 = 1;
const NT_FPREGSET: u64 = 2;

/// `struct user_regs_struct` (x86_64), in order: 27 registers of 8 bytes.
const REGS: [&str; 27] = [
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs",
    "gs",
];
const REGS_SIZE: usize = 27 * 8;
const FPREGS_SIZE: usize = 512;

/// The whole call: `ptrace(PTRACE_GETREGS, 42, {r15=0x..., ...})`.
pub fn ptrace(out: &mut String, ev: &Event, opts: &Opts, fds: &mut dyn FdNames) {
    let a = ev.rec.args;
    let (req, addr, data) = (a[0], a[2], a[3]);
    let ok = ev.rec.ret >= 0;
    let x86_64 = ev.abi() == Abi::X86_64;
    consts::styled(out, req, &consts::PTRACE_REQUESTS, false, opts);
    if req == TRACEME {
        return;
    }
    out.push_str(", ");
    super::arg(out, Ty::Pid, a[1], 1, ev, opts, fds);
    if matches!(req, ATTACH | INTERRUPT | KILL | LISTEN) {
        return;
    }
    out.push_str(", ");
    let data_bytes = ev
        .str_for(DATA_SLOT)
        .filter(|c| !c.faulted() || c.page_end());
    // What the kernel wrote at `data`: after success only, and as far as it was read.
    let written = |n: usize| {
        data_bytes
            .filter(|_| ok)
            .map(|c| c.bytes)
            .filter(|b| b.len() >= n)
    };
    match req {
        PEEKUSER | POKEUSER if x86_64 => user_offset(out, addr, opts),
        GETREGSET | SETREGSET => consts::styled(out, addr, &consts::NT_TYPES, false, opts),
        GETSIGMASK | SETSIGMASK | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => {
            super::int(out, addr)
        }
        PEEKSIGINFO => peeksiginfo_args(out, addr, ev.str_for(2), opts),
        PEEKUSER | POKEUSER => ptr(out, addr),
        SETREGS if x86_64 => {
            return regs(out, data, data_bytes.map(|c| c.bytes), REGS_SIZE);
        }
        SETFPREGS if x86_64 => {
            return fpregs(out, data, data_bytes.map(|c| c.bytes), FPREGS_SIZE, opts);
        }
        GETREGS if x86_64 => return regs(out, data, written(REGS_SIZE), REGS_SIZE),
        GETFPREGS if x86_64 => {
            return fpregs(out, data, written(FPREGS_SIZE), FPREGS_SIZE, opts);
        }
        _ => ptr(out, addr),
    }
    out.push_str(", ");
    let structs = opts.structs && x86_64;
    match req {
        CONT | DETACH | SYSCALL | SINGLESTEP | SINGLEBLOCK | SYSEMU | SYSEMU_SINGLESTEP => {
            match data {
                1..=64 => super::x_style(
                    out,
                    opts,
                    |o| super::int(o, data),
                    |o| o.push_str(&super::signal::name(data)),
                ),
                _ => super::int(out, data as u32 as i32),
            }
        }
        SEIZE | SETOPTIONS => consts::styled(out, data, &consts::PTRACE_OPTIONS, true, opts),
        SETSIGINFO if x86_64 => match data_bytes.map(|c| c.bytes).and_then(|b| b.get(..48)) {
            Some(b) if data != 0 => siginfo(out, b, opts, fds),
            _ => ptr(out, data),
        },
        SETSIGMASK => sigmask(out, data, addr, data_bytes.map(|c| c.bytes), opts),
        GETREGSET | SETREGSET if x86_64 => regset(out, ev, req, addr, data, opts),
        SECCOMP_GET_METADATA if x86_64 => seccomp_metadata(out, ev, addr, data, data_bytes),
        PEEKDATA | PEEKTEXT | PEEKUSER if structs => match written(8) {
            Some(b) if data != 0 => put!(out, "[{:#x}]", u64_at(b, 0)),
            _ => ptr(out, data),
        },
        GETEVENTMSG if structs => match written(8) {
            Some(b) if data != 0 => put!(out, "[{}]", u64_at(b, 0)),
            _ => ptr(out, data),
        },
        GETSIGINFO if structs => match written(48) {
            Some(b) if data != 0 => siginfo(out, &b[..48], opts, fds),
            _ => ptr(out, data),
        },
        GETSIGMASK if structs => match written(0) {
            Some(b) => sigmask(out, data, addr, Some(b), opts),
            None => ptr(out, data),
        },
        PEEKSIGINFO if structs => {
            let n = ev.rec.ret.max(0) as usize;
            match written(0) {
                Some(b) if data != 0 && b.len() >= 128.min(n.saturating_mul(128)) => {
                    siginfo_array(out, b, n, opts, fds)
                }
                _ => ptr(out, data),
            }
        }
        SECCOMP_GET_FILTER if structs => {
            let n = ev.rec.ret.max(0) as usize;
            match written(0) {
                Some(b) if data != 0 => super::process::bpf_program(
                    out,
                    data,
                    n,
                    &b[..b.len().min(n.saturating_mul(8))],
                    false,
                    super::process::BpfProg::Seccomp,
                    opts,
                ),
                _ => ptr(out, data),
            }
        }
        GET_SYSCALL_INFO if structs => syscall_info(out, ev, addr, data, data_bytes, opts),
        _ => ptr(out, data),
    }
}

/// Offsets into `struct user` (x86_64) as strace names them: the registers by their
/// `asm/ptrace-abi.h` index, the other fields by `offsetof`.
const USER_OFFSETS: [(u64, &str); 36] = [
    (0, "8*R15"),
    (8, "8*R14"),
    (16, "8*R13"),
    (24, "8*R12"),
    (32, "8*RBP"),
    (40, "8*RBX"),
    (48, "8*R11"),
    (56, "8*R10"),
    (64, "8*R9"),
    (72, "8*R8"),
    (80, "8*RAX"),
    (88, "8*RCX"),
    (96, "8*RDX"),
    (104, "8*RSI"),
    (112, "8*RDI"),
    (120, "8*ORIG_RAX"),
    (128, "8*RIP"),
    (136, "8*CS"),
    (144, "8*EFL"),
    (152, "8*RSP"),
    (160, "8*SS"),
    (216, "offsetof(struct user, u_fpvalid)"),
    (224, "offsetof(struct user, i387)"),
    (736, "offsetof(struct user, u_tsize)"),
    (744, "offsetof(struct user, u_dsize)"),
    (752, "offsetof(struct user, u_ssize)"),
    (760, "offsetof(struct user, start_code)"),
    (768, "offsetof(struct user, start_stack)"),
    (776, "offsetof(struct user, signal)"),
    (784, "offsetof(struct user, reserved)"),
    (792, "offsetof(struct user, u_ar0)"),
    (800, "offsetof(struct user, u_fpstate)"),
    (808, "offsetof(struct user, magic)"),
    (816, "offsetof(struct user, u_comm)"),
    (848, "offsetof(struct user, u_debugreg)"),
    (912, "sizeof(struct user)"),
];

/// PTRACE_PEEKUSER/POKEUSER's offset: the field at or below it and the bytes past it
/// (`offsetof(struct user, u_debugreg)+56`); past the structure, the number.
fn user_offset(out: &mut String, addr: u64, opts: &Opts) {
    let last = USER_OFFSETS[USER_OFFSETS.len() - 1].0;
    let named = USER_OFFSETS
        .iter()
        .rev()
        .find(|(off, _)| *off <= addr)
        .filter(|(off, _)| !(addr > *off && *off == last));
    let Some((base, name)) = named else {
        return ptr(out, addr);
    };
    let name = |o: &mut String| {
        o.push_str(name);
        if addr != *base {
            put!(o, "+{}", addr - base);
        }
    };
    super::x_style(out, opts, |o| ptr(o, addr), name);
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8)
        .map_or(0, |s| u64::from_ne_bytes(s.try_into().unwrap_or_default()))
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |s| u32::from_ne_bytes(s.try_into().unwrap_or_default()))
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2)
        .map_or(0, |s| u16::from_ne_bytes(s.try_into().unwrap_or_default()))
}

fn siginfo(out: &mut String, b: &[u8], opts: &Opts, fds: &mut dyn FdNames) {
    match <&[u8; 48]>::try_from(&b[..48.min(b.len())]) {
        Ok(b) => super::signal::siginfo(out, b, opts, fds),
        Err(_) => out.push_str("???"),
    }
}

/// PTRACE_PEEKSIGINFO's `struct ptrace_peeksiginfo_args` at `addr`.
fn peeksiginfo_args(out: &mut String, addr: u64, c: Option<&Captured>, opts: &Opts) {
    match c.filter(|c| addr != 0 && !c.faulted() && c.bytes.len() >= 16) {
        Some(c) => {
            let b = c.bytes;
            put!(out, "{{off={}, flags=", u64_at(b, 0));
            let flags = u64::from(u32_at(b, 8));
            consts::styled(out, flags, &consts::PTRACE_PEEKSIGINFO_FLAGS, true, opts);
            put!(out, ", nr={}}}", u32_at(b, 12));
        }
        None => ptr(out, addr),
    }
}

/// A signal mask of `len` bytes at `data` (strace: only a whole word-sized set is read).
fn sigmask(out: &mut String, data: u64, len: u64, b: Option<&[u8]>, opts: &Opts) {
    match b {
        Some(b) if data != 0 && len == 8 && b.len() >= 8 => {
            super::signal::sigset_styled(out, u64_at(b, 0), opts);
        }
        _ => ptr(out, data),
    }
}

/// An array of `n` siginfos (128 bytes each).
fn siginfo_array(out: &mut String, b: &[u8], n: usize, opts: &Opts, fds: &mut dyn FdNames) {
    out.push('[');
    for k in 0..n {
        if k > 0 {
            out.push_str(", ");
        }
        match b.get(k * 128..k * 128 + 48) {
            Some(s) => siginfo(out, s, opts, fds),
            None => {
                out.push_str("...");
                break;
            }
        }
    }
    out.push(']');
}

/// `struct user_regs_struct` (NT_PRSTATUS), as far as `size` bytes reach; the address if
/// the size is no multiple of 8 or the bytes were not read.
fn regs(out: &mut String, addr: u64, b: Option<&[u8]>, size: usize) {
    let n = size.min(REGS_SIZE);
    let b = b.filter(|b| b.len() >= n);
    let Some(b) = b.filter(|_| size != 0 && size.is_multiple_of(8) && addr != 0) else {
        return ptr(out, addr);
    };
    out.push('{');
    for (k, name) in REGS.iter().enumerate().take(n / 8) {
        if k > 0 {
            out.push_str(", ");
        }
        put!(out, "{name}=");
        c_hex(out, u64_at(b, k * 8));
    }
    if size > REGS_SIZE {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `struct user_fpregs_struct` (NT_FPREGSET), as far as `size` bytes reach.
fn fpregs(out: &mut String, addr: u64, b: Option<&[u8]>, size: usize, opts: &Opts) {
    let n = size.min(FPREGS_SIZE);
    let b = b.filter(|b| b.len() >= n);
    let Some(b) = b.filter(|_| size != 0 && size.is_multiple_of(8) && addr != 0) else {
        return ptr(out, addr);
    };
    out.push('{');
    let fields: [(&str, usize, usize); 8] = [
        ("cwd", 0, 2),
        ("swd", 2, 2),
        ("ftw", 4, 2),
        ("fop", 6, 2),
        ("rip", 8, 8),
        ("rdp", 16, 8),
        ("mxcsr", 24, 4),
        ("mxcr_mask", 28, 4),
    ];
    for (k, (name, off, w)) in fields.iter().enumerate() {
        if k > 0 && n <= *off {
            break;
        }
        if k > 0 {
            out.push_str(", ");
        }
        let v = match w {
            2 => u64::from(u16_at(b, *off)),
            4 => u64::from(u32_at(b, *off)),
            _ => u64_at(b, *off),
        };
        put!(out, "{name}=");
        c_hex(out, v);
    }
    for (name, off, count) in [
        ("st_space", 32, 32),
        ("xmm_space", 160, 64),
        ("padding", 416, 24),
    ] {
        if n <= off {
            break;
        }
        put!(out, ", {name}=[");
        let shown = ((n - off) / 4).min(count);
        for k in 0..shown {
            if k > 0 {
                out.push_str(", ");
            }
            if !opts.verbose && k >= opts.strsize {
                out.push_str("...");
                break;
            }
            c_hex(out, u64::from(u32_at(b, off + 4 * k)));
        }
        out.push(']');
    }
    if size > FPREGS_SIZE {
        out.push_str(", ...");
    }
    out.push('}');
}

/// PTRACE_GETREGSET/SETREGSET's iovec and the register set it points to; its length as the
/// caller gave it and as the kernel left it (`iov_len=4096 => 216`).
fn regset(out: &mut String, ev: &Event, req: u64, nt: u64, data: u64, opts: &Opts) {
    let set = ev
        .str_for(REGSET_SLOT)
        .filter(|c| !c.faulted() || c.page_end());
    let io = inout(ev.str_for(3));
    // The iovec at exit (from the regset slot, else the in/out copy) and at entry.
    let exit: Option<[u64; 2]> = set
        .map(|c| c.bytes)
        .filter(|b| b.len() >= 16)
        .or(io.and_then(|i| i.0))
        .map(|b| [u64_at(b, 0), u64_at(b, 8)]);
    let entry = io.and_then(|i| i.1).map(|b| [u64_at(b, 0), u64_at(b, 8)]);
    let Some(iov) = (if req == SETREGSET {
        entry.or(exit)
    } else {
        exit.or(entry)
    }) else {
        return ptr(out, data);
    };
    let old_len = entry.map_or(iov[1], |e| e[1]);
    let new_len = exit.map_or(iov[1], |e| e[1]);
    let ok = ev.rec.ret >= 0 || req == SETREGSET;
    let regs_bytes = set
        .map(|c| &c.bytes[16.min(c.bytes.len())..])
        .filter(|_| ok);
    out.push_str("{iov_base=");
    // SETREGSET's registers are what was given: as long as the length given.
    let size = if req == SETREGSET { old_len } else { new_len } as usize;
    match nt {
        _ if !opts.structs => ptr(out, iov[0]),
        NT_PRSTATUS => regs(out, iov[0], regs_bytes, size),
        NT_FPREGSET => fpregs(out, iov[0], regs_bytes, size, opts),
        _ => ptr(out, iov[0]),
    }
    put!(out, ", iov_len={old_len}");
    if new_len != old_len {
        put!(out, " => {new_len}");
    }
    out.push('}');
}

/// PTRACE_SECCOMP_GET_METADATA's `struct seccomp_metadata` of `size` bytes at `data`: the
/// filter's index as given, and the flags the kernel filled in.
fn seccomp_metadata(out: &mut String, ev: &Event, size: u64, data: u64, c: Option<&Captured>) {
    let b = c.map(|c| c.bytes);
    match b.filter(|b| size >= 8 && data != 0 && b.len() >= 8) {
        None => ptr(out, data),
        Some(b) => {
            put!(out, "{{filter_off={}", u64_at(b, 0));
            if ev.rec.ret >= 0 && size > 8 {
                out.push_str(", ");
                if size < 16 || b.len() < 16 {
                    out.push_str("???");
                } else {
                    out.push_str("flags=");
                    super::xlat::flags(out, u64_at(b, 8), consts::SECCOMP_FILTER_FLAGS.table);
                    if size > 16 {
                        out.push_str(", ...");
                    }
                }
            }
            out.push('}');
        }
    }
}

/// `struct ptrace_syscall_info`, as far as the caller's size, the kernel's answer and the
/// largest layout (seccomp's, 84 bytes) all reach.
fn syscall_info(
    out: &mut String,
    ev: &Event,
    user_len: u64,
    data: u64,
    c: Option<&Captured>,
    opts: &Opts,
) {
    let kernel_len = ev.rec.ret as u64;
    let n = user_len.min(kernel_len).min(84) as usize;
    let b = c.map(|c| c.bytes).filter(|b| b.len() >= n);
    let Some(b) = b.filter(|_| n > 0 && data != 0) else {
        return ptr(out, data);
    };
    let op = u64::from(b[0]);
    out.push_str("{op=");
    consts::styled(out, op, &consts::PTRACE_SYSCALL_INFO_OPS, false, opts);
    'fields: {
        if n < 8 {
            break 'fields;
        }
        let arch = u32_at(b, 4);
        out.push_str(", arch=");
        audit_arch(out, arch, opts);
        if n < 16 {
            break 'fields;
        }
        out.push_str(", instruction_pointer=");
        ptr(out, u64_at(b, 8));
        if n < 24 {
            break 'fields;
        }
        out.push_str(", stack_pointer=");
        ptr(out, u64_at(b, 16));
        if n < 32 {
            break 'fields;
        }
        let name = |out: &mut String, nr: u64| {
            out.push_str("nr=");
            audit_syscall(out, nr, arch, opts);
        };
        let args = |out: &mut String| {
            let k = (n.saturating_sub(32) / 8).min(6);
            if k > 0 {
                out.push_str(", args=[");
                for j in 0..k {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    c_hex(out, u64_at(b, 32 + 8 * j));
                }
                out.push(']');
            }
        };
        match op {
            1 => {
                out.push_str(", entry={");
                name(out, u64_at(b, 24));
                args(out);
                out.push('}');
            }
            3 => {
                out.push_str(", seccomp={");
                name(out, u64_at(b, 24));
                args(out);
                if n >= 84 {
                    put!(out, ", ret_data={}", u32_at(b, 80));
                }
                out.push('}');
            }
            2 => {
                let rval = u64_at(b, 24) as i64;
                out.push_str(", exit={rval=");
                let is_error = n >= 33 && b[32] != 0;
                match super::errno::lookup((-rval) as u32).filter(|_| is_error && rval < 0) {
                    Some((e, _)) => {
                        super::x_style(out, opts, |o| super::int(o, rval), |o| put!(o, "-{e}"))
                    }
                    None => super::int(out, rval),
                }
                if n >= 33 {
                    put!(out, ", is_error={}", b[32]);
                }
                out.push('}');
            }
            _ => {}
        }
    }
    out.push('}');
}

/// An `AUDIT_ARCH_*` value (include/uapi/linux/audit.h: the ELF machine, 64-bit and
/// little-endian bits), in the `-X` style.
pub fn audit_arch(out: &mut String, arch: u32, opts: &Opts) {
    consts::styled(out, u64::from(arch), &consts::AUDIT_ARCHES, false, opts);
}

/// A syscall number as the audit arch `arch` numbers them: `__NR_gettid` (`-X`: `186`,
/// `186 /* __NR_gettid */`), the number alone for an arch or a number this tracer does not
/// know (seccomp_data, SIGSYS's si_syscall, PTRACE_GET_SYSCALL_INFO).
pub fn audit_syscall(out: &mut String, nr: u64, arch: u32, opts: &Opts) {
    let abi = match arch {
        0xc000_003e => Some(Abi::X86_64),
        0x4000_0003 => Some(Abi::I386),
        _ => None,
    };
    super::x_style(
        out,
        opts,
        |o| super::int(o, nr),
        |o| match abi.and_then(|a| crate::syscalls::by_nr(a, nr as i64)) {
            Some(sc) => put!(o, "__NR_{}", sc.name),
            None => super::int(o, nr),
        },
    );
}
