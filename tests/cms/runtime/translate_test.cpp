// The core-driven runtime (docs/cms-runtime.md 1-6) with hand-written translations that
// obey the ABI (mini_translator.h): gear 1 -> gear 2 -> gear 3, the budget and interrupts
// on the same instruction as the interpreter, host-TLB fills, faults re-executed
// precisely, chaining, and the stats.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core_machine.h"

namespace codemorph::cms::test {
namespace {


// mov ecx,1000 ; L: add eax,3 ; dec ecx ; jnz L ; out F4h,al
const std::vector<uint8_t> kLoop = {0xB9, 0xE8, 0x03, 0x00, 0x00, 0x83, 0xC0, 0x03, 0x49, 0x75, 0xFA, 0xE6, 0xF4};

void expectSameState(const CpuState& a, const CpuState& b) {
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(a.gpr[i], b.gpr[i]) << "gpr " << i;
  EXPECT_EQ(a.eip, b.eip);
  EXPECT_EQ(a.eflags, b.eflags);
}

TEST(RuntimeTranslate, LoopRunsTranslatedAndMatchesTheInterpreter) {
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    load(*x, 0x1000, kLoop);
    flatProtectedModeAt(x->rt.cpu(), 0x1000);
    const RunOutcome out = x->rt.run(1'000'000);
    ASSERT_EQ(out.stop, RunStop::GuestStop) << out.message;
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 3000u);
  EXPECT_EQ(m.rt.instructionsRetired(), ref.rt.instructionsRetired());
  EXPECT_GT(m.rt.instructionsTranslated(), 2900u);
  EXPECT_GE(m.stat("cms.translations.gear2"), 2.0);
  EXPECT_GT(m.translator.calls, 0u);
}

TEST(RuntimeTranslate, ThresholdDelaysTranslation) {
  Machine m(translating(50));
  load(m, 0x1000, kLoop);
  flatProtectedModeAt(m.rt.cpu(), 0x1000);
  ASSERT_EQ(m.rt.run(1'000'000).stop, RunStop::GuestStop);
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 3000u);
  // The loop body ran 50 times in gear 1 before gear 2 took it.
  EXPECT_GE(m.rt.instructionsInterpreted(), 150u);
  EXPECT_LT(m.rt.instructionsInterpreted(), 200u);
}

TEST(RuntimeTranslate, HotLoopIsPromotedToGear3AndChained) {
  RuntimeConfig c = translating(0);
  c.hotThreshold = 10;
  Machine m(c);
  load(m, 0x1000, kLoop);
  flatProtectedModeAt(m.rt.cpu(), 0x1000);
  ASSERT_EQ(m.rt.run(1'000'000).stop, RunStop::GuestStop);
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 3000u);
  EXPECT_GE(m.stat("cms.translations.gear3"), 1.0);
  EXPECT_GE(m.stat("cms.chains"), 1.0);
  // ~10 iterations through the lookup table until the promotion, the rest chained: the
  // gear-3 trace is the loop body (add, dec, jnz) unrolled eight times (the CMS's
  // kLoopCopies), its last back edge chained to itself, so one chain hit per eight
  // iterations.
  EXPECT_GE(m.stat("cms.lookup_hits"), 9.0);
  EXPECT_GT(m.stat("cms.chain_hits"), 110.0);
  EXPECT_LT(m.stat("cms.chain_hits"), 130.0);
  ASSERT_EQ(m.translator.lastRegion.size(), 24u);
  for (size_t i = 0; i < 24; ++i) EXPECT_EQ(m.translator.lastRegion[i].eip, m.translator.lastRegion[i % 3].eip) << i;
  for (size_t i = 2; i < 24; i += 3) EXPECT_TRUE(m.translator.lastRegion[i].followTaken) << i;
}

// Gear 3 with the real translator: a loop traced from its head is unrolled (whole copies
// of the body), the back edges followed, the final one chained to the trace itself.
struct UnrollCase {
  std::vector<uint8_t> code;
  uint32_t storeBufferEntries;
  double iterationsPerChainHit;
};

