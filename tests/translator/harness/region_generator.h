// Random x86 regions for the differential test: the state-aware instruction generator of
// the interpreter's differential tests (tests/cms/diff/insn_generator.h) filtered to what
// the translator handles, each candidate trial-run on the interpreter in a sandbox and
// kept only if it stays inside the data area, the stack window and the code area and does
// not fault. A region is the resulting trace; with a small probability an untranslatable
// instruction is kept as its last one (to test the Interpret exit).
#pragma once
#include <codemorph/cms/cpu_state.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "../../cms/diff/layout.h"

namespace codemorph::translator::test {

struct GeneratedRegion {
  cms::CpuState initial;
  std::vector<uint8_t> ram;      // full guest RAM image (fixed image + data + code)
  std::vector<uint32_t> eips;    // the trace, in execution order
};

class RegionGenerator {
 public:
  explicit RegionGenerator(cms::diff::Mode mode);
  ~RegionGenerator();
  const cms::diff::Layout& layout() const;
  // Region `index` of the run with `seed`: up to `maxInsns` instructions.
  GeneratedRegion generate(uint64_t seed, uint64_t index, unsigned maxInsns);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codemorph::translator::test
