//! Loading the kernel side: set the load-time globals, fill the maps from the syscall table
//! and the targets, attach the programs. Errors name what is missing and what to do.
use anyhow::{Context as _, Result, anyhow};
use aya::{
    Btf, Ebpf, EbpfLoader,
    maps::{Array, HashMap, MapData, PerCpuArray, ProgramArray},
    programs::{BtfTracePoint, TracePoint},
};
use tracer_common::{
    AggKey, AggVal, CpuState, ERRNO_WORDS, SMALL_DATA, SummaryVal, SyscallSpec, TARGET_WORDS,
    capture, globals, names, spec_flags, tail,
};

use crate::{
    btf,
    config::{Config, Status},
    ring::Ring,
    syscalls::{self, Abi, Fx},
};

static OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/tracer"));

/// The loaded programs and the maps userspace keeps using.
pub struct Loaded {
    pub ebpf: Ebpf,
    pub agg: HashMap<MapData, AggKey, AggVal>,
    pub targets: Array<MapData, u64>,
    /// The started command's pid until its exec makes it a target (in the kernel).
    pub exec_pending: Array<MapData, u32>,
    pub lost: PerCpuArray<MapData, CpuState>,
    /// `-c` without a trace: the kernel's per-syscall totals.
    pub summary: Option<PerCpuArray<MapData, SummaryVal>>,
    /// `--container NAME` of containers started later: their slots are set when found.
    pub cgroups: Option<aya::maps::CgroupArray<MapData>>,
    /// `-e inject=...:signal=` on a started command: the signal for a call's exit.
    pub inject_now: Option<HashMap<MapData, u32, u32>>,
}

impl crate::inject::SignalSink for HashMap<MapData, u32, u32> {
    fn signal_at_exit(&mut self, tid: u32, sig: u32) {
        if let Err(e) = self.insert(tid, sig, 0) {
            eprintln!("tracer: cannot inject signal {sig} into {tid}: {e}");
        }
    }
}

/// Kernel structure offsets the scheduler hooks need.
struct Offsets {
    task_pid: u32,
    task_tgid: u32,
    task_mm: u32,
    task_exit_code: u32,
    mm_arg_start: u32,
    mm_start_code: u32,
    mm_end_code: u32,
    mm_arg_end: u32,
    mm_env_end: u32,
    task_blocked: u32,
    task_state: u32,
    /// 0: the PID namespace fields were not found (fork records then carry no nspid).
    task_thread_pid: u32,
    pid_level: u32,
    pid_numbers: u32,
    upid_ns: u32,
    pidns_inum: u32,
    bprm_filename: u32,
    bprm_fdpath: u32,
    task_signal: u32,
    signal_flags: u32,
    signal_group_exit_code: u32,
    compat_ok: bool,
    exit_has_group_dead: bool,
}

fn offsets() -> Result<Offsets> {
    let b = btf::Btf::from_sys_fs()
        .context("this kernel has no usable BTF (CONFIG_DEBUG_INFO_BTF); tracer needs it")?;
    // A new task's pid in its PID namespace: `struct upid` is 16 bytes (int nr, then the
    // namespace pointer at 8), as the offsets are checked to be.
    let pidns = (|| {
        let upid_ns = b.member_offset("upid", "ns").ok().filter(|o| *o == 8)?;
        let inum = b.member_offset("pid_namespace", "ns").ok()?
            + b.member_offset("ns_common", "inum").ok()?;
        Some((
            b.member_offset("task_struct", "thread_pid").ok()?,
            b.member_offset("pid", "level").ok()?,
            b.member_offset("pid", "numbers").ok()?,
            upid_ns,
            inum,
        ))
    })();
    let compat_ok = b.member_offset("task_struct", "thread_info").ok() == Some(0)
        && b.member_offset("thread_info", "status").ok() == Some(16);
    Ok(Offsets {
        task_pid: b.member_offset("task_struct", "pid")?,
        task_tgid: b.member_offset("task_struct", "tgid")?,
        task_mm: b.member_offset("task_struct", "mm")?,
        task_exit_code: b.member_offset("task_struct", "exit_code")?,
        mm_arg_start: b.member_offset("mm_struct", "arg_start")?,
        mm_start_code: b.member_offset("mm_struct", "start_code")?,
        mm_end_code: b.member_offset("mm_struct", "end_code")?,
        mm_arg_end: b.member_offset("mm_struct", "arg_end")?,
        mm_env_end: b.member_offset("mm_struct", "env_end")?,
        task_blocked: b.member_offset("task_struct", "blocked")?,
        task_state: b.member_offset("task_struct", "__state")?,
        task_thread_pid: pidns.map_or(0, |p| p.0),
        pid_level: pidns.map_or(0, |p| p.1),
        pid_numbers: pidns.map_or(0, |p| p.2),
        upid_ns: pidns.map_or(0, |p| p.3),
        pidns_inum: pidns.map_or(0, |p| p.4),
        bprm_filename: b.member_offset("linux_binprm", "filename")?,
        bprm_fdpath: b.member_offset("linux_binprm", "fdpath")?,
        // For fatal signals the kernel acts on before delivering them; 0 (not found) turns
        // that report off rather than failing the run.
        task_signal: b.member_offset("task_struct", "signal").unwrap_or(0),
        signal_flags: b.member_offset("signal_struct", "flags").unwrap_or(0),
        signal_group_exit_code: b
            .member_offset("signal_struct", "group_exit_code")
            .unwrap_or(0),
        compat_ok,
        exit_has_group_dead: b.tracepoint_args("sched_process_exit") == Some(2),
    })
}

