//! `-e inject=` and `-e fault=`: strace's fault injection, without ptrace.
//!
//! For a command the tracer starts, the child installs a seccomp filter before its exec that
//! returns `SECCOMP_RET_USER_NOTIF` for the injected syscall numbers only (every other call
//! runs at full speed). The tracer takes the filter's listener fd and answers each stopped
//! call: the error or value when the occurrence is one `when=` selects, `CONTINUE` (the call
//! runs) otherwise. The filter is inherited across fork and exec, so descendants are injected
//! too, each thread counting its own calls as strace counts per tcb. `signal=` is sent at the
//! call's exit by the kernel side (`bpf_send_signal_thread`), where strace delivers it.
//!
//! For `-p` targets (no seccomp filter can be given to a running process without ptrace)
//! only `signal=` works: the kernel counts the calls itself (`INJECT_RULES`).
use std::{
    collections::HashMap,
    os::fd::{AsRawFd, OwnedFd},
    sync::Arc,
    time::Duration,
};

use tracer_common::{INJECT_LAST_INF, InjectCount, InjectRule, record_flags};

use crate::{
    config::parse_trace_set,
    decode,
    syscalls::{self, Abi, Ty},
};

/// What an injected call returns instead of running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The call runs (`signal=`/`delay_enter=` alone).
    Run,
    /// `error=ERRNO`: -1 with this errno.
    Error(u32),
    /// `retval=N`: this value, as a success.
    Retval(u64),
}

/// One `-e inject=`/`-e fault=` expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The expression as given, for messages.
    pub text: String,
    /// Per ABI (x86_64, i386), per syscall number: injected?
    pub calls: [Vec<bool>; 2],
    pub action: Action,
    /// `signal=`: 0 = none.
    pub signal: u32,
    pub delay_enter: Option<Duration>,
    pub delay_exit: Option<Duration>,
    /// `when=`: as strace's `InjectRule` fields.
    pub first: u32,
    pub last: u32,
    pub step: u32,
    /// `path=GLOB`: only calls whose path argument (or an fd argument's path) matches.
    pub path: Option<Vec<u8>>,
    /// `fd=N`: only calls whose fd argument is N.
    pub fd: Option<i32>,
}

impl Rule {
    pub fn kernel_rule(&self) -> InjectRule {
        InjectRule {
            sig: self.signal,
            first: self.first,
            last: self.last,
            step: self.step,
        }
    }

    /// Whether the rule needs the call's arguments (read when it stops) to decide.
    fn narrowed(&self) -> bool {
        self.path.is_some() || self.fd.is_some()
    }
}

