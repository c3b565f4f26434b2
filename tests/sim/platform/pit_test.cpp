// 8254: modes 0, 2, 3, latch, read-back, reprogramming, channel 2 gate/out via port 0x61,
// and IRQ0 reaching the CPU through the PIC in simulated time.
#include "codemorph/platform/pit8254.h"

#include <gtest/gtest.h>

#include <vector>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

struct PitRig {
  EventQueue q;
  std::vector<std::pair<SimTime, bool>> edges;
  Pit8254 pit{q, [this](bool level) { edges.emplace_back(q.now(), level); }};
  void at(uint64_t tick) { q.runUntil(pitTickTime(tick)); }
  void control(uint8_t v) { pit.ioWrite(3, 1, v); }
  void count16(unsigned ch, uint16_t n) {
    pit.ioWrite(static_cast<uint16_t>(ch), 1, n & 0xFF);
    pit.ioWrite(static_cast<uint16_t>(ch), 1, n >> 8);
  }
  uint16_t latch16(unsigned ch) {
    control(static_cast<uint8_t>(ch << 6));
    const uint32_t lo = pit.ioRead(static_cast<uint16_t>(ch), 1);
    return static_cast<uint16_t>(lo | (pit.ioRead(static_cast<uint16_t>(ch), 1) << 8));
  }
};

TEST(Pit, TimeConversionIsExact) {
  EXPECT_EQ(pitTicksAt(kPicosPerSecond), kPitHz);
  EXPECT_EQ(pitTicksAt(pitTickTime(123456789)), 123456789u);
  EXPECT_EQ(pitTicksAt(pitTickTime(123456789) - 1), 123456788u);
}

TEST(Pit, Mode2RateGeneratorDrivesIrq0Edges) {
  PitRig r;
  r.control(0x34);  // ch0, LSB/MSB, mode 2
  r.count16(0, 100);  // written at tick 0: loaded at tick 1
  r.at(1000);
  // OUT: initially high; low for one tick at count 1 (tick 100), rising at reload (101).
  std::vector<std::pair<SimTime, bool>> want;
  for (uint64_t k = 1; k * 100 <= 1000; ++k) {
    want.emplace_back(pitTickTime(k * 100), false);
    if (k * 100 + 1 <= 1000) want.emplace_back(pitTickTime(k * 100 + 1), true);
  }
  // OUT was high already (power-on mode 3) and stays high after the control word.
  EXPECT_EQ(r.edges, want);
}

TEST(Pit, CounterLatchAndMode2Count) {
  PitRig r;
  r.control(0x34);
  r.count16(0, 1000);
  r.at(1);
  EXPECT_EQ(r.latch16(0), 1000);
  r.at(251);
  EXPECT_EQ(r.latch16(0), 750);
  // A latched value holds while time moves on, until read.
  r.control(0x00);
  r.at(500);
  EXPECT_EQ(r.pit.ioRead(0, 1), 750u & 0xFF);
  EXPECT_EQ(r.pit.ioRead(0, 1), 750u >> 8);
  EXPECT_EQ(r.latch16(0), 501);
  r.at(1001);
  EXPECT_EQ(r.latch16(0), 1000);  // reloaded
}

TEST(Pit, Mode0InterruptOnTerminalCount) {
  PitRig r;
  r.control(0x30);  // ch0 mode 0
  EXPECT_FALSE(r.pit.out(0));
  r.count16(0, 50);
  r.at(50);
  EXPECT_FALSE(r.pit.out(0));
  r.at(51);  // loaded at tick 1, reaches 0 at tick 51
  EXPECT_TRUE(r.pit.out(0));
  r.at(100);
  EXPECT_TRUE(r.pit.out(0));  // stays high; the counter wraps on
  EXPECT_EQ(r.latch16(0), static_cast<uint16_t>(50 - 99));
  ASSERT_EQ(r.edges.size(), 2u);  // low at the control word, high at terminal count
  EXPECT_EQ(r.edges[0], std::make_pair(SimTime{0}, false));
  EXPECT_EQ(r.edges[1], std::make_pair(pitTickTime(51), true));
}

TEST(Pit, Mode3SquareWaveWithCountZeroIs65536) {
  PitRig r;
  r.control(0x36);  // SeaBIOS pit_setup: ch0 mode 3, count 0 (18.2 Hz)
  r.count16(0, 0);
  r.at(1 + 32767);
  EXPECT_TRUE(r.pit.out(0));
  r.at(1 + 32768);
  EXPECT_FALSE(r.pit.out(0));
  r.at(1 + 65536);
  EXPECT_TRUE(r.pit.out(0));
  EXPECT_EQ(r.edges.size(), 2u);  // fall, rise
}

