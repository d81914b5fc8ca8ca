/* -k test program: a write two known functions deep, frame pointers kept; it lives on a
 * little after the call, as a service would, so that its mappings can be read. */
#include <unistd.h>

__attribute__((noinline)) void inner_writer(void) { write(1, "k\n", 2); }

__attribute__((noinline)) void middle_caller(void) {
    inner_writer();
    __asm__ volatile("");
}

int main(void) {
    middle_caller();
    usleep(300000);
    return 0;
}