void runUnrollCase(const UnrollCase& u) {
  RuntimeConfig c = translating(0);
  c.hotThreshold = 10;
  c.storeBufferEntries = u.storeBufferEntries;
  Machine ref(interpreting());
  Machine m(c, true);
  for (Machine* x : {&ref, &m}) {
    load(*x, 0x1000, u.code);
    flatProtectedModeAt(x->rt.cpu(), 0x1000);
    x->rt.cpu().gpr[kECX] = 1000;
    x->rt.cpu().gpr[kEBX] = 0x8000;
    const RunOutcome out = x->rt.run(1'000'000);
    ASSERT_EQ(out.stop, RunStop::GuestStop) << out.message;
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.instructionsRetired(), ref.rt.instructionsRetired());
  EXPECT_EQ(0, std::memcmp(m.platform->memory().data() + 0x8000, ref.platform->memory().data() + 0x8000, 16));
  EXPECT_GE(m.stat("cms.translations.gear3"), 1.0);
  const double expected = 1000.0 / u.iterationsPerChainHit;
  EXPECT_GT(m.stat("cms.chain_hits"), expected - 10.0);
  EXPECT_LT(m.stat("cms.chain_hits"), expected + 3.0);
}

TEST(RuntimeTranslate, Gear3UnrollsALoopEightTimesAndChainsItToItself) {
  if (!defaultRegionTranslator()) GTEST_SKIP() << "this build has no translator library";
  runUnrollCase({kLoop, 32, 8.0});
}

TEST(RuntimeTranslate, Gear3FollowsADirectJumpBackToTheLoopHead) {
  if (!defaultRegionTranslator()) GTEST_SKIP() << "this build has no translator library";
  // L: add eax,3 ; dec ecx ; jz out ; jmp L ; out: out F4h,al
  runUnrollCase({{0x83, 0xC0, 0x03, 0x49, 0x74, 0x02, 0xEB, 0xF8, 0xE6, 0xF4}, 32, 8.0});
}

TEST(RuntimeTranslate, Gear3UnrollsOnlyAsManyCopiesAsTheStoreBoundAllows) {
  if (!defaultRegionTranslator()) GTEST_SKIP() << "this build has no translator library";
  // L: mov [ebx],eax ; add eax,3 ; dec ecx ; jnz L ; out F4h,al — a 4-byte store counts
  // two entries: with 4, two copies fit (not a translation cut in the middle of a copy).
  runUnrollCase({{0x89, 0x03, 0x83, 0xC0, 0x03, 0x49, 0x75, 0xF8, 0xE6, 0xF4}, 4, 2.0});
}

}  // namespace
}  // namespace codemorph::cms::test

