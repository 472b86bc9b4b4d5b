/* Integer kernel: sorts a generated array of 100,000 32-bit integers n times (quicksort with
   median-of-three and an insertion sort for short ranges; a new array each round) and
   returns a checksum of the sorted arrays. */
#include "kernel.h"

#define COUNT 100000
static int32_t values[COUNT];

static void insertion_sort(int32_t *a, int32_t lo, int32_t hi) {
    for (int32_t i = lo + 1; i <= hi; i++) {
        int32_t v = a[i], j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void swap(int32_t *a, int32_t i, int32_t j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; }

static void quicksort(int32_t *a, int32_t lo, int32_t hi) {
    while (hi - lo > 16) {
        int32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        int32_t pivot = a[mid], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { swap(a, i, j); i++; j--; }
        }
        /* recurse into the smaller side, loop on the larger: the depth stays logarithmic */
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else { quicksort(a, i, hi); hi = j; }
    }
    insertion_sort(a, lo, hi);
}

int64_t run(int32_t n) {
    uint64_t checksum = 0;
    uint32_t seed = 2463534242u;
    for (int32_t round = 0; round < n; round++) {
        /* every fourth round sorts a range with many duplicates */
        uint32_t mask = (round & 3) == 3 ? 0xFFu : 0xFFFFFFFFu;
        for (int32_t i = 0; i < COUNT; i++) values[i] = (int32_t)(next_random(&seed) & mask);
        quicksort(values, 0, COUNT - 1);
        for (int32_t i = 1; i < COUNT; i++)
            if (values[i - 1] > values[i]) return -1;
        for (int32_t i = 0; i < COUNT; i += 97) checksum = checksum * 31 + (uint32_t)values[i];
    }
    return (int64_t)checksum;
}
