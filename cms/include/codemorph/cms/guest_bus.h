// The interpreter's view of the machine outside the CPU: physical memory and port I/O.
// RAM is exposed as one contiguous span the interpreter reads and writes directly (the
// hot path); every physical address outside it, and every port, goes through virtual
// callbacks (devices, ROM, MMIO). The platform (sim/) implements this on top of TLM DMI.
//
// Direct access is decided by directRead()/directWrite(), not by ram().size() alone: on a
// PC the window 0xA0000-0xFFFFF is RAM only where the chipset routes it there (i440FX PAM
// and SMRAM registers), and reads and writes are routed separately (PAM RE/WE). Below
// 1 MiB a per-4-KiB-page map (lowPageMap, owned by the bus's implementer and changed in
// place when the chipset changes) says which pages reads and writes may take from ram();
// the rest go through readPhysical/writePhysical. Addresses >= 1 MiB inside ram() are one
// compare. Without a map every page of ram() is direct (FlatBus, test rigs).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace codemorph::cms {

class GuestBus {
 public:
  virtual ~GuestBus() = default;
  // Directly accessible RAM starting at physical address 0. May be empty.
  std::span<uint8_t> ram() const { return ram_; }

  // Page flags of the map below 1 MiB (one byte per 4 KiB page, 256 entries).
  static constexpr uint8_t kDirectRead = 1, kDirectWrite = 2;
  static constexpr uint64_t kLowEnd = 0x100000;  // 1 MiB
  static constexpr unsigned kLowPages = 256;
  // True if [pa, pa + size) lies in ram() and may be read (written) there directly;
  // size 1..16. False means: use readPhysical (writePhysical) byte by byte.
  bool directRead(uint64_t pa, unsigned size) const { return direct(pa, size, kDirectRead); }
  bool directWrite(uint64_t pa, unsigned size) const { return direct(pa, size, kDirectWrite); }
  const uint8_t* lowPageMap() const { return lowPages_; }

  // Physical accesses outside ram(); size is 1, 2 or 4 bytes, little-endian.
  virtual uint32_t readPhysical(uint64_t address, unsigned size) = 0;
  virtual void writePhysical(uint64_t address, unsigned size, uint32_t value) = 0;
  // Port I/O (SDM Vol. 1 18.3); size 1, 2 or 4.
  virtual uint32_t portIn(uint16_t port, unsigned size) = 0;
  virtual void portOut(uint16_t port, unsigned size, uint32_t value) = 0;

 protected:
  void setRam(std::span<uint8_t> ram) {
    ram_ = ram;
    lowEnd_ = ram.size() < kLowEnd ? ram.size() : kLowEnd;
    if (ram.size() >= kLowEnd + 16) {
      highBase_ = kLowEnd;
      highLimit_ = ram.size() - kLowEnd;
    } else {  // (almost) no RAM above 1 MiB: the one-compare test fails for every address
      highBase_ = uint64_t{1} << 62;
      highLimit_ = 16;
    }
  }
  // kLowPages flags (kDirectRead | kDirectWrite) per page below 1 MiB; not owned, read at
  // every access (the owner updates it in place). nullptr: every page direct.
  void setLowPageMap(const uint8_t* map) { lowPages_ = map ? map : kAllDirect; }
  // Takes over another bus's RAM span and page map (a bus that forwards to a platform).
  void adoptDirectMap(const GuestBus& other) {
    setRam(other.ram_);
    lowPages_ = other.lowPages_;
  }

 private:
  bool direct(uint64_t pa, unsigned size, uint8_t kind) const {
    // >= 1 MiB: pa - highBase_ wraps to a huge value below highBase_, so one compare.
    if (pa - highBase_ <= highLimit_ - size) return true;
    if (pa >= kLowEnd) return pa + size <= ram_.size();  // less than 16 bytes above 1 MiB
    return pa + size <= lowEnd_ && (lowPages_[pa >> 12] & lowPages_[(pa + size - 1) >> 12] & kind) != 0;
  }
  static constexpr std::array<uint8_t, kLowPages> kAllDirectMap = [] {
    std::array<uint8_t, kLowPages> map{};
    map.fill(kDirectRead | kDirectWrite);
    return map;
  }();
  static constexpr const uint8_t* kAllDirect = kAllDirectMap.data();
  std::span<uint8_t> ram_;
  const uint8_t* lowPages_ = kAllDirect;
  uint64_t lowEnd_ = 0;
  uint64_t highBase_ = uint64_t{1} << 62;
  uint64_t highLimit_ = 16;
};

// Told about every physical store the interpreter makes (after it happened). The hook for
// translated-page protection (self-modifying code) and for test harnesses that must see
// stray writes; null by default, one predictable branch per store.
class StoreObserver {
 public:
  virtual ~StoreObserver() = default;
  virtual void onStore(uint64_t physical, unsigned size) = 0;
};

// A bus with `ramBytes` of zeroed RAM, open bus (all ones) elsewhere, and ports that read
// `portValue` (0xFF.. like the SingleStepTests rig) and ignore writes.
class FlatBus : public GuestBus {
 public:
  explicit FlatBus(size_t ramBytes, uint32_t portValue = 0xFFFFFFFFu);
  uint32_t readPhysical(uint64_t address, unsigned size) override;
  void writePhysical(uint64_t address, unsigned size, uint32_t value) override;
  uint32_t portIn(uint16_t port, unsigned size) override;
  void portOut(uint16_t port, unsigned size, uint32_t value) override;
  std::vector<uint8_t>& storage() { return storage_; }

  // Port writes seen so far (for tests).
  struct PortWrite {
    uint16_t port;
    unsigned size;
    uint32_t value;
  };
  std::vector<PortWrite> portWrites;

 private:
  std::vector<uint8_t> storage_;
  uint32_t portValue_;
};

}  // namespace codemorph::cms
