// Oracle-bug allowlist (see oracle_quirks.h and docs/differential-testing.md).
#include "oracle_quirks.h"

namespace codemorph::cms::diff {

namespace {
using x86::Mnemonic;

bool hasLock(const x86::DecodedInsn& in) { return (in.prefixes & x86::kPfxLock) != 0; }
bool onlyFlags(const StepDiff& d, uint32_t allowed) {
  return d.gprMask == 0 && !d.eipDiffers && !d.memoryDiffers && d.flagsDiff != 0 && (d.flagsDiff & ~allowed) == 0;
}

bool onlyMemory(const StepDiff& d) {
  return d.gprMask == 0 && !d.eipDiffers && d.flagsDiff == 0 && d.memoryDiffers && !d.diffAddrs.empty();
}
bool isSreg(x86::Reg r) { return r >= x86::Reg::ES && r <= x86::Reg::GS; }
// Linear address of SS:offset with the stack's address size.
uint32_t stackLinear(const CpuState& s, uint32_t offset) {
  return s.seg[kSS].base + (s.seg[kSS].bigDefault() ? offset : (offset & 0xFFFF));
}

constexpr OracleQuirk kQuirks[] = {
    // QEMU's LOCK NEG (atomic cmpxchg loop) computes SF/ZF/PF from the original operand
    // instead of the negated result; the stored result is right. Seen as e.g.
    // LOCK NEG byte [m] with [m] = 5Ch: result A4h, Unicorn SF=0 PF=1 (those of 5Ch).
    {"lock-neg-szp", "SDM Vol. 2B NEG: OF, SF, ZF, AF, PF set according to the result",
     [](const StepDiff& d) {
       return d.insn.mnemonic == Mnemonic::NEG && hasLock(d.insn) && d.insn.op[0].kind == x86::OpKind::Mem &&
              onlyFlags(d, kSF | kZF | kPF);
     }},
    // PUSH Sreg with a 32-bit operand size: the SDM allows either a zero-extended 32-bit
    // store or a 16-bit store that leaves the upper half of the slot unchanged; the
    // interpreter does the latter (P6 family and later), QEMU the former. Only the two
    // upper bytes of the new stack slot may differ, and Unicorn must hold zeros there.
    {"push-sreg32-upper-half", "SDM Vol. 2B PUSH: segment register with 32-bit operand size",
     [](const StepDiff& d) {
       if (d.insn.mnemonic != Mnemonic::PUSH || d.insn.opSize != 4 || d.insn.op[0].kind != x86::OpKind::Reg ||
           !isSreg(d.insn.op[0].reg) || !onlyMemory(d))
         return false;
       const uint32_t slot = stackLinear(d.ours, d.ours.gpr[kESP]);
       for (uint32_t a : d.diffAddrs)
         if ((a != slot + 2 && a != slot + 3) || d.ucByte(a) != 0) return false;
       return true;
     }},
    // ENTER with a 32-bit operand size and nesting level >= 1 on a 16-bit stack: the P6-era
    // SDM takes FrameTemp from SP when the stack size is 16 (the interpreter pushes it
    // zero-extended); QEMU pushes ESP - 4 with ESP's upper half. Only the upper half of the
    // pushed FrameTemp may differ, and Unicorn's must be (ESP - 4) >> 16.
    {"enter32-stack16-frametemp", "SDM Vol. 2A ENTER: the stack-size attribute selects SP/ESP",
     [](const StepDiff& d) {
       const unsigned level = d.insn.op[1].value & 0x1F;
       if (d.insn.mnemonic != Mnemonic::ENTER || d.insn.opSize != 4 || d.pre.seg[kSS].bigDefault() || level == 0 ||
           !onlyMemory(d))
         return false;
       const uint32_t sp = d.pre.gpr[kESP] & 0xFFFF;
       const uint32_t slot = stackLinear(d.pre, sp - 4 - 4 * (level - 1) - 4);
       const uint32_t upper = (d.pre.gpr[kESP] - 4) >> 16;
       for (uint32_t a : d.diffAddrs) {
         if (a == slot + 2 && d.ucByte(a) == (upper & 0xFF)) continue;
         if (a == slot + 3 && d.ucByte(a) == (upper >> 8)) continue;
         return false;
       }
       return true;
     }},
};
}  // namespace

std::span<const OracleQuirk> oracleQuirks() { return kQuirks; }

}  // namespace codemorph::cms::diff
