/* A small scripting language: numbers, big integers, strings, lists, maps and functions, with
   globals and function-scoped locals.

     fn fib(k) { if (k < 2) { return k; } return fib(k - 1) + fib(k - 2); }
     let xs = [];
     for (n in 10) { push(xs, fib(n)); }          # numbers iterate 0..n-1
     let ages = {"ann": 31, "bob": 27};
     for (name in ages) { print(name, ages[name]); }  # maps iterate their keys in order
     let f = big(1);
     for (i in 30) { f = f * (i + 1); }            # big integers never overflow
     print("30! =", f, "sum", sum(xs));

   Statements: let, assignment (to names and to list or map elements), if/else, while, for-in,
   break, continue, return, fn. Operators: + - * / % (on numbers, or big integers when either
   side is one; + also joins strings), comparisons (numbers, big integers, strings), and, or,
   not. Builtins are listed in `builtins` below.

   Variables are resolved to slots while parsing: a function sees its own locals and the
   globals. Locals and builtin arguments live on a heap stack and the evaluator's recursive
   functions keep small C frames (see eval), because wasm-ld gives programs a 64 KiB stack: the
   deepest script recursion allowed (MAX_DEPTH calls) fits in it with room to spare. Values are
   never freed (scripts are short-lived). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

typedef enum { V_NIL, V_NUM, V_STR, V_LIST, V_MAP, V_BIG } vtype_t;
typedef struct value value_t;
typedef struct list { value_t *items; int len, cap; } list_t;
typedef struct map map_t;
struct value { vtype_t type; union { double num; char *str; list_t *list; map_t *map; bigint_t *big; } as; };
/* Insertion-ordered: keys[i] maps to vals[i]; `slots` is an open-addressing index (entry + 1). */
struct map { char **keys; value_t *vals; int len, cap; int *slots; int nslots; };

typedef enum {
    N_NUM, N_STR, N_NIL, N_LOCAL, N_GLOBAL, N_SET_LOCAL, N_SET_GLOBAL, N_BIN, N_NEG, N_NOT, N_AND, N_OR,
    N_CALL, N_BUILTIN, N_INDEX, N_SET_INDEX, N_LIST, N_MAP,
    N_EXPR, N_IF, N_WHILE, N_FOR, N_BREAK, N_CONTINUE, N_RETURN, N_BLOCK
} ntype_t;

typedef struct node {
    ntype_t type;
    int op, slot, count, global;
    double num;
    char *str;
    struct node *a, *b, *c;
    struct node **kids;
} node_t;

typedef struct { char *name; int params, locals; node_t *body; } function_t;

#define MAX_FUNCS 256
#define MAX_GLOBALS 256
#define MAX_LOCALS 64
#define MAX_ARGS 16
#define MAX_DEPTH 200 /* calls, each a few hundred bytes of C stack under wasm32 */
#define MAX_SHOWN 100 /* nesting of lists and maps printed in full */
#define MAX_NESTING 100 /* of expressions and blocks in the source */
#define STACK_VALUES ((MAX_DEPTH + 8) * MAX_LOCALS)

typedef struct {
    const char *src;
    int pos, line;
    /* current token */
    int tok; /* 'n' number, 's' string, 'i' identifier, 'k' keyword, or the character */
    char text[256];
    double num;
    /* scopes */
    char *globals[MAX_GLOBALS];
    int nglobals;
    char *locals[MAX_LOCALS];
    int nlocals, in_function, loops, nesting;
    function_t funcs[MAX_FUNCS];
    int nfuncs;
    value_t global_values[MAX_GLOBALS];
    value_t *stack; /* locals of active calls */
    int sp, depth;
    buffer_t *out;
} vm_t;

