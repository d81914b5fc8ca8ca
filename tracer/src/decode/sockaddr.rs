//! Socket addresses as strace prints them, every family it knows: `{sa_family=AF_PACKET,
//! sll_protocol=htons(ETH_P_ALL), ...}`. The bytes are the caller's (`addrlen` of them, at most
//! a `sockaddr_storage`); fields past them read as zero, a family whose structure is longer
//! than what was given prints its bytes as `sa_data`. Layouts: include/uapi/linux/*.h (offsets
//! below are x86_64's).
use super::{
    Consts as Style, FdNames, Opts,
    fs::c_hex,
    net::ifindex_text,
    sockaddr_consts as t,
    strings::{Hex, quote},
    xlat::{self, Xlat},
};

/// `sizeof(struct sockaddr_storage)`: what strace reads of an address at most.
const STORAGE: usize = 128;

/// A socket address of `b.len()` bytes; false (the caller prints the pointer) when it is
/// shorter than its family field.
pub fn format(out: &mut String, b: &[u8], opts: &Opts, fds: Option<&mut dyn FdNames>) -> bool {
    if b.len() < 2 {
        return false;
    }
    let len = b.len().min(STORAGE);
    let mut buf = [0u8; STORAGE + 8];
    buf[..len].copy_from_slice(&b[..len]);
    let a = Addr { b: &buf, len };
    let family = a.u16(0);
    out.push_str("{sa_family=");
    xval(out, family.into(), t::ADDRFAMS, "AF_???", opts.consts);
    if len > 2 {
        out.push_str(", ");
        let min = match family {
            1 | 31 => 3,
            2 | 3 | 4 | 40 | 44 => 16,
            9 => 18,
            10 => 24,
            16 | 42 | 45 => 12,
            17 | 36 => 20,
            33 => 36,
            38 => 25,
            39 => 16,
            _ => usize::MAX,
        };
        if len < min {
            raw(out, &a);
        } else {
            match family {
                1 => unix(out, &a),
                2 => inet(out, &a, opts.consts),
                3 => ax25(out, &a, opts),
                4 => ipx(out, &a),
                9 => x25(out, &a),
                10 => inet6(out, &a, opts),
                16 => netlink(out, &a),
                17 => packet(out, &a, opts),
                31 => bluetooth(out, &a, opts),
                33 => rxrpc(out, &a, opts),
                36 => ieee802154(out, &a, opts),
                38 => alg(out, &a, opts),
                39 => nfc(out, &a, opts),
                40 => vsock(out, &a, opts),
                42 => {
                    put!(out, "sq_node=");
                    xval(out, a.u32(4).into(), t::QIPCRTR_NODES, "", opts.consts);
                    put!(out, ", sq_port=");
                    xval(out, a.u32(8).into(), t::QIPCRTR_PORTS, "", opts.consts);
                }
                44 => xdp(out, &a, opts, fds),
                45 => mctp(out, &a, opts),
                _ => raw(out, &a),
            }
        }
    }
    out.push('}');
    true
}

/// The address's bytes, zero past `len`.
struct Addr<'a> {
    b: &'a [u8; STORAGE + 8],
    len: usize,
}

impl Addr<'_> {
    fn u16(&self, o: usize) -> u16 {
        u16::from_ne_bytes([self.b[o], self.b[o + 1]])
    }
    fn u16be(&self, o: usize) -> u16 {
        u16::from_be_bytes([self.b[o], self.b[o + 1]])
    }
    fn u32(&self, o: usize) -> u32 {
        u32::from_ne_bytes(self.b[o..o + 4].try_into().unwrap_or_default())
    }
    fn u64(&self, o: usize) -> u64 {
        u64::from_ne_bytes(self.b[o..o + 8].try_into().unwrap_or_default())
    }
}

