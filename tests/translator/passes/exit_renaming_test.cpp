// Guest-register renaming across side exits (passes/exit_renaming.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

constexpr VReg eax = ir::gprReg(0), ecx = ir::gprReg(1), edx = ir::gprReg(2), ebx = ir::gprReg(3);

TEST(ExitRenaming, WritesAfterASideExitGoToATemporaryAndACopy) {
  IrBuilder b;  // edx = [ebx] ; dec ecx ; jz out ; edx = [ebx+4]... as IR
  b.add(Op::Load, edx, b.agen(ebx));
  b.add(Op::SubICC, ir::kZero, ecx, ir::kZero, 1);
  b.sideExit(4);
  const VReg a = b.agen(ebx);
  b.add(Op::Load, edx, a);                   // renamed: edx -> t, copy
  b.add(Op::Mul, edx, edx, eax);             // renamed, reads the first temporary
  b.store(a, edx);                           // reads the second temporary
  b.exit();
  EXPECT_EQ(passes::exitRenaming(b.fn), 2u);
  EXPECT_EQ(passes::verify(b.fn), "");
  // Before the exit nothing changes: the first load still writes EDX.
  EXPECT_EQ(b.fn.insts[1].op, Op::Load);
  EXPECT_EQ(b.fn.insts[1].dst, edx);
  const auto& in = b.fn.insts;
  ASSERT_EQ(in.size(), 11u);
  ASSERT_EQ(in[5].op, Op::Load);
  EXPECT_TRUE(ir::isTemp(in[5].dst));
  ASSERT_EQ(in[6].op, Op::Copy);
  EXPECT_EQ(in[6].dst, edx);
  EXPECT_EQ(in[6].a, in[5].dst);
  ASSERT_EQ(in[7].op, Op::Mul);
  EXPECT_TRUE(ir::isTemp(in[7].dst));
  EXPECT_EQ(in[7].a, in[5].dst);  // reads the load's temporary, not EDX
  EXPECT_EQ(in[7].b, eax);
  ASSERT_EQ(in[8].op, Op::Copy);
  EXPECT_EQ(in[8].dst, edx);
  EXPECT_EQ(in[8].a, in[7].dst);
  ASSERT_EQ(in[9].op, Op::Store);
  EXPECT_EQ(in[9].b, in[7].dst);
}

TEST(ExitRenaming, LeavesFlagWritersTiedOpsCopiesAndWritesBeforeAnyExit) {
  IrBuilder b;
  b.add(Op::AddI, eax, eax, ir::kZero, 1);           // no side exit before it
  b.add(Op::SubICC, ir::kZero, ecx, ir::kZero, 1);
  b.sideExit(5);
  b.add(Op::AddCC, eax, eax, edx);                   // writes the flags: stays
  b.add(Op::Ins8L, ecx, edx);                        // tied: stays
  b.add(Op::Copy, ebx, edx);                         // a copy: stays
  b.exit();
  EXPECT_EQ(passes::exitRenaming(b.fn), 0u);
  EXPECT_EQ(b.fn.insts.size(), 7u);
  EXPECT_EQ(b.fn.insts[3].dst, eax);
  EXPECT_EQ(b.fn.insts[4].dst, ecx);
  EXPECT_EQ(b.fn.insts[5].dst, ebx);
}

}  // namespace
}  // namespace codemorph::translator::test
