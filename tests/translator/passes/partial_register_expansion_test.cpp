// Partial-register expansion (passes/partial_register_expansion.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(PartialRegisterExpansion, LeavesNoPartialRegisterOps) {
  IrBuilder b;
  const VReg h = b.op(Op::Ext8H, ir::gprReg(0));
  b.add(Op::Ins8L, ir::gprReg(1), h);
  b.add(Op::Ins8H, ir::gprReg(2), h);
  b.add(Op::Ins16, ir::gprReg(3), ir::gprReg(1));
  b.exit();
  EXPECT_EQ(passes::expandPartialRegisters(b.fn), 4u);
  for (Op op : {Op::Ext8H, Op::Ins8L, Op::Ins8H, Op::Ins16}) EXPECT_EQ(b.count(op), 0u);
  EXPECT_EQ(passes::verify(b.fn), "");
  // The register each insert wrote is still written, last, by an Or.
  for (VReg r : {ir::gprReg(1), ir::gprReg(2), ir::gprReg(3)}) {
    const Inst* last = nullptr;
    for (const Inst& i : b.fn.insts)
      if (i.dst == r) last = &i;
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->op, Op::Or);
  }
}

}  // namespace
}  // namespace codemorph::translator::test
