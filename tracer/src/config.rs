//! The validated configuration: everything a run needs, checked once, with one-line errors
//! that say what was wrong and what to do.
use std::{ffi::OsString, net::SocketAddr, path::PathBuf, time::Duration};

use thiserror::Error;

use crate::{
    cli::Cli,
    decode::{self, strings::Hex},
    output::text::TextFlags,
    syscalls::{self, Abi, class, role},
};

/// A mistake in the command line: reported in one line, exit status 2.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{0}")]
pub struct UsageError(pub String);

fn usage(msg: impl Into<String>) -> UsageError {
    UsageError(msg.into())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Any,
    Failed,
    Successful,
    /// Calls that do not return (exit_group's `= ?`).
    Unfinished,
    /// No call at all (`--status=none`).
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    None,
    /// `-t`, `-tt`: 12:34:56, 12:34:56.123456
    Clock,
    /// `-ttt`: 1700000000.123456
    Unix,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Summary {
    None,
    /// `-c`: only the table.
    Only,
    /// `-C`: the trace and the table.
    Also,
}

#[derive(Debug)]
pub struct Config {
    pub pids: Vec<u32>,
    pub command: Vec<OsString>,
    /// `--write`: the capture to write, and how.
    pub write: Option<crate::capture::WriteOpts>,
    /// `--read`: the captures to decode instead of tracing.
    pub read: Vec<PathBuf>,
    /// `--print` (or -o, -c) with --write: decode now as well.
    pub print: bool,
    /// Lines and JSON name each process's container, cgroup and ids in its pid namespace
    /// (`--decode-pids=container`, or a cgroup filter).
    pub container_tags: bool,
    /// `--cgroup`/`--container`/`--pod`: cgroup v2 directories whose processes (and their
    /// descendants') are traced, host-wide otherwise (`all` is set).
    pub cgroups: Vec<PathBuf>,
    /// `--container NAME` of containers not running at start: their cgroups are looked for
    /// while tracing and take the slots after `cgroups`'.
    pub pending_containers: Vec<String>,
    /// `--flight-recorder`: the memory kept, the triggers, and their timing.
    pub flight: Option<Flight>,
    /// `--latency-histogram`: a log2 histogram of durations per syscall after the table.
    pub latency_histogram: bool,
    /// `--perfetto FILE`: the timeline.
    pub perfetto: Option<PathBuf>,
    /// `--decode-stats`: records decoded per second, for the benchmark.
    pub decode_stats: bool,
    /// Benchmark: only a no-op program on the hook (see cli.rs).
    pub noop_hook: bool,
    /// Print the verifier's instruction count per loaded program.
    pub verifier_stats: bool,
    pub follow: bool,
    /// `-ff`: each task's trace to FILE.TID.
    pub separately: bool,
    pub all: bool,
    /// Per x86_64 syscall number: traced?
    pub traced: Vec<bool>,
    /// Per i386 syscall number: traced?
    pub traced_compat: Vec<bool>,
    pub status: Status,
    pub errnos: Vec<u32>,
    pub opts: decode::Opts,
    /// What a text line shows around the call: times, numbers, `-i`, alignment, origins.
    pub text: TextFlags,
    /// `-k` (1): the user stack after each call; `-kk` (2): with source lines.
    pub stacks: u8,
    pub output: Option<PathBuf>,
    /// `-A`: append to the -o file.
    pub append: bool,
    /// `-q`, `-e quiet=attach`: no attach messages.
    pub quiet_attach: bool,
    /// `-qq`, `-e quiet=exit`: no exit status lines.
    pub quiet_exit: bool,
    /// `-E`: `VAR=VAL` to set, `VAR` to remove, in the command's environment.
    pub env: Vec<OsString>,
    /// `-P PATH`: only calls that touch these paths (as given, and resolved), by a path
    /// argument or an fd open on them.
    pub paths: Vec<Vec<u8>>,
    /// `-U`: the summary's columns; `-S`: its order.
    pub summary_columns: Vec<crate::output::summary::Column>,
    pub summary_sort: crate::output::summary::SortBy,
    /// `-b execve`: let go of a process when it execs (after the started command's exec).
    pub detach_on_execve: bool,
    /// `--syscall-limit N`: detach after N syscall lines.
    pub syscall_limit: Option<u64>,
    /// `-u USER`: the command runs with this user's ids.
    pub user: Option<crate::tracee::User>,
    pub summary: Summary,
    pub json: bool,
    pub buffer_bytes: u32,
    pub watch: bool,
    pub interval: Duration,
    pub hints: bool,
    pub metrics: Option<SocketAddr>,
    /// Samples per key per second when aggregating in the kernel; 0 = no aggregation.
    pub agg_samples: u32,
    /// `-y` (1), `-yy` (2).
    pub fd_level: u8,
    /// `--match`/`--match-regex`.
    pub matcher: Option<crate::matching::Matcher>,
    pub match_context: usize,
    /// Bytes of I/O data the kernel copies per call.
    pub snaplen: usize,
    /// `-e read=FD` / `-e write=FD`: fds whose data is dumped in hex (empty: none).
    pub dump_read: Vec<i32>,
    pub dump_write: Vec<i32>,
    /// `-e signal=SET`: per signal number (1..=64), whether its delivery is shown.
    pub signals: Vec<bool>,
    /// `-e raw=SET` (x86_64, i386): calls whose arguments are printed as raw numbers.
    pub raw_calls: [Vec<bool>; 2],
    /// `-e abbrev=SET` (default all): calls whose long lists are abbreviated (-v: none).
    pub abbrev_calls: [Vec<bool>; 2],
    /// `-e verbose=SET` (default all): calls whose structures are decoded.
    pub verbose_calls: [Vec<bool>; 2],
    /// `-e inject=`/`-e fault=`.
    pub inject: crate::inject::Plan,
    /// The started command dies with the tracer (PR_SET_PDEATHSIG).
    pub kill_on_exit: bool,
    /// `--by`: what a watch row stands for.
    pub watch_by: crate::watch::By,
    /// `--expire`: watch rows fade out after this long without a failure (zero: never).
    pub watch_expire: Duration,
}

/// A syscall set given for both ABIs (names the i386 table lacks are simply not in its half).
fn parse_set_both(value: &str) -> Result<[Vec<bool>; 2], UsageError> {
    Ok([
        parse_trace_set(value, Abi::X86_64)?,
        parse_trace_set(value, Abi::I386).unwrap_or_else(|_| vec![false; 512]),
    ])
}

impl Config {
    pub fn from_cli(cli: Cli) -> Result<Self, UsageError> {
        let mut pids = Vec::new();
        for item in cli.pids.iter().flat_map(|s| s.split(',')) {
            let item = item.trim();
            match item.parse::<u32>() {
                Ok(p) if p > 0 => pids.push(p),
                _ => {
                    return Err(usage(format!(
                        "-p {item:?}: not a process id; give a positive number, e.g. -p 1234"
                    )));
                }
            }
        }
        if !cli.read.is_empty() && !cli.command.is_empty() {
            return Err(usage(format!(
                "--read decodes a capture: {} is a command to trace; drop it, or drop --read",
                cli.command[0].to_string_lossy()
            )));
        }
        if cli.summary_only && cli.json {
            return Err(usage(
                "-c prints only the summary table, which has no JSON form: drop --json, or use -C for the trace as JSON lines and the table",
            ));
        }
        if cli.all && !pids.is_empty() {
            return Err(usage(
                "-a traces every process already: drop -p, or drop -a to trace only those",
            ));
        }
        let (cgroups, pending_containers) = cgroup_targets(&cli)?;
        let filtered = !cgroups.is_empty() || !pending_containers.is_empty();
        if filtered && (!pids.is_empty() || !cli.command.is_empty()) {
            return Err(usage(
                "--cgroup/--container/--pod select the processes themselves: give no -p and no command",
            ));
        }
        if pids.is_empty()
            && cli.command.is_empty()
            && !filtered
            && !cli.all
            && cli.read.is_empty()
            && !cli.noop_hook
        {
            return Err(usage(
                "nothing to trace: give a command (tracer [OPTIONS] COMMAND [ARGS]), -p PID, or -a for every process",
            ));
        }
        let separately = cli.follow >= 2 || cli.separately;
        if separately && cli.output.is_none() {
            return Err(usage(
                "-ff writes each task's trace to FILE.TID: give the file name with -o FILE",
            ));
        }
        let mut traced = vec![true; 512];
        let mut traced_compat = vec![true; 512];
        let mut status = Status::Any;
        let mut dump_read = Vec::new();
        let mut dump_write = Vec::new();
        let mut raw_calls = [vec![false; 512], vec![false; 512]];
        let mut abbrev_calls = [vec![!cli.verbose; 512], vec![!cli.verbose; 512]];
        let mut verbose_calls = [vec![true; 512], vec![true; 512]];
        // -e quiet=: (attach, exit).
        let mut quiet = (false, false);
        let mut signals = vec![true; 65];
        signals[0] = false;
        let mut inject_rules = Vec::new();
        // -y, -yy, then --decode-fds= / -e decode-fds= (the last given wins).
        let mut fd_level = match cli.decode_fds {
            0 => 0,
            1 => crate::tracker::fd_decode::PATH,
            _ => crate::tracker::fd_decode::ALL,
        };
        for set in &cli.decode_fds_set {
            fd_level = parse_decode_fds(set)?;
        }
        for e in &cli.exprs {
            let (key, value) = match e.split_once('=') {
                Some((k, v)) => (k, v),
                None => ("trace", e.as_str()),
            };
            match key {
                "trace" | "t" => {
                    traced = parse_trace_set(value, Abi::X86_64)?;
                    traced_compat = parse_trace_set(value, Abi::I386).unwrap_or(traced_compat);
                }
                "status" => status = parse_status(value)?,
                "signal" | "signals" | "s" => signals = parse_signal_set(value)?,
                "quiet" | "silent" | "silence" | "q" => quiet = parse_quiet(value)?,
                "raw" | "x" => raw_calls = parse_set_both(value)?,
                "abbrev" | "a" => abbrev_calls = parse_set_both(value)?,
                "verbose" | "v" => verbose_calls = parse_set_both(value)?,
                "read" | "write" => {
                    let mut fds = Vec::new();
                    for f in value.split(',') {
                        match f.trim().parse::<i32>() {
                            Ok(n) if n >= 0 => fds.push(n),
                            _ => {
                                return Err(usage(format!(
                                    "-e {key}={value}: give fd numbers, e.g. -e {key}=3,5"
                                )));
                            }
                        }
                    }
                    if key == "read" {
                        dump_read = fds;
                    } else {
                        dump_write = fds;
                    }
                }
                "inject" | "fault" => {
                    inject_rules.push(crate::inject::parse(value, key == "fault").map_err(usage)?);
                }
                "decode-fds" | "decode-fd" => fd_level = parse_decode_fds(value)?,
                other => {
                    return Err(usage(format!(
                        "-e {other}=...: unknown qualifier; use trace=, status=, signal=, quiet=, raw=, abbrev=, verbose=, read=, write=, inject=, fault= or decode-fds="
                    )));
                }
            }
        }
        if cli.failed_only && cli.successful_only {
            return Err(usage("-Z and -z exclude each other: choose one"));
        }
        if cli.failed_only {
            status = Status::Failed;
        }
        if cli.successful_only {
            status = Status::Successful;
        }
        let mut errnos = Vec::new();
        for item in cli.errno.iter().flat_map(|s| s.split(',')) {
            let item = item.trim();
            match decode::errno::parse(item) {
                Some(n) => errnos.push(n),
                None => {
                    let hint = suggest(item, decode::errno::names())
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default();
                    return Err(usage(format!(
                        "--errno {item:?}: unknown errno{hint}; use a name like ENOMEM or a number"
                    )));
                }
            }
        }
        if !errnos.is_empty() && status == Status::Successful {
            return Err(usage("--errno selects failures: it cannot go with -z"));
        }
        if cli.strsize == 0 {
            return Err(usage("-s 0: the string limit must be at least 1"));
        }
        if cli.hex > 2 || cli.time > 3 {
            return Err(usage(
                "-x may be given at most twice and -t at most three times",
            ));
        }
        use crate::output::summary::{Column, DEFAULT_COLUMNS, SortBy};
        let summary_sort = match cli.sort_by.as_deref() {
            None => SortBy::Column(Column::Total),
            Some("nothing" | "none") => SortBy::Nothing,
            Some(s) => SortBy::Column(Column::parse(s).ok_or_else(|| {
                usage(format!(
                    "-S {s}: not a sort key; use time, calls, errors, name, min-time, max-time, avg-time or nothing"
                ))
            })?),
        };
        let summary_columns = match cli.summary_columns.as_deref() {
            None => DEFAULT_COLUMNS.to_vec(),
            Some(list) => {
                let mut cols = Vec::new();
                for item in list.split(',').map(str::trim) {
                    let c = Column::parse(item).ok_or_else(|| {
                        usage(format!(
                            "-U {list}: {item:?} is not a column; use time-percent, total-time, min-time, max-time, avg-time, calls, errors, name, p50, p99"
                        ))
                    })?;
                    if !cols.contains(&c) {
                        cols.push(c);
                    }
                }
                cols
            }
        };
        // -Y, --decode-pids=comm,pidns (repeatable).
        let (mut pid_comms, mut pid_ns, mut containers) = (cli.pid_comms, false, false);
        for item in cli.decode_pids.iter().flat_map(|s| s.split(',')) {
            match item.trim() {
                "comm" => pid_comms = true,
                "pidns" => pid_ns = true,
                "container" => containers = true,
                "none" => (pid_comms, pid_ns) = (false, false),
                "all" => (pid_comms, pid_ns) = (true, true),
                other => {
                    return Err(usage(format!(
                        "--decode-pids={other}: use comm, pidns, container, all or none"
                    )));
                }
            }
        }
        let mut paths = Vec::new();
        for p in &cli.paths {
            use std::os::unix::ffi::OsStrExt;
            if p.as_os_str().is_empty() {
                return Err(usage("-P '': give a path, e.g. -P /etc/passwd"));
            }
            paths.push(p.as_os_str().as_bytes().to_vec());
            // strace also matches the path it resolves to (symlinks, `..`).
            if let Ok(real) = std::fs::canonicalize(p)
                && real != *p
            {
                paths.push(real.as_os_str().as_bytes().to_vec());
            }
        }
        let detach_on_execve = match cli.detach_on.as_deref() {
            None => false,
            Some("execve") => true,
            Some(other) => {
                return Err(usage(format!(
                    "-b {other}: only execve is supported (-b execve), as in strace"
                )));
            }
        };
        if cli.syscall_limit == Some(0) {
            return Err(usage(
                "--syscall-limit 0: give a number of syscalls, 1 or more",
            ));
        }
        let user = match &cli.user {
            Some(name) if cli.command.is_empty() => {
                return Err(usage(format!(
                    "-u {name}: runs a started command as that user; give a command (not -p or -a)"
                )));
            }
            Some(name) => Some(crate::tracee::lookup_user(name).map_err(usage)?),
            None => None,
        };
        let (mut time, mut time_digits) = match cli.time {
            0 => (TimeFormat::None, 0),
            1 => (TimeFormat::Clock, 0),
            2 => (TimeFormat::Clock, 6),
            _ => (TimeFormat::Unix, 6),
        };
        if let Some(spec) = &cli.absolute {
            (time, time_digits) = parse_absolute(spec)?;
        }
        let precision = |flag: &str, v: &Option<String>| -> Result<u8, UsageError> {
            match v.as_deref() {
                None => Ok(6),
                Some(p) => parse_precision(p).ok_or_else(|| {
                    usage(format!("{flag}={p}: not a precision; use s, ms, us or ns"))
                }),
            }
        };
        let relative_digits = precision("--relative-timestamps", &cli.relative)?;
        let duration_digits = precision("--syscall-times", &cli.durations)?;
        if cli.summary_only && cli.summary {
            return Err(usage("-c and -C exclude each other: choose one"));
        }
        let interval = parse_duration(&cli.interval).ok_or_else(|| {
            usage(format!(
                "--interval {:?}: not a duration; write e.g. 5s, 500ms or 1m (at least 100ms)",
                cli.interval
            ))
        })?;
        let metrics = match &cli.metrics {
            None => None,
            Some(a) => Some(parse_listen(a).ok_or_else(|| {
                usage(format!(
                    "--metrics {a:?}: not an address to listen on; write e.g. 127.0.0.1:9090 or :9090"
                ))
            })?),
        };
        if (cli.watch || metrics.is_some()) && status == Status::Successful {
            return Err(usage(
                "--watch and --metrics count failures: they cannot go with -z",
            ));
        }
        if cli.watch && cli.summary_only {
            return Err(usage("--watch and -c both summarize: choose one"));
        }
        if cli.samples == 0 {
            return Err(usage(
                "--samples 0: at least one record per key and second is needed",
            ));
        }
        if (cli.watch || metrics.is_some()) && errnos.is_empty() {
            // A watch of failures: successful calls are dropped in the kernel, first thing.
            status = Status::Failed;
        }
        let matcher = if cli.matches.is_empty() && cli.match_regexes.is_empty() {
            None
        } else {
            Some(
                crate::matching::Matcher::new(&cli.matches, &cli.match_regexes, cli.match_icase)
                    .map_err(UsageError)?,
            )
        };
        if matcher.is_some() && (cli.watch || cli.summary_only) {
            return Err(usage(
                "--match shows matching calls: it cannot go with --watch or -c",
            ));
        }
        let explicit_trace = cli
            .exprs
            .iter()
            .any(|e| !e.contains('=') || e.starts_with("trace=") || e.starts_with("t="));
        if matcher.is_some() && !explicit_trace {
            // Only the calls that carry data can match.
            traced = role_set(Abi::X86_64, role::IO);
            traced_compat = role_set(Abi::I386, role::IO);
        }
        let write = capture_opts(&cli)?;
        let flight = flight_opts(&cli)?;
        let dumping = !dump_read.is_empty() || !dump_write.is_empty();
        let hex = match cli.strings_in_hex.as_deref() {
            None => match cli.hex {
                0 => Hex::None,
                1 => Hex::NonPrintable,
                _ => Hex::All,
            },
            Some("none") => Hex::None,
            Some("non-ascii-chars") => Hex::NonAsciiChars,
            Some("non-ascii") => Hex::NonPrintable,
            Some("all") => Hex::All,
            Some(other) => {
                return Err(usage(format!(
                    "--strings-in-hex={other}: use none, non-ascii-chars, non-ascii or all"
                )));
            }
        };
        let snaplen = match cli.snaplen {
            Some(0) => return Err(usage("--snaplen 0: give at least 1 byte")),
            Some(n) if n > tracer_common::STR_CAP - 1 => {
                return Err(usage(format!(
                    "--snaplen {n}: the kernel copies at most {} bytes per buffer",
                    tracer_common::STR_CAP - 1
                )));
            }
            Some(n) => n,
            None if matcher.is_some() || dumping => 1024,
            // A capture is decoded later, maybe with --match: more of each buffer.
            None if write.is_some() || flight.is_some() => CAPTURE_SNAPLEN,
            // One byte past what -s shows, as strace reads it: a buffer that ends where its
            // memory does is shown as its address, as strace shows it.
            None => cli.strsize.saturating_add(1),
        }
        .max(cli.strsize)
        .min(tracer_common::STR_CAP - 1);
        let hints = !cli.no_hints
            && (cli.hints || cli.watch || !errnos.is_empty() || status == Status::Failed);
        if !cli.buffer_mib.is_power_of_two() || cli.buffer_mib > 1024 {
            return Err(usage(
                "--buffer-size: give a power of two between 1 and 1024 (MiB)",
            ));
        }
        let inject = crate::inject::Plan::new(inject_rules);
        if let Some(r) = inject.rules.first() {
            let expr = &r.text;
            if cli.all || filtered {
                return Err(usage(format!(
                    "-e inject={expr}: injection applies only to processes you name (a command tracer starts, or signal= on -p PIDs), not to -a, --cgroup or --container"
                )));
            }
            if !cli.read.is_empty() {
                return Err(usage(format!(
                    "-e inject={expr}: --read decodes a capture, nothing runs to inject into; drop one of them"
                )));
            }
            if !pids.is_empty() && !inject.signals_only() {
                return Err(usage(format!(
                    "-e inject={expr} with -p: a running process cannot be given a seccomp filter from outside without ptrace, so its calls cannot be failed or delayed; start it under tracer (tracer -e inject=... COMMAND), or inject only signal=SIG, which works on -p"
                )));
            }
            if !pids.is_empty() && (inject.narrowed() || !paths.is_empty()) {
                return Err(usage(format!(
                    "-e inject={expr} with -p: the kernel counts -p's calls itself and cannot narrow them by path or fd (path=, fd=, -P); start the command under tracer for those"
                )));
            }
        }
        let watch_by = match cli.by.as_deref() {
            Some(b) => crate::watch::By::parse(b)
                .ok_or_else(|| usage(format!("--by {b}: use comm, pid, container or syscall")))?,
            None if !pids.is_empty() => crate::watch::By::Pid,
            None => crate::watch::By::Comm,
        };
        let watch_expire = match cli.expire.trim() {
            "0" | "never" => Duration::ZERO,
            e => parse_duration(e).ok_or_else(|| {
                usage(format!(
                    "--expire {e}: not a duration; give e.g. 30s, 5m, or 0 for never"
                ))
            })?,
        };
        // A started command does not outlive the tracer, even one killed with SIGKILL (its
        // injected calls would fail with ENOSYS, its trace would be lost).
        let kill_on_exit = cli.kill_on_exit || (pids.is_empty() && !cli.no_kill_on_exit);
        Ok(Self {
            inject,
            kill_on_exit,
            watch_by,
            watch_expire,
            pids,
            command: cli.command,
            print: cli.print
                || cli.output.is_some()
                || cli.summary_only
                || cli.summary
                || cli.perfetto.is_some(),
            write,
            read: cli.read,
            decode_stats: cli.decode_stats,
            perfetto: cli.perfetto,
            noop_hook: cli.noop_hook,
            verifier_stats: cli.verifier_stats,
            follow: cli.follow > 0 || cli.separately,
            separately,
            all: cli.all || filtered,
            traced,
            traced_compat,
            status,
            errnos,
            raw_calls,
            abbrev_calls,
            verbose_calls,
            opts: decode::Opts {
                strsize: cli.strsize,
                verbose: cli.verbose,
                consts: match cli.const_style.as_deref() {
                    None | Some("abbrev") => decode::Consts::Abbrev,
                    Some("raw") => decode::Consts::Raw,
                    Some(_) => decode::Consts::Verbose,
                },
                raw: false,
                structs: true,
                pid_comms,
                pid_ns,
                hex,
                iov: (
                    snaplen.min(tracer_common::STR_CAP - 1),
                    tracer_common::STR_CAP - 1,
                ),
            },
            text: TextFlags {
                time,
                time_digits,
                relative: cli.relative.is_some(),
                relative_digits,
                durations: cli.durations.is_some(),
                duration_digits,
                fd_origin: cli.fd_origin,
                numbers: cli.numbers,
                ip: cli.ip,
                columns: cli.columns,
            },
            stacks: match cli.stack_traces.as_deref() {
                Some("source") => 2,
                Some(_) => 1,
                None => cli.stacks.min(2),
            },
            output: cli.output,
            append: cli.append,
            quiet_attach: cli.quiet >= 1 || quiet.0,
            quiet_exit: cli.quiet >= 2 || quiet.1,
            env: cli.env,
            user,
            detach_on_execve,
            paths,
            summary_columns,
            summary_sort,
            syscall_limit: cli.syscall_limit,
            latency_histogram: cli.latency_histogram,
            flight,
            // --by container groups by the container each process runs in.
            container_tags: containers || filtered || watch_by == crate::watch::By::Container,
            cgroups,
            pending_containers,
            // --latency-histogram alone: the table and the histograms, without a trace.
            summary: if cli.summary_only || (cli.latency_histogram && !cli.summary) {
                Summary::Only
            } else if cli.summary {
                Summary::Also
            } else {
                Summary::None
            },
            json: cli.json,
            buffer_bytes: cli.buffer_mib << 20,
            watch: cli.watch,
            interval,
            hints,
            fd_level,
            matcher,
            match_context: cli.match_context,
            snaplen,
            dump_read,
            dump_write,
            signals,
            agg_samples: if cli.watch || metrics.is_some() {
                cli.samples
            } else {
                0
            },
            metrics,
        })
    }

    /// Whether records need kernel timestamps.
    pub fn wants_time(&self) -> bool {
        // -e inject=: a record is matched to its call's notification by time.
        !self.inject.is_empty()
            || self.text.time != TimeFormat::None
            || self.text.relative
            || self.wants_entry()
            || self.agg_samples != 0
            || self.text.fd_origin
            || self.matcher.is_some()
            || self.write.is_some()
            || self.perfetto.is_some()
            || self.flight.is_some()
    }

    /// Whether userspace decodes records now (not only writes them to a capture).
    pub fn decodes(&self) -> bool {
        (self.write.is_none() && self.flight.is_none()) || self.print
    }

    /// Whether records go somewhere raw (a capture or the flight recorder's memory).
    pub fn records_raw(&self) -> bool {
        self.write.is_some() || self.flight.is_some()
    }

    /// Whether userspace keeps fd tables complete (fd lifecycle calls are then always sent).
    /// Host-wide (-a) the tables are filled lazily from /proc instead: every process's opens
    /// and closes would cost more than they give.
    pub fn tracks_fds(&self) -> bool {
        (self.uses_fds() || self.records_raw()) && !self.all
    }

    /// Whether anything reads the fd tables (-y, --fd-origin, JSON provenance, --match).
    pub fn uses_fds(&self) -> bool {
        self.fd_level > 0
            || self.text.fd_origin
            || self.json
            || self.matcher.is_some()
            || !self.paths.is_empty()
            || self.stacks > 0
    }

    /// Whether a completed call passes the user's filters (the kernel may send more).
    pub fn shows(&self, abi: Abi, nr: u32, ret: i64) -> bool {
        if !self.traces(abi, nr) {
            return false;
        }
        let failed = crate::decode::errno::is_error(ret);
        if !self.errnos.is_empty() {
            return failed && self.errnos.contains(&((-ret) as u32));
        }
        match self.status {
            Status::Any => true,
            Status::Failed => failed,
            Status::Successful => !failed,
            Status::Unfinished => crate::syscalls::by_nr(abi, i64::from(nr))
                .is_some_and(|sc| sc.ret == crate::syscalls::Ret::Noreturn),
            Status::None => false,
        }
    }

    /// Whether the user traces this syscall (by the `-e trace=` set of its ABI).
    pub fn traces(&self, abi: Abi, nr: u32) -> bool {
        let set = match abi {
            Abi::X86_64 => &self.traced,
            Abi::I386 => &self.traced_compat,
        };
        set.get(nr as usize).copied().unwrap_or(false)
    }

    /// Whether the enter hook must run (durations).
    pub fn wants_entry(&self) -> bool {
        self.text.durations || self.summary != Summary::None
    }

    /// Whether the enter hook also runs to read in/out values at entry (accept's
    /// `[110 => 16]`, select's fd sets, a timeout that becomes the time left): when the trace
    /// is narrowed to a set of calls that has one. A second hook costs every syscall of the
    /// host, so a full trace shows such a value as the kernel left it (`[16]`).
    /// The traced calls when the trace is narrowed to a few (at most 64), else none: a hook
    /// at every syscall's entry costs every process of the host, so what it alone can read
    /// is read only for a narrowed trace (or when -T/-c attach `sys_enter` anyway).
    fn narrowed_trace(&self) -> Vec<&'static syscalls::Syscall> {
        const NARROW: usize = 64;
        let traced: Vec<&syscalls::Syscall> = syscalls::all(Abi::X86_64)
            .iter()
            .filter(|sc| self.traced.get(sc.nr as usize).copied().unwrap_or(false))
            .collect();
        if traced.len() <= NARROW {
            traced
        } else {
            Vec::new()
        }
    }

    /// Whether an exec's argv and environment are read at its entry (its own tracepoint:
    /// the kernel's probe for it still runs at every syscall of the host, ~+25% on an
    /// untraced dd here): for a narrowed trace with execve or execveat, or when `sys_enter`
    /// is attached anyway.
    pub fn wants_exec_entry(&self) -> bool {
        let exec = |sc: &&syscalls::Syscall| sc.fx == syscalls::Fx::Exec;
        self.narrowed_trace().iter().any(exec)
            || ((self.wants_entry() || self.wants_entry_lengths())
                && syscalls::all(Abi::X86_64)
                    .iter()
                    .filter(exec)
                    .any(|sc| self.traced.get(sc.nr as usize).copied().unwrap_or(false)))
    }

    pub fn wants_entry_lengths(&self) -> bool {
        let traced = self.narrowed_trace();
        !traced.is_empty()
            && traced.iter().any(|sc| {
                sc.args.iter().any(|t| {
                    use syscalls::Ty;
                    matches!(
                        t,
                        Ty::SockLen(_)
                            | Ty::OptLen
                            | Ty::FdSet(_)
                            | Ty::TimevalInOut
                            | Ty::TimespecInOut
                            | Ty::LoffInOut
                            | Ty::SchedAttr
                            | Ty::MsghdrOut
                            | Ty::PtraceData
                            | Ty::BpfAttr(_)
                            | Ty::PerfEventAttr
                    )
                })
            })
    }

    /// The decoding options for one syscall (`-e raw=`, `-e abbrev=`, `-e verbose=` are per call).
    pub fn opts_for(&self, abi: Abi, nr: u32) -> decode::Opts {
        let i = match abi {
            Abi::X86_64 => 0,
            Abi::I386 => 1,
        };
        let has = |sets: &[Vec<bool>; 2]| sets[i].get(nr as usize).copied().unwrap_or(false);
        decode::Opts {
            raw: has(&self.raw_calls),
            verbose: !has(&self.abbrev_calls),
            structs: has(&self.verbose_calls),
            ..self.opts
        }
    }

    /// What the text printer shows around each call.
    pub fn text_flags(&self) -> TextFlags {
        self.text
    }

    /// Whether signal deliveries are shown (the signal_deliver hook is attached).
    pub fn shows_signals(&self) -> bool {
        !self.watch
            && self.summary != Summary::Only
            && self.matcher.is_none()
            && self.signals.iter().any(|s| *s)
    }

    /// `-c` without a trace: the kernel counts calls, errors and time per syscall and sends
    /// no syscall records (exec, exit and fork records still flow).
    pub fn kernel_summary(&self) -> bool {
        self.summary == Summary::Only && !self.records_raw() && self.agg_samples == 0
    }
}