/// Parses `SET:TOKEN:TOKEN...` (`fault`: `-e fault=`, whose default is error=ENOSYS and which
/// takes only error= and when=). Errors are one line naming the expression.
pub fn parse(expr: &str, fault: bool) -> Result<Rule, String> {
    let key = if fault { "fault" } else { "inject" };
    let bad = |why: &str| format!("-e {key}={expr}: {why}");
    let mut tokens = expr.split(':');
    let set = tokens.next().unwrap_or_default();
    if set.trim().is_empty() {
        return Err(bad(
            "give the calls first, e.g. -e inject=openat:error=ENOENT",
        ));
    }
    let calls = [
        parse_trace_set(set, Abi::X86_64)
            .map_err(|e| e.0.replacen("-e trace=", &format!("-e {key}="), 1))?,
        parse_trace_set(set, Abi::I386).unwrap_or_else(|_| vec![false; 512]),
    ];
    let mut rule = Rule {
        text: expr.to_string(),
        calls,
        action: Action::Run,
        signal: 0,
        delay_enter: None,
        delay_exit: None,
        first: 1,
        last: INJECT_LAST_INF,
        step: 1,
        path: None,
        fd: None,
    };
    let mut has_action = false;
    for token in tokens {
        let (name, value) = token.split_once('=').unwrap_or((token, ""));
        let only_inject = |rule_ok: bool| -> Result<(), String> {
            if fault && !rule_ok {
                Err(bad(&format!(
                    "{name}= is not a fault= token (fault= takes error=, when=, path= and fd=); use -e inject="
                )))
            } else {
                Ok(())
            }
        };
        match name {
            "when" => (rule.first, rule.last, rule.step) = parse_when(value).ok_or_else(|| {
                bad("when= takes FIRST, FIRST+, FIRST+STEP, FIRST..LAST or FIRST..LAST+STEP (counting from 1)")
            })?,
            "error" => {
                if rule.action != Action::Run {
                    return Err(bad("give one of error= and retval=, once"));
                }
                let n = decode::errno::parse(value).ok_or_else(|| {
                    bad(&format!(
                        "error={value}: not an errno; use a name like ENOMEM or a number 1-4095"
                    ))
                })?;
                rule.action = Action::Error(n);
                has_action = true;
            }
            "retval" => {
                only_inject(false)?;
                if rule.action != Action::Run {
                    return Err(bad("give one of error= and retval=, once"));
                }
                let v = parse_u64(value).ok_or_else(|| {
                    bad(&format!("retval={value}: not a number; give e.g. retval=0 or retval=0x10"))
                })?;
                rule.action = Action::Retval(v);
                has_action = true;
            }
            "signal" => {
                only_inject(false)?;
                let s = decode::signal::parse(value).ok_or_else(|| {
                    bad(&format!("signal={value}: not a signal; use a name like SIGUSR1 or a number 1-64"))
                })?;
                rule.signal = s;
                has_action = true;
            }
            "delay_enter" | "delay_exit" => {
                only_inject(false)?;
                let d = parse_delay(value).ok_or_else(|| {
                    bad(&format!(
                        "{name}={value}: not a delay; give microseconds or a number with s, ms, us or ns"
                    ))
                })?;
                if name == "delay_enter" {
                    rule.delay_enter = Some(d);
                } else {
                    rule.delay_exit = Some(d);
                }
                has_action = true;
            }
            "path" => {
                if value.is_empty() {
                    return Err(bad("path= needs a pattern, e.g. path=/dev/vhost-net"));
                }
                rule.path = Some(value.as_bytes().to_vec());
            }
            "fd" => {
                rule.fd = Some(value.parse::<i32>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    bad(&format!("fd={value}: give a file descriptor number, e.g. fd=3"))
                })?);
            }
            "syscall" | "poke_enter" | "poke_exit" => {
                return Err(bad(&format!(
                    "{name}= needs ptrace to change the call or its memory, which tracer does not do; use error=, retval=, signal= or delays"
                )));
            }
            _ => {
                return Err(bad(&format!(
                    "unknown token {token:?}; use error=, retval=, signal=, delay_enter=, delay_exit=, when=, path= or fd="
                )));
            }
        }
    }
    if !has_action {
        if fault {
            rule.action = Action::Error(libc::ENOSYS as u32);
        } else {
            return Err(bad(
                "say what to inject: error=, retval=, signal=, delay_enter= or delay_exit=",
            ));
        }
    }
    if rule.delay_exit.is_some() && rule.action == Action::Run {
        return Err(bad(
            "delay_exit= needs error= or retval=: a seccomp listener holds a call before it runs, not after; use delay_enter= to delay a call that runs",
        ));
    }
    // Narrowing by argument: every call named must have one to look at.
    for (abi, set) in [Abi::X86_64].into_iter().zip(&rule.calls) {
        for sc in syscalls::all(abi).iter().filter(|s| set[s.nr as usize]) {
            let has_path = sc.args.contains(&Ty::Path);
            let has_fd = sc.args.iter().any(|t| matches!(t, Ty::Fd | Ty::Dirfd));
            if rule.path.is_some() && !has_path && !has_fd {
                return Err(bad(&format!(
                    "path= narrows by a path or fd argument, and {} has neither",
                    sc.name
                )));
            }
            if rule.fd.is_some() && !has_fd {
                return Err(bad(&format!(
                    "fd= narrows by an fd argument, and {} has none",
                    sc.name
                )));
            }
        }
    }
    Ok(rule)
}

