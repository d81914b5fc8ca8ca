//! The path of one event: a record from the source becomes an [`Event`]; the [`Tracker`]
//! applies it (process lifecycle, the call's fd effect); [`decode`] turns the event, its table
//! row and the config into strace's text; the result, a [`Call`], goes to the sinks: the
//! [`Output`] (text or JSON), the `-c` summary, the failure sink (watch, metrics, diagnoses).
//! `--match` sits between the decoder and the output: it keeps only matching calls.
use std::{borrow::Cow, rc::Rc};

use tracer_common::{kind, record_flags};

use crate::{
    config::{Config, Summary},
    decode,
    failures::Failures,
    matching::{self, History},
    output::{
        Call, Cut, Exit, FdInfo, Match, Output, Signal,
        perfetto::{Names, Perfetto},
        summary,
    },
    source::Event,
    syscalls::{self, Fx, Ret, Syscall, Ty},
    tracker::Tracker,
};

pub struct Pipeline<'a> {
    cfg: &'a Config,
    pub tracker: Tracker,
    pub out: Output,
    pub summary: summary::Summary,
    /// Watch, metrics and diagnoses; None when none of them is on.
    pub failures: Option<Failures>,
    /// `--match-context`: recent lines per fd, and lines still to show after a match.
    history: History,
    /// Records the kernel could not deliver, as reported in the stream.
    pub lost: u64,
    /// Records received.
    pub events: u64,
    /// Buffers reused from call to call: no allocation per event for the text.
    bufs: Bufs,
    /// `-a`: other tracers, whose own calls are left out.
    pub other_tracers: crate::procfs::Tracers,
    /// `-n`: each task's last syscall number, which strace prints before a signal line.
    last_nr: std::collections::HashMap<u32, i32>,
    /// `-b execve`: processes to take out of the kernel's target set (the run loop does).
    pub detach: Vec<u32>,
    /// The started command's own execve happened (`-b execve` detaches at later ones).
    first_exec: bool,
    /// Syscall lines shown (`--syscall-limit`).
    shown: u64,
    /// `--syscall-limit` reached: nothing more is shown and the run loop detaches.
    pub stop: bool,
    /// Ignored signals that reached a task asleep in a call: shown after that call's line, as
    /// strace shows them (on the way out of the call), by tid.
    after_call: std::collections::HashMap<u32, Vec<tracer_common::Record>>,
    /// `-k`: the symbolizer, and the frames of the current call.
    stacks: Option<crate::stacks::Stacks>,
    frames: Vec<String>,
    /// `--read` with `-p`: the processes shown (their tids and tgids; with -f, their
    /// children join at fork).
    pub only: Option<std::collections::HashSet<u32>>,
    /// `only` names threads, not processes (a flight recorder's triggering thread).
    pub only_threads: bool,
    /// `--perfetto`: the timeline, fed what the output is fed.
    pub perfetto: Option<Perfetto>,
}

#[derive(Default)]
struct Bufs {
    args: String,
    ret: String,
    prefix: String,
    fds: Vec<FdInfo>,
    /// JSON's `comm` when the kernel did not copy it (outside -a): the tracker's name.
    comm: String,
}

impl<'a> Pipeline<'a> {
    pub fn new(
        cfg: &'a Config,
        mut tracker: Tracker,
        out: Output,
        failures: Option<Failures>,
    ) -> Self {
        tracker.want_comms =
            cfg.opts.pid_comms || cfg.perfetto.is_some() || cfg.flight.is_some() || cfg.json;
        tracker.want_tags = cfg.container_tags;
        if let ([dir], []) = (&cfg.cgroups[..], &cfg.pending_containers[..]) {
            tracker.sole_cgroup = crate::containers::tags_of_dir(dir);
        }
        tracker.want_cwd = cfg.fd_level > 0;
        Self {
            cfg,
            tracker,
            out,
            summary: summary::Summary::new(cfg.summary_columns.clone(), cfg.summary_sort)
                .with_histograms(cfg.latency_histogram),
            failures,
            history: History::default(),
            lost: 0,
            events: 0,
            bufs: Bufs::default(),
            other_tracers: crate::procfs::Tracers::default(),
            last_nr: std::collections::HashMap::new(),
            detach: Vec::new(),
            first_exec: false,
            shown: 0,
            stop: false,
            after_call: std::collections::HashMap::new(),
            stacks: (cfg.stacks > 0).then(|| crate::stacks::Stacks::new(cfg.stacks > 1)),
            frames: Vec::new(),
            only: None,
            only_threads: false,
            perfetto: None,
        }
    }