/// A value of a table in the `-X` style: its name (or the number with `dflt`'s comment), the
/// number, or both.
fn xval(out: &mut String, v: u64, table: Xlat, dflt: &str, style: Style) {
    match (style, xlat::name_of(v, table)) {
        (Style::Raw, _) => c_hex(out, v),
        (Style::Verbose, Some(n)) => {
            c_hex(out, v);
            put!(out, " /* {n} */");
        }
        (Style::Abbrev, Some(n)) => out.push_str(n),
        (_, None) => {
            c_hex(out, v);
            if !dflt.is_empty() {
                put!(out, " /* {dflt} */");
            }
        }
    }
}

/// strace's PRINT_FIELD_XVAL_VERBOSE: the number and its name even without `-Xverbose`.
fn xval_verbose(out: &mut String, v: u64, table: Xlat, dflt: &str, style: Style) {
    let style = if style == Style::Raw {
        Style::Raw
    } else {
        Style::Verbose
    };
    xval(out, v, table, dflt, style);
}

/// Flags of a table in the `-X` style: `A|B|0x10`, the number, or both.
fn xflags(out: &mut String, v: u64, table: Xlat, dflt: &str, style: Style) {
    let names = |out: &mut String| {
        if v != 0 && table.iter().any(|&(bit, _)| bit != 0 && v & bit == bit) {
            xlat::flags(out, v, table);
        } else {
            c_hex(out, v);
            if v != 0 && !dflt.is_empty() {
                put!(out, " /* {dflt} */");
            }
        }
    };
    match style {
        Style::Raw => c_hex(out, v),
        Style::Abbrev => names(out),
        Style::Verbose => {
            c_hex(out, v);
            if v != 0 {
                let mut n = String::new();
                names(&mut n);
                if n.contains('|') || table.iter().any(|&(_, name)| n == name) {
                    put!(out, " /* {n} */");
                } else if !dflt.is_empty() {
                    put!(out, " /* {dflt} */");
                }
            }
        }
    }
}

/// C's `%#0*x` with `width` digits: `0x000012`, `0xfacefeed`, zero as `00000000`.
fn hex0(out: &mut String, v: u64, width: usize) {
    if v == 0 {
        put!(out, "{:0width$}", 0);
    } else {
        put!(out, "{v:#0w$x}", w = width);
    }
}

/// `"\x12\x34"`: bytes quoted, all in hex.
fn hex_bytes(out: &mut String, b: &[u8]) {
    quote(out, b, usize::MAX, false, Hex::All);
}

/// Bytes the family's structure does not cover: `sa_data="..."`.
fn raw(out: &mut String, a: &Addr) {
    out.push_str("sa_data=");
    quote(out, &a.b[2..a.len], usize::MAX, false, Hex::None);
}

fn unix(out: &mut String, a: &Addr) {
    // sun_path is 108 bytes, whatever the length given.
    let path = &a.b[2..a.len.min(110)];
    out.push_str("sun_path=");
    if path.first() == Some(&0) {
        out.push('@');
        quote(out, &path[1..], usize::MAX, false, Hex::None);
    } else {
        let end = path.iter().position(|c| *c == 0).unwrap_or(path.len());
        quote(out, &path[..end], usize::MAX, false, Hex::None);
    }
}

fn ipv4(b: &[u8]) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

fn inet(out: &mut String, a: &Addr, style: Style) {
    out.push_str("sin_port=");
    styled(out, &a.b[2..4], &format!("htons({})", a.u16be(2)), style);
    out.push_str(", sin_addr=");
    styled(
        out,
        &a.b[4..8],
        &format!("inet_addr(\"{}\")", ipv4(&a.b[4..8])),
        style,
    );
}

/// A field shown as its bytes (`-Xraw`), as what they mean (`htons(80)`), or both.
fn styled(out: &mut String, bytes: &[u8], text: &str, style: Style) {
    match style {
        Style::Raw => hex_bytes(out, bytes),
        Style::Abbrev => out.push_str(text),
        Style::Verbose => {
            hex_bytes(out, bytes);
            put!(out, " /* {text} */");
        }
    }
}

