// PIIX3 ISA bridge PIRQ routing, PIIX4 PM (PMBA, ACPI PM timer).
#include <gtest/gtest.h>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

void cfgWrite(PcPlatform& pc, unsigned dev, unsigned fn, unsigned reg, unsigned size, uint32_t v) {
  pc.portOut(0xCF8, 4, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC));
  pc.portOut(static_cast<uint16_t>(0xCFC + (reg & 3)), size, v);
}
uint32_t cfgRead(PcPlatform& pc, unsigned dev, unsigned fn, unsigned reg, unsigned size) {
  pc.portOut(0xCF8, 4, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC));
  return pc.portIn(static_cast<uint16_t>(0xCFC + (reg & 3)), size);
}

// Like SeaBIOS: PMBA = 0x600 | 1, then PMREGMISC bit 0.
void enablePm(PcPlatform& pc) {
  cfgWrite(pc, 1, 3, 0x40, 4, 0x601);
  cfgWrite(pc, 1, 3, 0x80, 1, 0x01);
}

TEST(Piix, PirqRouteRegisters) {
  PcPlatform pc({});
  EXPECT_EQ(cfgRead(pc, 1, 0, 0x60, 4), 0x80808080u);
  cfgWrite(pc, 1, 0, 0x60, 4, 0xFF0B0A0A);  // SeaBIOS: A,B -> 10, C -> 11; D disabled
  EXPECT_EQ(cfgRead(pc, 1, 0, 0x60, 4), 0x8F0B0A0Au);
  EXPECT_EQ(pc.piix3.routeOf(0), 10);
  EXPECT_EQ(pc.piix3.routeOf(2), 11);
  EXPECT_EQ(pc.piix3.routeOf(3), -1);
  cfgWrite(pc, 1, 0, 0x63, 1, 0x02);  // IRQ2 is not routable
  EXPECT_EQ(pc.piix3.routeOf(3), -1);
}

TEST(Piix, PirqDrivesLevelTriggeredIrq) {
  PcPlatform pc({});
  pc.portOut(0x4D1, 1, 0x0C);                // ELCR: IRQ10, 11 level (SeaBIOS)
  pc.portOut(0x20, 1, 0x11);                 // master ICW1..4, vector 0x08
  pc.portOut(0x21, 1, 0x08);
  pc.portOut(0x21, 1, 0x04);
  pc.portOut(0x21, 1, 0x01);
  pc.portOut(0xA0, 1, 0x11);                 // slave, vector 0x70
  pc.portOut(0xA1, 1, 0x70);
  pc.portOut(0xA1, 1, 0x02);
  pc.portOut(0xA1, 1, 0x01);
  pc.portOut(0x21, 1, 0xFB);
  pc.portOut(0xA1, 1, 0xF3);                 // unmask IRQ10, 11
  cfgWrite(pc, 1, 0, 0x60, 4, 0x0B0B0A0A);
  pc.piix3.setPirq(0, true);
  EXPECT_TRUE(pc.pic.intr());
  EXPECT_EQ(pc.pic.interruptAcknowledge(), 0x72);  // IRQ10
  pc.piix3.setPirq(1, true);                       // wired-OR on IRQ10
  pc.piix3.setPirq(0, false);
  pc.portOut(0xA0, 1, 0x20);
  pc.portOut(0x20, 1, 0x20);
  EXPECT_TRUE(pc.pic.intr());                      // still asserted by PIRQB (level)
  pc.piix3.setPirq(1, false);
  EXPECT_FALSE(pc.pic.intr());
  pc.piix3.setPirq(2, true);                       // rerouting moves the level
  cfgWrite(pc, 1, 0, 0x62, 1, 0x80);
  EXPECT_FALSE(pc.pic.intr());
  cfgWrite(pc, 1, 0, 0x62, 1, 0x0B);
  EXPECT_TRUE(pc.pic.intr());
  EXPECT_EQ(pc.pic.interruptAcknowledge(), 0x73);
}

TEST(Piix, SmmReportedAlreadyInitialised) {
  PcPlatform pc({});
  EXPECT_EQ(cfgRead(pc, 1, 3, 0x58, 4) & (1u << 25), 1u << 25);  // SeaBIOS skips SMM init
}