    pub fn handle(&mut self, ev: Event) -> std::io::Result<()> {
        self.events += 1;
        if self.stop {
            return Ok(());
        }
        let r = &ev.rec;
        if let Some(only) = &mut self.only {
            if r.kind == kind::FORK
                && self.cfg.follow
                && !self.only_threads
                && only.contains(&r.tgid)
            {
                only.insert(r.aux);
                only.insert(r.ret as u32);
            }
            if !only.contains(&r.tid) && (self.only_threads || !only.contains(&r.tgid)) {
                return Ok(());
            }
        }
        // Host-wide: another tracer's own calls (its /proc probes for processes already
        // gone fail by design) are not the host's; the kernel only knows this tracer's pid.
        if self.cfg.all
            && r.kind == kind::SYSCALL
            && ev.comm_bytes() == b"tracer"
            && self.other_tracers.is(r.tgid)
        {
            return Ok(());
        }
        if r.lost_before > 0 {
            self.lost += u64::from(r.lost_before);
            if self.cfg.summary != Summary::Only {
                self.out.lost(u64::from(r.lost_before))?;
            }
            if let Some(p) = &mut self.perfetto {
                p.lost(u64::from(r.lost_before), self.tracker.clock.wall(r.ts_ns))?;
            }
        }
        if !self.after_call.is_empty() && r.kind == kind::EXIT {
            // Dying in the call: the signal line before the end.
            self.signals_after_call(r.tid)?;
        }
        match r.kind {
            kind::FORK => self.tracker.fork(&ev),
            kind::EXEC => {
                if let (Some(s), Some(f)) = (&mut self.stacks, ev.str_for(0)) {
                    s.exec(ev.rec.tgid, f.bytes, ev.rec.args[0], ev.rec.args[1]);
                }
                self.tracker.exec(&ev);
                self.other_tracers.forget(r.tgid);
            }
            kind::EXIT => {
                self.other_tracers.forget(r.tgid);
                return self.exit(&ev);
            }
            kind::SYSCALL => {
                self.syscall(&ev)?;
                if !self.after_call.is_empty() {
                    self.signals_after_call(r.tid)?;
                }
                return Ok(());
            }
            kind::SIGNAL => return self.signal(&ev),
            kind::EXEC_ARGS => self.tracker.exec_entry(&ev),
            _ => {}
        }
        Ok(())
    }

    /// The text printer's line prefix, as strace's: `comm[tid] ` host-wide; `PID  ` on every
    /// line with -f -o FILE; else `[pid N] ` while several tasks are traced.
    fn prefix(&mut self, ev: &Event, out: &mut String) {
        use std::fmt::Write as _;
        out.clear();
        let tid = ev.rec.tid;
        // -Y: `1234<comm>` where strace prints a pid.
        // The record's own comm when it has one (a task renamed by prctl(PR_SET_NAME) is
        // named as it is now; the cache learns it), escaped as strace escapes it.
        let comm = match self.cfg.opts.pid_comms {
            true => {
                let c = ev.comm_bytes();
                let c = if c.is_empty() {
                    self.tracker.comm(tid)
                } else {
                    let now = String::from_utf8_lossy(c);
                    self.tracker.saw_comm(tid, &now);
                    Some(now.into())
                };
                c.map(|c| crate::decode::strings::fd_path(&c).into_owned())
            }
            false => None,
        };
        let pid_comm = |out: &mut String| {
            if let Some(c) = &comm {
                let _ = write!(out, "<{c}>");
            }
        };
        if self.cfg.separately {
            // One file per task: strace prefixes nothing.
        } else if self.cfg.all {
            // An ignored signal's record carries its sender's name, not the receiver's; a
            // fatal one's none (both are made in the sender).
            if ev.rec.kind == kind::SIGNAL
                && (ev.rec.flags & record_flags::IGNORED_SIGNAL != 0 || ev.comm_bytes().is_empty())
            {
                let name = self.tracker.comm(tid);
                let _ = write!(out, "{}[{tid}] ", name.as_deref().unwrap_or("?"));
            } else if self.cfg.container_tags
                && let Some(c) = self.tracker.tags(ev.rec.tgid, tid).container
            {
                // The container, as `podman ps` shows its id.
                let _ = write!(out, "{}[{tid}@{c}] ", decode::strings::fd_path(&ev.comm()));
            } else {
                // A task names itself: escaped, so that a name cannot drive the terminal.
                let _ = write!(out, "{}[{tid}] ", decode::strings::fd_path(&ev.comm()));
            }
        } else if self.cfg.follow && self.cfg.output.is_some() {
            // strace -f -o FILE: every line starts with its pid, padded to 5.
            let start = out.len();
            decode::int(out, tid);
            pid_comm(out);
            while out.len() - start < 5 {
                out.push(' ');
            }
            out.push(' ');
        } else if self.tracker.several() {
            out.push_str("[pid ");
            let start = out.len();
            decode::int(out, tid);
            // Right-aligned in 5.
            while out.len() - start < 5 {
                out.insert(start, ' ');
            }
            pid_comm(out);
            out.push_str("] ");
        }
    }

