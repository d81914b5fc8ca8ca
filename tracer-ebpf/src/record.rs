//! Assembling a record in the per-CPU scratch buffer and sending it with its real length.
use aya_ebpf::{
    bindings::{BPF_F_USER_STACK, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP},
    helpers::{
        bpf_get_current_comm, bpf_ktime_get_ns, bpf_probe_read_user,
        generated::{
            bpf_get_stack, bpf_probe_read_kernel, bpf_probe_read_kernel_str,
            bpf_probe_read_user as raw_read_user, bpf_probe_read_user_str,
        },
    },
};
use tracer_common::{
    COMPACT_SIZE, CpuState, INOUT_SEG, IOV_MAX_COPIED, RECORD_SIZE, Record, SCRATCH_SIZE,
    SLOT_CONTENTS, SLOT_STACK, SMALL_DATA, STACK_FRAMES, STR_CAP, STR_SLOTS, StrMeta,
    WAKEUP_CHECK_EVERY, WAKEUP_GAP_NS,
    exec_args::{ENTRY_HEAD, MAX_ELEMS},
    kind, str_status,
};

use crate::maps::{EVENTS, IOV_CAP, LOST, SCRATCH, WAKEUP_BYTES, WANT_COMM, WANT_TIME};

/// Ring-buffer query flag for the number of bytes not yet consumed.
const BPF_RB_AVAIL_DATA: u64 = 0;

/// The fields of the record in the scratch buffer that the continuations read (a copy of the
/// whole header would call the BPF memmove).
#[derive(Clone, Copy)]
pub struct Head {
    pub nr: i32,
    pub flags: u8,
    pub args: [u64; 6],
    pub ret: i64,
}

/// A record being built in the scratch buffer.
///
/// How much of the slot area is used and how many slots are taken live at the end of the
/// scratch buffer, read and written volatile: the verifier then sees an unknown (masked)
/// scalar after each step instead of one exact value per path, so the paths through a
/// program's sequence of captures merge instead of multiplying.
pub struct Builder {
    buf: *mut u8,
}

/// Where the builder's counters live in the scratch buffer: past the largest record
/// (RECORD_SIZE + 5 * STR_CAP, the masked offsets' bound).
const USED_AT: usize = SCRATCH_SIZE - 16;
const SLOT_AT: usize = SCRATCH_SIZE - 8;
const _: () = assert!(RECORD_SIZE + 5 * STR_CAP <= USED_AT);

impl Builder {
    /// Starts a record; `None` only if the scratch map is missing (never, once loaded).
    #[inline(always)]
    pub fn new(rec: Record) -> Option<Self> {
        let buf = SCRATCH.get_ptr_mut(0)?.cast::<u8>();
        copy_record(buf, &rec);
        let mut b = Self { buf };
        b.set_used(0);
        b.set_slot(0);
        Some(b)
    }

    /// Continues the record left in the scratch buffer by a program that tail-called us.
    #[inline(always)]
    pub fn resume() -> Option<Self> {
        let buf = SCRATCH.get_ptr_mut(0)?.cast::<u8>();
        let mut b = Self { buf };
        b.set_used(0);
        b.set_slot(0);
        let mut i = 0;
        while i < STR_SLOTS {
            let m = b.rec().strs[i];
            if m.status != str_status::ABSENT {
                b.set_used(b.used() + (usize::from(m.len) & (STR_CAP - 1)));
                b.set_slot(b.slot() + 1);
            }
            i += 1;
        }
        Some(b)
    }

    #[inline(always)]
    fn used(&self) -> usize {
        // SAFETY: USED_AT + 8 <= SCRATCH_SIZE, 8-aligned.
        unsafe { core::ptr::read_volatile(self.buf.add(USED_AT).cast::<u64>()) as usize }
    }

    #[inline(always)]
    fn set_used(&mut self, v: usize) {
        // SAFETY: as in `used`.
        unsafe { core::ptr::write_volatile(self.buf.add(USED_AT).cast::<u64>(), v as u64) }
    }

    #[inline(always)]
    fn slot(&self) -> usize {
        // SAFETY: SLOT_AT + 8 <= SCRATCH_SIZE, 8-aligned.
        unsafe { core::ptr::read_volatile(self.buf.add(SLOT_AT).cast::<u64>()) as usize }
    }

    #[inline(always)]
    fn set_slot(&mut self, v: usize) {
        // SAFETY: as in `slot`.
        unsafe { core::ptr::write_volatile(self.buf.add(SLOT_AT).cast::<u64>(), v as u64) }
    }

