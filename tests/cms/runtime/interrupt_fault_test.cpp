// Interpreted and translated runs agree on interrupts in instruction time (same
// instruction), on precise x86 exceptions raised inside a translated region (rollback and
// re-execution), and on paging: host-TLB fills with A/D bits and precise #PF.
#include <gtest/gtest.h>

#include "core_machine.h"

namespace codemorph::cms::test {
namespace {

void expectSameState(const CpuState& a, const CpuState& b) {
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(a.gpr[i], b.gpr[i]) << "gpr " << i;
  EXPECT_EQ(a.eip, b.eip);
  EXPECT_EQ(a.eflags, b.eflags);
  EXPECT_EQ(a.cr[2], b.cr[2]);
}

// sti ; L: inc eax ; inc edx ; jmp L   — vector 20h: mov ebx,eax ; out F4h,al
void loadTimerProgram(Machine& m) {
  setupProtectedMode(m, 0x1000);
  load(m, 0x1000, {0xFB, 0x40, 0x42, 0xEB, 0xFC});
  load(m, 0x2000, {0x89, 0xC3, 0xE6, 0xF4});
  setGate(m, 0x20, 0x2000);
}

TEST(RuntimeEquivalence, InterruptLandsOnTheSameInstructionInInstructionTime) {
  for (uint64_t at : {7ull, 100ull, 1001ull, 1002ull, 1003ull, 5000ull}) {
    Machine ref(interpreting());
    Machine m(translating(0));
    for (Machine* x : {&ref, &m}) {
      loadTimerProgram(*x);
      x->platform->eventAt = at;
      ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop) << at;
    }
    expectSameState(ref.rt.cpu(), m.rt.cpu());
    EXPECT_EQ(ref.rt.instructionsRetired(), m.rt.instructionsRetired()) << at;
    EXPECT_EQ(ref.platform->firedAt, m.platform->firedAt) << at;
    if (at > 100) {
      EXPECT_GT(m.rt.instructionsTranslated(), at / 2) << at;
    }
  }
}

TEST(RuntimeEquivalence, PeriodicInterruptsDuringATranslatedLoop) {
  // L: inc eax ; dec ecx ; jnz L ; out F4h,al  with a timer every 37 instructions whose
  // handler counts in edi (inc edi ; iretd).
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, {0xB9, 0x10, 0x27, 0x00, 0x00, 0xFB, 0x40, 0x49, 0x75, 0xFC, 0xE6, 0xF4});
    load(*x, 0x2000, {0x47, 0xCF});
    setGate(*x, 0x20, 0x2000);
    x->platform->eventAt = 37;
    x->platform->period = 37;
    ASSERT_EQ(x->rt.run(10'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 10000u);
  EXPECT_GT(m.rt.cpu().gpr[kEDI], 500u);
  EXPECT_EQ(ref.rt.instructionsRetired(), m.rt.instructionsRetired());
  EXPECT_GT(m.stat("cms.interrupts"), 500.0);
}

TEST(RuntimeEquivalence, SegmentLimitFaultInsideARegionIsPrecise) {
  // DS limit 0FFFh. L: inc ecx ; inc ecx ; mov eax,[ebx] ; inc ecx ; jmp L, with ebx
  // beyond the limit: #GP(0) after exactly two INCs. Handler: mov esi,[esp] (error code)
  // ; out F4h,al.
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    x->rt.cpu().seg[kDS].limit = 0xFFF;
    x->rt.cpu().gpr[kEBX] = 0x2000;
    load(*x, 0x1000, {0x41, 0x41, 0x8B, 0x03, 0x41, 0xEB, 0xF9});
    load(*x, 0x2000, {0x8B, 0x34, 0x24, 0xE6, 0xF4});
    setGate(*x, 13, 0x2000);
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().gpr[kECX], 2u);
  EXPECT_EQ(m.rt.cpu().gpr[kESI], 0u);  // error code 0
  EXPECT_GE(m.stat("cms.rollbacks.segment"), 1.0);
}

// Identity-mapped 4 MiB page at 0 (CR4.PSE), page directory at 0x5000; nothing mapped
// above 4 MiB.
void enablePaging(Machine& m) {
  const uint32_t pde = 0x00000083;  // P RW PS
  std::memcpy(m.platform->memory().data() + 0x5000, &pde, 4);
  CpuState& s = m.rt.cpu();
  s.cr[3] = 0x5000;
  s.cr[4] = 1u << 4;
  s.cr[0] |= kCr0PG;
}

TEST(RuntimeEquivalence, PagedLoadsAndStoresFillTheHostTlbAndSetDirty) {
  // mov ecx,200 ; L: mov eax,[ebx] ; add eax,ecx ; mov [ebx],eax ; dec ecx ; jnz L ; out
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    enablePaging(*x);
    x->rt.cpu().gpr[kEBX] = 0x30000;
    load(*x, 0x1000, {0xB9, 0xC8, 0x00, 0x00, 0x00, 0x8B, 0x03, 0x01, 0xC8, 0x89, 0x03, 0x49, 0x75, 0xF7, 0xE6, 0xF4});
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  uint32_t a, b, pdeA, pdeB;
  std::memcpy(&a, ref.platform->memory().data() + 0x30000, 4);
  std::memcpy(&b, m.platform->memory().data() + 0x30000, 4);
  EXPECT_EQ(a, 20100u);
  EXPECT_EQ(a, b);
  std::memcpy(&pdeA, ref.platform->memory().data() + 0x5000, 4);
  std::memcpy(&pdeB, m.platform->memory().data() + 0x5000, 4);
  EXPECT_EQ(pdeA, pdeB);
  EXPECT_EQ(pdeB & 0x60u, 0x60u);  // accessed and dirty
  EXPECT_GE(m.stat("cms.tlb_fills"), 1.0);
}

TEST(RuntimeEquivalence, PageFaultInsideARegionIsPreciseWithCr2) {
  // inc ecx ; mov eax,[ebx] (ebx = 0x00801234, unmapped) ; inc ecx ; jmp $-5
  // #PF handler: mov esi,[esp] ; out F4h,al
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    enablePaging(*x);
    x->rt.cpu().gpr[kEBX] = 0x00801234;
    load(*x, 0x1000, {0x41, 0x8B, 0x03, 0x41, 0xEB, 0xFA});
    load(*x, 0x2000, {0x8B, 0x34, 0x24, 0xE6, 0xF4});
    setGate(*x, 14, 0x2000);
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().cr[2], 0x00801234u);
  EXPECT_EQ(m.rt.cpu().gpr[kECX], 1u);
  EXPECT_GE(m.stat("cms.rollbacks.tlb-miss"), 1.0);
}

}  // namespace
}  // namespace codemorph::cms::test

