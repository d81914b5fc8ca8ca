//! Maps and load-time globals. Userspace fills `SPECS`, `TARGETS` and `ERRNOS` before
//! attaching, and sets the globals with `EbpfLoader::override_global`.
use aya_ebpf::{
    Global,
    bindings::{BPF_F_NO_PREALLOC, BPF_LOCAL_STORAGE_GET_F_CREATE, bpf_map_type},
    helpers::generated::{bpf_get_current_task_btf, bpf_task_storage_get},
    macros::map,
    maps::{Array, CgroupArray, HashMap, PerCpuArray, ProgramArray, RingBuf},
};
use tracer_common::{
    AggKey, AggVal, CMD_SPEC_SLOTS, CpuState, ERRNO_WORDS, INOUT_SEG, MAX_CGROUPS, MAX_OPS,
    SCRATCH_SIZE, SPEC_SLOTS, SummaryVal, SyscallSpec, TARGET_WORDS, tail,
};

/// Records to userspace. Its size is set by userspace at load time.
#[map]
pub static EVENTS: RingBuf = RingBuf::with_byte_size(8 << 20, 0);

/// `--cgroup`/`--container`: cgroup v2 directories (fds set by userspace); with TRACE_ALL,
/// only tasks under one of the first CGROUP_FILTER slots are traced.
#[map]
pub static CGROUPS: CgroupArray = CgroupArray::with_max_entries(MAX_CGROUPS, 0);

/// Bitmap of target tgids.
#[map]
pub static TARGETS: Array<u64> = Array::with_max_entries(TARGET_WORDS, 0);

/// The started command's pid while it waits to exec: `sched_process_exec` makes it a target
/// there, so the tracer's own set-up calls in the child before its execve are never traced.
#[map]
pub static EXEC_PENDING: Array<u32> = Array::with_max_entries(1, 0);

/// What to do per syscall number (x86_64 then i386).
#[map]
pub static SPECS: Array<SyscallSpec> = Array::with_max_entries(SPEC_SLOTS, 0);

/// The captures of a command of a syscall whose spec has `cmd_arg` (prctl's options), by
/// [`tracer_common::cmd_spec_key`].
#[map]
pub static CMD_SPECS: HashMap<u64, SyscallSpec> = HashMap::with_max_entries(CMD_SPEC_SLOTS, 0);

/// Bitmap of errnos for `--errno`.
#[map]
pub static ERRNOS: Array<u64> = Array::with_max_entries(ERRNO_WORDS, 0);

/// Per CPU: lost records not yet reported, and the wake-up check counter.
#[map]
pub static LOST: PerCpuArray<CpuState> = PerCpuArray::with_max_entries(1, 0);

/// Per CPU: a record is assembled here, then copied into `EVENTS` with its real length.
#[map]
pub static SCRATCH: PerCpuArray<[u8; SCRATCH_SIZE]> = PerCpuArray::with_max_entries(1, 0);

/// Entry time per thread, only when the enter hook is attached (`-T`, `-c`): task-local
/// storage, freed with the task (a thread can die inside a syscall and never reach sys_exit).
/// Measured per syscall here: an LRU hash insert + remove ~0.8 µs, a plain hash updated in
/// place ~2 lookups of 40 ns; task storage is a pointer walk from the task.
#[unsafe(link_section = ".maps")]
#[unsafe(export_name = "ENTRY_TS")]
pub static ENTRY_TS: TaskStorage<u64> = TaskStorage::new();

/// Per thread: the length an in/out length argument pointed to when the syscall entered,
/// as `(nr + 1) << 32 | value` ([`crate::sys_enter`] writes it, `sys_exit` takes it).
#[unsafe(link_section = ".maps")]
#[unsafe(export_name = "ENTRY_LEN")]
pub static ENTRY_LEN: TaskStorage<u64> = TaskStorage::new();

/// Per thread: what the [`tracer_common::capture::INOUT_BYTES`] arguments pointed to when the
/// syscall entered ([`crate::sys_enter`] writes them, the capture program takes them).
#[unsafe(link_section = ".maps")]
#[unsafe(export_name = "ENTRY_BYTES")]
pub static ENTRY_BYTES: TaskStorage<EntryBytes> = TaskStorage::new();

/// The saved bytes of one call: `tag` is its syscall number + 1 (0: none saved), `lens` per
/// capture op index the bytes read (`u16::MAX`: unreadable), `data` per op index one segment.
#[repr(C)]
pub struct EntryBytes {
    pub tag: u64,
    pub lens: [u16; MAX_OPS],
    pub data: [[u8; INOUT_SEG]; MAX_OPS],
}

/// A BTF-defined `BPF_MAP_TYPE_TASK_STORAGE` map (aya-ebpf 0.2.1 has no wrapper for it): the
/// layout libbpf and aya read from the `.maps` section, fields as pointers to arrays whose
/// lengths carry the values.
#[repr(C)]
pub struct TaskStorage<T> {
    r#type: *const [i32; bpf_map_type::BPF_MAP_TYPE_TASK_STORAGE as usize],
    key: *const i32,
    value: *const T,
    max_entries: *const [i32; 0],
    map_flags: *const [i32; BPF_F_NO_PREALLOC as usize],
}

// SAFETY: the fields are placeholders the loader reads from BTF; never dereferenced.
unsafe impl<T> Sync for TaskStorage<T> {}

impl<T> TaskStorage<T> {
    pub const fn new() -> Self {
        Self {
            r#type: core::ptr::null(),
            key: core::ptr::null(),
            value: core::ptr::null(),
            max_entries: core::ptr::null(),
            map_flags: core::ptr::null(),
        }
    }