    #[inline(always)]
    pub fn head(&mut self) -> Head {
        let r = self.rec();
        let a = &r.args;
        Head {
            nr: r.nr,
            flags: r.flags,
            args: [a[0], a[1], a[2], a[3], a[4], a[5]],
            ret: r.ret,
        }
    }

    #[inline(always)]
    pub fn rec(&mut self) -> &mut Record {
        // SAFETY: the scratch buffer is SCRATCH_SIZE bytes, 8-aligned (map values are), larger
        // than a Record, and per-CPU: no other program on this CPU uses it concurrently.
        unsafe { &mut *self.buf.cast::<Record>() }
    }

    #[inline(always)]
    fn next_slot(&mut self, arg: u8) -> Option<(*mut u8, usize)> {
        if self.slot() >= STR_SLOTS {
            return None;
        }
        // Each slot holds < STR_CAP bytes, so `used` < 3 * STR_CAP before the last one: the
        // mask is exact and tells the verifier the offset's bound.
        let off = RECORD_SIZE + (self.used() & (4 * STR_CAP - 1));
        let slot = self.slot() & (STR_SLOTS - 1);
        self.rec().strs[slot].arg = arg;
        // SAFETY: off + STR_CAP <= RECORD_SIZE + 5 * STR_CAP <= SCRATCH_SIZE.
        Some((unsafe { self.buf.add(off) }, slot))
    }

    #[inline(always)]
    fn finish_slot(&mut self, slot: usize, n: i64, nul_counted: bool) {
        let slot = slot & (STR_SLOTS - 1);
        let meta = &mut self.rec().strs[slot];
        if n < 0 {
            meta.status = str_status::FAULT;
            meta.len = 0;
        } else {
            let mut len = n as usize;
            if nul_counted && len > 0 {
                len -= 1;
            }
            len &= STR_CAP - 1;
            meta.status = if nul_counted && n as usize >= STR_CAP {
                str_status::TRUNCATED
            } else {
                str_status::OK
            };
            meta.len = len as u16;
            self.set_used(self.used() + len);
        }
        self.set_slot(self.slot() + 1);
    }

    /// Copies a NUL-terminated user string (argument `arg`) into the next slot.
    #[inline(always)]
    pub fn user_str(&mut self, arg: u8, src: u64) {
        if let Some((dst, slot)) = self.next_slot(arg) {
            // SAFETY: dst has STR_CAP writable bytes; the helper checks the source.
            let n = unsafe { bpf_probe_read_user_str(dst.cast(), STR_CAP as u32, src as *const _) };
            const EFAULT: i64 = -14;
            if n == EFAULT {
                // No NUL before an unreadable page: keep the bytes up to it.
                let len = ((4096 - (src & 4095)) as usize).min(STR_CAP - 1) & (STR_CAP - 1);
                // SAFETY: dst has STR_CAP writable bytes, len < STR_CAP; the helper checks
                // the source.
                let r = unsafe { raw_read_user(dst.cast(), len as u32, src as *const _) };
                if len > 0 && r == 0 {
                    let meta = &mut self.rec().strs[slot & (STR_SLOTS - 1)];
                    meta.status = str_status::PAGE_END;
                    meta.len = len as u16;
                    self.set_used(self.used() + len);
                    self.set_slot(self.slot() + 1);
                    return;
                }
            }
            self.finish_slot(slot, n, true);
            if n == STR_CAP as i64 {
                // A full slot: a string of STR_CAP - 1 bytes and its NUL (PATH_MAX with the
                // NUL), or a longer one cut; the byte it ended on tells them apart.
                // SAFETY: probe read of one user byte.
                let last = unsafe { bpf_probe_read_user((src + STR_CAP as u64 - 1) as *const u8) };
                if last == Ok(0) {
                    self.rec().strs[slot & (STR_SLOTS - 1)].status = str_status::OK;
                }
            }
        }
    }

