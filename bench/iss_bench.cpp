// ISS throughput: a loop-heavy VLIW program (nested loops of ALU work, guest loads and
// gated stores through the host TLB, a commit per inner loop) run to its halt, with the
// timing model on and off. Reports molecules/s and atoms/s (non-nop atoms) as rates.
// Usage and recorded figures: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include "vliw_loop_program.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/support/stats.h"

namespace {

using namespace codemorph::hostisa;
using codemorph::hostisa::iss::Iss;
using codemorph::hostisa::iss::IssConfig;

constexpr uint32_t kBase = codemorph::bench::kLoopBase;
std::vector<uint8_t> program() { return codemorph::bench::loopProgramImage(); }

void runIss(benchmark::State& state, bool timing) {
  IssConfig cfg;
  cfg.memBytes = 16u << 20;
  cfg.timing = timing;
  Iss core(cfg);
  core.writeMemory(kBase, program());
  codemorph::support::StatsRegistry stats;
  core.registerStats(stats);
  const uint32_t outerIters = static_cast<uint32_t>(state.range(0));
  double molecules = 0, atoms = 0;
  for (auto _ : state) {
    const double m0 = stats.value("iss.molecules"), a0 = stats.value("iss.atoms");
    core.reset(kBase);
    core.tlbInsert(0x10000, 0x10000 | kTlbValid | kTlbWritable | kTlbDirtyOk);
    core.setReg(3, 0x8000);
    core.setReg(11, outerIters);
    core.run();
    if (core.stopInfo().reason != iss::StopReason::Halted) state.SkipWithError("program did not halt");
    molecules += stats.value("iss.molecules") - m0;
    atoms += stats.value("iss.atoms") - a0;
  }
  state.counters["molecules/s"] = benchmark::Counter(molecules, benchmark::Counter::kIsRate);
  state.counters["atoms/s"] = benchmark::Counter(atoms, benchmark::Counter::kIsRate);
  state.counters["atoms/molecule"] = molecules ? atoms / molecules : 0;
  state.counters["cycles/molecule"] = static_cast<double>(core.cycles()) /
                                      (stats.value("iss.molecules") / static_cast<double>(state.iterations()));
}

void BM_IssTimingOn(benchmark::State& state) { runIss(state, true); }
void BM_IssTimingOff(benchmark::State& state) { runIss(state, false); }

}  // namespace

BENCHMARK(BM_IssTimingOn)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IssTimingOff)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
