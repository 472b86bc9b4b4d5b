#include <stdio.h>

int main(void) {
    printf("Hello, WASI!\n");
    fprintf(stderr, "to stderr\n");
    return 0;
}
