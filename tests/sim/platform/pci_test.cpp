// PCI configuration mechanism #1, the function registry, config-space masks, and the
// i440FX host bridge's PAM and SMRAM registers.
#include <gtest/gtest.h>

#include <vector>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

uint32_t addr(unsigned dev, unsigned fn, unsigned reg) { return 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC); }
uint32_t cfgRead(PcPlatform& pc, unsigned dev, unsigned fn, unsigned reg, unsigned size) {
  pc.portOut(0xCF8, 4, addr(dev, fn, reg));
  return pc.portIn(static_cast<uint16_t>(0xCFC + (reg & 3)), size);
}
void cfgWrite(PcPlatform& pc, unsigned dev, unsigned fn, unsigned reg, unsigned size, uint32_t v) {
  pc.portOut(0xCF8, 4, addr(dev, fn, reg));
  pc.portOut(static_cast<uint16_t>(0xCFC + (reg & 3)), size, v);
}

TEST(Pci, ConfigAddressRegister) {
  PcPlatform pc({});
  pc.portOut(0xCF8, 4, 0xFFFFFFFF);
  EXPECT_EQ(pc.portIn(0xCF8, 4), 0x80FFFFFCu);  // reserved bits read 0
  pc.portOut(0xCF8, 1, 0x12);                    // byte accesses do not reach it
  EXPECT_EQ(pc.portIn(0xCF8, 4), 0x80FFFFFCu);
}

TEST(Pci, EnumeratesSeaBiosDevices) {
  PcPlatform pc({});
  EXPECT_EQ(cfgRead(pc, 0, 0, 0, 4), 0x12378086u);
  EXPECT_EQ(cfgRead(pc, 1, 0, 0, 4), 0x70008086u);
  EXPECT_EQ(cfgRead(pc, 1, 1, 0, 4), 0x70108086u);
  EXPECT_EQ(cfgRead(pc, 1, 3, 0, 4), 0x71138086u);
  EXPECT_EQ(cfgRead(pc, 1, 2, 0, 4), 0xFFFFFFFFu);  // absent function
  EXPECT_EQ(cfgRead(pc, 2, 0, 0, 2), 0xFFFFu);      // absent device
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x0A, 2), 0x0600u);   // host bridge class
  EXPECT_EQ(cfgRead(pc, 1, 0, 0x0A, 2), 0x0601u);   // ISA bridge
  EXPECT_EQ(cfgRead(pc, 1, 0, 0x0E, 1), 0x80u);     // multi-function
  EXPECT_EQ(cfgRead(pc, 1, 1, 0x08, 4), 0x01018000u);  // IDE class/prog-if/rev
  EXPECT_EQ(cfgRead(pc, 1, 3, 0x08, 4), 0x06800003u);
  int found = 0;  // SeaBIOS-style scan: bus 0, every devfn
  for (unsigned devfn = 0; devfn < 256; ++devfn) {
    if (cfgRead(pc, devfn >> 3, devfn & 7, 0, 2) != 0xFFFF) ++found;
  }
  EXPECT_EQ(found, 4);
}

TEST(Pci, DisabledOrOtherBusIsMasterAbort) {
  PcPlatform pc({});
  pc.portOut(0xCF8, 4, 0x00000000);  // enable bit clear
  EXPECT_EQ(pc.portIn(0xCFC, 4), 0xFFFFFFFFu);
  pc.portOut(0xCFC, 4, 0);
  pc.portOut(0xCF8, 4, 0x80010000);  // bus 1
  EXPECT_EQ(pc.portIn(0xCFC, 4), 0xFFFFFFFFu);
  EXPECT_EQ(cfgRead(pc, 0, 0, 0, 4), 0x12378086u);
}

TEST(Pci, ByteWordDwordAccessesAndMasks) {
  PcPlatform pc({});
  EXPECT_EQ(cfgRead(pc, 0, 0, 1, 1), 0x80u);
  EXPECT_EQ(cfgRead(pc, 0, 0, 2, 2), 0x1237u);
  EXPECT_EQ(cfgRead(pc, 0, 0, 3, 1), 0x12u);
  cfgWrite(pc, 0, 0, 0, 4, 0);  // identity is read-only
  EXPECT_EQ(cfgRead(pc, 0, 0, 0, 4), 0x12378086u);
  cfgWrite(pc, 1, 0, 0x3C, 1, 0x0B);  // interrupt line is writable
  EXPECT_EQ(cfgRead(pc, 1, 0, 0x3C, 1), 0x0Bu);
  cfgWrite(pc, 1, 0, 0x04, 2, 0xFFFF);  // command: only the QEMU-writable bits
  EXPECT_EQ(cfgRead(pc, 1, 0, 0x04, 2), 0x0547u);
  cfgWrite(pc, 0, 0, 0x5A, 2, 0xFFFF);  // word write straddling PAM1/PAM2
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x58, 4) >> 16, 0x3333u);
}

TEST(Pci, NativeDataPortAccessStraddlingItsEndIsSplit) {
  PcPlatform pc({});
  pc.portOut(0xCF8, 4, addr(0, 0, 0));
  EXPECT_EQ(pc.portIn(0xCFE, 2), 0x1237u);         // whole word inside the range
  EXPECT_EQ(pc.portIn(0xCFF, 2), 0xFF12u);         // byte 0xCFF, then open bus at 0xD00
}

