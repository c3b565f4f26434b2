// The assembled platform without a SystemC kernel: a scripted "guest" of port accesses at
// fixed simulated times. Same script twice gives the same event log and checkpoint bytes;
// a checkpoint taken mid-run and loaded into a fresh platform continues identically.
#include "codemorph/platform/pc_platform.h"

#include <gtest/gtest.h>

#include <string>

namespace codemorph::platform {
namespace {

// Programs the PICs, PIT channel 0 (mode 2, ~1 kHz) and COM1, then polls INTR every
// 10 us from `from` to `to`, acknowledging and EOI-ing; logs every interrupt and every
// count read. Returns the log.
std::string run(PcPlatform& pc, SimTime from, SimTime to, bool setup) {
  std::string log;
  auto out = [&](uint16_t p, uint8_t v) { pc.portOut(p, 1, v); };
  if (setup) {
    pc.syncTo(from);
    for (auto [p, v] : {std::pair{0x20, 0x11}, {0xA0, 0x11}, {0x21, 0x08}, {0xA1, 0x70}, {0x21, 0x04}, {0xA1, 0x02},
                        {0x21, 0x01}, {0xA1, 0x01}, {0x21, 0xEE}, {0xA1, 0xFF}}) {
      out(static_cast<uint16_t>(p), static_cast<uint8_t>(v));
    }
    out(0x43, 0x34);
    out(0x40, 0xA9);
    out(0x40, 0x04);
    out(0x3FC, 0x08);  // COM1 OUT2
    out(0x3F9, 0x02);  // THRE interrupt
  }
  for (SimTime t = from; t < to; t += 10 * kPicosPerMicro) {
    pc.syncTo(t);
    if ((t / (10 * kPicosPerMicro)) % 37 == 0) {
      out(0x43, 0x00);
      const uint32_t lo = pc.portIn(0x40, 1);
      log.append("c").append(std::to_string(lo | pc.portIn(0x40, 1) << 8)).append(" ");
    }
    if (pc.pic.intr()) {
      const uint8_t v = pc.pic.interruptAcknowledge();
      log.append("i").append(std::to_string(v)).append("@").append(std::to_string(t)).append(" ");
      if (v == 0x0C) {
        pc.portIn(0x3FA, 1);  // IIR read clears the THRE interrupt
        pc.portOut(0x3F8, 1, 'x');
      }
      out(0x20, 0x20);
    }
  }
  return log;
}

TEST(Platform, SameScriptSameEventsAndState) {
  StringSink s1, s2;
  PcPlatformConfig c1, c2;
  c1.serialSink = &s1;
  c2.serialSink = &s2;
  PcPlatform a(c1), b(c2);
  const SimTime end = 5 * 1000 * kPicosPerMicro;
  const std::string la = run(a, 0, end, true);
  const std::string lb = run(b, 0, end, true);
  EXPECT_EQ(la, lb);
  EXPECT_NE(la.find("i8@"), std::string::npos);
  EXPECT_NE(la.find("i12@"), std::string::npos);
  EXPECT_EQ(s1.text, s2.text);
  support::OutArchive oa, ob;
  a.save(oa);
  b.save(ob);
  EXPECT_EQ(oa.bytes(), ob.bytes());
}

TEST(Platform, CheckpointMidRunContinuesIdentically) {
  PcPlatform ref({});
  const SimTime mid = 2345 * kPicosPerMicro, end = 6 * 1000 * kPicosPerMicro;
  std::string first = run(ref, 0, mid, true);
  support::OutArchive cp;
  ref.save(cp);
  const std::string refTail = run(ref, mid, end, false);

  PcPlatform restored({});
  support::InArchive in(cp.bytes());
  restored.load(in);
  EXPECT_TRUE(in.atEnd());
  EXPECT_EQ(restored.now(), ref.now() < mid ? ref.now() : restored.now());
  const std::string tail = run(restored, mid, end, false);
  EXPECT_EQ(tail, refTail);
  EXPECT_NE(tail.find("i8@"), std::string::npos);
  support::OutArchive a, b;
  ref.save(a);
  restored.save(b);
  EXPECT_EQ(a.bytes(), b.bytes());
}

TEST(Platform, CorruptCheckpointIsRejected) {
  PcPlatform pc({});
  support::OutArchive out;
  pc.pit.save(out);
  support::InArchive in(out.bytes());
  EXPECT_THROW(pc.load(in), support::CheckpointError);
}

}  // namespace
}  // namespace codemorph::platform