    /// A NULL-terminated array of string pointers (argv, envp) at `src` into the next slot:
    /// an entry per element (see `tracer_common::exec_args`), at most `MAX_ELEMS` of them and
    /// as many as fit in the slot, each string cut at `str_cap` bytes (NUL included, at most
    /// 256). Returns `(more, fault)`: elements were left out; the array became unreadable
    /// after those copied.
    #[inline(always)]
    pub fn user_str_list(&mut self, arg: u8, src: u64, str_cap: u32) -> (bool, bool) {
        let Some((dst, slot)) = self.next_slot(arg) else {
            return (true, false);
        };
        let cap = (str_cap.clamp(2, 256) & 511) as usize;
        let mut off = 0usize;
        let mut more = false;
        let mut fault = false;
        let mut i = 0usize;
        while i <= MAX_ELEMS {
            // SAFETY: probe read of one user word.
            let Ok(p) = (unsafe { bpf_probe_read_user((src + 8 * i as u64) as *const u64) }) else {
                fault = true;
                break;
            };
            if p == 0 {
                break;
            }
            if i == MAX_ELEMS || off + ENTRY_HEAD + cap > STR_CAP - 1 {
                more = true;
                break;
            }
            let at = off & (STR_CAP - 1);
            // SAFETY: dst has room for at < STR_CAP, plus ENTRY_HEAD + 511 bytes inside the
            // scratch buffer (next_slot's bound); the helper checks the source.
            let n = unsafe {
                dst.add(at).cast::<u64>().write_unaligned(p);
                let n = bpf_probe_read_user_str(
                    dst.add(at + ENTRY_HEAD).cast(),
                    cap as u32,
                    p as *const _,
                );
                dst.add(at + 8)
                    .cast::<i64>()
                    .write_unaligned(n & 0xffff_ffff);
                n
            };
            // max(n, 0) without a branch (a fault copies nothing), in assembly so that LLVM
            // does not make it one: the verifier walks one path per element instead of two.
            let len: u64;
            // SAFETY: register arithmetic only.
            unsafe {
                core::arch::asm!(
                    "{t} = {n}",
                    "{t} s>>= 63",
                    "{t} ^= -1",
                    "{t} &= {n}",
                    t = out(reg) len,
                    n = in(reg) n,
                );
            }
            let len = len as usize & 511;
            off += ENTRY_HEAD + ((len + 7) & !7);
            i += 1;
        }
        self.finish_slot(slot, off as i64, false);
        (more, fault)
    }

    /// Copies a NUL-terminated kernel string into the next slot.
    #[inline(always)]
    pub fn kernel_str(&mut self, arg: u8, src: u64) {
        if let Some((dst, slot)) = self.next_slot(arg) {
            // SAFETY: as in `user_str`.
            let n =
                unsafe { bpf_probe_read_kernel_str(dst.cast(), STR_CAP as u32, src as *const _) };
            self.finish_slot(slot, n, true);
        }
    }

    /// The user stack (`-k`) into the next slot: first the word at the user stack pointer
    /// (the return address when the syscall wrapper is a leaf that keeps no frame, which a
    /// frame-pointer walk skips), then up to STACK_FRAMES addresses walked by the kernel
    /// through frame pointers.
    #[inline(always)]
    pub fn user_stack(&mut self, ctx: *mut core::ffi::c_void, sp: u64) {
        if let Some((dst, slot)) = self.next_slot(SLOT_STACK) {
            // SAFETY: probe read of one user word; a fault reads as 0.
            let top = unsafe { bpf_probe_read_user(sp as *const u64) }.unwrap_or(0);
            // SAFETY: dst has STR_CAP >= 8 + STACK_FRAMES * 8 writable bytes, 8-aligned.
            let n = unsafe {
                dst.cast::<u64>().write_volatile(top);
                bpf_get_stack(
                    ctx,
                    dst.add(8).cast(),
                    (STACK_FRAMES * 8) as u32,
                    u64::from(BPF_F_USER_STACK),
                )
            };
            self.finish_slot(slot, if n < 0 { n } else { n + 8 }, false);
        }
    }

    /// Copies `len` bytes of user memory (at most `cap` < STR_CAP) into the next slot; marks
    /// it truncated when `len` was larger.
    #[inline(always)]
    pub fn user_bytes(&mut self, arg: u8, src: u64, len: u64, cap: u64) {
        if let Some((dst, slot)) = self.next_slot(arg) {
            let truncated = len > cap;
            let n = (len.min(cap) as usize) & (STR_CAP - 1);
            // SAFETY: dst has STR_CAP writable bytes and n < STR_CAP.
            let r = unsafe { raw_read_user(dst.cast(), n as u32, src as *const _) };
            self.finish_slot(slot, if r < 0 { r } else { n as i64 }, false);
            if truncated && r >= 0 {
                self.rec().strs[slot & (STR_SLOTS - 1)].status = str_status::TRUNCATED;
            }
        }
    }

