//! Memory values: `PROT_*`, `MAP_*`, `MREMAP_*` (include/uapi/asm-generic/mman-common.h and
//! arch/x86/include/uapi/asm/mman.h).
use super::xlat::{self, Xlat};

const PROT: Xlat = &[
    (0x1, "PROT_READ"),
    (0x2, "PROT_WRITE"),
    (0x4, "PROT_EXEC"),
    (0x8, "PROT_SEM"),
    (0x01000000, "PROT_GROWSDOWN"),
    (0x02000000, "PROT_GROWSUP"),
];

pub fn prot(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("PROT_NONE");
    } else if PROT.iter().all(|&(bit, _)| v & bit != bit) {
        super::consts::unknown(out, v, "PROT_???");
    } else {
        xlat::flags(out, v, PROT);
    }
}

const MAP_TYPES: Xlat = &[
    (0x1, "MAP_SHARED"),
    (0x2, "MAP_PRIVATE"),
    (0x3, "MAP_SHARED_VALIDATE"),
];

const MAP_FLAGS: Xlat = &[
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x40, "MAP_32BIT"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
    (0x4000000, "MAP_UNINITIALIZED"),
];

/// `MAP_PRIVATE|MAP_ANONYMOUS`, as strace 6.1 prints them: an unknown type as
/// `0xf /* MAP_??? */`, a huge-page size in bits 26..31 as `21<<MAP_HUGE_SHIFT`.
pub fn map_flags(out: &mut String, v: u64) {
    let ty = v & 0xf;
    match xlat::name_of(ty, MAP_TYPES) {
        Some(n) => out.push_str(n),
        None => super::consts::unknown(out, ty, "MAP_???"),
    }
    const HUGE: u64 = 0x3f << 26;
    let rest = v & !0xf & !HUGE;
    if rest != 0 {
        out.push('|');
        xlat::flags(out, rest, MAP_FLAGS);
    }
    if v & HUGE != 0 {
        put!(out, "|{}<<MAP_HUGE_SHIFT", (v & HUGE) >> 26);
    }
}

pub fn mremap_flags(out: &mut String, v: u64) {
    const T: Xlat = &[
        (1, "MREMAP_MAYMOVE"),
        (2, "MREMAP_FIXED"),
        (4, "MREMAP_DONTUNMAP"),
    ];
    xlat::flags(out, v, T);
}

pub fn madvise(out: &mut String, v: u64) {
    const T: Xlat = &[
        (0, "MADV_NORMAL"),
        (1, "MADV_RANDOM"),
        (2, "MADV_SEQUENTIAL"),
        (3, "MADV_WILLNEED"),
        (4, "MADV_DONTNEED"),
        (8, "MADV_FREE"),
        (9, "MADV_REMOVE"),
        (10, "MADV_DONTFORK"),
        (11, "MADV_DOFORK"),
        (12, "MADV_MERGEABLE"),
        (13, "MADV_UNMERGEABLE"),
        (14, "MADV_HUGEPAGE"),
        (15, "MADV_NOHUGEPAGE"),
        (16, "MADV_DONTDUMP"),
        (17, "MADV_DODUMP"),
        (18, "MADV_WIPEONFORK"),
        (19, "MADV_KEEPONFORK"),
        (20, "MADV_COLD"),
        (21, "MADV_PAGEOUT"),
        (22, "MADV_POPULATE_READ"),
        (23, "MADV_POPULATE_WRITE"),
        (24, "MADV_DONTNEED_LOCKED"),
        (25, "MADV_COLLAPSE"),
        (100, "MADV_HWPOISON"),
        (101, "MADV_SOFT_OFFLINE"),
    ];
    match xlat::name_of(v, T) {
        Some(n) => out.push_str(n),
        None => super::consts::unknown(out, v, "MADV_???"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::xlat::render as s;

    #[test]
    fn prot_like_strace() {
        assert_eq!(s(prot, 0), "PROT_NONE");
        assert_eq!(s(prot, 3), "PROT_READ|PROT_WRITE");
        assert_eq!(s(prot, 5), "PROT_READ|PROT_EXEC");
        // No known bit: the number and the family, as strace 6.1 prints pkey_mprotect.
        assert_eq!(s(prot, 0x10), "0x10 /* PROT_??? */");
    }

    #[test]
    fn map_like_strace() {
        assert_eq!(s(map_flags, 0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
        assert_eq!(s(map_flags, 0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
        assert_eq!(s(map_flags, 0x1), "MAP_SHARED");
        assert_eq!(s(map_flags, 0x20022), "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK");
        assert_eq!(
            s(map_flags, 0x40022 | (21 << 26)),
            "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT"
        );
    }
}
