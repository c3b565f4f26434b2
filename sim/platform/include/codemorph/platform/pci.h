// PCI on bus 0: a function's 256-byte configuration space (PCI Local Bus 3.0, 6.1-6.2) and
// configuration mechanism #1 (3.2.2.3.2) through which the CPU reaches it.
//
// PciFunction holds the bytes plus a per-byte write mask (1 = writable) and a per-byte
// write-one-to-clear mask; the identity registers (vendor, device, revision, class code,
// header type) are read-only because their mask is 0. As in QEMU, the device-specific
// area 0x40-0xFF is writable unless a device says otherwise, and BARs get their size
// mask from addIoBar/addMemBar (writing all ones reads back the size). Devices react to
// writes in configWritten() (called once per access, after the bytes are stored).
//
// PciHost is the port device: CONFIG_ADDRESS at 0xCF8 (dword accesses only: bit 31
// enable, bus 23-16, device 15-11, function 10-8, register 7-2; bits 30-24 and 1-0 read
// 0) and CONFIG_DATA at 0xCFC-0xCFF (byte, word or dword at offset (reg | port & 3)).
// With the enable bit clear, or on a bus other than 0, or for an absent function, data
// reads are all ones and writes are dropped (master abort). Functions are registered by
// (device, function); the host does not own them.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

// PCI configuration-space register offsets used by more than one device.
namespace pcireg {
inline constexpr uint8_t kVendor = 0x00, kDevice = 0x02, kCommand = 0x04, kStatus = 0x06,
                         kRevision = 0x08, kProgIf = 0x09, kClass = 0x0A, kHeaderType = 0x0E,
                         kBar0 = 0x10, kSubsysVendor = 0x2C, kInterruptLine = 0x3C,
                         kInterruptPin = 0x3D;
inline constexpr uint16_t kCommandIo = 0x0001, kCommandMemory = 0x0002, kCommandMaster = 0x0004;
}  // namespace pcireg

class PciFunction {
 public:
  struct Identity {
    uint16_t vendor;
    uint16_t device;
    uint8_t revision;
    uint8_t progIf;
    uint16_t classCode;  // base class << 8 | subclass
    uint8_t headerType;  // bit 7: multi-function device
  };
  static constexpr uint16_t kSubsystemVendor = 0x1AF4, kSubsystemId = 0x1100;
  PciFunction(std::string name, const Identity& id);
  virtual ~PciFunction() = default;
  PciFunction(const PciFunction&) = delete;
  PciFunction& operator=(const PciFunction&) = delete;

  // offset + size <= 256, size 1/2/4, little-endian.
  uint32_t configRead(uint8_t offset, unsigned size) const;
  void configWrite(uint8_t offset, unsigned size, uint32_t value);
  const std::string& name() const { return name_; }

  // Checkpoint: the configuration bytes, then the device's extra state (saveExtra).
  void save(support::OutArchive& out) const;
  void load(support::InArchive& in);

 protected:
  // Called after a guest write stored its bytes (offset/size as accessed).
  virtual void configWritten(uint8_t /*offset*/, unsigned /*size*/) {}
  virtual void saveExtra(support::OutArchive&) const {}
  virtual void loadExtra(support::InArchive&) {}
  // Called after load() so a device re-derives what it computes from its registers
  // (I/O mappings, the memory map).
  virtual void afterLoad() {}

  uint32_t get(uint8_t offset, unsigned size) const;
  void set(uint8_t offset, unsigned size, uint32_t value);  // ignores the masks
  void setWritable(uint8_t offset, unsigned size, uint32_t mask);
  void setW1c(uint8_t offset, unsigned size, uint32_t mask);
  // A BAR of 'size' bytes (power of two): I/O BARs read back bit 0 = 1.
  void addIoBar(unsigned index, uint32_t size);
  static bool overlaps(uint8_t offset, unsigned size, uint8_t reg, unsigned regSize) {
    return offset < reg + regSize && reg < offset + size;
  }

 private:
  std::string name_;
  std::array<uint8_t, 256> config_{};
  std::array<uint8_t, 256> wmask_{};
  std::array<uint8_t, 256> w1c_{};
};

class PciHost : public IoDevice {
 public:
  // Map the host itself as Dword at 0xCF8 (4) and dataPorts() as Native at 0xCFC (4).
  // ioRead/ioWrite see CONFIG_ADDRESS at offset 0 and CONFIG_DATA at offsets 4-7.
  static constexpr uint16_t kAddressPort = 0xCF8, kDataPort = 0xCFC;
  IoDevice& dataPorts() { return data_; }
  void attach(unsigned device, unsigned function, PciFunction& fn);
  PciFunction* find(unsigned device, unsigned function) const;

  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  // The CONFIG_ADDRESS register only; functions are saved by their owners.
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;
  uint32_t configAddress() const { return address_; }

 private:
  PciFunction* selected() const;
  class DataPorts : public IoDevice {
   public:
    explicit DataPorts(PciHost& host) : host_(host) {}
    uint32_t ioRead(uint16_t offset, unsigned size) override { return host_.ioRead(static_cast<uint16_t>(offset + 4), size); }
    void ioWrite(uint16_t offset, unsigned size, uint32_t value) override {
      host_.ioWrite(static_cast<uint16_t>(offset + 4), size, value);
    }
    void save(support::OutArchive&) const override {}
    void load(support::InArchive&) override {}

   private:
    PciHost& host_;
  };
  DataPorts data_{*this};
  uint32_t address_ = 0;
  std::map<unsigned, PciFunction*> functions_;  // key devfn = device << 3 | function
};

}  // namespace codemorph::platform
