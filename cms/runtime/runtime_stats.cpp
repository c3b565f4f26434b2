// Registration and checkpointing of the runtime's counters (runtime_stats.h).
#include "runtime_stats.h"

#include <codemorph/cms/runtime.h>
#include <codemorph/support/serialize.h>
#include <codemorph/support/stats.h>

#include "runtime_impl.h"

namespace codemorph::cms {

namespace {
struct CauseName {
  unsigned number;
  const char* name;
};
constexpr CauseName kCauseNames[] = {
#define TRAP_CAUSE(id, num, name, desc) {num, name},
#include "codemorph/hostisa/traps.def"
#undef TRAP_CAUSE
};
}  // namespace

void Runtime::registerStats(support::StatsRegistry& r) const {
  const Impl* impl = impl_.get();
  const runtime::RuntimeStats& s = impl->stats;
  r.addFormula("cms.cycles.total", "cycles", "modelled cycles of the run (CMS costs included)",
               [impl] { return static_cast<double>(impl->cycles()); });
  r.addCounter("cms.cycles.interpret", "cycles", "interpreting x86 instructions (gear 1, cost model)", &s.cyclesInterpret);
  r.addCounter("cms.cycles.translate", "cycles", "making translations (gears 2 and 3, cost model)", &s.cyclesTranslate);
  r.addCounter("cms.cycles.cms", "cycles", "service-call overhead, faults, TLB fills, chaining, invalidation (cost model)", &s.cyclesCms);
  r.addCounter("cms.cycles.firmware", "cycles", "core cycles spent in firmware molecules", &s.cyclesFirmware);
  r.addCounter("cms.cycles.idle", "cycles", "HLT: cycles skipped to the next device event", &s.cyclesIdle);
  r.addFormula("cms.cycles.translated", "cycles", "core cycles in translated code (total minus the rest)", [impl] {
    const runtime::RuntimeStats& t = impl->stats;
    const uint64_t rest = t.cyclesInterpret + t.cyclesTranslate + t.cyclesCms + t.cyclesFirmware + t.cyclesIdle;
    const uint64_t total = impl->cycles();
    return static_cast<double>(total > rest ? total - rest : 0);
  });
  r.addCounter("cms.insns.interpreted", "instructions", "x86 instructions retired by the interpreter", &s.insnsInterpreted);
  r.addCounter("cms.insns.translated", "instructions", "x86 instructions retired by translations", &s.insnsTranslated);
  r.addCounter("cms.interrupts", "interrupts", "external interrupts delivered", &s.interruptsDelivered);
  r.addCounter("cms.service_calls", "calls", "service calls from the firmware into the CMS", &s.serviceCalls);
  r.addCounter("cms.translations.gear2", "translations", "basic blocks translated by gear 2", &s.translationsGear2);
  r.addCounter("cms.translations.gear3", "translations", "traces translated by gear 3", &s.translationsGear3);
  r.addCounter("cms.translations.failed", "regions", "regions the translator refused", &s.translationsFailed);
  r.addCounter("cms.translations.self_checking", "translations", "translations that compare their guest code bytes at entry instead of T-bits", &s.selfCheckingTranslations);
  r.addCounter("cms.self_check_misses", "entries", "self-checking translations entered after their code changed (dropped)", &s.selfCheckMisses);
  r.addCounter("cms.retranslations", "translations", "retranslations (adaptive by fault cause, or gear 2 -> 3)", &s.retranslations);
  r.addCounter("cms.interpret_only", "entries", "x86 entry points demoted to interpretation for good", &s.interpretOnlyEntries);
  r.addCounter("cms.chains", "patches", "direct exits chained to their target translation", &s.chains);
  r.addCounter("cms.unchains", "patches", "chained exits restored to fw_dispatch (target invalidated)", &s.unchains);
  r.addCounter("cms.chain_hits", "jumps", "chained exits taken: translated code jumped straight into a translation", &s.chainHits);
  r.addCounter("cms.lookup_hits", "jumps", "firmware lookup-table hits (dispatch without the CMS)", &s.lookupHits);
  r.addCounter("cms.dispatches", "lookups", "lookup misses the CMS answered with a translation (found or made) in the lookup table", &s.dispatches);
  r.addCounter("cms.invalidations", "translations", "translations invalidated (SMC, DMA, memory-map changes)", &s.invalidations);
  r.addCounter("cms.tbit_faults", "faults", "stores to translated code caught by T-bits", &s.tbitFaults);
  r.addCounter("cms.cache_flushes", "flushes", "full translation-cache flushes (cache full, reset)", &s.cacheFlushes);
  r.addCounter("cms.tlb_fills", "fills", "host-TLB fills through an x86 page walk", &s.tlbFills);
  r.addCounter("cms.tcache_bytes", "bytes", "translation-cache occupancy", &s.tcacheBytes);
  for (const CauseName& c : kCauseNames)
    r.addCounter(std::string("cms.rollbacks.") + c.name, "rollbacks", "translations rolled back by this trap cause",
                 &s.rollbacks[c.number]);
}

namespace runtime {

void RuntimeStats::save(support::OutArchive& out) const { out.put(*this); }
void RuntimeStats::load(support::InArchive& in) { *this = in.get<RuntimeStats>(); }

}  // namespace runtime
}  // namespace codemorph::cms