/// `--flight-recorder SIZE --trigger ...`.
#[derive(Debug)]
pub struct Flight {
    pub size: usize,
    /// A trigger names tasks by comm: records carry it.
    pub needs_comm: bool,
    pub triggers: Vec<crate::recorder::Trigger>,
    pub after: Duration,
    pub holdoff: Duration,
}

/// `--cgroup`, `--container`, `--pod`: the cgroup directories they name, and the container
/// names not running yet (a name the runtimes do not know is waited for; an id that matches
/// nothing is an error).
fn cgroup_targets(cli: &Cli) -> Result<(Vec<PathBuf>, Vec<String>), UsageError> {
    use crate::containers;
    let mut out = Vec::new();
    let mut pending = Vec::new();
    for c in &cli.cgroup {
        out.push(containers::resolve_cgroup(c).map_err(usage)?);
    }
    for c in &cli.container {
        match containers::resolve_container(c) {
            Ok(p) => out.push(p),
            Err(_) if containers::is_name(c) && containers::unified_root().is_some() => {
                pending.push(c.clone())
            }
            Err(e) => return Err(usage(e)),
        }
    }
    for p in &cli.pod {
        out.push(containers::resolve_pod(p).map_err(usage)?);
    }
    if out.len() + pending.len() > tracer_common::MAX_CGROUPS as usize {
        return Err(usage(format!(
            "--cgroup/--container/--pod: at most {} at once",
            tracer_common::MAX_CGROUPS
        )));
    }
    Ok((out, pending))
}

