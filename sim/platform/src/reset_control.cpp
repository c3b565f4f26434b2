// Reset Control Register 0xCF9 (reset_control.h).
#include "codemorph/platform/reset_control.h"

namespace codemorph::platform {

void ResetControl::ioWrite(uint16_t, unsigned, uint32_t value) {
  const auto v = static_cast<uint8_t>(value & 0x0E);
  const bool trigger = (v & 0x04) && !(value_ & 0x04);
  value_ = v;
  if (trigger) {
    control_.requestReset((v & 0x02) ? ResetKind::Hard : ResetKind::Soft);
    value_ &= static_cast<uint8_t>(~0x04);  // the reset clears RCPU again
  }
}

void ResetControl::save(support::OutArchive& out) const {
  out.beginSection("platform.reset_control", 1);
  out.put(value_);
}

void ResetControl::load(support::InArchive& in) {
  in.beginSection("platform.reset_control", 1);
  in.get(value_);
}

}  // namespace codemorph::platform
