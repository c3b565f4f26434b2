// Directed tests of the translator: a hand-written x86 code snippet placed in the
// differential-test layout (tests/cms/diff/layout.h), traced on the interpreter for a given
// number of instructions (so the trace directions are real), translated, run on the ISS and
// compared with the interpreter (translation_runner.h).
#pragma once
#include <codemorph/cms/cpu_state.h>
#include <codemorph/translator/translate.h>

#include <optional>
#include <string>
#include <vector>

#include "../../cms/diff/layout.h"
#include "translation_runner.h"

namespace codemorph::translator::test {

struct DirectedCase {
  cms::diff::Mode mode = cms::diff::Mode::Flat32;
  std::vector<uint8_t> code;        // placed at the layout's code base
  unsigned traceLength = 0;         // instructions of the region (0: until the first HLT)
  cms::CpuState state;              // initial state (see initialState)
  std::vector<uint8_t> ram;         // the whole image (see initialState)
  // State the translation runs from, if not the one traced (a different direction at a
  // branch then makes a side exit fire).
  std::optional<cms::CpuState> runState;
  // RegionInsn::followTaken of the region's last instruction (the likely direction).
  bool lastFollowsTaken = false;
};

// A case with a fixed, non-random initial state: flat 4 GiB segments (Flat32) or real-mode
// segments at 2000h (Real16), ESP/SP in the stack window, the data area filled with a
// byte pattern, every GPR distinct, DF = 0.
DirectedCase directedCase(cms::diff::Mode mode, const std::vector<uint8_t>& code, unsigned traceLength = 0);
// The offset of the data area in the case's DS (what memory operands should use).
uint32_t dataOffset(const DirectedCase& c);

struct DirectedRun {
  TranslateResult translation;
  std::vector<RegionInsn> region;
  IssOutcome iss;
  InterpOutcome ref;
  uint32_t retired = 0;
  std::string diff;   // "" when the ISS and the interpreter agree
};
DirectedRun runDirected(const DirectedCase& c, const TranslateOptions& options, uint32_t budget = 100000,
                        const IssRunConfig& issConfig = {});

}  // namespace codemorph::translator::test
