// Which code gets translated, how, and what happens when translated code is written
// (docs/cms-runtime.md 1, 4, 6): making a gear-2 block or gear-3 trace with the options
// the entry's history asks for (no hoisting after ALIAS, smaller after SB_OVERFLOW or
// repeated faults, I/O-safe after IO_SPACE), and self-modifying code: a store into a
// translated T-bit granule invalidates exactly the translations covering that granule;
// an entry whose code keeps being invalidated gets self-checking translations (no T-bits,
// so data written next to it costs nothing), and if its code really keeps changing, or a
// self-check is impossible (a region that stores, or too long), it stays interpreted.
#include <codemorph/firmware/abi.h>
#include <codemorph/firmware/firmware.h>

#include <algorithm>

#include "region_builder.h"
#include "runtime_impl.h"
#include "self_check.h"
#include "translating_engine.h"

namespace codemorph::cms::runtime {

using namespace codemorph::firmware;

namespace {
constexpr unsigned kTraceInsns = 64;
constexpr unsigned kLoopCopies = 8;  // a gear-3 loop trace holds up to this many copies of the body
constexpr uint32_t kSmcLimit = 3;  // invalidations by stores before an entry gets self-checking translations
constexpr uint32_t kSelfCheckMissLimit = 8;  // changed code seen by self-checks before it stays interpreted
}  // namespace

TranslatingEngine::EntryKey TranslatingEngine::keyOf(uint32_t eip, uint32_t physical) {
  return {contexts_.idFor(rt_.interp.state()), eip, physical};
}

bool TranslatingEngine::translateEntry(const EntryKey& key, EntryState& entry, bool trace) {
  RegionRequest req;
  req.entryEip = std::get<1>(key);
  req.maxInsns = trace ? std::max(entry.maxInsns, kTraceInsns) : entry.maxInsns;
  if (trace && entry.maxInsns < 32) req.maxInsns = entry.maxInsns;  // shrunk after faults
  req.trace = trace;
  req.maxCopies = trace ? kLoopCopies : 1;
  req.profile = &branches_;
  req.translator = &translator_;
  std::optional<Region> region = buildRegion(rt_.interp, rt_.port, req);
  if (!region) return false;

  translator::TranslateRequest tr;
  tr.insns = region->insns;
  tr.mode = regionMode(rt_.interp.state(), rt_.interp.model());
  tr.options.gear = trace ? translator::Gear::Optimized : translator::Gear::Quick;
  tr.options.maxAtoms = rt_.config.maxAtoms;
  tr.options.aliasHoisting = rt_.config.aliasHoisting && rt_.config.aliasHardware && !entry.noHoist;
  tr.options.aliasRegisters = rt_.config.aliasRegisters;
  tr.options.x86Flags = rt_.config.x86Flags;  // off: the translator refuses, code stays interpreted
  tr.options.partialRegs = rt_.config.partialRegs;
  tr.options.seg_agen = rt_.config.segAgen;
  tr.options.ioSafe = entry.ioSafe;
  tr.options.chainable = rt_.config.chaining;
  tr.options.maxStores = rt_.config.storeBufferEntries;
  tr.placement.fwDispatch = regionBase_ + entries().dispatch;
  tr.placement.fwDispatchIndirect = regionBase_ + entries().dispatchIndirect;
  tr.placement.fwInterpret = regionBase_ + entries().interpret;
  tr.placement.fwExitBudget = regionBase_ + entries().exitBudget;

  // Rewritten code (entry.selfCheck): a self-checking prologue in front of the translation
  // replaces the T-bits, for regions that are short enough and store nothing (a store could
  // rewrite the region's own later instructions after the check).
  const uint32_t span = region->physEnd - region->physStart;
  if (entry.selfCheck && span > kSelfCheckMaxBytes) return giveUp(entry);
  const uint32_t prologue = entry.selfCheck ? selfCheckPrologueBytes(span) : 0;
  translator::TranslateResult result;
  uint32_t base = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    base = static_cast<uint32_t>(cache_->tcacheBase() + cache_->bytesUsed());
    tr.placement.hostBase = base + prologue;
    result = translator_.translate(tr);
    // An unrolled loop the translator had to cut short (store bound, size): fewer copies,
    // so that the final exit stays the back edge (which chains to the translation itself).
    while (result.ok && region->copies > 1 && result.translation.x86Instructions < tr.insns.size()) {
      --region->copies;
      tr.insns.resize(size_t{region->loopBody} * region->copies);
      result = translator_.translate(tr);
    }
    if (!result.ok) {
      ++rt_.stats.translationsFailed;
      return false;
    }
    if (entry.selfCheck && result.translation.stores > 0) return giveUp(entry);
    if (cache_->allocate(prologue + static_cast<uint32_t>(result.translation.code.size()))) break;
    // Full: flush everything and translate again at the start of the empty cache.
    cache_->flush();
    if (attempt == 1) return false;
  }
  const translator::Translation& t = result.translation;
  const uint64_t cost = uint64_t{t.x86Instructions} *
                        (trace ? rt_.config.cost.translatePerInsnGear3 : rt_.config.cost.translatePerInsnGear2);
  rt_.chargeCycles(cost);
  rt_.stats.cyclesTranslate += cost;
  (trace ? rt_.stats.translationsGear3 : rt_.stats.translationsGear2) += 1;
  if (entry.translations++ > 0) ++rt_.stats.retranslations;

