//! Process values: clone flags, wait status and options, resource limits, arch_prctl and prctl
//! codes, futex operations, getrandom flags, utsname. Values: include/uapi/linux/sched.h,
//! wait.h, resource.h, futex.h, prctl.h, arch/x86/include/uapi/asm/prctl.h.
use super::{
    Event, ExecInfo, FdNames, Opts, arg, fd_text, ptr, signal,
    strings::{self, Hex, quote},
    xlat::{self, Xlat},
};
// C's `%#x`, as strace's PRINT_VAL_X prints it.
use super::fs::c_hex as hex;
use crate::syscalls::{Syscall, Ty};

/// clone's flags (strace leaves out CLONE_DETACHED, which the kernel ignores): the start of
/// clone3's.
pub const CLONE_FLAGS: Xlat = CLONE3_FLAGS.split_at(23).0;

/// clone3's flags: clone's and its own, all 64 bits of them.
const CLONE3_FLAGS: Xlat = &[
    (0x100, "CLONE_VM"),
    (0x200, "CLONE_FS"),
    (0x400, "CLONE_FILES"),
    (0x800, "CLONE_SIGHAND"),
    (0x1000, "CLONE_PIDFD"),
    (0x2000, "CLONE_PTRACE"),
    (0x4000, "CLONE_VFORK"),
    (0x8000, "CLONE_PARENT"),
    (0x10000, "CLONE_THREAD"),
    (0x20000, "CLONE_NEWNS"),
    (0x40000, "CLONE_SYSVSEM"),
    (0x80000, "CLONE_SETTLS"),
    (0x100000, "CLONE_PARENT_SETTID"),
    (0x200000, "CLONE_CHILD_CLEARTID"),
    (0x800000, "CLONE_UNTRACED"),
    (0x1000000, "CLONE_CHILD_SETTID"),
    (0x2000000, "CLONE_NEWCGROUP"),
    (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"),
    (0x10000000, "CLONE_NEWUSER"),
    (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"),
    (0x80000000, "CLONE_IO"),
    (0x80, "CLONE_NEWTIME"),
    (0x1_0000_0000, "CLONE_CLEAR_SIGHAND"),
    (0x2_0000_0000, "CLONE_INTO_CGROUP"),
];

const CLONE_PIDFD: u64 = 0x1000;
const CLONE_PARENT_SETTID: u64 = 0x100000;

/// `flags=CLONE_VM|..., child_tid=0x..., exit_signal=SIGCHLD, stack=0x..., stack_size=0x...,
/// tls=0x...`: struct clone_args (88 bytes known; zeros past what the size covers), the
/// fields a flag enables only with it, as strace prints them.
pub fn clone_args(
    out: &mut String,
    b: &[u8],
    size: u64,
    set_tids: Option<&crate::source::Captured>,
    opts: &Opts,
) {
    let u = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let (flags, pidfd, child_tid, parent_tid) = (u(0), u(8), u(16), u(24));
    let (exit_signal, stack, stack_size, tls) = (u(32), u(40), u(48), u(56));
    let (set_tid, set_tid_size, cgroup) = (u(64), u(72), u(80));
    out.push_str("flags=");
    const C: super::consts::Consts = super::consts::Consts {
        table: CLONE3_FLAGS,
        unknown: "CLONE_???",
        int: false,
        field: (0, "", false),
    };
    super::consts::styled(out, flags, &C, true, opts);
    let addr = |out: &mut String, name: &str, v: u64| {
        put!(out, ", {name}=");
        super::ptr(out, v);
    };
    if flags & CLONE_PIDFD != 0 {
        addr(out, "pidfd", pidfd);
    }
    if flags & 0x1200000 != 0 {
        addr(out, "child_tid", child_tid);
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        addr(out, "parent_tid", parent_tid);
    }
    out.push_str(", exit_signal=");
    let named = signal::name(exit_signal);
    if exit_signal < i32::MAX as u64 && named != exit_signal.to_string() {
        super::styled(
            out,
            opts,
            |o| put!(o, "{exit_signal}"),
            |o| o.push_str(&named),
        );
    } else {
        put!(out, "{exit_signal}");
    }
    addr(out, "stack", stack);
    out.push_str(", stack_size=");
    hex(out, stack_size);
    if flags & 0x80000 != 0 {
        addr(out, "tls", tls);
    }
    if set_tid != 0 || set_tid_size != 0 {
        // Up to 32 pids (one per pid namespace level), as far as they could be read.
        match set_tids.filter(|c| {
            set_tid != 0 && (1..=32).contains(&set_tid_size) && (!c.faulted() || c.page_end())
        }) {
            Some(c) => {
                out.push_str(", set_tid=[");
                let ints = c.bytes.chunks_exact(4);
                let n = ints.len();
                for (k, v) in ints.enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    super::int(out, i32::from_ne_bytes(v.try_into().unwrap_or_default()));
                }
                if (n as u64) < set_tid_size {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    put!(out, "... /* {:#x} */", set_tid + 4 * n as u64);
                }
                out.push(']');
            }
            None => addr(out, "set_tid", set_tid),
        }
        put!(out, ", set_tid_size={set_tid_size}");
    }
    // Only when the size reaches the field.
    if (cgroup != 0 || flags & 0x2_0000_0000 != 0) && size > 80 {
        put!(out, ", cgroup={cgroup}");
    }
}

/// Which classic BPF program a `sock_fprog` holds: its `k` operands print as the kernel
/// reads them (socket filters' packet offsets, seccomp's return actions).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BpfProg {
    Socket,
    Seccomp,
}

/// `{len=3, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0x4), BPF_JUMP(...), ...]}` from a
/// sock_fprog and the instructions after it in its slot (`page_end`: they ran into an
/// unreadable page).
pub fn sock_fprog(out: &mut String, b: &[u8], page_end: bool, kind: BpfProg, opts: &Opts) {
    let len = u16::from_ne_bytes([b[0], b[1]]);
    let filter = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    put!(out, "{{len={len}, filter=");
    bpf_program(
        out,
        filter,
        usize::from(len),
        &b[16..],
        page_end,
        kind,
        opts,
    );
    out.push('}');
}

/// A classic BPF program of `len` instructions at `addr`, from the `insns` copied: the
/// instructions only under -v, as strace shows them; else (or when none came) the address.
pub fn bpf_program(
    out: &mut String,
    addr: u64,
    len: usize,
    insns: &[u8],
    page_end: bool,
    kind: BpfProg,
    opts: &Opts,
) {
    if !opts.verbose || addr == 0 || (insns.is_empty() && len > 0 && !page_end) {
        return ptr(out, addr);
    }
    out.push('[');
    const BPF_MAXINSNS: usize = 4096;
    let copied = insns.len() / 8;
    for k in 0..len {
        if k > 0 {
            out.push_str(", ");
        }
        if k >= BPF_MAXINSNS {
            out.push_str("...");
            break;
        }
        if k >= copied {
            // The program ran into an unreadable page, or past what one record holds.
            if page_end {
                put!(out, "... /* {:#x} */", addr + 8 * k as u64);
            } else {
                out.push_str("...");
            }
            break;
        }
        bpf_insn(out, &insns[k * 8..k * 8 + 8], kind, opts);
    }
    out.push(']');
}

/// A constant in the -X style: `BPF_LD`, `0`, or `0 /* BPF_LD */`.
fn named(out: &mut String, v: u64, name: &str, opts: &Opts) {
    super::styled(out, opts, |o| hex(o, v), |o| o.push_str(name));
}

/// A value by its name in `table` (-X styled), else `0x.. /* unknown */`.
fn xval(out: &mut String, v: u64, table: Xlat, unknown: &str, opts: &Opts) {
    match xlat::name_of(v, table) {
        Some(n) => named(out, v, n, opts),
        None => super::consts::unknown(out, v, unknown),
    }
}