namespace codemorph::cms::test {
namespace {

TEST(RuntimeTranslate, MmioPageIsAccessedThroughThePlatformInProgramOrder) {
  // L: mov eax,[50000h] ; add edx,eax ; mov [50004h],edx ; dec ecx ; jnz L ; out F4h,al
  // with ecx = 100 and 50000h a device page: every read and write reaches the device (the
  // translated loop after an IO_SPACE rollback as an I/O-safe retranslation).
  if (!defaultRegionTranslator()) GTEST_SKIP() << "this build has no translator library";
  const std::vector<uint8_t> code = {0xB9, 0x64, 0, 0, 0, 0xA1, 0x00, 0x00, 0x05, 0x00, 0x01, 0xC2,
                                     0x89, 0x15, 0x04, 0x00, 0x05, 0x00, 0x49, 0x75, 0xF0, 0xE6, 0xF4};
  Machine ref(interpreting());
  Machine m(translating(0), true);
  m.rt.setPhysicalIo(TestPlatform::kDevicePage, 0x1000, true);
  for (Machine* x : {&ref, &m}) {
    x->platform->enableDevicePage();
    x->platform->device[0] = 7;
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, code);
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  EXPECT_EQ(ref.rt.cpu().gpr[kEDX], 700u);
  EXPECT_EQ(m.rt.cpu().gpr[kEDX], 700u);
  EXPECT_EQ(0, std::memcmp(m.platform->device, ref.platform->device, sizeof ref.platform->device));
  EXPECT_EQ(m.platform->device[4] | (m.platform->device[5] << 8), 700);
  EXPECT_GE(m.platform->deviceReads, 100u);  // the interpreter reads byte by byte
  EXPECT_GE(m.platform->deviceWrites, 100u);
  EXPECT_GT(m.rt.instructionsTranslated(), 200u);  // the loop runs translated, I/O-safe
  EXPECT_GE(m.stat("cms.rollbacks.io-space"), 1.0);
}

TEST(RuntimeTranslate, InvalidatePhysicalDropsCodeWrittenBehindTheCmsBack) {
  // L: inc eax ; jmp L — translated; then the host (a DMA) rewrites INC EAX into INC EDX.
  Machine m(translating(0));
  setupProtectedMode(m, 0x1000);
  load(m, 0x1000, {0x40, 0xEB, 0xFD});
  ASSERT_EQ(m.rt.run(1000).stop, RunStop::Limit);
  EXPECT_GT(m.rt.cpu().gpr[kEAX], 400u);
  const uint32_t eax = m.rt.cpu().gpr[kEAX];
  m.platform->memory()[0x1000] = 0x42;
  m.rt.invalidatePhysical(0x1000, 1);
  ASSERT_EQ(m.rt.run(2000).stop, RunStop::Limit);
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], eax);
  EXPECT_GT(m.rt.cpu().gpr[kEDX], 400u);
  EXPECT_GE(m.stat("cms.invalidations"), 1.0);
}

TEST(RuntimeTranslate, StateChangedBetweenRunsIsWhatTheCoreContinuesWith) {
  Machine m(translating(0));
  setupProtectedMode(m, 0x1000);
  load(m, 0x1000, {0x40, 0xEB, 0xFD});  // L: inc eax ; jmp L
  load(m, 0x2000, {0x42, 0xEB, 0xFD});  // L: inc edx ; jmp L
  ASSERT_EQ(m.rt.run(100).stop, RunStop::Limit);
  m.rt.cpu().eip = 0x2000;
  m.rt.cpu().gpr[kEAX] = 0;
  ASSERT_EQ(m.rt.run(200).stop, RunStop::Limit);
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 0u);
  EXPECT_GT(m.rt.cpu().gpr[kEDX], 40u);
}

TEST(RuntimeTranslate, ResetRequestReturnsToTheResetVector) {
  Machine m(translating(0));
  setupProtectedMode(m, 0x1000);
  // mov dx,0CF9h (66 BA F9 0C) ; out dx,al — the ROM at FFFFFFF0: mov al,7 ; out F4h,al
  load(m, 0x1000, {0x66, 0xBA, 0xF9, 0x0C, 0xEE});
  const uint8_t rom[] = {0xB0, 0x07, 0xE6, 0xF4};
  std::memcpy(m.platform->rom, rom, sizeof rom);
  EXPECT_EQ(m.rt.run(1'000'000).stop, RunStop::GuestStop);
  EXPECT_EQ(m.platform->exitValue, 7u);
  EXPECT_EQ(m.rt.cpu().seg[kCS].selector, 0xF000);
}

}  // namespace
}  // namespace codemorph::cms::test

