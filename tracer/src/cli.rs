//! Command-line flags, named as strace names them. Parsed by clap, then validated once into a
//! [`crate::config::Config`].
use std::{ffi::OsString, path::PathBuf};

use clap::{ArgAction, Parser};

/// The command line as clap should see it, read the way strace reads its own: `-a COLUMN`
/// (`-a22`) is `--columns`, and a value glued to its short option (`-s300`, `-esignal=none`,
/// `-fe trace=open`) is split off, which clap does not do once the command accepts words
/// that start with `-`. Options end at the first word that is not one: the command's own
/// arguments are never touched.
pub fn strace_argv(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let needs_value = |a: &clap::Arg| {
        a.get_action().takes_values() && a.get_num_args().is_none_or(|r| r.min_values() > 0)
    };
    let short_value = |c: char| {
        cmd.get_arguments()
            .any(|a| a.get_short() == Some(c) && needs_value(a))
    };
    let long_value = |l: &str| {
        cmd.get_arguments()
            .any(|a| a.get_long() == Some(l) && needs_value(a))
    };
    let mut out: Vec<OsString> = Vec::new();
    let mut it = args.into_iter().peekable();
    if let Some(argv0) = it.next() {
        out.push(argv0);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut value_next = false;
    while let Some(a) = it.next() {
        if value_next {
            value_next = false;
            out.push(a);
            continue;
        }
        let Some(s) = a.to_str() else {
            // Not UTF-8: the command (or a bad value, which clap names).
            out.push(a);
            out.extend(it);
            break;
        };
        match s {
            "--" => {
                out.push(a);
                out.extend(it);
                break;
            }
            "-a" if it.peek().and_then(|n| n.to_str()).is_some_and(digits) => {
                let n = it.next().unwrap_or_default();
                out.push(format!("--columns={}", n.to_string_lossy()).into());
            }
            _ if s.strip_prefix("-a").is_some_and(digits) => {
                out.push(format!("--columns={}", &s[2..]).into());
            }
            // strace's long forms of -e: --trace=SET is -e trace=SET (the keys that are
            // not also a flag of the tracer's own: its --write FILE is a capture).
            _ if s.starts_with("--")
                && s[2..].split_once('=').is_some_and(|(k, _)| {
                    [
                        "trace", "signal", "status", "abbrev", "raw", "inject", "fault", "quiet",
                    ]
                    .contains(&k)
                }) =>
            {
                out.push("-e".into());
                out.push(s[2..].into());
            }
            _ if s.starts_with("--") => {
                value_next = !s.contains('=') && long_value(&s[2..]);
                out.push(a);
            }
            _ if s.starts_with('-') && s.len() > 1 => {
                let chars: Vec<char> = s[1..].chars().collect();
                match chars.iter().position(|c| short_value(*c)) {
                    Some(i) => {
                        if i > 0 {
                            out.push(format!("-{}", chars[..i].iter().collect::<String>()).into());
                        }
                        out.push(format!("-{}", chars[i]).into());
                        let rest: String = chars[i + 1..].iter().collect();
                        if rest.is_empty() {
                            value_next = true;
                        } else {
                            out.push(rest.into());
                        }
                    }
                    None => out.push(a),
                }
            }
            _ => {
                // The command, and its arguments as they are.
                out.push(a);
                out.extend(it);
                break;
            }
        }
    }
    out
}

/// A size in bytes: 0 or more.
fn byte_count(s: &str) -> Result<usize, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not a size; give a number of bytes, 0 or more (e.g. 64)"))
}

