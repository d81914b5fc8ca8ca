//! The fd table per traced process, built from the syscalls seen (open, socket, accept,
//! connect, dup, pipe, close, exec's close-on-exec...), so that `-y`/`-yy` can print what an fd
//! is and `--fd-origin`/JSON can say which call created it. /proc is read only for an fd the
//! tracer has not seen created (once; then cached), never per event.
use std::{net::SocketAddr, rc::Rc};

// A fast hash: these maps are looked up several times per event.
use foldhash::{HashMap, HashSet};

use crate::{decode::net::SockAddr, procfs, tracker::FdLevel};

/// What an fd refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A file: its path (shared: every line that names the fd copies a pointer, not the path).
    Path(Rc<str>),
    /// A socket; endpoints filled as they become known.
    Socket {
        proto: &'static str,
        inode: Option<u64>,
        local: Option<String>,
        peer: Option<String>,
    },
    /// Anything else, as /proc/PID/fd names it (`pipe:[123]`, `anon_inode:[eventfd]`).
    Other(Rc<str>),
    /// A file removed while open: its path (/proc names it `PATH (deleted)`).
    Deleted(Rc<str>),
}

/// The call that created an fd.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub syscall: &'static str,
    pub tid: u32,
    /// Wall-clock ns, when known (times are recorded with -t/-T/--fd-origin).
    pub time_ns: Option<u64>,
    /// For accept: the client; for connect: the server.
    pub peer: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fd {
    pub kind: Kind,
    pub origin: Option<Origin>,
    pub cloexec: bool,
}

#[derive(Debug, Default)]
pub struct Table {
    procs: HashMap<u32, HashMap<i32, Fd>>,
    cwd: HashMap<u32, Rc<str>>,
    /// `-yy` names of device files by path (None: not a device).
    devices: HashMap<String, Option<Rc<str>>>,
    /// fds /proc did not know (the process or the fd was already gone): not asked again
    /// until the fd is closed or created.
    unknown: HashSet<(u32, i32)>,
    /// pidfds made by pidfd_open: the process each refers to (`-yy` names one `pid:N`).
    pidfds: HashMap<(u32, i32), u32>,
}

/// What /proc and strace -y call a pidfd.
const PIDFD: &str = "anon_inode:[pidfd]";

/// `127.0.0.1:80`, `[::1]:80`.
pub fn endpoint(a: &SocketAddr) -> String {
    a.to_string()
}

fn proto_name(family: u64, ty: u64) -> &'static str {
    use crate::decode::net::{AF_INET, AF_INET6, AF_NETLINK, AF_UNIX};
    const SOCK_STREAM: u64 = 1;
    const SOCK_DGRAM: u64 = 2;
    const SOCK_TYPE_MASK: u64 = 0xf;
    match (family as u16, ty & SOCK_TYPE_MASK) {
        (AF_INET, SOCK_STREAM) => "TCP",
        (AF_INET6, SOCK_STREAM) => "TCPv6",
        (AF_INET, SOCK_DGRAM) => "UDP",
        (AF_INET6, SOCK_DGRAM) => "UDPv6",
        (AF_UNIX, _) => "UNIX",
        (AF_NETLINK, _) => "NETLINK",
        _ => "socket",
    }
}

impl Table {
    fn fds(&mut self, tgid: u32) -> &mut HashMap<i32, Fd> {
        self.procs.entry(tgid).or_default()
    }