fn flight_opts(cli: &Cli) -> Result<Option<Flight>, UsageError> {
    let Some(size) = &cli.flight_recorder else {
        if !cli.triggers.is_empty() {
            return Err(usage(
                "--trigger fires a flight recorder's dump: give --flight-recorder SIZE too",
            ));
        }
        return Ok(None);
    };
    let bytes = crate::recorder::parse_size(size)
        .filter(|b| *b >= 1 << 20)
        .ok_or_else(|| {
            usage(format!(
                "--flight-recorder {size}: give a size of at least 1M, like 64M or 1G"
            ))
        })?;
    if !cli.read.is_empty() || cli.file_size.is_some() {
        return Err(usage(
            "--flight-recorder records live: it cannot go with --read or --file-size",
        ));
    }
    let mut triggers = Vec::new();
    for t in &cli.triggers {
        triggers.push(crate::recorder::Trigger::parse(t).map_err(usage)?);
    }
    let dur = |flag: &str, v: &str| {
        parse_duration(v).ok_or_else(|| {
            usage(format!(
                "{flag} {v}: give a duration of at least 100ms, like 500ms, 2s or 1m"
            ))
        })
    };
    Ok(Some(Flight {
        size: bytes,
        needs_comm: cli.triggers.iter().any(|t| t.contains("comm=")),
        triggers,
        after: dur("--trigger-after", &cli.trigger_after)?,
        holdoff: dur("--trigger-holdoff", &cli.trigger_holdoff)?,
    }))
}