/* Script errors end the program: wasi-libc has no setjmp to unwind with. */
static TK_NORETURN void fail(vm_t *vm, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fprintf(stderr, "script error, line %d: ", vm->line);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static void *alloc(size_t n) {
    void *p = calloc(1, n);
    if (!p) abort();
    return p;
}

static char *dup_text(const char *s) {
    char *p = alloc(strlen(s) + 1);
    strcpy(p, s);
    return p;
}

/* ---- Tokens ---- */
static const char *keywords[] = {"let", "fn", "if", "else", "while", "for", "in", "break", "continue",
                                 "return", "and", "or", "not", "nil", NULL};

static void next(vm_t *vm) {
    const char *s = vm->src;
    for (;;) {
        while (isspace((unsigned char)s[vm->pos])) { if (s[vm->pos] == '\n') vm->line++; vm->pos++; }
        if (s[vm->pos] == '#') { while (s[vm->pos] && s[vm->pos] != '\n') vm->pos++; continue; }
        break;
    }
    char c = s[vm->pos];
    if (!c) { vm->tok = 0; return; }
    if (isdigit((unsigned char)c)) {
        char *end;
        vm->num = strtod(s + vm->pos, &end);
        vm->pos = (int)(end - s);
        vm->tok = 'n';
        return;
    }
    if (isalpha((unsigned char)c) || c == '_') {
        int n = 0;
        while ((isalnum((unsigned char)s[vm->pos]) || s[vm->pos] == '_') && n < 127) vm->text[n++] = s[vm->pos++];
        vm->text[n] = 0;
        vm->tok = 'i';
        for (int k = 0; keywords[k]; k++) if (!strcmp(vm->text, keywords[k])) vm->tok = 'k';
        return;
    }
    if (c == '"') {
        int n = 0;
        vm->pos++;
        while (s[vm->pos] && s[vm->pos] != '"') {
            char ch = s[vm->pos++];
            if (ch == '\\' && s[vm->pos]) {
                ch = s[vm->pos++];
                if (ch == 'n') ch = '\n';
                else if (ch == 't') ch = '\t';
            }
            if (ch == '\n') vm->line++;
            if (n == (int)sizeof vm->text - 1) fail(vm, "string literal too long");
            vm->text[n++] = ch;
        }
        if (s[vm->pos] != '"') fail(vm, "unterminated string");
        vm->pos++;
        vm->text[n] = 0;
        vm->tok = 's';
        return;
    }
    vm->pos++;
    /* two-character operators as single codes */
    char d = s[vm->pos];
    if (c == '=' && d == '=') { vm->pos++; vm->tok = 'E'; return; }
    if (c == '!' && d == '=') { vm->pos++; vm->tok = 'N'; return; }
    if (c == '<' && d == '=') { vm->pos++; vm->tok = 'L'; return; }
    if (c == '>' && d == '=') { vm->pos++; vm->tok = 'G'; return; }
    vm->tok = c;
}

static int accept(vm_t *vm, int tok) {
    if (vm->tok != tok) return 0;
    next(vm);
    return 1;
}

static int accept_kw(vm_t *vm, const char *kw) {
    if (vm->tok != 'k' || strcmp(vm->text, kw)) return 0;
    next(vm);
    return 1;
}

static void expect(vm_t *vm, int tok, const char *what) {
    if (!accept(vm, tok)) fail(vm, "expected %s", what);
}

static node_t *node(ntype_t type) {
    node_t *n = alloc(sizeof *n);
    n->type = type;
    return n;
}

/* A growable child list. */
static void add_kid(node_t *n, node_t *kid, int *cap) {
    if (n->count == *cap) {
        *cap = *cap ? 2 * *cap : 4;
        n->kids = realloc(n->kids, sizeof(node_t *) * (size_t)*cap);
        if (!n->kids) abort();
    }
    n->kids[n->count++] = kid;
}

/* ---- Scopes ---- */
static int find(char **names, int n, const char *name) {
    for (int i = 0; i < n; i++) if (!strcmp(names[i], name)) return i;
    return -1;
}

static int global_slot(vm_t *vm, const char *name, int create) {
    int i = find(vm->globals, vm->nglobals, name);
    if (i >= 0 || !create) return i;
    if (vm->nglobals == MAX_GLOBALS) fail(vm, "too many globals");
    vm->globals[vm->nglobals] = dup_text(name);
    return vm->nglobals++;
}

static int find_function(vm_t *vm, const char *name) {
    for (int i = 0; i < vm->nfuncs; i++) if (!strcmp(vm->funcs[i].name, name)) return i;
    return -1;
}

/* The slot a name assigns to: an existing local, else (in a function, unless declaring) an
   existing global, else a new local in a function or a global at the top level. */
static void bind(vm_t *vm, node_t *n, const char *name, int declare) {
    if (vm->in_function) {
        int slot = find(vm->locals, vm->nlocals, name);
        if (slot < 0 && (declare || global_slot(vm, name, 0) < 0)) {
            if (vm->nlocals == MAX_LOCALS) fail(vm, "too many locals");
            vm->locals[vm->nlocals] = dup_text(name);
            slot = vm->nlocals++;
        }
        if (slot >= 0) { n->slot = slot; n->global = 0; }
        else { n->slot = global_slot(vm, name, 0); n->global = 1; }
    } else {
        n->slot = global_slot(vm, name, 1);
        n->global = 1;
    }
}

/* ---- Parser ---- */
static node_t *expression(vm_t *vm);
static node_t *statement(vm_t *vm);

enum {
    B_PRINT, B_LEN, B_PUSH, B_POP, B_STR, B_FLOOR, B_SQRT, B_SUM, B_CHR, B_ORD, B_KEYS, B_HAS, B_SPLIT, B_JOIN,
    B_SUBSTR, B_UPPER, B_LOWER, B_FIND, B_INT, B_BIG, B_POW, B_SHA256, B_MATCH, B_SORT, B_TYPE, B_COUNT
};
static const char *builtins[B_COUNT] = {"print", "len", "push", "pop", "str", "floor", "sqrt", "sum", "chr", "ord",
                                        "keys", "has", "split", "join", "substr", "upper", "lower", "find", "int",
                                        "big", "pow", "sha256", "match", "sort", "type"};

static node_t *postfix(vm_t *vm, node_t *n) {
    while (accept(vm, '[')) {
        node_t *ix = node(N_INDEX);
        ix->a = n;
        ix->b = expression(vm);
        expect(vm, ']', "']'");
        n = ix;
    }
    return n;
}

static node_t *primary(vm_t *vm) {
    node_t *n;
    int cap = 0;
    if (vm->tok == 'n') { n = node(N_NUM); n->num = vm->num; next(vm); return n; }
    if (vm->tok == 's') { n = node(N_STR); n->str = dup_text(vm->text); next(vm); return postfix(vm, n); }
    if (accept_kw(vm, "nil")) return node(N_NIL);
    if (accept(vm, '(')) { n = expression(vm); expect(vm, ')', "')'"); return postfix(vm, n); }
    if (accept(vm, '[')) {
        n = node(N_LIST);
        if (!accept(vm, ']')) {
            do add_kid(n, expression(vm), &cap); while (accept(vm, ','));
            expect(vm, ']', "']'");
        }
        return postfix(vm, n);
    }
    if (accept(vm, '{')) {
        /* map literal: keys and values alternate in kids */
        n = node(N_MAP);
        if (!accept(vm, '}')) {
            do {
                add_kid(n, expression(vm), &cap);
                expect(vm, ':', "':'");
                add_kid(n, expression(vm), &cap);
            } while (accept(vm, ','));
            expect(vm, '}', "'}'");
        }
        return postfix(vm, n);
    }
    if (vm->tok != 'i') fail(vm, "unexpected token");
    char name[128];
    strcpy(name, vm->text);
    next(vm);
    if (accept(vm, '(')) {
        int b = -1;
        for (int k = 0; k < B_COUNT; k++) if (!strcmp(builtins[k], name)) b = k;
        n = node(b >= 0 ? N_BUILTIN : N_CALL);
        n->op = b;
        n->slot = b >= 0 ? -1 : find_function(vm, name);
        if (b < 0 && n->slot < 0) fail(vm, "unknown function %s", name);
        if (!accept(vm, ')')) {
            do { if (n->count == MAX_ARGS) fail(vm, "too many arguments"); add_kid(n, expression(vm), &cap); } while (accept(vm, ','));
            expect(vm, ')', "')'");
        }
        if (b < 0 && n->count != vm->funcs[n->slot].params) fail(vm, "%s takes %d arguments", name, vm->funcs[n->slot].params);
        return postfix(vm, n);
    }
    int local = vm->in_function ? find(vm->locals, vm->nlocals, name) : -1;
    if (local >= 0) { n = node(N_LOCAL); n->slot = local; }
    else {
        int g = global_slot(vm, name, 0);
        if (g < 0) fail(vm, "unknown variable %s", name);
        n = node(N_GLOBAL);
        n->slot = g;
    }
    return postfix(vm, n);
}

/* The parser recurses on nesting: bound it, as the C stack is small under WebAssembly. */
static void nest(vm_t *vm, int delta) {
    vm->nesting += delta;
    if (vm->nesting > MAX_NESTING) fail(vm, "nested more than %d deep", MAX_NESTING);
}

static node_t *unary(vm_t *vm) {
    node_t *n = NULL;
    nest(vm, 1);
    if (accept(vm, '-')) { n = node(N_NEG); n->a = unary(vm); }
    else if (accept_kw(vm, "not")) { n = node(N_NOT); n->a = unary(vm); }
    else n = primary(vm);
    nest(vm, -1);
    return n;
}

static int precedence(int tok) {
    switch (tok) {
    case '*': case '/': case '%': return 5;
    case '+': case '-': return 4;
    case '<': case '>': case 'L': case 'G': return 3;
    case 'E': case 'N': return 2;
    default: return 0;
    }
}

static node_t *binary(vm_t *vm, int min) {
    node_t *left = unary(vm);
    for (;;) {
        int p = precedence(vm->tok);
        if (p == 0 || p < min) return left;
        int op = vm->tok;
        next(vm);
        node_t *n = node(N_BIN);
        n->op = op;
        n->a = left;
        n->b = binary(vm, p + 1);
        left = n;
    }
}

static node_t *expression(vm_t *vm) {
    node_t *left = binary(vm, 1);
    for (;;) {
        ntype_t t;
        if (accept_kw(vm, "and")) t = N_AND;
        else if (accept_kw(vm, "or")) t = N_OR;
        else return left;
        node_t *n = node(t);
        n->a = left;
        n->b = binary(vm, 1);
        left = n;
    }
}

static node_t *block(vm_t *vm) {
    expect(vm, '{', "'{'");
    node_t *n = node(N_BLOCK);
    int cap = 0;
    nest(vm, 1);
    while (!accept(vm, '}')) {
        if (!vm->tok) fail(vm, "unterminated block");
        add_kid(n, statement(vm), &cap);
    }
    nest(vm, -1);
    return n;
}

static node_t *loop_body(vm_t *vm) {
    vm->loops++;
    node_t *body = block(vm);
    vm->loops--;
    return body;
}

static node_t *function(vm_t *vm) {
    if (vm->in_function) fail(vm, "functions cannot nest");
    if (vm->tok != 'i') fail(vm, "expected a function name");
    if (vm->nfuncs == MAX_FUNCS) fail(vm, "too many functions");
    if (find_function(vm, vm->text) >= 0) fail(vm, "function %s defined twice", vm->text);
    for (int k = 0; k < B_COUNT; k++) if (!strcmp(builtins[k], vm->text)) fail(vm, "%s is a builtin", vm->text);
    function_t *f = &vm->funcs[vm->nfuncs++];
    f->name = dup_text(vm->text);
    next(vm);
    expect(vm, '(', "'('");
    vm->in_function = 1;
    vm->nlocals = 0;
    if (!accept(vm, ')')) {
        do {
            if (vm->tok != 'i') fail(vm, "expected a parameter name");
            if (vm->nlocals == MAX_ARGS) fail(vm, "too many parameters");
            vm->locals[vm->nlocals++] = dup_text(vm->text);
            next(vm);
        } while (accept(vm, ','));
        expect(vm, ')', "')'");
    }
    f->params = vm->nlocals;
    int loops = vm->loops;
    vm->loops = 0;
    f->body = block(vm);
    vm->loops = loops;
    f->locals = vm->nlocals;
    vm->in_function = 0;
    return node(N_BLOCK);
}

static node_t *statement(vm_t *vm) {
    node_t *n;
    if (accept_kw(vm, "let")) {
        if (vm->tok != 'i') fail(vm, "expected a name after let");
        char name[128];
        strcpy(name, vm->text);
        next(vm);
        expect(vm, '=', "'='");
        n = node(N_SET_LOCAL);
        bind(vm, n, name, 1);
        if (n->global) n->type = N_SET_GLOBAL;
        n->a = expression(vm);
        expect(vm, ';', "';'");
        return n;
    }
    if (accept_kw(vm, "if")) {
        n = node(N_IF);
        expect(vm, '(', "'('");
        n->a = expression(vm);
        expect(vm, ')', "')'");
        n->b = block(vm);
        if (accept_kw(vm, "else")) n->c = vm->tok == 'k' && !strcmp(vm->text, "if") ? statement(vm) : block(vm);
        return n;
    }
    if (accept_kw(vm, "while")) {
        n = node(N_WHILE);
        expect(vm, '(', "'('");
        n->a = expression(vm);
        expect(vm, ')', "')'");
        n->b = loop_body(vm);
        return n;
    }
    if (accept_kw(vm, "for")) {
        n = node(N_FOR);
        expect(vm, '(', "'('");
        if (vm->tok != 'i') fail(vm, "expected a loop variable");
        char name[128];
        strcpy(name, vm->text);
        next(vm);
        if (!accept_kw(vm, "in")) fail(vm, "expected 'in'");
        n->a = expression(vm);
        bind(vm, n, name, 0);
        expect(vm, ')', "')'");
        n->b = loop_body(vm);
        return n;
    }
    if (vm->tok == 'k' && (!strcmp(vm->text, "break") || !strcmp(vm->text, "continue"))) {
        n = node(vm->text[0] == 'b' ? N_BREAK : N_CONTINUE);
        if (!vm->loops) fail(vm, "%s outside a loop", vm->text);
        next(vm);
        expect(vm, ';', "';'");
        return n;
    }
    if (accept_kw(vm, "return")) {
        if (!vm->in_function) fail(vm, "return outside a function");
        n = node(N_RETURN);
        n->a = vm->tok == ';' ? node(N_NIL) : expression(vm);
        expect(vm, ';', "';'");
        return n;
    }
    if (accept_kw(vm, "fn")) return function(vm);
    if (vm->tok == 'i') {
        /* `name = value;` (the name is bound, created if new); anything else is an expression */
        int save_pos = vm->pos, save_line = vm->line;
        char name[128];
        strcpy(name, vm->text);
        next(vm);
        if (accept(vm, '=')) {
            n = node(N_SET_LOCAL);
            bind(vm, n, name, 0);
            if (n->global) n->type = N_SET_GLOBAL;
            n->a = expression(vm);
            expect(vm, ';', "';'");
            return n;
        }
        vm->pos = save_pos;
        vm->line = save_line;
        strcpy(vm->text, name);
        vm->tok = 'i';
    }
    node_t *e = expression(vm);
    if (e->type == N_INDEX && accept(vm, '=')) {
        /* element assignment: x[i] = v, m["k"] = v, x[i][j] = v */
        n = node(N_SET_INDEX);
        n->a = e->a;
        n->b = e->b;
        n->c = expression(vm);
    } else {
        n = node(N_EXPR);
        n->a = e;
    }
    expect(vm, ';', "';'");
    return n;
}

/* ---- Values ---- */
typedef enum { FLOW_NORMAL, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN } flow_t;
typedef struct { value_t *locals; flow_t flow; value_t result; } frame_t;

static value_t num(double d) { value_t v = {V_NUM, {.num = d}}; return v; }
static value_t nil(void) { value_t v = {V_NIL, {.num = 0}}; return v; }
static value_t str_value(char *s) { value_t v = {V_STR, {.str = s}}; return v; }

static value_t big_value(bigint_t *b) { value_t v = {V_BIG, {.big = b}}; return v; }

static bigint_t *new_big(void) {
    bigint_t *b = alloc(sizeof *b);
    big_init(b);
    return b;
}

static int truthy(value_t v) {
    switch (v.type) {
    case V_NIL: return 0;
    case V_NUM: return v.as.num != 0;
    case V_LIST: return v.as.list->len > 0;
    case V_MAP: return v.as.map->len > 0;
    case V_BIG: return !big_is_zero(v.as.big);
    default: return 1;
    }
}

static value_t new_list(void) { value_t v = {V_LIST, {.list = alloc(sizeof(list_t))}}; return v; }

static void list_push(list_t *l, value_t v) {
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        l->items = realloc(l->items, sizeof(value_t) * (size_t)l->cap);
        if (!l->items) abort();
    }
    l->items[l->len++] = v;
}

