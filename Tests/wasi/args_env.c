#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    const char *v = getenv("SWVM_TEST");
    printf("SWVM_TEST=%s\n", v ? v : "(unset)");
    int n = 0;
    for (char **e = environ; *e; e++) n++;
    printf("environ entries=%d\n", n);
    return 0;
}
