//! Differential check against strace: one run of each corpus program is observed by both
//! tracers at once (`tracer -f -- strace -ff -- PROGRAM`), so pids, addresses and results are
//! the same on both sides. Per thread, the sequences of (syscall, return value) are aligned, and
//! the argument text of the aligned calls is compared. Targets: name+return ≥ 99.5% of calls,
//! full argument text identical ≥ 95% of the calls tracer decodes.
//!
//! Needs root (the tracer) and strace; `.ci/run` installs strace.
use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    process::Command,
};

use similar::{Algorithm, DiffOp, capture_diff_slices};

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

/// One call as printed by either side.
#[derive(Clone, Debug)]
struct Call {
    name: String,
    args: String,
    ret: String,
}

/// The key calls are aligned on: the name and the return value's first token.
fn key(c: &Call) -> (String, String) {
    (
        c.name.clone(),
        c.ret.split_whitespace().next().unwrap_or("").to_string(),
    )
}

/// What differs from run to run rather than between the tools, each with why. Applied to
/// both sides' argument text before comparing.
fn normalize(name: &str, args: &str) -> String {
    let mut a = args.to_string();
    if name == "execve" {
        // The envp pointer (`0x7ffd... /* 25 vars */`) is a stack address: ASLR moves it.
        if let Some(i) = a.rfind(", 0x")
            && let Some(j) = a[i..].find(" /* ")
        {
            a = format!("{}, {}", &a[..i], &a[i + j + 1..]);
        }
    }
    a
}

fn parse_strace_line(line: &str) -> Option<Call> {
    if line.starts_with("+++") || line.starts_with("---") || line.contains("<unfinished") {
        return None;
    }
    let open = line.find('(')?;
    let name = &line[..open];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    // strace pads short calls with spaces before ` = `.
    let eq = line.rfind(" = ")?;
    let head = line[..eq].trim_end();
    let head = head.strip_suffix(')')?;
    Some(Call {
        name: name.to_string(),
        args: head.get(open + 1..)?.to_string(),
        ret: line[eq + 3..].trim().to_string(),
    })
}

fn strace_calls(dir: &Path) -> BTreeMap<u32, Vec<Call>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("s.").and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let text = std::fs::read_to_string(e.path()).unwrap();
        let calls: Vec<Call> = text.lines().filter_map(parse_strace_line).collect();
        out.insert(pid, calls);
    }
    out
}

fn tracer_calls(json: &Path) -> HashMap<u32, Vec<Call>> {
    let mut out: HashMap<u32, Vec<Call>> = HashMap::new();
    for line in std::fs::read_to_string(json).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["type"] != "syscall" {
            continue;
        }
        let tid = v["tid"].as_u64().unwrap() as u32;
        out.entry(tid).or_default().push(Call {
            name: v["name"].as_str().unwrap().to_string(),
            args: v["args_text"].as_str().unwrap().to_string(),
            ret: v["ret_text"].as_str().unwrap().to_string(),
        });
    }
    out
}

#[derive(Default, Debug)]
struct Stats {
    strace_calls: usize,
    tracer_calls: usize,
    matched: usize,
    args_equal: usize,
    mismatched_args: BTreeMap<String, (usize, String, String)>,
    unmatched: BTreeMap<String, usize>,
}

fn compare(s: &BTreeMap<u32, Vec<Call>>, t: &HashMap<u32, Vec<Call>>, st: &mut Stats) {
    for (pid, sc) in s {
        let empty = Vec::new();
        let tc = t.get(pid).unwrap_or(&empty);
        // strace's child runs a few calls (ptrace, its own execve of the program) before strace
        // shows anything: tracer's sequence for that pid starts earlier. Align from the first
        // call strace shows.
        let sk: Vec<_> = sc.iter().map(key).collect();
        let tk: Vec<_> = tc.iter().map(key).collect();
        let ops = capture_diff_slices(Algorithm::Myers, &tk, &sk);
        let first_t = ops
            .iter()
            .find_map(|op| match op {
                DiffOp::Equal { old_index, .. } => Some(*old_index),
                _ => None,
            })
            .unwrap_or(0);
        st.strace_calls += sc.len();
        for op in &ops {
            let (t_range, s_range) = (op.old_range(), op.new_range());
            if let DiffOp::Equal { .. } = op {
                for (a, b) in tc[t_range].iter().zip(&sc[s_range]) {
                    st.matched += 1;
                    st.tracer_calls += 1;
                    if normalize(&a.name, &a.args) == normalize(&b.name, &b.args) {
                        st.args_equal += 1;
                    } else {
                        let e = st.mismatched_args.entry(b.name.clone()).or_insert((
                            0,
                            b.args.clone(),
                            a.args.clone(),
                        ));
                        e.0 += 1;
                    }
                }
                continue;
            }
            // Calls only tracer saw: before strace's first shown call they are the strace
            // child's own set-up, not the program's.
            for (k, c) in tc.iter().enumerate().take(t_range.end).skip(t_range.start) {
                if k >= first_t {
                    st.tracer_calls += 1;
                    *st.unmatched
                        .entry(format!("tracer-only {}", c.name))
                        .or_default() += 1;
                }
            }
            for c in &sc[s_range] {
                *st.unmatched
                    .entry(format!("strace-only {}", c.name))
                    .or_default() += 1;
            }
        }
    }
}