/// Bytes of each data buffer a capture keeps by default (a later --match sees them): as much
/// as the kernel's small-record path carries (a bigger default measured 15% slower on dd).
pub const CAPTURE_SNAPLEN: usize = tracer_common::SMALL_DATA;

/// `--write` and its companions, checked.
fn capture_opts(cli: &Cli) -> Result<Option<crate::capture::WriteOpts>, UsageError> {
    let Some(path) = &cli.write else {
        for (given, flag) in [
            (cli.print, "--print"),
            (cli.file_size.is_some(), "--file-size"),
            (cli.file_count.is_some(), "--file-count"),
            (cli.compress.is_some(), "--compress"),
        ] {
            if given {
                return Err(usage(format!(
                    "{flag} applies to a capture: give --write FILE too"
                )));
            }
        }
        return Ok(None);
    };
    if !cli.read.is_empty() {
        return Err(usage(
            "--read and --write together: decode a capture with --read, or trace into one with --write",
        ));
    }
    if cli.file_count.is_some() && cli.file_size.is_none() {
        return Err(usage(
            "--file-count N rotates files by size: give --file-size MB too",
        ));
    }
    if cli.file_size == Some(0) || cli.file_count == Some(0) {
        return Err(usage("--file-size and --file-count: give at least 1"));
    }
    let level = cli.compress.unwrap_or(0);
    if cli.compress.is_some() && !(1..=19).contains(&level) {
        return Err(usage(format!(
            "--compress {level}: give a zstd level from 1 (fastest) to 19"
        )));
    }
    if cli.stacks > 0 {
        return Err(usage(
            "-k with --write: stacks are symbolized from the live process's memory and are not kept in captures; drop -k",
        ));
    }
    Ok(Some(crate::capture::WriteOpts {
        path: path.clone(),
        file_size: cli.file_size.unwrap_or(0).saturating_mul(1_000_000),
        file_count: cli.file_count.unwrap_or(0),
        zstd_level: level,
    }))
}