namespace codemorph::cms::test {
namespace {

TEST(RuntimeTranslate, TimerProgrammedByTranslatedMmioInterruptsOnTheSameInstruction) {
  // sti ; mov ecx,200 ; L: inc eax ; mov esi,[ecx*4+3000h] ; mov edx,37 ;
  // mov [esi+50000h],edx ; dec ecx ; jnz L ; out F4h,al — vector 20h: mov ebx,eax ;
  // out F4h,al. Every iteration stores to the device, at the offset the table at 3000h
  // gives: a harmless register (10h), except for ecx = 100 the timer register (8): an event
  // 37 instructions later. The store runs translated (I/O-safe after the first IO_SPACE
  // rollback) and nothing was scheduled before, so the budget the CMS last gave is the whole
  // run: the CMS must still see the new event on time (the budget shift after a core I/O
  // access).
  if (!defaultRegionTranslator()) GTEST_SKIP() << "this build has no translator library";
  const std::vector<uint8_t> code = {0xFB, 0xB9, 0xC8, 0, 0, 0, 0x40, 0x8B, 0x34, 0x8D, 0x00, 0x30, 0x00, 0x00,
                                     0xBA, 0x25, 0, 0, 0, 0x89, 0x96, 0x00, 0x00, 0x05, 0x00,
                                     0x49, 0x75, 0xEA, 0xE6, 0xF4};
  std::vector<uint8_t> table(201 * 4, 0);
  for (uint32_t i = 0; i <= 200; ++i) table[i * 4] = i == 100 ? 8 : 0x10;
  Machine ref(interpreting());
  Machine m(translating(0), true);
  m.rt.setPhysicalIo(TestPlatform::kDevicePage, 0x1000, true);
  for (Machine* x : {&ref, &m}) {
    x->platform->enableDevicePage();
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, code);
    load(*x, 0x3000, table);
    load(*x, 0x2000, {0x89, 0xC3, 0xE6, 0xF4});
    setGate(*x, 0x20, 0x2000);
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  ASSERT_EQ(ref.platform->firedAt.size(), 1u);
  EXPECT_EQ(ref.platform->firedAt, m.platform->firedAt);
  EXPECT_EQ(ref.rt.cpu().gpr[kEBX], m.rt.cpu().gpr[kEBX]);
  EXPECT_EQ(ref.rt.cpu().gpr[kECX], m.rt.cpu().gpr[kECX]);
  EXPECT_EQ(ref.rt.instructionsRetired(), m.rt.instructionsRetired());
  EXPECT_GT(ref.rt.cpu().gpr[kEBX], 100u);
  EXPECT_LT(ref.rt.cpu().gpr[kEBX], 120u);
  EXPECT_GT(m.rt.instructionsTranslated(), 300u);
}

}  // namespace
}  // namespace codemorph::cms::test

namespace codemorph::cms::test {
namespace {

TEST(RuntimeTranslate, FullTranslationCacheIsFlushedAndRefilled) {
  // 16000 blocks "inc eax ; jmp next" (about 72 bytes of translation each) run twice with
  // a 1 MiB reserved region (768 KiB of translation cache): the cache fills up, is
  // flushed, and translation goes on.
  RuntimeConfig c = translating(0);
  c.reservedMiB = 1;
  Machine m(c);
  setupProtectedMode(m, 0x10000);
  std::vector<uint8_t> code = {0xB9, 2, 0, 0, 0};  // 10000: mov ecx,2
  const uint32_t top = 0x10000 + static_cast<uint32_t>(code.size());
  for (int i = 0; i < 16000; ++i) code.insert(code.end(), {0x40, 0xEB, 0x00});  // inc eax ; jmp $+2
  const uint32_t dec = 0x10000 + static_cast<uint32_t>(code.size());
  code.insert(code.end(), {0x49, 0x0F, 0x85});  // dec ecx ; jnz top (rel32)
  const uint32_t rel = top - (dec + 7);
  for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>(rel >> (8 * i)));
  code.insert(code.end(), {0xE6, 0xF4});
  load(m, 0x10000, code);
  ASSERT_EQ(m.rt.run(10'000'000).stop, RunStop::GuestStop);
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 32000u);
  EXPECT_GE(m.stat("cms.cache_flushes"), 2.0);
  EXPECT_GT(m.rt.instructionsTranslated(), 60000u);
  EXPECT_LE(m.stat("cms.tcache_bytes"), 768.0 * 1024);
}

}  // namespace
}  // namespace codemorph::cms::test
