//! The tracker: what the tracer knows about the traced processes between events (which tasks
//! and processes live, the argv of an exec whose execve has not returned yet, each process's
//! fd table), kept in step with each event. A call's effect on the fd table is its table
//! row's [`Fx`]; nothing here matches on syscall names.
// A fast hash: these sets are looked up per event.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use tracer_common::record_flags;

use crate::{
    clock::Clock,
    decode::{self, ExecInfo, fs, net},
    fds::{self, Origin},
    output::FdInfo,
    source::Event,
    syscalls::{Dec, Fx, Syscall, Ty},
};

/// What is printed next to fds: a set of [`fd_decode`] bits (0: nothing).
pub type FdLevel = u8;

/// `--decode-fds=`: -y is PATH, -yy ALL.
pub mod fd_decode {
    /// File paths (and the working directory after AT_FDCWD); other fds' kinds.
    pub const PATH: u8 = 1;
    /// Socket endpoints (`TCP:[1.2.3.4:5->...]`).
    pub const SOCKET: u8 = 2;
    /// Device numbers (`/dev/null<char 1:3>`).
    pub const DEV: u8 = 4;
    /// The process a pidfd refers to (`pid:1234`).
    pub const PIDFD: u8 = 8;
    pub const ALL: u8 = PATH | SOCKET | DEV | PIDFD;
}

pub struct Tracker {
    fds: fds::Table,
    pending_exec: HashMap<u32, ExecInfo>,
    /// By task: the argv and environment of the exec it is in, read at entry.
    exec_args: HashMap<u32, decode::process::ExecArgs>,
    /// The started child's syscalls before its execve are the tracer's, not the command's.
    skip_until_exec: Option<u32>,
    live_tasks: HashSet<u32>,
    live_procs: HashSet<u32>,
    /// Traced processes /proc says are gone, their exit record not seen.
    vanished: HashSet<u32>,
    /// Several processes from the start (several -p, or -p -f with children).
    multi: bool,
    /// `-b execve`: processes no longer traced; their records still in flight are dropped.
    detached: HashSet<u32>,
    /// The task of the last call, known live: most calls come from the same task as the
    /// one before, and need no set insert.
    last_tid: Option<u32>,
    pub clock: Clock,
    /// The command the tracer started, if any.
    pub child: Option<u32>,
    /// `-Y`: command names by tid, as last seen.
    comms: HashMap<u32, std::rc::Rc<str>>,
    /// `-Y` is on: children's names are noted at fork.
    pub want_comms: bool,
    /// `-y`: `AT_FDCWD</dir>` needs each process's working directory.
    pub want_cwd: bool,
    /// `--decode-pids=container`: a process's cgroup is noted at exec.
    pub want_tags: bool,
    /// `--container`/`--cgroup`/`--pod` naming one cgroup: every traced process is in it, so a
    /// process gone before /proc could be read is still tagged with it.
    pub sole_cgroup: Option<crate::output::Tags>,
    /// `--decode-pids=pidns`: pid namespaces of the traced processes, and what their pids are
    /// in the tracer's.
    pidns: PidNs,
    /// `--decode-pids=container`: per process its cgroup id, container and id in its PID
    /// namespace; per thread its id there (read from /proc once, until exec or exit).
    proc_tags: HashMap<u32, crate::output::Tags>,
    thread_ns: HashMap<u32, Option<u32>>,
}

/// Pids of other PID namespaces, translated to the tracer's own (strace's
/// `--decode-pids=pidns`).
#[derive(Default)]
struct PidNs {
    /// The tracer's namespace (read once).
    own: Option<u64>,
    /// The namespace of each traced process.
    of: HashMap<u32, Option<u64>>,
    /// (namespace, pid there) -> pid here.
    here: HashMap<(u64, u32), u32>,
}

/// A pid named by a traced process, as the tracer sees it.
enum Here {
    /// The process is in the tracer's namespace: the pid is the same.
    Same,
    /// Another namespace: this pid here.
    Pid(u32),
    /// Another namespace, and no process there has that pid (any more).
    Unknown,
}

impl PidNs {
    /// `pid` as process `tgid` names it, in the tracer's namespace.
    fn translate(&mut self, tgid: u32, pid: u32) -> Here {
        let own = *self
            .own
            .get_or_insert_with(|| crate::procfs::pid_ns(std::process::id()).unwrap_or(0));
        let ns = *self
            .of
            .entry(tgid)
            .or_insert_with(|| crate::procfs::pid_ns(tgid));
        match ns {
            Some(ns) if ns != own => self.lookup(ns, pid).map_or(Here::Unknown, Here::Pid),
            _ => Here::Same,
        }
    }

