// The schedulers (backend/list_scheduler.cpp) and the dependence rules (dependence.cpp):
// slot rules per molecule width, latencies, exits that keep the x86 state exact.
#include <gtest/gtest.h>

#include "../passes/ir_builder.h"
#include "backend/dependence.h"
#include "backend/machine.h"

namespace codemorph::translator::test {
namespace {

using backend::LoweredRegion;
using backend::ScheduleMode;

LoweredRegion lowered(IrBuilder& b, unsigned n) {
  b.fn.x86Instructions = n;
  b.exit();
  return backend::lower(b.fn);
}

// Every molecule satisfies the slot rules of its width.
void expectSlotsOk(const LoweredRegion& r, const backend::Schedule& s, unsigned maxAtoms) {
  for (const auto& m : s.molecules) {
    std::vector<hostisa::Op> ops;
    for (unsigned j : m) ops.push_back(r.atoms[j].atom.op);
    std::vector<unsigned> slots;
    EXPECT_TRUE(backend::assignSlots(ops, maxAtoms, slots));
  }
}

unsigned moleculeOfFirst(const LoweredRegion& r, const backend::Schedule& s, hostisa::Op op) {
  for (unsigned j = 0; j < r.atoms.size(); ++j)
    if (r.atoms[j].atom.op == op) return s.moleculeOf[j];
  return ~0u;
}

TEST(Scheduler, IndependentWorkPacksIntoWideMolecules) {
  for (unsigned w : {2u, 4u, 8u})
    for (ScheduleMode mode : {ScheduleMode::InOrder, ScheduleMode::List}) {
      IrBuilder b;
      for (unsigned r = 0; r < 8; ++r) b.add(Op::AddI, ir::gprReg(r), ir::gprReg(r), ir::kZero, 1);
      const LoweredRegion r = lowered(b, 8);
      const backend::Schedule s = backend::schedule(r, w, mode);
      expectSlotsOk(r, s, w);
      // 8 ALU atoms + entry + exit atoms: fewer molecules the wider they are.
      const unsigned aluPerMolecule = w == 2 ? 2 : w == 4 ? 2 : 4;
      EXPECT_LE(s.molecules.size(), 2 + 8 / aluPerMolecule + 2) << w;
    }
}

TEST(Scheduler, LatenciesSeparateProducerAndConsumer) {
  IrBuilder b;
  const VReg a = b.agen(ir::gprReg(3));
  const VReg v = b.load(a);                       // load: 2 cycles
  const VReg m = b.op(Op::Mul, v, ir::gprReg(1));  // mul: 3 cycles
  b.add(Op::Add, ir::gprReg(0), m, ir::gprReg(2));
  const LoweredRegion r = lowered(b, 1);
  for (ScheduleMode mode : {ScheduleMode::InOrder, ScheduleMode::List}) {
    const backend::Schedule s = backend::schedule(r, 4, mode);
    expectSlotsOk(r, s, 4);
    const unsigned ld = moleculeOfFirst(r, s, hostisa::Op::LDG32);
    const unsigned mul = moleculeOfFirst(r, s, hostisa::Op::MUL);
    const unsigned add = moleculeOfFirst(r, s, hostisa::Op::ADD);
    EXPECT_GT(mul, ld);   // empty cycles are dropped, so only the order is certain
    EXPECT_GT(add, mul);
  }
}

TEST(Scheduler, ListSchedulingOverlapsIndependentChains) {
  // Two independent load chains: the list scheduler starts the second before the first ends.
  IrBuilder b;
  const VReg v1 = b.load(b.agen(ir::gprReg(3)));
  b.add(Op::Add, ir::gprReg(0), v1, ir::gprReg(0));
  const VReg v2 = b.load(b.agen(ir::gprReg(6)));
  b.add(Op::Add, ir::gprReg(1), v2, ir::gprReg(1));
  const LoweredRegion r = lowered(b, 2);
  const backend::Schedule inOrder = backend::schedule(r, 4, ScheduleMode::InOrder);
  const backend::Schedule list = backend::schedule(r, 4, ScheduleMode::List);
  EXPECT_LE(list.molecules.size(), inOrder.molecules.size() + 1);
  unsigned loads[2], n = 0;
  for (unsigned j = 0; j < r.atoms.size(); ++j)
    if (r.atoms[j].load) loads[n++] = list.moleculeOf[j];
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(loads[1], loads[0] + 1);  // back to back in the LSU slot
}

TEST(Scheduler, GuestWritesAndStoresStayOnTheirSideOfAnExit) {
  IrBuilder b;
  b.add(Op::SubCC, ir::kZero, ir::gprReg(0), ir::gprReg(1));
  b.sideExit(4);
  const VReg early = b.load(b.agen(ir::gprReg(6)));              // may move above it
  b.add(Op::AddI, ir::gprReg(2), ir::gprReg(2), ir::kZero, 1);  // after the exit
  b.store(b.agen(ir::gprReg(3)), ir::gprReg(2));                 // after the exit
  b.add(Op::Copy, ir::gprReg(7), early);
  const LoweredRegion r = lowered(b, 3);
  const backend::Schedule s = backend::schedule(r, 4, ScheduleMode::List);
  unsigned exitMol = 0, budgetMol = 0;
  for (unsigned j = 0; j < r.atoms.size(); ++j) {
    if (r.atoms[j].role == backend::Role::SideExit) exitMol = s.moleculeOf[j];
    if (r.atoms[j].atom.op == hostisa::Op::BLT) budgetMol = s.moleculeOf[j];
  }
  EXPECT_GT(exitMol, budgetMol);
  EXPECT_EQ(budgetMol, 1u);  // the entry check is the second molecule
  EXPECT_EQ(moleculeOfFirst(r, s, hostisa::Op::ADDI), 0u);  // r30 -= N first
  for (unsigned j = 0; j < r.atoms.size(); ++j) {
    const auto& a = r.atoms[j];
    if (a.store) {
      EXPECT_GT(s.moleculeOf[j], exitMol);
    }
    if (a.rd == ir::gprReg(2) && a.atom.op == hostisa::Op::ADDI) {
      EXPECT_GT(s.moleculeOf[j], exitMol);
    }
    if (a.load) {
      EXPECT_LE(s.moleculeOf[j], exitMol);  // speculated above the exit
    }
  }
  // The final j ends the last molecule.
  EXPECT_EQ(s.moleculeOf[r.atoms.size() - 1], s.molecules.size() - 1);
}

TEST(Scheduler, ProtectedLoadNeverSharesAMoleculeWithItsCheckedStore) {
  IrBuilder b;
  b.store(b.agen(ir::gprReg(3)), ir::gprReg(0));
  b.load(b.agen(ir::gprReg(6)));
  b.fn.insts[1].mem = ir::MemKind::Checked;
  b.fn.insts[1].aliasMask = 1;
  b.fn.insts[3].mem = ir::MemKind::Protected;
  const LoweredRegion r = lowered(b, 2);
  const backend::Schedule s = backend::schedule(r, 8, ScheduleMode::List);  // two LSU slots
  unsigned st = 0, ld = 0;
  for (unsigned j = 0; j < r.atoms.size(); ++j) {
    if (r.atoms[j].store) st = s.moleculeOf[j];
    if (r.atoms[j].load) ld = s.moleculeOf[j];
  }
  EXPECT_NE(st, ld);
  EXPECT_LT(ld, st);  // hoisted
}

}  // namespace
}  // namespace codemorph::translator::test
