// The --no-translate engine and the device handshake every engine shares: the interpreter
// alone against the platform (docs/cms-runtime.md 1, 6, 8). Devices are brought to "now"
// before every port/MMIO access (PlatformPort) and whenever the next device event is due;
// an instruction never starts at or past the platform's next event without a sync first,
// so an interrupt raised by that event is seen on the same instruction in every engine.
#include "runtime_impl.h"

#include <algorithm>

namespace codemorph::cms {

bool Runtime::Impl::syncDevices() {
  const uint64_t t = now();
  if (!port.deviceViewStale() && t < deadline) return false;
  platform.syncTo(t);
  port.clearDeviceViewStale();
  deadline = platform.nextEventTime();
  intrLine = platform.intrPending();
  return true;
}

StopReason Runtime::Impl::deliverPendingInterrupt() {
  if (!intrLine || !interp.interruptWindowOpen()) return StopReason::None;
  // The acknowledge cycle happens at delivery (SDM Vol. 3A 6.3.3, 8259A INTA): the PIC
  // moves the request to in-service only when the CPU takes it.
  const uint8_t vector = platform.intrAcknowledge();
  port.markDeviceViewStale();
  interp.setIntr(true, vector);
  const StopReason st = interp.step();  // delivers; retires no instruction
  interp.setIntr(false);
  ++stats.interruptsDelivered;
  chargeCycles(config.cost.interpretPerInsn);
  stats.cyclesInterpret += config.cost.interpretPerInsn;
  return st;
}

StopReason Runtime::Impl::interpretStep() {
  const uint64_t before = interp.retired();
  const StopReason st = interp.step();
  stats.insnsInterpreted += interp.retired() - before;
  // One step = one instruction or one exception delivery; both cost interpreter work.
  chargeCycles(config.cost.interpretPerInsn);
  stats.cyclesInterpret += config.cost.interpretPerInsn;
  return st;
}

RunOutcome Runtime::Impl::outcomeOf(StopReason reason) const {
  switch (reason) {
    case StopReason::TripleFault: return {RunStop::TripleFault, interp.stopInfo().message};
    case StopReason::Unimplemented: return {RunStop::Unimplemented, interp.stopInfo().message};
    default: return {RunStop::Limit, {}};
  }
}

std::optional<RunOutcome> Runtime::Impl::atBoundary(uint64_t until) {
  for (;;) {
    if (syncDevices()) {
      if (platform.stopRequested()) return RunOutcome{RunStop::GuestStop, {}};
      if (platform.resetRequested()) {
        resetCpu();
        continue;
      }
    }
    if (now() >= until) return RunOutcome{RunStop::Limit, {}};
    const StopReason st = deliverPendingInterrupt();
    if (st == StopReason::TripleFault || st == StopReason::Unimplemented) {
      syncDevices();
      return outcomeOf(st);
    }
    if (interp.state().halted) {
      // HLT: nothing happens until the next device event (or the end of the run).
      if (deadline == UINT64_MAX) return RunOutcome{RunStop::Idle, "HLT with no device event scheduled and no interrupt deliverable"};
      const uint64_t target = std::min(deadline, until);
      idleFor(target > now() ? target - now() : 1);
      continue;
    }
    return std::nullopt;
  }
}

RunOutcome Runtime::Impl::runInterpretOnly(uint64_t until) {
  for (;;) {
    if (auto out = atBoundary(until)) return *out;
    const StopReason st = interpretStep();
    if (st == StopReason::TripleFault || st == StopReason::Unimplemented) {
      syncDevices();
      return outcomeOf(st);
    }
  }
}

}  // namespace codemorph::cms
