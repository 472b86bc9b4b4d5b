/* Signed arbitrary-precision integers: sign and magnitude, the magnitude in base 10^9 limbs,
   least significant first, with no leading zero limbs (zero has len 0 and is never negative).
   Base 10^9 makes decimal output a matter of printing limbs; products of two limbs fit in 64
   bits. Division is Knuth's algorithm D. Every operation accepts its result aliasing an
   operand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

#define BASE 1000000000u

static void reserve(bigint_t *a, int n) {
    if (n <= a->cap) return;
    int cap = a->cap ? a->cap : 4;
    while (cap < n) cap *= 2;
    uint32_t *p = realloc(a->limb, sizeof(uint32_t) * (size_t)cap);
    if (!p) abort();
    a->limb = p;
    a->cap = cap;
}

static void trim(bigint_t *a) {
    while (a->len > 0 && a->limb[a->len - 1] == 0) a->len--;
    if (a->len == 0) a->neg = 0;
}

void big_init(bigint_t *a) { a->neg = a->len = a->cap = 0; a->limb = NULL; }

void big_free(bigint_t *a) { free(a->limb); big_init(a); }

void big_copy(bigint_t *dst, const bigint_t *src) {
    if (dst == src) return;
    reserve(dst, src->len);
    if (src->len) memcpy(dst->limb, src->limb, sizeof(uint32_t) * (size_t)src->len);
    dst->len = src->len;
    dst->neg = src->neg;
}

static void swap(bigint_t *a, bigint_t *b) { bigint_t t = *a; *a = *b; *b = t; }

void big_set_i64(bigint_t *a, int64_t v) {
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    a->len = 0;
    a->neg = v < 0;
    reserve(a, 3);
    while (m) { a->limb[a->len++] = (uint32_t)(m % BASE); m /= BASE; }
}

int big_set_str(bigint_t *a, const char *s) {
    int neg = 0;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    size_t n = strlen(s);
    if (n == 0) return -1;
    for (size_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return -1;
    a->len = 0;
    reserve(a, (int)(n / 9 + 1));
    /* Nine digits at a time, from the right. */
    for (size_t end = n; end > 0;) {
        size_t start = end >= 9 ? end - 9 : 0;
        uint32_t limb = 0;
        for (size_t i = start; i < end; i++) limb = limb * 10 + (uint32_t)(s[i] - '0');
        a->limb[a->len++] = limb;
        end = start;
    }
    a->neg = neg;
    trim(a);
    return 0;
}

char *big_to_str(const bigint_t *a) {
    char *s = malloc((size_t)a->len * 9 + 3), *p = s;
    if (!s) abort();
    if (a->len == 0) { strcpy(s, "0"); return s; }
    if (a->neg) *p++ = '-';
    p += sprintf(p, "%u", (unsigned)a->limb[a->len - 1]);
    for (int i = a->len - 2; i >= 0; i--) p += sprintf(p, "%09u", (unsigned)a->limb[i]);
    return s;
}

int big_is_zero(const bigint_t *a) { return a->len == 0; }

