// MOV MOVZX MOVSX LEA XCHG CBW/CWDE CWD/CDQ SETcc CMOVcc NOP BSWAP (SDM Vol. 2 instruction pages).
// No flags are touched.
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
using M = x86::Mnemonic;

// Writes v to dst; a 32-bit register destination gets v by a copy, or directly when v was
// just produced by an instruction that can target the register instead.
void assign(Builder& b, const Place& dst, VReg v) {
  const VReg direct = Builder::directTarget(dst);
  auto& insts = b.function().insts;
  if (direct != ir::kZero && ir::isTemp(v) && !insts.empty() && insts.back().dst == v &&
      !ir::hasFlag(insts.back().op, ir::kTied)) {
    insts.back().dst = direct;  // v has no other user yet: retarget its definition
    return;
  }
  b.write(dst, v);
}

// Value of an 8/16-bit source, zero- or sign-extended to 32 bits (MOVZX / MOVSX).
VReg extended(Builder& b, const x86::Operand& s, uint8_t addrSize, bool sign) {
  if (s.kind == x86::OpKind::Mem) return b.load(b.place(s, addrSize).linear, s.size, sign);
  if (s.reg >= x86::Reg::AH && s.reg <= x86::Reg::BH) {
    const VReg h = b.readReg(s.reg);  // ext8h: already zero-extended
    return sign ? b.op(Op::Sext8, h) : h;
  }
  const VReg r = b.readReg(s.reg);
  if (s.size == 1) return b.op(sign ? Op::Sext8 : Op::Zext8, r);
  return b.op(sign ? Op::Sext16 : Op::Zext16, r);
}
}  // namespace

Flow translateDataMove(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  constexpr VReg eax = ir::gprReg(0), edx = ir::gprReg(2);
  switch (insn.mnemonic) {
    case M::NOP:
      return Flow::Continue;
    case M::BSWAP: {  // 32-bit register only (dispatch.cpp): rol 8 keeps bytes 0 and 2 in place
      const Place dst = b.place(insn.op[0], c.addrSize());
      const VReg x = b.read(dst);
      const VReg lo = b.op(Op::And, b.op(Op::RolI, x, ir::kZero, 8), b.op(Op::Const, ir::kZero, ir::kZero, 0x00FF00FF));
      const VReg hi = b.op(Op::And, b.op(Op::RolI, x, ir::kZero, 24), b.op(Op::Const, ir::kZero, ir::kZero, static_cast<int32_t>(0xFF00FF00u)));
      assign(b, dst, b.op(Op::Or, lo, hi));
      return Flow::Continue;
    }
    case M::MOV: {
      const Place dst = b.place(insn.op[0], c.addrSize());
      assign(b, dst, b.read(b.place(insn.op[1], c.addrSize())));
      return Flow::Continue;
    }
    case M::MOVZX:
    case M::MOVSX: {
      const Place dst = b.place(insn.op[0], c.addrSize());
      assign(b, dst, extended(b, insn.op[1], c.addrSize(), insn.mnemonic == M::MOVSX));
      return Flow::Continue;
    }
    case M::LEA: {  // the offset only, truncated to the operand size by the write
      const Place dst = b.place(insn.op[0], c.addrSize());
      VReg ea = b.effectiveAddress(insn.op[1], c.addrSize());
      if (!ir::isTemp(ea) && Builder::directTarget(dst) != ir::kZero) ea = b.copyOf(ea);
      assign(b, dst, ea);
      return Flow::Continue;
    }
    case M::XCHG: {
      const Place x = b.place(insn.op[0], c.addrSize());
      const Place y = b.place(insn.op[1], c.addrSize());
      if (x.kind == Place::Reg && y.kind == Place::Reg && x.reg == y.reg) return Flow::Continue;
      VReg vx = b.read(x), vy = b.read(y);
      if (!ir::isTemp(vx)) vx = b.copyOf(vx);
      b.write(x, vy);
      b.write(y, vx);
      return Flow::Continue;
    }
    case M::CBW:  // CBW: AX = sext(AL); CWDE: EAX = sext(AX)
      if (insn.opSize == 2) b.opTo(eax, Op::Ins16, b.op(Op::Sext8, eax));
      else b.opTo(eax, Op::Sext16, eax);
      return Flow::Continue;
    case M::CWD:  // CWD: DX = sign of AX; CDQ: EDX = sign of EAX
      if (insn.opSize == 2) b.opTo(edx, Op::Ins16, b.op(Op::SarI, b.op(Op::Sext16, eax), ir::kZero, 31));
      else b.opTo(edx, Op::SarI, eax, ir::kZero, 31);
      return Flow::Continue;
    case M::SETCC: {
      const Place dst = b.place(insn.op[0], c.addrSize());
      Inst i;
      i.op = Op::SetCC;
      i.cond = insn.cond;
      i.dst = b.function().newTemp();
      b.emit(i);
      b.write(dst, i.dst);
      return Flow::Continue;
    }
    case M::CMOVCC: {  // the source is read (and may fault) whatever the condition
      const Place dst = b.place(insn.op[0], c.addrSize());
      const VReg src = b.read(b.place(insn.op[1], c.addrSize()));
      const VReg cur = b.read(dst);
      Inst i;
      i.op = Op::Sel;
      i.cond = insn.cond;
      i.a = src;
      i.b = cur;
      const VReg direct = Builder::directTarget(dst);
      i.dst = direct != ir::kZero ? direct : b.function().newTemp();
      b.emit(i);
      if (direct == ir::kZero) b.write(dst, i.dst);
      return Flow::Continue;
    }
    default:
      return Flow::Continue;
  }
}

}  // namespace codemorph::translator::frontend
