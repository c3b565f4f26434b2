// Runs a platform's event queue in SystemC time when no core is synchronizing it (an idle
// or halted core waits on intrEvent()): one SC_THREAD that sleeps until the earliest
// deadline, or until a timer is armed earlier, and fires what is due. Firing is idempotent
// (EventQueue::runUntil), so this thread and a core that synchronizes at the same instant
// give the same result in either scheduling order.
#pragma once
#include <systemc>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {

class EventDriver : public sc_core::sc_module {
 public:
  EventDriver(sc_core::sc_module_name name, PcPlatform& platform);
  // Notified when the PIC's INTR output rises (wakes a halted core).
  const sc_core::sc_event& intrEvent() const { return intr_; }

 private:
  void run();
  PcPlatform& platform_;
  sc_core::sc_event rearm_, intr_;
};

}  // namespace codemorph::platform
