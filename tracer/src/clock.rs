//! Clocks: the kernel stamps records with CLOCK_MONOTONIC (`bpf_ktime_get_ns`); lines show
//! wall-clock time.

fn now(clk: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into ts.
    unsafe { libc::clock_gettime(clk, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

pub fn monotonic_ns() -> u64 {
    now(libc::CLOCK_MONOTONIC)
}

/// Kernel monotonic ns to wall-clock ns, with the offset measured once at start-up.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    offset: u64,
}

impl Clock {
    pub fn new() -> Self {
        Self {
            offset: now(libc::CLOCK_REALTIME).saturating_sub(monotonic_ns()),
        }
    }

    /// The clock of another run (a capture's header).
    pub fn with_offset(offset: u64) -> Self {
        Self { offset }
    }

    /// Wall-clock ns minus monotonic ns.
    pub fn offset(self) -> u64 {
        self.offset
    }

    /// Wall-clock ns of a kernel timestamp; None for 0 (the record carries no time).
    pub fn wall(self, kernel_ns: u64) -> Option<u64> {
        (kernel_ns != 0).then(|| kernel_ns.wrapping_add(self.offset))
    }

    /// Wall-clock ns now.
    pub fn now(self) -> u64 {
        monotonic_ns() + self.offset
    }
}
