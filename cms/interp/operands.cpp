// Decoded operands (translator's x86::Operand) -> values: effective addresses (SDM Vol. 2A
// 2.1.5, 16-bit wrap at 64 KiB), register/immediate/memory reads and writes.
#include "core.h"

namespace codemorph::cms::detail {

using x86::OpKind;
using x86::Reg;

uint32_t Core::effectiveAddress(const x86::DecodedInsn& in, const x86::Operand& op) const {
  uint32_t ea = op.value;
  if (op.reg != Reg::None) ea += reg(op.reg);
  if (op.index != Reg::None) ea += reg(op.index) * op.scale;
  return in.addrSize == 2 ? (ea & 0xFFFF) : ea;
}

uint32_t Core::readOperandSlow(const x86::DecodedInsn& in, const x86::Operand& op) {
  switch (op.kind) {
    case OpKind::Reg: return reg(op.reg);
    case OpKind::Imm: return op.value;
    case OpKind::Mem: return read(segOf(op), effectiveAddress(in, op), op.size);
    default: unimplemented("operand kind", &in);
  }
}

void Core::writeOperandSlow(const x86::DecodedInsn& in, const x86::Operand& op, uint32_t v) {
  switch (op.kind) {
    case OpKind::Reg: setReg(op.reg, v); return;
    case OpKind::Mem: write(segOf(op), effectiveAddress(in, op), op.size, v); return;
    default: unimplemented("operand kind", &in);
  }
}

}  // namespace codemorph::cms::detail
