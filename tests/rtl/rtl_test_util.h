// Helpers of the RTL tests: assemble a program, run it in lockstep (Cosim) on the ISS and
// the RTL, and check that they never diverge.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/rtl/cosim.h"

namespace cmrtl {

using namespace codemorph;
using hostisa::iss::CoreApi;
using hostisa::iss::IssConfig;
using hostisa::iss::StopReason;

inline constexpr uint32_t kBase = 0x1000;
inline constexpr uint32_t kRWD = hostisa::kTlbValid | hostisa::kTlbWritable | hostisa::kTlbDirtyOk;

inline IssConfig smallConfig() {
  IssConfig c;
  c.memBytes = 1u << 20;
  return c;
}

// Assembles `source` at kBase into the core's memory; returns the address of `entry`
// (kBase if there is no such label), and of every label through `symbols`.
inline uint32_t load(CoreApi& core, const std::string& source, std::vector<hostisa::AsmSymbol>* symbols = nullptr,
                     const std::string& entry = "start", unsigned maxAtoms = 4) {
  hostisa::AsmOptions opt;
  opt.baseAddress = kBase;
  opt.maxAtoms = maxAtoms;
  const hostisa::AsmResult r = hostisa::assemble(source, opt);
  EXPECT_TRUE(r.ok) << r.errorText();
  core.writeMemory(r.imageBase, r.image);
  if (symbols) *symbols = r.symbols;
  for (const auto& s : r.symbols)
    if (s.name == entry) return static_cast<uint32_t>(s.value);
  return kBase;
}

struct Outcome {
  uint64_t cycles = 0;
  uint64_t molecules = 0;
  StopReason stop = StopReason::Running;
  bool diverged = false;
};

// Runs to a stop (or the step budget) in lockstep; a divergence fails the test with the
// checker's report.
inline Outcome runLockstep(rtl::Cosim& c, uint64_t maxSteps = 100000) {
  c.run(UINT64_MAX, maxSteps);
  Outcome o;
  o.cycles = c.cycles();
  o.molecules = c.moleculesChecked();
  o.stop = c.stopInfo().reason;
  o.diverged = c.divergence().has_value();
  EXPECT_FALSE(o.diverged) << *c.divergence();
  return o;
}

}  // namespace cmrtl
