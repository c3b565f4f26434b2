// Integer ALU instructions with exact flags: ADD ADC SUB SBB CMP AND OR XOR TEST INC DEC
// NEG NOT (SDM Vol. 2 instruction pages; flags Vol. 1 App. A). Undefined flags: flags.cpp.
#include "core.h"

namespace codemorph::cms::detail {

using x86::Mnemonic;

void Core::execAlu(const x86::DecodedInsn& in) {
  const x86::Operand& d = in.op[0];
  const unsigned size = d.size;
  switch (in.mnemonic) {
    case Mnemonic::ADD: case Mnemonic::ADC: case Mnemonic::SUB: case Mnemonic::SBB:
    case Mnemonic::CMP: case Mnemonic::AND: case Mnemonic::OR: case Mnemonic::XOR:
    case Mnemonic::TEST: {
      const uint32_t a = readOperand(in, d);
      const uint32_t b = readOperand(in, in.op[1]) & sizeMask(size);
      uint32_t r;
      switch (in.mnemonic) {
        case Mnemonic::ADD: r = add(a, b, 0, size); break;
        case Mnemonic::ADC: r = add(a, b, flag(kCF) ? 1 : 0, size); break;
        case Mnemonic::SUB: case Mnemonic::CMP: r = sub(a, b, 0, size); break;
        case Mnemonic::SBB: r = sub(a, b, flag(kCF) ? 1 : 0, size); break;
        case Mnemonic::AND: case Mnemonic::TEST: r = a & b; logicFlags(r, size); break;
        case Mnemonic::OR: r = a | b; logicFlags(r, size); break;
        default: r = a ^ b; logicFlags(r, size); break;
      }
      if (in.mnemonic != Mnemonic::CMP && in.mnemonic != Mnemonic::TEST) {
        // The destination was read at the same address and size, so this cannot fault in
        // real mode; protected mode checks writability at the read (Vol. 3A 5.5).
        writeOperand(in, d, r);
      }
      return;
    }
    case Mnemonic::INC: case Mnemonic::DEC: {
      const uint32_t a = readOperand(in, d);
      const uint32_t cf = s.eflags & kCF;  // INC/DEC preserve CF
      const uint32_t r = in.mnemonic == Mnemonic::INC ? add(a, 1, 0, size) : sub(a, 1, 0, size);
      s.eflags = (s.eflags & ~kCF) | cf;
      writeOperand(in, d, r);
      return;
    }
    case Mnemonic::NEG: {
      const uint32_t a = readOperand(in, d);
      const uint32_t r = sub(0, a, 0, size);  // CF = (src != 0)
      writeOperand(in, d, r);
      return;
    }
    case Mnemonic::NOT: writeOperand(in, d, ~readOperand(in, d)); return;
    default: unimplemented("ALU instruction", &in);
  }
}

}  // namespace codemorph::cms::detail
