//! I/O values and structures: data buffers, iovecs, pollfds, epoll events, ioctl requests,
//! directory entry counts. Layouts: include/uapi/linux/uio.h, poll.h, eventpoll.h, dirent.
use super::{
    Event, FdNames, Opts,
    strings::{Hex, quote},
    xlat::{self, Xlat},
};
use crate::source::Captured;

/// A data buffer: `"..."` cut at `-s`, `...` when the call moved more than was shown.
pub fn data(out: &mut String, cap: &Captured, moved: u64, opts: &Opts, force_hex: bool) {
    let hex = if force_hex && opts.hex == Hex::None {
        Hex::All
    } else {
        opts.hex
    };
    let more = moved > cap.bytes.len() as u64 || cap.truncated();
    quote(
        out,
        cap.bytes,
        opts.strsize,
        more && cap.bytes.len() <= opts.strsize,
        hex,
    );
}

/// An extended attribute's value, `len` bytes: as [`data`], but a NUL that ends the whole
/// value is left out (`"foo\0bar"` for "foo\0bar\0").
pub fn xattr_value(out: &mut String, cap: &Captured, len: u64, opts: &Opts) {
    let whole = len as usize == cap.bytes.len() && cap.bytes.len() <= opts.strsize;
    match cap.bytes.split_last() {
        Some((0, head)) if whole => quote(out, head, opts.strsize, false, opts.hex),
        _ => data(out, cap, len, opts, false),
    }
}

/// `[{iov_base="...", iov_len=5}, ...]` from the copied array (at `addr`) and data; an
/// array that ran into an unreadable page ends where the memory does:
/// `[{...}, ... /* 0x7f... */]`.
/// How a data slot splits among the buffers of an iovec array (16-byte entries), by the
/// kernel side's rule: from each buffer at most `cap` bytes, and `room` and the call's `total`
/// in all, each buffer's copy counted against them. For each iovec: what the call moved
/// through it (`total`: readv's result; None: data written, as long as the iovecs say), and
/// the bytes of the slot copied from it (of which the first `moved` are its data).
pub fn iov_split(
    arr: &[u8],
    total: Option<u64>,
    (cap, room): (usize, usize),
) -> impl Iterator<Item = (u64, usize)> + '_ {
    let mut moved_left = total.unwrap_or(0);
    let mut left = total.map_or(room, |t| (t as usize).min(room));
    arr.chunks_exact(16).map(move |e| {
        let len = u64::from_ne_bytes(e[8..16].try_into().unwrap_or_default());
        // Data written is as long as the iovecs say (their sum may pass 2^64: EINVAL).
        let moved = match total {
            Some(_) => {
                let m = len.min(moved_left);
                moved_left -= m;
                m
            }
            None => len,
        };
        let copied = (len.min(cap as u64) as usize).min(left);
        left -= copied;
        (moved, copied)
    })
}

pub fn iovec(
    out: &mut String,
    (addr, arr): (u64, &Captured),
    data: Option<&Captured>,
    total: Option<u64>,
    opts: &Opts,
) {
    let mut pos = 0usize;
    out.push('[');
    let split = iov_split(arr.bytes, total, opts.iov);
    for (i, (e, (n, copied))) in arr.bytes.chunks_exact(16).zip(split).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        // At most -s elements, as any array (all of them with -v).
        if i >= opts.strsize && !opts.verbose {
            out.push_str("...");
            out.push(']');
            return;
        }
        let len = u64::from_ne_bytes(e[8..16].try_into().unwrap_or_default());
        out.push_str("{iov_base=");
        match data {
            // The copy stopped at a buffer it could not read: that one and the rest are
            // shown as their addresses.
            Some(d) if d.page_end() && n > 0 && pos >= d.bytes.len() => put!(
                out,
                "{:#x}",
                u64::from_ne_bytes(e[0..8].try_into().unwrap_or_default())
            ),
            Some(d) if !d.faulted() || d.page_end() => {
                let end = (pos + copied).min(d.bytes.len());
                let shown = &d.bytes[pos.min(end)..end];
                // Past what the call moved, a buffer's copy is not its data.
                let shown = &shown[..shown.len().min(n as usize)];
                let more = (shown.len() as u64) < n;
                quote(
                    out,
                    shown,
                    opts.strsize,
                    more && shown.len() <= opts.strsize,
                    opts.hex,
                );
                pos = end;
            }
            _ => out.push_str(&format!(
                "{:#x}",
                u64::from_ne_bytes(e[0..8].try_into().unwrap_or_default())
            )),
        }
        put!(out, ", iov_len={len}}}");
    }
    if arr.page_end() {
        let end = addr + (arr.bytes.len() as u64 / 16) * 16;
        put!(out, ", ... /* {end:#x} */");
    }
    out.push(']');
}

