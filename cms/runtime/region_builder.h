// Picks and decodes the x86 instructions of a region (docs/cms-runtime.md 4): a basic
// block for gear 2 (up to the first control transfer), or for gear 3 a trace that
// continues through conditional branches in their biased direction (branch_profile.h).
//
// A region never leaves the 4 KiB linear page of its entry (so one physical page holds
// it and its T-bits protect all of it), never crosses the CS limit, and stops before an
// instruction that does not decode or that the translator does not handle. Code must be
// plain RAM (GuestBus::directRead); ROM or MMIO code is only interpreted.
#pragma once
#include <codemorph/cms/guest_bus.h>
#include <codemorph/cms/interpreter.h>
#include <codemorph/cms/region_translator.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "branch_profile.h"

namespace codemorph::cms::runtime {

struct Region {
  std::vector<translator::RegionInsn> insns;
  uint32_t physEntry = 0;
  uint32_t physStart = 0, physEnd = 0;  // bytes of the page the region's code occupies
  // A gear-3 trace that came back to its own entry (a loop): the body's length in
  // instructions and how many copies of it the region holds (unrolled); 0 / 1 otherwise.
  unsigned loopBody = 0, copies = 1;
};

struct RegionRequest {
  uint32_t entryEip = 0;
  unsigned maxInsns = 32;
  bool trace = false;                    // gear 3: follow biased conditional branches and direct JMPs
  // gear 3: a trace that returns to its entry is a loop; it is unrolled to up to this many
  // copies of the body (whole copies only, within maxInsns), the last back edge being the
  // final exit, which then chains to the translation itself.
  unsigned maxCopies = 1;
  const BranchProfile* profile = nullptr;
  RegionTranslator* translator = nullptr;  // null: accept every decodable instruction
};

translator::RegionMode regionMode(const CpuState& s, const CpuModel& model);

// nullopt when not even the first instruction qualifies (not RAM, a #PF on fetch, does
// not decode, not translatable): the entry is then interpreted.
std::optional<Region> buildRegion(Interpreter& interp, const GuestBus& bus, const RegionRequest& request);

}  // namespace codemorph::cms::runtime