fn inet6(out: &mut String, a: &Addr, opts: &Opts) {
    out.push_str("sin6_port=");
    styled(
        out,
        &a.b[2..4],
        &format!("htons({})", a.u16be(2)),
        opts.consts,
    );
    out.push_str(", sin6_flowinfo=");
    let flow = u32::from_be_bytes(a.b[4..8].try_into().unwrap_or_default());
    styled(out, &a.b[4..8], &format!("htonl({flow})"), opts.consts);
    let ip: [u8; 16] = a.b[8..24].try_into().unwrap_or_default();
    let text = std::net::Ipv6Addr::from(ip);
    match opts.consts {
        Style::Abbrev => put!(out, ", inet_pton(AF_INET6, \"{text}\", &sin6_addr)"),
        style => {
            out.push_str(", sin6_addr=");
            styled(out, &ip, &format!("inet_pton(AF_INET6, \"{text}\")"), style);
        }
    }
    if a.len <= 24 {
        return;
    }
    let scope = a.u32(24);
    out.push_str(", sin6_scope_id=");
    let link_local = ip[0] == 0xfe && ip[1] & 0xc0 == 0x80;
    let mc_link_local = ip[0] == 0xff && ip[1] & 0xf == 2;
    if link_local || mc_link_local {
        ifindex(out, scope, opts);
    } else {
        put!(out, "{scope}");
    }
}

/// An interface index: its name on this host, in the `-X` style.
fn ifindex(out: &mut String, v: u32, opts: &Opts) {
    let mut named = String::new();
    ifindex_text(&mut named, v);
    if named.starts_with("if_nametoindex") {
        match opts.consts {
            Style::Raw => put!(out, "{v}"),
            Style::Abbrev => out.push_str(&named),
            Style::Verbose => put!(out, "{v} /* {named} */"),
        }
    } else {
        put!(out, "{v}");
    }
}

fn ipx(out: &mut String, a: &Addr) {
    put!(out, "sipx_port=htons({}), sipx_network=htonl(", a.u16be(2),);
    c_hex(
        out,
        u32::from_be_bytes(a.b[4..8].try_into().unwrap_or_default()).into(),
    );
    out.push_str("), sipx_node=[");
    for (i, b) in a.b[8..14].iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        hex0(out, u64::from(*b), 2);
    }
    out.push_str("], sipx_type=");
    hex0(out, u64::from(a.b[14]), 2);
    if a.b[15] != 0 {
        put!(out, ", sipx_zero={:#x}", a.b[15]);
    }
}

fn x25(out: &mut String, a: &Addr) {
    out.push_str("sx25_addr={x25_addr=");
    cstring(out, &a.b[2..18]);
    out.push('}');
}

/// A fixed-size char array as a C string: up to its NUL, or all but its last byte and `...`.
fn cstring(out: &mut String, s: &[u8]) {
    match s.iter().position(|c| *c == 0) {
        Some(end) => quote(out, &s[..end], usize::MAX, false, Hex::None),
        None => {
            quote(out, &s[..s.len() - 1], usize::MAX, false, Hex::None);
            out.push_str("...");
        }
    }
}

/// How an AX.25 callsign can be shown: as text, or in raw form only (None), or both.
fn ax25_style(call: &[u8]) -> Option<Style> {
    let mut style = Style::Abbrev;
    let (mut space, mut chars) = (false, false);
    for &b in &call[..6] {
        if b & 1 != 0 {
            style = Style::Verbose;
        }
        let c = b >> 1;
        if c == b' ' {
            space = true;
        } else {
            chars = true;
        }
        if !(c.is_ascii_digit() || c.is_ascii_uppercase() || c == b' ') {
            style = Style::Verbose;
        }
        if c != b' ' && space {
            style = Style::Verbose;
        }
        if !(b' '..=0x7e).contains(&c) || c == b'*' || c == b'/' {
            return None;
        }
    }
    if call[6] & !0x1e != 0 || (!chars && call[6] != 0) {
        style = Style::Verbose;
    }
    Some(style)
}

