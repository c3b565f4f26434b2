// Test helper: a GuestPlatform with 1 MiB of RAM, one programmable timer event that raises
// INTR (vector 20h), an exit port (F4h: stop), a time port (40h: reads the platform's time
// at the access), a reset port (CF9h) and a 16-byte "ROM" at the reset vector. It records
// every syncTo and checks that time never goes backwards.
#pragma once
#include <codemorph/cms/runtime.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <vector>

namespace codemorph::cms::test {

class TestPlatform : public GuestPlatform {
 public:
  explicit TestPlatform(size_t ramBytes = 1u << 20) : owned_(ramBytes, 0), ram_(owned_) { init(); }
  // Guest RAM in memory owned elsewhere (a core's directMemory()).
  explicit TestPlatform(std::span<uint8_t> ram) : ram_(ram) { init(); }

  // Page 0x50000 (below 1 MiB) as a device instead of RAM (not direct for the
  // interpreter): its own byte store, and a count of the accesses that reached it.
  static constexpr uint32_t kDevicePage = 0x50000;
  void enableDevicePage() {
    lowMap_[kDevicePage >> 12] = 0;
    deviceEnabled = true;
  }

  void syncTo(uint64_t t) override {
    if (t < time) timeWentBack = true;
    time = t;
    while (t >= eventAt) {
      firedAt.push_back(t);
      scheduledFor.push_back(eventAt);
      eventAt = period ? eventAt + period : UINT64_MAX;
      irq = true;
    }
  }
  uint64_t nextEventTime() const override { return eventAt; }
  bool intrPending() override { return irq; }
  uint8_t intrAcknowledge() override {
    irq = false;
    ++acknowledges;
    return 0x20;
  }
  bool stopRequested() const override { return stop; }
  bool resetRequested() override {
    const bool r = resetRequest;
    resetRequest = false;
    return r;
  }
  bool a20() const override { return true; }

  uint32_t readPhysical(uint64_t address, unsigned size) override {
    if (deviceEnabled && (address & ~0xFFFull) == kDevicePage) {
      ++deviceReads;
      uint32_t v = 0;
      for (unsigned i = 0; i < size; ++i) v |= static_cast<uint32_t>(device[(address + i) & 0xFFF]) << (8 * i);
      return v;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
      const uint64_t a = address + i;
      const uint8_t b = a >= 0xFFFFFFF0u ? rom[a - 0xFFFFFFF0u] : 0xFF;
      v |= static_cast<uint32_t>(b) << (8 * i);
    }
    return v;
  }
  void writePhysical(uint64_t address, unsigned size, uint32_t value) override {
    if (deviceEnabled && (address & ~0xFFFull) == kDevicePage) {
      ++deviceWrites;
      for (unsigned i = 0; i < size; ++i) device[(address + i) & 0xFFF] = static_cast<uint8_t>(value >> (8 * i));
      // Completing the 32-bit register at offset 8 (re)programs the timer: an event that
      // many time units from now.
      if ((address & 0xFFF) <= 0xB && (address & 0xFFF) + size > 0xB) {
        uint32_t delay;
        std::memcpy(&delay, device + 8, 4);
        eventAt = time + delay;
      }
    }
  }
  uint32_t portIn(uint16_t port, unsigned) override {
    if (port == 0x40) return static_cast<uint32_t>(time);
    return 0xFFFFFFFFu;
  }
  void portOut(uint16_t port, unsigned, uint32_t value) override {
    if (port == 0xF4) {
      stop = true;
      exitValue = value & 0xFF;
      exitTime = time;
    } else if (port == 0xCF9) {
      resetRequest = true;
    }
  }

  void put(uint32_t address, std::initializer_list<uint8_t> bytes) {
    for (uint8_t b : bytes) ram_[address++] = b;
  }
  void put16(uint32_t address, uint16_t v) { std::memcpy(&ram_[address], &v, 2); }
  std::span<uint8_t> memory() { return ram_; }

  uint64_t time = 0;
  uint64_t eventAt = UINT64_MAX;
  uint64_t period = 0;  // > 0: the event repeats every `period` time units
  bool irq = false;
  bool stop = false;
  bool resetRequest = false;
  bool timeWentBack = false;
  uint32_t exitValue = 0;
  uint64_t exitTime = 0;  // platform time at the exit-port write
  unsigned acknowledges = 0;
  std::vector<uint64_t> firedAt, scheduledFor;
  uint8_t rom[16] = {};
  bool deviceEnabled = false;
  uint32_t deviceReads = 0, deviceWrites = 0;
  uint8_t device[4096] = {};

 private:
  void init() {
    for (auto& f : lowMap_) f = kDirectRead | kDirectWrite;
    setRam(ram_);
    setLowPageMap(lowMap_);
  }
  uint8_t lowMap_[kLowPages];
  std::vector<uint8_t> owned_;
  std::span<uint8_t> ram_;
};

// Flat 32-bit protected mode as a multiboot loader leaves it (CPL 0, no paging, IF = 0).
inline void flatProtectedModeAt(CpuState& s, uint32_t eip) {
  s.cr[0] |= kCr0PE;
  for (auto& sc : s.seg) sc = SegmentCache{0x10, 0xC093, 0, 0xFFFFFFFFu};
  s.seg[kCS] = SegmentCache{0x08, 0xC09B, 0, 0xFFFFFFFFu};
  s.cpl = 0;
  s.eflags = kFixed1;
  s.eip = eip;
  s.gpr[kESP] = 0x80000;
}

// Real mode, every segment 0, code at 0:1000, stack at 0:8000.
inline void realModeAt(CpuState& s, uint32_t eip) {
  for (auto& sc : s.seg) sc = SegmentCache{0, 0x0093, 0, 0xFFFF};
  s.seg[kCS].access = 0x009B;
  s.eip = eip;
  s.gpr[kESP] = 0x8000;
}

}  // namespace codemorph::cms::test
