// The Runtime facade (runtime.h): owns the interpreter and, with translation, the
// core-driven engine; keeps the clock (docs/cms-runtime.md 8).
#include <codemorph/cms/region_translator.h>
#include <codemorph/cms/runtime.h>
#include <codemorph/hostisa/iss/core_api.h>
#include <codemorph/support/serialize.h>

#include <stdexcept>

#include "runtime_impl.h"
#include "translating_engine.h"

namespace codemorph::cms {

Runtime::Impl::Impl(const RuntimeConfig& cfg, hostisa::iss::CoreApi* c, GuestPlatform& p,
                    const CpuModel& model, RegionTranslator* translator)
    : config(cfg), core(c), platform(p), port(p, [this] { return now(); }), interp(port, model) {
  interp.setTimeSource(&port);
  interp.setStoreObserver(&storeFanout);
  if (config.translate) {
    if (!core) throw std::invalid_argument("cms::Runtime: translation needs a core model");
    if (!translator) translator = defaultRegionTranslator();
    if (!translator) throw std::invalid_argument("cms::Runtime: this build has no translator; use --no-translate");
    engine = std::make_unique<runtime::TranslatingEngine>(*this, *translator);
  }
}
Runtime::Impl::~Impl() = default;

uint64_t Runtime::Impl::cycles() const {
  return engine ? ownCycles + core->cycles() + heldCycles : ownCycles;
}

void Runtime::Impl::StoreFanout::onStore(uint64_t physical, unsigned size) {
  // The store went to the core's directMemory(): tell the core (the lockstep Cosim copies
  // it into the RTL's memory; CoreApi::noteHostWrite).
  if (rt_.engine) rt_.core->noteHostWrite(static_cast<uint32_t>(physical), size);
  if (rt_.engine) rt_.engine->onInterpreterStore(physical, size);
  if (user) user->onStore(physical, size);
}

uint64_t Runtime::Impl::instructions() const {
  const uint64_t done = stats.insnsInterpreted + stats.insnsTranslated;
  return engine && !inService ? done + engine->inFlightInstructions() : done;
}

void Runtime::Impl::chargeCycles(uint64_t n) {
  if (!engine) ownCycles += n;
  else if (inService) heldCycles += n;  // returned by the service call in progress
  else core->advanceCycles(n);
}

void Runtime::Impl::idleFor(uint64_t units) {
  if (config.clock == ClockMode::Instructions) {
    idleInstructionSlots += units;
    return;  // cycles do not model idle time in instruction time
  }
  chargeCycles(units);
  stats.cyclesIdle += units;
}

void Runtime::Impl::resetCpu() {
  port.refreshRam();
  interp.reset();
  port.markDeviceViewStale();
  if (engine) engine->reset();
}

Runtime::Runtime(const RuntimeConfig& config, hostisa::iss::CoreApi* core, GuestPlatform& platform,
                 const CpuModel& model, RegionTranslator* translator)
    : impl_(std::make_unique<Impl>(config, core, platform, model, translator)) {}
Runtime::~Runtime() = default;

void Runtime::reset() { impl_->resetCpu(); }
void Runtime::setStoreObserver(StoreObserver* observer) { impl_->storeFanout.user = observer; }

RunOutcome Runtime::run(uint64_t until) {
  return impl_->engine ? impl_->engine->run(until) : impl_->runInterpretOnly(until);
}

uint64_t Runtime::now() const { return impl_->now(); }
uint64_t Runtime::cycles() const { return impl_->cycles(); }
uint64_t Runtime::instructionsRetired() const { return impl_->instructions(); }
uint64_t Runtime::instructionsInterpreted() const { return impl_->stats.insnsInterpreted; }
uint64_t Runtime::instructionsTranslated() const { return impl_->stats.insnsTranslated; }

CpuState& Runtime::cpu() { return impl_->interp.state(); }
const CpuState& Runtime::cpu() const { return impl_->interp.state(); }

void Runtime::invalidatePhysical(uint64_t base, uint64_t size) {
  if (impl_->engine) impl_->engine->invalidatePhysical(base, size);
}
void Runtime::setPhysicalIo(uint64_t base, uint64_t size, bool io) {
  if (impl_->engine) impl_->engine->setPhysicalIo(base, size, io);
}

// Checkpoint section "cmsrt" v1: the x86 state at the last commit point, the clock and
// the counters. Translations are not saved: a loaded run starts with an empty cache and
// retranslates (the core's own checkpoint holds its memory and registers).
void Runtime::save(support::OutArchive& out) const {
  out.beginSection("cmsrt", 1);
  impl_->interp.state().save(out);
  out.put(impl_->ownCycles);
  out.put(impl_->idleInstructionSlots);
  impl_->stats.save(out);
}

void Runtime::load(support::InArchive& in) {
  in.beginSection("cmsrt", 1);
  impl_->interp.state().load(in);
  impl_->ownCycles = in.get<uint64_t>();
  impl_->idleInstructionSlots = in.get<uint64_t>();
  impl_->stats.load(in);
  impl_->port.markDeviceViewStale();
  if (impl_->engine) impl_->engine->reset();
}

}  // namespace codemorph::cms