/// execve's and execveat's argv and environment at entry, from their own tracepoints
/// (`syscalls:sys_enter_*`: they cost nothing to other syscalls), with the event each is
/// attached to.
const EXEC_ARGS_PROGS: [(&str, &str); 1] = [(names::SYS_ENTER_EXECVE, "sys_enter_execve")];
/// The events [`EXEC_ARGS_PROGS`]'s program is attached to (it tells them apart).
const EXEC_EVENTS: [&str; 2] = ["sys_enter_execve", "sys_enter_execveat"];

/// Whether the kernel has syscall tracepoints (CONFIG_FTRACE_SYSCALLS). Without them, execs
/// show what `sched_process_exec` sees: a failed exec's argv as an address.
fn has_syscall_tracepoints() -> bool {
    [
        "/sys/kernel/tracing/events",
        "/sys/kernel/debug/tracing/events",
    ]
    .iter()
    .any(|d| {
        std::path::Path::new(d)
            .join("syscalls/sys_enter_execve")
            .exists()
    })
}

fn explain_load_error(e: anyhow::Error) -> anyhow::Error {
    let text = format!("{e:#}");
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    if euid != 0 || text.contains("Operation not permitted") {
        anyhow!(
            "loading eBPF programs was refused ({text}): run tracer as root, or give it CAP_BPF and CAP_PERFMON (plus CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH for diagnoses; CAP_SYS_RESOURCE on kernels before 5.11)"
        )
    } else {
        e
    }
}

