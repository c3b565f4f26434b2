// System control port B at 0x61 (IBM PC/AT; PIIX3 datasheet "NMI Status and Control
// Register"): bit 0 gates PIT channel 2, bit 1 enables the speaker, bits 2-3 mask
// PCI SERR#/IOCHK# NMIs; reads return those bits plus bit 4, the refresh toggle (flips
// every 15.085 us, derived from simulated time like PIT channel 1's default 18-tick
// period), and bit 5, PIT channel 2 OUT. SeaBIOS times delays with channel 2 through it.
#pragma once
#include "codemorph/platform/io_device.h"
#include "codemorph/platform/pit8254.h"

namespace codemorph::platform {

class Port61 : public IoDevice {
 public:
  Port61(EventQueue& queue, Pit8254& pit) : queue_(queue), pit_(pit) {}
  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  EventQueue& queue_;
  Pit8254& pit_;
  uint8_t control_ = 0;  // bits 0-3 as written
};

}  // namespace codemorph::platform
