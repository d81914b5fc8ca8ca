/* A program whose syscalls the end-to-end tests know exactly. Usage: victim MODE [ARG]. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static long flood_n;

static void *flood(void *arg) {
    (void)arg;
    for (long i = 0; i < flood_n; i++) getppid();
    return NULL;
}

static void on_signal(int sig) { (void)sig; }

static int disk_fd;

/* A "qemu-like" worker: preads of the disk image, ARG times. */
static void *io_worker(void *arg) {
    char b[16];
    for (long i = 0; i < flood_n; i++) pread(disk_fd, b, sizeof b, 0);
    (void)arg;
    return NULL;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? atol(argv[2]) : 1;
    if (!strcmp(mode, "signals")) {
        /* A handled SIGUSR1 from kill(), a child's SIGCHLD (ignored by default), then death
         * by SIGSEGV at address 0 when n > 0. */
        signal(SIGUSR1, on_signal);
        kill(getpid(), SIGUSR1);
        pid_t p = fork();
        if (p == 0)
            _exit(3);
        waitpid(p, 0, 0);
        if (n > 0)
            *(volatile int *)0 = 1;
        return 0;
    }
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
    if (!strcmp(mode, "later-getppid")) {
        /* Waits for a byte on stdin, then calls getppid N times; then the same with 10. */
        char c;
        if (read(0, &c, 1) != 1) return 3;
        for (long i = 0; i < n; i++) getppid();
        /* A second byte: ten more calls (after the tracer has caught up). */
        if (read(0, &c, 1) != 1) return 4;
        for (int i = 0; i < 10; i++) getppid();
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
    if (!strcmp(mode, "openn")) {
        /* open ARG N times (N = argv[3]). */
        long times = argc > 3 ? atol(argv[3]) : 1;
        for (long i = 0; i < times; i++) open(argv[2], O_RDONLY);
        return 0;
    }
    if (!strcmp(mode, "rlimit-as")) {
        /* Story 2: an mmap larger than RLIMIT_AS fails with ENOMEM, and an mprotect of an
         * unmapped range too. Stays alive a moment so its limits can be read. */
        struct rlimit rl = {256 << 20, 256 << 20};
        if (setrlimit(RLIMIT_AS, &rl)) return 3;
        void *p = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        int r = mprotect((void *)0x10000, 4096, PROT_READ);
        usleep(1500000);
        return p == MAP_FAILED && r < 0 ? 0 : 1;
    }
    if (!strcmp(mode, "emfile-server")) {
        /* Story 3: a server at its RLIMIT_NOFILE. Writes its port to ARG, then accepts while
         * clients connect: every accept fails with EMFILE (the connection stays queued). */
        struct rlimit rl;
        /* Only stdin/out/err from the environment: the fd count is then exact. */
        for (int fd = 3; fd < 1024; fd++) close(fd);
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = 16;
        if (setrlimit(RLIMIT_NOFILE, &rl)) return 3;
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) return 4;
        socklen_t len = sizeof a;
        getsockname(s, (struct sockaddr *)&a, &len);
        FILE *f = fopen(argv[2], "w");
        if (!f) return 5;
        fprintf(f, "%d\n", ntohs(a.sin_port));
        fclose(f);
        while (open("/dev/null", O_RDONLY) >= 0) {
        }
        int fails = 0;
        for (int i = 0; i < 400 && fails < 50; i++) {
            if (accept(s, NULL, NULL) < 0) fails++;
            usleep(10000);
        }
        sleep(1);
        return fails >= 50 ? 0 : 1;
    }
    if (!strcmp(mode, "tcp-pair")) {
        /* A loopback server and a client bound to 127.0.0.5: the server receives "hello". */
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 4)) return 4;
        socklen_t len = sizeof a;
        getsockname(s, (struct sockaddr *)&a, &len);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in b = {.sin_family = AF_INET, .sin_addr.s_addr = inet_addr("127.0.0.5")};
        if (bind(c, (struct sockaddr *)&b, sizeof b) || connect(c, (struct sockaddr *)&a, sizeof a)) return 5;
        int conn = accept(s, NULL, NULL);
        if (conn < 0 || write(c, "hello", 5) != 5) return 6;
        char buf[100];
        if (recvfrom(conn, buf, sizeof buf, 0, NULL, NULL) != 5) return 7;
        int f = open("/etc/hostname", O_RDONLY);
        if (f < 0 || read(f, buf, 1) != 1) return 8;
        usleep(300000);
        return 0;
    }
    if (!strcmp(mode, "mmsg")) {
        /* Three UDP datagrams in one sendmmsg, received with one recvmmsg. */
        int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t len = sizeof a;
        if (bind(r, (struct sockaddr *)&a, sizeof a) || getsockname(r, (struct sockaddr *)&a, &len)) return 4;
        if (connect(w, (struct sockaddr *)&a, sizeof a)) return 5;
        char *words[3] = {"one", "two", "three"};
        struct iovec iov[3];
        struct mmsghdr m[3];
        memset(m, 0, sizeof m);
        for (int i = 0; i < 3; i++) {
            iov[i].iov_base = words[i];
            iov[i].iov_len = strlen(words[i]);
            m[i].msg_hdr.msg_iov = &iov[i];
            m[i].msg_hdr.msg_iovlen = 1;
        }
        if (sendmmsg(w, m, 3, 0) != 3) return 6;
        char bufs[3][16];
        struct iovec riov[3];
        struct mmsghdr rm[3];
        memset(rm, 0, sizeof rm);
        for (int i = 0; i < 3; i++) {
            riov[i].iov_base = bufs[i];
            riov[i].iov_len = sizeof bufs[i];
            rm[i].msg_hdr.msg_iov = &riov[i];
            rm[i].msg_hdr.msg_iovlen = 1;
        }
        return recvmmsg(r, rm, 3, MSG_WAITFORONE, NULL) == 3 ? 0 : 7;
    }
    if (!strcmp(mode, "junk-ints")) {
        /* int arguments with junk in the upper half of their registers, which the kernel
           ignores (strace's tests do this to every int). */
        const long junk = 0xdefaced00000000L;
        signal(SIGALRM, SIG_IGN);
        syscall(SYS_kill, (long)getpid() | junk, (long)SIGALRM | junk);
        syscall(SYS_lseek, 0L, 0L, (long)SEEK_CUR | junk);
        syscall(SYS_access, "/nonexistent-junk", (long)R_OK | junk);
        return 0;
    }
    if (!strcmp(mode, "exit")) {
        return (int)n;
    }
    if (!strcmp(mode, "threads-getppid")) {
        /* 8 threads, each calling getppid() ARG times. */
        pthread_t t[8];
        flood_n = n;
        for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, flood, NULL);
        for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
        return 0;
    }
    if (!strcmp(mode, "qemu-like")) {
        /* A VM that fails late: opens its "disk" (/etc/hostname), two I/O threads make 2 x
           ARG/2 preads, then a guest-memory mmap fails with ENOMEM (RLIMIT_AS 1 GiB). */
        disk_fd = open("/etc/hostname", O_RDONLY);
        if (disk_fd < 0) return 2;
        flood_n = n / 2;
        pthread_t t[2];
        for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, io_worker, NULL);
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
        struct rlimit lim = {1L << 30, 1L << 30};
        setrlimit(RLIMIT_AS, &lim);
        void *guest = mmap(NULL, 2L << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (guest != MAP_FAILED) return 3;
        fprintf(stderr, "qemu-like: cannot allocate guest memory\n");
        return 1;
    }
    if (!strcmp(mode, "anon-fds")) {
        /* fds the kernel names itself, closed at once: -y must name them all the same. */
        int e = eventfd(0, 0);
        uint64_t v = 1;
        if (write(e, &v, sizeof v) != sizeof v || read(e, &v, sizeof v) != sizeof v) return 3;
        int p = (int)syscall(SYS_pidfd_open, getpid(), 0);
        if (p < 0) return 4;
        close(p);
        close(e);
        return 0;
    }
    if (!strcmp(mode, "compat-exit")) {
        /* exit_group(7) through int $0x80: i386 number 252 (x86_64's 252 is ioprio_get). */
        __asm__ volatile("int $0x80" : : "a"(252L), "b"(7L) : "memory");
        return 1;
    }
    if (!strcmp(mode, "execveat-fd")) {
        /* execveat(fd of /bin/true, "", ..., AT_EMPTY_PATH), as fexecve does. */
        int fd = open("/bin/true", O_RDONLY);
        char *args[] = {"true", NULL};
        char *env[] = {"A=1", NULL};
        syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
        return 5;
    }
    if (!strcmp(mode, "execveat-dir")) {
        /* execveat(fd of /bin, "true", ..., 0). */
        int fd = open("/bin", O_RDONLY | O_DIRECTORY);
        char *args[] = {"true", "x", NULL};
        char *env[] = {"A=1", "B=2", NULL};
        syscall(SYS_execveat, fd, "true", args, env, 0);
        return 5;
    }
    if (!strcmp(mode, "execveat-cwd")) {
        /* execveat(AT_FDCWD, "/bin/true", ..., AT_SYMLINK_NOFOLLOW): at exit it looks like
           an execve (the kernel names the file as given). */
        char *args[] = {"true", "y", NULL};
        char *env[] = {"A=1", NULL};
        syscall(SYS_execveat, AT_FDCWD, "/bin/true", args, env, AT_SYMLINK_NOFOLLOW);
        return 5;
    }
    fprintf(stderr, "victim: unknown mode %s\n", mode);
    return 2;
}