/// Loads and attaches everything; targets are filled by the caller through `targets`.
pub fn load(cfg: &Config) -> Result<Loaded> {
    let off = offsets()?;
    let self_tgid = std::process::id();
    let flag = |b: bool| u32::from(b);
    let status = if !cfg.errnos.is_empty() {
        tracer_common::status_filter::ERRNO_SET
    } else {
        match cfg.status {
            Status::Any | Status::Unfinished | Status::None => tracer_common::status_filter::ANY,
            Status::Failed => tracer_common::status_filter::FAILED,
            Status::Successful => tracer_common::status_filter::SUCCESSFUL,
        }
    };
    let (trace_all, follow, want_time, want_comm, want_entry, compat, group_dead) = (
        flag(cfg.all),
        flag(cfg.follow),
        flag(cfg.wants_time()),
        // -Y: a task's name as it is at each call (prctl(PR_SET_NAME) renames it).
        flag(
            cfg.all
                || cfg.agg_samples != 0
                || cfg.opts.pid_comms
                || cfg.flight.as_ref().is_some_and(|f| f.needs_comm),
        ),
        flag(cfg.wants_entry()),
        flag(off.compat_ok),
        flag(off.exit_has_group_dead),
    );
    let summary_only = flag(cfg.kernel_summary());
    // -e inject=...:signal=: one-shot signals the tracer sets for a command's calls (1), or
    // the kernel's own count for -p targets (2).
    let inject_signals: u32 = match cfg.inject.rules.iter().any(|r| r.signal != 0) {
        false => 0,
        true if cfg.pids.is_empty() => 1,
        true => 2,
    };
    let cgroup_filter = (cfg.cgroups.len() + cfg.pending_containers.len()) as u32;
    let want_ip = flag(cfg.text.ip);
    let want_stack = flag(cfg.stacks > 0);
    // Data buffers: what -s shows, plus one byte to know there was more.
    let buf_cap: u32 = cfg.snaplen.min(tracer_common::STR_CAP - 1) as u32;
    let wake: u64 = u64::from(cfg.buffer_bytes / 32).max(64 << 10);
    // An exec's argv strings: -s and two bytes (the NUL, and one to know there was more).
    let argv_str: u32 = cfg.opts.strsize.saturating_add(2).min(256) as u32;
    // strace prints the environment's strings where execve is not abbreviated (-v).
    let want_env = flag(!cfg.abbrev_calls[0].get(59).copied().unwrap_or(true));
    // The object has no CO-RE relocations: the loader needs no kernel BTF.
    let mut loader = EbpfLoader::new();
    loader
        .btf(None)
        // ENTRY_TS is task storage: created from the object's BTF, never read from here.
        .allow_unsupported_maps()
        .map_max_entries(names::EVENTS, cfg.buffer_bytes)
        .override_global(globals::SELF_TGID, &self_tgid, true)
        .override_global(globals::TRACE_ALL, &trace_all, true)
        .override_global(globals::CGROUP_FILTER, &cgroup_filter, true)
        .override_global(globals::FOLLOW_FORKS, &follow, true)
        .override_global(globals::STATUS_FILTER, &status, true)
        .override_global(globals::WANT_TIME, &want_time, true)
        .override_global(globals::WANT_COMM, &want_comm, true)
        .override_global(globals::WANT_ENTRY, &want_entry, true)
        .override_global(globals::SUMMARY_ONLY, &summary_only, true)
        .override_global(globals::WANT_IP, &want_ip, true)
        .override_global(globals::WANT_STACK, &want_stack, true)
        .override_global(globals::WAKEUP_BYTES, &wake, true)
        .override_global(globals::AGG_SAMPLES, &cfg.agg_samples, true)
        .override_global(globals::BUF_CAP, &buf_cap, true)
        .override_global(globals::ARGV_STR, &argv_str, true)
        .override_global(globals::WANT_ENV, &want_env, true)
        .override_global(globals::AGG_WINDOW_NS, &1_000_000_000u64, true)
        .override_global(globals::DETECT_COMPAT, &compat, true)
        .override_global(globals::EXIT_HAS_GROUP_DEAD, &group_dead, true)
        .override_global(globals::INJECT_SIGNALS, &inject_signals, true)
        .override_global(globals::OFF_TASK_PID, &off.task_pid, true)
        .override_global(globals::OFF_TASK_TGID, &off.task_tgid, true)
        .override_global(globals::OFF_TASK_THREAD_PID, &off.task_thread_pid, true)
        .override_global(globals::OFF_PID_LEVEL, &off.pid_level, true)
        .override_global(globals::OFF_PID_NUMBERS, &off.pid_numbers, true)
        .override_global(globals::OFF_UPID_NS, &off.upid_ns, true)
        .override_global(globals::OFF_PIDNS_INUM, &off.pidns_inum, true)
        .override_global(globals::OFF_TASK_MM, &off.task_mm, true)
        .override_global(globals::OFF_TASK_EXIT_CODE, &off.task_exit_code, true)
        .override_global(globals::OFF_MM_ARG_START, &off.mm_arg_start, true)
        .override_global(globals::OFF_MM_START_CODE, &off.mm_start_code, true)
        .override_global(globals::OFF_MM_END_CODE, &off.mm_end_code, true)
        .override_global(globals::OFF_MM_ARG_END, &off.mm_arg_end, true)
        .override_global(globals::OFF_MM_ENV_END, &off.mm_env_end, true)
        .override_global(globals::OFF_TASK_BLOCKED, &off.task_blocked, true)
        .override_global(globals::OFF_TASK_STATE, &off.task_state, true)
        .override_global(globals::OFF_BPRM_FILENAME, &off.bprm_filename, true)
        .override_global(globals::OFF_BPRM_FDPATH, &off.bprm_fdpath, true)
        .override_global(globals::OFF_TASK_SIGNAL, &off.task_signal, true)
        .override_global(globals::OFF_SIGNAL_FLAGS, &off.signal_flags, true)
        .override_global(
            globals::OFF_SIGNAL_GROUP_EXIT_CODE,
            &off.signal_group_exit_code,
            true,
        );
    let mut ebpf = loader.load(OBJECT).map_err(|e| {
        explain_load_error(anyhow::Error::new(e).context("loading the eBPF object"))
    })?;

    // An exec's argv read at its entry (narrowed traces), else a failed one's at its exit.
    let exec_args = !cfg.noop_hook && cfg.wants_exec_entry() && has_syscall_tracepoints();
    // The capture spec per syscall, from the table.
    let compact = want_comm == 0 && want_entry == 0 && want_ip == 0 && want_stack == 0;
    let mut needs = Continuations::default();
    let mut cmd_specs = Vec::new();
    {
        let mut specs: Array<_, SyscallSpec> = Array::try_from(
            ebpf.map_mut(names::SPECS)
                .ok_or_else(|| anyhow!("map SPECS missing"))?,
        )?;
        for (abi, traced) in [(Abi::X86_64, &cfg.traced), (Abi::I386, &cfg.traced_compat)] {
            // Continuations a run needs: only those some sent syscall's spec can reach.
            let any_exec = syscalls::all(abi)
                .iter()
                .any(|s| s.fx == Fx::Exec && traced[s.nr as usize]);
            for sc in syscalls::all(abi) {
                let t = traced[sc.nr as usize] || (sc.fx == Fx::Exec && any_exec);
                let mut spec = syscalls::capture_spec(sc, t, cfg.tracks_fds());
                // -k: where libraries are mapped, even for processes gone before their stacks
                // are decoded.
                if cfg.stacks > 0 && sc.name == "mmap" {
                    spec.flags |= spec_flags::TRACE | spec_flags::ALWAYS;
                }
                // A failed exec's argv and environment size at its exit (its memory is the
                // caller's still; a 32-bit caller's arrays have 4-byte words, not read).
                if sc.dec == syscalls::Dec::Execve && abi == Abi::X86_64 && !exec_args {
                    let argv = if sc.arg_of(syscalls::Ty::Dirfd).is_some() {
                        2
                    } else {
                        1
                    };
                    spec.iov = tracer_common::CaptureOp {
                        kind: capture::STR_LIST,
                        arg: argv,
                        param: 0,
                    };
                }
                // Compact records when nothing only a full one carries is wanted.
                if compact && sc.args.len() <= tracer_common::COMPACT_ARGS {
                    spec.flags |= spec_flags::COMPACT;
                }
                // A call whose command decides its arguments: each command's captures.
                if let Some((at, _)) = syscalls::commands::of(sc) {
                    spec.cmd_arg = at as u8 + 1;
                    for (value, row) in syscalls::commands::with_captures(sc) {
                        let cs = syscalls::capture_spec(&row, t, cfg.tracks_fds());
                        if cs.flags & spec_flags::HAS_STRINGS != 0 {
                            spec.flags |= spec_flags::HAS_STRINGS;
                            if cs.flags & spec_flags::TRACE != 0 {
                                needs.note(&cs, cfg.snaplen, cfg.stacks > 0);
                            }
                            cmd_specs
                                .push((tracer_common::cmd_spec_key(abi.slot(sc.nr), value), cs));
                        }
                    }
                }
                if spec.flags & spec_flags::TRACE != 0 {
                    needs.note(&spec, cfg.snaplen, cfg.stacks > 0);
                }
                specs.set(abi.slot(sc.nr), spec, 0)?;
            }
        }
    }
    if !cmd_specs.is_empty() {
        let mut map: aya::maps::HashMap<_, u64, SyscallSpec> = aya::maps::HashMap::try_from(
            ebpf.map_mut(names::CMD_SPECS)
                .ok_or_else(|| anyhow!("map CMD_SPECS missing"))?,
        )?;
        for (key, spec) in cmd_specs {
            map.insert(key, spec, 0)?;
        }
    }
    if inject_signals == 2 {
        let mut rules: Array<_, tracer_common::InjectRule> = Array::try_from(
            ebpf.map_mut(names::INJECT_RULES)
                .ok_or_else(|| anyhow!("map INJECT_RULES missing"))?,
        )?;
        for (slot, rule) in cfg.inject.kernel_rules() {
            rules.set(slot, rule, 0)?;
        }
    }
    // --cgroup/--container/--pod: the cgroups, by a directory fd each (the map keeps a
    // reference to the cgroup; the fd is closed after).
    if !cfg.cgroups.is_empty() {
        let mut cgroups: aya::maps::CgroupArray<_> = aya::maps::CgroupArray::try_from(
            ebpf.map_mut(names::CGROUPS)
                .ok_or_else(|| anyhow!("map CGROUPS missing"))?,
        )?;
        for (i, path) in cfg.cgroups.iter().enumerate() {
            let dir = std::fs::File::open(path)
                .with_context(|| format!("opening cgroup {}", path.display()))?;
            cgroups.set(i as u32, dir, 0)?;
        }
    }
    if !cfg.errnos.is_empty() {
        let mut words = vec![0u64; ERRNO_WORDS as usize];
        for e in &cfg.errnos {
            words[(*e >> 6) as usize] |= 1 << (e & 63);
        }
        let mut errnos: Array<_, u64> = Array::try_from(
            ebpf.map_mut(names::ERRNOS)
                .ok_or_else(|| anyhow!("map ERRNOS missing"))?,
        )?;
        for (i, w) in words.iter().enumerate() {
            if *w != 0 {
                errnos.set(i as u32, w, 0)?;
            }
        }
    }

    // One parse of the kernel's BTF (~15 MiB while it lives, freed below): the programs need it
    // to find their tracepoints.
    let kbtf = Btf::from_sys_fs().context("reading /sys/kernel/btf/vmlinux")?;
    // Which programs this run loads, with their tracepoints: the continuations (same attach
    // point as sys_exit, a tail-call requirement; loaded, not attached, reached through PROGS)
    // only when some traced syscall's spec reaches them; sys_enter only for -T/-c.
    let continuations = [
        (tail::CAPTURE, names::SYS_EXIT_CAPTURE, needs.capture),
        (tail::IOVEC, names::SYS_EXIT_IOVEC, needs.iovec),
        (tail::MSGHDR, names::SYS_EXIT_MSGHDR, needs.msghdr),
        (tail::MMSG, names::SYS_EXIT_MMSG, needs.mmsg),
        (tail::EXEC, names::SYS_EXIT_EXEC, needs.exec),
    ];
    let mut attached = vec![
        (names::SCHED_PROCESS_FORK, "sched_process_fork"),
        (names::SCHED_PROCESS_EXEC, "sched_process_exec"),
        (names::SCHED_PROCESS_EXIT, "sched_process_exit"),
        (names::SYS_EXIT, "sys_exit"),
    ];
    if cfg.wants_entry() || cfg.wants_entry_lengths() {
        attached.push((names::SYS_ENTER, "sys_enter"));
    }
    if cfg.shows_signals() {
        attached.push((names::SIGNAL_DELIVER, "signal_deliver"));
        attached.push((names::SIGNAL_GENERATE, "signal_generate"));
    }
    if cfg.noop_hook {
        attached = vec![(names::SYS_EXIT_NOOP, "sys_exit")];
    }
    let mut wanted: Vec<(&str, &str)> = continuations
        .iter()
        .filter(|(_, _, needed)| *needed && !cfg.noop_hook)
        .map(|(_, name, _)| (*name, "sys_exit"))
        .collect();
    wanted.extend(attached.iter().copied());
    if exec_args {
        wanted.extend(EXEC_ARGS_PROGS);
    }
    // Verified in parallel: the kernel checks each load on the calling thread, and start-up
    // is mostly verification.
    let mut progs: Vec<(&str, &mut aya::programs::Program)> = ebpf
        .programs_mut()
        .filter(|(name, _)| wanted.iter().any(|(w, _)| w == name))
        .collect();
    if progs.len() != wanted.len() {
        return Err(anyhow!("a program is missing from the eBPF object"));
    }
    std::thread::scope(|s| -> Result<()> {
        let jobs: Vec<_> = progs
            .iter_mut()
            .map(|(name, prog)| {
                let name: &str = name;
                let tp = wanted
                    .iter()
                    .find(|(w, _)| *w == name)
                    .map_or("sys_exit", |(_, tp)| *tp);
                let kbtf = &kbtf;
                s.spawn(move || -> Result<()> {
                    let explain = |e: aya::programs::ProgramError| {
                        explain_load_error(anyhow::Error::new(e).context(format!("loading {name}")))
                    };
                    if EXEC_ARGS_PROGS.iter().any(|(n, _)| *n == name) {
                        let p: &mut TracePoint = (&mut **prog).try_into()?;
                        return p.load().map_err(explain);
                    }
                    let p: &mut BtfTracePoint = (&mut **prog).try_into()?;
                    p.load(tp, kbtf).map_err(explain)
                })
            })
            .collect();
        for j in jobs {
            j.join().map_err(|_| anyhow!("a program load panicked"))??;
        }
        Ok(())
    })?;
    drop(progs);
    // The continuations into PROGS before sys_exit is attached, so that it finds them from
    // its first record.
    for (slot, prog, needed) in continuations {
        if !needed || cfg.noop_hook {
            continue;
        }
        let p: &mut BtfTracePoint = ebpf
            .program_mut(prog)
            .ok_or_else(|| anyhow!("program {prog} missing"))?
            .try_into()?;
        let fd = p.fd()?.try_clone()?;
        let mut progs = ProgramArray::try_from(
            ebpf.map_mut(names::PROGS)
                .ok_or_else(|| anyhow!("map PROGS missing"))?,
        )?;
        progs.set(slot, &fd, 0)?;
    }
    for (prog, tp) in attached {
        let p: &mut BtfTracePoint = ebpf
            .program_mut(prog)
            .ok_or_else(|| anyhow!("program {prog} missing from the eBPF object"))?
            .try_into()?;
        p.attach().with_context(|| {
            format!("attaching to the {tp} tracepoint (needs a kernel with BTF tracepoints, 5.5+)")
        })?;
    }
    if exec_args {
        let (prog, _) = EXEC_ARGS_PROGS[0];
        let p: &mut TracePoint = ebpf
            .program_mut(prog)
            .ok_or_else(|| anyhow!("program {prog} missing from the eBPF object"))?
            .try_into()?;
        for event in EXEC_EVENTS {
            p.attach("syscalls", event)
                .with_context(|| format!("attaching to the syscalls:{event} tracepoint"))?;
        }
    }

    let targets = Array::try_from(
        ebpf.take_map(names::TARGETS)
            .ok_or_else(|| anyhow!("map TARGETS missing"))?,
    )?;
    let exec_pending = Array::try_from(
        ebpf.take_map(names::EXEC_PENDING)
            .ok_or_else(|| anyhow!("map EXEC_PENDING missing"))?,
    )?;
    let lost = PerCpuArray::try_from(
        ebpf.take_map(names::LOST)
            .ok_or_else(|| anyhow!("map LOST missing"))?,
    )?;
    drop(kbtf);
    if cfg.verifier_stats {
        verifier_stats(&ebpf);
    }
    // The parsed BTF leaves many small freed blocks; give them back so the tracer's resident
    // size is what it really uses.
    // SAFETY: malloc_trim only releases free memory.
    unsafe { libc::malloc_trim(0) };
    let agg = HashMap::try_from(
        ebpf.take_map(names::AGG)
            .ok_or_else(|| anyhow!("map AGG missing"))?,
    )?;
    let summary = match cfg.kernel_summary() {
        true => Some(PerCpuArray::try_from(
            ebpf.take_map(names::SUMMARY)
                .ok_or_else(|| anyhow!("map SUMMARY missing"))?,
        )?),
        false => None,
    };
    let cgroups = match cfg.pending_containers.is_empty() {
        false => Some(aya::maps::CgroupArray::try_from(
            ebpf.take_map(names::CGROUPS)
                .ok_or_else(|| anyhow!("map CGROUPS missing"))?,
        )?),
        true => None,
    };
    let inject_now = match inject_signals {
        1 => Some(HashMap::try_from(
            ebpf.take_map(names::INJECT_NOW)
                .ok_or_else(|| anyhow!("map INJECT_NOW missing"))?,
        )?),
        _ => None,
    };
    Ok(Loaded {
        inject_now,
        ebpf,
        agg,
        targets,
        exec_pending,
        lost,
        summary,
        cgroups,
    })
}

