// Control transfer: Jcc JMP CALL RET (near and far), LOOP/LOOPE/LOOPNE/JCXZ, INT n/INT3/
// INTO/INT1, IRET, BOUND (SDM Vol. 2A/2B). Near targets are checked against the CS limit
// before anything is pushed (#GP(0), Vol. 2A CALL/JMP). Far transfers and IRET are the
// real-mode/V86 forms here; the protected-mode forms (call gates, privilege changes,
// V86 entry, Vol. 3A 5.8, 20.2) are in far_transfer.cpp and run under a CpuState snapshot
// so that a fault half-way (e.g. #TS on the new stack) leaves registers unchanged.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;
using x86::OpKind;

namespace {
// Runs a multi-step protected-mode transfer; on a fault restores every register (CR2 of a
// page fault excepted) before the fault is delivered.
template <typename Fn>
void withRollback(Core& c, Fn&& fn) {
  const CpuState saved = c.s;
  try {
    fn();
  } catch (const GuestFault&) {
    const uint32_t cr2 = c.s.cr[2];
    c.s = saved;
    c.s.cr[2] = cr2;
    throw;
  }
}
}  // namespace

void Core::jumpNear(uint32_t target, unsigned opSize) {
  if (opSize == 2) target &= 0xFFFF;
  if (target > s.seg[kCS].limit) raise(kVecGP, 0);
  nextEip = target;
}

void Core::jumpFar(uint16_t selector, uint32_t offset) {
  if (offset > s.seg[kCS].limit) raise(kVecGP, 0);
  loadRealModeSegment(s.seg[kCS], selector);
  nextEip = offset;
}

void Core::execControl(const x86::DecodedInsn& in) {
  const unsigned os = in.opSize;
  const uint32_t next = insnEip + in.length;
  switch (in.mnemonic) {
    case Mnemonic::JCC:
      if (condition(in.cond)) jumpNear(x86::branchTarget(in, in.op[0], insnEip), os);
      return;
    case Mnemonic::JMP:
      if (in.op[0].kind == OpKind::Rel)
        jumpNear(x86::branchTarget(in, in.op[0], insnEip), os);
      else
        jumpNear(readOperand(in, in.op[0]), os);
      return;
    case Mnemonic::CALL: {
      const uint32_t target = in.op[0].kind == OpKind::Rel ? x86::branchTarget(in, in.op[0], insnEip)
                                                           : (readOperand(in, in.op[0]) & sizeMask(os));
      if (target > s.seg[kCS].limit) raise(kVecGP, 0);
      push(os, next & sizeMask(os));
      nextEip = target;
      return;
    }
    case Mnemonic::JMPF: case Mnemonic::CALLF: {
      uint16_t sel;
      uint32_t off;
      if (in.op[0].kind == OpKind::Far) {
        sel = in.op[0].selector;
        off = in.op[0].value;
      } else {  // Mp: offset then selector in memory
        const unsigned seg = segOf(in.op[0]);
        const uint32_t ea = effectiveAddress(in, in.op[0]);
        linear(seg, ea, os + 2, Access::Read);  // the whole pointer must lie in the segment
        off = read(seg, ea, os);
        sel = static_cast<uint16_t>(read(seg, ea + os, 2));
      }
      if (pm()) {
        if (in.mnemonic == Mnemonic::CALLF)
          withRollback(*this, [&] { farCallPm(sel, off, os, next); });
        else
          withRollback(*this, [&] { farJumpPm(sel, off, os); });
        return;
      }
      if (in.mnemonic == Mnemonic::CALLF) {
        if (off > s.seg[kCS].limit) raise(kVecGP, 0);
        uint32_t spv = sp();
        pushAt(spv, os, s.seg[kCS].selector);
        pushAt(spv, os, next & sizeMask(os));
        jumpFar(sel, off);
        setSp(spv);
      } else {
        jumpFar(sel, off);
      }
      return;
    }
    case Mnemonic::RET: case Mnemonic::RETF: {
      if (in.mnemonic == Mnemonic::RETF && pm()) {
        const uint32_t imm = in.numOperands > 0 ? (in.op[0].value & 0xFFFF) : 0;
        withRollback(*this, [&] { farReturnPm(os, imm); });
        return;
      }
      uint32_t spv = sp();
      const uint32_t ip = popAt(spv, os);
      if (in.mnemonic == Mnemonic::RETF) {
        const auto cs = static_cast<uint16_t>(popAt(spv, os));
        jumpFar(cs, ip);
      } else {
        jumpNear(ip, os);
      }
      if (in.numOperands > 0) {
        const uint32_t imm = in.op[0].value & 0xFFFF;
        spv = stack32() ? spv + imm : ((spv + imm) & 0xFFFF);
      }
      setSp(spv);
      return;
    }
    case Mnemonic::LOOP: case Mnemonic::LOOPE: case Mnemonic::LOOPNE: {
      const unsigned as = in.addrSize;
      const uint32_t count = (gpr(kECX, as) - 1) & sizeMask(as);
      bool taken = count != 0;
      if (in.mnemonic == Mnemonic::LOOPE) taken = taken && flag(kZF);
      if (in.mnemonic == Mnemonic::LOOPNE) taken = taken && !flag(kZF);
      if (taken) jumpNear(x86::branchTarget(in, in.op[0], insnEip), os);
      setGpr(kECX, as, count);
      return;
    }
    case Mnemonic::JCXZ:
      if (gpr(kECX, in.addrSize) == 0) jumpNear(x86::branchTarget(in, in.op[0], insnEip), os);
      return;
    case Mnemonic::INT:
      // INT n is IOPL-sensitive in V86 mode (Vol. 3A 20.2.7; no VME); INT3/INTO are not.
      if (s.v86() && iopl() < 3) raise(kVecGP, 0);
      softInt = static_cast<int>(in.op[0].value & 0xFF);
      return;
    case Mnemonic::INT3: softInt = kVecBP; return;
    case Mnemonic::INT1: softInt = kVecDB; return;
    case Mnemonic::INTO:
      if (flag(kOF)) softInt = kVecOF;
      return;
    case Mnemonic::IRET: {
      if (s.v86()) {
        iretV86(os);
        return;
      }
      if (s.protectedMode()) {
        withRollback(*this, [&] { iretPm(os); });
        return;
      }
      uint32_t spv = sp();
      const uint32_t ip = popAt(spv, os);
      const auto cs = static_cast<uint16_t>(popAt(spv, os));
      const uint32_t fl = popAt(spv, os);
      jumpFar(cs, ip);
      // Real mode: every flag loads, IOPL and NT included (Vol. 2A IRET, REAL-ADDRESS-MODE);
      // IRETD also loads RF, AC, ID but keeps VM, VIP, VIF.
      const uint32_t mask = os == 4 ? 0x257FD5u : 0x7FD5u;
      writeFlags(fl, mask);
      setSp(spv);
      return;
    }
    case Mnemonic::BOUND: {
      const unsigned seg = segOf(in.op[1]);
      const uint32_t ea = effectiveAddress(in, in.op[1]);
      const auto idx = static_cast<int32_t>(signExtend(readOperand(in, in.op[0]), os));
      linear(seg, ea, 2 * os, Access::Read);
      const auto lo = static_cast<int32_t>(signExtend(read(seg, ea, os), os));
      const auto hi = static_cast<int32_t>(signExtend(read(seg, ea + os, os), os));
      if (idx < lo || idx > hi) raise(kVecBR);
      return;
    }
    default: unimplemented("control transfer", &in);
  }
}

}  // namespace codemorph::cms::detail
