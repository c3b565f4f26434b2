// MOVS STOS LODS CMPS SCAS without REP (SDM Vol. 2 instruction pages). The index registers
// are SI/DI or ESI/EDI by the address size and step by +-size according to DF.
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
using M = x86::Mnemonic;

void advance(Builder& b, x86::Reg index, VReg step, uint8_t addrSize) {
  const VReg r = ir::gprReg(x86::regIndex(index));
  if (addrSize == 4) b.opTo(r, Op::Add, r, step);
  else b.opTo(r, Op::Ins16, b.op(Op::Add, r, step));
}
}  // namespace

Flow translateString(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  const x86::Operand& o0 = insn.op[0];
  const x86::Operand& o1 = insn.op[1];
  const uint8_t size = insn.mnemonic == M::STOS || insn.mnemonic == M::MOVS || insn.mnemonic == M::CMPS ? o0.size : o1.size;
  const VReg step = b.stringStep(size);
  switch (insn.mnemonic) {
    case M::MOVS: {  // ES:[DI] = [seg:SI]
      const VReg v = b.read(b.place(o1, c.addrSize()));
      b.write(b.place(o0, c.addrSize()), v);
      advance(b, o1.reg, step, c.addrSize());
      advance(b, o0.reg, step, c.addrSize());
      break;
    }
    case M::STOS:
      b.write(b.place(o0, c.addrSize()), b.readReg(o1.reg));
      advance(b, o0.reg, step, c.addrSize());
      break;
    case M::LODS:
      b.writeReg(o0.reg, b.read(b.place(o1, c.addrSize())));
      advance(b, o1.reg, step, c.addrSize());
      break;
    case M::CMPS: {  // flags of [seg:SI] - ES:[DI]
      const VReg x = b.read(b.place(o0, c.addrSize()));
      const VReg y = b.read(b.place(o1, c.addrSize()));
      b.opTo(ir::kZero, Op::SubCC, x, y, 0, size);
      advance(b, o0.reg, step, c.addrSize());
      advance(b, o1.reg, step, c.addrSize());
      break;
    }
    case M::SCAS:  // flags of AL/AX/EAX - ES:[DI]
      b.opTo(ir::kZero, Op::SubCC, b.readReg(o0.reg), b.read(b.place(o1, c.addrSize())), 0, size);
      advance(b, o1.reg, step, c.addrSize());
      break;
    default:
      break;
  }
  return Flow::Continue;
}

}  // namespace codemorph::translator::frontend
