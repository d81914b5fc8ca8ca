//! Socket addresses (`struct sockaddr_in`, `sockaddr_in6`, `sockaddr_un`, `sockaddr_nl`) as
//! strace prints them, and as typed values for diagnoses. Layouts: include/uapi/linux/in.h,
//! in6.h, un.h, netlink.h.
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use super::{
    Event, FdNames, Opts, arg, ptr,
    strings::{self, Hex, quote},
    xlat::{self, Xlat},
};
use crate::{
    source::Captured,
    syscalls::{Syscall, Ty},
};

pub const AF_UNIX: u16 = 1;
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;
pub const AF_NETLINK: u16 = 16;

/// A decoded socket address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SockAddr {
    Ip(SocketAddr),
    Unix(Vec<u8>),
    Netlink { pid: u32, groups: u32 },
    Other(u16),
}

/// Parses the bytes the kernel copied; `None` if they are too short for their family.
pub fn parse(b: &[u8]) -> Option<SockAddr> {
    let family = u16::from_ne_bytes(b.get(0..2)?.try_into().ok()?);
    Some(match family {
        AF_INET => {
            let port = u16::from_be_bytes(b.get(2..4)?.try_into().ok()?);
            let ip: [u8; 4] = b.get(4..8)?.try_into().ok()?;
            SockAddr::Ip(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(ip), port)))
        }
        AF_INET6 => {
            let port = u16::from_be_bytes(b.get(2..4)?.try_into().ok()?);
            let flow = u32::from_be_bytes(b.get(4..8)?.try_into().ok()?);
            let ip: [u8; 16] = b.get(8..24)?.try_into().ok()?;
            let scope = u32::from_ne_bytes(b.get(24..28)?.try_into().ok()?);
            SockAddr::Ip(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(ip),
                port,
                flow,
                scope,
            )))
        }
        AF_UNIX => SockAddr::Unix(b[2..].to_vec()),
        AF_NETLINK => SockAddr::Netlink {
            pid: u32::from_ne_bytes(b.get(4..8)?.try_into().ok()?),
            groups: u32::from_ne_bytes(b.get(8..12)?.try_into().ok()?),
        },
        f => SockAddr::Other(f),
    })
}

pub const FAMILIES: Xlat = &[
    (0, "AF_UNSPEC"),
    (1, "AF_UNIX"),
    (2, "AF_INET"),
    (10, "AF_INET6"),
    (16, "AF_NETLINK"),
    (17, "AF_PACKET"),
    (38, "AF_ALG"),
    (40, "AF_VSOCK"),
    (44, "AF_XDP"),
];

pub fn family(out: &mut String, v: u64) {
    match xlat::name_of(v, FAMILIES) {
        Some(n) => out.push_str(n),
        None => out.push_str(&format!("{v} /* AF_??? */")),
    }
}