    /// A task ended: exit/exit_group never return, so their line is printed here, as strace
    /// does, then `+++ exited with N +++`.
    fn exit(&mut self, ev: &Event) -> std::io::Result<()> {
        let r = &ev.rec;
        if self.tracker.is_detached(r.tgid) {
            return Ok(());
        }
        self.tracker.exit_begin(ev);
        let mut prefix = String::new();
        self.prefix(ev, &mut prefix);
        let abi = ev.abi();
        let sc = syscalls::by_nr(abi, ev.nr())
            .filter(|s| s.ret == Ret::Noreturn && self.cfg.traces(abi, s.nr));
        // The watch shows failures only; exit lines are for traces.
        if !self.cfg.watch && self.cfg.summary != Summary::Only {
            // `exit_group(0) = ?` is a success: not shown with -Z or --errno.
            // -P: exit and exit_group touch no path.
            if let Some(sc) = sc.filter(|_| self.shows_noreturn() && self.cfg.paths.is_empty()) {
                let args = decode::args(ev, sc, &self.cfg.opts, None, &mut decode::NoFds);
                let call = self.call(ev, &prefix, sc.name, &args, "?", &[]);
                self.out.call(&call)?;
            }
            // -qq: no exit status lines.
            let quiet = self.failures_host_wide() || self.cfg.quiet_exit;
            if !quiet {
                let exit = Exit {
                    prefix: &prefix,
                    tgid: r.tgid,
                    tid: r.tid,
                    code: r.aux,
                    // Not in a syscall (killed after a fault): strace shows the last one's.
                    nr: if r.nr >= 0 { r.nr } else { self.last_nr(r.tid) },
                    wall_ns: self.tracker.clock.wall(r.ts_ns),
                    record_lost: false,
                };
                self.out.exit(&exit)?;
                if self.perfetto.is_some() {
                    let (t, p) = self.names(r.tgid, r.tid);
                    if let Some(pf) = &mut self.perfetto {
                        pf.exit(&exit, &task_names(&t, &p))?;
                    }
                }
            }
        }
        self.tracker.exit_end(ev);
        if r.flags & record_flags::GROUP_DEAD != 0
            && let Some(f) = &mut self.failures
        {
            f.exited(r.tgid);
        }
        Ok(())
    }

    /// `--- SIGCHLD {si_signo=SIGCHLD, ...} ---`: a signal about to be handled, ignored or
    /// acted on by default (the kill that follows prints `+++ killed by ... +++`).
    fn signal(&mut self, ev: &Event) -> std::io::Result<()> {
        let r = &ev.rec;
        if r.flags & record_flags::AFTER_CALL != 0 {
            let mut rec = *r;
            rec.flags &= !record_flags::AFTER_CALL;
            self.after_call.entry(r.tid).or_default().push(rec);
            return Ok(());
        }
        let sig = r.aux as usize;
        let wanted = self.cfg.signals.get(sig).copied().unwrap_or(false);
        if !wanted
            || self.failures_host_wide()
            || self.cfg.watch
            || self.cfg.summary == Summary::Only
        {
            return Ok(());
        }
        if !self.tracker.begin_call(ev) {
            return Ok(());
        }
        let mut raw = [0u8; 48];
        for (i, w) in r.args.iter().enumerate() {
            raw[i * 8..i * 8 + 8].copy_from_slice(&w.to_ne_bytes());
        }
        let ignored = r.flags & record_flags::IGNORED_SIGNAL != 0;
        let si_pid = i32::from_ne_bytes([raw[16], raw[17], raw[18], raw[19]]);
        if ignored && self.cfg.opts.pid_comms && si_pid > 0 {
            // The sender's name, as it was when it sent (a SIGCHLD's child is gone by now).
            self.tracker.note_comm(r.tgid, si_pid as u32, &ev.comm());
        }
        let mut info = String::new();
        let mut names = self.tracker.names(r.tgid, 0);
        decode::signal::siginfo(&mut info, &raw, &self.cfg.opts, &mut names);
        let name = decode::signal::name(sig as u64);
        let mut prefix = String::new();
        self.prefix(ev, &mut prefix);
        let names_now = self.perfetto.is_some().then(|| self.names(r.tgid, r.tid));
        let signal = Signal {
            prefix: &prefix,
            tgid: r.tgid,
            tid: r.tid,
            name: &name,
            info: &info,
            action: match r.ret {
                0 => "default",
                1 => "ignored",
                _ => "handler",
            },
            nr: self.last_nr(r.tid),
            ip: self.cfg.text.ip.then_some(r.enter_ns),
            wall_ns: self.tracker.clock.wall(r.ts_ns),
        };
        self.out.signal(&signal)?;
        if let (Some(pf), Some((t, p))) = (&mut self.perfetto, &names_now) {
            pf.signal(&signal, &task_names(t, p))?;
        }
        Ok(())
    }