/// One classic BPF instruction (code u16, jt u8, jf u8, k u32).
fn bpf_insn(out: &mut String, i: &[u8], kind: BpfProg, opts: &Opts) {
    let code = u16::from_ne_bytes([i[0], i[1]]);
    let (jt, jf) = (i[2], i[3]);
    let k = u32::from_ne_bytes(i[4..8].try_into().unwrap_or_default());
    if jt != 0 || jf != 0 {
        out.push_str("BPF_JUMP(");
        bpf_code(out, code, opts);
        out.push_str(", ");
        hex(out, u64::from(k));
        out.push_str(", ");
        hex(out, u64::from(jt));
        out.push_str(", ");
        hex(out, u64::from(jf));
        out.push(')');
        return;
    }
    out.push_str("BPF_STMT(");
    bpf_code(out, code, opts);
    out.push_str(", ");
    let class = code & 7;
    let mode = code & 0xe0;
    match kind {
        // BPF_LD|BPF_ABS: negative offsets name the ancillary, network and link layers.
        BpfProg::Socket if class == 0 && mode == 0x20 && k >= 0xffe0_0000 => {
            const SKF_AD: Xlat = &[
                (0, "SKF_AD_PROTOCOL"),
                (4, "SKF_AD_PKTTYPE"),
                (8, "SKF_AD_IFINDEX"),
                (12, "SKF_AD_NLATTR"),
                (16, "SKF_AD_NLATTR_NEST"),
                (20, "SKF_AD_MARK"),
                (24, "SKF_AD_QUEUE"),
                (28, "SKF_AD_HATYPE"),
                (32, "SKF_AD_RXHASH"),
                (36, "SKF_AD_CPU"),
                (40, "SKF_AD_ALU_XOR_X"),
                (44, "SKF_AD_VLAN_TAG"),
                (48, "SKF_AD_VLAN_TAG_PRESENT"),
                (52, "SKF_AD_PAY_OFFSET"),
                (56, "SKF_AD_RANDOM"),
                (60, "SKF_AD_VLAN_TPID"),
                (64, "SKF_AD_MAX"),
            ];
            if k >= 0xffff_f000 {
                named(out, 0xffff_f000, "SKF_AD_OFF", opts);
                out.push('+');
                xval(out, u64::from(k - 0xffff_f000), SKF_AD, "SKF_AD_???", opts);
            } else if k >= 0xfff0_0000 {
                named(out, 0xfff0_0000, "SKF_NET_OFF", opts);
                put!(out, "+{}", k - 0xfff0_0000);
            } else {
                named(out, 0xffe0_0000, "SKF_LL_OFF", opts);
                put!(out, "+{}", k - 0xffe0_0000);
            }
        }
        // BPF_RET: the action in the high half, its data in the low.
        BpfProg::Seccomp if class == 6 => {
            const ACTIONS: Xlat = &[
                (0x8000_0000, "SECCOMP_RET_KILL_PROCESS"),
                (0, "SECCOMP_RET_KILL_THREAD"),
                (0x0003_0000, "SECCOMP_RET_TRAP"),
                (0x0005_0000, "SECCOMP_RET_ERRNO"),
                (0x7fc0_0000, "SECCOMP_RET_USER_NOTIF"),
                (0x7ff0_0000, "SECCOMP_RET_TRACE"),
                (0x7ffc_0000, "SECCOMP_RET_LOG"),
                (0x7fff_0000, "SECCOMP_RET_ALLOW"),
            ];
            let action = u64::from(k & 0xffff_0000);
            xval(out, action, ACTIONS, "SECCOMP_RET_???", opts);
            let data = k & 0xffff;
            if data != 0 {
                put!(out, "|{data:#x}");
            }
        }
        _ => hex(out, u64::from(k)),
    }
    out.push(')');
}

/// A classic BPF opcode, as strace's print_bpf_filter_code prints one.
fn bpf_code(out: &mut String, code: u16, opts: &Opts) {
    const CLASS: [&str; 8] = [
        "BPF_LD", "BPF_LDX", "BPF_ST", "BPF_STX", "BPF_ALU", "BPF_JMP", "BPF_RET", "BPF_MISC",
    ];
    const SIZE: [&str; 4] = ["BPF_W", "BPF_H", "BPF_B", "BPF_DW"];
    const MODE: Xlat = &[
        (0x00, "BPF_IMM"),
        (0x20, "BPF_ABS"),
        (0x40, "BPF_IND"),
        (0x60, "BPF_MEM"),
        (0x80, "BPF_LEN"),
        (0xa0, "BPF_MSH"),
        (0xc0, "BPF_XADD"),
    ];
    const ALU: [&str; 14] = [
        "BPF_ADD", "BPF_SUB", "BPF_MUL", "BPF_DIV", "BPF_OR", "BPF_AND", "BPF_LSH", "BPF_RSH",
        "BPF_NEG", "BPF_MOD", "BPF_XOR", "BPF_MOV", "BPF_ARSH", "BPF_END",
    ];
    const JMP: [&str; 14] = [
        "BPF_JA", "BPF_JEQ", "BPF_JGT", "BPF_JGE", "BPF_JSET", "BPF_JNE", "BPF_JSGT", "BPF_JSGE",
        "BPF_CALL", "BPF_EXIT", "BPF_JLT", "BPF_JLE", "BPF_JSLT", "BPF_JSLE",
    ];
    let code = u64::from(code);
    let class = (code & 7) as usize;
    named(out, class as u64, CLASS[class], opts);
    let rest = code & !7;
    let unknown_bits = |out: &mut String, v: u64| {
        if v != 0 {
            out.push('|');
            hex(out, v);
            out.push_str(" /* BPF_??? */");
        }
    };
    let op = |out: &mut String, names: &[&str]| {
        let src = code & 0x08;
        out.push('|');
        named(out, src, if src == 0 { "BPF_K" } else { "BPF_X" }, opts);
        out.push('|');
        match names.get((code >> 4) as usize & 0xf) {
            Some(n) => named(out, code & 0xf0, n, opts),
            None => super::consts::unknown(out, code & 0xf0, "BPF_???"),
        }
    };
    match class {
        2 | 3 => unknown_bits(out, rest),
        0 | 1 => {
            out.push('|');
            named(out, code & 0x18, SIZE[((code >> 3) & 3) as usize], opts);
            out.push('|');
            xval(out, code & 0xe0, MODE, "BPF_???", opts);
        }
        7 => {
            let miscop = code & 0x80;
            out.push('|');
            named(
                out,
                miscop,
                if miscop != 0 { "BPF_TXA" } else { "BPF_TAX" },
                opts,
            );
            unknown_bits(out, rest & !0x80);
        }
        4 => op(out, &ALU),
        5 => op(out, &JMP),
        _ => {
            // BPF_RET: what it returns (K, X, A).
            const RVAL: Xlat = &[(0x00, "BPF_K"), (0x08, "BPF_X"), (0x10, "BPF_A")];
            out.push('|');
            xval(out, code & 0x18, RVAL, "BPF_???", opts);
            unknown_bits(out, rest & !0x18);
        }
    }
}

/// What a successful clone3 wrote back, as strace reads it again at exit: ` => {pidfd=NULL,
/// parent_tid=[TID], /* bytes 88..95 */ "..."}`. The parent's tid is the tid it returns (not
/// for an injected result: the kernel wrote nothing); a pidfd's number is behind a pointer
/// the kernel side does not follow: then nothing is shown rather than half of it.
pub fn clone3_result(out: &mut String, ev: &Event, size: u64, opts: &Opts) {
    let ret = ev.rec.ret;
    let Some(c) = ev.str_for(0).filter(|c| c.bytes.len() >= 64 && size >= 64) else {
        return;
    };
    if ret < 0 {
        return;
    }
    let injected = ev.rec.flags & tracer_common::record_flags::INJECTED != 0;
    let u = |o: usize| u64::from_ne_bytes(c.bytes[o..o + 8].try_into().unwrap_or_default());
    let flags = u(0);
    let mut parts: Vec<String> = Vec::new();
    if flags & CLONE_PIDFD != 0 {
        match u(8) {
            0 => parts.push("pidfd=NULL".into()),
            _ => return,
        }
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        match u(24) {
            0 => parts.push("parent_tid=NULL".into()),
            _ if injected || ret == 0 => return,
            _ => parts.push(format!("parent_tid=[{ret}]")),
        }
    }
    if size > 88 {
        let end = (size as usize).min(4096);
        match c.bytes.get(88..end) {
            None => parts.push("???".into()),
            Some(t) if t.iter().all(|&b| b == 0) => {}
            Some(t) => {
                let mut p = format!("/* bytes 88..{} */ ", end - 1);
                let shown = t.len().min(opts.strsize);
                super::strings::quote(&mut p, &t[..shown], shown, shown < t.len(), Hex::All);
                parts.push(p);
            }
        }
    }
    if !parts.is_empty() {
        put!(out, " => {{{}}}", parts.join(", "));
    }
}