  TranslationRecord rec;
  rec.context = std::get<0>(key);
  rec.eip = std::get<1>(key);
  rec.physEntry = std::get<2>(key);
  rec.physStart = region->physStart;
  rec.physEnd = region->physEnd;
  rec.hostBase = base;
  rec.gear = trace ? 3 : 2;
  rec.final = trace;
  rec.x86Instructions = t.x86Instructions;
  for (const translator::Exit& e : t.exits) {
    ExitSite site;
    site.hostJump = tr.placement.hostBase + e.jumpOffset;
    site.targetEip = e.targetEip;
    site.kind = e.kind;
    rec.exits.push_back(site);
  }
  if (entry.selfCheck) {
    const auto ram = rt_.port.ram();
    rec.selfChecking = true;
    rec.guestBytes.assign(ram.begin() + region->physStart, ram.begin() + region->physEnd);
    std::vector<uint8_t> code = selfCheckPrologue(base, region->physStart, rec.guestBytes, rec.eip,
                                                  tr.placement.hostBase, tr.placement.fwInterpret);
    code.insert(code.end(), t.code.begin(), t.code.end());
    ++rt_.stats.selfCheckingTranslations;
    cache_->install(std::move(rec), code);
    return true;
  }
  cache_->install(std::move(rec), t.code);
  return true;
}

bool TranslatingEngine::giveUp(EntryState& entry) {
  if (!entry.interpretOnly) {
    entry.interpretOnly = true;
    ++rt_.stats.interpretOnlyEntries;
  }
  return false;
}

void TranslatingEngine::dropChangedSelfChecking(uint32_t eip, uint32_t physical) {
  const auto ram = rt_.port.ram();
  for (uint32_t id : std::vector<uint32_t>(cache_->selfCheckingIds())) {
    const TranslationRecord* r = cache_->record(id);
    if (!r->valid || r->eip != eip || r->physEntry != physical) continue;
    if (std::equal(r->guestBytes.begin(), r->guestBytes.end(), ram.begin() + r->physStart)) continue;
    ++rt_.stats.selfCheckMisses;
    EntryState& entry = entries_[{r->context, r->eip, r->physEntry}];
    if (++entry.selfCheckMisses >= kSelfCheckMissLimit) giveUp(entry);
    cache_->invalidate(id);
  }
}

void TranslatingEngine::demote(const TranslationRecord& r, EntryState& entry) {
  if (entry.maxInsns > 1) {
    entry.maxInsns = std::max(1u, std::min(entry.maxInsns, r.x86Instructions) / 2);
  } else if (!entry.interpretOnly) {
    entry.interpretOnly = true;
    ++rt_.stats.interpretOnlyEntries;
  }
  cache_->invalidate(r.id);
}

void TranslatingEngine::invalidateGranules(uint64_t physical, unsigned size) {
  const uint64_t granule = rt_.config.tbitGranule;
  const uint64_t first = physical & ~(granule - 1);
  const uint64_t end = ((physical + size + granule - 1) & ~(granule - 1));
  // Which entries lose a translation: they count towards staying interpreted.
  for (uint32_t id : cache_->covering(first, end - first)) {
    const TranslationRecord* r = cache_->record(id);
    EntryState& entry = entries_[{r->context, r->eip, r->physEntry}];
    if (++entry.smcInvalidations >= kSmcLimit) entry.selfCheck = true;
    cache_->invalidate(id);
  }
}

void TranslatingEngine::onInterpreterStore(uint64_t physical, unsigned size) {
  if (cache_->protectedGranule(physical) || cache_->protectedGranule(physical + size - 1))
    invalidateGranules(physical, size);
}

}  // namespace codemorph::cms::runtime
