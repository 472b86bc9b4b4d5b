/* A small scripting language: numbers, strings, lists, functions, globals and locals.

     let n = 10;
     fn fib(k) { if (k < 2) { return k; } return fib(k - 1) + fib(k - 2); }
     let xs = [];
     while (n > 0) { push(xs, fib(n)); n = n - 1; }
     print("sum", sum(xs));

   Variables are function-scoped and resolved to slots while parsing; functions see their own
   locals and the globals. Values are never freed (scripts are short-lived). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

typedef enum { V_NIL, V_NUM, V_STR, V_LIST, V_FN } vtype_t;
typedef struct value value_t;
typedef struct list { value_t *items; int len, cap; } list_t;
struct value { vtype_t type; union { double num; char *str; list_t *list; int fn; } as; };

typedef enum {
    N_NUM, N_STR, N_LOCAL, N_GLOBAL, N_SET_LOCAL, N_SET_GLOBAL, N_BIN, N_NEG, N_NOT, N_AND, N_OR,
    N_CALL, N_BUILTIN, N_INDEX, N_SET_INDEX, N_LIST,
    N_EXPR, N_IF, N_WHILE, N_RETURN, N_BLOCK
} ntype_t;

typedef struct node {
    ntype_t type;
    int op, slot, count;
    double num;
    char *str;
    struct node *a, *b, *c;
    struct node **kids;
} node_t;

typedef struct { char *name; int params, locals; node_t *body; } function_t;

#define MAX_FUNCS 256
#define MAX_GLOBALS 256
#define MAX_LOCALS 64

typedef struct {
    const char *src;
    int pos, line;
    /* current token */
    int tok; /* 'n' number, 's' string, 'i' identifier, 'k' keyword, or the character */
    char text[128];
    double num;
    /* scopes */
    char *globals[MAX_GLOBALS];
    int nglobals;
    char *locals[MAX_LOCALS];
    int nlocals, in_function;
    function_t funcs[MAX_FUNCS];
    int nfuncs;
    value_t global_values[MAX_GLOBALS];
    buffer_t *out;
    int depth;
} vm_t;

