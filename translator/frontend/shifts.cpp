// SHL/SAL SHR SAR ROL ROR by 1, imm8 or CL (SDM Vol. 2 SAL/SAR/SHL/SHR, RCL/RCL/ROL/ROR).
// The *.cc atoms mask the count to 5 bits and keep every flag for a zero count, as x86
// does (docs/iss.md 4). RCL/RCR have no atom and are not translated.
#include "frontend.h"

namespace codemorph::translator::frontend {

Flow translateShift(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  Op o = Op::ShlCC;
  switch (insn.mnemonic) {
    case x86::Mnemonic::SHR: o = Op::ShrCC; break;
    case x86::Mnemonic::SAR: o = Op::SarCC; break;
    case x86::Mnemonic::ROL: o = Op::RolCC; break;
    case x86::Mnemonic::ROR: o = Op::RorCC; break;
    default: break;
  }
  const Place dst = b.place(insn.op[0], c.addrSize());
  const VReg value = b.read(dst);
  const x86::Operand& n = insn.op[1];
  const VReg count = n.kind == x86::OpKind::Imm ? b.constant(n.value & 0xFF) : b.readReg(n.reg);
  VReg target = Builder::directTarget(dst);
  if (target != ir::kZero) {
    b.opTo(target, o, value, count, 0, dst.size);
  } else {
    b.write(dst, b.op(o, value, count, 0, dst.size));
  }
  return Flow::Continue;
}

}  // namespace codemorph::translator::frontend
