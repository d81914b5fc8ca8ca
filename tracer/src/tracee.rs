//! Starting a command so that not one of its syscalls is missed: fork, hold the child on a
//! pipe until its pid is a target, then let it exec. Also the /proc walks for `-p`.
use std::{
    ffi::{CString, OsString},
    os::{
        fd::{AsRawFd, FromRawFd, OwnedFd},
        unix::ffi::OsStrExt,
    },
};

use anyhow::{Result, anyhow};

/// A started child, held before exec until [`Held::release`].
pub struct Held {
    pub pid: u32,
    go: libc::c_int,
    err: libc::c_int,
    /// The child installs a seccomp filter (`-e inject=`) whose listener the tracer takes.
    inject: bool,
}

/// What the child does before its exec, besides waiting to be released.
#[derive(Default)]
pub struct Setup<'a> {
    /// `-e inject=`: the seccomp program to install, with a listener.
    pub filter: Option<&'a [libc::sock_filter]>,
    /// Killed (SIGKILL) when the tracer dies (`PR_SET_PDEATHSIG`).
    pub kill_on_exit: bool,
}

/// Why the command did not start, by the step that failed in the child.
#[derive(Debug)]
pub enum StartError {
    /// Switching to -u's ids, or the exec itself.
    Exec(std::io::Error),
    /// Installing the seccomp filter (`-e inject=`).
    Seccomp(std::io::Error),
    /// Taking the filter's listener from the child.
    Listener(std::io::Error),
}

/// `SECCOMP_FILTER_FLAG_SPEC_ALLOW` in include/uapi/linux/seccomp.h (Linux 4.17).
const SECCOMP_FILTER_FLAG_SPEC_ALLOW: libc::c_ulong = 1 << 2;

/// Child-to-tracer error codes: the step, then the errno.
const STAGE_EXEC: i32 = 0;
const STAGE_SECCOMP: i32 = 1;

/// Signals ignored when the tracer started (bit N-1 for signal N), before its runtime and its
/// threads changed any: what the command inherits.
static IGNORED_AT_START: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Notes which signals the tracer was started with ignored; call first thing in `main`.
/// Rust's runtime has already ignored SIGPIPE by then: it counts as not ignored (the common
/// case; a shell never starts a program with SIGPIPE ignored).
pub fn note_signal_dispositions() {
    let ignored = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let hex = s
                .lines()
                .find_map(|l| l.strip_prefix("SigIgn:"))?
                .trim()
                .to_string();
            u64::from_str_radix(&hex, 16).ok()
        })
        .unwrap_or(0);
    let sigpipe = 1u64 << (libc::SIGPIPE - 1);
    IGNORED_AT_START.store(ignored & !sigpipe, std::sync::atomic::Ordering::Relaxed);
}

/// The kernel's `struct sigaction` (x86_64), for the raw call: the C library refuses to touch
/// the signals it reserves for threads (32, 33), whose disposition the tracer's threads
/// changed too.
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// In the child before exec: every signal ignored or defaulted as when the tracer started.
/// An ignored signal stays ignored across exec, so without this the command would inherit
/// the tracer runtime's choices (`yes | head -1` printing "Broken pipe").
///
/// # Safety
/// Only async-signal-safe calls: raw rt_sigaction syscalls.
unsafe fn restore_dispositions(ignored: u64) {
    for sig in 1..=64 {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        let act = KernelSigaction {
            handler: if ignored & (1 << (sig - 1)) != 0 {
                libc::SIG_IGN
            } else {
                libc::SIG_DFL
            },
            flags: 0,
            restorer: 0,
            mask: 0,
        };
        // SAFETY: a valid kernel sigaction for the raw syscall; the old action is not read.
        unsafe {
            libc::syscall(
                libc::SYS_rt_sigaction,
                sig,
                &raw const act,
                std::ptr::null_mut::<KernelSigaction>(),
                8usize,
            )
        };
    }
}

/// Forks a child that waits on a pipe, then execs `path` with `argv`.
/// `-u USER`: the ids the command runs with, resolved before anything starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub uid: libc::uid_t,
    pub gid: libc::gid_t,
    /// Supplementary groups (the user's, from the group database).
    pub groups: Vec<libc::gid_t>,
}

