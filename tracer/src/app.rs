//! The run: check what the user named, load the kernel side, select the targets, start the
//! command, then feed ring-buffer records through the [`Pipeline`] until the targets are gone
//! or the user interrupts; then the teardown and the exit code.
use std::{
    collections::HashSet,
    io::{IsTerminal, Write},
    os::fd::{AsFd, AsRawFd},
    process::ExitCode,
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::Result;
use tokio::{
    io::{Interest, unix::AsyncFd},
    signal::unix::{SignalKind, signal},
};

use crate::{
    config::{Config, Summary, UsageError},
    failures::Failures,
    fds, loader,
    metrics::{self, Metrics},
    output::{
        Output, PerTask, Printer, WatchStats,
        json::Json,
        text::{Text, TextFlags},
    },
    pipeline::Pipeline,
    source, syscalls, tracee,
    tracker::Tracker,
};

fn open_output(cfg: &Config) -> Result<Box<dyn Write + Send>> {
    Ok(match &cfg.output {
        // -ff: the trace goes to FILE.TID; what is not a task's (the summary) to stderr.
        Some(_) if cfg.separately => Box::new(std::io::stderr()),
        Some(path) => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .append(cfg.append)
                .truncate(!cfg.append)
                .open(path)
                .map_err(|e| {
                    UsageError(format!(
                        "-o {}: cannot create the file ({e}); choose a writable path",
                        path.display()
                    ))
                })?;
            Box::new(f)
        }
        None => Box::new(std::io::stderr()),
    })
}