    fn lookup(&mut self, ns: u64, pid: u32) -> Option<u32> {
        if let Some(h) = self.here.get(&(ns, pid)) {
            return Some(*h);
        }
        // Unknown: read the namespace's processes once more (new ones appeared).
        for (inner, outer) in crate::procfs::pids_in_ns(ns) {
            self.here.insert((ns, inner), outer);
        }
        self.here.get(&(ns, pid)).copied()
    }
}

impl Tracker {
    /// `procs`: the processes traced from the start, with their fd tables read from /proc;
    /// `child`: the started command, whose calls count from its execve.
    pub fn new(procs: impl IntoIterator<Item = u32>, fds: fds::Table, child: Option<u32>) -> Self {
        let procs: HashSet<u32> = procs.into_iter().collect();
        Self {
            fds,
            pending_exec: HashMap::new(),
            exec_args: HashMap::new(),
            skip_until_exec: child,
            detached: HashSet::new(),
            live_tasks: HashSet::new(),
            multi: procs.len() > 1,
            last_tid: None,
            live_procs: procs,
            vanished: HashSet::new(),
            clock: Clock::new(),
            child,
            comms: HashMap::new(),
            want_comms: false,
            want_cwd: false,
            want_tags: false,
            sole_cgroup: None,
            pidns: PidNs::default(),
            proc_tags: HashMap::new(),
            thread_ns: HashMap::new(),
        }
    }

    /// A new task: a thread (same tgid) or a process, whose fd table is its parent's copy.
    pub fn fork(&mut self, ev: &Event) {
        let r = &ev.rec;
        let (child_tid, child_tgid) = (r.aux, r.ret as u32);
        // The child's name is its parent's until it execs (it may be gone before -Y asks).
        if self.want_comms
            && let Some(c) = comm_of(&mut self.comms, r.tid)
        {
            self.comms.insert(child_tid, c);
        }
        self.live_tasks.insert(child_tid);
        self.live_procs.insert(child_tgid);
        // A task in a PID namespace below the first: its pid there, from the kernel.
        let (nspid, ns) = (r.args[0] as u32, r.args[1]);
        if ns != 0 && nspid != 0 {
            self.pidns.here.insert((ns, nspid), child_tid);
            self.pidns.of.insert(child_tgid, Some(ns));
        }
        if child_tgid != r.tgid {
            self.fds.fork(r.tgid, child_tgid, self.want_cwd);
        }
    }

    /// `sched_process_exec`: the new image's filename and argv, for the execve line to come.
    pub fn exec(&mut self, ev: &Event) {
        let r = &ev.rec;
        self.comms.remove(&r.tgid);
        self.comms.remove(&r.tid);
        self.proc_tags.remove(&r.tgid);
        if self.want_tags {
            // The kernel's cgroup id of the new image: the container, even if the process
            // is gone before /proc could be read.
            let id = r.args[2];
            let container = crate::procfs::cgroup_path(id)
                .and_then(|p| crate::containers::container_of(&p))
                .map(Into::into);
            let nspid = crate::procfs::nspid(r.tgid);
            self.proc_tags.insert(
                r.tgid,
                crate::output::Tags {
                    cgroup_id: Some(id).filter(|i| *i != 0),
                    container,
                    nspid,
                    nstid: None,
                },
            );
        }
        if self.want_comms
            && let Some(f) = ev.str_for(0)
        {
            // The kernel names the task after the file's base name, cut to 15 bytes.
            let base = f.bytes.rsplit(|b| *b == b'/').next().unwrap_or_default();
            let base = &base[..base.len().min(15)];
            self.comms
                .insert(r.tgid, String::from_utf8_lossy(base).into());
        }
        if self.skip_until_exec == Some(r.tgid) {
            // The started command's image is in place: from here on its calls are its own.
            self.skip_until_exec = None;
        }
        // The exec's entry: made by the task that called it, the leader now (`aux`: its
        // old tid).
        let entry = self
            .exec_args
            .remove(&r.aux)
            .or_else(|| self.exec_args.remove(&r.tid));
        if let (Some(f), Some(a)) = (ev.str_for(0), ev.str_for(1)) {
            self.pending_exec.insert(
                r.tgid,
                ExecInfo {
                    filename: f.bytes.to_vec(),
                    argv: a.bytes.to_vec(),
                    argv_truncated: a.truncated(),
                    argv_len: usize::try_from(r.ret).unwrap_or(0),
                    at: r.flags & record_flags::EXECVEAT != 0,
                    entry,
                },
            );
        }
    }