static uint32_t hash_text(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

/* The entry index of `key`, or -1; with `create`, a missing key is added (value nil). */
static int map_find(map_t *m, const char *key, int create) {
    if (m->nslots) {
        for (uint32_t k = hash_text(key) & (uint32_t)(m->nslots - 1);; k = (k + 1) & (uint32_t)(m->nslots - 1)) {
            int e = m->slots[k] - 1;
            if (e < 0) break;
            if (!strcmp(m->keys[e], key)) return e;
        }
    }
    if (!create) return -1;
    if (m->len == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 4;
        m->keys = realloc(m->keys, sizeof(char *) * (size_t)m->cap);
        m->vals = realloc(m->vals, sizeof(value_t) * (size_t)m->cap);
        if (!m->keys || !m->vals) abort();
    }
    int e = m->len++;
    m->keys[e] = dup_text(key);
    m->vals[e] = nil();
    if (m->len * 2 > m->nslots) {
        /* rebuild the index at twice the size */
        free(m->slots);
        m->nslots = m->nslots ? 2 * m->nslots : 8;
        m->slots = alloc(sizeof(int) * (size_t)m->nslots);
        for (int i = 0; i < m->len; i++) {
            uint32_t k = hash_text(m->keys[i]) & (uint32_t)(m->nslots - 1);
            while (m->slots[k]) k = (k + 1) & (uint32_t)(m->nslots - 1);
            m->slots[k] = i + 1;
        }
    } else {
        uint32_t k = hash_text(key) & (uint32_t)(m->nslots - 1);
        while (m->slots[k]) k = (k + 1) & (uint32_t)(m->nslots - 1);
        m->slots[k] = e + 1;
    }
    return e;
}

static void format(value_t v, buffer_t *b, int depth);

/* Map keys are strings; numbers and other values are keyed by their printed form. */
static const char *key_text(value_t k, buffer_t *scratch) {
    if (k.type == V_STR) return k.as.str;
    scratch->len = 0;
    format(k, scratch, 0);
    return buffer_cstr(scratch);
}

static void format(value_t v, buffer_t *b, int depth) {
    if ((v.type == V_LIST || v.type == V_MAP) && depth == MAX_SHOWN) {
        buffer_puts(b, v.type == V_LIST ? "[...]" : "{...}");
        return;
    }
    switch (v.type) {
    case V_NIL: buffer_puts(b, "nil"); break;
    case V_NUM:
        if (v.as.num == floor(v.as.num) && fabs(v.as.num) < 1e15) buffer_printf(b, "%lld", (long long)v.as.num);
        else buffer_printf(b, "%.6g", v.as.num);
        break;
    case V_STR: buffer_puts(b, v.as.str); break;
    case V_BIG: { char *s = big_to_str(v.as.big); buffer_puts(b, s); free(s); break; }
    case V_LIST:
        buffer_push(b, '[');
        for (int i = 0; i < v.as.list->len; i++) { if (i) buffer_puts(b, ", "); format(v.as.list->items[i], b, depth + 1); }
        buffer_push(b, ']');
        break;
    case V_MAP:
        buffer_push(b, '{');
        for (int i = 0; i < v.as.map->len; i++) {
            if (i) buffer_puts(b, ", ");
            buffer_printf(b, "%s: ", v.as.map->keys[i]);
            format(v.as.map->vals[i], b, depth + 1);
        }
        buffer_push(b, '}');
        break;
    }
}

static char *to_text(value_t v) {
    buffer_t b;
    buffer_init(&b);
    format(v, &b, 0);
    return buffer_cstr(&b);
}

static const char *type_name(value_t v) {
    static const char *names[] = {"nil", "number", "string", "list", "map", "big"};
    return names[v.type];
}

/* A number or big integer as a big integer (numbers must be integral). */
static bigint_t *as_big(vm_t *vm, value_t v) {
    if (v.type == V_BIG) return v.as.big;
    if (v.type != V_NUM || v.as.num != floor(v.as.num) || fabs(v.as.num) >= 9.2e18) fail(vm, "%s is not an integer", type_name(v));
    bigint_t *b = new_big();
    big_set_i64(b, (int64_t)v.as.num);
    return b;
}

/* ---- Evaluation ----
   eval stores its result through `out` (always the caller's private slot) instead of returning
   a struct: returned structs each take a slot in the caller's C stack frame, and eval and exec
   recurse once per nested expression, statement and call. Cases needing locals of their own
   are separate functions that are not inlined, so that recursion stays cheap in stack. */
static void eval(vm_t *vm, node_t *n, frame_t *f, value_t *out);

static void exec(vm_t *vm, node_t *n, frame_t *f);

static void assign(vm_t *vm, node_t *n, frame_t *f, value_t v) {
    if (n->global) vm->global_values[n->slot] = v;
    else f->locals[n->slot] = v;
}

/* Runs a loop body; returns 1 when the loop must stop (break or return). */
static int run_body(vm_t *vm, node_t *body, frame_t *f) {
    exec(vm, body, f);
    if (f->flow == FLOW_CONTINUE) f->flow = FLOW_NORMAL;
    if (f->flow == FLOW_BREAK) { f->flow = FLOW_NORMAL; return 1; }
    return f->flow == FLOW_RETURN;
}

static TK_NOINLINE void for_loop(vm_t *vm, node_t *n, frame_t *f) {
    value_t over;
    eval(vm, n->a, f, &over);
    if (over.type == V_NUM) {
        for (double i = 0; i < over.as.num; i++) { assign(vm, n, f, num(i)); if (run_body(vm, n->b, f)) break; }
    } else if (over.type == V_LIST) {
        for (int i = 0; i < over.as.list->len; i++) { assign(vm, n, f, over.as.list->items[i]); if (run_body(vm, n->b, f)) break; }
    } else if (over.type == V_MAP) {
        for (int i = 0; i < over.as.map->len; i++) { assign(vm, n, f, str_value(over.as.map->keys[i])); if (run_body(vm, n->b, f)) break; }
    } else {
        fail(vm, "cannot iterate over a %s", type_name(over));
    }
}

static void exec(vm_t *vm, node_t *n, frame_t *f) {
    value_t v;
    switch (n->type) {
    case N_BLOCK:
        for (int i = 0; i < n->count && f->flow == FLOW_NORMAL; i++) exec(vm, n->kids[i], f);
        break;
    case N_IF:
        eval(vm, n->a, f, &v);
        if (truthy(v)) exec(vm, n->b, f);
        else if (n->c) exec(vm, n->c, f);
        break;
    case N_WHILE:
        for (;;) {
            eval(vm, n->a, f, &v);
            if (!truthy(v) || run_body(vm, n->b, f)) break;
        }
        break;
    case N_FOR: for_loop(vm, n, f); break;
    case N_BREAK: f->flow = FLOW_BREAK; break;
    case N_CONTINUE: f->flow = FLOW_CONTINUE; break;
    case N_RETURN:
        eval(vm, n->a, f, &f->result);
        f->flow = FLOW_RETURN;
        break;
    case N_EXPR:
        eval(vm, n->a, f, &v);
        break;
    default:
        eval(vm, n, f, &v);
    }
}

static int compare_values(const void *x, const void *y, void *ctx) {
    const value_t *a = x, *b = y;
    vm_t *vm = ctx;
    if (a->type == V_NUM && b->type == V_NUM) return a->as.num < b->as.num ? -1 : a->as.num > b->as.num;
    if (a->type == V_STR && b->type == V_STR) return strcmp(a->as.str, b->as.str);
    if ((a->type == V_BIG || a->type == V_NUM) && (b->type == V_BIG || b->type == V_NUM))
        return big_cmp(as_big(vm, *a), as_big(vm, *b));
    fail(vm, "cannot compare %s with %s", type_name(*a), type_name(*b));
}

/* The builtins, kept out of eval (and its C stack frame, which every script call repeats). */
static TK_NOINLINE value_t apply_builtin(vm_t *vm, node_t *n, value_t *args, int argc) {
#define WANT(count, t0, usage) \
    if (argc != (count) || ((t0) >= 0 && args[0].type != (vtype_t)(t0))) fail(vm, "usage: %s", usage)
    switch (n->op) {
    case B_PRINT:
        for (int i = 0; i < argc; i++) { if (i) buffer_push(vm->out, ' '); format(args[i], vm->out, 0); }
        buffer_push(vm->out, '\n');
        return nil();
    case B_LEN:
        WANT(1, -1, "len(list, map or string)");
        if (args[0].type == V_LIST) return num(args[0].as.list->len);
        if (args[0].type == V_MAP) return num(args[0].as.map->len);
        if (args[0].type == V_STR) return num((double)strlen(args[0].as.str));
        fail(vm, "len of a %s", type_name(args[0]));
    case B_PUSH:
        WANT(2, V_LIST, "push(list, value)");
        list_push(args[0].as.list, args[1]);
        return args[0];
    case B_POP:
        WANT(1, V_LIST, "pop(list)");
        if (!args[0].as.list->len) fail(vm, "pop from an empty list");
        return args[0].as.list->items[--args[0].as.list->len];
    case B_STR: {
        buffer_t b;
        buffer_init(&b);
        for (int i = 0; i < argc; i++) format(args[i], &b, 0);
        return str_value(buffer_cstr(&b));
    }
    case B_FLOOR: WANT(1, V_NUM, "floor(number)"); return num(floor(args[0].as.num));
    case B_SQRT: WANT(1, V_NUM, "sqrt(number)"); return num(sqrt(args[0].as.num));
    case B_SUM: {
        WANT(1, V_LIST, "sum(list)");
        double s = 0;
        for (int i = 0; i < args[0].as.list->len; i++) if (args[0].as.list->items[i].type == V_NUM) s += args[0].as.list->items[i].as.num;
        return num(s);
    }
    case B_CHR: {
        WANT(1, V_NUM, "chr(code)");
        char *s = alloc(2);
        s[0] = (char)(int)args[0].as.num;
        return str_value(s);
    }
    case B_ORD: WANT(1, V_STR, "ord(string)"); return num((unsigned char)args[0].as.str[0]);
    case B_KEYS: {
        WANT(1, V_MAP, "keys(map)");
        value_t l = new_list();
        for (int i = 0; i < args[0].as.map->len; i++) list_push(l.as.list, str_value(args[0].as.map->keys[i]));
        return l;
    }
    case B_HAS: {
        WANT(2, V_MAP, "has(map, key)");
        buffer_t scratch;
        buffer_init(&scratch);
        int found = map_find(args[0].as.map, key_text(args[1], &scratch), 0) >= 0;
        buffer_free(&scratch);
        return num(found);
    }
    case B_SPLIT: {
        WANT(2, V_STR, "split(string, separator)");
        if (args[1].type != V_STR || !args[1].as.str[0]) fail(vm, "split needs a non-empty separator");
        value_t l = new_list();
        const char *s = args[0].as.str, *sep = args[1].as.str;
        size_t seplen = strlen(sep);
        for (;;) {
            const char *hit = strstr(s, sep);
            size_t len = hit ? (size_t)(hit - s) : strlen(s);
            char *part = alloc(len + 1);
            memcpy(part, s, len);
            list_push(l.as.list, str_value(part));
            if (!hit) break;
            s = hit + seplen;
        }
        return l;
    }
    case B_JOIN: {
        WANT(2, V_LIST, "join(list, separator)");
        if (args[1].type != V_STR) fail(vm, "join needs a string separator");
        buffer_t b;
        buffer_init(&b);
        for (int i = 0; i < args[0].as.list->len; i++) { if (i) buffer_puts(&b, args[1].as.str); format(args[0].as.list->items[i], &b, 0); }
        return str_value(buffer_cstr(&b));
    }
    case B_SUBSTR: {
        WANT(3, V_STR, "substr(string, start, length)");
        if (args[1].type != V_NUM || args[2].type != V_NUM) fail(vm, "substr needs numbers");
        int len = (int)strlen(args[0].as.str), start = (int)args[1].as.num, count = (int)args[2].as.num;
        if (start < 0) start = 0;
        if (start > len) start = len;
        if (count < 0) count = 0;
        if (count > len - start) count = len - start;
        char *s = alloc((size_t)count + 1);
        memcpy(s, args[0].as.str + start, (size_t)count);
        return str_value(s);
    }
    case B_UPPER:
    case B_LOWER: {
        WANT(1, V_STR, "upper(string) / lower(string)");
        char *s = dup_text(args[0].as.str);
        for (char *p = s; *p; p++) *p = (char)(n->op == B_UPPER ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
        return str_value(s);
    }
    case B_FIND: {
        WANT(2, V_STR, "find(string, substring)");
        if (args[1].type != V_STR) fail(vm, "find needs a string to look for");
        const char *hit = strstr(args[0].as.str, args[1].as.str);
        return num(hit ? (double)(hit - args[0].as.str) : -1);
    }
    case B_INT:
        WANT(1, -1, "int(number or string)");
        if (args[0].type == V_NUM) return num(args[0].as.num < 0 ? ceil(args[0].as.num) : floor(args[0].as.num));
        if (args[0].type == V_STR) {
            char *end;
            double d = strtod(args[0].as.str, &end);
            return end == args[0].as.str ? nil() : num(d < 0 ? ceil(d) : floor(d));
        }
        if (args[0].type == V_BIG) return num(big_to_double(args[0].as.big));
        fail(vm, "int of a %s", type_name(args[0]));
    case B_BIG: {
        WANT(1, -1, "big(integer or decimal string)");
        if (args[0].type != V_STR) return big_value(as_big(vm, args[0]));
        bigint_t *b = new_big();
        if (big_set_str(b, args[0].as.str)) fail(vm, "big(\"%s\"): not a decimal integer", args[0].as.str);
        return big_value(b);
    }
    case B_POW: {
        WANT(2, -1, "pow(base, exponent)");
        if (args[1].type != V_NUM || args[1].as.num < 0 || args[1].as.num != floor(args[1].as.num)) fail(vm, "pow needs a whole exponent");
        if (args[0].type == V_NUM) return num(pow(args[0].as.num, args[1].as.num));
        bigint_t *r = new_big();
        big_pow(r, as_big(vm, args[0]), (uint32_t)args[1].as.num);
        return big_value(r);
    }
    case B_SHA256: {
        WANT(1, -1, "sha256(value)");
        char *text = to_text(args[0]), *hex = alloc(65);
        sha256_hex(text, strlen(text), hex);
        free(text);
        return str_value(hex);
    }
    case B_MATCH: {
        WANT(2, V_STR, "match(pattern, string)");
        if (args[1].type != V_STR) fail(vm, "match needs a string to search");
        char err[128];
        tk_regex_t *re = regex_compile(args[0].as.str, 0, err, sizeof err);
        if (!re) fail(vm, "bad pattern \"%s\": %s", args[0].as.str, err);
        size_t start, end;
        int hit = regex_search(re, args[1].as.str, strlen(args[1].as.str), 0, &start, &end);
        regex_free(re);
        if (!hit) return nil();
        value_t l = new_list();
        list_push(l.as.list, num((double)start));
        list_push(l.as.list, num((double)end));
        return l;
    }
    case B_SORT: {
        WANT(1, V_LIST, "sort(list)");
        value_t l = new_list();
        for (int i = 0; i < args[0].as.list->len; i++) list_push(l.as.list, args[0].as.list->items[i]);
        tk_sort(l.as.list->items, (size_t)l.as.list->len, sizeof(value_t), compare_values, vm);
        return l;
    }
    case B_TYPE: WANT(1, -1, "type(value)"); return str_value((char *)type_name(args[0]));
    }
#undef WANT
    fail(vm, "unknown builtin");
}

/* Arguments are evaluated onto the value stack, not into a C array. */
static TK_NOINLINE void builtin(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    if (vm->sp + n->count > STACK_VALUES) fail(vm, "expression nested too deeply");
    value_t *args = vm->stack + vm->sp;
    vm->sp += n->count;
    for (int i = 0; i < n->count; i++) eval(vm, n->kids[i], f, &args[i]);
    *out = apply_builtin(vm, n, args, n->count);
    vm->sp -= n->count;
}


static TK_NOINLINE value_t arith(vm_t *vm, int op, value_t a, value_t b) {
    if (op == '+' && (a.type == V_STR || b.type == V_STR)) {
        buffer_t s;
        buffer_init(&s);
        format(a, &s, 0);
        format(b, &s, 0);
        return str_value(buffer_cstr(&s));
    }
    if (op == 'E' || op == 'N') {
        int eq;
        if ((a.type == V_BIG && b.type == V_NUM) || (a.type == V_NUM && b.type == V_BIG))
            eq = b.type == V_NUM ? (b.as.num == floor(b.as.num) && !big_cmp(a.as.big, as_big(vm, b)))
                                 : (a.as.num == floor(a.as.num) && !big_cmp(as_big(vm, a), b.as.big));
        else if (a.type != b.type) eq = 0;
        else if (a.type == V_NIL) eq = 1;
        else if (a.type == V_NUM) eq = a.as.num == b.as.num;
        else if (a.type == V_STR) eq = !strcmp(a.as.str, b.as.str);
        else if (a.type == V_BIG) eq = !big_cmp(a.as.big, b.as.big);
        else if (a.type == V_LIST) eq = a.as.list == b.as.list;
        else eq = a.as.map == b.as.map;
        return num(op == 'E' ? eq : !eq);
    }
    if (op == '<' || op == '>' || op == 'L' || op == 'G') {
        int c = compare_values(&a, &b, vm);
        return num(op == '<' ? c < 0 : op == '>' ? c > 0 : op == 'L' ? c <= 0 : c >= 0);
    }
    if (a.type == V_BIG || b.type == V_BIG) {
        bigint_t *x = as_big(vm, a), *y = as_big(vm, b), *r = new_big();
        switch (op) {
        case '+': big_add(r, x, y); break;
        case '-': big_sub(r, x, y); break;
        case '*': big_mul(r, x, y); break;
        case '/': if (big_divmod(r, NULL, x, y)) fail(vm, "division by zero"); break;
        case '%': if (big_divmod(NULL, r, x, y)) fail(vm, "division by zero"); break;
        }
        return big_value(r);
    }
    if (a.type != V_NUM || b.type != V_NUM) fail(vm, "arithmetic on a %s and a %s", type_name(a), type_name(b));
    double x = a.as.num, y = b.as.num;
    switch (op) {
    case '+': return num(x + y);
    case '-': return num(x - y);
    case '*': return num(x * y);
    case '/': if (y == 0) fail(vm, "division by zero"); return num(x / y);
    case '%': if (y == 0) fail(vm, "division by zero"); return num(fmod(x, y));
    }
    fail(vm, "bad operator");
}

static TK_NOINLINE void binary_op(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    value_t b;
    eval(vm, n->a, f, out);
    eval(vm, n->b, f, &b);
    *out = arith(vm, n->op, *out, b);
}

static TK_NOINLINE value_t *element(vm_t *vm, value_t container, value_t index, int create) {
    if (container.type == V_MAP) {
        buffer_t scratch;
        buffer_init(&scratch);
        int e = map_find(container.as.map, key_text(index, &scratch), create);
        buffer_free(&scratch);
        return e < 0 ? NULL : &container.as.map->vals[e];
    }
    if (container.type != V_LIST || index.type != V_NUM) fail(vm, "cannot index a %s with a %s", type_name(container), type_name(index));
    int i = (int)index.as.num;
    if (i < 0) i += container.as.list->len;
    if (i < 0 || i >= container.as.list->len) fail(vm, "index %d out of range (length %d)", (int)index.as.num, container.as.list->len);
    return &container.as.list->items[i];
}

static TK_NOINLINE value_t negate(vm_t *vm, value_t a) {
    if (a.type == V_BIG) {
        bigint_t *r = new_big(), zero;
        big_init(&zero);
        big_sub(r, &zero, a.as.big);
        return big_value(r);
    }
    if (a.type != V_NUM) fail(vm, "negating a %s", type_name(a));
    return num(-a.as.num);
}

static TK_NOINLINE void list_literal(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    value_t l = new_list(), item;
    for (int i = 0; i < n->count; i++) {
        eval(vm, n->kids[i], f, &item);
        list_push(l.as.list, item);
    }
    *out = l;
}

static TK_NOINLINE void map_literal(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    value_t m = {V_MAP, {.map = alloc(sizeof(map_t))}}, k, v;
    for (int i = 0; i + 1 < n->count; i += 2) {
        eval(vm, n->kids[i], f, &k);
        eval(vm, n->kids[i + 1], f, &v);
        *element(vm, m, k, 1) = v;
    }
    *out = m;
}

static TK_NOINLINE value_t string_index(vm_t *vm, value_t s, value_t index) {
    if (index.type != V_NUM) fail(vm, "cannot index a string with a %s", type_name(index));
    int len = (int)strlen(s.as.str), k = (int)index.as.num;
    if (k < 0) k += len;
    if (k < 0 || k >= len) fail(vm, "index %d out of range (length %d)", (int)index.as.num, len);
    char *c = alloc(2);
    c[0] = s.as.str[k];
    return str_value(c);
}

/* c[i], and c[i] = v when n is an N_SET_INDEX */
static TK_NOINLINE void index_op(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    value_t c, i;
    eval(vm, n->a, f, &c);
    eval(vm, n->b, f, &i);
    if (n->type == N_SET_INDEX) {
        eval(vm, n->c, f, out);
        if (c.type == V_STR) fail(vm, "strings cannot be changed");
        *element(vm, c, i, 1) = *out;
    } else if (c.type == V_STR) {
        *out = string_index(vm, c, i);
    } else {
        value_t *e = element(vm, c, i, 0);
        *out = e ? *e : nil();
    }
}

static TK_NOINLINE void call(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    function_t *fn = &vm->funcs[n->slot];
    if (vm->depth == MAX_DEPTH || vm->sp + fn->locals > STACK_VALUES) fail(vm, "recursion deeper than %d in %s", MAX_DEPTH, fn->name);
    /* The callee's locals are reserved first, so calls made by the arguments stack above. */
    value_t *locals = vm->stack + vm->sp;
    vm->sp += fn->locals;
    vm->depth++;
    for (int i = 0; i < fn->locals; i++) locals[i] = nil();
    for (int i = 0; i < n->count; i++) eval(vm, n->kids[i], f, &locals[i]);
    frame_t callee = {locals, FLOW_NORMAL, nil()};
    exec(vm, fn->body, &callee);
    vm->depth--;
    vm->sp -= fn->locals;
    *out = callee.result;
}

static void eval(vm_t *vm, node_t *n, frame_t *f, value_t *out) {
    switch (n->type) {
    case N_NUM: *out = num(n->num); break;
    case N_STR: *out = str_value(n->str); break;
    case N_NIL: *out = nil(); break;
    case N_LOCAL: *out = f->locals[n->slot]; break;
    case N_GLOBAL: *out = vm->global_values[n->slot]; break;
    case N_SET_LOCAL: eval(vm, n->a, f, out); f->locals[n->slot] = *out; break;
    case N_SET_GLOBAL: eval(vm, n->a, f, out); vm->global_values[n->slot] = *out; break;
    case N_BIN: binary_op(vm, n, f, out); break;
    case N_NEG: eval(vm, n->a, f, out); *out = negate(vm, *out); break;
    case N_NOT: eval(vm, n->a, f, out); *out = num(!truthy(*out)); break;
    case N_AND: eval(vm, n->a, f, out); if (truthy(*out)) eval(vm, n->b, f, out); break;
    case N_OR: eval(vm, n->a, f, out); if (!truthy(*out)) eval(vm, n->b, f, out); break;
    case N_LIST: list_literal(vm, n, f, out); break;
    case N_MAP: map_literal(vm, n, f, out); break;
    case N_INDEX: case N_SET_INDEX: index_op(vm, n, f, out); break;
    case N_BUILTIN: builtin(vm, n, f, out); break;
    case N_CALL: call(vm, n, f, out); break;
    default: exec(vm, n, f); *out = nil();
    }
}

int script_run(const char *source, buffer_t *output) {
    vm_t *vm = alloc(sizeof *vm);
    vm->src = source;
    vm->line = 1;
    vm->out = output;
    vm->stack = alloc(sizeof(value_t) * STACK_VALUES);
    next(vm);
    node_t *program = node(N_BLOCK);
    int cap = 0;
    while (vm->tok) add_kid(program, statement(vm), &cap);
    frame_t frame = {vm->stack, FLOW_NORMAL, nil()};
    exec(vm, program, &frame);
    free(vm->stack);
    free(vm);
    return 0;
}
