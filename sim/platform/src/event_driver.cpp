// SystemC thread that fires platform events in simulated time (event_driver.h).
#include "codemorph/platform/event_driver.h"

#include "codemorph/platform/tlm_io_bus.h"

namespace codemorph::platform {

EventDriver::EventDriver(sc_core::sc_module_name name, PcPlatform& platform) : sc_module(name), platform_(platform) {
  SC_HAS_PROCESS(EventDriver);
  platform_.events.setRearmHook([this] { rearm_.notify(sc_core::SC_ZERO_TIME); });
  platform_.pic.setIntrHook([this](bool level) {
    if (level) intr_.notify(sc_core::SC_ZERO_TIME);
  });
  SC_THREAD(run);
}

void EventDriver::run() {
  for (;;) {
    platform_.syncTo(toSimTime(sc_core::sc_time_stamp()));
    const SimTime next = platform_.nextEventTime();
    if (next == kNever) {
      wait(rearm_);
    } else {
      wait(toScTime(next) - sc_core::sc_time_stamp(), rearm_);
    }
  }
}

}  // namespace codemorph::platform
