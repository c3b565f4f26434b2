// Bochs/QEMU shutdown port 0x8900 (Bochs "iodev/unmapped.cc"; what APM code in SeaBIOS-era
// BIOSes writes): the bytes of the string "Shutdown" in order request an exit with status
// 0. Any other byte restarts the match (a 'S' starts a new one).
#pragma once
#include <string_view>

#include "codemorph/platform/io_device.h"
#include "codemorph/platform/machine_control.h"

namespace codemorph::platform {

class BochsShutdown : public IoDevice {
 public:
  explicit BochsShutdown(MachineControl& control) : control_(control) {}
  uint32_t ioRead(uint16_t, unsigned) override { return 0xFF; }
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  static constexpr std::string_view kMagic = "Shutdown";
  MachineControl& control_;
  uint8_t matched_ = 0;
};

}  // namespace codemorph::platform
