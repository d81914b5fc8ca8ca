//! A real PostgreSQL behind a real pgBouncer (Debian packages), on loopback, in a temporary
//! directory, both run as `nobody`. Used by the story-4 test (tests/pgbouncer.rs) and by
//! `cargo xtask bench` (included there with `#[path]`), so the set-up exists once.
use std::{
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The running servers; stopped and cleaned up when dropped.
pub struct PgBouncer {
    pub dir: PathBuf,
    /// pgBouncer's port and pid (setpriv execs it: the pid is pgBouncer's).
    pub port: u16,
    pub pid: u32,
    /// PostgreSQL's own port.
    pub pg_port: u16,
    bouncer: Child,
    postgres: Child,
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        for c in [&mut self.bouncer, &mut self.postgres] {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed PostgreSQL's `name` binary (`initdb`, `postgres`, `pgbench`).
pub fn pg_bin(name: &str) -> Option<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    v.sort();
    v.pop()
}

fn as_nobody(bin: &Path) -> Command {
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    c
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn wait_port(port: u16, what: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("{what} did not start on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn io<T>(what: &str, r: std::io::Result<T>) -> Result<T, String> {
    r.map_err(|e| format!("{what}: {e}"))
}

impl PgBouncer {
    /// Starts PostgreSQL (trust auth, user `postgres`) and pgBouncer in front of it, database
    /// `db`, with the given pool mode (`session`, `transaction`).
    pub fn start(pool_mode: &str) -> Result<Self, String> {
        let initdb = pg_bin("initdb").ok_or("PostgreSQL is not installed")?;
        let postgres = pg_bin("postgres").ok_or("PostgreSQL is not installed")?;
        let bouncer_bin = Path::new("/usr/sbin/pgbouncer");
        if !bouncer_bin.exists() {
            return Err("pgbouncer is not installed".into());
        }
        let dir =
            std::env::temp_dir().join(format!("tracer-pg-{}-{pool_mode}", std::process::id()));
        io("temporary directory", std::fs::create_dir_all(&dir))?;
        io(
            "chown",
            Command::new("chown").arg("65534:65534").arg(&dir).status(),
        )?;
        let data = dir.join("pg");
        let st = io(
            "initdb",
            as_nobody(&initdb)
                .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
                .arg(&data)
                .stdout(Stdio::null())
                .status(),
        )?;
        if !st.success() {
            return Err(format!("initdb failed: {st}"));
        }
        let pg_port = free_port()?;
        let postgres = io(
            "postgres",
            as_nobody(&postgres)
                .arg("-D")
                .arg(&data)
                .arg("-k")
                .arg(&dir)
                .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-p"])
                .arg(pg_port.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn(),
        )?;
        let port = free_port()?;
        let ini = dir.join("pgbouncer.ini");
        io(
            "users.txt",
            std::fs::write(dir.join("users.txt"), "\"postgres\" \"\"\n"),
        )?;
        io(
            "pgbouncer.ini",
            std::fs::write(
                &ini,
                format!(
                    "[databases]\ndb = host=127.0.0.1 port={pg_port} dbname=postgres user=postgres\n\
                     [pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nauth_type = trust\n\
                     auth_file = {d}/users.txt\npool_mode = {pool_mode}\nunix_socket_dir =\n\
                     logfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n",
                    d = dir.display()
                ),
            ),
        )?;
        // Started before waiting for PostgreSQL, so that a failure still stops both (Drop).
        let bouncer = io(
            "pgbouncer",
            as_nobody(bouncer_bin)
                .arg(&ini)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn(),
        )?;
        let pid = bouncer.id();
        let env = PgBouncer {
            dir,
            port,
            pid,
            pg_port,
            bouncer,
            postgres,
        };
        wait_port(pg_port, "postgres")?;
        wait_port(port, "pgbouncer")?;
        Ok(env)
    }
}
