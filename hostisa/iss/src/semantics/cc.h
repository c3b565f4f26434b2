// Semantics of the x86 condition-code atoms (knob hostisa.x86_flags): results and flags
// exactly as the IA-32 instruction of the same width (Intel SDM Vol. 1 Appendix A "EFLAGS
// Cross-Reference", Vol. 2 per-instruction "Flags Affected"), with the choices for flags the
// SDM leaves undefined written down here and in docs/iss.md:
//   - rd receives the w-bit result zero-extended to 32 bits (the translator merges it into
//     a partial x86 register with ins8l/ins16 when needed);
//   - AND/OR/XOR/TEST: AF = 0;
//   - shifts: count = rs2 & 31 (as x86 masks it); count 0 leaves rd = zext(rs1) and every
//     flag unchanged; AF = 0; CF = last bit shifted out (0 when count > w for shl/shr, the
//     sign for sar); OF by the count-1 rule for every count: SHL OF = MSB(result) ^ CF,
//     SHR OF = MSB(original operand), SAR OF = 0;
//   - rotates: count = rs2 & 31, rotated by count mod w; if count != 0 then only CF and OF
//     change: ROL CF = LSB(result), OF = MSB(result) ^ CF; ROR CF = MSB(result),
//     OF = MSB(result) ^ MSB-1(result) (the count-1 rules, for every count);
//   - imul.cc: CF = OF = the signed product does not fit in w bits; SF ZF AF PF unchanged;
//   - inc/dec: CF unchanged.
// Atoms that write F replace CF PF AF ZF SF OF and keep DF (only mtsr writes DF).
#pragma once

#include <bit>
#include <cstdint>

#include "semantics/context.h"

