// PUSH POP (r/m, r, imm), CALL/RET near (SDM Vol. 2 PUSH, POP, CALL, RET). CALL rel inside a
// trace continues at the target; RET and CALL/JMP r/m end the region with an indirect exit.
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
using M = x86::Mnemonic;

VReg targetValue(Builder& b, const InsnContext& c, const x86::Operand& o) {
  VReg t = b.read(b.place(o, c.addrSize()));
  if (c.insn().opSize == 2) t = b.op(Op::Zext16, t);  // EIP = zero-extended 16-bit target
  return t;
}
}  // namespace

Flow translateStack(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  const uint8_t size = insn.opSize;
  switch (insn.mnemonic) {
    case M::PUSH: {
      const x86::Operand& o = insn.op[0];
      b.push(o.kind == x86::OpKind::Imm ? b.constant(o.value) : b.read(b.place(o, c.addrSize())), size);
      return Flow::Continue;
    }
    case M::POP: {
      const VReg v = b.pop(size);
      // POP r/m with an ESP-based address uses ESP after the increment (SDM POP).
      b.write(b.place(insn.op[0], c.addrSize()), v);
      return Flow::Continue;
    }
    case M::CALL: {
      const x86::Operand& o = insn.op[0];
      if (o.kind == x86::OpKind::Rel) {
        b.push(b.constant(c.nextEip), size);
        const uint32_t target = x86::branchTarget(insn, o, c.ri.eip);
        if (c.last) {
          b.finalDirect(target, c.index + 1);
          return Flow::Stop;
        }
        return Flow::Continue;
      }
      const VReg target = targetValue(b, c, o);
      b.push(b.constant(c.nextEip), size);
      b.finalIndirect(target, c.index + 1, size);
      return Flow::Stop;
    }
    case M::RET: {
      VReg target = b.pop(size);
      if (insn.numOperands > 0 && insn.op[0].kind == x86::OpKind::Imm && insn.op[0].value != 0) {
        constexpr VReg esp = ir::gprReg(4);
        const int32_t n = static_cast<int32_t>(insn.op[0].value & 0xFFFF);
        if (b.mode().stack32) b.opTo(esp, Op::Add, esp, b.constant(static_cast<uint32_t>(n)));
        else b.opTo(esp, Op::Ins16, b.op(Op::Add, esp, b.constant(static_cast<uint32_t>(n))));
      }
      b.finalIndirect(target, c.index + 1, size);
      return Flow::Stop;
    }
    default:
      return Flow::Continue;
  }
}

}  // namespace codemorph::translator::frontend