/// `CLONE_VM|CLONE_FS|SIGCHLD`: flags, then the exit signal in the low byte.
pub fn clone_flags(out: &mut String, v: u64) {
    let sig = v & 0xff;
    let rest = v & !0xff;
    if rest != 0 {
        xlat::flags(out, rest, CLONE_FLAGS);
        if sig != 0 {
            out.push('|');
        }
    }
    if sig != 0 || rest == 0 {
        out.push_str(&signal::name(sig));
    }
}

/// `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
pub fn wait_status(out: &mut String, s: u32) {
    let sig = s & 0x7f;
    out.push_str("[{");
    if s == 0xffff {
        out.push_str("WIFCONTINUED(s)");
    } else if sig == 0 {
        out.push_str(&format!(
            "WIFEXITED(s) && WEXITSTATUS(s) == {}",
            (s >> 8) & 0xff
        ));
    } else if sig == 0x7f {
        out.push_str(&format!(
            "WIFSTOPPED(s) && WSTOPSIG(s) == {}",
            signal::name(u64::from((s >> 8) & 0xff))
        ));
    } else {
        out.push_str(&format!(
            "WIFSIGNALED(s) && WTERMSIG(s) == {}",
            signal::name(u64::from(sig))
        ));
        if s & 0x80 != 0 {
            out.push_str(" && WCOREDUMP(s)");
        }
    }
    out.push_str("}]");
}

pub fn wait_options(out: &mut String, v: u64) {
    const T: Xlat = &[
        (1, "WNOHANG"),
        (2, "WSTOPPED"),
        (4, "WEXITED"),
        (8, "WCONTINUED"),
        (0x1000000, "WNOWAIT"),
        (0x20000000, "__WNOTHREAD"),
        (0x40000000, "__WALL"),
        (0x80000000, "__WCLONE"),
    ];
    xlat::flags(out, v, T);
}

pub const RLIMITS: Xlat = &[
    (0, "RLIMIT_CPU"),
    (1, "RLIMIT_FSIZE"),
    (2, "RLIMIT_DATA"),
    (3, "RLIMIT_STACK"),
    (4, "RLIMIT_CORE"),
    (5, "RLIMIT_RSS"),
    (6, "RLIMIT_NPROC"),
    (7, "RLIMIT_NOFILE"),
    (8, "RLIMIT_MEMLOCK"),
    (9, "RLIMIT_AS"),
    (10, "RLIMIT_LOCKS"),
    (11, "RLIMIT_SIGPENDING"),
    (12, "RLIMIT_MSGQUEUE"),
    (13, "RLIMIT_NICE"),
    (14, "RLIMIT_RTPRIO"),
    (15, "RLIMIT_RTTIME"),
];

/// A limit as strace prints one: `RLIM64_INFINITY`, `8192*1024`, a number; under `-X raw`
/// the number, under `-X verbose` both.
fn rlim(out: &mut String, v: u64, infinity: &str, opts: &super::Opts) {
    let name = if v == u64::MAX {
        Some(infinity.to_string())
    } else if v > 1024 && v.is_multiple_of(1024) {
        Some(format!("{}*1024", v / 1024))
    } else {
        None
    };
    match name {
        Some(n) => super::styled(out, opts, |o| super::int(o, v), |o| o.push_str(&n)),
        None => super::int(out, v),
    }
}

/// `struct rusage`: the two times, then (with -v) the fourteen counters, else `...`.
pub fn rusage(out: &mut String, b: &[u8], verbose: bool) -> bool {
    const COUNTERS: [&str; 14] = [
        "ru_maxrss",
        "ru_ixrss",
        "ru_idrss",
        "ru_isrss",
        "ru_minflt",
        "ru_majflt",
        "ru_nswap",
        "ru_inblock",
        "ru_oublock",
        "ru_msgsnd",
        "ru_msgrcv",
        "ru_nsignals",
        "ru_nvcsw",
        "ru_nivcsw",
    ];
    if b.len() < 144 {
        return false;
    }
    out.push_str("{ru_utime=");
    super::time::timeval(out, &b[0..16]);
    out.push_str(", ru_stime=");
    super::time::timeval(out, &b[16..32]);
    if verbose {
        for (k, name) in COUNTERS.iter().enumerate() {
            let at = 32 + k * 8;
            // Unsigned, as strace prints them.
            let v = u64::from_ne_bytes(b[at..at + 8].try_into().unwrap_or_default());
            put!(out, ", {name}={v}");
        }
    } else {
        out.push_str(", ...");
    }
    out.push('}');
    true
}

/// `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`.
pub fn rlimit(out: &mut String, b: &[u8], infinity: &str, opts: &super::Opts) -> bool {
    if b.len() < 16 {
        return false;
    }
    let cur = u64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
    let max = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    out.push_str("{rlim_cur=");
    rlim(out, cur, infinity, opts);
    out.push_str(", rlim_max=");
    rlim(out, max, infinity, opts);
    out.push('}');
    true
}

/// kcmp(2): two pids, the type, then what the type compares: two fds (KCMP_FILE, named in
/// their processes under -y), an fd and an epoll slot (KCMP_EPOLL_TFD), or nothing.
pub fn kcmp(
    out: &mut String,
    ev: &Event,
    sc: &crate::syscalls::Syscall,
    opts: &super::Opts,
    fds: &mut dyn super::FdNames,
) {
    let a = ev.rec.args;
    for (i, ty) in sc.args.iter().take(3).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        super::arg(out, *ty, a[i], i, ev, opts, fds);
    }
    // An fd of process `pid` (the tracer names those of the processes it knows).
    let fd_of = |out: &mut String, pid: u64, fd: u64, fds: &mut dyn super::FdNames| {
        let fd = fd as u32 as i32;
        super::int(out, fd);
        super::angled(out, fds.name_in(pid as u32 as i32, fd).as_deref());
    };
    match a[2] as u32 {
        0 => {
            out.push_str(", ");
            fd_of(out, a[0], a[3], fds);
            out.push_str(", ");
            fd_of(out, a[1], a[4], fds);
        }
        7 => {
            out.push_str(", ");
            fd_of(out, a[0], a[3], fds);
            out.push_str(", ");
            match ev
                .str_for(4)
                .filter(|c| a[4] != 0 && !c.faulted() && c.bytes.len() >= 12)
            {
                Some(c) => {
                    let w = |k: usize| {
                        u32::from_ne_bytes(c.bytes[k..k + 4].try_into().unwrap_or_default())
                    };
                    out.push_str("{efd=");
                    fd_of(out, a[1], u64::from(w(0)), fds);
                    out.push_str(", tfd=");
                    fd_of(out, a[1], u64::from(w(4)), fds);
                    put!(out, ", toff={}}}", w(8));
                }
                None => super::ptr(out, a[4]),
            }
        }
        1..=6 => {}
        _ => {
            out.push_str(", ");
            super::fs::c_hex(out, a[3]);
            out.push_str(", ");
            super::fs::c_hex(out, a[4]);
        }
    }
}

/// What a bpf(2) command that returns an fd names it (`Some("")`: it depends, ask /proc);
/// None for a command that returns no fd.
pub fn bpf_fd_name(cmd: u64) -> Option<&'static str> {
    Some(match cmd & 0xffff_ffff {
        0 | 14 => "anon_inode:bpf-map",
        5 | 13 => "anon_inode:bpf-prog",
        18 | 19 => "anon_inode:btf",
        17 | 28 | 30 => "anon_inode:bpf_link",
        7 | 33 => "",
        _ => return None,
    })
}