const SOCK_TYPES: Xlat = &[
    (1, "SOCK_STREAM"),
    (2, "SOCK_DGRAM"),
    (3, "SOCK_RAW"),
    (4, "SOCK_RDM"),
    (5, "SOCK_SEQPACKET"),
    (6, "SOCK_DCCP"),
    (10, "SOCK_PACKET"),
];
const SOCK_FLAGS: Xlat = &[(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")];

/// `SOCK_STREAM|SOCK_CLOEXEC`.
pub fn sock_type(out: &mut String, v: u64) {
    xlat::value(out, v & 0xf, SOCK_TYPES);
    let rest = v & !0xf;
    if rest != 0 {
        out.push('|');
        xlat::flags(out, rest, SOCK_FLAGS);
    }
}

/// accept4's flags.
pub fn sock_flags(out: &mut String, v: u64) {
    xlat::flags(out, v, SOCK_FLAGS);
}

/// The protocol, named for the family it belongs to.
pub fn protocol(out: &mut String, family: u64, v: u64) {
    const IP: Xlat = &[
        (0, "IPPROTO_IP"),
        (1, "IPPROTO_ICMP"),
        (6, "IPPROTO_TCP"),
        (17, "IPPROTO_UDP"),
        (58, "IPPROTO_ICMPV6"),
        (132, "IPPROTO_SCTP"),
        (255, "IPPROTO_RAW"),
    ];
    const NETLINK: Xlat = &[
        (0, "NETLINK_ROUTE"),
        (4, "NETLINK_SOCK_DIAG"),
        (9, "NETLINK_AUDIT"),
        (15, "NETLINK_KOBJECT_UEVENT"),
        (16, "NETLINK_GENERIC"),
    ];
    match family as u16 {
        AF_INET | AF_INET6 => xlat::value(out, v, IP),
        AF_NETLINK => xlat::value(out, v, NETLINK),
        _ => out.push_str(&v.to_string()),
    }
}

pub fn msg_flags(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0x1, "MSG_OOB"),
        (0x2, "MSG_PEEK"),
        (0x4, "MSG_DONTROUTE"),
        (0x8, "MSG_CTRUNC"),
        (0x10, "MSG_PROXY"),
        (0x20, "MSG_TRUNC"),
        (0x40, "MSG_DONTWAIT"),
        (0x80, "MSG_EOR"),
        (0x100, "MSG_WAITALL"),
        (0x200, "MSG_FIN"),
        (0x400, "MSG_SYN"),
        (0x800, "MSG_CONFIRM"),
        (0x1000, "MSG_RST"),
        (0x2000, "MSG_ERRQUEUE"),
        (0x4000, "MSG_NOSIGNAL"),
        (0x8000, "MSG_MORE"),
        (0x10000, "MSG_WAITFORONE"),
        (0x40000, "MSG_BATCH"),
        (0x4000000, "MSG_ZEROCOPY"),
        (0x20000000, "MSG_FASTOPEN"),
        (0x40000000, "MSG_CMSG_CLOEXEC"),
    ];
    xlat::flags(out, v, T);
}

pub fn sock_level(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0, "SOL_IP"),
        (1, "SOL_SOCKET"),
        (6, "SOL_TCP"),
        (17, "SOL_UDP"),
        (41, "SOL_IPV6"),
        (263, "SOL_PACKET"),
        (270, "SOL_NETLINK"),
    ];
    xlat::value(out, v, T);
}