static int cmp_mag(const bigint_t *a, const bigint_t *b) {
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    for (int i = a->len - 1; i >= 0; i--)
        if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

int big_cmp(const bigint_t *a, const bigint_t *b) {
    if (a->neg != b->neg) return a->neg ? -1 : 1;
    int c = cmp_mag(a, b);
    return a->neg ? -c : c;
}

double big_to_double(const bigint_t *a) {
    double d = 0;
    for (int i = a->len - 1; i >= 0; i--) d = d * BASE + a->limb[i];
    return a->neg ? -d : d;
}

/* |r| = |a| + |b| */
static void add_mag(bigint_t *r, const bigint_t *a, const bigint_t *b) {
    if (a->len < b->len) { const bigint_t *t = a; a = b; b = t; }
    int alen = a->len, blen = b->len;
    reserve(r, alen + 1);
    uint32_t carry = 0;
    for (int i = 0; i < alen; i++) {
        uint32_t s = a->limb[i] + (i < blen ? b->limb[i] : 0) + carry;
        carry = s >= BASE;
        r->limb[i] = carry ? s - BASE : s;
    }
    r->limb[alen] = carry;
    r->len = alen + 1;
}

/* |r| = |a| - |b|, given |a| >= |b| */
static void sub_mag(bigint_t *r, const bigint_t *a, const bigint_t *b) {
    int alen = a->len, blen = b->len;
    reserve(r, alen);
    int64_t borrow = 0;
    for (int i = 0; i < alen; i++) {
        int64_t d = (int64_t)a->limb[i] - (i < blen ? b->limb[i] : 0) - borrow;
        borrow = d < 0;
        r->limb[i] = (uint32_t)(borrow ? d + BASE : d);
    }
    r->len = alen;
}

static void add_signed(bigint_t *r, const bigint_t *a, const bigint_t *b, int bneg) {
    int aneg = a->neg;
    if (aneg == bneg) {
        add_mag(r, a, b);
        r->neg = aneg;
    } else if (cmp_mag(a, b) >= 0) {
        sub_mag(r, a, b);
        r->neg = aneg;
    } else {
        sub_mag(r, b, a);
        r->neg = bneg;
    }
    trim(r);
}

void big_add(bigint_t *r, const bigint_t *a, const bigint_t *b) { add_signed(r, a, b, b->neg); }

void big_sub(bigint_t *r, const bigint_t *a, const bigint_t *b) { add_signed(r, a, b, b->len ? !b->neg : 0); }

void big_mul(bigint_t *r, const bigint_t *a, const bigint_t *b) {
    if (a->len == 0 || b->len == 0) { r->len = 0; r->neg = 0; return; }
    bigint_t t;
    big_init(&t);
    reserve(&t, a->len + b->len);
    memset(t.limb, 0, sizeof(uint32_t) * (size_t)(a->len + b->len));
    for (int i = 0; i < a->len; i++) {
        uint64_t carry = 0, x = a->limb[i];
        if (x == 0) continue;
        for (int j = 0; j < b->len; j++) {
            uint64_t cur = t.limb[i + j] + x * b->limb[j] + carry;
            t.limb[i + j] = (uint32_t)(cur % BASE);
            carry = cur / BASE;
        }
        for (int k = i + b->len; carry; k++) {
            uint64_t cur = t.limb[k] + carry;
            t.limb[k] = (uint32_t)(cur % BASE);
            carry = cur / BASE;
        }
    }
    t.len = a->len + b->len;
    t.neg = a->neg != b->neg;
    trim(&t);
    swap(r, &t);
    big_free(&t);
}

/* |a| * m + add, in place; m and add below BASE. */
static void mul_small(bigint_t *a, uint32_t m, uint32_t add) {
    uint64_t carry = add;
    for (int i = 0; i < a->len; i++) {
        uint64_t cur = (uint64_t)a->limb[i] * m + carry;
        a->limb[i] = (uint32_t)(cur % BASE);
        carry = cur / BASE;
    }
    if (carry) { reserve(a, a->len + 1); a->limb[a->len++] = (uint32_t)carry; }
    trim(a);
}

/* |a| / d in place, returning the remainder; 0 < d < BASE. */
static uint32_t div_small(bigint_t *a, uint32_t d) {
    uint64_t rem = 0;
    for (int i = a->len - 1; i >= 0; i--) {
        uint64_t cur = rem * BASE + a->limb[i];
        a->limb[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    trim(a);
    return (uint32_t)rem;
}

/* Knuth, TAOCP vol. 2, 4.3.1, algorithm D, on magnitudes: q = |a| / |b|, r = |a| % |b|, with
   b having at least two limbs and |a| >= |b|. */
static void divmod_mag(bigint_t *q, bigint_t *r, const bigint_t *a, const bigint_t *b) {
    int n = b->len, m = a->len - b->len;
    uint32_t scale = BASE / (b->limb[n - 1] + 1); /* D1: makes the divisor's top limb >= BASE/2 */
    bigint_t u, v;
    big_init(&u);
    big_init(&v);
    big_copy(&u, a);
    big_copy(&v, b);
    u.neg = v.neg = 0;
    reserve(&u, a->len + 1);
    u.limb[a->len] = 0;
    if (scale > 1) {
        mul_small(&v, scale, 0);
        uint64_t carry = 0;
        for (int i = 0; i < a->len; i++) {
            uint64_t cur = (uint64_t)u.limb[i] * scale + carry;
            u.limb[i] = (uint32_t)(cur % BASE);
            carry = cur / BASE;
        }
        u.limb[a->len] = (uint32_t)carry;
    }
    bigint_t quot;
    big_init(&quot);
    reserve(&quot, m + 1);
    quot.len = m + 1;
    uint64_t vtop = v.limb[n - 1], vnext = v.limb[n - 2];
    for (int j = m; j >= 0; j--) {
        /* D3: estimate the quotient limb from the top two limbs, correct it with the third. */
        uint64_t num = (uint64_t)u.limb[j + n] * BASE + u.limb[j + n - 1];
        uint64_t qhat = num / vtop, rhat = num % vtop;
        while (qhat >= BASE || qhat * vnext > rhat * BASE + u.limb[j + n - 2]) {
            qhat--;
            rhat += vtop;
            if (rhat >= BASE) break;
        }
        /* D4: u[j..j+n] -= qhat * v */
        int64_t borrow = 0;
        uint64_t carry = 0;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * v.limb[i] + carry;
            carry = p / BASE;
            int64_t t = (int64_t)u.limb[i + j] - (int64_t)(p % BASE) - borrow;
            borrow = t < 0;
            u.limb[i + j] = (uint32_t)(borrow ? t + BASE : t);
        }
        int64_t top = (int64_t)u.limb[j + n] - (int64_t)carry - borrow;
        if (top < 0) {
            /* D6: qhat was one too large (rare): add v back. */
            qhat--;
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                uint64_t s = (uint64_t)u.limb[i + j] + v.limb[i] + c;
                u.limb[i + j] = (uint32_t)(s % BASE);
                c = s / BASE;
            }
            top += (int64_t)c; /* the carry out cancels the borrow: top ends at 0 */
        }
        u.limb[j + n] = (uint32_t)top;
        quot.limb[j] = (uint32_t)qhat;
    }
    trim(&quot);
    /* D8: the remainder is u's low n limbs, unscaled. */
    u.len = n;
    trim(&u);
    if (scale > 1) div_small(&u, scale);
    swap(q, &quot);
    swap(r, &u);
    big_free(&quot);
    big_free(&u);
    big_free(&v);
}

int big_divmod(bigint_t *q, bigint_t *rem, const bigint_t *a, const bigint_t *b) {
    if (b->len == 0) return -1;
    int qneg = a->neg != b->neg, rneg = a->neg;
    bigint_t qt, rt;
    big_init(&qt);
    big_init(&rt);
    if (cmp_mag(a, b) < 0) {
        big_copy(&rt, a);
    } else if (b->len == 1) {
        big_copy(&qt, a);
        big_set_i64(&rt, div_small(&qt, b->limb[0]));
    } else {
        divmod_mag(&qt, &rt, a, b);
    }
    qt.neg = qt.len ? qneg : 0;
    rt.neg = rt.len ? rneg : 0;
    if (q) swap(q, &qt);
    if (rem) swap(rem, &rt);
    big_free(&qt);
    big_free(&rt);
    return 0;
}

void big_pow(bigint_t *r, const bigint_t *a, uint32_t e) {
    bigint_t result, base;
    big_init(&result);
    big_init(&base);
    big_set_i64(&result, 1);
    big_copy(&base, a);
    while (e) {
        if (e & 1) big_mul(&result, &result, &base);
        e >>= 1;
        if (e) big_mul(&base, &base, &base);
    }
    swap(r, &result);
    big_free(&result);
    big_free(&base);
}

void big_factorial(bigint_t *r, uint32_t n) {
    big_set_i64(r, 1);
    for (uint32_t i = 2; i <= n; i++) mul_small(r, i, 0);
}

void big_fibonacci(bigint_t *r, uint32_t n) {
    bigint_t a, b;
    big_init(&a);
    big_init(&b);
    big_set_i64(&a, 0);
    big_set_i64(&b, 1);
    for (uint32_t i = 0; i < n; i++) {
        big_add(&a, &a, &b);
        swap(&a, &b);
    }
    swap(r, &a);
    big_free(&a);
    big_free(&b);
}
