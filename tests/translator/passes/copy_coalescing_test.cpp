// Copy coalescing (passes/copy_coalescing.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(CopyCoalescing, RetargetsTheDefinitionWhenNothingSeesTheRegisterInBetween) {
  IrBuilder b;  // POP ECX: t = load [esp]; ESP += 4; ECX = t
  constexpr VReg esp = ir::gprReg(4);
  const VReg v = b.load(b.agen(esp, 2));
  b.add(Op::AddI, esp, esp, ir::kZero, 4);
  b.add(Op::Copy, ir::gprReg(1), v);
  b.exit();
  EXPECT_EQ(passes::copyCoalescing(b.fn), 1u);
  EXPECT_EQ(b.count(Op::Copy), 0u);
  EXPECT_EQ(b.fn.insts[1].dst, ir::gprReg(1));
  EXPECT_EQ(passes::verify(b.fn), "");
}

TEST(CopyCoalescing, KeepsTheCopyAcrossReadersWritersExitsAndSecondUses) {
  for (int blocker = 0; blocker < 4; ++blocker) {
    IrBuilder b;
    const VReg t = b.op(Op::AddI, ir::gprReg(0), ir::kZero, 1);
    if (blocker == 0) b.add(Op::Add, ir::gprReg(2), ir::gprReg(1), ir::gprReg(3));  // reads ECX
    if (blocker == 1) b.add(Op::Const, ir::gprReg(1), ir::kZero, ir::kZero, 7);     // writes ECX
    if (blocker == 2) {
      b.add(Op::SubCC, ir::kZero, ir::gprReg(0), ir::gprReg(3));
      b.sideExit(4);                                                                  // sees ECX
    }
    if (blocker == 3) b.add(Op::Copy, ir::gprReg(5), t);                             // second use
    b.add(Op::Copy, ir::gprReg(1), t);
    b.exit();
    EXPECT_EQ(passes::copyCoalescing(b.fn), 0u) << blocker;
  }
}

TEST(CopyForwarding, TheNextReaderThatOverwritesTheRegisterReadsTheSourceInstead) {
  IrBuilder b;  // mov ecx, eax ; shl ecx, 13 ; xor ecx, eax
  constexpr VReg eax = ir::gprReg(0), ecx = ir::gprReg(1), edx = ir::gprReg(2);
  b.add(Op::Copy, ecx, eax);
  b.add(Op::AddI, edx, edx, ir::kZero, 1);  // unrelated
  b.add(Op::ShlI, ecx, ecx, ir::kZero, 13);
  b.add(Op::Xor, ecx, ecx, eax);
  b.exit();
  EXPECT_EQ(passes::copyForwarding(b.fn), 1u);
  EXPECT_EQ(b.count(Op::Copy), 0u);
  ASSERT_EQ(b.fn.insts[1].op, Op::ShlI);
  EXPECT_EQ(b.fn.insts[1].dst, ecx);
  EXPECT_EQ(b.fn.insts[1].a, eax);
  EXPECT_EQ(b.fn.insts[2].a, ecx);  // the shift's result, not the copy's
  EXPECT_EQ(passes::verify(b.fn), "");
}

TEST(CopyForwarding, KeepsTheCopyBeforeExitsSourceWritesTiedOpsAndPlainReaders) {
  constexpr VReg eax = ir::gprReg(0), ecx = ir::gprReg(1), edx = ir::gprReg(2);
  for (int blocker = 0; blocker < 5; ++blocker) {
    IrBuilder b;
    b.add(Op::Copy, ecx, eax);
    if (blocker == 0) {
      b.add(Op::SubCC, ir::kZero, edx, eax);
      b.sideExit(4);                                     // sees ECX = EAX
    }
    if (blocker == 1) b.add(Op::AddI, eax, eax, ir::kZero, 1);  // the source changes
    if (blocker == 2) b.add(Op::Add, edx, ecx, eax);            // a reader that keeps ECX
    if (blocker == 3) b.add(Op::Ins8L, ecx, edx);               // tied: keeps ECX's upper bits
    if (blocker == 4) b.add(Op::Const, ecx, ir::kZero, ir::kZero, 7);  // dead copy: DCE's job
    b.add(Op::AddI, ecx, ecx, ir::kZero, 5);
    b.exit();
    EXPECT_EQ(passes::copyForwarding(b.fn), 0u) << blocker;
    EXPECT_EQ(b.count(Op::Copy), 1u) << blocker;
  }
}

}  // namespace
}  // namespace codemorph::translator::test