/// bpf(2): the command, its attributes, their size. BPF_MAP_CREATE's and BPF_PROG_LOAD's
/// attributes are decoded, each field as far as the size reaches; other commands' as their
/// address.
pub fn bpf(out: &mut String, ev: &Event, opts: &super::Opts, fds: &mut dyn super::FdNames) {
    use super::consts::{self as c, styled};
    let a = ev.rec.args;
    let (cmd, addr, size) = (a[0] as u32, a[1], a[2] as u32);
    styled(out, u64::from(cmd), &c::BPF_CMDS, false, opts);
    out.push_str(", ");
    // strace reads all `size` bytes (up to a page) or shows the address.
    let attr = ev
        .str_for(1)
        .filter(|cap| addr != 0 && !cap.faulted())
        .map(|cap| cap.bytes);
    let u32at = |b: &[u8], o: usize| u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default());
    let u64at = |b: &[u8], o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    // BPF_OBJ_GET_INFO_BY_FD: `{info={bpf_fd=4<anon_inode:bpf-map>, info_len=152 => 104,
    // info=0x...}}`, info_len as given (saved at entry) and as the kernel left it.
    if cmd == 15 {
        match attr.filter(|b| b.len() >= 16 && size >= 16) {
            Some(b) => {
                let entry = super::inout(ev.str_for(1 | usize::from(tracer_common::SLOT_CONTENTS)))
                    .and_then(|(_, entry)| entry)
                    .map(|e| u32at(e, 4));
                let now = u32at(b, 4);
                out.push_str("{info={bpf_fd=");
                super::fd_text(out, u32at(b, 0) as i32, fds);
                put!(out, ", info_len={}", entry.unwrap_or(now));
                if entry.is_some_and(|e| e != now) {
                    put!(out, " => {now}");
                }
                out.push_str(", info=");
                super::ptr(out, u64at(b, 8));
                out.push_str("}}");
            }
            None => super::ptr(out, addr),
        }
        put!(out, ", {size}");
        return;
    }
    // A field: printed when the size covers it, the rest of the structure left out.
    enum F {
        U32(&'static str),
        U64(&'static str),
        Ptr(&'static str),
        Fd(&'static str),
        Name(&'static str),
        Ifindex(&'static str),
        Val(&'static str, &'static c::Consts),
        Flags(&'static str, &'static c::Consts),
        KernVersion,
    }
    // The fields, the structure's size as strace 6.1 knows it, and how many fields are
    // printed whatever the size (zero when not given).
    let (fields, known, always): (&[(usize, F)], usize, usize) = match cmd {
        0 => (
            &[
                (0, F::Val("map_type", &c::BPF_MAP_TYPES)),
                (4, F::U32("key_size")),
                (8, F::U32("value_size")),
                (12, F::U32("max_entries")),
                (16, F::Flags("map_flags", &c::BPF_MAP_FLAGS)),
                (20, F::Fd("inner_map_fd")),
                (24, F::U32("numa_node")),
                (28, F::Name("map_name")),
                (44, F::Ifindex("map_ifindex")),
                (48, F::Fd("btf_fd")),
                (52, F::U32("btf_key_type_id")),
                (56, F::U32("btf_value_type_id")),
                (60, F::U32("btf_vmlinux_value_type_id")),
                (64, F::U64("map_extra")),
            ],
            72,
            4,
        ),
        5 => (
            &[
                (0, F::Val("prog_type", &c::BPF_PROG_TYPES)),
                (4, F::U32("insn_cnt")),
                (8, F::Ptr("insns")),
                (16, F::Ptr("license")),
                (24, F::U32("log_level")),
                (28, F::U32("log_size")),
                (32, F::Ptr("log_buf")),
                (40, F::KernVersion),
                (44, F::Flags("prog_flags", &c::BPF_PROG_FLAGS)),
                (48, F::Name("prog_name")),
                (64, F::U32("prog_ifindex")),
                (68, F::Val("expected_attach_type", &c::BPF_ATTACH_TYPES)),
                (72, F::Fd("prog_btf_fd")),
                (76, F::U32("func_info_rec_size")),
                (80, F::Ptr("func_info")),
                (88, F::U32("func_info_cnt")),
                (92, F::U32("line_info_rec_size")),
                (96, F::Ptr("line_info")),
                (104, F::U32("line_info_cnt")),
                (108, F::U32("attach_btf_id")),
                (112, F::Fd("attach_prog_fd")),
                (120, F::Ptr("fd_array")),
            ],
            128,
            4,
        ),
        _ => (&[], 0, 0),
    };
    // As strace reads it: `min(size, known)` bytes, or the address; zeros past them; a field
    // printed when the size reaches into it.
    let len = (size as usize).min(known);
    match attr {
        Some(b) if !fields.is_empty() && size > 0 && size <= 4096 && b.len() >= len => {
            let mut z = [0u8; 128];
            z[..len].copy_from_slice(&b[..len]);
            // Bytes past the known fields: `...`, or with -v all of them in hex, if not zero.
            let extra = b
                .get(known..(size as usize).min(b.len()))
                .unwrap_or_default();
            let b = &z[..];
            out.push('{');
            for (k, (at, f)) in fields.iter().enumerate() {
                if k >= always && *at >= len {
                    break;
                }
                // numa_node means something only with BPF_F_NUMA_NODE.
                if matches!(f, F::U32("numa_node")) && u32at(b, 16) & 4 == 0 {
                    continue;
                }
                if k > 0 {
                    out.push_str(", ");
                }
                match f {
                    F::U32(n) => {
                        put!(out, "{n}={}", u32at(b, *at));
                        // Always in the verbose style: NUMA_NO_NODE is not in the UAPI headers.
                        if *n == "numa_node"
                            && u32at(b, *at) == u32::MAX
                            && opts.consts != super::Consts::Raw
                        {
                            out.push_str(" /* NUMA_NO_NODE */");
                        }
                    }
                    F::U64(n) => put!(out, "{n}={}", u64at(b, *at)),
                    F::Ptr(n) => {
                        put!(out, "{n}=");
                        super::ptr(out, u64at(b, *at));
                    }
                    F::Ifindex(n) => {
                        put!(out, "{n}=");
                        super::net::ifindex_text(out, u32at(b, *at));
                    }
                    F::Fd(n) => {
                        put!(out, "{n}=");
                        super::fd_text(out, u32at(b, *at) as i32, fds);
                    }
                    // As far as the size reaches: without a NUL, all but its last byte and `...`.
                    F::Name(n) => {
                        let room = (len - at).min(16);
                        let s = &b[*at..*at + room];
                        put!(out, "{n}=");
                        match s.iter().position(|&x| x == 0) {
                            Some(z) => super::strings::quote(out, &s[..z], 16, false, opts.hex),
                            None => {
                                let s = &s[..room.saturating_sub(1)];
                                super::strings::quote(out, s, 16, true, opts.hex)
                            }
                        }
                    }
                    F::Val(n, t) => {
                        put!(out, "{n}=");
                        styled(out, u64::from(u32at(b, *at)), t, false, opts);
                    }
                    F::Flags(n, t) => {
                        put!(out, "{n}=");
                        styled(out, u64::from(u32at(b, *at)), t, true, opts);
                    }
                    F::KernVersion => {
                        let v = u32at(b, *at);
                        out.push_str("kern_version=");
                        super::styled(
                            out,
                            opts,
                            |o| super::fs::c_hex(o, u64::from(v)),
                            |o| {
                                put!(
                                    o,
                                    "KERNEL_VERSION({}, {}, {})",
                                    v >> 16,
                                    (v >> 8) & 0xff,
                                    v & 0xff
                                )
                            },
                        );
                    }
                }
            }
            if extra.iter().any(|&x| x != 0) {
                if opts.verbose {
                    out.push_str(", extra_data=");
                    let n = extra.len();
                    super::strings::quote(out, extra, n, false, super::strings::Hex::All);
                    put!(out, " /* bytes {known}..{} */", known + n - 1);
                } else {
                    out.push_str(", ...");
                }
            }
            out.push('}');
        }
        _ => super::ptr(out, addr),
    }
    put!(out, ", {size}");
}

/// seccomp(2): the operation, its flags (filter flags for SECCOMP_SET_MODE_FILTER, else a
/// number), and its argument: `struct sock_fprog` (`{len=3, filter=0x...}`), the action asked
/// about (`[SECCOMP_RET_LOG]`), or the sizes the kernel wrote.
/// A seccomp filter program (`struct sock_fprog`) at argument `i` (prctl's
/// PR_SET_SECCOMP), as seccomp(2)'s is printed.
pub fn seccomp_fprog(out: &mut String, ev: &Event, i: usize, opts: &super::Opts) {
    let addr = ev.rec.args[i];
    let cap = ev
        .str_for(i)
        .filter(|c| addr != 0 && (!c.faulted() || c.page_end()));
    match cap.filter(|c| c.bytes.len() >= 16) {
        Some(c) => sock_fprog(out, c.bytes, c.page_end(), BpfProg::Seccomp, opts),
        None => super::ptr(out, addr),
    }
}

pub fn seccomp(out: &mut String, ev: &Event, opts: &super::Opts) {
    let a = ev.rec.args;
    let (op, flags, addr) = (a[0] as u32, a[1] as u32, a[2]);
    super::consts::styled(out, u64::from(op), &super::consts::SECCOMP_OPS, false, opts);
    out.push_str(", ");
    match op {
        1 => super::consts::styled(
            out,
            u64::from(flags),
            &super::consts::SECCOMP_FILTER_FLAGS,
            true,
            opts,
        ),
        _ => super::fs::c_hex(out, u64::from(flags)),
    }
    out.push_str(", ");
    let cap = ev
        .str_for(2)
        .filter(|c| addr != 0 && (!c.faulted() || c.page_end()));
    let bytes = |n: usize| cap.map(|c| c.bytes).filter(|b| b.len() >= n);
    match op {
        1 => match bytes(16) {
            Some(b) => sock_fprog(
                out,
                b,
                cap.is_some_and(|c| c.page_end()),
                BpfProg::Seccomp,
                opts,
            ),
            None => super::ptr(out, addr),
        },
        2 => match bytes(4) {
            Some(b) => {
                out.push('[');
                let act = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                super::consts::styled(
                    out,
                    u64::from(act),
                    &super::consts::SECCOMP_RETS,
                    false,
                    opts,
                );
                out.push(']');
            }
            None => super::ptr(out, addr),
        },
        3 if ev.rec.ret >= 0 => match bytes(6) {
            Some(b) => {
                let h = |k: usize| u16::from_ne_bytes([b[k], b[k + 1]]);
                put!(
                    out,
                    "{{seccomp_notif={}, seccomp_notif_resp={}, seccomp_data={}}}",
                    h(0),
                    h(2),
                    h(4)
                );
            }
            None => super::ptr(out, addr),
        },
        _ => super::ptr(out, addr),
    }
}

/// `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`: the class (in the `-X` style) and the data.
pub fn ioprio(out: &mut String, v: u64, opts: &super::Opts) {
    const CLASSES: Xlat = &[
        (0, "IOPRIO_CLASS_NONE"),
        (1, "IOPRIO_CLASS_RT"),
        (2, "IOPRIO_CLASS_BE"),
        (3, "IOPRIO_CLASS_IDLE"),
    ];
    let v = v & 0xffff_ffff;
    let (class, data) = (v >> 13, v & 0x1fff);
    out.push_str("IOPRIO_PRIO_VALUE(");
    match xlat::name_of(class, CLASSES) {
        Some(n) => super::styled(out, opts, |o| super::int(o, class), |o| o.push_str(n)),
        None => super::consts::unknown(out, class, "IOPRIO_CLASS_???"),
    }
    put!(out, ", {data})");
}

pub fn arch_prctl(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0x1001, "ARCH_SET_GS"),
        (0x1002, "ARCH_SET_FS"),
        (0x1003, "ARCH_GET_FS"),
        (0x1004, "ARCH_GET_GS"),
        (0x1011, "ARCH_GET_CPUID"),
        (0x1012, "ARCH_SET_CPUID"),
        (0x1021, "ARCH_GET_XCOMP_SUPP"),
        (0x1022, "ARCH_GET_XCOMP_PERM"),
        (0x1023, "ARCH_REQ_XCOMP_PERM"),
        (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
        (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
        (0x2001, "ARCH_MAP_VDSO_X32"),
        (0x2002, "ARCH_MAP_VDSO_32"),
        (0x2003, "ARCH_MAP_VDSO_64"),
    ];
    match xlat::name_of(v, T) {
        Some(n) => out.push_str(n),
        None => super::consts::unknown(out, v, "ARCH_???"),
    }
}

pub fn prctl_option(out: &mut String, v: u64) {
    super::consts::value(out, v, &super::consts::PRCTL_OPTIONS);
}

const FUTEX_CMDS: [&str; 14] = [
    "FUTEX_WAIT",
    "FUTEX_WAKE",
    "FUTEX_FD",
    "FUTEX_REQUEUE",
    "FUTEX_CMP_REQUEUE",
    "FUTEX_WAKE_OP",
    "FUTEX_LOCK_PI",
    "FUTEX_UNLOCK_PI",
    "FUTEX_TRYLOCK_PI",
    "FUTEX_WAIT_BITSET",
    "FUTEX_WAKE_BITSET",
    "FUTEX_WAIT_REQUEUE_PI",
    "FUTEX_CMP_REQUEUE_PI",
    "FUTEX_LOCK_PI2",
];

/// `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`; returns the command number.
pub fn futex_op(out: &mut String, v: u64) -> u64 {
    let cmd = v & 127;
    match FUTEX_CMDS.get(cmd as usize) {
        Some(n) => {
            out.push_str(n);
            if v & 128 != 0 {
                out.push_str("_PRIVATE");
            }
            if v & 256 != 0 {
                out.push_str("|FUTEX_CLOCK_REALTIME");
            }
            let rest = v & !(127 | 128 | 256);
            if rest != 0 {
                put!(out, "|{rest:#x}");
            }
        }
        None => out.push_str(&format!("{v:#x} /* FUTEX_??? */")),
    }
    cmd
}

pub fn grnd_flags(out: &mut String, v: u64) {
    const T: Xlat = &[
        (1, "GRND_NONBLOCK"),
        (2, "GRND_RANDOM"),
        (4, "GRND_INSECURE"),
    ];
    xlat::flags(out, v, T);
}

/// `{sysname="Linux", nodename="host", ...}` (strace's non-verbose form).
pub fn utsname(out: &mut String, b: &[u8]) -> bool {
    if b.len() < 130 {
        return false;
    }
    let field = |i: usize| {
        let f = &b[i * 65..(i + 1) * 65];
        let end = f.iter().position(|c| *c == 0).unwrap_or(65);
        &f[..end]
    };
    out.push_str("{sysname=");
    quote(out, field(0), usize::MAX, false, Hex::None);
    out.push_str(", nodename=");
    quote(out, field(1), usize::MAX, false, Hex::None);
    out.push_str(", ...}");
    true
}

/// `{uptime=..., loads=[...], totalram=..., ..., mem_unit=1}` (struct sysinfo, x86_64).
pub fn sysinfo(out: &mut String, b: &[u8]) -> bool {
    if b.len() < 112 {
        return false;
    }
    let u = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    out.push_str(&format!(
        "{{uptime={}, loads=[{}, {}, {}], totalram={}, freeram={}, sharedram={}, bufferram={}, totalswap={}, freeswap={}, procs={}, totalhigh={}, freehigh={}, mem_unit={}}}",
        u(0) as i64,
        u(8),
        u(16),
        u(24),
        u(32),
        u(40),
        u(48),
        u(56),
        u(64),
        u(72),
        u16::from_ne_bytes([b[80], b[81]]),
        u(88),
        u(96),
        u32::from_ne_bytes(b[104..108].try_into().unwrap_or_default())
    ));
    true
}

/// `[0 1]`: the CPUs set in a mask.
pub fn cpu_set(out: &mut String, b: &[u8]) -> bool {
    out.push('[');
    let mut first = true;
    for (i, byte) in b.iter().enumerate() {
        for bit in 0..8 {
            if byte & (1 << bit) != 0 {
                if !first {
                    out.push(' ');
                }
                first = false;
                out.push_str(&(i * 8 + bit).to_string());
            }
        }
    }
    out.push(']');
    true
}

/// A successful execve/execveat: its registers are gone at exit, so filename, argv and the
/// environment come from `sched_process_exec` (the new image's stack). For execveat the kernel
/// named the file `/dev/fd/N` or `/dev/fd/N/PATH` when a dirfd was used: N and PATH are the
/// dirfd and path given, and an empty PATH means AT_EMPTY_PATH.
pub fn execve(
    out: &mut String,
    sc: &Syscall,
    exec: Option<&ExecInfo>,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    let at = sc.arg_of(Ty::Dirfd).is_some();
    match exec {
        Some(x) => {
            let mut path: &[u8] = &x.filename;
            let mut empty_path = false;
            if let (true, Some(e)) = (at, &x.entry) {
                // execveat's dirfd and flags, read at entry.
                super::dirfd_text(out, e.dirfd, fds);
                out.push_str(", ");
                if let Some((_, rest)) = execveat_dirfd(path) {
                    path = rest;
                }
                strings::quote(out, path, usize::MAX, false, opts.hex);
                out.push_str(", ");
                e.print(out, opts);
                out.push_str(", ");
                super::fs::at_flags(out, e.flags);
                return;
            }
            if at {
                match execveat_dirfd(path) {
                    Some((fd, rest)) => {
                        fd_text(out, fd, fds);
                        empty_path = rest.is_empty();
                        path = rest;
                    }
                    None => out.push_str("AT_FDCWD"),
                }
                out.push_str(", ");
            }
            strings::quote(out, path, usize::MAX, false, opts.hex);
            if let Some(e) = &x.entry {
                // As the caller passed them (read at entry).
                out.push_str(", ");
                e.print(out, opts);
                if at {
                    out.push_str(if empty_path { ", AT_EMPTY_PATH" } else { ", 0" });
                }
                return;
            }
            let all = &x.argv;
            let split = x.argv_len.min(all.len());
            let (argv, env) = all.split_at(split);
            // The argv part was cut if the copy ended inside it.
            let argv_cut = x.argv_truncated && split == all.len();
            out.push_str(", [");
            string_list(out, argv, argv_cut, opts);
            // strace prints the envp pointer, which a successful exec has already replaced; the
            // count of variables is what matters.
            if opts.verbose {
                out.push_str("], [");
                string_list(out, env, x.argv_truncated, opts);
                out.push(']');
            } else {
                let vars = env.iter().filter(|b| **b == 0).count();
                let more = if x.argv_truncated { "+" } else { "" };
                let s = if vars == 1 && more.is_empty() {
                    ""
                } else {
                    "s"
                };
                put!(out, "], /* {vars}{more} var{s} */");
            }
            if at {
                out.push_str(if empty_path { ", AT_EMPTY_PATH" } else { ", 0" });
            }
        }
        None if at => out.push_str("?, ?, ?, ?, ?"),
        None => out.push_str("?, ?, ?"),
    }
}

/// An element of argv or the environment read at an exec's entry: its string, or the
/// pointer when it could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListElem {
    Str(Vec<u8>),
    Addr(u64),
}

/// argv or the environment as an exec's entry read it (`kind::EXEC_ARGS`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrList {
    pub elems: Vec<ListElem>,
    /// More elements followed those copied.
    pub more: bool,
    /// The pointer array became unreadable here, after the elements copied.
    pub fault_at: Option<u64>,
}

impl StrList {
    /// The list in argument `arg`'s slot of `ev`, the array at `ptr`; `more` and `fault`:
    /// the `exec_args` bits of `flags` that say elements were left out, or the array
    /// became unreadable after them.
    fn from_slot(
        ev: &Event,
        arg: usize,
        ptr: u64,
        flags: u32,
        more: u32,
        fault: u32,
    ) -> Option<Self> {
        let elems = Self::parse(ev.str_for(arg)?.bytes);
        let fault_at = (flags & fault != 0).then(|| ptr.wrapping_add(8 * elems.len() as u64));
        Some(StrList {
            elems,
            more: flags & more != 0,
            fault_at,
        })
    }

    /// The entries of a list slot (`tracer_common::exec_args`).
    fn parse(bytes: &[u8]) -> Vec<ListElem> {
        use tracer_common::exec_args::ENTRY_HEAD;
        let mut v = Vec::new();
        let mut at = 0;
        while let Some(head) = bytes.get(at..at + ENTRY_HEAD) {
            let p = u64::from_ne_bytes(head[..8].try_into().unwrap_or_default());
            let n = i32::from_ne_bytes(head[8..12].try_into().unwrap_or_default());
            at += ENTRY_HEAD;
            if n <= 0 {
                v.push(ListElem::Addr(p));
                continue;
            }
            let n = n as usize;
            let s = bytes.get(at..at + n).unwrap_or_default();
            // The string without its NUL (the kernel always ends the copy with one).
            v.push(ListElem::Str(s[..s.len().saturating_sub(1)].to_vec()));
            at += (n + 7) & !7;
        }
        v
    }

    /// As strace's printargv: `[...]` of at most `-s` strings unless -v, `... /* 0x... */`
    /// where the array became unreadable.
    fn print(&self, out: &mut String, addr: u64, opts: &Opts) {
        if self.elems.is_empty() && self.fault_at.is_some() {
            return ptr(out, addr);
        }
        out.push('[');
        let shown = if opts.verbose {
            self.elems.len()
        } else {
            self.elems.len().min(opts.strsize)
        };
        for (i, e) in self.elems[..shown].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match e {
                ListElem::Str(b) => quote(out, b, opts.strsize, false, opts.hex),
                ListElem::Addr(a) => ptr(out, *a),
            }
        }
        let sep = if shown > 0 { ", " } else { "" };
        if shown < self.elems.len() || self.more {
            put!(out, "{sep}...");
        } else if let Some(a) = self.fault_at {
            put!(out, "{sep}... /* {a:#x} */");
        }
        out.push(']');
    }
}

/// An exec's argv and environment read at its entry (`kind::EXEC_ARGS`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecArgs {
    /// execve or execveat (a successful one returns with execve's number).
    pub nr: i32,
    /// execveat's dirfd and flags.
    pub dirfd: i32,
    pub flags: u64,
    pub argv_ptr: u64,
    /// None: not read (a NULL pointer).
    pub argv: Option<StrList>,
    pub envp_ptr: u64,
    /// How many variables (strace counts them when it does not print them).
    pub env_count: u32,
    /// The environment's array became unreadable before its NULL.
    pub env_unterminated: bool,
    /// There were more than the kernel counts.
    pub env_capped: bool,
    /// With -v: the variables.
    pub env: Option<StrList>,
}

impl ExecArgs {
    /// argv's argument: 1 of execve, 2 of execveat (envp is the next one).
    fn argv_arg(nr: i32) -> usize {
        if nr == 322 { 2 } else { 1 }
    }

    /// An `EXEC_ARGS` record (the exec's entry).
    pub fn from_event(ev: &Event) -> Self {
        use tracer_common::exec_args as f;
        let r = &ev.rec;
        let argv_arg = Self::argv_arg(r.nr);
        ExecArgs {
            nr: r.nr,
            dirfd: r.args[2] as u32 as i32,
            flags: r.args[3],
            argv_ptr: r.args[0],
            argv: StrList::from_slot(ev, argv_arg, r.args[0], r.aux, f::ARGV_MORE, f::ARGV_FAULT),
            envp_ptr: r.args[1],
            env_count: r.ret as u32,
            env_unterminated: r.aux & f::ENV_FAULT != 0,
            env_capped: r.aux & f::ENV_CAPPED != 0,
            env: StrList::from_slot(
                ev,
                argv_arg + 1,
                r.args[1],
                r.aux,
                f::ENV_MORE,
                f::ENV_LIST_FAULT,
            ),
        }
    }

    /// What the exit of a failed exec read (`capture::STR_LIST`): argv's list slot and, in
    /// envp's slot, the variables' count and the `exec_args` flags. None without them.
    pub fn from_exit(ev: &Event) -> Option<Self> {
        use tracer_common::exec_args as f;
        let r = &ev.rec;
        let argv_arg = Self::argv_arg(r.nr);
        let v = ev.str_for(argv_arg + 1)?.bytes;
        let word = |i: usize| {
            v.get(i * 4..i * 4 + 4)
                .map_or(0, |b| u32::from_ne_bytes(b.try_into().unwrap_or_default()))
        };
        let (count, flags) = (word(0), word(1));
        let (argv_ptr, envp_ptr) = (r.args[argv_arg], r.args[argv_arg + 1]);
        Some(ExecArgs {
            nr: r.nr,
            dirfd: 0,
            flags: 0,
            argv_ptr,
            argv: Some(StrList::from_slot(
                ev,
                argv_arg,
                argv_ptr,
                flags,
                f::ARGV_MORE,
                f::ARGV_FAULT,
            )?),
            envp_ptr,
            env_count: count,
            env_unterminated: flags & f::ENV_FAULT != 0,
            env_capped: flags & f::ENV_CAPPED != 0,
            env: None,
        })
    }

    /// `argv, envp` as strace prints them: the strings of argv; the environment's address
    /// and size (`0x7ffd... /* 35 vars */`), or with -v its strings.
    pub fn print(&self, out: &mut String, opts: &Opts) {
        match &self.argv {
            Some(l) if self.argv_ptr != 0 => l.print(out, self.argv_ptr, opts),
            _ => ptr(out, self.argv_ptr),
        }
        out.push_str(", ");
        if let (true, Some(l)) = (opts.verbose, &self.env) {
            return l.print(out, self.envp_ptr, opts);
        }
        ptr(out, self.envp_ptr);
        if self.envp_ptr == 0 || (self.env_count == 0 && self.env_unterminated) {
            return;
        }
        let n = self.env_count;
        let plus = if self.env_capped { "+" } else { "" };
        let s = if n == 1 && plus.is_empty() { "" } else { "s" };
        let unterminated = if self.env_unterminated {
            ", unterminated"
        } else {
            ""
        };
        put!(out, " /* {n}{plus} var{s}{unterminated} */");
    }
}

/// A failed execve/execveat, its argv and environment read at entry.
pub fn execve_failed(
    out: &mut String,
    ev: &Event,
    sc: &Syscall,
    entry: Option<&ExecArgs>,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    let a = ev.rec.args;
    let at = usize::from(sc.arg_of(Ty::Dirfd).is_some());
    for (i, (ty, v)) in sc.args.iter().zip(a).take(at + 1).enumerate() {
        arg(out, *ty, v, i, ev, opts, fds);
        out.push_str(", ");
    }
    match entry {
        Some(e) => e.print(out, opts),
        None => {
            ptr(out, a[at + 1]);
            out.push_str(", ");
            ptr(out, a[at + 2]);
        }
    }
    if at == 1 {
        out.push_str(", ");
        arg(out, sc.args[4], a[4], 4, ev, opts, fds);
    }
}

/// NUL-separated strings (argv, the environment) quoted and comma-separated; `cut`: the copy
/// ended inside the last one, which is marked cut and followed by `...`.
fn string_list(out: &mut String, nul_separated: &[u8], cut: bool, opts: &Opts) {
    let mut parts: Vec<&[u8]> = nul_separated.split(|b| *b == 0).collect();
    if parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let last = i + 1 == parts.len();
        strings::quote(out, p, opts.strsize, last && cut, opts.hex);
    }
    if cut {
        out.push_str(", ...");
    }
}