/// `-e quiet=SET`: strace's message classes. `attach` and `exit` (status lines) are what the
/// tracer prints; the others name messages it never prints (accepted, nothing to silence).
fn parse_quiet(value: &str) -> Result<(bool, bool), UsageError> {
    let (neg, list) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (mut attach, mut exit) = (false, false);
    for item in list.split(',').map(str::trim) {
        match item {
            "attach" => attach = true,
            "exit" | "exits" => exit = true,
            "all" => (attach, exit) = (true, true),
            "none" | "personality" | "personalities" | "path-resolution" | "thread-execve"
            | "superseded" => {}
            _ => {
                return Err(usage(format!(
                    "-e quiet={value}: {item:?} is not a message class; use attach, exit, personality, path-resolution, thread-execve, superseded, all or none"
                )));
            }
        }
    }
    Ok(if neg {
        (!attach, !exit)
    } else {
        (attach, exit)
    })
}

/// `s`, `ms`, `us`, `ns`: digits after the second.
fn parse_precision(p: &str) -> Option<u8> {
    match p {
        "s" => Some(0),
        "ms" => Some(3),
        "us" => Some(6),
        "ns" => Some(9),
        _ => None,
    }
}

/// `--absolute-timestamps=[[format:]FORMAT][,[precision:]PRECISION]`, as strace's: FORMAT
/// `time` (default, precision s) or `unix` (precision us).
fn parse_absolute(spec: &str) -> Result<(TimeFormat, u8), UsageError> {
    let bad = |what: &str| {
        usage(format!(
            "--absolute-timestamps={spec}: {what}; use format:time|unix and precision:s|ms|us|ns"
        ))
    };
    let mut format = TimeFormat::Clock;
    let mut digits = None;
    for item in spec.split(',').filter(|s| !s.is_empty()) {
        let (key, value) = match item.split_once(':') {
            Some((k, v)) => (Some(k), v),
            None => (None, item),
        };
        match (key, value) {
            (Some("format") | None, "time") => format = TimeFormat::Clock,
            (Some("format") | None, "unix") => format = TimeFormat::Unix,
            (Some("precision") | None, p) if parse_precision(p).is_some() => {
                digits = parse_precision(p);
            }
            _ => return Err(bad(&format!("{item:?} is not a format or precision"))),
        }
    }
    let default = if format == TimeFormat::Unix { 6 } else { 0 };
    Ok((format, digits.unwrap_or(default)))
}

