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

/// dd's own "copied, X s" time, and the peak RSS of the process we started (KiB).
fn run_dd(prefix: &[&str], count: u64) -> Result<(f64, i64, String)> {
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
    let rss = unsafe {
        let mut status = 0;
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::wait4(child.id() as i32, &mut status, 0, &mut ru);
        ru.ru_maxrss
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
    Ok((secs, rss, err))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

pub fn bench(tracer: &Path, count: u64, rounds: usize) -> Result<()> {
    let tracer = tracer.to_str().context("tracer path")?;
    let out = std::env::temp_dir().join("tracer-bench.out");
    let out = out.to_str().context("tmp path")?.to_string();
    let have_strace = Command::new("strace").arg("-V").output().is_ok();
    let have_perf = Command::new("perf")
        .args(["trace", "-o", "/dev/null", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    // strace and perf trace are ~100-500x slower: give them fewer calls, compare per call.
    let slow = (count / 50).max(1000);

    let mut base = Vec::new();
    let mut full = Vec::new();
    let mut tax = Vec::new();
    let mut st = Vec::new();
    let mut pf = Vec::new();
    let mut rss_max = 0;
    let mut lines = 0usize;
    let mut lost_note = String::new();
    for round in 0..rounds {
        eprintln!("xtask: bench round {}/{rounds}", round + 1);
        base.push(run_dd(&[], count)?.0 / count as f64);
        let (t, rss, err) = run_dd(&[tracer, "-o", &out, "--"], count)?;
        full.push(t / count as f64);
        rss_max = rss_max.max(rss);
        lines = std::fs::read_to_string(&out)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        if let Some(l) = err.lines().find(|l| l.contains("lost")) {
            lost_note = l.to_string();
        }
        // Host tax: an untraced dd while the tracer watches another, idle process.
        let mut idle = Command::new("sleep").arg("3600").spawn()?;
        let mut watcher = Command::new(tracer)
            .args(["-o", "/dev/null", "-p", &idle.id().to_string()])
            .stderr(Stdio::piped())
            .spawn()?;
        // Measure only once the programs are attached (loading takes about a second).
        if let Some(err) = watcher.stderr.take() {
            use std::io::BufRead;
            let mut lines = std::io::BufReader::new(err).lines();
            loop {
                match lines.next() {
                    Some(Ok(l)) if l.contains("attached") => break,
                    Some(Ok(_)) => {}
                    _ => bail!("the watching tracer did not attach"),
                }
            }
        }
        std::thread::sleep(Duration::from_millis(200));
        tax.push(run_dd(&[], count)?.0 / count as f64);
        // SAFETY: signalling our own child.
        unsafe { libc::kill(watcher.id() as i32, libc::SIGINT) };
        let _ = watcher.wait();
        let _ = idle.kill();
        let _ = idle.wait();
        if have_strace {
            st.push(run_dd(&["strace", "-f", "-o", "/dev/null", "--"], slow)?.0 / slow as f64);
        }
        if have_perf {
            pf.push(run_dd(&["perf", "trace", "-o", "/dev/null", "--"], slow)?.0 / slow as f64);
        }
    }
    let b = median(base);
    // Ratios depend on how fast the untraced call is on this machine; the added cost per
    // syscall (dd makes two per byte) does not, so both are printed.
    let row = |name: &str, v: f64| {
        println!(
            "{name:<44} {:>9.1} ns/iteration {:>8.2}x {:>+9.1} ns/syscall",
            v * 1e9,
            v / b,
            (v - b) * 1e9 / 2.0
        )
    };
    println!(
        "\ndd if=/dev/zero of=/dev/null bs=1 count={count} (strace/perf: count={slow}), median of {rounds} rounds"
    );
    row("untraced", b);
    row("tracer -o FILE (full trace, decoded)", median(full.clone()));
    row("host tax: untraced dd while tracer -p <idle>", median(tax));
    if have_strace {
        row("strace -f -o /dev/null", median(st));
    } else {
        println!("strace: not installed (apt-get install strace)");
    }
    if have_perf {
        row("perf trace -o /dev/null", median(pf));
    } else {
        println!("perf trace: not available (apt-get install linux-perf; needs tracefs)");
    }
    let expected = 2 * count as usize;
    let secs = median(full) * count as f64;
    println!(
        "tracer: {lines} lines written for ~{expected} dd calls, {:.0} events/s, peak RSS {} MiB{}",
        lines as f64 / secs,
        rss_max / 1024,
        if lost_note.is_empty() {
            ", 0 drops".to_string()
        } else {
            format!(", {lost_note}")
        }
    );
    if lines < expected {
        bail!("the trace is missing calls: {lines} lines < {expected}");
    }
    bench_pgbouncer(tracer, rounds.min(3))
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
            let mut t = Command::new(tracer)
                .args(["-p", &bpid, "--match", "READ ONLY", "-o", "/dev/null"])
                .stderr(Stdio::piped())
                .spawn()?;
            if let Some(err) = t.stderr.take() {
                use std::io::BufRead;
                let first = std::io::BufReader::new(err).lines().next();
                if !first.is_some_and(|l| l.is_ok_and(|l| l.contains("attached"))) {
                    bail!("the tracer did not attach to pgbouncer");
                }
            }
            let t = Guard(t);
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