    /// `-P`: whether the call names one of the paths, or uses an fd open on one (as the fd
    /// table knew it before the call).
    fn touches_paths(&mut self, ev: &Event, sc: &Syscall) -> bool {
        let r = &ev.rec;
        let paths = &self.cfg.paths;
        let tracker = &mut self.tracker;
        let mut fd_hit = |fd: i32| {
            fd >= 0
                && tracker
                    .fd_info(r.tgid, fd)
                    .name
                    .is_some_and(|n| paths.iter().any(|p| p.as_slice() == n.as_bytes()))
        };
        // fsconfig: the value is a path and `aux` a dirfd for FSCONFIG_SET_PATH(_EMPTY), `aux`
        // an fd for FSCONFIG_SET_FD; the fs context fd itself is not a file (strace's path
        // tracing).
        if sc.dec == crate::syscalls::Dec::Fsconfig {
            let (cmd, aux) = (r.args[1] as u32, r.args[4] as u32 as i32);
            let path = ev
                .str_for(3)
                .is_some_and(|c| paths.iter().any(|p| p.as_slice() == c.bytes));
            return match cmd {
                3 | 4 => path || fd_hit(aux),
                5 => fd_hit(aux),
                _ => false,
            };
        }
        for (i, ty) in sc.args.iter().enumerate() {
            let hit = match ty {
                Ty::Path => ev
                    .str_for(i)
                    .is_some_and(|c| paths.iter().any(|p| p.as_slice() == c.bytes)),
                Ty::Fd | Ty::Dirfd => fd_hit(r.args[i] as u32 as i32),
                // poll/ppoll: any fd of the array (`struct pollfd`: the fd, then the events).
                Ty::Pollfds(_) => ev.str_for(i).is_some_and(|c| {
                    c.bytes
                        .chunks_exact(8)
                        .any(|p| fd_hit(i32::from_ne_bytes([p[0], p[1], p[2], p[3]])))
                }),
                // select/pselect6: any fd of a set, as given (else as the kernel left it).
                Ty::FdSet(_) => decode::inout(ev.str_for(i))
                    .and_then(|(exit, entry)| entry.or(exit))
                    .is_some_and(|set| {
                        set.iter().enumerate().any(|(k, byte)| {
                            (0..8).any(|b| byte & (1 << b) != 0 && fd_hit((k * 8 + b) as i32))
                        })
                    }),
                _ => false,
            };
            if hit {
                return true;
            }
        }
        false
    }

    /// At detach: the calls the traced tasks are still in (from /proc/TID/syscall), printed
    /// with their arguments as the registers hold them and `<unfinished ...>`, as strace
    /// prints a call cut by its detach.
    pub fn unfinished(&mut self) -> std::io::Result<()> {
        let mut tasks = self.tracker.live_task_ids();
        tasks.sort_unstable();
        for tid in tasks {
            let Some((tgid, nr, args)) = crate::procfs::in_syscall(tid) else {
                continue;
            };
            let Some(sc) = syscalls::by_nr(syscalls::Abi::X86_64, nr)
                .filter(|s| self.cfg.traces(syscalls::Abi::X86_64, s.nr))
            else {
                continue;
            };
            let rec = tracer_common::Record {
                kind: tracer_common::kind::SYSCALL,
                nr: nr as i32,
                tgid,
                tid,
                args,
                ..Default::default()
            };
            let ev = Event {
                rec,
                strs: Default::default(),
            };
            let mut args_text = String::new();
            let opts = self.cfg.opts_for(syscalls::Abi::X86_64, sc.nr);
            let mut names = self.tracker.names(tgid, self.cfg.fd_level);
            decode::args_into(&mut args_text, &ev, sc, &opts, None, &mut names);
            let mut prefix = String::new();
            self.prefix(&ev, &mut prefix);
            let mut call = self.call(&ev, &prefix, sc.name, &args_text, "", &[]);
            call.cut = Some(Cut::Unfinished);
            call.wall_ns = None;
            self.out.call(&call)?;
        }
        Ok(())
    }

    /// At the end: the processes that left without their exit record reaching the tracer
    /// (the ring buffer was full) get their exit line all the same, noted; the started
    /// command's status is known from waitpid (`child`: its pid and wait status).
    pub fn lost_exits(&mut self, child: Option<(u32, i32)>) -> std::io::Result<()> {
        if self.cfg.quiet_exit
            || self.failures_host_wide()
            || self.cfg.watch
            || self.cfg.summary == Summary::Only
        {
            return Ok(());
        }
        for tgid in self.tracker.take_vanished() {
            let code = match child {
                Some((pid, status)) if pid == tgid => status as u32 & 0xffff,
                _ => crate::output::EXIT_UNKNOWN,
            };
            let ev = Event {
                rec: tracer_common::Record {
                    kind: kind::EXIT,
                    tgid,
                    tid: tgid,
                    ..Default::default()
                },
                strs: Default::default(),
            };
            let mut prefix = String::new();
            self.prefix(&ev, &mut prefix);
            let exit = Exit {
                prefix: &prefix,
                tgid,
                tid: tgid,
                code,
                nr: -1,
                wall_ns: None,
                record_lost: true,
            };
            self.out.exit(&exit)?;
        }
        Ok(())
    }

