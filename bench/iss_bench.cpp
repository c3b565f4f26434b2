// ISS throughput: a loop-heavy VLIW program (nested loops of ALU work, guest loads and
// gated stores through the host TLB, a commit per inner loop) run to its halt, with the
// timing model on and off. Reports molecules/s and atoms/s (non-nop atoms) as rates.
// Usage and recorded figures: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "codemorph/hostisa/assembler.h"
#include "codemorph/hostisa/isa.h"
#include "codemorph/hostisa/iss/iss.h"
#include "codemorph/support/stats.h"

namespace {

using namespace codemorph::hostisa;
using codemorph::hostisa::iss::Iss;
using codemorph::hostisa::iss::IssConfig;

// r1 inner counter, r11 outer counter, r2 guest pointer, r3 host pointer, r4..r14 data.
// Slots of a 4-atom molecule: ALU0/FPU, ALU1, LSU, BRU.
constexpr const char* kLoopProgram = R"(
outer:  { li r1, 16 ; li r2, 0 ; nop ; nop }
        { addi r5, r5, 3 ; lih r2, 1 ; ld32 r10, 0(r3) ; nop }
inner:  { add r4, r4, r5 ; xor r6, r6, r4 ; ldg32 r7, 0(r2) ; nop }
        { addi r2, r2, 4 ; shli r8, r7, 1 ; stg32 r8, 64(r2) ; nop }
        { mul r9, r7, r4 ; addi r1, r1, -1 ; ldg32 r12, 60(r2) ; nop }
        { add r13, r13, r12 ; sub r14, r6, r9 ; st32 r13, 4(r3) ; bnz r1, inner }
        { addi r11, r11, -1 ; add r10, r10, r13 ; nop ; nop } commit
        { nop ; nop ; nop ; bnz r11, outer }
        { nop ; nop ; nop ; halt }
)";
constexpr uint32_t kBase = 0x1000;

std::vector<uint8_t> program() {
  AsmOptions opts;
  opts.fileName = "iss_bench";
  opts.baseAddress = kBase;
  const AsmResult r = assemble(kLoopProgram, opts);
  if (!r.ok) throw std::runtime_error(r.errorText());
  return r.image;
}

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
