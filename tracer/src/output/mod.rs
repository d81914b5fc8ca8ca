//! Sinks: where decoded calls go. [`Call`] is the one data model; each [`Printer`] renders it in
//! one format into the [`Output`]'s buffer: [`text`] (strace's format), [`json`] (one object
//! per line). `summary` (`-c`) and the watch/metrics aggregation (`crate::failures`) are the
//! other sinks. A new output format is a new `Printer`.
pub mod json;
pub mod perfetto;
pub mod summary;
pub mod text;

use std::io::Write;

use crate::{fds::Origin, source::Captured, syscalls::Abi, watch::Watch};

/// One fd a call uses or returns: what it is, and the call that created it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdInfo {
    pub fd: i32,
    pub name: Option<std::rc::Rc<str>>,
    pub origin: Option<Origin>,
}

/// `--match`: where the pattern matched the call's data, and the fd it moved through.
#[derive(Clone, Debug)]
pub struct Match {
    pub pattern: String,
    /// Offset of the match in the data.
    pub offset: usize,
    /// The data around the match, quoted.
    pub excerpt: String,
    pub fd: FdInfo,
}

/// What `-e read=`/`-e write=` dumps: the data moved, and for vectored I/O the iovec array
/// that split it into buffers (each dumped apart, as strace does).
#[derive(Clone, Copy, Debug)]
pub struct Dump<'a> {
    pub data: &'a [u8],
    pub iov: Option<&'a [u8]>,
    /// What a vectored read moved (its result); None for data written.
    pub total: Option<u64>,
    /// How the data was copied (`decode::Opts::iov`).
    pub cap: (usize, usize),
}

/// One decoded syscall, ready for any printer.
pub struct Call<'a> {
    /// The text printer's line prefix (`[pid N] `, `comm[tid] `), chosen by the tracker.
    pub prefix: &'a str,
    pub tgid: u32,
    pub tid: u32,
    /// The task's comm as the kernel copied it (trimmed at its NUL).
    pub comm: &'a [u8],
    pub abi: Abi,
    pub nr: i32,
    pub name: &'a str,
    pub raw_args: &'a [u64],
    /// strace's argument text.
    pub args: &'a str,
    /// What the kernel copied, per argument slot.
    pub strings: &'a [Captured<'a>],
    pub ret: i64,
    /// The text after `= `.
    pub ret_text: &'a str,
    pub errno: Option<&'static str>,
    pub wall_ns: Option<u64>,
    pub duration_ns: Option<u64>,
    /// The fds the call uses or returns (JSON, --fd-origin).
    pub fds: &'a [FdInfo],
    pub matched: Option<&'a Match>,
    /// A diagnosis of the failure.
    pub hint: Option<&'a str>,
    /// `-e read=`/`-e write=`: the data, dumped in hex after the line.
    pub dump: Option<Dump<'a>>,
    /// The call has no result to show (strace's `<detached ...>`, `<unfinished ...>`).
    pub cut: Option<Cut>,
    /// `-i`: the user instruction pointer after the syscall instruction.
    pub ip: Option<u64>,
    /// `-k`: the user stack, symbolized, innermost frame first.
    pub stack: Option<&'a [String]>,
    /// `--decode-pids=container`: where the task runs.
    pub tags: Option<&'a Tags>,
    /// `-e inject=`: the record's INJECTED/DELAYED flags (`record_flags`).
    pub tamper: u8,
}

/// Where a task runs (`--decode-pids=container`, cgroup filters): its process's cgroup and
/// container, and its ids inside its PID namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags {
    /// The cgroup v2 id (the inode of its directory; `bpf_get_current_cgroup_id()`'s value).
    pub cgroup_id: Option<u64>,
    /// The container's short id, if the cgroup is a container runtime's.
    pub container: Option<std::rc::Rc<str>>,
    /// The process id and the thread id as the task's PID namespace numbers them.
    pub nspid: Option<u32>,
    pub nstid: Option<u32>,
}

/// Why a call's line ends without its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// `-b execve` let go of the process at this call.
    Detached,
    /// Still in progress when the tracer detached.
    Unfinished,
}

impl Cut {
    /// strace's word: `<detached ...>`, `<unfinished ...>`; the JSON key that flags it.
    pub fn word(self) -> &'static str {
        match self {
            Cut::Detached => "detached",
            Cut::Unfinished => "unfinished",
        }
    }
}

