// Common-subexpression elimination (passes/cse.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(Cse, ReusesIdenticalPureOpsIncludingCommutedOperands) {
  IrBuilder b;
  const VReg x = b.op(Op::Add, ir::gprReg(0), ir::gprReg(1));
  const VReg y = b.op(Op::Add, ir::gprReg(1), ir::gprReg(0));
  const VReg a1 = b.agen(x);
  const VReg a2 = b.agen(y);
  b.store(a1, ir::gprReg(2));
  b.store(a2, ir::gprReg(3));
  b.exit();
  EXPECT_EQ(passes::cse(b.fn), 2u);
  EXPECT_EQ(b.count(Op::Add), 1u);
  EXPECT_EQ(b.count(Op::Agen), 1u);
  EXPECT_EQ(b.fn.insts.back().op, Op::Exit);
  EXPECT_EQ(passes::verify(b.fn), "");
  (void)a2;
}

TEST(Cse, AGuestRegisterWriteSeparatesTheValues) {
  IrBuilder b;
  const VReg x = b.op(Op::AddI, ir::gprReg(0), ir::kZero, 4);
  b.add(Op::Copy, ir::gprReg(0), ir::gprReg(3));  // EAX changes
  const VReg y = b.op(Op::AddI, ir::gprReg(0), ir::kZero, 4);
  b.add(Op::Add, ir::gprReg(1), x, y);
  b.exit();
  EXPECT_EQ(passes::cse(b.fn), 0u);
  // Loads and flag ops are never merged.
  IrBuilder c;
  const VReg a = c.agen(ir::gprReg(0));
  c.load(a);
  c.load(a);
  c.add(Op::AddCC, ir::gprReg(1), ir::gprReg(1), ir::gprReg(2));
  c.add(Op::AddCC, ir::gprReg(3), ir::gprReg(1), ir::gprReg(2));
  c.exit();
  EXPECT_EQ(passes::cse(c.fn), 0u);
}

}  // namespace
}  // namespace codemorph::translator::test
