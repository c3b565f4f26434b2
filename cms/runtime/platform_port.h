// The interpreter's bus while the CMS runs it: guest RAM directly, everything else
// forwarded to the GuestPlatform after bringing the devices up to "now"
// (docs/cms-runtime.md section 8: the platform is synchronized before every port or MMIO
// access). Every forwarded access marks the device view stale, because it may change the
// next event (a timer reprogrammed) or the INTR line (a PIC unmasked, an EOI).
// Also the RDTSC time source: the TSC follows the run's clock (ARCHITECTURE.md 4).
#pragma once
#include <codemorph/cms/guest_bus.h>
#include <codemorph/cms/runtime.h>
#include <codemorph/cms/time_source.h>

#include <functional>

namespace codemorph::cms::runtime {

class PlatformPort final : public GuestBus, public TimeSource {
 public:
  // now: the run's current time in clock units (called before each forwarded access).
  PlatformPort(GuestPlatform& platform, std::function<uint64_t()> now);

  uint32_t readPhysical(uint64_t address, unsigned size) override;
  void writePhysical(uint64_t address, unsigned size, uint32_t value) override;
  uint32_t portIn(uint16_t port, unsigned size) override;
  void portOut(uint16_t port, unsigned size, uint32_t value) override;
  uint64_t ticks() const override { return now_(); }

  // True after a forwarded access since the last clearDeviceViewStale().
  bool deviceViewStale() const { return stale_; }
  void clearDeviceViewStale() { stale_ = false; }
  void markDeviceViewStale() { stale_ = true; }
  void refreshRam() { adoptDirectMap(platform_); }
  GuestPlatform& platform() { return platform_; }

 private:
  void sync();
  GuestPlatform& platform_;
  std::function<uint64_t()> now_;
  bool stale_ = true;
};

}  // namespace codemorph::cms::runtime