TEST(Piix, PmBaseMapsTheIoBlock) {
  PcPlatform pc({});
  EXPECT_EQ(cfgRead(pc, 1, 3, 0x40, 4), 0x1u);
  EXPECT_EQ(pc.pm.pmBase(), -1);
  EXPECT_EQ(pc.portIn(0x608, 4), 0xFFFFFFFFu);
  cfgWrite(pc, 1, 3, 0x40, 4, 0xFFFFFFFF);
  EXPECT_EQ(cfgRead(pc, 1, 3, 0x40, 4), 0xFFC1u);
  enablePm(pc);
  EXPECT_EQ(pc.pm.pmBase(), 0x600);
  EXPECT_NE(pc.portIn(0x608, 4), 0xFFFFFFFFu);
  cfgWrite(pc, 1, 3, 0x40, 4, 0xB001);  // move it
  EXPECT_EQ(pc.pm.pmBase(), 0xB000);
  EXPECT_EQ(pc.portIn(0x608, 4), 0xFFFFFFFFu);
  cfgWrite(pc, 1, 3, 0x80, 1, 0x00);  // disable
  EXPECT_EQ(pc.pm.pmBase(), -1);
  cfgWrite(pc, 1, 3, 0x40, 4, 0x21);  // over the PIC: not decoded, no crash
  cfgWrite(pc, 1, 3, 0x80, 1, 0x01);
  EXPECT_EQ(pc.pm.pmBase(), -1);
}

TEST(Piix, AcpiPmTimerCountsSimulatedTime) {
  PcPlatform pc({});
  enablePm(pc);
  EXPECT_EQ(pc.portIn(0x608, 4), 0u);
  pc.syncTo(kPicosPerSecond);
  EXPECT_EQ(pc.portIn(0x608, 4), 3579545u);
  pc.syncTo(kPicosPerSecond + 279 * kPicosPerNano);  // one period is 279.365 ns
  EXPECT_EQ(pc.portIn(0x608, 4), 3579545u);
  pc.syncTo(kPicosPerSecond + 280 * kPicosPerNano);
  EXPECT_EQ(pc.portIn(0x608, 4), 3579546u);
  EXPECT_EQ(pc.portIn(0x608, 2), 3579546u & 0xFFFF);   // word and byte reads
  EXPECT_EQ(pc.portIn(0x60A, 1), (3579546u >> 16) & 0xFF);
  // 24 bits: wraps after 2^24 ticks (4.687 s).
  const SimTime wrap = (SimTime{1} << 24) * kPicosPerSecond / PmIo::kPmTimerHz + kPicosPerSecond;
  pc.syncTo(wrap);
  EXPECT_EQ(pc.portIn(0x608, 4), PmIo::ticksAt(wrap) & 0xFFFFFF);
  EXPECT_LT(pc.portIn(0x608, 4), 0x1000000u);
  pc.portOut(0x608, 4, 0);  // read-only
  EXPECT_EQ(pc.portIn(0x608, 4), PmIo::ticksAt(wrap) & 0xFFFFFF);
}

TEST(Piix, PmStatusOverflowAndControl) {
  PcPlatform pc({});
  enablePm(pc);
  EXPECT_EQ(pc.portIn(0x600, 2), 0u);
  pc.syncTo((SimTime{1} << 23) * kPicosPerSecond / PmIo::kPmTimerHz + kPicosPerSecond / 1000);
  EXPECT_EQ(pc.portIn(0x600, 2) & 1, 1u);  // timer bit 23 toggled
  pc.portOut(0x600, 2, 0x0001);            // write one to clear
  EXPECT_EQ(pc.portIn(0x600, 2) & 1, 0u);
  pc.portOut(0x602, 2, 0x0121);            // PMEN stored
  EXPECT_EQ(pc.portIn(0x600, 4) >> 16, 0x0121u);
  pc.portOut(0x604, 2, 0x0001);            // SCI_EN
  EXPECT_EQ(pc.portIn(0x604, 2), 0x0001u);
  EXPECT_FALSE(pc.control.exitRequested);
  pc.portOut(0x604, 2, 0x2000);            // SUS_EN, SUS_TYP 0 = S5 soft-off
  EXPECT_TRUE(pc.control.exitRequested);
  EXPECT_EQ(pc.control.exitStatus, 0);
  EXPECT_EQ(pc.portIn(0x604, 2) & 0x2000, 0u);
}

TEST(Piix, CheckpointRestoresPmMappingAndPirqs) {
  PcPlatform a({});
  enablePm(a);
  cfgWrite(a, 1, 0, 0x60, 1, 0x0A);
  a.piix3.setPirq(0, true);
  a.syncTo(123 * kPicosPerMicro);
  a.portOut(0x602, 2, 0x0001);
  support::OutArchive out;
  a.save(out);
  PcPlatform b({});
  support::InArchive in(out.bytes());
  b.load(in);
  EXPECT_EQ(b.pm.pmBase(), 0x600);
  EXPECT_EQ(b.portIn(0x608, 4), a.portIn(0x608, 4));
  EXPECT_EQ(b.portIn(0x602, 2), 0x0001u);
  support::OutArchive again;
  b.save(again);
  EXPECT_EQ(again.bytes(), out.bytes());
}

}  // namespace
}  // namespace codemorph::platform
