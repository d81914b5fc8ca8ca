//! Reads from /proc, each in one place: a process's comm, what one of its fds points to, and
//! the sockets of its network namespace (`/proc/PID/net/{tcp,tcp6,udp,udp6}`). A table that
//! does not exist (IPv6 disabled at boot: no `tcp6`) is skipped, never fatal.
use crate::world::{self, q};
use std::{
    fs,
    net::{Ipv4Addr, Ipv6Addr, SocketAddr},
    path::{Path, PathBuf},
};

/// `/proc/PID/comm`, trimmed; `?` if the process is gone.
pub fn comm(tgid: u32) -> String {
    fs::read_to_string(format!("/proc/{tgid}/comm"))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// `/proc/TID/comm` of a task that exists, trimmed.
pub fn task_comm(tid: u32) -> Option<String> {
    world::ask_str(query(q::TASK_COMM, tid, 0), || comm_now(tid))
}

/// `/proc/TID/comm` read now, outside the world gate (for a capture's header, which the
/// replay reads itself).
pub fn comm_now(tid: u32) -> Option<String> {
    fs::read_to_string(format!("/proc/{tid}/comm"))
        .ok()
        .map(|c| c.trim_end_matches('\n').to_string())
}

fn query(kind: u8, a: impl Into<u64>, b: u64) -> world::Query {
    world::Query {
        kind,
        a: a.into(),
        b,
    }
}

/// The inode of process `pid`'s PID namespace (`/proc/PID/ns/pid` -> `pid:[4026531836]`).
pub fn pid_ns(pid: u32) -> Option<u64> {
    world::ask_str(query(q::PID_NS, pid, 0), || {
        let link = fs::read_link(format!("/proc/{pid}/ns/pid")).ok()?;
        Some(
            link.to_str()?
                .strip_prefix("pid:[")?
                .strip_suffix(']')?
                .to_string(),
        )
    })?
    .parse()
    .ok()
}

/// Every process in PID namespace `ns`, as (its pid in that namespace, its pid here): the
/// last and first numbers of the `NSpid:` line of /proc/PID/status.
pub fn pids_in_ns(ns: u64) -> Vec<(u32, u32)> {
    let text = world::ask_str(query(q::PIDS_IN_NS, ns, 0), || {
        let pairs: Vec<String> = read_pids_in_ns(ns)
            .iter()
            .map(|(i, o)| format!("{i}:{o}"))
            .collect();
        Some(pairs.join(" "))
    })
    .unwrap_or_default();
    text.split_whitespace()
        .filter_map(|p| {
            let (i, o) = p.split_once(':')?;
            Some((i.parse().ok()?, o.parse().ok()?))
        })
        .collect()
}

fn read_pids_in_ns(ns: u64) -> Vec<(u32, u32)> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid_ns(pid) != Some(ns) {
            continue;
        }
        let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        if let Some(inner) = status
            .lines()
            .find_map(|l| l.strip_prefix("NSpid:"))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|s| s.parse().ok())
        {
            out.push((inner, pid));
        }
    }
    out
}

