/* File I/O inside a pre-opened directory: write, read back, copy, list, stat, rename,
   mkdir/rmdir, unlink. Expects the directory pre-opened as /data. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) return -1;
    char buf[4096];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) { fwrite(buf, 1, n, out); total += n; }
    fclose(in);
    fclose(out);
    return (int)total;
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    FILE *f = fopen("/data/a.txt", "w");
    if (!f) { printf("open for writing failed: %s\n", strerror(errno)); return 1; }
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    printf("copied %d bytes\n", copy("/data/a.txt", "/data/b.txt"));

    f = fopen("/data/b.txt", "r");
    char line[64];
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    fseek(f, 7, SEEK_SET);
    fgets(line, sizeof line, f);
    printf("lines=%d, at offset 7: %s", lines, line);
    fclose(f);

    struct stat st;
    stat("/data/b.txt", &st);
    printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    printf("mkdir=%d\n", mkdir("/data/sub", 0755));
    printf("rename=%d\n", rename("/data/b.txt", "/data/sub/c.txt"));

    DIR *d = opendir("/data");
    char *names[16];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) && count < 16) {
        if (e->d_name[0] != '.') names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof names[0], compare);
    printf("entries:");
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");

    printf("unlink=%d %d\n", unlink("/data/a.txt"), unlink("/data/sub/c.txt"));
    printf("rmdir=%d\n", rmdir("/data/sub"));
    printf("missing=%s\n", fopen("/data/nope.txt", "r") ? "opened?!" : strerror(errno));
    return 0;
}
