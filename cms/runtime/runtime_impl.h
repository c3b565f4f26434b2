// Runtime::Impl: the state shared by the runtime's parts (runtime.cpp facade, the clock,
// the interpret-only engine, and with translation the core-driven engine).
//
// Time (docs/cms-runtime.md 8): `now()` is in the clock's units. In cycle time it is the
// modelled cycle count; in instruction time the retired x86 instructions plus the
// instruction slots skipped while halted (HLT advances time to the next device event).
#pragma once
#include <codemorph/cms/interpreter.h>
#include <codemorph/cms/runtime.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "platform_port.h"
#include "runtime_stats.h"

namespace codemorph::cms::runtime {
class TranslatingEngine;
}

namespace codemorph::cms {

class Runtime::Impl {
 public:
  Impl(const RuntimeConfig& config, hostisa::iss::CoreApi* core, GuestPlatform& platform,
       const CpuModel& model, RegionTranslator* translator);
  ~Impl();

  // ---- time -----------------------------------------------------------------------
  uint64_t cycles() const;
  // Interpreted + translated, including the instructions of the translation in flight.
  uint64_t instructions() const;
  uint64_t now() const {
    return config.clock == ClockMode::Cycles ? cycles() : instructions() + idleInstructionSlots;
  }
  // Charges n cost-model cycles (to the core's counter when there is one).
  void chargeCycles(uint64_t n);
  // Time skipped while halted, in clock units.
  void idleFor(uint64_t clockUnits);

  // ---- devices (docs/cms-runtime.md 6, 8) -------------------------------------------
  // Brings the platform to now() if the device view is stale or a device event is due,
  // and refreshes `deadline` (next event) and `intrLine`.
  // Returns true if it synchronized (only then can a stop or reset request be new).
  bool syncDevices();
  // If INTR is pending and the interpreter's window is open: acknowledge (the PIC's INTA
  // cycle happens at delivery) and deliver through the interpreter. Returns the
  // interpreter's stop reason of the delivery step (None when nothing was delivered).
  StopReason deliverPendingInterrupt();
  // x86 power-on reset (SDM Vol. 3A 9.1.1) and, with translation, a cache flush.
  void resetCpu();

  // Gear 1: one interpreter step with accounting.
  StopReason interpretStep();
  // One x86 instruction boundary: devices (sync when due or after I/O), stop and reset
  // requests, the run limit, interrupt delivery, HLT idling until the next event. Returns
  // an outcome that ends the run, or nullopt when the CPU may execute an instruction.
  std::optional<RunOutcome> atBoundary(uint64_t until);
  // An INTR that is pending and allowed by IF but held back by the one-instruction shadow
  // of STI/MOV SS/POP SS (Vol. 3A 6.8.3): the CMS must interpret one more instruction.
  bool interruptHeldByShadow() const {
    return intrLine && (interp.state().eflags & kIF) != 0 && !interp.interruptWindowOpen() &&
           interp.stopInfo().reason != StopReason::TripleFault;
  }

  RunOutcome runInterpretOnly(uint64_t until);
  RunOutcome outcomeOf(StopReason reason) const;

  RuntimeConfig config;
  hostisa::iss::CoreApi* core;
  GuestPlatform& platform;
  runtime::PlatformPort port;
  Interpreter interp;
  runtime::RuntimeStats stats;
  uint64_t ownCycles = 0;             // cycle counter without a core
  uint64_t heldCycles = 0;            // cost-model cycles of the service call in progress
  bool inService = false;             // inside a service call of the core
  uint64_t idleInstructionSlots = 0;  // instruction time skipped while halted
  uint64_t deadline = 0;              // platform's next event time (clock units)
  bool intrLine = false;              // INTR as of the last sync or I/O access
  std::unique_ptr<runtime::TranslatingEngine> engine;  // null with --no-translate

  // Interpreter stores go to the engine (self-modifying code) and to the user's observer.
  class StoreFanout final : public StoreObserver {
   public:
    explicit StoreFanout(Impl& rt) : rt_(rt) {}
    void onStore(uint64_t physical, unsigned size) override;
    StoreObserver* user = nullptr;

   private:
    Impl& rt_;
  };
  StoreFanout storeFanout{*this};
};

}  // namespace codemorph::cms
