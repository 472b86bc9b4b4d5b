/* Call-heavy kernel: binary trees in the style of the benchmarks game. Builds complete binary
   trees by recursion with a bump allocator in linear memory, walks them recursively to count
   their nodes, and frees them all at once by resetting the allocator. A long-lived tree of depth
   n stays while trees of depth 4, 6, ..., n are built and walked many times. Returns the sum of
   the counts. */
#include "kernel.h"

typedef struct node { struct node *left, *right; int32_t item; } node_t;

#define MAX_NODES (1 << 20)
static node_t arena[MAX_NODES];
static uint32_t arena_top;

static node_t *build(int32_t item, int32_t depth) {
    if (arena_top >= MAX_NODES) return 0;
    node_t *n = &arena[arena_top++];
    n->item = item;
    if (depth > 0) {
        n->left = build(2 * item - 1, depth - 1);
        n->right = build(2 * item, depth - 1);
    } else {
        n->left = n->right = 0;
    }
    return n;
}

/* Walks the tree: the node count plus a checksum of the items. */
static int64_t walk(const node_t *n) {
    if (!n) return 0;
    if (!n->left) return 1 + (n->item & 7);
    return 1 + (n->item & 7) + walk(n->left) + walk(n->right);
}

int64_t run(int32_t n) {
    int32_t max_depth = n < 6 ? 6 : n;
    if ((2u << max_depth) * 2 > MAX_NODES) return -1;
    arena_top = 0;
    int64_t total = walk(build(0, max_depth + 1));   /* the "stretch" tree */
    arena_top = 0;
    node_t *long_lived = build(0, max_depth);
    uint32_t base = arena_top;
    for (int32_t depth = 4; depth <= max_depth; depth += 2) {
        int32_t iterations = 1 << (max_depth - depth + 4);
        int64_t check = 0;
        for (int32_t i = 1; i <= iterations; i++) {
            arena_top = base;
            check += walk(build(i, depth));
            arena_top = base;
            check += walk(build(-i, depth));
        }
        total += check * depth;
    }
    total += walk(long_lived);
    return total;
}
