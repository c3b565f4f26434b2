// TLM-2.0 target for the physical address space: RAM from 0 (DMI read/write, the core's
// fast path), minus the legacy hole 0xA0000-0xFFFFF; the firmware ROM at the top of 4 GiB
// with its last 128 KiB aliased at 0xE0000-0xFFFFF (the ISA BIOS window, read-only, DMI
// read). Everything else is open bus (reads all ones, writes ignored). PAM shadowing,
// A20 masking, SMRAM and MMIO devices come with the i440FX model (docs/platform.md);
// changes of this map will call invalidate_direct_mem_ptr.
#pragma once
#include <cstdint>
#include <span>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

namespace codemorph::platform {

class MemoryBusTarget : public sc_core::sc_module {
 public:
  MemoryBusTarget(sc_core::sc_module_name name, uint64_t ramBytes, std::vector<uint8_t> rom);
  tlm_utils::simple_target_socket<MemoryBusTarget> socket;
  std::span<uint8_t> ram() { return ram_; }
  static constexpr uint64_t kLegacyHoleStart = 0xA0000, kLegacyHoleEnd = 0x100000;

 private:
  struct Region {
    uint64_t start, end;  // [start, end)
    uint8_t* bytes;
    bool writable;
  };
  const Region* find(uint64_t address) const;
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  unsigned access(tlm::tlm_generic_payload& trans, bool debug);

  std::vector<uint8_t> ram_, rom_;
  std::vector<Region> regions_;
};

}  // namespace codemorph::platform
