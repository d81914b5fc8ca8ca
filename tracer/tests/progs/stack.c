/* -k test program: a write two known functions deep, frame pointers kept. It exits at once:
 * its frames are placed from what the trace saw mapped, after it is gone. */
#include <unistd.h>

__attribute__((noinline)) void inner_writer(void) { write(1, "k\n", 2); }

__attribute__((noinline)) void middle_caller(void) {
    inner_writer();
    __asm__ volatile("");
}

int main(void) {
    middle_caller();
    return 0;
}
