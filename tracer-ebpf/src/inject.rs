//! `-e inject=SET:signal=SIG`: the signal is sent at the injected call's exit, from
//! `sys_exit`, to the thread that made it (`bpf_send_signal_thread`), where strace delivers
//! it too. Two sources: the tracer's one-shot `INJECT_NOW` entries for calls it answered
//! through its seccomp listener (commands it started), and the kernel's own count of
//! `INJECT_RULES` (`-p` targets, which cannot be given a seccomp filter from outside).
use aya_ebpf::{
    Global,
    helpers::generated::bpf_send_signal_thread,
    macros::map,
    maps::{Array, HashMap, LruHashMap},
};
use tracer_common::{InjectCount, InjectRule, SPEC_SLOTS};

/// Set by userspace: 1 = `INJECT_NOW` is in use, 2 = `INJECT_RULES` is.
#[unsafe(no_mangle)]
pub static INJECT_SIGNALS: Global<u32> = Global::new(0);

/// Thread id -> the signal to send at the exit of the call it is in (the tracer writes it
/// before answering the call's notification; the exit takes it).
#[map]
pub static INJECT_NOW: HashMap<u32, u32> = HashMap::with_max_entries(4096, 0);

/// Per syscall slot: the signal rule counted in the kernel.
#[map]
pub static INJECT_RULES: Array<InjectRule> = Array::with_max_entries(SPEC_SLOTS, 0);

/// (tid << 32 | slot) -> the thread's running count for the slot's rule.
#[map]
static INJECT_COUNTS: LruHashMap<u64, InjectCount> = LruHashMap::with_max_entries(16384, 0);

/// At the exit of call `slot` by thread `tid` (a target): sends the signal injected into it.
#[inline(always)]
pub fn at_exit(tid: u32, slot: u32) {
    let mode = INJECT_SIGNALS.load();
    if mode & 1 != 0 {
        // SAFETY: a copy of the value is taken before the entry is removed.
        if let Some(sig) = unsafe { INJECT_NOW.get(tid) }.copied() {
            let _ = INJECT_NOW.remove(tid);
            // SAFETY: helper with a plain integer argument; it signals the current thread.
            unsafe { bpf_send_signal_thread(sig) };
            return;
        }
    }
    if mode & 2 == 0 {
        return;
    }
    let Some(rule) = INJECT_RULES.get(slot) else {
        return;
    };
    if rule.sig == 0 {
        return;
    }
    let key = (u64::from(tid) << 32) | u64::from(slot);
    let count = match INJECT_COUNTS.get_ptr_mut(key) {
        Some(p) => p,
        None => {
            let _ = INJECT_COUNTS.insert(key, InjectCount::new(rule), 0);
            match INJECT_COUNTS.get_ptr_mut(key) {
                Some(p) => p,
                None => return,
            }
        }
    };
    // SAFETY: a live map value; a thread's calls exit one at a time, so nothing else writes
    // this key meanwhile.
    if unsafe { (*count).fires(rule.step) } {
        // SAFETY: as above.
        unsafe { bpf_send_signal_thread(rule.sig) };
    }
}