/// `/dev/fd/3` -> (3, ""), `/dev/fd/3/prog` -> (3, "prog"): the names fs/exec.c gives a file
/// executed relative to a dirfd.
fn execveat_dirfd(path: &[u8]) -> Option<(i32, &[u8])> {
    let rest = path.strip_prefix(b"/dev/fd/")?;
    let end = rest.iter().position(|b| *b == b'/').unwrap_or(rest.len());
    let fd = std::str::from_utf8(&rest[..end]).ok()?.parse().ok()?;
    Some((fd, rest.get(end + 1..).unwrap_or(&[])))
}

/// `futex(uaddr, op, val, ...)`: the arguments after `val` depend on the operation.
pub fn futex(out: &mut String, ev: &Event, opts: &Opts, fds: &mut dyn FdNames) {
    const FUTEX_WAIT: u64 = 0;
    const FUTEX_WAKE: u64 = 1;
    const FUTEX_UNLOCK_PI: u64 = 7;
    const FUTEX_TRYLOCK_PI: u64 = 8;
    const FUTEX_WAIT_BITSET: u64 = 9;
    let a = ev.rec.args;
    ptr(out, a[0]);
    out.push_str(", ");
    let cmd = futex_op(out, a[1]);
    put!(out, ", {}", a[2] as u32 as i32);
    match cmd {
        FUTEX_WAIT => {
            out.push_str(", ");
            arg(out, Ty::Timespec, a[3], 3, ev, opts, fds);
        }
        // timeout, uaddr2 (unused), bitset.
        FUTEX_WAIT_BITSET => {
            out.push_str(", ");
            arg(out, Ty::Timespec, a[3], 3, ev, opts, fds);
            if a[5] as u32 == u32::MAX {
                out.push_str(", FUTEX_BITSET_MATCH_ANY");
            } else {
                put!(out, ", {:#x}", a[5] as u32);
            }
        }
        FUTEX_WAKE | FUTEX_UNLOCK_PI | FUTEX_TRYLOCK_PI => {}
        _ => out.push_str(&format!(", {:#x}, {:#x}, {:#x}", a[3], a[4], a[5])),
    }
}

