// IDE channel with an ATA PIO disk (ide_channel.h, ATA/ATAPI-7 vol. 1 and 2) and the raw
// disk image behind it (disk_image.h). The channel is driven through the platform's port
// bus at 0x1F0-0x1F7 / 0x3F6, the way SeaBIOS's ATA driver drives it, with IRQ14 observed
// at the PIC input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "codemorph/platform/pc_platform.h"

namespace codemorph::platform {
namespace {

constexpr uint16_t kData = 0x1F0, kError = 0x1F1, kCount = 0x1F2, kLbaLow = 0x1F3, kLbaMid = 0x1F4,
                   kLbaHigh = 0x1F5, kDevice = 0x1F6, kStatus = 0x1F7, kControl = 0x3F6;

// A disk whose sector n holds n (little-endian, 4 bytes) followed by the byte n & 0xFF.
std::vector<uint8_t> patternDisk(uint64_t sectors) {
  std::vector<uint8_t> d(sectors * 512);
  for (uint64_t s = 0; s < sectors; ++s) {
    for (unsigned i = 0; i < 512; ++i) d[s * 512 + i] = static_cast<uint8_t>(s);
    for (unsigned i = 0; i < 4; ++i) d[s * 512 + i] = static_cast<uint8_t>(s >> (8 * i));
  }
  return d;
}

// Counts IRQ14 rising edges by watching the channel's line through a wrapper.
struct Rig {
  explicit Rig(uint64_t sectors = 2048) : disk(patternDisk(sectors)), channel(&disk, [this](bool l) {
    if (l && !line) ++edges;
    line = l;
  }) {
    bus.map(0x1F0, 8, channel, "ide0", PortBus::Kind::Native);
    bus.map(0x3F6, 1, channel.controlPort(), "ide0-control");
  }
  uint32_t in(uint16_t p, unsigned size = 1) { return bus.read(p, size); }
  void out(uint16_t p, uint32_t v, unsigned size = 1) { bus.write(p, size, v); }
  void lba28(uint32_t lba, uint8_t count) {
    out(kDevice, 0xE0 | ((lba >> 24) & 0x0F));
    out(kCount, count);
    out(kLbaLow, lba & 0xFF);
    out(kLbaMid, (lba >> 8) & 0xFF);
    out(kLbaHigh, (lba >> 16) & 0xFF);
  }
  std::vector<uint8_t> readSector() {
    std::vector<uint8_t> s;
    for (int i = 0; i < 256; ++i) {
      const uint32_t w = in(kData, 2);
      s.push_back(static_cast<uint8_t>(w));
      s.push_back(static_cast<uint8_t>(w >> 8));
    }
    return s;
  }
  DiskImage disk;
  bool line = false;
  int edges = 0;
  IdeChannel channel;
  PortBus bus;
};

uint16_t word(const std::vector<uint8_t>& s, unsigned w) { return static_cast<uint16_t>(s[2 * w] | s[2 * w + 1] << 8); }
std::string ataString(const std::vector<uint8_t>& s, unsigned w, unsigned words) {
  std::string r;
  for (unsigned i = 0; i < words; ++i) {
    r += static_cast<char>(s[2 * (w + i) + 1]);
    r += static_cast<char>(s[2 * (w + i)]);
  }
  return r.substr(0, r.find_last_not_of(' ') + 1);
}

TEST(Ide, PowerOnSignatureAndStatus) {
  Rig r;
  EXPECT_EQ(r.in(kStatus), 0x50u);  // DRDY | DSC
  EXPECT_EQ(r.in(kError), 0x01u);   // diagnostic: device 0 passed
  EXPECT_EQ(r.in(kCount), 1u);
  EXPECT_EQ(r.in(kLbaLow), 1u);
  EXPECT_EQ(r.in(kLbaMid), 0u);
  EXPECT_EQ(r.in(kLbaHigh), 0u);
  // SeaBIOS's presence check: the shared registers read back what was written.
  r.out(kDevice, 0xA0);
  r.out(kCount, 0x55);
  r.out(kLbaLow, 0xAA);
  EXPECT_EQ(r.in(kCount), 0x55u);
  EXPECT_EQ(r.in(kLbaLow), 0xAAu);
  EXPECT_EQ(r.in(kDevice), 0xA0u);
}

TEST(Ide, IdentifyDevice) {
  Rig r;
  r.out(kDevice, 0xA0);
  r.out(kStatus, 0xEC);
  EXPECT_TRUE(r.line);  // nIEN = 0: IRQ14 with the data block
  EXPECT_EQ(r.in(kControl), 0x58u);  // alternate status: DRQ set, INTRQ kept
  EXPECT_TRUE(r.line);
  EXPECT_EQ(r.in(kStatus), 0x58u);
  EXPECT_FALSE(r.line);  // reading the status register clears INTRQ
  const std::vector<uint8_t> id = r.readSector();
  EXPECT_EQ(r.in(kStatus), 0x50u);  // DRQ gone after 256 words
  EXPECT_EQ(word(id, 0), 0x0040u);
  EXPECT_EQ(word(id, 1), 2u);   // 2048 sectors: 2 cylinders (QEMU's minimum) x 16 x 63
  EXPECT_EQ(word(id, 3), 16u);
  EXPECT_EQ(word(id, 6), 63u);
  EXPECT_EQ(ataString(id, 27, 20), "CODEMORPH HARDDISK");
  EXPECT_EQ(ataString(id, 10, 10), "CM00001");
  EXPECT_EQ(word(id, 60) | uint32_t{word(id, 61)} << 16, 2048u);
  EXPECT_EQ(word(id, 100), 2048u);
  EXPECT_TRUE(word(id, 83) & (1u << 10));  // LBA48
  EXPECT_EQ(word(id, 80) & 0xF0u, 0xF0u);  // ATA-4..7: SeaBIOS prints "ATA-7"
  EXPECT_NE(word(id, 93) & 0xDF61u, 0x4041u);  // SeaBIOS must not see a slave
  uint8_t sum = 0;
  for (uint8_t b : id) sum = static_cast<uint8_t>(sum + b);
  EXPECT_EQ(id[510], 0xA5u);
  EXPECT_EQ(sum, 0u);
}

TEST(Ide, IdentifyPacketDeviceAbortsOnAnAtaDisk) {
  Rig r;
  r.out(kDevice, 0xA0);
  r.out(kStatus, 0xA1);
  EXPECT_EQ(r.in(kStatus), 0x51u);  // DRDY | DSC | ERR
  EXPECT_EQ(r.in(kError), 0x04u);   // ABRT
}

TEST(Ide, ReadSectorsLba28InterruptsPerSector) {
  Rig r;
  r.lba28(5, 3);
  r.out(kStatus, 0x20);
  for (uint32_t s = 5; s < 8; ++s) {
    EXPECT_EQ(r.in(kStatus), 0x58u) << s;
    const std::vector<uint8_t> data = r.readSector();
    EXPECT_EQ(data[0], s);
    EXPECT_EQ(data[100], s);
  }
  EXPECT_EQ(r.edges, 3);
  EXPECT_EQ(r.in(kStatus), 0x50u);
  EXPECT_EQ(r.in(kCount), 0u);
  EXPECT_EQ(r.in(kData, 2), 0u);  // no transfer: the data register is idle
}

TEST(Ide, ThirtyTwoBitDataAccessMovesTwoWords) {
  Rig r;
  r.lba28(9, 1);
  r.out(kStatus, 0x20);
  EXPECT_EQ(r.in(kData, 4), 0x00000009u);
  EXPECT_EQ(r.in(kData, 4), 0x09090909u);
}

TEST(Ide, ReadSectorsChsWithDefaultAndInitializedGeometry) {
  Rig r;
  // Default 16 heads x 63 sectors: C/H/S 1/2/4 = (1*16 + 2)*63 + 3 = 1137.
  r.out(kDevice, 0xA2);
  r.out(kCount, 1);
  r.out(kLbaLow, 4);
  r.out(kLbaMid, 1);
  r.out(kLbaHigh, 0);
  r.out(kStatus, 0x20);
  EXPECT_EQ(word(r.readSector(), 0), 1137u);
  // INITIALIZE DEVICE PARAMETERS: 4 heads (device bits 3-0 = 3), 17 sectors per track.
  r.out(kDevice, 0xA3);
  r.out(kCount, 17);
  r.out(kStatus, 0x91);
  EXPECT_EQ(r.in(kStatus), 0x50u);
  r.out(kDevice, 0xA2);  // C/H/S 1/2/4 = (1*4 + 2)*17 + 3 = 105
  r.out(kCount, 1);
  r.out(kLbaLow, 4);
  r.out(kLbaMid, 1);
  r.out(kStatus, 0x20);
  EXPECT_EQ(word(r.readSector(), 0), 105u);
  // Sector 0 and a head beyond the geometry are not addresses: IDNF.
  r.out(kLbaLow, 0);
  r.out(kStatus, 0x20);
  EXPECT_EQ(r.in(kStatus), 0x51u);
  EXPECT_EQ(r.in(kError), 0x10u);
}

TEST(Ide, WriteSectorsInterruptsAfterEachBlockAndReachesTheDisk) {
  Rig r;
  r.lba28(3, 2);
  r.out(kStatus, 0x30);
  EXPECT_EQ(r.edges, 0);  // data-out: the first DRQ comes without an interrupt
  EXPECT_EQ(r.in(kControl), 0x58u);
  for (int s = 0; s < 2; ++s) {
    for (int i = 0; i < 256; ++i) r.out(kData, static_cast<uint32_t>(0xA000 + s * 256 + i), 2);
    EXPECT_EQ(r.edges, s + 1);
    EXPECT_EQ(r.in(kStatus), s == 0 ? 0x58u : 0x50u);  // the host reads status per block
  }
  EXPECT_EQ(r.disk.bytes()[3 * 512], 0x00u);
  EXPECT_EQ(r.disk.bytes()[3 * 512 + 1], 0xA0u);
  EXPECT_EQ(r.disk.bytes()[4 * 512 + 2], 0x01u);
  EXPECT_EQ(r.disk.bytes()[4 * 512 + 3], 0xA1u);
  EXPECT_EQ(r.disk.bytes()[5 * 512], 5u);  // the next sector untouched
}

TEST(Ide, OutOfRangeAndUnknownCommandsAbort) {
  Rig r(16);
  r.lba28(15, 2);  // 15 and 16: the second is beyond the disk
  r.out(kStatus, 0x20);
  EXPECT_EQ(r.in(kStatus), 0x51u);
  EXPECT_EQ(r.in(kError), 0x10u);  // IDNF
  r.out(kStatus, 0xB0);            // SMART: not supported
  EXPECT_EQ(r.in(kStatus), 0x51u);
  EXPECT_EQ(r.in(kError), 0x04u);  // ABRT
  r.out(kError, 0x03);             // SET FEATURES: transfer mode
  r.out(kCount, 0x0C);             // PIO flow control mode 4: accepted
  r.out(kStatus, 0xEF);
  EXPECT_EQ(r.in(kStatus), 0x50u);
  r.out(kError, 0x03);
  r.out(kCount, 0x45);  // UDMA 5: no DMA here
  r.out(kStatus, 0xEF);
  EXPECT_EQ(r.in(kStatus), 0x51u);
}

TEST(Ide, ReadMultipleInterruptsPerBlock) {
  Rig r;
  r.lba28(0, 0);
  r.out(kCount, 4);
  r.out(kStatus, 0xC6);  // SET MULTIPLE MODE 4
  EXPECT_EQ(r.in(kStatus), 0x50u);
  r.edges = 0;
  r.lba28(20, 8);
  r.out(kStatus, 0xC4);
  for (uint32_t s = 20; s < 28; ++s) {
    if (s % 4 == 0) EXPECT_EQ(r.in(kStatus), 0x58u);  // the host reads status per block
    EXPECT_EQ(r.readSector()[0], s);
  }
  EXPECT_EQ(r.edges, 2);  // two DRQ blocks of 4 sectors
  r.out(kCount, 3);       // not a power of two
  r.out(kStatus, 0xC6);
  EXPECT_EQ(r.in(kStatus), 0x51u);
}

TEST(Ide, ReadSectorsExtUsesTheHobRegisters) {
  Rig r(70000);
  // LBA 0x010203 via the two-deep registers: previous (HOB) bytes first.
  r.out(kDevice, 0x40);
  r.out(kCount, 0);
  r.out(kCount, 1);
  r.out(kLbaLow, 0);
  r.out(kLbaLow, 0x03);
  r.out(kLbaMid, 0);
  r.out(kLbaMid, 0x02);
  r.out(kLbaHigh, 0);
  r.out(kLbaHigh, 0x01);
  r.out(kControl, 0x80);  // HOB: read the previous values back
  EXPECT_EQ(r.in(kLbaLow), 0u);
  r.out(kControl, 0x00);
  EXPECT_EQ(r.in(kLbaLow), 0x03u);
  r.out(kStatus, 0x24);
  const std::vector<uint8_t> data = r.readSector();
  EXPECT_EQ(word(data, 0) | uint32_t{word(data, 1)} << 16, 0x010203u);
}

TEST(Ide, AbsentDeviceOneAndSoftReset) {
  Rig r;
  r.out(kDevice, 0xB0);
  EXPECT_EQ(r.in(kStatus), 0u);  // no device 1: status reads 0 (QEMU)
  EXPECT_EQ(r.in(kDevice), 0xB0u);
  r.out(kStatus, 0xEC);  // ignored
  EXPECT_EQ(r.in(kStatus), 0u);
  EXPECT_FALSE(r.line);
  r.out(kControl, 0x04 | 0x02);  // SRST, nIEN
  r.out(kDevice, 0xA0);
  EXPECT_EQ(r.in(kStatus), 0x80u);  // BSY while held in reset
  r.out(kControl, 0x02);
  EXPECT_EQ(r.in(kStatus), 0x50u);
  EXPECT_EQ(r.in(kError), 0x01u);
  EXPECT_EQ(r.in(kDevice), 0x00u);  // device 0 selected
  EXPECT_EQ(r.in(kCount), 1u);      // ATA signature
  // nIEN masks the line but keeps INTRQ: enabling interrupts raises IRQ14 late.
  r.out(kStatus, 0xE7);  // FLUSH CACHE
  EXPECT_FALSE(r.line);
  r.out(kControl, 0x00);
  EXPECT_TRUE(r.line);
}

TEST(Ide, ChannelWithoutDisksReadsZero) {
  PortBus bus;
  IdeChannel ch(nullptr, nullptr);
  bus.map(0x1F0, 8, ch, "ide0", PortBus::Kind::Native);
  for (uint16_t p = 0x1F1; p <= 0x1F7; ++p) EXPECT_EQ(bus.read(p, 1), 0u) << p;
  bus.write(0x1F7, 1, 0xEC);
  EXPECT_EQ(bus.read(0x1F7, 1), 0u);
}

TEST(Ide, CheckpointMidTransferContinuesIdentically) {
  Rig a;
  a.lba28(40, 2);
  a.out(kStatus, 0x30);  // write two sectors, stop half way through the first
  for (int i = 0; i < 100; ++i) a.out(kData, 0x1234, 2);
  support::OutArchive snap;
  a.channel.save(snap);
  Rig b;
  support::InArchive in(snap.bytes());
  b.channel.load(in);
  for (Rig* r : {&a, &b}) {
    for (int i = 100; i < 512; ++i) r->out(kData, static_cast<uint32_t>(i), 2);
  }
  EXPECT_EQ(a.in(kStatus), b.in(kStatus));
  EXPECT_TRUE(std::equal(a.disk.bytes().begin(), a.disk.bytes().end(), b.disk.bytes().begin()));
  support::OutArchive sa, sb;
  a.channel.save(sa);
  b.channel.save(sb);
  EXPECT_EQ(sa.bytes(), sb.bytes());
}

TEST(DiskImage, RefusesWhatCannotBeADisk) {
  char dir[] = "/tmp/cm-disk-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string base = dir;
  auto make = [&](const std::string& name, size_t size) {
    std::ofstream(base + "/" + name, std::ios::binary) << std::string(size, '\0');
    return base + "/" + name;
  };
  auto message = [](const std::string& path) {
    try {
      DiskImage::open(path);
    } catch (const DiskError& e) {
      return std::string(e.what());
    }
    return std::string("opened");
  };
  EXPECT_NE(message(base + "/missing").find("cannot open disk image"), std::string::npos);
  EXPECT_NE(message(make("empty", 0)).find("empty"), std::string::npos);
  EXPECT_NE(message(make("short", 100)).find("too short"), std::string::npos);
  EXPECT_NE(message(make("odd", 1000)).find("not a multiple of 512"), std::string::npos);
  EXPECT_EQ(message(make("good", 1024)), "opened");
  EXPECT_THROW(DiskImage(std::vector<uint8_t>(10)), DiskError);
  for (const char* n : {"empty", "short", "odd", "good"}) std::remove((base + "/" + n).c_str());
  rmdir(dir);
}

TEST(DiskImage, WritesGoThroughToTheFileAndIntoCheckpoints) {
  char path[] = "/tmp/cm-disk-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 4096), 0);
  close(fd);
  support::OutArchive snap;
  {
    DiskImage d = DiskImage::open(path);
    EXPECT_TRUE(d.writesThrough());
    std::array<uint8_t, 512> s;
    s.fill(0x5A);
    d.write(2, s);
    d.save(snap);
  }
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size(), 4096u);
  EXPECT_EQ(bytes[2 * 512], 0x5Au);
  EXPECT_EQ(bytes[3 * 512], 0x00u);
  // A fresh in-memory disk of the same size gets the written sector from the checkpoint.
  DiskImage m(std::vector<uint8_t>(4096));
  support::InArchive in(snap.bytes());
  m.load(in);
  EXPECT_EQ(m.bytes()[2 * 512 + 511], 0x5Au);
  DiskImage wrongSize(std::vector<uint8_t>(8192));
  support::InArchive in2(snap.bytes());
  EXPECT_THROW(wrongSize.load(in2), support::CheckpointError);
  std::remove(path);
}

TEST(Ide, PlatformWiresTheChannelToIrq14) {
  DiskImage disk(patternDisk(64));
  PcPlatformConfig cfg;
  cfg.disk = &disk;
  PcPlatform pc(cfg);
  // Unmask IRQ14 (ICW as SeaBIOS: master 0x08, slave 0x70, cascade on IR2).
  for (auto [p, v] : std::vector<std::pair<uint16_t, uint8_t>>{{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01},
                                                                 {0xA0, 0x11}, {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01},
                                                                 {0x21, 0xFB}, {0xA1, 0xBF}})
    pc.portOut(p, 1, v);
  EXPECT_FALSE(pc.pic.intr());
  pc.portOut(0x1F6, 1, 0xE0);
  pc.portOut(0x1F2, 1, 1);
  pc.portOut(0x1F3, 1, 7);
  pc.portOut(0x1F7, 1, 0x20);
  EXPECT_TRUE(pc.pic.intr());
  EXPECT_EQ(pc.pic.interruptAcknowledge(), 0x76u);  // IRQ14 = slave IR6
  EXPECT_EQ(pc.portIn(0x1F0, 2), 7u);
}

}  // namespace
}  // namespace codemorph::platform

