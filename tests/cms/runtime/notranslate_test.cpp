// The --no-translate engine of cms::Runtime (docs/cms-runtime.md 1, 6, 8): clock units,
// device synchronization before port accesses, interrupts at the instruction the device
// event falls on (in both clocks), HLT skipping to the next event, and every stop kind.
#include <codemorph/cms/runtime.h>
#include <codemorph/support/config.h>
#include <codemorph/support/serialize.h>
#include <codemorph/support/stats.h>
#include <gtest/gtest.h>

#include "test_platform.h"

namespace codemorph::cms {
namespace {

using test::TestPlatform;

RuntimeConfig interpretOnly(ClockMode clock) {
  RuntimeConfig c;
  c.translate = false;
  c.clock = clock;
  return c;
}

// sti; L: inc ax; jmp L   — vector 20h -> 0:2000: mov bx,ax; out F4h,al
void loadCountingLoop(TestPlatform& p) {
  p.put(0x1000, {0xFB, 0x40, 0xEB, 0xFD});
  p.put(0x2000, {0x89, 0xC3, 0xE6, 0xF4});
  p.put16(0x20 * 4, 0x2000);
  p.put16(0x20 * 4 + 2, 0);
}

TEST(RuntimeNoTranslate, InstructionClockDeliversOnTheEventInstruction) {
  TestPlatform p;
  loadCountingLoop(p);
  p.eventAt = 100;  // after 100 retired instructions: sti + 99 of the loop
  Runtime rt(interpretOnly(ClockMode::Instructions), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  const RunOutcome out = rt.run(1'000'000);
  EXPECT_EQ(out.stop, RunStop::GuestStop);
  // Instructions 2, 4, ..., 100 are the INCs: 50 of them before the interrupt.
  EXPECT_EQ(rt.cpu().gpr[kEBX] & 0xFFFF, 50u);
  ASSERT_EQ(p.firedAt.size(), 1u);
  EXPECT_EQ(p.firedAt[0], 100u);
  EXPECT_EQ(p.acknowledges, 1u);
  EXPECT_EQ(rt.instructionsRetired(), 102u);  // + mov bx,ax and out
  EXPECT_EQ(rt.now(), 102u);
  EXPECT_FALSE(p.timeWentBack);
}

TEST(RuntimeNoTranslate, CycleClockDeliversOnTheSameInstruction) {
  TestPlatform p;
  loadCountingLoop(p);
  RuntimeConfig c = interpretOnly(ClockMode::Cycles);
  p.eventAt = 100 * c.cost.interpretPerInsn;
  Runtime rt(c, nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(UINT64_MAX).stop, RunStop::GuestStop);
  EXPECT_EQ(rt.cpu().gpr[kEBX] & 0xFFFF, 50u);
  // 102 instructions and one interrupt delivery, each one step of the cost model.
  EXPECT_EQ(rt.cycles(), 103u * c.cost.interpretPerInsn);
  EXPECT_EQ(rt.now(), rt.cycles());
}

TEST(RuntimeNoTranslate, AnEventBetweenInstructionBoundariesIsSeenAtTheNextOne) {
  TestPlatform p;
  loadCountingLoop(p);
  RuntimeConfig c = interpretOnly(ClockMode::Cycles);
  p.eventAt = 100 * c.cost.interpretPerInsn - 7;  // inside instruction 100
  Runtime rt(c, nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(UINT64_MAX).stop, RunStop::GuestStop);
  ASSERT_EQ(p.firedAt.size(), 1u);
  EXPECT_EQ(p.firedAt[0], 100u * c.cost.interpretPerInsn);  // the first boundary at or after it
  EXPECT_EQ(rt.cpu().gpr[kEBX] & 0xFFFF, 50u);
}

TEST(RuntimeNoTranslate, PlatformIsSyncedBeforeEachPortAccess) {
  TestPlatform p;
  // 5 NOPs; in eax,40h; mov esi,eax; nop; in eax,40h; out F4h,al
  p.put(0x1000, {0x90, 0x90, 0x90, 0x90, 0x90, 0x66, 0xE5, 0x40, 0x66, 0x89, 0xC6, 0x90,
                 0x66, 0xE5, 0x40, 0xE6, 0xF4});
  for (ClockMode clock : {ClockMode::Instructions, ClockMode::Cycles}) {
    p.stop = false;
    p.time = 0;
    RuntimeConfig c = interpretOnly(clock);
    Runtime rt(c, nullptr, p);
    test::realModeAt(rt.cpu(), 0x1000);
    EXPECT_EQ(rt.run(UINT64_MAX).stop, RunStop::GuestStop);
    const uint64_t unit = clock == ClockMode::Cycles ? c.cost.interpretPerInsn : 1;
    EXPECT_EQ(rt.cpu().gpr[kESI], 5 * unit);   // 5 instructions before the first IN
    EXPECT_EQ(rt.cpu().gpr[kEAX], 8 * unit);   // 8 before the second
  }
}

TEST(RuntimeNoTranslate, HltSkipsToTheNextEvent) {
  TestPlatform p;
  p.put(0x1000, {0xFB, 0xF4});  // sti; hlt
  p.put(0x2000, {0xE6, 0xF4});
  p.put16(0x20 * 4, 0x2000);
  p.eventAt = 10'000;
  Runtime rt(interpretOnly(ClockMode::Instructions), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(UINT64_MAX).stop, RunStop::GuestStop);
  ASSERT_EQ(p.firedAt.size(), 1u);
  EXPECT_EQ(p.firedAt[0], 10'000u);
  EXPECT_EQ(rt.instructionsRetired(), 3u);
  EXPECT_EQ(rt.now(), 10'001u);
  EXPECT_EQ(p.exitTime, 10'000u);  // synchronized at the OUT, before it retired
}

TEST(RuntimeNoTranslate, HltWithoutAnyEventIsIdle) {
  TestPlatform p;
  p.put(0x1000, {0xFA, 0xF4});  // cli; hlt
  Runtime rt(interpretOnly(ClockMode::Cycles), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(UINT64_MAX).stop, RunStop::Idle);
  EXPECT_TRUE(rt.cpu().halted);
}

TEST(RuntimeNoTranslate, HltWithInterruptsOffRunsToTheLimitThroughEvents) {
  TestPlatform p;
  p.put(0x1000, {0xFA, 0xF4});  // cli; hlt: the event fires but cannot wake the CPU
  p.eventAt = 500;
  Runtime rt(interpretOnly(ClockMode::Cycles), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(20'000).stop, RunStop::Idle);  // after the event nothing is scheduled
  ASSERT_EQ(p.firedAt.size(), 1u);
  EXPECT_EQ(p.acknowledges, 0u);
  EXPECT_EQ(rt.now(), 500u);
}

TEST(RuntimeNoTranslate, LimitStopsAndRunResumes) {
  TestPlatform p;
  loadCountingLoop(p);
  Runtime rt(interpretOnly(ClockMode::Instructions), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(41).stop, RunStop::Limit);
  EXPECT_EQ(rt.now(), 41u);
  EXPECT_EQ(rt.cpu().gpr[kEAX] & 0xFFFF, 20u);
  EXPECT_EQ(rt.run(61).stop, RunStop::Limit);
  EXPECT_EQ(rt.cpu().gpr[kEAX] & 0xFFFF, 30u);
}

TEST(RuntimeNoTranslate, TripleFaultIsReported) {
  TestPlatform p;
  p.put(0x1000, {0x0F, 0x0B});  // ud2 with an IDT of limit 0: #UD -> #GP -> #DF -> shutdown
  Runtime rt(interpretOnly(ClockMode::Cycles), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  rt.cpu().idtr.limit = 0;
  const RunOutcome out = rt.run(UINT64_MAX);
  EXPECT_EQ(out.stop, RunStop::TripleFault);
  EXPECT_NE(out.message.find("triple fault"), std::string::npos) << out.message;
}

TEST(RuntimeNoTranslate, UnimplementedIsReported) {
  TestPlatform p;
  p.put(0x1000, {0xDB, 0xE3});  // fninit: x87 is not executed on pentium2
  Runtime rt(interpretOnly(ClockMode::Cycles), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  const RunOutcome out = rt.run(UINT64_MAX);
  EXPECT_EQ(out.stop, RunStop::Unimplemented);
  EXPECT_FALSE(out.message.empty());
}

TEST(RuntimeNoTranslate, ResetRequestRestartsAtTheResetVector) {
  TestPlatform p;
  p.put(0x1000, {0xBA, 0xF9, 0x0C, 0xEE});  // mov dx,0CF9h; out dx,al
  const uint8_t rom[] = {0xB0, 0x07, 0xE6, 0xF4};  // at FFFFFFF0: mov al,7; out F4h,al
  std::memcpy(p.rom, rom, sizeof rom);
  Runtime rt(interpretOnly(ClockMode::Instructions), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  EXPECT_EQ(rt.run(UINT64_MAX).stop, RunStop::GuestStop);
  EXPECT_EQ(p.exitValue, 7u);
  EXPECT_EQ(rt.cpu().seg[kCS].selector, 0xF000);
}

TEST(RuntimeNoTranslate, StatsSplitCyclesAndCountInstructions) {
  TestPlatform p;
  loadCountingLoop(p);
  p.eventAt = 100;
  Runtime rt(interpretOnly(ClockMode::Instructions), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  rt.run(UINT64_MAX);
  support::StatsRegistry stats;
  rt.registerStats(stats);
  EXPECT_EQ(stats.value("cms.insns.interpreted"), 102.0);
  EXPECT_EQ(stats.value("cms.insns.translated"), 0.0);
  EXPECT_EQ(stats.value("cms.interrupts"), 1.0);
  EXPECT_EQ(stats.value("cms.cycles.interpret"), stats.value("cms.cycles.total"));
  EXPECT_EQ(stats.value("cms.cycles.translated"), 0.0);
}

TEST(RuntimeNoTranslate, KnobsRoundTrip) {
  support::Config config;
  RuntimeConfig::defineKnobs(config);
  config.set("cms.clock", "instructions");
  config.set("cms.threshold", "0");
  config.set("cms.cost.interpret_per_insn", "33");
  config.set("cms.translate", "false");
  const RuntimeConfig c = RuntimeConfig::fromConfig(config);
  EXPECT_EQ(c.clock, ClockMode::Instructions);
  EXPECT_EQ(c.threshold, 0u);
  EXPECT_EQ(c.cost.interpretPerInsn, 33u);
  EXPECT_FALSE(c.translate);
  config.set("cms.clock", "wallclock");
  EXPECT_THROW(RuntimeConfig::fromConfig(config), support::ConfigError);
}

}  // namespace
}  // namespace codemorph::cms

namespace codemorph::cms {
namespace {

TEST(RuntimeNoTranslate, CheckpointResumesIdentically) {
  // Run the timer program 60 instructions, save, load into a fresh runtime on a copy of
  // RAM: both finish like an uninterrupted run.
  test::TestPlatform p, q;
  loadCountingLoop(p);
  p.eventAt = 100;
  Runtime rt(interpretOnly(ClockMode::Instructions), nullptr, p);
  test::realModeAt(rt.cpu(), 0x1000);
  ASSERT_EQ(rt.run(60).stop, RunStop::Limit);
  support::OutArchive out;
  rt.save(out);
  std::copy(p.memory().begin(), p.memory().end(), q.memory().begin());
  q.eventAt = 100;
  Runtime copy(interpretOnly(ClockMode::Instructions), nullptr, q);
  support::InArchive in(out.bytes());
  copy.load(in);
  EXPECT_EQ(copy.now(), 60u);
  EXPECT_EQ(copy.run(UINT64_MAX).stop, RunStop::GuestStop);
  EXPECT_EQ(copy.cpu().gpr[kEBX] & 0xFFFF, 50u);
  EXPECT_EQ(copy.instructionsRetired(), 102u);
}

}  // namespace
}  // namespace codemorph::cms