/// `clone(child_stack=..., flags=...)`, with the pointers its flags make meaningful.
pub fn clone(out: &mut String, ev: &Event) {
    const CLONE_SETTLS: u64 = 0x80000;
    const CLONE_PARENT_SETTID: u64 = 0x100000;
    const CLONE_CHILD_CLEARTID: u64 = 0x200000;
    const CLONE_CHILD_SETTID: u64 = 0x1000000;
    let a = ev.rec.args;
    out.push_str("child_stack=");
    ptr(out, a[1]);
    out.push_str(", flags=");
    clone_flags(out, a[0]);
    if a[0] & CLONE_PARENT_SETTID != 0 {
        put!(out, ", parent_tid={:#x}", a[2]);
    }
    if a[0] & CLONE_SETTLS != 0 {
        put!(out, ", tls={:#x}", a[4]);
    }
    if a[0] & (CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID) != 0 {
        put!(out, ", child_tidptr={:#x}", a[3]);
    }
}

/// modify_ldt's `struct user_desc` (arch/x86/include/uapi/asm/ldt.h): three words, then the
/// flag bits of the fourth.
pub fn user_desc(out: &mut String, b: &[u8]) -> bool {
    let Some(w) = b.get(..16) else {
        return false;
    };
    let word = |k: usize| u32::from_ne_bytes(w[k * 4..k * 4 + 4].try_into().unwrap_or_default());
    let entry = word(0);
    if entry == u32::MAX {
        out.push_str("{entry_number=-1");
    } else {
        put!(out, "{{entry_number={entry}");
    }
    for (k, name) in [(1, "base_addr"), (2, "limit")] {
        match word(k) {
            0 => put!(out, ", {name}=00000000"),
            v => put!(out, ", {name}={v:#010x}"),
        }
    }
    let bits = word(3);
    for (shift, width, name) in [
        (0, 1, "seg_32bit"),
        (1, 2, "contents"),
        (3, 1, "read_exec_only"),
        (4, 1, "limit_in_pages"),
        (5, 1, "seg_not_present"),
        (6, 1, "useable"),
        (7, 1, "lm"),
    ] {
        put!(out, ", {name}={}", (bits >> shift) & ((1 << width) - 1));
    }
    out.push('}');
    true
}

