// The core-driven engine: machine setup (reserved region, firmware image, I/O bus, store
// watch) and the run loop: the core runs in bulk and attributes its cycles (firmware vs
// translated code) and the jumps into translations itself (CoreApi::setRunAccounting);
// a core model without that is stepped one molecule at a time. See translating_engine.h.
#include "translating_engine.h"

#include <codemorph/firmware/abi.h>
#include <codemorph/firmware/firmware.h>

#include <cstdio>
#include <stdexcept>

#include "runtime_impl.h"

namespace codemorph::cms::runtime {

using namespace codemorph::firmware;

// The core's I/O space (ldio/stio, host accesses to I/O pages) is the platform's physical
// bus; PlatformPort synchronizes the devices before each access.
class TranslatingEngine::CoreIo final : public hostisa::iss::IoBus {
 public:
  CoreIo(Runtime::Impl& rt, TranslatingEngine& engine) : rt_(rt), engine_(engine) {}
  uint32_t read(uint32_t paddr, unsigned size) override {
    const uint32_t v = rt_.port.readPhysical(paddr, size);
    engine_.afterCoreIo();
    return v;
  }
  void write(uint32_t paddr, unsigned size, uint32_t value) override {
    rt_.port.writePhysical(paddr, size, value);
    engine_.afterCoreIo();
  }

