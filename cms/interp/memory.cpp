// Linear and physical memory accesses. Linear -> physical is the A20 mask today (paging,
// Vol. 3A 4.3, plugs into physical()); physical accesses inside GuestBus::ram() are direct
// loads/stores (the fast path), everything else goes through the bus callbacks byte-wise.
// Accesses are little-endian; a multi-byte access is split per byte only when it leaves RAM.
#include "core.h"

namespace codemorph::cms::detail {

uint32_t Core::physical(uint32_t linearAddr, Access acc) {
  (void)acc;
  if (s.cr[0] & kCr0PG) unimplemented("paging (CR0.PG)");
  return s.a20 ? linearAddr : (linearAddr & ~(1u << 20));
}

uint32_t Core::readLinear(uint32_t lin, unsigned size) {
  const uint32_t pa = physical(lin, Access::Read);
  const auto ram = bus.ram();
  if (s.a20 && static_cast<uint64_t>(pa) + size <= ram.size()) {
    uint32_t v = 0;
    std::memcpy(&v, ram.data() + pa, size);  // host is little-endian (checked in CMake)
    return v;
  }
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    const uint32_t p = physical(lin + i, Access::Read);
    const uint32_t b = p < ram.size() ? ram[p] : (bus.readPhysical(p, 1) & 0xFF);
    v |= b << (8 * i);
  }
  return v;
}

void Core::writeLinear(uint32_t lin, unsigned size, uint32_t value) {
  const uint32_t pa = physical(lin, Access::Write);
  const auto ram = bus.ram();
  if (s.a20 && static_cast<uint64_t>(pa) + size <= ram.size()) {
    std::memcpy(ram.data() + pa, &value, size);
    if (storeObserver) storeObserver->onStore(pa, size);
    return;
  }
  for (unsigned i = 0; i < size; ++i) {
    const uint32_t p = physical(lin + i, Access::Write);
    const auto b = static_cast<uint8_t>(value >> (8 * i));
    if (p < ram.size())
      ram[p] = b;
    else
      bus.writePhysical(p, 1, b);
    if (storeObserver) storeObserver->onStore(p, 1);
  }
}

}  // namespace codemorph::cms::detail
