//! Flag and value tables as data, and the printing of a value through one (strace's xlat).

/// A named value or bit.
pub type Xlat = &'static [(u64, &'static str)];

/// Prints `v` as `A|B|0x40`: known bits by name, the rest in hex; `0` if nothing is set.
pub fn flags(out: &mut String, v: u64, table: Xlat) {
    let mut rest = v;
    let mut first = true;
    for &(bit, name) in table {
        if bit != 0 && rest & bit == bit {
            if !first {
                out.push('|');
            }
            out.push_str(name);
            first = false;
            rest &= !bit;
        }
    }
    if rest != 0 || first {
        if !first {
            out.push('|');
        }
        if rest == 0 {
            out.push('0');
        } else {
            put!(out, "{rest:#x}");
        }
    }
}

/// Prints `v` by exact name, or as a number.
pub fn value(out: &mut String, v: u64, table: Xlat) {
    match table.iter().find(|(x, _)| *x == v) {
        Some((_, name)) => out.push_str(name),
        None => out.push_str(&format!("{v:#x}")),
    }
}

/// Name of an exact value.
pub fn name_of(v: u64, table: Xlat) -> Option<&'static str> {
    table.iter().find(|(x, _)| *x == v).map(|(_, n)| *n)
}

/// A printer's output for one value, for table-driven tests of the subject modules.
#[cfg(test)]
pub fn render(f: fn(&mut String, u64), v: u64) -> String {
    let mut o = String::new();
    f(&mut o, v);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Xlat = &[(1, "A"), (2, "B"), (8, "D")];

    #[test]
    fn flag_printing() {
        let p = |v| {
            let mut s = String::new();
            flags(&mut s, v, T);
            s
        };
        assert_eq!(p(0), "0");
        assert_eq!(p(1), "A");
        assert_eq!(p(3), "A|B");
        assert_eq!(p(0x13), "A|B|0x10");
        assert_eq!(p(0x10), "0x10");
    }

    #[test]
    fn value_printing() {
        let mut s = String::new();
        value(&mut s, 2, T);
        value(&mut s, 5, T);
        assert_eq!(s, "B0x5");
    }
}