    /// Appends `len` bytes at user address `src` to the last slot, if it was copied whole and
    /// as far as the slot has room (msghdr's control messages after the header). Nothing
    /// when they cannot be read: the slot then holds the header alone.
    #[inline(always)]
    pub fn append_user(&mut self, src: u64, len: u64) {
        if self.slot() == 0 {
            return;
        }
        let last = (self.slot() - 1) & (STR_SLOTS - 1);
        let meta = self.rec().strs[last];
        if meta.status != str_status::OK {
            return;
        }
        let start = usize::from(meta.len) & (STR_CAP - 1);
        let base = RECORD_SIZE + (self.used() & (4 * STR_CAP - 1));
        let n = (len.min((STR_CAP - 1 - start) as u64) as usize) & (STR_CAP - 1);
        // SAFETY: base + n stays inside the scratch buffer: base < RECORD_SIZE + 4 * STR_CAP,
        // n < STR_CAP.
        let r = unsafe { raw_read_user(self.buf.add(base).cast(), n as u32, src as *const _) };
        if r < 0 {
            return;
        }
        let meta = &mut self.rec().strs[last];
        meta.len = ((start + n) & (STR_CAP - 1)) as u16;
        if len > n as u64 {
            meta.status = str_status::TRUNCATED;
        }
        self.set_used(self.used() + n);
    }

    /// [`Builder::append_user`], and if the bytes run into an unreadable page, those before it
    /// (the slot then says PAGE_END: what follows the header was cut there).
    #[inline(always)]
    pub fn append_user_to_page_end(&mut self, src: u64, len: u64) {
        let before = self.used();
        self.append_user(src, len);
        if self.used() != before || self.slot() == 0 {
            return;
        }
        // Nothing appended: the part up to the page end, if any.
        let to_end = 4096 - (src & 4095);
        if to_end < len {
            self.append_user(src, to_end);
            let last = (self.slot() - 1) & (STR_SLOTS - 1);
            self.rec().strs[last].status = str_status::PAGE_END;
        }
    }

    /// A slot of two `u32`s, 0 and `second`, for the program to fill: the first's address.
    #[inline(always)]
    pub fn value_slot_ptr(&mut self, arg: u8, second: u32) -> Option<*mut u32> {
        let (dst, slot) = self.next_slot(arg)?;
        // SAFETY: dst has STR_CAP >= 8 writable bytes.
        unsafe {
            dst.cast::<u32>().write_unaligned(0);
            dst.add(4).cast::<u32>().write_unaligned(second);
        }
        self.finish_slot(slot, 8, false);
        Some(dst.cast())
    }

    /// One or two `u32` values the program computed (not user memory) into the next slot.
    #[inline(always)]
    pub fn value_slot(&mut self, arg: u8, first: u32, second: Option<u32>) {
        if let Some((dst, slot)) = self.next_slot(arg) {
            // SAFETY: dst has STR_CAP >= 8 writable bytes.
            unsafe { dst.cast::<u32>().write_unaligned(first) };
            let mut len = 4;
            if let Some(v) = second {
                // SAFETY: as above.
                unsafe { dst.add(4).cast::<u32>().write_unaligned(v) };
                len = 8;
            }
            self.finish_slot(slot, len, false);
        }
    }

    /// An in/out object (`capture::INOUT_BYTES`) of `n` bytes: a header (`u16` n, `u16` bit 0:
    /// the exit bytes were read, bit 1: the entry bytes were saved), its bytes now (read from
    /// `src`), then the `saved` bytes it held at entry. The slot is `4 + 2n` bytes whatever
    /// was read: one shape for the verifier to follow, not one per outcome.
    #[inline(always)]
    pub fn inout_bytes(&mut self, arg: u8, src: u64, n: usize, saved: Option<*const u8>) {
        if let Some((dst, slot)) = self.next_slot(arg) {
            let n = n & (2 * INOUT_SEG - 1);
            if n > INOUT_SEG {
                self.finish_slot(slot, -14, false);
                return;
            }
            // SAFETY: dst has STR_CAP > 4 + 2 * INOUT_SEG writable bytes; p is the task
            // storage's segment of INOUT_SEG bytes.
            let ok = unsafe {
                let exit = raw_read_user(dst.add(4).cast(), n as u32, src as *const _) == 0;
                let entry = match saved {
                    Some(p) => {
                        bpf_probe_read_kernel(dst.add(4 + n).cast(), n as u32, p.cast()) == 0
                    }
                    None => false,
                };
                u16::from(exit) | (u16::from(entry) << 1)
            };
            // SAFETY: the header's 4 bytes at dst.
            unsafe {
                dst.cast::<u16>().write_unaligned(n as u16);
                dst.add(2).cast::<u16>().write_unaligned(ok);
            }
            self.finish_slot(slot, (4 + 2 * n) as i64, false);
        }
    }