/// strace's `when=` grammar: `F` (only the Fth), `F+` (F and every one after), `F+S`
/// (F, F+S, F+2S...), `F..L`, `F..L+S`. Returns (first, last, step).
fn parse_when(v: &str) -> Option<(u32, u32, u32)> {
    let (range, step) = match v.split_once('+') {
        Some((r, s)) => (r, Some(s)),
        None => (v, None),
    };
    let (first, last) = match range.split_once("..") {
        Some((f, l)) => (f.parse::<u32>().ok()?, Some(l.parse::<u32>().ok()?)),
        None => (range.parse::<u32>().ok()?, None),
    };
    if first == 0 || last.is_some_and(|l| l < first || l == INJECT_LAST_INF) {
        return None;
    }
    let step = match step {
        Some("") => 1,
        Some(s) => s.parse::<u32>().ok().filter(|s| *s > 0)?,
        // `F` alone: only the Fth; `F..L`: every one in the range.
        None if last.is_none() => 0,
        None => 1,
    };
    Some((first, last.unwrap_or(INJECT_LAST_INF), step))
}

fn parse_u64(v: &str) -> Option<u64> {
    match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse::<u64>().ok(),
    }
}

/// strace's delay syntax: a number, microseconds unless suffixed s, ms, us or ns.
fn parse_delay(v: &str) -> Option<Duration> {
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f64 = num.parse().ok()?;
    let ns_per = match unit {
        "" | "us" => 1e3,
        "s" => 1e9,
        "ms" => 1e6,
        "ns" => 1.0,
        _ => return None,
    };
    (n.is_finite() && n >= 0.0)
        .then(|| Duration::try_from_secs_f64(n * ns_per / 1e9).ok())
        .flatten()
}

/// The rules of a run, and which one each syscall slot follows (the last given, as strace).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub rules: Vec<Rule>,
    by_slot: HashMap<u32, usize>,
}

impl Plan {
    pub fn new(rules: Vec<Rule>) -> Plan {
        let mut by_slot = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            for (abi, set) in [Abi::X86_64, Abi::I386].into_iter().zip(&r.calls) {
                for (nr, on) in set.iter().enumerate() {
                    if *on {
                        by_slot.insert(abi.slot(nr as u32), i);
                    }
                }
            }
        }
        Plan { rules, by_slot }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn rule(&self, slot: u32) -> Option<&Rule> {
        self.by_slot.get(&slot).map(|i| &self.rules[*i])
    }

    /// Whether every rule only sends a signal (what works on `-p`).
    pub fn signals_only(&self) -> bool {
        self.rules
            .iter()
            .all(|r| r.action == Action::Run && r.delay_enter.is_none() && r.delay_exit.is_none())
    }

    pub fn narrowed(&self) -> bool {
        self.rules.iter().any(Rule::narrowed)
    }

    /// (slot, rule) for the kernel's own counting (`-p`).
    pub fn kernel_rules(&self) -> Vec<(u32, InjectRule)> {
        let mut v: Vec<(u32, InjectRule)> = self
            .by_slot
            .iter()
            .map(|(s, i)| (*s, self.rules[*i].kernel_rule()))
            .collect();
        v.sort_unstable_by_key(|(s, _)| *s);
        v
    }

