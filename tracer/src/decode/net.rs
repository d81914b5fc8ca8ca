//! Socket addresses (`struct sockaddr_in`, `sockaddr_in6`, `sockaddr_un`, `sockaddr_nl`) as
//! strace prints them, and as typed values for diagnoses. Layouts: include/uapi/linux/in.h,
//! in6.h, un.h, netlink.h.
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use super::strings::{Hex, quote};

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
        SockAddr::Other(f) => out.push_str(&format!("{{sa_family={}}}", family_name(f))),
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
