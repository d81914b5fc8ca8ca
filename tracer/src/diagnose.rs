//! Diagnoses next to an errno: the facts an operator would look up next (limits, counts,
//! sysctls, cgroups, file owners, listeners), read from /proc and /sys as soon as the failure
//! arrives, with the command that changes the limit. Each is computed at most once per key per
//! interval by the caller.
use std::{
    ffi::CString,
    fs,
    os::unix::{ffi::OsStrExt, fs::MetadataExt},
    path::{Path, PathBuf},
};

use crate::{
    decode::net::{self, SockAddr},
    procfs,
    syscalls::{Syscall, role},
};

/// What is known about one failure.
pub struct Failure<'a> {
    pub tgid: u32,
    pub sc: &'static Syscall,
    pub errno: u32,
    pub args: [u64; 6],
    /// The first path argument, as the kernel copied it.
    pub path: Option<&'a [u8]>,
    /// The socket address argument, if any.
    pub addr: Option<&'a SockAddr>,
}

const EPERM: u32 = 1;
const EAGAIN: u32 = 11;
const ENOMEM: u32 = 12;
const EACCES: u32 = 13;
const ENFILE: u32 = 23;
const EMFILE: u32 = 24;
const ENOSPC: u32 = 28;
const EADDRINUSE: u32 = 98;
const ECONNREFUSED: u32 = 111;
const EDQUOT: u32 = 122;

/// The diagnosis, one line, or `None` when there is nothing factual to add.
pub fn diagnose(f: &Failure) -> Option<String> {
    let gone = !Path::new(&format!("/proc/{}", f.tgid)).exists();
    let d = facts(f);
    match (d, gone) {
        (Some(d), true) => Some(format!(
            "{d} (process {} had exited: its own limits are not shown)",
            f.tgid
        )),
        (d, _) => d,
    }
}

fn facts(f: &Failure) -> Option<String> {
    match f.errno {
        EMFILE => emfile(f.tgid),
        ENFILE => enfile(),
        ENOMEM if f.sc.has(role::MEMORY | role::FORK) => enomem(f),
        EAGAIN if f.sc.has(role::FORK) => eagain_fork(f.tgid),
        ENOSPC | EDQUOT => enospc(f),
        EACCES | EPERM if f.path.is_some() => eacces(f),
        EADDRINUSE | ECONNREFUSED => addr(f),
        _ => None,
    }
}

fn read(path: impl AsRef<Path>) -> Option<String> {
    fs::read_to_string(path).ok()
}

/// `(soft, hard)` of a line of /proc/PID/limits, e.g. "Max open files".
pub fn limit(tgid: u32, name: &str) -> Option<(String, String)> {
    let text = read(format!("/proc/{tgid}/limits"))?;
    let line = text.lines().find(|l| l.starts_with(name))?;
    let mut it = line[name.len()..].split_whitespace();
    Some((it.next()?.to_string(), it.next()?.to_string()))
}

/// A `Key:   value kB` field of /proc/PID/status or /proc/meminfo, in kB.
fn kb_field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|r| {
            r.trim_start_matches(':')
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
}

fn human_kb(kb: u64) -> String {
    human_bytes(kb.saturating_mul(1024))
}

fn human_bytes(b: u64) -> String {
    const U: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1024.0 && i < U.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", U[i])
    }
}

fn emfile(tgid: u32) -> Option<String> {
    let open = fs::read_dir(format!("/proc/{tgid}/fd")).ok()?.count();
    let (soft, hard) = limit(tgid, "Max open files")?;
    let fix = if soft == hard {
        format!(
            "the hard limit is reached too: as root, prlimit --pid {tgid} --nofile=N:N with a larger N (or LimitNOFILE= in its unit)"
        )
    } else {
        format!("raise it: prlimit --pid {tgid} --nofile={hard}:{hard}")
    };
    Some(format!(
        "{open} fds open, soft limit {soft} (hard {hard}); {fix}"
    ))
}

fn enfile() -> Option<String> {
    let t = read("/proc/sys/fs/file-nr")?;
    let v: Vec<&str> = t.split_whitespace().collect();
    Some(format!(
        "system-wide {} files open, fs.file-max {}; raise it: sysctl -w fs.file-max=N",
        v.first()?,
        v.get(2)?
    ))
}

