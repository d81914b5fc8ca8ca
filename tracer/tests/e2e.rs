//! End-to-end tests: the real tracer binary, the real eBPF programs, real traced programs,
//! exact strace lines. They need root (CAP_BPF); CI runs them as root. If the kernel side is
//! broken, no lines arrive and every test here fails.
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

fn victim() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tracer-e2e-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("victim");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/progs/victim.c");
        let st = Command::new("cc")
            .args(["-O1", "-no-pie", "-o"])
            .arg(&out)
            .arg(&src)
            .status()
            .expect("cc");
        assert!(st.success(), "compiling victim.c");
        out
    })
}

fn tmpfile(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tracer-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
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
    (text, o)
}

fn assert_line(text: &str, want: &str) {
    assert!(
        text.lines().any(|l| l == want),
        "missing line:\n  {want}\nin output:\n{text}"
    );
}

/// Starts a long-running tracer and waits until it reports that it is attached.
fn start_tracer(args: &[&str], out: &Path) -> Child {
    let mut child = Command::new(TRACER)
        .arg("-o")
        .arg(out)
        .args(args)
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
    child
}

fn interrupt(child: Child) -> Output {
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
        first,
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
    let calls: Vec<&str> = text.lines().filter(|l| !l.starts_with("+++")).collect();
    assert_eq!(calls.len(), 1, "only the ENOMEM failure: {text}");

    let (text, _) = trace(&["-Z", "--", v, "both"], "failed");
    assert_line(
        &text,
        "openat(AT_FDCWD, \"/nonexistent/tracer-both\", O_RDONLY) = -1 ENOENT (No such file or directory)",
    );
    assert!(
        text.lines()
            .filter(|l| !l.starts_with("+++"))
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
    let row = text
        .lines()
        .find(|l| l.ends_with(" getppid"))
        .unwrap_or_else(|| panic!("{text}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[3], "1000", "{row}");
    let (text, _) = trace(
        &["-c", "-e", "trace=close", "--", v, "closebad", "7"],
        "count2",
    );
    let row = text
        .lines()
        .find(|l| l.ends_with(" close"))
        .unwrap_or_else(|| panic!("{text}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    // close(-1) x7 fail; the loader's own closes succeed.
    assert_eq!(cols[4], "7", "{row}");
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
    let execs: Vec<&str> = text.lines().filter(|l| l.contains("execve(")).collect();
    assert!(
        execs
            .iter()
            .any(|l| l.contains("execve(\"/bin/true\", [\"/bin/true\"], /* ")
                && l.ends_with(" vars */) = 0")
                && l.starts_with("[pid ")),
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
            .filter(|l| l.ends_with("+++ exited with 0 +++"))
            .count()
            >= 3,
        "{text}"
    );
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
        (vec!["--", "/no/such/program"], "command not found"),
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
    let mut t = t;
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
