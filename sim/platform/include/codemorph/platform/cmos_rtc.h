// Motorola MC146818 real-time clock with 114 bytes of CMOS RAM, at index port 0x70 and data
// port 0x71 (MC146818A datasheet: "Address Map", "Time, Calendar and Alarm Locations",
// registers A-D). Bit 7 of a write to 0x70 masks NMI (PC/AT), kept in nmiMasked(). The clock
// is a pure function of simulated time: guest time = start date + simulated seconds +
// whatever offset guest writes to the time registers introduced; no wall clock. Register
// B selects BCD/binary (DM) and 12/24-hour format; SET freezes the clock. Register A's UIP
// reads 1 in the last 244 us of every simulated second. Register D reports a valid RAM
// (VRT). Not yet: periodic/alarm/update-ended interrupts on IRQ8 (register C reads 0) and
// the square-wave output. setMemorySize fills the PC/AT and QEMU layout SeaBIOS reads:
// 0x15/0x16 base KiB, 0x17/0x18 and 0x30/0x31 KiB above 1 MiB (max 65535), 0x34/0x35
// 64 KiB units above 16 MiB, 0x5B-0x5D 64 KiB units above 4 GiB, 0x5F CPUs - 1.
#pragma once
#include <array>
#include <cstdint>

#include "codemorph/platform/event_queue.h"
#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

class CmosRtc : public IoDevice {
 public:
  // startEpoch: guest time at simulated time 0, in seconds since 1970-01-01 00:00 UTC.
  explicit CmosRtc(const EventQueue& queue, int64_t startEpoch = 946684800 /* 2000-01-01 */);
  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void setMemorySize(uint64_t bytes);
  bool nmiMasked() const { return nmiMasked_; }
  uint8_t readRegister(uint8_t index);  // what a guest sees at 0x71 after selecting index
  void writeRegister(uint8_t index, uint8_t value);
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  int64_t guestSeconds() const;
  uint8_t encode(unsigned value) const;
  unsigned decode(uint8_t value) const;

  const EventQueue& queue_;
  int64_t startEpoch_;
  int64_t offset_ = 0;        // seconds added by guest writes to the time registers
  int64_t frozen_ = 0;        // the time while register B.SET is 1
  std::array<uint8_t, 128> ram_{};
  uint8_t index_ = 0;
  bool nmiMasked_ = false;
};

}  // namespace codemorph::platform