    /// A task exits (before its line is printed, the task still counts as live).
    pub fn exit_begin(&mut self, ev: &Event) {
        let r = &ev.rec;
        if self.skip_until_exec == Some(r.tid) {
            self.skip_until_exec = None;
        }
        self.live_tasks.insert(r.tid);
    }

    /// After the exit line: forget the task, and the process with its last task.
    pub fn exit_end(&mut self, ev: &Event) {
        let r = &ev.rec;
        self.live_tasks.remove(&r.tid);
        self.thread_ns.remove(&r.tid);
        self.exec_args.remove(&r.tid);
        if self.last_tid == Some(r.tid) {
            self.last_tid = None;
        }
        if r.flags & record_flags::GROUP_DEAD != 0 {
            self.live_procs.remove(&r.tgid);
            self.vanished.remove(&r.tgid);
            self.proc_tags.remove(&r.tgid);
            self.pending_exec.remove(&r.tgid);
            self.fds.exit(r.tgid);
        }
    }

    /// Whether a syscall record is the traced program's (not the tracer's pre-exec set-up);
    /// notes its task as live.
    pub fn begin_call(&mut self, ev: &Event) -> bool {
        if self.skip_until_exec == Some(ev.rec.tgid) || self.is_detached(ev.rec.tgid) {
            return false;
        }
        if self.last_tid != Some(ev.rec.tid) {
            self.live_tasks.insert(ev.rec.tid);
            self.last_tid = Some(ev.rec.tid);
        }
        true
    }

    /// The argv of a successful execve, seen by `sched_process_exec` before it returned.
    pub fn take_exec(&mut self, tgid: u32) -> Option<ExecInfo> {
        self.pending_exec.remove(&tgid)
    }

    /// An exec's entry (`kind::EXEC_ARGS`): kept for its exit.
    pub fn exec_entry(&mut self, ev: &Event) {
        self.exec_args
            .insert(ev.rec.tid, decode::process::ExecArgs::from_event(ev));
    }

    /// What the entry of a failed exec read.
    pub fn take_exec_entry(&mut self, tid: u32) -> Option<decode::process::ExecArgs> {
        self.exec_args.remove(&tid)
    }

    /// Whether lines need a `[pid N]` prefix: several tasks are (or were at start) traced.
    /// The tasks of the traced processes that are alive now (from /proc), and those known to
    /// be (they made a call and have not exited).
    /// The started command is past its execve (a capture file that starts later).
    pub fn child_started(&mut self) {
        self.skip_until_exec = None;
    }

    /// The traced processes, in order.
    pub fn procs(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.live_procs.iter().copied().collect();
        v.sort_unstable();
        v
    }

    pub fn live_task_ids(&self) -> Vec<u32> {
        let mut tids: HashSet<u32> = self.live_tasks.clone();
        for p in &self.live_procs {
            tids.extend(crate::procfs::tasks(*p));
        }
        tids.into_iter().collect()
    }

    /// Stops following process `tgid` (`-b execve`).
    pub fn detach(&mut self, tgid: u32) {
        self.detached.insert(tgid);
        self.live_procs.remove(&tgid);
        // exec leaves one thread, whose tid is the tgid.
        self.live_tasks.remove(&tgid);
        if self.last_tid == Some(tgid) {
            self.last_tid = None;
        }
        self.pending_exec.remove(&tgid);
        self.fds.exit(tgid);
    }

    pub fn is_detached(&self, tgid: u32) -> bool {
        !self.detached.is_empty() && self.detached.contains(&tgid)
    }

    pub fn several(&self) -> bool {
        self.multi || self.live_tasks.len() > 1
    }