/// `VALID-13`; `*` for the empty callsign with SSID 0.
fn ax25_text(call: &[u8]) -> String {
    let end = (1..=6)
        .rev()
        .find(|&e| call[e - 1] >> 1 != b' ')
        .unwrap_or(0);
    let mut s: String = call[..end].iter().map(|b| char::from(b >> 1)).collect();
    put!(s, "-{}", (call[6] >> 1) & 0xf);
    if s == "-0" { "*".into() } else { s }
}

fn ax25_addr(out: &mut String, call: &[u8], opts: &Opts) {
    let style = match ax25_style(call) {
        Some(Style::Abbrev) => opts.consts,
        Some(s) => s,
        None => Style::Raw,
    };
    if style != Style::Abbrev {
        out.push_str("{ax25_call=");
        hex_bytes(out, &call[..7]);
        out.push('}');
    }
    match style {
        Style::Raw => {}
        Style::Verbose => put!(out, " /* {} */", ax25_text(call)),
        Style::Abbrev => out.push_str(&ax25_text(call)),
    }
}

fn ax25(out: &mut String, a: &Addr, opts: &Opts) {
    // struct full_sockaddr_ax25: sockaddr_ax25 (family, ax25_address sax25_call[7] @2,
    // int sax25_ndigis @12), then ax25_address fsa_digipeater[8] @16.
    let ndigis = a.u32(12) as i32;
    let full = ndigis != 0 || a.len > 16;
    if full {
        out.push_str("fsa_ax25={");
    }
    out.push_str("sax25_call=");
    ax25_addr(out, &a.b[2..9], opts);
    put!(out, ", sax25_ndigis={ndigis}");
    if !full {
        return;
    }
    out.push('}');
    let has = ((a.len - 16) / 7).min(8);
    let want = (ndigis.max(0) as usize).min(8);
    let digis = has.min(want);
    if want != 0 {
        out.push_str(", fsa_digipeater=[");
        for i in 0..digis {
            if i > 0 {
                out.push_str(", ");
            }
            ax25_addr(out, &a.b[16 + 7 * i..23 + 7 * i], opts);
        }
        if want > has {
            if digis > 0 {
                out.push_str(", ");
            }
            out.push_str("...");
        }
        out.push(']');
    }
    if a.len > has * 7 + 16 {
        out.push_str(", ...");
    }
}

fn netlink(out: &mut String, a: &Addr) {
    let pad = a.u16(2);
    if pad != 0 {
        put!(out, "nl_pad={pad:#x}, ");
    }
    put!(out, "nl_pid={}, nl_groups=", a.u32(4));
    hex0(out, a.u32(8).into(), 8);
}

fn packet(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_ll: protocol @2 (network order), ifindex @4, hatype @8, pkttype @10,
    // halen @11, addr[8] @12.
    out.push_str("sll_protocol=");
    let mut proto = String::from("htons(");
    xval(
        &mut proto,
        a.u16be(2).into(),
        t::ETHERNET_PROTOCOLS,
        "ETH_P_???",
        Style::Abbrev,
    );
    proto.push(')');
    match opts.consts {
        Style::Raw => hex_bytes(out, &a.b[2..4]),
        Style::Abbrev => out.push_str(&proto),
        Style::Verbose => {
            hex_bytes(out, &a.b[2..4]);
            put!(out, " /* {proto} */");
        }
    }
    out.push_str(", sll_ifindex=");
    ifindex(out, a.u32(4), opts);
    out.push_str(", sll_hatype=");
    xval(
        out,
        a.u16(8).into(),
        t::ARP_HARDWARE_TYPES,
        "ARPHRD_???",
        opts.consts,
    );
    out.push_str(", sll_pkttype=");
    xval(
        out,
        a.b[10].into(),
        t::AF_PACKET_TYPES,
        "PACKET_???",
        opts.consts,
    );
    let halen = usize::from(a.b[11]);
    put!(out, ", sll_halen={halen}");
    if halen != 0 {
        let oob = a.len - 12;
        out.push_str(", sll_addr=[");
        for i in 0..halen {
            if i > 0 {
                out.push_str(", ");
            }
            if i >= oob || 12 + i >= a.b.len() {
                out.push_str("...");
                break;
            }
            hex0(out, a.b[12 + i].into(), 2);
        }
        out.push(']');
    }
}