/// `-e signal=SET`: names (with or without SIG), numbers, `all`, `none`, a leading `!` to
/// negate; comma-separated, as strace takes them.
fn parse_signal_set(value: &str) -> Result<Vec<bool>, UsageError> {
    let (neg, list) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let mut set = vec![false; 65];
    for item in list.split(',') {
        let item = item.trim();
        match item {
            "all" => set.iter_mut().skip(1).for_each(|s| *s = true),
            "none" => {}
            _ => match decode::signal::parse(item) {
                Some(n) => set[n as usize] = true,
                None => {
                    return Err(usage(format!(
                        "-e signal={value}: {item:?} is not a signal; use names like SIGCHLD or CHLD, numbers 1-64, all or none"
                    )));
                }
            },
        }
    }
    if neg {
        for s in set.iter_mut().skip(1) {
            *s = !*s;
        }
    }
    Ok(set)
}

/// `5s`, `500ms`, `2m`, `1.5s`, or plain seconds; at least 100 ms.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let v: f64 = num.parse().ok()?;
    let secs = match unit {
        "ms" => v / 1000.0,
        "s" => v,
        "m" => v * 60.0,
        "h" => v * 3600.0,
        _ => return None,
    };
    // Too long to represent is refused like any bad value (it would overflow a Duration).
    (secs.is_finite() && secs >= 0.1)
        .then(|| Duration::try_from_secs_f64(secs).ok())
        .flatten()
}

/// `127.0.0.1:9090`, `[::1]:9090`, or `:9090` for every address.
fn parse_listen(s: &str) -> Option<SocketAddr> {
    match s.strip_prefix(':') {
        Some(port) => Some(SocketAddr::from(([0, 0, 0, 0], port.parse().ok()?))),
        None => s.parse().ok(),
    }
}

/// `--decode-fds=path,socket,dev,pidfd|all|none`: what is printed next to fds.
fn parse_decode_fds(value: &str) -> Result<crate::tracker::FdLevel, UsageError> {
    use crate::tracker::fd_decode::*;
    let mut set = 0;
    for item in value.split(',') {
        set |= match item.trim() {
            "path" => PATH,
            "socket" => SOCKET,
            "dev" => DEV,
            "pidfd" => PIDFD,
            "all" => ALL,
            "none" => 0,
            other => {
                return Err(usage(format!(
                    "--decode-fds={other}: use path, socket, dev, pidfd, all or none"
                )));
            }
        };
    }
    Ok(set)
}

fn parse_status(v: &str) -> Result<Status, UsageError> {
    match v {
        "all" | "any" => return Ok(Status::Any),
        "none" => return Ok(Status::None),
        _ => {}
    }
    // `!SET`: every status but those (`--status=!unavailable`).
    let (negate, v) = match v.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    // strace's set: successful, failed, unfinished, unavailable, detached.
    let (mut ok, mut failed, mut unfinished) = (false, false, false);
    for item in v.split(',') {
        match item.trim() {
            "successful" => ok = true,
            "failed" => failed = true,
            // A call cut short (the process exited in it, or the tracer left): here, the
            // calls that never return.
            "unfinished" | "unavailable" | "detached" => unfinished = true,
            other => {
                return Err(usage(format!(
                    "-e status={other}: unknown status; use successful, failed, unfinished, unavailable, detached, all or none"
                )));
            }
        }
    }
    if negate {
        (ok, failed, unfinished) = (!ok, !failed, !unfinished);
    }
    Ok(match (ok, failed, unfinished) {
        (true, true, _) => Status::Any,
        (true, false, _) => Status::Successful,
        (false, true, _) => Status::Failed,
        (false, false, true) => Status::Unfinished,
        (false, false, false) => Status::None,
    })
}

/// `-e trace=` sets: names, `%class`, `all`, `none`, and a leading `!` for the complement.
/// The syscalls whose row has `role`.
fn role_set(abi: Abi, role: u8) -> Vec<bool> {
    let mut set = vec![false; 512];
    for sc in syscalls::all(abi).iter().filter(|s| s.has(role)) {
        set[sc.nr as usize] = true;
    }
    set
}