    /// Whether no traced process is left. Exit records can be lost with a full ring buffer:
    /// `check_proc` also drops processes /proc no longer has.
    pub fn all_gone(&mut self, check_proc: bool) -> bool {
        if check_proc {
            let vanished = &mut self.vanished;
            self.live_procs.retain(|p| {
                // A zombie makes no more calls: as good as gone (its parent may be waiting
                // for the tracer to finish before it reaps).
                let here = std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| {
                    s.rsplit_once(')')
                        .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
                });
                if !here {
                    vanished.insert(*p);
                }
                here
            });
        }
        self.live_procs.is_empty()
    }

    /// Processes found gone from /proc whose exit record has not arrived (yet: a record
    /// still in the ring takes its process off this list).
    pub fn take_vanished(&mut self) -> Vec<u32> {
        let mut v: Vec<u32> = self.vanished.drain().collect();
        v.sort_unstable();
        v
    }

    /// `-y`/`-yy` names of the process's fds, for the decoders.
    pub fn names(&mut self, tgid: u32, level: FdLevel) -> Names<'_> {
        Names {
            table: &mut self.fds,
            comms: &mut self.comms,
            pidns: &mut self.pidns,
            tgid,
            level,
        }
    }

    /// `-Y`: the name of task `tid` (a pid as process `by` names it), as a record saw it.
    /// Where task `tid` of process `tgid` runs: cgroup, container, ids in its PID namespace.
    pub fn tags(&mut self, tgid: u32, tid: u32) -> crate::output::Tags {
        if self.proc_tags.len() >= 4096 {
            self.proc_tags.clear();
            self.thread_ns.clear();
        }
        let mut t = self
            .proc_tags
            .entry(tgid)
            .or_insert_with(|| match crate::procfs::cgroup(tgid) {
                Some(cg) => crate::output::Tags {
                    cgroup_id: Some(cg.0),
                    container: crate::containers::container_of(&cg.1).map(Into::into),
                    nspid: crate::procfs::nspid(tgid),
                    nstid: None,
                },
                None => self.sole_cgroup.clone().unwrap_or_default(),
            })
            .clone();
        t.nstid = if tid == tgid {
            t.nspid
        } else {
            *self
                .thread_ns
                .entry(tid)
                .or_insert_with(|| crate::procfs::nspid(tid))
        };
        t
    }

    /// A task's name as its own record carries it: the cache learns a rename
    /// (prctl(PR_SET_NAME)) without asking /proc.
    pub fn saw_comm(&mut self, tid: u32, comm: &str) {
        if self.comms.get(&tid).map(|c| &**c) != Some(comm) {
            self.comms.insert(tid, comm.into());
        }
    }

    /// A task's name known from elsewhere (a capture's header).
    pub fn set_comm(&mut self, tid: u32, comm: &str) {
        self.comms.insert(tid, comm.into());
    }

    pub fn note_comm(&mut self, by: u32, tid: u32, comm: &str) {
        let here = match self.pidns.translate(by, tid) {
            Here::Same => tid,
            Here::Pid(here) => here,
            Here::Unknown => return,
        };
        if !comm.is_empty() {
            self.comms.insert(here, comm.into());
        }
    }

    /// `-Y`: the command name of task `tid` (cached; read from /proc while it exists).
    pub fn comm(&mut self, tid: u32) -> Option<std::rc::Rc<str>> {
        comm_of(&mut self.comms, tid)
    }

    /// What fd `fd` is and where it came from (JSON, --fd-origin, --match).
    pub fn fd_info(&mut self, tgid: u32, fd: i32) -> FdInfo {
        let (name, origin) = self.fds.info(tgid, fd);
        FdInfo { fd, name, origin }
    }

    /// Applies a completed call's effect on the fd table, as its row says. `named`: -y is on,
    /// so new anonymous fds are named from /proc while they exist.
    pub fn apply(&mut self, ev: &Event, sc: &'static Syscall, named: bool) {
        // An injected result created, closed or duplicated nothing: `-e inject=…:retval=7`
        // leaves fd 7 what it was.
        if sc.fx == Fx::None || ev.rec.flags & tracer_common::record_flags::INJECTED != 0 {
            return;
        }
        let r = &ev.rec;
        let (a, ret, t) = (r.args, r.ret, r.tgid);
        // A non-blocking connect is in progress: its peer is known.
        const EINPROGRESS: i64 = 115;
        if decode::errno::is_error(ret) && !(sc.fx == Fx::Connect && ret == -EINPROGRESS) {
            return;
        }
        let origin = Origin {
            syscall: sc.name,
            tid: r.tid,
            time_ns: self.clock.wall(r.ts_ns),
            peer: None,
        };
        let text = |i: usize| {
            ev.str_for(i)
                .filter(|c| !c.faulted())
                .map(|c| crate::procfs::bytes_text(c.bytes))
        };
        let addr = |i: usize| ev.str_for(i).and_then(|c| net::parse(c.bytes));
        let fd = |v: u64| v as u32 as i32;
        let arg = |ty: Ty| sc.arg_of(ty).map(|i| a[i]);
        // The close-on-exec bit of the call's flags argument, whatever its type (computed only
        // by the effects that create fds).
        let cloexec = || {
            [Ty::OpenFlags, Ty::SockFlags, Ty::SocketType]
                .into_iter()
                .find_map(arg)
                .or_else(|| {
                    sc.args
                        .iter()
                        .position(|t| matches!(t, Ty::FdFlags(_)))
                        .map(|i| a[i])
                })
                .is_some_and(|f| f & fs::O_CLOEXEC != 0)
        };
        let tbl = &mut self.fds;
        match sc.fx {
            Fx::None => {}
            Fx::Open => {
                if let Some(p) = sc.arg_of(Ty::Path).and_then(text) {
                    let dirfd = arg(Ty::Dirfd).map_or(fs::AT_FDCWD, fd);
                    tbl.opened(t, ret as i32, dirfd, &p, cloexec(), origin);
                }
            }
            Fx::Socket => tbl.socket(t, ret as i32, a[0], a[1], origin),
            Fx::Accept => {
                let peer = addr(1);
                tbl.accepted(t, fd(a[0]), ret as i32, peer.as_ref(), cloexec(), origin);
            }
            Fx::Connect => {
                if let Some(p) = addr(1) {
                    tbl.connected(t, fd(a[0]), &p);
                }
            }
            Fx::Bind => {
                if let Some(l) = addr(1) {
                    tbl.bound(t, fd(a[0]), &l);
                }
            }
            Fx::Listen => tbl.listening(t, fd(a[0])),
            Fx::Dup => tbl.dup(t, fd(a[0]), ret as i32, false, origin),
            Fx::DupTo => tbl.dup(t, fd(a[0]), fd(a[1]), cloexec(), origin),
            Fx::Fcntl => match a[1] {
                fs::F_DUPFD => tbl.dup(t, fd(a[0]), ret as i32, false, origin),
                fs::F_DUPFD_CLOEXEC => tbl.dup(t, fd(a[0]), ret as i32, true, origin),
                fs::F_SETFD => tbl.set_cloexec(t, fd(a[0]), a[2] & fs::FD_CLOEXEC != 0),
                _ => {}
            },
            Fx::Pipe | Fx::SocketPair => {
                let fallback = if sc.fx == Fx::Pipe { "pipe" } else { "socket" };
                let pair = sc
                    .arg_of(Ty::IntPairOut)
                    .and_then(|i| ev.str_for(i))
                    .filter(|c| c.bytes.len() >= 8);
                if let Some(c) = pair {
                    let cloexec = cloexec();
                    for k in [0, 4] {
                        let mut b = [0u8; 4];
                        b.copy_from_slice(&c.bytes[k..k + 4]);
                        let f = i32::from_ne_bytes(b);
                        tbl.other(t, f, fallback, named, cloexec, origin.clone());
                    }
                }
            }
            // bpf: what the new fd is depends on the command (some return none); all are
            // close-on-exec.
            // No fd from this command (bpf's, landlock's version query).
            Fx::New(_) if !sc.returns_fd(&a) => {}
            Fx::New(_) if sc.dec == Dec::Bpf => {
                if let Some(name) = decode::process::bpf_fd_name(a[0]) {
                    let name = if name.is_empty() { "anon_inode" } else { name };
                    tbl.other(t, ret as i32, name, named, true, origin);
                }
            }
            // pidfd_getfd: a copy of another process's fd.
            Fx::New(_) if sc.name == "pidfd_getfd" => {
                let theirs = tbl.pidfd_pid(t, fd(a[0])).map(|pid| (pid, fd(a[1])));
                tbl.copy_from(theirs, t, ret as i32, origin);
            }
            Fx::New(name) => {
                let fallback = if name.is_empty() { "anon_inode" } else { name };
                tbl.other(t, ret as i32, fallback, named, cloexec(), origin);
                // pidfd_open: the process the pidfd refers to (`-yy` prints `pid:N`).
                if sc.name == "pidfd_open" {
                    tbl.pidfd(t, ret as i32, a[0] as u32);
                }
            }
            Fx::Memfd => {
                let name = format!("/memfd:{} (deleted)", text(0).unwrap_or_default());
                // memfd_create's flags are MFD_*: MFD_CLOEXEC is bit 0.
                tbl.other(t, ret as i32, &name, named, a[1] & 1 != 0, origin);
            }
            Fx::Close => tbl.close(t, fd(a[0])),
            Fx::CloseRange => {
                const CLOSE_RANGE_CLOEXEC: u64 = 4;
                tbl.close_range(t, a[0] as u32, a[1] as u32, a[2] & CLOSE_RANGE_CLOEXEC != 0)
            }
            Fx::Exec => tbl.exec(t),
            Fx::Chdir => {
                if let Some(p) = text(0) {
                    tbl.chdir(t, &p);
                }
            }
            Fx::Unlink => {
                if let Some(p) = sc.arg_of(Ty::Path).and_then(text) {
                    let dirfd = arg(Ty::Dirfd).map_or(fs::AT_FDCWD, fd);
                    tbl.unlinked(t, dirfd, &p);
                }
            }
            // rename(old, new); renameat/renameat2(olddirfd, old, newdirfd, new).
            Fx::Rename => {
                let (from, to) = match sc.args.first() {
                    Some(Ty::Dirfd) => ((fd(a[0]), text(1)), (fd(a[2]), text(3))),
                    _ => ((fs::AT_FDCWD, text(0)), (fs::AT_FDCWD, text(1))),
                };
                if let ((d0, Some(p0)), (d1, Some(p1))) = (from, to) {
                    tbl.renamed(t, (d0, &p0), (d1, &p1));
                }
            }
        }
    }
}

