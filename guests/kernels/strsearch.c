/* strsearch: Boyer-Moore-Horspool and naive search over 128 KiB of generated text (words of
 * a 6-letter alphabet separated by spaces). The patterns are cut from the text itself at
 * pseudo-random places (so they occur) plus a few that may not; every match position is
 * folded into the checksum, and the naive search must agree with BMH on the count. */
#include "bench.h"

#define TEXT_BYTES 131072u
#define PATTERNS 20u
#define NAIVE_EVERY 6u /* every sixth pattern is also searched naively */

static uint8_t text[TEXT_BYTES];

static uint32_t bmh(const uint8_t *t, uint32_t n, const uint8_t *p, uint32_t m, uint32_t *h) {
  uint32_t skip[256];
  for (uint32_t i = 0; i < 256; ++i) skip[i] = m;
  for (uint32_t i = 0; i + 1 < m; ++i) skip[p[i]] = m - 1 - i;
  uint32_t count = 0;
  for (uint32_t pos = 0; pos + m <= n; pos += skip[t[pos + m - 1]]) {
    uint32_t k = m;
    while (k > 0 && t[pos + k - 1] == p[k - 1]) --k;
    if (k == 0) {
      ++count;
      *h = mix32(*h, pos);
    }
  }
  return count;
}

static uint32_t naive(const uint8_t *t, uint32_t n, const uint8_t *p, uint32_t m) {
  uint32_t count = 0;
  for (uint32_t pos = 0; pos + m <= n; ++pos) {
    uint32_t k = 0;
    while (k < m && t[pos + k] == p[k]) ++k;
    count += k == m;
  }
  return count;
}

uint32_t bench_run(void) {
  uint32_t s = 0x2545F491u, h = 2166136261u;
  for (uint32_t i = 0; i < TEXT_BYTES; ++i) {
    const uint32_t r = xorshift32(&s);
    text[i] = (r & 7) == 0 ? ' ' : (uint8_t)('a' + (r >> 8) % 6);
  }
  for (uint32_t k = 0; k < PATTERNS; ++k) {
    const uint32_t m = 3 + xorshift32(&s) % 14; /* 3..16 bytes */
    uint8_t pat[16];
    const uint32_t from = xorshift32(&s) % (TEXT_BYTES - m);
    for (uint32_t i = 0; i < m; ++i) pat[i] = text[from + i];
    if (k % 4 == 3) pat[m / 2] = (uint8_t)('a' + (pat[m / 2] - 'a' + 1) % 6); /* maybe absent */
    const uint32_t c = bmh(text, TEXT_BYTES, pat, m, &h);
    if (k % NAIVE_EVERY == 0 && naive(text, TEXT_BYTES, pat, m) != c) return 0xBAD5EA4Cu;
    h = mix32(h, c);
  }
  return h;
}
