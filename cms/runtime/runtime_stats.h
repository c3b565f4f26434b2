// The CMS runtime's counters (support/stats.h, prefix "cms."): where the cycles went,
// how many x86 instructions each gear retired, what the translation cache did and why
// translated code was rolled back. Plain members bumped on the hot paths; registered by
// Runtime::registerStats (runtime_stats.cpp).
#pragma once
#include <codemorph/hostisa/isa.h>

#include <array>
#include <cstdint>

namespace codemorph::support {
class StatsRegistry;
class OutArchive;
class InArchive;
}  // namespace codemorph::support

namespace codemorph::cms::runtime {

struct RuntimeStats {
  // Cycles by activity (docs/cms-runtime.md 7); translated = total - the others.
  uint64_t cyclesInterpret = 0;    // gear 1, cost model
  uint64_t cyclesTranslate = 0;    // making translations, cost model
  uint64_t cyclesCms = 0;          // service-call overhead, faults, TLB fills, chaining, invalidation
  uint64_t cyclesFirmware = 0;     // molecules executed in the firmware image
  uint64_t cyclesIdle = 0;         // HLT: time skipped to the next device event
  uint64_t insnsInterpreted = 0;
  uint64_t insnsTranslated = 0;    // retired by translations
  uint64_t interruptsDelivered = 0;
  uint64_t serviceCalls = 0;
  uint64_t translationsGear2 = 0;
  uint64_t translationsGear3 = 0;
  uint64_t translationsFailed = 0; // translate() refused the region
  uint64_t selfCheckingTranslations = 0;
  uint64_t selfCheckMisses = 0;    // self-checking translations that found their code changed
  uint64_t retranslations = 0;     // adaptive (by fault cause) or gear 2 -> 3
  uint64_t interpretOnlyEntries = 0;  // entries demoted to gear 1 for good
  uint64_t chains = 0;             // direct exits patched to jump to a translation
  uint64_t unchains = 0;           // patches undone (invalidation of the target)
  uint64_t dispatches = 0;         // fw_dispatch/fw_dispatch_indirect misses handled by the CMS
  uint64_t chainHits = 0;          // jumps from translated code straight into a translation's entry
  uint64_t lookupHits = 0;         // firmware dispatches that found the translation in the lookup table
  uint64_t invalidations = 0;      // translations invalidated (SMC, DMA, memory map)
  uint64_t tbitFaults = 0;
  uint64_t cacheFlushes = 0;       // full translation-cache flushes (cache full, reset)
  uint64_t tlbFills = 0;
  uint64_t tcacheBytes = 0;        // translation-cache occupancy now
  static constexpr unsigned kCauseSlots = 16;  // trap cause numbers (traps.def) are < 16
  std::array<uint64_t, kCauseSlots> rollbacks{};  // by trap cause

  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);
};

}  // namespace codemorph::cms::runtime