const POLL: Xlat = &[
    (0x1, "POLLIN"),
    (0x2, "POLLPRI"),
    (0x4, "POLLOUT"),
    (0x8, "POLLERR"),
    (0x10, "POLLHUP"),
    (0x20, "POLLNVAL"),
    (0x40, "POLLRDNORM"),
    (0x80, "POLLRDBAND"),
    (0x100, "POLLWRNORM"),
    (0x200, "POLLWRBAND"),
    (0x400, "POLLMSG"),
    (0x2000, "POLLRDHUP"),
];

/// poll's input: `[{fd=3, events=POLLIN}]`.
pub fn pollfds(out: &mut String, b: &[u8], count: u32, addr: u64, max: usize) {
    let count = count as usize;
    let have = b.len() / 8;
    if have == 0 && count > 0 {
        return super::ptr(out, addr);
    }
    out.push('[');
    for (i, e) in b.chunks_exact(8).take(count).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if i >= max {
            out.push_str("...");
            out.push(']');
            return;
        }
        let fd = i32::from_ne_bytes(e[0..4].try_into().unwrap_or_default());
        // The kernel ignores the events of a negative fd, and so does strace's text.
        if fd < 0 {
            put!(out, "{{fd={fd}}}");
            continue;
        }
        let ev = u16::from_ne_bytes(e[4..6].try_into().unwrap_or_default());
        put!(out, "{{fd={fd}, events=");
        xlat::flags(out, u64::from(ev), POLL);
        out.push('}');
    }
    if have < count && have < max {
        // The next element is on an unreadable page.
        put!(out, ", ... /* {:#x} */", addr.wrapping_add(8 * have as u64));
    }
    out.push(']');
}

/// poll's result: ` ([{fd=3, revents=POLLIN}])`, or ` (Timeout)`.
pub fn poll_result(b: &[u8], ret: i64) -> String {
    if ret == 0 {
        return " (Timeout)".into();
    }
    let mut s = String::from(" ([");
    let mut first = true;
    for e in b.chunks_exact(8) {
        let fd = i32::from_ne_bytes(e[0..4].try_into().unwrap_or_default());
        let rev = u16::from_ne_bytes(e[6..8].try_into().unwrap_or_default());
        if rev == 0 {
            continue;
        }
        if !first {
            s.push_str(", ");
        }
        first = false;
        put!(s, "{{fd={fd}, revents=");
        xlat::flags(&mut s, u64::from(rev), POLL);
        s.push('}');
    }
    s.push_str("])");
    s
}

const EPOLL: Xlat = &[
    (0x1, "EPOLLIN"),
    (0x2, "EPOLLPRI"),
    (0x4, "EPOLLOUT"),
    (0x8, "EPOLLERR"),
    (0x10, "EPOLLHUP"),
    (0x20, "EPOLLNVAL"),
    (0x40, "EPOLLRDNORM"),
    (0x80, "EPOLLRDBAND"),
    (0x100, "EPOLLWRNORM"),
    (0x200, "EPOLLWRBAND"),
    (0x400, "EPOLLMSG"),
    (0x2000, "EPOLLRDHUP"),
    (1 << 28, "EPOLLEXCLUSIVE"),
    (1 << 29, "EPOLLWAKEUP"),
    (1 << 30, "EPOLLONESHOT"),
    (1 << 31, "EPOLLET"),
];

/// `{events=EPOLLIN, data={u32=3, u64=3}}` for each packed 12-byte epoll_event.
pub fn epoll_events(out: &mut String, b: &[u8], array: bool) {
    if array {
        out.push('[');
    }
    for (i, e) in b.chunks_exact(12).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let ev = u32::from_ne_bytes(e[0..4].try_into().unwrap_or_default());
        let data = u64::from_ne_bytes(e[4..12].try_into().unwrap_or_default());
        out.push_str("{events=");
        xlat::flags(out, u64::from(ev), EPOLL);
        put!(out, ", data={{u32={}, u64={data}}}}}", data as u32);
    }
    if array {
        out.push(']');
    }
}