 private:
  Runtime::Impl& rt_;
  TranslatingEngine& engine_;
};

// A device access by translated code may have moved the next event or the INTR line, which
// only the CMS looks at: shift the budget (working and committed r30, and the reference
// the CMS counts retired instructions from, by the same amount, so the count stays exact)
// below what any region needs, so the next region entry returns to the CMS.
void TranslatingEngine::afterCoreIo() {
  constexpr int64_t kBeyondAnyRegion = 65;  // > the longest region (64 instructions)
  const int64_t working = static_cast<int32_t>(core_.reg(kReg_budget));
  const int64_t shift = working + kBeyondAnyRegion;
  if (shift <= 0) return;
  core_.setReg(kReg_budget, static_cast<uint32_t>(working - shift));
  core_.setShadowReg(kReg_budget, static_cast<uint32_t>(static_cast<int32_t>(core_.shadowReg(kReg_budget)) - shift));
  lastBudget_ -= shift;
}

TranslatingEngine::TranslatingEngine(Runtime::Impl& rt, RegionTranslator& translator)
    : rt_(rt), core_(*rt.core), translator_(translator) {
  const auto mem = core_.directMemory();
  const auto ram = rt.platform.ram();
  if (mem.empty()) throw std::invalid_argument("cms::Runtime: the core model does not share its memory (directMemory)");
  if (!ram.empty() && ram.data() != mem.data())
    throw std::invalid_argument("cms::Runtime: the platform's RAM must be the core's memory (CoreApi::directMemory)");
  regionBytes_ = rt.config.reservedMiB << 20;
  if (core_.memorySize() < uint64_t{regionBytes_} + ram.size() || regionBytes_ <= kAbi_TCACHE_OFFSET)
    throw std::invalid_argument("cms::Runtime: guest RAM and the CMS-reserved region do not fit in the core's memory");
  regionBase_ = static_cast<uint32_t>(core_.memorySize() - regionBytes_);
  fwHalt_ = regionBase_ + entries().halt;

  core_.writeMemory(regionBase_, image());
  TranslationCache::Layout layout{regionBase_, regionBytes_, regionBase_ + entries().dispatch,
                                  rt.config.tbitGranule, ram.size(), rt.config.hotThreshold, rt.config.chaining};
  cache_ = std::make_unique<TranslationCache>(core_, layout, rt.stats);
  io_ = std::make_unique<CoreIo>(rt, *this);
  core_.setIoBus(io_.get());
  core_.setServiceHandler(this);
  // Firmware cycles and jumps into translations, counted by the core inside run() (the
  // same rules as the molecule-by-molecule loop below, which is the fallback).
  hostisa::iss::RunAccounting acct;
  acct.cyclesLo = regionBase_;
  acct.cyclesHi = regionBase_ + kAbi_TCACHE_OFFSET;
  acct.cycles = &rt.stats.cyclesFirmware;
  acct.landLo = regionBase_ + kAbi_TCACHE_OFFSET;
  acct.landHi = uint64_t{1} << 32;
  acct.nearBytes = 32;
  acct.observer = this;
  coreAccounts_ = core_.setRunAccounting(&acct);
}

TranslatingEngine::~TranslatingEngine() {
  if (coreAccounts_) core_.setRunAccounting(nullptr);
  core_.setServiceHandler(nullptr);
  core_.setIoBus(nullptr);
}

void TranslatingEngine::reset() {
  cache_->flush();
  entries_.clear();
  branches_.clear();
  core_.tlbFlush();
  if (!rt_.inService) needBoot_ = true;
}

void TranslatingEngine::invalidatePhysical(uint64_t base, uint64_t size) {
  cache_->invalidatePhysical(base, size);
  core_.tlbFlush();  // the page may have changed between RAM and I/O
}

void TranslatingEngine::setPhysicalIo(uint64_t base, uint64_t size, bool io) {
  if (base >= (uint64_t{1} << 32) || size == 0) return;
  const uint64_t end = std::min<uint64_t>(base + size, uint64_t{1} << 32);
  core_.setIoSpace(static_cast<uint32_t>(base), static_cast<uint32_t>(end - base), io);
  invalidatePhysical(base, end - base);
}

// Retired since the last service call: r30 went down by whole regions at their entries and
// came back up at their exits. Inside a translation (an I/O access from translated code)
// its entry already took all N of its instructions, so they are not counted: the access
// happens at the region's first instruction, which is exact for the one-instruction regions
// the CMS makes for I/O-safe code (translation_policy.cpp).
uint64_t TranslatingEngine::inFlightInstructions() const {
  int64_t retired = lastBudget_ - static_cast<int32_t>(core_.reg(kReg_budget));
  if (const uint32_t pc = core_.pc(); pc >= cache_->tcacheBase())
    if (const TranslationRecord* t = cache_->containing(pc)) retired -= t->x86Instructions;
  return retired > 0 ? static_cast<uint64_t>(retired) : 0;
}

void TranslatingEngine::stopRun(RunOutcome outcome) {
  pending_ = std::move(outcome);
  core_.setPc(fwHalt_);
}

RunOutcome TranslatingEngine::run(uint64_t until) {
  until_ = until;
  pending_.reset();
  if (needBoot_) {
    rt_.ownCycles += core_.cycles();  // reset clears the core's counter; time goes on
    core_.reset(regionBase_ + entries().reset);
    needBoot_ = false;
  } else {
    // The caller may have changed the x86 state (loaders, test harnesses): the core
    // continues at the dispatcher with it (the molecule after fw_halt commits it).
    if (core_.stopped()) core_.resume();
    core_.setPc(regionBase_ + entries().resume);
    resumeWithCpuState();
  }
  const uint32_t tcache = regionBase_ + kAbi_TCACHE_OFFSET;
  for (;;) {
    if (coreAccounts_) {
      // Bulk: the core attributes firmware cycles and counts hits (landed()) itself.
      core_.run();
      return stopped();
    }
    const uint32_t pc = core_.pc();
    const uint64_t before = core_.cycles();
    serviceCyclesOfLastStep_ = 0;
    const bool ran = core_.step();
    // Cycles of this molecule, without what a service call charged to the CMS's own
    // categories: firmware if it came from the firmware image, else translated code.
    const uint64_t spent = core_.cycles() - before - serviceCyclesOfLastStep_;
    const bool fromFirmware = pc >= regionBase_ && pc < tcache;
    if (fromFirmware) rt_.stats.cyclesFirmware += spent;
    if (ran) {
      // Control reaching a translation's first molecule: from the firmware's probe (lookup
      // hit) or from translated code (a chained exit). Only taken jumps are looked at.
      const uint32_t next = core_.pc();
      if (next >= tcache && (next < pc || next > pc + 32)) {
        if (const TranslationRecord* t = cache_->containing(next); t && t->hostBase == next)
          ++(fromFirmware ? rt_.stats.lookupHits : rt_.stats.chainHits);
      }
      continue;
    }
    return stopped();
  }
}

void TranslatingEngine::landed(uint32_t from, uint32_t to) {
  if (cache_->isEntry(to))
    ++(from >= regionBase_ && from < regionBase_ + kAbi_TCACHE_OFFSET ? rt_.stats.lookupHits : rt_.stats.chainHits);
}

RunOutcome TranslatingEngine::stopped() {
  const hostisa::iss::StopInfo si = core_.stopInfo();
  if (si.reason == hostisa::iss::StopReason::Halted && si.pc == fwHalt_ && pending_) {
    RunOutcome out = std::move(*pending_);
    pending_.reset();
    return out;
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "core stopped: %s (cause %u, pc 0x%08X, tval 0x%08X)",
                std::string(hostisa::iss::stopReasonName(si.reason)).c_str(), static_cast<unsigned>(si.cause),
                si.pc, si.tval);
  return {RunStop::CoreError, buf};
}

}  // namespace codemorph::cms::runtime
