// TLM-2.0 physical memory target (tlm_memory_bus.h).
#include "codemorph/platform/tlm_memory_bus.h"

#include <algorithm>

namespace codemorph::platform {

MemoryBusTarget::MemoryBusTarget(sc_core::sc_module_name name, PhysicalMemory& memory)
    : sc_module(name), socket("socket"), memory_(memory) {
  socket.register_b_transport(this, &MemoryBusTarget::b_transport);
  socket.register_get_direct_mem_ptr(this, &MemoryBusTarget::get_direct_mem_ptr);
  socket.register_transport_dbg(this, &MemoryBusTarget::transport_dbg);
}

void MemoryBusTarget::invalidate(uint64_t base, uint64_t size) {
  if (size == 0) return;
  socket->invalidate_direct_mem_ptr(base, base + size - 1);
}

unsigned MemoryBusTarget::access(tlm::tlm_generic_payload& trans) {
  const uint64_t address = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (trans.get_byte_enable_ptr() || trans.get_streaming_width() < len) {
    trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return 0;
  }
  if (trans.is_read()) {
    memory_.read(address, trans.get_data_ptr(), len);
  } else if (trans.is_write()) {
    memory_.write(address, trans.get_data_ptr(), len);
  }
  const PhysicalMemory::Route r = trans.is_write() ? memory_.writeRoute(address) : memory_.readRoute(address);
  trans.set_dmi_allowed(r.bytes != nullptr && (trans.is_read() || r.target == PhysicalMemory::Target::Ram));
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return len;
}

void MemoryBusTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) { access(trans); }

unsigned int MemoryBusTarget::transport_dbg(tlm::tlm_generic_payload& trans) { return access(trans); }

bool MemoryBusTarget::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  using Target = PhysicalMemory::Target;
  const uint64_t a = trans.get_address();
  const PhysicalMemory::Route rd = memory_.readRoute(a);
  const PhysicalMemory::Route wr = memory_.writeRoute(a);
  dmi.set_read_latency(sc_core::SC_ZERO_TIME);
  dmi.set_write_latency(sc_core::SC_ZERO_TIME);
  if (!rd.bytes) {
    // Open bus: no DMI over the routed range (IEEE 1666-2011 11.2.4: the range of a denial).
    dmi.allow_read_write();
    dmi.set_start_address(rd.start);
    dmi.set_end_address(rd.end - 1);
    return false;
  }
  const bool rw = rd.target == Target::Ram && wr.target == Target::Ram;
  const uint64_t start = rw ? std::max(rd.start, wr.start) : rd.start;
  const uint64_t end = rw ? std::min(rd.end, wr.end) : rd.end;
  dmi.set_dmi_ptr(rd.bytes + (start - rd.start));
  dmi.set_start_address(start);
  dmi.set_end_address(end - 1);
  if (rw) {
    dmi.allow_read_write();
  } else {
    dmi.allow_read();
  }
  return true;
}

}  // namespace codemorph::platform
