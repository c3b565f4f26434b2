// PIIX Reset Control Register at 0xCF9 (82371SB PIIX3 datasheet 4.1.x "RC - Reset
// Control Register"): bit 2 (RCPU) going from 0 to 1 resets; bit 1 (SRST) selects a hard
// (system) reset over a soft (CPU INIT) one; bit 3 is the full-reset flag of later PIIX4/ICH
// parts, kept and read back. Only byte accesses reach it: a dword at 0xCF8 is PCI config.
#pragma once
#include "codemorph/platform/io_device.h"
#include "codemorph/platform/machine_control.h"

namespace codemorph::platform {

class ResetControl : public IoDevice {
 public:
  explicit ResetControl(MachineControl& control) : control_(control) {}
  uint32_t ioRead(uint16_t, unsigned) override { return value_; }
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  MachineControl& control_;
  uint8_t value_ = 0;
};

}  // namespace codemorph::platform
