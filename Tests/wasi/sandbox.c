/* Every attempt to leave the pre-opened directory /data must fail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void attempt(const char *what, const char *path) {
    int fd = open(path, O_RDONLY);
    printf("%s: %s\n", what, fd >= 0 ? "OPENED (escape!)" : "refused");
    if (fd >= 0) close(fd);
}

int main(void) {
    attempt("parent directory", "/data/../outside.txt");
    attempt("absolute path", "/etc/passwd");
    attempt("relative escape", "../outside.txt");
    attempt("symlink to outside", "/data/link_out");
    attempt("nested dotdot", "/data/inner/../../outside.txt");
    struct stat st;
    printf("stat through symlink: %s\n", stat("/data/link_out", &st) == 0 ? "STAT (escape!)" : "refused");
    printf("mkdir outside: %s\n", mkdir("/data/../newdir", 0755) == 0 ? "CREATED (escape!)" : "refused");
    attempt("inside file", "/data/inside.txt");
    return 0;
}
