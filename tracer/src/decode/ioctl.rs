//! The argument structures of the ioctl requests that have a row (syscalls/commands.rs), as
//! strace prints them.
use super::{Opts, consts, fs::c_hex};
use crate::syscalls::IoctlStruct;

fn u16_at(b: &[u8], at: usize) -> u64 {
    u64::from(u16::from_ne_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_ne_bytes(
        b[at..at + 4].try_into().unwrap_or_default(),
    ))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_ne_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

/// What a structure's printing needs to know of its call.
pub struct Call {
    /// The structure's address.
    pub addr: u64,
    /// The call's result (what the kernel wrote back is shown after ` => ` on success).
    pub ret: i64,
    /// The result was injected: the kernel did not run the call.
    pub injected: bool,
}

/// Structure `k` from its bytes `b`. False when too few bytes were read.
pub fn structure(
    out: &mut String,
    b: &[u8],
    k: IoctlStruct,
    call: &Call,
    opts: &Opts,
    fds: &mut dyn super::FdNames,
) -> bool {
    use IoctlStruct::*;
    let (addr, ret, injected) = (call.addr, call.ret, call.injected);
    // A buffer behind a header may end where its page does.
    let need = match k {
        RandPoolInfo => 8,
        PerfQueryBpf => 4,
        Fiemap => 32,
        _ => usize::from(k.size().0),
    };
    if b.len() < need {
        return false;
    }
    let flags = |o: &mut String, v: u64, c: &consts::Consts| consts::styled(o, v, c, true, opts);
    match k {
        FstrimRange => {
            out.push_str("{start=");
            c_hex(out, u64_at(b, 0));
            put!(out, ", len={}, minlen={}}}", u64_at(b, 8), u64_at(b, 16));
        }
        FsxattrIn | FsxattrOut => {
            out.push_str("{fsx_xflags=");
            flags(out, u32_at(b, 0), &consts::FS_XFLAGS);
            put!(out, ", fsx_extsize={}", u32_at(b, 4));
            if k == FsxattrOut {
                put!(out, ", fsx_nextents={}", u32_at(b, 8));
            }
            out.push_str(", fsx_projid=");
            c_hex(out, u32_at(b, 12));
            put!(out, ", fsx_cowextsize={}}}", u32_at(b, 16));
        }
        Fiemap => {
            put!(
                out,
                "{{fm_start={}, fm_length={}, fm_flags=",
                u64_at(b, 0),
                u64_at(b, 8)
            );
            flags(out, u32_at(b, 16), &consts::FIEMAP_FLAGS);
            put!(out, ", fm_extent_count={}}}", u32_at(b, 24));
            if ret >= 0 {
                out.push_str(" => {fm_flags=");
                flags(out, u32_at(b, 16), &consts::FIEMAP_FLAGS);
                let mapped = u32_at(b, 20);
                put!(out, ", fm_mapped_extents={mapped}, ");
                if opts.verbose {
                    out.push_str("fm_extents=");
                    fiemap_extents(out, &b[32..], mapped, addr + 32, opts);
                    out.push('}');
                } else {
                    out.push_str("...}");
                }
            }
        }
        RandPoolInfo => {
            let size = u32_at(b, 4) as i32;
            put!(
                out,
                "{{entropy_count={}, buf_size={size}, buf=",
                u32_at(b, 0) as i32
            );
            let data = &b[8..];
            let n = usize::try_from(size).unwrap_or(0);
            if n > data.len() && n <= 256 {
                // Not all of it readable: strace shows the buffer's address.
                return false;
            }
            let shown = &data[..n.min(data.len())];
            super::strings::quote(out, shown, opts.strsize, n > opts.strsize, opts.hex);
            out.push('}');
        }
        PerfQueryBpf => {
            put!(out, "{{ids_len={}", u32_at(b, 0));
            if ret < 0 || b.len() < 8 {
                out.push_str(", ...}");
                return true;
            }
            let count = u32_at(b, 0).min(u32_at(b, 4));
            put!(out, ", prog_cnt={}, ids=", u32_at(b, 4));
            let ids = &b[8..];
            let readable = (ids.len() / 4) as u64;
            if count > 0 && readable == 0 {
                put!(out, "{:#x}}}", addr + 8);
                return true;
            }
            out.push('[');
            let shown = count.min(readable).min(opts.strsize as u64) as usize;
            for j in 0..shown {
                if j > 0 {
                    out.push_str(", ");
                }
                put!(out, "{}", u32_at(ids, 4 * j));
            }
            if (shown as u64) < count {
                out.push_str(if shown > 0 { ", " } else { "" });
                if readable < count.min(opts.strsize as u64) {
                    // The next id could not be read: where it is.
                    put!(out, "... /* {:#x} */", addr + 8 + 4 * readable);
                } else {
                    out.push_str("...");
                }
            }
            out.push_str("]}");
        }
        LoopInfoIn | LoopInfoOut => loop_info(out, b, opts),
        LoopInfo64In | LoopInfo64Out => loop_info64(out, b, opts),
        LoopConfig => {
            put!(
                out,
                "{{fd={}, block_size={}, info=",
                u32_at(b, 0) as i32,
                u32_at(b, 4)
            );
            loop_info64(out, &b[8..240], opts);
            let reserved = &b[240..304];
            if reserved.iter().any(|&x| x != 0) {
                out.push_str(", __reserved=");
                hex_array(out, reserved, 8);
            }
            out.push('}');
        }
        TermiosIn | TermiosOut => termios(out, b, 4, 19, None, opts),
        Termios2In | Termios2Out => {
            termios(out, b, 4, 19, Some((u32_at(b, 36), u32_at(b, 40))), opts)
        }
        TermioIn | TermioOut => termios(out, b, 2, 8, None, opts),
        SeccompNotif => {
            let zero = b[..80].iter().all(|&x| x == 0);
            // What the caller passed (the kernel takes only a zeroed structure, so after a
            // real success it was zero) and, on success, what the kernel wrote; the
            // address on failure. An injected result left the caller's bytes as they were.
            let given = ret < 0 || injected;
            if given && !zero {
                seccomp_notif(out, b, opts, fds);
                out.push_str(" => ");
            }
            if ret < 0 {
                put!(out, "{addr:#x}");
            } else {
                seccomp_notif(out, b, opts, fds);
            }
        }
        SeccompNotifResp => {
            out.push_str("{id=");
            c_hex(out, u64_at(b, 0));
            put!(out, ", val={}, error=", u64_at(b, 8) as i64);
            let err = u32_at(b, 16) as i32;
            match super::errno::lookup(err.unsigned_abs()) {
                Some((name, _)) if err < 0 => {
                    super::styled(out, opts, |o| put!(o, "{err}"), |o| put!(o, "-{name}"))
                }
                _ => put!(out, "{err}"),
            }
            out.push_str(", flags=");
            consts::styled(
                out,
                u32_at(b, 20),
                &consts::SECCOMP_NOTIF_RESP_FLAGS,
                true,
                opts,
            );
            out.push('}');
        }
        SeccompNotifAddfd => {
            out.push_str("{id=");
            c_hex(out, u64_at(b, 0));
            out.push_str(", flags=");
            consts::styled(out, u32_at(b, 8), &consts::SECCOMP_ADDFD_FLAGS, true, opts);
            out.push_str(", srcfd=");
            super::fd_text(out, u32_at(b, 12) as i32, fds);
            put!(out, ", newfd={}, newfd_flags=", u32_at(b, 16) as i32);
            let flags = u32_at(b, 20);
            if flags == 0 {
                out.push('0');
            } else {
                super::styled(
                    out,
                    opts,
                    |o| c_hex(o, flags),
                    |o| super::fs::fd_flags(o, flags),
                );
            }
            out.push('}');
        }
        CounterWatch => {
            let styled = |o: &mut String, v: u8, c: &consts::Consts| {
                consts::styled(o, u64::from(v), c, false, opts)
            };
            out.push_str("{component={type=");
            styled(out, b[0], &consts::COUNTER_COMPONENTS);
            out.push_str(", scope=");
            styled(out, b[1], &consts::COUNTER_SCOPES);
            put!(out, ", parent={}, id={}}}, event=", b[2], b[3]);
            styled(out, b[4], &consts::COUNTER_EVENTS);
            put!(out, ", channel={}}}", b[5]);
        }
        WinsizeIn | WinsizeOut => put!(
            out,
            "{{ws_row={}, ws_col={}, ws_xpixel={}, ws_ypixel={}}}",
            u16_at(b, 0),
            u16_at(b, 2),
            u16_at(b, 4),
            u16_at(b, 6)
        ),
    }
    true
}

/// `[0x1, 0x2]`: the elements (`size` bytes each) of an array field, in hex.
fn hex_array(out: &mut String, b: &[u8], size: usize) {
    out.push('[');
    for (j, e) in b.chunks_exact(size).enumerate() {
        if j > 0 {
            out.push_str(", ");
        }
        let v = match size {
            1 => u64::from(e[0]),
            4 => u32_at(e, 0),
            _ => u64_at(e, 0),
        };
        c_hex(out, v);
    }
    out.push(']');
}

/// A `char` array field holding a C string: up to its NUL, `"..."...` when it has none
/// (strace prints such fields whatever `-s` says).
fn cstring_field(out: &mut String, b: &[u8], opts: &Opts) {
    match b.iter().position(|&c| c == 0) {
        Some(z) => super::strings::quote(out, &b[..z], usize::MAX, false, opts.hex),
        None => {
            let n = b.len().saturating_sub(1);
            super::strings::quote(out, &b[..n], usize::MAX, true, opts.hex)
        }
    }
}

/// lo_encrypt_type and lo_encrypt_key_size, shown under -v or when encryption is set.
fn loop_crypt(out: &mut String, kind: u64, size: u64, opts: &Opts) {
    out.push_str(", lo_encrypt_type=");
    consts::styled(out, kind, &consts::LO_CRYPT, false, opts);
    put!(out, ", lo_encrypt_key_size={size}");
}

/// The key, as long as lo_encrypt_key_size says (at most its 32 bytes), within -s.
fn loop_key(out: &mut String, key: &[u8], size: u64, opts: &Opts) {
    out.push_str(", lo_encrypt_key=");
    let n = (size as usize).min(key.len());
    super::strings::quote(out, &key[..n], opts.strsize, n > opts.strsize, opts.hex);
}

/// lo_device, lo_inode and lo_rdevice (three 8-byte fields, `-v`).
fn loop_devices(out: &mut String, b: &[u8]) {
    out.push_str("lo_device=");
    super::fs::makedev(out, u64_at(b, 0));
    put!(out, ", lo_inode={}, lo_rdevice=", u64_at(b, 8));
    super::fs::makedev(out, u64_at(b, 16));
}

/// `struct loop_info` (x86_64: 168 bytes), as strace prints it.
fn loop_info(out: &mut String, b: &[u8], opts: &Opts) {
    let crypt = u32_at(b, 36);
    let full = opts.verbose || crypt != 0;
    put!(out, "{{lo_number={}", u32_at(b, 0) as i32);
    if opts.verbose {
        out.push_str(", ");
        loop_devices(out, &b[8..32]);
    }
    out.push_str(", lo_offset=");
    c_hex(out, u32_at(b, 32));
    if full {
        loop_crypt(out, crypt, u32_at(b, 40), opts);
    }
    out.push_str(", lo_flags=");
    consts::styled(out, u32_at(b, 44), &consts::LO_FLAGS, true, opts);
    out.push_str(", lo_name=");
    cstring_field(out, &b[48..112], opts);
    if full {
        loop_key(out, &b[112..144], u32_at(b, 40), opts);
    }
    if opts.verbose {
        out.push_str(", lo_init=");
        hex_array(out, &b[144..160], 8);
        out.push_str(", reserved=");
        hex_array(out, &b[160..164], 1);
    } else {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `struct loop_info64` (232 bytes), as strace prints it.
fn loop_info64(out: &mut String, b: &[u8], opts: &Opts) {
    let crypt = u32_at(b, 44);
    let full = opts.verbose || crypt != 0;
    if opts.verbose {
        out.push('{');
        loop_devices(out, b);
        out.push_str(", lo_offset=");
        c_hex(out, u64_at(b, 24));
        put!(
            out,
            ", lo_sizelimit={}, lo_number={}",
            u64_at(b, 32),
            u32_at(b, 40)
        );
    } else {
        out.push_str("{lo_offset=");
        c_hex(out, u64_at(b, 24));
        put!(out, ", lo_number={}", u32_at(b, 40));
    }
    if full {
        loop_crypt(out, crypt, u32_at(b, 48), opts);
    }
    out.push_str(", lo_flags=");
    consts::styled(out, u32_at(b, 52), &consts::LO_FLAGS, true, opts);
    out.push_str(", lo_file_name=");
    cstring_field(out, &b[56..120], opts);
    if full {
        out.push_str(", lo_crypt_name=");
        cstring_field(out, &b[120..184], opts);
        loop_key(out, &b[184..216], u32_at(b, 48), opts);
    }
    if opts.verbose {
        out.push_str(", lo_init=");
        hex_array(out, &b[216..232], 8);
    } else {
        out.push_str(", ...");
    }
    out.push('}');
}

/// A terminal's attributes (`struct termios`, `termios2`: 4-byte flags and 19 control
/// characters; `struct termio`: 2-byte flags and 8), as strace prints them.
fn termios(
    out: &mut String,
    b: &[u8],
    width: usize,
    ncc: usize,
    speeds: Option<(u64, u64)>,
    opts: &Opts,
) {
    use consts::{styled, value};
    let field = |i: usize| match width {
        2 => u16_at(b, 2 * i),
        _ => u32_at(b, 4 * i),
    };
    let raw = opts.consts == super::Consts::Raw;
    out.push_str("{c_iflag=");
    styled(out, field(0), &consts::TERM_IFLAGS, true, opts);
    out.push_str(", c_oflag=");
    let mut o = field(1);
    if raw {
        c_hex(out, o);
    } else {
        for (mask, t) in [
            (0x100, &consts::TERM_NLDLY),
            (0x600, &consts::TERM_CRDLY),
            (0x1800, &consts::TERM_TABDLY),
            (0x2000, &consts::TERM_BSDLY),
            (0x4000, &consts::TERM_VTDLY),
            (0x8000, &consts::TERM_FFDLY),
        ] {
            value(out, o & mask, t);
            out.push('|');
            o &= !mask;
        }
        consts::flags(out, o, &consts::TERM_OFLAGS);
    }
    out.push_str(", c_cflag=");
    let c = field(2);
    if raw {
        c_hex(out, c);
    } else {
        value(out, c & 0x100f, &consts::TERM_BAUDS);
        out.push('|');
        if c & 0x100f_0000 != 0 {
            value(out, (c & 0x100f_0000) >> 16, &consts::TERM_BAUDS);
            out.push_str("<<IBSHIFT|");
        }
        value(out, c & 0x30, &consts::TERM_CSIZE);
        out.push('|');
        consts::flags(
            out,
            c & !(0x100f | 0x100f_0000 | 0x30),
            &consts::TERM_CFLAGS,
        );
    }
    out.push_str(", c_lflag=");
    styled(out, field(3), &consts::TERM_LFLAGS, true, opts);
    if !opts.verbose {
        out.push_str(", ...}");
        return;
    }
    let at = 4 * width;
    out.push_str(", c_line=");
    styled(out, u64::from(b[at]), &consts::TERM_LINE_DISCS, false, opts);
    out.push_str(", c_cc=[");
    for (i, &ch) in b[at + 1..at + 1 + ncc].iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match super::xlat::name_of(i as u64, consts::TERM_CC.table) {
            Some(n) => put!(out, "[{n}]="),
            None => put!(out, "[{i}]="),
        }
        c_hex(out, u64::from(ch));
    }
    out.push(']');
    if let Some((ispeed, ospeed)) = speeds {
        put!(out, ", c_ispeed={ispeed}, c_ospeed={ospeed}");
    }
    out.push('}');
}

/// `struct seccomp_notif`'s fields: its id, pid, flags and the call (`struct seccomp_data`).
fn seccomp_notif(out: &mut String, b: &[u8], opts: &Opts, fds: &mut dyn super::FdNames) {
    out.push_str("{id=");
    c_hex(out, u64_at(b, 0));
    out.push_str(", pid=");
    super::pid(out, i64::from(u32_at(b, 8) as i32), opts, fds);
    out.push_str(", flags=");
    c_hex(out, u32_at(b, 12));
    let (nr, arch) = (u32_at(b, 16), u32_at(b, 20));
    out.push_str(", data={nr=");
    super::ptrace::audit_syscall(out, nr, arch as u32, opts);
    out.push_str(", arch=");
    super::ptrace::audit_arch(out, arch as u32, opts);
    out.push_str(", instruction_pointer=");
    super::ptr(out, u64_at(b, 24));
    out.push_str(", args=");
    hex_array(out, &b[32..80], 8);
    out.push_str("}}");
}

/// The extents the kernel wrote after a `struct fiemap` (56 bytes each): as many as were
/// mapped and read, at most `-s` of them; their address when none could be read.
fn fiemap_extents(out: &mut String, b: &[u8], mapped: u64, addr: u64, opts: &Opts) {
    const SIZE: usize = 56;
    let readable = (b.len() / SIZE) as u64;
    if mapped > 0 && readable == 0 {
        put!(out, "{addr:#x}");
        return;
    }
    out.push('[');
    let shown = mapped.min(readable).min(opts.strsize as u64) as usize;
    for (j, e) in b.chunks_exact(SIZE).take(shown).enumerate() {
        if j > 0 {
            out.push_str(", ");
        }
        put!(
            out,
            "{{fe_logical={}, fe_physical={}, fe_length={}, fe_flags=",
            u64_at(e, 0),
            u64_at(e, 8),
            u64_at(e, 16)
        );
        consts::styled(out, u32_at(e, 40), &consts::FIEMAP_EXTENT_FLAGS, true, opts);
        out.push('}');
    }
    if (shown as u64) < mapped {
        out.push_str(if shown > 0 { ", ..." } else { "..." });
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fiemap(mapped: u32, extents: usize) -> Vec<u8> {
        let mut b = vec![0u8; 32 + 56 * extents];
        b[0..8].copy_from_slice(&5u64.to_ne_bytes());
        b[16..20].copy_from_slice(&1u32.to_ne_bytes());
        b[20..24].copy_from_slice(&mapped.to_ne_bytes());
        b[24..28].copy_from_slice(&2u32.to_ne_bytes());
        for j in 0..extents {
            let e = &mut b[32 + 56 * j..];
            e[0..8].copy_from_slice(&(j as u64).to_ne_bytes());
            e[40..44].copy_from_slice(&0x8001u32.to_ne_bytes());
        }
        b
    }

    fn show(b: &[u8], k: IoctlStruct, ret: i64, verbose: bool) -> Option<String> {
        show_call(b, k, ret, false, verbose)
    }

    fn show_call(
        b: &[u8],
        k: IoctlStruct,
        ret: i64,
        injected: bool,
        verbose: bool,
    ) -> Option<String> {
        let opts = Opts {
            verbose,
            ..Opts::default()
        };
        let mut s = String::new();
        let call = Call {
            addr: 0x1000,
            ret,
            injected,
        };
        structure(&mut s, b, k, &call, &opts, &mut crate::decode::NoFds).then_some(s)
    }

    #[test]
    fn fiemap_shows_what_the_kernel_wrote_back_and_the_extents_under_v() {
        let head = "{fm_start=5, fm_length=0, fm_flags=FIEMAP_FLAG_SYNC, fm_extent_count=2}";
        let b = fiemap(1, 1);
        assert_eq!(
            show(&b, IoctlStruct::Fiemap, -9, false).as_deref(),
            Some(head)
        );
        assert_eq!(
            show(&b, IoctlStruct::Fiemap, 0, false),
            Some(format!(
                "{head} => {{fm_flags=FIEMAP_FLAG_SYNC, fm_mapped_extents=1, ...}}"
            ))
        );
        assert_eq!(
            show(&b, IoctlStruct::Fiemap, 0, true),
            Some(format!(
                "{head} => {{fm_flags=FIEMAP_FLAG_SYNC, fm_mapped_extents=1, fm_extents=[{{\
                 fe_logical=0, fe_physical=0, fe_length=0, fe_flags=FIEMAP_EXTENT_LAST|0x8000}}]}}"
            ))
        );
        // Extents that could not be read (the page ended after the header): their address.
        let b = fiemap(3, 0);
        assert!(
            show(&b, IoctlStruct::Fiemap, 0, true)
                .is_some_and(|s| s.ends_with("fm_extents=0x1020}"))
        );
        assert_eq!(show(&b[..31], IoctlStruct::Fiemap, 0, true), None);
    }

    #[test]
    fn rand_pool_info_needs_its_whole_buffer() {
        let mut b = vec![0u8; 8];
        b[0..4].copy_from_slice(&3i32.to_ne_bytes());
        b[4..8].copy_from_slice(&4i32.to_ne_bytes());
        assert_eq!(show(&b, IoctlStruct::RandPoolInfo, 0, false), None);
        b.extend_from_slice(b"abcd");
        assert_eq!(
            show(&b, IoctlStruct::RandPoolInfo, 0, false).as_deref(),
            Some("{entropy_count=3, buf_size=4, buf=\"abcd\"}")
        );
    }

    #[test]
    fn seccomp_notif_shows_what_was_passed_only_where_the_kernel_did_not_check_it() {
        let k = IoctlStruct::SeccompNotif;
        let zero = vec![0u8; 80];
        let mut notif = zero.clone();
        notif[16..20].copy_from_slice(&186u32.to_ne_bytes());
        notif[20..24].copy_from_slice(&0xc000_003eu32.to_ne_bytes());
        let text = "{id=0, pid=0, flags=0, data={nr=__NR_gettid, arch=AUDIT_ARCH_X86_64, \
                    instruction_pointer=NULL, args=[0, 0, 0, 0, 0, 0]}}";
        // Failed: the address, after what was passed if it was not zero.
        assert_eq!(show(&zero, k, -9, false).as_deref(), Some("0x1000"));
        assert_eq!(
            show(&notif, k, -9, false),
            Some(format!("{text} => 0x1000"))
        );
        // A real success was passed zeroes (the kernel insists): what it wrote.
        assert_eq!(show(&notif, k, 0, false).as_deref(), Some(text));
        // An injected one left the caller's bytes: both.
        assert_eq!(
            show_call(&notif, k, 42, true, false),
            Some(format!("{text} => {text}"))
        );
    }
}
