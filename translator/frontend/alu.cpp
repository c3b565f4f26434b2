// ADD ADC SUB SBB AND OR XOR CMP TEST INC DEC NEG NOT (SDM Vol. 2 instruction pages): one
// condition-code atom each, whose flags are exactly the instruction's (docs/iss.md 4).
#include "frontend.h"

namespace codemorph::translator::frontend {

namespace {
using M = x86::Mnemonic;

bool fitsSimm9(int32_t v) { return v >= -256 && v <= 255; }

// Immediate of width w, sign-extended from w (the atom sign-extends simm9 and truncates).
int32_t signedImm(uint32_t v, uint8_t w) {
  if (w == 1) return static_cast<int8_t>(v);
  if (w == 2) return static_cast<int16_t>(v);
  return static_cast<int32_t>(v);
}
}  // namespace

Flow translateAlu(InsnContext& c) {
  Builder& b = c.b;
  const auto& insn = c.insn();
  const M m = insn.mnemonic;
  const Place dst = b.place(insn.op[0], c.addrSize());
  const uint8_t w = dst.size;
  const VReg a = b.read(dst);
  const bool writes = m != M::CMP && m != M::TEST;
  VReg target = writes ? Builder::directTarget(dst) : ir::kZero;
  const bool merge = writes && target == ir::kZero;
  if (merge) target = b.function().newTemp();

  if (m == M::INC || m == M::DEC || m == M::NEG) {
    b.opTo(target, m == M::INC ? Op::IncCC : m == M::DEC ? Op::DecCC : Op::NegCC, a, ir::kZero, 0, w);
  } else if (m == M::NOT) {  // no flags (SDM NOT)
    b.opTo(target, Op::XorI, a, ir::kZero, -1);
  } else {
    const x86::Operand& s = insn.op[1];
    Op reg = Op::AddCC, imm = Op::None;
    switch (m) {
      case M::ADD: reg = Op::AddCC; imm = Op::AddICC; break;
      case M::ADC: reg = Op::AdcCC; break;
      case M::SUB: case M::CMP: reg = Op::SubCC; imm = Op::SubICC; break;
      case M::SBB: reg = Op::SbbCC; break;
      case M::AND: case M::TEST: reg = Op::AndCC; imm = Op::AndICC; break;
      case M::OR: reg = Op::OrCC; break;
      default: reg = Op::XorCC; break;
    }
    if (s.kind == x86::OpKind::Imm && imm != Op::None && fitsSimm9(signedImm(s.value, w))) {
      b.opTo(target, imm, a, ir::kZero, signedImm(s.value, w), w);
    } else {
      const VReg v = s.kind == x86::OpKind::Imm ? b.constant(s.value) : b.read(b.place(s, c.addrSize()));
      b.opTo(target, reg, a, v, 0, w);
    }
  }
  if (merge || (writes && dst.kind == Place::Mem)) b.write(dst, target);
  return Flow::Continue;
}

}  // namespace codemorph::translator::frontend