pub fn epoll_ctl_op(out: &mut String, v: u64) {
    const T: Xlat = &[
        (1, "EPOLL_CTL_ADD"),
        (2, "EPOLL_CTL_DEL"),
        (3, "EPOLL_CTL_MOD"),
    ];
    xlat::value(out, v, T);
}

/// The names of an ioctl request (several when headers give one number several names, as
/// strace prints them: `A or B`), from the kernel's UAPI headers.
pub fn ioctl_names(code: u32) -> impl Iterator<Item = &'static str> {
    use super::ioctl_names::IOCTL_NAMES;
    let from = IOCTL_NAMES.partition_point(|(c, _)| *c < code);
    IOCTL_NAMES[from..]
        .iter()
        .take_while(move |(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// The value of the request the headers name `name` (a linear search: for building tables).
pub fn ioctl_value(name: &str) -> Option<u32> {
    use super::ioctl_names::IOCTL_NAMES;
    IOCTL_NAMES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(c, _)| *c)
}

/// A request the headers name whose direction says it reads or writes memory through its
/// argument (`_IOR`/`_IOW`/`_IOWR`).
pub fn ioctl_pointer(req: u64) -> bool {
    let code = req as u32;
    code >> 30 != 0 && code >> 16 & 0x3fff != 0 && ioctl_names(code).next().is_some()
}

/// An ioctl request as strace prints it: its names, or `_IOC(dir, type, nr, size)` when no
/// header names it; in the `-X` styles, the number alone or with the text in a comment.
pub fn ioctl_request(out: &mut String, v: u64, opts: &super::Opts) {
    let code = v as u32;
    super::x_style(
        out,
        opts,
        |o| put!(o, "{code:#x}"),
        |o| {
            let mut any = false;
            for n in ioctl_names(code) {
                if any {
                    o.push_str(" or ");
                }
                o.push_str(n);
                any = true;
            }
            if !any {
                ioc(o, code);
            }
        },
    );
}

/// `_IOC(_IOC_READ|_IOC_WRITE, 0x49, 0xed, 0x3eed)`: a request's fields (x86_64's layout: nr
/// 8 bits, type 8, size 14, direction 2; the four directions all have names).
fn ioc(out: &mut String, code: u32) {
    let dir = code >> 30;
    out.push_str("_IOC(");
    match dir {
        0 => out.push_str("_IOC_NONE"),
        1 => out.push_str("_IOC_WRITE"),
        2 => out.push_str("_IOC_READ"),
        _ => out.push_str("_IOC_READ|_IOC_WRITE"),
    }
    let hex = |o: &mut String, v: u32| super::number(o, u64::from(v), super::Num::Hex);
    out.push_str(", ");
    hex(out, code >> 8 & 0xff);
    out.push_str(", ");
    hex(out, code & 0xff);
    out.push_str(", ");
    hex(out, code >> 16 & 0x3fff);
    out.push(')');
}

/// A getdents buffer of `len` bytes as strace prints it: under `-v` the entries
/// (`[{d_ino=2, d_off=1, d_reclen=24, d_type=DT_DIR, d_name="."}]`; the old getdents names
/// d_type last), else the address and `/* 12 entries */`. False when not all was copied.
pub fn dirents(
    out: &mut String,
    b: &[u8],
    len: usize,
    addr: u64,
    old: bool,
    verbose: bool,
) -> bool {
    const TYPES: Xlat = &[
        (0, "DT_UNKNOWN"),
        (1, "DT_FIFO"),
        (2, "DT_CHR"),
        (4, "DT_DIR"),
        (6, "DT_BLK"),
        (8, "DT_REG"),
        (10, "DT_LNK"),
        (12, "DT_SOCK"),
        (14, "DT_WHT"),
    ];
    if b.len() < len {
        return false;
    }
    let head = if old { 18 } else { 19 };
    let (mut off, mut n) = (0usize, 0usize);
    let mut text = String::new();
    while len - off >= head {
        let e = &b[off..len];
        let u64at = |o: usize| u64::from_ne_bytes(e[o..o + 8].try_into().unwrap_or_default());
        let reclen = usize::from(u16::from_ne_bytes([e[16], e[17]]));
        if reclen < head || reclen > e.len() {
            return false;
        }
        n += 1;
        if verbose {
            text.push_str(if n == 1 { "[" } else { ", " });
            put!(
                text,
                "{{d_ino={}, d_off={}, d_reclen={reclen}",
                u64at(0),
                u64at(8)
            );
            let dtype = |t: &mut String, at: usize| {
                t.push_str(", d_type=");
                super::xlat::value(t, u64::from(e[at]), TYPES);
            };
            // The name: up to its NUL, at most the record's room for it.
            let name = |t: &mut String, from: usize, room: usize| {
                let s = &e[from..from + room];
                let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
                t.push_str(", d_name=");
                super::strings::quote(t, s, usize::MAX, false, super::strings::Hex::None);
            };
            if old {
                if reclen > head + 1 {
                    name(&mut text, head, reclen - head - 2);
                }
                if reclen > head {
                    dtype(&mut text, reclen - 1);
                }
            } else {
                dtype(&mut text, 18);
                if reclen > head {
                    name(&mut text, head, reclen - head - 1);
                }
            }
            text.push('}');
        }
        off += reclen;
    }
    if verbose {
        out.push_str(if n == 0 { "[]" } else { &text });
        if n > 0 {
            out.push(']');
        }
    } else {
        super::ptr(out, addr);
        put!(
            out,
            " /* {n}{} entries */",
            if off < len { "+" } else { "" }
        );
    }
    true
}

/// `FICLONE`, which strace names with its btrfs alias.
const FICLONE: u32 = 0x40049409;

/// ioctls whose arguments print differently from `fd, REQUEST, 0x...`; false for the others.
pub fn ioctl(out: &mut String, ev: &Event) -> bool {
    let a = ev.rec.args;
    if a[1] as u32 != FICLONE {
        return false;
    }
    out.push_str(&format!(
        "{}, BTRFS_IOC_CLONE or FICLONE, {}",
        a[0] as i32, a[2] as i32
    ));
    true
}

/// poll/ppoll's result: the ready fds and their events, and ppoll's time left.
pub fn poll_ret(out: &mut String, ev: &Event, ppoll: bool) {
    let fds = ev.str_for(0).map(|c| c.bytes).unwrap_or(&[]);
    let mut note = poll_result(fds, ev.rec.ret);
    if ppoll && ev.rec.ret > 0 && ev.rec.args[2] != 0 {
        // ` ([...])` becomes ` ([...], left {...})`.
        note.pop();
        note.push_str(if note.len() > 2 { ", left " } else { "left " });
        time_left(&mut note, ev, 2, super::time::timespec);
        note.push(')');
    }
    out.push_str(&note);
}

/// A timeout's value at exit (the time left), or its address when it could not be read.
pub fn time_left(out: &mut String, ev: &Event, arg: usize, f: fn(&mut String, &[u8]) -> bool) {
    let mut s = String::new();
    match super::inout(ev.str_for(arg)).and_then(|(exit, _)| exit) {
        Some(b) if f(&mut s, b) => out.push_str(&s),
        _ => super::ptr(out, ev.rec.args[arg]),
    }
}

/// An fd set's fds below `nfds`: `[3 4]`, each fd named under `-y`.
pub fn fd_set(out: &mut String, b: &[u8], nfds: usize, mut fds: Option<&mut dyn FdNames>) {
    out.push('[');
    let mut first = true;
    for fd in set_bits(b, nfds) {
        if !first {
            out.push(' ');
        }
        first = false;
        match fds.as_deref_mut() {
            Some(f) => super::fd_text(out, fd as i32, f),
            None => put!(out, "{fd}"),
        }
    }
    out.push(']');
}

/// The set bits of an fd set (native-endian longs), below `nfds`.
fn set_bits(b: &[u8], nfds: usize) -> impl Iterator<Item = usize> + '_ {
    (0..nfds.min(b.len() * 8)).filter(move |j| b[j / 8] & (1 << (j % 8)) != 0)
}