/* Script errors end the program: wasi-libc has no setjmp to unwind with. */
static void fail(vm_t *vm, const char *fmt, ...) {
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
static const char *keywords[] = {"let", "fn", "if", "else", "while", "return", "and", "or", "not", "nil", NULL};

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
        while (s[vm->pos] && s[vm->pos] != '"' && n < 127) {
            char ch = s[vm->pos++];
            if (ch == '\\' && s[vm->pos]) { ch = s[vm->pos++]; if (ch == 'n') ch = '\n'; }
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

/* ---- Parser ---- */
static node_t *expression(vm_t *vm);
static node_t *statement(vm_t *vm);

static const char *builtins[] = {"print", "len", "push", "str", "floor", "sqrt", "sum", "chr", "ord", NULL};

static node_t *primary(vm_t *vm) {
    node_t *n;
    if (vm->tok == 'n') { n = node(N_NUM); n->num = vm->num; next(vm); return n; }
    if (vm->tok == 's') { n = node(N_STR); n->str = dup_text(vm->text); next(vm); return n; }
    if (accept_kw(vm, "nil")) return node(N_NUM);
    if (accept(vm, '(')) { n = expression(vm); expect(vm, ')', "')'"); return n; }
    if (accept(vm, '[')) {
        n = node(N_LIST);
        n->kids = alloc(sizeof(node_t *) * 64);
        if (!accept(vm, ']')) {
            do { if (n->count == 64) fail(vm, "list literal too long"); n->kids[n->count++] = expression(vm); } while (accept(vm, ','));
            expect(vm, ']', "']'");
        }
        return n;
    }
    if (vm->tok != 'i') fail(vm, "unexpected token");
    char name[128];
    strcpy(name, vm->text);
    next(vm);
    if (accept(vm, '(')) {
        int b = -1;
        for (int k = 0; builtins[k]; k++) if (!strcmp(builtins[k], name)) b = k;
        n = node(b >= 0 ? N_BUILTIN : N_CALL);
        n->op = b;
        n->slot = b >= 0 ? -1 : find_function(vm, name);
        if (b < 0 && n->slot < 0) fail(vm, "unknown function %s", name);
        n->kids = alloc(sizeof(node_t *) * 16);
        if (!accept(vm, ')')) {
            do { if (n->count == 16) fail(vm, "too many arguments"); n->kids[n->count++] = expression(vm); } while (accept(vm, ','));
            expect(vm, ')', "')'");
        }
        if (b < 0 && n->count != vm->funcs[n->slot].params) fail(vm, "%s takes %d arguments", name, vm->funcs[n->slot].params);
        return n;
    }
    int local = vm->in_function ? find(vm->locals, vm->nlocals, name) : -1;
    if (local >= 0) { n = node(N_LOCAL); n->slot = local; }
    else {
        int g = global_slot(vm, name, 0);
        if (g < 0) fail(vm, "unknown variable %s", name);
        n = node(N_GLOBAL);
        n->slot = g;
    }
    while (accept(vm, '[')) {
        node_t *ix = node(N_INDEX);
        ix->a = n;
        ix->b = expression(vm);
        expect(vm, ']', "']'");
        n = ix;
    }
    return n;
}

static node_t *unary(vm_t *vm) {
    if (accept(vm, '-')) { node_t *n = node(N_NEG); n->a = unary(vm); return n; }
    if (accept_kw(vm, "not")) { node_t *n = node(N_NOT); n->a = unary(vm); return n; }
    return primary(vm);
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
    int cap = 8;
    n->kids = alloc(sizeof(node_t *) * (size_t)cap);
    while (!accept(vm, '}')) {
        if (!vm->tok) fail(vm, "unterminated block");
        if (n->count == cap) { cap *= 2; n->kids = realloc(n->kids, sizeof(node_t *) * (size_t)cap); }
        n->kids[n->count++] = statement(vm);
    }
    return n;
}

static node_t *assignment(vm_t *vm, const char *name, int declare) {
    node_t *n;
    if (vm->in_function) {
        int slot = find(vm->locals, vm->nlocals, name);
        if (slot < 0 && (declare || global_slot(vm, name, 0) < 0)) {
            if (vm->nlocals == MAX_LOCALS) fail(vm, "too many locals");
            vm->locals[vm->nlocals] = dup_text(name);
            slot = vm->nlocals++;
        }
        if (slot >= 0) { n = node(N_SET_LOCAL); n->slot = slot; }
        else { n = node(N_SET_GLOBAL); n->slot = global_slot(vm, name, 0); }
    } else {
        n = node(N_SET_GLOBAL);
        n->slot = global_slot(vm, name, 1);
    }
    n->a = expression(vm);
    return n;
}

static node_t *statement(vm_t *vm) {
    node_t *n;
    if (accept_kw(vm, "let")) {
        if (vm->tok != 'i') fail(vm, "expected a name after let");
        char name[128];
        strcpy(name, vm->text);
        next(vm);
        expect(vm, '=', "'='");
        n = assignment(vm, name, 1);
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
        n->b = block(vm);
        return n;
    }
    if (accept_kw(vm, "return")) {
        if (!vm->in_function) fail(vm, "return outside a function");
        n = node(N_RETURN);
        n->a = vm->tok == ';' ? node(N_NUM) : expression(vm);
        expect(vm, ';', "';'");
        return n;
    }
    if (accept_kw(vm, "fn")) {
        if (vm->in_function) fail(vm, "functions cannot nest");
        if (vm->tok != 'i') fail(vm, "expected a function name");
        if (vm->nfuncs == MAX_FUNCS) fail(vm, "too many functions");
        function_t *f = &vm->funcs[vm->nfuncs++];
        f->name = dup_text(vm->text);
        next(vm);
        expect(vm, '(', "'('");
        vm->in_function = 1;
        vm->nlocals = 0;
        if (!accept(vm, ')')) {
            do {
                if (vm->tok != 'i') fail(vm, "expected a parameter name");
                vm->locals[vm->nlocals++] = dup_text(vm->text);
                next(vm);
            } while (accept(vm, ','));
            expect(vm, ')', "')'");
        }
        f->params = vm->nlocals;
        f->body = block(vm);
        f->locals = vm->nlocals;
        vm->in_function = 0;
        return node(N_BLOCK);
    }
    if (vm->tok == 'i') {
        /* assignment or expression statement */
        int save_pos = vm->pos, save_line = vm->line;
        char name[128];
        strcpy(name, vm->text);
        next(vm);
        if (accept(vm, '=')) {
            n = assignment(vm, name, 0);
            expect(vm, ';', "';'");
            return n;
        }
        if (vm->tok == '[') {
            /* x[i] = v ? parse the target as an expression first */
            vm->pos = save_pos; vm->line = save_line;
            strcpy(vm->text, name); vm->tok = 'i';
            node_t *target = primary(vm);
            if (target->type == N_INDEX && accept(vm, '=')) {
                n = node(N_SET_INDEX);
                n->a = target->a;
                n->b = target->b;
                n->c = expression(vm);
                expect(vm, ';', "';'");
                return n;
            }
            fail(vm, "expected an assignment");
        }
        vm->pos = save_pos; vm->line = save_line;
        strcpy(vm->text, name); vm->tok = 'i';
        for (int k = 0; keywords[k]; k++) if (!strcmp(vm->text, keywords[k])) vm->tok = 'k';
    }
    n = node(N_EXPR);
    n->a = expression(vm);
    expect(vm, ';', "';'");
    return n;
}

/* ---- Evaluation ---- */
typedef struct { value_t *locals; int returning; value_t result; } frame_t;

static value_t num(double d) { value_t v = {V_NUM, {.num = d}}; return v; }

static int truthy(value_t v) {
    return v.type == V_NUM ? v.as.num != 0 : v.type == V_NIL ? 0 : v.type == V_LIST ? v.as.list->len > 0 : 1;
}

static void list_push(list_t *l, value_t v) {
    if (l->len == l->cap) { l->cap = l->cap ? 2 * l->cap : 4; l->items = realloc(l->items, sizeof(value_t) * (size_t)l->cap); }
    l->items[l->len++] = v;
}

static void format(vm_t *vm, value_t v, buffer_t *b) {
    char tmp[64];
    switch (v.type) {
    case V_NIL: buffer_append(b, (const uint8_t *)"nil", 3); break;
    case V_NUM:
        if (v.as.num == floor(v.as.num) && fabs(v.as.num) < 1e15) snprintf(tmp, sizeof tmp, "%lld", (long long)v.as.num);
        else snprintf(tmp, sizeof tmp, "%.6g", v.as.num);
        buffer_append(b, (const uint8_t *)tmp, strlen(tmp));
        break;
    case V_STR: buffer_append(b, (const uint8_t *)v.as.str, strlen(v.as.str)); break;
    case V_LIST:
        buffer_push(b, '[');
        for (int i = 0; i < v.as.list->len; i++) { if (i) buffer_append(b, (const uint8_t *)", ", 2); format(vm, v.as.list->items[i], b); }
        buffer_push(b, ']');
        break;
    case V_FN: buffer_append(b, (const uint8_t *)"<fn>", 4); break;
    }
}

static value_t eval(vm_t *vm, node_t *n, frame_t *f);

static void exec(vm_t *vm, node_t *n, frame_t *f) {
    switch (n->type) {
    case N_BLOCK:
        for (int i = 0; i < n->count && !f->returning; i++) exec(vm, n->kids[i], f);
        break;
    case N_IF:
        if (truthy(eval(vm, n->a, f))) exec(vm, n->b, f);
        else if (n->c) exec(vm, n->c, f);
        break;
    case N_WHILE:
        while (!f->returning && truthy(eval(vm, n->a, f))) exec(vm, n->b, f);
        break;
    case N_RETURN:
        f->result = eval(vm, n->a, f);
        f->returning = 1;
        break;
    case N_EXPR:
        eval(vm, n->a, f);
        break;
    default:
        eval(vm, n, f);
    }
}

static value_t builtin(vm_t *vm, node_t *n, frame_t *f) {
    value_t args[16];
    for (int i = 0; i < n->count; i++) args[i] = eval(vm, n->kids[i], f);
    switch (n->op) {
    case 0: /* print */
        for (int i = 0; i < n->count; i++) { if (i) buffer_push(vm->out, ' '); format(vm, args[i], vm->out); }
        buffer_push(vm->out, '\n');
        return num(0);
    case 1: /* len */
        if (n->count == 1 && args[0].type == V_LIST) return num(args[0].as.list->len);
        if (n->count == 1 && args[0].type == V_STR) return num((double)strlen(args[0].as.str));
        fail(vm, "len of a non-list");
    case 2: /* push */
        if (n->count != 2 || args[0].type != V_LIST) fail(vm, "push(list, value)");
        list_push(args[0].as.list, args[1]);
        return args[0];
    case 3: { /* str */
        buffer_t b;
        buffer_init(&b);
        for (int i = 0; i < n->count; i++) format(vm, args[i], &b);
        buffer_push(&b, 0);
        value_t v = {V_STR, {.str = (char *)b.data}};
        return v;
    }
    case 4: if (n->count == 1 && args[0].type == V_NUM) return num(floor(args[0].as.num)); fail(vm, "floor(number)");
    case 5: if (n->count == 1 && args[0].type == V_NUM) return num(sqrt(args[0].as.num)); fail(vm, "sqrt(number)");
    case 6: { /* sum */
        if (n->count != 1 || args[0].type != V_LIST) fail(vm, "sum(list)");
        double s = 0;
        for (int i = 0; i < args[0].as.list->len; i++) if (args[0].as.list->items[i].type == V_NUM) s += args[0].as.list->items[i].as.num;
        return num(s);
    }
    case 7: { /* chr */
        if (n->count != 1 || args[0].type != V_NUM) fail(vm, "chr(code)");
        char *s = alloc(2);
        s[0] = (char)(int)args[0].as.num;
        value_t v = {V_STR, {.str = s}};
        return v;
    }
    case 8: if (n->count == 1 && args[0].type == V_STR) return num((unsigned char)args[0].as.str[0]); fail(vm, "ord(string)");
    }
    fail(vm, "unknown builtin");
    return num(0);
}

static value_t arith(vm_t *vm, int op, value_t a, value_t b) {
    if (op == '+' && (a.type == V_STR || b.type == V_STR)) {
        buffer_t s;
        buffer_init(&s);
        format(vm, a, &s);
        format(vm, b, &s);
        buffer_push(&s, 0);
        value_t v = {V_STR, {.str = (char *)s.data}};
        return v;
    }
    if (op == 'E' || op == 'N') {
        int eq;
        if (a.type != b.type) eq = 0;
        else if (a.type == V_NUM) eq = a.as.num == b.as.num;
        else if (a.type == V_STR) eq = !strcmp(a.as.str, b.as.str);
        else eq = a.as.list == b.as.list;
        return num(op == 'E' ? eq : !eq);
    }
    if (a.type != V_NUM || b.type != V_NUM) fail(vm, "arithmetic on non-numbers");
    double x = a.as.num, y = b.as.num;
    switch (op) {
    case '+': return num(x + y);
    case '-': return num(x - y);
    case '*': return num(x * y);
    case '/': if (y == 0) fail(vm, "division by zero"); return num(x / y);
    case '%': if (y == 0) fail(vm, "division by zero"); return num(fmod(x, y));
    case '<': return num(x < y);
    case '>': return num(x > y);
    case 'L': return num(x <= y);
    case 'G': return num(x >= y);
    }
    fail(vm, "bad operator");
    return num(0);
}

static value_t *element(vm_t *vm, value_t list, value_t index) {
    if (list.type != V_LIST || index.type != V_NUM) fail(vm, "indexing needs a list and a number");
    int i = (int)index.as.num;
    if (i < 0 || i >= list.as.list->len) fail(vm, "index %d out of range (length %d)", i, list.as.list->len);
    return &list.as.list->items[i];
}

static value_t eval(vm_t *vm, node_t *n, frame_t *f) {
    switch (n->type) {
    case N_NUM: return num(n->num);
    case N_STR: { value_t v = {V_STR, {.str = n->str}}; return v; }
    case N_LOCAL: return f->locals[n->slot];
    case N_GLOBAL: return vm->global_values[n->slot];
    case N_SET_LOCAL: return f->locals[n->slot] = eval(vm, n->a, f);
    case N_SET_GLOBAL: return vm->global_values[n->slot] = eval(vm, n->a, f);
    case N_BIN: { value_t a = eval(vm, n->a, f); return arith(vm, n->op, a, eval(vm, n->b, f)); }
    case N_NEG: { value_t a = eval(vm, n->a, f); if (a.type != V_NUM) fail(vm, "negating a non-number"); return num(-a.as.num); }
    case N_NOT: return num(!truthy(eval(vm, n->a, f)));
    case N_AND: { value_t a = eval(vm, n->a, f); return truthy(a) ? eval(vm, n->b, f) : a; }
    case N_OR: { value_t a = eval(vm, n->a, f); return truthy(a) ? a : eval(vm, n->b, f); }
    case N_LIST: {
        list_t *l = alloc(sizeof *l);
        for (int i = 0; i < n->count; i++) list_push(l, eval(vm, n->kids[i], f));
        value_t v = {V_LIST, {.list = l}};
        return v;
    }
    case N_INDEX: { value_t l = eval(vm, n->a, f); return *element(vm, l, eval(vm, n->b, f)); }
    case N_SET_INDEX: {
        value_t l = eval(vm, n->a, f), i = eval(vm, n->b, f);
        return *element(vm, l, i) = eval(vm, n->c, f);
    }
    case N_BUILTIN: return builtin(vm, n, f);
    case N_CALL: {
        function_t *fn = &vm->funcs[n->slot];
        if (++vm->depth > 2000) fail(vm, "recursion too deep in %s", fn->name);
        value_t locals[MAX_LOCALS];
        for (int i = 0; i < fn->locals; i++) locals[i].type = V_NIL;
        for (int i = 0; i < n->count; i++) locals[i] = eval(vm, n->kids[i], f);
        frame_t callee = {locals, 0, {V_NIL, {.num = 0}}};
        exec(vm, fn->body, &callee);
        vm->depth--;
        return callee.result;
    }
    default:
        exec(vm, n, f);
        return num(0);
    }
}

int script_run(const char *source, buffer_t *output) {
    vm_t *vm = alloc(sizeof *vm);
    vm->src = source;
    vm->line = 1;
    vm->out = output;
    next(vm);
    node_t *program = node(N_BLOCK);
    int cap = 16;
    program->kids = alloc(sizeof(node_t *) * (size_t)cap);
    while (vm->tok) {
        if (program->count == cap) { cap *= 2; program->kids = realloc(program->kids, sizeof(node_t *) * (size_t)cap); }
        program->kids[program->count++] = statement(vm);
    }
    value_t top[1];
    frame_t frame = {top, 0, {V_NIL, {.num = 0}}};
    exec(vm, program, &frame);
    free(vm);
    return 0;
}
