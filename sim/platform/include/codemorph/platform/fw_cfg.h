// QEMU's firmware configuration device, I/O-port interface (QEMU docs/specs/fw_cfg.txt):
// a 16-bit little-endian selector register at 0x510 and an 8-bit data register at 0x511.
// As in QEMU's x86 "combined" port handler, the access size decides: a 16-bit write at
// 0x510 selects an item (bit 14 "write" and bit 15 "arch-local" are part of the key) and
// rewinds its offset; a byte read at 0x510 or 0x511 returns the item's next byte (0 past
// its end, and 0 for keys that do not exist); byte writes (the deprecated data write) are
// ignored; other accesses read all ones.
//
// Items: 0x0000 signature "QEMU"; 0x0001 ID = 1 (traditional interface only: bit 1, the
// DMA interface at 0x514, is NOT implemented, so SeaBIOS uses port reads); 0x0002 UUID
// (zeros); 0x0003 RAM size (le64); 0x0004 nographic (0); 0x0005 CPU count and 0x000F max
// CPUs (le16); 0x000E boot menu (0); 0x8002 IRQ0 override (le32 1, as QEMU without KVM);
// 0x0019 the file directory: a big-endian count, then per file a 64-byte entry {be32 size,
// be16 select, be16 reserved, char name[56]}, sorted by name with selectors 0x0020 + index
// in that order (QEMU's default). Files: "etc/e820" (20-byte little-endian entries
// {u64 address, u64 length, u32 type}: RAM below 4 GiB up to 0xE0000000, the rest from
// 4 GiB, like QEMU's i440FX) and "bootorder" (newline-separated OpenFirmware paths,
// possibly empty). Contents are configuration, rebuilt at construction; the checkpoint
// holds the selector and the read offset.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "codemorph/platform/io_device.h"

namespace codemorph::platform {

struct FwCfgConfig {
  uint64_t ramBytes = 32u << 20;
  uint16_t cpus = 1;
  std::string bootorder;  // e.g. "/pci@i0cf8/*@1,1/drive@0/disk@0\n"
};

class FwCfg : public IoDevice {
 public:
  static constexpr uint16_t kPort = 0x510;  // map as Native, length 2
  static constexpr uint16_t kSignature = 0x00, kId = 0x01, kRamSize = 0x03, kNbCpus = 0x05,
                            kFileDir = 0x19, kFileFirst = 0x20;
  static constexpr uint32_t kE820Ram = 1, kE820Reserved = 2;
  explicit FwCfg(const FwCfgConfig& config);

  void addItem(uint16_t key, std::vector<uint8_t> data);
  void addFile(const std::string& name, std::vector<uint8_t> data);  // rebuilds the directory
  uint16_t selector() const { return selector_; }

  uint32_t ioRead(uint16_t offset, unsigned size) override;
  void ioWrite(uint16_t offset, unsigned size, uint32_t value) override;
  void save(support::OutArchive& out) const override;
  void load(support::InArchive& in) override;

 private:
  void rebuildDirectory();
  std::map<uint16_t, std::vector<uint8_t>> items_;
  std::map<std::string, std::vector<uint8_t>> files_;  // sorted by name
  uint16_t selector_ = 0;
  uint32_t offset_ = 0;
};

}  // namespace codemorph::platform
