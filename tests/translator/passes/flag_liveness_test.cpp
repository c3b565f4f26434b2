// Flag liveness (passes/flag_liveness.cpp): dead flag producers become plain ops; flags
// stay live at exits, before readers, and across partial writers (INC keeps CF).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

TEST(FlagLiveness, OverwrittenFlagsAreDead) {
  IrBuilder b;
  b.add(Op::AddCC, ir::gprReg(0), ir::gprReg(0), ir::gprReg(1));   // flags dead: SUB follows
  b.add(Op::SubICC, ir::gprReg(2), ir::gprReg(2), ir::kZero, 3);  // flags live at the exit
  b.exit();
  EXPECT_EQ(passes::flagLiveness(b.fn), 1u);
  EXPECT_EQ(b.fn.insts[0].op, Op::Add);
  EXPECT_EQ(b.fn.insts[1].op, Op::SubICC);
  EXPECT_EQ(passes::verify(b.fn), "");
}

TEST(FlagLiveness, ReadersAndExitsKeepFlagsLive) {
  IrBuilder b;
  b.add(Op::SubCC, ir::kZero, ir::gprReg(0), ir::gprReg(1));  // CMP: read by the side exit
  b.sideExit(4);
  b.add(Op::AndCC, ir::gprReg(2), ir::gprReg(2), ir::gprReg(3));  // read by SetCC
  Inst& s = b.add(Op::SetCC, b.t());
  s.cond = 5;
  b.add(Op::XorCC, ir::gprReg(4), ir::gprReg(4), ir::gprReg(5));
  b.exit();
  EXPECT_EQ(passes::flagLiveness(b.fn), 0u);
}

TEST(FlagLiveness, PartialWritersKeepTheirInputFlagsLive) {
  IrBuilder b;
  b.add(Op::AddCC, ir::gprReg(0), ir::gprReg(0), ir::gprReg(1));  // CF read through INC
  b.add(Op::IncCC, ir::gprReg(2), ir::gprReg(2), ir::kZero, 0, 4);
  b.exit();
  EXPECT_EQ(passes::flagLiveness(b.fn), 0u);
}

TEST(FlagLiveness, DeadCompareDisappearsAndNarrowRightShiftStays) {
  IrBuilder b;
  b.add(Op::SubCC, ir::kZero, ir::gprReg(0), ir::gprReg(1));          // dead CMP (OR overwrites): removed
  b.add(Op::OrCC, ir::gprReg(7), ir::gprReg(7), ir::gprReg(0));       // live: SHR may keep them
  const VReg sh = b.op(Op::ShrCC, ir::gprReg(2), ir::gprReg(1), 0, 1);  // shr.8: result needs the cc form
  b.add(Op::Ins8L, ir::gprReg(2), sh);
  const VReg dec = b.op(Op::DecCC, ir::gprReg(3), ir::kZero, 0, 2);   // dead flags -> AddI -1
  b.add(Op::Ins16, ir::gprReg(3), dec);
  b.add(Op::SubCC, ir::kZero, ir::gprReg(0), ir::gprReg(1));          // dead CMP: removed
  b.add(Op::OrCC, ir::gprReg(5), ir::gprReg(5), ir::gprReg(6));
  b.exit();
  passes::flagLiveness(b.fn);
  // OR feeds SHR's flags (a zero count keeps them), so it stays.
  EXPECT_EQ(b.count(Op::SubCC), 0u);
  EXPECT_EQ(b.count(Op::OrCC), 2u);
  EXPECT_EQ(b.count(Op::ShrCC), 1u);
  ASSERT_EQ(b.count(Op::AddI), 1u);
  for (const Inst& i : b.fn.insts) {
    if (i.op == Op::AddI) {
      EXPECT_EQ(i.imm, -1);
    }
  }
  EXPECT_EQ(passes::verify(b.fn), "");
}

}  // namespace
}  // namespace codemorph::translator::test
