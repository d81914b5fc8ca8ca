//! Kernel side of `tracer`: one hot program on `sys_exit` that emits a complete record per
//! syscall of a target, plus rare scheduler events for exec, exit and fork. Userspace decides
//! everything else (which syscalls, which strings) through maps and load-time globals.
#![no_std]
#![no_main]
#![feature(asm_experimental_arch)]

mod exec_args;
mod filter;
mod inject;
mod maps;
mod record;
mod sched;
mod sys_enter;
mod sys_exit;

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    // SAFETY: the verifier rejects programs with reachable infinite loops, so this is never run.
    loop {}
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";
