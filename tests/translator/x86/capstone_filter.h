// The cross-check's two lists (docs/x86-decoder.md keeps the prose version of both):
//  - notModelledCpu(): Capstone decoded an instruction that the modelled CPU (Pentium II
//    class: P6 + MMX + SYSENTER, no FXSR/SSE) does not have, so lengths are not compared;
//  - knownDisagreement(): a documented class where Capstone and we differ on purpose,
//    with the SDM section that decides it.
#pragma once
#include <codemorph/x86/decoder.h>

#include <capstone/capstone.h>

namespace codemorph::x86 {

struct Disagreement {
  const uint8_t* bytes;
  unsigned codeSize;
  const cs_insn* cs;
  DecodeStatus status;
  const DecodedInsn* ours;
};

const char* notModelledCpu(const cs_insn* ci, const uint8_t* bytes);
const char* knownDisagreement(const Disagreement& d);

}  // namespace codemorph::x86