    /// Appends a `u32` to the last slot, if it was read whole.
    #[inline(always)]
    pub fn append_u32(&mut self, v: u32) -> bool {
        if self.slot() == 0 {
            return false;
        }
        let last = (self.slot() - 1) & (STR_SLOTS - 1);
        let meta = self.rec().strs[last];
        let start = usize::from(meta.len) & (STR_CAP - 1);
        if meta.status != str_status::OK || start + 4 >= STR_CAP {
            return false;
        }
        let base = RECORD_SIZE + (self.used() & (4 * STR_CAP - 1));
        // SAFETY: base + 4 stays inside the scratch buffer (base < RECORD_SIZE + 4 * STR_CAP).
        unsafe { self.buf.add(base).cast::<u32>().write_unaligned(v) };
        let meta = &mut self.rec().strs[last];
        meta.len = ((start + 4) & (STR_CAP - 1)) as u16;
        self.set_used(self.used() + 4);
        true
    }

    /// An empty slot for `arg` marked unreadable.
    #[inline(always)]
    pub fn fault_slot(&mut self, arg: u8) {
        if let Some((_, slot)) = self.next_slot(arg) {
            self.finish_slot(slot, -14, false);
        }
    }

    /// An array of `len` bytes (capped at `cap`); if it runs into an unreadable page, the
    /// bytes up to that page with status PAGE_END (strace prints the elements before it).
    #[inline(always)]
    pub fn user_array(&mut self, arg: u8, src: u64, len: u64, cap: u64) {
        if let Some((dst, slot)) = self.next_slot(arg) {
            let truncated = len > cap;
            let n = (len.min(cap) as usize) & (STR_CAP - 1);
            // SAFETY: dst has STR_CAP writable bytes and n < STR_CAP.
            let r = unsafe { raw_read_user(dst.cast(), n as u32, src as *const _) };
            if r < 0 {
                let head = ((4096 - (src & 4095)) as usize).min(n) & (STR_CAP - 1);
                if head > 0 && head < n {
                    // SAFETY: as above, head < STR_CAP.
                    let r = unsafe { raw_read_user(dst.cast(), head as u32, src as *const _) };
                    if r == 0 {
                        let meta = &mut self.rec().strs[slot & (STR_SLOTS - 1)];
                        meta.status = str_status::PAGE_END;
                        meta.len = head as u16;
                        self.set_used(self.used() + head);
                        self.set_slot(self.slot() + 1);
                        return;
                    }
                }
            }
            self.finish_slot(slot, if r < 0 { r } else { n as i64 }, false);
            if truncated && r >= 0 {
                self.rec().strs[slot & (STR_SLOTS - 1)].status = str_status::TRUNCATED;
            }
        }
    }

    /// An iovec array (argument `arg`, `count` entries, at most IOV_MAX_COPIED) in one slot,
    /// then an empty slot (`arg | SLOT_CONTENTS`) for the data behind it, which
    /// [`Builder::append_iovec_data`] fills (in `sys_exit_mmsg`: the copy loop is verified
    /// there alone, a tenth of the cost of verifying it after this copy). Returns the number
    /// of iovecs to copy data from, or None if the array could not be copied.
    #[inline(always)]
    pub fn user_iovec_array(&mut self, arg: u8, src: u64, count: u64) -> Option<u64> {
        let mut n = count.min(IOV_MAX_COPIED as u64);
        // An array that runs into an unreadable page keeps the iovecs before it.
        self.user_array(arg, src, n * 16, (IOV_MAX_COPIED * 16) as u64);
        if self.slot() == 0 {
            return None;
        }
        let prev = (self.slot() - 1) & (STR_SLOTS - 1);
        let meta = self.rec().strs[prev];
        if meta.status == str_status::PAGE_END {
            n = u64::from(meta.len) / 16;
        } else if meta.status != str_status::OK {
            return None;
        }
        let (_, slot) = self.next_slot(arg | SLOT_CONTENTS)?;
        self.finish_slot(slot, 0, false);
        if n < count {
            // More iovecs than are copied: the data shown is cut.
            self.rec().strs[slot & (STR_SLOTS - 1)].status = str_status::TRUNCATED;
        }
        Some(n)
    }

