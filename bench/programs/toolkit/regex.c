/* Regular expressions: a recursive-descent parser builds a syntax tree, which compiles to a
   program for a Pike VM (Thompson's NFA simulation, with threads kept in priority order so the
   match found is the leftmost one and, among those, the one a backtracking matcher would
   report). Time is O(text x program) whatever the pattern: no exponential backtracking.

   Syntax: literals; . (any byte but newline); [abc] [^a-z] with ranges and escapes; \d \w \s
   and \D \W \S; \n \t and escaped punctuation; ^ and $ (at line boundaries); ( ) grouping;
   | alternation; * + ? {m} {m,} {m,n} repetition, greedy or lazy with a trailing ?.

   Like other automaton matchers, and unlike Perl or Python, an iteration of a loop that matched
   the empty string does not end the loop, so with loops whose body can match nothing, as in
   (a|)+ or (b??)*, the span reported may differ from theirs (whether there is a match does
   not). Differential testing against Python's re found no other difference. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

#define MAX_REPEAT 1000
#define MAX_PROGRAM 20000

/* ---- syntax tree ---- */
typedef enum { R_EMPTY, R_CHAR, R_ANY, R_CLASS, R_BOL, R_EOL, R_CAT, R_ALT, R_REPEAT } rtype_t;

typedef struct rnode {
    rtype_t type;
    int c, cls, min, max, greedy; /* max -1: unbounded */
    struct rnode *a, *b;
} rnode_t;

typedef struct { uint8_t bits[32]; } class_t;

/* ---- program ---- */
typedef enum { OP_CHAR, OP_ANY, OP_CLASS, OP_BOL, OP_EOL, OP_SPLIT, OP_JMP, OP_MATCH } op_t;
typedef struct { op_t op; int arg, x, y; } inst_t;

struct tk_regex {
    inst_t *prog;
    int len, cap;
    class_t *classes;
    int nclasses, class_cap;
};

typedef struct {
    const char *p;
    int icase, failed;
    char *err;
    size_t errlen;
    struct tk_regex *re;
} parser_t;

static void error(parser_t *ps, const char *fmt, ...) {
    if (ps->failed) return;
    ps->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    if (ps->err && ps->errlen) vsnprintf(ps->err, ps->errlen, fmt, ap);
    va_end(ap);
}

static rnode_t *new_node(rtype_t type, rnode_t *a, rnode_t *b) {
    rnode_t *n = calloc(1, sizeof *n);
    if (!n) abort();
    n->type = type;
    n->a = a;
    n->b = b;
    return n;
}

/* Concatenations and alternations are built left-deep, one level per item: the walks below
   follow that spine with a loop, so only group nesting (bounded) costs recursion. */
static void free_tree(rnode_t *n) {
    while (n) {
        rnode_t *left = n->a;
        if (n->type != R_CAT && n->type != R_ALT) { free_tree(left); left = NULL; }
        free_tree(n->b);
        free(n);
        n = left;
    }
}

/* The items of a left-deep chain of `type` nodes, in order; returns their count. */
static int flatten(const rnode_t *n, rtype_t type, const rnode_t ***items) {
    int count = 1;
    for (const rnode_t *m = n; m->type == type; m = m->a) count++;
    const rnode_t **list = malloc(sizeof(rnode_t *) * (size_t)count);
    if (!list) abort();
    int i = count;
    for (; n->type == type; n = n->a) list[--i] = n->b;
    list[0] = n;
    *items = list;
    return count;
}

static int new_class(struct tk_regex *re) {
    if (re->nclasses == re->class_cap) {
        re->class_cap = re->class_cap ? 2 * re->class_cap : 8;
        re->classes = realloc(re->classes, sizeof(class_t) * (size_t)re->class_cap);
        if (!re->classes) abort();
    }
    memset(&re->classes[re->nclasses], 0, sizeof(class_t));
    return re->nclasses++;
}