/// Looks a user up by name (or number) in the password and group databases.
pub fn lookup_user(name: &str) -> Result<User, String> {
    let cname = CString::new(name).map_err(|_| format!("-u {name:?}: not a user name"))?;
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16 << 10];
    let mut res: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwnam_r/getpwuid_r write into `pw` and `buf`, both ours and large enough
    // (ERANGE otherwise, reported below).
    let rc = unsafe {
        match name.parse::<libc::uid_t>() {
            Ok(uid) => libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr(), buf.len(), &mut res),
            Err(_) => libc::getpwnam_r(
                cname.as_ptr(),
                &mut pw,
                buf.as_mut_ptr(),
                buf.len(),
                &mut res,
            ),
        }
    };
    if rc != 0 || res.is_null() {
        return Err(format!(
            "-u {name:?}: no such user in the password database; give a user name or uid"
        ));
    }
    let (uid, gid) = (pw.pw_uid, pw.pw_gid);
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut n = groups.len() as libc::c_int;
    // SAFETY: getgrouplist fills at most `n` entries of `groups` and says how many.
    let rc = unsafe { libc::getgrouplist(pw.pw_name, gid, groups.as_mut_ptr(), &mut n) };
    groups.truncate(if rc < 0 { 1 } else { n.max(0) as usize });
    if rc < 0 {
        groups[0] = gid;
    }
    Ok(User { uid, gid, groups })
}

pub fn spawn_held(
    path: &std::path::Path,
    argv: &[OsString],
    env: &[OsString],
    user: Option<&User>,
    setup: &Setup,
) -> Result<Held> {
    let ignored = IGNORED_AT_START.load(std::sync::atomic::Ordering::Relaxed);
    // The tracer's environment, changed as -E says (VAR=VAL sets, VAR removes).
    let mut vars: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for e in env {
        let b = e.as_bytes();
        let (name, value) = match b.iter().position(|c| *c == b'=') {
            Some(i) => (&b[..i], Some(&b[i + 1..])),
            None => (b, None),
        };
        vars.retain(|(k, _)| k.as_bytes() != name);
        if let Some(v) = value {
            vars.push((
                std::ffi::OsStr::from_bytes(name).to_os_string(),
                std::ffi::OsStr::from_bytes(v).to_os_string(),
            ));
        }
    }
    let cenv: Vec<CString> = vars
        .iter()
        .map(|(k, v)| {
            let mut kv = k.as_bytes().to_vec();
            kv.push(b'=');
            kv.extend_from_slice(v.as_bytes());
            CString::new(kv)
        })
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow!("the environment contains a NUL byte"))?;
    let mut envp: Vec<*const libc::c_char> = cenv.iter().map(|c| c.as_ptr()).collect();
    envp.push(std::ptr::null());
    let cpath = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| anyhow!("the command path contains a NUL byte"))?;
    let cargs: Vec<CString> = argv
        .iter()
        .map(|a| CString::new(a.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow!("the command contains a NUL byte"))?;
    let mut ptrs: Vec<*const libc::c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    let prog = setup.filter.map(|f| libc::sock_fprog {
        len: f.len() as u16,
        filter: f.as_ptr().cast_mut(),
    });
    // SAFETY: getpid has no failure mode.
    let parent = unsafe { libc::getpid() };
    let mut go = [0; 2];
    let mut err = [0; 2];
    // SAFETY: plain pipe2 calls on arrays of two ints.
    unsafe {
        if libc::pipe2(go.as_mut_ptr(), libc::O_CLOEXEC) != 0
            || libc::pipe2(err.as_mut_ptr(), libc::O_CLOEXEC) != 0
        {
            return Err(anyhow!("pipe: {}", std::io::Error::last_os_error()));
        }
    }
    // SAFETY: after fork the child only calls async-signal-safe functions (rt_sigaction,
    // prctl, read, seccomp, write, execve, _exit) on memory prepared before the fork.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(anyhow!("fork: {}", std::io::Error::last_os_error()));
    }
    if pid == 0 {
        // SAFETY: see above.
        unsafe {
            libc::close(go[1]);
            libc::close(err[0]);
            let fail = |stage: i32| -> ! {
                let e = [stage, *libc::__errno_location()];
                libc::write(err[1], e.as_ptr().cast(), 8);
                libc::_exit(127)
            };
            restore_dispositions(ignored);
            if setup.kill_on_exit
                && (libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0
                    || libc::getppid() != parent)
            {
                libc::_exit(127);
            }
            let mut b = 0u8;
            if libc::read(go[0], (&raw mut b).cast(), 1) != 1 {
                libc::_exit(127);
            }
            if let Some(prog) = &prog {
                // Installed by root without no_new_privs, so that set-user-ID programs keep
                // behaving as they do; before -u drops the privilege it needs. The listener
                // is close-on-exec: the tracer takes a copy (pidfd_getfd) and then says go.
                // SPEC_ALLOW: a filter otherwise turns on the speculative-store-bypass
                // mitigation for the task, which slows every program down (measured 19%
                // on dd) and is a change the command would not have alone.
                let fd = libc::syscall(
                    libc::SYS_seccomp,
                    libc::SECCOMP_SET_MODE_FILTER,
                    libc::SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_SPEC_ALLOW,
                    std::ptr::from_ref(prog),
                );
                if fd < 0 {
                    fail(STAGE_SECCOMP);
                }
                if libc::read(go[0], (&raw mut b).cast(), 1) != 1 {
                    libc::_exit(127);
                }
            }
            // -u: groups, then gid, then uid (after which the others cannot be changed).
            if let Some(u) = user
                && (libc::setgroups(u.groups.len(), u.groups.as_ptr()) != 0
                    || libc::setgid(u.gid) != 0
                    || libc::setuid(u.uid) != 0)
            {
                fail(STAGE_EXEC);
            }
            libc::execve(cpath.as_ptr(), ptrs.as_ptr(), envp.as_ptr());
            fail(STAGE_EXEC);
        }
    }
    // SAFETY: closing our copies of the child's pipe ends.
    unsafe {
        libc::close(go[0]);
        libc::close(err[1]);
    }
    Ok(Held {
        pid: pid as u32,
        go: go[1],
        err: err[0],
        inject: setup.filter.is_some(),
    })
}

