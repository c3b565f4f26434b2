// The firmware's service calls (abi.def ABI_SERVICE; docs/cms-runtime.md 1, 6). Every call
// except TLB_FILL starts from committed state (an x86 instruction boundary, r9 = EIP):
// the CMS pulls the x86 state, counts what translations retired (budget register r30),
// does the work, looks at devices and interrupts (the only place they are looked at while
// the core runs), and pushes the state back with a new budget. The firmware commits it.
#include <codemorph/firmware/abi.h>
#include <codemorph/firmware/firmware.h>

#include <algorithm>

#include "region_builder.h"
#include "register_sync.h"
#include "runtime_impl.h"
#include "translating_engine.h"

namespace codemorph::cms::runtime {

using namespace codemorph::firmware;
using hostisa::Sreg;
using hostisa::TrapCause;

namespace {
constexpr int64_t kMaxBudget = int64_t{1} << 30;
constexpr unsigned kGear1BlockInsns = 32;
}  // namespace

uint64_t TranslatingEngine::service(unsigned number, hostisa::iss::CoreApi&) {
  rt_.inService = true;
  rt_.heldCycles = 0;
  ++rt_.stats.serviceCalls;
  rt_.chargeCycles(rt_.config.cost.serviceCall);
  rt_.stats.cyclesCms += rt_.config.cost.serviceCall;
  switch (static_cast<Service>(number)) {
    case Service::BOOT: boot(); break;
    case Service::DISPATCH: onDispatch(false); break;
    case Service::INTERPRET: onDispatch(true); break;
    case Service::BUDGET: onBudget(); break;
    case Service::FAULT: onFault(); break;
    case Service::PROMOTE: onPromote(); break;
    case Service::TLB_FILL: core_.setReg(kReg_result, onTlbFill() ? 0u : 1u); break;
    default: stopRun({RunStop::CoreError, "firmware called unknown service " + std::to_string(number)}); break;
  }
  // Chaining and invalidation work of this call (cost model).
  const uint64_t patches = rt_.stats.chains + rt_.stats.unchains;
  const uint64_t work = (patches - patchesCharged_) * rt_.config.cost.chain +
                        (rt_.stats.invalidations - invalidationsCharged_) * rt_.config.cost.invalidate;
  patchesCharged_ = patches;
  invalidationsCharged_ = rt_.stats.invalidations;
  rt_.chargeCycles(work);
  rt_.stats.cyclesCms += work;
  const uint64_t held = rt_.heldCycles;
  rt_.heldCycles = 0;
  rt_.inService = false;
  serviceCyclesOfLastStep_ = held;
  return held;
}

void TranslatingEngine::boot() {
  core_.setReg(kReg_fwbase, regionBase_);
  core_.setReg(kReg_lookup_base, regionBase_ + kAbi_LOOKUP_OFFSET);
  core_.setReg(kReg_lookup_mask, kAbi_LOOKUP_ENTRIES - 1);
  core_.setReg(kReg_hot, rt_.config.hotThreshold);
  core_.setReg(kReg_data, regionBase_ + kAbi_DATA_OFFSET);
  core_.setSreg(static_cast<unsigned>(Sreg::TVEC), regionBase_ + entries().trap);
  lastBudget_ = 0;
  core_.setReg(kReg_budget, 0);
  lastTlbEvents_ = rt_.interp.tlbFlushEvents();
  lastA20_ = rt_.interp.state().a20;
  lastCpl_ = rt_.interp.state().cpl;
  finishService();
}

void TranslatingEngine::resumeWithCpuState() {
  const CpuState& s = rt_.interp.state();
  checkLinearView();
  pushX86State(s, core_);
  core_.setReg(kReg_context, contexts_.idFor(s));
  setBudget();
}

// r30 counts down by the instructions translations retire (docs/cms-runtime.md 4.1, 4.3).
void TranslatingEngine::accountTranslated() {
  const int64_t budget = static_cast<int32_t>(core_.reg(kReg_budget));
  if (lastBudget_ > budget) rt_.stats.insnsTranslated += static_cast<uint64_t>(lastBudget_ - budget);
  lastBudget_ = budget;
}

// The x86 would flush its TLB (INVLPG, CR0/CR3/CR4 writes), A20 moved, or CPL changed
// (host TLB entries carry the rights of the CPL they were filled at): drop the host TLB
// and every linear-address view of the translation cache.
void TranslatingEngine::checkLinearView() {
  const CpuState& s = rt_.interp.state();
  const uint64_t events = rt_.interp.tlbFlushEvents();
  if (events == lastTlbEvents_ && s.a20 == lastA20_ && s.cpl == lastCpl_) return;
  const bool mappingChanged = events != lastTlbEvents_ || s.a20 != lastA20_;
  lastTlbEvents_ = events;
  lastA20_ = s.a20;
  lastCpl_ = s.cpl;
  core_.tlbFlush();
  if (mappingChanged) cache_->dropLinearViews();
}

void TranslatingEngine::setBudget() {
  rt_.syncDevices();
  const uint64_t now = rt_.now();
  const uint64_t limit = std::min(rt_.deadline, until_);
  uint64_t units = limit > now ? limit - now : 0;
  if (rt_.config.clock == ClockMode::Cycles) {
    // Cycles until the event / the measured cycles per translated instruction (at least
    // 1), so that translated code returns to the CMS about when the event is due.
    const uint64_t insns = std::max<uint64_t>(rt_.stats.insnsTranslated, 1);
    const uint64_t translatedCycles = rt_.cycles() - std::min(rt_.cycles(), rt_.stats.cyclesInterpret + rt_.stats.cyclesTranslate +
                                                                            rt_.stats.cyclesCms + rt_.stats.cyclesFirmware + rt_.stats.cyclesIdle);
    const uint64_t cpi = std::max<uint64_t>(1, (translatedCycles + insns - 1) / insns);
    units /= cpi;
  }
  lastBudget_ = std::min<int64_t>(static_cast<int64_t>(std::min<uint64_t>(units, kMaxBudget)), kMaxBudget);
  core_.setReg(kReg_budget, static_cast<uint32_t>(lastBudget_));
}

void TranslatingEngine::finishService() {
  if (!pending_) {
    for (;;) {
      if (auto out = rt_.atBoundary(until_)) {
        stopRun(std::move(*out));
        break;
      }
      if (!rt_.interruptHeldByShadow()) break;
      const StopReason st = rt_.interpretStep();
      if (st == StopReason::TripleFault || st == StopReason::Unimplemented) {
        stopRun(rt_.outcomeOf(st));
        break;
      }
    }
  }
  checkLinearView();
  const CpuState& s = rt_.interp.state();
  pushX86State(s, core_);
  core_.setReg(kReg_context, contexts_.idFor(s));
  setBudget();
}

void TranslatingEngine::interpretBlock(unsigned maxSteps) {
  RegionRequest req;
  req.entryEip = rt_.interp.state().eip;
  req.maxInsns = std::min(maxSteps, kGear1BlockInsns);
  const std::optional<Region> block = buildRegion(rt_.interp, rt_.port, req);
  // Code that is not a block in RAM (ROM, a #PF on fetch, undecodable) is interpreted for
  // up to a block's worth of instructions without profiling: nothing there is translated.
  const unsigned steps = block ? static_cast<unsigned>(block->insns.size()) : req.maxInsns;
  for (unsigned i = 0; i < steps; ++i) {
    if (i > 0) {
      if (auto out = rt_.atBoundary(until_)) {
        stopRun(std::move(*out));
        return;
      }
    }
    const CpuState& s = rt_.interp.state();
    if (block && s.eip != block->insns[i].eip) return;  // an interrupt or exception left the block
    const StopReason st = rt_.interpretStep();
    if (st == StopReason::TripleFault || st == StopReason::Unimplemented) {
      stopRun(rt_.outcomeOf(st));
      return;
    }
    if (block && block->insns[i].insn.mnemonic == x86::Mnemonic::JCC) {
      const translator::RegionInsn& ri = block->insns[i];
      const uint32_t pa = block->physEntry + (ri.eip - block->insns[0].eip);
      branches_.record(pa, s.eip != ri.eip + ri.insn.length);
    }
    if (s.halted) return;
  }
}

void TranslatingEngine::onDispatch(bool mustInterpret) {
  CpuState& s = rt_.interp.state();
  pullX86State(core_, s);
  accountTranslated();
  checkLinearView();
  if (auto out = rt_.atBoundary(until_)) {
    stopRun(std::move(*out));
    finishService();
    return;
  }
  if (mustInterpret) {  // a self-check that failed leaves through fw_interpret too
    const LinearTranslation at = rt_.interp.translateLinear(s.seg[kCS].base + s.eip, Interpreter::Access::Execute);
    if (at.ok) dropChangedSelfChecking(s.eip, at.physical);
  }
  if (!rt_.config.translate || !translationAllowed(s) || mustInterpret) {
    interpretBlock(kGear1BlockInsns);
    finishService();
    return;
  }
  const LinearTranslation fetch = rt_.interp.translateLinear(s.seg[kCS].base + s.eip, Interpreter::Access::Execute);
  if (!fetch.ok) {  // the interpreter delivers the #PF
    interpretBlock(1);
    finishService();
    return;
  }
  const EntryKey key = keyOf(s.eip, fetch.physical);
  if (const TranslationRecord* t = cache_->find(std::get<0>(key), s.eip, fetch.physical)) {
    cache_->enterLookup(t->id);  // the firmware probes again and hits
    ++rt_.stats.dispatches;
    finishService();
    return;
  }
  EntryState& entry = entries_[key];
  if (!entry.interpretOnly && entry.executions >= rt_.config.threshold) {
    if (translateEntry(key, entry, false)) {
      ++rt_.stats.dispatches;
      finishService();
      return;
    }
    entry.interpretOnly = true;
    ++rt_.stats.interpretOnlyEntries;
  }
  ++entry.executions;
  interpretBlock(kGear1BlockInsns);
  finishService();
}

// A translation's entry check failed: fewer instructions allowed than the region has.
// Interpret up to the budget (at least one instruction), so the next device event is
// reached on the same instruction as in an interpreted run.
void TranslatingEngine::onBudget() {
  pullX86State(core_, rt_.interp.state());
  accountTranslated();
  checkLinearView();
  if (auto out = rt_.atBoundary(until_)) {
    stopRun(std::move(*out));
  } else {
    // Up to the instructions left until the event (a budget shifted below zero after a
    // device access by translated code: one instruction, then a fresh budget).
    const int64_t left = lastBudget_ > 0 ? lastBudget_ : 1;
    interpretBlock(static_cast<unsigned>(std::clamp<int64_t>(left, 1, kGear1BlockInsns)));
  }
  finishService();
}

bool TranslatingEngine::onTlbFill() {
  ++rt_.stats.tlbFills;
  rt_.chargeCycles(rt_.config.cost.tlbFill);
  rt_.stats.cyclesCms += rt_.config.cost.tlbFill;
  const uint32_t data = regionBase_ + kAbi_DATA_OFFSET;
  uint32_t frame[4];
  core_.readMemory(data, {reinterpret_cast<uint8_t*>(frame), sizeof frame});
  const uint32_t linear = frame[kAbi_DATA_TRAP_VAL / 4];
  const bool write = (frame[kAbi_DATA_TRAP_INFO / 4] & 1u) != 0;
  const LinearTranslation t = rt_.interp.translateLinear(linear, write ? Interpreter::Access::Write : Interpreter::Access::Read);
  if (!t.ok) return false;  // an x86 #PF: rollback, and the interpreter delivers it precisely
  const uint32_t page = t.physical & ~0xFFFu;
  const bool ram = write ? rt_.port.directWrite(page, 1) : rt_.port.directRead(page, 1);
  // Plain RAM, or an I/O page (the core sends its accesses to the platform); anything else
  // (the CMS-reserved range, unmapped holes) is left to the interpreter.
  if (!ram && !core_.isIoSpace(page)) return false;
  core_.tlbInsert(linear & ~0xFFFu, page | hostisa::kTlbValid | (write ? hostisa::kTlbWritable | hostisa::kTlbDirtyOk : 0u));
  return true;
}

void TranslatingEngine::onFault() {
  CpuState& s = rt_.interp.state();
  pullX86State(core_, s);
  accountTranslated();
  core_.setSreg(static_cast<unsigned>(Sreg::TSTATUS), 0);  // leave trap mode (also if the run stops here)
  rt_.chargeCycles(rt_.config.cost.faultHandling);
  rt_.stats.cyclesCms += rt_.config.cost.faultHandling;
  const uint32_t data = regionBase_ + kAbi_DATA_OFFSET;
  uint32_t frame[4];
  core_.readMemory(data, {reinterpret_cast<uint8_t*>(frame), sizeof frame});
  const auto cause = static_cast<TrapCause>(frame[kAbi_DATA_TRAP_CAUSE / 4]);
  const uint32_t tval = frame[kAbi_DATA_TRAP_VAL / 4];
  const uint32_t tpc = frame[kAbi_DATA_TRAP_PC / 4];
  if (static_cast<unsigned>(cause) < rt_.stats.rollbacks.size()) ++rt_.stats.rollbacks[static_cast<unsigned>(cause)];
  const TranslationRecord* rec = cache_->containing(tpc);
  const uint32_t regionInsns = rec ? rec->x86Instructions : 1;
  if (rec) {
    EntryState& entry = entries_[{rec->context, rec->eip, rec->physEntry}];
    ++entry.faults;
    const uint32_t id = rec->id;
    switch (cause) {
      case TrapCause::TBIT:  // a store into translated code: self-modifying code
        ++rt_.stats.tbitFaults;
        invalidateGranules(tval, 1);
        break;
      case TrapCause::ALIAS:
        entry.noHoist = true;
        cache_->invalidate(id);
        break;
      case TrapCause::SB_OVERFLOW:
        entry.maxInsns = std::max(1u, rec->x86Instructions / 2);
        cache_->invalidate(id);
        break;
      case TrapCause::IO_SPACE: case TrapCause::IO_ORDER:
        // I/O-safe, and one instruction per region, so that a device access happens at a
        // known instruction count (instruction time, inFlightInstructions).
        entry.ioSafe = true;
        entry.maxInsns = 1;
        cache_->invalidate(id);
        break;
      case TrapCause::TLB_MISS: case TrapCause::TLB_PROT: case TrapCause::TLB_DIRTY:
      case TrapCause::SEGMENT: case TrapCause::DIVIDE:
        // x86 exceptions (#PF, #GP/#SS on a limit, #DE): the interpreter raises them. A
        // region that keeps faulting gets smaller, then interpreted.
        if (entry.faults % 8 == 0) demote(*rec, entry);
        break;
      default:  // ILLEGAL, BUS_ERROR, FETCH ...: never trust this translation again
        entry.interpretOnly = true;
        ++rt_.stats.interpretOnlyEntries;
        cache_->invalidate(id);
        break;
    }
  }
  // Re-execute the region from its committed entry state in the interpreter: a genuine x86
  // exception is raised and delivered precisely there.
  interpretBlock(std::max(1u, std::min(regionInsns, kGear1BlockInsns)));
  finishService();
}

void TranslatingEngine::onPromote() {
  CpuState& s = rt_.interp.state();
  pullX86State(core_, s);
  accountTranslated();
  checkLinearView();
  const LinearTranslation fetch = rt_.interp.translateLinear(s.seg[kCS].base + s.eip, Interpreter::Access::Execute);
  if (fetch.ok && translationAllowed(s)) {
    const EntryKey key = keyOf(s.eip, fetch.physical);
    const TranslationRecord* t = cache_->find(std::get<0>(key), s.eip, fetch.physical);
    if (t && t->gear == 2) {
      EntryState& entry = entries_[key];
      // Gear 3 could not do better: the gear-2 block becomes a chain target as it is (found
      // again: making the trace may have flushed the cache).
      if (!translateEntry(key, entry, true))
        if (const TranslationRecord* again = cache_->find(std::get<0>(key), s.eip, fetch.physical))
          cache_->makeFinal(again->id);
    }
  }
  onDispatch(false);
}

}  // namespace codemorph::cms::runtime
