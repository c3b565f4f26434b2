// QEMU's isa-debug-exit at 0xF4 (1 byte): writing v requests the end of the run with
// process exit status v (ARCHITECTURE.md section 5; deliberately not QEMU's (v << 1) | 1).
// Wider writes are split by the bus, so the low byte decides. Reads return all ones.
#pragma once
#include "codemorph/platform/io_device.h"
#include "codemorph/platform/machine_control.h"

namespace codemorph::platform {

class IsaDebugExit : public IoDevice {
 public:
  explicit IsaDebugExit(MachineControl& control) : control_(control) {}
  uint32_t ioRead(uint16_t, unsigned) override { return 0xFF; }
  void ioWrite(uint16_t, unsigned, uint32_t value) override { control_.requestExit(static_cast<int>(value & 0xFF)); }
  void save(support::OutArchive&) const override {}  // the request lives in MachineControl
  void load(support::InArchive&) override {}

 private:
  MachineControl& control_;
};

}  // namespace codemorph::platform