/// `--verifier-stats`: instructions the verifier checked, per loaded program (what start-up
/// time mostly depends on).
fn verifier_stats(ebpf: &Ebpf) {
    let mut progs: Vec<_> = ebpf.programs().collect();
    progs.sort_by_key(|(name, _)| *name);
    for (name, prog) in progs {
        let Ok(info) = prog.info() else {
            continue;
        };
        match info.verified_instruction_count() {
            Some(n) => eprintln!("tracer: {name}: {n} instructions verified"),
            None => eprintln!("tracer: {name}: not loaded"),
        }
    }
}

/// Which continuation programs the run's capture specs can reach.
#[derive(Default)]
struct Continuations {
    capture: bool,
    iovec: bool,
    msghdr: bool,
    mmsg: bool,
    exec: bool,
}

impl Continuations {
    /// `stacks`: -k sends every record through the scratch path (no small-record shortcut).
    fn note(&mut self, spec: &SyscallSpec, snaplen: usize, stacks: bool) {
        if spec.flags & spec_flags::HAS_STRINGS == 0 {
            return;
        }
        let only_small_data = !stacks
            && spec.ops[1].kind == capture::NONE
            && spec.iov.kind == capture::NONE
            && snaplen <= SMALL_DATA
            && matches!(spec.ops[0].kind, capture::DATA_RET | capture::DATA_LEN_ARG);
        self.capture |= !only_small_data;
        // Iovec data is copied by sys_exit_mmsg, whether one message or several.
        match spec.iov.kind {
            capture::IOVEC_ARG => {
                self.iovec = true;
                self.mmsg = true;
            }
            capture::MSGHDR => {
                self.iovec = true;
                self.msghdr = true;
                self.mmsg = true;
            }
            // A sock_fprog's program: read by the msghdr continuation.
            capture::FPROG | capture::IOVEC_ONE | capture::INDIRECT_ARRAY => self.msghdr = true,
            capture::STR_LIST => self.exec = true,
            _ => {}
        }
    }
}