    /// The classic-BPF seccomp program: `USER_NOTIF` for the injected numbers of each ABI,
    /// `ALLOW` for everything else (x32 calls included). Two instructions per number and no
    /// jump longer than one, so any set fits the 8-bit jump offsets.
    pub fn seccomp_filter(&self) -> Vec<libc::sock_filter> {
        const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
        const AUDIT_ARCH_I386: u32 = 0x4000_0003;
        const X32_BIT: u32 = 0x4000_0000;
        // struct seccomp_data: nr @0, arch @4.
        let ld = |off: u32| stmt((libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16, off);
        let ret = |v: u32| stmt((libc::BPF_RET | libc::BPF_K) as u16, v);
        let jeq = |k: u32, jt: u8, jf: u8| {
            jump(
                (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
                k,
                jt,
                jf,
            )
        };
        let block = |abi: Abi| -> Vec<libc::sock_filter> {
            let mut v = vec![ld(0)];
            if abi == Abi::X86_64 {
                v.push(jump(
                    (libc::BPF_JMP | libc::BPF_JGE | libc::BPF_K) as u16,
                    X32_BIT,
                    0,
                    1,
                ));
                v.push(ret(libc::SECCOMP_RET_ALLOW));
            }
            let mut nrs: Vec<u32> = self
                .by_slot
                .keys()
                .filter_map(|s| {
                    let (a, nr) = Abi::of_slot(*s);
                    (a == abi).then_some(nr)
                })
                .collect();
            nrs.sort_unstable();
            for nr in nrs {
                v.push(jeq(nr, 0, 1));
                v.push(ret(libc::SECCOMP_RET_USER_NOTIF));
            }
            v.push(ret(libc::SECCOMP_RET_ALLOW));
            v
        };
        let x64 = block(Abi::X86_64);
        let i386 = block(Abi::I386);
        let ja = |k: u32| stmt((libc::BPF_JMP | libc::BPF_JA) as u16, k);
        // 0 ld arch; 1 jeq x86_64 -> 2 : 3; 2 ja x64; 3 jeq i386 -> 4 : 5; 4 ja i386;
        // 5 ret allow; x64 block; i386 block.
        let mut prog = vec![
            ld(4),
            jeq(AUDIT_ARCH_X86_64, 0, 1),
            ja(3),
            jeq(AUDIT_ARCH_I386, 0, 1),
            ja(x64.len() as u32 + 1),
            ret(libc::SECCOMP_RET_ALLOW),
        ];
        prog.extend(x64);
        prog.extend(i386);
        prog
    }
}

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// One notification answered, for matching the call's record to it: the thread's call
/// `slot`, received at `at_ns` (CLOCK_MONOTONIC, the clock of the records' `ts_ns`).
#[derive(Clone, Copy, Debug)]
struct Note {
    slot: u32,
    at_ns: u64,
    flags: u8,
}

/// How often each injected call was seen and changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub notified: u64,
    pub injected: u64,
}

/// The tracer's end of the seccomp listener: answers stopped calls.
pub struct Injector {
    fd: Arc<OwnedFd>,
    plan: Plan,
    /// `-P`: injection applies only to calls that touch these paths.
    paths: Vec<Vec<u8>>,
    counts: HashMap<(u32, u32), InjectCount>,
    notes: HashMap<u32, Vec<Note>>,
    pub stats: Stats,
}

/// Where a thread's signal for its current call goes (the kernel's `INJECT_NOW` map).
pub trait SignalSink {
    fn signal_at_exit(&mut self, tid: u32, sig: u32);
}

/// No signal rules: nothing to send.
pub struct NoSignals;

impl SignalSink for NoSignals {
    fn signal_at_exit(&mut self, _tid: u32, _sig: u32) {}
}

impl Injector {
    pub fn new(fd: OwnedFd, plan: Plan, paths: Vec<Vec<u8>>) -> Injector {
        // Linux 6.6+: the stopped task and the tracer hand the CPU to each other instead of
        // waking across CPUs (an IPI each way, costly in VMs). Older kernels refuse the flag:
        // the answers are the same, only slower.
        const SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP: libc::c_ulong = 1;
        // SAFETY: SECCOMP_IOCTL_NOTIF_SET_FLAGS takes the flags by value.
        unsafe {
            libc::ioctl(
                fd.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_SET_FLAGS,
                SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP,
            )
        };
        Injector {
            fd: Arc::new(fd),
            plan,
            paths,
            counts: HashMap::new(),
            notes: HashMap::new(),
            stats: Stats::default(),
        }
    }

    pub fn raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.as_raw_fd()
    }

