//! Story 4 end to end: real PostgreSQL and pgBouncer (Debian packages, installed by
//! `cargo xtask test`), started on loopback in a temporary directory as `nobody`. A client
//! bound to 127.0.0.5 sends `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY` through
//! pgBouncer; `tracer -p <pgbouncer> --match 'READ ONLY'` must print the receiving call with
//! the statement and that client's address and port, and nothing for another client's traffic.
use std::{
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

/// Kills and reaps a child when the test ends, however it ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn pg_bin(name: &str) -> PathBuf {
    let mut v: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (cargo xtask test installs it)")
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v.pop()
        .unwrap_or_else(|| panic!("no {name} in /usr/lib/postgresql/*/bin"))
}

/// Runs a command as nobody.
fn as_nobody(bin: &Path) -> Command {
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    c
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
    let dir = std::env::temp_dir().join(format!("tracer-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Command::new("chown")
        .args(["65534:65534"])
        .arg(&dir)
        .status()
        .unwrap();
    let data = dir.join("pg");
    let st = as_nobody(&pg_bin("initdb"))
        .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
        .arg(&data)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "initdb");
    let pg_port = free_port();
    let _pg = Guard(
        as_nobody(&pg_bin("postgres"))
            .arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(&dir)
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-p",
                &pg_port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_port(pg_port, "postgres");
    let b_port = free_port();
    let ini = dir.join("pgbouncer.ini");
    std::fs::write(dir.join("users.txt"), "\"postgres\" \"\"\n").unwrap();
    std::fs::write(
        &ini,
        format!(
            "[databases]\ndb = host=127.0.0.1 port={pg_port} dbname=postgres user=postgres\n\
             [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {b_port}\nauth_type = trust\n\
             auth_file = {d}/users.txt\npool_mode = session\nunix_socket_dir =\n\
             logfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n",
            d = dir.display()
        ),
    )
    .unwrap();
    let bouncer = Guard(
        as_nobody(Path::new("/usr/sbin/pgbouncer"))
            .arg(&ini)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_port(b_port, "pgbouncer");
    // setpriv execs pgbouncer: same pid.
    let bpid = bouncer.0.id();

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
    let _ = std::fs::remove_dir_all(&dir);
}
