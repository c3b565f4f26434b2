// See contexts.h.
#include "contexts.h"

namespace codemorph::cms::runtime {

uint32_t plainSegments(const CpuState& s) {
  if (!s.protectedMode() || s.v86()) return (1u << kNumSegs) - 1;
  uint32_t mask = 0;
  for (unsigned i = 0; i < kNumSegs; ++i) {
    const SegmentCache& c = s.seg[i];
    // S = 1, data (type bit 3 = 0), writable (type bit 1), present (bit 7), selector not null.
    const bool plain = (c.access & 0x9Au) == 0x92u && (c.selector & ~3u) != 0;
    if (plain) mask |= 1u << i;
  }
  return mask;
}

uint32_t Contexts::idFor(const CpuState& s) {
  const uint32_t mode = (s.seg[kCS].bigDefault() ? 1u : 0u) | (s.seg[kSS].bigDefault() ? 2u : 0u) |
                        (static_cast<uint32_t>(s.cpl) << 2) | ((s.cr[0] & kCr0PE) ? 16u : 0u) |
                        ((s.cr[0] & kCr0PG) ? 32u : 0u) | (s.v86() ? 64u : 0u);
  const Key key{s.seg[kCS].base, s.seg[kCS].limit, mode | (plainSegments(s) << 8)};
  const auto [it, inserted] = ids_.try_emplace(key, next_);
  if (inserted) ++next_;
  return it->second;
}

}  // namespace codemorph::cms::runtime