/// `+++ exited with N +++`: a task's end.
pub struct Exit<'a> {
    pub prefix: &'a str,
    pub tgid: u32,
    pub tid: u32,
    /// The kernel's exit code: status << 8 | core dumped 0x80 | signal.
    pub code: u32,
    /// The syscall the task ended in (exit_group, usually).
    pub nr: i32,
    pub wall_ns: Option<u64>,
    /// The kernel's exit record was lost (ring buffer full): the process was seen gone; the
    /// status is the tracer's own child's from waitpid, or unknown ([`EXIT_UNKNOWN`]).
    pub record_lost: bool,
}

/// [`Exit::code`] when the status is not known.
pub const EXIT_UNKNOWN: u32 = u32::MAX;

/// `--- SIGCHLD {si_signo=SIGCHLD, ...} ---`: a signal delivered to a task.
pub struct Signal<'a> {
    pub prefix: &'a str,
    pub tgid: u32,
    pub tid: u32,
    /// `SIGCHLD`.
    pub name: &'a str,
    /// strace's siginfo text, `{si_signo=...}`.
    pub info: &'a str,
    /// What the task does with it: `default`, `ignored` or `handler`.
    pub action: &'static str,
    /// The task's last syscall number (`-n` prints it, as strace does).
    pub nr: i32,
    /// `-i`: where the task was when the signal came.
    pub ip: Option<u64>,
    pub wall_ns: Option<u64>,
}

/// The counts a `--watch` table is shown with.
pub struct WatchStats {
    pub now_ns: u64,
    pub events: u64,
    pub lost: u64,
    pub hints: bool,
    /// Redraw in place (a terminal), rather than append.
    pub redraw: bool,
}

/// One output format.
pub trait Printer {
    fn call(&mut self, c: &Call, out: &mut Vec<u8>);
    fn exit(&mut self, e: &Exit, out: &mut Vec<u8>);
    fn signal(&mut self, s: &Signal, out: &mut Vec<u8>);
    /// A gap: records the kernel could not deliver.
    fn lost(&mut self, count: u64, out: &mut Vec<u8>);
    fn watch(&mut self, w: &Watch, s: &WatchStats, out: &mut Vec<u8>);
}

/// Bytes buffered before a write.
const FLUSH_AT: usize = 256 << 10;

/// The trace's destination (`-o FILE` or stderr), its buffer, and the format.
pub struct Output {
    w: Box<dyn Write + Send>,
    buf: Vec<u8>,
    printer: Box<dyn Printer>,
    terminal: bool,
    /// `-ff`: each task's lines go to FILE.TID instead.
    per_task: Option<PerTask>,
}

/// One task's file under `-ff`: the file, its buffer, its printer (its own `-r` clock).
type TaskFile = (std::fs::File, Vec<u8>, Box<dyn Printer>);

/// `-ff`: a file per task, as strace writes them.
pub struct PerTask {
    base: std::path::PathBuf,
    append: bool,
    new_printer: Box<dyn Fn() -> Box<dyn Printer>>,
    files: std::collections::HashMap<u32, TaskFile>,
}

impl PerTask {
    pub fn new(
        base: std::path::PathBuf,
        append: bool,
        new_printer: Box<dyn Fn() -> Box<dyn Printer>>,
    ) -> Self {
        Self {
            base,
            append,
            new_printer,
            files: std::collections::HashMap::new(),
        }
    }