TEST(Pci, IoBarSizing) {
  PcPlatform pc({});
  cfgWrite(pc, 1, 1, 0x20, 4, 0xFFFFFFFF);
  EXPECT_EQ(cfgRead(pc, 1, 1, 0x20, 4), 0xFFFFFFF1u);  // 16 bytes of I/O
  cfgWrite(pc, 1, 1, 0x20, 4, 0xC000);
  EXPECT_EQ(cfgRead(pc, 1, 1, 0x20, 4), 0xC001u);
  cfgWrite(pc, 1, 1, 0x10, 4, 0xFFFFFFFF);  // BAR0 absent in legacy mode
  EXPECT_EQ(cfgRead(pc, 1, 1, 0x10, 4), 0u);
  EXPECT_EQ(pc.ide.busMasterBase(), 0u);  // I/O decode off
  cfgWrite(pc, 1, 1, 0x04, 2, 0x0005);
  EXPECT_EQ(pc.ide.busMasterBase(), 0xC000u);
  EXPECT_FALSE(pc.ide.legacyDecode(0));
  cfgWrite(pc, 1, 1, 0x40, 4, 0x80008000);
  EXPECT_TRUE(pc.ide.legacyDecode(0));
  EXPECT_TRUE(pc.ide.legacyDecode(1));
}

TEST(Pci, RegistryRejectsTakenSlot) {
  PcPlatform pc({});
  I440fx other;
  EXPECT_THROW(pc.pciHost.attach(0, 0, other), std::logic_error);
  EXPECT_EQ(pc.pciHost.find(1, 3), &pc.pm);
}

TEST(Pam, PowerOnReadsRomAndDropsWrites) {
  PcPlatform pc({});
  const auto map = pc.i440fx.legacyMap();
  ASSERT_EQ(map.size(), 14u);
  EXPECT_EQ(map.front().base, 0xA0000u);
  EXPECT_EQ(map[1].base, 0xC0000u);
  EXPECT_EQ(map.back().base, 0xF0000u);
  EXPECT_EQ(map.back().size, 0x10000u);
  for (const auto& r : map) {
    EXPECT_FALSE(r.readRam);
    EXPECT_FALSE(r.writeRam);
  }
}

TEST(Pam, RegistersRouteRegionsAndNotify) {
  PcPlatform pc({});
  std::vector<std::pair<uint32_t, uint32_t>> changes;
  pc.i440fx.setMapChangedHook([&](uint32_t base, uint32_t size) { changes.emplace_back(base, size); });
  cfgWrite(pc, 0, 0, 0x59, 1, 0xFF);  // PAM0: only bits 5-4 exist
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x59, 1), 0x30u);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], std::make_pair(0xF0000u, 0x10000u));
  EXPECT_TRUE(pc.i440fx.regionAt(0xFFFF0).readRam);
  EXPECT_TRUE(pc.i440fx.regionAt(0xF0000).writeRam);
  changes.clear();
  cfgWrite(pc, 0, 0, 0x59, 1, 0x30);  // same value: no notification
  EXPECT_TRUE(changes.empty());
  cfgWrite(pc, 0, 0, 0x5A, 1, 0x21);  // PAM1: C0000 read-only RAM, C4000 write-only
  auto c0 = pc.i440fx.regionAt(0xC0000), c4 = pc.i440fx.regionAt(0xC7FFF);
  EXPECT_TRUE(c0.readRam);
  EXPECT_FALSE(c0.writeRam);
  EXPECT_FALSE(c4.readRam);
  EXPECT_TRUE(c4.writeRam);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], std::make_pair(0xC0000u, 0x4000u));
  EXPECT_EQ(changes[1], std::make_pair(0xC4000u, 0x4000u));
  cfgWrite(pc, 0, 0, 0x5F, 1, 0x30);  // PAM6 high nibble: EC000-EFFFF
  EXPECT_TRUE(pc.i440fx.regionAt(0xEC000).readRam);
  EXPECT_FALSE(pc.i440fx.regionAt(0xE8000).readRam);
  EXPECT_TRUE(pc.i440fx.regionAt(0x100000).readRam);  // above the window: DRAM
}

TEST(Pam, SmramOpenAndLock) {
  PcPlatform pc({});
  int changes = 0;
  pc.i440fx.setMapChangedHook([&](uint32_t base, uint32_t) { changes += base == 0xA0000; });
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x72, 1), 0x02u);
  cfgWrite(pc, 0, 0, 0x72, 1, 0x4F);  // D_OPEN | G_SMRAME; C_BASE_SEG fixed
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x72, 1), 0x4Au);
  EXPECT_TRUE(pc.i440fx.regionAt(0xA0000).readRam);
  EXPECT_EQ(changes, 1);
  cfgWrite(pc, 0, 0, 0x72, 1, 0x5A);  // D_LCK clears D_OPEN
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x72, 1), 0x1Au);
  EXPECT_FALSE(pc.i440fx.regionAt(0xBFFFF).readRam);
  cfgWrite(pc, 0, 0, 0x72, 1, 0x42);  // locked: cannot reopen or unlock or disable
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x72, 1), 0x1Au);
  cfgWrite(pc, 0, 0, 0x72, 1, 0x22);  // D_CLS stays writable
  EXPECT_EQ(cfgRead(pc, 0, 0, 0x72, 1), 0x3Au);
}

TEST(Pam, CheckpointRestoresMapAndReportsIt) {
  PcPlatform a({});
  cfgWrite(a, 0, 0, 0x5C, 4, 0x33333333);
  support::OutArchive out;
  a.save(out);
  PcPlatform b({});
  int changes = 0;
  b.i440fx.setMapChangedHook([&](uint32_t base, uint32_t size) {
    EXPECT_EQ(base, 0xA0000u);
    EXPECT_EQ(size, 0x60000u);
    ++changes;
  });
  support::InArchive in(out.bytes());
  b.load(in);
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(b.i440fx.legacyMap(), a.i440fx.legacyMap());
  EXPECT_EQ(b.pciHost.configAddress(), a.pciHost.configAddress());
}

}  // namespace
}  // namespace codemorph::platform
