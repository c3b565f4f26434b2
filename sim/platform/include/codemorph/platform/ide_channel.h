// One IDE channel with an ATA hard disk as device 0 (PIO only), as the PIIX IDE function's
// legacy primary channel: command block 0x1F0-0x1F7, control block 0x3F6, IRQ14
// (ATA/ATAPI-7 vol. 1; QEMU hw/ide/core.c for what SeaBIOS and Linux expect of it).
//
// Registers (command block offset): 0 data (16-bit; 32-bit accesses move two words, an
// 8-bit access moves one word and returns its low byte),
// 1 error / features, 2 sector count, 3 LBA low / sector, 4 LBA mid / cylinder low,
// 5 LBA high / cylinder high, 6 device (bit 4 DEV, bit 6 LBA; bits 3-0 head or LBA 27-24),
// 7 status / command. Control block: alternate status (does not clear INTRQ) / device
// control (bit 1 nIEN, bit 2 SRST, bit 7 HOB: read back the previous value of the LBA48
// register pairs). Writes to 1-6 go to both devices, like the real shared registers.
//
// Commands: IDENTIFY DEVICE (0xEC); READ SECTORS (0x20/0x21), READ SECTORS EXT (0x24),
// READ MULTIPLE (0xC4) and EXT (0x29); WRITE SECTORS (0x30/0x31), EXT (0x34), WRITE
// MULTIPLE (0xC5) and EXT (0x39); READ VERIFY (0x40/0x41, EXT 0x42); SET MULTIPLE MODE
// (0xC6, 0-16 sectors, powers of two); INITIALIZE DEVICE PARAMETERS (0x91: logical heads
// and sectors per track for CHS addressing); SET FEATURES (0xEF: 0x03 transfer mode, 0x02/
// 0x82 write cache, 0xAA/0x55 read look-ahead, 0x66/0xCC defaults; others abort);
// RECALIBRATE (0x1x), SEEK (0x70), FLUSH CACHE (0xE7/0xEA), CHECK POWER MODE (0xE5, count
// 0xFF), IDLE/STANDBY (0xE0-0xE3), EXECUTE DEVICE DIAGNOSTIC (0x90). Anything else, and
// IDENTIFY PACKET DEVICE (0xA1, which is how BIOSes tell ATAPI from ATA), aborts: status
// DRDY|ERR, error ABRT. Addresses beyond the disk end with IDNF.
//
// Timing: every command completes at once (BSY is never observed); data moves by PIO
// through the 512-byte buffer. INTRQ follows the PIO protocols: set when a data-in block
// is ready, after each data-out block, and at the end of a non-data command or an error;
// cleared by reading the status register or writing a command. The IRQ line is INTRQ
// while nIEN is 0. Soft reset (SRST) leaves status DRDY|DSC, error 01h and the ATA
// signature (count 1, LBA low 1, mid 0, high 0) and selects device 0.
//
// Device 1 is absent: with device 1 selected, status and error read 0 and commands are
// ignored (QEMU). A channel without any disk reads 0 everywhere.
#pragma once
#include <array>
#include <cstdint>

#include "codemorph/platform/disk_image.h"
#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

class IdeChannel : public IoDevice {
 public:
  // disk: device 0 (may be null: no drive); not owned.
  IdeChannel(DiskImage* disk, IrqLine irq);
  // Map this at the command block (8 ports, PortBus::Kind::Native) and controlPort() at
  // the device-control port (1 port, Byte).
  IoDevice& controlPort() { return control_; }

  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

  // Power-on / hardware reset state (also what SRST leaves).
  void reset();
  // Default CHS geometry of the disk (cylinders capped at 16383, 16 heads, 63 sectors).
  struct Geometry {
    uint16_t cylinders, heads, sectors;
  };
  Geometry defaultGeometry() const;
  bool irqLevel() const { return intrq_ && !(devControl_ & kNien); }

  static constexpr uint8_t kBsy = 0x80, kDrdy = 0x40, kDf = 0x20, kDsc = 0x10, kDrq = 0x08, kErr = 0x01;
  static constexpr uint8_t kAbrt = 0x04, kIdnf = 0x10;
  static constexpr uint8_t kNien = 0x02, kSrst = 0x04, kHob = 0x80;

 private:
  enum class Transfer : uint8_t { None, PioIn, PioOut };
  class ControlPort : public IoDevice {
   public:
    explicit ControlPort(IdeChannel& ch) : ch_(ch) {}
    uint32_t ioRead(uint16_t, unsigned) override { return ch_.alternateStatus(); }
    void ioWrite(uint16_t, unsigned, uint32_t value) override { ch_.writeDeviceControl(static_cast<uint8_t>(value)); }
    void save(support::OutArchive&) const override {}
    void load(support::InArchive&) override {}

   private:
    IdeChannel& ch_;
  };

  bool selectedPresent() const { return disk_ && !(device_ & 0x10); }
  uint8_t alternateStatus() const;
  void writeDeviceControl(uint8_t value);
  uint8_t readRegister(unsigned reg);
  void writeRegister(unsigned reg, uint8_t value);
  uint16_t readData16();
  void writeData16(uint16_t value);
  void execute(uint8_t command);
  void abort(uint8_t error = kAbrt);
  void complete();  // non-data command done: DRDY|DSC, INTRQ
  void setIntrq(bool on);
  void setSignature();
  // Decodes the command's start sector and count (LBA28, LBA48 or CHS); false + IDNF
  // already reported if out of range.
  bool decodeAddress(bool ext, uint64_t& lba, uint32_t& count);
  void startRead();        // loads the next block into the buffer, DRQ, INTRQ
  void finishBlockOut();   // writes the buffered block, next block or done
  void fillIdentify();
  unsigned blockSectors() const;  // sectors per DRQ block of the current command

  DiskImage* disk_;
  IrqLine irq_;
  ControlPort control_{*this};
  // Task file (current and previous "HOB" values of the LBA48 pairs).
  uint8_t feature_ = 0, count_ = 0, lbaLow_ = 0, lbaMid_ = 0, lbaHigh_ = 0;
  uint8_t hobFeature_ = 0, hobCount_ = 0, hobLbaLow_ = 0, hobLbaMid_ = 0, hobLbaHigh_ = 0;
  uint8_t device_ = 0, status_ = 0, error_ = 0, devControl_ = 0;
  bool intrq_ = false;
  // Data transfer.
  Transfer transfer_ = Transfer::None;
  uint8_t command_ = 0;
  std::array<uint8_t, 512> buffer_{};
  uint16_t pos_ = 0;        // next byte in buffer_
  uint64_t nextLba_ = 0;    // next sector to read or write
  uint32_t remaining_ = 0;  // sectors still to move, the current block included
  uint32_t blockLeft_ = 0;  // sectors still to move in the current DRQ block
  // Device configuration set by the host.
  uint8_t multiple_ = 0;    // SET MULTIPLE MODE (0: disabled)
  uint16_t logicalHeads_ = 0, logicalSectors_ = 0;  // INITIALIZE DEVICE PARAMETERS
  bool writeCache_ = true;
};

}  // namespace codemorph::platform