/// The process's memory cgroup limit and usage (cgroup v2).
fn memory_cgroup(tgid: u32) -> Option<String> {
    let cg = read(format!("/proc/{tgid}/cgroup"))?;
    let rel = cg
        .lines()
        .find_map(|l| l.strip_prefix("0::"))?
        .trim()
        .to_string();
    let dir = PathBuf::from("/sys/fs/cgroup").join(rel.trim_start_matches('/'));
    let max = read(dir.join("memory.max"))?.trim().to_string();
    let cur: u64 = read(dir.join("memory.current"))?.trim().parse().ok()?;
    let max_h = max.parse::<u64>().map(human_bytes).unwrap_or(max);
    Some(format!(
        "memory cgroup {rel}: {} of {max_h}",
        human_bytes(cur)
    ))
}

/// Whether [start, start+len) is wholly inside mappings of the process.
fn is_mapped(tgid: u32, start: u64, len: u64) -> Option<bool> {
    let maps = read(format!("/proc/{tgid}/maps"))?;
    let end = start.saturating_add(len.max(1));
    let mut covered = start;
    let mut ranges: Vec<(u64, u64)> = maps
        .lines()
        .filter_map(|l| {
            let r = l.split_whitespace().next()?;
            let (a, b) = r.split_once('-')?;
            Some((
                u64::from_str_radix(a, 16).ok()?,
                u64::from_str_radix(b, 16).ok()?,
            ))
        })
        .collect();
    ranges.sort();
    for (a, b) in ranges {
        if a <= covered && covered < b {
            covered = b;
        }
        if covered >= end {
            return Some(true);
        }
    }
    Some(false)
}

fn enomem(f: &Failure) -> Option<String> {
    let mut parts = Vec::new();
    let mut fixes = Vec::new();
    if matches!(
        f.sc.name,
        "mprotect" | "pkey_mprotect" | "munmap" | "madvise" | "mremap" | "mlock" | "mlock2"
    ) && is_mapped(f.tgid, f.args[0], f.args[1]) == Some(false)
    {
        parts.push(format!(
            "{:#x}..{:#x} is not (wholly) mapped in {} (see /proc/{}/maps): ENOMEM here means a bad address range",
            f.args[0],
            f.args[0].saturating_add(f.args[1]),
            f.tgid,
            f.tgid
        ));
    }
    let policy = read("/proc/sys/vm/overcommit_memory").map(|s| s.trim().to_string());
    let ratio = read("/proc/sys/vm/overcommit_ratio").map(|s| s.trim().to_string());
    let kbytes = read("/proc/sys/vm/overcommit_kbytes").map(|s| s.trim().to_string());
    if let Some(p) = &policy {
        let meaning = match p.as_str() {
            "0" => "heuristic",
            "1" => "always overcommit",
            "2" => "never overcommit",
            _ => "?",
        };
        let mut s = format!("vm.overcommit_memory={p} ({meaning})");
        if p == "2" {
            match kbytes.as_deref() {
                Some(k) if k != "0" => s.push_str(&format!(", overcommit_kbytes={k}")),
                _ => s.push_str(&format!(
                    ", overcommit_ratio={}",
                    ratio.as_deref().unwrap_or("?")
                )),
            }
        }
        parts.push(s);
    }
    if let Some(mi) = read("/proc/meminfo")
        && let (Some(limit), Some(committed)) =
            (kb_field(&mi, "CommitLimit"), kb_field(&mi, "Committed_AS"))
    {
        parts.push(format!(
            "Committed_AS {} of CommitLimit {}",
            human_kb(committed),
            human_kb(limit)
        ));
        if policy.as_deref() == Some("2") && committed + committed / 20 >= limit {
            fixes.push(
                "sysctl -w vm.overcommit_memory=0 (or raise vm.overcommit_ratio)".to_string(),
            );
        }
    }
    let status = read(format!("/proc/{}/status", f.tgid)).unwrap_or_default();
    let vm_size = kb_field(&status, "VmSize");
    if let Some((soft, _hard)) = limit(f.tgid, "Max address space") {
        let size = vm_size.map(human_kb).unwrap_or_else(|| "?".into());
        parts.push(format!("VmSize {size}, RLIMIT_AS {}", soft_bytes(&soft)));
        if let (Ok(lim), Some(vs)) = (soft.parse::<u64>(), vm_size) {
            let want = if f.sc.name == "mmap" || f.sc.name == "mremap" {
                f.args[1]
            } else {
                0
            };
            if vs * 1024 + want > lim.saturating_sub(4096) || vs * 1024 >= lim / 10 * 9 {
                fixes.push(format!("prlimit --pid {} --as=unlimited", f.tgid));
            }
        }
    }
    if let Some(cg) = memory_cgroup(f.tgid) {
        parts.push(cg);
    }
    if parts.is_empty() {
        return None;
    }
    let mut s = parts.join("; ");
    if !fixes.is_empty() {
        s.push_str(&format!("; to raise: {}", fixes.join(" or ")));
    }
    Some(s)
}

