// Segmentation: logical (segment:offset) -> linear address with the limit checks of SDM
// Vol. 3A 5.3 (expand-up and expand-down) and, in protected mode, the type checks of 5.5
// (null/unusable segment, write to read-only or code, read of execute-only code). Real and
// V86 mode use the cached limit like protected mode does, which gives "unreal mode" for
// free (Vol. 3A 20.1.1); they skip the rights test (one predictable branch on the mode).
// Protected-mode segment-register loads are in descriptors.cpp.
#include "core.h"

namespace codemorph::cms::detail {

uint8_t Core::limitFaultVector(unsigned seg) const {
  if (seg != kSS) return kVecGP;
  return s.protectedMode() ? static_cast<uint8_t>(kVecSS) : model.realModeStackLimitVector;
}

uint32_t Core::linear(unsigned seg, uint32_t offset, unsigned size, Access acc) {
  const SegmentCache& sc = s.seg[seg];
  if (pm()) {
    // Vol. 3A 5.5 / 3.4.2: an unusable (null-loaded) segment faults on any access; data
    // segments need W for writes; code segments are never writable (through this path)
    // and need R for reads. Stack-segment violations are #SS(0), others #GP(0).
    const uint16_t a = sc.access;
    bool bad = (a & 0x80u) == 0;
    if (acc == Access::Write) bad = bad || (a & 0x1Au) != 0x12u;
    else if (acc == Access::Read) bad = bad || (a & 0x0Au) == 0x08u;
    if (bad) raise(seg == kSS ? kVecSS : kVecGP, 0);
  }
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
  if (pm()) {
    loadSegmentPm(seg, selector);
  } else {
    loadRealModeSegment(s.seg[seg], selector);
  }
  if (seg == kSS) shadowNext = true;  // MOV/POP SS inhibit interrupts (Vol. 3A 6.8.3)
}

}  // namespace codemorph::cms::detail