/// Runs the tracer; the exit code is the traced command's, if there is one.
pub async fn run(cfg: Config) -> Result<ExitCode> {
    if let Some(path) = &cfg.raw_in {
        return replay(&cfg, path);
    }
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
    let mut ring = loader::events(&mut loaded.ebpf, cfg.buffer_bytes)?;

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
    // fds that exist before the attach: what they are, for -y and provenance (read from /proc
    // only when something prints them: a socket's endpoints cost a scan of the socket tables).
    let mut fd_table = fds::Table::default();
    let seed = cfg.uses_fds();
    for &t in tgids.iter().filter(|_| seed) {
        fd_table.seed(t);
    }
    let mut child = None;
    if let Some(path) = command_path {
        let held = tracee::spawn_held(&path, &cfg.command, &cfg.env, cfg.user.as_ref())?;
        // Traced from its exec on: the child's wait for release is the tracer's, not the
        // command's (a -c summary counted it).
        loaded.exec_pending.set(0, held.pid, 0)?;
        live_procs.insert(held.pid);
        let pid = held.pid;
        // The command's inherited fds (stdin, stdout, stderr), while it waits to exec.
        if seed {
            fd_table.seed(pid);
        }
        if let Err(e) = held.release() {
            return Err(UsageError(format!(
                "{}: cannot execute ({e})",
                cfg.command[0].to_string_lossy()
            ))
            .into());
        }
        child = Some(pid);
    }

    if cfg.noop_hook {
        eprintln!("tracer: attached a no-op program to sys_exit; Ctrl-C to detach");
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
        if !cfg.quiet_attach {
            eprintln!("tracer: attached {what}; Ctrl-C to detach");
        }
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
    let printer = printer(&cfg);
    let terminal = cfg.output.is_none() && std::io::stderr().is_terminal();
    let tracker = Tracker::new(live_procs, fd_table, child);
    let failures = (cfg.watch || metrics.is_some() || cfg.hints).then(|| {
        Failures::new(
            cfg.watch,
            metrics.clone(),
            cfg.hints,
            cfg.agg_samples != 0,
            tracker.clock,
        )
    });
    let mut output = Output::new(out, printer, terminal);
    if cfg.separately
        && let Some(base) = &cfg.output
    {
        let c = print_flags(&cfg);
        output.separately(PerTask::new(
            base.clone(),
            cfg.append,
            Box::new(move || c.printer()),
        ));
    }
    let mut st = Pipeline::new(&cfg, tracker, output, failures);

    // SAFETY: the ring buffer's fd stays open (owned by `ring`) for as long as `fd` lives:
    // `fd` is dropped at the end of this function, before `ring`.
    let fd =
        unsafe { AsyncFd::register_with_interest(ring.as_fd().as_raw_fd(), Interest::READABLE) }
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
    // Stopped while the targets live (Ctrl-C, SIGTERM): calls they are in are shown
    // `<unfinished ...>` (not after --syscall-limit: exactly N lines).
    let mut detaching = false;

    let mut raw = match &cfg.raw_out {
        Some(p) => Some(source::RawWriter::create(p).map_err(|e| {
            UsageError(format!(
                "--raw-records-out {}: cannot create the file ({e})",
                p.display()
            ))
        })?),
        None => None,
    };
    let drain =
        |ring: &mut crate::ring::Ring, st: &mut Pipeline, raw: &mut Option<source::RawWriter>| {
            source::drain(ring, raw.as_mut(), |ev| st.handle(ev))
        };

    loop {
        tokio::select! {
            guard = fd.readable() => {
                let mut guard = guard?;
                if let Err(e) = drain(&mut ring, &mut st, &mut raw) { write_err = Some(e); break; }
                guard.clear_ready();
                if let Err(e) = let_go(&mut st, &mut loaded) { write_err = Some(e); break; }
                if st.stop { break; }
            }
            _ = tick.tick() => {
                if let Err(e) = drain(&mut ring, &mut st, &mut raw) { write_err = Some(e); break; }
                if let Err(e) = let_go(&mut st, &mut loaded) { write_err = Some(e); break; }
                if st.stop { break; }
                if let Err(e) = st.out.flush() { write_err = Some(e); break; }
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
                // An exit record can be lost with a full ring buffer: check, once a second,
                // that the targets still exist.
                let targets_gone =
                    !cfg.all && !cfg.noop_hook && st.tracker.all_gone(ticks.is_multiple_of(50));
                let child_done = child.is_some() && child_status.is_some() && (!cfg.follow || targets_gone);
                if child_done || (child.is_none() && targets_gone) {
                    break;
                }
            }
            _ = agg_tick.tick(), if aggregating => {
                if let Err(e) = drain(&mut ring, &mut st, &mut raw) { write_err = Some(e); break; }
                collect(&mut st, &mut loaded, false);
            }
            _ = interval_tick.tick() => {
                if let Some(f) = &mut st.failures {
                    f.tick();
                }
                if cfg.watch {
                    if let Err(e) = drain(&mut ring, &mut st, &mut raw) { write_err = Some(e); break; }
                    collect(&mut st, &mut loaded, false);
                    if let Err(e) = show_watch(&mut st, &loaded, cfg.hints) { write_err = Some(e); break; }
                }
            }
            _ = sigint.recv() => { detaching = true; break; }
            _ = sigterm.recv() => { detaching = true; break; }
        }
    }
    // Whatever the kernel wrote before we stopped.
    if write_err.is_none()
        && let Err(e) = drain(&mut ring, &mut st, &mut raw)
    {
        write_err = Some(e);
    }
    // Host-wide, every process on the machine is in some call: not listed.
    if detaching
        && !cfg.all
        && !cfg.watch
        && cfg.summary != Summary::Only
        && write_err.is_none()
        && let Err(e) = st.unfinished()
    {
        write_err = Some(e);
    }
    let tail_lost = loader::pending_lost(&loaded.lost);
    if aggregating {
        collect(&mut st, &mut loaded, true);
    }
    if cfg.watch && write_err.is_none() {
        // The final table, with every count the kernel made.
        st.out.set_terminal(false);
        if let Err(e) = show_watch(&mut st, &loaded, cfg.hints) {
            write_err = Some(e);
        }
    }
    if let Some(m) = &loaded.summary {
        for (slot, t) in loader::summary_totals(m) {
            let (abi, nr) = syscalls::Abi::of_slot(slot);
            // The kernel also counts what it sends only for bookkeeping (execveat with execve).
            if let Some(sc) = syscalls::by_nr(abi, i64::from(nr)).filter(|_| cfg.traces(abi, nr)) {
                st.summary
                    .add_totals(sc.name, sc.nr, t.calls, t.errors, t.ns, t.min_ns, t.max_ns);
            }
        }
    }
    drop(loaded);
    if let Some(Err(e)) = raw.as_mut().map(source::RawWriter::flush) {
        return Err(anyhow::Error::new(e).context("writing --raw-records-out"));
    }
    if let Some(e) = write_err {
        return pipe_ok(e);
    }
    if let Err(e) = finish(&cfg, &mut st) {
        return pipe_ok(e);
    }
    let lost = st.lost + tail_lost;
    if lost > 0 {
        eprintln!(
            "tracer: {lost} records were lost (ring buffer full); try --buffer-size or a narrower -e trace="
        );
    }
    if st.stop
        && let Some(pid) = child
        && child_status.is_none()
    {
        // --syscall-limit: the command runs on untraced; its status is still the tracer's.
        let _ = st.out.flush();
        let mut status = 0;
        loop {
            // SAFETY: blocking wait for our own child.
            let r = unsafe { libc::waitpid(pid as i32, &mut status, 0) };
            if r == pid as i32 {
                child_status = Some(status);
                break;
            }
            if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                break;
            }
        }
    }
    Ok(match child_status {
        Some(s) if libc::WIFEXITED(s) => ExitCode::from(libc::WEXITSTATUS(s) as u8),
        Some(s) if libc::WIFSIGNALED(s) => {
            die_like(libc::WTERMSIG(s));
            ExitCode::from(128 + libc::WTERMSIG(s) as u8)
        }
        _ => ExitCode::SUCCESS,
    })
}

