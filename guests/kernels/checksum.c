/* checksum: CRC-32 (table-driven, zlib's polynomial) and Adler-32 over a 64 KiB buffer of
 * pseudo-random bytes, ROUNDS times; between rounds one word of the buffer is changed by the
 * previous CRC, so every round depends on the last. Byte loads, table lookups, shifts. */
#include "bench.h"

#define BUF_BYTES 65536u
#define ROUNDS 10u

static uint8_t buf[BUF_BYTES];
static uint32_t crc_table[256];

static uint32_t crc32(const uint8_t *p, uint32_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; ++i) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static uint32_t adler32(const uint8_t *p, uint32_t n) {
  uint32_t a = 1, b = 0;
  while (n) {
    uint32_t chunk = n < 5552u ? n : 5552u; /* largest run without 32-bit overflow (RFC 1950) */
    n -= chunk;
    while (chunk--) {
      a += *p++;
      b += a;
    }
    a %= 65521u;
    b %= 65521u;
  }
  return (b << 16) | a;
}

uint32_t bench_run(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  uint32_t s = 0x12345678u;
  for (uint32_t i = 0; i < BUF_BYTES; ++i) buf[i] = (uint8_t)(xorshift32(&s) >> 24);
  uint32_t h = 2166136261u;
  for (uint32_t r = 0; r < ROUNDS; ++r) {
    const uint32_t crc = crc32(buf, BUF_BYTES), ad = adler32(buf, BUF_BYTES);
    h = mix32(mix32(h, crc), ad);
    const uint32_t at = (crc % (BUF_BYTES / 4)) * 4;
    buf[at] ^= (uint8_t)crc;
    buf[at + 1] ^= (uint8_t)(crc >> 8);
  }
  return h;
}
