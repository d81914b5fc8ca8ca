//! `cargo xtask bench`: the cost of tracing, as ratios to the untraced run, side by side with
//! strace and perf trace in the same run. The workload is `dd if=/dev/zero of=/dev/null bs=1`
//! (two syscalls per byte); the time is dd's own elapsed time, median of interleaved rounds.
use std::{
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use anyhow::{Context as _, Result, bail};

#[path = "../../tracer/tests/support/pgenv.rs"]
mod pgenv;
use pgenv::{PgBouncer, pg_bin};

/// What one dd run measured: dd's own "copied, X s" time, and of the process we started
/// (the tracer, when it starts dd) its peak RSS (KiB) and CPU seconds.
struct Run {
    secs: f64,
    rss: i64,
    cpu: f64,
    err: String,
}

fn run_dd(prefix: &[&str], count: u64) -> Result<(f64, i64, String)> {
    let r = run_dd_full(prefix, count)?;
    Ok((r.secs, r.rss, r.err))
}

fn run_dd_full(prefix: &[&str], count: u64) -> Result<Run> {
    let mut argv: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
    argv.extend(
        ["dd", "if=/dev/zero", "of=/dev/null", "bs=1"]
            .iter()
            .map(|s| s.to_string()),
    );
    argv.push(format!("count={count}"));
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", argv[0]))?;
    let mut stderr = Vec::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        e.read_to_end(&mut stderr)?;
    }
    // wait4 on this child alone: its own peak RSS (getrusage(RUSAGE_CHILDREN) would report the
    // largest of all children so far, strace and perf included).
    // SAFETY: waiting for our own child with out-pointers to live locals.
    let (rss, cpu) = unsafe {
        let mut status = 0;
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::wait4(child.id() as i32, &mut status, 0, &mut ru);
        let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        (ru.ru_maxrss, t(ru.ru_utime) + t(ru.ru_stime))
    };
    let out = std::process::Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(0),
        stdout: Vec::new(),
        stderr,
    };
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let secs = err
        .lines()
        .find(|l| l.contains(" copied, "))
        .and_then(|l| l.split(" copied, ").nth(1))
        .and_then(|r| r.split(' ').next())
        .and_then(|s| s.parse::<f64>().ok())
        .with_context(|| format!("no dd timing in: {err}"))?;
    Ok(Run {
        secs,
        rss,
        cpu,
        err,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

/// Starts a program that watches (an idle process, or nothing) and waits until its stdout or
/// stderr says `ready` (nothing to wait for if empty); killed and reaped when dropped.
fn watcher(argv: &[&str], ready: &str) -> Result<Guard> {
    let mut c = Guard(
        Command::new(argv[0])
            .args(&argv[1..])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", argv[0]))?,
    );
    if !ready.is_empty() {
        use std::io::BufRead;
        let (tx, rx) = std::sync::mpsc::channel();
        let out =
            c.0.stdout
                .take()
                .map(|o| Box::new(o) as Box<dyn std::io::Read + Send>);
        let err =
            c.0.stderr
                .take()
                .map(|e| Box::new(e) as Box<dyn std::io::Read + Send>);
        for stream in [out, err].into_iter().flatten() {
            let (tx, ready) = (tx.clone(), ready.to_string());
            std::thread::spawn(move || {
                for l in std::io::BufReader::new(stream)
                    .lines()
                    .map_while(Result::ok)
                {
                    if l.contains(&ready) {
                        let _ = tx.send(());
                    }
                }
            });
        }
        rx.recv_timeout(Duration::from_secs(30))
            .map_err(|_| anyhow::anyhow!("{} did not attach within 30 s", argv.join(" ")))?;
    }
    // Let the attach settle.
    std::thread::sleep(Duration::from_millis(200));
    Ok(c)
}

/// Steal ticks and all ticks of all CPUs so far (/proc/stat's `cpu` line).
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let v: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest times are inside user).
    Some((*v.get(7)?, v.iter().take(8).sum()))
}

/// Lines of a file, read in blocks: a child's peak RSS includes its parent's at fork time
/// (Linux keeps `maxrss` across exec), so this process must stay small.
fn count_lines(path: &str) -> Result<usize> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 << 10];
    let mut n = 0;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            return Ok(n);
        }
        n += buf[..k].iter().filter(|b| **b == b'\n').count();
    }
}

