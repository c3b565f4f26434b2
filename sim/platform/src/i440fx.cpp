// i440FX host bridge (i440fx.h).
#include "codemorph/platform/i440fx.h"

namespace codemorph::platform {

I440fx::I440fx() : PciFunction("i440fx", {0x8086, 0x1237, 0x02, 0x00, 0x0600, 0x00}) {
  setWritable(kPam0, 1, 0x30);
  for (uint8_t r = kPam0 + 1; r <= kPam0 + 6; ++r) setWritable(r, 1, 0x33);
  set(kSmram, 1, 0x02);
  setWritable(kSmram, 1, 0x78);  // C_BASE_SEG is fixed at 010
  last_ = legacyMap();
}

std::vector<LegacyRegion> I440fx::legacyMap() const {
  std::vector<LegacyRegion> map;
  const uint8_t s = smram();
  const bool smramRam = (s & kSmramEnable) && (s & kSmramOpen);
  map.push_back({0xA0000, 0x20000, smramRam, smramRam});
  for (unsigned i = 0; i < 12; ++i) {  // PAM1-PAM6, low nibble then high nibble
    const auto pam = static_cast<uint8_t>(get(static_cast<uint8_t>(kPam0 + 1 + i / 2), 1) >> (4 * (i % 2)));
    map.push_back({0xC0000 + 0x4000 * i, 0x4000, (pam & 1) != 0, (pam & 2) != 0});
  }
  const auto pam0 = static_cast<uint8_t>(get(kPam0, 1) >> 4);
  map.push_back({0xF0000, 0x10000, (pam0 & 1) != 0, (pam0 & 2) != 0});
  return map;
}

LegacyRegion I440fx::regionAt(uint32_t addr) const {
  for (const LegacyRegion& r : legacyMap()) {
    if (addr >= r.base && addr - r.base < r.size) return r;
  }
  return {addr, 1, true, true};  // outside the legacy window: plain DRAM
}

void I440fx::configWritten(uint8_t offset, unsigned size) {
  if (overlaps(offset, size, kSmram, 1)) {
    uint8_t v = smram();
    if (smramBefore_ & kSmramLock) {  // locked: only D_CLS stays writable
      v = static_cast<uint8_t>((smramBefore_ & ~kSmramClose) | (v & kSmramClose));
    } else if (v & kSmramLock) {
      v = static_cast<uint8_t>(v & ~kSmramOpen);
    }
    set(kSmram, 1, v);
    smramBefore_ = v;
  }
  if (!overlaps(offset, size, kPam0, 7) && !overlaps(offset, size, kSmram, 1)) return;
  std::vector<LegacyRegion> now = legacyMap();
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i] != last_[i] && hook_) hook_(now[i].base, now[i].size);
  }
  last_ = std::move(now);
}

void I440fx::resetMap() {
  for (uint8_t r = kPam0; r <= kPam0 + 6; ++r) set(r, 1, 0);
  set(kSmram, 1, 0x02);
  smramBefore_ = 0x02;
  std::vector<LegacyRegion> now = legacyMap();
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i] != last_[i] && hook_) hook_(now[i].base, now[i].size);
  }
  last_ = std::move(now);
}

void I440fx::afterLoad() {
  smramBefore_ = smram();
  last_ = legacyMap();
  if (hook_) hook_(0xA0000, 0x60000);
}

}  // namespace codemorph::platform
