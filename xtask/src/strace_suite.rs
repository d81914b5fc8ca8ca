//! strace's own test suite, with the tracer in strace's place (issue 11). The source package
//! of the strace this machine has comes from Debian (`apt-get source` with a private sources
//! list and state under `.tools/strace-suite`, never the machine's apt configuration); its
//! test programs are built once per version. Each test of `tests/gen_tests.in` in the plain
//! mode (`run_strace_match_diff`: `-e trace=NAME` unless the test names its own set, plus the
//! test's options) runs its program under the tracer; the program prints, on stdout, the
//! lines strace must print, and the tracer's output is compared with them (the padding before
//! `= ` ignored). A program that exits 77 alone is unsupported here; tests with a wrapper
//! script (`+name.sh`: other modes) are counted apart.
use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{Context, Result, bail};

use crate::root;

/// What one test came to.
enum Outcome {
    Pass,
    /// The first line that differs: (line number, expected, got).
    Fail(usize, String, String),
    Unsupported,
    /// The tracer refused the test's options (its one-line error).
    Refused(String),
}

/// The strace version on this machine (the suite's must match it).
fn strace_version() -> Result<String> {
    let o = Command::new("strace").arg("-V").output()?;
    let text = String::from_utf8_lossy(&o.stdout);
    text.split_whitespace()
        .nth(3)
        .map(str::to_string)
        .context("strace -V: no version")
}

/// The suite's tests directory, fetched and built if needed.
fn prepare() -> Result<PathBuf> {
    let version = strace_version()?;
    let base = root().join(".tools/strace-suite");
    let src = base.join(format!("strace-{version}"));
    let tests = src.join("tests");
    let built = base.join(format!("built-{version}"));
    if built.exists() {
        return Ok(tests);
    }
    eprintln!("xtask: fetching and building strace {version}'s test suite (once)");
    for d in ["state/lists/partial", "cache/archives/partial", "src"] {
        std::fs::create_dir_all(base.join(d))?;
    }
    std::fs::write(
        base.join("sources.list"),
        "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main\n",
    )?;
    let apt = |args: &[&str], dir: &Path| -> Result<()> {
        let st = Command::new("apt-get")
            .arg("-o")
            .arg(format!(
                "Dir::Etc::SourceList={}",
                base.join("sources.list").display()
            ))
            .args(["-o", "Dir::Etc::SourceParts=/dev/null"])
            .arg("-o")
            .arg(format!("Dir::State={}", base.join("state").display()))
            .arg("-o")
            .arg(format!("Dir::Cache={}", base.join("cache").display()))
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .status()?;
        if !st.success() {
            bail!("apt-get {args:?} failed");
        }
        Ok(())
    };
    apt(&["update", "-qq"], &base)?;
    apt(&["source", "--download-only", "strace"], &base.join("src"))?;
    let orig = std::fs::read_dir(base.join("src"))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".orig.tar.xz"))
        .context("no strace .orig.tar.xz downloaded")?;
    let st = Command::new("tar")
        .arg("xf")
        .arg(&orig)
        .current_dir(&base)
        .status()?;
    if !st.success() {
        bail!("unpacking {}", orig.display());
    }
    let st = Command::new("./configure")
        .args(["--enable-mpers=no", "-q"])
        .current_dir(&src)
        .stdout(Stdio::null())
        .status()?;
    if !st.success() {
        bail!("strace's configure failed");
    }
    // -k: a test program that this machine's kernel headers cannot build is left out (it
    // shows as missing), the others are built.
    let _ = Command::new("make")
        .args(["-k", "-j2", "-C", "tests", "check", "TESTS="])
        .current_dir(&src)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    std::fs::write(&built, "")?;
    Ok(tests)
}

/// strace's lines with the padding before `= ` taken out (its `-a` column).
fn unpad(line: &str) -> String {
    match line.find(")  ") {
        Some(i) if line[i + 1..].trim_start().starts_with("= ") => {
            format!("{} {}", &line[..=i], line[i + 1..].trim_start())
        }
        _ => line.to_string(),
    }
}

