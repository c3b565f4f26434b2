/* Host build of the demo's workload (workload.c): prints the lines the guest must print, so
 * a test can check expected-serial.txt against an independent build of the same source. */
#include <stdio.h>

#include "workload.h"

int main(void) {
  static uint8_t sieve[SIEVE_LIMIT];
  static char lines[256];
  workload_lines(sieve, lines, sizeof lines);
  fputs(lines, stdout);
  return 0;
}
