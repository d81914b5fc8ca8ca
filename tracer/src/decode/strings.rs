//! strace's string quoting: `"..."` with C escapes, octal for other bytes (or hex with `-x`,
//! everything hex with `-xx`), cut at `-s` bytes and followed by `...` when cut.

/// How non-printable bytes are written (`-x`, `-xx`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hex {
    #[default]
    None,
    /// `-x`: a string with a byte neither printable nor white space all in hex.
    NonPrintable,
    /// `--strings-in-hex=non-ascii-chars`: those bytes alone in hex.
    NonAsciiChars,
    All,
}

/// Printable bytes, copied as they are: ' ' to '~' but `"` and `\\`.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0x20;
    while i <= 0x7e {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = false;
    t[b'\\' as usize] = false;
    t
};

/// The letter of a byte's C escape (`\n` ...), 0 for none.
const NAMED: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'\t' as usize] = b't';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[0x0b] = b'v';
    t[0x0c] = b'f';
    t
};

/// A path inside `<...>` as strace's `-y` prints it: escaped as [`quote`] escapes (octal,
/// `\n`, `\"`, `\\`; bytes past ASCII too), without the quotes, and `<` `>` in octal so that
/// they cannot be taken for the brackets. A name without such bytes is borrowed as it is.
pub fn fd_path(name: &str) -> std::borrow::Cow<'_, str> {
    let plain = |b: &u8| PLAIN[usize::from(*b)] && *b != b'<' && *b != b'>';
    if name.as_bytes().iter().all(plain) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut q = String::with_capacity(name.len() + 8);
    quote(&mut q, &raw_bytes(name), usize::MAX, false, Hex::None);
    let inner = &q[1..q.len() - 1];
    let mut out = String::with_capacity(inner.len() + 8);
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' | '>' => {
                // As short as it can be unless a digit follows (strace's rule).
                let digit = chars.peek().is_some_and(|d| ('0'..='7').contains(d));
                let code = if c == '<' { "74" } else { "76" };
                out.push('\\');
                if digit {
                    out.push('0');
                }
                out.push_str(code);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A name's bytes, with the code points `procfs::path_text` used for bytes that were not