    /// Appends the data behind `count` iovecs at user address `src` to the last slot: at most
    /// the data cap (`-s`, a constant to the verifier) from each buffer, as strace applies
    /// `-s` to each, and `total` and `room` in all (each buffer's copy counts against
    /// `total`, not what it moved: userspace splits the data by the same rule, see
    /// `decode::io::iov_split`). Returns the bytes appended. For the next messages of
    /// sendmmsg/recvmmsg, whose data joins the first message's.
    #[inline(always)]
    pub fn append_iovec_data(&mut self, src: u64, count: u64, total: u64, room: u64) -> u64 {
        if self.slot() == 0 {
            return 0;
        }
        let last = (self.slot() - 1) & (STR_SLOTS - 1);
        let start = usize::from(self.rec().strs[last].len) & (STR_CAP - 1);
        let base = RECORD_SIZE + (self.used() & (4 * STR_CAP - 1));
        let mut left = total.min(room) & (STR_CAP as u64 - 1);
        let mut written: usize = 0;
        let mut more = total > room;
        let mut fault = false;
        let mut j = 0;
        while j < IOV_MAX_COPIED {
            if j as u64 >= count || left == 0 {
                break;
            }
            // SAFETY: probe read of one user iovec; a fault ends the copy.
            let Ok(e) = (unsafe { bpf_probe_read_user((src + 16 * j as u64) as *const [u64; 2]) })
            else {
                break;
            };
            // The cap read from map memory at each use: the verifier tells no states apart by
            // it (as a constant, or a value kept in a register, it multiplies the paths).
            // SAFETY: this CPU's value of a per-CPU array, index 0.
            let per_iov = unsafe {
                IOV_CAP
                    .get_ptr(0)
                    .map_or(0, |p| core::ptr::read_volatile(p))
            };
            let take = e[1].min(left).min(per_iov) as usize & (STR_CAP - 1);
            if e[1] > take as u64 {
                more = true;
            }
            // SAFETY: base + written + take stays inside the scratch buffer: base < RECORD_SIZE
            // + 4 * STR_CAP, written and take < STR_CAP.
            let r = unsafe {
                raw_read_user(
                    self.buf.add(base + (written & (STR_CAP - 1))).cast(),
                    take as u32,
                    e[0] as *const _,
                )
            };
            if r < 0 {
                fault = true;
                break;
            }
            written += take;
            left -= take as u64;
            j += 1;
        }
        let written = written & (STR_CAP - 1);
        let meta = &mut self.rec().strs[last];
        meta.len = ((start + written) & (STR_CAP - 1)) as u16;
        // A buffer that could not be read ends the copy: the bytes before it are kept.
        if fault {
            meta.status = str_status::PAGE_END;
        } else if more {
            meta.status = str_status::TRUNCATED;
        }
        self.set_used(self.used() + written);
        written as u64
    }

    /// Sends the record with its real length; counts it as lost if the ring buffer is full.
    #[inline(always)]
    pub fn send(mut self) {
        let Some(st) = LOST.get_ptr_mut(0) else {
            return;
        };
        // SAFETY: this CPU's value of a per-CPU map.
        let st = unsafe { &mut *st };
        self.rec().lost_before = st.lost as u32;
        let total = (RECORD_SIZE + self.used()) & (SCRATCH_SIZE - 1);
        // SAFETY: total <= SCRATCH_SIZE bytes of the scratch buffer.
        let data = unsafe { core::slice::from_raw_parts(self.buf, total) };
        let flags = wake_flags(st);
        let ok = EVENTS.output::<[u8]>(data, flags).is_ok();
        st.lost = if ok { 0 } else { st.lost + 1 };
    }
}

/// The header every record starts with.
#[inline(always)]
pub fn header(kind: u8, pid_tgid: u64) -> Record {
    let mut rec = core::mem::MaybeUninit::<Record>::uninit();
    let w = rec.as_mut_ptr().cast::<u64>();
    let mut i = 0;
    while i < WORDS {
        // SAFETY: zeroing the record word by word (a plain zero-init calls the BPF memset, a
        // byte loop); all-zero bytes are a valid Record.
        unsafe { w.add(i).write_volatile(0) };
        i += 1;
    }
    // SAFETY: every byte was written above.
    let mut rec = unsafe { rec.assume_init() };
    rec.kind = kind;
    rec.nr = -1;
    rec.tgid = (pid_tgid >> 32) as u32;
    rec.tid = pid_tgid as u32;
    if WANT_TIME.load() != 0 {
        // SAFETY: helper without arguments.
        rec.ts_ns = unsafe { bpf_ktime_get_ns() };
    }
    if WANT_COMM.load() != 0 {
        rec.comm = bpf_get_current_comm().unwrap_or_default();
    }
    rec
}