/// `-y`/`-yy` names from a process's fd table.
pub struct Names<'t> {
    table: &'t mut fds::Table,
    comms: &'t mut HashMap<u32, std::rc::Rc<str>>,
    pidns: &'t mut PidNs,
    tgid: u32,
    level: FdLevel,
}

/// A task's command name: the cache, else /proc (then cached until it execs or exits).
fn comm_of(comms: &mut HashMap<u32, std::rc::Rc<str>>, tid: u32) -> Option<std::rc::Rc<str>> {
    if let Some(c) = comms.get(&tid) {
        return Some(c.clone());
    }
    let c: std::rc::Rc<str> = crate::procfs::task_comm(tid)?.into();
    // Names outlive their tasks (a SIGCHLD names the child after it exited), so the cache
    // is bounded instead.
    if comms.len() >= 4096 {
        comms.clear();
    }
    comms.insert(tid, c.clone());
    Some(c)
}

impl decode::FdNames for Names<'_> {
    fn comm(&mut self, pid: i32) -> Option<std::rc::Rc<str>> {
        // A pid the process names is in its namespace: its name is under the pid here.
        let pid = u32::try_from(pid).ok()?;
        match self.pidns.translate(self.tgid, pid) {
            Here::Same => comm_of(self.comms, pid),
            Here::Pid(here) => comm_of(self.comms, here),
            Here::Unknown => None,
        }
    }

    fn pid_here(&mut self, pid: i32) -> Option<u32> {
        match self.pidns.translate(self.tgid, u32::try_from(pid).ok()?) {
            Here::Pid(here) => Some(here),
            Here::Same | Here::Unknown => None,
        }
    }

    fn cwd(&mut self) -> Option<std::rc::Rc<str>> {
        if self.level & fd_decode::PATH == 0 {
            return None;
        }
        self.table.cwd(self.tgid)
    }

    fn name(&mut self, fd: i32) -> Option<std::rc::Rc<str>> {
        self.table.annotate(self.tgid, fd, self.level)
    }

    fn name_in(&mut self, pid: i32, fd: i32) -> Option<std::rc::Rc<str>> {
        // A pid as the caller names it: the tracer's own when the namespaces agree.
        let pid = u32::try_from(pid).ok().filter(|p| *p > 0)?;
        let pid = match self.pidns.translate(self.tgid, pid) {
            Here::Same => pid,
            Here::Pid(here) => here,
            Here::Unknown => return None,
        };
        self.table.annotate(pid, fd, self.level)
    }

    fn name_via_pidfd(&mut self, pidfd: i32, fd: i32) -> Option<std::rc::Rc<str>> {
        if self.level == 0 {
            return None;
        }
        let pid = self.table.pidfd_pid(self.tgid, pidfd)?;
        self.table.annotate(pid, fd, self.level)
    }
}
