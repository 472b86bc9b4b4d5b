/* toolkit: command-line front end. Every command reads files (or stdin, as "-" or when no file
   is given) and writes stdout; under WASI, files live in directories pre-opened with --dir.

     cc -O2 -o toolkit *.c -lm
     clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--stack-first -o toolkit.wasm *.c -lm

   (--stack-first puts the 64 KiB stack below the data, so an overflow traps instead of
   overwriting static data; the code keeps its recursion well within that stack.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

static const char usage[] =
    "usage: toolkit COMMAND [ARGS]\n"
    "  compress IN OUT | decompress IN OUT    LZ77 + Huffman, CRC-checked (\"TKZ1\" format)\n"
    "  sha256 [FILE...]                       SHA-256 digests, like sha256sum\n"
    "  grep [-i] [-v] [-c] [-n] [-o] PATTERN [FILE...]\n"
    "  wc [FILE...] | sort [-r] [-n] [-u] [-f] [FILE] | uniq [-c] [FILE] | freq [N] [FILE]\n"
    "  json pretty|compact [FILE] | json query PATH [FILE]\n"
    "  fact N | fib N | pow BASE EXP | divmod A B    big integer arithmetic\n"
    "  run SCRIPT                             run a script (see script.c)\n"
    "  selftest [SCALE [SECTION]]             deterministic test of everything (or one section)\n";

static int die(const char *fmt, const char *arg) {
    fprintf(stderr, "toolkit: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    return 1;
}

/* Reads `path` into b, reporting failure; returns 0 on success. */
static int load(const char *path, buffer_t *b) {
    if (tk_read_file(path, b) == 0) return 0;
    die("cannot read %s", path ? path : "stdin");
    return -1;
}

/* Options are single letters in `allowed`, before the operands; returns the first operand. */
static int parse_flags(int argc, char **argv, int start, const char *allowed, char *seen) {
    int i = start;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *c = argv[i] + 1; *c; c++) {
            if (!strchr(allowed, *c)) { fprintf(stderr, "toolkit: unknown option -%c\n", *c); exit(2); }
            seen[(unsigned char)*c] = 1;
        }
    }
    return i;
}

static int cmd_compress(int argc, char **argv) {
    if (argc != 4) { fputs(usage, stderr); return 2; }
    buffer_t in, out;
    buffer_init(&in);
    buffer_init(&out);
    if (load(argv[2], &in)) return 1;
    int r = argv[1][0] == 'c' ? tk_compress(in.data, in.len, &out) : tk_decompress(in.data, in.len, &out);
    if (r) { fprintf(stderr, "toolkit: %s failed (%d)\n", argv[1], r); return 1; }
    if (tk_write_file(argv[3], &out)) return die("cannot write %s", argv[3]);
    printf("%s: %zu -> %zu bytes\n", argv[1], in.len, out.len);
    buffer_free(&in);
    buffer_free(&out);
    return 0;
}

static int cmd_sha256(int argc, char **argv) {
    int status = 0;
    for (int i = argc > 2 ? 2 : 1; i < argc; i++) {
        const char *path = i == 1 ? NULL : argv[i];
        buffer_t b;
        buffer_init(&b);
        if (load(path, &b)) { status = 1; continue; }
        char hex[65];
        sha256_hex(b.data, b.len, hex);
        printf("%s  %s\n", hex, path ? path : "-");
        buffer_free(&b);
    }
    return status;
}

static int cmd_grep(int argc, char **argv) {
    char seen[256] = {0};
    int i = parse_flags(argc, argv, 2, "ivcno", seen);
    if (i >= argc) { fputs(usage, stderr); return 2; }
    char err[128];
    tk_regex_t *re = regex_compile(argv[i], seen['i'], err, sizeof err);
    if (!re) { fprintf(stderr, "toolkit: bad pattern: %s\n", err); return 2; }
    int flags = (seen['v'] ? GREP_INVERT : 0) | (seen['c'] ? GREP_COUNT : 0) | (seen['n'] ? GREP_NUMBER : 0) |
                (seen['o'] ? GREP_ONLY : 0);
    int files = argc - i - 1, matched = 0, status = 0;
    for (int f = i + 1; f <= argc - 1 || (files == 0 && f == i + 1); f++) {
        const char *path = files ? argv[f] : NULL;
        buffer_t in, out;
        buffer_init(&in);
        buffer_init(&out);
        if (load(path, &in)) { status = 2; continue; }
        matched += text_grep(re, in.data, in.len, flags, files > 1 ? path : NULL, &out);
        tk_write_stdout(&out);
        buffer_free(&in);
        buffer_free(&out);
    }
    regex_free(re);
    return status ? status : matched ? 0 : 1;
}

