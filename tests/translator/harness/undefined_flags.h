// Tracking of the arithmetic flags the SDM leaves undefined along a trace
// (cms::undefinedFlags gives them per instruction): an instruction that defines a flag
// forgets its undefinedness; the generator keeps flag readers away from undefined flags,
// since the translation and the interpreter may choose differently for them.
#pragma once
#include <codemorph/cms/cpu_state.h>
#include <codemorph/cms/flags.h>
#include <codemorph/x86/decoder.h>

namespace codemorph::translator::test {

// Flags an instruction always defines (SDM Vol. 2 "Flags Affected"): the ALU group sets
// all six, INC/DEC all but CF.
inline uint32_t definedFlags(const x86::DecodedInsn& insn) {
  using M = x86::Mnemonic;
  switch (insn.mnemonic) {
    case M::ADD: case M::ADC: case M::SUB: case M::SBB: case M::CMP: case M::NEG: case M::CMPS: case M::SCAS:
    case M::AND: case M::OR: case M::XOR: case M::TEST:
      return cms::kArithFlags;
    case M::INC: case M::DEC:
      return cms::kArithFlags & ~cms::kCF;
    default:
      return 0;
  }
}

// Flags a condition (SDM Vol. 1 App. B) looks at.
inline uint32_t conditionFlags(unsigned cond) {
  using namespace cms;
  static constexpr uint32_t kByPair[8] = {kOF, kCF, kZF, kCF | kZF, kSF, kPF, kSF | kOF, kZF | kSF | kOF};
  return kByPair[(cond >> 1) & 7];
}

// Flags an instruction reads (conservatively: everything for the ones that save EFLAGS).
inline uint32_t flagsRead(const x86::DecodedInsn& insn) {
  using M = x86::Mnemonic;
  switch (insn.mnemonic) {
    case M::JCC: case M::SETCC: case M::CMOVCC: return conditionFlags(insn.cond);
    case M::LOOPE: case M::LOOPNE: return cms::kZF;
    case M::ADC: case M::SBB: case M::RCL: case M::RCR: case M::SALC: case M::CMC: return cms::kCF;
    case M::PUSHF: case M::LAHF: case M::INTO: case M::DAA: case M::DAS: case M::AAA: case M::AAS:
      return cms::kArithFlags;
    default: return 0;
  }
}

// Shift/rotate count as the instruction sees it (for cms::undefinedFlags).
inline uint32_t shiftCount(const x86::DecodedInsn& insn, const cms::CpuState& s) {
  if (insn.numOperands > 1 && insn.op[1].kind == x86::OpKind::Imm) return insn.op[1].value & 0xFF;
  if (insn.numOperands > 1 && insn.op[1].kind == x86::OpKind::Reg && insn.op[1].reg == x86::Reg::CL)
    return s.gpr[cms::kECX] & 0xFF;
  return 0;
}

inline uint32_t nextUndefined(uint32_t mask, const x86::DecodedInsn& insn, const cms::CpuState& before) {
  return (mask & ~definedFlags(insn)) | cms::undefinedFlags(insn, shiftCount(insn, before));
}

}  // namespace codemorph::translator::test
