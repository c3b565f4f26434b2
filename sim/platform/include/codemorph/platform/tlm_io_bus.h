// TLM-2.0 target for the I/O-port space: a generic-payload b_transport whose address is
// the port and whose length is 1, 2 or 4 (IEEE 1666-2011 section 14.x, base protocol).
// Before the access the platform is synchronized to sc_time_stamp() + delay, so device
// events due by then have fired; the access itself takes no simulated time. No DMI (ports
// have side effects).
#pragma once
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {

SimTime toSimTime(const sc_core::sc_time& t);  // needs the default 1 ps resolution
sc_core::sc_time toScTime(SimTime t);

class IoBusTarget : public sc_core::sc_module {
 public:
  IoBusTarget(sc_core::sc_module_name name, PcPlatform& platform);
  tlm_utils::simple_target_socket<IoBusTarget> socket;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  PcPlatform& platform_;
};

}  // namespace codemorph::platform
