// Hand-built IR for the pass tests: a tiny fluent builder over ir::Function.
#pragma once
#include "ir/ir.h"

namespace codemorph::translator::test {

using ir::Inst;
using ir::Op;
using ir::VReg;

class IrBuilder {
 public:
  ir::Function fn;
  VReg t() { return fn.newTemp(); }
  Inst& add(Op op, VReg dst, VReg a = ir::kZero, VReg b = ir::kZero, int32_t imm = 0, uint8_t width = 4) {
    Inst i;
    i.op = op;
    i.dst = dst;
    i.a = a;
    i.b = b;
    i.imm = imm;
    i.width = width;
    fn.insts.push_back(i);
    return fn.insts.back();
  }
  VReg op(Op op, VReg a = ir::kZero, VReg b = ir::kZero, int32_t imm = 0, uint8_t width = 4) {
    const VReg d = t();
    add(op, d, a, b, imm, width);
    return d;
  }
  VReg agen(VReg offset, uint8_t seg = 3, uint8_t width = 4) {
    const VReg d = op(Op::Agen, offset, ir::kZero, 0, width);
    fn.insts.back().seg = seg;
    return d;
  }
  VReg load(VReg linear, uint8_t width = 4) { return op(Op::Load, linear, ir::kZero, 0, width); }
  void store(VReg linear, VReg value, uint8_t width = 4) { add(Op::Store, ir::kZero, linear, value, 0, width); }
  void sideExit(uint8_t cond) {
    fn.exits.push_back({ExitKind::Direct, 0x1000, 1});
    Inst& i = add(Op::ExitIf, ir::kZero);
    i.cond = cond;
    i.exit = static_cast<int32_t>(fn.exits.size() - 1);
  }
  void exit() {
    fn.exits.push_back({ExitKind::Direct, 0x2000, fn.x86Instructions});
    Inst& i = add(Op::Exit, ir::kZero);
    i.exit = static_cast<int32_t>(fn.exits.size() - 1);
  }
  size_t count(Op op) const {
    size_t n = 0;
    for (const Inst& i : fn.insts) n += i.op == op;
    return n;
  }
};

}  // namespace codemorph::translator::test
