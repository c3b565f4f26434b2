// QEMU fw_cfg I/O interface: selector at 0x510, data at 0x511 (QEMU docs/specs/fw_cfg.txt).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

std::vector<uint8_t> readItem(PcPlatform& pc, uint16_t key, size_t n) {
  pc.portOut(0x510, 2, key);
  std::vector<uint8_t> v;
  for (size_t i = 0; i < n; ++i) v.push_back(static_cast<uint8_t>(pc.portIn(0x511, 1)));
  return v;
}
uint64_t le(const std::vector<uint8_t>& v, size_t at, unsigned n) {
  uint64_t x = 0;
  for (unsigned i = 0; i < n; ++i) x |= uint64_t{v[at + i]} << (8 * i);
  return x;
}
uint64_t be(const std::vector<uint8_t>& v, size_t at, unsigned n) {
  uint64_t x = 0;
  for (unsigned i = 0; i < n; ++i) x = x << 8 | v[at + i];
  return x;
}

struct File {
  uint32_t size;
  uint16_t select;
};
// Looks a file up in the directory like SeaBIOS's qemu_cfg_init does.
bool findFile(PcPlatform& pc, const std::string& name, File& f) {
  const auto count = static_cast<uint32_t>(be(readItem(pc, 0x19, 4), 0, 4));
  const auto dir = readItem(pc, 0x19, 4 + 64 * size_t{count});
  for (uint32_t i = 0; i < count; ++i) {
    const size_t e = 4 + 64 * size_t{i};
    const std::string n(reinterpret_cast<const char*>(&dir[e + 8]));
    if (n == name) {
      f = {static_cast<uint32_t>(be(dir, e, 4)), static_cast<uint16_t>(be(dir, e + 4, 2))};
      return true;
    }
  }
  return false;
}

TEST(FwCfg, SignatureAndId) {
  PcPlatform pc({});
  const auto sig = readItem(pc, 0x0000, 4);
  EXPECT_EQ(std::string(sig.begin(), sig.end()), "QEMU");
  EXPECT_EQ(le(readItem(pc, 0x0001, 4), 0, 4), 1u);  // traditional interface, no DMA
  EXPECT_EQ(pc.portIn(0x511, 1), 0u);                 // past the end
  pc.portOut(0x510, 2, 0x0000);
  EXPECT_EQ(pc.portIn(0x510, 1), uint32_t{'Q'});      // byte read at 0x510 is data too
  EXPECT_EQ(pc.portIn(0x511, 1), uint32_t{'E'});
  pc.portOut(0x511, 1, 0x55);                          // data writes ignored
  EXPECT_EQ(pc.portIn(0x511, 1), uint32_t{'M'});
  EXPECT_EQ(readItem(pc, 0x1234, 2), (std::vector<uint8_t>{0, 0}));  // absent key
}

TEST(FwCfg, RamSizeAndCpus) {
  PcPlatformConfig config;
  config.ramBytes = 64u << 20;
  PcPlatform pc(config);
  EXPECT_EQ(le(readItem(pc, 0x0003, 8), 0, 8), 64u << 20);
  EXPECT_EQ(le(readItem(pc, 0x0005, 2), 0, 2), 1u);
  EXPECT_EQ(le(readItem(pc, 0x000F, 2), 0, 2), 1u);
}

TEST(FwCfg, FileDirectoryIsSortedBigEndian) {
  PcPlatform pc({});
  const auto head = readItem(pc, 0x19, 4);
  ASSERT_EQ(be(head, 0, 4), 2u);
  const auto dir = readItem(pc, 0x19, 4 + 128);
  EXPECT_STREQ(reinterpret_cast<const char*>(&dir[4 + 8]), "bootorder");
  EXPECT_STREQ(reinterpret_cast<const char*>(&dir[68 + 8]), "etc/e820");
  EXPECT_EQ(be(dir, 4 + 4, 2), 0x20u);
  EXPECT_EQ(be(dir, 68 + 4, 2), 0x21u);
  EXPECT_EQ(be(dir, 68, 4), 20u);  // one e820 entry
  EXPECT_EQ(be(dir, 68 + 6, 2), 0u);
}

TEST(FwCfg, E820TableAsQemu) {
  PcPlatform pc({});  // 32 MiB, as the reference log: "addr 0 len 0x2000000 [RAM]"
  File f{};
  ASSERT_TRUE(findFile(pc, "etc/e820", f));
  const auto e = readItem(pc, f.select, f.size);
  EXPECT_EQ(le(e, 0, 8), 0u);
  EXPECT_EQ(le(e, 8, 8), 0x2000000u);
  EXPECT_EQ(le(e, 16, 4), 1u);
  PcPlatformConfig big;
  big.ramBytes = uint64_t{4} << 30;
  PcPlatform pc4(big);
  ASSERT_TRUE(findFile(pc4, "etc/e820", f));
  ASSERT_EQ(f.size, 40u);
  const auto e4 = readItem(pc4, f.select, f.size);
  EXPECT_EQ(le(e4, 8, 8), 0xE0000000u);
  EXPECT_EQ(le(e4, 20, 8), uint64_t{1} << 32);
  EXPECT_EQ(le(e4, 28, 8), 0x20000000u);
}

TEST(FwCfg, Bootorder) {
  PcPlatformConfig config;
  config.bootorder = "/pci@i0cf8/*@1,1/drive@0/disk@0\n";
  PcPlatform pc(config);
  File f{};
  ASSERT_TRUE(findFile(pc, "bootorder", f));
  const auto b = readItem(pc, f.select, f.size);
  EXPECT_EQ(std::string(b.begin(), b.end()), config.bootorder);
}

TEST(FwCfg, AddedFilesShiftSelectorsLikeQemu) {
  FwCfg cfg({});
  cfg.addFile("etc/boot-fail-wait", {5, 0, 0, 0});  // sorts between the two
  cfg.ioWrite(0, 2, 0x19);
  std::vector<uint8_t> dir;
  for (int i = 0; i < 4 + 3 * 64; ++i) dir.push_back(static_cast<uint8_t>(cfg.ioRead(1, 1)));
  EXPECT_EQ(be(dir, 0, 4), 3u);
  EXPECT_STREQ(reinterpret_cast<const char*>(&dir[68 + 8]), "etc/boot-fail-wait");
  EXPECT_EQ(be(dir, 68 + 4, 2), 0x21u);
  EXPECT_EQ(be(dir, 132 + 4, 2), 0x22u);  // etc/e820 moved
}

TEST(FwCfg, CheckpointKeepsSelectorAndOffset) {
  PcPlatform a({});
  a.portOut(0x510, 2, 0);
  a.portIn(0x511, 1);
  a.portIn(0x511, 1);
  support::OutArchive out;
  a.save(out);
  PcPlatform b({});
  support::InArchive in(out.bytes());
  b.load(in);
  EXPECT_EQ(b.portIn(0x511, 1), uint32_t{'M'});
}

}  // namespace
}  // namespace codemorph::platform
