// Protected-mode far transfers (SDM Vol. 2A CALL/JMP, 2B RET/IRET "PROTECTED-MODE"
// pseudocode; Vol. 3A 5.8 privilege rules and call gates, 20.2.1/20.3 V86 entry and exit):
//  - far JMP/CALL to a code segment (conforming/non-conforming DPL/RPL rules) or through a
//    16/32-bit call gate, CALL to a more privileged level switching to the TSS stack and
//    copying the gate's parameters (Figure 5-13);
//  - far RET and IRET to the same or an outer level (SS:ESP popped, data segments nulled);
//  - IRET at CPL 0 with VM=1 in the popped EFLAGS enters virtual-8086 mode; IRET in V86
//    mode works like real mode with IOPL = 3 and is #GP(0) otherwise (no VME).
// Hardware task switches (TSS descriptor, task gate, IRET with NT=1) are not implemented:
// they stop the machine with StopReason::Unimplemented (docs/interpreter.md).
// The callers (control.cpp) snapshot CpuState and restore it if a fault escapes.
#include "core.h"

namespace codemorph::cms::detail {

namespace {
constexpr uint32_t selErr(uint16_t sel) { return sel & 0xFFFCu; }
}  // namespace

void Core::farJumpPm(uint16_t sel, uint32_t offset, unsigned opSize) {
  (void)opSize;
  if (selErr(sel) == 0) raise(kVecGP, 0);
  Descriptor d = readDescriptor(sel, kVecGP, 0);
  const unsigned rpl = sel & 3u;
  uint16_t target = sel;
  if (!d.isSegment()) {
    const unsigned type = d.type();
    if (type == kTaskGate || type == kTss16Avail || type == kTss32Avail)
      unimplemented("hardware task switch (JMP to a TSS or task gate)");
    if (type != kCallGate16 && type != kCallGate32) raise(kVecGP, selErr(sel));
    // Call gate (Vol. 3A 5.8.4): DPL >= CPL and >= RPL; JMP never changes privilege.
    if (d.dpl() < s.cpl || d.dpl() < rpl) raise(kVecGP, selErr(sel));
    if (!d.present()) raise(kVecNP, selErr(sel));
    target = d.gateSelector();
    offset = d.gateOffset();
    if (selErr(target) == 0) raise(kVecGP, 0);
    d = readDescriptor(target, kVecGP, 0);
    if (!d.isCode()) raise(kVecGP, selErr(target));
    if (d.conforming() ? d.dpl() > s.cpl : d.dpl() != s.cpl) raise(kVecGP, selErr(target));
  } else {
    if (!d.isCode()) raise(kVecGP, selErr(sel));
    // Conforming: DPL <= CPL; non-conforming: RPL <= CPL and DPL = CPL (Vol. 3A 5.8.1).
    if (d.conforming() ? d.dpl() > s.cpl : (rpl > s.cpl || d.dpl() != s.cpl))
      raise(kVecGP, selErr(sel));
  }
  if (!d.present()) raise(kVecNP, selErr(target));
  if (offset > d.limit()) raise(kVecGP, 0);
  setAccessed(target, d);
  loadCache(s.seg[kCS], static_cast<uint16_t>(selErr(target) | s.cpl), d);
  nextEip = offset;
}

void Core::farCallPm(uint16_t sel, uint32_t offset, unsigned opSize, uint32_t returnEip) {
  if (selErr(sel) == 0) raise(kVecGP, 0);
  Descriptor d = readDescriptor(sel, kVecGP, 0);
  const unsigned rpl = sel & 3u;
  const uint16_t oldCs = s.seg[kCS].selector;
  if (d.isSegment()) {
    if (!d.isCode()) raise(kVecGP, selErr(sel));
    if (d.conforming() ? d.dpl() > s.cpl : (rpl > s.cpl || d.dpl() != s.cpl))
      raise(kVecGP, selErr(sel));
    if (!d.present()) raise(kVecNP, selErr(sel));
    if (offset > d.limit()) raise(kVecGP, 0);
    uint32_t spv = sp();
    pushAt(spv, opSize, oldCs);
    pushAt(spv, opSize, returnEip & sizeMask(opSize));
    setAccessed(sel, d);
    loadCache(s.seg[kCS], static_cast<uint16_t>(selErr(sel) | s.cpl), d);
    setSp(spv);
    nextEip = offset;
    return;
  }
  const unsigned type = d.type();
  if (type == kTaskGate || type == kTss16Avail || type == kTss32Avail)
    unimplemented("hardware task switch (CALL to a TSS or task gate)");
  if (type != kCallGate16 && type != kCallGate32) raise(kVecGP, selErr(sel));
  if (d.dpl() < s.cpl || d.dpl() < rpl) raise(kVecGP, selErr(sel));
  if (!d.present()) raise(kVecNP, selErr(sel));
  const unsigned gs = type == kCallGate32 ? 4 : 2;  // the gate's size sets the push size
  const unsigned params = d.gateParams();
  const uint16_t target = d.gateSelector();
  offset = d.gateOffset();
  if (selErr(target) == 0) raise(kVecGP, 0);
  Descriptor cd = readDescriptor(target, kVecGP, 0);
  if (!cd.isCode() || cd.dpl() > s.cpl) raise(kVecGP, selErr(target));
  if (!cd.present()) raise(kVecNP, selErr(target));
  if (offset > cd.limit()) raise(kVecGP, 0);
  if (!cd.conforming() && cd.dpl() < s.cpl) {
    // More privilege (Vol. 3A 5.8.5, Figure 5-13): new SS:ESP from the TSS for the target
    // DPL; push the caller's SS, ESP, the copied parameters, CS, EIP.
    const unsigned newCpl = cd.dpl();
    uint16_t newSs;
    uint32_t newEsp;
    innerStackFromTss(newCpl, newSs, newEsp, 0);
    const uint16_t oldSs = s.seg[kSS].selector;
    const uint32_t oldEsp = s.gpr[kESP];
    uint32_t param[32];
    uint32_t ospv = sp();
    for (unsigned i = 0; i < params; ++i) param[i] = popAt(ospv, gs);
    loadStackSegment(newSs, newCpl, kVecTS, 0);
    s.cpl = static_cast<uint8_t>(newCpl);
    uint32_t spv = stack32() ? newEsp : (newEsp & 0xFFFF);
    try {
      pushAt(spv, gs, oldSs);
      pushAt(spv, gs, oldEsp & sizeMask(gs));
      for (unsigned i = params; i-- > 0;) pushAt(spv, gs, param[i]);
      pushAt(spv, gs, oldCs);
      pushAt(spv, gs, returnEip & sizeMask(gs));
    } catch (const GuestFault& f) {
      if (f.vector == kVecSS) raise(kVecSS, selErr(newSs));
      throw;
    }
    s.gpr[kESP] = stack32() ? spv : ((newEsp & 0xFFFF0000u) | (spv & 0xFFFF));
    setAccessed(target, cd);
    loadCache(s.seg[kCS], static_cast<uint16_t>(selErr(target) | newCpl), cd);
    nextEip = offset;
    return;
  }
  uint32_t spv = sp();
  pushAt(spv, gs, oldCs);
  pushAt(spv, gs, returnEip & sizeMask(gs));
  setAccessed(target, cd);
  loadCache(s.seg[kCS], static_cast<uint16_t>(selErr(target) | s.cpl), cd);
  setSp(spv);
  nextEip = offset;
}

namespace {
// Return-target CS checks shared by RET and IRET (Vol. 2B RET "RETURN-TO-SAME/OUTER").
Descriptor checkReturnCs(Core& c, uint16_t cs) {
  if (selErr(cs) == 0) Core::raise(kVecGP, 0);
  const unsigned rpl = cs & 3u;
  if (rpl < c.s.cpl) Core::raise(kVecGP, selErr(cs));
  Descriptor d = c.readDescriptor(cs, kVecGP, 0);
  if (!d.isCode()) Core::raise(kVecGP, selErr(cs));
  if (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl) Core::raise(kVecGP, selErr(cs));
  if (!d.present()) Core::raise(kVecNP, selErr(cs));
  return d;
}
}  // namespace

void Core::farReturnPm(unsigned opSize, uint32_t immBytes) {
  uint32_t spv = sp();
  const uint32_t eip = popAt(spv, opSize);
  const auto cs = static_cast<uint16_t>(popAt(spv, opSize));
  Descriptor d = checkReturnCs(*this, cs);
  const unsigned rpl = cs & 3u;
  spv = stack32() ? spv + immBytes : ((spv + immBytes) & 0xFFFF);
  if (rpl == s.cpl) {
    if (eip > d.limit()) raise(kVecGP, 0);
    setAccessed(cs, d);
    loadCache(s.seg[kCS], cs, d);
    setSp(spv);
    nextEip = eip;
    return;
  }
  // Return to an outer level: pop the caller's ESP and SS (Vol. 3A 5.8.6).
  const uint32_t newEsp = popAt(spv, opSize);
  const auto newSs = static_cast<uint16_t>(popAt(spv, opSize));
  if (eip > d.limit()) raise(kVecGP, 0);
  loadStackSegment(newSs, rpl, kVecGP, 0);
  setAccessed(cs, d);
  loadCache(s.seg[kCS], cs, d);
  s.cpl = static_cast<uint8_t>(rpl);
  const uint32_t esp = (opSize == 4 ? newEsp : (s.gpr[kESP] & 0xFFFF0000u) | (newEsp & 0xFFFF)) + immBytes;
  setSp(esp);
  nextEip = eip;
  nullDataSegmentsForCpl();
}

void Core::enterV86(uint32_t eflags, uint32_t eip, uint16_t cs, uint32_t spv) {
  // IRET to virtual-8086 mode (Vol. 2B IRET "RETURN-TO-VIRTUAL-8086-MODE", Vol. 3A 20.2.1):
  // the frame holds EIP CS EFLAGS ESP SS ES DS FS GS (32-bit slots).
  const uint32_t newEsp = popAt(spv, 4);
  const auto ss = static_cast<uint16_t>(popAt(spv, 4));
  const auto es = static_cast<uint16_t>(popAt(spv, 4));
  const auto ds = static_cast<uint16_t>(popAt(spv, 4));
  const auto fs = static_cast<uint16_t>(popAt(spv, 4));
  const auto gs = static_cast<uint16_t>(popAt(spv, 4));
  const uint16_t sels[kNumSegs] = {es, cs, ss, ds, fs, gs};
  for (unsigned i = 0; i < kNumSegs; ++i)  // V86 segments: base = sel*16, 64 KiB, DPL 3 data
    s.seg[i] = SegmentCache{sels[i], 0x00F3, static_cast<uint32_t>(sels[i]) << 4, 0xFFFF};
  s.eflags = (eflags & model.eflagsImplemented) | kFixed1;
  s.gpr[kESP] = newEsp;
  s.cpl = 3;
  nextEip = eip & 0xFFFF;
}

void Core::iretPm(unsigned opSize) {
  if (s.eflags & kNT) unimplemented("IRET with NT=1 (hardware task return)");
  uint32_t spv = sp();
  const uint32_t eip = popAt(spv, opSize);
  const auto cs = static_cast<uint16_t>(popAt(spv, opSize));
  const uint32_t fl = popAt(spv, opSize);
  if (opSize == 4 && (fl & kVM) && s.cpl == 0) {
    enterV86(fl, eip, cs, spv);
    return;
  }
  Descriptor d = checkReturnCs(*this, cs);
  const unsigned rpl = cs & 3u;
  // EFLAGS rules (Vol. 2B IRET): IF only if CPL <= IOPL, IOPL only at CPL 0; VM, VIF and
  // VIP are not loaded here (VM=1 was handled above; no VME/PVI).
  uint32_t mask = kCF | kPF | kAF | kZF | kSF | kTF | kDF | kOF | kNT;
  if (opSize == 4) mask |= kRF | kAC | kID;
  if (s.cpl <= iopl()) mask |= kIF;
  if (s.cpl == 0) mask |= kIOPL;
  if (rpl == s.cpl) {
    if (eip > d.limit()) raise(kVecGP, 0);
    setAccessed(cs, d);
    loadCache(s.seg[kCS], cs, d);
    setSp(spv);
    writeFlags(fl, mask);
    nextEip = eip;
    return;
  }
  const uint32_t newEsp = popAt(spv, opSize);
  const auto newSs = static_cast<uint16_t>(popAt(spv, opSize));
  if (eip > d.limit()) raise(kVecGP, 0);
  loadStackSegment(newSs, rpl, kVecGP, 0);
  setAccessed(cs, d);
  loadCache(s.seg[kCS], cs, d);
  writeFlags(fl, mask);
  s.cpl = static_cast<uint8_t>(rpl);
  setSp(opSize == 4 ? newEsp : (s.gpr[kESP] & 0xFFFF0000u) | (newEsp & 0xFFFF));
  nextEip = eip;
  nullDataSegmentsForCpl();
}

void Core::iretV86(unsigned opSize) {
  // Vol. 2B IRET, virtual-8086 mode: IOPL < 3 is #GP(0) (no VME); with IOPL = 3 it is
  // the real-mode IRET, except that VM, IOPL, VIP and VIF are not changed.
  if (iopl() < 3) raise(kVecGP, 0);
  uint32_t spv = sp();
  const uint32_t ip = popAt(spv, opSize);
  const auto cs = static_cast<uint16_t>(popAt(spv, opSize));
  const uint32_t fl = popAt(spv, opSize);
  if (ip > s.seg[kCS].limit) raise(kVecGP, 0);
  loadRealModeSegment(s.seg[kCS], cs);
  nextEip = ip;
  const uint32_t mask = opSize == 4 ? (0x257FD5u & ~kIOPL) : (0x7FD5u & ~kIOPL);
  writeFlags(fl, mask);
  setSp(spv);
}

}  // namespace codemorph::cms::detail