    /// Answers every notification pending now. `Ok(false)` once no task holds the filter
    /// any more (the listener hangs up).
    pub fn serve(&mut self, sink: &mut dyn SignalSink) -> std::io::Result<bool> {
        loop {
            match poll_in(self.fd.as_raw_fd()) {
                Readiness::Ready => {}
                Readiness::Idle => return Ok(true),
                Readiness::HungUp => return Ok(false),
            }
            let Some(n) = recv(self.fd.as_raw_fd())? else {
                continue;
            };
            self.answer(&n, sink);
        }
    }

    /// Answers one stopped call: injected, delayed, or let run.
    pub fn answer(&mut self, n: &libc::seccomp_notif, sink: &mut dyn SignalSink) {
        let at_ns = monotonic_ns();
        self.stats.notified += 1;
        let abi = match n.data.arch {
            0x4000_0003 => Abi::I386,
            _ => Abi::X86_64,
        };
        let slot = abi.slot(n.data.nr as u32);
        let fd = self.fd.clone();
        let Some(rule) = self.plan.rule(slot) else {
            send(&fd, &continue_resp(n.id));
            return;
        };
        let sc = syscalls::by_nr(abi, i64::from(n.data.nr));
        let narrowed = rule.narrowed() || !self.paths.is_empty();
        if narrowed {
            let hit = sc.is_some_and(|sc| matches_args(n, sc, rule, &self.paths));
            // What was read from the task's memory was the stopped call's only if the
            // notification is still live now.
            if !id_valid(fd.as_raw_fd(), n.id) {
                return;
            }
            if !hit {
                self.note(n.pid, slot, at_ns, 0);
                send(&fd, &continue_resp(n.id));
                return;
            }
        }
        let count = self
            .counts
            .entry((n.pid, slot))
            .or_insert_with(|| InjectCount::new(&rule.kernel_rule()));
        if !count.fires(rule.step) {
            self.note(n.pid, slot, at_ns, 0);
            send(&fd, &continue_resp(n.id));
            return;
        }
        let mut flags = 0;
        let mut resp = continue_resp(n.id);
        match rule.action {
            Action::Run => {}
            Action::Error(e) => {
                flags |= record_flags::INJECTED;
                resp.flags = 0;
                resp.error = -(e as i32);
            }
            Action::Retval(v) => {
                flags |= record_flags::INJECTED;
                resp.flags = 0;
                resp.val = v as i64;
            }
        }
        // Without a call to replace, the exit delay has nothing to follow: refused in parse.
        let delay = rule.delay_enter.unwrap_or_default()
            + if rule.action == Action::Run {
                Duration::ZERO
            } else {
                rule.delay_exit.unwrap_or_default()
            };
        if !delay.is_zero() {
            flags |= record_flags::DELAYED;
        }
        if rule.signal != 0 {
            sink.signal_at_exit(n.pid, rule.signal);
        }
        if flags & record_flags::INJECTED != 0 {
            self.stats.injected += 1;
        }
        self.note(n.pid, slot, at_ns, flags);
        if delay.is_zero() {
            send(&fd, &resp);
        } else {
            // The other stopped calls are answered meanwhile.
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                if id_valid(fd.as_raw_fd(), resp.id) {
                    send(&fd, &resp);
                }
            });
        }
    }

    fn note(&mut self, tid: u32, slot: u32, at_ns: u64, flags: u8) {
        let list = self.notes.entry(tid).or_default();
        // A thread is in one call at a time: notes older than what the records have shown
        // are dropped as records arrive; this bounds a thread whose records are not sent.
        // The records of a burst of injected calls arrive together, one reader wakeup later
        // (up to 20 ms): thousands of calls' notes must wait for them (64 lost the flags of
        // most of a 2,000-call burst on a busy machine).
        if list.len() >= 8192 {
            list.drain(..4096);
        }
        list.push(Note { slot, at_ns, flags });
    }

    /// Whether records may need flags (some notification is not matched to its record yet).
    pub fn has_notes(&self) -> bool {
        !self.notes.is_empty()
    }

    /// The INJECTED/DELAYED flags of the record of thread `tid`'s call `slot` that exited at
    /// `ts_ns`: those of the latest notification the thread had before it, if that was for
    /// this call. A thread's previous call exits before its next one is notified, so the
    /// latest earlier notification is this call's own when the call was notified at all.
    pub fn flags_for(&mut self, tid: u32, slot: u32, ts_ns: u64) -> u8 {
        let Some(list) = self.notes.get_mut(&tid) else {
            return 0;
        };
        let Some(i) = list.iter().rposition(|n| n.at_ns <= ts_ns) else {
            return 0;
        };
        let note = list[i];
        list.drain(..=i);
        if list.is_empty() {
            self.notes.remove(&tid);
        }
        if note.slot == slot { note.flags } else { 0 }
    }

    /// A thread is gone: its counts and notes with it (its tid may be reused).
    pub fn forget(&mut self, tid: u32) {
        self.notes.remove(&tid);
        self.counts.retain(|(t, _), _| *t != tid);
    }
}

