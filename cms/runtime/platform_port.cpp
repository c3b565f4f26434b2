// See platform_port.h.
#include "platform_port.h"

#include <utility>

namespace codemorph::cms::runtime {

PlatformPort::PlatformPort(GuestPlatform& platform, std::function<uint64_t()> now)
    : platform_(platform), now_(std::move(now)) {
  adoptDirectMap(platform);
}

void PlatformPort::sync() {
  platform_.syncTo(now_());
  stale_ = true;
}

uint32_t PlatformPort::readPhysical(uint64_t address, unsigned size) {
  sync();
  return platform_.readPhysical(address, size);
}
void PlatformPort::writePhysical(uint64_t address, unsigned size, uint32_t value) {
  sync();
  platform_.writePhysical(address, size, value);
}
uint32_t PlatformPort::portIn(uint16_t port, unsigned size) {
  sync();
  return platform_.portIn(port, size);
}
void PlatformPort::portOut(uint16_t port, unsigned size, uint32_t value) {
  sync();
  platform_.portOut(port, size, value);
}

}  // namespace codemorph::cms::runtime
