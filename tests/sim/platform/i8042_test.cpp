// 8042 keyboard controller: self-test, command byte, output port (A20, reset), pulse
// reset, minimal keyboard, IRQ1.
#include <gtest/gtest.h>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

TEST(I8042, SelfTestAndInterfaceTest) {
  PcPlatform pc({});
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x01, 0u);  // output buffer empty
  pc.portOut(0x64, 1, 0xAA);
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x05, 0x05u);  // OBF and SYS
  EXPECT_EQ(pc.portIn(0x60, 1), 0x55u);
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x01, 0u);
  pc.portOut(0x64, 1, 0xAB);
  EXPECT_EQ(pc.portIn(0x60, 1), 0x00u);
}

TEST(I8042, CommandByteReadWrite) {
  PcPlatform pc({});
  pc.portOut(0x64, 1, 0x20);
  EXPECT_EQ(pc.portIn(0x60, 1), 0x03u);
  pc.portOut(0x64, 1, 0x60);
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x08, 0x08u);  // last write was a command
  pc.portOut(0x60, 1, 0x65);  // translate, disable kbd, SYS, IRQ1
  EXPECT_EQ(pc.kbc.commandByte(), 0x65u);
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x0C, 0x04u);
  pc.portOut(0x64, 1, 0xAD);
  EXPECT_EQ(pc.kbc.commandByte() & 0x10, 0x10u);
  pc.portOut(0x64, 1, 0xAE);
  EXPECT_EQ(pc.kbc.commandByte() & 0x10, 0u);
}

TEST(I8042, OutputPortDrivesA20SharedWithPort92) {
  PcPlatform pc({});
  int changes = 0;
  pc.control.onA20Change = [&](bool) { ++changes; };
  pc.portOut(0x64, 1, 0xD1);
  pc.portOut(0x60, 1, 0xDF);  // the classic "enable A20" value
  EXPECT_TRUE(pc.control.a20);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::None);
  pc.portOut(0x64, 1, 0xD0);
  EXPECT_EQ(pc.portIn(0x60, 1) & 0x03, 0x03u);
  pc.portOut(0x92, 1, 0x00);  // port 0x92 turns the same line off
  pc.portOut(0x64, 1, 0xD0);
  EXPECT_EQ(pc.portIn(0x60, 1) & 0x02, 0u);
  pc.portOut(0x64, 1, 0xDF);
  EXPECT_TRUE(pc.control.a20);
  pc.portOut(0x64, 1, 0xDD);
  EXPECT_FALSE(pc.control.a20);
  EXPECT_EQ(changes, 4);
}

TEST(I8042, PulseResetAndOutputPortReset) {
  PcPlatform pc({});
  pc.portOut(0x64, 1, 0xFF);  // pulse nothing
  EXPECT_EQ(pc.control.resetRequested, ResetKind::None);
  pc.portOut(0x64, 1, 0xFE);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::Hard);
  pc.control.resetRequested = ResetKind::None;
  pc.portOut(0x64, 1, 0xD1);
  pc.portOut(0x60, 1, 0x02);  // reset line low
  EXPECT_EQ(pc.control.resetRequested, ResetKind::Hard);
}

TEST(I8042, KeyboardResetIdentifyAndParameters) {
  PcPlatform pc({});
  pc.portOut(0x60, 1, 0xFF);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xAAu);
  pc.portOut(0x60, 1, 0xF2);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xABu);
  EXPECT_EQ(pc.portIn(0x60, 1), 0x83u);
  pc.portOut(0x60, 1, 0xED);  // LEDs
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  pc.portOut(0x60, 1, 0x07);  // parameter, not a command
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x01, 0u);
  pc.portOut(0x60, 1, 0xF0);
  pc.portOut(0x60, 1, 0x00);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  EXPECT_EQ(pc.portIn(0x60, 1), 0x02u);
  pc.portOut(0x60, 1, 0x42);  // unknown
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFEu);
  pc.portOut(0x60, 1, 0xF5);  // disable scanning: input dropped
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  pc.kbc.keyboardInput(0x1E);
  EXPECT_EQ(pc.portIn(0x64, 1) & 0x01, 0u);
  pc.portOut(0x60, 1, 0xF4);
  EXPECT_EQ(pc.portIn(0x60, 1), 0xFAu);
  pc.kbc.keyboardInput(0x1E);
  EXPECT_EQ(pc.portIn(0x60, 1), 0x1Eu);
}

TEST(I8042, Irq1WhileOutputBufferFull) {
  PcPlatform pc({});
  pc.portOut(0x20, 1, 0x11);
  pc.portOut(0x21, 1, 0x08);
  pc.portOut(0x21, 1, 0x04);
  pc.portOut(0x21, 1, 0x01);
  pc.portOut(0x21, 1, 0xFD);  // only IRQ1
  pc.kbc.keyboardInput(0x1C);
  EXPECT_TRUE(pc.pic.intr());
  EXPECT_EQ(pc.pic.interruptAcknowledge(), 0x09);
  EXPECT_EQ(pc.portIn(0x60, 1), 0x1Cu);
  pc.portOut(0x20, 1, 0x20);
  EXPECT_FALSE(pc.pic.intr());
  pc.portOut(0x64, 1, 0x60);
  pc.portOut(0x60, 1, 0x00);  // IRQ1 disabled in the command byte
  pc.kbc.keyboardInput(0x1C);
  EXPECT_FALSE(pc.pic.intr());
}

TEST(I8042, CheckpointKeepsQueueAndPendingCommand) {
  PcPlatform a({});
  a.portOut(0x60, 1, 0xF2);
  a.portIn(0x60, 1);
  a.portOut(0x64, 1, 0x60);  // command byte write pending
  support::OutArchive out;
  a.save(out);
  PcPlatform b({});
  support::InArchive in(out.bytes());
  b.load(in);
  EXPECT_EQ(b.portIn(0x60, 1), 0xABu);
  EXPECT_EQ(b.portIn(0x60, 1), 0x83u);
  b.portOut(0x60, 1, 0x45);
  EXPECT_EQ(b.kbc.commandByte(), 0x45u);
}

}  // namespace
}  // namespace codemorph::platform
