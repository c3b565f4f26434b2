// The interpreter's view of the machine outside the CPU: physical memory and port I/O.
// RAM is exposed as one contiguous span the interpreter reads and writes directly (the
// hot path); every physical address outside it, and every port, goes through virtual
// callbacks (devices, ROM, MMIO). The platform (sim/) implements this on top of TLM DMI.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace codemorph::cms {

class GuestBus {
 public:
  virtual ~GuestBus() = default;
  // Directly accessible RAM starting at physical address 0. May be empty.
  std::span<uint8_t> ram() const { return ram_; }

  // Physical accesses outside ram(); size is 1, 2 or 4 bytes, little-endian.
  virtual uint32_t readPhysical(uint64_t address, unsigned size) = 0;
  virtual void writePhysical(uint64_t address, unsigned size, uint32_t value) = 0;
  // Port I/O (SDM Vol. 1 18.3); size 1, 2 or 4.
  virtual uint32_t portIn(uint16_t port, unsigned size) = 0;
  virtual void portOut(uint16_t port, unsigned size, uint32_t value) = 0;

 protected:
  void setRam(std::span<uint8_t> ram) { ram_ = ram; }

 private:
  std::span<uint8_t> ram_;
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