static void class_set(class_t *c, int ch) { c->bits[ch >> 3] |= (uint8_t)(1 << (ch & 7)); }
static int class_has(const class_t *c, int ch) { return c->bits[ch >> 3] >> (ch & 7) & 1; }

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_word(int c) { return is_alpha(c) || is_digit(c) || c == '_'; }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static int other_case(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* \d \w \s and their negations into `c`; returns 0 if `e` is none of them. */
static int add_shorthand(class_t *c, int e) {
    int (*test)(int);
    switch (e | 32) {
    case 'd': test = is_digit; break;
    case 'w': test = is_word; break;
    case 's': test = is_space; break;
    default: return 0;
    }
    int negate = e >= 'A' && e <= 'Z';
    for (int ch = 0; ch < 256; ch++) if (test(ch) != negate) class_set(c, ch);
    return 1;
}

static int escape_char(int e) { return e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e; }

static void fold_class(class_t *c) {
    for (int ch = 0; ch < 256; ch++) if (is_alpha(ch) && class_has(c, ch)) class_set(c, other_case(ch));
}

static rnode_t *parse_alt(parser_t *ps, int depth);

static rnode_t *parse_class(parser_t *ps) {
    int idx = new_class(ps->re);
    class_t c;
    memset(&c, 0, sizeof c);
    int negate = *ps->p == '^';
    if (negate) ps->p++;
    int first = 1;
    while (*ps->p && (*ps->p != ']' || first)) {
        first = 0;
        int lo = (unsigned char)*ps->p++;
        if (lo == '\\') {
            if (!*ps->p) break;
            int e = (unsigned char)*ps->p++;
            if (add_shorthand(&c, e)) continue;
            lo = escape_char(e);
        }
        int hi = lo;
        if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
            ps->p++;
            hi = (unsigned char)*ps->p++;
            if (hi == '\\' && *ps->p) hi = escape_char((unsigned char)*ps->p++);
            if (hi < lo) { error(ps, "bad range %c-%c", lo, hi); return NULL; }
        }
        for (int ch = lo; ch <= hi; ch++) class_set(&c, ch);
    }
    if (*ps->p != ']') { error(ps, "missing ]"); return NULL; }
    ps->p++;
    if (ps->icase) fold_class(&c);
    if (negate) for (int i = 0; i < 32; i++) c.bits[i] = (uint8_t)~c.bits[i];
    ps->re->classes[idx] = c;
    rnode_t *n = new_node(R_CLASS, NULL, NULL);
    n->cls = idx;
    return n;
}

static rnode_t *literal(parser_t *ps, int ch) {
    if (ps->icase && is_alpha(ch)) {
        int idx = new_class(ps->re);
        class_set(&ps->re->classes[idx], ch);
        class_set(&ps->re->classes[idx], other_case(ch));
        rnode_t *n = new_node(R_CLASS, NULL, NULL);
        n->cls = idx;
        return n;
    }
    rnode_t *n = new_node(R_CHAR, NULL, NULL);
    n->c = ch;
    return n;
}

static rnode_t *parse_atom(parser_t *ps, int depth) {
    int ch = (unsigned char)*ps->p++;
    switch (ch) {
    case '(': {
        rnode_t *n = parse_alt(ps, depth + 1);
        if (*ps->p != ')') { error(ps, "missing )"); free_tree(n); return NULL; }
        ps->p++;
        return n;
    }
    case '[': return parse_class(ps);
    case '.': return new_node(R_ANY, NULL, NULL);
    case '^': return new_node(R_BOL, NULL, NULL);
    case '$': return new_node(R_EOL, NULL, NULL);
    case '*': case '+': case '?': case '{':
        error(ps, "nothing to repeat before %c", ch);
        return NULL;
    case '\\': {
        if (!*ps->p) { error(ps, "trailing backslash"); return NULL; }
        int e = (unsigned char)*ps->p++;
        int idx = new_class(ps->re);
        if (add_shorthand(&ps->re->classes[idx], e)) {
            rnode_t *n = new_node(R_CLASS, NULL, NULL);
            n->cls = idx;
            return n;
        }
        ps->re->nclasses--;
        return literal(ps, escape_char(e));
    }
    default: return literal(ps, ch);
    }
}

static int parse_count(parser_t *ps) {
    if (!is_digit(*ps->p)) return -1;
    int n = 0;
    while (is_digit(*ps->p)) { n = n * 10 + (*ps->p++ - '0'); if (n > MAX_REPEAT) n = MAX_REPEAT + 1; }
    return n;
}