/// The thread ids of process `tgid` (empty if it is gone).
pub fn tasks(tgid: u32) -> Vec<u32> {
    fs::read_dir(format!("/proc/{tgid}/task"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The syscall task `tid` is blocked in, from /proc/TID/syscall (`NR ARG0..ARG5 SP PC`):
/// (tgid, number, arguments); None when it runs in user space or is gone.
pub fn in_syscall(tid: u32) -> Option<(u32, i64, [u64; 6])> {
    let text = fs::read_to_string(format!("/proc/{tid}/syscall")).ok()?;
    let mut words = text.split_whitespace();
    let nr: i64 = words.next()?.parse().ok()?;
    if nr < 0 {
        return None;
    }
    let mut args = [0u64; 6];
    for a in &mut args {
        *a = u64::from_str_radix(words.next()?.trim_start_matches("0x"), 16).ok()?;
    }
    let status = fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    let tgid = status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))?
        .trim()
        .parse()
        .ok()?;
    Some((tgid, nr, args))
}

/// First of the private-use code points that stand for bytes of a path that are not UTF-8.
pub const RAW_BYTE_BASE: u32 = 0x10_ff00;

/// A path as text that keeps every byte: bytes that are not UTF-8 become the private-use code
/// points `RAW_BYTE_BASE + byte`, which `decode::strings::fd_path` prints as those bytes
/// (strace's `\200`), where a lossy conversion would print U+FFFD's three.
pub fn path_text(p: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    bytes_text(p.as_os_str().as_bytes())
}

/// A [`path_text`] for readers of UTF-8 (JSON): the bytes that were not UTF-8 as U+FFFD.
pub fn lossy_text(s: &str) -> std::borrow::Cow<'_, str> {
    let raw = |c: char| (RAW_BYTE_BASE..RAW_BYTE_BASE + 256).contains(&u32::from(c));
    if !s.chars().any(raw) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if raw(c) {
                    char::REPLACEMENT_CHARACTER
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// [`path_text`] of a path's bytes (as a syscall's argument carried them).
pub fn bytes_text(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        s.push_str(chunk.valid());
        for &x in chunk.invalid() {
            s.extend(char::from_u32(RAW_BYTE_BASE + u32::from(x)));
        }
    }
    s
}

/// What /proc/PID/fd/FD points to: a path, `pipe:[123]`, `anon_inode:[eventfd]`...
pub fn fd_link(tgid: u32, fd: i32) -> Option<String> {
    world::ask_str(query(q::FD_LINK, tgid, fd as u32 as u64), || {
        let link = fs::read_link(format!("/proc/{tgid}/fd/{fd}")).ok()?;
        Some(path_text(&link))
    })
}

/// Process `tgid`'s cgroup v2: the directory's inode (the kernel's cgroup id) and its path
/// as /proc/PID/cgroup's `0::` line gives it.
pub fn cgroup(tgid: u32) -> Option<(u64, String)> {
    let text = world::ask_str(query(q::CGROUP, tgid, 0), || {
        let c = fs::read_to_string(format!("/proc/{tgid}/cgroup")).ok()?;
        let path = c.lines().find_map(|l| l.strip_prefix("0::"))?.to_string();
        let root = crate::containers::unified_root()?;
        use std::os::unix::fs::MetadataExt;
        let ino = fs::metadata(root.join(path.trim_start_matches('/')))
            .ok()?
            .ino();
        Some(format!("{ino} {path}"))
    })?;
    let (id, path) = text.split_once(' ')?;
    Some((id.parse().ok()?, path.to_string()))
}

/// The path of the cgroup v2 whose id is `id` (its directory's inode), found by walking the
/// hierarchy (cached; walked again for an id not seen, as new containers appear).
pub fn cgroup_path(id: u64) -> Option<String> {
    world::ask_str(query(q::CGROUP_PATH, id, 0), || {
        use std::{cell::RefCell, collections::HashMap};
        thread_local! {
            static BY_ID: RefCell<HashMap<u64, String>> = RefCell::new(HashMap::new());
        }
        if let Some(p) = BY_ID.with(|m| m.borrow().get(&id).cloned()) {
            return Some(p);
        }
        let root = crate::containers::unified_root()?;
        let mut found = HashMap::new();
        walk_cgroups(&root, &root, 10, &mut found);
        BY_ID.with(|m| *m.borrow_mut() = found);
        BY_ID.with(|m| m.borrow().get(&id).cloned())
    })
}

fn walk_cgroups(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut std::collections::HashMap<u64, String>,
) {
    use std::os::unix::fs::MetadataExt;
    if let Ok(m) = fs::metadata(dir) {
        let rel = dir.strip_prefix(root).unwrap_or(dir);
        out.insert(m.ino(), format!("/{}", rel.display()));
    }
    if depth == 0 {
        return;
    }
    if let Ok(d) = fs::read_dir(dir) {
        for e in d.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                walk_cgroups(root, &e.path(), depth - 1, out);
            }
        }
    }
}

/// Task `tid`'s id in its own PID namespace (NSpid's last number).
pub fn nspid(tid: u32) -> Option<u32> {
    world::ask_str(query(q::NSPID, tid, 0), || {
        let status = fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
        Some(
            status
                .lines()
                .find_map(|l| l.strip_prefix("NSpid:"))?
                .split_whitespace()
                .last()?
                .to_string(),
        )
    })?
    .parse()
    .ok()
}

/// The open fds of process `tgid`, in /proc's order.
pub fn fd_list(tgid: u32) -> Vec<i32> {
    let text = world::ask_str(query(q::FD_LIST, tgid, 0), || {
        let dir = fs::read_dir(format!("/proc/{tgid}/fd")).ok()?;
        let fds: Vec<String> = dir
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        Some(fds.join(" "))
    })
    .unwrap_or_default();
    text.split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Process `tgid`'s working directory.
pub fn cwd(tgid: u32) -> Option<String> {
    world::ask_str(query(q::CWD, tgid, 0), || {
        fs::read_link(format!("/proc/{tgid}/cwd"))
            .ok()
            .map(|p| path_text(&p))
    })
}

/// The inode of a socket fd, from its /proc/PID/fd link (`socket:[12345]`).
pub fn socket_inode(tgid: u32, fd: i32) -> Option<u64> {
    fd_link(tgid, fd)?
        .strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// One row of a /proc/net socket table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetSocket {
    /// `TCP`, `TCPv6`, `UDP`, `UDPv6`: strace's `-yy` names.
    pub proto: &'static str,
    pub local: SocketAddr,
    /// None while unconnected (the kernel prints port 0).
    pub peer: Option<SocketAddr>,
    /// TCP state (`0A` = LISTEN), as the kernel prints it.
    pub state: String,
    pub inode: u64,
}

impl NetSocket {
    pub fn is_tcp(&self) -> bool {
        self.proto.starts_with("TCP")
    }

    pub fn is_listening(&self) -> bool {
        self.is_tcp() && self.state == "0A"
    }
}

/// The tables, with the name strace gives their sockets and whether addresses are IPv6.
const TABLES: [(&str, &str, bool); 4] = [
    ("tcp", "TCP", false),
    ("tcp6", "TCPv6", true),
    ("udp", "UDP", false),
    ("udp6", "UDPv6", true),
];

/// Every TCP and UDP socket of the process's network namespace.
pub fn sockets(tgid: u32) -> Vec<NetSocket> {
    sockets_in(&PathBuf::from(format!("/proc/{tgid}/net")))
}

/// The sockets of the tables found in `dir` (a `/proc/PID/net`); missing tables are skipped.
pub fn sockets_in(dir: &Path) -> Vec<NetSocket> {
    let mut out = Vec::new();
    for (file, proto, v6) in TABLES {
        let Ok(text) = fs::read_to_string(dir.join(file)) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let c: Vec<&str> = line.split_whitespace().collect();
            if c.len() < 10 {
                continue;
            }
            let (Some(local), Ok(inode)) = (parse_hex_addr(c[1], v6), c[9].parse()) else {
                continue;
            };
            out.push(NetSocket {
                proto,
                local,
                peer: parse_hex_addr(c[2], v6).filter(|a| a.port() != 0),
                state: c[3].to_string(),
                inode,
            });
        }
    }
    out
}

