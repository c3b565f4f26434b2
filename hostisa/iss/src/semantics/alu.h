// Semantics of the integer ALU, multiply/divide and partial-register atoms (isa.def
// sections "integer ALU", "multiply and divide", "partial-register"). One function per
// atom, named like its Op; see context.h for the interface X and docs/iss.md.
#pragma once

#include <cstdint>

#include "semantics/context.h"

namespace codemorph::hostisa::iss::sem {

// ---- register-register -----------------------------------------------------------------
CM_SEM(ADD)  { x.w(a.rd, CM_RS1 + CM_RS2); }
CM_SEM(SUB)  { x.w(a.rd, CM_RS1 - CM_RS2); }
CM_SEM(AND)  { x.w(a.rd, CM_RS1 & CM_RS2); }
CM_SEM(OR)   { x.w(a.rd, CM_RS1 | CM_RS2); }
CM_SEM(XOR)  { x.w(a.rd, CM_RS1 ^ CM_RS2); }
CM_SEM(ANDN) { x.w(a.rd, CM_RS1 & ~CM_RS2); }
CM_SEM(SHL)  { x.w(a.rd, CM_RS1 << (CM_RS2 & 31)); }
CM_SEM(SHR)  { x.w(a.rd, CM_RS1 >> (CM_RS2 & 31)); }
CM_SEM(SAR)  { x.w(a.rd, static_cast<uint32_t>(static_cast<int32_t>(CM_RS1) >> (CM_RS2 & 31))); }
CM_SEM(ROL)  { x.w(a.rd, rotl32(CM_RS1, CM_RS2)); }
CM_SEM(ROR)  { x.w(a.rd, rotr32(CM_RS1, CM_RS2)); }
CM_SEM(SLT)  { x.w(a.rd, static_cast<int32_t>(CM_RS1) < static_cast<int32_t>(CM_RS2) ? 1u : 0u); }
CM_SEM(SLTU) { x.w(a.rd, CM_RS1 < CM_RS2 ? 1u : 0u); }
CM_SEM(SEQ)  { x.w(a.rd, CM_RS1 == CM_RS2 ? 1u : 0u); }

// ---- register-immediate (simm11 already sign-extended by the decoder) ---------------------
CM_SEM(ADDI)  { x.w(a.rd, CM_RS1 + CM_IMM); }
CM_SEM(ANDI)  { x.w(a.rd, CM_RS1 & CM_IMM); }
CM_SEM(ORI)   { x.w(a.rd, CM_RS1 | CM_IMM); }
CM_SEM(XORI)  { x.w(a.rd, CM_RS1 ^ CM_IMM); }
CM_SEM(SHLI)  { x.w(a.rd, CM_RS1 << (CM_IMM & 31)); }
CM_SEM(SHRI)  { x.w(a.rd, CM_RS1 >> (CM_IMM & 31)); }
CM_SEM(SARI)  { x.w(a.rd, static_cast<uint32_t>(static_cast<int32_t>(CM_RS1) >> (CM_IMM & 31))); }
CM_SEM(ROLI)  { x.w(a.rd, rotl32(CM_RS1, CM_IMM)); }
CM_SEM(SLTI)  { x.w(a.rd, static_cast<int32_t>(CM_RS1) < a.imm ? 1u : 0u); }
CM_SEM(SLTIU) { x.w(a.rd, CM_RS1 < CM_IMM ? 1u : 0u); }
CM_SEM(SEQI)  { x.w(a.rd, CM_RS1 == CM_IMM ? 1u : 0u); }
// imm16 is decoded zero-extended (Uimm); li sign-extends it, lih keeps rd's low half.
CM_SEM(LI)    { x.w(a.rd, sext(CM_IMM & 0xFFFF, 2)); }
CM_SEM(LIH)   { x.w(a.rd, ((CM_IMM & 0xFFFF) << 16) | (x.r(a.rd) & 0xFFFF)); }

// ---- multiply and divide ---------------------------------------------------------------
CM_SEM(MUL)   { x.w(a.rd, CM_RS1 * CM_RS2); }
CM_SEM(MULH)  {
  const int64_t p = int64_t{static_cast<int32_t>(CM_RS1)} * int64_t{static_cast<int32_t>(CM_RS2)};
  x.w(a.rd, static_cast<uint32_t>(static_cast<uint64_t>(p) >> 32));
}
CM_SEM(MULHU) { x.w(a.rd, static_cast<uint32_t>((uint64_t{CM_RS1} * uint64_t{CM_RS2}) >> 32)); }

// Division faults (DIVIDE, tval = 0) on a zero divisor and on INT_MIN / -1, as x86 IDIV.
template <class X>
inline bool divFaults(X& x, uint32_t n, uint32_t d, bool isSigned) {
  if (d == 0 || (isSigned && n == 0x80000000u && d == 0xFFFFFFFFu)) {
    x.fault(TrapCause::DIVIDE, 0);
    return true;
  }
  return false;
}
CM_SEM(DIV) {
  const uint32_t n = CM_RS1, d = CM_RS2;
  if (!divFaults(x, n, d, true))
    x.w(a.rd, static_cast<uint32_t>(static_cast<int32_t>(n) / static_cast<int32_t>(d)));
}
CM_SEM(DIVU) {
  const uint32_t n = CM_RS1, d = CM_RS2;
  if (!divFaults(x, n, d, false)) x.w(a.rd, n / d);
}
CM_SEM(REM) {
  const uint32_t n = CM_RS1, d = CM_RS2;
  if (!divFaults(x, n, d, true))
    x.w(a.rd, static_cast<uint32_t>(static_cast<int32_t>(n) % static_cast<int32_t>(d)));
}
CM_SEM(REMU) {
  const uint32_t n = CM_RS1, d = CM_RS2;
  if (!divFaults(x, n, d, false)) x.w(a.rd, n % d);
}

// ---- partial registers (x86 AL/AH/AX views) ----------------------------------------------
CM_SEM(INS8L)  { x.w(a.rd, (x.r(a.rd) & ~0xFFu) | (CM_RS1 & 0xFFu)); }
CM_SEM(INS8H)  { x.w(a.rd, (x.r(a.rd) & ~0xFF00u) | ((CM_RS1 & 0xFFu) << 8)); }
CM_SEM(INS16)  { x.w(a.rd, (x.r(a.rd) & ~0xFFFFu) | (CM_RS1 & 0xFFFFu)); }
CM_SEM(EXT8H)  { x.w(a.rd, (CM_RS1 >> 8) & 0xFFu); }
CM_SEM(ZEXT8)  { x.w(a.rd, CM_RS1 & 0xFFu); }
CM_SEM(ZEXT16) { x.w(a.rd, CM_RS1 & 0xFFFFu); }
CM_SEM(SEXT8)  { x.w(a.rd, sext(CM_RS1, 1)); }
CM_SEM(SEXT16) { x.w(a.rd, sext(CM_RS1, 2)); }

// ---- segment address generation (Intel SDM Vol. 3A 5.3, limit checking) -------------------
// rd = segbase[s] + offset. Expand-up: every byte offset..offset+w-1 must be <= limit.
// Expand-down (attr bit 0): every byte must be > limit and <= the upper bound, 0xFFFFFFFF
// if attr bit 1 (B, "big") else 0xFFFF. Fault SEGMENT, tval = offset.
CM_SEM(AGEN) {
  const uint32_t off = CM_RS1;
  const unsigned s = a.aux & 7u;
  const uint32_t base = x.sreg(static_cast<unsigned>(Sreg::SEGBASE0) + s);
  const uint64_t limit = x.sreg(static_cast<unsigned>(Sreg::SEGLIM0) + s);
  const uint32_t attr = x.sreg(static_cast<unsigned>(Sreg::SEGATTR0) + s);
  const uint64_t last = uint64_t{off} + a.width - 1;
  bool bad;
  if (attr & 1u) {
    const uint64_t upper = (attr & 2u) ? 0xFFFFFFFFull : 0xFFFFull;
    bad = uint64_t{off} <= limit || last > upper;
  } else {
    bad = last > limit;
  }
  if (bad) {
    x.fault(TrapCause::SEGMENT, off);
    return;
  }
  x.w(a.rd, base + off);
}

CM_SEM(NOP) { (void)x; (void)a; }

}  // namespace codemorph::hostisa::iss::sem
