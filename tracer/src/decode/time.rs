//! Clocks and times: clock ids (include/uapi/linux/time.h) and `struct timespec`.
use super::{
    int,
    xlat::{self, Xlat},
};

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
    match xlat::name_of(v, T) {
        Some(n) => out.push_str(n),
        None => super::consts::unknown(out, v, "CLOCK_???"),
    }
}

/// `{tv_sec=1, tv_nsec=500000000}`.
pub fn timespec(out: &mut String, b: &[u8]) -> bool {
    seconds_and(out, b, "tv_nsec")
}

/// `{tv_sec=1, tv_usec=500000}`.
pub fn timeval(out: &mut String, b: &[u8]) -> bool {
    seconds_and(out, b, "tv_usec")
}

/// A signed `tv_sec` and its fraction, named `frac`: strace prints the fraction unsigned (a
/// bad value shows as the kernel reads it).
fn seconds_and(out: &mut String, b: &[u8], frac: &str) -> bool {
    if b.len() < 16 {
        return false;
    }
    let sec = i64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
    let f = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    put!(out, "{{tv_sec={sec}, {frac}={f}}}");
    true
}

/// A timeval with its date after it: `{tv_sec=1, tv_usec=2} /* 1970-01-01T00:00:01.000002+0000 */`.
pub fn timeval_dated(out: &mut String, b: &[u8]) -> bool {
    if !timeval(out, b) {
        return false;
    }
    let sec = i64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
    let usec = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    if usec < 1_000_000 {
        out.push_str(" /* ");
        iso8601(out, sec, Some((usec, 6)));
        out.push_str(" */");
    }
    true
}

/// A time as strace annotates one: `2026-11-27T03:02:57+0000` in the local time zone, with
/// a fraction of a second when given (its value and digits: microseconds are `(usec, 6)`).
pub fn iso8601(out: &mut String, secs: i64, fraction: Option<(u64, usize)>) {
    let t = secs as libc::time_t;
    // SAFETY: localtime_r writes into the tm we pass and reads only `t`.
    let (tm, ok) = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        let ok = !libc::localtime_r(&t, &mut tm).is_null();
        (tm, ok)
    };
    if !ok {
        return int(out, secs);
    }
    put!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        i64::from(tm.tm_year) + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    );
    if let Some((f, digits)) = fraction {
        put!(out, ".{f:0digits$}");
    }
    let off = tm.tm_gmtoff / 60;
    put!(
        out,
        "{}{:02}{:02}",
        if off < 0 { '-' } else { '+' },
        off.abs() / 60,
        off.abs() % 60
    );
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
