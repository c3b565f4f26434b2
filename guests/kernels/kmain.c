/* Guest driver of a suite kernel: runs bench_run() once and reports on port E9h
 *   "NAME: checksum 0xXXXXXXXX ok"                       -> exit value 0
 *   "NAME: checksum 0xXXXXXXXX, host says 0xYYYYYYYY FAIL" -> exit value 1
 * BENCH_NAME comes from the build; BENCH_EXPECTED from NAME-expected.h, which the build
 * writes by running the host build of the same NAME.c (host_main.c --header). */
#include "bench.h"
#include "klib.h"

void kmain(void) {
  const uint32_t sum = bench_run();
  kputs(BENCH_NAME ": checksum ");
  kputx(sum);
  if (sum == BENCH_EXPECTED) {
    kputs(" ok\n");
    kexit(0);
  }
  kputs(", host says ");
  kputx(BENCH_EXPECTED);
  kputs(" FAIL\n");
  kexit(1);
}
