// The memory passes: redundant_load_elim.cpp, load_hoisting.cpp and the symbolic address
// analysis they share (address_analysis.cpp).
#include <gtest/gtest.h>

#include "ir_builder.h"
#include "passes/address_analysis.h"
#include "passes/passes.h"

namespace codemorph::translator::test {
namespace {

using passes::Overlap;

TEST(AddressAnalysis, FollowsAddIChainsAndStackUpdates) {
  IrBuilder b;
  constexpr VReg esp = ir::gprReg(4);
  b.add(Op::AddI, esp, esp, ir::kZero, -4);      // PUSH: ESP -= 4
  const VReg push = b.agen(esp, 2);
  b.store(push, ir::gprReg(0));
  const VReg other = b.agen(b.op(Op::AddI, esp, ir::kZero, 8), 2);
  b.load(other);
  b.add(Op::AddI, esp, esp, ir::kZero, 4);       // POP
  const VReg pop = b.agen(b.op(Op::AddI, esp, ir::kZero, -4), 2);
  b.load(pop);
  b.exit();
  const auto addr = passes::symbolicAddresses(b.fn);
  const size_t st = 2, ldOther = 5, ldPop = 9;
  ASSERT_EQ(b.fn.insts[st].op, Op::Store);
  ASSERT_EQ(b.fn.insts[ldOther].op, Op::Load);
  ASSERT_EQ(b.fn.insts[ldPop].op, Op::Load);
  EXPECT_EQ(passes::overlap(addr[st], 4, addr[ldOther], 4), Overlap::No);
  EXPECT_EQ(passes::overlap(addr[st], 4, addr[ldPop], 4), Overlap::Yes);
  EXPECT_TRUE(passes::sameAddress(addr[st], addr[ldPop]));
  // Different bases may alias; different segments too.
  IrBuilder c;
  const VReg x = c.agen(ir::gprReg(0));
  c.store(x, ir::gprReg(1));
  const VReg y = c.agen(ir::gprReg(3));
  c.load(y);
  c.exit();
  const auto a2 = passes::symbolicAddresses(c.fn);
  EXPECT_EQ(passes::overlap(a2[1], 4, a2[3], 4), Overlap::Maybe);
}

TEST(AddressAnalysis, SegmentBaseFromReadSregWithoutSegAgen) {
  // mov [ebx], eax ; mov cx, [ebx+2] as the seg_agen-off front end makes them: the linear
  // address is `Add segbase, offset`. The load certainly overlaps the store, so load
  // hoisting leaves it in order (it would always raise ALIAS); another base may alias.
  constexpr VReg ebx = ir::gprReg(3);
  IrBuilder b;
  const VReg dsBase = b.op(Op::ReadSreg, ir::kZero, ir::kZero, 19);
  b.store(b.op(Op::Add, dsBase, ebx), ir::gprReg(0));
  b.load(b.op(Op::Add, b.op(Op::AddI, ebx, ir::kZero, 2), dsBase), 2);
  b.load(b.op(Op::Add, dsBase, ir::gprReg(6)));
  b.exit();
  const auto addr = passes::symbolicAddresses(b.fn);
  const size_t st = 2, ld = 5, other = 7;
  ASSERT_EQ(b.fn.insts[st].op, Op::Store);
  ASSERT_EQ(b.fn.insts[ld].op, Op::Load);
  ASSERT_EQ(b.fn.insts[other].op, Op::Load);
  EXPECT_EQ(passes::overlap(addr[st], 4, addr[ld], 2), Overlap::Yes);
  EXPECT_EQ(passes::overlap(addr[st], 4, addr[other], 4), Overlap::Maybe);
  EXPECT_EQ(passes::loadHoisting(b.fn, 8), 1u);
  EXPECT_EQ(b.fn.insts[ld].mem, ir::MemKind::Plain);
  EXPECT_EQ(b.fn.insts[other].mem, ir::MemKind::Protected);
}

TEST(RedundantLoadElim, ForwardsStoresAndEarlierLoads) {
  IrBuilder b;
  const VReg a = b.agen(ir::gprReg(3));
  const VReg v1 = b.load(a);
  const VReg v2 = b.load(a);                         // same as v1
  const VReg bAddr = b.agen(b.op(Op::AddI, ir::gprReg(3), ir::kZero, 16));
  b.store(bAddr, ir::gprReg(0));                     // disjoint: v1 stays available
  const VReg v3 = b.load(a);
  const VReg v4 = b.load(bAddr);                     // = EAX
  b.add(Op::Add, ir::gprReg(1), v2, v3);
  b.add(Op::Add, ir::gprReg(2), v4, v1);
  b.exit();
  EXPECT_EQ(passes::redundantLoadElim(b.fn), 3u);
  EXPECT_EQ(b.count(Op::Load), 1u);
  EXPECT_EQ(passes::verify(b.fn), "");
}

TEST(RedundantLoadElim, AStoreThatMayAliasKillsAndNarrowLoadsExtend) {
  IrBuilder b;
  const VReg a = b.agen(ir::gprReg(3), 3, 1);
  b.load(a, 1);
  const VReg other = b.agen(ir::gprReg(6), 3, 1);
  b.store(other, ir::gprReg(0), 1);                  // may alias: the load stays
  b.load(a, 1);
  b.store(a, ir::gprReg(1), 1);
  const VReg n = b.load(a, 1);                       // = zext8(ECX)
  b.add(Op::Copy, ir::gprReg(2), n);
  b.exit();
  EXPECT_EQ(passes::redundantLoadElim(b.fn), 1u);
  EXPECT_EQ(b.count(Op::Load), 2u);
  EXPECT_EQ(b.count(Op::Zext8), 1u);
}

TEST(LoadHoisting, ProtectsLoadsAfterStoresAndChecksTheStores) {
  IrBuilder b;
  const VReg s1 = b.agen(ir::gprReg(3));
  b.store(s1, ir::gprReg(0));
  const VReg l1 = b.agen(ir::gprReg(6));
  b.load(l1);                                        // may alias: protected in a0
  const VReg same = b.agen(ir::gprReg(3));
  b.load(same);                                      // certainly overlaps: not protected
  b.exit();
  EXPECT_EQ(passes::loadHoisting(b.fn, 8), 1u);
  EXPECT_EQ(b.fn.insts[1].mem, ir::MemKind::Checked);
  EXPECT_EQ(b.fn.insts[1].aliasMask, 1u);
  EXPECT_EQ(b.fn.insts[3].mem, ir::MemKind::Protected);
  EXPECT_EQ(b.fn.insts[3].aliasReg, 0u);
  EXPECT_EQ(b.fn.insts[5].mem, ir::MemKind::Plain);
}

TEST(LoadHoisting, UsesAtMostTheAvailableAliasRegisters) {
  IrBuilder b;
  b.store(b.agen(ir::gprReg(3)), ir::gprReg(0));
  for (int i = 0; i < 5; ++i) b.load(b.agen(ir::gprReg(6 + (i % 2))));
  b.exit();
  EXPECT_EQ(passes::loadHoisting(b.fn, 3), 3u);
  EXPECT_EQ(b.fn.insts[1].aliasMask, 0x7u);
}

}  // namespace
}  // namespace codemorph::translator::test
