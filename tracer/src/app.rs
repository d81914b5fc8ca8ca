//! The run: load, select targets, start the command, then turn ring-buffer records into lines
//! until the targets are gone or the user interrupts.
use std::{
    collections::{HashMap, HashSet},
    io::{BufWriter, IsTerminal, Write},
    os::fd::AsRawFd,
    process::ExitCode,
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::Result;
use tokio::{
    io::{Interest, unix::AsyncFd},
    signal::unix::{SignalKind, signal},
};
use tracer_common::{AggKey, AggVal, COMPAT_BASE, kind, record_flags};

use crate::{
    config::{Config, Summary, UsageError},
    decode::{self, ExecInfo, net},
    diagnose, fds, loader, matching,
    metrics::{self, Metrics},
    output::{Call, Printer, summary},
    source::{self, Event},
    syscalls::{self, Abi, Syscall, Ty},
    tracee,
    watch::{Sample, Watch},
};

/// Converts kernel monotonic ns to wall-clock ns.
fn clock_offset() -> u64 {
    let now = |clk| {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes into ts.
        unsafe { libc::clock_gettime(clk, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    };
    now(libc::CLOCK_REALTIME).saturating_sub(now(libc::CLOCK_MONOTONIC))
}

struct State<'a> {
    cfg: &'a Config,
    printer: Printer,
    summary: summary::Summary,
    pending_exec: HashMap<u32, ExecInfo>,
    /// The started child's syscalls before its execve are the tracer's, not the command's.
    skip_until_exec: Option<u32>,
    live_tasks: HashSet<u32>,
    live_procs: HashSet<u32>,
    multi: bool,
    clock: u64,
    lost: u64,
    events: u64,
    watch: Option<Watch>,
    metrics: Option<Arc<Mutex<Metrics>>>,
    /// Interval number in which each key last got a hint (hints: once per key per interval).
    hinted: HashMap<AggKey, u64>,
    epoch: u64,
    /// Last kernel count per aggregation key, with the labels it is reported under.
    agg_last: HashMap<AggKey, (u64, String, &'static str)>,
    /// Processes that exited: their aggregation keys are read one last time, then deleted.
    dead: HashSet<u32>,
    /// fd tables of the traced processes (-y, -yy, --fd-origin, JSON).
    fds: fds::Table,
    /// --match-context: recent lines per fd, and lines still to show after a match.
    history: matching::History,
}

impl State<'_> {
    fn prefix(&self, ev: &Event) -> String {
        let r = &ev.rec;
        if self.cfg.all {
            let end = r.comm.iter().position(|b| *b == 0).unwrap_or(16);
            format!("{}[{}] ", String::from_utf8_lossy(&r.comm[..end]), r.tid)
        } else if self.multi || self.live_tasks.len() > 1 {
            format!("[pid {:>5}] ", r.tid)
        } else {
            String::new()
        }
    }

    fn wall(&self, ns: u64) -> Option<u64> {
        (ns != 0).then(|| ns + self.clock)
    }

    fn handle(&mut self, ev: Event) -> std::io::Result<()> {
        self.events += 1;
        let r = ev.rec;
        if r.lost_before > 0 {
            self.lost += u64::from(r.lost_before);
            if self.cfg.summary != Summary::Only {
                self.printer.lost(u64::from(r.lost_before))?;
            }
        }
        match r.kind {
            kind::FORK => {
                self.live_tasks.insert(r.aux);
                self.live_procs.insert(r.ret as u32);
                if r.ret as u32 != r.tgid {
                    self.fds.fork(r.tgid, r.ret as u32);
                }
                Ok(())
            }
            kind::EXEC => {
                if self.skip_until_exec == Some(r.tgid) {
                    // The started command's image is in place: from here on its calls are its own.
                    self.skip_until_exec = None;
                }
                if let (Some(f), Some(a)) = (ev.str_for(0), ev.str_for(1)) {
                    self.pending_exec.insert(
                        r.tgid,
                        ExecInfo {
                            filename: f.clone(),
                            argv: a.clone(),
                            argv_len: usize::try_from(r.ret).unwrap_or(0),
                        },
                    );
                }
                Ok(())
            }
            kind::EXIT => self.exit(&ev),
            kind::SYSCALL => self.syscall(&ev),
            _ => Ok(()),
        }
    }

    fn exit(&mut self, ev: &Event) -> std::io::Result<()> {
        let r = ev.rec;
        if self.skip_until_exec == Some(r.tid) {
            self.skip_until_exec = None;
        }
        self.live_tasks.insert(r.tid);
        let prefix = self.prefix(ev);
        if self.cfg.watch {
        } else if self.cfg.summary != Summary::Only {
            // exit and exit_group never return: print them here, as strace does.
            if let Some(sc) = syscalls::by_nr(Abi::X86_64, i64::from(r.nr))
                .filter(|s| matches!(s.name, "exit" | "exit_group"))
                .filter(|s| self.cfg.traced[s.nr as usize] && self.cfg.errnos.is_empty())
                .filter(|_| self.cfg.status != crate::config::Status::Failed)
            {
                let args = decode::args(ev, sc, &self.cfg.opts, None, &mut decode::NoFds);
                let call = self.call(ev, sc.name, &args, "?");
                self.printer.call(&call, &prefix)?;
            }
            self.printer
                .exit(&prefix, r.tgid, r.tid, r.aux, self.wall(r.ts_ns))?;
        } else if let Some(sc) = syscalls::by_nr(Abi::X86_64, i64::from(r.nr))
            .filter(|s| matches!(s.name, "exit" | "exit_group"))
            .filter(|s| self.cfg.traced[s.nr as usize])
        {
            self.summary.add(sc.name, false, 0);
        }
        self.live_tasks.remove(&r.tid);
        if r.flags & record_flags::GROUP_DEAD != 0 {
            self.live_procs.remove(&r.tgid);
            self.pending_exec.remove(&r.tgid);
            self.fds.exit(r.tgid);
            if self.cfg.agg_samples != 0 {
                self.dead.insert(r.tgid);
            }
        }
        Ok(())
    }

    fn call<'b>(&self, ev: &'b Event, name: &'b str, args: &'b str, ret_text: &'b str) -> Call<'b> {
        let r = &ev.rec;
        let end = r.comm.iter().position(|b| *b == 0).unwrap_or(16);
        let failed = (-4095..0).contains(&r.ret);
        Call {
            tgid: r.tgid,
            tid: r.tid,
            comm: std::str::from_utf8(&r.comm[..end]).unwrap_or(""),
            abi: if r.flags & record_flags::COMPAT != 0 {
                "i386"
            } else {
                "x86_64"
            },
            nr: r.nr,
            name,
            raw_args: &ev.rec.args,
            args,
            // Only the JSON printer shows them: no allocation per event otherwise.
            strings: if self.cfg.json {
                ev.strs
                    .iter()
                    .map(|c| (c.arg, String::from_utf8_lossy(&c.bytes).into_owned()))
                    .collect()
            } else {
                Vec::new()
            },
            ret: r.ret,
            ret_text,
            errno: if failed {
                decode::errno::lookup((-r.ret) as u32).map(|(n, _)| n)
            } else {
                None
            },
            wall_ns: self
                .wall(r.enter_ns)
                .filter(|_| r.enter_ns != 0)
                .or(self.wall(r.ts_ns)),
            fds: Vec::new(),
            matched: None,
            duration_ns: (r.enter_ns != 0 && r.ts_ns >= r.enter_ns).then(|| r.ts_ns - r.enter_ns),
        }
    }

    fn syscall(&mut self, ev: &Event) -> std::io::Result<()> {
        let r = ev.rec;
        let abi = if r.flags & record_flags::COMPAT != 0 {
            Abi::I386
        } else {
            Abi::X86_64
        };
        let nr = if r.flags & record_flags::SIGRETURN != 0 {
            if abi == Abi::I386 { 173 } else { 15 }
        } else {
            i64::from(r.nr)
        };
        let sc = syscalls::by_nr(abi, nr);
        let is_execve = sc.is_some_and(|s| s.name == "execve" || s.name == "execveat");
        if self.skip_until_exec == Some(r.tgid) {
            return Ok(());
        }
        self.live_tasks.insert(r.tid);
        if let Some(sc) = sc
            && r.flags & record_flags::SIGRETURN == 0
            && !self.cfg.shows(sc.nr as usize, abi == Abi::I386, r.ret)
        {
            // Sent only so that the fd table stays right.
            self.track(ev, sc);
            if is_execve && r.ret == 0 {
                self.pending_exec.remove(&r.tgid);
            }
            return Ok(());
        }
        let exec = if is_execve && r.ret == 0 {
            self.pending_exec.remove(&r.tgid)
        } else {
            None
        };
        let failed = (-4095..0).contains(&r.ret);
        let level = self.cfg.fd_level;
        let mut ann = Ann {
            table: &mut self.fds,
            tgid: r.tgid,
            level,
        };
        let (name, args): (String, String) = match sc {
            Some(sc) => (
                sc.name.to_string(),
                decode::args(ev, sc, &self.cfg.opts, exec.as_ref(), &mut ann),
            ),
            None => (
                format!("syscall_{:#x}", nr),
                r.args
                    .iter()
                    .map(|a| format!("{a:#x}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        };
        // Where the fds this call uses came from (JSON always; text with --fd-origin), as
        // the table knew them before the call.
        let want_fds = self.cfg.json || self.cfg.fd_origin;
        let mut fd_info = Vec::new();
        if let (true, Some(sc)) = (want_fds, sc) {
            // AT_FDCWD and other negative values are not fds.
            let fds = sc
                .args
                .iter()
                .zip(r.args)
                .filter(|(t, _)| matches!(t, Ty::Fd | Ty::Dirfd))
                .map(|(_, v)| v as u32 as i32)
                .filter(|fd| *fd >= 0);
            for fd in fds {
                let n = self.fds.annotate(r.tgid, fd, true);
                fd_info.push((fd, n, self.fds.origin(r.tgid, fd)));
            }
        }
        if let (true, Some(sc)) = (self.cfg.uses_fds(), sc) {
            self.track(ev, sc);
        }
        let mut ann = Ann {
            table: &mut self.fds,
            tgid: r.tgid,
            level,
        };
        let ret_text = decode::ret(ev, sc, &mut ann);
        if want_fds && sc.is_some_and(|s| s.ret == syscalls::Ret::Fd) && r.ret >= 0 {
            let fd = r.ret as i32;
            let n = self.fds.annotate(r.tgid, fd, true);
            fd_info.push((fd, n, self.fds.origin(r.tgid, fd)));
        }
        if failed {
            let slot = nr as u32 + if abi == Abi::I386 { COMPAT_BASE } else { 0 };
            let key = AggKey {
                tgid: r.tgid,
                slot,
                errno: (-r.ret) as u32,
                _pad: 0,
            };
            let hint = self.failure(ev, sc, key, &name);
            if self.cfg.watch {
                return Ok(());
            }
            if let Some(h) = hint {
                let mut call = self.call(ev, &name, &args, &ret_text);
                call.fds = fd_info;
                let prefix = self.prefix(ev);
                self.printer.call(&call, &prefix)?;
                let errno = call.errno.unwrap_or("?");
                return self.printer.hint(&prefix, r.tgid, &name, errno, &h);
            }
        }
        let mut call = self.call(ev, &name, &args, &ret_text);
        call.fds = fd_info;
        let dur = call.duration_ns;
        if self.cfg.summary != Summary::None
            && let Some(sc) = sc
        {
            self.summary.add(sc.name, failed, dur.unwrap_or(0));
        }
        if self.cfg.summary == Summary::Only {
            return Ok(());
        }
        let prefix = self.prefix(ev);
        let mut call = Call {
            duration_ns: dur,
            ..call
        };
        let payload = sc.and_then(|sc| io_payload(ev, sc));
        if self.cfg.matcher.is_some() {
            return self.matching(ev, &mut call, &prefix, payload);
        }
        self.printer.call(&call, &prefix)?;
        // -e read=FD / -e write=FD: the data in hex, as strace dumps it.
        if let (Some(sc), Some((data, out))) = (sc, payload) {
            let fd = r.args[0] as u32 as i32;
            let list = if out {
                &self.cfg.dump_read
            } else {
                &self.cfg.dump_write
            };
            if list.contains(&fd) && r.ret >= 0 && !self.cfg.json {
                let _ = sc;
                self.printer.raw(&matching::hexdump(data))?;
            }
        }
        Ok(())
    }

    /// `--match`: print only calls whose data matches, with the fd's origin, and the context.
    fn matching(
        &mut self,
        ev: &Event,
        call: &mut Call,
        prefix: &str,
        payload: Option<(&[u8], bool)>,
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
        if sc_closes(call.name) {
            self.history.close(key);
        }
        let Some((excerpt, hit)) = hit else {
            if self.history.take_after(key) {
                return self.printer.call(call, prefix);
            }
            let line = self.printer.call_line(call, prefix);
            self.history.push(key, line, n);
            return Ok(());
        };
        for l in self.history.take_before(key) {
            self.printer.line(&l)?;
        }
        call.matched = Some((hit.pattern.clone(), hit.start, excerpt.clone()));
        // The origin is shown whether or not the line already carries it (JSON does).
        let name = self.fds.annotate(r.tgid, fd, true);
        let origin = self.fds.origin(r.tgid, fd);
        if call.fds.iter().all(|(f, _, _)| *f != fd) {
            call.fds.push((fd, name.clone(), origin.clone()));
        }
        self.printer.call(call, prefix)?;
        if !self.cfg.json {
            self.printer.line(&format!(
                "{prefix}  > matched {:?} at byte {}: {excerpt}",
                hit.pattern, hit.start
            ))?;
            let mut o = format!("{prefix}  ^ fd {fd}");
            if let Some(n) = &name {
                o.push_str(&format!(" <{n}>"));
            }
            match &origin {
                Some(org) => {
                    o.push_str(&format!(" from {}()", org.syscall));
                    if let Some(t) = org.time_ns {
                        o.push_str(&format!(" at {}", crate::output::clock_text(t)));
                    }
                    if let Some(p) = &org.peer {
                        o.push_str(&format!(", peer {p}"));
                    }
                }
                None => o.push_str(" existed before the trace started"),
            }
            self.printer.line(&o)?;
        }
        self.history.set_after(key, n);
        Ok(())
    }
}

/// `-y`/`-yy` names from the fd table.
struct Ann<'t> {
    table: &'t mut fds::Table,
    tgid: u32,
    level: u8,
}

impl decode::FdNames for Ann<'_> {
    fn name(&mut self, fd: i32) -> Option<String> {
        match self.level {
            0 => None,
            1 => self.table.annotate(self.tgid, fd, false),
            _ => self.table.annotate(self.tgid, fd, true),
        }
    }
}

impl State<'_> {
    /// Keeps the fd table in step with a completed call.
    fn track(&mut self, ev: &Event, sc: &Syscall) {
        let r = &ev.rec;
        let (a, ret, t) = (r.args, r.ret, r.tgid);
        if ret < 0 && !(sc.name == "connect" && ret == -115) {
            return;
        }
        let origin = fds::Origin {
            syscall: sc.name.to_string(),
            tid: r.tid,
            time_ns: self.wall(r.ts_ns),
            peer: None,
        };
        let text = |i: usize| {
            ev.str_for(i)
                .filter(|c| !c.faulted())
                .map(|c| String::from_utf8_lossy(&c.bytes).into_owned())
        };
        let addr = |i: usize| ev.str_for(i).and_then(|c| net::parse(&c.bytes));
        const CLOEXEC: u64 = 0o2000000;
        let fd = |v: u64| v as u32 as i32;
        let named = self.cfg.fd_level > 0;
        let tbl = &mut self.fds;
        match sc.name {
            "open" | "creat" => {
                if let Some(p) = text(0) {
                    let cx = sc.name == "open" && a[1] & CLOEXEC != 0;
                    tbl.opened(t, ret as i32, -100, &p, cx, origin);
                }
            }
            "openat" => {
                if let Some(p) = text(1) {
                    tbl.opened(t, ret as i32, fd(a[0]), &p, a[2] & CLOEXEC != 0, origin);
                }
            }
            "openat2" => {
                if let Some(p) = text(1) {
                    tbl.opened(t, ret as i32, fd(a[0]), &p, false, origin);
                }
            }
            "socket" => tbl.socket(t, ret as i32, a[0], a[1], origin),
            "accept" | "accept4" => {
                let cx = sc.name == "accept4" && a[3] & CLOEXEC != 0;
                tbl.accepted(t, fd(a[0]), ret as i32, addr(1).as_ref(), cx, origin);
            }
            "connect" => {
                if let Some(p) = addr(1) {
                    tbl.connected(t, fd(a[0]), &p);
                }
            }
            "bind" => {
                if let Some(l) = addr(1) {
                    tbl.bound(t, fd(a[0]), &l);
                }
            }
            "listen" => tbl.listening(t, fd(a[0])),
            "dup" => tbl.dup(t, fd(a[0]), ret as i32, false, origin),
            "dup2" => tbl.dup(t, fd(a[0]), fd(a[1]), false, origin),
            "dup3" => tbl.dup(t, fd(a[0]), fd(a[1]), a[2] & CLOEXEC != 0, origin),
            "fcntl" => match a[1] {
                0 => tbl.dup(t, fd(a[0]), ret as i32, false, origin),
                1030 => tbl.dup(t, fd(a[0]), ret as i32, true, origin),
                2 => tbl.set_cloexec(t, fd(a[0]), a[2] & 1 != 0),
                _ => {}
            },
            "pipe" | "pipe2" | "socketpair" => {
                let (arg, cx) = match sc.name {
                    "pipe" => (0, false),
                    "pipe2" => (0, a[1] & CLOEXEC != 0),
                    _ => (3, a[1] & CLOEXEC != 0),
                };
                if let Some(b) = ev
                    .str_for(arg)
                    .map(|c| c.bytes.clone())
                    .filter(|b| b.len() >= 8)
                {
                    for k in [0, 4] {
                        let f = i32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
                        let fallback = if sc.name == "socketpair" {
                            "socket"
                        } else {
                            "pipe"
                        };
                        tbl.other(t, f, fallback, named, cx, origin.clone());
                    }
                }
            }
            "eventfd" | "eventfd2" | "epoll_create" | "epoll_create1" | "signalfd"
            | "signalfd4" | "timerfd_create" | "inotify_init" | "inotify_init1"
            | "memfd_create" | "userfaultfd" | "pidfd_open" | "perf_event_open"
            | "io_uring_setup" | "fanotify_init" | "bpf" => {
                let fallback = format!("anon_inode:[{}]", sc.name);
                tbl.other(t, ret as i32, &fallback, named, false, origin);
            }
            "close" => tbl.close(t, fd(a[0])),
            "close_range" => tbl.close_range(t, a[0] as u32, a[1] as u32, a[2] & 4 != 0),
            "execve" | "execveat" => tbl.exec(t),
            "chdir" => {
                if let Some(p) = text(0) {
                    tbl.chdir(t, &p);
                }
            }
            _ => {}
        }
    }

    /// A failure record: feed the watch and the metrics, and return a diagnosis if this key
    /// has none yet in this interval.
    fn failure(
        &mut self,
        ev: &Event,
        sc: Option<&Syscall>,
        key: AggKey,
        name: &str,
    ) -> Option<String> {
        let r = &ev.rec;
        let errno = decode::errno::lookup(key.errno)
            .map(|(n, _)| n)
            .unwrap_or("?");
        let comm = comm_of(ev);
        let mut path = None;
        let mut addr = None;
        if let Some(sc) = sc {
            for (i, ty) in sc.args.iter().enumerate() {
                match (ty, ev.str_for(i)) {
                    (Ty::Path, Some(c)) if path.is_none() && !c.faulted() => {
                        path = Some(c.bytes.as_slice())
                    }
                    (Ty::Sockaddr(_) | Ty::SockaddrOut(_), Some(c)) if addr.is_none() => {
                        addr = net::parse(&c.bytes)
                    }
                    _ => {}
                }
            }
        }
        let uncounted = r.flags & record_flags::UNCOUNTED != 0;
        if uncounted
            && let Some(m) = &self.metrics
            && let Ok(mut m) = m.lock()
        {
            m.add_failures(name, errno, &comm, 1);
        }
        let detail = path
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .or_else(|| addr.as_ref().map(net::short));
        let wall = r.ts_ns + self.clock;
        if let Some(sc) = sc {
            // The labels its kernel count is reported under: the comm from the record, while
            // the process may already be gone when the map is read.
            self.agg_last
                .entry(key)
                .or_insert((0, comm.clone(), sc.name));
        }
        if let Some(w) = &mut self.watch {
            w.sample(
                key,
                Sample {
                    comm: &comm,
                    syscall: name,
                    errno,
                    detail,
                    uncounted,
                    wall_ns: wall,
                },
            );
        }
        if !self.cfg.hints || self.hinted.get(&key) == Some(&self.epoch) {
            return None;
        }
        self.hinted.insert(key, self.epoch);
        let hint = diagnose::diagnose(&diagnose::Failure {
            tgid: r.tgid,
            syscall: name,
            errno: key.errno,
            args: r.args,
            path,
            addr: addr.as_ref(),
        });
        if let (Some(w), Some(h)) = (&mut self.watch, &hint)
            && let Some(row) = w.rows.get_mut(&key)
        {
            row.hint = Some(h.clone());
        }
        hint
    }

    /// Reads the kernel's failure counts: metrics deltas, watch rows; forgets dead processes.
    fn collect(
        &mut self,
        agg: &mut aya::maps::HashMap<aya::maps::MapData, AggKey, AggVal>,
        tail_lost: u64,
    ) {
        let entries: Vec<(AggKey, AggVal)> = agg.iter().filter_map(Result::ok).collect();
        let mut metrics = self.metrics.as_ref().and_then(|m| m.lock().ok());
        for (k, v) in &entries {
            let abi = if k.slot >= COMPAT_BASE {
                Abi::I386
            } else {
                Abi::X86_64
            };
            let sc = syscalls::by_nr(abi, i64::from(k.slot % COMPAT_BASE))
                .map(|s| s.name)
                .unwrap_or("?");
            let errno = decode::errno::lookup(k.errno)
                .map(|(n, _)| n)
                .unwrap_or("?");
            let last = self.agg_last.entry(*k).or_insert_with(|| {
                let comm = std::fs::read_to_string(format!("/proc/{}/comm", k.tgid))
                    .map(|c| c.trim().to_string())
                    .unwrap_or_else(|_| "?".into());
                (0, comm, sc)
            });
            if let Some(m) = metrics.as_mut() {
                m.add_failures(sc, errno, &last.1, v.count.saturating_sub(last.0));
            }
            last.0 = v.count;
            if let Some(w) = &mut self.watch {
                let row = w.rows.entry(*k).or_default();
                if row.comm.is_empty() {
                    row.comm = last.1.clone();
                    row.syscall = sc.to_string();
                    row.errno = errno.to_string();
                }
                // Samples the map could not count were added as they came; they are not in v.
                row.kernel = v.count;
                row.count = v.count + row.uncounted;
                row.sent = v.sent + row.uncounted;
                row.first_ns = v.first_ns + self.clock;
                row.last_ns = v.last_ns + self.clock;
                row.gone = self.dead.contains(&k.tgid);
            }
        }
        if let Some(m) = metrics.as_mut() {
            m.events = self.events;
            m.lost = self.lost + tail_lost;
            m.suppressed = entries
                .iter()
                .map(|(_, v)| v.count.saturating_sub(v.sent))
                .sum();
        }
        drop(metrics);
        for (k, _) in entries.iter().filter(|(k, _)| self.dead.contains(&k.tgid)) {
            let _ = agg.remove(k);
            self.agg_last.remove(k);
        }
        self.dead.clear();
    }

    /// The watch table for this interval.
    fn show_watch(&mut self, tail_lost: u64) -> std::io::Result<()> {
        let now = self.clock + monotonic_ns();
        let lost = self.lost + tail_lost;
        let Some(w) = &mut self.watch else {
            return Ok(());
        };
        let text = if self.cfg.json {
            format!("{}\n", w.render_json(now, self.events, lost))
        } else {
            let table = w.render(now, self.events, lost, 40, self.cfg.hints);
            if self.printer.is_terminal() {
                // Like top: redraw in place.
                format!("\x1b[H\x1b[2J{table}")
            } else {
                format!("{table}\n")
            }
        };
        w.mark_shown();
        self.printer.raw(&text)?;
        self.printer.flush()
    }
}

fn sc_closes(name: &str) -> bool {
    name == "close"
}

/// The data an I/O call moved, as copied, and whether it was read (true) or written.
fn io_payload<'e>(ev: &'e Event, sc: &Syscall) -> Option<(&'e [u8], bool)> {
    for (i, ty) in sc.args.iter().enumerate() {
        let (slot, out) = match ty {
            Ty::OutBuf => (i, true),
            Ty::InBuf(_) => (i, false),
            Ty::IovecOut(_) => (i | usize::from(tracer_common::SLOT_CONTENTS), true),
            Ty::Iovec(_) => (i | usize::from(tracer_common::SLOT_CONTENTS), false),
            Ty::Msghdr | Ty::Mmsghdr => (
                i | usize::from(tracer_common::SLOT_IOV | tracer_common::SLOT_CONTENTS),
                false,
            ),
            Ty::MsghdrOut | Ty::MmsghdrOut => (
                i | usize::from(tracer_common::SLOT_IOV | tracer_common::SLOT_CONTENTS),
                true,
            ),
            _ => continue,
        };
        return ev
            .str_for(slot)
            .filter(|c| !c.faulted())
            .map(|c| (c.bytes.as_slice(), out));
    }
    None
}

fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into ts.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn comm_of(ev: &Event) -> String {
    let end = ev.rec.comm.iter().position(|b| *b == 0).unwrap_or(16);
    if end > 0 {
        return String::from_utf8_lossy(&ev.rec.comm[..end]).into_owned();
    }
    std::fs::read_to_string(format!("/proc/{}/comm", ev.rec.tgid))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

fn open_output(cfg: &Config) -> Result<Box<dyn Write + Send>> {
    Ok(match &cfg.output {
        Some(path) => {
            let f = std::fs::File::create(path).map_err(|e| {
                UsageError(format!(
                    "-o {}: cannot create the file ({e}); choose a writable path",
                    path.display()
                ))
            })?;
            Box::new(BufWriter::with_capacity(256 << 10, f))
        }
        None => Box::new(BufWriter::with_capacity(64 << 10, std::io::stderr())),
    })
}

/// Runs the tracer; the exit code is the traced command's, if there is one.
pub async fn run(cfg: Config) -> Result<ExitCode> {
    // Check what the user named before touching the kernel.
    let mut tgids = Vec::new();
    for &p in &cfg.pids {
        match tracee::tgid_of(p) {
            Some(t) => tgids.push(t),
            None => {
                return Err(UsageError(format!(
                    "-p {p}: no such process; check the pid with `ps -p {p}`"
                ))
                .into());
            }
        }
    }
    let out = open_output(&cfg)?;
    let command_path = if cfg.command.is_empty() {
        None
    } else {
        Some(tracee::resolve(&cfg.command[0]).ok_or_else(|| {
            UsageError(format!(
                "{}: command not found in PATH; give an existing program",
                cfg.command[0].to_string_lossy()
            ))
        })?)
    };

    let mut loaded = loader::load(&cfg)?;
    let mut ring = loader::events(&mut loaded.ebpf)?;

    let mut live_procs = HashSet::new();
    for &t in &tgids {
        loader::set_target(&mut loaded.targets, t, true)?;
        live_procs.insert(t);
        if cfg.follow {
            // The fork hook is attached: descendants forked from now on are caught in the
            // kernel; these are the ones that existed before.
            for d in tracee::descendants(t) {
                loader::set_target(&mut loaded.targets, d, true)?;
                live_procs.insert(d);
            }
        }
    }
    // fds that exist before the attach: what they are, for -y and provenance.
    let mut fd_table = fds::Table::default();
    for &t in &tgids {
        fd_table.seed(t);
    }
    let mut child = None;
    if let Some(path) = command_path {
        let held = tracee::spawn_held(&path, &cfg.command)?;
        loader::set_target(&mut loaded.targets, held.pid, true)?;
        live_procs.insert(held.pid);
        let pid = held.pid;
        // The command's inherited fds (stdin, stdout, stderr), while it waits to exec.
        fd_table.seed(pid);
        if let Err(e) = held.release() {
            return Err(UsageError(format!(
                "{}: cannot execute ({e})",
                cfg.command[0].to_string_lossy()
            ))
            .into());
        }
        child = Some(pid);
    }

    if !cfg.pids.is_empty() || cfg.all {
        let what = if cfg.all {
            "to every process".to_string()
        } else {
            format!(
                "to {}",
                tgids
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        eprintln!("tracer: attached {what}; Ctrl-C to detach");
    }
    let metrics = match cfg.metrics {
        Some(addr) => {
            let m = Arc::new(Mutex::new(Metrics::default()));
            let local = metrics::serve(addr, m.clone()).await.map_err(|e| {
                UsageError(format!(
                    "--metrics {addr}: cannot listen ({e}); choose a free port or another address"
                ))
            })?;
            eprintln!("tracer: metrics on http://{local}/metrics");
            Some(m)
        }
        None => None,
    };
    let live_procs_at_start = live_procs.len();
    let printer = Printer::new(out, cfg.json, cfg.time, cfg.relative, cfg.durations);
    let mut st = State {
        cfg: &cfg,
        printer,
        summary: summary::Summary::default(),
        pending_exec: HashMap::new(),
        skip_until_exec: child,
        live_tasks: HashSet::new(),
        live_procs,
        // Several processes from the start (several -p, or -p -f with children): prefix lines.
        multi: live_procs_at_start > 1,
        clock: clock_offset(),
        lost: 0,
        events: 0,
        watch: cfg.watch.then(Watch::default),
        metrics: metrics.clone(),
        hinted: HashMap::new(),
        epoch: 0,
        agg_last: HashMap::new(),
        dead: HashSet::new(),
        fds: fd_table,
        history: matching::History::default(),
    };
    // fds that exist before the attach: what they are, for -y and provenance.

    st.printer
        .set_terminal(cfg.output.is_none() && std::io::stderr().is_terminal());
    st.printer.set_fd_origin(cfg.fd_origin);

    // SAFETY: the ring buffer's fd stays open (owned by `ring`) for as long as `fd` lives:
    // `fd` is dropped at the end of this function, before `ring`.
    let fd = unsafe { AsyncFd::register_with_interest(ring.as_raw_fd(), Interest::READABLE) }
        .map_err(|e| anyhow::anyhow!("watching the ring buffer: {}", e.into_parts().1))?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    // A write error ends the run: a closed pipe (`| head`) quietly, anything else as an error.
    let mut write_err: Option<std::io::Error> = None;
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    let aggregating = cfg.agg_samples != 0;
    let mut agg_tick = tokio::time::interval(cfg.interval.min(Duration::from_secs(1)));
    let mut interval_tick = tokio::time::interval(cfg.interval);
    interval_tick.tick().await;
    let mut child_status: Option<i32> = None;
    let mut ticks: u64 = 0;

    let drain = |ring: &mut aya::maps::RingBuf<aya::maps::MapData>,
                 st: &mut State|
     -> std::io::Result<()> {
        while let Some(item) = ring.next() {
            match source::parse(&item) {
                Ok(ev) => {
                    drop(item);
                    st.handle(ev)?
                }
                Err(e) => eprintln!("tracer: skipping a malformed record: {e}"),
            }
        }
        Ok(())
    };

    loop {
        tokio::select! {
            guard = fd.readable() => {
                let mut guard = guard?;
                if let Err(e) = drain(&mut ring, &mut st) { write_err = Some(e); break; }
                guard.clear_ready();
            }
            _ = tick.tick() => {
                if let Err(e) = drain(&mut ring, &mut st) { write_err = Some(e); break; }
                if let Err(e) = st.printer.flush() { write_err = Some(e); break; }
                if let Some(pid) = child
                    && child_status.is_none() {
                        let mut status = 0;
                        // SAFETY: non-blocking wait for our own child.
                        let r = unsafe { libc::waitpid(pid as i32, &mut status, libc::WNOHANG) };
                        if r == pid as i32 {
                            child_status = Some(status);
                        }
                    }
                ticks += 1;
                if ticks.is_multiple_of(50) {
                    // An exit record can be lost with a full ring buffer: check, once a
                    // second, that the targets still exist.
                    st.live_procs
                        .retain(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
                }
                let targets_gone = !cfg.all && st.live_procs.is_empty();
                let child_done = child.is_some() && child_status.is_some() && (!cfg.follow || targets_gone);
                if child_done || (child.is_none() && targets_gone) {
                    break;
                }
            }
            _ = agg_tick.tick(), if aggregating => {
                let _ = drain(&mut ring, &mut st);
                st.collect(&mut loaded.agg, loader::pending_lost(&loaded.lost));
            }
            _ = interval_tick.tick() => {
                st.epoch += 1;
                if st.watch.is_some() {
                    let _ = drain(&mut ring, &mut st);
                    st.collect(&mut loaded.agg, loader::pending_lost(&loaded.lost));
                    if let Err(e) = st.show_watch(loader::pending_lost(&loaded.lost)) { write_err = Some(e); break; }
                }
            }
            _ = sigint.recv() => break,
            _ = sigterm.recv() => break,
        }
    }
    // Whatever the kernel wrote before we stopped.
    if write_err.is_none()
        && let Err(e) = drain(&mut ring, &mut st)
    {
        write_err = Some(e);
    }
    let tail_lost = loader::pending_lost(&loaded.lost);
    if aggregating {
        st.collect(&mut loaded.agg, tail_lost);
    }
    if st.watch.is_some() && write_err.is_none() {
        // The final table, with every count the kernel made.
        st.printer.set_terminal(false);
        st.show_watch(tail_lost)?;
    }
    drop(loaded);
    if let Some(e) = write_err {
        return pipe_ok(e);
    }
    if st.cfg.summary != Summary::None {
        let table = st.summary.render();
        if let Err(e) = st.printer.raw(&table) {
            return pipe_ok(e);
        }
    }
    if let Err(e) = st.printer.flush() {
        return pipe_ok(e);
    }
    let lost = st.lost + tail_lost;
    if lost > 0 {
        eprintln!(
            "tracer: {lost} records were lost (ring buffer full); try --buffer-size or a narrower -e trace="
        );
    }
    Ok(match child_status {
        Some(s) if libc::WIFEXITED(s) => ExitCode::from(libc::WEXITSTATUS(s) as u8),
        Some(s) if libc::WIFSIGNALED(s) => ExitCode::from(128 + libc::WTERMSIG(s) as u8),
        _ => ExitCode::SUCCESS,
    })
}

/// A closed pipe ends the run quietly (exit 0); other write errors are errors.
fn pipe_ok(e: std::io::Error) -> Result<ExitCode> {
    if is_pipe(&e) {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(anyhow::Error::new(e).context("writing the trace"))
    }
}

fn is_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}