/// Writes a record without strings straight into the ring buffer (no scratch, no copy), as
/// a [`tracer_common::CompactRecord`] if `compact`.
#[inline(always)]
pub fn send_fixed(mut rec: Record, compact: bool) {
    let Some(st) = LOST.get_ptr_mut(0) else {
        return;
    };
    // SAFETY: this CPU's value of a per-CPU map.
    let st = unsafe { &mut *st };
    rec.lost_before = st.lost as u32;
    let sent = if compact {
        match EVENTS.reserve::<[u8; COMPACT_SIZE]>(0) {
            Some(mut entry) => {
                write_compact(entry.as_mut_ptr().cast(), &rec);
                entry.submit(wake_flags(st));
                true
            }
            None => false,
        }
    } else {
        match EVENTS.reserve::<Record>(0) {
            Some(mut entry) => {
                write_record(entry.as_mut_ptr().cast(), &rec);
                entry.submit(wake_flags(st));
                true
            }
            None => false,
        }
    };
    st.lost = if sent { 0 } else { st.lost + 1 };
}

/// Writes a SYSCALL record's header as a [`tracer_common::CompactRecord`] (its first three
/// arguments, slot 0's meta), as 8 word stores.
#[inline(always)]
fn write_compact(dst: *mut u8, rec: &Record) {
    let m = rec.strs[0];
    let w = [
        u64::from(kind::SYSCALL_COMPACT)
            | u64::from(rec.flags) << 8
            | u64::from(m.arg) << 16
            | u64::from(m.status) << 24
            | u64::from(rec.nr as u32) << 32,
        u64::from(rec.tgid) | u64::from(rec.tid) << 32,
        u64::from(rec.lost_before) | u64::from(m.len) << 32,
        rec.ts_ns,
        rec.ret as u64,
        rec.args[0],
        rec.args[1],
        rec.args[2],
    ];
    let d = dst.cast::<u64>();
    let mut i = 0;
    while i < COMPACT_SIZE / 8 {
        // SAFETY: dst points to at least COMPACT_SIZE bytes, 8-aligned (a ring entry).
        unsafe { d.add(i).write_volatile(w[i]) };
        i += 1;
    }
}

/// Words in a record header.
const WORDS: usize = RECORD_SIZE / 8;

/// Copies a record header as 8-byte words (into the ring buffer or the scratch buffer). A
/// plain struct copy compiles either to one store per byte of its byte arrays or to a call of
/// the BPF `memmove`, a byte loop: ~400 instructions per record. Volatile word accesses keep
/// it at 16 loads and 16 stores. Both pointers are 8-aligned (ring entries, map values and
/// Records are).
#[inline(always)]
pub fn copy_record(dst: *mut u8, src: *const Record) {
    let (d, s) = (dst.cast::<u64>(), src.cast::<u64>());
    let mut i = 0;
    while i < WORDS {
        // SAFETY: both point to at least RECORD_SIZE bytes, 8-aligned.
        unsafe { d.add(i).write_volatile(s.add(i).read_volatile()) };
        i += 1;
    }
}

#[inline(always)]
fn write_record(dst: *mut u8, rec: &Record) {
    copy_record(dst, rec);
}

/// A record with a small buffer, reserved at a fixed size straight in the ring buffer: no
/// scratch copy, no variable-length output. `len` bytes (≤ SMALL_DATA) from `src` go after
/// the header as slot 0 for argument `arg`; `more` marks it truncated. The record is sized
/// for the data (8, 32 or SMALL_DATA bytes): a one-byte read takes 136 bytes of ring, not 192,
/// and as a [`tracer_common::CompactRecord`] (`compact`) 72.
#[inline(always)]
pub fn send_small(rec: Record, arg: u8, src: u64, len: u64, more: bool, compact: bool) {
    const C: usize = COMPACT_SIZE;
    const R: usize = RECORD_SIZE;
    match (compact, len) {
        (true, 0..=8) => send_small_in::<[u8; C + 8], 8, C>(rec, arg, src, len, more),
        (true, 9..=32) => send_small_in::<[u8; C + 32], 32, C>(rec, arg, src, len, more),
        (true, _) => send_small_in::<[u8; C + SMALL_DATA], SMALL_DATA, C>(rec, arg, src, len, more),
        (false, 0..=8) => send_small_in::<[u8; R + 8], 8, R>(rec, arg, src, len, more),
        (false, 9..=32) => send_small_in::<[u8; R + 32], 32, R>(rec, arg, src, len, more),
        (false, _) => {
            send_small_in::<[u8; R + SMALL_DATA], SMALL_DATA, R>(rec, arg, src, len, more)
        }
    }
}

