// MC146818: index/data ports and the NMI bit, BCD and binary clock derived from simulated
// time, SET freezing, guest-set time, UIP, memory-size bytes.
#include "codemorph/platform/cmos_rtc.h"

#include <gtest/gtest.h>

namespace codemorph::platform {
namespace {

struct CmosRig {
  EventQueue q;
  CmosRtc rtc{q, 1700000000};  // 2023-11-14 22:13:20 UTC, a Tuesday
  uint8_t read(uint8_t index) {
    rtc.ioWrite(0, 1, index);
    return static_cast<uint8_t>(rtc.ioRead(1, 1));
  }
  void write(uint8_t index, uint8_t v) {
    rtc.ioWrite(0, 1, index);
    rtc.ioWrite(1, 1, v);
  }
};

TEST(Cmos, BcdClockFromStartDate) {
  CmosRig r;
  EXPECT_EQ(r.read(0x00), 0x20);
  EXPECT_EQ(r.read(0x02), 0x13);
  EXPECT_EQ(r.read(0x04), 0x22);
  EXPECT_EQ(r.read(0x06), 0x03);  // Tuesday (1 = Sunday)
  EXPECT_EQ(r.read(0x07), 0x14);
  EXPECT_EQ(r.read(0x08), 0x11);
  EXPECT_EQ(r.read(0x09), 0x23);
  EXPECT_EQ(r.read(0x32), 0x20);
  EXPECT_EQ(r.read(0x0D), 0x80);
}

TEST(Cmos, AdvancesWithSimulatedTimeOnly) {
  CmosRig r;
  r.q.runUntil(41 * kPicosPerSecond + 5);
  EXPECT_EQ(r.read(0x00), 0x01);
  EXPECT_EQ(r.read(0x02), 0x14);
}

TEST(Cmos, BinaryAnd12HourModes) {
  CmosRig r;
  r.write(0x0B, 0x04);  // binary, 12-hour
  EXPECT_EQ(r.read(0x00), 20);
  EXPECT_EQ(r.read(0x04), 0x80 | 10);  // 10 PM
}

TEST(Cmos, SetFreezesAndGuestWritesMoveTheClock) {
  CmosRig r;
  r.write(0x0B, 0x82);  // SET, 24h, BCD
  r.write(0x04, 0x08);
  r.write(0x02, 0x30);
  r.q.runUntil(10 * kPicosPerSecond);
  EXPECT_EQ(r.read(0x02), 0x30);  // frozen while SET
  EXPECT_EQ(r.read(0x00), 0x20);
  r.write(0x0B, 0x02);
  r.q.runUntil(15 * kPicosPerSecond);
  EXPECT_EQ(r.read(0x04), 0x08);
  EXPECT_EQ(r.read(0x00), 0x25);
}

TEST(Cmos, UpdateInProgressNearTheEndOfASecond) {
  CmosRig r;
  EXPECT_EQ(r.read(0x0A), 0x26);
  r.q.runUntil(kPicosPerSecond - 100 * kPicosPerMicro);
  EXPECT_EQ(r.read(0x0A), 0xA6);
}

TEST(Cmos, NmiMaskBitAndRam) {
  CmosRig r;
  r.rtc.ioWrite(0, 1, 0x80 | 0x40);
  EXPECT_TRUE(r.rtc.nmiMasked());
  r.rtc.ioWrite(1, 1, 0x77);
  EXPECT_EQ(r.read(0x40), 0x77);
  EXPECT_FALSE(r.rtc.nmiMasked());
}

TEST(Cmos, MemorySizeBytes) {
  CmosRig r;
  r.rtc.setMemorySize(32u << 20);
  EXPECT_EQ(r.read(0x15) | r.read(0x16) << 8, 640);
  EXPECT_EQ(r.read(0x17) | r.read(0x18) << 8, 31 * 1024);
  EXPECT_EQ(r.read(0x30) | r.read(0x31) << 8, 31 * 1024);
  EXPECT_EQ(r.read(0x34) | r.read(0x35) << 8, (16 << 20) >> 16);
  r.rtc.setMemorySize(uint64_t{1} << 30);
  EXPECT_EQ(r.read(0x17) | r.read(0x18) << 8, 0xFFFF);  // capped
}

TEST(Cmos, CheckpointRoundTrip) {
  CmosRig a, b;
  a.write(0x0B, 0x82);
  a.write(0x02, 0x45);
  a.write(0x50, 0x99);
  support::OutArchive out;
  a.rtc.save(out);
  support::InArchive in(out.bytes());
  b.rtc.load(in);
  EXPECT_EQ(b.read(0x02), 0x45);
  EXPECT_EQ(b.read(0x50), 0x99);
}

}  // namespace
}  // namespace codemorph::platform