    /// The current task's value, created (zeroed) if `create` and absent.
    #[inline(always)]
    pub fn current(&self, create: bool) -> Option<*mut T> {
        let flags = if create {
            u64::from(BPF_LOCAL_STORAGE_GET_F_CREATE)
        } else {
            0
        };
        // SAFETY: the map is a task storage map; the task is the current one, a BTF pointer.
        let p = unsafe {
            bpf_task_storage_get(
                core::ptr::from_ref(self).cast_mut().cast(),
                bpf_get_current_task_btf(),
                core::ptr::null_mut(),
                flags,
            )
        };
        (!p.is_null()).then_some(p.cast())
    }
}

/// Failure counts per (process, syscall, errno) when aggregating (`--watch`, `--metrics`):
/// a flood of identical failures costs a map update, not a ring-buffer record. A plain hash:
/// an LRU would silently drop counts; when full, failures are sent flagged UNCOUNTED.
#[map]
pub static AGG: HashMap<AggKey, AggVal> = HashMap::with_max_entries(16384, 0);

/// Per CPU, per syscall slot: calls, errors and time for `-c` without a trace
/// (`SUMMARY_ONLY`): no record per call at all.
#[map]
pub static SUMMARY: PerCpuArray<SummaryVal> = PerCpuArray::with_max_entries(SPEC_SLOTS, 0);

/// Continuations of `sys_exit`, verified on their own: slot 0 copies iovec data, slot 1 a
/// msghdr (then jumps to slot 0 for its iovecs), slot 2 the data of the next messages of
/// sendmmsg/recvmmsg (jumping to itself for each).
#[map]
pub static PROGS: ProgramArray = ProgramArray::with_max_entries(tail::SLOTS, 0);

/// Iovec work handed from one continuation to the next (per CPU, in `IOV_JOB`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct IovJob {
    /// [`IovJob::LIVE`] | the slot tag the iovec array is recorded under; 0 when no job.
    pub tag: u64,
    /// User address of the iovec array.
    pub iov: u64,
    /// Number of iovecs.
    pub count: u64,
    /// Data bytes to copy (`u64::MAX`: as the iovecs say).
    pub total: u64,
    /// sendmmsg/recvmmsg: user address of the mmsghdr array (0: a single message).
    pub mmsg_base: u64,
    /// Index of the next message to copy.
    pub next: u64,
    /// Messages transferred.
    pub msgs: u64,
    /// Bytes of the data cap left for the next messages.
    pub room: u64,
    /// 1 for a call's own iovecs (or the first message's), whose data may fill the slot up to
    /// the data cap from each buffer; 0 for the next messages of sendmmsg/recvmmsg, whose data
    /// has what is left of `room`.
    pub first: u64,
}

impl IovJob {
    pub const EMPTY: u64 = 0;
    /// Marks a job as set (a map value starts zeroed; slot tag 0 is a valid tag).
    pub const LIVE: u64 = 1 << 8;

    pub fn pending(&self) -> bool {
        self.tag & Self::LIVE != 0
    }
}

#[map]
pub static IOV_JOB: PerCpuArray<IovJob> = PerCpuArray::with_max_entries(1, 0);

/// The data cap per iovec buffer, for the copy loop to read from memory (see
/// `Builder::append_iovec_data`); set by `sys_exit_iovec`.
#[map]
pub static IOV_CAP: PerCpuArray<u64> = PerCpuArray::with_max_entries(1, 0);

/// Per CPU: the index of the next capture op `sys_exit_capture` runs for the record in the
/// scratch buffer.
#[map]
pub static CAPTURE_STEP: PerCpuArray<u32> = PerCpuArray::with_max_entries(1, 0);

#[unsafe(no_mangle)]
pub static BUF_CAP: Global<u32> = Global::new(32);
#[unsafe(no_mangle)]
pub static AGG_SAMPLES: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static AGG_WINDOW_NS: Global<u64> = Global::new(1_000_000_000);

#[unsafe(no_mangle)]
pub static SELF_TGID: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static TRACE_ALL: Global<u32> = Global::new(0);

#[unsafe(no_mangle)]
pub static CGROUP_FILTER: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static FOLLOW_FORKS: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static STATUS_FILTER: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static WANT_TIME: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static WANT_COMM: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static WANT_STACK: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static WANT_IP: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static SUMMARY_ONLY: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static WANT_ENTRY: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static ARGV_STR: Global<u32> = Global::new(34);
#[unsafe(no_mangle)]
pub static WANT_ENV: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static WAKEUP_BYTES: Global<u64> = Global::new(256 << 10);
#[unsafe(no_mangle)]
pub static DETECT_COMPAT: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static EXIT_HAS_GROUP_DEAD: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_PID: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_TGID: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_THREAD_PID: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_PID_LEVEL: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_PID_NUMBERS: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_UPID_NS: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_PIDNS_INUM: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_MM: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_EXIT_CODE: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_MM_START_CODE: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_MM_END_CODE: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_MM_ARG_START: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_MM_ARG_END: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_BLOCKED: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_STATE: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_MM_ENV_END: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_BPRM_FILENAME: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_BPRM_FDPATH: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_TASK_SIGNAL: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_SIGNAL_FLAGS: Global<u32> = Global::new(0);
#[unsafe(no_mangle)]
pub static OFF_SIGNAL_GROUP_EXIT_CODE: Global<u32> = Global::new(0);