/// `xx:xx:xx:xx:xx:xx`, as a Bluetooth device address is shown (bytes in reverse).
fn bdaddr(out: &mut String, b: &[u8]) {
    for (i, x) in b.iter().rev().enumerate() {
        if i > 0 {
            out.push(':');
        }
        put!(out, "{x:02x}");
    }
}

/// An L2CAP PSM or CID: `htobs(NAME)`, or the number with a range's name (`L2CAP_PSM_DYN_START
/// + 3`) or `/* L2CAP_..._??? */`.
fn l2_value(
    out: &mut String,
    v: u16,
    table: Xlat,
    ranges: &[(u16, u16, &str)],
    what: &str,
    style: Style,
) {
    let v64 = u64::from(v);
    let name = xlat::name_of(v64, table).map(String::from).or_else(|| {
        ranges
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&v))
            .map(|(lo, _, n)| format!("{n}+{}", v - lo))
    });
    out.push_str("htobs(");
    if style != Style::Abbrev || name.is_none() {
        c_hex(out, v64);
    }
    if style != Style::Raw {
        match &name {
            Some(n) if style == Style::Abbrev => out.push_str(n),
            Some(n) => put!(out, " /* {n} */"),
            None => put!(out, " /* {what} */"),
        }
    }
    out.push(')');
}

fn bluetooth(out: &mut String, a: &Addr, opts: &Opts) {
    match a.len {
        4 | 6 => {
            put!(out, "hci_dev=htobs({})", a.u16(2));
            if a.len == 6 {
                out.push_str(", hci_channel=");
                xval(
                    out,
                    a.u16(4).into(),
                    t::HCI_CHANNELS,
                    "HCI_CHANNEL_???",
                    opts.consts,
                );
            }
        }
        8 => {
            out.push_str("sco_bdaddr=");
            bdaddr(out, &a.b[2..8]);
        }
        9 => {
            out.push_str("rc_bdaddr=");
            bdaddr(out, &a.b[2..8]);
            put!(out, ", rc_channel={}", a.b[8]);
        }
        12 | 14 => {
            out.push_str("l2_psm=");
            l2_value(
                out,
                a.u16(2),
                t::BLUETOOTH_L2_PSM,
                &[
                    (0x80, 0xff, "L2CAP_PSM_LE_DYN_START"),
                    (0x1001, 0xffff, "L2CAP_PSM_DYN_START"),
                ],
                "L2CAP_PSM_???",
                opts.consts,
            );
            out.push_str(", l2_bdaddr=");
            bdaddr(out, &a.b[4..10]);
            out.push_str(", l2_cid=");
            l2_value(
                out,
                a.u16(10),
                t::BLUETOOTH_L2_CID,
                &[(0x40, 0xffff, "L2CAP_CID_DYN_START")],
                "L2CAP_CID_???",
                opts.consts,
            );
            if a.len == 14 {
                out.push_str(", l2_bdaddr_type=");
                xval(
                    out,
                    a.b[12].into(),
                    t::BDADDR_TYPES,
                    "BDADDR_???",
                    opts.consts,
                );
            }
        }
        _ => raw(out, a),
    }
}

