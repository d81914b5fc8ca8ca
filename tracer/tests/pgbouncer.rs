//! Story 4 end to end: real PostgreSQL and pgBouncer (Debian packages, installed by
//! `cargo xtask test`), started on loopback in a temporary directory as `nobody`. A client
//! bound to 127.0.0.5 sends `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY` through
//! pgBouncer; `tracer -p <pgbouncer> --match 'READ ONLY'` must print the receiving call with
//! the statement and that client's address and port, and nothing for another client's traffic.
mod support {
    pub mod pgenv;
}

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use support::pgenv::PgBouncer;

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

/// Kills and reaps a child when the test ends, however it ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn client(src: &str, port: u16, sql: &str) -> u16 {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/progs/pgclient.py");
    let o = Command::new("/usr/bin/python3")
        .arg(script)
        .args([src, &port.to_string(), "db", sql])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "client {src}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
}

#[test]
fn story4_match_through_pgbouncer_shows_the_clients_address() {
    let env = PgBouncer::start("session")
        .unwrap_or_else(|e| panic!("{e} (cargo xtask test installs it)"));
    let (dir, b_port, bpid) = (env.dir.clone(), env.port, env.pid);

    let out = dir.join("trace.txt");
    let mut tracer = Command::new(TRACER)
        .args(["-p", &bpid.to_string(), "--match", "READ ONLY", "-o"])
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let err = tracer.stderr.take().unwrap();
        let mut lines = std::io::BufReader::new(err).lines();
        let first = lines.next().unwrap().unwrap();
        assert!(first.contains("attached"), "{first}");
    }
    let tracer = Guard(tracer);

    let other = client("127.0.0.6", b_port, "SELECT 1");
    let port = client(
        "127.0.0.5",
        b_port,
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
    );
    let other2 = client("127.0.0.6", b_port, "SELECT 'not read only'");
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(tracer.0.id() as i32, libc::SIGINT) };
    let mut tracer = tracer;
    let st = tracer.0.wait().unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(&out).unwrap();
    eprintln!("{text}");

    // The receiving call, with the statement, and where its fd came from: the client's accept.
    let lines: Vec<&str> = text.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("recvfrom(") && l.contains("SET SESSION CHARACTERISTICS"))
        .unwrap_or_else(|| panic!("no matching recvfrom in:\n{text}"));
    assert!(
        lines[i + 1].contains("matched \"READ ONLY\"")
            && lines[i + 1].contains("TRANSACTION READ ONLY"),
        "{text}"
    );
    let origin = lines[i + 2];
    assert!(origin.contains("from accept"), "{origin}");
    assert!(
        origin.ends_with(&format!("peer 127.0.0.5:{port}")),
        "{origin}\n{text}"
    );
    assert!(
        origin.contains(&format!("<TCP:[127.0.0.1:{b_port}->127.0.0.5:{port}]>")),
        "{origin}"
    );
    // Nothing from the other client: its fds' peers never appear.
    for p in [other, other2] {
        assert!(!text.contains(&format!("127.0.0.6:{p}")), "{text}");
    }
    assert!(!text.contains("SELECT"), "{text}");
    // And pgBouncer forwarding the statement to the server: a match on its server connection.
    assert!(
        text.contains(&format!("->127.0.0.1:{}]>", env.pg_port)),
        "{text}"
    );
}
