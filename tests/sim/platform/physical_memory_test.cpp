// The physical address map of the i440FX PC (physical_memory.h): RAM, the PAM/SMRAM legacy
// window, the BIOS ROM at the top of 4 GiB and its alias below 1 MiB, open bus; and the
// BIOS image checks.
#include <gtest/gtest.h>

#include <vector>

#include "codemorph/platform/physical_memory.h"

namespace codemorph::platform {
namespace {

struct Map {
  explicit Map(size_t romSize = 0x20000) : ram(8u << 20, 0x11), memory(ram, rom(romSize), chipset) {
    chipset.setMapChangedHook([this](uint32_t, uint32_t) { memory.refreshLegacyMap(); });
  }
  static std::vector<uint8_t> rom(size_t size) {
    std::vector<uint8_t> r(size);
    for (size_t i = 0; i < size; ++i) r[i] = static_cast<uint8_t>(i >> 12);  // byte = 4 KiB page index
    r[size - 16] = 0xEA;
    return r;
  }
  uint8_t read(uint64_t a) {
    uint8_t b;
    memory.read(a, &b, 1);
    return b;
  }
  void write(uint64_t a, uint8_t v) { memory.write(a, &v, 1); }
  std::vector<uint8_t> ram;
  I440fx chipset;
  PhysicalMemory memory;
};

TEST(PhysicalMemory, PowerOnRoutesTheBiosWindowToRom) {
  Map m;
  EXPECT_EQ(m.read(0x1000), 0x11u);
  EXPECT_EQ(m.read(0xFFFFFFF0 + 1), 0x1Fu);  // top of 4 GiB: the image's last page
  EXPECT_EQ(m.read(0xFFFE0000), 0x00u);
  EXPECT_EQ(m.read(0xFFFF0), 0xEAu);         // the alias: the last 128 KiB at 0xE0000
  EXPECT_EQ(m.read(0xFFFF1), 0x1Fu);
  EXPECT_EQ(m.read(0xE0000), 0x00u);
  EXPECT_EQ(m.read(0xC0000), 0xFFu);         // option-ROM space: open bus
  EXPECT_EQ(m.read(0xA0000), 0xFFu);         // SMRAM closed, no VGA: open bus
  m.write(0xF0000, 0x99);                    // writes to ROM are dropped ...
  EXPECT_EQ(m.read(0xF0000), 0x10u);
  EXPECT_EQ(m.ram[0xF0000], 0x11u);          // ... and do not reach the RAM below
  EXPECT_EQ(m.read(0x900000), 0xFFu);        // beyond 8 MiB of RAM
  EXPECT_EQ(m.memory.readRoute(0xFFFFF).target, PhysicalMemory::Target::Rom);
}

TEST(PhysicalMemory, PamShadowsTheBiosLikeSeaBios) {
  Map m;
  // make_bios_writable: PAM0 = 0x30 (F segment RE|WE), PAM1-6 = 0x33; copy the ROM down.
  m.chipset.configWrite(I440fx::kPam0, 1, 0x30);
  for (uint8_t r = 1; r <= 6; ++r) m.chipset.configWrite(static_cast<uint8_t>(I440fx::kPam0 + r), 1, 0x33);
  EXPECT_EQ(m.read(0xF0000), 0x11u);  // now RAM
  m.write(0xF0000, 0x42);
  EXPECT_EQ(m.ram[0xF0000], 0x42u);
  // make_bios_readonly: RE only: reads RAM, writes dropped.
  m.chipset.configWrite(I440fx::kPam0, 1, 0x10);
  m.write(0xF0000, 0x43);
  EXPECT_EQ(m.read(0xF0000), 0x42u);
  const auto rd = m.memory.readRoute(0xF8000), wr = m.memory.writeRoute(0xF8000);
  EXPECT_EQ(rd.target, PhysicalMemory::Target::Ram);
  EXPECT_EQ(wr.target, PhysicalMemory::Target::None);
  EXPECT_EQ(rd.start, 0xC0000u);  // one route over every block routed alike
  // WE only (PAM 0x20): writes reach RAM while reads still come from the ROM.
  m.chipset.configWrite(I440fx::kPam0, 1, 0x20);
  m.write(0xF0001, 0x77);
  EXPECT_EQ(m.ram[0xF0001], 0x77u);
  EXPECT_EQ(m.read(0xF0001), 0x10u);
  // A 16 KiB PAM region (PAM1 low nibble = 0xC0000-0xC3FFF) routes alone.
  m.chipset.configWrite(I440fx::kPam0 + 1, 1, 0x01);
  EXPECT_EQ(m.memory.readRoute(0xC0000).target, PhysicalMemory::Target::Ram);
  EXPECT_EQ(m.memory.readRoute(0xC0000).end, 0xC4000u);
  EXPECT_EQ(m.memory.readRoute(0xC4000).target, PhysicalMemory::Target::None);
}

TEST(PhysicalMemory, OpenSmramMakesTheVgaWindowRam) {
  Map m;
  m.chipset.configWrite(I440fx::kSmram, 1, I440fx::kSmramEnable | I440fx::kSmramOpen);
  EXPECT_EQ(m.read(0xB8000), 0x11u);
  m.chipset.configWrite(I440fx::kSmram, 1, I440fx::kSmramEnable);
  EXPECT_EQ(m.read(0xB8000), 0xFFu);
}

TEST(PhysicalMemory, A64KiBImageAliasesOnlyTheFSegment) {
  Map m(0x10000);
  EXPECT_EQ(m.read(0xFFFF0000), 0x00u);
  EXPECT_EQ(m.read(0xFFFFF), 0x0Fu);
  EXPECT_EQ(m.read(0xE8000), 0xFFu);  // below the alias: open bus
  EXPECT_EQ(m.read(0xFFFE0000), 0xFFu);
}

TEST(PhysicalMemory, AccessesSpanningRoutesAreSplit) {
  Map m;
  uint8_t buf[4] = {1, 2, 3, 4};
  m.memory.write(0x9FFFE, buf, 4);  // two bytes RAM, two bytes into the closed VGA window
  EXPECT_EQ(m.ram[0x9FFFE], 1u);
  EXPECT_EQ(m.ram[0x9FFFF], 2u);
  EXPECT_EQ(m.ram[0xA0000], 0x11u);
  uint8_t out[4];
  m.memory.read(0x9FFFE, out, 4);
  EXPECT_EQ(out[1], 2u);
  EXPECT_EQ(out[2], 0xFFu);
}

TEST(PhysicalMemory, HardResetRestoresTheRomMap) {
  Map m;
  m.chipset.configWrite(I440fx::kPam0, 1, 0x30);
  EXPECT_EQ(m.read(0xF0000), 0x11u);
  m.chipset.resetMap();
  EXPECT_EQ(m.read(0xF0000), 0x10u);
  EXPECT_EQ(m.chipset.configRead(I440fx::kSmram, 1), 0x02u);
}

TEST(PhysicalMemory, BiosChecks) {
  auto message = [](std::vector<uint8_t> image) {
    try {
      PhysicalMemory::checkBios(image, "bios");
    } catch (const BiosError& e) {
      return std::string(e.what());
    }
    return std::string("ok");
  };
  EXPECT_EQ(message(Map::rom(0x20000)), "ok");
  EXPECT_NE(message({}).find("empty"), std::string::npos);
  EXPECT_NE(message(std::vector<uint8_t>(1000)).find("not a multiple of 64 KiB"), std::string::npos);
  EXPECT_NE(message(std::vector<uint8_t>(0x10000)).find("no far JMP"), std::string::npos);
  EXPECT_NE(message(std::vector<uint8_t>(17u << 20)).find("larger than 16 MiB"), std::string::npos);
  EXPECT_THROW(PhysicalMemory::loadBios("/nonexistent/bios.bin"), BiosError);
  EXPECT_THROW(PhysicalMemory::loadBios("/tmp"), BiosError);
}

}  // namespace
}  // namespace codemorph::platform
