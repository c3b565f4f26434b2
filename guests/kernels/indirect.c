/* indirect: CALLS calls through a table of eight function pointers, the target picked by
 * the top bits of a pseudo-random state, each function folding its argument into an
 * accumulator differently. Indirect call and return prediction, short functions. */
#include "bench.h"

#define CALLS 500000u

typedef uint32_t (*step_fn)(uint32_t acc, uint32_t x);

__attribute__((noinline)) static uint32_t f_add(uint32_t a, uint32_t x) { return a + x; }
__attribute__((noinline)) static uint32_t f_xor(uint32_t a, uint32_t x) { return a ^ (x >> 3); }
__attribute__((noinline)) static uint32_t f_rot(uint32_t a, uint32_t x) { return ((a << 7) | (a >> 25)) + (x & 0xFF); }
__attribute__((noinline)) static uint32_t f_mul(uint32_t a, uint32_t x) { return a * 2654435761u + x; }
__attribute__((noinline)) static uint32_t f_sub(uint32_t a, uint32_t x) { return a - (x | 1); }
__attribute__((noinline)) static uint32_t f_mix(uint32_t a, uint32_t x) { return mix32(a, x); }
__attribute__((noinline)) static uint32_t f_min(uint32_t a, uint32_t x) { return (a < x ? a : x) ^ 0x5A5A5A5Au; }
__attribute__((noinline)) static uint32_t f_bswap(uint32_t a, uint32_t x) {
  return ((a & 0xFF) << 24 | (a & 0xFF00) << 8 | (a >> 8 & 0xFF00) | a >> 24) + (x >> 16);
}

/* Not const: the compiler must not turn the dispatch into a switch or inline the calls. */
static step_fn table[8] = {f_add, f_xor, f_rot, f_mul, f_sub, f_mix, f_min, f_bswap};
static uint32_t histogram[8];

uint32_t bench_run(void) {
  uint32_t s = 0x6A09E667u, acc = 0;
  for (uint32_t i = 0; i < CALLS; ++i) {
    const uint32_t x = xorshift32(&s), k = x >> 29;
    acc = table[k](acc, x);
    ++histogram[k];
  }
  uint32_t h = mix32(2166136261u, acc);
  for (uint32_t k = 0; k < 8; ++k) h = mix32(h, histogram[k]);
  return h;
}
