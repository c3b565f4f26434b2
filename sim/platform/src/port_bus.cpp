// The I/O-port address space (port_bus.h).
#include "codemorph/platform/port_bus.h"

#include <stdexcept>
#include <vector>

namespace codemorph::platform {

void PortBus::map(uint16_t base, uint16_t length, IoDevice& device, std::string name, Kind kind) {
  const uint32_t end = uint32_t{base} + length;
  auto layer = [](Kind k) { return k == Kind::Dword ? 1 : 0; };
  for (const Mapping& m : mappings_) {
    if (layer(m.kind) == layer(kind) && base < uint32_t{m.base} + m.length && m.base < end) {
      throw std::logic_error("port range of " + name + " overlaps " + m.name);
    }
  }
  mappings_.push_back({base, length, &device, std::move(name), kind});
}

const PortBus::Mapping* PortBus::find(uint16_t port, Kind kind) const {
  for (const Mapping& m : mappings_) {
    if (m.kind == kind && port >= m.base && port - m.base < m.length) return &m;
  }
  return nullptr;
}

const PortBus::Mapping* PortBus::findDword(uint16_t port, unsigned size) const {
  if (size != 4) return nullptr;
  const Mapping* m = find(port, Kind::Dword);
  return m && port - m->base + size <= m->length ? m : nullptr;
}

const PortBus::Mapping* PortBus::findByte(uint16_t port) const {
  const Mapping* m = find(port, Kind::Byte);
  return m ? m : find(port, Kind::Native);
}

const PortBus::Mapping* PortBus::findWhole(uint16_t port, unsigned size) const {
  if (const Mapping* m = findDword(port, size)) return m;
  const Mapping* m = find(port, Kind::Native);
  return m && port - m->base + size <= m->length ? m : nullptr;
}

void PortBus::unmap(const IoDevice& device) {
  std::erase_if(mappings_, [&](const Mapping& m) { return m.device == &device; });
}

uint32_t PortBus::read(uint16_t port, unsigned size) {
  if (const Mapping* m = findWhole(port, size)) {
    return m->device->ioRead(static_cast<uint16_t>(port - m->base), size);
  }
  uint32_t value = 0;
  for (unsigned i = 0; i < size; ++i) {
    const auto p = static_cast<uint16_t>(port + i);
    const Mapping* b = findByte(p);
    uint32_t byte = 0xFF;
    if (b) {
      byte = b->device->ioRead(static_cast<uint16_t>(p - b->base), 1) & 0xFF;
    } else {
      ++unmapped_;
    }
    value |= byte << (8 * i);
  }
  return value;
}

void PortBus::write(uint16_t port, unsigned size, uint32_t value) {
  if (const Mapping* m = findWhole(port, size)) {
    m->device->ioWrite(static_cast<uint16_t>(port - m->base), size, value);
    return;
  }
  for (unsigned i = 0; i < size; ++i) {
    const auto p = static_cast<uint16_t>(port + i);
    const Mapping* b = findByte(p);
    if (b) {
      b->device->ioWrite(static_cast<uint16_t>(p - b->base), 1, (value >> (8 * i)) & 0xFF);
    } else {
      ++unmapped_;
    }
  }
}

}  // namespace codemorph::platform