    /// The task's file (created on its first line), its buffer and its printer.
    fn of(&mut self, tid: u32) -> std::io::Result<&mut TaskFile> {
        if !self.files.contains_key(&tid) {
            let mut name = self.base.clone().into_os_string();
            name.push(format!(".{tid}"));
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .append(self.append)
                .truncate(!self.append)
                .open(name)?;
            self.files
                .insert(tid, (f, Vec::new(), (self.new_printer)()));
        }
        Ok(self.files.get_mut(&tid).expect("inserted above"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        for (f, buf, _) in self.files.values_mut() {
            f.write_all(buf)?;
            buf.clear();
        }
        Ok(())
    }
}

impl Output {
    pub fn new(w: Box<dyn Write + Send>, printer: Box<dyn Printer>, terminal: bool) -> Self {
        Self {
            w,
            buf: Vec::with_capacity(FLUSH_AT + (64 << 10)),
            printer,
            terminal,
            per_task: None,
        }
    }

    /// `-ff`: lines go to a file per task from now on.
    pub fn separately(&mut self, p: PerTask) {
        self.per_task = Some(p);
    }

    /// Whether lines go to a terminal (the watch table then refreshes in place).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    pub fn set_terminal(&mut self, t: bool) {
        self.terminal = t;
    }

    fn written(&mut self) -> std::io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    pub fn call(&mut self, c: &Call) -> std::io::Result<()> {
        if let Some(p) = &mut self.per_task {
            let (_, buf, printer) = p.of(c.tid)?;
            printer.call(c, buf);
            return Ok(());
        }
        self.printer.call(c, &mut self.buf);
        self.written()
    }

    /// A call's rendering, kept for later (`--match-context` histories).
    pub fn render(&mut self, c: &Call) -> Vec<u8> {
        let mut v = Vec::new();
        self.printer.call(c, &mut v);
        v
    }

    /// Bytes rendered earlier by [`Output::render`] for task `tid`.
    pub fn rendered(&mut self, tid: u32, b: &[u8]) -> std::io::Result<()> {
        if let Some(p) = &mut self.per_task {
            p.of(tid)?.1.extend_from_slice(b);
            return Ok(());
        }
        self.buf.extend_from_slice(b);
        self.written()
    }

    pub fn exit(&mut self, e: &Exit) -> std::io::Result<()> {
        if let Some(p) = &mut self.per_task {
            let (f, buf, printer) = p.of(e.tid)?;
            printer.exit(e, buf);
            // The task is gone: its file is complete.
            f.write_all(buf)?;
            p.files.remove(&e.tid);
            return Ok(());
        }
        self.printer.exit(e, &mut self.buf);
        self.written()
    }

    pub fn signal(&mut self, s: &Signal) -> std::io::Result<()> {
        if let Some(p) = &mut self.per_task {
            let (_, buf, printer) = p.of(s.tid)?;
            printer.signal(s, buf);
            return Ok(());
        }
        self.printer.signal(s, &mut self.buf);
        self.written()
    }

    /// A gap. With -ff it is marked in every open file: nobody knows whose records they were.
    pub fn lost(&mut self, count: u64) -> std::io::Result<()> {
        if let Some(p) = &mut self.per_task {
            for (_, buf, printer) in p.files.values_mut() {
                printer.lost(count, buf);
            }
            return Ok(());
        }
        self.printer.lost(count, &mut self.buf);
        self.written()
    }

    pub fn watch(&mut self, w: &Watch, s: &WatchStats) -> std::io::Result<()> {
        self.printer.watch(w, s, &mut self.buf);
        self.flush()
    }

    /// Free text (the summary table).
    pub fn raw(&mut self, text: &str) -> std::io::Result<()> {
        self.buf.extend_from_slice(text.as_bytes());
        self.written()
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        if let Some(p) = &mut self.per_task {
            p.flush()?;
        }
        if !self.buf.is_empty() {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.w.flush()
    }
}

/// Local time of day for wall-clock ns: `12:34:56`, or `12:34:56.123456` with `micros`.
pub fn time_of_day(ns: u64, digits: u8) -> String {
    let secs = (ns / 1_000_000_000) as libc::time_t;
    // SAFETY: localtime_r writes into the tm we pass.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&secs, &mut tm);
        tm
    };
    let hms = format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
    if digits == 0 {
        return hms;
    }
    let frac = ns % 1_000_000_000 / 10u64.pow(9 - u32::from(digits.min(9)));
    format!("{hms}.{frac:0w$}", w = usize::from(digits))
}

/// `12:34:56.123456`, local time.
pub fn clock_text(ns: u64) -> String {
    time_of_day(ns, 6)
}

/// `killed by SIGKILL`-style facts of an exit code.
pub struct ExitStatus {
    /// The exit status when the task exited normally.
    pub code: Option<u32>,
    /// The signal's name when it was killed.
    pub signal: Option<String>,
    pub core_dumped: bool,
}

impl ExitStatus {
    pub fn of(code: u32) -> Self {
        let sig = code & 0x7f;
        Self {
            code: (sig == 0).then_some(code >> 8 & 0xff),
            signal: (sig != 0).then(|| crate::decode::signal::name(u64::from(sig))),
            core_dumped: code & 0x80 != 0,
        }
    }
}
