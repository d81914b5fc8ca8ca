//! Clocks and times: clock ids (include/uapi/linux/time.h) and `struct timespec`.
use super::xlat::{self, Xlat};

pub fn clock_id(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0, "CLOCK_REALTIME"),
        (1, "CLOCK_MONOTONIC"),
        (2, "CLOCK_PROCESS_CPUTIME_ID"),
        (3, "CLOCK_THREAD_CPUTIME_ID"),
        (4, "CLOCK_MONOTONIC_RAW"),
        (5, "CLOCK_REALTIME_COARSE"),
        (6, "CLOCK_MONOTONIC_COARSE"),
        (7, "CLOCK_BOOTTIME"),
        (8, "CLOCK_REALTIME_ALARM"),
        (9, "CLOCK_BOOTTIME_ALARM"),
        (11, "CLOCK_TAI"),
    ];
    xlat::value(out, v, T);
}

/// `{tv_sec=1, tv_nsec=500000000}`.
pub fn timespec(out: &mut String, b: &[u8]) -> bool {
    if b.len() < 16 {
        return false;
    }
    let sec = i64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
    // strace prints the nanoseconds unsigned (a bad value shows as the kernel will read it).
    let nsec = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    put!(out, "{{tv_sec={sec}, tv_nsec={nsec}}}");
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn clocks_and_times() {
        let mut s = String::new();
        super::clock_id(&mut s, 1);
        assert_eq!(s, "CLOCK_MONOTONIC");
        let mut b = 1i64.to_ne_bytes().to_vec();
        b.extend(5i64.to_ne_bytes());
        let mut s = String::new();
        assert!(super::timespec(&mut s, &b));
        assert_eq!(s, "{tv_sec=1, tv_nsec=5}");
    }
}