fn workdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("tracer-diff-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run_one(work: &Path, name: &str, script: &str, st: &mut Stats) {
    let dir = work.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("tracer.json");
    let prefix = dir.join("s");
    let o = Command::new(TRACER)
        .args(["-f", "--json", "-o"])
        .arg(&json)
        // strace's command line: options end at the first word that is not one.
        .args(["strace", "-f", "-ff", "-qq", "-e", "signal=none", "-o"])
        .arg(&prefix)
        .args(["--", "/bin/sh", "-c", script])
        .current_dir(work)
        .env("LC_ALL", "C")
        .output()
        .expect("tracer");
    assert!(
        o.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = strace_calls(&dir);
    let t = tracer_calls(&json);
    compare(&s, &t, st);
}

#[test]
fn agrees_with_strace_on_a_corpus_of_real_programs() {
    let work = workdir();
    // Corpus set-up: files, a small git repository, a loopback HTTP server.
    std::fs::write(work.join("a.txt"), "hello\nworld\n".repeat(100)).unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&work)
            .env("HOME", &work)
            .output()
            .unwrap()
    };
    git(&["init", "-q", "repo"]);
    std::fs::write(work.join("repo/f.txt"), "x\n").unwrap();
    let repo = work.join("repo");
    let g = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("HOME", &work)
            .output()
            .unwrap()
    };
    g(&["add", "f.txt"]);
    g(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "x",
    ]);
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for s in server.incoming().flatten() {
            let mut s = s;
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
        }
    });
    let py_files = "import os,tempfile\nd=tempfile.mkdtemp()\np=os.path.join(d,'x')\nopen(p,'w').write('data')\nprint(open(p).read())\nos.rename(p,p+'2')\nos.unlink(p+'2')\nos.rmdir(d)";
    let py_sock = format!(
        "import socket\ns=socket.create_connection(('127.0.0.1',{port}))\ns.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')\nprint(s.recv(100))\ns.close()\nu=socket.socket(socket.AF_UNIX)\ntry:\n  u.connect('/nonexistent.sock')\nexcept OSError: pass"
    );
    let corpus: Vec<(&str, String)> = vec![
        ("ls", "ls -la / /etc >/dev/null".into()),
        (
            "cat",
            "cat a.txt /etc/hostname >/dev/null; cat /nonexistent 2>/dev/null; true".into(),
        ),
        ("cp", "cp a.txt b.txt && cp -r repo repo2".into()),
        (
            "tar",
            "tar cf t.tar a.txt repo && tar tf t.tar >/dev/null".into(),
        ),
        (
            "sh-pipes",
            "echo one | tr a-z A-Z | wc -c >/dev/null; ls | sort | head -n 2 >/dev/null".into(),
        ),
        (
            "python-files",
            format!("/usr/bin/python3 -c \"{py_files}\" >/dev/null"),
        ),
        (
            "python-socket",
            format!("/usr/bin/python3 -c \"{py_sock}\" >/dev/null"),
        ),
        (
            "curl",
            format!("curl -s http://127.0.0.1:{port}/ >/dev/null"),
        ),
        (
            "git-status",
            "cd repo && HOME=.. git status >/dev/null".into(),
        ),
        // Signals: a shell killed by its own SIGUSR1, a child's exit status, and yes killed
        // by SIGPIPE when head is done (as it is without a tracer).
        (
            "signals",
            "sh -c 'kill -USR1 $$'; sh -c 'exit 3'; yes | head -1 >/dev/null; true".into(),
        ),
    ];
    let mut total = Stats::default();
    for (name, script) in &corpus {
        let mut st = Stats::default();
        run_one(&work, name, script, &mut st);
        eprintln!(
            "{name:<14} strace {:>6} calls, tracer {:>6}, name+ret agree {:>6.2}%, args identical {:>6.2}%",
            st.strace_calls,
            st.tracer_calls,
            100.0 * st.matched as f64 / st.strace_calls.max(st.tracer_calls).max(1) as f64,
            100.0 * st.args_equal as f64 / st.matched.max(1) as f64,
        );
        total.strace_calls += st.strace_calls;
        total.tracer_calls += st.tracer_calls;
        total.matched += st.matched;
        total.args_equal += st.args_equal;
        for (k, v) in st.mismatched_args {
            let e = total
                .mismatched_args
                .entry(k)
                .or_insert((0, v.1.clone(), v.2.clone()));
            e.0 += v.0;
        }
        for (k, v) in st.unmatched {
            *total.unmatched.entry(k).or_default() += v;
        }
    }
    let name_ret = 100.0 * total.matched as f64 / total.strace_calls.max(total.tracer_calls) as f64;
    let args = 100.0 * total.args_equal as f64 / total.matched.max(1) as f64;
    eprintln!(
        "TOTAL          strace {} calls, tracer {}, name+ret agree {name_ret:.2}%, args identical {args:.2}%",
        total.strace_calls, total.tracer_calls
    );
    let mut worst: Vec<_> = total.mismatched_args.iter().collect();
    worst.sort_by_key(|e| std::cmp::Reverse(e.1.0));
    for (name, (n, s, t)) in worst.iter().take(25) {
        eprintln!("  args differ {n:>5} {name}\n      strace: {s}\n      tracer: {t}");
    }
    let mut un: Vec<_> = total.unmatched.iter().collect();
    un.sort_by_key(|e| std::cmp::Reverse(*e.1));
    for (k, n) in un.iter().take(15) {
        eprintln!("  unmatched {n:>5} {k}");
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        name_ret >= 99.5,
        "name+return agreement {name_ret:.2}% < 99.5%"
    );
    assert!(args >= 95.0, "argument text agreement {args:.2}% < 95%");
}
