// Self-modifying code on the translating runtime (docs/cms-runtime.md 6): a store into
// translated code (T-bits on the core, the StoreObserver in the interpreter) invalidates
// exactly the translations of that granule; code rewritten again and again ends up
// interpreted; data written next to hot code in the same page does not thrash.
#include <gtest/gtest.h>

#include "core_machine.h"

namespace codemorph::cms::test {
namespace {

void expectSameState(const CpuState& a, const CpuState& b) {
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(a.gpr[i], b.gpr[i]) << "gpr " << i;
  EXPECT_EQ(a.eip, b.eip);
  EXPECT_EQ(a.eflags, b.eflags);
}

TEST(RuntimeSmc, PatchingTheNextInstructionsImmediate) {
  // 1000: mov ecx,100
  // 1005: mov [101Fh+1],ecx      ; patches the imm32 of the MOV below (same block)
  // 100B: 20 x nop
  // 101F: mov eax,0              ; imm32 rewritten every iteration
  // 1024: add edx,eax ; dec ecx ; jnz 1005 ; out F4h,al
  std::vector<uint8_t> code = {0xB9, 0x64, 0x00, 0x00, 0x00, 0x89, 0x0D, 0x20, 0x10, 0x00, 0x00};
  code.insert(code.end(), 20, 0x90);
  const std::vector<uint8_t> tail = {0xB8, 0, 0, 0, 0, 0x01, 0xC2, 0x49, 0x75, 0xDC, 0xE6, 0xF4};
  code.insert(code.end(), tail.begin(), tail.end());
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, code);
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().gpr[kEDX], 5050u);
  EXPECT_GE(m.stat("cms.tbit_faults") + m.stat("cms.invalidations"), 1.0);
  // Rewritten every iteration: after a few invalidations the entry stays interpreted.
  EXPECT_LE(m.stat("cms.invalidations"), 10.0);
  EXPECT_GE(m.stat("cms.interpret_only"), 1.0);
}

