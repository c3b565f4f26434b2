// TLM-2.0 adapter of the port bus (tlm_io_bus.h).
#include "codemorph/platform/tlm_io_bus.h"

#include <cstring>
#include <stdexcept>

namespace codemorph::platform {

SimTime toSimTime(const sc_core::sc_time& t) { return static_cast<SimTime>(t.value()); }
sc_core::sc_time toScTime(SimTime t) { return sc_core::sc_time::from_value(t); }

IoBusTarget::IoBusTarget(sc_core::sc_module_name name, PcPlatform& platform)
    : sc_module(name), socket("socket"), platform_(platform) {
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    throw std::logic_error("codemorph platform needs the SystemC time resolution of 1 ps");
  }
  socket.register_b_transport(this, &IoBusTarget::b_transport);
  socket.register_transport_dbg(this, &IoBusTarget::transport_dbg);
}

void IoBusTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t port = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (port > 0xFFFF) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if ((len != 1 && len != 2 && len != 4) || trans.get_byte_enable_ptr() || trans.get_streaming_width() < len) {
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  platform_.syncTo(toSimTime(sc_core::sc_time_stamp() + delay));
  unsigned char* data = trans.get_data_ptr();
  if (trans.is_read()) {
    const uint32_t v = platform_.portIn(static_cast<uint16_t>(port), len);
    for (unsigned i = 0; i < len; ++i) data[i] = static_cast<unsigned char>(v >> (8 * i));
  } else if (trans.is_write()) {
    uint32_t v = 0;
    for (unsigned i = 0; i < len; ++i) v |= uint32_t{data[i]} << (8 * i);
    platform_.portOut(static_cast<uint16_t>(port), len, v);
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int IoBusTarget::transport_dbg(tlm::tlm_generic_payload& trans) {
  // Debug reads would have side effects (FIFO pops, latches): refused.
  trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
  return 0;
}

}  // namespace codemorph::platform