/// System-wide syscall tracer: strace's output, from eBPF, without stopping the traced processes.
#[derive(Debug, Parser)]
// As strace: an option given twice takes its last value (`-a16 ... -a30`).
#[command(name = "tracer", version, about, after_help = AFTER_HELP, args_override_self = true)]
pub struct Cli {
    /// Trace process PID (all its threads); repeatable, or a comma list.
    #[arg(
        help_heading = "Startup",
        short = 'p',
        long = "attach",
        value_name = "PID",
        action = ArgAction::Append,
        allow_hyphen_values = true
    )]
    pub pids: Vec<String>,

    /// Follow forks: children and threads become traced before they run. With -p, also takes in
    /// the descendants that already exist. -ff: also write each task's trace to FILE.TID (-o).
    #[arg(help_heading = "Tracing", short = 'f', long = "follow-forks", action = ArgAction::Count)]
    pub follow: u8,

    /// Each task's trace to its own file, FILE.TID (needs -o FILE); implies -f.
    #[arg(help_heading = "Tracing", long = "output-separately")]
    pub separately: bool,

    /// Trace every process on the host; lines are prefixed with `comm[pid]`. (strace's
    /// `-a COLUMN` is read as --columns=COLUMN.)
    #[arg(help_heading = "Tracing", short = 'a', long = "all")]
    pub all: bool,

    /// Filter expression: trace=SET (names, %classes, !negation), status=failed|successful,
    /// signal=SET, quiet=SET; how to print: raw=SET, abbrev=SET, verbose=SET; read=FD, write=FD;
    /// tampering: inject=SET:error=E|retval=N[:signal=S][:delay_enter=D][:delay_exit=D]
    /// [:when=EXPR][:path=GLOB][:fd=N] and fault=SET[:error=E][:when=EXPR] (started commands;
    /// signal= alone on -p).
    #[arg(help_heading = "Filtering", short = 'e', long = "expr", value_name = "EXPR", action = ArgAction::Append)]
    pub exprs: Vec<String>,

    /// Trace only the processes of this cgroup v2 directory and below (a path under the
    /// cgroup2 mount, or /proc/PID/cgroup's 0:: path), checked in the kernel (repeatable).
    #[arg(help_heading = "Filtering", long = "cgroup", value_name = "PATH", action = ArgAction::Append)]
    pub cgroup: Vec<String>,

    /// Trace only this container's processes (podman, docker, containerd, cri-o; by id or name),
    /// checked in the kernel: processes it starts later are traced too (repeatable).
    #[arg(help_heading = "Filtering", long = "container", value_name = "ID|NAME", action = ArgAction::Append)]
    pub container: Vec<String>,

    /// Trace only this Kubernetes pod's processes (found through the kubelet's
    /// /var/log/pods and cgroup paths; repeatable).
    #[arg(help_heading = "Filtering", long = "pod", value_name = "NAMESPACE/NAME", action = ArgAction::Append)]
    pub pod: Vec<String>,

    /// Show only failed calls (-e status=failed).
    #[arg(help_heading = "Filtering", short = 'Z', long = "failed-only")]
    pub failed_only: bool,

    /// Show only successful calls (-e status=successful).
    #[arg(help_heading = "Filtering", short = 'z', long = "successful-only")]
    pub successful_only: bool,

    /// Show only calls that failed with one of these errnos (names or numbers, comma list).
    #[arg(help_heading = "Filtering", long = "errno", value_name = "ERRNO[,ERRNO...]", action = ArgAction::Append)]
    pub errno: Vec<String>,

    /// Maximum string size to print (paths are printed whole).
    #[arg(
        help_heading = "Output format",
        short = 's',
        long = "string-limit",
        value_name = "N",
        default_value_t = 32,
        allow_hyphen_values = true,
        value_parser = byte_count
    )]
    pub strsize: usize,

    /// Print non-ASCII bytes in hex (-x), or all bytes (-xx).
    #[arg(help_heading = "Output format", short = 'x', action = ArgAction::Count)]
    pub hex: u8,

    /// Strings in hex: none, non-ascii-chars (those bytes only), non-ascii (a string with
    /// one all in hex: -x), all (-xx, the default of the bare flag).
    #[arg(
        help_heading = "Output format",
        long = "strings-in-hex",
        value_name = "WHEN",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all"
    )]
    pub strings_in_hex: Option<String>,

    /// Verbose: print execve's environment strings instead of their count.
    #[arg(help_heading = "Output format", short = 'v', long = "no-abbrev")]
    pub verbose: bool,

    /// Print paths next to fds (-y), and socket endpoints too (-yy).
    #[arg(help_heading = "Output format", short = 'y', action = ArgAction::Count)]
    pub decode_fds: u8,

    /// What to print next to fds: path, socket (endpoints), dev (device numbers), pidfd (the
    /// process), all or none; comma list (-y is path, -yy all). Alone: path.
    #[arg(
        help_heading = "Output format",
        long = "decode-fds",
        value_name = "path,socket,dev,pidfd",
        require_equals = true,
        num_args = 0..=1,
        default_missing_value = "path",
        action = ArgAction::Append
    )]
    pub decode_fds_set: Vec<String>,

    /// After each call, say which call created each fd it uses (accept's peer, open, dup...).
    #[arg(help_heading = "Output format", long = "fd-origin")]
    pub fd_origin: bool,

    /// Prefix lines with the time of day (-t), with microseconds (-tt), or as epoch (-ttt).
    #[arg(help_heading = "Output format", short = 't', action = ArgAction::Count)]
    pub time: u8,

    /// Prefix lines with the time of day: FORMAT time (default) or unix, PRECISION s (default
    /// for time), ms, us (default for unix) or ns; e.g. format:unix,precision:ns.
    #[arg(
        help_heading = "Output format",
        long = "absolute-timestamps",
        alias = "timestamps",
        value_name = "[format:]FORMAT[,[precision:]PRECISION]",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    pub absolute: Option<String>,

    /// Prefix lines with the time since the previous line (PRECISION s, ms, us or ns;
    /// default us).
    #[arg(
        help_heading = "Output format",
        short = 'r',
        long = "relative-timestamps",
        value_name = "PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "us"
    )]
    pub relative: Option<String>,

    /// Show the time spent in each syscall (PRECISION s, ms, us or ns; default us).
    #[arg(
        help_heading = "Output format",
        short = 'T',
        long = "syscall-times",
        value_name = "PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "us"
    )]
    pub durations: Option<String>,

    /// Constants and flags by name (abbrev, the default), as numbers (raw), or both (verbose:
    /// `0x80000 /* O_RDONLY|O_CLOEXEC */`).
    #[arg(
        help_heading = "Output format",
        short = 'X',
        long = "const-print-style",
        value_name = "FORMAT",
        value_parser = ["raw", "abbrev", "verbose"]
    )]
    pub const_style: Option<String>,

    /// Print each process id with its command name, `1234<sleep>` (--decode-pids=comm).
    #[arg(help_heading = "Output format", short = 'Y')]
    pub pid_comms: bool,

    /// comm: as -Y; pidns: a pid of another PID namespace (a container's) also as the
    /// tracer sees it, `1 /* 4321 in tracer's PID NS */`; container: `-a` lines as
    /// `comm[tid@container]`, JSON with cgroup_id, container, nspid, nstid; comma list.
    #[arg(
        help_heading = "Output format",
        long = "decode-pids",
        value_name = "comm|pidns|container",
        require_equals = true,
        action = ArgAction::Append
    )]
    pub decode_pids: Vec<String>,

    /// Print the user stack after each call (-k), with source lines (-kk) where debug info
    /// has them. Frames are walked through frame pointers: code built without them shows
    /// its innermost frames only.
    #[arg(help_heading = "Output format", short = 'k', action = ArgAction::Count)]
    pub stacks: u8,

    /// Like -k (symbol) or -kk (source).
    #[arg(
        help_heading = "Output format",
        long = "stack-traces",
        value_name = "symbol|source",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "symbol",
        value_parser = ["symbol", "source"]
    )]
    pub stack_traces: Option<String>,

    /// Print the instruction pointer at the time of each call.
    #[arg(
        help_heading = "Output format",
        short = 'i',
        long = "instruction-pointer"
    )]
    pub ip: bool,

    /// Align the results (`= ...`) at COLUMN, as strace's -a does (default 40; 0: no padding).
    #[arg(
        help_heading = "Output format",
        long = "columns",
        value_name = "COLUMN",
        default_value_t = 40
    )]
    pub columns: usize,

    /// Write the trace to FILE instead of stderr.
    #[arg(
        help_heading = "Output format",
        short = 'o',
        long = "output",
        value_name = "FILE"
    )]
    pub output: Option<PathBuf>,

    /// Append to the -o file instead of truncating it.
    #[arg(
        help_heading = "Output format",
        short = 'A',
        long = "output-append-mode"
    )]
    pub append: bool,

    /// Quiet: -q no attach messages, -qq (and -qqq) no exit status lines either.
    #[arg(help_heading = "Output format", short = 'q', long = "quiet", action = ArgAction::Count)]
    pub quiet: u8,

    /// Print the syscall number before each line (`[ 257] openat(...)`).
    #[arg(help_heading = "Output format", short = 'n', long = "syscall-number")]
    pub numbers: bool,

    /// Run the command with VAR=VAL in its environment, or without VAR; repeatable.
    #[arg(help_heading = "Startup", short = 'E', long = "env", value_name = "VAR=VAL|VAR", action = ArgAction::Append)]
    pub env: Vec<OsString>,

    /// Trace only calls that touch PATH: a path argument, or an fd open on it; repeatable.
    #[arg(help_heading = "Filtering", short = 'P', long = "trace-path", value_name = "PATH", action = ArgAction::Append)]
    pub paths: Vec<PathBuf>,

    /// Detach from a process when it calls SYSCALL; only execve (strace's -b execve): trace a
    /// program with -f, but not the programs it execs.
    #[arg(
        help_heading = "Tracing",
        short = 'b',
        long = "detach-on",
        value_name = "SYSCALL"
    )]
    pub detach_on: Option<String>,

    /// Detach from everything after N syscalls have been shown: exactly N lines (a started command runs on,
    /// untraced; the tracer waits for it and exits with its status).
    #[arg(help_heading = "Tracing", long = "syscall-limit", value_name = "N")]
    pub syscall_limit: Option<u64>,

    /// Accepted for strace's command lines, no effect: strace runs itself as a detached
    /// grandchild (-D, -DD, -DDD) so that it is not the tracee's parent; tracer is never the
    /// tracee's tracer (no ptrace), so there is nothing to detach from.
    #[arg(help_heading = "Startup", short = 'D', action = ArgAction::Count)]
    pub daemonize: u8,

    /// Accepted, no effect (see -D).
    #[arg(
        help_heading = "Startup",
        long = "daemonize",
        value_name = "grandchild|pgroup|session",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "grandchild",
        value_parser = ["grandchild", "pgroup", "pgrp", "session"]
    )]
    pub daemonize_long: Option<String>,

    /// Accepted for strace's command lines, no effect: strace blocks signals while it stops
    /// the tracee (-I 1..4); tracer never stops it, so Ctrl-C always detaches cleanly.
    #[arg(
        help_heading = "Tracing",
        short = 'I',
        long = "interruptible",
        value_name = "N",
        value_parser = ["1", "2", "3", "4", "anywhere", "waiting", "never", "never_tstp"]
    )]
    pub interruptible: Option<String>,

    /// Accepted for strace's command lines, no effect: strace uses seccomp to stop only at the
    /// traced syscalls; tracer's filter already runs in the kernel, on every call.
    #[arg(help_heading = "Tracing", long = "seccomp-bpf")]
    pub seccomp_bpf: bool,

    /// Kill the started command (SIGKILL) if the tracer dies, even of SIGKILL (the default).
    #[arg(help_heading = "Startup", long = "kill-on-exit")]
    pub kill_on_exit: bool,

    /// Let the started command outlive a tracer that dies (with -e inject=, its injected
    /// calls then fail with ENOSYS: the kernel's answer once the listener is gone).
    #[arg(
        help_heading = "Startup",
        long = "no-kill-on-exit",
        conflicts_with = "kill_on_exit"
    )]
    pub no_kill_on_exit: bool,

    /// Run the command with the user ID, group ID and supplementary groups of USER.
    #[arg(
        help_heading = "Startup",
        short = 'u',
        long = "user",
        value_name = "USER"
    )]
    pub user: Option<String>,

    /// After the -c/-C table: per syscall, p50/p99/max and a log2 histogram of durations
    /// (as bcc's syscount -L); alone, implies -c. -U p50,p99 adds percentile columns.
    #[arg(help_heading = "Statistics", long = "latency-histogram")]
    pub latency_histogram: bool,

    /// Count time, calls and errors per syscall and print a summary on exit (no trace).
    #[arg(help_heading = "Statistics", short = 'c', long = "summary-only")]
    pub summary_only: bool,

    /// Sort the summary by: time (default), calls, errors, name, min-time, max-time, avg-time,
    /// or nothing.
    #[arg(
        help_heading = "Statistics",
        short = 'S',
        long = "summary-sort-by",
        value_name = "SORTBY"
    )]
    pub sort_by: Option<String>,

    /// The summary's columns, comma-separated: time-percent, total-time, min-time, max-time,
    /// avg-time, calls, errors, name (default: all but min-time and max-time).
    #[arg(
        help_heading = "Statistics",
        short = 'U',
        long = "summary-columns",
        value_name = "COLUMNS"
    )]
    pub summary_columns: Option<String>,

    /// The summary's times are each call's latency, entry to exit: strace's -w. Accepted;
    /// always so.
    #[arg(help_heading = "Statistics", short = 'w', long = "summary-wall-clock")]
    pub wall_clock: bool,

    /// Like -c, but also print the trace.
    #[arg(help_heading = "Statistics", short = 'C', long = "summary")]
    pub summary: bool,

    /// One JSON object per line instead of strace text (schema in README.md).
    #[arg(help_heading = "Output format", long = "json")]
    pub json: bool,

    /// Aggregate failures into a table of (process, syscall, errno) with counts, printed every
    /// --interval (refreshed in place on a terminal). Implies -Z unless --errno is given.
    #[arg(help_heading = "Host-wide watch and metrics", long = "watch")]
    pub watch: bool,

    /// What a --watch row stands for: comm (a program: the default), pid (the default with
    /// -p), container, or syscall. The kernel counts per process either way.
    #[arg(
        help_heading = "Host-wide watch and metrics",
        long = "by",
        value_name = "KEY",
        value_parser = ["comm", "pid", "container", "syscall"]
    )]
    pub by: Option<String>,

    /// --watch rows that stopped failing fade out after DURATION (e.g. 2m; 0: never).
    #[arg(
        help_heading = "Host-wide watch and metrics",
        long = "expire",
        value_name = "DURATION",
        default_value = "5m"
    )]
    pub expire: String,

    /// Period of the --watch table and of diagnosis hints (e.g. 5s, 500ms, 1m).
    #[arg(
        help_heading = "Host-wide watch and metrics",
        long = "interval",
        value_name = "DURATION",
        default_value = "5s"
    )]
    pub interval: String,

    /// Show diagnoses (limits, counts, owners, listeners) next to failures; on by default when
    /// tracing failures (-Z, --errno, --watch).
    #[arg(
        help_heading = "Host-wide watch and metrics",
        long = "hints",
        overrides_with = "no_hints"
    )]
    pub hints: bool,

    /// Do not show diagnoses.
    #[arg(help_heading = "Host-wide watch and metrics", long = "no-hints")]
    pub no_hints: bool,

    /// Serve Prometheus metrics on ADDR (e.g. 127.0.0.1:9090 or :9090) at /metrics.
    #[arg(
        help_heading = "Host-wide watch and metrics",
        long = "metrics",
        value_name = "ADDR"
    )]
    pub metrics: Option<String>,

    /// With --watch/--metrics: failure records sent per (process, syscall, errno) per second;
    /// the rest are only counted in the kernel.
    #[arg(
        help_heading = "Host-wide watch and metrics",
        long = "samples",
        value_name = "N",
        default_value_t = 50
    )]
    pub samples: u32,

    /// Keep only I/O calls whose data contains TEXT (repeatable); each match is shown with its
    /// fd's origin (the accept with the client's address, or the open/connect).
    #[arg(help_heading = "Matching data", long = "match", value_name = "TEXT", action = ArgAction::Append)]
    pub matches: Vec<String>,

    /// Like --match, with a regular expression on the bytes (repeatable).
    #[arg(help_heading = "Matching data", long = "match-regex", value_name = "RE", action = ArgAction::Append)]
    pub match_regexes: Vec<String>,

    /// --match and --match-regex ignore case.
    #[arg(help_heading = "Matching data", long = "match-icase")]
    pub match_icase: bool,

    /// Also show the N calls before and after a match on the same fd.
    #[arg(
        help_heading = "Matching data",
        long = "match-context",
        value_name = "N",
        default_value_t = 0
    )]
    pub match_context: usize,

    /// Bytes of I/O data copied per call for matching and -e read=/write= dumps (at most 4095;
    /// lines still show -s bytes). Default: 1024 with --match or dumps, else -s + 1.
    #[arg(help_heading = "Matching data", long = "snaplen", value_name = "BYTES")]
    pub snaplen: Option<usize>,

    /// Ring buffer size in MiB (power of two).
    #[arg(
        help_heading = "Performance",
        long = "buffer-size",
        value_name = "MiB",
        default_value_t = 8
    )]
    pub buffer_mib: u32,

    /// Write the raw records to FILE (a capture; decode it later with --read), not decoded:
    /// nothing is printed unless --print or -o asks for it too.
    #[arg(help_heading = "Capture files", long = "write", value_name = "FILE")]
    pub write: Option<PathBuf>,

    /// Decode captures written by --write (several: in order) instead of tracing; every
    /// output flag applies, -p selects processes by their pid in the capture.
    #[arg(help_heading = "Capture files", long = "read", value_name = "FILE", action = ArgAction::Append)]
    pub read: Vec<PathBuf>,

    /// With --write: also decode and print the trace now.
    #[arg(help_heading = "Capture files", long = "print")]
    pub print: bool,

    /// With --write: start a new file (FILE1, FILE2...) each time one reaches SIZE MB (10^6
    /// bytes, as tcpdump's -C).
    #[arg(help_heading = "Capture files", long = "file-size", value_name = "MB")]
    pub file_size: Option<u64>,

    /// With --file-size: keep at most N files (FILE0..FILE{N-1}), overwriting the oldest.
    #[arg(help_heading = "Capture files", long = "file-count", value_name = "N")]
    pub file_count: Option<u32>,

    /// With --write: compress with zstd at LEVEL (1-19; default 3).
    #[arg(help_heading = "Capture files", long = "compress", value_name = "LEVEL", num_args = 0..=1, default_missing_value = "3")]
    pub compress: Option<i32>,

    /// Keep the newest SIZE of raw records in memory (64M, 1G...) and write them as a capture
    /// only when a --trigger fires or on SIGUSR1 ("strace from the past").
    #[arg(
        help_heading = "Flight recorder",
        long = "flight-recorder",
        value_name = "SIZE"
    )]
    pub flight_recorder: Option<String>,

    /// When to dump: errno=ENOMEM[,syscall=mmap][,comm=qemu*], match=TEXT, exit=nonzero|signal
    /// (repeatable: any fires).
    #[arg(help_heading = "Flight recorder", long = "trigger", value_name = "SPEC", action = ArgAction::Append)]
    pub triggers: Vec<String>,

    /// Keep recording this long after a trigger before the dump.
    #[arg(
        help_heading = "Flight recorder",
        long = "trigger-after",
        value_name = "DURATION",
        default_value = "1s"
    )]
    pub trigger_after: String,

    /// Least time between two dumps.
    #[arg(
        help_heading = "Flight recorder",
        long = "trigger-holdoff",
        value_name = "DURATION",
        default_value = "10s"
    )]
    pub trigger_holdoff: String,

    /// Write the trace as a Perfetto timeline to FILE (open it in ui.perfetto.dev): a track
    /// per thread, a slice per syscall (from entry to exit with -T). Live or from --read; the
    /// text goes to -o FILE if given, else nowhere.
    #[arg(help_heading = "Capture files", long = "perfetto", value_name = "FILE")]
    pub perfetto: Option<PathBuf>,

    /// Benchmark: with --read, print the records decoded per second to stderr.
    #[arg(long = "decode-stats", hide = true)]
    pub decode_stats: bool,

    /// Benchmark: attach only a program that does nothing to the syscall-exit hook, until
    /// Ctrl-C (the floor of any tracer on this hook).
    #[arg(long = "noop-hook", hide = true)]
    pub noop_hook: bool,

    /// Print how many instructions the kernel's verifier checked per loaded program.
    #[arg(long = "verifier-stats", hide = true)]
    pub verifier_stats: bool,

    /// Command to start and trace (from its execve on). As with strace, options end at the
    /// first word that is not one (`tracer -f ls -la`); `--` before it works too.
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..
    )]
    pub command: Vec<OsString>,
}

