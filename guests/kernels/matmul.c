/* matmul: C = A x B and D = C x A for N x N matrices of 32-bit integers (wrapping
 * arithmetic), i-k-j loop order; the checksum folds D. Multiplies, loads, a tight inner
 * loop the compiler unrolls. */
#include "bench.h"

#define N 88u

static uint32_t A[N][N], B[N][N], C[N][N], D[N][N];

static void multiply(uint32_t (*x)[N], uint32_t (*y)[N], uint32_t (*z)[N]) {
  for (uint32_t i = 0; i < N; ++i) {
    for (uint32_t j = 0; j < N; ++j) z[i][j] = 0;
    for (uint32_t k = 0; k < N; ++k) {
      const uint32_t xik = x[i][k];
      for (uint32_t j = 0; j < N; ++j) z[i][j] += xik * y[k][j];
    }
  }
}

uint32_t bench_run(void) {
  uint32_t s = 0xC0FFEE11u;
  for (uint32_t i = 0; i < N; ++i)
    for (uint32_t j = 0; j < N; ++j) {
      A[i][j] = xorshift32(&s) % 1000u;
      B[i][j] = xorshift32(&s) % 1000u;
    }
  multiply(A, B, C);
  multiply(C, A, D);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < N; ++i)
    for (uint32_t j = 0; j < N; ++j) h = mix32(h, D[i][j]);
  return h;
}