pub fn parse_trace_set(spec: &str, abi: Abi) -> Result<Vec<bool>, UsageError> {
    let (negate, body) = match spec.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    if body.trim().is_empty() {
        return Err(usage(format!(
            "-e trace={spec}: invalid system call ''; give names, %classes, all or none"
        )));
    }
    let mut set = vec![false; 512];
    for item in body.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        // `?name`: a name this ABI may not have, ignored if so (strace's rule).
        let (optional, item) = match item.strip_prefix('?') {
            Some(rest) => (true, rest),
            None => (false, item),
        };
        if item == "all" {
            set.iter_mut().for_each(|b| *b = true);
        } else if let Some(pattern) = item.strip_prefix('/') {
            // `/REGEX`: every syscall whose name it matches anywhere.
            let re = regex::Regex::new(pattern).map_err(|e| {
                // The regex crate's message spans lines (the pattern, a caret, the reason):
                // the reason alone keeps the error on one line.
                let e = e.to_string();
                let why = e
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                usage(format!(
                    "-e trace=/{pattern}: not a regular expression ({why})"
                ))
            })?;
            for sc in syscalls::all(abi) {
                if re.is_match(sc.name) {
                    set[sc.nr as usize] = true;
                }
            }
        } else if item == "none" {
        } else if let Some(cls) = item.strip_prefix('%').or_else(|| {
            // strace's classes from before the `%`: `-e trace=ipc` is `%ipc` (no syscall
            // has these names).
            [
                "file", "process", "network", "signal", "ipc", "desc", "memory",
            ]
            .contains(&item)
            .then_some(item)
        }) {
            let bits = class::NAMES
                .iter()
                .find(|(n, _)| *n == cls)
                .map(|(_, b)| *b)
                .ok_or_else(|| {
                    let names = class::NAMES.iter().map(|(n, _)| *n);
                    let hint = suggest(cls, names)
                        .map(|s| format!(" (did you mean %{s}?)"))
                        .unwrap_or_default();
                    usage(format!(
                        "-e trace=%{cls}: unknown class{hint}; classes are %file %process %network %signal %ipc %desc %memory %creds %clock %fs"
                    ))
                })?;
            for sc in syscalls::all(abi) {
                if sc.class & bits != 0 {
                    set[sc.nr as usize] = true;
                }
            }
        } else {
            // strace accepts `stat` for newfstatat etc.; accept the common aliases.
            let name = match item {
                "fstatat" | "fstatat64" => "newfstatat",
                other => other,
            };
            match syscalls::by_name(abi, name) {
                Some(sc) => set[sc.nr as usize] = true,
                None if optional => {}
                None => {
                    let hint = suggest(item, syscalls::all(abi).iter().map(|s| s.name))
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default();
                    return Err(usage(format!(
                        "-e trace={item}: unknown syscall{hint}; see `man 2 syscalls` for names"
                    )));
                }
            }
        }
    }
    if negate {
        set.iter_mut().for_each(|b| *b = !*b);
    }
    Ok(set)
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    candidates
        .map(|c| (levenshtein(&input, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn cfg(args: &[&str]) -> Result<Config, UsageError> {
        let cli = Cli::try_parse_from(std::iter::once("tracer").chain(args.iter().copied()))
            .map_err(|e| UsageError(e.to_string()))?;
        Config::from_cli(cli)
    }

    fn nr(name: &str) -> usize {
        syscalls::by_name(Abi::X86_64, name).unwrap().nr as usize
    }

    #[test]
    fn exec_entries_are_read_for_narrowed_traces_only() {
        let wants = |a: &[&str]| cfg(a).unwrap().wants_exec_entry();
        assert!(wants(&["-e", "trace=execve", "true"]));
        assert!(wants(&["-e", "trace=%process", "true"]));
        // A full trace: the hook's probe would tax every syscall of the host.
        assert!(!wants(&["true"]));
        assert!(!wants(&["-e", "trace=read", "true"]));
        // sys_enter is attached anyway.
        assert!(wants(&["-T", "true"]));
        assert!(!wants(&["-T", "-e", "trace=read", "true"]));
    }

    #[test]
    fn pids_repeat_and_comma_lists() {
        let c = cfg(&["-p", "1,2", "-p", "3"]).unwrap();
        assert_eq!(c.pids, [1, 2, 3]);
        assert!(
            cfg(&["-p", "abc"])
                .unwrap_err()
                .0
                .contains("not a process id")
        );
        assert!(cfg(&[]).unwrap_err().0.contains("nothing to trace"));
    }

    #[test]
    fn trace_sets() {
        let c = cfg(&["-e", "trace=openat,close", "-a"]).unwrap();
        assert!(c.traced[nr("openat")] && c.traced[nr("close")] && !c.traced[nr("read")]);
        let c = cfg(&["-e", "trace=!openat", "-a"]).unwrap();
        assert!(!c.traced[nr("openat")] && c.traced[nr("read")]);
        let c = cfg(&["-e", "%file", "-a"]).unwrap();
        assert!(c.traced[nr("openat")] && c.traced[nr("execve")] && !c.traced[nr("read")]);
        let c = cfg(&["-e", "trace=%net", "-a"]).unwrap();
        assert!(c.traced[nr("connect")] && !c.traced[nr("openat")]);
        let c = cfg(&["-e", "trace=%memory", "-a"]).unwrap();
        assert!(c.traced[nr("mprotect")] && c.traced[nr("mmap")] && !c.traced[nr("write")]);
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let e = cfg(&["-e", "trace=opnat", "-a"]).unwrap_err();
        assert!(
            e.0.contains("unknown syscall") && e.0.contains("did you mean openat?"),
            "{e}"
        );
        let e = cfg(&["-e", "trace=%fiel", "-a"]).unwrap_err();
        assert!(e.0.contains("did you mean %file?"), "{e}");
        assert!(cfg(&["-e", "trace=", "ls"]).is_err());
        assert!(cfg(&["-c", "--json", "ls"]).is_err());
        assert!(cfg(&["-a", "-p", "1"]).is_err());
        assert!(cfg(&["-e", "", "ls"]).is_err());
        assert!(cfg(&["--snaplen", "4096", "ls"]).is_err());
        // --decode-fds= / -e decode-fds=: a set; -y and -yy are path and all.
        use crate::tracker::fd_decode::{ALL, DEV, PATH, SOCKET};
        assert_eq!(cfg(&["-y", "ls"]).unwrap().fd_level, PATH);
        assert_eq!(cfg(&["-yy", "ls"]).unwrap().fd_level, ALL);
        assert_eq!(
            cfg(&["--decode-fds=socket,dev", "ls"]).unwrap().fd_level,
            SOCKET | DEV
        );
        assert_eq!(cfg(&["--decode-fds", "ls"]).unwrap().fd_level, PATH);
        assert_eq!(
            cfg(&["-yy", "-e", "decode-fds=none", "ls"])
                .unwrap()
                .fd_level,
            0
        );
        assert!(cfg(&["--decode-fds=bogus", "ls"]).is_err());
        // --status=: strace's set.
        assert_eq!(
            cfg(&["-e", "status=none", "ls"]).unwrap().status,
            Status::None
        );
        assert_eq!(
            cfg(&["-e", "status=unfinished", "ls"]).unwrap().status,
            Status::Unfinished
        );
        assert_eq!(
            cfg(&["-e", "status=failed,detached", "ls"]).unwrap().status,
            Status::Failed
        );
        assert_eq!(
            cfg(&["-e", "status=successful,failed", "ls"])
                .unwrap()
                .status,
            Status::Any
        );
        assert!(cfg(&["-e", "status=bogus", "ls"]).is_err());
        // `!SET`: the complement (test_pidns's `--status=!unavailable`).
        for (set, want) in [
            ("!successful", Status::Failed),
            ("!failed", Status::Successful),
            ("!unavailable", Status::Any),
            ("!successful,failed", Status::Unfinished),
        ] {
            assert_eq!(
                cfg(&["-e", &format!("status={set}"), "ls"]).unwrap().status,
                want,
                "{set}"
            );
        }
        assert!(cfg(&["-e", "status=!bogus", "ls"]).is_err());
        // -e trace=/REGEX and ?name.
        let t = parse_trace_set("/^(osf_)?shmat$,shmdt", Abi::X86_64).unwrap();
        let on: Vec<&str> = syscalls::all(Abi::X86_64)
            .iter()
            .filter(|sc| t[sc.nr as usize])
            .map(|sc| sc.name)
            .collect();
        assert_eq!(on, ["shmat", "shmdt"]);
        assert!(parse_trace_set("/(", Abi::X86_64).is_err());
        assert_eq!(
            parse_trace_set("ipc", Abi::X86_64).unwrap(),
            parse_trace_set("%ipc", Abi::X86_64).unwrap()
        );
        assert!(parse_trace_set("?no_such_call,read", Abi::X86_64).is_ok());
        assert!(cfg(&["--snaplen", "4095", "ls"]).is_ok());
        assert!(
            cfg(&["--read", "x.trc", "ls"])
                .unwrap_err()
                .to_string()
                .contains("--read decodes a capture")
        );
        let e = cfg(&["--errno", "ENOMEN", "-a"]).unwrap_err();
        assert!(e.0.contains("did you mean ENOMEM?"), "{e}");
        assert!(cfg(&["-e", "status=bogus", "-a"]).is_err());
        assert!(cfg(&["-e", "frob=1", "-a"]).is_err());
    }

    #[test]
    fn status_and_errno() {
        assert_eq!(cfg(&["-Z", "-a"]).unwrap().status, Status::Failed);
        assert_eq!(cfg(&["-z", "-a"]).unwrap().status, Status::Successful);
        assert_eq!(
            cfg(&["-e", "status=failed", "-a"]).unwrap().status,
            Status::Failed
        );
        assert_eq!(
            cfg(&["--errno", "ENOMEM,24", "-a"]).unwrap().errnos,
            [12, 24]
        );
        assert!(cfg(&["-Z", "-z", "-a"]).is_err());
    }

    #[test]
    fn watch_flags() {
        let c = cfg(&["-a", "--watch", "--interval", "2s"]).unwrap();
        assert!(c.watch && c.hints && c.agg_samples == 50);
        assert_eq!(c.status, Status::Failed);
        assert_eq!(c.interval, Duration::from_secs(2));
        let c = cfg(&["-a", "--watch", "--no-hints", "--errno", "EMFILE"]).unwrap();
        assert!(!c.hints && c.errnos == [24]);
        let c = cfg(&["-a", "--metrics", ":9090"]).unwrap();
        assert_eq!(c.metrics.unwrap().port(), 9090);
        assert!(
            cfg(&["-a", "--metrics", "nope"])
                .unwrap_err()
                .0
                .contains("--metrics")
        );
        assert!(cfg(&["-a", "--watch", "--interval", "5x"]).is_err());
        assert!(cfg(&["-a", "--watch", "-z"]).is_err());
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_duration("99999999999999999h"), None);
        assert_eq!(parse_duration("18446744073709551616s"), None);
        assert_eq!(parse_duration("1ms"), None);
        assert!(!cfg(&["-a"]).unwrap().hints);
        assert!(cfg(&["-a", "-Z"]).unwrap().hints);
        // Rows: by program host-wide, by process with -p; by container names containers.
        use crate::watch::By;
        assert_eq!(cfg(&["-a", "--watch"]).unwrap().watch_by, By::Comm);
        assert_eq!(cfg(&["-p", "1", "--watch"]).unwrap().watch_by, By::Pid);
        let c = cfg(&["-a", "--watch", "--by", "container"]).unwrap();
        assert!(c.watch_by == By::Container && c.container_tags);
        assert_eq!(
            cfg(&["-a", "--watch", "--expire", "0"])
                .unwrap()
                .watch_expire,
            Duration::ZERO
        );
        assert_eq!(
            cfg(&["-a", "--watch", "--expire", "2m"])
                .unwrap()
                .watch_expire,
            Duration::from_secs(120)
        );
        assert!(
            cfg(&["-a", "--watch", "--expire", "soon"])
                .unwrap_err()
                .0
                .contains("soon")
        );
    }

    #[test]
    fn match_flags() {
        let c = cfg(&["-p", "1", "--match", "READ ONLY", "--match-context", "2"]).unwrap();
        assert!(c.matcher.is_some() && c.match_context == 2 && c.snaplen == 1024);
        assert!(c.traced[nr("recvfrom")] && c.traced[nr("read")] && !c.traced[nr("openat")]);
        let c = cfg(&["-p", "1", "--match-regex", "x+", "--snaplen", "4095"]).unwrap();
        assert_eq!(c.snaplen, 4095);
        // Beyond what the kernel copies: refused, not silently cut.
        assert!(cfg(&["-p", "1", "--match-regex", "x+", "--snaplen", "99999"]).is_err());
        assert!(
            cfg(&["-p", "1", "--match-regex", "("])
                .unwrap_err()
                .0
                .contains("--match-regex")
        );
        let c = cfg(&["-p", "1", "-e", "read=3,4", "-e", "write=1"]).unwrap();
        assert_eq!(
            (c.dump_read.clone(), c.dump_write.clone()),
            (vec![3, 4], vec![1])
        );
        assert!(cfg(&["-p", "1", "-e", "read=x"]).is_err());
    }

    #[test]
    fn output_flags() {
        let c = cfg(&["-s", "64", "-xx", "-ttt", "-T", "-o", "/tmp/o", "-a"]).unwrap();
        assert_eq!(c.opts.strsize, 64);
        assert_eq!(c.opts.hex, Hex::All);
        assert_eq!(c.text.time, TimeFormat::Unix);
        assert!(c.text.durations && c.wants_entry());
        assert_eq!(cfg(&["-c", "-a"]).unwrap().summary, Summary::Only);
        assert!(cfg(&["-c", "-C", "-a"]).is_err());
        let c = cfg(&["--", "ls", "-l"]).unwrap();
        assert_eq!(c.command, ["ls", "-l"]);
    }
}