/// The command was killed by `sig`: so is the tracer, as strace does, so that the caller (a
/// shell printing "Segmentation fault", a supervisor) sees what it would have seen without
/// it. No core file of the tracer's own. Returns only if `sig` cannot kill.
fn die_like(sig: i32) {
    // SAFETY: setrlimit, signal, sigprocmask and raise on plain values; everything the trace
    // needed is written and flushed by now.
    unsafe {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
}

/// `-b execve`: the processes the pipeline let go of leave the kernel's target set.
fn let_go(st: &mut Pipeline, loaded: &mut loader::Loaded) -> std::io::Result<()> {
    for tgid in st.detach.drain(..) {
        loader::set_target(&mut loaded.targets, tgid, false).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// The end of the trace: -c/-C's table, then everything still buffered.
fn finish(cfg: &Config, st: &mut Pipeline) -> std::io::Result<()> {
    st.flush_signals()?;
    if cfg.summary != Summary::None {
        let table = st.summary.render();
        st.out.raw(&table)?;
    }
    st.out.flush()
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

/// Reads the kernel's failure counts into the watch and the metrics; `last`: the final read,
/// after the last records (every count is taken, named or not).
fn collect(st: &mut Pipeline, loaded: &mut loader::Loaded, last: bool) {
    let lost = st.lost + loader::pending_lost(&loaded.lost);
    if let Some(f) = &mut st.failures {
        f.collect(&mut loaded.agg, st.events, lost, last);
    }
}

/// The watch table for this interval.
fn show_watch(st: &mut Pipeline, loaded: &loader::Loaded, hints: bool) -> std::io::Result<()> {
    let stats = WatchStats {
        now_ns: st.tracker.clock.now(),
        events: st.events,
        lost: st.lost + loader::pending_lost(&loaded.lost),
        hints,
        redraw: st.out.is_terminal(),
    };
    let Some(f) = &mut st.failures else {
        return Ok(());
    };
    let Some(w) = &mut f.watch else {
        return Ok(());
    };
    st.out.watch(w, &stats)?;
    w.mark_shown();
    Ok(())
}

/// `--raw-records-in`: the records of a file through the same pipeline, without the kernel.
fn replay(cfg: &Config, path: &std::path::Path) -> Result<ExitCode> {
    let out = open_output(cfg)?;
    let printer = printer(cfg);
    let tracker = Tracker::new([], fds::Table::default(), None);
    let mut st = Pipeline::new(cfg, tracker, Output::new(out, printer, false), None);
    let r = source::replay(path, |ev| st.handle(ev));
    let done = r.and_then(|(n, t)| finish(cfg, &mut st).map(|()| (n, t)));
    match done {
        Ok((n, t)) => {
            // The decoding benchmark reads this line (cargo xtask bench).
            eprintln!(
                "tracer: decoded {n} records in {:.3} s ({:.0} records/s)",
                t.as_secs_f64(),
                n as f64 / t.as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => pipe_ok(e),
    }
}

/// The output format the flags ask for.
fn printer(cfg: &Config) -> Box<dyn Printer> {
    print_flags(cfg).printer()
}

/// The flags a printer is made from (owned: -ff makes one per task).
#[derive(Clone, Copy)]
struct PrintFlags {
    json: bool,
    text: TextFlags,
}

fn print_flags(cfg: &Config) -> PrintFlags {
    PrintFlags {
        json: cfg.json,
        text: cfg.text_flags(),
    }
}

impl PrintFlags {
    fn printer(self) -> Box<dyn Printer> {
        if self.json {
            Box::<Json>::default()
        } else {
            Box::new(Text::new(self.text))
        }
    }
}
