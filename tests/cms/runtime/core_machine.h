// Test helper: the CMS runtime on the reference ISS with the mini translator, next to the
// same program on the interpreter alone, for equivalence checks. Guest RAM is the first
// 8 MiB of the core's 32 MiB; the CMS-reserved region is the top 16 MiB.
#pragma once
#include <codemorph/cms/region_translator.h>
#include <codemorph/cms/runtime.h>
#include <codemorph/hostisa/iss/iss.h>
#include <codemorph/support/stats.h>

#include <cstring>
#include <functional>
#include <vector>
#include <memory>

#include "mini_translator.h"
#include "test_platform.h"

namespace codemorph::cms::test {

inline constexpr size_t kGuestRam = 8u << 20;

inline hostisa::iss::IssConfig issConfig() {
  hostisa::iss::IssConfig c;
  c.memBytes = 32u << 20;
  return c;
}

// One machine: translate = false runs the interpreter alone on its own RAM. With
// realTranslator the translations come from translator/ (defaultRegionTranslator()),
// else from the mini translator.
struct Machine {
  explicit Machine(const RuntimeConfig& config, bool realTranslator = false)
      : core(config.translate ? std::make_unique<hostisa::iss::Iss>(issConfig()) : nullptr),
        platform(config.translate ? std::make_unique<TestPlatform>(core->directMemory().first(kGuestRam))
                                  : std::make_unique<TestPlatform>(kGuestRam)),
        rt(config, core.get(), *platform, defaultCpuModel(),
           realTranslator ? defaultRegionTranslator() : &translator) {
    rt.registerStats(stats);
  }
  double stat(const char* name) const { return stats.value(name); }

  std::unique_ptr<hostisa::iss::Iss> core;
  std::unique_ptr<TestPlatform> platform;
  MiniTranslator translator;
  Runtime rt;
  support::StatsRegistry stats;
};

inline RuntimeConfig translating(uint32_t threshold = 0, ClockMode clock = ClockMode::Instructions) {
  RuntimeConfig c;
  c.threshold = threshold;
  c.clock = clock;
  return c;
}
inline RuntimeConfig interpreting(ClockMode clock = ClockMode::Instructions) {
  RuntimeConfig c;
  c.translate = false;
  c.clock = clock;
  return c;
}

}  // namespace codemorph::cms::test

namespace codemorph::cms::test {

// Flat protected mode with a GDT at 0x4000 (08h code, 10h data) and an IDT at 0x4100 whose
// gates (32-bit interrupt gates) the test sets with setGate.
inline void setupProtectedMode(Machine& m, uint32_t eip) {
  auto ram = m.platform->memory();
  const uint64_t gdt[3] = {0, 0x00CF9B000000FFFFull, 0x00CF93000000FFFFull};
  std::memcpy(ram.data() + 0x4000, gdt, sizeof gdt);
  CpuState& s = m.rt.cpu();
  flatProtectedModeAt(s, eip);
  s.gdtr = TableRegister{0x4000, 23};
  s.idtr = TableRegister{0x4100, 0x7FF};
}
inline void setGate(Machine& m, uint8_t vector, uint32_t handler) {
  const uint32_t gate[2] = {(0x08u << 16) | (handler & 0xFFFF), (handler & 0xFFFF0000u) | 0x8E00u};
  std::memcpy(m.platform->memory().data() + 0x4100 + vector * 8u, gate, 8);
}
inline void load(Machine& m, uint32_t address, const std::vector<uint8_t>& bytes) {
  std::memcpy(m.platform->memory().data() + address, bytes.data(), bytes.size());
}

}  // namespace codemorph::cms::test
