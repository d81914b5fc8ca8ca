//! strace's string quoting: `"..."` with C escapes, octal for other bytes (or hex with `-x`,
//! everything hex with `-xx`), cut at `-s` bytes and followed by `...` when cut.

/// How non-printable bytes are written (`-x`, `-xx`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hex {
    #[default]
    None,
    NonPrintable,
    All,
}

/// Quotes `bytes`, showing at most `max` of them; `more` says the source went on past `bytes`.
pub fn quote(out: &mut String, bytes: &[u8], max: usize, more: bool, hex: Hex) {
    let shown = &bytes[..bytes.len().min(max)];
    out.push('"');
    for (i, &b) in shown.iter().enumerate() {
        if hex == Hex::All {
            put!(out, "\\x{b:02x}");
            continue;
        }
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(b as char),
            _ if hex == Hex::NonPrintable => out.push_str(&format!("\\x{b:02x}")),
            _ => {
                let next_is_digit = shown.get(i + 1).is_some_and(|c| (b'0'..=b'7').contains(c));
                if next_is_digit {
                    put!(out, "\\{b:03o}");
                } else {
                    put!(out, "\\{b:o}");
                }
            }
        }
    }
    out.push('"');
    if more || bytes.len() > max {
        out.push_str("...");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(b: &[u8], max: usize, more: bool, hex: Hex) -> String {
        let mut s = String::new();
        quote(&mut s, b, max, more, hex);
        s
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
        assert_eq!(q(b"a\x01", 32, false, Hex::NonPrintable), "\"a\\x01\"");
        assert_eq!(q(b"ab", 32, false, Hex::All), "\"\\x61\\x62\"");
    }
}