/// select/pselect6's result: `(Timeout)`, or the ready fds of each set at exit and the time
/// left (`(in [3], out [4], left {tv_sec=1, tv_usec=0})`), as strace builds it.
pub fn select_note(out: &mut String, ev: &Event, time: fn(&mut String, &[u8]) -> bool) {
    let (a, ret) = (ev.rec.args, ev.rec.ret);
    if ret < 0 {
        return;
    }
    if ret == 0 {
        out.push_str(" (Timeout)");
        return;
    }
    let nfds = super::nfds(a[0]);
    let mut ready = ret;
    let mut s = String::new();
    let mut sep = "";
    for (i, name) in ["in", "out", "except"].iter().enumerate() {
        if ready <= 0 {
            break;
        }
        let Some(set) = (a[i + 1] != 0)
            .then(|| super::inout(ev.str_for(i + 1)).and_then(|(exit, _)| exit))
            .flatten()
        else {
            continue;
        };
        let mut first = true;
        for j in set_bits(set, nfds) {
            if first {
                put!(s, "{sep}{name} [{j}");
                first = false;
                sep = ", ";
            } else {
                put!(s, " {j}");
            }
            ready -= 1;
            if ready == 0 {
                break;
            }
        }
        if !s.is_empty() {
            s.push(']');
        }
    }
    if a[4] != 0 {
        put!(s, "{sep}left ");
        time_left(&mut s, ev, 4, time);
    }
    put!(out, " ({s})");
}