impl Held {
    /// Lets the child exec; returns the seccomp listener with `-e inject=` and the command's
    /// calls it stopped meanwhile (to be answered as the command's), or what failed.
    pub fn release(self) -> Result<Option<(OwnedFd, Vec<libc::seccomp_notif>)>, StartError> {
        let go = |fd: libc::c_int| {
            let b = 1u8;
            // SAFETY: a one-byte write on our pipe end.
            unsafe { libc::write(fd, (&raw const b).cast(), 1) };
        };
        go(self.go);
        let listener = if self.inject {
            let l = take_listener(self.pid, self.err);
            if l.is_ok() {
                go(self.go);
            }
            Some(l)
        } else {
            None
        };
        // SAFETY: our pipe end, not used after.
        unsafe { libc::close(self.go) };
        let listener = match listener {
            Some(Ok(l)) => Some(l),
            Some(Err(e)) => {
                // SAFETY: as above.
                unsafe { libc::close(self.err) };
                return Err(e);
            }
            None => None,
        };
        // Until the exec: the child's own notified calls (its read of the go pipe, -u's
        // set*id, the execve) run untouched. The exec closes the error pipe before the
        // command runs, so a call stopped after the pipe is seen closed is the command's.
        let mut early = Vec::new();
        let r = loop {
            let mut fds = [
                libc::pollfd {
                    fd: self.err,
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: listener.as_ref().map_or(-1, |l| l.as_raw_fd()),
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: two pollfds of ours (a negative fd is ignored).
            if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
                continue;
            }
            if fds[1].revents & libc::POLLIN != 0
                && let Some(l) = &listener
                && let Ok(Some(n)) = crate::inject::recv(l.as_raw_fd())
            {
                if ready_now(self.err) {
                    early.push(n);
                } else {
                    crate::inject::let_run(l, &n);
                }
            }
            if fds[0].revents != 0 {
                break match read_failure(self.err) {
                    Some((STAGE_SECCOMP, err)) => Err(StartError::Seccomp(err)),
                    Some((_, err)) => Err(StartError::Exec(err)),
                    None => Ok(listener.map(|l| (l, early))),
                };
            }
        };
        // SAFETY: as above.
        unsafe { libc::close(self.err) };
        r
    }
}

/// Whether `fd` has something to read, or is closed at the other end, now.
fn ready_now(fd: libc::c_int) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one pollfd of ours, no wait.
    unsafe { libc::poll(&mut p, 1, 0) > 0 }
}

/// What the child wrote on the error pipe before exiting: the step that failed and its
/// errno; `None` when the pipe was closed without (the exec happened).
fn read_failure(fd: libc::c_int) -> Option<(i32, std::io::Error)> {
    let mut e = [0i32; 2];
    // SAFETY: an 8-byte read on our pipe end into an 8-byte array.
    let n = unsafe { libc::read(fd, e.as_mut_ptr().cast(), 8) };
    (n == 8).then(|| (e[0], std::io::Error::from_raw_os_error(e[1])))
}

