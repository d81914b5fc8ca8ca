//! `syscalls:sys_enter_execve` and `sys_enter_execveat`: an exec's argv and environment read
//! at entry, while the caller's memory is still there (a failed exec has nothing else to show
//! them; a script's exec has its argv rewritten by the time `sched_process_exec` runs). These
//! tracepoints fire for their own syscall only.
use aya_ebpf::{
    helpers::{bpf_get_current_pid_tgid, bpf_probe_read_user},
    macros::tracepoint,
    programs::TracePointContext,
};
use tracer_common::{
    exec_args::{ARGV_FAULT, ARGV_MORE, ENV_CAPPED, ENV_FAULT, ENV_LIST_FAULT, ENV_MORE, MAX_ENV},
    kind, spec_flags,
};

use crate::{
    filter::is_target,
    maps::{ARGV_STR, EXEC_PENDING, SPECS, WANT_ENV},
    record::{Builder, header},
};

/// Attached to both events (one program: verified once). Their formats differ by execveat's
/// dirfd: execve has filename @16, argv @24, envp @32; execveat fd @16, filename @24, argv
/// @32, envp @40, flags @48.
#[tracepoint(category = "syscalls", name = "sys_enter_execve")]
pub fn sys_enter_execve(ctx: TracePointContext) -> u32 {
    // SAFETY: the format's __syscall_nr field.
    let nr = unsafe { ctx.read_at::<i32>(8) }.unwrap_or(0);
    // All ones for execveat: its fields are one later. Chosen by arithmetic (an opaque
    // mask), not a branch, so that the verifier walks the loops once, not once per event.
    let at = core::hint::black_box(0u64.wrapping_sub(u64::from(nr == NR_EXECVEAT)));
    // SAFETY: reads of the tracepoint's fields at the offsets of its formats.
    let [f16, f24, f32, f40] =
        [16, 24, 32, 40].map(|o| unsafe { ctx.read_at::<u64>(o) }.unwrap_or(0));
    let argv = (f24 & !at) | (f32 & at);
    let envp = (f32 & !at) | (f40 & at);
    let nr = (NR_EXECVE as u64 & !at) | (NR_EXECVEAT as u64 & at);
    // SAFETY: as above; execveat's flags.
    let f48 = unsafe { ctx.read_at::<u64>(48) }.unwrap_or(0);
    // execveat's dirfd and flags (gone from the registers once it succeeds).
    exec_args(
        nr as u32,
        argv,
        envp,
        1 + (at & 1) as u8,
        [f16 & at, f48 & at],
    )
}

const NR_EXECVE: i32 = 59;
const NR_EXECVEAT: i32 = 322;

#[inline(always)]
fn exec_args(nr: u32, argv: u64, envp: u64, argv_arg: u8, at_args: [u64; 2]) -> u32 {
    let pid_tgid = bpf_get_current_pid_tgid();
    let tgid = (pid_tgid >> 32) as u32;
    // The started command's own execve too (it becomes a target inside it).
    if !is_target(tgid) && !EXEC_PENDING.get(0).is_some_and(|p| *p == tgid && tgid != 0) {
        return 0;
    }
    if !SPECS
        .get(nr)
        .is_some_and(|s| s.flags & spec_flags::TRACE != 0)
    {
        return 0;
    }
    let mut rec = header(kind::EXEC_ARGS, pid_tgid);
    rec.nr = nr as i32;
    rec.args[0] = argv;
    rec.args[1] = envp;
    rec.args[2] = at_args[0];
    rec.args[3] = at_args[1];
    let Some(mut b) = Builder::new(rec) else {
        return 0;
    };
    // Each loop's results go to the record and the builder is read back from it: the loops'
    // many exits then reach the code after them in the same state (verified once, not once
    // per exit).
    if argv != 0 {
        b.rec().aux = str_list(&mut b, argv_arg, argv, ARGV_MORE, ARGV_FAULT);
    }
    if envp == 0 {
        return send();
    }
    // The count in `ret`'s low half (zero from the header), how it ended in `aux`.
    let rec = b.rec();
    env_count_into(envp, (&raw mut rec.ret).cast(), &raw mut rec.aux);
    if WANT_ENV.load() != 0
        && let Some(mut b) = Builder::resume()
    {
        b.rec().aux |= str_list(&mut b, argv_arg + 1, envp, ENV_MORE, ENV_LIST_FAULT);
    }
    send()
}

/// argv or the environment at `src` as a list slot for argument `arg`; the `exec_args`
/// flags `more` and `fault` where elements were left out or the array became unreadable.
#[inline(always)]
fn str_list(b: &mut Builder, arg: u8, src: u64, more: u32, fault: u32) -> u32 {
    let (left_out, faulted) = b.user_str_list(arg, src, ARGV_STR.load());
    (if left_out { more } else { 0 }) | if faulted { fault } else { 0 }
}

/// Sends the record in the scratch buffer as it stands.
#[inline(always)]
fn send() -> u32 {
    if let Some(b) = Builder::resume() {
        b.send();
    }
    0
}

/// Counts the environment variables at `envp` (as strace counts them, up to MAX_ENV) into
/// `*count`, and ORs into `*flags` how the count ended (ENV_FAULT, ENV_CAPPED). Each exit
/// stores and returns at once: no register of the loop lives after it, so its many exits
/// converge for the verifier.
#[inline(always)]
pub fn env_count_into(envp: u64, count: *mut u32, flags: *mut u32) {
    let mut n = 0u32;
    // SAFETY (all writes): `count` and `flags` point into the scratch record.
    while n < MAX_ENV {
        // SAFETY: probe read of one user word.
        match unsafe { bpf_probe_read_user((envp + 8 * u64::from(n)) as *const u64) } {
            Ok(0) => {
                unsafe { count.write_volatile(n) };
                return;
            }
            Ok(_) => n += 1,
            Err(_) => {
                unsafe {
                    count.write_volatile(n);
                    flags.write_volatile(flags.read_volatile() | ENV_FAULT);
                }
                return;
            }
        }
    }
    unsafe {
        count.write_volatile(MAX_ENV);
        flags.write_volatile(flags.read_volatile() | ENV_CAPPED);
    }
}

/// [`tracer_common::capture::STR_LIST`], in the msghdr continuation: a failed exec's argv
/// (argument `arg`) and the size of its environment (the next argument), read at exit.
#[inline(always)]
pub fn failed_exec_lists(b: &mut Builder, arg: u8, argv: u64, envp: u64) {
    let flags = str_list(b, arg, argv, ARGV_MORE, ARGV_FAULT);
    // Read back from the record (see exec_args).
    let Some(mut b) = Builder::resume() else {
        return;
    };
    if let Some(v) = b.value_slot_ptr(arg + 1, flags)
        && envp != 0
    {
        // SAFETY: the slot's two u32s.
        env_count_into(envp, v, unsafe { v.add(1) });
    }
    send();
}
