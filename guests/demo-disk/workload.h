/* The demo disk's workload (workload.c): pure functions over a caller's buffer, built both
 * for the guest and for the host, where tests compare the host's results with the lines of
 * expected-serial.txt. Only fixed-width types, so both builds compute the same values. */
#ifndef GUESTS_DEMO_WORKLOAD_H
#define GUESTS_DEMO_WORKLOAD_H

#include <stdint.h>

#define SIEVE_LIMIT 32768u /* bytes of the sieve; 8 pages of 4 KiB */

/* Sieve of Eratosthenes over sieve[0..SIEVE_LIMIT): sieve[i] = 1 iff i is prime.
 * Returns the number of primes; *sum gets their sum. */
uint32_t sieve_run(uint8_t *sieve, uint32_t *sum);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of n bytes. */
uint32_t crc32_bytes(const uint8_t *p, uint32_t n);

/* Formats the workload's result lines exactly as the guest prints them. */
void workload_lines(uint8_t *sieve, char *out, uint32_t size);

#endif