const AFTER_HELP: &str = "Examples:
  tracer -- ls /tmp                      trace a command
  tracer -f -p 1234                      attach to a process and its descendants
  tracer -a --errno ENOMEM,EMFILE        host-wide watch for these failures
  tracer -e trace=%file -Z -- make       failed file operations of a build
  tracer --write vm.trc -f -p 1234       record now (raw, not decoded)...
  tracer --read vm.trc -yy --fd-origin   ...decode later, with any output flags
  tracer -a --flight-recorder 64M --trigger errno=ENOMEM
                                         keep the last 64 MiB, dump them on a failure
  tracer --read vm.trc -T --perfetto vm.pftrace
                                         a timeline for ui.perfetto.dev";

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(args: &[&str]) -> Vec<String> {
        strace_argv(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn strace_column_flag_is_read_as_columns() {
        assert_eq!(
            cols(&["tracer", "-a", "20", "ls"]),
            ["tracer", "--columns=20", "ls"]
        );
        assert_eq!(
            cols(&["tracer", "-a20", "ls"]),
            ["tracer", "--columns=20", "ls"]
        );
        // -a alone: every process.
        assert_eq!(cols(&["tracer", "-a", "-Z"]), ["tracer", "-a", "-Z"]);
        // The command's own arguments are left alone.
        assert_eq!(
            cols(&["tracer", "--", "x", "-a", "1"]),
            ["tracer", "--", "x", "-a", "1"]
        );
    }

    #[test]
    fn values_glued_to_short_options_are_split_as_strace_reads_them() {
        assert_eq!(
            cols(&["tracer", "-s300", "ls"]),
            ["tracer", "-s", "300", "ls"]
        );
        assert_eq!(
            cols(&["tracer", "-esignal=none", "-fe", "trace=open", "ls", "-s3"]),
            [
                "tracer",
                "-e",
                "signal=none",
                "-f",
                "-e",
                "trace=open",
                "ls",
                "-s3"
            ]
        );
        // Flag clusters, optional values (-T, -r) and values given apart stay as they are;
        // a long option's value is not the command.
        assert_eq!(
            cols(&[
                "tracer",
                "-ffyy",
                "-o",
                "out",
                "-T",
                "--string-limit",
                "8",
                "ls",
                "-la"
            ]),
            [
                "tracer",
                "-ffyy",
                "-o",
                "out",
                "-T",
                "--string-limit",
                "8",
                "ls",
                "-la"
            ]
        );
        assert_eq!(
            cols(&["tracer", "--trace=dup2", "--signal=!chld", "x"]),
            ["tracer", "-e", "trace=dup2", "-e", "signal=!chld", "x"]
        );
        let cli = Cli::try_parse_from(cols(&["tracer", "-s3", "-etrace=openat", "-p1"])).unwrap();
        assert_eq!(
            (cli.strsize, cli.exprs.as_slice(), cli.pids.as_slice()),
            (3, &["trace=openat".to_string()][..], &["1".to_string()][..])
        );
    }
}
