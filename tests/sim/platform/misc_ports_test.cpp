// Port bus dispatch and the small ports: 0x402 debug console, isa-debug-exit, Bochs
// shutdown, port 0x92, reset control 0xCF9.
#include <gtest/gtest.h>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

TEST(PortBus, UnmappedIsOpenBusAndWideAccessesSplit) {
  PcPlatform pc({});
  EXPECT_EQ(pc.portIn(0x1234, 1), 0xFFu);
  EXPECT_EQ(pc.portIn(0x1234, 4), 0xFFFFFFFFu);
  pc.portOut(0x70, 2, 0x5A10);  // outw 0x70: index 0x10, data 0x5A (ISA byte split)
  pc.portOut(0x70, 1, 0x10);
  EXPECT_EQ(pc.portIn(0x71, 1), 0x5Au);
  EXPECT_GT(pc.ports.unmappedAccesses(), 0u);
}

TEST(PortBus, OverlappingMapIsRejected) {
  PcPlatform pc({});
  EXPECT_THROW(pc.ports.map(0x21, 1, pc.port92, "bad"), std::logic_error);
}

TEST(DebugPorts, DebugconPrintsAndIdentifies) {
  StringSink debug;
  PcPlatformConfig config;
  config.debugconSink = &debug;
  PcPlatform pc(config);
  EXPECT_EQ(pc.portIn(0x402, 1), 0xE9u);
  for (char c : std::string("SeaBIOS\n")) pc.portOut(0x402, 1, static_cast<uint8_t>(c));
  EXPECT_EQ(debug.text, "SeaBIOS\n");
}

TEST(DebugPorts, IsaDebugExitStatusIsTheValue) {
  PcPlatform pc({});
  EXPECT_FALSE(pc.control.exitRequested);
  pc.portOut(0xF4, 1, 0x2A);
  EXPECT_TRUE(pc.control.exitRequested);
  EXPECT_EQ(pc.control.exitStatus, 42);
  pc.portOut(0xF4, 1, 1);  // the first request wins
  EXPECT_EQ(pc.control.exitStatus, 42);
}

TEST(DebugPorts, BochsShutdownString) {
  PcPlatform pc({});
  for (char c : std::string("ShutSShutdow")) pc.portOut(0x8900, 1, static_cast<uint8_t>(c));
  EXPECT_FALSE(pc.control.exitRequested);
  pc.portOut(0x8900, 1, 'n');
  EXPECT_TRUE(pc.control.exitRequested);
  EXPECT_EQ(pc.control.exitStatus, 0);
}

TEST(ResetPorts, Port92A20AndFastReset) {
  PcPlatform pc({});
  int a20Changes = 0;
  pc.control.onA20Change = [&](bool) { ++a20Changes; };
  pc.portOut(0x92, 1, 0x02);
  EXPECT_TRUE(pc.control.a20);
  EXPECT_EQ(pc.portIn(0x92, 1), 0x02u);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::None);
  pc.portOut(0x92, 1, 0x03);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::Soft);
  EXPECT_EQ(a20Changes, 1);
}

TEST(ResetPorts, Cf9HardAndSoftReset) {
  PcPlatform pc({});
  pc.portOut(0xCF9, 1, 0x02);  // SeaBIOS: SRST first, then SRST|RCPU
  EXPECT_EQ(pc.control.resetRequested, ResetKind::None);
  EXPECT_EQ(pc.portIn(0xCF9, 1), 0x02u);
  pc.portOut(0xCF9, 1, 0x06);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::Hard);
  pc.control.resetRequested = ResetKind::None;
  pc.portOut(0xCF9, 1, 0x04);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::Soft);
  // A dword at 0xCF8 is PCI configuration space, not the reset register.
  pc.control.resetRequested = ResetKind::None;
  pc.portOut(0xCF8, 4, 0x80000604);
  EXPECT_EQ(pc.control.resetRequested, ResetKind::None);
  EXPECT_EQ(pc.portIn(0xCF8, 4), 0x80000604u);
  EXPECT_EQ(pc.portIn(0xCFC, 4), 0xFFFFFFFFu);  // no PCI devices yet
}

}  // namespace
}  // namespace codemorph::platform