TEST(RuntimeSmc, CodeCopiedThenJumpedTo) {
  // Ten times: write "inc esi ; jmp back1" to 6000h and jump there, then write
  // "inc edi ; jmp back2" over it and jump there again. Every copy overwrites code that
  // was translated (threshold 0).
  auto rel = [](uint32_t from, uint32_t to) { return to - from; };
  std::vector<uint8_t> p;
  auto emit = [&](std::initializer_list<uint8_t> b) { p.insert(p.end(), b); };
  auto imm32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) p.push_back(static_cast<uint8_t>(v >> (8 * i))); };
  emit({0xB9, 10, 0, 0, 0});  // mov ecx,10
  const uint32_t top = 0x1000 + static_cast<uint32_t>(p.size());
  // copy A: bytes 46 E9 r0 r1 | r2 r3 (jmp rel32 from 6006h to back1)
  const uint32_t back1Patch = static_cast<uint32_t>(p.size());
  emit({0xBA}); imm32(0);                       // mov edx, A0 (patched below)
  emit({0x89, 0x15}); imm32(0x6000);            // mov [6000h],edx
  emit({0xBA}); imm32(0);                       // mov edx, A1
  emit({0x89, 0x15}); imm32(0x6004);            // mov [6004h],edx
  const uint32_t jmp1 = 0x1000 + static_cast<uint32_t>(p.size());
  emit({0xE9}); imm32(rel(jmp1 + 5, 0x6000));   // jmp 6000h
  const uint32_t back1 = 0x1000 + static_cast<uint32_t>(p.size());
  const uint32_t back2Patch = static_cast<uint32_t>(p.size());
  emit({0xBA}); imm32(0);                       // mov edx, B0
  emit({0x89, 0x15}); imm32(0x6000);
  emit({0xBA}); imm32(0);                       // mov edx, B1
  emit({0x89, 0x15}); imm32(0x6004);
  const uint32_t jmp2 = 0x1000 + static_cast<uint32_t>(p.size());
  emit({0xE9}); imm32(rel(jmp2 + 5, 0x6000));
  const uint32_t back2 = 0x1000 + static_cast<uint32_t>(p.size());
  emit({0x49});                                  // dec ecx
  const uint32_t jnz = 0x1000 + static_cast<uint32_t>(p.size());
  emit({0x0F, 0x85}); imm32(rel(jnz + 6, top));  // jnz top
  emit({0xE6, 0xF4});
  auto code = [&](uint8_t op, uint32_t back) {
    const uint32_t r = rel(0x6006, back);
    return std::pair<uint32_t, uint32_t>{op | 0xE900u | ((r & 0xFFFFu) << 16), (r >> 16) | 0x90900000u};
  };
  auto put = [&](uint32_t at, uint32_t v) { for (int i = 0; i < 4; ++i) p[at + 1 + i] = static_cast<uint8_t>(v >> (8 * i)); };
  const auto a = code(0x46, back1), b = code(0x47, back2);
  put(back1Patch, a.first);
  put(back1Patch + 11, a.second);
  put(back2Patch, b.first);
  put(back2Patch + 11, b.second);
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, p);
    ASSERT_EQ(x->rt.run(1'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().gpr[kESI], 10u);
  EXPECT_EQ(m.rt.cpu().gpr[kEDI], 10u);
  EXPECT_GE(m.stat("cms.invalidations"), 2.0);
  EXPECT_GE(m.stat("cms.tbit_faults"), 1.0);  // translated stores into translated code
}

TEST(RuntimeSmc, DataNextToHotCodeDoesNotThrash) {
  // mov ecx,5000 ; L: mov [1F00h],ecx ; add [?]... ; dec ecx ; jnz L — the store goes to
  // the code's page, 3.8 KiB away from the code (another T-bit granule).
  Machine m(translating(0));
  setupProtectedMode(m, 0x1000);
  load(m, 0x1000, {0xB9, 0x88, 0x13, 0x00, 0x00, 0x89, 0x0D, 0x00, 0x1F, 0x00, 0x00, 0x49, 0x75, 0xF7, 0xE6, 0xF4});
  ASSERT_EQ(m.rt.run(10'000'000).stop, RunStop::GuestStop);
  uint32_t last;
  std::memcpy(&last, m.platform->memory().data() + 0x1F00, 4);
  EXPECT_EQ(last, 1u);
  EXPECT_EQ(m.stat("cms.tbit_faults"), 0.0);
  EXPECT_LE(m.stat("cms.invalidations"), 2.0);
  EXPECT_GT(m.rt.instructionsTranslated(), 14000u);
}

TEST(RuntimeSmc, DataInTheSameGranuleAsCodeGetsASelfCheckingTranslation) {
  // 1000: mov ecx,3000 ; L: mov [6040h],ecx ; jmp 6000h ; back: dec ecx ; jnz L ; out
  // 6000: inc esi ; jmp back      — the store hits the granule (128 bytes) of 6000h's code
  // every iteration. After a few T-bit invalidations 6000h gets a self-checking
  // translation (no T-bits): the stores stop faulting and both parts stay translated.
  std::vector<uint8_t> main = {0xB9, 0xB8, 0x0B, 0x00, 0x00, 0x89, 0x0D, 0x40, 0x60, 0x00, 0x00, 0xE9};
  const uint32_t jmpEnd = 0x1000 + 12 + 4;
  for (int i = 0; i < 4; ++i) main.push_back(static_cast<uint8_t>((0x6000 - jmpEnd) >> (8 * i)));
  const uint32_t back = jmpEnd;
  main.insert(main.end(), {0x49, 0x75, static_cast<uint8_t>(0x1005 - (back + 3)), 0xE6, 0xF4});  // dec ecx ; jnz 1005h ; out
  std::vector<uint8_t> target = {0x46, 0xE9};
  for (int i = 0; i < 4; ++i) target.push_back(static_cast<uint8_t>((back - 0x6006) >> (8 * i)));
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, main);
    load(*x, 0x6000, target);
    ASSERT_EQ(x->rt.run(10'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_EQ(m.rt.cpu().gpr[kESI], 3000u);
  EXPECT_GE(m.stat("cms.translations.self_checking"), 1.0);
  EXPECT_LE(m.stat("cms.tbit_faults"), 4.0);
  EXPECT_EQ(m.stat("cms.self_check_misses"), 0.0);
  EXPECT_GT(m.rt.instructionsTranslated(), 14000u);  // 5 per iteration, nearly all translated
}

TEST(RuntimeSmc, SelfCheckingTranslationNoticesRewrittenCode) {
  // As above, but every 500 iterations the loop rewrites 6000h's INC ESI into INC EDI and
  // back (xor byte [6000h],1 is interpreted; the self-checking translation must notice).
  //   1000: mov ecx,3000
  //   1005: mov [6040h],ecx
  //   100B: test ecx,1FFh ; jnz skip ; xor byte [6000h],1   (81 F9? no: F7 C1 imm32 ; 75 07 ; 80 35 00 60 00 00 01)
  //   skip: jmp 6000h ; back: dec ecx ; jnz 1005h ; out F4h,al
  std::vector<uint8_t> p = {0xB9, 0xB8, 0x0B, 0x00, 0x00, 0x89, 0x0D, 0x40, 0x60, 0x00, 0x00,
                            0xF7, 0xC1, 0xFF, 0x01, 0x00, 0x00, 0x75, 0x07, 0x80, 0x35, 0x00, 0x60, 0x00, 0x00, 0x01,
                            0xE9};
  const uint32_t jmpEnd = 0x1000 + static_cast<uint32_t>(p.size()) + 4;
  for (int i = 0; i < 4; ++i) p.push_back(static_cast<uint8_t>((0x6000 - jmpEnd) >> (8 * i)));
  const uint32_t back = jmpEnd;
  const uint8_t rel = static_cast<uint8_t>(0x1005 - (back + 3));
  p.insert(p.end(), {0x49, 0x75, rel, 0xE6, 0xF4});
  std::vector<uint8_t> target = {0x46, 0xE9};
  for (int i = 0; i < 4; ++i) target.push_back(static_cast<uint8_t>((back - 0x6006) >> (8 * i)));
  Machine ref(interpreting());
  Machine m(translating(0));
  for (Machine* x : {&ref, &m}) {
    setupProtectedMode(*x, 0x1000);
    load(*x, 0x1000, p);
    load(*x, 0x6000, target);
    ASSERT_EQ(x->rt.run(10'000'000).stop, RunStop::GuestStop);
  }
  expectSameState(ref.rt.cpu(), m.rt.cpu());
  EXPECT_GT(m.rt.cpu().gpr[kEDI], 0u);
  EXPECT_GT(m.rt.cpu().gpr[kESI], 0u);
  EXPECT_GE(m.stat("cms.translations.self_checking"), 2.0);
  EXPECT_GE(m.stat("cms.self_check_misses"), 1.0);
}

}  // namespace
}  // namespace codemorph::cms::test