/// UTF-8 turned back into those bytes.
fn raw_bytes(name: &str) -> std::borrow::Cow<'_, [u8]> {
    let base = crate::procfs::RAW_BYTE_BASE;
    if !name
        .chars()
        .any(|c| (base..base + 256).contains(&u32::from(c)))
    {
        return std::borrow::Cow::Borrowed(name.as_bytes());
    }
    let mut b = Vec::with_capacity(name.len());
    for c in name.chars() {
        match u32::from(c).checked_sub(base) {
            Some(x) if x < 256 => b.push(x as u8),
            _ => b.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    std::borrow::Cow::Owned(b)
}

/// Quotes `bytes`, showing at most `max` of them; `more` says the source went on past `bytes`.
/// A byte at a time through tables, every escape a fixed-size copy (no `memcpy` calls: most
/// quoted buffers are a few bytes, `"\0"`).
pub fn quote(out: &mut String, bytes: &[u8], max: usize, more: bool, hex: Hex) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let shown = &bytes[..bytes.len().min(max)];
    // -x: a string with a byte that is neither printable nor white space is all hex, else
    // it prints as without -x (strace's rule: the whole string, not byte by byte).
    let hex = match hex {
        Hex::NonPrintable
            if shown
                .iter()
                .any(|&b| b > 0x7e || (b < b' ' && !(9..=13).contains(&b))) =>
        {
            Hex::All
        }
        Hex::NonPrintable => Hex::None,
        h => h,
    };
    // SAFETY: only ASCII bytes are pushed, so the String stays UTF-8.
    let o = unsafe { out.as_mut_vec() };
    o.reserve(shown.len() + 2);
    o.push(b'"');
    for (i, &b) in shown.iter().enumerate() {
        if hex != Hex::All {
            if PLAIN[usize::from(b)] {
                o.push(b);
                continue;
            }
            let e = NAMED[usize::from(b)];
            if e != 0 {
                o.extend_from_slice(&[b'\\', e]);
                continue;
            }
        }
        if hex != Hex::None {
            o.extend_from_slice(&[
                b'\\',
                b'x',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
            continue;
        }
        // Octal, as short as it can be unless a digit follows (strace's rule).
        let digits = [b'0' + (b >> 6), b'0' + ((b >> 3) & 7), b'0' + (b & 7)];
        let next_is_digit = shown.get(i + 1).is_some_and(|c| (b'0'..=b'7').contains(c));
        if next_is_digit || b >= 0o100 {
            o.extend_from_slice(&[b'\\', digits[0], digits[1], digits[2]]);
        } else if b >= 0o10 {
            o.extend_from_slice(&[b'\\', digits[1], digits[2]]);
        } else {
            o.extend_from_slice(&[b'\\', digits[2]]);
        }
    }
    o.push(b'"');
    if more || bytes.len() > max {
        out.push_str("...");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fd_paths_escape_as_strace_does() {
        assert_eq!(fd_path("/etc/passwd"), "/etc/passwd");
        assert!(matches!(
            fd_path("/etc/passwd"),
            std::borrow::Cow::Borrowed(_)
        ));
        // strace 6.1's fsync-y name (its UTF-8 part): controls, quotes, brackets.
        assert_eq!(
            fd_path(
                "/d/\x01\x020\x0b\x047\x0c\x058\t\x079\n\x10\x171\r\x167\x118\x1f \\'\"<<0::0>>1~\x7f"
            ),
            "/d/\\1\\0020\\v\\0047\\f\\58\\t\\79\\n\\20\\0271\\r\\0267\\218\\37 \\\\'\\\"\\74\\0740::0\\76\\0761~\\177"
        );
    }

    /// The first implementation (runs copied whole), kept to check the table-driven one.
    fn reference(out: &mut String, bytes: &[u8], max: usize, more: bool, hex: Hex) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let shown = &bytes[..bytes.len().min(max)];
        // SAFETY: only ASCII bytes are pushed, so the String stays UTF-8.
        let o = unsafe { out.as_mut_vec() };
        o.reserve(shown.len() + 2);
        o.push(b'"');
        let plain = |c: &u8| (0x20..=0x7e).contains(c) && *c != b'"' && *c != b'\\';
        let mut i = 0;
        while i < shown.len() {
            if hex != Hex::All {
                // A run of printable bytes is copied whole.
                let run = shown[i..].iter().take_while(|c| plain(c)).count();
                if run > 0 {
                    o.extend_from_slice(&shown[i..i + run]);
                    i += run;
                    continue;
                }
            }
            let b = shown[i];
            let esc: &[u8] = match b {
                _ if hex == Hex::All => b"",
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                0x0b => b"\\v",
                0x0c => b"\\f",
                _ => b"",
            };
            if !esc.is_empty() {
                o.extend_from_slice(esc);
            } else if hex != Hex::None {
                o.extend_from_slice(&[
                    b'\\',
                    b'x',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 15)],
                ]);
            } else {
                // Octal, as short as it can be unless a digit follows (strace's rule).
                let next_is_digit = shown.get(i + 1).is_some_and(|c| (b'0'..=b'7').contains(c));
                let digits = [b'0' + (b >> 6), b'0' + ((b >> 3) & 7), b'0' + (b & 7)];
                let skip = if next_is_digit {
                    0
                } else {
                    digits.iter().take(2).take_while(|d| **d == b'0').count()
                };
                o.push(b'\\');
                o.extend_from_slice(&digits[skip..]);
            }
            i += 1;
        }
        o.push(b'"');
        if more || bytes.len() > max {
            out.push_str("...");
        }
    }

    #[test]
    fn tables_quote_every_byte_pair_as_the_first_implementation_did() {
        for hex in [Hex::None, Hex::NonPrintable, Hex::All] {
            for a in 0..=255u8 {
                for b in 0..=255u8 {
                    let bytes = [a, b, b'7', a];
                    for len in [1, 2, 4] {
                        let (mut x, mut y) = (String::new(), String::new());
                        quote(&mut x, &bytes[..len], 3, false, hex);
                        // -x: all hex when a shown byte is neither printable nor space.
                        let odd = |c: &u8| *c > 0x7e || (*c < b' ' && !(9..=13).contains(c));
                        let effective = match hex {
                            Hex::NonPrintable if bytes[..len.min(3)].iter().any(odd) => Hex::All,
                            Hex::NonPrintable => Hex::None,
                            h => h,
                        };
                        reference(&mut y, &bytes[..len], 3, false, effective);
                        assert_eq!(x, y, "{:?} {hex:?}", &bytes[..len]);
                    }
                }
            }
        }
    }

    fn q(b: &[u8], max: usize, more: bool, hex: Hex) -> String {
        let mut s = String::new();
        quote(&mut s, b, max, more, hex);
        s
    }

    #[test]
    fn paths_that_are_not_utf8_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let p = std::path::Path::new(std::ffi::OsStr::from_bytes(b"/tmp/a\x80\xffb\xc3\xa9"));
        let text = crate::procfs::path_text(p);
        assert_eq!(fd_path(&text), "/tmp/a\\200\\377b\\303\\251");
    }

    #[test]
    fn escapes_like_strace() {
        assert_eq!(q(b"/etc/passwd", 32, false, Hex::None), "\"/etc/passwd\"");
        assert_eq!(q(b"a\"b\\c", 32, false, Hex::None), "\"a\\\"b\\\\c\"");
        assert_eq!(q(b"x\n\t", 32, false, Hex::None), "\"x\\n\\t\"");
        assert_eq!(q(b"\x1b[0m", 32, false, Hex::None), "\"\\33[0m\"");
        assert_eq!(q(b"\x001", 32, false, Hex::None), "\"\\0001\"");
        assert_eq!(q(b"\x00a", 32, false, Hex::None), "\"\\0a\"");
        assert_eq!(q(b"\xff", 32, false, Hex::None), "\"\\377\"");
    }

    #[test]
    fn truncation_and_hex() {
        assert_eq!(q(b"abcdef", 3, false, Hex::None), "\"abc\"...");
        assert_eq!(q(b"abc", 3, true, Hex::None), "\"abc\"...");
        // -x: one byte neither printable nor space makes the whole string hex.
        assert_eq!(q(b"a\x01", 32, false, Hex::NonPrintable), "\"\\x61\\x01\"");
        assert_eq!(q(b"a\tb", 32, false, Hex::NonPrintable), "\"a\\tb\"");
        assert_eq!(q(b"a\n\xff", 32, false, Hex::All), "\"\\x61\\x0a\\xff\"");
        assert_eq!(q(b"\x7f\x00\x08", 32, false, Hex::None), "\"\\177\\0\\10\"");
        assert_eq!(q(b"ab", 32, false, Hex::All), "\"\\x61\\x62\"");
    }
}
