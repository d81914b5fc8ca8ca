//! Signal names (x86_64 numbering, arch/x86/include/uapi/asm/signal.h).
use super::Event;

const NAMES: [&str; 32] = [
    "0",
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

use super::xlat::{self, Xlat};

/// `SIGTERM`, `SIGRTMIN`, `SIGRT_3`, or the number (strace's names).
pub fn name(sig: u64) -> String {
    match sig {
        1..=31 => NAMES[sig as usize].to_string(),
        32 => "SIGRTMIN".to_string(),
        33..=64 => format!("SIGRT_{}", sig - 32),
        _ => sig.to_string(),
    }
}

/// `[INT TERM]`, or `~[KILL STOP]` when most signals are in the set (strace's form).
pub fn sigset(out: &mut String, mask: u64) {
    let (bits, neg) = if mask.count_ones() > 32 {
        (!mask, true)
    } else {
        (mask, false)
    };
    if neg {
        out.push('~');
    }
    out.push('[');
    let mut first = true;
    for sig in 1..=64u64 {
        if bits & (1 << (sig - 1)) != 0 {
            if !first {
                out.push(' ');
            }
            first = false;
            let n = name(sig);
            out.push_str(n.strip_prefix("SIG").unwrap_or(&n));
        }
    }
    out.push(']');
}

pub fn sigset_bytes(out: &mut String, b: &[u8]) -> bool {
    match b.get(0..8) {
        Some(m) => {
            sigset(out, u64::from_ne_bytes(m.try_into().unwrap_or_default()));
            true
        }
        None => false,
    }
}

pub fn how(out: &mut String, v: u64) {
    const T: Xlat = &[(0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK")];
    xlat::value(out, v, T);
}

const SA_FLAGS: Xlat = &[
    (0x04000000, "SA_RESTORER"),
    (0x08000000, "SA_ONSTACK"),
    (0x10000000, "SA_RESTART"),
    (0x40000000, "SA_NODEFER"),
    (0x80000000, "SA_RESETHAND"),
    (1, "SA_NOCLDSTOP"),
    (2, "SA_NOCLDWAIT"),
    (4, "SA_SIGINFO"),
];

/// `{sa_handler=SIG_DFL, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f...}` (the
/// kernel's struct sigaction: handler, flags, restorer, mask).
pub fn sigaction(out: &mut String, b: &[u8]) -> bool {
    if b.len() < 32 {
        return false;
    }
    let word = |i: usize| u64::from_ne_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or_default());
    let (handler, flags, restorer, mask) = (word(0), word(1), word(2), word(3));
    out.push_str("{sa_handler=");
    match handler {
        0 => out.push_str("SIG_DFL"),
        1 => out.push_str("SIG_IGN"),
        h => out.push_str(&format!("{h:#x}")),
    }
    out.push_str(", sa_mask=");
    sigset(out, mask);
    out.push_str(", sa_flags=");
    xlat::flags(out, flags, SA_FLAGS);
    if flags & 0x04000000 != 0 {
        put!(out, ", sa_restorer={restorer:#x}");
    }
    out.push('}');
    true
}

/// `rt_sigreturn({mask=[...]})`: the kernel side puts the restored signal mask
/// (`task->blocked`) in args[0], the registers being the restored context.
pub fn rt_sigreturn(out: &mut String, ev: &Event) {
    out.push_str("{mask=");
    sigset(out, ev.rec.args[0]);
    out.push('}');
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::name(9), "SIGKILL");
        assert_eq!(super::name(15), "SIGTERM");
        assert_eq!(super::name(34), "SIGRT_2");
        let mut s = String::new();
        super::sigset(&mut s, (1 << 1) | (1 << 14));
        assert_eq!(s, "[INT TERM]");
        let mut s = String::new();
        super::sigset(&mut s, !((1 << 8) | (1 << 18)));
        assert_eq!(s, "~[KILL STOP]");
        let mut s = String::new();
        super::sigset(&mut s, 0);
        assert_eq!(s, "[]");
        assert_eq!(super::name(0), "0");
    }
}
