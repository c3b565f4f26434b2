// See register_sync.h.
#include "register_sync.h"

#include <codemorph/firmware/abi.h>

namespace codemorph::cms::runtime {

using hostisa::Sreg;

uint32_t segmentAttributes(const SegmentCache& seg) {
  // Data segment (S = 1, type bit 3 = 0) with the expand-down bit (type bit 2), Vol. 3A 3.4.5.1.
  const bool data = (seg.access & 0x18u) == 0x10u;
  const bool expandDown = data && (seg.access & 0x04u) != 0;
  return (expandDown ? 1u : 0u) | (seg.bigDefault() ? 2u : 0u);
}

void pushX86State(const CpuState& s, hostisa::iss::CoreApi& core) {
  for (unsigned i = 0; i < 8; ++i) core.setReg(firmware::gprRegister(i), s.gpr[i]);
  core.setReg(firmware::kReg_eip, s.eip);
  core.setSreg(static_cast<unsigned>(Sreg::XFLAGS), s.eflags & kXflagsMask);
  for (unsigned i = 0; i < kNumSegs; ++i) {
    core.setSreg(static_cast<unsigned>(Sreg::SEGBASE0) + i, s.seg[i].base);
    core.setSreg(static_cast<unsigned>(Sreg::SEGLIM0) + i, s.seg[i].limit);
    core.setSreg(static_cast<unsigned>(Sreg::SEGATTR0) + i, segmentAttributes(s.seg[i]));
  }
}

void pullX86State(const hostisa::iss::CoreApi& core, CpuState& s) {
  for (unsigned i = 0; i < 8; ++i) s.gpr[i] = core.reg(firmware::gprRegister(i));
  s.eip = core.reg(firmware::kReg_eip);
  s.eflags = (s.eflags & ~kXflagsMask) | (core.sreg(static_cast<unsigned>(Sreg::XFLAGS)) & kXflagsMask);
}

}  // namespace codemorph::cms::runtime
