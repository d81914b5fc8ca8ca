//! perf_event_open(2)'s `struct perf_event_attr`, as strace prints it: as many bytes as its
//! `size` says (the largest layout strace 6.1 knows is 128 bytes), the bit flags that are set
//! (all of them under `-v`), the fields past the flags only under `-v`, each as far as the
//! size reaches, and the size the kernel wants after E2BIG (`size=0xa0 => 0x88`).
use super::consts::{self, Consts};
use super::sockaddr_consts as t;
use super::{Opts, fs::c_hex, ptr};

const fn table(table: super::xlat::Xlat, unknown: &'static str) -> Consts {
    Consts {
        table,
        unknown,
        int: false,
        field: (0, "", false),
    }
}

static TYPES: Consts = table(t::PERF_TYPE_IDS, "PERF_TYPE_???");
static SIZES: Consts = table(t::PERF_ATTR_SIZES, "PERF_ATTR_SIZE_???");
static HW_IDS: Consts = table(t::PERF_HW_IDS, "PERF_COUNT_HW_???");
static SW_IDS: Consts = table(t::PERF_SW_IDS, "PERF_COUNT_SW_???");
static CACHE_IDS: Consts = table(t::PERF_HW_CACHE_IDS, "PERF_COUNT_HW_CACHE_???");
static CACHE_OPS: Consts = table(t::PERF_HW_CACHE_OP_IDS, "PERF_COUNT_HW_CACHE_OP_???");
static CACHE_RESULTS: Consts = table(
    t::PERF_HW_CACHE_OP_RESULT_IDS,
    "PERF_COUNT_HW_CACHE_RESULT_???",
);
static SAMPLE_TYPES: Consts = table(t::PERF_SAMPLE_FORMATS, "PERF_SAMPLE_???");
static READ_FORMATS: Consts = table(t::PERF_READ_FORMATS, "PERF_FORMAT_???");
static BRANCH_TYPES: Consts = table(t::PERF_BRANCH_SAMPLE_TYPES, "PERF_SAMPLE_BRANCH_???");
static CLOCKS: Consts = table(t::CLOCK_NAMES, "CLOCK_???");

/// The one-bit flags of the word at offset 40, in order (bits 15–16 are precise_ip).
const FLAGS: [(u32, &str); 37] = [
    (0, "disabled"),
    (1, "inherit"),
    (2, "pinned"),
    (3, "exclusive"),
    (4, "exclude_user"),
    (5, "exclude_kernel"),
    (6, "exclude_hv"),
    (7, "exclude_idle"),
    (8, "mmap"),
    (9, "comm"),
    (10, "freq"),
    (11, "inherit_stat"),
    (12, "enable_on_exec"),
    (13, "task"),
    (14, "watermark"),
    (15, "precise_ip"),
    (17, "mmap_data"),
    (18, "sample_id_all"),
    (19, "exclude_host"),
    (20, "exclude_guest"),
    (21, "exclude_callchain_kernel"),
    (22, "exclude_callchain_user"),
    (23, "mmap2"),
    (24, "comm_exec"),
    (25, "use_clockid"),
    (26, "context_switch"),
    (27, "write_backward"),
    (28, "namespaces"),
    (29, "ksymbol"),
    (30, "bpf_event"),
    (31, "aux_output"),
    (32, "cgroup"),
    (33, "text_poke"),
    (34, "build_id"),
    (35, "inherit_thread"),
    (36, "remove_on_exec"),
    (37, "sigtrap"),
];

const PRECISE_IP: [&str; 4] = [
    "arbitrary skid",
    "constant skid",
    "requested to have 0 skid",
    "must have 0 skid",
];

/// The smallest layout (PERF_ATTR_SIZE_VER0) and the largest strace 6.1 knows.
const VER0: usize = 64;
const KNOWN: usize = 128;
/// What strace reads without -v: up to `wakeup_events`.
const ABBREV: usize = 48;
const TYPE_BREAKPOINT: u32 = 5;
const SAMPLE_BRANCH_STACK: u64 = 1 << 11;
const SAMPLE_STACK_USER: u64 = 1 << 13;

