// x86 condition-code atoms: every *.cc atom at 8/16/32 bits against the real x86 CPU this
// test runs on (inline assembly; the oracle for every flag the Intel SDM defines), over
// edge values (carries, signed overflow, AF nibble carries, parity, zero) and counts
// 0..33; then the ISS's documented choices for flags the SDM leaves undefined
// (docs/iss.md "x86 condition codes"), and setcc/sel/bcc over all 16 conditions.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "molecule_builder.h"

namespace cmtest {
namespace {

constexpr uint32_t CF = 1u << 0, PF = 1u << 2, AF = 1u << 4, ZF = 1u << 6, SF = 1u << 7, OF = 1u << 11;
constexpr uint32_t ARITH = CF | PF | AF | ZF | SF | OF;

// Runs `op.w r3, r1, r2` (or the unary/immediate form) as one molecule on a shared core.
class CcRunner {
 public:
  CcRunner() : core_(smallConfig()) {}
  void program(const Atom& a) {
    Program p;
    p.add({a});
    p.loadInto(core_);
    core_.reset(0x1000);
  }
  // Returns {r3, xflags} after one molecule.
  std::pair<uint32_t, uint32_t> run(uint32_t r1, uint32_t r2, uint32_t flagsIn, uint32_t r3 = 0xA5A5A5A5u) {
    core_.resume();
    core_.setPc(0x1000);
    core_.setReg(1, r1);
    core_.setReg(2, r2);
    core_.setReg(3, r3);
    core_.setSreg(static_cast<unsigned>(Sreg::XFLAGS), flagsIn);
    EXPECT_TRUE(core_.step());
    EXPECT_FALSE(core_.stopped());
    return {core_.reg(3), core_.sreg(static_cast<unsigned>(Sreg::XFLAGS))};
  }

