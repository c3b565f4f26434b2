// Randomized multi-block programs (issue 4 item 7): loops, forward branches, calls, an
// indirect jump, translatable and interpreted instructions mixed, #GP faults in the
// middle of regions (the handler skips the instruction), and a periodic timer interrupt
// in instruction time. Each program ends in the same state interpreted and translated
// (threshold 0: everything that can be is translated at once; hot threshold low enough
// that gear 3 and chaining take part).
#include <gtest/gtest.h>

#include <random>

#include "core_machine.h"

namespace codemorph::cms::test {
namespace {

constexpr uint32_t kCode = 0x1000, kData = 0x20000, kGpHandler = 0x3000, kTimerHandler = 0x3100;
// Destinations of random instructions (ECX counts the loop, ESP/EBP are the stack and
// data base, EDI holds indirect-jump targets).
constexpr uint8_t kRegs[] = {0 /*EAX*/, 2 /*EDX*/, 3 /*EBX*/, 6 /*ESI*/};

class ProgramGenerator {
 public:
  explicit ProgramGenerator(uint32_t seed) : rng_(seed) {}

  std::vector<uint8_t> generate() {
    emit({0xBD}); imm32(kData);       // mov ebp, data
    emit({0xB9}); imm32(pick(20, 60));  // mov ecx, iterations
    emit({0xFB});                     // sti
    const uint32_t top = here();
    const unsigned blocks = pick(3, 6);
    for (unsigned b = 0; b < blocks; ++b) block(pick(2, 8));
    emit({0x49});                     // dec ecx
    const uint32_t jnz = here();
    emit({0x0F, 0x85}); imm32(top - (jnz + 6));
    emit({0xE6, 0xF4});               // out F4h,al
    for (auto& [site, index] : calls_) {
      const uint32_t target = here();
      patch32(site, target - (kCode + site + 4));
      for (unsigned i = 0, n = pick(1, 5); i < n; ++i) insn(false);
      emit({0xC3});
      (void)index;
    }
    return code_;
  }

 private:
  unsigned pick(unsigned lo, unsigned hi) { return std::uniform_int_distribution<unsigned>(lo, hi)(rng_); }
  uint8_t reg() { return kRegs[pick(0, 3)]; }
  uint32_t here() const { return kCode + static_cast<uint32_t>(code_.size()); }
  void emit(std::initializer_list<uint8_t> b) { code_.insert(code_.end(), b); }
  void imm32(uint32_t v) { for (int i = 0; i < 4; ++i) code_.push_back(static_cast<uint8_t>(v >> (8 * i))); }
  void patch32(size_t at, uint32_t v) { for (int i = 0; i < 4; ++i) code_[at + i] = static_cast<uint8_t>(v >> (8 * i)); }

  void block(unsigned n) {
    for (unsigned i = 0; i < n; ++i) insn(true);
    switch (pick(0, 3)) {
      case 0: {  // cmp r, imm ; jcc over a few instructions
        emit({0x81, static_cast<uint8_t>(0xF8 + reg())}); imm32(pick(0, 0xFFFF));
        const size_t at = code_.size();
        emit({static_cast<uint8_t>(0x70 + pick(0, 15)), 0});
        for (unsigned k = 0, m = pick(1, 4); k < m; ++k) insn(false);
        code_[at + 1] = static_cast<uint8_t>(code_.size() - (at + 2));
        break;
      }
      case 1:  // call a subroutine (placed after the program)
        emit({0xE8});
        calls_.emplace_back(code_.size(), calls_.size());
        imm32(0);
        break;
      case 2: {  // indirect jump to the next instruction: mov edi, next ; jmp edi
        const uint32_t next = here() + 5 + 2;
        emit({0xBF}); imm32(next);
        emit({0xFF, 0xE7});
        break;
      }
      default: break;
    }
  }

