// Runs random sequences on the interpreter and on Unicorn in lockstep, one instruction at
// a time, and compares GPRs, EIP, EFLAGS (minus the bits cms::undefinedFlags() calls
// undefined for that instruction) and the whole data area. Faults compare the vector and
// the state at the faulting instruction. docs/differential-testing.md.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cms_replay.h"
#include "layout.h"
#include "sequence_builder.h"

namespace codemorph::cms::diff {

struct DiffOptions {
  Mode mode = Mode::Flat32;
  uint64_t seed = 1;
  uint64_t first = 0;           // first sequence index
  uint64_t sequences = 1000;
  unsigned maxReports = 5;      // disagreements described in full
  int64_t injectAt = -1;        // self-test: corrupt Unicorn's EAX in this sequence
  bool trace = false;           // print every step's states to stderr (CODEMORPH_DIFF_TRACE)
  // Translated replay (cms_replay.h): every cmsEvery-th sequence (by index) also runs
  // through cms::Runtime with translation on and threshold 0 and must end in the
  // interpreter's state. 0: off. cmsInjectAt: self-test, corrupt the runtime's EAX there.
  uint64_t cmsEvery = 0;
  int64_t cmsInjectAt = -1;
};

struct DiffStats {
  uint64_t sequences = 0, instructions = 0, faults = 0;
  uint64_t disagreements = 0;
  std::map<std::string, uint64_t> quirks;  // oracle-quirk id -> hits
  std::array<uint64_t, kRejCount> rejects{};
  std::vector<std::string> reports;       // the first maxReports disagreements
  bool bigRealFallback = false;
  bool cmsReplayed = false;               // the translated replay ran (cmsEvery > 0 and a translator)
  CmsReplayStats cms;
  double seconds = 0;
  std::string summary() const;
};

// True when the interpreter executes in protected mode (CR0.PE = 1); until then Flat32
// runs with the same flat caches and CR0.PE = 0 ("big real" fallback).
bool interpreterHasProtectedMode();

DiffStats runDiff(const DiffOptions& options);

}  // namespace codemorph::cms::diff