namespace codemorph::platform {
namespace {

TEST(PcPlatformReset, HardResetRestoresMemoryMapA20AndIde) {
  DiskImage disk(patternDisk(64));
  PcPlatformConfig cfg;
  cfg.disk = &disk;
  PcPlatform pc(cfg);
  std::vector<std::pair<uint32_t, uint32_t>> changed;
  pc.i440fx.setMapChangedHook([&](uint32_t base, uint32_t size) { changed.emplace_back(base, size); });
  pc.portOut(0xCF8, 4, 0x80000058);  // i440FX 0x58-0x5B: PAM0 = 0x30 (F segment RAM)
  pc.portOut(0xCFD, 1, 0x30);
  pc.portOut(0x92, 1, 0x00);  // A20 off
  EXPECT_FALSE(pc.control.a20);
  pc.portOut(0x1F6, 1, 0xE0);  // a read left half done
  pc.portOut(0x1F2, 1, 1);
  pc.portOut(0x1F7, 1, 0x20);
  EXPECT_EQ(pc.portIn(0x1F7, 1), 0x58u);
  changed.clear();
  pc.hardReset();
  EXPECT_EQ(pc.i440fx.configRead(I440fx::kPam0, 1), 0u);
  ASSERT_EQ(changed.size(), 1u);  // only the F segment's routing changed back
  EXPECT_EQ(changed[0], (std::pair<uint32_t, uint32_t>{0xF0000, 0x10000}));
  EXPECT_TRUE(pc.control.a20);
  EXPECT_EQ(pc.portIn(0x1F7, 1), 0x50u);
  EXPECT_EQ(pc.portIn(0x1F2, 1), 1u);  // the ATA signature again
}

}  // namespace
}  // namespace codemorph::platform
