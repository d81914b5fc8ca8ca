/* What a program sees of -e inject=: each mode makes calls and prints the results it got,
 * one line per call, after the calls (stdout is written once, at exit).
 *
 *   inject calls N        getppid N times: "I ok" or "I -1 ERRNO" or "I = VALUE"
 *   inject handled N      the same with a SIGUSR1 handler: adds "signals K"
 *   inject fork N         the same in a forked child ("child I ...") and then the parent
 *   inject open2          openat /dev/null, then /dev/zero: "null ok|-1 ERRNO", "zero ..."
 *   inject fstat3         fstat of fds 0, 1, 2: "fdN ok|-1 ERRNO"
 *   inject timed          one getppid: "ms N" (its duration in milliseconds)
 *   inject loop FILE      writes its pid to FILE, then getppid every 10 ms until it gets a
 *                         SIGUSR1 ("signalled" in FILE.out, exit 4); the first getppid
 *                         that fails with ENOSYS writes "enosys" in FILE.out */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t signals;
static char out[65536];
static size_t used;

static void on_usr1(int sig) { (void)sig; signals++; }

static void say(const char *fmt, long a, long b) {
    used += snprintf(out + used, sizeof out - used, fmt, a, b);
}

/* The parent's pid, from /proc (not from getppid: that is the call being injected). */
static long real_ppid(void) {
    char buf[4096];
    FILE *f = fopen("/proc/self/status", "r");
    long p = -2;
    while (f && fgets(buf, sizeof buf, f))
        if (!strncmp(buf, "PPid:", 5))
            p = atol(buf + 5);
    if (f)
        fclose(f);
    return p;
}

static void calls(const char *who, int n) {
    long ppid = real_ppid();
    for (int i = 1; i <= n; i++) {
        long r = syscall(SYS_getppid);
        int e = errno;
        used += snprintf(out + used, sizeof out - used, "%s%d ", who, i);
        if (r == -1)
            say("-1 %ld\n", e, 0);
        else if (r == ppid)
            say("ok\n", 0, 0);
        else
            say("= %ld\n", r, 0);
    }
}

static void flush(void) {
    fwrite(out, 1, used, stdout);
    fflush(stdout);
    used = 0;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    int n = argc > 2 ? atoi(argv[2]) : 0;
    if (!strcmp(mode, "calls")) {
        calls("", n);
    } else if (!strcmp(mode, "handled")) {
        signal(SIGUSR1, on_usr1);
        calls("", n);
        say("signals %ld\n", signals, 0);
    } else if (!strcmp(mode, "fork")) {
        pid_t c = fork();
        if (c == 0) {
            calls("child ", n);
            flush();
            _exit(0);
        }
        waitpid(c, NULL, 0);
        calls("parent ", n);
    } else if (!strcmp(mode, "open2")) {
        const char *names[] = {"/dev/null", "/dev/zero"};
        for (int i = 0; i < 2; i++) {
            int fd = openat(AT_FDCWD, names[i], O_RDONLY);
            used += snprintf(out + used, sizeof out - used, "%s ", names[i] + 5);
            if (fd < 0)
                say("-1 %ld\n", errno, 0);
            else
                say("ok\n", 0, 0), close(fd);
        }
    } else if (!strcmp(mode, "fstat3")) {
        for (int fd = 0; fd < 3; fd++) {
            struct stat st;
            long r = syscall(SYS_fstat, fd, &st);
            used += snprintf(out + used, sizeof out - used, "fd%d ", fd);
            if (r < 0)
                say("-1 %ld\n", errno, 0);
            else
                say("ok\n", 0, 0);
        }
    } else if (!strcmp(mode, "timed")) {
        double t0 = now_ms();
        syscall(SYS_getppid);
        say("ms %ld\n", (long)(now_ms() - t0), 0);
    } else if (!strcmp(mode, "loop")) {
        char path[4096];
        int enosys = 0;
        snprintf(path, sizeof path, "%s.out", argv[2]);
        signal(SIGUSR1, on_usr1);
        FILE *f = fopen(argv[2], "w");
        fprintf(f, "%d\n", getpid());
        fclose(f);
        for (;;) {
            if (signals) {
                f = fopen(path, "w");
                fputs("signalled\n", f);
                fclose(f);
                return 4;
            }
            if (syscall(SYS_getppid) == -1 && errno == ENOSYS && !enosys) {
                enosys = 1;
                f = fopen(path, "w");
                fputs("enosys\n", f);
                fclose(f);
            }
            usleep(10000);
        }
    } else {
        fprintf(stderr, "inject: unknown mode %s\n", mode);
        return 2;
    }
    flush();
    return 0;
}
