//! Target selection: the tracer itself is never traced; `-a` traces everyone; otherwise the
//! tgid must be set in the `TARGETS` bitmap (an array lookup, inlined by the verifier).
use tracer_common::TARGET_WORDS;

use crate::maps::{SELF_TGID, TARGETS, TRACE_ALL};

#[inline(always)]
pub fn is_target(tgid: u32) -> bool {
    if tgid == SELF_TGID.load() {
        return false;
    }
    if TRACE_ALL.load() != 0 {
        return true;
    }
    in_bitmap(tgid)
}

#[inline(always)]
pub fn in_bitmap(tgid: u32) -> bool {
    match TARGETS.get(tgid >> 6) {
        Some(word) => *word & (1u64 << (tgid & 63)) != 0,
        None => false,
    }
}

#[inline(always)]
pub fn set_target(tgid: u32, on: bool) {
    if tgid >> 6 >= TARGET_WORDS {
        return;
    }
    if let Some(word) = TARGETS.get_ptr_mut(tgid >> 6) {
        let bit = 1u64 << (tgid & 63);
        // SAFETY: `word` points to a live u64 map value. BPF atomic instructions (no atomic
        // RMW in `core` for this target): forks on other CPUs may update the same word.
        unsafe {
            if on {
                core::arch::asm!("lock *(u64 *)({0} + 0) |= {1}", in(reg) word, in(reg) bit);
            } else {
                core::arch::asm!("lock *(u64 *)({0} + 0) &= {1}", in(reg) word, in(reg) !bit);
            }
        }
    }
}

/// `*p += v` as one BPF atomic instruction.
#[inline(always)]
pub fn atomic_add(p: *mut u64, v: u64) {
    // SAFETY: `p` points to a live u64 map value.
    unsafe { core::arch::asm!("lock *(u64 *)({0} + 0) += {1}", in(reg) p, in(reg) v) };
}
