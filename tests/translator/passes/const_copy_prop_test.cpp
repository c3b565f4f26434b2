// Constant and copy propagation (passes/const_copy_prop.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(ConstCopyProp, FoldsConstantsIntoImmediates) {
  IrBuilder b;
  const VReg c = b.op(Op::Const, ir::kZero, ir::kZero, 12);
  const VReg s = b.op(Op::Add, ir::gprReg(0), c);
  const VReg k = b.op(Op::Const, ir::kZero, ir::kZero, 3);
  const VReg sh = b.op(Op::Shl, s, k);
  b.add(Op::Copy, ir::gprReg(1), sh);
  b.exit();
  EXPECT_GT(passes::constCopyProp(b.fn), 0u);
  EXPECT_EQ(b.fn.insts[1].op, Op::AddI);
  EXPECT_EQ(b.fn.insts[1].imm, 12);
  EXPECT_EQ(b.fn.insts[3].op, Op::ShlI);
  EXPECT_EQ(b.fn.insts[3].imm, 3);
  EXPECT_EQ(passes::verify(b.fn), "");
}

TEST(ConstCopyProp, EvaluatesConstantChainsAndZeroBecomesR0) {
  IrBuilder b;
  const VReg c = b.op(Op::Const, ir::kZero, ir::kZero, 0x100);
  const VReg d = b.op(Op::AddI, c, ir::kZero, 0x23);
  const VReg z = b.op(Op::Const, ir::kZero, ir::kZero, 0);
  b.add(Op::Add, ir::gprReg(0), d, z);
  b.exit();
  passes::constCopyProp(b.fn);
  EXPECT_EQ(b.fn.insts[1].op, Op::Const);
  EXPECT_EQ(b.fn.insts[1].imm, 0x123);
  EXPECT_EQ(b.fn.insts[3].b, ir::kZero);
}

TEST(ConstCopyProp, ForwardsCopiesOfGuestRegistersOnlyUntilTheyChange) {
  IrBuilder b;
  const VReg copy = b.op(Op::Copy, ir::gprReg(0));       // t = EAX
  b.add(Op::Add, ir::gprReg(1), copy, ir::gprReg(2));     // -> uses EAX directly
  b.add(Op::AddI, ir::gprReg(0), ir::gprReg(0), ir::kZero, 1);  // EAX changes
  b.add(Op::Add, ir::gprReg(3), copy, ir::gprReg(2));     // must keep t (old EAX)
  b.exit();
  passes::constCopyProp(b.fn);
  EXPECT_EQ(b.fn.insts[1].a, ir::gprReg(0));
  EXPECT_EQ(b.fn.insts[3].a, copy);
}

TEST(ConstCopyProp, XorAndSubOfAValueWithItselfAreZero) {
  IrBuilder b;
  b.add(Op::Xor, ir::gprReg(3), ir::gprReg(3), ir::gprReg(3));
  b.add(Op::Sub, ir::gprReg(4), ir::gprReg(1), ir::gprReg(1));
  b.add(Op::XorCC, ir::gprReg(5), ir::gprReg(5), ir::gprReg(5));  // flags: stays, on r0
  b.add(Op::SbbCC, ir::gprReg(6), ir::gprReg(6), ir::gprReg(6));  // depends on CF: kept
  b.exit();
  passes::constCopyProp(b.fn);
  EXPECT_EQ(b.fn.insts[0].op, Op::Const);
  EXPECT_EQ(b.fn.insts[1].op, Op::Const);
  EXPECT_EQ(b.fn.insts[2].op, Op::XorCC);
  EXPECT_EQ(b.fn.insts[2].a, ir::kZero);
  EXPECT_EQ(b.fn.insts[2].b, ir::kZero);
  EXPECT_EQ(b.fn.insts[3].a, ir::gprReg(6));
}

}  // namespace
}  // namespace codemorph::translator::test
