/* A program whose syscalls the end-to-end tests know exactly. Usage: victim MODE [ARG]. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? atol(argv[2]) : 1;
    if (!strcmp(mode, "enoent")) {
        /* openat(AT_FDCWD, ARG, O_RDONLY) = -1 ENOENT */
        return open(argv[2], O_RDONLY) < 0 ? 0 : 1;
    }
    if (!strcmp(mode, "mprotect")) {
        /* The page at 0x10000 is below mmap_min_addr: never mapped. */
        return mprotect((void *)0x10000, 4096, PROT_READ | PROT_WRITE) < 0 ? 0 : 1;
    }
    if (!strcmp(mode, "mmap")) {
        void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED;
    }
    if (!strcmp(mode, "both")) {
        open("/nonexistent/tracer-both", O_RDONLY);
        mprotect((void *)0x10000, 4096, PROT_READ);
        return 0;
    }
    if (!strcmp(mode, "getppid")) {
        for (long i = 0; i < n; i++) getppid();
        return 0;
    }
    if (!strcmp(mode, "closebad")) {
        for (long i = 0; i < n; i++) close(-1);
        return 0;
    }
    if (!strcmp(mode, "compat")) {
        /* A 32-bit syscall from a 64-bit process: i386 open (5) through int $0x80. The binary
         * is built -no-pie, so the string's address fits the 32-bit register. */
        static const char path[] = "/nonexistent/tracer-compat";
        long ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(5L), "b"(path), "c"(0L), "d"(0L) : "memory");
        return ret == -2 ? 0 : 1;
    }
    if (!strcmp(mode, "exit")) {
        return (int)n;
    }
    fprintf(stderr, "victim: unknown mode %s\n", mode);
    return 2;
}
