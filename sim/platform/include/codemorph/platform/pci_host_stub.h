// Placeholder for the i440FX PCI host bridge until it is modelled (docs/platform.md):
// configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2) with CONFIG_ADDRESS at 0xCF8
// (dword accesses only; bits 30-24 and 1-0 read 0) and CONFIG_DATA at 0xCFC-0xCFF reading
// all ones, i.e. a bus with no devices. It exists so that dword accesses at 0xCF8 are not
// split onto the reset register at 0xCF9.
#pragma once
#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

class PciHostStub : public IoDevice {
 public:
  // Mapped as Dword at 0xCF8 (4) and as Byte at 0xCFC (4).
  uint32_t ioRead(uint16_t offset, unsigned size) override {
    if (size == 4 && offset == 0) return address_;
    return size == 4 ? 0xFFFFFFFFu : 0xFFu;
  }
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override {
    if (size == 4 && offset == 0) address_ = value & 0x80FFFFFCu;
  }
  void save(support::OutArchive& out) const override {
    out.beginSection("platform.pci_host_stub", 1);
    out.put(address_);
  }
  void load(support::InArchive& in) override {
    in.beginSection("platform.pci_host_stub", 1);
    in.get(address_);
  }
  uint32_t configAddress() const { return address_; }

 private:
  uint32_t address_ = 0;
};

}  // namespace codemorph::platform