static rnode_t *parse_repeat(parser_t *ps, int depth) {
    rnode_t *atom = parse_atom(ps, depth);
    while (atom && *ps->p && strchr("*+?{", *ps->p)) {
        int min, max;
        char op = *ps->p++;
        if (op == '*') { min = 0; max = -1; }
        else if (op == '+') { min = 1; max = -1; }
        else if (op == '?') { min = 0; max = 1; }
        else {
            min = parse_count(ps);
            max = min;
            if (*ps->p == ',') { ps->p++; max = *ps->p == '}' ? -1 : parse_count(ps); }
            if (min < 0 || *ps->p != '}' || (max >= 0 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT) {
                error(ps, "bad {m,n} repetition");
                free_tree(atom);
                return NULL;
            }
            ps->p++;
        }
        if (atom->type == R_BOL || atom->type == R_EOL) { error(ps, "cannot repeat an anchor"); free_tree(atom); return NULL; }
        rnode_t *n = new_node(R_REPEAT, atom, NULL);
        n->min = min;
        n->max = max;
        n->greedy = 1;
        if (*ps->p == '?') { ps->p++; n->greedy = 0; }
        atom = n;
    }
    return atom;
}

static rnode_t *parse_cat(parser_t *ps, int depth) {
    rnode_t *left = new_node(R_EMPTY, NULL, NULL);
    while (*ps->p && *ps->p != '|' && *ps->p != ')' && !ps->failed) {
        rnode_t *right = parse_repeat(ps, depth);
        if (!right) break;
        left = left->type == R_EMPTY ? (free(left), right) : new_node(R_CAT, left, right);
    }
    return left;
}

static rnode_t *parse_alt(parser_t *ps, int depth) {
    if (depth > 100) { error(ps, "groups nested too deeply"); return new_node(R_EMPTY, NULL, NULL); }
    rnode_t *left = parse_cat(ps, depth);
    while (*ps->p == '|' && !ps->failed) {
        ps->p++;
        left = new_node(R_ALT, left, parse_cat(ps, depth));
    }
    return left;
}

/* ---- compiler ---- */
static int emit(parser_t *ps, op_t op, int arg) {
    struct tk_regex *re = ps->re;
    if (re->len == MAX_PROGRAM) { error(ps, "pattern too large"); return re->len - 1; }
    if (re->len == re->cap) {
        re->cap = re->cap ? 2 * re->cap : 32;
        re->prog = realloc(re->prog, sizeof(inst_t) * (size_t)re->cap);
        if (!re->prog) abort();
    }
    re->prog[re->len] = (inst_t){op, arg, 0, 0};
    return re->len++;
}

/* A split preferring x (the greedy choice) or y. */
static void set_split(parser_t *ps, int at, int x, int y, int greedy) {
    ps->re->prog[at].x = greedy ? x : y;
    ps->re->prog[at].y = greedy ? y : x;
}

static void compile(parser_t *ps, const rnode_t *n) {
    if (ps->failed) return;
    switch (n->type) {
    case R_EMPTY: break;
    case R_CHAR: emit(ps, OP_CHAR, n->c); break;
    case R_ANY: emit(ps, OP_ANY, 0); break;
    case R_CLASS: emit(ps, OP_CLASS, n->cls); break;
    case R_BOL: emit(ps, OP_BOL, 0); break;
    case R_EOL: emit(ps, OP_EOL, 0); break;
    case R_CAT: {
        const rnode_t **items;
        int count = flatten(n, R_CAT, &items);
        for (int i = 0; i < count; i++) compile(ps, items[i]);
        free(items);
        break;
    }
    case R_ALT: {
        /* split a, next; a; jmp end; next: split b, ...; the jumps to the end are chained
           through their targets until the end is known */
        const rnode_t **items;
        int count = flatten(n, R_ALT, &items), jumps = -1;
        for (int i = 0; i < count - 1 && !ps->failed; i++) {
            int split = emit(ps, OP_SPLIT, 0);
            compile(ps, items[i]);
            int jmp = emit(ps, OP_JMP, 0);
            ps->re->prog[jmp].x = jumps;
            jumps = jmp;
            set_split(ps, split, split + 1, ps->re->len, 1);
        }
        compile(ps, items[count - 1]);
        while (jumps >= 0 && !ps->failed) {
            int prev = ps->re->prog[jumps].x;
            ps->re->prog[jumps].x = ps->re->len;
            jumps = prev;
        }
        free(items);
        break;
    }
    case R_REPEAT: {
        for (int i = 0; i < n->min; i++) compile(ps, n->a);
        if (n->max < 0) {
            /* L: split body, out; body; jmp L */
            int split = emit(ps, OP_SPLIT, 0);
            compile(ps, n->a);
            int jmp = emit(ps, OP_JMP, 0);
            ps->re->prog[jmp].x = split;
            set_split(ps, split, split + 1, ps->re->len, n->greedy);
        } else {
            /* (body (body ...)?)? : each optional copy may skip to the end */
            int *splits = malloc(sizeof(int) * (size_t)(n->max - n->min + 1)), count = 0;
            if (!splits) abort();
            for (int i = n->min; i < n->max && !ps->failed; i++) {
                splits[count++] = emit(ps, OP_SPLIT, 0);
                compile(ps, n->a);
            }
            for (int i = 0; i < count; i++) set_split(ps, splits[i], splits[i] + 1, ps->re->len, n->greedy);
            free(splits);
        }
        break;
    }
    }
}

tk_regex_t *regex_compile(const char *pattern, int icase, char *err, size_t errlen) {
    struct tk_regex *re = calloc(1, sizeof *re);
    if (!re) abort();
    parser_t ps = {pattern, icase, 0, err, errlen, re};
    rnode_t *tree = parse_alt(&ps, 0);
    if (!ps.failed && *ps.p) error(&ps, "unmatched )");
    compile(&ps, tree);
    emit(&ps, OP_MATCH, 0);
    free_tree(tree);
    if (ps.failed) { regex_free(re); return NULL; }
    return re;
}

void regex_free(tk_regex_t *re) {
    if (!re) return;
    free(re->prog);
    free(re->classes);
    free(re);
}

/* ---- Pike VM ---- */
typedef struct { int pc; size_t start; } thread_t;
typedef struct { thread_t *t; int n; } tlist_t;

typedef struct {
    const tk_regex_t *re;
    const uint8_t *text;
    size_t len;
    int *mark, *stack;
    int gen;
} vm_t;

/* Adds the thread at `pc` and everything reachable from it without consuming input, in
   priority order (depth first, a split's x before its y). */
static void add_thread(vm_t *vm, tlist_t *list, int pc, size_t start, size_t pos) {
    int sp = 0;
    vm->stack[sp++] = pc;
    while (sp) {
        pc = vm->stack[--sp];
        if (vm->mark[pc] == vm->gen) continue;
        vm->mark[pc] = vm->gen;
        const inst_t *in = &vm->re->prog[pc];
        switch (in->op) {
        case OP_JMP: vm->stack[sp++] = in->x; break;
        case OP_SPLIT: vm->stack[sp++] = in->y; vm->stack[sp++] = in->x; break;
        case OP_BOL: if (pos == 0 || vm->text[pos - 1] == '\n') vm->stack[sp++] = pc + 1; break;
        case OP_EOL: if (pos == vm->len || vm->text[pos] == '\n') vm->stack[sp++] = pc + 1; break;
        default: list->t[list->n++] = (thread_t){pc, start};
        }
    }
}

int regex_search(const tk_regex_t *re, const char *text, size_t len, size_t from, size_t *mstart, size_t *mend) {
    int n = re->len;
    vm_t vm = {re, (const uint8_t *)text, len, calloc((size_t)n, sizeof(int)), malloc(sizeof(int) * (size_t)n * 2 + 8), 1};
    tlist_t a = {malloc(sizeof(thread_t) * (size_t)n), 0}, b = {malloc(sizeof(thread_t) * (size_t)n), 0};
    tlist_t *clist = &a, *nlist = &b;
    if (!vm.mark || !vm.stack || !a.t || !b.t) abort();
    /* A pattern starting with a literal byte lets idle stretches be skipped with memchr. */
    int first = re->prog[0].op == OP_CHAR ? re->prog[0].arg : -1;
    int matched = 0;
    for (size_t pos = from; pos <= len; pos++) {
        if (!matched) {
            if (clist->n == 0 && first >= 0) {
                const uint8_t *hit = pos < len ? memchr(vm.text + pos, first, len - pos) : NULL;
                if (!hit) break;
                pos = (size_t)(hit - vm.text);
            }
            add_thread(&vm, clist, 0, pos, pos);
        } else if (clist->n == 0) {
            break;
        }
        vm.gen++;
        nlist->n = 0;
        for (int i = 0; i < clist->n; i++) {
            thread_t t = clist->t[i];
            const inst_t *in = &re->prog[t.pc];
            int c = pos < len ? vm.text[pos] : -1;
            int ok = 0;
            switch (in->op) {
            case OP_MATCH:
                matched = 1;
                *mstart = t.start;
                *mend = pos;
                i = clist->n; /* lower-priority threads lose to this match */
                continue;
            case OP_CHAR: ok = c == in->arg; break;
            case OP_ANY: ok = c >= 0 && c != '\n'; break;
            case OP_CLASS: ok = c >= 0 && class_has(&re->classes[in->arg], c); break;
            default: break;
            }
            if (ok) add_thread(&vm, nlist, t.pc + 1, t.start, pos + 1);
        }
        tlist_t *tmp = clist;
        clist = nlist;
        nlist = tmp;
    }
    free(vm.mark);
    free(vm.stack);
    free(a.t);
    free(b.t);
    return matched;
}