fn soft_bytes(v: &str) -> String {
    v.parse::<u64>()
        .map(human_bytes)
        .unwrap_or_else(|_| v.to_string())
}

fn eagain_fork(tgid: u32) -> Option<String> {
    let (soft, hard) = limit(tgid, "Max processes")?;
    let status = read(format!("/proc/{tgid}/status"))?;
    let uid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // RLIMIT_NPROC counts the user's tasks (threads included).
    let mut tasks = 0usize;
    for e in fs::read_dir("/proc").ok()?.flatten() {
        let p = e.path();
        if e.file_name()
            .to_str()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            && fs::metadata(&p).is_ok_and(|m| m.uid() == uid)
        {
            tasks += fs::read_dir(p.join("task")).map(|d| d.count()).unwrap_or(1);
        }
    }
    let mut s = format!(
        "uid {uid} has {tasks} tasks, RLIMIT_NPROC soft {soft} (hard {hard}); raise it: prlimit --pid {tgid} --nproc={hard}:{hard}"
    );
    if let Some(cg) = read(format!("/proc/{tgid}/cgroup")).and_then(|c| {
        c.lines()
            .find_map(|l| l.strip_prefix("0::").map(|r| r.trim().to_string()))
    }) {
        let dir = PathBuf::from("/sys/fs/cgroup").join(cg.trim_start_matches('/'));
        if let (Some(max), Some(cur)) = (read(dir.join("pids.max")), read(dir.join("pids.current")))
        {
            s.push_str(&format!(
                "; pids cgroup {cg}: {} of {}",
                cur.trim(),
                max.trim()
            ));
        }
    }
    Some(s)
}

/// A path as the process sees it (its root and cwd), for stat/statvfs from here.
fn process_path(tgid: u32, p: &[u8]) -> PathBuf {
    let rel = std::ffi::OsStr::from_bytes(p);
    if p.first() == Some(&b'/') {
        PathBuf::from(format!("/proc/{tgid}/root"))
            .join(Path::new(rel).strip_prefix("/").unwrap_or(Path::new(rel)))
    } else {
        PathBuf::from(format!("/proc/{tgid}/cwd")).join(rel)
    }
}

/// The path itself if it exists, else its nearest existing ancestor.
fn existing(mut p: PathBuf) -> PathBuf {
    while fs::symlink_metadata(&p).is_err() {
        if !p.pop() {
            break;
        }
    }
    p
}

fn enospc(f: &Failure) -> Option<String> {
    let target = match f.path {
        Some(p) => existing(process_path(f.tgid, p)),
        None => PathBuf::from(format!("/proc/{}/fd/{}", f.tgid, f.args[0] as u32 as i32)),
    };
    let shown = match f.path {
        Some(p) => String::from_utf8_lossy(p).into_owned(),
        None => fs::read_link(&target)
            .map(|l| l.display().to_string())
            .unwrap_or_default(),
    };
    let c = CString::new(target.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs writes into the struct we pass, given a NUL-terminated path.
    let st = unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut st) != 0 {
            return None;
        }
        st
    };
    let bs = st.f_frsize;
    Some(format!(
        "{shown}: filesystem has {} free of {} ({} for unprivileged users), {} of {} inodes free; free space or inodes there, or raise the quota",
        human_bytes(st.f_bfree * bs),
        human_bytes(st.f_blocks * bs),
        human_bytes(st.f_bavail * bs),
        st.f_ffree,
        st.f_files
    ))
}

