// TLM-2.0 physical memory target (tlm_memory_bus.h).
#include "codemorph/platform/tlm_memory_bus.h"

#include <algorithm>
#include <cstring>

namespace codemorph::platform {

MemoryBusTarget::MemoryBusTarget(sc_core::sc_module_name name, uint64_t ramBytes, std::vector<uint8_t> rom)
    : sc_module(name), socket("socket"), ram_(ramBytes), rom_(std::move(rom)) {
  socket.register_b_transport(this, &MemoryBusTarget::b_transport);
  socket.register_get_direct_mem_ptr(this, &MemoryBusTarget::get_direct_mem_ptr);
  socket.register_transport_dbg(this, &MemoryBusTarget::transport_dbg);
  regions_.push_back({0, std::min(ramBytes, kLegacyHoleStart), ram_.data(), true});
  if (ramBytes > kLegacyHoleEnd) regions_.push_back({kLegacyHoleEnd, ramBytes, ram_.data() + kLegacyHoleEnd, true});
  if (!rom_.empty()) {
    const uint64_t size = rom_.size();
    regions_.push_back({(uint64_t{1} << 32) - size, uint64_t{1} << 32, rom_.data(), false});
    const uint64_t alias = std::min<uint64_t>(size, 0x20000);
    regions_.push_back({kLegacyHoleEnd - alias, kLegacyHoleEnd, rom_.data() + size - alias, false});
  }
}

const MemoryBusTarget::Region* MemoryBusTarget::find(uint64_t address) const {
  for (const Region& r : regions_) {
    if (address >= r.start && address < r.end) return &r;
  }
  return nullptr;
}

unsigned MemoryBusTarget::access(tlm::tlm_generic_payload& trans, bool debug) {
  const uint64_t address = trans.get_address();
  const unsigned len = trans.get_data_length();
  unsigned char* data = trans.get_data_ptr();
  if (trans.get_byte_enable_ptr() || trans.get_streaming_width() < len) {
    trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return 0;
  }
  const Region* r = find(address);
  if (!r || address + len > r->end) {
    // Open bus (also for an access straddling a region edge: never on the PC fast path).
    if (trans.is_read()) std::memset(data, 0xFF, len);
  } else if (trans.is_read()) {
    std::memcpy(data, r->bytes + (address - r->start), len);
  } else if (trans.is_write() && r->writable) {
    std::memcpy(r->bytes + (address - r->start), data, len);
  }
  if (!debug && r && r->writable) trans.set_dmi_allowed(true);
  if (!debug && r && !r->writable && trans.is_read()) trans.set_dmi_allowed(true);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return len;
}

void MemoryBusTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) { access(trans, false); }

unsigned int MemoryBusTarget::transport_dbg(tlm::tlm_generic_payload& trans) { return access(trans, true); }

bool MemoryBusTarget::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  const Region* r = find(trans.get_address());
  if (!r) {
    // Deny DMI over the hole: the initiator must keep using b_transport there.
    dmi.allow_read_write();
    dmi.set_start_address(trans.get_address());
    dmi.set_end_address(trans.get_address());
    return false;
  }
  dmi.set_dmi_ptr(r->bytes);
  dmi.set_start_address(r->start);
  dmi.set_end_address(r->end - 1);
  if (r->writable) {
    dmi.allow_read_write();
  } else {
    dmi.allow_read();
  }
  dmi.set_read_latency(sc_core::SC_ZERO_TIME);
  dmi.set_write_latency(sc_core::SC_ZERO_TIME);
  return true;
}

}  // namespace codemorph::platform