fn rxrpc(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_rxrpc: srx_service @2, transport_type @4, transport_len @6, transport
    // (a sockaddr_in or sockaddr_in6) @8.
    out.push_str("srx_service=");
    xval_verbose(
        out,
        a.u16(2).into(),
        t::RXRPC_SERVICES,
        "???_SERVICE",
        opts.consts,
    );
    out.push_str(", transport_type=");
    xval(out, a.u16(4).into(), t::SOCKTYPES, "SOCK_???", opts.consts);
    let tlen = usize::from(a.u16(6));
    put!(out, ", transport_len={tlen}, transport={{");
    let len = tlen.min(a.len - 8);
    let rest = len.saturating_sub(2);
    let family = a.u16(8);
    let tail = |out: &mut String| {
        if rest > 0 {
            out.push_str(", ");
            quote(out, &a.b[10..10 + rest], usize::MAX, false, Hex::None);
        }
    };
    let sub = Addr {
        b: &{
            let mut b = [0u8; STORAGE + 8];
            b[..STORAGE].copy_from_slice(&a.b[8..STORAGE + 8]);
            b
        },
        len,
    };
    match family {
        2 | 10 => {
            out.push_str(if family == 2 {
                "sin={sin_family="
            } else {
                "sin6={sin6_family="
            });
            xval(out, family.into(), t::ADDRFAMS, "AF_???", opts.consts);
            match family {
                2 if tlen >= 16 => {
                    out.push_str(", ");
                    inet(out, &sub, opts.consts);
                }
                10 if tlen >= 24 => {
                    out.push_str(", ");
                    inet6(out, &sub, opts);
                }
                _ => tail(out),
            }
            out.push('}');
        }
        _ => {
            out.push_str("family=");
            xval(out, family.into(), t::ADDRFAMS, "AF_???", opts.consts);
            tail(out);
        }
    }
    out.push('}');
}

