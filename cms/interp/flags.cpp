// Flags: the ONE table of SDM-undefined flags (undefinedFlags), the arithmetic flag
// computation shared by every ALU instruction (SDM Vol. 1 3.4.3.1, App. A "EFLAGS
// Cross-Reference"), condition codes (Vol. 1 App. B) and the writable-bit rules of
// POPF/IRET/SAHF (Vol. 2B POPF; Vol. 3A 22.15 for the 286).
//
// What the interpreter writes into an undefined flag is a fixed, documented choice
// (docs/interpreter.md): AF = 0 after logic ops; shifts/rotates by more than one compute
// OF with the 1-bit formula on the final result; MUL/IMUL set SF/ZF/PF from the low half
// and AF = 0; DIV/IDIV leave the flags unchanged; BCD adjusts compute SF/ZF/PF from AL.
#include <codemorph/cms/flags.h>

#include "core.h"

namespace codemorph::cms {

namespace {
using x86::Mnemonic;

enum class Rule : uint8_t { Fixed, Shift, Rotate, ShiftDouble };

struct UndefRow {
  Mnemonic mnemonic;
  uint32_t flags;     // always undefined (Rule::Fixed) / undefined for any nonzero count
  Rule rule;
  bool onFault;       // raises #DE: all arithmetic flags are undefined in the pushed FLAGS
};

constexpr uint32_t kAll = kArithFlags;

// clang-format off
// SDM Vol. 2 "Flags Affected" of each instruction. Anything not listed: nothing undefined.
constexpr UndefRow kUndefined[] = {
  {Mnemonic::AAA,  kOF | kSF | kZF | kPF,       Rule::Fixed, false},
  {Mnemonic::AAS,  kOF | kSF | kZF | kPF,       Rule::Fixed, false},
  // AAM 0 raises #DE: there is no result for SF/ZF/PF to describe, so on the fault all
  // arithmetic flags are as undefined as after DIV (the 286 changes them).
  {Mnemonic::AAM,  kOF | kAF | kCF,             Rule::Fixed, true},
  {Mnemonic::AAD,  kOF | kAF | kCF,             Rule::Fixed, false},
  {Mnemonic::DAA,  kOF,                         Rule::Fixed, false},
  {Mnemonic::DAS,  kOF,                         Rule::Fixed, false},
  {Mnemonic::AND,  kAF,                         Rule::Fixed, false},
  {Mnemonic::OR,   kAF,                         Rule::Fixed, false},
  {Mnemonic::XOR,  kAF,                         Rule::Fixed, false},
  {Mnemonic::TEST, kAF,                         Rule::Fixed, false},
  {Mnemonic::MUL,  kSF | kZF | kAF | kPF,       Rule::Fixed, false},
  {Mnemonic::IMUL, kSF | kZF | kAF | kPF,       Rule::Fixed, false},
  {Mnemonic::DIV,  kAll,                        Rule::Fixed, true},   // #DE
  {Mnemonic::IDIV, kAll,                        Rule::Fixed, true},   // #DE
  {Mnemonic::BSF,  kCF | kOF | kSF | kAF | kPF, Rule::Fixed, false},
  {Mnemonic::BSR,  kCF | kOF | kSF | kAF | kPF, Rule::Fixed, false},
  {Mnemonic::BT,   kOF | kSF | kAF | kPF,       Rule::Fixed, false},
  {Mnemonic::BTS,  kOF | kSF | kAF | kPF,       Rule::Fixed, false},
  {Mnemonic::BTR,  kOF | kSF | kAF | kPF,       Rule::Fixed, false},
  {Mnemonic::BTC,  kOF | kSF | kAF | kPF,       Rule::Fixed, false},
  // Shifts: count 0 changes nothing; AF undefined for any other count; OF for count > 1;
  // CF for SHL/SHR when count >= operand width (Vol. 2B SAL/SAR/SHL/SHR).
  {Mnemonic::SHL,  kAF,                         Rule::Shift, false},
  {Mnemonic::SAL,  kAF,                         Rule::Shift, false},
  {Mnemonic::SHR,  kAF,                         Rule::Shift, false},
  {Mnemonic::SAR,  kAF,                         Rule::Shift, false},
  // Rotates: OF undefined when the masked count is > 1 (Vol. 2B RCL/RCR/ROL/ROR).
  {Mnemonic::ROL,  0,                           Rule::Rotate, false},
  {Mnemonic::ROR,  0,                           Rule::Rotate, false},
  {Mnemonic::RCL,  0,                           Rule::Rotate, false},
  {Mnemonic::RCR,  0,                           Rule::Rotate, false},
  // SHLD/SHRD: AF for count != 0, OF for count > 1, everything for count > width.
  {Mnemonic::SHLD, kAF,                         Rule::ShiftDouble, false},
  {Mnemonic::SHRD, kAF,                         Rule::ShiftDouble, false},
};
// clang-format on

}  // namespace

uint32_t undefinedFlags(const x86::DecodedInsn& insn, uint32_t count, bool faulted) {
  for (const UndefRow& row : kUndefined) {
    if (row.mnemonic != insn.mnemonic) continue;
    if (faulted) return row.onFault ? kAll : 0;
    const unsigned width = insn.op[0].size * 8u;
    const uint32_t c = count & 0x1F;  // 286 and later mask the count to 5 bits
    switch (row.rule) {
      case Rule::Fixed: return row.flags;
      case Rule::Shift: {
        if (c == 0) return 0;
        uint32_t m = row.flags | (c > 1 ? uint32_t{kOF} : 0u);
        if ((insn.mnemonic == Mnemonic::SHL || insn.mnemonic == Mnemonic::SAL ||
             insn.mnemonic == Mnemonic::SHR) && c >= width)
          m |= kCF;
        return m;
      }
      case Rule::Rotate: return c > 1 ? uint32_t{kOF} : 0u;
      case Rule::ShiftDouble:
        if (c == 0) return 0;
        if (c > width) return kAll;
        return row.flags | (c > 1 ? uint32_t{kOF} : 0u);
    }
  }
  return 0;
}

namespace detail {

void Core::szpFlags(uint32_t r, unsigned size) {
  r &= sizeMask(size);
  uint32_t f = s.eflags & ~(kSF | kZF | kPF);
  if (r == 0) f |= kZF;
  if (r & signBit(size)) f |= kSF;
  if (parityEven(r)) f |= kPF;
  s.eflags = f;
}

uint32_t Core::add(uint32_t a, uint32_t b, uint32_t carry, unsigned size) {
  const uint32_t m = sizeMask(size);
  a &= m; b &= m;
  const uint64_t wide = static_cast<uint64_t>(a) + b + carry;
  const uint32_t r = static_cast<uint32_t>(wide) & m;
  uint32_t f = s.eflags & ~kArithFlags;
  if (wide > m) f |= kCF;
  if ((a ^ b ^ r) & 0x10) f |= kAF;
  if (((a ^ r) & (b ^ r)) & signBit(size)) f |= kOF;
  if (r == 0) f |= kZF;
  if (r & signBit(size)) f |= kSF;
  if (parityEven(r)) f |= kPF;
  s.eflags = f;
  return r;
}

uint32_t Core::sub(uint32_t a, uint32_t b, uint32_t borrow, unsigned size) {
  const uint32_t m = sizeMask(size);
  a &= m; b &= m;
  const uint32_t r = (a - b - borrow) & m;
  uint32_t f = s.eflags & ~kArithFlags;
  if (static_cast<uint64_t>(a) < static_cast<uint64_t>(b) + borrow) f |= kCF;
  if ((a ^ b ^ r) & 0x10) f |= kAF;
  if (((a ^ b) & (a ^ r)) & signBit(size)) f |= kOF;
  if (r == 0) f |= kZF;
  if (r & signBit(size)) f |= kSF;
  if (parityEven(r)) f |= kPF;
  s.eflags = f;
  return r;
}

void Core::logicFlags(uint32_t r, unsigned size) {
  s.eflags &= ~(kCF | kOF | kAF);
  szpFlags(r, size);
}

bool Core::condition(unsigned cc) const {
  bool r;
  switch (cc >> 1) {
    case 0: r = flag(kOF); break;                                  // O
    case 1: r = flag(kCF); break;                                  // B
    case 2: r = flag(kZF); break;                                  // E
    case 3: r = flag(kCF) || flag(kZF); break;                     // BE
    case 4: r = flag(kSF); break;                                  // S
    case 5: r = flag(kPF); break;                                  // P
    case 6: r = flag(kSF) != flag(kOF); break;                     // L
    default: r = flag(kZF) || (flag(kSF) != flag(kOF)); break;     // LE
  }
  return (cc & 1) ? !r : r;
}

// Loads EFLAGS bits under `writableMask` (the instruction's rule: POPF at CPL 0 in real
// mode may change IOPL, ...), then applies the model's fixed bits: only implemented bits
// exist, bit 1 is 1, bits 3/5/15 are 0, and the 286 keeps 12-15 clear in real mode.
void Core::writeFlags(uint32_t value, uint32_t writableMask) {
  uint32_t f = (s.eflags & ~writableMask) | (value & writableMask);
  f &= model.eflagsImplemented;
  if (model.realModeClearsFlags12To15 && !s.protectedMode()) f &= ~0xF000u;
  s.eflags = f | kFixed1;
}

}  // namespace detail
}  // namespace codemorph::cms
