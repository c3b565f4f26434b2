// Register allocation after scheduling (backend/register_allocator.cpp).
#include <gtest/gtest.h>

#include <set>

#include "../passes/ir_builder.h"
#include "backend/machine.h"

namespace codemorph::translator::test {
namespace {

bool isTempReg(unsigned r) { return (r >= 10 && r <= 29) || (r >= 48 && r <= 62); }

TEST(RegisterAllocator, TemporariesGetAbiRegistersAndPinnedOnesStay) {
  IrBuilder b;
  const VReg x = b.op(Op::AddI, ir::gprReg(0), ir::kZero, 1);
  const VReg y = b.op(Op::Add, x, ir::gprReg(1));
  b.add(Op::Copy, ir::gprReg(2), y);
  b.fn.x86Instructions = 1;
  b.exit();
  backend::LoweredRegion r = backend::lower(b.fn);
  const backend::Schedule s = backend::schedule(r, 4, backend::ScheduleMode::InOrder);
  ASSERT_EQ(backend::allocateRegisters(r, s), "");
  for (const auto& a : r.atoms) {
    for (VReg v : {a.rd, a.rs1, a.rs2})
      EXPECT_TRUE(v == 0 || (v >= 1 && v <= 9) || v == 30 || isTempReg(v)) << v;
  }
}

TEST(RegisterAllocator, ReusesRegistersAndFailsBeyondThePool) {
  // 30 values live at once fit the 35 temporaries; 40 do not.
  for (unsigned n : {30u, 40u}) {
    IrBuilder b;
    std::vector<VReg> vs;
    for (unsigned i = 0; i < n; ++i) vs.push_back(b.op(Op::Const, ir::kZero, ir::kZero, static_cast<int32_t>(i + 1)));
    VReg acc = vs[0];
    for (unsigned i = 1; i < n; ++i) acc = b.op(Op::Add, acc, vs[i]);
    b.add(Op::Copy, ir::gprReg(0), acc);
    b.fn.x86Instructions = 1;
    b.exit();
    backend::LoweredRegion r = backend::lower(b.fn);
    const backend::Schedule s = backend::schedule(r, 4, backend::ScheduleMode::InOrder);
    const std::string e = backend::allocateRegisters(r, s);
    if (n == 30) {
      EXPECT_EQ(e, "");
      std::set<unsigned> used;
      for (const auto& a : r.atoms)
        if (isTempReg(a.rd)) used.insert(a.rd);
      EXPECT_LE(used.size(), 35u);
    } else {
      EXPECT_NE(e.find("out of host registers"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace codemorph::translator::test
