// IMUL (one, two and three operands) and MUL (SDM Vol. 2 IMUL, MUL). imul.cc gives exactly
// IMUL's CF/OF (the product does not fit the destination width) and keeps SF ZF AF PF,
// which the SDM leaves undefined. MUL's CF/OF (upper half non-zero) are made the same way
// from a value whose 32-bit signed square overflows iff the upper half is non-zero.
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
// CF = OF = (hi != 0): imul.cc.32 of x*x with x = (hi != 0) << 16.
void flagsFromNonZero(Builder& b, VReg hi) {
  const VReg x = b.op(Op::ShlI, b.op(Op::Sltu, ir::kZero, hi), ir::kZero, 16);
  b.opTo(ir::kZero, Op::ImulCC, x, x, 0, 4);
}
}  // namespace

Flow translateMul(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  const bool isSigned = insn.mnemonic == x86::Mnemonic::IMUL;
  constexpr VReg eax = ir::gprReg(0), edx = ir::gprReg(2);
  if (insn.numOperands >= 2 && isSigned) {  // IMUL Gv, Ev [, imm]
    const Place dst = b.place(insn.op[0], c.addrSize());
    const uint8_t w = dst.size;
    VReg x, y;
    if (insn.numOperands == 3) {
      x = b.read(b.place(insn.op[1], c.addrSize()));
      y = b.constant(insn.op[2].value);
    } else {
      x = b.read(dst);
      y = b.read(b.place(insn.op[1], c.addrSize()));
    }
    VReg target = Builder::directTarget(dst);
    if (target == ir::kZero) {
      target = b.op(Op::ImulCC, x, y, 0, w);
      b.write(dst, target);
    } else {
      b.opTo(target, Op::ImulCC, x, y, 0, w);
    }
    return Flow::Continue;
  }
  // One operand: EDX:EAX / DX:AX / AX = accumulator * r/m.
  const Place src = b.place(insn.op[0], c.addrSize());
  const uint8_t w = src.size;
  const VReg s = b.read(src);
  if (w == 4) {
    const VReg hi = b.op(isSigned ? Op::Mulh : Op::Mulhu, eax, s);
    if (isSigned) {
      b.opTo(eax, Op::ImulCC, eax, s, 0, 4);
    } else {
      b.opTo(eax, Op::Mul, eax, s);
      flagsFromNonZero(b, hi);
    }
    b.opTo(edx, Op::Copy, hi);
    return Flow::Continue;
  }
  const Op ext = w == 1 ? (isSigned ? Op::Sext8 : Op::Zext8) : (isSigned ? Op::Sext16 : Op::Zext16);
  const VReg product = b.op(Op::Mul, b.op(ext, eax), b.op(ext, s));
  if (isSigned) {
    b.opTo(ir::kZero, Op::ImulCC, eax, s, 0, w);
  } else {
    flagsFromNonZero(b, b.op(Op::ShrI, product, ir::kZero, 8 * w));
  }
  if (w == 1) {
    b.opTo(eax, Op::Ins16, product);
  } else {
    b.opTo(eax, Op::Ins16, product);
    b.opTo(edx, Op::Ins16, b.op(Op::ShrI, product, ir::kZero, 16));
  }
  return Flow::Continue;
}

}  // namespace codemorph::translator::frontend
