//! `raw_syscalls:sys_enter`, attached only when entry times are needed (`-T`, `-c`): stores
//! the entry time per thread for `sys_exit` to pick up.
use aya_ebpf::{
    helpers::{bpf_get_current_pid_tgid, bpf_ktime_get_ns},
    macros::btf_tracepoint,
    programs::BtfTracePointContext,
};

use crate::{filter::is_target, maps::ENTRY_TS};

#[btf_tracepoint(function = "sys_enter")]
pub fn sys_enter(_ctx: BtfTracePointContext) -> i32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    if !is_target((pid_tgid >> 32) as u32) {
        return 0;
    }
    // SAFETY: helper without arguments.
    let now = unsafe { bpf_ktime_get_ns() };
    let _ = ENTRY_TS.insert(pid_tgid as u32, now, 0);
    0
}
