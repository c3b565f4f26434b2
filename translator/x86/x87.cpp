// The x87 escape opcodes D8-DF, SDM Vol. 2D Appendix A.4.2, Tables: one table
// for ModRM.mod != 3 (memory operand, by ModRM.reg) and one for mod == 3 (register forms,
// by the whole ModRM byte). The FPU does not execute yet; these tables give the length,
// the operands and the mnemonic. On a profile without an x87 (80286 SST data) every ESC
// form decodes (mnemonic ESC where no 287 instruction exists), because the CPU performs
// the memory operand's address checks and nothing else.
//
// Deviations from Tables A-7..A-22 (see docs/x86-decoder.md):
//  - Blank register cells that real x87s execute as aliases are decoded, flagged
//    undocumented: D9 D8+i FSTP (FSTP1), DC D0+i FCOM (FCOM2), DC D8+i FCOMP (FCOMP3),
//    DD C8+i FXCH (FXCH4), DE D0+i FCOMP (FCOMP5), DF C0+i FFREEP, DF C8+i FXCH (FXCH7),
//    DF D0+i / D8+i FSTP (FSTP8/FSTP9).
//  - DB E0/E1/E4 (8087/287 FENI, FDISI, FSETPM) decode; a 387+ executes them as FNOP.
//  - FISTTP (DB/DD/DF /1, SSE3) is #UD.
#include "tables.h"

