// Builds random instruction sequences one instruction at a time by trial-running the
// generator's candidates on the interpreter inside a sandbox: a GuestBus without a direct
// RAM span, so every access is seen. A candidate is rejected (and undone) when it
//  - writes outside the data area or reads outside RAM (Unicorn would see unmapped memory),
//  - leaves the stack pointer outside the stack window or EIP outside the code area, or
//    branches backwards onto code already placed,
//  - sets TF (POPF), or runs a REP string instruction for more than 64 iterations
//    (Unicorn is stepped once per iteration; counts stay bounded), or
//  - raises #GP or #SS: the generator only reaches these through segment-limit violations
//    (an access crossing 64 KiB in real mode, or 4 GiB in Flat32: SDM Vol. 3A 5.3) and
//    writes through a CS override (Vol. 3A 5.5), none of which QEMU checks
//    (docs/differential-testing.md, exclusions).
// Any other fault (#DE, #UD ...) and any `Unimplemented` stop is kept: it ends the sequence
// and is compared against Unicorn like everything else.
#pragma once
#include <codemorph/cms/cpu_state.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "layout.h"

namespace codemorph::cms::diff {

// One sequence: what it started from, and the instructions accepted so far.
struct Sequence {
  uint64_t seed = 0, index = 0;
  CpuState initial;
  std::vector<uint8_t> data;  // initial data-area bytes
  unsigned target = 0;        // instructions wanted (1-8, setups included)
  struct Insn {
    uint32_t eip;
    std::vector<uint8_t> bytes;
  };
  std::vector<Insn> insns;    // accepted instructions in execution order
};

enum Reject : uint8_t { kRejWrite, kRejRead, kRejStack, kRejEip, kRejTf, kRejLimit, kRejRep, kRejCount };
const char* rejectName(unsigned r);

// Generation is interleaved with the comparison: the caller runs each accepted
// instruction on the machines under test and may then adjust state() (flags the SDM
// leaves undefined are copied from the reference so later choices see the same values).
class SequenceBuilder {
 public:
  SequenceBuilder(const Layout& layout, bool bigRealFallback);
  ~SequenceBuilder();
  // Starts sequence `index` of the run with `seed`: random data area and initial state.
  void begin(uint64_t seed, uint64_t index, Sequence& q);
  // Generates and trial-runs candidates until one is accepted (appended to q.insns);
  // false when the sequence is complete. `last`: the instruction faulted or stopped the
  // interpreter, nothing can follow it.
  bool next(Sequence& q, bool& last);
  CpuState& state();                   // the sandbox interpreter's state after the last insn
  const std::vector<uint8_t>& image();  // the sandbox memory
  const std::array<uint64_t, kRejCount>& rejects() const { return rejects_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::array<uint64_t, kRejCount> rejects_{};
};

// The per-sequence random stream: independent of every other sequence of the run.
uint64_t sequenceSeed(uint64_t seed, uint64_t index);

}  // namespace codemorph::cms::diff
