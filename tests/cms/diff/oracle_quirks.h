// The allowlist of *oracle* bugs: places where Unicorn (QEMU TCG) disagrees with the SDM
// and the interpreter follows the SDM. Each entry is narrow (instruction + the exact
// condition + the exact fields that may differ) and cites the manual; every entry is also
// described in docs/differential-testing.md. A disagreement no entry explains fails the test.
#pragma once
#include <codemorph/cms/cpu_state.h>
#include <codemorph/x86/decoder.h>

#include <cstdint>
#include <span>

#include "layout.h"
#include "unicorn_oracle.h"

namespace codemorph::cms::diff {

// What differed after one instruction (both machines ran it without a fault).
struct StepDiff {
  Mode mode;
  const x86::DecodedInsn& insn;
  const CpuState& pre;    // interpreter state before the instruction
  const CpuState& ours;   // interpreter state after
  const RegState& uc;     // Unicorn registers after
  uint8_t gprMask;        // bit n: GPR n differs
  bool eipDiffers;
  uint32_t flagsDiff;     // EFLAGS bits that differ (after masking undefined ones)
  bool memoryDiffers;
  std::span<const uint32_t> diffAddrs;  // linear addresses of the differing data bytes
  const uint8_t* ucData;                // Unicorn's data area after the instruction
  uint32_t dataBase;
  uint8_t ucByte(uint32_t linear) const { return ucData[linear - dataBase]; }
};

struct OracleQuirk {
  const char* id;        // short name, printed in the statistics
  const char* citation;  // SDM section the interpreter follows
  bool (*explains)(const StepDiff& d);
};

std::span<const OracleQuirk> oracleQuirks();

}  // namespace codemorph::cms::diff
