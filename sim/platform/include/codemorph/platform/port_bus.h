// The I/O-port address space (64 KiB of ports, SDM Vol. 1 18.3). Devices are mapped at a
// base port over a length, as one of two kinds:
//  - Byte (8-bit ISA devices): wider accesses are split into byte accesses, little-endian.
//  - Dword: only 4-byte accesses inside the range reach the device; they overlay byte
//    mappings, the way PCI CONFIG_ADDRESS at 0xCF8 is decoded only for dword accesses
//    while a byte access to 0xCF9 is the PIIX reset register (PCI Local Bus 3.0, 3.2.2.3.2).
//  - Native: an access of 1, 2 or 4 bytes that lies wholly inside the range reaches the
//    device whole, with its size (PCI CONFIG_DATA, fw_cfg's 16-bit selector, the ACPI PM
//    timer); an access straddling the range's end is split into bytes. Native and Byte
//    mappings share one layer (they may not overlap each other).
// Unmapped ports read as all ones and ignore writes (ISA open bus).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

class PortBus {
 public:
  enum class Kind : uint8_t { Byte, Dword, Native };
  void map(uint16_t base, uint16_t length, IoDevice& device, std::string name, Kind kind = Kind::Byte);
  // Removes every mapping of the device (a relocatable PCI I/O block before it moves).
  void unmap(const IoDevice& device);
  uint32_t read(uint16_t port, unsigned size);
  void write(uint16_t port, unsigned size, uint32_t value);
  uint64_t unmappedAccesses() const { return unmapped_; }

 private:
  struct Mapping {
    uint16_t base;
    uint16_t length;
    IoDevice* device;
    std::string name;
    Kind kind;
  };
  const Mapping* find(uint16_t port, Kind kind) const;
  const Mapping* findDword(uint16_t port, unsigned size) const;
  const Mapping* findByte(uint16_t port) const;  // Byte or Native
  const Mapping* findWhole(uint16_t port, unsigned size) const;  // Dword or Native
  std::vector<Mapping> mappings_;
  uint64_t unmapped_ = 0;
};

}  // namespace codemorph::platform
