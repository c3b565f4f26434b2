// Protected-mode and virtual-8086-mode interrupt/exception delivery through the IDT (SDM
// Vol. 3A 6.10-6.14, 20.3.1; Vol. 2A INT n "PROTECTED-MODE" pseudocode):
//  - 16- and 32-bit interrupt and trap gates (interrupt gates clear IF);
//  - INT n / INT3 / INTO check gate DPL >= CPL (#GP(vector*8+2)); exceptions and external
//    interrupts do not, and every error code of a fault during their delivery has EXT=1;
//  - a non-conforming target with DPL < CPL switches to the inner stack from the TSS
//    (7.2.1) and pushes SS, ESP first; from V86 mode the target must be ring 0 and GS FS
//    DS ES are pushed too and then loaded with null (Figure 20-5);
//  - error codes are pushed with the gate's size.
// Task gates (hardware task switch) stop as unimplemented.
#include "core.h"

namespace codemorph::cms::detail {

void Core::deliverPm(uint8_t vector, bool hasError, uint32_t errorCode, uint32_t returnEip,
                     bool software) {
  const uint32_t ext = software ? 0u : 1u;
  const uint32_t idtErr = static_cast<uint32_t>(vector) * 8 + 2 + ext;
  if (static_cast<uint32_t>(vector) * 8 + 7 > s.idtr.limit) raise(kVecGP, idtErr);
  Descriptor gate;
  gate.lo = readSys(s.idtr.base + vector * 8u, 4);
  gate.hi = readSys(s.idtr.base + vector * 8u + 4, 4);
  const unsigned type = gate.type();
  if (gate.isSegment()) raise(kVecGP, idtErr);
  if (type == kTaskGate) {
    if (gate.present() && !(softwareDpl && gate.dpl() < s.cpl))
      unimplemented("hardware task switch (IDT task gate)");
  } else if (type != kIntGate16 && type != kTrapGate16 && type != kIntGate32 && type != kTrapGate32) {
    raise(kVecGP, idtErr);
  }
  // Software interrupts: gate DPL must be >= CPL (Vol. 3A 6.12.1.1); not for ICEBP (INT1).
  if (softwareDpl && gate.dpl() < s.cpl) raise(kVecGP, idtErr);
  if (!gate.present()) raise(kVecNP, idtErr);

  const uint16_t csSel = gate.gateSelector();
  const uint32_t csErr = (csSel & 0xFFFCu) | ext;
  if ((csSel & 0xFFFCu) == 0) raise(kVecGP, ext);
  Descriptor cd = readDescriptor(csSel, kVecGP, ext);
  if (!cd.isCode() || cd.dpl() > s.cpl) raise(kVecGP, csErr);
  if (!cd.present()) raise(kVecNP, csErr);
  const bool gate32 = (type & 8u) != 0;
  const unsigned gs = gate32 ? 4 : 2;
  const uint32_t offset = gate32 ? gate.gateOffset() : (gate.gateOffset() & 0xFFFF);
  if (offset > cd.limit()) raise(kVecGP, ext);

  const bool fromV86 = s.v86();
  const uint32_t oldFlags = s.eflags;
  const uint16_t oldCs = s.seg[kCS].selector;
  unsigned newCpl = s.cpl;
  uint32_t spv;
  uint16_t stackErrSel = 0;
  if (!cd.conforming() && cd.dpl() < s.cpl) {
    // Inter-privilege (Vol. 3A 6.12.1, Figure 6-4).
    newCpl = cd.dpl();
    if (fromV86 && newCpl != 0) raise(kVecGP, csErr);
    uint16_t newSs;
    uint32_t newEsp;
    innerStackFromTss(newCpl, newSs, newEsp, ext);
    const uint16_t oldSs = s.seg[kSS].selector;
    const uint32_t oldEsp = s.gpr[kESP];
    loadStackSegment(newSs, newCpl, kVecTS, ext);
    s.cpl = static_cast<uint8_t>(newCpl);
    stackErrSel = newSs;
    spv = stack32() ? newEsp : (newEsp & 0xFFFF);
    try {
      if (fromV86) {
        pushAt(spv, gs, s.seg[kGS].selector);
        pushAt(spv, gs, s.seg[kFS].selector);
        pushAt(spv, gs, s.seg[kDS].selector);
        pushAt(spv, gs, s.seg[kES].selector);
      }
      pushAt(spv, gs, oldSs);
      pushAt(spv, gs, oldEsp & sizeMask(gs));
    } catch (const GuestFault& f) {
      if (f.vector == kVecSS) raise(kVecSS, (newSs & 0xFFFCu) | ext);
      throw;
    }
    s.gpr[kESP] = stack32() ? spv : ((newEsp & 0xFFFF0000u) | spv);
    if (fromV86) {
      for (unsigned seg : {unsigned{kES}, unsigned{kDS}, unsigned{kFS}, unsigned{kGS}})
        s.seg[seg] = SegmentCache{0, 0, 0, 0};
    }
  } else {
    // Same privilege; from V86 mode only a ring-0 non-conforming target is allowed.
    if (fromV86) raise(kVecGP, csErr);
    spv = sp();
  }
  try {
    pushAt(spv, gs, oldFlags & sizeMask(gs));
    pushAt(spv, gs, oldCs);
    pushAt(spv, gs, returnEip & sizeMask(gs));
    if (hasError) pushAt(spv, gs, errorCode & sizeMask(gs));
  } catch (const GuestFault& f) {
    if (f.vector == kVecSS) raise(kVecSS, (stackErrSel & 0xFFFCu) | ext);
    throw;
  }
  setSp(spv);
  setAccessed(csSel, cd);
  loadCache(s.seg[kCS], static_cast<uint16_t>((csSel & 0xFFFCu) | newCpl), cd);
  s.eip = offset;
  // Vol. 3A 6.12.1.3: TF, VM, RF, NT cleared; an interrupt gate also clears IF.
  s.eflags &= ~(kTF | kVM | kRF | kNT);
  if (!(type & 1u)) s.eflags &= ~kIF;
  s.halted = false;
}

}  // namespace codemorph::cms::detail
