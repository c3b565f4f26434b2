/* The demo disk's workload (see workload.h). Freestanding: no library calls. */
#include "workload.h"

uint32_t sieve_run(uint8_t *sieve, uint32_t *sum) {
  for (uint32_t i = 0; i < SIEVE_LIMIT; ++i) sieve[i] = (uint8_t)(i >= 2);
  for (uint32_t p = 2; p * p < SIEVE_LIMIT; ++p)
    if (sieve[p])
      for (uint32_t m = p * p; m < SIEVE_LIMIT; m += p) sieve[m] = 0;
  uint32_t count = 0, s = 0;
  for (uint32_t i = 0; i < SIEVE_LIMIT; ++i)
    if (sieve[i]) {
      ++count;
      s += i;
    }
  *sum = s;
  return count;
}

uint32_t crc32_bytes(const uint8_t *p, uint32_t n) {
  static uint32_t table[256];
  if (!table[1])
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* Tiny formatter: appends s, decimal or 8-digit hex to the buffer. */
typedef struct { char *p, *end; } sink;
static void put_s(sink *k, const char *s) {
  while (*s && k->p + 1 < k->end) *k->p++ = *s++;
  *k->p = 0;
}
static void put_u(sink *k, uint32_t v) {
  char b[11];
  int n = 0;
  do b[n++] = (char)('0' + v % 10); while (v /= 10);
  char r[11];
  for (int i = 0; i < n; ++i) r[i] = b[n - 1 - i];
  r[n] = 0;
  put_s(k, r);
}
static void put_x(sink *k, uint32_t v) {
  char r[11] = "0x";
  for (int i = 0; i < 8; ++i) r[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  r[10] = 0;
  put_s(k, r);
}

void workload_lines(uint8_t *sieve, char *out, uint32_t size) {
  sink k = {out, out + size};
  uint32_t sum;
  const uint32_t count = sieve_run(sieve, &sum);
  put_s(&k, "sieve: ");
  put_u(&k, count);
  put_s(&k, " primes below ");
  put_u(&k, SIEVE_LIMIT);
  put_s(&k, ", sum ");
  put_u(&k, sum);
  put_s(&k, "\ncrc32 of the sieve: ");
  put_x(&k, crc32_bytes(sieve, SIEVE_LIMIT));
  put_s(&k, "\n");
}
