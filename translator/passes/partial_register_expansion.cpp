// Partial-register expansion for cores without hostisa.partial_regs (docs/isa.md
// "Co-designed features"): Ins8L/Ins8H/Ins16/Ext8H become masks, shifts and ors on plain ALU
// atoms. Runs last, only when TranslateOptions::partialRegs is off.
//   Ext8H t = r      ->  t = (r >> 8) & 0xFF
//   Ins8L R <- v     ->  R = (R & ~0xFF)   | (v & 0xFF)
//   Ins8H R <- v     ->  R = (R & ~0xFF00) | ((v & 0xFF) << 8)
//   Ins16 R <- v     ->  R = ((R >> 16) << 16) | zext16(v)
#include <vector>

#include "passes.h"

namespace codemorph::translator::passes {

using namespace ir;

unsigned expandPartialRegisters(Function& fn) {
  std::vector<Inst> out;
  out.reserve(fn.insts.size() * 2);
  unsigned changed = 0;
  auto emit = [&](const Inst& like, Op op, VReg dst, VReg a, VReg b, int32_t imm) {
    Inst i;
    i.op = op;
    i.dst = dst;
    i.a = a;
    i.b = b;
    i.imm = imm;
    i.x86Index = like.x86Index;
    out.push_back(i);
    return dst;
  };
  for (const Inst& in : fn.insts) {
    switch (in.op) {
      case Op::Ext8H: {
        const VReg s = emit(in, Op::ShrI, fn.newTemp(), in.a, kZero, 8);
        emit(in, Op::AndI, in.dst, s, kZero, 0xFF);
        break;
      }
      case Op::Ins8L: {
        const VReg lo = emit(in, Op::AndI, fn.newTemp(), in.a, kZero, 0xFF);
        const VReg keep = emit(in, Op::AndI, fn.newTemp(), in.dst, kZero, -256);
        emit(in, Op::Or, in.dst, keep, lo, 0);
        break;
      }
      case Op::Ins8H: {
        const VReg lo = emit(in, Op::AndI, fn.newTemp(), in.a, kZero, 0xFF);
        const VReg hi = emit(in, Op::ShlI, fn.newTemp(), lo, kZero, 8);
        const VReg mask = emit(in, Op::Const, fn.newTemp(), kZero, kZero, static_cast<int32_t>(0xFFFF00FFu));
        const VReg keep = emit(in, Op::And, fn.newTemp(), in.dst, mask, 0);
        emit(in, Op::Or, in.dst, keep, hi, 0);
        break;
      }
      case Op::Ins16: {
        const VReg lo = emit(in, Op::Zext16, fn.newTemp(), in.a, kZero, 0);
        const VReg down = emit(in, Op::ShrI, fn.newTemp(), in.dst, kZero, 16);
        const VReg keep = emit(in, Op::ShlI, fn.newTemp(), down, kZero, 16);
        emit(in, Op::Or, in.dst, keep, lo, 0);
        break;
      }
      default:
        out.push_back(in);
        continue;
    }
    ++changed;
  }
  fn.insts = std::move(out);
  return changed;
}

}  // namespace codemorph::translator::passes
