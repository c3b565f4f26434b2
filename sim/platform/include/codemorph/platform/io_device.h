// What every port-mapped device implements: byte/word/dword reads and writes at an offset
// from the base it was mapped at, and checkpoint save/load. Devices are plain C++ with no
// SystemC in them, so their tests run without a SystemC kernel (and under ASan); the TLM
// adapters in tlm_io_bus.h put them on the bus.
#pragma once
#include <cstdint>
#include <functional>

#include "codemorph/support/serialize.h"

namespace codemorph::platform {

class IoDevice {
 public:
  virtual ~IoDevice() = default;
  // offset is relative to the mapped base; size is 1, 2 or 4 (a device mapped as
  // byte-wide only ever sees 1: the bus splits wider accesses, like the ISA bus does).
  virtual uint32_t ioRead(uint16_t offset, unsigned size) = 0;
  virtual void ioWrite(uint16_t offset, unsigned size, uint32_t value) = 0;
  virtual void save(support::OutArchive& out) const = 0;
  virtual void load(support::InArchive& in) = 0;
};

// An interrupt request line from a device to the interrupt controller (level semantics:
// the device reports its output level; the PIC does edge detection per ELCR).
using IrqLine = std::function<void(bool level)>;

}  // namespace codemorph::platform
