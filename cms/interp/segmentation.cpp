// Segmentation: logical (segment:offset) -> linear address with the limit checks of SDM
// Vol. 3A 5.3 (expand-up and expand-down), and segment-register loads. Real and V86 mode
// use the cached limit/rights like protected mode does, which gives "unreal mode" for free
// (Vol. 3A 20.1.1). Protected-mode descriptor loads (Vol. 3A 5.4-5.6 type/privilege checks)
// slot into loadSegment() and the access-rights test marked below.
#include "core.h"

namespace codemorph::cms::detail {

uint8_t Core::limitFaultVector(unsigned seg) const {
  if (seg != kSS) return kVecGP;
  return s.protectedMode() ? static_cast<uint8_t>(kVecSS) : model.realModeStackLimitVector;
}

uint32_t Core::linear(unsigned seg, uint32_t offset, unsigned size, Access acc) {
  (void)acc;  // protected mode: execute-only / read-only rights are checked here (Vol. 3A 5.5)
  const SegmentCache& sc = s.seg[seg];
  const uint64_t last = static_cast<uint64_t>(offset) + size - 1;
  // Data segment with the expand-down bit (type 01x1 with S=1, code bit clear).
  const bool expandDown = (sc.access & 0x1C) == 0x14;
  if (expandDown) {
    const uint64_t upper = sc.bigDefault() ? 0xFFFFFFFFull : 0xFFFFull;
    if (offset <= sc.limit || last > upper) raise(limitFaultVector(seg), 0);
  } else if (last > sc.limit) {
    raise(limitFaultVector(seg), 0);
  }
  return sc.base + offset;
}

void Core::loadSegment(unsigned seg, uint16_t selector) {
  if (s.protectedMode() && !s.v86())
    unimplemented("protected-mode segment register load (descriptor tables)");
  loadRealModeSegment(s.seg[seg], selector);
  if (seg == kSS) shadowNext = true;  // MOV/POP SS inhibit interrupts (Vol. 3A 6.8.3)
}

}  // namespace codemorph::cms::detail