/// kexec_load's flags: the architecture (`KEXEC_ARCH_MASK`, 0xffff0000), then the flags.
pub fn kexec_flags(out: &mut String, v: u64) {
    use super::consts::{KEXEC_ARCHES, KEXEC_FLAGS, flags, value};
    const ARCH_MASK: u64 = 0xffff_0000;
    value(out, v & ARCH_MASK, &KEXEC_ARCHES);
    let rest = v & !ARCH_MASK;
    if rest != 0 {
        out.push('|');
        flags(out, rest, &KEXEC_FLAGS);
    }
}

/// syslog(2): the action, always as a number with its name (strace prints it so); the
/// buffer and length only for the actions that use them (read on success).
pub fn syslog(out: &mut String, ev: &Event, opts: &super::Opts, fds: &mut dyn super::FdNames) {
    use super::consts::{LOGLEVELS, SYSLOG_ACTIONS};
    let a = ev.rec.args;
    let (action, len) = (a[0] as u32 as i32, a[2] as u32 as i32);
    // `8 /* SYSLOG_ACTION_CONSOLE_LEVEL */`, `-1 /* SYSLOG_ACTION_??? */`.
    let verbose = |o: &mut String, v: i32, c: &super::consts::Consts| {
        put!(o, "{v}");
        if opts.consts != super::Consts::Raw {
            let name = super::xlat::name_of(u64::from(v as u32), c.table).unwrap_or(c.unknown);
            put!(o, " /* {name} */");
        }
    };
    verbose(out, action, &SYSLOG_ACTIONS);
    match action {
        0 | 1 | 5 | 6 | 7 | 9 | 10 => {}
        2..=4 => {
            out.push_str(", ");
            super::arg(out, Ty::OutBuf, a[1], 1, ev, opts, fds);
            put!(out, ", {len}");
        }
        8 => {
            out.push_str(", ");
            super::ptr(out, a[1]);
            out.push_str(", ");
            verbose(out, len, &LOGLEVELS);
        }
        _ => {
            out.push_str(", ");
            super::ptr(out, a[1]);
            put!(out, ", {len}");
        }
    }
}