    /// Whether `tgid` is the command the tracer started.
    fn is_child(&self, tgid: u32) -> bool {
        self.tracker.child == Some(tgid)
    }

    /// The signals held for task `tid` until its call returned.
    fn signals_after_call(&mut self, tid: u32) -> std::io::Result<()> {
        for rec in self.after_call.remove(&tid).unwrap_or_default() {
            let ev = Event {
                rec,
                strs: Default::default(),
            };
            self.signal(&ev)?;
        }
        Ok(())
    }

    /// At the end of the trace: signals still held (their task made no call since).
    pub fn flush_signals(&mut self) -> std::io::Result<()> {
        let mut tids: Vec<u32> = self.after_call.keys().copied().collect();
        tids.sort_unstable();
        for tid in tids {
            self.signals_after_call(tid)?;
        }
        Ok(())
    }

    /// Host-wide and asked for failures only: every process's ends and signals would drown
    /// them, so neither is shown.
    fn failures_host_wide(&self) -> bool {
        self.cfg.all && !self.shows_noreturn()
    }

    /// `-n`: the number of the last syscall task `tid` made (-1 if none was seen).
    fn last_nr(&self, tid: u32) -> i32 {
        self.last_nr.get(&tid).copied().unwrap_or(-1)
    }

    /// Whether a call that returns nothing passes the status filters (it did not fail).
    fn shows_noreturn(&self) -> bool {
        use crate::config::Status;
        self.cfg.errnos.is_empty() && !matches!(self.cfg.status, Status::Failed | Status::None)
    }