 private:
  Iss core_;
};

std::vector<uint32_t> edgeValues() {
  std::vector<uint32_t> v = {0,          1,          2,          0x0F,       0x10,       0x7F,       0x80,
                             0x81,       0xFE,       0xFF,       0x100,      0x7FFF,     0x8000,     0x8001,
                             0xFFFE,     0xFFFF,     0x10000,    0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE,
                             0xFFFFFFFF, 0x12345678, 0xFEDCBA98, 0x0F0F0F0F, 0xF0F0F0F0};
  uint32_t x = 0x9E3779B9u;
  for (int i = 0; i < 10; ++i) {
    x = x * 1664525u + 1013904223u;
    v.push_back(x);
  }
  return v;
}
const std::vector<uint32_t> kFlagInputs = {0x002, 0x002 | CF, 0x002 | ARITH, 0x002 | (ARITH & ~CF)};

#if defined(__x86_64__)
// ---- the host CPU as oracle (stack moved below the red zone around pushf/popf) -------------
#define CM_HOST_PRE "subq $128, %%rsp\n\tpushq %[fin]\n\tpopfq\n\t"
#define CM_HOST_POST "\n\tpushfq\n\tpopq %[f]\n\taddq $128, %%rsp"

template <typename T> struct HostOps;
#define CM_HOST_TYPE(T, SFX, C)                                                                                   \
  template <> struct HostOps<T> {                                                                                 \
    static uint32_t bin(int op, T& a, T b, uint64_t fin) {                                                        \
      uint64_t f = 0;                                                                                             \
      switch (op) {                                                                                               \
        case 0: asm volatile(CM_HOST_PRE "add" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
        case 1: asm volatile(CM_HOST_PRE "adc" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
        case 2: asm volatile(CM_HOST_PRE "sub" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
        case 3: asm volatile(CM_HOST_PRE "sbb" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
        case 4: asm volatile(CM_HOST_PRE "and" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
        case 5: asm volatile(CM_HOST_PRE "or" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
        case 6: asm volatile(CM_HOST_PRE "xor" SFX " %[b], %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), [b] C(b) : "cc", "memory"); break; \
      }                                                                                                           \
      return static_cast<uint32_t>(f);                                                                            \
    }                                                                                                             \
    static uint32_t shift(int op, T& a, uint8_t c, uint64_t fin) {                                                \
      uint64_t f = 0;                                                                                             \
      switch (op) {                                                                                               \
        case 0: asm volatile(CM_HOST_PRE "shl" SFX " %%cl, %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), "c"(c) : "cc", "memory"); break; \
        case 1: asm volatile(CM_HOST_PRE "shr" SFX " %%cl, %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), "c"(c) : "cc", "memory"); break; \
        case 2: asm volatile(CM_HOST_PRE "sar" SFX " %%cl, %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), "c"(c) : "cc", "memory"); break; \
        case 3: asm volatile(CM_HOST_PRE "rol" SFX " %%cl, %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), "c"(c) : "cc", "memory"); break; \
        case 4: asm volatile(CM_HOST_PRE "ror" SFX " %%cl, %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin), "c"(c) : "cc", "memory"); break; \
      }                                                                                                           \
      return static_cast<uint32_t>(f);                                                                            \
    }                                                                                                             \
    static uint32_t unary(int op, T& a, uint64_t fin) {                                                           \
      uint64_t f = 0;                                                                                             \
      switch (op) {                                                                                               \
        case 0: asm volatile(CM_HOST_PRE "neg" SFX " %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin) : "cc", "memory"); break; \
        case 1: asm volatile(CM_HOST_PRE "inc" SFX " %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin) : "cc", "memory"); break; \
        case 2: asm volatile(CM_HOST_PRE "dec" SFX " %[a]" CM_HOST_POST : [a] "+" C(a), [f] "=&r"(f) : [fin] "r"(fin) : "cc", "memory"); break; \
      }                                                                                                           \
      return static_cast<uint32_t>(f);                                                                            \
    }                                                                                                             \
  };
CM_HOST_TYPE(uint8_t, "b", "q")
CM_HOST_TYPE(uint16_t, "w", "r")
CM_HOST_TYPE(uint32_t, "l", "r")

uint32_t hostImul(unsigned w, uint32_t& a, uint32_t b, uint64_t fin) {
  uint64_t f = 0;
  if (w == 1) {
    uint16_t ax = static_cast<uint8_t>(a);
    uint8_t b8 = static_cast<uint8_t>(b);
    asm volatile(CM_HOST_PRE "imulb %[b]" CM_HOST_POST : "+a"(ax), [f] "=&r"(f) : [fin] "r"(fin), [b] "q"(b8) : "cc", "memory");
    a = static_cast<uint8_t>(ax);
  } else if (w == 2) {
    uint16_t a16 = static_cast<uint16_t>(a), b16 = static_cast<uint16_t>(b);
    asm volatile(CM_HOST_PRE "imulw %[b], %[a]" CM_HOST_POST : [a] "+r"(a16), [f] "=&r"(f) : [fin] "r"(fin), [b] "r"(b16) : "cc", "memory");
    a = a16;
  } else {
    asm volatile(CM_HOST_PRE "imull %[b], %[a]" CM_HOST_POST : [a] "+r"(a), [f] "=&r"(f) : [fin] "r"(fin), [b] "r"(b) : "cc", "memory");
  }
  return static_cast<uint32_t>(f);
}

template <typename T> uint32_t hostBin(int op, uint32_t& a, uint32_t b, uint32_t fin) {
  T x = static_cast<T>(a);
  const uint32_t f = HostOps<T>::bin(op, x, static_cast<T>(b), fin);
  a = x;
  return f;
}
uint32_t hostBinW(unsigned w, int op, uint32_t& a, uint32_t b, uint32_t fin) {
  return w == 1 ? hostBin<uint8_t>(op, a, b, fin) : w == 2 ? hostBin<uint16_t>(op, a, b, fin) : hostBin<uint32_t>(op, a, b, fin);
}
template <typename T> uint32_t hostShift(int op, uint32_t& a, uint32_t c, uint32_t fin) {
  T x = static_cast<T>(a);
  const uint32_t f = HostOps<T>::shift(op, x, static_cast<uint8_t>(c), fin);
  a = x;
  return f;
}
uint32_t hostShiftW(unsigned w, int op, uint32_t& a, uint32_t c, uint32_t fin) {
  return w == 1 ? hostShift<uint8_t>(op, a, c, fin) : w == 2 ? hostShift<uint16_t>(op, a, c, fin) : hostShift<uint32_t>(op, a, c, fin);
}
template <typename T> uint32_t hostUnary(int op, uint32_t& a, uint32_t fin) {
  T x = static_cast<T>(a);
  const uint32_t f = HostOps<T>::unary(op, x, fin);
  a = x;
  return f;
}
uint32_t hostUnaryW(unsigned w, int op, uint32_t& a, uint32_t fin) {
  return w == 1 ? hostUnary<uint8_t>(op, a, fin) : w == 2 ? hostUnary<uint16_t>(op, a, fin) : hostUnary<uint32_t>(op, a, fin);
}

uint32_t maskW(unsigned w) { return w == 4 ? 0xFFFFFFFFu : (1u << (8 * w)) - 1; }

TEST(IssFlagsVsHost, BinaryOps) {
  const Op ops[] = {Op::ADD_CC, Op::ADC_CC, Op::SUB_CC, Op::SBB_CC, Op::AND_CC, Op::OR_CC, Op::XOR_CC};
  CcRunner r;
  for (unsigned w : {1u, 2u, 4u}) {
    for (int oi = 0; oi < 7; ++oi) {
      r.program(cc(ops[oi], w, 3, 1, 2));
      const uint32_t defined = oi >= 4 ? (ARITH & ~AF) : ARITH;
      for (uint32_t a : edgeValues())
        for (uint32_t b : edgeValues())
          for (uint32_t fin : {0x002u, 0x003u}) {
            uint32_t ha = a;
            const uint32_t hf = hostBinW(w, oi, ha, b, fin);
            const auto [res, f] = r.run(a, b, fin);
            ASSERT_EQ(res, ha & maskW(w)) << atomInfo(ops[oi]).mnemonic << " w=" << w << " a=" << a << " b=" << b;
            ASSERT_EQ(f & defined, hf & defined) << atomInfo(ops[oi]).mnemonic << " w=" << w << " a=" << a << " b=" << b << " fin=" << fin;
            if (oi >= 4) {
              ASSERT_EQ(f & AF, 0u) << "documented: AF = 0 after logic ops";
            }
          }
    }
  }
}

TEST(IssFlagsVsHost, ImmediateForms) {
  CcRunner r;
  const int32_t imms[] = {-256, -129, -128, -1, 0, 1, 15, 16, 127, 128, 255};
  for (unsigned w : {1u, 2u, 4u}) {
    for (int kind = 0; kind < 3; ++kind) {
      const Op op = kind == 0 ? Op::ADDI_CC : kind == 1 ? Op::SUBI_CC : Op::ANDI_CC;
      const int hostOp = kind == 0 ? 0 : kind == 1 ? 2 : 4;
      for (int32_t imm : imms) {
        r.program(cci(op, w, 3, 1, imm));
        const uint32_t defined = kind == 2 ? (ARITH & ~AF) : ARITH;
        for (uint32_t a : edgeValues()) {
          uint32_t ha = a;
          const uint32_t hf = hostBinW(w, hostOp, ha, static_cast<uint32_t>(imm), 0x2);
          const auto [res, f] = r.run(a, 0, 0x2);
          ASSERT_EQ(res, ha & maskW(w)) << atomInfo(op).mnemonic << " w=" << w << " imm=" << imm << " a=" << a;
          ASSERT_EQ(f & defined, hf & defined) << atomInfo(op).mnemonic << " w=" << w << " imm=" << imm << " a=" << a;
        }
      }
    }
  }
}

TEST(IssFlagsVsHost, UnaryOps) {
  const Op ops[] = {Op::NEG_CC, Op::INC_CC, Op::DEC_CC};
  CcRunner r;
  for (unsigned w : {1u, 2u, 4u})
    for (int oi = 0; oi < 3; ++oi) {
      r.program(cc(ops[oi], w, 3, 1));
      for (uint32_t a : edgeValues())
        for (uint32_t fin : kFlagInputs) {
          uint32_t ha = a;
          const uint32_t hf = hostUnaryW(w, oi, ha, fin);
          const auto [res, f] = r.run(a, 0, fin);
          ASSERT_EQ(res, ha & maskW(w)) << atomInfo(ops[oi]).mnemonic << " w=" << w << " a=" << a;
          ASSERT_EQ(f & ARITH, hf & ARITH) << atomInfo(ops[oi]).mnemonic << " w=" << w << " a=" << a << " fin=" << fin;
        }
    }
}

TEST(IssFlagsVsHost, ShiftsAndRotates) {
  const Op ops[] = {Op::SHL_CC, Op::SHR_CC, Op::SAR_CC, Op::ROL_CC, Op::ROR_CC};
  CcRunner r;
  for (unsigned w : {1u, 2u, 4u})
    for (int oi = 0; oi < 5; ++oi) {
      r.program(cc(ops[oi], w, 3, 1, 2));
      const unsigned bits = 8 * w;
      for (uint32_t a : edgeValues())
        for (uint32_t count = 0; count < 34; ++count)
          for (uint32_t fin : kFlagInputs) {
            uint32_t ha = a;
            const uint32_t hf = hostShiftW(w, oi, ha, count, fin);
            // rs2 carries garbage above bit 4: the atom masks the count like x86.
            const auto [res, f] = r.run(a, count | 0xFFFFFFE0u * (count & 1), fin);
            ASSERT_EQ(res, ha & maskW(w)) << atomInfo(ops[oi]).mnemonic << " w=" << w << " a=" << a << " c=" << count;
            const unsigned c = count & 31;
            uint32_t defined;
            if (c == 0) {
              defined = ARITH;  // every flag unchanged
            } else if (oi <= 2) {
              defined = SF | ZF | PF;
              if (oi == 2 || c < bits) defined |= CF;
              if (c == 1) defined |= OF;
            } else {
              defined = CF | SF | ZF | AF | PF;  // rotates change only CF (and OF)
              if (c == 1) defined |= OF;
            }
            ASSERT_EQ(f & defined, hf & defined)
                << atomInfo(ops[oi]).mnemonic << " w=" << w << " a=" << a << " c=" << count << " fin=" << fin;
          }
    }
}

TEST(IssFlagsVsHost, Imul) {
  CcRunner r;
  for (unsigned w : {1u, 2u, 4u}) {
    r.program(cc(Op::IMUL_CC, w, 3, 1, 2));
    for (uint32_t a : edgeValues())
      for (uint32_t b : edgeValues()) {
        uint32_t ha = a;
        const uint32_t hf = hostImul(w, ha, b, 0x2);
        const auto [res, f] = r.run(a, b, 0x2 | PF | ZF);
        ASSERT_EQ(res, ha & maskW(w)) << "imul w=" << w << " a=" << a << " b=" << b;
        ASSERT_EQ(f & (CF | OF), hf & (CF | OF)) << "imul w=" << w << " a=" << a << " b=" << b;
        ASSERT_EQ(f & (SF | ZF | AF | PF), PF | ZF) << "documented: imul.cc keeps SF ZF AF PF";
      }
  }
}
#endif  // __x86_64__

// ---- the documented choices for flags the SDM leaves undefined, by hand ---------------------
TEST(IssFlagsUndefined, ShiftRules) {
  CcRunner r;
  // shl.8 0x81 by 2: result 0x04, last bit out = bit 6 of 0x81 = 0 -> CF 0; OF = MSB(0x04)^CF = 0.
  r.program(cc(Op::SHL_CC, 1, 3, 1, 2));
  auto [v, f] = r.run(0x81, 2, 0x2 | AF);
  EXPECT_EQ(v, 0x04u);
  EXPECT_EQ(f & (CF | OF | AF), 0u);
  // shl.8 0x60 by 2: 0x80, CF = bit 6 = 1, OF = MSB(0x80) ^ 1 = 0, SF = 1.
  std::tie(v, f) = r.run(0x60, 2, 0x2);
  EXPECT_EQ(v, 0x80u);
  EXPECT_EQ(f & (CF | OF | SF), CF | SF);
  // shl.8 by 9 (> w): result 0, CF = 0 (documented), OF = 0 ^ 0.
  std::tie(v, f) = r.run(0xFF, 9, 0x2 | CF | OF);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(f & (CF | OF | ZF), ZF);
  // shr.16 0x8001 by 3: OF = MSB of the original operand = 1 for any count.
  r.program(cc(Op::SHR_CC, 2, 3, 1, 2));
  std::tie(v, f) = r.run(0x8001, 3, 0x2);
  EXPECT_EQ(v, 0x1000u);
  EXPECT_EQ(f & (OF | CF | AF), OF);
  // sar.32 by 5: OF = 0; CF = bit 4 of the operand.
  r.program(cc(Op::SAR_CC, 4, 3, 1, 2));
  std::tie(v, f) = r.run(0x80000010u, 5, 0x2 | OF);
  EXPECT_EQ(v, 0xFC000000u);
  EXPECT_EQ(f & (OF | CF), CF);
  // Count 0: rd = zext(rs1) (upper bits of rs1 dropped), flags untouched.
  r.program(cc(Op::SHL_CC, 1, 3, 1, 2));
  std::tie(v, f) = r.run(0x12345678u, 32, 0x2 | ARITH);
  EXPECT_EQ(v, 0x78u);
  EXPECT_EQ(f & ARITH, ARITH);
}

TEST(IssFlagsUndefined, RotateRules) {
  CcRunner r;
  // rol.8 0x81 by 2 -> 0x06: CF = LSB = 0, OF = MSB ^ CF = 0; other flags untouched.
  r.program(cc(Op::ROL_CC, 1, 3, 1, 2));
  auto [v, f] = r.run(0x81, 2, 0x2 | ZF | SF | OF);
  EXPECT_EQ(v, 0x06u);
  EXPECT_EQ(f & ARITH, ZF | SF);
  // rol.8 by 8: result unchanged, CF = LSB(result) = 1, OF = MSB ^ CF = 0 ^ 1 = 1.
  std::tie(v, f) = r.run(0x01, 8, 0x2);
  EXPECT_EQ(v, 0x01u);
  EXPECT_EQ(f & (CF | OF), CF | OF);
  // ror.16 0x0001 by 3 -> 0x2000: CF = MSB = 0, OF = MSB ^ bit14 = 0 ^ 0 = 0.
  r.program(cc(Op::ROR_CC, 2, 3, 1, 2));
  std::tie(v, f) = r.run(0x0001, 3, 0x2 | CF | OF);
  EXPECT_EQ(v, 0x2000u);
  EXPECT_EQ(f & (CF | OF), 0u);
  // ror.32 1 by 1 -> 0x80000000: CF = 1, OF = 1 ^ 0 = 1.
  r.program(cc(Op::ROR_CC, 4, 3, 1, 2));
  std::tie(v, f) = r.run(1, 1, 0x2);
  EXPECT_EQ(v, 0x80000000u);
  EXPECT_EQ(f & (CF | OF), CF | OF);
}

TEST(IssFlagsByHand, EdgeCases) {
  CcRunner r;
  // add.8 0x7F + 1 = 0x80: OF, SF, AF (nibble carry), PF (0x80 has one bit: odd -> PF 0).
  r.program(cc(Op::ADD_CC, 1, 3, 1, 2));
  auto [v, f] = r.run(0x7F, 1, 0x2);
  EXPECT_EQ(v, 0x80u);
  EXPECT_EQ(f & ARITH, OF | SF | AF);
  // add.8 0xFF + 1 = 0x00 with carry: CF ZF AF PF.
  std::tie(v, f) = r.run(0x1FF, 1, 0x2);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(f & ARITH, CF | ZF | AF | PF);
  // The result is zero-extended: upper bits of rd are not merged.
  EXPECT_EQ(r.run(0xABCDEF01u, 1, 0x2, 0xFFFFFFFFu).first, 2u);
  // sub.16 0 - 1 = 0xFFFF: CF (borrow), SF, AF, PF (0xFF: 8 ones, even).
  r.program(cc(Op::SUB_CC, 2, 3, 1, 2));
  std::tie(v, f) = r.run(0, 1, 0x2);
  EXPECT_EQ(v, 0xFFFFu);
  EXPECT_EQ(f & ARITH, CF | SF | AF | PF);
  // sbb.32 0x80000000 - 0 - CF(1) = 0x7FFFFFFF: OF, AF (borrow from bit 4), PF.
  r.program(cc(Op::SBB_CC, 4, 3, 1, 2));
  std::tie(v, f) = r.run(0x80000000u, 0, 0x2 | CF);
  EXPECT_EQ(v, 0x7FFFFFFFu);
  EXPECT_EQ(f & ARITH, OF | AF | PF);
  // inc keeps CF; dec.8 0x80 -> 0x7F sets OF.
  r.program(cc(Op::DEC_CC, 1, 3, 1));
  std::tie(v, f) = r.run(0x80, 0, 0x2 | CF);
  EXPECT_EQ(v, 0x7Fu);
  EXPECT_EQ(f & ARITH, CF | OF | AF);
  // DF survives flag-writing atoms.
  r.program(cc(Op::XOR_CC, 4, 3, 1, 2));
  std::tie(v, f) = r.run(5, 5, 0x2 | (1u << 10));
  EXPECT_EQ(f, ZF | PF | (1u << 10));
}

TEST(IssConditions, SetccSelBccAllSixteen) {
  // Reference predicates from Intel SDM Vol. 1 Appendix B.
  auto holds = [](unsigned cond, uint32_t f) {
    const bool cf = f & CF, zf = f & ZF, sf = f & SF, of = f & OF, pf = f & PF;
    const bool base[8] = {of, cf, zf, cf || zf, sf, pf, sf != of, zf || sf != of};
    return (cond & 1) ? !base[cond >> 1] : base[cond >> 1];
  };
  Iss core(smallConfig());
  for (unsigned cond = 0; cond < 16; ++cond) {
    Program p;
    // molecule 0: setcc r3 ; sel r4 = cond ? r1 : r2 ; bcc to molecule 2
    const uint32_t m0 = p.add({setcc(3, cond), sel(4, 1, 2, cond), bcc(cond, 0)}, false, 4);
    p.add({li(5, 1), halt()});  // not taken: r5 = 1
    const uint32_t m2 = p.add({li(5, 2), halt()});
    p.setTarget(m0, m2);
    p.loadInto(core);
    for (uint32_t f = 0; f < 64; ++f) {
      // spread 6 bits over CF PF AF ZF SF OF
      const uint32_t flags = ((f & 1) ? CF : 0) | ((f & 2) ? PF : 0) | ((f & 4) ? AF : 0) | ((f & 8) ? ZF : 0) |
                             ((f & 16) ? SF : 0) | ((f & 32) ? OF : 0);
      core.reset(p.base());
      core.setReg(1, 111);
      core.setReg(2, 222);
      core.setSreg(static_cast<unsigned>(Sreg::XFLAGS), flags);
      core.run();
      ASSERT_EQ(core.stopInfo().reason, iss::StopReason::Halted);
      const bool h = holds(cond, flags);
      ASSERT_EQ(core.reg(3), h ? 1u : 0u) << "cond " << kCondNames[cond] << " flags " << flags;
      ASSERT_EQ(core.reg(4), h ? 111u : 222u) << "cond " << kCondNames[cond];
      ASSERT_EQ(core.reg(5), h ? 2u : 1u) << "cond " << kCondNames[cond];
    }
  }
}

}  // namespace
}  // namespace cmtest