    /// The fd's entry, read from /proc the first time an unknown fd is asked for.
    pub fn get(&mut self, tgid: u32, fd: i32) -> Option<&Fd> {
        if fd < 0 {
            return None;
        }
        if !self.procs.get(&tgid).is_some_and(|t| t.contains_key(&fd)) {
            if self.unknown.contains(&(tgid, fd)) {
                return None;
            }
            let Some(s) = procfs::fd_link(tgid, fd) else {
                self.unknown.insert((tgid, fd));
                return None;
            };
            let kind = match s.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
                // inode None: the kernel's tables are consulted on the first -yy use.
                Some(_) => Kind::Socket {
                    proto: "socket",
                    inode: None,
                    local: None,
                    peer: None,
                },
                None if s.starts_with('/') => Kind::Path(s.into()),
                None => Kind::Other(s.into()),
            };
            self.fds(tgid).insert(
                fd,
                Fd {
                    kind,
                    origin: None,
                    cloexec: false,
                },
            );
        }
        self.procs.get(&tgid)?.get(&fd)
    }

    /// Seeds the table of an attached process from /proc/PID/fd.
    pub fn seed(&mut self, tgid: u32) {
        // Its working directory while it is there to ask (`AT_FDCWD</dir>` of a process that
        // is gone when its records are decoded).
        let _ = self.cwd_path(tgid);
        for fd in procfs::fd_list(tgid) {
            let _ = self.get(tgid, fd);
            // Sockets that exist now (a server's listener): their endpoints now, so that what
            // they accept later is named even if short-lived.
            let _ = self.annotate(tgid, fd, crate::tracker::fd_decode::ALL);
        }
    }

    fn resolve_path(&mut self, tgid: u32, dirfd: i32, path: &str) -> String {
        if path.starts_with('/') {
            return path.to_string();
        }
        let base = if dirfd == crate::decode::fs::AT_FDCWD {
            match self.cwd_path(tgid) {
                Some(c) => c.to_string(),
                None => {
                    // Not asked again for paths (an empty base: the path as given).
                    self.cwd.insert(tgid, "".into());
                    String::new()
                }
            }
        } else {
            match self.get(tgid, dirfd).map(|f| f.kind.clone()) {
                Some(Kind::Path(p)) => p.to_string(),
                _ => return path.to_string(),
            }
        };
        if path.is_empty() {
            return base;
        }
        normalize(&format!("{}/{}", base.trim_end_matches('/'), path))
    }

    /// The process's working directory as `-y` shows it (`AT_FDCWD</tmp>`), escaped: one whose
    /// name is PATH_MAX or longer has no name the kernel would give (/proc's cwd link fails):
    /// `AT_FDCWD` alone, as strace prints it.
    pub fn cwd(&mut self, tgid: u32) -> Option<Rc<str>> {
        self.cwd_path(tgid)
            .filter(|c| c.len() < 4096)
            .map(|c| escaped(&c))
    }

    /// The working directory, however long (the base of relative paths and chdirs).
    fn cwd_path(&mut self, tgid: u32) -> Option<Rc<str>> {
        if let Some(c) = self.cwd.get(&tgid).filter(|c| !c.is_empty()) {
            return Some(c.clone());
        }
        let c: Rc<str> = procfs::cwd(tgid).filter(|c| !c.is_empty())?.into();
        self.cwd.insert(tgid, c.clone());
        Some(c)
    }

    /// `-yy`: a device file's name with its type and numbers, `/dev/null<char 1:3>`, as
    /// strace prints it (the path's file, seen from the process's root; cached per path).
    fn device_name(&mut self, tgid: u32, path: &Rc<str>) -> Rc<str> {
        if let Some(n) = self.devices.get(path.as_ref()) {
            return n.clone().unwrap_or_else(|| path.clone());
        }
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let named = std::fs::metadata(format!("/proc/{tgid}/root{path}"))
            .or_else(|_| std::fs::metadata(path.as_ref()))
            .ok()
            .and_then(|m| {
                let kind = if m.file_type().is_char_device() {
                    "char"
                } else if m.file_type().is_block_device() {
                    "block"
                } else {
                    return None;
                };
                let (major, minor) = (libc::major(m.rdev()), libc::minor(m.rdev()));
                let path = crate::decode::strings::fd_path(path);
                Some(Rc::<str>::from(format!("{path}<{kind} {major}:{minor}>")))
            });
        if self.devices.len() >= 4096 {
            self.devices.clear();
        }
        self.devices.insert(path.to_string(), named.clone());
        named.unwrap_or_else(|| path.clone())
    }

    /// A new fd from an open-like call.
    pub fn opened(
        &mut self,
        tgid: u32,
        fd: i32,
        dirfd: i32,
        path: &str,
        cloexec: bool,
        origin: Origin,
    ) {
        let p = self.resolve_path(tgid, dirfd, path);
        self.fds(tgid).insert(
            fd,
            Fd {
                kind: Kind::Path(p.into()),
                origin: Some(origin),
                cloexec,
            },
        );
    }

    /// A file or directory was removed: fds open on it are named as /proc names them then,
    /// `PATH (deleted)` (whichever process holds them).
    pub fn unlinked(&mut self, tgid: u32, dirfd: i32, path: &str) {
        let p = self.resolve_path(tgid, dirfd, path);
        for f in self.procs.values_mut().flat_map(|fds| fds.values_mut()) {
            if let Kind::Path(q) = &f.kind
                && **q == *p
            {
                f.kind = Kind::Deleted(q.clone());
            }
        }
    }

    /// A file or directory was moved: fds open on it, or on what is under it, are named at
    /// its new place (as /proc names them).
    pub fn renamed(&mut self, tgid: u32, (d0, from): (i32, &str), (d1, to): (i32, &str)) {
        let (from, to) = (
            self.resolve_path(tgid, d0, from),
            self.resolve_path(tgid, d1, to),
        );
        for f in self.procs.values_mut().flat_map(|fds| fds.values_mut()) {
            let Kind::Path(q) = &f.kind else { continue };
            let moved = match q.strip_prefix(from.as_str()) {
                Some("") => to.clone(),
                Some(rest) if rest.starts_with('/') => format!("{to}{rest}"),
                _ => continue,
            };
            f.kind = Kind::Path(moved.into());
        }
    }

    pub fn socket(&mut self, tgid: u32, fd: i32, family: u64, ty: u64, origin: Origin) {
        let kind = Kind::Socket {
            proto: proto_name(family, ty),
            // Some(0): nothing to look up yet (a new socket has no endpoints); bind, connect
            // and listen reset it, so the kernel's tables are consulted once they are settled.
            inode: Some(0),
            local: None,
            peer: None,
        };
        self.fds(tgid).insert(
            fd,
            Fd {
                kind,
                origin: Some(origin),
                cloexec: ty & crate::decode::fs::O_CLOEXEC != 0,
            },
        );
    }

    /// accept: the new fd is a socket of the listener's kind, connected to `peer`.
    pub fn accepted(
        &mut self,
        tgid: u32,
        listener: i32,
        fd: i32,
        peer: Option<&SockAddr>,
        cloexec: bool,
        mut origin: Origin,
    ) {
        let (proto, local) = match self.get(tgid, listener).map(|f| f.kind.clone()) {
            Some(Kind::Socket { proto, local, .. }) => (proto, local),
            _ => ("socket", None),
        };
        let peer = peer.map(crate::decode::net::short);
        origin.peer = peer.clone();
        let kind = Kind::Socket {
            proto,
            inode: None,
            local,
            peer,
        };
        self.fds(tgid).insert(
            fd,
            Fd {
                kind,
                origin: Some(origin),
                cloexec,
            },
        );
    }

    pub fn connected(&mut self, tgid: u32, fd: i32, peer: &SockAddr) {
        let p = crate::decode::net::short(peer);
        if let Some(f) = self.fds(tgid).get_mut(&fd) {
            if let Kind::Socket { peer, inode, .. } = &mut f.kind {
                *peer = Some(p.clone());
                if *inode == Some(0) {
                    *inode = None;
                }
            }
            if let Some(o) = &mut f.origin {
                o.peer.get_or_insert(p);
            }
        }
    }

    pub fn bound(&mut self, tgid: u32, fd: i32, local: &SockAddr) {
        if let Some(Fd {
            kind: Kind::Socket { inode, .. },
            ..
        }) = self.fds(tgid).get_mut(&fd)
            && *inode == Some(0)
        {
            *inode = None;
        }
        if let SockAddr::Ip(a) = local
            && a.port() == 0
        {
            // The kernel picks the port: learn it from its socket table when needed.
            return;
        }
        let l = crate::decode::net::short(local);
        if let Some(Fd {
            kind: Kind::Socket { local, .. },
            ..
        }) = self.fds(tgid).get_mut(&fd)
        {
            *local = Some(l);
        }
    }

    /// A new pipe, eventfd, epoll fd...: named as /proc names it when `from_proc` (-y), else
    /// `fallback` (no /proc read when nothing prints the name).
    pub fn other(
        &mut self,
        tgid: u32,
        fd: i32,
        fallback: &str,
        from_proc: bool,
        cloexec: bool,
        origin: Origin,
    ) {
        let name = from_proc
            .then(|| procfs::fd_link(tgid, fd))
            .flatten()
            .unwrap_or_else(|| fallback.to_string());
        self.fds(tgid).insert(
            fd,
            Fd {
                kind: Kind::Other(name.into()),
                origin: Some(origin),
                cloexec,
            },
        );
    }

    /// pidfd_getfd: `new` in `tgid` is a copy of fd `theirs` of another process (when the
    /// table knows which), named as that one is (read from /proc while the other process is
    /// there); else from /proc here; else left unnamed.
    pub fn copy_from(&mut self, theirs: Option<(u32, i32)>, tgid: u32, new: i32, origin: Origin) {
        let kind = theirs
            .and_then(|(pid, fd)| self.get(pid, fd))
            .map(|f| f.kind.clone())
            .or_else(|| procfs::fd_link(tgid, new).map(|n| Kind::Other(n.into())));
        match kind {
            Some(kind) => {
                self.fds(tgid).insert(
                    new,
                    Fd {
                        kind,
                        origin: Some(origin),
                        // pidfd_getfd always sets O_CLOEXEC.
                        cloexec: true,
                    },
                );
            }
            None => self.close(tgid, new),
        }
    }

    pub fn dup(&mut self, tgid: u32, old: i32, new: i32, cloexec: bool, origin: Origin) {
        let kind = self.get(tgid, old).map(|f| f.kind.clone());
        if let Some(kind) = kind {
            self.fds(tgid).insert(
                new,
                Fd {
                    kind,
                    origin: Some(origin),
                    cloexec,
                },
            );
        }
    }

    pub fn close(&mut self, tgid: u32, fd: i32) {
        self.fds(tgid).remove(&fd);
        self.unknown.remove(&(tgid, fd));
        self.pidfds.remove(&(tgid, fd));
    }

    /// A pidfd from pidfd_open: the process it refers to.
    pub fn pidfd(&mut self, tgid: u32, fd: i32, pid: u32) {
        self.pidfds.insert((tgid, fd), pid);
    }

    /// The process a pidfd refers to, when the table saw it made.
    pub fn pidfd_pid(&mut self, tgid: u32, fd: i32) -> Option<u32> {
        let is_pidfd = matches!(&self.get(tgid, fd)?.kind, Kind::Other(n) if &**n == PIDFD);
        is_pidfd
            .then(|| self.pidfds.get(&(tgid, fd)).copied())
            .flatten()
    }

    pub fn close_range(&mut self, tgid: u32, first: u32, last: u32, cloexec_only: bool) {
        let t = self.fds(tgid);
        if cloexec_only {
            for (fd, f) in t.iter_mut() {
                if (first..=last).contains(&(*fd as u32)) {
                    f.cloexec = true;
                }
            }
        } else {
            t.retain(|fd, _| !(first..=last).contains(&(*fd as u32)));
            self.unknown
                .retain(|(p, fd)| *p != tgid || !(first..=last).contains(&(*fd as u32)));
        }
    }

    /// listen: the socket's local address is now settled in the kernel's table.
    pub fn listening(&mut self, tgid: u32, fd: i32) {
        if let Some(Fd {
            kind: Kind::Socket { inode, .. },
            ..
        }) = self.fds(tgid).get_mut(&fd)
            && *inode == Some(0)
        {
            *inode = None;
        }
    }

    pub fn set_cloexec(&mut self, tgid: u32, fd: i32, on: bool) {
        if let Some(f) = self.fds(tgid).get_mut(&fd) {
            f.cloexec = on;
        }
    }

    /// A successful exec closes the close-on-exec fds.
    pub fn exec(&mut self, tgid: u32) {
        self.fds(tgid).retain(|_, f| !f.cloexec);
    }

    pub fn chdir(&mut self, tgid: u32, path: &str) {
        // Not known before: /proc already shows the new one (the call has returned).
        let p = if path.starts_with('/') || self.cwd.contains_key(&tgid) {
            self.resolve_path(tgid, crate::decode::fs::AT_FDCWD, path)
        } else {
            match procfs::cwd(tgid) {
                Some(c) => c,
                None => return,
            }
        };
        self.cwd.insert(tgid, p.into());
    }

    /// A new process starts with a copy of its parent's table.
    /// `cwd`: the child's working directory is wanted (-y): it is asked now, while the child
    /// is there to ask (a capture keeps the answer, so a replay of the child alone has it).
    pub fn fork(&mut self, parent: u32, child: u32, cwd: bool) {
        if let Some(t) = self.procs.get(&parent).cloned() {
            self.procs.insert(child, t);
        }
        if cwd {
            // The child's own question (a replay of the child alone asks it again).
            if let Some(c) = procfs::cwd(child)
                .map(Rc::from)
                .or_else(|| self.cwd.get(&parent).cloned())
            {
                self.cwd.insert(child, c);
            }
        } else if let Some(c) = self.cwd.get(&parent).cloned() {
            self.cwd.insert(child, c);
        }
    }

    pub fn exit(&mut self, tgid: u32) {
        self.procs.remove(&tgid);
        self.cwd.remove(&tgid);
        self.unknown.retain(|(t, _)| *t != tgid);
    }

    /// The text in `fd<...>`: the path (`-y`), or for sockets the endpoints (`-yy`).
    pub fn annotate(&mut self, tgid: u32, fd: i32, set: FdLevel) -> Option<Rc<str>> {
        use crate::tracker::fd_decode::{DEV, PATH, SOCKET};
        if set == 0 {
            return None;
        }
        let sockets = set & SOCKET != 0;
        // Paths and other names: one lookup, one copy of the name.
        match &self.get(tgid, fd)?.kind {
            // A pidfd by its process, as strace 6.1 names it.
            Kind::Other(n) if &**n == PIDFD => {
                if set & crate::tracker::fd_decode::PIDFD != 0
                    && let Some(pid) = self.pidfds.get(&(tgid, fd))
                {
                    return Some(format!("pid:{pid}").into());
                }
                return (set & PATH != 0).then(|| PIDFD.into());
            }
            // A device: its numbers (dev), else its path (path).
            Kind::Path(p) if set & DEV != 0 && p.starts_with("/dev/") => {
                let p = p.clone();
                let named = self.device_name(tgid, &p);
                // Not a device after all (a regular file under /dev): a path.
                if Rc::ptr_eq(&named, &p) {
                    return (set & PATH != 0).then(|| escaped(&p));
                }
                return Some(named);
            }
            Kind::Path(p) | Kind::Other(p) => return (set & PATH != 0).then(|| escaped(p)),
            // strace 6.1 prints `(deleted)` after the brackets (`4</tmp/f>(deleted)`); a `>`
            // of a real name is escaped, so `decode::angled` can tell.
            Kind::Deleted(p) => {
                return (set & PATH != 0)
                    .then(|| format!("{}>(deleted)", crate::decode::strings::fd_path(p)).into());
            }
            Kind::Socket { .. } if !sockets && set & PATH == 0 => return None,
            Kind::Socket { .. } => {}
        }
        let f = self.get(tgid, fd)?.clone();
        Some(match f.kind {
            Kind::Path(p) | Kind::Other(p) | Kind::Deleted(p) => p,
            Kind::Socket {
                proto,
                inode,
                local,
                peer,
            } => {
                let (mut proto, mut local, mut peer, mut inode) = (proto, local, peer, inode);
                // inode is set once the kernel's tables were consulted (0: not found there).
                if sockets && inode.is_none() && (local.is_none() || peer.is_none()) {
                    // Fill from the kernel's socket tables once; cached below.
                    if inode.is_none() {
                        inode = procfs::socket_inode(tgid, fd);
                    }
                    if let Some((p, l, r)) = inode.and_then(|i| proc_net_lookup(tgid, i)) {
                        proto = p;
                        local = local.or(l);
                        peer = peer.or(r);
                    }
                    inode = inode.or(Some(0));
                    if let Some(e) = self.fds(tgid).get_mut(&fd) {
                        e.kind = Kind::Socket {
                            proto,
                            inode,
                            local: local.clone(),
                            peer: peer.clone(),
                        };
                        // accept(fd, NULL, NULL) does not say who connected: the kernel does.
                        if let Some(o) = &mut e.origin
                            && o.syscall.starts_with("accept")
                            && o.peer.is_none()
                        {
                            o.peer = peer.clone();
                        }
                    }
                }
                if !sockets {
                    let ino = inode.filter(|i| *i != 0).or_else(|| {
                        let i: Option<u64> = procfs::socket_inode(tgid, fd);
                        // Cached: -y reads /proc once per socket, not per event.
                        if let Some(Fd {
                            kind: Kind::Socket { inode, .. },
                            ..
                        }) = self.fds(tgid).get_mut(&fd)
                        {
                            *inode = Some(i.unwrap_or(0));
                        }
                        i
                    });
                    match ino {
                        Some(i) => format!("socket:[{i}]").into(),
                        None => "socket".into(),
                    }
                } else {
                    let text = match (local, peer) {
                        (Some(l), Some(p)) => format!("{proto}:[{l}->{p}]"),
                        (Some(l), None) => format!("{proto}:[{l}]"),
                        (None, Some(p)) => format!("{proto}:[->{p}]"),
                        (None, None) => match inode.filter(|i| *i != 0) {
                            Some(i) => format!("{proto}:[{i}]"),
                            None => proto.to_string(),
                        },
                    };
                    text.into()
                }
            }
        })
    }

    /// The call that created the fd, if the tracer saw it.
    pub fn origin(&mut self, tgid: u32, fd: i32) -> Option<Origin> {
        self.get(tgid, fd)?.origin.clone()
    }

    /// The name (`-yy` form) and origin of an fd: one lookup for paths and other named fds,
    /// the common case of every JSON line.
    pub fn info(&mut self, tgid: u32, fd: i32) -> (Option<Rc<str>>, Option<Origin>) {
        match self.get(tgid, fd) {
            None => (None, None),
            Some(Fd {
                kind: Kind::Path(p) | Kind::Other(p),
                origin,
                ..
            }) => (Some(p.clone()), origin.clone()),
            // As /proc names it.
            Some(Fd {
                kind: Kind::Deleted(p),
                origin,
                ..
            }) => (Some(format!("{p} (deleted)").into()), origin.clone()),
            Some(_) => (
                self.annotate(tgid, fd, crate::tracker::fd_decode::ALL),
                self.origin(tgid, fd),
            ),
        }
    }
}