fn eacces(f: &Failure) -> Option<String> {
    let p = f.path?;
    let full = process_path(f.tgid, p);
    let found = existing(full.clone());
    let meta = fs::symlink_metadata(&found).ok()?;
    let which = if found == full {
        String::from_utf8_lossy(p).into_owned()
    } else {
        format!("nearest existing parent of {}", String::from_utf8_lossy(p))
    };
    let status = read(format!("/proc/{}/status", f.tgid)).unwrap_or_default();
    let field = |k: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.split_whitespace().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let uid = field("Uid:");
    let gid = field("Gid:");
    let groups = field("Groups:").join(",");
    let cap = field("CapEff:").join("");
    Some(format!(
        "{which}: owner {}:{} mode {:04o}; process euid {} egid {} groups [{groups}] CapEff {cap}",
        meta.uid(),
        meta.gid(),
        meta.mode() & 0o7777,
        uid.get(1).copied().unwrap_or("?"),
        gid.get(1).copied().unwrap_or("?"),
    ))
}

/// Sockets in LISTEN (tcp) or bound (udp) on this address's port, from the process's network
/// namespace: their inodes.
fn listeners(tgid: u32, a: &std::net::SocketAddr) -> Vec<u64> {
    procfs::sockets(tgid)
        .into_iter()
        .filter(|s| s.local.is_ipv4() == a.is_ipv4() && s.local.port() == a.port())
        .filter(|s| !s.is_tcp() || s.is_listening())
        .map(|s| s.inode)
        .collect()
}

/// `comm[pid]` of the processes holding socket `inode`.
fn socket_owners(inode: u64) -> Vec<String> {
    let want = format!("socket:[{inode}]");
    let mut owners = Vec::new();
    let Ok(dir) = fs::read_dir("/proc") else {
        return owners;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(fds) = fs::read_dir(e.path().join("fd")) else {
            continue;
        };
        if fds.flatten().any(|fd| {
            fs::read_link(fd.path()).is_ok_and(|l| l.as_os_str().as_bytes() == want.as_bytes())
        }) {
            owners.push(format!("{}[{pid}]", procfs::comm(pid)));
        }
    }
    owners
}

