// GuestBus's direct-access map (cms/include/codemorph/cms/guest_bus.h) and the
// interpreter's use of it: below 1 MiB only pages the platform marks as RAM are read or
// written through ram(); the others go to readPhysical/writePhysical, as the PC's PAM
// window requires (BIOS code fetched from ROM, writes to read-only shadow RAM dropped).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "codemorph/cms/guest_bus.h"
#include "codemorph/cms/interpreter.h"

namespace codemorph::cms {
namespace {

class WindowBus : public GuestBus {
 public:
  explicit WindowBus(size_t bytes) : storage(bytes, 0) {
    setRam(storage);
    for (auto& f : map) f = kDirectRead | kDirectWrite;
    setLowPageMap(map);
  }
  uint32_t readPhysical(uint64_t a, unsigned size) override {
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) v |= uint32_t{rom[(a + i) & 0xFFFF]} << (8 * i);
    ++physicalReads;
    return v;
  }
  void writePhysical(uint64_t a, unsigned size, uint32_t v) override { writes.push_back({a, size, v}); }
  uint32_t portIn(uint16_t, unsigned) override { return 0xFF; }
  void portOut(uint16_t, unsigned, uint32_t) override {}
  struct W {
    uint64_t a;
    unsigned size;
    uint32_t v;
  };
  std::vector<uint8_t> storage;
  uint8_t map[kLowPages];
  uint8_t rom[0x10000] = {};
  std::vector<W> writes;
  int physicalReads = 0;
};

TEST(GuestBusDirectMap, OneCompareAboveOneMiBAndPageFlagsBelow) {
  WindowBus b(32u << 20);
  EXPECT_TRUE(b.directRead(0x100000, 4));
  EXPECT_TRUE(b.directWrite((32u << 20) - 16, 16));
  EXPECT_FALSE(b.directRead((32u << 20) - 3, 4));  // beyond RAM
  b.map[0xF0] = GuestBus::kDirectRead;             // read-only shadow RAM
  b.map[0xF1] = 0;                                 // routed to ROM
  EXPECT_TRUE(b.directRead(0xF0000, 4));
  EXPECT_FALSE(b.directWrite(0xF0000, 4));
  EXPECT_FALSE(b.directRead(0xF0FFE, 4));  // crosses into the ROM page
  EXPECT_FALSE(b.directRead(0xFFFFE, 4));  // crosses 1 MiB out of the window
  EXPECT_TRUE(b.directRead(0x9FFFC, 4));
  WindowBus tiny(0x100008);  // less than 16 bytes above 1 MiB: still exact
  EXPECT_TRUE(tiny.directRead(0x100004, 4));
  EXPECT_FALSE(tiny.directRead(0x100005, 4));
}

TEST(GuestBusDirectMap, InterpreterFetchesFromRomAndDropsWritesToReadOnlyPages) {
  WindowBus bus(2u << 20);
  for (unsigned p = 0xF0; p < 0x100; ++p) bus.map[p] = 0;  // F segment: ROM
  bus.map[0xE2] = GuestBus::kDirectRead;                    // E2000: read-only RAM
  // RAM under the ROM holds INT3s: executing them would mean the fast path bypassed the map.
  std::memset(bus.storage.data() + 0xF0000, 0xCC, 0x10000);
  bus.storage[0xE2000] = 0x5A;
  const uint8_t code[] = {
      0xB8, 0x00, 0xE0,        // mov ax, 0xE000
      0x8E, 0xD8,              // mov ds, ax
      0xA0, 0x00, 0x20,        // mov al, [0x2000]      (E2000: direct read, 0x5A)
      0x04, 0x01,              // add al, 1
      0xA2, 0x00, 0x20,        // mov [0x2000], al      (read-only: to writePhysical)
      0xA2, 0x00, 0x10,        // mov [0x1000], al      (E1000: plain RAM)
      0xF4,                    // hlt
  };
  std::memcpy(bus.rom + 0x100, code, sizeof code);
  Interpreter cpu(bus);
  cpu.reset();
  cpu.state().seg[kCS] = SegmentCache{0xF000, 0x93, 0xF0000, 0xFFFF};
  cpu.state().eip = 0x100;
  const RunResult r = cpu.run(100);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(r.instructions, 7u);
  EXPECT_GT(bus.physicalReads, 0);
  ASSERT_EQ(bus.writes.size(), 1u);
  EXPECT_EQ(bus.writes[0].a, 0xE2000u);
  EXPECT_EQ(bus.writes[0].v, 0x5Bu);
  EXPECT_EQ(bus.storage[0xE2000], 0x5Au);  // untouched
  EXPECT_EQ(bus.storage[0xE1000], 0x5Bu);
}

}  // namespace
}  // namespace codemorph::cms
