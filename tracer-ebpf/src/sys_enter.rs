//! `raw_syscalls:sys_enter`, attached only when entry times are needed (`-T`, `-c`): stores
//! the entry time per thread for `sys_exit` to pick up.
use aya_ebpf::{
    helpers::{bpf_get_current_pid_tgid, bpf_ktime_get_ns},
    macros::btf_tracepoint,
    programs::BtfTracePointContext,
};

use crate::{
    filter::is_target,
    maps::{ENTRY_TS, EXEC_PENDING},
};

#[btf_tracepoint(function = "sys_enter")]
pub fn sys_enter(_ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    // The started command becomes a target inside its execve: time that execve too.
    if !is_target(tgid) && !EXEC_PENDING.get(0).is_some_and(|p| *p == tgid && tgid != 0) {
        return 0;
    }
    // SAFETY: helper without arguments.
    let now = unsafe { bpf_ktime_get_ns() };
    if let Some(p) = ENTRY_TS.current(true) {
        // SAFETY: the current task's storage, written only by this thread's own hooks.
        unsafe { *p = now };
    }
    0
}