/// The child's seccomp listener, copied from its fd table (found in /proc: the child makes
/// no call to say which fd it is, as any call could be one the filter stops).
fn take_listener(pid: u32, err: libc::c_int) -> Result<OwnedFd, StartError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let fdnum = loop {
        let found = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .ok()
            .and_then(|d| {
                d.flatten().find_map(|e| {
                    let link = std::fs::read_link(e.path()).ok()?;
                    matches!(
                        link.to_str(),
                        Some("anon_inode:seccomp notify" | "anon_inode:[seccomp notify]")
                    )
                    .then(|| e.file_name().to_str()?.parse::<i32>().ok())
                    .flatten()
                })
            });
        if let Some(fd) = found {
            break fd;
        }
        // The child reports a failed seccomp() on the error pipe.
        if ready_now(err) {
            let io = read_failure(err).map_or_else(
                || std::io::Error::other("the command exited before installing its filter"),
                |(_, e)| e,
            );
            return Err(StartError::Seccomp(io));
        }
        if std::time::Instant::now() > deadline {
            return Err(StartError::Listener(std::io::Error::other(
                "the command's seccomp listener did not appear",
            )));
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    };
    // SAFETY: pidfd_open and pidfd_getfd with plain integers; the results are checked and
    // owned here.
    unsafe {
        let pidfd = libc::syscall(libc::SYS_pidfd_open, pid, 0) as i32;
        if pidfd < 0 {
            return Err(StartError::Listener(std::io::Error::last_os_error()));
        }
        let pidfd = OwnedFd::from_raw_fd(pidfd);
        let fd = libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fdnum, 0) as i32;
        if fd < 0 {
            return Err(StartError::Listener(std::io::Error::last_os_error()));
        }
        Ok(OwnedFd::from_raw_fd(fd))
    }
}

/// Why process `pid` cannot be traced, as strace refuses it: the tracer itself, a kernel
/// thread (it makes no syscalls), a zombie (it will make none).
pub fn untraceable(pid: u32) -> Option<String> {
    if tgid_of(pid) == Some(std::process::id()) {
        return Some("that is the tracer itself; give another process".into());
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name: state is field 3, flags field 9.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    const PF_KTHREAD: u64 = 0x0020_0000;
    if f.get(6)?.parse::<u64>().ok()? & PF_KTHREAD != 0 {
        return Some("a kernel thread makes no system calls; give a user process".into());
    }
    if *f.first()? == "Z" {
        return Some(
            "the process is a zombie (exited, not yet reaped): it makes no more calls".into(),
        );
    }
    None
}

/// The process's tgid (a tid given with -p maps to its process), or an error if it is gone.
pub fn tgid_of(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// All living descendants of `root` (by parent pid in /proc/*/stat).
pub fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // The comm field may contain spaces and parentheses: parse after the last ')'.
            let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
                continue;
            };
            if let Some(ppid) = rest
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u32>().ok())
            {
                parent_of.push((pid, ppid));
            }
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (child, _) in parent_of.iter().filter(|(_, pp)| *pp == p) {
            out.push(*child);
            frontier.push(*child);
        }
    }
    out
}

/// Finds a command as execvp would: a name with a slash as is, else the first executable in PATH.
/// Why `resolve` found nothing to run: a directory, a file without execute permission, or
/// nothing of that name.
pub fn why_not_runnable(cmd: &std::ffi::OsStr) -> String {
    use std::os::unix::fs::PermissionsExt;
    let name = cmd.to_string_lossy();
    let candidates: Vec<std::path::PathBuf> = if cmd.as_bytes().contains(&b'/') {
        vec![std::path::PathBuf::from(cmd)]
    } else {
        let path =
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
        std::env::split_paths(&path).map(|d| d.join(cmd)).collect()
    };
    for p in &candidates {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                return format!("{name}: {} is a directory; give a program", p.display());
            }
            Ok(m) if m.permissions().mode() & 0o111 == 0 => {
                return format!(
                    "{name}: {} is not executable (no x permission); give a program or chmod +x it",
                    p.display()
                );
            }
            _ => {}
        }
    }
    if cmd.as_bytes().contains(&b'/') {
        format!("{name}: no such file; give an existing program")
    } else {
        format!("{name}: command not found in PATH; give an existing program")
    }
}

pub fn resolve(cmd: &std::ffi::OsStr) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let is_exec = |p: &std::path::Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if cmd.as_bytes().contains(&b'/') {
        let p = std::path::PathBuf::from(cmd);
        return is_exec(&p).then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .map(|d| d.join(cmd))
        .find(|p| is_exec(p))
}