TEST(Pit, ReadBackStatusAndCount) {
  PitRig r;
  r.pit.setGate(2, true);  // channel 2's gate is low at power-on (port 0x61 bit 0)
  r.control(0xB4);  // ch2, LSB/MSB, mode 2
  r.control(0xE8);  // read-back status of ch2 (COUNT' = 1)
  EXPECT_EQ(r.pit.ioRead(2, 1), 0x40u | 0x80u | 0x30u | 0x04u);  // null count, OUT high
  r.count16(2, 300);
  r.at(11);
  r.control(0xC8);  // read-back count and status of ch2
  EXPECT_EQ(r.pit.ioRead(2, 1), 0x80u | 0x30u | 0x04u);  // status first, null count clear
  EXPECT_EQ(r.pit.ioRead(2, 1), (300u - 10) & 0xFF);
  EXPECT_EQ(r.pit.ioRead(2, 1), (300u - 10) >> 8);
}

TEST(Pit, LsbOnlyAndMsbOnlyAccess) {
  PitRig r;
  r.control(0x14);  // ch0 LSB only, mode 2
  r.pit.ioWrite(0, 1, 200);
  r.at(51);
  EXPECT_EQ(r.pit.ioRead(0, 1), 150u);
  r.control(0x24);  // MSB only
  r.pit.ioWrite(0, 1, 0x02);  // 512
  r.at(51 + 1 + 256);
  EXPECT_EQ(r.pit.ioRead(0, 1), 0x01u);  // 256 left
}

TEST(Pit, Mode2NewCountTakesEffectAtEndOfPeriod) {
  PitRig r;
  r.control(0x34);
  r.count16(0, 100);
  r.at(31);
  r.count16(0, 40);
  r.at(100);
  EXPECT_EQ(r.latch16(0), 1);  // still the old period
  r.at(101);
  EXPECT_EQ(r.latch16(0), 40);
  r.at(141);
  EXPECT_EQ(r.latch16(0), 40);
}

TEST(Pit, Channel2GateAndOutThroughPort61) {
  EventQueue q;
  Pit8254 pit(q, nullptr);
  Port61 port(q, pit);
  // SeaBIOS-style TSC calibration: gate off, mode 0 count, gate on, poll bit 5.
  port.ioWrite(0, 1, 0x00);
  pit.ioWrite(3, 1, 0xB0);
  pit.ioWrite(2, 1, 0x00);
  pit.ioWrite(2, 1, 0x10);  // 4096
  q.runUntil(pitTickTime(10000));
  EXPECT_EQ(port.ioRead(0, 1) & 0x20, 0u);  // gate low: not counting
  port.ioWrite(0, 1, 0x01);
  EXPECT_EQ(port.ioRead(0, 1) & 0x01, 1u);
  q.runUntil(pitTickTime(10000 + 4096));
  EXPECT_EQ(port.ioRead(0, 1) & 0x20, 0u);
  q.runUntil(pitTickTime(10000 + 4097));
  EXPECT_EQ(port.ioRead(0, 1) & 0x20, 0x20u);
}

TEST(Pit, Port61RefreshToggles) {
  EventQueue q;
  Pit8254 pit(q, nullptr);
  Port61 port(q, pit);
  const uint32_t a = port.ioRead(0, 1) & 0x10;
  q.runUntil(pitTickTime(18));
  EXPECT_NE(port.ioRead(0, 1) & 0x10, a);
}

// The whole path: PIT channel 0 -> IRQ0 edge -> master 8259A -> INTA vector, in simulated
// time, the way a BIOS timer interrupt works.
TEST(Pit, Irq0ReachesTheCpuThroughThePic) {
  PcPlatform pc({});
  auto out = [&](uint16_t p, uint8_t v) { pc.portOut(p, 1, v); };
  for (auto [p, v] : {std::pair{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0x21, 0xFE}}) out(p, v);
  out(0x43, 0x34);
  out(0x40, 0xA9);
  out(0x40, 0x04);  // 1193: about 1 ms
  std::vector<SimTime> seen;
  // A "CPU" that checks INTR every microsecond of simulated time.
  for (SimTime t = 0; t <= 10 * 1000 * kPicosPerMicro; t += kPicosPerMicro) {
    pc.syncTo(t);
    if (pc.pic.intr()) {
      EXPECT_EQ(pc.pic.interruptAcknowledge(), 0x08);
      seen.push_back(t);
      out(0x20, 0x20);
    }
  }
  size_t edges = 0;  // rising edges at ticks 1 + 1193 k up to 10 ms
  while (pitTickTime(1 + 1193 * (edges + 1)) <= 10 * 1000 * kPicosPerMicro) ++edges;
  ASSERT_EQ(edges, 10u);
  ASSERT_EQ(seen.size(), edges);
  for (size_t i = 0; i < seen.size(); ++i) {
    const SimTime edge = pitTickTime(1 + 1193 * (i + 1));
    EXPECT_GE(seen[i], edge);
    EXPECT_LT(seen[i], edge + kPicosPerMicro);
  }
}

}  // namespace
}  // namespace codemorph::platform