static int cmd_text(int argc, char **argv) {
    const char *cmd = argv[1];
    char seen[256] = {0};
    buffer_t in, out;
    buffer_init(&in);
    buffer_init(&out);
    if (!strcmp(cmd, "wc")) {
        wc_t total = {0, 0, 0};
        int files = argc - 2;
        for (int f = 2; f < argc || (files == 0 && f == 2); f++) {
            const char *path = files ? argv[f] : NULL;
            in.len = 0;
            if (load(path, &in)) return 1;
            wc_t w = text_wc(in.data, in.len);
            printf("%7llu %7llu %7llu%s%s\n", (unsigned long long)w.lines, (unsigned long long)w.words,
                   (unsigned long long)w.bytes, path ? " " : "", path ? path : "");
            total.lines += w.lines;
            total.words += w.words;
            total.bytes += w.bytes;
        }
        if (files > 1)
            printf("%7llu %7llu %7llu total\n", (unsigned long long)total.lines, (unsigned long long)total.words,
                   (unsigned long long)total.bytes);
        return 0;
    }
    int i = parse_flags(argc, argv, 2, !strcmp(cmd, "sort") ? "rnuf" : !strcmp(cmd, "uniq") ? "c" : "", seen);
    int top = 10;
    if (!strcmp(cmd, "freq") && i < argc && argv[i][0] >= '0' && argv[i][0] <= '9') top = atoi(argv[i++]);
    if (i + 1 < argc) { fputs(usage, stderr); return 2; }
    if (load(i < argc ? argv[i] : NULL, &in)) return 1;
    if (!strcmp(cmd, "sort"))
        text_sort(in.data, in.len, (seen['r'] ? SORT_REVERSE : 0) | (seen['n'] ? SORT_NUMERIC : 0) |
                                   (seen['u'] ? SORT_UNIQUE : 0) | (seen['f'] ? SORT_FOLD : 0), &out);
    else if (!strcmp(cmd, "uniq")) text_uniq(in.data, in.len, seen['c'], &out);
    else text_freq(in.data, in.len, top, &out);
    tk_write_stdout(&out);
    return 0;
}

static int cmd_json(int argc, char **argv) {
    if (argc < 3) { fputs(usage, stderr); return 2; }
    int query = !strcmp(argv[2], "query");
    if (!query && strcmp(argv[2], "pretty") && strcmp(argv[2], "compact")) { fputs(usage, stderr); return 2; }
    int file = query ? 4 : 3;
    if (query && argc < 4) { fputs(usage, stderr); return 2; }
    if (argc > file + 1) { fputs(usage, stderr); return 2; }
    buffer_t in, out;
    buffer_init(&in);
    buffer_init(&out);
    const char *path = argc > file ? argv[file] : NULL;
    if (load(path, &in)) return 1;
    char err[200];
    json_t *v = json_parse((const char *)in.data, in.len, err, sizeof err);
    if (!v) { fprintf(stderr, "toolkit: %s: %s\n", path ? path : "stdin", err); return 1; }
    const json_t *r = query ? json_query(v, argv[3], err, sizeof err) : v;
    if (!r) { fprintf(stderr, "toolkit: query %s: %s\n", argv[3], err); return 1; }
    json_write(r, &out, !strcmp(argv[2], "compact") ? 0 : 2);
    buffer_push(&out, '\n');
    tk_write_stdout(&out);
    json_free(v);
    buffer_free(&in);
    buffer_free(&out);
    return 0;
}

static int cmd_bigint(int argc, char **argv) {
    const char *cmd = argv[1];
    int two = !strcmp(cmd, "pow") || !strcmp(cmd, "divmod");
    if (argc != (two ? 4 : 3)) { fputs(usage, stderr); return 2; }
    bigint_t a, b, q, r;
    big_init(&a); big_init(&b); big_init(&q); big_init(&r);
    if (big_set_str(&a, argv[2]) || (two && big_set_str(&b, argv[3]))) return die("not an integer: %s", argv[2]);
    if (!two && (a.neg || a.len > 2)) return die("N out of range: %s", argv[2]);
    uint32_t n = (uint32_t)big_to_double(&a);
    if (!strcmp(cmd, "fact")) big_factorial(&q, n);
    else if (!strcmp(cmd, "fib")) big_fibonacci(&q, n);
    else if (!strcmp(cmd, "pow")) {
        if (b.neg || b.len > 2) return die("exponent out of range: %s", argv[3]);
        big_pow(&q, &a, (uint32_t)big_to_double(&b));
    } else if (big_divmod(&q, &r, &a, &b)) return die("division by zero%s", "");
    char *s = big_to_str(&q);
    printf("%s\n", s);
    free(s);
    if (!strcmp(cmd, "divmod")) { s = big_to_str(&r); printf("%s\n", s); free(s); }
    big_free(&a); big_free(&b); big_free(&q); big_free(&r);
    return 0;
}

static int cmd_run(int argc, char **argv) {
    if (argc != 3) { fputs(usage, stderr); return 2; }
    buffer_t src, out;
    buffer_init(&src);
    buffer_init(&out);
    if (load(argv[2], &src)) return 1;
    script_run(buffer_cstr(&src), &out);
    tk_write_stdout(&out);
    return 0;
}

int main(int argc, char **argv) {
    static const struct { const char *name; int (*run)(int, char **); } commands[] = {
        {"compress", cmd_compress}, {"decompress", cmd_compress}, {"sha256", cmd_sha256}, {"grep", cmd_grep},
        {"wc", cmd_text}, {"sort", cmd_text}, {"uniq", cmd_text}, {"freq", cmd_text}, {"json", cmd_json},
        {"fact", cmd_bigint}, {"fib", cmd_bigint}, {"pow", cmd_bigint}, {"divmod", cmd_bigint}, {"run", cmd_run}};
    if (argc >= 2 && !strcmp(argv[1], "selftest")) return selftest(argc > 2 ? atoi(argv[2]) : 1, argc > 3 ? argv[3] : NULL);
    for (size_t i = 0; argc >= 2 && i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc, argv);
    fputs(usage, stderr);
    return 2;
}