/// Marks `tgid` as a target (or not) in the kernel's bitmap.
pub fn set_target(targets: &mut Array<MapData, u64>, tgid: u32, on: bool) -> Result<()> {
    let idx = tgid >> 6;
    if idx >= TARGET_WORDS {
        return Err(anyhow!(
            "pid {tgid} is beyond the largest pid the tracer covers"
        ));
    }
    let word = targets.get(&idx, 0)?;
    let bit = 1u64 << (tgid & 63);
    targets.set(idx, if on { word | bit } else { word & !bit }, 0)?;
    Ok(())
}

/// The kernel's `-c` totals per syscall slot (summed over CPUs), for the slots with calls.
pub fn summary_totals(
    map: &PerCpuArray<MapData, SummaryVal>,
) -> impl Iterator<Item = (u32, SummaryVal)> + '_ {
    (0..tracer_common::SPEC_SLOTS).filter_map(|slot| {
        let per_cpu = map.get(&slot, 0).ok()?;
        let mut t = SummaryVal::default();
        for v in per_cpu.iter().filter(|v| v.calls > 0) {
            t.min_ns = if t.calls == 0 {
                v.min_ns
            } else {
                t.min_ns.min(v.min_ns)
            };
            t.max_ns = t.max_ns.max(v.max_ns);
            t.calls += v.calls;
            t.errors += v.errors;
            t.ns += v.ns;
            for (a, b) in t.hist.iter_mut().zip(v.hist) {
                *a += b;
            }
        }
        (t.calls > 0).then_some((slot, t))
    })
}

/// Records the kernel could not write yet to report (ring buffer full), over all CPUs.
pub fn pending_lost(lost: &PerCpuArray<MapData, CpuState>) -> u64 {
    lost.get(&0, 0)
        .map(|v| v.iter().map(|s| s.lost).sum())
        .unwrap_or(0)
}

/// Takes the ring buffer out of the loaded object.
pub fn events(ebpf: &mut Ebpf, size: u32) -> Result<Ring> {
    match ebpf.take_map(names::EVENTS) {
        Some(aya::maps::Map::RingBuf(data)) => {
            Ring::new(data, u64::from(size)).context("mapping the ring buffer (EVENTS) into memory")
        }
        _ => Err(anyhow!("map EVENTS missing or not a ring buffer")),
    }
}