namespace codemorph::cms::test {
namespace {

TEST(RuntimeEquivalence, CycleTimeTranslatedLoopSeesTimerEventsPromptly) {
  // The periodic-timer loop in cycle time: the budget (cycles until the event / measured
  // cycles per translated instruction) brings translated code back to the CMS about when
  // each event is due. Device time never goes backwards and most events are seen within a
  // couple of thousand cycles; a late one is late because the CMS was translating (modelled
  // work: the gear-3 trace is the 3-instruction loop unrolled eight times, 24 instructions
  // at cost.translate_per_insn_gear3 each), never by a whole run.
  RuntimeConfig c = translating(0, ClockMode::Cycles);
  Machine m(c);
  setupProtectedMode(m, 0x1000);
  // mov ecx,400000 ; sti ; L: inc eax ; dec ecx ; jnz L ; out F4h,al
  load(m, 0x1000, {0xB9, 0x80, 0x1A, 0x06, 0x00, 0xFB, 0x40, 0x49, 0x75, 0xFC, 0xE6, 0xF4});
  load(m, 0x2000, {0x47, 0xCF});
  setGate(m, 0x20, 0x2000);
  m.platform->eventAt = 20'000;
  m.platform->period = 5'000;
  ASSERT_EQ(m.rt.run(100'000'000).stop, RunStop::GuestStop);
  EXPECT_EQ(m.rt.cpu().gpr[kEAX], 400000u);
  EXPECT_FALSE(m.platform->timeWentBack);
  const auto& fired = m.platform->firedAt;
  ASSERT_GT(fired.size(), 20u);
  const uint64_t gear3Trace = 24u * c.cost.translatePerInsnGear3;
  size_t prompt = 0;
  for (size_t i = 0; i < fired.size(); ++i) {
    const uint64_t late = fired[i] - m.platform->scheduledFor[i];
    EXPECT_LT(late, gear3Trace + 5'000u) << i;
    if (late < 2'000) ++prompt;
  }
  EXPECT_GE(prompt * 10, fired.size() * 8);  // at least 80 % prompt
  // Events merged on a late sync: those due while the trace was being made, and a few.
  EXPECT_GE(m.rt.cpu().gpr[kEDI] + gear3Trace / m.platform->period + 3, fired.size());
  EXPECT_GT(m.rt.instructionsTranslated(), 1'190'000u);
}

}  // namespace
}  // namespace codemorph::cms::test

namespace codemorph::cms::test {
namespace {

TEST(RuntimeEquivalence, RemappedCodePageRunsTheNewCodeAfterACr3Reload) {
  // Linear 400000h is mapped by a 4 KiB page table at 7000h to code A (phys 10000h:
  // inc esi ; jmp back); the loop jumps there 20 times (translated, chained after the hot
  // threshold), then rewrites the PTE to code B (phys 11000h: inc edi ; jmp back), reloads
  // CR3 and loops again. Lookup entries and chains are linear views: they must go.
  std::vector<uint8_t> main = {
      0xB9, 20, 0, 0, 0,                    // 1000: mov ecx,20
      0xE9, 0, 0, 0, 0,                     // 1005: L: jmp 400000h (rel patched below)
      0x49,                                 // 100A: back: dec ecx
      0x75, 0xF8,                           // 100B: jnz L
      0x43,                                 // 100D: inc ebx
      0x83, 0xFB, 0x02,                     // 100E: cmp ebx,2
      0x74, 0x18,                           // 1011: je done (102B)
      0xB8, 0x03, 0x10, 0x01, 0x00,         // 1013: mov eax,11003h
      0x89, 0x05, 0x00, 0x70, 0x00, 0x00,   // 1018: mov [7000h],eax
      0x0F, 0x20, 0xD8, 0x0F, 0x22, 0xD8,   // 101E: mov eax,cr3 ; mov cr3,eax
      0xB9, 20, 0, 0, 0,                    // 1024: mov ecx,20
      0xEB, 0xDA,                           // 1029: jmp L
      0xE6, 0xF4};                          // 102B: done: out F4h,al
  const uint32_t rel = 0x400000u - 0x100Au;
  std::memcpy(main.data() + 6, &rel, 4);
  auto code = [](uint8_t inc) {
    std::vector<uint8_t> c = {inc, 0xE9, 0, 0, 0, 0};
    const uint32_t r = 0x100Au - 0x400006u;
    std::memcpy(c.data() + 2, &r, 4);
    return c;
  };
  RuntimeConfig c = translating(0);
  c.hotThreshold = 5;
  Machine ref(interpreting());
  Machine m(c);
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    auto ram = x->platform->memory();
    const uint32_t pde0 = 0x00000083, pde1 = 0x00007003, pte = 0x00010003;
    std::memcpy(ram.data() + 0x5000, &pde0, 4);
    std::memcpy(ram.data() + 0x5004, &pde1, 4);
    std::memcpy(ram.data() + 0x7000, &pte, 4);
    CpuState& s = x->rt.cpu();
    s.cr[3] = 0x5000;
    s.cr[4] = 1u << 4;
    s.cr[0] |= kCr0PG;
    load(*x, 0x1000, main);
    load(*x, 0x10000, code(0x46));
    load(*x, 0x11000, code(0x47));
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(ref.rt.cpu().gpr[i], m.rt.cpu().gpr[i]) << i;
  EXPECT_EQ(m.rt.cpu().gpr[kESI], 20u);
  EXPECT_EQ(m.rt.cpu().gpr[kEDI], 20u);
  EXPECT_GE(m.stat("cms.chains"), 1.0);
  EXPECT_GE(m.stat("cms.unchains"), 1.0);  // the CR3 reload dropped the chains
}

}  // namespace
}  // namespace codemorph::cms::test
