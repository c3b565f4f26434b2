// Port 0x92 (port92.h).
#include "codemorph/platform/port92.h"

namespace codemorph::platform {

void Port92::ioWrite(uint16_t, unsigned, uint32_t value) {
  const auto v = static_cast<uint8_t>(value);
  const bool resetEdge = (v & 1) && !(value_ & 1);
  value_ = v;
  control_.setA20(v & 2);
  if (resetEdge) control_.requestReset(ResetKind::Soft);
}

void Port92::save(support::OutArchive& out) const {
  out.beginSection("platform.port92", 1);
  out.put(value_);
}

void Port92::load(support::InArchive& in) {
  in.beginSection("platform.port92", 1);
  in.get(value_);
}

}  // namespace codemorph::platform