    #[inline]
    fn call<'e>(
        &self,
        ev: &'e Event,
        prefix: &'e str,
        name: &'e str,
        args: &'e str,
        ret_text: &'e str,
        fds: &'e [FdInfo],
    ) -> Call<'e> {
        let r = &ev.rec;
        let clock = self.tracker.clock;
        Call {
            prefix,
            tgid: r.tgid,
            tid: r.tid,
            comm: ev.comm_bytes(),
            abi: ev.abi(),
            nr: ev.nr() as i32,
            name,
            raw_args: &r.args,
            args,
            strings: &ev.strs,
            ret: r.ret,
            ret_text,
            errno: decode::errno::is_error(r.ret)
                .then(|| decode::errno::lookup((-r.ret) as u32).map(|(n, _)| n))
                .flatten(),
            wall_ns: clock.wall(r.enter_ns).or(clock.wall(r.ts_ns)),
            duration_ns: (r.enter_ns != 0 && r.ts_ns >= r.enter_ns).then(|| r.ts_ns - r.enter_ns),
            fds,
            matched: None,
            hint: None,
            dump: None,
            cut: None,
            stack: None,
            tags: None,
            tamper: r.flags & (record_flags::INJECTED | record_flags::DELAYED),
            ip: self
                .cfg
                .text
                .ip
                .then(|| u64::from(r.aux) | (u64::from(r.ip_hi) << 32)),
        }
    }

    fn syscall(&mut self, ev: &Event) -> std::io::Result<()> {
        let mut bufs = std::mem::take(&mut self.bufs);
        let r = self.syscall_in(ev, &mut bufs);
        self.bufs = bufs;
        r
    }

    fn syscall_in(&mut self, ev: &Event, bufs: &mut Bufs) -> std::io::Result<()> {
        let r = &ev.rec;
        let (abi, nr) = (ev.abi(), ev.nr());
        let mut sc = syscalls::by_nr(abi, nr);
        if !self.tracker.begin_call(ev) {
            return Ok(());
        }
        if self.cfg.text.numbers {
            self.last_nr.insert(r.tid, ev.nr() as i32);
        }
        if let (Some(s), Some(sc)) = (&mut self.stacks, sc) {
            // -k: an executable file mapping, for stacks decoded after the process is gone.
            const PROT_EXEC: u64 = 4;
            let fd = r.args[4] as u32 as i32;
            if sc.name == "mmap"
                && !decode::errno::is_error(r.ret)
                && r.args[2] & PROT_EXEC != 0
                && fd >= 0
                && let Some(path) = self.tracker.fd_info(r.tgid, fd).name
            {
                s.mapped(r.tgid, r.ret as u64, r.args[1], r.args[5], path);
            }
        }
        let execs = sc.is_some_and(|s| s.fx == Fx::Exec) && r.ret == 0;
        let exec = if execs {
            self.tracker.take_exec(r.tgid)
        } else if sc.is_some_and(|s| s.fx == Fx::Exec) {
            // A failed exec: what its entry read, or its exit (a full trace).
            self.tracker
                .take_exec_entry(r.tid)
                .or_else(|| decode::process::ExecArgs::from_exit(ev))
                .map(decode::ExecInfo::failed)
        } else {
            None
        };
        if exec
            .as_ref()
            .is_some_and(|x| x.at || x.entry.as_ref().is_some_and(|e| e.nr == 322))
        {
            sc = syscalls::execveat(abi);
        }
        // -b execve: a process that execs after the started command's own execve is left
        // alone from here on; its line ends `<detached ...>`, as strace's.
        let detaching =
            execs && self.cfg.detach_on_execve && (self.first_exec || !self.is_child(r.tgid));
        if execs && self.is_child(r.tgid) {
            self.first_exec = true;
        }
        let level = self.cfg.fd_level;
        if let Some(sc) = sc
            && (!self.cfg.shows(abi, sc.nr, r.ret)
                || (!self.cfg.paths.is_empty() && !self.touches_paths(ev, sc)))
        {
            // Sent only so that the fd table stays right.
            self.tracker.apply(ev, sc, level > 0);
            return Ok(());
        }
        let args = &mut bufs.args;
        args.clear();
        // -e raw=/abbrev=/verbose= are per call: the arguments and the result print alike.
        let opts = sc.map_or(self.cfg.opts, |s| self.cfg.opts_for(abi, s.nr));
        let name: Cow<str> = match sc {
            Some(sc) => {
                let mut names = self.tracker.names(r.tgid, level);
                decode::args_into(args, ev, sc, &opts, exec.as_ref(), &mut names);
                Cow::Borrowed(sc.name)
            }
            None => {
                let raw: Vec<String> = r.args.iter().map(|a| format!("{a:#x}")).collect();
                args.push_str(&raw.join(", "));
                Cow::Owned(format!("syscall_{nr:#x}"))
            }
        };
        // Where the fds this call uses came from (JSON always; text with --fd-origin), as
        // the table knew them before the call.
        let want_fds = self.cfg.json || self.cfg.text.fd_origin;
        let fds = &mut bufs.fds;
        fds.clear();
        if let (true, Some(sc)) = (want_fds, sc) {
            for (_, v) in sc
                .args
                .iter()
                .zip(r.args)
                .filter(|(t, _)| matches!(t, Ty::Fd | Ty::Dirfd))
            {
                // AT_FDCWD and other negative values are not fds.
                let fd = v as u32 as i32;
                if fd >= 0 {
                    fds.push(self.tracker.fd_info(r.tgid, fd));
                }
            }
        }
        if let (true, Some(sc)) = (self.cfg.uses_fds(), sc) {
            self.tracker.apply(ev, sc, level > 0);
        }
        let ret_text = &mut bufs.ret;
        ret_text.clear();
        decode::ret_into(
            ret_text,
            ev,
            sc,
            &opts,
            &mut self.tracker.names(r.tgid, level),
        );
        // -e inject=: strace's notes after the result.
        if r.flags & record_flags::INJECTED != 0 {
            ret_text.push_str(" (INJECTED)");
        }
        if r.flags & record_flags::DELAYED != 0 {
            ret_text.push_str(" (DELAYED)");
        }
        if want_fds && sc.is_some_and(|s| s.ret == Ret::Fd) && r.ret >= 0 {
            fds.push(self.tracker.fd_info(r.tgid, r.ret as i32));
        }
        let failed = decode::errno::is_error(r.ret);
        let hint = match &mut self.failures {
            Some(f) if failed => {
                // The container, as the tracker knows it (from the exec's cgroup id).
                if f.containers
                    && let Some(c) = self.tracker.tags(r.tgid, r.tid).container
                {
                    f.note_container(r.tgid, &c);
                }
                let line = self
                    .cfg
                    .watch
                    .then(|| format!("{name}({}) = {}", bufs.args, bufs.ret));
                f.failure(ev, sc, &name, line)
            }
            _ => None,
        };
        if self.cfg.watch {
            return Ok(());
        }
        self.prefix(ev, &mut bufs.prefix);
        let names_now = self.perfetto.is_some().then(|| self.names(r.tgid, r.tid));
        let tags = self
            .cfg
            .container_tags
            .then(|| self.tracker.tags(r.tgid, r.tid));
        bufs.comm.clear();
        if self.cfg.json
            && ev.comm_bytes().is_empty()
            && let Some(c) = self.tracker.comm(r.tid)
        {
            bufs.comm.push_str(&c);
        }
        let mut call = self.call(ev, &bufs.prefix, &name, &bufs.args, &bufs.ret, &bufs.fds);
        if !bufs.comm.is_empty() {
            call.comm = bufs.comm.as_bytes();
        }
        call.tags = tags.as_ref();
        call.hint = hint.as_deref();
        if detaching {
            call.cut = Some(Cut::Detached);
            self.tracker.detach(r.tgid);
            self.detach.push(r.tgid);
        }
        if let Some(limit) = self.cfg.syscall_limit
            && self.cfg.summary != Summary::Only
            && self.cfg.matcher.is_none()
        {
            self.shown += 1;
            self.stop = self.shown >= limit;
        }
        if self.cfg.summary != Summary::None
            && let Some(sc) = sc
        {
            self.summary.add(sc.name, sc.nr, failed, call.duration_ns);
        }
        if self.cfg.summary == Summary::Only {
            return Ok(());
        }
        // The data a read or write moved: for --match and -e read=/write= only.
        let wants_payload = self.cfg.matcher.is_some()
            || !self.cfg.dump_read.is_empty()
            || !self.cfg.dump_write.is_empty();
        let payload = sc
            .filter(|_| wants_payload)
            .and_then(|sc| io_payload(ev, sc));
        if self.cfg.matcher.is_some() {
            return self.matching(ev, sc, call, payload, names_now);
        }
        // -e read=FD / -e write=FD: the data in hex, as strace dumps it.
        if let Some((data, read)) = payload {
            let fd = r.args[0] as u32 as i32;
            let list = if read {
                &self.cfg.dump_read
            } else {
                &self.cfg.dump_write
            };
            // Data written is dumped as given, whatever the result (as strace does); data
            // read, as much as a successful call moved.
            if list.contains(&fd) && (!read || r.ret >= 0) {
                // A vectored call whose iovec array could not be read: strace dumps nothing.
                let iov = sc.and_then(|sc| io_buffers(ev, sc));
                // A vectored call's data is split by its buffers (and what each moved).
                let data = match iov {
                    None if read => &data[..data.len().min(r.ret as usize)],
                    _ => data,
                };
                if iov != Some(None) {
                    call.dump = Some(crate::output::Dump {
                        data,
                        iov: iov.flatten(),
                        total: read.then_some(r.ret as u64),
                        cap: self.cfg.opts.iov,
                    });
                }
            }
        }
        if let Some(s) = &mut self.stacks
            && let Some(st) = ev.str_for(usize::from(tracer_common::SLOT_STACK))
        {
            let ips: Vec<u64> = st
                .bytes
                .chunks_exact(8)
                .map(|w| u64::from_ne_bytes(w.try_into().unwrap_or_default()))
                .collect();
            s.frames(&mut self.frames, r.tgid, &ips);
            call.stack = Some(&self.frames);
        }
        self.out.call(&call)?;
        if let (Some(pf), Some((t, p))) = (&mut self.perfetto, &names_now) {
            pf.call(&call, &task_names(t, p))?;
        }
        Ok(())
    }

    /// A task's name and its process's, for the timeline.
    fn names(&mut self, tgid: u32, tid: u32) -> (Option<Rc<str>>, Option<Rc<str>>) {
        (self.tracker.comm(tid), self.tracker.comm(tgid))
    }

    /// `--match`: print only calls whose data matches, with the fd's origin, and the context.
    fn matching(
        &mut self,
        ev: &Event,
        sc: Option<&Syscall>,
        call: Call,
        payload: Option<(&[u8], bool)>,
        names_now: Option<TaskNames>,
    ) -> std::io::Result<()> {
        let r = &ev.rec;
        let fd = r.args[0] as u32 as i32;
        let key = (r.tgid, fd);
        let n = self.cfg.match_context;
        let hit = match (payload, &self.cfg.matcher) {
            (Some((data, _)), Some(m)) => {
                m.find(data).map(|h| (matching::excerpt(data, &h, 40), h))
            }
            _ => None,
        };
        if sc.is_some_and(|s| s.fx == Fx::Close) {
            self.history.close(key);
        }
        let Some((excerpt, hit)) = hit else {
            if self.history.take_after(key) {
                return self.out.call(&call);
            }
            let line = self.out.render(&call);
            self.history.push(key, line, n);
            return Ok(());
        };
        for l in self.history.take_before(key) {
            self.out.rendered(r.tid, &l)?;
        }
        let m = Match {
            pattern: hit.pattern,
            offset: hit.start,
            excerpt,
            fd: self.tracker.fd_info(r.tgid, fd),
        };
        let call = Call {
            matched: Some(&m),
            ..call
        };
        self.out.call(&call)?;
        if let (Some(pf), Some((t, p))) = (&mut self.perfetto, &names_now) {
            pf.call(&call, &task_names(t, p))?;
        }
        self.history.set_after(key, n);
        Ok(())
    }
}

