// Configuration of the reference ISS: every knob is defined in defineIssKnobs() (one
// place, with default, range and description) and read back by IssConfig::fromConfig().
// docs/iss.md lists them with their meaning.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "codemorph/hostisa/isa.h"

namespace codemorph::support {
class Config;
}

namespace codemorph::hostisa::iss {

// One latency knob per timing class, in TimingClass order. The static_assert in
// iss_config.cpp and the test ConfigTest.EveryTimingClassHasALatency keep this table in
// step with isa.h: adding a timing class without a latency does not compile.
struct LatencyKnob {
  std::string_view name;  // timing.latency.<name>; equals timingClassName()
  uint32_t defaultCycles;
};
inline constexpr std::array<LatencyKnob, kNumTimingClasses> kLatencyKnobs = {{
    {"alu", 1}, {"mul", 3}, {"div", 20}, {"load", 2}, {"store", 1}, {"branch", 1}, {"sys", 1},
}};

struct IssConfig {
  // Speculation hardware and memory.
  unsigned storeBufferEntries = 32;  // iss.store_buffer_entries  1..256
  unsigned aliasRegisters = 8;       // iss.alias_registers       1..8
  unsigned tlbEntries = 64;          // iss.tlb_entries           1..1024
  unsigned tbitGranule = 128;        // iss.tbit_granule          64..4096, power of two
  uint64_t memBytes = 64ull << 20;   // mem.size_mib              1..4096 (MiB)
  IsaFeatures features{};            // hostisa.*
  // Timing model (docs/iss.md "Timing").
  bool timing = true;                // timing.enabled
  std::array<uint32_t, kNumTimingClasses> latency = {1, 3, 20, 2, 1, 1, 1};
  uint32_t branchTakenPenalty = 2;   // timing.branch_taken_penalty
  uint32_t trapPenalty = 5;          // timing.trap_penalty (trap entry and eret)
  uint32_t commitCycles = 0;         // timing.commit_cycles
  uint32_t rollbackCycles = 1;       // timing.rollback_cycles

  uint32_t latencyOf(TimingClass tc) const { return latency[static_cast<unsigned>(tc)]; }

  // Throws support::ConfigError when a value is out of range.
  void validate() const;
  static IssConfig fromConfig(const support::Config& config);
};

// Defines every knob above in config (idempotent; hostisa.* knobs may also be defined by
// other components with the same type and default).
void defineIssKnobs(support::Config& config);

}  // namespace codemorph::hostisa::iss
