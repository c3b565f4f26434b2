// TLM-2.0 target for the physical address space (physical_memory.h: RAM, the PAM/SMRAM
// legacy window, the BIOS ROM at the top of 4 GiB and its alias below 1 MiB, open bus).
// Blocking transport for any access; DMI wherever the bytes are plain memory for the
// access kind: RAM read/write, RAM read-only (PAM RE without WE), ROM read-only. DMI is
// refused over open bus and routed-away writes; the refusal's range tells the initiator
// how far the answer holds. invalidate() (called by the machine from the i440FX's
// map-changed hook and on A20/reset changes) revokes the initiators' DMI over a range.
// transport_dbg works like b_transport without side effects (memory has none).
#pragma once
#include <cstdint>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "codemorph/platform/physical_memory.h"

namespace codemorph::platform {

class MemoryBusTarget : public sc_core::sc_module {
 public:
  MemoryBusTarget(sc_core::sc_module_name name, PhysicalMemory& memory);
  tlm_utils::simple_target_socket<MemoryBusTarget> socket;
  // Revokes DMI over [base, base + size) after the map changed there.
  void invalidate(uint64_t base, uint64_t size);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  unsigned access(tlm::tlm_generic_payload& trans);

  PhysicalMemory& memory_;
};

}  // namespace codemorph::platform
