// The timing model (docs/iss.md "Timing"): hand-written molecule sequences whose cycle
// counts are computed by hand from the rules, step by step in the comments. Defaults:
// latency alu 1, mul 3, div 20, load 2, store 1, branch 1, sys 1; taken-branch penalty 2;
// trap penalty 5 (trap entry and eret); commit 0; rollback 1.
//   issue t = max(now + fetch extra, ready[src]...);  stall = t - now
//   ready[dst] = t + latency (+ load extra);  now = t + 1 + penalties (+ store extra)
#include <gtest/gtest.h>

#include "codemorph/support/stats.h"
#include "molecule_builder.h"

namespace cmtest {
namespace {

using iss::StopReason;
constexpr uint32_t kRWD = kTlbValid | kTlbWritable | kTlbDirtyOk;

double stat(const Iss& core, const std::string& name) {
  support::StatsRegistry s;
  core.registerStats(s);
  return s.value(name);
}

Program loadUseProgram() {
  Program p;
  p.add({ld(Op::LD32, 1, 10, 0)});      // t=0: r1 ready 0+2 = 2; now 1
  p.add({add(2, 1, 1)});                // r1 ready 2 -> t=2 (1 load_use stall); r2 ready 3; now 3
  p.add({rrr(Op::MUL, 3, 2, 2)});       // t=3; r3 ready 3+3 = 6; now 4
  p.add({add(4, 3, 0)});                // r3 ready 6 -> t=6 (2 mul stall); now 7
  p.add({halt()});                      // t=7; now 8
  return p;
}

TEST(IssTiming, LoadUseAndMultiplyInterlocks) {
  Iss core(smallConfig());
  Program p = loadUseProgram();
  p.loadInto(core);
  core.reset(p.base());
  core.setReg(10, 0x4000);
  core.run();
  EXPECT_EQ(core.cycles(), 8u);
  EXPECT_EQ(stat(core, "iss.stall.load_use"), 1.0);
  EXPECT_EQ(stat(core, "iss.stall.mul"), 2.0);
  EXPECT_EQ(stat(core, "iss.stall_cycles"), 3.0);
  EXPECT_EQ(stat(core, "iss.molecules"), 5.0);
  EXPECT_EQ(stat(core, "iss.atoms"), 5.0);
  EXPECT_EQ(stat(core, "iss.nops"), 5.0);
  EXPECT_EQ(stat(core, "iss.cycles"), 8.0);
}

TEST(IssTiming, DisabledTimingIsOneCyclePerMolecule) {
  IssConfig cfg = smallConfig();
  cfg.timing = false;
  Iss core(cfg);
  Program p = loadUseProgram();
  p.loadInto(core);
  core.reset(p.base());
  core.setReg(10, 0x4000);
  core.run();
  EXPECT_EQ(core.cycles(), 5u);
  EXPECT_EQ(stat(core, "iss.stall_cycles"), 0.0);
}

TEST(IssTiming, TakenBranchPenalty) {
  Iss core(smallConfig());
  Program p;
  p.add({li(1, 3)});                              // t=0; now 1
  const uint32_t loop = p.add({addi(1, 1, -1)});  // iter k: t = 1, 5, 9
  const uint32_t b = p.add({bz(Op::BNZ, 1, 0)});  // t = 2, 6, 10; taken: now = t+1+2
  p.setTarget(b, loop);
  p.add({halt()});                                // t = 11; now 12
  p.loadInto(core);
  core.reset(p.base());
  core.run();
  // iter1: addi t1 now2, bnz t2 now5; iter2: t5 now6, t6 now9; iter3: t9 now10, t10 (not taken) now11
  EXPECT_EQ(core.cycles(), 12u);
  EXPECT_EQ(stat(core, "iss.branches_taken"), 2.0);
}

TEST(IssTiming, CommitTrapEretRollback) {
  IssConfig cfg = smallConfig();
  cfg.commitCycles = 3;
  Iss core(cfg);
  Program p;
  p.add({li(1, 1)}, true);                 // t=0, commit: now = 0+1+3 = 4
  p.add({ld(Op::LDG32, 2, 10, 0)});        // t=4: TLB miss -> now = 4+1+5 = 10, pc = handler
  p.add({halt()});                         // (after eret) t=21; now 22
  Program h(0x8000);
  h.add({mfsr(20, Sreg::TVAL), li(21, 7)});  // t=10; r20, r21 ready 11; now 11
  h.add({rrr(Op::OR, 22, 20, 21)});          // t=11; r22 ready 12; now 12
  h.add({tlbwr(20, 22)});                    // t=12; now 13
  h.add({sys(Op::ROLLBACK)});                // t=13; now = 13+1+1 = 15
  h.add({sys(Op::ERET)});                    // t=15; now = 15+1+5 = 21, pc = tpc
  // retried load: t=21 (r10 ready long ago); r2 ready 23; now 22. halt: t=22; now 23.
  p.loadInto(core);
  h.loadInto(core);
  core.reset(p.base());
  core.setSreg(static_cast<unsigned>(Sreg::TVEC), 0x8000);
  core.setReg(10, 0x20000);
  core.run();
  ASSERT_EQ(core.stopInfo().reason, StopReason::Halted);
  EXPECT_EQ(core.cycles(), 23u);
  EXPECT_EQ(stat(core, "iss.commits"), 1.0);
  EXPECT_EQ(stat(core, "iss.rollbacks.tlb_miss"), 1.0);
}

TEST(IssTiming, FlagsAreScoreboardedAsRegister64) {
  Iss core(smallConfig());
  Program p;
  p.add({cc(Op::IMUL_CC, 4, 3, 1, 2)});  // t=0: r3 and F ready 3; now 1
  p.add({setcc(4, 0)});                   // reads F: t=3, 2 cycles of "mul" stall; now 4
  p.add({rrr(Op::DIV, 5, 4, 4)});         // r4 ready 4 -> t=4; r5 ready 24; now 5
  p.add({add(6, 5, 5)});                  // t=24: 19 cycles of "div" stall; now 25
  p.add({halt()});                        // t=25; now 26
  p.loadInto(core);
  core.reset(p.base());
  core.setReg(1, 0x10000);
  core.setReg(2, 0x10000);               // overflows: OF = 1 so setcc(o) = 1, div 1/1
  core.run();
  EXPECT_EQ(core.reg(5), 1u);
  EXPECT_EQ(core.cycles(), 26u);
  EXPECT_EQ(stat(core, "iss.stall.mul"), 2.0);
  EXPECT_EQ(stat(core, "iss.stall.div"), 19.0);
  EXPECT_EQ(core.readyCycle(kFlagsRegIndex), 3u);
}

TEST(IssTiming, VliwIssueWaitsForTheLatestSource) {
  Iss core(smallConfig());
  Program p;
  p.add({ld(Op::LD32, 1, 10, 0), rrr(Op::MUL, 2, 11, 11)});  // t=0: r1 ready 2, r2 ready 3
  p.add({add(3, 1, 2)});   // r1 ready 2, r2 ready 3 -> t = 3, attributed to mul (the latest)
  p.add({halt()});
  p.loadInto(core);
  core.reset(p.base());
  core.setReg(10, 0x4000);
  core.run();
  // m0 t=0 now 1; m1 t=3 (stall 2, mul) now 4; halt t=4 now 5.
  EXPECT_EQ(core.cycles(), 5u);
  EXPECT_EQ(stat(core, "iss.stall.mul"), 2.0);
  EXPECT_EQ(stat(core, "iss.stall.load_use"), 0.0);
}

struct Extra : iss::MemoryTiming {
  uint32_t fetch(uint32_t paddr, unsigned) override { return paddr == 0x1008 ? 2 : 0; }
  uint32_t load(uint32_t, unsigned) override { return 3; }
  uint32_t store(uint32_t, unsigned) override { return 4; }
};

TEST(IssTiming, MemoryTimingHooks) {
  Iss core(smallConfig());
  Extra extra;
  core.setMemoryTiming(&extra);
  Program p;
  p.add({ld(Op::LD32, 1, 10, 0)});   // t=0: r1 ready 0+2+3 = 5; now 1
  p.add({add(2, 3, 3)});             // fetch extra 2: t=3 (stall 2, fetch); r2 ready 4; now 4
  p.add({add(4, 1, 2)});             // r1 ready 5: t=5 (stall 1, load_use); r4 ready 6; now 6
  p.add({st(Op::ST32, 4, 10, 0)});   // t=6; store extra 4: now = 6+1+4 = 11 (stall.store 4)
  p.add({halt()});                   // t=11; now 12
  p.loadInto(core);
  core.reset(p.base());
  core.setReg(10, 0x4000);
  core.run();
  EXPECT_EQ(core.cycles(), 12u);
  EXPECT_EQ(stat(core, "iss.stall.fetch"), 2.0);
  EXPECT_EQ(stat(core, "iss.stall.load_use"), 1.0);
  EXPECT_EQ(stat(core, "iss.stall.store"), 4.0);
}

TEST(IssTiming, RunStopsAtCycleAndStepBudgets) {
  Iss core(smallConfig());
  Program p;
  const uint32_t l = p.add({jmp(0)});  // each iteration: t, now = t+3
  (void)l;
  p.loadInto(core);
  core.reset(p.base());
  EXPECT_EQ(core.run(10), iss::RunResult::CycleLimit);
  EXPECT_EQ(core.cycles(), 12u);  // 4 molecules: 0,3,6,9 -> 12 >= 10
  EXPECT_EQ(core.run(UINT64_MAX, 5), iss::RunResult::MoleculeLimit);
  EXPECT_EQ(core.cycles(), 27u);
}

}  // namespace
}  // namespace cmtest