/// Whether the call's arguments satisfy the rule's narrowing and `-P`.
fn matches_args(
    n: &libc::seccomp_notif,
    sc: &syscalls::Syscall,
    rule: &Rule,
    paths: &[Vec<u8>],
) -> bool {
    let args = &n.data.args;
    let mut strs: Vec<Vec<u8>> = Vec::new();
    let mut fds: Vec<i32> = Vec::new();
    for (i, ty) in sc.args.iter().enumerate() {
        match ty {
            Ty::Path => {
                if let Some(s) = read_c_string(n.pid, args[i]) {
                    strs.push(s);
                }
            }
            Ty::Fd | Ty::Dirfd => {
                let fd = args[i] as u32 as i32;
                if fd >= 0 {
                    fds.push(fd);
                }
            }
            _ => {}
        }
    }
    let fd_path = |fd: i32| -> Option<Vec<u8>> {
        use std::os::unix::ffi::OsStrExt;
        std::fs::read_link(format!("/proc/{}/fd/{fd}", n.pid))
            .ok()
            .map(|p| p.as_os_str().as_bytes().to_vec())
    };
    // Only calls that make a path argument or an fd argument's path (dirfd-relative paths
    // as given, as strace's -P compares them).
    let mut named: Vec<Vec<u8>> = strs;
    if rule.path.is_some() || !paths.is_empty() {
        named.extend(fds.iter().filter_map(|fd| fd_path(*fd)));
    }
    if let Some(glob) = &rule.path
        && !named.iter().any(|p| glob_match(glob, p))
    {
        return false;
    }
    if let Some(want) = rule.fd
        && !fds.contains(&want)
    {
        return false;
    }
    paths.is_empty() || named.iter().any(|p| paths.contains(p))
}

/// fnmatch(3) without flags: `*`, `?` and `[...]` match any character, `/` included.
pub fn glob_match(glob: &[u8], s: &[u8]) -> bool {
    let (Ok(g), Ok(s)) = (std::ffi::CString::new(glob), std::ffi::CString::new(s)) else {
        return false;
    };
    // SAFETY: two NUL-terminated strings.
    unsafe { libc::fnmatch(g.as_ptr(), s.as_ptr(), 0) == 0 }
}

/// A NUL-terminated string from the stopped task's memory (at most PATH_MAX bytes).
fn read_c_string(pid: u32, addr: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    if addr == 0 {
        return None;
    }
    let mem = std::fs::File::open(format!("/proc/{pid}/mem")).ok()?;
    let mut out = Vec::new();
    let mut at = addr;
    // Page by page: a string may end just before an unmapped page.
    while out.len() < 4096 {
        let room = (4096 - (at & 4095)) as usize;
        let mut buf = vec![0u8; room];
        let n = mem.read_at(&mut buf, at).ok()?;
        if n == 0 {
            return None;
        }
        if let Some(end) = buf[..n].iter().position(|b| *b == 0) {
            out.extend_from_slice(&buf[..end]);
            return Some(out);
        }
        out.extend_from_slice(&buf[..n]);
        at += n as u64;
    }
    None
}