namespace codemorph::x86::detail {
using enum Mnemonic;
using enum Opnd;

namespace {
constexpr uint16_t kP6 = kFeatP6;

// clang-format off
constexpr OpcodeEntry kMem[8][8] = {
  // D8: single-real (m32fp) arithmetic
  {I(FADD, Md), I(FMUL, Md), I(FCOM, Md), I(FCOMP, Md), I(FSUB, Md), I(FSUBR, Md), I(FDIV, Md), I(FDIVR, Md)},
  // D9
  {I(FLD, Md), UD, I(FST, Md), I(FSTP, Md), I(FLDENV, Me), I(FLDCW, Mw), I(FNSTENV, Me), I(FNSTCW, Mw)},
  // DA: dword-integer (m32int) arithmetic
  {I(FIADD, Md), I(FIMUL, Md), I(FICOM, Md), I(FICOMP, Md), I(FISUB, Md), I(FISUBR, Md), I(FIDIV, Md), I(FIDIVR, Md)},
  // DB
  {I(FILD, Md), UD /* FISTTP */, I(FIST, Md), I(FISTP, Md), UD, I(FLD, Mt), UD, I(FSTP, Mt)},
  // DC: double-real (m64fp) arithmetic
  {I(FADD, Mq), I(FMUL, Mq), I(FCOM, Mq), I(FCOMP, Mq), I(FSUB, Mq), I(FSUBR, Mq), I(FDIV, Mq), I(FDIVR, Mq)},
  // DD
  {I(FLD, Mq), UD /* FISTTP */, I(FST, Mq), I(FSTP, Mq), I(FRSTOR, Mst), UD, I(FNSAVE, Mst), I(FNSTSW, Mw)},
  // DE: word-integer (m16int) arithmetic
  {I(FIADD, Mw), I(FIMUL, Mw), I(FICOM, Mw), I(FICOMP, Mw), I(FISUB, Mw), I(FISUBR, Mw), I(FIDIV, Mw), I(FIDIVR, Mw)},
  // DF
  {I(FILD, Mw), UD /* FISTTP */, I(FIST, Mw), I(FISTP, Mw), I(FBLD, Mt), I(FILD, Mq), I(FBSTP, Mt), I(FISTP, Mq)},
};

// A register-form row (one ModRM.reg value): either one entry for all eight ST(i), or
// eight entries by ModRM.rm.
struct Row {
  OpcodeEntry all;
  OpcodeEntry each[8];
  bool perRm;
};
constexpr Row A(OpcodeEntry e) { return Row{e, {}, false}; }
constexpr Row S(OpcodeEntry e0, OpcodeEntry e1, OpcodeEntry e2, OpcodeEntry e3, OpcodeEntry e4,
                OpcodeEntry e5, OpcodeEntry e6, OpcodeEntry e7) {
  return Row{UD, {e0, e1, e2, e3, e4, e5, e6, e7}, true};
}

constexpr Row kRegRows[8][8] = {
  // D8 C0-FF
  {A(I(FADD, ST0, STi)), A(I(FMUL, ST0, STi)), A(I(FCOM, ST0, STi)), A(I(FCOMP, ST0, STi)),
   A(I(FSUB, ST0, STi)), A(I(FSUBR, ST0, STi)), A(I(FDIV, ST0, STi)), A(I(FDIVR, ST0, STi))},
  // D9 C0-FF
  {A(I(FLD, ST0, STi)), A(I(FXCH, ST0, STi)),
   S(I(FNOP), UD, UD, UD, UD, UD, UD, UD),
   A(I(FSTP, STi).undoc()),
   S(I(FCHS), I(FABS), UD, UD, I(FTST), I(FXAM), UD, UD),
   S(I(FLD1), I(FLDL2T), I(FLDL2E), I(FLDPI), I(FLDLG2), I(FLDLN2), I(FLDZ), UD),
   S(I(F2XM1), I(FYL2X), I(FPTAN), I(FPATAN), I(FXTRACT), I(FPREM1), I(FDECSTP), I(FINCSTP)),
   S(I(FPREM), I(FYL2XP1), I(FSQRT), I(FSINCOS), I(FRNDINT), I(FSCALE), I(FSIN), I(FCOS))},
  // DA C0-FF
  {A(I(FCMOVB, ST0, STi).f(kP6)), A(I(FCMOVE, ST0, STi).f(kP6)),
   A(I(FCMOVBE, ST0, STi).f(kP6)), A(I(FCMOVU, ST0, STi).f(kP6)), A(UD),
   S(UD, I(FUCOMPP), UD, UD, UD, UD, UD, UD), A(UD), A(UD)},
  // DB C0-FF
  {A(I(FCMOVNB, ST0, STi).f(kP6)), A(I(FCMOVNE, ST0, STi).f(kP6)),
   A(I(FCMOVNBE, ST0, STi).f(kP6)), A(I(FCMOVNU, ST0, STi).f(kP6)),
   S(I(FENI), I(FDISI), I(FNCLEX), I(FNINIT), I(FSETPM), UD, UD, UD),
   A(I(FUCOMI, ST0, STi).f(kP6)), A(I(FCOMI, ST0, STi).f(kP6)), A(UD)},
  // DC C0-FF
  {A(I(FADD, STi, ST0)), A(I(FMUL, STi, ST0)), A(I(FCOM, STi).undoc()), A(I(FCOMP, STi).undoc()),
   A(I(FSUBR, STi, ST0)), A(I(FSUB, STi, ST0)), A(I(FDIVR, STi, ST0)), A(I(FDIV, STi, ST0))},
  // DD C0-FF
  {A(I(FFREE, STi)), A(I(FXCH, STi).undoc()), A(I(FST, STi)), A(I(FSTP, STi)),
   A(I(FUCOM, STi)), A(I(FUCOMP, STi)), A(UD), A(UD)},
  // DE C0-FF
  {A(I(FADDP, STi, ST0)), A(I(FMULP, STi, ST0)), A(I(FCOMP, STi).undoc()),
   S(UD, I(FCOMPP), UD, UD, UD, UD, UD, UD),
   A(I(FSUBRP, STi, ST0)), A(I(FSUBP, STi, ST0)), A(I(FDIVRP, STi, ST0)), A(I(FDIVP, STi, ST0))},
  // DF C0-FF
  {A(I(FFREEP, STi).undoc()), A(I(FXCH, STi).undoc()), A(I(FSTP, STi).undoc()), A(I(FSTP, STi).undoc()),
   S(I(FNSTSW, AX), UD, UD, UD, UD, UD, UD, UD),
   A(I(FUCOMIP, ST0, STi).f(kP6)), A(I(FCOMIP, ST0, STi).f(kP6)), A(UD)},
};
// clang-format on

// Every x87 entry requires an FPU and has a ModRM byte (the opcode's second byte).
constexpr OpcodeEntry fpu(OpcodeEntry e) {
  if (e.kind == EntryKind::Invalid) return e;
  e.feature |= kFeatFpu;
  e.flags |= kEfModrm;
  return e;
}
}  // namespace

const OpcodeEntry kX87Mem[8][8] = {
#define CODEMORPH_ROW(o) {fpu(kMem[o][0]), fpu(kMem[o][1]), fpu(kMem[o][2]), fpu(kMem[o][3]), \
                          fpu(kMem[o][4]), fpu(kMem[o][5]), fpu(kMem[o][6]), fpu(kMem[o][7])}
    CODEMORPH_ROW(0), CODEMORPH_ROW(1), CODEMORPH_ROW(2), CODEMORPH_ROW(3),
    CODEMORPH_ROW(4), CODEMORPH_ROW(5), CODEMORPH_ROW(6), CODEMORPH_ROW(7),
#undef CODEMORPH_ROW
};

constexpr std::array<std::array<OpcodeEntry, 64>, 8> kX87Reg = [] {
  std::array<std::array<OpcodeEntry, 64>, 8> t{};
  for (unsigned op = 0; op < 8; ++op)
    for (unsigned reg = 0; reg < 8; ++reg)
      for (unsigned rm = 0; rm < 8; ++rm) {
        const Row& r = kRegRows[op][reg];
        t[op][reg * 8 + rm] = fpu(r.perRm ? r.each[rm] : r.all);
      }
  return t;
}();

}  // namespace codemorph::x86::detail
