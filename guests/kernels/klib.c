/* The suite kernels' whole runtime: port output, the debug console (port E9h), the exit
 * port (F4h: codemorph interp's exit status is the value written; QEMU's (v << 1) | 1),
 * and memset/memcpy, which gcc may call even in freestanding code. */
#include <stddef.h>
#include <stdint.h>

#include "klib.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }

void kputs(const char *s) {
  while (*s) outb(0xE9, (uint8_t)*s++);
}

void kputx(uint32_t v) {
  char b[11] = {'0', 'x'};
  for (int i = 0; i < 8; ++i) b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  b[10] = 0;
  kputs(b);
}

void kexit(uint8_t code) {
  outb(0xF4, code);
  for (;;) __asm__ volatile("cli; hlt");
}

void *memset(void *d, int c, size_t n) {
  uint8_t *p = d;
  while (n--) *p++ = (uint8_t)c;
  return d;
}

void *memcpy(void *d, const void *s, size_t n) {
  uint8_t *p = d;
  const uint8_t *q = s;
  while (n--) *p++ = *q++;
  return d;
}