/// [`send_small`] into an entry of type `E`: a header of H bytes (a Record or a
/// CompactRecord) and N bytes of data.
#[inline(always)]
fn send_small_in<E: 'static, const N: usize, const H: usize>(
    mut rec: Record,
    arg: u8,
    src: u64,
    len: u64,
    more: bool,
) {
    let Some(st) = LOST.get_ptr_mut(0) else {
        return;
    };
    // SAFETY: this CPU's value of a per-CPU map.
    let st = unsafe { &mut *st };
    match EVENTS.reserve::<E>(0) {
        Some(mut entry) => {
            let n = (len as usize).min(N) & (2 * SMALL_DATA - 1);
            let base = entry.as_mut_ptr().cast::<u8>();
            // Read into the stack, then copy: the kernel's hardened-usercopy check of a
            // destination in the ring buffer (vmalloc memory) looks the area up in a tree on
            // every read, about half the cost of a traced read(2); a stack destination is
            // checked against the frame.
            let mut tmp = core::mem::MaybeUninit::<[u64; SMALL_DATA / 8]>::uninit();
            let t = tmp.as_mut_ptr().cast::<u64>();
            let mut i = 0;
            while i < N / 8 {
                // SAFETY: zeroing the buffer word by word (a plain zero-init calls the BPF
                // memset, a byte loop).
                unsafe { t.add(i).write_volatile(0) };
                i += 1;
            }
            // SAFETY: tmp has SMALL_DATA >= N bytes; n <= N.
            let mut r = unsafe { raw_read_user(t.cast(), n as u32, src as *const _) };
            let mut n = n;
            let mut page_end = false;
            if r < 0 {
                // Runs into an unreadable page: keep the bytes before it (setsockopt's int in a
                // longer buffer); the decoders that need it all still see a fault.
                let head = ((4096 - (src & 4095)) as usize).min(n) & (2 * SMALL_DATA - 1);
                if head > 0 && head < n {
                    // SAFETY: as above, head < n <= N.
                    r = unsafe { raw_read_user(t.cast(), head as u32, src as *const _) };
                    n = head;
                    page_end = r == 0;
                }
            }
            let dst = base.wrapping_add(H).cast::<u64>();
            let mut i = 0;
            while i < N / 8 {
                // SAFETY: the entry has H + N bytes, 8-aligned; tmp's first N bytes
                // were all written.
                unsafe { dst.add(i).write_volatile(t.add(i).read_volatile()) };
                i += 1;
            }
            rec.strs[0] = StrMeta {
                arg,
                status: if r < 0 {
                    str_status::FAULT
                } else if page_end {
                    str_status::PAGE_END
                } else if more {
                    str_status::TRUNCATED
                } else {
                    str_status::OK
                },
                len: if r < 0 { 0 } else { n as u16 },
            };
            rec.lost_before = st.lost as u32;
            st.lost = 0;
            if H == COMPACT_SIZE {
                write_compact(base, &rec);
            } else {
                write_record(base, &rec);
            }
            entry.submit(wake_flags(st));
        }
        None => st.lost += 1,
    }
}

/// Wakes the reader only when enough data waits (checked every WAKEUP_CHECK_EVERY records per
/// CPU: the query costs ~25 ns), at most once per WAKEUP_GAP_NS per CPU (a reader that is
/// awake drains everything before it sleeps again); otherwise userspace's 20 ms timer
/// collects the records.
#[inline(always)]
fn wake_flags(st: &mut CpuState) -> u64 {
    st.since_query += 1;
    if st.since_query >= WAKEUP_CHECK_EVERY {
        st.since_query = 0;
        if EVENTS.query(BPF_RB_AVAIL_DATA) >= WAKEUP_BYTES.load() {
            // SAFETY: helper without arguments.
            let now = unsafe { bpf_ktime_get_ns() };
            if now.wrapping_sub(st.woken_ns) >= WAKEUP_GAP_NS {
                st.woken_ns = now;
                return BPF_RB_FORCE_WAKEUP as u64;
            }
        }
    }
    BPF_RB_NO_WAKEUP as u64
}
