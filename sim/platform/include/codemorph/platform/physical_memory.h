// The PC's physical address space below 4 GiB, as the i440FX routes it (plain C++; the
// TLM-2.0 target in tlm_memory_bus.h puts it on a bus with DMI):
//
//   [0, 0xA0000)            RAM
//   [0xA0000, 0xC0000)      RAM if SMRAM is open (G_SMRAME and D_OPEN), else the PCI side:
//                           no VGA here, so reads are open bus and writes are dropped
//   [0xC0000, 0x100000)     per PAM region (16 KiB, the F segment 64 KiB): reads from RAM
//                           if RE, writes to RAM if WE; otherwise the PCI side: the BIOS
//                           ROM's last 128 KiB (all of a 64 KiB image) at the top of the
//                           window, open bus below it, writes dropped
//   [0x100000, RAM end)     RAM
//   [4 GiB - ROM size, 4 GiB) the BIOS ROM (read-only)
//   anything else           open bus (reads all ones, writes dropped)
//
// The RAM bytes are not owned: the machine hands in the core's guest memory so the
// interpreter, translated code and DMA see one image. The legacy routing is cached per
// 16 KiB block; whoever owns the chipset calls refreshLegacyMap() from the i440FX's
// map-changed hook (and after a checkpoint load).
//
// loadBios()/checkBios() refuse an image that cannot start a PC, with one-line BiosError
// messages: unreadable, empty, a size that is not a non-zero multiple of 64 KiB (or above
// 16 MiB), or no far JMP (EAh) at the reset vector 16 bytes below its end.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "codemorph/platform/i440fx.h"

namespace codemorph::platform {

class BiosError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PhysicalMemory {
 public:
  static constexpr uint64_t kLegacyStart = 0xA0000, kLegacyEnd = 0x100000, k4GiB = uint64_t{1} << 32;
  static constexpr uint64_t kBlock = 0x4000;  // PAM granularity
  static std::vector<uint8_t> loadBios(const std::string& path);
  // size: the file's size when only its first bytes are in `image` (size checks only).
  static constexpr uint64_t kImageSize = ~uint64_t{0};
  static void checkBios(std::span<const uint8_t> image, const std::string& what, uint64_t size = kImageSize);

  PhysicalMemory(std::span<uint8_t> ram, std::vector<uint8_t> rom, const I440fx& chipset);

  std::span<uint8_t> ram() const { return ram_; }
  std::span<const uint8_t> rom() const { return rom_; }
  uint64_t romBase() const { return k4GiB - rom_.size(); }
  // Re-reads the chipset's PAM/SMRAM routing of [0xA0000, 0x100000).
  void refreshLegacyMap();

  // Where the accesses of one kind to an address go, and the range [start, end) around it
  // that goes the same way. bytes: the byte at `start` in RAM or ROM (null for open bus).
  enum class Target : uint8_t { Ram, Rom, None };
  struct Route {
    Target target;
    uint64_t start, end;
    uint8_t* bytes;
  };
  Route readRoute(uint64_t address) const;
  Route writeRoute(uint64_t address) const;

  // Byte-exact accesses of any length (split at routing boundaries).
  void read(uint64_t address, uint8_t* data, size_t length) const;
  void write(uint64_t address, const uint8_t* data, size_t length);

 private:
  Route route(uint64_t address, bool write) const;
  std::span<uint8_t> ram_;
  std::vector<uint8_t> rom_;
  const I440fx& chipset_;
  // Per 16 KiB block of the legacy window: bit 0 reads RAM, bit 1 writes RAM.
  std::array<uint8_t, (kLegacyEnd - kLegacyStart) / kBlock> legacy_{};
};

}  // namespace codemorph::platform
