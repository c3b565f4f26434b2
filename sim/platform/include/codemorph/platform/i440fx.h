// Intel 82441FX PMC, the i440FX host bridge at 00:00.0 (8086:1237, rev 02, class 0600;
// 82441FX datasheet 3.2, QEMU hw/pci-host/i440fx.c). Modelled: the identity registers,
// PAM0-PAM6 (0x59-0x5F) controlling 0xC0000-0xFFFFF shadow RAM, and SMRAM (0x72)
// controlling 0xA0000-0xBFFFF. The other registers (PMCCFG 0x50, DRAMC 0x57, DRAMT 0x58,
// DRB 0x60-0x67, ESMRAMC...) are plain storage.
//
// PAM: each nibble governs one region; bit 0 (RE) = reads go to DRAM, bit 1 (WE) = writes
// go to DRAM; a cleared bit sends the access to the PCI side (ROM for 0xE0000-0xFFFFF, open
// bus for option-ROM space here). PAM0 bits 5-4 govern 0xF0000-0xFFFFF (64 KiB), PAM1-PAM6
// low/high nibbles govern 16 KiB regions from 0xC0000 to 0xEFFFF. Power-on 0: all reads
// ROM, writes dropped.
//
// SMRAM (0x72): C_BASE_SEG (2-0) reads 010; G_SMRAME (3), D_LCK (4), D_CLS (5), D_OPEN (6).
// Writing D_LCK=1 clears D_OPEN and makes D_OPEN, D_LCK and G_SMRAME read-only until reset. Without SMM in the core,
// the legacy VGA window 0xA0000-0xBFFFF is DRAM for the CPU when G_SMRAME and D_OPEN are
// set, otherwise the PCI side (VGA, open bus for now).
//
// legacyMap() describes 0xA0000-0xFFFFF region by region for the memory bus; the change
// hook is told (base, size) of every region whose routing changed (the CMS invalidates
// translations there; a load reports the whole window).
#pragma once
#include <functional>
#include <vector>

#include "codemorph/platform/pci.h"

namespace codemorph::platform {

struct LegacyRegion {
  uint32_t base;
  uint32_t size;
  bool readRam;   // false: reads go to ROM / the PCI side
  bool writeRam;  // false: writes go to the PCI side (dropped for ROM)
  bool operator==(const LegacyRegion&) const = default;
};

class I440fx : public PciFunction {
 public:
  static constexpr uint8_t kPam0 = 0x59, kSmram = 0x72;
  static constexpr uint8_t kSmramOpen = 0x40, kSmramClose = 0x20, kSmramLock = 0x10, kSmramEnable = 0x08;
  I440fx();

  // 0xA0000-0xBFFFF (SMRAM/VGA), then 13 PAM regions up to 0xFFFFF, in address order.
  std::vector<LegacyRegion> legacyMap() const;
  // The region containing addr (0xA0000 <= addr < 0x100000).
  LegacyRegion regionAt(uint32_t addr) const;
  using MapChangedHook = std::function<void(uint32_t base, uint32_t size)>;
  void setMapChangedHook(MapChangedHook hook) { hook_ = std::move(hook); }
  uint8_t smram() const { return static_cast<uint8_t>(get(kSmram, 1)); }
  // Hard reset (RESET#): PAM and SMRAM to their power-on values (all ROM, SMRAM closed
  // and unlocked); changed regions are reported through the hook.
  void resetMap();

 protected:
  void configWritten(uint8_t offset, unsigned size) override;
  void afterLoad() override;

 private:
  std::vector<LegacyRegion> last_;
  uint8_t smramBefore_ = 0x02;
  MapChangedHook hook_;
};

}  // namespace codemorph::platform
