// RTL core throughput (CODEMORPH_RTL): the ISS benchmark's loop program (nested loops of
// ALU work, guest loads and gated stores through the host TLB, a commit per inner loop) on
// the verilated core alone and in lockstep cosim with the ISS. Reports modelled cycles/s,
// molecules/s and (RTL alone) model clocks per molecule. Recorded figures:
// docs/PERFORMANCE.md ("RTL").
#include <benchmark/benchmark.h>

#include "vliw_loop_program.h"

#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "codemorph/hostisa/isa.h"
#include "codemorph/rtl/cosim.h"
#include "codemorph/rtl/rtl_core.h"

namespace {

using namespace codemorph::hostisa;
using codemorph::hostisa::iss::CoreApi;
using codemorph::hostisa::iss::IssConfig;

constexpr uint32_t kBase = codemorph::bench::kLoopBase;
std::vector<uint8_t> program() { return codemorph::bench::loopProgramImage(); }

template <class Core>
void runCore(benchmark::State& state) {
  IssConfig cfg;
  cfg.memBytes = 16u << 20;
  Core core(cfg);
  core.writeMemory(kBase, program());
  const uint32_t outerIters = static_cast<uint32_t>(state.range(0));
  double cycles = 0, molecules = 0, clocks = 0;
  for (auto _ : state) {
    core.reset(kBase);
    core.tlbInsert(0x10000, 0x10000 | kTlbValid | kTlbWritable | kTlbDirtyOk);
    core.setReg(3, 0x8000);
    core.setReg(11, outerIters);
    uint64_t steps = 0;
    uint64_t edges0 = 0;
    if constexpr (std::is_same_v<Core, codemorph::rtl::RtlCore>) edges0 = core.clockEdges();
    while (core.step()) ++steps;
    if constexpr (std::is_same_v<Core, codemorph::rtl::RtlCore>) clocks += static_cast<double>(core.clockEdges() - edges0);
    if (core.stopInfo().reason != codemorph::hostisa::iss::StopReason::Halted) state.SkipWithError("did not halt");
    cycles += static_cast<double>(core.cycles());
    molecules += static_cast<double>(steps);
  }
  state.counters["cycles/s"] = benchmark::Counter(cycles, benchmark::Counter::kIsRate);
  state.counters["molecules/s"] = benchmark::Counter(molecules, benchmark::Counter::kIsRate);
  // Model clocks per molecule (1 with the prefetch; more after stores, commits with a
  // non-empty store buffer, I/O and host writes: docs/rtl.md).
  if constexpr (std::is_same_v<Core, codemorph::rtl::RtlCore>) state.counters["clocks/molecule"] = clocks / molecules;
}

void BM_RtlBare(benchmark::State& state) { runCore<codemorph::rtl::RtlCore>(state); }
void BM_RtlCosim(benchmark::State& state) { runCore<codemorph::rtl::Cosim>(state); }

BENCHMARK(BM_RtlBare)->Arg(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RtlCosim)->Arg(500)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
