/* sort: quicksort (median of three, insertion sort below 16 elements, smaller side first so
 * the recursion stays shallow) of N pseudo-random 32-bit integers, ROUNDS times with new
 * data; each sorted array is verified and folded into the checksum. Data-dependent
 * branches, calls, array indexing. */
#include "bench.h"

#define N 16384u
#define ROUNDS 3u

static uint32_t a[N];

static void insertion(uint32_t *v, uint32_t n) {
  for (uint32_t i = 1; i < n; ++i) {
    const uint32_t x = v[i];
    uint32_t j = i;
    while (j > 0 && v[j - 1] > x) {
      v[j] = v[j - 1];
      --j;
    }
    v[j] = x;
  }
}

static void swap(uint32_t *x, uint32_t *y) {
  const uint32_t t = *x;
  *x = *y;
  *y = t;
}

static void quicksort(uint32_t *v, uint32_t n) {
  while (n > 16) {
    const uint32_t mid = n / 2;
    if (v[mid] < v[0]) swap(&v[mid], &v[0]);
    if (v[n - 1] < v[0]) swap(&v[n - 1], &v[0]);
    if (v[n - 1] < v[mid]) swap(&v[n - 1], &v[mid]);
    const uint32_t pivot = v[mid];
    uint32_t i = 0, j = n - 1;
    for (;;) { /* Hoare partition */
      while (v[i] < pivot) ++i;
      while (v[j] > pivot) --j;
      if (i >= j) break;
      swap(&v[i], &v[j]);
      ++i;
      --j;
    }
    const uint32_t left = j + 1; /* v[0..left) <= pivot <= v[left..n) */
    if (left < n - left) {
      quicksort(v, left);
      v += left;
      n -= left;
    } else {
      quicksort(v + left, n - left);
      n = left;
    }
  }
  insertion(v, n);
}

uint32_t bench_run(void) {
  uint32_t s = 0x9E3779B9u, h = 2166136261u;
  for (uint32_t r = 0; r < ROUNDS; ++r) {
    for (uint32_t i = 0; i < N; ++i) a[i] = xorshift32(&s);
    quicksort(a, N);
    for (uint32_t i = 1; i < N; ++i)
      if (a[i - 1] > a[i]) return 0xBAD50127u; /* not sorted: a checksum no host run gives */
    for (uint32_t i = 0; i < N; i += 7) h = mix32(h, a[i] + i);
  }
  return h;
}