fn addr(f: &Failure) -> Option<String> {
    let a = f.addr?;
    let SockAddr::Ip(ip) = a else {
        return match (f.errno, a) {
            (ECONNREFUSED, SockAddr::Unix(_)) => Some(format!(
                "nobody accepts on {} (the socket file exists but no process listens)",
                net::short(a)
            )),
            _ => None,
        };
    };
    let inodes = listeners(f.tgid, ip);
    let owners: Vec<String> = inodes.iter().flat_map(|i| socket_owners(*i)).collect();
    Some(match (f.errno, owners.is_empty(), inodes.is_empty()) {
        (ECONNREFUSED, _, true) => format!(
            "nobody listens on port {} in {}'s network namespace (no LISTEN socket in /proc/{}/net/tcp*)",
            ip.port(),
            f.tgid,
            f.tgid
        ),
        (ECONNREFUSED, _, false) => format!(
            "port {} has a listener ({}), but not on {}, or its backlog is full",
            ip.port(),
            if owners.is_empty() {
                "owner unknown".to_string()
            } else {
                owners.join(", ")
            },
            ip.ip()
        ),
        (_, false, _) => format!("port {} is held by {}", ip.port(), owners.join(", ")),
        (_, true, false) => format!(
            "port {} is held by a socket of another namespace or a closed process",
            ip.port()
        ),
        (_, true, true) => format!(
            "no listener holds port {} now; a socket in TIME_WAIT may (set SO_REUSEADDR)",
            ip.port()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> &'static Syscall {
        crate::syscalls::by_name(crate::syscalls::Abi::X86_64, name).unwrap()
    }

    fn me() -> u32 {
        std::process::id()
    }

    #[test]
    fn emfile_counts_fds_and_reads_limits() {
        let f = Failure {
            tgid: me(),
            sc: row("accept"),
            errno: EMFILE,
            args: [0; 6],
            path: None,
            addr: None,
        };
        let d = diagnose(&f).unwrap();
        let open = fs::read_dir("/proc/self/fd").unwrap().count();
        assert!(d.contains("fds open, soft limit"), "{d}");
        let n: usize = d.split(' ').next().unwrap().parse().unwrap();
        assert!(n.abs_diff(open) <= 2, "{d} vs {open}");
    }

    #[test]
    fn enomem_mentions_policy_and_unmapped_range() {
        let f = Failure {
            tgid: me(),
            sc: row("mprotect"),
            errno: ENOMEM,
            args: [0x10000, 4096, 3, 0, 0, 0],
            path: None,
            addr: None,
        };
        let d = diagnose(&f).unwrap();
        assert!(d.contains("0x10000..0x11000 is not (wholly) mapped"), "{d}");
        assert!(d.contains("vm.overcommit_memory="), "{d}");
        assert!(d.contains("RLIMIT_AS"), "{d}");
        // A different errno of the same call says nothing.
        let f = Failure { errno: 9, ..f };
        assert!(diagnose(&f).is_none());
    }

    #[test]
    fn eacces_shows_owner_and_mode() {
        let f = Failure {
            tgid: me(),
            sc: row("openat"),
            errno: EACCES,
            args: [0; 6],
            path: Some(b"/etc/shadow"),
            addr: None,
        };
        let d = diagnose(&f).unwrap();
        assert!(d.starts_with("/etc/shadow: owner 0:"), "{d}");
        assert!(d.contains("process euid 0"), "{d}");
    }

    #[test]
    fn connection_refused_says_nobody_listens() {
        let a = SockAddr::Ip("127.0.0.1:1".parse().unwrap());
        let f = Failure {
            tgid: me(),
            sc: row("connect"),
            errno: ECONNREFUSED,
            args: [0; 6],
            path: None,
            addr: Some(&a),
        };
        assert!(diagnose(&f).unwrap().contains("nobody listens on port 1"));
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = SockAddr::Ip(l.local_addr().unwrap());
        let f = Failure {
            errno: EADDRINUSE,
            addr: Some(&a),
            ..f
        };
        let d = diagnose(&f).unwrap();
        assert!(
            d.contains(&"is held by ".to_string()) && d.contains(&format!("[{}]", me())),
            "{d}"
        );
    }

    #[test]
    fn enfile_and_fork_eagain() {
        let f = Failure {
            tgid: me(),
            sc: row("openat"),
            errno: ENFILE,
            args: [0; 6],
            path: None,
            addr: None,
        };
        let d = diagnose(&f).unwrap();
        assert!(
            d.starts_with("system-wide ") && d.contains("fs.file-max"),
            "{d}"
        );
        let f = Failure {
            sc: row("clone"),
            errno: EAGAIN,
            ..f
        };
        let d = diagnose(&f).unwrap();
        assert!(
            d.contains("tasks, RLIMIT_NPROC soft") && d.contains("--nproc="),
            "{d}"
        );
        // EAGAIN from read is not about processes.
        let f = Failure {
            sc: row("read"),
            ..f
        };
        assert!(diagnose(&f).is_none());
    }

    #[test]
    fn exited_process_is_said() {
        let f = Failure {
            tgid: 999_999_999,
            sc: row("openat"),
            errno: ENFILE,
            args: [0; 6],
            path: None,
            addr: None,
        };
        assert!(diagnose(&f).unwrap().contains("had exited"));
    }

    #[test]
    fn enospc_reports_free_space() {
        let f = Failure {
            tgid: me(),
            sc: row("openat"),
            errno: ENOSPC,
            args: [0; 6],
            path: Some(b"/tmp/x"),
            addr: None,
        };
        let d = diagnose(&f).unwrap();
        assert!(d.contains("free of") && d.contains("inodes free"), "{d}");
    }
}