namespace codemorph::hostisa::iss::sem {

inline constexpr uint32_t fCF = 1u << 0, fPF = 1u << 2, fAF = 1u << 4, fZF = 1u << 6,
                          fSF = 1u << 7, fOF = 1u << 11;
inline constexpr uint32_t fArith = fCF | fPF | fAF | fZF | fSF | fOF;

// ZF, SF and PF of a w-bit result (PF: even number of ones in the low byte).
inline uint32_t szp(uint32_t r, unsigned bytes) {
  const unsigned bits = 8 * bytes;
  r &= widthMask(bytes);
  uint32_t f = 0;
  if (r == 0) f |= fZF;
  if ((r >> (bits - 1)) & 1u) f |= fSF;
  if ((std::popcount(r & 0xFFu) & 1) == 0) f |= fPF;
  return f;
}

struct CcResult {
  uint32_t value;  // zero-extended w-bit result
  uint32_t flags;  // CF PF AF ZF SF OF (other bits 0)
};

// a + b + carry_in at width w (ADD, ADC, INC).
inline CcResult ccAdd(uint32_t a, uint32_t b, uint32_t cin, unsigned bytes) {
  const unsigned bits = 8 * bytes;
  const uint32_t m = widthMask(bytes);
  a &= m;
  b &= m;
  const uint64_t full = uint64_t{a} + b + cin;
  const uint32_t r = static_cast<uint32_t>(full) & m;
  uint32_t f = szp(r, bytes);
  if ((full >> bits) & 1u) f |= fCF;
  if ((((a ^ r) & (b ^ r)) >> (bits - 1)) & 1u) f |= fOF;
  if ((a ^ b ^ r) & 0x10u) f |= fAF;
  return {r, f};
}

// a - b - borrow_in at width w (SUB, CMP, SBB, NEG = 0 - a, DEC).
inline CcResult ccSub(uint32_t a, uint32_t b, uint32_t bin, unsigned bytes) {
  const unsigned bits = 8 * bytes;
  const uint32_t m = widthMask(bytes);
  a &= m;
  b &= m;
  const uint32_t r = (a - b - bin) & m;
  uint32_t f = szp(r, bytes);
  if (uint64_t{b} + bin > a) f |= fCF;
  if ((((a ^ b) & (a ^ r)) >> (bits - 1)) & 1u) f |= fOF;
  if ((a ^ b ^ r) & 0x10u) f |= fAF;
  return {r, f};
}

inline CcResult ccLogic(uint32_t r, unsigned bytes) {
  r &= widthMask(bytes);
  return {r, szp(r, bytes)};
}

inline uint32_t mergeFlags(uint32_t old, uint32_t f, uint32_t which) { return (old & ~which) | (f & which); }

template <class X> inline void setCc(X& x, const Atom& a, CcResult res, uint32_t which = fArith) {
  x.w(a.rd, res.value);
  x.wflags(mergeFlags(x.flags(), res.flags, which));
}

CM_SEM(ADD_CC)  { setCc(x, a, ccAdd(CM_RS1, CM_RS2, 0, a.width)); }
CM_SEM(ADC_CC)  { setCc(x, a, ccAdd(CM_RS1, CM_RS2, x.flags() & fCF, a.width)); }
CM_SEM(SUB_CC)  { setCc(x, a, ccSub(CM_RS1, CM_RS2, 0, a.width)); }
CM_SEM(SBB_CC)  { setCc(x, a, ccSub(CM_RS1, CM_RS2, x.flags() & fCF, a.width)); }
CM_SEM(AND_CC)  { setCc(x, a, ccLogic(CM_RS1 & CM_RS2, a.width)); }
CM_SEM(OR_CC)   { setCc(x, a, ccLogic(CM_RS1 | CM_RS2, a.width)); }
CM_SEM(XOR_CC)  { setCc(x, a, ccLogic(CM_RS1 ^ CM_RS2, a.width)); }
CM_SEM(ADDI_CC) { setCc(x, a, ccAdd(CM_RS1, CM_IMM, 0, a.width)); }
CM_SEM(SUBI_CC) { setCc(x, a, ccSub(CM_RS1, CM_IMM, 0, a.width)); }
CM_SEM(ANDI_CC) { setCc(x, a, ccLogic(CM_RS1 & CM_IMM, a.width)); }
CM_SEM(NEG_CC)  { setCc(x, a, ccSub(0, CM_RS1, 0, a.width)); }
CM_SEM(INC_CC)  { setCc(x, a, ccAdd(CM_RS1, 1, 0, a.width), fArith & ~fCF); }
CM_SEM(DEC_CC)  { setCc(x, a, ccSub(CM_RS1, 1, 0, a.width), fArith & ~fCF); }

// ---- shifts ---------------------------------------------------------------------------
CM_SEM(SHL_CC) {
  const unsigned bits = 8u * a.width, c = CM_RS2 & 31;
  const uint32_t m = widthMask(a.width), v = CM_RS1 & m;
  if (c == 0) { x.w(a.rd, v); return; }
  const uint64_t full = uint64_t{v} << c;
  const uint32_t r = static_cast<uint32_t>(full) & m;
  uint32_t f = szp(r, a.width);
  const uint32_t cf = static_cast<uint32_t>(full >> bits) & 1u;
  if (cf) f |= fCF;
  if (((r >> (bits - 1)) & 1u) ^ cf) f |= fOF;
  setCc(x, a, {r, f});
}
CM_SEM(SHR_CC) {
  const unsigned bits = 8u * a.width, c = CM_RS2 & 31;
  const uint32_t m = widthMask(a.width), v = CM_RS1 & m;
  if (c == 0) { x.w(a.rd, v); return; }
  const uint32_t r = v >> c;
  uint32_t f = szp(r, a.width);
  if ((v >> (c - 1)) & 1u) f |= fCF;
  if ((v >> (bits - 1)) & 1u) f |= fOF;
  setCc(x, a, {r, f});
}
CM_SEM(SAR_CC) {
  const unsigned c = CM_RS2 & 31;
  const uint32_t m = widthMask(a.width), v = CM_RS1 & m;
  if (c == 0) { x.w(a.rd, v); return; }
  const int64_t sv = static_cast<int32_t>(sext(v, a.width));
  const uint32_t r = static_cast<uint32_t>(sv >> c) & m;
  uint32_t f = szp(r, a.width);
  if ((sv >> (c - 1)) & 1) f |= fCF;
  setCc(x, a, {r, f});
}

// ---- rotates (only CF and OF change) ------------------------------------------------------
inline uint32_t rotlW(uint32_t v, unsigned n, unsigned bytes) {
  const unsigned bits = 8 * bytes;
  n %= bits;
  if (n == 0) return v;
  return ((v << n) | (v >> (bits - n))) & widthMask(bytes);
}
CM_SEM(ROL_CC) {
  const unsigned bits = 8u * a.width, c = CM_RS2 & 31;
  const uint32_t v = CM_RS1 & widthMask(a.width);
  if (c == 0) { x.w(a.rd, v); return; }
  const uint32_t r = rotlW(v, c, a.width);
  const uint32_t cf = r & 1u;
  uint32_t f = cf ? fCF : 0;
  if (((r >> (bits - 1)) & 1u) ^ cf) f |= fOF;
  setCc(x, a, {r, f}, fCF | fOF);
}
CM_SEM(ROR_CC) {
  const unsigned bits = 8u * a.width, c = CM_RS2 & 31;
  const uint32_t v = CM_RS1 & widthMask(a.width);
  if (c == 0) { x.w(a.rd, v); return; }
  const uint32_t r = rotlW(v, bits - (c % bits), a.width);
  const uint32_t msb = (r >> (bits - 1)) & 1u;
  uint32_t f = msb ? fCF : 0;
  if (msb ^ ((r >> (bits - 2)) & 1u)) f |= fOF;
  setCc(x, a, {r, f}, fCF | fOF);
}

// ---- multiply ------------------------------------------------------------------------------
CM_SEM(IMUL_CC) {
  const int64_t p = int64_t{static_cast<int32_t>(sext(CM_RS1, a.width))} *
                    int64_t{static_cast<int32_t>(sext(CM_RS2, a.width))};
  const uint32_t r = static_cast<uint32_t>(p) & widthMask(a.width);
  const bool fits = int64_t{static_cast<int32_t>(sext(r, a.width))} == p;
  setCc(x, a, {r, fits ? 0u : (fCF | fOF)}, fCF | fOF);
}

// ---- conditions (Intel SDM Vol. 1 Appendix B, "tttn" order) ---------------------------------
inline bool condHolds(unsigned cond, uint32_t f) {
  const bool cf = f & fCF, zf = f & fZF, sf = f & fSF, of = f & fOF, pf = f & fPF;
  bool r;
  switch (cond >> 1) {
    case 0: r = of; break;                 // o / no
    case 1: r = cf; break;                 // b / ae
    case 2: r = zf; break;                 // e / ne
    case 3: r = cf || zf; break;           // be / a
    case 4: r = sf; break;                 // s / ns
    case 5: r = pf; break;                 // p / np
    case 6: r = sf != of; break;           // l / ge
    default: r = zf || (sf != of); break;  // le / g
  }
  return (cond & 1u) ? !r : r;
}

CM_SEM(SETCC) { x.w(a.rd, condHolds(a.cond, x.flags()) ? 1u : 0u); }
CM_SEM(SEL)   { x.w(a.rd, condHolds(a.cond, x.flags()) ? CM_RS1 : CM_RS2); }

}  // namespace codemorph::hostisa::iss::sem