/// The socket with this inode in the process's network namespace.
pub fn socket_by_inode(tgid: u32, inode: u64) -> Option<NetSocket> {
    let text = world::ask_str(query(q::SOCKET, tgid, inode), || {
        let s = sockets(tgid).into_iter().find(|s| s.inode == inode)?;
        Some(match s.peer {
            Some(p) => format!("{} {} {p} {}", s.proto, s.local, s.state),
            None => format!("{} {} - {}", s.proto, s.local, s.state),
        })
    })?;
    let mut w = text.split(' ');
    let proto = TABLES.iter().map(|t| t.1).find(|p| Some(*p) == w.next())?;
    let local = w.next()?.parse().ok()?;
    let peer = w.next()?.parse().ok();
    Some(NetSocket {
        proto,
        local,
        peer,
        state: w.next().unwrap_or_default().to_string(),
        inode,
    })
}

/// `0100007F:1F90` (and the 32-hex-digit IPv6 form) as the kernel prints them.
fn parse_hex_addr(s: &str, v6: bool) -> Option<SocketAddr> {
    let (ip, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    if v6 {
        let mut b = [0u8; 16];
        for i in 0..4 {
            let w = u32::from_str_radix(ip.get(i * 8..i * 8 + 8)?, 16).ok()?;
            b[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes());
        }
        Some(SocketAddr::from((Ipv6Addr::from(b), port)))
    } else {
        let w = u32::from_str_radix(ip, 16).ok()?;
        Some(SocketAddr::from((Ipv4Addr::from(w.to_ne_bytes()), port)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_addresses() {
        assert_eq!(
            parse_hex_addr("0100007F:1F90", false).unwrap().to_string(),
            "127.0.0.1:8080"
        );
        assert_eq!(
            parse_hex_addr("00000000000000000000000001000000:0050", true)
                .unwrap()
                .to_string(),
            "[::1]:80"
        );
    }

    /// A kernel booted with ipv6.disable=1 has no tcp6/udp6 tables: the IPv4 sockets are still
    /// found (one of the two former parsers gave up on the first missing table).
    #[test]
    fn missing_ipv6_tables_are_skipped() {
        let dir = std::env::temp_dir().join(format!("tracer-procnet-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("tcp"),
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   \
             0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n   \
             1: 0100007F:1F90 0500007F:D3C0 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 100 0 0 10 0\n",
        )
        .unwrap();
        fs::write(
            dir.join("udp"),
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n",
        )
        .unwrap();
        let s = sockets_in(&dir);
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].is_listening());
        assert_eq!(s[1].local.to_string(), "127.0.0.1:8080");
        assert_eq!(s[1].peer.unwrap().to_string(), "127.0.0.5:54208");
        assert_eq!(s[1].proto, "TCP");
        assert_eq!(s[1].inode, 4343);
    }

    #[test]
    fn this_process_sockets_are_found() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let me = std::process::id();
        assert!(
            sockets(me)
                .iter()
                .any(|s| s.is_listening() && s.local.port() == port)
        );
    }
}

/// Processes running this same tracer binary (by the device and inode of their exe).
#[derive(Default)]
pub struct Tracers {
    known: std::collections::HashMap<u32, bool>,
    me: Option<(u64, u64)>,
}

impl Tracers {
    fn exe(pid: &str) -> Option<(u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(format!("/proc/{pid}/exe")).ok()?;
        Some((m.dev(), m.ino()))
    }

    /// Whether process `tgid` runs the tracer's own executable (cached per process).
    pub fn is(&mut self, tgid: u32) -> bool {
        if self.me.is_none() {
            self.me = Self::exe("self");
        }
        let me = self.me;
        if self.known.len() >= 4096 {
            self.known.clear();
        }
        *self
            .known
            .entry(tgid)
            .or_insert_with(|| me.is_some() && Self::exe(&tgid.to_string()) == me)
    }

    /// An exec or an exit: what the process runs may change, or its pid be reused.
    pub fn forget(&mut self, tgid: u32) {
        self.known.remove(&tgid);
    }
}
