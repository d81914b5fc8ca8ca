//! End-to-end tests: the real tracer binary, the real eBPF programs, real traced programs,
//! exact strace lines. They need root (CAP_BPF); CI runs them as root. If the kernel side is
//! broken, no lines arrive and every test here fails.
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

mod support {
    pub mod cgroup;
}

use support::cgroup::cgroup2_root;

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

fn victim() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| compile("victim", &["-O1", "-no-pie"]))
}

/// tests/progs/NAME.c compiled with `flags` into the test's temporary directory.
fn compile(name: &str, flags: &[&str]) -> PathBuf {
    let out = tmpfile(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/progs/{name}.c"));
    let st = Command::new("cc")
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .status()
        .expect("cc");
    assert!(st.success(), "compiling {name}.c");
    out
}

fn tmpfile(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tracer-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A directory of its own in the test's temporary directory.
fn tmpdir(name: &str) -> PathBuf {
    let dir = tmpfile(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `s` with its numbers (pids, times, counts) as `N`, for comparing runs; digits at its very
/// start or end are dropped.
fn digits_as_n(s: &str) -> String {
    s.split(|c: char| c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("N")
}

/// [`digits_as_n`] after each `0x` address is made `0xADDR` (stack and heap addresses differ
/// from run to run).
fn addresses_and_digits(s: &str) -> String {
    let l: String = s
        .split("0x")
        .enumerate()
        .map(|(i, p)| match i {
            0 => p.to_string(),
            _ => format!(
                "0xADDR{}",
                p.trim_start_matches(|c: char| c.is_ascii_hexdigit())
            ),
        })
        .collect();
    digits_as_n(&l)
}

/// Runs the tracer to completion with output in a file; returns (output text, process output).
fn trace(args: &[&str], name: &str) -> (String, Output) {
    let out = tmpfile(name);
    // A known environment: the traced command inherits it (execve shows its size).
    let o = Command::new(TRACER)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("TRACER_TEST", "1")
        .arg("-o")
        .arg(&out)
        .args(args)
        .output()
        .expect("run tracer");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    (unpad(&text), o)
}

/// strace's trace of the same command line, in the same environment as [`trace`]'s: its
/// output file and its exit status.
fn strace_run(args: &[&str], name: &str) -> (String, std::process::ExitStatus) {
    let out = tmpfile(&format!("{name}-strace"));
    let o = Command::new("strace")
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("TRACER_TEST", "1")
        .arg("-o")
        .arg(&out)
        .args(args)
        .output()
        .expect("strace (xtask installs it)");
    (std::fs::read_to_string(&out).unwrap_or_default(), o.status)
}

/// The text without strace's result alignment (`close(3)          = 0` -> `close(3) = 0`):
/// most tests check what is printed, not where; `results_are_aligned_as_strace_aligns_them`
/// checks the padding itself.
fn unpad(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.find(")  ") {
            Some(i) if line[i + 1..].trim_start().starts_with("= ") => {
                out.push_str(&line[..=i]);
                out.push(' ');
                out.push_str(line[i + 1..].trim_start());
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// strace -f -o FILE's prefix: the pid, left-aligned in 5 columns, then a space.
fn pid_prefixed(line: &str) -> bool {
    line.split_once(' ').is_some_and(|(pid, rest)| {
        pid.parse::<u32>().is_ok() && (pid.len() >= 5 || rest.starts_with(' '))
    })
}

/// `text` without the envp pointers of its exec lines (`, 0x7ffd... /* 2 vars */` becomes
/// `, /* 2 vars */`): a stack address, which ASLR moves. Checks that each is an address.
fn without_envp(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(", 0x") {
        let after = &rest[i + 4..];
        let hex = after
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(after.len());
        if hex > 0 && after[hex..].starts_with(" /* ") && after[hex..].contains(" var") {
            out.push_str(&rest[..i + 2]);
            rest = &after[hex + 1..];
        } else {
            out.push_str(&rest[..i + 4]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn assert_line(text: &str, want: &str) {
    let text = unpad(text);
    assert!(
        text.lines().any(|l| l == want),
        "missing line:\n  {want}\nin output:\n{text}"
    );
}

/// The first line of `text` that `f` accepts; the test fails showing `text` if none does.
fn line_where(text: &str, f: impl Fn(&str) -> bool) -> &str {
    text.lines()
        .find(|l| f(l))
        .unwrap_or_else(|| panic!("no such line in output:\n{text}"))
}

/// A tracer child that is killed if the test fails before stopping it.
struct Running(Option<Child>);

impl Running {
    fn id(&self) -> u32 {
        self.0.as_ref().map(|c| c.id()).unwrap_or(0)
    }
    fn take(mut self) -> Child {
        self.0.take().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(c) = &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts a long-running tracer and waits until it reports that it is attached.
fn start_tracer(args: &[&str], out: &Path) -> Running {
    let mut child = Command::new(TRACER)
        .arg("-o")
        .arg(out)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tracer");
    // The tracer prints "tracer: attached ..." to stderr once the programs are live.
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(l) if l.contains("attached") => break,
            Ok(l) => panic!("tracer said: {l}"),
            Err(_) if Instant::now() > deadline => panic!("tracer did not attach"),
            Err(_) => {}
        }
    }
    Running(Some(child))
}

fn interrupt(child: Running) -> Output {
    let child = child.take();
    // SAFETY: kill with a valid pid and signal.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait_with_output().unwrap()
}

#[test]
fn missing_path_is_enoent_with_the_path() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(
        &[
            "-e",
            "trace=openat",
            "--",
            v,
            "enoent",
            "/nonexistent/tracer-e2e",
        ],
        "enoent",
    );
    assert!(o.status.success(), "{o:?}");
    assert_line(
        &text,
        "openat(AT_FDCWD, \"/nonexistent/tracer-e2e\", O_RDONLY) = -1 ENOENT (No such file or directory)",
    );
    // Only openat was asked for; the dynamic loader's opens are there too, nothing else.
    assert!(
        text.lines()
            .filter(|l| !l.starts_with("+++"))
            .all(|l| l.starts_with("openat(")),
        "{text}"
    );
    assert_line(&text, "+++ exited with 0 +++");
}

#[test]
fn command_trace_starts_with_its_execve_and_ends_with_exit_group() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(&["--", v, "exit", "3"], "execve");
    assert_eq!(
        o.status.code(),
        Some(3),
        "the tracer exits with the command's status"
    );
    let first = text.lines().next().unwrap_or("");
    assert_eq!(
        without_envp(first),
        format!("execve(\"{v}\", [\"{v}\", \"exit\", \"3\"], /* 2 vars */) = 0")
    );
    let n = text.lines().count();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[n - 2], "exit_group(3) = ?");
    assert_eq!(lines[n - 1], "+++ exited with 3 +++");
}

#[test]
fn failing_mprotect_is_enomem_with_prot_decoded() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(
        &["-e", "trace=mprotect,mmap", "--", v, "mprotect"],
        "mprotect",
    );
    assert!(o.status.success());
    assert_line(
        &text,
        "mprotect(0x10000, 4096, PROT_READ|PROT_WRITE) = -1 ENOMEM (Cannot allocate memory)",
    );
    assert!(
        text.contains("MAP_PRIVATE|MAP_"),
        "mmap flags decoded: {text}"
    );
}

#[test]
fn errno_filter_shows_only_matching_failures() {
    let v = victim().to_str().unwrap();
    let (text, _) = trace(&["--errno", "ENOMEM", "--", v, "both"], "errno");
    assert_line(
        &text,
        "mprotect(0x10000, 4096, PROT_READ) = -1 ENOMEM (Cannot allocate memory)",
    );
    let calls: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("+++") && !l.starts_with("  ^ "))
        .collect();
    assert_eq!(calls.len(), 1, "only the ENOMEM failure: {text}");

    let (text, _) = trace(&["-Z", "--", v, "both"], "failed");
    assert_line(
        &text,
        "openat(AT_FDCWD, \"/nonexistent/tracer-both\", O_RDONLY) = -1 ENOENT (No such file or directory)",
    );
    assert!(
        text.lines()
            .filter(|l| !l.starts_with("+++") && !l.starts_with("  ^ "))
            .all(|l| l.contains(" = -1 ")),
        "{text}"
    );
}

#[test]
fn summary_counts_match_the_calls_made() {
    let v = victim().to_str().unwrap();
    let (text, _) = trace(
        &[
            "-c",
            "-e",
            "trace=getppid,close",
            "--",
            v,
            "getppid",
            "1000",
        ],
        "count",
    );
    let row = line_where(&text, |l| l.ends_with(" getppid"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[3], "1000", "{row}");
    let (text, _) = trace(
        &["-c", "-e", "trace=close", "--", v, "closebad", "7"],
        "count2",
    );
    let row = line_where(&text, |l| l.ends_with(" close"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    // close(-1) x7 fail; the loader's own closes succeed.
    assert_eq!(cols[4], "7", "{row}");

    // -c alone counts in the kernel, -C from the records: the same calls as strace counts
    // (none of the tracer's own set-up before the execve), and the execve is timed.
    let calls = |text: &str, name: &str| -> Vec<String> {
        let row = text
            .lines()
            .find(|l| l.ends_with(&format!(" {name}")))
            .unwrap_or_else(|| panic!("no {name} row in:\n{text}"));
        row.split_whitespace().map(str::to_string).collect()
    };
    let (only, _) = trace(&["-c", "-e", "trace=read,execve", "--", "true"], "count3");
    let (with_trace, _) = trace(&["-C", "-e", "trace=read,execve", "--", "true"], "count4");
    let st = Command::new("strace")
        .args(["-c", "-e", "trace=read,execve", "true"])
        .output()
        .expect("strace (apt-get install strace)");
    let st = String::from_utf8_lossy(&st.stderr).to_string();
    assert_eq!(
        calls(&only, "read")[3],
        calls(&st, "read")[3],
        "{only}\n{st}"
    );
    assert_eq!(
        calls(&with_trace, "read")[3],
        calls(&st, "read")[3],
        "{with_trace}"
    );
    let execve = calls(&only, "execve");
    assert_eq!(execve[3], "1", "{only}");
    assert_ne!(execve[1], "0.000000", "execve untimed: {only}");
    assert!(
        !only.contains("exit_group"),
        "strace -c does not count exit_group: {only}"
    );

    // -U columns and -S order: without time columns, the table is strace's to the byte.
    let flags = [
        "-c",
        "-U",
        "name,calls,errors",
        "-S",
        "calls",
        "-e",
        "trace=openat,close,read",
    ];
    let (ours, _) = trace(&[&flags[..], &["cat", "/etc/hostname"]].concat(), "count5");
    let st = Command::new("strace")
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("TRACER_TEST", "1")
        .args(flags)
        .args(["cat", "/etc/hostname"])
        .output()
        .unwrap();
    let theirs = String::from_utf8_lossy(&st.stderr).to_string();
    assert_eq!(ours, theirs);
    assert!(
        ours.starts_with("syscall              calls    errors\n"),
        "{ours}"
    );
}

#[test]
fn json_lines_parse_and_carry_raw_and_decoded_values() {
    let v = victim().to_str().unwrap();
    let (text, _) = trace(
        &[
            "--json",
            "-e",
            "trace=openat",
            "--",
            v,
            "enoent",
            "/nonexistent/json",
        ],
        "json",
    );
    let mut found = false;
    for line in text.lines() {
        let j: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if j["type"] == "syscall" && j["strings"]["1"] == "/nonexistent/json" {
            assert_eq!(j["name"], "openat");
            assert_eq!(j["errno"], "ENOENT");
            assert_eq!(j["ret"], -2);
            // Raw register: the int -100 arrives zero-extended.
            assert_eq!(j["args"][0], u64::from((-100i32) as u32));
            assert_eq!(j["args_text"], "AT_FDCWD, \"/nonexistent/json\", O_RDONLY");
            found = true;
        }
    }
    assert!(found, "{text}");
}

#[test]
fn follow_forks_through_a_shell() {
    let (text, o) = trace(
        &[
            "-f",
            "-e",
            "trace=execve",
            "--",
            "sh",
            "-c",
            "/bin/true; /bin/echo hi >/dev/null; exit 0",
        ],
        "follow",
    );
    assert!(o.status.success());
    let text = without_envp(&text);
    let execs: Vec<&str> = text.lines().filter(|l| l.contains("execve(")).collect();
    assert!(
        execs
            .iter()
            .any(|l| l.contains("execve(\"/bin/true\", [\"/bin/true\"], /* ")
                && l.ends_with(" vars */) = 0")
                && pid_prefixed(l)),
        "{text}"
    );
    assert!(
        execs
            .iter()
            .any(|l| l.contains("execve(\"/bin/echo\", [\"/bin/echo\", \"hi\"], /* ")),
        "{text}"
    );
    assert!(
        text.lines()
            .filter(|l| l.ends_with("+++ exited with 0 +++") && pid_prefixed(l))
            .count()
            >= 3,
        "{text}"
    );
    // Every line carries its pid, as strace -f -o writes them.
    assert!(text.lines().all(pid_prefixed), "{text}");
}

#[test]
fn attach_to_a_running_process() {
    let mut sh = Command::new("sh")
        .args(["-c", "while :; do read x < /etc/hostname; sleep 0.05; done"])
        .spawn()
        .unwrap();
    let out = tmpfile("attach");
    let pid = sh.id().to_string();
    let t = start_tracer(&["-p", &pid, "-e", "trace=openat"], &out);
    std::thread::sleep(Duration::from_millis(600));
    let o = interrupt(t);
    let _ = sh.kill();
    let _ = sh.wait();
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_line(&text, "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3");
}

#[test]
fn system_wide_sees_a_process_started_after_attach() {
    let out = tmpfile("all");
    let t = start_tracer(&["-a", "-e", "trace=openat", "--errno", "ENOENT"], &out);
    let path = format!("/nonexistent/tracer-all-{}", std::process::id());
    let c = Command::new(victim())
        .args(["enoent", &path])
        .status()
        .unwrap();
    assert!(c.success());
    std::thread::sleep(Duration::from_millis(300));
    let o = interrupt(t);
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    let want =
        format!("openat(AT_FDCWD, \"{path}\", O_RDONLY) = -1 ENOENT (No such file or directory)");
    assert!(
        text.lines()
            .any(|l| l.starts_with("victim[") && l.ends_with(&want)),
        "no line `victim[PID] {want}` in:\n{text}"
    );
}

#[test]
fn usage_errors_are_one_line_and_exit_2() {
    for (args, needle) in [
        (vec!["-p", "999999999"], "no such process"),
        (vec!["-e", "trace=opnat", "-a"], "did you mean openat?"),
        (vec!["--errno", "ENOMEN", "-a"], "did you mean ENOMEM?"),
        (vec![], "nothing to trace"),
        (vec!["-o", "/nonexistent-dir/x", "-a"], "cannot create"),
        (
            vec!["--", "/no/such/program"],
            "/no/such/program: no such file",
        ),
        (
            vec!["--", "nosuchprogram-here"],
            "command not found in PATH",
        ),
        (vec!["--", "/etc/passwd"], "is not executable"),
        (vec!["--", "/tmp"], "is a directory"),
        (vec!["-p", "-5"], "-p \"-5\": not a process id"),
        (vec!["-p", "0"], "-p \"0\": not a process id"),
        (vec!["-p", "abc"], "-p \"abc\": not a process id"),
        (vec!["-s", "-1", "-a"], "\"-1\" is not a size"),
    ] {
        let o = Command::new(TRACER).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn compat_32bit_syscalls_are_decoded_with_the_i386_table() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(&["-e", "trace=open", "--", v, "compat"], "compat");
    assert!(
        o.status.success(),
        "int $0x80 open did not return ENOENT: {o:?}"
    );
    // i386 open is number 5 (x86_64's 5 is fstat): only the i386 table names it open.
    assert_line(
        &text,
        "open(\"/nonexistent/tracer-compat\", O_RDONLY) = -1 ENOENT (No such file or directory)",
    );
    let (json, _) = trace(
        &["--json", "-e", "trace=open", "--", v, "compat"],
        "compat-json",
    );
    let line = json
        .lines()
        .find(|l| l.contains("tracer-compat"))
        .unwrap_or_else(|| panic!("{json}"));
    let j: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(j["abi"], "i386");
    assert_eq!(j["nr"], 5);
}

/// Whether a BPF program or link id still exists (BPF_PROG_GET_FD_BY_ID = 13,
/// BPF_LINK_GET_FD_BY_ID = 30).
fn bpf_object_exists(cmd: libc::c_long, id: u32) -> bool {
    let attr: [u32; 4] = [id, 0, 0, 0];
    // SAFETY: the bpf syscall reads `attr` (16 bytes, the id first) and returns an fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr.as_ptr(), 16) };
    if fd >= 0 {
        // SAFETY: closing the fd we were just given.
        unsafe { libc::close(fd as i32) };
        return true;
    }
    std::io::Error::last_os_error().raw_os_error() != Some(libc::ENOENT)
}

#[test]
fn a_sigkilled_tracer_leaves_nothing_attached() {
    let out = tmpfile("sigkill");
    let t = start_tracer(&["-a", "-e", "trace=none"], &out);
    let mut ids = Vec::new();
    for e in std::fs::read_dir(format!("/proc/{}/fdinfo", t.id()))
        .unwrap()
        .flatten()
    {
        let info = std::fs::read_to_string(e.path()).unwrap_or_default();
        for l in info.lines() {
            if let Some(v) = l.strip_prefix("prog_id:") {
                ids.push((13, v.trim().parse::<u32>().unwrap()));
            }
            if let Some(v) = l.strip_prefix("link_id:") {
                ids.push((30, v.trim().parse::<u32>().unwrap()));
            }
        }
    }
    ids.sort();
    ids.dedup();
    assert!(ids.len() >= 8, "4 programs and their 4 links: {ids:?}");
    assert!(ids.iter().all(|(c, id)| bpf_object_exists(*c, *id)));
    let mut t = t.take();
    t.kill().unwrap();
    t.wait().unwrap();
    // The kernel frees them once the last fd is closed (after an RCU grace period).
    let deadline = Instant::now() + Duration::from_secs(10);
    while ids.iter().any(|(c, id)| bpf_object_exists(*c, *id)) {
        assert!(
            Instant::now() < deadline,
            "still attached after SIGKILL: {ids:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Copies the victim under another name, so that its comm is unique to one test.
fn victim_named(name: &str) -> PathBuf {
    let p = tmpfile(name);
    if !p.exists() {
        std::fs::copy(victim(), &p).unwrap();
    }
    p
}

#[test]
fn story1_host_wide_failures_show_comm_pid_and_path() {
    let out = tmpfile("story1");
    let t = start_tracer(
        &["-a", "--errno", "ENOENT,ENOTDIR", "-e", "trace=openat"],
        &out,
    );
    let v = victim_named("vstory1");
    let dev = format!("/nonexistent/dev/vhost-net-{}", std::process::id());
    let a = Command::new(&v).args(["enoent", &dev]).spawn().unwrap();
    let b = Command::new(&v)
        .args(["enoent", "/etc/passwd/vhost"])
        .spawn()
        .unwrap();
    let (pa, pb) = (a.id(), b.id());
    let _ = a.wait_with_output();
    let _ = b.wait_with_output();
    std::thread::sleep(Duration::from_millis(300));
    let o = interrupt(t);
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_line(
        &text,
        &format!(
            "vstory1[{pa}] openat(AT_FDCWD, \"{dev}\", O_RDONLY) = -1 ENOENT (No such file or directory)"
        ),
    );
    assert_line(
        &text,
        &format!(
            "vstory1[{pb}] openat(AT_FDCWD, \"/etc/passwd/vhost\", O_RDONLY) = -1 ENOTDIR (Not a directory)"
        ),
    );
    // Failures only, host-wide: no line for every process that ends.
    assert!(
        !text.contains("+++ exited") && !text.contains("+++ killed"),
        "{text}"
    );
}

#[test]
fn story1_watch_table_rows() {
    let out = tmpfile("watch1");
    let t = start_tracer(
        &["-a", "--watch", "--interval", "500ms", "--errno", "ENOTDIR"],
        &out,
    );
    let v = victim_named("vwatch1");
    let c = Command::new(&v)
        .args(["openn", "/etc/passwd/watch", "7"])
        .spawn()
        .unwrap();
    let pid = c.id();
    let _ = c.wait_with_output();
    std::thread::sleep(Duration::from_millis(1200));
    let o = interrupt(t);
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("COUNT") && text.contains("PATH/ADDRESS"),
        "{text}"
    );
    let row = text
        .lines()
        .rev()
        .find(|l| l.contains(" vwatch1 ") && l.contains(&format!(" {pid} ")))
        .unwrap_or_else(|| panic!("no row for vwatch1[{pid}]:\n{text}"));
    // RATE/s TREND COUNT PROCS PROCESS PID SYSCALL ERRNO LAST PATH (the trend may be blank).
    let cols: Vec<&str> = row.split_whitespace().collect();
    let i = cols.iter().position(|c| *c == "vwatch1").unwrap();
    assert_eq!(&cols[i - 2..i], ["7", "1"], "{row}");
    assert_eq!(
        &cols[i + 1..i + 4],
        [pid.to_string().as_str(), "openat", "ENOTDIR"],
        "{row}"
    );
    assert!(row.contains("/etc/passwd/watch"), "{row}");
}

#[test]
fn story2_enomem_under_rlimit_as_with_memory_diagnosis() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(
        &["-Z", "-e", "trace=mmap,mprotect", "--", v, "rlimit-as"],
        "story2",
    );
    assert!(o.status.success(), "{o:?}\n{text}");
    assert_line(
        &text,
        "mmap(NULL, 1073741824, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)",
    );
    assert_line(
        &text,
        "mprotect(0x10000, 4096, PROT_READ) = -1 ENOMEM (Cannot allocate memory)",
    );
    let hints: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ^ ENOMEM: "))
        .collect();
    assert_eq!(hints.len(), 2, "one diagnosis per (syscall, errno): {text}");
    let mmap_hint = hints[0];
    assert!(mmap_hint.contains("vm.overcommit_memory="), "{mmap_hint}");
    assert!(mmap_hint.contains("CommitLimit"), "{mmap_hint}");
    assert!(mmap_hint.contains("RLIMIT_AS 256.0 MiB"), "{mmap_hint}");
    assert!(
        mmap_hint.contains("prlimit --pid ") && mmap_hint.contains("--as=unlimited"),
        "{mmap_hint}"
    );
    assert!(
        hints[1].contains("0x10000..0x11000 is not (wholly) mapped"),
        "{}",
        hints[1]
    );
}

#[test]
fn story3_emfile_accept_loop_shows_fd_count_and_limit() {
    let portfile = tmpfile("emfile.port");
    let _ = std::fs::remove_file(&portfile);
    let out = tmpfile("story3");
    let v = victim().to_str().unwrap().to_string();
    let pf = portfile.to_str().unwrap().to_string();
    let tracer = Command::new(TRACER)
        .args([
            "-o",
            out.to_str().unwrap(),
            "--errno",
            "EMFILE",
            "--",
            &v,
            "emfile-server",
            &pf,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let tracer = Running(Some(tracer));
    let deadline = Instant::now() + Duration::from_secs(20);
    let port: u16 = loop {
        if let Some(p) = std::fs::read_to_string(&portfile)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            break p;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    };
    let _client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let o = tracer.take().wait_with_output().unwrap();
    assert!(o.status.success(), "the server saw EMFILE 50 times: {o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_line(
        &text,
        "accept(3, NULL, NULL) = -1 EMFILE (Too many open files)",
    );
    let hint = line_where(&text, |l| l.starts_with("  ^ EMFILE: "));
    assert!(
        hint.starts_with("  ^ EMFILE: 16 fds open, soft limit 16 (hard "),
        "{hint}"
    );
    assert!(hint.contains("prlimit --pid "), "{hint}");
    // Once per key per interval, not per event.
    let accepts = text.lines().filter(|l| l.starts_with("accept(")).count();
    let hints = text.lines().filter(|l| l.starts_with("  ^ ")).count();
    assert_eq!(accepts, 50, "{text}");
    assert!(hints < 5, "{hints} hints for {accepts} failures");
}

/// A tracer serving --metrics on a free port, attached: (the tracer, the port).
fn start_metrics_tracer(args: &[&str]) -> (Running, u16) {
    let out = tmpfile(&format!("metrics-{}", args.join("_").replace('/', "_")));
    let mut child = Command::new(TRACER)
        .args(["-o", out.to_str().unwrap(), "--metrics", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let child = Running(Some(child));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut port = 0u16;
    let mut attached = false;
    let deadline = Instant::now() + Duration::from_secs(30);
    while port == 0 || !attached {
        let l = rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
        if let Some(rest) = l.strip_prefix("tracer: metrics on http://") {
            port = rest
                .split('/')
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
        attached |= l.contains("attached");
        assert!(Instant::now() < deadline, "no metrics address");
    }
    (child, port)
}

fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    r
}

#[test]
fn metrics_are_scraped_over_http() {
    let (child, port) = start_metrics_tracer(&["-a", "--errno", "ENOTDIR"]);
    let v = victim_named("vmetrics");
    for _ in 0..3 {
        Command::new(&v)
            .args(["openn", "/etc/passwd/metrics", "4"])
            .status()
            .unwrap();
    }
    // Counters are refreshed from the kernel once a second: poll until they are in.
    let want =
        "tracer_syscall_failures_total{syscall=\"openat\",errno=\"ENOTDIR\",comm=\"vmetrics\"} 12";
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut r = http_get(port, "/metrics");
    while !r.lines().any(|l| l == want) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        r = http_get(port, "/metrics");
    }
    assert!(r.starts_with("HTTP/1.1 200 OK"), "{r}");
    assert!(
        r.contains("# TYPE tracer_syscall_failures_total counter"),
        "{r}"
    );
    assert!(
        r.lines().any(|l| l == "tracer_syscall_failures_total{syscall=\"openat\",errno=\"ENOTDIR\",comm=\"vmetrics\"} 12"),
        "{r}"
    );
    assert!(
        r.lines()
            .any(|l| l.starts_with("tracer_events_lost_total ")),
        "{r}"
    );
    assert!(http_get(port, "/nope").starts_with("HTTP/1.1 404"));
    let o = interrupt(child);
    assert!(o.status.success());
}

#[test]
fn a_flood_of_failures_is_counted_exactly_and_stays_small() {
    let out = tmpfile("flood");
    let t = start_tracer(
        &[
            "-a",
            "--watch",
            "--json",
            "--interval",
            "1s",
            "--errno",
            "EBADF",
        ],
        &out,
    );
    let v = victim_named("vflood");
    let made = 1_000_000u64;
    let c = Command::new(&v)
        .args(["closebad", &made.to_string()])
        .spawn()
        .unwrap();
    let pid = c.id();
    let _ = c.wait_with_output();
    std::thread::sleep(Duration::from_millis(1500));
    let status = std::fs::read_to_string(format!("/proc/{}/status", t.id())).unwrap();
    let hwm_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    let o = interrupt(t);
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.len() < 2 << 20,
        "the watch stays readable: {} bytes",
        text.len()
    );
    assert!(hwm_kb < 64 << 10, "tracer memory bounded: {hwm_kb} kB");
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let row = last["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == pid)
        .unwrap_or_else(|| panic!("no row for {pid}: {last}"));
    assert_eq!(row["syscall"], "close");
    assert_eq!(row["errno"], "EBADF");
    assert_eq!(row["count"], made, "{row}");
    let (d, a, x) = (
        row["samples_delivered"].as_u64().unwrap(),
        row["aggregated_in_kernel"].as_u64().unwrap(),
        row["samples_dropped"].as_u64().unwrap(),
    );
    assert_eq!(
        d + a + x,
        made,
        "delivered + aggregated + dropped = made: {row}"
    );
    assert!(d < 10_000, "samples are rate-limited in the kernel: {d}");
}

#[test]
fn runs_unprivileged_with_the_documented_capabilities() {
    // deploy/ grants exactly these; the tracer must work with them as an unprivileged user.
    let dir = tmpdir("caps");
    let bin = dir.join("tracer");
    std::fs::copy(TRACER, &bin).unwrap();
    use std::os::unix::fs::PermissionsExt;
    for p in [dir.parent().unwrap(), &dir, &bin] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let caps = "-all,+bpf,+perfmon,+sys_ptrace,+dac_read_search";
    let setpriv = |caps: &str| {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(format!("--inh-caps={caps}"))
            .arg(format!("--ambient-caps={caps}"))
            .arg(format!("--bounding-set={caps}"))
            .arg(&bin);
        c
    };
    let v = victim().to_str().unwrap();
    let o = setpriv(caps)
        .args(["-e", "trace=openat", "--", v, "enoent", "/nonexistent/caps"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.lines().any(|l| l == "openat(AT_FDCWD, \"/nonexistent/caps\", O_RDONLY) = -1 ENOENT (No such file or directory)"),
        "{err}"
    );
    // Without CAP_PERFMON: one line that says what to grant.
    let o = setpriv("-all,+bpf").args(["-a"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("CAP_BPF and CAP_PERFMON"), "{err}");
}

/// The client port of the accepted connection, from the accept line.
fn client_port(text: &str) -> u16 {
    let l = line_where(text, |l| l.starts_with("accept("));
    let ret = l.rsplit(" = ").next().unwrap();
    ret.split("->127.0.0.5:")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn fds_are_annotated_and_their_origin_is_known() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(
        &[
            "-yy",
            "--fd-origin",
            "-e",
            "trace=accept,recvfrom,openat,read",
            "--",
            v,
            "tcp-pair",
        ],
        "fds",
    );
    assert!(o.status.success(), "{o:?}\n{text}");
    let port = client_port(&text);
    let recv = line_where(&text, |l| l.starts_with("recvfrom("));
    assert!(
        recv.starts_with("recvfrom(5<TCP:[127.0.0.1:")
            && recv.contains(&format!(
                "->127.0.0.5:{port}]>, \"hello\", 100, 0, NULL, NULL) = 5"
            )),
        "{recv}"
    );
    assert!(
        recv.contains(" /* fd 5: accept() at ")
            && recv.ends_with(&format!(", peer 127.0.0.5:{port} */")),
        "{recv}"
    );
    // -y on files, returned fds included, and the working directory (strace 6.1's form).
    assert!(
        text.lines().any(|l| l.starts_with("openat(AT_FDCWD</")
            && l.contains(">, \"/etc/hostname\", O_RDONLY) = 6</etc/hostname>")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("read(6</etc/hostname>, ")),
        "{text}"
    );

    // JSON carries the provenance always.
    let (json, _) = trace(
        &["--json", "-e", "trace=accept,recvfrom", "--", v, "tcp-pair"],
        "fds-json",
    );
    let line = json
        .lines()
        .find(|l| l.contains("\"name\":\"recvfrom\""))
        .unwrap_or_else(|| panic!("{json}"));
    let j: serde_json::Value = serde_json::from_str(line).unwrap();
    let fd = &j["fds"]["5"];
    assert_eq!(fd["origin"]["syscall"], "accept", "{j}");
    let peer = fd["origin"]["peer"].as_str().unwrap();
    assert!(peer.starts_with("127.0.0.5:"), "{j}");
    assert!(
        fd["name"]
            .as_str()
            .unwrap()
            .ends_with(&format!("->{peer}]")),
        "{j}"
    );
}

#[test]
fn match_prints_only_matching_calls_with_provenance_in_json() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(
        &[
            "--match",
            "hel",
            "--match-context",
            "1",
            "--",
            v,
            "tcp-pair",
        ],
        "match",
    );
    assert!(o.status.success(), "{text}");
    // The client's write and the server's recvfrom carry "hello"; nothing else is shown.
    let calls: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("  ") && !l.starts_with("+++"))
        .collect();
    assert_eq!(calls.len(), 2, "{text}");
    assert!(calls[0].starts_with("write(4, \"hello\", 5) = 5"), "{text}");
    assert!(
        calls[1].starts_with("recvfrom(5, \"hello\", 100, 0, NULL, NULL) = 5"),
        "{text}"
    );
    assert!(
        text.contains("  > matched \"hel\" at byte 0: \"hello\""),
        "{text}"
    );
    assert!(text.contains("  ^ fd 5 <TCP:[127.0.0.1:"), "{text}");

    let (json, _) = trace(
        &["--json", "--match-regex", "h.llo", "--", v, "tcp-pair"],
        "match-json",
    );
    let rec = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|j| j["name"] == "recvfrom")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(rec["match"]["pattern"], "h.llo");
    assert_eq!(rec["match"]["offset"], 0);
    assert_eq!(rec["fds"]["5"]["origin"]["syscall"], "accept");
    assert!(
        rec["fds"]["5"]["origin"]["peer"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.5:"),
        "{rec}"
    );
    // -e read=FD dumps what was read, in hex.
    let (dump, _) = trace(
        &["-e", "trace=recvfrom", "-e", "read=5", "--", v, "tcp-pair"],
        "dump",
    );
    assert!(
        dump.lines().any(|l| l.starts_with(" | 00000  68 65 6c 6c 6f") && l.ends_with("hello            |")),
        "{dump}"
    );
}

#[test]
fn sendmsg_and_recvmsg_show_their_iovecs_and_addresses() {
    let script = "import socket\na,b=socket.socketpair()\na.sendmsg([b'hello ',b'world'])\nb.recvmsg(100)\nu=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nu.bind(('127.0.0.1',0))\nv=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nv.sendto(b'dgram',u.getsockname())\nu.recvmsg(100)";
    let (text, o) = trace(
        &[
            "-e",
            "trace=sendmsg,recvmsg",
            "--match",
            "o",
            "--",
            "/usr/bin/python3",
            "-c",
            script,
        ],
        "msghdr",
    );
    assert!(o.status.success(), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hello \", iov_len=6}, {iov_base=\"world\", iov_len=5}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 11")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("recvmsg(4, {")
            && l.contains("msg_iov=[{iov_base=\"hello world\", iov_len=100}]")),
        "{text}"
    );
    // --match sees the data across iovecs ("o w" spans "hello " and "world").
    let (m, _) = trace(
        &[
            "-e",
            "trace=sendmsg",
            "--match",
            "o w",
            "--",
            "/usr/bin/python3",
            "-c",
            script,
        ],
        "msghdr-match",
    );
    assert!(m.contains("  > matched \"o w\" at byte 4"), "{m}");
}

#[test]
fn verbose_execve_times_and_durations() {
    let v = victim().to_str().unwrap();
    let (text, _) = trace(
        &["-v", "-s", "64", "-e", "trace=execve", "--", v, "exit", "0"],
        "verbose",
    );
    assert!(
        text.lines().any(|l| l.ends_with(&format!(
            "execve(\"{v}\", [\"{v}\", \"exit\", \"0\"], [\"PATH=/usr/local/bin:/usr/bin:/bin\", \"TRACER_TEST=1\"]) = 0"
        ))),
        "{text}"
    );
    // -T alone stamps its calls too.
    let (text, _) = trace(
        &["-T", "-e", "trace=getppid", "--", v, "getppid", "1"],
        "dur",
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("getppid() = ") && l.ends_with('>') && l.contains(" <0.")),
        "{text}"
    );
    let (text, _) = trace(
        &["-tt", "-T", "-e", "trace=getppid", "--", v, "getppid", "1"],
        "times",
    );
    let line = line_where(&text, |l| l.contains("getppid()"));
    // `12:34:56.123456 getppid() = 1234 <0.000003>`
    let (stamp, rest) = line.split_once(' ').unwrap();
    assert_eq!(stamp.len(), 15, "{line}");
    assert!(
        stamp.as_bytes()[2] == b':' && stamp.as_bytes()[8] == b'.',
        "{line}"
    );
    assert!(
        rest.starts_with("getppid() = ") && rest.ends_with('>') && rest.contains(" <0."),
        "{line}"
    );
}

#[test]
fn attach_with_follow_takes_in_existing_children_and_ctrl_c_prints_the_summary() {
    // A shell whose child (the loop's subshell) exists before the tracer attaches.
    let mut sh = Command::new("sh")
        .args([
            "-c",
            "(while :; do read x < /etc/hostname; sleep 0.05; done) & wait",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let out = tmpfile("attach-f");
    let pid = sh.id().to_string();
    let t = start_tracer(&["-f", "-p", &pid, "-C", "-e", "trace=openat"], &out);
    std::thread::sleep(Duration::from_millis(600));
    let o = interrupt(t);
    let _ = Command::new("pkill").args(["-P", &pid]).status();
    let _ = sh.kill();
    let _ = sh.wait();
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    // The subshell, a descendant that existed at attach, is traced (strace -f -o: every line
    // starts with the pid).
    assert!(
        text.lines()
            .any(|l| pid_prefixed(l)
                && l.ends_with("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3")),
        "{text}"
    );
    // Ctrl-C flushed the trace and printed -C's summary.
    assert!(
        text.contains("% time     seconds  usecs/call     calls    errors syscall"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.ends_with(" openat")), "{text}");
}

#[test]
fn sendmmsg_and_recvmmsg_carry_every_message() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(&["-e", "trace=sendmmsg,recvmmsg", "--", v, "mmsg"], "mmsg");
    assert!(o.status.success(), "{text}");
    let send = line_where(&text, |l| l.starts_with("sendmmsg("));
    for (w, n) in [("one", 3), ("two", 3), ("three", 5)] {
        assert!(send.contains(&format!("iov_base=\"{w}\"")), "{send}");
        assert!(send.contains(&format!("msg_len={n}}}")), "{send}");
    }
    assert!(send.ends_with("], 3, 0) = 3"), "{send}");
    // The third message's data is matched, though it is not the first message's.
    let (m, _) = trace(&["--match", "three", "--", v, "mmsg"], "mmsg-match");
    assert!(m.lines().any(|l| l.starts_with("recvmmsg(")), "{m}");
    assert!(
        m.contains("  > matched \"three\" at byte 6: \"onetwothree\""),
        "{m}"
    );
}

/// Runs victim's later-getppid (MADE calls, then ten more) under `tracer ARGS -p PID -e
/// trace=getppid --buffer-size 1`, the tracer stopped (SIGSTOP) while the MADE calls are
/// made, so that records are dropped; returns the tracer's status and stderr (in `errf`).
fn flood_while_stopped(
    made: u64,
    args: &[&str],
    errf: &Path,
) -> (std::process::ExitStatus, String) {
    use std::io::Write;
    // Pinned to one CPU: losses are counted per CPU and marked at that CPU's next record.
    let mut prog = Command::new("taskset")
        .args(["-c", "0"])
        .arg(victim())
        .args(["later-getppid", &made.to_string()])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = prog.id().to_string();
    let t = Command::new(TRACER)
        .args(args)
        .args(["-p", &pid, "-e", "trace=getppid", "--buffer-size", "1"])
        .stderr(std::fs::File::create(errf).unwrap())
        .spawn()
        .unwrap();
    let t = Running(Some(t));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(errf)
        .unwrap_or_default()
        .contains("attached")
    {
        assert!(Instant::now() < deadline, "tracer did not attach");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(t.id() as i32, libc::SIGSTOP) };
    let mut stdin = prog.stdin.take().unwrap();
    stdin.write_all(b"x").unwrap();
    // Let the calls happen while the tracer cannot read (the ring buffer overflows).
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: as above.
    unsafe { libc::kill(t.id() as i32, libc::SIGCONT) };
    // Once it has caught up, ten more calls: the first record after the gap marks it.
    std::thread::sleep(Duration::from_millis(500));
    stdin.write_all(b"y").unwrap();
    drop(stdin);
    assert!(prog.wait().unwrap().success());
    // The traced process is gone: the tracer ends by itself once it has read everything.
    let status = t.take().wait().unwrap();
    (status, std::fs::read_to_string(errf).unwrap_or_default())
}

#[test]
fn dropped_records_are_marked_and_counted_exactly() {
    // The traced program waits on stdin; the tracer is stopped (SIGSTOP) while it makes
    // 200000 calls into a 1 MiB ring buffer, so records must be dropped.
    let made = 200_000u64;
    let out = tmpfile("drops");
    let errf = tmpfile("drops.err");
    let (status, err) = flood_while_stopped(made, &["-o", out.to_str().unwrap()], &errf);
    assert!(status.success(), "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let seen = text.lines().filter(|l| l.starts_with("getppid()")).count() as u64;
    let marked: u64 = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("<... ")?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum();
    let reported: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("tracer: ")?.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no lost count in stderr: {err}"));
    let made = made + 10;
    assert!(reported > 0 && seen < made, "seen {seen}, lost {reported}");
    // The records were the calls and the exit: each is shown or counted as lost.
    let exit_shown = text.lines().any(|l| l.starts_with("+++ exited with 0"));
    assert_eq!(
        seen + u64::from(exit_shown) + reported,
        made + 1,
        "every record is shown or counted as lost"
    );
    assert!(
        marked > 0 && marked <= reported,
        "gap markers in the trace: {marked}"
    );
}

#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::io::BufRead;
    let errf = tmpfile("pipe.err");
    let mut t = Command::new(TRACER)
        .args([
            "-o",
            "/dev/stdout",
            "-a",
            "-e",
            "trace=openat",
            "--errno",
            "ENOENT",
        ])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&errf).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&errf)
        .unwrap_or_default()
        .contains("attached")
    {
        assert!(Instant::now() < deadline, "tracer did not attach");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut lines = std::io::BufReader::new(t.stdout.take().unwrap()).lines();
    Command::new(victim())
        .args(["enoent", "/nonexistent/pipe"])
        .status()
        .unwrap();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("ENOENT"), "{first}");
    drop(lines); // like `| head -1`
    let mut status = None;
    for _ in 0..100 {
        Command::new(victim())
            .args(["enoent", "/nonexistent/pipe"])
            .status()
            .unwrap();
        if let Some(s) = t.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = status.unwrap_or_else(|| {
        let _ = t.kill();
        panic!("the tracer kept running after its output pipe closed")
    });
    let err = std::fs::read_to_string(&errf).unwrap();
    assert!(status.success(), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}

/// Runs strace on the same program, for lines that must be the same.
fn strace_lines(args: &[&str]) -> String {
    let o = Command::new("strace")
        .args(args)
        .output()
        .expect("strace (cargo xtask test installs it)");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// strace's line with its result column padding removed (`close(3)      = 0`).
fn unpadded(line: &str) -> String {
    match line.split_once(") ") {
        Some((call, rest)) if rest.trim_start().starts_with("= ") => {
            format!("{call}) {}", rest.trim_start())
        }
        _ => line.to_string(),
    }
}

#[test]
fn anonymous_fds_are_named_as_the_kernel_names_them() {
    // The eventfd and the pidfd are closed right after they are made: -y must name them from
    // what the creating call is, not from /proc (gone by then), and the creating calls must
    // be sent though only read, write and close are traced.
    let v = victim().to_str().unwrap();
    let (text, o) = trace(
        &["-y", "-e", "trace=read,write,close", "--", v, "anon-fds"],
        "anon-fds",
    );
    assert!(o.status.success(), "{o:?}");
    let want = [
        "write(3<anon_inode:[eventfd]>, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8",
        "read(3<anon_inode:[eventfd]>, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8",
        "close(4<anon_inode:[pidfd]>) = 0",
        "close(3<anon_inode:[eventfd]>) = 0",
    ];
    for w in want {
        assert_line(&text, w);
    }
    // strace prints the same lines for the same program.
    let s = strace_lines(&["-y", "-e", "trace=read,write,close", v, "anon-fds"]);
    let s: Vec<String> = s.lines().map(unpadded).collect();
    for w in want {
        assert!(s.iter().any(|l| l == w), "strace differs on {w}:\n{s:?}");
    }
}

#[test]
fn exit_group_of_an_i386_call_is_decoded_with_the_i386_table() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(&["-e", "trace=exit_group", "--", v, "compat-exit"], "cexit");
    assert_eq!(o.status.code(), Some(7), "{o:?}");
    assert_eq!(text, "exit_group(7) = ?\n+++ exited with 7 +++\n");
    let (json, _) = trace(
        &["--json", "-e", "trace=exit_group", "--", v, "compat-exit"],
        "cexit-json",
    );
    let j: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(j["name"], "exit_group");
    assert_eq!(j["abi"], "i386");
    assert_eq!(j["nr"], 252);
}

#[test]
fn execs_show_the_argv_and_environment_their_caller_passed_as_strace_does() {
    // A PATH search (execvp tries each directory: failures whose argv is still only in the
    // caller's memory) ending in a script (whose argv the kernel rewrites for its
    // interpreter), with an argv longer than -s. Both tools, the same command; the envp
    // pointers differ from run to run.
    use std::os::unix::fs::PermissionsExt;
    let dir = tmpdir("exec-argv-dir");
    let script = dir.join("greet");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("PATH=/nonexistent-dir:{}", dir.display());
    let long: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
    let mut cmd: Vec<&str> = vec![
        "-f",
        "-e",
        "trace=execve",
        "env",
        &path,
        "greet",
        "one",
        "two",
    ];
    cmd.extend(long.iter().map(String::as_str));
    let (text, o) = trace(&cmd, "exec-argv");
    assert!(o.status.success(), "{o:?}");
    let (want, st) = strace_run(&cmd, "exec-argv");
    assert!(st.success());
    let execs = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.contains("execve("))
            .map(|l| without_envp(&unpadded(l)))
            .map(|l| {
                // Without the pid (strace pads it to 5 columns).
                l.split_once(' ')
                    .map_or(l.clone(), |(_, rest)| rest.trim_start().to_string())
            })
            .collect()
    };
    let (ours, theirs) = (execs(&text), execs(&want));
    assert_eq!(ours.len(), 3, "{text}");
    assert_eq!(ours, theirs, "tracer:\n{text}\nstrace:\n{want}");
    // The failed one kept its argv; the script's is the one passed, not `/bin/sh greet ...`.
    assert!(
        ours[1].starts_with("execve(\"/nonexistent-dir/greet\", [\"greet\", \"one\""),
        "{text}"
    );
    assert!(
        ours[1].contains(", ...], /* "),
        "more than -s elements: {text}"
    );
    assert!(
        ours[2].ends_with(") = 0") && ours[2].contains("[\"greet\", \"one\""),
        "{text}"
    );
    // A full trace has no entry hook (it would tax every syscall of the host): a failed
    // exec's argv is read at its exit, where the caller's memory still holds it.
    let mut full: Vec<&str> = vec!["-f", "env", &path, "greet", "one", "two"];
    full.extend(long.iter().map(String::as_str));
    let (text, o) = trace(&full, "exec-argv-full");
    assert!(o.status.success(), "{o:?}");
    let ours = execs(&text);
    assert_eq!(ours.len(), 3, "{text}");
    assert_eq!(ours[1], theirs[1], "tracer:\n{text}\nstrace:\n{want}");
}

#[test]
fn execveat_shows_its_dirfd_path_and_flags() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(&["-e", "trace=execveat", "--", v, "execveat-fd"], "xat-fd");
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        without_envp(&text),
        "execveat(3, \"\", [\"true\"], /* 1 var */, AT_EMPTY_PATH) = 0\n+++ exited with 0 +++\n"
    );
    let (text, _) = trace(
        &["-y", "-e", "trace=execveat", "--", v, "execveat-dir"],
        "xat-dir",
    );
    assert_eq!(
        without_envp(&text),
        "execveat(3</bin>, \"true\", [\"true\", \"x\"], /* 2 vars */, 0) = 0\n+++ exited with 0 +++\n"
    );
    // With AT_FDCWD and an absolute path the exit alone cannot tell it from an execve; the
    // entry can, and keeps its flags.
    let (text, _) = trace(
        &["-y", "-e", "trace=execveat", "--", v, "execveat-cwd"],
        "xat-cwd",
    );
    assert_eq!(
        without_envp(&text),
        format!(
            "execveat(AT_FDCWD<{}>, \"/bin/true\", [\"true\", \"y\"], /* 1 var */, AT_SYMLINK_NOFOLLOW) = 0\n+++ exited with 0 +++\n",
            std::env::current_dir().unwrap().display()
        )
    );
    // A successful execveat returns with execve's number: it is not an execve.
    let (text, _) = trace(&["-e", "trace=execve", "--", v, "execveat-dir"], "xat-ve");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("execve(")).count(),
        1,
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("execveat(")), "{text}");
}

#[test]
fn the_command_runs_as_it_would_alone() {
    // The tracer's runtime ignores SIGPIPE; the command must not inherit that: `yes | head -1`
    // ends quietly, as it does alone.
    let (_, o) = trace(&["--", "sh", "-c", "yes | head -1"], "sigpipe");
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("Broken pipe"), "{err}");
    // Ignored and blocked signals, and the open fds, are those it would have alone.
    let script = "grep -E '^Sig(Ign|Blk)' /proc/self/status; ls /proc/self/fd";
    let alone = Command::new("sh").args(["-c", script]).output().unwrap();
    let traced = Command::new(TRACER)
        .args(["-o", "/dev/null", "--", "sh", "-c", script])
        .output()
        .unwrap();
    assert!(traced.status.success(), "{traced:?}");
    assert_eq!(
        String::from_utf8_lossy(&traced.stdout),
        String::from_utf8_lossy(&alone.stdout)
    );
    // The environment is the caller's, unchanged.
    let alone = Command::new("env").output().unwrap();
    let traced = Command::new(TRACER)
        .args(["-o", "/dev/null", "env"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&traced.stdout),
        String::from_utf8_lossy(&alone.stdout)
    );
    // Killed by a signal: the tracer is too (a shell sees what it would see alone).
    use std::os::unix::process::ExitStatusExt;
    let o = Command::new(TRACER)
        .args(["-o", "/dev/null", "sh", "-c", "kill -USR1 $$"])
        .output()
        .unwrap();
    assert_eq!(o.status.signal(), Some(libc::SIGUSR1), "{o:?}");
}

#[test]
fn signal_lines_are_strace_s_and_the_tracer_dies_of_the_command_s_signal() {
    let v = victim().to_str().unwrap();
    let (text, o) = trace(&["-e", "trace=kill,wait4", v, "signals", "1"], "signals");
    // The command died of SIGSEGV: so does the tracer, as strace does.
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(o.status.signal(), Some(libc::SIGSEGV), "{o:?}");
    let (strace, s) = strace_run(&["-e", "trace=kill,wait4", v, "signals", "1"], "signals");
    assert_eq!(s.signal(), Some(libc::SIGSEGV));
    // Pids differ between the runs; the lines must not otherwise. Their order may: the
    // child's SIGCHLD comes before or after the parent's wait4 returns depending on whether
    // the child exits before the parent waits (strace's stops slow the parent down), so the
    // lines are compared as sets, and the orders that do not depend on timing are checked.
    let norm = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = t
            .lines()
            .map(|l| {
                let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
                // CPU times are timing: `si_stime=N /* N.N s */` only when a tick was charged.
                digits_as_n(&l).replace(" /* N.N s */", "")
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        norm(&text),
        norm(&strace),
        "tracer:\n{text}\nstrace:\n{strace}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("kill(") && lines[1].starts_with("--- SIGUSR1 "),
        "{text}"
    );
    assert!(lines[lines.len() - 2].starts_with("--- SIGSEGV "), "{text}");
    assert!(
        text.contains("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid="),
        "{text}"
    );
    assert!(text.contains(", si_status=3, si_utime="), "{text}");
    // -e signal= selects; JSON carries the signal as its own type.
    let (text, _) = trace(
        &[
            "-e",
            "trace=none",
            "-e",
            "signal=SIGCHLD",
            v,
            "signals",
            "0",
        ],
        "sigset",
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("--- SIGCHLD {"), "{text}");
    let (json, _) = trace(
        &["--json", "-e", "trace=none", v, "signals", "0"],
        "sigjson",
    );
    let sigs = json_objects(&json, "signal");
    assert_eq!(sigs.len(), 2, "{json}");
    assert_eq!(sigs[0]["signal"], "SIGUSR1");
    assert_eq!(sigs[0]["action"], "handler");
    assert_eq!(sigs[1]["signal"], "SIGCHLD");
    assert_eq!(sigs[1]["action"], "ignored");
    // -Y: pids with their command names, where strace puts them.
    let (text, _) = trace(
        &["-Y", "-e", "trace=getpid,kill", v, "signals", "0"],
        "sigcomm",
    );
    let (strace, _) = strace_run(
        &["-Y", "-e", "trace=getpid,kill", v, "signals", "0"],
        "sigcomm",
    );
    // strace names the SIGCHLD's child only if it reads /proc before the parent reaps it (a
    // race it loses now and then); the tracer has the name from the kernel, always.
    let unnamed = |t: &str| {
        t.replace(
            "si_pid=N<victim>, si_uid=N, si_status",
            "si_pid=N, si_uid=N, si_status",
        )
    };
    assert_eq!(
        norm(&text).iter().map(|l| unnamed(l)).collect::<Vec<_>>(),
        norm(&strace).iter().map(|l| unnamed(l)).collect::<Vec<_>>(),
        "tracer:\n{text}\nstrace:\n{strace}"
    );
    assert!(text.contains("<victim>, SIGUSR1)"), "{text}");
    assert!(
        text.contains("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid="),
        "{text}"
    );
    assert!(text.contains("<victim>, si_uid=0, si_status=3"), "{text}");
    // --decode-pids=pidns: in a PID namespace (a container's), pids also as the tracer sees
    // them.
    let (text, o) = trace(
        &[
            "-f",
            "--decode-pids=pidns",
            "-e",
            "trace=getpid,kill",
            "unshare",
            "--pid",
            "--fork",
            "sh",
            "-c",
            "sleep 0.5 & kill -0 $!; wait",
        ],
        "pidns",
    );
    assert!(o.status.success(), "{o:?}");
    let here = |line: &str, inner: &str| -> u32 {
        let rest = line
            .split_once(&format!("{inner} /* "))
            .unwrap_or_else(|| panic!("{line}"))
            .1;
        rest.split_once(" in tracer's PID NS */")
            .unwrap_or_else(|| panic!("{line}"))
            .0
            .parse()
            .unwrap()
    };
    let getpid = line_where(&text, |l| l.contains("getpid()") && l.contains("= 1 /* "));
    // The namespace's pid 1 is the line's own process.
    let own: u32 = getpid.split_once("[pid ").map_or(0, |(_, r)| {
        r.split(']').next().unwrap().trim().parse().unwrap()
    });
    let h = here(getpid, "= 1");
    assert!(h > 1 && (own == 0 || own == h), "{getpid}");
    let kill = line_where(&text, |l| l.contains("kill(2 /* "));
    assert!(here(kill, "kill(2") > h, "{kill}");
    // A bad signal name is a usage error.
    let o = Command::new(TRACER)
        .args(["-e", "signal=SIGNOPE", "true"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("SIGNOPE"), "{err}");
}

#[test]
fn results_are_aligned_as_strace_aligns_them() {
    // The same program under both: byte-identical lines, padding included (strace pads the
    // text before `= ` to column 40; -i/-t push it past). --columns sets the column.
    let run = |flags: &[&str], name: &str| {
        let out = tmpfile(name);
        let o = Command::new(TRACER)
            .args(flags)
            .arg("-o")
            .arg(&out)
            .args(["cat", "/etc/hostname"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        let st = tmpfile(&format!("{name}-strace"));
        let s = Command::new("strace")
            .args(flags)
            .arg("-o")
            .arg(&st)
            .args(["cat", "/etc/hostname"])
            .output()
            .unwrap();
        assert!(s.status.success(), "{s:?}");
        (
            std::fs::read_to_string(&out).unwrap(),
            std::fs::read_to_string(&st).unwrap(),
        )
    };
    for (flags, name) in [
        (&["-e", "trace=read,close,exit_group"][..], "align"),
        (&["-e", "trace=read,close", "-a", "20"][..], "align20"),
        (&["-e", "trace=close", "-n"][..], "alignn"),
    ] {
        let (ours, theirs) = run(flags, name);
        assert_eq!(ours, theirs, "{flags:?}");
    }
    let (ours, _) = run(&["-e", "trace=close"], "align-check");
    assert!(
        ours.lines().any(|l| l == format!("{:<40}= 0", "close(3)")),
        "{ours}"
    );
}

#[test]
fn const_styles_raw_and_verbose_sets_print_as_strace() {
    // Addresses differ from run to run; everything else must be strace's.
    let addrs = |t: &str| -> String {
        let mut out = String::new();
        let mut rest = t;
        while let Some(i) = rest.find("0x") {
            out.push_str(&rest[..i]);
            let hex = rest[i + 2..]
                .find(|c: char| !c.is_ascii_hexdigit())
                .unwrap_or(rest.len() - i - 2);
            out.push_str(if hex >= 6 {
                "0xADDR"
            } else {
                &rest[i..i + 2 + hex]
            });
            rest = &rest[i + 2 + hex..];
        }
        out.push_str(rest);
        out
    };
    for flags in [
        &["-X", "raw", "-e", "trace=openat,mmap,close,read"][..],
        &["-X", "verbose", "-e", "trace=openat,mmap,close,read"][..],
        &["-e", "raw=openat,close", "-e", "trace=openat,close"][..],
        &["-e", "verbose=none", "-e", "trace=newfstatat,close"][..],
    ] {
        let out = tmpfile("xstyle");
        Command::new(TRACER)
            .args(flags)
            .arg("-o")
            .arg(&out)
            .args(["cat", "/etc/hostname"])
            .output()
            .unwrap();
        let st = tmpfile("xstyle-strace");
        Command::new("strace")
            .args(flags)
            .arg("-o")
            .arg(&st)
            .args(["cat", "/etc/hostname"])
            .output()
            .unwrap();
        let ours = addrs(&std::fs::read_to_string(&out).unwrap());
        let theirs = addrs(&std::fs::read_to_string(&st).unwrap());
        assert_eq!(ours, theirs, "{flags:?}");
    }
}

#[test]
fn a_call_in_progress_at_detach_is_shown_unfinished() {
    // sleep blocks in clock_nanosleep from before the attach to after the detach: no record
    // of it ever reaches the tracer, yet the user sees where it sits.
    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let out = tmpfile("unfinished");
    let t = start_tracer(&["-p", &sleeper.id().to_string()], &out);
    std::thread::sleep(Duration::from_millis(300));
    let o = interrupt(t);
    sleeper.kill().ok();
    sleeper.wait().ok();
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    let line = line_where(&text, |l| {
        l.starts_with("clock_nanosleep(CLOCK_REALTIME, 0, 0x")
    });
    assert!(line.ends_with(" <unfinished ...>"), "{line}");
}

#[test]
fn stack_traces_name_the_functions_strace_names() {
    let prog = compile("stack", &["-O1", "-g", "-fno-omit-frame-pointer"]);
    let prog = prog.to_str().unwrap();
    let (text, o) = trace(&["-k", "-e", "trace=write", prog], "stack-out");
    assert!(o.status.success(), "{o:?}");
    let frames: Vec<&str> = text.lines().filter(|l| l.starts_with(" > ")).collect();
    let (strace, _) = strace_run(&["-k", "-e", "trace=write", prog], "stack-out");
    let theirs: Vec<&str> = strace.lines().filter(|l| l.starts_with(" > ")).collect();
    // The frames down to main are strace's, byte for byte (libc's startup code below main
    // keeps no frame pointers: the walk ends there).
    assert!(frames.len() >= 4, "{text}");
    assert_eq!(
        frames[..4],
        theirs[..4],
        "tracer:\n{text}\nstrace:\n{strace}"
    );
    assert!(frames[1].contains("(inner_writer+0x"), "{text}");
    assert!(frames[2].contains("(middle_caller+0x"), "{text}");
    // -kk: the source line; JSON: the frames as a list.
    let (text, _) = trace(&["-kk", "-e", "trace=write", prog], "stack2");
    assert!(
        text.lines()
            .any(|l| l.contains("(middle_caller+0x") && l.contains("stack.c:")),
        "{text}"
    );
    let (json, _) = trace(&["-k", "--json", "-e", "trace=write", prog], "stack3");
    let j: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert!(
        j["stack"][2]
            .as_str()
            .unwrap()
            .contains("(middle_caller+0x"),
        "{json}"
    );
}

#[test]
fn trace_path_selects_the_calls_strace_selects() {
    let dir = tmpdir("ppath");
    let f = dir.join("data");
    std::fs::write(&f, "x\n").unwrap();
    let f = f.to_str().unwrap();
    // By path, by fd (read, fstat, close through the fd table), not other files.
    let (text, _) = trace(&["-P", f, "cat", f, "/etc/hostname"], "ppath-out");
    let (strace, _) = strace_run(&["-P", f, "cat", f, "/etc/hostname"], "ppath");
    let norm = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(
        norm(&text),
        norm(&strace),
        "tracer:\n{text}\nstrace:\n{strace}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("read(3, \"x\\n\", ")),
        "{text}"
    );
}

#[test]
fn user_detach_on_execve_and_syscall_limit() {
    // -u: the command runs with the user's ids (nobody: 65534 on Debian).
    let o = Command::new(TRACER)
        .args(["-o", "/dev/null", "-u", "nobody", "id", "-u"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "65534");
    let o = Command::new(TRACER)
        .args(["-u", "no-such-user-here", "true"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no-such-user-here") && err.lines().count() == 1,
        "{err}"
    );

    // -b execve: the child that execs is let go; its line ends as strace's does.
    let script = "/bin/true; /bin/echo x >/dev/null";
    let args = [
        "-f",
        "-b",
        "execve",
        "-e",
        "trace=execve,exit_group",
        "sh",
        "-c",
        script,
    ];
    let (text, o) = trace(&args, "detach");
    assert!(o.status.success(), "{o:?}");
    let text = without_envp(&text);
    let detached: Vec<&str> = text
        .lines()
        .filter(|l| l.ends_with(" <detached ...>"))
        .collect();
    assert_eq!(detached.len(), 2, "{text}");
    assert!(
        detached[0].contains("execve(\"/bin/true\", [\"/bin/true\"], /* "),
        "{text}"
    );
    // Nothing of the detached programs follows: only the shell's end.
    assert_eq!(
        text.lines().filter(|l| l.contains("exit_group(")).count(),
        1,
        "{text}"
    );
    let (strace, _) = strace_run(&args, "detach");
    assert_eq!(
        strace
            .lines()
            .filter(|l| l.contains("<detached ...>"))
            .count(),
        2,
        "{strace}"
    );

    // --syscall-limit: three lines, then the command runs on and its status is passed on.
    let (text, o) = trace(
        &["--syscall-limit", "3", "sh", "-c", "sleep 0.2; exit 4"],
        "limit",
    );
    assert_eq!(o.status.code(), Some(4), "{o:?}");
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with("execve(\"/usr/bin/sh\""), "{text}");
}

#[test]
fn the_command_line_is_stracelike_without_a_double_dash() {
    // Options end at the first word that is not one; what follows is the command's, dashes
    // included; `--` works as well.
    let v = victim().to_str().unwrap();
    let (plain, o) = trace(&["-e", "trace=execve", v, "exit", "-3"], "nodash");
    assert_eq!(o.status.code(), Some(253), "{o:?}");
    let (dashed, _) = trace(&["-e", "trace=execve", "--", v, "exit", "-3"], "dash");
    let want = format!("execve(\"{v}\", [\"{v}\", \"exit\", \"-3\"], /* 2 vars */) = 0");
    assert_line(&without_envp(&plain), &want);
    assert_line(&without_envp(&dashed), &want);
}

#[test]
fn numbers_quiet_environment_and_append_as_strace_has_them() {
    let v = victim().to_str().unwrap();
    // -n: the syscall number before each line, the same lines as strace's.
    let (text, _) = trace(&["-n", "-e", "trace=close", v, "closebad", "2"], "numbers");
    let want = "[   3] close(-1) = -1 EBADF (Bad file descriptor)";
    assert_eq!(text.lines().filter(|l| *l == want).count(), 2, "{text}");
    assert_line(&text, "[ 231] +++ exited with 0 +++");
    let s = strace_lines(&["-n", "-e", "trace=close", v, "closebad", "2"]);
    assert!(s.lines().map(unpadded).any(|l| l == want), "{s}");
    // -qq: no exit status line.
    let (text, _) = trace(&["-qq", "-e", "trace=exit_group", v, "exit", "3"], "qq");
    assert_eq!(text, "exit_group(3) = ?\n");
    // -E VAR=VAL sets, -E VAR removes (the tests run the tracer with TRACER_TEST=1).
    let (_, o) = trace(
        &[
            "-E",
            "FOO=bar",
            "-E",
            "TRACER_TEST",
            "-e",
            "trace=none",
            "sh",
            "-c",
            "echo \"$FOO:${TRACER_TEST:-unset}\"",
        ],
        "env",
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "bar:unset\n");
    // -A appends to the -o file.
    trace(&["-e", "trace=exit_group", v, "exit", "1"], "append");
    let (text, _) = trace(&["-A", "-e", "trace=exit_group", v, "exit", "2"], "append");
    assert_eq!(
        text,
        "exit_group(1) = ?\n+++ exited with 1 +++\nexit_group(2) = ?\n+++ exited with 2 +++\n"
    );
}

#[test]
fn ff_writes_each_task_to_its_own_file() {
    let dir = tmpdir("ff");
    let base = dir.join("t");
    let o = Command::new(TRACER)
        .arg("-ff")
        .arg("-o")
        .arg(&base)
        .args(["-e", "trace=execve,exit_group"])
        .args(["sh", "-c", "/bin/true; /bin/echo x"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // One file per process, named FILE.PID, as strace -ff names them; no FILE itself.
    assert_eq!(files.len(), 3, "{files:?}");
    let mut programs = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        let pid = name.strip_prefix("t.").unwrap();
        assert!(pid.parse::<u32>().is_ok(), "{name}");
        let text = unpad(&std::fs::read_to_string(f).unwrap());
        // The shell's file also has its children's SIGCHLD lines, as strace's has.
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("--- SIGCHLD {"))
            .collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("execve(\""), "{text}");
        assert_eq!(&lines[1..], ["exit_group(0) = ?", "+++ exited with 0 +++"]);
        programs.push(lines[0].split('"').nth(1).unwrap().to_string());
    }
    programs.sort();
    assert_eq!(programs, ["/bin/echo", "/bin/true", "/usr/bin/sh"]);

    // The same file set as strace -ff -qq writes, file by file (matched by the program each
    // runs), lines equal but for pids and the envp pointer strace still has at exit.
    let files_of = |base: &Path, args: &[&str], cmd: &str| -> Vec<String> {
        let o = Command::new(cmd)
            .args(["-ff", "-qq", "-e", "trace=execve,exit_group,wait4", "-o"])
            .arg(base)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{cmd}: {o:?}");
        let dir = base.parent().unwrap();
        let prefix = format!("{}.", base.file_name().unwrap().to_str().unwrap());
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&prefix)
            })
            .map(|p| {
                let t = std::fs::read_to_string(p).unwrap();
                // A child's SIGCHLD and its parent's wait4 may come in either order (timing).
                let mut lines: Vec<String> = t
                    .lines()
                    .map(|l| {
                        let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
                        // The envp pointer, `, 0x7ffd... /* 5 vars */`: ASLR moves it.
                        let l = match (l.find(", 0x"), l.find(" /* ")) {
                            (Some(a), Some(b)) if a < b => format!("{}, {}", &l[..a], &l[b + 1..]),
                            _ => l,
                        };
                        let l = addresses_and_digits(&l);
                        // CPU times are timing: `si_stime=N /* N.N s */` when a tick was
                        // charged, `si_stime=N` when none was.
                        l.replace(" /* N.N s */", "")
                    })
                    .collect();
                lines.sort();
                lines.join("\n")
            })
            .collect();
        texts.sort();
        texts
    };
    let script = ["sh", "-c", "/bin/true; /bin/echo x >/dev/null"];
    let ours = files_of(&dir.join("q"), &script, TRACER);
    let theirs = files_of(&dir.join("s"), &script, "strace");
    assert_eq!(ours.len(), 3);
    assert_eq!(ours, theirs);
}

/// Runs the tracer to completion with `args`; returns its stderr (asserting success).
fn tracer_ok(args: &[&str]) -> String {
    let o = Command::new(TRACER)
        .args(args)
        .output()
        .expect("run tracer");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "tracer {args:?}: {err}");
    err
}

/// Asserts that a replay printed what the live run printed, naming the first difference.
fn assert_same(live: &str, replay: &str, what: &str) {
    if live != replay {
        let first = live
            .lines()
            .zip(replay.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(live.lines().count().min(replay.lines().count()));
        panic!(
            "{what}: the replay differs from the live run at line {} ({} lines live, {} replayed):\n live:   {:?}\n replay: {:?}",
            first + 1,
            live.lines().count(),
            replay.lines().count(),
            live.lines().nth(first),
            replay.lines().nth(first)
        );
    }
}

fn read_text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn capture_replay_prints_what_the_live_run_printed() {
    // A shell, a TCP pair whose accept(fd, NULL, NULL) leaves the client to /proc (a fact
    // in the capture), an fd opened before the attach (the shell's stdin, seeded).
    let dir = tmpdir("capture-replay");
    let v = victim().display().to_string();
    let script = format!("{v} tcp-pair; cat /etc/hostname >/dev/null");
    for flags in [
        &["-yy", "--fd-origin"][..],
        &["--json"][..],
        &["-tt", "-T"][..],
    ] {
        let cap = dir.join("live.trc");
        let live = dir.join("live.out");
        let replay = dir.join("replay.out");
        let mut args = vec![
            "--write",
            cap.to_str().unwrap(),
            "-o",
            live.to_str().unwrap(),
            "-f",
        ];
        args.extend_from_slice(flags);
        args.extend(["sh", "-c", &script]);
        let err = tracer_ok(&args);
        assert!(err.contains("records written to"), "{err}");
        let mut args = vec![
            "--read",
            cap.to_str().unwrap(),
            "-o",
            replay.to_str().unwrap(),
        ];
        args.extend_from_slice(flags);
        tracer_ok(&args);
        let (l, r) = (read_text(&live), read_text(&replay));
        assert!(l.lines().count() > 100, "{l}");
        if flags.contains(&"-yy") {
            // The accepted socket's endpoints came from /proc during the live run.
            assert!(l.contains("TCP:[127.0.0.1:"), "{l}");
        }
        assert_same(&l, &r, &format!("{flags:?}"));
    }
    // Filters apply when decoding: -e trace=, -Z and -p select the live run's lines.
    let cap = dir.join("all.trc");
    let live = dir.join("all.out");
    tracer_ok(&[
        "--write",
        cap.to_str().unwrap(),
        "-o",
        live.to_str().unwrap(),
        "-f",
        "-yy",
        "sh",
        "-c",
        &script,
    ]);
    let live = read_text(&live);
    let pid_of = |l: &str| l.split_whitespace().next().unwrap_or_default().to_string();
    let victim_pid = live
        .lines()
        .find(|l| l.contains("tcp-pair"))
        .map(pid_of)
        .expect("the victim's execve");
    type Keep<'a> = Box<dyn Fn(&str) -> bool + 'a>;
    let cases: [(&[&str], Keep); 3] = [
        (
            &["-e", "trace=accept,recvfrom"],
            Box::new(|l: &str| l.contains(" accept(") || l.contains(" recvfrom(")),
        ),
        (&["-Z"], Box::new(|l: &str| l.contains(" = -1 E"))),
        (
            &["-p", &victim_pid],
            Box::new(|l: &str| pid_of(l) == victim_pid),
        ),
    ];
    for (flags, keep) in cases {
        let out = dir.join("filtered.out");
        let mut args = vec![
            "--read",
            cap.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-yy",
        ];
        args.extend_from_slice(flags);
        tracer_ok(&args);
        let want: Vec<&str> = live
            .lines()
            .filter(|l| keep(l) && !l.contains("+++") && !l.contains("---"))
            .collect();
        let got = read_text(&out);
        let got: Vec<&str> = got
            .lines()
            .filter(|l| !l.contains("+++") && !l.contains("---"))
            .collect();
        assert!(!want.is_empty(), "{flags:?}");
        assert_same(&want.join("\n"), &got.join("\n"), &format!("{flags:?}"));
    }
    // --match on the capture's data: the read with "hello", traced back to its accept.
    let out = dir.join("match.out");
    tracer_ok(&[
        "--read",
        cap.to_str().unwrap(),
        "--match",
        "hello",
        "-o",
        out.to_str().unwrap(),
    ]);
    let m = read_text(&out);
    assert!(m.contains("recvfrom(5") && m.contains("\"hello\""), "{m}");
    assert!(m.contains("accept"), "the fd's origin: {m}");
}

#[test]
fn capture_keeps_the_gap_markers_where_records_were_lost() {
    // As dropped_records_are_marked_and_counted_exactly: the tracer stopped while the ring
    // buffer overflows; the capture must hold the loss where the live trace showed it.
    let dir = tmpdir("capture-gaps");
    let (cap, live, replay, errf) = (
        dir.join("g.trc"),
        dir.join("live.txt"),
        dir.join("replay.txt"),
        dir.join("err.txt"),
    );
    let (status, err) = flood_while_stopped(
        200_000,
        &[
            "--write",
            cap.to_str().unwrap(),
            "-o",
            live.to_str().unwrap(),
        ],
        &errf,
    );
    assert!(status.success(), "{err}");
    let o = Command::new(TRACER)
        .args([
            "--read",
            cap.to_str().unwrap(),
            "-o",
            replay.to_str().unwrap(),
        ])
        .args(["-e", "trace=getppid"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let (l, r) = (read_text(&live), read_text(&replay));
    assert!(
        l.lines().any(|l| l.starts_with("<... ")),
        "no gap in the live trace"
    );
    assert_same(&l, &r, "gap markers at the same places");
    // Both runs report the same number of lost records.
    let lost = |s: &str| {
        s.lines().filter(|l| l.contains("lost")).find_map(|l| {
            l.strip_prefix("tracer: ")?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
    };
    let replay_err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(lost(&replay_err).is_some(), "{replay_err}");
    assert_eq!(lost(&read_text(&errf)), lost(&replay_err));
}

#[test]
fn capture_rotates_and_compresses_without_losing_a_record() {
    let dir = tmpdir("capture-rotate");
    let base = dir.join("r.trc");
    let live = dir.join("live.txt");
    // 120,000 read/write records of ~90 bytes (compact records): about 10 MB of capture in
    // 2 MB files.
    let err = tracer_ok(&[
        "--write",
        base.to_str().unwrap(),
        "--file-size",
        "2",
        "-o",
        live.to_str().unwrap(),
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=1",
        "count=60000",
    ]);
    let files: Vec<String> = err
        .lines()
        .find_map(|l| l.split_once("records written to "))
        .map(|(_, f)| f.split(", ").map(str::to_string).collect())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(files.len() >= 4, "{files:?}");
    assert_eq!(files[1], format!("{}1", base.display()));
    for f in &files {
        let size = std::fs::metadata(f).unwrap().len();
        assert!(size <= 2_000_000 + (300 << 10), "{f}: {size} bytes");
    }
    let replay = dir.join("replay.txt");
    let mut args = vec!["-o", replay.to_str().unwrap()];
    for f in &files {
        args.extend(["--read", f.as_str()]);
    }
    tracer_ok(&args);
    let (l, r) = (read_text(&live), read_text(&replay));
    assert_eq!(
        l.lines()
            .filter(|l| l.starts_with("read(0, \"\\0\", 1)"))
            .count(),
        60_000
    );
    assert_same(&l, &r, "the rotated files");
    // Each file decodes on its own (it starts with the state of its moment).
    let part = dir.join("part.txt");
    tracer_ok(&["--read", &files[2], "-o", part.to_str().unwrap()]);
    assert!(read_text(&part).lines().count() > 1000);
    // Compressed: the same lines from a fraction of the bytes.
    let z = dir.join("z.trc");
    tracer_ok(&[
        "--write",
        z.to_str().unwrap(),
        "--compress",
        "-q",
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=1",
        "count=60000",
    ]);
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    let zsize = std::fs::metadata(&z).unwrap().len();
    assert!(zsize * 10 < total, "compressed {zsize} of {total} bytes");
    let zr = dir.join("z.txt");
    tracer_ok(&["--read", z.to_str().unwrap(), "-o", zr.to_str().unwrap()]);
    assert_eq!(
        read_text(&zr)
            .lines()
            .filter(|l| l.starts_with("read(0, \"\\0\", 1)"))
            .count(),
        60_000
    );
}

#[test]
fn a_damaged_capture_gives_the_records_before_the_damage_and_one_error() {
    let dir = tmpdir("capture-damage");
    let cap = dir.join("d.trc");
    tracer_ok(&[
        "--write",
        cap.to_str().unwrap(),
        "-q",
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=1",
        "count=5000",
    ]);
    let full_out = dir.join("full.txt");
    tracer_ok(&[
        "--read",
        cap.to_str().unwrap(),
        "-o",
        full_out.to_str().unwrap(),
    ]);
    let full = read_text(&full_out);
    let bytes = std::fs::read(&cap).unwrap();
    let bad = dir.join("bad.trc");
    let out = dir.join("bad.txt");
    let cases: Vec<(String, Vec<u8>)> = vec![
        ("cut in half".into(), bytes[..bytes.len() / 2].to_vec()),
        (
            "cut before the trailer".into(),
            bytes[..bytes.len() - 3].to_vec(),
        ),
        ("a flipped byte".into(), {
            let mut b = bytes.clone();
            let i = b.len() * 2 / 3;
            b[i] ^= 0x10;
            b
        }),
    ];
    for (what, data) in cases {
        std::fs::write(&bad, &data).unwrap();
        let o = Command::new(TRACER)
            .args(["--read", bad.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: one error line: {err}");
        assert!(
            err.contains("bad.trc") && (err.contains("damaged") || err.contains("cut short")),
            "{what}: {err}"
        );
        let got = read_text(&out);
        assert!(
            full.starts_with(&got),
            "{what}: the output is the full one's beginning"
        );
        assert!(
            got.lines().count() > 10 || what == "a flipped byte",
            "{what}: {got}"
        );
    }
}

/// Perfetto's own protos (PyPI `perfetto`, in the venv `cargo xtask test` makes) read a
/// timeline: its tracks, slices and instants, as JSON (tests/progs/perfetto_check.py).
fn perfetto_summary(trace: &Path) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join(".tools/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: `cargo xtask test` installs Perfetto's protos",
        python.display()
    );
    let o = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/progs/perfetto_check.py"))
        .arg(trace)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn perfetto_timeline_has_a_track_per_thread_and_a_slice_per_call() {
    let dir = tmpdir("perfetto");
    let (pf, live, cap) = (dir.join("t.pftrace"), dir.join("t.txt"), dir.join("t.trc"));
    let v = victim().display().to_string();
    let script = format!("{v} enoent; cat /etc/hostname >/dev/null");
    tracer_ok(&[
        "--perfetto",
        pf.to_str().unwrap(),
        "--write",
        cap.to_str().unwrap(),
        "-o",
        live.to_str().unwrap(),
        "-f",
        "-T",
        "sh",
        "-c",
        &script,
    ]);
    let s = perfetto_summary(&pf);
    assert_eq!(s["sequences"], 1);
    assert_eq!(s["balanced"], true, "every slice ends on its own track");
    assert_eq!(
        s["parents_ok"], true,
        "thread tracks sit under their process"
    );
    // Three processes (sh, victim, cat), each a track named by its command.
    let live = read_text(&live);
    let pids: std::collections::BTreeSet<String> = live
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let threads = s["threads"].as_object().unwrap();
    assert_eq!(threads.len(), pids.len(), "{threads:?} vs {pids:?}");
    let names: std::collections::BTreeSet<&str> =
        threads.values().map(|t| t[1].as_str().unwrap()).collect();
    assert!(
        names.contains("sh") && names.contains("victim") && names.contains("cat"),
        "{names:?}"
    );
    // One slice (or, without an entry time, an instant) per line of the text trace.
    let mut want: std::collections::BTreeMap<String, u64> = Default::default();
    let mut failed = 0;
    for l in live.lines() {
        let Some(rest) = l.split_once(' ').map(|(_, r)| r.trim_start()) else {
            continue;
        };
        let Some(name) = rest
            .split('(')
            .next()
            .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        else {
            continue;
        };
        if name.is_empty() || name.starts_with("exit") {
            continue;
        }
        *want.entry(name.to_string()).or_default() += 1;
        failed += u64::from(l.contains(" = -1 E"));
    }
    assert!(want.len() > 15 && failed > 0, "{want:?}");
    let count = |k: &str, name: &str| s[k][name].as_u64().unwrap_or(0);
    for (name, n) in &want {
        assert_eq!(
            count("slices", name) + count("instants", name),
            *n,
            "{name}"
        );
    }
    assert_eq!(s["categories"]["failed"].as_u64(), Some(failed));
    assert!(count("slices", "openat") > 10);
    assert_eq!(s["annotated"].as_u64().unwrap(), want.values().sum::<u64>());
    assert!(
        s["instants"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("exited with"))
    );
    // The same timeline from the capture, later.
    let pf2 = dir.join("replay.pftrace");
    tracer_ok(&[
        "--read",
        cap.to_str().unwrap(),
        "--perfetto",
        pf2.to_str().unwrap(),
        "-T",
    ]);
    let s2 = perfetto_summary(&pf2);
    assert_eq!(s2["slices"], s["slices"]);
    assert_eq!(s2["threads"], s["threads"]);
}

#[test]
fn latency_percentiles_and_histograms_live_and_from_a_capture() {
    let dir = tmpdir("latency");
    let cap = dir.join("l.trc");
    // Live, kernel-side counting (-c alone): a 0.2 s sleep lands in [2^27, 2^28) ns.
    let (out, o) = trace(
        &[
            "--latency-histogram",
            "-U",
            "name,calls,p50,p99,max-time",
            "sleep",
            "0.2",
        ],
        "latency-live",
    );
    assert!(o.status.success(), "{o:?}");
    let row = out
        .lines()
        .find(|l| l.starts_with("clock_nanosleep "))
        .unwrap_or_else(|| panic!("{out}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    let secs = |s: &str| s.parse::<f64>().unwrap();
    assert!((0.2..0.27).contains(&secs(cols[2])), "p50 {row}");
    assert_eq!(cols[2], cols[4], "one call: p50 is its duration");
    assert!(
        out.lines()
            .any(|l| l.contains("134217728 -> 268435455") && l.contains(": 1 ")),
        "{out}"
    );
    assert!(out.contains("clock_nanosleep: 1 calls, p50 2"), "{out}");
    // From a capture made with -T: the same histogram, from the records' durations.
    tracer_ok(&["--write", cap.to_str().unwrap(), "-T", "-q", "sleep", "0.2"]);
    let replay = dir.join("r.txt");
    tracer_ok(&[
        "--read",
        cap.to_str().unwrap(),
        "--latency-histogram",
        "-o",
        replay.to_str().unwrap(),
    ]);
    let r = read_text(&replay);
    assert!(
        r.lines()
            .any(|l| l.contains("134217728 -> 268435455") && l.contains(": 1 ")),
        "{r}"
    );
    // Without durations in the capture, percentiles cannot be made up.
    let plain = dir.join("plain.trc");
    tracer_ok(&["--write", plain.to_str().unwrap(), "-q", "true"]);
    let o = Command::new(TRACER)
        .args(["--read", plain.to_str().unwrap(), "--latency-histogram"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("durations"));
}

/// The tracer to completion with `args`: (stderr, exit code).
fn tracer_status(args: &[&str]) -> (String, Option<i32>) {
    let o = Command::new(TRACER)
        .args(args)
        .output()
        .expect("run tracer");
    (
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code(),
    )
}

#[test]
fn flight_recorder_dumps_the_calls_before_a_late_enomem() {
    // The story: a qemu-like program makes 10,000 calls from two threads on its "disk",
    // then its guest-memory mmap fails with ENOMEM. Nothing is written until then; the
    // dump holds the calls before the failure, from all threads, with paths and origins.
    let dir = tmpdir("flight");
    let qemu = dir.join("qemu-like");
    std::fs::copy(victim(), &qemu).unwrap();
    let dump = dir.join("vm.trc");
    let (err, code) = tracer_status(&[
        "--flight-recorder",
        "8M",
        "--trigger",
        "errno=ENOMEM,syscall=mmap,comm=qemu*",
        "--trigger-after",
        "200ms",
        "--write",
        dump.to_str().unwrap(),
        "-f",
        qemu.to_str().unwrap(),
        "qemu-like",
        "10000",
    ]);
    assert_eq!(code, Some(1), "the command's status: {err}");
    assert!(
        err.contains("flight recorder: mmap = -1 ENOMEM by qemu-like["),
        "{err}"
    );
    // The triggering thread's last calls, decoded, end with the failure and its exit.
    let last: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.contains("the last calls of thread"))
        .collect();
    assert!(
        last.iter()
            .any(|l| l.contains("mmap(NULL, 2147483648") && l.contains("= -1 ENOMEM")),
        "{err}"
    );
    assert!(
        !last.iter().any(|l| l.contains("pread64")),
        "other threads' calls: {err}"
    );
    let out = dir.join("vm.txt");
    tracer_ok(&[
        "--read",
        dump.to_str().unwrap(),
        "-yy",
        "--fd-origin",
        "-o",
        out.to_str().unwrap(),
    ]);
    let text = read_text(&out);
    // (The dynamic loader's own preads of libc are not the disk's.)
    let preads: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("pread64(3</etc/hostname>"))
        .collect();
    assert_eq!(preads.len(), 10_000, "every call before the failure");
    assert!(
        preads.iter().all(|l| l.contains("/* fd 3: openat() at ")),
        "paths and origins: {}",
        preads[0]
    );
    // strace -f -o's prefix: the thread's id.
    let tids: std::collections::BTreeSet<&str> = preads
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(tids.len(), 2, "both I/O threads: {tids:?}");
    assert!(
        text.lines()
            .any(|l| l.contains("mmap(NULL, 2147483648") && l.contains("ENOMEM"))
    );
    // (The working directory of a process gone before the dump is not known.)
    assert!(
        text.lines().any(|l| l.contains("openat(AT_FDCWD")
            && l.contains(", \"/etc/hostname\", O_RDONLY) = 3</etc/hostname>")),
        "{text}"
    );

    // An exit trigger, and a second dump after the hold-off: the recorder keeps running.
    let again = dir.join("again.trc");
    let (err, code) = tracer_status(&[
        "--flight-recorder",
        "1M",
        "--trigger",
        "errno=ENOENT,comm=cat",
        "--trigger-after",
        "100ms",
        "--trigger-holdoff",
        "200ms",
        "--write",
        again.to_str().unwrap(),
        "-q",
        "-f",
        "sh",
        "-c",
        "cat /nonexist1; sleep 1; cat /nonexist2; exit 0",
    ]);
    assert_eq!(code, Some(0), "{err}");
    // (Its first ENOENT is the loader's access("/etc/ld.so.preload").)
    assert_eq!(err.matches(" = -1 ENOENT by cat[").count(), 2, "{err}");
    let second = dir.join("again.trc1");
    let out2 = dir.join("again.txt");
    tracer_ok(&[
        "--read",
        second.to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
    ]);
    assert!(read_text(&out2).contains("\"/nonexist2\""));
    let ended = dir.join("exit.trc");
    let (err, code) = tracer_status(&[
        "--flight-recorder",
        "1M",
        "--trigger",
        "exit=nonzero",
        "--write",
        ended.to_str().unwrap(),
        victim().to_str().unwrap(),
        "exit",
        "3",
    ]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        ended.exists() && err.contains("flight recorder: victim["),
        "{err}"
    );
}

#[test]
fn flight_recorder_dumps_on_sigusr1() {
    let dir = tmpdir("flight-usr1");
    let dump = dir.join("usr1.trc");
    let errf = dir.join("err.txt");
    let started = dir.join("started");
    let t = Command::new(TRACER)
        .args([
            "--flight-recorder",
            "2M",
            "--trigger-after",
            "100ms",
            "--write",
            dump.to_str().unwrap(),
        ])
        .args([
            "-f",
            "sh",
            "-c",
            // Bounded (~5 s): the tracer is interrupted, and the command with it.
            &format!(
                "for i in $(seq 100); do cat /etc/hostname >/dev/null; touch {}; sleep 0.05; done",
                started.display()
            ),
        ])
        .stderr(std::fs::File::create(&errf).unwrap())
        .spawn()
        .unwrap();
    let t = Running(Some(t));
    // The command runs only once the tracer is attached (seconds on a loaded machine).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !started.exists() {
        assert!(
            Instant::now() < deadline,
            "never started: {}",
            read_text(&errf)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(!dump.exists(), "nothing is written before a trigger");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(t.id() as i32, libc::SIGUSR1) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !read_text(&errf).contains("written to") {
        assert!(Instant::now() < deadline, "no dump: {}", read_text(&errf));
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = interrupt(t);
    // As strace: the command it started got the SIGINT too, and the tracer dies of it.
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(o.status.signal(), Some(libc::SIGINT), "{o:?}");
    let out = dir.join("usr1.txt");
    tracer_ok(&[
        "--read",
        dump.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(read_text(&out).contains("openat(AT_FDCWD, \"/etc/hostname\""));
}

#[test]
fn cgroup_filter_traces_only_its_processes_and_the_children_they_fork_later() {
    use std::io::Write;
    let root = cgroup2_root();
    let name = format!("tracer-e2e-{}", std::process::id());
    // A container's cgroup as podman names it (cgroupfs driver), inside the selected one.
    let id = "3f2a9c1b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a";
    let cg = root.join(&name).join(format!("libpod-{id}"));
    std::fs::create_dir_all(&cg).unwrap();
    // Two shells waiting for a line; only the first is moved into the cgroup. Each then forks
    // a cat: the one inside reads /etc/hostname, the one outside /etc/passwd.
    let spawn = |file: &str| {
        Command::new("sh")
            // (Alive a while after: its cgroup is read from /proc when its lines are decoded.)
            .args(["-c", &format!("read x; cat {file} >/dev/null; sleep 1")])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut inside = spawn("/etc/hostname");
    let mut outside = spawn("/etc/passwd");
    std::fs::write(cg.join("cgroup.procs"), inside.id().to_string()).unwrap();
    let out = tmpfile("cgroup.out");
    let t = start_tracer(&["--cgroup", &name, "-e", "trace=openat,execve"], &out);
    for c in [&mut inside, &mut outside] {
        c.stdin.take().unwrap().write_all(b"go\n").unwrap();
    }
    assert!(inside.wait().unwrap().success() && outside.wait().unwrap().success());
    std::thread::sleep(Duration::from_millis(300));
    let o = interrupt(t);
    let text = read_text(&out);
    std::fs::remove_dir(&cg).ok();
    std::fs::remove_dir(root.join(&name)).ok();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Lines are tagged with the container: `cat[PID@3f2a9c1b7d6e]`.
    assert!(
        text.lines()
            .all(|l| l.contains("@3f2a9c1b7d6e] ") || l.starts_with("+++") || !l.contains('[')),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("cat[") && l.contains("execve(\"/usr/bin/cat\"")),
        "the child forked after the attach is traced from its first call:\n{text}"
    );
    assert!(
        text.contains("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3"),
        "{text}"
    );
    assert!(
        !text.contains("/etc/passwd"),
        "a process outside the cgroup was traced:\n{text}"
    );
    // Every line is the cgroup's: its shell, its cat and its sleep.
    let comms: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.contains('['))
        .filter_map(|l| l.split('[').next())
        .collect();
    assert!(
        comms.iter().all(|c| ["sh", "cat", "sleep"].contains(c)),
        "{comms:?}"
    );
    // A cgroup that does not exist: one line, exit 2.
    let (err, code) = tracer_status(&["--cgroup", "no-such-cgroup-here"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is not a cgroup v2 directory"), "{err}");
}

#[test]
fn json_carries_the_pid_namespace_ids_and_the_cgroup() {
    // A shell as pid 1 of a new PID namespace: JSON gives its ids there and its cgroup.
    let (out, o) = trace(
        &[
            "--json",
            "-f",
            "--decode-pids=container",
            "-e",
            "trace=execve,wait4",
            "unshare",
            "--pid",
            "--fork",
            "--mount-proc",
            "sh",
            "-c",
            "cat /etc/hostname >/dev/null; sleep 0.3",
        ],
        "nspid.json",
    );
    assert!(o.status.success(), "{o:?}");
    let root = cgroup2_root();
    let rows: Vec<serde_json::Value> = out
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["type"] == "syscall")
        .collect();
    let sh = rows
        .iter()
        .find(|v| v["name"] == "wait4" && v["nspid"] == 1)
        .unwrap_or_else(|| panic!("the namespace's pid 1 waits for cat:\n{out}"));
    assert_eq!(sh["nstid"], 1);
    assert_ne!(sh["pid"], 1, "the host's pid is kept in \"pid\"");
    // Its cgroup: the tracer's own (no container), by the inode the kernel uses as its id.
    let own = std::fs::read_to_string("/proc/self/cgroup").unwrap();
    let path = own.lines().find_map(|l| l.strip_prefix("0::")).unwrap();
    use std::os::unix::fs::MetadataExt;
    let ino = std::fs::metadata(root.join(path.trim_start_matches('/')))
        .unwrap()
        .ino();
    assert_eq!(sh["cgroup_id"], ino, "{sh}");
    assert!(sh["container_id"].is_null());
}

/// Query-string escaping for a PromQL expression.
fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn a_real_prometheus_scrapes_the_failures_of_a_container() {
    use std::io::Write;
    // Debian's prometheus (cargo xtask test installs it) scrapes the tracer every second.
    for tool in ["prometheus", "promtool"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "{tool} is missing: `cargo xtask test` installs Debian's prometheus package"
        );
    }
    let dir = tmpdir("prometheus");
    // The failing process runs in a cgroup named as podman names a container's.
    let root = cgroup2_root();
    let id = "5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f";
    let name = format!("tracer-prom-{}", std::process::id());
    let cg = root.join(&name).join(format!("libpod-{id}"));
    std::fs::create_dir_all(&cg).unwrap();
    let (tracer, port) = start_metrics_tracer(&[
        "-a",
        "--errno",
        "ENOENT",
        "-e",
        "trace=openat",
        "--decode-pids=container",
    ]);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let prom_port = free.local_addr().unwrap().port();
    drop(free);
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tracer\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
        ),
    )
    .unwrap();
    let prom = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{prom_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _prom = Running(Some(prom));
    // Five failing opens from "vprom" inside the container's cgroup.
    let v = victim_named("vprom");
    // (Without cargo's LD_LIBRARY_PATH, whose misses the loader would add to the count.)
    let mut sh = Command::new("sh")
        .env_remove("LD_LIBRARY_PATH")
        .args([
            "-c",
            &format!("read x; exec {} openn /nonexistent/prom 5", v.display()),
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::fs::write(cg.join("cgroup.procs"), sh.id().to_string()).unwrap();
    sh.stdin.take().unwrap().write_all(b"go\n").unwrap();
    let st = sh.wait().unwrap();
    assert_eq!(st.code(), Some(0), "the failing program ran");
    let query = r#"tracer_syscall_failures_total{syscall="openat",errno="ENOENT",comm="vprom",container="5e4d3c2b1a09"}"#;
    let path = format!("/api/v1/query?query={}", url_escape(query));
    let deadline = Instant::now() + Duration::from_secs(60);
    let value = loop {
        let r = std::net::TcpStream::connect(("127.0.0.1", prom_port))
            .map(|_| http_get(prom_port, &path))
            .unwrap_or_default();
        let body = r.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
        let v: serde_json::Value = serde_json::from_str(body.trim()).unwrap_or_default();
        if let Some(n) = v["data"]["result"][0]["value"][1].as_str() {
            break n.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus never had the series: {r}\nthe tracer serves:\n{}",
            http_get(port, "/metrics")
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(value, "5", "the count, as Prometheus stored it");
    // promtool accepts the exposition, and the shipped alert rules.
    let r = http_get(port, "/metrics");
    let body = r.split("\r\n\r\n").nth(1).unwrap_or_default();
    let mut check = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let o = check.wait_with_output().unwrap();
    assert!(o.status.success(), "promtool check metrics: {o:?}\n{body}");
    for metric in [
        "process_resident_memory_bytes ",
        "process_cpu_seconds_total ",
        "tracer_build_info{",
        "tracer_records_dropped_total{reason=\"ring_buffer_full\"} ",
        "tracer_records_dropped_total{reason=\"sampled_out\"} ",
        "tracer_ring_buffer_fill ",
    ] {
        assert!(body.contains(metric), "{metric}: {body}");
    }
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/alerts.yaml");
    let o = Command::new("promtool")
        .args(["check", "rules"])
        .arg(rules)
        .output()
        .unwrap();
    assert!(o.status.success(), "promtool check rules: {o:?}");
    drop(tracer);
    std::fs::remove_dir(&cg).ok();
    std::fs::remove_dir(root.join(&name)).ok();
}

#[test]
fn refusals_come_before_the_command_starts_and_name_the_reason() {
    // A busy metrics port: one line, exit 2, and the command never ran.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let marker = tmpfile("ran-marker");
    let _ = std::fs::remove_file(&marker);
    let (err, code) = tracer_status(&[
        "--metrics",
        &format!("127.0.0.1:{port}"),
        "--",
        "sh",
        "-c",
        &format!("echo ran > {}", marker.display()),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("cannot listen"), "{err}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!marker.exists(), "the command ran untraced");
    // A kernel thread, a zombie: refused with the reason, not waited on forever.
    let (err, code) = tracer_status(&["-p", "2"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("kernel thread"), "{err}");
    let zombie = Command::new("true").spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (err, code) = tracer_status(&["-p", &zombie.id().to_string()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("zombie"), "{err}");
    drop(zombie);
    // SIGHUP (a closed terminal) ends the run as SIGINT does: the summary is printed.
    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    let out = tmpfile("hup.txt");
    let t = start_tracer(&["-C", "-p", &sleeper.id().to_string()], &out);
    // SAFETY: signalling our own child.
    unsafe { libc::kill(t.id() as i32, libc::SIGHUP) };
    let o = t.take().wait_with_output().unwrap();
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert!(o.status.success(), "{o:?}");
    assert!(
        read_text(&out).lines().any(|l| l.ends_with(" total")),
        "{}",
        read_text(&out)
    );
    // Conflicting flags are refused, not silently resolved.
    for args in [&["-c", "--json", "true"][..], &["-a", "-p", "1"][..]] {
        let (err, code) = tracer_status(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

// ---- -e inject= / -e fault= (seccomp user notification) ----

fn injectee() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| compile("inject", &["-O1"]))
}

/// `cmd` (tracer or strace) with `opts`, tracing tests/progs/inject.c with `args`: the trace
/// (-o, numbers replaced by N, padding removed) and what the program printed.
fn injected_run(cmd: &str, opts: &[&str], args: &[&str], name: &str) -> (String, String) {
    let out = tmpfile(&format!("{name}-{}", cmd.rsplit('/').next().unwrap()));
    let o = Command::new(cmd)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .arg("-o")
        .arg(&out)
        .args(opts)
        .arg(injectee())
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{cmd} {opts:?} {args:?}: {o:?}");
    let text = unpad(&std::fs::read_to_string(&out).unwrap());
    let text = text
        .lines()
        .map(|l| {
            let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
            // Addresses (a stack buffer's) differ from run to run, then any number.
            addresses_and_digits(&l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    (text, String::from_utf8(o.stdout).unwrap())
}

/// The JSON objects of type `ty` in `text` (the lines of a `--json` trace).
fn json_objects(text: &str, ty: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .filter(|v| v["type"] == ty)
        .collect()
}

/// The call numbers (1-based) whose result the program saw fail.
fn failed_calls(stdout: &str) -> Vec<u32> {
    stdout
        .lines()
        .filter(|l| l.contains(" -1 "))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn inject_when_forms_fail_the_occurrences_strace_fails() {
    for (expr, want) in [
        (
            "inject=getppid:error=EPERM",
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ),
        ("inject=getppid:error=EPERM:when=3", vec![3]),
        (
            "inject=getppid:error=EPERM:when=2+",
            vec![2, 3, 4, 5, 6, 7, 8, 9, 10],
        ),
        ("inject=getppid:error=EPERM:when=2+3", vec![2, 5, 8]),
        ("inject=getppid:error=EPERM:when=2..4", vec![2, 3, 4]),
        ("inject=getppid:error=EPERM:when=2..7+2", vec![2, 4, 6]),
        ("fault=getppid:when=4", vec![4]),
    ] {
        let opts = ["-qq", "-e", "trace=getppid", "-e", expr];
        let (ours, out) = injected_run(TRACER, &opts, &["calls", "10"], "inject-when");
        assert_eq!(failed_calls(&out), want, "{expr}: {out}");
        let injected = ours.lines().filter(|l| l.ends_with(" (INJECTED)")).count();
        assert_eq!(injected, want.len(), "{expr}:\n{ours}");
        // fault= fails with ENOSYS, as strace's default.
        if expr.starts_with("fault") {
            assert!(out.contains("4 -1 38"), "{out}");
        }
        let (theirs, their_out) = injected_run("strace", &opts, &["calls", "10"], "inject-when");
        assert_eq!(out, their_out, "{expr}");
        assert_eq!(ours, theirs, "{expr}");
    }
}

#[test]
fn inject_retval_signal_and_delays_act_as_strace_s() {
    // retval=: the value, as a success; signal=: delivered at the call's exit.
    for (opts, args, want) in [
        (
            vec![
                "-e",
                "trace=getppid",
                "-e",
                "inject=getppid:retval=42:when=2",
            ],
            vec!["calls", "3"],
            "1 ok\n2 = 42\n3 ok\n",
        ),
        (
            vec![
                "-e",
                "trace=getppid",
                "-e",
                "inject=getppid:signal=USR1:when=2+",
            ],
            vec!["handled", "3"],
            "1 ok\n2 ok\n3 ok\nsignals 2\n",
        ),
        (
            vec![
                "-e",
                "trace=getppid",
                "-e",
                "inject=getppid:error=ENOSPC:signal=SIGUSR1:when=3",
            ],
            vec!["handled", "3"],
            "1 ok\n2 ok\n3 -1 28\nsignals 1\n",
        ),
    ] {
        let mut o = vec!["-qq"];
        o.extend(&opts);
        let (ours, out) = injected_run(TRACER, &o, &args, "inject-act");
        assert_eq!(out, want, "{opts:?}");
        let (theirs, their_out) = injected_run("strace", &o, &args, "inject-act");
        assert_eq!(their_out, want, "{opts:?}");
        assert_eq!(ours, theirs, "{opts:?}");
    }
    // delay_exit= on a failed call and delay_enter= on a call that runs: the program waits,
    // the line says so.
    for (expr, min_ms, note) in [
        (
            "inject=getppid:error=EIO:delay_exit=300ms",
            300,
            "= -N EIO (Input/output error) (INJECTED) (DELAYED)",
        ),
        ("inject=getppid:delay_enter=200000", 200, "(DELAYED)"),
    ] {
        let opts = ["-qq", "-e", "trace=getppid", "-e", expr];
        let (ours, out) = injected_run(TRACER, &opts, &["timed"], "inject-delay");
        let ms: u64 = out.trim().strip_prefix("ms ").unwrap().parse().unwrap();
        assert!(ms >= min_ms, "{expr}: {out}");
        assert!(ours.ends_with(note), "{expr}: {ours}");
        let (theirs, _) = injected_run("strace", &opts, &["timed"], "inject-delay");
        assert_eq!(ours, theirs, "{expr}");
    }
    // JSON marks the injected call.
    let inj = injectee().to_str().unwrap();
    let (json, o) = trace(
        &[
            "--json",
            "-e",
            "trace=getppid",
            "-e",
            "inject=getppid:error=EPERM:when=2",
            inj,
            "calls",
            "2",
        ],
        "inject-json",
    );
    assert!(o.status.success(), "{o:?}");
    let calls = json_objects(&json, "syscall");
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].get("injected"), None);
    assert_eq!(calls[1]["injected"], true);
    assert_eq!(calls[1]["errno"], "EPERM");
    // A capture keeps the mark: decoded later, the line is the live one.
    let cap = tmpfile("inject.trc");
    let live = tracer_ok(&[
        "--write",
        cap.to_str().unwrap(),
        "--print",
        "-qq",
        "-e",
        "trace=getppid",
        "-e",
        "inject=getppid:error=EPERM:when=2",
        injectee().to_str().unwrap(),
        "calls",
        "2",
    ]);
    let later = tracer_ok(&[
        "--read",
        cap.to_str().unwrap(),
        "-qq",
        "-e",
        "trace=getppid",
    ]);
    assert_eq!(live.matches("(INJECTED)").count(), 1, "{live}");
    assert_eq!(unpad(&live), unpad(&later));
}

#[test]
fn inject_follows_forks_and_spares_the_command_s_own_exec() {
    // Each process counts its own calls: the child's 2nd getppid fails, and the parent's.
    let opts = [
        "-f",
        "-qq",
        "-e",
        "trace=getppid",
        "-e",
        "inject=getppid:error=ENOSPC:when=2",
    ];
    let (ours, out) = injected_run(TRACER, &opts, &["fork", "2"], "inject-fork");
    assert_eq!(
        out,
        "child 1 ok\nchild 2 -1 28\nparent 1 ok\nparent 2 -1 28\n"
    );
    assert_eq!(ours.matches("(INJECTED)").count(), 2, "{ours}");
    let (_, their_out) = injected_run("strace", &opts, &["fork", "2"], "inject-fork");
    assert_eq!(out, their_out);
    // execve: the tracer's exec of the command runs; the shell's child's first exec fails.
    let script = "/bin/true; echo status $?";
    let run = |cmd: &str| {
        Command::new(cmd)
            .args([
                "-f",
                "-qq",
                "-o",
                "/dev/null",
                "-e",
                "inject=execve:error=ENOENT:when=1",
            ])
            .args(["sh", "-c", script])
            .output()
            .unwrap()
    };
    let (o, s) = (run(TRACER), run("strace"));
    assert!(o.status.success(), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "status 127\n");
    assert_eq!(o.stdout, s.stdout);
}

#[test]
fn inject_narrowed_by_path_fails_one_of_two_opens() {
    let opts = [
        "-qq",
        "-e",
        "trace=openat",
        "-e",
        "inject=openat:error=EACCES:path=/dev/z*",
    ];
    let (ours, out) = injected_run(TRACER, &opts, &["open2"], "inject-path");
    assert_eq!(out, "null ok\nzero -1 13\n");
    assert!(
        ours.contains(
            "openat(AT_FDCWD, \"/dev/zero\", O_RDONLY) = -N EACCES (Permission denied) (INJECTED)"
        ),
        "{ours}"
    );
    assert_eq!(ours.matches("(INJECTED)").count(), 1, "{ours}");
    // fd=: only the call on that fd.
    let opts = [
        "-qq",
        "-e",
        "trace=fstat",
        "-e",
        "inject=fstat:error=EIO:fd=1",
    ];
    let (ours, out) = injected_run(TRACER, &opts, &["fstat3"], "inject-fd");
    assert_eq!(out, "fd0 ok\nfd1 -1 5\nfd2 ok\n");
    assert_eq!(ours.matches("(INJECTED)").count(), 1, "{ours}");
    assert!(
        ours.contains(") = -N EIO (Input/output error) (INJECTED)"),
        "{ours}"
    );
    let (theirs, _) = injected_run(
        "strace",
        &[
            "-qq",
            "-e",
            "trace=fstat",
            "-e",
            "inject=fstat:error=EIO:when=2",
        ],
        &["fstat3"],
        "inject-fd",
    );
    assert_eq!(ours, theirs);
    // -P: only the calls that touch the path are injected (and counted), as strace does.
    let opts = ["-qq", "-P", "/dev/null", "-e", "inject=openat:error=EACCES"];
    let (ours, out) = injected_run(TRACER, &opts, &["open2"], "inject-P");
    assert_eq!(out, "null -1 13\nzero ok\n");
    let (theirs, their_out) = injected_run("strace", &opts, &["open2"], "inject-P");
    assert_eq!(out, their_out);
    assert_eq!(ours, theirs);
}

/// Story 1, reproduced: qemu asked for vhost-net gets ENOMEM on /dev/vhost-net and says so in
/// its own words; the trace shows the injected call. Needs /dev/net/tun (for the tap device).
#[test]
fn story1_injected_enomem_on_vhost_net_makes_qemu_fail_as_it_did() {
    assert!(
        Path::new("/dev/net/tun").exists(),
        "this test needs /dev/net/tun (the tun module) for qemu's tap netdev"
    );
    let tap = format!("trtap{}", std::process::id() % 10000);
    let out = tmpfile("inject-qemu");
    let o = Command::new(TRACER)
        .args([
            "-f",
            "-e",
            "trace=openat",
            "-e",
            "inject=openat:error=ENOMEM:path=/dev/vhost-net",
            "-o",
        ])
        .arg(&out)
        .args([
            "--",
            "qemu-system-x86_64",
            "-nodefaults",
            "-display",
            "none",
            "-S",
            "-netdev",
        ])
        .arg(format!(
            "tap,id=n0,ifname={tap},script=no,downscript=no,vhost=on"
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("open vhost char device failed: Cannot allocate memory"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let line = line_where(&text, |l| l.contains("\"/dev/vhost-net\""));
    assert!(
        line.ends_with("openat(AT_FDCWD, \"/dev/vhost-net\", O_RDWR) = -1 ENOMEM (Cannot allocate memory) (INJECTED)"),
        "{line}"
    );
    // Only that open: /dev/net/tun opened as it would.
    assert!(text.contains("\"/dev/net/tun\", O_RDWR) = 3"), "{text}");
    assert_eq!(text.matches("(INJECTED)").count(), 1);
}

/// Waits until `file` holds a pid; returns it.
fn pid_in(file: &Path) -> u32 {
    let t0 = Instant::now();
    loop {
        if let Some(p) = std::fs::read_to_string(file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            return p;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "no pid in {file:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until process `pid` is gone; fails with `why` after `secs` seconds.
fn gone_within(pid: u32, secs: u64, why: &str) {
    let t0 = Instant::now();
    while alive(pid) {
        assert!(t0.elapsed() < Duration::from_secs(secs), "{why}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether process `pid` still exists (zombies count as gone).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s.rsplit_once(')').unwrap().1.trim_start().starts_with('Z'))
}

#[test]
fn a_tracer_killed_mid_injection_leaves_no_task_hung() {
    for keep in [false, true] {
        let file = tmpfile(&format!("inject-kill-{keep}"));
        let _ = std::fs::remove_file(&file);
        let _ = std::fs::remove_file(file.with_extension("out"));
        let mut cmd = Command::new(TRACER);
        // Every getppid stops for the tracer; none is injected.
        cmd.args([
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            "inject=getppid:error=EPERM:when=100000000",
        ]);
        if keep {
            cmd.arg("--no-kill-on-exit");
        }
        let mut tracer = cmd
            .arg(injectee())
            .arg("loop")
            .arg(&file)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let pid = pid_in(&file);
        std::thread::sleep(Duration::from_millis(100));
        assert!(alive(pid));
        tracer.kill().unwrap();
        tracer.wait().unwrap();
        let out = PathBuf::from(format!("{}.out", file.display()));
        let t0 = Instant::now();
        if keep {
            // It outlives the tracer, and runs on: its stopped calls fail with ENOSYS (the
            // kernel's answer once the listener is gone) instead of hanging.
            while std::fs::read_to_string(&out).unwrap_or_default() != "enosys\n" {
                assert!(t0.elapsed() < Duration::from_secs(10), "no ENOSYS seen");
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(alive(pid));
            // SAFETY: a signal to the test's own program.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
        } else {
            // Killed with the tracer (it would loop forever otherwise).
            gone_within(pid, 10, "the command outlived the tracer");
        }
    }
}

#[test]
fn inject_on_a_running_process_is_signal_only() {
    let file = tmpfile("inject-p");
    let _ = std::fs::remove_file(&file);
    let mut prog = Command::new(injectee())
        .arg("loop")
        .arg(&file)
        .spawn()
        .unwrap();
    let pid = pid_in(&file).to_string();
    // An error cannot be injected into a process already running: one clear line, status 2.
    let o = Command::new(TRACER)
        .args(["-p", &pid, "-e", "inject=getppid:error=EPERM"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot be given a seccomp filter") && err.contains("signal="),
        "{err}"
    );
    // A signal can: the kernel counts the calls and signals the 3rd at its exit.
    let o = Command::new(TRACER)
        .args([
            "-qq",
            "-e",
            "trace=getppid",
            "-e",
            "inject=getppid:signal=USR1:when=3",
            "-p",
            &pid,
        ])
        .output()
        .unwrap();
    let st = prog.wait().unwrap();
    assert_eq!(st.code(), Some(4), "the program was not signalled: {st:?}");
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[2].starts_with("getppid()")
            && lines[3].starts_with("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(format!("{}.out", file.display())).unwrap(),
        "signalled\n"
    );
}

/// A signal that kills without a core and without a handler is acted on by the kernel before
/// delivery when nothing ptraces the task; the line strace shows for it is still printed, after
/// the call that sent it.
#[test]
fn a_fatal_signal_without_a_handler_is_shown_as_strace_shows_it() {
    use std::os::unix::process::ExitStatusExt;
    for sig in ["TERM", "USR1", "HUP"] {
        let script = format!("kill -{sig} $$");
        let args = ["-e", "trace=kill", "sh", "-c", &script];
        let (ours, o) = trace(&args, "fatal-signal");
        assert_eq!(o.status.signal(), Some(signal_number(sig)), "{o:?}");
        let (theirs, _) = strace_run(&args, "fatal-signal");
        let norm = digits_as_n;
        assert_eq!(
            norm(&ours),
            norm(&unpad(&theirs)),
            "tracer:\n{ours}\nstrace:\n{theirs}"
        );
        assert!(
            ours.contains(&format!(
                "--- SIG{sig} {{si_signo=SIG{sig}, si_code=SI_USER"
            )),
            "{ours}"
        );
    }
}

fn signal_number(name: &str) -> i32 {
    match name {
        "TERM" => libc::SIGTERM,
        "USR1" => libc::SIGUSR1,
        "HUP" => libc::SIGHUP,
        _ => unreachable!(),
    }
}

/// tmux, driving a real terminal: the session name and a pane capture.
struct Tmux(String);

impl Tmux {
    fn start(cmd: &str) -> Tmux {
        let name = format!("tracer-e2e-{}", std::process::id());
        let st = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x", "120", "-y", "30"])
            .arg(cmd)
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux (Debian's tmux) is needed to drive the watch's terminal UI");
        assert!(st.success(), "tmux new-session");
        Tmux(name)
    }

    fn screen(&self) -> String {
        let o = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let st = Command::new("tmux")
            .args(["send-keys", "-t", &self.0])
            .args(keys)
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Waits until the screen satisfies `f`; returns it.
    fn wait(&self, what: &str, f: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        loop {
            let s = self.screen();
            if f(&s) {
                return s;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "waiting for {what}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

/// (COUNT, PROCS) of a watch row whose PROCESS is `comm` and ERRNO `errno`, the largest.
fn watch_row(screen: &str, comm: &str, errno: &str) -> Option<(u64, u64)> {
    screen
        .lines()
        .filter_map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            let i = t.iter().position(|w| *w == comm)?;
            if !t.contains(&errno) || i < 2 {
                return None;
            }
            Some((t[i - 2].parse().ok()?, t[i - 1].parse().ok()?))
        })
        .max()
}

#[test]
fn watch_tui_shows_programs_as_rows_filters_and_quits() {
    let tmux = Tmux::start(&format!(
        "{TRACER} -a --watch --interval 1s; echo tracer-exit=$?; sleep 60"
    ));
    tmux.wait("the watch's header", |s| {
        s.starts_with("tracer --watch") && s.contains("events/s")
    });
    // 50 short-lived ls processes and one python that fails 30 times. The python runs under
    // a name of its own (its comm is the name it was started by): the watch is host-wide, and
    // other python3 processes (another test's) may fail on this host at the same time.
    for i in 0..50 {
        Command::new("ls")
            .arg(format!("/nonexistent-watch-{i}"))
            .output()
            .unwrap();
    }
    let py_bin = tmpdir("watch-tui").join("watchpy");
    std::os::unix::fs::symlink("/usr/bin/python3", &py_bin).unwrap();
    let py = Command::new(&py_bin)
        .args([
            "-c",
            "for i in range(30):\n try: open('/nonexistent-watch-py')\n except OSError: pass",
        ])
        .output()
        .unwrap();
    assert!(py.status.success(), "{py:?}");
    let screen = tmux.wait("the ls and python rows", |s| {
        watch_row(s, "ls", "ENOENT").is_some_and(|(c, p)| c >= 50 && p >= 50)
            && watch_row(s, "watchpy", "ENOENT").is_some()
    });
    // A fixed header, the table under it, fitted to the 120 columns (no wrapped rows).
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[0].starts_with("tracer --watch"), "{screen}");
    assert!(lines[2].starts_with("RATE/s"), "{screen}");
    assert!(lines.iter().all(|l| l.chars().count() <= 120), "{screen}");
    // The ls runs are one row per failing call and errno (not 50 rows of one process each).
    let mut ls_rows: Vec<Vec<&str>> = lines
        .iter()
        .filter_map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            let i = t.iter().position(|w| *w == "ls")?;
            Some(t[i + 2..i + 4].to_vec())
        })
        .collect();
    let n = ls_rows.len();
    ls_rows.sort();
    ls_rows.dedup();
    assert_eq!(ls_rows.len(), n, "{screen}");
    // A filter narrows the table to python's rows.
    tmux.keys(&["/", "watchpy", "Enter"]);
    // The header changes first; the table is redrawn with it in the same frame, but a capture
    // can fall between two terminal writes: wait for a whole frame.
    let filtered = |s: &str| {
        let rows: Vec<&str> = s.lines().skip(3).filter(|l| !l.trim().is_empty()).collect();
        !rows.is_empty() && rows.iter().all(|l| l.contains("watchpy"))
    };
    let screen = tmux.wait("the filtered table", |s| {
        s.contains("filter: watchpy") && filtered(s)
    });
    assert!(filtered(&screen), "{screen}");
    // Enter expands the selected row: its processes and last calls, strace-style.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait("the expanded row", |s| s.contains(" processes, newest "));
    assert!(screen.contains("  openat(AT_FDCWD, \""), "{screen}");
    assert!(
        screen
            .replace('\n', " ")
            .contains("= -1 ENOENT (No such file"),
        "{screen}"
    );
    // q: exit status 0, the terminal given back (the shell's next line is on screen, the
    // full-screen view is gone).
    tmux.keys(&["q"]);
    let screen = tmux.wait("the exit", |s| s.contains("tracer-exit="));
    assert!(screen.contains("tracer-exit=0"), "{screen}");
    assert!(!screen.contains("s sort  / filter"), "{screen}");
}

/// Bad command lines, each with the text its one-line error must name: exit 2, one line on
/// stderr, no panic, and the command never started.
#[test]
fn every_bad_input_is_one_line_exit_2_and_starts_nothing() {
    use std::{ffi::OsString, os::unix::ffi::OsStringExt};
    let marker = tmpfile("bad-input-ran");
    let _ = std::fs::remove_file(&marker);
    let cmd = ["sh", "-c", &format!("touch {}", marker.display())];
    let s = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
    let bytes = |flag: &str, b: &[u8]| vec![OsString::from(flag), OsString::from_vec(b.to_vec())];
    let cases: Vec<(Vec<OsString>, &str)> = vec![
        (s(&["-p", "0"]), "\"0\""),
        (s(&["-p", "-5"]), "-5"),
        (s(&["-p", "abc"]), "abc"),
        (s(&["-p", "99999999999"]), "99999999999"),
        (s(&["-p", ""]), "-p"),
        (s(&["-p", "1,,2"]), "-p"),
        (s(&["-s", "0"]), "-s 0"),
        (s(&["-s", "-1"]), "-1"),
        (s(&["-s", "abc"]), "abc"),
        (s(&["-s", "99999999999999999999"]), "99999999999999999999"),
        (s(&["-e", "trace="]), "trace="),
        (s(&["-e", ""]), "''"),
        (s(&["-e", "trace=nosuchcall"]), "nosuchcall"),
        (s(&["-e", "trace=%nosuchclass"]), "nosuchclass"),
        (s(&["-e", "status=maybe"]), "maybe"),
        (s(&["-e", "signal=SIGNOPE"]), "SIGNOPE"),
        (s(&["-e", "quiet=nope"]), "nope"),
        (s(&["-e", "read=x"]), "read=x"),
        (s(&["-e", "write=-1"]), "write=-1"),
        (s(&["-e", "bogus=1"]), "bogus"),
        (s(&["-e", "inject=getppid"]), "inject=getppid"),
        (s(&["-e", "inject=getppid:error=ENOPE"]), "ENOPE"),
        (s(&["-e", "inject=getppid:error=EIO:when=0"]), "when="),
        (s(&["-e", "inject=getppid:error=EIO:when=5..2"]), "when="),
        (s(&["-e", "inject=read:delay_exit=1s"]), "delay_exit=1s"),
        (s(&["-e", "inject=read:delay_enter=soon"]), "soon"),
        (s(&["-e", "fault=getppid:retval=1"]), "retval="),
        (s(&["-e", "inject=openat:syscall=getpid"]), "syscall="),
        (s(&["-e", "inject=getppid:error=EIO:path=/x"]), "getppid"),
        (s(&["-e", "inject=getppid:signal=SIGNOPE"]), "SIGNOPE"),
        (s(&["--errno", "ENOPE"]), "ENOPE"),
        (s(&["--errno", "0"]), "\"0\""),
        (s(&["--errno", "99999"]), "99999"),
        (s(&["-Z", "-z"]), "-Z"),
        (s(&["-c", "--json"]), "--json"),
        (s(&["-a", "-p", "1"]), "-a"),
        (s(&["-ff"]), "-o FILE"),
        (s(&["--interval", "0"]), "0"),
        (
            s(&["--interval", "99999999999999999h"]),
            "99999999999999999h",
        ),
        (
            s(&["--interval", "18446744073709551616s"]),
            "18446744073709551616s",
        ),
        (s(&["--interval", "abc"]), "abc"),
        (s(&["--interval", "-1s"]), "-1s"),
        (s(&["--samples", "-1"]), "-1"),
        (s(&["--samples", "abc"]), "abc"),
        (s(&["--buffer-size", "3"]), "--buffer-size"),
        (s(&["--buffer-size", "0"]), "--buffer-size"),
        (s(&["--buffer-size", "2048"]), "--buffer-size"),
        (s(&["--buffer-size", "-1"]), "-1"),
        (s(&["--snaplen", "0"]), "--snaplen 0"),
        (s(&["--decode-fds=bogus"]), "--decode-fds=bogus"),
        (s(&["-e", "decode-fds=path,x"]), "--decode-fds=x"),
        (s(&["-e", "trace=/("]), "not a regular expression"),
        (s(&["--status=bogus"]), "status=bogus"),
        (s(&["--snaplen", "4096"]), "4096"),
        (s(&["--snaplen", "999999999"]), "999999999"),
        (s(&["--syscall-limit", "-1"]), "-1"),
        (s(&["--syscall-limit", "abc"]), "abc"),
        (s(&["-S", "nosuchkey"]), "nosuchkey"),
        (s(&["-U", "nosuchcol"]), "nosuchcol"),
        (s(&["-X", "nosuchstyle"]), "nosuchstyle"),
        (s(&["--decode-pids=nope"]), "nope"),
        (s(&["-tttt"]), "-t"),
        (s(&["-xxx"]), "-x"),
        (s(&["--metrics", "notanaddress"]), "notanaddress"),
        (s(&["--metrics", "127.0.0.1:99999"]), "127.0.0.1:99999"),
        (s(&["--by", "nope"]), "nope"),
        (s(&["--expire", "abc"]), "abc"),
        (
            s(&["--write", "/tmp/x.trc", "--file-size", "0"]),
            "--file-size",
        ),
        (s(&["--write", "/tmp/x.trc", "--file-size", "-1"]), "-1"),
        (
            s(&["--write", "/tmp/x.trc", "--file-count", "0"]),
            "--file-count",
        ),
        (s(&["--write", "/tmp/x.trc", "--compress=99"]), "99"),
        (s(&["--flight-recorder", "0"]), "--flight-recorder"),
        (s(&["--flight-recorder", "abc"]), "abc"),
        (
            s(&["--flight-recorder", "8M", "--trigger", "bogus=1"]),
            "bogus",
        ),
        (
            s(&["--flight-recorder", "8M", "--trigger-after", "abc"]),
            "abc",
        ),
        (
            s(&["--flight-recorder", "8M", "--trigger-holdoff", "abc"]),
            "abc",
        ),
        (s(&["--read", "/nonexistent.trc"]), "--read"),
        (s(&["-u", "nosuchuser-xyz"]), "nosuchuser-xyz"),
        (s(&["-b", "nosuchcall"]), "nosuchcall"),
        (s(&["-P", ""]), "--trace-path"),
        (
            s(&["--cgroup", "/nonexistent-cgroup-xyz"]),
            "/nonexistent-cgroup-xyz",
        ),
        (s(&["--match-regex", "("]), "("),
        (s(&["--match-context", "-1"]), "-1"),
        (s(&["--columns", "abc"]), "abc"),
        (
            s(&["--kill-on-exit", "--no-kill-on-exit"]),
            "--no-kill-on-exit",
        ),
        (
            s(&["--write", "/nonexistent-dir-xyz/x.trc"]),
            "/nonexistent-dir-xyz/x.trc",
        ),
        (
            s(&["-o", "/nonexistent-dir-xyz/out"]),
            "/nonexistent-dir-xyz/out",
        ),
        (
            s(&["--perfetto", "/nonexistent-dir-xyz/t.pftrace"]),
            "/nonexistent-dir-xyz/t.pftrace",
        ),
        (bytes("--interval", b"\xff1s"), "--interval"),
        (bytes("--errno", b"EN\xffENT"), "--errno"),
        (s(&["-e", "inject=getppid:error=EIO", "-p", "1"]), "-p"),
        (s(&["-e", "inject=getppid:error=EIO", "-a"]), "-a"),
    ];
    assert!(cases.len() >= 80, "{} cases", cases.len());
    for (args, needle) in &cases {
        let t0 = Instant::now();
        let mut child = Command::new(TRACER)
            .args(args)
            .args(cmd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() {
            if t0.elapsed() > Duration::from_secs(5) {
                let _ = child.kill();
                panic!("{args:?}: still running after 5 s");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: {needle:?} not named in: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!marker.exists(), "{args:?} started the command");
    }
}

/// A foreground tool behaves like its job (strace does): a signal that ends the tracer ends
/// the command it started, and the tracer then dies of it; SIGKILL leaves no orphan either.
#[test]
fn a_signal_to_the_tracer_ends_the_command_it_started() {
    use std::os::unix::process::ExitStatusExt;
    for sig in [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGPIPE,
        libc::SIGKILL,
    ] {
        let file = tmpfile(&format!("job-{sig}"));
        let out = tmpfile(&format!("job-{sig}.trace"));
        let _ = std::fs::remove_file(&file);
        let tracer = Command::new(TRACER)
            .args(["-e", "trace=getppid", "-o"])
            .arg(&out)
            .arg(injectee())
            .arg("loop")
            .arg(&file)
            .spawn()
            .unwrap();
        let pid = pid_in(&file);
        std::thread::sleep(Duration::from_millis(100));
        // SAFETY: a signal to the tracer the test started.
        unsafe { libc::kill(tracer.id() as i32, sig) };
        let st = tracer.wait_with_output().unwrap().status;
        assert_eq!(st.signal(), Some(sig), "signal {sig}: {st:?}");
        gone_within(
            pid,
            5,
            &format!("signal {sig}: the command outlived the tracer"),
        );
        if sig != libc::SIGKILL {
            // Flushed, with the command's end.
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(text.starts_with("getppid()"), "{text}");
            let name = decode_signal_name(sig);
            assert!(
                text.ends_with(&format!("+++ killed by {name} +++\n")),
                "{text}"
            );
        }
    }
}

fn decode_signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        libc::SIGPIPE => "SIGPIPE",
        _ => "?",
    }
}

/// `tracer -o /dev/stdout -- busy | head -1`: the pipe closes, the tracer ends quietly
/// (status 0), and the busy command goes with it.
#[test]
fn a_closed_output_pipe_ends_the_tracer_and_its_command() {
    let file = tmpfile("pipe-job");
    let _ = std::fs::remove_file(&file);
    let script = format!(
        "set -o pipefail; {TRACER} -o /dev/stdout -e trace=getppid {} loop {} | head -1 >/dev/null; echo status=$?",
        injectee().display(),
        file.display()
    );
    let o = Command::new("bash").args(["-c", &script]).output().unwrap();
    let pid = pid_in(&file);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "status=0\n", "{o:?}");
    gone_within(pid, 5, "the command outlived the tracer");
}

#[test]
fn json_names_the_command_outside_a() {
    let inj = injectee().to_str().unwrap();
    let (json, o) = trace(
        &["-f", "--json", "-e", "trace=getppid", inj, "fork", "1"],
        "json-comm",
    );
    assert!(o.status.success(), "{o:?}");
    let calls = json_objects(&json, "syscall");
    assert_eq!(calls.len(), 2, "{calls:?}");
    for c in &calls {
        assert_eq!(c["comm"], "inject", "{c}");
    }
}

/// The metrics port under 400 idle connections with 256 fds: the tracer does not spin, the
/// scrape is answered, the counting goes on.
#[test]
fn idle_clients_cannot_take_the_metrics_port() {
    let out = tmpfile("metrics-dos");
    let mut child = Command::new("prlimit")
        .args(["--nofile=256:256", "--"])
        .arg(TRACER)
        .args(["-a", "--errno", "ENOTDIR", "--metrics", "127.0.0.1:0", "-o"])
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let pid = child.id();
    let child = Running(Some(child));
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let port: u16 = loop {
        let l = lines.next().expect("tracer ended").unwrap();
        if let Some(rest) = l.strip_prefix("tracer: metrics on http://") {
            break rest
                .split('/')
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    // 400 clients connect and say nothing.
    let idle: Vec<std::net::TcpStream> = (0..400)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert!(idle.len() > 256, "{} connections", idle.len());
    let cpu = |pid: u32| -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let f: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
    };
    let c0 = cpu(pid);
    // Failures to count meanwhile.
    let v = victim_named("vdos");
    Command::new(&v)
        .args(["openn", "/etc/passwd/dos", "5"])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    // Clock ticks (100/s): under a third of a CPU over 3 s (a spinning accept loop takes all).
    let used = cpu(pid) - c0;
    assert!(
        used < 100,
        "the tracer used {used} ticks in 3 s with idle clients"
    );
    // A scrape is answered (retried while the idle clients time out), and it has the count.
    let want =
        "tracer_syscall_failures_total{syscall=\"openat\",errno=\"ENOTDIR\",comm=\"vdos\"} 5";
    let t0 = Instant::now();
    let body = loop {
        let r = std::panic::catch_unwind(|| http_get(port, "/metrics")).unwrap_or_default();
        if r.lines().any(|l| l == want) {
            break r;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(15),
            "no answer with the count: {r}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(body.starts_with("HTTP/1.1 200 OK"), "{body}");
    drop(idle);
    let o = interrupt(child);
    assert!(o.status.success(), "{o:?}");
}

/// With a ring buffer too small for a flood, the exit record can be lost with the rest: the
/// exit line is printed all the same, from waitpid for the started command, noted.
#[test]
fn every_trace_ends_with_its_exit_line_even_when_records_are_lost() {
    let dd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=300000"];
    for _ in 0..3 {
        let out = tmpfile("lost-exit");
        let o = Command::new(TRACER)
            .args(["--buffer-size", "1", "-o"])
            .arg(&out)
            .args(dd)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        let text = std::fs::read_to_string(&out).unwrap();
        let last = text.lines().last().unwrap_or_default();
        assert!(
            last == "+++ exited with 0 +++"
                || last == "+++ exited with 0 +++ <exit record lost; status from waitpid>",
            "{last}"
        );
    }
    // -p: the status of another's process is unknown without its record.
    let out = tmpfile("lost-exit-p");
    let mut flood = Command::new(dd[0])
        .args(&dd[1..])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let o = Command::new(TRACER)
        .args(["--buffer-size", "1", "-q", "-o"])
        .arg(&out)
        .args(["-p", &flood.id().to_string()])
        .output()
        .unwrap();
    flood.wait().unwrap();
    assert!(o.status.success(), "{o:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    let last = text.lines().last().unwrap_or_default();
    assert!(
        last == "+++ exited with 0 +++"
            || last == "+++ exited (exit record lost; status unknown) +++",
        "{last}"
    );
}

/// `--write` with a ring buffer too small for a flood: the records it could not take are
/// counted and reported on the run's last line (they were counted into the capture only,
/// silently for the live run, before), and written + lost is every record the flood made:
/// the same total as a text trace of the same flood with a buffer that holds it.
#[test]
fn a_capture_that_loses_records_says_how_many() {
    let dd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=300000"];
    let number = |err: &str, tail: &str| -> u64 {
        err.lines()
            .find_map(|l| l.strip_prefix("tracer: ")?.split_once(tail)?.0.parse().ok())
            .unwrap_or(0)
    };
    // All the records of the flood: a buffer large enough, decoded as text.
    let all = tmpfile("write-lost-all");
    let o = Command::new(TRACER)
        .args(["--buffer-size", "256", "-o"])
        .arg(&all)
        .args(dd)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("lost"), "{err}");
    let made = std::fs::read_to_string(&all).unwrap().lines().count() as u64 - 1;
    let mut lost_seen = false;
    for _ in 0..3 {
        let cap = tmpfile("write-lost.trc");
        let o = Command::new(TRACER)
            .args(["--buffer-size", "1", "--write"])
            .arg(&cap)
            .args(dd)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        let written = number(&err, " records written");
        let lost = number(&err, " records were lost");
        assert!(written > 0, "{err}");
        // The exit record is counted among the written ones (made counts its line). (A full
        // trace has no exec entry records: they are read for narrowed traces.)
        assert_eq!(written + lost, made + 1, "{err}");
        lost_seen |= lost > 0;
    }
    assert!(
        lost_seen,
        "a 1 MiB buffer never lost a record of the flood: no loss was tested"
    );
}

/// Two host-wide tracers at once: neither reports the other's own /proc probes (which fail
/// by design for processes already gone) as the host's failures; the host's are there.
#[test]
fn host_wide_tracers_do_not_report_each_other() {
    let (a_out, b_out) = (tmpfile("tracers-a"), tmpfile("tracers-b"));
    let a = start_tracer(&["-a", "-Z"], &a_out);
    let b = start_tracer(&["-a", "-Z"], &b_out);
    let (a_pid, b_pid) = (a.id(), b.id());
    for i in 0..20 {
        Command::new("ls")
            .arg(format!("/nonexistent-tracers-{i}"))
            .output()
            .unwrap();
    }
    std::thread::sleep(Duration::from_millis(1500));
    let (oa, ob) = (interrupt(a), interrupt(b));
    assert!(oa.status.success() && ob.status.success(), "{oa:?} {ob:?}");
    for (out, other) in [(&a_out, b_pid), (&b_out, a_pid)] {
        let text = std::fs::read_to_string(out).unwrap();
        assert!(text.contains("\"/nonexistent-tracers-19\""), "{text}");
        assert!(
            !text.contains(&format!("tracer[{other}]")),
            "the other tracer's calls: {}",
            text.lines()
                .filter(|l| l.contains(&format!("tracer[{other}]")))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// The BPF programs process `pid` holds (from its fds' fdinfo).
fn prog_ids(pid: u32) -> Vec<u32> {
    let mut ids = Vec::new();
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fdinfo")) else {
        return ids;
    };
    for e in dir.flatten() {
        if let Ok(info) = std::fs::read_to_string(e.path()) {
            ids.extend(
                info.lines()
                    .filter_map(|l| l.strip_prefix("prog_id:"))
                    .filter_map(|v| v.trim().parse::<u32>().ok()),
            );
        }
    }
    ids
}

/// SIGINT, SIGTERM, SIGHUP, SIGPIPE and SIGKILL to the tracer while it loads, attached and
/// idle, under a flood, and while it writes its summary; with a command and with -p.
#[test]
fn fault_matrix_signals_at_every_stage_in_both_modes() {
    use std::os::unix::process::ExitStatusExt;
    let sigs = [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGPIPE,
        libc::SIGKILL,
    ];
    let mut runs = 0;
    for pid_mode in [false, true] {
        for stage in ["loading", "idle", "flood", "summary"] {
            for sig in sigs {
                let tag = format!("fm-{pid_mode}-{stage}-{sig}");
                let file = tmpfile(&tag);
                let out = tmpfile(&format!("{tag}.out"));
                let _ = std::fs::remove_file(&file);
                let _ = std::fs::remove_file(&out);
                let prog: Vec<String> = if stage == "flood" {
                    vec![
                        "sh".into(),
                        "-c".into(),
                        format!(
                            "echo $$ > {}; exec dd if=/dev/zero of=/dev/null bs=1 count=100000000",
                            file.display()
                        ),
                    ]
                } else {
                    vec![
                        injectee().display().to_string(),
                        "loop".into(),
                        file.display().to_string(),
                    ]
                };
                let mut target = None;
                let mut cmd = Command::new(TRACER);
                cmd.args(["-C", "-o"]).arg(&out);
                if pid_mode {
                    let t = Command::new(&prog[0])
                        .args(&prog[1..])
                        .stderr(Stdio::null())
                        .spawn()
                        .unwrap();
                    let pid = pid_in(&file);
                    cmd.args(["-p", &pid.to_string()]);
                    target = Some((t, pid));
                } else {
                    cmd.args(&prog);
                }
                let tracer = cmd.stderr(Stdio::null()).spawn().unwrap();
                let tpid = tracer.id();
                let mut tracer = Running(Some(tracer));
                if stage == "loading" {
                    // The handlers are in place within milliseconds; the load takes longer.
                    std::thread::sleep(Duration::from_millis(40));
                } else {
                    // Attached: lines are coming.
                    let t0 = Instant::now();
                    while std::fs::metadata(&out).map_or(0, |m| m.len()) == 0 {
                        assert!(t0.elapsed() < Duration::from_secs(20), "{tag}: no lines");
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                let progs = prog_ids(tpid);
                if stage == "summary" {
                    // SAFETY: signals to the tracer the test started.
                    unsafe { libc::kill(tpid as i32, libc::SIGINT) };
                    // Delivered before the second is sent: two pending signals are delivered
                    // lowest number first (SIGHUP before SIGINT), whatever order they came in.
                    let pending = || {
                        std::fs::read_to_string(format!("/proc/{tpid}/status"))
                            .unwrap_or_default()
                            .lines()
                            .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
                            .any(|l| {
                                let mask = l.split_whitespace().nth(1).unwrap_or("0");
                                u64::from_str_radix(mask, 16).unwrap_or(0)
                                    & (1 << (libc::SIGINT - 1))
                                    != 0
                            })
                    };
                    let t0 = Instant::now();
                    while pending() && t0.elapsed() < Duration::from_secs(2) {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                // SAFETY: as above.
                unsafe { libc::kill(tpid as i32, sig) };
                let t0 = Instant::now();
                let st = loop {
                    if let Some(st) = tracer.0.as_mut().unwrap().try_wait().unwrap() {
                        break st;
                    }
                    assert!(
                        t0.elapsed() < Duration::from_secs(20),
                        "{tag}: still running"
                    );
                    std::thread::sleep(Duration::from_millis(10));
                };
                drop(tracer);
                runs += 1;
                // The status: the tracer of a command dies of the signal that ended the run
                // (the first one, when a second came during the summary), as its job does;
                // with -p it exits 0. SIGKILL is SIGKILL.
                let first = if stage == "summary" {
                    libc::SIGINT
                } else {
                    sig
                };
                match (sig, pid_mode) {
                    // The summary may be written and the run over before the SIGKILL lands.
                    (libc::SIGKILL, false) if stage == "summary" => assert!(
                        matches!(st.signal(), Some(libc::SIGKILL | libc::SIGINT)),
                        "{tag}: {st:?}"
                    ),
                    (libc::SIGKILL, true) if stage == "summary" => assert!(
                        st.signal() == Some(libc::SIGKILL) || st.success(),
                        "{tag}: {st:?}"
                    ),
                    (libc::SIGKILL, _) => assert_eq!(st.signal(), Some(libc::SIGKILL), "{tag}"),
                    (_, false) => assert_eq!(st.signal(), Some(first), "{tag}: {st:?}"),
                    (_, true) => assert!(st.success(), "{tag}: {st:?}"),
                }
                // Flushed, with the summary asked for.
                if sig != libc::SIGKILL && stage != "loading" {
                    let text = std::fs::read_to_string(&out).unwrap();
                    assert!(text.contains("% time"), "{tag}: no summary");
                }
                // No BPF program outlives the tracer (the kernel frees them after an RCU
                // grace period: a moment).
                for id in progs {
                    let t0 = Instant::now();
                    while Command::new("bpftool")
                        .args(["prog", "show", "id", &id.to_string()])
                        .output()
                        .expect("bpftool")
                        .status
                        .success()
                    {
                        assert!(
                            t0.elapsed() < Duration::from_secs(5),
                            "{tag}: program {id} is still loaded"
                        );
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                match target {
                    // -p: the target is alive and was left alone.
                    Some((mut t, pid)) => {
                        assert!(alive(pid), "{tag}: the -p target died");
                        let _ = t.kill();
                        let _ = t.wait();
                    }
                    // A command: not orphaned.
                    None => {
                        if let Some(pid) = std::fs::read_to_string(&file)
                            .ok()
                            .and_then(|s| s.trim().parse::<u32>().ok())
                        {
                            gone_within(pid, 5, &format!("{tag}: the command outlived the tracer"));
                        }
                    }
                }
            }
        }
    }
    assert_eq!(runs, 40);
}

/// Resident set size of process `pid` in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A soak: for 60 s, rounds of an 8-thread flood (traced, every call accounted for: the
/// calls shown and the records lost add up to the calls made) next to a fork/exec storm
/// (traced, every exit line present), all under a host-wide `--watch --metrics` tracer
/// whose memory must stay flat.
#[test]
fn soak_floods_and_storms_under_a_host_wide_watch() {
    const SECS: u64 = 60;
    const PER_THREAD: u64 = 50_000;
    let (watch, port) =
        start_metrics_tracer(&["-a", "--watch", "--interval", "1s", "--expire", "5s"]);
    let wpid = watch.id();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut curve = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                curve.push(rss_kib(wpid));
                std::thread::sleep(Duration::from_secs(1));
            }
            curve
        })
    };
    let v = victim();
    let t0 = Instant::now();
    let mut rounds = 0;
    while t0.elapsed() < Duration::from_secs(SECS) {
        let flood_out = tmpfile("soak-flood");
        let storm_out = tmpfile("soak-storm");
        let flood = Command::new(TRACER)
            .args(["-f", "-e", "trace=getppid", "-o"])
            .arg(&flood_out)
            .arg(v)
            .args(["threads-getppid", &PER_THREAD.to_string()])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let storm = Command::new(TRACER)
            .args(["-f", "-e", "trace=execve", "-o"])
            .arg(&storm_out)
            .args(["sh", "-c", "for i in $(seq 100); do /bin/true; done"])
            .output()
            .unwrap();
        let flood = flood.wait_with_output().unwrap();
        assert!(
            flood.status.success() && storm.status.success(),
            "{flood:?} {storm:?}"
        );
        // Every call of the flood is a line or counted as lost (in the gaps, and in all by
        // the closing message); the lost may also hold the threads' 8 fork, 9 exit and 1
        // exec records.
        let text = std::fs::read_to_string(&flood_out).unwrap();
        let shown = text.lines().filter(|l| l.contains("getppid()")).count() as u64;
        let in_gaps: u64 = text
            .lines()
            .filter_map(|l| l.strip_prefix("<... "))
            .filter_map(|l| l.split(' ').next()?.parse::<u64>().ok())
            .sum();
        let err = String::from_utf8_lossy(&flood.stderr);
        let lost: u64 = err
            .lines()
            .find_map(|l| {
                l.strip_prefix("tracer: ")?
                    .split(" records were lost")
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0);
        assert!(
            in_gaps <= lost,
            "round {rounds}: {in_gaps} in gaps, {lost} in all"
        );
        let made = 8 * PER_THREAD;
        assert!(
            (made..=made + 18).contains(&(shown + lost)),
            "round {rounds}: {shown} shown + {lost} lost != {made} made"
        );
        // Every process of the storm has its exit line: the shell, seq and 100 children.
        let text = std::fs::read_to_string(&storm_out).unwrap();
        let exits = text
            .lines()
            .filter(|l| l.contains("+++ exited with"))
            .count();
        assert_eq!(exits, 102, "round {rounds}:\n{text}");
        rounds += 1;
    }
    // The watch answered all along and counted.
    let r = http_get(port, "/metrics");
    assert!(r.starts_with("HTTP/1.1 200 OK"), "{r}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let curve = sampler.join().unwrap();
    let o = interrupt(watch);
    assert!(o.status.success(), "{o:?}");
    println!(
        "soak: {rounds} rounds in {SECS} s; host-wide tracer RSS (KiB, each second): {curve:?}"
    );
    // Flat: the second half peaks within 25% (plus 4 MiB) of the first half's peak.
    let half = curve.len() / 2;
    let first = curve[..half].iter().max().copied().unwrap_or(0);
    let second = curve[half..].iter().max().copied().unwrap_or(0);
    assert!(second <= first + first / 4 + 4096, "RSS grew: {curve:?}");
}

/// `int` arguments with junk in the upper half of their registers print as the kernel reads
/// them, as strace prints them (strace's own tests put junk in every int).
#[test]
fn int_arguments_ignore_the_upper_half_of_their_registers() {
    let v = victim().to_str().unwrap();
    let args = ["-qq", "-e", "trace=kill,lseek,access", v, "junk-ints"];
    let (ours, o) = trace(&args, "junk-ints");
    assert!(o.status.success(), "{o:?}");
    let (theirs, _) = strace_run(&args, "junk-ints");
    let pidless = |t: &str| -> String { t.lines().map(digits_as_n).collect::<Vec<_>>().join("\n") };
    assert_eq!(
        pidless(&ours),
        pidless(&unpad(&theirs)),
        "tracer:\n{ours}\nstrace:\n{theirs}"
    );
    assert!(ours.contains(", SIGALRM) = 0"), "{ours}");
    assert!(ours.contains("lseek(0, 0, SEEK_CUR)"), "{ours}");
    assert!(
        ours.contains("access(\"/nonexistent-junk\", R_OK) = -1 ENOENT"),
        "{ours}"
    );
}
