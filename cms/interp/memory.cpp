// Linear and physical memory accesses. Linear -> physical is Core::physical (core.h): the
// A20 mask, or the paging walk of paging.cpp when CR0.PG=1. Physical accesses that
// GuestBus::directRead/directWrite allow are direct loads/stores on ram() (the fast path;
// below 1 MiB only where the chipset routes the page to RAM); everything else goes
// through the bus callbacks byte-wise. An access that crosses a 4 KiB page boundary translates
// both pages before touching memory, so a #PF on the second page leaves nothing written
// (Vol. 3A 4.7: the fault is taken before the instruction changes state).
// Accesses are little-endian.
#include "core.h"

namespace codemorph::cms::detail {

namespace {
inline bool crossesPage(uint32_t lin, unsigned size) { return (lin & 0xFFFu) + size > 0x1000u; }
// Fixed-size copies: a memcpy with a constant size compiles to one load/store, a variable
// one to a library call.
inline uint32_t loadRam(const uint8_t* p, unsigned size) {
  if (size == 4) {
    uint32_t v;
    std::memcpy(&v, p, 4);  // host is little-endian (checked in CMake)
    return v;
  }
  if (size == 2) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
  }
  if (size == 1) return *p;
  uint32_t v = 0;
  std::memcpy(&v, p, size);
  return v;
}
inline void storeRam(uint8_t* p, unsigned size, uint32_t value) {
  if (size == 4) {
    std::memcpy(p, &value, 4);
  } else if (size == 2) {
    const auto v = static_cast<uint16_t>(value);
    std::memcpy(p, &v, 2);
  } else if (size == 1) {
    *p = static_cast<uint8_t>(value);
  } else {
    std::memcpy(p, &value, size);
  }
}
}  // namespace

uint32_t Core::readLinear(uint32_t lin, unsigned size) {
  const uint32_t pa = physical(lin, Access::Read);
  const auto ram = bus.ram();
  const bool cross = crossesPage(lin, size);
  if (s.a20 && !cross && bus.directRead(pa, size)) return loadRam(ram.data() + pa, size);
  const uint32_t pa2 = cross ? physical((lin + size - 1) & ~0xFFFu, Access::Read) : pa;
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    const uint32_t la = lin + i;
    const uint32_t page = ((la ^ lin) & ~0xFFFu) ? pa2 : pa;
    const uint32_t p = (page & ~0xFFFu) | (la & 0xFFFu);
    const uint32_t b = bus.directRead(p, 1) ? ram[p] : (bus.readPhysical(p, 1) & 0xFF);
    v |= b << (8 * i);
  }
  return v;
}

void Core::writeLinear(uint32_t lin, unsigned size, uint32_t value) {
  const uint32_t pa = physical(lin, Access::Write);
  const auto ram = bus.ram();
  const bool cross = crossesPage(lin, size);
  if (s.a20 && !cross && bus.directWrite(pa, size)) {
    storeRam(ram.data() + pa, size, value);
    if (storeObserver) storeObserver->onStore(pa, size);
    return;
  }
  const uint32_t pa2 = cross ? physical((lin + size - 1) & ~0xFFFu, Access::Write) : pa;
  for (unsigned i = 0; i < size; ++i) {
    const uint32_t la = lin + i;
    const uint32_t page = ((la ^ lin) & ~0xFFFu) ? pa2 : pa;
    const uint32_t p = (page & ~0xFFFu) | (la & 0xFFFu);
    const auto b = static_cast<uint8_t>(value >> (8 * i));
    if (bus.directWrite(p, 1))
      ram[p] = b;
    else
      bus.writePhysical(p, 1, b);
    if (storeObserver) storeObserver->onStore(p, 1);
  }
}

}  // namespace codemorph::cms::detail
