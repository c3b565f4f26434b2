/* Output and exit for the suite kernels (klib.c). */
#ifndef GUESTS_KERNELS_KLIB_H
#define GUESTS_KERNELS_KLIB_H

#include <stdint.h>

void kputs(const char *s);
void kputx(uint32_t v);
__attribute__((noreturn)) void kexit(uint8_t code);

#endif
