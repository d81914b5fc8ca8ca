//! Integers in decimal, written straight into the output buffer: every line has half a dozen
//! numbers, and formatting each into a buffer of its own and copying it over costs a `memcpy`
//! call apiece (more than the digits themselves).

/// An integer type printed in decimal: its sign and magnitude.
pub trait Decimal: Copy {
    fn parts(self) -> (bool, u64);
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            fn parts(self) -> (bool, u64) {
                (false, self as u64)
            }
        }
    )*};
}
macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            fn parts(self) -> (bool, u64) {
                (self < 0, self.unsigned_abs() as u64)
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);
signed!(i8, i16, i32, i64, isize);

/// "00" to "99".
const PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// Appends `v` in decimal (a `-` first when negative).
pub fn push(out: &mut Vec<u8>, v: impl Decimal) {
    let (negative, mut v) = v.parts();
    if v < 10 && !negative {
        // Most fds, counts and results.
        out.push(b'0' + v as u8);
        return;
    }
    // The digits end at 20, so that the 20 bytes copied out from where they start are all
    // inside `buf`: a fixed-size copy is a few moves, a copy of the exact length a call.
    let mut buf = [0u8; 40];
    let mut i = 20;
    // Eight digits at a time in 32-bit arithmetic: times and pointers have 13 to 19 digits.
    while v >= 100_000_000 {
        let r = (v % 100_000_000) as u32;
        v /= 100_000_000;
        let (a, b) = ((r / 10_000) as usize, (r % 10_000) as usize);
        buf[i - 8..i - 6].copy_from_slice(&PAIRS[a / 100]);
        buf[i - 6..i - 4].copy_from_slice(&PAIRS[a % 100]);
        buf[i - 4..i - 2].copy_from_slice(&PAIRS[b / 100]);
        buf[i - 2..i].copy_from_slice(&PAIRS[b % 100]);
        i -= 8;
    }
    let mut v = v as u32 as usize;
    while v >= 100 {
        buf[i - 2..i].copy_from_slice(&PAIRS[v % 100]);
        v /= 100;
        i -= 2;
    }
    if v >= 10 {
        buf[i - 2..i].copy_from_slice(&PAIRS[v]);
        i -= 2;
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    out.reserve(20);
    let len = out.len();
    for (d, s) in out.spare_capacity_mut()[..20]
        .iter_mut()
        .zip(&buf[i..i + 20])
    {
        d.write(*s);
    }
    // SAFETY: the bytes up to `len + 20 - i` were written just above, within the capacity
    // reserved for them (a u64 has at most 20 digits; an i64 19 and its sign).
    unsafe { out.set_len(len + 20 - i) };
}

/// Appends `v` in decimal to a `String`.
pub fn push_str(out: &mut String, v: impl Decimal) {
    // SAFETY: only ASCII digits and `-` are appended, so the string stays UTF-8.
    push(unsafe { out.as_mut_vec() }, v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_width_and_sign_prints_as_display_does() {
        let mut values: Vec<i128> = vec![0, 1, -1, 9, 10, 11, 99, 100, 101, -10, -99, -100];
        for p in 0..20 {
            let t = 10i128.pow(p);
            values.extend([t - 1, t, t + 1, -(t - 1), -t, -(t + 1), 7 * t + 3]);
        }
        values.extend([
            i128::from(i64::MIN),
            i128::from(i64::MAX),
            i128::from(u64::MAX),
            i128::from(u32::MAX),
            i128::from(i32::MIN),
        ]);
        for v in values {
            let mut out = b"x".to_vec();
            if let Ok(u) = u64::try_from(v) {
                push(&mut out, u);
                assert_eq!(out, format!("x{u}").as_bytes(), "{u}");
                out.truncate(1);
            }
            if let Ok(s) = i64::try_from(v) {
                push(&mut out, s);
                assert_eq!(out, format!("x{s}").as_bytes(), "{s}");
                out.truncate(1);
            }
            if let Ok(s) = i32::try_from(v) {
                let mut t = String::from("y");
                push_str(&mut t, s);
                assert_eq!(t, format!("y{s}"));
            }
        }
    }
}
