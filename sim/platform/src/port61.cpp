// System control port B (port61.h).
#include "codemorph/platform/port61.h"

namespace codemorph::platform {

uint32_t Port61::ioRead(uint16_t, unsigned) {
  const bool refresh = (pitTicksAt(queue_.now()) / 18) & 1;
  return control_ | (refresh ? 0x10 : 0) | (pit_.out(2) ? 0x20 : 0);
}

void Port61::ioWrite(uint16_t, unsigned, uint32_t value) {
  control_ = static_cast<uint8_t>(value & 0x0F);
  pit_.setGate(2, control_ & 1);
}

void Port61::save(support::OutArchive& out) const {
  out.beginSection("platform.port61", 1);
  out.put(control_);
}

void Port61::load(support::InArchive& in) {
  in.beginSection("platform.port61", 1);
  in.get(control_);
}

}  // namespace codemorph::platform