/// A task's name and its process's.
type TaskNames = (Option<Rc<str>>, Option<Rc<str>>);

fn task_names<'a>(t: &'a Option<Rc<str>>, p: &'a Option<Rc<str>>) -> Names<'a> {
    Names {
        thread: t.as_deref(),
        process: p.as_deref(),
    }
}

/// The iovec array that split a vectored call's data into buffers, as copied: None for a
/// call without one, Some(None) when it could not all be read.
fn io_buffers<'e>(ev: &'e Event, sc: &Syscall) -> Option<Option<&'e [u8]>> {
    use tracer_common::SLOT_IOV;
    sc.args.iter().enumerate().find_map(|(i, ty)| {
        let slot = match ty {
            Ty::Iovec(_) | Ty::IovecOut(_) => i,
            Ty::Msghdr | Ty::MsghdrOut => i | usize::from(SLOT_IOV),
            _ => return None,
        };
        Some(ev.str_for(slot).filter(|c| !c.faulted()).map(|c| c.bytes))
    })
}

/// The data an I/O call moved, as copied, and whether it was read (true) or written.
pub fn io_payload<'e>(ev: &'e Event, sc: &Syscall) -> Option<(&'e [u8], bool)> {
    use tracer_common::{SLOT_CONTENTS, SLOT_IOV};
    for (i, ty) in sc.args.iter().enumerate() {
        let (slot, read) = match ty {
            Ty::OutBuf => (i, true),
            Ty::InBuf(_) | Ty::XattrVal(_) => (i, false),
            Ty::IovecOut(_) => (i | usize::from(SLOT_CONTENTS), true),
            Ty::Iovec(_) => (i | usize::from(SLOT_CONTENTS), false),
            Ty::Msghdr | Ty::Mmsghdr => (i | usize::from(SLOT_IOV | SLOT_CONTENTS), false),
            Ty::MsghdrOut | Ty::MmsghdrOut => (i | usize::from(SLOT_IOV | SLOT_CONTENTS), true),
            _ => continue,
        };
        // Iovec data that ran into an unreadable buffer keeps the buffers before it.
        return ev
            .str_for(slot)
            .filter(|c| !c.faulted() || (c.page_end() && slot & usize::from(SLOT_CONTENTS) != 0))
            .map(|c| (c.bytes, read));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::{alloc::System, cell::Cell};

    use clap::Parser;
    use tracer_common::{Record, StrMeta, kind, str_status};

    use super::*;
    use crate::{
        cli::Cli,
        fds,
        output::text::Text,
        source::{encode, parse},
    };

    /// Counts this thread's allocations (tests run on several threads).
    struct Counting;

    thread_local! {
        static ALLOCS: Cell<usize> = const { Cell::new(0) };
    }

    // SAFETY: forwards to the system allocator; the counter is a const-initialized
    // thread-local, which does not allocate.
    unsafe impl std::alloc::GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
            ALLOCS.with(|c| c.set(c.get() + 1));
            // SAFETY: same contract as ours.
            unsafe { System.alloc(l) }
        }
        unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
            // SAFETY: same contract as ours.
            unsafe { System.dealloc(p, l) }
        }
        unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
            ALLOCS.with(|c| c.set(c.get() + 1));
            // SAFETY: same contract as ours.
            unsafe { System.realloc(p, l, n) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// dd's calls: `read(0, "\0", 1) = 1` and `write(1, "\0", 1) = 1`, as ring-buffer bytes.
    fn dd_records() -> Vec<Vec<u8>> {
        [(0, 0), (1, 1)]
            .iter()
            .map(|&(nr, fd)| {
                let mut rec = Record {
                    kind: kind::SYSCALL,
                    nr,
                    tgid: 42,
                    tid: 42,
                    args: [fd, 0x7ffc_0000, 1, 0, 0, 0],
                    ret: 1,
                    ..Default::default()
                };
                rec.strs[0] = StrMeta {
                    arg: 1,
                    status: str_status::OK,
                    len: 1,
                };
                encode(&rec, &[b"\0"])
            })
            .collect()
    }

    #[test]
    fn the_text_path_allocates_nothing_per_event() {
        let cli = Cli::try_parse_from(["tracer", "--", "true"]).unwrap();
        let cfg = Config::from_cli(cli).unwrap();
        let out = Output::new(
            Box::new(std::io::sink()),
            Box::new(Text::new(cfg.text_flags())),
            false,
        );
        let mut p = Pipeline::new(
            &cfg,
            Tracker::new([42], fds::Table::default(), None),
            out,
            None,
        );
        let recs = dd_records();
        let mut run = |n: usize| {
            for _ in 0..n {
                for r in &recs {
                    p.handle(parse(r).unwrap()).unwrap();
                }
            }
        };
        // Buffers grow to their size on the first events.
        run(100);
        let before = ALLOCS.with(Cell::get);
        run(10_000);
        let after = ALLOCS.with(Cell::get);
        assert_eq!(after - before, 0, "allocations for 20000 events");
        // The counter counts.
        let v = std::hint::black_box(vec![1u8; 10]);
        assert_eq!(ALLOCS.with(Cell::get), after + 1, "{v:?}");
    }
}
