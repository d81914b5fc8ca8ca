//! SysV IPC: keys, the get calls' flags and modes, the ctl calls' commands and structures,
//! as strace prints them.
use super::{Consts as Style, Opts, consts};
use crate::syscalls::IpcStruct;

/// A key: `IPC_PRIVATE` (0), else its 32 bits in hex.
pub fn key(out: &mut String, v: u64, opts: &Opts) {
    let k = v as u32;
    if k == 0 {
        super::styled(out, opts, |o| o.push('0'), |o| o.push_str("IPC_PRIVATE"));
    } else {
        put!(out, "{k:#x}");
    }
}

/// msgget/semget/shmget's flags: the named bits, the others in hex, shmget's huge page
/// size (`21<<SHM_HUGE_SHIFT`), then the mode in octal.
pub fn get_flags(out: &mut String, v: u64, shm: bool, opts: &Opts) {
    let v = v & 0xffff_ffff;
    let mode = v & 0o777;
    let (huge, rest) = if shm {
        (v >> 26 & 0x3f, v & !0o777 & !(0x3f << 26))
    } else {
        (0, v & !0o777)
    };
    let table = if shm {
        &consts::SHM_GET_FLAGS
    } else {
        &consts::IPC_GET_FLAGS
    };
    // The named bits and the unknown rest, without the huge page field.
    let named = |o: &mut String| {
        let mut left = rest;
        for &(bit, name) in table.table {
            if rest & bit == bit {
                if left != rest {
                    o.push('|');
                }
                o.push_str(name);
                left &= !bit;
            }
        }
        if left != 0 {
            if left != rest {
                o.push('|');
            }
            put!(o, "{left:#x}");
        }
    };
    let any_named = table.any_known(rest);
    match opts.consts {
        Style::Raw => {
            if rest != 0 {
                put!(out, "{rest:#x}|");
            }
            if huge != 0 {
                put!(out, "{huge}<<26|");
            }
        }
        Style::Verbose => {
            if rest != 0 {
                put!(out, "{rest:#x}");
                if any_named {
                    out.push_str(" /* ");
                    named(out);
                    out.push_str(" */");
                }
                out.push('|');
            }
            if huge != 0 {
                put!(out, "{huge}<<26 /* SHM_HUGE_SHIFT */|");
            }
        }
        Style::Abbrev => {
            if rest != 0 {
                named(out);
                out.push('|');
            }
            if huge != 0 {
                put!(out, "{huge}<<SHM_HUGE_SHIFT|");
            }
        }
    }
    super::fs::numeric_mode(out, mode);
}

/// A ctl command, `IPC_64|` first when the caller set it.
pub fn cmd(out: &mut String, v: u64, c: &consts::Consts, opts: &Opts) {
    let v = v & 0xffff_ffff;
    if v & 0x100 != 0 {
        super::styled(out, opts, |o| o.push_str("0x100"), |o| o.push_str("IPC_64"));
        out.push('|');
    }
    consts::styled(out, v & !0x100, c, false, opts);
}

fn i32_at(b: &[u8], o: usize) -> i32 {
    i32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default())
}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or_default())
}

fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or_default())
}

/// `struct ipc64_perm`: all of it, or (what IPC_SET sets) the owner and mode.
fn perm(out: &mut String, name: &str, b: &[u8], full: bool) {
    put!(
        out,
        "{name}={{uid={}, gid={}, mode=",
        u32_at(b, 4),
        u32_at(b, 8)
    );
    super::fs::numeric_mode(out, u64::from(u16::from_ne_bytes([b[20], b[21]])));
    if full {
        put!(
            out,
            ", key={}, cuid={}, cgid={}",
            i32_at(b, 0),
            u32_at(b, 12),
            u32_at(b, 16)
        );
    }
    out.push('}');
}

/// `name=value` for consecutive fields of `width` bytes from the start.
fn fields<T: std::fmt::Display>(
    out: &mut String,
    b: &[u8],
    names: &[&str],
    width: usize,
    at: impl Fn(&[u8], usize) -> T,
) {
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        put!(out, "{n}={}", at(b, width * i));
    }
}

/// A structure of a ctl command (false: too short).
pub fn structure(out: &mut String, b: &[u8], k: IpcStruct) -> bool {
    use IpcStruct::*;
    if b.len() < usize::from(k.size().0) {
        return false;
    }
    out.push('{');
    match k {
        MsqidOut => {
            perm(out, "msg_perm", b, true);
            put!(
                out,
                ", msg_stime={}, msg_rtime={}, msg_ctime={}, msg_qnum={}, msg_qbytes={}, msg_lspid={}, msg_lrpid={}",
                u64_at(b, 48) as i64,
                u64_at(b, 56) as i64,
                u64_at(b, 64) as i64,
                u64_at(b, 80),
                u64_at(b, 88),
                i32_at(b, 96),
                i32_at(b, 100)
            );
        }
        MsqidIn => {
            perm(out, "msg_perm", b, false);
            put!(out, ", msg_qbytes={}", u64_at(b, 88));
        }
        MsgInfo => {
            let names = [
                "msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql",
            ];
            fields(out, b, &names, 4, |b, o| i64::from(i32_at(b, o)));
            put!(out, ", msgseg={}", u16::from_ne_bytes([b[28], b[29]]));
        }
        SemidOut => {
            perm(out, "sem_perm", b, true);
            put!(
                out,
                ", sem_otime={}, sem_ctime={}, sem_nsems={}",
                u64_at(b, 48) as i64,
                u64_at(b, 64) as i64,
                u64_at(b, 80)
            );
        }
        SemidIn => perm(out, "sem_perm", b, false),
        SemInfo => {
            let names = [
                "semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz",
                "semvmx", "semaem",
            ];
            fields(out, b, &names, 4, |b, o| i64::from(i32_at(b, o)));
        }
        ShmidOut => {
            perm(out, "shm_perm", b, true);
            put!(
                out,
                ", shm_segsz={}, shm_cpid={}, shm_lpid={}, shm_nattch={}, shm_atime={}, shm_dtime={}, shm_ctime={}",
                u64_at(b, 48),
                i32_at(b, 80),
                i32_at(b, 84),
                u64_at(b, 88),
                u64_at(b, 56) as i64,
                u64_at(b, 64) as i64,
                u64_at(b, 72) as i64
            );
        }
        ShmidIn => perm(out, "shm_perm", b, false),
        ShmInfo64 => {
            let names = ["shmmax", "shmmin", "shmmni", "shmseg", "shmall"];
            fields(out, b, &names, 8, u64_at);
        }
        ShmInfo => {
            put!(out, "used_ids={}", i32_at(b, 0));
            let names = [
                "shm_tot",
                "shm_rss",
                "shm_swp",
                "swap_attempts",
                "swap_successes",
            ];
            for (i, n) in names.iter().enumerate() {
                put!(out, ", {n}={}", u64_at(b, 8 + 8 * i));
            }
        }
    }
    out.push('}');
    true
}