/// `struct sched_attr` as strace prints it: sched_setattr's as given (`got` None: its size
/// field says how much the kernel reads, 0 meaning the first version's 48 bytes),
/// sched_getattr's as the kernel wrote it (`got`: the bytes read, its size field what was
/// written). Fields the flags tell the kernel to keep are left out of a set.
pub fn sched_attr(out: &mut String, b: &[u8], got: Option<usize>, opts: &super::Opts) {
    const MIN: usize = 48;
    const KEEP_POLICY: u64 = 0x08;
    const KEEP_PARAMS: u64 = 0x10;
    let u32at = |o: usize| {
        b.get(o..o + 4)
            .map_or(0, |x| u32::from_ne_bytes(x.try_into().unwrap_or_default()))
    };
    let u64at = |o: usize| {
        b.get(o..o + 8)
            .map_or(0, |x| u64::from_ne_bytes(x.try_into().unwrap_or_default()))
    };
    let field = u32at(0);
    let is_set = got.is_none();
    // The size asked for, and the bytes that are the structure.
    let (wanted, size) = match got {
        Some(n) => (field as usize, n.min(field as usize)),
        None => {
            let want = if field == 0 { MIN } else { field as usize };
            (want, want.min(56))
        }
    };
    put!(out, "{{size={field}");
    if size >= MIN {
        let (policy, flags) = (u32at(4), u64at(8));
        if !is_set || (policy as i32) < 0 || flags & (KEEP_POLICY | KEEP_PARAMS) == 0 {
            out.push_str(", sched_policy=");
            super::consts::styled(
                out,
                policy.into(),
                &super::consts::SCHED_POLICIES,
                false,
                opts,
            );
        }
        out.push_str(", sched_flags=");
        super::consts::styled(out, flags, &super::consts::SCHED_ATTR_FLAGS, true, opts);
        if !is_set || flags & KEEP_PARAMS == 0 {
            put!(
                out,
                ", sched_nice={}, sched_priority={}, sched_runtime={}, sched_deadline={}, sched_period={}",
                u32at(16) as i32,
                u32at(20),
                u64at(24),
                u64at(32),
                u64at(40)
            );
        }
        if size >= 56 {
            put!(
                out,
                ", sched_util_min={}, sched_util_max={}",
                u32at(48),
                u32at(52)
            );
        }
    }
    if wanted > size {
        out.push_str(", ...");
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Classic BPF programs as strace prints them (its sock_filter-v and seccomp-filter-v
    /// tests' instructions): statements, jumps, packet offsets, seccomp actions.
    #[test]
    fn bpf_programs_print_as_strace_prints_them() {
        let insn = |code: u16, jt: u8, jf: u8, k: u32| {
            let mut v = code.to_ne_bytes().to_vec();
            v.extend([jt, jf]);
            v.extend(k.to_ne_bytes());
            v
        };
        let sock: Vec<u8> = [
            insn(0x30, 0, 0, 0xffe0_0004),
            insn(0x30, 0, 0, 0xffff_f000),
            insn(0x15, 0, 5, 0x11),
            insn(0x80, 0, 0, 0),
            insn(0x06, 0, 0, 0xffff),
        ]
        .concat();
        let verbose = Opts {
            verbose: true,
            ..Opts::default()
        };
        let text = |b: &[u8], len, page_end, kind, opts: &Opts| {
            let mut s = String::new();
            bpf_program(&mut s, 0x1000, len, b, page_end, kind, opts);
            s
        };
        assert_eq!(
            text(&sock, 5, false, BpfProg::Socket, &verbose),
            "[BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_LL_OFF+4), \
             BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL), \
             BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x11, 0, 0x5), BPF_STMT(BPF_LD|BPF_W|BPF_LEN, 0), \
             BPF_STMT(BPF_RET|BPF_K, 0xffff)]"
        );
        // Without -v: the address.
        assert_eq!(
            text(&sock, 5, false, BpfProg::Socket, &Opts::default()),
            "0x1000"
        );
        // Cut by an unreadable page after the first instruction.
        let seccomp = insn(0x06, 0, 0, 0);
        assert_eq!(
            text(&seccomp, 3, true, BpfProg::Seccomp, &verbose),
            "[BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_KILL_THREAD), ... /* 0x1008 */]"
        );
        let raw = Opts {
            consts: super::super::Consts::Raw,
            ..verbose
        };
        assert_eq!(
            text(&sock[..8], 1, false, BpfProg::Socket, &raw),
            "[BPF_STMT(0|0x10|0x20, 0xffe00000+4)]"
        );
    }

    /// clone3's arguments as strace prints them: the fields a flag enables only with it,
    /// `exit_signal` by name, `cgroup` only when the size reaches it; -X raw numbers.
    #[test]
    fn clone3_arguments_print_as_strace_prints_them() {
        let mut b = [0u8; 88];
        let mut put = |o: usize, v: u64| b[o..o + 8].copy_from_slice(&v.to_ne_bytes());
        put(0, 0x100 | 0x100000 | 0x2_0000_0000);
        put(24, 0x1000);
        put(32, 17);
        put(48, 0x2000);
        put(80, 5);
        let text = |size, opts: &Opts| {
            let mut s = String::new();
            clone_args(&mut s, &b, size, None, opts);
            s
        };
        assert_eq!(
            text(88, &Opts::default()),
            "flags=CLONE_VM|CLONE_PARENT_SETTID|CLONE_INTO_CGROUP, parent_tid=0x1000, \
             exit_signal=SIGCHLD, stack=NULL, stack_size=0x2000, cgroup=5"
        );
        let raw = Opts {
            consts: super::super::Consts::Raw,
            ..Opts::default()
        };
        assert_eq!(
            text(64, &raw),
            "flags=0x200100100, parent_tid=0x1000, exit_signal=17, stack=NULL, stack_size=0x2000"
        );
        // set_tid: the pids the kernel side read behind the pointer; none read (more than
        // 32, or a bad pointer), the address.
        let mut b = [0u8; 88];
        b[64..72].copy_from_slice(&0x7000u64.to_ne_bytes());
        b[72..80].copy_from_slice(&2u64.to_ne_bytes());
        let tids = [(-5i32).to_ne_bytes(), 42i32.to_ne_bytes()].concat();
        let slot = crate::source::Captured {
            arg: 0x80,
            status: tracer_common::str_status::OK,
            bytes: &tids,
        };
        let mut s = String::new();
        clone_args(&mut s, &b, 88, Some(&slot), &Opts::default());
        assert!(s.ends_with(", set_tid=[-5, 42], set_tid_size=2"), "{s}");
        let mut s = String::new();
        clone_args(&mut s, &b, 88, None, &Opts::default());
        assert!(s.ends_with(", set_tid=0x7000, set_tid_size=2"), "{s}");
    }

    use super::super::xlat::render as s;

    #[test]
    fn clone_and_wait() {
        assert_eq!(
            s(clone_flags, 0x1200000 | 17),
            "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"
        );
        let mut o = String::new();
        wait_status(&mut o, 3 << 8);
        assert_eq!(o, "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]");
        let mut o = String::new();
        wait_status(&mut o, 9);
        assert_eq!(o, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");
        assert_eq!(s(wait_options, 0), "0");
        assert_eq!(s(wait_options, 1), "WNOHANG");
    }

    #[test]
    fn limits_and_codes() {
        let mut b = (8192u64 * 1024).to_ne_bytes().to_vec();
        b.extend(u64::MAX.to_ne_bytes());
        let mut o = String::new();
        assert!(rlimit(
            &mut o,
            &b,
            "RLIM64_INFINITY",
            &super::super::Opts::default()
        ));
        assert_eq!(o, "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}");
        assert_eq!(s(arch_prctl, 0x1002), "ARCH_SET_FS");
        assert_eq!(s(arch_prctl, 0x3001), "0x3001 /* ARCH_??? */");
        let mut o = String::new();
        assert_eq!(futex_op(&mut o, 128 | 9 | 256), 9);
        assert_eq!(o, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
        assert_eq!(s(grnd_flags, 1), "GRND_NONBLOCK");
    }
}
