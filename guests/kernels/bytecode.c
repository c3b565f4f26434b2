/* bytecode: a switch-dispatched stack machine (one byte per opcode, 32-bit immediates)
 * running a small program: the total number of Collatz steps of 1..LIMIT and the largest
 * value met. The dispatch is one indirect jump through the switch's table per op, the
 * classic interpreter-loop pattern. */
#include "bench.h"

#define LIMIT 900u

enum op { PUSH, LOAD, STORE, ADD, SUB, AND, SHR1, MUL3, LT, GT, JZ, JMP, DUP, DROP, HALT };

/* Variables: 0 = n (outer), 1 = x (current), 2 = steps, 3 = max (kept by STORE to x).
 * Sizes: PUSH/JZ/JMP 5 bytes, LOAD/STORE 2, the rest 1; the left column is the offset. */
#define I(x) (uint8_t)((x) & 0xFF), (uint8_t)(((x) >> 8) & 0xFF), (uint8_t)(((x) >> 16) & 0xFF), (uint8_t)((x) >> 24)
static const uint8_t code[] = {
    /*  0 */ PUSH, I(1), STORE, 0,                /* n = 1 */
    /*  7 */ LOAD, 0, PUSH, I(LIMIT + 1), LT,     /* while n <= LIMIT */
    /* 15 */ JZ, I(95),
    /* 20 */ LOAD, 0, STORE, 1,                   /*   x = n */
    /* 24 */ LOAD, 1, PUSH, I(1), GT, JZ, I(80),  /*   while x > 1 */
    /* 37 */ LOAD, 1, PUSH, I(1), AND, JZ, I(60), /*     if x odd */
    /* 50 */ LOAD, 1, MUL3, STORE, 1, JMP, I(65), /*       x = 3x + 1 */
    /* 60 */ LOAD, 1, SHR1, STORE, 1,             /*     else x = x / 2 */
    /* 65 */ LOAD, 2, PUSH, I(1), ADD, STORE, 2,  /*     steps++ */
    /* 75 */ JMP, I(24),
    /* 80 */ LOAD, 0, PUSH, I(1), ADD, STORE, 0,  /*   n++ */
    /* 90 */ JMP, I(7),
    /* 95 */ LOAD, 2, HALT,                       /* return steps */
};

static uint32_t imm(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t run(const uint8_t *pc0, uint32_t *vars) {
  uint32_t stack[16], sp = 0;
  const uint8_t *pc = pc0;
  for (;;) {
    switch ((enum op)*pc++) {
      case PUSH: stack[sp++] = imm(pc); pc += 4; break;
      case LOAD: stack[sp++] = vars[*pc++]; break;
      case STORE: {
        const uint32_t v = stack[--sp];
        vars[*pc] = v;
        if (*pc == 1 && v > vars[3]) vars[3] = v; /* track the maximum x */
        ++pc;
        break;
      }
      case ADD: --sp; stack[sp - 1] += stack[sp]; break;
      case SUB: --sp; stack[sp - 1] -= stack[sp]; break;
      case AND: --sp; stack[sp - 1] &= stack[sp]; break;
      case SHR1: stack[sp - 1] >>= 1; break;
      case MUL3: stack[sp - 1] = stack[sp - 1] * 3u + 1u; break;
      case LT: --sp; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case GT: --sp; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
      case JZ: pc = stack[--sp] ? pc + 4 : pc0 + imm(pc); break;
      case JMP: pc = pc0 + imm(pc); break;
      case DUP: stack[sp] = stack[sp - 1]; ++sp; break;
      case DROP: --sp; break;
      case HALT: return stack[sp - 1];
      default: return 0xBADC0DEu;
    }
    if (sp >= 15) return 0xBAD57ACu;
  }
}

uint32_t bench_run(void) {
  uint32_t vars[4] = {0, 0, 0, 0};
  const uint32_t steps = run(code, vars);
  /* The same computation in C: the VM (and the program's hand-written offsets) must agree. */
  uint32_t want_steps = 0, want_max = 0;
  for (uint32_t n = 1; n <= LIMIT; ++n)
    for (uint32_t x = n; x > 1; ++want_steps) {
      x = (x & 1) ? 3 * x + 1 : x >> 1;
      if (x > want_max) want_max = x;
    }
  if (steps != want_steps || vars[3] < want_max) return 0xBADB17Eu;
  return mix32(mix32(2166136261u, steps), vars[3]);
}
