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

/// `struct itimerval` or `struct itimerspec`: `{it_interval=..., it_value=...}`, each time
/// printed by `time`.
pub fn interval(out: &mut String, b: &[u8], time: fn(&mut String, &[u8]) -> bool) -> bool {
    b.len() >= 32 && {
        out.push_str("{it_interval=");
        time(out, &b[..16]);
        out.push_str(", it_value=");
        time(out, &b[16..32]);
        out.push('}');
        true
    }
}

/// A timeval with its date after it: `{tv_sec=1, tv_usec=2} /* 1970-01-01T00:00:01.000002+0000 */`.
pub fn timeval_dated(out: &mut String, b: &[u8]) -> bool {
    if !timeval(out, b) {
        return false;
    }
    let sec = i64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
    let usec = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    dated(out, sec, usec, 999_999, 6);
    true
}

/// ` /* 2017-04-16T13:51:18.123+0000 */` after a time of `sec` and `part` (of `digits`
/// digits, at most `max`), as strace annotates one: nothing for the epoch itself or an
/// impossible fraction, no fraction when it is zero.
pub fn dated(out: &mut String, sec: i64, part: u64, max: u64, digits: usize) {
    if (sec == 0 && part == 0) || part > max {
        return;
    }
    // No comment for a time the C library cannot convert (strace prints none either).
    let t = sec as libc::time_t;
    // SAFETY: localtime_r writes into the tm we pass and reads only `t`.
    let ok = t == sec
        && unsafe {
            let mut tm: libc::tm = std::mem::zeroed();
            !libc::localtime_r(&t, &mut tm).is_null()
        };
    if ok {
        out.push_str(" /* ");
        iso8601(out, sec, (part > 0).then_some((part, digits)));
        out.push_str(" */");
    }
}

/// `struct tms`: clock ticks, each with its seconds in a comment (not under `-X raw`):
/// `{tms_utime=30 /* 0.30 s */, ...}`.
pub fn tms(out: &mut String, b: &[u8], opts: &super::Opts) -> bool {
    if b.len() < 32 {
        return false;
    }
    let hz = clock_ticks();
    let digits = hz.ilog10() as usize;
    out.push('{');
    for (k, name) in ["tms_utime", "tms_stime", "tms_cutime", "tms_cstime"]
        .iter()
        .enumerate()
    {
        let v = u64::from_ne_bytes(b[k * 8..k * 8 + 8].try_into().unwrap_or_default());
        if k > 0 {
            out.push_str(", ");
        }
        put!(out, "{name}={v}");
        if v > 0 && opts.consts != super::Consts::Raw {
            put!(
                out,
                " /* {}.{:0digits$} s */",
                v / hz,
                v % hz * 10u64.pow(digits as u32) / hz
            );
        }
    }
    out.push('}');
    true
}

/// The kernel's clock ticks per second as user space sees them (`sysconf(_SC_CLK_TCK)`).
fn clock_ticks() -> u64 {
    // SAFETY: sysconf reads a constant.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(hz).ok().filter(|h| *h > 0).unwrap_or(100)
}

/// `struct utimbuf`: `{actime=1492350678 /* 2017-04-16T13:51:18+0000 */, modtime=...}`.
pub fn utimbuf(out: &mut String, b: &[u8]) -> bool {
    if b.len() < 16 {
        return false;
    }
    for (k, name) in ["actime", "modtime"].iter().enumerate() {
        let t = i64::from_ne_bytes(b[k * 8..k * 8 + 8].try_into().unwrap_or_default());
        put!(out, "{}{name}={t}", if k == 0 { "{" } else { ", " });
        dated(out, t, 0, 0, 0);
    }
    out.push('}');
    true
}

/// One of utimensat's times: `UTIME_NOW`, `UTIME_OMIT`, or a timespec with its date.
pub fn utime_timespec(out: &mut String, b: &[u8], opts: &super::Opts) {
    const UTIME_NOW: u64 = (1 << 30) - 1;
    const UTIME_OMIT: u64 = (1 << 30) - 2;
    let sec = i64::from_ne_bytes(b[0..8].try_into().unwrap_or_default());
    let nsec = u64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
    let special = match nsec {
        UTIME_NOW => Some("UTIME_NOW"),
        UTIME_OMIT => Some("UTIME_OMIT"),
        _ => None,
    };
    match (special, opts.consts) {
        (Some(n), super::Consts::Abbrev) => out.push_str(n),
        (Some(n), super::Consts::Verbose) => {
            timespec(out, b);
            put!(out, " /* {n} */");
        }
        (Some(_), super::Consts::Raw) => {
            timespec(out, b);
        }
        (None, _) => {
            timespec(out, b);
            dated(out, sec, nsec, 999_999_999, 9);
        }
    }
}

/// `struct timex` (x86_64), as adjtimex reads and writes it: its fields in order, the mode
/// and status as flags.
pub fn timex(out: &mut String, b: &[u8], opts: &super::Opts) -> bool {
    use super::consts;
    if b.len() < 208 {
        return false;
    }
    let l = |o: usize| i64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let w = |o: usize| i32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default());
    out.push_str("{modes=");
    consts::styled(out, w(0) as u32 as u64, &consts::ADJTIMEX_MODES, true, opts);
    put!(
        out,
        ", offset={}, freq={}, maxerror={}, esterror={}, status=",
        l(8),
        l(16),
        l(24),
        l(32)
    );
    consts::styled(
        out,
        w(40) as u32 as u64,
        &consts::ADJTIMEX_STATUS,
        true,
        opts,
    );
    put!(
        out,
        ", constant={}, precision={}, tolerance={}, time=",
        l(48),
        l(56),
        l(64)
    );
    timeval(out, &b[72..88]);
    put!(
        out,
        ", tick={}, ppsfreq={}, jitter={}, shift={}, stabil={}, jitcnt={}, calcnt={}, errcnt={}, stbcnt={}, tai={}}}",
        l(88),
        l(96),
        l(104),
        w(112),
        l(120),
        l(128),
        l(136),
        l(144),
        l(152),
        w(160)
    );
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
