// Registration of the ISS stats (name, unit, description) in a support::StatsRegistry.
// The counters are plain members of IssCore bumped by the hot loop.
#include <string>

#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/support/stats.h"
#include "iss_core.h"

namespace codemorph::hostisa::iss {

namespace {
// "tlb-miss" -> "tlb_miss": stat names use underscores.
std::string statName(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch == '-') ch = '_';
  return out;
}
}  // namespace

void Iss::registerStats(support::StatsRegistry& r, const std::string& p) const {
  const IssCore& c = *core_;
  const IssStats& s = c.stats_;
  r.addCounter(p + "cycles", "cycles", "cycle count (earliest issue cycle of the next molecule)", &c.now_);
  r.addCounter(p + "molecules", "molecules", "molecules completed (faulting ones excluded)", &s.molecules);
  r.addCounter(p + "atoms", "atoms", "non-nop atoms of completed molecules", &s.atoms);
  r.addFormula(p + "atoms_per_molecule", "atoms/molecule", "non-nop atoms per completed molecule", [&s] {
    return s.molecules ? static_cast<double>(s.atoms) / static_cast<double>(s.molecules) : 0.0;
  });
  r.addCounter(p + "nops", "atoms", "nop atoms of completed molecules", &s.nops);
  r.addCounter(p + "stall_cycles", "cycles", "issue stall cycles, all causes", &s.stallTotal);
  for (unsigned i = 0; i < kNumStallCauses; ++i) {
    std::string cause = i == kStallFetch ? "fetch"
                        : i == static_cast<unsigned>(TimingClass::Load)
                            ? "load_use"
                            : std::string(timingClassName(static_cast<TimingClass>(i)));
    const char* what = i == kStallFetch ? "waiting for the molecule fetch (MemoryTiming)"
                       : i == static_cast<unsigned>(TimingClass::Store)
                           ? "extra store latency (MemoryTiming)"
                           : "waiting for a source produced by an atom of this timing class";
    r.addCounter(p + "stall." + cause, "cycles", std::string("stall cycles: ") + what, &s.stall[i]);
  }
  r.addCounter(p + "commits", "events", "commit points executed", &s.commits);
  r.addCounter(p + "rollbacks.explicit", "events", "rollback atoms executed outside trap mode", &s.rollbacks[0]);
  for (const TrapCauseInfo& t : trapCauseTable()) {
    const unsigned n = static_cast<unsigned>(t.cause);
    r.addCounter(p + "rollbacks." + statName(t.name), "events",
                 "rollback atoms executed in trap mode with tcause = " + std::string(t.name), &s.rollbacks[n]);
  }
  r.addCounter(p + "rollbacks.other", "events", "rollback atoms in trap mode with an undefined tcause", &s.rollbacks[15]);
  for (const TrapCauseInfo& t : trapCauseTable()) {
    const unsigned n = static_cast<unsigned>(t.cause);
    r.addCounter(p + "traps." + statName(t.name), "events", "traps taken: " + std::string(t.description), &s.traps[n]);
  }
  r.addCounter(p + "sb_high_water", "entries", "gated store buffer occupancy high-water mark", &s.sbHighWater);
  r.addCounter(p + "store_forwards", "loads", "guest loads that took at least one byte from the store buffer", &s.storeForwards);
  r.addCounter(p + "tlb.hits", "lookups", "host TLB lookups that hit (one per page an access touches)", &s.tlbHits);
  r.addCounter(p + "tlb.misses", "lookups", "host TLB lookups that missed", &s.tlbMisses);
  r.addCounter(p + "branches_taken", "events", "taken control transfers (branches, jumps, calls, jalr)", &s.branchesTaken);
  r.addCounter(p + "service_calls", "events", "svc atoms executed", &s.serviceCalls);
  r.addCounter(p + "service_cycles", "cycles", "cycles the core was held by service handlers", &s.serviceCycles);
}

}  // namespace codemorph::hostisa::iss
