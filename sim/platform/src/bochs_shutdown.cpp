// Bochs "Shutdown" port (bochs_shutdown.h).
#include "codemorph/platform/bochs_shutdown.h"

namespace codemorph::platform {

void BochsShutdown::ioWrite(uint16_t, unsigned, uint32_t value) {
  const char c = static_cast<char>(value & 0xFF);
  if (c == kMagic[matched_]) {
    if (++matched_ == kMagic.size()) {
      matched_ = 0;
      control_.requestExit(0);
    }
  } else {
    matched_ = c == kMagic[0] ? 1 : 0;
  }
}

void BochsShutdown::save(support::OutArchive& out) const {
  out.beginSection("platform.bochs_shutdown", 1);
  out.put(matched_);
}

void BochsShutdown::load(support::InArchive& in) {
  in.beginSection("platform.bochs_shutdown", 1);
  in.get(matched_);
  if (matched_ >= kMagic.size()) throw support::CheckpointError("bochs_shutdown: bad match state");
}

}  // namespace codemorph::platform