fn continue_resp(id: u64) -> libc::seccomp_notif_resp {
    libc::seccomp_notif_resp {
        id,
        val: 0,
        error: 0,
        flags: libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32,
    }
}

enum Readiness {
    Ready,
    Idle,
    HungUp,
}

fn poll_in(fd: std::os::fd::RawFd) -> Readiness {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one pollfd of ours, no wait.
    let r = unsafe { libc::poll(&mut p, 1, 0) };
    if r <= 0 {
        Readiness::Idle
    } else if p.revents & libc::POLLIN != 0 {
        Readiness::Ready
    } else if p.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
        Readiness::HungUp
    } else {
        Readiness::Idle
    }
}

/// One notification; `None` if its task went away between the poll and the receive.
pub fn recv(fd: std::os::fd::RawFd) -> std::io::Result<Option<libc::seccomp_notif>> {
    // SAFETY: the kernel requires the struct zeroed; it fills it.
    let mut n: libc::seccomp_notif = unsafe { std::mem::zeroed() };
    // SAFETY: SECCOMP_IOCTL_NOTIF_RECV with a pointer to a seccomp_notif of ours.
    let r = unsafe { libc::ioctl(fd, libc::SECCOMP_IOCTL_NOTIF_RECV, &mut n) };
    if r == 0 {
        return Ok(Some(n));
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ENOENT | libc::EINTR) => Ok(None),
        _ => Err(e),
    }
}

/// Answers a notification; a task gone meanwhile (ENOENT) needs no answer.
pub fn send(fd: &OwnedFd, resp: &libc::seccomp_notif_resp) {
    let mut r = *resp;
    // SAFETY: SECCOMP_IOCTL_NOTIF_SEND with a pointer to a seccomp_notif_resp of ours.
    unsafe { libc::ioctl(fd.as_raw_fd(), libc::SECCOMP_IOCTL_NOTIF_SEND, &mut r) };
}

/// Answers a call made before the command's exec (the child's own set-up): it runs.
pub fn let_run(fd: &OwnedFd, n: &libc::seccomp_notif) {
    send(fd, &continue_resp(n.id));
}

fn id_valid(fd: std::os::fd::RawFd, id: u64) -> bool {
    let mut id = id;
    // SAFETY: SECCOMP_IOCTL_NOTIF_ID_VALID with a pointer to a u64 of ours.
    unsafe { libc::ioctl(fd, libc::SECCOMP_IOCTL_NOTIF_ID_VALID, &mut id) == 0 }
}

fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime into a timespec of ours.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fires(rule: &Rule, n: usize) -> Vec<usize> {
        let mut c = InjectCount::new(&rule.kernel_rule());
        (1..=n).filter(|_| c.fires(rule.step)).collect()
    }

    #[test]
    fn when_forms_select_the_occurrences_strace_selects() {
        let r = |w: &str| parse(&format!("getppid:error=EPERM:when={w}"), false).unwrap();
        assert_eq!(
            fires(&parse("getppid:error=EPERM", false).unwrap(), 4),
            [1, 2, 3, 4]
        );
        assert_eq!(fires(&r("3"), 10), [3]);
        assert_eq!(fires(&r("3+"), 6), [3, 4, 5, 6]);
        assert_eq!(fires(&r("2+3"), 10), [2, 5, 8]);
        assert_eq!(fires(&r("2..4"), 10), [2, 3, 4]);
        assert_eq!(fires(&r("2..7+2"), 10), [2, 4, 6]);
        assert_eq!(fires(&r("1000000+"), 10), Vec::<usize>::new());
        for bad in ["0", "3..2", "x", "2+0", "1..", ""] {
            assert!(
                parse(&format!("getppid:error=EPERM:when={bad}"), false).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn tokens_and_refusals() {
        let r = parse("openat:error=ENOMEM:path=/dev/vhost-*", false).unwrap();
        assert_eq!(r.action, Action::Error(libc::ENOMEM as u32));
        assert_eq!(r.path.as_deref(), Some(&b"/dev/vhost-*"[..]));
        let f = parse("getppid", true).unwrap();
        assert_eq!(f.action, Action::Error(libc::ENOSYS as u32));
        let s = parse("getppid:signal=USR1:retval=7", false).unwrap();
        assert_eq!((s.signal, s.action), (10, Action::Retval(7)));
        let d = parse("getppid:delay_enter=1500:delay_exit=2ms:error=EIO", false).unwrap();
        assert_eq!(d.delay_enter, Some(Duration::from_micros(1500)));
        assert_eq!(d.delay_exit, Some(Duration::from_millis(2)));
        for (expr, fault, needle) in [
            ("getppid", false, "say what to inject"),
            ("getppid:retval=1", true, "not a fault= token"),
            (
                "getppid:error=EPERM:retval=1",
                false,
                "one of error= and retval=",
            ),
            ("getppid:error=ENOPE", false, "not an errno"),
            ("getppid:signal=SIGNOPE", false, "not a signal"),
            (
                "read:delay_exit=1s",
                false,
                "delay_exit= needs error= or retval=",
            ),
            ("getppid:error=EIO:path=/x", false, "getppid has neither"),
            ("openat:error=EIO:fd=x", false, "fd=x"),
            ("getppid:error=EIO:fd=3", false, "getppid has none"),
            ("openat:syscall=getpid", false, "needs ptrace"),
            ("opnat:error=EIO", false, "did you mean openat"),
            (":error=EIO", false, "give the calls first"),
            ("getppid:error=EIO:bogus=1", false, "unknown token"),
        ] {
            let e = parse(expr, fault).unwrap_err();
            assert!(e.contains(needle), "{expr}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn the_last_rule_for_a_call_wins_and_the_filter_names_each_call() {
        let plan = Plan::new(vec![
            parse("read,write:error=EIO", false).unwrap(),
            parse("write:error=ENOSPC", false).unwrap(),
        ]);
        assert_eq!(
            plan.rule(0).unwrap().action,
            Action::Error(libc::EIO as u32)
        );
        assert_eq!(
            plan.rule(1).unwrap().action,
            Action::Error(libc::ENOSPC as u32)
        );
        assert!(plan.rule(2).is_none());
        let f = plan.seccomp_filter();
        let notified: Vec<u32> = f
            .windows(2)
            .filter(|w| w[1].k == libc::SECCOMP_RET_USER_NOTIF && w[0].jt == 0 && w[0].jf == 1)
            .map(|w| w[0].k)
            .collect();
        // x86_64 read (0), write (1); i386 read (3), write (4).
        assert_eq!(notified, [0, 1, 3, 4]);
        // Every jump lands inside the program.
        for (i, ins) in f.iter().enumerate() {
            if ins.code == (libc::BPF_JMP | libc::BPF_JA) as u16 {
                assert!(i + 1 + (ins.k as usize) < f.len());
            }
        }
    }

    #[test]
    fn globs_match_as_fnmatch() {
        assert!(glob_match(b"/dev/vhost-*", b"/dev/vhost-net"));
        assert!(glob_match(b"/dev/vhost-net", b"/dev/vhost-net"));
        assert!(!glob_match(b"/dev/vhost-net", b"/dev/net/tun"));
        assert!(glob_match(b"*.conf", b"/etc/x.conf"));
    }

    #[test]
    fn records_take_the_flags_of_their_own_notification() {
        let (r, _w) = std::io::pipe().unwrap();
        let mut inj = Injector::new(OwnedFd::from(r), Plan::default(), Vec::new());
        inj.note(7, 0, 100, record_flags::INJECTED);
        inj.note(7, 0, 300, 0);
        // A record of another call made before the second notification: not flagged.
        assert_eq!(inj.flags_for(7, 1, 150), 0);
        // The first read's record was lost; the second's is the latest note's: not injected.
        assert_eq!(inj.flags_for(7, 0, 350), 0);
        inj.note(7, 0, 400, record_flags::INJECTED);
        assert_eq!(inj.flags_for(7, 0, 450), record_flags::INJECTED);
        assert!(!inj.has_notes());
    }
}
