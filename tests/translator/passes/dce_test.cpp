// Dead-code elimination (passes/dce.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(Dce, RemovesUnusedTemporariesAndOverwrittenGuestWrites) {
  IrBuilder b;
  b.op(Op::AddI, ir::gprReg(0), ir::kZero, 1);                    // unused temp
  b.add(Op::Const, ir::gprReg(1), ir::kZero, ir::kZero, 5);         // ECX = 5, overwritten
  b.add(Op::Const, ir::gprReg(1), ir::kZero, ir::kZero, 6);         // ECX = 6
  b.exit();
  EXPECT_EQ(passes::dce(b.fn), 2u);
  ASSERT_EQ(b.fn.insts.size(), 2u);
  EXPECT_EQ(b.fn.insts[0].imm, 6);
}

TEST(Dce, KeepsWhatExitsStoresOrFaultsNeed) {
  IrBuilder b;
  b.add(Op::Const, ir::gprReg(1), ir::kZero, ir::kZero, 5);  // seen by the side exit
  b.add(Op::SubCC, ir::kZero, ir::gprReg(0), ir::gprReg(2));
  b.sideExit(4);
  b.add(Op::Const, ir::gprReg(1), ir::kZero, ir::kZero, 6);
  const VReg a = b.agen(ir::gprReg(3));
  b.load(a);                                                  // dead, but may fault
  const VReg v = b.op(Op::AddI, ir::gprReg(0), ir::kZero, 1);
  b.store(a, v);
  b.exit();
  EXPECT_EQ(passes::dce(b.fn), 0u);
}

TEST(Dce, AFlagProducerWithADeadResultKeepsOnlyItsFlags) {
  IrBuilder b;
  b.add(Op::SarI, ir::gprReg(2), ir::gprReg(0), ir::kZero, 31);         // dead: overwritten, unread
  b.add(Op::XorCC, ir::gprReg(2), ir::gprReg(3), ir::gprReg(4));       // flags read by the exit
  b.add(Op::Const, ir::gprReg(2), ir::kZero, ir::kZero, 9);
  b.exit();
  passes::dce(b.fn);
  ASSERT_EQ(b.fn.insts.size(), 3u);
  EXPECT_EQ(b.fn.insts[0].op, Op::XorCC);
  EXPECT_EQ(b.fn.insts[0].dst, ir::kZero);
  EXPECT_EQ(passes::verify(b.fn), "");
}

}  // namespace
}  // namespace codemorph::translator::test