/// The lost-record count a tracer run reported on stderr (0 if none).
fn lost_in(err: &str) -> u64 {
    err.lines()
        .filter(|l| l.contains("records were lost"))
        .find_map(|l| l.strip_prefix("tracer: ")?.split(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// One measured configuration of the dd workload.
struct Row {
    name: String,
    /// Seconds per dd iteration, per round.
    times: Vec<f64>,
    /// For tracer runs: (lines written, records lost) per round.
    trace: Vec<(usize, u64)>,
    /// dd iterations this row runs (strace and perf trace run fewer).
    count: u64,
    /// For tracer runs that start dd: peak RSS (KiB) and CPU seconds, per round.
    usage: Vec<(i64, f64)>,
}

impl Row {
    fn new(name: &str, count: u64) -> Self {
        Self {
            name: name.into(),
            times: Vec::new(),
            trace: Vec::new(),
            count,
            usage: Vec::new(),
        }
    }
}

pub fn bench(tracer: &Path, count: u64, rounds: usize) -> Result<()> {
    let tracer = tracer.to_str().context("tracer path")?;
    let dir = std::env::temp_dir().join(format!("tracer-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let out = dir.join("trace.out");
    let out = out.to_str().context("tmp path")?.to_string();
    let have = |cmd: &str, args: &[&str]| {
        Command::new(cmd)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let have_strace = have("strace", &["-V"]);
    let have_perf = have("perf", &["trace", "-o", "/dev/null", "true"]);
    let have_bpftrace = have("bpftrace", &["--version"]);
    // strace and perf trace are ~100-500x slower: give them fewer calls, compare per call.
    let slow = (count / 50).max(1000);

    let mut base = Row::new("untraced", count);
    let mut floor = Row::new("floor: untraced dd, no-op program on sys_exit", count);
    let mut tax = Row::new("host tax: untraced dd, tracer -p <idle>", count);
    let mut bpft = Row::new("host tax: untraced dd, bpftrace /pid == idle/", count);
    let mut perf_p = Row::new("host tax: untraced dd, perf trace -p <idle>", count);
    let mut text = Row::new("tracer -o FILE (full trace, text)", count);
    let mut json = Row::new("tracer --json -o FILE (full trace)", count);
    let mut summary = Row::new("tracer -c (summary)", count);
    let mut durations = Row::new("tracer -T -o FILE (durations)", count);
    let mut stacks = Row::new("tracer -k -o FILE (stack traces)", count);
    let mut capture = Row::new("tracer --write FILE (capture, not decoded)", count);
    let mut flight = Row::new("tracer --flight-recorder 64M (no trigger)", count);
    let cap_file = dir.join("dd.trc");
    let cap_file = cap_file.to_str().context("tmp path")?.to_string();
    let mut cap_bytes = Vec::new();
    let mut inj_none = Row::new("tracer -e inject=accept:error=EMFILE -o FILE", count);
    let mut inj_read = Row::new("tracer -e inject=read:...:when=4000000000+ -o FILE", slow);
    let mut st_inj = Row::new("strace -f -e inject=read:...:when=65535+", slow);
    let mut st = Row::new("strace -f -o /dev/null", slow);
    let mut pf = Row::new("perf trace -o /dev/null", slow);
    let mut rss_max = 0;
    // Two things that move every figure here and that the run cannot fix: the kernel's
    // per-program statistics (two clock reads around every BPF program run) and CPU time
    // the hypervisor gives to other guests.
    if std::fs::read_to_string("/proc/sys/kernel/bpf_stats_enabled").is_ok_and(|v| v.trim() == "1")
    {
        println!(
            "warning: kernel.bpf_stats_enabled=1 times every BPF program run (two clock reads \
             per traced call): the tracer's figures are too high; `sysctl -w \
             kernel.bpf_stats_enabled=0` for comparable ones"
        );
    }
    let stolen_before = cpu_ticks();
    for round in 0..rounds {
        eprintln!("xtask: bench round {}/{rounds}", round + 1);
        base.times.push(run_dd(&[], count)?.0);
        let idle = Guard(Command::new("sleep").arg("3600").spawn()?);
        let idle_pid = idle.0.id().to_string();
        {
            let _w = watcher(&[tracer, "--noop-hook"], "attached")?;
            floor.times.push(run_dd(&[], count)?.0);
        }
        {
            let _w = watcher(&[tracer, "-o", "/dev/null", "-p", &idle_pid], "attached")?;
            tax.times.push(run_dd(&[], count)?.0);
        }
        if have_bpftrace {
            let prog = format!("tracepoint:raw_syscalls:sys_exit /pid == {idle_pid}/ {{ }}");
            let _w = watcher(&["bpftrace", "-e", &prog], "Attaching")?;
            bpft.times.push(run_dd(&[], count)?.0);
        }
        if have_perf {
            let _w = watcher(&["perf", "trace", "-o", "/dev/null", "-p", &idle_pid], "")?;
            // perf trace says nothing when attached: give it time.
            std::thread::sleep(Duration::from_millis(500));
            perf_p.times.push(run_dd(&[], count)?.0);
        }
        drop(idle);
        for (row, flags) in [
            (&mut text, &[][..]),
            (&mut json, &["--json"][..]),
            (&mut summary, &["-c"][..]),
            (&mut durations, &["-T"][..]),
            (&mut stacks, &["-k"][..]),
        ] {
            let mut argv = vec![tracer];
            argv.extend_from_slice(flags);
            argv.extend(["-o", &out, "--"]);
            let r = run_dd_full(&argv, count)?;
            row.times.push(r.secs);
            rss_max = rss_max.max(r.rss);
            row.usage.push((r.rss, r.cpu));
            row.trace.push((count_lines(&out)?, lost_in(&r.err)));
        }
        // Records to a capture (written, not decoded), and into the flight recorder's memory.
        for (row, flags) in [
            (&mut capture, vec!["--write", cap_file.as_str()]),
            (
                &mut flight,
                vec![
                    "--flight-recorder",
                    "64M",
                    "--trigger",
                    "errno=ENOTRECOVERABLE",
                ],
            ),
        ] {
            let mut argv = vec![tracer];
            argv.extend(flags);
            argv.push("--");
            let r = run_dd_full(&argv, count)?;
            row.times.push(r.secs);
            row.usage.push((r.rss, r.cpu));
            let written = r
                .err
                .lines()
                .find_map(|l| {
                    l.strip_prefix("tracer: ")?
                        .split(" records written")
                        .next()?
                        .parse()
                        .ok()
                })
                .unwrap_or(0usize);
            if written > 0 {
                cap_bytes.push(std::fs::metadata(&cap_file)?.len() as f64 / written as f64);
            }
            row.trace.push((written, lost_in(&r.err)));
        }
        // -e inject=: a call dd never makes (only the seccomp filter's cost), and every read
        // stopped for the tracer and let run (the cost of a notification).
        for (row, expr, n) in [
            (&mut inj_none, "inject=accept:error=EMFILE", count),
            (
                &mut inj_read,
                "inject=read:error=EIO:when=4000000000+",
                slow,
            ),
        ] {
            let r = run_dd_full(&[tracer, "-e", expr, "-o", &out, "--"], n)?;
            row.times.push(r.secs);
            row.trace.push((count_lines(&out)?, lost_in(&r.err)));
        }
        if have_strace {
            st.times
                .push(run_dd(&["strace", "-f", "-o", "/dev/null", "--"], slow)?.0);
            st_inj.times.push(
                run_dd(
                    &[
                        "strace",
                        "-f",
                        "-o",
                        "/dev/null",
                        "-e",
                        "inject=read:error=EIO:when=65535+",
                        "--",
                    ],
                    slow,
                )?
                .0,
            );
        }
        if have_perf {
            pf.times
                .push(run_dd(&["perf", "trace", "-o", "/dev/null", "--"], slow)?.0);
        }
    }
    let b = median(base.times.clone()) / count as f64;
    println!(
        "\ndd if=/dev/zero of=/dev/null bs=1 count={count} ({} syscalls; strace/perf: count={slow}), median of {rounds} interleaved rounds",
        2 * count
    );
    println!(
        "{:<48} {:>12} {:>9} {:>14}   trace lines / records lost per round",
        "", "ns/iteration", "ratio", "added/syscall"
    );
    for row in [
        &base, &floor, &tax, &bpft, &perf_p, &text, &json, &summary, &durations, &stacks, &capture,
        &flight, &inj_none, &inj_read, &st, &st_inj, &pf,
    ] {
        if row.times.is_empty() {
            println!("{:<48} not measured (tool missing)", row.name);
            continue;
        }
        let v = median(row.times.clone()) / row.count as f64;
        let detail: Vec<String> = row
            .trace
            .iter()
            .map(|(l, lost)| format!("{l}/{lost}"))
            .collect();
        println!(
            "{:<48} {:>12.1} {:>8.2}x {:>+13.1}   {}",
            row.name,
            v * 1e9,
            v / b,
            (v - b) * 1e9 / 2.0,
            detail.join(" ")
        );
    }
    println!(
        "tracer peak RSS {} MiB; a complete text or JSON trace has {} lines or more",
        rss_max / 1024,
        2 * count
    );
    let per = |r: &Row| median(r.times.clone()) / r.count as f64;
    if !inj_none.times.is_empty() && !inj_read.times.is_empty() {
        println!(
            "fault injection: a filter for a call dd never makes: {:.3}x the same trace without; every read stopped and let run: +{:.0} ns per stopped call (over the plain trace)",
            per(&inj_none) / per(&text),
            (per(&inj_read) - per(&text)) * 1e9,
        );
        if !st_inj.times.is_empty() {
            println!(
                "  per dd iteration (one stopped read, one write), added to untraced: tracer {:.0} ns, strace -e inject {:.0} ns ({:.1}x tracer's)",
                (per(&inj_read) - b) * 1e9,
                (per(&st_inj) - b) * 1e9,
                (per(&st_inj) - b) / (per(&inj_read) - b),
            );
        }
    }
    // wait4 reports the tracer with the children it waited for: dd's own time (it runs on a
    // CPU the whole time) is taken out.
    println!("\ntracer's own cost per run (median): CPU seconds (without dd's), peak RSS");
    for row in [&text, &json, &summary, &durations, &capture, &flight] {
        let cpu = median(
            row.usage
                .iter()
                .zip(&row.times)
                .map(|(u, t)| (u.1 - t).max(0.0))
                .collect(),
        );
        let rss = median(row.usage.iter().map(|u| u.0 as f64).collect());
        println!(
            "{:<48} {:>7.2} s CPU {:>6.0} MiB",
            row.name,
            cpu,
            rss / 1024.0
        );
    }
    if !cap_bytes.is_empty() {
        println!(
            "capture size: {:.1} bytes per record on disk (the dd stream)",
            median(cap_bytes)
        );
    }
    if let (Some((s0, t0)), Some((s1, t1))) = (stolen_before, cpu_ticks()) {
        println!(
            "CPU time stolen by the hypervisor during the dd rows: {:.0}% (noise: figures of \
             runs with different steal are not comparable)",
            100.0 * (s1 - s0) as f64 / ((t1 - t0) as f64).max(1.0)
        );
    }
    decoding(tracer, &dir, count)?;
    startup(tracer)?;
    std::fs::remove_dir_all(&dir).ok();
    bench_pgbouncer(tracer, rounds.min(3))
}

/// Decoding speed without the kernel: record the ring buffer's bytes once into a capture
/// (`--write`), then decode it to a file (`--read`), text and JSON.
fn decoding(tracer: &str, dir: &Path, count: u64) -> Result<()> {
    let dd_raw = dir.join("dd-decode.trc");
    let mixed_raw = dir.join("mixed.trc");
    let dd_count = format!("count={count}");
    let record = |raw: &Path, cmd: &[&str]| -> Result<()> {
        let st = Command::new(tracer)
            // -s 32 of data, as a live run's default.
            .args(["--buffer-size", "512", "-f", "--snaplen", "32", "--write"])
            .arg(raw)
            .arg("--")
            .args(cmd)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !st.success() {
            bail!("recording {} failed", cmd.join(" "));
        }
        Ok(())
    };
    record(
        &dd_raw,
        &["dd", "if=/dev/zero", "of=/dev/null", "bs=1", &dd_count],
    )?;
    // Strings, stat structures, socket addresses, directory listings: the differential
    // corpus's kind of calls.
    record(
        &mixed_raw,
        &[
            "sh",
            "-c",
            "for i in 1 2 3 4 5; do ls -la /usr/lib >/dev/null; cat /etc/passwd >/dev/null; \
             tar cf /dev/null /etc/ssl 2>/dev/null; python3 -c 'import socket,os; \
             [os.stat(p) for p in os.listdir(\"/usr/bin\")[:200] if os.chdir(\"/usr/bin\") or 1]; \
             s=socket.socket(); s.bind((\"127.0.0.1\",0)); s.listen(); \
             c=socket.create_connection(s.getsockname()); a,_=s.accept(); c.sendall(b\"x\"*100); a.recv(100)'; done",
        ],
    )?;
    println!("\ndecoding recorded records to a file, one thread (median of 3)");
    let out = dir.join("decoded.out");
    for (name, raw) in [("dd", &dd_raw), ("mixed", &mixed_raw)] {
        for json in [false, true] {
            let mut rates = Vec::new();
            for _ in 0..3 {
                let o = Command::new(tracer)
                    .arg("--decode-stats")
                    .arg("--read")
                    .arg(raw)
                    .args(if json { &["--json"][..] } else { &[][..] })
                    .arg("-o")
                    .arg(&out)
                    .output()?;
                let err = String::from_utf8_lossy(&o.stderr);
                let rate = err
                    .lines()
                    .find_map(|l| {
                        l.split(" s (")
                            .nth(1)?
                            .split(' ')
                            .next()?
                            .parse::<f64>()
                            .ok()
                    })
                    .with_context(|| format!("no decoding rate in: {err}"))?;
                rates.push(rate);
            }
            let n = std::fs::metadata(raw)?.len();
            println!(
                "{name:<6} {:<5} {:>6.2} M records/s   ({} MiB of records)",
                if json { "json" } else { "text" },
                median(rates) / 1e6,
                n >> 20
            );
        }
    }
    Ok(())
}

/// Start-up: `tracer -- true` end to end, and `tracer -p PID` until its first trace line.
/// Attaching while 4 threads spin in syscalls on this machine's 2 cores (the target traced
/// is the spinner): one tracer, then ten at once, to their "attached" line.
fn attach_under_load(tracer: &str) -> Result<()> {
    use std::io::BufRead;
    let spin = Guard(
        Command::new("sh")
            .args([
                "-c",
                "for i in 1 2 3 4; do (while :; do :; done) & done; while :; do sleep 0.01; done",
            ])
            .spawn()?,
    );
    std::thread::sleep(Duration::from_millis(300));
    let target = spin.0.id().to_string();
    let attach = |n: usize| -> Result<f64> {
        let t = std::time::Instant::now();
        let mut cs: Vec<Guard> = (0..n)
            .map(|_| {
                Command::new(tracer)
                    .args(["-o", "/dev/null", "-p", &target])
                    .stderr(Stdio::piped())
                    .spawn()
                    .map(Guard)
            })
            .collect::<std::io::Result<_>>()?;
        for c in &mut cs {
            if let Some(e) = c.0.stderr.take() {
                let _ = std::io::BufReader::new(e).lines().next();
            }
        }
        Ok(t.elapsed().as_secs_f64())
    };
    let one: Vec<f64> = (0..3).map(|_| attach(1)).collect::<Result<_>>()?;
    let ten = attach(10)?;
    // The spinners are the shell's children.
    let _ = Command::new("pkill").args(["-P", &target]).status();
    drop(spin);
    println!(
        "attach under load (4 threads spinning on 2 cores): one tracer {:.0} ms (median of 3), ten at once {:.0} ms",
        median(one) * 1e3,
        ten * 1e3
    );
    Ok(())
}

fn startup(tracer: &str) -> Result<()> {
    let mut whole = Vec::new();
    let mut first = Vec::new();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        Command::new(tracer)
            .args(["-o", "/dev/null", "--", "true"])
            .stderr(Stdio::null())
            .status()?;
        whole.push(t.elapsed().as_secs_f64());
        // A process that makes a syscall every 10 ms.
        let busy = Guard(
            Command::new("sh")
                .args(["-c", "while :; do sleep 0.01; done"])
                .spawn()?,
        );
        let t = std::time::Instant::now();
        let mut c = Guard(
            Command::new(tracer)
                .args(["-o", "/dev/stdout", "-p", &busy.0.id().to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()?,
        );
        if let Some(o) = c.0.stdout.take() {
            use std::io::BufRead;
            let _ = std::io::BufReader::new(o).lines().next();
        }
        first.push(t.elapsed().as_secs_f64());
    }
    println!(
        "\nstart-up (median of 5): tracer -- true {:.0} ms; tracer -p PID to its first line {:.0} ms",
        median(whole) * 1e3,
        median(first) * 1e3
    );
    attach_under_load(tracer)?;
    let o = Command::new(tracer)
        .args(["--verifier-stats", "-o", "/dev/null", "--", "true"])
        .output()?;
    for l in String::from_utf8_lossy(&o.stderr).lines() {
        println!("  {}", l.trim_start_matches("tracer: "));
    }
    Ok(())
}

/// Kills and reaps a child when dropped.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// pgbench (select-only, 4 clients) through pgBouncer: transactions per second.
fn pgbench_tps(pgbench: &Path, port: u16, secs: u32) -> Result<f64> {
    let o = Command::new(pgbench)
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-S",
            "-c",
            "4",
            "-j",
            "2",
        ])
        .args(["-T", &secs.to_string(), "db"])
        .output()?;
    let text = String::from_utf8_lossy(&o.stdout);
    text.lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l[6..].split_whitespace().next()?.parse().ok())
        .with_context(|| {
            format!(
                "no tps in pgbench output: {text}{}",
                String::from_utf8_lossy(&o.stderr)
            )
        })
}

/// Story 4's cost: pgbench through pgBouncer, untraced, traced by `tracer -p --match`, and by
/// `strace -f -p`.
pub fn bench_pgbouncer(tracer: &str, rounds: usize) -> Result<()> {
    let Some(pgbench) = pg_bin("pgbench") else {
        println!(
            "pgbench through pgBouncer: PostgreSQL is not installed (apt-get install postgresql pgbouncer)"
        );
        return Ok(());
    };
    let env = match PgBouncer::start("transaction") {
        Ok(env) => env,
        Err(e) => {
            println!("pgbench through pgBouncer: {e} (apt-get install postgresql pgbouncer)");
            return Ok(());
        }
    };
    Command::new(&pgbench)
        .args([
            "-i",
            "-q",
            "-h",
            "127.0.0.1",
            "-p",
            &env.pg_port.to_string(),
            "-U",
            "postgres",
            "postgres",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    let (b_port, bpid) = (env.port, env.pid.to_string());
    let secs = 4;
    let (mut base, mut traced, mut st) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        eprintln!("xtask: pgbench round {}/{rounds}", round + 1);
        base.push(pgbench_tps(&pgbench, b_port, secs)?);
        {
            let t = watcher(
                &[
                    tracer,
                    "-p",
                    &bpid,
                    "--match",
                    "READ ONLY",
                    "-o",
                    "/dev/null",
                ],
                "attached",
            )?;
            traced.push(pgbench_tps(&pgbench, b_port, secs)?);
            // SAFETY: signalling our own child.
            unsafe { libc::kill(t.0.id() as i32, libc::SIGINT) };
        }
        {
            let s = Guard(
                Command::new("strace")
                    .args(["-f", "-qq", "-o", "/dev/null", "-p", &bpid])
                    .stderr(Stdio::null())
                    .spawn()?,
            );
            std::thread::sleep(Duration::from_millis(500));
            st.push(pgbench_tps(&pgbench, b_port, secs)?);
            drop(s);
        }
    }
    let b = median(base);
    println!(
        "\npgbench -S -c 4 -j 2 through pgBouncer (transaction pooling), {secs} s runs, median of {rounds} rounds"
    );
    let row = |name: &str, v: f64| println!("{name:<44} {v:>9.0} tps {:>8.2}x of untraced", v / b);
    row("untraced", b);
    row("tracer -p <pgbouncer> --match 'READ ONLY'", median(traced));
    row("strace -f -p <pgbouncer>", median(st));
    Ok(())
}