fn ieee802154(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_ieee802154: addr @4 { int addr_type @4, u16 pan_id @8, hwaddr[8] or
    // u16 short_addr @10 }.
    let kind = a.u32(4);
    out.push_str("addr={addr_type=");
    xval_verbose(
        out,
        kind.into(),
        t::IEEE802154_ADDR_TYPES,
        "IEEE802154_ADDR_???",
        opts.consts,
    );
    out.push_str(", pan_id=");
    xval_verbose(out, a.u16(8).into(), t::IEEE802154_PAN_IDS, "", opts.consts);
    match kind {
        0 => {}
        2 => {
            out.push_str(", short_addr=");
            xval_verbose(out, a.u16(10).into(), t::IEEE802154_ADDRS, "", opts.consts);
        }
        _ => {
            out.push_str(", hwaddr=");
            let mut text = String::new();
            for (i, x) in a.b[10..18].iter().enumerate() {
                if i > 0 {
                    text.push(':');
                }
                put!(text, "{x:02x}");
            }
            styled(out, &a.b[10..18], &text, opts.consts);
        }
    }
    out.push('}');
}

fn alg(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_alg_new: salg_type[14] @2, salg_feat @16, salg_mask @20, salg_name[] @24.
    out.push_str("salg_type=");
    cstring(out, &a.b[2..16]);
    out.push_str(", salg_feat=");
    alg_flags(out, a.u32(16).into(), opts.consts);
    out.push_str(", salg_mask=");
    alg_flags(out, a.u32(20).into(), opts.consts);
    out.push_str(", salg_name=");
    cstring(out, &a.b[24..a.len]);
}

/// strace's PRINT_FIELD_FLAGS_VERBOSE: the number and its names even without `-Xverbose`.
fn alg_flags(out: &mut String, v: u64, style: Style) {
    let style = if style == Style::Raw {
        Style::Raw
    } else {
        Style::Verbose
    };
    xflags(out, v, t::ALG_SOCKADDR_FLAGS, "CRYPTO_ALG_???", style);
}

fn nfc(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_nfc_llcp (64-bit): dev_idx @4, target_idx @8, nfc_protocol @12, dsap @16,
    // ssap @17, service_name[63] @18, service_name_len (u64) @88; sockaddr_nfc ends at 16.
    out.push_str("dev_idx=");
    ifindex(out, a.u32(4), opts);
    out.push_str(", target_idx=");
    c_hex(out, a.u32(8).into());
    out.push_str(", nfc_protocol=");
    xval(
        out,
        a.u32(12).into(),
        t::NFC_SOCKADDR_PROTOCOLS,
        "NFC_PROTO_???",
        opts.consts,
    );
    if a.len < 96 {
        if a.len > 16 {
            out.push_str(", ...");
        }
        return;
    }
    let snsz = a.u64(88);
    out.push_str(", dsap=");
    xval_verbose(out, a.b[16].into(), t::NFC_SAPS, "", opts.consts);
    out.push_str(", ssap=");
    xval_verbose(out, a.b[17].into(), t::NFC_SAPS, "", opts.consts);
    out.push_str(", service_name=");
    let n = snsz.min(63) as usize;
    quote(out, &a.b[18..18 + n], usize::MAX, false, Hex::None);
    put!(out, ", service_name_len={snsz}");
}

fn vsock(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_vm: svm_reserved1 @2, svm_port @4, svm_cid @8, svm_flags @12,
    // svm_zero[3] @13.
    let reserved = a.u16(2);
    if reserved != 0 {
        put!(out, "svm_reserved1={reserved:#x}, ");
    }
    out.push_str("svm_cid=");
    xval(out, a.u32(8).into(), t::VSOCK_CIDS, "", opts.consts);
    out.push_str(", svm_port=");
    xval(out, a.u32(4).into(), t::VSOCK_PORTS, "", opts.consts);
    out.push_str(", svm_flags=");
    xflags(
        out,
        a.b[12].into(),
        t::VSOCK_FLAGS,
        "VMADDR_FLAG_???",
        opts.consts,
    );
    if a.b[13..16] != [0, 0, 0] {
        out.push_str(", svm_zero=");
        hex_bytes(out, &a.b[13..16]);
    }
}

fn xdp(out: &mut String, a: &Addr, opts: &Opts, fds: Option<&mut dyn FdNames>) {
    // struct sockaddr_xdp: sxdp_flags @2, sxdp_ifindex @4, sxdp_queue_id @8,
    // sxdp_shared_umem_fd @12.
    let flags = a.u16(2);
    out.push_str("sxdp_flags=");
    xflags(
        out,
        flags.into(),
        t::XDP_SOCKADDR_FLAGS,
        "XDP_???",
        opts.consts,
    );
    out.push_str(", sxdp_ifindex=");
    ifindex(out, a.u32(4), opts);
    put!(out, ", sxdp_queue_id={}", a.u32(8));
    let fd = a.u32(12);
    if flags & 1 != 0 {
        out.push_str(", sxdp_shared_umem_fd=");
        match fds {
            Some(f) => super::fd_text(out, fd as i32, f),
            None => put!(out, "{}", fd as i32),
        }
    } else if fd != 0 {
        put!(out, ", sxdp_shared_umem_fd={fd:#x}");
    }
}

fn mctp(out: &mut String, a: &Addr, opts: &Opts) {
    // struct sockaddr_mctp: __smctp_pad0 @2, smctp_network @4, smctp_addr @8, smctp_type @9,
    // smctp_tag @10, __smctp_pad1 @11.
    let pad0 = a.u16(2);
    if pad0 != 0 {
        put!(out, "__smctp_pad0={pad0:#x}, ");
    }
    out.push_str("smctp_network=");
    xval(out, a.u32(4).into(), t::MCTP_NETS, "", opts.consts);
    out.push_str(", smctp_addr={s_addr=");
    xval(out, a.b[8].into(), t::MCTP_ADDRS, "", opts.consts);
    out.push_str("}, smctp_type=");
    c_hex(out, a.b[9].into());
    out.push_str(", smctp_tag=");
    c_hex(out, a.b[10].into());
    if a.b[11] != 0 {
        put!(out, ", __smctp_pad1={:#x}", a.b[11]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(b: &[u8], consts: Style) -> String {
        let opts = Opts {
            consts,
            ..Opts::default()
        };
        let mut s = String::new();
        assert!(format(&mut s, b, &opts, None));
        s
    }

    #[test]
    fn inet_in_each_style() {
        let mut b = vec![2, 0, 0x1f, 0x90, 127, 0, 0, 5];
        b.extend([0; 8]);
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.5\")}"
        );
        assert_eq!(
            fmt(&b, Style::Raw),
            "{sa_family=0x2, sin_port=\"\\x1f\\x90\", sin_addr=\"\\x7f\\x00\\x00\\x05\"}"
        );
        assert_eq!(
            fmt(&b, Style::Verbose),
            "{sa_family=0x2 /* AF_INET */, sin_port=\"\\x1f\\x90\" /* htons(8080) */, \
             sin_addr=\"\\x7f\\x00\\x00\\x05\" /* inet_addr(\"127.0.0.5\") */}"
        );
        // Shorter than a sockaddr_in: its bytes.
        assert_eq!(
            fmt(&b[..6], Style::Abbrev),
            "{sa_family=AF_INET, sa_data=\"\\37\\220\\177\\0\"}"
        );
    }

    #[test]
    fn inet6_scope_only_when_given() {
        let mut b = vec![10, 0, 0, 80, 0, 0, 0, 0];
        let mut ip = [0u8; 16];
        ip[15] = 1;
        b.extend(ip);
        b.extend([7, 0, 0, 0]);
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=7}"
        );
        assert_eq!(
            fmt(&b[..24], Style::Abbrev),
            "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr)}"
        );
    }

    #[test]
    fn unix_and_abstract() {
        let mut b = vec![1, 0];
        b.extend(b"/run/x.sock\0");
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_UNIX, sun_path=\"/run/x.sock\"}"
        );
        let mut b = vec![1, 0, 0];
        b.extend(b"abs");
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_UNIX, sun_path=@\"abs\"}"
        );
    }

    #[test]
    fn packet_netlink_vsock() {
        // sockaddr_ll: ETH_P_IP, ifindex 0, ARPHRD_ETHER, PACKET_BROADCAST, 6-byte address.
        let b = [
            17, 0, 8, 0, 0, 0, 0, 0, 1, 0, 1, 6, 1, 2, 3, 4, 5, 0xab, 0, 0,
        ];
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_PACKET, sll_protocol=htons(ETH_P_IP), sll_ifindex=0, sll_hatype=ARPHRD_ETHER, \
             sll_pkttype=PACKET_BROADCAST, sll_halen=6, sll_addr=[0x1, 0x2, 0x3, 0x4, 0x5, 0xab]}"
        );
        // nl_groups as C's %#08x.
        let b = [16, 0, 0, 0, 5, 0, 0, 0, 0x12, 0, 0, 0];
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_NETLINK, nl_pid=5, nl_groups=0x000012}"
        );
        let b = [16, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_NETLINK, nl_pid=5, nl_groups=00000000}"
        );
        // sockaddr_vm: port 1024 on the host.
        let b = [40, 0, 0, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            fmt(&b, Style::Abbrev),
            "{sa_family=AF_VSOCK, svm_cid=VMADDR_CID_HOST, svm_port=0x400, svm_flags=0}"
        );
    }

    #[test]
    fn too_short_for_a_family_or_unknown() {
        let mut s = String::new();
        assert!(!format(&mut s, &[2], &Opts::default(), None));
        assert_eq!(
            fmt(&[17, 0, 1, 2], Style::Abbrev),
            "{sa_family=AF_PACKET, sa_data=\"\\1\\2\"}"
        );
        assert_eq!(
            fmt(&[0xff, 0, 0x30], Style::Abbrev),
            "{sa_family=0xff /* AF_??? */, sa_data=\"0\"}"
        );
        assert_eq!(fmt(&[0, 0], Style::Abbrev), "{sa_family=AF_UNSPEC}");
    }

    #[test]
    fn ax25_callsigns() {
        // "VALID" then SSID 13, each character shifted left by one.
        let mut call: Vec<u8> = b"VALID ".iter().map(|c| c << 1).collect();
        call.push(13 << 1);
        assert_eq!(ax25_text(&call), "VALID-13");
        assert_eq!(ax25_style(&call), Some(Style::Abbrev));
        let empty = [b' ' << 1; 7];
        let mut empty = empty.to_vec();
        empty[6] = 0;
        assert_eq!(ax25_text(&empty), "*");
    }
}