/// `struct mq_attr`: `{mq_flags=O_NONBLOCK, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}`.
pub fn mq_attr(out: &mut String, b: &[u8], flags: bool) -> bool {
    if b.len() < 32 {
        return false;
    }
    let l = |k: usize| i64::from_ne_bytes(b[k * 8..k * 8 + 8].try_into().unwrap_or_default());
    out.push_str("{mq_flags=");
    // O_NONBLOCK is the one flag a queue has; mq_open ignores the field (hex).
    if flags {
        super::consts::flags(out, l(0) as u64, &super::consts::MQ_FLAGS);
    } else {
        put!(out, "{:#x}", l(0) as u64);
    }
    put!(
        out,
        ", mq_maxmsg={}, mq_msgsize={}, mq_curmsgs={}}}",
        l(1),
        l(2),
        l(3)
    );
    true
}

/// io_uring_setup's `struct io_uring_params`: what the caller gave, and on success what the
/// kernel filled in (the rings' sizes, the features, the offsets).
pub fn uring_params(out: &mut String, b: &[u8], ok: bool, fds: &mut dyn super::FdNames) -> bool {
    use super::consts::{IORING_FEATURES, IORING_SETUP_FLAGS, flags};
    if b.len() < 120 {
        return false;
    }
    let w = |k: usize| u32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
    let q = |k: usize| u64::from_ne_bytes(b[k..k + 8].try_into().unwrap_or_default());
    out.push_str("{flags=");
    flags(out, u64::from(w(8)), &IORING_SETUP_FLAGS);
    out.push_str(", sq_thread_cpu=");
    super::fs::c_hex(out, u64::from(w(12)));
    put!(out, ", sq_thread_idle={}", w(16));
    if w(8) & 0x20 != 0 {
        out.push_str(", wq_fd=");
        super::fd_text(out, w(24) as i32, fds);
    }
    if (28..40).step_by(4).any(|k| w(k) != 0) {
        put!(out, ", resv=[{:#x}, {:#x}, {:#x}]", w(28), w(32), w(36));
    }
    if ok {
        put!(out, ", sq_entries={}, cq_entries={}, features=", w(0), w(4));
        flags(out, u64::from(w(20)), &IORING_FEATURES);
        // The two offset structures: seven u32 fields each, then resv1 (u32) and resv2 (u64).
        for (at, name, fields) in [
            (
                40,
                "sq_off",
                [
                    "head",
                    "tail",
                    "ring_mask",
                    "ring_entries",
                    "flags",
                    "dropped",
                    "array",
                ],
            ),
            (
                80,
                "cq_off",
                [
                    "head",
                    "tail",
                    "ring_mask",
                    "ring_entries",
                    "overflow",
                    "cqes",
                    "flags",
                ],
            ),
        ] {
            put!(out, ", {name}={{");
            for (k, f) in fields.iter().enumerate() {
                put!(
                    out,
                    "{}{f}={}",
                    if k > 0 { ", " } else { "" },
                    w(at + 4 * k)
                );
            }
            if w(at + 28) != 0 {
                put!(out, ", resv1={:#x}", w(at + 28));
            }
            if q(at + 32) != 0 {
                put!(out, ", resv2={:#x}", q(at + 32));
            }
            out.push('}');
        }
    }
    out.push('}');
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iovs(lens: &[u64]) -> Vec<u8> {
        lens.iter()
            .flat_map(|&l| [0x1000u64.to_ne_bytes(), l.to_ne_bytes()].concat())
            .collect()
    }

    /// The kernel side's rule: `-s`+1 bytes at most from each buffer, the slot and (for a
    /// read) the result in all, each buffer's copy counted; captures made before it shared
    /// one budget (the snaplen) among the buffers.
    #[test]
    fn iovec_data_splits_as_the_kernel_side_copied_it() {
        let arr = iovs(&[8, 7, 6, 0, 2]);
        let split = |total, cap| iov_split(&arr, total, cap).collect::<Vec<_>>();
        // writev, -s 7: each buffer up to 8 bytes.
        assert_eq!(
            split(None, (8, 4095)),
            [(8, 8), (7, 7), (6, 6), (0, 0), (2, 2)]
        );
        // readv that moved 16 bytes: the copies still count each buffer's cap, the moved
        // bytes say which of them are data.
        assert_eq!(
            split(Some(16), (4, 4095)),
            [(8, 4), (7, 4), (1, 4), (0, 0), (0, 2)]
        );
        // The result bounds the copy too: 10 bytes in all.
        assert_eq!(
            split(Some(10), (8, 4095)),
            [(8, 8), (2, 2), (0, 0), (0, 0), (0, 0)]
        );
        // An old capture: one budget of 12 bytes, the first buffers take it.
        assert_eq!(
            split(None, (usize::MAX, 12)),
            [(8, 8), (7, 4), (6, 0), (0, 0), (2, 0)]
        );
    }
    use tracer_common::str_status;

    fn cap(b: &[u8]) -> Captured<'_> {
        Captured {
            arg: 1,
            status: str_status::OK,
            bytes: b,
        }
    }

    #[test]
    fn data_buffers() {
        let o = Opts::default();
        let mut s = String::new();
        data(&mut s, &cap(b"hello\n"), 6, &o, false);
        assert_eq!(s, "\"hello\\n\"");
        let mut s = String::new();
        data(&mut s, &cap(&[b'a'; 32]), 100, &o, false);
        assert_eq!(s, format!("\"{}\"...", "a".repeat(32)));
        let mut s = String::new();
        data(&mut s, &cap(&[0x8f, 0x01]), 2, &o, true);
        assert_eq!(s, "\"\\x8f\\x01\"");
    }

    #[test]
    fn iovecs() {
        let mut arr = Vec::new();
        for (b, l) in [(0x1000u64, 5u64), (0x2000, 1)] {
            arr.extend(b.to_ne_bytes());
            arr.extend(l.to_ne_bytes());
        }
        let mut s = String::new();
        iovec(
            &mut s,
            (0x5000, &cap(&arr)),
            Some(&cap(b"hello\n")),
            None,
            &Opts::default(),
        );
        assert_eq!(
            s,
            "[{iov_base=\"hello\", iov_len=5}, {iov_base=\"\\n\", iov_len=1}]"
        );
        // An array cut by an unreadable page after its first iovec: where the memory ends.
        let cut = Captured {
            status: str_status::PAGE_END,
            ..cap(&arr[..16])
        };
        s.clear();
        iovec(
            &mut s,
            (0x5000, &cut),
            Some(&cap(b"hello")),
            None,
            &Opts::default(),
        );
        assert_eq!(s, "[{iov_base=\"hello\", iov_len=5}, ... /* 0x5010 */]");
    }

    #[test]
    fn polls_and_epoll() {
        let mut b = Vec::new();
        b.extend(3i32.to_ne_bytes());
        b.extend(1u16.to_ne_bytes());
        b.extend(1u16.to_ne_bytes());
        let mut s = String::new();
        pollfds(&mut s, &b, 1, 0x1000, 32);
        assert_eq!(s, "[{fd=3, events=POLLIN}]");
        // Two wanted, one readable before the page's end; three wanted with -s 1.
        let mut s = String::new();
        pollfds(&mut s, &b, 2, 0x1ff8, 32);
        assert_eq!(s, "[{fd=3, events=POLLIN}, ... /* 0x2000 */]");
        let two = [b.clone(), b.clone()].concat();
        let mut s = String::new();
        pollfds(&mut s, &two, 3, 0x1000, 1);
        assert_eq!(s, "[{fd=3, events=POLLIN}, ...]");
        assert_eq!(poll_result(&b, 1), " ([{fd=3, revents=POLLIN}])");
        assert_eq!(poll_result(&b, 0), " (Timeout)");
        let mut e = Vec::new();
        e.extend(1u32.to_ne_bytes());
        e.extend(3u64.to_ne_bytes());
        let mut s = String::new();
        epoll_events(&mut s, &e, true);
        assert_eq!(s, "[{events=EPOLLIN, data={u32=3, u64=3}}]");
    }
}
