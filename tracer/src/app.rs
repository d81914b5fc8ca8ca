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
    capture,
    config::{Config, Summary, UsageError},
    failures::Failures,
    fds, loader,
    metrics::{self, Metrics},
    output::{
        Output, PerTask, Printer, WatchStats,
        json::Json,
        perfetto::Perfetto,
        text::{Text, TextFlags},
    },
    pipeline::Pipeline,
    recorder::Recorder,
    source, syscalls, tracee,
    tracker::Tracker,
    world,
};
use tracer_common::kind;

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
        // --perfetto without -o: the timeline is the output.
        None if cfg.perfetto.is_some() => Box::new(std::io::sink()),
        None => Box::new(std::io::stderr()),
    })
}

/// `--perfetto FILE`, created.
fn open_perfetto(cfg: &Config) -> Result<Option<Perfetto>> {
    let Some(path) = &cfg.perfetto else {
        return Ok(None);
    };
    Ok(Some(Perfetto::create(path).map_err(|e| {
        UsageError(format!(
            "--perfetto {}: cannot create the file ({e}); choose a writable path",
            path.display()
        ))
    })?))
}

/// Runs the tracer; the exit code is the traced command's, if there is one.
pub async fn run(mut cfg: Config) -> Result<ExitCode> {
    if !cfg.read.is_empty() {
        return replay(cfg);
    }
    // --flight-recorder: the window in memory.
    let mut rec = match cfg.flight.as_mut() {
        Some(f) => Some(Recorder::new(
            f.size,
            std::mem::take(&mut f.triggers),
            f.after,
            f.holdoff,
        )),
        None => None,
    };
    let cfg = cfg;
    // Handled from the start: a signal while the programs load (seconds on a loaded host)
    // stops the run before anything is started, and one sent as soon as "attached" is
    // printed must not kill the tracer without its summary.
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    // A closed terminal ends the run as Ctrl-C does: the summary is still printed.
    let mut sighup = signal(SignalKind::hangup())?;
    // `kill -PIPE` too (the runtime ignores SIGPIPE; a write to a closed pipe still ends the
    // run through its EPIPE).
    let mut sigpipe = signal(SignalKind::pipe())?;
    // --flight-recorder: SIGUSR1 asks for a dump. Taken from the start too: one sent while
    // the programs load must not kill the tracer (it is answered once the loop runs).
    let mut sigusr1 = match cfg.flight {
        Some(_) => Some(signal(SignalKind::user_defined1())?),
        None => None,
    };
    // Check what the user named before touching the kernel.
    let mut tgids = Vec::new();
    for &p in &cfg.pids {
        if let Some(why) = tracee::untraceable(p) {
            return Err(UsageError(format!("-p {p}: {why}")).into());
        }
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
    // Everything that can fail fails before the command is started: a busy metrics port
    // must not leave the command running untraced.
    let metrics = match cfg.metrics {
        Some(addr) => {
            let mut m = Metrics::default();
            m.containers = cfg.container_tags;
            let m = Arc::new(Mutex::new(m));
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
    let out = open_output(&cfg)?;
    let perfetto = open_perfetto(&cfg)?;
    // --write's first file can be created: found out now, not after the command started.
    if let Some(opts) = cfg.write.as_ref().filter(|_| cfg.flight.is_none()) {
        let first = capture::Writer::part_path(opts, 0);
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&first)
            .map_err(|e| {
                UsageError(format!(
                    "--write {}: cannot create the file ({e}); choose a writable path",
                    first.display()
                ))
            })?;
    }
    let command_path = if cfg.command.is_empty() {
        None
    } else {
        Some(
            tracee::resolve(&cfg.command[0])
                .ok_or_else(|| UsageError(tracee::why_not_runnable(&cfg.command[0])))?,
        )
    };

    let mut loaded = loader::load(&cfg)?;
    let mut ring = loader::events(&mut loaded.ebpf, cfg.buffer_bytes)?;
    // A signal during the load: nothing is started or attached; the tracer ends as the
    // signal asks (a command's tracer dies of it, as its job would; -p exits 0).
    let early = tokio::select! {
        biased;
        _ = sigint.recv() => Some(libc::SIGINT),
        _ = sigterm.recv() => Some(libc::SIGTERM),
        _ = sighup.recv() => Some(libc::SIGHUP),
        _ = sigpipe.recv() => Some(libc::SIGPIPE),
        _ = tokio::time::sleep(Duration::from_millis(1)) => None,
    };
    if let Some(sig) = early {
        drop(ring);
        drop(loaded);
        if command_path.is_some() {
            die_like(sig);
            return Ok(ExitCode::from(128 + sig as u8));
        }
        return Ok(ExitCode::SUCCESS);
    }

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
    // A capture holds this state too (the answers /proc gave), for decoding later.
    let seed = cfg.uses_fds() || cfg.write.is_some();
    let mut seeded = Vec::new();
    let mut seed_facts = world::journaled(|| {
        for &t in tgids.iter().filter(|_| seed) {
            fd_table.seed(t);
            seeded.push(t);
        }
    });
    let mut child = None;
    let mut injector = None;
    if let Some(path) = command_path {
        // -e inject=: the child stops the injected calls for the tracer to answer.
        let filter =
            (!cfg.inject.is_empty() && cfg.pids.is_empty()).then(|| cfg.inject.seccomp_filter());
        let setup = tracee::Setup {
            filter: filter.as_deref(),
            kill_on_exit: cfg.kill_on_exit,
        };
        let held = tracee::spawn_held(&path, &cfg.command, &cfg.env, cfg.user.as_ref(), &setup)?;
        // Traced from its exec on: the child's wait for release is the tracer's, not the
        // command's (a -c summary counted it).
        loaded.exec_pending.set(0, held.pid, 0)?;
        live_procs.insert(held.pid);
        let pid = held.pid;
        // The command's inherited fds (stdin, stdout, stderr), while it waits to exec.
        if seed {
            seed_facts.extend(world::journaled(|| fd_table.seed(pid)));
            seeded.push(pid);
        }
        match held.release() {
            Ok(listener) => {
                if let Some((fd, early)) = listener {
                    let mut i =
                        crate::inject::Injector::new(fd, cfg.inject.clone(), cfg.paths.clone());
                    // The command's first calls, stopped while its exec was being confirmed.
                    for n in &early {
                        match &mut loaded.inject_now {
                            Some(m) => i.answer(n, m),
                            None => i.answer(n, &mut crate::inject::NoSignals),
                        }
                    }
                    injector = Some(i);
                }
            }
            Err(tracee::StartError::Exec(e)) => {
                return Err(UsageError(format!(
                    "{}: cannot execute ({e})",
                    cfg.command[0].to_string_lossy()
                ))
                .into());
            }
            Err(tracee::StartError::Seccomp(e)) => {
                anyhow::bail!(
                    "-e inject: the command could not install its seccomp filter ({e}); injection needs root (CAP_SYS_ADMIN) and Linux 5.5 or later"
                );
            }
            Err(tracee::StartError::Listener(e)) => {
                anyhow::bail!(
                    "-e inject: cannot take the command's seccomp listener ({e}); injection needs CAP_SYS_PTRACE (pidfd_getfd, Linux 5.6 or later)"
                );
            }
        }
        child = Some(pid);
    }

    if cfg.noop_hook {
        eprintln!("tracer: attached a no-op program to sys_exit; Ctrl-C to detach");
    }
    if !cfg.pids.is_empty() || cfg.all {
        let what = if !cfg.cgroups.is_empty() || !cfg.pending_containers.is_empty() {
            let mut names: Vec<String> = cfg
                .cgroups
                .iter()
                .map(|c| c.display().to_string())
                .collect();
            names.extend(
                cfg.pending_containers
                    .iter()
                    .map(|n| format!("container {n} (not running yet: traced once it starts)")),
            );
            format!("to the processes of cgroup {}", names.join(", "))
        } else if cfg.all {
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
    let printer = printer(&cfg);
    let terminal = cfg.output.is_none() && std::io::stderr().is_terminal();
    let decodes = cfg.decodes();
    // --write alone: nothing is printed (the lines of exits the tracker sees go nowhere).
    let out: Box<dyn Write + Send> = if decodes {
        out
    } else {
        Box::new(std::io::sink())
    };
    let mut tracker = Tracker::new(live_procs, fd_table, child);
    // With --flight-recorder, --write names the dumps: nothing is written before a trigger.
    let mut cap = match &cfg.write {
        Some(opts) if cfg.flight.is_none() => {
            let header = capture_header(&cfg, &tracker, &seeded);
            // The names the header holds are the ones the live lines use too.
            header_comms(&header, &mut tracker);
            let w = capture::Writer::create(opts.clone(), header, &seed_facts).map_err(|e| {
                UsageError(format!(
                    "--write {}: cannot create the file ({e}); choose a writable path",
                    opts.path.display()
                ))
            })?;
            // Decoding now: what it asks /proc goes into the capture with each record.
            world::journal(decodes);
            Some(w)
        }
        _ => None,
    };
    let failures = (cfg.watch || metrics.is_some() || cfg.hints).then(|| {
        let mut f = Failures::new(
            cfg.watch,
            metrics.clone(),
            cfg.hints,
            cfg.agg_samples != 0,
            tracker.clock,
        );
        f.containers = cfg.container_tags;
        if let Some(w) = &mut f.watch {
            w.by = cfg.watch_by;
            w.expire_ns = cfg.watch_expire.as_nanos() as u64;
        }
        f
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
    st.perfetto = perfetto;

    // SAFETY: the ring buffer's fd stays open (owned by `ring`) for as long as `fd` lives:
    // `fd` is dropped at the end of this function, before `ring`.
    let fd =
        unsafe { AsyncFd::register_with_interest(ring.as_fd().as_raw_fd(), Interest::READABLE) }
            .map_err(|e| anyhow::anyhow!("watching the ring buffer: {}", e.into_parts().1))?;

    // A write error ends the run: a closed pipe (`| head`) quietly, anything else as an error.
    let mut write_err: Option<std::io::Error> = None;
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    let aggregating = cfg.agg_samples != 0;
    let mut agg_tick = tokio::time::interval(cfg.interval.min(Duration::from_secs(1)));
    let mut interval_tick = tokio::time::interval(cfg.interval);
    interval_tick.tick().await;
    let mut child_status: Option<i32> = None;
    // (slot in CGROUPS, name) of the containers waited for.
    let mut pending_containers: Vec<(u32, String)> = cfg
        .pending_containers
        .iter()
        .enumerate()
        .map(|(i, n)| ((cfg.cgroups.len() + i) as u32, n.clone()))
        .collect();
    let mut ticks: u64 = 0;
    // Stopped while the targets live (Ctrl-C, SIGTERM): calls they are in are shown
    // `<unfinished ...>` (not after --syscall-limit: exactly N lines).
    let mut detaching = false;
    // The signal that ended the run, if one did.
    let mut stop_sig: Option<i32> = None;
    // --watch on a terminal: the full-screen view (a pipe or file gets the plain table).
    let mut tui = match cfg.watch && !cfg.json && cfg.output.is_none() && crate::tui::wanted() {
        true => Some(
            crate::tui::Tui::start()
                .map_err(|e| anyhow::anyhow!("cannot take the terminal for --watch: {e}"))?,
        ),
        false => None,
    };

    // -e inject=: the listener, watched with the ring buffer.
    let inject_fd = match &injector {
        // SAFETY: the listener stays open (owned by the injector, which lives until the end
        // of this function, after `inject_fd`).
        Some(i) => Some(
            unsafe { AsyncFd::register_with_interest(i.raw_fd(), Interest::READABLE) }.map_err(
                |e| anyhow::anyhow!("watching the seccomp listener: {}", e.into_parts().1),
            )?,
        ),
        None => None,
    };
    let mut injecting = inject_fd.is_some();
    let mut injector = injector;

    let drain = |ring: &mut crate::ring::Ring,
                 st: &mut Pipeline,
                 cap: &mut Option<capture::Writer>,
                 rec: &mut Option<Recorder>,
                 inj: &mut Option<crate::inject::Injector>| {
        source::drain(ring, |bytes, ev| match inj.as_mut() {
            Some(i) if i.has_notes() || ev.rec.kind == kind::EXIT => {
                match tamper_flags(i, &ev) {
                    0 => record(st, cap.as_mut(), rec.as_mut(), decodes, bytes, ev),
                    f => {
                        // The flags go into the record itself: captures keep them.
                        let mut owned = bytes.to_vec();
                        owned[std::mem::offset_of!(tracer_common::Record, flags)] |= f;
                        let ev = source::parse(&owned).map_err(std::io::Error::other)?;
                        record(st, cap.as_mut(), rec.as_mut(), decodes, &owned, ev)
                    }
                }
            }
            _ => record(st, cap.as_mut(), rec.as_mut(), decodes, bytes, ev),
        })
    };

    loop {
        tokio::select! {
            guard = fd.readable() => {
                let mut guard = guard?;
                match drain(&mut ring, &mut st, &mut cap, &mut rec, &mut injector) {
                    Err(e) => { write_err = Some(e); break; }
                    // More is waiting: still ready (the kernel wakes a reader only once it
                    // has caught up). Yielding lets the runtime look at its other events
                    // (signals, timers) before the next ring's worth.
                    Ok(true) => tokio::task::yield_now().await,
                    Ok(false) => guard.clear_ready(),
                }
                if let Err(e) = let_go(&mut st, &mut loaded) { write_err = Some(e); break; }
                if st.stop { break; }
            }
            _ = tick.tick() => {
                if let Err(e) = drain(&mut ring, &mut st, &mut cap, &mut rec, &mut injector) { write_err = Some(e); break; }
                if let Err(e) = let_go(&mut st, &mut loaded) { write_err = Some(e); break; }
                if st.stop { break; }
                if let Err(e) = st.out.flush() { write_err = Some(e); break; }
                if let Some(t) = &mut tui {
                    match t.keys() {
                        Ok(crate::tui::Action::Quit) => break,
                        Ok(crate::tui::Action::Redraw) => {
                            if let Err(e) = draw_watch(&mut st, &loaded, t, false) { write_err = Some(e); break; }
                        }
                        Ok(crate::tui::Action::None) => {}
                        Err(e) => { write_err = Some(e); break; }
                    }
                }
                if let Some(Err(e)) = cap.as_mut().map(capture::Writer::flush) { write_err = Some(e); break; }
                if let Some(r) = &mut rec
                    && let Some(fired) = r.due(false)
                    && let Err(e) = flight_dump(&cfg, r, &fired, &st) { write_err = Some(e); break; }
                if let Some(pid) = child
                    && child_status.is_none() {
                        child_status = reaped(pid);
                    }
                ticks += 1;
                // --container NAME not running at start: looked for twice a second.
                if ticks.is_multiple_of(25) {
                    find_containers(&cfg, &mut pending_containers, &mut loaded);
                }
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
                if let Err(e) = drain(&mut ring, &mut st, &mut cap, &mut rec, &mut injector) { write_err = Some(e); break; }
                collect(&mut st, &mut loaded, false);
                if let Some(Ok(mut m)) = metrics.as_ref().map(|m| m.lock()) {
                    m.ring_fill = ring.fill();
                }
            }
            _ = interval_tick.tick() => {
                if let Some(f) = &mut st.failures {
                    f.tick();
                }
                if cfg.watch {
                    if let Err(e) = drain(&mut ring, &mut st, &mut cap, &mut rec, &mut injector) { write_err = Some(e); break; }
                    collect(&mut st, &mut loaded, false);
                    let shown = match &mut tui {
                        Some(t) => draw_watch(&mut st, &loaded, t, true),
                        None => show_watch(&mut st, &loaded, cfg.hints),
                    };
                    if let Err(e) = shown { write_err = Some(e); break; }
                }
            }
            guard = async {
                match &inject_fd {
                    Some(f) => f.readable().await,
                    None => std::future::pending().await,
                }
            }, if injecting => {
                let mut guard = guard?;
                // The records already written first: each is matched to the notification
                // before it.
                if let Err(e) = drain(&mut ring, &mut st, &mut cap, &mut rec, &mut injector) { write_err = Some(e); break; }
                if let Some(i) = &mut injector {
                    let served = match &mut loaded.inject_now {
                        Some(m) => i.serve(m),
                        None => i.serve(&mut crate::inject::NoSignals),
                    };
                    match served {
                        Ok(true) => guard.clear_ready(),
                        // No task holds the filter any more.
                        Ok(false) => injecting = false,
                        Err(e) => {
                            eprintln!("tracer: the seccomp listener failed ({e}); injection stopped");
                            injecting = false;
                        }
                    }
                }
            }
            _ = sigint.recv() => { detaching = true; stop_sig = Some(libc::SIGINT); break; }
            _ = sigterm.recv() => { detaching = true; stop_sig = Some(libc::SIGTERM); break; }
            _ = sighup.recv() => { detaching = true; stop_sig = Some(libc::SIGHUP); break; }
            _ = sigpipe.recv() => { detaching = true; stop_sig = Some(libc::SIGPIPE); break; }
            Some(()) = async {
                match &mut sigusr1 {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            } => {
                if let Some(r) = &mut rec {
                    r.request();
                }
            }
        }
    }
    // A foreground tool behaves like its job, as strace does: the command it started gets
    // the signal that ended the run (a closed output pipe: SIGPIPE), and its last lines (the
    // signal, its death) are waited for, a second at most. -p targets are left alone.
    let job_sig = stop_sig.or(write_err
        .as_ref()
        .filter(|e| is_pipe(e))
        .map(|_| libc::SIGPIPE));
    if let (Some(sig), Some(pid), None) = (job_sig, child, child_status) {
        // SAFETY: signals to our own child.
        unsafe {
            libc::kill(pid as i32, libc::SIGCONT);
            libc::kill(pid as i32, sig);
        }
        let t0 = std::time::Instant::now();
        while t0.elapsed() < Duration::from_secs(1) {
            child_status = reaped(pid);
            if child_status.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    // Whatever the kernel wrote before we stopped.
    if write_err.is_none()
        && let Err(e) = drain(&mut ring, &mut st, &mut cap, &mut rec, &mut injector)
    {
        write_err = Some(e);
    }
    // A trigger that fired at the end (the process's exit) is dumped now.
    if let Some(r) = &mut rec
        && let Some(fired) = r.due(true)
        && let Err(e) = flight_dump(&cfg, r, &fired, &st)
        && write_err.is_none()
    {
        write_err = Some(e);
    }
    // Processes gone without their exit record (lost with a full ring): their exit lines.
    if write_err.is_none() && !cfg.all {
        // The started command's end is known even if the ring lost it.
        if let (Some(pid), None) = (child, child_status) {
            child_status = reaped(pid);
        }
        st.tracker.all_gone(true);
        if let Err(e) = st.lost_exits(child.zip(child_status)) {
            write_err = Some(e);
        }
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
    // The terminal is given back before the final table.
    drop(tui);
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
                st.summary.add_totals(sc.name, sc.nr, &t);
            }
        }
    }
    drop(loaded);
    if let Some(mut w) = cap {
        w.facts(&world::take_facts());
        w.lost(tail_lost);
        let n = w.records();
        let files = w
            .finish()
            .map_err(|e| anyhow::Error::new(e).context("writing --write"))?;
        if !cfg.quiet_attach {
            let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            eprintln!("tracer: {n} records written to {}", names.join(", "));
        }
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

/// The wait status of our child `pid` if it has ended (reaped now), without waiting.
fn reaped(pid: u32) -> Option<i32> {
    let mut status = 0;
    // SAFETY: a non-blocking wait for our own child into a local.
    let r = unsafe { libc::waitpid(pid as i32, &mut status, libc::WNOHANG) };
    (r == pid as i32).then_some(status)
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

/// `--container NAME` given before the container runs: once the runtime knows it, its cgroup
/// takes its slot in the kernel's filter and its processes are traced from then on.
fn find_containers(cfg: &Config, pending: &mut Vec<(u32, String)>, loaded: &mut loader::Loaded) {
    let Some(map) = &mut loaded.cgroups else {
        return;
    };
    pending.retain(|(slot, name)| {
        let Ok(path) = crate::containers::resolve_container(name) else {
            return true;
        };
        match std::fs::File::open(&path).map(|dir| map.set(*slot, dir, 0)) {
            Ok(Ok(())) => {
                if !cfg.quiet_attach {
                    eprintln!(
                        "tracer: container {name} started: tracing {}",
                        path.display()
                    );
                }
                false
            }
            _ => true,
        }
    });
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
    if let Some(p) = &mut st.perfetto {
        p.flush()?;
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

/// The full-screen watch: regrouped at each interval (`tick`) unless paused, redrawn on keys.
fn draw_watch(
    st: &mut Pipeline,
    loaded: &loader::Loaded,
    tui: &mut crate::tui::Tui,
    tick: bool,
) -> std::io::Result<()> {
    let now = st.tracker.clock.now();
    let stats = crate::tui::Stats {
        events: st.events,
        lost: st.lost + loader::pending_lost(&loaded.lost),
    };
    let Some(w) = st.failures.as_mut().and_then(|f| f.watch.as_mut()) else {
        return Ok(());
    };
    if tick && !tui.paused() {
        w.tick(now);
    }
    tui.draw(w, &stats, tick)
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
    w.tick(stats.now_ns);
    st.out.watch(w, &stats)?;
    w.mark_shown();
    Ok(())
}

/// `-e inject=`: the INJECTED/DELAYED flags of a record, from the notification answered for
/// its call; a thread's exit forgets its counts.
fn tamper_flags(inj: &mut crate::inject::Injector, ev: &source::Event) -> u8 {
    let r = &ev.rec;
    match r.kind {
        kind::SYSCALL => inj.flags_for(r.tid, ev.abi().slot(ev.nr() as u32), r.ts_ns),
        kind::EXIT => {
            inj.forget(r.tid);
            0
        }
        _ => 0,
    }
}

/// One record from the ring: decoded (or, --write alone, only what keeps the tracker right:
/// forks, execs, exits), then written to the capture with the facts its decoding asked for.
fn record(
    st: &mut Pipeline,
    cap: Option<&mut capture::Writer>,
    rec: Option<&mut Recorder>,
    decodes: bool,
    bytes: &[u8],
    ev: source::Event,
) -> std::io::Result<()> {
    if let Some(r) = rec {
        r.record(bytes);
        // The record's comm when the kernel copied it (a comm= trigger asks for it), else
        // the name the tracker knows.
        let tid = ev.rec.tid;
        let tracker = &mut st.tracker;
        r.check(&ev, &mut || match ev.comm() {
            c if c.is_empty() => tracker.comm(tid).map(|c| c.to_string()).unwrap_or_default(),
            c => c.into_owned(),
        });
    }
    // Without decoding, only what keeps the tracker right: forks, execs, exits.
    let handle = decodes || matches!(ev.rec.kind, kind::FORK | kind::EXEC | kind::EXIT);
    // The records lost before this one are counted whether or not it is decoded: the run's
    // last line reports them (a capture also keeps them where they happened).
    if !handle {
        st.lost += u64::from(ev.rec.lost_before);
    }
    let Some(w) = cap else {
        return if handle { st.handle(ev) } else { Ok(()) };
    };
    if w.wants_rotation() {
        // The next file starts with the state of now: decodable on its own.
        let procs = st.tracker.procs();
        w.rotate(&procs, &seed_facts(&procs))?;
    }
    w.count_lost(u64::from(ev.rec.lost_before));
    if handle {
        st.handle(ev)?;
    }
    w.record(bytes, &world::take_facts())
}

/// The fd tables of `procs` as /proc has them now, as facts.
fn seed_facts(procs: &[u32]) -> Vec<u8> {
    world::journaled(|| {
        let mut t = fds::Table::default();
        for &p in procs {
            t.seed(p);
        }
    })
}

/// A fired flight recorder: its window as a capture file, then (unless -q) the last calls of
/// the thread that fired it, decoded.
fn flight_dump(
    cfg: &Config,
    rec: &Recorder,
    fired: &crate::recorder::Fired,
    st: &Pipeline,
) -> std::io::Result<()> {
    let path = dump_path(cfg, fired, rec.dumps.saturating_sub(1));
    let procs = st.tracker.procs();
    let facts = seed_facts(&procs);
    let mut header = capture_header(cfg, &st.tracker, &procs);
    // The window starts after the command's execve: nothing of it is skipped.
    header.set("child", 0);
    header.set("trigger", &fired.what);
    let opts = capture::WriteOpts {
        path: path.clone(),
        file_size: 0,
        file_count: 0,
        zstd_level: cfg.write.as_ref().map_or(0, |w| w.zstd_level),
    };
    let mut w = capture::Writer::create(opts, header.clone(), &facts)?;
    for r in rec.records() {
        w.record(r, &[])?;
    }
    let n = w.records();
    w.finish()?;
    eprintln!(
        "tracer: flight recorder: {}; {n} records ({:.1} MiB) written to {}",
        fired.what,
        rec.bytes() as f64 / f64::from(1 << 20),
        path.display()
    );
    if fired.tid != 0 && !cfg.quiet_attach && !cfg.separately {
        last_calls(cfg, &header, &path, fired.tid, 20);
    }
    Ok(())
}

/// `--write NAME` (then NAME1, NAME2...), else `tracer-YYYYmmdd-HHMMSS-TRIGGER.trc`.
fn dump_path(cfg: &Config, fired: &crate::recorder::Fired, seq: u32) -> std::path::PathBuf {
    if let Some(w) = &cfg.write {
        return capture::Writer::part_path(w, u64::from(seq));
    }
    let secs = crate::clock::Clock::new().now() / 1_000_000_000;
    // SAFETY: localtime_r writes into the tm given.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&(secs as libc::time_t), &mut tm);
        tm
    };
    std::path::PathBuf::from(format!(
        "tracer-{:04}{:02}{:02}-{:02}{:02}{:02}-{}.trc",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        fired.label
    ))
}

/// Bytes written to memory (a Write that can be handed to an Output).
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The last `n` lines of thread `tid` in a dump, decoded with the run's flags, to stderr.
fn last_calls(cfg: &Config, header: &capture::Header, path: &std::path::Path, tid: u32, n: usize) {
    let buf = Shared::default();
    world::replay();
    let output = Output::new(Box::new(buf.clone()), printer(cfg), false);
    let only = Some(Only {
        ids: HashSet::from([tid]),
        threads: true,
    });
    let (mut st, _, _) = decode_captures(cfg, header, &[path.to_path_buf()], output, None, only);
    let _ = st.out.flush();
    drop(st);
    world::journal(false);
    let text = buf.0.lock().map(|b| b.clone()).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    eprintln!("tracer: the last calls of thread {tid}:");
    for l in &lines[lines.len().saturating_sub(n)..] {
        eprintln!("  {l}");
    }
}

/// What a capture's reader needs to know about this run.
fn capture_header(cfg: &Config, tracker: &Tracker, seeded: &[u32]) -> capture::Header {
    let mut h = capture::Header::default();
    let join = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    // SAFETY: uname fills the struct it is given.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    unsafe { libc::uname(&mut u) };
    let field = |f: &[libc::c_char]| {
        // SAFETY: uname's fields are NUL-terminated strings.
        unsafe { std::ffi::CStr::from_ptr(f.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    };
    h.set("tracer", env!("CARGO_PKG_VERSION"));
    h.set("arch", std::env::consts::ARCH);
    h.set("kernel", field(&u.release));
    h.set("host", field(&u.nodename));
    // The clock the live lines use: a replay prints the same times.
    h.set("clock_offset_ns", tracker.clock.offset());
    h.set("started_ns", tracker.clock.now());
    h.set(
        "command",
        cfg.command
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
    );
    h.set("procs", join(&tracker.procs()));
    // The names of the processes there at the start (a replay's -Y and timeline use them).
    for &p in seeded {
        if let Some(c) = crate::procfs::comm_now(p) {
            h.set(&format!("comm.{p}"), c);
        }
    }
    h.set("seeded", join(seeded));
    h.set("child", tracker.child.unwrap_or(0));
    h.set("all", u8::from(cfg.all));
    h.set("follow", u8::from(cfg.follow));
    h.set("times", u8::from(cfg.wants_time()));
    h.set("entry_times", u8::from(cfg.wants_entry()));
    h.set("ip", u8::from(cfg.text.ip));
    h.set("fd_calls", u8::from(cfg.tracks_fds()));
    h.set("snaplen", cfg.snaplen);
    // Each iovec's buffer is copied up to this (older captures shared one budget).
    h.set("iov_cap", cfg.opts.iov.0);
    h
}

/// The task names a capture's header holds (`comm.PID=NAME`), into the tracker.
fn header_comms(header: &capture::Header, tracker: &mut Tracker) {
    for (k, v) in &header.fields {
        if let Some(pid) = k.strip_prefix("comm.").and_then(|p| p.parse().ok()) {
            tracker.set_comm(pid, v);
        }
    }
}

/// `--read`: the records of captures through the same pipeline as a live run, with the
/// answers /proc gave then; this machine's /proc is never read.
pub(crate) fn replay(mut cfg: Config) -> Result<ExitCode> {
    world::replay();
    let header = capture::first_header(&cfg.read[0]).map_err(|e| UsageError(e.to_string()))?;
    // How the capture was made decides how its lines look: host-wide, forks followed.
    cfg.all |= header.flag("all");
    cfg.follow |= header.flag("follow");
    let snaplen = header.num("snaplen").unwrap_or(64) as usize;
    cfg.opts.iov = match header.num("iov_cap") {
        Some(cap) => (cap as usize, tracer_common::STR_CAP - 1),
        None => (usize::MAX, snaplen),
    };
    let lacks = |asked: bool, key: &str| asked && !header.flag(key);
    for (missing, what) in [
        (
            lacks(cfg.text.durations, "entry_times"),
            "-T needs call durations",
        ),
        (lacks(cfg.text.ip, "ip"), "-i needs instruction pointers"),
        (
            lacks(cfg.latency_histogram, "entry_times"),
            "--latency-histogram needs call durations",
        ),
    ] {
        if missing {
            return Err(UsageError(format!(
                "--read {}: {what}, which this capture does not hold; record it with that flag and --write",
                cfg.read[0].display()
            ))
            .into());
        }
    }
    if cfg.stacks > 0 || cfg.watch || cfg.metrics.is_some() {
        return Err(UsageError(
            "--read: -k, --watch and --metrics need the live system; decode the capture without them".into(),
        )
        .into());
    }
    let cfg = cfg;
    let out = open_output(&cfg)?;
    let output = Output::new(out, printer(&cfg), false);
    let perfetto = open_perfetto(&cfg)?;
    let only = (!cfg.pids.is_empty()).then(|| Only {
        ids: cfg.pids.iter().copied().collect(),
        threads: false,
    });
    let start = std::time::Instant::now();
    let (mut st, n, r) = decode_captures(&cfg, &header, &cfg.read, output, perfetto, only);
    let elapsed = start.elapsed();
    let damage = match r {
        Ok(()) => None,
        Err(capture::ReadFailure::Sink(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
            Some(format!("{}: {e}", cfg.read[0].display()))
        }
        Err(capture::ReadFailure::Sink(e)) => return pipe_ok(e),
        Err(capture::ReadFailure::Capture(e)) => Some(e.to_string()),
    };
    if let Err(e) = finish(&cfg, &mut st) {
        return pipe_ok(e);
    }
    if st.lost > 0 {
        eprintln!(
            "tracer: {} records were lost when the capture was made (ring buffer full)",
            st.lost
        );
    }
    if cfg.decode_stats {
        // The decoding benchmark reads this line (cargo xtask bench).
        eprintln!(
            "tracer: decoded {n} records in {:.3} s ({:.0} records/s)",
            elapsed.as_secs_f64(),
            n as f64 / elapsed.as_secs_f64()
        );
    }
    match damage {
        Some(e) => Err(anyhow::anyhow!("{e}")),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// The tasks a replay shows: processes (and their threads), or only the threads named.
struct Only {
    ids: HashSet<u32>,
    threads: bool,
}

/// Captures through a replay pipeline: the pipeline (for its end), the records read, and how
/// the read ended. The caller has put the world in replay mode.
fn decode_captures<'a>(
    cfg: &'a Config,
    header: &capture::Header,
    paths: &[std::path::PathBuf],
    output: Output,
    perfetto: Option<Perfetto>,
    only: Option<Only>,
) -> (Pipeline<'a>, u64, Result<(), capture::ReadFailure>) {
    let mut parts = Some((output, perfetto, only));
    let mut st: Option<Pipeline> = None;
    let make = |parts: &mut Option<(Output, Option<Perfetto>, Option<Only>)>| {
        let (o, p, only) = parts.take().expect("made once");
        replay_pipeline(cfg, header, o, p, only)
    };
    let mut files = 0;
    // Facts between a later file's header and its first record restate what the reader
    // already knows from the files before: not queued.
    let mut in_seed = false;
    let mut n: u64 = 0;
    let r = capture::read(paths, |item| {
        match item {
            capture::Item::Header(_) => {
                files += 1;
                in_seed = true;
            }
            capture::Item::Facts(b) => {
                if files == 1 || !in_seed {
                    world::add_facts(b)
                        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
                }
            }
            capture::Item::Record(b) => {
                in_seed = false;
                n += 1;
                let st = st.get_or_insert_with(|| make(&mut parts));
                match source::parse(b) {
                    Ok(ev) => st.handle(ev)?,
                    Err(e) => eprintln!("tracer: skipping a malformed record: {e}"),
                }
            }
            capture::Item::Lost(k) => st.get_or_insert_with(|| make(&mut parts)).lost += k,
            capture::Item::End => {}
        }
        Ok(())
    });
    let st = st.unwrap_or_else(|| make(&mut parts));
    (st, n, r)
}

/// The pipeline of a replay: the capture's processes, clock and started command, and the
/// fd tables seeded from the answers /proc gave when it was made.
fn replay_pipeline<'a>(
    cfg: &'a Config,
    header: &capture::Header,
    output: Output,
    perfetto: Option<Perfetto>,
    only: Option<Only>,
) -> Pipeline<'a> {
    let mut fd_table = fds::Table::default();
    for t in header.nums("seeded") {
        fd_table.seed(t);
    }
    let child = header.num("child").filter(|c| *c != 0).map(|c| c as u32);
    let mut tracker = Tracker::new(header.nums("procs"), fd_table, child);
    if header.num("part").unwrap_or(0) > 0 {
        // A later file of a rotation: the command's execve was in an earlier one.
        tracker.child_started();
    }
    if let Some(off) = header.num("clock_offset_ns") {
        tracker.clock = crate::clock::Clock::with_offset(off);
    }
    header_comms(header, &mut tracker);
    let mut st = Pipeline::new(cfg, tracker, output, None);
    if let Some(o) = only {
        st.only = Some(o.ids);
        st.only_threads = o.threads;
    }
    st.perfetto = perfetto;
    st
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