/// A socket option, named for its level.
/// getsockopt's value as strace prints it: by what the option is (an int `[1]`, an errno
/// `[ECONNREFUSED]`, `struct ucred`, `struct linger`), fields the length does not cover left
/// out, the address when the call failed or a length is not positive. `ulen` is the room the
/// caller gave (read at entry), the captured bytes are what the kernel wrote (`rlen` of them).
pub fn getsockopt_value(
    out: &mut String,
    addr: u64,
    (level, name): (u32, u32),
    cap: Option<&Captured>,
    ulen: Option<u32>,
    ret: i64,
    opts: &Opts,
) {
    const SOL_SOCKET: u32 = 1;
    // SO_ options whose value is an int.
    const INTS: &[u32] = &[
        1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37,
        40, 41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75,
    ];
    let Some(c) = cap.filter(|c| ret >= 0 && addr != 0 && (!c.faulted() || c.page_end())) else {
        return super::ptr(out, addr);
    };
    // The length the kernel wrote back is what the capture asked for (capped at 128).
    let rlen = c.bytes.len();
    if ulen.is_some_and(|u| u as i32 <= 0) || rlen == 0 {
        return super::ptr(out, addr);
    }
    let b = c.bytes;
    let int = |o: &mut String, b: &[u8]| {
        put!(o, "[{}]", i32::from_ne_bytes(b[..4].try_into().unwrap_or_default()));
    };
    let hex = |o: &mut String, b: &[u8]| strings::quote(o, b, b.len(), false, strings::Hex::All);
    // Fields of 4 bytes each, as far as the length reaches (a cut one in hex).
    let fields = |o: &mut String, names: &[&str], each: &dyn Fn(&mut String, usize, u32)| {
        o.push('{');
        for (k, n) in names.iter().enumerate() {
            let at = k * 4;
            if at >= b.len() {
                break;
            }
            if k > 0 {
                o.push_str(", ");
            }
            put!(o, "{n}=");
            if b.len() >= at + 4 {
                each(o, k, u32::from_ne_bytes(b[at..at + 4].try_into().unwrap_or_default()));
            } else {
                hex(o, &b[at..]);
            }
        }
        o.push('}');
    };
    match (level, name) {
        (SOL_SOCKET, 13) => fields(out, &["l_onoff", "l_linger"], &|o, _, v| {
            super::int(o, v as i32)
        }),
        (SOL_SOCKET, 17) => fields(out, &["pid", "uid", "gid"], &|o, k, v| match k {
            0 => super::int(o, v as i32),
            _ if v == u32::MAX => o.push_str("-1"),
            _ => super::int(o, v),
        }),
        (SOL_SOCKET, 4) if rlen < 4 => hex(out, b),
        (SOL_SOCKET, 4) => {
            let e = u32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
            match super::errno::lookup(e) {
                Some((n, _)) => put!(out, "[{n}]"),
                None => put!(out, "[{e}]"),
            }
        }
        (SOL_SOCKET, n) if INTS.contains(&n) && rlen >= 4 => int(out, b),
        (SOL_SOCKET, n) if INTS.contains(&n) => hex(out, b),
        _ if rlen == 4 => int(out, b),
        _ => strings::quote(out, &b[..rlen.min(opts.strsize)], opts.strsize, rlen > opts.strsize, opts.hex),
    }
}

pub fn sock_opt(out: &mut String, level: u64, v: u64) {
    const SOCKET: Xlat = &[
        (1, "SO_DEBUG"),
        (2, "SO_REUSEADDR"),
        (3, "SO_TYPE"),
        (4, "SO_ERROR"),
        (5, "SO_DONTROUTE"),
        (6, "SO_BROADCAST"),
        (7, "SO_SNDBUF"),
        (8, "SO_RCVBUF"),
        (9, "SO_KEEPALIVE"),
        (10, "SO_OOBINLINE"),
        (12, "SO_PRIORITY"),
        (13, "SO_LINGER"),
        (15, "SO_REUSEPORT"),
        (16, "SO_PASSCRED"),
        (17, "SO_PEERCRED"),
        (18, "SO_RCVLOWAT"),
        (19, "SO_SNDLOWAT"),
        (20, "SO_RCVTIMEO_OLD"),
        (21, "SO_SNDTIMEO_OLD"),
        (30, "SO_ACCEPTCONN"),
        (32, "SO_SNDBUFFORCE"),
        (33, "SO_RCVBUFFORCE"),
        (38, "SO_PROTOCOL"),
        (39, "SO_DOMAIN"),
    ];
    const TCP: Xlat = &[
        (1, "TCP_NODELAY"),
        (2, "TCP_MAXSEG"),
        (3, "TCP_CORK"),
        (4, "TCP_KEEPIDLE"),
        (5, "TCP_KEEPINTVL"),
        (6, "TCP_KEEPCNT"),
        (7, "TCP_SYNCNT"),
        (8, "TCP_LINGER2"),
        (9, "TCP_DEFER_ACCEPT"),
        (10, "TCP_WINDOW_CLAMP"),
        (11, "TCP_INFO"),
        (12, "TCP_QUICKACK"),
        (13, "TCP_CONGESTION"),
        (18, "TCP_USER_TIMEOUT"),
        (23, "TCP_FASTOPEN"),
        (25, "TCP_NOTSENT_LOWAT"),
    ];
    const IP: Xlat = &[
        (1, "IP_TOS"),
        (2, "IP_TTL"),
        (3, "IP_HDRINCL"),
        (4, "IP_OPTIONS"),
        (8, "IP_RECVTTL"),
        (10, "IP_MTU_DISCOVER"),
        (11, "IP_RECVERR"),
        (14, "IP_MTU"),
    ];
    const IPV6: Xlat = &[
        (25, "IPV6_RECVERR"),
        (26, "IPV6_V6ONLY"),
        (67, "IPV6_TCLASS"),
    ];
    let t = match level {
        1 => SOCKET,
        6 => TCP,
        0 => IP,
        41 => IPV6,
        _ => &[],
    };
    match xlat::name_of(v, t) {
        Some(n) => out.push_str(n),
        None => out.push_str(&v.to_string()),
    }
}