/// The attributes at `addr`: `b` the bytes copied at exit, `size_in` the size field as the
/// caller gave it (when the enter hook saved it; else the one read at exit).
pub fn attr(out: &mut String, addr: u64, b: Option<&[u8]>, size_in: Option<u32>, opts: &Opts) {
    let Some(b) = b.filter(|b| addr != 0 && b.len() >= 8) else {
        return ptr(out, addr);
    };
    let size_now = u32::from_ne_bytes(b[4..8].try_into().unwrap_or_default());
    let size_field = size_in.unwrap_or(size_now);
    let given = match size_field as usize {
        0 => VER0,
        s => s.min(KNOWN),
    };
    if given < VER0 {
        return ptr(out, addr);
    }
    let size = if opts.verbose { given } else { ABBREV };
    if b.len() < size {
        return ptr(out, addr);
    }
    let mut z = [0u8; KNOWN];
    z[..size].copy_from_slice(&b[..size]);
    fields(out, &z, size, (size_field, size_now), opts);
}

fn fields(out: &mut String, b: &[u8; KNOWN], size: usize, sizes: (u32, u32), opts: &Opts) {
    let u16_at = |o: usize| u16::from_ne_bytes([b[o], b[o + 1]]);
    let u32_at = |o: usize| u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default());
    let u64_at = |o: usize| u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default());
    let (ty, config, sample_type) = (u32_at(0), u64_at(8), u64_at(24));
    let flags = u64_at(40);
    let bit = |n: u32| (flags >> n) & 1;
    out.push_str("{type=");
    consts::styled(out, u64::from(ty), &TYPES, false, opts);
    out.push_str(", size=");
    consts::styled(out, u64::from(sizes.0), &SIZES, false, opts);
    if sizes.1 != sizes.0 {
        out.push_str(" => ");
        consts::styled(out, u64::from(sizes.1), &SIZES, false, opts);
    }
    out.push_str(", config=");
    let high = |out: &mut String, v: u64, shift: u32| {
        c_hex(out, v);
        put!(out, "<<{shift}|");
    };
    match ty {
        0 => {
            if config >> 32 != 0 {
                high(out, config >> 32, 32);
            }
            consts::styled(out, config & 0xffff_ffff, &HW_IDS, false, opts);
        }
        1 => consts::styled(out, config, &SW_IDS, false, opts),
        2 => put!(out, "{config}"),
        3 => {
            if config >> 32 != 0 {
                high(out, config >> 32, 32);
            }
            if (config & 0xffff_ffff) >> 24 != 0 {
                high(out, (config & 0xffff_ffff) >> 24, 24);
            }
            consts::styled(out, (config >> 16) & 0xff, &CACHE_RESULTS, false, opts);
            out.push_str("<<16|");
            consts::styled(out, (config >> 8) & 0xff, &CACHE_OPS, false, opts);
            out.push_str("<<8|");
            consts::styled(out, config & 0xff, &CACHE_IDS, false, opts);
        }
        _ => c_hex(out, config),
    }
    let period = u64_at(16);
    if bit(10) != 0 {
        put!(out, ", sample_freq={period}");
    } else {
        put!(out, ", sample_period={period}");
    }
    out.push_str(", sample_type=");
    consts::styled(out, sample_type, &SAMPLE_TYPES, true, opts);
    out.push_str(", read_format=");
    consts::styled(out, u64_at(32), &READ_FORMATS, true, opts);
    for (n, name) in FLAGS {
        if n == 15 {
            let p = (flags >> 15) & 3;
            put!(out, ", precise_ip={p} /* {} */", PRECISE_IP[p as usize]);
        } else if opts.verbose || bit(n) != 0 {
            put!(out, ", {name}={}", bit(n));
        }
    }
    if flags >> 38 != 0 {
        put!(out, ", __reserved_1={:#x} /* Bits 63..38 */", flags >> 38);
    }
    'more: {
        if !opts.verbose {
            break 'more;
        }
        if bit(14) != 0 {
            put!(out, ", wakeup_watermark={}", u32_at(48));
        } else {
            put!(out, ", wakeup_events={}", u32_at(48));
        }
        let breakpoint = ty == TYPE_BREAKPOINT;
        if breakpoint {
            let bp = u32_at(52);
            let unknown = if bp <= 7 {
                "HW_BREAKPOINT_INVALID"
            } else {
                "HW_BREAKPOINT_???"
            };
            out.push_str(", bp_type=");
            consts::styled(
                out,
                u64::from(bp),
                &table(t::HW_BREAKPOINT_TYPES, unknown),
                false,
                opts,
            );
        }
        out.push_str(if breakpoint {
            ", bp_addr="
        } else {
            ", config1="
        });
        c_hex(out, u64_at(56));
        // Past config1, each field only when the size reaches it.
        let reaches = |at: usize| at < size;
        if !reaches(64) {
            break 'more;
        }
        if breakpoint {
            put!(out, ", bp_len={}", u64_at(64));
        } else {
            out.push_str(", config2=");
            c_hex(out, u64_at(64));
        }
        if !reaches(72) {
            break 'more;
        }
        if sample_type & SAMPLE_BRANCH_STACK != 0 {
            out.push_str(", branch_sample_type=");
            consts::styled(out, u64_at(72), &BRANCH_TYPES, true, opts);
        }
        if !reaches(80) {
            break 'more;
        }
        out.push_str(", sample_regs_user=");
        c_hex(out, u64_at(80));
        if !reaches(88) {
            break 'more;
        }
        if sample_type & SAMPLE_STACK_USER != 0 {
            out.push_str(", sample_stack_user=");
            c_hex(out, u64::from(u32_at(88)));
        }
        if bit(25) != 0 {
            if !reaches(92) {
                break 'more;
            }
            out.push_str(", clockid=");
            consts::styled(out, u64::from(u32_at(92)), &CLOCKS, false, opts);
        }
        if !reaches(96) {
            break 'more;
        }
        out.push_str(", sample_regs_intr=");
        c_hex(out, u64_at(96));
        if !reaches(104) {
            break 'more;
        }
        put!(out, ", aux_watermark={}", u32_at(104));
        if !reaches(108) {
            break 'more;
        }
        put!(out, ", sample_max_stack={}", u16_at(108));
        if !reaches(110) {
            break 'more;
        }
        if u16_at(110) != 0 {
            put!(out, " /* bytes 110..111: {:#x} */", u16_at(110));
        }
        if !reaches(112) {
            break 'more;
        }
        put!(out, ", aux_sample_size={}", u32_at(112));
        if !reaches(116) {
            break 'more;
        }
        if u32_at(116) != 0 {
            put!(out, " /* bytes 116..119: {:#x} */", u32_at(116));
        }
        if !reaches(120) {
            break 'more;
        }
        out.push_str(", sig_data=");
        c_hex(out, u64_at(120));
    }
    let given = sizes.0 as usize;
    if (given != 0 && given > size) || (given == 0 && size < VER0) {
        out.push_str(", ...");
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(b: &[u8], size_in: Option<u32>, verbose: bool) -> String {
        let opts = Opts {
            verbose,
            ..Opts::default()
        };
        let mut s = String::new();
        attr(&mut s, 0x1000, Some(b), size_in, &opts);
        s
    }

    #[test]
    fn attributes_print_as_strace_prints_them() {
        let mut b = [0u8; 128];
        b[4..8].copy_from_slice(&128u32.to_ne_bytes());
        // PERF_TYPE_HARDWARE (0), instructions (1), exclude_kernel and precise_ip=2.
        b[8..16].copy_from_slice(&1u64.to_ne_bytes());
        b[16..24].copy_from_slice(&1000u64.to_ne_bytes());
        b[40..48].copy_from_slice(&(1u64 << 5 | 2 << 15).to_ne_bytes());
        assert_eq!(
            text(&b, None, false),
            "{type=PERF_TYPE_HARDWARE, size=PERF_ATTR_SIZE_VER7, config=PERF_COUNT_HW_INSTRUCTIONS, \
             sample_period=1000, sample_type=0, read_format=0, exclude_kernel=1, \
             precise_ip=2 /* requested to have 0 skid */, ...}"
        );
        let v = text(&b, None, true);
        assert!(v.contains(", disabled=0, inherit=0, "), "{v}");
        assert!(v.ends_with(", aux_sample_size=0, sig_data=0}"), "{v}");
        // E2BIG: the size the caller gave, then the one the kernel wants; a size below the
        // first layout's, the address.
        b[4..8].copy_from_slice(&72u32.to_ne_bytes());
        let e = text(&b, Some(160), true);
        assert!(e.starts_with("{type=PERF_TYPE_HARDWARE, size=0xa0 /* PERF_ATTR_SIZE_??? */ => PERF_ATTR_SIZE_VER1, "), "{e}");
        b[4..8].copy_from_slice(&8u32.to_ne_bytes());
        assert_eq!(text(&b, None, false), "0x1000");
    }
}
