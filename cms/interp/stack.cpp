// Stack instructions: PUSH POP PUSHA POPA PUSHF POPF ENTER LEAVE (SDM Vol. 2B), against
// SS with SP or ESP chosen by SS.B (Vol. 3A 6.2.3). Each instruction works on a local copy
// of the stack pointer and commits it last, so a fault leaves ESP unchanged.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;
using x86::OpKind;
using x86::Reg;

void Core::setSp(uint32_t v) {
  if (stack32())
    s.gpr[kESP] = v;
  else
    s.gpr[kESP] = (s.gpr[kESP] & 0xFFFF0000u) | (v & 0xFFFF);
}

void Core::pushAt(uint32_t& spv, unsigned size, uint32_t value) {
  const uint32_t n = stack32() ? spv - size : ((spv - size) & 0xFFFF);
  write(kSS, n, size, value);
  spv = n;
}

uint32_t Core::popAt(uint32_t& spv, unsigned size) {
  const uint32_t v = read(kSS, spv, size);
  spv = stack32() ? spv + size : ((spv + size) & 0xFFFF);
  return v;
}

void Core::push(unsigned size, uint32_t value) {
  uint32_t spv = sp();
  pushAt(spv, size, value);
  setSp(spv);
}

uint32_t Core::pop(unsigned size) {
  uint32_t spv = sp();
  const uint32_t v = popAt(spv, size);
  setSp(spv);
  return v;
}

namespace {
bool isSreg(Reg r) { return r >= Reg::ES && r <= Reg::GS; }
}  // namespace

void Core::execStack(const x86::DecodedInsn& in) {
  const unsigned os = in.opSize;
  switch (in.mnemonic) {
    case Mnemonic::PUSH: {
      const x86::Operand& op = in.op[0];
      if (op.kind == OpKind::Reg && isSreg(op.reg) && os == 4) {
        // 32-bit push of a selector: ESP -= 4, a 16-bit write (P6 family, Vol. 2B PUSH).
        uint32_t spv = sp();
        const uint32_t n = stack32() ? spv - 4 : ((spv - 4) & 0xFFFF);
        write(kSS, n, 2, reg(op.reg));
        setSp(n);
        return;
      }
      push(os, readOperand(in, op) & sizeMask(os));  // PUSH SP pushes the old SP (286+)
      return;
    }
    case Mnemonic::POP: {
      const x86::Operand& op = in.op[0];
      uint32_t spv = sp();
      const uint32_t v = popAt(spv, os);
      if (op.kind == OpKind::Mem) {
        // The address is computed after ESP is incremented (Vol. 2B POP).
        const uint32_t old = s.gpr[kESP];
        setSp(spv);
        try {
          writeOperand(in, op, v);
        } catch (...) {
          if (!model.lateLimitFaults) s.gpr[kESP] = old;
          throw;
        }
        return;
      }
      if (isSreg(op.reg)) {
        loadSegment(static_cast<unsigned>(op.reg) - static_cast<unsigned>(Reg::ES), static_cast<uint16_t>(v));
        setSp(spv);
        return;
      }
      setSp(spv);
      setReg(op.reg, v);  // POP SP: the popped value wins
      return;
    }
    case Mnemonic::PUSHA: {
      uint32_t spv = sp();
      const uint32_t oldSp = gpr(kESP, os);
      for (unsigned r = 0; r < 8; ++r) pushAt(spv, os, r == kESP ? oldSp : gpr(r, os));
      setSp(spv);
      return;
    }
    case Mnemonic::POPA: {
      uint32_t spv = sp();
      uint32_t v[8];
      for (int r = 7; r >= 0; --r) v[r] = popAt(spv, os);
      for (unsigned r = 0; r < 8; ++r)
        if (r != kESP) setGpr(r, os, v[r]);
      setSp(spv);
      return;
    }
    case Mnemonic::PUSHF: {
      if (s.v86() && iopl() < 3) raise(kVecGP, 0);  // IOPL-sensitive in V86 (Vol. 3A 20.2.7)
      push(os, os == 4 ? (s.eflags & ~(kVM | kRF)) : (s.eflags & 0xFFFF));
      return;
    }
    case Mnemonic::POPF: {
      if (s.v86() && iopl() < 3) raise(kVecGP, 0);
      const uint32_t v = pop(os);
      // Vol. 2B POPF: IOPL only at CPL 0, IF only if CPL <= IOPL; VM/VIP/VIF never; RF -> 0.
      uint32_t mask = kCF | kPF | kAF | kZF | kSF | kTF | kDF | kOF | kNT;
      if (s.cpl == 0) mask |= kIOPL;
      if (s.cpl <= ((s.eflags & kIOPL) >> 12)) mask |= kIF;
      if (os == 4) mask |= kAC | kID | kRF;
      writeFlags(os == 4 ? (v & ~kRF) : v, mask);
      return;
    }
    case Mnemonic::ENTER: {
      // Vol. 2A ENTER: nesting level mod 32; frame pointer copied level-1 times.
      const uint32_t alloc = in.op[0].value & 0xFFFF;
      const unsigned level = in.op[1].value & 0x1F;
      uint32_t spv = sp();
      pushAt(spv, os, gpr(kEBP, os));
      const uint32_t frameTemp = spv;
      if (level > 0) {
        uint32_t bpv = stack32() ? s.gpr[kEBP] : (s.gpr[kEBP] & 0xFFFF);
        for (unsigned i = 1; i < level; ++i) {
          bpv = stack32() ? bpv - os : ((bpv - os) & 0xFFFF);
          pushAt(spv, os, read(kSS, bpv, os));
        }
        pushAt(spv, os, frameTemp);
      }
      spv = stack32() ? spv - alloc : ((spv - alloc) & 0xFFFF);
      // "The stack-size attribute determines whether BP or EBP specifies the current frame
      // pointer" (Vol. 2A ENTER, P6-era SDM): a 32-bit stack gets EBP = FrameTemp even for
      // a 16-bit operand size (the 386 manual's operand-size rule wrote BP only).
      setGpr(kEBP, stack32() ? 4u : 2u, frameTemp);
      setSp(spv);
      return;
    }
    case Mnemonic::LEAVE: {
      uint32_t spv = stack32() ? s.gpr[kEBP] : (s.gpr[kEBP] & 0xFFFF);
      const uint32_t v = popAt(spv, os);
      setSp(spv);
      setGpr(kEBP, os, v);
      return;
    }
    default: unimplemented("stack instruction", &in);
  }
}

}  // namespace codemorph::cms::detail