pub fn shutdown_how(out: &mut String, v: u64) {
    const T: Xlat = &[(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")];
    xlat::value(out, v, T);
}

/// `{msg_name=..., msg_namelen=16, msg_iov=[...], msg_iovlen=1, msg_controllen=0,
/// msg_flags=0}` from the copied header, name, iovecs and data.
pub fn msghdr(
    out: &mut String,
    hdr: &[u8],
    name: Option<&[u8]>,
    iov: Option<(&crate::source::Captured, Option<&crate::source::Captured>)>,
    total: Option<u64>,
    opts: &super::Opts,
) -> bool {
    if hdr.len() < 56 {
        return false;
    }
    let u64at = |o: usize| u64::from_ne_bytes(hdr[o..o + 8].try_into().unwrap_or_default());
    let u32at = |o: usize| u32::from_ne_bytes(hdr[o..o + 4].try_into().unwrap_or_default());
    out.push_str("{msg_name=");
    match (u64at(0), name) {
        (0, _) => out.push_str("NULL"),
        (_, Some(n)) if format(out, n) => {}
        (p, _) => out.push_str(&format!("{p:#x}")),
    }
    put!(out, ", msg_namelen={}, msg_iov=", u32at(8));
    match (u64at(16), iov) {
        (0, _) => out.push_str("NULL"),
        (_, Some((arr, data))) if !arr.faulted() => super::io::iovec(out, arr, data, total, opts),
        (p, _) => out.push_str(&format!("{p:#x}")),
    }
    put!(out, ", msg_iovlen={}", u64at(24));
    let control = u64at(32);
    if control != 0 && u64at(40) != 0 {
        put!(out, ", msg_control={control:#x}");
    }
    put!(out, ", msg_controllen={}, msg_flags=", u64at(40));
    msg_flags(out, u64::from(u32at(48)));
    out.push('}');
    true
}

fn family_name(f: u16) -> String {
    match f {
        0 => "AF_UNSPEC".into(),
        AF_UNIX => "AF_UNIX".into(),
        AF_INET => "AF_INET".into(),
        AF_INET6 => "AF_INET6".into(),
        AF_NETLINK => "AF_NETLINK".into(),
        17 => "AF_PACKET".into(),
        other => other.to_string(),
    }
}

/// strace's text: `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}`.
pub fn format(out: &mut String, b: &[u8]) -> bool {
    let Some(addr) = parse(b) else {
        return false;
    };
    match addr {
        SockAddr::Ip(SocketAddr::V4(a)) => out.push_str(&format!(
            "{{sa_family=AF_INET, sin_port=htons({}), sin_addr=inet_addr(\"{}\")}}",
            a.port(),
            a.ip()
        )),
        SockAddr::Ip(SocketAddr::V6(a)) => out.push_str(&format!(
            "{{sa_family=AF_INET6, sin6_port=htons({}), sin6_flowinfo=htonl({}), inet_pton(AF_INET6, \"{}\", &sin6_addr), sin6_scope_id={}}}",
            a.port(),
            a.flowinfo(),
            a.ip(),
            a.scope_id()
        )),
        SockAddr::Unix(path) => {
            out.push_str("{sa_family=AF_UNIX");
            let end = if path.first() == Some(&0) {
                path.len()
            } else {
                path.iter().position(|c| *c == 0).unwrap_or(path.len())
            };
            if !path.is_empty() {
                out.push_str(", sun_path=");
                if path[0] == 0 {
                    out.push('@');
                    quote(out, &path[1..end], usize::MAX, false, Hex::None);
                } else {
                    quote(out, &path[..end], usize::MAX, false, Hex::None);
                }
            }
            out.push('}');
        }
        SockAddr::Netlink { pid, groups } => out.push_str(&format!(
            "{{sa_family=AF_NETLINK, nl_pid={pid}, nl_groups={groups:08x}}}"
        )),
        SockAddr::Other(f) => put!(out, "{{sa_family={}}}", family_name(f)),
    }
    true
}

/// `127.0.0.1:8080`, `[::1]:80`, `/run/x.sock`, `@abstract`: for tables and diagnoses.
pub fn short(addr: &SockAddr) -> String {
    match addr {
        SockAddr::Ip(a) => a.to_string(),
        SockAddr::Unix(p) if p.first() == Some(&0) => {
            format!(
                "@{}",
                String::from_utf8_lossy(&p[1..]).trim_end_matches('\0')
            )
        }
        SockAddr::Unix(p) => {
            let end = p.iter().position(|c| *c == 0).unwrap_or(p.len());
            String::from_utf8_lossy(&p[..end]).into_owned()
        }
        SockAddr::Netlink { pid, .. } => format!("netlink:{pid}"),
        SockAddr::Other(f) => format!("family {}", family_name(*f)),
    }
}

/// `socket(family, type, protocol)` and `socketpair(..., [fd, fd])`: the protocol is named for
/// the family.
pub fn socket(out: &mut String, ev: &Event, sc: &Syscall, opts: &Opts, fds: &mut dyn FdNames) {
    let a = ev.rec.args;
    family(out, a[0]);
    out.push_str(", ");
    sock_type(out, a[1]);
    out.push_str(", ");
    protocol(out, a[0], a[2]);
    if let Some(i) = sc.arg_of(Ty::IntPairOut) {
        out.push_str(", ");
        arg(out, Ty::IntPairOut, a[i], i, ev, opts, fds);
    }
}

/// A `struct msghdr` (sendmsg, recvmsg) or `struct mmsghdr[]` (sendmmsg, recvmmsg) argument,
/// from what the kernel side copied: the header, its name, its iovecs and their data (for
/// mmsghdr, the data of the next messages follows the first's in the data slot).
pub fn msghdr_arg(out: &mut String, ty: Ty, v: u64, i: usize, ev: &Event, opts: &Opts) {
    let ret = ev.rec.ret;
    let a = ev.rec.args;
    let out_kind = matches!(ty, Ty::MsghdrOut | Ty::MmsghdrOut);
    let mmsg = matches!(ty, Ty::Mmsghdr | Ty::MmsghdrOut);
    let hdr = ev.str_for(i).filter(|c| !c.faulted() && v != 0);
    let Some(hdr) = hdr.filter(|_| !out_kind || ret >= 0) else {
        ptr(out, v);
        return;
    };
    let name = ev
        .str_for(i | usize::from(tracer_common::SLOT_NAME))
        .filter(|c| !c.faulted())
        .map(|c| c.bytes);
    let iov_slot = i | usize::from(tracer_common::SLOT_IOV);
    let iov = ev.str_for(iov_slot).map(|arr| {
        (
            arr,
            ev.str_for(iov_slot | usize::from(tracer_common::SLOT_CONTENTS)),
        )
    });
    if !mmsg {
        let total = out_kind.then(|| ret.max(0) as u64);
        if !msghdr(out, hdr.bytes, name, iov, total, opts) {
            ptr(out, v);
        }
        return;
    }
    // sendmmsg/recvmmsg: the headers of the messages transferred; the data of all of
    // them follows the first message's in the data slot.
    let heads: Vec<&[u8]> = hdr.bytes.chunks_exact(64).collect();
    if heads.is_empty() {
        ptr(out, v);
        return;
    }
    let msg_len =
        |h: &[u8]| u64::from(u32::from_ne_bytes(h[56..60].try_into().unwrap_or_default()));
    let contents = iov.and_then(|(_, d)| d);
    let all: &[u8] = contents.map(|c| c.bytes).unwrap_or(&[]);
    let first_len = match iov {
        Some((arr, _)) if !out_kind => arr
            .bytes
            .chunks_exact(16)
            .map(|e| u64::from_ne_bytes(e[8..16].try_into().unwrap_or_default()))
            .sum::<u64>(),
        _ => msg_len(heads[0]),
    };
    let mut pos = (first_len as usize).min(all.len());
    out.push('[');
    for (k, h) in heads.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        let mut m = String::new();
        if k == 0 {
            let total = out_kind.then(|| msg_len(h));
            msghdr(&mut m, h, name, iov, total, opts);
        } else {
            // Only the data of the later messages is copied: one iovec shows it whole.
            let n = (msg_len(h) as usize).min(all.len() - pos);
            let data = Captured {
                arg: 0,
                status: tracer_common::str_status::OK,
                bytes: &all[pos..pos + n],
            };
            pos += n;
            // Their iovec arrays are not copied: the data is shown, the lengths not.
            msghdr(&mut m, h, None, None, None, opts);
            let iov_ptr = u64::from_ne_bytes(h[16..24].try_into().unwrap_or_default());
            if iov_ptr != 0 {
                let mut d = String::new();
                strings::quote(&mut d, data.bytes, opts.strsize, false, opts.hex);
                m = m.replacen(
                    &format!("msg_iov={iov_ptr:#x}"),
                    &format!("msg_iov=[{{iov_base={d}, ...}}]"),
                    1,
                );
            }
        }
        put!(out, "{{msg_hdr={m}, msg_len={}}}", msg_len(h));
    }
    if a[2] as usize > heads.len() && ret < 0 {
        out.push_str(", ...");
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(b: &[u8]) -> String {
        let mut s = String::new();
        assert!(format(&mut s, b));
        s
    }

    #[test]
    fn inet() {
        let mut b = vec![2, 0, 0x1f, 0x90, 127, 0, 0, 5];
        b.extend([0; 8]);
        assert_eq!(
            fmt(&b),
            "{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.5\")}"
        );
        assert_eq!(short(&parse(&b).unwrap()), "127.0.0.5:8080");
    }

    #[test]
    fn inet6() {
        let mut b = vec![10, 0, 0, 80, 0, 0, 0, 0];
        let mut ip = [0u8; 16];
        ip[15] = 1;
        b.extend(ip);
        b.extend([0; 4]);
        assert_eq!(
            fmt(&b),
            "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}"
        );
    }

    #[test]
    fn unix_and_abstract() {
        let mut b = vec![1, 0];
        b.extend(b"/run/x.sock\0");
        assert_eq!(fmt(&b), "{sa_family=AF_UNIX, sun_path=\"/run/x.sock\"}");
        let mut b = vec![1, 0, 0];
        b.extend(b"abs");
        assert_eq!(fmt(&b), "{sa_family=AF_UNIX, sun_path=@\"abs\"}");
        assert_eq!(short(&parse(&b).unwrap()), "@abs");
    }

    #[test]
    fn short_or_unknown() {
        assert!(parse(&[2, 0, 1]).is_none());
        let mut s = String::new();
        assert!(!format(&mut s, &[2]));
        assert_eq!(fmt(&[17, 0, 1, 2]), "{sa_family=AF_PACKET}");
    }
}