/// A name as `-y` prints it between `<` and `>` (escaped as strace escapes it); the same
/// shared string when nothing needs escaping.
fn escaped(name: &Rc<str>) -> Rc<str> {
    match crate::decode::strings::fd_path(name) {
        std::borrow::Cow::Borrowed(_) => name.clone(),
        std::borrow::Cow::Owned(s) => s.into(),
    }
}

/// (protocol, local, peer) of socket `inode`, from the kernel's socket tables.
fn proc_net_lookup(
    tgid: u32,
    inode: u64,
) -> Option<(&'static str, Option<String>, Option<String>)> {
    let s = procfs::socket_by_inode(tgid, inode)?;
    Some((
        s.proto,
        Some(endpoint(&s.local)),
        s.peer.as_ref().map(endpoint),
    ))
}

/// `a/./b/../c` as `a/c`: the name the kernel would give the file (symlinks aside).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_paths_are_normalized() {
        assert_eq!(normalize("/a/./b/../c"), "/a/c");
        assert_eq!(normalize("/a/b/"), "/a/b");
        assert_eq!(normalize("/../x"), "/x");
    }

    fn origin(name: &'static str) -> Origin {
        Origin {
            syscall: name,
            tid: 1,
            time_ns: None,
            peer: None,
        }
    }

    /// A removed file is named as strace names it (`<path>(deleted)`), whichever process
    /// holds it; a file whose name merely ends in ` (deleted)` is not; a rename moves the
    /// names of what is open under it.
    #[test]
    fn removed_and_moved_files_are_named_as_proc_names_them() {
        use crate::{decode::fs::AT_FDCWD, tracker::fd_decode::PATH};
        let mut t = Table::default();
        t.opened(1, 3, AT_FDCWD, "/tmp/a", false, origin("openat"));
        t.opened(2, 5, AT_FDCWD, "/tmp/a", false, origin("openat"));
        t.opened(1, 4, AT_FDCWD, "/tmp/d/x", false, origin("openat"));
        t.opened(1, 6, AT_FDCWD, "/tmp/b (deleted)", false, origin("openat"));
        t.opened(1, 7, AT_FDCWD, "/tmp/dd/y", false, origin("openat"));
        t.unlinked(1, AT_FDCWD, "/tmp/a");
        let name = |t: &mut Table, tgid, fd| t.annotate(tgid, fd, PATH).map(|n| n.to_string());
        assert_eq!(name(&mut t, 1, 3).as_deref(), Some("/tmp/a>(deleted)"));
        assert_eq!(name(&mut t, 2, 5).as_deref(), Some("/tmp/a>(deleted)"));
        assert_eq!(t.info(1, 3).0.as_deref(), Some("/tmp/a (deleted)"));
        assert_eq!(name(&mut t, 1, 6).as_deref(), Some("/tmp/b (deleted)"));
        let mut line = String::new();
        crate::decode::angled(&mut line, name(&mut t, 1, 3).as_deref());
        crate::decode::angled(&mut line, name(&mut t, 1, 6).as_deref());
        assert_eq!(line, "</tmp/a>(deleted)</tmp/b (deleted)>");
        t.renamed(1, (AT_FDCWD, "/tmp/d"), (AT_FDCWD, "/tmp/e"));
        assert_eq!(name(&mut t, 1, 4).as_deref(), Some("/tmp/e/x"));
        // Only what is under the directory, not what shares its name's start.
        assert_eq!(name(&mut t, 1, 7).as_deref(), Some("/tmp/dd/y"));
    }

    #[test]
    fn table_follows_calls() {
        let mut t = Table::default();
        let me = std::process::id();
        t.opened(me, 900, -100, "/etc/passwd", true, origin("openat"));
        assert_eq!(
            &*t.annotate(me, 900, crate::tracker::fd_decode::PATH)
                .unwrap(),
            "/etc/passwd"
        );
        t.dup(me, 900, 901, false, origin("dup"));
        assert_eq!(
            &*t.annotate(me, 901, crate::tracker::fd_decode::PATH)
                .unwrap(),
            "/etc/passwd"
        );
        assert_eq!(t.origin(me, 901).unwrap().syscall, "dup");
        t.exec(me);
        assert!(!t.procs[&me].contains_key(&900), "close-on-exec fd dropped");
        assert!(t.procs[&me].contains_key(&901));
        t.close(me, 901);
        assert!(!t.procs[&me].contains_key(&901));
        t.socket(me, 902, 2, 1, origin("socket"));
        let peer = SockAddr::Ip("127.0.0.5:58952".parse().unwrap());
        let local = SockAddr::Ip("127.0.0.1:6432".parse().unwrap());
        t.bound(me, 902, &local);
        t.accepted(me, 902, 903, Some(&peer), false, origin("accept4"));
        assert_eq!(
            &*t.annotate(me, 903, crate::tracker::fd_decode::ALL).unwrap(),
            "TCP:[127.0.0.1:6432->127.0.0.5:58952]"
        );
        assert_eq!(
            t.origin(me, 903).unwrap().peer.as_deref(),
            Some("127.0.0.5:58952")
        );
        t.fork(me, 1, false);
        assert_eq!(
            &*t.annotate(1, 903, crate::tracker::fd_decode::ALL).unwrap(),
            "TCP:[127.0.0.1:6432->127.0.0.5:58952]"
        );
    }

    #[test]
    fn unknown_fds_come_from_proc_once() {
        let mut t = Table::default();
        let me = std::process::id();
        let f = std::fs::File::open("/etc/hostname").unwrap();
        use std::os::fd::AsRawFd;
        assert_eq!(
            &*t.annotate(me, f.as_raw_fd(), crate::tracker::fd_decode::PATH)
                .unwrap(),
            "/etc/hostname"
        );
        drop(f);
        // Cached: still the same answer though the fd is gone (no /proc read).
        assert!(
            t.annotate(me, 3_000_000, crate::tracker::fd_decode::PATH)
                .is_none()
        );
    }
}
