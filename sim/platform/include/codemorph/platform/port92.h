// System control port A at 0x92 ("fast A20 and init", PIIX3 datasheet "Port 92h"; IBM
// PS/2): bit 1 drives the A20 gate, a 0-to-1 transition of bit 0 requests a (soft) CPU
// reset. Reads return the last value written with bit 0 as written.
#pragma once
#include "codemorph/platform/io_device.h"
#include "codemorph/platform/machine_control.h"

namespace codemorph::platform {

class Port92 : public IoDevice {
 public:
  explicit Port92(MachineControl& control) : control_(control) {}
  uint32_t ioRead(uint16_t, unsigned) override { return value_; }
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  MachineControl& control_;
  uint8_t value_ = 0;
};

}  // namespace codemorph::platform