  void insn(bool mayFault) {
    const uint8_t d = reg(), s = reg();
    switch (pick(0, mayFault ? 13 : 12)) {
      case 0: emit({0x81, static_cast<uint8_t>(0xC0 + d)}); imm32(pick(0, 0xFFFFFF)); break;  // add
      case 1: emit({0x81, static_cast<uint8_t>(0xE8 + d)}); imm32(pick(0, 0xFFFF)); break;    // sub
      case 2: emit({0x81, static_cast<uint8_t>(0xF0 + d)}); imm32(pick(0, 0xFFFFFFFF)); break;  // xor
      case 3: emit({0x01, static_cast<uint8_t>(0xC0 + s * 8 + d)}); break;                  // add d, s
      case 4: emit({static_cast<uint8_t>(0x40 + d)}); break;                                // inc
      case 5: emit({static_cast<uint8_t>(0x48 + d)}); break;                                // dec
      case 6: emit({0x8B, static_cast<uint8_t>(0x05 + d * 8)}); imm32(kData + pick(0, 0x3F) * 4); break;  // mov d,[x]
      case 7: emit({0x89, static_cast<uint8_t>(0x05 + s * 8)}); imm32(kData + pick(0, 0x3F) * 4); break;  // mov [x],s
      case 8: emit({static_cast<uint8_t>(0x50 + s), static_cast<uint8_t>(0x58 + d)}); break;  // push s ; pop d
      case 9: emit({0xD1, static_cast<uint8_t>(0xE0 + d)}); break;                          // shl d,1
      case 10: emit({0xF7, static_cast<uint8_t>(0xD8 + d)}); break;                         // neg d
      case 11: emit({0x9C, 0x9D}); break;                                                   // pushfd ; popfd
      case 12: emit({0x87, static_cast<uint8_t>(0xC0 + s * 8 + d)}); break;                 // xchg
      default: emit({0x8B, static_cast<uint8_t>(0x05 + d * 8)}); imm32(0x50000); break;    // #GP: beyond DS limit
    }
  }

  std::mt19937 rng_;
  std::vector<uint8_t> code_;
  std::vector<std::pair<size_t, size_t>> calls_;
};

void setup(Machine& m, const std::vector<uint8_t>& code, uint64_t period) {
  setupProtectedMode(m, kCode);
  m.rt.cpu().seg[kDS].limit = 0x3FFFF;
  load(m, kCode, code);
  // #GP: count in [ebp+FF0h], skip the 6-byte load, drop the error code, return.
  load(m, kGpHandler, {0xFF, 0x85, 0xF0, 0x0F, 0x00, 0x00, 0x83, 0x44, 0x24, 0x04, 0x06, 0x83, 0xC4, 0x04, 0xCF});
  // Timer: count in [ebp+FF4h] and return.
  load(m, kTimerHandler, {0xFF, 0x85, 0xF4, 0x0F, 0x00, 0x00, 0xCF});
  setGate(m, 13, kGpHandler);
  setGate(m, 0x20, kTimerHandler);
  m.platform->eventAt = period;
  m.platform->period = period;
}

class RuntimeRandomPrograms : public ::testing::TestWithParam<bool> {};

TEST_P(RuntimeRandomPrograms, InterpretedAndTranslatedRunsEndIdentical) {
  const bool realTranslator = GetParam();
  if (realTranslator && !defaultRegionTranslator()) GTEST_SKIP() << "this build has no translator library";
  uint64_t translated = 0, faults = 0, interrupts = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    const std::vector<uint8_t> code = ProgramGenerator(seed).generate();
    const uint64_t period = 50 + seed * 7;
    Machine ref(interpreting());
    RuntimeConfig c = translating(0);
    c.hotThreshold = 8;
    Machine m(c, realTranslator);
    setup(ref, code, period);
    setup(m, code, period);
    const RunOutcome a = ref.rt.run(5'000'000), b = m.rt.run(5'000'000);
    ASSERT_EQ(a.stop, RunStop::GuestStop) << "seed " << seed << ": " << a.message;
    ASSERT_EQ(b.stop, RunStop::GuestStop) << "seed " << seed << ": " << b.message;
    const CpuState &x = ref.rt.cpu(), &y = m.rt.cpu();
    for (unsigned i = 0; i < 8; ++i) ASSERT_EQ(x.gpr[i], y.gpr[i]) << "seed " << seed << " gpr " << i;
    ASSERT_EQ(x.eflags, y.eflags) << "seed " << seed;
    ASSERT_EQ(x.eip, y.eip) << "seed " << seed;
    ASSERT_EQ(ref.rt.instructionsRetired(), m.rt.instructionsRetired()) << "seed " << seed;
    ASSERT_EQ(0, std::memcmp(ref.platform->memory().data() + kData, m.platform->memory().data() + kData, 0x1000))
        << "seed " << seed;
    ASSERT_EQ(0, std::memcmp(ref.platform->memory().data() + 0x7F000, m.platform->memory().data() + 0x7F000, 0x1000))
        << "seed " << seed << " (stack)";
    translated += m.rt.instructionsTranslated();
    faults += static_cast<uint64_t>(m.stat("cms.rollbacks.segment"));
    interrupts += static_cast<uint64_t>(m.stat("cms.interrupts"));
  }
  // The programs really exercised translation, faults in regions and interrupts.
  EXPECT_GT(translated, 10000u);
  EXPECT_GT(faults, 10u);
  EXPECT_GT(interrupts, 100u);
}

INSTANTIATE_TEST_SUITE_P(Translators, RuntimeRandomPrograms, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "Real" : "Mini"; });

}  // namespace
}  // namespace codemorph::cms::test