fn run_one(tracer: &Path, tests: &Path, name: &str, args: &str) -> Result<Outcome> {
    let prog = tests.join(name);
    if !prog.exists() {
        return Ok(Outcome::Unsupported);
    }
    let dir = tests.join(format!("{name}.dir"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    // Alone first: 77 says the test cannot run here.
    let alone = Command::new("sh")
        .args(["-c", &format!("exec ../{name} > /dev/null 2>&1")])
        .current_dir(&dir)
        .status()?;
    if alone.code() == Some(77) || !alone.success() {
        return Ok(Outcome::Unsupported);
    }
    let mut args = args.to_string();
    let mut prog_args = String::new();
    let mut start: Option<String> = None;
    // The harness's quirks (quoted words): where the test's output starts, and the
    // program's arguments.
    while let Some(at) = args.find("QUIRK:") {
        let quote = args[..at]
            .chars()
            .last()
            .filter(|c| *c == '"' || *c == '\'');
        let (from, to) = match quote {
            Some(q) => {
                let end = args[at..].find(q).map_or(args.len(), |e| at + e + 1);
                (at - 1, end)
            }
            None => (at, args[at..].find(' ').map_or(args.len(), |e| at + e)),
        };
        let token = args[from..to].trim_matches(['"', '\'']).to_string();
        args.replace_range(from..to, "");
        if let Some(s) = token.strip_prefix("QUIRK:START-OF-TEST-OUTPUT:") {
            start = Some(s.to_string());
        } else if let Some(a) = token.strip_prefix("QUIRK:PROG-ARGS:") {
            prog_args = a.to_string();
        } else {
            return Ok(Outcome::Unsupported);
        }
    }
    let names_set = ["-e trace=", "-etrace=", "--trace="]
        .iter()
        .any(|t| args.contains(t));
    let set = if names_set {
        String::new()
    } else {
        format!("-e trace={name}")
    };
    let script = format!(
        "exec {} -o log {set} {args} ../{name} {prog_args} > exp",
        tracer.display()
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        // The harness's name for the test, which some tests' options use (`-P $NAME.sample`).
        .env("NAME", name)
        .current_dir(&dir)
        .stdout(Stdio::null())
        .output()?;
    if o.status.code() == Some(2) {
        let err = String::from_utf8_lossy(&o.stderr);
        return Ok(Outcome::Refused(
            err.lines().next().unwrap_or_default().to_string(),
        ));
    }
    let st = o.status;
    let exp = std::fs::read_to_string(dir.join("exp")).unwrap_or_default();
    let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
    let mut got: Vec<String> = log.lines().map(unpad).collect();
    if let Some(s) = &start
        && let Some(i) = got.iter().position(|l| l.contains(s.as_str()))
    {
        got.drain(..i);
    }
    let want: Vec<String> = exp.lines().map(unpad).collect();
    if !st.success() && want.is_empty() {
        return Ok(Outcome::Unsupported);
    }
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(i), got.get(i));
        if w != g {
            return Ok(Outcome::Fail(
                i + 1,
                w.cloned().unwrap_or_default(),
                g.cloned().unwrap_or_default(),
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Outcome::Pass)
}

/// Tests that pass (65 when the runner was written, 88, 127, 174, 182, 190, 338, 351, 383, 386, then 401 of
/// 474 runnable with strace 6.1 on Debian 12, a few below for the suite's timing-dependent
/// tests): `cargo xtask test` fails
/// below this, so that what passes keeps passing. The target is 95%.
const BASELINE: usize = 425;

/// `cargo xtask test`: the suite's counts, and a failure if fewer pass than [`BASELINE`].
pub fn ratchet(tracer: &Path) -> Result<()> {
    let passed = run(tracer)?;
    if passed < BASELINE {
        bail!("strace's suite: {passed} tests pass, fewer than the {BASELINE} that passed before");
    }
    Ok(())
}

/// Runs the plain-mode tests; prints the counts and each failure's first differing line
/// (also into target/strace-suite.txt). Returns how many passed.
pub fn run(tracer: &Path) -> Result<usize> {
    let tests = prepare()?;
    // The tracer runs as `strace`, through a link: tests of `-Y` print the tracer's own
    // command name for the parent of the program they trace (`21622<strace>`).
    let link_dir = tests.with_file_name("tracer-as-strace");
    std::fs::create_dir_all(&link_dir)?;
    let link = link_dir.join("strace");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(std::fs::canonicalize(tracer)?, &link)?;
    let tracer = link.as_path();
    let list = std::fs::read_to_string(tests.join("gen_tests.in"))?;
    let (mut pass, mut fail, mut unsupported, mut other, mut refused) = (0, 0, 0, 0, 0);
    let mut report = String::new();
    for line in list.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, args) = match line.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (line, ""),
        };
        // A wrapper script (+name.sh) or a harness function (test_pidns, ...) first: another
        // mode; quirks whose text holds spaces are the harness's too.
        let first = args.split_whitespace().next().unwrap_or_default();
        if args.starts_with('+')
            || (!first.is_empty()
                && !first.starts_with('-')
                && !first.trim_start_matches(['"', '\'']).starts_with("QUIRK:"))
        {
            other += 1;
            continue;
        }
        match run_one(tracer, &tests, name, args)? {
            Outcome::Pass => pass += 1,
            Outcome::Unsupported => unsupported += 1,
            Outcome::Refused(why) => {
                refused += 1;
                report.push_str(&format!("REFUSED {name} ({args}): {why}\n"));
            }
            Outcome::Fail(n, want, got) => {
                fail += 1;
                report.push_str(&format!(
                    "FAIL {name} ({args}) line {n}\n  strace: {want}\n  tracer: {got}\n"
                ));
            }
        }
    }
    let summary = format!(
        "strace {} suite, plain mode: {pass} passed, {fail} failed, {refused} with options the tracer refuses, {unsupported} unsupported here (exit 77, or not built with this machine's headers), {other} in other modes (not run)\n",
        strace_version()?
    );
    report.insert_str(0, &summary);
    let out = root().join("target/strace-suite.txt");
    std::fs::create_dir_all(out.parent().unwrap())?;
    std::fs::write(&out, &report)?;
    eprintln!(
        "xtask: {summary}xtask: each failure's first differing line: {}",
        out.display()
    );
    Ok(pass)
}
