/* The kernel suite's contract (guests/README.md). Each NAME.c defines bench_run(): a pure,
 * deterministic computation over static data that returns a 32-bit checksum. The same
 * file is compiled twice: for the guest (with kmain.c, klib.c, start.S) and for the host
 * (with host_main.c), whose result is the expected value the guest compares against.
 * Portable C only: fixed-width unsigned arithmetic (no signed overflow, no `long`, no
 * dependence on pointer size), no library calls. */
#ifndef GUESTS_KERNELS_BENCH_H
#define GUESTS_KERNELS_BENCH_H

#include <stdint.h>

uint32_t bench_run(void);

/* xorshift32 (Marsaglia 2003): the suite's one pseudo-random generator. */
static inline uint32_t xorshift32(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

/* Folds a value into a running checksum (FNV-1a style over 32-bit words). */
static inline uint32_t mix32(uint32_t h, uint32_t v) { return (h ^ v) * 16777619u; }

#endif
