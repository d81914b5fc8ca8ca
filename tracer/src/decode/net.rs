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

pub fn family(out: &mut String, v: u64) {
    match xlat::name_of(v, super::sockaddr_consts::ADDRFAMS) {
        Some(n) => out.push_str(n),
        None => out.push_str(&format!("{v} /* AF_??? */")),
    }
}

const SOCK_FLAGS: Xlat = &[(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")];

/// `SOCK_STREAM|SOCK_CLOEXEC`.
pub fn sock_type(out: &mut String, v: u64) {
    xlat::value(out, v & 0xf, super::sockaddr_consts::SOCKTYPES);
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
    match xlat::name_of(v & 0xffff_ffff, SOL_LEVELS) {
        Some(n) => out.push_str(n),
        None => super::consts::unknown(out, v & 0xffff_ffff, "SOL_??"),
    }
}

/// SOL_SOCKET options whose value is an int (get and set alike).
const INTS: &[u32] = &[
    1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37, 40,
    41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75,
];

/// getsockopt's value as strace prints it: by what the option is (an int `[1]`, an errno
/// `[ECONNREFUSED]`, `struct ucred`, `struct linger`), fields the length does not cover left
/// out, the address when the call failed or a length is not positive. `ulen` is the room the
/// caller gave (read at entry), the captured bytes are what the kernel wrote (`rlen` of them).
pub fn getsockopt_value(
    out: &mut String,
    (addr, ret): (u64, i64),
    (level, name): (u32, u32),
    cap: Option<&Captured>,
    (ulen, rlen): (Option<u32>, Option<u32>),
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    const SOL_SOCKET: u32 = 1;
    let Some(c) = cap.filter(|c| ret >= 0 && addr != 0 && (!c.faulted() || c.page_end())) else {
        return super::ptr(out, addr);
    };
    // The length the kernel wrote back (else what was captured: at most 128 bytes).
    let rlen = rlen.map_or(c.bytes.len(), |r| r as i32 as isize as usize);
    if ulen.is_some_and(|u| u as i32 <= 0) || rlen == 0 || rlen > i32::MAX as usize {
        return super::ptr(out, addr);
    }
    // The bytes the kernel wrote, as far as they were read (an unreadable page may cut them:
    // each kind below needs its own part).
    // SO_GET_FILTER: the socket's filter program, `rlen` instructions (under -v).
    if (level, name) == (SOL_SOCKET, 26) {
        return super::process::bpf_program(
            out,
            addr,
            rlen,
            &c.bytes[..c.bytes.len().min(rlen.saturating_mul(8))],
            c.page_end(),
            super::process::BpfProg::Socket,
            opts,
        );
    }
    let b = &c.bytes[..c.bytes.len().min(rlen)];
    let size = match (level, name) {
        (SOL_SOCKET, 13) => 8,
        (SOL_SOCKET, 17) => 12,
        (SOL_SOCKET, n) if (n == 4 || n == 74 || INTS.contains(&n)) && rlen >= 4 => 4,
        (255, 1) => rlen.min(4),
        _ if rlen == 4 => 4,
        _ => rlen.min(opts.strsize),
    };
    if b.len() < size.min(rlen) {
        return super::ptr(out, addr);
    }
    let int = |o: &mut String, b: &[u8]| {
        put!(
            o,
            "[{}]",
            i32::from_ne_bytes(b[..4].try_into().unwrap_or_default())
        );
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
                each(
                    o,
                    k,
                    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap_or_default()),
                );
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
        (SOL_SOCKET, 17) => {
            // The peer's pid as the caller names it (translated across PID namespaces).
            let mut pid = String::new();
            if b.len() >= 4 {
                let p = i32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                super::pid(&mut pid, i64::from(p), opts, fds);
            }
            fields(out, &["pid", "uid", "gid"], &|o, k, v| match k {
                0 => o.push_str(&pid),
                _ if v == u32::MAX => o.push_str("-1"),
                _ => super::int(o, v),
            })
        }
        (SOL_SOCKET, 4 | 74) if rlen < 4 => hex(out, b),
        (SOL_SOCKET, 74) => txrehash(out, b, opts),
        (255, 1) => icmp_filter(out, b, rlen),
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
        _ => strings::quote(
            out,
            &b[..rlen.min(opts.strsize)],
            opts.strsize,
            rlen > opts.strsize,
            opts.hex,
        ),
    }
}

/// An interface index as strace prints one: `if_nametoindex("lo")` when it names an
/// interface here, else the number.
pub(super) fn ifindex_text(out: &mut String, ifindex: impl Into<i64>) {
    let ifindex: i64 = ifindex.into();
    let mut name = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: the buffer has IF_NAMESIZE bytes, as if_indextoname requires.
    let found = (1..=i64::from(u32::MAX)).contains(&ifindex)
        && unsafe { !libc::if_indextoname(ifindex as u32, name.as_mut_ptr()).is_null() };
    if found {
        // SAFETY: if_indextoname wrote a NUL-terminated name into the buffer.
        let n = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
        put!(out, "if_nametoindex(\"{}\")", n.to_string_lossy());
    } else {
        super::int(out, ifindex);
    }
}

/// ICMP_FILTER's `struct icmp_filter`: the ICMP types it filters as a set, `~[...]` when more
/// than half the bits are set (the ones not set). `len` bytes of it are the caller's (at most
/// 4), the rest as the kernel starts it: all ones.
fn icmp_filter(out: &mut String, b: &[u8], len: usize) {
    const TYPES: Xlat = &[
        (0, "ICMP_ECHOREPLY"),
        (3, "ICMP_DEST_UNREACH"),
        (4, "ICMP_SOURCE_QUENCH"),
        (5, "ICMP_REDIRECT"),
        (8, "ICMP_ECHO"),
        (11, "ICMP_TIME_EXCEEDED"),
        (12, "ICMP_PARAMETERPROB"),
        (13, "ICMP_TIMESTAMP"),
        (14, "ICMP_TIMESTAMPREPLY"),
        (15, "ICMP_INFO_REQUEST"),
        (16, "ICMP_INFO_REPLY"),
        (17, "ICMP_ADDRESS"),
        (18, "ICMP_ADDRESSREPLY"),
    ];
    let mut word = [0xffu8; 4];
    let n = len.min(4).min(b.len());
    word[..n].copy_from_slice(&b[..n]);
    let mut v = u32::from_ne_bytes(word);
    if v.count_ones() > 16 {
        out.push('~');
        v = !v;
    }
    out.push('[');
    for bit in (0..32).filter(|k| v & (1 << k) != 0) {
        if !out.ends_with('[') {
            out.push(' ');
        }
        match xlat::name_of(bit, TYPES) {
            Some(name) => out.push_str(name),
            None => super::consts::unknown(out, bit, "ICMP_???"),
        }
    }
    out.push(']');
}

/// SO_TXREHASH's value: `[SOCK_TXREHASH_ENABLED]` (in the `-X` style).
fn txrehash(out: &mut String, b: &[u8], opts: &Opts) {
    let v = i32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
    let name = match v {
        0 => Some("SOCK_TXREHASH_DISABLED"),
        1 => Some("SOCK_TXREHASH_ENABLED"),
        255 => Some("SOCK_TXREHASH_DEFAULT"),
        _ => None,
    };
    out.push('[');
    match name {
        Some(n) => super::styled(out, opts, |o| super::int(o, v), |o| o.push_str(n)),
        None if opts.consts == super::Consts::Raw => super::int(out, v),
        None => put!(out, "{v} /* SOCK_TXREHASH_??? */"),
    }
    out.push(']');
}

/// setsockopt's value as strace prints it: by what the option is (an int `[1]`, `struct
/// linger`, `struct ip_mreq`), the address when `len` is too short for it or it cannot be
/// read; otherwise an int when `len` is 4, else the bytes as a string.
pub fn setsockopt_value(
    out: &mut String,
    addr: u64,
    (level, name): (u32, u32),
    cap: Option<&Captured>,
    len: i32,
    opts: &Opts,
) {
    // The bytes read, as far as they go.
    let bytes = cap
        .filter(|c| addr != 0 && (!c.faulted() || c.page_end()))
        .map(|c| c.bytes);
    let need = |n: usize| bytes.filter(|b| b.len() >= n && len >= n as i32);
    let int = |o: &mut String| match need(4) {
        Some(b) => put!(
            o,
            "[{}]",
            i32::from_ne_bytes(b[..4].try_into().unwrap_or_default())
        ),
        None => ptr(o, addr),
    };
    match (level, name) {
        _ if addr == 0 => ptr(out, addr),
        (1, 13) => match need(8) {
            Some(b) => {
                let w = |k: usize| i32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
                put!(out, "{{l_onoff={}, l_linger={}}}", w(0), w(4));
            }
            None => ptr(out, addr),
        },
        // SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF: a struct sock_fprog (its program under
        // -v); another length, the address.
        (1, 26 | 51) => match need(16).filter(|_| len == 16) {
            Some(b) => super::process::sock_fprog(
                out,
                b,
                cap.is_some_and(|c| c.page_end()),
                super::process::BpfProg::Socket,
                opts,
            ),
            None => ptr(out, addr),
        },
        (1, n) if INTS.contains(&n) => int(out),
        // SO_TXREHASH: an int naming a policy.
        (1, 74) => match need(4) {
            Some(b) => txrehash(out, b, opts),
            None => ptr(out, addr),
        },
        (0, 35 | 36) => match need(8) {
            Some(b) => {
                let ip = |k: usize| Ipv4Addr::new(b[k], b[k + 1], b[k + 2], b[k + 3]);
                put!(
                    out,
                    "{{imr_multiaddr=inet_addr(\"{}\"), imr_interface=inet_addr(\"{}\")}}",
                    ip(0),
                    ip(4)
                );
            }
            None => ptr(out, addr),
        },
        // IPV6_{ADD,DROP}_MEMBERSHIP and IPV6_{JOIN,LEAVE}_ANYCAST: struct ipv6_mreq.
        (41, 20 | 21 | 27 | 28) => match need(20) {
            Some(b) => {
                let a: [u8; 16] = b[..16].try_into().unwrap_or_default();
                put!(
                    out,
                    "{{inet_pton(AF_INET6, \"{}\", &ipv6mr_multiaddr), ipv6mr_interface=",
                    std::net::Ipv6Addr::from(a)
                );
                ifindex_text(
                    out,
                    i32::from_ne_bytes(b[16..20].try_into().unwrap_or_default()),
                );
                out.push('}');
            }
            None => ptr(out, addr),
        },
        // MCAST_JOIN_GROUP/MCAST_LEAVE_GROUP's struct group_req: an interface index, then a
        // sockaddr_storage at 8.
        (0 | 41, 42 | 45) => match need(136) {
            Some(b) => {
                out.push_str("{gr_interface=");
                ifindex_text(
                    out,
                    i32::from_ne_bytes(b[..4].try_into().unwrap_or_default()),
                );
                out.push_str(", gr_group=");
                if !super::sockaddr::format(out, &b[8..136], opts, None) {
                    ptr(out, addr + 8);
                }
                out.push('}');
            }
            None => ptr(out, addr),
        },
        (270, _) => int(out),
        // SOL_RAW's ICMP_FILTER.
        (255, 1) => match bytes.filter(|b| len > 0 && b.len() >= (len as usize).min(4)) {
            Some(b) => icmp_filter(out, b, len as usize),
            None => ptr(out, addr),
        },
        // SOL_PACKET: PACKET_ADD_MEMBERSHIP/DROP_MEMBERSHIP's struct packet_mreq.
        (263, 1 | 2) => match need(16).filter(|_| len == 16) {
            Some(b) => {
                let ifindex = i32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
                let mr_type = u16::from_ne_bytes([b[4], b[5]]);
                let alen = u16::from_ne_bytes([b[6], b[7]]);
                out.push_str("{mr_ifindex=");
                ifindex_text(out, ifindex);
                out.push_str(", mr_type=");
                super::consts::styled(
                    out,
                    u64::from(mr_type),
                    &super::consts::PACKET_MR_TYPES,
                    false,
                    opts,
                );
                put!(out, ", mr_alen={alen}, mr_address=");
                let mac = &b[8..8 + usize::from(alen).min(8)];
                let colons = |o: &mut String| {
                    for (k, x) in mac.iter().enumerate() {
                        put!(o, "{}{x:02x}", if k > 0 { ":" } else { "" });
                    }
                };
                super::styled(
                    out,
                    opts,
                    |o| quote(o, mac, mac.len(), false, Hex::All),
                    colons,
                );
                out.push('}');
            }
            None => ptr(out, addr),
        },
        // PACKET_RX_RING/TX_RING's struct tpacket_req.
        (263, 5 | 13) => match need(16).filter(|_| len == 16) {
            Some(b) => {
                let w = |k: usize| u32::from_ne_bytes(b[k..k + 4].try_into().unwrap_or_default());
                put!(
                    out,
                    "{{tp_block_size={}, tp_block_nr={}, tp_frame_size={}, tp_frame_nr={}}}",
                    w(0),
                    w(4),
                    w(8),
                    w(12)
                );
            }
            None => ptr(out, addr),
        },
        _ if len == 4 => int(out),
        _ => match bytes.filter(|b| len >= 0 && b.len() >= (len as usize).min(opts.strsize)) {
            Some(b) => {
                let shown = &b[..(len as usize).min(opts.strsize).min(b.len())];
                quote(
                    out,
                    shown,
                    opts.strsize,
                    (len as usize) > opts.strsize,
                    opts.hex,
                )
            }
            None => ptr(out, addr),
        },
    }
}

/// A socket option, named for its level (`SO_GET_FILTER` for getsockopt, `SO_ATTACH_FILTER`
/// for setsockopt: the same number); an unknown one as `0xff /* PACKET_??? */`, an option of
/// a level without names in decimal.
pub fn sock_opt(out: &mut String, level: u64, v: u64, get: bool) {
    let v = v & 0xffff_ffff;
    if level & 0xffff_ffff == 1 && v == 26 {
        return out.push_str(if get {
            "SO_GET_FILTER"
        } else {
            "SO_ATTACH_FILTER"
        });
    }
    let (table, unknown) = match level & 0xffff_ffff {
        1 => (SO_SOCKET, "SO_???"),
        0 => (SO_IP, "IP_???"),
        41 => (SO_IPV6, "IPV6_???"),
        6 => (SO_TCP, "TCP_???"),
        17 => (SO_UDP, "UDP_???"),
        255 => (SO_RAW, "RAW_???"),
        263 => (SO_PACKET, "PACKET_???"),
        270 => (SO_NETLINK, "NETLINK_???"),
        _ => return super::int(out, v),
    };
    match xlat::name_of(v, table) {
        Some(n) => out.push_str(n),
        None => super::consts::unknown(out, v, unknown),
    }
}

/// SOL_SOCKET options by value (the kernel's uapi headers).
pub const SO_SOCKET: Xlat = &[
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
    (11, "SO_NO_CHECK"),
    (12, "SO_PRIORITY"),
    (13, "SO_LINGER"),
    (14, "SO_BSDCOMPAT"),
    (15, "SO_REUSEPORT"),
    (16, "SO_PASSCRED"),
    (17, "SO_PEERCRED"),
    (18, "SO_RCVLOWAT"),
    (19, "SO_SNDLOWAT"),
    (20, "SO_RCVTIMEO_OLD"),
    (21, "SO_SNDTIMEO_OLD"),
    (22, "SO_SECURITY_AUTHENTICATION"),
    (23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
    (24, "SO_SECURITY_ENCRYPTION_NETWORK"),
    (25, "SO_BINDTODEVICE"),
    (27, "SO_DETACH_FILTER"),
    (28, "SO_PEERNAME"),
    (29, "SO_TIMESTAMP_OLD"),
    (30, "SO_ACCEPTCONN"),
    (31, "SO_PEERSEC"),
    (32, "SO_SNDBUFFORCE"),
    (33, "SO_RCVBUFFORCE"),
    (34, "SO_PASSSEC"),
    (35, "SO_TIMESTAMPNS_OLD"),
    (36, "SO_MARK"),
    (37, "SO_TIMESTAMPING_OLD"),
    (38, "SO_PROTOCOL"),
    (39, "SO_DOMAIN"),
    (40, "SO_RXQ_OVFL"),
    (41, "SO_WIFI_STATUS"),
    (42, "SO_PEEK_OFF"),
    (43, "SO_NOFCS"),
    (44, "SO_LOCK_FILTER"),
    (45, "SO_SELECT_ERR_QUEUE"),
    (46, "SO_BUSY_POLL"),
    (47, "SO_MAX_PACING_RATE"),
    (48, "SO_BPF_EXTENSIONS"),
    (49, "SO_INCOMING_CPU"),
    (50, "SO_ATTACH_BPF"),
    (51, "SO_ATTACH_REUSEPORT_CBPF"),
    (52, "SO_ATTACH_REUSEPORT_EBPF"),
    (53, "SO_CNX_ADVICE"),
    (55, "SO_MEMINFO"),
    (56, "SO_INCOMING_NAPI_ID"),
    (57, "SO_COOKIE"),
    (59, "SO_PEERGROUPS"),
    (60, "SO_ZEROCOPY"),
    (61, "SO_TXTIME"),
    (62, "SO_BINDTOIFINDEX"),
    (63, "SO_TIMESTAMP_NEW"),
    (64, "SO_TIMESTAMPNS_NEW"),
    (65, "SO_TIMESTAMPING_NEW"),
    (66, "SO_RCVTIMEO_NEW"),
    (67, "SO_SNDTIMEO_NEW"),
    (68, "SO_DETACH_REUSEPORT_BPF"),
    (69, "SO_PREFER_BUSY_POLL"),
    (70, "SO_BUSY_POLL_BUDGET"),
    (71, "SO_NETNS_COOKIE"),
    (72, "SO_BUF_LOCK"),
    (73, "SO_RESERVE_MEM"),
    (74, "SO_TXREHASH"),
    (75, "SO_RCVMARK"),
];
/// IP socket options by value (the kernel's uapi headers).
pub const SO_IP: Xlat = &[
    (1, "IP_TOS"),
    (2, "IP_TTL"),
    (3, "IP_HDRINCL"),
    (4, "IP_OPTIONS"),
    (5, "IP_ROUTER_ALERT"),
    (6, "IP_RECVOPTS"),
    (7, "IP_RETOPTS"),
    (8, "IP_PKTINFO"),
    (9, "IP_PKTOPTIONS"),
    (10, "IP_MTU_DISCOVER"),
    (11, "IP_RECVERR"),
    (12, "IP_RECVTTL"),
    (13, "IP_RECVTOS"),
    (14, "IP_MTU"),
    (15, "IP_FREEBIND"),
    (16, "IP_IPSEC_POLICY"),
    (17, "IP_XFRM_POLICY"),
    (18, "IP_PASSSEC"),
    (19, "IP_TRANSPARENT"),
    (20, "IP_ORIGDSTADDR"),
    (21, "IP_MINTTL"),
    (22, "IP_NODEFRAG"),
    (23, "IP_CHECKSUM"),
    (24, "IP_BIND_ADDRESS_NO_PORT"),
    (25, "IP_RECVFRAGSIZE"),
    (26, "IP_RECVERR_RFC4884"),
    (32, "IP_MULTICAST_IF"),
    (33, "IP_MULTICAST_TTL"),
    (34, "IP_MULTICAST_LOOP"),
    (35, "IP_ADD_MEMBERSHIP"),
    (36, "IP_DROP_MEMBERSHIP"),
    (37, "IP_UNBLOCK_SOURCE"),
    (38, "IP_BLOCK_SOURCE"),
    (39, "IP_ADD_SOURCE_MEMBERSHIP"),
    (40, "IP_DROP_SOURCE_MEMBERSHIP"),
    (41, "IP_MSFILTER"),
    (42, "MCAST_JOIN_GROUP"),
    (43, "MCAST_BLOCK_SOURCE"),
    (44, "MCAST_UNBLOCK_SOURCE"),
    (45, "MCAST_LEAVE_GROUP"),
    (46, "MCAST_JOIN_SOURCE_GROUP"),
    (47, "MCAST_LEAVE_SOURCE_GROUP"),
    (48, "MCAST_MSFILTER"),
    (49, "IP_MULTICAST_ALL"),
    (50, "IP_UNICAST_IF"),
];
/// IPV6 socket options by value (the kernel's uapi headers).
pub const SO_IPV6: Xlat = &[
    (1, "IPV6_ADDRFORM"),
    (2, "IPV6_2292PKTINFO"),
    (3, "IPV6_2292HOPOPTS"),
    (4, "IPV6_2292DSTOPTS"),
    (5, "IPV6_2292RTHDR"),
    (6, "IPV6_2292PKTOPTIONS"),
    (7, "IPV6_CHECKSUM"),
    (8, "IPV6_2292HOPLIMIT"),
    (9, "IPV6_NEXTHOP"),
    (10, "IPV6_AUTHHDR"),
    (11, "IPV6_FLOWINFO"),
    (16, "IPV6_UNICAST_HOPS"),
    (17, "IPV6_MULTICAST_IF"),
    (18, "IPV6_MULTICAST_HOPS"),
    (19, "IPV6_MULTICAST_LOOP"),
    (20, "IPV6_ADD_MEMBERSHIP"),
    (21, "IPV6_DROP_MEMBERSHIP"),
    (22, "IPV6_ROUTER_ALERT"),
    (23, "IPV6_MTU_DISCOVER"),
    (24, "IPV6_MTU"),
    (25, "IPV6_RECVERR"),
    (26, "IPV6_V6ONLY"),
    (27, "IPV6_JOIN_ANYCAST"),
    (28, "IPV6_LEAVE_ANYCAST"),
    (29, "IPV6_MULTICAST_ALL"),
    (30, "IPV6_ROUTER_ALERT_ISOLATE"),
    (31, "IPV6_RECVERR_RFC4884"),
    (32, "IPV6_FLOWLABEL_MGR"),
    (33, "IPV6_FLOWINFO_SEND"),
    (34, "IPV6_IPSEC_POLICY"),
    (35, "IPV6_XFRM_POLICY"),
    (36, "IPV6_HDRINCL"),
    (42, "MCAST_JOIN_GROUP"),
    (43, "MCAST_BLOCK_SOURCE"),
    (44, "MCAST_UNBLOCK_SOURCE"),
    (45, "MCAST_LEAVE_GROUP"),
    (46, "MCAST_JOIN_SOURCE_GROUP"),
    (47, "MCAST_LEAVE_SOURCE_GROUP"),
    (48, "MCAST_MSFILTER"),
    (49, "IPV6_RECVPKTINFO"),
    (50, "IPV6_PKTINFO"),
    (51, "IPV6_RECVHOPLIMIT"),
    (52, "IPV6_HOPLIMIT"),
    (53, "IPV6_RECVHOPOPTS"),
    (54, "IPV6_HOPOPTS"),
    (55, "IPV6_RTHDRDSTOPTS"),
    (56, "IPV6_RECVRTHDR"),
    (57, "IPV6_RTHDR"),
    (58, "IPV6_RECVDSTOPTS"),
    (59, "IPV6_DSTOPTS"),
    (60, "IPV6_RECVPATHMTU"),
    (61, "IPV6_PATHMTU"),
    (62, "IPV6_DONTFRAG"),
    (66, "IPV6_RECVTCLASS"),
    (67, "IPV6_TCLASS"),
    (70, "IPV6_AUTOFLOWLABEL"),
    (72, "IPV6_ADDR_PREFERENCES"),
    (73, "IPV6_MINHOPCOUNT"),
    (74, "IPV6_ORIGDSTADDR"),
    (75, "IPV6_TRANSPARENT"),
    (76, "IPV6_UNICAST_IF"),
    (77, "IPV6_RECVFRAGSIZE"),
    (78, "IPV6_FREEBIND"),
];
/// TCP socket options by value (the kernel's uapi headers).
pub const SO_TCP: Xlat = &[
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
    (14, "TCP_MD5SIG"),
    (15, "TCP_COOKIE_TRANSACTIONS"),
    (16, "TCP_THIN_LINEAR_TIMEOUTS"),
    (17, "TCP_THIN_DUPACK"),
    (18, "TCP_USER_TIMEOUT"),
    (19, "TCP_REPAIR"),
    (20, "TCP_REPAIR_QUEUE"),
    (21, "TCP_QUEUE_SEQ"),
    (22, "TCP_REPAIR_OPTIONS"),
    (23, "TCP_FASTOPEN"),
    (24, "TCP_TIMESTAMP"),
    (25, "TCP_NOTSENT_LOWAT"),
    (26, "TCP_CC_INFO"),
    (27, "TCP_SAVE_SYN"),
    (28, "TCP_SAVED_SYN"),
    (29, "TCP_REPAIR_WINDOW"),
    (30, "TCP_FASTOPEN_CONNECT"),
    (31, "TCP_ULP"),
    (32, "TCP_MD5SIG_EXT"),
    (33, "TCP_FASTOPEN_KEY"),
    (34, "TCP_FASTOPEN_NO_COOKIE"),
    (35, "TCP_ZEROCOPY_RECEIVE"),
    (36, "TCP_INQ"),
    (37, "TCP_TX_DELAY"),
];
/// UDP socket options by value (the kernel's uapi headers).
pub const SO_UDP: Xlat = &[
    (1, "UDP_CORK"),
    (100, "UDP_ENCAP"),
    (101, "UDP_NO_CHECK6_TX"),
    (102, "UDP_NO_CHECK6_RX"),
    (103, "UDP_SEGMENT"),
    (104, "UDP_GRO"),
];
/// PACKET socket options by value (the kernel's uapi headers).
pub const SO_PACKET: Xlat = &[
    (1, "PACKET_ADD_MEMBERSHIP"),
    (2, "PACKET_DROP_MEMBERSHIP"),
    (3, "PACKET_RECV_OUTPUT"),
    (5, "PACKET_RX_RING"),
    (6, "PACKET_STATISTICS"),
    (7, "PACKET_COPY_THRESH"),
    (8, "PACKET_AUXDATA"),
    (9, "PACKET_ORIGDEV"),
    (10, "PACKET_VERSION"),
    (11, "PACKET_HDRLEN"),
    (12, "PACKET_RESERVE"),
    (13, "PACKET_TX_RING"),
    (14, "PACKET_LOSS"),
    (15, "PACKET_VNET_HDR"),
    (16, "PACKET_TX_TIMESTAMP"),
    (17, "PACKET_TIMESTAMP"),
    (18, "PACKET_FANOUT"),
    (19, "PACKET_TX_HAS_OFF"),
    (20, "PACKET_QDISC_BYPASS"),
    (21, "PACKET_ROLLOVER_STATS"),
    (22, "PACKET_FANOUT_DATA"),
    (23, "PACKET_IGNORE_OUTGOING"),
];
/// NETLINK socket options by value (the kernel's uapi headers).
pub const SO_NETLINK: Xlat = &[
    (1, "NETLINK_ADD_MEMBERSHIP"),
    (2, "NETLINK_DROP_MEMBERSHIP"),
    (3, "NETLINK_PKTINFO"),
    (4, "NETLINK_BROADCAST_ERROR"),
    (5, "NETLINK_NO_ENOBUFS"),
    (6, "NETLINK_RX_RING"),
    (7, "NETLINK_TX_RING"),
    (8, "NETLINK_LISTEN_ALL_NSID"),
    (9, "NETLINK_LIST_MEMBERSHIPS"),
    (10, "NETLINK_CAP_ACK"),
    (11, "NETLINK_EXT_ACK"),
    (12, "NETLINK_GET_STRICT_CHK"),
];
/// RAW socket options by value (the kernel's uapi headers).
pub const SO_RAW: Xlat = &[(1, "ICMP_FILTER")];
/// Socket option levels by value (the kernel's uapi headers).
pub const SOL_LEVELS: Xlat = &[
    (0, "SOL_IP"),
    (1, "SOL_SOCKET"),
    (6, "SOL_TCP"),
    (17, "SOL_UDP"),
    (40, "AF_VSOCK"),
    (41, "SOL_IPV6"),
    (58, "SOL_ICMPV6"),
    (255, "SOL_RAW"),
    (261, "SOL_DECNET"),
    (262, "SOL_X25"),
    (263, "SOL_PACKET"),
    (264, "SOL_ATM"),
    (265, "SOL_AAL"),
    (266, "SOL_IRDA"),
    (267, "SOL_NETBEUI"),
    (268, "SOL_LLC"),
    (269, "SOL_DCCP"),
    (270, "SOL_NETLINK"),
    (271, "SOL_TIPC"),
    (272, "SOL_RXRPC"),
    (273, "SOL_PPPOL2TP"),
    (274, "SOL_BLUETOOTH"),
    (275, "SOL_PNPIPE"),
    (276, "SOL_RDS"),
    (277, "SOL_IUCV"),
    (278, "SOL_CAIF"),
    (279, "SOL_ALG"),
    (280, "SOL_NFC"),
    (281, "SOL_KCM"),
    (282, "SOL_TLS"),
    (283, "SOL_XDP"),
];

pub fn shutdown_how(out: &mut String, v: u64) {
    const T: Xlat = &[(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")];
    xlat::value(out, v, T);
}

/// `{msg_name=..., msg_namelen=16, msg_iov=[...], msg_iovlen=1, msg_controllen=0,
/// msg_flags=0}` from the copied header, name, iovecs and data.
pub fn msghdr(
    out: &mut String,
    hdr: &[u8],
    (name, namelen_in): (Option<&[u8]>, Option<u32>),
    iov: Option<(&crate::source::Captured, Option<&crate::source::Captured>)>,
    total: Option<u64>,
    opts: &super::Opts,
    fds: Option<&mut dyn FdNames>,
) -> bool {
    if hdr.len() < 56 {
        return false;
    }
    let u64at = |o: usize| u64::from_ne_bytes(hdr[o..o + 8].try_into().unwrap_or_default());
    let u32at = |o: usize| u32::from_ne_bytes(hdr[o..o + 4].try_into().unwrap_or_default());
    let namelen = u32at(8);
    // recvmsg: the kernel wrote at most the room the caller gave.
    let shown = namelen_in.map_or(namelen, |n| n.min(namelen)) as usize;
    out.push_str("{msg_name=");
    match (u64at(0), name) {
        (0, _) => out.push_str("NULL"),
        (_, Some(n)) if super::sockaddr::format(out, &n[..n.len().min(shown)], opts, None) => {}
        (p, _) => out.push_str(&format!("{p:#x}")),
    }
    out.push_str(", msg_namelen=");
    if let Some(n) = namelen_in.filter(|n| *n != namelen) {
        put!(out, "{} => ", n as i32);
    }
    put!(out, "{}, msg_iov=", namelen as i32);
    match (u64at(16), iov) {
        (0, _) => out.push_str("NULL"),
        (p, Some((arr, data))) if !arr.faulted() => {
            super::io::iovec(out, (p, arr), data, total, opts)
        }
        (p, _) => out.push_str(&format!("{p:#x}")),
    }
    put!(out, ", msg_iovlen={}", u64at(24));
    let (control, controllen) = (u64at(32), u64at(40));
    if controllen != 0 {
        out.push_str(", msg_control=");
        // The control messages follow the header in its slot (sendmsg/recvmsg only).
        match (fds, hdr.get(56..)) {
            (Some(fds), Some(c)) if control != 0 && !c.is_empty() => {
                cmsgs(out, control, controllen, c, opts, fds)
            }
            _ => ptr(out, control),
        }
    }
    put!(out, ", msg_controllen={controllen}, msg_flags=");
    msg_flags(out, u64::from(u32at(48)));
    out.push('}');
    true
}

fn family_name(f: u16) -> String {
    match xlat::name_of(f.into(), super::sockaddr_consts::ADDRFAMS) {
        Some(n) => n.into(),
        None => f.to_string(),
    }
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

/// What strace reads of a control buffer at most: net.core.optmem_max when it could read it
/// (its default here), rounded up to 8.
const OPTMEM_MAX: u64 = 20480;

/// Control message levels: the socket option levels.
const CMSG_LEVELS: super::consts::Consts = consts("SOL_???", SOL_LEVELS);

const SCM_TYPES: super::consts::Consts = consts(
    "SCM_???",
    &[
        (1, "SCM_RIGHTS"),
        (2, "SCM_CREDENTIALS"),
        (3, "SCM_SECURITY"),
        (29, "SO_TIMESTAMP_OLD"),
        (35, "SO_TIMESTAMPNS_OLD"),
        (37, "SO_TIMESTAMPING_OLD"),
        (41, "SO_WIFI_STATUS"),
        (54, "SCM_TIMESTAMPING_OPT_STATS"),
        (58, "SCM_TIMESTAMPING_PKTINFO"),
        (61, "SO_TXTIME"),
        (63, "SO_TIMESTAMP_NEW"),
        (64, "SO_TIMESTAMPNS_NEW"),
        (65, "SO_TIMESTAMPING_NEW"),
    ],
);

const IP_CMSG_TYPES: super::consts::Consts = consts(
    "IP_???",
    &[
        (1, "IP_TOS"),
        (2, "IP_TTL"),
        (3, "SCM_SECURITY"),
        (6, "IP_RECVOPTS"),
        (7, "IP_RETOPTS"),
        (8, "IP_PKTINFO"),
        (11, "IP_RECVERR"),
        (20, "IP_ORIGDSTADDR"),
        (23, "IP_CHECKSUM"),
    ],
);

/// A table of values read whole, with the comment for one none of its names matches.
const fn consts(unknown: &'static str, table: Xlat) -> super::consts::Consts {
    super::consts::Consts {
        table,
        unknown,
        int: false,
        field: (0, "", false),
    }
}

/// `msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3]},
/// ...]` from the control bytes copied (`copied`, of `len` at `addr`), as strace walks them:
/// 16-byte headers, each message's data as far as its length and the buffer reach, the next
/// one at its length rounded up to 8; what is left too short for a header as `...
/// /* 0xADDR */`.
fn cmsgs(out: &mut String, addr: u64, len: u64, copied: &[u8], opts: &Opts, fds: &mut dyn FdNames) {
    const HDR: usize = 16;
    let control_len = len.min(OPTMEM_MAX) as usize;
    if control_len < HDR || copied.len() < HDR {
        return ptr(out, addr);
    }
    // What the kernel side copied of it (a slot holds ~4 KiB).
    let mut buf = &copied[..copied.len().min(control_len)];
    let cut = buf.len() < control_len;
    out.push('[');
    let mut first = true;
    while buf.len() >= HDR {
        let cmsg_len = u64::from_ne_bytes(buf[0..8].try_into().unwrap_or_default());
        let level = i32::from_ne_bytes(buf[8..12].try_into().unwrap_or_default());
        let ty = i32::from_ne_bytes(buf[12..16].try_into().unwrap_or_default());
        if !first {
            out.push_str(", ");
        }
        first = false;
        put!(out, "{{cmsg_len={cmsg_len}, cmsg_level=");
        super::consts::value(out, u64::from(level as u32), &CMSG_LEVELS);
        out.push_str(", cmsg_type=");
        let n = (cmsg_len.min(buf.len() as u64) as usize).saturating_sub(HDR);
        cmsg_data(out, level, ty, &buf[HDR..HDR + n], opts, fds);
        out.push('}');
        if (cmsg_len as usize) < HDR {
            buf = &buf[HDR.min(buf.len())..];
            break;
        }
        let step = cmsg_len.saturating_add(7) & !7;
        if step >= buf.len() as u64 {
            buf = &[];
            break;
        }
        buf = &buf[step as usize..];
    }
    if !buf.is_empty() && !cut {
        let at = addr + (control_len - buf.len()) as u64;
        put!(out, ", ... /* {at:#x} */");
    } else if cut || control_len < len as usize {
        out.push_str(", ...");
    }
    out.push(']');
}

/// A control message's type and, when its level and type have a known layout and enough
/// bytes came, `, cmsg_data=...`.
fn cmsg_data(out: &mut String, level: i32, ty: i32, d: &[u8], opts: &Opts, fds: &mut dyn FdNames) {
    let u32at = |k: usize| u32::from_ne_bytes(d[k..k + 4].try_into().unwrap_or_default());
    // Elements of `size` bytes, at most -s of them (all with -v), as strace prints arrays.
    let array = |out: &mut String, size: usize, each: &mut dyn FnMut(&mut String, &[u8])| {
        out.push('[');
        for (k, e) in d.chunks_exact(size).enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if k >= opts.strsize && !opts.verbose {
                out.push_str("...");
                break;
            }
            each(out, e);
        }
        out.push(']');
    };
    // SO_TIMESTAMPING: three 16-byte timespecs.
    let times = |out: &mut String| {
        if d.len() < 48 {
            return out.push_str("???");
        }
        out.push('[');
        for (k, ts) in d.chunks_exact(16).take(3).enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            super::time::timespec(out, ts);
        }
        out.push(']');
    };
    match level {
        // SOL_SOCKET
        1 => {
            super::consts::value(out, u64::from(ty as u32), &SCM_TYPES);
            let min = match ty {
                1 => 4,
                2 => 12,
                3 | 29 | 35 | 37 | 63 | 64 | 65 => 1,
                _ => return,
            };
            if d.len() < min {
                return;
            }
            out.push_str(", cmsg_data=");
            match ty {
                1 => array(out, 4, &mut |o, e| {
                    let fd = i32::from_ne_bytes(e.try_into().unwrap_or_default());
                    super::fd_text(o, fd, fds)
                }),
                2 => put!(
                    out,
                    "{{pid={}, uid={}, gid={}}}",
                    u32at(0) as i32,
                    u32at(4),
                    u32at(8)
                ),
                3 => quote(out, d, d.len(), false, Hex::None),
                // The old timeval and timespec are the 64-bit ones on x86_64.
                29 | 63 if d.len() >= 16 => {
                    super::time::timeval(out, &d[..16]);
                }
                35 | 64 if d.len() >= 16 => {
                    super::time::timespec(out, &d[..16]);
                }
                37 | 65 => times(out),
                _ => out.push_str("???"),
            }
        }
        // SOL_IP
        0 => {
            super::consts::value(out, u64::from(ty as u32), &IP_CMSG_TYPES);
            let min = match ty {
                8 => 12,
                2 | 23 => 4,
                1 | 6 | 7 | 3 => 1,
                11 => 32,
                20 => 16,
                _ => return,
            };
            if d.len() < min {
                return;
            }
            out.push_str(", cmsg_data=");
            let ip = |k: usize| Ipv4Addr::new(d[k], d[k + 1], d[k + 2], d[k + 3]);
            match ty {
                8 => {
                    out.push_str("{ipi_ifindex=");
                    ifindex_text(out, u32at(0) as i32);
                    put!(
                        out,
                        ", ipi_spec_dst=inet_addr(\"{}\"), ipi_addr=inet_addr(\"{}\")}}",
                        ip(4),
                        ip(8)
                    );
                }
                2 | 23 => array(out, 4, &mut |o, e| {
                    put!(
                        o,
                        "{}",
                        u32::from_ne_bytes(e.try_into().unwrap_or_default())
                    )
                }),
                1 | 6 | 7 => array(out, 1, &mut |o, e| super::fs::c_hex(o, u64::from(e[0]))),
                3 => quote(out, d, d.len(), false, Hex::None),
                11 => {
                    put!(
                        out,
                        "{{ee_errno={}, ee_origin={}, ee_type={}, ee_code={}, ee_info={}, \
                         ee_data={}, offender=",
                        u32at(0),
                        d[4],
                        d[5],
                        d[6],
                        u32at(8),
                        u32at(12)
                    );
                    if !super::sockaddr::format(out, &d[16..32], opts, Some(&mut *fds)) {
                        ptr(out, 0);
                    }
                    out.push('}');
                }
                _ => {
                    if !super::sockaddr::format(out, &d[..d.len().min(128)], opts, Some(&mut *fds))
                    {
                        out.push_str("???");
                    }
                }
            }
        }
        _ => put!(out, "{:#x}", ty as u32),
    }
}

/// A `struct msghdr` (sendmsg, recvmsg) or `struct mmsghdr[]` (sendmmsg, recvmmsg) argument,
/// from what the kernel side copied: the header, its name, its iovecs and their data (for
/// mmsghdr, the data of the next messages follows the first's in the data slot).
pub fn msghdr_arg(
    out: &mut String,
    ty: Ty,
    v: u64,
    i: usize,
    ev: &Event,
    opts: &Opts,
    fds: &mut dyn FdNames,
) {
    let ret = ev.rec.ret;
    let a = ev.rec.args;
    let out_kind = matches!(ty, Ty::MsghdrOut | Ty::MmsghdrOut);
    let mmsg = matches!(ty, Ty::Mmsghdr | Ty::MmsghdrOut);
    let hdr = ev.str_for(i).filter(|c| !c.faulted() && v != 0);
    // recvmsg's msg_namelen as it was at entry, after the header (when the enter hook read
    // it); the control messages follow it.
    let with_namelen = ev.rec.flags & tracer_common::record_flags::NAMELEN_IN != 0;
    let namelen_in = hdr
        .filter(|_| with_namelen && !mmsg)
        .and_then(|h| h.bytes.get(56..60))
        .map(|b| u32::from_ne_bytes(b.try_into().unwrap_or_default()));
    if out_kind && ret < 0 && v != 0 && !mmsg {
        match namelen_in {
            Some(n) => put!(out, "{{msg_namelen={}}}", n as i32),
            None => ptr(out, v),
        }
        return;
    }
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
        let bytes: std::borrow::Cow<[u8]> = match namelen_in {
            Some(_) => [&hdr.bytes[..56], &hdr.bytes[60..]].concat().into(),
            None => hdr.bytes.into(),
        };
        if !msghdr(out, &bytes, (name, namelen_in), iov, total, opts, Some(fds)) {
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
    // The first message's data: up to the cap from each of its buffers.
    let first_len: usize = iov.map_or(0, |(arr, _)| {
        let total = out_kind.then(|| msg_len(heads[0]));
        super::io::iov_split(arr.bytes, total, opts.iov)
            .map(|(_, copied)| copied)
            .sum()
    });
    let mut pos = first_len.min(all.len());
    out.push('[');
    for (k, h) in heads.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        let mut m = String::new();
        if k == 0 {
            let total = out_kind.then(|| msg_len(h));
            msghdr(&mut m, h, (name, None), iov, total, opts, None);
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
            msghdr(&mut m, h, (None, None), None, None, opts, None);
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

    /// Control messages as strace walks them: each header, its data as far as its length
    /// reaches, the next at its length rounded up to 8, a tail too short for a header as
    /// `... /* address */`.
    #[test]
    fn control_messages_print_as_strace_walks_them() {
        let cmsg = |len: u64, level: i32, ty: i32, data: &[u8]| {
            let mut v = len.to_ne_bytes().to_vec();
            v.extend(level.to_ne_bytes());
            v.extend(ty.to_ne_bytes());
            v.extend(data);
            while !v.len().is_multiple_of(8) {
                v.push(0);
            }
            v
        };
        let mut buf = cmsg(24, 1, 1, &[3, 0, 0, 0, 4, 0, 0, 0]);
        buf.extend(cmsg(20, 0, 2, &64u32.to_ne_bytes()));
        buf.extend(cmsg(16, 1, 0x7eed, &[]));
        buf.extend([0u8; 8]);
        let text = |buf: &[u8], len: u64| {
            let mut out = String::new();
            cmsgs(
                &mut out,
                0x1000,
                len,
                buf,
                &Opts::default(),
                &mut super::super::NoFds,
            );
            out
        };
        assert_eq!(
            text(&buf, buf.len() as u64),
            "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3, 4]}, \
             {cmsg_len=20, cmsg_level=SOL_IP, cmsg_type=IP_TTL, cmsg_data=[64]}, \
             {cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=0x7eed /* SCM_??? */}, \
             ... /* 0x1040 */]"
        );
        // Too short for one header: the address.
        assert_eq!(text(&buf[..8], 8), "0x1000");
        // Less copied than the buffer holds: what came, then `...`.
        assert_eq!(
            text(&buf[..24], 4096),
            "[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3, 4]}, ...]"
        );
    }

    #[test]
    fn parsed_for_tables() {
        let mut b = vec![2, 0, 0x1f, 0x90, 127, 0, 0, 5];
        b.extend([0; 8]);
        assert_eq!(short(&parse(&b).unwrap()), "127.0.0.5:8080");
        let mut b = vec![1, 0, 0];
        b.extend(b"abs");
        assert_eq!(short(&parse(&b).unwrap()), "@abs");
    }

    #[test]
    fn short_or_unknown() {
        assert!(parse(&[2, 0, 1]).is_none());
        assert_eq!(parse(&[17, 0, 1, 2]), Some(SockAddr::Other(17)));
    }
}
